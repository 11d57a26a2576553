"""Chapter 12's robustness readings: the reverse graft's learning rates (claim 1b) and the same
sweep stored from two machines (verdicts the machines disagree on read as inconclusive)."""

from __future__ import annotations

import numpy as np
import pytest

from overgan_lib import store
from overgan_lib.errors import ParameterError
from overgan_lib.related import jelassi_verdicts as jv

CFG = {"k_show": 32, "tol_frac": 0.1}


def _rgraft_record(probe_rate_learns: bool, adam_probe_learns: bool = False) -> dict:
    """Ring only, widths 8 and 32: the sweep's reverse graft (0.03) learns nothing, SGDA at
    0.03 a smear. Probes: rgraft 0.1, which learns all modes or (if not ``probe_rate_learns``)
    nothing. Adam learns all 8 modes in the sweep, or, with ``adam_probe_learns``, only as the
    probe at 0.001 (the sweep's Adam then learns nothing)."""
    names = ["sgda", "nsgda", "adam", "graft", "rgraft"]
    adam_m, adam_q = (0, 0.01) if adam_probe_learns else (8, 0.8)  # the probe, not the sweep
    m = np.broadcast_to(np.array([1, 2, adam_m, 8, 0])[None, None, :, None], (1, 2, 5, 3)).copy()
    q = np.broadcast_to(np.array([0.02, 0.05, adam_q, 0.8, 0.01])[None, None, :, None],
                        m.shape).copy()
    pm = np.array([[[8, 8, 8] if probe_rate_learns else [0, 1, 0],
                    [8, 8, 8] if adam_probe_learns else [0, 0, 0]]])
    pq = np.array([[[0.7, 0.8, 0.75] if probe_rate_learns else [0.01, 0.02, 0.01],
                    [0.9, 0.9, 0.9] if adam_probe_learns else [0.0, 0.0, 0.0]]])
    return {"widths": np.array([8, 32]), "benchmarks": ["ring"], "n_modes": np.array([8]),
            "names": names, "labels": ["sgda η=0.03", "nsgda η=0.03", "adam η=0.003",
                                       "graft η=0.003", "rgraft η=0.03"],
            "modes": m, "hq_fraction": q, "near_modes": m, "near_fraction": q,
            "near_sigmas": 10.0, "probe_names": ["rgraft", "adam"],
            "probe_labels": ["rgraft η=0.1", "adam η=0.001"],
            "probe_modes": pm, "probe_hq": pq, "probe_near_modes": pm, "probe_near": pq}


