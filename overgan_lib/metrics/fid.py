"""FID and KID through pytorch-fid, from in-memory image tensors.

The network is pytorch-fid's own ``InceptionV3([3])``; this module only feeds it, with TF32
off on a GPU (PyTorch's default TF32 convolutions moved pool features by 2e-3 relative and
FID by 0.008 at N=1000). The Fréchet distance is pytorch-fid's formula computed through
symmetric eigen-decompositions (:func:`frechet`): exact, without its dense
``scipy.linalg.sqrtm`` of a non-symmetric matrix (the two are not timed against each other
in this book), and independent of SciPy's ``sqrtm`` signature (pytorch-fid 0.3.0 passes
``disp=False``, which SciPy 1.18 removed); a test holds it to pytorch-fid's result.
Generated images in [-1, 1] are quantised to uint8 exactly as
``torchvision.utils.save_image(x, path, normalize=True, value_range=(-1, 1))`` (or
``save_image((x + 1) / 2, path)``) writes them, so a score computed here equals pytorch-fid
run on PNGs saved that way (a plain ``save_image(x, path)`` would clip [-1, 0) to black).
KID (Bińkowski et al., 2018) is reported beside FID because FID is biased upwards at the
small sample counts a CPU affords; every result carries N on both sides.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass

import numpy as np
import scipy.linalg
import torch
from tqdm import tqdm

from ..errors import ParameterError, check_positive_int
from .inception import fid_model

_MODELS: dict[str, torch.nn.Module] = {}


def quantize(images: torch.Tensor) -> torch.Tensor:
    """Float images in [-1, 1] -> uint8, as ``save_image(x, normalize=True,
    value_range=(-1, 1))`` writes them (round half up).

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
    with torch.inference_mode(), no_tf32():
        for i in tqdm(range(0, len(x), batch_size), desc="Inception features",
                      disable=not progress):
            b = x[i : i + batch_size].to(device).float().div_(255)
            if b.shape[1] == 1:
                b = b.repeat(1, 3, 1, 1)
            b = b.contiguous(memory_format=torch.channels_last)
            out[i : i + len(b)] = model(b)[0].squeeze(-1).squeeze(-1).float().cpu().numpy()
    return out


@contextlib.contextmanager
def no_tf32() -> Iterator[None]:
    """TF32 off for cuDNN convolutions and matmuls inside the block; the caller's settings
    are restored afterwards. Uses the ``fp32_precision`` API where torch has it (reading the
    old ``allow_tf32`` flags raises once a program has set the new API), else ``allow_tf32``."""
    new_api = (getattr(torch.backends.cudnn, "conv", None), torch.backends.cuda.matmul)
    if all(hasattr(b, "fp32_precision") for b in new_api):
        saved = [b.fp32_precision for b in new_api]
        for b in new_api:
            b.fp32_precision = "ieee"
        try:
            yield
        finally:
            for b, v in zip(new_api, saved, strict=True):
                b.fp32_precision = v
        return
    saved_old = torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32
    torch.backends.cudnn.allow_tf32 = torch.backends.cuda.matmul.allow_tf32 = False
    try:
        yield
    finally:
        torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32 = saved_old


