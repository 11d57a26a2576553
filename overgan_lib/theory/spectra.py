"""The Jacobian spectrum at initialisation: Lemmas A.6, A.7 and A.8.

All three are stated for V with i.i.d. N(0, sigma_v^2) entries, rows z_i ~ N(0, sigma_z^2 I_d)
and W_0 with i.i.d. N(0, sigma_w^2) entries. The common scale is
``c = sigma_z sqrt((d + (n - 1)/pi) / (2n)) = sqrt(E[D_ll^2]) / n``.

Reconstruction note: the extracted statements are garbled. E[D_ll^2] of Lemma A.6 prints as
"sigma^2 (n2d + --)"; it is rebuilt as sigma_z^2 (n d / 2 + n (n - 1) / (2 pi)), the value that
the lemma's own corollary E[J J^T | V] = sigma_z^2 (d + (n - 1)/pi) / (2n) V V^T requires
(J J^T = V D^2 V^T / n^2, eq. 34), and chapter 3 checks it by Monte Carlo. Lemma A.7 (A.8) holds
for 0 <= delta <= 3/2 with probability at least 1 - 3 e^{-t^2 m / 8} (1 - e^{-m}) minus
2k (k) (e^{-n delta^2/18} + e^{-d delta^2/54} + e^{-c1 n delta}). The proof of Theorem 2.1 prints
"delta = 1 and eta = 3" for A.7; delta = 1 makes the bound vacuous ((1 - delta)^2 k = 0) and
its failure term e^{-d/216} is e^{-d delta^2/54} at delta = 1/2, so delta = 1/2, t = 3 is read.
"""

from __future__ import annotations

import math


def expected_d2(sigma_z: float, d: int, n: int) -> float:
    """E[D_ll^2] = sigma_z^2 (n d / 2 + n (n - 1) / (2 pi)) (Lemma A.6, eq. 34)."""
    return sigma_z**2 * (n * d / 2 + n * (n - 1) / (2 * math.pi))


def jjt_scale(sigma_z: float, d: int, n: int) -> float:
    """E[J J^T | V] = jjt_scale * V V^T with jjt_scale = sigma_z^2 (d + (n-1)/pi) / (2n)."""
    return expected_d2(sigma_z, d, n) / n**2


def lemma_a7_lower(
    k: int, m: int, d: int, n: int, sigma_v: float, sigma_z: float, delta: float, t: float
) -> float:
    """Lemma A.7's lower bound on sigma_min(J(W_0)); ``t`` is the lemma's deviation
    parameter (printed as eta there). Negative values mean the bound is vacuous."""
    lead = math.sqrt(max((1 - delta) ** 2 * k - (1 + delta) ** 2, 0.0))
    c = math.sqrt(jjt_scale(sigma_z, d, n))
    return (lead - math.sqrt(m) * (1 + t) * (1 + delta)) * sigma_v * c


def lemma_a8_upper(
    k: int, m: int, d: int, n: int, sigma_v: float, sigma_z: float, delta: float
) -> float:
    """Lemma A.8's upper bound (1 + delta) sigma_v sigma_z (sqrt k + 2 sqrt m) sqrt(...)."""
    c = math.sqrt(jjt_scale(sigma_z, d, n))
    return (1 + delta) * sigma_v * c * (math.sqrt(k) + 2 * math.sqrt(m))


def edge_prediction(k: int, m: int, d: int, n: int, sigma_v: float, sigma_z: float) -> tuple:
    """Heuristic edges sigma_v c (sqrt k -+ sqrt m): Bai-Yin for V times the concentrated D."""
    c = math.sqrt(jjt_scale(sigma_z, d, n)) * sigma_v
    return c * max(math.sqrt(k) - math.sqrt(m), 0.0), c * (math.sqrt(k) + math.sqrt(m))
