"""Checks of the theory chapters' findings (chapters 1-4), each on the records of the
profile a claim is judged at."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import summaries
from ..store import Record
from .rules import Check


def _one(recs: dict[str, list[Record]], experiment: str) -> dict[str, Any]:
    return recs[experiment][0].data


def _width_gain(experiment: str, key: str, factor: float) -> Check:
    """Median final loss at the widest width <= factor x the median at the narrowest."""

    def check(recs: dict[str, list[Record]]) -> tuple[bool, str]:
        med = np.median(np.asarray(_one(recs, experiment)[key], dtype=float), axis=1)
        ok = bool(med[-1] <= factor * med[0])
        return ok, (f"median {key} {med[0]:.2g} at the narrowest width vs {med[-1]:.2g} at the "
                    f"widest ({'<=' if ok else '>'} {factor:g}x)")

    return check


def _same_saddle(recs: dict[str, list[Record]]) -> tuple[bool, str]:
    """GDA and GD end at the same W (eq. 5): median relative gap < 5% at the widest width."""
    gap = float(np.median(_one(recs, "formulation")["w_gap_rel"][-1]))
    return gap < 0.05, f"median ‖W_GDA − W_GD‖ / ‖W_GD − W_0‖ = {gap:.2g} at the widest width"


def _lemma_a2(recs: dict[str, list[Record]]) -> tuple[bool, str]:
    """Lemma A.2: the spectral radius never exceeds the bound on any draw."""
    d = _one(recs, "eigen")
    bad = int(np.sum(np.asarray(d["a2_rho"]) > np.asarray(d["a2_bound"]) * (1 + 1e-9)))
    return bad == 0, f"{bad} of {np.size(d['a2_rho'])} draws above the Lemma A.2 bound"


def _lemma_a3(recs: dict[str, list[Record]]) -> tuple[bool, str]:
    """Lemma A.3: kappa_i <= 5 on every draw; ||A^t|| <= 5 (1 - eta alpha^2)^t where measured."""
    d = _one(recs, "eigen")
    kap, gam = np.asarray(d["a3_kappa"], dtype=float), np.asarray(d["a3_gamma_emp"], dtype=float)
    ok = bool(kap.max() <= 5 and gam.max() <= 5)
    return ok, (f"Lemma A.3: max κ_i {kap.max():.3g} over {kap.size} draws and max_t "
                f"‖A^t‖/(1−ηα²)^t {gam.max():.3g} over {gam.size} ({'≤' if ok else 'not ≤'} 5)")


def _lemmas_a2_a3(recs: dict[str, list[Record]]) -> tuple[bool, str]:
    """Lemmas A.2 and A.3 both hold on every stored draw."""
    (ok2, why2), (ok3, why3) = _lemma_a2(recs), _lemma_a3(recs)
    return ok2 and ok3, f"{why2}; {why3}"


def _theorem_a4(recs: dict[str, list[Record]]) -> tuple[bool, str]:
    """Theorem A.4: bounds (25)-(28) hold on every run where the theorem's hypotheses hold.

    A bound that holds on a run outside the hypotheses is no evidence for the theorem (chapter 3:
    at small k it is an artefact of the short horizon), so those runs are only counted.
    """
    d = _one(recs, "perturbation")
    flags = np.stack([np.asarray(d[f"ok{i}"], dtype=bool) for i in (25, 26, 27, 28)]).all(0)
    v = summaries.theorem_a4_verdict(d["hyp_ok"], flags)
    return bool(v["reproduced"]), (
        f"hypotheses met on {v['hyp']} of {v['runs']} runs; bounds (25)-(28) hold on "
        f"{v['ok_on_hyp']} of those {v['hyp']} (on {v['ok_all']} of all {v['runs']}; "
        "at the stored horizon T)")


def _all_checks(*checks: Check) -> Check:
    """A check that passes iff every one of ``checks`` passes; reasons joined."""

    def check(recs: dict[str, list[Record]]) -> tuple[bool, str]:
        res = [c(recs) for c in checks]
        return all(ok for ok, _ in res), "; ".join(why for _, why in res)

    return check


def _diter_width_gain(recs: dict[str, list[Record]]) -> tuple[bool, str]:
    """Fig. 9 (c), width: every d_iter variant gains the factor 1e-6 from narrowest to widest."""
    d = _one(recs, "fig9")
    med = np.median(np.asarray(d["diter_final"], dtype=float), axis=2)  # d_iters x widths
    ok = bool((med[:, -1] <= 1e-6 * med[:, 0]).all())
    its = ", ".join(str(int(i)) for i in d["d_iters"])
    return ok, f"width gain ≤ 1e-6x {'holds' if ok else 'fails'} for d_iter = {its}"


def _diter_more_steps_help(recs: dict[str, list[Record]]) -> tuple[bool, str]:
    """Fig. 9 (c), ascent steps: the most ascent steps end lowest at most converged widths.

    Counted over widths where every variant converged (median below 1e-12) but none is at
    float64 round-off (there the order is noise); plateaus at an unreachable target are left out.
    """
    d = _one(recs, "fig9")
    med = np.median(np.asarray(d["diter_final"], dtype=float), axis=2)
    lowest, live = summaries.lowest_variant(med, ceiling=1e-12)
    most, fewest = int(np.argmax(d["d_iters"])), int(np.argmin(d["d_iters"]))
    n_live, n_top = int(live.sum()), int((lowest[live] == most).sum())
    ok = n_live > 0 and 2 * n_top > n_live
    return ok, (f"d_iter={int(d['d_iters'][most])} ends lowest at {n_top} of {n_live} converged "
                f"widths above round-off (d_iter={int(d['d_iters'][fewest])}: "
                f"{int((lowest[live] == fewest).sum())})")
