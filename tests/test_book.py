"""The chapters' helpers: figure stamps, seed bands, provenance notes, and the prose's numbers."""

import subprocess
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from overgan_lib import book as ob  # noqa: E402
from overgan_lib import profiles, summaries  # noqa: E402
from overgan_lib.store import REPO_ROOT, Record, git_state  # noqa: E402
from overgan_lib.theory import experiments as ex  # noqa: E402


def test_relative_slack_is_zero_at_the_bound_and_one_at_twice_the_rate():
    bound = np.array([0.9, 0.99])
    assert np.allclose(summaries.relative_slack(bound, bound), 0)
    assert np.allclose(summaries.relative_slack(1 - 2 * (1 - bound), bound), 1)


@pytest.mark.parametrize("cond", [1.0, 3.0])
def test_rate_threshold_is_the_edge_of_the_exact_region(cond):
    eb2 = 0.05
    r_star = summaries.rate_threshold(eb2, cond)
    if cond == 1.0:
        assert r_star == pytest.approx((2 - eb2) / (4 * (1 - eb2)))
    ratios = np.array([r_star * 0.995, r_star * 1.005])
    ok = ex.exact_region(ratios, np.array([cond]), eb2)[0]
    assert not ok[0] and ok[1]


def test_rate_threshold_rejects_a_step_past_stability():
    with pytest.raises(ValueError, match="eta_beta2"):
        summaries.rate_threshold(1.5)


def test_geometric_crossing_extrapolates_a_geometric_bound():
    t = np.arange(0, 801, 5.0)
    b = 5 * 0.99**t
    expected = np.log(1e-6 / 5) / np.log(0.99)
    assert expected > t[-1]
    assert summaries.geometric_crossing(t, b, 1e-6) == pytest.approx(expected, rel=1e-9)
    assert summaries.geometric_crossing(t, b, 10.0) == 0.0
    assert summaries.geometric_crossing(t, 5 * 1.01**t, 1.0) == float("inf")


def test_rate_slowdown_and_loglog_slope_and_spread():
    assert summaries.rate_slowdown(0.98, 0.975) == pytest.approx(0.2)
    n = np.array([50.0, 100, 200, 1000])
    assert summaries.loglog_slope(n, 3 * n**-0.5) == pytest.approx(-0.5)
    assert np.allclose(summaries.spread_factor(np.array([[1.0, 2], [4, 2]])), [4, 1])
    assert summaries.first_width_below([1, 2, 4, 8], [1, 1e-13, 1, 1e-14], 1e-12) == 8
    assert summaries.first_width_below([1, 2], [1, 1], 1e-12) is None


def test_seed_errorbar_draws_the_median_and_the_seed_range():
    Y = np.array([[1e-3, 2e-3, 1e5], [1.0, 2.0, 3.0], [np.nan, 4.0, 5.0], [0.2, 0.3, 1e-30]])
    mid, lo, hi = ob.seed_band(Y)
    assert np.allclose(mid, [2e-3, 2.0, 4.5, 0.2]) and np.allclose(lo, [1e-3, 1, 4, 1e-30])
    assert np.allclose(hi, [1e5, 3, 5, 0.3])
    fig, ax = plt.subplots()
    ob.seed_errorbar(ax, np.array([1, 2, 4, 8]), Y, "x")
    assert np.allclose(ax.lines[0].get_ydata(), mid)
    segs = ax.collections[0].get_segments()
    assert [s[:, 1].min() for s in segs] == list(lo)  # 1e-30 survives: no mid - (mid - lo)
    assert np.allclose([s[:, 1].max() for s in segs], hi)
    plt.close(fig)


def test_seed_errorbar_marks_the_mean_where_asked():
    """Where verdicts compare means the figures mark them: with one seed far from the
    others the hollow diamond sits away from the median's marker."""
    Y = np.array([[10.0, 11.0, 40.0], [5.0, np.nan, 7.0], [np.nan, np.nan, np.nan]])
    fig, ax = plt.subplots()
    ob.seed_errorbar(ax, np.array([1, 2, 4]), Y, "x", log=False)
    plain = len(ax.collections)
    ob.seed_errorbar(ax, np.array([1, 2, 4]), Y, "y", log=False, mean=True)
    assert len(ax.collections) == 2 * plain + 1
    (diamonds,) = [c for c in ax.collections if c.get_gid() == "seed-mean"]
    assert np.allclose(diamonds.get_offsets(), [[1, 61 / 3], [2, 6.0]])  # no all-NaN width
    labels = [t.get_text() for t in ax.legend().get_texts()]
    assert labels == ["x", "diverged", "y", "diverged"]  # the mean adds no legend entry
    plt.close(fig)


