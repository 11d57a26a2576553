"""The training package's split: run identity, graphed engine vs eager, several runs per
process, kept generators, payloads written by the driver, sweep registry and verdicts."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from overgan_lib import data, sweep
from overgan_lib.errors import ParameterError
from overgan_lib.images import save_grid
from overgan_lib.store import Record
from overgan_lib.sweep import executors
from overgan_lib.train import (
    BatchStream,
    Engine,
    GraphedEngine,
    RunOptions,
    TrainConfig,
    load_generator,
    sample,
    store_payload,
    train,
    train_many,
)
from tests.conftest import train_images

REPO = Path(__file__).resolve().parent.parent
TINY = dict(k_g=16, k_d=16, iters=12, eval_n=16, fid_test=False)
OPTS = RunOptions(log_every=4, ckpt_every=4)


@pytest.fixture
def tf32_off():
    """TF32 off and cuDNN deterministic (no benchmark autotuning) for the test's duration,
    the caller's settings restored afterwards: cuDNN's nondeterministic kernels made two
    identical DCGAN runs differ by 8.7e-4 on an H200."""
    from overgan_lib.metrics.fid import no_tf32

    cudnn = torch.backends.cudnn
    before = cudnn.deterministic, cudnn.benchmark
    cudnn.deterministic, cudnn.benchmark = True, False
    try:
        with no_tf32():
            yield
    finally:
        cudnn.deterministic, cudnn.benchmark = before


def cuda(test):
    """Marked ``cuda`` (``pytest -m cuda`` selects them on a GPU machine); skipped without."""
    skip = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
    return pytest.mark.cuda(skip(test))


def inception(test):
    """Marked ``inception``: computes an FID (needs pytorch-fid's Inception weights); the
    GPU session runs the cuda tests without it before the weights have arrived."""
    return pytest.mark.inception(test)


# ----------------------------------------------------------------------------- identity
def test_committed_run_key_is_pinned():
    """The key of a committed run (MNIST MLP k=16, seed 0, cpu): a change to what is
    hashed would orphan every committed result, so it has to show up here."""
    cfg = TrainConfig(dataset="mnist", arch="mlp", k_g=16, k_d=16, seed=0, iters=600,
                      eval_every=0, eval_n=500)
    assert cfg.key == "342cc4d8f2592ebc"
    doc = json.loads((REPO / "results/train/cpu/342cc4d8f2592ebc.json").read_text())
    assert TrainConfig.from_record(doc["config"]) == cfg


def test_run_options_do_not_change_the_key_and_are_validated():
    cfg = TrainConfig(**TINY)
    assert "log_every" not in cfg.record() and "device" not in cfg.record()
    with pytest.raises(ParameterError, match="log_every=5 is a run option"):
        TrainConfig.from_record({**cfg.record(), "log_every": 5})
    with pytest.raises(ParameterError, match="graphs=True needs device='cuda'"):
        RunOptions(device="cpu", graphs=True).use_graphs()
    for kw, msg in [({"log_every": 0}, "log_every=0"), ({"device": "tpu"}, "device='tpu'"),
                    ({"graphs": "yes"}, "graphs='yes'")]:
        with pytest.raises(ParameterError, match=msg):
            RunOptions(**kw)


# ----------------------------------------------------------------------------- engines
@pytest.mark.parametrize("arch,dataset", [("mlp", "mnist"), ("dcgan", "cifar10")])
def test_static_buffer_body_equals_eager_engine_bitwise(arch, dataset):
    """The graphed engine's body, run without capture on the CPU, is the eager engine:
    same batches (gathered by index, refilled every ``chunk`` iterations), same noise,
    same parameters after a few iterations, bit for bit."""
    cfg = TrainConfig(dataset=dataset, arch=arch, k_g=8, k_d=8, n_critic=2, batch_size=16)
    images = train_images(dataset, 256)
    eng = Engine(cfg)
    stream = BatchStream(images, cfg.batch_size, cfg.seed)
    static = GraphedEngine(cfg, images, "cpu", capture=False, chunk=2)
    for _ in range(5):  # crosses two index refills
        assert torch.equal(eng.iteration(stream), static.iteration())
    assert static.batches == stream.index
    for p, q in zip(eng.G.parameters(), static.G.parameters(), strict=True):
        assert torch.equal(p, q)
    for p, q in zip(eng.D.parameters(), static.D.parameters(), strict=True):
        assert torch.equal(p, q)


@pytest.mark.parametrize("arch,dataset", [("mlp", "mnist"), ("dcgan", "cifar10")])
def test_warm_up_is_undone_in_place_and_leaves_optimiser_state(arch, dataset):
    """What capture needs, checked on the CPU: after the warm-up the optimisers hold state
    (created outside the graph, so replays do not reset it), and the run continues exactly
    like a fresh eager engine, bit for bit."""
    cfg = TrainConfig(dataset=dataset, arch=arch, k_g=8, k_d=8, n_critic=2, batch_size=16)
    images = train_images(dataset, 256)
    eng = Engine(cfg)
    stream = BatchStream(images, cfg.batch_size, cfg.seed)
    static = GraphedEngine(cfg, images, "cpu", capture=False, chunk=2)
    assert not static.optimiser_state_ready()
    static.warm_up(3)
    assert static.optimiser_state_ready()
    for _ in range(4):
        assert torch.equal(eng.iteration(stream), static.iteration())
    for p, q in zip(eng.D.parameters(), static.D.parameters(), strict=True):
        assert torch.equal(p, q)


def test_sgda_counts_as_ready_for_capture():
    """Plain SGD (``sgda``) keeps no state between steps: capture must not wait for state
    that never comes (use_graphs picks graphs for sgda on cuda)."""
    cfg = TrainConfig(dataset="mnist", arch="mlp", k_g=8, k_d=8, n_critic=2, batch_size=16,
                      optimizer="sgda")
    static = GraphedEngine(cfg, train_images("mnist", 64), "cpu", capture=False)
    assert static.optimiser_state_ready()
    adam = GraphedEngine(dataclasses.replace(cfg, optimizer="adam"),
                         train_images("mnist", 64), "cpu", capture=False)
    assert not adam.optimiser_state_ready()  # Adam's state appears only after a step


def test_eager_checkpoint_loads_into_a_capturable_engine():
    """A checkpoint of the eager engine (Adam capturable=False) resumed in a graphed run:
    the loaded param_groups must stay capturable, else capture fails."""
    cfg = TrainConfig(dataset="mnist", arch="mlp", k_g=8, k_d=8, n_critic=2, batch_size=16)
    images = train_images("mnist", 64)
    eng = Engine(cfg)
    eng.iteration(BatchStream(images, cfg.batch_size, cfg.seed))
    saved = eng.state_dict()
    assert not any(g["capturable"] for g in saved["opt_d"]["param_groups"])
    graphed = GraphedEngine(cfg, images, "cpu", capture=True)  # (nothing captured on a CPU)
    graphed.load_state_dict(saved, batches=cfg.n_critic)
    for opt in (graphed.engine.opt_g, graphed.engine.opt_d):
        assert all(g["capturable"] for g in opt.param_groups)
    assert graphed.batches == cfg.n_critic


def test_many_runs_in_one_process_equal_separate_runs(isolated):
    """train_many (lock step, the GPU sweep path) gives each run exactly what train gives."""
    cfgs = [TrainConfig(**{**TINY, "k_g": 8, "k_d": 8, "seed": s}) for s in (0, 1)]
    together = train_many(cfgs, "smoke", OPTS, progress=False)
    for cfg, rec in zip(cfgs, together, strict=True):
        alone = train(cfg, "smoke", rerun=True, progress=False, options=OPTS)
        assert rec["final"] == alone["final"]
        for name, curve in alone["curves"].items():
            assert np.array_equal(curve, rec["curves"][name]), name


def test_kept_generator_reloads_exactly(isolated):
    cfg = TrainConfig(**TINY)
    rec = train(cfg, "smoke", progress=False, options=OPTS)
    ref = rec["weights"]
    path = isolated / "results" / "weights" / "smoke" / f"{ref['sha256'][:32]}.pt"
    assert path.stat().st_size == ref["bytes"]
    G = load_generator(rec)
    grid = np.asarray(Image.open(rec.path.with_suffix(".png")))
    save_grid(sample(G, 64, seed=20_000 + cfg.seed), isolated / "again.png")
    again = np.asarray(Image.open(isolated / "again.png"))
    assert np.array_equal(grid, again)  # the kept weights are the ones that made the grid
    path.write_bytes(path.read_bytes()[:-1] + b"x")
    with pytest.raises(data.DataError, match="does not match its hash"):
        load_generator(rec)
    path.unlink()
    with pytest.raises(data.DataError, match="is missing; run the sweep"):
        load_generator(rec)
    no_weights = train(TrainConfig(**{**TINY, "seed": 3}), "smoke", progress=False,
                       options=RunOptions(log_every=4, ckpt_every=4, keep_weights=False))
    assert "weights" not in no_weights.data
    with pytest.raises(data.DataError, match="kept no generator weights"):
        load_generator(no_weights)


def test_worker_payload_stored_by_the_driver_equals_a_local_run(isolated, monkeypatch):
    """What a cluster worker returns, written by the driver, is the run a local train
    stores; the provenance's device/host come from the worker, the git state from here."""
    cfg = TrainConfig(**TINY)
    rows = executors.compute_group([cfg.record()], "smoke", False, OPTS.record(), threads=1)
    assert rows[0]["status"] == "completed"
    payload = rows[0]["payload"]
    payload["worker"] = {**payload["worker"], "host": "worker-7"}
    rec = store_payload(payload, "smoke")
    assert rec.provenance["host"] == "worker-7" and "git_sha" in rec.provenance
    local = train(cfg, "smoke", rerun=True, progress=False, options=OPTS)
    assert local["final"] == rec["final"]
    assert local["weights"]["sha256"] == rec["weights"]["sha256"]




def test_tiny_sweep_on_ray_equals_local_executor(isolated):
    """`--executor ray` on a local Ray cluster with CPU workers gives the local executor's
    results bit for bit (both with one thread per run)."""
    ray = pytest.importorskip("ray")
    cfgs = sweep.grid("mnist", "mlp", [8], 2, **TINY_SWEEP)
    with sweep.RayExecutor(num_gpus=0, init_kwargs={"num_cpus": 2}) as ex:
        sweep.run_sweep(cfgs, "smoke", executor=ex, progress=False, options=OPTS)
    assert not ray.is_initialized()
    on_ray = sweep.records(cfgs, "smoke")
    local = [executors.compute_group([c.record()], "smoke", True, OPTS.record(), threads=1)[0]
             for c in cfgs]
    for r, row in zip(on_ray, local, strict=True):
        assert r["final"] == row["payload"]["result"]["final"]
        assert r["weights"]["sha256"] == hashlib.sha256(row["payload"]["weights"]).hexdigest()


TINY_SWEEP = dict(iters=8, eval_n=16, fid_test=False)


# ----------------------------------------------------------------------------- sweeps
def test_registry_names_one_side_sweeps_and_rejects_unknown():
    from overgan_lib import profiles

    cfg = profiles.settings("cifar10_resnet_d", "smoke")
    cfgs = sweep.experiment_configs("cifar10_resnet_d", cfg)
    assert {c.k_g for c in cfgs} == {cfg["fixed"]}
    assert sorted({c.k_d for c in cfgs}) == cfg["widths"]
    assert sweep.varied_side(cfgs) == "k_d"
    for name in sweep.sweeps():
        profiles.settings(name, "cpu")  # every named sweep has validated settings
    with pytest.raises(ParameterError, match="sweep='cifar100_dcgan' is unknown"):
        sweep.spec("cifar100_dcgan")


def _fake_records(cfgs, fid):
    return [Record("train", c.record(), {}, {"status": "completed", "message": "",
                                              "final": {"fid_train": fid(c)}, "evals": []},
                   Path("x")) for c in cfgs]


def test_width_matrix_keeps_one_cell_per_run_when_kg_differs_from_kd():
    cfgs = sweep.grid("cifar10", "resnet", [16], [0, 1], pairs=[(128, 16), (128, 32)])
    recs = _fake_records(cfgs, lambda c: c.k_d + c.seed / 10)
    k, F = sweep.width_matrix(cfgs, recs, "fid_train")
    assert k.tolist() == [16, 32]
    assert F.tolist() == [[16.0, 16.1], [32.0, 32.1]]
    product = sweep.grid("cifar10", "resnet", [16, 32], [0], k_d=[16, 32])  # both sides vary
    with pytest.raises(ParameterError, match="two runs share width"):
        sweep.width_matrix(product, _fake_records(product, lambda c: 1.0), "fid_train")


def test_verdicts_on_constructed_sweeps():
    k = np.array([8, 16, 32, 64, 128])
    falling = np.array([[90, 91], [70, 71], [50, 52], [40, 41], [40, 40.5]], float)
    assert sweep.improves_with_width(k, falling).outcome == "confirmed"
    assert sweep.improves_with_width(k, falling[::-1]).outcome == "contradicted"
    flat = np.full((5, 2), 60.0) + np.array([0, 3.0])
    assert sweep.improves_with_width(k, flat).outcome == "not reproduced at this budget"
    assert sweep.saturates_beyond(k, falling, 64).outcome == "confirmed"
    assert sweep.saturates_beyond(k, falling, 16).outcome == "contradicted"
    test = falling + np.array([[5, 5.5]] * 5)
    assert sweep.gap_does_not_grow(k, falling, test).outcome == "confirmed"
    growing = falling + np.linspace(1, 30, 5)[:, None]
    assert sweep.gap_does_not_grow(k, falling, growing).outcome == "contradicted"
    steps = np.array([50, 100, 150])
    # Fig. 5: wide runs lower throughout; "faster" is the half-life towards each run's own
    # final FID: the wide runs cover half their fall in ~37 iterations, the narrow in ~51
    fast = {8: (steps, np.array([[200, 150, 120], [210, 150, 125]])),
            128: (steps, np.array([[120, 80, 70], [118, 82, 71]]))}
    assert sweep.lower_throughout(fast).outcome == "confirmed"
    # a head start counts as much as a faster fall: the evidence gives the first evaluation
    assert ("At the first evaluation (iteration 50) the mean FID is already 205.0 at k=8 and "
            "119.0 at k=128") in sweep.lower_throughout(fast).evidence
    quick = {8: (steps, np.array([[200, 180, 160], [205, 185, 163]])),
             128: (steps, np.array([[200, 100, 50], [205, 98, 52]]))}
    faster = sweep.converges_faster(quick)
    assert faster.outcome == "confirmed" and "51 at k=8 → 37 at k=128" in faster.evidence
    assert sweep.converges_faster({8: quick[128], 128: quick[8]}).outcome == "contradicted"
    rising = {8: quick[8], 128: (steps, np.array([[200, 210, 220], [205, 98, 52]]))}
    assert "did not fall (counted as the slowest): 1 at k=128" in \
        sweep.converges_faster(rising).evidence
    far = sweep.converges_faster(quick, "Far: 300 above the floor.")
    assert far.outcome == "early-training trend in its direction (far from the data)"
    assert far.evidence.endswith("floor.")
    assert sweep.converges_faster({}).outcome == "not testable at this profile"
    two_evals = {k: (steps[:2], c[:, :2]) for k, (_, c) in fast.items()}
    verdict = sweep.converges_faster(two_evals)  # a clear difference, but no rate to judge
    assert verdict.outcome == "not testable at this profile"
    assert "needs at least 3" in verdict.evidence
    assert sweep.time_to_reach(steps, np.array([200.0, 150, 120]), 135.0) == (125.0, "")
    # stability is judged on divergence only; FID rises are reported
    calm = sweep.more_stable(fast)
    assert calm.outcome == "not testable at this profile"
    assert "No run diverged" in calm.evidence and "reported, not judged" in calm.evidence
    three = {8: (steps, np.vstack([fast[8][1], [[205, 150, 122]]])),
             32: (steps, np.vstack([fast[128][1], [[119, 81, 70]]])),
             128: (steps, np.vstack([fast[128][1], [[119, 81, 70]]]))}
    shaky = sweep.more_stable(three, lost={8: 5})
    assert shaky.outcome == "confirmed" and "5 of 8 at k=8" in shaky.evidence
    assert sweep.more_stable(three, lost={128: 5}).outcome == "contradicted"
    # a diverged run is the worst of all in the rank test, and named in the evidence
    lost = sweep.lower_throughout(three, lost={128: 1})
    assert "Diverged: 1 of 4 runs at k=128." in lost.evidence and "over 10 runs" in lost.evidence
    up = falling.copy()
    up[-1] += 3  # a rise of 2.75, within the practical margin of 4.05 at k=64
    assert sweep.uptick_between(k, up, 64, 128).outcome == "confirmed"
    big = falling.copy()
    big[-1] += 10  # shown beyond the margin: a rise, but not a marginal one
    assert sweep.uptick_between(k, big, 64, 128).outcome == "not reproduced at this budget"
    # neither direction: the paper gives the uptick no size, so the data cannot tell
    flat_up = sweep.uptick_between(k, falling, 64, 128)
    assert flat_up.outcome == "inconclusive at this budget (the data cannot tell)"
    assert "4 times in 5" in flat_up.evidence
    down = falling.copy()
    down[-1] -= 10
    assert sweep.uptick_between(k, down, 64, 128).outcome == "contradicted"
    # a claim about converged models: far above the data's floor it is not judged
    far_up = sweep.uptick_between(k, up, 64, 128, floor=-100.0)
    assert far_up.outcome == "not testable at this profile" and "floor" in far_up.evidence
    assert sweep.uptick_between(k, up, 64, 128, floor=0.0).outcome == "confirmed"
    # judged on the FIDs given (chapters pass FID test), far from the data by F_far
    test_up = sweep.uptick_between(k, up + 5.0, 64, 128, label="Mean FID test", F_far=up)
    assert test_up.outcome == "confirmed" and test_up.evidence.startswith("Mean FID test ")
    assert sweep.uptick_between(k, up + 5.0, 64, 128, floor=0.0, F_far=up + 200.0
                                ).outcome == "not testable at this profile"  # far by F_far
    unscored = sweep.uptick_between(k, np.full_like(up, np.nan), 64, 128, label="Mean FID test")
    assert unscored.outcome == "not testable at this profile"
    assert unscored.evidence == "FID test was not computed at this profile."
    # Fig. 3's possible cause: the per-seed gaps (test - train) at 128 against those at 64
    noise = np.array([[0.3, -0.2], [0.1, 0.2], [-0.3, 0.1], [0.2, -0.1], [-0.2, 0.3]])
    even = falling + 1.0 + noise  # a gap of about 1 at every width
    grown = even.copy()
    grown[-1] += [5.0, 6.0]  # the gap grows at k=128
    grows = sweep.gap_grows_between(k, falling, grown, 64, 128)
    assert grows.outcome == "confirmed" and "for grows" in grows.evidence
    assert sweep.gap_grows_between(k, falling, even, 64, 128).outcome.startswith("inconclusive")
    shrinks = even.copy()
    shrinks[-2] += [5.0, 6.0]  # larger at k=64
    assert sweep.gap_grows_between(k, falling, shrinks, 64, 128).outcome == "contradicted"
    far_gap = sweep.gap_grows_between(k, falling, grown, 64, 128, floor=-100.0)
    assert far_gap.outcome == "not testable at this profile" and "floor" in far_gap.evidence
    assert "not both" in sweep.gap_grows_between(k, falling, grown, 64, 4096).evidence
    untested = sweep.gap_grows_between(k, falling, np.full_like(falling, np.nan), 64, 128)
    assert "FID test was not computed" in untested.evidence
    one_seed = falling[:, :1]  # a clear drop, but no spread to judge it by
    assert sweep.improves_with_width(k, one_seed).outcome == "not testable at this profile"
    for verdict in (sweep.saturates_beyond(k, one_seed, 64),
                    sweep.gap_does_not_grow(k, one_seed, one_seed + 50),
                    sweep.converges_faster({8: (steps, fast[8][1][:1]),
                                            128: (steps, fast[128][1][:1])}),
                    sweep.lower_throughout({8: (steps, fast[8][1][:1]),
                                            128: (steps, fast[128][1][:1])})):
        assert verdict.outcome == "not testable at this profile", verdict
    missing = sweep.uptick_between(k[:1], falling[:1], 64, 128)  # neither width in the sweep
    assert missing.outcome == "not testable at this profile" and "not both" in missing.evidence
    # the paper's pair, not the two widest: a sweep ending at 4096 still compares 64 -> 128
    wider = np.vstack([up, up[-1:] - 30])
    assert sweep.uptick_between(np.append(k, 256), wider, 64, 128).outcome == "confirmed"
    assert "One seed per width" in sweep.improves_with_width(k, one_seed).evidence
    # The rank test is exact for a few runs: a perfect ranking of 4 distinct values has
    # one-sided p = 1/24, of 8 has 1/8!.
    assert sweep.rank_trend(np.array([1, 2, 3, 4]), np.array([[4.0], [3], [2], [1]]))[1] == \
        pytest.approx(1 / 24)
    assert sweep.rank_trend(np.arange(8), -np.arange(8.0)[:, None])[1] == pytest.approx(1 / 40320)
    # A drop of about 1.5 seed SDs (Welch one-sided p ~ 0.1 with three seeds) is not enough.
    weak = np.array([[405, 425, 445], [380, 400, 420]], float)
    assert sweep.welch_greater(weak[0], weak[1]) > 0.05
    assert sweep.improves_with_width(k[[0, -1]], weak).outcome == \
        "not reproduced at this budget"
    # Far from the data (best FID 230 above the floor): converged-model claims are not
    # testable, and a trend's outcome says where it was measured. The gate is a difference:
    # the same models 30 above a floor of 10 are close (a ratio of 4 would not be).
    distant = falling + 200
    for verdict in (sweep.saturates_beyond(k, distant, 64, floor=10.0),
                    sweep.gap_does_not_grow(k, distant, test + 200, floor=10.0)):
        assert verdict.outcome == "not testable at this profile"
        assert "far from the data" in verdict.evidence
    far = sweep.improves_with_width(k, distant, floor=10.0)
    assert far.outcome == "early-training trend in its direction (far from the data)"
    assert "230 above the data" in far.evidence
    assert sweep.improves_with_width(k, falling, floor=10.0).outcome == "confirmed"
    two = sweep.improves_with_width(k[[0, -1]], falling[[0, -1]])
    assert two.outcome == "confirmed" and "two widths only" in two.evidence
    negative = sweep.gap_does_not_grow(k, distant, distant - 1.0, floor=10.0)
    assert "FID test below FID train in 10 of 10 runs" in negative.evidence
    assert sweep.fmt_p(0.0502) == "0.0502" and sweep.fmt_p(0.5) == "0.5"
    assert sweep.gap_does_not_grow(k, falling, test, floor=30.0).outcome == "confirmed"
    # Fig. 7: widening one side beyond the other's fixed width costs a little FID.
    kd = np.array([16, 32, 64])
    bump = np.array([[60, 61, 62], [50, 51, 52], [55, 56, 57]], float)
    assert sweep.worse_beyond_fixed(kd, bump, 32).outcome == "confirmed"
    assert sweep.worse_beyond_fixed(kd, bump[[0, 1, 1]] - [[0], [0], [5]], 32).outcome == \
        "contradicted"
    assert sweep.worse_beyond_fixed(kd, bump, 128).outcome == "not testable at this profile"


def test_converges_faster_finds_a_faster_width_at_the_same_final_fid():
    """Paper-like curves (evaluations every 10k to 300k, no evaluation at 0): both widths
    approach FID 30, the wide one six times faster. A log-factor from the first evaluation
    called the wide one slower (it has little left to fall), a time to a common FID target
    called a width with a lower plateau faster; the half-life towards each run's own final
    FID does neither."""
    rng = np.random.default_rng(0)
    t = np.arange(10_000, 300_001, 10_000)

    def runs(tau: float, level: float = 30.0) -> np.ndarray:
        return level + 200 * np.exp(-t / tau) + rng.normal(0, 0.3, (5, t.size))

    curves = {8: (t, runs(60_000)), 128: (t, runs(10_000))}
    assert sweep.converges_faster(curves).outcome == "confirmed"
    assert sweep.converges_faster({8: curves[128], 128: curves[8]}).outcome == "contradicted"
    # a plateau one point lower at the same speed is not a faster convergence ...
    level = {8: (t, runs(20_000)), 128: (t, runs(20_000, level=29.0))}
    assert sweep.converges_faster(level).outcome == "not reproduced at this budget"
    assert sweep.lower_throughout(level).outcome == "confirmed"
    # ... and a much lower but twice slower wide width converges slower
    slow = {8: (t, runs(20_000)), 128: (t, runs(40_000, level=15.0))}
    assert sweep.converges_faster(slow).outcome == "contradicted"


def test_a_run_that_dips_and_comes_back_is_not_the_fastest():
    """Review 4, finding 2: the half-life towards a run's own final FID called a run that
    fell and rebounded (100 -> 60 -> 95) the fastest of all, so a wide width whose runs are
    unstable in just that way was "converging faster"."""
    steps = np.array([1000, 2000, 3000])
    smooth = np.array([[100.0, 70, 40], [101, 71, 41], [99, 69, 39]])
    curves = {k: (steps, smooth + 0.1 * i) for i, k in enumerate((16, 32, 64, 128))}
    curves[256] = (steps, np.array([[100.0, 60, 95], [101, 61, 96], [99, 59, 94]]))
    v = sweep.converges_faster(curves)
    assert v.outcome != "confirmed", v
    assert "came back up by 25% of that fall or more (counted as the slowest): " \
           "3 at k=256" in v.evidence
    half_life = sweep.summary.rate.half_life
    assert half_life(steps, np.array([100.0, 60, 95]))[1] == "rebounded"
    # a small rise at the end (a tenth of the fall) is still a fall
    assert half_life(steps, np.array([100.0, 60, 64]))[1] == "fell"
    # second review: noisy but converged paper-scale curves (30 evaluations, noise sd 1 and 2
    # on a plateau of 15-30) are not "rebounded" because one evaluation dipped low
    rng = np.random.default_rng(0)
    t = np.arange(10_000, 300_001, 10_000)
    for level, sd in ((30.0, 1.0), (15.0, 2.0)):
        runs = level + 150 * np.exp(-t / 30_000) + rng.normal(0, sd, (200, t.size))
        rebounded = sum(half_life(t, r)[1] == "rebounded" for r in runs)
        assert rebounded < 10, (level, sd, rebounded)  # the first rule: 3% and 99%


def test_rank_test_is_a_permutation_test_beyond_the_exact_range():
    """Nine runs on three tied widths (the reviewer's case): SciPy's approximation gave
    0.0338 where enumerating all 9! permutations gives 0.0446; the seeded Monte-Carlo
    p-value is within three standard errors of the exact one, and the same every call."""
    from itertools import permutations

    from scipy import stats

    from overgan_lib.sweep.significance import EXACT_UP_TO, PERMUTATIONS

    k = np.array([16, 32, 64])
    F = np.array([[310, 300, 313], [330, 290, 335], [350, 340, 384]], float)
    assert F.size > EXACT_UP_TO
    rho, p_fall, p_rise = sweep.rank_trend(k, F)
    x = stats.rankdata(np.repeat(k, 3).astype(float))
    y = stats.rankdata(F.reshape(-1))
    perms = np.array(list(permutations(y)))
    pc, xc = perms - perms.mean(1, keepdims=True), x - x.mean()
    null = (pc @ xc) / (np.linalg.norm(pc, axis=1) * np.linalg.norm(xc))
    exact = float(np.mean(null >= rho - 1e-12))
    approx = float(stats.spearmanr(x, y).pvalue) / 2
    assert abs(p_rise - exact) < 3 * np.sqrt(exact * (1 - exact) / PERMUTATIONS)
    assert abs(approx - exact) > 10 * abs(p_rise - exact)  # what the permutations fix
    assert sweep.rank_trend(k, F) == (rho, p_fall, p_rise)


def test_diverged_runs_are_named_and_ranked_worst():
    """A diverged run has no final FID: the evidence names it, and the rank test counts it
    as the worst run (two of three narrow runs lost make the fall stronger, not weaker)."""
    k = np.array([8, 16, 32])
    F = np.array([[90, np.nan, np.nan], [80, 81, 82], [70, 71, 72]], float)
    lost = np.isnan(F)
    v = sweep.improves_with_width(k, F, lost=lost)
    assert v.outcome == "not testable at this profile"  # one finite narrow run: no Welch
    assert "Diverged: 2 of 3 runs at k=8." in v.evidence and "did not diverge" in v.evidence
    F2 = np.array([[90, 91, np.nan], [80, 81, 82], [70, 71, 72]], float)
    with_lost = sweep.rank_trend(k, np.where(np.isnan(F2), np.inf, F2))
    without = sweep.rank_trend(k, F2)
    assert with_lost[1] < without[1]  # the lost run ranks worst, as a narrow run should
    assert "over 9 runs" in sweep.improves_with_width(k, F2, lost=np.isnan(F2)).evidence
    assert "over 8 runs" in sweep.improves_with_width(k, F2).evidence
    # every narrow run diverged: no FID to compare; divergence is the stability rule's
    k4 = np.array([8, 16, 32, 64])
    F4 = np.array([[np.nan] * 3, [80, 81, 82], [70, 71, 72], [60, 61, 62]], float)
    v4 = sweep.improves_with_width(k4, F4, lost=np.isnan(F4))
    assert v4.outcome == "not testable at this profile" and "stability rule" in v4.evidence
    assert "none (no run finished) at k=8" in v4.evidence


def test_converged_model_rules_use_sample_spreads_per_width():
    """Saturation reads only k = 64 and wider (no gain beyond it), each width with its own
    spread (ddof=1): a scattered narrow width does not matter, a scattered wider one leaves
    the data unable to tell."""
    k = np.array([8, 16, 64, 128])
    F = np.array([[90, 91, 92], [60, 45, 80], [50, 51, 50.5], [50.2, 50.8, 50.4]], float)
    assert sweep.saturates_beyond(k, F, 64).outcome == "confirmed"
    loose = F.copy()
    loose[3] = [40, 60, 50]
    assert sweep.saturates_beyond(k, loose, 64).outcome.startswith("inconclusive")
    # Fig. 7's drop is a converged-model claim: far from the data it is not judged; the
    # evidence names the paper's fixed width when the profile's differs
    kd = np.array([16, 32, 64])
    bump = np.array([[60, 61, 62], [50, 51, 52], [55, 56, 57]], float)
    far = sweep.worse_beyond_fixed(kd, bump + 300, 32, floor=10.0, name="k_d", paper_fixed=128)
    assert far.outcome == "not testable at this profile"
    assert "The paper holds k_g at its default 128; this profile at 32." in far.evidence
    gap = sweep.gap_does_not_grow(kd, bump, bump + 5, name="k_d")
    assert gap.claim.endswith("with k_d") and "(k_d=16)" in gap.evidence


def test_sweep_chapter_figures_are_stamped_and_say_what_is_pending(isolated):
    """The sweep chapters' figures carry the profile stamp; a sweep with no stored runs
    draws a panel naming the command that produces it (so a glue:figure never dangles)."""
    from overgan_lib.sweep import figures

    by_profile = {"cpu": sweep.sweep_view("cifar10_dcgan", "cpu")}
    assert not by_profile["cpu"].done  # isolated results root: nothing stored
    for make in (figures.fid_vs_width_figure, figures.fid_over_iterations_figure):
        fig = make("cifar10_dcgan", by_profile, "cpu")
        texts = [t.get_text() for t in fig.texts] + [t.get_text() for ax in fig.axes
                                                      for t in ax.texts]
        assert "profile: cpu" in texts
        assert any("overgan sweep cifar10_dcgan --profile cpu" in t for t in texts)


def test_sweep_chapter_lists_pending_sweeps_with_their_commands(isolated):
    from overgan_lib.sweep import chapter

    views = {"cifar10_dcgan": {"cpu": sweep.sweep_view("cifar10_dcgan", "cpu")}}
    text = chapter.pending_markdown(views)
    assert "`overgan sweep cifar10_dcgan --profile cpu` on this machine; 0 of" in text
    assert "`overgan sweep cifar10_dcgan --profile gpu` on one GPU" in text
    assert chapter.concurrent_runs(views["cifar10_dcgan"]["cpu"]) == 2  # the cpu workers


def _fig1_view(widths=(8, 16, 32), seeds=(0, 1)):
    """A stored-looking cifar10_dcgan view at cpu: periodic FIDs and a sample grid per run
    (the narrowest width's seed 0 has no grid, as a diverged run would not)."""
    from overgan_lib.sweep.view import SweepView
    from overgan_lib.train import grid_path

    cfgs = sweep.grid("cifar10", "dcgan", list(widths), list(seeds))
    recs = _fake_curves(cfgs, lambda c: (400.0 - c.k_g + c.seed, 390.0 - 2 * c.k_g + c.seed,
                                         380.0 - 2 * c.k_g + c.seed))
    for c, r in zip(cfgs, recs, strict=True):
        r.data["evals"] = [{**e, "n": 200} for e in r.data["evals"]]
        r.data.update(eval_s=40.0 * (1 + c.seed), iters_per_s=2.0)
        if (c.k_g, c.seed) != (widths[0], 0):
            grid_path(c, "cpu").parent.mkdir(parents=True, exist_ok=True)
            save_grid(np.full((64, 3, 32, 32), c.k_g, np.uint8), grid_path(c, "cpu"))
    cfg = {"widths": list(widths), "iters": 60, "eval_n": 200, "workers": 2, "seeds": 2}
    return SweepView(sweep.spec("cifar10_dcgan"), "cpu", cfg, cfgs, recs, None)


def test_fig1_summary_draws_three_panels_with_the_end_widths_samples(isolated):
    """Fig. 1: FID against k, the samples of the narrowest and the widest stored width (the
    chosen seed where it has a grid), FID over training; stamped; pending when empty."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from overgan_lib.sweep import figures

    view = _fig1_view()
    assert [(c.k_g, c.seed) for c, _ in figures.sample_ends(view, 1)] == [(8, 1), (32, 1)]
    fig = figures.fig1_summary(view, "cpu", seed=0)
    left, middle, right = fig.axes
    assert len(fig.axes) == 3
    assert [t.get_text() for t in middle.texts if t.get_text().startswith("k=")] == \
        ["k=8", "k=32"]
    assert any("no samples" in t.get_text() for t in middle.texts)  # seed 0 at k=8: no grid
    assert middle.images[0].get_array().shape[1] > 2 * 274  # two grids side by side
    assert [t.get_text() for t in left.get_xticklabels()] == ["8", "16", "32"]
    assert [line.get_label() for line in right.lines] == ["k=8", "k=16", "k=32"]
    assert "profile: cpu" in [t.get_text().split(" ·")[0] for t in fig.texts]
    plt.close(fig)
    # two evaluations per run: no line through them (a line would look like a rate)
    for r in view.recs:
        r.data["evals"] = r.data["evals"][:2]
    fig = figures.fig1_summary(view, "cpu", seed=0)
    right = fig.axes[2]
    assert not right.lines and "2 FID evaluations per run: no curve" in right.texts[0].get_text()
    plt.close(fig)
    empty = sweep.sweep_view("cifar10_dcgan", "cpu")  # isolated store: nothing stored
    fig = figures.fig1_summary(empty, "cpu")
    assert any("overgan sweep cifar10_dcgan --profile cpu" in t.get_text()
               for ax in fig.axes for t in ax.texts)
    plt.close(fig)


def test_paper_cost_counts_training_and_evaluation(isolated, monkeypatch):
    """The `paper` projection: training from it/s, FID evaluation from eval_s per scored
    image, scaled to the paper profile's evaluations; a gpu sweep not stored is pending."""
    from overgan_lib.profiles import settings
    from overgan_lib.sweep import chapter, cost

    view = _fig1_view()
    spi = cost.eval_seconds_per_image(view.configs, view.recs)
    assert spi == pytest.approx({8: 0.1, 16: 0.1, 32: 0.1})  # (40 + 80) / 2 / (3 x 200)
    paper = settings("cifar10_dcgan", "paper")
    assert cost.paper_images_per_run(paper) == 30 * 10_000
    assert cost.paper_eval_hours(spi, paper)[8] == pytest.approx(5 * 300_000 * 0.1 / 3600)
    assert cost.paper_cost_hours(cost.speeds(view.configs, view.recs))[8] == \
        pytest.approx(5 * 300_000 / 2.0 / 3600)
    shown = []
    monkeypatch.setattr(chapter.device_hours, "display", shown.append)
    chapter.cost_table({"cifar10_dcgan": {"cpu": view}})
    table = shown[0].data
    # 2 runs at once (the workers): training 208 h / 2, evaluation 41.7 h / 2, total 125
    assert "| `cifar10_dcgan` | cpu | — | 2 | 8 | 2.00 | 104 | 21 | 125 |" in table
    assert ("| `cifar10_dcgan` | gpu | H200 | 15 (planned) | 8, 16, 32, 64, 128 | pending: "
            "`overgan sweep cifar10_dcgan --profile gpu` |") in table


def _lock_step_view(n_runs_stored=None):
    """A cifar10_dcgan view whose 3 runs trained in lock step, with the clocks a CPU run of
    train_many gave (3 MLP runs, 60 iterations, evaluations at 20, 40, 60): each run's
    train_s held the other two runs' evaluations, 238.7 s in all against ~1.1 s of training."""
    from overgan_lib.sweep.view import SweepView

    cfgs = sweep.grid("cifar10", "dcgan", [8, 16, 32], [0])
    clocks = [(132.56, 107.27), (174.07, 65.82), (174.25, 65.65)]
    recs = []
    for i, (c, (train_s, eval_s)) in enumerate(zip(cfgs, clocks, strict=True)):
        stored = n_runs_stored is None or i < n_runs_stored
        recs.append(Record("train", {**c.record(), "eval_every": 20},
                           {"device": "cuda:NVIDIA H200"}, {
            "status": "completed", "steps_done": 60, "train_s": train_s, "eval_s": eval_s,
            "iters_per_s": 60 / train_s, "runs_together": 3, "final": None,
            "evals": [{"step": t, "n": 256} for t in (20, 40, 60)], "resumed_from": []},
            Path("x")) if stored else None)
    cfg = {"widths": [8, 16, 32], "iters": 60, "eval_n": 200, "workers": 1, "seeds": 1}
    return SweepView(sweep.spec("cifar10_dcgan"), "gpu", cfg, cfgs, recs, None)


def test_lock_step_speeds_subtract_the_other_runs_evaluations(isolated, monkeypatch):
    """Runs trained in lock step share one clock, so each stored train_s holds the other
    runs' evaluations (measured: 132-174 s for ~1.1 s of training). The cost table's speeds
    subtract them and say so; a view holding part of a group shows no speed; runs trained
    alone keep their stored speed."""
    from overgan_lib.sweep import chapter, cost

    view = _lock_step_view()
    its = cost.speeds(view.configs, view.recs)
    assert its == pytest.approx({8: 60 / 1.09, 16: 60 / 1.14, 32: 60 / 1.16}, rel=0.01)
    assert max(its.values()) / min(its.values()) < 1.07  # one shared clock: about equal
    assert all(v > 50 for v in its.values())  # the stored iters_per_s: 0.34-0.45
    part = _lock_step_view(n_runs_stored=2)
    assert cost.lock_step_group(part.recs) is None
    assert cost.speeds(part.configs, part.recs) == {}
    alone = _fig1_view()
    assert cost.lock_step_group(alone.recs) is None
    assert set(cost.speeds(alone.configs, alone.recs).values()) == {2.0}
    no_eval = _lock_step_view()
    del no_eval.recs[1].data["eval_s"]
    assert np.isnan(cost.training_speed(no_eval.recs[0], cost.lock_step_group(no_eval.recs)))
    shown = []
    monkeypatch.setattr(chapter.device_hours, "display", shown.append)
    chapter.cost_table({"cifar10_dcgan": {"gpu": view}})
    assert "its 3 runs trained in lock step in one process and share one clock" in \
        shown[0].data
    assert chapter.device_hours.lock_step_note(alone) == ""
    assert "does not hold the whole group" in chapter.device_hours.lock_step_note(part)
    chunked = _lock_step_view()
    chunked.recs[2].data["resumed_from"] = [20]
    assert cost.speeds(chunked.configs, chunked.recs) == {}
    assert "resumed chunks" in chapter.device_hours.lock_step_note(chunked)


@pytest.mark.slow
def test_lock_step_correction_on_train_many_clocks(isolated, monkeypatch):
    """train_many's own clocks, with every evaluation a 0.3 s sleep (training here takes a
    fraction of that): in one pass, each run's train_s less the other runs' eval_s is the
    training time alone (the same runs trained with no evaluation give it); trained in
    chunks, or with a last evaluation after the loop, the clocks cannot be separated and no
    speed is given."""
    import time

    from overgan_lib.sweep import cost
    from overgan_lib.train import RunOptions, loop

    def slow_eval(G, cfg, step):
        time.sleep(0.3)
        return {"step": step, "n": 1}

    monkeypatch.setattr(loop, "evaluate", slow_eval)
    opts = RunOptions(device="cpu", log_every=10, ckpt_every=20, keep_weights=False)

    def runs(seeds, every=20, chunks=()):
        cfgs = [TrainConfig(k_g=8, k_d=8, seed=s, iters=60, eval_every=every, eval_n=10,
                            batch_size=16, n_critic=1) for s in seeds]
        for stop in chunks:
            loop.train_many(cfgs, "cpu", opts, progress=False, stop_after=stop)
        return loop.train_many(cfgs, "cpu", opts, progress=False)

    one_pass = runs([0, 1, 2])
    assert all(r["train_s"] > 2 * 0.3 * 3 for r in one_pass)  # the others' evaluations
    group = cost.lock_step_group(one_pass)
    train_time = [r["steps_done"] / cost.training_speed(r, group) for r in one_pass]
    monkeypatch.setattr(loop, "evaluate", lambda G, cfg, step: {"step": step, "n": 1})
    alone = runs([3, 4, 5])  # the same work with evaluations that take no time
    # measured: corrected 0.23-0.38 s, alone 0.22-0.30 s (the others' checkpoints and sample
    # grids stay in), against train_s above 1.8 s; two evaluations' margin for a loaded CPU
    assert max(train_time) < max(r["train_s"] for r in alone) + 2 * 0.3
    monkeypatch.setattr(loop, "evaluate", slow_eval)
    for recs in (runs([6, 7, 8], chunks=(20, 40)), runs([9, 10, 11], every=25)):
        grp = cost.lock_step_group(recs)
        assert grp is not None and not cost.separable(grp)
        assert all(np.isnan(cost.training_speed(r, grp)) for r in recs)


def test_cost_table_gives_the_speed_spread_the_runs_threads_and_slow_narrow_widths(
        isolated, monkeypatch):
    """The cost table quotes each width's slowest and fastest run (and the hours they give),
    the device with the threads every run had (from the run records), notes a narrower width
    measured slower than a wider one, and why the summary record names other threads."""
    from overgan_lib.profiles import settings
    from overgan_lib.sweep import chapter, cost

    view = _fig1_view()
    speed = {(8, 0): 1.0, (8, 1): 3.0, (16, 0): 4.0, (16, 1): 4.0, (32, 0): 2.5, (32, 1): 2.5}
    for c, r in zip(view.configs, view.recs, strict=True):
        r.data["iters_per_s"] = speed[(c.k_g, c.seed)]
        r.provenance["device"] = "cpu:x86_64 x1 threads"
    view.summary = Record("sweep_cifar10_dcgan", {}, {"device": "cpu:x86_64 x2 threads"}, {},
                          Path("x"))
    assert cost.speed_ranges(view.configs, view.recs)[8] == (1.0, 3.0)
    its = cost.speeds(view.configs, view.recs)
    assert its == {8: 2.0, 16: 4.0, 32: 2.5}
    assert cost.slower_narrower(its) == [(8, 16), (8, 32)]  # k = 32 is wider: not flagged
    assert chapter.run_device(view) == "cpu:x86_64, 1 thread per run"
    shown = []
    monkeypatch.setattr(chapter.device_hours, "display", shown.append)
    chapter.cost_table({"cifar10_dcgan": {"cpu": view}})
    table = shown[0].data
    paper = settings("cifar10_dcgan", "paper")
    hours = {x: paper["seeds"] * paper["iters"] / x / 3600 / 2 for x in (1.0, 2.0, 3.0)}
    assert (f"| 8 | 2.00 (1.00–3.00) | {hours[2.0]:,.0f} ({hours[3.0]:,.0f}–{hours[1.0]:,.0f})"
            in table)
    assert "| 16 | 4.00 |" in table  # no range where every run measured the same
    assert "$k$ = 8 ran at 2.00 it/s, slower than $k$ = 16 at 4.00 it/s" in table
    assert "$k$ = 8 ran at 2.00 it/s, slower than $k$ = 32 at 2.50 it/s" in table
    assert ("each run trained on 1 thread, 2 runs side by side (the runs' records); the sweep's "
            "summary record in the provenance box says 2 threads") in table


def test_fid_over_training_is_drawn_only_from_runs_with_enough_evaluations(monkeypatch):
    """Below MIN_CURVE_EVALS evaluations per run (the minimum of Fig. 5's rules) the chapter
    shows one line naming the count and the profiles that evaluate often enough, not a
    figure; from that many on, the figure."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from overgan_lib.profiles import settings
    from overgan_lib.sweep import chapter, figures
    from overgan_lib.sweep.summary import MIN_EVALS
    from overgan_lib.sweep.view import SweepView

    assert figures.MIN_CURVE_EVALS == MIN_EVALS
    cfgs = sweep.grid("cifar10", "resnet", [16], [0, 1], pairs=[(32, 16), (32, 64)])

    def shown_for(steps):
        recs = [Record("train", c.record(), {}, {
            "status": "completed", "message": "", "final": {"fid_train": 300.0},
            "evals": [{"step": s, "fid_train": 300.0 - s + c.seed} for s in steps]},
            Path("x")) for c in cfgs]
        view = SweepView(sweep.spec("cifar10_resnet_d"), "cpu",
                         settings("cifar10_resnet_d", "cpu"), cfgs, recs, None)
        out = []
        monkeypatch.setattr(chapter.figure_glue, "display", out.append)
        chapter.curve_figures({"cifar10_resnet_d": {"cpu": view}}, "cpu")
        return out

    few = shown_for(range(30, 30 * MIN_EVALS, 30))  # one evaluation short
    assert len(few) == 1 and not isinstance(few[0], plt.Figure)
    assert few[0].data.startswith(f"FID over training is not drawn at `cpu`: its runs have "
                                  f"{MIN_EVALS - 1} FID evaluations each")

    gpu, paper = (figures.planned_evals(settings("cifar10_resnet_d", p)) for p in ("gpu", "paper"))
    assert gpu >= MIN_EVALS > figures.planned_evals(settings("cifar10_resnet_d", "cpu"))
    assert (f"the settings of `gpu` ({gpu} per run) and `paper` ({paper} per run) evaluate "
            "often enough to draw it") in few[0].data
    enough = shown_for(range(30, 30 * MIN_EVALS + 1, 30))
    assert len(enough) == 2 and isinstance(enough[0], plt.Figure)  # and its caption
    assert enough[1].data.startswith("*FID over training, `cifar10_resnet_d`*")


def test_graphed_engine_scales_every_level_as_the_cpu_does():
    """The graphed engine turns uint8 into [-1, 1] by a table built on the CPU: every level,
    in any batch shape, is to_model_range's value bit for bit."""
    cfg = TrainConfig(dataset="cifar10", arch="dcgan", k_g=8, k_d=8, batch_size=16)
    static = GraphedEngine(cfg, train_images("cifar10", 64), "cpu", capture=False)
    levels = torch.arange(256, dtype=torch.uint8).reshape(4, 1, 8, 8)
    assert torch.equal(static._scaled(levels), data.to_model_range(levels))
    batch = static.images[:5]
    assert torch.equal(static._scaled(batch), data.to_model_range(batch))


# ----------------------------------------------------------------------------- cuda
@cuda
def test_device_scaling_gives_the_cpu_batches_bitwise():
    """On the GPU the graphed engine's batches are the eager engine's, bit for bit: CUDA's
    own division by 127.5 is 1 ulp off for 111 of the 256 levels, the table is not."""
    cfg = TrainConfig(dataset="cifar10", arch="dcgan", k_g=8, k_d=8, batch_size=16)
    images = train_images("cifar10", 256)
    graphed = GraphedEngine(cfg, images, "cuda", capture=False)
    levels = torch.arange(256, dtype=torch.uint8)
    assert torch.equal(graphed._scaled(levels.cuda()).cpu(), data.to_model_range(levels))
    assert torch.equal(graphed._scaled(graphed.images[:64]).cpu(),
                       data.to_model_range(images[:64]))


@cuda
def test_graphed_step_equals_eager_step_on_cuda(tf32_off):
    """Captured graph vs eager engine on cuda, TF32 off: same losses and parameters to
    fp32 tolerance after 10 iterations (cuDNN's kernels need not be bitwise stable)."""
    cfg = TrainConfig(dataset="cifar10", arch="dcgan", k_g=16, k_d=16)
    images = train_images("cifar10", 4096)
    eng = Engine(cfg, "cuda")
    stream = BatchStream(images, cfg.batch_size, cfg.seed)
    graphed = GraphedEngine(cfg, images, "cuda", chunk=4)
    graphed.capture_graph()
    for _ in range(10):
        a, b = eng.iteration(stream), graphed.iteration()
    torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-4)
    for p, q in zip([*eng.G.parameters(), *eng.D.parameters()],
                    [*graphed.G.parameters(), *graphed.D.parameters()], strict=True):
        torch.testing.assert_close(p, q, rtol=1e-4, atol=1e-5)


