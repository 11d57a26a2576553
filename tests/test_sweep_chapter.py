"""The sweep chapters' section helpers (overgan_lib.sweep.chapter) that chapters 7-9 share:
the pending commands, the ``overrides`` check, FID over training, the glued rule text and
budget, and the runs with FID test below FID train. (Further helpers are tested in
tests/test_runner.py.) The chapter helpers are imported inside the tests: on the H200 image,
which lacks IPython, `pytest -m cuda tests` collects this module too."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest

from overgan_lib.errors import ParameterError
from overgan_lib.profiles import settings
from overgan_lib.store import Record
from overgan_lib.sweep import grid, spec, sweep_view, sweeps
from overgan_lib.sweep.lent_device import SWEEP_STAGES, lent_stage
from overgan_lib.sweep.view import SweepView

REPO = Path(__file__).resolve().parent.parent
CHAPTERS = {n: (REPO / "book" / f"{n}.md").read_text()
            for n in ("07_cifar10", "08_celeba", "09_one_component")}


def _gpu_session():
    """tools/gpu_session.py, imported as tests/test_gpu_session.py does."""
    sys.path.insert(0, str(REPO / "tools"))
    import gpu_session

    return gpu_session


def _view(name: str, fids: dict[tuple[int, int], tuple[float, float]], profile: str = "cpu",
          evals: int = 2) -> SweepView:
    """A stored-looking view of sweep ``name``: one completed run per (k, seed) of ``fids``
    with final (FID train, FID test) and ``evals`` evaluations, every 10 iterations."""
    s = spec(name)
    ks = sorted({k for k, _ in fids})
    seeds = sorted({seed for _, seed in fids})
    cfgs = [c for c in grid(s.dataset, s.arch, ks, seeds) if (c.k_g, c.seed) in fids]
    recs = []
    for c in cfgs:
        train, test = fids[(c.k_g, c.seed)]
        recs.append(Record("train", c.record(), {}, {
            "status": "completed", "message": "",
            "final": {"fid_train": train, "fid_test": test},
            "evals": [{"step": 10 * (i + 1), "fid_train": train + evals - 1 - i}
                      for i in range(evals)]},
            Path("x")))
    cfg = {**settings(name, profile), "widths": ks}
    return SweepView(s, profile, cfg, cfgs, recs, None)


# --------------------------------------------------------------------------- pending (item 1)
def test_pending_gpu_line_names_the_lent_device_stage_or_says_there_is_none(isolated):
    """A `gpu` line prints `prepare <stage>` for the sweeps the lent-device plan trains
    (plain `prepare` runs the benches, not a sweep), and for the others no `prepare` at all
    but a GPU machine of one's own."""
    from overgan_lib.sweep import chapter

    names = ("cifar10_dcgan", "celeba_dcgan", "cifar10_resnet")
    views = {n: {"cpu": sweep_view(n, "cpu")} for n in names}
    lines = {n: next(line for line in chapter.pending_markdown(views).splitlines()
                     if line.startswith(f"- `{n}` at `gpu`")) for n in names}
    assert "`python tools/gpu_session.py prepare dcgan`" in lines["cifar10_dcgan"]
    assert "`run dcgan`" in lines["cifar10_dcgan"]
    assert "`python tools/gpu_session.py prepare celeba`" in lines["celeba_dcgan"]
    assert "prepare" not in lines["cifar10_resnet"]
    assert "`overgan sweep cifar10_resnet --profile gpu` on one GPU of your own" in (
        lines["cifar10_resnet"])
    assert "no stage for this sweep" in lines["cifar10_resnet"]
    assert chapter.where_to_run("cifar10_dcgan", "cpu") == "this machine"


