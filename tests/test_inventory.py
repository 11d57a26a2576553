"""The results store's inventory (``overgan results``): states, costs, recompute commands."""

from __future__ import annotations

import json

import pytest

from overgan_lib import inventory, provenance, store
from overgan_lib.cli import build_parser, main
from overgan_lib.errors import ParameterError
from overgan_lib.profiles import settings
from overgan_lib.sweep import sweeps
from overgan_lib.sweep.grid import experiment_configs


def _save(experiment: str, config: dict, wall: float, sha: str | None = None,
          dirty: bool = False, profile: str = "gpu") -> None:
    rec = store.save(experiment, profile, config, {"x": 1.0}, seed=0, wall_time_s=wall)
    doc = json.loads(rec.path.read_text())
    if sha is not None:
        doc["provenance"]["git_sha"] = sha
    doc["provenance"]["git_dirty"] = dirty
    rec.path.write_text(json.dumps(doc))


def test_states_counts_and_cost_of_the_stale_results(monkeypatch):
    """Each record gets the state its provenance box would give it; the summary counts them
    and adds up the stored wall time of the stale ones only, with their commands."""
    _save("eigen", {"a": 1}, 100.0, sha="a" * 40)  # stale (below)
    _save("eigen", {"a": 2}, 20.0, sha="a" * 40, profile="cpu")  # stale, another profile
    _save("fig2", {"a": 1}, 7000.0, sha="b" * 40, dirty=True)  # current, from a dirty tree
    _save("cone", {"a": 1}, 5.0, sha="unknown")  # no git: unknown
    monkeypatch.setattr(provenance.changes, "code_changed_since",
                        lambda sha, paths, root=None: None if sha == "unknown" else sha[0] == "a")
    rows = inventory.stored_results()
    assert {r.path: r.state for r in rows} == {
        **{f"eigen/{p}/{store.config_key(c)}.json": "stale"
           for p, c in (("gpu", {"a": 1}), ("cpu", {"a": 2}))},
        f"fig2/gpu/{store.config_key({'a': 1})}.json": "current",
        f"cone/gpu/{store.config_key({'a': 1})}.json": "unknown"}
    assert [r.clean for r in rows if r.experiment == "fig2"] == [False]
    text = inventory.summary(rows)
    assert text.splitlines()[0] == ("4 results: 1 current, 2 stale (code changed since, or "
                                    "scored generators retrained), 1 unknown (no git or "
                                    "commit); 1 from a dirty tree")
    assert "repeats 2 min of stored wall time" in text  # 100 + 20 s; fig2's 7000 s is current
    assert 'eigen (gpu, 1, 2 min): make chapter CH=02_eigen_analysis PROFILE=gpu' in text
    assert "eigen (cpu, 1, under 1 min): make chapter CH=02_eigen_analysis PROFILE=cpu" in text
    _save("eigen", {"a": 3}, 1.0, sha="a" * 40, profile="smoke")  # scratch: listed on request
    assert len(inventory.stored_results()) == 4
    assert [r.profile for r in inventory.stored_results(profile="smoke")] == ["smoke"]
    only = inventory.stored_results(["eigen"], "cpu")
    assert [r.path for r in only] == [f"eigen/cpu/{store.config_key({'a': 2})}.json"]


