"""The PacGAN 2D mode-collapse benchmark (Lin et al., 2018) and a small MLP GAN for it.

Data: the ring (8 Gaussians at (cos 2πj/8, sin 2πj/8), std 0.01) and the grid (25
Gaussians at {−4, −2, 0, 2, 4}², std 0.05). Metric on 2,500 samples: each sample goes to
its nearest mode and is *high quality* if it lies within 3 standard deviations of it;
*modes captured* = modes with at least one high-quality sample. Beside PacGAN's metric, a
precision-free reading of the book's (:data:`NEAR_SIGMAS`, :data:`NEAR_SHARE`): the fraction of
samples *near* a mode (within 10 standard deviations) and the modes *recovered* (holding at
least a quarter of their true share of samples within that radius), which tells a generator
that found the modes but is not yet within 3 standard deviations from one that did not.

The GAN: generator z (dim ``z_dim``, N(0, I)) → k → k → 2 with ReLU, discriminator
2 → k → k → 1 with LeakyReLU(0.2), both initialised like ``nn.Linear`` (uniform
±1/√fan_in). Loss: the standard non-saturating GAN loss (Goodfellow et al., 2014),
L_D = softplus(−D(x)) + softplus(D(G(z))), L_G = softplus(−D(G(z))), one discriminator
step then one generator step per iteration (alternating SGDA), fresh data and noise
every step. Several seeds train as one stack of models (:class:`StackedMLP`): every run
has its own initialisation and its own data/noise generator, so a seed's run does not
depend on which other seeds share the stack.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from tqdm import tqdm

from ..errors import ParameterError, check_choice, check_positive_int
from .grafting import make_optimizer_2d

DATASETS: tuple[str, ...] = ("ring", "grid")
STD = {"ring": 0.01, "grid": 0.05}
HQ_SIGMAS = 3.0  # PacGAN's high-quality radius, in standard deviations
# The book's precision-free reading (not PacGAN's, not Jelassi et al.'s): a sample is *near* a
# mode within NEAR_SIGMAS standard deviations (ring: 0.1, about an eighth of the gap between
# modes; grid: 0.5, a quarter of it), and a mode is *recovered* if at least NEAR_SHARE of its true
# share 1/M of the samples lies near it. A uniform smear over the plotted square puts about
# 0.35% (ring) and 0.8% (grid) of its samples near each mode, below the 3.1% and 1.0% needed.
NEAR_SIGMAS = 10.0
NEAR_SHARE = 0.25


def modes(name: str) -> torch.Tensor:
    """The (M, 2) mode centres of the ring (M = 8) or the grid (M = 25)."""
    check_choice("dataset", name, DATASETS)
    if name == "ring":
        a = 2 * math.pi * torch.arange(8, dtype=torch.float64) / 8
        return torch.stack([a.cos(), a.sin()], 1).float()
    v = torch.tensor([-4.0, -2.0, 0.0, 2.0, 4.0])
    return torch.cartesian_prod(v, v)


def sample_data(name: str, n: int, generator: torch.Generator) -> torch.Tensor:
    """``n`` samples of the mixture (uniform over modes, isotropic std ``STD[name]``)."""
    centres = modes(name)
    idx = torch.randint(len(centres), (n,), generator=generator)
    return centres[idx] + STD[name] * torch.randn(n, 2, generator=generator)


def _mode_distances(samples: torch.Tensor | np.ndarray, name: str
                    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """``samples`` as a float tensor ((n, 2) or (R, n, 2), else a one-line error), every
    sample's distance to its nearest mode of ``name`` and that mode, one-hot (flattened)."""
    x = torch.as_tensor(samples, dtype=torch.float32)
    if x.dim() not in (2, 3) or x.shape[-1] != 2:
        raise ParameterError(f"samples must have shape (n, 2) or (runs, n, 2), got "
                             f"{tuple(x.shape)}")
    c = modes(name)
    dist, idx = torch.cdist(x.reshape(-1, 2).double(), c.double()).min(1)  # (N,) of (N, M)
    return x, dist, F.one_hot(idx, len(c))


