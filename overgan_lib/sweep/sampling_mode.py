"""Does sampling in eval mode change FID? The generator's batch norm in eval mode (running
statistics, which every FID, KID and sample grid of this book uses) against train mode
(batch statistics, what the critic saw while training, and what the WGAN-GP reference code
samples with).

The running statistics are an exponential average over the generator's train-mode passes whose
last few dozen hold most of the weight (at momentum 0.1 the last 22, about 4 generator
iterations, hold 90%: :func:`overgan_lib.sweep.chapter.running_stat_memory`); early in
training, when the generator changes quickly, that average can lag the current weights, so
eval-mode samples may be worse (or better) than the samples the critic was trained against.
:func:`mode_fids` measures it on a run's kept generator: the same noise through both modes,
scored against the same real images as the run's own final FID, which the eval-mode number must
reproduce (a check that the kept generator is the one the record scored; a run trained again is
checked against its own final FID instead, :func:`scored_run_fid`).
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from ..store import Record

EXPERIMENT = "sampling_mode"


def train_mode_samples(G, n: int, seed: int, batch: int):
    """``n`` uint8 samples of a copy of ``G`` in train mode (batch norm on the statistics of
    each batch of ``batch`` samples, as in training), from the noise that
    :func:`overgan_lib.train.sample` draws for ``seed``: the noise does not depend on how it
    is batched, so the first ``n`` of ``ceil(n / batch)`` full batches are the eval-mode
    samples' noise, and no batch is smaller than the training batch. ``G`` is not changed
    (its copy's running statistics move)."""
    from ..metrics.reference import sample_uint8
    from ..models import Z_DIM

    twin = copy.deepcopy(G).train()
    full = -(-n // batch) * batch
    return sample_uint8(twin, Z_DIM, full, seed, batch)[:n]


def mode_fids(record: Record, G) -> dict[str, Any]:
    """FID (and KID) against the training split of ``record``'s run, its kept generator ``G``
    sampled in eval mode and in train mode, on the run's own ``eval_n`` images and final
    evaluation noise (:func:`overgan_lib.train.evaluate`); with the stored final FID train,
    which the eval-mode FID reproduces."""
    from ..metrics.fid import features, score_features
    from ..metrics.reference import reference_features
    from ..threads import threads_for, use_threads
    from ..train import TrainConfig, sample

    cfg = TrainConfig.from_record(record.config)
    seed, n = 10_000 + cfg.seed, cfg.eval_n  # the final evaluation's noise and N
    with use_threads(threads_for("conv")):  # Inception features: every core
        real = reference_features(cfg.dataset, "train", n, progress=False)
        modes = {"eval": sample(G, n, seed),
                 "train": train_mode_samples(G, n, seed, cfg.batch_size)}
        scores = {m: score_features(features(x), real) for m, x in modes.items()}
    return {"k_g": cfg.k_g, "k_d": cfg.k_d, "seed": cfg.seed, "n": n,
            "fid_stored": float(record.data["final"]["fid_train"]),
            **{f"fid_{m}_mode": float(s.fid) for m, s in scores.items()},
            **{f"kid_{m}_mode": float(s.kid) for m, s in scores.items()}}


# How a row's generator was obtained: the run's kept file, or the run trained again here
KEPT, BITWISE, RETRAINED = ("kept", "trained again, bitwise the run's",
                            "trained again on this machine, not bitwise the run's")


def run_generator(record: Record, progress: bool = False):
    """(``record``'s generator, how it was obtained, the final FID train of the run trained
    again or None): its kept file where it is on this machine; else the run trained again
    (:func:`..restore.retrain_generator`), stored as the run's kept generator when it is
    bitwise the record's (:func:`..restore.keep_if_bitwise`), and used as it is otherwise
    (the same training procedure on another CPU: another sample of it, whose own final FID
    the eval-mode FID is checked against)."""
    from ..train import load_generator
    from .restore import keep_if_bitwise, retrain_generator, weights_file

    if weights_file(record).exists():
        return load_generator(record), KEPT, None
    if progress:
        print(f"training the run of {record.path.name} again ({record.config['iters']:,} "
              f"iterations): its kept generator is not on this machine")
    again = retrain_generator(record, progress)
    return again.G, BITWISE if keep_if_bitwise(record, again) else RETRAINED, again.fid_train


def sweep_mode_fids(records: list[Record], progress: bool = False) -> dict[str, Any]:
    """:func:`mode_fids` of every run in ``records`` on its generator (:func:`run_generator`:
    training missing ones again), in the records' order, each row saying how its generator
    was obtained and, for a run trained again, that run's own final FID (``fid_retrained``)."""
    rows = []
    for r in records:
        G, how, fid_retrained = run_generator(r, progress)
        rows.append({**mode_fids(r, G), "generator": how})
        if fid_retrained is not None:
            rows[-1]["fid_retrained"] = fid_retrained
        if progress:
            row = rows[-1]
            print(f"k_g={row['k_g']}, k_d={row['k_d']}, seed={row['seed']}: FID "
                  f"{row['fid_eval_mode']:.1f} (eval mode), {row['fid_train_mode']:.1f} "
                  f"(train mode); generator {how}")
    return {"runs": rows}


def scored_run_fid(row: dict[str, Any]) -> float | None:
    """The final FID train of the run whose generator ``row`` measured, which its eval-mode FID
    must reproduce: the run trained again's own where it was (``fid_retrained``), the stored
    run's for a kept generator (or one trained again bitwise), and None for a run trained again,
    not bitwise, by a record that did not store its FID (older records)."""
    if "fid_retrained" in row:
        return float(row["fid_retrained"])
    return float(row["fid_stored"]) if row.get("generator", KEPT) != RETRAINED else None


def mode_differences(rows: list[dict[str, Any]]) -> np.ndarray:
    """FID in train mode minus FID in eval mode, per run (positive: eval mode is better)."""
    return np.array([r["fid_train_mode"] - r["fid_eval_mode"] for r in rows], float)


def first_seed_runs(view) -> list[Record]:
    """The completed runs of a sweep's first seed (``view``: :class:`..view.SweepView`), the
    ones whose sample grids the chapters show, in width order."""
    first = min((c.seed for c in view.configs), default=0)
    return [r for c, r in zip(view.configs, view.recs, strict=True)
            if r is not None and c.seed == first and r.data.get("status") == "completed"]


def record_config(view) -> dict[str, Any]:
    """The stored record's config: the sweep and the keys of the runs it measured (so other
    runs, e.g. under ``overrides``, get another record)."""
    return {"sweep": view.spec.name, "runs": [r.path.stem for r in first_seed_runs(view)]}


def sampling_mode_record(view, restore: bool = False, rerun: bool = False,
                         progress: bool = False) -> Record | None:
    """The ``sampling_mode`` record of ``view``'s first-seed runs: read back when stored
    (unless ``rerun``), else computed where every run's kept generator is on this machine,
    and with ``restore`` also where some are not, training those runs again
    (:func:`run_generator`; minutes per run on a CPU). None where generators are missing
    and ``restore`` is off, or no run of the first seed completed."""
    from ..store import load, load_or_run
    from .restore import weights_file

    runs = first_seed_runs(view)
    if not runs:
        return None
    config = {**record_config(view), "seed": int(runs[0].config["seed"])}
    if not rerun and (rec := load(EXPERIMENT, view.profile, config)):
        return rec
    if not restore and not all(weights_file(r).exists() for r in runs):
        return None
    return load_or_run(EXPERIMENT, view.profile, config,
                       lambda: sweep_mode_fids(runs, progress), config["seed"], rerun=True)


def restore_command(view) -> str:
    """The command that computes ``view``'s record, training missing generators again."""
    return f"overgan sampling-mode {view.spec.name} --profile {view.profile}"
