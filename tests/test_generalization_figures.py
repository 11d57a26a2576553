"""Chapter "Generalization"'s figures (overgan_lib.sweep.generalization_figures) on small
constructed records: what each draws, and one-line errors on records it cannot draw."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from overgan_lib.errors import ParameterError  # noqa: E402
from overgan_lib.sweep import generalization as C  # noqa: E402
from overgan_lib.sweep import generalization_figures as GF  # noqa: E402
from overgan_lib.sweep.crossover import CrossedPair  # noqa: E402

RNG = np.random.default_rng(0)
TRAIN = RNG.integers(0, 256, (10, 3, 8, 8), dtype=np.uint8)
CURVE = {"curve_steps": [10, 20, 30], "curve": [0.5, 0.3, 0.2], "curve_raw": [0.6, 0.2, 0.1]}
BASE = {"baselines": ["memorise", "memorise_500", "blur"],
        **{n: {**CURVE, "nnd": v} for n, v in (("memorise", 0.4), ("memorise_500", 1.3),
                                                ("blur", 2.9))}}
FLOOR = {"critic_seeds": [0, 1, 2],
         "memorise": {"nnd": np.array([0.5, 0.4, 0.6])},
         "fresh": {"nnd": np.array([-0.1, 0.0, 0.1])}}
NEIGHBOURS = {b: {"pixel_ratio": r} for b, r in (("test", 1.0), ("blur", 0.2), ("noise", 0.5))}


def _nb(n: int = 5) -> dict:
    """A neighbour record of ``n`` samples with 3 neighbours in both spaces."""
    idx = np.stack([RNG.permutation(len(TRAIN))[:3] for _ in range(n)])
    dist = np.sort(RNG.uniform(0.1, 2.0, (n, 3)), axis=1)
    return {"samples": RNG.integers(0, 256, (n, 3, 8, 8), dtype=np.uint8),
            "pixel_indices": idx, "pixel_distances": dist, "pixel_ratio": 0.9,
            "inception_indices": idx, "inception_distances": dist}


def _sweep(widths: list[int], nnd: list[float]) -> dict:
    names = [f"k{k}_s{i}" for i, k in enumerate(widths)]
    return {"k": widths, "names": names,
            "nnd": {n: {"nnd": v} for n, v in zip(names, nnd, strict=True)},
            "neighbours": {n: _nb() for n in names}}


def _labels(ax: plt.Axes) -> list[str]:
    return ax.get_legend_handles_labels()[1]


def _stamped(fig: plt.Figure, profile: str) -> bool:
    return any(t.get_text().startswith(f"profile: {profile}") for t in fig.texts)


def test_baselines_figure_draws_one_line_per_baseline_in_both_panels():
    fig = GF.nnd_baselines_figure(BASE, 0.99, "cpu")
    left, right = fig.axes
    assert _labels(left) == ["memoriser (all training images)", "memoriser of 500 images",
                             "blurred training images"]
    assert len(left.lines) == len(right.lines) == 3 + 1  # baselines and the zero line
    assert list(right.lines[0].get_ydata()) == CURVE["curve_raw"]
    assert left.get_title() == "EMA critic (decay 0.99)" and _stamped(fig, "cpu")
    plt.close(fig)


def test_baselines_figure_rejects_records_it_cannot_draw():
    with pytest.raises(ParameterError, match="empty"):
        GF.nnd_baselines_figure({"baselines": []}, 0.99, "cpu")
    with pytest.raises(ParameterError, match="'curve_raw'"):
        GF.nnd_baselines_figure({"baselines": ["blur"], "blur": {"curve_steps": [1],
                                                                 "curve": [0.1]}}, 0.99, "cpu")


def test_neighbours_figure_shows_at_most_four_samples_and_their_neighbours():
    fig = GF.neighbours_figure(_nb(6), "pixel", TRAIN, "title", "smoke")
    assert len(fig.axes) == 4 * (1 + 3) and fig._suptitle.get_text() == "title"
    assert _stamped(fig, "smoke")
    plt.close(fig)
    with pytest.raises(ParameterError, match="space='l1'"):
        GF.neighbours_figure(_nb(), "l1", TRAIN, "t", "cpu")
    with pytest.raises(ParameterError, match="inception_indices"):
        GF.neighbours_figure({"samples": TRAIN}, "inception", TRAIN, "t", "cpu")


def test_sweep_grids_show_the_narrowest_and_the_widest_generator():
    figs = GF.sweep_neighbour_figures("dcgan", _sweep([8, 64, 8, 64], [1, 2, 3, 4]), TRAIN,
                                      1000, "cpu")
    assert tuple(sorted(figs)) == tuple(sorted(GF.SWEEP_GRIDS))
    assert figs["fig_nn_sweep_small"]._suptitle.get_text() == "dcgan, k8_s0, 1,000 iterations"
    assert figs["fig_nn_sweep_large_inc"]._suptitle.get_text().startswith("dcgan, k64_s1,")
    for f in figs.values():
        plt.close(f)
    with pytest.raises(ParameterError, match="3 widths for 4 runs"):
        GF.sweep_neighbour_figures("s", {**_sweep([8, 64, 8, 64], [1, 2, 3, 4]),
                                         "k": [8, 64, 8]}, TRAIN, 10, "cpu")


def test_nnd_k_figure_one_column_per_sweep_with_the_reference_lines():
    sweeps = {"dcgan": _sweep([8, 8, 64, 64], [2.0, 2.2, 1.5, 1.7]),
              "resnet": _sweep([16, 32], [1.0, 0.8])}
    fig = GF.nnd_k_figure(sweeps, BASE, NEIGHBOURS, FLOOR, 0.5, "mean of 3 critic seeds", "cpu",
                          iters={"dcgan": 100})
    axes = fig.axes
    assert len(axes) == 2 * 3
    top, bottom = axes[0], axes[3]
    # each panel says how long its generators trained (a short run is not the paper's Fig. 6)
    assert [axes[0].get_title(), axes[1].get_title()] == [
        "dcgan: 100 generator iterations [cpu]", "resnet [cpu]"]
    assert sorted(_labels(top)) == sorted([
        "one dot per run", "mean ± sd over seeds",
        "memoriser, all training images\n(mean of 3 critic seeds)",
        "memoriser of 500 images\n(one critic seed)",
        "training images, no repeats\n(mean of 3 critic seeds)", GF.BAND_LABEL])
    lo, hi = C.paired_bounds(np.asarray(FLOOR["memorise"]["nnd"], float))
    band = top.patches[0]  # axhspan: a rectangle in data units along y
    assert np.allclose([band.get_y(), band.get_y() + band.get_height()], [lo, hi])
    assert sorted(_labels(bottom)) == sorted([
        "held-out test images", "blurred training images", "noisy training images",
        "memoriser (0)"])  # the bottom row's runs and means carry no label
    errbar = top.containers[0]  # means over seeds at k = 8 and 64
    assert np.allclose(errbar.lines[0].get_ydata(), [2.1, 1.6])
    assert not axes[-1].axison and len(axes[-1].get_legend().get_texts()) == 4
    assert [t.get_text() for t in axes[2].get_yticklabels()] == ["memoriser", "no repeats",
                                                                  "mem. of 500 images",
                                                                  "blurred training images"]
    assert _stamped(fig, "cpu")
    plt.close(fig)
    nofloor = GF.nnd_k_figure({"dcgan": sweeps["dcgan"]}, BASE, NEIGHBOURS, None, 0.4,
                              "one critic seed", "cpu")
    assert len(nofloor.axes) == 2 * 2
    assert "training images, no repeats\n(mean of 3 critic seeds)" not in _labels(nofloor.axes[0])
    assert GF.BAND_LABEL not in _labels(nofloor.axes[0])
    plt.close(nofloor)


def _boxes(fig: plt.Figure, texts) -> list:
    r = fig.canvas.get_renderer()
    return [t.get_window_extent(r) for t in texts if t.get_text() and t.get_visible()]


@pytest.mark.parametrize("floor", [FLOOR, None])
def test_nnd_k_figure_strip_labels_clear_the_legends_and_the_panels(floor):
    """The strip's baseline names used to be rotated x tick labels that ran through the
    "top row" legend's title and first entry below them: they are horizontal labels on the
    strip's right now, and touch no legend text and no other panel."""
    base = {**BASE, "baselines": [*BASE["baselines"], "noise", "fresh"],
            "noise": {**CURVE, "nnd": 0.6}, "fresh": {**CURVE, "nnd": -0.4}}
    sweeps = {"cifar10_dcgan": _sweep([8, 8, 64, 64], [2.0, 2.2, 1.5, 1.7]),
              "cifar10_resnet": _sweep([16, 32], [1.0, 0.8])}
    fig = GF.nnd_k_figure(sweeps, base, NEIGHBOURS, floor, 0.5, "one critic seed", "cpu")
    fig.draw_without_rendering()
    strip, legends = fig.axes[2], fig.axes[-1]
    labels = _boxes(fig, strip.get_yticklabels())
    assert len(labels) == 5
    texts = [t for leg in (*legends.artists, legends.get_legend())
             for t in (leg.get_title(), *leg.get_texts())]
    assert len(texts) >= 2 * 2
    for box in labels:
        assert not any(box.overlaps(other) for other in _boxes(fig, texts))
        for ax in fig.axes[:2] + fig.axes[3:5]:  # the sweeps' panels
            assert not box.overlaps(ax.get_window_extent())
    plt.close(fig)


