"""The status page's verdicts: pending / partial / reproduced from what the store holds."""

from __future__ import annotations

import json

import numpy as np
import pytest

from overgan_lib import status, store
from overgan_lib.status import Claim, claim_status, rules


def _chapter_name(experiment, profile):
    """The file name of the record a chapter run as published stores (the status page judges
    only those), or "x" for an experiment no profile table describes."""
    configs = rules.chapter_configs(experiment, profile)
    return "x" if configs is None else store.config_key(configs[0])


def _put(experiment, profile, data, sha="a" * 40, dirty=False, wall=2.0, name=None, config=None):
    name = _chapter_name(experiment, profile) if name is None else name
    path = store.results_root() / experiment / profile / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    prov = {"git_sha": sha, "git_dirty": dirty, "wall_time_s": wall, "device": "cpu:test",
            "profile": profile, "seed": 0}
    path.write_text(json.dumps({"experiment": experiment, "config": config or {},
                                "provenance": prov, "data": store._encode(data)}))


def _ok(recs):
    return bool(recs["e1"][0]["value"] > 0), "value > 0"


CLAIM = Claim("c", "a claim", "01_problem_formulation", ("e1", "e2"), ("cpu", "gpu"), _ok)


def test_pending_when_nothing_is_stored():
    s = claim_status(CLAIM)
    assert (s.verdict, s.profiles, s.shas) == ("pending", [], [])


def test_smoke_results_never_count():
    _put("e1", "smoke", {"value": 1.0})
    _put("e2", "smoke", {"value": 1.0})
    assert claim_status(CLAIM).verdict == "pending"


def test_partial_when_an_experiment_is_missing():
    _put("e1", "cpu", {"value": 1.0})
    s = claim_status(CLAIM)
    assert s.verdict == "partial" and "e2" in s.reason and s.profiles == ["cpu"]


def test_reproduced_needs_full_scale_clean_tree_and_passing_check():
    _put("e1", "cpu", {"value": 1.0}, wall=2.5)
    _put("e2", "cpu", {"value": 0.0}, sha="b" * 40, wall=1.5)
    s = claim_status(CLAIM)
    assert s.verdict == "reproduced", s.reason
    assert s.profile == "cpu" and s.shas == ["aaaaaaaa", "bbbbbbbb"] and s.dirty is False
    assert s.wall_time_s == 4.0 and s.devices == ["cpu:test"] and s.runs == 2


def test_each_rule_demotes(monkeypatch):
    """A failing check at full scale is 'not reproduced'; every gap in the evidence (dirty,
    stale, reduced scale, no check) is 'partial'."""
    from overgan_lib import provenance

    _put("e1", "cpu", {"value": -1.0})
    _put("e2", "cpu", {"value": 0.0})
    s = claim_status(CLAIM)
    assert s.verdict == "not reproduced" and s.reason.startswith("check fails")
    _put("e1", "cpu", {"value": 1.0})
    assert claim_status(CLAIM).verdict == "reproduced"
    with monkeypatch.context() as m:  # the code e1 depends on changed since it was computed
        m.setattr(provenance.changes, "code_changed_since", lambda sha, paths, root=None: True)
        s = claim_status(CLAIM)
    assert s.verdict == "partial" and s.reason.startswith("code changed since computed: e1, e2")
    assert s.reason.endswith("At cpu, as stored: value > 0")
    with monkeypatch.context() as m:  # e2 scored generators that were retrained since
        m.setattr(provenance.changes, "retrained_since", lambda rec: rec.experiment == "e2")
        s = claim_status(CLAIM)
    assert s.verdict == "partial" and s.reason.startswith(
        "generators scored retrained since: e2 (`overgan results --stale`")
    _put("e1", "cpu", {"value": 1.0}, dirty=True)
    s = claim_status(CLAIM)
    assert s.verdict == "partial" and "dirty" in s.reason and s.dirty is True
    reduced = Claim("c", "a claim", "x", ("e1", "e2"), ("paper",), _ok)
    s = claim_status(reduced)
    assert s.verdict == "partial" and s.reason.startswith("reduced scale (cpu)")
    assert "At cpu: value > 0" in s.reason  # what the reduced results say, still partial
    assert s.reading == "for"  # which way the partial verdict leans, not a verdict
    _put("e1", "cpu", {"value": -1.0})
    assert claim_status(reduced).reading == "against"
    assert claim_status(CLAIM).reading is None  # a verdict of record needs no reading
    unchecked = Claim("c", "a claim", "x", ("e2",), ("cpu",))
    assert "no automatic check" in claim_status(unchecked).reason


