"""Running a sweep: skip stored runs, dispatch the rest, store what comes back."""

from __future__ import annotations

import time
from concurrent.futures import Executor
from typing import Any

from tqdm import tqdm

from ..profiles import check_profile
from ..store import Record, load, save
from ..train import EXPERIMENT, RunOptions, TrainConfig, store_payload, train_many
from .executors import compute_group, local_executor
from .grid import experiment_configs, run_options


def _cost(cfg: TrainConfig) -> float:
    """Relative cost, for longest-first scheduling (parameters x iterations)."""
    return (cfg.k_g ** 2 + cfg.k_d ** 2) * cfg.iters


def run_sweep(configs: list[TrainConfig], profile: str, executor: Executor | Any = None,
              workers: int = 1, rerun: bool = False, progress: bool = True,
              options: RunOptions | None = None, group: int = 1) -> dict[str, Any]:
    """Run every config not yet stored (longest first) and return the sweep summary.

    - ``executor`` given: groups of ``group`` runs are submitted to it and the payloads
      that come back are stored here;
    - else ``workers > 1``: the same through :func:`local_executor` (CPU worker processes);
    - else in this process: all runs together in lock step (:func:`train_many`; on a GPU
      each run is a CUDA graph on its own stream), which is how a sweep shares one GPU.

    The summary lists one row per config (status, message) and the sweep's wall time.
    """
    check_profile(profile)
    options = options or RunOptions()
    todo = [c for c in configs if rerun or load(EXPERIMENT, profile, c.record()) is None]
    todo.sort(key=_cost, reverse=True)
    start = time.perf_counter()
    rows: dict[str, dict[str, Any]] = {}
    if todo and executor is None and workers == 1:
        for c, rec in zip(todo, train_many(todo, profile, options, rerun, progress),
                          strict=True):
            rows[c.key] = {"key": c.key, "status": rec["status"], "message": rec["message"]}
    elif todo:
        _prefetch_references(todo)
        own = executor is None
        ex = local_executor(workers) if own else executor
        groups = [todo[i:i + group] for i in range(0, len(todo), group)]
        bar = tqdm(total=len(configs), initial=len(configs) - len(todo),
                   disable=not progress, desc=f"sweep ({profile})")
        try:
            futures = [ex.submit(compute_group, [c.record() for c in g], profile, rerun,
                                 options.record()) for g in groups]
            for g, fut in zip(groups, futures, strict=True):
                try:
                    got = fut.result()
                except Exception as exc:  # a crashed worker fails its group, not the sweep
                    got = [{"key": c.key, "status": "failed",
                            "message": f"{type(exc).__name__}: {exc}"} for c in g]
                for row in got:
                    payload = row.pop("payload", None)
                    if payload is not None:
                        store_payload(payload, profile)
                    rows[row["key"]] = row
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
    from ..metrics.reference import reference_features

    for dataset, n, splits in sorted({(c.dataset, c.eval_n, c.splits) for c in configs}):
        for split in splits:
            reference_features(dataset, split, n, progress=False)


def records(configs: list[TrainConfig], profile: str) -> list[Record | None]:
    """The stored record of every config (None where a run is missing)."""
    return [load(EXPERIMENT, profile, c.record()) for c in configs]


def summary_key(configs: list[TrainConfig]) -> dict[str, Any]:
    """What identifies a sweep's summary record: the keys of the runs it covers (what ran,
    not how: workers, executor, ...)."""
    return {"runs": sorted(c.key for c in configs)}


def run_experiment(experiment: str, profile: str, cfg: dict[str, Any], seed: int = 0,
                   rerun: bool = False, progress: bool = True,
                   executor: Executor | Any = None,
                   options: RunOptions | None = None) -> tuple[list[Record | None],
                                                              Record | None]:
    """Run a named sweep (missing runs only, unless ``rerun``) and return its records.

    Also returns the stored sweep summary (wall time, what ran), written whenever runs
    were executed, so the book can quote how long the sweep took and on what.
    """
    from ..metrics.floors import fid_floor

    configs = experiment_configs(experiment, cfg, seed)
    key = summary_key(configs)
    summary = run_sweep(configs, profile, executor, cfg.get("workers", 1), rerun, progress,
                        options or run_options(cfg), cfg.get("group", 1))
    if summary["ran"]:
        # The data's own train-vs-test FID at the runs' N, from the features they cached.
        summary["floor"] = fid_floor(configs[0].dataset, configs[0].eval_n)
        save(f"sweep_{experiment}", profile, key, summary, seed, summary["wall_s"])
    return records(configs, profile), load(f"sweep_{experiment}", profile, key)
