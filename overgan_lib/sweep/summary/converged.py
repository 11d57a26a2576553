"""What the rules for claims about converged models share, and Fig. 4's plateau
(:func:`saturates_beyond`). The other such rules: Fig. 4's generalisation gap (:mod:`.gap`),
Fig. 3's uptick and its possible cause and Fig. 7's drop beyond the fixed width
(:mod:`.between`).

None is judged on models far from the data (:func:`.far_from_data`), nor on runs still
learning at the end (:func:`.settled.still_learning`, applied by
:func:`overgan_lib.sweep.claims.sweep_verdicts`): the paper judges converged models.

The plateau and the gap are claims that a difference is *small*, so they are judged against a
stated effect size, :data:`PRACTICAL_MARGIN` of the FID at the width the claim is read from
(not against the seed spread alone, which a precise sweep shrinks until any real but
negligible gain "contradicts" a plateau, and a noisy one inflates until anything passes): a
difference counts as small when one-sided Welch tests at level ALPHA show it is inside the
margin, as large when they show it is beyond the margin, and otherwise the data cannot tell
(:data:`.INCONCLUSIVE`, with the difference the test could detect: no failed replication).
A noisier sweep therefore confirms *less* easily. Fig. 3's uptick and its possible cause,
which the paper gives no size, are inconclusive too when neither direction is significant.
"""

from __future__ import annotations

import numpy as np

from ..significance import POWER, detectable_difference, fmt_p, power_text, welch_greater
from .outcomes import (
    ALPHA,
    CONFIRMED,
    CONTRADICTED,
    INCONCLUSIVE,
    NOT_REPRODUCED,
    NOT_TESTABLE,
    ONE_SEED,
    Verdict,
    far_from_data,
    one_seed,
)

# The effect size below which a change in FID counts as no change: this share of the mean
# FID at the rule's reference width (FID train, but FID test for Fig. 3's uptick, which is
# judged on it), the saturation width for the plateau and the gap (the best width where the
# paper names none), the paper's lower width for Fig. 3's uptick.
# Tied to the FID where the claim is read, not to what widening bought from the sweep's
# narrowest width: that fall depends on the book's grid (the paper lists no widths) and grows
# when the narrowest width is collapsed, which would excuse a real gain beyond the plateau.
# A tenth of the FID there is a step that Fig. 4's log-width plots, read by eye, would call
# flat. The book's choice, not the paper's (it states no tolerance); every verdict prints the
# margin in FID points.
PRACTICAL_MARGIN = 0.1


def widths_text(k: np.ndarray) -> str:
    """The widths of a sweep as "8, 16, 32" for the evidence."""
    return ", ".join(str(int(x)) for x in k)


def margin_at(k: np.ndarray, F: np.ndarray, at: int) -> float:
    """The practical margin in FID points at width ``at``: :data:`PRACTICAL_MARGIN` times the
    mean over its finite seeds of ``F`` (widths x seeds) there."""
    row = np.asarray(F, float)[int(np.where(np.asarray(k) == at)[0][0])]
    return PRACTICAL_MARGIN * max(float(np.mean(row[np.isfinite(row)])), 0.0)


def cannot_tell(what: str, a: np.ndarray, b: np.ndarray, margin: float | None = None) -> str:
    """The evidence an :data:`.INCONCLUSIVE` verdict adds: the difference between samples
    ``a`` and ``b`` that the one-sided Welch test finds 4 times in 5 at these seeds' spread
    (:func:`..significance.detectable_difference`), beside the margin where the rule has one."""
    n_a, n_b = (int(np.isfinite(x).sum()) for x in (a, b))
    d = detectable_difference(a, b, ALPHA)
    against = (f"; the practical margin is {margin:.1f}" if margin is not None else
               "; the paper gives it no size")
    return (f" Neither is shown, so the data cannot tell: with {n_a} and {n_b} seeds the test "
            f"finds a difference in {what} of about {d:.1f} FID points {power_text()} "
            f"({POWER:.0%} power at these seeds' spread){against}.")


