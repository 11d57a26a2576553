"""MNIST, CIFAR-10 and CelebA at the paper's resolutions, offline or through torchvision.

``load(name, split)`` returns float images in [-1, 1] of shape (N, C, R, R);
``load_uint8`` the cached uint8 arrays behind them. Where the data comes from:

1. ``root=`` if given, else
2. ``$OVERGAN_DATA``, else
3. ``../shared/data`` beside the source checkout (the project's offline copies), else
4. ``~/.cache/overgan/datasets`` (where ``download=True`` puts torchvision's files).

Offline archives are sha256-verified before every first use in a process, and decoded
images are cached as uint8 ``.npy`` files under ``$OVERGAN_CACHE`` (default
``~/.cache/overgan``), keyed by the archive hash, so a second load skips decoding.
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import numpy as np
import torch

from ..errors import OneLineError, ParameterError, check_choice
from ..store import atomic_write_bytes
from . import sources
from .registry import CARDS, SPLITS, DatasetCard

REPO_ROOT = Path(__file__).resolve().parents[2]


class DataError(OneLineError, RuntimeError):
    """A dataset is missing or corrupt; the message says where we looked and what to do."""


def cache_dir() -> Path:
    """Root of overgan's caches ($OVERGAN_CACHE or ~/.cache/overgan); never inside shared/."""
    return Path(os.environ.get("OVERGAN_CACHE", Path.home() / ".cache" / "overgan")).expanduser()


def candidate_roots(root: str | Path | None = None) -> list[Path]:
    """The data roots searched, in order (see module docstring)."""
    if root is not None:
        return [Path(root).expanduser()]
    out = []
    if os.environ.get("OVERGAN_DATA"):
        out.append(Path(os.environ["OVERGAN_DATA"]).expanduser())
    out += [REPO_ROOT.parent / "shared" / "data", cache_dir() / "datasets"]
    return out


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file, streamed."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def _offline_files(card: DatasetCard, root: Path) -> list[Path] | None:
    files = [root / rel for rel in card.archives]
    return files if all(f.exists() for f in files) else None


def _torchvision_present(name: str, root: Path) -> bool:
    marker = {"mnist": "MNIST/raw/train-images-idx3-ubyte", "cifar10": "cifar-10-batches-py",
              "celeba": "celeba/img_align_celeba"}[name]
    return (root / marker).exists()


def verify_archives(card: DatasetCard, root: Path) -> str:
    """Check every offline archive of ``card`` against its pinned sha256.

    Returns a combined hash used as the cache key; raises DataError on any mismatch,
    before anything is decoded.
    """
    combined = hashlib.sha256()
    for rel, expected in card.archives.items():
        actual = sha256_file(root / rel)
        if actual != expected:
            raise DataError(
                f"checksum mismatch for {root / rel}: sha256 {actual[:16]}..., expected "
                f"{expected[:16]}...; the file is corrupt or a different version: replace it "
                f"(see shared/data/README.md) or delete it and use download=True"
            )
        combined.update(expected.encode())
    return combined.hexdigest()


def _missing(name: str, roots: list[Path]) -> DataError:
    where = ", ".join(str(r) for r in roots)
    return DataError(
        f"dataset {name!r} not found; looked in: {where}. Get it by (1) pointing OVERGAN_DATA "
        f"(or root=) at a folder with the offline copies (layout in shared/data/README.md), or "
        f"(2) downloading it with torchvision: `overgan data download --dataset {name}` "
        f"(or load(..., download=True))"
    )


def _atomic_save(path: Path, array: np.ndarray) -> None:
    buf = io.BytesIO()
    np.save(buf, array)
    atomic_write_bytes(path, buf.getvalue())


def _decode_offline(name: str, files: list[Path]) -> dict[str, np.ndarray]:
    if name == "mnist":
        d = {f.name: f for f in files}
        return {"train": sources.read_idx_images(d["train-images-idx3-ubyte"]),
                "test": sources.read_idx_images(d["t10k-images-idx3-ubyte"])}
    if name == "cifar10":
        return {s: a for s, (a, _) in sources.read_cifar_archive(files[0]).items()}
    return {s: a for s, (a, _) in sources.read_celeba_archive(files[0]).items()}


def load_uint8(name: str, split: str, root: str | Path | None = None,
               download: bool = False) -> np.ndarray:
    """Images of ``name``/``split`` as uint8 (N, C, R, R) at the model resolution."""
    check_choice("dataset", name, tuple(CARDS))
    check_choice("split", split, SPLITS)
    card = CARDS[name]
    roots = candidate_roots(root)
    for r in roots:
        files = _offline_files(card, r)
        if files is not None:
            key = verify_archives(card, r)[:16]
            path = cache_dir() / "data" / f"{name}-{split}-{key}.npy"
            if not path.exists():
                for s, arr in _decode_offline(name, files).items():
                    _atomic_save(cache_dir() / "data" / f"{name}-{s}-{key}.npy", arr)
            return np.load(path)
        if _torchvision_present(name, r):
            return sources.torchvision_arrays(name, r, split, download=False)
    if download:
        target = roots[-1] if root is None else roots[0]
        return sources.torchvision_arrays(name, target, split, download=True)
    raise _missing(name, roots)


def to_model_range(x: np.ndarray | torch.Tensor) -> torch.Tensor:
    """uint8 in [0, 255] -> float32 in [-1, 1]."""
    t = torch.as_tensor(x)
    if t.dtype != torch.uint8:
        raise ParameterError(f"expected uint8 images, got dtype {t.dtype}")
    return t.float().div_(127.5).sub_(1.0)


def load(name: str, split: str, root: str | Path | None = None, n: int | None = None,
         download: bool = False) -> torch.Tensor:
    """Float images in [-1, 1], shape (N, C, R, R); the first ``n`` if given.

    The first ``n`` are not a random sample: they are in the order of the copy read. The
    offline CIFAR-10 is ordered by class (torchvision's class order, then file number), so
    ``load("cifar10", "train", n=5000)`` is 5,000 airplanes and ``n=10000`` airplanes and
    automobiles only; torchvision's CIFAR-10 keeps the original (mixed) order, so the same
    call gives other images, of every class, there. MNIST is in its original order in
    both, the offline CelebA in image-number order. For a subset that stands for the split,
    draw a seeded one, as the library does: training samples batches from a seeded
    permutation of the whole split (:class:`overgan_lib.train.stream.BatchStream`), and FID
    references take the first n of a seed-0 permutation
    (:func:`overgan_lib.metrics.reference.reference_subset`, uint8)."""
    arr = load_uint8(name, split, root, download)
    if n is not None:
        if not (isinstance(n, int) and 0 < n <= len(arr)):
            raise ParameterError(f"n={n!r} must be an integer in [1, {len(arr)}] for "
                                 f"{name}/{split}")
        arr = arr[:n]
    return to_model_range(arr)


def verify(root: str | Path | None = None) -> list[dict]:
    """Check every offline archive found under the candidate roots; one row per archive."""
    rows = []
    for r in candidate_roots(root):
        for card in CARDS.values():
            for rel, expected in card.archives.items():
                p = r / rel
                if p.exists():
                    actual = sha256_file(p)
                    rows.append({"dataset": card.name, "path": str(p), "ok": actual == expected,
                                 "sha256": actual, "expected": expected})
    return rows


__all__ = ["CARDS", "SPLITS", "DataError", "DatasetCard", "cache_dir", "candidate_roots",
           "load", "load_uint8", "to_model_range", "verify", "verify_archives"]
