"""The Li et al. (2018) chapter's experiments and the verdicts drawn from them.

:func:`li2018_study` runs, as batched tensor programs, the optimal-discriminator dynamics
from every grid cell and the first-order dynamics from every (cell, random discriminator)
pair, for each discriminator width k (number of intervals) and each number of discriminator
steps per generator step. Seeds: the discriminator initialisations of width k with d_steps
steps use seed ``1000 * seed + 10 * k + d_steps`` (one draw shared by every cell).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from tqdm import tqdm

from ..errors import check_int
from ..profiles import validate_settings
from . import dynamics as dy


def init_seed(seed: int, k: int, d_steps: int) -> int:
    """Seed of the discriminator initialisations of one (k, d_steps) configuration."""
    return 1000 * seed + 10 * k + d_steps


def configurations(cfg: dict[str, Any]) -> list[tuple[int, int]]:
    """(k, d_steps) pairs run: every width with 1 D step, and k = 2 with 1 and every d_steps
    (k = 2 with one D step is the paper's model and the heat map)."""
    pairs = [(k, 1) for k in cfg["widths"]]
    pairs += [(2, d) for d in sorted({1, *cfg["d_steps"]}) if (2, d) not in pairs]
    return pairs


def separated(mu0: torch.Tensor) -> torch.Tensor:
    """Cells whose initial means differ (on mu_1 = mu_2 both dynamics keep them equal)."""
    return (mu0[:, 0] - mu0[:, 1]).abs() > 1e-12


def first_order_batch(cfg: dict[str, Any], seed: int, k: int, d_steps: int,
                      record_every: int = 0, progress: bool = False) -> tuple:
    """First-order runs of every (cell, init) pair for one (k, d_steps): (mu0, ends0, traj)."""
    target = torch.tensor(cfg["targets"], dtype=torch.float64)
    cells = dy.grid_means(cfg["grid"], cfg["box"])
    mu0 = cells.repeat_interleave(cfg["inits"], 0)
    ends0 = dy.random_intervals(len(mu0), k, cfg["init_range"], init_seed(seed, k, d_steps))
    tr = dy.first_order(mu0, ends0, target, cfg["eta_g"], cfg["eta_d"], cfg["T"], d_steps,
                        record_every, progress)
    return mu0, ends0, tr


def _codes_along(tr: dy.Trajectory, target: torch.Tensor, tol: float) -> np.ndarray:
    """Outcome codes at every recorded step, shape (R, B)."""
    return np.stack([dy.classify(m, e, target, tol).numpy()
                     for m, e in zip(tr.mu_path, tr.ends_path, strict=True)])


def _example(cfg: dict[str, Any], target: torch.Tensor, mu0: torch.Tensor, ends0: torch.Tensor,
             codes: np.ndarray, outcome: int, every: int) -> dict[str, Any] | None:
    """Rerun, with its path, the run of ``outcome`` whose initial means were farthest apart."""
    idx = np.flatnonzero(codes == outcome)
    if len(idx) == 0:
        return None
    spread = (mu0[idx, 0] - mu0[idx, 1]).abs().numpy()
    i = int(idx[int(np.argmax(spread))])
    tr = dy.first_order(mu0[i:i + 1], ends0[i:i + 1], target, cfg["eta_g"], cfg["eta_d"],
                        cfg["T"], 1, every)
    path = tr.stacked()
    again = int(dy.classify(tr.mu, tr.ends, target, cfg["tol"])[0])
    return {"index": i, "rerun_same_outcome": again == outcome,
            "outcome": dy.OUTCOMES[outcome], "mu0": mu0[i].numpy(), "ends0": ends0[i].numpy(),
            "steps": path["steps"], "mu": path["mu"][:, 0], "ends": path["ends"][:, 0],
            "tv": path["tv"][:, 0]}


def li2018_study(cfg: dict[str, Any], seed: int, progress: bool = True) -> dict[str, Any]:
    """Optimal vs first-order heat maps, failure examples and the width / d_steps study."""
    validate_settings(cfg)
    check_int("seed", seed)
    target = torch.tensor(cfg["targets"], dtype=torch.float64)
    G, n_init, every, tol = cfg["grid"], cfg["inits"], cfg["record_every"], cfg["tol"]
    cells = dy.grid_means(G, cfg["box"])
    sep = separated(cells)
    out: dict[str, Any] = {"grid_x": cells[::G, 0].numpy(), "targets": target.numpy()}

    opt = dy.optimal(cells, target, cfg["eta_g"], cfg["T"], every, cfg["opt_points"], progress)
    codes = _codes_along(opt, target, tol)
    out["steps"] = np.asarray(opt.steps)
    out["opt_codes"] = codes[-1].reshape(G, G)
    out["opt_curve"] = (codes[:, sep.numpy()] == dy.SUCCESS).mean(1)
    out["opt_final_mu"] = opt.mu.numpy().reshape(G, G, 2)
    out["opt_tv"] = opt.stacked()["tv"]  # (R, cells)

    pairs = configurations(cfg)
    out["k"] = np.array([k for k, _ in pairs])
    out["d_steps"] = np.array([d for _, d in pairs])
    cell_rate, counts, curves, rates = [], [], [], []
    sep_runs = sep.repeat_interleave(n_init).numpy()
    for k, d in tqdm(pairs, desc="first-order (k, d_steps)", disable=not progress):
        mu0, ends0, tr = first_order_batch(cfg, seed, k, d, every)
        codes = _codes_along(tr, target, tol)
        final = codes[-1]
        cell_rate.append((final == dy.SUCCESS).reshape(G, G, n_init).mean(-1))
        counts.append([int(((final == c) & sep_runs).sum()) for c in range(len(dy.OUTCOMES))])
        curves.append((codes[:, sep_runs] == dy.SUCCESS).mean(1))
        rates.append(float((final[sep_runs] == dy.SUCCESS).mean()))
        if (k, d) == (2, 1):
            out["heat_codes"] = final.reshape(G, G, n_init)
            out["heat_final_mu"] = tr.mu.numpy().reshape(G, G, n_init, 2)
            examples = {dy.OUTCOMES[o]: _example(cfg, target, mu0, ends0, final, o, 10)
                        for o in (dy.SUCCESS, dy.MERGED, dy.DEGENERATE)}
            out["examples"] = {key: v for key, v in examples.items() if v is not None}
    out["fo_cell_success"] = np.stack(cell_rate)  # (configs, G, G)
    out["fo_counts"] = np.array(counts)  # (configs, outcomes), separated cells only
    out["fo_curve"] = np.stack(curves)  # (configs, R)
    out["fo_success"] = np.array(rates)  # (configs,), separated cells only
    out["runs_per_config"] = int(sep_runs.sum())
    out["opt_success"] = float((out["opt_codes"].reshape(-1)[sep.numpy()] == dy.SUCCESS).mean())
    out["cells_separated"] = int(sep.sum())
    return out
