"""The trend rule: a value moves one way with the width k (Fig. 4's "FID falls with k")."""

from __future__ import annotations

import numpy as np

from ..significance import p_pair, rank_trend
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
    far_qualified,
    lost_runs,
    one_seed,
    row_means,
    welch_outcome,
)


def _value(m: float, fmt: str, unit: str) -> str:
    return f"{m:{fmt}}{unit}" if np.isfinite(m) else "none (no run finished)"


def trend_with_width(k: np.ndarray, F: np.ndarray, claim: str, rises: bool = False,
                     floor: float | None = None, name: str = "k", fmt: str = ".1f",
                     unit: str = "", label: str = "Mean", lost: np.ndarray | None = None
                     ) -> Verdict:
    """The trend rule: confirmed when both the narrowest and the widest width's means differ
    in the claimed direction (a fall, or with ``rises`` a rise; Welch, one-sided p < ALPHA)
    and, with three or more widths, the value moves that way with k across all runs
    (Spearman, one-sided p < ALPHA); contradicted when both find the opposite; inconclusive
    when only one of the two finds the claimed direction (the data lean for it, but the rule
    asks for both); not reproduced when neither does.

    With two widths the rank test would only repeat Welch's comparison, so the evidence says
    the trend rests on two widths. ``lost`` (widths x seeds, True where a run diverged) ranks
    those runs as the worst of all in the rank test (a diverged run is worse than any finite
    value) and names them in the evidence; Welch's test sees finite runs only, so with fewer
    than two finished runs at an end width the trend is not testable (divergence is judged by
    the stability rule, :func:`.rate.more_stable`, not read as FID). With
    ``floor``, the outcome on models far from the data is early-training evidence
    (:func:`.far_qualified`). ``name`` is the width's name in the evidence (k, or k_d / k_g
    when one side varies); the means are formatted with ``fmt``, followed by ``unit`` ("%")
    and introduced by ``label`` (what is averaged).
    """
    F = np.asarray(F, float)
    lost = None if lost is None else np.asarray(lost, bool)
    ranked = F.copy()
    if lost is not None:
        ranked[lost] = -np.inf if rises else np.inf
    mean = row_means(F)
    welch, p_fall_w, p_rise_w = welch_outcome(F[0], F[-1])
    use_rank = len(k) > 2
    rho, p_fall, p_up = rank_trend(k, ranked) if use_rank else (float("nan"), 0.0, 0.0)
    if rises:
        welch = {CONFIRMED: CONTRADICTED, CONTRADICTED: CONFIRMED}.get(welch, welch)
        p_for_w, p_against_w, p_for, p_against = p_rise_w, p_fall_w, p_up, p_fall
        way, other = "a rise", "a fall"
    else:
        p_for_w, p_against_w, p_for, p_against = p_fall_w, p_rise_w, p_fall, p_up
        way, other = "a fall", "a rise"
    against = int((np.diff(mean) < 0 if rises else np.diff(mean) > 0).sum())
    few = one_seed(F, 0, -1)
    split = use_rank and (welch == CONFIRMED) != (p_for < ALPHA)  # one test finds it
    outcome = (CONFIRMED if welch == CONFIRMED and p_for < ALPHA else
               CONTRADICTED if welch == CONTRADICTED and p_against < ALPHA else
               INCONCLUSIVE if split else NOT_REPRODUCED)
    evidence = (f"{label} {_value(mean[0], fmt, unit)} at {name}={int(k[0])} → "
                f"{_value(mean[-1], fmt, unit)} at {name}={int(k[-1])}"
                + ("" if few else f" (Welch one-sided p = "
                   f"{p_pair(p_for_w, p_against_w, way, other)})")
                + (f"; Spearman ρ = {rho:+.2f} over {int((~np.isnan(ranked)).sum())} runs "
                   f"(one-sided p = {p_pair(p_for, p_against, way, other)})" if use_rank
                   else "; two widths only, so no trend across widths")
                + f"; {against} of {len(mean) - 1} width steps go {'down' if rises else 'up'}."
                + lost_runs(k, lost, name, (~np.isnan(ranked)).sum(1)))
    if few:
        why = ("Fewer than two runs that did not diverge at an end width: no spread to judge "
               "the change against (the stability rule judges divergence)."
               if lost is not None and lost[[0, -1]].any() else ONE_SEED)
        return Verdict(claim, NOT_TESTABLE, f"{evidence} {why}")
    return far_qualified(Verdict(claim, outcome, evidence), far_from_data(F, floor, trend=True))


def improves_with_width(k: np.ndarray, F: np.ndarray, claim: str = "FID falls as k grows",
                        floor: float | None = None, name: str = "k",
                        lost: np.ndarray | None = None) -> Verdict:
    """:func:`trend_with_width` for a value that should fall with k (FID, NND)."""
    return trend_with_width(k, F, claim, False, floor, name, lost=lost)
