"""Helpers every chapter uses: parameter checks, plotting style, profile labels, glue.

Chapters stay free of library code: they call :func:`chapter_settings` once, plot with
Matplotlib, finish every figure with :func:`label_profile`, and quote numbers in the
prose only through :func:`glue`.
"""

from __future__ import annotations

import os
import warnings
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import torch

from .errors import ParameterError, check_int
from .profiles import check_profile, settings
from .provenance import (  # noqa: F401  (chapters call them as ob.*)
    DEPENDS,
    code_changed_since,
    provenance_note,
    provenance_status,
    show_provenance,
)
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
    """Stamp the profile (and the result's git sha) under a figure's lower right corner.

    Call it last: the stamp goes below everything already drawn (axis labels, colour bars,
    legends), so it never overlaps them; ``savefig.bbox = "tight"`` keeps it in the image.
    """
    text = f"profile: {profile}"
    if record is not None:
        text += f" · {record.provenance.get('git_sha', '?')[:8]}"
    fig.draw_without_rendering()  # runs constrained/tight layouts so the bbox is final
    bbox = fig.get_tightbbox(fig.canvas.get_renderer())  # inches, everything drawn so far
    bottom = bbox.y0 / fig.get_figheight()
    right = bbox.x1 / fig.get_figwidth()
    fig.text(right, bottom - 0.01, text, ha="right", va="top", fontsize=7, color="0.35",
             family="monospace")
    return fig


# Set by the Makefile around papermill: the executed notebook feeds the built book, where
# glued figures and numbers appear in the prose, so they are not shown a second time in the
# cells' outputs.
BOOK_BUILD = "OVERGAN_BOOK_BUILD"


def reading_interactively() -> bool:
    """A reader's own kernel (JupyterLab, a notebook server), not the book's build: there the
    prose's ``{glue:...}`` roles stay unfilled, so :func:`glue` and :func:`glue_figure` show
    what they store in the cell's output instead."""
    if os.environ.get(BOOK_BUILD) == "1":
        return False
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return get_ipython() is not None


def glue_figure(name: str, fig: plt.Figure) -> None:
    """Store a finished figure for a ``{glue:figure}`` directive (numbered, captioned) and
    close it, so it is shown once, where the prose places it (in a reader's own kernel it is
    shown in the cell's output, where the unbuilt prose cannot: :func:`reading_interactively`)."""
    if reading_interactively():
        from IPython.display import display

        display(fig)
    try:
        from myst_nb import glue as _glue
    except ImportError:
        plt.close(fig)
        return
    _glue(name, fig, display=False)
    plt.close(fig)


def plain_text(text: str) -> str:
    """``text`` without the Markdown marks a ``{glue:text}`` paste would show literally: code
    backticks and bold asterisks (library functions that also write Markdown tables use them)."""
    return text.replace("**", "").replace("`", "")


def glue(name: str, value: Any, fmt: str | None = None) -> None:
    """Store ``value`` for the prose ({glue:text}`name`) without displaying it (in a reader's
    own kernel it is printed as ``name: value``, since the unbuilt prose shows the role).

    ``fmt`` formats numbers into a string first, so the text shows what was computed.
    Returns None so that a trailing call never echoes into the cell output.
    """
    if isinstance(value, np.generic | torch.Tensor):
        value = value.item()  # numpy 2 reprs (np.float64(...)) would defeat format specs
    shown = format(value, fmt) if fmt is not None else value
    if isinstance(shown, str):  # {glue:text} pastes plain text: Markdown marks would show as is
        shown = plain_text(shown)
    if reading_interactively():  # the prose's {glue:text}`name` is not filled in there
        print(f"{name}: {shown}")
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


def seed_band(Y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median, minimum and maximum over seeds (Y: points x seeds), ignoring non-finite seeds."""
    Y = np.where(np.isfinite(np.asarray(Y, dtype=float)), Y, np.nan)
    with np.errstate(all="ignore"):
        return np.nanmedian(Y, 1), np.nanmin(Y, 1), np.nanmax(Y, 1)


def seed_errorbar(
    ax: plt.Axes, x: np.ndarray, Y: np.ndarray, label: str, log: bool = True,
    mean: bool = False, **kw: Any
) -> None:
    """Plot a quantity over seeds (Y: len(x) x seeds): the median, whiskers from the
    smallest to the largest seed, and the raw seeds as small dots (white-edged, beside and
    behind the median's larger marker, so they stay visible without hiding it). ``mean``:
    also the mean over the finite seeds as a hollow diamond (where verdicts compare means,
    so a reader sees where mean and median part).

    The median and the range are what the prose quotes, and unlike a (geometric) mean and
    standard deviation they stay inside the data when seeds span decades. ``log`` only
    drops non-positive values (they cannot be drawn on a log axis).
    Diverged (non-finite) seeds are drawn as red crosses at the top of the data.
    """
    Y = np.asarray(Y, dtype=float)
    x = np.asarray(x, dtype=float)
    finite = np.isfinite(Y)
    shown = np.where(finite & (Y > 0), Y, np.nan) if log else np.where(finite, Y, np.nan)
    mid, lo, hi = seed_band(shown)
    # Whiskers are drawn from their end points, not as errorbar offsets: mid - (mid - lo)
    # loses lo entirely in float64 when seeds span 30 decades (it would draw down to zero).
    (line,) = ax.plot(x, mid, marker="o", ms=5, label=label, zorder=3, **kw)
    color = line.get_color()
    ok = np.isfinite(lo) & np.isfinite(hi)
    ax.vlines(x[ok], lo[ok], hi[ok], color=color, lw=1.2)
    ax.scatter(np.r_[x[ok], x[ok]], np.r_[lo[ok], hi[ok]], marker="_", s=40, color=color, lw=1.2)
    # Seeds spread over +-4 % of x around the whisker (symmetric, so the middle seed of an
    # odd count sits under the median marker and the others beside the whisker's caps).
    n = Y.shape[1]
    jitter = 1 + 0.08 * (np.arange(n) - (n - 1) / 2) / max(n - 1, 1)
    for j in range(Y.shape[1]):
        ok = np.isfinite(shown[:, j])
        ax.scatter(x[ok] * jitter[j], Y[ok, j], s=16, color=color, alpha=0.85,
                   edgecolors="white", linewidths=0.4, zorder=2)
    if mean:
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a width with no finite seed
            avg = np.nanmean(shown, axis=1)
        ok = np.isfinite(avg)
        ax.scatter(x[ok], avg[ok], marker="D", s=30, facecolors="none", edgecolors=color,
                   linewidths=1.1, zorder=4, gid="seed-mean")  # no legend entry: captions say it
    if (~finite).any():
        bad = np.flatnonzero((~finite).any(1))
        ax.scatter(
            x[bad],
            np.full(len(bad), np.nanmax(Y[finite]) if finite.any() else 1.0),
            marker="x",
            color="red",
            label="diverged",
        )
