"""Profile rows of the Part II training sweeps: MNIST (chapter 6) and the Sec. 3 image
sweeps (chapters 7-9)."""

from __future__ import annotations

from typing import Any

TABLES: dict[str, dict[str, dict[str, Any]]] = {}

# Part II training sweeps (App. D: WGAN-GP, lambda = 10, 5 critic steps, Adam 1e-4 (0.5,
# 0.999), batch 64, 300k generator iterations). Only ``iters``, the widths, the seed count
# and the evaluation size change between profiles. Measured on the 2-core CPU with this
# engine: MLP k=2048 0.61 s/iter, k=1024 0.23, k=256 0.04; FID features ~7 images/s.
TABLES["mnist_mlp"] = {
    "smoke": dict(widths=[8, 32], seeds=2, iters=20, eval_every=0, eval_n=16, log_every=5,
                  ckpt_every=10, workers=2, fid_test=False),
    "cpu": dict(widths=[16, 64, 256, 1024, 2048], seeds=3, iters=600, eval_every=0,
                eval_n=500, log_every=10, ckpt_every=100, workers=2, fid_test=True),
    # Sized, not measured (no GPU was lent to this work): 6 widths x 3 seeds x 4k iterations,
    # all 18 runs in one process (workers=1: graphed, lock step, one CUDA stream each; 4 or 8
    # processes sharing one H200 were measured slower than one), estimated at ~10 GPU-minutes
    # in all with one FID (5k samples, train and test) per run at the end. It evaluates every
    # 1,000 iterations (four FIDs per run, a larger cost not re-estimated) so that the stored
    # curves can show the runs have stopped learning, without which Fig. 3's uptick and the
    # gap are not judged (:func:`overgan_lib.sweep.summary.still_learning`); no gpu record is
    # stored, so no committed key changes. ``workers`` is how the runs execute, not what they
    # compute: no run key depends on it.
    "gpu": dict(widths=[16, 64, 256, 1024, 2048, 4096], seeds=3, iters=4000, eval_every=1000,
                eval_n=5000, log_every=50, ckpt_every=1000, workers=1, fid_test=True),
    "paper": dict(widths=[16, 64, 256, 512, 1024, 2048, 4096], seeds=5, iters=300_000,
                  eval_every=10_000, eval_n=10_000, log_every=100, ckpt_every=5000,
                  workers=4, fid_test=True),
}

# Sec. 3 image sweeps (Figs. 1, 4, 5, 7). The paper lists no widths; the grids bracket its
# saturation points (DCGAN k=64, ResNet k=128). Sizing: cpu from this engine's measured
# 2-core speeds (DCGAN k=64 CIFAR-10 ~1.3 s/iter on 2 threads, FID features ~7 images/s);
# gpu aimed at ~8 H200-minutes per sweep (the target; tools/gpu_session.py's plan,
# counting FID, checkpoints and transfers, estimates 12-15) with all runs graphed in one
# process, sized from 283 it/s
# aggregate for 15 DCGAN runs: a figure quoted in the GPU runner issue (a session's H200
# measurement at commit 6214c72); no record in results/ backs it, and the chapters quote no
# H200 speed until a `gpu` sweep is stored; paper: App. D (300k iterations, 5 seeds), one
# Ray task of ``group`` runs per GPU.
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
TABLES["cifar10_dcgan"] = _image_sweep([8, 16, 32, 64], _DCGAN_K, 100, 25, 6000)
# The offline CelebA subset has 2,000 test images: FID test (and train, same N) on 2,000.
TABLES["celeba_dcgan"] = _image_sweep([8, 16, 32], _DCGAN_K, 60, 20, 3000, eval_n=2000)
TABLES["cifar10_resnet"] = _image_sweep([16, 32, 64], _RESNET_K, 60, 30, 3000)
TABLES["celeba_resnet"] = _image_sweep([16, 32], _RESNET_K, 40, 20, 1500, eval_n=2000)
TABLES["cifar10_resnet_d"] = _image_sweep([16, 32, 64], _RESNET_K, 60, 30, 3000, fixed=128)
TABLES["cifar10_resnet_g"] = _image_sweep([16, 32, 64], _RESNET_K, 60, 30, 3000, fixed=128)