def test_a_capped_claim_is_at_most_partial_and_the_celeba_row_is_capped():
    """Review 2, finding 8: CelebA's `paper` profile is an offline subset, not the paper's
    setting, so its row never reads reproduced; a failing check still reads not reproduced."""
    from dataclasses import replace

    _put("e1", "cpu", {"value": 1.0})
    _put("e2", "cpu", {"value": 0.0})
    capped = replace(CLAIM, capped="a subset of the data")
    s = claim_status(capped)
    assert s.verdict == "partial"
    assert s.reason.startswith("capped at partial: a subset of the data. value > 0")
    _put("e1", "cpu", {"value": -1.0})
    assert claim_status(capped).verdict == "not reproduced"
    celeba = status.CLAIMS_BY_KEY["fig4-celeba"]
    assert "offline" in celeba.capped and "12,000 passes" in celeba.capped
    assert not status.CLAIMS_BY_KEY["fig4-cifar"].capped
    # every row that judges CelebA is capped (Fig. 5 judges celeba_dcgan beside CIFAR-10's), and
    # so is each related paper whose settings the book does not know
    for key, claim in status.CLAIMS_BY_KEY.items():
        if claim.check is not None and any("celeba" in e for e in claim.experiments):
            assert claim.capped == celeba.capped, key
    assert status.CLAIMS_BY_KEY["fig5"].capped == celeba.capped
    assert "book's choice" in status.CLAIMS_BY_KEY["jelassi"].capped
    assert status.CLAIMS_BY_KEY["li2018"].capped


def test_largest_common_full_profile_is_used():
    _put("e1", "cpu", {"value": -1.0})
    _put("e2", "cpu", {"value": 0.0})
    _put("e1", "gpu", {"value": 1.0}, sha="c" * 40)
    _put("e2", "gpu", {"value": 1.0}, sha="c" * 40)
    s = claim_status(CLAIM)
    assert (s.verdict, s.profile, s.profiles, s.shas) == ("reproduced", "gpu", ["cpu", "gpu"],
                                                          ["cccccccc"])


def test_fig2_check_needs_unconverged_at_m_converged_at_the_widest_for_gda_and_gd(monkeypatch):
    from overgan_lib import provenance

    claim = status.CLAIMS_BY_KEY["fig2"]
    widths = np.array([2, 4, 8, 16])  # m = 4 (from the record's config): k = 2 is left out

    def run(gda, gd):
        _put("fig2", "cpu", {"widths": widths, "gda_final": np.array(gda)[:, None] * np.ones(2),
                             "gd_final": np.array(gd)[:, None] * np.ones(2)}, config={"m": 4})
        return claim.check({"fig2": store.records("fig2", "cpu")})

    good = [0.1, 5.0, 1.0, 1e-20]  # k = 2 (< m) may sit anywhere
    ok, why = run(good, good)
    assert ok is True and "k=4 (smallest >= m) 5 unconverged → k=16 1e-20 converged" in why, why
    assert run(good, [0.1, 5.0, 1.0, 1e-9])[0] is False  # GD is checked too: 1e-9 not converged
    assert run([0.1, 1.0, 5.0, 1e-20], good)[0] is False  # rises from k = m to 2m
    # below the converged level (1e-12) the order does not count: no factor between two
    # converged medians is asked for
    assert run([0.1, 5.0, 1.0, 1e-20], [0.1, 5.0, 1e-13, 1e-12 * 0.9])[0] is True
    # every width >= m converged: the check cannot tell, and the row is partial
    done = [0.1, 1e-13, 1e-20, 1e-25]
    ok, why = run(done, good)
    assert ok is None and "gda_final: cannot tell: every width >= m=4 converged" in why, why
    with monkeypatch.context() as m:
        m.setattr(provenance.changes, "code_changed_since", lambda sha, paths, root=None: False)
        s = claim_status(claim)
    assert s.verdict == "partial" and s.reason.startswith("cannot tell"), s.reason
    assert run(done, [0.1, 5.0, 1.0, 1e-9])[0] is False  # a failure outweighs "cannot tell"


def test_formulation_claims_the_papers_equations_and_the_books_same_saddle():
    eqs, same = status.CLAIMS_BY_KEY["eq2-5"], status.CLAIMS_BY_KEY["same-saddle"]
    assert (eqs.source, same.source) == ("paper", "book")
    base = {"mean_gap": np.array([1.0, -2.0]), "inner_argmax": np.array([1.0, -2.0 + 1e-15]),
            "inner_max_value": 2.5, "closed_form_value": 2.5, "hessian_dev": 0.0,
            "sign_dev": 1e-16, "jacobian_rel_err": np.array([1e-16, 2e-16]),
            "gda_final": np.array([[1.0, 1e-3], [1e-30, 1.0]]),
            "gd_final": np.array([[1.0, 1e-3], [1e-30, 1.0]]),
            "w_gap_rel": np.array([[0.5, 0.5], [0.01, 0.9]])}

    def run(claim, **change):
        _put("formulation", "cpu", {**base, **change})
        return claim.check({"formulation": store.records("formulation", "cpu")})

    assert run(eqs)[0]
    assert not run(eqs, inner_argmax=np.array([1.0, -1.9]))[0]
    assert not run(eqs, jacobian_rel_err=np.array([1e-16, 1e-3]))[0]
    ok, why = run(same)  # the non-converged seed (gap 0.9) is left out
    assert ok and "1 of 2 seeds converged" in why, why
    assert not run(same, w_gap_rel=np.array([[0.5, 0.5], [0.2, 0.0]]))[0]
    assert not run(same, gd_final=np.array([[1.0, 1e-3], [1e-3, 1.0]]))[0]