def _within(x: torch.Tensor, dist: torch.Tensor, onehot: torch.Tensor, radius: float
            ) -> tuple[torch.Tensor, torch.Tensor]:
    """The fraction of samples within ``radius`` of their nearest mode and, per mode, how
    many are (each with the run axis of ``x`` when it has one)."""
    mask = dist <= radius
    counts = (onehot * mask[:, None]).reshape(*x.shape[:-1], onehot.shape[1]).sum(-2)
    return mask.reshape(x.shape[:-1]).double().mean(-1), counts


def _near(x: torch.Tensor, dist: torch.Tensor, onehot: torch.Tensor, name: str,
          sigmas: float, share: float) -> dict[str, np.ndarray]:
    fraction, counts = _within(x, dist, onehot, sigmas * STD[name])
    return {"near_fraction": fraction.numpy(),
            "near_modes": (counts >= share * x.shape[-2] / onehot.shape[1]).sum(-1).numpy()}


def near_reading(samples: np.ndarray | torch.Tensor, name: str, sigmas: float = NEAR_SIGMAS,
                 share: float = NEAR_SHARE) -> dict[str, np.ndarray]:
    """The precision-free reading of ``samples`` ((n, 2) or (runs, n, 2)) at radius
    ``sigmas`` standard deviations of mixture ``name`` and recovery share ``share``:
    ``near_fraction`` (samples within the radius of their nearest mode) and ``near_modes``
    (modes holding at least ``share`` / M of the samples within it). At the defaults it is
    :func:`pacgan_metric`'s near fields."""
    if not (sigmas > 0 and 0 < share <= 1):
        raise ParameterError(f"sigmas={sigmas!r}, share={share!r}: need sigmas > 0 and "
                             "0 < share <= 1")
    return _near(*_mode_distances(np.asarray(samples), name), name, sigmas, share)


def pacgan_metric(samples: torch.Tensor | np.ndarray, name: str) -> dict[str, Any]:
    """Modes captured and high-quality fraction of ``samples`` ((n, 2), or (R, n, 2) runs).

    Returns ``modes`` (captured count), ``hq_fraction`` and ``counts`` (high-quality
    samples per mode); the precision-free reading ``near_fraction`` (share of samples within
    :data:`NEAR_SIGMAS` standard deviations of their nearest mode) and ``near_modes`` (modes
    holding at least :data:`NEAR_SHARE` / M of the samples within that radius;
    :func:`near_reading`); and ``dist_median``, the median distance to the nearest mode in
    standard deviations. Each has a leading run axis when the input has one.
    """
    x, dist, onehot = _mode_distances(samples, name)
    hq_fraction, counts = _within(x, dist, onehot, HQ_SIGMAS * STD[name])
    return {"modes": (counts > 0).sum(-1).numpy(), "hq_fraction": hq_fraction.numpy(),
            "counts": counts.numpy(), **_near(x, dist, onehot, name, NEAR_SIGMAS, NEAR_SHARE),
            "dist_median": np.median((dist / STD[name]).reshape(x.shape[:-1]).numpy(), -1)}


