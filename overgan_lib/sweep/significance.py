"""The significance tests behind every verdict: Welch's t-test between two widths and
Spearman's rank trend across all runs (a permutation test: exact for a few runs, seeded Monte
Carlo beyond), and how p-values are printed."""

from __future__ import annotations

import warnings

import numpy as np
from scipy import stats

# A group statistic within this share of its bar (above or below) lies "only just" on its side:
# the chapters' critic checks (real_gap, crossover, the generalization chapter) all say so.
EDGE = 0.10
# The power at which an inconclusive verdict states the difference its test would find
# (:func:`detectable_difference`); :func:`power_text` words it for the evidence and the prose.
POWER = 0.8


def power_text(power: float = POWER) -> str:
    """``power`` as the evidence and the chapters say it: "4 times in 5" for 0.8."""
    from fractions import Fraction

    f = Fraction(power).limit_denominator(10)
    return f"{f.numerator} times in {f.denominator}"


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
    with warnings.catch_warnings():  # one constant sample: SciPy warns of precision loss
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(stats.ttest_ind(a, b, equal_var=False, alternative="greater").pvalue)


def welch_se(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(standard error, degrees of freedom) of mean(a) - mean(b) for Welch's t: the SE
    sqrt(s_a²/n_a + s_b²/n_b) (ddof 1) and the Welch–Satterthwaite degrees of freedom (NaN
    when the SE is 0). Needs two or more entries in each sample."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    se = float(np.sqrt(va + vb))
    if se == 0:
        return 0.0, float("nan")
    return se, float((va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1)))


def detectable_difference(a: np.ndarray, b: np.ndarray, alpha: float = 0.05,
                          power: float = POWER) -> float:
    """The difference of means that Welch's one-sided test at level ``alpha`` finds with
    probability ``power``, were the samples' spreads the true ones: (t_{1-alpha} + t_power)
    times the standard error sqrt(s_a²/n_a + s_b²/n_b), on the Welch–Satterthwaite degrees
    of freedom (the usual normal-shift approximation of the noncentral t). NaN with fewer
    than two finite entries in either sample; 0 for two constant samples."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if len(a) < 2 or len(b) < 2:
        return float("nan")
    se, df = welch_se(a, b)
    if se == 0:
        return 0.0
    return float((stats.t.ppf(1 - alpha, df) + stats.t.ppf(power, df)) * se)


def line_slope(x: np.ndarray, y: np.ndarray, groups: np.ndarray | None = None,
               alpha: float = 0.05) -> tuple[float, float, float]:
    """The least-squares slope of ``y`` on ``x`` (1-d, finite) and its one-sided
    (1 − ``alpha``) lower and upper confidence bounds (Student's t on n − levels − 1 degrees
    of freedom; infinite bounds without any). ``groups``: None for one line, else a label per
    point, each group its own level and all one slope (runs pooled over seeds)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if groups is None:
        xc, yc, levels = x - x.mean(), y - y.mean(), 1
    else:
        _, g = np.unique(groups, return_inverse=True)
        levels = int(g.max()) + 1
        xc = x - (np.bincount(g, x) / np.bincount(g))[g]
        yc = y - (np.bincount(g, y) / np.bincount(g))[g]
    sxx = float(xc @ xc)
    slope = float(xc @ yc) / sxx
    dof = len(y) - levels - 1
    if dof <= 0:
        return slope, -float("inf"), float("inf")
    resid = yc - slope * xc
    half = float(stats.t.ppf(1 - alpha, dof)) * float(np.sqrt(resid @ resid / dof / sxx))
    return slope, slope - half, slope + half


EXACT_UP_TO = 8  # runs up to which the rank test enumerates every permutation
PERMUTATIONS = 200_000  # seeded random permutations above that (standard error <= 0.0005)


def _null_rhos(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Spearman's rho of ranks ``x`` against permutations of ranks ``y``: every permutation
    up to :data:`EXACT_UP_TO` values, else :data:`PERMUTATIONS` seeded random ones (the same
    every call, so a verdict is reproducible)."""
    xc = x - x.mean()
    if len(y) <= EXACT_UP_TO:
        from itertools import permutations

        perms = np.array(list(permutations(y)))
        pc = perms - perms.mean(1, keepdims=True)
        return (pc @ xc) / (np.linalg.norm(pc, axis=1) * np.linalg.norm(xc))
    rng = np.random.default_rng(0)
    out, yc = [], y - y.mean()
    for start in range(0, PERMUTATIONS, 20_000):
        perms = rng.permuted(np.broadcast_to(yc, (min(20_000, PERMUTATIONS - start), len(y))),
                            axis=1)
        out.append((perms @ xc) / (np.linalg.norm(yc) * np.linalg.norm(xc)))
    return np.concatenate(out)


def rank_trend(k: np.ndarray, F: np.ndarray) -> tuple[float, float, float]:
    """Spearman's rho between width and value over every run that has a value (widths x
    seeds; NaN: no run; ±inf ranks a run beyond every finite value, e.g. a diverged one), and
    the one-sided p-values of a falling and of a rising trend, by permutation: exact (every
    permutation of the values) up to :data:`EXACT_UP_TO` runs, else from
    :data:`PERMUTATIONS` seeded random permutations. SciPy's t approximation is far off for
    a few runs with tied widths (it gives p = 0 for a perfect ranking of four runs, whose
    exact value is 1/24; 0.034 for nine runs where the exact value is 0.045)."""
    F = np.asarray(F, float)
    kk = np.broadcast_to(np.asarray(k, float)[:, None], F.shape)
    ok = ~np.isnan(F)
    if ok.sum() < 3 or len(np.unique(F[ok])) < 2 or np.ptp(kk[ok]) == 0:
        return 0.0, 1.0, 1.0
    x, y = stats.rankdata(kk[ok]), stats.rankdata(F[ok])
    rho = float(np.corrcoef(x, y)[0, 1])
    null = _null_rhos(x, y)
    eps = 1e-12
    if len(y) <= EXACT_UP_TO:
        return rho, float(np.mean(null <= rho + eps)), float(np.mean(null >= rho - eps))
    n = len(null)  # a Monte-Carlo p-value counts the observed ranking as one of the draws
    return (rho, float((np.sum(null <= rho + eps) + 1) / (n + 1)),
            float((np.sum(null >= rho - eps) + 1) / (n + 1)))
