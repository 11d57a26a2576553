"""Reaching vs staying at the targets (related.li_readings), checked against the runs' full
outcome histories, which the stored study does not keep."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from overgan_lib import profiles
from overgan_lib.errors import ParameterError
from overgan_lib.related import dynamics as dy
from overgan_lib.related import experiments as ex
from overgan_lib.related import li_readings as lr


def test_reach_matches_the_runs_histories():
    """On a grid whose cells (-0.5, 0.5) and (0.5, -0.5) start at the targets, the readings
    from the stored study equal what every run's recorded outcomes say."""
    cfg = profiles.settings("li2018", "smoke", grid=5, widths=[2, 4], d_steps=[1], T=400)
    R = ex.li2018_study(cfg, 0, progress=False)
    target = torch.tensor(cfg["targets"], dtype=torch.float64)
    for row, (k, d) in enumerate(ex.configurations(cfg)):
        mu0, _, tr = ex.first_order_batch(cfg, 0, k, d, cfg["record_every"])
        codes = ex._codes_along(tr, target, cfg["tol"])
        sep = ex.separated(mu0).numpy()
        inside = codes[0] == dy.SUCCESS
        out = sep & ~inside
        r = lr.reach(R, cfg["tol"], row)
        assert (r.k, r.d, r.runs, r.inside) == (k, d, int(sep.sum()), int(inside[sep].sum()))
        assert r.inside == 2 * cfg["inits"]
        assert r.reached == pytest.approx((codes[1:, out] == dy.SUCCESS).any(0).mean())
        assert r.at_T == pytest.approx((codes[-1, out] == dy.SUCCESS).mean())
        assert r.inside_left == int((codes[-1, sep & inside] != dy.SUCCESS).sum())
        assert r.reached < float(R["fo_ever"][row])  # t = 0 no longer counted


def test_reached_after_start_and_its_errors():
    assert lr.reached_after_start(0.25, 40, 4) == pytest.approx(6 / 36)
    assert lr.reached_after_start(0.0, 10, 0) == 0.0
    with pytest.raises(ParameterError, match="inside=10"):
        lr.reached_after_start(1.0, 10, 10)
    with pytest.raises(ParameterError, match="not a count"):
        lr.reached_after_start(0.1, 40, 5)  # 4 runs ever, fewer than the 5 that start inside


def _study(G=4, n=10, codes_at_T=dy.SUCCESS, ever=1.0, k=(2, 8)):
    """A stored study's layout with width rows ``k`` (one D step), nobody starting inside."""
    fo_codes = np.full((len(k), G, G, n), codes_at_T)
    return {"grid_x": np.linspace(-3, 3, G), "targets": np.array([-0.5, 0.5]),
            "k": np.array(k), "d_steps": np.ones(len(k), int), "fo_codes": fo_codes,
            "fo_ever": np.full(len(k), ever), "runs_per_config": (G * G - G) * n}


def test_width_reading_and_start_text():
    left = _study(codes_at_T=dy.MERGED)  # everyone reached the targets, nobody stays
    r = lr.reach(left, 0.1, 1)
    assert (r.inside, r.reached, r.at_T, r.missed_had_reached) == (0, 1.0, 0.0, 1.0)
    assert [x.k for x in lr.not_staying(left, 0.1, opt_rate=1.0)] == [8]
    text = lr.width_reach_text(left, 0.1, 1.0)
    assert "So for k = 8" in text
    # both shares name their denominator (review n5): runs starting outside vs all runs
    assert f"of the {r.outside:,} separated runs that start outside" in text
    assert f"all {r.runs:,} separated runs" in text
    inside = {**left, "grid_x": np.array([-0.5, 0.5, 1.0, 2.0])}  # cells (-.5, .5), (.5, -.5)
    r_in = lr.reach(inside, 0.1, 1)
    assert r_in.inside == 20 and r_in.outside == r_in.runs - 20
    assert f"of the {r_in.outside:,} separated runs" in lr.width_reach_text(inside, 0.1, 1.0)
    never = _study(codes_at_T=dy.MERGED, ever=0.0)  # nobody ever reached them
    assert lr.not_staying(never, 0.1, 1.0) == []
    assert "At no width above k = 2" in lr.width_reach_text(never, 0.1, 1.0)
    assert lr.width_reach_text(_study(k=(1, 2)), 0.1, 1.0).startswith("No width above")
    assert lr.start_text(r) == ("no run starts within the tolerance of the targets at this "
                                "profile")
    assert np.isnan(lr.reach(_study(), 0.1, 1).missed_had_reached)


def test_trend_word():
    assert [lr.trend_word(0.1, b) for b in (0.2, 0.05, 0.1)] == [
        "grows", "falls", "does not change"]


def test_ties_text_value_range_and_spread_by_d():
    assert lr.ties_text(1, 6, 40) == "one start (6 of 40 draws), which is"
    assert lr.ties_text(4, 6, 40) == ("4 starts (6 of 40 draws each); the first of them in "
                                      "row-major order is")
    with pytest.raises(ParameterError, match="ties=0"):
        lr.ties_text(0, 6, 40)
    assert lr.value_range(0.003081, 0.003079) == "constant at 0.00308"
    assert lr.value_range(0.0030, 0.0041) == "0.00300 to 0.00410"
    assert lr.spread_by_d([1.0, 1.24], ["within", "above"], [2, 20]) == (
        "d = 2: 1.00, within; d = 20: 1.24, above")
    assert lr.spread_by_d([float("nan")], ["not defined"], [2]) == "d = 2: not defined"
    with pytest.raises(ParameterError, match="one ratio"):
        lr.spread_by_d([1.0], [], [2])


def test_merged_start_text_with_and_without_merged_starts():
    assert lr.merged_start_text(0, float("nan"), 0.1, {}, "x").startswith(
        "No separated cell of this grid starts closer")
    rest = {"ratio": 1.131, "q95": 1.134, "p": 0.053}
    assert lr.merged_start_text(18, 0.0417, 0.0722, rest, "within") == (
        "The starts whose means begin closer than the merge threshold (merged at t = 0): their "
        "18 cells succeed in 4.2% of their runs, the other separated cells in 7.2%. Without "
        "them the ratio is 1.13 (95th percentile of its own null 1.13, probability 0.053): "
        "within.")
