"""Chapter "Generalization"'s figures, drawn from its stored records.

The NND baselines' critic curves and their nearest-neighbour grids (the calibration of
Figs. 6 and 10), NND and pixel copy ratio against the width with the baselines as reference
lines (Fig. 6, and the book's summary of the distances behind Fig. 10, whose pictures carry no
number), the sweeps' neighbour grids (Fig. 10),
and the NND critic's diagnostics (the fit-set experiment and the crossover). Each function
returns a finished figure with its profile stamp (:func:`overgan_lib.book.label_profile`),
ready for :func:`overgan_lib.book.glue_figure`; the words stay in
:mod:`.generalization_chapter`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from ..errors import ParameterError
from ..metrics.neighbours import Neighbours, neighbour_grid
from ..store import Record
from . import real_gap as gap_rule
from .crossover import CrossedPair
from .generalization_chapter import baseline_points, label

SWEEP_GRIDS = ("fig_nn_sweep_small", "fig_nn_sweep_large", "fig_nn_sweep_small_inc",
               "fig_nn_sweep_large_inc")


def _stamp(fig: plt.Figure, profile: str, record: Record | None) -> plt.Figure:
    from ..book import label_profile

    return label_profile(fig, profile, record)


def _require(what: str, mapping: Mapping[str, Any], keys: Sequence[str]) -> None:
    """One-line error when ``mapping`` lacks any of ``keys``."""
    missing = [k for k in keys if k not in mapping]
    if missing:
        raise ParameterError(f"{what} has no {', '.join(map(repr, missing))}; pass the "
                             f"chapter's stored record data")


def nnd_baselines_figure(baselines: Mapping[str, Any], ema: float, profile: str,
                         record: Record | None = None) -> plt.Figure:
    """The baselines' NND against critic steps (the calibration behind Fig. 6): the EMA
    critic the reference scores (left) and the raw critic (right), one line per baseline.
    ``baselines``: the ``generalization_baselines`` record's data; ``ema``: its decay."""
    _require("baselines", baselines, ["baselines"])
    names = list(baselines["baselines"])
    if not names:
        raise ParameterError("baselines['baselines'] is empty: no baseline to draw")
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6), sharey=True)
    for i, name in enumerate(names):
        r = baselines[name]
        _require(f"baselines[{name!r}]", r, ["curve_steps", "curve", "curve_raw"])
        axes[0].plot(r["curve_steps"], r["curve"], marker="o", ms=4, color=f"C{i}",
                     label=label(name))
        axes[1].plot(r["curve_steps"], r["curve_raw"], marker="o", ms=4, color=f"C{i}")
    axes[0].set_title(f"EMA critic (decay {ema})", fontsize=9)
    axes[1].set_title("raw critic", fontsize=9)
    for ax in axes:
        ax.set_xlabel("critic steps")
        ax.axhline(0, color="k", lw=0.6)
    axes[0].set_ylabel("NND (held-out half of the test split)")
    axes[0].legend(fontsize=8)
    return _stamp(fig, profile, record)


def neighbours_figure(nb: Mapping[str, Any], space: str, train: np.ndarray, title: str,
                      profile: str, record: Record | None = None) -> plt.Figure:
    """One sampler's samples and their nearest training images in ``space`` (``pixel`` or
    ``inception``), at most four rows (Fig. 10's grids). ``nb``: the sampler's neighbour
    record (samples, ``{space}_indices``, ``{space}_distances``)."""
    if space not in ("pixel", "inception"):
        raise ParameterError(f"space={space!r} is not valid; use pixel or inception")
    _require("the neighbour record", nb, ["samples", f"{space}_indices", f"{space}_distances"])
    found = Neighbours(nb[f"{space}_indices"], nb[f"{space}_distances"], space)
    fig = neighbour_grid(nb["samples"], train, found, rows=min(4, len(nb["samples"])),
                         title=title)
    return _stamp(fig, profile, record)


