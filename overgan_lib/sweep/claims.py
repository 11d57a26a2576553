"""The paper's Sec. 3 claims, judged on one stored sweep at one profile.

Which claims a sweep is judged on comes from its registry entry (:mod:`.registry`): every
sweep is judged on "FID falls as k grows" and on the generalisation gap (Fig. 4); a
saturation width adds Fig. 4's plateau, a fixed side Fig. 7's slight drop beyond it,
``uptick`` Fig. 3's rise between two widths and the growing gap the paper suggests may cause
it, and ``convergence`` Fig. 5's three rules (lower throughout training, faster, more stable:
:mod:`.summary.rate`). Where the paper does not state Fig. 4's gap claim for a sweep
(``gap_stated``), the gap rule still runs and its claim says it is carried over; likewise
Fig. 5's three rules where the paper does not state them (``convergence_stated``: Fig. 5 shows
DCGAN only, so the ResNet sweeps, Fig. 7's included, carry them over). The rules
themselves are in :mod:`.summary`. The sweep chapters print these verdicts and the status
page summarises them, so both say the same.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..profiles import settings
from .matrices import diverged_matrix, eval_curves, width_matrix, width_name
from .summary import (
    Verdict,
    converges_faster,
    far_from_data,
    gap_does_not_grow,
    gap_grows_between,
    improves_with_width,
    lost_runs,
    lower_throughout,
    more_stable,
    saturates_beyond,
    uptick_between,
    worse_beyond_fixed,
)
from .view import SweepView

# Fig. 5's rules, and what their claim adds where the paper does not state them for a sweep.
CONVERGENCE_RULES = ("lower", "rate", "stability")
CONVERGENCE_CARRIED = (" (Fig. 5's claim, shown for DCGAN only; the paper does not state it for "
                       "this sweep)")


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
        found["uptick"] = uptick_between(k, f_train, *spec.uptick, floor)
        found["uptick_gap"] = gap_grows_between(k, f_train, f_test, *spec.uptick, floor)
    if spec.vary != "both":
        paper_fixed = settings(spec.name, "paper").get("fixed")
        found["fixed"] = worse_beyond_fixed(k, f_train, view.cfg["fixed"], floor, width,
                                            paper_fixed)
    found["gap"] = gap_does_not_grow(k, f_train, f_test, floor, width)
    if not spec.gap_stated:
        found["gap"] = replace(found["gap"], claim=found["gap"].claim
                               + " (Fig. 4's claim; the paper does not state it for this sweep)")
    if lost.any():  # the converged-model rules see finite runs only: say which were left out
        note = lost_runs(k, lost, width, lead="Left out, diverged")
        for rule in ("saturation", "uptick", "uptick_gap", "fixed", "gap"):
            if rule in found:
                found[rule] = replace(found[rule], evidence=found[rule].evidence + note)
    if spec.convergence:
        curves = eval_curves(view.configs, view.recs)
        per_width = dict(zip(k.tolist(), lost.sum(1).tolist(), strict=True))
        far = far_from_data(f_train, floor, trend=True, what="rate")
        found["lower"] = lower_throughout(curves, far, width, per_width)
        found["rate"] = converges_faster(curves, far, width, per_width)
        runs = {int(w): int(n) for w, n in zip(k, np.isfinite(f_train).sum(1) + lost.sum(1),
                                                 strict=True)}
        found["stability"] = more_stable(curves, far, width, per_width, runs)
        if not spec.convergence_stated:
            for rule in CONVERGENCE_RULES:
                found[rule] = replace(found[rule], claim=found[rule].claim + CONVERGENCE_CARRIED)
    return found
