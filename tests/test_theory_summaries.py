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


def test_width_trend_needs_a_gain_from_width_not_depth_into_the_tail():
    w = np.array([1, 2, 4, 8, 16])  # m = 2: k = 1 is left out
    ok, why = summaries.width_trend(w, [0.1, 3.0, 1.0, 1e-3, 1e-20], m=2)
    assert ok is True and "k=2 (smallest >= m) 3 unconverged" in why and "from k=2" in why, why
    assert summaries.width_trend(w, [9.0, 3.0, 1.0, 1e-3, 1e-20], m=2)[0]  # k < m sits anywhere
    # the widest median must have converged (below 1e-12), however large the drop
    assert summaries.width_trend(w, [0.1, 3.0, 1.0, 1e-3, 1e-11], m=2)[0] is False
    assert summaries.width_trend(w, [0.1, 3.0, 1.0, 2.0, 1e-20], m=2)[0] is False  # rises at k=8
    # a converged width followed by an unconverged one is a rise, not "cannot tell"
    assert summaries.width_trend(w, [0.1, 1e-13, 1.0, 1e-20, 1e-20], m=2)[0] is False
    # converged values count as equal: the order below 1e-12 is depth into the geometric tail
    assert summaries.width_trend(w, [0.1, 3.0, 1e-13, 1e-20, 1e-15], m=2)[0] is True


def test_width_trend_passes_a_longer_horizon_and_cannot_tell_without_an_unconverged_width():
    # Fig. 9 (two moons, m = 2), cpu settings at the gpu profile's T = 4000 (the second review's
    # rerun): every width from k = 4 on has converged, so the median at k = 4 (the width nearest
    # 2m) is already at round-off; the old rule (widest <= 1e-6 x the median at k ~ 2m) failed it.
    w = np.array([1, 2, 3, 4, 8, 16, 32, 64, 128])
    med = [0.11, 0.17, 3.5e-3, 1.6e-29, 6.2e-30, 6.7e-30, 4.5e-31, 3.1e-31, 6.9e-32]
    ok, why = summaries.width_trend(w, med, m=2)
    assert ok is True and "k=2 (smallest >= m) 0.17 unconverged → k=128 6.9e-32 converged" in why
    # every width >= m converged: no gain from width to see at this T (old rule: passed)
    ok, why = summaries.width_trend(w, [0.11, 1e-20, 1e-22, 1e-25, *[1e-31] * 5], m=2)
    assert ok is None and why.startswith("cannot tell: every width >= m=2 converged"), why
    # fewer than two widths >= m (old rule: failed)
    ok, why = summaries.width_trend(np.array([2, 4, 8, 16]), [5.0, 4.0, 3.0, 2.0], m=16)
    assert ok is None and "fewer than two widths >= m=16" in why
    with pytest.raises(ValueError, match="must be equal 1-d shapes"):
        summaries.width_trend(w, med[:-1], m=2)


def test_theorem21_step_ratio_matches_the_max_step():
    jn = np.array([[2.0, 4.0], [1.0, 1.0]])
    r = conditions.theorem21_step_ratio(0.5, jn, [4, 16], d=3, n=10, mu=0.5)
    cap4 = conditions.theorem21_max_step(4, 3, 10, 0.5, 4 ** -0.5)
    cap16 = conditions.theorem21_max_step(16, 3, 10, 0.5, 16 ** -0.5)
    np.testing.assert_allclose(r, [[0.25 / cap4, 0.125 / cap4], [0.5 / cap16, 0.5 / cap16]])
    assert r.shape == (2, 2) and r[0, 0] == pytest.approx(2 * r[0, 1])


def test_rate_exceeded_is_relative_to_the_promised_decay():
    bound = np.array([0.9, 0.9, 1 - 1e-7, 1 - 1e-7])  # eta alpha^2 = 0.1, 0.1, 1e-7, 1e-7
    rho = bound + np.array([-0.01, 1e-8, 5e-10, 1e-14])  # excess 0, 1e-7, 5e-3, 1e-7 of it
    assert summaries.rate_exceeded(rho, bound).tolist() == [False, False, True, False]
    # the absolute rule would have passed the 0.5% violation at eta alpha^2 = 1e-7
    assert not summaries.exceeds(rho, bound)[2]
    assert summaries.rate_exceeded(rho, bound, tol=1e-8).tolist() == [False, True, True, True]


def test_falls_throughout_skips_widths_without_converged_runs():
    assert summaries.falls_throughout([np.nan, 0.7, 0.65, 0.34, 0.16]) is True
    assert summaries.falls_throughout([np.nan, 0.18, 0.45, 0.18, 0.11]) is False
    assert summaries.falls_throughout([0.5, 0.5]) is True  # equal is not a rise
    assert summaries.falls_throughout([np.nan, 0.3]) is None


def test_width_trend_words_follow_the_numbers():
    k = np.array([8, 16, 32, 64, 128, 256, 512])
    lin = np.array([np.nan, 0.18, 0.45, 0.18, 0.22, 0.16, 0.11])  # chapter 1, converged runs
    assert summaries.width_trend_words(k, lin) == "not monotone in between (largest, 45%, at k=32)"
    drift = np.array([np.nan, 0.69, 0.65, 0.34, 0.33, 0.24, 0.16])
    assert summaries.width_trend_words(k, drift) == "falling at every step in between"
    assert summaries.width_trend_words(k[:2], [np.nan, 0.3]).startswith("not comparable")
