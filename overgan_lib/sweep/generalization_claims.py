"""Figs. 6 and 10 judged on one sweep's stored generalization scores, at one profile.

Assembles the rules of :mod:`.generalization` from the stored records chapter
"Generalization" reads: the sweep's NND and nearest neighbours, with the held-out test
images' neighbours as the reference (``generalization``), the baselines' NND
(``generalization_baselines``), the data's FID floor (``generalization_fid``) and, where the
profile can draw them, training images without repeats against the memoriser over critic seeds
(``nnd_floor``). The chapter prints these verdicts and the status page summarises
them, so both say the same.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import generalization as rules
from .matrices import width_matrix
from .summary import (
    FAR_LABEL,
    FLOOR_UNKNOWN_LABEL,
    Reason,
    Verdict,
    far_from_data,
    far_measure,
)
from .summary.outcomes import row_means
from .view import SweepView


def far_reason(view: SweepView, fid: dict[str, Any], trend: bool = False) -> str:
    """Why ``view``'s models are far from the data by FID ('' when they are not): the sweep
    summary's rule against the data's floor at the same N (``fid``: the
    ``generalization_fid`` record): for an untestable claim only the measurement, which the
    claim completes with why it is not tested there (:func:`.generalization.far_not_tested`),
    or (``trend``) the summary's reason for a trend that is still judged."""
    if not view.complete:
        return Reason(f"the sweep is not complete at this profile ({view.status()}), so how far "
                      "its models are from the data is unknown.", FLOOR_UNKNOWN_LABEL)
    if view.cfg["eval_n"] != fid["n"]:
        return Reason(f"the sweep's FID is not stored at the floor's N = {fid['n']}, so how far "
                      "its models are from the data is unknown.", FLOOR_UNKNOWN_LABEL)
    F = width_matrix(view.configs, view.recs, "fid_train")[1]
    floor = fid["floor"]["fid"]
    reason = far_from_data(F, floor, trend=trend)
    if trend or not reason or getattr(reason, "label", None) != FAR_LABEL:
        return reason
    # For an untested claim only the measurement: each claim says why it is not tested on
    # such models (generalization.FAR_COPIES, FAR_DIVERSE), not summary's generic FID reason.
    best = float(np.nanmin(row_means(F)))
    return Reason(f"{far_measure(best, floor)}, so these models are far from the data", FAR_LABEL)


def generalization_verdicts(scores: dict[str, Any], baselines: dict[str, Any], far: str,
                            far_trend: str, floor: dict[str, Any] | None = None
                            ) -> list[Verdict]:
    """Fig. 6's two claims (:func:`.generalization.nnd_verdicts`), Sec. 3's "not copies"
    and App. E's diversity (Fig. 10) for one sweep.

    ``scores``: the sweep's ``generalization`` record (held-out test images' neighbours
    under ``neighbours["test"]``); ``baselines``: the ``generalization_baselines`` record;
    ``far``/``far_trend``: :func:`far_reason` without and with ``trend``; ``floor``: the
    ``nnd_floor`` record where the profile has one.
    """
    names = scores["names"]
    k = np.asarray(scores["k"])
    final = np.asarray([scores["nnd"][n]["nnd"] for n in names])
    nbrs = scores["neighbours"]
    pair = None if floor is None else (floor["memorise"]["nnd"], floor["fresh"]["nnd"])
    return [
        *rules.nnd_verdicts(k, final, baselines["memorise"]["nnd"],
                            {b: baselines[b]["nnd"] for b in baselines["baselines"]},
                            far_trend, floor=pair),
        rules.not_copies(k, [nbrs[n]["pixel_distances"] for n in names],
                         nbrs["test"]["pixel_distances"], far),
        rules.more_diverse(k, [nbrs[n]["pixel_indices"][:, 0] for n in names],
                           nbrs["test"]["pixel_indices"][:, 0], far),
    ]


