"""Reading the datasets: the offline copies (IDX files, JPEG tar.xz archives) and torchvision.

The offline archives are streamed once (xz has no random access, so per-member extraction
would decompress from the start every time), every image is decoded as it passes, and the
decoded uint8 arrays are cached by the caller.
"""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import numpy as np
from PIL import Image

from .registry import CELEBA

CIFAR_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
                 "ship", "truck")


def read_idx_images(path: Path) -> np.ndarray:
    """MNIST IDX3 image file -> uint8 (N, 1, 28, 28)."""
    raw = path.read_bytes()
    magic, n, rows, cols = np.frombuffer(raw[:16], dtype=">i4")
    if magic != 2051:
        raise ValueError(f"{path}: not an IDX3 image file (magic {magic}, expected 2051)")
    return np.frombuffer(raw[16:], dtype=np.uint8).reshape(n, 1, rows, cols).copy()


def read_idx_labels(path: Path) -> np.ndarray:
    """MNIST IDX1 label file -> uint8 (N,)."""
    raw = path.read_bytes()
    magic, n = np.frombuffer(raw[:8], dtype=">i4")
    if magic != 2049:
        raise ValueError(f"{path}: not an IDX1 label file (magic {magic}, expected 2049)")
    return np.frombuffer(raw[8:], dtype=np.uint8)[:n].copy()


def _decode(blob: bytes) -> Image.Image:
    return Image.open(io.BytesIO(blob)).convert("RGB")


def celeba_transform(img: Image.Image, crop: int, size: int = 64) -> np.ndarray:
    """Centre crop ``crop`` px (torchvision's CenterCrop rounding), resize to ``size``."""
    w, h = img.size
    left, top = int(round((w - crop) / 2.0)), int(round((h - crop) / 2.0))
    img = img.crop((left, top, left + crop, top + crop)).resize((size, size), Image.BILINEAR)
    return np.asarray(img, dtype=np.uint8).transpose(2, 0, 1)


def read_cifar_archive(path: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Stream ``cifar10-jpeg.tar.xz`` once: {split: (uint8 (N, 3, 32, 32), labels)}.

    Images are ordered by (class in torchvision's order, file number) for determinism.
    """
    found: dict[str, list] = {"train": [], "test": []}
    with tarfile.open(path, "r:xz") as tar:
        for member in tar:
            parts = Path(member.name).parts
            if not member.isfile() or len(parts) < 3 or parts[-3] not in found:
                continue
            split, cls, fname = parts[-3], parts[-2], parts[-1]
            blob = tar.extractfile(member).read()
            arr = np.asarray(_decode(blob), dtype=np.uint8).transpose(2, 0, 1)
            found[split].append((CIFAR_CLASSES.index(cls), int(Path(fname).stem), arr))
    out = {}
    for split, items in found.items():
        items.sort(key=lambda t: (t[0], t[1]))
        out[split] = (np.stack([a for _, _, a in items]), np.array([c for c, _, _ in items],
                                                                  dtype=np.uint8))
    return out


def read_celeba_archive(path: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Stream ``celeba-10k-jpeg.tar.xz``: {split: (uint8 (N, 3, 64, 64), image numbers)}.

    The half-resolution images get the half-size crop (54 px); see the dataset card.
    """
    items = []
    with tarfile.open(path, "r:xz") as tar:
        for member in tar:
            if not member.isfile() or not member.name.endswith(".jpg"):
                continue
            number = int(Path(member.name).stem)
            img = _decode(tar.extractfile(member).read())
            items.append((number, celeba_transform(img, crop=54)))
    items.sort(key=lambda t: t[0])
    n_train = CELEBA.counts["train"]
    numbers = np.array([n for n, _ in items], dtype=np.int64)
    arrays = np.stack([a for _, a in items])
    return {"train": (arrays[:n_train], numbers[:n_train]),
            "test": (arrays[n_train:], numbers[n_train:])}


def torchvision_arrays(name: str, root: Path, split: str, download: bool) -> np.ndarray:
    """The online path: torchvision's datasets (``download=True`` works as usual)."""
    import torchvision.datasets as tvd

    train = split == "train"
    if name == "mnist":
        ds = tvd.MNIST(str(root), train=train, download=download)
        return ds.data.numpy()[:, None]
    if name == "cifar10":
        ds = tvd.CIFAR10(str(root), train=train, download=download)
        return ds.data.transpose(0, 3, 1, 2).copy()
    if name == "celeba":
        ds = tvd.CelebA(str(root), split="train" if train else "test", download=download)
        return np.stack([celeba_transform(ds[i][0], crop=108) for i in range(len(ds))])
    raise ValueError(name)


__all__ = ["read_cifar_archive", "read_celeba_archive", "read_idx_images",
           "read_idx_labels", "torchvision_arrays", "celeba_transform"]