def test_profile_stamp_does_not_overlap_axis_labels():
    fig, axes = plt.subplots(1, 2, figsize=(6, 3))
    for ax in axes:
        ax.set_xlabel("a long x label that reaches the right edge of the axes")
    ob.label_profile(fig, "cpu")
    r = fig.canvas.get_renderer()
    stamp = fig.texts[-1].get_window_extent(r)
    for ax in axes:
        assert not stamp.overlaps(ax.xaxis.label.get_window_extent(r))
        assert not stamp.overlaps(ax.get_tightbbox(r))
    plt.close(fig)


def _record(experiment: str, sha: str, dirty: bool) -> Record:
    prov = {"git_sha": sha, "git_dirty": dirty, "profile": "cpu", "seed": 0, "device": "cpu",
            "wall_time_s": 1.0, "created_utc": "2026-01-01T00:00:00Z"}
    return Record(experiment, {}, prov, {}, Path("x.json"), reused=True)


def test_provenance_note_says_clean_dirty_and_unknown():
    head, _ = git_state()
    if head == "unknown":
        pytest.skip("not a git checkout")
    clean = ob.provenance_note(_record("eigen", head, False))
    assert clean.startswith("```{admonition} Provenance: stored results; clean tree; "
                            "code unchanged since")
    assert ":class: dropdown note" in clean
    dirty = ob.provenance_note(_record("eigen", head, False), _record("fig2", head, True))
    assert "from a dirty tree: fig2" in dirty and ":class: dropdown warning" in dirty
    unknown = ob.provenance_note(_record("eigen", "unknown", False))
    assert "not checkable outside git: eigen" in unknown
    assert ob.code_changed_since("0" * 40, ("overgan_lib",)) is None


def test_docstring_and_comment_edits_are_not_code_changes(tmp_path):
    """A record stays 'unchanged since' through documentation edits, and only through them."""
    from overgan_lib.provenance import code_changed_since, same_code

    def git(*args):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=tmp_path,
                       check=True, capture_output=True)

    def commit(text: str, name: str = "lib/m.py") -> str:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text)
        git("add", "-A")
        git("commit", "-q", "-m", "x")
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=tmp_path, text=True,
                              capture_output=True, check=True).stdout.strip()

    git("init", "-q")
    src = 'def f(x):\n    """Eq. (1)."""\n    return 2 * x  # why\n'
    first = commit(src)
    commit('"""A module docstring."""\n\n\ndef f(x):\n    """Eq. (1), cited better."""\n'
           '    # a longer why\n    return 2 * x\n')
    assert code_changed_since(first, ("lib",), root=tmp_path) is False
    commit(src.replace("2 * x", "3 * x"))
    assert code_changed_since(first, ("lib",), root=tmp_path) is True
    second = commit(src)  # back to the first source, plus a new file beside it
    assert code_changed_since(first, ("lib",), root=tmp_path) is False
    commit("x = 1\n", "lib/new.py")
    assert code_changed_since(second, ("lib",), root=tmp_path) is True
    assert code_changed_since(second, ("lib/m.py",), root=tmp_path) is False
    third = commit("a: 1\n", "lib/c.yml")
    commit("a: 1  # same value, still counted: not Python\n", "lib/c.yml")
    assert code_changed_since(third, ("lib",), root=tmp_path) is True
    # a string that is not the first statement is code, and so is a body that becomes empty
    assert not same_code("def f():\n    x = 1\n    'a'\n", "def f():\n    x = 1\n    'b'\n")
    assert same_code("class C:\n    'doc'\n", "class C:\n    pass\n")
    assert not same_code("def f(:\n", "def f(:\n")  # does not parse: never the same


