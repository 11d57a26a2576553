"""Seeded uint8 "generators" for the generalization metrics (NND, nearest neighbours, FID).

Every sampler is a callable ``n -> uint8 (n, C, H, W)`` tensor that draws fresh samples on
each call from its own seeded CPU generator, so a metric run is reproducible. Besides the
wrapper of a trained generator there are the baselines of issue 10: the memorisation
"generator" that returns training images (the model that FID rewards: Gulrajani et al.,
2019, as the paper's Sec. 3 cites them), two deliberately imperfect ones (blurred and noisy
training images), and new real images (:class:`Fresh`), the perfect generator for as long as
its images last.
"""

from __future__ import annotations

import numpy as np
import torch

from ..errors import ParameterError, check_int, check_positive_float, check_positive_int
from .fid import quantize
from .nnd import check_images


class Memoriser:
    """Returns training images, drawn uniformly with replacement.

    ``pool`` keeps only a fixed random subset of that many images (a model that memorised
    a smaller training set); ``None`` keeps them all.
    """

    def __init__(self, images: torch.Tensor | np.ndarray, seed: int = 0,
                 pool: int | None = None):
        self.images = check_images("images", images)
        check_int("seed", seed)
        self.gen = torch.Generator().manual_seed(seed)
        if pool is not None:
            check_positive_int("pool", pool)
            if pool > len(self.images):
                raise ParameterError(f"pool={pool} exceeds the {len(self.images)} images; use "
                                     f"pool <= {len(self.images)}")
            keep = torch.randperm(len(self.images), generator=self.gen)[:pool]
            self.images = self.images[keep.sort().values]

    def indices(self, n: int) -> torch.Tensor:
        """Indices (into ``self.images``) of the next n samples."""
        check_positive_int("n", n)
        return torch.randint(len(self.images), (n,), generator=self.gen)

    def __call__(self, n: int) -> torch.Tensor:
        return self.images[self.indices(n)]


def gaussian_blur(x: torch.Tensor, sigma: float) -> torch.Tensor:
    """Separable Gaussian blur (radius ceil(3 sigma), reflect padding) of uint8 images,
    rounded back to uint8."""
    check_positive_float("sigma", sigma)
    r = max(1, int(np.ceil(3 * sigma)))
    t = torch.arange(-r, r + 1, dtype=torch.float32)
    k = torch.exp(-t ** 2 / (2 * sigma ** 2))
    k = k / k.sum()
    c = x.shape[1]
    y = x.float()
    y = torch.nn.functional.pad(y, (r, r, r, r), mode="reflect")
    y = torch.nn.functional.conv2d(y, k.view(1, 1, 1, -1).repeat(c, 1, 1, 1), groups=c)
    y = torch.nn.functional.conv2d(y, k.view(1, 1, -1, 1).repeat(c, 1, 1, 1), groups=c)
    return y.round().clamp(0, 255).to(torch.uint8)


class Blurred(Memoriser):
    """Training images blurred with a Gaussian of ``sigma`` pixels (a worse generator)."""

    def __init__(self, images, sigma: float = 1.0, seed: int = 0, pool: int | None = None):
        super().__init__(images, seed, pool)
        self.sigma = check_positive_float("sigma", sigma)

    def __call__(self, n: int) -> torch.Tensor:
        return gaussian_blur(super().__call__(n), self.sigma)


class Noisy(Memoriser):
    """Training images plus i.i.d. Gaussian pixel noise of ``std`` (uint8 units)."""

    def __init__(self, images, std: float = 16.0, seed: int = 0, pool: int | None = None):
        super().__init__(images, seed, pool)
        self.std = check_positive_float("std", std)

    def __call__(self, n: int) -> torch.Tensor:
        x = super().__call__(n).float()
        x = x + self.std * torch.randn(x.shape, generator=self.gen)
        return x.round().clamp(0, 255).to(torch.uint8)


class Fresh(Memoriser):
    """New real images: training images drawn *without* replacement, each at most once.

    While the draws stay below the number of images this is a perfect generator, a stream
    of new draws from the data distribution that the NND critic has never seen: its NND is
    the real-vs-real floor that the memoriser (which repeats images) is compared with. It
    cannot outlast its images, so a protocol that draws more than ``len(images)`` gets a
    one-line error instead of silent repeats.
    """

    def __init__(self, images: torch.Tensor | np.ndarray, seed: int = 0):
        super().__init__(images, seed)
        self.order = torch.randperm(len(self.images), generator=self.gen)
        self.used = 0

    def indices(self, n: int) -> torch.Tensor:
        check_positive_int("n", n)
        if self.used + n > len(self.order):
            raise ParameterError(f"fresh real images exhausted: {self.used + n} draws asked of "
                                 f"{len(self.order)} images; draw at most {len(self.order)} "
                                 f"(fewer critic steps or a smaller batch)")
        self.used += n
        return self.order[self.used - n:self.used]


class GeneratorSampler:
    """Samples of a trained generator G(z), z ~ N(0, I) from a seeded CPU generator,
    quantised to uint8 as saved images are (:func:`overgan_lib.metrics.quantize`)."""

    def __init__(self, generator: torch.nn.Module, z_dim: int, seed: int = 0,
                 device: str | None = None, batch_size: int = 256):
        self.g = generator.eval()
        self.z_dim = check_positive_int("z_dim", z_dim)
        self.batch_size = check_positive_int("batch_size", batch_size)
        self.device = device or next(iter(generator.parameters()),
                                     torch.empty(0)).device.type
        self.gen = torch.Generator().manual_seed(check_int("seed", seed))

    def __call__(self, n: int) -> torch.Tensor:
        check_positive_int("n", n)
        out = []
        with torch.no_grad():
            for i in range(0, n, self.batch_size):
                z = torch.randn(min(self.batch_size, n - i), self.z_dim, generator=self.gen)
                out.append(quantize(self.g(z.to(self.device)).float().cpu()))
        return torch.cat(out)


def make_baseline(kind: str, images: torch.Tensor | np.ndarray, seed: int = 0,
                  pool: int | None = None) -> Memoriser:
    """One of the named baselines: 'memorise', 'blur' (sigma 1), 'noise' (std 16) or
    'fresh' (new real images; ``pool`` does not apply)."""
    from ..errors import check_choice

    check_choice("baseline", kind, BASELINES)
    if kind == "memorise":
        return Memoriser(images, seed, pool)
    if kind == "fresh":
        if pool is not None:
            raise ParameterError(f"pool={pool} does not apply to fresh real images; drop it")
        return Fresh(images, seed)
    if kind == "blur":
        return Blurred(images, 1.0, seed, pool)
    return Noisy(images, 16.0, seed, pool)


BASELINES = ("memorise", "blur", "noise", "fresh")
