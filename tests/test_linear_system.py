"""Lemma A.2 / A.3: eigenvalues of A (eq. 21), the rate bound, and kappa_i <= 5."""

from __future__ import annotations

import math

import numpy as np
import pytest

from overgan_lib.theory import linear_system as ls


def _sorted(z):
    return np.array(sorted(z, key=lambda c: (round(c.real, 9), round(c.imag, 9))))


@pytest.mark.parametrize("eta,mu", [(0.01, 0.5), (0.5, 0.05), (0.2, 0.9)])
def test_block_eigenvalues_match_dense(eta, mu):
    rng = np.random.default_rng(0)
    J = rng.standard_normal((4, 9))
    G = J @ J.T
    dense = np.linalg.eigvals(ls.transition_matrix(G, eta, mu))
    closed = ls.block_eigenvalues(np.linalg.eigvalsh(G), eta, mu).ravel()
    np.testing.assert_allclose(_sorted(dense), _sorted(closed), atol=1e-9)


def test_lemma_a2_bound_holds_on_random_draws():
    rng = np.random.default_rng(1)
    for _ in range(300):
        dr = ls.random_draw(rng, 4, 10, "a2")
        assert ls.lemma_a2_holds(dr["alpha"], dr["beta"], dr["eta"], dr["mu"])
        s = np.linalg.eigvalsh(dr["J"] @ dr["J"].T)
        assert (
            ls.spectral_radius(s, dr["eta"], dr["mu"])
            <= ls.lemma_a2_bound(dr["alpha"], dr["eta"]) + 1e-12
        )


def test_violation_when_condition_fails():
    # J J^T = I (alpha = beta = 1), mu = eta s: complex pair, |lambda|^2 = 1 - mu + mu eta
    eta, mu = 0.1, 0.1
    assert not ls.lemma_a2_holds(1.0, 1.0, eta, mu)
    rho = ls.spectral_radius(np.ones(3), eta, mu)
    assert rho == pytest.approx(math.sqrt(1 - mu + mu * eta))
    assert rho > ls.lemma_a2_bound(1.0, eta)


def test_paper_eigenvectors_diagonalise_block():
    s, eta, mu = 2.0, 0.01, 0.5
    C = np.array([[1, -eta * s], [mu, 1 - mu]])
    V = ls.paper_eigenvectors(s, eta, mu)
    lam = np.linalg.solve(V, C @ V)
    np.testing.assert_allclose(lam - np.diag(np.diag(lam)), 0, atol=1e-12)
    np.testing.assert_allclose(
        sorted(np.diag(lam)), sorted(ls.block_eigenvalues(np.array([s]), eta, mu)[0].real)
    )


def test_kappa_bounded_by_five_and_known_limits():
    for ratio in np.linspace(0.001, 1 / 8, 50):  # eta s / mu <= 1/8  <=>  mu >= 8 eta s
        k = ls.kappa(ratio, 1.0, 1.0)
        assert k <= 5
        assert k == pytest.approx(ls.kappa_closed_form(ratio, 1.0, 1.0), rel=1e-10)
    # q -> 1: V V^T -> [[1, 1], [1, 2]], whose condition number is the golden ratio squared
    assert ls.kappa(1e-12, 1.0, 1.0) == pytest.approx((3 + math.sqrt(5)) / 2, rel=1e-6)
    # kappa decreases in q, so the worst case allowed by Lemma A.3 is at mu = 8 eta s
    assert ls.kappa(1 / 8, 1.0, 1.0) == max(
        ls.kappa(r, 1.0, 1.0) for r in np.linspace(0, 1 / 8, 30)
    )


def test_transient_constant_within_lemma_a3():
    rng = np.random.default_rng(3)
    dr = ls.random_draw(rng, 3, 7, "a3")
    G = dr["J"] @ dr["J"].T
    gam = ls.transient_constant(G, dr["eta"], dr["mu"], dr["alpha"], 200)
    kap = max(ls.kappa(s, dr["eta"], dr["mu"]) for s in np.linalg.eigvalsh(G))
    assert 1.0 <= gam <= kap + 1e-9


@pytest.mark.parametrize("d_iter", [1, 2, 5, 25])
def test_alternating_block_matches_the_d_steps_solver(d_iter):
    """The 2x2 block is what run_d_steps does on the linearised problem, mode by mode."""
    eta, mu, s = 0.7, 0.1, 0.09
    B = ls.alternating_block(s, eta, mu, d_iter)
    q = (1 - mu) ** d_iter
    r, d = 1.3, -0.4
    d_new = r + q * (d - r)  # run_d_steps' ascent, then W (here r) moves with the updated d
    r_new = r - eta * s * d_new
    np.testing.assert_allclose(B @ [r, d], [r_new, d_new], rtol=1e-14)
    lam = np.sort_complex(np.linalg.eigvals(B))
    closed = np.sort_complex(ls.alternating_eigenvalues(np.array([s]), eta, mu, d_iter)[0])
    np.testing.assert_allclose(lam, closed, atol=1e-12)
    assert np.linalg.det(B) == pytest.approx(q)


def test_alternating_complex_threshold_and_modulus():
    mu, d_iter = 0.1, 1
    a_c = ls.alternating_complex_threshold(mu, d_iter)
    below = ls.alternating_eigenvalues(np.array([a_c * 0.99]), 1.0, mu, d_iter)[0]
    above = ls.alternating_eigenvalues(np.array([a_c * 1.01]), 1.0, mu, d_iter)[0]
    assert np.all(below.imag == 0) and np.all(above.imag != 0)
    np.testing.assert_allclose(np.abs(above), np.sqrt(1 - mu), rtol=1e-12)  # |lambda| = sqrt(q)
    # the simultaneous GDA block turns complex at eta s = mu / 4 with a different modulus
    assert a_c != pytest.approx(mu / 4)