def saturates_beyond(k: np.ndarray, F: np.ndarray, at: int, floor: float | None = None
                     ) -> Verdict:
    """Fig. 4's plateau, read as *flat beyond* ``at``: every wider width's FID within the
    margin δ = :data:`PRACTICAL_MARGIN` × mean FID at ``at`` (:func:`margin_at`) of the FID
    at ``at``, neither better nor worse by δ or more. The narrower widths are not tested:
    the paper's "saturate beyond k = 64" is read as "widening past 64 changes nothing", not
    as "the knee is exactly at 64" (a plateau that starts at 32 also saturates beyond 64),
    and the evidence prints their FIDs. On the gpu and paper grids "beyond" is one doubling
    (the one wider width). Confirmed when, for every wider width, one-sided Welch tests at
    level ALPHA show it is neither better nor worse than ``at`` by δ or more (two one-sided
    tests of equivalence); contradicted when one shows a wider width better by more than δ
    (FID still falling); not reproduced when one shows a wider width worse by more than δ
    (FID rises again: no plateau, though widening buys nothing); otherwise the data cannot
    tell (:data:`.INCONCLUSIVE`, with the change the test could detect). Not judged far from
    the data."""
    claim = f"FID saturates beyond k={at}"
    if at not in k or k[-1] <= at:
        return Verdict(claim, NOT_TESTABLE, f"k={at} and a wider model are not both in the "
                                            f"sweep ({widths_text(k)}).")
    if far := far_from_data(F, floor):
        return Verdict(claim, NOT_TESTABLE, far)
    i = int(np.where(k == at)[0][0])
    wider = range(i + 1, len(k))
    if one_seed(F, i, *wider):
        return Verdict(claim, NOT_TESTABLE, ONE_SEED)
    mean = np.nanmean(F, 1)
    margin = margin_at(k, F, at)
    # per wider width j, p that it is not better by the margin, and not worse by it
    p_not_better = {j: welch_greater(F[j] + margin, F[i]) for j in wider}
    p_not_worse = {j: welch_greater(F[i] + margin, F[j]) for j in wider}
    p_flat = max(max(p_not_better.values()), max(p_not_worse.values()))
    p_falling = min(welch_greater(F[i] - margin, F[j]) for j in wider)
    p_rising = min(welch_greater(F[j] - margin, F[i]) for j in wider)
    outcome = (CONTRADICTED if p_falling < ALPHA else NOT_REPRODUCED if p_rising < ALPHA
               else CONFIRMED if p_flat < ALPHA else INCONCLUSIVE)
    evidence = ("Mean FID " + ", ".join(f"{mean[j]:.1f} (k={int(k[j])})" for j in range(i))
                + f" narrower (not tested: the claim is read as no change beyond k={at}); "
                f"{mean[i]:.1f} at k={at}; wider: "
                + ", ".join(f"{mean[j]:.1f} (k={int(k[j])})" for j in wider)
                + f"; practical margin {margin:.1f} FID ({PRACTICAL_MARGIN:.0%} of the FID at "
                  f"k={at}). One-sided Welch p (largest over the wider widths and both "
                  f"directions) that each is within the margin: {fmt_p(p_flat)}; smallest p "
                  f"that one is better by more than it: {fmt_p(p_falling)}; worse by more than "
                  f"it: {fmt_p(p_rising)}.")
    if outcome == NOT_REPRODUCED:
        evidence += (f" FID rises beyond k={at} by more than the margin: widening buys "
                     f"nothing there, but FID does not level off.")
    if outcome == INCONCLUSIVE:
        j = max(wider, key=lambda j: max(p_not_better[j], p_not_worse[j]))
        evidence += cannot_tell(f"FID from k={at} to k={int(k[j])}", F[j], F[i], margin)
        if np.isfinite(n := flatness_seeds(F[j], F[i], margin)):
            evidence += (f" Showing a truly flat FID within the margin (both one-sided tests) "
                         f"{power_text()} would take about {n:.0f} seeds per width at these "
                         f"seeds' spread.")
    return Verdict(claim, outcome, evidence)


def flatness_seeds(a: np.ndarray, b: np.ndarray, margin: float) -> float:
    """Seeds per width with which the two one-sided tests of :func:`saturates_beyond` show
    two truly equal widths within ``margin`` with 80% power, at the spread of samples ``a``
    and ``b`` (normal approximation: the standard error of the difference must be below
    margin / (z_(1-ALPHA) + z_0.9), the 0.9 because either test may fail); NaN without a
    spread or a margin."""
    from scipy import stats

    a, b = (np.asarray(x, float)[np.isfinite(x)] for x in (a, b))
    if len(a) < 2 or len(b) < 2 or margin <= 0:
        return float("nan")
    var = float(np.var(a, ddof=1) + np.var(b, ddof=1))
    z = float(stats.norm.ppf(1 - ALPHA) + stats.norm.ppf(0.9))
    return float(np.ceil(max(2.0, var * (z / margin) ** 2)))
