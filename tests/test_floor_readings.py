"""Chapter 5's readings (metrics.floor_readings): KID's protocol as the code runs it, and the
evaluation throughput of a sweep's stored runs."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from overgan_lib.errors import ParameterError
from overgan_lib.metrics import fid
from overgan_lib.metrics import floor_readings as fr
from overgan_lib.store import Record


class _Rows(np.ndarray):
    """An array that records the length of every index array it is read with."""

    def __getitem__(self, idx):
        if isinstance(idx, np.ndarray):
            self.seen.append(len(idx))
        return np.asarray(self)[idx]


def _recording(n: int, seed: int) -> _Rows:
    x = np.random.default_rng(seed).standard_normal((n, 8)).view(_Rows)
    x.seen = []
    return x


@pytest.mark.parametrize("n_fake,n_real", [(16, 16), (30, 12), (2100, 2500)])
def test_kid_subset_size_is_what_kid_draws(n_fake, n_real):
    a, b = _recording(n_fake, 0), _recording(n_real, 1)
    subsets = 3
    fid.kid(a, b, subsets=subsets)
    m = fr.kid_subset_size(n_fake, n_real)
    assert a.seen == b.seen == [m] * subsets
    assert m == min(fr.kid_protocol()[1], n_fake // 2, n_real // 2)


def test_kid_protocol_is_score_features_default():
    subsets, size = fr.kid_protocol()
    x = np.random.default_rng(2).standard_normal((8, 4))
    calls = []
    real_kid = fid.kid

    def spy(f1, f2, subsets=50, **kw):
        calls.append(subsets)
        return real_kid(f1, f2, subsets=subsets, **kw)

    mp = pytest.MonkeyPatch()
    mp.setattr(fid, "kid", spy)
    try:
        fid.score_features(x, x[::-1].copy())
    finally:
        mp.undo()
    assert calls == [subsets] and size >= 2


def _run(evals: list[int], eval_s: float | None, device="cpu:x1") -> Record:
    data = {"evals": [{"n": n} for n in evals]}
    if eval_s is not None:
        data["eval_s"] = eval_s
    return Record("train", {}, {"device": device}, data, Path("x.json"))


def test_eval_throughput_from_stored_runs():
    runs = [_run([200, 200], 40.0), _run([400], 100.0), _run([200], None), _run([], 5.0)]
    assert fr.images_per_second(runs[0]) == pytest.approx(10.0)
    assert np.isnan(fr.images_per_second(runs[2])) and np.isnan(fr.images_per_second(runs[3]))
    view = SimpleNamespace(done=runs, spec=SimpleNamespace(name="mnist_mlp"), profile="cpu",
                           cfg={"workers": 2})
    t = fr.eval_throughput(view)
    assert t.runs == 2 and t.median == pytest.approx(7.0) and t.images == 400
    assert (t.workers, t.device) == (2, "cpu:x1")
    text = fr.throughput_text(t, images=2100)
    assert "median 7.0 images/s" in text and "4.0 to 10.0 over 2 runs" in text
    assert "about 5 minutes" in text  # 2,100 / 7 / 60
    text = fr.throughput_text(t, images=4200)  # 10 minutes, 5 of them for the generated half
    assert "about 10 minutes for the 4,200 images" in text
    assert "about 5 minutes for its generated half" in text
    empty = SimpleNamespace(done=runs[2:], spec=view.spec, profile="cpu", cfg={})
    assert fr.eval_throughput(empty) is None
    assert fr.throughput_text(None).startswith("No sweep run")


def test_curve_kid_subsets_is_what_data_metrics_passes(monkeypatch):
    """data_metrics run on random stand-in features: the KIDs of its curve use the subsets
    curve_kid_subsets states (its floor table, the default)."""
    from overgan_lib import profiles
    from overgan_lib.metrics import floors

    g = np.random.default_rng(3)
    seen = []

    def spy(a, b, kid_subsets=None):
        seen.append(fr.kid_protocol()[0] if kid_subsets is None else kid_subsets)
        return fid.score_features(a, b, kid_subsets=seen[-1])

    monkeypatch.setattr(floors, "score_features", spy)
    monkeypatch.setattr(floors, "reference_features",
                        lambda name, split, n, progress=True: g.standard_normal((n, 8)))
    monkeypatch.setattr(floors, "reference_subset", lambda *a: None)
    monkeypatch.setattr(floors, "timed_features", lambda imgs, batch_size: (None, 1.0))
    cfg = profiles.settings("data_metrics", "smoke")
    floors.data_metrics(cfg, 0, progress=False)
    table = len(cfg["datasets"])
    assert seen[:table] == [fr.kid_protocol()[0]] * table
    assert seen[table:] == [fr.curve_kid_subsets()] * (len(cfg["curve_ns"]) * cfg["repeats"])


def test_kid_spread_against_the_pool():
    """Review m8: the per-N spread of the stored KID curve and whether a point is consistent
    with a flat curve at the pool's KID (Student's t on repeats - 1 degrees of freedom)."""
    from scipy.stats import t as student_t

    ns = np.array([50, 100, 1000])
    y = np.array([[-4.0, -4.3, -1.5], [-1.0, -0.5, -0.1], [-0.2, -0.18, -0.15]])
    k = fr.kid_spread(ns, y, pool_kid=-0.19)
    assert k.repeats == 3 and k.t_crit == pytest.approx(4.303, abs=1e-3)
    assert k.mean[0] == pytest.approx(-3.2667, abs=1e-4)
    assert k.sd[0] == pytest.approx(np.std(y[0], ddof=1))
    assert k.se[0] == pytest.approx(k.sd[0] / np.sqrt(3))
    assert k.t[0] == pytest.approx((k.mean[0] + 0.19) / k.se[0])
    assert k.flat[0]  # |t| = 3.5 < 4.30: within the noise of three repeats
    assert 0.05 < k.p[0] < 0.1 and k.p[0] == pytest.approx(2 * student_t.sf(abs(k.t[0]), 2))
    text = fr.kid_flat_text(k)
    assert "consistent with a flat curve" in text and "not consistent" not in text
    assert f"-3.27 ± {k.se[0]:.2f}" in text and "2 degrees of freedom" in text
    # the same mean with repeats that agree closely is far from the pool: not flat
    tight = fr.kid_spread(ns, np.array([[-3.3, -3.25, -3.25]] + y[1:].tolist()), -0.19)
    assert not tight.flat[0] and "not consistent" in fr.kid_flat_text(tight)
    # identical repeats at the pool's value: t = 0 (no division by a zero SE)
    same = fr.kid_spread(ns[:1], np.array([[-0.19, -0.19]]), -0.19)
    assert same.t[0] == 0.0 and same.t_crit == pytest.approx(student_t.ppf(0.975, 1))
    assert "1 degree of freedom" in fr.kid_flat_text(same)
    with pytest.raises(ParameterError, match="at least 2 repeats"):
        fr.kid_spread(ns, y[:, :1], -0.19)


def test_kid_flat_text_reads_the_sign_and_size_of_t():
    """Review c56 item 8: a point 3.5 standard errors below the pool leans towards a fall of
    KID at small N (not a rise); a significant one shows it; one within a standard error
    shows neither."""
    ns = np.array([50, 100])
    lean = fr.kid_spread(ns, np.array([[-4.0, -4.3, -1.5], [0, 0, 0.1]]), -0.19)
    text = fr.kid_flat_text(lean)
    assert "leans towards a fall of KID at small N (below the pool), not towards a rise" in text
    assert "neither confirm that fall nor rule it out" in text
    up = fr.kid_spread(ns, np.array([[3.6, 3.9, 1.1], [0, 0, 0.1]]), 0.19)
    assert "leans towards a rise of KID at small N (above the pool), not towards a fall" in (
        fr.kid_flat_text(up))
    tight = fr.kid_spread(ns, np.array([[-3.3, -3.25, -3.25], [0, 0, 0.1]]), -0.19)
    assert "it shows a fall of KID at small N (below the pool), significant at 5%" in (
        fr.kid_flat_text(tight))
    near = fr.kid_spread(ns, np.array([[-0.5, 0.3, -0.4], [0, 0, 0.1]]), -0.19)
    assert abs(near.t[0]) <= fr.KID_LEAN_T
    assert "it shows neither a rise nor a fall at small N" in fr.kid_flat_text(near)


def test_feature_images_counts_both_sides_and_the_timing():
    from overgan_lib import profiles

    gpu = profiles.settings("data_metrics", "gpu")  # CelebA's test split stops at 2,000
    assert fr.feature_images(gpu) == 8000 * 2 + 8000 * 2 + 8000 + 2000 + 2000
    assert fr.feature_images({"datasets": ["mnist"], "n": 100, "speed_images": 4}) == 204


def test_chapter_five_stops_at_gpu_without_a_gpu_instead_of_computing(isolated, monkeypatch):
    """Review c56 item 5: at gpu and paper with no CUDA GPU, a missing data_metrics record
    (or rerun) is one line naming the images and, from the stored cpu record's rate, about
    how long; below gpu, with a GPU visible, or with the record stored, it returns."""
    import torch

    from overgan_lib import profiles, store
    from overgan_lib.errors import OneLineError

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    gpu = profiles.settings("data_metrics", "gpu")
    fr.require_data_metrics("cpu", 0, profiles.settings("data_metrics", "cpu"), rerun=True)
    for p in ("gpu", "paper"):
        with pytest.raises(OneLineError) as err:
            fr.require_data_metrics(p, 0, gpu, rerun=False)
        msg = str(err.value)
        assert msg.startswith(f"chapter 5 at profile {p}: 1 record not stored (data_metrics); "
                              "this chapter would compute it here, Inception features of up to "
                              "44,000 images on the CPU: run it where torch sees a GPU")
        assert "\n" not in msg
    cpu = profiles.settings("data_metrics", "cpu")
    store.save("data_metrics", "cpu", {**cpu, "seed": 0}, {"images_per_second": 20.0}, 0, 1.0)
    with pytest.raises(OneLineError, match=r"\(about 37 minutes at the 20\.0 images/s the "
                                           r"stored cpu record measured\)"):
        fr.require_data_metrics("gpu", 0, gpu, rerun=False)
    store.save("data_metrics", "gpu", {**gpu, "seed": 0}, {}, 0, 1.0)
    fr.require_data_metrics("gpu", 0, gpu, rerun=False)
    with pytest.raises(OneLineError, match=r"rerun=True would recompute its 1 record "
                                           r"\(data_metrics\) here"):
        fr.require_data_metrics("gpu", 0, gpu, rerun=True)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    fr.require_data_metrics("paper", 0, gpu, rerun=True)  # a GPU computes it in minutes