def test_rate_check_counts_only_the_reverse_grafts_own_probes_in_claim_1b():
    data = _rgraft_record(True)
    check = jv.rate_check(data, CFG, "rgraft", "rgraft_vs_adam")
    assert check["labels"] == ["rgraft η=0.03", "rgraft η=0.1"] and check["sweep"] == 1
    assert check["rates"] == [0.03, 0.1] and check["compare"] == ["sgda η=0.03", None]
    ring = check["benchmarks"]["ring"]
    assert ring["near_modes"].tolist() == [[0, 0, 0], [8, 8, 8]]
    assert np.allclose(ring["hq"], [0.01, 0.75]) and ring["compare_near"] == [0.02, None]
    sweep, both = ring["verdicts"]["precise"]
    assert jv.short(sweep) == "reproduced at this budget"  # rgraft below the bar at 0.03
    assert both == "not reproduced"  # at 0.1 it matches Adam's modes
    text = jv.rate_check_text(check, 32, 6000)
    assert "at rgraft η=0.03 in the sweep (every width) and at rgraft η=0.1 as probes" in text
    assert "rgraft η=0.03: 0/0/0 (1% near, 1% high quality; SGDA at that rate 2% near)" in text
    assert ("changes claim 1b's verdict: ring (precise): reproduced at this budget → not "
            "reproduced; ring (recovers): reproduced at this budget → not reproduced") in text
    assert "rgraft η=0.1 on the ring (largest rate tried), so a better rate may lie" in text
    # the most modes, not the most samples near: a collapsed rate does not count as best
    inner = {**check, "labels": ["rgraft η=0.01", "rgraft η=0.03", "rgraft η=0.1"],
             "rates": [0.01, 0.03, 0.1], "sweep": 1, "compare": [None] * 3,
             "benchmarks": {"ring": {**ring, "near_modes": np.array([[0] * 3, [8] * 3, [1] * 3]),
                                     "near": np.array([0.1, 0.5, 0.9]),
                                     "hq": np.array([0.0, 0.4, 0.0]),
                                     "compare_near": [None] * 3}}}
    assert "most modes lies inside the range tried (rgraft η=0.03 on the ring)" in \
        jv.rate_check_text(inner, 32, 6000)
    assert "With its best rate that learned representing it" in text
    assert ring["learned"] == {"precise": True, "recovers": True}
    # A probe of another optimiser that would turn the verdict is not credited to the rates.
    data = _rgraft_record(False, adam_probe_learns=True)
    assert jv.short(jv.verdicts_with_probes(data, CFG)["ring"]["rgraft_vs_adam"]) != \
        jv.short(jv.verdicts_2d(data, CFG)["ring"]["rgraft_vs_adam"])
    text = jv.rate_check_text(jv.rate_check(data, CFG, "rgraft", "rgraft_vs_adam"), 32, 6000)
    assert "changes none of claim 1b's verdicts at this width" in text
    assert ("At no rate does the reverse graft learn (a majority of seeds at the bar, collapsed "
            "seeds not counting) on any benchmark in either reading within 6,000 steps") in text
    assert "best rate that learned" not in text
    # Probes without the recovery reading (older records) do not count: one rate.
    prec = {k: v for k, v in _rgraft_record(True).items()
            if k not in ("probe_near", "probe_near_modes")}
    assert jv.rate_check(prec, CFG, "rgraft", "rgraft_vs_adam")["labels"] == ["rgraft η=0.03"]
    # One rate only: the verdict is conditional on it.
    one = {k: v for k, v in data.items() if not k.startswith("probe")}
    text = jv.rate_check_text(jv.rate_check(one, CFG, "rgraft", "rgraft_vs_adam"), 32, 6000)
    assert text.startswith("the reverse graft runs only at rgraft η=0.03, and no probe")
    assert text.endswith("is conditional on it")
    assert jv.rate_check({**one, "names": one["names"][:4] + ["adam"]}, CFG, "rgraft",
                         "rgraft_vs_adam") is None
    assert "not in this profile's sweep" in jv.rate_check_text(None, 32, 6000)
    with pytest.raises(ParameterError, match="k_show=16 is not one of"):
        jv.rate_check(data, {**CFG, "k_show": 16}, "rgraft", "rgraft_vs_adam")


def _sweep_record(graft_modes: list[int], graft_q: float = 0.8) -> dict:
    """Ring only, widths 8 and 32, three seeds: Adam learns all 8 modes at both widths,
    grafting ``graft_modes`` per seed at quality ``graft_q``; SGDA and nSGDA a smear. Curves:
    two checkpoints, the first equal across calls and zero for SGDA."""
    names = ["sgda", "nsgda", "adam", "graft"]
    m = np.zeros((1, 2, 4, 3), dtype=np.int64)
    m[0, :, 2], m[0, :, 3] = 8, graft_modes
    q = np.broadcast_to(np.array([0.02, 0.03, 0.8, graft_q])[None, None, :, None],
                        m.shape).copy()
    first = np.full(q.shape, 0.1)
    first[0, :, 0] = 0.0
    return {"widths": np.array([8, 32]), "benchmarks": ["ring"], "n_modes": np.array([8]),
            "names": names, "labels": names, "modes": m, "hq_fraction": q,
            "near_modes": m.copy(), "near_fraction": q.copy(), "near_sigmas": 10.0,
            "hq_curves": np.stack([first, q], axis=-2), "curve_steps": np.array([500, 1000])}


