"""Fig. 1: the paper's summary panel (FID against k, samples of a narrow and a wide model, FID
over training) drawn from one sweep at one profile."""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from PIL import Image

from ...store import Record
from ...train import TrainConfig, grid_path
from ..matrices import varied_side, width_name
from .axes import plot_fid_over_iterations, plot_fid_vs_width
from .panels import _finish, _pending_axis
from .tables import MIN_CURVE_EVALS, evals_per_run

if TYPE_CHECKING:
    from ..view import SweepView


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