@cuda
def test_graphed_mlp_runs_replayed_together_equal_each_alone(tf32_off):
    """MLP graphs (GEMMs: cuBLAS workspaces) replayed at once, each on its own stream,
    equal the same runs replayed alone. Graphs captured on one shared stream would share
    one cuBLAS workspace and race on it (conv-only DCGAN would not show it)."""
    cfg0 = TrainConfig(dataset="cifar10", arch="mlp", k_g=256, k_d=256)
    images = train_images("cifar10", 4096)

    def engines():
        out = [GraphedEngine(dataclasses.replace(cfg0, seed=s), images, "cuda", chunk=8)
               for s in range(4)]
        for e in out:
            e.capture_graph()
        return out

    together = engines()
    assert len({e.stream for e in together}) == len(together)
    for _ in range(12):
        for e in together:
            with torch.cuda.stream(e.stream):
                e.iteration()
    torch.cuda.synchronize()
    for e in engines():
        for _ in range(12):
            e.iteration()
        t = together[e.cfg.seed]
        for p, q in zip([*e.G.parameters(), *e.D.parameters()],
                        [*t.G.parameters(), *t.D.parameters()], strict=True):
            torch.testing.assert_close(p, q, rtol=1e-5, atol=1e-6)


@cuda
def test_graphed_sgda_and_a_resumed_eager_checkpoint_capture_on_cuda(tf32_off):
    """sgda (stateless SGD) captures; an eager engine's checkpoint (capturable=False)
    loads into a graphed engine that then captures and replays."""
    cfg = TrainConfig(dataset="cifar10", arch="mlp", k_g=32, k_d=32, optimizer="sgda")
    images = train_images("cifar10", 1024)
    g = GraphedEngine(cfg, images, "cuda", chunk=4)
    g.capture_graph()
    assert torch.isfinite(g.iteration()).all()
    cfg = TrainConfig(dataset="cifar10", arch="mlp", k_g=32, k_d=32)
    eng = Engine(cfg, "cuda")
    stream = BatchStream(images, cfg.batch_size, cfg.seed)
    eng.iteration(stream)
    graphed = GraphedEngine(cfg, images, "cuda", chunk=4)
    graphed.load_state_dict(copy.deepcopy(eng.state_dict()), stream.index)
    graphed.capture_graph()
    a, b = eng.iteration(stream), graphed.iteration()
    torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-4)


