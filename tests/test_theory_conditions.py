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
    # (2/3) s (d log d)^{3/2} sqrt(k d m) + (d log d)^{3/2} ||x-bar|| <= c k s, s = 1/sqrt(k)
    for xbar, m, d, cc in ((2.5, 16, 8, 1.0), (4.7, 16, 8, 0.5), (1.0, 2, 3, 1.0)):
        k = c.proof_scale_min_width(xbar, m, d, cc)
        s = k**-0.5
        lhs = (d * math.log(d)) ** 1.5 * (2 / 3 * s * math.sqrt(k * d * m) + xbar)
        assert lhs == pytest.approx(cc * k * s)
        assert c.proof_scale_min_width(xbar, m, d, cc * 1.01) < k  # a larger c asks less
        # each term alone asks less than both together
        assert c.proof_scale_min_width(xbar, m, d, cc, "width") < k
        assert c.proof_scale_min_width(xbar, m, d, cc, "xbar") < k
        assert (d * math.log(d)) ** 1.5 * xbar == pytest.approx(
            cc * c.proof_scale_min_width(xbar, m, d, cc, "xbar") ** 0.5)
    # the first term alone is the theorem's width requirement (4/9) m d^4 log^3 d at c = 1
    assert c.proof_scale_min_width(0.0, 16, 8, part="width") == pytest.approx(
        4 / 9 * 16 * 8**4 * math.log(8) ** 3)
    assert 2.6e5 < c.proof_scale_min_width(0.0, 16, 8, part="width") < 2.63e5
    assert 2.8e4 < c.proof_scale_min_width(2.5, 16, 8, part="xbar") < 2.9e4
    assert 4.6e5 < c.proof_scale_min_width(2.5, 16, 8) < 4.7e5  # far above the widths of Fig. 2
    with pytest.raises(ValueError):
        c.proof_scale_min_width(1.0, 2, 1)
    with pytest.raises(ValueError):
        c.proof_scale_min_width(1.0, 2, 8, part="all")
