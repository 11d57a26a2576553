"""Atomic, hash-checked checkpoints of a run in flight (cache folder, never results/)."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import torch

from .. import data
from ..store import atomic_write_bytes
from .config import CheckpointError, TrainConfig

_CKPT_MAGIC = b"OVERGAN-CKPT-1\n"


def checkpoint_path(cfg: TrainConfig) -> Path:
    """Where the checkpoint of ``cfg`` lives (cache, never the results folder)."""
    return data.cache_dir() / "checkpoints" / f"{cfg.key}.ckpt"


def save_checkpoint(path: Path, payload: dict[str, Any]) -> None:
    """Atomic checkpoint: magic line, sha256 of the body, body (torch.save)."""
    buf = io.BytesIO()
    torch.save(payload, buf)
    body = buf.getvalue()
    atomic_write_bytes(path, _CKPT_MAGIC + hashlib.sha256(body).hexdigest().encode() + b"\n"
                       + body)


def load_checkpoint(path: Path) -> dict[str, Any] | None:
    """The checkpoint's payload, None when absent; raises when the hash does not match."""
    if not path.exists():
        return None
    blob = path.read_bytes()
    head, _, rest = blob.partition(b"\n")
    digest, _, body = rest.partition(b"\n")
    if head + b"\n" != _CKPT_MAGIC or hashlib.sha256(body).hexdigest().encode() != digest:
        raise CheckpointError(f"{path} is corrupt (hash mismatch); delete it to restart the "
                              f"run from step 0")
    # Tensors and plain data only; map to the CPU so a GPU checkpoint resumes anywhere.
    return torch.load(io.BytesIO(body), weights_only=True, map_location="cpu")


def check_device(payload: dict[str, Any], path: Path, device: str) -> None:
    """A checkpoint resumes on the kind of device that wrote it (the RNG state differs)."""
    written = payload.get("device", "cpu")
    if written != torch.device(device).type:
        raise CheckpointError(f"{path} was written on {written} and cannot resume on "
                              f"{torch.device(device).type}; resume with device='{written}' "
                              f"or delete it to restart the run")
