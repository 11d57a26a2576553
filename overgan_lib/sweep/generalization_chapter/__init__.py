"""Chapter "Generalization"'s readings: the words and tables it prints from stored records.

Like :mod:`..chapter` for the sweep chapters, this keeps the chapter's branching conclusions
out of the notebook, where they could not be tested. The rules themselves live in
:mod:`..generalization` (Figs. 6 and 10), :mod:`..real_gap` and :mod:`..crossover` (the NND
critic); the functions here only word their results, and use the same baselines and
references as the rules. By module:

:mod:`.baselines`
    the baselines' printed names (:func:`label`, :func:`neighbour_label`, :func:`pool_size`,
    :func:`small_memorisers`), the blur and noise they apply (:func:`perturbations`), the
    per-critic table cell (:func:`learnt_cell`) and the strip's points
    (:func:`baseline_points`);
:mod:`.records`
    the records assembled: pending notes (:func:`pending_sweep`, :func:`pending_crossed`),
    crossed critics paired with their first critics (:func:`crossed_pairs`), each sweep's
    final NND per run (:func:`sweep_scores`);
:mod:`.verdicts`
    the opening summary table (:func:`verdict_summary`, :func:`summary_markdown`,
    :func:`critic_line`) and the verdicts with their evidence (:func:`verdicts_markdown`);
:mod:`.memoriser`
    the memoriser claim's instrument in words: the no-repeat floor (:func:`floor_text`), the
    detection test (:func:`detection_reading`, :func:`detection_words`), the rule's band
    (:func:`memoriser_band_text`) and the models against the baselines
    (:func:`models_vs_baselines`);
:mod:`.memoriser_scope`
    where each profile's stored generators stand against its baselines (:class:`Standing`,
    :func:`standing`, :func:`stored_standing`), what each profile can test
    (:func:`memoriser_scope`), whether any decides the claim (:func:`memoriser_standing_text`,
    with :func:`gpu_route`, the one statement of what would make it decidable at `gpu`) and
    what `gpu` can decide (:func:`gpu_memoriser_text`);
:mod:`.copying`
    the copy tests' readings: counts below a cut-off (:func:`below_text`), the held-out
    tail's cut-off (:func:`tail_cut_text`), the perturbed
    baselines' sources (:func:`perturbed_sources`), the test's sensitivity
    (:func:`pooled_samples`, :func:`copy_power_text`) and the sweeps' table note
    (:func:`copy_like_note`);
:mod:`.critic`
    the NND critic's diagnostics in words: the fit-set experiment's prediction for `gpu`
    (:func:`fit_views_prediction`), the one reading of first and crossed gaps
    (:func:`diagnostics_reading`), the group test the status row decides by and how near its
    bar it lies (:func:`critic_group`, :func:`near_bar`, :data:`EDGE`, :func:`margin_text`),
    the scored critics' gaps (:func:`scored_critics_text`),
    the raw critic (:func:`raw_gap_text`), the critic seeds (:func:`gap_seeds_text`,
    :func:`seed_spread_text`), the status row (:func:`critic_row_text`);
:mod:`.crossover_texts`
    the crossed critics over all sources: :func:`generators_reading`,
    :func:`bottom_lines`, :func:`memoriser_move_text`, :func:`shift_text`, :func:`lean_text`;
:mod:`.nnd_tables`
    Markdown tables of the critic: its settings (:func:`critic_settings_table`) and their
    departures from the reference (:func:`departures`, :func:`departures_text`), the
    baselines' NND (:func:`baseline_nnd_table`) and gaps (:func:`baseline_gaps_table`), the
    fit-set experiment (:func:`fit_views_table`), the crossed pairs (:func:`crossover_table`);
:mod:`.sweep_tables`
    Markdown of the sweeps and copy ratios: what each sweep trained
    (:func:`sweeps_trained`), the Figs. 6/10 table (:func:`sweep_table`, :func:`sweep_row`),
    FID of the baselines (:func:`fid_comparison`), the memoriser's Fig. 4 gap
    (:func:`memoriser_gap_text`), their copy ratios
    (:func:`neighbour_table`);
:mod:`.cost`
    seconds per critic step (:func:`seconds_per_step`) and the bench record
    (:func:`bench_text`);
:mod:`.stored`
    the records the chapter reads (:class:`ChapterRecord`, :func:`chapter_records`), those it
    would compute now (:func:`records_to_compute`), the one-line stop at `gpu` and `paper`
    (:func:`require_stored`) and the stored records' cost (:func:`rerun_seconds`,
    :func:`rerun_cost_text`).
"""

