"""The eager WGAN-GP engine: models, optimisers and one generator iteration.

One generator iteration is ``n_critic`` critic steps and one generator step (App. D). The
engine computes exactly :mod:`.losses` and differs from the plain loop of
:mod:`.reference` only in how it spends work: fake batches for the critic are drawn
without an autograd graph, the critic is frozen during the generator step, backward passes
go only to the parameters being trained, the critic's piecewise-linear activations are
masked (:mod:`.activations`), conv models run channels_last, Adam is fused, and losses stay
on the device (the caller reads them back every ``log_every`` steps). It is the CPU path and
the reference the graphed engine is checked against.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from .. import data
from ..models import Z_DIM, build
from ..optim import make_optimizer
from .activations import mask_activations
from .config import TrainConfig
from .losses import critic_loss, generator_loss
from .stream import BatchStream


def build_models(cfg: TrainConfig) -> tuple[nn.Module, nn.Module]:
    """Generator and critic for ``cfg``, initialised from ``cfg.seed``."""
    torch.manual_seed(cfg.seed)
    card = data.CARDS[cfg.dataset]
    return build(cfg.arch, cfg.k_g, cfg.k_d, size=card.resolution, channels=card.channels)


def image_shape(cfg: TrainConfig) -> tuple[int, int, int]:
    """(C, H, W) of the run's images."""
    card = data.CARDS[cfg.dataset]
    return card.channels, card.resolution, card.resolution


class Engine:
    """Models, optimisers, the run's noise generator and one generator iteration.

    Both players use ``cfg.optimizer`` (default: fused Adam, App. D). ``capturable`` builds
    Adam with ``capturable=True`` (its step counter on the device), which CUDA-graph capture
    needs; the update it computes is the same.
    """

    def __init__(self, cfg: TrainConfig, device: str = "cpu", capturable: bool = False):
        self.cfg, self.device = cfg, torch.device(device)
        self.G, D = build_models(cfg)
        self.D = mask_activations(D)
        self.fmt = torch.channels_last if cfg.arch != "mlp" else torch.contiguous_format
        self.G.to(self.device, memory_format=self.fmt)
        self.D.to(self.device, memory_format=self.fmt)
        # The paper's default, Adam, stays torch's fused Adam with App. D's settings.
        opt: dict[str, Any] = dict(lr=cfg.lr, betas=(cfg.beta1, cfg.beta2), fused=True,
                                   capturable=capturable)
        self.opt_g = make_optimizer(cfg.optimizer, self.G.parameters(), **opt)
        self.opt_d = make_optimizer(cfg.optimizer, self.D.parameters(), **opt)
        self.d_params = list(self.D.parameters())
        self.g_params = list(self.G.parameters())
        self.rng = torch.Generator(device=self.device).manual_seed(cfg.seed + 1)
        self.alpha_shape = (cfg.batch_size,) + (1,) * len(image_shape(cfg))

    # ------------------------------------------------------------------ noise
    def draw(self, z: torch.Tensor, alpha: torch.Tensor) -> None:
        """Fill one iteration's noise in place: z (n_critic + 1, B, Z), alpha (n_critic, ...).

        The draws interleave exactly as :meth:`iteration` makes them (z, alpha per critic
        step, then the generator's z), so every engine sees the same random numbers.
        """
        for c in range(self.cfg.n_critic):
            torch.randn(z[c].shape, generator=self.rng, device=self.device, out=z[c])
            torch.rand(alpha[c].shape, generator=self.rng, device=self.device, out=alpha[c])
        torch.randn(z[-1].shape, generator=self.rng, device=self.device, out=z[-1])

    def _noise(self, n: int) -> torch.Tensor:
        return torch.randn(n, Z_DIM, generator=self.rng, device=self.device)

    # ------------------------------------------------------------------ steps
    def critic_step(self, real: torch.Tensor, z: torch.Tensor | None = None,
                    alpha: torch.Tensor | None = None) -> torch.Tensor:
        """One critic update; returns (L_D, W estimate, GP) as a tensor (no host sync).

        ``z`` and ``alpha`` default to fresh draws from the run's generator.
        """
        b = real.shape[0]
        real = real.to(self.device, memory_format=self.fmt)
        if z is None:
            z = self._noise(b)
        if alpha is None:
            alpha = torch.rand((b,) + self.alpha_shape[1:], generator=self.rng,
                               device=self.device)
        with torch.no_grad():
            fake = self.G(z)
        loss, w, gp = critic_loss(self.D, real, fake, alpha, self.cfg.gp_weight)
        self.opt_d.zero_grad(set_to_none=True)
        torch.autograd.backward(loss, inputs=self.d_params)
        self.opt_d.step()
        return torch.stack([loss.detach(), w.detach(), gp.detach()])

    def generator_step(self, z: torch.Tensor | None = None) -> torch.Tensor:
        """One generator update with the critic frozen; returns L_G (no host sync)."""
        if z is None:
            z = self._noise(self.cfg.batch_size)
        self.D.requires_grad_(False)
        loss = generator_loss(self.D, self.G(z))
        self.opt_g.zero_grad(set_to_none=True)
        torch.autograd.backward(loss, inputs=self.g_params)
        self.opt_g.step()
        self.D.requires_grad_(True)
        return loss.detach()

    def iteration(self, stream: BatchStream) -> torch.Tensor:
        """One generator iteration; returns (L_D, W, GP, L_G) of the last critic step."""
        for _ in range(self.cfg.n_critic):
            d = self.critic_step(stream.next())
        return torch.cat([d, self.generator_step()[None]])

    # ------------------------------------------------------------------ state
    def state_dict(self) -> dict[str, Any]:
        return {"G": self.G.state_dict(), "D": self.D.state_dict(),
                "opt_g": self.opt_g.state_dict(), "opt_d": self.opt_d.state_dict(),
                "rng": self.rng.get_state()}

    def load_state_dict(self, sd: dict[str, Any]) -> None:
        self.G.load_state_dict(sd["G"])
        self.D.load_state_dict(sd["D"])
        self.opt_g.load_state_dict(sd["opt_g"])
        self.opt_d.load_state_dict(sd["opt_d"])
        self.rng.set_state(sd["rng"])