@cuda
@inception
def test_several_graphed_runs_on_streams_equal_separate_runs(isolated, tf32_off):
    cfgs = [TrainConfig(dataset="cifar10", arch="dcgan", k_g=k, k_d=k, iters=20, eval_n=16,
                        fid_test=False) for k in (8, 16)]
    together = train_many(cfgs, "smoke", OPTS, progress=False)
    for cfg, rec in zip(cfgs, together, strict=True):
        alone = train(cfg, "smoke", rerun=True, progress=False, options=OPTS)
        np.testing.assert_allclose(rec["curves"]["w_dist"], alone["curves"]["w_dist"],
                                   rtol=1e-3, atol=1e-4)


@cuda
@inception
def test_resume_on_cuda(isolated, tf32_off):
    """The MLP resumes bitwise on cuda (conv nets do not: cuDNN is nondeterministic). On
    CIFAR-10, the data the GPU session carries."""
    cfg = TrainConfig(**{**TINY, "dataset": "cifar10", "arch": "mlp", "iters": 16})
    assert train(cfg, "smoke", progress=False, options=OPTS, stop_after=8) is None
    resumed = train(cfg, "smoke", progress=False, options=OPTS)
    fresh = train(cfg, "smoke", rerun=True, progress=False, options=OPTS)
    assert resumed["resumed_from"] == [8]
    for name, curve in fresh["curves"].items():
        assert np.array_equal(curve, resumed["curves"][name]), name


