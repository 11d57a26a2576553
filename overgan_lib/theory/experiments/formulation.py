"""Chapter 1 (problem formulation): the experiment behind eqs. 2, 5 and 33.

The inner maximum of eq. 2 reached by discriminator ascent against its closed form
d* = f(W) - y, the Jacobian of eq. 33 against autograd, and GDA (eq. 2) and GD (eq. 5)
reaching the same saddle W, next to the linearised limit theta_0 - J_0^+ r_0 of eq. 17
(:func:`linear_limit`), across widths k.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from tqdm import tqdm

from ...errors import check_int
from ...profiles import validate_settings
from ..generator import Problem, f, jacobian, jacobian_autograd, residual, sample_problem
from ..solvers import normalized_eta, optimal_discriminator, run_gd, run_gda
from .common import gaussian_targets, instance_seeds


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
