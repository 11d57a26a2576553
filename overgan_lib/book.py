"""Helpers every chapter uses: parameter checks, plotting style, profile labels, glue.

Chapters stay free of library code: they call :func:`chapter_settings` once, plot with
Matplotlib, finish every figure with :func:`label_profile`, and quote numbers in the
prose only through :func:`glue`.
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import torch

from .errors import ParameterError, check_int
from .profiles import check_profile, settings
from .store import Record, load_or_run

STYLE = {
    "figure.figsize": (6.4, 3.8),
    "figure.dpi": 110,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 10,
    "legend.frameon": False,
    "savefig.bbox": "tight",
}


def chapter_settings(
    experiment: str, profile: str, seed: int, overrides: dict | None = None
) -> dict:
    """Validate the chapter parameters and return the experiment's settings.

    ``overrides`` (the chapters' ``overrides`` parameter) replace profile settings, e.g.
    ``{"widths": [4, 8]}``; unknown keys and bad values are rejected in one line.

    Also fixes the plotting style and seeds torch/numpy so a chapter is reproducible.
    Raises :class:`~overgan_lib.errors.ParameterError` (one line) on bad input.
    """
    check_profile(profile)
    check_int("seed", seed)
    if overrides is not None and not isinstance(overrides, dict):
        raise ParameterError(
            f"overrides={overrides!r} must be a mapping, e.g. {{'widths': [4, 8]}}")
    cfg = settings(experiment, profile, **(overrides or {}))
    mpl.rcParams.update(STYLE)
    torch.manual_seed(seed)
    np.random.seed(seed)
    return cfg


def run(experiment: str, profile: str, seed: int, cfg: dict, fn, rerun: bool = False) -> Record:
    """Load the stored result for (experiment, profile, cfg, seed) or compute and store it.

    Computed with the thread policy of :mod:`overgan_lib.threads` (one thread for the
    theory chapters' many small operations, every core for Inception features).
    """
    from .threads import for_workload, workload_of

    config = {**cfg, "seed": seed}
    with for_workload(workload_of(experiment)):
        return load_or_run(experiment, profile, config, lambda: fn(cfg, seed), seed, rerun)


def label_profile(fig: plt.Figure, profile: str, record: Record | None = None) -> plt.Figure:
    """Stamp the profile (and the result's git sha) on a figure's lower right corner."""
    text = f"profile: {profile}"
    if record is not None:
        text += f" · {record.provenance.get('git_sha', '?')[:8]}"
    fig.text(
        0.995, 0.005, text, ha="right", va="bottom", fontsize=7, color="0.35", family="monospace"
    )
    return fig


def glue(name: str, value: Any, fmt: str | None = None) -> None:
    """Store ``value`` for the prose ({glue:text}`name`) without displaying it.

    ``fmt`` formats numbers into a string first, so the text shows what was computed.
    Returns None so that a trailing call never echoes into the cell output.
    """
    if isinstance(value, np.generic | torch.Tensor):
        value = value.item()  # numpy 2 reprs (np.float64(...)) would defeat format specs
    shown = format(value, fmt) if fmt is not None else value
    try:
        from myst_nb import glue as _glue
    except ImportError:  # plain Python use of a chapter's code: nothing to paste into
        return
    _glue(name, shown, display=False)


def provenance_line(record: Record) -> str:
    """One-line provenance for display under a result."""
    p = record.provenance
    where = "stored result" if record.reused else "computed now"
    return (
        f"{where}: profile={p['profile']} seed={p['seed']} git={p['git_sha'][:8]}"
        f"{'+dirty' if p.get('git_dirty') else ''} device={p['device']} "
        f"torch={p['torch_version']} wall={p['wall_time_s']:.1f}s at {p['created_utc']}"
    )


def seed_errorbar(
    ax: plt.Axes, x: np.ndarray, Y: np.ndarray, label: str, log: bool = True, **kw: Any
) -> None:
    """Plot a quantity over seeds (Y: len(x) x seeds) with error bars and the raw seeds.

    On a log axis the centre is the geometric mean and the bars span one geometric
    standard deviation (mean +- std of log10 Y); on a linear axis, mean +- std.
    Diverged (non-finite) seeds are drawn as red crosses at the top of the axis.
    """
    Y = np.asarray(Y, dtype=float)
    x = np.asarray(x, dtype=float)
    finite = np.isfinite(Y)
    if log:
        L = np.log10(np.where(finite & (Y > 0), Y, np.nan))
        mid = np.nanmean(L, 1)
        sd = np.nanstd(L, 1)
        centre, lo, hi = 10**mid, 10**mid - 10 ** (mid - sd), 10 ** (mid + sd) - 10**mid
    else:
        centre = np.nanmean(np.where(finite, Y, np.nan), 1)
        lo = hi = np.nanstd(np.where(finite, Y, np.nan), 1)
    line = ax.errorbar(x, centre, yerr=[lo, hi], marker="o", ms=4, capsize=3, label=label, **kw)
    color = line[0].get_color()
    jitter = 1 + 0.04 * (np.arange(Y.shape[1]) - Y.shape[1] / 2) / max(Y.shape[1], 1)
    for j in range(Y.shape[1]):
        ok = finite[:, j]
        ax.scatter(x[ok] * jitter[j], Y[ok, j], s=6, color=color, alpha=0.35, lw=0)
    if (~finite).any():
        bad = np.flatnonzero((~finite).any(1))
        ax.scatter(
            x[bad],
            np.full(len(bad), np.nanmax(Y[finite]) if finite.any() else 1.0),
            marker="x",
            color="red",
            label="diverged",
        )
