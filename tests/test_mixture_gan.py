"""The mixture GAN of Li et al. (2018): closed forms, optimal discriminator, dynamics, verdicts."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from overgan_lib import profiles
from overgan_lib.errors import ParameterError
from overgan_lib.related import dynamics as dy
from overgan_lib.related import experiments as ex
from overgan_lib.related import li_verdicts as lv
from overgan_lib.related import mixture as mx

TARGET = torch.tensor([-0.5, 0.5], dtype=torch.float64)


def _random_state(B=6, k=2, seed=0):
    g = torch.Generator().manual_seed(seed)
    mu = 2 * torch.rand(B, 2, generator=g, dtype=torch.float64) - 1
    ends = (6 * torch.rand(B, 2 * k, generator=g, dtype=torch.float64) - 3).sort(1).values
    return mu, ends


def test_loss_is_one_plus_integral_of_the_gap():
    mu, ends = _random_state()
    L = mx.loss(mu, ends, TARGET)
    for b in range(len(mu)):
        total = 0.0
        for lo, hi in ends[b].reshape(-1, 2):
            x = torch.linspace(float(lo), float(hi), 20001, dtype=torch.float64)[None]
            total += float(torch.trapezoid(mx.gap(x, mu[b:b + 1], TARGET), x))
        assert float(L[b]) == pytest.approx(1 + total, abs=1e-8)


@pytest.mark.parametrize("k", [1, 2, 5])
def test_gradients_match_autograd(k):
    mu, ends = _random_state(k=k, seed=k)
    mu_ = mu.clone().requires_grad_(True)
    ends_ = ends.clone().requires_grad_(True)
    g_mu, g_ends = torch.autograd.grad(mx.loss(mu_, ends_, TARGET).sum(), (mu_, ends_))
    a_mu, a_ends = mx.gradients(mu, ends, TARGET)
    torch.testing.assert_close(a_mu, g_mu, rtol=1e-12, atol=1e-14)
    torch.testing.assert_close(a_ends, g_ends, rtol=1e-12, atol=1e-14)


def test_gradients_match_finite_differences_with_infinite_endpoints():
    mu, ends = _random_state(B=3)
    ends[:, 0], ends[:, -1] = -torch.inf, torch.inf
    g_mu, g_ends = mx.gradients(mu, ends, TARGET)
    assert torch.isfinite(g_mu).all() and (g_ends[:, [0, -1]] == 0).all()
    h = 1e-6
    for j in range(2):
        e = torch.zeros_like(mu)
        e[:, j] = h
        fd = (mx.loss(mu + e, ends, TARGET) - mx.loss(mu - e, ends, TARGET)) / (2 * h)
        torch.testing.assert_close(g_mu[:, j], fd, rtol=1e-6, atol=1e-9)
    e = torch.zeros_like(ends)
    e[:, 1] = h
    fd = (mx.loss(mu, ends + e, TARGET) - mx.loss(mu, ends - e, TARGET)) / (2 * h)
    torch.testing.assert_close(g_ends[:, 1], fd, rtol=1e-6, atol=1e-9)


def test_optimal_interval_maximises_the_loss():
    g = torch.Generator().manual_seed(3)
    mu = 4 * torch.rand(40, 2, generator=g, dtype=torch.float64) - 2
    mu[0] = TARGET.flip(0) + torch.tensor([0.0, 1e-3], dtype=torch.float64)  # near-equal
    ivals = mx.optimal_intervals(mu, TARGET)
    best = mx.loss(mu, ivals, TARGET)
    # It is the positive set of G* - G_mu: its loss is 1 + TV, by dense quadrature ...
    tv = mx.positive_mass(-14.0, 14.0, mu, TARGET, points=100001)
    torch.testing.assert_close(best - 1, tv, rtol=0, atol=1e-8)
    # ... and no pair of intervals with endpoints on a dense grid does better.
    x = torch.linspace(-6, 6, 37, dtype=torch.float64)
    quads = torch.tensor(list(itertools.combinations(range(len(x)), 4)))
    cand = torch.cat([torch.full((len(quads), 1), -torch.inf, dtype=torch.float64), x[quads],
                      torch.full((len(quads), 1), torch.inf, dtype=torch.float64)], 1)
    for b in (0, 13, 27):
        for cols in ([1, 2, 3, 4], [0, 1, 2, 3], [1, 2, 3, 5], [0, 1, 2, 5]):
            grid_best = mx.loss(mu[b:b + 1].expand(len(cand), 2), cand[:, cols], TARGET).max()
            assert float(grid_best) <= float(best[b]) + 1e-12
        assert float(grid_best) >= float(best[b]) - 2e-2  # the grid gets close to the optimum


def test_optimal_interval_edge_cases():
    equal = TARGET[None].clone()
    ivals = mx.optimal_intervals(equal, TARGET)
    assert float(mx.loss(equal, ivals, TARGET)) == pytest.approx(1.0, abs=1e-14)
    shifted = TARGET[None] - 1.0  # G* lies to the right: D = 1 on a half-line [c, +inf)
    ivals = mx.optimal_intervals(shifted, TARGET)
    assert torch.isinf(ivals).sum() == 1 and ivals[0, 1] == torch.inf
    with pytest.raises(ParameterError, match="slots=1"):
        mx.optimal_intervals(torch.tensor([[-0.1, 0.1]], dtype=torch.float64), TARGET, slots=1)


def test_optimal_dynamics_converge_from_separated_means():
    mu0 = torch.tensor([[-1.0, 1.0], [0.9, 1.0], [-2.0, -1.5]], dtype=torch.float64)
    tr = dy.optimal(mu0, TARGET, 0.1, 600)
    assert (dy.classify(tr.mu, tr.ends, TARGET) == dy.SUCCESS).all()
    assert (dy.match_error(tr.mu, TARGET) < 0.05).all()
    same = dy.optimal(torch.tensor([[0.3, 0.3]], dtype=torch.float64), TARGET, 0.1, 50)
    assert float(same.mu[0, 0]) == float(same.mu[0, 1])  # equal means stay equal


def test_batched_first_order_equals_a_loop():
    mu0 = dy.grid_means(3, 1.0).repeat_interleave(2, 0)
    ends0 = dy.random_intervals(len(mu0), 2, 3.0, 5)
    batch = dy.first_order(mu0, ends0, TARGET, 0.1, 0.1, 200, d_steps=2)
    for i in range(len(mu0)):
        one = dy.first_order(mu0[i:i + 1], ends0[i:i + 1], TARGET, 0.1, 0.1, 200, d_steps=2)
        torch.testing.assert_close(one.mu[0], batch.mu[i], rtol=0, atol=1e-12)
        torch.testing.assert_close(one.ends[0], batch.ends[i], rtol=0, atol=1e-12)
    assert (batch.ends.diff(dim=1) >= 0).all()  # intervals stay ordered


def test_batched_optimal_equals_a_loop():
    mu0 = dy.grid_means(3, 1.0)[[1, 2, 5]]
    batch = dy.optimal(mu0, TARGET, 0.1, 40)
    for i in range(len(mu0)):
        one = dy.optimal(mu0[i:i + 1], TARGET, 0.1, 40)
        torch.testing.assert_close(one.mu[0], batch.mu[i], rtol=0, atol=1e-12)


def test_classify_rules():
    mu = torch.tensor([[0.52, -0.45], [0.1, 0.12], [-2.0, 2.0], [-2.0, 2.0]], dtype=torch.float64)
    ends = torch.tensor([[-9.0, 0.0, 0.1, 9.0], [-1.0, 0.0, 0.5, 1.0], [0.3, 0.3, 1.0, 1.0],
                         [-1.0, 0.0, 0.5, 1.0]], dtype=torch.float64)
    codes = dy.classify(mu, ends, TARGET).tolist()
    assert codes == [dy.SUCCESS, dy.MERGED, dy.DEGENERATE, dy.OTHER]
    assert dy.outcome_counts(codes) == {"success": 1, "means merged": 1,
                                        "intervals degenerate": 1, "other": 1}
    whole = torch.tensor([[-50.0, 0.0, 0.0, 50.0]], dtype=torch.float64)  # D = 1 everywhere
    assert dy.classify(mu[2:3], whole, TARGET).item() == dy.DEGENERATE


def test_bad_input_is_one_line():
    cases = [
        (lambda: dy.grid_means(0, 1.0), "grid=0"),
        (lambda: dy.random_intervals(3, 0, 3.0, 0), "k=0"),
        (lambda: dy.first_order(TARGET[None], torch.zeros(1, 4, dtype=torch.float64), TARGET,
                                -0.1, 0.1, 10), "eta_g=-0.1"),
        (lambda: mx.loss(TARGET[None], torch.zeros(1, 3, dtype=torch.float64), TARGET),
         "(1, 3)"),
        (lambda: lv.width_answer([1, 4], [np.zeros(9)] * 2, np.ones(9)), "k=2"),
        (lambda: lv.width_answer([2, 4], [np.zeros(9)], np.ones(9)), "2 widths but 1 per-start"),
        (lambda: lv.d_steps_answer([2, 5], [np.zeros(9)] * 2), "d_steps=[2, 5]"),
        (lambda: lv.start_se(np.zeros(1)), "at least 2 starts"),
        (lambda: lv.cell_vector(np.zeros((2, 3))), "(2, 3)"),
        (lambda: lv.persistent(np.zeros(3), np.zeros(2), 1, 10), "differ in shape"),
        (lambda: profiles.settings("li2018", "smoke", targets=[0.5, 0.5]), "targets="),
        (lambda: profiles.settings("li2018", "smoke", d_steps=[0]), "contains 0"),
        (lambda: profiles.settings("li2018", "smoke", eta_d=0), "eta_d=0"),
        (lambda: profiles.settings("li2018", "smoke", inits=-1), "inits=-1"),
    ]
    for fn, needle in cases:
        with pytest.raises(ParameterError) as exc:
            fn()
        assert needle in str(exc.value) and "\n" not in str(exc.value)


def test_smoke_study_and_determinism():
    cfg = profiles.settings("li2018", "smoke", T=100, grid=3, inits=3, widths=[2, 4],
                            d_steps=[1, 2])
    a = ex.li2018_study(cfg, 0, progress=False)
    G = cfg["grid"]
    assert a["opt_codes"].shape == (G, G)
    assert a["fo_codes"].shape == a["fo_settled"].shape == (len(a["k"]), G, G, cfg["inits"])
    assert a["fo_counts"].sum(1).tolist() == [a["runs_per_config"]] * len(a["k"])
    assert a["clip"]["codes"].shape == (G, G, cfg["inits"])
    assert sum(a["clip"]["counts"]) == a["runs_per_config"]
    assert (a["fo_subopt"] >= -1e-9).all() and a["fo_subopt"].shape == a["fo_curve"].shape
    assert (a["fo_ever"] >= a["fo_success"] - 1e-12).all()  # success at T counts as ever
    assert all(e["rerun_same_outcome"] for e in a["examples"].values())
    assert np.all(np.diag(a["opt_codes"]) == dy.MERGED)  # equal initial means stay merged
    b = ex.li2018_study(cfg, 0, progress=False)
    np.testing.assert_array_equal(a["fo_cell_success"], b["fo_cell_success"])
    np.testing.assert_array_equal(a["heat_final_mu"], b["heat_final_mu"])


def test_bench_heatmap_reference_agrees():
    from overgan_lib.bench import bench_heatmap

    res = bench_heatmap("smoke", progress=False, grid=2, inits=2, T=60)
    assert res["runs"] == 8 and res["batched_s"] > 0 and res["reference_s"] > 0
    assert res["same_outcome"] == 1.0 and res["max_state_diff"] < 1e-10
    assert res["record"].endswith(".json")


def test_width_answer_words_and_single_width():
    c = lambda p: np.full(90, p)  # noqa: E731  (no cell effects: every difference is exact)
    ans = lv.width_answer([1, 2, 4, 8], [c(0.0), c(0.1), c(0.3), c(0.2)], c(1.0))
    assert (ans["best_k"], ans["effect"], ans["widest_k"], ans["widest"]) == (
        4, "raises success", 8, "raises success")
    assert ans["raises_at"] == [4, 8] and ans["lowers_at"] == []
    assert ans["vs_optimal"] == "below" and ans["monotone"] is False  # 8 is below 4
    assert ans["below_optimal_everywhere"] is True
    assert ans["verdict"] == ("widest k = 8: raises success; raises at k = 4 and 8; every "
                              "width still below the optimal discriminator's; not monotone in k")
    ans = lv.width_answer([2, 4, 8], [c(0.1), c(0.3), c(0.5)], c(0.5))
    assert ans["monotone"] is True and ans["vs_optimal"] == "same"
    assert ans["verdict"] == "widest k = 8: raises success; raises at k = 4 and 8"
    ans = lv.width_answer([2, 16], [c(0.3), c(0.1)], c(1.0))
    assert ans["effect"] == ans["widest"] == "lowers success" and ans["lowers_at"] == [16]
    # a single width (the paper profile: widths=[2]) cannot be compared with itself
    for widths, cells in (([2], [c(0.07)]), ([1, 2], [c(0.0), c(0.07)])):
        ans = lv.width_answer(widths, cells, c(1.0))
        assert ans["verdict"] == ans["effect"] == ans["widest"] == lv.NOT_TESTED
        assert ans["best_k"] is None and ans["base_rate"] == pytest.approx(0.07)


def _varied(base, shift):
    """90 per-cell rates with cell effects around ``base``, shifted by ``shift`` in every cell
    (so the paired difference is exactly ``shift`` with standard error 0)."""
    return base + 0.04 * np.sin(np.arange(90)) + shift


def test_width_answer_is_symmetric_and_decided_at_the_widest():
    """The review's case (m2): one wider width a little higher, the others far lower. The old
    rule said 'raises success' because *any* wider width was higher; the decision is now the
    widest width's, and the verdict lists where success rises and where it falls."""
    base = 0.5
    cells = [_varied(base, 0), _varied(base, 0.06), _varied(base, -0.40), _varied(base, -0.45)]
    ans = lv.width_answer([2, 4, 8, 16], cells, np.ones(90))
    assert ans["effect"] == ans["widest"] == "lowers success"
    assert (ans["raises_at"], ans["lowers_at"]) == ([4], [8, 16])
    assert ans["best_k"] == 4  # described, but not what decides
    assert ans["verdict"] == ("widest k = 16: lowers success; raises at k = 4; lowers at "
                              "k = 8 and 16; not monotone in k")
    # the mirror image is decided the same way
    cells = [_varied(base, 0), _varied(base, -0.06), _varied(base, 0.30), _varied(base, 0.35)]
    ans = lv.width_answer([2, 4, 8, 16], cells, np.ones(90))
    assert ans["effect"] == "raises success"
    assert (ans["raises_at"], ans["lowers_at"]) == ([8, 16], [4])


