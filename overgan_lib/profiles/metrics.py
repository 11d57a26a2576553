"""Profile rows of the metric experiments: chapter 5's FID floors and chapter 10's
generalization protocols (NND, nearest neighbours, FID of baseline "generators")."""

from __future__ import annotations

from typing import Any

TABLES: dict[str, dict[str, dict[str, Any]]] = {}
# Chapter 5: FID floors (train vs test) and FID against N. Feature extraction runs at a
# few images/s on 2 CPU cores (chapter 5 measures it), so the cpu profile stops at 1,000
# images per side. The gpu row stops at 8,000: the offline CelebA subset has 8,000 training
# images (its 2,000 test images cap the test side there).
TABLES["data_metrics"] = {
    "smoke": dict(datasets=["mnist", "cifar10", "celeba"], n=16, curve_ns=[8, 16], repeats=2,
                  speed_images=16),
    "cpu": dict(datasets=["mnist", "cifar10", "celeba"], n=1000,
                curve_ns=[50, 100, 200, 500, 1000], repeats=3, speed_images=64),
    "gpu": dict(datasets=["mnist", "cifar10", "celeba"], n=8000,
                curve_ns=[100, 200, 500, 1000, 2000, 5000, 8000], repeats=3, speed_images=2000),
}
# Issue 10: NND of baseline "generators" (overgan_lib.metrics.generalization). The critic
# (Gulrajani et al. 2019 reference: batch 256, 100k steps, EMA 0.999) costs 2.2 s per step
# at batch 256 on one core of the 2-core CPU (0.57 s at batch 64; `overgan bench nnd`), and
# several times that while the machine is shared, so the cpu row trains 200 steps at batch
# 64 with a shorter EMA (0.99; horizon 100 steps instead of the reference's 1000 of 100k)
# and also records the raw critic's curve.
TABLES["generalization_baselines"] = {
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
TABLES["neighbour_baselines"] = {
    "smoke": dict(dataset="cifar10", baselines=["memorise", "blur", "noise"], n_samples=8,
                  n_train=16, k=3),
    "cpu": dict(dataset="cifar10", baselines=["memorise", "blur", "noise"], n_samples=64,
                n_train=1000, k=3),
    "gpu": dict(dataset="cifar10", baselines=["memorise", "blur", "noise"], n_samples=1000,
                n_train=50000, k=3),
}
# Issue 10: FID of the same baselines (overgan_lib.metrics.memorisation) at the N the
# CIFAR-10 sweeps evaluate at, against the same cached reference images.
TABLES["generalization_fid"] = {
    "smoke": dict(dataset="cifar10", baselines=["memorise", "memorise_16", "blur", "noise"],
                  n=16),
    "cpu": dict(dataset="cifar10", baselines=["memorise", "memorise_500", "blur", "noise"],
                n=200),
    "gpu": dict(dataset="cifar10", baselines=["memorise", "memorise_500", "blur", "noise"],
                n=10000),
}
for _table in TABLES.values():
    _table["paper"] = _table["gpu"]
# The reference's own settings (nn_divergence.set_flags): 100k steps, 10k scoring batches.
# Figs. 6 and 10: the same protocols applied to width sweeps' kept generators, at the same
# profile (the sweep's runs and the baselines share the profile). Fig. 6 has a DCGAN and a
# ResNet panel; each sweep is one stored record, {"sweep": name, "seeds": seeds}. Each
# profile scores every seed its sweeps train, so NND has seed error bars (cpu: 3 seeds of
# 4 DCGAN and 3 ResNet widths, 21 generators, about 50 minutes on the 2-core CPU).
_FIG6 = ["cifar10_dcgan", "cifar10_resnet"]
TABLES["generalization"] = {
    "smoke": dict(sweeps=_FIG6, seeds=2),
    "cpu": dict(sweeps=_FIG6, seeds=3),
    "gpu": dict(sweeps=_FIG6, seeds=3),
    "paper": dict(sweeps=_FIG6, seeds=5),
}
TABLES["generalization_baselines"]["paper"] = dict(
    TABLES["generalization_baselines"]["gpu"], steps=100_000, eval_batches=10_000,
    curve_at=[1000, 10_000, 30_000, 100_000])
# Fig. 6's memoriser claim: the memoriser against new real images over several critic seeds
# (overgan_lib.metrics.nnd_floor), under the baselines' protocol. Only smoke and cpu draw few
# enough samples for new real images to exist (the chapter checks before it runs).
TABLES["nnd_floor"] = {p: {**{k: v for k, v in row.items() if k != "baselines"},
                            "critic_seeds": 3}
                        for p, row in TABLES["generalization_baselines"].items()}
# Chapter 10's real-side check (overgan_lib.metrics.nnd_fit_views): the memoriser under the
# baselines' protocol while the critic's fit set shrinks, so the views per fit image grow at
# a fixed budget. cpu: 2.6, 26, 256 and 985 views (the gpu baselines see each fit image
# 1,024 times; a 200-step critic is no 20,000-step one, so this shows the mechanism, not the
# gpu number, which the gpu baselines record measures directly). 344 s on 2 cores at cpu.
_FIT_SIZES = {"smoke": [32, 4], "cpu": [5000, 500, 50, 13], "gpu": [5000, 500],
              "paper": [5000, 500]}
TABLES["nnd_fit_views"] = {p: {**{k: v for k, v in row.items() if k != "baselines"},
                                "sampler": "memorise", "fit_sizes": _FIT_SIZES[p]}
                            for p, row in TABLES["generalization_baselines"].items()}
# Chapter 10's crossover (overgan_lib.metrics.nnd_crossover): a second critic fitted on the
# other half for every critic of the baselines and of Fig. 6's sweeps (their scored seeds), so
# learning and the fixed split's offset separate. One stored record per source; it costs as
# much again as the first critics (cpu: about 50 minutes on the 2-core CPU).
TABLES["nnd_crossover"] = {p: dict(sources=["baselines", *row["sweeps"]], seeds=row["seeds"])
                           for p, row in TABLES["generalization"].items()}
