"""The plain WGAN-GP loop the engine is checked and benchmarked against.

It follows the loop structure of the widely copied PyTorch-GAN ``wgan_gp.py``
(Linder-Norén): the fake batch keeps its graph in critic steps (so backward also runs
through G), the critic is not frozen in the generator step, D(real), D(fake) and D(x_hat)
are separate forwards with one full ``backward()``, default (unfused) Adam, NCHW tensors,
and losses are read with ``.item()`` every iteration. The loss itself is
:mod:`.losses`, the same function the engines call.
"""

from __future__ import annotations

import torch
from torch import nn

from ..models import Z_DIM
from .config import TrainConfig
from .engine import Engine, build_models
from .losses import critic_loss, generator_loss
from .stream import BatchStream


class ReferenceLoop:
    """The plain WGAN-GP loop of the module docstring (same objective as the engine)."""

    def __init__(self, cfg: TrainConfig, device: str = "cpu"):
        self.cfg, self.device = cfg, torch.device(device)
        self.G, self.D = build_models(cfg)
        self.G.to(self.device)
        self.D.to(self.device)
        adam = dict(lr=cfg.lr, betas=(cfg.beta1, cfg.beta2))
        self.opt_g = torch.optim.Adam(self.G.parameters(), **adam)
        self.opt_d = torch.optim.Adam(self.D.parameters(), **adam)
        self.rng = torch.Generator(device=self.device).manual_seed(cfg.seed + 1)

    def critic_loss(self, real: torch.Tensor) -> torch.Tensor:
        b = real.shape[0]
        real = real.to(self.device)
        fake = self.G(torch.randn(b, Z_DIM, generator=self.rng, device=self.device))
        alpha = torch.rand(b, *[1] * (real.dim() - 1), generator=self.rng, device=self.device)
        return critic_loss(self.D, real, fake, alpha, self.cfg.gp_weight)[0]

    def generator_loss(self) -> torch.Tensor:
        z = torch.randn(self.cfg.batch_size, Z_DIM, generator=self.rng, device=self.device)
        return generator_loss(self.D, self.G(z))

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
    gaps = {"critic": rel_gap(eng.D, ref.D)}
    eng.generator_step()
    ref.opt_g.zero_grad()
    ref.generator_loss().backward()
    gaps["generator"] = rel_gap(eng.G, ref.G)
    return gaps


def rel_gap(a: nn.Module, b: nn.Module) -> float:
    """max |grad_a - grad_b| / max |grad_b| over all parameters."""
    ga = torch.cat([p.grad.flatten() for p in a.parameters()])
    gb = torch.cat([p.grad.flatten() for p in b.parameters()])
    return float((ga - gb).abs().max() / gb.abs().max())
