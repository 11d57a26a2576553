"""The reverse graft of Jelassi et al. (2023): SGDA's step length along Adam's direction.

:mod:`overgan_lib.optim` holds the forward graft (``graft``: Adam's per-tensor step length along
the SGD direction, Agarwal et al., 2020). The abstract of Jelassi et al. grafts both ways; the
other way is here, for the 2D chapter only (:mod:`overgan_lib.related.pacgan`), so the book's
training engine and every stored image sweep are untouched:

* ``rgraft``  θ_ℓ ← θ_ℓ − η ‖g_ℓ‖ · A_ℓ / ‖A_ℓ‖, with A_ℓ = m̂_ℓ / (√v̂_ℓ + ε) Adam's step
  direction for tensor ℓ (moments updated exactly as Adam would) and η ‖g_ℓ‖ the length of
  SGD's step.

Norms are Frobenius norms, per run when ``batched`` (as in :mod:`overgan_lib.optim`); a zero
gradient or a zero Adam direction makes no step.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch

from ..errors import check_choice
from ..optim import OPTIMIZERS, GraftedAdam, _norm, _safe_div, check_betas, make_optimizer

#: Optimiser names the 2D experiments accept: the book's, plus the reverse graft.
OPTIMIZERS_2D: tuple[str, ...] = (*OPTIMIZERS, "rgraft")


class ReverseGraft(GraftedAdam):
    """SGD's per-tensor step length ``lr · ‖g_ℓ‖`` along Adam's direction ``A_ℓ / ‖A_ℓ‖``.

    It takes :class:`~overgan_lib.optim.GraftedAdam`'s arguments and state (lr, betas, eps,
    ``batched``; Adam's moments per tensor) and swaps which of the two supplies the length.
    """

    @torch.no_grad()
    def step(self, closure=None):  # noqa: D102 - torch.optim API
        loss = closure() if closure is not None else None
        for group in self.param_groups:
            b1, b2 = group["betas"]
            for p in group["params"]:
                if p.grad is not None:
                    self._update(p, group["lr"], b1, b2, group["eps"])
        return loss

    def _update(self, p: torch.Tensor, lr: float, b1: float, b2: float, eps: float) -> None:
        """One tensor's step: Adam's moments, then ``lr ‖g‖`` along Adam's direction."""
        g, st = p.grad, self.state[p]
        if not st:
            st["step"] = 0
            st["exp_avg"] = torch.zeros_like(p)
            st["exp_avg_sq"] = torch.zeros_like(p)
        st["step"] += 1
        t = st["step"]
        st["exp_avg"].lerp_(g, 1 - b1)
        st["exp_avg_sq"].mul_(b2).addcmul_(g, g, value=1 - b2)
        denom = (st["exp_avg_sq"] / (1 - b2 ** t)).sqrt_().add_(eps)
        direction = st["exp_avg"] / (1 - b1 ** t) / denom
        length = lr * _norm(g, self.batched)
        p.sub_(length * _safe_div(direction, _norm(direction, self.batched)))


def make_optimizer_2d(name: str, params: Iterable, lr: float,
                      betas: tuple[float, float] = (0.9, 0.999),
                      batched: bool = False) -> torch.optim.Optimizer:
    """One player's optimiser for the 2D experiments: any of :data:`OPTIMIZERS_2D`."""
    check_choice("optimizer", name, OPTIMIZERS_2D)
    if name == "rgraft":
        return ReverseGraft(params, lr=lr, betas=check_betas(betas), batched=batched)
    return make_optimizer(name, params, lr, betas, batched=batched)
