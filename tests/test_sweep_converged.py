"""The converged-model rules (Fig. 4's plateau and gap) judge effect sizes against a stated
practical margin, not the seed spread alone; they do not judge runs still learning; and below
the paper profile a judged verdict says in its own text that it is reduced scale."""

from pathlib import Path

import numpy as np
import pytest

from overgan_lib import sweep
from overgan_lib.store import Record
from overgan_lib.sweep.summary import INCONCLUSIVE, PRACTICAL_MARGIN, still_learning

K = np.array([8, 16, 32, 64, 128])
PAPER_LIKE = np.array([60.0, 45.0, 35.0, 30.0, 29.0])  # FID falls, then a small gain past 64
Z = np.array([-2.0, -1.0, 0.0, 1.0, 2.0]) / np.std([-2, -1, 0, 1, 2], ddof=1)  # sample sd 1


def _seeds(means: np.ndarray, sd: float) -> np.ndarray:
    """Five seeds per width with exactly ``means`` and sample standard deviation ``sd``."""
    return means[:, None] + sd * Z[None, :]


def _spread(F: np.ndarray, i: int, j: int) -> float:
    return float(np.hypot(np.std(F[i], ddof=1), np.std(F[j], ddof=1)))


def test_a_precise_paper_like_plateau_is_confirmed_not_contradicted_by_seed_noise():
    precise = _seeds(PAPER_LIKE, 0.3)
    # the former rule: a wider width better by more than the combined seed sd (0.42) called
    # the plateau "contradicted"; here the gain is 1.0, a thirtieth of the FID at k=64
    assert PAPER_LIKE[3] - PAPER_LIKE[4] > _spread(precise, 3, 4)
    v = sweep.saturates_beyond(K, precise, 64)
    assert v.outcome == "confirmed", v
    assert f"practical margin {PRACTICAL_MARGIN * 30:.1f} FID" in v.evidence
    assert sweep.saturates_beyond(K, _seeds(PAPER_LIKE, 1.5), 64).outcome == "confirmed"
    # still falling by 6 points (twice the margin) past k=64: contradicted
    falling = PAPER_LIKE.copy()
    falling[4] = 24.0
    assert sweep.saturates_beyond(K, _seeds(falling, 0.3), 64).outcome == "contradicted"
    # so noisy that nothing can be told: inconclusive, with the difference it could detect
    # and (second review) the seeds that would show a truly flat FID flat
    noisy = sweep.saturates_beyond(K, _seeds(PAPER_LIKE, 8.0), 64)
    assert noisy.outcome == INCONCLUSIVE and "4 times in 5" in noisy.evidence
    from overgan_lib.sweep.summary.converged import flatness_seeds

    n = flatness_seeds(_seeds(PAPER_LIKE, 8.0)[4], _seeds(PAPER_LIKE, 8.0)[3], 3.0)
    assert n == 122  # ceil((8^2 + 8^2) x ((1.645 + 1.282) / 3)^2) = ceil(121.8)
    assert f"about {n:.0f} seeds per width" in noisy.evidence


def test_the_plateau_margin_is_tied_to_the_saturation_width_not_the_narrowest():
    """Review 2, findings 1 and 6: the former margin, a tenth of the fall from the narrowest
    width, grew with a collapsed narrowest width and excused a 27% gain beyond k=64; and the
    former rule demanded k=32 worse than k=64 by the margin (a knee exactly at 64)."""
    collapsed_narrowest = sweep.saturates_beyond(K, _seeds(np.array([150, 60, 45, 30, 22.]),
                                                           1.0), 64)
    assert collapsed_narrowest.outcome == "contradicted"  # formerly confirmed (margin 12.0)
    assert "practical margin 3.0 FID (10% of the FID at k=64)" in collapsed_narrowest.evidence
    plateau_from_32 = _seeds(np.array([60, 45, 31, 30, 29.5]), 0.5)
    assert sweep.saturates_beyond(K, plateau_from_32, 64).outcome == "confirmed"  # formerly
    # not reproduced: the rule reads no gain beyond 64, the narrower widths are not tested


