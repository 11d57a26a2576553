"""Theorem A.4's readings (chapter 3): the verdict on bounds (25)-(28), the bound (26) against
the measured gap over time, the factors of bound (27), and when bound (25) crosses a
residual floor."""

from __future__ import annotations

import numpy as np

from .text import span_text
from .widths import REL_TOL


def theorem_a4_verdict(hyp_ok: np.ndarray, bounds_ok: np.ndarray) -> dict[str, int | bool]:
    """Judge Theorem A.4 on the runs where its hypotheses hold.

    ``hyp_ok``: per run (any shape), whether the hypotheses (mu <= 1, mu >= 8 eta beta^2,
    4 gamma beta eps <= alpha^2) hold; ``bounds_ok``: per run, whether bounds (25)-(28) all
    hold. A bound that holds where the theorem does not apply is no evidence for it. Returns
    the counts and ``reproduced``: at least one run meets the hypotheses and the bounds hold on
    every such run.
    """
    hyp = np.asarray(hyp_ok, dtype=bool).ravel()
    ok = np.asarray(bounds_ok, dtype=bool).ravel()
    n_hyp, n_ok = int(hyp.sum()), int((hyp & ok).sum())
    return {"runs": int(hyp.size), "hyp": n_hyp, "ok_on_hyp": n_ok,
            "ok_all": int(ok.sum()), "reproduced": n_hyp > 0 and n_ok == n_hyp}


GAP_FIT_RANGE = 1e-8
""":func:`bound_vs_gap` fits the gap's decay from its peak down to this fraction of the peak,
well above float64 round-off (the state gaps of chapter 3 bottom out near 1e-14 with peaks of
1e-3 to 1)."""


def bound_vs_gap(steps: np.ndarray, gap: np.ndarray, bound: np.ndarray,
                 fit_range: float = GAP_FIT_RANGE) -> dict[str, float]:
    """How bound (26), c t (1 - x)^(t-1) with x = eta alpha^2 / 2, compares with the measured
    gap ||z_t - z~_t|| it bounds, both sampled at ``steps`` (step 0, where both are 0, is left out).

    Returns the steps at which the gap and the bound peak, bound / gap at the gap's peak
    (``at_peak``) and at the last step ``t_end`` (``at_end``), the gap there, the per-step
    decays after the peaks, ``gap_decay`` (log-linear fit of the gap from its peak down to
    ``fit_range`` of the peak, or to the last step) and ``bound_decay`` (x, from the exact fit of
    log(bound / t)), and their ratio ``decay_ratio`` (about 2 when the gap decays at the linear
    rate 1 - eta alpha^2 and the bound at 1 - eta alpha^2 / 2).
    """
    t = np.asarray(steps, dtype=float)
    g, b = np.asarray(gap, dtype=float), np.asarray(bound, dtype=float)
    live = t > 0
    t, g, b = t[live], g[live], b[live]
    ip, ib = int(np.argmax(g)), int(np.argmax(b))
    bound_decay = 1 - float(np.exp(np.polyfit(t, np.log(b / t), 1)[0]))
    tail = (np.arange(len(t)) >= ip) & (g >= fit_range * g[ip])
    gap_decay = (1 - float(np.exp(np.polyfit(t[tail], np.log(g[tail]), 1)[0]))
                 if tail.sum() >= 2 else float("nan"))
    return {"t_gap_peak": float(t[ip]), "t_bound_peak": float(t[ib]), "t_end": float(t[-1]),
            "at_peak": float(b[ip] / g[ip]), "at_end": float(b[-1] / g[-1]),
            "gap_end": float(g[-1]), "gap_decay": gap_decay, "bound_decay": bound_decay,
            "decay_ratio": gap_decay / bound_decay}


def bound26_shape_text(widths: np.ndarray, readings: list[dict[str, float]],
                       converged: np.ndarray, seed: int = 0) -> str:
    """The sentence chapter 3 writes about bound (26) against the measured gap over time, from
    :func:`bound_vs_gap` at each width (one seed's curves) and whether that seed converged
    there (:func:`converged`). Ranges are over the converged widths: where GDA does not converge
    the gap does not decay, and there is no shape to compare."""
    conv = np.asarray(converged, dtype=bool)
    if not conv.any():
        return (f"Seed {seed} converged at none of the widths run, so its gap does not decay "
                "within the horizon and the two shapes cannot be compared here.")
    r = [x for x, c in zip(readings, conv, strict=True) if c]
    ks = np.asarray(widths)[conv]
    where = f"k = {int(ks[0])}" if len(ks) == 1 else f"k = {int(ks[0])} to {int(ks[-1])}"
    sp = lambda key, fmt: span_text([x[key] for x in r], fmt)  # noqa: E731
    return (f"At the widths where seed {seed} converged ({where}) the bound peaks at "
            f"t = {sp('t_bound_peak', '.0f')} and the measured gap at "
            f"t = {sp('t_gap_peak', '.0f')}. "
            f"After its peak the gap decays {sp('decay_ratio', '.1f')} times as fast per step as "
            "the bound (a factor 2 is the linear rate 1 − ηα² against the bound's 1 − ηα²/2); "
            f"the bound lies {sp('at_peak', ',.0f')} times above the gap at the gap's peak and "
            f"{sp('at_end', 'sci')} times above it at t = {sp('t_end', '.0f')} (where the gap is "
            f"down to {sp('gap_end', 'sci')}).")


