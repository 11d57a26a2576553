"""The theory chapters' verdict arithmetic in overgan_lib.summaries / theory.conditions."""

from __future__ import annotations

import numpy as np
import pytest

from overgan_lib import summaries
from overgan_lib.theory import conditions


def test_exceeds_uses_one_relative_tolerance():
    bound = np.array([0.5, 0.5, 0.5, -2.0])
    value = bound + np.array([0.0, 0.4e-9, 1e-9, 3e-9])  # relative 0, 0.8e-9, 2e-9, 1.5e-9
    assert summaries.exceeds(value, bound).tolist() == [False, False, True, True]
    assert summaries.REL_TOL == 1e-9


def test_first_holding_needs_every_later_point():
    xs = np.array([0.1, 0.2, 0.3, 0.4])
    assert summaries.first_holding(xs, [True, False, True, True]) == 0.3
    assert summaries.first_holding(xs, [True, True, True, False]) is None
    assert summaries.first_holding(xs, np.ones(4, bool)) == 0.1


def test_converged_and_masked_median():
    final = np.array([[1e-13, 1.0, 1e-20], [1.0, 2.0, 3.0]])
    assert summaries.converged(final).tolist() == [[True, False, True], [False] * 3]
    assert summaries.converged(final, initial=1e-2).tolist()[0] == [False, False, True]
    med = summaries.masked_median(np.array([[1.0, 9.0, 3.0], [4.0, 5.0, 6.0]]),
                                  summaries.converged(final))
    assert med[0] == 2.0 and np.isnan(med[1])


def test_decay_vs_guarantee_divides_by_the_step_excess():
    scaled, factor = summaries.decay_vs_guarantee(np.array([0.99, 0.9]), np.array([10.0, 100.0]),
                                                  1e-5)
    np.testing.assert_allclose(scaled, [1e-3, 1e-3])
    np.testing.assert_allclose(factor, [100.0, 100.0])


def test_width_trend_ignores_widths_below_m_and_can_fail():
    w = np.array([1, 2, 4, 8, 16])
    ok, why = summaries.width_trend(w, [0.1, 3.0, 1.0, 1e-3, 1e-9], m=2)  # 2m = 4
    assert ok and "k=4 (≈2m)" in why and "from k=2" in why
    assert not summaries.width_trend(w, [0.1, 3.0, 1.0, 2e-3 * 1.0, 1e-5], m=2)[0]  # no gain
    assert not summaries.width_trend(w, [0.1, 3.0, 1.0, 2.0, 1e-9], m=2)[0]  # rises at k=8
    # converged values (below 1e-12) count as equal
    assert summaries.width_trend(w, [0.1, 3.0, 1.0, 1e-20, 1e-15], m=2)[0]
    assert not summaries.width_trend(w, [5.0, 4.0, 3.0, 2.0, 1.0], m=16)[0]  # one width >= m


def test_theorem21_step_ratio_matches_the_max_step():
    jn = np.array([[2.0, 4.0], [1.0, 1.0]])
    r = conditions.theorem21_step_ratio(0.5, jn, [4, 16], d=3, n=10, mu=0.5)
    cap4 = conditions.theorem21_max_step(4, 3, 10, 0.5, 4 ** -0.5)
    cap16 = conditions.theorem21_max_step(16, 3, 10, 0.5, 16 ** -0.5)
    np.testing.assert_allclose(r, [[0.25 / cap4, 0.125 / cap4], [0.5 / cap16, 0.5 / cap16]])
    assert r.shape == (2, 2) and r[0, 0] == pytest.approx(2 * r[0, 1])