def test_lent_device_stages_are_the_plans_sweep_stages():
    """One table: every stage the library names is a stage of tools/gpu_session.py that trains
    that sweep at `gpu` and carries its dataset, and every sweep chunk of a `gpu` stage there is
    in the table."""
    g = _gpu_session()
    for stage, name in SWEEP_STAGES.items():
        assert lent_stage(name) == stage
        (cmd,) = g.STAGES[stage]
        assert cmd.argv[:5] == ("tools/gpu_session.py", "chunk", name, "--profile", "gpu")
        assert g.DATA[stage] == [spec(name).dataset]
    chunked = {s: c.argv[2] for s, cmds in g.STAGES.items() for c in cmds
               if c.argv[1:2] == ("chunk",) and c.argv[4] == "gpu"}
    assert chunked == SWEEP_STAGES
    assert lent_stage("cifar10_resnet") is None


# ------------------------------------------------------------------------- overrides (item 2)
@pytest.mark.parametrize("overrides, named, lists_names", [
    ({"widths": [8, 64]}, "'widths'", True),  # the flat form other chapters document
    ({"cifar10_dcgam": {"iters": 100}}, "'cifar10_dcgam'", True),  # a misspelt sweep
    ({"cifar10_dcgan": [8, 64]}, "overrides['cifar10_dcgan']", False),  # not settings
    ([("cifar10_dcgan", {})], "overrides=[(", False),  # not a mapping at all
])
def test_overrides_not_keyed_by_the_chapters_sweeps_is_a_one_line_error(overrides, named,
                                                                        lists_names):
    from overgan_lib.sweep import chapter

    names = ["cifar10_dcgan", "cifar10_resnet"]
    with pytest.raises(ParameterError) as err:
        chapter.check_overrides(overrides, names)
    text = str(err.value)
    assert named in text and "\n" not in text
    assert ("one of cifar10_dcgan, cifar10_resnet" in text) == lists_names
    assert chapter.check_overrides({"cifar10_resnet": {"iters": 50}}, names) == {
        "cifar10_resnet": {"iters": 50}}
    assert chapter.check_overrides({}, names) == {}


def test_sweep_chapters_load_their_views_through_the_overrides_check():
    """Chapters 7-9 build their views with chapter.load_views (which checks the keys), not
    with overrides.get(name), which silently ignores a wrongly keyed override."""
    for name, md in CHAPTERS.items():
        assert "chapter.load_views(SWEEPS, profile, seed, overrides" in md, name
        assert "overrides.get(" not in md, name


def test_load_views_rejects_a_flat_override_before_loading(isolated):
    from overgan_lib.sweep import chapter

    with pytest.raises(ParameterError, match="'iters' is not a sweep of this chapter"):
        chapter.load_views(["celeba_dcgan", "celeba_resnet"], "cpu", 0, {"iters": 50}, None,
                           False)


# --------------------------------------------------------------------- FID over training (3, 8)
def test_glued_figures_hold_no_curves_and_chapters_draw_them_through_curve_figures(
        isolated, monkeypatch):
    """FID over training is drawn by one path in chapters 7-9 (chapter.curve_figures, which
    puts a note where runs evaluate fewer than MIN_CURVE_EVALS times), never glued as a
    figure that draws a line through two points per run."""
    import matplotlib

    from overgan_lib.sweep import chapter

    matplotlib.use("Agg")
    import overgan_lib.book as ob

    glued = []
    monkeypatch.setattr(ob, "glue_figure", lambda name, fig: glued.append(name))
    views = {"cifar10_resnet": {"cpu": sweep_view("cifar10_resnet", "cpu")}}
    chapter.glue_figures(views, "cpu", 0)
    assert glued == ["cifar10_resnet-fid", "cifar10_resnet-samples"]
    for name, md in CHAPTERS.items():
        assert "chapter.curve_figures(views, profile)" in md, name
        assert not re.search(r"glue:figure\} \S+-curves", md), name


