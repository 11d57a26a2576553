"""Neural-net divergence: the reference critic, its optimiser and EMA, and the score itself."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from overgan_lib import data
from overgan_lib.errors import ParameterError
from overgan_lib.metrics import nnd as N
from overgan_lib.metrics.samplers import (
    Blurred,
    GeneratorSampler,
    Memoriser,
    Noisy,
    make_baseline,
)

HAVE_DATA = any((r / "cifar10-jpeg.tar.xz").exists() for r in data.candidate_roots())
needs_data = pytest.mark.skipif(not HAVE_DATA, reason="offline datasets not found")


class Smooth:
    """Fresh smooth 8x8 colour images (bilinear upsampling of 2x2 noise); ``noise=True``
    gives uniform pixel noise instead (an obviously wrong generator)."""

    def __init__(self, seed: int, noise: bool = False):
        self.g, self.noise = torch.Generator().manual_seed(seed), noise

    def __call__(self, n: int) -> torch.Tensor:
        if self.noise:
            return torch.randint(0, 256, (n, 3, 8, 8), dtype=torch.uint8, generator=self.g)
        x = torch.rand(n, 3, 2, 2, generator=self.g)
        x = torch.nn.functional.interpolate(x, size=8, mode="bilinear", align_corners=False)
        return (x * 255).round().to(torch.uint8)


def test_critic_matches_reference_layers_and_parameter_count():
    c = N.NNDCritic()
    # gan.dcgan_discriminator at dim 64, 5x5 kernels, biases (no normaliser), fc on 4x4x256
    expected = [(64, 3, 5, 5), (64,), (128, 64, 5, 5), (128,), (256, 128, 5, 5), (256,),
                (1, 4 * 4 * 256), (1,)]
    assert [tuple(p.shape) for p in c.parameters()] == expected
    assert sum(p.numel() for p in c.parameters()) == sum(math.prod(s) for s in expected)
    shapes, x = [], torch.zeros(2, 3, 32, 32)
    for conv in c.convs:
        x = N.swish(conv(x))
        shapes.append(tuple(x.shape[1:]))
    assert shapes == [(64, 16, 16), (128, 8, 8), (256, 4, 4)]
    assert c(torch.zeros(5, 3, 32, 32)).shape == (5,)


def test_same_padding_is_tensorflows():
    # TF: out = ceil(in / s), pad = max((out - 1) s + k - in, 0), the odd pixel after
    assert N.same_padding(32, 5, 2) == (1, 2)
    assert N.same_padding(8, 5, 2) == (1, 2)
    assert N.same_padding(7, 5, 2) == (2, 2)
    assert N.same_padding(3, 1, 1) == (0, 0)
    # a delta at the top-left pixel reaches output (0, 0) through kernel tap (1, 1)
    conv = N.SameConv(1, 1, 5, 2)
    with torch.no_grad():
        conv.weight.copy_(torch.arange(25.0).view(1, 1, 5, 5))
        conv.bias.zero_()
        x = torch.zeros(1, 1, 8, 8)
        x[0, 0, 0, 0] = 1
        assert conv(x)[0, 0, 0, 0].item() == 6.0  # weight[1, 1] = 1 * 5 + 1


def test_initialisation_is_the_references():
    c = N.init_critic(N.NNDCritic(), torch.Generator().manual_seed(0))
    w = c.convs[2].weight.detach()
    std = math.sqrt(1.3 * 2 / (5 * 5 * 128))
    assert float(w.abs().max()) <= 2 * std + 1e-7  # truncated at 2 std
    # a N(0, 1) cut at +-2 has std 0.8796, so the He std sqrt(2 / fan_in) is recovered
    assert float(w.std()) == pytest.approx(std * 0.8796, rel=0.01)
    limit = math.sqrt(6 / (4096 + 1))
    assert float(c.fc.weight.detach().abs().max()) <= limit
    assert float(c.fc.weight.detach().std()) == pytest.approx(limit / math.sqrt(3), rel=0.05)
    assert all(float(b.detach().abs().max()) == 0 for b in (c.fc.bias, *[v.bias for v in c.convs]))


def test_ema_update_closed_form():
    s0, p = torch.randn(7), torch.randn(7)
    shadow = [s0.clone()]
    for _ in range(25):
        N.ema_update(shadow, [p], 0.9)
    assert torch.allclose(shadow[0], 0.9 ** 25 * s0 + (1 - 0.9 ** 25) * p, atol=1e-6)
    shadow = [s0.clone()]
    N.ema_update(shadow, [p], 0.0)
    assert torch.equal(shadow[0], p)


def test_tf_adam_first_steps():
    p = torch.nn.Parameter(torch.tensor([1.0, -2.0, 0.0]))
    opt = N.TFAdam([p], betas=(0.0, 0.9), eps=1e-8)
    g1 = torch.tensor([0.5, -3.0, 1e-3])
    p.grad = g1.clone()
    opt.step(0.1)
    # beta1 = 0: m = g, v = 0.1 g^2, lr_t = 0.1 sqrt(0.1): step = lr_t g / (|g| sqrt(0.1) + eps)
    expected = torch.tensor([1.0, -2.0, 0.0]) - 0.1 * math.sqrt(0.1) * g1 / (
        g1.abs() * math.sqrt(0.1) + 1e-8)
    assert torch.allclose(p.detach(), expected, atol=1e-7)
    g2 = torch.tensor([1.0, 1.0, 1.0])
    p.grad = g2.clone()
    before = p.detach().clone()
    opt.step(0.1)
    v = 0.9 * 0.1 * g1 ** 2 + 0.1 * g2 ** 2
    lr_t = 0.1 * math.sqrt(1 - 0.81)
    assert torch.allclose(p.detach(), before - lr_t * g2 / (v.sqrt() + 1e-8), atol=1e-7)


def test_dequantize_range():
    x = torch.tensor([0, 128, 255], dtype=torch.uint8).view(1, 3, 1, 1)
    y = N.dequantize(x.expand(64, 3, 1, 1), torch.Generator().manual_seed(0), "cpu")
    lo = torch.tensor([-1.0, 0.0, 127 / 128]).view(1, 3, 1, 1)
    assert bool(((y >= lo) & (y < lo + 1 / 128)).all())
    assert float((y - lo).std()) > 1e-3  # noise really added


def test_real_vs_real_is_at_the_floor_and_below_noise():
    fit, ev = Smooth(1)(256), Smooth(2)(256)
    kw = dict(steps=20, batch_size=16, eval_batches=4, ema=0.0, lr=2e-3, progress=False)
    real = N.nnd(Smooth(3), fit, ev, **kw).nnd
    noise = N.nnd(Smooth(3, noise=True), fit, ev, **kw).nnd
    assert real < 0.25  # same distribution: E D(real) - E D(fake) ~ 0, minus the penalty
    assert noise > real + 1.0


def test_real_gap_is_the_difference_of_mean_critic_outputs():
    """real_gap against its closed form: a critic that reports brightness."""
    bright = torch.full((30, 3, 8, 8), 200, dtype=torch.uint8)
    bright[::2] = 180
    dark = torch.full((20, 3, 8, 8), 60, dtype=torch.uint8)

    class Brightness(torch.nn.Module):  # a critic with a closed form: D(x) = mean pixel
        def forward(self, x):
            return x.mean((1, 2, 3))

    gap, se = N.real_gap(Brightness(), bright, dark, 8, torch.Generator().manual_seed(0), "cpu")
    expected = ((190 - 128) - (60 - 128)) / 128  # dequantised means, noise U[0, 1/128) aside
    assert abs(gap - expected) < 1 / 128
    a = (torch.tensor([200.0, 180.0] * 15) - 128) / 128
    assert abs(se - float(a.std() / 30 ** 0.5)) < 1e-3  # dark's spread is the noise only
    same, _ = N.real_gap(Brightness(), dark, dark, 8, torch.Generator().manual_seed(0), "cpu")
    assert abs(same) < 1 / 128


def test_real_gap_sees_a_critic_that_learnt_its_few_fit_images():
    """Four fit images seen 240 times each: the critic rates them above held-out images of
    the same distribution, and that lowers the NND (held-out reals look fake to it)."""
    ev = Smooth(2)(256)
    kw = dict(steps=60, batch_size=16, eval_batches=4, ema=0.0, lr=2e-3, progress=False)
    few = N.nnd(Smooth(3), Smooth(1)(4), ev, **kw)
    many = N.nnd(Smooth(3), Smooth(1)(256), ev, **kw)
    assert few.real_gap > 4 * few.real_gap_se
    assert few.real_gap > many.real_gap + 3 * few.real_gap_se
    assert few.nnd < many.nnd - 0.3
    # ema=0: the scored critic is the raw one (the gaps differ by dequantisation noise only).
    assert abs(few.real_gap - few.real_gap_raw) < 0.05
    # A slow EMA still holds much of the initial critic: its gap is the scored one, well below
    # the raw critic's, which trained exactly as before.
    slow = N.nnd(Smooth(3), Smooth(1)(4), ev, **{**kw, "ema": 0.99})
    assert slow.real_gap_raw == few.real_gap_raw
    assert slow.real_gap < slow.real_gap_raw / 3


def test_determinism_and_curve():
    fit, ev = Smooth(1)(64), Smooth(2)(64)
    kw = dict(steps=3, batch_size=8, eval_batches=1, curve_at=[1, 3], progress=False)
    a = N.nnd(Smooth(3), fit, ev, seed=4, **kw)
    b = N.nnd(Smooth(3), fit, ev, seed=4, **kw)
    c = N.nnd(Smooth(3), fit, ev, seed=5, **kw)
    assert a.nnd == b.nnd and a.curve == b.curve and a.curve_raw == b.curve_raw
    assert a.real_gap == b.real_gap and a.real_gap_se == b.real_gap_se
    assert a.nnd != c.nnd
    assert a.curve_steps == [1, 3] and a.nnd == a.curve[-1]
    assert len(a.train_divergence) == 3


def test_bad_input_is_one_line():
    fit = Smooth(1)(16)
    cases = [
        (dict(real_fit=fit.float()), "uint8"),
        (dict(real_fit=fit[0]), r"\(N, C, H, W\)"),
        (dict(real_eval=fit[:, :1]), "one image shape"),
        (dict(steps=0), "steps=0"),
        (dict(batch_size=-1), "batch_size"),
        (dict(curve_at=[5]), "curve_at"),
        (dict(ema=1.0), "ema"),
        (dict(sampler=lambda n: Smooth(2)(n + 1)), r"sampler\("),
        (dict(sampler=lambda n: Smooth(2)(n).float()), "uint8"),
    ]
    for override, match in cases:
        kw = dict(sampler=Smooth(2), real_fit=fit, real_eval=fit, steps=2, batch_size=4,
                  eval_batches=1, progress=False)
        kw.update(override)
        with pytest.raises(ParameterError, match=match) as exc:
            N.nnd(**kw)
        assert "\n" not in str(exc.value)
    with pytest.raises(ParameterError, match="n=0"):
        Memoriser(fit)(0)
    with pytest.raises(ParameterError, match="pool=99"):
        Memoriser(fit, pool=99)


def test_samplers_are_seeded_and_shaped():
    imgs = Smooth(0)(32)
    for cls in (Memoriser, Blurred, Noisy):
        a, b = cls(imgs, seed=3)(10), cls(imgs, seed=3)(10)
        assert a.dtype == torch.uint8 and a.shape == (10, 3, 8, 8) and torch.equal(a, b)
    m = Memoriser(imgs, seed=1)
    x = m(50)
    assert all(any(torch.equal(s, t) for t in imgs) for s in x)  # every sample a copy
    assert len(Memoriser(imgs, pool=4).images) == 4
    g = torch.nn.Sequential(torch.nn.Linear(4, 3 * 8 * 8), torch.nn.Tanh(),
                            torch.nn.Unflatten(1, (3, 8, 8)))
    s1, s2 = GeneratorSampler(g, 4, seed=0)(5), GeneratorSampler(g, 4, seed=0)(5)
    assert s1.dtype == torch.uint8 and torch.equal(s1, s2)


@needs_data
def test_memoriser_feeds_the_fid_path():
    """The memoriser's samples score like the training images they are (FID features)."""
    from overgan_lib.metrics import fid, reference

    train = reference.reference_subset("cifar10", "train", 8)
    ref = reference.reference_features("cifar10", "train", 8, progress=False)
    m = Memoriser(train, seed=0)
    idx = m.indices(4)
    f = fid.features(m.images[idx])
    assert f.shape == (4, 2048)
    assert float(abs(f - ref[idx.numpy()]).max()) < 1e-3