def test_table_lists_every_claim_and_links_only_existing_chapters(tmp_path):
    (tmp_path / "01_problem_formulation.md").write_text("# x")
    rows = status.status_table()
    md = status.markdown_table(rows, book_dir=tmp_path)
    assert md.count("\n") == len(status.CLAIMS) + 1
    assert "{doc}`01_problem_formulation`" in md and "06_mnist_mlp (planned)" in md
    claims = [r for r in rows if not r.claim.infrastructure]
    assert status.counts(rows) == {"reproduced": 0, "not reproduced": 0, "partial": 0,
                                   "pending": len(claims)}
    assert 0 < len(claims) < len(rows)  # the FID floors row is infrastructure, not counted
    assert [r.claim.key for r in status.status_table(infrastructure=True)] == ["fid",
                                                                              "nnd-critic"]
    assert len({c.key for c in status.CLAIMS}) == len(status.CLAIMS)


def test_sweep_claims_quote_the_chapters_verdicts_on_the_committed_store(monkeypatch):
    """The sweep rows run the sweep chapters' rules (sweep.claims) on the stored runs; a
    reduced profile shows them without ever counting as reproduced."""
    from overgan_lib.store import REPO_ROOT
    from overgan_lib.sweep import sweep_verdicts, sweep_view

    monkeypatch.setenv("OVERGAN_RESULTS", str(REPO_ROOT / "results"))  # read only
    by_key = {c.key: c for c in status.CLAIMS}
    view = sweep_view("mnist_mlp", "cpu")
    if not view.complete:
        pytest.skip("the committed cpu MNIST sweep is not in this checkout")
    found = sweep_verdicts(view)
    # Fig. 3 has no saturation or rate claim; its uptick comes with the paper's possible cause
    assert list(found) == ["trend", "uptick", "uptick_gap", "gap"]
    assert found["gap"].claim.endswith("(Fig. 4's claim; the paper does not state it for this "
                                       "sweep)")
    s = claim_status(by_key["fig3"])
    assert s.verdict == "partial" and s.profile == "cpu"
    assert f"uptick: {found['uptick'].outcome.replace(' at this profile', '')}" in s.reason
    assert "possible cause, the gap grows over the uptick: " in s.reason
    ok, why = by_key["fig3"].check({"sweep_mnist_mlp": store.records("sweep_mnist_mlp", "cpu")})
    assert why in s.reason and "; not required: possible cause" in why
    assert "gap (Fig. 4's claim, carried over):" in why
    # Fig. 3 is judged on its two claims only; at cpu the uptick cannot be judged at all
    assert found["uptick"].outcome == "not testable at this profile" and ok is None


def _eigen(kappa_max=3.6, gamma_max=1.4, rho_excess=0.0, edge_gamma=1.7, roundoff=1e-15,
           bound=0.9):
    return {"a2_rho": np.array([0.5, bound + rho_excess]), "a2_bound": np.array([0.6, bound]),
            "a2_closed_gap": np.array([roundoff, roundoff]),
            "a3_kappa": np.array([2.0, kappa_max]), "a3_gamma_emp": np.array([1.0, gamma_max]),
            "a3_gamma_bound": np.array([2.0, kappa_max]),
            "a3_edge_kappa": np.array([3.61]), "a3_edge_gamma_emp": np.array([edge_gamma])}


def test_lemma_check_covers_a2_and_a3():
    def run(data):
        _put("eigen", "cpu", data)
        return status._lemmas_a2_a3({"eigen": store.records("eigen", "cpu")})

    ok, why = run(_eigen())
    assert ok is True and "A.3" in why and "3.6" in why and "1.7 at the edge μ = 8ηβ²" in why, why
    # kappa_i <= 5 is still checked, and labelled as the consistency check it is
    assert "(≤ 5, a consistency check: μ ≥ 8ηβ² caps κ_i at 3.61)" in why, why
    assert run(_eigen(kappa_max=5.5))[0] is False  # A.3's kappa bound broken
    assert run(_eigen(gamma_max=6.0))[0] is False  # A.3's transient bound broken
    # each draw's gamma is held to that draw's own max kappa_i, not to the loose 5
    assert run(_eigen(kappa_max=2.5, gamma_max=3.0))[0] is False
    assert run(_eigen(edge_gamma=4.0))[0] is False  # an edge draw above its kappa_i = 3.61
    assert run(_eigen(rho_excess=0.01))[0] is False  # A.2 broken
    old = {k: v for k, v in _eigen().items() if not k.startswith("a3_edge_")}
    ok, why = run(old)  # a record stored before the edge draws existed
    assert ok is None and "no edge draws" in why, why


