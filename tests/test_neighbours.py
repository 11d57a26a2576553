"""Nearest neighbours in pixel and Inception space, the copy ratio, and the grid figure."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from overgan_lib import data
from overgan_lib.errors import ParameterError
from overgan_lib.metrics import neighbours as NB
from overgan_lib.metrics.samplers import Memoriser

HAVE_DATA = any((r / "cifar10-jpeg.tar.xz").exists() for r in data.candidate_roots())
needs_data = pytest.mark.skipif(not HAVE_DATA, reason="offline datasets not found")


def _images(n: int, seed: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return torch.randint(0, 256, (n, 3, 6, 6), dtype=torch.uint8, generator=g)


def test_indices_match_brute_force():
    rng = np.random.default_rng(0)
    q, c = rng.standard_normal((13, 5)), rng.standard_normal((101, 5))
    idx, dist = NB.nearest(q, c, k=3, chunk=7)  # many chunks: exercises the merge
    full = np.sqrt(((q[:, None, :] - c[None, :, :]) ** 2).sum(-1))
    ref = np.argsort(full, axis=1, kind="stable")[:, :3]
    assert np.array_equal(idx, ref)
    assert np.allclose(dist, np.take_along_axis(full, ref, 1), atol=1e-9)
    idx1, _ = NB.nearest(q, c, k=3, chunk=1000)  # one chunk: same answer
    assert np.array_equal(idx1, idx)


def test_pixel_neighbours_of_copies_are_exact_zero():
    train, test = _images(200, 0), _images(50, 1)
    m = Memoriser(train, seed=2)
    idx = m.indices(40)
    nb = NB.pixel_neighbours(train[idx], train, k=3)
    assert np.all(nb.nearest == 0.0)
    assert np.array_equal(nb.indices[:, 0], idx.numpy())  # the copied image itself
    ratio, _, nt = NB.pixel_copy_ratio(train[idx], train, test)
    assert ratio == 0.0 and np.all(nt.nearest > 0)
    # scale: distance of images in [0, 1], checked on one pair
    a = train[idx[0]].double() / 255
    b = train[nb.indices[0, 1]].double() / 255
    assert nb.distances[0, 1] == pytest.approx(float((a - b).norm()), rel=1e-12)


def test_fresh_samples_have_ratio_near_one():
    train = _images(300, 0)
    ratio, _, _ = NB.pixel_copy_ratio(_images(60, 5), train, _images(60, 6))
    assert 0.9 < ratio < 1.1
    blurred_copies = NB.pixel_copy_ratio(train[:60] // 2 + 64, train, _images(60, 6))[0]
    assert 0 < blurred_copies < 0.9  # halved-contrast copies sit nearer than new images


def test_bad_input_is_one_line():
    with pytest.raises(ParameterError, match="k=5"):
        NB.nearest(np.zeros((2, 3)), np.zeros((4, 3)), k=5)
    with pytest.raises(ParameterError, match="compare like"):
        NB.nearest(np.zeros((2, 3)), np.zeros((4, 2)))
    with pytest.raises(ParameterError, match="uint8"):
        NB.pixel_neighbours(_images(2, 0).float(), _images(4, 0))
    with pytest.raises(ParameterError, match="undefined"):
        NB.copy_ratio(np.ones(3), np.zeros(3))


def test_grid_figure():
    import matplotlib

    matplotlib.use("Agg")
    train, samples = _images(30, 0), _images(5, 1)
    nb = NB.pixel_neighbours(samples, train, k=3)
    fig = NB.neighbour_grid(samples, train, nb, rows=4, title="t")
    assert len(fig.axes) == 4 * 4
    assert fig.axes[1].get_title().endswith(f"{nb.distances[0, 0]:.3g}")


@needs_data
def test_feature_neighbours_find_the_copied_training_image():
    from overgan_lib.metrics.reference import reference_indices, reference_subset

    sub = reference_subset("cifar10", "train", 12)
    nb = NB.feature_neighbours(sub[[3, 7]], "cifar10", 12, k=2)
    full = reference_indices("cifar10", "train", 12)
    assert list(nb.indices[:, 0]) == [full[3], full[7]]
    assert float(nb.nearest.max()) < 1e-2
    train = data.load_uint8("cifar10", "train")
    assert np.array_equal(train[full[3]], sub[3])


def test_grid_title_clears_the_column_labels():
    """The suptitle sat on top of the two-line 'NN 1' label before constrained layout."""
    import matplotlib

    matplotlib.use("Agg")
    train, samples = _images(30, 0), _images(5, 1)
    fig = NB.neighbour_grid(samples, train, NB.pixel_neighbours(samples, train), rows=3,
                            title="a long title, k=64 seed=0")
    renderer = fig.canvas.get_renderer()
    fig.draw(renderer)
    top = fig._suptitle.get_window_extent(renderer)
    for ax in fig.axes[:4]:
        label = ax.title.get_window_extent(renderer)
        assert label.y1 <= top.y0, ax.get_title()


@needs_data
def test_pixel_search_covers_the_whole_training_split(isolated):
    """A sampler copying training images outside the Inception subset is caught in pixel
    space (ratio 0, the copied indices) though the feature search cannot see it."""
    from overgan_lib.metrics.generalization import neighbour_scores
    from overgan_lib.metrics.reference import reference_indices

    train = data.load_uint8("cifar10", "train")
    inside = set(reference_indices("cifar10", "train", 16).tolist())
    outside = np.array([i for i in range(len(train) - 1, 0, -1) if i not in inside][:6])

    def copier(n: int) -> torch.Tensor:
        return torch.from_numpy(train[outside[:n]])

    cfg = dict(dataset="cifar10", n_samples=6, n_train=16, k=2)
    out = neighbour_scores({"copier": copier}, cfg, progress=False)
    assert out["n_train"] == 16 and out["n_train_pixel"] == len(train)
    assert np.array_equal(out["copier"]["pixel_indices"][:, 0], outside)
    assert out["copier"]["pixel_ratio"] == 0.0
    assert out["test"]["pixel_ratio"] > 0.5
    assert out["copier"]["inception_ratio"] > 0.5  # not in the searched feature subset
    assert len(out["test_pixel_nearest"]) == 6
