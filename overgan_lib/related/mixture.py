"""The two-Gaussian mixture GAN of Li, Madry, Peebles and Schmidt (2018), in closed form.

True distribution G* = 1/2 N(mu*_1, 1) + 1/2 N(mu*_2, 1); generator G_mu with learnable means
mu = (mu_1, mu_2); discriminator D = indicator of a union of k intervals I = U_i [l_i, r_i].
The loss (notes.md) is

    L(mu, I) = E_{G*}[D] + E_{G_mu}[1 - D] = 1 + int_I (G* - G_mu) dx
             = 1 + sum_i [F(r_i) - F(l_i)],     F = CDF(G*) - CDF(G_mu),

so max_I L = 1 + TV(G*, G_mu). Everything here is batched: ``mu`` is (B, 2), ``target`` is
(2,) or (B, 2), and a discriminator is a (B, 2k) tensor of endpoints ``l_1, r_1, ..., l_k, r_k``
(sorted, so the intervals are ordered and disjoint; endpoints may be +-inf). float64 throughout.
"""

from __future__ import annotations

import math

import torch

from ..errors import ParameterError

_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def phi(x: torch.Tensor) -> torch.Tensor:
    """Standard normal density (0 at +-inf)."""
    return torch.exp(-0.5 * x * x) * _INV_SQRT_2PI


