"""GDA (eq. 13), GD (eq. 5), the d_iter variant and linearised GDA (eq. 21)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from overgan_lib.errors import ParameterError
from overgan_lib.theory import linear_system as ls
from overgan_lib.theory import solvers as sv
from overgan_lib.theory.experiments import linear_limit
from overgan_lib.theory.generator import jjt, residual
from overgan_lib.theory.reachability import nnls_residual
from tests.conftest import make_problem


def test_optimal_discriminator_is_residual():
    p = make_problem()
    r = residual(p, p.W0)
    for steps in (1, 5, 40):
        d = sv.optimal_discriminator(p, p.W0, 0.3, steps)
        # ascent from 0 contracts the gap by exactly (1 - mu) per step
        torch.testing.assert_close((d - r).norm(dim=-1), r.norm(dim=-1) * 0.7**steps)


def test_gda_and_gd_converge_when_wide():
    p = make_problem(m=3, d=3, n=20, k=200)
    eta = sv.normalized_eta(p, 1 / 16)
    a = sv.run_gda(p, eta, 0.5, 3000, record_every=100)
    b = sv.run_gd(p, eta, 3000, record_every=100)
    assert (a.final_loss < 1e-20).all() and (b.final_loss < 1e-20).all()
    assert (a.d.norm(dim=-1) < 1e-9).all()
    assert not a.diverged.any()


def test_gd_never_beats_nnls_floor():
    p = make_problem(m=6, d=3, n=20, k=5, seeds=tuple(range(6)), scale=2.0)
    b = sv.run_gd(p, sv.normalized_eta(p, 0.25), 1500, record_every=1500)
    for s in range(6):
        floor = nnls_residual(p.V[s].numpy(), p.y[s].numpy()) ** 2
        assert float(b.final_loss[s]) >= floor * (1 - 1e-9)


def test_linearised_gda_follows_matrix_a():
    p = make_problem(m=4, d=3, n=15, k=30, seeds=(0,))
    eta = sv.normalized_eta(p, 0.05)
    e, mu, T = float(eta), 0.4, 25
    tr = sv.run_linearized_gda(p, eta, mu, T)
    A = ls.transition_matrix(jjt(p, p.W0)[0].numpy(), e, mu)
    z = np.concatenate([residual(p, p.W0)[0].numpy(), np.zeros(4)])
    for t in range(T + 1):
        assert tr.loss[0, t].item() == pytest.approx(float(z[:4] @ z[:4]), rel=1e-10)
        assert tr.disc[0, t].item() == pytest.approx(
            float(np.linalg.norm(z[4:])), rel=1e-9, abs=1e-14
        )
        z = A @ z


def test_linearised_gda_converges_to_min_norm_point():
    p = make_problem(m=3, d=2, n=15, k=20, seeds=(0, 1))
    tr = sv.run_linearized_gda(p, sv.normalized_eta(p, 0.05), 0.5, 6000, record_every=6000)
    torch.testing.assert_close(tr.W, linear_limit(p), rtol=0, atol=1e-8)


def test_batched_solver_equals_single_seed_runs():
    p = make_problem(seeds=(0, 1, 2), k=40)
    eta = sv.normalized_eta(p, 1 / 16)
    full = sv.run_gda(p, eta, 0.5, 200, record_every=10)
    for s in range(3):
        one = sv.run_gda(p.select(s), eta[s : s + 1], 0.5, 200, record_every=10)
        torch.testing.assert_close(full.loss[s], one.loss[0], rtol=0, atol=0)


def test_many_d_steps_approach_gd():
    p = make_problem(k=60)
    eta = sv.normalized_eta(p, 1 / 16)
    gd = sv.run_gd(p, eta, 300, record_every=300)
    many = sv.run_d_steps(p, eta, 0.5, 300, d_iter=60, record_every=300)
    torch.testing.assert_close(many.loss, gd.loss, rtol=1e-9, atol=1e-12)


def test_divergence_is_flagged():
    p = make_problem(k=50)
    tr = sv.run_gd(p, sv.normalized_eta(p, 1e3), 400, record_every=10)
    assert tr.diverged.all()


@pytest.mark.parametrize(
    "kwargs,needle",
    [
        ({"mu": 0.0}, "mu=0.0"),
        ({"mu": -1.0}, "mu=-1.0"),
        ({"T": 0}, "T (iterations)=0"),
    ],
)
def test_bad_arguments_are_one_line_errors(kwargs, needle):
    p = make_problem()
    args = {"eta": 0.1, "mu": 0.5, "T": 10} | kwargs
    with pytest.raises(ParameterError) as exc:
        sv.run_gda(p, **args)
    assert needle in str(exc.value) and "\n" not in str(exc.value)


def test_bad_step_size_rejected():
    p = make_problem()
    with pytest.raises(ParameterError, match="eta_bar=-1"):
        sv.normalized_eta(p, -1)
    with pytest.raises(ParameterError, match="eta"):
        sv.run_gd(p, torch.tensor([[[0.1]], [[-0.1]], [[0.2]]]), 10)
