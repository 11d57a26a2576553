"""Benchmarks of the trainers (not tests): ``overgan bench train``, ``sweep``, ``gpu-sweep``.

``bench train`` times generator iterations/s of the plain reference loop
(:mod:`overgan_lib.train.reference`), the eager :class:`~overgan_lib.train.Engine` and, on
cuda, the graphed engine, in interleaved rounds in one process, on the same data and noise.
``bench sweep`` compares N small CPU runs one after another with the same runs in worker
processes. ``bench gpu-sweep`` trains 15 graphed runs together (one stream each) against
the same runs one after another.
"""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import Callable
from typing import Any

import torch

from .. import data
from ..errors import check_device_visible, check_positive_int
from ..threads import usable_cores
from ..train import BatchStream, Engine, GraphedEngine, TrainConfig
from ..train.reference import ReferenceLoop
from .timing import sync


def _time(step: Callable[[], Any], iters: int, device: str) -> float:
    sync(device)
    t0 = time.perf_counter()
    for _ in range(iters):
        step()
    sync(device)
    return (time.perf_counter() - t0) / iters


def bench_train(arch: str = "dcgan", k: int = 64, dataset: str = "cifar10", iters: int = 5,
                rounds: int = 2, device: str = "cpu") -> dict[str, Any]:
    """Seconds per generator iteration: reference loop vs engine (vs graphed on cuda).

    Each side gets one warm-up iteration, then ``rounds`` alternating timed blocks of
    ``iters`` iterations; the medians are compared. All start from the same weights and
    consume the same batches; the losses after the run are reported as a check:
    ``engine_last_losses`` is (L_D, W, GP, L_G), ``reference_last_losses`` (L_D, L_G).
    """
    from ..threads import for_workload

    check_positive_int("iters", iters)
    check_positive_int("rounds", rounds)
    with for_workload(arch):
        return _bench_train(arch, k, dataset, iters, rounds, device)


def _bench_train(arch: str, k: int, dataset: str, iters: int, rounds: int, device: str
                 ) -> dict[str, Any]:
    cuda = check_device_visible(device).startswith("cuda")
    cfg = TrainConfig(dataset=dataset, arch=arch, k_g=k, k_d=k, iters=iters)
    images = torch.from_numpy(data.load_uint8(dataset, "train")[:8192])
    sides: dict[str, Callable[[], Any]] = {}
    ref = ReferenceLoop(cfg, device)
    s_ref = BatchStream(images, cfg.batch_size, 0)
    sides["reference"] = lambda: ref.iteration(s_ref)
    eng = Engine(cfg, device)
    s_eng = BatchStream(images, cfg.batch_size, 0)
    sides["engine"] = lambda: eng.iteration(s_eng)
    if cuda:
        graphed = GraphedEngine(cfg, images, device)
        graphed.capture_graph()
        sides["graphed"] = graphed.iteration
    for step in sides.values():
        step()
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(rounds):
        for name, step in sides.items():
            times[name].append(_time(step, iters, device))
    med = {name: statistics.median(t) for name, t in times.items()}
    out = {"arch": arch, "k": k, "dataset": dataset, "batch": cfg.batch_size,
           "n_critic": cfg.n_critic, "iters": iters, "rounds": rounds, "device": device,
           "threads": torch.get_num_threads(),
           "engine_last_losses": eng.iteration(s_eng).tolist(),
           "reference_last_losses": list(ref.iteration(s_ref))}
    for name, t in med.items():
        out[f"{name}_s_per_iter"], out[f"{name}_ips"] = t, 1 / t
    out["speedup"] = med["reference"] / med["engine"]
    if cuda:
        out["graphed_speedup"] = med["reference"] / med["graphed"]
        out["graphed_vs_engine"] = med["engine"] / med["graphed"]
    return out


def train_only(config: dict[str, Any], iters: int) -> float:
    """Worker job of ``bench sweep``: ``iters`` engine iterations, no evaluation; seconds."""
    cfg = TrainConfig(**config)
    eng = Engine(cfg)
    stream = BatchStream(torch.from_numpy(data.load_uint8(cfg.dataset, "train")),
                         cfg.batch_size, cfg.seed)
    t0 = time.perf_counter()
    for _ in range(iters):
        eng.iteration(stream)
    return time.perf_counter() - t0


