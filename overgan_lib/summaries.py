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
