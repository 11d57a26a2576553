"""Datasets: shapes, ranges, counts, checksums, caching and the two error paths."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from overgan_lib import data
from overgan_lib.errors import ParameterError

needs_data = pytest.mark.needs_data  # all three datasets (see conftest.py)


@pytest.mark.slow
@needs_data
@pytest.mark.parametrize("name", ["mnist", "cifar10", "celeba"])
def test_loaders_shapes_ranges_counts(name):
    card = data.CARDS[name]
    for split in ("train", "test"):
        arr = data.load_uint8(name, split)
        assert arr.dtype == np.uint8
        assert arr.shape == (card.counts[split], card.channels, card.resolution, card.resolution)
        assert arr.min() == 0 and arr.max() == 255
    x = data.load(name, "test", n=10)
    assert x.shape == (10, card.channels, card.resolution, card.resolution)
    assert float(x.min()) >= -1.0 and float(x.max()) <= 1.0 and x.dtype.is_floating_point


@pytest.mark.slow
@needs_data
def test_mnist_matches_known_labels_and_cifar_order():
    from overgan_lib.data.sources import read_idx_labels

    root = next(r for r in data.candidate_roots() if (r / "MNIST").exists())
    labels = read_idx_labels(root / "MNIST/raw/train-labels-idx1-ubyte")
    assert labels[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]  # documented in the README
    a, b = data.load_uint8("cifar10", "test"), data.load_uint8("cifar10", "test")
    assert np.array_equal(a, b)  # cached and deterministic


@pytest.mark.slow
@needs_data
def test_checksum_mismatch_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("OVERGAN_CACHE", str(tmp_path / "cache"))
    root = tmp_path / "data"
    root.mkdir()
    src = next(r for r in data.candidate_roots() if (r / "celeba-10k-jpeg.tar.xz").exists())
    bad = root / "celeba-10k-jpeg.tar.xz"
    shutil.copy(src / "celeba-10k-jpeg.tar.xz", bad)
    with open(bad, "r+b") as fh:  # flip one byte in the middle
        fh.seek(1000)
        byte = fh.read(1)
        fh.seek(1000)
        fh.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(data.DataError, match="checksum mismatch") as exc:
        data.load_uint8("celeba", "train", root=root)
    assert "\n" not in str(exc.value)
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").rglob("*.npy"))
    assert not any(row["ok"] for row in data.verify(root))


def test_missing_root_lists_places_and_remedies(tmp_path):
    with pytest.raises(data.DataError) as exc:
        data.load_uint8("cifar10", "train", root=tmp_path / "nowhere")
    msg = str(exc.value)
    assert str(tmp_path / "nowhere") in msg and "OVERGAN_DATA" in msg and "download" in msg


def test_bad_names_and_sizes():
    with pytest.raises(ParameterError, match="dataset='svhn'"):
        data.load_uint8("svhn", "train")
    with pytest.raises(ParameterError, match="split='val'"):
        data.load_uint8("mnist", "val")
    with pytest.raises(ParameterError, match="uint8"):
        data.to_model_range(np.zeros((1, 1, 2, 2), dtype=np.float32))


@pytest.mark.slow
@needs_data
def test_n_out_of_range():
    with pytest.raises(ParameterError, match="n=0"):
        data.load("mnist", "test", n=0)


@pytest.mark.slow
@needs_data
def test_torchvision_source_reads_the_same_mnist():
    from overgan_lib.data.sources import torchvision_arrays

    root = next(r for r in data.candidate_roots() if (r / "MNIST").exists())
    tv = torchvision_arrays("mnist", root, "test", download=False)
    assert np.array_equal(tv, data.load_uint8("mnist", "test"))
