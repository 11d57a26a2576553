"""Are the runs still learning? The gate before the rules on converged models.

The paper judges "the performance of converged models" (Sec. 3). Being close to the data's
floor (:func:`.outcomes.far_from_data`) does not make a model converged: the `gpu` profile
trains a few per cent of the paper's iterations. So the converged-model rules (the plateau,
the gap, Fig. 3's uptick, Fig. 7's drop) also ask the stored curves of FID over training
whether the runs have flattened, and are not judged where they have not.
"""

from __future__ import annotations

import numpy as np

from .converged import PRACTICAL_MARGIN

Curves = dict[int, tuple[np.ndarray, np.ndarray]]
LATE_FROM = 2 / 3  # the late window: evaluations from this fraction of the last step on


def late_window(steps: np.ndarray) -> int:
    """Index of the evaluation that opens the late window: the last one at or before
    :data:`LATE_FROM` of the last evaluated step (the first one if none is), so the window
    always spans at least two evaluations."""
    before = np.flatnonzero(steps <= LATE_FROM * steps[-1])
    return int(before[-1]) if before.size else 0


def still_learning(curves: Curves, name: str = "k") -> str:
    """Why the runs cannot count as converged ('' when every width has flattened).

    Per width, the mean over its runs of the change of FID over the late window (from
    :func:`late_window` to the last evaluation). A width is not settled when the size of that
    change exceeds both :data:`.converged.PRACTICAL_MARGIN` of the size of its mean change
    over all its evaluations and the sample standard deviation of its runs' last FID (the
    seed noise, so a flat curve's noise does not count). A late rise counts as a late fall
    does: neither curve is flat. Without curves of at least two
    evaluations nothing shows that the runs have flattened, which is also a reason."""
    if not curves or min(c.shape[1] for _, c in curves.values()) < 2:
        return ("No FID curve over training with two or more evaluations is stored, so nothing "
                "shows the runs have flattened (the paper judges converged models).")
    learning = []
    for k, (steps, c) in sorted(curves.items()):
        j = late_window(steps)
        late = float(np.mean(c[:, -1] - c[:, j]))
        whole = float(np.mean(c[:, -1] - c[:, 0]))
        noise = float(np.std(c[:, -1], ddof=1)) if len(c) > 1 else 0.0
        if abs(late) > max(PRACTICAL_MARGIN * abs(whole), noise):
            learning.append(f"{name}={k} {'rose' if late > 0 else 'fell'} {abs(late):.1f} from "
                            f"iteration {int(steps[j]):,} to {int(steps[-1]):,}")
    if not learning:
        return ""
    return ("Still learning at the end (mean FID over the late window changed by more than "
            f"{PRACTICAL_MARGIN:.0%} of its whole change and more than the seeds' spread): "
            + "; ".join(learning) + ". The paper judges converged models, so this claim is not "
            "judged on these runs.")
