"""The paper's Sec. 3 claims, judged on one stored sweep at one profile.

Which claims a sweep is judged on comes from its registry entry (:mod:`.registry`): every
sweep is judged on "FID falls as k grows" and on the generalisation gap (Fig. 4); a
saturation width adds Fig. 4's plateau, a fixed side Fig. 7's slight drop beyond it,
``uptick`` Fig. 3's rise between two widths and the growing gap the paper suggests may cause
it, and ``convergence`` Fig. 5's three rules (lower throughout training, faster, more stable:
:mod:`.summary.rate`). Where the paper does not state Fig. 4's gap claim for a sweep
(``gap_stated``), the gap rule still runs and its claim says it is carried over; likewise
Fig. 5's three rules where the paper does not state them (``convergence_stated``: Fig. 5 shows
DCGAN only, so the ResNet sweeps of Fig. 4 carry them over). Fig. 7 shows final FIDs only, but
its caption states "Even in this case, overparameterization improves model convergence"
(``convergence_read``): there the rules are the book's reading of that sentence, and their
claims say so (:data:`CONVERGENCE_READ`). The rules
themselves are in :mod:`.summary`. The sweep chapters print these verdicts and the status
page summarises them, so both say the same.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..profiles import settings
from .matrices import diverged_matrix, eval_curves, width_matrix, width_name
from .summary import (
    CONFIRMED,
    CONTRADICTED,
    INCONCLUSIVE,
    LEARNING_LABEL,
    NOT_REPRODUCED,
    NOT_TESTABLE,
    PRACTICAL_MARGIN,
    Reason,
    Verdict,
    converges_faster,
    far_from_data,
    far_qualified,
    gap_does_not_grow,
    gap_grows_between,
    gap_reference,
    improves_with_width,
    lost_runs,
    lower_throughout,
    margin_at,
    more_stable,
    saturates_beyond,
    still_learning,
    uptick_between,
    worse_beyond_fixed,
)
from .view import SweepView

# Fig. 5's rules, and what their claim adds where the paper does not state them for a sweep.
CONVERGENCE_RULES = ("lower", "rate", "stability")
CONVERGENCE_CARRIED = (" (Fig. 5's claim, shown for DCGAN only; the abstract states it 'across "
                       "the board')")
# ... and where the paper states convergence for the sweep in other words (Fig. 7's caption).
CONVERGENCE_READ = " ({}, read with Fig. 5's rules; the figure shows final FIDs only)"
# The rules on converged models (:mod:`.summary.converged`): they see finite runs only and are
# gated on flat curves.
CONVERGED_RULES = ("saturation", "uptick", "uptick_gap", "fixed", "gap")
# Outcomes of a rule whose test ran on these runs: a decision, or inconclusive (the data
# cannot tell). They carry the reduced-scale note and are gated on flat curves.
_TESTED = (CONFIRMED, CONTRADICTED, NOT_REPRODUCED, INCONCLUSIVE)


def sweep_verdicts(view: SweepView) -> dict[str, Verdict]:
    """Every claim of the paper that ``view``'s sweep tests, judged on its stored runs (call
    it on a complete view: :attr:`SweepView.complete`), by rule: ``trend`` (FID falls with
    k), ``saturation``, ``uptick``, ``uptick_gap`` (the gap grows over the uptick: the paper's
    possible cause), ``fixed`` (Fig. 7), ``gap`` (Fig. 4's; said to be carried over where the
    paper does not state it for the sweep), and Fig. 5's ``lower``
    (lower FID throughout training), ``rate`` (converges faster) and ``stability``, in the
    order the chapters print them; Fig. 5's rules, like the gap rule, say in their claim when
    they are carried over to a sweep the paper does not state them for. Diverged runs count
    as the worst runs."""
    spec, floor = view.spec, view.floor
    k, f_train = width_matrix(view.configs, view.recs, "fid_train")
    _, f_test = width_matrix(view.configs, view.recs, "fid_test")
    _, lost = diverged_matrix(view.configs, view.recs)
    width = width_name(view.configs)
    found = {"trend": improves_with_width(k, f_train, f"FID falls as {width} grows", floor,
                                          width, lost=lost)}
    if spec.saturation:
        found["saturation"] = saturates_beyond(k, f_train, spec.saturation, floor)
    if spec.uptick:
        # judged on FID test: the split a growing generalisation gap (the paper's cause) can
        # raise; FID train cannot rise through it
        found["uptick"] = uptick_between(k, f_test, *spec.uptick, floor, "Mean FID test",
                                         F_far=f_train)
        found["uptick_gap"] = _cause_of(found["uptick"], gap_grows_between(
            k, f_train, f_test, *spec.uptick, floor))
    if spec.vary != "both":
        paper_fixed = settings(spec.name, "paper").get("fixed")
        found["fixed"] = worse_beyond_fixed(k, f_train, view.cfg["fixed"], floor, width,
                                            paper_fixed)
    found["gap"] = gap_does_not_grow(k, f_train, f_test, floor, width, spec.saturation)
    if not spec.gap_stated:
        found["gap"] = replace(found["gap"], claim=found["gap"].claim
                               + " (Fig. 4's claim; the paper does not state it for this sweep)")
    if lost.any():  # the converged-model rules see finite runs only: say which were left out
        note = lost_runs(k, lost, width, lead="Left out, diverged")
        for rule in CONVERGED_RULES:
            if rule in found:
                found[rule] = replace(found[rule], evidence=found[rule].evidence + note)
    curves = eval_curves(view.configs, view.recs)
    found = _converged_only_if_flat(found, curves, width, _reads(view, k, f_train, f_test))
    found["trend"] = _trend_if_flat(found["trend"], curves, width)
    if spec.convergence:
        per_width = dict(zip(k.tolist(), lost.sum(1).tolist(), strict=True))
        far = far_from_data(f_train, floor, trend=True, what="rate")
        found["lower"] = lower_throughout(curves, far, width, per_width)
        found["rate"] = converges_faster(curves, far, width, per_width)
        runs = {int(w): int(n) for w, n in zip(k, np.isfinite(f_train).sum(1) + lost.sum(1),
                                                 strict=True)}
        found["stability"] = more_stable(curves, far, width, per_width, runs)
        if not spec.convergence_stated:
            note = (CONVERGENCE_READ.format(spec.convergence_read) if spec.convergence_read
                    else CONVERGENCE_CARRIED)
            for rule in CONVERGENCE_RULES:
                found[rule] = replace(found[rule], claim=found[rule].claim + note)
    if source := view.floor_source:  # a floor this sweep did not store: say whose it is
        found = {r: replace(v, evidence=f"{v.evidence} (The data's floor at this N is read from "
                                        f"{source}, another sweep's summary.)")
                 if "floor" in v.evidence else v for r, v in found.items()}
    return _reduced_scale(found, view)


def _cause_of(uptick: Verdict, cause: Verdict) -> Verdict:
    """Fig. 3's possible cause is judged only where there is an uptick to explain: not
    testable when the uptick itself is contradicted or not reproduced (a growing gap cannot
    explain a fall, or a rise beyond what the paper calls marginal), nor when the uptick is
    not testable."""
    if uptick.outcome in (CONTRADICTED, NOT_REPRODUCED, NOT_TESTABLE) and \
            cause.outcome != NOT_TESTABLE:
        return replace(cause, outcome=NOT_TESTABLE, evidence=(
            f"{cause.evidence} Not judged: the uptick it would explain is "
            f"\"{uptick.outcome}\"."))
    return cause


def _reads(view: SweepView, k: np.ndarray, f_train: np.ndarray, f_test: np.ndarray
           ) -> dict[str, tuple[list[int], float]]:
    """Per converged-model rule: the widths it reads and its margin in FID points
    (:func:`.summary.converged.margin_at` at its reference width), for the gate."""
    spec, ks = view.spec, [int(w) for w in k]
    out: dict[str, tuple[list[int], float]] = {}
    if spec.saturation in ks:
        out["saturation"] = ([w for w in ks if w >= spec.saturation],
                             margin_at(k, f_train, spec.saturation))
    if spec.uptick and all(w in ks for w in spec.uptick):
        lo, hi = spec.uptick
        judged = f_test if np.isfinite(f_test).any() else f_train  # uptick_between's FIDs
        out["uptick"] = out["uptick_gap"] = ([lo, hi], margin_at(k, judged, lo))
    if spec.vary != "both" and view.cfg["fixed"] in ks:
        fixed = int(view.cfg["fixed"])
        out["fixed"] = ([fixed, ks[-1]], margin_at(k, f_train, fixed))
    out["gap"] = (ks, margin_at(k, f_train, gap_reference(k, f_train, spec.saturation)))
    return out


def _converged_only_if_flat(found: dict[str, Verdict], curves, width: str,
                            reads: dict[str, tuple[list[int], float]]) -> dict[str, Verdict]:
    """A converged-model verdict whose test ran becomes *not testable* when the stored
    curves do not show the widths it reads (``reads``: rule -> widths, margin) to have
    stopped learning within its margin (:func:`.summary.still_learning`), with the reason."""
    out = dict(found)
    for r in CONVERGED_RULES:
        if r in found and found[r].outcome in _TESTED:
            widths, margin = reads.get(r, (None, None))
            if why := still_learning(curves, width, widths, margin):
                out[r] = replace(found[r], outcome=NOT_TESTABLE,
                                 evidence=f"{found[r].evidence} {why}")
    return out


def _trend_if_flat(trend: Verdict, curves, width: str) -> Verdict:
    """Fig. 4's "FID falls as k grows" is a claim about converged models too: a trend judged
    on runs whose stored curves do not show every width to have stopped learning
    (:func:`.summary.still_learning`) is early-training evidence (labelled "not shown
    converged"), as one judged far from the data is. A width counts as settled *for the
    trend* when its late change is bounded within its practical margin or within half the
    distance to the nearest other width's mean last FID, whichever is larger: a change that
    cannot reach its neighbours cannot reorder the widths (a collapsed width far above the
    rest need not be flat). A short run's trend is partly a claim about speed."""
    if trend.outcome not in (CONFIRMED, CONTRADICTED, NOT_REPRODUCED, INCONCLUSIVE):
        return trend
    last = {k: float(np.nanmean(c[:, -1])) for k, (_, c) in curves.items()}
    margins = {k: max(PRACTICAL_MARGIN * v, 0.5 * min((abs(v - w) for j, w in last.items()
                                                        if j != k), default=0.0))
               for k, v in last.items()}
    why = still_learning(curves, width, margin=margins,
                         conclusion="so the trend is read as an early-training trend")
    return far_qualified(trend, Reason(why, LEARNING_LABEL)) if why else trend


def _reduced_scale(found: dict[str, Verdict], view: SweepView) -> dict[str, Verdict]:
    """Below the `paper` profile, every verdict whose test ran on these runs (confirmed,
    contradicted, not reproduced, inconclusive) says in its own text that it is on
    reduced-scale runs, with the share of the paper's iterations and the N of its FIDs."""
    if view.profile == "paper":
        return found
    paper = settings(view.spec.name, "paper")
    note = (f"Reduced scale: the {view.profile} profile trains "
            f"{100 * view.cfg['iters'] / paper['iters']:.2g}% of the paper profile's "
            f"{paper['iters']:,} iterations with FID on N = {view.cfg['eval_n']:,}, so this "
            f"judges these runs, not the paper's converged models.")
    return {r: (replace(v, evidence=f"{note} {v.evidence}") if v.outcome in _TESTED else v)
            for r, v in found.items()}
