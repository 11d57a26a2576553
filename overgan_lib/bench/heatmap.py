"""``overgan bench heatmap``: the Li et al. (2018) first-order heat map, batched vs a loop.

Times the heat map (every grid cell x discriminator initialisation, k = 2 intervals) as one
batched tensor program against a per-initialisation loop in plain Python floats, checks that
both end in the same outcomes, and stores the timing as a record with provenance
(results/bench_heatmap/).
"""

from __future__ import annotations

import math
import time
from typing import Any

import torch
from tqdm import tqdm

from ..profiles import settings


def _reference_mixture_run(mu: list[float], ends: list[float], target: list[float],
                           eta_g: float, eta_d: float, T: int, d_steps: int) -> list[float]:
    """One first-order run of the mixture GAN, written plainly with floats (the reference)."""
    c = 1.0 / math.sqrt(2.0 * math.pi)

    def phi(z: float) -> float:
        return math.exp(-0.5 * z * z) * c

    def gap(x: float, m: list[float]) -> float:
        real = 0.5 * (phi(x - target[0]) + phi(x - target[1]))
        return real - 0.5 * (phi(x - m[0]) + phi(x - m[1]))

    def d_grad(m: list[float], e: list[float]) -> list[float]:
        return [(1.0 if i % 2 else -1.0) * gap(x, m) for i, x in enumerate(e)]

    for _ in range(T):
        for _ in range(d_steps - 1):
            ends = sorted(x + eta_d * g for x, g in zip(ends, d_grad(mu, ends), strict=True))
        g_mu = [0.5 * sum((1.0 if i % 2 else -1.0) * phi(x - m) for i, x in enumerate(ends))
                for m in mu]
        g_e = d_grad(mu, ends)
        mu = [m - eta_g * g for m, g in zip(mu, g_mu, strict=True)]
        ends = sorted(x + eta_d * g for x, g in zip(ends, g_e, strict=True))
    return mu + ends


def bench_heatmap(
    profile: str = "cpu", seed: int = 0, progress: bool = True, store: bool = True,
    **overrides: Any
) -> dict[str, Any]:
    """Time the batched first-order heat map (k = 2, one D step) against a per-run loop.

    ``overrides`` (grid, inits, T, ...) are validated like the chapter's settings. Returns the
    times, their ratio and the agreement of the two codes; with ``store`` also saves it as a
    record with provenance under the experiment name ``bench_heatmap``.
    """
    from ..related import dynamics as dy
    from ..related.experiments import first_order_batch
    from ..store import save

    cfg = settings("li2018", profile, **overrides)
    target = torch.tensor(cfg["targets"], dtype=torch.float64)
    t0 = time.perf_counter()
    mu0, ends0, tr = first_order_batch(cfg, seed, 2, 1)
    t_fast = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref = [_reference_mixture_run(mu0[i].tolist(), ends0[i].tolist(), cfg["targets"],
                                  cfg["eta_g"], cfg["eta_d"], cfg["T"], 1)
           for i in tqdm(range(len(mu0)), desc="reference runs", disable=not progress)]
    t_ref = time.perf_counter() - t0
    ref_t = torch.tensor(ref, dtype=torch.float64)
    fast = torch.cat([tr.mu, tr.ends], 1)
    diff = (fast - ref_t).abs().max(1).values
    codes = dy.classify(tr.mu, tr.ends, target, cfg["tol"])
    codes_ref = dy.classify(ref_t[:, :2], ref_t[:, 2:], target, cfg["tol"])
    res = {
        "profile": profile,
        "runs": len(mu0),
        "iterations": cfg["T"],
        "batched_s": t_fast,
        "reference_s": t_ref,
        "speedup": t_ref / t_fast,
        "max_state_diff": float(diff.max()),
        "median_state_diff": float(diff.median()),
        "same_outcome": float((codes == codes_ref).double().mean()),
        "success_batched": float((codes == dy.SUCCESS).double().mean()),
        "success_reference": float((codes_ref == dy.SUCCESS).double().mean()),
        "threads": torch.get_num_threads(),
    }
    if store:
        rec = save("bench_heatmap", profile, {**cfg, "seed": seed}, res, seed, t_fast + t_ref)
        res["record"] = str(rec.path)
    return res
