"""The thread policy (overgan_lib.threads): affinity-aware core count, OVERGAN_THREADS."""

from __future__ import annotations

import os

import pytest
import torch

from overgan_lib import threads as T
from overgan_lib.errors import ParameterError


def test_usable_cores_follow_the_affinity(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert T.usable_cores() == 1
    assert T.threads_for("dcgan") == 1 and T.threads_for("theory") == 1
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    assert T.threads_for("dcgan") == 3 and T.threads_for("mlp") == 1


def test_env_override_and_its_one_line_error(monkeypatch):
    monkeypatch.setenv("OVERGAN_THREADS", "3")
    assert T.threads_for("theory") == 3
    saved = torch.get_num_threads()
    with T.for_workload("theory"):
        assert torch.get_num_threads() == 3
    assert torch.get_num_threads() == saved
    for bad in ("two", "0", "-1"):
        monkeypatch.setenv("OVERGAN_THREADS", bad)
        with pytest.raises(ParameterError, match=f"OVERGAN_THREADS='{bad}'"):
            T.threads_for("dcgan")


def test_every_nnd_or_neighbour_experiment_gets_the_convolution_policy():
    """NND critics and Inception features are convolutions: one thread would halve them."""
    from overgan_lib import book as ob

    # Benches choose their own threads (and store the count), not through ob.run.
    conv = [e for e, paths in ob.DEPENDS.items() if not e.startswith("bench_")
            and ("overgan_lib/metrics/nnd" in paths or e == "data_metrics")]
    assert {"generalization", "generalization_baselines", "neighbour_baselines",
            "nnd_floor", "nnd_fit_views", "generalization_fid"} <= set(conv)
    for e in conv:
        assert T.workload_of(e) == "conv", e
    assert T.workload_of("fig2") == "theory"
