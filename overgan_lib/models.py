"""Generators and critics of Sec. 3 and Fig. 8, parameterised by width (groundwork for Part II).

k is the hidden width (MLP) or the number of filters per layer (DCGAN, ResNet); the
generator's and the critic's widths are set separately (``k_g``, ``k_d``) because Fig. 7
varies one and holds the other. Fig. 8 itself is not in the text we have, so the
architectures are the standard WGAN-GP ones (Gulrajani et al., 2017), with k = 64 (DCGAN)
and k = 128 (ResNet) the published defaults. Critics use no batch norm (the gradient
penalty is per-sample). Overparameterisation is measured by parameter count.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from .errors import ParameterError, check_choice, check_positive_int

ARCHITECTURES = ("mlp", "dcgan", "resnet")
Z_DIM = 128


def _check_size(arch: str, size: int) -> None:
    if arch != "mlp" and size not in (32, 64):
        raise ParameterError(f"size={size} is not supported for {arch}; use 32 or 64")


class MLPGenerator(nn.Module):
    """z -> k -> k -> C*H*W (ReLU hidden, tanh output)."""

    def __init__(self, k: int, shape: tuple[int, int, int] = (1, 28, 28), z_dim: int = Z_DIM):
        super().__init__()
        self.shape = shape
        self.net = nn.Sequential(nn.Linear(z_dim, k), nn.ReLU(True), nn.Linear(k, k),
                                 nn.ReLU(True), nn.Linear(k, math.prod(shape)), nn.Tanh())

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z).view(-1, *self.shape)


class MLPCritic(nn.Module):
    """C*H*W -> k -> k -> 1 (LeakyReLU 0.2)."""

    def __init__(self, k: int, shape: tuple[int, int, int] = (1, 28, 28)):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(math.prod(shape), k),
                                 nn.LeakyReLU(0.2, True), nn.Linear(k, k),
                                 nn.LeakyReLU(0.2, True), nn.Linear(k, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).squeeze(-1)


def _up(cin: int, cout: int) -> list[nn.Module]:
    return [nn.ConvTranspose2d(cin, cout, 4, 2, 1, bias=False), nn.BatchNorm2d(cout),
            nn.ReLU(True)]


class DCGANGenerator(nn.Module):
    """DCGAN (Radford et al.): z -> 4x4x(mult*k) -> ... -> size x size x C; k filters last."""

    def __init__(self, k: int, size: int = 32, channels: int = 3, z_dim: int = Z_DIM):
        super().__init__()
        mults = [4, 2, 1] if size == 32 else [8, 4, 2, 1]
        layers: list[nn.Module] = [nn.ConvTranspose2d(z_dim, mults[0] * k, 4, 1, 0, bias=False),
                                   nn.BatchNorm2d(mults[0] * k), nn.ReLU(True)]
        for a, b in zip(mults[:-1], mults[1:], strict=True):
            layers += _up(a * k, b * k)
        layers += [nn.ConvTranspose2d(k, channels, 4, 2, 1), nn.Tanh()]
        self.net = nn.Sequential(*layers)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z[:, :, None, None])


class DCGANCritic(nn.Module):
    """Mirror of the generator with strided convolutions, LeakyReLU 0.2, no batch norm."""

    def __init__(self, k: int, size: int = 32, channels: int = 3):
        super().__init__()
        mults = [1, 2, 4] if size == 32 else [1, 2, 4, 8]
        layers: list[nn.Module] = [nn.Conv2d(channels, k, 4, 2, 1), nn.LeakyReLU(0.2, True)]
        for a, b in zip(mults[:-1], mults[1:], strict=True):
            layers += [nn.Conv2d(a * k, b * k, 4, 2, 1), nn.LeakyReLU(0.2, True)]
        layers += [nn.Conv2d(mults[-1] * k, 1, 4, 1, 0)]
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).flatten()


class ResBlock(nn.Module):
    """WGAN-GP residual block: (BN) ReLU conv3 (BN) ReLU conv3, with up/down sampling.

    ``first=True`` is the critic's first ("optimised") block of Gulrajani et al.: no
    activation before the first convolution, so the image itself is never rectified.
    """

    def __init__(self, cin: int, cout: int, resample: str | None, norm: bool,
                 first: bool = False):
        super().__init__()
        self.resample = resample
        bn = (lambda c: nn.BatchNorm2d(c)) if norm else (lambda c: nn.Identity())
        pre = [] if first else [bn(cin), nn.ReLU()]
        self.main = nn.Sequential(*pre, nn.Conv2d(cin, cout, 3, 1, 1), bn(cout), nn.ReLU(),
                                  nn.Conv2d(cout, cout, 3, 1, 1))
        self.skip = nn.Conv2d(cin, cout, 1) if (cin != cout or resample) else nn.Identity()

    def _scale(self, x: torch.Tensor) -> torch.Tensor:
        if self.resample == "up":
            return nn.functional.interpolate(x, scale_factor=2)
        if self.resample == "down":
            return nn.functional.avg_pool2d(x, 2)
        return x

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.resample == "up":
            return self.main(self._scale(x)) + self.skip(self._scale(x))
        return self._scale(self.main(x)) + self._scale(self.skip(x))


class ResNetGenerator(nn.Module):
    """z -> 4x4xk -> up-blocks (3 at 32x32, 4 at 64x64) -> BN ReLU conv3 -> tanh."""

    def __init__(self, k: int, size: int = 32, channels: int = 3, z_dim: int = Z_DIM):
        super().__init__()
        self.k = k
        self.fc = nn.Linear(z_dim, 4 * 4 * k)
        blocks = 3 if size == 32 else 4
        self.blocks = nn.Sequential(*[ResBlock(k, k, "up", norm=True) for _ in range(blocks)])
        self.out = nn.Sequential(nn.BatchNorm2d(k), nn.ReLU(), nn.Conv2d(k, channels, 3, 1, 1),
                                 nn.Tanh())

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.out(self.blocks(self.fc(z).view(-1, self.k, 4, 4)))


class ResNetCritic(nn.Module):
    """Down-blocks to 8x8 (the first one "optimised"), two plain blocks, ReLU, mean pool,
    linear: the CIFAR-10 critic of WGAN-GP, with one more down-block at 64x64."""

    def __init__(self, k: int, size: int = 32, channels: int = 3):
        super().__init__()
        downs = 3 if size == 32 else 4
        blocks = [ResBlock(channels, k, "down", norm=False, first=True)]
        blocks += [ResBlock(k, k, "down", norm=False) for _ in range(downs - 2)]
        blocks += [ResBlock(k, k, None, norm=False), ResBlock(k, k, None, norm=False)]
        self.blocks = nn.Sequential(*blocks)
        self.act = nn.ReLU()
        self.fc = nn.Linear(k, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.act(self.blocks(x)).mean(dim=(2, 3))
        return self.fc(h).squeeze(-1)


def build(arch: str, k_g: int, k_d: int, size: int = 32, channels: int = 3,
          z_dim: int = Z_DIM) -> tuple[nn.Module, nn.Module]:
    """(generator, critic) of one architecture family with widths k_g and k_d."""
    check_choice("architecture", arch, ARCHITECTURES)
    check_positive_int("k_g", k_g)
    check_positive_int("k_d", k_d)
    check_positive_int("z_dim", z_dim)
    if arch == "mlp":
        shape = (channels, size, size)
        return MLPGenerator(k_g, shape, z_dim), MLPCritic(k_d, shape)
    _check_size(arch, size)
    if arch == "dcgan":
        return DCGANGenerator(k_g, size, channels, z_dim), DCGANCritic(k_d, size, channels)
    return ResNetGenerator(k_g, size, channels, z_dim), ResNetCritic(k_d, size, channels)


def parameter_count(module: nn.Module) -> int:
    """Number of trainable parameters: the paper's measure of overparameterisation."""
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def parameter_counts(arch: str, widths: list[int], size: int = 32, channels: int = 3) -> dict:
    """{k: (generator params, critic params)} for k_g = k_d = k."""
    out = {}
    for k in widths:
        g, d = build(arch, k, k, size, channels)
        out[k] = (parameter_count(g), parameter_count(d))
    return out


