"""GDA (eq. 3 / eq. 13), GD on the closed-form loss (eq. 5) and their relatives.

Sign convention: we follow the general problem of eq. 7/12,
``h(theta, d) = <d, f(theta) - y> - ||d||^2 / 2``, whose GDA updates are eq. 13:

    d_{t+1}     = (1 - mu) d_t + mu (f(theta_t) - y)
    theta_{t+1} = theta_t - eta J(theta_t)^T d_t.

The discriminator of eq. 2 is the negative of this ``d`` (eq. 2 writes <d, x-bar - f>),
so its optimum d* = x-bar - f(W) is the "mean gap". Every solver is batched over the
leading seed dimension and runs a fixed number of steps (no data-dependent control
flow), so S seeds cost one set of batched products per step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from tqdm import tqdm

from ..errors import ParameterError, check_int, check_positive_float, check_positive_int
from .generator import Problem, activation_slopes, jacobian_factor, jjt, jt_times


@dataclass
class Trajectory:
    """Recorded history of one batched run (rows: seeds, columns: recorded steps)."""

    steps: torch.Tensor  # (R,)
    loss: torch.Tensor  # (S, R)  ||f(W_t) - y||^2
    disc: torch.Tensor  # (S, R)  ||d_t|| (zeros for GD)
    drift: torch.Tensor  # (S, R)  ||W_t - W_0||_F
    W: torch.Tensor  # (S, k, d) final weights
    d: torch.Tensor  # (S, m) final discriminator
    extras: dict[str, torch.Tensor] = field(default_factory=dict)

    @property
    def final_loss(self) -> torch.Tensor:
        """||f(W_T) - y||^2 per seed, the y-axis of Fig. 2."""
        return self.loss[:, -1]

    @property
    def diverged(self) -> torch.Tensor:
        """True for seeds whose loss became NaN/inf."""
        return ~torch.isfinite(self.loss).all(dim=1)


def normalized_eta(p: Problem, eta_bar: float) -> torch.Tensor:
    """eta = eta_bar / ||J(W_0)||^2 per seed, shape (S, 1, 1).

    Theorems 2.1/2.2 scale eta like 1/beta^2 (their eta-bar <= 1 times 1/(k d ... sigma^2));
    normalising by the measured ||J(W_0)||^2 makes one eta_bar comparable across widths.
    """
    check_positive_float("eta_bar", eta_bar)
    beta2 = torch.linalg.eigvalsh(jjt(p, p.W0))[:, -1]
    return (eta_bar / beta2).reshape(-1, 1, 1)


def _forward(p: Problem, W: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Residual r = f(W) - y and Jacobian factor M from one product Z W^T."""
    pre = p.Z @ W.transpose(1, 2)  # (S, n, k)
    n = p.Z.shape[1]
    r = (p.V @ torch.relu(pre).mean(dim=1).unsqueeze(-1)).squeeze(-1) - p.y
    M = (pre >= 0).to(W.dtype).transpose(1, 2) @ p.Z / n
    return r, M


def _check_run_args(T: int, record_every: int) -> None:
    check_positive_int("T (iterations)", T)
    check_positive_int("record_every", record_every)


def _run(
    p: Problem,
    T: int,
    step,
    d0: torch.Tensor | None,
    record_every: int,
    progress: bool,
    desc: str,
) -> Trajectory:
    """Shared loop: ``step(W, d, r, M) -> (W, d)``; records loss, ||d||, drift."""
    _check_run_args(T, record_every)
    W = p.W0.clone()
    d = torch.zeros_like(p.y) if d0 is None else d0.clone()
    rec_steps, loss, disc, drift = [], [], [], []
    for t in tqdm(range(T + 1), desc=desc, disable=not progress, leave=False):
        r, M = _forward(p, W)
        if t % record_every == 0 or t == T:
            rec_steps.append(t)
            loss.append((r * r).sum(-1))
            disc.append(d.norm(dim=-1))
            drift.append((W - p.W0).flatten(1).norm(dim=-1))
        if t == T:
            break
        W, d = step(W, d, r, M)
    return Trajectory(
        torch.tensor(rec_steps),
        torch.stack(loss, 1),
        torch.stack(disc, 1),
        torch.stack(drift, 1),
        W,
        d,
    )


