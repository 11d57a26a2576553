"""Chapters 2 and 3's readings of Lemma A.2's violation search and Theorem A.4's bounds
(overgan_lib.summaries), checked on constructed inputs whose answers are known."""

from __future__ import annotations

import math

import numpy as np
import pytest

from overgan_lib import summaries
from overgan_lib.theory import linear_system as ls
from overgan_lib.theory.perturbation import theorem_a4_bounds


def test_violation_split_tells_divergent_from_slow_draws():
    bound = np.array([0.9, 0.9, 0.95, 0.8, 0.5])
    rho = np.array([0.85, 1.3, 0.99, 1.0, 2.6])  # holds, diverges, slow, rho = 1, diverges
    v = summaries.violation_split(rho, bound)
    assert (v["violations"], v["divergent"], v["slow"]) == (4, 3, 1)
    assert v["divergent_mask"].tolist() == [False, True, False, True, True]
    assert v["divergent_rho_max"] == 2.6
    assert v["slow_excess_max"] == pytest.approx(0.04)
    assert v["slow_excess_rel_max"] == pytest.approx(0.04 / 0.05)
    none = summaries.violation_split(np.array([0.5]), np.array([0.9]))
    assert none["violations"] == 0 and math.isnan(none["slow_excess_max"])
    assert math.isnan(none["divergent_rho_max"])


def test_violation_split_on_the_closed_form():
    # alpha = beta, mu < 4 eta beta^2: |lambda|^2 = 1 - mu + mu eta s; with eta s = 0.5 and
    # mu = 0.1 that is 1 - 0.05 (slow), with eta s = 1.5, 1 + 0.05 (divergent)
    rho = np.array([ls.spectral_radius(np.array([s]), 1.0, 0.1) for s in (0.5, 1.5)])
    bound = np.array([1 - 0.5, 1 - 1.5])
    v = summaries.violation_split(rho, bound)
    assert v["slow_mask"].tolist() == [True, False]
    assert v["divergent_mask"].tolist() == [False, True]


def _curves(x_gap: float, x_bound: float, T: int = 800, every: int = 5):
    """A gap that rises and then decays geometrically, e^(-x_gap t) (1 - e^(-t/5)), and a
    bound 300 t (1 - x_bound)^(t-1) of (26)'s form."""
    t = np.arange(0, T + 1, every, dtype=float)
    gap = np.exp(-x_gap * t) * (1 - np.exp(-t / 5))
    bound = 300 * t * (1 - x_bound) ** np.maximum(t - 1, 0)
    return t, gap, bound


def test_bound_vs_gap_reads_peaks_ratios_and_decays():
    t, gap, bound = _curves(0.04, 0.02)
    r = summaries.bound_vs_gap(t, gap, bound)
    ip = int(np.argmax(gap))
    assert r["t_gap_peak"] == t[ip] and r["t_bound_peak"] == 50  # t (1-x)^(t-1) peaks near 1/x
    assert r["bound_decay"] == pytest.approx(0.02, rel=1e-9)
    assert r["gap_decay"] == pytest.approx(1 - math.exp(-0.04), rel=0.01)
    assert r["decay_ratio"] == pytest.approx((1 - math.exp(-0.04)) / 0.02, rel=0.01)
    assert r["at_peak"] == pytest.approx(bound[ip] / gap[ip])
    assert r["at_end"] == pytest.approx(bound[-1] / gap[-1])
    assert r["t_end"] == 800 and r["gap_end"] == pytest.approx(gap[-1])
    # a gap that has flattened at round-off is fitted only above GAP_FIT_RANGE of its peak
    flat = np.maximum(gap, 1e-11 * gap.max())  # from t ~ 630 on
    assert summaries.bound_vs_gap(t, flat, bound)["gap_decay"] == pytest.approx(
        r["gap_decay"], rel=0.01)
    # fitted over the whole tail, the round-off floor would have slowed the decay
    whole = summaries.bound_vs_gap(t, flat, bound, fit_range=0.0)
    assert whole["gap_decay"] < 0.95 * r["gap_decay"]


def _reading(t_gap, t_bound, ratio, at_peak, at_end, gap_end):
    return {"t_gap_peak": t_gap, "t_bound_peak": t_bound, "t_end": 800.0, "at_peak": at_peak,
            "at_end": at_end, "gap_end": gap_end, "decay_ratio": ratio}


def test_bound26_shape_text_ranges_over_converged_widths_only():
    reads = [_reading(740, 800, 0.02, 1631, 1656, 1.3),  # k = 16: never converged
             _reading(40, 70, 1.84, 298, 4.39e7, 2.59e-10),
             _reading(35, 45, 2.06, 965, 2.9e8, 6.7e-15)]
    text = summaries.bound26_shape_text(np.array([16, 256, 16384]), reads, [False, True, True])
    assert text.startswith("At the widths where seed 0 converged (k = 256 to 16384)"), text
    assert "the bound peaks at t = 45–70 and the measured gap at t = 35–40" in text, text
    assert "decays 1.8–2.1 times as fast" in text and "298–965 times above" in text, text
    assert "4.4e7–2.9e8 times above it at t = 800" in text and "6.7e-15–2.6e-10" in text, text
    one = summaries.bound26_shape_text(np.array([16, 256]), reads[:2], [False, True])
    assert "(k = 256)" in one and "t = 70 and" in one and "1,631" not in one, one
    assert "none of the widths" in summaries.bound26_shape_text(
        np.array([16]), reads[:1], [False])


