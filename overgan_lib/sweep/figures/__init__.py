"""The figures every sweep chapter draws, from a sweep's configs and records.

- :mod:`.axes`: one sweep on one axis: FID against the width with seed bands (Fig. 4), FID
  over iterations (Fig. 5), sample grids per width;
- :mod:`.tables`: FID over training at its ends, the parameter-count table, the verdict
  block, and the evaluations a run has or plans;
- :mod:`.panels`: the chapters' figures, one panel per profile shown (``*_figure``);
- :mod:`.fig1`: Fig. 1's three-panel summary of one sweep (:func:`fig1_summary`).

Chapters call these and only add prose. Run costs are in :mod:`..cost`.
"""

from .axes import (
    SPLIT_COLOURS,
    draw_sample_grids,
    plot_fid_over_iterations,
    plot_fid_vs_width,
    splits_of,
    width_label,
)
from .fig1 import fig1_summary, sample_ends
from .panels import fid_over_iterations_figure, fid_vs_width_figure, samples_figure
from .tables import (
    MIN_CURVE_EVALS,
    curve_table,
    evals_per_run,
    parameter_table,
    planned_evals,
    verdicts_markdown,
)

__all__ = [
    "MIN_CURVE_EVALS", "SPLIT_COLOURS", "curve_table", "draw_sample_grids", "evals_per_run",
    "fid_over_iterations_figure", "fid_vs_width_figure", "fig1_summary", "parameter_table",
    "plot_fid_over_iterations", "plot_fid_vs_width", "planned_evals", "sample_ends",
    "samples_figure", "splits_of", "verdicts_markdown", "width_label",
]
