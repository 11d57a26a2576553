"""Optimal-discriminator and first-order dynamics of the mixture GAN, and how runs end.

Both dynamics are batched over initialisations: a whole heat map (cells x discriminator
initialisations) is one (B, ...) tensor program. The generator descends L, the discriminator
ascends it (notes.md):

* optimal:      I_t = argmax_I L(mu_t, I),  mu_{t+1} = mu_t - eta_g grad_mu L(mu_t, I_t);
* first-order:  mu_{t+1} = mu_t - eta_g grad_mu L,  e_{t+1} = sort(e_t + eta_d grad_e L),
  simultaneous, preceded by ``d_steps - 1`` discriminator-only ascent steps per generator step.

Interval order is kept (``order="sort"``, the book's rule) by sorting all 2k endpoints after
every step and pairing them as (l_1, r_1), (l_2, r_2), ... When two endpoints cross they have
just met, so the swapped pieces have zero length and the loss is continuous across the swap. These
are the notes' textbook dynamics, not the reference code's: by a reading of atong01/mixture-gan
(main.py, ``train``), it never reorders l, r during training (endpoints cross freely), alternates
(D steps first, then mu against the updated intervals), passes (r, l) as (left, right) so the
generator ascends L while the discriminator descends it (the game with the complement set), and
its ``opt_mu_grad`` has an extra 1/sqrt(2 pi) (chapter 11 lists these deviations). Two
endpoints that the gradient pushes together overshoot by about eta_d |G* - G_mu| and are swapped
back, so such an interval keeps a small width that flips every step. ``order="clip"`` is the
sensitivity variant: an endpoint that passes its left neighbour is set onto it (a running
maximum), so met endpoints stay glued (width 0) until the gradient opens them again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
from tqdm import tqdm

from ..errors import ParameterError, check_int, check_positive_float, check_positive_int
from . import mixture as mx

# Run outcomes (classify): ordered by precedence.
SUCCESS, MERGED, DEGENERATE, OTHER = 0, 1, 2, 3
OUTCOMES = ("success", "means merged", "intervals degenerate", "other")
#: classify's thresholds: means closer than MERGE_FRAC x the target gap are merged; a
#: discriminator set with less than MASS_TOL (or more than 1 - MASS_TOL) of the mass is degenerate.
MERGE_FRAC, MASS_TOL = 0.25, 0.01
ORDERS = ("sort", "clip")


@dataclass
class Trajectory:
    """Final state and (every ``record_every`` steps) the path of a batch of runs."""

    mu: torch.Tensor  # (B, 2) final means
    ends: torch.Tensor  # (B, 2k) final endpoints
    steps: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    mu_path: list = field(default_factory=list)  # (B, 2) per recorded step
    ends_path: list = field(default_factory=list)  # (B, 2k) per recorded step
    tv_path: list = field(default_factory=list)  # (B,) TV(G*, G_mu) per recorded step
    # (B,) L(mu_t, I) for the discriminator the generator steps against at a recorded step
    # (after the D-only steps; first-order runs only)
    loss_path: list = field(default_factory=list)

    def stacked(self) -> dict[str, np.ndarray]:
        """Paths as arrays: mu (R, B, 2), ends (R, B, 2k), tv (R, B), the steps (R,) and, for
        first-order runs, loss (R, B)."""
        out = {"steps": np.asarray(self.steps), "mu": torch.stack(self.mu_path).numpy(),
               "ends": torch.stack(self.ends_path).numpy(),
               "tv": torch.stack(self.tv_path).numpy()}
        if self.loss_path:
            out["loss"] = torch.stack(self.loss_path).numpy()
        return out

    def suboptimality(self) -> np.ndarray:
        """1 + TV - L(mu_t, I_t) at every recorded step, (R, B): how far the loss under the
        discriminator the generator sees falls short of the best response's (>= 0)."""
        if not self.loss_path:
            raise ParameterError("no losses recorded: run first_order with record_every > 0")
        return (1.0 + torch.stack(self.tv_path) - torch.stack(self.loss_path)).numpy()