def test_nnd_k_figure_rejects_no_sweep_and_mismatched_widths():
    with pytest.raises(ParameterError, match="pending_figure"):
        GF.nnd_k_figure({}, BASE, NEIGHBOURS, None, 0.4, "x", "cpu")
    bad = {**_sweep([8, 64], [1.0, 2.0]), "k": [8]}
    with pytest.raises(ParameterError, match="1 widths for 2 runs"):
        GF.nnd_k_figure({"s": bad}, BASE, NEIGHBOURS, None, 0.4, "x", "cpu")


def test_fit_views_figure_bars_are_the_rule_s_z_errors():
    from overgan_lib.sweep.real_gap import z_learnt

    views = {"n_fit": [5000, 500], "views": [2.6, 26.0], "real_gap": [0.1, 0.9],
             "real_gap_se": np.array([0.1, 0.2]), "real_gap_raw": [0.2, 1.0],
             "real_gap_raw_se": np.array([0.1, 0.1]), "nnd": [0.4, 0.3], "nnd_raw": [0.5, 0.2],
             "n_score": 5000}
    fig = GF.fit_views_figure(views, "cpu")
    left, right = fig.axes
    seg = left.containers[0].lines[2][0].get_segments()[1]  # the EMA critic's second bar
    assert np.allclose([seg[0][1], seg[1][1]], [0.9 - 0.2 * z_learnt(), 0.9 + 0.2 * z_learnt()])
    assert "fit images: 5,000, 500" in right.get_xlabel() and left.get_yscale() == "symlog"
    plt.close(fig)
    with pytest.raises(ParameterError, match="'nnd_raw'"):
        GF.fit_views_figure({k: v for k, v in views.items() if k != "nnd_raw"}, "cpu")


