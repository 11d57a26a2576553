"""WGAN-GP training of the Sec. 3 models (App. D settings), with checkpoints and evaluation.

One run = one :class:`TrainConfig`. :func:`train` is idempotent: a finished run is read
back from the results store; an interrupted one resumes from its last checkpoint, and on
the CPU ends bitwise equal to an uninterrupted run (all state, RNGs included, is in the
checkpoint, and the data order is a pure function of (seed, batch index)).

The engine computes exactly the WGAN-GP objective of Gulrajani et al. (2017),

    L_D = E[D(G(z))] - E[D(x)] + lambda * E[(||grad_x D(x_hat)||_2 - 1)^2],
    L_G = -E[D(G(z))],   x_hat = a x + (1 - a) G(z), a ~ U[0, 1],

and differs from a plain loop only in how it spends work (see :mod:`overgan_lib.bench`):
fake batches for the critic are drawn without an autograd graph, the critic is frozen
during the generator step, backward passes go only to the parameters being trained, the
critic's piecewise-linear activations are rewritten so that the double backward of the
gradient penalty skips the all-zero second-derivative flow through the forward pass,
conv models run channels_last, Adam is fused, and losses are read back to the host only
every ``log_every`` steps.
"""

from __future__ import annotations

import hashlib
import io
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn
from tqdm import tqdm

from . import data
from .errors import (
    OneLineError,
    ParameterError,
    check_choice,
    check_int,
    check_positive_float,
    check_positive_int,
)
from .models import ARCHITECTURES, Z_DIM, build, parameter_count
from .optim import OPTIMIZERS, make_optimizer
from .store import Record, atomic_write_bytes, load, record_path, save

EXPERIMENT = "train"
DATASETS = tuple(data.CARDS)
_CKPT_MAGIC = b"OVERGAN-CKPT-1\n"
_HIST = ("d_loss", "w_dist", "gp", "g_loss")


_LATER_FIELDS = {"fid_test": True, "optimizer": "adam"}


class CheckpointError(OneLineError, RuntimeError):
    """A checkpoint failed its hash check; the message names the file and the fix."""


@dataclass(frozen=True)
class TrainConfig:
    """One WGAN-GP run. Defaults are the paper's App. D settings except ``iters``."""

    dataset: str = "mnist"
    arch: str = "mlp"
    k_g: int = 256
    k_d: int = 256
    seed: int = 0
    iters: int = 1000
    batch_size: int = 64
    n_critic: int = 5
    gp_weight: float = 10.0
    lr: float = 1e-4
    beta1: float = 0.5
    beta2: float = 0.999
    eval_every: int = 0
    eval_n: int = 500
    log_every: int = 10
    ckpt_every: int = 100
    fid_test: bool = True
    optimizer: str = "adam"  # both players; any name of overgan_lib.optim.OPTIMIZERS

    def __post_init__(self) -> None:
        check_choice("dataset", self.dataset, DATASETS)
        check_choice("arch", self.arch, ARCHITECTURES)
        check_choice("optimizer", self.optimizer, OPTIMIZERS)
        for name in ("k_g", "k_d", "iters", "batch_size", "n_critic", "eval_n", "log_every",
                     "ckpt_every"):
            check_positive_int(name, getattr(self, name))
        check_int("seed", self.seed)
        check_int("eval_every", self.eval_every)
        check_positive_float("lr", self.lr)
        check_positive_float("gp_weight", self.gp_weight)
        for name in ("beta1", "beta2"):
            b = getattr(self, name)
            if not (isinstance(b, int | float) and 0 <= b < 1):
                raise ParameterError(f"{name}={b!r} must lie in [0, 1), e.g. {name}=0.5")
        if not isinstance(self.fid_test, bool):
            raise ParameterError(f"fid_test={self.fid_test!r} must be True or False")
        if self.arch != "mlp" and self.dataset == "mnist":
            raise ParameterError(f"arch={self.arch!r} needs 32x32 or 64x64 images; use "
                                 f"dataset=cifar10 or celeba, or arch='mlp' for MNIST")

    def record(self) -> dict[str, Any]:
        """The config as stored and hashed. Fields added after results were first stored
        are left out while they hold the default that reproduces the earlier behaviour, so
        adding an option never orphans existing results or checkpoints."""
        out = asdict(self)
        for name, default in _LATER_FIELDS.items():
            if out[name] == default:
                del out[name]
        return out

    @property
    def splits(self) -> tuple[str, ...]:
        """The real-data splits each evaluation scores against."""
        return ("train", "test") if self.fid_test else ("train",)

    @property
    def key(self) -> str:
        from .store import config_key

        return config_key(self.record())


