"""Theorem 2.1's hypotheses at given sizes (overgan_lib.theory.conditions)."""

from __future__ import annotations

import math

import pytest

from overgan_lib.theory import conditions as c


def test_failure_terms_are_vacuous_at_small_d():
    t = c.failure_terms_known(256, 16, 8, 64)
    assert t["lemma_a6"] == pytest.approx(514 * math.exp(-8 / 216))
    assert t["lemma_a6"] > 495 and t["sum"] > 1
    assert c.failure_terms_known(1, 10**5, 10**4, 1)["sum"] < 1e-9


def test_min_latent_dim_is_where_the_lemma_a6_term_reaches_one():
    for k in (1, 256, 16384):
        d = c.min_latent_dim(k)
        assert c.failure_terms_known(k, 10**6, d, 1)["lemma_a6"] == pytest.approx(1.0)


def test_sigma_product_floor_and_step():
    expected = 4 / (16 * 8**2.5 * math.log(8) ** 1.5)
    assert c.sigma_product_floor(4.0, 16, 8) == pytest.approx(expected)
    with pytest.raises(ValueError):
        c.sigma_product_floor(1.0, 2, 1)
    step = c.theorem21_max_step(64, 8, 64, 0.5, 1 / 8)
    assert step == pytest.approx(0.5 / (324 * 64 / 64 * (8 + 63 / math.pi) / 128))
    assert c.theorem21_max_step(64, 8, 64, 1.0, 1 / 8) == pytest.approx(2 * step)  # eta ∝ mu
    assert c.theorem21_rate(1.0, 0.5) == pytest.approx(5e-6)
    assert c.step_condition_ratio(0.5, 1 / 16, 1.0) == pytest.approx(1.0)


def test_proof_scale_min_width_is_where_the_proofs_condition_becomes_equality():
    # (d log d)^{3/2} ||x-bar|| <= c k sigma_v sigma_w sigma_z with sigma_v = 1/sqrt(k)
    for xbar, d, cc in ((2.5, 8, 1.0), (4.7, 8, 0.5), (1.0, 3, 1.0)):
        k = c.proof_scale_min_width(xbar, d, cc)
        assert (d * math.log(d)) ** 1.5 * xbar == pytest.approx(cc * k * k**-0.5)
    assert 2.8e4 < c.proof_scale_min_width(2.5, 8) < 2.9e4  # far above the widths of Fig. 2
    with pytest.raises(ValueError):
        c.proof_scale_min_width(1.0, 1)
