"""The Jacobian spectrum at initialisation: Lemmas A.6, A.7 and A.8.

All three are stated for V with i.i.d. N(0, sigma_v^2) entries, rows z_i ~ N(0, sigma_z^2 I_d)
and W_0 with i.i.d. N(0, sigma_w^2) entries. The common scale is
``c = sigma_z sqrt((d + (n - 1)/pi) / (2n)) = sqrt(E[D_ll^2]) / n``.
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
