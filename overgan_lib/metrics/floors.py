"""Chapter 5's measurements: the FID floor of each dataset and FID as a function of N."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from tqdm import tqdm

from .. import data
from ..profiles import validate_settings
from .fid import score_features, timed_features
from .reference import reference_features, reference_subset


def data_metrics(cfg: dict[str, Any], seed: int, progress: bool = True) -> dict[str, Any]:
    """FID/KID(train, test) per dataset at N = cfg['n'] (capped by the split size), the
    CIFAR-10 FID-vs-N curve from random subsets, and the measured feature throughput."""
    validate_settings(cfg)
    out: dict[str, Any] = {"datasets": list(cfg["datasets"])}
    for name in tqdm(cfg["datasets"], desc="datasets", disable=not progress):
        n_test = min(cfg["n"], data.CARDS[name].counts["test"])
        t0 = time.perf_counter()
        ftr = reference_features(name, "train", cfg["n"], progress=progress)
        fte = reference_features(name, "test", n_test, progress=progress)
        s = score_features(ftr, fte)
        out[name] = {**s.as_dict(), "seconds": time.perf_counter() - t0}
    curve_ds = "cifar10" if "cifar10" in cfg["datasets"] else cfg["datasets"][0]
    ftr = reference_features(curve_ds, "train", cfg["n"], progress=False)
    fte = reference_features(curve_ds, "test", min(cfg["n"], data.CARDS[curve_ds].counts["test"]),
                             progress=False)
    rng = np.random.default_rng(seed)
    curve = np.zeros((len(cfg["curve_ns"]), cfg["repeats"]))
    kid_curve = np.zeros_like(curve)
    for i, n in enumerate(cfg["curve_ns"]):
        n = min(n, len(ftr), len(fte))
        for r in range(cfg["repeats"]):
            a = ftr[rng.choice(len(ftr), n, replace=False)]
            b = fte[rng.choice(len(fte), n, replace=False)]
            sc = score_features(a, b, kid_subsets=10)
            curve[i, r], kid_curve[i, r] = sc.fid, sc.kid
    out.update(curve_dataset=curve_ds, curve_ns=np.array(cfg["curve_ns"]), curve_fid=curve,
               curve_kid=kid_curve)
    imgs = reference_subset("cifar10", "test", cfg["speed_images"])
    _, ips = timed_features(imgs, batch_size=min(64, cfg["speed_images"]))
    out["images_per_second"] = ips
    return out


def fid_floor(dataset: str, n: int) -> dict[str, float]:
    """FID and KID between ``n`` train and ``n`` test images: one draw of the score of a
    sampler that draws independently from the data distribution, at this N (the sweeps'
    reference line). Not a lower bound: a generator that outputs the reference images
    themselves scores 0. Uses the cached reference features the sweeps' evaluations use."""
    n_test = min(n, data.CARDS[dataset].counts["test"])
    s = score_features(reference_features(dataset, "train", n, progress=False),
                       reference_features(dataset, "test", n_test, progress=False))
    return {"fid": s.fid, "kid": s.kid, "n_train": n, "n_test": n_test}