def test_d_steps_answer_reports_every_d():
    c = lambda p: np.full(90, p)  # noqa: E731
    assert lv.d_steps_answer([1], [c(0.07)])["verdict"] == lv.NOT_TESTED
    ans = lv.d_steps_answer([5, 1, 2], [c(0.133), c(0.066), c(0.151)])
    assert [(r["d"], r["word"]) for r in ans["rows"]] == [
        (1, "(base)"), (2, "raises"), (5, "raises")]
    assert ans["best_d"] == 2 and ans["monotone"] is True  # 13.3% vs 15.1%: not significant
    assert ans["verdict"] == "most D steps d = 5: raises success; raises at d = 2 and 5"
    ans = lv.d_steps_answer([1, 2, 50], [c(0.1), c(0.3), c(0.2)])
    assert ans["verdict"] == ("most D steps d = 50: raises success; raises at d = 2 and 50; "
                              "not monotone in d")
    assert lv.d_steps_answer([1, 5], [c(0.3), c(0.1)])["rows"][1]["word"] == "lowers"
    assert lv.d_steps_answer([1, 5], [c(0.3), c(0.31)])["verdict"] == (
        "most D steps d = 5: no clear effect")


def test_d_steps_answer_is_symmetric():
    """The review's case (m2): d = 2 a little higher, d = 5 and 20 far lower. The old rule said
    'more D steps raise success (d = 2 vs 1)'."""
    cells = [_varied(0.5, 0), _varied(0.5, 0.06), _varied(0.5, -0.40), _varied(0.5, -0.40)]
    ans = lv.d_steps_answer([1, 2, 5, 20], cells)
    assert ans["effect"] == "lowers success" and ans["largest_d"] == 20
    assert (ans["raises_at"], ans["lowers_at"]) == ([2], [5, 20])
    assert "raise success (" not in ans["verdict"] and "lowers at d = 5 and 20" in ans["verdict"]


