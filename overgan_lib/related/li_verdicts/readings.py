"""Descriptions of the stored study that are not verdicts: how far first-order
discriminators are from a best response late in the run (:func:`late_mean`,
:func:`shortfall_share`) and what one recorded failure path does (:func:`example_summary`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import ParameterError

#: shortfall_share: a discriminator 'recovers little' of the TV below this fraction.
LITTLE = 0.1


def late_mean(steps: np.ndarray, curves: np.ndarray, start_frac: float = 0.5) -> np.ndarray:
    """Mean of each curve (configs, R) over the recorded steps t >= start_frac * T."""
    steps, curves = np.asarray(steps), np.asarray(curves, dtype=float)
    if curves.shape[-1] != len(steps):
        raise ParameterError(f"curves have {curves.shape[-1]} points but {len(steps)} steps")
    return curves[..., steps >= start_frac * steps[-1]].mean(-1)


def shortfall_share(shortfall: np.ndarray, tv: np.ndarray,
                    little: float = LITTLE) -> dict[str, Any]:
    """How far first-order discriminators are from a best response, per configuration.

    ``shortfall`` (configs,) is the mean of 1 + TV - L(mu, I) and ``tv`` the mean TV over the
    same runs and steps (:func:`late_mean`). ``share`` = shortfall / TV: 0 for a best response,
    1 for a discriminator whose loss is 1 (it captures no net mass). ``recovers_little`` is
    True when every share is at least 1 - ``little``: the discriminators recover less than
    that fraction of the TV.
    """
    shortfall, tv = np.asarray(shortfall, dtype=float), np.asarray(tv, dtype=float)
    if shortfall.shape != tv.shape or (tv <= 0).any():
        raise ParameterError(f"shortfall {shortfall.shape} and tv {tv.shape}: give positive "
                             "mean TVs of the same configurations")
    share = shortfall / tv
    return {"share": share, "min": float(share.min()), "max": float(share.max()),
            "recovers_little": bool((share >= 1 - little).all())}


def example_summary(steps: np.ndarray, mu: np.ndarray, ends: np.ndarray,
                    merge_gap: float) -> dict[str, Any]:
    """What one recorded first-order path does (the chapter's failure examples).

    ``steps`` (R,), ``mu`` (R, 2), ``ends`` (R, 2k). Merged means |mu_1 - mu_2| <
    ``merge_gap`` (the rule of dynamics.classify). Returns how often the means merged and
    separated again, the largest gap after the first merge and its step, the last step at which
    they were apart, the final gap, the final interval lengths (min, max) and how far each mean
    moved over the second half of the run.
    """
    steps, mu, ends = np.asarray(steps), np.asarray(mu), np.asarray(ends)
    if not (len(steps) == len(mu) == len(ends)) or len(steps) < 2:
        raise ParameterError(f"steps, mu, ends have {len(steps)}, {len(mu)}, {len(ends)} rows; "
                             "give the same number, at least 2")
    gap = np.abs(mu[:, 0] - mu[:, 1])
    merged = gap < merge_gap
    first = int(np.argmax(merged)) if merged.any() else len(gap)
    after = gap[first:] if first < len(gap) else np.zeros(0)
    i_max = first + int(np.argmax(after)) if len(after) else None
    apart = np.flatnonzero(~merged)
    lengths = ends[-1, 1::2] - ends[-1, 0::2]
    half = len(steps) // 2
    return {"merges": int(merged[0]) + int((merged[1:] & ~merged[:-1]).sum()),
            "separations": int((~merged[1:] & merged[:-1]).sum()),
            "max_gap_after_merge": float(after.max()) if len(after) else None,
            "max_gap_after_merge_step": int(steps[i_max]) if i_max is not None else None,
            "last_apart_step": int(steps[apart[-1]]) if len(apart) else None,
            "final_gap": float(gap[-1]),
            "final_length_min": float(lengths.min()), "final_length_max": float(lengths.max()),
            "mid_step": int(steps[half]), "mu_mid": mu[half].astype(float).tolist(),
            "mu_final": mu[-1].astype(float).tolist(),
            "drift_second_half": float(np.abs(mu[-1] - mu[half]).max())}
