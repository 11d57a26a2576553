"""Reference features of the real data, computed once and cached on disk.

The reference set of size n is a fixed random subset (numpy seed 0) of the split, because
the stored order of some datasets is sorted by class. The cache key holds the dataset,
split, n, a hash of the selected uint8 images and the content hash of the Inception
weights, so changing any of them recomputes.
"""

from __future__ import annotations

import hashlib
import io

import numpy as np
import torch

from .. import data
from ..errors import check_positive_int
from ..store import atomic_write_bytes
from .fid import Score, features, quantize, score_features
from .inception import BUILT_STATE_SHA256


def _subset_indices(total: int, n: int, dataset: str, split: str) -> np.ndarray:
    check_positive_int("n", n)
    if n > total:
        from ..errors import ParameterError

        raise ParameterError(f"n={n} exceeds the {total} images of {dataset}/{split}; "
                             f"use n <= {total}")
    return np.sort(np.random.default_rng(0).permutation(total)[:n])


def reference_indices(dataset: str, split: str, n: int, root=None) -> np.ndarray:
    """Indices into the split of the images :func:`reference_subset` returns, in order."""
    return _subset_indices(len(data.load_uint8(dataset, split, root)), n, dataset, split)


def reference_subset(dataset: str, split: str, n: int, root=None) -> np.ndarray:
    """The first n images of a fixed (seed 0) permutation of the split, uint8."""
    arr = data.load_uint8(dataset, split, root)
    return arr[_subset_indices(len(arr), n, dataset, split)]


def _key(dataset: str, split: str, images: np.ndarray) -> str:
    h = hashlib.sha256(images.tobytes()).hexdigest()[:16]
    return f"{dataset}-{split}-n{len(images)}-{h}-w{BUILT_STATE_SHA256[:12]}"


def reference_features(dataset: str, split: str, n: int, root=None, device: str | None = None,
                       progress: bool = True) -> np.ndarray:
    """Inception features of the reference subset, cached under ``<cache>/fid/``."""
    images = reference_subset(dataset, split, n, root)
    path = data.cache_dir() / "fid" / f"{_key(dataset, split, images)}.npy"
    if path.exists():
        return np.load(path)
    f = features(images, device=device, progress=progress)
    buf = io.BytesIO()
    np.save(buf, f)
    atomic_write_bytes(path, buf.getvalue())
    return f


def score_against(fake: torch.Tensor | np.ndarray, dataset: str, split: str = "train",
                  n_real: int | None = None, root=None, device: str | None = None) -> Score:
    """FID/KID of a set of generated images against a dataset split's reference features."""
    n_real = n_real or len(fake)
    real = reference_features(dataset, split, n_real, root, device, progress=False)
    return score_features(features(fake, device=device), real)


def sample_uint8(generator: torch.nn.Module, z_dim: int, n: int, seed: int = 0,
                 batch_size: int = 100, device: str | None = None) -> torch.Tensor:
    """``n`` samples of G(z), z ~ N(0, I_{z_dim}) from a seeded CPU generator, as uint8.

    Drawn in batches under ``torch.no_grad`` and quantised as saved images would be, so
    only uint8 samples are kept in memory; the noise does not depend on the device.
    """
    check_positive_int("n", n)
    check_positive_int("z_dim", z_dim)
    dev = device or next(iter(generator.parameters()), torch.empty(0)).device.type
    gen = torch.Generator(device="cpu").manual_seed(seed)
    chunks = []
    with torch.no_grad():
        for i in range(0, n, batch_size):
            z = torch.randn(min(batch_size, n - i), z_dim, generator=gen).to(dev)
            chunks.append(quantize(generator(z).float().cpu()))
    return torch.cat(chunks)


def score_generator(generator: torch.nn.Module, z_dim: int, n: int, dataset: str,
                    split: str = "train", n_real: int | None = None, batch_size: int = 100,
                    device: str | None = None, seed: int = 0) -> Score:
    """FID/KID of ``n`` samples of a generator G(z) (see :func:`sample_uint8`)."""
    fake = sample_uint8(generator, z_dim, n, seed, batch_size, device)
    return score_against(fake, dataset, split, n_real, device=device)