def test_a_bad_experiment_or_profile_is_a_one_line_error(capsys):
    _save("eigen", {"a": 1}, 1.0)
    with pytest.raises(ParameterError, match=r"no stored results of 'eigne'.*: eigen$"):
        inventory.stored_results(["eigne"])
    assert main(["results", "--profile", "gpux"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "profile='gpux'" in err


def test_every_chapter_experiment_has_its_chapter():
    """Every experiment that is neither a sweep, a run, a bench, a stored comparison nor the
    sampling-mode measurement (its own command) is stored by exactly one chapter's
    ``ob.run``: the recompute command can name it."""
    for exp in provenance.DEPENDS:
        if exp in ("train", "reproduce", "sampling_mode") or exp.startswith(("sweep_",
                                                                             "bench_")):
            continue
        chapter = inventory.chapter_of(exp)
        assert chapter is not None, exp
        assert f'ob.run("{exp}"' in (store.REPO_ROOT / "book" / f"{chapter}.md").read_text()
    assert inventory.chapter_of("no_such_experiment") is None


def _result(experiment: str, config: dict, profile: str = "cpu",
            path: str = "x.json") -> inventory.StoredResult:
    return inventory.StoredResult(path, experiment, profile, 0, config, "a" * 40, True, True,
                                  "cpu", 1.0)


def test_sampling_mode_is_recomputed_by_its_own_command():
    from overgan_lib.cli import build_parser

    r = inventory.StoredResult("sampling_mode/cpu/x.json", "sampling_mode", "cpu", 0,
                               {"sweep": "cifar10_dcgan", "runs": [], "seed": 0}, "a" * 40,
                               True, True, "cpu", 1.0)
    cmd = inventory.recompute_command(r)
    assert cmd == "overgan sampling-mode cifar10_dcgan --profile cpu --seed 0 --rerun"
    args = build_parser().parse_args(cmd.split()[1:])
    assert (args.sweep, args.profile, args.seed, args.rerun) == ("cifar10_dcgan", "cpu", 0, True)


def test_bench_commands_parse_and_repeat_the_stored_options():
    """Each bench's command parses, and the parsed options are the stored config's."""
    cases = {  # record config -> the parsed options it must give
        "bench_nnd": ({"batch_size": 64, "size": 32, "steps": 3, "device": "cpu"},
                      {"batch_size": 64, "iters": 3, "device": "cpu"}),
        "bench_train": ({"arch": "mlp", "k": 256, "dataset": "mnist", "batch": 64, "iters": 20,
                         "rounds": 3, "device": "cpu", "threads": 1, "load": True},
                        {"arch": "mlp", "k": 256, "dataset": "mnist", "iters": 20, "rounds": 3,
                         "device": "cpu", "load": True}),
        "bench_heatmap": ({"grid": 10, "inits": 4, "T": 3000, "seed": 2, "box": 1.0},
                          {"grid": 10, "inits": 4, "T": 3000, "seed": 2, "profile": "gpu"}),
        "bench_theory": ({"profile": "gpu", "runs": 40, "threads": 1, "seed": 3, "load": True},
                         {"seed": 3, "load": True, "profile": "gpu"}),
    }
    for exp, (cfg, want) in cases.items():
        words = inventory.recompute_command(_result(exp, cfg, "gpu")).split()
        assert words[:3] == ["overgan", "bench", exp.removeprefix("bench_")]
        args = vars(build_parser().parse_args(words[1:]))
        assert {k: args[k] for k in want} == want, exp
    off = inventory.recompute_command(_result("bench_train", {**cases["bench_train"][0],
                                                              "load": False}))
    assert "--load" not in off.split()


def test_sweep_and_run_commands_name_the_sweep():
    assert inventory.recompute_command(_result("sweep_celeba_dcgan", {})) == (
        "overgan sweep celeba_dcgan --profile cpu --rerun")
    for name in sweeps():
        cfg = experiment_configs(name, settings(name, "smoke"))[-1]
        command = inventory.recompute_command(
            _result("train", {}, "smoke", f"train/smoke/{cfg.key}.json"))
        held = [n for n in sweeps() if any(
            c.key == cfg.key for c in experiment_configs(n, settings(n, "smoke")))]
        assert command == f"overgan sweep {held[0]} --profile smoke --rerun"
    lost = inventory.recompute_command(_result("train", {}, "smoke", "train/smoke/0.json"))
    assert lost == "the `overgan sweep` that trained it, with --rerun"
    # a stored comparison is redone by comparing again
    assert inventory.recompute_command(_result("reproduce", {"result": "eigen/cpu/a.json"})) == (
        "overgan reproduce eigen/cpu/a.json")


def test_cli_lists_json_and_only_the_stale(capsys, monkeypatch):
    _save("eigen", {"a": 1}, 3.0, sha="a" * 40)
    _save("fig2", {"a": 1}, 4.0, sha="b" * 40)
    monkeypatch.setattr(provenance.changes, "code_changed_since",
                        lambda sha, paths, root=None: sha[0] == "a")
    assert main(["results", "--stale"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("eigen/gpu/") and " stale " in out[0]
    assert not any(line.startswith("fig2/") for line in out)
    assert out[1] == ("2 results: 1 current, 1 stale (code changed since, or scored "
                      "generators retrained), 0 unknown (no git or commit)")
    assert main(["results", "--json", "--experiment", "fig2"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["experiment"] == "fig2" and row["state"] == "current" and row["wall_s"] == 4.0


def _stamp(rec: store.Record, created: str) -> store.Record:
    """``rec`` rewritten as if computed at ``created`` (UTC, the provenance's format)."""
    doc = json.loads(rec.path.read_text())
    doc["provenance"]["created_utc"] = created
    rec.path.write_text(json.dumps(doc))
    return store._read(rec.path)


def test_scores_of_generators_retrained_since_are_stale(monkeypatch):
    """A generalization score and its crossed critics are keyed by sweep and seeds, not by
    the weights they read: once a scored run is retrained (its training record newer than
    the score), both are stale everywhere a reader looks (provenance box, `overgan results`);
    the baselines' crossed critics, which score no generator, are not."""
    monkeypatch.setattr(provenance.changes, "code_changed_since",
                        lambda sha, paths, root=None: False)
    runs = [store.save("train", "cpu", {"k": k}, {"x": 1.0}, seed=0, wall_time_s=1.0)
            for k in (8, 16)]
    for r in runs:
        _stamp(r, "2026-01-01T00:00:00Z")
    cfg = {"sweep": "s", "seeds": 2, "seed": 0}
    scores = _stamp(store.save("generalization", "cpu", cfg,
                               {"runs": [r.path.stem for r in runs]}, seed=0, wall_time_s=1.0),
                    "2026-01-02T00:00:00Z")
    crossed = _stamp(store.save("nnd_crossover", "cpu", {"source": "s", "seeds": 2, "seed": 0},
                                {"x": 1.0}, seed=0, wall_time_s=1.0), "2026-01-03T00:00:00Z")
    base = _stamp(store.save("nnd_crossover", "cpu", {"source": "baselines", "seeds": 2,
                                                      "seed": 0}, {"x": 1.0}, seed=0,
                             wall_time_s=1.0), "2026-01-03T00:00:00Z")
    assert provenance.scored_runs(crossed) == [r.path.stem for r in runs]
    assert provenance.scored_runs(base) == []
    assert not any(provenance.retrained_since(r) for r in (scores, crossed, base))
    assert {r.state for r in inventory.stored_results()} == {"current"}
    assert "retrained" not in provenance.provenance_note(scores, crossed)

    _stamp(runs[1], "2026-01-04T00:00:00Z")  # `overgan sweep s --rerun`, after the scores
    assert [provenance.retrained_since(r) for r in (scores, crossed, base)] == [True, True, False]
    states = {r.experiment + r.config.get("source", ""): r.state
              for r in inventory.stored_results()}
    assert states == {"train": "current", "generalization": "stale", "nnd_crossovers": "stale",
                      "nnd_crossoverbaselines": "current"}
    note = provenance.provenance_note(scores, crossed, base)
    assert "scored generators retrained since (rerun this chapter with rerun=True): " \
           "generalization, nnd_crossover" in note and "dropdown warning" in note
    assert "1 current" not in inventory.summary(inventory.stored_results())
