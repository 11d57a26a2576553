"""Chapter 2 (eigen-analysis of linearised GDA): Lemmas A.2 and A.3.

The spectral radius of the GDA transition matrix A against Lemma A.2's rate over random
draws, a search for violations outside its hypotheses, the transient constant kappa_i of
Lemma A.3, and the exact region of (mu, condition number) where Lemma A.2's rate holds.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from tqdm import tqdm

from ...profiles import validate_settings
from .. import linear_system as ls


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
