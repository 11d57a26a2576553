"""The figures every sweep chapter draws, from a sweep's configs and records.

FID against the width with seed bands (Fig. 4), FID over iterations (Fig. 5), sample grids
per width, the parameter-count table, and the verdict block; the chapters' figures, one panel
per profile shown (``*_figure``); and Fig. 1's three-panel summary of one sweep
(:func:`fig1_summary`). Chapters call these and only add prose. Run costs are in
:mod:`.cost`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from PIL import Image

from ..models import parameter_counts
from ..store import Record
from ..train import TrainConfig, grid_path
from .matrices import eval_curves, fixed_side, varied_side, width_matrix, width_name
from .summary import MIN_EVALS, Verdict

if TYPE_CHECKING:
    from .view import SweepView

SPLIT_COLOURS = {"train": "C0", "test": "C2"}


def splits_of(configs: list[TrainConfig]) -> tuple[str, ...]:
    """The splits every run of the sweep was scored on (smoke skips the test split)."""
    return configs[0].splits if configs else ("train",)


def width_label(configs: list[TrainConfig]) -> str:
    """The width axis's name: k = k_g = k_d when both grow together, else the varied side
    with the other side's fixed width (Fig. 7)."""
    name, fixed = width_name(configs), fixed_side(configs)
    if name == "k":
        return "width $k = k_g = k_d$"
    return f"width ${name}$" + (f" (${fixed[0]}$ fixed at {fixed[1]})" if fixed else "")


def plot_fid_vs_width(ax: plt.Axes, configs: list[TrainConfig], recs: list[Record | None],
                      floor: float | None = None, label: str = "") -> None:
    """FID train (and test) against the varied width: median over seeds, whiskers min..max,
    seeds as dots; the data's own FID floor at the same N as a dashed line. With both
    splits the train and test markers sit slightly left and right of each width, so
    neither hides the other when they coincide; a fixed other width is a dotted line."""
    from ..book import seed_errorbar

    splits = splits_of(configs)
    shift = {"train": 0.94, "test": 1.06} if len(splits) > 1 else {splits[0]: 1.0}
    widths = None
    for split in splits:
        k, F = width_matrix(configs, recs, f"fid_{split}")
        widths = k
        if np.isfinite(F).any():
            seed_errorbar(ax, k * shift[split], F, f"{label}FID {split}".strip(), log=False,
                          color=SPLIT_COLOURS[split])
    if floor is not None and np.isfinite(floor):
        ax.axhline(floor, ls="--", color="0.4", lw=1, label="train vs test images (floor)")
    if fixed := fixed_side(configs):
        ax.axvline(fixed[1], ls=":", color="0.5", lw=1,
                   label=f"${width_name(configs)} = {fixed[0]}$")
    ax.set_xscale("log", base=2)
    if widths is not None:
        ax.set_xticks(widths, [str(int(w)) for w in widths])
        ax.minorticks_off()
    ax.set_xlabel(f"{width_label(configs)} (log scale)")
    ax.set_ylabel("FID (lower is better)")
    ax.legend(fontsize=7, loc="best", framealpha=0.8)


def plot_fid_over_iterations(ax: plt.Axes, configs: list[TrainConfig],
                             recs: list[Record | None]) -> bool:
    """Mean FID train over the periodic evaluations, one line per width, with a band from
    the smallest to the largest seed (Fig. 5). Returns False (and draws nothing) when the
    profile recorded no periodic evaluations."""
    curves = eval_curves(configs, recs, "fid_train")
    if not curves:
        return False
    ks = sorted(curves)
    name = width_name(configs)
    name = name if name == "k" else f"${name}$"
    for i, k in enumerate(ks):
        steps, F = curves[k]
        color = plt.cm.viridis(i / max(1, len(ks) - 1))
        ax.plot(steps, F.mean(0), marker="o", ms=3, color=color, label=f"{name}={k}")
        if len(F) > 1:
            ax.fill_between(steps, F.min(0), F.max(0), color=color, alpha=0.12, lw=0)
    ax.set_xticks(sorted({int(s) for k in ks for s in curves[k][0]}))  # the evaluation steps
    ax.set_xlabel("generator iteration")
    ax.set_ylabel("FID train (mean; band: seed range)")
    ax.legend(fontsize=8, ncol=2)
    return True


