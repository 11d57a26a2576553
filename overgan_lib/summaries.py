"""Numbers and verdicts the prose quotes, computed from stored results.

The chapters glue these values into their text; keeping the arithmetic here (with tests)
means a sentence such as "the fitted rate is 12% slower than rho(A)" is computed, not typed.
"""

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


def falls_throughout(values: np.ndarray) -> bool | None:
    """Whether the finite entries of ``values`` (one per width in order; NaN where no run
    converged) never rise from one to the next; None with fewer than two finite entries."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    return None if v.size < 2 else bool((np.diff(v) <= 0).all())


def width_trend_words(widths: np.ndarray, meds: np.ndarray, fmt: str = ".0%") -> str:
    """How a per-width median (NaN at widths where no run converged) moves across the widths
    that have one, as a phrase the prose quotes after its first and last values: "falling at
    every step in between" (:func:`falls_throughout`), else "not monotone in between (largest,
    <value>, at k=<width>)"; "not comparable across widths" with fewer than two values."""
    falls = falls_throughout(meds)
    if falls is None:
        return "not comparable across widths (fewer than two widths with converged runs)"
    if falls:
        return "falling at every step in between"
    hi = int(np.nanargmax(np.asarray(meds, dtype=float)))
    return f"not monotone in between (largest, {meds[hi]:{fmt}}, at k={int(widths[hi])})"


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


def geometric_crossing(steps: np.ndarray, bound: np.ndarray, level: float) -> float:
    """Iteration at which a geometrically decaying ``bound`` (sampled at ``steps``) falls to
    ``level``, extrapolating log(bound) linearly in t beyond the sampled range.

    Returns inf if the bound does not decay, and the first sampled step if it starts below.
    """
    steps = np.asarray(steps, dtype=float)
    logb = np.log(np.asarray(bound, dtype=float))
    slope, icpt = np.polyfit(steps, logb, 1)
    if logb[0] <= np.log(level):
        return float(steps[0])
    if slope >= 0:
        return float("inf")
    return float((np.log(level) - icpt) / slope)


