"""The linearised GDA system of eq. 21 and Lemmas A.2 / A.3.

A = [[I, -eta J J^T], [mu I, (1 - mu) I]] acts on z~ = (r~, d~). In the eigenbasis of
J J^T it splits into 2x2 blocks C_i = [[1, -eta s_i], [mu, 1 - mu]] (proof of Lemma A.3),
whose eigenvalues are 1 - mu/2 +- sqrt(mu^2/4 - mu eta s_i).

The extracted text of both lemmas is garbled. Reconstructed from their proofs:

* Lemma A.2: if alpha <= sigma_min(J) <= sigma_max(J) <= beta, 0 < mu <= 1 and
  mu >= 4 eta beta^2, then rho(A) <= 1 - eta alpha^2. (mu <= 1 is the book's addition, from
  Theorem A.4; mu <= 2 suffices, since lambda_+ + lambda_- = 2 - mu keeps |lambda_-| <= lambda_+.)
* Lemma A.3: if moreover mu >= 8 eta beta^2, each C_i = V_i D_i V_i^{-1} with
  kappa_i = ||V_i|| ||V_i^{-1}|| <= 5, so ||z~_t|| <= 5 (1 - eta alpha^2)^t ||z~_0||.
"""

from __future__ import annotations

import numpy as np


def transition_matrix(jjt: np.ndarray, eta: float, mu: float) -> np.ndarray:
    """A of eq. 21 for a given J J^T (m x m), shape (2m, 2m)."""
    m = jjt.shape[0]
    eye = np.eye(m)
    return np.block([[eye, -eta * jjt], [mu * eye, (1 - mu) * eye]])


def block_eigenvalues(s: np.ndarray, eta: float, mu: float) -> np.ndarray:
    """Closed-form eigenvalues of C_i for eigenvalues s of J J^T, shape (len(s), 2)."""
    s = np.asarray(s, dtype=float)
    disc = np.sqrt((mu**2 / 4 - mu * eta * s).astype(complex))
    return np.stack([1 - mu / 2 + disc, 1 - mu / 2 - disc], axis=-1)


def spectral_radius(s: np.ndarray, eta: float, mu: float) -> float:
    """rho(A) from the block eigenvalues (equal to max |eig(A)|)."""
    return float(np.abs(block_eigenvalues(s, eta, mu)).max())


def lemma_a2_holds(alpha: float, beta: float, eta: float, mu: float) -> bool:
    """The reconstructed step-size condition of Lemma A.2: 0 < mu <= 1, mu >= 4 eta beta^2."""
    return 0 < mu <= 1 and mu >= 4 * eta * beta**2 and eta > 0 and alpha <= beta


def lemma_a2_bound(alpha: float, eta: float) -> float:
    """The rate of Lemma A.2: rho(A) <= 1 - eta alpha^2."""
    return 1 - eta * alpha**2


def lemma_a3_holds(beta: float, eta: float, mu: float) -> bool:
    """The reconstructed condition of Lemma A.3: 0 < mu <= 1 and mu >= 8 eta beta^2."""
    return 0 < mu <= 1 and mu >= 8 * eta * beta**2 and eta > 0


def paper_eigenvectors(s: float, eta: float, mu: float) -> np.ndarray:
    """V_i of Lemma A.3's proof: columns ((1 -+ q)/2, 1) with q = sqrt(1 - 4 eta s / mu).

    Valid (real, distinct) for mu > 4 eta s; columns are eigenvectors of C_i.
    """
    q = np.sqrt(1 - 4 * eta * s / mu)
    return np.array([[(1 - q) / 2, (1 + q) / 2], [1.0, 1.0]])


def kappa(s: float, eta: float, mu: float) -> float:
    """kappa_i = ||V_i|| ||V_i^{-1}|| for the paper's eigenvector choice (Lemma A.3)."""
    return float(np.linalg.cond(paper_eigenvectors(s, eta, mu), 2))


def kappa_closed_form(s: float, eta: float, mu: float) -> float:
    """sqrt(lambda_max / lambda_min) of V_i V_i^T = [[(1+q^2)/2, 1], [1, 2]].

    trace = (5 + q^2)/2, det = q^2; this is the computation the proof sketches.
    """
    q2 = 1 - 4 * eta * s / mu
    tr, det = (5 + q2) / 2, q2
    root = np.sqrt(tr**2 / 4 - det)
    return float(np.sqrt((tr / 2 + root) / (tr / 2 - root)))


