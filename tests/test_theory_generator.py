"""The generator f(W), its Jacobian (eq. 33) and the identity J J^T = V D^2 V^T / n^2."""

from __future__ import annotations

import pytest
import torch

from overgan_lib.theory import generator as g
from tests.conftest import make_problem


@pytest.mark.parametrize("m,d,n,k", [(5, 3, 17, 11), (2, 4, 9, 40), (8, 2, 30, 3)])
def test_jacobian_matches_autograd(m, d, n, k):
    p = make_problem(m, d, n, k)
    for W in (p.W0, p.W0 + 0.3 * torch.randn_like(p.W0)):
        J = g.jacobian(p, W)
        assert J.shape == (3, m, k * d)
        torch.testing.assert_close(J, g.jacobian_autograd(p, W), rtol=0, atol=1e-12)


def test_jjt_identity_eq34(problem):
    p = problem
    J = g.jacobian(p, p.W0)
    n = p.Z.shape[1]
    # D_ll = ||Z^T phi'(Z w_l)|| computed directly from its definition (eq. 34)
    slopes = (p.Z @ p.W0.transpose(1, 2) >= 0).double()  # (S, n, k)
    D = torch.linalg.vector_norm(p.Z.transpose(1, 2) @ slopes, dim=1)  # (S, k)
    rhs = (p.V * D.pow(2).unsqueeze(1)) @ p.V.transpose(1, 2) / n**2
    torch.testing.assert_close(J @ J.transpose(1, 2), rhs, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(g.jjt(p, p.W0), rhs, rtol=1e-12, atol=1e-12)


def test_loss_gradient_matches_autograd(problem):
    p = problem
    W = p.W0.clone().requires_grad_(True)
    r = g.residual(p, W)
    (0.5 * (r * r).sum()).backward()
    grad = g.loss_gradient(p, p.W0, g.residual(p, p.W0))
    torch.testing.assert_close(grad, W.grad, rtol=0, atol=1e-12)


def test_factored_products_match_dense(problem):
    p = problem
    J = g.jacobian(p, p.W0)
    M = g.jacobian_factor(p, p.W0)
    v = torch.randn(p.y.shape, dtype=torch.float64)
    dW = torch.randn(p.W0.shape, dtype=torch.float64)
    torch.testing.assert_close(
        g.jt_times(M, p.V, v).flatten(1), (J.transpose(1, 2) @ v.unsqueeze(-1)).squeeze(-1)
    )
    torch.testing.assert_close(g.j_times(M, p.V, dW), (J @ dW.flatten(1).unsqueeze(-1)).squeeze(-1))


def test_batched_equals_per_seed(problem):
    p = problem
    full = g.f(p, p.W0)
    for s in range(3):
        torch.testing.assert_close(
            full[s : s + 1], g.f(p.select(s), p.W0[s : s + 1]), rtol=0, atol=0
        )


def test_hidden_mean_nonnegative_and_singular_values(problem):
    p = problem
    assert (g.hidden_mean(p.W0 * -3.0, p.Z) >= 0).all()
    sv = g.jacobian_singular_values(p, p.W0)
    dense = torch.linalg.svdvals(g.jacobian(p, p.W0))
    torch.testing.assert_close(sv, dense, rtol=1e-9, atol=1e-12)


def test_sample_problem_is_seeded():
    a, b = make_problem(seeds=(4, 5)), make_problem(seeds=(4, 5))
    assert torch.equal(a.V, b.V) and torch.equal(a.W0, b.W0) and torch.equal(a.Z, b.Z)
    c = make_problem(seeds=(4, 6))
    assert torch.equal(a.V[0], c.V[0]) and not torch.equal(a.V[1], c.V[1])