def test_a_small_growth_of_the_gap_is_not_a_growing_gap():
    train = _seeds(PAPER_LIKE, 0.3)
    rise = np.linspace(0.0, 0.4, 5)[:, None]  # 0.4 FID over k = 8 -> 128
    test = train + 2.0 + rise + 0.06 * Z[None, ::-1]
    gap_sd = np.std(test - train, axis=1, ddof=1).max()
    assert 0.4 > 2 * gap_sd  # the former rule's "contradicted" (rise above twice the sd)
    v = sweep.gap_does_not_grow(K, train, test)
    assert v.outcome == "confirmed", v
    # a gap growing by 10 points, over three times the margin of 2.9: contradicted
    grown = train + 2.0 + np.linspace(0.0, 10.0, 5)[:, None] + 0.06 * Z[None, ::-1]
    assert sweep.gap_does_not_grow(K, train, grown).outcome == "contradicted"
    # a noisier sweep confirms less easily: a rise of 2.5 within a seed sd of 5 passed the
    # former rule (rise <= sd); its confidence bound now reaches past the margin, and the
    # data cannot tell
    noisy = train + 20.0 + np.linspace(0.0, 2.5, 5)[:, None] + 5.0 * Z[None, ::-1]
    assert 2.5 <= np.std(noisy - train, axis=1, ddof=1).max()
    assert sweep.gap_does_not_grow(K, train, noisy).outcome == INCONCLUSIVE


@pytest.mark.parametrize("gaps", [[6, 2, 2, 2, 6], [2, 2, 2, 2, 8]])
def test_a_gap_that_grows_beyond_the_saturation_width_is_caught(gaps):
    """Review 2, finding 2: a straight line over the whole range averaged away a gap growing
    by 4 (or 6) points from k=64 to 128, above the margin of 3.0 (formerly confirmed, or not
    reproduced)."""
    train = _seeds(PAPER_LIKE, 0.3)
    test = train + np.array(gaps, float)[:, None] + 0.1 * Z[None, ::-1]
    v = sweep.gap_does_not_grow(K, train, test, saturation=64)
    assert v.outcome == "contradicted", v
    assert f"largest rise from k=64 to a wider width {gaps[-1] - 2:.2f}" in v.evidence


def test_an_uptick_the_seeds_cannot_resolve_is_inconclusive_not_a_failure():
    """Review 2, finding 3: a marginal rise (0.75 FID, seed sd 1) is neither shown nor
    refuted: inconclusive with the detectable difference, not "not reproduced"."""
    k = np.array([16, 64, 256, 1024, 2048])
    v = sweep.uptick_between(k, _seeds(np.array([60, 40, 30, 20, 20.75]), 1.0), 1024, 2048)
    assert v.outcome == INCONCLUSIVE and "the paper gives it no size" in v.evidence


def _curves(late_fall: float) -> dict:
    steps = np.array([1000, 2000, 3000])
    return {k: (steps, np.array([[100.0, 60.0, 60.0 - late_fall + s] for s in (-0.5, 0, 0.5)]))
            for k in (8, 64)}


def test_still_learning_reads_the_late_window_of_the_stored_curves():
    assert still_learning(_curves(0.0)) == ""
    assert still_learning(_curves(2.0)) == ""  # bounds inside a tenth of the FID (~5.8)
    why = still_learning(_curves(15.0))
    assert "k=8 changed -15.0 from iteration 2,000 to 3,000" in why
    assert "No FID curve" in still_learning({})
    assert "k=64 changed +15.0 from iteration 2,000" in still_learning(_curves(-15.0))  # not flat
    # only the widths a rule reads are asked
    rising = {**_curves(0.0), 8: _curves(-15.0)[8]}
    assert still_learning(rising, widths=[64]) == "" and still_learning(rising) != ""


