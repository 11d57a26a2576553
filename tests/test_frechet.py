"""The Fréchet distance without sqrtm, TF32 off for features, full-precision CLI output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy
import torch

from overgan_lib import data, metrics
from overgan_lib.errors import ParameterError
from overgan_lib.metrics.fid import frechet_pytorch_fid, no_tf32
from tests.conftest import pytorch_fid_frechet as _pytorch_fid_frechet

REPO = Path(__file__).resolve().parent.parent
HAVE_DATA = any((r / "cifar10-jpeg.tar.xz").exists() for r in data.candidate_roots())
needs_data = pytest.mark.skipif(not HAVE_DATA, reason="offline datasets not found")
SQRTM_HAS_DISP = tuple(int(x) for x in scipy.__version__.split(".")[:2]) < (1, 18)
needs_disp = pytest.mark.skipif(
    not SQRTM_HAS_DISP, reason="pytorch-fid 0.3.0's sqrtm(disp=False) fails on SciPy >= 1.18")


def _theirs(sa, sb) -> float:
    """pytorch-fid's Fréchet distance of two (mu, sigma): its own code where SciPy still
    accepts ``disp``, else the copy above."""
    return frechet_pytorch_fid(*sa, *sb) if SQRTM_HAS_DISP else _pytorch_fid_frechet(*sa, *sb)


@needs_disp
def test_the_copy_of_pytorch_fids_frechet_is_its_code():
    rng = np.random.default_rng(5)
    a, b = rng.standard_normal((300, 64)), rng.standard_normal((300, 64)) * 1.1 + 0.2
    sa, sb = metrics.statistics(a), metrics.statistics(b)
    assert _pytorch_fid_frechet(*sa, *sb) == pytest.approx(frechet_pytorch_fid(*sa, *sb),
                                                           rel=1e-12)


def _feature_like(n: int, seed: int, scale: float) -> np.ndarray:
    """Non-negative, correlated 2048-d vectors (ReLU of a low-rank Gaussian), like pool
    features."""
    rng = np.random.default_rng(seed)
    basis = np.random.default_rng(99).standard_normal((2048, 96))
    return np.maximum(rng.standard_normal((n, 96)) @ basis.T * scale + 0.3, 0)


@pytest.mark.parametrize("n", [300, 2500])  # singular (N < 2048) and full-rank covariances
def test_frechet_equals_pytorch_fid(n):
    a, b = _feature_like(n, 0, 0.1), _feature_like(n, 1, 0.12)
    sa, sb = metrics.statistics(a), metrics.statistics(b)
    ours, theirs = metrics.frechet(*sa, *sb), _theirs(sa, sb)
    assert ours == pytest.approx(theirs, rel=1e-6)
    assert metrics.frechet_features(a, b) == pytest.approx(theirs, rel=1e-6)
    assert ours != pytest.approx(metrics.frechet_features(a, _feature_like(n, 1, 0.13)),
                                 rel=1e-3)  # and it is not insensitive


def test_low_rank_route_equals_the_eigen_route():
    """N < 2048 (SVD of the N1 x N2 cross product) vs the 2048 x 2048 eigen route. The
    eigen route adds up square roots of ~2000 round-off eigenvalues of the rank-deficient
    covariances (~1e-7 each), so the two agree to ~1e-7, not to machine precision."""
    a, b = _feature_like(150, 2, 0.1), _feature_like(220, 3, 0.11)
    full = metrics.frechet(*metrics.statistics(a), *metrics.statistics(b))
    assert metrics.frechet_features(a, b) == pytest.approx(full, rel=1e-6)


@needs_data
def test_frechet_equals_pytorch_fid_on_real_features():
    """CIFAR-10 train vs test Inception features (cached references, N=200 per side)."""
    from overgan_lib.metrics.reference import reference_features

    a = reference_features("cifar10", "train", 200, progress=False)
    b = reference_features("cifar10", "test", 200, progress=False)
    sa, sb = metrics.statistics(a), metrics.statistics(b)
    theirs = _theirs(sa, sb)
    assert metrics.frechet(*sa, *sb) == pytest.approx(theirs, rel=1e-6)
    assert metrics.frechet_features(a, b) == pytest.approx(theirs, rel=1e-6)


def test_frechet_rejects_mismatched_statistics():
    a = metrics.statistics(np.random.default_rng(0).standard_normal((20, 4)))
    b = metrics.statistics(np.random.default_rng(0).standard_normal((20, 5)))
    with pytest.raises(ParameterError, match="statistics differ in shape"):
        metrics.frechet(*a, *b)


def test_no_tf32_restores_the_callers_settings():
    conv = getattr(torch.backends.cudnn, "conv", None)
    mm = torch.backends.cuda.matmul
    if conv is not None and hasattr(conv, "fp32_precision") and hasattr(mm, "fp32_precision"):
        before = conv.fp32_precision, mm.fp32_precision
        try:
            conv.fp32_precision = mm.fp32_precision = "tf32"
            with no_tf32():
                assert (conv.fp32_precision, mm.fp32_precision) == ("ieee", "ieee")
            assert (conv.fp32_precision, mm.fp32_precision) == ("tf32", "tf32")
        finally:
            conv.fp32_precision, mm.fp32_precision = before
        return
    before = torch.backends.cudnn.allow_tf32, mm.allow_tf32
    try:
        for value in (True, False):
            torch.backends.cudnn.allow_tf32 = mm.allow_tf32 = value
            with no_tf32():
                assert not torch.backends.cudnn.allow_tf32 and not mm.allow_tf32
            assert torch.backends.cudnn.allow_tf32 is value and mm.allow_tf32 is value
    finally:
        torch.backends.cudnn.allow_tf32, mm.allow_tf32 = before


def test_cli_fid_prints_full_precision_and_json(tmp_path):
    rng = np.random.default_rng(0)
    for name, shift in (("a", 0.0), ("b", 0.3)):
        mu = rng.standard_normal(8) + shift
        np.savez(tmp_path / f"{name}.npz", mu=mu, sigma=np.eye(8) * (1 + shift))
    cmd = [sys.executable, "-m", "overgan_lib.cli", "fid", "--real", str(tmp_path / "a.npz"),
           "--fake", str(tmp_path / "b.npz")]
    plain = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, check=True).stdout
    out = json.loads(subprocess.run(cmd + ["--json"], capture_output=True, text=True, cwd=REPO,
                                    check=True).stdout)
    a, b = np.load(tmp_path / "a.npz"), np.load(tmp_path / "b.npz")
    expected = metrics.frechet(b["mu"], b["sigma"], a["mu"], a["sigma"])
    assert out["fid"] == expected  # every digit survives the JSON
    assert repr(expected) in plain


@pytest.mark.cuda
@pytest.mark.inception
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
@needs_data
def test_fid_on_cuda_equals_fid_on_cpu():
    """Same images, features on cuda (TF32 off) and on the CPU: |dFID| < 1e-3."""
    from overgan_lib.metrics.reference import reference_subset

    a = reference_subset("cifar10", "train", 500)
    b = reference_subset("cifar10", "test", 500)
    fids = []
    for device in ("cuda", "cpu"):
        fa, fb = metrics.features(a, device=device), metrics.features(b, device=device)
        fids.append(metrics.frechet(*metrics.statistics(fa), *metrics.statistics(fb)))
    assert abs(fids[0] - fids[1]) < 1e-3
