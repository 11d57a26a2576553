"""Paired comparisons of success rates over the same starts, the rule every verdict of the
chapter uses (:func:`compare_starts`), and the list of comparisons the rules make on a stored
study with what a Bonferroni correction would change (:func:`rule_comparisons`,
:func:`multiplicity`).

Every configuration runs the same starts, so the standard error is that of the mean
per-start difference (clustered by start): no independence between the runs of one start, in
either of its cells, is assumed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import ParameterError
from .starts import _SUCCESS, start_vector

#: A difference in success rate counts when it exceeds MIN_DIFF and Z standard errors.
MIN_DIFF, Z = 0.05, 2.0


def start_se(rates: np.ndarray) -> float:
    """Standard error of the mean of per-start rates (S,): clustered by start."""
    rates = np.asarray(rates, dtype=float)
    if rates.ndim != 1 or len(rates) < 2:
        raise ParameterError(f"{rates.shape} per-start rates; give a vector of at least 2 "
                             "starts")
    return float(rates.std(ddof=1) / np.sqrt(len(rates)))


def paired_difference(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(mean of b - a, its standard error) over starts, for per-start rates of the same
    starts (:func:`start_vector`)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ParameterError(f"per-start rates of shapes {a.shape} and {b.shape}; give the "
                             "same starts for both")
    diff = b - a
    return float(diff.mean()), start_se(diff)


def difference_counts(diff: float, se: float, min_diff: float = MIN_DIFF, z: float = Z) -> bool:
    """Does a mean per-start difference ``diff`` with standard error ``se`` count: beyond
    both ``min_diff`` and ``z`` standard errors (the rule of :func:`compare_starts`)?"""
    return abs(diff) > max(min_diff, z * se)


def compare_starts(a: np.ndarray, b: np.ndarray, min_diff: float = MIN_DIFF,
                   z: float = Z) -> str:
    """'higher', 'lower' or 'same': is the success rate b above or below a?

    ``a`` and ``b`` are per-start success rates over the same starts ((S,),
    :func:`start_vector`). A difference counts when the mean per-start difference exceeds
    both ``min_diff`` and ``z`` standard errors of that mean (paired over starts: the start
    effects cancel, and no independence between the runs of one start is assumed).
    """
    for name, v in (("a", a), ("b", b)):
        v = np.asarray(v, dtype=float)
        if v.size and (v.min() < 0 or v.max() > 1):
            raise ParameterError(f"{name} has rates outside [0, 1]; give per-start success "
                                 "rates")
    diff, se = paired_difference(a, b)
    if difference_counts(diff, se, min_diff, z):
        return "higher" if diff > 0 else "lower"
    return "same"


def no_significant_drop(order: list[np.ndarray]) -> bool:
    """False when a later entry is significantly below an earlier one (compare_starts)."""
    return not any(compare_starts(a, b) == "lower"
                   for i, a in enumerate(order) for b in order[i + 1:])


def rule_comparisons(R: dict[str, Any]) -> list[tuple[str, float, float]]:
    """Every paired comparison the chapter's rules make on a stored study ``R``, as (label,
    mean per-start difference, its standard error): first-order k = 2 vs the optimal
    discriminator; each width above 2 vs k = 2 and vs the optimal discriminator; every pair of
    widths k >= 2 (monotonicity); each d > 1 vs d = 1; every pair of d > 1 (monotonicity)."""
    opt = start_vector(R["opt_codes"] == _SUCCESS)
    k, d = np.asarray(R["k"]), np.asarray(R["d_steps"])
    cells = {(int(k[i]), int(d[i])): start_vector(R["fo_cell_success"][i]) for i in range(len(k))}
    pairs = [("k=2 vs optimal", opt, cells[(2, 1)])]
    ws = sorted(kk for kk, dd in cells if dd == 1 and kk >= 2)
    pairs += [(f"k={w} vs k=2", cells[(2, 1)], cells[(w, 1)]) for w in ws if w > 2]
    pairs += [(f"k={w} vs optimal", opt, cells[(w, 1)]) for w in ws if w > 2]
    pairs += [(f"k={b} vs k={a}", cells[(a, 1)], cells[(b, 1)])
              for i, a in enumerate(ws) for b in ws[i + 1:] if a > 2]  # a = 2: vs k=2 above
    ds = sorted(dd for kk, dd in cells if kk == 2 and dd > 1)
    pairs += [(f"d={x} vs d=1", cells[(2, 1)], cells[(2, x)]) for x in ds]
    pairs += [(f"d={b} vs d={a}", cells[(2, a)], cells[(2, b)])
              for i, a in enumerate(ds) for b in ds[i + 1:]]
    return [(label, *paired_difference(a, b)) for label, a, b in pairs]


def multiplicity(comparisons: list[tuple[str, float, float]], z: float = Z,
                 min_diff: float = MIN_DIFF) -> dict[str, Any]:
    """What a Bonferroni correction would change in ``comparisons`` ((label, diff, se), as
    :func:`rule_comparisons`). Each rule tests at ``z`` standard errors (two-sided level
    2 * (1 - Phi(z))) with no correction; Bonferroni over n comparisons at the same family-wise
    level needs ``z_bonferroni`` = Phi^-1(1 - (1 - Phi(z)) / n). ``counted``: labels whose
    difference counts by :func:`compare_starts`' rule; ``lost``: those of them that would not
    count at ``z_bonferroni`` (the ``min_diff`` floor applies to both)."""
    from statistics import NormalDist

    if not comparisons:
        raise ParameterError("no comparisons given; give (label, diff, se) tuples")
    nd = NormalDist()
    n = len(comparisons)
    z_b = nd.inv_cdf(1 - (1 - nd.cdf(z)) / n)
    counted = [lab for lab, diff, se in comparisons if difference_counts(diff, se, min_diff, z)]
    lost = [lab for lab, diff, se in comparisons if difference_counts(diff, se, min_diff, z)
            and not difference_counts(diff, se, min_diff, z_b)]
    return {"n": n, "z": z, "z_bonferroni": z_b, "counted": counted, "lost": lost}