def test_still_learning_pools_the_late_evaluations_and_bounds_the_change():
    """Review 2, finding 5: the former gate compared a seed-averaged change between two
    evaluations with one run's spread. A gpu-like run (3 evaluations) still falling 1.6 late
    with seed sd 3 passed it; a flat curve at paper scale whose late-window opening
    evaluation happened to sit 1.2 low was blocked."""
    steps = np.array([1000, 2000, 3000])
    falling = np.array([[100.0, 31.6 + e, 30.0 + e2] for e, e2 in zip(3 * Z[:3], 3 * Z[2::-1],
                                                                        strict=True)])
    assert "k=64 changed" in still_learning({64: (steps, falling)}, widths=[64], margin=3.0)
    steps = np.arange(10_000, 300_001, 10_000)
    flat = 30.0 + 8.0 * np.exp(-steps / 20_000.0)[None, :] + np.zeros((5, 1))
    flat[:, list(steps).index(200_000)] -= 1.2  # the late window opens on a low evaluation
    flat[:, -1] += 0.5 * Z
    assert still_learning({64: (steps, flat)}, widths=[64], margin=3.0) == ""


def _view(profile: str, late_fall: float, only: int | None = None, floor: float | None = 5.0):
    """A stored-looking cifar10_dcgan sweep, close to the data (its summary's floor 5.0; none
    stored with ``floor=None``), with a plateau beyond 64, a constant gap and three
    evaluations per run (``late_fall`` at width ``only``, 0.5 elsewhere, when given)."""
    from overgan_lib.sweep.view import SweepView

    cfgs = sweep.grid("cifar10", "dcgan", K.tolist(), [0, 1, 2])
    recs = []
    for c in cfgs:
        end = PAPER_LIKE[list(K).index(c.k_g)] + 0.3 * (c.seed - 1)
        late = late_fall if only in (None, c.k_g) else 0.5
        fids = (end + 40.0, end + late, end)
        recs.append(Record("train", c.record(), {}, {
            "status": "completed", "message": "",
            "final": {"fid_train": end, "fid_test": end + 2.0},
            "evals": [{"step": s, "fid_train": f}
                      for s, f in zip((1000, 2000, 3000), fids, strict=True)]}, Path("x")))
    cfg = {"widths": K.tolist(), "iters": 3000, "eval_n": 10_000, "seeds": 3}
    summary = None if floor is None else Record(
        "sweep_cifar10_dcgan", {}, {}, {"floor": {"fid": floor, "n_train": 10_000}}, Path("s"))
    return SweepView(sweep.spec("cifar10_dcgan"), profile, cfg, cfgs, recs, summary)


def test_sweep_verdicts_gate_converged_rules_on_flat_curves_and_say_reduced_scale():
    flat = sweep.sweep_verdicts(_view("gpu", 0.5))
    assert flat["saturation"].outcome == "confirmed"
    assert flat["saturation"].evidence.startswith(
        "Reduced scale: the gpu profile trains 1% of the paper profile's 300,000 iterations "
        "with FID on N = 10,000")
    learning = sweep.sweep_verdicts(_view("gpu", 20.0))
    for rule in ("saturation", "gap"):
        assert learning[rule].outcome == "not testable at this profile"
        assert "Not shown to have stopped learning" in learning[rule].evidence
    # review 4, finding 5: FID falling with k is a claim about converged models too
    assert learning["trend"].outcome == ("early-training trend in its direction (not shown "
                                         "converged)")
    assert learning["trend"].evidence.endswith("so the trend is read as an early-training "
                                               "trend.")
    assert "Not shown to have stopped learning" in learning["trend"].evidence
    assert flat["trend"].outcome == "confirmed"
    # a late rise of 5 at k=8 blocks the rules that read k=8 (the gap's line), not the plateau
    narrow = sweep.sweep_verdicts(_view("paper", -5.0, only=8))
    assert narrow["saturation"].outcome == "confirmed"
    assert narrow["gap"].outcome == "not testable at this profile"
    assert "k=8 changed +5.0" in narrow["gap"].evidence
    paper = sweep.sweep_verdicts(_view("paper", 0.5))
    assert paper["saturation"].outcome == "confirmed"
    assert "Reduced scale" not in paper["saturation"].evidence


