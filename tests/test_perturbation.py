"""Theorem A.4 lock-step runs, its bounds, and the spectrum lemmas A.6-A.8."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from overgan_lib.theory import spectra
from overgan_lib.theory.generator import jacobian, jacobian_factor, residual
from overgan_lib.theory.perturbation import (
    UNIFORM_26,
    bound_margin,
    jacobian_pinv_norm,
    run_lockstep,
    theorem_a4_bounds,
)
from overgan_lib.theory.solvers import normalized_eta, run_gda, run_linearized_gda
from tests.conftest import make_problem


def test_lockstep_matches_separate_runs():
    p = make_problem(m=4, d=3, n=20, k=50, seeds=(0, 1))
    eta = normalized_eta(p, 0.05)
    h = run_lockstep(p, eta, 0.5, 60, record_every=1)
    a = run_gda(p, eta, 0.5, 60)
    b = run_linearized_gda(p, eta, 0.5, 60)
    torch.testing.assert_close(h["z"], (a.loss + a.disc**2).sqrt(), rtol=1e-12, atol=1e-14)
    torch.testing.assert_close(h["z_lin"], (b.loss + b.disc**2).sqrt(), rtol=1e-12, atol=1e-14)
    torch.testing.assert_close(h["drift"], a.drift)
    assert float(h["z_gap"][:, 0].abs().max()) == 0.0 and float(h["eps"][:, 0].max()) == 0.0


def test_eps_is_the_jacobian_change():
    p = make_problem(m=3, d=2, n=10, k=8, seeds=(0,))
    eta = normalized_eta(p, 0.05)
    h = run_lockstep(p, eta, 0.5, 30, record_every=30)
    W = run_gda(p, eta, 0.5, 30).W
    dense = torch.linalg.matrix_norm(jacobian(p, W) - jacobian(p, p.W0), ord=2)
    torch.testing.assert_close(h["eps"][:, -1], dense, rtol=1e-9, atol=1e-12)


def test_wider_is_lazier():
    out = []
    for k in (16, 1024):
        p = make_problem(m=4, d=4, n=32, k=k, seeds=(0, 1, 2))
        h = run_lockstep(p, normalized_eta(p, 0.05), 0.5, 300, record_every=10)
        rel = h["drift"].max(1).values / p.W0.flatten(1).norm(dim=-1)
        out.append((float(rel.median()), float(h["z_gap"].max(1).values.median())))
    assert out[1][0] < out[0][0] / 3 and out[1][1] < out[0][1] / 3


def test_pinv_norm_matches_dense():
    p = make_problem(m=3, d=2, n=12, k=20, seeds=(0,))
    r = residual(p, p.W0)
    J = jacobian(p, p.W0)[0]
    dense = torch.linalg.norm(torch.linalg.pinv(J) @ r[0])
    assert float(jacobian_pinv_norm(p, r)[0]) == pytest.approx(float(dense), rel=1e-8)


def test_bounds_shape_and_hypotheses():
    steps = np.arange(0, 50)
    b = theorem_a4_bounds(
        alpha=1.0, beta=1.2, eps=0.01, eta=0.04, mu=0.5, z0=2.0, pinv_z0=1.0, steps=steps
    )
    assert b["b26"][0] == 0.0 and b["b25"][0] == pytest.approx(2.0 * b["gamma"])
    assert np.all(np.diff(b["b25"]) < 0)
    assert b["hypotheses_ok"] == (4 * b["gamma"] * 1.2 * 0.01 <= 1.0)
    bad = theorem_a4_bounds(1.0, 1.2, 0.5, 0.04, 0.5, 2.0, 1.0, steps)
    assert not bad["hypotheses_ok"] and bad["hypothesis_ratio"] > 1


def test_t_free_form_of_26():
    # t (1 - x)^(t-1) <= 1 / (15 e ln(16/15) x) for 0 < x <= 1/16, tight as x -> 1/16, t -> 15.5
    assert UNIFORM_26 == pytest.approx(4 / (15 * math.e * math.log(16 / 15)))
    assert 1.51 < UNIFORM_26 < 1.53
    t = np.arange(0, 20_000)[:, None]
    x = np.linspace(1e-4, 1 / 16, 400)[None, :]
    lhs = t * (1 - x) ** np.maximum(t - 1, 0)
    assert (lhs * x * 15 * math.e * math.log(16 / 15) <= 1 + 1e-12).all()
    assert (lhs * x * 15 * math.e * math.log(16 / 15)).max() > 0.999
    # so the t-free bound caps (26) for every t whenever mu >= 8 eta beta^2 and mu <= 1
    b = theorem_a4_bounds(alpha=1.0, beta=1.2, eps=0.01, eta=0.5 / (8 * 1.2**2), mu=0.5, z0=2.0,
                          pinv_z0=1.0, steps=np.arange(0, 5000))
    assert (b["b26"] <= b["b26_uniform"]).all()
    assert b["b26"].max() > 0.95 * b["b26_uniform"]  # and nearly attains it


def test_bound_margin_skips_zero_measurements():
    assert bound_margin(np.array([1.0, 4.0, 9.0]), np.array([0.0, 2.0, 1.0])) == 2.0
    assert bound_margin(np.array([1.0]), np.array([0.0])) == math.inf


def test_lemma_a6_expectations_by_monte_carlo():
    d, n, k, draws = 3, 8, 16, 600
    acc = []
    for t in range(draws):
        p = make_problem(m=2, d=d, n=n, k=k, seeds=(t,))
        acc.append(float((n * jacobian_factor(p, p.W0)).pow(2).sum(-1).mean()))
    mean, se = np.mean(acc), np.std(acc) / math.sqrt(draws)
    assert abs(mean - spectra.expected_d2(1.0, d, n)) < 4 * se
    assert spectra.jjt_scale(1.0, d, n) == pytest.approx(spectra.expected_d2(1.0, d, n) / n**2)


def test_lemma_a8_upper_bound_holds():
    for k in (64, 256):
        p = make_problem(m=4, d=4, n=32, k=k, seeds=(0, 1, 2))
        smax = torch.linalg.matrix_norm(jacobian(p, p.W0), ord=2)
        assert (smax <= spectra.lemma_a8_upper(k, 4, 4, 32, 1 / math.sqrt(k), 1.0, 0.5)).all()


def test_eps_and_beta_maxima_cover_every_step_not_only_the_recorded_ones():
    p = make_problem(m=4, d=3, n=20, k=30, seeds=(0, 1))
    eta = normalized_eta(p, 0.2)
    every = run_lockstep(p, eta, 0.5, 40, record_every=1)
    sparse = run_lockstep(p, eta, 0.5, 40, record_every=7)
    torch.testing.assert_close(sparse["eps_max"], every["eps"].max(1).values)
    torch.testing.assert_close(sparse["beta_max"], every["beta"].max(1).values)
    assert (sparse["eps_max"] >= sparse["eps"].max(1).values).all()


def test_lemma_a7_at_the_proofs_parameters_is_the_printed_alpha():
    # App. A.6 prints alpha = sigma_v sigma_z (sqrt(k - 9)/2 - 2 sqrt m) sqrt((d + (n-1)/pi)/(2n))
    for k, m, d, n in ((256, 8, 8, 64), (2048, 16, 4, 32), (40, 2, 3, 10)):
        c = math.sqrt((d + (n - 1) / math.pi) / (2 * n))
        alpha = (math.sqrt(k - 9) / 2 - 2 * math.sqrt(m)) * 0.3 * 1.7 * c
        assert spectra.lemma_a7_lower(k, m, d, n, 0.3, 1.7) == pytest.approx(alpha, rel=1e-12)
        # the previous reading, xi = 3, gives 6 sqrt(m) instead of 2 sqrt(m)
        assert spectra.lemma_a7_lower(k, m, d, n, 0.3, 1.7, 0.5, 3.0) < alpha - 1e-3
    # its printed failure term "3e-m2" is 3 e^{-m/72}: xi^2/8 = 1/72
    assert spectra.A7_XI**2 / 8 == pytest.approx(1 / 72)
    k, m, d, n = 4, 72, 54 * 4, 18 * 4  # every printed exponent equals -1
    assert spectra.lemma_a7_failure_known(k, m, d, n) == pytest.approx(3 / math.e + 16 / math.e)
    assert spectra.lemma_a8_failure_known(k, m, d, n) == pytest.approx(math.exp(-72) + 8 / math.e)
