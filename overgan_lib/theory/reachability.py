"""Reachability of zero loss: f(W) = V a with a >= 0 (beyond the paper).

Because ReLU outputs are non-negative, a(W) = (1/n) sum_i relu(W z_i) lies in the
non-negative orthant, and every a >= 0 is attained (scale a row of W). Hence

    min_W ||f(W) - x-bar||  =  min_{a >= 0} ||V a - x-bar||     (an NNLS problem),

and zero loss (the global saddle point of Theorem 2.1) exists iff x-bar lies in the
cone spanned by V's columns. For V with i.i.d. symmetric columns and any fixed x-bar,
Cover's (1965) function-counting theorem, the same argument as Wendel (1962), gives

    P(x-bar in cone(V)) = 1 - 2^{-k} sum_{i<m} C(k, i) = P(Binomial(k, 1/2) >= m).

Derivation: x-bar is outside the cone iff {v_1, ..., v_k, -x-bar} lie in an open
half-space (Farkas). Flipping the signs of the v_i leaves their law unchanged, and of the
2^k sign patterns, C(k+1, m)/2 = sum_{i<m} C(k, i) are linearly separable with -x-bar on
the positive side.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import nnls
from scipy.stats import binom


def cone_probability(k: int | np.ndarray, m: int | np.ndarray) -> np.ndarray:
    """P(a fixed x-bar lies in the cone of k i.i.d. symmetric vectors in R^m)."""
    k = np.asarray(k)
    m = np.asarray(m)
    return binom.sf(m - 1, k, 0.5)


def nnls_residual(V: np.ndarray, y: np.ndarray) -> float:
    """min_{a >= 0} ||V a - y||: the smallest loss any W can reach (squared: eq. 5 x 2)."""
    return float(nnls(V, y, maxiter=50 * V.shape[1])[1])


def in_cone(V: np.ndarray, y: np.ndarray, rtol: float = 1e-8) -> bool:
    """Per-draw check that y lies in cone(V), via the NNLS residual relative to ||y||."""
    return nnls_residual(V, y) <= rtol * max(np.linalg.norm(y), 1e-300)