def test_crossover_figure_is_square_around_the_largest_gap():
    ps = [CrossedPair("memorise", 0.5, 0.1, -2.0, 0.2, 0.4, 0.3),
          CrossedPair("blur", 1.0, 0.1, 0.5, 0.1, 2.9, 2.8)]
    fig = GF.crossover_figure({"baselines": ps, "dcgan": ps[:1]}, "cpu")
    (ax,) = fig.axes
    assert ax.get_xlim() == ax.get_ylim() == pytest.approx((-2.2, 2.2))
    assert _labels(ax)[2:] == ["baselines", "dcgan"] and len(ax.containers) == 2
    plt.close(fig)
    empty = GF.crossover_figure({}, "smoke")
    assert empty.axes[0].get_xlim() == pytest.approx((-1.1, 1.1))
    plt.close(empty)
    with pytest.raises(ParameterError, match="CrossedPair"):
        GF.crossover_figure({"baselines": [(0.5, 0.1)]}, "cpu")


def test_pending_figure_names_the_command():
    fig = GF.pending_figure("pending: overgan sweep x --profile cpu", "cpu")
    assert fig.axes[0].texts[0].get_text() == "pending: overgan sweep x --profile cpu"
    assert _stamped(fig, "cpu") and not fig.axes[0].axison
    plt.close(fig)
