"""Benchmarks of the training engine (not tests): ``overgan bench train`` and ``bench sweep``.

``bench train`` times generator iterations/s of :class:`~overgan_lib.train.Engine` against
a plain PyTorch WGAN-GP loop in the same process, on the same data and noise stream. The
reference follows the loop structure of the widely copied PyTorch-GAN ``wgan_gp.py``
(Linder-Norén): the fake batch keeps its graph in critic steps (so backward also runs
through G), the critic is not frozen in the generator step, D(real), D(fake) and D(x_hat)
are separate forwards with one backward, the gradient penalty uses
``autograd.grad(create_graph=True, retain_graph=True)``, default Adam, NCHW tensors, and
losses are logged with ``.item()`` every iteration.
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

import torch
from torch import nn

from . import data
from .errors import check_positive_int
from .models import Z_DIM
from .train import BatchStream, Engine, TrainConfig, build_models


class ReferenceLoop:
    """The plain WGAN-GP loop of the module docstring (same objective as the engine)."""

    def __init__(self, cfg: TrainConfig):
        self.cfg = cfg
        self.G, self.D = build_models(cfg)
        adam = dict(lr=cfg.lr, betas=(cfg.beta1, cfg.beta2))
        self.opt_g = torch.optim.Adam(self.G.parameters(), **adam)
        self.opt_d = torch.optim.Adam(self.D.parameters(), **adam)
        self.rng = torch.Generator().manual_seed(cfg.seed + 1)

    def critic_loss(self, real: torch.Tensor) -> torch.Tensor:
        b = real.shape[0]
        fake = self.G(torch.randn(b, Z_DIM, generator=self.rng))
        real_v, fake_v = self.D(real), self.D(fake)
        alpha = torch.rand(b, *[1] * (real.dim() - 1), generator=self.rng)
        interp = (alpha * real + (1 - alpha) * fake.detach()).requires_grad_(True)
        d_interp = self.D(interp)
        grad = torch.autograd.grad(d_interp, interp, grad_outputs=torch.ones_like(d_interp),
                                   create_graph=True, retain_graph=True, only_inputs=True)[0]
        gp = ((grad.view(b, -1).norm(2, dim=1) - 1) ** 2).mean()
        return -real_v.mean() + fake_v.mean() + self.cfg.gp_weight * gp

    def generator_loss(self) -> torch.Tensor:
        return -self.D(self.G(torch.randn(self.cfg.batch_size, Z_DIM, generator=self.rng))).mean()

    def iteration(self, stream: BatchStream) -> tuple[float, float]:
        for _ in range(self.cfg.n_critic):
            self.opt_d.zero_grad()
            d_loss = self.critic_loss(stream.next())
            d_loss.backward()
            self.opt_d.step()
        self.opt_g.zero_grad()
        g_loss = self.generator_loss()
        g_loss.backward()
        self.opt_g.step()
        return d_loss.item(), g_loss.item()


def _time(step, iters: int) -> float:
    t0 = time.perf_counter()
    for _ in range(iters):
        step()
    return (time.perf_counter() - t0) / iters


def bench_train(arch: str = "dcgan", k: int = 64, dataset: str = "cifar10", iters: int = 5,
                rounds: int = 2) -> dict[str, Any]:
    """Seconds per generator iteration: engine vs :class:`ReferenceLoop`, interleaved.

    Each side gets one warm-up iteration, then ``rounds`` alternating timed blocks of
    ``iters`` iterations; the medians are compared. Both start from the same weights and
    consume the same batches, and the loss values after the run are reported as a check:
    ``engine_last_losses`` is (L_D, W, GP, L_G), ``reference_last_losses`` (L_D, L_G).
    """
    check_positive_int("iters", iters)
    check_positive_int("rounds", rounds)
    cfg = TrainConfig(dataset=dataset, arch=arch, k_g=k, k_d=k, iters=iters)
    images = torch.from_numpy(data.load_uint8(dataset, "train")[:8192])
    eng, ref = Engine(cfg), ReferenceLoop(cfg)
    s_eng, s_ref = BatchStream(images, cfg.batch_size, 0), BatchStream(images, cfg.batch_size, 0)
    eng.iteration(s_eng)
    ref.iteration(s_ref)
    t_eng, t_ref = [], []
    for _ in range(rounds):
        t_ref.append(_time(lambda: ref.iteration(s_ref), iters))
        t_eng.append(_time(lambda: eng.iteration(s_eng), iters))
    last = eng.iteration(s_eng).tolist()
    ref_last = list(ref.iteration(s_ref))
    e, r = statistics.median(t_eng), statistics.median(t_ref)
    return {"arch": arch, "k": k, "dataset": dataset, "batch": cfg.batch_size,
            "n_critic": cfg.n_critic, "iters": iters, "rounds": rounds,
            "engine_s_per_iter": e, "reference_s_per_iter": r, "engine_ips": 1 / e,
            "reference_ips": 1 / r, "speedup": r / e, "engine_last_losses": last,
            "reference_last_losses": ref_last,
            "threads": torch.get_num_threads()}


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
    from .sweep import local_executor

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
            "cores": os.cpu_count(), "threads_sequential": torch.get_num_threads()}


def gradient_gap(cfg: TrainConfig, images: torch.Tensor) -> dict[str, float]:
    """Relative gap between engine and reference gradients for one critic and one G step.

    Both start from the same weights and draw the same batch, noise and interpolation
    weights; the critic's gradient of L_D and then (after the critic updates) the
    generator's gradient of L_G are compared as max|g_engine - g_ref| / max|g_ref|. Any
    gap is floating-point reordering: a correctness check of the engine's shortcuts.
    """
    eng, ref = Engine(cfg), ReferenceLoop(cfg)
    real = BatchStream(images, cfg.batch_size, 0).next()
    eng.critic_step(real)
    ref.opt_d.zero_grad()
    ref.critic_loss(real).backward()
    ref.opt_d.step()
    gaps = {"critic": _rel_gap(eng.D, ref.D)}
    eng.generator_step()
    ref.opt_g.zero_grad()
    ref.generator_loss().backward()
    gaps["generator"] = _rel_gap(eng.G, ref.G)
    return gaps


def _rel_gap(a: nn.Module, b: nn.Module) -> float:
    ga = torch.cat([p.grad.flatten() for p in a.parameters()])
    gb = torch.cat([p.grad.flatten() for p in b.parameters()])
    return float((ga - gb).abs().max() / gb.abs().max())