def sweep_neighbour_figures(sweep: str, data: Mapping[str, Any], train: np.ndarray,
                            iters: int, profile: str, record: Record | None = None
                            ) -> dict[str, plt.Figure]:
    """Fig. 10 from one sweep: the narrowest and the widest generator's samples (the first
    run of each) with their nearest training images in pixel and in Inception space, by
    the chapter's glue names (:data:`SWEEP_GRIDS`). ``data``: its ``generalization`` record."""
    _require(f"the {sweep} record", data, ["k", "names", "neighbours"])
    k = np.asarray(data["k"])
    if len(k) != len(data["names"]) or not len(k):
        raise ParameterError(f"the {sweep} record has {len(k)} widths for "
                             f"{len(data['names'])} runs; they must match and not be empty")
    figs = {}
    for tag, name in (("small", data["names"][int(np.argmin(k))]),
                      ("large", data["names"][int(np.argmax(k))])):
        for space in ("pixel", "inception"):
            figs[f"fig_nn_sweep_{tag}" + ("" if space == "pixel" else "_inc")] = \
                neighbours_figure(data["neighbours"][name], space, train,
                                  f"{sweep}, {name}, {iters:,} iterations", profile, record)
    return figs


def pending_figure(text: str, profile: str) -> plt.Figure:
    """A small placeholder naming what to run, so that a ``{glue:figure}`` never dangles."""
    fig, ax = plt.subplots(figsize=(4, 1.5))
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=8)
    ax.set_axis_off()
    return _stamp(fig, profile, None)


def _baseline_strip(ax: plt.Axes, baselines: Mapping[str, Any],
                    floor: Mapping[str, Any] | None) -> None:
    """The baselines' NND on their own scale, one row per baseline with its name on the
    right (horizontal labels, clear of the legends below and of the panel to the left): one
    dot per critic seed and a bar at the mean where the profile measures several critic
    seeds, a square for one critic seed."""
    multi, one = baseline_points(baselines, floor)
    for y, v in enumerate(multi.values()):
        ax.plot(v, [y] * len(v), "o", ms=4, color="C2", alpha=0.6)
        ax.plot([v.mean()] * 2, [y - 0.3, y + 0.3], color="C2", lw=2)
    ax.plot(list(one.values()), range(len(multi), len(multi) + len(one)), "s", ms=5, color="C7")
    ax.axvline(0, color="k", lw=0.6)
    ax.set_yticks(range(len(multi) + len(one)), [*multi, *one], fontsize=7)
    ax.yaxis.tick_right()
    ax.set_ylim(len(multi) + len(one) - 0.5, -0.5)  # the first baseline on top
    ax.set_xlabel("NND", fontsize=8)
    ax.set_title("baselines (own scale)\n" + ("dots: critic seeds, bar: mean; " if multi else "")
                 + "squares: one seed", fontsize=7)


def _width_panel(ax: plt.Axes, k: np.ndarray, y: np.ndarray, legend: bool) -> None:
    """One value per run against the width (log 2 axis): dots, and mean ± sd over seeds."""
    widths = np.unique(k)
    ax.plot(k, y, "o", ms=4, alpha=0.5, color="C0", label="one dot per run" if legend else None)
    ax.errorbar(widths, [y[k == w].mean() for w in widths],
                [y[k == w].std(ddof=1) if np.sum(k == w) > 1 else 0 for w in widths],
                fmt="_", ms=16, capsize=4, color="C0",
                label="mean ± sd over seeds" if legend else None)
    ax.set_xscale("log", base=2)
    ax.set_xticks(widths, [str(int(w)) for w in widths])
    ax.minorticks_off()


BAND_LABEL = "the memoriser verdict's band\n(its score with the models'\ncritic seed ± t·s·√2)"


