"""The needs_data marker's availability test (conftest.py) follows the data roots."""

from __future__ import annotations

from overgan_lib import data
from tests.conftest import dataset_available


def test_dataset_available_follows_the_roots(monkeypatch, tmp_path):
    monkeypatch.setattr(data, "candidate_roots", lambda root=None: [tmp_path])
    assert not dataset_available("mnist")
    for rel in data.CARDS["mnist"].archives:  # offline layout: the archives are present
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"")
    assert dataset_available("mnist") and not dataset_available("cifar10")
