"""Per-player optimisers: every update rule against a step computed by hand."""

from __future__ import annotations

import math

import pytest
import torch

from overgan_lib.errors import ParameterError
from overgan_lib.optim import OPTIMIZERS, GraftedAdam, NormalizedSGD, make_optimizer


def _params(*values: list[float]) -> list[torch.nn.Parameter]:
    return [torch.nn.Parameter(torch.tensor(v, dtype=torch.float64)) for v in values]


def _step(opt: torch.optim.Optimizer, params, grads) -> None:
    for p, g in zip(params, grads, strict=True):
        p.grad = torch.tensor(g, dtype=torch.float64)
    opt.step()


def test_sgda_is_plain_gradient_step():
    ps = _params([1.0, 2.0])
    _step(make_optimizer("sgda", ps, 0.1), ps, [[0.5, -1.0]])
    assert torch.allclose(ps[0], torch.tensor([0.95, 2.1], dtype=torch.float64))


def test_nsgda_per_layer_moves_each_tensor_by_lr():
    ps = _params([1.0, 1.0], [0.0, 0.0, 0.0])
    _step(make_optimizer("nsgda", ps, 0.5), ps, [[3.0, 4.0], [0.0, 0.0, 2.0]])
    # ||(3, 4)|| = 5: step 0.5 * (0.6, 0.8); ||(0, 0, 2)|| = 2: step 0.5 * (0, 0, 1)
    assert torch.allclose(ps[0], torch.tensor([0.7, 0.6], dtype=torch.float64))
    assert torch.allclose(ps[1], torch.tensor([0.0, 0.0, -0.5], dtype=torch.float64))


def test_nsgda_global_uses_one_norm_for_the_player():
    ps = _params([1.0, 1.0], [0.0, 0.0, 0.0])
    _step(make_optimizer("nsgda_global", ps, 1.3), ps, [[3.0, 4.0], [0.0, 0.0, 12.0]])
    # ||(3, 4, 0, 0, 12)|| = 13: step 1.3 * g / 13 = 0.1 * g
    assert torch.allclose(ps[0], torch.tensor([0.7, 0.6], dtype=torch.float64))
    assert torch.allclose(ps[1], torch.tensor([0.0, 0.0, -1.2], dtype=torch.float64))


def _adam_by_hand(grads: list[list[float]], lr: float, b1: float, b2: float, eps: float = 1e-8):
    """Adam's steps A_t for a sequence of gradients of one tensor (Kingma & Ba, Alg. 1)."""
    m = v = torch.zeros(len(grads[0]), dtype=torch.float64)
    out = []
    for t, g in enumerate(grads, 1):
        g = torch.tensor(g, dtype=torch.float64)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        out.append(lr * (m / (1 - b1**t)) / ((v / (1 - b2**t)).sqrt() + eps))
    return out


def test_adam_is_torch_adam_and_matches_hand_steps():
    grads = [[3.0, -4.0], [1.0, 2.0]]
    ps = _params([0.0, 0.0])
    opt = make_optimizer("adam", ps, 0.01, (0.5, 0.9))
    assert type(opt) is torch.optim.Adam and opt.defaults["betas"] == (0.5, 0.9)
    for g in grads:
        _step(opt, ps, [g])
    expected = -sum(_adam_by_hand(grads, 0.01, 0.5, 0.9))
    assert torch.allclose(ps[0], expected)


def test_adam_fused_flag_reaches_torch():
    ps = [torch.nn.Parameter(torch.zeros(2))]
    assert make_optimizer("adam", ps, 1e-4, (0.5, 0.999), fused=True).defaults["fused"] is True
    assert make_optimizer("adam", ps, 1e-4).defaults["fused"] is None  # torch's default


