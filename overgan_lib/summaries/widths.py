"""Width trends of the theory chapters (1 and 4): which runs converged, the medians across
widths, whether they fall, and the first width that reaches a level."""

from __future__ import annotations

import numpy as np


def falls_throughout(values: np.ndarray) -> bool | None:
    """Whether the finite entries of ``values`` (one per width in order; NaN where no run
    converged) never rise from one to the next; None with fewer than two finite entries."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    return None if v.size < 2 else bool((np.diff(v) <= 0).all())


def width_trend_words(widths: np.ndarray, meds: np.ndarray, fmt: str = ".0%") -> str:
    """How a per-width median (NaN at widths where no run converged) moves across the widths
    that have one, as a phrase the prose quotes after its first and last values: "falling at
    every step in between" (:func:`falls_throughout`), else "not monotone in between (largest,
    <value>, at k=<width>)"; "not comparable across widths" with fewer than two values."""
    falls = falls_throughout(meds)
    if falls is None:
        return "not comparable across widths (fewer than two widths with converged runs)"
    if falls:
        return "falling at every step in between"
    hi = int(np.nanargmax(np.asarray(meds, dtype=float)))
    return f"not monotone in between (largest, {meds[hi]:{fmt}}, at k={int(widths[hi])})"


ROUNDOFF_LOSS = 1e-28
"""Final losses below this are float64 round-off for a loss of order 0.1-10 (ch. 4)."""


def lowest_variant(
    rows: np.ndarray, floor: float = ROUNDOFF_LOSS, ceiling: float = np.inf
) -> tuple[np.ndarray, np.ndarray]:
    """Which variant (row) ends lowest in each column, and where that comparison means anything.

    ``rows``: median final losses, variants x widths. Returns (index of the lowest row per
    column, mask of the columns where every variant lies in (``floor``, ``ceiling``)): below the
    round-off floor the ordering of the variants is noise, so a count of "variant i ends lowest"
    should be taken over the masked columns only; ``ceiling`` (e.g. 1e-12) keeps only widths
    where every variant has converged, leaving out plateaus at an unreachable target.
    """
    rows = np.asarray(rows, dtype=float)
    return np.argmin(rows, 0), ((rows > floor) & (rows < ceiling)).all(0)


def first_width_below(widths: np.ndarray, values: np.ndarray, level: float) -> int | None:
    """The smallest width from which ``values`` (one per width) stay below ``level``."""
    below = np.asarray(values) < level
    for i in range(len(widths)):
        if below[i:].all():
            return int(widths[i])
    return None


REL_TOL = 1e-9
"""Relative tolerance for "a measured value does not exceed its bound" and for "two computations
of one quantity agree" (round-off is ~1e-16 relative; the theory chapters and the status page
share this one value)."""


CONVERGED_LOSS = 1e-12
"""A final loss (or final / initial loss) below this counts as converged (chs. 1 and 4)."""


def exceeds(value: np.ndarray, bound: np.ndarray, rel_tol: float = REL_TOL) -> np.ndarray:
    """Where ``value`` exceeds ``bound`` by more than ``rel_tol`` of |bound| (elementwise)."""
    value, bound = np.asarray(value, dtype=float), np.asarray(bound, dtype=float)
    return value > bound + rel_tol * np.abs(bound)


def first_holding(xs: np.ndarray, ok: np.ndarray) -> float | None:
    """The smallest x from which ``ok`` (one flag per x, xs increasing) holds at every later x;
    None if it fails at the last x."""
    ok = np.asarray(ok, dtype=bool)
    for i in range(len(ok)):
        if ok[i:].all():
            return float(np.asarray(xs)[i])
    return None


def converged(final: np.ndarray, initial: np.ndarray | float = 1.0,
              level: float = CONVERGED_LOSS) -> np.ndarray:
    """Where final / initial loss is below ``level`` (``initial`` = 1: the absolute loss)."""
    return np.asarray(final, dtype=float) / np.asarray(initial, dtype=float) < level


def masked_median(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per row (e.g. per width), the median of ``values`` over the columns (seeds) where
    ``mask`` holds; NaN for a row with none."""
    values, mask = np.asarray(values, dtype=float), np.asarray(mask, dtype=bool)
    return np.array([np.median(v[m]) if m.any() else np.nan
                     for v, m in zip(values, mask, strict=True)])


def width_trend(widths: np.ndarray, med: np.ndarray, m: int, floor: float = CONVERGED_LOSS
                ) -> tuple[bool | None, str]:
    """Does a median final loss per width improve with width, in a way that can fail?

    Widths below the data dimension ``m`` are left out: there zero loss is unreachable with
    probability 1 (chapter 4: the cone of V's k < m columns misses x-bar), so the loss sits at
    the NNLS floor whatever the optimiser. From the smallest width k0 >= m on, both sides
    clipped at ``floor`` (a median below it has converged; below it the order only reflects how
    far into the geometric tail a run got within T steps, Theorem 2.1's rate (eq. 4)):

    * the medians must not increase with width, and
    * the median at k0 must be unconverged and the median at the widest width converged: a
      gain from width, not from depth into the tail (at k0 = m, x-bar is in the cone of V's
      columns with probability 2^-m, chapter 4).

    Returns (True or False, reason), or (None, reason) when it cannot tell: fewer than two
    widths >= m, or every width >= m already converged (nothing left to gain at this T).
    """
    widths, med = np.asarray(widths), np.asarray(med, dtype=float)
    if widths.shape != med.shape or widths.ndim != 1:
        raise ValueError(f"widths {widths.shape} and medians {med.shape} must be equal 1-d shapes")
    start = int(np.argmax(widths >= m)) if (widths >= m).any() else len(widths)
    if len(widths) - start < 2:
        return None, f"cannot tell: fewer than two widths >= m={m}"
    conv = converged(med[start:], level=floor)
    k0, kw = int(widths[start]), int(widths[-1])
    mono = bool((np.diff(np.maximum(med[start:], floor)) <= 0).all())
    trend = (f"{'non-increasing' if mono else 'not monotone'} from k={k0} (clipped at "
             f"{floor:g})")
    if conv.all():
        return None, (f"cannot tell: every width >= m={m} converged (median < {floor:g}; "
                      f"k={k0} {med[start]:.2g}), no gain from width to see at this T")
    gain = bool(not conv[0] and conv[-1])
    why = (f"k={k0} (smallest >= m) {med[start]:.2g} "
           f"{'converged' if conv[0] else 'unconverged'} → k={kw} {med[-1]:.2g} "
           f"{'converged' if conv[-1] else 'unconverged'} (level {floor:g}); {trend}")
    return mono and gain, why
