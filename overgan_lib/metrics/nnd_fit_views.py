"""How much of its real images does the NND critic learn? (Chapter 10's real-side check.)

The critic fits on one half of the test split and is scored on the other
(:mod:`.generalization`). A critic trained long on few real images can learn them: its
output on its fit images then rises above its output on held-out images of the same
distribution (:func:`.nnd.real_gap`); it then measures its fit set as well as the data. At
the gpu profile's budget each fit image is seen about a thousand times, against a few times
at cpu, so a cpu run of the baselines cannot show whether that happens there.

This experiment keeps the baselines' critic budget (steps x batch) and sampler and shrinks
the fit set (nested subsets, largest first), so the views per fit image grow from the cpu
profile's few towards the gpu profile's, and records the gap of the EMA and of the raw
critic and the held-out NND at each size. The critic seed and the held-out half are the
same at every size; one critic seed per size, so the NNDs carry the critic's seed noise.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import torch
from tqdm import tqdm

from ..errors import ParameterError
from ..profiles import validate_settings
from .generalization import baseline_sampler, held_out_halves, training_images
from .nnd import nnd


def fit_subset(fit: np.ndarray, n: int) -> np.ndarray:
    """A fixed (seed 0) random ``n`` of the fit half, in its order: nested as ``n`` grows."""
    if not 1 <= n <= len(fit):
        raise ParameterError(f"fit size {n} must lie in 1..{len(fit)} (the fit half of n_real); "
                             f"lower it or raise n_real")
    return fit[np.sort(np.random.default_rng(0).permutation(len(fit))[:n])]


def views_per_image(cfg: dict[str, Any], n_fit: int) -> float:
    """Real draws of one critic run per fit image: steps x batch_size / n_fit."""
    return cfg["steps"] * cfg["batch_size"] / n_fit


def nnd_fit_views(cfg: dict[str, Any], seed: int, progress: bool = True,
                  device: str = "cpu") -> dict[str, Any]:
    """NND of ``cfg['sampler']`` (a baseline name) and the critic's real-side gap for each
    fit-set size in ``cfg['fit_sizes']``, under the baselines' protocol otherwise (same
    critic seed, sampler seed and held-out half at every size).

    Returns per size: n_fit, views per fit image, NND (EMA critic), raw-critic NND, the gap
    and its standard error of the EMA and of the raw critic, and the seconds taken. Raises a
    one-line error unless the sizes decrease and fit in the fit half.
    """
    validate_settings(cfg)
    sizes = list(cfg["fit_sizes"])
    if any(b >= a for a, b in zip(sizes, sizes[1:], strict=False)):
        raise ParameterError(f"fit_sizes={sizes} must decrease (largest first, so the views per "
                             f"fit image grow), e.g. [5000, 500, 50]")
    fit, score = held_out_halves(cfg["dataset"], cfg["n_real"])
    subsets = [fit_subset(fit, n) for n in sizes]  # every size checked before any run
    train = training_images(cfg["dataset"], cfg["n_train"])
    rows: dict[str, list[float]] = {k: [] for k in (
        "n_fit", "views", "nnd", "nnd_raw", "real_gap", "real_gap_se", "real_gap_raw",
        "real_gap_raw_se", "seconds")}
    for sub in tqdm(subsets, desc="NND fit sizes", disable=not progress):
        t0 = time.perf_counter()
        res = nnd(baseline_sampler(cfg["sampler"], train, seed + 1), torch.as_tensor(sub),
                  torch.as_tensor(score), cfg["steps"], seed=seed,
                  batch_size=cfg["batch_size"], eval_batches=cfg["eval_batches"],
                  curve_at=cfg["curve_at"], ema=cfg["ema"], device=device, progress=progress)
        # The raw critic's NND at the last step exists where the last checkpoint is the end.
        last = bool(res.curve_steps) and res.curve_steps[-1] == cfg["steps"]
        for key, value in (("n_fit", len(sub)), ("views", views_per_image(cfg, len(sub))),
                           ("nnd", res.nnd),
                           ("nnd_raw", res.curve_raw[-1] if last else float("nan")),
                           ("real_gap", res.real_gap), ("real_gap_se", res.real_gap_se),
                           ("real_gap_raw", res.real_gap_raw),
                           ("real_gap_raw_se", res.real_gap_raw_se),
                           ("seconds", time.perf_counter() - t0)):
            rows[key].append(value)
    return {"sampler": cfg["sampler"], "n_score": len(score),
            **{k: np.asarray(v) for k, v in rows.items()}}
