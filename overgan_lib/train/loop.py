"""The trainer: runs generator iterations, logs, evaluates, checkpoints and stores results.

One run = one :class:`~.config.TrainConfig` executed under :class:`~.config.RunOptions`.
:func:`train` is idempotent: a finished run is read back from the results store; an
interrupted one resumes from its last checkpoint, and on the CPU ends bitwise equal to an
uninterrupted run (all state, RNGs included, is in the checkpoint, and the data order is a
pure function of (seed, batch index)).

:func:`train_many` trains several runs in one process, in lock step: on a GPU each run is
a captured CUDA graph replayed on its own stream, so the runs overlap on the device (the
way to share one GPU; several processes were measured slower than one). :func:`train` is
:func:`train_many` of one run.
"""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from tqdm import tqdm

from .. import data
from ..models import parameter_count
from ..store import Record, load, record_path, save, worker_provenance
from .checkpoints import check_device, checkpoint_path, load_checkpoint, save_checkpoint
from .config import RunOptions, TrainConfig
from .engine import Engine
from .evaluation import evaluate, sample
from .graphed import GraphedEngine
from .stream import BatchStream
from .weights import generator_blob, store_generator

EXPERIMENT = "train"
_HIST = ("d_loss", "w_dist", "gp", "g_loss")


@dataclass
class TrainState:
    """Everything a checkpoint holds besides the models and optimisers."""

    step: int = 0
    batches: int = 0
    history: list[list[float]] = field(default_factory=list)
    evals: list[dict[str, Any]] = field(default_factory=list)
    train_s: float = 0.0
    eval_s: float = 0.0
    resumed_from: list[int] = field(default_factory=list)


