"""The Jacobian spectrum at initialisation: Lemmas A.6, A.7 and A.8.

All three are stated for V with i.i.d. N(0, sigma_v^2) entries, rows z_i ~ N(0, sigma_z^2 I_d)
and W_0 with i.i.d. N(0, sigma_w^2) entries. The common scale is
``c = sqrt((d + (n - 1)/pi) / (2n))``, without sigma_z as in chapters 3 and 4, so that
``sigma_z c = sqrt(E[D_ll^2]) / n = sqrt(jjt_scale)``; the local ``c`` in the functions below is
``sqrt(jjt_scale)``, i.e. sigma_z c.

Reconstruction note: the extracted statements are garbled. E[D_ll^2] of Lemma A.6 prints as
"sigma^2 (n2d + --)"; it is rebuilt as sigma_z^2 (n d / 2 + n (n - 1) / (2 pi)), the value that
the lemma's own corollary E[J J^T | V] = sigma_z^2 (d + (n - 1)/pi) / (2n) V V^T requires
(J J^T = V D^2 V^T / n^2, eq. 34), and chapter 3 checks it by Monte Carlo. Lemma A.7 (A.8) holds
for 0 <= delta <= 3/2 with probability at least 1 - 3 e^{-xi^2 m / 8} (1 - e^{-m}) minus
2k (k) (e^{-n delta^2/18} + e^{-d delta^2/54} + e^{-c1 n delta}); ``xi`` is A.7's deviation
parameter, printed as eta there.

The parameters the proof of Theorem 2.1 uses (:data:`A7_DELTA`, :data:`A7_XI`, :data:`A8_DELTA`)
print as "delta = 1 and eta = 3" (A.7) and "delta = 2" (A.8): the fraction bars are lost. They are
rebuilt as delta = 1/2, xi = 1/3 from three independent pieces of the same proof:

* the alpha it derives from A.7 prints as sigma_v sigma_z (1/2 sqrt(k - 9) - 2 sqrt m) c (App.
  A.6, checking Assumption 3 and bounding R, and App. A.7):
  sqrt((1 - delta)^2 k - (1 + delta)^2) = sqrt(k - 9)/2 needs delta = 1/2, and then
  sqrt(m) (1 + xi)(1 + delta) = 2 sqrt(m) needs xi = 1/3;
* its failure term prints as "3e-m2", i.e. 3 e^{-m/72} = 3 e^{-xi^2 m/8} at xi = 1/3 (xi = 3
  would give 3 e^{-9m/8}), and e^{-d/216} is e^{-d delta^2/54} at delta = 1/2;
* A.8's "delta = 2" gives zeta = (3/2) sigma_v sigma_z (sqrt k + 2 sqrt m) c, printed with the 3
  over the 2, i.e. 1 + delta = 3/2 (and delta = 2 would lie outside 0 <= delta <= 3/2).
"""

from __future__ import annotations

import math

A7_DELTA = 0.5
"""delta of Lemma A.7 in the proof of Theorem 2.1 (printed "delta = 1"; see the module note)."""
A7_XI = 1 / 3
"""Deviation parameter xi of Lemma A.7 in the proof of Theorem 2.1 (printed "eta = 3")."""
A8_DELTA = 0.5
"""delta of Lemma A.8 in the proof of Theorem 2.1 (printed "delta = 2")."""


def expected_d2(sigma_z: float, d: int, n: int) -> float:
    """E[D_ll^2] = sigma_z^2 (n d / 2 + n (n - 1) / (2 pi)) (Lemma A.6, eq. 34)."""
    return sigma_z**2 * (n * d / 2 + n * (n - 1) / (2 * math.pi))


def jjt_scale(sigma_z: float, d: int, n: int) -> float:
    """E[J J^T | V] = jjt_scale * V V^T with jjt_scale = sigma_z^2 (d + (n-1)/pi) / (2n)."""
    return expected_d2(sigma_z, d, n) / n**2


def lemma_a7_lower(
    k: int, m: int, d: int, n: int, sigma_v: float, sigma_z: float,
    delta: float = A7_DELTA, xi: float = A7_XI,
) -> float:
    """Lemma A.7's lower bound on sigma_min(J(W_0)):
    (sqrt((1 - delta)^2 k - (1 + delta)^2) - sqrt(m) (1 + xi)(1 + delta)) sigma_v sigma_z c;
    ``xi`` is the lemma's deviation parameter (printed as eta there). At the defaults this is
    the alpha of the proof of Theorem 2.1, (sqrt(k - 9)/2 - 2 sqrt m) sigma_v sigma_z c.
    Negative values mean the bound is vacuous."""
    lead = math.sqrt(max((1 - delta) ** 2 * k - (1 + delta) ** 2, 0.0))
    c = math.sqrt(jjt_scale(sigma_z, d, n))
    return (lead - math.sqrt(m) * (1 + xi) * (1 + delta)) * sigma_v * c


def lemma_a7_failure_known(k: int, m: int, d: int, n: int, delta: float = A7_DELTA,
                           xi: float = A7_XI) -> float:
    """The terms of Lemma A.7's failure probability whose constants are printed:
    3 e^{-xi^2 m/8} + 2k (e^{-n delta^2/18} + e^{-d delta^2/54}); the term 2k e^{-c1 n delta}
    has an unknown c1 and is left out, so a value >= 1 already makes the lemma vacuous."""
    return 3 * math.exp(-xi**2 * m / 8) + 2 * k * (
        math.exp(-n * delta**2 / 18) + math.exp(-d * delta**2 / 54))


def lemma_a8_failure_known(k: int, m: int, d: int, n: int, delta: float = A8_DELTA) -> float:
    """Lemma A.8's failure terms with printed constants: e^{-m} + k (e^{-n delta^2/18}
    + e^{-d delta^2/54}) (the unknown-constant term k e^{-c1 n delta} left out)."""
    return math.exp(-m) + k * (math.exp(-n * delta**2 / 18) + math.exp(-d * delta**2 / 54))


def lemma_a8_upper(
    k: int, m: int, d: int, n: int, sigma_v: float, sigma_z: float, delta: float = A8_DELTA
) -> float:
    """Lemma A.8's upper bound (1 + delta) sigma_v sigma_z c (sqrt k + 2 sqrt m)."""
    c = math.sqrt(jjt_scale(sigma_z, d, n))
    return (1 + delta) * sigma_v * c * (math.sqrt(k) + 2 * math.sqrt(m))


def edge_prediction(k: int, m: int, d: int, n: int, sigma_v: float, sigma_z: float) -> tuple:
    """Heuristic edges sigma_v sigma_z c (sqrt k -+ sqrt m): Bai-Yin for V times the concentrated
    D."""
    c = math.sqrt(jjt_scale(sigma_z, d, n)) * sigma_v
    return c * max(math.sqrt(k) - math.sqrt(m), 0.0), c * (math.sqrt(k) + math.sqrt(m))
