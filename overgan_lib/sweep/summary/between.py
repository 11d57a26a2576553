"""The rules that compare two widths of a sweep, about converged models: Fig. 3's uptick
from k = 1024 to 2048 (:func:`uptick_between`) and its possible cause, the gap growing between
the same widths (:func:`gap_grows_between`), and Fig. 7's slight drop beyond the fixed width
(:func:`worse_beyond_fixed`), with the practical margin of :mod:`.converged` as the ceiling on
"slight" (:func:`_slight`)."""

from __future__ import annotations

import numpy as np

from ..significance import (
    POWER,
    detectable_difference,
    fmt_p,
    p_pair,
    power_text,
    welch_greater,
)
from .converged import PRACTICAL_MARGIN, cannot_tell, margin_at, widths_text
from .gap import negative_gaps
from .outcomes import (
    ALPHA,
    CONFIRMED,
    INCONCLUSIVE,
    NOT_REPRODUCED,
    NOT_TESTABLE,
    ONE_SEED,
    Verdict,
    far_from_data,
    one_seed,
    welch_outcome,
)


def worse_beyond_fixed(k: np.ndarray, F: np.ndarray, fixed: int,
                       floor: float | None = None, name: str = "k",
                       paper_fixed: int | None = None) -> Verdict:
    """Fig. 7 (App. C): widening one network beyond the other's (fixed) width "leads to a
    slight drop in performance": FID at the widest varied width above FID at k = fixed
    (Welch, one-sided p < ALPHA) and its estimate within the practical margin δ =
    :data:`PRACTICAL_MARGIN` × mean FID at k = fixed (:func:`margin_at`; the book's ceiling
    on "slight", :func:`_slight`: shown worse by more than δ is *not reproduced*, a drop but
    not a slight one; an estimate beyond δ not shown beyond it is inconclusive);
    contradicted when it is below. When neither direction is
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
                                            f"in the sweep ({widths_text(k)}).")
    i, j = int(np.where(k == fixed)[0][0]), int(wider[-1])
    if one_seed(F, i, j):
        return Verdict(claim, NOT_TESTABLE, ONE_SEED)
    outcome, p_worse, p_better = welch_outcome(F[j], F[i])
    mean = np.nanmean(F, 1)
    margin = margin_at(k, F, fixed)
    p_large = welch_greater(F[j] - margin, F[i])
    evidence = (f"Mean FID {mean[i]:.1f} at {name}={fixed} → {mean[j]:.1f} at {name}={int(k[j])} "
                f"(Welch one-sided p = {p_pair(p_worse, p_better, 'worse', 'better')}; "
                f"one-sided p = {fmt_p(p_large)} for worse by more than the practical margin "
                f"{margin:.1f}, {PRACTICAL_MARGIN:.0%} of the FID at {name}={fixed}).")
    if paper_fixed is not None and paper_fixed != fixed:
        evidence += (f" The paper holds {other} at its default {paper_fixed}; this profile at "
                     f"{fixed}.")
    if far := far_from_data(F, floor):
        return Verdict(claim, NOT_TESTABLE, f"{evidence} {far}")
    if outcome == CONFIRMED:
        outcome, said = _slight(float(mean[j] - mean[i]), margin, p_large, "drop")
        evidence += said
    elif outcome == NOT_REPRODUCED:
        n_i, n_j = (int(np.isfinite(F[r]).sum()) for r in (i, j))
        drop = detectable_difference(F[j], F[i], ALPHA)
        outcome = INCONCLUSIVE
        evidence += (f" Neither direction is significant. With {n_i} and {n_j} seeds, a drop "
                     f"would need to be about {drop:.1f} FID points for this test to find it "
                     f"{power_text()} ({POWER:.0%} power at these seeds' spread); the paper "
                     f"calls the drop slight and gives no size, so this cannot tell a slight "
                     f"drop from none.")
    return Verdict(claim, outcome, evidence)


def _slight(change: float, margin: float, p_large: float, what: str) -> tuple[str, str]:
    """A change the paper calls slight (Fig. 7's drop, Fig. 3's uptick), shown significant in
    its direction: confirmed only where its estimate is within the practical margin
    ``margin`` (the book's ceiling on "slight"; the paper gives none); not reproduced where it
    is shown beyond the margin (``p_large`` < ALPHA: a real change, not a slight one);
    otherwise inconclusive (a change, but whether slight cannot be told). Returns (outcome,
    sentence for the evidence)."""
    if p_large < ALPHA:
        return NOT_REPRODUCED, (f" Shown larger than the margin: a {what}, but not a slight one "
                                f"(the book's ceiling on \"slight\"; the paper gives none).")
    if change > margin:
        return INCONCLUSIVE, (f" A {what} of {change:.1f}, more than the margin {margin:.1f} but "
                              f"not shown beyond it: whether it is slight cannot be told.")
    return CONFIRMED, ""


def uptick_between(k: np.ndarray, F: np.ndarray, lo: int, hi: int,
                   floor: float | None = None, label: str = "Mean FID",
                   F_far: np.ndarray | None = None) -> Verdict:
    """Fig. 3's claim: FID gets marginally *worse* from k = ``lo`` to k = ``hi`` (the paper:
    1024 to 2048), by Welch's one-sided test (p < ALPHA; contradicted when it gets better;
    inconclusive when neither is significant), with the practical margin at ``lo`` as the
    ceiling of "marginally" (:func:`_slight`). ``F`` holds the FIDs judged (the sweep chapters
    pass FID test: the rise the paper's growing gap can explain), ``label`` names them in
    the evidence and ``F_far`` (default ``F``) decides whether the models are far from the data.
    Not testable when either width is missing from the sweep, when ``F`` was not computed, or
    when the models are far from the data: the paper attributes the rise to a growing
    generalisation gap, a claim about converged models."""
    claim = f"FID rises slightly from k={lo} to k={hi}"
    if not np.isfinite(np.asarray(F, float)).any():
        return Verdict(claim, NOT_TESTABLE, f"{label[5:]} was not computed at this profile.")
    return _between_widths(claim, k, F, lo, hi, F if F_far is None else F_far, floor, label,
                           ".1f", ("worse", "better"), slight=True)


def _between_widths(claim: str, k: np.ndarray, M: np.ndarray, lo: int, hi: int,
                    F: np.ndarray, floor: float | None, label: str, fmt: str,
                    words: tuple[str, str], note=None, slight: bool = False) -> Verdict:
    """The two-width rules' body: rows ``M`` at k = ``hi`` against k = ``lo`` by Welch's
    one-sided test (``words``: the claimed direction, then the other), not testable when a
    width is missing, with one seed, or when the FIDs ``F`` are far from the data; when
    neither direction is significant, :data:`.INCONCLUSIVE` with the change the test could
    detect (the paper calls the uptick marginal and gives it no size, so a few seeds cannot
    tell it from none: no failed replication);
    ``note(M[[i, j]])`` appends to the evidence. With ``slight`` (a change the paper calls
    slight or marginal), a confirmed change also has the practical margin at ``lo`` as its
    ceiling (:func:`_slight`)."""
    if lo not in k or hi not in k:
        return Verdict(claim, NOT_TESTABLE, f"k={lo} and k={hi} are not both in the sweep "
                                            f"({widths_text(k)}).")
    i, j = int(np.where(k == lo)[0][0]), int(np.where(k == hi)[0][0])
    if one_seed(M, i, j):
        return Verdict(claim, NOT_TESTABLE, ONE_SEED)
    mean = np.nanmean(M, 1)
    outcome, p_for, p_against = welch_outcome(M[j], M[i])
    evidence = (f"{label} {mean[i]:{fmt}} → {mean[j]:{fmt}} (Welch one-sided p = "
                f"{p_pair(p_for, p_against, *words)}){note(M[[i, j]]) if note else ''}.")
    if far := far_from_data(F, floor):
        return Verdict(claim, NOT_TESTABLE, f"{evidence} {far}")
    if outcome == NOT_REPRODUCED:  # the paper gives the change no size: cannot tell
        outcome = INCONCLUSIVE
        evidence += cannot_tell(f"{label[5:]} from k={lo} to k={hi}", M[j], M[i])
    elif outcome == CONFIRMED and slight:
        margin = margin_at(k, M, lo)
        p_large = welch_greater(M[j] - margin, M[i])
        evidence += (f" Practical margin {margin:.1f} ({PRACTICAL_MARGIN:.0%} of the FID at "
                     f"k={lo}); one-sided Welch p that the rise exceeds it {fmt_p(p_large)}.")
        outcome, said = _slight(float(mean[j] - mean[i]), margin, p_large, "rise")
        evidence += said
    return Verdict(claim, outcome, evidence)


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
                           ("grows", "shrinks"), negative_gaps)
