"""The figures every sweep chapter draws, from a sweep's configs and records.

FID against the width with seed bands (Fig. 4), FID over iterations (Fig. 5), sample grids
per width (Fig. 1), the parameter-count table, and the verdict block. Chapters call these
and only add prose.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from PIL import Image

from ..models import parameter_counts
from ..store import Record
from ..train import TrainConfig, grid_path
from .summary import Verdict, eval_curves, varied_side, width_matrix

SPLIT_COLOURS = {"train": "C0", "test": "C2"}


def splits_of(configs: list[TrainConfig]) -> tuple[str, ...]:
    """The splits every run of the sweep was scored on (smoke skips the test split)."""
    return configs[0].splits if configs else ("train",)


def plot_fid_vs_width(ax: plt.Axes, configs: list[TrainConfig], recs: list[Record | None],
                      floor: float | None = None, label: str = "") -> None:
    """FID train (and test) against the varied width: mean over seeds, band min..max,
    seeds as dots; the data's own FID floor at the same N as a dashed line."""
    from ..book import seed_errorbar

    for split in splits_of(configs):
        k, F = width_matrix(configs, recs, f"fid_{split}")
        if np.isfinite(F).any():
            seed_errorbar(ax, k, F, f"{label}FID {split}".strip(), log=False,
                          color=SPLIT_COLOURS[split])
    if floor is not None and np.isfinite(floor):
        ax.axhline(floor, ls="--", color="0.4", lw=1, label="train vs test images (floor)")
    ax.set_xscale("log", base=2)
    ax.set_xlabel(f"width {varied_side(configs).replace('_', '_')} (log scale)")
    ax.set_ylabel("FID (lower is better)")
    ax.legend(fontsize=8)


def plot_fid_over_iterations(ax: plt.Axes, configs: list[TrainConfig],
                             recs: list[Record | None]) -> bool:
    """Mean FID train over the periodic evaluations, one line per width (Fig. 5).
    Returns False (and draws nothing) when the profile recorded no periodic evaluations."""
    curves = eval_curves(configs, recs, "fid_train")
    if not curves:
        return False
    ks = sorted(curves)
    for i, k in enumerate(ks):
        steps, F = curves[k]
        ax.plot(steps, F.mean(0), marker="o", ms=3,
                color=plt.cm.viridis(i / max(1, len(ks) - 1)), label=f"k={k}")
    ax.set_xlabel("generator iteration")
    ax.set_ylabel("FID train (mean over seeds)")
    ax.legend(fontsize=8, ncol=2)
    return True


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
        ax.set_title(f"{side}={getattr(c, side)} [{profile}]", fontsize=10)
        ax.set_axis_off()


def parameter_table(configs: list[TrainConfig]) -> str:
    """Markdown table of the parameter counts of G and D at every width of the sweep."""
    c0 = configs[0]
    from ..data import CARDS

    card = CARDS[c0.dataset]
    rows = ["| $k_g$ | $k_d$ | parameters of $G$ | parameters of $D$ |", "|---:|---:|---:|---:|"]
    for kg, kd in sorted({(c.k_g, c.k_d) for c in configs}):
        g = parameter_counts(c0.arch, [kg], size=card.resolution, channels=card.channels)[kg][0]
        d = parameter_counts(c0.arch, [kd], size=card.resolution, channels=card.channels)[kd][1]
        rows.append(f"| {kg} | {kd} | {g:,} | {d:,} |")
    return "\n".join(rows)


def verdicts_markdown(profile: str, verdicts: list[Verdict]) -> str:
    """The verdict block a chapter ends with, labelled with the profile."""
    return (f"**Verdicts at profile `{profile}`:**\n\n"
            + "\n".join(v.markdown() for v in verdicts))


def speeds(configs: list[TrainConfig], recs: list[Record | None]) -> dict[int, float]:
    """Mean measured generator iterations/s per varied width."""
    k, S = width_matrix(configs, recs, "iters_per_s")
    return {int(a): float(np.nanmean(s)) for a, s in zip(k, S, strict=True)
            if np.isfinite(s).any()}


def paper_cost_hours(its: dict[int, float], seeds: int = 5, iters: int = 300_000
                     ) -> dict[int, float]:
    """Hours one device needs per width for the paper's runs, from measured speeds."""
    return {k: seeds * iters / v / 3600 for k, v in its.items() if v > 0}
