"""Chance levels and radius sensitivity of the book's precision-free PacGAN reading (chapter 12),
computed from stored samples: no training, so nothing here makes a stored record stale.

The *near* reading of :func:`overgan_lib.related.pacgan.pacgan_metric` counts a sample as near a
mode within ``NEAR_SIGMAS`` standard deviations and a mode as *recovered* when at least
``NEAR_SHARE`` of its true share 1/M of the samples lies near it. :func:`near_reading` evaluates
that reading at any radius and share; :func:`circle_null` is the natural failure on the ring
(the circle learned, the modes not).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from ..errors import ParameterError, check_positive_int
from .pacgan import BOXES, STD, modes


def near_reading(samples: np.ndarray | torch.Tensor, name: str, sigmas: float,
                 share: float) -> dict[str, np.ndarray]:
    """The near reading of ``samples`` ((n, 2) or (runs, n, 2)) at radius ``sigmas`` standard
    deviations of mixture ``name`` and recovery share ``share``: ``near_fraction`` (samples within
    the radius of their nearest mode) and ``near_modes`` (modes holding at least ``share`` / M of
    the samples within it). With ``NEAR_SIGMAS`` and ``NEAR_SHARE`` it equals
    :func:`~overgan_lib.related.pacgan.pacgan_metric`'s near fields."""
    if not (sigmas > 0 and 0 < share <= 1):
        raise ParameterError(f"sigmas={sigmas!r}, share={share!r}: need sigmas > 0 and "
                             "0 < share <= 1")
    x = torch.as_tensor(np.asarray(samples), dtype=torch.float32)
    if x.dim() not in (2, 3) or x.shape[-1] != 2:
        raise ParameterError(f"samples must have shape (n, 2) or (runs, n, 2), got "
                             f"{tuple(x.shape)}")
    c = modes(name)
    dist, idx = torch.cdist(x.reshape(-1, 2).double(), c.double()).min(1)
    near = dist <= sigmas * STD[name]
    counts = (torch.nn.functional.one_hot(idx, len(c)) * near[:, None]).reshape(
        *x.shape[:-1], len(c)).sum(-2)
    n = x.shape[-2]
    return {"near_fraction": near.reshape(x.shape[:-1]).double().mean(-1).numpy(),
            "near_modes": (counts >= share * n / len(c)).sum(-1).numpy()}


def circle_null(n: int = 2500, seed: int = 0) -> np.ndarray:
    """``n`` points uniform on the circle through the ring's modes (radius 1), seeded: a
    generator that has learned the circle and none of the modes on it."""
    g = torch.Generator().manual_seed(int(seed))
    a = 2 * math.pi * torch.rand(check_positive_int("n", n), generator=g, dtype=torch.float64)
    r = float(modes("ring").norm(dim=1).mean())
    return (r * torch.stack([a.cos(), a.sin()], 1)).float().numpy()


def smear(name: str, n: int = 2500, seed: int = 0) -> np.ndarray:
    """The samples of :func:`~overgan_lib.related.pacgan.uniform_baseline` (``n`` points uniform
    on the square of half-width ``BOXES[name]``, same seed, same points)."""
    g = torch.Generator().manual_seed(seed)
    x = (torch.rand(check_positive_int("n", n), 2, generator=g) * 2 - 1) * BOXES[name]
    return x.numpy()


def circle_null_reading(n: int, seeds: int, sigmas: float, share: float) -> dict[str, Any]:
    """:func:`near_reading` of :func:`circle_null` over ``seeds`` draws (seeds 0..seeds-1):
    per draw ``near_fraction`` and ``near_modes``."""
    x = np.stack([circle_null(n, s) for s in range(check_positive_int("seeds", seeds))])
    return near_reading(x, "ring", sigmas, share)