def test_a_collapsed_width_far_above_the_rest_need_not_be_flat_for_the_trend():
    """Second review, finding 4: k=8 collapsed and bouncing between 150 and 185, every other
    width flat: no late change of k=8 can reorder it against k=16 (about 105 points lower),
    so the trend is judged, not read as early evidence."""
    view = _view("gpu", 0.5)
    for c, r in zip(view.configs, view.recs, strict=True):
        if c.k_g == 8:
            fids = (170.0 + c.seed, 185.0 - 3 * c.seed, 150.0 + 5 * c.seed)
            r.data["evals"] = [{**e, "fid_train": f} for e, f in zip(r.data["evals"], fids,
                                                                      strict=True)]
            r.data["final"] = {"fid_train": fids[-1], "fid_test": fids[-1] + 2.0}
    trend = sweep.sweep_verdicts(view)["trend"]
    assert trend.outcome == "confirmed", trend


def test_without_a_floor_nothing_shows_the_models_close_to_the_data(monkeypatch):
    """Review 4, finding 1: a sweep with no summary (a chapter's ``overrides`` picking stored
    runs) had a NaN floor, which the rules read as "close to the data". The floor is now read
    from any stored summary of the same dataset and N, and where none exists the converged
    rules are not judged and the trend is early evidence, labelled so."""
    from overgan_lib import store
    from overgan_lib.sweep.view import stored_floor

    unknown = sweep.sweep_verdicts(_view("gpu", 0.5, floor=None))
    assert unknown["saturation"].outcome == "not testable at this profile"
    assert "No FID floor at this N is stored" in unknown["saturation"].evidence
    assert unknown["trend"].outcome == ("early-training trend in its direction (closeness to the "
                                        "data not known)")
    assert np.isnan(stored_floor("cifar10", 10_000, "gpu")[0])
    store.save("sweep_cifar10_resnet", "cpu", {"runs": ["a"]},
               {"floor": {"fid": 9.0, "n_train": 10_000, "n_test": 10_000}}, 0, 1.0)
    assert np.isnan(stored_floor("cifar10", 10_000, "gpu")[0])  # another profile: not borrowed
    store.save("sweep_cifar10_resnet", "gpu", {"runs": ["a"]},
               {"floor": {"fid": 7.5, "n_train": 10_000, "n_test": 10_000}}, 0, 1.0)
    value, source = stored_floor("cifar10", 10_000, "gpu")  # same data, N and profile
    assert value == 7.5 and source.startswith("sweep_cifar10_resnet/gpu/")
    assert np.isnan(stored_floor("cifar10", 5_000, "gpu")[0]) and np.isnan(
        stored_floor("celeba", 10_000, "gpu")[0])
    borrowed = _view("gpu", 0.5, floor=None)
    assert borrowed.floor == 7.5 and borrowed.floor_source == source
    found = sweep.sweep_verdicts(borrowed)
    assert found["saturation"].outcome == "confirmed"
    assert _view("gpu", 0.5).floor_source == ""
    # a borrowed floor that makes the models far: the verdicts that quote it say whose it is
    from overgan_lib.sweep import view as view_module

    monkeypatch.setattr(view_module, "stored_floor", lambda *a: (-100.0, "sweep_x/gpu/k.json"))
    far = sweep.sweep_verdicts(_view("gpu", 0.5, floor=None))
    assert far["saturation"].outcome == "not testable at this profile"
    assert "read from sweep_x/gpu/k.json, another sweep's summary" in far["saturation"].evidence
    assert "read from" in far["trend"].evidence


