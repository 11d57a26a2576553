"""Verdicts and descriptions the Li et al. (2018) chapter draws from its stored study.

These functions only read numbers that :func:`..experiments.li2018_study` computed; none of
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

Modules: :mod:`.starts` (the grid of starts, per-cell to per-start rates), :mod:`.comparisons`
(the paired rule, every comparison made, multiplicity), :mod:`.claims` (the verdicts and
:func:`study_verdicts`) and :mod:`.readings` (descriptions that are not verdicts).
"""

from .claims import (
    FAIL_FRAC,
    MIN_SHARE,
    NOT_TESTED,
    PARTLY_OPT,
    PERSIST_FRAC,
    claim_check,
    d_steps_answer,
    persistent,
    study_verdicts,
    substantial,
    verdict_first_order,
    verdict_optimal,
    width_answer,
)
from .comparisons import (
    MIN_DIFF,
    Z,
    compare_starts,
    difference_counts,
    multiplicity,
    no_significant_drop,
    paired_difference,
    rule_comparisons,
    start_se,
)
from .readings import LITTLE, example_summary, late_mean, shortfall_share
from .starts import (
    best_starts,
    cell_vector,
    distinct_starts,
    merge_possible,
    mirror_correlation,
    pooled_cells,
    runs_of_separated_cells,
    separated_mask,
    spread_null,
    spread_ratio,
    spread_words,
    start_in_tolerance,
    start_vector,
)

__all__ = [
    "FAIL_FRAC", "LITTLE", "MIN_DIFF", "MIN_SHARE", "NOT_TESTED", "PARTLY_OPT", "PERSIST_FRAC",
    "Z", "best_starts", "cell_vector", "claim_check", "compare_starts", "d_steps_answer",
    "difference_counts", "distinct_starts", "example_summary", "late_mean", "merge_possible",
    "mirror_correlation", "multiplicity", "no_significant_drop", "paired_difference", "persistent",
    "pooled_cells", "rule_comparisons", "runs_of_separated_cells", "separated_mask",
    "shortfall_share", "spread_null", "spread_ratio", "spread_words", "start_in_tolerance",
    "start_se", "start_vector", "study_verdicts", "substantial", "verdict_first_order",
    "verdict_optimal", "width_answer",
]