def _fake_curves(cfgs, fids):
    """Records with periodic evaluations: ``fids(c)`` gives the FID at steps 30, 60, ..."""
    return [Record("train", c.record(), {}, {
        "status": "completed", "message": "", "final": {"fid_train": fids(c)[-1]},
        "evals": [{"step": 30 * (i + 1), "fid_train": f} for i, f in enumerate(fids(c))]},
        Path("x")) for c in cfgs]


def test_curve_table_and_width_labels():
    from overgan_lib.sweep import figures

    cfgs = sweep.grid("cifar10", "resnet", [16, 32], [0, 1])
    recs = _fake_curves(cfgs, lambda c: (300.0 + c.seed, 280.0 + c.k_g + c.seed))
    table = figures.curve_table(cfgs, recs)
    assert "| 16 | 300.5 (iteration 30) | 296.5 (iteration 60) | -4.0 | 296.0 to 297.0 |" in table
    assert figures.width_label(cfgs) == "width $k = k_g = k_d$"
    one_side = sweep.grid("cifar10", "resnet", [16], [0], pairs=[(32, 16), (32, 64)])
    assert figures.width_label(one_side) == "width $k_d$ ($k_g$ fixed at 32)"
    assert figures.curve_table(cfgs, _fake_records(cfgs, lambda c: 1.0)) == ""