def rate_slowdown(fitted: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """How much slower a fitted per-step contraction is than a predicted one:
    1 - (1 - fitted) / (1 - predicted); 0.15 means 15% less decay per step.

    NaN (without a warning) where the prediction is no decay (``predicted`` == 1) or either
    input is NaN, e.g. at widths whose loss never reaches round-off."""
    fitted, predicted = np.asarray(fitted, dtype=float), np.asarray(predicted, dtype=float)
    decay = 1 - predicted
    ok = np.isfinite(fitted) & np.isfinite(predicted) & (decay != 0)
    out = np.full(np.broadcast(fitted, predicted).shape, np.nan)
    np.divide(1 - fitted, decay, out=out, where=ok)
    out = np.where(ok, 1 - out, np.nan)
    return out if out.ndim else out[()]


def loglog_slope(x: np.ndarray, y: np.ndarray) -> float:
    """Least-squares exponent s of y ~ c x^s (fit of log y on log x)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = np.isfinite(y) & (y > 0)
    if ok.sum() < 2:
        return float("nan")
    return float(np.polyfit(np.log(x[ok]), np.log(y[ok]), 1)[0])


def local_loglog_slopes(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Exponents between consecutive points, log(y[i+1]/y[i]) / log(x[i+1]/x[i]): how a
    power law y ~ c x^s would have to bend to pass through every point (a single
    :func:`loglog_slope` hides a curve whose exponent drifts)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return np.diff(np.log(y)) / np.diff(np.log(x))


def spread_factor(rows: np.ndarray) -> np.ndarray:
    """Per column, max / min of the rows (e.g. median final losses of several variants at
    each width): 1 means the variants are identical."""
    rows = np.asarray(rows, dtype=float)
    return rows.max(0) / rows.min(0)


ROUNDOFF_LOSS = 1e-28
"""Final losses below this are float64 round-off for a loss of order 0.1-10 (ch. 4)."""


def lowest_variant(
    rows: np.ndarray, floor: float = ROUNDOFF_LOSS, ceiling: float = np.inf
) -> tuple[np.ndarray, np.ndarray]:
    """Which variant (row) ends lowest in each column, and where that comparison means anything.

    ``rows``: median final losses, variants x widths. Returns (index of the lowest row per
    column, mask of the columns where every variant lies in (``floor``, ``ceiling``)): below the
    round-off floor the ordering of the variants is noise, so a count of "variant i ends lowest"
    should be taken over the masked columns only; ``ceiling`` (e.g. 1e-12) keeps only widths
    where every variant has converged, leaving out plateaus at an unreachable target.
    """
    rows = np.asarray(rows, dtype=float)
    return np.argmin(rows, 0), ((rows > floor) & (rows < ceiling)).all(0)


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


def first_width_below(widths: np.ndarray, values: np.ndarray, level: float) -> int | None:
    """The smallest width from which ``values`` (one per width) stay below ``level``."""
    below = np.asarray(values) < level
    for i in range(len(widths)):
        if below[i:].all():
            return int(widths[i])
    return None


def grid_tiles(grid: np.ndarray, nrow: int, tile: int) -> np.ndarray:
    """Cut a square sample grid (as written by ``torchvision.utils.make_grid``/``save_image``
    with equal padding around and between tiles) into its ``nrow**2`` tiles.

    ``grid``: (H, W) or (H, W, C) array. Returns (nrow**2, tile, tile[, C]) as float.
    """
    grid = np.asarray(grid, dtype=float)
    pad, rest = divmod(grid.shape[0] - nrow * tile, nrow + 1)
    if rest or pad < 0 or grid.shape[0] != grid.shape[1]:
        raise ValueError(f"a {grid.shape[:2]} grid is not {nrow}x{nrow} tiles of {tile} px")
    starts = [pad + i * (tile + pad) for i in range(nrow)]
    return np.stack([grid[r:r + tile, c:c + tile] for r in starts for c in starts])


def sample_diversity(images: np.ndarray, block: int = 1) -> float:
    """Spread of a set of images (n, H, W): the per-pixel standard deviation across images,
    averaged over pixels, in the images' own units, after averaging ``block`` x ``block``
    pixel blocks (so pixel noise does not count as variety). A collapsed generator (every
    sample the same image) scores near 0; compare against the same number for real data."""
    images = np.asarray(images, dtype=float)
    n, h, w = images.shape[:3]
    if h % block or w % block:
        raise ValueError(f"block={block} must divide the image size {h}x{w}")
    images = images.reshape(n, h // block, block, w // block, block, *images.shape[3:])
    return float(images.mean((2, 4)).std(axis=0).mean())


REL_TOL = 1e-9
"""Relative tolerance for "a measured value does not exceed its bound" and for "two computations
of one quantity agree" (round-off is ~1e-16 relative; the theory chapters and the status page
share this one value)."""

CONVERGED_LOSS = 1e-12
"""A final loss (or final / initial loss) below this counts as converged (chs. 1 and 4)."""


def exceeds(value: np.ndarray, bound: np.ndarray, rel_tol: float = REL_TOL) -> np.ndarray:
    """Where ``value`` exceeds ``bound`` by more than ``rel_tol`` of |bound| (elementwise)."""
    value, bound = np.asarray(value, dtype=float), np.asarray(bound, dtype=float)
    return value > bound + rel_tol * np.abs(bound)


def first_holding(xs: np.ndarray, ok: np.ndarray) -> float | None:
    """The smallest x from which ``ok`` (one flag per x, xs increasing) holds at every later x;
    None if it fails at the last x."""
    ok = np.asarray(ok, dtype=bool)
    for i in range(len(ok)):
        if ok[i:].all():
            return float(np.asarray(xs)[i])
    return None


def converged(final: np.ndarray, initial: np.ndarray | float = 1.0,
              level: float = CONVERGED_LOSS) -> np.ndarray:
    """Where final / initial loss is below ``level`` (``initial`` = 1: the absolute loss)."""
    return np.asarray(final, dtype=float) / np.asarray(initial, dtype=float) < level


def masked_median(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per row (e.g. per width), the median of ``values`` over the columns (seeds) where
    ``mask`` holds; NaN for a row with none."""
    values, mask = np.asarray(values, dtype=float), np.asarray(mask, dtype=bool)
    return np.array([np.median(v[m]) if m.any() else np.nan
                     for v, m in zip(values, mask, strict=True)])


