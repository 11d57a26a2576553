"""The paper's Sec. 3 claims, judged on one stored sweep at one profile.

Which claims a sweep is judged on comes from its registry entry (:mod:`.registry`): every
sweep is judged on "FID falls as k grows" and on the generalisation gap (Fig. 4); a
saturation width adds Fig. 4's plateau, a fixed side Fig. 7's slight drop beyond it,
``uptick`` Fig. 3's rise between two widths and ``convergence`` Fig. 5's rate. The rules
themselves are in :mod:`.summary`. The sweep chapters print these verdicts and the status
page summarises them, so both say the same.
"""

from __future__ import annotations

from .matrices import eval_curves, width_matrix, width_name
from .summary import (
    Verdict,
    converges_faster,
    far_from_data,
    gap_does_not_grow,
    improves_with_width,
    saturates_beyond,
    uptick_between,
    worse_beyond_fixed,
)
from .view import SweepView


def sweep_verdicts(view: SweepView) -> dict[str, Verdict]:
    """Every claim of the paper that ``view``'s sweep tests, judged on its stored runs (call
    it on a complete view: :attr:`SweepView.complete`), by rule: ``trend`` (FID falls with
    k), ``saturation``, ``uptick``, ``fixed`` (Fig. 7), ``gap`` and ``rate`` (Fig. 5), in the
    order the chapters print them."""
    spec, floor = view.spec, view.floor
    k, f_train = width_matrix(view.configs, view.recs, "fid_train")
    _, f_test = width_matrix(view.configs, view.recs, "fid_test")
    width = width_name(view.configs)
    found = {"trend": improves_with_width(k, f_train, f"FID falls as {width} grows", floor,
                                          width)}
    if spec.saturation:
        found["saturation"] = saturates_beyond(k, f_train, spec.saturation, floor)
    if spec.uptick:
        found["uptick"] = uptick_between(k, f_train, *spec.uptick, floor)
    if spec.vary != "both":
        found["fixed"] = worse_beyond_fixed(k, f_train, view.cfg["fixed"], floor, width)
    found["gap"] = gap_does_not_grow(k, f_train, f_test, floor)
    if spec.convergence:
        found["rate"] = converges_faster(eval_curves(view.configs, view.recs),
                                         far_from_data(f_train, floor, trend=True, what="rate"))
    return found