def test_a_plateau_is_flat_both_ways_and_a_slight_drop_has_a_ceiling():
    """Review 4, finding 4: "no wider width is better by the margin" confirmed a plateau when
    FID doubled past it, and Fig. 7's "slightly worse" was confirmed for a tripling."""
    doubled = sweep.saturates_beyond(K, _seeds(np.array([60, 45, 35, 30, 60.]), 1.0), 64)
    assert doubled.outcome == "not reproduced at this budget", doubled
    assert "FID rises beyond k=64 by more than the margin" in doubled.evidence
    # slightly worse (within the margin of 3.0) is still flat
    assert sweep.saturates_beyond(K, _seeds(np.array([60, 45, 35, 30, 31.]), 0.3),
                                  64).outcome == "confirmed"
    k = np.array([32, 64, 128, 256])
    tripled = sweep.worse_beyond_fixed(k, _seeds(np.array([40, 35, 30, 90.]), 1.0)[:, :5],
                                       128, name="k_d")
    assert tripled.outcome == "not reproduced at this budget", tripled
    assert "not a slight one" in tripled.evidence
    slight = sweep.worse_beyond_fixed(k, _seeds(np.array([40, 35, 30, 31.5]), 0.3), 128,
                                      name="k_d")
    assert slight.outcome == "confirmed", slight
    # second review: a drop of twice the margin, significant but not shown beyond the margin,
    # is no confirmed "slight" drop; it cannot be told
    twice = np.array([[40, 40, 40], [35, 35, 35], [29, 30, 31], [33, 36, 39]])
    v = sweep.worse_beyond_fixed(k, twice, 128, name="k_d")
    assert v.outcome == INCONCLUSIVE and "whether it is slight cannot be told" in v.evidence
    # and Fig. 3's "marginally" gets the same ceiling: 30 -> 60 is no marginal rise
    kk = np.array([256, 1024, 2048])
    up = sweep.uptick_between(kk, _seeds(np.array([40, 30, 60.]), 1.0), 1024, 2048)
    assert up.outcome == "not reproduced at this budget" and "not a slight one" in up.evidence
    assert sweep.uptick_between(kk, _seeds(np.array([40, 30, 31.5]), 0.3), 1024,
                                2048).outcome == "confirmed"


def test_the_gap_rule_says_when_the_gap_rises_within_the_margin():
    """Review 4, finding 3: a gap that triples (1 -> 3) at FID 30 stays within the margin of
    3.0, so it is confirmed as "grows by less than the margin", and the evidence says the
    rise is there."""
    train = _seeds(np.full(5, 30.0), 0.3)
    test = train + np.linspace(1.0, 3.0, 5)[:, None] + 0.1 * Z[None, ::-1]
    v = sweep.gap_does_not_grow(K, train, test)
    assert v.outcome == "confirmed"
    assert "The gap does rise (the line's lower bound" in v.evidence
    flat = train + 2.0 + 0.1 * Z[None, ::-1]
    assert "does rise" not in sweep.gap_does_not_grow(K, train, flat).evidence


def test_run_reading_says_collapse_separates_widths_only_when_fid_ranks_them_so():
    """Review 2, finding 7: the reading asserted that FID separates collapsed from varied
    widths even where a collapsed width had the lower mean FID."""
    from overgan_lib.sweep import chapter

    view = _view("cpu", 0.5)  # mean FID falls with k: 60, 45, 35, 30, 29
    ranked = chapter.run_reading(view, [8, 16], [32, 64, 128])
    # review c56: how much of the fall lies between the groups is measured, and "mostly"
    # needs more than MOSTLY_SHARE of it: here 45 -> 35 of 60 -> 29
    assert "10.0 of them (32%) lie between the groups" in ranked
    assert "So the fall of FID with k is only in part the step from widths whose grids" in ranked
    mixed = chapter.run_reading(view, [16], [8, 32])  # k=16 (collapsed) beats k=8 (varied)
    assert "separates" not in mixed
    assert "does not rank every such width below every other one" in mixed