def kappa_step_ratio(gamma: float) -> float:
    """The mu / (eta s) at which kappa_closed_form equals ``gamma``: the smallest ratio for which
    every block with eigenvalue s has kappa_i <= gamma (kappa falls as mu / (eta s) grows).

    kappa^2 = lambda_max / lambda_min of V_i V_i^T with lambda_max lambda_min = q^2 and
    lambda_max + lambda_min = (5 + q^2)/2, so lambda_min = q / kappa, lambda_max = q kappa and
    q^2 - 2 (kappa + 1/kappa) q + 5 = 0; then mu / (eta s) = 4 / (1 - q^2). kappa is at least
    its value at q = 1 (mu / (eta s) -> infinity), (3 + sqrt 5)/2; below that there is no ratio.
    For gamma = 5 (Lemma A.3) the ratio is about 5.37 < 8: mu >= 8 eta beta^2 is sufficient for
    kappa_i <= 5, not necessary.
    """
    floor = (3 + np.sqrt(5)) / 2
    if not gamma > floor:
        raise ValueError(f"gamma={gamma} must exceed (3 + sqrt 5)/2 = {floor:.4f}")
    h = gamma + 1 / gamma
    q = h - np.sqrt(h * h - 5)
    return float(4 / (1 - q * q))


def slow_decay_at_edge() -> float:
    """(1 - lambda_+) / (eta s) for a block at mu = 8 eta s, the edge of Lemma A.3's hypothesis.

    lambda_+ = 1 - mu (1 - q) / 2 with q = sqrt(1 - 4 eta s / mu) = 1 / sqrt 2 there, so the slow
    eigenvalue is 1 - 4 (1 - 1/sqrt 2) eta s = 1 - 1.17 eta s: barely faster than Lemma A.2's rate
    1 - eta alpha^2 when s = beta^2 ~ alpha^2. Computed from :func:`block_eigenvalues` (eta s =
    1e-3), which is exact in eta s here since both eigenvalues scale with mu at fixed mu / (eta s).
    """
    eta_s = 1e-3
    lam = block_eigenvalues(np.array([eta_s]), 1.0, 8 * eta_s)[0]
    return float((1 - lam.real.max()) / eta_s)


def slow_projector_norm(s: float, eta: float, mu: float) -> float:
    """||P_+||, the spectral projector of C_i onto its slow eigenvector (eigenvalue lambda_+).

    With V_i of Lemma A.3's proof, the second column ((1 + q)/2, 1) is the slow eigenvector
    (C_i v = (1 - mu (1 - q)/2) v), so P_+ = V_i e_2 e_2^T V_i^{-1}. As eta s / mu -> 0 (q -> 1)
    P_+ -> [[1, 0], [1, 0]], norm sqrt 2 (the discriminator tracks the residual); at mu = 8 eta s
    (q^2 = 1/2) it is larger.
    """
    V = paper_eigenvectors(s, eta, mu)
    return float(np.linalg.norm(np.outer(V[:, 1], np.linalg.inv(V)[1]), 2))


def transient_constant(jjt: np.ndarray, eta: float, mu: float, alpha: float, T: int) -> float:
    """Empirical gamma: max_{t <= T} ||A^t|| / (1 - eta alpha^2)^t (cf. Lemma A.3)."""
    A = transition_matrix(jjt, eta, mu)
    rate = lemma_a2_bound(alpha, eta)
    P = np.eye(A.shape[0])
    worst = 1.0
    for t in range(1, T + 1):
        P = P @ A
        worst = max(worst, np.linalg.norm(P, 2) / rate**t)
    return float(worst)


DRAW_MU = (0.01, 1.0)
"""mu of a random draw is uniform on this interval (:func:`random_draw`)."""
VIOLATION_MAX = 50.0
"""A "violate" draw takes eta log-uniformly from 1 to this many times mu / (4 beta^2)."""


def random_draw(rng: np.random.Generator, m: int, p: int, condition: str) -> dict:
    """One random (J, eta, mu) draw for the Lemma A.2/A.3 checks.

    ``condition``: "a2" (mu >= 4 eta beta^2), "a3" (mu >= 8 eta beta^2), or "violate"
    (mu < 4 eta beta^2, the regime the lemmas exclude). Scales are drawn log-uniformly
    so that well- and ill-conditioned J both appear.
    """
    J = rng.standard_normal((m, p)) * np.exp(rng.uniform(-2, 2, size=(m, 1)))
    sv = np.linalg.svd(J, compute_uv=False)
    alpha, beta = sv.min(), sv.max()
    mu = float(rng.uniform(*DRAW_MU))
    if condition == "a2":
        eta = mu / (4 * beta**2) * rng.uniform(0.01, 1.0)
    elif condition == "a3":
        eta = mu / (8 * beta**2) * rng.uniform(0.01, 1.0)
    elif condition == "violate":
        eta = mu / (4 * beta**2) * np.exp(rng.uniform(0.0, np.log(VIOLATION_MAX)))
    else:
        raise ValueError(f"unknown condition {condition!r}")
    return {"J": J, "alpha": float(alpha), "beta": float(beta), "eta": float(eta), "mu": mu}