class Run:
    """One run in flight: its engine, data order, state and checkpoint."""

    def __init__(self, cfg: TrainConfig, profile: str, options: RunOptions, rerun: bool,
                 stop_after: int | None = None):
        self.cfg, self.profile, self.options = cfg, profile, options
        device = options.resolved_device()
        self.ckpt = checkpoint_path(cfg)
        if rerun:
            self.ckpt.unlink(missing_ok=True)
        images = torch.from_numpy(data.load_uint8(cfg.dataset, "train"))
        self.st = TrainState()
        saved = load_checkpoint(self.ckpt)
        if saved is not None:
            check_device(saved, self.ckpt, device)
            self.st = TrainState(**saved["state"])
            self.st.resumed_from.append(self.st.step)
        self.graphed = options.use_graphs(cfg.optimizer)
        if self.graphed:
            self.engine: Engine | GraphedEngine = GraphedEngine(cfg, images, device,
                                                                start=self.st.batches)
            if saved is not None:
                self.engine.load_state_dict(saved["engine"], self.st.batches)
            self.engine.capture_graph()
            self.cuda_stream = torch.cuda.Stream(torch.device(device))
            # setup and capture ran on the current stream; replays go to this one
            self.cuda_stream.wait_stream(torch.cuda.current_stream(torch.device(device)))
        else:
            self.engine = Engine(cfg, device)
            if saved is not None:
                self.engine.load_state_dict(saved["engine"])
            self.stream = BatchStream(images, cfg.batch_size, cfg.seed, self.st.batches)
        self.end = cfg.iters if stop_after is None else min(cfg.iters, stop_after)
        self.pending: list[torch.Tensor] = []
        self.diverged_at: int | None = None
        self.together = 1  # runs sharing this process's steps (train_s is their shared time)
        self._t0 = time.perf_counter()

    @property
    def done(self) -> bool:
        return self.diverged_at is not None or self.st.step >= self.end

    def context(self):
        """The CUDA stream this run's work is queued on (none on the CPU)."""
        return torch.cuda.stream(self.cuda_stream) if self.graphed else contextlib.nullcontext()

    def step(self) -> None:
        """Queue one generator iteration (no host sync)."""
        with self.context():
            out = self.engine.iteration() if self.graphed else self.engine.iteration(self.stream)
        self.pending.append(out)
        self.st.step += 1

    def boundary(self) -> None:
        """At log/eval/checkpoint steps: read losses back, check divergence, eval, save."""
        cfg, opt, st = self.cfg, self.options, self.st
        at_eval = bool(cfg.eval_every) and st.step % cfg.eval_every == 0
        at_ckpt = st.step % opt.ckpt_every == 0 or st.step == self.end
        if not (st.step % opt.log_every == 0 or at_eval or at_ckpt):
            return
        first = len(st.history)
        with self.context():
            st.history += torch.stack(self.pending).tolist()  # the only host sync
        self.pending.clear()
        st.batches = self.engine.batches if self.graphed else self.stream.index
        if (bad := _first_bad(st.history, first)) is not None:
            self._lap()
            self._t0 = time.perf_counter()
            self.diverged_at = bad
            return
        if at_eval:
            self._lap()
            t1 = time.perf_counter()
            st.evals.append(evaluate(self.engine.G, cfg, st.step))
            st.eval_s += time.perf_counter() - t1
            self._t0 = time.perf_counter()
        if at_ckpt:
            self._lap()
            save_checkpoint(self.ckpt, {"engine": self.engine.state_dict(), "state": asdict(st),
                                        "device": self.engine.device.type})
            self._t0 = time.perf_counter()

    def _lap(self) -> None:
        """Add the time since the last lap to the training time (excludes eval and I/O)."""
        self.st.train_s += time.perf_counter() - self._t0

    def finish(self) -> dict[str, Any] | None:
        """Final evaluation; returns the run's payload (see :func:`store_payload`).

        Nothing is written here but the checkpoint's removal, so a worker on another
        machine can hand the payload to the driver, which writes the results store.
        """
        cfg, st = self.cfg, self.st
        self._lap()
        if self.end < cfg.iters and self.diverged_at is None:
            return None  # stopped early on purpose (stop_after): the checkpoint stays
        if self.diverged_at is None and (not st.evals or st.evals[-1]["step"] != st.step):
            t0 = time.perf_counter()
            st.evals.append(evaluate(self.engine.G, cfg, st.step))
            st.eval_s += time.perf_counter() - t0
        ok = self.diverged_at is None
        payload = {
            "config": cfg.record(),
            # train_s is the wall time shared by the runs trained in lock step with this one
            # (aggregate throughput = runs_together x iters_per_s)
            "result": {**_result(cfg, self.options, self.engine, st, self.diverged_at),
                       "runs_together": self.together},
            "wall_s": st.train_s + st.eval_s,
            "grid": sample(self.engine.G, 64, seed=20_000 + cfg.seed).numpy() if ok else None,
            "weights": generator_blob(self.engine.G) if ok and self.options.keep_weights
            else None,
            "worker": worker_provenance(),
        }
        self.ckpt.unlink(missing_ok=True)
        return payload


def store_payload(payload: dict[str, Any], profile: str) -> Record:
    """Write a finished run: its JSON record, sample grid and kept generator.

    Provenance (git sha, clean or dirty) is the writing process's checkout; the device,
    host and versions are the worker's, where they differ.
    """
    from ..images import save_grid

    cfg = TrainConfig.from_record(payload["config"])
    result = dict(payload["result"])
    if payload["weights"] is not None:
        result["weights"] = store_generator(payload["weights"], profile)
    rec = save(EXPERIMENT, profile, cfg.record(), result, cfg.seed, payload["wall_s"],
               worker=payload["worker"])
    if payload["grid"] is not None:
        save_grid(payload["grid"], grid_path(cfg, profile))
    return rec