@pytest.mark.needs_data("cifar10")
def test_image_reading_names_collapsed_grids_and_rising_curves():
    """The closing reading counts, per width, the seeds whose sample grid is collapsed
    (one repeated image) against varied ones, and says which widths' FID rose."""
    from overgan_lib.images import save_grid
    from overgan_lib.sweep import chapter
    from overgan_lib.sweep.view import SweepView
    from overgan_lib.train import grid_path

    cfgs = sweep.grid("cifar10", "dcgan", [8, 16, 32], [0, 1, 2])
    rng = np.random.default_rng(0)
    recs = []
    for c in cfgs:
        fids = (300.0, 250.0 - c.k_g + c.seed) if c.k_g < 32 else (300.0, 320.0 + c.seed)
        recs.append(Record("train", c.record(), {}, {
            "status": "completed", "message": "", "final": {"fid_train": fids[-1]},
            "evals": [{"step": s, "fid_train": f} for s, f in zip((30, 60), fids, strict=True)]},
            Path("x")))
        grid_path(c, "cpu").parent.mkdir(parents=True, exist_ok=True)
        images = (np.full((64, 3, 32, 32), 120, np.uint8) if c.k_g == 8 else
                  np.broadcast_to(rng.integers(0, 256, (64, 3, 1, 1), dtype=np.uint8),
                                  (64, 3, 32, 32)).copy())  # a flat colour per sample
        save_grid(images, grid_path(c, "cpu"))
    cfg = {"widths": [8, 16, 32], "iters": 60, "eval_n": 200, "seeds": 3}
    view = SweepView(sweep.spec("cifar10_dcgan"), "cpu", cfg, cfgs, recs, None)
    div = chapter.grid_diversity(view)
    assert max(div[8]) < chapter.COLLAPSE_CUT < min(div[16] + div[32])
    text = chapter.image_reading(view)
    assert "k = 8: 3 of 3 seeds" in text and "k = 16: 0 of 3 seeds" in text
    assert "sample grids of k = 8 are below the diversity cut and those of k = 16, 32 are not" \
        in text
    assert "rose by 21.0 at k = 32" in text and "fell by 57.0 at k = 8" in text
    # k=32 (varied) ends worse than k=8 (collapsed): no split of the fall between the groups
    assert "does not rank every such width below every other one" in text


def test_settings_table_shows_the_planned_profiles_and_training_settings(monkeypatch):
    from overgan_lib.profiles import settings
    from overgan_lib.sweep import chapter

    shown = []
    monkeypatch.setattr(chapter.training_setup, "display", lambda m: shown.append(m.data))
    view = sweep.sweep_view("cifar10_dcgan", "cpu")  # nothing stored in the test's results
    chapter.settings_table({"cifar10_dcgan": {"cpu": view}})
    text = shown[0]
    paper = settings("cifar10_dcgan", "paper")
    assert f"| `cifar10_dcgan` | paper | {', '.join(map(str, paper['widths']))} |" in text
    assert "planned (not run yet): `overgan sweep cifar10_dcgan --profile gpu`" in text
    assert "| cpu |" in text and "pending: 0 of" in text  # the shown profile keeps its status
    assert "5 critic steps per generator step, batch 64" in text


def test_celeba_budget_counts_passes_over_the_subset(monkeypatch):
    from overgan_lib import book
    from overgan_lib.data import CARDS
    from overgan_lib.profiles import settings
    from overgan_lib.sweep import chapter

    got = {}
    monkeypatch.setattr(book, "glue", lambda name, value, fmt=None:
                        got.__setitem__(name, format(value, fmt) if fmt else value))
    chapter.glue_celeba_budget()
    seen = settings("celeba_dcgan", "paper")["iters"] * 5 * 64
    assert got["celeba_epochs"] == f"{seen / CARDS['celeba'].counts['train']:,.0f}"
    assert got["celeba_official_epochs"] == f"{seen / 162_770:,.0f}"
    assert "54 px" in got["celeba_preprocessing"]


def test_line_slope_is_least_squares_with_one_level_or_one_per_group():
    """The line behind the gap rule (one level) and the still-learning gate (one level per
    run): its slope equals numpy's least squares with those intercepts, and its bounds are
    slope ± t·SE on n − levels − 1 degrees of freedom."""
    from scipy import stats

    from overgan_lib.sweep.significance import line_slope

    rng = np.random.default_rng(3)
    x = np.tile(np.arange(5.0), 3)
    groups = np.repeat(np.arange(3), 5)
    y = 0.7 * x + groups * 10 + rng.normal(0, 0.3, x.size)
    for g, design in ((None, np.c_[x, np.ones_like(x)]), (groups, np.c_[x, np.eye(3)[groups]])):
        coef, res, *_ = np.linalg.lstsq(design, y, rcond=None)
        dof = len(y) - design.shape[1]
        se = np.sqrt(res[0] / dof * np.linalg.inv(design.T @ design)[0, 0])
        slope, low, high = line_slope(x, y, g)
        assert np.isclose(slope, coef[0])
        assert np.isclose(high - slope, stats.t.ppf(0.95, dof) * se)
        assert np.isclose(slope - low, high - slope)
    assert line_slope(np.arange(2.0), np.arange(2.0))[1:] == (-np.inf, np.inf)


