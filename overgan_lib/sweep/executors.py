"""Where a sweep's runs execute: this process, local worker processes, or a Ray cluster.

Every executor runs :func:`compute_group` (a group of runs trained together in one
process, on a GPU as CUDA graphs on separate streams) and returns its payloads; the driver
writes the results store, so provenance (git sha, clean or dirty) never depends on a worker
having the checkout. Any object with the ``concurrent.futures.Executor`` interface
(``submit(fn, *args)`` returning a future with ``.result()``) plugs in: submitit's
``AutoExecutor``, dask's ``Client``, or :class:`RayExecutor` here.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

import torch

from ..errors import ParameterError, check_positive_int
from ..train import CheckpointError, RunOptions, TrainConfig
from ..train.loop import Run, advance


def _init_worker(threads: int) -> None:
    torch.set_num_threads(threads)


def compute_group(records: list[dict[str, Any]], profile: str, rerun: bool = False,
                  options: dict[str, Any] | None = None,
                  threads: int | None = None) -> list[dict[str, Any]]:
    """Worker entry point: train a group of configs together; returns one row per run.

    A row is ``{"key", "status", "message", "payload"}``; the payload (see
    :func:`overgan_lib.train.loop.store_payload`) is written by the driver. A run that
    fails (e.g. a corrupt checkpoint) is reported, not raised, so the sweep goes on;
    divergence is a normal outcome recorded in the run's result.
    """
    if threads:
        torch.set_num_threads(threads)
    cfgs = [TrainConfig.from_record(r) for r in records]
    opts = RunOptions(**(options or {}))
    try:
        runs = [Run(c, profile, opts, rerun) for c in cfgs]
        advance(runs)
    except (CheckpointError, ParameterError, RuntimeError) as exc:
        return [{"key": c.key, "status": "failed", "message": f"{type(exc).__name__}: {exc}",
                 "payload": None} for c in cfgs]
    rows = []
    for r in runs:
        payload = r.finish()
        res = payload["result"]
        rows.append({"key": r.cfg.key, "status": res["status"], "message": res["message"],
                     "payload": payload})
    return rows


def local_executor(workers: int = 2, threads: int | None = None) -> Executor:
    """Worker processes on this machine, each with ``threads`` intra-op threads.

    The default splits the cores evenly, so N small models train side by side instead of
    one model using all cores badly. ``spawn`` keeps workers free of the parent's state.
    """
    check_positive_int("workers", workers)
    threads = threads or max(1, (os.cpu_count() or 1) // workers)
    return ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"),
                               initializer=_init_worker, initargs=(threads,))


class _RayFuture:
    def __init__(self, ref: Any):
        self.ref = ref

    def result(self, timeout: float | None = None) -> Any:
        import ray

        return ray.get(self.ref, timeout=timeout)


class RayExecutor:
    """Submit sweep groups as Ray tasks, one per GPU (``num_gpus=1``) or per CPU slot.

    ``address`` None starts (or joins) a local Ray instance; ``"auto"`` or
    ``"ray://head:10001"`` joins an existing cluster (see the README). Ray's fractional
    GPUs would only share a GPU between processes, which was measured slower than one
    process training several runs, so a task holds a whole GPU and trains a group.
    """

    def __init__(self, address: str | None = None, num_gpus: float | None = None,
                 num_cpus: int = 1, init_kwargs: dict[str, Any] | None = None):
        try:
            import ray
        except ImportError as exc:
            raise ParameterError("executor='ray' needs Ray; install it with "
                                 "pip install 'overgan[cluster]'") from exc
        self._started = not ray.is_initialized()
        if self._started:
            ray.init(address=address, include_dashboard=False, log_to_driver=False,
                     **(init_kwargs or {}))
        # The cluster's GPUs decide, not the driver's (a CPU-only head node is common).
        gpus = num_gpus if num_gpus is not None else (
            1 if ray.cluster_resources().get("GPU", 0) > 0 else 0)
        self.num_cpus = num_cpus
        self._task = ray.remote(num_gpus=gpus, num_cpus=num_cpus)(compute_group)

    def submit(self, fn, *args, **kwargs) -> _RayFuture:
        if fn is not compute_group:
            raise ParameterError("RayExecutor runs sweep groups only (compute_group)")
        kwargs.setdefault("threads", self.num_cpus)
        return _RayFuture(self._task.remote(*args, **kwargs))

    def shutdown(self, wait: bool = True) -> None:
        import ray

        if self._started:
            ray.shutdown()

    def __enter__(self) -> RayExecutor:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.shutdown()


EXECUTORS = ("local", "ray")


def make_executor(name: str, workers: int = 2, **kwargs: Any) -> Executor | RayExecutor:
    """An executor by name (the CLI's ``--executor``)."""
    if name == "local":
        return local_executor(workers)
    if name == "ray":
        return RayExecutor(**kwargs)
    raise ParameterError(f"executor={name!r} is unknown; use one of {', '.join(EXECUTORS)}")
