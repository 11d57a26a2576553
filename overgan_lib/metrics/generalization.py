"""Issue 10's reference points: the NND of baseline "generators" on real data.

Protocol (used by :func:`nnd_baselines`, and meant for the sweep generators too). The
critic's real images are the dataset's *test* split, which no GAN is trained on: a fixed
(seed 0) random half of it to fit the critic, the other half to score it. This is the
reference's D_NN(p_test, q) (``nn_divergence.run`` is given one held-out real stream),
with the fit/score split of issue 10 added. Fitting the critic on the *training* split
instead (issue 10's first wording) cannot see memorisation at all: against a memoriser
both sides of every critic step are draws from the same 50k images, so the expected
gradient of the Wasserstein term is zero and the critic learns nothing that separates
them; the memoriser would score like a perfect generator.

Baselines (training split images, see :mod:`.samplers`):

* ``memorise``: all training images. At small step counts the critic cannot tell a
  50k-image pool from fresh real images, so this is also the real-vs-real floor there;
  the reference's claim is that with enough steps (100k x 256 draws) it can.
* ``memorise_<m>``: a memoriser of only m images, which the critic detects far sooner.
* ``blur``, ``noise``: training images blurred (Gaussian, sigma 1 px) or with pixel noise
  (std 16/255): clearly imperfect generators.
* ``fresh``: training images drawn without replacement, i.e. new real images the critic has
  never seen: the real-vs-real floor. It exists only where the protocol draws fewer samples
  than there are training images (:func:`sampler_draws`); the reference's 100k x 256
  draws would need 500 times CIFAR-10's training split, so at the gpu and paper profiles
  the floor cannot be measured at all.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import torch
from tqdm import tqdm

from .. import data
from ..errors import ParameterError
from ..profiles import validate_settings
from .nnd import Sampler, nnd
from .reference import reference_subset
from .samplers import make_baseline

GRID_ROWS = 8


def held_out_halves(dataset: str, n: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(fit, score) halves of a fixed (seed 0) permutation of the test split, each of
    ``n // 2`` images (all test images when ``n`` is None)."""
    test = data.load_uint8(dataset, "test")
    n = len(test) if n is None else min(n, len(test))
    perm = np.random.default_rng(0).permutation(len(test))[:n]
    h = n // 2
    return test[np.sort(perm[:h])], test[np.sort(perm[h:2 * h])]


def training_images(dataset: str, n_train: int) -> np.ndarray:
    """The baselines' training images: a fixed (seed 0) random ``n_train`` of the training
    split, in split order (all of it when ``n_train`` covers it)."""
    train = data.load_uint8(dataset, "train")
    if n_train < len(train):
        keep = np.random.default_rng(0).permutation(len(train))[:n_train]
        train = train[np.sort(keep)]
    return train


def sampler_draws(cfg: dict[str, Any]) -> int:
    """Samples one NND run under ``cfg`` draws from its sampler: a batch per critic step,
    plus two scorings (raw and EMA critic) of ``eval_batches`` batches per curve checkpoint
    and a final scoring unless the last checkpoint is the last step."""
    scorings = 2 * len(set(cfg["curve_at"]))
    if cfg["steps"] not in cfg["curve_at"]:
        scorings += 1
    return cfg["batch_size"] * (cfg["steps"] + scorings * cfg["eval_batches"])


def baseline_sampler(name: str, train: np.ndarray, seed: int):
    """The sampler of a baseline name: memorise, memorise_<m>, blur or noise."""
    if name.startswith("memorise_"):
        pool = name.split("_", 1)[1]
        if not pool.isdigit():
            raise ParameterError(f"baseline {name!r}: use memorise_<number of images>")
        return make_baseline("memorise", train, seed, pool=int(pool))
    return make_baseline(name, train, seed)


def nnd_scores(samplers: dict[str, Sampler], cfg: dict[str, Any], seed: int,
               progress: bool = True, device: str = "cpu") -> dict[str, Any]:
    """NND (with its checkpoint curves) of each named sampler under this module's protocol.

    ``cfg`` needs dataset, n_real, steps, batch_size, eval_batches, curve_at and ema (the
    ``generalization_baselines`` table); every sampler gets the same critic seed, fit and
    score halves. This is the entry point for trained generators too: wrap each in a
    :class:`~overgan_lib.metrics.samplers.GeneratorSampler`.
    """
    fit, score = held_out_halves(cfg["dataset"], cfg["n_real"])
    out: dict[str, Any] = {"names": list(samplers), "n_fit": len(fit), "n_score": len(score)}
    for name, sampler in tqdm(samplers.items(), desc="NND", disable=not progress):
        t0 = time.perf_counter()
        res = nnd(sampler, torch.as_tensor(fit), torch.as_tensor(score), cfg["steps"],
                  seed=seed, batch_size=cfg["batch_size"], eval_batches=cfg["eval_batches"],
                  curve_at=cfg["curve_at"], ema=cfg["ema"], device=device, progress=progress)
        out[name] = {**res.as_dict(), "seconds": time.perf_counter() - t0}
    return out