class StackedMLP(nn.Module):
    """R independent MLPs ``sizes[0] → … → sizes[-1]`` evaluated as one batched program.

    Weights have shape (R, fan_in, fan_out); run r is initialised from ``seeds[r]`` like
    ``nn.Linear`` (weights and biases uniform in ±1/√fan_in).
    """

    def __init__(self, sizes: list[int], seeds: list[int], activation: str, tag: int):
        super().__init__()
        check_choice("activation", activation, ("relu", "leaky_relu"))
        self.activation = activation
        self.weights, self.biases = nn.ParameterList(), nn.ParameterList()
        gens = [torch.Generator().manual_seed(1_000 * s + tag) for s in seeds]
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:], strict=True):
            b = 1 / math.sqrt(fan_in)
            w = torch.stack([(torch.rand(fan_in, fan_out, generator=g) * 2 - 1) * b
                             for g in gens])
            bias = torch.stack([(torch.rand(1, fan_out, generator=g) * 2 - 1) * b
                                for g in gens])
            self.weights.append(nn.Parameter(w))
            self.biases.append(nn.Parameter(bias))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (R, n, fan_in) → (R, n, fan_out)."""
        last = len(self.weights) - 1
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            x = torch.baddbmm(b, x, w)
            if i < last:
                x = F.relu(x) if self.activation == "relu" else F.leaky_relu(x, 0.2)
        return x


def build_gan(k: int, seeds: list[int], z_dim: int = 2, depth: int = 2
              ) -> tuple[StackedMLP, StackedMLP]:
    """Generator z → k (×depth) → 2 (ReLU) and discriminator 2 → k (×depth) → 1 (LeakyReLU)."""
    check_positive_int("k", k)
    hidden = [k] * check_positive_int("depth", depth)
    G = StackedMLP([check_positive_int("z_dim", z_dim), *hidden, 2], seeds, "relu", tag=1)
    D = StackedMLP([2, *hidden, 1], seeds, "leaky_relu", tag=2)
    return G, D


class _Streams:
    """Per-run data and noise generators (seeded), drawn as (R, n, ·) batches."""

    def __init__(self, runs: list[tuple[str, int]], z_dim: int):
        self.runs, self.z_dim = runs, z_dim
        self.gens = [torch.Generator().manual_seed(1_000 * s + 3) for _, s in runs]

    def data(self, n: int) -> torch.Tensor:
        return torch.stack([sample_data(name, n, g)
                            for (name, _), g in zip(self.runs, self.gens, strict=True)])

    def noise(self, n: int) -> torch.Tensor:
        return torch.stack([torch.randn(n, self.z_dim, generator=g) for g in self.gens])


def fixed_noise(seeds: list[int], n: int, z_dim: int) -> torch.Tensor:
    """The evaluation noise of each run, (R, n, z_dim), independent of training."""
    return torch.stack([torch.randn(n, z_dim, generator=torch.Generator().manual_seed(
        1_000 * s + 4)) for s in seeds])


def train_gan(datasets: str | list[str], optimizer: str, lr_g: float, lr_d: float, k: int,
              seeds: list[int], steps: int, batch: int = 128, z_dim: int = 2, depth: int = 2,
              betas: tuple[float, float] = (0.5, 0.999), eval_n: int = 2500,
              record_every: int = 0, progress: bool = False) -> dict[str, dict[str, Any]]:
    """Train one stack of 2D GANs, one per (dataset, seed), scored by :func:`pacgan_metric`.

    ``optimizer`` is any name of :data:`.grafting.OPTIMIZERS_2D`, used for both
    players with learning rates ``lr_g`` and ``lr_d``. Returns, per dataset, the per-seed
    final ``modes``, ``hq_fraction``, ``near_fraction``, ``near_modes``, ``dist_median``
    (:func:`pacgan_metric`), ``samples`` (seeds, eval_n, 2), ``diverged`` and, when
    ``record_every`` > 0, the curves (checkpoints x seeds) at ``curve_steps`` of modes captured
    (``curve``), high-quality fraction (``curve_hq``), near fraction (``curve_near``) and
    modes recovered (``curve_near_modes``). Scoring at a checkpoint uses the run's fixed
    evaluation noise and changes nothing in training. A run whose losses become non-finite
    scores 0 modes.
    """
    names = [datasets] if isinstance(datasets, str) else list(datasets)
    for name in names:
        check_choice("dataset", name, DATASETS)
    check_positive_int("steps", steps)
    runs = [(name, s) for name in names for s in seeds]
    run_seeds = [s for _, s in runs]
    G, D = build_gan(k, run_seeds, z_dim, depth)
    opt_g = make_optimizer_2d(optimizer, G.parameters(), lr_g, betas, batched=True)
    opt_d = make_optimizer_2d(optimizer, D.parameters(), lr_d, betas, batched=True)
    streams, z_eval = _Streams(runs, z_dim), fixed_noise(run_seeds, eval_n, z_dim)
    curve: dict[str, list] = {key: [] for key in _CURVES}
    curve_steps = []
    finite = torch.ones(len(runs), dtype=torch.bool)
    for t in tqdm(range(1, steps + 1), disable=not progress, leave=False,
                  desc=f"{'+'.join(names)} {optimizer} k={k}"):
        real, z = streams.data(batch), streams.noise(batch)
        with torch.no_grad():
            fake = G(z)
        loss_d = F.softplus(-D(real)).mean((1, 2)) + F.softplus(D(fake)).mean((1, 2))
        opt_d.zero_grad(set_to_none=True)
        loss_d.sum().backward()  # runs are independent: the sum's gradient is each run's
        opt_d.step()
        D.requires_grad_(False)
        loss_g = F.softplus(-D(G(streams.noise(batch)))).mean((1, 2))
        opt_g.zero_grad(set_to_none=True)
        loss_g.sum().backward()
        opt_g.step()
        D.requires_grad_(True)
        finite &= torch.isfinite(loss_d.detach()) & torch.isfinite(loss_g.detach())
        if record_every and t % record_every == 0:
            sc = _score(G, z_eval, runs, finite)
            for key, metric in _CURVES.items():
                curve[key].append(sc[metric])
            curve_steps.append(t)
    final = _score(G, z_eval, runs, finite)
    arrs = {key: np.asarray(v, dtype=np.int64 if key in ("curve", "curve_near_modes")
                            else float).reshape(-1, len(runs)) for key, v in curve.items()}
    out = {}
    for i, name in enumerate(names):
        sl = slice(i * len(seeds), (i + 1) * len(seeds))
        out[name] = {**{key: final[key][sl] for key in _FINAL},
                     "samples": final["samples"][sl], "diverged": (~finite).numpy()[sl],
                     **{key: a[:, sl] for key, a in arrs.items()},
                     "curve_steps": np.asarray(curve_steps, dtype=np.int64)}
    return out


#: Scores kept per run at the end of training, and the checkpoint curves (curve key: score).
_FINAL = ("modes", "hq_fraction", "near_fraction", "near_modes", "dist_median")
_CURVES = {"curve": "modes", "curve_hq": "hq_fraction", "curve_near": "near_fraction",
           "curve_near_modes": "near_modes"}


def _score(G: StackedMLP, z: torch.Tensor, runs: list[tuple[str, int]],
           finite: torch.Tensor) -> dict[str, np.ndarray]:
    """PacGAN metric of every run of the stack on its fixed noise (non-finite: no mode)."""
    with torch.no_grad():
        x = G(z)
    x = torch.where(finite[:, None, None] & torch.isfinite(x), x, torch.full_like(x, 1e6))
    scores = [pacgan_metric(x[r], name) for r, (name, _) in enumerate(runs)]
    out = {key: np.array([s[key] for s in scores]) for key in _FINAL}
    for key in ("modes", "near_modes"):
        out[key] = out[key].astype(np.int64)
    return {**out, "samples": x.numpy()}


BOXES = {"ring": 1.5, "grid": 5.0}  # half-widths of the square the chance baseline fills


def uniform_baseline(name: str, n: int = 2500, seed: int = 0) -> dict[str, Any]:
    """The metric of ``n`` points uniform on the square [−b, b]² (b = ``BOXES[name]``).

    A chance level: a generator that smears mass over the whole region captures this
    many modes without having learned any of them.
    """
    return pacgan_metric(smear(name, n, seed), name)


def smear(name: str, n: int = 2500, seed: int = 0) -> torch.Tensor:
    """``n`` points uniform on the square [−b, b]² (b = ``BOXES[name]``), seeded: the samples
    of :func:`uniform_baseline`."""
    g = torch.Generator().manual_seed(seed)
    return (torch.rand(check_positive_int("n", n), 2, generator=g) * 2 - 1) * BOXES[name]