def test_example_summary_counts_merges_and_drift():
    steps = np.arange(6) * 10
    mu = np.array([[-1, 1], [0, 0.1], [-1, 1], [0, 0.05], [0.1, 0.1], [0.2, 0.2]], float)
    ends = np.tile([-1.0, -0.999, 0.5, 0.502], (6, 1))
    s = lv.example_summary(steps, mu, ends, 0.25)
    assert (s["merges"], s["separations"]) == (2, 1)
    assert s["max_gap_after_merge"] == 2.0 and s["max_gap_after_merge_step"] == 20
    assert s["last_apart_step"] == 20 and s["final_gap"] == 0.0
    assert s["final_length_min"] == pytest.approx(0.001)
    assert s["final_length_max"] == pytest.approx(0.002)
    assert s["mid_step"] == 30 and s["drift_second_half"] == pytest.approx(0.2)
    with pytest.raises(ParameterError, match="same number"):
        lv.example_summary(steps, mu[:3], ends, 0.25)


def test_settled_from_finds_the_last_change():
    steps = np.array([0, 10, 20, 30])
    codes = np.array([[0, 1, 2, 3], [0, 1, 1, 3], [0, 2, 1, 2], [0, 1, 1, 2]])  # (R, B)
    # run 0 never changes; run 1 is back at 1 at t=30 after 2 at t=20; run 2 is 1 from t=10;
    # run 3 goes 3, 3, 2, 2: settled from t=20
    np.testing.assert_array_equal(ex.settled_from(codes, steps), [0, 30, 10, 20])


