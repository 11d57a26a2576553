"""The chapter's verdicts on Li et al.'s claims, and its answers on width and D steps.

* optimal-discriminator dynamics converge from every separated start (:func:`verdict_optimal`);
* first-order dynamics fail where the optimal ones succeed, by merging or degenerating
  (:func:`verdict_first_order`): a failure mode counts only when its runs are at least
  :data:`MIN_SHARE` of the runs and have held that outcome over at least the last
  :data:`PERSIST_FRAC` of the run (outcomes are snapshots: merged means can separate again);
* more intervals (:func:`width_answer`) and more D steps (:func:`d_steps_answer`).

:func:`study_verdicts` assembles all of them from a stored study; :func:`claim_check` is the
status page's check.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import ParameterError
from .comparisons import compare_starts, no_significant_drop, paired_difference, start_se
from .starts import (
    _DEGENERATE,
    _MERGED,
    _SUCCESS,
    distinct_starts,
    merge_possible,
    runs_of_separated_cells,
    separated_mask,
    start_vector,
)

NOT_TESTED = "not tested at this profile"
#: A failure mode counts when at least MIN_SHARE of the runs end in it and hold it over at
#: least the last PERSIST_FRAC of the run.
MIN_SHARE, PERSIST_FRAC = 0.05, 0.2
#: The optimal claim is 'partly reproduced' from this share of successful starts.
PARTLY_OPT = 0.9
#: First-order failure is substantial when first-order success at T is below FAIL_FRAC times
#: the optimal discriminator's; otherwise the first-order claim is at most partly reproduced.
FAIL_FRAC = 0.5


def persistent(codes: np.ndarray, settled: np.ndarray, outcome: int, T: int,
               frac: float = PERSIST_FRAC) -> np.ndarray:
    """Runs whose outcome at T is ``outcome`` and has held since step T - frac * T or earlier
    (``settled``: the step from which each run's final outcome held, experiments.settled_from)."""
    codes, settled = np.asarray(codes), np.asarray(settled)
    if codes.shape != settled.shape:
        raise ParameterError(f"codes {codes.shape} and settled {settled.shape} differ in shape")
    if not 0.0 <= frac <= 1.0:
        raise ParameterError(f"frac={frac!r} must be a fraction of the run in [0, 1]")
    return (codes == outcome) & (settled <= T - frac * T)


def verdict_optimal(rate: float, starts: int) -> str:
    """Claim: optimal-discriminator dynamics converge from every start with separated means.

    ``rate`` is the share of the ``starts`` separated starts (counted in both orders or not:
    the rate is the same) that succeed at T and have held success over the last
    :data:`PERSIST_FRAC` of the run. The verdict is about these starts, this step size and this
    horizon only.
    """
    if starts <= 0:
        raise ParameterError(f"starts={starts!r} must be positive (no separated starts)")
    if rate >= 1.0:
        return "reproduced"
    return "partly reproduced" if rate >= PARTLY_OPT else "not reproduced"


def verdict_first_order(fo_cells: np.ndarray, opt_cells: np.ndarray, merged: float,
                        degenerate: float, min_share: float = MIN_SHARE,
                        optimal: str | None = None, fail_frac: float = FAIL_FRAC) -> str:
    """Claim: first-order dynamics fail *where the optimal ones succeed*, by means merging or
    intervals degenerating.

    ``fo_cells`` and ``opt_cells`` are per-start success rates at T over the same starts
    (:func:`start_vector`);
    ``merged`` and ``degenerate`` are the shares of first-order runs that end in that mode and
    hold it (:func:`persistent`). ``optimal`` is the optimal claim's verdict
    (:func:`verdict_optimal`; by default that rule applied to ``opt_cells``' mean). The claim's
    premise is that the optimal discriminator succeeds, so the first-order claim is never rated
    above the optimal one. Reproduced when the optimal claim is, first-order success is lower
    (:func:`compare_starts`) *and* substantially so (below ``fail_frac`` times the optimal
    rate), and both modes reach ``min_share``; partly when lower and one mode does, or both do
    but the optimal claim is only partly reproduced or the failure is not substantial;
    otherwise not reproduced.
    """
    if optimal is None:
        optimal = verdict_optimal(float(np.mean(opt_cells)), len(np.asarray(opt_cells)))
    if optimal not in ("reproduced", "partly reproduced", "not reproduced"):
        raise ParameterError(f"optimal={optimal!r}; give a verdict_optimal verdict")
    lower = compare_starts(opt_cells, fo_cells) == "lower"
    modes = sum(share >= min_share for share in (merged, degenerate))
    if not lower or modes == 0 or optimal == "not reproduced":
        return "not reproduced"
    full = modes == 2 and optimal == "reproduced" and substantial(fo_cells, opt_cells, fail_frac)
    return "reproduced" if full else "partly reproduced"


def substantial(fo_cells: np.ndarray, opt_cells: np.ndarray,
                fail_frac: float = FAIL_FRAC) -> bool:
    """Is first-order failure substantial: mean first-order success below ``fail_frac`` times
    the optimal discriminator's mean success (over the same starts)?"""
    return float(np.mean(fo_cells)) < fail_frac * float(np.mean(opt_cells))


def _check_lengths(name: str, values: list, cells: list) -> None:
    if len(values) != len(cells):
        raise ParameterError(f"{len(values)} {name} but {len(cells)} per-start rate vectors; "
                             "give one per value")


def _k_list(ks: list[int]) -> str:
    """'4', '4 and 8', '4, 8 and 16'."""
    xs = [str(k) for k in ks]
    return xs[0] if len(xs) == 1 else ", ".join(xs[:-1]) + " and " + xs[-1]


def width_answer(widths: list[int], cells: list[np.ndarray], opt_cells: np.ndarray,
                 base: int = 2) -> dict[str, Any]:
    """Does a wider discriminator (more intervals) change first-order success vs k = ``base``?

    ``cells[i]`` holds the per-start success rates of width ``widths[i]`` (same starts for all).
    Every width above ``base`` is compared with ``base`` (:func:`compare_starts`): ``raises_at``,
    ``lowers_at`` and ``same_at`` list the widths that raise, lower or do not clearly change
    success. The decision, ``effect``, is the comparison at the **widest** width, fixed before
    looking at the rates (so it is symmetric and not the best width picked after the fact):
    'raises success', 'lowers success' or 'no clear effect'. ``vs_optimal`` compares the widest
    width with the optimal discriminator ('below' / 'same' / 'above') and
    ``below_optimal_everywhere`` says whether every width above ``base`` is below it.
    ``best_k`` (the highest rate) is description only. ``monotone`` is False when some width is
    significantly below a narrower one (among k >= base). ``verdict`` joins them in words; with
    no width but ``base`` every word is :data:`NOT_TESTED`.
    """
    _check_lengths("widths", widths, cells)
    if base not in widths:
        raise ParameterError(f"widths={widths!r} must include the base width k={base}")
    rates = [float(np.mean(c)) for c in cells]
    c0 = cells[widths.index(base)]
    out: dict[str, Any] = {"base_k": base, "base_rate": rates[widths.index(base)]}
    wider = sorted((i for i, k in enumerate(widths) if k > base), key=lambda i: widths[i])
    if not wider:
        return {**out, "best_k": None, "best_rate": None, "widest_k": None,
                "widest_rate": None, "effect": NOT_TESTED, "widest": NOT_TESTED,
                "raises_at": [], "lowers_at": [], "same_at": [],
                "vs_optimal": NOT_TESTED, "below_optimal_everywhere": None, "monotone": None,
                "verdict": NOT_TESTED}
    word = {"higher": "raises success", "lower": "lowers success", "same": "no clear effect"}
    cmp = {i: compare_starts(c0, cells[i]) for i in wider}
    at = {c: [int(widths[i]) for i in wider if cmp[i] == c] for c in ("higher", "lower", "same")}
    best = max(wider, key=lambda i: rates[i])
    widest = wider[-1]
    effect = word[cmp[widest]]
    vs = {i: {"lower": "below", "same": "same", "higher": "above"}[
        compare_starts(opt_cells, cells[i])] for i in wider}
    below_all = all(v == "below" for v in vs.values())
    order = [cells[i] for i in sorted(range(len(widths)), key=lambda i: widths[i])
             if widths[i] >= base]
    monotone = no_significant_drop(order)
    parts = [f"widest k = {widths[widest]}: {effect}"]
    if at["higher"]:
        parts.append(f"raises at k = {_k_list(at['higher'])}")
    if at["lower"]:
        parts.append(f"lowers at k = {_k_list(at['lower'])}")
    if effect == "raises success" and below_all:
        parts.append("every width still below the optimal discriminator's")
    if not monotone:
        parts.append("not monotone in k")
    return {**out, "best_k": int(widths[best]), "best_rate": rates[best],
            "best_vs_base": paired_difference(c0, cells[best]),
            "widest_k": int(widths[widest]), "widest_rate": rates[widest],
            "widest_vs_base": paired_difference(c0, cells[widest]),
            "effect": effect, "widest": effect,
            "raises_at": at["higher"], "lowers_at": at["lower"], "same_at": at["same"],
            "vs_optimal": vs[widest], "below_optimal_everywhere": below_all,
            "monotone": monotone, "verdict": "; ".join(parts)}


def d_steps_answer(d_steps: list[int], cells: list[np.ndarray]) -> dict[str, Any]:
    """How does the number of D steps per G step change first-order success vs one D step?

    ``cells[i]`` holds the per-start success rates with ``d_steps[i]`` D steps. ``rows`` gives
    every d with its rate and its word against d = 1 ('raises' / 'lowers' / 'does not clearly
    change', compare_starts); ``raises_at`` and ``lowers_at`` list the d that raise or lower
    success. The decision, ``effect``, is the word at the **largest** d, fixed before looking at
    the rates (symmetric: one d that raises does not outvote the others); ``best_d`` (the d > 1
    with the highest rate, the fewest steps on a tie) is description only. ``monotone`` is
    False when some d is significantly below a smaller d > 1. ``verdict`` joins them; with d = 1
    the only setting every word is :data:`NOT_TESTED`.
    """
    _check_lengths("d_steps", d_steps, cells)
    if 1 not in d_steps:
        raise ParameterError(f"d_steps={d_steps!r} must include 1 (the simultaneous steps)")
    order = sorted(range(len(d_steps)), key=lambda i: d_steps[i])
    c1 = cells[d_steps.index(1)]
    word = {"higher": "raises", "lower": "lowers", "same": "does not clearly change"}
    rows = [{"d": int(d_steps[i]), "rate": float(np.mean(cells[i])),
             "word": word[compare_starts(c1, cells[i])] if d_steps[i] != 1 else "(base)"}
            for i in order]
    more = [r for r in rows if r["d"] > 1]
    if not more:
        return {"rows": rows, "base_rate": rows[0]["rate"], "best_d": None, "best_rate": None,
                "largest_d": None, "effect": NOT_TESTED, "raises_at": [], "lowers_at": [],
                "monotone": None, "verdict": NOT_TESTED}
    best = max(more, key=lambda r: (r["rate"], -r["d"]))
    monotone = no_significant_drop([cells[i] for i in order if d_steps[i] > 1])
    raised = [r["d"] for r in more if r["word"] == "raises"]
    lowered = [r["d"] for r in more if r["word"] == "lowers"]
    effect = {"raises": "raises success", "lowers": "lowers success",
              "does not clearly change": "no clear effect"}[more[-1]["word"]]
    parts = [f"most D steps d = {more[-1]['d']}: {effect}"]
    if raised:
        parts.append(f"raises at d = {_k_list(raised)}")
    if lowered:
        parts.append(f"lowers at d = {_k_list(lowered)}")
    if not monotone:
        parts.append("not monotone in d")
    return {"rows": rows, "base_rate": rows[0]["rate"], "best_d": best["d"],
            "best_rate": best["rate"], "largest_d": more[-1]["d"], "effect": effect,
            "raises_at": raised, "lowers_at": lowered, "monotone": monotone,
            "verdict": "; ".join(parts)}


def study_verdicts(R: dict[str, Any]) -> dict[str, Any]:
    """Every verdict of the chapter from a stored study ``R`` (T: its last recorded step)."""
    T = int(np.asarray(R["steps"])[-1])
    G = int(np.asarray(R["opt_codes"]).shape[0])  # the grid's side
    opt_cells = start_vector(R["opt_codes"] == _SUCCESS)
    opt_persist = start_vector(persistent(R["opt_codes"], R["opt_settled"], _SUCCESS, T))
    k, d = np.asarray(R["k"]), np.asarray(R["d_steps"])
    i_heat = int(np.flatnonzero((k == 2) & (d == 1))[0])
    codes = runs_of_separated_cells(R["fo_codes"][i_heat])
    settled = runs_of_separated_cells(R["fo_settled"][i_heat])
    can_merge = runs_of_separated_cells(merge_possible(R["grid_x"], R["targets"],
                                                       R["fo_codes"].shape[-1]))
    held = {name: persistent(codes, settled, code, T)
            for name, code in (("merged", _MERGED), ("degenerate", _DEGENERATE))}
    held["merged"] = held["merged"] & can_merge  # merged from t = 0 is no failure of dynamics
    shares = {name: float(h.mean()) for name, h in held.items()}
    fo_cells = start_vector(R["fo_cell_success"][i_heat])
    optimal = verdict_optimal(float(opt_persist.mean()), len(opt_cells))
    w_rows = sorted(np.flatnonzero(d == 1), key=lambda i: k[i])
    d_rows = sorted(np.flatnonzero(k == 2), key=lambda i: d[i])
    widths = [int(k[i]) for i in w_rows]
    return {
        "T": T, "i_heat": i_heat, "opt_rate": float(opt_cells.mean()),
        "opt_persistent_rate": float(opt_persist.mean()),
        "cells": int(separated_mask(G).sum()), "starts": distinct_starts(G),
        "merged_at_start": int((~can_merge).sum()),
        "substantial": substantial(fo_cells, opt_cells),
        "optimal": optimal,
        "fo_rate": float(fo_cells.mean()), "fo_se": start_se(fo_cells),
        "fo_vs_opt": paired_difference(opt_cells, fo_cells), "persistent": shares,
        "first_order": verdict_first_order(fo_cells, opt_cells, shares["merged"],
                                           shares["degenerate"], optimal=optimal),
        "width": (width_answer(widths, [start_vector(R["fo_cell_success"][i]) for i in w_rows],
                               opt_cells) if 2 in widths else None),
        "d_steps": d_steps_answer([int(d[i]) for i in d_rows],
                                  [start_vector(R["fo_cell_success"][i]) for i in d_rows]),
    }


def claim_check(R: dict[str, Any]) -> tuple[bool, str]:
    """The status page's check of the paper's two claims (optimal converges; first-order
    fails by merging or degenerating), from :func:`study_verdicts`: passes when both are
    reproduced. The reason states the scope (grid starts, one step size, one horizon)."""
    v = study_verdicts(R)
    sh, T = v["persistent"], v["T"]
    ok = v["optimal"] == v["first_order"] == "reproduced"
    return ok, (
        f"optimal D: {v['opt_persistent_rate']:.0%} of {v['starts']} distinct separated grid "
        f"starts ({v['cells']} cells, each start in both orders) succeed at T = {T} and over its "
        f"last {PERSIST_FRAC:.0%} ({v['optimal']}); first-order, k = 2: {v['fo_rate']:.1%} "
        f"succeed at T (failure substantial below {FAIL_FRAC:.0%} of the optimal rate), means "
        f"merged {sh['merged']:.1%} (starts apart by at least the merge threshold only) and "
        f"intervals degenerate {sh['degenerate']:.1%} of runs, held over the last "
        f"{PERSIST_FRAC:.0%} (each needs >= {MIN_SHARE:.0%}; {v['first_order']}); one step "
        "size, one horizon")
