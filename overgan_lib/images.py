"""Reading and writing image sets: folders of PNG/JPEG files, .npz arrays, sample grids."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from .errors import ParameterError
from .store import atomic_write_bytes

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".webp")


def read_folder(folder: str | Path) -> np.ndarray:
    """All images of a folder (sorted by name) as uint8 (N, 3, H, W), RGB like pytorch-fid."""
    files = sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
    if not files:
        raise ParameterError(f"{folder}: no images ({', '.join(IMAGE_SUFFIXES)}) found")
    arrs = [np.asarray(Image.open(f).convert("RGB"), dtype=np.uint8).transpose(2, 0, 1)
            for f in files]
    if len({a.shape for a in arrs}) != 1:
        raise ParameterError(f"{folder}: images have different sizes; resize them first")
    return np.stack(arrs)


def write_folder(images: np.ndarray | torch.Tensor, folder: str | Path) -> list[Path]:
    """Write uint8 (N, C, H, W) images as PNG files 000000.png, ... (grey stays grey)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    arr = np.asarray(images)
    paths = []
    for i, a in enumerate(arr):
        img = Image.fromarray(a[0] if a.shape[0] == 1 else a.transpose(1, 2, 0))
        paths.append(folder / f"{i:06d}.png")
        img.save(paths[-1])
    return paths


def save_grid(images: np.ndarray | torch.Tensor, out: str | Path, nrow: int = 8) -> Path:
    """A sample grid of uint8 images, written atomically (temp file, then rename)."""
    from torchvision.utils import make_grid

    out = Path(out)
    if out.suffix.lower() not in (".png", ".jpg", ".jpeg"):
        raise ParameterError(f"--out {out}: use a .png or .jpg file name")
    if not out.parent.exists():
        raise ParameterError(f"--out {out}: folder {out.parent} does not exist")
    arr = images.numpy() if isinstance(images, torch.Tensor) else images
    grid = make_grid(torch.from_numpy(np.array(arr)), nrow=nrow, padding=2, pad_value=255)
    buf = io.BytesIO()
    Image.fromarray(grid.permute(1, 2, 0).numpy()).save(buf, format=Image.registered_extensions()
                                                       [out.suffix.lower()])
    atomic_write_bytes(out, buf.getvalue())
    return out
