"""Drawing one sweep on one matplotlib axis: FID against the width with seed bands (Fig. 4),
FID over iterations (Fig. 5) and the sample grids per width. The chapters' whole figures are
in :mod:`.panels` and :mod:`.fig1`."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from PIL import Image

from ...store import Record
from ...train import TrainConfig, grid_path
from ..matrices import eval_curves, fixed_side, varied_side, width_matrix, width_name

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
    seeds as dots, the mean (which the verdicts compare) as a hollow diamond; the data's own
    FID floor at the same N as a dashed line. With both splits the train and test markers sit
    slightly left and right of each width, so neither hides the other when they coincide; a
    fixed other width is a dotted line."""
    from ...book import seed_errorbar

    splits = splits_of(configs)
    shift = {"train": 0.94, "test": 1.06} if len(splits) > 1 else {splits[0]: 1.0}
    widths = None
    for split in splits:
        k, F = width_matrix(configs, recs, f"fid_{split}")
        widths = k
        if np.isfinite(F).any():
            seed_errorbar(ax, k * shift[split], F, f"{label}FID {split}".strip(), log=False,
                          mean=True, color=SPLIT_COLOURS[split])
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