def test_machines_that_disagree_make_a_verdict_inconclusive():
    here, there = _sweep_record([8, 8, 8]), _sweep_record([4, 3, 5])
    assert jv.short(jv.verdicts_2d(here, CFG)["ring"]["graft_vs_adam"]) == "reproduced"
    assert jv.short(jv.verdicts_2d(there, CFG)["ring"]["graft_vs_adam"]) == "not reproduced"
    v = jv.verdicts_agreed(here, CFG, there)["ring"]
    assert v["graft_vs_adam"] == ("inconclusive (the machines disagree: reproduced here, not "
                                  "reproduced on the other machine)")
    assert jv.disagreed(v["graft_vs_adam"]) and jv.short(v["graft_vs_adam"]) == "inconclusive"
    same = jv.verdicts_2d(here, CFG)["ring"]
    assert {k: v[k] for k in v if k != "graft_vs_adam"} == \
        {k: same[k] for k in same if k != "graft_vs_adam"}  # agreed verdicts keep their reason
    assert jv.verdicts_agreed(here, CFG, None) == jv.verdicts_2d(here, CFG)
    with pytest.raises(ParameterError, match=r"different sweeps \(labels differ\)"):
        jv.verdicts_agreed(here, CFG, {**there, "labels": ["a", "b", "c", "d"]})


def test_verdict_pairs_count_the_width_claim_once_and_compare_shared_probes():
    here, there = _sweep_record([8, 8, 8]), _sweep_record([4, 3, 5])
    pairs = jv.verdict_pairs(here, there, CFG)
    sweep = [p for p in pairs if p.scope == "sweep"]
    assert len(sweep) == 2 * (2 * 3 + 1)  # readings x (widths x claims + the width claim)
    assert [p.k for p in sweep if p.claim == "width"] == [None, None]
    turned = sorted((p.reading, p.k) for p in pairs if p.turned and p.claim == "graft_vs_adam")
    assert turned == [(r, k) for r in ("precise", "recovers") for k in (8, 32)]
    assert all(p.decisive for p in pairs if p.turned)
    # Probes: compared over the labels both records hold, here's extra probe left out.
    probes = {"probe_names": ["graft", "adam"], "probe_labels": ["graft p", "adam p"],
              "probe_modes": np.array([[[8, 8, 8], [8, 8, 8]]]),
              "probe_hq": np.array([[[0.8, 0.8, 0.8], [0.8, 0.8, 0.8]]])}
    probes |= {"probe_near_modes": probes["probe_modes"], "probe_near": probes["probe_hq"]}
    there_p = {**there, **{k: (v[:1] if k.endswith(("names", "labels")) else v[:, :1])
                           for k, v in probes.items()}}
    pairs = jv.verdict_pairs({**here, **probes}, there_p, CFG)
    with_p = [p for p in pairs if p.scope == "with probes"]
    assert len(with_p) == 2 * 3 and {p.k for p in with_p} == {32}
    # the shared graft probe (8 modes) represents grafting on the other machine too
    assert not any(p.turned for p in with_p if p.claim == "graft_vs_adam")


def test_rerun_spread_and_text():
    here, there = _sweep_record([8, 8, 8]), _sweep_record([4, 3, 5], graft_q=0.7)
    spread = jv.rerun_spread(here, there)
    assert spread["first_equal"] == 1.0 and spread["first_max"] == 0.0  # zeros left out
    assert spread["modes_equal"] == pytest.approx(1 - 6 / 24) and spread["first_step"] == 500
    assert spread["final_mean"] == pytest.approx(0.1 * 6 / 24)
    text = jv.rerun_text(jv.verdict_pairs(here, there, CFG), spread, "machine A", "machine B",
                         {"graft_vs_adam": "claim 1a"})
    assert "precise, sweep: 2 of the 4 decisive on either machine (7 in all)" in text
    assert "At the first checkpoint (step 500) their per-seed high-quality readings are" in text
    assert spread["seed_mean"] == 0.0 and "against 0.0 points between two seeds" in text
    assert "claim 1a on the ring at k=8 (precise): reproduced here, not reproduced there" in text
    assert "reads **inconclusive (the machines disagree)**" in text
    twin = jv.rerun_text(jv.verdict_pairs(here, here, CFG), jv.rerun_spread(here, here), "A",
                         "B")
    assert "hold the same numbers" in twin and "disagree" not in twin


