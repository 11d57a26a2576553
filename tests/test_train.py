"""WGAN-GP engine: same objective as a plain loop, determinism, resume after SIGKILL,
divergence, checkpoints, sweeps and bad input."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from overgan_lib import data
from overgan_lib.errors import ParameterError
from overgan_lib.sweep import grid, run_sweep
from overgan_lib.train import (
    BatchStream,
    CheckpointError,
    Engine,
    RunOptions,
    TrainConfig,
    checkpoint_path,
    load_checkpoint,
    save_checkpoint,
    train,
)
from overgan_lib.train.reference import ReferenceLoop, gradient_gap, rel_gap
from tests.conftest import train_images

REPO = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.needs_data("mnist"), pytest.mark.slow]  # training: seconds each
TINY = dict(k_g=16, k_d=16, iters=20, eval_n=16, fid_test=False)
OPTS = RunOptions(log_every=5, ckpt_every=5)


@pytest.mark.parametrize("arch,dataset", [
    ("mlp", "mnist"),
    pytest.param("dcgan", "cifar10", marks=pytest.mark.needs_data("mnist", "cifar10")),
    pytest.param("resnet", "cifar10", marks=pytest.mark.needs_data("mnist", "cifar10")),
])
def test_engine_gradients_equal_plain_loop(arch, dataset):
    """The engine's shortcuts (no-graph fakes, frozen critic, masked activations,
    backward to parameters only, channels_last, fused Adam) leave the gradients of
    L_D and L_G unchanged up to float reordering."""
    cfg = TrainConfig(dataset=dataset, arch=arch, k_g=8, k_d=8)
    gaps = gradient_gap(cfg, train_images(dataset, 256))
    assert gaps["critic"] < 1e-5, gaps
    assert gaps["generator"] < 1e-4, gaps


def test_gradient_gap_detects_a_wrong_penalty():
    """The check above can fail: a different GP weight gives a visible gap."""
    cfg = TrainConfig(k_g=8, k_d=8)
    eng_cfg = TrainConfig(k_g=8, k_d=8, gp_weight=1.0)
    eng, ref = Engine(eng_cfg), ReferenceLoop(cfg)
    real = BatchStream(train_images("mnist", 256), 64, 0).next()
    eng.critic_step(real)
    ref.critic_loss(real).backward()
    assert rel_gap(eng.D, ref.D) > 1e-3


def test_batch_stream_order_depends_only_on_seed_and_index():
    imgs = train_images("mnist", 300)
    a = BatchStream(imgs, 64, seed=3)
    seq = [a.next() for _ in range(9)]  # crosses two epoch boundaries (4 batches/epoch)
    b = BatchStream(imgs, 64, seed=3, start=5)
    assert torch.equal(b.next(), seq[5])
    assert not torch.equal(BatchStream(imgs, 64, seed=4).next(), seq[0])


def test_engine_is_bitwise_deterministic():
    imgs = train_images("mnist")
    outs = []
    for _ in range(2):
        eng = Engine(TrainConfig(k_g=32, k_d=32))
        stream = BatchStream(imgs, 64, 0)
        hist = torch.stack([eng.iteration(stream) for _ in range(4)])
        outs.append((hist, [p.detach().clone() for p in eng.G.parameters()]))
    assert torch.equal(outs[0][0], outs[1][0])
    assert all(torch.equal(p, q) for p, q in zip(outs[0][1], outs[1][1], strict=True))


def test_checkpoint_is_hash_checked(tmp_path):
    path = tmp_path / "run.ckpt"
    save_checkpoint(path, {"x": torch.arange(5)})
    assert torch.equal(load_checkpoint(path)["x"], torch.arange(5))
    blob = bytearray(path.read_bytes())
    blob[-3] ^= 0xFF
    path.write_bytes(bytes(blob))
    with pytest.raises(CheckpointError, match="corrupt"):
        load_checkpoint(path)
    assert load_checkpoint(tmp_path / "absent.ckpt") is None
    assert not list(tmp_path.glob(".*.tmp"))


_CHILD = """
import sys, time
from pathlib import Path
from overgan_lib.train import RunOptions, TrainConfig, loop, train
save = loop.save_checkpoint
def save_then_wait(path, payload):  # the first checkpoint is written, then the run waits
    save(path, payload)
    Path(sys.argv[2]).write_text(str(payload["state"]["step"]))
    time.sleep(600)
