"""The grid of starts of :func:`..experiments.li2018_study`: which cells are separated starts,
how a (G, G) map of per-cell rates becomes per-start rates, and which starts are merged or
successful before any dynamics.

Cells (i, j) and (j, i) are the same start with the means relabelled (the model and the
success test are symmetric in them), so a start's rate is the mean of its two cells
(:func:`start_vector`); :func:`spread_ratio` and :func:`mirror_correlation` say how much the
rate varies from cell to cell beyond binomial noise (:func:`spread_null` places it in a
simulated null, :func:`spread_words` says where) and :func:`best_starts` finds the best start.
"""

from __future__ import annotations

import numpy as np

from ...errors import ParameterError

# Outcome codes and the merge rule of the dynamics, repeated here (a test holds them to
# dynamics.SUCCESS, MERGED, DEGENERATE and MERGE_FRAC) so that reading a stored study never
# imports the code the li2018 record depends on.
_SUCCESS, _MERGED, _DEGENERATE = 0, 1, 2
_MERGE_FRAC = 0.25  # merged: gap below this x the target gap


def separated_mask(grid: int) -> np.ndarray:
    """(grid, grid) mask of the cells with mu_1^0 != mu_2^0 (off the diagonal)."""
    return ~np.eye(grid, dtype=bool)


def distinct_starts(grid: int) -> int:
    """Distinct separated starts of a (grid, grid) map: cells (i, j) and (j, i) are the same
    start with the means relabelled (the model and the success test are symmetric in them)."""
    return grid * (grid - 1) // 2


def pooled_cells(cell_rates: np.ndarray) -> np.ndarray:
    """(G, G) map with each cell and its mirror (j, i) averaged: the rate of one start over the
    draws of both cells (equal draws per cell), symmetric."""
    m = np.asarray(cell_rates, dtype=float)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ParameterError(f"cell rates have shape {m.shape}; give a (G, G) map")
    return (m + m.T) / 2


def mirror_correlation(cell_rates: np.ndarray) -> float:
    """Correlation of the rates of cells (i, j) and (j, i) over the separated starts (nan when
    either side is constant): near 1 when the start sets the rate, near 0 when noise does."""
    m = np.asarray(cell_rates, dtype=float)
    iu = np.triu_indices(len(m), 1)
    a, b = m[iu], m.T[iu]
    if a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def spread_ratio(cell_rates: np.ndarray, draws: int) -> float:
    """Standard deviation of the per-cell rates over the separated cells, divided by the
    binomial standard deviation sqrt(p (1 - p) / draws) at their mean rate p: about 1 when the
    cells differ by sampling noise alone (nan when p is 0 or 1)."""
    if draws <= 0:
        raise ParameterError(f"draws={draws!r} must be positive")
    return float(_ratio(cell_vector(cell_rates), draws))


