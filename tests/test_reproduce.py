"""``overgan reproduce``: recompute a stored result in a scratch store and compare."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from overgan_lib import profiles, store
from overgan_lib import reproduce as rp
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
    assert rp.verdict(list(d.values())) == (
        "4 of 5 entries differ; 4 beyond rounding (relative > 1e-06), largest x "
        "(1 of 3 elements, relative 0.25)")
    assert [k for k in ("seconds", "probe_seconds", "eval_s", "iters_per_s",
                        "images_per_second", "dist_s", "gd_rate", "modes")
            if rp.is_timing(k)] == ["seconds", "probe_seconds", "eval_s", "iters_per_s",
                                    "images_per_second", "dist_s"]


def test_nan_against_a_number_inf_integers_and_bools_are_differences():
    e = rp.compare_entry("x", [np.nan, 1.0], [0.0, 1.0])
    assert not e.equal and e.max_abs == np.inf and "NaN in one record only" in e.note
    e = rp.compare_entry("x", [np.inf, 2.0], [np.inf, 2.5])
    assert e.max_rel == 0.25  # divided by the largest finite |a|
    big = 2**53
    assert not rp.compare_entry("x", [big], [big + 1]).equal  # exact, not via float
    assert rp.compare_entry("x", [3], [3]).equal
    e = rp.compare_entry("x", [True, False], [1, 0])
    assert not e.equal and e.note == "bool vs int64"
    assert rp.compare_entry("x", [[1, 2], [3]], [[1, 2], [3]]).equal  # ragged: compared as JSON
    # a list of dicts (a run's evaluations) is walked by index
    evals = {e.key: e for e in rp.compare_records(
        {"evals": [{"it": 10, "fid": 300.0}, {"it": 20, "fid": 250.0}]},
        {"evals": [{"it": 10, "fid": 300.0}, {"it": 20, "fid": 250.5}]})}
    assert list(evals) == ["evals.len", "evals.0.it", "evals.0.fid", "evals.1.it", "evals.1.fid"]
    assert not evals["evals.1.fid"].equal and evals["evals.1.fid"].max_rel == 0.002
    assert rp.verdict(list(evals.values())) == (
        "1 of 5 entries differ; 1 beyond rounding (relative > 1e-06), largest evals.1.fid "
        "(1 of 1 elements, relative 0.002)")
    assert rp.verdict(rp.compare_records({"s": "a"}, {"s": "b"})).endswith("largest s (1 of 1 "
                                                                          "elements)")
    # a numeric difference is named before a hash that says nothing about size
    both = rp.compare_records({"sha": "a", "x": [1.0, 2.0]}, {"sha": "b", "x": [1.0, 2.1]})
    assert rp.verdict(both).endswith("largest x (1 of 2 elements, relative 0.05)")
    small = rp.compare_records({"x": np.array([1.0, 2.0])}, {"x": np.array([1.0, 2.0000001])})
    assert rp.verdict(small) == "1 of 1 entries differ; 0 beyond rounding (relative > 1e-06)"


def _stored() -> store.Record:
    """Chapter 2's record as it stores it at cpu (its settings, seed 0), with made-up data."""
    cfg = {**profiles.settings("eigen", "cpu"), "seed": 0}
    return store.save("eigen", "cpu", cfg, {"values": np.array([1.0, 2.0, 3.0]),
                                            "seconds": 1.0}, 0, 1.0)


def test_reproduce_recomputes_in_a_scratch_store_and_stores_the_comparison(
        isolated, monkeypatch):
    rec = _stored()
    other = store.save("fig2", "cpu", {"x": 1}, {"y": 2}, 0, 1.0)
    path = str(rec.path.relative_to(store.results_root()))
    before = rec.path.read_bytes()
    seen = {}

    def fake_run(argv, env):  # the chapter, writing a slightly other record
        scratch = Path(env["OVERGAN_RESULTS"])
        seen.update(argv=argv, results=scratch)
        assert scratch != store.results_root()
        assert not (scratch / path).exists()  # only this one is missing
        assert (scratch / other.path.relative_to(store.results_root())).exists()
        monkeypatch.setenv("OVERGAN_RESULTS", str(scratch))
        store.save("eigen", "cpu", rec.config, {"values": np.array([1.0, 2.0, 3.000001]),
                                                "seconds": 9.0}, 0, 1.0)
        monkeypatch.setenv("OVERGAN_RESULTS", str(isolated / "results"))
        return 0

    monkeypatch.setattr(rp, "_execute", fake_run)
    out = rp.reproduce(path)
    argv = seen["argv"]
    assert argv[:3] == ["make", "chapter", "CH=02_eigen_analysis"] and "SEED=0" in argv
    assert not any("rerun" in a for a in argv)
    assert f"BUILD={seen['results'].parent / '_build'}" in argv  # not the repository's _build/
    assert f"VENV={sys.prefix}" in argv  # the chapter runs in this interpreter's environment
    assert not seen["results"].exists()  # scratch removed
    assert rec.path.read_bytes() == before  # the stored record is untouched
    assert out["verdict"] == ("1 of 1 entries differ; 0 beyond rounding (relative > 1e-06)")
    assert "values: 1 of 3 elements differ" in rp.report(out)
    (cmp,) = reproductions.comparisons()
    assert cmp.config["result"] == path and cmp.config["stored_sha"] == rec.provenance["git_sha"]
    assert cmp.config["stored_file"] == rp.file_digest(rec.path)
    assert reproductions.compared_state(cmp) == "stored"
    assert f"| `{path}` |" in reproductions.table() and "| stored |" in reproductions.table()
    assert reproductions._where({"device": "cpu:x86_64 x1 threads", "git_sha": "abcdef12"}) == (
        "cpu:x86_64 x1 threads (CPU model not recorded), commit `abcdef1`")
    store.save("eigen", "cpu", rec.config, {"values": np.zeros(3)}, 0, 1.0)  # a rerun
    assert reproductions.compared_state(cmp) == "replaced since"
    rec.path.unlink()
    assert reproductions.compared_state(cmp) == "no longer stored"
    # the comparison itself is not a result to reproduce
    with pytest.raises(ParameterError, match="give the result it compared"):
        rp.reproduce(str(cmp.path.relative_to(store.results_root())))


