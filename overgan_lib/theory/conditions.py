"""Hypotheses of Theorems 2.1 / 2.2 evaluated at given sizes (reconstructed from App. A.6-A.7).

The extracted statements are garbled; what is rebuilt here, from the proofs:

* step size of Theorem 2.1: eta = eta_bar mu / (324 k sigma_v^2 sigma_z^2 (d + (n - 1)/pi) / (2n)),
  eta_bar <= 1, and rate (1 - 1e-5 eta_bar mu)^tau with a factor 5 (eq. 4); Theorem 2.2 (GD):
  eta = eta_bar / (243 k sigma_v^2 sigma_z^2 (d + (n - 1)/pi) / (2n)), rate (1 - 4e-6 eta_bar)^tau,
  no factor 5 and no mu;
* probability of Theorem 2.1: at least 1 - (n + 5) e^{-m/1500} - 5k e^{-c1 n} - (2k + 2) e^{-d/216}
  - n e^{-c2 m d^3 log^2 d}; the e^{-d/216} is Lemma A.6's e^{-d delta^2/54} at delta = 1/2;
* scales: the proof's closing condition (end of App. A.6; A.7 ends with the same form,
  constants aside) is (2/3) s (d log d)^{3/2} sqrt(k d m) + (d log d)^{3/2} ||x-bar|| <= c k s
  with s = sigma_v sigma_w sigma_z and c the proof's unspecified constant. Its first term is what
  k >= C m d^4 log^3 d covers (alone it asks k >= (4/9) m d^4 log^3 d / c^2); the second is what
  the statement's floor s >= ||x-bar|| / (m d^{5/2} log^{3/2} d) covers, printed without a
  constant but derived from the condition only up to one (1/(c C)) and only together with that
  k. With sigma_v = 1/sqrt(k) the whole condition is a lower bound on k
  (:func:`proof_scale_min_width`).
"""

from __future__ import annotations

import math

import numpy as np


def failure_terms_known(k: int, m: int, d: int, n: int) -> dict[str, float]:
    """The terms of Theorem 2.1's failure probability whose constants are printed.

    ``lemma_a6`` = (2k + 2) e^{-d/216} and ``misfit`` = (n + 5) e^{-m/1500}; the other two terms
    carry unknown constants c1, c2 and are left out, so 1 - their sum only *upper*-bounds the
    guaranteed probability. A sum >= 1 makes the guarantee vacuous.
    """
    a6 = (2 * k + 2) * math.exp(-d / 216)
    misfit = (n + 5) * math.exp(-m / 1500)
    return {"lemma_a6": a6, "misfit": misfit, "sum": a6 + misfit}


def min_latent_dim(k: int) -> float:
    """The d at which (2k + 2) e^{-d/216} = 1: the guarantee needs d > 216 ln(2k + 2)."""
    return 216 * math.log(2 * k + 2)


def sigma_product_floor(xbar_norm: float, m: int, d: int) -> float:
    """||x-bar|| / (m d^{5/2} log^{3/2} d): Theorem 2.1's floor on sigma_v sigma_w sigma_z, up to a
    constant (natural log; needs d >= 2)."""
    if d < 2:
        raise ValueError(f"d={d} must be at least 2 (log d > 0)")
    return xbar_norm / (m * d**2.5 * math.log(d) ** 1.5)


def proof_scale_min_width(xbar_norm: float, m: int, d: int, c: float = 1.0,
                          part: str = "both") -> float:
    """Smallest k meeting the proof's closing condition (end of App. A.6),
    (2/3) s (d log d)^{3/2} sqrt(k d m) + (d log d)^{3/2} ||x-bar|| <= c k s with
    s = sigma_v sigma_w sigma_z, at sigma_v = 1/sqrt(k), sigma_w = sigma_z = 1 (so s = 1/sqrt(k)):
    sqrt(k) >= (d log d)^{3/2} ((2/3) sqrt(d m) + ||x-bar||) / c. ``part`` = "width" keeps only the
    first term (k >= (4/9) m d^4 log^3 d / c^2: the theorem's width requirement), "xbar" only the
    second (k >= (d log d)^3 ||x-bar||^2 / c^2). Natural log; c is the proof's unspecified
    constant, which it takes below 1 in eq. 36, so c = 1 is a generous choice."""
    if d < 2:
        raise ValueError(f"d={d} must be at least 2 (log d > 0)")
    terms = {"width": 2 / 3 * math.sqrt(d * m), "xbar": xbar_norm}
    terms["both"] = terms["width"] + terms["xbar"]
    if part not in terms:
        raise ValueError(f"part={part!r} must be one of {sorted(terms)}")
    return ((d * math.log(d)) ** 1.5 * terms[part] / c) ** 2


def jjt_scale(d: int, n: int) -> float:
    """(d + (n - 1)/pi) / (2n): E[J J^T | V] / (sigma_z^2 V V^T) (Lemma A.6)."""
    return (d + (n - 1) / math.pi) / (2 * n)


def theorem21_max_step(k: int, d: int, n: int, mu: float, sigma_v: float,
                       sigma_z: float = 1.0) -> float:
    """Theorem 2.1's largest step (eta_bar = 1): mu / (324 k sigma_v^2 sigma_z^2 c) with
    c = (d + (n - 1)/pi) / (2n)."""
    return mu / (324 * k * sigma_v**2 * sigma_z**2 * jjt_scale(d, n))


def theorem21_rate(eta_bar: float, mu: float) -> float:
    """Theorem 2.1's guaranteed per-step decay of ||r_tau||: 1e-5 eta_bar mu (eq. 4)."""
    return 1e-5 * eta_bar * mu


def step_condition_ratio(mu: float, eta: np.ndarray, beta_sq: np.ndarray) -> np.ndarray:
    """mu / (8 eta beta^2): at least 1 iff Lemma A.3's / Theorem A.4's step condition holds."""
    return mu / (8 * np.asarray(eta, dtype=float) * np.asarray(beta_sq, dtype=float))


def theorem21_step_ratio(eta_bar: float, jnorm0_sq: np.ndarray, widths: np.ndarray, d: int,
                         n: int, mu: float) -> np.ndarray:
    """How many times the book's step eta = eta_bar / ||J(W_0)||^2 exceeds Theorem 2.1's
    largest step (:func:`theorem21_max_step` with sigma_v = 1/sqrt(k), sigma_z = 1), per width
    (rows of ``jnorm0_sq``, one per entry of ``widths``) and seed."""
    jn = np.asarray(jnorm0_sq, dtype=float)
    caps = np.array([theorem21_max_step(int(k), d, n, mu, int(k) ** -0.5) for k in widths])
    return (eta_bar / jn) / caps.reshape(-1, *([1] * (jn.ndim - 1)))
