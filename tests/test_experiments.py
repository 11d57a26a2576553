"""The chapter experiments at the smoke profile, the rate fit and the benchmark."""

from __future__ import annotations

import numpy as np
import pytest

from overgan_lib import profiles
from overgan_lib.bench import bench_theory
from overgan_lib.theory import experiments as ex


def test_alternating_second_order_matches_the_slow_root():
    from overgan_lib.theory import linear_system as ls
    from overgan_lib.theory.experiments.convergence import alternating_second_order

    assert alternating_second_order(0.1, 1) == pytest.approx(9.0)
    assert alternating_second_order(0.1, 25) == pytest.approx(0.9**25 / (1 - 0.9**25))
    for mu, it in ((0.1, 1), (0.1, 5), (0.1, 25), (0.5, 2)):
        c2 = alternating_second_order(mu, it)
        a = 1e-3 * ls.alternating_complex_threshold(mu, it)  # well inside the real range
        slow = ls.alternating_eigenvalues(np.array([a]), 1.0, mu, it)[0].real.max()
        assert (1 - a - slow) / a**2 == pytest.approx(c2, rel=1e-2)


def test_fit_geometric_rate_recovers_rate():
    steps = np.arange(0, 400, 10)
    loss = 3.0 * 0.97 ** (2 * steps)  # ||r_t|| contracts by 0.97 per step
    assert ex.fit_geometric_rate(steps, loss) == pytest.approx(0.97, rel=1e-10)
    assert np.isnan(ex.fit_geometric_rate(steps[:3], loss[:3]))


@pytest.mark.slow
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
    shape = (len(cfg.get("widths", [])), cfg.get("seeds"))
    if name == "formulation":
        # BFGS on eq. 2 as written (autograd) lands on the closed-form mean gap x-bar - f(W)
        np.testing.assert_allclose(out["inner_argmax"], out["mean_gap"], atol=1e-9)
        assert out["bfgs_gap"][0] > 0.1 and out["bfgs_gap"][-1] < 1e-9
        assert out["inner_max_value"] == pytest.approx(out["closed_form_value"], rel=1e-9)
        assert out["hessian_dev"] < 1e-12 and out["xbar_dev"] < 1e-12
        assert out["sign_dev"] < 1e-12  # the solvers' eq. 13 is eq. 3 with d -> -d
        assert out["jacobian_rel_err"].max() < 1e-12  # eq. 33 vs autograd
        assert out["gda_loss"][-1] < 0.1 * out["gda_loss"][0]
        assert out["gda_final"].shape == shape and np.median(out["w_gap_rel"]) < 0.05
    if name == "perturbation":
        assert out["z_gap_max"].shape == shape
        for b in ("ok25", "ok26", "ok27", "ok28"):
            assert out[b].all(), b  # Theorem A.4's bounds at the smoke horizon
        assert (out["margin25"] >= 1 - 1e-9).all() and (out["margin26"] >= 1 - 1e-9).all()
        assert (out["z_gap_max"] <= out["b26u"]).all()  # (26)'s t-free form
        assert out["drift_rel"][-1].mean() < out["drift_rel"][0].mean()  # lazier when wider
    if name == "fig9":
        assert out["gd_final"].shape == shape
        assert out["diter_final"].shape == (len(cfg["d_iters"]), *shape)
        start = out["gd_curves"][..., 0]  # one initialisation for all three algorithms
        np.testing.assert_array_equal(start, out["gda_curves"][..., 0])
        assert (out["gd_final"] < start).all() and (out["gda_final"] < start).all()
        # eta s at W_0 for both modes; the largest is eta_bar (eta = eta_bar / ||J_0||^2)
        assert out["eta_s0"].shape == (*shape, 2)
        np.testing.assert_allclose(out["eta_s0"][..., -1], cfg["eta_bar"], rtol=1e-10)
    if name == "fig2":
        assert out["gda_final"].shape == (len(cfg["widths"]), cfg["seeds"])
        assert (out["gd_final"] >= out["nnls_floor"] * (1 - 1e-9)).all()
        assert (out["jnorm0_sq"] > 0).all() and (out["jnorm_end_sq"] > 0).all()
    if name == "cone":
        assert out["runs_below_nnls_floor"] == 0
        assert (out["success"] <= out["reachable"] + 1e-12).all()
    if name == "eigen":
        assert (out["a2_rho"] <= out["a2_bound"] + 1e-12).all()
        assert out["a3_kappa"].max() <= 5


@pytest.mark.slow
def test_experiments_are_deterministic():
    cfg = profiles.settings("fig2", "smoke")
    a, b = ex.fig2_sweep(cfg, 3, progress=False), ex.fig2_sweep(cfg, 3, progress=False)
    np.testing.assert_array_equal(a["gda_curves"], b["gda_curves"])
    c = ex.fig2_sweep(cfg, 4, progress=False)
    assert not np.array_equal(a["gda_curves"], c["gda_curves"])


@pytest.mark.slow
def test_bench_reference_agrees():
    res = bench_theory("smoke", progress=False)
    assert res["batched_s"] > 0 and res["reference_s"] > 0
    assert res["gd_diff_max_median"][0] < 1e-8  # GD contracts: both codes agree to round-off


def test_inner_maximum_sees_a_sign_error():
    """The check of eq. 2's inner maximum is not tautological: flip the data and it fails."""
    import importlib

    import torch

    F = importlib.import_module("overgan_lib.theory.experiments.formulation")
    from overgan_lib.theory.generator import sample_problem
    from overgan_lib.theory.synthetic import gaussian_data

    x = gaussian_data(3, 16, 10_000)
    y = torch.tensor(x.mean(0)).unsqueeze(0)
    p = sample_problem(y, 8, 2, 16, [0])
    good = F.inner_maximum(p, p.W0, x, 0.5, 0.1)
    assert np.abs(good["inner_argmax"] - good["mean_gap"]).max() < 1e-9
    assert good["sign_dev"] < 1e-12
    bad_p = sample_problem(-y, 8, 2, 16, [0])  # the solvers now target -x-bar: sign check fails
    assert F.inner_maximum(bad_p, bad_p.W0, x, 0.5, 0.1)["sign_dev"] > 1e-3
