"""Shared fixtures: small random instances and an isolated results store."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from overgan_lib.theory.generator import sample_problem


@pytest.fixture(autouse=True)
def _isolated_results(tmp_path, monkeypatch):
    """Never let a test write into the repository's results/ folder."""
    monkeypatch.setenv("OVERGAN_RESULTS", str(tmp_path / "results"))


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """Results and caches (checkpoints, reference features) in a temporary folder."""
    monkeypatch.setenv("OVERGAN_RESULTS", str(tmp_path / "results"))
    monkeypatch.setenv("OVERGAN_CACHE", str(tmp_path / "cache"))
    return tmp_path


def train_images(name: str, n: int = 1024) -> torch.Tensor:
    """The first ``n`` uint8 training images of a dataset."""
    from overgan_lib import data

    return torch.from_numpy(data.load_uint8(name, "train")[:n])


def make_problem(m=5, d=3, n=17, k=11, seeds=(0, 1, 2), scale=1.0):
    """A small batch of random instances with random targets."""
    g = np.random.default_rng(sum(seeds) + 7 * k)
    y = torch.tensor(scale * g.standard_normal((len(seeds), m)))
    return sample_problem(y, k, d, n, list(seeds))


@pytest.fixture
def problem():
    return make_problem()


def dataset_available(name: str) -> bool:
    """True when ``name`` is found offline or as a torchvision download (no decoding)."""
    from overgan_lib import data

    card = data.CARDS[name]
    return any(data._offline_files(card, r) is not None or data._torchvision_present(name, r)
               for r in data.candidate_roots())


def pytest_collection_modifyitems(config, items):
    """Skip ``needs_data`` tests whose datasets are absent, naming them and the remedy."""
    from overgan_lib import data

    for item in items:
        mark = item.get_closest_marker("needs_data")
        if mark is None:
            continue
        missing = [n for n in (mark.args or tuple(data.CARDS)) if not dataset_available(n)]
        if missing:
            item.add_marker(pytest.mark.skip(
                reason=f"dataset(s) {', '.join(missing)} not found: set OVERGAN_DATA or run "
                       f"`overgan data download --dataset NAME`"))


def pytorch_fid_frechet(mu1, sigma1, mu2, sigma2, eps=1e-6) -> float:
    """pytorch-fid 0.3.0's ``calculate_frechet_distance``, line for line, except for the one
    call SciPy 1.18 removed: ``sqrtm(..., disp=False)`` returned (root, error estimate),
    ``sqrtm(...)`` returns the root on every SciPy. So the comparisons with pytorch-fid run,
    and can fail, on any SciPy (tests/test_frechet.py holds this copy to pytorch-fid's own
    where both run)."""
    from scipy import linalg

    mu1, mu2 = np.atleast_1d(mu1), np.atleast_1d(mu2)
    sigma1, sigma2 = np.atleast_2d(sigma1), np.atleast_2d(sigma2)
    diff = mu1 - mu2
    covmean = linalg.sqrtm(sigma1.dot(sigma2))
    if not np.isfinite(covmean).all():
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = linalg.sqrtm((sigma1 + offset).dot(sigma2 + offset))
    if np.iscomplexobj(covmean):
        if not np.allclose(np.diagonal(covmean).imag, 0, atol=1e-3):
            raise ValueError(f"Imaginary component {np.max(np.abs(covmean.imag))}")
        covmean = covmean.real
    return float(diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean))


@pytest.fixture
def committed_generalization(monkeypatch):
    """The committed cpu records chapter 10 judges the DCGAN sweep on (read only): the
    baselines, their FIDs, the sweep's scores and its view; skips where they are not in the
    checkout."""
    from overgan_lib import status
    from overgan_lib.store import REPO_ROOT
    from overgan_lib.sweep import sweep_view

    monkeypatch.setenv("OVERGAN_RESULTS", str(REPO_ROOT / "results"))
    base = status._stored_as_chapter("generalization_baselines", "cpu")
    fid = status._stored_as_chapter("generalization_fid", "cpu")
    scores = status._stored_as_chapter("generalization", "cpu", sweep="cifar10_dcgan")
    if base is None or fid is None or scores is None:
        pytest.skip("the committed cpu generalization results are not in this checkout")
    return base, fid, scores, sweep_view("cifar10_dcgan", "cpu")
