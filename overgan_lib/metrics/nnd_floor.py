"""Does the NND critic detect a memoriser at all? (Fig. 6's memoriser claim.)

The memoriser of all training images and new real images (``fresh``: training images drawn
without replacement) are scored under the same NND protocol (:mod:`.generalization`) with
several critic seeds. They differ only in the memoriser's repeats, so the paired difference
of their scores over critic seeds is what the critic sees of memorisation, with its seed
noise; one critic seed cannot tell the two apart from noise. Only where one critic run draws
fewer samples than the training split holds (:func:`.generalization.sampler_draws`) can new
real images be drawn at all: at smoke and cpu, not at the reference's 100k x 256 draws.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..profiles import validate_settings
from .generalization import nnd_baselines


def nnd_floor(cfg: dict[str, Any], seed: int, progress: bool = True,
              device: str = "cpu") -> dict[str, Any]:
    """NND (EMA and raw critic) of the memoriser and of new real images for critic seeds
    ``seed`` ... ``seed + cfg['critic_seeds'] - 1``; critic seed s scores both exactly as
    :func:`.generalization.nnd_baselines` with seed s does (so s = 0 repeats its numbers).
    Raises a one-line error where the protocol would draw more images than exist."""
    validate_settings(cfg)
    base = {k: v for k, v in cfg.items() if k != "critic_seeds"}
    base["baselines"] = ["memorise", "fresh"]
    seeds = list(range(seed, seed + cfg["critic_seeds"]))
    out: dict[str, Any] = {"critic_seeds": seeds}
    gaps = ("real_gap", "real_gap_se", "real_gap_raw", "real_gap_raw_se")
    for name in base["baselines"]:
        out[name] = {"nnd": [], "nnd_raw": [], **{g: [] for g in gaps}}
    for s in seeds:
        res = nnd_baselines(base, s, progress, device)
        for name in base["baselines"]:
            out[name]["nnd"].append(res[name]["nnd"])
            raw = res[name]["curve_raw"]
            out[name]["nnd_raw"].append(raw[-1] if raw else float("nan"))
            for g in gaps:  # the critic's real-side gap per critic seed (its seed spread)
                out[name][g].append(res[name][g])
    for name in base["baselines"]:
        out[name] = {k: np.asarray(v) for k, v in out[name].items()}
    return out
