"""The theory chapters' experiments, as plain functions of a settings dict.

Each returns a dict of numpy arrays and scalars, ready for :mod:`overgan_lib.store`.
Seeds: instance ``s`` of a run with base seed ``seed`` uses torch/numpy seed
``1000 * seed + s`` for (V, Z, W_0) and ``10_000 + 1000 * seed + s`` for its data, so
every width sees the same data sets and the comparison across k is paired.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from tqdm import tqdm

from ..errors import check_int
from ..profiles import validate_settings
from . import linear_system as ls
from . import reachability, spectra
from .generator import (
    Problem,
    f,
    jacobian,
    jacobian_autograd,
    jacobian_factor,
    jacobian_singular_values,
    jjt,
    residual,
    sample_problem,
)
from .perturbation import jacobian_pinv_norm, run_lockstep, theorem_a4_bounds
from .solvers import normalized_eta, optimal_discriminator, run_d_steps, run_gd, run_gda
from .synthetic import data_means, gaussian_data, two_moons


def instance_seeds(seed: int, count: int) -> list[int]:
    """Seeds of the ``count`` independent instances of a run with base ``seed``."""
    return [1000 * seed + s for s in range(count)]


def gaussian_targets(m: int, n: int, seed: int, count: int) -> torch.Tensor:
    """Data means x-bar of ``count`` Gaussian data sets (Fig. 2 setup), shape (count, m)."""
    return data_means([gaussian_data(m, n, 10_000 + s) for s in instance_seeds(seed, count)])


def fit_geometric_rate(steps: np.ndarray, loss: np.ndarray, floor: float = 1e-22) -> float:
    """Per-step contraction of ||r_t|| fitted on the tail of a loss curve.

    Fits log(||r_t||) = a + t log(rho) by least squares over the second half of the points
    whose loss is finite and above ``floor`` times the initial loss (below that, float64
    round-off dominates). Returns NaN with fewer than 3 usable points.
    """
    loss = np.asarray(loss, dtype=float)
    ok = np.isfinite(loss) & (loss > floor * max(loss[0], 1e-300))
    idx = np.flatnonzero(ok)
    if len(idx) < 6:
        return float("nan")
    idx = idx[len(idx) // 2 :]
    slope = np.polyfit(np.asarray(steps, dtype=float)[idx], 0.5 * np.log(loss[idx]), 1)[0]
    return float(np.exp(slope))


# --------------------------------------------------------------------------- chapter 1
def formulation(cfg: dict[str, Any], seed: int, progress: bool = True) -> dict[str, Any]:
    """Chapter 1: optimal d = mean gap, eq. 33 vs autograd, GDA and GD reach one saddle."""
    validate_settings(cfg)
    check_int("seed", seed)
    m, d, n, k, T, mu = cfg["m"], cfg["d"], cfg["n"], cfg["k"], cfg["T"], cfg["mu"]
    y = gaussian_targets(m, n, seed, 1)
    p = sample_problem(y, k, d, n, instance_seeds(seed, 1))
    out: dict[str, Any] = {"xbar": y[0].numpy()}

    # The inner maximum of eq. 2 by plain ascent, against the closed form d* = f(W) - y.
    W_rand = p.W0 + 0.5 * torch.randn(
        p.W0.shape, generator=torch.Generator().manual_seed(seed), dtype=p.W0.dtype
    )
    r = residual(p, W_rand)
    ascent = [optimal_discriminator(p, W_rand, mu, s) for s in range(1, 61)]
    out["ascent_gap"] = np.array([float((a - r).norm()) for a in ascent])
    d_hat = ascent[-1]
    value = float((d_hat * r).sum() - 0.5 * (d_hat * d_hat).sum())
    out["inner_max_value"] = value
    out["closed_form_value"] = float(0.5 * (r * r).sum())
    out["d_star"] = d_hat[0].numpy()
    out["mean_gap"] = (-r[0]).numpy()  # eq. 2's discriminator is -d (see solvers)

    # Eq. 33 against reverse-mode autograd at W_0 and at a perturbed point.
    errs = []
    for W in (p.W0, W_rand):
        J = jacobian(p, W)
        errs.append(float((J - jacobian_autograd(p, W)).abs().max() / J.abs().max()))
    out["jacobian_rel_err"] = np.array(errs)
    out["jacobian_shape"] = np.array(jacobian(p, p.W0).shape[1:])

    # One instance: GDA and GD side by side.
    eta = normalized_eta(p, 1 / 16)
    gda = run_gda(p, eta, mu, T, record_every=10)
    gd = run_gd(p, eta, T, record_every=10)
    out.update(
        steps=gda.steps.numpy(),
        gda_loss=gda.loss[0].numpy(),
        gd_loss=gd.loss[0].numpy(),
        gda_disc=gda.disc[0].numpy(),
        eta=float(eta.flatten()[0]),
        f_gda=f(p, gda.W)[0].numpy(),
        f_gd=f(p, gd.W)[0].numpy(),
    )

    # Across widths: do the two algorithms end at the same W?
    widths, S = cfg["widths"], cfg["seeds"]
    ys = gaussian_targets(m, n, seed, S)
    keys = ["gda_final", "gd_final", "disc_final", "w_gap_rel", "gd_vs_linear_rel", "drift_rel"]
    res = {key: np.zeros((len(widths), S)) for key in keys}
    for i, kw in enumerate(tqdm(widths, desc="widths", disable=not progress)):
        pw = sample_problem(ys, kw, d, n, instance_seeds(seed, S))
        eta = normalized_eta(pw, 1 / 16)
        a, b = run_gda(pw, eta, mu, T, record_every=T), run_gd(pw, eta, T, record_every=T)
        moved = (b.W - pw.W0).flatten(1).norm(dim=-1)
        W_lin = linear_limit(pw)
        res["gda_final"][i] = a.final_loss.numpy()
        res["gd_final"][i] = b.final_loss.numpy()
        res["disc_final"][i] = a.d.norm(dim=-1).numpy()
        res["w_gap_rel"][i] = ((a.W - b.W).flatten(1).norm(dim=-1) / moved).numpy()
        res["gd_vs_linear_rel"][i] = ((b.W - W_lin).flatten(1).norm(dim=-1) / moved).numpy()
        res["drift_rel"][i] = (moved / pw.W0.flatten(1).norm(dim=-1)).numpy()
    out.update(widths=np.array(widths), **res)
    return out


def linear_limit(p: Problem) -> torch.Tensor:
    """theta_0 - J_0^+ r_0: where GD and GDA on the linearised problem (eq. 17) converge.

    Both iterate in theta_0 + range(J_0^T) and stop where J_0 (theta - theta_0) = -r_0,
    which has exactly one solution in that affine space (when J_0 J_0^T is invertible).
    """
    r0 = residual(p, p.W0)
    J0 = jacobian(p, p.W0)
    G = J0 @ J0.transpose(1, 2)
    step = (J0.transpose(1, 2) @ torch.linalg.solve(G, r0.unsqueeze(-1))).squeeze(-1)
    return p.W0 - step.reshape(p.W0.shape)


# --------------------------------------------------------------------------- chapter 2
def eigen_checks(cfg: dict[str, Any], seed: int, progress: bool = True) -> dict[str, Any]:
    """Chapter 2: Lemma A.2 over random draws, a violation search, and kappa_i of Lemma A.3."""
    validate_settings(cfg)
    rng = np.random.default_rng(seed)
    m, p_dim = cfg["m"], cfg["p"]
    a2 = {"rho": [], "bound": [], "closed_gap": [], "eta_beta2": [], "mu": [], "cond": []}
    for _ in tqdm(range(cfg["draws"]), desc="Lemma A.2 draws", disable=not progress):
        dr = ls.random_draw(rng, m, p_dim, "a2")
        G = dr["J"] @ dr["J"].T
        rho = float(np.abs(np.linalg.eigvals(ls.transition_matrix(G, dr["eta"], dr["mu"]))).max())
        closed = ls.spectral_radius(np.linalg.eigvalsh(G), dr["eta"], dr["mu"])
        a2["rho"].append(rho)
        a2["bound"].append(ls.lemma_a2_bound(dr["alpha"], dr["eta"]))
        a2["closed_gap"].append(abs(rho - closed))
        a2["eta_beta2"].append(dr["eta"] * dr["beta"] ** 2)
        a2["mu"].append(dr["mu"])
        a2["cond"].append(dr["beta"] / dr["alpha"])
    vio = {"rho": [], "bound": [], "ratio": [], "complex": []}
    for _ in tqdm(range(cfg["violation_draws"]), desc="violation search", disable=not progress):
        dr = ls.random_draw(rng, m, p_dim, "violate")
        s = np.linalg.eigvalsh(dr["J"] @ dr["J"].T)
        vio["rho"].append(ls.spectral_radius(s, dr["eta"], dr["mu"]))
        vio["bound"].append(ls.lemma_a2_bound(dr["alpha"], dr["eta"]))
        vio["ratio"].append(dr["mu"] / (4 * dr["eta"] * dr["beta"] ** 2))
        vio["complex"].append(bool(np.any(dr["mu"] < 4 * dr["eta"] * s)))
    a3 = {"kappa": [], "kappa_closed": [], "gamma_emp": [], "gamma_bound": []}
    for i in tqdm(range(cfg["draws"]), desc="Lemma A.3 draws", disable=not progress):
        dr = ls.random_draw(rng, m, p_dim, "a3")
        G = dr["J"] @ dr["J"].T
        s = np.linalg.eigvalsh(G)
        ks = [ls.kappa(si, dr["eta"], dr["mu"]) for si in s]
        a3["kappa"].append(max(ks))
        a3["kappa_closed"].append(max(ls.kappa_closed_form(si, dr["eta"], dr["mu"]) for si in s))
        if i < 200:  # ||A^t|| / rate^t over t <= gamma_T: the gamma the theorem needs
            a3["gamma_emp"].append(
                ls.transient_constant(G, dr["eta"], dr["mu"], dr["alpha"], cfg["gamma_T"])
            )
            a3["gamma_bound"].append(max(ks))
    out = {f"a2_{k}": np.array(v) for k, v in a2.items()}
    out.update({f"vio_{k}": np.array(v) for k, v in vio.items()})
    out.update({f"a3_{k}": np.array(v) for k, v in a3.items()})
    return out


def exact_region(ratios: np.ndarray, conds: np.ndarray, eta_beta2: float) -> np.ndarray:
    """Does rho(A) <= 1 - eta alpha^2 hold for every spectrum inside [alpha^2, beta^2]?

    Grid over mu / (4 eta beta^2) (``ratios``) and beta / alpha (``conds``) at fixed
    eta beta^2; True where the rate of Lemma A.2 holds (mu <= 1 enforced by caller).
    """
    out = np.zeros((len(conds), len(ratios)), dtype=bool)
    s = None
    for i, c in enumerate(conds):
        alpha2 = eta_beta2 / c**2  # in units where eta = 1: s = eta * singular value^2
        s = np.linspace(alpha2, eta_beta2, 400)
        for j, r in enumerate(ratios):
            mu = 4 * eta_beta2 * r
            rho = np.abs(ls.block_eigenvalues(s, 1.0, mu)).max()
            out[i, j] = rho <= 1 - alpha2 + 1e-12
    return out


# --------------------------------------------------------------------------- chapter 3
def perturbation_sweep(cfg: dict[str, Any], seed: int, progress: bool = True) -> dict[str, Any]:
    """Chapter 3: nonlinear vs linearised GDA across widths, with Theorem A.4's bounds."""
    validate_settings(cfg)
    m, d, n, S, T, mu = cfg["m"], cfg["d"], cfg["n"], cfg["seeds"], cfg["T"], cfg["mu"]
    ys = gaussian_targets(m, n, seed, S)
    names = [
        "z_gap_max",
        "theta_gap_max",
        "drift_max",
        "drift_rel",
        "alpha",
        "beta0",
        "beta",
        "eps",
        "gamma",
        "ratio",
        "b27",
        "b28",
        "ok25",
        "ok26",
        "ok27",
        "ok28",
        "hyp_ok",
        "final_loss",
        "mu_cond",
    ]
    res = {k: np.zeros((len(cfg["widths"]), S)) for k in names}
    curves = {}
    for i, k in enumerate(tqdm(cfg["widths"], desc="widths", disable=not progress)):
        p = sample_problem(ys, k, d, n, instance_seeds(seed, S))
        eta = normalized_eta(p, cfg["eta_bar"])
        h = run_lockstep(p, eta, mu, T, cfg["record_every"])
        sv = jacobian_singular_values(p, p.W0)
        z0 = h["z"][:, 0]
        pinv = jacobian_pinv_norm(p, residual(p, p.W0))  # d_0 = 0
        steps = h["steps"].numpy()
        for s in range(S):
            e = float(eta.flatten()[s])
            alpha, beta = float(sv[s, -1]), float(h["beta"][s].max())
            eps = float(h["eps"][s].max())
            b = theorem_a4_bounds(alpha, beta, eps, e, mu, float(z0[s]), float(pinv[s]), steps)
            z_gap, th_gap = h["z_gap"][s].numpy(), h["theta_gap"][s].numpy()
            drift = h["drift"][s].numpy()
            vals = {
                "z_gap_max": z_gap.max(),
                "theta_gap_max": th_gap.max(),
                "drift_max": drift.max(),
                "drift_rel": drift.max() / float(p.W0[s].norm()),
                "alpha": alpha,
                "beta0": float(sv[s, 0]),
                "beta": beta,
                "eps": eps,
                "gamma": b["gamma"],
                "ratio": b["hypothesis_ratio"],
                "b27": b["b27"],
                "b28": b["b28"],
                "ok25": np.all(h["z"][s].numpy() <= b["b25"] * (1 + 1e-9)),
                "ok26": np.all(z_gap <= b["b26"] * (1 + 1e-9) + 1e-12),
                "ok27": th_gap.max() <= b["b27"],
                "ok28": drift.max() <= b["b28"],
                "hyp_ok": b["hypotheses_ok"],
                "final_loss": float(h["z"][s, -1] ** 2),
                "mu_cond": mu / (8 * e * beta**2),
            }
            for key, v in vals.items():
                res[key][i, s] = float(v)
            if s == 0:
                curves[f"k{k}"] = {
                    "z_gap": z_gap,
                    "b26": b["b26"],
                    "z": h["z"][s].numpy(),
                    "b25": b["b25"],
                    "drift": drift,
                    "z_lin": h["z_lin"][s].numpy(),
                }
    return {"widths": np.array(cfg["widths"]), "steps": steps, **res, "curves": curves}


