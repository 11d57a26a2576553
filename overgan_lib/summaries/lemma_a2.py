"""Lemma A.2's rate checks (chapter 2): the slack of rho(A) against 1 - eta alpha^2, the
draws that exceed it and how (divergent or slower), the exact rate threshold, and the
decay measured against the guarantee."""

from __future__ import annotations

import numpy as np


def relative_slack(rho: np.ndarray, bound: np.ndarray) -> np.ndarray:
    """Slack of Lemma A.2 relative to eta alpha^2: (1 - eta alpha^2 - rho) / (eta alpha^2).

    ``bound`` is 1 - eta alpha^2. 0 means the bound is attained; 1 means rho(A) = 1 - 2 eta alpha^2.
    """
    rho, bound = np.asarray(rho, dtype=float), np.asarray(bound, dtype=float)
    return (bound - rho) / (1 - bound)


DECAY_REL_TOL = 1e-6
"""How far rho(A) may exceed Lemma A.2's rate 1 - eta alpha^2 before a draw counts against it, as a
fraction of the promised decay eta alpha^2 (:func:`rate_exceeded`). The draws' eta alpha^2 reaches
1e-7, so an absolute tolerance of 1e-9 would let through a violation of about 1% of the promised
decay; the dense eigensolver's round-off, measured against the closed form, stays below 1e-8 of
eta alpha^2 on the stored draws (chapter 2 glues it): this tolerance is round-off with a margin.
"""


def rate_exceeded(rho: np.ndarray, bound: np.ndarray, tol: float = DECAY_REL_TOL) -> np.ndarray:
    """Where rho(A) exceeds Lemma A.2's bound 1 - eta alpha^2 by more than ``tol`` eta alpha^2,
    i.e. :func:`relative_slack` below -``tol`` (elementwise)."""
    return relative_slack(rho, bound) < -tol


def rate_threshold(eta_beta2: float, cond: float | np.ndarray = 1.0) -> float | np.ndarray:
    """Smallest mu / (4 eta beta^2) for which rho(A) <= 1 - eta alpha^2 holds for every
    spectrum inside [alpha^2, beta^2], with beta / alpha = ``cond`` (and mu <= 1).

    In the complex regime (mu < 4 eta s) |lambda|^2 = 1 - mu (1 - eta s) (eq. of ch. 2), which
    is largest at s = beta^2; the real regime always satisfies the bound. So the condition is
    mu (1 - eta beta^2) >= eta alpha^2 (2 - eta alpha^2), i.e.

        mu / (4 eta beta^2) >= (eta alpha^2)(2 - eta alpha^2) / (4 eta beta^2 (1 - eta beta^2)),

    which at alpha = beta is (2 - eta beta^2) / (4 (1 - eta beta^2)); the right side is
    increasing in alpha, so alpha = beta is also the supremum over all condition numbers.
    Values are capped at 1, where Lemma A.2's real-regime argument takes over.
    """
    if not 0 < eta_beta2 < 1:
        raise ValueError(f"eta_beta2={eta_beta2} must lie in (0, 1)")
    ea2 = eta_beta2 / np.asarray(cond, dtype=float) ** 2
    out = np.minimum(ea2 * (2 - ea2) / (4 * eta_beta2 * (1 - eta_beta2)), 1.0)
    return float(out) if out.ndim == 0 else out