def test_gpu_only_code_does_not_make_a_cpu_result_stale(tmp_path, monkeypatch):
    """A change to the graphed engine (CUDA only) leaves CPU training records current and makes
    CUDA ones stale; a change elsewhere in train/ makes both stale."""
    from overgan_lib import provenance

    def git(*args):
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
                              cwd=tmp_path, check=True, capture_output=True, text=True).stdout

    def commit(name: str, text: str) -> str:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
        git("add", "-A")
        git("commit", "-q", "-m", "x")
        return git("rev-parse", "HEAD").strip()

    git("init", "-q")
    commit("overgan_lib/train/engine.py", "x = 1\n")
    first = commit("overgan_lib/train/graphed.py", "y = 1\n")
    commit("overgan_lib/train/graphed.py", "y = 2\n")
    cpu = provenance.depends_for("train", "cpu:AMD EPYC x2 threads")
    cuda = provenance.depends_for("train", "cuda:NVIDIA H200")
    assert cuda == provenance.DEPENDS["train"] and len(cpu) == len(cuda) + 1
    assert provenance.code_changed_since(first, cpu, root=tmp_path) is False
    assert provenance.code_changed_since(first, cuda, root=tmp_path) is True
    commit("overgan_lib/train/engine.py", "x = 2\n")
    assert provenance.code_changed_since(first, cpu, root=tmp_path) is True
    # experiments that do not depend on train/ get no exclusion
    assert provenance.depends_for("eigen", "cpu") == provenance.DEPENDS["eigen"]


def test_every_experiment_has_existing_dependency_paths():
    from overgan_lib.sweep import sweeps

    named = set(sweeps())  # a named sweep's table stores "train" runs and a "sweep_<name>"
    names = (set(profiles.experiments()) - named) | {"spectrum", "train"} | {
        f"sweep_{n}" for n in named}
    assert names <= set(ob.DEPENDS), (f"no DEPENDS entry for {sorted(names - set(ob.DEPENDS))}: "
                                      "add it in overgan_lib/provenance/depends.py")
    for paths in ob.DEPENDS.values():
        assert all((REPO_ROOT / p).exists() for p in paths)


def test_grid_tiles_and_diversity_tell_a_collapsed_grid_from_a_varied_one():
    import torch
    from torchvision.utils import make_grid

    rng = np.random.default_rng(0)
    varied = rng.integers(0, 256, (64, 1, 28, 28)).astype(np.uint8)
    same = np.repeat(varied[:1], 64, axis=0)
    for imgs in (varied, same):
        grid = make_grid(torch.as_tensor(imgs), nrow=8, padding=2).numpy()[0]
        tiles = summaries.grid_tiles(grid, 8, 28)
        assert np.array_equal(tiles, imgs[:, 0].astype(float))
    assert summaries.sample_diversity(same[:, 0]) == 0
    assert summaries.sample_diversity(varied[:, 0]) > 50
    noisy = same[:, 0] + rng.normal(0, 20, (64, 28, 28))  # one image plus pixel noise
    assert summaries.sample_diversity(noisy, block=4) < summaries.sample_diversity(noisy) / 3
    with pytest.raises(ValueError, match="not 8x8 tiles"):
        summaries.grid_tiles(np.zeros((243, 243)), 8, 28)


