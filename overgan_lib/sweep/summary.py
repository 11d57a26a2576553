"""From a sweep's records to the numbers and verdicts the chapters print.

Every sweep chapter calls these, so the paper's claims are judged the same way everywhere:
``confirmed`` when a one-sided test at level :data:`ALPHA` finds the effect (Welch's t-test
between widths, Spearman's rank correlation across all runs for a trend), ``contradicted``
when it finds the opposite effect, and ``not reproduced at this budget`` when the test runs
and finds neither. ``not testable at this profile`` says the data cannot test the claim at
all (widths missing from the sweep, one seed, too few evaluations), so it is never a failed
replication. Claims about converged models (saturation, the generalisation gap) are not
tested on models whose best FID exceeds the data's own floor at the same N by more than
:data:`FAR_FROM_DATA` FID points: there the FID differences measure how far from the data a
model is, not the claim. A trend in FID with k is still judged there, but its outcome says
"far from the data": it describes the first iterations of training, not the converged models
the paper reports.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .matrices import runs_by_width
from .significance import p_pair, rank_trend, welch_greater

CONFIRMED, NOT_REPRODUCED, CONTRADICTED = ("confirmed", "not reproduced at this budget",
                                           "contradicted")
NOT_TESTABLE = "not testable at this profile"
FAR_SUFFIX = ", far from the data"  # appended to a trend outcome judged on distant models
ALPHA = 0.05  # one-sided level of every test below
# Best FID more than this many points above the floor at the same N: converged-model claims
# untested. A difference, not a ratio: FID's small-N bias (about c/N) is shared by the floor
# and by a model close to the data, so FID - floor approximates the large-N FID at any N,
# while the floor itself shrinks quickly with N (128 at N=200 on CIFAR-10; chapter 5's
# curves), so a ratio to it would call nearly every model far at N=10k. 100 points: trained
# models at the paper's scale reach FIDs of tens; the cpu models are 180 or more above.
FAR_FROM_DATA = 100.0
MIN_EVALS = 3  # evaluations per run needed to judge a rate of convergence


@dataclass(frozen=True)
class Verdict:
    """One claim of the paper, judged on one sweep at one profile."""

    claim: str
    outcome: str
    evidence: str

    def markdown(self) -> str:
        return f"- **{self.claim}**: {self.outcome}. {self.evidence}"


def far_qualified(verdict: Verdict, far: str) -> Verdict:
    """A trend verdict judged on models far from the data (``far``: the reason, from
    :func:`far_from_data` with ``trend=True``; '' when close enough): its outcome carries
    :data:`FAR_SUFFIX` and its evidence the reason. Untestable verdicts stay as they are."""
    if not far or verdict.outcome == NOT_TESTABLE:
        return verdict
    return Verdict(verdict.claim, verdict.outcome + FAR_SUFFIX, f"{verdict.evidence} {far}")


def _one_seed(F: np.ndarray, *rows: int) -> bool:
    """Fewer than two finite seeds in any of ``rows``: no spread to judge a change by."""
    return any(int(np.isfinite(F[r]).sum()) < 2 for r in rows)


ONE_SEED = "One seed per width: no seed spread to judge the change against."


def _spread(F: np.ndarray, i: int, j: int) -> float:
    """Combined seed standard deviation of rows i and j (0 with one seed)."""
    return float(np.hypot(np.nanstd(F[i]), np.nanstd(F[j])))


def welch_outcome(a: np.ndarray, b: np.ndarray) -> tuple[str, float, float]:
    """CONFIRMED when mean(a) > mean(b) (Welch, one-sided p < ALPHA), CONTRADICTED when
    mean(a) < mean(b) likewise, else NOT_REPRODUCED; with both one-sided p-values
    (a > b, then a < b)."""
    p_greater, p_less = welch_greater(a, b), welch_greater(b, a)
    outcome = (CONFIRMED if p_greater < ALPHA else CONTRADICTED if p_less < ALPHA
               else NOT_REPRODUCED)
    return outcome, p_greater, p_less


def far_from_data(F: np.ndarray, floor: float | None, trend: bool = False,
                  what: str = "trend") -> str:
    """Why converged-model claims are not testable here ('' when they are): the best mean
    FID exceeds the data's floor at the same N by more than :data:`FAR_FROM_DATA` points.
    ``trend`` words it for a ``what`` (a trend, a rate) that is still judged: what it
    describes."""
    if floor is None or not np.isfinite(floor):
        return ""
    best = float(np.nanmin(np.nanmean(F, 1)))
    if best - floor <= FAR_FROM_DATA:
        return ""
    where = (f"The best mean FID ({best:.1f}) is {best - floor:.0f} above the data's own "
             f"floor ({floor:.1f}, train vs test images at the same N)")
    if trend:
        return (f"{where}: the {what} describes these early, far-from-data models, not the "
                f"converged models the paper reports.")
    return (f"{where}: these models are far from the data, where FID differences measure "
            f"that distance rather than this claim.")


def trend_with_width(k: np.ndarray, F: np.ndarray, claim: str, rises: bool = False,
                     floor: float | None = None, name: str = "k", fmt: str = ".1f",
                     unit: str = "", label: str = "Mean") -> Verdict:
    """The trend rule: confirmed when both the narrowest and the widest width's means differ
    in the claimed direction (a fall, or with ``rises`` a rise; Welch, one-sided p < ALPHA)
    and, with three or more widths, the value moves that way with k across all runs
    (Spearman, one-sided p < ALPHA); contradicted when both find the opposite. With two
    widths the rank test would only repeat Welch's comparison, so the evidence says the
    trend rests on two widths. With ``floor``, an outcome on models far from the data
    (:func:`far_from_data`) carries :data:`FAR_SUFFIX`. ``name`` is the width's name in the
    evidence (k, or k_d / k_g when one side varies); the means are formatted with ``fmt``,
    followed by ``unit`` ("%") and introduced by ``label`` (what is averaged)."""
    mean = np.nanmean(F, 1)
    welch, p_fall_w, p_rise_w = welch_outcome(F[0], F[-1])
    rho, p_fall, p_up = rank_trend(k, F) if len(k) > 2 else (float("nan"), 0.0, 0.0)
    if rises:
        welch = {CONFIRMED: CONTRADICTED, CONTRADICTED: CONFIRMED}.get(welch, welch)
        p_for_w, p_against_w, p_for, p_against = p_rise_w, p_fall_w, p_up, p_fall
        way, other = "a rise", "a fall"
    else:
        p_for_w, p_against_w, p_for, p_against = p_fall_w, p_rise_w, p_fall, p_up
        way, other = "a fall", "a rise"
    against = int((np.diff(mean) < 0 if rises else np.diff(mean) > 0).sum())
    outcome = (CONFIRMED if welch == CONFIRMED and p_for < ALPHA else
               CONTRADICTED if welch == CONTRADICTED and p_against < ALPHA else NOT_REPRODUCED)
    few = _one_seed(F, 0, -1)
    evidence = (f"{label} {mean[0]:{fmt}}{unit} at {name}={int(k[0])} → {mean[-1]:{fmt}}{unit} at "
                f"{name}={int(k[-1])}"
                + ("" if few else f" (Welch one-sided p = "
                   f"{p_pair(p_for_w, p_against_w, way, other)})")
                + (f"; Spearman ρ = {rho:+.2f} over {int(np.isfinite(F).sum())} runs "
                   f"(one-sided p = {p_pair(p_for, p_against, way, other)})" if len(k) > 2
                   else "; two widths only, so no trend across widths")
                + f"; {against} of {len(mean) - 1} width steps go {'down' if rises else 'up'}.")
    if few:
        return Verdict(claim, NOT_TESTABLE, f"{evidence} {ONE_SEED}")
    return far_qualified(Verdict(claim, outcome, evidence), far_from_data(F, floor, trend=True))


def improves_with_width(k: np.ndarray, F: np.ndarray, claim: str = "FID falls as k grows",
                        floor: float | None = None, name: str = "k") -> Verdict:
    """:func:`trend_with_width` for a value that should fall with k (FID, NND)."""
    return trend_with_width(k, F, claim, False, floor, name)


def saturates_beyond(k: np.ndarray, F: np.ndarray, at: int, floor: float | None = None
                     ) -> Verdict:
    """FID beyond ``at`` stays within the seed spread of its value at ``at`` (a plateau),
    while below ``at`` it is worse by more than the spread. Not judged far from the data
    (:func:`far_from_data`)."""
    claim = f"FID saturates beyond k={at}"
    if at not in k or k[-1] <= at:
        return Verdict(claim, NOT_TESTABLE, f"k={at} and a wider model are not both in the "
                                            f"sweep ({', '.join(str(int(x)) for x in k)}).")
    if far := far_from_data(F, floor):
        return Verdict(claim, NOT_TESTABLE, far)
    mean = np.nanmean(F, 1)
    i = int(np.where(k == at)[0][0])
    beyond = mean[i + 1:] - mean[i]
    noise = max(_spread(F, i, j) for j in range(i + 1, len(k)))
    below = mean[:i] - mean[i]
    flat = bool(np.all(np.abs(beyond) <= noise))
    steep = bool(below.size and np.all(below > _spread(F, 0, i)))
    still_falling = bool(np.any(-beyond > noise))
    outcome = (CONFIRMED if flat and steep else CONTRADICTED if still_falling
               else NOT_REPRODUCED)
    if _one_seed(F, *range(len(k))):
        return Verdict(claim, NOT_TESTABLE, ONE_SEED)
    return Verdict(claim, outcome,
                   f"Mean FID at k={at}: {mean[i]:.1f}; wider: "
                   + ", ".join(f"{mean[j]:.1f} (k={int(k[j])})" for j in range(i + 1, len(k)))
                   + f"; largest seed spread {noise:.1f}.")


def _negative_gaps(gap: np.ndarray) -> str:
    """'; FID test below FID train in n of m runs' when any run has a negative gap."""
    ok = np.isfinite(gap)
    neg = int((gap[ok] < 0).sum())
    return f"; FID test below FID train in {neg} of {int(ok.sum())} runs" if neg else ""


def gap_does_not_grow(k: np.ndarray, F_train: np.ndarray, F_test: np.ndarray,
                      floor: float | None = None) -> Verdict:
    """FID test - FID train (the generalisation gap) does not grow with k (Fig. 4).

    Fits the gap against log2 k; confirmed when the rise over the sweep's range is within
    the gap's seed spread (and test is above train), contradicted only when the rise exceeds
    twice the spread: with three seeds the spread itself is a rough estimate, and a gap that
    grows by about one spread is noise more often than not. Not judged far from the data
    (:func:`far_from_data`): there the gap reflects the two fixed reference sets.
    """
    claim = "FID test stays above FID train and the gap does not grow with k"
    gap = F_test - F_train
    if not np.isfinite(gap).any(axis=1).all():
        return Verdict(claim, NOT_TESTABLE, "FID test was not computed at this profile.")
    mean = np.nanmean(gap, 1)
    if far := far_from_data(F_train, floor):
        return Verdict(claim, NOT_TESTABLE,
                       f"Gap {mean[0]:.2f} at k={int(k[0])}, {mean[-1]:.2f} at k={int(k[-1])}"
                       f"{_negative_gaps(gap)}. " + far)
    if _one_seed(gap, *range(len(k))) or len(k) < 2:
        return Verdict(claim, NOT_TESTABLE, f"{ONE_SEED} (or a single width).")
    slope = float(np.polyfit(np.log2(k), mean, 1)[0])
    rise = slope * float(np.log2(k[-1] / k[0]))
    noise = float(np.nanmax(np.nanstd(gap, 1)))
    above = bool(np.all(mean > 0))
    outcome = CONFIRMED if rise <= noise and above else CONTRADICTED if rise > 2 * noise else \
        NOT_REPRODUCED
    return Verdict(claim, outcome,
                   f"Gap {mean[0]:.2f} at k={int(k[0])}, {mean[-1]:.2f} at k={int(k[-1])}; "
                   f"fitted rise over the range {rise:.2f} vs seed spread {noise:.2f}; test "
                   f"{'above' if above else 'not always above'} train{_negative_gaps(gap)}.")


def converges_faster(curves: dict[int, tuple[np.ndarray, np.ndarray]], far: str = ""
                     ) -> Verdict:
    """Larger k reaches a given FID in fewer iterations (Fig. 5), judged by the trend rule
    (:func:`trend_with_width`: Welch between the narrowest and widest width and, with three
    or more widths, Spearman across runs) on each run's mean FID over its evaluations, the
    area under its curve.

    The area rewards a curve that is lower throughout as much as one that falls faster, so
    the evidence adds each end's mean drop from the first to the last evaluation: equal
    drops mean "better so far", not a faster rate. Needs :data:`MIN_EVALS` evaluations per
    run (with fewer, the area is just the final FID). The runs whose FID rose between two
    evaluations (the paper's "more stably") are counted, not judged: one FID on a few
    hundred samples moves by tens of points. ``far``: :func:`far_from_data`'s reason
    (``trend=True, what="rate"``) when the models are far from the data.
    """
    claim = "larger k converges faster"
    if len(curves) < 2:
        return Verdict(claim, NOT_TESTABLE, "FID over iterations was not recorded at this "
                                            "profile (eval_every = 0).")
    ks = sorted(curves)
    lo, hi = curves[ks[0]][1], curves[ks[-1]][1]
    if min(len(lo), len(hi)) < 2:
        return Verdict(claim, NOT_TESTABLE, ONE_SEED)
    n_evals = min(c.shape[1] for _, c in curves.values())
    rises = {k: int((np.diff(curves[k][1], axis=1) > 0).any(axis=1).sum()) for k in (ks[0], ks[-1])}
    unstable = (f" FID rose between two evaluations in {rises[ks[0]]} of {len(lo)} runs at "
                f"k={ks[0]} and {rises[ks[-1]]} of {len(hi)} at k={ks[-1]} (counted, not "
                f"judged).")
    if n_evals < MIN_EVALS:
        return Verdict(claim, NOT_TESTABLE,
                       f"{n_evals} evaluations per run; a rate needs at least {MIN_EVALS}."
                       + unstable)
    run_k = np.concatenate([np.full(len(curves[k][1]), k) for k in ks])
    run_area = np.concatenate([np.nanmean(curves[k][1][:, :n_evals], 1) for k in ks])
    v = trend_with_width(*runs_by_width(run_k, run_area), claim,
                         label=f"Mean FID over {n_evals} evaluations:")
    steps = curves[ks[0]][0]
    drops = {k: float(np.nanmean(curves[k][1][:, 0] - curves[k][1][:, n_evals - 1]))
             for k in (ks[0], ks[-1])}
    drop = (f" From the first to the last evaluation (iterations {int(steps[0])} to "
            f"{int(steps[n_evals - 1])}) FID falls by {drops[ks[0]]:.1f} at k={ks[0]} and "
            f"{drops[ks[-1]]:.1f} at k={ks[-1]} on average.")
    return far_qualified(Verdict(claim, v.outcome, v.evidence + drop + unstable), far)


def worse_beyond_fixed(k: np.ndarray, F: np.ndarray, fixed: int,
                       floor: float | None = None, name: str = "k") -> Verdict:
    """Fig. 7 (App. C): widening one network beyond the other's (fixed) width "leads to a
    slight drop in performance": FID at the widest varied width above FID at k = fixed
    (Welch, one-sided p < ALPHA); contradicted when it is below. With ``floor``, an outcome
    on models far from the data carries :data:`FAR_SUFFIX`. ``name``: the varied side
    (k_d or k_g), so the fixed side is the other."""
    other = {"k_d": "k_g", "k_g": "k_d"}.get(name, "the other width")
    claim = f"FID gets slightly worse once {name} exceeds the fixed {other}={fixed}"
    wider = np.where(k > fixed)[0]
    if fixed not in k or not wider.size:
        return Verdict(claim, NOT_TESTABLE, f"k={fixed} and a wider varied width are not both "
                                            f"in the sweep ({', '.join(map(str, map(int, k)))}).")
    i, j = int(np.where(k == fixed)[0][0]), int(wider[-1])
    if _one_seed(F, i, j):
        return Verdict(claim, NOT_TESTABLE, ONE_SEED)
    outcome, p_worse, p_better = welch_outcome(F[j], F[i])
    mean = np.nanmean(F, 1)
    evidence = (f"Mean FID {mean[i]:.1f} at {name}={fixed} → {mean[j]:.1f} at {name}={int(k[j])} "
                f"(Welch one-sided p = {p_pair(p_worse, p_better, 'worse', 'better')}).")
    return far_qualified(Verdict(claim, outcome, evidence), far_from_data(F, floor, trend=True))


def uptick_between(k: np.ndarray, F: np.ndarray, lo: int, hi: int,
                   floor: float | None = None) -> Verdict:
    """Fig. 3's claim: FID gets marginally *worse* from k = ``lo`` to k = ``hi`` (the paper:
    1024 to 2048), by Welch's one-sided test (p < ALPHA; contradicted when it gets better).
    Not testable when either width is missing from the sweep, or when the models are far
    from the data (:func:`far_from_data`): the paper attributes the rise to a growing
    generalisation gap, a claim about converged models."""
    claim = f"FID rises slightly from k={lo} to k={hi}"
    if lo not in k or hi not in k:
        return Verdict(claim, NOT_TESTABLE, f"k={lo} and k={hi} are not both in the sweep "
                                            f"({', '.join(str(int(x)) for x in k)}).")
    i, j = int(np.where(k == lo)[0][0]), int(np.where(k == hi)[0][0])
    if _one_seed(F, i, j):
        return Verdict(claim, NOT_TESTABLE, ONE_SEED)
    mean = np.nanmean(F, 1)
    outcome, p_worse, p_better = welch_outcome(F[j], F[i])
    evidence = (f"Mean FID {mean[i]:.1f} → {mean[j]:.1f} (Welch one-sided p = "
                f"{p_pair(p_worse, p_better, 'worse', 'better')}).")
    if far := far_from_data(F, floor):
        return Verdict(claim, NOT_TESTABLE, f"{evidence} {far}")
    return Verdict(claim, outcome, evidence)
