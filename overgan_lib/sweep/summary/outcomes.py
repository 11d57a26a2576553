"""Outcomes of a verdict, the distance-from-the-data rule, and the helpers every rule shares."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..significance import welch_greater

CONFIRMED, NOT_REPRODUCED, CONTRADICTED = ("confirmed", "not reproduced at this budget",
                                           "contradicted")
NOT_TESTABLE = "not testable at this profile"
# A rule whose tests cannot tell: neither direction shown for an effect the paper gives no
# size, a plateau or gap neither shown inside nor beyond its margin, a slight change whose
# size cannot be told. No failed replication; the evidence says which.
INCONCLUSIVE = "inconclusive at this budget (the data cannot tell)"
# A trend judged on models not shown to be converged (far from the data, no floor to tell,
# or curves still falling): the test's outcome says what early training shows, never that
# the paper's claim (about converged models) is confirmed or contradicted. The label in
# brackets says why.
FAR_LABEL, FLOOR_UNKNOWN_LABEL, LEARNING_LABEL = (
    "far from the data", "closeness to the data not known", "not shown converged")
# Worded as a trend, not as evidence for or against the claim: a few dozen iterations into
# training say which way FID leans with the width, not whether converged models would.
_EARLY_WORDS = {CONFIRMED: "early-training trend in its direction",
                CONTRADICTED: "early-training trend opposite to it",
                NOT_REPRODUCED: "no clear early-training trend",
                INCONCLUSIVE: "no clear early-training trend"}  # a trend's split tests


def early(outcome: str, why: str = FAR_LABEL) -> str:
    """The early-training outcome that a judged trend's ``outcome`` becomes, labelled ``why``."""
    return f"{_EARLY_WORDS[outcome]} ({why})"


def early_test(outcome: str) -> str | None:
    """The test's own outcome (confirmed, contradicted, not reproduced) behind an
    early-training ``outcome`` of any label (an inconclusive trend reads as not reproduced:
    both are neither); None for any other outcome."""
    return next((o for o, w in _EARLY_WORDS.items() if outcome.startswith(w + " (")), None)


EARLY_FOR, EARLY_AGAINST, EARLY_NEITHER = (early(o) for o in (CONFIRMED, CONTRADICTED,
                                                                NOT_REPRODUCED))
ALPHA = 0.05  # one-sided level of every test
# Best FID more than this many points above the floor at the same N: converged-model claims
# untested. A heuristic, not a test. A difference rather than a ratio, because the floor itself
# shrinks quickly with N (128 at N=200 on CIFAR-10; chapter 5's curves), so a ratio to it would
# call nearly every model far at N=10k. The difference is not N-invariant either: FID's
# small-N bias is not a simple c/N below N of a few thousand (chapter 5) and depends on the
# model, so a model near the threshold can pass it at one N and fail at another; the verdicts
# quote the floor (the chapters state the N). 100 points is generous: the paper's converged models
# reach FIDs of tens, while every cpu sweep's best model is over 100 above its floor. Passing it
# does not make a model converged (the gpu profile trains 0.5-2% of the paper's iterations),
# which the chapters say.
FAR_FROM_DATA = 100.0
MIN_EVALS = 3  # evaluations per run needed to judge a rate of convergence
ONE_SEED = "One seed per width: no seed spread to judge the change against."


@dataclass(frozen=True)
class Verdict:
    """One claim of the paper, judged on one sweep at one profile."""

    claim: str
    outcome: str
    evidence: str

    def markdown(self) -> str:
        return f"- **{self.claim}**: {self.outcome}. {self.evidence}"


def row_means(F: np.ndarray) -> np.ndarray:
    """Each width's mean over its finite seeds; NaN (without a warning) where it has none."""
    return np.array([r[np.isfinite(r)].mean() if np.isfinite(r).any() else np.nan
                     for r in np.asarray(F, float)])


class Reason(str):
    """Why a verdict is qualified (its text), with the ``label`` its early-training outcome
    carries (:func:`early`)."""

    label: str

    def __new__(cls, text: str, label: str = FAR_LABEL) -> Reason:
        reason = super().__new__(cls, text)
        reason.label = label
        return reason


def far_measure(best: float, floor: float) -> str:
    """How far the best mean FID train lies above the data's floor, in the words every far
    reason starts from: 'the best mean FID train (…) is … above the data's own floor (…)'."""
    return (f"the best mean FID train ({best:.1f}) is {best - floor:.0f} above the data's own "
            f"floor ({floor:.1f}, train vs test images at the same N)")