def bound27_factors(b27: np.ndarray, gap: np.ndarray, gamma: np.ndarray, beta: np.ndarray,
                    alpha: np.ndarray) -> dict[str, np.ndarray]:
    """Bound (27) over the measured ||theta_t - theta~_t||, split into dimensionless factors:
    ``total`` = b27 / gap = ``constant`` 9 gamma^2 x ``conditioning`` (beta / alpha)^2 x
    ``rest``, where rest = eps ||z_0|| / alpha^2 over the measured gap (b27 = 9 eps beta^2
    gamma^2 alpha^-4 ||z_0||). Elementwise."""
    total = np.asarray(b27, dtype=float) / np.asarray(gap, dtype=float)
    const = 9 * np.asarray(gamma, dtype=float) ** 2
    cond = (np.asarray(beta, dtype=float) / np.asarray(alpha, dtype=float)) ** 2
    return {"total": total, "constant": const, "conditioning": cond,
            "rest": total / (const * cond)}


def start_norm_from_b27(b27: np.ndarray, eps: np.ndarray, beta: np.ndarray, alpha: np.ndarray,
                        gamma: np.ndarray) -> np.ndarray:
    """||z_0|| of a chapter 3 run, recovered from its stored bound (27),
    b27 = 9 eps beta^2 gamma^2 alpha^-4 ||z_0|| (the record keeps no ||z_0|| per seed)."""
    b27, eps, beta = (np.asarray(x, dtype=float) for x in (b27, eps, beta))
    alpha, gamma = np.asarray(alpha, dtype=float), np.asarray(gamma, dtype=float)
    return b27 * alpha**4 / (9 * eps * beta**2 * gamma**2)


def bound25_crossing(gamma: np.ndarray, eta_alpha2: np.ndarray, z0: np.ndarray,
                     level: np.ndarray) -> np.ndarray:
    """The (real) step t at which bound (25), gamma (1 - eta alpha^2 / 2)^t ||z_0||, falls to
    ``level``: log(gamma ||z_0|| / level) / -log(1 - eta alpha^2 / 2); 0 where it starts below,
    inf where ``level`` <= 0 (elementwise)."""
    gamma, ea2, z0, level = np.broadcast_arrays(*(np.asarray(x, dtype=float)
                                                  for x in (gamma, eta_alpha2, z0, level)))
    out = np.full(gamma.shape, np.inf)
    pos = level > 0
    out[pos] = np.maximum(np.log(gamma[pos] * z0[pos] / level[pos])
                          / -np.log1p(-ea2[pos] / 2), 0.0)
    return out if out.ndim else out[()]


def floor_reading(floors: np.ndarray, crossings: np.ndarray, hyp_ok: np.ndarray, horizon: int,
                  z0: np.ndarray, rel_tol: float = REL_TOL) -> str:
    """What the NNLS floor min_{a>=0} ||V a - x-bar|| (a lower bound on ||r_t||, hence on
    ||z_t||, for every t) says about bound (25) at one width, over its seeds, as the sentence
    chapter 3 writes.

    ``floors``: the floor per seed (a norm, not squared); it counts as positive above ``rel_tol``
    ||z_0||. ``crossings``: the step where bound (25) falls below that seed's floor
    (:func:`bound25_crossing`); from then on (25) is violated whatever GDA does. ``hyp_ok``:
    whether Theorem A.4's hypotheses hold for the seed (if they did, that would contradict the
    theorem, up to the a-posteriori constants).
    """
    floors, crossings = np.asarray(floors, dtype=float), np.asarray(crossings, dtype=float)
    hyp = np.asarray(hyp_ok, dtype=bool)
    pos = floors > rel_tol * np.asarray(z0, dtype=float)
    seeds = lambda mask: ", ".join(str(i) for i in np.flatnonzero(mask))  # noqa: E731
    n = len(floors)
    if not pos.any():
        return (f"It is zero for every one of the {n} seeds: x̄ lies in the cone of V's columns, "
                "so whether (25) is eventually violated depends on whether the plateaus persist, "
                "which these runs cannot show.")
    parts = []
    for i in np.flatnonzero(pos):
        verdict = ("its hypotheses hold there, so this would contradict the theorem (up to the "
                   "a-posteriori constants)" if hyp[i] else
                   "no contradiction with the theorem, whose hypotheses fail there")
        parts.append(f"for seed {i} it is {floors[i]:.3g}, so ‖z_t‖ ≥ ‖r_t‖ ≥ {floors[i]:.3g} "
                     f"for every t, and bound (25) falls below that at t ≈ {crossings[i]:,.0f} "
                     f"({crossings[i] / horizon:.1f} times the horizon): from then on (25) is "
                     f"violated whatever GDA does ({verdict})")
    text = "It is positive for " + str(int(pos.sum())) + f" of the {n} seeds: " + "; ".join(parts)
    if (~pos).any():
        text += (f". For seed{'s' if (~pos).sum() > 1 else ''} {seeds(~pos)} it is zero (x̄ lies "
                 "in the cone of V's columns), so there it depends on whether the plateau "
                 "persists, which these runs cannot show")
    return text + "."


def step_from_mu_cond(mu: float, mu_cond: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """eta of a chapter 3 run from its stored step-size ratio mu_cond = mu / (8 eta beta^2)
    (the record keeps no eta per seed): eta = mu / (8 mu_cond beta^2)."""
    return mu / (8 * np.asarray(mu_cond, dtype=float) * np.asarray(beta, dtype=float) ** 2)