def bench_sweep(models: int = 4, workers: int = 2, k: int = 64, iters: int = 100
                ) -> dict[str, Any]:
    """N small MLP runs one after another (all cores) vs concurrently in worker processes.

    Both sides are timed warm: the worker pool's one-off start-up (spawn, imports, data
    cache) is reported separately, since a sweep pays it once, not per run.
    """
    from ..sweep import local_executor

    check_positive_int("models", models)
    check_positive_int("workers", workers)
    check_positive_int("iters", iters)
    configs = [dict(dataset="mnist", arch="mlp", k_g=k, k_d=k, seed=s) for s in range(models)]
    train_only(configs[0], 2)  # warm-up: data cache, thread pools
    t0 = time.perf_counter()
    for c in configs:
        train_only(c, iters)
    t_seq = time.perf_counter() - t0
    t0 = time.perf_counter()
    with local_executor(workers) as ex:
        list(ex.map(train_only, configs[:workers], [2] * workers))  # start-up, warm-up
        t_start = time.perf_counter() - t0
        t0 = time.perf_counter()
        list(ex.map(train_only, configs, [iters] * models))
        t_par = time.perf_counter() - t0
    return {"models": models, "workers": workers, "k": k, "iters": iters,
            "sequential_s": t_seq, "concurrent_s": t_par, "speedup": t_seq / t_par,
            "worker_startup_s": t_start,
            "cores": usable_cores(), "threads_sequential": torch.get_num_threads()}


GPU_SWEEP_WIDTHS = (8, 16, 32, 64, 128)


def bench_gpu_sweep(widths: tuple[int, ...] = GPU_SWEEP_WIDTHS, seeds: int = 3,
                    iters: int = 50, rounds: int = 3, device: str = "cuda") -> dict[str, Any]:
    """Graphed DCGAN runs (widths x seeds, CIFAR-10) trained together vs one after another.

    Together: one round replays every run's graph, each on its own CUDA stream, so the
    runs overlap on the device. One after another: each run alone for ``iters``
    iterations. Both sides are graphed and warm, and are timed in ``rounds`` alternating
    blocks (one side, then the other, the order swapped every round), so a clock or
    thermal drift during the bench falls on both; the medians of aggregate iterations/s
    are compared, and every block's time is kept.
    """
    check_positive_int("iters", iters)
    check_positive_int("seeds", seeds)
    check_positive_int("rounds", rounds)
    check_device_visible(device)
    images = torch.from_numpy(data.load_uint8("cifar10", "train"))
    capture = device.startswith("cuda")
    engines = [GraphedEngine(TrainConfig(dataset="cifar10", arch="dcgan", k_g=k, k_d=k,
                                         seed=s), images, device, capture=capture)
               for k in widths for s in range(seeds)]
    streams = [torch.cuda.Stream() if capture else None for _ in engines]
    for e in engines:
        e.capture_graph()
        e.iteration()

    def on(stream):
        return torch.cuda.stream(stream) if stream is not None else contextlib.nullcontext()

    def sequential() -> None:
        for e in engines:
            for _ in range(iters):
                e.iteration()

    def together() -> None:
        for _ in range(iters):
            for e, s in zip(engines, streams, strict=True):
                with on(s):
                    e.iteration()

    sides = {"sequential": sequential, "together": together}
    times: dict[str, list[float]] = {name: [] for name in sides}
    for r in range(rounds):
        for name in (sides if r % 2 == 0 else reversed(sides)):
            times[name].append(_time(sides[name], 1, device))
    t_seq, t_tog = (statistics.median(times[name]) for name in sides)
    n = len(engines) * iters
    return {"runs": len(engines), "widths": list(widths), "seeds": seeds, "iters": iters,
            "rounds": rounds, "device": device, "sequential_s": t_seq, "together_s": t_tog,
            "sequential_rounds_s": times["sequential"], "together_rounds_s": times["together"],
            "sequential_ips": n / t_seq, "together_ips": n / t_tog, "speedup": t_seq / t_tog,
            # the same work on both sides: warm-up + rounds x (one block of each side)
            "iterations_per_run": [e.order.index // e.cfg.n_critic for e in engines]}
