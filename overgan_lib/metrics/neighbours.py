"""Nearest training images of generated samples (Fig. 10 / App. E), in pixel and feature space.

App. E of the paper shows, for samples of DCGAN k = 8 and k = 128, their nearest
neighbours in the CIFAR-10 training set; it does not say in which space. We give both:

* pixel space: L2 distance between images scaled to [0, 1] (computed exactly: uint8
  values in float64, where every dot product is an exact integer, so a copied training
  image has distance exactly 0);
* Inception space: L2 distance between the 2048-d pool features that FID uses
  (:func:`overgan_lib.metrics.features`), against the cached reference features of a fixed
  subset of the training split (:func:`overgan_lib.metrics.reference_features`).

The single number per generator is :func:`copy_ratio`: the median nearest-neighbour
distance of the samples divided by that of held-out test images (same count) to the same
training images. Test images are new draws from the data distribution, so a generator that
does not copy lands near 1; one that returns training images lands at 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..errors import ParameterError, check_positive_int
from .nnd import check_images


@dataclass
class Neighbours:
    """``indices[i, j]`` is the j-th nearest candidate of query i, at ``distances[i, j]``
    (ascending). ``space`` names the metric ('pixel' or 'inception')."""

    indices: np.ndarray
    distances: np.ndarray
    space: str

    @property
    def nearest(self) -> np.ndarray:
        """The nearest-neighbour distance of every query."""
        return self.distances[:, 0]


def nearest(queries: np.ndarray | torch.Tensor, candidates: np.ndarray | torch.Tensor,
            k: int = 3, chunk: int = 4096) -> tuple[np.ndarray, np.ndarray]:
    """Brute-force k nearest candidates (L2) of each query, over chunks of candidates.

    Squared distances |q|^2 + |c|^2 - 2 q.c in float64 (clamped at 0); ties go to the
    lower candidate index. Returns (indices, distances), each (n_queries, k).
    """
    check_positive_int("k", k)
    check_positive_int("chunk", chunk)
    q = torch.as_tensor(np.asarray(queries)).flatten(1).to(torch.float64)
    c_all = torch.as_tensor(np.asarray(candidates)).flatten(1)
    if len(q) == 0 or len(c_all) == 0:
        raise ParameterError(f"need at least one query and one candidate, got {len(q)} and "
                             f"{len(c_all)}")
    if q.shape[1] != c_all.shape[1]:
        raise ParameterError(f"queries have {q.shape[1]} values each but candidates "
                             f"{c_all.shape[1]}; compare like with like")
    if k > len(c_all):
        raise ParameterError(f"k={k} exceeds the {len(c_all)} candidates; use k <= "
                             f"{len(c_all)}")
    qq = (q * q).sum(1, keepdim=True)
    best_d = torch.full((len(q), 0), float("inf"), dtype=torch.float64)
    best_i = torch.zeros((len(q), 0), dtype=torch.long)
    for start in range(0, len(c_all), chunk):
        c = c_all[start:start + chunk].to(torch.float64)
        d2 = (qq + (c * c).sum(1)[None, :] - 2 * q @ c.T).clamp_min_(0)
        idx = torch.arange(start, start + len(c)).expand(len(q), -1)
        cand_d, cand_i = torch.cat([best_d, d2], 1), torch.cat([best_i, idx], 1)
        # stable sort keeps earlier (lower) indices first among equal distances
        order = torch.sort(cand_d, dim=1, stable=True).indices[:, :k]
        best_d, best_i = cand_d.gather(1, order), cand_i.gather(1, order)
    return best_i.numpy(), best_d.sqrt().numpy()


def pixel_neighbours(samples: torch.Tensor | np.ndarray, train: torch.Tensor | np.ndarray,
                     k: int = 3, chunk: int = 4096) -> Neighbours:
    """Nearest training images in pixel space (L2 of images scaled to [0, 1])."""
    s, t = check_images("samples", samples), check_images("train", train)
    if s.shape[1:] != t.shape[1:]:
        raise ParameterError(f"samples are {tuple(s.shape[1:])} but training images "
                             f"{tuple(t.shape[1:])}; use one image shape")
    idx, dist = nearest(s, t, k, chunk)  # exact on the integer pixel values
    return Neighbours(idx, dist / 255.0, "pixel")


def feature_neighbours(samples: torch.Tensor | np.ndarray, dataset: str, n_train: int,
                       k: int = 3, device: str | None = None,
                       progress: bool = False) -> Neighbours:
    """Nearest training images in Inception pool-feature space.

    Candidates are the reference subset of ``n_train`` training images whose features are
    cached for FID; indices refer to the full training split (as ``load_uint8`` orders it).
    """
    from .fid import features
    from .reference import reference_features, reference_indices

    s = check_images("samples", samples)
    cand = reference_features(dataset, "train", n_train, device=device, progress=progress)
    f = features(s, device=device, progress=progress)
    idx, dist = nearest(f, cand, k)
    return Neighbours(reference_indices(dataset, "train", n_train)[idx], dist, "inception")


def copy_ratio(sample_nearest: np.ndarray, test_nearest: np.ndarray) -> float:
    """median NN distance of samples / median NN distance of held-out test images.

    About 1: samples are as far from the training set as new real images (no copying);
    0: every sample is a training image.
    """
    a, b = np.asarray(sample_nearest, float), np.asarray(test_nearest, float)
    if a.size == 0 or b.size == 0:
        raise ParameterError("copy_ratio needs at least one sample and one test distance")
    ref = float(np.median(b))
    if ref <= 0:
        raise ParameterError("the test images' median nearest-neighbour distance is 0 (test "
                             "images copied from the training set?); the ratio is undefined")
    return float(np.median(a)) / ref


def pixel_copy_ratio(samples, train, test) -> tuple[float, Neighbours, Neighbours]:
    """:func:`copy_ratio` in pixel space, with both neighbour sets (samples, test)."""
    ns, nt = pixel_neighbours(samples, train, 1), pixel_neighbours(test, train, 1)
    return copy_ratio(ns.nearest, nt.nearest), ns, nt


def neighbour_grid(samples: torch.Tensor | np.ndarray, train: torch.Tensor | np.ndarray,
                   nb: Neighbours, rows: int = 8, title: str | None = None):
    """Figure: each row a sample, then its nearest training images with their distances."""
    import matplotlib.pyplot as plt

    s, t = check_images("samples", samples), check_images("train", train)
    rows = min(check_positive_int("rows", rows), len(s))
    k = nb.indices.shape[1]
    # constrained layout reserves room for the suptitle above the two-line column label
    # (tight_layout does not, and the title overlapped it)
    fig, axes = plt.subplots(rows, k + 1, figsize=(1.25 * (k + 1), 1.3 * rows + 0.3),
                             squeeze=False, layout="constrained")
    for i in range(rows):
        panels = [(s[i], "sample" if i == 0 else "")]
        panels += [(t[nb.indices[i, j]], f"{nb.distances[i, j]:.3g}") for j in range(k)]
        for j, (img, label) in enumerate(panels):
            ax = axes[i, j]
            arr = img.numpy()
            ax.imshow(arr[0] if arr.shape[0] == 1 else arr.transpose(1, 2, 0),
                      cmap="gray" if arr.shape[0] == 1 else None, vmin=0, vmax=255)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(label, fontsize=7, pad=2)
    axes[0, 1].set_title(f"NN 1 ({nb.space})\n{nb.distances[0, 0]:.3g}", fontsize=7, pad=2)
    if title:
        fig.suptitle(title, fontsize=9)
    return fig
