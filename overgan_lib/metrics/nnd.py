"""Neural-net divergence (NND) of Gulrajani, Raffel and Metz (ICLR 2019), used in Fig. 6.

A fresh WGAN-GP critic is trained to separate samples of a "generator" from real images;
the NND is the negated critic loss, gradient penalty included, measured with the EMA of
the critic weights on held-out real images against fresh samples. A larger NND means the
critic separates the two better, i.e. a worse generator.

Reference: google-research ``towards_gan_benchmarks`` (``lib/nn_divergence.py``,
``lib/gan.py``). What is taken from it, and where:

* ``nn_divergence.set_flags``: batch 256, EMA decay 0.999, 100k steps, WGAN-GP critic,
  He initialiser, lr 2e-4 with linear decay, swish, no normalisation, no L2 penalty,
  ``wgangp_minimax=True`` (divergence = -disc_cost, penalty included); ``gan.set_flags``
  for WGAN-GP: Adam beta1 = 0, beta2 = 0.9, lambda = 10, dim 64, 5x5 kernels.
* ``gan.dcgan_discriminator``: conv(64) -> conv(128) -> conv(256), 5x5 stride 2 'SAME'
  (slim default padding), swish after each, then a linear layer to one output. The convs
  use ``variance_scaling_initializer()`` (truncated normal, std sqrt(1.3 * 2 / fan_in)),
  the linear layer slim's default Xavier-uniform; all biases start at zero.
* ``gan.losses`` (``wgan-gp``): cost = mean D(fake) - mean D(real) + 10 mean((s - 1)^2),
  s = sqrt(1e-8 + |grad D(x_hat)|^2), x_hat = real + a (fake - real), a ~ U[0, 1].
* ``gan.disc_train_op``: Adam at lr * (1 - step / iters), TF's Adam (epsilon 1e-8 added to
  sqrt(v), bias correction folded into the step size).
* ``nn_divergence._make_runner``: uint8 -> (x - 128) / 128 + U[0, 1/128) on both sides;
  ``tf.train.ExponentialMovingAverage(0.999)`` of the critic weights after every step,
  started at the initial weights; the final score is the mean divergence over
  ``final_eval_iters`` batches with the EMA weights swapped in.

Deviations (all deliberate, each a parameter where it matters):

1. Held-out evaluation. The reference trains and evaluates on one real stream (its
   caller's ``real_gen``); here the critic trains on ``real_fit`` and is evaluated on
   ``real_eval`` (issue 10: train split vs test split), against fresh samples.
2. Step count and evaluation size are parameters (reference: 100k steps, 10k evaluation
   batches of 256); ``curve_at`` evaluates the EMA critic at checkpoints of the *same* run,
   whose learning rate decays linearly over the full ``steps``, so a checkpoint at step s
   is not a run with ``steps=s``.
3. Real batches are drawn as seeded epoch-wise permutations of ``real_fit`` (the
   reference leaves the real stream to its caller); images may be any (C, H, W), the
   reference fixes 32x32x3 (the linear layer's width follows the image size).
4. PyTorch's NCHW layout: the linear layer sees the features in (C, H, W) order rather
   than TF's (H, W, C), a fixed permutation of a freshly initialised layer. (Tensors are
   kept channels_last in memory for speed; that changes no value.)
5. Random numbers come from PyTorch generators seeded by ``seed`` (initial weights,
   dequantisation noise, penalty mixing weights, real batches), so the CPU score is
   bitwise reproducible; the reference leaves its graph unseeded by default.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import torch
from torch import nn
from tqdm import tqdm

from ..errors import ParameterError, check_int, check_positive_float, check_positive_int

Sampler = Callable[[int], torch.Tensor]

# Reference defaults (nn_divergence.set_flags, gan.set_flags for wgan-gp).
BATCH = 256
EMA = 0.999
LR = 2e-4
BETAS = (0.0, 0.9)
GP_WEIGHT = 10.0
DIM = 64
KERNEL = 5
REFERENCE_STEPS = 100_000
REFERENCE_EVAL_BATCHES = 10_000


def swish(x: torch.Tensor) -> torch.Tensor:
    """x * sigmoid(x) (``gan._swish``)."""
    return x * torch.sigmoid(x)


def same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """TF 'SAME' padding (before, after) of one spatial axis; the extra pixel goes after."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class SameConv(nn.Conv2d):
    """A 2-d convolution with TF's 'SAME' padding (asymmetric for 5x5 stride 2 on even
    sizes: one pixel before, two after)."""

    def __init__(self, cin: int, cout: int, kernel: int, stride: int):
        super().__init__(cin, cout, kernel, stride, padding=0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ph = same_padding(x.shape[-2], self.kernel_size[0], self.stride[0])
        pw = same_padding(x.shape[-1], self.kernel_size[1], self.stride[1])
        return super().forward(nn.functional.pad(x, (*pw, *ph)))


class NNDCritic(nn.Module):
    """``gan.dcgan_discriminator`` at the NND flags: three 5x5 stride-2 'SAME' convs
    (dim, 2 dim, 4 dim filters) with swish, no normalisation, then linear -> 1."""

    def __init__(self, channels: int = 3, size: int = 32, dim: int = DIM):
        super().__init__()
        self.convs = nn.ModuleList([SameConv(channels, dim, KERNEL, 2),
                                    SameConv(dim, 2 * dim, KERNEL, 2),
                                    SameConv(2 * dim, 4 * dim, KERNEL, 2)])
        side = math.ceil(math.ceil(math.ceil(size / 2) / 2) / 2)
        self.fc = nn.Linear(4 * dim * side * side, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for conv in self.convs:
            x = swish(conv(x))
        return self.fc(x.flatten(1)).squeeze(-1)


def init_critic(critic: NNDCritic, gen: torch.Generator) -> NNDCritic:
    """The reference's initialisation, drawn from ``gen``.

    Convs: ``variance_scaling_initializer()`` = truncated normal (cut at 2 std) with std
    sqrt(1.3 * 2 / fan_in); linear: Xavier uniform (slim's default); biases zero.
    """
    with torch.no_grad():
        for conv in critic.convs:
            fan_in = conv.weight[0].numel()
            std = math.sqrt(1.3 * 2.0 / fan_in)
            conv.weight.copy_(_trunc_normal(conv.weight.shape, std, gen))
            conv.bias.zero_()
        fan_out, fan_in = critic.fc.weight.shape
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        critic.fc.weight.copy_((torch.rand(critic.fc.weight.shape, generator=gen) * 2 - 1)
                               * limit)
        critic.fc.bias.zero_()
    return critic


def _trunc_normal(shape: torch.Size, std: float, gen: torch.Generator) -> torch.Tensor:
    """N(0, std^2) redrawn outside +-2 std, as TF's ``truncated_normal``."""
    out = torch.randn(shape, generator=gen)
    bad = out.abs() > 2
    while bool(bad.any()):
        out[bad] = torch.randn(int(bad.sum()), generator=gen)
        bad = out.abs() > 2
    return out * std


def ema_update(shadow: Sequence[torch.Tensor], params: Sequence[torch.Tensor],
               decay: float) -> None:
    """shadow <- decay * shadow + (1 - decay) * param (``tf.train.ExponentialMovingAverage``
    without ``num_updates``, as the reference uses it)."""
    with torch.no_grad():
        for s, p in zip(shadow, params, strict=True):
            s.mul_(decay).add_(p.detach(), alpha=1 - decay)


class TFAdam:
    """``tf.train.AdamOptimizer``: lr_t = lr sqrt(1 - b2^t) / (1 - b1^t),
    p <- p - lr_t m / (sqrt(v) + eps). (PyTorch's Adam adds eps to the bias-corrected
    sqrt(v) instead, which differs while 1 - b2^t is far from 1.)"""

    def __init__(self, params: Sequence[torch.Tensor], betas: tuple[float, float] = BETAS,
                 eps: float = 1e-8):
        self.params = list(params)
        self.b1, self.b2, self.eps, self.t = betas[0], betas[1], eps, 0
        self.m = [torch.zeros_like(p) for p in self.params]
        self.v = [torch.zeros_like(p) for p in self.params]

    def step(self, lr: float) -> None:
        self.t += 1
        lr_t = lr * math.sqrt(1 - self.b2 ** self.t) / (1 - self.b1 ** self.t)
        with torch.no_grad():
            grads = [p.grad for p in self.params]
            torch._foreach_mul_(self.m, self.b1)
            torch._foreach_add_(self.m, grads, alpha=1 - self.b1)
            torch._foreach_mul_(self.v, self.b2)
            torch._foreach_addcmul_(self.v, grads, grads, value=1 - self.b2)
            denom = torch._foreach_sqrt(self.v)
            torch._foreach_add_(denom, self.eps)
            torch._foreach_addcdiv_(self.params, self.m, denom, value=-lr_t)


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
    shows how far the EMA lags at small step counts.
    """

    nnd: float
    steps: int
    batch_size: int
    eval_batches: int
    curve_steps: list[int] = field(default_factory=list)
    curve: list[float] = field(default_factory=list)
    curve_raw: list[float] = field(default_factory=list)
    train_divergence: list[float] = field(default_factory=list)

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
    if res.curve_steps and res.curve_steps[-1] == steps:
        res.nnd = res.curve[-1]
    else:
        _swap(params, shadow)
        res.nnd = score()
        _swap(params, shadow)
    return res
