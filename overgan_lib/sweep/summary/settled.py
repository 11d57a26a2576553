"""Are the runs still learning? The gate before the rules on converged models.

The paper judges "the performance of converged models" (Sec. 3). Being close to the data's
floor (:func:`.outcomes.far_from_data`) does not make a model converged: the `gpu` profile
trains a few per cent of the paper's iterations. So the converged-model rules (the plateau,
the gap, Fig. 3's uptick, Fig. 7's drop) also ask the stored curves of FID over training
whether the runs have flattened, and are not judged where they have not.
"""

from __future__ import annotations

import numpy as np

from ..significance import line_slope
from .outcomes import ALPHA

Curves = dict[int, tuple[np.ndarray, np.ndarray]]
LATE_FROM = 2 / 3  # the late window: evaluations from this fraction of the last step on


def late_window(steps: np.ndarray) -> int:
    """Index of the evaluation that opens the late window: the last one at or before
    :data:`LATE_FROM` of the last evaluated step (the first one if none is), so the window
    always spans at least two evaluations."""
    before = np.flatnonzero(steps <= LATE_FROM * steps[-1])
    return int(before[-1]) if before.size else 0


def late_change(steps: np.ndarray, c: np.ndarray) -> tuple[float, float, float]:
    """The change of FID over the late window (:func:`late_window` to the last evaluation)
    from one line fitted to every run's late evaluations at once (pooled over seeds: a common
    slope, each run its own level), with its two one-sided (1 − ALPHA) confidence bounds
    (Student's t on points − runs − 1 degrees of freedom; infinite bounds without any).
    ``c``: runs x evaluations; runs with a non-finite late value are left out."""
    j = late_window(steps)
    x = np.asarray(steps[j:], float)
    y = np.asarray(c, float)[:, j:]
    y = y[np.isfinite(y).all(1)]
    span = float(x[-1] - x[0])
    if not len(y) or span <= 0:
        return float("nan"), -float("inf"), float("inf")
    runs = np.repeat(np.arange(len(y)), y.shape[1])
    slope, low, high = line_slope(np.tile(x, len(y)), y.ravel(), runs, ALPHA)
    return slope * span, low * span, high * span


NOT_JUDGED = "so this claim is not judged on these runs"


def still_learning(curves: Curves, name: str = "k", widths=None,
                   margin: float | dict[int, float] | None = None,
                   conclusion: str = NOT_JUDGED) -> str:
    """Why the runs at ``widths`` (default: every width with a curve) cannot count as
    converged ('' when each has been shown flat).

    A width counts as flat when both confidence bounds of its late-window change
    (:func:`late_change`: pooled over its runs, every late evaluation) lie within ±``margin``
    FID points: the margin of the rule that reads it (one for every width, or per width; a
    width left out, or by default: the practical margin at the width itself,
    :data:`.converged.PRACTICAL_MARGIN` of its mean last FID). ``conclusion`` ends the
    reason (what the rule then does with the claim). A late rise
    counts as a late fall does: neither curve is flat; and a change the few late evaluations
    cannot bound is not shown flat either. Only the widths a rule reads are asked, so one
    unsettled width does not block the rules that do not read it. Without curves of at least
    two evaluations nothing shows that the runs have flattened, which is also a reason."""
    from .converged import PRACTICAL_MARGIN

    widths = sorted(curves) if widths is None else [int(w) for w in widths]
    if not curves or min(c.shape[1] for _, c in curves.values()) < 2:
        return ("No FID curve over training with two or more evaluations is stored, so nothing "
                "shows the runs have flattened (the paper judges converged models).")
    learning = []
    for k in widths:
        if k not in curves:
            learning.append(f"{name}={k} has no stored FID curve")
            continue
        steps, c = curves[k]
        j = late_window(steps)
        given = margin.get(k) if isinstance(margin, dict) else margin
        tol = (PRACTICAL_MARGIN * float(np.nanmean(c[:, -1])) if given is None
               else float(given))
        change, low, high = late_change(steps, c)
        if not (low >= -tol and high <= tol):
            learning.append(f"{name}={k} changed {change:+.1f} from iteration {int(steps[j]):,} "
                            f"to {int(steps[-1]):,} ({1 - ALPHA:.0%} one-sided bounds {low:+.1f} "
                            f"and {high:+.1f}; margin ±{tol:.1f})")
    if not learning:
        return ""
    return ("Not shown to have stopped learning (a line through every run's late-window "
            "evaluations, pooled over seeds, changes by an amount whose confidence bounds are "
            "not both within the rule's margin): " + "; ".join(learning) + ". The paper judges "
            f"converged models, {conclusion}.")
