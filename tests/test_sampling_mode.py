"""Kept generators brought back by training again (overgan_lib.sweep.restore) and the
eval-mode against train-mode FID of chapter 7's setup (overgan_lib.sweep.sampling_mode)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import torch

from overgan_lib import data
from overgan_lib.sweep import restore, sampling_mode
from overgan_lib.train import RunOptions, TrainConfig, load_generator, sample, train

# A DCGAN (batch norm in G) small enough for a test, scored on the CIFAR-10 copy
DCGAN = dict(dataset="cifar10", arch="dcgan", k_g=4, k_d=4, iters=3, eval_n=16, fid_test=False)
OPTS = RunOptions(device="cpu", log_every=1, ckpt_every=2)

needs_cifar = pytest.mark.needs_data("cifar10")


@needs_cifar
def test_restore_trains_the_very_generator_the_record_names(isolated):
    rec = train(TrainConfig(**DCGAN), "smoke", progress=False, options=OPTS)
    path = restore.weights_file(rec)
    kept = path.read_bytes()
    path.unlink()
    assert restore.restore_generator(rec) == path and path.read_bytes() == kept
    assert restore.restore_generator(rec) == path  # present: nothing to do
    # a record naming other weights (another machine's) is refused and nothing is written
    path.unlink()
    other = dataclasses.replace(rec, data={**rec.data, "weights": {"sha256": "0" * 64,
                                                                    "bytes": 1}})
    with pytest.raises(data.DataError, match="not the record's 000000000000.*nothing stored"):
        restore.restore_generator(other)
    assert not restore.weights_file(other).exists() and not path.exists()
    # the sampling-mode measurement takes such a run as it is, says so, and keeps nothing
    G, how, fid_retrained = sampling_mode.run_generator(other)
    assert how == sampling_mode.RETRAINED and not path.exists()
    # the run trained again reports its own final FID, which its generator reproduces
    assert fid_retrained == rec.data["final"]["fid_train"]  # bitwise here: the same run
    row = {**sampling_mode.mode_fids(other, G), "generator": how, "fid_retrained": 1.0}
    assert sampling_mode.scored_run_fid(row) == 1.0  # a run trained again: its own FID
    assert sampling_mode.run_generator(rec)[1:] == (sampling_mode.BITWISE, fid_retrained)
    assert path.exists()
    assert sampling_mode.run_generator(rec)[1:] == (sampling_mode.KEPT, None)


def test_only_cpu_runs_with_a_thread_count_can_be_restored():
    from overgan_lib.store import Record, device_threads

    def rec(device: str) -> Record:
        return Record("train", {}, {"device": device, "profile": "gpu"},
                      {"weights": {"sha256": "a" * 64}}, Path("r.json"))

    assert device_threads("cpu:x86_64 x2 threads") == ("cpu:x86_64", 2)
    assert device_threads("cuda:NVIDIA H200") == ("cuda:NVIDIA H200", None)
    assert restore.record_threads(rec("cpu:x86_64 x2 threads")) == 2
    assert restore.record_threads(rec("cpu:AMD EPYC (x86_64) x1 thread")) == 1
    with pytest.raises(data.DataError, match="trained on cuda:NVIDIA H200: only CPU runs"):
        restore.record_threads(rec("cuda:NVIDIA H200"))


@needs_cifar
def test_eval_mode_fid_is_the_runs_own_and_train_mode_uses_batch_statistics(isolated):
    rec = train(TrainConfig(**DCGAN), "smoke", progress=False, options=OPTS)
    G = load_generator(rec)
    before = {k: v.clone() for k, v in G.state_dict().items()}
    row = sampling_mode.mode_fids(rec, G)
    # the kept generator in eval mode is what the run scored at its end
    assert row["fid_eval_mode"] == pytest.approx(row["fid_stored"], rel=1e-4)
    assert abs(row["fid_train_mode"] - row["fid_eval_mode"]) > 1e-3  # batch stats differ
    assert all(torch.equal(v, G.state_dict()[k]) for k, v in before.items())  # G untouched
    assert not G.training


def test_train_mode_samples_draw_the_eval_noise_in_full_batches():
    """Without batch norm both modes are one function: the train-mode samples (drawn in
    full batches, the surplus dropped) equal the eval-mode samples of the same seed."""
    from overgan_lib.models import build

    G, _ = build("mlp", 8, 8, size=28)
    torch.manual_seed(0)
    got = sampling_mode.train_mode_samples(G.eval(), 10, seed=3, batch=4)
    assert got.shape[0] == 10 and torch.equal(got, sample(G, 10, seed=3))
    assert not G.training  # the copy went to train mode, not G


def test_mode_reading_says_whether_the_order_of_widths_changes():
    from overgan_lib.sweep import chapter

    rows = [{"k_g": 8, "fid_eval_mode": 400.0, "fid_train_mode": 380.0, "fid_stored": 400.0},
            {"k_g": 64, "fid_eval_mode": 390.0, "fid_train_mode": 395.0, "fid_stored": 390.0}]
    noise = {"se_lo": 3.0, "se_hi": 12.5, "gap": 7.25, "gap_widths": (64, 8)}
    text = chapter.mode_reading(rows, "k_g", "k", noise, "At `cpu` (...): ", missing=[16])
    assert text.startswith("At `cpu` (...): train-mode minus eval-mode FID is -20.00, +5.00 at "
                           "k = 8, 64 (largest in size at k = 8)")
    assert "read 64, 8 in eval mode and 8, 64 in train mode, a different order." in text
    assert ("the largest change (20.00) is above every width's standard error (the standard "
            "error of a width's mean final FID over its seeds, 3.0 to 12.5); it exceeds the "
            "smallest gap between two widths' means (7.25, k = 64 and 8), so the sampling mode "
            "alone could swap those two") in text
    # a change within the standard errors and below the smallest gap is read as such
    small = [{**r, "fid_train_mode": r["fid_eval_mode"] + d}
             for r, d in zip(rows, (4.0, -2.0), strict=True)]
    text2 = chapter.mode_reading(small, "k_g", "k", noise)
    assert ("the largest change (4.00) is within the widths' standard errors" in text2
            and "it is below the smallest gap between two widths' means (7.25" in text2)
    assert "below every width's standard error" in chapter.mode_reading(
        small, "k_g", "k", {**noise, "se_lo": 5.0})
    assert "Not measured (k = 16): no completed run of the first seed." in text
    assert "reproduce the final FIDs of the stored runs to within 0." in text
    rows[1]["fid_train_mode"] = 379.6  # 0.4 below k = 8's: the same order, but a near-tie
    text = chapter.mode_reading(rows, "k_g", "k")
    assert ("the same order, with near-ties (less than 1 apart, the book's guess at FID's noise "
            "at this N, which is not measured) that a different noise draw could swap: k = 64 "
            "and 8 (0.40 apart in train mode).") in text
    # a generator trained again elsewhere is another sample of the run: said, and measured
    rows[0].update(generator=sampling_mode.RETRAINED, fid_eval_mode=410.0)
    text = chapter.mode_reading(rows)
    assert ("1 of the 2 generators were trained again on the machine that computed this record "
            "and are not bitwise the stored runs'") in text
    assert "differ from the stored runs' final FIDs by up to 10.00" in text
    assert "(1 of the 2 rows checked)" in text  # an older record: its own FID not stored
    rows[0]["fid_retrained"] = 409.5  # the run trained again scored its generator at 409.5
    text = chapter.mode_reading(rows)
    assert ("reproduce the final FIDs of the runs that made them (stored, or trained again for "
            "this record) to within 0.5.") in text
    rows[1].update(generator=sampling_mode.RETRAINED, fid_retrained=390.25)
    assert ("reproduce the final FIDs of the runs trained again for this record to within "
            "0.5.") in chapter.mode_reading(rows)


def test_width_noise_is_the_standard_error_of_a_widths_mean_and_the_smallest_gap():
    import numpy as np

    from overgan_lib.store import Record
    from overgan_lib.sweep import grid, spec
    from overgan_lib.sweep.chapter import width_noise
    from overgan_lib.sweep.view import SweepView

    fids = {(8, 0): 400.0, (8, 1): 410.0, (16, 0): 380.0, (16, 1): 381.0, (32, 0): 377.0}
    cfgs = [c for c in grid("cifar10", "dcgan", [8, 16, 32], [0, 1]) if (c.k_g, c.seed) in fids]
    recs = [Record("train", c.record(), {}, {"status": "completed", "message": "",
                                             "final": {"fid_train": fids[(c.k_g, c.seed)]}},
                   Path("x")) for c in cfgs]
    got = width_noise(SweepView(spec("cifar10_dcgan"), "cpu", {}, cfgs, recs, None))
    se = [np.std([400, 410], ddof=1) / np.sqrt(2), np.std([380, 381], ddof=1) / np.sqrt(2)]
    assert got.pop("gap_widths") == (32, 16)  # means 377 and 380.5: the lower first
    assert got == pytest.approx({"se_lo": min(se), "se_hi": max(se), "gap": 3.5})