def _nnd_references(ax: plt.Axes, mem: float, mem_how: str, baselines: Mapping[str, Any],
                    floor: Mapping[str, Any] | None) -> None:
    """Fig. 6's reference lines: the full memoriser (at ``mem``, its mean over critic seeds
    or its one critic seed), the band the memoriser verdict compares each model with where
    the profile measures several critic seeds (:func:`.generalization.paired_bounds`: the
    memoriser's score with the models' critic seed -/+ t * s * sqrt(2)), the small-pool
    memorisers and, where measured, training images drawn without repeats."""
    from .generalization import paired_bounds

    ax.axhline(mem, ls="--", color="C3", label=f"memoriser, all training images\n({mem_how})")
    if floor is not None and len(floor["memorise"]["nnd"]) > 1:
        lo, hi = paired_bounds(np.asarray(floor["memorise"]["nnd"], float))
        ax.axhspan(lo, hi, color="C3", alpha=0.12, lw=0,
                   label=BAND_LABEL)
    for b in baselines["baselines"]:
        if b.startswith("memorise_"):
            ax.axhline(baselines[b]["nnd"], ls=":", color="C1",
                       label=f"{label(b)}\n(one critic seed)")
    if floor is not None:
        ax.axhline(floor["fresh"]["nnd"].mean(), ls="-", lw=0.8, color="C2",
                   label=f"training images, no repeats\n(mean of "
                         f"{len(floor['critic_seeds'])} critic seeds)")


def _ratio_references(ax: plt.Axes, neighbours: Mapping[str, Any]) -> None:
    """The copy ratio's reference lines: held-out test images, blurred and noisy training
    images, and the memoriser (0)."""
    for b, style in (("test", "-"), ("blur", "--"), ("noise", ":")):
        ax.axhline(neighbours[b]["pixel_ratio"], ls=style, color="C2" if b == "test" else "C7",
                   label="held-out test images" if b == "test" else label(b))
    ax.axhline(0, color="C3", lw=0.8, label="memoriser (0)")


def _row_legends(ax: plt.Axes, top: plt.Axes, bottom: plt.Axes) -> None:
    """Both rows' legends in the otherwise empty lower right panel."""
    ax.set_axis_off()
    first = ax.legend(*top.get_legend_handles_labels(), fontsize=7, loc="upper left",
                      bbox_to_anchor=(0, 0.96), title="top row", title_fontsize=7)
    ax.add_artist(first)
    ax.legend(*bottom.get_legend_handles_labels(), fontsize=7, loc="lower left",
              bbox_to_anchor=(0, -0.14), title="bottom row", title_fontsize=7)


def nnd_k_figure(sweeps: Mapping[str, Mapping[str, Any]], baselines: Mapping[str, Any],
                 neighbours: Mapping[str, Any], floor: Mapping[str, Any] | None, mem: float,
                 mem_how: str, profile: str, record: Record | None = None,
                 iters: Mapping[str, int] | None = None) -> plt.Figure:
    """Figs. 6 and 10 against the width, one column per sweep (``sweeps``: name ->
    ``generalization`` record data): NND with the baselines' lines (top; the memoriser at
    ``mem``, :func:`.generalization.memoriser_reference`) and the pixel copy ratio (bottom),
    the baselines on their own scale and both legends in a last column. ``iters``: each
    sweep's generator iterations, for its panel's title (so a short run's NND is not read as
    the paper's)."""
    if not sweeps:
        raise ParameterError("no sweep is scored: draw pending_figure instead")
    n = len(sweeps)
    fig, axes = plt.subplots(2, n + 1, figsize=(5.2 * n + 3.6, 7.4), squeeze=False,
                             gridspec_kw={"width_ratios": [1] * n + [0.7]})
    for row in (0, 1):
        for ax in axes[row, 1:-1]:
            ax.sharey(axes[row, 0])
    for col, (name, data) in enumerate(sweeps.items()):
        _require(f"the {name} record", data, ["k", "names", "nnd", "neighbours"])
        k = np.asarray(data["k"])
        if len(k) != len(data["names"]):
            raise ParameterError(f"the {name} record has {len(k)} widths for "
                                 f"{len(data['names'])} runs; they must match")
        final = np.asarray([data["nnd"][r]["nnd"] for r in data["names"]])
        ratios = np.asarray([data["neighbours"][r]["pixel_ratio"] for r in data["names"]])
        _width_panel(axes[0, col], k, final, legend=True)
        _width_panel(axes[1, col], k, ratios, legend=False)
        _nnd_references(axes[0, col], mem, mem_how, baselines, floor)
        _ratio_references(axes[1, col], neighbours)
        trained = f": {iters[name]:,} generator iterations" if iters and name in iters else ""
        axes[0, col].set_title(f"{name}{trained} [{profile}]", fontsize=9)
        axes[1, col].set_xlabel("width $k$ (log scale)")
    axes[0, 0].set_ylabel("NND (higher: easier to tell from real)")
    axes[1, 0].set_ylabel("median NN distance / held-out median\n"
                          "(1: as far from the training set as new images)", fontsize=8)
    _baseline_strip(axes[0, -1], baselines, floor)
    _row_legends(axes[1, -1], axes[0, 0], axes[1, 0])
    return _stamp(fig, profile, record)


