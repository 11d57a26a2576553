"""Chapter 3 (perturbation analysis): Theorem A.4 and the spectrum of J(W_0).

Nonlinear against linearised GDA in lock-step across widths, checked against the bounds
(25)-(28) of Theorem A.4; sigma_min / sigma_max of J(W_0) against Lemmas A.7 / A.8 and
E[J J^T] against Lemma A.6.
(The lock-step runs and bounds themselves live in :mod:`overgan_lib.theory.perturbation`.)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from tqdm import tqdm

from ...profiles import validate_settings
from .. import reachability, spectra
from ..generator import (
    Problem,
    jacobian_factor,
    jacobian_singular_values,
    jjt,
    residual,
    sample_problem,
)
from ..perturbation import bound_margin, jacobian_pinv_norm, run_lockstep, theorem_a4_bounds
from ..solvers import normalized_eta
from .common import gaussian_targets, instance_seeds


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
        "b26u",
        "b27",
        "b28",
        "margin25",
        "margin26",
        "ok25",
        "ok26",
        "ok27",
        "ok28",
        "hyp_ok",
        "final_loss",
        "mu_cond",
        "nnls_floor",
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
            # beta, eps: maxima over every step t <= T (not only the recorded ones)
            alpha, beta = float(sv[s, -1]), float(h["beta_max"][s])
            eps = float(h["eps_max"][s])
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
                "b26u": b["b26_uniform"],
                "b27": b["b27"],
                "b28": b["b28"],
                # bound / measured at the recorded steps (where the measured value is > 0)
                "margin25": bound_margin(b["b25"], h["z"][s].numpy()),
                "margin26": bound_margin(b["b26"], z_gap),
                "ok25": np.all(h["z"][s].numpy() <= b["b25"] * (1 + 1e-9)),
                "ok26": np.all(z_gap <= b["b26"] * (1 + 1e-9) + 1e-12),
                "ok27": th_gap.max() <= b["b27"],
                "ok28": drift.max() <= b["b28"],
                "hyp_ok": b["hypotheses_ok"],
                "final_loss": float(h["z"][s, -1] ** 2),
                "mu_cond": mu / (8 * e * beta**2),
                # min_{a >= 0} ||V a - y||^2: ||r_t||^2 >= this for every t (f(W) = V a(W), a >= 0)
                "nnls_floor": reachability.nnls_residual(p.V[s].numpy(), p.y[s].numpy()) ** 2,
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
        # delta = 1/2, xi = 1/3 (A.7) and delta = 1/2 (A.8), as in the proof of Theorem 2.1
        lo[i] = spectra.lemma_a7_lower(k, m, d, n, sig_v, 1.0, spectra.A7_DELTA, spectra.A7_XI)
        hi[i] = spectra.lemma_a8_upper(k, m, d, n, sig_v, 1.0, spectra.A8_DELTA)
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