def far_from_data(F: np.ndarray, floor: float | None, trend: bool = False,
                  what: str = "trend") -> str:
    """Why converged-model claims are not testable here ('' when they are): the best mean
    FID exceeds the data's floor at the same N by more than :data:`FAR_FROM_DATA` points, or
    the floor is NaN: not known (then nothing shows the models are close to the data).
    ``floor=None``: the caller applies no such gate. ``trend`` words it for a ``what`` (a
    trend, a rate) that is still reported: what it describes. The result is a
    :class:`Reason`, whose label :func:`far_qualified` puts in the outcome."""
    means = row_means(F)
    if floor is None or not np.isfinite(means).any():
        return ""
    if not np.isfinite(floor):
        where = ("No FID floor at this N is stored (the data's own train vs test FID, kept "
                 "with a sweep's summary: neither this sweep's nor another of the same data at "
                 "this profile holds it), so nothing shows these models are close to the data")
        tail = (f": the {what} is read as an early-training trend." if trend else
                ": converged-model claims are not judged.")
        return Reason(where + tail, FLOOR_UNKNOWN_LABEL)
    best = float(np.nanmin(means))
    if best - floor <= FAR_FROM_DATA:
        return ""
    measure = far_measure(best, floor)
    where = measure[0].upper() + measure[1:]
    if trend:
        return Reason(f"{where}: the {what} describes these early, far-from-data models, not "
                       f"the converged models the paper reports.", FAR_LABEL)
    return Reason(f"{where}: these models are far from the data, where FID differences "
                   f"measure that distance rather than this claim.", FAR_LABEL)


def far_qualified(verdict: Verdict, far: str) -> Verdict:
    """A trend verdict judged on models not shown to be converged (``far``: the reason, from
    :func:`far_from_data` with ``trend=True`` or :func:`.settled.still_learning`; '' when
    there is none): its outcome becomes early-training evidence (:func:`early`, labelled by
    the reason's :attr:`Reason.label`, "far from the data" for a plain string) and its
    evidence carries the reason. The paper judges converged models, so such a verdict
    neither confirms nor contradicts it. Untestable verdicts stay as they are."""
    if not far or verdict.outcome not in _EARLY_WORDS:
        return verdict
    label = getattr(far, "label", FAR_LABEL)
    return Verdict(verdict.claim, early(verdict.outcome, label), f"{verdict.evidence} {far}")


def claims_state(verdicts: list[Verdict]) -> bool | None:
    """What the status page reads from a row's verdicts: True when every one is confirmed;
    False when one is judged against the paper (contradicted or not reproduced); None (cannot
    tell) otherwise: a claim not testable at the profile, inconclusive, or only early-training
    evidence. A claim the instrument cannot reach (e.g. Fig. 6's memoriser claim on one critic
    seed) keeps the row open; it does not fail it."""
    outcomes = [v.outcome for v in verdicts]
    if any(o in (CONTRADICTED, NOT_REPRODUCED) for o in outcomes):
        return False
    return True if all(o == CONFIRMED for o in outcomes) else None


def one_seed(F: np.ndarray, *rows: int) -> bool:
    """Fewer than two finite seeds in any of ``rows``: no spread to judge a change by."""
    return any(int(np.isfinite(F[r]).sum()) < 2 for r in rows)


def seed_sd(F: np.ndarray, i: int) -> float:
    """The sample standard deviation (ddof = 1) of row ``i``'s finite seeds."""
    row = F[i][np.isfinite(F[i])]
    return float(np.std(row, ddof=1)) if row.size > 1 else float("nan")


def spread(F: np.ndarray, i: int, j: int) -> float:
    """Combined seed standard deviation of rows i and j, √(sd_i² + sd_j²) (ddof = 1): the
    standard deviation of the difference of one seed of each."""
    return float(np.hypot(seed_sd(F, i), seed_sd(F, j)))


def welch_outcome(a: np.ndarray, b: np.ndarray) -> tuple[str, float, float]:
    """CONFIRMED when mean(a) > mean(b) (Welch, one-sided p < ALPHA), CONTRADICTED when
    mean(a) < mean(b) likewise, else NOT_REPRODUCED; with both one-sided p-values
    (a > b, then a < b)."""
    p_greater, p_less = welch_greater(a, b), welch_greater(b, a)
    outcome = (CONFIRMED if p_greater < ALPHA else CONTRADICTED if p_less < ALPHA
               else NOT_REPRODUCED)
    return outcome, p_greater, p_less


def lost_runs(k: np.ndarray, lost: np.ndarray | None, name: str = "k",
              runs: np.ndarray | None = None, lead: str = "Diverged") -> str:
    """' Diverged: 1 of 3 runs at k=8, ...' for the widths that lost runs ('' for none);
    ``lost``: widths x seeds, True where a run diverged; ``runs``: runs per width (default:
    the matrix's columns); ``lead``: the words before the list."""
    if lost is None or not np.any(lost):
        return ""
    runs = np.full(len(k), lost.shape[1]) if runs is None else np.asarray(runs)
    per = [f"{int(n)} of {int(r)} runs at {name}={int(w)}"
           for w, n, r in zip(k, lost.sum(1), runs, strict=True) if n]
    return f" {lead}: {', '.join(per)}."