def test_failed_runs_are_a_one_line_error_not_a_silent_pending_sweep():
    """Researcher review, finding 7: a sweep whose worker processes could not start (a
    script without a main guard) stored nothing, printed "missing" per run and exited 0; the
    chapters' sweep_view returned an incomplete view without a word."""
    from overgan_lib.sweep.view import RunsFailed, check_runs_ran

    rows = [{"key": "a", "status": "completed", "message": ""},
            {"key": "b", "status": "diverged", "message": "diverged at step 3"},
            {"key": "c", "status": "failed", "message": "BrokenProcessPool: A process in the "
                                                         "process pool was terminated"}]
    summary = Record("sweep_cifar10_dcgan", {}, {}, {"rows": rows}, Path("s"))
    with pytest.raises(RunsFailed, match=r"cifar10_dcgan: 1 of 3 runs failed, no record stored "
                                         r"for them; first: BrokenProcessPool.*__main__"):
        check_runs_ran("cifar10_dcgan", summary)
    check_runs_ran("cifar10_dcgan", Record("s", {}, {}, {"rows": rows[:2]}, Path("s")))
    check_runs_ran("cifar10_dcgan", None)  # nothing ran


def test_test_below_train_fails_the_gap_claim_only_where_the_runs_show_it():
    """"FID test stays above FID train": one width whose seeds straddle 0 (3 of 5 below) is not
    shown below train, so the data cannot tell; a width whose runs all sit below train (a
    one-sided t-test at level ALPHA) is a failed replication."""
    train = _seeds(PAPER_LIKE, 0.3)
    test = train + 2.0 + 0.06 * Z[None, ::-1]
    assert sweep.gap_does_not_grow(K, train, test).outcome == "confirmed"
    straddles = test.copy()
    straddles[2] = train[2] + np.array([-0.3, -0.2, -0.1, 0.4, 0.5])  # mean 0.06, 3 of 5 below
    v = sweep.gap_does_not_grow(K, train, straddles)
    assert v.outcome == INCONCLUSIVE, v
    assert "not shown below it at any width" in v.evidence
    below = test.copy()
    below[2] = train[2] - 1.0 + 0.06 * Z  # every run of k = 32 one FID point below train
    v = sweep.gap_does_not_grow(K, train, below)
    assert v.outcome == "not reproduced at this budget", v
    assert "shown below train at k=32" in v.evidence


def test_a_trend_whose_two_tests_split_is_inconclusive_not_failed():
    """"FID falls as k grows" asks both Welch (narrowest vs widest) and Spearman (all runs) to
    find the fall: both is confirmed, one of them is inconclusive (the data lean for it), none
    is not reproduced at this budget."""
    k = np.array([8, 16, 64])
    both = np.array([[60.0, 61.0, 62.0], [50.0, 51.0, 52.0], [40.0, 41.0, 42.0]])
    assert sweep.improves_with_width(k, both).outcome == "confirmed"
    # the widest width clearly below the narrowest, the middle one worst of all: Welch finds
    # the fall, the rank correlation over the nine runs does not
    split = np.array([[60.0, 60.5, 61.0], [70.0, 90.0, 95.0], [50.0, 50.5, 51.0]])
    v = sweep.improves_with_width(k, split)
    assert v.outcome == INCONCLUSIVE, v
    flat = np.array([[60.0, 50.0, 55.0], [52.0, 61.0, 57.0], [58.0, 53.0, 56.0]])
    assert sweep.improves_with_width(k, flat).outcome == "not reproduced at this budget"


def test_the_power_is_worded_from_one_constant():
    """The evidence's "4 times in 5" and the chapters' glued rule_power come from
    significance.POWER, which detectable_difference uses."""
    from overgan_lib.sweep import significance

    assert significance.power_text() == "4 times in 5"
    assert significance.power_text(0.9) == "9 times in 10"
    a, b = np.array([1.0, 2.0, 3.0]), np.array([2.0, 3.0, 5.0])
    assert significance.detectable_difference(a, b) == significance.detectable_difference(
        a, b, power=significance.POWER) < significance.detectable_difference(a, b, power=0.9)
