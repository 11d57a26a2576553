"""Kept generators: the final weights of every run, content-addressed beside the results.

A run's record holds ``weights: {"sha256", "bytes"}``; the file is
``<results root>/weights/<profile>/<sha256[:32]>.pt`` (a plain ``state_dict``, CPU tensors, loadable
with ``weights_only=True``). Identical weights are stored once. NND, nearest neighbours
and larger-N FID (chapter "Generalization") are scored from these files without retraining.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import torch
from torch import nn

from ..data import DataError
from ..store import Record, atomic_write_bytes, results_root
from .config import TrainConfig
from .engine import build_models


def weights_dir(profile: str) -> Path:
    """Kept generators of one profile (smoke's are git-ignored like its results)."""
    return results_root() / "weights" / profile


def generator_blob(G: nn.Module) -> bytes:
    """G's state_dict as bytes (CPU tensors), what :func:`store_generator` writes."""
    buf = io.BytesIO()
    torch.save({k: v.detach().cpu().contiguous() for k, v in G.state_dict().items()}, buf)
    return buf.getvalue()


def store_generator(blob: bytes, profile: str) -> dict[str, Any]:
    """Store a generator blob under its hash (once); returns {"sha256", "bytes"}."""
    digest = hashlib.sha256(blob).hexdigest()
    path = weights_dir(profile) / f"{digest[:32]}.pt"
    if not path.exists():
        atomic_write_bytes(path, blob)
    return {"sha256": digest, "bytes": len(blob)}


def load_generator(record: Record, device: str = "cpu") -> nn.Module:
    """The trained generator of a stored run, in eval mode; a one-line error if missing."""
    ref = record.data.get("weights")
    if not ref:
        raise DataError(f"{record.path.name}: this run kept no generator weights (trained "
                        f"before weights were kept); rerun it with rerun=True")
    path = weights_dir(record.provenance["profile"]) / f"{ref['sha256'][:32]}.pt"
    if not path.exists():
        raise DataError(f"{path} is missing; run the sweep that produced {record.path.name} "
                        f"(its results are stored, its weights are not on this machine)")
    blob = path.read_bytes()
    if hashlib.sha256(blob).hexdigest() != ref["sha256"]:
        raise DataError(f"{path} does not match its hash; delete it and rerun the run")
    G, _ = build_models(TrainConfig.from_record(record.config))
    G.load_state_dict(torch.load(io.BytesIO(blob), weights_only=True))
    return G.to(device).eval()