def test_draws_are_shared_across_d_steps():
    cfg = profiles.settings("li2018", "smoke", T=1, grid=2, inits=2)
    a = ex.first_order_batch(cfg, 0, 2, 1)[1]
    b = ex.first_order_batch(cfg, 0, 2, 5)[1]
    c = ex.first_order_batch(cfg, 0, 4, 1)[1]
    torch.testing.assert_close(a, b, rtol=0, atol=0)
    assert c.shape[1] == 8 and ex.init_seed(0, 2) != ex.init_seed(0, 4)
    assert len(set(map(tuple, a.tolist()))) == len(a)  # each (cell, init) has its own draw


def test_suboptimality_is_zero_for_the_best_response():
    mu = torch.tensor([[-1.2, 0.1], [0.3, 1.5]], dtype=torch.float64)
    best = mx.optimal_intervals(mu, TARGET)
    tr = dy.first_order(mu, best, TARGET, 1e-12, 1e-12, 1, record_every=1)
    np.testing.assert_allclose(tr.suboptimality(), 0.0, atol=1e-10)
    other = dy.first_order(mu, torch.tensor([[-3.0, -2.0, 2.0, 3.0]] * 2, dtype=torch.float64),
                           TARGET, 1e-12, 1e-12, 1, record_every=1)
    assert (other.suboptimality() > 1e-3).all()
    with pytest.raises(ParameterError, match="no losses"):
        dy.first_order(mu, best, TARGET, 0.1, 0.1, 1).suboptimality()