def test_fixed_width_line_and_split_offsets():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from overgan_lib.sweep import figures

    cfgs = sweep.grid("cifar10", "resnet", [16], [0, 1], pairs=[(32, 16), (32, 64)])
    recs = [Record("train", c.record(), {}, {"status": "completed", "message": "", "evals": [],
                                              "final": {"fid_train": 50.0, "fid_test": 50.0}},
                   Path("x")) for c in cfgs]
    fig, ax = plt.subplots()
    figures.plot_fid_vs_width(ax, cfgs, recs, floor=10.0)
    xs = sorted({round(float(x), 2) for line in ax.lines for x in line.get_xdata()
                 if len(line.get_xdata()) == 2 and line.get_linestyle() == "-"})
    assert xs == [15.04, 16.96, 60.16, 67.84]  # train left, test right of 16 and 64
    assert any(line.get_linestyle() == ":" and list(line.get_xdata()) == [32, 32]
               for line in ax.lines)  # the fixed k_g
    plt.close(fig)


def test_shared_runs_are_listed_with_every_sweep_that_uses_them(isolated):
    from overgan_lib.sweep import chapter
    from overgan_lib.sweep.view import SweepView

    d = sweep.grid("cifar10", "resnet", [16], [0], pairs=[(32, 16), (32, 32)])
    g = sweep.grid("cifar10", "resnet", [16], [0], pairs=[(16, 32), (32, 32)])
    views = {name: {"cpu": SweepView(sweep.spec(name), "cpu", {}, cfgs,
                                     _fake_records(cfgs, lambda c: c.k_g + c.k_d), None)}
             for name, cfgs in (("cifar10_resnet_d", d), ("cifar10_resnet_g", g))}
    text = chapter.shared_runs_markdown(views)
    assert text.count("\n") == 0 and "$k_g$ = 32, $k_d$ = 32 [cpu]: 1 run," in text
    assert "FID train 64.0 (seed 0)" in text and "`cifar10_resnet_g`" in text


