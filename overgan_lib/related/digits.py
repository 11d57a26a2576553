"""A cheap mode-collapse metric for MNIST generators: a small digit classifier.

The PacGAN metric counts the modes of a mixture that a generator covers; MNIST has ten
natural modes, the digits. A classifier (784 → 256 → 10 MLP, ReLU, trained for a few
seconds on the training split) labels generated images:

* *confident fraction* — share of samples whose top class probability is at least
  ``CONFIDENT`` (the analogue of PacGAN's high-quality fraction);
* *digits covered* — digits that receive at least ``MIN_SHARE`` of the samples among the
  confident ones (the analogue of modes captured);
* *class entropy* of the confident samples' labels, in nats (log 10 ≈ 2.30 is uniform).

Used instead of FID/KID because one Fréchet distance costs 80-90 s on the shared CPU
(measured), which would dominate a sweep of short runs.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from .. import data
from ..errors import ParameterError

CONFIDENT = 0.9
MIN_SHARE = 0.02
_LABELS = {"train": "train-labels-idx1-ubyte", "test": "t10k-labels-idx1-ubyte"}


def load_labels(split: str) -> np.ndarray:
    """MNIST labels of ``split`` from the offline IDX files (uint8, aligned with
    :func:`overgan_lib.data.load_uint8`)."""
    from ..data.sources import read_idx_labels
    from ..errors import check_choice

    check_choice("split", split, tuple(_LABELS))
    roots = data.candidate_roots()
    for r in roots:
        path = r / "MNIST" / "raw" / _LABELS[split]
        if path.exists():
            return read_idx_labels(path)
    raise ParameterError(f"MNIST labels ({_LABELS[split]}) not found under "
                         f"{', '.join(map(str, roots))}; set OVERGAN_DATA to the data folder")


def _unit(images: torch.Tensor | np.ndarray) -> torch.Tensor:
    """uint8 images -> flat float in [-1, 1] (the GAN's range)."""
    return torch.as_tensor(images).float().div(127.5).sub(1).flatten(1)


def train_classifier(seed: int = 0, n: int = 30_000, epochs: int = 2,
                     batch: int = 128) -> tuple[nn.Module, float]:
    """Train the digit classifier on ``n`` training images; returns (model, test accuracy)."""
    g = torch.Generator().manual_seed(seed)
    x = _unit(data.load_uint8("mnist", "train")[:n])
    y = torch.as_tensor(load_labels("train")[:n]).long()
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(epochs):
        perm = torch.randperm(n, generator=g)
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    xt = _unit(data.load_uint8("mnist", "test"))
    yt = torch.as_tensor(load_labels("test")).long()
    with torch.no_grad():
        acc = float((model(xt).argmax(1) == yt).float().mean())
    return model.eval(), acc


def digit_metric(images: torch.Tensor | np.ndarray, model: nn.Module) -> dict:
    """Digits covered, confident fraction, class entropy and per-digit counts of uint8
    images (N, 1, 28, 28) (see module docstring)."""
    x = torch.as_tensor(images)
    if x.dtype != torch.uint8 or x.shape[1:] != (1, 28, 28):
        raise ParameterError(f"images must be uint8 of shape (N, 1, 28, 28), got "
                             f"{x.dtype} {tuple(x.shape)}")
    with torch.no_grad():
        p = F.softmax(model(_unit(x)), 1)
    conf, label = p.max(1)
    ok = conf >= CONFIDENT
    counts = torch.bincount(label[ok], minlength=10).numpy()
    share = counts / max(int(ok.sum()), 1)
    nz = share[share > 0]
    return {"digits": int((share >= MIN_SHARE).sum()), "confident": float(ok.float().mean()),
            "entropy": float(-(nz * np.log(nz)).sum()) + 0.0, "counts": counts}