def _package_imports(path: Path, within: Path | None = None) -> set[Path]:
    """overgan_lib source files ``path`` imports, directly or through other such files (only
    files below ``within`` when given)."""
    import ast

    pkg = REPO_ROOT / "overgan_lib"
    seen, todo = set(), [path]
    while todo:
        f = todo.pop()
        if f in seen:
            continue
        seen.add(f)
        for node in ast.walk(ast.parse(f.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = f.parent
                for _ in range(node.level - 1):
                    base = base.parent
                parts = (node.module or "").split(".") if node.module else []
                mods = [parts] if node.module else [[a.name] for a in node.names]
                for m in mods:
                    target = base.joinpath(*m)
                    for cand in (target.with_suffix(".py"), target / "__init__.py"):
                        if cand.exists() and (within or pkg) in cand.parents:
                            todo.append(cand)
    return seen


def _metrics_modules(reached: set[Path]) -> set[Path]:
    """The metrics modules among ``reached``, packages' submodules included (metrics/nnd/)."""
    root = REPO_ROOT / "overgan_lib" / "metrics"
    return {f for f in reached if root in f.parents and f != root / "__init__.py"}


def _covered(f: Path, listed: tuple[str, ...]) -> bool:
    """``f`` is listed itself or through a listed folder above it."""
    rel = f.relative_to(REPO_ROOT)
    return any(rel == Path(p) or Path(p) in rel.parents for p in listed)


def test_data_metrics_depends_on_every_metrics_module_its_floors_import():
    """DEPENDS["data_metrics"] lists metrics modules one by one: a new import in the floors'
    code path must be listed too, or chapter 5 would not flag its stale records."""
    reached = _package_imports(REPO_ROOT / "overgan_lib/metrics/floors.py")
    listed = ob.DEPENDS["data_metrics"]
    metrics = _metrics_modules(reached)
    assert {"floors.py", "fid.py", "reference.py", "inception.py"} <= {f.name for f in metrics}
    for f in metrics:
        assert _covered(f, listed), f


def test_sweeps_depend_on_every_metrics_module_their_summary_imports():
    """A sweep's records come from sweep/run.py (training, evaluation and the floor of its
    summary): each metrics module it reaches must be in the sweeps' DEPENDS, or a change to
    it (e.g. to the floor) would not flag the stored sweeps."""
    from overgan_lib.sweep import sweeps

    reached = _package_imports(REPO_ROOT / "overgan_lib/sweep/run.py")
    metrics = _metrics_modules(reached)
    assert "floors.py" in {f.name for f in metrics}
    for name in sweeps():
        listed = ob.DEPENDS[f"sweep_{name}"]
        for f in metrics:
            assert _covered(f, listed), (name, f)


def test_generalization_records_depend_on_every_metrics_module_they_import():
    """The NND and neighbour records come from metrics/generalization.py and nnd_floor.py; every
    metrics module they reach (the nnd/ package's files included) must be in their DEPENDS."""
    for experiment, entry in (("generalization", "generalization.py"),
                              ("generalization_baselines", "generalization.py"),
                              ("nnd_floor", "nnd_floor.py"),
                              ("nnd_fit_views", "nnd_fit_views.py")):
        # Within the metrics package: the sweep package is imported only to find the kept
        # generators (train/ and models.py are listed for those), not for its FID floor.
        metrics = REPO_ROOT / "overgan_lib/metrics"
        reached = _metrics_modules(_package_imports(metrics / entry, within=metrics))
        assert any(f.parent.name == "nnd" for f in reached), experiment
        for f in reached:
            assert _covered(f, ob.DEPENDS[experiment]), (experiment, f)


def test_local_loglog_slopes_follow_a_bending_curve():
    x = np.array([50.0, 100, 200, 400])
    assert np.allclose(summaries.local_loglog_slopes(x, 3 * x**-0.5), -0.5)
    bent = 10 + 1000 / x  # a floor plus c/N: the exponent flattens once the floor dominates
    s = summaries.local_loglog_slopes(x, bent)
    assert np.allclose(s, np.log(bent[1:] / bent[:-1]) / np.log(2))
    assert np.all(np.diff(s) > 0) and s[0] < -0.5 < s[-1] < 0


def test_rate_slowdown_is_nan_without_warning_where_no_decay_is_predicted():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = summaries.rate_slowdown(np.array([0.98, 0.9, np.nan]), np.array([0.975, 1.0, 0.9]))
    assert out[0] == pytest.approx(0.2) and np.isnan(out[1]) and np.isnan(out[2])
    assert np.isnan(summaries.rate_slowdown(0.5, 1.0))


def test_lowest_variant_counts_only_widths_between_roundoff_and_ceiling():
    rows = np.array([[0.1, 1e-20, 1e-31], [0.2, 1e-18, 1e-32]])
    lowest, live = summaries.lowest_variant(rows)
    assert list(lowest) == [0, 0, 1] and list(live) == [True, True, False]
    _, live = summaries.lowest_variant(rows, ceiling=1e-12)
    assert list(live) == [False, True, False]


def test_theorem_a4_verdict_ignores_runs_outside_the_hypotheses():
    v = summaries.theorem_a4_verdict([[0, 1], [1, 0]], [[0, 1], [1, 1]])
    assert (v["runs"], v["hyp"], v["ok_on_hyp"], v["ok_all"], v["reproduced"]) == (4, 2, 2, 3, True)
    assert not summaries.theorem_a4_verdict([0, 1], [1, 0])["reproduced"]
    assert not summaries.theorem_a4_verdict([0, 0], [1, 1])["reproduced"]  # no run qualifies


def test_glued_text_is_plain(monkeypatch):
    """{glue:text} pastes text as is, so glue drops Markdown's code and bold marks."""
    import myst_nb

    seen = {}
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display: seen.update({name: value}))
    ob.glue("t", "the `mnist_mlp` sweep **widens**")
    ob.glue("n", 0.5, ".1%")
    assert seen == {"t": "the mnist_mlp sweep widens", "n": "50.0%"}


def _code_cells(md: str) -> list[tuple[list[str], str]]:
    """(tags, source) of every ``{code-cell}`` of a MyST chapter."""
    import re

    cells = []
    for m in re.finditer(r"```\{code-cell\}[^\n]*\n(.*?)```", md, flags=re.S):
        body = m.group(1)
        tags = re.findall(r"^:tags: \[(.*?)\]", body, flags=re.M)
        src = "\n".join(line for line in body.splitlines() if not line.startswith(":"))
        cells.append(([t.strip() for t in tags[0].split(",")] if tags else [], src))
    return cells


def test_no_chapter_rebinds_its_parameters():
    """A chapter's parameters (profile, seed, rerun, overrides, ...) keep the values papermill
    injects: a later cell that rebinds one (``rerun = <a record>``) silently changes what every
    ``ob.run`` after it does (it once made chapter 12 recompute a committed record)."""
    import ast

    checked = 0
    for md in sorted((REPO_ROOT / "book").glob("*.md")):
        cells = _code_cells(md.read_text())
        params = [src for tags, src in cells if "parameters" in tags]
        if not params:
            continue
        names = {t.id for node in ast.parse(params[0]).body if isinstance(node, ast.Assign)
                 for t in node.targets if isinstance(t, ast.Name)}
        for tags, src in cells:
            if "parameters" in tags:
                continue
            tree = ast.parse("\n".join(line for line in src.splitlines()
                                       if not line.lstrip().startswith(("%", "!"))))
            bound = {n.id for n in ast.walk(tree)
                     if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            assert not bound & names, f"{md.name} rebinds parameter(s) {sorted(bound & names)}"
        checked += 1
    assert checked >= 12


def test_glued_values_show_in_a_readers_kernel_but_not_in_the_book_build(monkeypatch, capsys):
    """Theory review, finding 7: in JupyterLab the prose's glue roles stay unfilled and the
    glued values and figures were nowhere to be seen. In a reader's kernel they are now
    printed / displayed in the cell output; in the Makefile's papermill run (the book build,
    OVERGAN_BOOK_BUILD=1) they are not, so the built book shows them once."""
    import IPython
    import IPython.display
    import matplotlib.pyplot as plt

    with monkeypatch.context() as m:  # which kernel is this?
        m.setattr(IPython, "get_ipython", lambda: object())
        m.delenv(ob.BOOK_BUILD, raising=False)
        assert ob.reading_interactively()
        m.setenv(ob.BOOK_BUILD, "1")
        assert not ob.reading_interactively()
        m.setattr(IPython, "get_ipython", lambda: None)  # plain Python: nothing shown
        m.delenv(ob.BOOK_BUILD)
        assert not ob.reading_interactively()
    shown = []
    # myst-nb's glue also displays, with metadata, what it stores: count only plain displays
    monkeypatch.setattr(IPython.display, "display",
                        lambda obj, *more, **kw: None if kw else shown.append(obj))
    monkeypatch.setattr(ob, "reading_interactively", lambda: True)
    ob.glue("rate_x", 0.25, ".2f")
    fig = plt.figure()
    ob.glue_figure("fig_x", fig)
    assert capsys.readouterr().out.splitlines()[-1] == "rate_x: 0.25" and shown == [fig]
    monkeypatch.setattr(ob, "reading_interactively", lambda: False)
    ob.glue("rate_x", 0.25, ".2f")
    ob.glue_figure("fig_x", plt.figure())
    assert "rate_x" not in capsys.readouterr().out and shown == [fig]


def test_provenance_note_counts_a_shared_run_once():
    """Two sweeps that share a run pass its record twice; the box counts it, and its wall
    time, once (chapter 9's two sweeps share three runs)."""
    rec = _record("train", "unknown", False)
    other = Record("train", {}, {**rec.provenance, "wall_time_s": 2.0}, {}, Path("y.json"),
                   reused=True)
    twice = ob.provenance_note(rec, other, rec)
    assert twice == ob.provenance_note(rec, other)
    assert "| train | 2 |" in twice and "| train | 3 |" not in twice