def test_the_rerun_is_a_record_of_the_same_sweep_from_another_device(isolated, monkeypatch):
    cfg = {**CFG, "steps": 10, "probes": [["adam", 1e-3, 1e-3]]}
    shown = store.save("jelassi_2d", "cpu", cfg, _sweep_record([8, 8, 8]), 0, 1.0)
    assert jv.pick_rerun(shown) is None
    store.save("jelassi_2d", "cpu", {**cfg, "probes": [["adam", 1e-2, 1e-2]]},
               _sweep_record([8, 8, 8]), 0, 1.0)  # same device: a copy, not a redraw
    assert jv.pick_rerun(shown) is None
    monkeypatch.setattr(store, "worker_provenance", lambda: {"device": "cpu:x86_64 x1 threads"})
    other = store.save("jelassi_2d", "cpu", {**cfg, "probes": []}, _sweep_record([8, 8, 8]),
                       0, 1.0)
    store.save("jelassi_2d", "cpu", {**cfg, "steps": 20}, _sweep_record([8, 8, 8]), 0, 1.0)
    assert jv.same_sweep(shown.config, other.config)
    assert jv.pick_rerun(shown).path == other.path
    assert jv.describe(other).startswith("cpu:x86_64 x1 threads (CPU model not recorded) at "
                                         "commit ")
    assert "not recorded" not in jv.describe(shown) or "(" not in shown.provenance["device"]


def test_agreed_keeps_the_reason_and_ignores_the_budget_marker():
    here = {"ring": {"a": "reproduced at this budget (below the quality bar: x)",
                     "b": "not reproduced (behind by 3 modes)", "c": "inconclusive (y)"}}
    there = {"ring": {"a": "reproduced (ahead by 2 modes)", "b": "inconclusive (z)",
                      "c": "inconclusive (w)"}}
    out = jv.agreed(here, there)["ring"]
    assert out["a"] == here["ring"]["a"] and out["c"] == here["ring"]["c"]
    assert out["b"] == ("inconclusive (the machines disagree: not reproduced here, inconclusive "
                        "on the other machine; here: behind by 3 modes)")
    assert not jv.Pair("precise", 8, "ring", "a", "sweep", "reproduced at this budget",
                       "reproduced").turned


def test_spread_leaves_out_readings_zero_on_both_and_pairs_seeds_in_both_records():
    here, there = _sweep_record([8, 8, 8]), _sweep_record([8, 8, 8])
    there["hq_curves"] = there["hq_curves"].copy()
    there["hq_curves"][0, 0, 2, 0, 0] = 0.3  # one live reading differs at the first checkpoint
    here["hq_fraction"] = here["hq_fraction"].copy()
    here["hq_fraction"][..., 0] += 0.06  # seed 0 apart from seeds 1 and 2, in `here` only
    spread = jv.rerun_spread(here, there)
    live = 1 * 2 * 4 * 3 - 2 * 3  # SGDA's readings are zero on both
    assert spread["first_equal"] == pytest.approx(1 - 1 / live)
    assert spread["first_max"] == pytest.approx(0.2)
    # pairs within each record: here (0,1) and (0,2) differ by 0.06, (1,2) and all of there by 0
    assert spread["seed_mean"] == pytest.approx(2 * 0.06 / 6)


def test_probe_verdicts_are_compared_over_the_probes_both_records_hold():
    here, there = _sweep_record([8, 8, 8]), _sweep_record([8, 8, 8])
    for d, graft_probe in ((here, [8, 8, 8]), (there, [3, 3, 4])):
        d.update(probe_names=["graft"], probe_labels=["graft p"],
                 probe_modes=np.array([[graft_probe]]), probe_hq=np.array([[[0.8] * 3]]))
        d.update(probe_near_modes=d["probe_modes"], probe_near=d["probe_hq"])
    assert jv.shared_probe_count(here, there) == 1
    v = jv.probe_verdicts_agreed(here, CFG, there)["ring"]
    # with the probe, grafting is represented by the sweep's setting (8 modes) on both machines
    assert v["graft_vs_adam"] == jv.verdicts_with_probes(here, CFG)["ring"]["graft_vs_adam"]
    there["modes"] = there["modes"].copy()
    there["modes"][0, :, 3] = [3, 3, 4]  # now the other machine's grafting trails Adam
    v = jv.probe_verdicts_agreed(here, CFG, there)["ring"]
    assert jv.disagreed(v["graft_vs_adam"])
    assert jv.probe_verdicts_agreed(here, CFG, None) == jv.verdicts_with_probes(here, CFG)