def test_graft_takes_adams_length_and_sgds_direction():
    grads = [[3.0, -4.0], [1.0, 2.0]]
    ps = _params([0.0, 0.0])
    opt = make_optimizer("graft", ps, 0.01, (0.5, 0.9))
    assert isinstance(opt, GraftedAdam)
    expected = torch.zeros(2, dtype=torch.float64)
    for g, a in zip(grads, _adam_by_hand(grads, 0.01, 0.5, 0.9), strict=True):
        _step(opt, ps, [g])
        g = torch.tensor(g, dtype=torch.float64)
        expected -= a.norm() * g / g.norm()
        assert torch.allclose(ps[0], expected)
    # first step by hand: A_1 = 0.01 * g / |g| elementwise, ||A_1|| = 0.01 * sqrt(2)
    first = -0.01 * math.sqrt(2) * torch.tensor([0.6, -0.8], dtype=torch.float64)
    ps2 = _params([0.0, 0.0])
    _step(make_optimizer("graft", ps2, 0.01, (0.5, 0.9)), ps2, [grads[0]])
    assert torch.allclose(ps2[0], first, atol=1e-9)
    assert opt.state[ps[0]]["step"] == 2  # Adam's state is kept


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_zero_gradient_makes_no_step(name):
    ps = _params([1.0, -2.0], [0.5])
    opt = make_optimizer(name, ps, 0.1)
    for _ in range(2):
        _step(opt, ps, [[0.0, 0.0], [0.0]])
    assert torch.equal(ps[0].detach(), torch.tensor([1.0, -2.0], dtype=torch.float64))
    assert torch.equal(ps[1].detach(), torch.tensor([0.5], dtype=torch.float64))


@pytest.mark.parametrize("name", ["nsgda", "nsgda_global", "graft"])
def test_batched_stack_equals_separate_runs(name):
    """With batched=True the first axis holds independent runs: norms are per run."""
    torch.manual_seed(0)
    a, b = torch.randn(3, 4, 2, dtype=torch.float64), torch.randn(3, 5, dtype=torch.float64)
    ga, gb = torch.randn(2, 3, 4, 2, dtype=torch.float64), torch.randn(2, 3, 5,
                                                                       dtype=torch.float64)
    stacked = [torch.nn.Parameter(a.clone()), torch.nn.Parameter(b.clone())]
    opt = make_optimizer(name, stacked, 0.05, (0.5, 0.9), batched=True)
    runs = [[torch.nn.Parameter(a[r].clone()), torch.nn.Parameter(b[r].clone())]
            for r in range(3)]
    opts = [make_optimizer(name, ps, 0.05, (0.5, 0.9)) for ps in runs]
    for t in range(2):
        stacked[0].grad, stacked[1].grad = ga[t].clone(), gb[t].clone()
        opt.step()
        for r in range(3):
            runs[r][0].grad, runs[r][1].grad = ga[t, r].clone(), gb[t, r].clone()
            opts[r].step()
    for r in range(3):
        assert torch.allclose(stacked[0][r], runs[r][0]) and torch.allclose(stacked[1][r],
                                                                            runs[r][1])


def test_scalar_parameter_global_norm():
    p = torch.nn.Parameter(torch.tensor(1.0))
    opt = NormalizedSGD([p], 0.5, scope="global")
    p.grad = torch.tensor(-3.0)
    opt.step()
    assert p.item() == pytest.approx(1.5)


@pytest.mark.parametrize("kwargs,needle", [
    (dict(name="sgd", lr=0.1), "optimizer='sgd' is not valid; use one of sgda"),
    (dict(name="adam", lr=0.0), "lr=0.0 must be a positive"),
    (dict(name="nsgda", lr=-1.0), "lr=-1.0 must be a positive"),
    (dict(name="sgda", lr=float("nan")), "lr=nan"),
    (dict(name="graft", lr=0.1, betas=(1.0, 0.9)), "betas=(1.0, 0.9) must be two numbers"),
])
def test_bad_arguments_are_one_line(kwargs, needle):
    ps = [torch.nn.Parameter(torch.zeros(2))]
    with pytest.raises(ParameterError) as err:
        make_optimizer(params=ps, **kwargs)
    assert needle in str(err.value) and "\n" not in str(err.value)
