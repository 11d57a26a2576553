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


def make_problem(m=5, d=3, n=17, k=11, seeds=(0, 1, 2), scale=1.0):
    """A small batch of random instances with random targets."""
    g = np.random.default_rng(sum(seeds) + 7 * k)
    y = torch.tensor(scale * g.standard_normal((len(seeds), m)))
    return sample_problem(y, k, d, n, list(seeds))


@pytest.fixture
def problem():
    return make_problem()