def _ratio(v: np.ndarray, draws: int) -> np.ndarray:
    """spread_ratio of the last axis of ``v`` (nan where the mean rate is 0 or 1)."""
    p = v.mean(-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = v.std(-1, ddof=1) / np.sqrt(p * (1 - p) / draws)
    return np.where((p > 0) & (p < 1), r, np.nan)


def spread_null(cell_rates: np.ndarray, draws: int, cells: np.ndarray | None = None,
                sims: int = 20_000, seed: int = 0) -> dict:
    """:func:`spread_ratio` against its distribution under pure binomial noise, by a seeded
    simulation: every cell draws Binomial(draws, p) / draws at the cells' mean rate p, and the
    ratio is computed as for the data. ``cells`` (a (G, G) mask) restricts both to those
    separated cells. Returns ``ratio`` (observed), ``q95`` and ``q99`` (the null's percentiles),
    ``p`` (share of simulated ratios at least the observed one, (1 + hits) / (1 + sims)),
    ``rate`` (the mean rate) and ``cells`` (how many)."""
    if draws <= 0 or sims <= 0:
        raise ParameterError(f"draws={draws!r} and sims={sims!r} must be positive")
    m = np.asarray(cell_rates, dtype=float)
    keep = separated_mask(len(m)) if cells is None else separated_mask(len(m)) & cells
    v = m[keep]
    if v.size < 2:
        raise ParameterError(f"{v.size} cells: the spread needs at least 2")
    ratio, p = float(_ratio(v, draws)), float(v.mean())
    if not np.isfinite(ratio):
        nan = float("nan")
        return {"ratio": nan, "q95": nan, "q99": nan, "p": nan, "rate": p, "cells": v.size}
    sim = np.random.default_rng(seed).binomial(draws, p, size=(sims, v.size)) / draws
    r = _ratio(sim, draws)
    r = r[np.isfinite(r)]
    return {"ratio": ratio, "q95": float(np.quantile(r, 0.95)),
            "q99": float(np.quantile(r, 0.99)),
            "p": float((1 + (r >= ratio).sum()) / (1 + sims)), "rate": p, "cells": int(v.size)}


def spread_words(null: dict) -> str:
    """Words for a :func:`spread_null` result: where the observed ratio sits in the null."""
    r = null["ratio"]
    if not np.isfinite(r):
        return "not defined (the mean rate is 0 or 1)"
    if r <= null["q95"]:
        return "within the range of pure binomial noise (at or below its 95th percentile)"
    if r <= null["q99"]:
        return "above pure binomial noise (beyond its 95th percentile, not its 99th)"
    return "well above pure binomial noise (beyond its 99th percentile)"


def best_starts(cell_rates: np.ndarray, draws: int) -> dict:
    """The highest pooled success count of a separated start (its two cells' successes added,
    out of 2 x ``draws``), compared as integers so that float rounding cannot split a tie.
    Returns ``successes``, ``rate`` (successes / (2 draws)), ``ties`` (how many starts reach
    it) and ``first`` (the first of them, (i, j) with i < j, in row-major order)."""
    if draws <= 0:
        raise ParameterError(f"draws={draws!r} must be positive")
    m = np.asarray(cell_rates, dtype=float)
    if m.ndim != 2 or m.shape[0] != m.shape[1] or len(m) < 2:
        raise ParameterError(f"cell rates have shape {m.shape}; give a (G, G) map, G >= 2")
    counts = np.rint(m * draws)
    if np.abs(counts - m * draws).max() > 1e-6:
        raise ParameterError(f"cell rates are not whole counts out of {draws} draws")
    pooled = (counts + counts.T).astype(int)
    upper = np.triu(np.ones_like(pooled, dtype=bool), 1)
    top = int(pooled[upper].max())
    hits = np.argwhere(upper & (pooled == top))  # row-major order
    return {"successes": top, "rate": top / (2 * draws), "ties": len(hits),
            "first": (int(hits[0][0]), int(hits[0][1]))}


def cell_vector(cell_rates: np.ndarray) -> np.ndarray:
    """The per-cell rates of a (G, G) map at the separated cells, as a flat (C,) vector."""
    cell_rates = np.asarray(cell_rates, dtype=float)
    if cell_rates.ndim != 2 or cell_rates.shape[0] != cell_rates.shape[1]:
        raise ParameterError(f"cell rates have shape {cell_rates.shape}; give a (G, G) map")
    return cell_rates[separated_mask(len(cell_rates))]


def start_vector(cell_rates: np.ndarray) -> np.ndarray:
    """The per-start rates of a (G, G) map as a flat (S,) vector, S = G (G - 1) / 2: each
    separated start (i < j) has the mean of its two cells (i, j) and (j, i)
    (:func:`pooled_cells`). Its mean is the mean over the separated cells."""
    m = pooled_cells(cell_rates)
    return m[np.triu_indices(len(m), 1)]


def runs_of_separated_cells(x: np.ndarray) -> np.ndarray:
    """The runs (G, G, n) of the separated cells, flattened to (C * n,)."""
    x = np.asarray(x)
    return x[separated_mask(x.shape[0])].reshape(-1)


def merge_possible(grid_x: np.ndarray, targets: np.ndarray, runs: int,
                   merge_frac: float = _MERGE_FRAC) -> np.ndarray:
    """(G, G, runs) mask of the runs whose initial means are at least the merge threshold
    (``merge_frac`` x the target gap, dynamics.classify's rule) apart: only these can *become*
    merged; a start already closer than the threshold is merged at t = 0, before any dynamics."""
    x, t = np.asarray(grid_x, dtype=float), np.asarray(targets, dtype=float)
    gap = np.abs(x[:, None] - x[None, :])
    ok = gap >= merge_frac * abs(float(t[1] - t[0]))
    return np.broadcast_to(ok[..., None], (len(x), len(x), runs))


def start_in_tolerance(grid_x: np.ndarray, targets: np.ndarray, tol: float) -> np.ndarray:
    """(G, G) mask of grid cells whose initial means already match the targets within ``tol``
    (up to permutation, as dynamics.classify): success at t = 0."""
    x, t = np.asarray(grid_x, dtype=float), np.asarray(targets, dtype=float)
    a, b = np.meshgrid(x, x, indexing="ij")
    same = np.maximum(np.abs(a - t[0]), np.abs(b - t[1]))
    swap = np.maximum(np.abs(a - t[1]), np.abs(b - t[0]))
    return np.minimum(same, swap) < tol