def test_lemma_a2_check_is_relative_to_the_promised_decay():
    def run(data):
        _put("eigen", "cpu", data)
        return status._lemmas_a2_a3({"eigen": store.records("eigen", "cpu")})

    # eta alpha^2 = 1e-7: an excess of 5e-10 is 0.5% of the promised decay (an absolute 1e-9
    # tolerance would let it through); 1e-14 is 1e-7 of it, within DECAY_REL_TOL = 1e-6
    assert run(_eigen(bound=1 - 1e-7, rho_excess=5e-10))[0] is False
    ok, why = run(_eigen(bound=1 - 1e-7, rho_excess=1e-14, roundoff=1e-16))
    assert ok is True and "0 of 2 draws" in why, why
    # round-off as large as the tolerance: the check cannot tell
    ok, why = run(_eigen(bound=1 - 1e-7, roundoff=1e-12))
    assert ok is None and why.startswith("cannot tell"), why


def _pert(hyp, ok):
    hyp, ok = np.asarray(hyp, dtype=float), np.asarray(ok, dtype=float)
    return {"hyp_ok": hyp, **{f"ok{b}": ok for b in (25, 26, 27, 28)}}


def test_theorem_a4_check_judges_only_runs_meeting_the_hypotheses():
    def run(hyp, ok):
        _put("perturbation", "cpu", _pert(hyp, ok))
        return status._theorem_a4({"perturbation": store.records("perturbation", "cpu")})

    ok, why = run([[0, 0], [1, 1]], [[0, 1], [1, 1]])  # fails only outside the hypotheses
    assert ok and "hypotheses met on 2 of 4 runs" in why and "2 of those 2" in why
    assert not run([[0, 0], [1, 1]], [[1, 1], [1, 0]])[0]  # fails on a run that meets them
    ok, why = run([[0, 0], [0, 0]], [[1, 1], [1, 1]])  # bounds everywhere, theorem nowhere
    assert not ok and "hypotheses met on 0 of 4" in why
    # the reason names the widths where the hypotheses hold, and what the check cannot show
    _put("perturbation", "cpu", {"widths": np.array([16, 64]), **_pert([[0, 0], [1, 1]],
                                                                      [[1, 1], [1, 1]])})
    ok, why = status._theorem_a4({"perturbation": store.records("perturbation", "cpu")})
    assert ok and "hypotheses met on 2 of 4 runs (at k = 64);" in why
    assert "tests the bounds' form, not their constants" in why


def _fig9(diter):
    diter = np.asarray(diter, dtype=float)[..., None] * np.ones(2)  # two identical seeds
    return {"d_iters": np.array([1, 5, 25]), "diter_final": diter,
            "sample": np.zeros((8, 2))}  # two-moons points: m = 2, read from the record


def test_fig9c_splits_the_papers_width_claim_from_the_books_ascent_steps_finding():
    width, steps = status.CLAIMS_BY_KEY["fig9c"], status.CLAIMS_BY_KEY["diter-steps"]
    assert (width.source, steps.source) == ("paper", "book")

    def run(claim, diter):
        _put("fig9", "cpu", {**_fig9(diter), "widths": np.array([1, 2, 4, 8, 16])},
             config={"mu_diter": 0.1})
        return claim.check({"fig9": store.records("fig9", "cpu")})

    helps = [[1.0, 0.5, 1e-15, 1e-20, 1e-31], [1.0, 0.5, 1e-16, 1e-21, 1e-31],
             [1.0, 0.5, 1e-17, 1e-22, 1e-31]]  # d_iter = 25 ends lowest at k = 4, 8
    assert run(width, helps)[0] is True
    ok, why = run(steps, helps)  # the book's finding (more steps are no faster) fails
    assert ok is False and "at mu=0.1, d_iter=25 ends lowest at 2 of 2 converged widths" in why
    # widths 1, 2 are plateaus, width 16 round-off
    hurts = [row[:] for row in helps[::-1]]  # d_iter = 1 now ends lowest
    assert run(width, hurts)[0] is True and run(steps, hurts)[0] is True  # width still helps
    no_gain = [[1.0, 0.5, 1e-3, 1e-4, 1e-5], *helps[1:]]  # d_iter = 1's widest: not converged
    ok, why = run(width, no_gain)
    assert ok is False and why.startswith("width trend fails for d_iter = 1: d_iter=1: k=2"), why
    at_roundoff = [[1.0, 0.5, 1e-30, 1e-31, 1e-31]] * 3  # nothing comparable above round-off
    ok, why = run(steps, at_roundoff)
    assert ok is None and why.startswith("cannot tell"), why
    all_conv = [[1.0, 1e-15, 1e-20, 1e-25, 1e-31]] * 3  # every width >= m = 2 converged
    ok, why = run(width, all_conv)
    assert ok is None and why.startswith("width trend cannot tell for d_iter = 1, 5, 25"), why


