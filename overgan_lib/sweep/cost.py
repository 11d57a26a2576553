"""What a sweep's runs cost, from their stored timings, and what the `paper` profile would.

A run stores its training time (``train_s``, hence ``iters_per_s``) and its evaluation time
(``eval_s``: sampling, Inception features and scoring, over all its evaluations) apart.
The projections scale the measured training speed to the paper's 5 seeds x 300k iterations
and the measured evaluation time per generated image to the `paper` profile's evaluations
(every ``eval_every`` iterations, ``eval_n`` images each); both are rough (short runs on a
shared machine) and say nothing about a device nobody measured.
"""

from __future__ import annotations

import numpy as np

from ..store import Record
from ..train import TrainConfig
from .matrices import run_matrix, width_matrix

# CelebA's full size and its official training partition (Liu et al., 2015): the offline
# subset's card (:data:`overgan_lib.data.CARDS`) has only the subset's counts.
CELEBA_IMAGES, CELEBA_OFFICIAL_TRAIN = 202_599, 162_770


def speeds(configs: list[TrainConfig], recs: list[Record | None]) -> dict[int, float]:
    """Mean measured generator iterations/s per varied width (training only: ``train_s``
    excludes the evaluations and checkpoints)."""
    k, S = width_matrix(configs, recs, "iters_per_s")
    return {int(a): float(np.nanmean(s)) for a, s in zip(k, S, strict=True)
            if np.isfinite(s).any()}


def speed_ranges(configs: list[TrainConfig], recs: list[Record | None]
                 ) -> dict[int, tuple[float, float]]:
    """Per varied width, the slowest and the fastest run's measured iterations/s: the spread
    behind :func:`speeds`' mean (runs measured at different times on a shared machine)."""
    k, S = width_matrix(configs, recs, "iters_per_s")
    return {int(a): (float(np.nanmin(s)), float(np.nanmax(s))) for a, s in zip(k, S, strict=True)
            if np.isfinite(s).any()}


def slower_narrower(its: dict[int, float]) -> list[tuple[int, int]]:
    """Pairs (narrow, wide) of widths whose narrower network was measured slower than the
    wider one, although it computes less: a sign that the machine's load, not the width,
    moved the speeds between batches of runs."""
    ks = sorted(its)
    return [(a, b) for i, a in enumerate(ks) for b in ks[i + 1:] if its[a] < its[b]]


def paper_cost_hours(its: dict[int, float], seeds: int = 5, iters: int = 300_000
                     ) -> dict[int, float]:
    """Hours one device needs per width to train the paper's runs, from measured speeds
    (training only)."""
    return {k: seeds * iters / v / 3600 for k, v in its.items() if v > 0}


def run_eval_seconds_per_image(r: Record) -> float:
    """One run's ``eval_s`` over the images its evaluations scored (the sum of their ``n``);
    NaN when it stored no evaluation time."""
    images = sum(int(e.get("n", 0)) for e in r.data.get("evals", []))
    ok = "eval_s" in r.data and images > 0 and r["eval_s"] > 0
    return r["eval_s"] / images if ok else np.nan


def eval_seconds_per_image(configs: list[TrainConfig], recs: list[Record | None]
                           ) -> dict[int, float]:
    """Mean measured evaluation seconds per generated image per varied width
    (:func:`run_eval_seconds_per_image`)."""
    k, S = run_matrix(configs, recs, run_eval_seconds_per_image)
    return {int(a): float(np.nanmean(s)) for a, s in zip(k, S, strict=True)
            if np.isfinite(s).any()}


def paper_images_per_run(paper_cfg: dict) -> int:
    """Generated images a `paper` run scores: one evaluation every ``eval_every`` iterations
    (the last at the end), ``eval_n`` images each (train and test share the features)."""
    every = paper_cfg["eval_every"] or paper_cfg["iters"]
    evaluations = -(-paper_cfg["iters"] // every)
    return evaluations * paper_cfg["eval_n"]


def paper_eval_hours(spi: dict[int, float], paper_cfg: dict) -> dict[int, float]:
    """Hours one device needs per width to evaluate the `paper` profile's runs, scaling the
    measured seconds per image linearly in the number of images (the Inception pass and the
    scoring both grow with it)."""
    images = paper_cfg["seeds"] * paper_images_per_run(paper_cfg)
    return {k: images * s / 3600 for k, s in spi.items()}