def test_curve_note_with_no_stored_run_does_not_say_it_is_drawn_at_its_own_profile(isolated):
    """At `gpu` with no run stored the note says so and what the profile plans, and lists only
    the other profiles where FID over training is drawn (it once said "not drawn at `gpu`
    ... it is drawn at `gpu`")."""
    from overgan_lib.sweep import chapter, figures

    views = [sweep_view(n, "gpu") for n in ("cifar10_resnet_d", "cifar10_resnet_g")]
    note = chapter.curve_note("gpu", views)
    planned = figures.planned_evals(settings("cifar10_resnet_d", "gpu"))
    paper = figures.planned_evals(settings("cifar10_resnet_d", "paper"))
    assert planned >= figures.MIN_CURVE_EVALS
    assert note == (f"FID over training is not drawn at `gpu`: no run is stored yet (its "
                    f"settings evaluate each run {planned} times, enough for a curve); the "
                    f"settings of `paper` ({paper} per run) evaluate often enough to draw it.")
    cpu = chapter.curve_note("cpu", [sweep_view("cifar10_resnet_d", "cpu")])
    assert "`cpu` (" not in cpu and "fewer than the" in cpu and f"`gpu` ({planned}" in cpu


def test_curve_note_names_its_sweep_where_another_sweep_is_drawn(monkeypatch):
    """Chapter 7 at `cpu`: cifar10_dcgan's runs evaluate often enough, cifar10_resnet's do
    not; the figure is drawn for the one and the note names the other (a note saying only
    "not drawn at `cpu`" would contradict the figure above it)."""
    import matplotlib

    from overgan_lib.sweep import chapter, figures

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    need = figures.MIN_CURVE_EVALS
    fids = {(16, 0): (300.0, 301.0), (32, 0): (280.0, 281.0)}
    views = {"cifar10_dcgan": {"cpu": _view("cifar10_dcgan", fids, evals=need)},
             "cifar10_resnet": {"cpu": _view("cifar10_resnet", fids, evals=need - 1)}}
    out = []
    monkeypatch.setattr(chapter.figure_glue, "display", out.append)
    chapter.curve_figures(views, "cpu")
    assert len(out) == 3 and isinstance(out[0], plt.Figure)
    assert out[1].data.startswith("*FID over training, `cifar10_dcgan`*")
    assert out[2].data.startswith("FID over training of `cifar10_resnet` is not drawn at `cpu`: "
                                  f"its runs have {need - 1} FID evaluations each")
    plt.close("all")


def test_curve_caption_gives_each_profiles_iterations_n_and_seeds():
    """A drawn Fig. 5 panel is captioned with what its profile trained and scored: the
    iterations, N and the seeds per width (a range where widths finished differently)."""
    from overgan_lib.sweep import chapter

    fids = {(16, 0): (300.0, 301.0), (16, 1): (310.0, 311.0), (32, 0): (280.0, 281.0)}
    v = _view("cifar10_dcgan", fids, evals=4)
    cap = chapter.curve_caption("cifar10_dcgan", {"cpu": v})
    cfg = settings("cifar10_dcgan", "cpu")
    assert cap.startswith("*FID over training, `cifar10_dcgan`*")
    assert (f"`cpu`: {cfg['iters']:,} generator iterations, N = {cfg['eval_n']:,}, "
            f"1–2 seeds per width.") in cap
    one = _view("cifar10_dcgan", {(16, 0): (300.0, 301.0), (32, 0): (280.0, 281.0)}, evals=4)
    assert cap != chapter.curve_caption("cifar10_dcgan", {"cpu": one})
    assert "1 seed per width." in chapter.curve_caption("cifar10_dcgan", {"cpu": one})


# ----------------------------------------------------------------- rules and budget (5, 6, 7)
def test_gpu_share_is_taken_over_the_chapters_own_sweeps(monkeypatch):
    """Chapter 7's `gpu` share covers cifar10_dcgan and cifar10_resnet only, not MNIST's
    (which once widened it to 0.5%)."""
    import overgan_lib.book as ob
    from overgan_lib.sweep import chapter

    def share(n):
        return settings(n, "gpu")["iters"] / settings(n, "paper")["iters"]

    own = ["cifar10_dcgan", "cifar10_resnet"]
    lo, hi = sorted(share(n) for n in own)
    assert chapter.gpu_budget(own)["gpu_share"] == f"{lo:.1%}–{hi:.1%}"
    everything = chapter.gpu_budget()["gpu_share"]
    assert everything.startswith(f"{min(share(n) for n in sweeps()):.1%}")
    glued = {}
    monkeypatch.setattr(ob, "glue", lambda name, value, fmt=None: glued.update({name: value}))
    chapter.glue_rules({n: {} for n in own})
    assert glued["gpu_share"] == f"{lo:.1%}–{hi:.1%}"
    assert glued["rule_settled"] == chapter.settled_rule_text()
    one = chapter.gpu_budget(["cifar10_resnet_d", "cifar10_resnet_g"])
    assert one["gpu_share"] == f"{share('cifar10_resnet_d'):.1%}"  # no 'a–a' range


