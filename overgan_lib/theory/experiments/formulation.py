"""Chapter 1 (problem formulation): the experiment behind eqs. 2, 5 and 33.

The inner maximum of eq. 2, found by a generic optimiser (BFGS) on the objective as written with
its gradient from autograd, against the closed-form mean gap x-bar - f(W) (which also checks the
sign convention of the solvers, eq. 13); the Jacobian of eq. 33 against autograd; and GDA
(eq. 3) and GD (eq. 5) reaching the same saddle W, next to the linearised limit
theta_0 - J_0^+ r_0 of eq. 17 (:func:`linear_limit`), across widths k.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from scipy.optimize import minimize
from tqdm import tqdm

from ...errors import check_int
from ...profiles import validate_settings
from ..generator import (
    Problem,
    f,
    jacobian,
    jacobian_autograd,
    jjt,
    residual,
    sample_problem,
)
from ..solvers import normalized_eta, run_gd, run_gda
from ..synthetic import gaussian_data
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


def eq2_objective(W: torch.Tensor, d: torch.Tensor, p: Problem, x: torch.Tensor) -> torch.Tensor:
    """L(W, d) of eq. 2 exactly as written: <d, (1/n) sum_i (x_i - V phi(W z_i))> - ||d||^2 / 2.

    ``x`` holds the n data points (n, m); ``p`` the first instance's V and Z (batch of one).
    """
    gen = torch.relu(p.Z[0] @ W.T) @ p.V[0].T  # (n, m): V phi(W z_i) per sample
    return (d * (x - gen)).mean(0).sum() - 0.5 * (d * d).sum()


def inner_maximum(p: Problem, W: torch.Tensor, x: torch.Tensor, mu: float, eta: float
                  ) -> dict[str, Any]:
    """Maximise eq. 2 over d at fixed W with BFGS, gradients by autograd, from d = 0.

    Nothing here uses the closed form: the optimiser sees only L(W, .) of eq. 2 and its autograd
    gradient. Returned, to compare with the mean gap x-bar - f(W) (eq. 5): the maximiser, its
    value, the BFGS path's distance to the mean gap, the autograd Hessian's distance to -I
    (eq. 2 is concave), and ``sign_dev``: one step of the solvers' GDA (eq. 13, discriminator
    d_s) against eq. 3 on eq. 2 as written from d = -d_s, both updates (the sign convention),
    with steps ``mu`` (d) and ``eta`` (W).
    """
    x = torch.as_tensor(x, dtype=W.dtype)
    W1 = W[0].detach()
    gap = (x.mean(0) - f(p, W)[0]).detach()  # closed form: the mean gap of eq. 5

    def neg(dv):
        d = torch.tensor(dv, dtype=W.dtype, requires_grad=True)
        val = -eq2_objective(W1, d, p, x)
        (g,) = torch.autograd.grad(val, d)
        return float(val.detach()), g.numpy()

    path = [np.zeros(len(gap))]
    res = minimize(neg, path[0], jac=True, method="BFGS", callback=lambda v: path.append(v.copy()),
                   options={"gtol": 1e-13})
    d_hat = torch.tensor(res.x, dtype=W.dtype)
    hess = torch.autograd.functional.hessian(lambda d: eq2_objective(W1, d, p, x), d_hat)
    # Sign convention: one step of the solvers' GDA (eq. 13) from (W, d_s) against eq. 3 on eq. 2
    # as written, from (W, d = -d_s), with autograd gradients of L; expect d_1 = -d_s,1, W_1 equal.
    d_s = torch.randn(len(gap), generator=torch.Generator().manual_seed(1), dtype=W.dtype)
    one = run_gda(Problem(p.V, p.Z, W, p.y), eta, mu, 1, d0=d_s.unsqueeze(0))
    Wg, dg = W1.clone().requires_grad_(True), (-d_s).clone().requires_grad_(True)
    gW, gd = torch.autograd.grad(eq2_objective(Wg, dg, p, x), (Wg, dg))
    sign_dev = max(float((one.d[0] + (-d_s + mu * gd)).abs().max()),
                   float((one.W[0] - (W1 - eta * gW)).abs().max()))
    return {
        "inner_argmax": res.x,
        "mean_gap": gap.numpy(),
        "inner_max_value": float(-res.fun),
        "closed_form_value": float(0.5 * (gap * gap).sum()),
        "bfgs_gap": np.array([float(np.linalg.norm(v - gap.numpy())) for v in path]),
        "bfgs_grad_norm": float(np.linalg.norm(res.jac)),
        "hessian_dev": float((hess + torch.eye(len(gap), dtype=W.dtype)).abs().max()),
        "sign_dev": sign_dev,
        "xbar_dev": float((x.mean(0) - p.y[0]).abs().max()),
    }


def formulation(cfg: dict[str, Any], seed: int, progress: bool = True) -> dict[str, Any]:
    """Chapter 1: optimal d = mean gap, eq. 33 vs autograd, GDA and GD reach one saddle."""
    validate_settings(cfg)
    check_int("seed", seed)
    m, d, n, k, T, mu = cfg["m"], cfg["d"], cfg["n"], cfg["k"], cfg["T"], cfg["mu"]
    y = gaussian_targets(m, n, seed, 1)
    p = sample_problem(y, k, d, n, instance_seeds(seed, 1))
    out: dict[str, Any] = {"xbar": y[0].numpy()}

    # The inner maximum of eq. 2 as written, by BFGS with autograd gradients (not the closed form).
    W_rand = p.W0 + 0.5 * torch.randn(
        p.W0.shape, generator=torch.Generator().manual_seed(seed), dtype=p.W0.dtype
    )
    out.update(inner_maximum(p, W_rand, gaussian_data(m, n, 10_000 + instance_seeds(seed, 1)[0]),
                             mu, cfg["sign_eta"]))

    # Eq. 33 against reverse-mode autograd at W_0 and at a perturbed point.
    errs = []
    for W in (p.W0, W_rand):
        J = jacobian(p, W)
        errs.append(float((J - jacobian_autograd(p, W)).abs().max() / J.abs().max()))
    out["jacobian_rel_err"] = np.array(errs)
    out["jacobian_shape"] = np.array(jacobian(p, p.W0).shape[1:])

    # One instance: GDA and GD side by side.
    eta = normalized_eta(p, cfg["eta_bar"])
    gda = run_gda(p, eta, mu, T, record_every=10)
    gd = run_gd(p, eta, T, record_every=10)
    out.update(
        steps=gda.steps.numpy(),
        gda_loss=gda.loss[0].numpy(),
        gd_loss=gd.loss[0].numpy(),
        gda_disc=gda.disc[0].numpy(),
        eta=float(eta.flatten()[0]),
        jnorm0_sq=float(torch.linalg.eigvalsh(jjt(p, p.W0))[0, -1]),
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
        eta = normalized_eta(pw, cfg["eta_bar"])
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