def test_bench_nnd_cli_stores_a_record(capsys):
    from overgan_lib import store
    from overgan_lib.cli import main

    assert main(["bench", "nnd", "--batch-size", "4", "--iters", "1", "--device", "cpu",
                 "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "critic steps/s" in out
    paths = list((store.results_root() / "bench_nnd" / "cpu").glob("*.json"))
    assert len(paths) == 1
    rec = store.load("bench_nnd", "cpu", {"batch_size": 4, "size": 32, "steps": 1,
                                          "device": "cpu"})
    assert rec is not None and rec["steps_per_s"] > 0 and rec.provenance["git_sha"]
    assert rec.provenance["wall_time_s"] > 0
    assert rec["conv_precision"] == "ieee" and "convolutions ieee" in out


def test_bench_nnd_names_the_gpu_convolutions_precision(monkeypatch):
    """On a GPU the record names cuDNN's float32 setting the critic ran under, from the
    fp32_precision API where torch has it, without reading the old flag (which raises once
    a program has set the new API); the CPU is IEEE float32."""
    from overgan_lib.bench.nnd import conv_precision

    conv = getattr(torch.backends.cudnn, "conv", None)
    if conv is None or not hasattr(conv, "fp32_precision"):
        pytest.skip("this torch has no fp32_precision API")
    saved = conv.fp32_precision
    try:
        for value in ("tf32", "ieee"):
            conv.fp32_precision = value
            assert conv_precision("cuda:0") == value
    finally:
        conv.fp32_precision = saved
    assert conv_precision("cpu") == "ieee"


@needs_data
def test_fid_rewards_the_memoriser(isolated):
    """Issue 10's premise, measured: returning training images scores an FID near the
    data's own floor, and a KID (unbiased at this small N, where FID's bias dominates) far
    below that of blurred training images."""
    from overgan_lib.metrics.memorisation import baseline_fids

    res = baseline_fids(dict(dataset="cifar10", baselines=["memorise", "blur"], n=48), 0,
                        progress=False)
    mem, blur, floor = res["memorise"], res["blur"], res["floor"]["fid"]
    assert abs(mem["fid_test"] - floor) < 0.25 * floor
    assert blur["kid_train"] > 10 * max(mem["kid_train"], 1e-3)
    assert blur["fid_train"] > mem["fid_train"]


def test_fresh_draws_each_image_once_then_stops():
    imgs = Smooth(1)(12)
    f = make_baseline("fresh", imgs, seed=4)
    x = torch.cat([f(5), f(7)])
    # every training image exactly once: new real images, never a repeat
    assert sorted(int(i) for i in f.order) == list(range(12))
    assert torch.equal(x, imgs[f.order])
    with pytest.raises(ParameterError, match="exhausted: 13 draws asked of 12") as exc:
        f(1)
    assert "\n" not in str(exc.value)
    assert torch.equal(make_baseline("fresh", imgs, seed=4)(12), x)  # seeded
    with pytest.raises(ParameterError, match="pool=3 does not apply"):
        make_baseline("fresh", imgs, pool=3)


def test_sampler_draws_counts_what_nnd_asks_of_the_sampler():
    from overgan_lib.metrics.generalization import sampler_draws

    for curve_at, steps in (([2, 4], 4), ([2], 4), ([], 3)):
        cfg = dict(steps=steps, batch_size=4, eval_batches=2, curve_at=curve_at)
        imgs = Smooth(2)(sampler_draws(cfg))
        f = make_baseline("fresh", imgs, seed=0)
        N.nnd(f, imgs, imgs, steps, batch_size=4, eval_batches=2, curve_at=curve_at,
              progress=False)
        assert f.used == sampler_draws(cfg) == len(imgs)  # exactly all: one more would raise


@needs_data
def test_fresh_baseline_refuses_a_protocol_that_outdraws_its_images():
    from overgan_lib.metrics.generalization import nnd_baselines
    from overgan_lib.profiles import settings

    cfg = dict(settings("generalization_baselines", "smoke"), n_train=32)
    with pytest.raises(ParameterError, match="'fresh' needs 64 new real images but "
                                             "n_train=32") as exc:
        nnd_baselines(cfg, seed=0, progress=False)
    assert "\n" not in str(exc.value)


@needs_data
def test_nnd_floor_pairs_memoriser_and_new_real_images_over_critic_seeds():
    from overgan_lib.metrics.generalization import nnd_baselines
    from overgan_lib.metrics.nnd_floor import nnd_floor
    from overgan_lib.profiles import settings

    cfg = settings("nnd_floor", "smoke")
    out = nnd_floor(cfg, seed=0, progress=False)
    assert out["critic_seeds"] == list(range(cfg["critic_seeds"]))
    base = {k: v for k, v in cfg.items() if k != "critic_seeds"}
    first = nnd_baselines({**base, "baselines": ["memorise", "fresh"]}, 0, progress=False)
    for name in ("memorise", "fresh"):
        assert out[name]["nnd"].shape == (cfg["critic_seeds"],)
        assert out[name]["nnd"][0] == first[name]["nnd"]  # critic seed 0 is the baselines'
        assert out[name]["nnd_raw"][0] == first[name]["curve_raw"][-1]
        assert len(set(out[name]["nnd"].tolist())) == cfg["critic_seeds"]  # seeds differ
        assert out[name]["real_gap"][0] == first[name]["real_gap"]
        assert out[name]["real_gap_raw_se"].shape == (cfg["critic_seeds"],)


@needs_data
def test_nnd_fit_views_shrinks_the_fit_set_under_the_baselines_protocol():
    from overgan_lib.metrics.generalization import nnd_baselines
    from overgan_lib.metrics.nnd_fit_views import fit_subset, nnd_fit_views
    from overgan_lib.profiles import settings

    cfg = settings("nnd_fit_views", "smoke")
    out = nnd_fit_views(cfg, seed=0, progress=False)
    assert out["n_fit"].tolist() == cfg["fit_sizes"]
    assert out["views"].tolist() == [cfg["steps"] * cfg["batch_size"] / n
                                     for n in cfg["fit_sizes"]]
    # The whole fit half is the baselines' protocol: the memoriser's numbers, bit for bit.
    base = {k: v for k, v in cfg.items() if k not in ("sampler", "fit_sizes")}
    ref = nnd_baselines({**base, "baselines": ["memorise"]}, 0, progress=False)["memorise"]
    assert cfg["fit_sizes"][0] == cfg["n_real"] // 2  # the profile's first size is the fit half
    assert out["nnd"][0] == ref["nnd"] and out["real_gap"][0] == ref["real_gap"]
    assert out["real_gap_raw"][0] == ref["real_gap_raw"]
    assert out["nnd_raw"][0] == ref["curve_raw"][-1]
    assert np.all(np.isfinite(out["real_gap_se"]))
    assert len(set(out["nnd"].tolist())) == len(cfg["fit_sizes"])
    fit = np.arange(10)
    assert set(fit_subset(fit, 4)) <= set(fit_subset(fit, 7))  # nested sizes
    with pytest.raises(ParameterError, match="fit size 11 must lie in 1..10") as exc:
        fit_subset(fit, 11)
    assert "\n" not in str(exc.value)
    with pytest.raises(ParameterError, match=r"fit_sizes=\[4, 32\] must decrease") as exc:
        nnd_fit_views({**cfg, "fit_sizes": [4, 32]}, seed=0, progress=False)
    assert "\n" not in str(exc.value)


def test_crossing_the_halves_separates_learning_from_the_splits_offset():
    """The crossover's design on two planted cases. Offset: both halves are smooth images,
    but one is a little darker, and the "generator" is darker still, so both critics learn
    "brighter is more real": the first gap is negative, the crossed one positive, and the
    offset estimate carries it. Learning: eight fit images each, seen 40 times: both gaps
    positive, and the learning estimate is beyond the rule."""
    from overgan_lib.sweep.crossover import CrossedPair

    def scaled(seed: int, n: int, f: float) -> torch.Tensor:
        return (Smooth(seed)(n).float() * f).round().to(torch.uint8)

    kw = dict(steps=20, batch_size=16, eval_batches=2, ema=0.0, lr=2e-3, progress=False)

    def generator(seed: int, scale: float):
        smooth = Smooth(seed)
        return lambda n: (smooth(n).float() * scale).to(torch.uint8)

    def crossed(gen_seed, h1, h2, gen_scale):  # the same sampler and seed for both critics
        first = N.nnd(generator(gen_seed, gen_scale), h1, h2, **kw)
        second = N.nnd(generator(gen_seed, gen_scale), h2, h1, **kw)
        return CrossedPair("x", first.real_gap, first.real_gap_se, second.real_gap,
                           second.real_gap_se, first.nnd, second.nnd)

    offset = crossed(3, scaled(1, 128, 0.8), scaled(2, 128, 1.0), 0.4)
    assert offset.a < -3 * offset.se_a and offset.b > 3 * offset.se_b  # signs follow the half
    assert offset.offset < -3 * offset.se and abs(offset.learning) < abs(offset.offset) / 3
    assert offset.learnt() is False
    learning = crossed(3, Smooth(1)(8), Smooth(2)(8), 1.0)
    assert learning.a > 0 and learning.b > 0 and learning.learnt() is True
    assert abs(learning.offset) < learning.learning


@needs_data
def test_nnd_crossover_is_the_baselines_protocol_with_the_halves_swapped(monkeypatch):
    from overgan_lib.metrics import generalization as G
    from overgan_lib.metrics import nnd_crossover as X
    from overgan_lib.profiles import settings

    out = X.nnd_crossover({"source": "baselines", "seeds": 2}, "smoke", 0, progress=False)
    base = settings("generalization_baselines", "smoke")
    fit, score = G.held_out_halves(base["dataset"], base["n_real"])
    assert out["names"] == base["baselines"]
    assert (out["n_fit"], out["n_score"]) == (len(score), len(fit))
    halves = G.held_out_halves
    monkeypatch.setattr(G, "held_out_halves", lambda ds, n: halves(ds, n)[::-1])
    by_hand = G.nnd_baselines(base, 0, progress=False)  # the same run, halves swapped
    for name in base["baselines"]:
        for key in ("nnd", "real_gap", "real_gap_se", "real_gap_raw", "curve_raw"):
            assert out[name][key] == by_hand[name][key], (name, key)
    with pytest.raises(ParameterError, match="source='mnist' is neither 'baselines' nor a "
                                             "sweep") as exc:
        X.nnd_crossover({"source": "mnist", "seeds": 1}, "smoke", 0, progress=False)
    assert "\n" not in str(exc.value)