def nnd_baselines(cfg: dict[str, Any], seed: int, progress: bool = True,
                  device: str = "cpu") -> dict[str, Any]:
    """NND (with its checkpoint curves) of every baseline in ``cfg['baselines']``."""
    validate_settings(cfg)
    train = training_images(cfg["dataset"], cfg["n_train"])
    if "fresh" in cfg["baselines"] and sampler_draws(cfg) > len(train):
        raise ParameterError(f"baseline 'fresh' needs {sampler_draws(cfg):,} new real images but "
                             f"n_train={len(train):,}; drop 'fresh' from the baselines or train "
                             f"the critic for fewer steps")
    samplers = {name: baseline_sampler(name, train, seed + 1) for name in cfg["baselines"]}
    out = nnd_scores(samplers, cfg, seed, progress, device)
    del out["names"]
    return {"baselines": list(cfg["baselines"]), "n_train": len(train), **out}


def neighbour_scores(samplers: dict[str, Sampler], cfg: dict[str, Any],
                     progress: bool = True, device: str | None = None) -> dict[str, Any]:
    """Copy ratios (pixel and Inception space) and top-k neighbours of each named sampler.

    Pixel space searches the *whole* training split: exact, and cheap (64 samples against
    50k images is about 10 GFLOP), so a copy of any training image is found at every
    profile. Inception space searches the fixed subset of ``cfg['n_train']`` training
    images whose features are cached for FID (all 50k at the gpu profile; extracting them
    takes hours on a CPU). Neighbour indices refer to the full training split.
    ``cfg['n_samples']`` samples per sampler are compared with the training images, and as
    many held-out test images give the ratio's reference. The entry ``test`` (other
    held-out test images used as samples) is added as the no-copying reference point, whose
    ratio is 1 up to sampling noise. Only the first ``GRID_ROWS`` samples are kept (for the
    grids); neighbours are kept for all.
    """
    from .fid import features
    from .neighbours import copy_ratio, nearest
    from .reference import reference_features, reference_indices

    ds, n, k = cfg["dataset"], cfg["n_samples"], cfg["k"]
    train = data.load_uint8(ds, "train")
    feat_index = reference_indices(ds, "train", cfg["n_train"])
    train_feats = reference_features(ds, "train", cfg["n_train"], device=device,
                                     progress=progress)
    test_a, test_b = held_out_halves(ds, 2 * n)
    _, test_pix = nearest(test_a, train, 1)
    test_feat = nearest(features(test_a, device=device), train_feats, 1)[1][:, 0]
    names = [*samplers, "test"]
    out: dict[str, Any] = {"names": names, "n": n, "n_train": len(feat_index),
                           "n_train_pixel": len(train),
                           "test_pixel_nearest": test_pix[:, 0] / 255.0,
                           "test_inception_nearest": test_feat}
    for name in tqdm(names, desc="neighbours", disable=not progress):
        s = torch.as_tensor(test_b) if name == "test" else samplers[name](n)
        pi, pd = nearest(s, train, k)
        fi, fd = nearest(features(s, device=device), train_feats, k)
        out[name] = {"samples": s[:GRID_ROWS].numpy(), "pixel_indices": pi,
                     "pixel_distances": pd / 255.0, "inception_indices": feat_index[fi],
                     "inception_distances": fd,
                     "pixel_ratio": copy_ratio(pd[:, 0], test_pix[:, 0]),
                     "inception_ratio": copy_ratio(fd[:, 0], test_feat)}
    return out


def neighbour_baselines(cfg: dict[str, Any], seed: int, progress: bool = True,
                        device: str | None = None) -> dict[str, Any]:
    """:func:`neighbour_scores` of the baselines. They copy from the training subset whose
    Inception features are cached, so the memoriser's ratio is 0 in both spaces."""
    validate_settings(cfg)
    train = reference_subset(cfg["dataset"], "train", cfg["n_train"])
    samplers = {name: baseline_sampler(name, train, seed + 1) for name in cfg["baselines"]}
    out = neighbour_scores(samplers, cfg, progress, device)
    out["baselines"] = out.pop("names")
    return out


def sweep_generalization(cfg: dict[str, Any], profile: str, seed: int, progress: bool = True,
                         device: str = "cpu") -> dict[str, Any]:
    """NND and copy ratios of a width sweep's kept generators (Figs. 6 and 10).

    ``cfg`` names the sweep (``sweep``) and how many of its seeds per width to score
    (``seeds``); the NND and neighbour protocols are the baselines' at the same profile, so
    every number here sits on the same scale as the memoriser's. Nothing is retrained: the
    generators are the ones the sweep kept (``overgan_lib.train.load_generator``). Raises a
    one-line error naming the sweep to run when its runs or weights are missing.
    """
    from ..models import Z_DIM
    from ..profiles import settings
    from ..sweep import sweep_view
    from ..train import load_generator
    from .samplers import GeneratorSampler

    view = sweep_view(cfg["sweep"], profile, seed)
    if not view.complete:
        raise data.DataError(f"sweep {cfg['sweep']!r} has no complete {profile} runs "
                             f"({view.status()})")
    chosen = [(c, r) for c, r in zip(view.configs, view.recs, strict=True)
              if c.seed < seed + cfg["seeds"] and r["status"] == "completed"]
    samplers = {f"k={c.k_g} seed={c.seed}": GeneratorSampler(load_generator(r, device), Z_DIM,
                                                             seed=30_000 + c.seed)
                for c, r in chosen}
    out = {"sweep": cfg["sweep"], "k": [c.k_g for c, _ in chosen],
           "seeds": [c.seed for c, _ in chosen], "names": list(samplers),
           "runs": [r.path.stem for _, r in chosen]}
    out["nnd"] = nnd_scores(samplers, settings("generalization_baselines", profile), seed,
                            progress, device)
    out["neighbours"] = neighbour_scores(samplers, settings("neighbour_baselines", profile),
                                         progress, device)
    return out
