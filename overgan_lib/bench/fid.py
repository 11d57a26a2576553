"""``overgan bench fid``: overgan's tensor path against pytorch-fid's file-based extraction
(CPU), and FID on a GPU against FID on the CPU plus the time of a 10k-vs-10k FID (cuda)."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import torch

from .timing import sync


def bench_fid(n: int = 2000, progress: bool = True) -> dict[str, Any]:
    """Images/s of overgan's tensor path vs pytorch-fid's file-based ``get_activations``.

    Both run on the same n CIFAR-10 test images in this process (the reference reads them
    back from PNG files, as pytorch-fid's CLI does); FID between the two halves of the set
    is computed from each path's features and their difference reported.
    """
    import tempfile
    from pathlib import Path

    from pytorch_fid.fid_score import get_activations

    from ..errors import check_positive_int
    from ..images import write_folder
    from ..metrics import features, frechet, statistics
    from ..metrics.reference import reference_subset

    check_positive_int("n", n)
    imgs = reference_subset("cifar10", "test", n)
    features(imgs[:8])  # loads the model; warm-up outside the timed region
    with tempfile.TemporaryDirectory() as tmp:
        files = [str(p) for p in write_folder(imgs, Path(tmp))]
        from pytorch_fid.inception import InceptionV3

        ref_model = InceptionV3([3]).eval()
        t0 = time.perf_counter()
        ref = get_activations(files, ref_model, batch_size=50, dims=2048, device="cpu",
                              num_workers=1)
        t_ref = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = features(imgs, batch_size=50, progress=progress)
    t_ours = time.perf_counter() - t0
    h = n // 2
    fid_ref = frechet(*statistics(ref[:h]), *statistics(ref[h:]))
    fid_ours = frechet(*statistics(ours[:h]), *statistics(ours[h:]))
    return {"n": n, "ours_ips": n / t_ours, "ref_ips": n / t_ref, "speedup": t_ref / t_ours,
            "fid_ours": fid_ours, "fid_ref": fid_ref, "fid_diff": abs(fid_ours - fid_ref),
            "threads": torch.get_num_threads()}


def bench_fid_device(n: int = 1000, n_timed: int = 10_000, device: str = "cuda",
                     progress: bool = True) -> dict[str, Any]:
    """FID computed on ``device`` against the same FID computed on the CPU, and its cost.

    Issue 8's goals: features of the same ``n`` CIFAR-10 train and ``n`` test images on the
    device (TF32 off, as :func:`~overgan_lib.metrics.features` always runs) and on the CPU
    give FIDs within 1e-3; one FID of ``n_timed`` train against ``n_timed`` test images,
    decoded and in memory beforehand ("from cached data"), takes at most 10 s on an H200.
    The timed part is both feature passes, both statistics and the Fréchet distance.
    On ``device='cpu'`` the comparison is the CPU with itself (a check of this code only).
    """
    from ..errors import check_device_visible, check_positive_int
    from ..metrics import features, frechet, statistics
    from ..metrics.reference import reference_subset

    check_positive_int("n", n)
    check_positive_int("n_timed", n_timed)
    check_device_visible(device)

    a, b = reference_subset("cifar10", "train", n), reference_subset("cifar10", "test", n)
    feats = {}
    for dev in dict.fromkeys((device, "cpu")):
        features(a[:2], device=dev)  # loads the model outside the timed region
        feats[dev] = (features(a, device=dev, progress=progress),
                      features(b, device=dev, progress=progress))
    fid = {dev: frechet(*statistics(fa), *statistics(fb)) for dev, (fa, fb) in feats.items()}
    fa_dev, fa_cpu = feats[device][0].astype(np.float64), feats["cpu"][0].astype(np.float64)
    feat_rel = float(np.abs(fa_dev - fa_cpu).max() / np.abs(fa_cpu).max())

    big_a = reference_subset("cifar10", "train", n_timed)
    big_b = reference_subset("cifar10", "test", n_timed)
    sync(device)
    t0 = time.perf_counter()
    fid_big = frechet(*statistics(features(big_a, device=device, progress=progress)),
                      *statistics(features(big_b, device=device, progress=progress)))
    sync(device)
    t_big = time.perf_counter() - t0
    return {"device": device, "device_name": _device_name(device), "n": n,
            "fid_device": fid[device], "fid_cpu": fid["cpu"],
            "fid_abs_diff": abs(fid[device] - fid["cpu"]), "feature_max_rel_diff": feat_rel,
            "n_timed": n_timed, "fid_timed": fid_big, "timed_s": t_big,
            "timed_ips": 2 * n_timed / t_big, "threads": torch.get_num_threads()}


def _device_name(device: str) -> str:
    if device.startswith("cuda"):
        return torch.cuda.get_device_name(torch.device(device))
    return "cpu"