def test_reproduce_refuses_what_it_cannot_recompute_and_leaves_no_scratch(
        isolated, monkeypatch):
    with pytest.raises(ParameterError, match="no stored result 'eigen/cpu/nope.json'"):
        rp.reproduce("eigen/cpu/nope.json")
    bench = store.save("bench_train", "cpu", {"k": 64}, {"s_per_iter": 1.0}, 0, 1.0)
    with pytest.raises(ParameterError, match="is a benchmark"):
        rp.reproduce(str(bench.path.relative_to(store.results_root())))
    summ = store.save("sweep_mnist_mlp", "cpu", {"runs": []}, {"x": 1}, 0, 1.0)
    with pytest.raises(ParameterError, match="reproduce one of its runs instead"):
        rp.reproduce(str(summ.path.relative_to(store.results_root())))
    over = store.save("eigen", "cpu", {**profiles.settings("eigen", "cpu"), "seed": 0,
                                       "draws": 7}, {"v": 1}, 0, 1.0)
    with pytest.raises(ParameterError, match="other settings than chapter 02_eigen_analysis"):
        rp.reproduce(str(over.path.relative_to(store.results_root())))
    rec = _stored()
    path = str(rec.path.relative_to(store.results_root()))
    made = []

    def failing(argv, env):
        made.append(Path(env["OVERGAN_RESULTS"]))
        return 1
    monkeypatch.setattr(rp, "_execute", failing)
    with pytest.raises(ParameterError, match="exited 1"):
        rp.reproduce(path)
    assert made and not made[0].exists()  # the scratch is removed on failure too
    monkeypatch.setattr(rp, "_execute", lambda argv, env: 0)
    scratch = isolated / "scratch"
    with pytest.raises(ParameterError, match="other settings than the command's defaults"):
        rp.reproduce(path, keep=str(scratch))
    assert (scratch / "results").is_dir()  # --keep leaves it for a look
    with pytest.raises(ParameterError, match="new or empty folder outside the results store"):
        rp.reproduce(path, keep=str(scratch))  # not empty now
    with pytest.raises(ParameterError, match="new or empty folder outside the results store"):
        rp.reproduce(path, keep=str(store.results_root() / "x"))
    assert reproductions.comparisons() == []
    assert main(["reproduce", "eigen/cpu/nope.json"]) == 2


def test_a_run_is_retrained_by_its_sweep_with_this_interpreter(isolated, monkeypatch):
    from overgan_lib.data import cache_dir
    from overgan_lib.sweep.grid import experiment_configs

    cfg = experiment_configs("mnist_mlp", profiles.settings("mnist_mlp", "smoke"))[0]
    folder = store.results_root() / "train" / "smoke"
    folder.mkdir(parents=True)
    path = folder / f"{cfg.key}.json"
    path.write_text(json.dumps({"experiment": "train", "config": cfg.record(),
                                "data": {"a": 1},
                                "provenance": store.provenance("smoke", 0, 1.0)}))
    seen = {}
    monkeypatch.setattr(rp, "_execute", lambda argv, env: seen.update(argv=argv) or 0)
    with pytest.raises(ParameterError, match="did not store"):
        rp.reproduce(f"train/smoke/{cfg.key}.json")
    assert seen["argv"][:4] == [sys.executable, "-m", "overgan_lib.cli", "sweep"]
    assert "--rerun" not in seen["argv"]
    ckpt = cache_dir() / "checkpoints" / f"{cfg.key}.ckpt"
    ckpt.parent.mkdir(parents=True)
    ckpt.write_bytes(b"x")
    with pytest.raises(ParameterError, match="a checkpoint of this run exists"):
        rp.reproduce(f"train/smoke/{cfg.key}.json")


@pytest.mark.slow
def test_a_smoke_chapter_result_reproduces_bitwise_on_the_same_machine(isolated, capsys):
    """The real path: chapter 1 at smoke stores its record, `overgan reproduce` recomputes it
    through `make chapter` in a scratch store and finds it bitwise equal."""
    env = {**os.environ, "OVERGAN_RESULTS": str(isolated / "results")}
    subprocess.run(["make", "-s", "chapter", "CH=01_problem_formulation", "PROFILE=smoke",
                    f"BUILD={isolated / '_build'}", f"VENV={sys.prefix}"], cwd=store.REPO_ROOT,
                   env=env, check=True, capture_output=True)
    (stored,) = (isolated / "results" / "formulation" / "smoke").glob("*.json")
    capsys.readouterr()
    assert main(["reproduce", f"formulation/smoke/{stored.name}", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"].startswith("bitwise equal"), out["verdict"]
    assert out["stored"]["device"] == out["recomputed"]["device"]
    assert out["command"].startswith("make chapter CH=01_problem_formulation PROFILE=smoke")
