"""What a training run computes (hashed) apart from how it is executed (not hashed).

:class:`TrainConfig` holds everything that changes the numbers a run produces: data,
architecture, widths, seed, iterations, optimiser and evaluation size. Its
:meth:`~TrainConfig.record` is stored with the result and hashed into the run's key (the
file name in the results store and the checkpoint name). :class:`RunOptions` holds how the
run is executed (device, CUDA graphs, log and checkpoint cadence, whether the generator is
kept): changing those never changes a run's identity, so committed results stay found.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .. import data
from ..errors import (
    OneLineError,
    ParameterError,
    check_choice,
    check_int,
    check_positive_float,
    check_positive_int,
)
from ..models import ARCHITECTURES

DATASETS = tuple(data.CARDS)
DEVICES = ("cpu", "cuda")

# Fields added after results were first stored, with the default that reproduces the
# earlier behaviour: left out of the hashed record while they hold it.
_LATER_FIELDS: dict[str, Any] = {"fid_test": True, "optimizer": "adam"}
# Optimisers whose step can be captured in a CUDA graph (no host syncs in their step).
GRAPH_OPTIMIZERS = ("adam", "sgda")


class CheckpointError(OneLineError, RuntimeError):
    """A checkpoint failed its hash check; the message names the file and the fix."""


@dataclass(frozen=True)
class TrainConfig:
    """One WGAN-GP run. Defaults are the paper's App. D settings except ``iters``.

    Every field changes what the run computes, so every field is part of its key.
    """

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
    fid_test: bool = True
    optimizer: str = "adam"  # both players; a name of overgan_lib.optim.OPTIMIZERS

    def __post_init__(self) -> None:
        from ..optim import OPTIMIZERS

        check_choice("dataset", self.dataset, DATASETS)
        check_choice("arch", self.arch, ARCHITECTURES)
        check_choice("optimizer", self.optimizer, OPTIMIZERS)
        for name in ("k_g", "k_d", "iters", "batch_size", "n_critic", "eval_n"):
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

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> TrainConfig:
        """Inverse of :meth:`record`; a run option passed here is a one-line error."""
        options = sorted(set(record) & set(RunOptions.__dataclass_fields__))
        if options:
            raise ParameterError(f"{options[0]}={record[options[0]]!r} is a run option, not "
                                 f"part of a run's identity; pass it in RunOptions")
        return cls(**record)

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
        """The run's identity: a hash of :meth:`record` (see :func:`store.config_key`)."""
        from ..store import config_key

        return config_key(self.record())


@dataclass(frozen=True)
class RunOptions:
    """How a run is executed; none of it changes the run's key.

    ``device`` None picks cuda when available. ``graphs`` None captures each generator
    iteration as a CUDA graph on cuda and runs eagerly on the CPU. ``log_every`` is the
    host-sync cadence (losses are averaged over it in the stored curves), ``ckpt_every``
    the checkpoint cadence, ``keep_weights`` keeps the final generator (content-addressed,
    see :func:`overgan_lib.train.weights.store_generator`).
    """

    device: str | None = None
    graphs: bool | None = None
    log_every: int = 10
    ckpt_every: int = 100
    keep_weights: bool = True

    def __post_init__(self) -> None:
        if self.device is not None:
            check_choice("device", self.device.split(":")[0], DEVICES)
        for name in ("log_every", "ckpt_every"):
            check_positive_int(name, getattr(self, name))
        for name in ("graphs", "keep_weights"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, bool):
                raise ParameterError(f"{name}={value!r} must be True, False or None")

    def resolved_device(self) -> str:
        import torch

        return self.device or ("cuda" if torch.cuda.is_available() else "cpu")

    def use_graphs(self, optimizer: str = "adam") -> bool:
        """CUDA graphs only exist on cuda and capture only some optimisers' steps;
        ``graphs=True`` where they cannot be used is a one-line error, ``None`` decides."""
        on_cuda = self.resolved_device().startswith("cuda")
        if self.graphs and not on_cuda:
            raise ParameterError("graphs=True needs device='cuda'; use graphs=None or False "
                                 "on the CPU")
        if self.graphs and optimizer not in GRAPH_OPTIMIZERS:
            raise ParameterError(f"graphs=True cannot capture optimizer={optimizer!r}; use one "
                                 f"of {', '.join(GRAPH_OPTIMIZERS)} or graphs=None")
        return (on_cuda and optimizer in GRAPH_OPTIMIZERS) if self.graphs is None \
            else self.graphs

    def record(self) -> dict[str, Any]:
        return asdict(self)