def test_one_side_verdicts_name_the_varied_and_the_fixed_side():
    kd = np.array([16, 32, 64])
    F = np.array([[60, 61, 62], [50, 51, 52], [55, 56, 57]], float)
    v = sweep.worse_beyond_fixed(kd, F, 32, name="k_d")
    assert v.claim == "FID gets slightly worse once k_d exceeds the fixed k_g=32"
    assert "at k_d=32" in v.evidence and "for worse, " in v.evidence
    falls = sweep.improves_with_width(kd, F, "FID falls as k_d grows", name="k_d")
    assert "at k_d=16" in falls.evidence and " for a fall, " in falls.evidence


def test_slight_drop_not_found_at_three_seeds_is_inconclusive_not_a_failure():
    """Fig. 7's "slight drop" has no size in the paper: a Welch test that finds neither
    direction at a few seeds cannot tell a slight drop from none, so the verdict is
    inconclusive (the status row stays partial), with the drop the test would have found at
    80% power; a clear slight drop is still confirmed, a clear large one is not reproduced,
    and a clear gain still contradicts."""
    from scipy import stats

    from overgan_lib.sweep.significance import detectable_difference
    from overgan_lib.sweep.summary import INCONCLUSIVE, NOT_REPRODUCED

    kd = np.array([16, 32, 64])
    noisy = np.array([[60, 61, 62], [50, 58, 66], [53, 61, 69]], float)  # +3, sd 8: unseen
    v = sweep.worse_beyond_fixed(kd, noisy, 32, name="k_d")
    assert v.outcome == INCONCLUSIVE and v.outcome != NOT_REPRODUCED
    drop = detectable_difference(noisy[2], noisy[1])
    assert f"about {drop:.1f} FID points" in v.evidence and "With 3 and 3 seeds" in v.evidence
    # the 80%-power difference: (t_0.95 + t_0.8) x SE on Welch's df (= 4 for equal spreads)
    se = np.sqrt(2 * 64 / 3)
    assert drop == pytest.approx((stats.t.ppf(0.95, 4) + stats.t.ppf(0.8, 4)) * se)
    assert detectable_difference(np.r_[noisy[2], noisy[2]], np.r_[noisy[1], noisy[1]]) < drop
    assert np.isnan(detectable_difference(noisy[2][:1], noisy[1]))
    # a clear drop of 4 (within the margin of 5.8) is slight: confirmed; a clear drop of 33 is
    # not slight (the book's ceiling on "slight" is the practical margin)
    tight = np.array([[60, 60.5, 61], [58, 58.5, 59], [62, 62.5, 63]])
    assert sweep.worse_beyond_fixed(kd, tight, 32).outcome == "confirmed"
    assert sweep.worse_beyond_fixed(kd, noisy + [[0], [0], [30]], 32).outcome == NOT_REPRODUCED
    assert sweep.worse_beyond_fixed(kd, noisy - [[0], [0], [30]], 32).outcome == "contradicted"


