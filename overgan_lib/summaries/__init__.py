"""Numbers and verdicts the prose quotes, computed from stored results.

The chapters glue these values into their text; keeping the arithmetic here (with tests)
means a sentence such as "the fitted rate is 12% slower than rho(A)" is computed, not typed.

Modules: :mod:`.lemma_a2` (chapter 2's rate checks), :mod:`.theorem_a4` (chapter 3's bounds),
:mod:`.widths` (width trends of chapters 1 and 4), :mod:`.fits` (fitted rates and slopes),
:mod:`.images` (sample grids as numbers) and :mod:`.text` (formatting).
"""

from .fits import (
    geometric_crossing,
    local_loglog_slopes,
    loglog_slope,
    median_index,
    rate_slowdown,
    spread_factor,
)
from .images import (
    grid_tiles,
    sample_diversity,
)
from .lemma_a2 import (
    DECAY_REL_TOL,
    decay_vs_guarantee,
    rate_exceeded,
    rate_threshold,
    relative_slack,
    slack_by_conditioning_text,
    violation_split,
    violation_split_text,
)
from .text import (
    sci_text,
    span_text,
)
from .theorem_a4 import (
    GAP_FIT_RANGE,
    bound25_crossing,
    bound26_shape_text,
    bound27_factors,
    bound_vs_gap,
    floor_reading,
    start_norm_from_b27,
    step_from_mu_cond,
    theorem_a4_verdict,
)
from .widths import (
    CONVERGED_LOSS,
    REL_TOL,
    ROUNDOFF_LOSS,
    converged,
    exceeds,
    falls_throughout,
    first_holding,
    first_width_below,
    lowest_variant,
    masked_median,
    width_trend,
    width_trend_words,
)

__all__ = [
    "CONVERGED_LOSS",
    "DECAY_REL_TOL",
    "GAP_FIT_RANGE",
    "REL_TOL",
    "ROUNDOFF_LOSS",
    "bound25_crossing",
    "bound26_shape_text",
    "bound27_factors",
    "bound_vs_gap",
    "converged",
    "decay_vs_guarantee",
    "exceeds",
    "falls_throughout",
    "first_holding",
    "first_width_below",
    "floor_reading",
    "geometric_crossing",
    "grid_tiles",
    "local_loglog_slopes",
    "loglog_slope",
    "lowest_variant",
    "masked_median",
    "median_index",
    "rate_exceeded",
    "rate_slowdown",
    "rate_threshold",
    "relative_slack",
    "slack_by_conditioning_text",
    "sample_diversity",
    "sci_text",
    "span_text",
    "spread_factor",
    "start_norm_from_b27",
    "step_from_mu_cond",
    "theorem_a4_verdict",
    "violation_split",
    "violation_split_text",
    "width_trend",
    "width_trend_words",
]
