"""Per-player optimisers for GAN training: SGDA, nSGDA, Adam and Adam-grafting.

Each player (generator, discriminator) gets its own optimiser, so "SGDA" is plain SGD on
each player with its own learning rate, as in Jelassi et al. (2023):

* ``sgda``          θ ← θ − η g                                   (plain SGD, no momentum)
* ``nsgda``         θ_ℓ ← θ_ℓ − η g_ℓ / ‖g_ℓ‖   per parameter tensor ℓ (per layer)
* ``nsgda_global``  θ ← θ − η g / ‖g‖           one norm over the whole player
* ``adam``          ``torch.optim.Adam`` (Kingma & Ba, 2015), unchanged
* ``graft``         θ_ℓ ← θ_ℓ − ‖A_ℓ‖ g_ℓ / ‖g_ℓ‖ with A_ℓ Adam's step for tensor ℓ
                    (Agarwal et al., 2020: Adam's magnitude, SGD's direction). Adam's
                    moments are updated exactly as Adam would, from the same gradients.

Norms are Frobenius norms. A zero gradient gives a zero step (never a division by zero).
``batched=True`` treats the first dimension of every parameter as independent runs (a
stack of models trained side by side, see :mod:`overgan_lib.related.pacgan`): norms are
then taken per run, so the stack behaves exactly like separate models.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import torch

from .errors import ParameterError, check_choice, check_positive_float

OPTIMIZERS: tuple[str, ...] = ("sgda", "nsgda", "nsgda_global", "adam", "graft")


def _norm(t: torch.Tensor, batched: bool) -> torch.Tensor:
    """Frobenius norm of ``t`` (per leading index when ``batched``), shaped to broadcast."""
    if not batched:
        return torch.linalg.vector_norm(t)
    n = torch.linalg.vector_norm(t.reshape(t.shape[0], -1), dim=1)
    return n.reshape(-1, *[1] * (t.dim() - 1))


def _safe_div(num: torch.Tensor, den: torch.Tensor) -> torch.Tensor:
    """num / den with 0 where den == 0 (a zero gradient makes no step)."""
    return torch.where(den > 0, num / torch.where(den > 0, den, torch.ones_like(den)),
                       torch.zeros_like(num))


class NormalizedSGD(torch.optim.Optimizer):
    """nSGDA for one player: a step of length ``lr`` along −g (per tensor or global)."""

    def __init__(self, params: Iterable, lr: float, scope: str = "layer",
                 batched: bool = False):
        check_positive_float("lr", lr)
        check_choice("scope", scope, ("layer", "global"))
        super().__init__(params, dict(lr=lr))
        self.scope, self.batched = scope, batched

    @torch.no_grad()
    def step(self, closure=None):  # noqa: D102 - torch.optim API
        loss = closure() if closure is not None else None
        for group in self.param_groups:
            ps = [p for p in group["params"] if p.grad is not None]
            if not ps:
                continue
            if self.scope == "layer":
                for p in ps:
                    p.sub_(group["lr"] * _safe_div(p.grad, _norm(p.grad, self.batched)))
                continue
            sq = sum(_norm(p.grad, self.batched).reshape(-1).square() for p in ps)
            total = sq.sqrt()
            for p in ps:
                den = (total.reshape(-1, *[1] * (p.dim() - 1)) if self.batched
                       else total.reshape(()))
                p.sub_(group["lr"] * _safe_div(p.grad, den))
        return loss


class GraftedAdam(torch.optim.Optimizer):
    """Adam's per-tensor step length along the SGD direction (Agarwal et al., 2020).

    With m, v Adam's moments after this gradient, t the step count and
    A = lr · m̂ / (√v̂ + eps) (m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t)), the update is
    θ_ℓ ← θ_ℓ − ‖A_ℓ‖ · g_ℓ / ‖g_ℓ‖.
    """

    def __init__(self, params: Iterable, lr: float, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, batched: bool = False):
        check_positive_float("lr", lr)
        check_betas(betas)
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps))
        self.batched = batched

    @torch.no_grad()
    def step(self, closure=None):  # noqa: D102 - torch.optim API
        loss = closure() if closure is not None else None
        for group in self.param_groups:
            b1, b2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g, st = p.grad, self.state[p]
                if not st:
                    st["step"] = 0
                    st["exp_avg"] = torch.zeros_like(p)
                    st["exp_avg_sq"] = torch.zeros_like(p)
                st["step"] += 1
                t = st["step"]
                st["exp_avg"].lerp_(g, 1 - b1)
                st["exp_avg_sq"].mul_(b2).addcmul_(g, g, value=1 - b2)
                denom = (st["exp_avg_sq"] / (1 - b2 ** t)).sqrt_().add_(group["eps"])
                adam_step = group["lr"] / (1 - b1 ** t) * st["exp_avg"] / denom
                mag = _norm(adam_step, self.batched)
                p.sub_(mag * _safe_div(g, _norm(g, self.batched)))
        return loss


def check_betas(betas: object) -> tuple[float, float]:
    """Two Adam betas in [0, 1), or a one-line error."""
    ok = (isinstance(betas, tuple | list) and len(betas) == 2
          and all(isinstance(b, int | float) and 0 <= b < 1 for b in betas))
    if not ok:
        raise ParameterError(f"betas={betas!r} must be two numbers in [0, 1), e.g. (0.5, 0.999)")
    return float(betas[0]), float(betas[1])


def make_optimizer(name: str, params: Iterable, lr: float,
                   betas: tuple[float, float] = (0.9, 0.999), *, fused: bool | None = None,
                   batched: bool = False) -> torch.optim.Optimizer:
    """One player's optimiser by name (see module docstring for the update rules).

    ``betas`` are used by ``adam`` and ``graft`` only; ``fused`` is passed to
    ``torch.optim.Adam`` (``adam`` only, so the engine's default path stays
    ``torch.optim.Adam(params, lr=lr, betas=betas, fused=True)``). Raises a one-line
    :class:`ParameterError` on an unknown name, a non-positive lr or bad betas.
    """
    check_choice("optimizer", name, OPTIMIZERS)
    lr = check_positive_float("lr", lr)
    if not math.isfinite(lr):  # pragma: no cover - check_positive_float rejects it
        raise ParameterError(f"lr={lr!r} must be finite")
    betas = check_betas(betas)
    if name == "adam":
        kw = {} if fused is None else {"fused": fused}
        return torch.optim.Adam(params, lr=lr, betas=betas, **kw)
    if name == "sgda":
        return torch.optim.SGD(params, lr=lr)
    if name == "graft":
        return GraftedAdam(params, lr=lr, betas=betas, batched=batched)
    return NormalizedSGD(params, lr=lr, scope="layer" if name == "nsgda" else "global",
                         batched=batched)