def advance(runs: list[Run], progress: bool = False) -> None:
    """Train every run to its end in lock step: one iteration of each, then each one's
    log/eval/checkpoint boundary (on a GPU the runs' graphs overlap on their streams)."""
    total = sum(r.end for r in runs)
    desc = (f"{runs[0].cfg.arch} k_g={runs[0].cfg.k_g} k_d={runs[0].cfg.k_d} "
            f"seed={runs[0].cfg.seed}" if len(runs) == 1 else f"{len(runs)} runs")
    bar = tqdm(total=total, initial=sum(r.st.step for r in runs), disable=not progress,
               leave=False, desc=desc)
    start = time.perf_counter()
    for r in runs:  # no run's clock includes the construction (and capture) of the others
        r._t0 = start
        r.together = len(runs)
    try:
        active = [r for r in runs if not r.done]
        while active:
            for r in active:
                r.step()
            for r in active:
                r.boundary()
            if any(r.st.step % r.options.log_every == 0 for r in active):
                bar.update(sum(r.st.step for r in runs) - bar.n)
                d, w, gp, g = active[0].st.history[-1] if active[0].st.history else [0] * 4
                bar.set_postfix_str(f"W={w:.3g} gp={gp:.3g} L_G={g:.3g}", refresh=False)
            active = [r for r in active if not r.done]
    finally:
        bar.close()


def _first_bad(history: list[list[float]], start: int) -> int | None:
    bad = [i for i, row in enumerate(history[start:], start) if not all(map(math.isfinite, row))]
    return bad[0] + 1 if bad else None


def _result(cfg: TrainConfig, options: RunOptions, eng: Engine | GraphedEngine,
            st: TrainState, diverged_at: int | None) -> dict[str, Any]:
    hist = np.asarray(st.history, dtype=np.float64).reshape(-1, len(_HIST))
    w = options.log_every
    n = len(hist) // w * w
    curves = {name: hist[:n, i].reshape(-1, w).mean(1) for i, name in enumerate(_HIST)}
    final = st.evals[-1] if st.evals and diverged_at is None else None
    return {
        "status": "diverged" if diverged_at is not None else "completed",
        "message": f"diverged at step {diverged_at}" if diverged_at is not None else "",
        "diverged_at": diverged_at,
        "steps_done": st.step,
        "iters_per_s": st.step / st.train_s if st.train_s > 0 else float("nan"),
        "train_s": st.train_s,
        "eval_s": st.eval_s,
        "params_g": parameter_count(eng.G),
        "params_d": parameter_count(eng.D),
        "curve_steps": (np.arange(len(hist) // w) + 1) * w,
        "curves": curves,
        "evals": st.evals,
        "final": final,
        "resumed_from": st.resumed_from,
        "options": options.record(),
    }


def grid_path(cfg: TrainConfig, profile: str) -> Path:
    """The sample grid stored beside the run's JSON."""
    return record_path(EXPERIMENT, profile, cfg.record()).with_suffix(".png")


def train_many(configs: list[TrainConfig], profile: str = "cpu",
               options: RunOptions | None = None, rerun: bool = False, progress: bool = True,
               stop_after: int | None = None) -> list[Record | None]:
    """Train every config in this process, in lock step; returns their records in order.

    Stored runs are read back (unless ``rerun``). ``stop_after`` ends the work after that
    many total steps without writing results (checkpoints stay), which is how tests
    interrupt a run.
    """
    from ..threads import for_workload

    options = options or RunOptions()
    arch = configs[0].arch if configs else "mlp"
    with for_workload(arch):
        return _train_many(configs, profile, options, rerun, progress, stop_after)


def _train_many(configs: list[TrainConfig], profile: str, options: RunOptions, rerun: bool,
                progress: bool, stop_after: int | None) -> list[Record | None]:
    out: dict[str, Record | None] = {}
    runs = []
    for cfg in configs:
        if not rerun and (rec := load(EXPERIMENT, profile, cfg.record())) is not None:
            out[cfg.key] = rec
        else:
            runs.append(Run(cfg, profile, options, rerun, stop_after))
    advance(runs, progress)
    for r in runs:
        payload = r.finish()
        out[r.cfg.key] = None if payload is None else store_payload(payload, profile)
    return [out[c.key] for c in configs]


def train(cfg: TrainConfig, profile: str = "cpu", rerun: bool = False, progress: bool = True,
          options: RunOptions | None = None, stop_after: int | None = None) -> Record | None:
    """Train (or resume, or read back) one run and store its result; see module docstring."""
    return train_many([cfg], profile, options, rerun, progress, stop_after)[0]