def build_models(cfg: TrainConfig) -> tuple[nn.Module, nn.Module]:
    """Generator and critic for ``cfg``, initialised from ``cfg.seed``."""
    torch.manual_seed(cfg.seed)
    card = data.CARDS[cfg.dataset]
    return build(cfg.arch, cfg.k_g, cfg.k_d, size=card.resolution, channels=card.channels)


class _LeakyReLUConstantMask(torch.autograd.Function):
    """LeakyReLU whose backward treats the slope mask as a constant (see below)."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, slope: float) -> torch.Tensor:
        y = nn.functional.leaky_relu(x, slope)
        # Held outside save_for_backward on purpose: the double backward must not see a
        # path from the mask back to x (it would be all zeros anyway).
        ctx.y, ctx.slope = y.detach(), slope
        return y

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> tuple[torch.Tensor, None]:
        return torch.ops.aten.leaky_relu_backward(grad, ctx.y, ctx.slope, True), None


class _MaskedActivation(nn.Module):
    """(Leaky) ReLU with its slope mask held constant in autograd.

    Same values and first derivatives as the module it replaces; its second derivative
    with respect to x is taken as zero *symbolically*, so autograd does not push a tensor
    of zeros back through the whole forward graph in the gradient penalty's double
    backward (PyTorch's leaky_relu_backward formula returns zeros_like for that path).
    """

    def __init__(self, negative_slope: float):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return _LeakyReLUConstantMask.apply(x, self.negative_slope)


def mask_activations(module: nn.Module) -> nn.Module:
    """Replace every nn.ReLU / nn.LeakyReLU in ``module`` by :class:`_MaskedActivation`."""
    for name, child in module.named_children():
        if isinstance(child, nn.LeakyReLU):
            setattr(module, name, _MaskedActivation(child.negative_slope))
        elif isinstance(child, nn.ReLU):
            setattr(module, name, _MaskedActivation(0.0))
        else:
            mask_activations(child)
    return module


class BatchStream:
    """Minibatches of the training split; the order is a pure function of (seed, index).

    Each epoch is a fresh permutation from a generator seeded with (seed, epoch), so a
    resumed run only needs the batch counter to continue the same sequence.
    """

    def __init__(self, images: torch.Tensor, batch_size: int, seed: int, start: int = 0):
        if len(images) < batch_size:
            raise ParameterError(f"batch_size={batch_size} exceeds the {len(images)} images")
        self.images, self.batch_size, self.seed, self.index = images, batch_size, seed, start
        self.per_epoch = len(images) // batch_size
        self._epoch, self._perm = -1, torch.empty(0, dtype=torch.long)

    def next(self) -> torch.Tensor:
        epoch, j = divmod(self.index, self.per_epoch)
        if epoch != self._epoch:
            g = torch.Generator().manual_seed(self.seed * 100_003 + epoch)
            self._epoch, self._perm = epoch, torch.randperm(len(self.images), generator=g)
        self.index += 1
        idx = self._perm[j * self.batch_size:(j + 1) * self.batch_size]
        return data.to_model_range(self.images[idx])


@dataclass
class TrainState:
    """Everything a checkpoint holds besides the models and optimisers."""

    step: int = 0
    batches: int = 0
    history: list[list[float]] = field(default_factory=list)
    evals: list[dict[str, Any]] = field(default_factory=list)
    train_s: float = 0.0
    eval_s: float = 0.0
    resumed_from: list[int] = field(default_factory=list)


class Engine:
    """Models, optimisers and one generator iteration (``n_critic`` critic steps + 1 G step)."""

    def __init__(self, cfg: TrainConfig, device: str = "cpu"):
        self.cfg, self.device = cfg, torch.device(device)
        self.G, D = build_models(cfg)
        self.D = mask_activations(D)
        self.fmt = torch.channels_last if cfg.arch != "mlp" else torch.contiguous_format
        self.G.to(self.device, memory_format=self.fmt)
        self.D.to(self.device, memory_format=self.fmt)
        opt = dict(lr=cfg.lr, betas=(cfg.beta1, cfg.beta2), fused=True)  # fused: Adam only
        self.opt_g = make_optimizer(cfg.optimizer, self.G.parameters(), **opt)
        self.opt_d = make_optimizer(cfg.optimizer, self.D.parameters(), **opt)
        self.d_params = list(self.D.parameters())
        self.g_params = list(self.G.parameters())
        self.rng = torch.Generator(device=self.device).manual_seed(cfg.seed + 1)

    def _noise(self, n: int) -> torch.Tensor:
        return torch.randn(n, Z_DIM, generator=self.rng, device=self.device)

    def critic_step(self, real: torch.Tensor) -> torch.Tensor:
        """One critic update; returns (L_D, W estimate, GP) as a tensor (no host sync)."""
        b = real.shape[0]
        real = real.to(self.device, memory_format=self.fmt)
        with torch.no_grad():
            fake = self.G(self._noise(b))
        alpha = torch.rand(b, *[1] * (real.dim() - 1), generator=self.rng, device=self.device)
        x_hat = torch.lerp(fake, real, alpha).requires_grad_(True)
        w = self.D(real).mean() - self.D(fake).mean()
        grad, = torch.autograd.grad(self.D(x_hat).sum(), x_hat, create_graph=True)
        gp = (torch.linalg.vector_norm(grad.flatten(1), dim=1) - 1).square().mean()
        loss = -w + self.cfg.gp_weight * gp
        self.opt_d.zero_grad(set_to_none=True)
        torch.autograd.backward(loss, inputs=self.d_params)
        self.opt_d.step()
        return torch.stack([loss.detach(), w.detach(), gp.detach()])

    def generator_step(self) -> torch.Tensor:
        """One generator update with the critic frozen; returns L_G (no host sync)."""
        self.D.requires_grad_(False)
        loss = -self.D(self.G(self._noise(self.cfg.batch_size))).mean()
        self.opt_g.zero_grad(set_to_none=True)
        torch.autograd.backward(loss, inputs=self.g_params)
        self.opt_g.step()
        self.D.requires_grad_(True)
        return loss.detach()

    def iteration(self, stream: BatchStream) -> torch.Tensor:
        """One generator iteration; returns (L_D, W, GP, L_G) of the last critic step."""
        for _ in range(self.cfg.n_critic):
            d = self.critic_step(stream.next())
        return torch.cat([d, self.generator_step()[None]])

    def state_dict(self) -> dict[str, Any]:
        return {"G": self.G.state_dict(), "D": self.D.state_dict(),
                "opt_g": self.opt_g.state_dict(), "opt_d": self.opt_d.state_dict(),
                "rng": self.rng.get_state()}

    def load_state_dict(self, sd: dict[str, Any]) -> None:
        self.G.load_state_dict(sd["G"])
        self.D.load_state_dict(sd["D"])
        self.opt_g.load_state_dict(sd["opt_g"])
        self.opt_d.load_state_dict(sd["opt_d"])
        self.rng.set_state(sd["rng"])


# --------------------------------------------------------------------------- checkpoints
def checkpoint_path(cfg: TrainConfig) -> Path:
    """Where the checkpoint of ``cfg`` lives (cache, never the results folder)."""
    return data.cache_dir() / "checkpoints" / f"{cfg.key}.ckpt"


def save_checkpoint(path: Path, payload: dict[str, Any]) -> None:
    """Atomic checkpoint: magic line, sha256 of the body, body (torch.save)."""
    buf = io.BytesIO()
    torch.save(payload, buf)
    body = buf.getvalue()
    atomic_write_bytes(path, _CKPT_MAGIC + hashlib.sha256(body).hexdigest().encode() + b"\n"
                       + body)


def load_checkpoint(path: Path) -> dict[str, Any] | None:
    """The checkpoint's payload, None when absent; raises when the hash does not match."""
    if not path.exists():
        return None
    blob = path.read_bytes()
    head, _, rest = blob.partition(b"\n")
    digest, _, body = rest.partition(b"\n")
    if head + b"\n" != _CKPT_MAGIC or hashlib.sha256(body).hexdigest().encode() != digest:
        raise CheckpointError(f"{path} is corrupt (hash mismatch); delete it to restart the "
                              f"run from step 0")
    return torch.load(io.BytesIO(body), weights_only=True)  # tensors and plain data only


# --------------------------------------------------------------------------- evaluation
def sample(G: nn.Module, n: int, seed: int, batch: int = 100) -> torch.Tensor:
    """``n`` uint8 samples from fixed noise (seeded), generator in eval mode."""
    from .metrics.reference import sample_uint8

    was = G.training
    G.eval()
    try:
        return sample_uint8(G, Z_DIM, n, seed, batch)
    finally:
        G.train(was)


def evaluate(G: nn.Module, cfg: TrainConfig, step: int) -> dict[str, Any]:
    """FID/KID of ``eval_n`` samples against ``eval_n`` train and test images (Sec. 3).

    The generated features are computed once and scored against both splits, which gives
    FID train and FID test (the generalisation gap of Fig. 4) for the price of one
    extraction; ``fid_test=False`` skips the test split (each Fréchet distance costs a
    2048 x 2048 matrix square root, ~10-20 s on 2 CPU cores whatever N is).
    """
    from .metrics.fid import features, score_features
    from .metrics.reference import reference_features

    n = cfg.eval_n
    fake = features(sample(G, n, seed=10_000 + cfg.seed))
    out: dict[str, Any] = {"step": step, "n": n}
    for split in cfg.splits:
        s = score_features(fake, reference_features(cfg.dataset, split, n, progress=False))
        out.update({f"fid_{split}": s.fid, f"kid_{split}": s.kid, f"kid_{split}_std": s.kid_std})
    return out


# --------------------------------------------------------------------------- the run
def _first_bad(history: list[list[float]], start: int) -> int | None:
    bad = [i for i, row in enumerate(history[start:], start) if not all(map(math.isfinite, row))]
    return bad[0] + 1 if bad else None


def _result(cfg: TrainConfig, eng: Engine, st: TrainState, diverged_at: int | None) -> dict:
    hist = np.asarray(st.history, dtype=np.float64).reshape(-1, len(_HIST))
    w = max(1, cfg.log_every)
    n = len(hist) // w * w
    curves = {name: hist[:n, i].reshape(-1, w).mean(1) for i, name in enumerate(_HIST)}
    final = st.evals[-1] if st.evals and diverged_at is None else None
    return {
        "status": "diverged" if diverged_at is not None else "completed",
        "message": f"diverged at step {diverged_at}" if diverged_at is not None else "",
        "diverged_at": diverged_at,
        "steps_done": st.step,
        "iters_per_s": st.step / st.train_s if st.train_s > 0 else float("nan"),
        "train_s": st.train_s,
        "eval_s": st.eval_s,
        "params_g": parameter_count(eng.G),
        "params_d": parameter_count(eng.D),
        "curve_steps": (np.arange(len(hist) // w) + 1) * w,
        "curves": curves,
        "evals": st.evals,
        "final": final,
        "resumed_from": st.resumed_from,
    }


def grid_path(cfg: TrainConfig, profile: str) -> Path:
    """The sample grid stored beside the run's JSON."""
    return record_path(EXPERIMENT, profile, cfg.record()).with_suffix(".png")


def train(cfg: TrainConfig, profile: str = "cpu", rerun: bool = False, progress: bool = True,
          device: str | None = None, stop_after: int | None = None) -> Record | None:
    """Train (or resume, or read back) one run and store its result; see module docstring.

    ``stop_after`` ends the process's work after that many total steps without writing a
    result (the checkpoint stays), which is how tests and ``bench`` interrupt a run.
    """
    config = cfg.record()
    if not rerun and (rec := load(EXPERIMENT, profile, config)) is not None:
        return rec
    dev = device or ("cuda" if torch.cuda.is_available() else "cpu")
    eng, st = Engine(cfg, dev), TrainState()
    ckpt = checkpoint_path(cfg)
    if rerun:
        ckpt.unlink(missing_ok=True)
    if (saved := load_checkpoint(ckpt)) is not None:
        eng.load_state_dict(saved["engine"])
        st = TrainState(**saved["state"])
        st.resumed_from.append(st.step)
    stream = BatchStream(torch.from_numpy(data.load_uint8(cfg.dataset, "train")),
                         cfg.batch_size, cfg.seed, st.batches)
    diverged_at = _loop(cfg, eng, st, stream, ckpt, progress, stop_after)
    if stop_after is not None and st.step < cfg.iters and diverged_at is None:
        return None
    if diverged_at is None and (not st.evals or st.evals[-1]["step"] != st.step):
        t0 = time.perf_counter()
        st.evals.append(evaluate(eng.G, cfg, st.step))
        st.eval_s += time.perf_counter() - t0
    result = _result(cfg, eng, st, diverged_at)
    rec = save(EXPERIMENT, profile, config, result, cfg.seed, st.train_s + st.eval_s)
    if diverged_at is None:
        from .images import save_grid

        save_grid(sample(eng.G, 64, seed=20_000 + cfg.seed), grid_path(cfg, profile))
    ckpt.unlink(missing_ok=True)
    return rec


def _loop(cfg: TrainConfig, eng: Engine, st: TrainState, stream: BatchStream, ckpt: Path,
          progress: bool, stop_after: int | None) -> int | None:
    """Run steps ``st.step .. iters``; returns the divergence step or None."""
    end = cfg.iters if stop_after is None else min(cfg.iters, stop_after)
    bar = tqdm(total=cfg.iters, initial=st.step, disable=not progress, leave=False,
               desc=f"{cfg.arch} k_g={cfg.k_g} k_d={cfg.k_d} seed={cfg.seed}")
    pending: list[torch.Tensor] = []
    t0 = time.perf_counter()
    try:
        while st.step < end:
            pending.append(eng.iteration(stream))
            st.step += 1
            at_eval = bool(cfg.eval_every) and st.step % cfg.eval_every == 0
            at_ckpt = st.step % cfg.ckpt_every == 0 or st.step == end
            if not (st.step % cfg.log_every == 0 or at_eval or at_ckpt):
                continue
            first = len(st.history)
            st.history += torch.stack(pending).tolist()  # the only host sync of the loop
            pending.clear()
            bar.update(st.step - bar.n)
            d, w, gp, g = st.history[-1]
            bar.set_postfix_str(f"W={w:.3g} gp={gp:.3g} L_G={g:.3g}", refresh=False)
            if (bad := _first_bad(st.history, first)) is not None:
                st.train_s += time.perf_counter() - t0
                return bad
            st.batches = stream.index
            if at_eval:
                st.train_s += time.perf_counter() - t0
                t1 = time.perf_counter()
                st.evals.append(evaluate(eng.G, cfg, st.step))
                st.eval_s += time.perf_counter() - t1
                t0 = time.perf_counter()
            if at_ckpt:
                st.train_s += time.perf_counter() - t0
                save_checkpoint(ckpt, {"engine": eng.state_dict(), "state": asdict(st)})
                t0 = time.perf_counter()
        st.train_s += time.perf_counter() - t0
        return None
    finally:
        bar.close()
