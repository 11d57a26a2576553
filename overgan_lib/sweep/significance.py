"""The significance tests behind every verdict: Welch's t-test between two widths and
Spearman's rank trend across all runs (exact for a few runs), and how p-values are printed."""

from __future__ import annotations

import numpy as np
from scipy import stats


def fmt_p(p: float) -> str:
    """A p-value to three significant figures, so 0.0502 is not printed as 0.050."""
    return f"{p:.3g}"


def p_pair(p_for: float, p_against: float, for_what: str, against_what: str) -> str:
    """Both one-sided p-values, each named by the direction it tests, so a reader never takes
    the p of the observed direction for the p of the claim."""
    return f"{fmt_p(p_for)} for {for_what}, {fmt_p(p_against)} for {against_what}"


def welch_greater(a: np.ndarray, b: np.ndarray) -> float:
    """One-sided p-value of Welch's t-test that mean(a) > mean(b) (finite entries; NaN with
    fewer than two of either). Two constant samples give 0 or 1 (the test is undefined)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if len(a) < 2 or len(b) < 2:
        return float("nan")
    if np.ptp(a) == 0 and np.ptp(b) == 0:
        return 0.0 if a[0] > b[0] else 1.0
    return float(stats.ttest_ind(a, b, equal_var=False, alternative="greater").pvalue)


EXACT_UP_TO = 8  # runs up to which the rank test enumerates every permutation


def rank_trend(k: np.ndarray, F: np.ndarray) -> tuple[float, float, float]:
    """Spearman's rho between width and value over every finite run (widths x seeds), and
    the one-sided p-values of a falling and of a rising trend: exact (every permutation of
    the values) up to :data:`EXACT_UP_TO` runs, where the usual t approximation is far off
    (it gives p = 0 for a perfect ranking of four runs; the exact value is 1/24), else
    SciPy's approximation."""
    kk = np.broadcast_to(np.asarray(k, float)[:, None], F.shape)
    ok = np.isfinite(F)
    if ok.sum() < 3 or np.ptp(F[ok]) == 0 or np.ptp(kk[ok]) == 0:
        return 0.0, 1.0, 1.0
    x, y = stats.rankdata(kk[ok]), stats.rankdata(F[ok])
    rho = float(np.corrcoef(x, y)[0, 1])
    if len(y) <= EXACT_UP_TO:
        from itertools import permutations

        perms = np.array(list(permutations(y)))
        xc, pc = x - x.mean(), perms - perms.mean(1, keepdims=True)
        null = (pc @ xc) / (np.linalg.norm(pc, axis=1) * np.linalg.norm(xc))
        eps = 1e-12
        return rho, float(np.mean(null <= rho + eps)), float(np.mean(null >= rho - eps))
    p_two = float(stats.spearmanr(x, y).pvalue)
    p_fall = p_two / 2 if rho < 0 else 1 - p_two / 2
    return rho, p_fall, 1 - p_fall
