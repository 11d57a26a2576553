"""Helpers shared by the theory chapters' experiments (chapters 1-4).

Instance seeds, the data means x-bar of the Gaussian data sets of the Fig. 2 setup, and the
per-step contraction rate of ||r_t|| fitted to a loss curve (Theorems 2.1 / 2.2). Instance ``s``
of a run with base seed ``seed`` uses torch/numpy seed ``1000 * seed + s`` for (V, Z, W_0) and
``10_000 + 1000 * seed + s`` for its data, so every width sees the same data sets.
"""

from __future__ import annotations

import numpy as np
import torch

from ..synthetic import data_means, gaussian_data


def instance_seeds(seed: int, count: int) -> list[int]:
    """Seeds of the ``count`` independent instances of a run with base ``seed``."""
    return [1000 * seed + s for s in range(count)]


def gaussian_targets(m: int, n: int, seed: int, count: int) -> torch.Tensor:
    """Data means x-bar of ``count`` Gaussian data sets (Fig. 2 setup), shape (count, m)."""
    return data_means([gaussian_data(m, n, 10_000 + s) for s in instance_seeds(seed, count)])


def fit_geometric_rate(steps: np.ndarray, loss: np.ndarray, floor: float = 1e-22) -> float:
    """Per-step contraction of ||r_t|| fitted on the tail of a loss curve.

    Fits log(||r_t||) = a + t log(rho) by least squares over the second half of the points
    whose loss is finite and above ``floor`` times the initial loss (below that, float64
    round-off dominates). Returns NaN with fewer than 3 usable points.
    """
    loss = np.asarray(loss, dtype=float)
    ok = np.isfinite(loss) & (loss > floor * max(loss[0], 1e-300))
    idx = np.flatnonzero(ok)
    if len(idx) < 6:
        return float("nan")
    idx = idx[len(idx) // 2 :]
    slope = np.polyfit(np.asarray(steps, dtype=float)[idx], 0.5 * np.log(loss[idx]), 1)[0]
    return float(np.exp(slope))
