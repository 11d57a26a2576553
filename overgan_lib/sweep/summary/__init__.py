"""From a sweep's records to the verdicts the chapters print on the paper's Sec. 3 claims.

Every sweep chapter calls these, so the paper's claims are judged the same way everywhere:

``confirmed``
    a one-sided test at level :data:`ALPHA` finds the effect: Welch's t-test between the
    narrowest and widest width and, for a trend over three or more widths, Spearman's rank
    correlation across all runs (:mod:`.trend`);
``contradicted``
    the same tests find the opposite effect;
``not reproduced at this budget``
    the tests run and find neither;
``inconclusive at this budget``
    a rule whose tests cannot tell: the plateau or the gap neither shown inside nor shown
    beyond its practical margin (:mod:`.converged`, :mod:`.gap`); Fig. 3's uptick, its
    possible cause and Fig. 7's slight drop, to which the paper gives no size, with neither
    direction significant (the evidence gives the difference the test could detect); or a
    trend (:mod:`.trend`) that only one of its two tests finds. Never a failed replication
    (the status page counts it as partial);
``not testable at this profile``
    the data cannot test the claim at all (widths missing from the sweep, one seed, too few
    evaluations), so it is never a failed replication.

Claims about converged models (the plateau, the generalisation gap, Fig. 3's uptick, Fig. 7's
drop; :mod:`.converged`, :mod:`.gap`, :mod:`.between`) are not tested on models whose best FID
exceeds the data's own floor at the same N by more than :data:`FAR_FROM_DATA` FID points: there
FID differences measure how far from the data a model is; nor on runs whose stored curves are
still falling at the end (:func:`.settled.still_learning`, asked of the widths each rule
reads). The plateau and the gap, claims that a change is small, are judged against a stated
effect size, :data:`.converged.PRACTICAL_MARGIN` of the FID at the width the claim is read
from, by one-sided Welch tests or a confidence bound. Trends in FID with k and Fig. 5's rules
on FID over iterations (:mod:`.rate`) are still tested there, but their outcome is an
early-training trend in the claim's direction or opposite to it (:data:`EARLY_FOR`, ...), never
a verdict on the converged models the paper reports; *no clear early-training trend* there
means the tests disagree or neither reaches the level. Diverged runs are ranked as the worst
runs in the rank tests and named in the evidence; the converged-model rules leave them out, and
:func:`overgan_lib.sweep.claims.sweep_verdicts` names them there too. """

from .between import gap_grows_between, uptick_between, worse_beyond_fixed
from .converged import PRACTICAL_MARGIN, margin_at, saturates_beyond
from .gap import gap_does_not_grow, gap_reference
from .outcomes import (
    ALPHA,
    CONFIRMED,
    CONTRADICTED,
    EARLY_AGAINST,
    EARLY_FOR,
    EARLY_NEITHER,
    FAR_FROM_DATA,
    FAR_LABEL,
    FLOOR_UNKNOWN_LABEL,
    INCONCLUSIVE,
    LEARNING_LABEL,
    MIN_EVALS,
    NOT_REPRODUCED,
    NOT_TESTABLE,
    ONE_SEED,
    Reason,
    Verdict,
    claims_state,
    early,
    early_test,
    far_from_data,
    far_measure,
    far_qualified,
    lost_runs,
    welch_outcome,
)
from .rate import converges_faster, lower_throughout, more_stable, time_to_reach
from .settled import still_learning
from .trend import improves_with_width, trend_with_width

__all__ = [
    "ALPHA", "CONFIRMED", "CONTRADICTED", "EARLY_AGAINST", "EARLY_FOR", "EARLY_NEITHER",
    "FAR_FROM_DATA", "INCONCLUSIVE", "MIN_EVALS", "NOT_REPRODUCED", "NOT_TESTABLE", "ONE_SEED",
    "Verdict", "claims_state", "converges_faster", "far_from_data", "far_measure", "far_qualified",
    "gap_does_not_grow",
    "gap_grows_between", "improves_with_width", "lost_runs", "lower_throughout", "more_stable",
    "saturates_beyond", "time_to_reach", "trend_with_width", "uptick_between", "welch_outcome",
    "worse_beyond_fixed",
]
__all__ += ["PRACTICAL_MARGIN", "gap_reference", "margin_at", "still_learning"]
__all__ += ["FAR_LABEL", "FLOOR_UNKNOWN_LABEL", "LEARNING_LABEL", "Reason", "early", "early_test"]