def test_fig9_ab_check_covers_both_panels_with_m_from_the_record():
    check = status.CLAIMS_BY_KEY["fig9"].check
    w = np.array([1, 2, 4, 8])

    def run(gda, m=2):
        _put("fig9", "cpu", {"widths": w, "gd_final": np.array([[1.0], [1.0], [1e-2], [1e-20]]),
                             "gda_final": np.array(gda)[:, None], "sample": np.zeros((8, m))})
        return check({"fig9": store.records("fig9", "cpu")})

    assert run([1.0, 1.0, 1e-2, 1e-20])[0] is True
    assert run([1.0, 1.0, 1e-2, 1e-3])[0] is False  # GDA's widest has not converged
    # m is read from the sample: with m = 8 only one width is >= m, so it cannot tell
    ok, why = run([1.0, 1.0, 1e-2, 1e-20], m=8)
    assert ok is None and "fewer than two widths >= m=8" in why, why


def test_generalization_row_quotes_the_chapters_verdicts_on_the_committed_store(
        committed_generalization):
    """Figs. 6/10's row runs chapter 10's assembly (sweep.generalization_claims) on the stored
    scores; at a reduced profile it reports them and stays partial."""
    from overgan_lib.sweep.generalization_claims import far_reason, generalization_verdicts

    base, fid, scores, view = committed_generalization
    found = generalization_verdicts(scores.data, base.data, far_reason(view, fid.data),
                                    far_reason(view, fid.data, trend=True),
                                    status._stored_as_chapter("nnd_floor", "cpu").data)
    assert [v.claim for v in found][1:] == ["memorised samples score worse than most GAN models",
                                            "wide models do not copy training images",
                                            "wider models generate more diverse samples"]
    s = claim_status(status.CLAIMS_BY_KEY["fig6"])
    assert s.verdict == "partial" and s.reason.startswith("reduced scale (cpu)")
    for v in found:
        assert f"{v.claim}: {v.outcome.replace(' at this profile', '')}" in s.reason


def _li_study(settled_fo=0, G=3, n=4, T=100):
    """A stored li2018 study in li2018_study's layout: the optimal dynamics succeed off the
    diagonal, first-order runs end merged or degenerate (half each) since ``settled_fo``."""
    codes = np.where(np.arange(n) % 2 == 0, 1, 2)  # dynamics.MERGED, DEGENERATE
    return {"steps": np.array([0, T]), "k": np.array([2]), "d_steps": np.array([1]),
            "grid_x": np.linspace(-1, 1, G), "targets": np.array([-0.5, 0.5]),
            "opt_codes": np.where(np.eye(G, dtype=bool), 1, 0),
            "opt_settled": np.zeros((G, G), dtype=int),
            "fo_codes": np.broadcast_to(codes, (1, G, G, n)).copy(),
            "fo_settled": np.full((1, G, G, n), settled_fo), "fo_cell_success": np.zeros((1, G, G))}


def test_li2018_check_runs_the_chapters_verdicts():
    from overgan_lib.related import li_verdicts as lv

    def run(data):
        _put("li2018", "cpu", data)
        return status.CLAIMS_BY_KEY["li2018"].check({"li2018": store.records("li2018", "cpu")})

    ok, why = run(_li_study())
    assert ok and (ok, why) == lv.claim_check(_li_study()) and "3 distinct separated" in why
    s = claim_status(status.CLAIMS_BY_KEY["li2018"])  # passes, but capped: Li's row is partial
    assert s.verdict == "partial" and s.reason.startswith("capped at partial: the model is rebuilt")
    ok, why = run(_li_study(settled_fo=100))  # both failure modes appear only at T
    assert not ok and "not reproduced" in why
    s = claim_status(status.CLAIMS_BY_KEY["li2018"])
    assert s.verdict == "not reproduced" and s.reason.startswith("check fails")


def test_li2018_row_on_the_committed_store(monkeypatch):
    from overgan_lib.related import li_verdicts as lv
    from overgan_lib.store import REPO_ROOT

    monkeypatch.setenv("OVERGAN_RESULTS", str(REPO_ROOT / "results"))  # read only
    recs = store.records("li2018", "cpu")
    if not recs:
        pytest.skip("the committed cpu li2018 study is not in this checkout")
    ok, why = lv.claim_check(recs[0].data)
    s = claim_status(status.CLAIMS_BY_KEY["li2018"])
    assert s.profile == "cpu" and why in s.reason
    assert s.verdict == ("not reproduced" if not ok and not s.dirty else "partial")
    assert "third-party description" in status.CLAIMS_BY_KEY["li2018"].capped