def test_fig5_rules_are_labelled_carried_over_where_the_paper_shows_dcgan_only():
    """Fig. 5 is "DCGAN Training Results": on the ResNet sweeps of Fig. 4 its three rules
    still run, and their claims say they are carried over; on DCGAN they do not. Fig. 7's
    caption states "overparameterization improves model convergence", so on its sweeps the
    claims say they read that caption with Fig. 5's rules, not that they are carried over."""
    from overgan_lib.profiles import settings
    from overgan_lib.sweep.claims import CONVERGENCE_CARRIED, CONVERGENCE_READ, CONVERGENCE_RULES
    from overgan_lib.sweep.view import SweepView

    def evals(c):
        return [{"step": s, "fid_train": 300.0 - s / c.k_d + c.seed} for s in (20, 40, 60)]

    read = CONVERGENCE_READ.format(sweep.spec("cifar10_resnet_d").convergence_read)
    for name, pairs, tail in (("cifar10_resnet_d", [(32, 16), (32, 64)], read),
                              ("cifar10_resnet", [(16, 16), (64, 64)], CONVERGENCE_CARRIED),
                              ("cifar10_dcgan", [(16, 16), (64, 64)], None)):
        cfgs = sweep.grid("cifar10", sweep.spec(name).arch, [16], [0, 1], pairs=pairs)
        recs = [Record("train", c.record(), {}, {
            "status": "completed", "message": "", "evals": evals(c),
            "final": {"fid_train": evals(c)[-1]["fid_train"],
                      "fid_test": evals(c)[-1]["fid_train"] + 1}}, Path("x")) for c in cfgs]
        cfg = {**settings(name, "cpu"), "fixed": 32}
        found = sweep.sweep_verdicts(SweepView(sweep.spec(name), "cpu", cfg, cfgs,
                                               recs, None))
        for r in CONVERGENCE_RULES:
            claim = found[r].claim
            assert (claim.endswith(tail) if tail else "Fig. 5" not in claim), (name, claim)
    assert "improves model convergence" in read and "final FIDs only" in read
    assert not any(sweep.spec(n).convergence_stated for n in (
        "cifar10_resnet", "celeba_resnet", "cifar10_resnet_d", "cifar10_resnet_g"))
    assert not sweep.spec("cifar10_resnet").convergence_read


