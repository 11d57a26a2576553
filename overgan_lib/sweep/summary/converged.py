"""The rules for claims about converged models: Fig. 4's plateau and generalisation gap,
Fig. 3's uptick and Fig. 7's drop beyond the fixed width.

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

from ..significance import detectable_difference, fmt_p, line_slope, p_pair, welch_greater
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

# The effect size below which a change in FID counts as no change: this share of the mean
# FID (train) at the rule's reference width, the saturation width for the plateau and the gap
# (the best width where the paper names none), the paper's lower width for Fig. 3's uptick.
# Tied to the FID where the claim is read, not to what widening bought from the sweep's
# narrowest width: that fall depends on the book's grid (the paper lists no widths) and grows
# when the narrowest width is collapsed, which would excuse a real gain beyond the plateau.
# A tenth of the FID there is a step that Fig. 4's log-width plots, read by eye, would call
# flat. The book's choice, not the paper's (it states no tolerance); every verdict prints the
# margin in FID points.
PRACTICAL_MARGIN = 0.1


def _widths(k: np.ndarray) -> str:
    return ", ".join(str(int(x)) for x in k)


def margin_at(k: np.ndarray, F: np.ndarray, at: int) -> float:
    """The practical margin in FID points at width ``at``: :data:`PRACTICAL_MARGIN` times the
    mean over its finite seeds of ``F`` (widths x seeds) there."""
    row = np.asarray(F, float)[int(np.where(np.asarray(k) == at)[0][0])]
    return PRACTICAL_MARGIN * max(float(np.mean(row[np.isfinite(row)])), 0.0)


def _cannot_tell(what: str, a: np.ndarray, b: np.ndarray, margin: float | None = None) -> str:
    """The evidence an :data:`.INCONCLUSIVE` verdict adds: the difference between samples
    ``a`` and ``b`` that the one-sided Welch test finds 4 times in 5 at these seeds' spread
    (:func:`..significance.detectable_difference`), beside the margin where the rule has one."""
    n_a, n_b = (int(np.isfinite(x).sum()) for x in (a, b))
    d = detectable_difference(a, b, ALPHA)
    against = (f"; the practical margin is {margin:.1f}" if margin is not None else
               "; the paper gives it no size")
    return (f" Neither is shown, so the data cannot tell: with {n_a} and {n_b} seeds the test "
            f"finds a difference in {what} of about {d:.1f} FID points 4 times in 5 (80% power "
            f"at these seeds' spread){against}.")


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
                                            f"sweep ({_widths(k)}).")
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
        evidence += _cannot_tell(f"FID from k={at} to k={int(k[j])}", F[j], F[i], margin)
        if np.isfinite(n := flatness_seeds(F[j], F[i], margin)):
            evidence += (f" Showing a truly flat FID within the margin (both one-sided tests) "
                         f"4 times in 5 would take about {n:.0f} seeds per width at these "
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


def _test_above_train(gap: np.ndarray) -> bool:
    """"FID test stays above FID train" at every width: the mean gap above 0 *and* most of
    the width's finite runs above 0 (a mean alone lets one large run outweigh the rest)."""
    ok = np.isfinite(gap)
    return all(bool(np.mean(g[f]) > 0 and 2 * np.sum(g[f] > 0) > f.sum())
               for g, f in zip(gap, ok, strict=True) if f.any())


def _below_train_p(gap: np.ndarray) -> tuple[float, int | None]:
    """The smallest one-sided p-value, over the widths with two or more finite runs, of a
    t-test that the width's mean gap is below 0 (FID test below FID train), and that width's
    row (None where no width has two runs: p = 1)."""
    from scipy import stats

    best: tuple[float, int | None] = (1.0, None)
    for row, g in enumerate(np.asarray(gap, float)):
        g = g[np.isfinite(g)]
        if len(g) < 2:
            continue
        if g.std() <= 1e-9 * max(1.0, float(np.abs(g).max())):  # equal runs: no spread to test
            p = 0.0 if g.max() < 0 else 1.0
        else:
            p = float(stats.ttest_1samp(g, 0.0, alternative="less").pvalue)
        best = min(best, (p, row), key=lambda t: t[0])
    return best


def _negative_gaps(gap: np.ndarray) -> str:
    """'; FID test below FID train in n of m runs' when any run has a negative gap."""
    ok = np.isfinite(gap)
    neg = int((gap[ok] < 0).sum())
    return f"; FID test below FID train in {neg} of {int(ok.sum())} runs" if neg else ""


