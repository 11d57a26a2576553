"""Chapter 4 (global convergence): Theorems 2.1 and 2.2, Figs. 2 and 9.

Final loss ||f(W_T) - x-bar||^2 against width k for GDA (Theorem 2.1) and GD on eq. 5
(Theorem 2.2) with fitted and linearised rates and the NNLS floor (Fig. 2); the two-moons
comparison of optimal D, GDA and several ascent steps per generator step (Fig. 9); and,
beyond the paper, P(GD reaches zero loss) against P(x-bar in cone(V)) over a (k, m) grid.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from tqdm import tqdm

from ...profiles import validate_settings
from .. import linear_system as ls
from .. import reachability
from ..generator import Problem, jjt, sample_problem
from ..solvers import normalized_eta, run_d_steps, run_gd, run_gda
from ..synthetic import data_means, two_moons
from .common import fit_geometric_rate, gaussian_targets, instance_seeds


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
        "jnorm0_sq",
        "jnorm_end_sq",
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
        # ||J||^2 at W_0 and at GDA's end point: the step condition mu >= 8 eta beta^2 of
        # Lemma A.3 / Theorem A.4 holds at W_0 iff mu >= 8 eta_bar; does ||J|| grow on the way?
        out["jnorm0_sq"][i] = torch.linalg.eigvalsh(jjt(p, p.W0))[:, -1].numpy()
        out["jnorm_end_sq"][i] = torch.linalg.eigvalsh(jjt(p, a.W))[:, -1].numpy()
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
    out["eta_s0"] = np.zeros((len(widths), S, len(ys[0])))  # eta s, s eigenvalues of J_0 J_0^T
    curves = {"gd": [], "gda": [], "diter": []}
    for i, k in enumerate(tqdm(widths, desc="Fig. 9 widths", disable=not progress)):
        p = sample_problem(ys, k, cfg["d"], cfg["n"], instance_seeds(seed, S))
        eta = normalized_eta(p, cfg["eta_bar"])
        out["eta_s0"][i] = (eta.reshape(-1, 1) * torch.linalg.eigvalsh(jjt(p, p.W0))).numpy()
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


def alternating_second_order(mu: float, d_iter: int) -> float:
    """q / (1 - q), q = (1 - mu)^d_iter: the a^2 coefficient of the slow root of the
    alternating block of Fig. 9c while that root is real (see
    :func:`~overgan_lib.theory.linear_system.alternating_eigenvalues`).

    Eliminating d from d' = (1 - q) r + q d, r' = r - a d' (a = eta s) gives heavy-ball momentum
    r' = r - a (1 - q) r + q (r - r_prev), with characteristic polynomial
    lambda^2 - (1 + q - a (1 - q)) lambda + q. Writing lambda = 1 - delta turns it into
    delta^2 - (1 - q)(1 + a) delta + a (1 - q) = 0, whose small root is
    delta = a + a^2 q / (1 - q) + O(a^3): lambda_slow = 1 - a - a^2 q / (1 - q) + O(a^3). Fewer
    ascent steps (larger q) give a larger coefficient and so a faster slow mode.
    """
    q = (1 - mu) ** d_iter
    return q / (1 - q)


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