def _block_text(block: ResBlock) -> str:
    conv = next(c for c in block.main if isinstance(c, nn.Conv2d))
    first = "" if isinstance(block.main[0], nn.Identity | nn.BatchNorm2d) else ", first"
    return f"ResBlock({conv.in_channels}→{conv.out_channels}, {block.resample or 'same'}{first})"


def layer_table(module: nn.Module, input_shape: tuple[int, ...]) -> list[tuple[str, str, str, int]]:
    """(name, layer, output shape, parameters) of every layer in execution order.

    Read off a forward pass with hooks, so the book's layer lists (Fig. 8 is not in the
    text we have) are the code itself. Residual blocks are listed as one row each.
    """
    rows: list[tuple[str, str, str, int]] = []
    names = {m: n for n, m in module.named_modules()}

    def leafs(m: nn.Module) -> list[nn.Module]:
        if isinstance(m, ResBlock) or not list(m.children()):
            return [m]
        return [x for c in m.children() for x in leafs(c)]

    def hook(m: nn.Module, _inp: tuple, out: torch.Tensor) -> None:
        if isinstance(m, nn.Identity):
            return
        text = _block_text(m) if isinstance(m, ResBlock) else repr(m)
        rows.append((names[m], text, "×".join(map(str, out.shape[1:])),
                     sum(p.numel() for p in m.parameters())))

    handles = [m.register_forward_hook(hook) for m in leafs(module)]
    was = module.training
    try:
        module.eval()
        with torch.no_grad():
            module(torch.zeros(2, *input_shape))
    finally:
        module.train(was)
        for h in handles:
            h.remove()
    return rows
