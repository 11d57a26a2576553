"""Rates and slopes fitted to stored curves: geometric crossings, fitted against predicted
rates, log-log slopes and spreads."""

from __future__ import annotations

import numpy as np


def geometric_crossing(steps: np.ndarray, bound: np.ndarray, level: float) -> float:
    """Iteration at which a geometrically decaying ``bound`` (sampled at ``steps``) falls to
    ``level``, extrapolating log(bound) linearly in t beyond the sampled range.

    Returns inf if the bound does not decay, and the first sampled step if it starts below.
    """
    steps = np.asarray(steps, dtype=float)
    logb = np.log(np.asarray(bound, dtype=float))
    slope, icpt = np.polyfit(steps, logb, 1)
    if logb[0] <= np.log(level):
        return float(steps[0])
    if slope >= 0:
        return float("inf")
    return float((np.log(level) - icpt) / slope)


def rate_slowdown(fitted: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """How much slower a fitted per-step contraction is than a predicted one:
    1 - (1 - fitted) / (1 - predicted); 0.15 means 15% less decay per step.

    NaN (without a warning) where the prediction is no decay (``predicted`` == 1) or either
    input is NaN, e.g. at widths whose loss never reaches round-off."""
    fitted, predicted = np.asarray(fitted, dtype=float), np.asarray(predicted, dtype=float)
    decay = 1 - predicted
    ok = np.isfinite(fitted) & np.isfinite(predicted) & (decay != 0)
    out = np.full(np.broadcast(fitted, predicted).shape, np.nan)
    np.divide(1 - fitted, decay, out=out, where=ok)
    out = np.where(ok, 1 - out, np.nan)
    return out if out.ndim else out[()]


def loglog_slope(x: np.ndarray, y: np.ndarray) -> float:
    """Least-squares exponent s of y ~ c x^s (fit of log y on log x)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = np.isfinite(y) & (y > 0)
    if ok.sum() < 2:
        return float("nan")
    return float(np.polyfit(np.log(x[ok]), np.log(y[ok]), 1)[0])


def local_loglog_slopes(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Exponents between consecutive points, log(y[i+1]/y[i]) / log(x[i+1]/x[i]): how a
    power law y ~ c x^s would have to bend to pass through every point (a single
    :func:`loglog_slope` hides a curve whose exponent drifts)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return np.diff(np.log(y)) / np.diff(np.log(x))


def spread_factor(rows: np.ndarray) -> np.ndarray:
    """Per column, max / min of the rows (e.g. median final losses of several variants at
    each width): 1 means the variants are identical."""
    rows = np.asarray(rows, dtype=float)
    return rows.max(0) / rows.min(0)


def median_index(values: np.ndarray) -> int:
    """Index of a median element of ``values`` (1-d): the middle one of an odd count, the
    upper middle one of an even count, so that the median is a value some run attained."""
    v = np.asarray(values, dtype=float)
    return int(np.argsort(v, kind="stable")[len(v) // 2])