@pytest.mark.parametrize("order", dy.ORDERS)
def test_loss_at_step_T_is_after_the_d_only_steps_like_every_other_record(order):
    # The loss recorded at t is the loss under D after its d_steps - 1 ascent steps. A run of
    # T steps must record at T what a run of T + 1 steps records at T, and end in the same state
    # as the first T steps of the longer run (the D-only steps at T act on a copy).
    mu, ends = _random_state(B=4, k=2, seed=3)
    T = 7
    short = dy.first_order(mu, ends, TARGET, 0.05, 0.2, T, d_steps=3, record_every=1,
                           order=order)
    longer = dy.first_order(mu, ends, TARGET, 0.05, 0.2, T + 1, d_steps=3, record_every=1,
                            order=order)
    torch.testing.assert_close(short.loss_path[T], longer.loss_path[T], rtol=0, atol=0)
    torch.testing.assert_close(short.ends, longer.ends_path[T], rtol=0, atol=0)
    assert not torch.equal(short.loss_path[T], mx.loss(short.mu, short.ends, TARGET))


def test_clip_keeps_met_endpoints_glued_where_sort_flips_them():
    # G_mu > G* around x = 1.5 (generator means at 1.5, targets at -0.5, 0.5): an interval
    # there shrinks; sorting leaves a small flipping width, clipping a width of exactly 0.
    mu = torch.tensor([[1.5, 1.6]], dtype=torch.float64)
    ends = torch.tensor([[-9.0, -8.0, 1.49, 1.51]], dtype=torch.float64)
    srt = dy.first_order(mu, ends, TARGET, 1e-9, 0.1, 50)
    clp = dy.first_order(mu, ends, TARGET, 1e-9, 0.1, 50, order="clip")
    assert float(clp.ends[0, 3] - clp.ends[0, 2]) == 0.0
    assert float(srt.ends[0, 3] - srt.ends[0, 2]) > 0.0
    assert (clp.ends.diff(dim=1) >= 0).all() and (srt.ends.diff(dim=1) >= 0).all()
    with pytest.raises(ParameterError, match="order='bad'"):
        dy.first_order(mu, ends, TARGET, 0.1, 0.1, 1, order="bad")


def _cells(*values):
    return np.array(values, dtype=float)


def test_compare_starts_is_paired_over_starts():
    a = np.linspace(0.0, 0.5, 45)  # strong start effects: 0% to 50%
    assert lv.compare_starts(a, a + 0.06) == "higher"  # the same shift at every start
    assert lv.compare_starts(a + 0.06, a) == "lower"
    assert lv.compare_starts(a, a + 0.03) == "same"  # below MIN_DIFF
    # +6 points on average, carried by a third of the starts: 1,800 independent runs would
    # call it higher (binomial 2 SE ~ 3 points); paired over the 45 starts it is noise.
    base = np.full(45, 0.5)
    b = np.r_[np.full(15, 1.0), np.full(30, 0.34)]
    diff, se = lv.paired_difference(base, b)
    assert diff == pytest.approx(0.06) and 2 * se > diff
    assert lv.compare_starts(base, b) == "same"
    assert lv.start_se(_cells(0.2, 0.2, 0.2)) == pytest.approx(0.0, abs=1e-15)
    with pytest.raises(ParameterError, match="same starts"):
        lv.paired_difference(a, a[:-1])
    with pytest.raises(ParameterError, match="outside"):
        lv.compare_starts(a, a + 0.6)