def _jelassi_records(hq_sgda: float, graft: int = 8, hq_graft: float = 0.9
                     ) -> dict[str, list]:
    """Synthetic 2D and MNIST records: nSGDA and Adam learn all 8 ring modes, grafting
    ``graft`` at high-quality fraction ``hq_graft``; SGDA gets 3 modes at ``hq_sgda``."""
    names = ["sgda", "nsgda", "adam", "graft"]
    m = np.broadcast_to(np.array([3, 8, 8, graft])[None, None, :, None], (1, 2, 4, 3)).copy()
    q = np.full(m.shape, 0.9)
    q[:, :, 0] = hq_sgda
    q[:, :, 3] = hq_graft
    d2 = {"widths": np.array([8, 32]), "benchmarks": ["ring"], "n_modes": np.array([8]),
          "names": names, "modes": m, "hq_fraction": q}
    dm = {"confident": np.full((4, 2, 1), 0.6), "names": names, "widths": np.array([64, 256]),
          "real": {"confident": 0.7}}
    for exp, data, cfg in (("jelassi_2d", d2, {"k_show": 32, "tol_frac": 0.1}),
                           ("jelassi_mnist", dm, {"conf_tol": 0.05})):
        path = store.results_root() / exp / "cpu" / f"{_chapter_name(exp, 'cpu')}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        prov = {"git_sha": "a" * 40, "git_dirty": False, "wall_time_s": 1.0, "device": "cpu",
                "profile": "cpu", "seed": 0}
        path.write_text(json.dumps({"experiment": exp, "config": cfg, "provenance": prov,
                                    "data": store._encode(data)}))
    return {e: store.records(e, "cpu") for e in ("jelassi_2d", "jelassi_mnist")}


def test_jelassi_check_uses_the_chapters_verdicts():
    """The jelassi row quotes jelassi_verdicts.verdicts_2d / mnist_verdict and passes only when
    every claim of the paper is reproduced; an SGDA that learned nothing is named as such."""
    check = status.CLAIMS_BY_KEY["jelassi"].check
    ok, why = check(_jelassi_records(0.9))
    assert ok and "ring: graft ≈ Adam: reproduced" in why
    assert "nSGDA beats SGDA: reproduced ·" in why and "MNIST width: no gap" in why
    s = claim_status(status.CLAIMS_BY_KEY["jelassi"])
    assert s.verdict == "partial" and f"At cpu: {why}" in s.reason  # reduced scale only
    for p in store.results_root().glob("jelassi_*/cpu/*.json"):
        p.unlink()
    ok, why = check(_jelassi_records(0.01))  # SGDA below the bar: one-sided, cannot tell
    assert ok is None
    assert "nSGDA beats SGDA: reproduced at this budget (below the quality bar: sgda" in why
    assert "width closes Adam−SGDA gap: inconclusive (below the quality bar: sgda at k=8" in why
    for p in store.results_root().glob("jelassi_*/cpu/*.json"):
        p.unlink()
    ok, why = check(_jelassi_records(0.9, graft=4))
    assert ok is False and "graft ≈ Adam: not reproduced" in why
    assert why.startswith("no profile reproduces the paper's setting")
    for p in store.results_root().glob("jelassi_*/cpu/*.json"):
        p.unlink()
    # grafting below the bar: a one-sided 'not reproduced at this budget' cannot fail the row
    # either (review major 5: it used to give False while the one-sided pass gave None)
    ok, why = check(_jelassi_records(0.9, hq_graft=0.01))
    assert ok is None and "graft ≈ Adam: not reproduced at this budget" in why


def test_a_check_that_cannot_read_its_records_demotes_only_its_row():
    def broken(recs):
        return bool(recs["e1"][0]["missing key"]), "never"

    _put("e1", "cpu", {"value": 1.0})
    _put("e2", "cpu", {"value": 1.0})
    for full in (("cpu",), ("paper",)):
        s = claim_status(Claim("c", "a claim", "x", ("e1", "e2"), full, broken))
        assert s.verdict == "partial" and "the check could not run (KeyError" in s.reason


def test_a_sweep_row_is_not_clean_while_one_of_its_runs_is_dirty(tmp_path, monkeypatch):
    """The row's provenance is the sweep summary's; its check also refuses runs from a dirty
    tree (a copy of the committed MNIST sweep with one run marked dirty)."""
    import shutil

    from overgan_lib.store import REPO_ROOT
    from overgan_lib.sweep import sweep_view

    monkeypatch.setenv("OVERGAN_RESULTS", str(REPO_ROOT / "results"))
    view = sweep_view("mnist_mlp", "cpu")
    if not view.complete:
        pytest.skip("the committed cpu MNIST sweep is not in this checkout")
    root = tmp_path / "results"
    shutil.copytree(REPO_ROOT / "results" / "sweep_mnist_mlp", root / "sweep_mnist_mlp")
    for rec in view.done:
        dst = root / "train" / "cpu" / rec.path.name
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(rec.path, dst)
    monkeypatch.setenv("OVERGAN_RESULTS", str(root))
    check = status.CLAIMS_BY_KEY["fig3"].check
    recs = {"sweep_mnist_mlp": store.records("sweep_mnist_mlp", "cpu")}
    assert "dirty" not in check(recs)[1]
    path = root / "train" / "cpu" / view.done[0].path.name
    rec = json.loads(path.read_text())
    rec["provenance"]["git_dirty"] = True
    path.write_text(json.dumps(rec))
    ok, why = check(recs)
    assert not ok and "1 runs from a dirty tree" in why


