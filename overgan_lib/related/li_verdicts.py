"""Verdicts and descriptions the Li et al. (2018) chapter draws from its stored study.

These functions only read numbers that :func:`.experiments.li2018_study` computed; none of
them feeds a stored result, so they live apart from the study (changing them does not make
the stored li2018 results stale): the rate comparison, the two claims about the optimal and
first-order dynamics, and the answers about the discriminator's width and step count.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..errors import ParameterError

NOT_TESTED = "not tested at this profile"


def compare_rates(p1: float, n1: int, p2: float, n2: int, min_diff: float = 0.05) -> str:
    """'higher', 'lower' or 'same': is rate p2 (of n2 runs) above or below p1 (of n1 runs)?

    A difference counts when it exceeds both ``min_diff`` and two standard errors of the
    difference of two binomial proportions (runs treated as independent).
    """
    for name, n in (("n1", n1), ("n2", n2)):
        if not (isinstance(n, int | np.integer) and n > 0):
            raise ParameterError(f"{name}={n!r} must be a positive number of runs")
    for name, p in (("p1", p1), ("p2", p2)):
        if not 0.0 <= p <= 1.0:
            raise ParameterError(f"{name}={p!r} must be a success rate in [0, 1]")
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    diff = p2 - p1
    if abs(diff) > max(min_diff, 2 * se):
        return "higher" if diff > 0 else "lower"
    return "same"


def verdict_optimal(success_rate: float, cells: int) -> str:
    """Claim: optimal-discriminator dynamics converge from every start with separated means."""
    if cells <= 0:
        raise ParameterError(f"cells={cells!r} must be positive (no separated starting cells)")
    if success_rate >= 1.0:
        return "reproduced"
    return "partly reproduced" if success_rate >= 0.9 else "not reproduced"


def verdict_first_order(fo_rate: float, fo_runs: int, opt_rate: float, opt_cells: int,
                        merged: int, degenerate: int) -> str:
    """Claim: first-order dynamics fail where the optimal ones succeed, by means merging or
    intervals degenerating. Reproduced when first-order success is lower (compare_rates) and
    both failure modes occur; partly when lower with one mode; otherwise not reproduced."""
    lower = compare_rates(opt_rate, opt_cells, fo_rate, fo_runs) == "lower"
    if lower and merged > 0 and degenerate > 0:
        return "reproduced"
    if lower and (merged > 0 or degenerate > 0):
        return "partly reproduced"
    return "not reproduced"


def _check_lengths(name: str, values: list, rates: list[float]) -> None:
    if len(values) != len(rates):
        raise ParameterError(f"{len(values)} {name} but {len(rates)} rates; give one per value")


def width_answer(widths: list[int], rates: list[float], runs: int, opt_rate: float,
                 opt_cells: int, base: int = 2) -> dict[str, Any]:
    """Does a wider discriminator (more intervals) change first-order success vs k = ``base``?

    ``effect`` compares the best width wider than ``base`` with ``base`` (compare_rates):
    'raises success', 'lowers success' (every wider width lower) or 'no clear effect'.
    ``vs_optimal`` compares that width with the optimal discriminator ('below' / 'same' /
    'above'); ``monotone`` is False when some width is significantly below a narrower one
    (among k >= base). ``verdict`` joins them in words; with no width but ``base`` every word
    is :data:`NOT_TESTED`.
    """
    _check_lengths("widths", widths, rates)
    if base not in widths:
        raise ParameterError(f"widths={widths!r} must include the base width k={base}")
    p0 = float(rates[widths.index(base)])
    out: dict[str, Any] = {"base_k": base, "base_rate": p0}
    wider = [i for i, k in enumerate(widths) if k > base]
    if not wider:
        return {**out, "best_k": None, "best_rate": None, "widest_k": None, "widest_rate": None,
                "effect": NOT_TESTED, "widest": NOT_TESTED, "vs_optimal": NOT_TESTED,
                "monotone": None, "verdict": NOT_TESTED}
    word = {"higher": "raises success", "lower": "lowers success", "same": "no clear effect"}
    best = max(wider, key=lambda i: rates[i])
    widest = max(wider, key=lambda i: widths[i])
    cmp = [compare_rates(p0, runs, float(rates[i]), runs) for i in wider]
    effect = ("raises success" if "higher" in cmp else
              "lowers success" if all(c == "lower" for c in cmp) else "no clear effect")
    vs_opt = {"lower": "below", "same": "same", "higher": "above"}[
        compare_rates(opt_rate, opt_cells, float(rates[best]), runs)]
    order = sorted((k, float(p)) for k, p in zip(widths, rates, strict=True) if k >= base)
    monotone = not any(compare_rates(p, runs, q, runs) == "lower"
                       for i, (_, p) in enumerate(order) for _, q in order[i + 1:])
    parts = [effect]
    if effect == "raises success" and vs_opt == "below":
        parts.append("still below the optimal discriminator's")
    if not monotone:
        parts.append("not monotone in k")
    return {**out, "best_k": int(widths[best]), "best_rate": float(rates[best]),
            "widest_k": int(widths[widest]), "widest_rate": float(rates[widest]),
            "effect": effect, "widest": word[compare_rates(p0, runs, rates[widest], runs)],
            "vs_optimal": vs_opt, "monotone": monotone, "verdict": ", ".join(parts)}


def d_steps_answer(d_steps: list[int], rates: list[float], runs: int) -> dict[str, Any]:
    """Does the most D steps per G step change first-order success vs one D step?

    ``word`` is 'raises' / 'lowers' / 'does not clearly change' (compare_rates), or
    :data:`NOT_TESTED` when one D step is the only setting run.
    """
    _check_lengths("d_steps", d_steps, rates)
    if 1 not in d_steps:
        raise ParameterError(f"d_steps={d_steps!r} must include 1 (the simultaneous steps)")
    most = int(np.argmax(d_steps))
    p1 = float(rates[d_steps.index(1)])
    if d_steps[most] == 1:
        return {"max_d": 1, "base_rate": p1, "max_rate": p1, "word": NOT_TESTED}
    word = {"higher": "raises", "lower": "lowers", "same": "does not clearly change"}[
        compare_rates(p1, runs, float(rates[most]), runs)]
    return {"max_d": int(d_steps[most]), "base_rate": p1, "max_rate": float(rates[most]),
            "word": word}


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
