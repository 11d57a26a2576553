"""Chapter "Generalization"'s readings (overgan_lib.sweep.generalization_chapter) on
constructed records."""

from __future__ import annotations

import numpy as np

from overgan_lib.sweep import generalization_chapter as GC
from overgan_lib.sweep.crossover import CrossedPair
from overgan_lib.sweep.summary import Verdict

FLOOR = {"critic_seeds": [0, 1, 2],
         "memorise": {"nnd": np.array([0.5, 0.4, 0.6]), "nnd_raw": np.array([0.2, 0.1, 0.3])},
         "fresh": {"nnd": np.array([-0.1, 0.0, 0.1]), "nnd_raw": np.array([0.2, 0.2, 0.2])}}
BASE = {"baselines": ["memorise", "memorise_500", "blur", "noise", "fresh"],
        **{n: {"nnd": v, "real_gap": 0.1, "real_gap_se": 0.1}
           for n, v in (("memorise", 0.4), ("memorise_500", 1.3), ("blur", 2.9),
                        ("noise", 0.6), ("fresh", -0.4))}}
VIEWS = {"n_fit": [5000, 500, 50], "views": [2.6, 26.0, 256.0], "real_gap": [0.1, 0.9, 5.0],
         "real_gap_se": [0.09, 0.09, 0.5], "n_score": 5000}


def test_labels_name_the_fresh_sampler_for_what_it_is():
    assert GC.label("fresh") == "training images, no repeats"
    assert GC.label("memorise_500") == "memoriser of 500 images"
    assert GC.label("other") == "other"
    assert [GC.learnt_cell(g, s) for g, s in ((1.0, 0.1), (0.1, 0.1), (1.0, 0.0))] == \
           ["yes", "no", "—"]


def test_floor_text_in_both_cases():
    text = GC.floor_text(FLOOR, 14848, 50000, "memorise_500")
    assert "one critic run draws 14,848 of the 50,000" in text
    assert "paired one-sided p = " in text and "+0.60, +0.40, +0.50 (EMA)" in text
    assert text.endswith("the memoriser of 500 images above is the one whose repeats the "
                         "critic could learn.")
    none = GC.floor_text(None, 5_222_400, 50000)
    assert "draws 5,222,400 samples, so unrepeated images run out after 50,000 draws" in none
    assert "the memoriser claim below is not testable" in none


def test_memoriser_scope_says_gpu_and_paper_are_not_testable_on_one_critic_seed():
    rows = GC.memoriser_scope().splitlines()[2:]
    by = {r.split("|")[1].strip(" `"): r for r in rows}
    assert set(by) == {"smoke", "cpu", "gpu", "paper"}
    assert "contradicted (each only where the critic detects the memoriser)" in by["cpu"]
    for p in ("gpu", "paper"):
        assert "run out after 50,000 draws" in by[p] and "not testable (one critic seed)" in by[p]
    assert "draws per training image" not in GC.memoriser_scope()  # one definition: the text's


def test_gpu_memoriser_text_branches_on_whether_unrepeated_images_last():
    """The chapter's paragraph on what `gpu` can decide, moved from the notebook."""
    from overgan_lib.profiles import settings

    critic, floor = settings("generalization_baselines", "gpu"), settings("nnd_floor", "gpu")
    text = GC.gpu_memoriser_text(critic, floor, 3, stored=False)
    views = critic["steps"] * critic["batch_size"] / critic["n_train"]
    assert f"each training image about {views:.0f} times in training" in text
    assert f"run out after {floor['n_train']:,} draws" in text
    assert "the memoriser claim is not testable there" in text
    assert "With 3 seeds per width" in text and text.endswith("No `gpu` baselines are stored yet.")
    small = {**floor, "steps": 10, "curve_at": [10], "eval_batches": 1}
    text = GC.gpu_memoriser_text(critic, small, 3, stored=True)
    assert "over 3 critic seeds against them and the memoriser claim can go either way" in text
    assert "stored yet" not in text


def test_models_vs_baselines_uses_every_baseline_as_the_rule_does():
    """Models above both memorisers but below the blurred images: the notebook's old
    sentence (memorisers only) called them far from the data; the rule does not."""
    base = {n: BASE[n]["nnd"] for n in BASE["baselines"]}
    scores = {"s": (np.array([8, 8, 64, 64]), np.array([2.0, 2.2, 1.5, 1.6]))}
    text = GC.models_vs_baselines("cpu", scores, 0.4, "one critic seed", base)
    assert "overlap at this budget" in text and "1.50 to 2.20" in text
    assert "1.30 for the memoriser of 500 images (one critic seed)" in text
    far = {"s": (np.array([8, 8, 64, 64]), np.array([20.0, 22.0, 15.0, 16.0]))}
    text = GC.models_vs_baselines("cpu", far, 0.4, "one critic seed", base)
    assert "above every baseline (the highest, blurred training images, 2.90)" in text
    assert "`s` 21.00 at k=8 and 15.50 at k=64 (2 seed(s) per width)" in text


def test_fit_views_prediction_states_what_gpu_will_see():
    gpu = {"n_real": 10000, "steps": 20000, "batch_size": 256, "n_train": 50000,
           "curve_at": [20000], "eval_batches": 1}
    text = GC.fit_views_prediction(VIEWS, gpu, 2.6)
    assert "each of its 5,000 fit images about 1,024 times" in text
    assert "predicts that the `gpu` critic learns its fit images" in text
    assert "saw each fit image 26 times already had (gap +0.900 ± 0.090)" in text
    assert "twin critic on the other half" in text
    quiet = {**VIEWS, "real_gap": [0.0, 0.0, 0.0]}
    assert "predicts nothing for `gpu`" in GC.fit_views_prediction(quiet, gpu, 2.6)