def test_sci_and_span_formats():
    assert summaries.sci_text(4.39e7) == "4.4e7" and summaries.sci_text(2.59e-10) == "2.6e-10"
    assert summaries.span_text([3.0, 1.0], ".0f") == "1–3"
    assert summaries.span_text([2.0, 2.04], ".1f") == "2.0"


def test_median_index_and_bound27_factors():
    assert summaries.median_index([5.0, 1.0, 3.0]) == 2
    assert summaries.median_index([4.0, 1.0, 3.0, 2.0]) == 2  # upper middle: value 3
    b = theorem_a4_bounds(alpha=0.5, beta=0.6, eps=0.01, eta=0.1, mu=0.5, z0=4.0, pinv_z0=1.0,
                          steps=np.arange(3))
    f = summaries.bound27_factors(b["b27"], 0.002, b["gamma"], 0.6, 0.5)
    assert f["constant"] == pytest.approx(9 * b["gamma"] ** 2)
    assert f["conditioning"] == pytest.approx(1.44)
    assert f["rest"] == pytest.approx(0.01 * 4.0 / 0.25 / 0.002)  # eps ||z_0|| / alpha^2 / gap
    assert f["total"] == pytest.approx(f["constant"] * f["conditioning"] * f["rest"])


def test_floor_crossing_recovers_the_stored_bound25():
    alpha, beta, eps, mu, z0 = 0.3, 0.8, 0.05, 0.5, 4.5
    eta = 0.05 / beta**2
    steps = np.arange(0, 801, 5)
    b = theorem_a4_bounds(alpha, beta, eps, eta, mu, z0, 1.0, steps)
    mu_cond = mu / (8 * eta * beta**2)
    assert summaries.step_from_mu_cond(mu, mu_cond, beta) == pytest.approx(eta)
    z0_back = summaries.start_norm_from_b27(b["b27"], eps, beta, alpha, b["gamma"])
    assert z0_back == pytest.approx(z0)
    level = float(b["b25"][100])  # bound (25) at t = 500
    t = summaries.bound25_crossing(b["gamma"], eta * alpha**2, z0_back, level)
    assert t == pytest.approx(500)
    assert summaries.bound25_crossing(b["gamma"], eta * alpha**2, z0, 0.0) == math.inf
    assert summaries.bound25_crossing(b["gamma"], eta * alpha**2, z0, 1e3) == 0.0


def test_floor_reading_reports_every_seed_with_a_positive_floor():
    z0 = np.array([4.0, 4.0, 4.0])
    text = summaries.floor_reading(np.array([0.0, 0.0, 0.357]), np.array([np.inf, np.inf, 3849.2]),
                                   [False, False, False], 800, z0)
    assert text.startswith("It is positive for 1 of the 3 seeds: for seed 2 it is 0.357"), text
    assert "t ≈ 3,849 (4.8 times the horizon)" in text
    assert "hypotheses fail there" in text and "For seeds 0, 1 it is zero" in text
    both = summaries.floor_reading(np.array([0.2, 1e-12, 0.3]), np.array([900.0, np.inf, 700.0]),
                                   [False, False, True], 800, z0)
    assert "positive for 2 of the 3 seeds" in both and "seed 0" in both and "seed 2" in both
    assert "For seed 1 it is zero" in both  # 1e-12 is below REL_TOL x ||z_0||: round-off
    assert "would contradict the theorem" in both
    zero = summaries.floor_reading(np.zeros(2), np.full(2, np.inf), [False, False], 800,
                                   np.ones(2))
    assert zero.startswith("It is zero for every one of the 2 seeds")


def test_violation_split_text_counts_both_kinds():
    bound = np.array([0.9, 0.9, 0.95, 0.5])
    text = summaries.violation_split_text(summaries.violation_split(
        np.array([0.85, 1.3, 0.99, 2.6]), bound))
    assert text.startswith("2 of them have ρ(A) ≥ 1 (up to 2.60)"), text
    assert "the other 1 converge, but more slowly" in text and "is 0.040, 80% of" in text, text
    only_div = summaries.violation_split_text(summaries.violation_split(
        np.array([1.3]), np.array([0.9])))
    assert only_div.endswith("none converges more slowly than 1 − ηα² without diverging.")
    only_slow = summaries.violation_split_text(summaries.violation_split(
        np.array([0.99]), np.array([0.95])))
    assert only_slow.startswith("None of them has ρ(A) ≥ 1; all 1 converge"), only_slow
    assert summaries.violation_split_text(summaries.violation_split(
        np.array([0.5]), np.array([0.9]))) == "None of them does."


def test_slack_by_conditioning_says_when_a_group_has_no_draw():
    """Chapter 2's clause: both groups with their medians and counts; at smoke, where no draw
    is well conditioned, it says so instead of quoting the median of nothing."""
    slack = np.array([0.01, 0.02, 0.5, 1e-5, 3e-5])
    cond = np.array([2.0, 2.5, 10.0, 40.0, 50.0])
    assert summaries.slack_by_conditioning_text(slack, cond) == (
        "the median slack is 1.5e-02 for the 2 of the 5 draws with β/α < 3 but only 2e-05 for "
        "the 2 draws with β/α > 30")
    assert summaries.slack_by_conditioning_text(slack[2:], cond[2:]).startswith(
        "no draw has β/α < 3; the median slack is 2e-05 for the 2 of the 3 draws")
    assert summaries.slack_by_conditioning_text(slack[:1], cond[:1]).endswith(
        "no draw has β/α > 30")