def decay_vs_guarantee(rate: np.ndarray, step_ratio: np.ndarray, guarantee: float
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Fitted per-step decay 1 - ``rate`` divided by how many times the step exceeds the
    theorem's largest (``step_ratio``; in the linear regime decay scales with the step), and
    that per-step decay in units of the theorem's guaranteed ``guarantee`` (Theorem 2.1:
    1e-5 eta_bar mu). Returns (scaled decay, scaled decay / guarantee)."""
    scaled = (1 - np.asarray(rate, dtype=float)) / np.asarray(step_ratio, dtype=float)
    return scaled, scaled / guarantee


def violation_split(rho: np.ndarray, bound: np.ndarray, tol: float = DECAY_REL_TOL
                    ) -> dict[str, np.ndarray | int | float]:
    """Split the draws that exceed Lemma A.2's rate (:func:`rate_exceeded`) by why.

    ``divergent``: rho(A) >= 1, the linearised iterates do not converge at all (the draw's step
    lies far past the lemma's limit); ``slow``: rho(A) < 1, they converge, but more slowly than
    1 - eta alpha^2. Returns both masks, their counts, the largest rho(A) among the divergent
    draws and the largest excess rho(A) - (1 - eta alpha^2) among the slow ones, absolute and in
    units of the promised decay eta alpha^2 (NaN where a group is empty).
    """
    rho, bound = np.asarray(rho, dtype=float), np.asarray(bound, dtype=float)
    bad = rate_exceeded(rho, bound, tol)
    div, slow = bad & (rho >= 1), bad & (rho < 1)
    excess = rho - bound
    return {"violations": int(bad.sum()), "divergent": int(div.sum()), "slow": int(slow.sum()),
            "divergent_mask": div, "slow_mask": slow,
            "divergent_rho_max": float(rho[div].max()) if div.any() else float("nan"),
            "slow_excess_max": float(excess[slow].max()) if slow.any() else float("nan"),
            "slow_excess_rel_max": (float((excess / (1 - bound))[slow].max()) if slow.any()
                                    else float("nan"))}


def violation_split_text(split: dict) -> str:
    """Chapter 2's sentences on why the draws outside Lemma A.2's hypothesis violate its rate,
    from :func:`violation_split`: how many diverge (rho(A) >= 1) and how many converge more
    slowly than 1 - eta alpha^2, with the largest excess of the latter."""
    div, slow = split["divergent"], split["slow"]
    if div + slow == 0:
        return "None of them does."
    parts = []
    if div:
        parts.append(f"{div} of them have ρ(A) ≥ 1 (up to {split['divergent_rho_max']:.2f}): "
                     "there the linearised iterates do not converge at all")
    else:
        parts.append("None of them has ρ(A) ≥ 1")
    if slow:
        parts.append(f"{'the other' if div else 'all'} {slow} converge, but more slowly than "
                     "1 − ηα²; their largest excess ρ(A) − (1 − ηα²) is "
                     f"{split['slow_excess_max']:.3f}, {split['slow_excess_rel_max']:.0%} of the "
                     "promised decay ηα²")
    else:
        parts.append("none converges more slowly than 1 − ηα² without diverging")
    return "; ".join(parts) + "."


def slack_by_conditioning_text(slack: np.ndarray, cond: np.ndarray, low: float = 3.0,
                               high: float = 30.0) -> str:
    """The median relative slack (:func:`relative_slack`) of the well-conditioned draws
    (beta / alpha below ``low``) against the ill-conditioned ones (above ``high``), with their
    counts, as the clause chapter 2 quotes; a group with no draw is said to have none (at
    `smoke` the sampler may draw no well-conditioned J)."""
    slack, cond = np.asarray(slack, dtype=float), np.asarray(cond, dtype=float)
    well, ill = cond < low, cond > high
    n, n_well, n_ill = len(slack), int(well.sum()), int(ill.sum())
    med = {name: float(np.median(slack[mask])) for name, mask in (("well", well), ("ill", ill))
           if mask.any()}
    w, i = f"β/α < {low:g}", f"β/α > {high:g}"
    if n_well and n_ill:
        return (f"the median slack is {med['well']:.1e} for the {n_well} of the {n} draws with "
                f"{w} but only {med['ill']:.0e} for the {n_ill} draws with {i}")
    if n_ill:
        return (f"no draw has {w}; the median slack is {med['ill']:.0e} for the {n_ill} of the "
                f"{n} draws with {i}")
    if n_well:
        return (f"the median slack is {med['well']:.1e} for the {n_well} of the {n} draws with "
                f"{w}; no draw has {i}")
    return f"no draw has {w} or {i}"
