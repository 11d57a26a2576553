"""Fig. 4's generalisation gap, a claim about converged models: FID test stays above FID
train and the gap (FID test - FID train) does not grow with k (:func:`gap_does_not_grow`),
judged against the practical margin of :mod:`.converged`."""

from __future__ import annotations

import numpy as np

from ..significance import fmt_p, line_slope, welch_greater
from .converged import PRACTICAL_MARGIN, cannot_tell, margin_at
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


def negative_gaps(gap: np.ndarray) -> str:
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
        return Verdict(claim, NOT_TESTABLE, f"{gaps}{negative_gaps(gap)}. " + far)
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
    evidence += f"test {'above' if above else 'not always above'} train{negative_gaps(gap)}"
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
            evidence += cannot_tell(f"the gap from {name}={ref} to {name}={int(k[j])}",
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
