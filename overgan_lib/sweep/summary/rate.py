"""Fig. 5's claims on FID over training iterations: "models with larger values of k converge
faster and demonstrate a more stable behavior" (Sec. 3), as three rules on the runs' curves.

* :func:`lower_throughout`: each run's mean FID over its evaluations (the area under its
  curve) falls with k. What Fig. 5 shows, but a curve that is lower from the first
  evaluation on wins as much as one that falls faster.
* :func:`converges_faster`: each run's half-life, the iterations from its first evaluation
  until its FID has covered half of the way to its own final FID (the mean of its last
  :func:`end_evals` evaluations), interpolated between evaluations, falls with k. For an
  exponential approach FID = a + b·e^(−t/τ) the half-life is τ·ln 2 from any starting point,
  so neither the missing evaluation at iteration 0 nor the level of each width's plateau
  enters it: a width with a lower plateau is not called faster for that. It measures a rate
  only where the runs have flattened by their last evaluations; on curves still falling at
  the end, every width's half-life is about half the window. A run whose FID did not fall,
  or fell and came back up by :data:`REBOUND` of that fall or more (it has not converged; a
  half-life towards its final FID would reward the dip), counts as the slowest (its
  half-life is the whole window); the evidence counts them.
* :func:`more_stable`: fewer runs diverge at larger k (the rank test on the diverged
  indicator; not testable when no run diverged). The FID rises between evaluations are
  reported, not judged: on a curve that has levelled off every upward step of FID noise
  shows, while a curve still falling hides the same noise, so a rule on them would favour
  the slower width.

The first two need :data:`.MIN_EVALS` evaluations per run and rank diverged runs as the
worst of all; each is early-training evidence only when the models are far from the data
(``far``).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..matrices import runs_by_width
from ..significance import p_pair, rank_trend
from .outcomes import (
    ALPHA,
    CONFIRMED,
    CONTRADICTED,
    MIN_EVALS,
    NOT_REPRODUCED,
    NOT_TESTABLE,
    ONE_SEED,
    Verdict,
    far_qualified,
)
from .trend import trend_with_width

Curves = dict[int, tuple[np.ndarray, np.ndarray]]


def _n_evals(curves: Curves) -> int:
    """Evaluations every run has (the rules use the first this many of each curve)."""
    return min(c.shape[1] for _, c in curves.values())


def _not_testable(curves: Curves, claim: str, name: str) -> Verdict | None:
    """The reason a curve rule cannot run here, as a verdict (None when it can)."""
    if len(curves) < 2:
        return Verdict(claim, NOT_TESTABLE, "FID over iterations was not recorded at this "
                                            "profile (eval_every = 0), or fewer than two "
                                            f"widths ({name}) have completed runs.")
    ks = sorted(curves)
    if min(len(curves[ks[0]][1]), len(curves[ks[-1]][1])) < 2:
        return Verdict(claim, NOT_TESTABLE, ONE_SEED)
    if (n_evals := _n_evals(curves)) < MIN_EVALS:
        return Verdict(claim, NOT_TESTABLE, f"{n_evals} evaluations per run; a rate needs at "
                                            f"least {MIN_EVALS}.")
    return None


def _trend_over_runs(values: dict[int, np.ndarray], lost: dict[int, int], claim: str,
                     name: str, label: str, fmt: str = ".1f") -> Verdict:
    """The trend rule (falling with k) on one value per run (``values``: per width, its
    completed runs' values), with each width's ``lost`` (diverged) runs as extra NaN runs
    ranked the worst."""
    run_k, vals, dead = [], [], []
    for k in sorted(set(values) | {k for k, m in lost.items() if m}):
        got = values.get(k, np.empty(0))
        run_k += [k] * (len(got) + lost.get(k, 0))
        vals += [*got, *[np.nan] * lost.get(k, 0)]
        dead += [0.0] * len(got) + [1.0] * lost.get(k, 0)
    widths, F = runs_by_width(np.array(run_k), np.array(vals))
    _, gone = runs_by_width(np.array(run_k), np.array(dead))
    return trend_with_width(widths, F, claim, name=name, lost=gone == 1.0, fmt=fmt,
                            label=label)


def _window(curves: Curves) -> str:
    steps, n = next(iter(curves.values()))[0], _n_evals(curves)
    return f"iterations {int(steps[0])} to {int(steps[n - 1])}, {n} evaluations"


def lower_throughout(curves: Curves, far: str = "", name: str = "k",
                     lost: dict[int, int] | None = None) -> Verdict:
    """Larger k has lower FID throughout training: each run's mean FID over its evaluations
    falls with k (see the module docstring)."""
    claim = f"larger {name} has lower FID throughout training"
    if (v := _not_testable(curves, claim, name)) is not None:
        return v
    n = _n_evals(curves)
    means = {k: np.nanmean(c[:, :n], 1) for k, (_, c) in curves.items()}
    v = _trend_over_runs(means, lost or {}, claim, name,
                         f"Mean FID over the evaluations ({_window(curves)}):")
    return far_qualified(replace(v, evidence=v.evidence + _head_start(curves, name)), far)


def _head_start(curves: Curves, name: str) -> str:
    """The narrowest and widest widths' mean FID at the first evaluation: a width that is
    ahead from the start is lower throughout without falling any faster, which this rule
    cannot tell apart (the half-life rule asks about speed)."""
    lo, hi = min(curves), max(curves)
    (steps, a), (_, b) = curves[lo], curves[hi]
    return (f" At the first evaluation (iteration {int(steps[0])}) the mean FID is already "
            f"{np.nanmean(a[:, 0]):.1f} at {name}={lo} and {np.nanmean(b[:, 0]):.1f} at "
            f"{name}={hi}: a head start counts here as much as a faster fall.")


def time_to_reach(steps: np.ndarray, curve: np.ndarray, target: float) -> tuple[float, str]:
    """Iterations until ``curve`` (FID at ``steps``) first reaches ``target``, interpolated
    linearly between evaluations, and how it was censored: "first" when the first
    evaluation is already at or below the target, "never" when no evaluation reaches it (the
    time is then the last evaluation's), "" otherwise."""
    below = np.flatnonzero(curve <= target)
    if below.size == 0:
        return float(steps[-1]), "never"
    j = int(below[0])
    if j == 0:
        return float(steps[0]), "first"
    f0, f1 = float(curve[j - 1]), float(curve[j])
    return float(steps[j - 1] + (steps[j] - steps[j - 1]) * (f0 - target) / (f0 - f1)), ""


def end_evals(n_evals: int) -> int:
    """How many last evaluations make a run's final FID: a fifth of them, at least one."""
    return max(1, n_evals // 5)


# A run rebounded when its final FID has come back up by this share of its fall or more (the
# fall: from its first evaluation to its lowest point), both ends averaged over the same
# number of evaluations so that one low, noisy evaluation on a plateau is no "dip".
REBOUND = 0.25


def half_life(steps: np.ndarray, curve: np.ndarray) -> tuple[float, str]:
    """Iterations from the first evaluation until FID has covered half the way from its first
    value to its final one (mean of the last :func:`end_evals` evaluations), and how the run
    went: "fell"; "flat" when FID did not fall at all; "rebounded" when the final FID is
    above the run's lowest point (the lowest moving average over as many evaluations) by
    :data:`REBOUND` of the fall to that point or more: it fell and came back, so it has not
    converged, however fast it first fell. Runs that did not fall or rebounded get the whole
    window, the slowest possible."""
    m = end_evals(len(curve))
    final = float(np.mean(curve[-m:]))
    window = float(steps[-1] - steps[0])
    if not curve[0] > final:
        return window, "flat"
    low = float(np.min(np.convolve(curve, np.ones(m) / m, mode="valid")))
    if final - low >= REBOUND * (float(curve[0]) - low):
        return window, "rebounded"
    t, _ = time_to_reach(steps, curve, final + 0.5 * (float(curve[0]) - final))
    return t - float(steps[0]), "fell"


def converges_faster(curves: Curves, far: str = "", name: str = "k",
                     lost: dict[int, int] | None = None) -> Verdict:
    """Larger k converges faster: each run's :func:`half_life` towards its own final FID
    falls with k (see the module docstring)."""
    claim = f"larger {name} converges faster"
    if (v := _not_testable(curves, claim, name)) is not None:
        return v
    n = _n_evals(curves)
    steps = next(iter(curves.values()))[0][:n]
    lives = {k: [half_life(steps, row) for row in c[:, :n]] for k, (_, c) in curves.items()}
    m = end_evals(n)
    last = f"the mean of its last {m} evaluations" if m > 1 else "its last evaluation"
    v = _trend_over_runs({k: np.array([t for t, _ in h]) for k, h in lives.items()},
                         lost or {}, claim, name,
                         f"Half-life towards the run's own final FID ({last}; "
                         f"{_window(curves)}), iterations:", fmt=",.0f")
    said = ""
    for how, words in (("flat", "Runs whose FID did not fall"),
                       ("rebounded", f"Runs whose FID fell and came back up by "
                                     f"{REBOUND:.0%} of that fall or more")):
        count = {k: sum(h_ == how for _, h_ in h) for k, h in lives.items()}
        if listed := ", ".join(f"{c} at {name}={k}" for k, c in sorted(count.items()) if c):
            said += f" {words} (counted as the slowest): {listed}."
    return far_qualified(Verdict(v.claim, v.outcome, v.evidence + said), far)


def _rises(curves: Curves, name: str) -> str:
    """' FID rose between two evaluations in a of b runs at k=..; largest rise x.' per end
    ('' without two evaluations at two widths)."""
    ks = sorted(curves)
    if len(ks) < 2 or _n_evals(curves) < 2:
        return ""
    parts = []
    for k in (ks[0], ks[-1]):
        d = np.diff(curves[k][1], axis=1)
        parts.append(f"{int((d > 0).any(axis=1).sum())} of {len(d)} runs at {name}={k} "
                     f"(largest rise {max(float(d.max()), 0.0):.1f})")
    return (" FID rose between two evaluations in " + " and ".join(parts)
            + ": reported, not judged.")


def more_stable(curves: Curves, far: str = "", name: str = "k",
                lost: dict[int, int] | None = None, runs: dict[int, int] | None = None
                ) -> Verdict:
    """Larger k trains more stably: fewer runs diverge at larger k (Spearman's rank test on
    the diverged indicator, one-sided p < ALPHA); not testable when no run diverged or fewer
    than two widths have runs. ``runs``: runs per width (default: the completed runs in
    ``curves`` plus the diverged ones). The FID rises between evaluations are reported (see
    the module docstring); this rule needs no minimum number of evaluations."""
    claim = f"larger {name} trains more stably (fewer runs diverge)"
    lost = {int(k): int(m) for k, m in (lost or {}).items()}
    if runs is None:
        runs = {k: len(c) for k, (_, c) in curves.items()}
        runs = {k: runs.get(k, 0) + lost.get(k, 0) for k in set(runs) | set(lost)}
    widths = np.array(sorted(k for k, n in runs.items() if n))
    rises = _rises(curves, name)
    if len(widths) < 2:
        return Verdict(claim, NOT_TESTABLE, f"Fewer than two widths have runs.{rises}")
    if not any(lost.values()):
        return Verdict(claim, NOT_TESTABLE, f"No run diverged at any width.{rises}")
    D = np.full((len(widths), max(runs.values())), np.nan)
    for i, k in enumerate(widths):
        D[i, :runs[k]] = 0.0
        D[i, :lost.get(k, 0)] = 1.0
    rho, p_fall, p_rise = rank_trend(widths, D)
    outcome = (CONFIRMED if p_fall < ALPHA else CONTRADICTED if p_rise < ALPHA
               else NOT_REPRODUCED)
    evidence = ("Diverged: " + ", ".join(f"{lost.get(int(k), 0)} of {runs[int(k)]} at {name}={k}"
                                         for k in widths)
                + f"; Spearman ρ = {rho:+.2f} (one-sided p = "
                  f"{p_pair(p_fall, p_rise, 'fewer at larger ' + name, 'more')}).{rises}")
    return far_qualified(Verdict(claim, outcome, evidence), far)
