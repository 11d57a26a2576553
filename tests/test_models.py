"""Model families of Fig. 8: shapes, ranges, parameter counts and bad arguments."""

from __future__ import annotations

import pytest
import torch

from overgan_lib import models
from overgan_lib.errors import ParameterError


@pytest.mark.parametrize("arch,size,channels", [
    ("mlp", 28, 1), ("dcgan", 32, 3), ("dcgan", 64, 3), ("resnet", 32, 3), ("resnet", 64, 3),
])
def test_shapes_and_output_range(arch, size, channels):
    g, d = models.build(arch, 8, 6, size, channels)
    z = torch.randn(3, models.Z_DIM)
    with torch.no_grad():
        x = g(z)
    assert x.shape == (3, channels, size, size)
    assert float(x.abs().max()) <= 1.0
    with torch.no_grad():
        assert d(x).shape == (3,)


@pytest.mark.parametrize("arch", models.ARCHITECTURES)
def test_parameter_count_grows_with_width(arch):
    size, ch = (28, 1) if arch == "mlp" else (32, 3)
    counts = models.parameter_counts(arch, [4, 8, 16], size, ch)
    gs = [counts[k][0] for k in (4, 8, 16)]
    ds = [counts[k][1] for k in (4, 8, 16)]
    assert gs == sorted(gs) and ds == sorted(ds) and len(set(gs)) == 3


def test_mlp_parameter_count_closed_form():
    k, z, out = 32, models.Z_DIM, 784
    g, d = models.build("mlp", k, k, 28, 1)
    assert models.parameter_count(g) == (z * k + k) + (k * k + k) + (k * out + out)
    assert models.parameter_count(d) == (out * k + k) + (k * k + k) + (k + 1)


def test_generator_and_critic_widths_are_independent():
    g1, d1 = models.build("dcgan", 16, 64)
    g2, d2 = models.build("dcgan", 16, 8)
    assert models.parameter_count(g1) == models.parameter_count(g2)
    assert models.parameter_count(d1) > models.parameter_count(d2)


@pytest.mark.parametrize("kwargs,needle", [
    ({"arch": "vit"}, "architecture='vit'"), ({"k_g": 0}, "k_g=0"), ({"k_d": -3}, "k_d=-3"),
    ({"size": 48}, "size=48"),
])
def test_bad_arguments(kwargs, needle):
    args = {"arch": "dcgan", "k_g": 8, "k_d": 8, "size": 32} | kwargs
    with pytest.raises(ParameterError, match=needle):
        models.build(**args)


@pytest.mark.parametrize("arch,k,size", [("dcgan", 16, 32), ("resnet", 16, 32), ("dcgan", 8, 64),
                                         ("resnet", 8, 64), ("mlp", 32, 28)])
def test_layer_table_covers_every_parameter_and_ends_at_the_right_shape(arch, k, size):
    from overgan_lib.models import Z_DIM, build, layer_table, parameter_count

    ch = 1 if arch == "mlp" else 3
    G, D = build(arch, k, k, size=size, channels=ch)
    g_rows, d_rows = layer_table(G, (Z_DIM,)), layer_table(D, (ch, size, size))
    assert sum(r[3] for r in g_rows) == parameter_count(G)
    assert sum(r[3] for r in d_rows) == parameter_count(D)
    assert g_rows[-1][2] == ("784" if arch == "mlp" else f"3×{size}×{size}")
    assert d_rows[-1][2] == "1" or d_rows[-1][2] == "1×1×1"


def test_resnet_critic_does_not_rectify_the_image():
    """WGAN-GP's first critic block starts with a convolution, not a ReLU: zeroing the
    negative pixels must change its output (a leading ReLU would make them invisible)."""
    from overgan_lib.models import ResNetCritic

    first = ResNetCritic(8, 32).blocks[0]
    assert isinstance(first.main[0], torch.nn.Conv2d)
    x = torch.randn(2, 3, 32, 32)
    assert not torch.allclose(first.main(x), first.main(x.clamp(min=0)))
    later = ResNetCritic(8, 32).blocks[1]  # pre-activation blocks do rectify their input
    h = torch.randn(2, 8, 16, 16)
    assert torch.allclose(later.main(h), later.main(h.clamp(min=0)))