def test_a_rerun_with_overrides_beside_the_chapters_record_is_not_judged():
    """The README's `make chapter ... overrides` stores a second record beside the chapter's;
    the row still judges (and counts) the chapter's own record only."""
    good, bad = _eigen(), _eigen(kappa_max=5.5)
    _put("eigen", "cpu", good, wall=3.0)
    _put("eigen", "cpu", bad, wall=500.0, name="0" * 16)  # sorts first, another config
    s = claim_status(status.CLAIMS_BY_KEY["lemma-a2-a3"])
    assert s.verdict == "reproduced" and s.runs == 1 and s.wall_time_s == 3.0
    (store.results_root() / "eigen" / "cpu" / f"{_chapter_name('eigen', 'cpu')}.json").unlink()
    assert claim_status(status.CLAIMS_BY_KEY["lemma-a2-a3"]).verdict == "pending"


def test_every_claims_chapter_record_is_committed(monkeypatch):
    """The configs the status page looks for are the ones the chapters stored: each claim's
    experiments have every chapter record at cpu in the committed store."""
    from overgan_lib.store import REPO_ROOT

    monkeypatch.setenv("OVERGAN_RESULTS", str(REPO_ROOT / "results"))  # read only
    if not store.records("eigen", "cpu"):
        pytest.skip("no committed cpu results in this checkout")
    for claim in status.CLAIMS:
        for exp in claim.experiments:
            keys = {store.config_key(c) for c in rules.chapter_configs(exp, "cpu")}
            stored = {r.path.stem for r in store.records(exp, "cpu")}
            assert keys <= stored, (claim.key, exp, keys - stored)


def test_a_sweep_claim_needs_only_its_own_rules(monkeypatch):
    """Fig. 3 with an uptick and a clearly growing gap (the paper right about both) is
    reproduced: the possible cause and Fig. 4's carried-over gap claim, which would then fail,
    are quoted, not required. A required rule that cannot be judged gives None (partial)."""
    from types import SimpleNamespace

    from overgan_lib.status import experiment_checks as ec
    from overgan_lib.sweep import claims, registry, view
    from overgan_lib.sweep.summary import CONFIRMED, CONTRADICTED, NOT_TESTABLE, Verdict

    outcomes = {"trend": CONFIRMED, "uptick": CONFIRMED, "uptick_gap": CONFIRMED,
                "gap": CONTRADICTED}
    fake = SimpleNamespace(complete=True, spec=registry.spec("mnist_mlp"), done=[], floor=1.0,
                           configs=[SimpleNamespace(k_g=8, k_d=8)])
    monkeypatch.setattr(view, "sweep_view", lambda name, profile: fake)
    monkeypatch.setattr(claims, "sweep_verdicts",
                        lambda v: {r: Verdict(r, o, "") for r, o in outcomes.items()})
    _put("sweep_mnist_mlp", "paper", {"x": 1.0})
    recs = {"sweep_mnist_mlp": store.records("sweep_mnist_mlp", "paper")}
    check = status.CLAIMS_BY_KEY["fig3"].check
    ok, why = check(recs)
    assert ok is True and "gap (Fig. 4's claim, carried over): contradicted" in why
    outcomes["uptick"] = NOT_TESTABLE
    assert check(recs)[0] is None
    outcomes["trend"] = CONTRADICTED
    assert check(recs)[0] is False
    assert ec._RULE_LABELS["uptick_gap"].startswith("possible cause")


def test_fig7_row_requires_its_captions_convergence_and_reads_inconclusive_as_partial(
        monkeypatch):
    """Fig. 7's caption: "Even in this case, overparameterization improves model
    convergence". The row requires its two FID claims and that caption read as "lower
    throughout training": a contradicted "lower" fails the row (it used to pass as a
    carried-over claim). "Faster" and "more stable" are quoted; the "slightly worse" rule read
    as inconclusive (low power) leaves the row partial, not failed."""
    from types import SimpleNamespace

    from overgan_lib.status import experiment_checks as ec
    from overgan_lib.sweep import claims, registry, view
    from overgan_lib.sweep.summary import (
        CONFIRMED,
        CONTRADICTED,
        INCONCLUSIVE,
        NOT_REPRODUCED,
        NOT_TESTABLE,
        Verdict,
    )

    outcomes = {"trend": CONFIRMED, "fixed": CONFIRMED, "gap": CONTRADICTED,
                "lower": CONTRADICTED, "rate": NOT_REPRODUCED, "stability": NOT_TESTABLE}
    fakes = {n: SimpleNamespace(complete=True, spec=registry.spec(n), done=[], floor=1.0,
                                configs=[SimpleNamespace(k_g=32, k_d=16),
                                         SimpleNamespace(k_g=32, k_d=64)])
             for n in ("cifar10_resnet_d", "cifar10_resnet_g")}
    monkeypatch.setattr(view, "sweep_view", lambda name, profile: fakes[name])
    monkeypatch.setattr(claims, "sweep_verdicts",
                        lambda v: {r: Verdict(r, o, "") for r, o in outcomes.items()})
    for n in fakes:
        _put(f"sweep_{n}", "paper", {"x": 1.0})
    recs = {f"sweep_{n}": store.records(f"sweep_{n}", "paper") for n in fakes}
    check = status.CLAIMS_BY_KEY["fig7"].check
    ok, why = check(recs)
    assert ok is False
    assert ("lower throughout training (Fig. 7's caption, read with Fig. 5's rule): "
            "contradicted") in why
    assert "carried over): contradicted" not in why.replace("gap (Fig. 4's claim, carried "
                                                            "over): contradicted", "")
    outcomes["lower"] = CONFIRMED
    ok, why = check(recs)
    assert ok is True
    assert "converges faster (Fig. 7's caption, read with Fig. 5's rule): not reproduced" in why
    assert why.index("; not required:") < why.index("converges faster")
    assert why.index("lower throughout training") < why.index("; not required:")
    outcomes["lower"] = NOT_TESTABLE
    assert check(recs)[0] is None
    outcomes["lower"], outcomes["fixed"] = CONFIRMED, INCONCLUSIVE
    assert check(recs)[0] is None  # low power: cannot tell, not a failed replication
    assert ec._RULE_LABELS["fixed"] in why


