"""The rules for claims about converged models: Fig. 4's plateau and generalisation gap,
Fig. 3's uptick and Fig. 7's drop beyond the fixed width.

None is judged on models far from the data (:func:`.far_from_data`), nor on runs still
learning at the end (:func:`.settled.still_learning`, applied by
:func:`overgan_lib.sweep.claims.sweep_verdicts`): the paper judges converged models.

The plateau and the gap are claims that a difference is *small*, so they are judged against a
stated effect size, :data:`PRACTICAL_MARGIN` of what widening buys (not against the seed
spread alone, which a precise sweep shrinks until any real but negligible gain "contradicts"
a plateau, and a noisy one inflates until anything passes): a difference counts as small
when one-sided tests at level ALPHA show it is inside the margin (an equivalence test, two
one-sided Welch tests), as large when they show it is beyond the margin, and otherwise the
data cannot tell (not reproduced). A noisier sweep therefore confirms *less* easily.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from ..significance import detectable_difference, fmt_p, p_pair, welch_greater
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
    welch_outcome,
)

# The effect size below which a change in FID counts as no change, as a fraction of what
# widening buys: the fall of mean FID (train) from the sweep's narrowest width to the
# saturation width (plateau) or to its best width (gap). On a figure whose FID axis spans
# that fall, as Fig. 4's do, a tenth of it is a barely visible step, which is what "saturates"
# and "does not grow" can mean for a plot read by eye. A choice, not the paper's (it states no
# tolerance); the evidence prints the margin in FID points.
PRACTICAL_MARGIN = 0.1


def _widths(k: np.ndarray) -> str:
    return ", ".join(str(int(x)) for x in k)


def saturates_beyond(k: np.ndarray, F: np.ndarray, at: int, floor: float | None = None
                     ) -> Verdict:
    """A plateau beyond ``at`` (Fig. 4), judged against the practical margin
    δ = :data:`PRACTICAL_MARGIN` × (mean FID at the narrowest width − mean FID at ``at``).
    Confirmed when every narrower width is worse than ``at`` by more than δ and every wider
    width is within ±δ of it, each shown by one-sided Welch tests at level ALPHA (for the
    wider widths both sides: an equivalence test); contradicted when a wider width is better
    than ``at`` by more than δ by the same test (FID still falling); otherwise not reproduced.
    Not judged far from the data."""
    claim = f"FID saturates beyond k={at}"
    if at not in k or k[-1] <= at:
        return Verdict(claim, NOT_TESTABLE, f"k={at} and a wider model are not both in the "
                                            f"sweep ({_widths(k)}).")
    if far := far_from_data(F, floor):
        return Verdict(claim, NOT_TESTABLE, far)
    if one_seed(F, *range(len(k))):
        return Verdict(claim, NOT_TESTABLE, ONE_SEED)
    mean = np.nanmean(F, 1)
    i = int(np.where(k == at)[0][0])
    margin = PRACTICAL_MARGIN * max(float(mean[0] - mean[i]), 0.0)
    # narrower widths worse by more than the margin; wider ones inside ±margin, or better
    # by more than it
    p_steep = max(welch_greater(F[j] - margin, F[i]) for j in range(i))
    p_flat = max(max(welch_greater(F[i] + margin, F[j]), welch_greater(F[j] + margin, F[i]))
                 for j in range(i + 1, len(k)))
    p_falling = min(welch_greater(F[i] - margin, F[j]) for j in range(i + 1, len(k)))
    outcome = (CONFIRMED if p_steep < ALPHA and p_flat < ALPHA else
               CONTRADICTED if p_falling < ALPHA else NOT_REPRODUCED)
    return Verdict(claim, outcome,
                   f"Mean FID {mean[0]:.1f} at k={int(k[0])}, {mean[i]:.1f} at k={at}; wider: "
                   + ", ".join(f"{mean[j]:.1f} (k={int(k[j])})" for j in range(i + 1, len(k)))
                   + f"; practical margin {margin:.1f} FID ({PRACTICAL_MARGIN:.0%} of the fall "
                     f"to k={at}). One-sided Welch p (largest over the widths) that every "
                     f"narrower width is worse by more than the margin: {fmt_p(p_steep)}; that "
                     f"every wider one is within it: {fmt_p(p_flat)}; smallest p that a wider "
                     f"one is better by more than it: {fmt_p(p_falling)}.")


def _negative_gaps(gap: np.ndarray) -> str:
    """'; FID test below FID train in n of m runs' when any run has a negative gap."""
    ok = np.isfinite(gap)
    neg = int((gap[ok] < 0).sum())
    return f"; FID test below FID train in {neg} of {int(ok.sum())} runs" if neg else ""


def gap_does_not_grow(k: np.ndarray, F_train: np.ndarray, F_test: np.ndarray,
                      floor: float | None = None, name: str = "k") -> Verdict:
    """FID test - FID train (the generalisation gap) does not grow with k (Fig. 4).

    Fits a line to every run's gap against log2 k (least squares over the runs) and judges
    its rise over the sweep's range against the practical margin δ =
    :data:`PRACTICAL_MARGIN` × (mean FID train at the narrowest width − the best width's):
    confirmed when the one-sided (1 − ALPHA) upper confidence bound of the rise is at most δ
    and test is above train at every width; contradicted when the lower bound exceeds δ; in
    between (the data cannot tell): not reproduced. Not judged far from the data: there the
    gap reflects the two fixed reference sets. ``name``: the varied width's name (k, k_d or
    k_g).
    """
    claim = f"FID test stays above FID train and the gap does not grow with {name}"
    gap = F_test - F_train
    if not np.isfinite(gap).any(axis=1).all():
        return Verdict(claim, NOT_TESTABLE, "FID test was not computed at this profile.")
    mean = np.nanmean(gap, 1)
    ends = (f"Gap {mean[0]:.2f} at {name}={int(k[0])}, {mean[-1]:.2f} at "
            f"{name}={int(k[-1])}")
    if far := far_from_data(F_train, floor):
        return Verdict(claim, NOT_TESTABLE, f"{ends}{_negative_gaps(gap)}. " + far)
    if one_seed(gap, *range(len(k))) or len(k) < 2:
        return Verdict(claim, NOT_TESTABLE, f"{ONE_SEED} (or a single width).")
    rise, low, high = _fitted_rise(k, gap)
    train = np.nanmean(F_train, 1)
    margin = PRACTICAL_MARGIN * max(float(train[0] - np.nanmin(train)), 0.0)
    above = bool(np.all(mean > 0))
    outcome = (CONFIRMED if high <= margin and above else CONTRADICTED if low > margin
               else NOT_REPRODUCED)
    return Verdict(claim, outcome,
                   f"{ends}; fitted rise over the range {rise:.2f} ({1 - ALPHA:.0%} one-sided "
                   f"bounds {low:.2f} and {high:.2f}) vs the practical margin {margin:.2f} "
                   f"({PRACTICAL_MARGIN:.0%} of the fall of mean FID train from {name}="
                   f"{int(k[0])} to the best width); test "
                   f"{'above' if above else 'not always above'} train{_negative_gaps(gap)}.")


def _fitted_rise(k: np.ndarray, M: np.ndarray) -> tuple[float, float, float]:
    """The least-squares line through every finite run of ``M`` (widths x seeds) against
    log2 k: its rise over the sweep's range and the one-sided (1 − ALPHA) lower and upper
    confidence bounds of that rise (Student's t, runs − 2 degrees of freedom)."""
    x = np.broadcast_to(np.log2(np.asarray(k, float))[:, None], M.shape)
    ok = np.isfinite(M)
    x, y = x[ok], M[ok]
    span = float(np.log2(k[-1] / k[0]))
    xc = x - x.mean()
    sxx = float(xc @ xc)
    slope = float(xc @ (y - y.mean())) / sxx
    resid = y - y.mean() - slope * xc
    dof = len(y) - 2
    se = float(np.sqrt(resid @ resid / dof / sxx)) if dof > 0 else float("inf")
    half = float(stats.t.ppf(1 - ALPHA, dof)) * se if dof > 0 else float("inf")
    return slope * span, (slope * span - half * span), (slope * span + half * span)


def gap_grows_between(k: np.ndarray, F_train: np.ndarray, F_test: np.ndarray, lo: int,
                      hi: int, floor: float | None = None) -> Verdict:
    """Fig. 3's suggested cause of its uptick: "potentially due to an increased generalization
    gap" from k = ``lo`` to k = ``hi`` (Sec. 3). The per-seed gaps FID test - FID train at
    ``hi`` against those at ``lo`` by Welch's one-sided test (p < ALPHA; contradicted when the
    gap shrinks). The paper offers it as a possibility, not a finding. A growing gap is
    necessary for the explanation, not proof of it (a gap, test minus train, can raise FID
    test but not FID train, which the uptick rule reads), so *confirmed* means consistent.
    Not testable when either width or FID test is missing, with one seed, or far from the
    data (like the gap rule, :func:`gap_does_not_grow`).
    """
    claim = f"The generalisation gap grows from k={lo} to k={hi} (the paper's possible cause)"
    gap = F_test - F_train
    if not np.isfinite(gap).any():
        return Verdict(claim, NOT_TESTABLE, "FID test was not computed at this profile.")
    return _between_widths(claim, k, gap, lo, hi, F_train, floor, "Mean gap", ".2f",
                           ("grows", "shrinks"), _negative_gaps)


def worse_beyond_fixed(k: np.ndarray, F: np.ndarray, fixed: int,
                       floor: float | None = None, name: str = "k",
                       paper_fixed: int | None = None) -> Verdict:
    """Fig. 7 (App. C): widening one network beyond the other's (fixed) width "leads to a
    slight drop in performance": FID at the widest varied width above FID at k = fixed
    (Welch, one-sided p < ALPHA); contradicted when it is below. When neither direction is
    significant the verdict is :data:`.INCONCLUSIVE`, not "not reproduced": the paper calls
    the drop slight and gives it no size, so there is no margin for a test of equivalence,
    and a few seeds on one width step cannot tell a slight drop from none; the evidence then
    gives the drop the test would find with 80% power at these seeds' spread
    (:func:`..significance.detectable_difference`). A claim about converged models, like the
    plateau, so not judged far from the data. ``name``: the varied side (k_d or k_g), so the
    fixed side is the other; ``paper_fixed``: the paper's fixed width (its default, 128 for
    the ResNet), named in the evidence when this profile's differs."""
    other = {"k_d": "k_g", "k_g": "k_d"}.get(name, "the other width")
    claim = f"FID gets slightly worse once {name} exceeds the fixed {other}={fixed}"
    wider = np.where(k > fixed)[0]
    if fixed not in k or not wider.size:
        return Verdict(claim, NOT_TESTABLE, f"k={fixed} and a wider varied width are not both "
                                            f"in the sweep ({_widths(k)}).")
    i, j = int(np.where(k == fixed)[0][0]), int(wider[-1])
    if one_seed(F, i, j):
        return Verdict(claim, NOT_TESTABLE, ONE_SEED)
    outcome, p_worse, p_better = welch_outcome(F[j], F[i])
    mean = np.nanmean(F, 1)
    evidence = (f"Mean FID {mean[i]:.1f} at {name}={fixed} → {mean[j]:.1f} at {name}={int(k[j])} "
                f"(Welch one-sided p = {p_pair(p_worse, p_better, 'worse', 'better')}).")
    if paper_fixed is not None and paper_fixed != fixed:
        evidence += (f" The paper holds {other} at its default {paper_fixed}; this profile at "
                     f"{fixed}.")
    if far := far_from_data(F, floor):
        return Verdict(claim, NOT_TESTABLE, f"{evidence} {far}")
    if outcome == NOT_REPRODUCED:
        n_i, n_j = (int(np.isfinite(F[r]).sum()) for r in (i, j))
        drop = detectable_difference(F[j], F[i], ALPHA)
        outcome = INCONCLUSIVE
        evidence += (f" Neither direction is significant. With {n_i} and {n_j} seeds, a drop "
                     f"would need to be about {drop:.1f} FID points for this test to find it "
                     f"4 times in 5 (80% power at these seeds' spread); the paper calls the "
                     f"drop slight and gives no size, so this cannot tell a slight drop from "
                     f"none.")
    return Verdict(claim, outcome, evidence)


def uptick_between(k: np.ndarray, F: np.ndarray, lo: int, hi: int,
                   floor: float | None = None) -> Verdict:
    """Fig. 3's claim: FID gets marginally *worse* from k = ``lo`` to k = ``hi`` (the paper:
    1024 to 2048), by Welch's one-sided test (p < ALPHA; contradicted when it gets better).
    Not testable when either width is missing from the sweep, or when the models are far
    from the data: the paper attributes the rise to a growing generalisation gap, a claim
    about converged models."""
    claim = f"FID rises slightly from k={lo} to k={hi}"
    return _between_widths(claim, k, F, lo, hi, F, floor, "Mean FID", ".1f", ("worse", "better"))


def _between_widths(claim: str, k: np.ndarray, M: np.ndarray, lo: int, hi: int,
                    F: np.ndarray, floor: float | None, label: str, fmt: str,
                    words: tuple[str, str], note=None) -> Verdict:
    """The two-width rules' body: rows ``M`` at k = ``hi`` against k = ``lo`` by Welch's
    one-sided test (``words``: the claimed direction, then the other), not testable when a
    width is missing, with one seed, or when the FIDs ``F`` are far from the data;
    ``note(M[[i, j]])`` appends to the evidence."""
    if lo not in k or hi not in k:
        return Verdict(claim, NOT_TESTABLE, f"k={lo} and k={hi} are not both in the sweep "
                                            f"({_widths(k)}).")
    i, j = int(np.where(k == lo)[0][0]), int(np.where(k == hi)[0][0])
    if one_seed(M, i, j):
        return Verdict(claim, NOT_TESTABLE, ONE_SEED)
    mean = np.nanmean(M, 1)
    outcome, p_for, p_against = welch_outcome(M[j], M[i])
    evidence = (f"{label} {mean[i]:{fmt}} → {mean[j]:{fmt}} (Welch one-sided p = "
                f"{p_pair(p_for, p_against, *words)}){note(M[[i, j]]) if note else ''}.")
    if far := far_from_data(F, floor):
        return Verdict(claim, NOT_TESTABLE, f"{evidence} {far}")
    return Verdict(claim, outcome, evidence)