EDGE_COND_MAX = 2.0
"""An "edge" draw (:func:`edge_draw`) takes beta / alpha log-uniformly from 1 to this."""
EDGE_MU_STEPS = 10.0
"""An edge draw's mu is at least this over the horizon T of :func:`transient_constant`: with
mu T >= 10 the fast mode (lambda_- ~ 1 - 0.85 mu) has died out by e^-8 within t <= T, so the
maximum over t <= T is the transient's (at alpha = beta it is reached at mu t ~ 4.5)."""


def singular_value_matrix(rng: np.random.Generator, sv: np.ndarray, p: int) -> np.ndarray:
    """A random m x p matrix U diag(sv) W^T with Haar-random orthonormal U (m x m), W (p x m)."""
    m = len(sv)
    U = np.linalg.qr(rng.standard_normal((m, m)))[0]
    W = np.linalg.qr(rng.standard_normal((p, m)))[0]
    return (U * sv) @ W.T


def edge_draw(rng: np.random.Generator, m: int, p: int, T: int) -> dict:
    """One draw at the edge of Lemma A.3's hypothesis: mu = 8 eta beta^2 exactly, beta / alpha
    log-uniform on [1, :data:`EDGE_COND_MAX`] (the other singular values uniform in between),
    beta log-uniform on [e^-2, e^2] and mu uniform on [max(:data:`DRAW_MU` low,
    :data:`EDGE_MU_STEPS` / T), :data:`DRAW_MU` high]. :func:`random_draw` never draws here:
    its condition numbers start near 2, its eta lies below the edge.
    """
    beta = float(np.exp(rng.uniform(-2, 2)))
    alpha = beta / float(np.exp(rng.uniform(0.0, np.log(EDGE_COND_MAX))))
    sv = np.concatenate([[beta, alpha], rng.uniform(alpha, beta, size=m - 2)])
    mu = float(rng.uniform(max(DRAW_MU[0], EDGE_MU_STEPS / T), DRAW_MU[1]))
    J = singular_value_matrix(rng, sv, p)
    return {"J": J, "alpha": alpha, "beta": beta, "eta": mu / (8 * beta**2), "mu": mu}


def alternating_block(s: float, eta: float, mu: float, d_iter: int) -> np.ndarray:
    """The 2x2 map of (r~, d~) for ``d_iter`` ascent steps then one descent step (Fig. 9c).

    The solver (``run_d_steps``) is *alternating*: d' = r + q (d - r) with q = (1 - mu)^d_iter,
    then W moves with the updated d', so on the linearised problem (eq. 17) in an eigenmode s of
    J J^T: r' = r - eta s d'. With a = eta s the block is [[1 - a(1 - q), -a q], [1 - q, q]];
    its determinant is q, so a complex pair has modulus sqrt(q) = (1 - mu)^(d_iter / 2).
    """
    q = (1 - mu) ** d_iter
    a = eta * s
    return np.array([[1 - a * (1 - q), -a * q], [1 - q, q]])


def alternating_eigenvalues(s: np.ndarray, eta: float, mu: float, d_iter: int) -> np.ndarray:
    """Closed-form eigenvalues of :func:`alternating_block` for each s, shape (len(s), 2).

    lambda^2 - (1 + q - a (1 - q)) lambda + q = 0 with a = eta s and q = (1 - mu)^d_iter.
    """
    q = (1 - mu) ** d_iter
    tr = 1 + q - eta * np.asarray(s, dtype=float) * (1 - q)
    disc = np.sqrt((tr**2 / 4 - q).astype(complex))
    return np.stack([tr / 2 + disc, tr / 2 - disc], axis=-1)


def alternating_complex_threshold(mu: float, d_iter: int) -> float:
    """Smallest eta s at which the alternating block's eigenvalues turn complex.

    The discriminant (1 + q - a (1 - q))^2 - 4 q is negative iff a > (1 - sqrt q) / (1 + sqrt q)
    (for a below 1 + q + 2 sqrt(q) over 1 - q), with q = (1 - mu)^d_iter.
    """
    rq = (1 - mu) ** (d_iter / 2)
    return float((1 - rq) / (1 + rq))