def gap_reference(k: np.ndarray, F_train: np.ndarray, saturation: int | None = None) -> int:
    """The width the gap rule measures growth from: the paper's saturation width where the
    sweep has one in its grid, else the width with the lowest mean FID train (the best)."""
    if saturation is not None and saturation in k:
        return int(saturation)
    means = np.array([np.nanmean(r) if np.isfinite(r).any() else np.inf for r in F_train])
    return int(k[int(np.argmin(means))])


def gap_does_not_grow(k: np.ndarray, F_train: np.ndarray, F_test: np.ndarray,
                      floor: float | None = None, name: str = "k",
                      saturation: int | None = None) -> Verdict:
    """FID test - FID train (the generalisation gap) does not grow with k (Fig. 4), by two
    tests against the margin δ = :data:`PRACTICAL_MARGIN` × mean FID train at the reference
    width ``ref`` (:func:`gap_reference`: the saturation width, else the best width;
    :func:`margin_at`): the rise of the least-squares line through every run's gap against
    log2 k over the sweep's range (its one-sided (1 − ALPHA) confidence bounds), and the rise
    from ``ref`` to each wider width (one-sided Welch tests at level ALPHA on the per-seed
    gaps), so a gap that grows only at the widest widths, which the line averages away, is
    caught. Confirmed when every bound is below δ and test is above train at every width (the
    mean gap above 0 and most runs' gaps above 0: :func:`_test_above_train`; a
    rise shown above 0, by the line or a Welch test, but within δ, is said in the evidence:
    "does not grow" is read as "grows by less than δ");
    contradicted when either test shows a rise above δ; not reproduced when FID test is shown
    below FID train at some width (:func:`_below_train_p`: one-sided t-test over the width's
    runs at level ALPHA); otherwise the data cannot tell (:data:`.INCONCLUSIVE`). Not testable
    far from the data: there the gap reflects the two fixed reference sets. ``name``: the
    varied width's name (k, k_d or k_g).
    """
    claim = f"FID test stays above FID train and the gap does not grow with {name}"
    gap = F_test - F_train
    if not np.isfinite(gap).any(axis=1).all():
        return Verdict(claim, NOT_TESTABLE, "FID test was not computed at this profile.")
    mean = np.nanmean(gap, 1)
    ref = gap_reference(k, F_train, saturation)
    gaps = "Mean gap " + ", ".join(f"{m:.2f} ({name}={int(w)})" for w, m in zip(k, mean,
                                                                               strict=True))
    if far := far_from_data(F_train, floor):
        return Verdict(claim, NOT_TESTABLE, f"{gaps}{_negative_gaps(gap)}. " + far)
    if one_seed(gap, *range(len(k))) or len(k) < 2:
        return Verdict(claim, NOT_TESTABLE, f"{ONE_SEED} (or a single width).")
    i = int(np.where(k == ref)[0][0])
    wider = range(i + 1, len(k))
    margin = margin_at(k, F_train, ref)
    rise, low, high = _fitted_rise(k, gap)
    rises = {j: float(mean[j] - mean[i]) for j in wider}
    p_small = max((welch_greater(gap[i] + margin, gap[j]) for j in wider), default=0.0)
    p_grows = min((welch_greater(gap[j] - margin, gap[i]) for j in wider), default=1.0)
    above = _test_above_train(gap)
    p_below, row_below = _below_train_p(gap)
    outcome = (CONTRADICTED if low > margin or p_grows < ALPHA else
               CONFIRMED if high <= margin and p_small < ALPHA and above else
               NOT_REPRODUCED if p_below < ALPHA else INCONCLUSIVE)
    evidence = (f"{gaps}; practical margin {margin:.2f} ({PRACTICAL_MARGIN:.0%} of the mean FID "
                f"train at {name}={ref}, the {'saturation' if ref == saturation else 'best'} "
                f"width). Fitted rise over the range {rise:.2f} ({1 - ALPHA:.0%} one-sided "
                f"bounds {low:.2f} and {high:.2f}); ")
    if rises:
        top = max(rises, key=rises.get)
        evidence += (f"largest rise from {name}={ref} to a wider width {rises[top]:.2f} (at "
                     f"{name}={int(k[top])}; one-sided Welch p, largest over the wider widths, "
                     f"that every such rise is below the margin {fmt_p(p_small)}, smallest p "
                     f"that one exceeds it {fmt_p(p_grows)}); ")
    else:
        evidence += f"no width wider than {name}={ref}; "
    evidence += f"test {'above' if above else 'not always above'} train{_negative_gaps(gap)}"
    if not above and row_below is not None:
        evidence += (f" (shown below train at {name}={int(k[row_below])}, one-sided t-test over "
                     f"its runs p = {fmt_p(p_below)}, the smallest over the widths)"
                     if p_below < ALPHA else
                     f" but not shown below it at any width (one-sided t-test over each width's "
                     f"runs, smallest p = {fmt_p(p_below)} at {name}={int(k[row_below])})")
    evidence += "."
    p_rise = min((welch_greater(gap[j], gap[i]) for j in wider), default=1.0)
    if outcome != CONTRADICTED and (low > 0 or p_rise < ALPHA):
        # a rise the data shows, however small: say so beside a verdict that it is small
        shown = " and ".join(
            [f"the line's lower bound {low:.2f} is above 0"] * (low > 0)
            + [f"a wider width's gap exceeds {name}={ref}'s, one-sided Welch p = "
               f"{fmt_p(p_rise)}"] * (p_rise < ALPHA))
        evidence += (f" The gap does rise ({shown}); the rule reads \"does not grow\" as "
                     f"\"grows by less than the margin\".")
    if outcome == INCONCLUSIVE:
        if rises and p_small >= ALPHA:
            j = max(wider, key=lambda j: welch_greater(gap[i] + margin, gap[j]))
            evidence += _cannot_tell(f"the gap from {name}={ref} to {name}={int(k[j])}",
                                     gap[j], gap[i], margin)
        elif high <= margin and p_small < ALPHA:
            evidence += (" The gap is shown within the margin, but FID test is not above FID "
                         "train at every width, nor shown below it, so the data cannot tell.")
        else:
            evidence += (f" Neither is shown, so the data cannot tell: the line's bounds span "
                         f"{high - low:.2f} FID points around a margin of {margin:.2f}.")
    return Verdict(claim, outcome, evidence)