def spectrum_at_init(cfg: dict[str, Any], seed: int, progress: bool = True) -> dict[str, Any]:
    """Chapter 3: sigma_min / sigma_max of J(W_0) vs Lemmas A.7 / A.8, and E[J J^T] (A.6)."""
    validate_settings(cfg)
    m, d, n, S = cfg["m"], cfg["d"], cfg["n"], cfg["seeds"]
    ys = gaussian_targets(m, n, seed, S)
    widths = cfg["spectrum_widths"]
    smin, smax, lo, hi, e_lo, e_hi = (np.zeros((len(widths), S)) for _ in range(6))
    for i, k in enumerate(tqdm(widths, desc="spectrum", disable=not progress)):
        p = sample_problem(ys, k, d, n, instance_seeds(seed, S))
        sv = jacobian_singular_values(p, p.W0).numpy()
        smin[i], smax[i] = sv[:, -1], sv[:, 0]
        sig_v = 1 / k**0.5
        lo[i] = spectra.lemma_a7_lower(k, m, d, n, sig_v, 1.0, delta=0.5, t=3.0)
        hi[i] = spectra.lemma_a8_upper(k, m, d, n, sig_v, 1.0, delta=0.5)
        e_lo[i], e_hi[i] = spectra.edge_prediction(k, m, d, n, sig_v, 1.0)
    # Lemma A.6: E[J J^T | V] over (Z, W_0), for one fixed V.
    k = 64
    draws = cfg["mc_draws"]
    y1 = ys[:1]
    base = sample_problem(y1, k, d, n, [seed])
    acc = torch.zeros(m, m, dtype=torch.float64)
    d2 = []
    errs, checkpoints = [], []
    target = spectra.jjt_scale(1.0, d, n) * (base.V[0] @ base.V[0].T)
    for t in range(1, draws + 1):
        q = sample_problem(y1, k, d, n, [10**6 + 1000 * seed + t])
        q = Problem(base.V, q.Z, q.W0, q.y)
        acc += jjt(q, q.W0)[0]
        d2.append(float((n * jacobian_factor(q, q.W0)[0]).pow(2).sum(-1).mean()))
        if t in {1, 2, 5} or t % max(draws // 20, 1) == 0 or t == draws:
            checkpoints.append(t)
            errs.append(float((acc / t - target).norm() / target.norm()))
    return {
        "widths": np.array(widths),
        "smin": smin,
        "smax": smax,
        "a7_lower": lo,
        "a8_upper": hi,
        "edge_lo": e_lo,
        "edge_hi": e_hi,
        "mc_draws": np.array(checkpoints),
        "mc_rel_err": np.array(errs),
        "d2_mean": float(np.mean(d2)),
        "d2_sem": float(np.std(d2) / np.sqrt(len(d2))),
        "d2_expected": spectra.expected_d2(1.0, d, n),
    }


# --------------------------------------------------------------------------- chapter 4
def _alg_rates(p: Problem, eta: torch.Tensor, mu: float) -> tuple[np.ndarray, np.ndarray]:
    """Linearised per-step contraction at W_0: GD 1 - eta alpha^2, GDA rho(A) (Lemma A.2)."""
    s = torch.linalg.eigvalsh(jjt(p, p.W0)).clamp_min(0).numpy()
    e = eta.flatten().numpy()
    gd = np.array([max(abs(1 - e[i] * s[i, 0]), abs(1 - e[i] * s[i, -1])) for i in range(len(e))])
    gda = np.array([ls.spectral_radius(s[i], float(e[i]), mu) for i in range(len(e))])
    return gd, gda


def fig2_sweep(cfg: dict[str, Any], seed: int, progress: bool = True) -> dict[str, Any]:
    """Fig. 2: final ||f(W_T) - x-bar||^2 vs k for GDA (Thm 2.1) and GD on eq. 5 (Thm 2.2)."""
    validate_settings(cfg)
    m, d, n, S, T = cfg["m"], cfg["d"], cfg["n"], cfg["seeds"], cfg["T"]
    widths = cfg["widths"]
    ys = gaussian_targets(m, n, seed, S)
    out: dict[str, Any] = {"widths": np.array(widths)}
    shape = (len(widths), S)
    for key in (
        "gda_final",
        "gd_final",
        "gda_rate",
        "gd_rate",
        "gda_rate_lin",
        "gd_rate_lin",
        "nnls_floor",
        "initial",
    ):
        out[key] = np.zeros(shape)
    gda_curves, gd_curves = [], []
    for i, k in enumerate(tqdm(widths, desc="Fig. 2 widths", disable=not progress)):
        p = sample_problem(ys, k, d, n, instance_seeds(seed, S))
        eta = normalized_eta(p, cfg["eta_bar"])
        a = run_gda(p, eta, cfg["mu"], T, record_every=cfg["record_every"])
        b = run_gd(p, eta, T, record_every=cfg["record_every"])
        steps = a.steps.numpy()
        gda_curves.append(a.loss.numpy())
        gd_curves.append(b.loss.numpy())
        out["gda_final"][i], out["gd_final"][i] = a.final_loss.numpy(), b.final_loss.numpy()
        out["initial"][i] = a.loss[:, 0].numpy()
        out["gd_rate_lin"][i], out["gda_rate_lin"][i] = _alg_rates(p, eta, cfg["mu"])
        for s in range(S):
            out["gda_rate"][i, s] = fit_geometric_rate(steps, gda_curves[-1][s])
            out["gd_rate"][i, s] = fit_geometric_rate(steps, gd_curves[-1][s])
            floor = reachability.nnls_residual(p.V[s].numpy(), p.y[s].numpy())
            out["nnls_floor"][i, s] = floor**2
    out.update(steps=steps, gda_curves=np.stack(gda_curves), gd_curves=np.stack(gd_curves))
    return out


def fig9_sweep(cfg: dict[str, Any], seed: int, progress: bool = True) -> dict[str, Any]:
    """Fig. 9: two moons, (a) optimal D (GD), (b) GDA, (c) d_iter ascent steps per G step."""
    validate_settings(cfg)
    S, T, widths = cfg["seeds"], cfg["T"], cfg["widths"]
    xs = [two_moons(cfg["n"], cfg["noise"], 10_000 + s) for s in instance_seeds(seed, S)]
    ys = data_means(xs)
    out: dict[str, Any] = {
        "widths": np.array(widths),
        "d_iters": np.array(cfg["d_iters"]),
        "sample": xs[0],
    }
    out["gd_final"], out["gda_final"] = np.zeros((len(widths), S)), np.zeros((len(widths), S))
    out["diter_final"] = np.zeros((len(cfg["d_iters"]), len(widths), S))
    curves = {"gd": [], "gda": [], "diter": []}
    for i, k in enumerate(tqdm(widths, desc="Fig. 9 widths", disable=not progress)):
        p = sample_problem(ys, k, cfg["d"], cfg["n"], instance_seeds(seed, S))
        eta = normalized_eta(p, cfg["eta_bar"])
        gd = run_gd(p, eta, T, record_every=cfg["record_every"])
        gda = run_gda(p, eta, cfg["mu"], T, record_every=cfg["record_every"])
        out["gd_final"][i], out["gda_final"][i] = gd.final_loss.numpy(), gda.final_loss.numpy()
        curves["gd"].append(gd.loss.numpy())
        curves["gda"].append(gda.loss.numpy())
        row = []
        for j, it in enumerate(cfg["d_iters"]):
            tr = run_d_steps(p, eta, cfg["mu_diter"], T, it, record_every=cfg["record_every"])
            out["diter_final"][j, i] = tr.final_loss.numpy()
            row.append(tr.loss.numpy())
        curves["diter"].append(np.stack(row))
    out["steps"] = gd.steps.numpy()
    out["gd_curves"], out["gda_curves"] = np.stack(curves["gd"]), np.stack(curves["gda"])
    out["diter_curves"] = np.stack(curves["diter"], 1)
    return out


def cone_grid(cfg: dict[str, Any], seed: int, progress: bool = True) -> dict[str, Any]:
    """Beyond the paper: P(GD reaches zero loss) vs P(x-bar in cone(V)) over a (k, m) grid."""
    validate_settings(cfg)
    ms, ratios, draws, T = cfg["ms"], cfg["ratios"], cfg["draws"], cfg["T"]
    shape = (len(ms), len(ratios))
    ks = np.zeros(shape, dtype=int)
    success, reach, optfail, formula = (np.zeros(shape) for _ in range(4))
    below_floor = 0
    grid = [(i, j) for i in range(len(ms)) for j in range(len(ratios))]
    for i, j in tqdm(grid, desc="(m, k) grid", disable=not progress):
        m = ms[i]
        k = max(1, int(round(ratios[j] * m)))
        ks[i, j] = k
        ys = gaussian_targets(m, cfg["n"], seed + 7919 * m, draws)
        p = sample_problem(ys, k, cfg["d"], cfg["n"], instance_seeds(seed + 7919 * m + k, draws))
        tr = run_gd(p, normalized_eta(p, cfg["eta_bar"]), T, record_every=T)
        y2 = (ys * ys).sum(-1).numpy()
        ok = tr.final_loss.numpy() <= cfg["tol"] * y2
        floors = np.array(
            [reachability.nnls_residual(p.V[s].numpy(), p.y[s].numpy()) ** 2 for s in range(draws)]
        )
        inside = floors <= 1e-16 * y2
        below_floor += int(np.sum(tr.final_loss.numpy() < floors * (1 - 1e-9) - 1e-15))
        success[i, j], reach[i, j] = ok.mean(), inside.mean()
        optfail[i, j] = np.mean(inside & ~ok)
        formula[i, j] = reachability.cone_probability(k, m)
    return {
        "ms": np.array(ms),
        "ratios": np.array(ratios),
        "ks": ks,
        "success": success,
        "reachable": reach,
        "reachable_not_reached": optfail,
        "formula": formula,
        "draws": draws,
        "runs_below_nnls_floor": below_floor,
    }
