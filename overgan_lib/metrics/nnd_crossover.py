"""Learning or the split's offset? The NND critic fitted on the other half (chapter 10).

Every NND critic fits on one fixed half of the test split and is scored on the other
(:func:`.generalization.held_out_halves`), and records its real-side gap: its mean output on
its fit half minus its mean output on the held-out half (:func:`.nnd.real_gap`). Two things
move that gap. The critic may have learnt its fit images, which raises it. And the two halves,
fixed once, differ by chance in ways a critic's features can see; critics whose features are
alike (those that learn what a generator gets wrong) all see the same difference, so it pushes
all their gaps the same way, and the gap's standard error, which treats the halves as random,
does not cover it.

This experiment fits a second critic on the other half, everything else the same: critic seed,
sampler and sampler seed, budget. Its gap (the *crossed* gap) is its mean output on its own fit
half, the first critic's held-out half, minus on the first critic's fit half. Learning raises
both gaps; a difference between the halves that both critics see alike enters them with
opposite signs. With ``a`` the first gap and ``b`` the crossed one, (a + b) / 2 estimates the
learning and (a - b) / 2 the split's offset (:mod:`overgan_lib.sweep.crossover`). The crossed
critic also gives a second NND of every sampler, scored on the other half: how far a score moves
with the split.

Sources, one stored record each: ``baselines`` (the samplers of ``generalization_baselines``
at the profile) or a width sweep whose kept generators :func:`.generalization.sweep_generalization`
scores, with the same samplers and seeds, so every crossed critic pairs with a stored first one.
"""

from __future__ import annotations

import time
from typing import Any

import torch
from tqdm import tqdm

from .. import data
from ..errors import ParameterError
from .generalization import baseline_sampler, held_out_halves, training_images
from .nnd import Sampler, nnd


def crossed_scores(samplers: dict[str, Sampler], cfg: dict[str, Any], seed: int,
                   progress: bool = True, device: str = "cpu") -> dict[str, Any]:
    """:func:`.generalization.nnd_scores` with the halves swapped: each critic fits on the
    held-out half and is scored (NND and gap) on the fit half, with the same critic seed and
    settings (``cfg``: the ``generalization_baselines`` row)."""
    fit, score = held_out_halves(cfg["dataset"], cfg["n_real"])
    out: dict[str, Any] = {"names": list(samplers), "n_fit": len(score), "n_score": len(fit)}
    for name, sampler in tqdm(samplers.items(), desc="NND, halves crossed",
                              disable=not progress):
        t0 = time.perf_counter()
        res = nnd(sampler, torch.as_tensor(score), torch.as_tensor(fit), cfg["steps"],
                  seed=seed, batch_size=cfg["batch_size"], eval_batches=cfg["eval_batches"],
                  curve_at=cfg["curve_at"], ema=cfg["ema"], device=device, progress=progress)
        out[name] = {**res.as_dict(), "seconds": time.perf_counter() - t0}
    return out


def baseline_samplers(cfg: dict[str, Any], seed: int) -> dict[str, Sampler]:
    """The samplers :func:`.generalization.nnd_baselines` scores, seeded alike."""
    train = training_images(cfg["dataset"], cfg["n_train"])
    return {name: baseline_sampler(name, train, seed + 1) for name in cfg["baselines"]}


def sweep_samplers(sweep: str, seeds: int, profile: str, seed: int,
                   device: str = "cpu") -> dict[str, Sampler]:
    """The kept generators :func:`.generalization.sweep_generalization` scores for ``sweep``
    (its first ``seeds`` seeds, completed runs), named and seeded as it names and seeds them.
    A one-line error names the sweep to run when its runs are missing."""
    from ..models import Z_DIM
    from ..sweep import sweep_view
    from ..train import load_generator
    from .samplers import GeneratorSampler

    view = sweep_view(sweep, profile, seed)
    if not view.complete:
        raise data.DataError(f"sweep {sweep!r} has no complete {profile} runs "
                             f"({view.status()})")
    return {f"k={c.k_g} seed={c.seed}": GeneratorSampler(load_generator(r, device), Z_DIM,
                                                         seed=30_000 + c.seed)
            for c, r in zip(view.configs, view.recs, strict=True)
            if c.seed < seed + seeds and r["status"] == "completed"}


def nnd_crossover(cfg: dict[str, Any], profile: str, seed: int, progress: bool = True,
                  device: str = "cpu") -> dict[str, Any]:
    """Crossed NND critics of one source (``cfg``: {"source": "baselines" or a sweep name,
    "seeds": seeds per width scored for a sweep}), under the profile's
    ``generalization_baselines`` settings. Returns the source, the sampler names and, per
    name, the crossed critic's :class:`~.nnd.NNDResult` fields (its ``real_gap`` is the
    crossed gap) and seconds."""
    from ..profiles import settings, validate_settings

    validate_settings(cfg)
    base = settings("generalization_baselines", profile)
    source = cfg["source"]
    if source == "baselines":
        samplers = baseline_samplers(base, seed)
    else:
        from ..sweep import sweeps

        if source not in sweeps():
            raise ParameterError(f"source={source!r} is neither 'baselines' nor a sweep; use "
                                 f"one of baselines, {', '.join(sweeps())}")
        samplers = sweep_samplers(source, cfg["seeds"], profile, seed, device)
    return {"source": source, **crossed_scores(samplers, base, seed, progress, device)}