def test_still_learning_rule_is_one_sentence_quoted_by_every_sweep_chapter():
    """The still-learning check is described once (both one-sided bounds of the late
    change within ± the margin), and chapters 7-9 quote it; chapter 8 no longer says FID
    "neither fell nor rose beyond the margin", which is not what the rule asks."""
    from overgan_lib.sweep import chapter
    from overgan_lib.sweep.summary import ALPHA, settled

    text = chapter.settled_rule_text()
    assert f"at or before {settled.LATE_FROM:.0%}" in text
    assert f"both one-sided {1 - ALPHA:.0%} confidence bounds" in text
    assert "plus or minus the practical margin" in text
    for name, md in CHAPTERS.items():
        assert "{glue:text}`rule_settled`" in md, name
        assert "chapter.glue_rules(views)" in md, name
    assert "neither fell nor rose" not in CHAPTERS["08_celeba"]


def test_one_component_rules_say_the_drop_rule_is_gated_and_marked_reduced_scale():
    """Fig. 7's "slightly worse" rule (``fixed``) is a converged-model rule: chapter 9's
    rules paragraph says it waits for the still-learning check and carries the "Reduced
    scale" prefix below `paper`."""
    from overgan_lib.sweep.claims import CONVERGED_RULES

    assert "fixed" in CONVERGED_RULES
    md = CHAPTERS["09_one_component"]
    para = md[md.index("The rules are the CIFAR-10 chapter's"):md.index("## Time and cost")]
    assert "{glue:text}`rule_settled`" in para and '"Reduced scale"' in para


# ------------------------------------------------------------------- negative gaps (item 4, 9)
def test_negative_gaps_are_counted_per_sweep_and_reference_sets(isolated):
    """Per sweep, finished runs with FID test below FID train, grouped by the reference sets
    (dataset, N) they are scored against; a sweep with nothing stored says so."""
    from overgan_lib.sweep import chapter

    dcgan = _view("cifar10_dcgan", {(8, 0): (300.0, 290.0), (8, 1): (300.0, 310.0),
                                    (16, 0): (250.0, 240.0)})
    resnet = _view("cifar10_resnet", {(16, 0): (280.0, 281.0), (32, 0): (270.0, np.nan)})
    views = {"cifar10_dcgan": {"cpu": dcgan}, "cifar10_resnet": {"cpu": resnet}}
    n = settings("cifar10_dcgan", "cpu")["eval_n"]
    assert chapter.negative_gaps_text(views, "cpu") == (
        f"cifar10_dcgan 2 of 3 runs, cifar10_resnet 0 of 1 runs (cifar10, N = {n:,})")
    also = chapter.negative_gaps_text(views, "cpu", also=("celeba_dcgan",))
    m = settings("celeba_dcgan", "cpu")["eval_n"]
    assert also.endswith(f"; celeba_dcgan no finished run stored (celeba, N = {m:,})")


def test_chapter_seven_prose_follows_the_data_not_a_guess():
    """Chapter 7 glues the negative-gap counts instead of calling the reference sets the
    likely cause, and does not tie the short budget to 'a few dozen iterations' (gpu runs
    are thousands)."""
    md = CHAPTERS["07_cifar10"]
    assert "{glue:text}`negative_gaps`" in md and "chapter.glue_negative_gaps(" in md
    assert "most likely reflects" not in md
    assert "few dozen iterations" not in md