def test_dcgan_sweeps_evaluate_often_enough_to_judge_convergence():
    """Fig. 5's rule needs MIN_EVALS evaluations per run; the DCGAN sweeps' non-smoke
    profiles provide them (the smoke profile evaluates once, at the end)."""
    from overgan_lib.profiles import settings
    from overgan_lib.sweep.summary import MIN_EVALS

    for name in ("cifar10_dcgan", "celeba_dcgan"):
        for profile in ("cpu", "gpu", "paper"):
            cfg = settings(name, profile)
            assert cfg["eval_every"] and cfg["iters"] // cfg["eval_every"] >= MIN_EVALS, (
                name, profile)


def test_a_chapter_needing_missing_runs_stops_with_the_command():
    """ch. 6 never trains unasked: a view with missing runs names the command (with the
    overrides as `overgan sweep` parses them) in one line."""
    from overgan_lib.errors import OneLineError

    view = sweep.sweep_view("mnist_mlp", "smoke", 0, {"widths": [8, 16], "iters": 2})
    assert not view.complete
    with pytest.raises(OneLineError) as err:
        view.require_complete({"widths": [8, 16], "iters": 2})
    msg = str(err.value)
    assert "\n" not in msg and "0 of" in msg and "train_missing=True" in msg
    assert "`overgan sweep mnist_mlp --profile smoke --set widths=[8,16] --set iters=2`" in msg
    from overgan_lib.cli import build_parser

    args = build_parser().parse_args(msg.split("`")[1].split()[1:])
    assert args.set == ["widths=[8,16]", "iters=2"]


def test_chapter_six_reading_follows_the_verdicts(monkeypatch):
    """The closing reading of the committed cpu MNIST sweep: which grids collapsed, the uptick
    pair as measured, how many verdicts decide a claim (early evidence does not), and that cpu
    is reduced scale; and its branches when nothing or everything collapsed."""
    from overgan_lib.store import REPO_ROOT
    from overgan_lib.sweep import chapter

    monkeypatch.setenv("OVERGAN_RESULTS", str(REPO_ROOT / "results"))  # read only
    view = sweep.sweep_view("mnist_mlp", "cpu")
    if not view.complete:
        pytest.skip("the committed cpu MNIST sweep is not in this checkout")
    text = chapter.run_reading(view, [16, 64], [1024])
    assert text.startswith("At this profile the sample grids of k = 16, 64 are collapsed and "
                           "those of k = 1024 are not")
    assert ("k = 1024 and 2048, the mean FID against the test images (the split the uptick is "
            "judged on) goes from") in text
    assert "the uptick is \"not testable at this profile\"" in text
    assert "Of this sweep's 4 verdicts, 0 decide a claim" in text  # early evidence is no verdict
    assert "The cpu profile trains 0.2% of the paper profile's iterations" in text
    assert chapter.run_reading(view, [], [16]).startswith("No sample grid is collapsed")
    assert chapter.run_reading(view, [16], []).startswith("Every sample grid is collapsed")


def test_concurrency_text_says_worker_processes_or_lock_step():
    """Chapter 6's "how the runs shared the machine": workers > 1 are processes; workers = 1
    trains every run in lock step in one process (as the gpu profile does)."""
    from types import SimpleNamespace

    from overgan_lib.sweep.chapter import concurrency_text

    run = Record("train", {}, {}, {"runs_together": 18}, Path("x"))
    assert concurrency_text(SimpleNamespace(cfg={"workers": 2}, done=[run])) == (
        "2 runs at a time in worker processes")
    assert concurrency_text(SimpleNamespace(cfg={"workers": 1}, done=[run])) == (
        "18 runs trained in lock step in one process")


def test_test_above_train_needs_most_runs_not_only_the_mean():
    """Review of chapters 5-6, finding 1: one run's large positive gap made the mean positive
    and confirmed "FID test stays above FID train" while its own evidence counted 8 of 12 runs
    with test below train."""
    from overgan_lib.sweep.summary.gap import _test_above_train

    k = np.array([256, 512, 1024, 2048])
    train = np.array([[20.0, 20.2, 19.8]] * 4)
    gap = np.array([[0.6, -0.2, -0.3]] * 4)
    assert not _test_above_train(gap)
    v = sweep.gap_does_not_grow(k, train, train + gap, floor=5.0)
    assert v.outcome != "confirmed" and "FID test below FID train in 8 of 12 runs" in v.evidence
    assert _test_above_train(np.array([[0.6, 0.2, -0.1]] * 4))


def test_the_uptick_cause_is_judged_only_where_there_is_an_uptick():
    """Review of chapters 5-6, finding 2: with FID falling from k=1024 to 2048 (the uptick
    contradicted), a growing gap was still "confirmed" as the uptick's cause."""
    from overgan_lib.sweep.claims import _cause_of
    from overgan_lib.sweep.summary import Verdict

    grows = Verdict("The generalisation gap grows", "confirmed", "Mean gap 1.0 → 2.0.")
    for uptick in ("contradicted", "not reproduced at this budget"):
        v = _cause_of(Verdict("FID rises slightly", uptick, ""), grows)
        assert v.outcome == "not testable at this profile"
        assert f'the uptick it would explain is "{uptick}"' in v.evidence
    assert _cause_of(Verdict("FID rises slightly", "confirmed", ""), grows) == grows
