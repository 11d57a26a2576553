"""The Li et al. (2018) chapter's experiments and the verdicts drawn from them.

:func:`li2018_study` runs, as batched tensor programs, the optimal-discriminator dynamics
from every grid cell and the first-order dynamics from every (cell, random discriminator)
pair, for each discriminator width k (number of intervals) and each number of discriminator
steps per generator step, and the heat map's configuration (k = 2, one D step) once more with
the endpoints kept ordered by clipping instead of sorting (a sensitivity check). Seeds: the
discriminator initialisations of width k use seed ``1000 * seed + 10 * k + 1``: every
(cell, initialisation) pair draws its own endpoints, and the D-step configurations and the
clipping variant of a width reuse that width's draw, so they are paired run by run.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from tqdm import tqdm

from ..errors import check_int
from ..profiles import validate_settings
from . import dynamics as dy


def init_seed(seed: int, k: int) -> int:
    """Seed of the discriminator initialisations of width k (shared by every d_steps)."""
    return 1000 * seed + 10 * k + 1


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
                      record_every: int = 0, progress: bool = False,
                      order: str = "sort") -> tuple:
    """First-order runs of every (cell, init) pair for one (k, d_steps): (mu0, ends0, traj)."""
    target = torch.tensor(cfg["targets"], dtype=torch.float64)
    cells = dy.grid_means(cfg["grid"], cfg["box"])
    mu0 = cells.repeat_interleave(cfg["inits"], 0)
    ends0 = dy.random_intervals(len(mu0), k, cfg["init_range"], init_seed(seed, k))
    tr = dy.first_order(mu0, ends0, target, cfg["eta_g"], cfg["eta_d"], cfg["T"], d_steps,
                        record_every, progress, order)
    return mu0, ends0, tr


def _codes_along(tr: dy.Trajectory, target: torch.Tensor, tol: float) -> np.ndarray:
    """Outcome codes at every recorded step, shape (R, B)."""
    return np.stack([dy.classify(m, e, target, tol).numpy()
                     for m, e in zip(tr.mu_path, tr.ends_path, strict=True)])


def settled_from(codes: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """For each run (column of ``codes`` (R, B)), the first recorded step from which its
    outcome equals the final one at every later checkpoint (``steps[-1]``: changed last)."""
    codes, steps = np.asarray(codes), np.asarray(steps)
    same = codes == codes[-1]
    # index of the last checkpoint that differs from the final outcome (-1 if none)
    last_diff = len(codes) - 1 - np.argmax(~same[::-1], axis=0)
    last_diff = np.where(same.all(0), -1, last_diff)
    return steps[last_diff + 1]


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


def _config_summary(codes: np.ndarray, tr: dy.Trajectory, sep_runs: np.ndarray,
                    shape: tuple[int, int, int]) -> dict[str, Any]:
    """What one configuration's runs did: outcomes at T, when they settled, the success curve,
    whether runs were ever successful, and the discriminator's shortfall from the best response
    (means over runs from separated cells)."""
    final, steps = codes[-1], np.asarray(tr.steps)
    sub, tv = tr.suboptimality(), torch.stack(tr.tv_path).numpy()
    return {"codes": final.reshape(shape).astype(np.int8),
            "settled": settled_from(codes, steps).reshape(shape),
            "cell_success": (final == dy.SUCCESS).reshape(shape).mean(-1),
            "counts": [int(((final == c) & sep_runs).sum()) for c in range(len(dy.OUTCOMES))],
            "curve": (codes[:, sep_runs] == dy.SUCCESS).mean(1),
            "success": float((final[sep_runs] == dy.SUCCESS).mean()),
            "ever": float((codes[:, sep_runs] == dy.SUCCESS).any(0).mean()),
            "subopt": sub[:, sep_runs].mean(1), "tv": tv[:, sep_runs].mean(1)}


def _clip_check(cfg: dict[str, Any], seed: int, target: torch.Tensor, sep_runs: np.ndarray,
                example: dict[str, Any] | None) -> dict[str, Any]:
    """The heat map's configuration (k = 2, one D step, same draws) with clipping instead of
    sorting, and the 'intervals degenerate' example rerun with clipping."""
    G, n_init, every = cfg["grid"], cfg["inits"], cfg["record_every"]
    mu0, ends0, tr = first_order_batch(cfg, seed, 2, 1, every, order="clip")
    s = _config_summary(_codes_along(tr, target, cfg["tol"]), tr, sep_runs, (G, G, n_init))
    out = {key: s[key] for key in ("codes", "counts", "success", "cell_success", "curve")}
    if example is not None:
        i = example["index"]
        one = dy.first_order(mu0[i:i + 1], ends0[i:i + 1], target, cfg["eta_g"], cfg["eta_d"],
                             cfg["T"], 1, 10, order="clip").stacked()
        lengths = one["ends"][:, 0, 1::2] - one["ends"][:, 0, 0::2]
        out["example"] = {"outcome": dy.OUTCOMES[int(out["codes"].reshape(-1)[i])],
                          "steps": one["steps"], "mu": one["mu"][:, 0], "ends": one["ends"][:, 0],
                          "final_lengths": lengths[-1], "tv": one["tv"][:, 0]}
    return out


def li2018_study(cfg: dict[str, Any], seed: int, progress: bool = True) -> dict[str, Any]:
    """Optimal vs first-order heat maps, failure examples, the width / d_steps study and the
    clipping sensitivity check."""
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
    out["opt_settled"] = settled_from(codes, out["steps"]).reshape(G, G)
    out["opt_curve"] = (codes[:, sep.numpy()] == dy.SUCCESS).mean(1)
    out["opt_final_mu"] = opt.mu.numpy().reshape(G, G, 2)
    out["opt_tv"] = opt.stacked()["tv"]  # (R, cells)

    pairs = configurations(cfg)
    out["k"] = np.array([k for k, _ in pairs])
    out["d_steps"] = np.array([d for _, d in pairs])
    sep_runs = sep.repeat_interleave(n_init).numpy()
    summaries = []
    for k, d in tqdm(pairs, desc="first-order (k, d_steps)", disable=not progress):
        mu0, ends0, tr = first_order_batch(cfg, seed, k, d, every)
        codes = _codes_along(tr, target, tol)
        summaries.append(_config_summary(codes, tr, sep_runs, (G, G, n_init)))
        if (k, d) == (2, 1):
            final = codes[-1]
            out["heat_final_mu"] = tr.mu.numpy().reshape(G, G, n_init, 2)
            examples = {dy.OUTCOMES[o]: _example(cfg, target, mu0, ends0, final, o, 10)
                        for o in (dy.SUCCESS, dy.MERGED, dy.DEGENERATE)}
            out["examples"] = {key: v for key, v in examples.items() if v is not None}
    for key in summaries[0]:  # (configs, ...) arrays: codes, settled, cell_success, curve, ...
        out[f"fo_{key}"] = np.array([s[key] for s in summaries])
    out["clip"] = _clip_check(cfg, seed, target, sep_runs,
                              out["examples"].get("intervals degenerate"))
    out["runs_per_config"] = int(sep_runs.sum())
    out["opt_success"] = float((out["opt_codes"].reshape(-1)[sep.numpy()] == dy.SUCCESS).mean())
    out["cells_separated"] = int(sep.sum())
    return out