from .baselines import (
    LABELS,
    baseline_points,
    label,
    learnt_cell,
    neighbour_label,
    perturbations,
    pixels_text,
    pool_size,
    small_memorisers,
)
from .copying import (
    PerturbedSources,
    below_text,
    copy_like_note,
    copy_power_text,
    perturbed_sources,
    pooled_samples,
    tail_cut_text,
)
from .cost import bench_text, seconds_per_step
from .critic import (
    EDGE,
    critic_group,
    critic_row_text,
    diagnostics_reading,
    fit_views_prediction,
    gap_seeds_text,
    margin_text,
    near_bar,
    raw_gap_text,
    scored_critics_text,
    seed_spread_text,
)
from .crossover_texts import (
    bottom_lines,
    generators_reading,
    lean_text,
    memoriser_move_text,
    shift_text,
)
from .memoriser import (
    detection_reading,
    detection_words,
    floor_text,
    memoriser_band_text,
    models_vs_baselines,
)
from .memoriser_scope import (
    Standing,
    gpu_memoriser_text,
    gpu_route,
    memoriser_scope,
    memoriser_standing_text,
    standing,
    stored_standing,
)
from .nnd_tables import (
    baseline_gaps_table,
    baseline_nnd_table,
    critic_settings_table,
    crossover_table,
    departures,
    departures_text,
    fit_views_table,
)
from .records import crossed_pairs, pending_crossed, pending_sweep, sweep_scores
from .stored import (
    ChapterRecord,
    chapter_records,
    crossover_record_config,
    records_to_compute,
    require_stored,
    rerun_cost_text,
    rerun_seconds,
    sweep_record_config,
)
from .sweep_tables import (
    fid_comparison,
    memoriser_gap_text,
    neighbour_table,
    sweep_row,
    sweep_table,
    sweeps_trained,
)
from .verdicts import critic_line, summary_markdown, verdict_summary, verdicts_markdown

__all__ = [
    "EDGE", "LABELS", "ChapterRecord", "PerturbedSources", "Standing", "baseline_gaps_table",
    "baseline_nnd_table", "baseline_points", "below_text", "bench_text", "bottom_lines",
    "chapter_records", "copy_like_note", "copy_power_text", "critic_group", "critic_line",
    "critic_row_text", "critic_settings_table", "crossed_pairs", "crossover_record_config",
    "crossover_table", "departures", "departures_text", "detection_reading", "detection_words",
    "diagnostics_reading", "fid_comparison", "fit_views_prediction", "fit_views_table",
    "floor_text", "gap_seeds_text", "generators_reading", "gpu_memoriser_text", "gpu_route",
    "label", "lean_text", "learnt_cell", "margin_text", "memoriser_band_text",
    "memoriser_gap_text", "memoriser_move_text", "memoriser_scope", "memoriser_standing_text",
    "models_vs_baselines", "near_bar", "neighbour_label", "neighbour_table", "pending_crossed",
    "pending_sweep", "perturbations", "perturbed_sources", "pixels_text", "pool_size",
    "pooled_samples", "raw_gap_text", "records_to_compute", "require_stored", "rerun_cost_text",
    "rerun_seconds", "scored_critics_text", "seconds_per_step", "seed_spread_text", "shift_text",
    "small_memorisers", "standing", "stored_standing", "summary_markdown", "sweep_record_config",
    "sweep_row", "sweep_scores", "sweep_table", "sweeps_trained", "tail_cut_text",
    "verdict_summary", "verdicts_markdown",
]