def test_the_page_counts_the_papers_claims_apart_and_names_what_is_reproduced():
    """The summary counts the paper's theory claims and its image experiments apart, then the
    related papers' and the book's own; it names the paper's reproduced claims and says which
    way the partial claims' reduced-scale readings lean."""
    from overgan_lib.status.rules import Status, summary_text

    def row(key, what, verdict, full=status.THEORY_FULL, source="paper", reading=None):
        return Status(Claim(key, what, "x", ("e",), full, source=source), verdict, "", [],
                      reading=reading)

    rows = [row("a", "Fig. 2: width helps", "reproduced"),
            row("b", "Fig. 9 (c): more steps", "not reproduced"),
            row("c", "Fig. 3: MNIST", "partial", status.PAPER_ONLY, reading="against"),
            row("f", "Fig. 4: CIFAR", "partial", status.PAPER_ONLY, reading="cannot tell"),
            row("g", "Fig. 5: CIFAR", "partial", status.PAPER_ONLY, reading="cannot tell"),
            row("d", "Related: Li et al. (2018), first-order", "reproduced", source="related"),
            row("e", "Beyond the paper: reach", "partial", source="book", reading="for")]
    text = summary_text(rows)
    assert text.startswith("Of the paper's 5 claims, 2 are theory checks and small simulations, "
                           "judged at the sizes the chapters state, and 3 are image experiments")
    assert ("Theory and simulations (2): 1 reproduced, 1 not reproduced, 0 partial, 0 pending; "
            "reproduced: Fig. 2.") in text
    assert ("Image experiments (3): 0 reproduced, 0 not reproduced, 3 partial, 0 pending; "
            "reproduced: none; reduced-scale readings of the partial ones (not verdicts): 1 "
            "against, 2 cannot tell.") in text
    assert "Of the related papers' claims (1): 1 reproduced" in text
    assert status.short_name(rows[5].claim) == "Li et al. (2018)"
    assert text.endswith("Of the book's own claims (1): 0 reproduced, 0 not reproduced, 1 "
                         "partial, 0 pending; reduced-scale readings of the partial ones (not "
                         "verdicts): 1 for.")
    table = status.markdown_table(rows)
    assert "| **partial** (reduced-scale reading: against) |" in table
    assert "| **reproduced** |" in table


def test_a_sweep_row_is_stale_when_one_of_its_runs_is(monkeypatch):
    """A sweep's summary is re-saved with the current commit whenever a run trains, so the
    row checks the runs' commits too: one stale run demotes it."""
    from types import SimpleNamespace

    from overgan_lib import provenance
    from overgan_lib.sweep import view

    _put("sweep_mnist_mlp", "paper", {"x": 1.0}, sha="a" * 40)
    run = SimpleNamespace(experiment="train", reused=True, provenance={"git_sha": "b" * 40})
    monkeypatch.setattr(view, "sweep_view", lambda name, profile: SimpleNamespace(done=[run]))
    monkeypatch.setattr(provenance.changes, "code_changed_since",
                        lambda sha, paths, root=None: sha.startswith("b"))
    s = claim_status(status.CLAIMS_BY_KEY["fig3"])
    assert s.verdict == "partial"
    assert s.reason.startswith("code changed since computed: sweep_mnist_mlp")


def test_a_verdict_says_when_staleness_cannot_be_checked(monkeypatch):
    """Without git history for a result's commit (a source archive), the verdict stands but
    says that whether the code changed since could not be checked; with it, nothing is added."""
    from overgan_lib import provenance

    _put("e1", "cpu", {"value": 1.0})
    _put("e2", "cpu", {"value": 0.0})
    monkeypatch.setattr(provenance.changes, "code_changed_since",
                        lambda sha, paths, root=None: None)
    s = claim_status(CLAIM)
    assert s.verdict == "reproduced"
    assert s.reason.endswith("cannot be checked without the git history: e1, e2)")
    monkeypatch.setattr(provenance.changes, "code_changed_since",
                        lambda sha, paths, root=None: False)
    s = claim_status(CLAIM)
    assert s.verdict == "reproduced" and "git history" not in s.reason