def _batch(mu: torch.Tensor, target: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Check shapes and broadcast ``target`` to ``mu``'s (B, 2)."""
    if mu.ndim != 2 or mu.shape[1] != 2:
        raise ParameterError(f"mu has shape {tuple(mu.shape)}; give a (B, 2) tensor of means")
    target = torch.as_tensor(target, dtype=mu.dtype)
    if target.shape[-1] != 2:
        raise ParameterError(f"target has shape {tuple(target.shape)}; give 2 means")
    return mu, target.expand_as(mu)


def density(x: torch.Tensor, means: torch.Tensor) -> torch.Tensor:
    """Density of 1/2 N(m_1,1) + 1/2 N(m_2,1) at points ``x`` (B, n) for means (B, 2)."""
    return phi(x[..., None] - means[:, None, :]).mean(-1)


def cdf(x: torch.Tensor, means: torch.Tensor) -> torch.Tensor:
    """CDF of the equal-weight unit-variance mixture at ``x`` (B, n); exact at +-inf."""
    return torch.special.ndtr(x[..., None] - means[:, None, :]).mean(-1)


def gap(x: torch.Tensor, mu: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """G*(x) - G_mu(x): positive where the optimal discriminator says 'real'."""
    mu, target = _batch(mu, target)
    return density(x, target) - density(x, mu)


def endpoint_signs(ends: torch.Tensor) -> torch.Tensor:
    """-1 for left endpoints l_i, +1 for right endpoints r_i (layout l_1, r_1, l_2, ...)."""
    if ends.ndim != 2 or ends.shape[1] % 2:
        raise ParameterError(
            f"intervals have shape {tuple(ends.shape)}; give (B, 2k) endpoints l1, r1, l2, r2, ..."
        )
    s = torch.ones(ends.shape[1], dtype=ends.dtype)
    s[0::2] = -1.0
    return s


def loss(mu: torch.Tensor, ends: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """L(mu, I) = 1 + sum_i [F(r_i) - F(l_i)] with F = CDF(G*) - CDF(G_mu); shape (B,)."""
    mu, target = _batch(mu, target)
    F = cdf(ends, target) - cdf(ends, mu)
    return 1.0 + (endpoint_signs(ends) * F).sum(-1)


def gradients(
    mu: torch.Tensor, ends: torch.Tensor, target: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """(dL/dmu, dL/d ends) in closed form (notes.md).

    dL/dmu_j = 1/2 sum_i [phi(r_i - mu_j) - phi(l_i - mu_j)],
    dL/dl_i = -(G*(l_i) - G_mu(l_i)),  dL/dr_i = G*(r_i) - G_mu(r_i).
    """
    mu, target = _batch(mu, target)
    s = endpoint_signs(ends)
    g_ends = s * gap(ends, mu, target)
    g_mu = 0.5 * (s[None, :, None] * phi(ends[..., None] - mu[:, None, :])).sum(1)
    return g_mu, g_ends


def scaled_gap(
    x: torch.Tensor, mu: torch.Tensor, target: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(h, dh/dx, scale) with h(x) = sqrt(2 pi) e^{x^2/2} (G*(x) - G_mu(x)).

    h = mean_j e^{t_j x - t_j^2/2} - mean_j e^{m_j x - m_j^2/2} has the sign and zeros of
    G* - G_mu but does not underflow in the tails; ``scale`` is the sum of the absolute terms,
    for a relative test of h = 0.
    """
    mu, target = _batch(mu, target)
    et = torch.exp(x[..., None] * target[:, None, :] - 0.5 * target[:, None, :] ** 2)
    em = torch.exp(x[..., None] * mu[:, None, :] - 0.5 * mu[:, None, :] ** 2)
    h = et.mean(-1) - em.mean(-1)
    dh = (et * target[:, None, :]).mean(-1) - (em * mu[:, None, :]).mean(-1)
    return h, dh, et.mean(-1) + em.mean(-1)


def positive_mass(x_lo: float, x_hi: float, mu: torch.Tensor, target: torch.Tensor,
                  points: int = 20001) -> torch.Tensor:
    """int max(G* - G_mu, 0) dx by the trapezoid rule on [x_lo, x_hi] (= TV; for checks)."""
    x = torch.linspace(x_lo, x_hi, points, dtype=mu.dtype).expand(mu.shape[0], points)
    return torch.trapezoid(gap(x, mu, target).clamp_min(0.0), x, dim=-1)


def optimal_intervals(
    mu: torch.Tensor,
    target: torch.Tensor,
    points: int = 200,
    margin: float = 8.0,
    slots: int = 2,
    newton: int = 4,
    rtol: float = 1e-12,
) -> torch.Tensor:
    """The optimal discriminator argmax_I L(mu, I) = {x : G*(x) > G_mu(x)}, as (B, 2*slots) ends.

    G* - G_mu is a signed sum of four unit Gaussians, so it has at most 3 zero crossings and
    its positive set is at most 2 intervals (``slots`` = 2 suffices). The crossings are located
    on a grid of ``points`` over [min centre - margin, max centre + margin] and refined by
    regula falsi in their grid bracket and ``newton`` safeguarded Newton steps. A positive run
    touching the left (right) end of the grid starts at -inf (ends at +inf). Beyond ``margin``
    = 8 every density is below 1e-14, so a crossing there moves L by less than that. Signs are
    read from :func:`scaled_gap`, which does not underflow in the tails; equal mixtures
    (|h| <= ``rtol`` times its terms) have no positive set: all slots are empty. Unused slots
    are empty intervals [0, 0].
    """
    mu, target = _batch(mu, target)
    B = mu.shape[0]
    centres = torch.cat([mu, target], 1)
    lo = centres.min(1).values - margin
    hi = centres.max(1).values + margin
    u = torch.linspace(0.0, 1.0, points, dtype=mu.dtype)
    x = lo[:, None] + (hi - lo)[:, None] * u
    h, _, scale = scaled_gap(x, mu, target)
    pos = h > rtol * scale
    off = torch.zeros(B, 1, dtype=torch.bool)
    start = pos & ~torch.cat([off, pos[:, :-1]], 1)
    end = pos & ~torch.cat([pos[:, 1:], off], 1)
    run = torch.cumsum(start, 1) - 1  # run index of every grid point inside a positive run
    if int(start.sum(1).max()) > slots:
        raise ParameterError(
            f"found {int(start.sum(1).max())} positive runs of G* - G_mu but slots={slots}; "
            "raise slots or points"
        )
    idx = torch.arange(points).expand(B, points)
    slot = run.clamp(0, slots - 1)
    left = torch.full((B, slots), -1, dtype=torch.long).scatter_reduce(
        1, slot, torch.where(start, idx, -1), reduce="amax")
    right = torch.full((B, slots), -1, dtype=torch.long).scatter_reduce(
        1, slot, torch.where(end, idx, -1), reduce="amax")
    used = left >= 0

    def bracket(i: torch.Tensor) -> torch.Tensor:
        return torch.gather(x, 1, i.clamp(0, points - 1))

    # Left end: h <= 0 at x[left-1], h > 0 at x[left]; right end: > 0 at x[right], <= 0 after.
    a = torch.cat([bracket(left - 1), bracket(right)], 1)
    b = torch.cat([bracket(left), bracket(right + 1)], 1)
    fa, fb = scaled_gap(a, mu, target)[0], scaled_gap(b, mu, target)[0]
    den = fb - fa
    root = torch.where(den != 0, a - fa * (b - a) / torch.where(den != 0, den, 1.0), 0.5 * (a + b))
    lo, hi = torch.minimum(a, b), torch.maximum(a, b)
    for _ in range(newton):  # safeguarded Newton on h inside the bracket
        h, dh, _ = scaled_gap(root, mu, target)
        step = torch.where(dh != 0, h / torch.where(dh != 0, dh, 1.0), 0.0)
        root = torch.minimum(torch.maximum(root - step, lo), hi)
    lft, rgt = root[:, :slots], root[:, slots:]
    lft = torch.where(left == 0, -math.inf, lft)
    rgt = torch.where(right == points - 1, math.inf, rgt)
    zero = torch.zeros_like(lft)
    lft, rgt = torch.where(used, lft, zero), torch.where(used, rgt, zero)
    return torch.stack([lft, rgt], 2).reshape(B, 2 * slots)


def total_variation(mu: torch.Tensor, target: torch.Tensor, **kw) -> torch.Tensor:
    """TV(G*, G_mu) = max_I L(mu, I) - 1, through :func:`optimal_intervals`; shape (B,)."""
    return loss(mu, optimal_intervals(mu, target, **kw), target) - 1.0


def interval_mass(mu: torch.Tensor, ends: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mass of each interval under M = (G* + G_mu)/2, shape (B, k): how much D can 'see'."""
    mu, target = _batch(mu, target)
    c = 0.5 * (cdf(ends, target) + cdf(ends, mu))
    return c[:, 1::2] - c[:, 0::2]
