"""Checks on every known setting, shared by the profile tables and the experiments that
take settings from elsewhere (chapter overrides, sweep specs)."""

from __future__ import annotations

import math
from typing import Any

from ..errors import (
    ParameterError,
    check_choice,
    check_int,
    check_positive_float,
    check_positive_int,
    check_positive_ints,
)

_INTS = ("m", "d", "n", "k", "p", "T", "seeds", "draws", "violation_draws", "gamma_T",
         "mc_draws", "record_every", "repeats", "speed_images", "iters", "eval_n", "log_every",
         "ckpt_every", "workers", "fixed", "group", "grid", "inits", "opt_points", "steps",
         "batch", "z_dim", "depth", "k_show", "clf_n", "clf_epochs", "batch_size", "eval_batches",
         "n_train", "n_real", "n_samples", "critic_seeds")
_INT_LISTS = ("widths", "spectrum_widths", "d_iters", "ms", "curve_ns", "d_steps", "curve_at",
              "fit_sizes")
_STEPS = ("eta_bar", "sign_eta", "mu", "mu_diter", "tol", "eta_g", "eta_d", "box", "init_range")


def validate_settings(cfg: dict[str, Any]) -> dict[str, Any]:
    """Check every known setting: positive integers (k > 0 included) and positive step sizes.

    Raises a one-line :class:`ParameterError` naming the first bad value. Discriminator
    step sizes ``mu`` must also be <= 1 (Lemma A.2 and Theorem A.4 assume it).
    """
    for key in _INTS:
        if key in cfg:
            check_positive_int(key, cfg[key])
    for key in _INT_LISTS:
        if key in cfg:
            check_positive_ints(key, cfg[key])
    for key in _STEPS:
        if key in cfg:
            check_positive_float(key, cfg[key], upper=1.0 if key.startswith("mu") else None)
    if "eval_every" in cfg:
        check_int("eval_every", cfg["eval_every"])
    if "dataset" in cfg:
        check_choice("dataset", cfg["dataset"], ("mnist", "cifar10", "celeba"))
    if "datasets" in cfg:
        for name in cfg["datasets"]:
            check_choice("datasets entry", name, ("mnist", "cifar10", "celeba"))
        if "n" in cfg:
            _check_train_split(cfg["n"], cfg["datasets"])
            if "curve_ns" in cfg:
                _check_curve_ns(cfg["curve_ns"], cfg["n"], cfg["datasets"])
    if "targets" in cfg:
        _check_targets(cfg["targets"])
    if "sweep" in cfg or "sweeps" in cfg:
        from ..sweep.registry import spec

        for name in cfg.get("sweeps", [cfg.get("sweep")]):
            spec(name)
    if "ema" in cfg and not (isinstance(cfg["ema"], int | float) and 0 <= cfg["ema"] < 1):
        raise ParameterError(f"ema={cfg['ema']!r} must lie in [0, 1), e.g. ema=0.999")
    if "baselines" in cfg:
        for name in cfg["baselines"]:
            base = "memorise" if str(name).startswith("memorise_") else name
            check_choice("baselines entry", base, ("memorise", "blur", "noise", "fresh"))
    if "curve_at" in cfg and "steps" in cfg and max(cfg["curve_at"]) > cfg["steps"]:
        raise ParameterError(f"curve_at contains {max(cfg['curve_at'])} > steps="
                             f"{cfg['steps']}; use checkpoints <= steps")
    if "ratios" in cfg:
        for r in cfg["ratios"]:
            check_positive_float("ratios", r)
    _validate_related(cfg)
    return cfg


def _check_train_split(n: int, datasets: list[str]) -> None:
    """``n`` training images per dataset must exist (the test side is capped at its split)."""
    from ..data import CARDS

    name = min(datasets, key=lambda d: CARDS[d].counts["train"])
    have = CARDS[name].counts["train"]
    if n > have:
        raise ParameterError(f"n={n} exceeds the {have:,} training images of {name}; "
                             f"use n <= {have}")


def _check_curve_ns(curve_ns: list[int], n: int, datasets: list[str]) -> None:
    """Chapter 5's FID-against-N curve draws each N from a pool of ``n`` training and at most
    ``n`` test images of its dataset (CIFAR-10 where listed, else the first;
    :func:`overgan_lib.metrics.floors.data_metrics`): a larger N would be computed at the pool's
    size but stored and plotted at the N asked for."""
    from ..data import CARDS

    name = "cifar10" if "cifar10" in datasets else datasets[0]
    pool = min(n, CARDS[name].counts["test"])
    if max(curve_ns) > pool:
        raise ParameterError(f"curve_ns contains {max(curve_ns)} > {pool:,}, the images per side "
                             f"of the curve's pool ({name}: n={n}, {CARDS[name].counts['test']:,} "
                             f"test images); use curve_ns <= {pool}")


def _check_targets(targets: object) -> None:
    """Two distinct finite target means (mu*_1, mu*_2) of the mixture GAN."""
    try:
        vals = [float(t) for t in targets]  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise ParameterError(f"targets={targets!r} must be two numbers, e.g. [-0.5, 0.5]") from None
    if len(vals) != 2 or not all(math.isfinite(v) for v in vals) or vals[0] == vals[1]:
        raise ParameterError(f"targets={targets!r} must be two distinct finite means, "
                             "e.g. [-0.5, 0.5]")


def _validate_related(cfg: dict[str, Any]) -> None:
    """Settings of the related-work chapters (optimiser specs, PacGAN benchmarks, ...)."""
    if "optimizers" in cfg:
        from ..optim import OPTIMIZERS
        from ..related.grafting import OPTIMIZERS_2D
        from ..related.jelassi import check_specs

        # The 2D benchmarks have their own optimisers (the reverse graft); MNIST runs the
        # book's training engine, which knows overgan_lib.optim's.
        check_specs(cfg["optimizers"], choices=OPTIMIZERS_2D if "benchmarks" in cfg
                    else OPTIMIZERS)
        if "probes" in cfg:
            check_specs(cfg["probes"], "probes")
    for name in cfg.get("benchmarks", []):
        check_choice("benchmarks entry", name, ("ring", "grid"))
    if "k_show" in cfg and "widths" in cfg and cfg["k_show"] not in cfg["widths"]:
        raise ParameterError(f"k_show={cfg['k_show']!r} must be one of widths={cfg['widths']}")
    if "betas" in cfg:
        from ..optim import check_betas

        check_betas(cfg["betas"])
    if "tol_frac" in cfg:
        check_positive_float("tol_frac", cfg["tol_frac"], upper=1.0)
    if "conf_tol" in cfg:
        check_positive_float("conf_tol", cfg["conf_tol"], upper=1.0)
    if "record_every" in cfg and "steps" in cfg and cfg["steps"] % cfg["record_every"]:
        raise ParameterError(f"record_every={cfg['record_every']} must divide "
                             f"steps={cfg['steps']}")
