"""Fig. 5's claims on FID over training iterations: "models with larger values of k converge
faster and demonstrate a more stable behavior" (Sec. 3), as three rules on each run's curve.

* :func:`lower_throughout`: each run's mean FID over its evaluations (the area under its
  curve): lower at larger k means every FID level is reached sooner, but a curve that is
  lower from the first evaluation on wins as much as one that falls faster.
* :func:`converges_faster`: the rate, free of the level: how many times the run's excess
  FID over the data's floor shrinks between its first and last evaluation,
  log((FID_first - floor) / (FID_last - floor)), larger at larger k (for a geometric
  approach to the floor, as in the theorems, this is the rate times the iterations).
* :func:`more_stable`: the total rise of each run's FID between consecutive evaluations
  (its upward variation; 0 for a curve that never goes up), smaller at larger k.

Each is judged by the trend rule (:func:`.trend_with_width`) on one value per run, needs
:data:`.MIN_EVALS` evaluations per run, ranks diverged runs as the worst of all, and is
early-training evidence only when the models are far from the data (``far``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..matrices import runs_by_width
from .outcomes import MIN_EVALS, NOT_TESTABLE, ONE_SEED, Verdict, far_qualified
from .trend import trend_with_width

Curves = dict[int, tuple[np.ndarray, np.ndarray]]
#: Excess FIDs below this are taken as this (a run can reach the floor within noise).
MIN_EXCESS = 1.0


def _not_testable(curves: Curves, claim: str, name: str) -> Verdict | None:
    """The reason a curve rule cannot run here, as a verdict (None when it can)."""
    if len(curves) < 2:
        return Verdict(claim, NOT_TESTABLE, "FID over iterations was not recorded at this "
                                            "profile (eval_every = 0), or fewer than two "
                                            f"{name} have completed runs.")
    ks = sorted(curves)
    if min(len(curves[ks[0]][1]), len(curves[ks[-1]][1])) < 2:
        return Verdict(claim, NOT_TESTABLE, ONE_SEED)
    n_evals = min(c.shape[1] for _, c in curves.values())
    if n_evals < MIN_EVALS:
        return Verdict(claim, NOT_TESTABLE, f"{n_evals} evaluations per run; a rate needs at "
                                            f"least {MIN_EVALS}.")
    return None


def _judge(curves: Curves, per_run: Callable[[np.ndarray], np.ndarray], claim: str,
           rises: bool, label: str, name: str, lost: dict[int, int] | None, far: str,
           fmt: str = ".1f") -> Verdict:
    """The trend rule on ``per_run(curve matrix) -> one value per run``, with the diverged
    runs (``lost``: count per width) as extra, worst-ranked runs."""
    lost = lost or {}
    if (v := _not_testable(curves, claim, name)) is not None:
        return v
    n_evals = min(c.shape[1] for _, c in curves.values())
    ks = sorted(set(curves) | {k for k, n in lost.items() if n})
    run_k, values, dead = [], [], []
    for k in ks:
        got = per_run(curves[k][1][:, :n_evals]) if k in curves else np.empty(0)
        run_k += [k] * (len(got) + lost.get(k, 0))
        values += [*got, *[np.nan] * lost.get(k, 0)]
        dead += [0.0] * len(got) + [1.0] * lost.get(k, 0)
    widths, F = runs_by_width(np.array(run_k), np.array(values))
    _, gone = runs_by_width(np.array(run_k), np.array(dead))
    steps = next(iter(curves.values()))[0]
    v = trend_with_width(widths, F, claim, rises, name=name, fmt=fmt,
                         label=f"{label} (iterations {int(steps[0])} to "
                               f"{int(steps[n_evals - 1])}, {n_evals} evaluations):",
                         lost=gone == 1.0)
    return far_qualified(v, far)


def lower_throughout(curves: Curves, far: str = "", name: str = "k",
                     lost: dict[int, int] | None = None) -> Verdict:
    """Larger k has lower FID throughout training: each run's mean FID over its evaluations
    falls with k (see the module docstring)."""
    return _judge(curves, lambda c: np.nanmean(c, 1),
                  f"larger {name} has lower FID throughout training", False,
                  "Mean FID over the evaluations", name, lost, far)


def converges_faster(curves: Curves, floor: float | None = None, far: str = "",
                     name: str = "k", lost: dict[int, int] | None = None) -> Verdict:
    """Larger k converges faster: log((FID_first - floor) / (FID_last - floor)) per run
    (excess FIDs below :data:`MIN_EXCESS` count as it; without a floor, FID itself) rises
    with k."""
    base = 0.0 if floor is None or not np.isfinite(floor) else float(floor)

    def rate(c: np.ndarray) -> np.ndarray:
        excess = np.maximum(c - base, MIN_EXCESS)
        return np.log(excess[:, 0] / excess[:, -1])

    what = "FID − floor" if base else "FID"
    return _judge(curves, rate, f"larger {name} converges faster", True,
                  f"Log-factor by which {what} shrinks", name, lost, far, fmt=".3f")


def more_stable(curves: Curves, far: str = "", name: str = "k",
                lost: dict[int, int] | None = None) -> Verdict:
    """Larger k trains more stably: each run's total FID rise between consecutive
    evaluations falls with k; a diverged run is the least stable of all."""
    return _judge(curves, lambda c: np.clip(np.diff(c, axis=1), 0, None).sum(1),
                  f"larger {name} trains more stably (smaller FID rises between evaluations)",
                  False, "Total FID rise between evaluations", name, lost, far)
