"""The configs of a sweep: dataset x arch x (k_g, k_d) x seed."""

from __future__ import annotations

from itertools import product
from typing import Any

from ..errors import ParameterError, check_positive_int, check_positive_ints
from ..train import RunOptions, TrainConfig
from .registry import spec

# Settings of a sweep's profile row that go into each run's (hashed) config ...
HASHED = ("iters", "eval_every", "eval_n", "fid_test")
# ... and those that only say how it is executed.
OPTIONS = ("log_every", "ckpt_every")


def grid(dataset: str, arch: str, widths: list[int], seeds: int | list[int],
         k_d: list[int] | None = None, pairs: list[tuple[int, int]] | None = None,
         **settings: Any) -> list[TrainConfig]:
    """Configs of a sweep; ``k_d=None`` ties the critic's width to the generator's (k_g=k_d).

    ``pairs`` gives the (k_g, k_d) list directly. ``settings`` are the remaining
    :class:`TrainConfig` fields (iters, eval_n, ...).
    """
    check_positive_ints("widths", widths)
    seed_list = list(range(seeds)) if isinstance(seeds, int) else list(seeds)
    if isinstance(seeds, int):
        check_positive_int("seeds", seeds)
    if pairs is None:
        pairs = ([(k, k) for k in widths] if k_d is None
                 else list(product(widths, check_positive_ints("k_d", k_d))))
    return [TrainConfig(dataset=dataset, arch=arch, k_g=g, k_d=d, seed=s, **settings)
            for (g, d), s in product(pairs, seed_list)]


def experiment_configs(experiment: str, cfg: dict[str, Any], seed: int = 0) -> list[TrainConfig]:
    """The grid of a named sweep (e.g. ``mnist_mlp``, Fig. 3) from its profile settings.

    Seeds are ``seed, seed + 1, ...`` so a chapter's ``seed`` parameter shifts them all.
    """
    from ..data import CARDS

    s = spec(experiment)
    seeds = [seed + i for i in range(check_positive_int("seeds", cfg["seeds"]))]
    # Fail before any training, not at the first evaluation hours later.
    splits = ("train", "test") if cfg.get("fid_test", True) else ("train",)
    most = min(CARDS[s.dataset].counts[x] for x in splits)
    if cfg.get("eval_n", 0) > most:
        raise ParameterError(f"eval_n={cfg['eval_n']} exceeds the {most} images of "
                             f"{s.dataset}'s {'/'.join(splits)} split(s); use eval_n <= {most}")
    pairs = s.pairs(cfg["widths"], cfg.get("fixed"))
    return grid(s.dataset, s.arch, cfg["widths"], seeds, pairs=pairs,
                **{k: cfg[k] for k in HASHED if k in cfg})


def run_options(cfg: dict[str, Any], **overrides: Any) -> RunOptions:
    """How a sweep's runs execute (cadences from the profile row; device etc. overrides)."""
    return RunOptions(**{k: cfg[k] for k in OPTIONS if k in cfg}, **overrides)