loop.save_checkpoint = save_then_wait
train(TrainConfig(**eval(sys.argv[1])), "smoke", progress=False,
      options=RunOptions(log_every=5, ckpt_every=10))
"""


def test_resume_after_sigkill_equals_uninterrupted_run(isolated):
    """Kill a training subprocess with SIGKILL after its first checkpoint, resume it, and
    compare with an uninterrupted run: curves and final FID/KID are bitwise equal.

    The child blocks right after writing its first checkpoint and says so through a marker
    file, so the kill lands mid-run however fast the machine is (no race with its end)."""
    cfg = TrainConfig(**{**TINY, "iters": 60})
    opts = RunOptions(log_every=5, ckpt_every=10)
    ckpt = checkpoint_path(cfg)
    marker = isolated / "first-checkpoint"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", _CHILD, repr(cfg.record()), str(marker)],
                             env=env)
    deadline = time.time() + 300
    while not marker.exists() and child.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert child.poll() is None and marker.exists(), "the child never wrote a checkpoint"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    step = load_checkpoint(ckpt)["state"]["step"]
    assert step == int(marker.read_text()) == 10
    resumed = train(cfg, "smoke", progress=False, options=opts)
    assert resumed["resumed_from"] == [10]
    assert not ckpt.exists()  # removed once the result is stored
    fresh = train(cfg, "smoke", rerun=True, progress=False, options=opts)
    assert fresh["resumed_from"] == []
    assert resumed["evals"] == fresh["evals"]  # final FID/KID
    for name, curve in fresh["curves"].items():
        assert np.array_equal(curve, resumed["curves"][name]), name
    assert resumed["final"]["step"] == cfg.iters and np.isfinite(resumed["final"]["fid_train"])


def test_result_has_provenance_grid_and_is_reused(isolated):
    cfg = TrainConfig(**{**TINY, "eval_every": 10})
    rec = train(cfg, "smoke", progress=False, options=OPTS)
    p = rec.provenance
    for key in ("git_sha", "profile", "seed", "device", "torch_version", "wall_time_s"):
        assert key in p
    assert rec["status"] == "completed" and rec["iters_per_s"] > 0
    assert [e["step"] for e in rec["evals"]] == [10, 20]  # periodic; the last is the final
    assert rec["final"] == rec["evals"][-1] and "fid_test" not in rec["final"]
    assert rec["params_g"] > 0 and rec["params_d"] > 0
    assert rec.path.with_suffix(".png").stat().st_size > 0
    again = train(cfg, "smoke", progress=False, options=OPTS)
    assert again.reused and again["final"] == rec["final"]


def _first_nonfinite_step(cfg: TrainConfig) -> int:
    eng = Engine(cfg)
    stream = BatchStream(torch.from_numpy(data.load_uint8("mnist", "train")), 64, cfg.seed)
    for step in range(1, cfg.iters + 1):
        if not torch.isfinite(eng.iteration(stream)).all():
            return step
    raise AssertionError("expected a divergence")


def test_divergence_is_recorded_at_the_exact_step_and_sweep_goes_on(isolated):
    bad = TrainConfig(**{**TINY, "lr": 2e5})
    n = _first_nonfinite_step(bad)
    good = TrainConfig(**TINY)
    opts = RunOptions(log_every=7, ckpt_every=5)
    summary = run_sweep([bad, good], "smoke", progress=False, options=opts)
    by_key = {r["key"]: r for r in summary["rows"]}
    assert by_key[bad.key]["status"] == "diverged"
    assert by_key[bad.key]["message"] == f"diverged at step {n}"
    assert by_key[good.key]["status"] == "completed"
    again = run_sweep([bad, good], "smoke", progress=False, options=opts)
    assert again["ran"] == 0  # idempotent: both results are stored


def test_grid_and_bad_arguments():
    cfgs = grid("mnist", "mlp", [8, 16], 2, iters=5)
    assert [(c.k_g, c.k_d, c.seed) for c in cfgs] == [(8, 8, 0), (8, 8, 1), (16, 16, 0),
                                                      (16, 16, 1)]
    assert len(grid("mnist", "mlp", [8], [0], k_d=[4, 8, 16])) == 3
    for kw, msg in [({"k_g": 0}, "k_g=0"), ({"lr": -1e-4}, "lr=-0.0001"),
                    ({"dataset": "svhn"}, "dataset='svhn'"), ({"arch": "vgg"}, "arch='vgg'"),
                    ({"beta1": 1.5}, "beta1=1.5"), ({"arch": "dcgan"}, "use dataset=cifar10")]:
        with pytest.raises(ParameterError, match=msg.replace("(", r"\(")):
            TrainConfig(**kw)
    with pytest.raises(ParameterError, match="widths contains 0"):
        grid("mnist", "mlp", [0, 8], 1)


@pytest.mark.parametrize("args,needle", [(["--k", "0"], "argument --k: '0' must be a positive"),
                                         (["--lr", "-1"], "lr=-1.0"),
                                         (["--dataset", "svhn"], "dataset='svhn'")])
def test_cli_train_bad_argument_is_one_line(args, needle, isolated):
    out = subprocess.run([sys.executable, "-m", "overgan_lib.cli", "train", *args],
                         capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], out.stderr
    assert not (isolated / "results").exists()  # nothing half-written


def test_cli_sweep_bad_setting_is_one_line(isolated):
    out = subprocess.run([sys.executable, "-m", "overgan_lib.cli", "sweep", "mnist_mlp",
                          "--profile", "smoke", "--set", "widths=[0, 8]"],
                         capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 2
    assert out.stderr.strip() == "overgan: error: widths contains 0; every entry must be a " \
                                 "positive integer (k >= 1)"


def test_benchmarks_compare_equal_work():
    """Timing is for ``overgan bench``; here: both sides of the train bench did the same
    computation (same weights, batches and steps give the same losses), and the ratio is
    the reference's time over the engine's."""
    from overgan_lib.bench.training import bench_sweep, bench_train

    res = bench_train("mlp", 8, "mnist", iters=1, rounds=1)
    l_d, _, _, l_g = res["engine_last_losses"]
    assert [l_d, l_g] == pytest.approx(res["reference_last_losses"], rel=1e-4)
    assert res["speedup"] == pytest.approx(res["reference_s_per_iter"] / res["engine_s_per_iter"])
    res = bench_sweep(models=2, workers=2, k=8, iters=2)
    assert res["sequential_s"] > 0 and res["concurrent_s"] > 0


def test_gpu_sweep_bench_alternates_equal_rounds():
    """``bench gpu-sweep``'s CPU path (the graphed engine's body run eagerly): both sides
    are timed in every round, and every run did the same iterations on both sides."""
    from overgan_lib.bench.training import bench_gpu_sweep

    res = bench_gpu_sweep(widths=(4,), seeds=2, iters=1, rounds=3, device="cpu")
    assert len(res["sequential_rounds_s"]) == len(res["together_rounds_s"]) == 3
    assert res["iterations_per_run"] == [1 + 2 * 3 * 1] * 2
    assert res["sequential_s"] == sorted(res["sequential_rounds_s"])[1]
    assert res["speedup"] == pytest.approx(res["sequential_s"] / res["together_s"])
