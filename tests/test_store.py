"""The results store: atomic writes, provenance, reuse."""

from __future__ import annotations

import json

import numpy as np
import pytest

from overgan_lib import store
from overgan_lib.errors import ParameterError


def test_roundtrip_with_provenance():
    data = {"x": np.arange(5.0), "nested": {"y": np.eye(2)}, "n": 3, "s": "text"}
    rec = store.save("unit", "smoke", {"a": 1, "seed": 0}, data, seed=0, wall_time_s=1.25)
    back = store.load("unit", "smoke", {"a": 1, "seed": 0})
    assert back is not None and back.reused
    np.testing.assert_array_equal(back["x"], data["x"])
    np.testing.assert_array_equal(back["nested"]["y"], np.eye(2))
    assert back["n"] == 3 and back["s"] == "text"
    for key in (
        "git_sha",
        "profile",
        "seed",
        "device",
        "torch_version",
        "wall_time_s",
        "created_utc",
    ):
        assert key in back.provenance
    assert back.provenance["profile"] == "smoke" and back.provenance["wall_time_s"] == 1.25
    assert rec.path == back.path and rec.path.parent.name == "smoke"


def test_load_or_run_reuses_and_reruns():
    calls = []

    def fn():
        calls.append(1)
        return {"v": np.array([len(calls)])}

    cfg = {"k": 3, "seed": 1}
    a = store.load_or_run("unit", "cpu", cfg, fn, seed=1)
    b = store.load_or_run("unit", "cpu", cfg, fn, seed=1)
    c = store.load_or_run("unit", "cpu", cfg, fn, seed=1, rerun=True)
    assert len(calls) == 2 and not a.reused and b.reused and not c.reused
    assert int(c["v"][0]) == 2 and int(store.load("unit", "cpu", cfg)["v"][0]) == 2
    assert store.load("unit", "cpu", {"k": 4, "seed": 1}) is None


def test_failed_run_leaves_nothing():
    def boom():
        raise RuntimeError("simulated crash")

    with pytest.raises(RuntimeError):
        store.load_or_run("unit", "cpu", {"z": 1}, boom, seed=0)
    assert not store.record_path("unit", "cpu", {"z": 1}).exists()


def test_atomic_write_keeps_old_file_on_failure(tmp_path):
    path = tmp_path / "r.json"
    store.atomic_write_text(path, json.dumps({"ok": 1}))

    with pytest.raises(TypeError):
        store.atomic_write_text(path, object())  # type: ignore[arg-type]
    assert json.loads(path.read_text()) == {"ok": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_bad_profile_rejected_before_writing():
    with pytest.raises(ParameterError, match="profile='nope'"):
        store.save("unit", "nope", {}, {}, seed=0, wall_time_s=0.0)


def test_config_key_is_stable_and_order_free():
    assert store.config_key({"a": 1, "b": [1, 2]}) == store.config_key({"b": [1, 2], "a": 1})
    assert store.config_key({"a": 1}) != store.config_key({"a": 2})


def test_git_state_ignores_rewritten_results_but_not_code(tmp_path, monkeypatch):
    import subprocess

    from overgan_lib import store

    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    (tmp_path / "code.py").write_text("x = 1\n")
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "r.json").write_text("{}")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init")
    monkeypatch.setattr(store, "REPO_ROOT", tmp_path)
    sha, dirty = store.git_state()
    assert len(sha) == 40 and not dirty
    (tmp_path / "results" / "r.json").write_text('{"new": 1}')
    assert store.git_state() == (sha, False)
    (tmp_path / "code.py").write_text("x = 2\n")
    assert store.git_state() == (sha, True)


def test_a_copy_without_git_states_its_sha_from_the_source_manifest(tmp_path, monkeypatch):
    """On a machine that gets the working tree without .git, provenance comes from the
    manifest written here: its sha, and dirty when a listed file differs from it."""
    import subprocess

    doc = store.source_manifest()
    assert "overgan_lib/store.py" in doc["files"]
    assert not any(f.startswith("results/") for f in doc["files"])
    doc["git_dirty"] = False  # as if written from a clean tree

    def no_git(*args):
        raise subprocess.CalledProcessError(128, ["git", *args])

    monkeypatch.setattr(store, "_git", no_git)
    monkeypatch.delenv("OVERGAN_SOURCE_MANIFEST", raising=False)
    assert store.git_state() == ("unknown", False)
    clean = tmp_path / "clean.json"
    clean.write_text(json.dumps(doc))
    monkeypatch.setenv("OVERGAN_SOURCE_MANIFEST", str(clean))
    assert store.git_state() == (doc["git_sha"], False)
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps({**doc, "files": {**doc["files"],
                                                   "overgan_lib/store.py": "0" * 64}}))
    monkeypatch.setenv("OVERGAN_SOURCE_MANIFEST", str(edited))
    assert store.git_state() == (doc["git_sha"], True)
    assert store.provenance("smoke", 0, 1.0)["git_dirty"] is True


def test_atomic_writes_get_the_umask_mode_not_mkstemps_0600(tmp_path):
    """Stored results, caches and `overgan fid stats --out` files are readable by others as
    the user's umask allows, like any file the user writes (mkstemp alone gives 0600)."""
    import os
    import stat

    from overgan_lib import store

    old = os.umask(0o022)
    try:
        for mask, mode in ((0o022, 0o644), (0o077, 0o600)):
            os.umask(mask)
            store.atomic_write_bytes(tmp_path / f"{mode:o}.json", "{}")
            assert stat.S_IMODE((tmp_path / f"{mode:o}.json").stat().st_mode) == mode
    finally:
        os.umask(old)
