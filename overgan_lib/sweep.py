"""Width sweeps: a grid of training runs (dataset x arch x k_g x k_d x seed) and executors.

A sweep is a list of :class:`~overgan_lib.train.TrainConfig`. It runs through any object
with the ``concurrent.futures.Executor`` interface (``submit(fn, *args)`` returning a
future with ``.result()``): the default :func:`local_executor` runs several runs at once
in worker processes on this machine, and cluster engines that speak the same interface
(submitit's ``AutoExecutor``, dask's ``Client``, ...) plug in unchanged. The results store
and the checkpoints make a sweep idempotent: finished runs are skipped, interrupted ones
resume from their last checkpoint.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from itertools import product
from typing import Any

import numpy as np
import torch
from tqdm import tqdm

from .errors import ParameterError, check_positive_int, check_positive_ints
from .profiles import check_profile
from .store import Record, load
from .train import EXPERIMENT, CheckpointError, TrainConfig, train


def grid(dataset: str, arch: str, widths: list[int], seeds: int | list[int],
         k_d: list[int] | None = None, **settings: Any) -> list[TrainConfig]:
    """Configs of a sweep; ``k_d=None`` ties the critic's width to the generator's (k_g=k_d).

    ``settings`` are the remaining :class:`TrainConfig` fields (iters, eval_n, ...).
    """
    check_positive_ints("widths", widths)
    seed_list = list(range(seeds)) if isinstance(seeds, int) else list(seeds)
    if isinstance(seeds, int):
        check_positive_int("seeds", seeds)
    pairs = [(k, k) for k in widths] if k_d is None else list(product(widths,
                                                                      check_positive_ints(
                                                                          "k_d", k_d)))
    return [TrainConfig(dataset=dataset, arch=arch, k_g=g, k_d=d, seed=s, **settings)
            for (g, d), s in product(pairs, seed_list)]


def _cost(cfg: TrainConfig) -> float:
    """Relative cost, for longest-first scheduling (parameters x iterations)."""
    return (cfg.k_g ** 2 + cfg.k_d ** 2) * cfg.iters


def _init_worker(threads: int) -> None:
    torch.set_num_threads(threads)


def run_one(config: dict[str, Any], profile: str, rerun: bool = False) -> dict[str, Any]:
    """Worker entry point: train one config; returns a small, picklable summary.

    A run that fails (e.g. a corrupt checkpoint) is reported, not raised, so that the rest
    of the sweep goes on; divergence is a normal outcome recorded in the run's result.
    """
    cfg = TrainConfig(**config)
    try:
        rec = train(cfg, profile, rerun=rerun, progress=False)
    except (CheckpointError, ParameterError, RuntimeError) as exc:
        return {"key": cfg.key, "status": "failed", "message": f"{type(exc).__name__}: {exc}"}
    return {"key": cfg.key, "status": rec["status"], "message": rec["message"],
            "path": str(rec.path), "reused": rec.reused}


def local_executor(workers: int = 2, threads: int | None = None) -> Executor:
    """Worker processes on this machine, each with ``threads`` intra-op threads.

    The default splits the cores evenly, so N small models train side by side instead of
    one model using all cores badly. ``spawn`` keeps workers free of the parent's state.
    """
    check_positive_int("workers", workers)
    threads = threads or max(1, (os.cpu_count() or 1) // workers)
    return ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"),
                               initializer=_init_worker, initargs=(threads,))


def run_sweep(configs: list[TrainConfig], profile: str, executor: Executor | None = None,
              workers: int = 1, rerun: bool = False, progress: bool = True) -> dict[str, Any]:
    """Run every config not yet stored (longest first) and return the sweep summary.

    ``executor`` defaults to :func:`local_executor` with ``workers`` processes; with
    ``workers=1`` and no executor the runs go one after another in this process. The
    summary lists one row per config (status, message) and the sweep's wall time.
    """
    check_profile(profile)
    todo = [c for c in configs if rerun or load(EXPERIMENT, profile, c.record()) is None]
    todo.sort(key=_cost, reverse=True)
    start = time.perf_counter()
    rows: dict[str, dict[str, Any]] = {}
    bar = tqdm(total=len(configs), initial=len(configs) - len(todo), disable=not progress,
               desc=f"sweep ({profile})")
    if todo and (executor is not None or workers > 1):
        _prefetch_references(todo)
    own = executor is None and workers > 1 and bool(todo)
    ex = local_executor(workers) if own else executor
    try:
        if ex is None:
            for c in todo:
                rows[c.key] = run_one(c.record(), profile, rerun)
                bar.update()
        else:
            futures = [ex.submit(run_one, c.record(), profile, rerun) for c in todo]
            for c, fut in zip(todo, futures, strict=True):
                rows[c.key] = fut.result()
                bar.update()
    finally:
        bar.close()
        if own:
            ex.shutdown()
    return {"runs": len(configs), "ran": len(todo), "wall_s": time.perf_counter() - start,
            "rows": [rows.get(c.key, {"key": c.key, "status": "stored"}) for c in configs]}


def _prefetch_references(configs: list[TrainConfig]) -> None:
    """Compute (or load) the real-data features every run will score against, once, here.

    Otherwise concurrent workers would all extract the same reference features at once on
    first use (the cache is shared on disk, but not while it is being written).
    """
    from .metrics.reference import reference_features

    for dataset, n, splits in sorted({(c.dataset, c.eval_n, c.splits) for c in configs}):
        for split in splits:
            reference_features(dataset, split, n, progress=False)


def records(configs: list[TrainConfig], profile: str) -> list[Record | None]:
    """The stored record of every config (None where a run is missing)."""
    return [load(EXPERIMENT, profile, c.record()) for c in configs]


_SWEEPS = {"mnist_mlp": ("mnist", "mlp")}
_RUN_KEYS = ("iters", "eval_every", "eval_n", "log_every", "ckpt_every", "fid_test")


def experiment_configs(experiment: str, cfg: dict[str, Any], seed: int = 0) -> list[TrainConfig]:
    """The grid of a named sweep (e.g. ``mnist_mlp``, Fig. 3) from its profile settings.

    Seeds are ``seed, seed + 1, ...`` so a chapter's ``seed`` parameter shifts them all.
    """
    if experiment not in _SWEEPS:
        raise ParameterError(f"sweep={experiment!r} is unknown; use one of {', '.join(_SWEEPS)}")
    dataset, arch = _SWEEPS[experiment]
    seeds = [seed + i for i in range(check_positive_int("seeds", cfg["seeds"]))]
    return grid(dataset, arch, cfg["widths"], seeds, **{k: cfg[k] for k in _RUN_KEYS})


def sweeps() -> list[str]:
    """Names of the sweeps with profile tables."""
    return sorted(_SWEEPS)


def run_experiment(experiment: str, profile: str, cfg: dict[str, Any], seed: int = 0,
                   rerun: bool = False, progress: bool = True,
                   executor: Executor | None = None) -> tuple[list[Record | None], Record | None]:
    """Run a named sweep (missing runs only, unless ``rerun``) and return its records.

    Also returns the stored sweep summary (wall time, what ran), written whenever runs
    were executed, so the book can quote how long the sweep took and on what.
    """
    from .store import save

    configs = experiment_configs(experiment, cfg, seed)
    key = {"runs": sorted(c.key for c in configs)}  # what ran, not how (workers, ...)
    summary = run_sweep(configs, profile, executor, cfg.get("workers", 1), rerun, progress)
    if summary["ran"]:
        save(f"sweep_{experiment}", profile, key, summary, seed, summary["wall_s"])
    return records(configs, profile), load(f"sweep_{experiment}", profile, key)


def width_matrix(configs: list[TrainConfig], recs: list[Record | None],
                 metric: str) -> tuple[np.ndarray, np.ndarray]:
    """(widths, widths x seeds matrix) of a final metric (``fid_train``, ``kid_test``, ...)
    or a run statistic (``iters_per_s``); diverged or missing runs are NaN."""
    widths = sorted({c.k_g for c in configs})
    seeds = sorted({c.seed for c in configs})
    out = np.full((len(widths), len(seeds)), np.nan)
    for c, r in zip(configs, recs, strict=True):
        if r is None:
            continue
        value = r[metric] if metric in r.data else (r["final"] or {}).get(metric, np.nan)
        out[widths.index(c.k_g), seeds.index(c.seed)] = value
    return np.asarray(widths), out


def diverged(configs: list[TrainConfig], recs: list[Record | None]) -> list[tuple[int, int, str]]:
    """(k, seed, message) of every diverged run."""
    return [(c.k_g, c.seed, r["message"]) for c, r in zip(configs, recs, strict=True)
            if r is not None and r["status"] == "diverged"]