def test_verdict_summary_table():
    fits = {"a": [Verdict("c1", "confirmed", ""), Verdict("c2", "not testable at this profile",
                                                           "")],
            "b": [Verdict("c1", "contradicted", ""), Verdict("c2", "confirmed", "")]}
    text = GC.verdict_summary(fits, (False, "why"))
    assert "| c1 | **confirmed** | contradicted |" in text
    assert "| c2 | not testable | **confirmed** |" in text
    assert text.splitlines()[-1] == ("NND critic (the instrument): learning of its own real "
                                     "images detected by the group test at this budget.")
    quiet = GC.verdict_summary(fits, (True, "why")).splitlines()[-1]
    assert quiet == ("NND critic (the instrument): no learning of its own real images "
                     "detected by the group test at this budget.")
    assert GC.verdict_summary({}, None).startswith("No sweep's generators are scored")
    assert "NND critic" not in GC.verdict_summary(fits, None)


def test_diagnostics_reading_is_one_reading_of_first_and_crossed_gaps():
    """The chapter's two sections used to disagree on the page (0 of 5 first gaps beyond the
    rule, 3 of 5 learning estimates): one reading now, decided by the group tests."""
    results = [{"real_gap": g, "real_gap_se": 0.1} for g in (0.05, 0.1, -0.02)]
    hidden = [CrossedPair(str(i), 0.05, 0.1, 0.3, 0.1, 1, 1) for i in range(3)]
    text = GC.diagnostics_reading(results, hidden)
    assert "0 of 3 of the baselines' critics cross the per-critic rule" in text
    assert "3 of 3 learning estimates" in text
    assert "pulls the first gaps down, hiding learning" in text
    offset = [CrossedPair(str(i), 0.3, 0.1, -0.3, 0.1, 1, 1) for i in range(3)]
    loud = [{"real_gap": 0.3, "real_gap_se": 0.1}] * 3
    assert "is the split's offset (mean +0.300), not learning" in GC.diagnostics_reading(loud,
                                                                                         offset)
    flat = [CrossedPair("x", 0.0, 0.1, 0.0, 0.1, 1, 1)]
    assert "no learning is detected" in GC.diagnostics_reading(results, flat)
    assert "not crossed over" in GC.diagnostics_reading(results, [])


def test_baseline_points_put_every_baseline_in_one_strip():
    multi, one = GC.baseline_points(BASE, FLOOR)
    assert set(multi) == {"memoriser", "no repeats"}
    assert set(one) == {"mem. of 500 images", "blurred training images", "noisy training images"}
    multi, one = GC.baseline_points(BASE, None)
    assert not multi and one["memoriser"] == 0.4 and one["training images, no repeats"] == -0.4


def test_sweep_row_cells():
    d = np.array([[0.0, 5.0, 6.0], [4.0, 4.1, 4.2]])
    nb = {"pixel_distances": d, "pixel_ratio": 0.5, "inception_ratio": 0.9,
          "pixel_indices": np.array([[1, 2, 3], [1, 4, 5]])}
    row = GC.sweep_row("s", "k=8 seed=0", 12.345, nb, np.linspace(0.7, 1.0, 64))
    assert row == "| `s` | k=8 seed=0 | 12.35 | 0.500 | 0.488 | 1 of 2 | 50% | 0.900 |"


def test_tables_have_one_row_per_entry_and_apply_the_rule():
    from types import SimpleNamespace

    gaps = {"baselines": ["memorise", "fresh"],
            **{n: {"real_gap": g, "real_gap_se": 0.1, "real_gap_raw": 0.0, "real_gap_raw_se": 0.1}
               for n, g in (("memorise", 1.0), ("fresh", 0.0))}}
    rows = GC.baseline_gaps_table(gaps).splitlines()
    assert len(rows) == 2 + 2 and "| memoriser (all training images) |" in rows[2]
    assert rows[2].split("|")[4].strip() == "yes" and rows[3].split("|")[4].strip() == "no"
    views = {**VIEWS, "real_gap_raw": [0.0] * 3, "real_gap_raw_se": [0.1] * 3,
             "nnd": [0.1] * 3, "nnd_raw": [0.2] * 3, "seconds": [5.0] * 3}
    rows = GC.fit_views_table(views).splitlines()
    assert len(rows) == 2 + 3 and rows[2].startswith("| 5,000 |")
    pairs = {"baselines": [CrossedPair("blur", 0.5, 0.1, 0.3, 0.1, 2.9, 2.8)],
             "dcgan": [CrossedPair("k8_s0", 0.1, 0.1, 0.1, 0.1, 3.0, 3.1)]}
    rows = GC.crossover_table(pairs).splitlines()
    assert rows[2].startswith("| baselines | blurred training images |")
    assert rows[3].startswith("| `dcgan` | k8_s0 |")
    fid = {"n": 100, "baselines": ["memorise"], "floor": {"fid": 10.0, "kid": 0.001},
           "memorise": {"fid_train": 9.0, "fid_test": 11.0, "kid_train": 0.0, "kid_test": 0.002}}
    table, words = GC.fid_comparison(fid, SimpleNamespace(complete=False), "cpu")
    assert len(table.splitlines()) == 4 and "not stored at the same N" in words
