"""The one-hidden-layer generator of Theorem 2.1 and its Jacobian (eq. 33).

All tensors carry a leading batch dimension ``S`` (independent seeds), so a whole
seed sweep is one set of batched matrix products:

* ``V``: (S, m, k) fixed output weights, i.i.d. N(0, sigma_v^2)
* ``Z``: (S, n, d) latent inputs z_i ~ N(0, sigma_z^2 I_d), one per row
* ``W``: (S, k, d) trained input weights; theta = vec(W), row-major (index l*d + j)
* ``y``: (S, m) the data mean x-bar

``f(W) = (1/n) sum_i V relu(W z_i)`` is the mean generated sample, and the GAN of eq. 2
reduces to the general problem of eq. 7 with ``y = x-bar``.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

DTYPE = torch.float64


@dataclass(frozen=True)
class Problem:
    """A batch of S independent instances of eq. 2 (one per seed)."""

    V: torch.Tensor
    Z: torch.Tensor
    W0: torch.Tensor
    y: torch.Tensor

    @property
    def dims(self) -> tuple[int, int, int, int, int]:
        """(S, m, k, d, n)."""
        S, m, k = self.V.shape
        return S, m, k, self.Z.shape[2], self.Z.shape[1]

    def select(self, idx: int) -> Problem:
        """The single instance ``idx`` as a batch of one (for reference loops)."""
        s = slice(idx, idx + 1)
        return Problem(self.V[s], self.Z[s], self.W0[s], self.y[s])


def sample_problem(
    y: torch.Tensor,
    k: int,
    d: int,
    n: int,
    seeds: list[int],
    sigma_v: float | None = None,
    sigma_w: float = 1.0,
    sigma_z: float = 1.0,
) -> Problem:
    """Draw V, Z and W0 as in Theorem 2.1, one independent draw per seed.

    ``sigma_v`` defaults to 1/sqrt(k), which keeps f(W0) of order one for every width
    (the theorem allows any scales whose product clears its lower bound).
    """
    S, m = y.shape
    sv = 1.0 / k**0.5 if sigma_v is None else sigma_v
    V, Z, W0 = [], [], []
    for s in seeds:
        g = torch.Generator().manual_seed(int(s))
        V.append(sv * torch.randn(m, k, generator=g, dtype=DTYPE))
        Z.append(sigma_z * torch.randn(n, d, generator=g, dtype=DTYPE))
        W0.append(sigma_w * torch.randn(k, d, generator=g, dtype=DTYPE))
    return Problem(torch.stack(V), torch.stack(Z), torch.stack(W0), y.to(DTYPE))


def hidden_mean(W: torch.Tensor, Z: torch.Tensor) -> torch.Tensor:
    """a(W) = (1/n) sum_i relu(W z_i), shape (S, k); note a >= 0 always."""
    return torch.relu(Z @ W.transpose(1, 2)).mean(dim=1)


def f(p: Problem, W: torch.Tensor) -> torch.Tensor:
    """Mean generated sample f(W) = V a(W), shape (S, m) (Sec. A.4)."""
    return (p.V @ hidden_mean(W, p.Z).unsqueeze(-1)).squeeze(-1)


def residual(p: Problem, W: torch.Tensor) -> torch.Tensor:
    """r = f(W) - y; the GAN loss of eq. 5 is ||r||^2 / 2."""
    return f(p, W) - p.y


def activation_slopes(W: torch.Tensor, Z: torch.Tensor) -> torch.Tensor:
    """phi'(W z_i) = 1{W z_i >= 0} as in Sec. A.1, shape (S, n, k)."""
    return (Z @ W.transpose(1, 2) >= 0).to(W.dtype)


def jacobian_factor(p: Problem, W: torch.Tensor) -> torch.Tensor:
    """M with M_l = (1/n) Z^T phi'(Z w_l), shape (S, k, d).

    Eq. 33 factorises as J[a, l*d + j] = V[a, l] * M[l, j], so J never has to be formed
    for products; D_ll of eq. 34 equals n * ||M_l||.
    """
    n = p.Z.shape[1]
    return activation_slopes(W, p.Z).transpose(1, 2) @ p.Z / n


def jacobian(p: Problem, W: torch.Tensor) -> torch.Tensor:
    """J(W) = (1/n) sum_i (V diag(phi'(W z_i))) kron z_i^T (eq. 33), shape (S, m, k*d)."""
    M = jacobian_factor(p, W)
    S, m, k = p.V.shape
    return (p.V.unsqueeze(-1) * M.unsqueeze(1)).reshape(S, m, -1)


def jjt(p: Problem, W: torch.Tensor) -> torch.Tensor:
    """J J^T = V D^2 V^T / n^2 (Sec. A.4), computed in O(m^2 k) without forming J."""
    M = jacobian_factor(p, W)
    w = (M * M).sum(-1)  # ||M_l||^2 = D_ll^2 / n^2
    return (p.V * w.unsqueeze(1)) @ p.V.transpose(1, 2)


def jt_times(M: torch.Tensor, V: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """J^T v reshaped to W's shape (S, k, d): (V^T v)_l * M_l."""
    return (V.transpose(1, 2) @ v.unsqueeze(-1)) * M


def j_times(M: torch.Tensor, V: torch.Tensor, dW: torch.Tensor) -> torch.Tensor:
    """J dW for dW of W's shape, returns (S, m): V (sum_j M_lj dW_lj)."""
    return (V @ (M * dW).sum(-1).unsqueeze(-1)).squeeze(-1)


def loss_gradient(p: Problem, W: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """J(W)^T v without forming J; with v = r this is the gradient of eq. 5."""
    return jt_times(jacobian_factor(p, W), p.V, v)


def jacobian_singular_values(p: Problem, W: torch.Tensor) -> torch.Tensor:
    """Singular values of J(W), descending, shape (S, m); from eigenvalues of J J^T."""
    ev = torch.linalg.eigvalsh(jjt(p, W)).clamp_min(0.0)
    return ev.flip(-1).sqrt()


def jacobian_autograd(p: Problem, W: torch.Tensor) -> torch.Tensor:
    """J(W) by reverse-mode autograd, (S, m, k*d): the independent check of eq. 33."""
    out = []
    for s in range(W.shape[0]):
        ps = p.select(s)
        Js = torch.autograd.functional.jacobian(lambda w, ps=ps: f(ps, w.unsqueeze(0))[0], W[s])
        out.append(Js.reshape(Js.shape[0], -1))
    return torch.stack(out)
