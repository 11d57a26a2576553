"""Chance levels and radius sensitivity of the book's precision-free PacGAN reading (chapter 12),
computed from stored samples: no training, so nothing here makes a stored record stale.

The *near* reading of :func:`overgan_lib.related.pacgan.pacgan_metric` counts a sample as near a
mode within ``NEAR_SIGMAS`` standard deviations and a mode as *recovered* when at least
``NEAR_SHARE`` of its true share 1/M of the samples lies near it;
:func:`~overgan_lib.related.pacgan.near_reading` evaluates that reading at any radius and share.
:func:`circle_null` is the natural failure on the ring (the circle learned, the modes not).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from ..errors import check_positive_int
from . import pacgan
from .pacgan import modes, near_reading


def circle_null(n: int = 2500, seed: int = 0) -> np.ndarray:
    """``n`` points uniform on the circle through the ring's modes (radius 1), seeded: a
    generator that has learned the circle and none of the modes on it."""
    g = torch.Generator().manual_seed(int(seed))
    a = 2 * math.pi * torch.rand(check_positive_int("n", n), generator=g, dtype=torch.float64)
    r = float(modes("ring").norm(dim=1).mean())
    return (r * torch.stack([a.cos(), a.sin()], 1)).float().numpy()


def smear(name: str, n: int = 2500, seed: int = 0) -> np.ndarray:
    """The samples of :func:`~overgan_lib.related.pacgan.uniform_baseline` (``n`` points uniform
    on the square of half-width ``BOXES[name]``, same seed, same points), as an array."""
    return pacgan.smear(name, n, seed).numpy()


def circle_null_reading(n: int, seeds: int, sigmas: float, share: float) -> dict[str, Any]:
    """:func:`near_reading` of :func:`circle_null` over ``seeds`` draws (seeds 0..seeds-1):
    per draw ``near_fraction`` and ``near_modes``."""
    x = np.stack([circle_null(n, s) for s in range(check_positive_int("seeds", seeds))])
    return near_reading(x, "ring", sigmas, share)