def grid_means(grid: int, box: float) -> torch.Tensor:
    """Initial means on a grid x grid lattice of [-box, box]^2, shape (grid^2, 2), row-major
    in (mu_1, mu_2): cell (i, j) has mu_1 = x_i, mu_2 = x_j."""
    check_positive_int("grid", grid)
    check_positive_float("box", box)
    x = torch.linspace(-box, box, grid, dtype=torch.float64)
    a, b = torch.meshgrid(x, x, indexing="ij")
    return torch.stack([a.reshape(-1), b.reshape(-1)], 1)


def random_intervals(count: int, k: int, spread: float, seed: int) -> torch.Tensor:
    """``count`` discriminators of k intervals: 2k endpoints U(-spread, spread), sorted."""
    check_positive_int("k", k)
    check_positive_float("init_range", spread)
    g = torch.Generator().manual_seed(seed)
    e = (2 * torch.rand(count, 2 * k, generator=g, dtype=torch.float64) - 1) * spread
    return e.sort(1).values


def _check_run(eta_g: float, eta_d: float, T: int, d_steps: int, record_every: int) -> None:
    check_positive_float("eta_g", eta_g)
    check_positive_float("eta_d", eta_d)
    check_positive_int("T", T)
    check_positive_int("d_steps", d_steps)
    check_int("record_every", record_every)


def _reorder(ends: torch.Tensor, order: str) -> torch.Tensor:
    """Restore l_1 <= r_1 <= ... <= r_k after a step: sort, or clip (running maximum)."""
    return ends.sort(1).values if order == "sort" else torch.cummax(ends, 1).values


def _record(tr: Trajectory, t: int, mu: torch.Tensor, ends: torch.Tensor,
            target: torch.Tensor) -> None:
    tr.steps = np.append(tr.steps, t)
    tr.mu_path.append(mu.clone())
    tr.ends_path.append(ends.clone())
    tr.tv_path.append(mx.total_variation(mu, target))


def first_order(
    mu0: torch.Tensor,
    ends0: torch.Tensor,
    target: torch.Tensor,
    eta_g: float,
    eta_d: float,
    T: int,
    d_steps: int = 1,
    record_every: int = 0,
    progress: bool = False,
    order: str = "sort",
) -> Trajectory:
    """First-order dynamics: T simultaneous gradient steps (after d_steps-1 D-only steps each).

    ``mu0`` (B, 2), ``ends0`` (B, 2k) sorted. Records the state every ``record_every`` steps
    (0: final state only), and the loss under the discriminator the generator then steps
    against (after the D-only steps; at step T, after the same D-only steps applied to a copy,
    so the final state is the state after T steps). ``order``: how the endpoints are kept
    ordered ("sort" or "clip", see the module docstring).
    """
    _check_run(eta_g, eta_d, T, d_steps, record_every)
    if order not in ORDERS:
        raise ParameterError(f"order={order!r}; choose one of {', '.join(ORDERS)}")
    if mu0.shape[0] != ends0.shape[0]:
        raise ParameterError(f"mu0 has {mu0.shape[0]} rows but ends0 has {ends0.shape[0]}; "
                             "give one discriminator per initial mean")
    target = torch.as_tensor(target, dtype=torch.float64)
    mu, ends = mu0.clone(), ends0.sort(1).values
    tr = Trajectory(mu, ends)
    for t in tqdm(range(T), desc="first-order steps", disable=not progress, mininterval=1):
        if record_every and t % record_every == 0:
            _record(tr, t, mu, ends, target)
        for _ in range(d_steps - 1):
            ends = _reorder(ends + eta_d * mx.gradients(mu, ends, target)[1], order)
        if record_every and t % record_every == 0:
            tr.loss_path.append(mx.loss(mu, ends, target))
        g_mu, g_ends = mx.gradients(mu, ends, target)
        mu = mu - eta_g * g_mu
        ends = _reorder(ends + eta_d * g_ends, order)
    if record_every:
        _record(tr, T, mu, ends, target)
        # The same definition as at every earlier record: the loss under the discriminator
        # after its d_steps - 1 ascent steps. They act on a copy, so the final state is the
        # state after T steps.
        probe = ends
        for _ in range(d_steps - 1):
            probe = _reorder(probe + eta_d * mx.gradients(mu, probe, target)[1], order)
        tr.loss_path.append(mx.loss(mu, probe, target))
    tr.mu, tr.ends = mu, ends
    return tr


