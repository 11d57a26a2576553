"""The critic's (leaky) ReLUs with their slope mask held constant in autograd.

Same values and first derivatives as the modules they replace; the second derivative with
respect to x is taken as zero *symbolically*, so autograd does not push a tensor of zeros
back through the whole forward graph in the gradient penalty's double backward (PyTorch's
``leaky_relu_backward`` formula returns ``zeros_like`` for that path).
"""

from __future__ import annotations

import torch
from torch import nn


class _LeakyReLUConstantMask(torch.autograd.Function):
    """LeakyReLU whose backward treats the slope mask as a constant."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, slope: float) -> torch.Tensor:
        y = nn.functional.leaky_relu(x, slope)
        # Held outside save_for_backward on purpose: the double backward must not see a
        # path from the mask back to x (it would be all zeros anyway).
        ctx.y, ctx.slope = y.detach(), slope
        return y

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> tuple[torch.Tensor, None]:
        return torch.ops.aten.leaky_relu_backward(grad, ctx.y, ctx.slope, True), None


class MaskedActivation(nn.Module):
    """(Leaky) ReLU with its slope mask held constant in autograd (module docstring)."""

    def __init__(self, negative_slope: float):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return _LeakyReLUConstantMask.apply(x, self.negative_slope)


def mask_activations(module: nn.Module) -> nn.Module:
    """Replace every nn.ReLU / nn.LeakyReLU in ``module`` by :class:`MaskedActivation`."""
    for name, child in module.named_children():
        if isinstance(child, nn.LeakyReLU):
            setattr(module, name, MaskedActivation(child.negative_slope))
        elif isinstance(child, nn.ReLU):
            setattr(module, name, MaskedActivation(0.0))
        else:
            mask_activations(child)
    return module