# FID over training is drawn only from runs with at least this many evaluations each: the
# minimum Fig. 5's rate rules need (:data:`.summary.MIN_EVALS`). With fewer, a line through
# two points per run looks like a rate that no rule can judge, and the curve table says the same.
MIN_CURVE_EVALS = MIN_EVALS


def evals_per_run(view: SweepView) -> int:
    """FID evaluations that every completed run of ``view`` has (0 when none is stored)."""
    runs = [r for r in view.done if r["status"] == "completed"]
    return min((len(r["evals"]) for r in runs), default=0)


def planned_evals(cfg: dict) -> int:
    """FID evaluations a run of a profile's settings makes: one every ``eval_every``
    iterations (the last at the end), or one at the end."""
    every = cfg["eval_every"] or cfg["iters"]
    return -(-cfg["iters"] // every)


def curve_table(configs: list[TrainConfig], recs: list[Record | None]) -> str:
    """Markdown: mean FID train at the first and the last periodic evaluation per width,
    with the change and the seed range at the last one (what Fig. 5's lines show)."""
    curves = eval_curves(configs, recs, "fid_train")
    if not curves:
        return ""
    rows = ["| width | first evaluation | last evaluation | change | seed range at the last |",
            "|---:|---:|---:|---:|---:|"]
    for k in sorted(curves):
        steps, F = curves[k]
        a, b = F[:, 0].mean(), F[:, -1].mean()
        rows.append(f"| {k} | {a:.1f} (iteration {int(steps[0]):,}) | {b:.1f} (iteration "
                    f"{int(steps[-1]):,}) | {b - a:+.1f} | {F[:, -1].min():.1f} to "
                    f"{F[:, -1].max():.1f} |")
    return "\n".join(rows)


def draw_sample_grids(axes, configs: list[TrainConfig], recs: list[Record | None],
                      profile: str, seed: int) -> None:
    """The first seed's 8x8 sample grid per width, one axis each (large enough to see)."""
    side = varied_side(configs)
    chosen = [(c, r) for c, r in zip(configs, recs, strict=True)
              if r is not None and c.seed == seed]
    for ax, (c, r) in zip(axes, chosen, strict=False):
        path = grid_path(c, profile)
        if path.exists():
            ax.imshow(Image.open(path))
        else:
            ax.text(0.5, 0.5, r["message"] or "no samples", ha="center", va="center",
                    color="red", transform=ax.transAxes)
        label = "k" if c.k_g == c.k_d else f"${side}$"
        ax.set_title(f"{label}={getattr(c, side)} [{profile}]", fontsize=10)
        ax.set_axis_off()


def parameter_table(configs: list[TrainConfig],
                    profiles: dict[tuple[int, int], list[str]] | None = None) -> str:
    """Markdown table of the parameter counts of G and D at every (k_g, k_d) of ``configs``;
    ``profiles`` (optional) names, per pair, the profiles whose grid contains it."""
    c0 = configs[0]
    from ..data import CARDS

    card = CARDS[c0.dataset]
    head = "| $k_g$ | $k_d$ | parameters of $G$ | parameters of $D$ |"
    rule = "|---:|---:|---:|---:|"
    if profiles is not None:
        head, rule = head + " profiles |", rule + "---|"
    rows = [head, rule]
    for kg, kd in sorted({(c.k_g, c.k_d) for c in configs}):
        g = parameter_counts(c0.arch, [kg], size=card.resolution, channels=card.channels)[kg][0]
        d = parameter_counts(c0.arch, [kd], size=card.resolution, channels=card.channels)[kd][1]
        extra = f" {', '.join(profiles.get((kg, kd), []))} |" if profiles is not None else ""
        rows.append(f"| {kg} | {kd} | {g:,} | {d:,} |{extra}")
    return "\n".join(rows)


def verdicts_markdown(profile: str, verdicts: list[Verdict]) -> str:
    """The verdict block a chapter ends with, labelled with the profile."""
    return (f"**Verdicts at profile `{profile}`:**\n\n"
            + "\n".join(v.markdown() for v in verdicts))


# One panel per shown profile (the chapters' figures): stored runs are drawn, a sweep with
# none names the command that produces it, so a {glue:figure} never dangles.
def _pending_axis(ax: plt.Axes, view: SweepView) -> None:
    ax.text(0.5, 0.5, f"pending:\n{view.command}", ha="center", va="center", fontsize=9,
            transform=ax.transAxes)
    ax.set_axis_off()


def _panels(by_profile: dict[str, SweepView], profile: str) -> list[SweepView]:
    """The profiles drawn side by side: those with stored runs, else the executed one."""
    return [v for v in by_profile.values() if v.done] or [by_profile[profile]]


def _finish(fig: plt.Figure, shown: list[SweepView], profile: str) -> plt.Figure:
    from ..book import label_profile

    done = [v for v in shown if v.done]
    label_profile(fig, "+".join(v.profile for v in done) or profile,
                  done[0].done[0] if done else None)
    return fig


def _profile_panels(by_profile: dict[str, SweepView], profile: str, height: float,
                    draw) -> plt.Figure:
    """One panel per shown profile: ``draw(ax, view)`` where runs are stored, else a
    pending panel naming the command."""
    shown = _panels(by_profile, profile)
    fig, axes = plt.subplots(1, len(shown), figsize=(5.2 * len(shown), height), squeeze=False)
    for ax, v in zip(axes[0], shown, strict=True):
        if v.done:
            draw(ax, v)
        else:
            _pending_axis(ax, v)
    return _finish(fig, shown, profile)


def fid_vs_width_figure(name: str, by_profile: dict[str, SweepView], profile: str
                        ) -> plt.Figure:
    """Fig. 4: FID train/test against the width, one panel per profile, floor line."""

    def draw(ax: plt.Axes, v: SweepView) -> None:
        plot_fid_vs_width(ax, v.configs, v.recs, v.floor)
        ax.set_title(f"{name}: {v.cfg['iters']:,} iterations, N={v.cfg['eval_n']:,} "
                     f"[{v.profile}]", fontsize=9)

    return _profile_panels(by_profile, profile, 3.8, draw)


def fid_over_iterations_figure(name: str, by_profile: dict[str, SweepView], profile: str
                               ) -> plt.Figure:
    """Fig. 5: mean FID train over training, one line per width."""

    def draw(ax: plt.Axes, v: SweepView) -> None:
        if not plot_fid_over_iterations(ax, v.configs, v.recs):
            ax.text(0.5, 0.5, "no periodic FID at this profile", ha="center",
                    transform=ax.transAxes)
        ax.set_title(f"{name} [{v.profile}]", fontsize=9)

    return _profile_panels(by_profile, profile, 3.6, draw)


def samples_figure(name: str, by_profile: dict[str, SweepView], profile: str, seed: int
                   ) -> plt.Figure:
    """Fig. 1: the first seed's samples at every width, one row per profile shown."""
    shown = _panels(by_profile, profile)
    cols = max(len(v.cfg["widths"]) for v in shown)
    fig, axes = plt.subplots(len(shown), cols, figsize=(3.3 * cols, 3.6 * len(shown)),
                             squeeze=False)
    for row, v in zip(axes, shown, strict=True):
        for ax in row:
            ax.set_axis_off()
        if not v.done:
            _pending_axis(row[0], v)
            continue
        draw_sample_grids(row, v.configs, v.recs, v.profile, seed)
    return _finish(fig, shown, profile)


# Fig. 1: the paper's summary panel (FID against k, samples of a narrow and a wide model, FID
# over training) drawn from one sweep at one profile.
def sample_ends(view: SweepView, seed: int) -> list[tuple[TrainConfig, Record]]:
    """The stored runs whose sample grids Fig. 1 shows: the narrowest and the widest varied
    width with a stored run (one width if only one is stored), each the ``seed`` run where
    it is stored, else the lowest stored seed."""
    side = varied_side(view.configs)
    stored = [(c, r) for c, r in zip(view.configs, view.recs, strict=True) if r is not None]
    widths = sorted({getattr(c, side) for c, _ in stored})
    ends = sorted({widths[0], widths[-1]}) if widths else []
    return [min(((c, r) for c, r in stored if getattr(c, side) == w),
                key=lambda cr: (cr[0].seed != seed, cr[0].seed)) for w in ends]


def _grid_image(c: TrainConfig, r: Record, profile: str) -> np.ndarray | str:
    """A run's stored sample grid as an RGB array, or the reason there is none."""
    path = grid_path(c, profile)
    if not path.exists():
        return r["message"] or "no samples"
    return np.asarray(Image.open(path).convert("RGB"))


def _draw_sample_pair(ax: plt.Axes, view: SweepView, seed: int) -> None:
    """The narrow and the wide model's grids side by side in one panel, each labelled."""
    ax.set_axis_off()
    name = width_name(view.configs)
    side = varied_side(view.configs)
    grids = [(getattr(c, side), c.seed, _grid_image(c, r, view.profile))
             for c, r in sample_ends(view, seed)]
    shape = next((g.shape for _, _, g in grids if not isinstance(g, str)), (274, 274, 3))
    gap = np.full((shape[0], shape[1] // 12, 3), 255, np.uint8)
    tiles = []
    for i, (w, _seed, g) in enumerate(grids):
        x0 = sum(t.shape[1] for t in tiles)
        if isinstance(g, str):  # a diverged run has no grid: say why in its place
            ax.text(x0 + shape[1] / 2, shape[0] / 2, g, ha="center", va="center",
                    color="red", fontsize=8, wrap=True)
            g = np.full(shape, 255, np.uint8)
        label = f"{name}={w}" if name == "k" else f"${name}$={w}"
        ax.text(x0 + shape[1] / 2, -6, label, ha="center", va="bottom", fontsize=10)
        tiles += [g] if i == 0 else [gap, g]
    if tiles:
        ax.imshow(np.concatenate(tiles, axis=1))
        seeds = sorted({s for _, s, _ in grids})
        ax.set_title(f"samples (seed {', '.join(map(str, seeds))}, fixed noise) "
                     f"[{view.profile}]", fontsize=9, pad=18)


def fig1_summary(view: SweepView, profile: str, seed: int = 0) -> plt.Figure:
    """Fig. 1 from one sweep (the paper's: DCGAN on CIFAR-10): FID train/test against the
    width with the seed spread and the floor line (left), the first seed's samples at the
    narrowest and the widest stored width (middle), and mean FID train over training, one
    line per width (right; only with :data:`MIN_CURVE_EVALS` evaluations per run, as the
    chapters' curve figures). A sweep with no stored run draws a pending panel."""
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.4), width_ratios=[1, 1.5, 1])
    if not view.done:
        for ax in axes:
            ax.set_axis_off()
        _pending_axis(axes[1], view)
        return _finish(fig, [view], profile)
    plot_fid_vs_width(axes[0], view.configs, view.recs, view.floor)
    axes[0].set_title(f"final FID: {view.cfg['iters']:,} iterations, N={view.cfg['eval_n']:,}"
                      f" [{view.profile}]", fontsize=9)
    _draw_sample_pair(axes[1], view, seed)
    # like the chapters' curve figures: fewer points per run would look like a rate
    n = evals_per_run(view)
    if n < MIN_CURVE_EVALS or not plot_fid_over_iterations(axes[2], view.configs, view.recs):
        axes[2].text(0.5, 0.5, f"{n} FID evaluation{'s' if n != 1 else ''} per run: "
                     f"no curve\n(a curve needs {MIN_CURVE_EVALS})", ha="center",
                     transform=axes[2].transAxes)
        axes[2].set_axis_off()
    axes[2].set_title(f"FID over training [{view.profile}]", fontsize=9)
    fig.tight_layout()
    return _finish(fig, [view], profile)