def fit_views_figure(views: Mapping[str, Any], profile: str, record: Record | None = None
                     ) -> plt.Figure:
    """The NND critic's real-side gap (left, ± the one-sided rule's z errors) and the
    memoriser's NND (right) against views per fit image, from the ``nnd_fit_views`` record
    (the book's check of its deviation from the reference's real images, not a paper figure)."""
    _require("the fit-views record", views, ["n_fit", "views", "real_gap", "real_gap_se",
                                             "real_gap_raw", "real_gap_raw_se", "nnd",
                                             "nnd_raw", "n_score"])
    z = gap_rule.z_learnt()
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.2))
    axes[0].errorbar(views["views"], views["real_gap"], z * np.asarray(views["real_gap_se"]),
                     fmt="o-", capsize=3, label="EMA critic (scored)")
    axes[0].errorbar(views["views"], views["real_gap_raw"],
                     z * np.asarray(views["real_gap_raw_se"]), fmt="s--", capsize=3,
                     label="raw critic")
    axes[0].axhline(0, color="k", lw=0.6)
    axes[0].set_yscale("symlog", linthresh=1)
    axes[0].set_ylabel(f"real-side gap (± {z:.2f} SE,\nthe one-sided {gap_rule.ALPHA} rule)")
    axes[0].legend(fontsize=7)
    axes[1].plot(views["views"], views["nnd"], "o-", label="EMA critic (scored)")
    axes[1].plot(views["views"], views["nnd_raw"], "s--", label="raw critic")
    axes[1].set_ylabel(f"NND of the memoriser\n(held-out {views['n_score']:,} images)")
    axes[1].legend(fontsize=7)
    for ax in axes:
        ax.set_xscale("log")
        ax.set_xlabel("views per fit image (fit images: "
                      + ", ".join(f"{int(n):,}" for n in views["n_fit"]) + ")", fontsize=8)
    return _stamp(fig, profile, record)


def crossover_figure(pairs: Mapping[str, Sequence[CrossedPair]], profile: str,
                     record: Record | None = None) -> plt.Figure:
    """Each critic's real-side gap a against its crossed twin's b (± 1 SE), one colour per
    source of critics (``pairs``: source -> :func:`.crossover.pairs`), with the diagonals
    that learning (b = a) and a shared offset (b = −a) move a pair along."""
    fig, ax = plt.subplots(figsize=(5.2, 4.6))
    for i, (src, ps) in enumerate(pairs.items()):
        if not all(isinstance(p, CrossedPair) for p in ps):
            raise ParameterError(f"pairs[{src!r}] must hold CrossedPair values "
                                 f"(overgan_lib.sweep.crossover.pairs)")
        ax.errorbar([p.a for p in ps], [p.b for p in ps], xerr=[p.se_a for p in ps],
                    yerr=[p.se_b for p in ps], fmt="o" if src == "baselines" else "s", ms=4,
                    capsize=2, alpha=0.8, color=f"C{i}",
                    label="baselines" if src == "baselines" else src)
    lim = 1.1 * max([abs(v) for ps in pairs.values() for p in ps for v in (p.a, p.b)] or [1])
    ax.plot([-lim, lim], [-lim, lim], ":", color="C3", lw=1,
            label="b = a: equal learning, no offset")
    ax.plot([-lim, lim], [lim, -lim], "--", color="k", lw=0.8,
            label="b = −a: shared offset, no learning")
    ax.axhline(0, color="k", lw=0.4)
    ax.axvline(0, color="k", lw=0.4)
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.set_xlabel("first gap a (fit on H1, scored on H2)")
    ax.set_ylabel("crossed gap b (fit on H2, scored on H1)")
    ax.legend(fontsize=7, loc="lower left")
    return _stamp(fig, profile, record)
