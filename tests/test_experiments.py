"""The chapter experiments at the smoke profile, the rate fit and the benchmark."""

from __future__ import annotations

import numpy as np
import pytest

from overgan_lib import profiles
from overgan_lib.bench import bench_theory
from overgan_lib.theory import experiments as ex


def test_fit_geometric_rate_recovers_rate():
    steps = np.arange(0, 400, 10)
    loss = 3.0 * 0.97 ** (2 * steps)  # ||r_t|| contracts by 0.97 per step
    assert ex.fit_geometric_rate(steps, loss) == pytest.approx(0.97, rel=1e-10)
    assert np.isnan(ex.fit_geometric_rate(steps[:3], loss[:3]))


@pytest.mark.parametrize(
    "name,fn",
    [
        ("formulation", ex.formulation),
        ("eigen", ex.eigen_checks),
        ("perturbation", ex.perturbation_sweep),
        ("fig2", ex.fig2_sweep),
        ("fig9", ex.fig9_sweep),
        ("cone", ex.cone_grid),
    ],
)
def test_smoke_experiments_run(name, fn):
    cfg = profiles.settings(name, "smoke")
    out = fn(cfg, 0, progress=False)
    assert isinstance(out, dict) and out
    if name == "fig2":
        assert out["gda_final"].shape == (len(cfg["widths"]), cfg["seeds"])
        assert (out["gd_final"] >= out["nnls_floor"] * (1 - 1e-9)).all()
    if name == "cone":
        assert out["runs_below_nnls_floor"] == 0
        assert (out["success"] <= out["reachable"] + 1e-12).all()
    if name == "eigen":
        assert (out["a2_rho"] <= out["a2_bound"] + 1e-12).all()
        assert out["a3_kappa"].max() <= 5


def test_experiments_are_deterministic():
    cfg = profiles.settings("fig2", "smoke")
    a, b = ex.fig2_sweep(cfg, 3, progress=False), ex.fig2_sweep(cfg, 3, progress=False)
    np.testing.assert_array_equal(a["gda_curves"], b["gda_curves"])
    c = ex.fig2_sweep(cfg, 4, progress=False)
    assert not np.array_equal(a["gda_curves"], c["gda_curves"])


def test_bench_reference_agrees():
    res = bench_theory("smoke", progress=False)
    assert res["batched_s"] > 0 and res["reference_s"] > 0
    assert res["gd_diff_max_median"][0] < 1e-8  # GD contracts: both codes agree to round-off
