"""The NND protocol: train a fresh critic against a sampler, score it on held-out real
images (see :mod:`overgan_lib.metrics.nnd` for the reference and the deviations)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import torch
from torch import nn
from tqdm import tqdm

from ...errors import ParameterError, check_int, check_positive_float, check_positive_int
from .critic import NNDCritic, init_critic
from .optim import TFAdam, ema_update

Sampler = Callable[[int], torch.Tensor]

# Reference defaults (nn_divergence.set_flags, gan.set_flags for wgan-gp).
BATCH = 256
EMA = 0.999
LR = 2e-4
GP_WEIGHT = 10.0
REFERENCE_STEPS = 100_000
REFERENCE_EVAL_BATCHES = 10_000


def dequantize(x: torch.Tensor, gen: torch.Generator, device: str) -> torch.Tensor:
    """uint8 -> (x - 128) / 128 + U[0, 1/128) (``_make_runner.scale_and_dequantize``).

    The noise is drawn on the CPU from ``gen`` so that it does not depend on the device.
    """
    noise = torch.rand(x.shape, generator=gen) / 128.0
    out = ((x.to(torch.float32) - 128.0) / 128.0 + noise).to(device)
    return out.contiguous(memory_format=torch.channels_last)


def critic_cost(critic: nn.Module, real: torch.Tensor, fake: torch.Tensor,
                alpha: torch.Tensor, gp_weight: float = GP_WEIGHT,
                create_graph: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """(disc_cost, gradient penalty) of ``gan.losses`` for ``wgan-gp``; NND = -disc_cost."""
    interp = (real + alpha.view(-1, 1, 1, 1) * (fake - real)).requires_grad_(True)
    d_interp = critic(interp)
    (grad,) = torch.autograd.grad(d_interp.sum(), interp, create_graph=create_graph)
    slopes = torch.sqrt(1e-8 + grad.pow(2).flatten(1).sum(1))
    gp = (slopes - 1).pow(2).mean()
    cost = critic(fake).mean() - critic(real).mean() + gp_weight * gp
    return cost, gp


def train_step(critic: nn.Module, opt: TFAdam, shadow: Sequence[torch.Tensor],
               real: torch.Tensor, fake: torch.Tensor, alpha: torch.Tensor, lr: float,
               ema: float) -> torch.Tensor:
    """One critic update (``disc_train_op`` then the EMA op); returns the detached cost."""
    for p in opt.params:
        p.grad = None
    cost, _ = critic_cost(critic, real, fake, alpha)
    cost.backward()
    opt.step(lr)
    ema_update(shadow, opt.params, ema)
    return cost.detach()


@dataclass
class NNDResult:
    """The NND (EMA critic on held-out reals vs fresh samples) and its checkpoint curve.

    ``curve_raw`` scores the raw (non-averaged) critic at the same checkpoints, which
    shows how far the EMA lags at small step counts. ``real_gap`` (with its standard error
    ``real_gap_se``) is how much the scored (EMA) critic learnt its own real images
    (:func:`real_gap`); ``real_gap_raw`` and ``real_gap_raw_se`` the same for the raw critic
    at the last step, which the EMA trails.
    """

    nnd: float
    steps: int
    batch_size: int
    eval_batches: int
    curve_steps: list[int] = field(default_factory=list)
    curve: list[float] = field(default_factory=list)
    curve_raw: list[float] = field(default_factory=list)
    train_divergence: list[float] = field(default_factory=list)
    real_gap: float = float("nan")
    real_gap_se: float = float("nan")
    real_gap_raw: float = float("nan")
    real_gap_raw_se: float = float("nan")

    def as_dict(self) -> dict:
        return asdict(self)


def check_images(name: str, x: torch.Tensor | np.ndarray) -> torch.Tensor:
    """A uint8 (N, C, H, W) tensor with N >= 1, or a one-line error naming ``name``."""
    t = torch.as_tensor(x)
    if t.dtype != torch.uint8:
        raise ParameterError(f"{name} must be uint8 images in [0, 255], got dtype {t.dtype}; "
                             f"convert [-1, 1] floats with overgan_lib.metrics.quantize")
    if t.ndim != 4 or len(t) == 0:
        raise ParameterError(f"{name} must have shape (N, C, H, W) with N >= 1, got "
                             f"{tuple(t.shape)}")
    return t


class _Stream:
    """Seeded epoch-wise permutations of a uint8 image set (real batches)."""

    def __init__(self, images: torch.Tensor, seed: int):
        self.images, self.gen = images, torch.Generator().manual_seed(seed)
        self.perm, self.pos = torch.randperm(len(images), generator=self.gen), 0

    def next(self, n: int) -> torch.Tensor:
        out = []
        while n > 0:
            if self.pos == len(self.perm):
                self.perm, self.pos = torch.randperm(len(self.images), generator=self.gen), 0
            take = min(n, len(self.perm) - self.pos)
            out.append(self.perm[self.pos:self.pos + take])
            self.pos, n = self.pos + take, n - take
        return self.images[torch.cat(out)]


def _fake_batch(sampler: Sampler, n: int, like: torch.Tensor) -> torch.Tensor:
    fake = check_images("sampler output", sampler(n))
    if fake.shape[0] != n or fake.shape[1:] != like.shape[1:]:
        raise ParameterError(f"sampler({n}) returned shape {tuple(fake.shape)}; expected "
                             f"({n}, {', '.join(map(str, like.shape[1:]))}) like the real images")
    return fake


def _evaluate(critic: nn.Module, sampler: Sampler, stream: _Stream, like: torch.Tensor,
              batches: int, batch_size: int, gen: torch.Generator, device: str) -> float:
    """Mean divergence -disc_cost over ``batches`` held-out batches (no parameter update)."""
    vals = []
    for _ in range(batches):
        real = dequantize(stream.next(batch_size), gen, device)
        fake = dequantize(_fake_batch(sampler, batch_size, like), gen, device)
        alpha = torch.rand(batch_size, generator=gen).to(device)
        cost, _ = critic_cost(critic, real, fake, alpha, create_graph=False)
        vals.append(-float(cost.detach()))
    return float(np.mean(vals))


def real_gap(critic: nn.Module, real_fit: torch.Tensor, real_eval: torch.Tensor,
             batch_size: int, gen: torch.Generator, device: str) -> tuple[float, float]:
    """The critic's real-side overfitting: mean D(x) over its fit images minus mean D(x)
    over the held-out ones, each image scored once (dequantised as in training), and the
    standard error of that difference.

    This project's diagnostic, not part of Gulrajani et al. (2019) or their code (whose
    critic trains and is scored on one real stream). The two halves are draws from one
    distribution, so a critic that has not learnt its fit images gives 0 up to the error; a
    positive gap is what it learnt of them. The gap does not enter the NND (which uses the
    held-out images and the samples, and whose critic outputs have a free offset), so it
    says whether the critic learnt its real set, not how much that moved any score.
    """
    def outputs(images: torch.Tensor) -> torch.Tensor:
        with torch.no_grad():
            out = [critic(dequantize(images[i:i + batch_size], gen, device)).flatten().cpu()
                   for i in range(0, len(images), batch_size)]
        return torch.cat(out).double()

    a, b = outputs(real_fit), outputs(real_eval)
    if min(len(a), len(b)) < 2:
        return float(a.mean() - b.mean()), float("nan")
    # Unequal variances; the rule reads it with a normal quantile (no Welch degrees of freedom).
    se = torch.sqrt(a.var() / len(a) + b.var() / len(b))
    return float(a.mean() - b.mean()), float(se)


def _swap(params: Sequence[torch.Tensor], other: Sequence[torch.Tensor]) -> None:
    with torch.no_grad():
        for p, o in zip(params, other, strict=True):
            tmp = p.detach().clone()
            p.copy_(o)
            o.copy_(tmp)


def nnd(sampler: Sampler, real_fit: torch.Tensor | np.ndarray,
        real_eval: torch.Tensor | np.ndarray, steps: int, seed: int = 0,
        batch_size: int = BATCH, eval_batches: int = 8, curve_at: Sequence[int] = (),
        ema: float = EMA, lr: float = LR, device: str = "cpu",
        progress: bool = True) -> NNDResult:
    """Neural-net divergence between ``sampler`` and the real data (see module docstring).

    ``sampler(n)`` returns n uint8 (n, C, H, W) images (fresh ones on every call);
    ``real_fit`` are the real images the critic trains on, ``real_eval`` the held-out real
    images it is scored on. The critic trains for ``steps`` steps of ``batch_size`` per
    side; the score is the mean of -disc_cost over ``eval_batches`` batches with the EMA
    weights. ``curve_at`` lists checkpoints (<= steps) at which the same score is also
    taken. Bitwise reproducible on the CPU for a fixed seed (given a seeded sampler).
    """
    real_fit = check_images("real_fit", real_fit)
    real_eval = check_images("real_eval", real_eval)
    if real_fit.shape[1:] != real_eval.shape[1:]:
        raise ParameterError(f"real_fit images are {tuple(real_fit.shape[1:])} but real_eval "
                             f"images are {tuple(real_eval.shape[1:])}; use one image shape")
    check_positive_int("steps", steps)
    check_int("seed", seed)
    check_positive_int("batch_size", batch_size)
    check_positive_int("eval_batches", eval_batches)
    check_positive_float("lr", lr)
    if not 0 <= ema < 1:
        raise ParameterError(f"ema={ema!r} must lie in [0, 1), e.g. ema=0.999")
    marks = sorted({check_positive_int("curve_at entry", int(s)) for s in curve_at})
    if marks and marks[-1] > steps:
        raise ParameterError(f"curve_at contains {marks[-1]} > steps={steps}; use checkpoints "
                             f"<= steps")
    c, h, w = real_fit.shape[1:]
    if h != w:
        raise ParameterError(f"images must be square, got {h}x{w}")
    gen = torch.Generator().manual_seed(seed)
    critic = init_critic(NNDCritic(c, h), gen).to(device, memory_format=torch.channels_last)
    params = list(critic.parameters())
    shadow = [p.detach().clone() for p in params]
    opt = TFAdam(params)
    fit = _Stream(real_fit, seed + 1)
    eval_gen = torch.Generator().manual_seed(seed + 2)
    res = NNDResult(float("nan"), steps, batch_size, eval_batches)

    def score() -> float:
        stream = _Stream(real_eval, seed + 3)  # the same held-out batches at every checkpoint
        return _evaluate(critic, sampler, stream, real_fit, eval_batches, batch_size,
                         eval_gen, device)

    for step in tqdm(range(steps), desc="NND critic", disable=not progress):
        real = dequantize(fit.next(batch_size), gen, device)
        fake = dequantize(_fake_batch(sampler, batch_size, real_fit), gen, device)
        alpha = torch.rand(batch_size, generator=gen).to(device)
        cost = train_step(critic, opt, shadow, real, fake, alpha, lr * (1.0 - step / steps),
                          ema)
        res.train_divergence.append(-float(cost))
        if step + 1 in marks:
            res.curve_raw.append(score())
            _swap(params, shadow)
            res.curve.append(score())
            _swap(params, shadow)
            res.curve_steps.append(step + 1)
    # The real-side gaps draw from generators of their own, so that no other number moves.
    res.real_gap_raw, res.real_gap_raw_se = real_gap(
        critic, real_fit, real_eval, batch_size, torch.Generator().manual_seed(seed + 5), device)
    _swap(params, shadow)  # the EMA weights: the critic that is scored
    res.nnd = res.curve[-1] if res.curve_steps and res.curve_steps[-1] == steps else score()
    res.real_gap, res.real_gap_se = real_gap(critic, real_fit, real_eval, batch_size,
                                             torch.Generator().manual_seed(seed + 4), device)
    _swap(params, shadow)
    return res
