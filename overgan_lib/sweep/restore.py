"""Bring back a stored run's kept generator by training the run again.

A run's record names its final generator by hash (:mod:`overgan_lib.train.weights`), but the
weights themselves stay on the machine that trained it (``results/weights/`` is not
committed). On the CPU a run is bitwise reproducible on the same kind of machine with the same
thread count, so training it again from its stored config gives the very weights the record
names: :func:`restore_generator` does that, checks the hash (:func:`keep_if_bitwise`), and only
then stores the file. The run's record is not touched (nothing about the run changes); a hash
that differs (another CPU, another PyTorch) is a one-line error and nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from ..data import DataError
from ..store import Record, device_threads


class Retrained(NamedTuple):
    """A run trained again: its final generator (eval mode), the sha256 of its weights as
    :func:`overgan_lib.train.store_generator` would name them, and the run's own final FID
    train (its last evaluation, on the stored config's ``eval_n`` images)."""

    G: Any
    sha256: str
    fid_train: float


def weights_file(record: Record) -> Path:
    """Where ``record``'s kept generator lives (whether or not it is on this machine)."""
    from ..train import weights_dir

    ref = record.data.get("weights") or {}
    if "sha256" not in ref:
        raise DataError(f"{record.path.name}: this run kept no generator weights; rerun it")
    return weights_dir(record.provenance["profile"]) / f"{ref['sha256'][:32]}.pt"


def record_threads(record: Record) -> int:
    """The intra-op threads the run trained on, read off its provenance's device
    (:func:`overgan_lib.store.device_threads`); a one-line error for a run that names none (a
    GPU run, which is not bitwise reproducible and cannot be restored this way)."""
    device = str(record.provenance.get("device", ""))
    threads = device_threads(device)[1]
    if not device.startswith("cpu") or threads is None:
        raise DataError(f"{record.path.name} trained on {device or 'an unrecorded device'}: "
                        "only CPU runs retrain bitwise; copy its weights from the machine "
                        "that trained it")
    return threads


def retrain_generator(record: Record, progress: bool = False) -> Retrained:
    """``record``'s run trained again from its stored config on the CPU, with the thread
    count it trained on, from scratch: a checkpoint of the same key left in the cache (a run of
    that config cut short) is deleted first, as ``rerun=True`` does anywhere; the checkpoints it
    writes are removed at the end as in any run. Nothing is stored."""
    import hashlib

    from ..threads import use_threads
    from ..train import Run, RunOptions, TrainConfig, generator_blob
    from ..train.loop import advance

    cfg = TrainConfig.from_record(record.config)
    with use_threads(record_threads(record)):
        run = Run(cfg, record.provenance["profile"], RunOptions(device="cpu"), rerun=True)
        advance([run], progress)
        payload = run.finish()
    if payload is None or payload["weights"] is None:
        raise DataError(f"{record.path.name}: training it again diverged or stopped; its "
                        "generator cannot be restored")
    G = run.engine.G.eval()
    return Retrained(G, hashlib.sha256(generator_blob(G)).hexdigest(),
                     float(payload["result"]["final"]["fid_train"]))


def keep_if_bitwise(record: Record, again: Retrained) -> bool:
    """Store ``again``'s generator as ``record``'s kept one when its sha256 is the one the
    record names; False, with nothing written, when it is not."""
    from ..train import generator_blob, store_generator

    if again.sha256 != record.data["weights"]["sha256"]:
        return False
    store_generator(generator_blob(again.G), record.provenance["profile"])
    return True


def restore_generator(record: Record, progress: bool = False) -> Path:
    """The path of ``record``'s kept generator, training the run again first when the file
    is missing (:func:`retrain_generator`) and storing it only when it is bitwise the one the
    record names (:func:`keep_if_bitwise`). Returns at once when the file is already here."""
    import torch

    path = weights_file(record)
    if path.exists():
        return path
    again = retrain_generator(record, progress)
    if not keep_if_bitwise(record, again):
        want = record.data["weights"]["sha256"]
        raise DataError(f"{record.path.name}: training it again on this machine gave weights "
                        f"{again.sha256[:12]}, not the record's {want[:12]} (another CPU or "
                        f"PyTorch {torch.__version__}); nothing stored")
    return path
