"""Verdicts and descriptions the Li et al. (2018) chapter draws from its stored study.

These functions only read numbers that :func:`.experiments.li2018_study` computed; none of
them feeds a stored result, so they live apart from the study (changing them does not make
the stored li2018 results stale). :func:`study_verdicts` assembles every verdict of the chapter
and :func:`claim_check` is the status page's check of the paper's two claims; both are built
from the same rules:

* cells (i, j) and (j, i) are the same start with the means relabelled (:func:`pooled_cells`,
  :func:`distinct_starts`), so a start's rate is the mean of its two cells (:func:`start_vector`);
* rates are compared **paired over starts** (:func:`compare_starts`): every configuration runs
  the same starts, so the standard error is that of the mean per-start difference (clustered by
  start; no independence between the runs of one start, in either of its cells, is assumed,
  whether or not the rate varies from cell to cell beyond binomial noise: :func:`spread_ratio`
  says how much it does);
* a failure mode counts only when its runs are at least :data:`MIN_SHARE` of the runs and have
  held that outcome over at least the last :data:`PERSIST_FRAC` of the run (outcomes are
  snapshots: merged means can separate again).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ParameterError

NOT_TESTED = "not tested at this profile"
#: A difference in success rate counts when it exceeds MIN_DIFF and Z standard errors.
MIN_DIFF, Z = 0.05, 2.0
#: A failure mode counts when at least MIN_SHARE of the runs end in it and hold it over at
#: least the last PERSIST_FRAC of the run.
MIN_SHARE, PERSIST_FRAC = 0.05, 0.2
#: The optimal claim is 'partly reproduced' from this share of successful starts.
PARTLY_OPT = 0.9
#: shortfall_share: a discriminator 'recovers little' of the TV below this fraction.
LITTLE = 0.1
#: First-order failure is substantial when first-order success at T is below FAIL_FRAC times
#: the optimal discriminator's; otherwise the first-order claim is at most partly reproduced.
FAIL_FRAC = 0.5
_SUCCESS, _MERGED, _DEGENERATE = 0, 1, 2  # dynamics.SUCCESS, MERGED, DEGENERATE
_MERGE_FRAC = 0.25  # dynamics.MERGE_FRAC (merged: gap below this x the target gap)


def separated_mask(grid: int) -> np.ndarray:
    """(grid, grid) mask of the cells with mu_1^0 != mu_2^0 (off the diagonal)."""
    return ~np.eye(grid, dtype=bool)


def distinct_starts(grid: int) -> int:
    """Distinct separated starts of a (grid, grid) map: cells (i, j) and (j, i) are the same
    start with the means relabelled (the model and the success test are symmetric in them)."""
    return grid * (grid - 1) // 2


def pooled_cells(cell_rates: np.ndarray) -> np.ndarray:
    """(G, G) map with each cell and its mirror (j, i) averaged: the rate of one start over the
    draws of both cells (equal draws per cell), symmetric."""
    m = np.asarray(cell_rates, dtype=float)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ParameterError(f"cell rates have shape {m.shape}; give a (G, G) map")
    return (m + m.T) / 2


def mirror_correlation(cell_rates: np.ndarray) -> float:
    """Correlation of the rates of cells (i, j) and (j, i) over the separated starts (nan when
    either side is constant): near 1 when the start sets the rate, near 0 when noise does."""
    m = np.asarray(cell_rates, dtype=float)
    iu = np.triu_indices(len(m), 1)
    a, b = m[iu], m.T[iu]
    if a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def spread_ratio(cell_rates: np.ndarray, draws: int) -> float:
    """Standard deviation of the per-cell rates over the separated cells, divided by the
    binomial standard deviation sqrt(p (1 - p) / draws) at their mean rate p: about 1 when the
    cells differ by sampling noise alone (nan when p is 0 or 1)."""
    if draws <= 0:
        raise ParameterError(f"draws={draws!r} must be positive")
    v = cell_vector(cell_rates)
    p = float(v.mean())
    if p in (0.0, 1.0):
        return float("nan")
    return float(v.std(ddof=1) / np.sqrt(p * (1 - p) / draws))


def cell_vector(cell_rates: np.ndarray) -> np.ndarray:
    """The per-cell rates of a (G, G) map at the separated cells, as a flat (C,) vector."""
    cell_rates = np.asarray(cell_rates, dtype=float)
    if cell_rates.ndim != 2 or cell_rates.shape[0] != cell_rates.shape[1]:
        raise ParameterError(f"cell rates have shape {cell_rates.shape}; give a (G, G) map")
    return cell_rates[separated_mask(len(cell_rates))]


def start_vector(cell_rates: np.ndarray) -> np.ndarray:
    """The per-start rates of a (G, G) map as a flat (S,) vector, S = G (G - 1) / 2: each
    separated start (i < j) has the mean of its two cells (i, j) and (j, i)
    (:func:`pooled_cells`). Its mean is the mean over the separated cells."""
    m = pooled_cells(cell_rates)
    return m[np.triu_indices(len(m), 1)]


def start_se(rates: np.ndarray) -> float:
    """Standard error of the mean of per-start rates (S,): clustered by start."""
    rates = np.asarray(rates, dtype=float)
    if rates.ndim != 1 or len(rates) < 2:
        raise ParameterError(f"{rates.shape} per-start rates; give a vector of at least 2 "
                             "starts")
    return float(rates.std(ddof=1) / np.sqrt(len(rates)))


def paired_difference(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(mean of b - a, its standard error) over starts, for per-start rates of the same
    starts (:func:`start_vector`)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ParameterError(f"per-start rates of shapes {a.shape} and {b.shape}; give the "
                             "same starts for both")
    diff = b - a
    return float(diff.mean()), start_se(diff)


def difference_counts(diff: float, se: float, min_diff: float = MIN_DIFF, z: float = Z) -> bool:
    """Does a mean per-start difference ``diff`` with standard error ``se`` count: beyond
    both ``min_diff`` and ``z`` standard errors (the rule of :func:`compare_starts`)?"""
    return abs(diff) > max(min_diff, z * se)


def compare_starts(a: np.ndarray, b: np.ndarray, min_diff: float = MIN_DIFF,
                   z: float = Z) -> str:
    """'higher', 'lower' or 'same': is the success rate b above or below a?

    ``a`` and ``b`` are per-start success rates over the same starts ((S,),
    :func:`start_vector`). A difference counts when the mean per-start difference exceeds
    both ``min_diff`` and ``z`` standard errors of that mean (paired over starts: the start
    effects cancel, and no independence between the runs of one start is assumed).
    """
    for name, v in (("a", a), ("b", b)):
        v = np.asarray(v, dtype=float)
        if v.size and (v.min() < 0 or v.max() > 1):
            raise ParameterError(f"{name} has rates outside [0, 1]; give per-start success "
                                 "rates")
    diff, se = paired_difference(a, b)
    if difference_counts(diff, se, min_diff, z):
        return "higher" if diff > 0 else "lower"
    return "same"


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


def runs_of_separated_cells(x: np.ndarray) -> np.ndarray:
    """The runs (G, G, n) of the separated cells, flattened to (C * n,)."""
    x = np.asarray(x)
    return x[separated_mask(x.shape[0])].reshape(-1)


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


def merge_possible(grid_x: np.ndarray, targets: np.ndarray, runs: int,
                   merge_frac: float = _MERGE_FRAC) -> np.ndarray:
    """(G, G, runs) mask of the runs whose initial means are at least the merge threshold
    (``merge_frac`` x the target gap, dynamics.classify's rule) apart: only these can *become*
    merged; a start already closer than the threshold is merged at t = 0, before any dynamics."""
    x, t = np.asarray(grid_x, dtype=float), np.asarray(targets, dtype=float)
    gap = np.abs(x[:, None] - x[None, :])
    ok = gap >= merge_frac * abs(float(t[1] - t[0]))
    return np.broadcast_to(ok[..., None], (len(x), len(x), runs))


def _check_lengths(name: str, values: list, cells: list) -> None:
    if len(values) != len(cells):
        raise ParameterError(f"{len(values)} {name} but {len(cells)} per-start rate vectors; "
                             "give one per value")


def _monotone(order: list[np.ndarray]) -> bool:
    """False when a later entry is significantly below an earlier one (compare_starts)."""
    return not any(compare_starts(a, b) == "lower"
                   for i, a in enumerate(order) for b in order[i + 1:])


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
    monotone = _monotone(order)
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
    monotone = _monotone([cells[i] for i in order if d_steps[i] > 1])
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


def late_mean(steps: np.ndarray, curves: np.ndarray, start_frac: float = 0.5) -> np.ndarray:
    """Mean of each curve (configs, R) over the recorded steps t >= start_frac * T."""
    steps, curves = np.asarray(steps), np.asarray(curves, dtype=float)
    if curves.shape[-1] != len(steps):
        raise ParameterError(f"curves have {curves.shape[-1]} points but {len(steps)} steps")
    return curves[..., steps >= start_frac * steps[-1]].mean(-1)


def shortfall_share(shortfall: np.ndarray, tv: np.ndarray,
                    little: float = LITTLE) -> dict[str, Any]:
    """How far first-order discriminators are from a best response, per configuration.

    ``shortfall`` (configs,) is the mean of 1 + TV - L(mu, I) and ``tv`` the mean TV over the
    same runs and steps (:func:`late_mean`). ``share`` = shortfall / TV: 0 for a best response,
    1 for a discriminator whose loss is 1 (it captures no net mass). ``recovers_little`` is
    True when every share is at least 1 - ``little``: the discriminators recover less than
    that fraction of the TV.
    """
    shortfall, tv = np.asarray(shortfall, dtype=float), np.asarray(tv, dtype=float)
    if shortfall.shape != tv.shape or (tv <= 0).any():
        raise ParameterError(f"shortfall {shortfall.shape} and tv {tv.shape}: give positive "
                             "mean TVs of the same configurations")
    share = shortfall / tv
    return {"share": share, "min": float(share.min()), "max": float(share.max()),
            "recovers_little": bool((share >= 1 - little).all())}


def start_in_tolerance(grid_x: np.ndarray, targets: np.ndarray, tol: float) -> np.ndarray:
    """(G, G) mask of grid cells whose initial means already match the targets within ``tol``
    (up to permutation, as dynamics.classify): success at t = 0."""
    x, t = np.asarray(grid_x, dtype=float), np.asarray(targets, dtype=float)
    a, b = np.meshgrid(x, x, indexing="ij")
    same = np.maximum(np.abs(a - t[0]), np.abs(b - t[1]))
    swap = np.maximum(np.abs(a - t[1]), np.abs(b - t[0]))
    return np.minimum(same, swap) < tol


def rule_comparisons(R: dict[str, Any]) -> list[tuple[str, float, float]]:
    """Every paired comparison the chapter's rules make on a stored study ``R``, as (label,
    mean per-start difference, its standard error): first-order k = 2 vs the optimal
    discriminator; each width above 2 vs k = 2 and vs the optimal discriminator; every pair of
    widths k >= 2 (monotonicity); each d > 1 vs d = 1; every pair of d > 1 (monotonicity)."""
    opt = start_vector(R["opt_codes"] == _SUCCESS)
    k, d = np.asarray(R["k"]), np.asarray(R["d_steps"])
    cells = {(int(k[i]), int(d[i])): start_vector(R["fo_cell_success"][i]) for i in range(len(k))}
    pairs = [("k=2 vs optimal", opt, cells[(2, 1)])]
    ws = sorted(kk for kk, dd in cells if dd == 1 and kk >= 2)
    pairs += [(f"k={w} vs k=2", cells[(2, 1)], cells[(w, 1)]) for w in ws if w > 2]
    pairs += [(f"k={w} vs optimal", opt, cells[(w, 1)]) for w in ws if w > 2]
    pairs += [(f"k={b} vs k={a}", cells[(a, 1)], cells[(b, 1)])
              for i, a in enumerate(ws) for b in ws[i + 1:] if a > 2]  # a = 2: vs k=2 above
    ds = sorted(dd for kk, dd in cells if kk == 2 and dd > 1)
    pairs += [(f"d={x} vs d=1", cells[(2, 1)], cells[(2, x)]) for x in ds]
    pairs += [(f"d={b} vs d={a}", cells[(2, a)], cells[(2, b)])
              for i, a in enumerate(ds) for b in ds[i + 1:]]
    return [(label, *paired_difference(a, b)) for label, a, b in pairs]


def multiplicity(comparisons: list[tuple[str, float, float]], z: float = Z,
                 min_diff: float = MIN_DIFF) -> dict[str, Any]:
    """What a Bonferroni correction would change in ``comparisons`` ((label, diff, se), as
    :func:`rule_comparisons`). Each rule tests at ``z`` standard errors (two-sided level
    2 * (1 - Phi(z))) with no correction; Bonferroni over n comparisons at the same family-wise
    level needs ``z_bonferroni`` = Phi^-1(1 - (1 - Phi(z)) / n). ``counted``: labels whose
    difference counts by :func:`compare_starts`' rule; ``lost``: those of them that would not
    count at ``z_bonferroni`` (the ``min_diff`` floor applies to both)."""
    from statistics import NormalDist

    if not comparisons:
        raise ParameterError("no comparisons given; give (label, diff, se) tuples")
    nd = NormalDist()
    n = len(comparisons)
    z_b = nd.inv_cdf(1 - (1 - nd.cdf(z)) / n)
    counted = [lab for lab, diff, se in comparisons if difference_counts(diff, se, min_diff, z)]
    lost = [lab for lab, diff, se in comparisons if difference_counts(diff, se, min_diff, z)
            and not difference_counts(diff, se, min_diff, z_b)]
    return {"n": n, "z": z, "z_bonferroni": z_b, "counted": counted, "lost": lost}


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


def example_summary(steps: np.ndarray, mu: np.ndarray, ends: np.ndarray,
                    merge_gap: float) -> dict[str, Any]:
    """What one recorded first-order path does (the chapter's failure examples).

    ``steps`` (R,), ``mu`` (R, 2), ``ends`` (R, 2k). Merged means |mu_1 - mu_2| <
    ``merge_gap`` (the rule of dynamics.classify). Returns how often the means merged and
    separated again, the largest gap after the first merge and its step, the last step at which
    they were apart, the final gap, the final interval lengths (min, max) and how far each mean
    moved over the second half of the run.
    """
    steps, mu, ends = np.asarray(steps), np.asarray(mu), np.asarray(ends)
    if not (len(steps) == len(mu) == len(ends)) or len(steps) < 2:
        raise ParameterError(f"steps, mu, ends have {len(steps)}, {len(mu)}, {len(ends)} rows; "
                             "give the same number, at least 2")
    gap = np.abs(mu[:, 0] - mu[:, 1])
    merged = gap < merge_gap
    first = int(np.argmax(merged)) if merged.any() else len(gap)
    after = gap[first:] if first < len(gap) else np.zeros(0)
    i_max = first + int(np.argmax(after)) if len(after) else None
    apart = np.flatnonzero(~merged)
    lengths = ends[-1, 1::2] - ends[-1, 0::2]
    half = len(steps) // 2
    return {"merges": int(merged[0]) + int((merged[1:] & ~merged[:-1]).sum()),
            "separations": int((~merged[1:] & merged[:-1]).sum()),
            "max_gap_after_merge": float(after.max()) if len(after) else None,
            "max_gap_after_merge_step": int(steps[i_max]) if i_max is not None else None,
            "last_apart_step": int(steps[apart[-1]]) if len(apart) else None,
            "final_gap": float(gap[-1]),
            "final_length_min": float(lengths.min()), "final_length_max": float(lengths.max()),
            "mid_step": int(steps[half]), "mu_mid": mu[half].astype(float).tolist(),
            "mu_final": mu[-1].astype(float).tolist(),
            "drift_second_half": float(np.abs(mu[-1] - mu[half]).max())}
