"""The WGAN-GP objective (Gulrajani et al., 2017), used by every trainer in the book.

    L_D = E[D(G(z))] - E[D(x)] + lambda * E[(||grad_x D(x_hat)||_2 - 1)^2],
    L_G = -E[D(G(z))],   x_hat = a x + (1 - a) G(z), a ~ U[0, 1].

The eager engine, the graphed engine and the plain reference loop all call these two
functions, so they differ only in how they spend work, never in what they compute.
"""

from __future__ import annotations

import torch
from torch import nn


def critic_loss(D: nn.Module, real: torch.Tensor, fake: torch.Tensor, alpha: torch.Tensor,
                gp_weight: float) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(L_D, W estimate E[D(x)] - E[D(G(z))], gradient penalty) for one critic batch.

    ``alpha`` has shape (B, 1, ..., 1). The interpolates are built from ``fake`` without
    its graph: the penalty is a function of the critic only.
    """
    x_hat = torch.lerp(fake.detach(), real, alpha).requires_grad_(True)
    w = D(real).mean() - D(fake).mean()
    grad, = torch.autograd.grad(D(x_hat).sum(), x_hat, create_graph=True)
    gp = (torch.linalg.vector_norm(grad.flatten(1), dim=1) - 1).square().mean()
    return -w + gp_weight * gp, w, gp


def generator_loss(D: nn.Module, fake: torch.Tensor) -> torch.Tensor:
    """L_G = -E[D(G(z))]."""
    return -D(fake).mean()
