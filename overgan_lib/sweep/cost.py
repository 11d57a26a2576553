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
from .matrices import run_matrix

# CelebA's full size and its official training partition (Liu et al., 2015): the offline
# subset's card (:data:`overgan_lib.data.CARDS`) has only the subset's counts.
CELEBA_IMAGES, CELEBA_OFFICIAL_TRAIN = 202_599, 162_770


def lock_step_group(recs: list[Record | None]) -> list[Record] | None:
    """The runs that trained in lock step in one process (``runs_together`` > 1,
    :func:`overgan_lib.train.train_many`), where ``recs`` holds exactly that group: all
    name the same count and there are that many. None where ``recs`` holds part of a group,
    several groups, or none."""
    group = [r for r in recs if r is not None and int(r.data.get("runs_together", 1)) > 1]
    counts = {int(r["runs_together"]) for r in group}
    return group if len(counts) == 1 and len(group) == counts.pop() else None


def _one_pass(r: Record) -> bool:
    """Trained in one uninterrupted pass to its end, with its last evaluation in the
    training loop: never resumed from a checkpoint (``resumed_from``), completed, and its
    last step one of its ``eval_every`` (else :meth:`overgan_lib.train.loop.Run.finish`
    evaluates it after the loop)."""
    every = int(r.config.get("eval_every") or 0)
    return (r.data.get("status") == "completed" and not r.data.get("resumed_from")
            and every > 0 and int(r["steps_done"]) % every == 0)


def separable(group: list[Record] | None) -> bool:
    """Can the runs' training time be read off a lock-step group's shared clock
    (:func:`training_speed`)? Only for a group trained in one pass (:func:`_one_pass`) with
    every evaluation time stored. A run's laps end at its own evaluations and checkpoints,
    so which of the other runs' evaluations fall into them depends on the order of the
    runs: in one pass every one does, but at the end of a chunk of a resumed training
    (``stop_after``) only those of the runs before it in the loop, a final evaluation in
    :meth:`overgan_lib.train.loop.Run.finish` only those of the runs after it, and a
    diverged run's clock keeps going until the others end."""
    return group is not None and all(_one_pass(g) and "eval_s" in g.data for g in group)


def training_speed(r: Record, group: list[Record] | None) -> float:
    """A run's generator iterations/s over its training time alone.

    A run trained alone stores it (``iters_per_s``). Runs trained in lock step share one
    clock: between two of a run's own laps the others evaluate, so its stored ``train_s``
    also holds the other runs' evaluations. Where all of them fall into its laps
    (:func:`separable`), its training time is ``train_s`` less the others' ``eval_s``
    (their checkpoints and sample grids, which no record times, stay in). NaN for a
    lock-step run of a group that ``recs`` did not hold whole (:func:`lock_step_group`) or
    that is not separable, or where the difference is not positive."""
    if int(r.data.get("runs_together", 1)) <= 1:
        return float(r["iters_per_s"])
    if not separable(group) or not any(g is r for g in group):
        return float("nan")
    t = float(r["train_s"]) - sum(float(g["eval_s"]) for g in group if g is not r)
    return r["steps_done"] / t if t > 0 else float("nan")


def _speed_matrix(configs: list[TrainConfig], recs: list[Record | None]
                  ) -> tuple[np.ndarray, np.ndarray]:
    group = lock_step_group(recs)
    return run_matrix(configs, recs, lambda r: training_speed(r, group))


def speeds(configs: list[TrainConfig], recs: list[Record | None]) -> dict[int, float]:
    """Mean measured generator iterations/s per varied width (training only: ``train_s``
    excludes the run's evaluations and checkpoints, and for runs trained in lock step the
    others' evaluations too, :func:`training_speed`)."""
    k, S = _speed_matrix(configs, recs)
    return {int(a): float(np.nanmean(s)) for a, s in zip(k, S, strict=True)
            if np.isfinite(s).any()}


def speed_ranges(configs: list[TrainConfig], recs: list[Record | None]
                 ) -> dict[int, tuple[float, float]]:
    """Per varied width, the slowest and the fastest run's measured iterations/s: the spread
    behind :func:`speeds`' mean (runs measured at different times on a shared machine)."""
    k, S = _speed_matrix(configs, recs)
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