def statistics(feats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mu, Sigma) exactly as pytorch-fid computes them."""
    feats = np.asarray(feats, dtype=np.float64)
    return np.mean(feats, axis=0), np.cov(feats, rowvar=False)


def frechet(mu1: np.ndarray, s1: np.ndarray, mu2: np.ndarray, s2: np.ndarray) -> float:
    """Fréchet distance ||mu1 - mu2||^2 + tr(S1) + tr(S2) - 2 tr((S1 S2)^(1/2)).

    pytorch-fid takes tr((S1 S2)^(1/2)) from ``scipy.linalg.sqrtm`` of the (non-symmetric)
    product. Its eigenvalues are those of the symmetric PSD matrix S1^(1/2) S2 S1^(1/2), so
    the trace is the sum of their square roots: two ``eigh`` calls and no ``sqrtm``.
    Round-off can leave tiny negative eigenvalues of PSD matrices; they are clipped to 0.
    """
    mu1, mu2 = np.atleast_1d(mu1).astype(np.float64), np.atleast_1d(mu2).astype(np.float64)
    s1, s2 = np.atleast_2d(s1).astype(np.float64), np.atleast_2d(s2).astype(np.float64)
    if mu1.shape != mu2.shape or s1.shape != s2.shape:
        raise ParameterError(f"statistics differ in shape: mu {mu1.shape} vs {mu2.shape}, "
                             f"sigma {s1.shape} vs {s2.shape}; use features of one network")
    w, v = scipy.linalg.eigh(s1)
    root1 = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    m = root1 @ s2 @ root1
    ev = scipy.linalg.eigvalsh((m + m.T) / 2)
    tr_covmean = float(np.sqrt(np.clip(ev, 0, None)).sum())
    diff = mu1 - mu2
    return float(diff @ diff + np.trace(s1) + np.trace(s2) - 2 * tr_covmean)


def frechet_features(f1: np.ndarray, f2: np.ndarray) -> float:
    """``frechet(*statistics(f1), *statistics(f2))``, by the cheaper of two exact routes.

    With fewer samples than feature dimensions on either side (min(N1, N2) < 2048: every
    CPU-profile evaluation) the covariances' product has rank < min(N1, N2), and with centred
    features A_i (S_i = A_i^T A_i / (N_i - 1))
    the non-zero eigenvalues of S1 S2 are the squared singular values of A1 A2^T divided by
    (N1 - 1)(N2 - 1). So tr((S1 S2)^(1/2)) is a sum of singular values of an N1 x N2 matrix,
    and the 2048 x 2048 decompositions are never formed. Otherwise :func:`frechet`.
    """
    f1, f2 = np.asarray(f1, dtype=np.float64), np.asarray(f2, dtype=np.float64)
    n1, n2 = len(f1), len(f2)
    if min(n1, n2) >= f1.shape[1] or f1.shape[1] != f2.shape[1]:
        return frechet(*statistics(f1), *statistics(f2))
    m1, m2 = f1.mean(0), f2.mean(0)
    a1, a2 = f1 - m1, f2 - m2
    tr_covmean = float(scipy.linalg.svdvals(a1 @ a2.T).sum()) / np.sqrt((n1 - 1) * (n2 - 1))
    diff = m1 - m2
    return float(diff @ diff + (a1 * a1).sum() / (n1 - 1) + (a2 * a2).sum() / (n2 - 1)
                 - 2 * tr_covmean)


def frechet_pytorch_fid(mu1: np.ndarray, s1: np.ndarray, mu2: np.ndarray, s2: np.ndarray
                        ) -> float:
    """pytorch-fid's own ``calculate_frechet_distance`` (the reference :func:`frechet` is
    tested against); raises on SciPy >= 1.18, whose ``sqrtm`` has no ``disp`` argument."""
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
        # Full precision: users compare this line with pytorch-fid's, which prints every digit.
        return (f"FID {self.fid!r}  KID {self.kid * 1e3:.2f} ± {self.kid_std * 1e3:.2f} (x1e-3)"
                f"  [N_fake={self.n_fake}, N_real={self.n_real}]")


def score_features(fake: np.ndarray, real: np.ndarray, kid_subsets: int = 50) -> Score:
    """FID and KID between two feature sets."""
    fid = frechet_features(fake, real)
    k, ks = kid(fake, real, subsets=kid_subsets)
    return Score(fid, k, ks, len(fake), len(real))


def timed_features(images, **kw) -> tuple[np.ndarray, float]:
    """Features plus the measured throughput in images per second."""
    start = time.perf_counter()
    f = features(images, **kw)
    return f, len(f) / (time.perf_counter() - start)