def test_starts_pool_a_cell_and_its_mirror():
    """Cells (i, j) and (j, i) are one start: a start's rate is their mean, the mean over
    starts is the mean over separated cells, and the standard error is clustered by start.
    Clustered by cell, a map whose mirrors agree would count each start twice and give a
    standard error about 1/sqrt(2) of the right one."""
    rng = np.random.default_rng(0)
    G = 10
    upper = np.triu(rng.uniform(0, 1, (G, G)), 1)
    m = upper + upper.T  # every start has the same rate in both orders
    v = lv.start_vector(m)
    assert v.shape == (lv.distinct_starts(G),)
    assert np.array_equal(v, m[np.triu_indices(G, 1)])
    assert v.mean() == pytest.approx(lv.cell_vector(m).mean())
    by_cell = lv.cell_vector(m).std(ddof=1) / np.sqrt(G * (G - 1))
    assert lv.start_se(v) / by_cell == pytest.approx(np.sqrt(2), rel=0.02)
    # which of the two cells carries a start's successes does not matter
    lower = np.tril(m)
    assert np.allclose(lv.start_vector(lower), lv.start_vector(m) / 2)
    assert np.allclose(lv.start_vector(lower), lv.start_vector(lower.T))


def test_persistent_needs_the_outcome_held_over_the_last_fifth():
    codes = np.array([1, 1, 2, 0])
    settled = np.array([0, 2500, 2400, 0])
    assert lv.persistent(codes, settled, 1, 3000).tolist() == [True, False, False, False]
    assert lv.persistent(codes, settled, 2, 3000).tolist() == [False, False, True, False]
    assert lv.persistent(codes, settled, 1, 3000, frac=0.1).tolist() == [True, True, False,
                                                                         False]


def test_verdicts_need_lower_success_and_lasting_shares_of_both_modes():
    opt, fo = np.ones(90), np.full(90, 0.1)
    s = lv.MIN_SHARE
    assert lv.verdict_first_order(fo, opt, 0.5, s) == "reproduced"
    assert lv.verdict_first_order(fo, opt, 0.5, s - 0.01) == "partly reproduced"
    assert lv.verdict_first_order(fo, opt, s - 0.01, s - 0.01) == "not reproduced"
    assert lv.verdict_first_order(np.full(90, 0.98), opt, 0.5, 0.5) == "not reproduced"
    # the claim is 'fail where the optimal discriminator succeeds' (review m3): first-order
    # success 0 against an optimal 6% is lower, and both modes are common, but the optimal
    # discriminator does not succeed, so the claim is not reproduced
    assert lv.verdict_first_order(np.zeros(90), np.full(90, 0.06), 0.5, 0.5) == (
        "not reproduced")
    assert lv.verdict_first_order(fo, opt, 0.5, 0.5, optimal="partly reproduced") == (
        "partly reproduced")
    assert lv.verdict_first_order(fo, opt, 0.5, 0.5, optimal="not reproduced") == (
        "not reproduced")
    with pytest.raises(ParameterError, match="verdict_optimal"):
        lv.verdict_first_order(fo, opt, 0.5, 0.5, optimal="yes")
    assert lv.verdict_optimal(1.0, 90) == "reproduced"
    assert lv.verdict_optimal(0.95, 90) == "partly reproduced"
    assert lv.verdict_optimal(0.5, 90) == "not reproduced"


def test_shortfall_share():
    out = lv.shortfall_share(np.array([0.1, 0.05]), np.array([0.1, 0.05]))
    assert out["recovers_little"] and out["min"] == out["max"] == 1.0
    out = lv.shortfall_share(np.array([0.1, 0.02]), np.array([0.1, 0.05]))
    assert not out["recovers_little"] and out["min"] == pytest.approx(0.4)
    with pytest.raises(ParameterError, match="positive"):
        lv.shortfall_share(np.array([0.1]), np.array([0.0]))


def test_start_in_tolerance_and_late_mean():
    x = np.linspace(-1, 1, 10)
    mask = lv.start_in_tolerance(x, np.array([-0.5, 0.5]), 0.1)
    assert np.argwhere(mask).tolist() == [[2, 7], [7, 2]]  # (-0.56, 0.56) and (0.56, -0.56)
    steps = np.array([0, 10, 20, 30, 40])
    curves = np.array([[1.0, 2.0, 3.0, 4.0, 5.0]])
    assert lv.late_mean(steps, curves).tolist() == [4.0]  # t >= 20