def _fitted_rise(k: np.ndarray, M: np.ndarray) -> tuple[float, float, float]:
    """The least-squares line through every finite run of ``M`` (widths x seeds) against
    log2 k (:func:`..significance.line_slope`): its rise over the sweep's range and the
    one-sided (1 − ALPHA) lower and upper confidence bounds of that rise."""
    x = np.broadcast_to(np.log2(np.asarray(k, float))[:, None], M.shape)
    ok = np.isfinite(M)
    span = float(np.log2(k[-1] / k[0]))
    return tuple(span * v for v in line_slope(x[ok], M[ok], alpha=ALPHA))


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
                                            f"in the sweep ({_widths(k)}).")
    i, j = int(np.where(k == fixed)[0][0]), int(wider[-1])
    if one_seed(F, i, j):
        return Verdict(claim, NOT_TESTABLE, ONE_SEED)
    outcome, p_worse, p_better = welch_outcome(F[j], F[i])
    mean = np.nanmean(F, 1)
    margin = margin_at(k, F, fixed)
    p_large = welch_greater(F[j] - margin, F[i])
    evidence = (f"Mean FID {mean[i]:.1f} at {name}={fixed} → {mean[j]:.1f} at {name}={int(k[j])} "
                f"(Welch one-sided p = {p_pair(p_worse, p_better, 'worse', 'better')}; that it "
                f"is worse by more than the practical margin {margin:.1f}, "
                f"{PRACTICAL_MARGIN:.0%} of the FID at {name}={fixed}: {fmt_p(p_large)}).")
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
                     f"4 times in 5 (80% power at these seeds' spread); the paper calls the "
                     f"drop slight and gives no size, so this cannot tell a slight drop from "
                     f"none.")
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
    if outcome == NOT_REPRODUCED:  # the paper gives the change no size: cannot tell
        outcome = INCONCLUSIVE
        evidence += _cannot_tell(f"{label[5:]} from k={lo} to k={hi}", M[j], M[i])
    elif outcome == CONFIRMED and slight:
        margin = margin_at(k, M, lo)
        p_large = welch_greater(M[j] - margin, M[i])
        evidence += (f" Practical margin {margin:.1f} ({PRACTICAL_MARGIN:.0%} of the FID at "
                     f"k={lo}); one-sided Welch p that the rise exceeds it {fmt_p(p_large)}.")
        outcome, said = _slight(float(mean[j] - mean[i]), margin, p_large, "rise")
        evidence += said
    return Verdict(claim, outcome, evidence)