def decay_vs_guarantee(rate: np.ndarray, step_ratio: np.ndarray, guarantee: float
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Fitted per-step decay 1 - ``rate`` divided by how many times the step exceeds the
    theorem's largest (``step_ratio``; in the linear regime decay scales with the step), and
    that per-step decay in units of the theorem's guaranteed ``guarantee`` (Theorem 2.1:
    1e-5 eta_bar mu). Returns (scaled decay, scaled decay / guarantee)."""
    scaled = (1 - np.asarray(rate, dtype=float)) / np.asarray(step_ratio, dtype=float)
    return scaled, scaled / guarantee


def width_trend(widths: np.ndarray, med: np.ndarray, m: int, floor: float = CONVERGED_LOSS
                ) -> tuple[bool | None, str]:
    """Does a median final loss per width improve with width, in a way that can fail?

    Widths below the data dimension ``m`` are left out: there zero loss is unreachable with
    probability 1 (chapter 4: the cone of V's k < m columns misses x-bar), so the loss sits at
    the NNLS floor whatever the optimiser. From the smallest width k0 >= m on, both sides
    clipped at ``floor`` (a median below it has converged; below it the order only reflects how
    far into the geometric tail a run got within T steps, Theorem 2.1's rate (eq. 4)):

    * the medians must not increase with width, and
    * the median at k0 must be unconverged and the median at the widest width converged: a
      gain from width, not from depth into the tail (at k0 = m, x-bar is in the cone of V's
      columns with probability 2^-m, chapter 4).

    Returns (True or False, reason), or (None, reason) when it cannot tell: fewer than two
    widths >= m, or every width >= m already converged (nothing left to gain at this T).
    """
    widths, med = np.asarray(widths), np.asarray(med, dtype=float)
    if widths.shape != med.shape or widths.ndim != 1:
        raise ValueError(f"widths {widths.shape} and medians {med.shape} must be equal 1-d shapes")
    start = int(np.argmax(widths >= m)) if (widths >= m).any() else len(widths)
    if len(widths) - start < 2:
        return None, f"cannot tell: fewer than two widths >= m={m}"
    conv = converged(med[start:], level=floor)
    k0, kw = int(widths[start]), int(widths[-1])
    mono = bool((np.diff(np.maximum(med[start:], floor)) <= 0).all())
    trend = (f"{'non-increasing' if mono else 'not monotone'} from k={k0} (clipped at "
             f"{floor:g})")
    if conv.all():
        return None, (f"cannot tell: every width >= m={m} converged (median < {floor:g}; "
                      f"k={k0} {med[start]:.2g}), no gain from width to see at this T")
    gain = bool(not conv[0] and conv[-1])
    why = (f"k={k0} (smallest >= m) {med[start]:.2g} "
           f"{'converged' if conv[0] else 'unconverged'} → k={kw} {med[-1]:.2g} "
           f"{'converged' if conv[-1] else 'unconverged'} (level {floor:g}); {trend}")
    return mono and gain, why


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


def _sci(x: float) -> str:
    """``x`` as 2-digit scientific notation without the exponent's plus sign and leading zeros:
    4.4e7, 2.6e-10."""
    mant, exp = format(float(x), ".1e").split("e")
    return f"{mant}e{int(exp)}"


def span_text(values: list[float] | np.ndarray, fmt: str) -> str:
    """"a–b" (or "a" when both ends format alike) for the smallest and largest of ``values``;
    ``fmt`` "sci" writes them with :func:`_sci`."""
    show = _sci if fmt == "sci" else (lambda x: format(float(x), fmt))
    lo, hi = show(np.min(values)), show(np.max(values))
    return lo if lo == hi else f"{lo}–{hi}"


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


def median_index(values: np.ndarray) -> int:
    """Index of a median element of ``values`` (1-d): the middle one of an odd count, the
    upper middle one of an even count, so that the median is a value some run attained."""
    v = np.asarray(values, dtype=float)
    return int(np.argsort(v, kind="stable")[len(v) // 2])


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