def run_gda(
    p: Problem,
    eta: torch.Tensor | float,
    mu: float,
    T: int,
    d0: torch.Tensor | None = None,
    record_every: int = 1,
    progress: bool = False,
) -> Trajectory:
    """Simultaneous GDA, eq. 13 (eq. 3 up to the sign of d), batched over seeds."""
    check_positive_float("mu", mu, upper=2.0)
    _check_eta(eta)

    def step(W, d, r, M):
        return W - eta * jt_times(M, p.V, d), (1 - mu) * d + mu * r

    return _run(p, T, step, d0, record_every, progress, "GDA")


def run_gd(
    p: Problem,
    eta: torch.Tensor | float,
    T: int,
    record_every: int = 1,
    progress: bool = False,
) -> Trajectory:
    """GD on the closed-form loss of eq. 5, i.e. GDA with the optimal discriminator d = r."""
    _check_eta(eta)

    def step(W, d, r, M):
        return W - eta * jt_times(M, p.V, r), d

    return _run(p, T, step, None, record_every, progress, "GD")


def run_d_steps(
    p: Problem,
    eta: torch.Tensor | float,
    mu: float,
    T: int,
    d_iter: int,
    record_every: int = 1,
    progress: bool = False,
) -> Trajectory:
    """``d_iter`` ascent steps on d, then one descent step on W (Fig. 9c).

    With W fixed the ascent steps contract d towards r geometrically, so d_iter steps
    give d <- r + (1 - mu)^d_iter (d - r) exactly; d_iter -> inf is GD on eq. 5.
    """
    check_positive_float("mu", mu, upper=2.0)
    check_positive_int("d_iter", d_iter)
    _check_eta(eta)
    keep = (1 - mu) ** d_iter

    def step(W, d, r, M):
        d = r + keep * (d - r)
        return W - eta * jt_times(M, p.V, d), d

    return _run(p, T, step, None, record_every, progress, f"d_iter={d_iter}")


def run_linearized_gda(
    p: Problem,
    eta: torch.Tensor | float,
    mu: float,
    T: int,
    record_every: int = 1,
) -> Trajectory:
    """GDA on the linearised problem of eq. 17 (updates eq. 18-21), batched over seeds.

    The residual is r~_t = f(theta_0) + J_0 (theta~_t - theta_0) - y, so the state
    z~ = (r~, d~) evolves by the fixed matrix A of eq. 21.
    """
    check_positive_float("mu", mu, upper=2.0)
    _check_eta(eta)
    _check_run_args(T, record_every)
    r0, M0 = _forward(p, p.W0)
    V = p.V
    W, d = p.W0.clone(), torch.zeros_like(p.y)
    r = r0.clone()
    rec = {"steps": [], "loss": [], "disc": [], "drift": []}
    for t in range(T + 1):
        if t % record_every == 0 or t == T:
            rec["steps"].append(t)
            rec["loss"].append((r * r).sum(-1))
            rec["disc"].append(d.norm(dim=-1))
            rec["drift"].append((W - p.W0).flatten(1).norm(dim=-1))
        if t == T:
            break
        W = W - eta * jt_times(M0, V, d)
        d = (1 - mu) * d + mu * r
        r = r0 + (V @ (M0 * (W - p.W0)).sum(-1).unsqueeze(-1)).squeeze(-1)
    return Trajectory(
        torch.tensor(rec["steps"]),
        torch.stack(rec["loss"], 1),
        torch.stack(rec["disc"], 1),
        torch.stack(rec["drift"], 1),
        W,
        d,
    )


def optimal_discriminator(p: Problem, W: torch.Tensor, mu: float, steps: int) -> torch.Tensor:
    """Run ``steps`` ascent steps on d from 0 with W fixed (the inner max of eq. 2)."""
    check_positive_float("mu", mu, upper=1.0)
    check_int("steps", steps, minimum=1)
    r, _ = _forward(p, W)
    d = torch.zeros_like(r)
    for _ in range(steps):
        d = (1 - mu) * d + mu * r
    return d


def _check_eta(eta: torch.Tensor | float) -> None:
    if isinstance(eta, torch.Tensor):
        if not bool(torch.isfinite(eta).all()) or bool((eta <= 0).any()):
            raise ParameterError(f"eta={eta.flatten().tolist()} must be positive and finite")
    else:
        check_positive_float("eta", eta)


__all__ = [
    "Trajectory",
    "normalized_eta",
    "run_gda",
    "run_gd",
    "run_d_steps",
    "run_linearized_gda",
    "optimal_discriminator",
    "activation_slopes",
    "jacobian_factor",
]
