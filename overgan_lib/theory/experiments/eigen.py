"""Chapter 2 (eigen-analysis of linearised GDA): Lemmas A.2 and A.3.

The spectral radius of the GDA transition matrix A against Lemma A.2's rate over random
draws, a search for violations outside its hypotheses, the transient constant kappa_i of
Lemma A.3 with the empirical gamma, on random draws and at the edge mu = 8 eta beta^2 with
beta / alpha near 1, and the exact region of (mu, condition number) where Lemma A.2's rate holds.
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


GAMMA_DRAWS = 200
"""How many of the Lemma A.3 draws (and how many edge draws) measure the transient constant."""


def _a3_draw(dr: dict[str, Any], T: int | None) -> dict[str, float]:
    """Lemma A.3 on one draw: max_i kappa_i (numerical and closed form), beta / alpha,
    mu / (8 eta beta^2), and, when ``T`` is given, the empirical gamma max_{t<=T} ||A^t|| /
    (1 - eta alpha^2)^t (:func:`~overgan_lib.theory.linear_system.transient_constant`)."""
    G = dr["J"] @ dr["J"].T
    s = np.linalg.eigvalsh(G)
    out = {"kappa": max(ls.kappa(si, dr["eta"], dr["mu"]) for si in s),
           "kappa_closed": max(ls.kappa_closed_form(si, dr["eta"], dr["mu"]) for si in s),
           "cond": dr["beta"] / dr["alpha"],
           "step_ratio": dr["mu"] / (8 * dr["eta"] * dr["beta"] ** 2)}
    if T is not None:
        out["gamma_emp"] = ls.transient_constant(G, dr["eta"], dr["mu"], dr["alpha"], T)
    return out


def _lemma_a2_draws(rng: np.random.Generator, cfg: dict[str, Any], progress: bool) -> dict:
    """Lemma A.2 on ``draws`` random draws: dense rho(A) against 1 - eta alpha^2."""
    a2 = {"rho": [], "bound": [], "closed_gap": [], "eta_beta2": [], "mu": [], "cond": []}
    for _ in tqdm(range(cfg["draws"]), desc="Lemma A.2 draws", disable=not progress):
        dr = ls.random_draw(rng, cfg["m"], cfg["p"], "a2")
        G = dr["J"] @ dr["J"].T
        rho = float(np.abs(np.linalg.eigvals(ls.transition_matrix(G, dr["eta"], dr["mu"]))).max())
        closed = ls.spectral_radius(np.linalg.eigvalsh(G), dr["eta"], dr["mu"])
        a2["rho"].append(rho)
        a2["bound"].append(ls.lemma_a2_bound(dr["alpha"], dr["eta"]))
        a2["closed_gap"].append(abs(rho - closed))
        a2["eta_beta2"].append(dr["eta"] * dr["beta"] ** 2)
        a2["mu"].append(dr["mu"])
        a2["cond"].append(dr["beta"] / dr["alpha"])
    return a2


def _violation_draws(rng: np.random.Generator, cfg: dict[str, Any], progress: bool) -> dict:
    """Draws outside Lemma A.2's hypothesis (mu < 4 eta beta^2): rho(A) against the rate."""
    vio = {"rho": [], "bound": [], "ratio": [], "complex": []}
    for _ in tqdm(range(cfg["violation_draws"]), desc="violation search", disable=not progress):
        dr = ls.random_draw(rng, cfg["m"], cfg["p"], "violate")
        s = np.linalg.eigvalsh(dr["J"] @ dr["J"].T)
        vio["rho"].append(ls.spectral_radius(s, dr["eta"], dr["mu"]))
        vio["bound"].append(ls.lemma_a2_bound(dr["alpha"], dr["eta"]))
        vio["ratio"].append(dr["mu"] / (4 * dr["eta"] * dr["beta"] ** 2))
        vio["complex"].append(bool(np.any(dr["mu"] < 4 * dr["eta"] * s)))
    return vio


def _stack(rows: list[dict[str, float]], prefix: str) -> dict[str, np.ndarray]:
    """Rows of per-draw values as arrays, one per key, named ``prefix + key``."""
    keys = {k for r in rows for k in r}
    return {f"{prefix}{k}": np.array([r[k] for r in rows if k in r]) for k in sorted(keys)}


def eigen_checks(cfg: dict[str, Any], seed: int, progress: bool = True) -> dict[str, Any]:
    """Chapter 2: Lemma A.2 over random draws, a violation search, and Lemma A.3 (kappa_i and
    the empirical gamma) on random draws and on edge draws (mu = 8 eta beta^2, beta / alpha
    near 1: :func:`~overgan_lib.theory.linear_system.edge_draw`), whose gamma is ``a3_edge_*``.

    The random draws come first, in the order they always had, so adding the edge draws (drawn
    last, from the same generator) leaves every earlier array as it was.
    """
    validate_settings(cfg)
    rng = np.random.default_rng(seed)
    m, p_dim, T = cfg["m"], cfg["p"], cfg["gamma_T"]
    out = {f"a2_{k}": np.array(v) for k, v in _lemma_a2_draws(rng, cfg, progress).items()}
    out.update({f"vio_{k}": np.array(v) for k, v in _violation_draws(rng, cfg, progress).items()})
    a3 = [_a3_draw(ls.random_draw(rng, m, p_dim, "a3"), T if i < GAMMA_DRAWS else None)
          for i in tqdm(range(cfg["draws"]), desc="Lemma A.3 draws", disable=not progress)]
    out.update(_stack(a3, "a3_"))
    out["a3_gamma_bound"] = out["a3_kappa"][:GAMMA_DRAWS]  # the lemma's gamma, per gamma draw
    edge = [_a3_draw(ls.edge_draw(rng, m, p_dim, T), T)
            for _ in tqdm(range(GAMMA_DRAWS), desc="Lemma A.3 edge draws", disable=not progress)]
    out.update(_stack(edge, "a3_edge_"))
    return out
