"""Chapter 12's verdicts on Jelassi et al.'s claims, from stored :func:`.jelassi.pacgan_sweep`
and :func:`.jelassi.mnist_sweep` results.

Apart from the experiments so that changing a rule never makes a stored result stale (the
records depend on :mod:`.jelassi`, not on this module); the chapter and the status page both
call :func:`verdicts_2d` and :func:`mnist_verdict`.

Modules: :mod:`.best_settings` (one optimiser at one width: :func:`best_spec`,
:func:`seed_margin`), :mod:`.claims` (one width: :func:`claim_verdict`),
:mod:`.width` (across widths: :func:`width_claim`, :func:`quality_trend`) and :mod:`.records`
(from a stored record: :func:`verdicts_2d`, :func:`quality_trends`, :func:`mnist_verdict`) and
:mod:`.robustness` (with the probes, across widths: :func:`verdicts_with_probes`,
:func:`across_widths`, :func:`rate_check`) and :mod:`.reruns` (the same sweep stored from two
machines: :func:`verdict_pairs`, :func:`verdicts_agreed`).
"""

from .best_settings import (
    COLLAPSED_MODES,
    MIN_HQ,
    SMEAR_MARGIN,
    THIN_MARGIN,
    beats_smear,
    best_spec,
    clears,
    counted_quality,
    half_width,
    learned,
    learned_mask,
    seed_margin,
    seed_mean,
    shown_spec,
    thin_passes,
    top_quality,
    top_spec,
)
from .claims import (
    BUDGET,
    CLAIMS,
    READINGS,
    claim_verdict,
    claim_verdicts,
    readings_split,
    readings_split_text,
    short,
    substance,
)
from .records import mnist_bar, mnist_verdict, quality_trends, reading_arrays, verdicts_2d
from .reruns import (
    DISAGREE,
    Pair,
    agreed,
    check_same_sweep,
    describe,
    disagreed,
    pick_rerun,
    probe_verdicts_agreed,
    rerun_spread,
    rerun_text,
    same_sweep,
    shared_probe_count,
    verdict_pairs,
    verdicts_agreed,
)
from .robustness import (
    PROBE_KEYS,
    across_widths,
    collapsed_passes,
    rate_check,
    rate_check_text,
    representatives,
    subset_probes,
    verdicts_with_probes,
    with_probes,
)
from .width import (
    TREND_TOL,
    quality_by_width,
    quality_trend,
    width_claim,
    width_gaps,
    width_verdict,
)

__all__ = ["BUDGET", "CLAIMS", "COLLAPSED_MODES", "DISAGREE", "MIN_HQ", "PROBE_KEYS", "Pair",
           "READINGS", "SMEAR_MARGIN", "THIN_MARGIN", "TREND_TOL", "across_widths",
           "agreed", "beats_smear", "best_spec", "check_same_sweep", "claim_verdict",
           "claim_verdicts", "clears", "collapsed_passes", "counted_quality",
           "describe", "disagreed", "half_width", "learned", "learned_mask",
           "mnist_bar", "mnist_verdict", "pick_rerun", "probe_verdicts_agreed",
           "quality_by_width", "quality_trend", "quality_trends", "rate_check",
           "rate_check_text", "reading_arrays", "readings_split", "readings_split_text",
           "representatives", "rerun_spread", "rerun_text", "same_sweep", "seed_margin",
           "seed_mean", "shared_probe_count", "short", "shown_spec", "subset_probes", "substance",
           "thin_passes",
           "top_quality", "top_spec", "verdict_pairs", "verdicts_2d", "verdicts_agreed",
           "verdicts_with_probes", "width_claim", "width_gaps", "width_verdict",
           "with_probes"]