def test_running_stat_memory_counts_the_engines_train_mode_passes():
    """The setup's eval-mode sentence: the engine moves G's batch-norm running statistics once
    per critic step and once in the generator step (n_critic + 1 per iteration), and at
    momentum 0.1 the last 22 passes hold 90% of their weight."""
    import torch
    from torch import nn

    from overgan_lib.sweep.chapter.training_setup import running_stat_memory
    from overgan_lib.train import BatchStream, Engine, TrainConfig

    cfg = TrainConfig(arch="dcgan", dataset="cifar10", k_g=8, k_d=8, n_critic=3, batch_size=8)
    eng = Engine(cfg)
    bn = next(m for m in eng.G.modules() if isinstance(m, nn.BatchNorm2d))
    images = torch.randint(0, 256, (32, 3, 32, 32), dtype=torch.uint8)
    before = int(bn.num_batches_tracked)
    eng.iteration(BatchStream(images, cfg.batch_size, 0))
    per_iter, passes, iters = running_stat_memory(cfg.n_critic, bn.momentum)
    assert int(bn.num_batches_tracked) - before == per_iter == 4
    assert running_stat_memory(5, 0.1) == (6, 22, 22 / 6)
    assert 0.9 ** 22 <= 0.1 < 0.9 ** 21  # 22 passes are the fewest holding 90%
    with pytest.raises(ParameterError, match="momentum"):
        running_stat_memory(5, 1.5)


def test_kid_table_gives_the_iterations_and_n_it_was_computed_after_and_on(monkeypatch):
    """KID values of a few hundred images after a hundred iterations are no match for a
    published KID: each row says after how many iterations and on how many images."""
    from overgan_lib.sweep import chapter

    v = _view("cifar10_dcgan", {(16, 0): (300.0, 301.0), (16, 1): (310.0, 311.0)})
    for r, kid in zip(v.recs, (0.30, 0.40), strict=True):
        r.data["final"].update(kid_train=kid, kid_test=kid + 0.01)
    out = []
    monkeypatch.setattr(chapter.result_tables, "display", out.append)
    chapter.kid_table({"cifar10_dcgan": {"cpu": v}})
    lines = out[0].data.splitlines()
    cfg = settings("cifar10_dcgan", "cpu")
    assert lines[0] == ("| sweep | profile | iterations | N | k | KID train ×10³ | "
                        "KID test ×10³ | seeds |")
    assert lines[2] == (f"| `cifar10_dcgan` | cpu | {cfg['iters']:,} | {cfg['eval_n']:,} | 16 | "
                        f"350.0 ± 70.7 | 360.0 ± 70.7 | 2 |")


def test_eval_n_text_is_the_profiles_n_over_the_chapters_sweeps():
    from overgan_lib.sweep import chapter

    n = {name: settings(name, "cpu")["eval_n"] for name in ("cifar10_dcgan", "mnist_mlp")}
    assert chapter.eval_n_text({"cifar10_dcgan": {}}, "cpu") == f"{n['cifar10_dcgan']:,}"
    lo, hi = sorted(n.values())
    assert lo != hi
    assert chapter.eval_n_text({k: {} for k in n}, "cpu") == f"{lo:,} to {hi:,}"


def test_cost_note_says_where_the_fixed_width_is_not_the_papers(isolated):
    """Chapter 9's `paper` hours price the cpu runs' networks: at `cpu` the one-component
    sweeps hold the other network at a narrower width than `paper` does, and the note says so
    (a critic 16 times smaller is far cheaper); where the widths agree there is no note."""
    from overgan_lib.sweep import chapter

    cpu, paper = (settings("cifar10_resnet_g", p)["fixed"] for p in ("cpu", "paper"))
    assert cpu < paper
    note = chapter.fixed_width_note(sweep_view("cifar10_resnet_g", "cpu"))
    assert note.startswith(f"`cifar10_resnet_g` [cpu]: its runs hold $k_d$ at {cpu}, the "
                           f"`paper` profile at {paper}")
    assert "so they understate the paper's cost" in note
    assert chapter.fixed_width_note(sweep_view("cifar10_resnet_g", "paper")) == ""
    assert chapter.fixed_width_note(sweep_view("cifar10_dcgan", "cpu")) == ""