def optimal(
    mu0: torch.Tensor,
    target: torch.Tensor,
    eta_g: float,
    T: int,
    record_every: int = 0,
    points: int = 200,
    progress: bool = False,
) -> Trajectory:
    """Optimal-discriminator dynamics: each step uses I_t = argmax_I L(mu_t, I) (Danskin:
    the gradient of max_I L is grad_mu L at the maximiser)."""
    _check_run(eta_g, 1.0, T, 1, record_every)
    check_positive_int("opt_points", points)
    target = torch.as_tensor(target, dtype=torch.float64)
    mu = mu0.clone()
    ends = mx.optimal_intervals(mu, target, points=points)
    tr = Trajectory(mu, ends)
    for t in tqdm(range(T), desc="optimal-D steps", disable=not progress, mininterval=1):
        ends = mx.optimal_intervals(mu, target, points=points)
        if record_every and t % record_every == 0:
            _record(tr, t, mu, ends, target)
        mu = mu - eta_g * mx.gradients(mu, ends, target)[0]
    ends = mx.optimal_intervals(mu, target, points=points)
    if record_every:
        _record(tr, T, mu, ends, target)
    tr.mu, tr.ends = mu, ends
    return tr


def match_error(mu: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """max_j |mu_j - mu*_pi(j)| for the better permutation pi of the two targets; shape (B,)."""
    mu, target = mx._batch(mu, target)
    same = (mu - target).abs().max(1).values
    swap = (mu - target.flip(1)).abs().max(1).values
    return torch.minimum(same, swap)


def classify(
    mu: torch.Tensor,
    ends: torch.Tensor,
    target: torch.Tensor,
    tol: float = 0.1,
    merge_frac: float = MERGE_FRAC,
    mass_tol: float = MASS_TOL,
) -> torch.Tensor:
    """Outcome code of each run (int64, (B,)), first rule that applies:

    * SUCCESS: every |mu_T - mu*| < ``tol`` after matching means to targets up to permutation;
    * MERGED: the means are closer than ``merge_frac`` times the target gap |mu*_1 - mu*_2|
      (mode collapse: the generator puts both components in one place);
    * DEGENERATE: the discriminator's set carries less than ``mass_tol`` of the mass of
      (G* + G_mu)/2, or all but ``mass_tol`` of it: D = 0 or D = 1 almost everywhere, so
      grad_mu L vanishes and the generator stops;
    * OTHER: anything else (e.g. the means sit apart but away from the targets).
    """
    mu, target = mx._batch(mu, target)
    out = torch.full((mu.shape[0],), OTHER, dtype=torch.long)
    mass = mx.interval_mass(mu, ends, target).sum(1)
    degenerate = (mass < mass_tol) | (mass > 1 - mass_tol)
    out[degenerate] = DEGENERATE
    sep = (target[:, 0] - target[:, 1]).abs()
    out[(mu[:, 0] - mu[:, 1]).abs() < merge_frac * sep] = MERGED
    out[match_error(mu, target) < tol] = SUCCESS
    return out


def outcome_counts(codes: np.ndarray | torch.Tensor) -> dict[str, int]:
    """Number of runs per outcome name."""
    codes = np.asarray(codes).reshape(-1)
    return {name: int((codes == i).sum()) for i, name in enumerate(OUTCOMES)}
