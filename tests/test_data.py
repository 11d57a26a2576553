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


def test_dataset_source_names_the_copy_load_uint8_reads(tmp_path, monkeypatch):
    """Provenance's ``datasets``: the offline archive by the key ``load_uint8`` caches its
    decoded images under, torchvision's layout as ``torchvision``, nothing as ``absent``; and
    a result whose copy differs from this machine's is named, one from before sources were
    recorded is not."""
    from overgan_lib import dataset_sources as ds

    monkeypatch.setenv("OVERGAN_CACHE", str(tmp_path / "cache"))
    src = next(r for r in data.candidate_roots() if (r / "cifar10-jpeg.tar.xz").exists())
    offline = tmp_path / "offline"
    offline.mkdir()
    (offline / "cifar10-jpeg.tar.xz").symlink_to(src / "cifar10-jpeg.tar.xz")
    source = ds.dataset_source("cifar10", offline)
    assert source.startswith("offline:")
    data.load_uint8("cifar10", "test", root=offline)
    cached = [p.name for p in (tmp_path / "cache" / "data").glob("cifar10-test-*.npy")]
    assert cached == [f"cifar10-test-{source.removeprefix('offline:')}.npy"]
    tv = tmp_path / "tv"
    (tv / "cifar-10-batches-py").mkdir(parents=True)
    assert ds.dataset_source("cifar10", tv) == "torchvision"
    assert ds.dataset_source("cifar10", tmp_path / "nowhere") == "absent"
    with pytest.raises(data.DataError):
        data.load_uint8("cifar10", "test", root=tmp_path / "nowhere")
    here = {"cifar10": "torchvision", "mnist": "absent"}
    assert ds.differing({"cifar10": source, "mnist": "offline:x"}, ["cifar10", "mnist"],
                        here) == ["cifar10"]
    assert ds.differing({"cifar10": "torchvision"}, ["cifar10"], here) == []
    assert ds.differing(None, ["cifar10"], here) == []


def test_provenance_note_warns_when_the_data_copy_differs(monkeypatch):
    from pathlib import Path

    from overgan_lib import dataset_sources as ds
    from overgan_lib import provenance
    from overgan_lib.store import Record

    monkeypatch.setattr(ds, "dataset_sources", lambda root=None: {"cifar10": "torchvision"})
    prov = {"git_sha": "unknown", "git_dirty": False, "profile": "cpu", "seed": 0,
            "device": "cpu", "wall_time_s": 1.0, "created_utc": "2026-01-01T00:00:00Z",
            "datasets": {"cifar10": "offline:57afe2defc1c39d4"}}
    rec = Record("nnd_floor", {"dataset": "cifar10"}, prov, {}, Path("x.json"), reused=True)
    note = provenance.provenance_note(rec)
    assert "another copy of the data than this machine reads: nnd_floor (cifar10)" in note
    same = {**prov, "datasets": {"cifar10": "torchvision"}}
    rec = Record("nnd_floor", {"dataset": "cifar10"}, same, {}, Path("x.json"), reused=True)
    assert "another copy" not in provenance.provenance_note(rec)


def test_a_failed_download_is_one_line_naming_the_dataset_and_the_fix(monkeypatch, capsys):
    """torchvision's own errors (no network, Google Drive's quota) reach the user as one
    line that names the dataset and what to do, not a traceback."""
    from overgan_lib.cli import main

    def refuse(*args, **kwargs):
        raise RuntimeError("Too many users have viewed or downloaded this file recently.\nmore")

    monkeypatch.setattr(data, "load_uint8", refuse)
    assert main(["data", "download", "--dataset", "celeba"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "download of 'celeba' failed (RuntimeError: Too many" in err
    assert "offline copies" in err and "more" not in err
