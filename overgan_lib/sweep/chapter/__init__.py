"""The sections every sweep chapter shows, for a set of named sweeps at several profiles.

``views`` maps a sweep name to its :class:`~..view.SweepView` per profile (from
:func:`~..view.available_views`). Each function draws or prints one section, labelled with
the profiles it shows, so the CIFAR-10, CelebA and one-component chapters differ only in
their prose and the sweeps they name.

Chapters import the package (``from overgan_lib.sweep import chapter``) and call the names
below; each module holds one kind of section:

- :mod:`.parameters`: the chapter's ``overrides`` checked against its sweeps
  (:func:`check_overrides`) and the views of those sweeps (:func:`load_views`).
- :mod:`.stored`: the provenance box (:func:`show_provenance`), the runs several sweeps share
  (:func:`shared_runs`, :func:`shared_runs_markdown`) and what is not stored yet
  (:func:`pending`, :func:`pending_markdown`, and at `gpu` where to run it:
  :func:`where_to_run`).
- :mod:`.training_setup`: the setup sections: :func:`settings_table`, :func:`architecture`,
  :func:`parameter_tables`, the seed counts (:func:`seed_counts_text`,
  :func:`glue_seed_counts`), the `cpu` FID's N (:func:`eval_n_text`, :func:`glue_eval_n`), the
  `paper` grid (:func:`glue_paper_grid`) and CelebA's data
  budget (:func:`glue_celeba_budget`, :data:`CELEBA_IMAGES`, :data:`CELEBA_OFFICIAL_TRAIN`).
- :mod:`.sampling_modes`: the eval-mode choice measured (:func:`sampling_modes`,
  :func:`sampling_mode_markdown`, :func:`mode_reading`, :func:`width_noise`).
- :mod:`.figure_glue`: the glued figures (:func:`glue_figures`, :func:`glue_fig1`) and FID over
  training, or the line in its place where runs evaluate too rarely (:func:`curve_figures`,
  with :func:`curve_caption` under it, :func:`curve_note`).
- :mod:`.result_tables`: the tables beside the figures (:func:`kid_table`,
  :func:`curve_tables`).
- :mod:`.verdict_glue`: the claims judged (:func:`verdicts`), the rules' constants glued
  (:func:`glue_rules`, with :func:`settled_rule_text` and the chapter's :func:`gpu_budget`)
  and the runs with FID test below FID train (:func:`negative_gaps_text`,
  :func:`glue_negative_gaps`).
- :mod:`.device_hours`: the cost section: :func:`cost_table`, :func:`glue_cost`,
  :func:`paper_hours`, how runs shared the device (:func:`concurrent_runs`,
  :func:`concurrency_text`) and on which device and threads (:func:`run_device`,
  :func:`threads_note`), and where a one-component sweep's fixed width is not the paper's
  (:func:`fixed_width_note`). The arithmetic it reads is in :mod:`..cost`.
- :mod:`.readings`: the closing readings (:func:`run_reading`, :func:`image_reading`,
  :func:`glue_readings`).
- :mod:`.grids`: the sample grids' diversity (:func:`grid_diversity`, :data:`COLLAPSE_CUT`)
  and likeness to the mean image; :mod:`.critic_curves`: chapter 6's reading of the
  critics' Wasserstein estimates.
- :mod:`._types`: ``Views``, the type the section functions take.
"""

from ._types import Views
from .device_hours import (
    concurrency_text,
    concurrent_runs,
    cost_table,
    fixed_width_note,
    glue_cost,
    paper_hours,
    run_device,
    threads_note,
)
from .figure_glue import curve_caption, curve_figures, curve_note, glue_fig1, glue_figures
from .grids import COLLAPSE_CUT, grid_diversity
from .parameters import check_overrides, load_views
from .readings import fid_kid_steps_text, glue_readings, image_reading, run_reading
from .result_tables import curve_tables, kid_table
from .sampling_modes import mode_reading, sampling_mode_markdown, sampling_modes, width_noise
from .stored import (
    pending,
    pending_markdown,
    shared_runs,
    shared_runs_markdown,
    show_provenance,
    where_to_run,
)
from .training_setup import (
    CELEBA_IMAGES,
    CELEBA_OFFICIAL_TRAIN,
    architecture,
    eval_n_text,
    glue_celeba_budget,
    glue_eval_n,
    glue_paper_grid,
    glue_running_stats,
    glue_seed_counts,
    parameter_tables,
    running_stat_memory,
    seed_counts_text,
    settings_table,
)
from .verdict_glue import (
    glue_negative_gaps,
    glue_rules,
    gpu_budget,
    negative_gaps_text,
    settled_rule_text,
    verdicts,
)

__all__ = [
    "CELEBA_IMAGES",
    "CELEBA_OFFICIAL_TRAIN",
    "COLLAPSE_CUT",
    "Views",
    "architecture",
    "check_overrides",
    "concurrency_text",
    "concurrent_runs",
    "cost_table",
    "fixed_width_note",
    "curve_caption",
    "curve_figures",
    "curve_note",
    "curve_tables",
    "glue_celeba_budget",
    "fid_kid_steps_text",
    "glue_cost",
    "glue_fig1",
    "glue_figures",
    "glue_negative_gaps",
    "eval_n_text",
    "glue_eval_n",
    "glue_paper_grid",
    "glue_readings",
    "glue_rules",
    "glue_running_stats",
    "running_stat_memory",
    "glue_seed_counts",
    "gpu_budget",
    "grid_diversity",
    "image_reading",
    "kid_table",
    "load_views",
    "negative_gaps_text",
    "paper_hours",
    "parameter_tables",
    "pending",
    "pending_markdown",
    "run_device",
    "run_reading",
    "mode_reading",
    "sampling_mode_markdown",
    "sampling_modes",
    "width_noise",
    "seed_counts_text",
    "settled_rule_text",
    "settings_table",
    "shared_runs",
    "shared_runs_markdown",
    "show_provenance",
    "threads_note",
    "verdicts",
    "where_to_run",
]
