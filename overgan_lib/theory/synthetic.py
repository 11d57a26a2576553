"""Synthetic data for the theory chapters: the Gaussian of Fig. 2 and two moons (Fig. 9)."""

from __future__ import annotations

import numpy as np
import torch

from ..errors import check_positive_float, check_positive_int


def gaussian_data(m: int, n: int, seed: int, mean_scale: float = 1.0) -> np.ndarray:
    """x_i ~ N(mu, I_m) with a random mean mu ~ N(0, mean_scale^2 I_m) (Sec. 2.4, Fig. 2)."""
    check_positive_int("m", m)
    check_positive_int("n", n)
    rng = np.random.default_rng(seed)
    mu = mean_scale * rng.standard_normal(m)
    return mu + rng.standard_normal((n, m))


def two_moons(n: int, noise: float, seed: int) -> np.ndarray:
    """The two-moons data set (two interleaved half circles plus Gaussian noise), (n, 2).

    Same construction as scikit-learn's ``make_moons`` (upper moon centred at the origin,
    lower moon shifted by (1, 0.5)), written here to avoid a dependency.
    """
    check_positive_int("n", n)
    check_positive_float("noise", noise) if noise != 0 else None
    rng = np.random.default_rng(seed)
    n_out = n // 2
    n_in = n - n_out
    t_out = np.linspace(0, np.pi, n_out)
    t_in = np.linspace(0, np.pi, n_in)
    outer = np.stack([np.cos(t_out), np.sin(t_out)], 1)
    inner = np.stack([1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5], 1)
    X = np.concatenate([outer, inner])
    return X + noise * rng.standard_normal(X.shape)


def data_means(x: list[np.ndarray]) -> torch.Tensor:
    """Stack the data means x-bar of several data sets into the (S, m) target y."""
    return torch.tensor(np.stack([xi.mean(0) for xi in x]), dtype=torch.float64)
