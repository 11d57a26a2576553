"""Execution profiles, defined once for the whole book.

``smoke``  CI: seconds per chapter; proves the code path, numbers mean nothing.
``cpu``    default: minutes on a 2-core laptop; honest reduced-scale results.
``gpu``    reduced scale sized for about 10 minutes of one H100 per experiment.
``paper``  the paper's exact settings where it gives them.

Each experiment has one settings table with a row per profile. The theory chapters'
experiments run on the CPU at every profile (they are small dense linear algebra); the
paper gives no sizes for Figs. 2 and 9, so ``paper`` reuses the ``gpu`` rows for them.
"""

from __future__ import annotations

import copy
import math
from typing import Any

from .errors import (
    ParameterError,
    check_choice,
    check_int,
    check_positive_float,
    check_positive_int,
    check_positive_ints,
)

PROFILES: tuple[str, ...] = ("smoke", "cpu", "gpu", "paper")
DEFAULT_PROFILE = "cpu"

_TABLES: dict[str, dict[str, dict[str, Any]]] = {
    # Chapter 1: one small instance of eq. 2.
    "formulation": {
        "smoke": dict(m=4, d=3, n=32, k=32, widths=[16, 64], T=300, seeds=2, mu=0.5),
        "cpu": dict(
            m=4, d=3, n=32, k=64, widths=[8, 16, 32, 64, 128, 256, 512], T=4000, seeds=5, mu=0.5
        ),
        "gpu": dict(
            m=4,
            d=3,
            n=32,
            k=64,
            widths=[8, 16, 32, 64, 128, 256, 512, 1024, 2048],
            T=8000,
            seeds=10,
            mu=0.5,
        ),
    },
    # Chapter 2: Lemma A.2 / A.3 random checks.
    "eigen": {
        "smoke": dict(draws=200, m=5, p=12, violation_draws=200, gamma_T=50),
        "cpu": dict(draws=5000, m=6, p=20, violation_draws=5000, gamma_T=400),
        "gpu": dict(draws=20000, m=8, p=32, violation_draws=20000, gamma_T=800),
    },
    # Chapter 3: Theorem A.4 lock-step runs and the spectrum at initialisation.
    "perturbation": {
        "smoke": dict(
            m=4,
            d=4,
            n=32,
            widths=[32, 128],
            seeds=2,
            T=100,
            mu=0.5,
            eta_bar=0.05,
            record_every=5,
            mc_draws=20,
            spectrum_widths=[32, 128],
        ),
        "cpu": dict(
            m=8,
            d=8,
            n=64,
            widths=[16, 64, 256, 1024, 4096, 8192, 16384],
            seeds=3,
            T=800,
            mu=0.5,
            eta_bar=0.05,
            record_every=5,
            mc_draws=400,
            spectrum_widths=[16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192],
        ),
        "gpu": dict(
            m=8,
            d=8,
            n=64,
            widths=[16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768],
            seeds=5,
            T=1200,
            mu=0.5,
            eta_bar=0.05,
            record_every=5,
            mc_draws=2000,
            spectrum_widths=[16, 64, 256, 1024, 4096, 16384],
        ),
    },
    # Chapter 4: Fig. 2 (Gaussian data) sweep over k.
    "fig2": {
        "smoke": dict(
            m=8,
            d=4,
            n=32,
            widths=[4, 16, 64],
            seeds=2,
            T=200,
            eta_bar=1 / 16,
            mu=0.5,
            record_every=10,
        ),
        "cpu": dict(
            m=16,
            d=8,
            n=64,
            widths=[2, 4, 8, 16, 32, 64, 128, 256],
            seeds=5,
            T=2000,
            eta_bar=1 / 16,
            mu=0.5,
            record_every=10,
        ),
        "gpu": dict(
            m=16,
            d=8,
            n=64,
            widths=[2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
            seeds=10,
            T=5000,
            eta_bar=1 / 16,
            mu=0.5,
            record_every=10,
        ),
    },
    # Chapter 4: Fig. 9 on two moons.
    "fig9": {
        "smoke": dict(
            n=128,
            noise=0.1,
            d=2,
            widths=[2, 8],
            seeds=2,
            T=200,
            eta_bar=1 / 16,
            mu=0.5,
            mu_diter=0.1,
            d_iters=[1, 5],
            record_every=10,
        ),
        "cpu": dict(
            n=512,
            noise=0.1,
            d=2,
            widths=[1, 2, 3, 4, 8, 16, 32, 64, 128],
            seeds=5,
            T=2000,
            eta_bar=1 / 16,
            mu=0.5,
            mu_diter=0.1,
            d_iters=[1, 5, 25],
            record_every=10,
        ),
        "gpu": dict(
            n=2048,
            noise=0.1,
            d=2,
            widths=[1, 2, 3, 4, 8, 16, 32, 64, 128, 256],
            seeds=10,
            T=4000,
            eta_bar=1 / 16,
            mu=0.5,
            mu_diter=0.1,
            d_iters=[1, 2, 5, 25],
            record_every=10,
        ),
    },
    # Chapter 4 (beyond the paper): success probability vs reachability over (k, m).
    "cone": {
        "smoke": dict(
            ms=[2, 4], ratios=[1, 2, 4], d=4, n=32, draws=16, T=300, eta_bar=1 / 4, tol=1e-6
        ),
        "cpu": dict(
            ms=[2, 4, 8, 16],
            ratios=[0.5, 1, 1.5, 2, 2.5, 3, 4, 6, 8],
            d=8,
            n=64,
            draws=64,
            T=4000,
            eta_bar=1 / 4,
            tol=1e-6,
        ),
        "gpu": dict(
            ms=[2, 4, 8, 16, 32],
            ratios=[0.5, 1, 1.5, 2, 2.5, 3, 4, 6, 8, 12],
            d=8,
            n=64,
            draws=256,
            T=10000,
            eta_bar=1 / 4,
            tol=1e-6,
        ),
    },
}
# Chapter 5: FID floors (train vs test) and FID against N. Feature extraction runs at
# about 6-7 images/s on 2 CPU cores, so the cpu profile stops at 1,000 images per side.
_TABLES["data_metrics"] = {
    "smoke": dict(datasets=["mnist", "cifar10", "celeba"], n=16, curve_ns=[8, 16], repeats=2,
                  speed_images=16),
    "cpu": dict(datasets=["mnist", "cifar10", "celeba"], n=1000,
                curve_ns=[50, 100, 200, 500, 1000], repeats=3, speed_images=64),
    "gpu": dict(datasets=["mnist", "cifar10", "celeba"], n=10000,
                curve_ns=[100, 200, 500, 1000, 2000, 5000, 10000], repeats=3, speed_images=2000),
}
# Issue 10: NND of baseline "generators" (overgan_lib.metrics.generalization). The critic
# (Gulrajani et al. 2019 reference: batch 256, 100k steps, EMA 0.999) costs 2.2 s per step
# at batch 256 on one core of the 2-core CPU (0.57 s at batch 64; `overgan bench nnd`), and
# several times that while the machine is shared, so the cpu row trains 200 steps at batch
# 64 with a shorter EMA (0.99; horizon 100 steps instead of the reference's 1000 of 100k)
# and also records the raw critic's curve.
_TABLES["generalization_baselines"] = {
    "smoke": dict(dataset="cifar10",
                  baselines=["memorise", "memorise_16", "blur", "noise", "fresh"],
                  n_train=256, n_real=64, steps=4, curve_at=[2, 4], batch_size=8,
                  eval_batches=1, ema=0.9),
    "cpu": dict(dataset="cifar10",
                baselines=["memorise", "memorise_500", "blur", "noise", "fresh"],
                n_train=50000, n_real=10000, steps=200, curve_at=[25, 50, 100, 200],
                batch_size=64, eval_batches=4, ema=0.99),
    # Sized, not measured (no GPU timing yet; see `overgan bench nnd`). No "fresh" (new real
    # images) here: 20k steps of 256 draw 5.1M samples, 100 times the training split.
    "gpu": dict(dataset="cifar10", baselines=["memorise", "memorise_500", "blur", "noise"],
                n_train=50000, n_real=10000, steps=20000,
                curve_at=[1000, 2000, 5000, 10000, 20000], batch_size=256, eval_batches=40,
                ema=0.999),
}
# Issue 10: copy ratios and nearest training images of the same baselines, against the fixed
# training subset whose Inception features are cached for FID (feature extraction runs at a
# few images/s on the CPU, so the cpu row uses 1,000 training images).
_TABLES["neighbour_baselines"] = {
    "smoke": dict(dataset="cifar10", baselines=["memorise", "blur", "noise"], n_samples=8,
                  n_train=16, k=3),
    "cpu": dict(dataset="cifar10", baselines=["memorise", "blur", "noise"], n_samples=64,
                n_train=1000, k=3),
    "gpu": dict(dataset="cifar10", baselines=["memorise", "blur", "noise"], n_samples=1000,
                n_train=50000, k=3),
}
# Issue 10: FID of the same baselines (overgan_lib.metrics.memorisation) at the N the
# CIFAR-10 sweeps evaluate at, against the same cached reference images.
_TABLES["generalization_fid"] = {
    "smoke": dict(dataset="cifar10", baselines=["memorise", "memorise_16", "blur", "noise"],
                  n=16),
    "cpu": dict(dataset="cifar10", baselines=["memorise", "memorise_500", "blur", "noise"],
                n=200),
    "gpu": dict(dataset="cifar10", baselines=["memorise", "memorise_500", "blur", "noise"],
                n=10000),
}
for _table in _TABLES.values():
    _table["paper"] = _table["gpu"]
# The reference's own settings (nn_divergence.set_flags): 100k steps, 10k scoring batches.
# Figs. 6 and 10: the same protocols applied to width sweeps' kept generators, at the same
# profile (the sweep's runs and the baselines share the profile). Fig. 6 has a DCGAN and a
# ResNet panel; each sweep is one stored record, {"sweep": name, "seeds": seeds}. Each
# profile scores every seed its sweeps train, so NND has seed error bars (cpu: 3 seeds of
# 4 DCGAN and 3 ResNet widths, 21 generators, about 50 minutes on the 2-core CPU).
_FIG6 = ["cifar10_dcgan", "cifar10_resnet"]
_TABLES["generalization"] = {
    "smoke": dict(sweeps=_FIG6, seeds=2),
    "cpu": dict(sweeps=_FIG6, seeds=3),
    "gpu": dict(sweeps=_FIG6, seeds=3),
    "paper": dict(sweeps=_FIG6, seeds=5),
}
_TABLES["generalization_baselines"]["paper"] = dict(
    _TABLES["generalization_baselines"]["gpu"], steps=100_000, eval_batches=10_000,
    curve_at=[1000, 10_000, 30_000, 100_000])
# Fig. 6's memoriser claim: the memoriser against new real images over several critic seeds
# (overgan_lib.metrics.nnd_floor), under the baselines' protocol. Only smoke and cpu draw few
# enough samples for new real images to exist (the chapter checks before it runs).
_TABLES["nnd_floor"] = {p: {**{k: v for k, v in row.items() if k != "baselines"},
                            "critic_seeds": 3}
                        for p, row in _TABLES["generalization_baselines"].items()}

# Part II training sweeps (App. D: WGAN-GP, lambda = 10, 5 critic steps, Adam 1e-4 (0.5,
# 0.999), batch 64, 300k generator iterations). Only ``iters``, the widths, the seed count
# and the evaluation size change between profiles. Measured on the 2-core CPU with this
# engine: MLP k=2048 0.61 s/iter, k=1024 0.23, k=256 0.04; FID features ~7 images/s.
_TABLES["mnist_mlp"] = {
    "smoke": dict(widths=[8, 32], seeds=2, iters=20, eval_every=0, eval_n=16, log_every=5,
                  ckpt_every=10, workers=2, fid_test=False),
    "cpu": dict(widths=[16, 64, 256, 1024, 2048], seeds=3, iters=600, eval_every=0,
                eval_n=500, log_every=10, ckpt_every=100, workers=2, fid_test=True),
    # Sized, not measured (no GPU was lent to this work): 6 widths x 3 seeds x 4k iterations
    # with 4 runs sharing the device, one FID (5k samples, train and test) per run at the end,
    # estimated at ~10 H100-minutes in all.
    "gpu": dict(widths=[16, 64, 256, 1024, 2048, 4096], seeds=3, iters=4000, eval_every=0,
                eval_n=5000, log_every=50, ckpt_every=1000, workers=4, fid_test=True),
    "paper": dict(widths=[16, 64, 256, 512, 1024, 2048, 4096], seeds=5, iters=300_000,
                  eval_every=10_000, eval_n=10_000, log_every=100, ckpt_every=5000,
                  workers=4, fid_test=True),
}

# Related work, Jelassi et al. (2023): optimisers on the PacGAN 2D benchmarks (chapter 12).
# Unknown in the paper and chosen here: the MLP GAN (2 hidden layers of width k, z_dim 2),
# the non-saturating loss, batch 64, the step counts and every learning rate below. The
# learning rates come from short probes at k=64, 2,000 steps (Adam: 1e-3 beat 3e-4 and
# 1e-4; SGDA 0.3 and nSGDA 0.01 and 0.1 captured at most 2 ring modes). Measured on the
# shared 2-core CPU (load ~4): 10-15 ms per step for the stack of 2 benchmarks x 3 seeds
# at k <= 64, about 4x that at k = 256, so the cpu profile stops at k = 128.
_SPECS_2D = [["sgda", 0.01, 0.01], ["sgda", 0.03, 0.03], ["sgda", 0.01, 0.1],
             ["nsgda", 0.03, 0.03], ["adam", 1e-3, 1e-3], ["graft", 1e-3, 1e-3]]
# The cpu row's 2,000 steps are too short to decide anything: at k=32 no optimiser's
# high-quality fraction there beats a uniform smear on the grid, and the mode curves are
# still moving at the last checkpoint (chapter 12). Those probes ran in that undertrained
# regime, and Adam's winner 1e-3 sat at the edge of the range tried, so the gpu/paper rows
# train 25-50x longer and give Adam, nSGDA and grafting more than one setting each
# (nSGDA also with a faster discriminator).
_SPECS_2D_GPU = _SPECS_2D + [["adam", 3e-3, 3e-3], ["nsgda", 0.01, 0.01],
                             ["nsgda", 0.03, 0.1], ["graft", 3e-3, 3e-3]]
_TABLES["jelassi_2d"] = {
    "smoke": dict(benchmarks=["ring", "grid"], widths=[8, 16], k_show=8, seeds=2, steps=40,
                  batch=32, z_dim=2, depth=2, betas=[0.5, 0.999], eval_n=2500,
                  record_every=20, tol_frac=0.1,
                  optimizers=[["sgda", 0.1, 0.1], ["nsgda", 0.03, 0.03], ["adam", 1e-3, 1e-3],
                              ["graft", 1e-3, 1e-3]]),
    "cpu": dict(benchmarks=["ring", "grid"], widths=[8, 32, 128], k_show=32, seeds=3,
                steps=2000, batch=64, z_dim=2, depth=2, betas=[0.5, 0.999], eval_n=2500,
                record_every=250, tol_frac=0.1, optimizers=_SPECS_2D),
    "gpu": dict(benchmarks=["ring", "grid"], widths=[16, 64, 256, 1024], k_show=256,
                seeds=10, steps=50_000, batch=128, z_dim=2, depth=2, betas=[0.5, 0.999],
                eval_n=2500, record_every=2500, tol_frac=0.1, optimizers=_SPECS_2D_GPU),
    "paper": dict(benchmarks=["ring", "grid"], widths=[16, 64, 256, 1024], k_show=256,
                  seeds=10, steps=100_000, batch=128, z_dim=2, depth=2, betas=[0.5, 0.999],
                  eval_n=2500, record_every=5000, tol_frac=0.1, optimizers=_SPECS_2D_GPU),
}
# gpu rows here and below: sized, not measured (no GPU was lent to this work).
# The same comparison with the book's WGAN-GP engine on MNIST (TrainConfig.optimizer; the
# engine has one learning rate for both players), scored by a small digit classifier
# (related/digits.py) because one Fréchet distance costs 80-90 s on the shared CPU.
# SGDA 1e-1 diverged within 20 iterations in a probe at k=64; 1e-2 trained.
_SPECS_MNIST = [["adam", 1e-4], ["sgda", 1e-2], ["nsgda", 2e-2], ["graft", 1e-4]]
_TABLES["jelassi_mnist"] = {
    "smoke": dict(widths=[8, 16], seeds=1, iters=3, eval_n=64, log_every=1, clf_n=1000,
                  conf_tol=0.05, optimizers=[["sgda", 1e-2], ["adam", 1e-4]]),
    "cpu": dict(widths=[64, 256], seeds=1, iters=300, eval_n=1000, log_every=10,
                clf_n=30_000, conf_tol=0.05, optimizers=_SPECS_MNIST),
    "gpu": dict(widths=[64, 256, 1024], seeds=3, iters=4000, eval_n=5000, log_every=50,
                clf_n=60_000, conf_tol=0.05, optimizers=_SPECS_MNIST),
    "paper": dict(widths=[64, 256, 1024, 4096], seeds=5, iters=100_000, eval_n=10_000,
                  log_every=100, clf_n=60_000, conf_tol=0.02, optimizers=_SPECS_MNIST),
}

# Sec. 3 image sweeps (Figs. 1, 4, 5, 7). The paper lists no widths; the grids bracket its
# saturation points (DCGAN k=64, ResNet k=128). Sizing: cpu from this engine's measured
# 2-core speeds (DCGAN k=64 CIFAR-10 ~1.3 s/iter on 2 threads, FID features ~7 images/s);
# gpu for ~8 H200-minutes per sweep with all runs graphed in one process (measured 283 it/s
# aggregate for 15 DCGAN runs); paper: App. D (300k iterations, 5 seeds), one Ray task of
# ``group`` runs per GPU.
def _image_sweep(widths_cpu, widths, iters_cpu, eval_every_cpu, iters_gpu, fixed=None,
                 eval_n=10_000):
    extra = {} if fixed is None else {"fixed": fixed}
    extra_cpu = {} if fixed is None else {"fixed": max(8, fixed // 4)}
    return {
        "smoke": dict(widths=[4, 8], seeds=2, iters=3, eval_every=0, eval_n=16, log_every=1,
                      ckpt_every=3, workers=2, fid_test=False, group=1,
                      **({} if fixed is None else {"fixed": 4})),
        "cpu": dict(widths=widths_cpu, seeds=3, iters=iters_cpu, eval_every=eval_every_cpu,
                    eval_n=200, log_every=5, ckpt_every=50, workers=2, fid_test=True, group=1,
                    **extra_cpu),
        "gpu": dict(widths=widths, seeds=3, iters=iters_gpu, eval_every=iters_gpu // 3,
                    eval_n=eval_n, log_every=100, ckpt_every=1000, workers=1, fid_test=True,
                    group=len(widths) * 3, **extra),
        "paper": dict(widths=widths, seeds=5, iters=300_000, eval_every=10_000,
                      eval_n=eval_n, log_every=100, ckpt_every=5000, workers=1,
                      fid_test=True, group=5, **extra),
    }


_DCGAN_K, _RESNET_K = [8, 16, 32, 64, 128], [16, 32, 64, 128, 256]
# The DCGAN sweeps (Fig. 5's FID over iterations) evaluate at least MIN_EVALS = 3 times per
# run at cpu, so that the convergence rule has a rate to judge.
_TABLES["cifar10_dcgan"] = _image_sweep([8, 16, 32, 64], _DCGAN_K, 100, 25, 6000)
# The offline CelebA subset has 2,000 test images: FID test (and train, same N) on 2,000.
_TABLES["celeba_dcgan"] = _image_sweep([8, 16, 32], _DCGAN_K, 60, 20, 3000, eval_n=2000)
_TABLES["cifar10_resnet"] = _image_sweep([16, 32, 64], _RESNET_K, 60, 30, 3000)
_TABLES["celeba_resnet"] = _image_sweep([16, 32], _RESNET_K, 40, 20, 1500, eval_n=2000)
_TABLES["cifar10_resnet_d"] = _image_sweep([16, 32, 64], _RESNET_K, 60, 30, 3000, fixed=128)
_TABLES["cifar10_resnet_g"] = _image_sweep([16, 32, 64], _RESNET_K, 60, 30, 3000, fixed=128)


# Related work (Li, Madry, Peebles, Schmidt 2018): the two-Gaussian mixture GAN. The grid,
# initialisations, step sizes, T and targets are the public reproduction's (notes.md); the
# paper states none of them, so ``paper`` is that reproduction's heat map with the paper's
# k = 2 intervals only. All rows run in float64 on the CPU in seconds to minutes.
_TABLES["li2018"] = {
    "smoke": dict(grid=4, box=1.0, inits=4, T=200, eta_g=0.1, eta_d=0.1, targets=[-0.5, 0.5],
                  init_range=3.0, tol=0.1, widths=[1, 2, 4], d_steps=[1, 2], record_every=20,
                  opt_points=200),
    "cpu": dict(grid=10, box=1.0, inits=20, T=3000, eta_g=0.1, eta_d=0.1, targets=[-0.5, 0.5],
                init_range=3.0, tol=0.1, widths=[1, 2, 4, 8, 16], d_steps=[1, 2, 5],
                record_every=100, opt_points=200),
    "gpu": dict(grid=20, box=1.0, inits=50, T=3000, eta_g=0.1, eta_d=0.1, targets=[-0.5, 0.5],
                init_range=3.0, tol=0.1, widths=[1, 2, 4, 8, 16, 32], d_steps=[1, 2, 5, 10],
                record_every=100, opt_points=200),
    "paper": dict(grid=10, box=1.0, inits=20, T=3000, eta_g=0.1, eta_d=0.1,
                  targets=[-0.5, 0.5], init_range=3.0, tol=0.1, widths=[2], d_steps=[1],
                  record_every=100, opt_points=200),
}


def check_profile(profile: object) -> str:
    """Validate a profile name (one-line error listing the valid ones)."""
    return check_choice("profile", profile, PROFILES)


def settings(experiment: str, profile: str, **overrides: Any) -> dict[str, Any]:
    """The settings of ``experiment`` at ``profile``, with keyword overrides applied.

    Unknown overrides are rejected so that a typo in a chapter parameter cannot be
    silently ignored.
    """
    check_profile(profile)
    if experiment not in _TABLES:
        raise ParameterError(
            f"experiment={experiment!r} is unknown; use one of {', '.join(sorted(_TABLES))}"
        )
    out = copy.deepcopy(_TABLES[experiment][profile])
    for key, value in overrides.items():
        if key not in out:
            raise ParameterError(
                f"{key}={value!r} is not a setting of {experiment!r}; valid: {', '.join(out)}"
            )
        out[key] = value
    validate_settings(out)
    return out


_INTS = ("m", "d", "n", "k", "p", "T", "seeds", "draws", "violation_draws", "gamma_T",
         "mc_draws", "record_every", "repeats", "speed_images", "iters", "eval_n", "log_every",
         "ckpt_every", "workers", "fixed", "group", "grid", "inits", "opt_points", "steps",
         "batch", "z_dim", "depth", "k_show", "clf_n", "batch_size", "eval_batches", "n_train",
         "n_real", "n_samples", "critic_seeds")
_INT_LISTS = ("widths", "spectrum_widths", "d_iters", "ms", "curve_ns", "d_steps", "curve_at")
_STEPS = ("eta_bar", "mu", "mu_diter", "tol", "eta_g", "eta_d", "box", "init_range")


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
    if "targets" in cfg:
        _check_targets(cfg["targets"])
    if "sweep" in cfg or "sweeps" in cfg:
        from .sweep.registry import spec

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
        from .related.jelassi import check_specs

        check_specs(cfg["optimizers"])
    for name in cfg.get("benchmarks", []):
        check_choice("benchmarks entry", name, ("ring", "grid"))
    if "k_show" in cfg and "widths" in cfg and cfg["k_show"] not in cfg["widths"]:
        raise ParameterError(f"k_show={cfg['k_show']!r} must be one of widths={cfg['widths']}")
    if "betas" in cfg:
        from .optim import check_betas

        check_betas(cfg["betas"])
    if "tol_frac" in cfg:
        check_positive_float("tol_frac", cfg["tol_frac"], upper=1.0)
    if "conf_tol" in cfg:
        check_positive_float("conf_tol", cfg["conf_tol"], upper=1.0)
    if "record_every" in cfg and "steps" in cfg and cfg["steps"] % cfg["record_every"]:
        raise ParameterError(f"record_every={cfg['record_every']} must divide "
                             f"steps={cfg['steps']}")


def experiments() -> list[str]:
    """Names of all experiments with profile tables."""
    return sorted(_TABLES)
