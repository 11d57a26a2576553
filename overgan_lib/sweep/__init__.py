"""Width sweeps: named grids of training runs (dataset x arch x k_g x k_d x seed).

- :mod:`.registry`: the named sweeps (one per paper figure) the CLI and chapters read;
- :mod:`.grid`: configs of a sweep from its profile row;
- :mod:`.executors`: this process, local worker processes, or Ray;
- :mod:`.run`: skip stored runs, dispatch, store, summarise the sweep;
- :mod:`.matrices`: width x seed matrices of a sweep's records;
- :mod:`.significance`: the Welch and rank tests behind the verdicts;
- :mod:`.summary`: the rules that judge the paper's claims (trend, converged-model, Fig. 5);
- :mod:`.claims`: which claims a named sweep is judged on (the chapters and status page);
- :mod:`.figures`: the chapters' figures and tables (Figs. 1, 4, 5); :mod:`.cost`: measured
  run costs and the `paper` profile's projected device-hours;
- :mod:`.generalization`: Figs. 6 and 10's claims judged on stored NND and neighbour scores
  (:mod:`.copy_test`: Fig. 10's copy test and its power);
- :mod:`.figures`, :mod:`.cost`, :mod:`.chapter`: what the sweep chapters draw and print.

The results store and the checkpoints make a sweep idempotent: finished runs are skipped,
interrupted ones resume from their last checkpoint.
"""

from .claims import sweep_verdicts
from .executors import RayExecutor, compute_group, local_executor, make_executor
from .grid import experiment_configs, grid, run_options
from .matrices import diverged, diverged_matrix, eval_curves, final_value, varied_side, width_matrix
from .registry import SWEEPS, SweepSpec, spec, sweeps
from .run import records, run_experiment, run_sweep
from .significance import fmt_p, rank_trend, welch_greater
from .summary import (
    Verdict,
    converges_faster,
    gap_does_not_grow,
    gap_grows_between,
    improves_with_width,
    lower_throughout,
    more_stable,
    saturates_beyond,
    time_to_reach,
    uptick_between,
    worse_beyond_fixed,
)
from .view import SweepView, available_views, sweep_view

__all__ = [
    "SWEEPS", "RayExecutor", "SweepSpec", "Verdict", "compute_group", "converges_faster",
    "diverged", "diverged_matrix", "eval_curves", "final_value", "fmt_p", "experiment_configs",
    "gap_does_not_grow", "gap_grows_between", "grid",
    "improves_with_width", "local_executor", "lower_throughout", "more_stable", "make_executor",
    "time_to_reach",
    "records", "run_experiment",
    "rank_trend", "run_options", "run_sweep", "saturates_beyond", "spec", "sweeps", "varied_side",
    "uptick_between", "welch_greater", "width_matrix", "SweepView", "available_views",
    "sweep_verdicts", "sweep_view", "worse_beyond_fixed",
]
