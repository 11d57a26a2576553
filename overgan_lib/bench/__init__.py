"""Benchmarks (not tests): speed of this project's code against a plain reference.

``overgan bench theory`` times the full Fig. 2 sweep (widths x seeds x {GDA, GD}) as
the chapter runs it, batched over seeds, against the plain per-seed Python loop a
researcher would write first (autograd, one seed at a time), in the same process, and
checks that both give the same final losses.

``overgan bench heatmap`` times the first-order heat map of the Li et al. (2018) chapter
(every grid cell x discriminator initialisation, k = 2 intervals) as one batched tensor
program against a per-initialisation loop in plain Python floats, checks that both end in the
same outcomes, and stores the timing as a record with provenance (results/bench_heatmap/).
"""

from __future__ import annotations

import math
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


def bench_fid(n: int = 2000, progress: bool = True) -> dict[str, Any]:
    """Images/s of overgan's tensor path vs pytorch-fid's file-based ``get_activations``.

    Both run on the same n CIFAR-10 test images in this process (the reference reads them
    back from PNG files, as pytorch-fid's CLI does); FID between the two halves of the set
    is computed from each path's features and their difference reported.
    """
    import tempfile
    from pathlib import Path

    from pytorch_fid.fid_score import get_activations

    from ..errors import check_positive_int
    from ..images import write_folder
    from ..metrics import features, frechet, statistics
    from ..metrics.reference import reference_subset

    check_positive_int("n", n)
    imgs = reference_subset("cifar10", "test", n)
    features(imgs[:8])  # loads the model; warm-up outside the timed region
    with tempfile.TemporaryDirectory() as tmp:
        files = [str(p) for p in write_folder(imgs, Path(tmp))]
        from pytorch_fid.inception import InceptionV3

        ref_model = InceptionV3([3]).eval()
        t0 = time.perf_counter()
        ref = get_activations(files, ref_model, batch_size=50, dims=2048, device="cpu",
                              num_workers=1)
        t_ref = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = features(imgs, batch_size=50, progress=progress)
    t_ours = time.perf_counter() - t0
    h = n // 2
    fid_ref = frechet(*statistics(ref[:h]), *statistics(ref[h:]))
    fid_ours = frechet(*statistics(ours[:h]), *statistics(ours[h:]))
    return {"n": n, "ours_ips": n / t_ours, "ref_ips": n / t_ref, "speedup": t_ref / t_ours,
            "fid_ours": fid_ours, "fid_ref": fid_ref, "fid_diff": abs(fid_ours - fid_ref),
            "threads": torch.get_num_threads()}


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


def bench_nnd(batch_size: int = 256, steps: int = 3, warmup: int = 1, size: int = 32,
              device: str | None = None, seed: int = 0,
              progress: bool = True) -> dict[str, Any]:
    """Critic steps/s of the neural-net divergence (:mod:`overgan_lib.metrics.nnd`).

    Times ``steps`` training steps (after ``warmup`` untimed ones) and as many scoring
    batches of the reference critic on random uint8 images of CIFAR-10's shape, and
    extrapolates the reference's cost: 100k steps plus 10k scoring batches of 256. There
    is no second implementation to race against, so no ratio: the number is the cost. The
    record keeps the 1-minute load average, since a shared CPU slows every step.
    """
    from ..errors import check_int, check_positive_int
    from ..metrics import nnd as N

    for name, v in (("batch_size", batch_size), ("steps", steps), ("size", size)):
        check_positive_int(name, v)
    check_int("warmup", warmup)
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    gen = torch.Generator().manual_seed(seed)
    critic = N.init_critic(N.NNDCritic(3, size), gen).to(device,
                                                          memory_format=torch.channels_last)
    shadow = [p.detach().clone() for p in critic.parameters()]
    opt = N.TFAdam(list(critic.parameters()))

    def batch() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        x = torch.randint(0, 256, (2, batch_size, 3, size, size), dtype=torch.uint8,
                          generator=gen)
        return (N.dequantize(x[0], gen, device), N.dequantize(x[1], gen, device),
                torch.rand(batch_size, generator=gen).to(device))

    def sync() -> None:
        if device.startswith("cuda"):
            torch.cuda.synchronize()

    for _ in range(warmup):
        N.train_step(critic, opt, shadow, *batch(), N.LR, N.EMA)
    sync()
    t_train = t_eval = 0.0
    for _ in tqdm(range(steps), desc="NND bench", disable=not progress):
        real, fake, alpha = batch()  # data preparation is not timed
        sync()
        t0 = time.perf_counter()
        N.train_step(critic, opt, shadow, real, fake, alpha, N.LR, N.EMA)
        sync()
        t_train += time.perf_counter() - t0
        real, fake, alpha = batch()
        t0 = time.perf_counter()
        float(N.critic_cost(critic, real, fake, alpha, create_graph=False)[0].detach())
        sync()
        t_eval += time.perf_counter() - t0
    sps, eps = steps / t_train, steps / t_eval
    # the reference's batch is 256; another batch size is scaled linearly to it
    ref_s = (N.BATCH / batch_size) * (N.REFERENCE_STEPS / sps + N.REFERENCE_EVAL_BATCHES / eps)
    import os

    from ..store import device_name

    cpu_name = f"cpu x{torch.get_num_threads()}"
    return {"load_average_1min": os.getloadavg()[0], "batch_size": batch_size, "size": size,
            "steps": steps, "device": device,
            "device_name": device_name() if device != "cpu" else cpu_name,
            "steps_per_s": sps, "s_per_step": 1 / sps, "eval_batches_per_s": eps,
            "reference_hours": ref_s / 3600, "threads": torch.get_num_threads()}
