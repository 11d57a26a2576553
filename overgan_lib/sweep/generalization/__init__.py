"""Sec. 3's generalization claims judged on stored scores (Figs. 6 and 10, App. E).

The scores come from :mod:`overgan_lib.metrics.generalization` (NND, nearest neighbours of
the sweeps' kept generators); the rules here only read them, so changing a rule does not make
a stored score stale.

Modules: :mod:`.nnd` (Fig. 6: NND falls with k, the memoriser scores above most models) and
:mod:`.neighbours` (Fig. 10: wide models do not copy training images and their samples are
diverse). :mod:`..generalization_claims` assembles both from the stored records.
"""

from .neighbours import (
    COPY_POWER,
    COPY_SHARE_BOUND,
    FAR_COPIES,
    FAR_DIVERSE,
    MORE_DIVERSE,
    NOT_COPIES,
    copy_share,
    far_not_tested,
    more_diverse,
    not_copies,
)
from .nnd import (
    MIN_CRITIC_SEEDS,
    NO_FLOOR,
    band_implies_detection,
    can_draw_fresh,
    detection_implied_seeds,
    detection_p,
    memoriser_detected,
    memoriser_reference,
    models_beyond_baselines,
    nnd_verdicts,
    paired_bounds,
    paired_margin,
    seed_bounds,
)

__all__ = [
    "COPY_POWER", "COPY_SHARE_BOUND", "FAR_COPIES", "FAR_DIVERSE", "MIN_CRITIC_SEEDS",
    "MORE_DIVERSE", "NOT_COPIES", "NO_FLOOR", "band_implies_detection", "can_draw_fresh",
    "copy_share", "detection_implied_seeds", "detection_p", "far_not_tested", "memoriser_detected",
    "memoriser_reference", "models_beyond_baselines", "more_diverse", "nnd_verdicts", "not_copies",
    "paired_bounds", "paired_margin", "seed_bounds",
]
