"""Chapter 12's width readings: does a gap between two optimisers close as the networks
widen (:func:`width_claim`), and how does each optimiser's quality move with width
(:func:`quality_trend`)."""

from __future__ import annotations

import numpy as np

from ...errors import ParameterError
from .best_settings import MIN_HQ, best_spec, seed_mean, top_quality

#: How much (in fraction of samples) a quality must change between widths to count as a trend
#: (:func:`quality_trend`); the book's choice, five percentage points.
TREND_TOL = 0.05


def width_verdict(gaps: np.ndarray, tol: float, behind: str = "SGDA") -> str:
    """Does a gap (e.g. Adam's modes minus the best SGDA's) close as the width grows?

    ``gaps`` are ordered by increasing width. Returns one of

    * ``no gap`` — every gap within ``tol`` of zero;
    * ``{behind} ahead`` — no gap above ``tol`` and at least one below ``-tol`` (the
      optimiser that was expected to trail leads);
    * ``reverses`` — above ``tol`` at the smallest width, below ``-tol`` at the largest;
    * ``overtakes`` — below ``-tol`` at the smallest width, above ``tol`` at the largest (the
      optimiser expected to lead trails first, then leads);
    * ``non-monotone`` — above ``tol`` at some width and below ``-tol`` at another, otherwise
      (e.g. +, −, +);
    * ``closes`` — above tol at the smallest width, within tol at the largest;
    * ``shrinks`` (falls by more than tol but stays above it), ``widens`` (grows by more
      than tol) or ``unchanged``.
    """
    g = np.asarray(gaps, dtype=float)
    if g.ndim != 1 or len(g) < 2 or not np.isfinite(g).all():
        raise ParameterError(f"gaps={g.tolist()!r} must be >= 2 finite numbers, one per width")
    if (np.abs(g) <= tol).all():
        return "no gap"
    if (g <= tol).all():
        return f"{behind} ahead"
    if g[0] > tol and g[-1] < -tol:
        return "reverses"
    if g[0] < -tol and g[-1] > tol:
        return "overtakes"
    if (g > tol).any() and (g < -tol).any():
        return "non-monotone"
    if g[0] > tol and g[-1] <= tol:
        return "closes"
    if g[-1] < g[0] - tol:
        return "shrinks"
    if g[-1] > g[0] + tol:
        return "widens"
    return "unchanged"


def width_gaps(modes_: np.ndarray, hq: np.ndarray, names: list[str], min_hq: float = MIN_HQ,
               a: str = "adam", b: str = "sgda", max_modes: int | None = None) -> np.ndarray:
    """mean(``a``) - mean(``b``) per width from (width, spec, seed) arrays, each optimiser
    represented at each width by :func:`best_spec`; NaN where either learned nothing."""
    out = []
    for mw, qw in zip(modes_, hq, strict=True):
        ja, jb = (best_spec(mw, qw, names, n, min_hq, max_modes) for n in (a, b))
        out.append(np.nan if ja is None or jb is None else seed_mean(mw[ja]) - seed_mean(mw[jb]))
    return np.array(out)


def width_claim(modes_: np.ndarray, hq: np.ndarray, names: list[str], widths: list[int],
                tol: float, min_hq: float = MIN_HQ, a: str = "adam", b: str = "sgda",
                bar: str = "quality bar", max_modes: int | None = None) -> str:
    """The width verdict on the gap ``a`` - ``b`` (arrays width x spec x seed):
    :func:`width_verdict` of :func:`width_gaps`, or "inconclusive (below the quality bar: ...)"
    naming the optimisers and widths where no setting reached ``min_hq``. With one seed per setting
    the gaps have no spread to be judged against, and the verdict says so."""
    if len(widths) < 2:
        return "needs at least two widths"
    lost = {n: [str(k) for w, k in enumerate(widths)
                if best_spec(modes_[w], hq[w], names, n, min_hq, max_modes) is None]
            for n in (a, b)}
    if any(lost.values()):
        where = "; ".join(f"{n} at k={', '.join(ks)}" for n, ks in lost.items() if ks)
        return f"inconclusive (below the {bar}: {where}; bar {min_hq:.0%})"
    verdict = width_verdict(width_gaps(modes_, hq, names, min_hq, a, b, max_modes), tol,
                            b.upper())
    if np.asarray(modes_).shape[-1] < 2:  # e.g. MNIST's one seed
        return f"{verdict} (one seed per setting: no seed spread to judge the gaps by)"
    return verdict


def quality_by_width(quality: np.ndarray, names: list[str], name: str) -> np.ndarray:
    """Per width, the highest mean (over seeds) quality among the settings called ``name``
    (``quality``: width x spec x seed; either reading's quality)."""
    return np.array([top_quality(q, names, name) for q in np.asarray(quality, dtype=float)])


def quality_trend(values: np.ndarray, tol: float = TREND_TOL) -> str:
    """How a quality (ordered by increasing width) moves: "rises" (up by more than ``tol``
    from the first width to the last, never down by more than ``tol`` between neighbours),
    "falls" (the mirror image), "flat" (all within ``tol`` of each other) or "mixed". A rise
    (fall) with a step the other way between neighbours, within ``tol``, says so: "rises, not
    monotonically" (e.g. 24% → 35% → 30%)."""
    v = np.asarray(values, dtype=float)
    if v.ndim != 1 or len(v) < 2 or not np.isfinite(v).all():
        raise ParameterError(f"values={v.tolist()!r} must be >= 2 finite numbers, one per width")
    steps = np.diff(v)
    if v.max() - v.min() <= tol:
        return "flat"
    if v[-1] - v[0] > tol and (steps >= -tol).all():
        return "rises" + ("" if (steps >= 0).all() else ", not monotonically")
    if v[0] - v[-1] > tol and (steps <= tol).all():
        return "falls" + ("" if (steps <= 0).all() else ", not monotonically")
    return "mixed"
