"""Fig. 5's claims on FID over training iterations: "models with larger values of k converge
faster and demonstrate a more stable behavior" (Sec. 3), as three rules on the runs' curves.

* :func:`lower_throughout`: each run's mean FID over its evaluations (the area under its
  curve) falls with k. What Fig. 5 shows, but a curve that is lower from the first
  evaluation on wins as much as one that falls faster.
* :func:`converges_faster`: the iterations each run needs to reach a common FID target,
  the highest final mean FID over the widths (a level every width reaches on average by its
  last evaluation), fall with k. The time is interpolated linearly between evaluations; a
  run already below the target at its first evaluation counts as reaching it then (the
  runs have no evaluation at iteration 0), one that never reaches it as reaching it at its
  last. Both censorings are counted in the evidence, and both pull towards no difference.
  A rate of each run towards its own final FID would need an evaluation at iteration 0,
  which the stored runs do not have: from the first evaluation on, a run that converged
  early has little left to fall and would look slow.
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

from collections.abc import Callable

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


def _not_testable(curves: Curves, claim: str, name: str) -> Verdict | None:
    """The reason a curve rule cannot run here, as a verdict (None when it can)."""
    if len(curves) < 2:
        return Verdict(claim, NOT_TESTABLE, "FID over iterations was not recorded at this "
                                            "profile (eval_every = 0), or fewer than two "
                                            f"widths ({name}) have completed runs.")
    ks = sorted(curves)
    if min(len(curves[ks[0]][1]), len(curves[ks[-1]][1])) < 2:
        return Verdict(claim, NOT_TESTABLE, ONE_SEED)
    n_evals = min(c.shape[1] for _, c in curves.values())
    if n_evals < MIN_EVALS:
        return Verdict(claim, NOT_TESTABLE, f"{n_evals} evaluations per run; a rate needs at "
                                            f"least {MIN_EVALS}.")
    return None


def _n_evals(curves: Curves) -> int:
    return min(c.shape[1] for _, c in curves.values())


def _per_run_matrix(curves: Curves, per_run: Callable[[np.ndarray], np.ndarray],
                    lost: dict[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(widths, widths x runs values, widths x runs diverged mask): ``per_run`` on each
    width's curves (first :func:`_n_evals` evaluations), plus one NaN per diverged run."""
    n = _n_evals(curves)
    run_k, values, dead = [], [], []
    for k in sorted(set(curves) | {k for k, m in lost.items() if m}):
        got = per_run(curves[k][1][:, :n]) if k in curves else np.empty(0)
        run_k += [k] * (len(got) + lost.get(k, 0))
        values += [*got, *[np.nan] * lost.get(k, 0)]
        dead += [0.0] * len(got) + [1.0] * lost.get(k, 0)
    widths, F = runs_by_width(np.array(run_k), np.array(values))
    _, gone = runs_by_width(np.array(run_k), np.array(dead))
    return widths, F, gone == 1.0


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
    widths, F, gone = _per_run_matrix(curves, lambda c: np.nanmean(c, 1), lost or {})
    v = trend_with_width(widths, F, claim, name=name, lost=gone,
                         label=f"Mean FID over the evaluations ({_window(curves)}):")
    return far_qualified(v, far)


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


def converges_faster(curves: Curves, far: str = "", name: str = "k",
                     lost: dict[int, int] | None = None) -> Verdict:
    """Larger k converges faster: the iterations each run needs to reach the highest final
    mean FID over the widths fall with k (see the module docstring for the censoring)."""
    claim = f"larger {name} converges faster"
    if (v := _not_testable(curves, claim, name)) is not None:
        return v
    n = _n_evals(curves)
    steps = next(iter(curves.values()))[0][:n]
    target = max(float(np.nanmean(c[:, n - 1])) for _, c in curves.values())
    censored = {"first": 0, "never": 0}

    def times(c: np.ndarray) -> np.ndarray:
        out = []
        for row in c:
            t, how = time_to_reach(steps, row, target)
            censored[how] = censored.get(how, 0) + 1
            out.append(t)
        return np.array(out)

    widths, F, gone = _per_run_matrix(curves, times, lost or {})
    v = trend_with_width(widths, F, claim, name=name, lost=gone, fmt=",.0f",
                         label=f"Iterations to reach FID {target:.1f}, the highest final mean "
                               f"FID over the widths ({_window(curves)}):")
    said = (f" {censored['first']} runs were already below it at their first evaluation and "
            f"{censored['never']} never reached it (counted at their first and last "
            f"evaluation).")
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