def test_kappa_step_ratio_inverts_the_closed_form():
    r5 = ls.kappa_step_ratio(5.0)
    assert ls.kappa_closed_form(1.0, 1.0, r5) == pytest.approx(5.0, rel=1e-12)
    assert 4 < r5 < 8  # Lemma A.3's mu >= 8 eta beta^2 is sufficient, not necessary
    below, above = ls.kappa_closed_form(1, 1, 0.99 * r5), ls.kappa_closed_form(1, 1, 1.01 * r5)
    assert below > 5 > above
    for g in (2.7, 3.0, 10.0):
        k = ls.kappa_step_ratio(g)
        assert ls.kappa_closed_form(2.0, 0.5, 2.0 * 0.5 * k) == pytest.approx(g)
    with pytest.raises(ValueError, match="must exceed"):
        ls.kappa_step_ratio(2.5)


def test_slow_eigenvalue_at_the_edge_of_lemma_a3():
    """At mu = 8 eta s, lambda_+ = 1 - 4 (1 - 1/sqrt 2) eta s, not 1 - mu/2: the worst-kappa block
    decays only 1.17 times as fast as the rate 1 - eta s."""
    c = ls.slow_decay_at_edge()
    assert c == pytest.approx(4 * (1 - 1 / math.sqrt(2)), rel=1e-9)
    eta, beta2 = 1.0, 1 / 16  # mu = 8 eta beta^2 = 1/2, alpha = beta
    lam = ls.block_eigenvalues(np.array([beta2]), eta, 8 * eta * beta2)[0].real
    assert lam.max() == pytest.approx(1 - c * eta * beta2, rel=1e-12)
    assert lam.max() == pytest.approx(0.9268, abs=1e-4)  # vs 1 - mu/2 = 0.75
    assert 1 - 8 * eta * beta2 / 2 < lam.max() < ls.lemma_a2_bound(math.sqrt(beta2), eta)


def test_slow_projector_norm_limits():
    assert ls.slow_projector_norm(1e-9, 1.0, 1.0) == pytest.approx(math.sqrt(2), rel=1e-6)
    s, eta, mu = 0.1, 1.0, 0.8  # mu = 8 eta s
    V = ls.paper_eigenvectors(s, eta, mu)
    C = np.array([[1, -eta * s], [mu, 1 - mu]])
    lam = ls.block_eigenvalues(np.array([s]), eta, mu)[0].real.max()
    np.testing.assert_allclose(C @ V[:, 1], lam * V[:, 1], atol=1e-14)  # the slow column
    P = np.outer(V[:, 1], np.linalg.inv(V)[1])
    np.testing.assert_allclose(P @ P, P, atol=1e-12)
    assert ls.slow_projector_norm(s, eta, mu) == pytest.approx(np.linalg.norm(P, 2))
    assert math.sqrt(2) < ls.slow_projector_norm(s, eta, mu) < ls.kappa(s, eta, mu)


def test_edge_draw_sits_on_lemma_a3s_boundary():
    rng = np.random.default_rng(5)
    for _ in range(20):
        dr = ls.edge_draw(rng, 5, 12, T=100)
        sv = np.linalg.svd(dr["J"], compute_uv=False)
        assert sv.max() == pytest.approx(dr["beta"]) and sv.min() == pytest.approx(dr["alpha"])
        assert 1 <= dr["beta"] / dr["alpha"] <= ls.EDGE_COND_MAX
        assert dr["mu"] >= ls.EDGE_MU_STEPS / 100
        assert dr["mu"] == pytest.approx(8 * dr["eta"] * dr["beta"] ** 2)
        assert ls.lemma_a3_holds(dr["beta"], dr["eta"], dr["mu"] * (1 + 1e-12))
        G = dr["J"] @ dr["J"].T
        gam = ls.transient_constant(G, dr["eta"], dr["mu"], dr["alpha"], 100)
        kap = max(ls.kappa(s, dr["eta"], dr["mu"]) for s in np.linalg.eigvalsh(G))
        assert kap == pytest.approx(ls.kappa_closed_form(1.0, 1.0, 8.0), rel=1e-6)
        assert math.sqrt(2) < gam < kap


def test_eigen_checks_adds_edge_draws_after_the_random_ones():
    from overgan_lib import profiles
    from overgan_lib.theory.experiments import eigen

    cfg = profiles.settings("eigen", "smoke")
    out = eigen.eigen_checks(cfg, 0, progress=False)
    n = min(cfg["draws"], eigen.GAMMA_DRAWS)
    assert out["a3_gamma_emp"].shape == out["a3_gamma_bound"].shape == (n,)
    np.testing.assert_array_equal(out["a3_gamma_bound"], out["a3_kappa"][:n])
    assert out["a3_edge_gamma_emp"].shape == (eigen.GAMMA_DRAWS,)
    np.testing.assert_allclose(out["a3_edge_step_ratio"], 1.0, rtol=1e-12)
    assert (out["a3_edge_cond"] <= ls.EDGE_COND_MAX).all()
    assert (out["a3_edge_gamma_emp"] <= out["a3_edge_kappa"]).all()
    assert (out["a3_gamma_emp"] <= out["a3_gamma_bound"]).all()
