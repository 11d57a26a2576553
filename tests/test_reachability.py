"""Zero loss is reachable iff x-bar lies in cone(V); Wendel-Cover probability."""

from __future__ import annotations

import numpy as np
import pytest

from overgan_lib.theory.reachability import cone_probability, in_cone, nnls_residual


def test_cone_probability_closed_cases():
    for k in range(1, 12):
        assert cone_probability(k, 1) == pytest.approx(1 - 2.0**-k)
        assert cone_probability(k, k) == pytest.approx(2.0**-k)
        assert cone_probability(k, k + 1) == 0.0
    # monotone in k, and one half exactly at k = 2m - 1 (binomial symmetry)
    p = cone_probability(np.arange(1, 40), 6)
    assert np.all(np.diff(p) >= 0)
    assert cone_probability(11, 6) == pytest.approx(0.5)


@pytest.mark.parametrize("m,k", [(2, 3), (3, 6), (4, 6)])
def test_cone_probability_matches_monte_carlo(m, k):
    rng = np.random.default_rng(100 * m + k)
    draws = 1500
    y = rng.standard_normal(m)  # any fixed direction
    hits = sum(in_cone(rng.standard_normal((m, k)), y) for _ in range(draws))
    p = float(cone_probability(k, m))
    se = np.sqrt(p * (1 - p) / draws)
    assert abs(hits / draws - p) < 4 * se + 1e-3


def test_nnls_residual_inside_and_outside():
    rng = np.random.default_rng(0)
    V = rng.standard_normal((4, 7))
    a = rng.uniform(0.1, 1.0, 7)
    assert nnls_residual(V, V @ a) < 1e-10
    assert in_cone(V, V @ a)
    v = rng.standard_normal((4, 1))
    assert nnls_residual(v, -v[:, 0]) == pytest.approx(np.linalg.norm(v))
    assert not in_cone(v, -v[:, 0])
