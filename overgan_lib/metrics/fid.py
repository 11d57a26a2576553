"""FID and KID through pytorch-fid, from in-memory image tensors.

The network and the Fréchet distance are pytorch-fid's own (``InceptionV3([3])`` and
``calculate_frechet_distance``); this module only feeds them. Generated images in [-1, 1]
are quantised to uint8 exactly as ``torchvision.utils.save_image`` would write them, so a
score computed here equals pytorch-fid run on the saved PNGs. KID (Bińkowski et al., 2018)
is reported beside FID because FID is biased upwards at the small sample counts a CPU
affords; every result carries N on both sides.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import numpy as np
import torch
from tqdm import tqdm

from ..errors import ParameterError, check_positive_int
from .inception import fid_model

_MODELS: dict[str, torch.nn.Module] = {}


def quantize(images: torch.Tensor) -> torch.Tensor:
    """Float images in [-1, 1] -> uint8, as ``save_image`` writes them (round half up).

    Raises a one-line error when the range is wrong (e.g. [0, 255] or [0, 1] data passed
    where [-1, 1] is expected), instead of silently scoring garbage.
    """
    if images.dtype == torch.uint8:
        return images
    lo, hi = float(images.min()), float(images.max())
    if lo < -1.001 or hi > 1.001 or not np.isfinite([lo, hi]).all():
        raise ParameterError(
            f"images must lie in [-1, 1] (got min {lo:.3g}, max {hi:.3g}); uint8 data can be "
            f"passed as is, [0, 1] data as 2*x - 1"
        )
    unit = (images.detach().float().cpu() + 1) / 2
    return unit.mul(255).add_(0.5).clamp_(0, 255).to(torch.uint8)


def get_model(device: str = "cpu") -> torch.nn.Module:
    """A cached pytorch-fid InceptionV3([3]) per device."""
    if device not in _MODELS:
        _MODELS[device] = fid_model(device)
    return _MODELS[device]


def features(
    images: torch.Tensor | np.ndarray,
    batch_size: int = 100,
    device: str | None = None,
    progress: bool = False,
) -> np.ndarray:
    """2048-d pool features of images (uint8 (N, C, H, W) or float in [-1, 1]), float32.

    Grey images are repeated to three channels (as PIL's ``convert('RGB')`` does in
    pytorch-fid's file loader); the model resizes to 299 x 299 itself.
    """
    check_positive_int("batch_size", batch_size)
    x = quantize(torch.as_tensor(images))
    if x.ndim != 4 or x.shape[1] not in (1, 3):
        raise ParameterError(f"images must have shape (N, 1 or 3, H, W), got {tuple(x.shape)}")
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    model = get_model(device)
    out = np.empty((len(x), 2048), dtype=np.float32)
    with torch.inference_mode():
        for i in tqdm(range(0, len(x), batch_size), desc="Inception features",
                      disable=not progress):
            b = x[i : i + batch_size].to(device).float().div_(255)
            if b.shape[1] == 1:
                b = b.repeat(1, 3, 1, 1)
            b = b.contiguous(memory_format=torch.channels_last)
            out[i : i + len(b)] = model(b)[0].squeeze(-1).squeeze(-1).float().cpu().numpy()
    return out


def statistics(feats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mu, Sigma) exactly as pytorch-fid computes them."""
    feats = np.asarray(feats, dtype=np.float64)
    return np.mean(feats, axis=0), np.cov(feats, rowvar=False)


def frechet(mu1: np.ndarray, s1: np.ndarray, mu2: np.ndarray, s2: np.ndarray) -> float:
    """pytorch-fid's ``calculate_frechet_distance``."""
    from pytorch_fid.fid_score import calculate_frechet_distance

    return float(calculate_frechet_distance(mu1, s1, mu2, s2))


def kid(f1: np.ndarray, f2: np.ndarray, subsets: int = 50, subset_size: int = 1000,
        seed: int = 0) -> tuple[float, float]:
    """Kernel Inception Distance: unbiased MMD^2 with k(x, y) = (x.y / d + 1)^3.

    Averaged over ``subsets`` random subsets of ``min(subset_size, N1 // 2, N2 // 2)`` per
    side (at most half of each set, so the subsets differ and the spread is informative);
    returns (mean, standard deviation over subsets).
    """
    rng = np.random.default_rng(seed)
    m = min(subset_size, len(f1) // 2, len(f2) // 2)
    if m < 2:
        raise ParameterError(f"KID needs at least 4 samples per side, got {len(f1)} and {len(f2)}")
    d = f1.shape[1]
    vals = []
    for _ in range(subsets):
        x = np.asarray(f1[rng.choice(len(f1), m, replace=False)], dtype=np.float64)
        y = np.asarray(f2[rng.choice(len(f2), m, replace=False)], dtype=np.float64)
        kxx, kyy, kxy = ((x @ x.T) / d + 1) ** 3, ((y @ y.T) / d + 1) ** 3, ((x @ y.T) / d + 1) ** 3
        off = lambda k: (k.sum() - np.trace(k)) / (m * (m - 1))  # noqa: E731
        vals.append(off(kxx) + off(kyy) - 2 * kxy.mean())
    return float(np.mean(vals)), float(np.std(vals))


@dataclass
class Score:
    """One FID/KID evaluation; N is always reported on both sides."""

    fid: float
    kid: float
    kid_std: float
    n_fake: int
    n_real: int

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        return (f"FID {self.fid:.2f}  KID {self.kid * 1e3:.2f} ± {self.kid_std * 1e3:.2f} (x1e-3)"
                f"  [N_fake={self.n_fake}, N_real={self.n_real}]")


def score_features(fake: np.ndarray, real: np.ndarray, kid_subsets: int = 50) -> Score:
    """FID and KID between two feature sets."""
    fid = frechet(*statistics(fake), *statistics(real))
    k, ks = kid(fake, real, subsets=kid_subsets)
    return Score(fid, k, ks, len(fake), len(real))


def timed_features(images, **kw) -> tuple[np.ndarray, float]:
    """Features plus the measured throughput in images per second."""
    start = time.perf_counter()
    f = features(images, **kw)
    return f, len(f) / (time.perf_counter() - start)
