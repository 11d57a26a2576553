"""The critic's optimiser and weight average, as TensorFlow computes them
(``tf.train.AdamOptimizer``, ``tf.train.ExponentialMovingAverage``)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

BETAS = (0.0, 0.9)  # gan.set_flags for wgan-gp


def ema_update(shadow: Sequence[torch.Tensor], params: Sequence[torch.Tensor],
               decay: float) -> None:
    """shadow <- decay * shadow + (1 - decay) * param (``tf.train.ExponentialMovingAverage``
    without ``num_updates``, as the reference uses it)."""
    with torch.no_grad():
        for s, p in zip(shadow, params, strict=True):
            s.mul_(decay).add_(p.detach(), alpha=1 - decay)


class TFAdam:
    """``tf.train.AdamOptimizer``: lr_t = lr sqrt(1 - b2^t) / (1 - b1^t),
    p <- p - lr_t m / (sqrt(v) + eps). (PyTorch's Adam adds eps to the bias-corrected
    sqrt(v) instead, which differs while 1 - b2^t is far from 1.)"""

    def __init__(self, params: Sequence[torch.Tensor], betas: tuple[float, float] = BETAS,
                 eps: float = 1e-8):
        self.params = list(params)
        self.b1, self.b2, self.eps, self.t = betas[0], betas[1], eps, 0
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]

    def step(self, lr: float) -> None:
        self.t += 1
        lr_t = lr * math.sqrt(1 - self.b2 ** self.t) / (1 - self.b1 ** self.t)
        with torch.no_grad():
            grads = [p.grad for p in self.params]
            torch._foreach_mul_(self.m, self.b1)
            torch._foreach_add_(self.m, grads, alpha=1 - self.b1)
            torch._foreach_mul_(self.v, self.b2)
            torch._foreach_addcmul_(self.v, grads, grads, value=1 - self.b2)
            denom = torch._foreach_sqrt(self.v)
            torch._foreach_add_(denom, self.eps)
            torch._foreach_addcdiv_(self.params, self.m, denom, value=-lr_t)