def _synthetic_study(G=4, n=10, T=1000, settled_fo=0):
    """A study dict in li2018_study's layout: the optimal dynamics succeed everywhere off the
    diagonal; first-order runs end merged (half) or degenerate (half) since ``settled_fo``."""
    codes = np.where(np.arange(n) % 2 == 0, dy.MERGED, dy.DEGENERATE)
    fo_codes = np.broadcast_to(codes, (1, G, G, n)).copy()
    return {"steps": np.array([0, T // 2, T]), "k": np.array([2]), "d_steps": np.array([1]),
            "grid_x": np.linspace(-1, 1, G), "targets": np.array([-0.5, 0.5]),
            "opt_codes": np.where(np.eye(G, dtype=bool), dy.MERGED, dy.SUCCESS),
            "opt_settled": np.zeros((G, G), dtype=int), "fo_codes": fo_codes,
            "fo_settled": np.full((1, G, G, n), settled_fo),
            "fo_cell_success": np.zeros((1, G, G))}


def test_claim_check_passes_and_fails():
    ok, why = lv.claim_check(_synthetic_study())
    assert ok and "merged 50.0%" in why and "6 distinct separated grid starts" in why
    ok, why = lv.claim_check(_synthetic_study(settled_fo=1000))  # both modes only at T
    assert not ok and "not reproduced" in why
    v = lv.study_verdicts(_synthetic_study())
    assert v["width"] is None or v["width"]["verdict"] == lv.NOT_TESTED
    assert v["d_steps"]["verdict"] == lv.NOT_TESTED


def test_verdict_outcome_codes_are_the_dynamics_codes():
    """li_verdicts reads stored outcome codes without importing the dynamics (so a rule edit
    never marks the li2018 record stale); the two must agree."""
    from overgan_lib.related import dynamics
    from overgan_lib.related.li_verdicts import starts as li_verdicts

    assert (li_verdicts._SUCCESS, li_verdicts._MERGED, li_verdicts._DEGENERATE) == (
        dynamics.SUCCESS, dynamics.MERGED, dynamics.DEGENERATE)
    assert li_verdicts._MERGE_FRAC == dynamics.MERGE_FRAC


def test_first_order_failure_must_be_substantial():
    """93% first-order success with 5% merged and 5% degenerate is significantly lower than the
    optimal 100% but is no failure of first-order steps: at most partly reproduced."""
    opt, s = np.ones(90), lv.MIN_SHARE
    assert lv.verdict_first_order(np.full(90, 0.93), opt, s, s) == "partly reproduced"
    assert not lv.substantial(np.full(90, 0.93), opt)
    assert lv.substantial(np.full(90, 0.49), opt) and not lv.substantial(np.full(90, 0.5), opt)
    assert lv.verdict_first_order(np.full(90, 0.4), opt, s, s) == "reproduced"


def _static_study(G=10, n=4, T=1000):
    """First-order runs that never move (no dynamics): a start closer than the merge threshold
    (0.25 for targets -0.5, 0.5; grid spacing 0.222) is 'merged' from t = 0, the rest 'other'."""
    x = np.linspace(-1, 1, G)
    close = np.abs(x[:, None] - x[None, :]) < dy.MERGE_FRAC * 1.0
    codes = np.where(close[..., None], dy.MERGED, dy.OTHER) * np.ones((G, G, n), dtype=int)
    return {"steps": np.array([0, T]), "k": np.array([2]), "d_steps": np.array([1]),
            "grid_x": x, "targets": np.array([-0.5, 0.5]),
            "opt_codes": np.where(np.eye(G, dtype=bool), dy.MERGED, dy.SUCCESS),
            "opt_settled": np.zeros((G, G), dtype=int), "fo_codes": codes[None],
            "fo_settled": np.zeros((1, G, G, n), dtype=int), "fo_cell_success": np.zeros((1, G, G))}


def test_means_merged_from_the_start_are_not_a_failure_of_the_dynamics():
    R = _static_study()
    mask = lv.merge_possible(R["grid_x"], R["targets"], 4)
    assert (~mask[..., 0] & lv.separated_mask(10)).sum() == 18  # 18 separated cells start merged
    v = lv.study_verdicts(R)
    assert v["persistent"]["merged"] == 0.0 and v["merged_at_start"] == 18 * 4
    assert v["first_order"] == "not reproduced"  # was 'partly reproduced' (20% 'merged')


def test_mirror_cells_are_one_start():
    m = np.array([[0.0, 0.2, 0.4], [0.0, 0.0, 0.6], [0.2, 0.2, 0.0]])
    pooled = lv.pooled_cells(m)
    assert np.allclose(pooled, pooled.T) and pooled[0, 1] == pytest.approx(0.1)
    assert lv.distinct_starts(10) == 45 and lv.distinct_starts(3) == 3
    assert lv.mirror_correlation(m + m.T) == pytest.approx(1.0)
    assert np.isnan(lv.mirror_correlation(np.zeros((3, 3))))
    with pytest.raises(ParameterError, match="(2, 3)"):
        lv.pooled_cells(np.zeros((2, 3)))


def test_spread_ratio_is_one_for_binomial_noise():
    rng = np.random.default_rng(0)
    cells = rng.binomial(20, 0.3, size=(40, 40)) / 20
    assert lv.spread_ratio(cells, 20) == pytest.approx(1.0, abs=0.05)
    split = np.where(np.arange(40)[:, None] < 20, 0.05, 0.6) * np.ones((40, 40))
    assert lv.spread_ratio(split, 20) > 2  # cell effects: half the starts rarely succeed
    assert np.isnan(lv.spread_ratio(np.zeros((3, 3)), 20))
    with pytest.raises(ParameterError, match="draws=0"):
        lv.spread_ratio(cells, 0)


def test_spread_null_places_the_ratio_in_simulated_binomial_noise():
    rng = np.random.default_rng(1)
    noise = rng.binomial(20, 0.3, size=(10, 10)) / 20
    null = lv.spread_null(noise, 20, sims=4000)
    assert null["cells"] == 90
    assert null["rate"] == pytest.approx(noise[~np.eye(10, dtype=bool)].mean())
    assert 1.0 < null["q95"] < null["q99"] < 1.4
    assert lv.spread_null(noise, 20, sims=4000) == null  # seeded
    split = np.where(np.arange(10)[:, None] < 5, 0.05, 0.6) * np.ones((10, 10))
    far = lv.spread_null(split, 20, sims=4000)
    assert far["ratio"] > far["q99"] and far["p"] == pytest.approx(1 / 4001)
    assert lv.spread_words(far) == "well above pure binomial noise (beyond its 99th percentile)"
    mid = dict(far, ratio=(far["q95"] + far["q99"]) / 2)
    assert lv.spread_words(mid).startswith("above pure binomial noise")
    low = dict(far, ratio=far["q95"])
    assert lv.spread_words(low).startswith("within the range of pure binomial noise")
    # a mask keeps only those cells: the high rows alone vary by noise only
    rows = np.zeros((10, 10), dtype=bool)
    rows[5:] = True
    assert lv.spread_null(split, 20, cells=rows, sims=500)["ratio"] == pytest.approx(0.0, abs=1e-9)
    assert np.isnan(lv.spread_null(np.zeros((3, 3)), 20)["ratio"])
    assert lv.spread_words(lv.spread_null(np.zeros((3, 3)), 20)).startswith("not defined")
    with pytest.raises(ParameterError, match="draws=0"):
        lv.spread_null(noise, 0)


def test_best_starts_compares_counts_so_float_ties_are_not_split():
    m = np.zeros((4, 4))
    m[0, 2], m[2, 0] = 0.2, 0.1   # 6 of 40 draws (pooled)
    m[1, 3], m[3, 1] = 0.15, 0.15  # 6 of 40
    m[0, 1], m[1, 0] = 0.05, 0.0
    assert (m + m.T)[0, 2] / 2 != (m + m.T)[1, 3] / 2  # floats would split this tie
    b = lv.best_starts(m, 20)
    assert b == {"successes": 6, "rate": 0.15, "ties": 2, "first": (0, 2)}
    m[2, 3] = 0.5
    assert lv.best_starts(m, 20) == {"successes": 10, "rate": 0.25, "ties": 1, "first": (2, 3)}
    with pytest.raises(ParameterError, match="whole counts"):
        lv.best_starts(m + 0.01, 20)
    with pytest.raises(ParameterError, match="draws=0"):
        lv.best_starts(m, 0)


def test_multiplicity_counts_comparisons_and_what_bonferroni_drops():
    one = [("a", 0.06, 0.025)]  # z = 2.4: counts at z = 2
    m = lv.multiplicity(one)
    assert m["n"] == 1 and m["z_bonferroni"] == pytest.approx(lv.Z) and m["lost"] == []
    many = one + [(f"x{i}", 0.0, 0.01) for i in range(19)]
    m = lv.multiplicity(many)
    assert m["n"] == 20 and 3.0 < m["z_bonferroni"] < 3.1  # Phi^-1(1 - 0.02275 / 20)
    assert m["counted"] == ["a"] and m["lost"] == ["a"]
    assert lv.multiplicity([("big", 0.3, 0.01)] * 20)["lost"] == []
    with pytest.raises(ParameterError, match="no comparisons"):
        lv.multiplicity([])


def test_rule_comparisons_list_each_pair_once():
    assert [c[0] for c in lv.rule_comparisons(_synthetic_study())] == ["k=2 vs optimal"]
    R = _synthetic_study(G=3)
    R["k"], R["d_steps"] = np.array([2, 4, 8, 2, 2]), np.array([1, 1, 1, 5, 20])
    R["fo_cell_success"] = np.stack([np.full((3, 3), p) for p in (0.1, 0.2, 0.3, 0.1, 0.4)])
    labels = [c[0] for c in lv.rule_comparisons(R)]
    assert labels == ["k=2 vs optimal", "k=4 vs k=2", "k=8 vs k=2", "k=4 vs optimal",
                      "k=8 vs optimal", "k=8 vs k=4", "d=5 vs d=1", "d=20 vs d=1",
                      "d=20 vs d=5"]
    assert dict((c[0], c[1]) for c in lv.rule_comparisons(R))["d=20 vs d=5"] == (
        pytest.approx(0.3))
