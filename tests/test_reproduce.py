"""``overgan reproduce``: recompute a stored result in a scratch store and compare."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from overgan_lib import reproduce as rp
from overgan_lib import store
from overgan_lib.cli import main
from overgan_lib.errors import ParameterError
from overgan_lib.status import reproductions


def test_entries_compare_bitwise_with_nan_shapes_and_missing_keys():
    a = {"x": np.array([1.0, 2.0, np.nan]), "n": {"k": [1, 2]}, "s": "ring", "train_s": 3.0,
         "only_a": 1}
    b = {"x": np.array([1.0, 2.5, np.nan]), "n": {"k": [1, 2, 3]}, "s": "ring", "train_s": 4.0,
         "only_b": 2}
    d = {e.key: e for e in rp.compare_records(a, b)}
    assert list(d) == ["x", "n.k", "s", "train_s", "only_a", "only_b"]
    assert not d["x"].equal and d["x"].share_equal == pytest.approx(2 / 3) and d["x"].n == 3
    assert d["x"].max_abs == 0.5 and d["x"].max_rel == 0.25  # NaN == NaN, 0.5 / max |a| = 2
    assert d["n.k"].note == "shape (2,) vs (3,)" and d["s"].equal
    assert d["train_s"].note == "timing" and not d["train_s"].equal
    assert d["only_a"].note == "missing in the recomputed record"
    assert d["only_b"].note == "missing in the stored record"
    same = rp.compare_records({"x": np.arange(3.0), "wall_s": 1.0},
                              {"x": np.arange(3.0), "wall_s": 2.0})
    assert rp.verdict(same) == "bitwise equal (1 entries; timings not compared)"
    assert rp.verdict(list(d.values())) == ("4 of 5 entries differ (largest relative "
                                            "difference 0.25)")
    assert [k for k in ("seconds", "probe_seconds", "eval_s", "iters_per_s",
                        "images_per_second", "dist_s", "gd_rate", "modes")
            if rp.is_timing(k)] == ["seconds", "probe_seconds", "eval_s", "iters_per_s",
                                    "images_per_second", "dist_s"]


def _stored(tmp: Path) -> store.Record:
    return store.save("eigen", "cpu", {"n": 3, "seed": 0},
                      {"values": np.array([1.0, 2.0, 3.0]), "seconds": 1.0}, 0, 1.0)


def test_reproduce_recomputes_in_a_scratch_store_and_stores_the_comparison(
        isolated, monkeypatch):
    rec = _stored(isolated)
    path = str(rec.path.relative_to(store.results_root()))
    before = rec.path.read_bytes()
    seen = {}

    def fake_run(argv, env):  # the chapter, writing a slightly other record
        seen.update(argv=argv, results=env["OVERGAN_RESULTS"])
        assert Path(env["OVERGAN_RESULTS"]) != store.results_root()
        assert not (Path(env["OVERGAN_RESULTS"]) / path).exists()  # only this one is missing
        monkeypatch.setenv("OVERGAN_RESULTS", env["OVERGAN_RESULTS"])
        store.save("eigen", "cpu", {"n": 3, "seed": 0},
                   {"values": np.array([1.0, 2.0, 3.000001]), "seconds": 9.0}, 0, 1.0)
        monkeypatch.setenv("OVERGAN_RESULTS", str(isolated / "results"))
        return 0

    monkeypatch.setattr(rp, "_execute", fake_run)
    out = rp.reproduce(path)
    assert seen["argv"][:3] == ["make", "chapter", "CH=02_eigen_analysis"]
    assert "SEED=0" in seen["argv"] and not os.path.exists(seen["results"])  # scratch removed
    assert rec.path.read_bytes() == before  # the stored record is untouched
    assert out["verdict"].startswith("1 of 1 entries differ (largest relative difference 3.3")
    assert "values: 1 of 3 elements differ" in rp.report(out)
    (cmp,) = reproductions.comparisons()
    assert cmp.config["result"] == path and cmp.config["stored_sha"] == rec.provenance["git_sha"]
    assert cmp.config["stored_file"] == rp.file_digest(rec.path)
    assert reproductions.compared_state(cmp) == "stored"
    assert f"| `{path}` |" in reproductions.table() and "| stored |" in reproductions.table()
    _stored(isolated)  # a rerun that writes the same bytes leaves it standing
    assert reproductions.compared_state(cmp) == "stored"
    store.save("eigen", "cpu", {"n": 3, "seed": 0}, {"values": np.zeros(3)}, 0, 1.0)
    assert reproductions.compared_state(cmp) == "replaced since"
    rec.path.unlink()
    assert reproductions.compared_state(cmp) == "no longer stored"
    # the comparison itself is not a result to reproduce
    with pytest.raises(ParameterError, match="give the result it compared"):
        rp.reproduce(str(cmp.path.relative_to(store.results_root())))


def test_reproduce_errors_are_one_line_and_leave_no_scratch(isolated, monkeypatch):
    with pytest.raises(ParameterError, match="no stored result 'eigen/cpu/nope.json'"):
        rp.reproduce("eigen/cpu/nope.json")
    store.save("bench_train", "cpu", {"k": 64}, {"s_per_iter": 1.0}, 0, 1.0)
    bench = next(iter((isolated / "results" / "bench_train" / "cpu").glob("*.json")))
    with pytest.raises(ParameterError, match="is a benchmark"):
        rp.reproduce(f"bench_train/cpu/{bench.name}")
    rec = _stored(isolated)
    path = str(rec.path.relative_to(store.results_root()))
    scratch = isolated / "scratch"
    monkeypatch.setattr(rp, "_execute", lambda argv, env: 1)
    with pytest.raises(ParameterError, match="exited 1"):
        rp.reproduce(path)
    monkeypatch.setattr(rp, "_execute", lambda argv, env: 0)
    with pytest.raises(ParameterError, match="other settings than the command's defaults"):
        rp.reproduce(path, keep=str(scratch))
    assert (scratch / "results").is_dir()  # --keep leaves it for a look
    assert reproductions.comparisons() == []
    assert main(["reproduce", "eigen/cpu/nope.json"]) == 2


@pytest.mark.slow
def test_a_smoke_chapter_result_reproduces_bitwise_on_the_same_machine(isolated, capsys):
    """The real path: chapter 1 at smoke stores its record, `overgan reproduce` recomputes it
    through `make chapter` in a scratch store and finds it bitwise equal."""
    env = {**os.environ, "OVERGAN_RESULTS": str(isolated / "results")}
    subprocess.run(["make", "-s", "chapter", "CH=01_problem_formulation", "PROFILE=smoke",
                    f"BUILD={isolated / '_build'}"], cwd=store.REPO_ROOT, env=env, check=True,
                   capture_output=True)
    (stored,) = (isolated / "results" / "formulation" / "smoke").glob("*.json")
    capsys.readouterr()
    assert main(["reproduce", f"formulation/smoke/{stored.name}", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"].startswith("bitwise equal"), out["verdict"]
    assert out["stored"]["device"] == out["recomputed"]["device"]
    assert out["command"].startswith("make chapter CH=01_problem_formulation PROFILE=smoke")
