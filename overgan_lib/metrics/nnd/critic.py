"""The NND critic: ``gan.dcgan_discriminator`` at the reference's flags, with its
initialisation (see :mod:`overgan_lib.metrics.nnd` for the reference and the deviations)."""

from __future__ import annotations

import math

import torch
from torch import nn

# Reference defaults (gan.set_flags for wgan-gp).
DIM = 64
KERNEL = 5


def swish(x: torch.Tensor) -> torch.Tensor:
    """x * sigmoid(x) (``gan._swish``)."""
    return x * torch.sigmoid(x)


def same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """TF 'SAME' padding (before, after) of one spatial axis; the extra pixel goes after."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class SameConv(nn.Conv2d):
    """A 2-d convolution with TF's 'SAME' padding (asymmetric for 5x5 stride 2 on even
    sizes: one pixel before, two after)."""

    def __init__(self, cin: int, cout: int, kernel: int, stride: int):
        super().__init__(cin, cout, kernel, stride, padding=0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ph = same_padding(x.shape[-2], self.kernel_size[0], self.stride[0])
        pw = same_padding(x.shape[-1], self.kernel_size[1], self.stride[1])
        return super().forward(nn.functional.pad(x, (*pw, *ph)))


class NNDCritic(nn.Module):
    """``gan.dcgan_discriminator`` at the NND flags: three 5x5 stride-2 'SAME' convs
    (dim, 2 dim, 4 dim filters) with swish, no normalisation, then linear -> 1."""

    def __init__(self, channels: int = 3, size: int = 32, dim: int = DIM):
        super().__init__()
        self.convs = nn.ModuleList([SameConv(channels, dim, KERNEL, 2),
                                    SameConv(dim, 2 * dim, KERNEL, 2),
                                    SameConv(2 * dim, 4 * dim, KERNEL, 2)])
        side = math.ceil(math.ceil(math.ceil(size / 2) / 2) / 2)
        self.fc = nn.Linear(4 * dim * side * side, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for conv in self.convs:
            x = swish(conv(x))
        return self.fc(x.flatten(1)).squeeze(-1)


def init_critic(critic: NNDCritic, gen: torch.Generator) -> NNDCritic:
    """The reference's initialisation, drawn from ``gen``.

    Convs: ``variance_scaling_initializer()`` = truncated normal (cut at 2 std) with std
    sqrt(1.3 * 2 / fan_in); linear: Xavier uniform (slim's default); biases zero.
    """
    with torch.no_grad():
        for conv in critic.convs:
            fan_in = conv.weight[0].numel()
            std = math.sqrt(1.3 * 2.0 / fan_in)
            conv.weight.copy_(_trunc_normal(conv.weight.shape, std, gen))
            conv.bias.zero_()
        fan_out, fan_in = critic.fc.weight.shape
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        critic.fc.weight.copy_((torch.rand(critic.fc.weight.shape, generator=gen) * 2 - 1)
                               * limit)
        critic.fc.bias.zero_()
    return critic


def _trunc_normal(shape: torch.Size, std: float, gen: torch.Generator) -> torch.Tensor:
    """N(0, std^2) redrawn outside +-2 std, as TF's ``truncated_normal``."""
    out = torch.randn(shape, generator=gen)
    bad = out.abs() > 2
    while bool(bad.any()):
        out[bad] = torch.randn(int(bad.sum()), generator=gen)
        bad = out.abs() > 2
    return out * std
