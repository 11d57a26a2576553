"""``overgan bench theory``: the batched Fig. 2 sweep against a per-seed autograd loop.

Times the full Fig. 2 sweep (widths x seeds x {GDA, GD}) as the chapter runs it, batched over
seeds, against the plain per-seed Python loop a researcher would write first (autograd, one
seed at a time), in the same process, and checks that both give the same final losses.
"""

from __future__ import annotations

import time
from typing import Any

import torch
from tqdm import tqdm

from ..profiles import settings
from ..theory.experiments import fig2_sweep, gaussian_targets, instance_seeds
from ..theory.generator import sample_problem
from ..theory.solvers import normalized_eta


def _reference_run(V, Z, W0, y, eta: float, mu: float, T: int, gda: bool) -> float:
    """One seed, one algorithm, written the straightforward way with autograd."""
    W = W0.clone().requires_grad_(True)
    d = torch.zeros_like(y)
    for _ in range(T):
        fw = V @ torch.relu(Z @ W.T).mean(0)
        r = fw - y
        obj = (d * fw).sum() if gda else 0.5 * (r * r).sum()
        (g,) = torch.autograd.grad(obj, W)
        with torch.no_grad():
            W -= eta * g
            if gda:
                d = (1 - mu) * d + mu * r.detach()
    with torch.no_grad():
        r = V @ torch.relu(Z @ W.T).mean(0) - y
        return float((r * r).sum())


def reference_fig2(cfg: dict[str, Any], seed: int, progress: bool = True) -> dict[str, list]:
    """The Fig. 2 sweep as a per-seed loop (the benchmark's reference)."""
    m, d, n, S, T, mu = cfg["m"], cfg["d"], cfg["n"], cfg["seeds"], cfg["T"], cfg["mu"]
    ys = gaussian_targets(m, n, seed, S)
    out: dict[str, list] = {"gda_final": [], "gd_final": []}
    for k in tqdm(cfg["widths"], desc="reference widths", disable=not progress):
        p = sample_problem(ys, k, d, n, instance_seeds(seed, S))
        etas = normalized_eta(p, cfg["eta_bar"]).flatten().tolist()
        row_a, row_b = [], []
        for s in range(S):
            args = (p.V[s], p.Z[s], p.W0[s], p.y[s], etas[s], mu, T)
            row_a.append(_reference_run(*args, gda=True))
            row_b.append(_reference_run(*args, gda=False))
        out["gda_final"].append(row_a)
        out["gd_final"].append(row_b)
    return out


def bench_theory(
    profile: str = "cpu", seed: int = 0, progress: bool = True, **overrides: Any
) -> dict[str, Any]:
    """Time the batched Fig. 2 sweep against the reference loop; return times and ratio.

    ``overrides`` (widths, seeds, T, eta_bar, mu, ...) are validated like chapter settings.
    """
    from ..threads import for_workload

    cfg = settings("fig2", profile, **overrides)
    with for_workload("theory"):
        return _time_theory(cfg, profile, seed, progress)


def _time_theory(cfg: dict[str, Any], profile: str, seed: int, progress: bool
                 ) -> dict[str, Any]:
    t0 = time.perf_counter()
    fast = fig2_sweep(cfg, seed, progress=progress)
    t_fast = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref = reference_fig2(cfg, seed, progress=progress)
    t_ref = time.perf_counter() - t0
    # GD is a contraction, so both codes agree to round-off; GDA in the unreachable regime
    # (k < 2m, see chapter 4) is chaotic and amplifies round-off differences.
    diffs = {}
    for key in ("gda_final", "gd_final"):
        a, b = torch.tensor(fast[key]), torch.tensor(ref[key])
        scale = torch.tensor(fast["initial"]).clamp_min(1.0)
        rel = (a - b).abs() / scale
        diffs[key] = (float(rel.max()), float(rel.median()))
    return {
        "profile": profile,
        "runs": 2 * len(cfg["widths"]) * cfg["seeds"],
        "iterations": cfg["T"],
        "batched_s": t_fast,
        "reference_s": t_ref,
        "speedup": t_ref / t_fast,
        "gd_diff_max_median": diffs["gd_final"],
        "gda_diff_max_median": diffs["gda_final"],
        "threads": torch.get_num_threads(),
    }
