"""``overgan bench nnd``: critic steps/s of the neural-net divergence."""

from __future__ import annotations

import time
from typing import Any

import torch
from tqdm import tqdm

from .timing import sync


def bench_nnd(batch_size: int = 256, steps: int = 3, warmup: int = 1, size: int = 32,
              device: str | None = None, seed: int = 0,
              progress: bool = True) -> dict[str, Any]:
    """Critic steps/s of the neural-net divergence (:mod:`overgan_lib.metrics.nnd`).

    Times ``steps`` training steps (after ``warmup`` untimed ones) and as many scoring
    batches of the reference critic on random uint8 images of CIFAR-10's shape, and
    extrapolates the reference's cost: 100k steps plus 10k scoring batches of 256. There
    is no second implementation to race against, so no ratio: the number is the cost. The
    record keeps the 1-minute load average, since a shared CPU slows every step.
    """
    from ..errors import check_device_visible, check_int, check_positive_int
    from ..metrics import nnd as N

    for name, v in (("batch_size", batch_size), ("steps", steps), ("size", size)):
        check_positive_int(name, v)
    check_int("warmup", warmup)
    device = check_device_visible(device) or ("cuda" if torch.cuda.is_available() else "cpu")
    gen = torch.Generator().manual_seed(seed)
    critic = N.init_critic(N.NNDCritic(3, size), gen).to(device,
                                                          memory_format=torch.channels_last)
    shadow = [p.detach().clone() for p in critic.parameters()]
    opt = N.TFAdam(list(critic.parameters()))

    def batch() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        x = torch.randint(0, 256, (2, batch_size, 3, size, size), dtype=torch.uint8,
                          generator=gen)
        return (N.dequantize(x[0], gen, device), N.dequantize(x[1], gen, device),
                torch.rand(batch_size, generator=gen).to(device))

    for _ in range(warmup):
        N.train_step(critic, opt, shadow, *batch(), N.LR, N.EMA)
    sync(device)
    t_train = t_eval = 0.0
    for _ in tqdm(range(steps), desc="NND bench", disable=not progress):
        real, fake, alpha = batch()  # data preparation is not timed
        sync(device)
        t0 = time.perf_counter()
        N.train_step(critic, opt, shadow, real, fake, alpha, N.LR, N.EMA)
        sync(device)
        t_train += time.perf_counter() - t0
        real, fake, alpha = batch()
        t0 = time.perf_counter()
        float(N.critic_cost(critic, real, fake, alpha, create_graph=False)[0].detach())
        sync(device)
        t_eval += time.perf_counter() - t0
    sps, eps = steps / t_train, steps / t_eval
    # the reference's batch is 256; another batch size is scaled linearly to it
    ref_s = (N.BATCH / batch_size) * (N.REFERENCE_STEPS / sps + N.REFERENCE_EVAL_BATCHES / eps)
    import os

    from ..store import device_name

    cpu_name = f"cpu x{torch.get_num_threads()}"
    return {"load_average_1min": os.getloadavg()[0], "batch_size": batch_size, "size": size,
            "steps": steps, "device": device, "conv_precision": conv_precision(device),
            "device_name": device_name() if device != "cpu" else cpu_name,
            "steps_per_s": sps, "s_per_step": 1 / sps, "eval_batches_per_s": eps,
            "reference_hours": ref_s / 3600, "threads": torch.get_num_threads()}


def conv_precision(device: str) -> str:
    """The float32 precision the critic's convolutions ran at: 'ieee' on the CPU; on a GPU,
    cuDNN's setting, which the bench leaves as the caller had it ('tf32' is PyTorch's default
    for convolutions, unlike Inception features, :func:`overgan_lib.metrics.fid.no_tf32`).
    Reads the ``fp32_precision`` API where torch has it (the old flag raises once a program
    has set the new one)."""
    if not str(device).startswith("cuda"):
        return "ieee"
    conv = getattr(torch.backends.cudnn, "conv", None)
    if conv is not None and hasattr(conv, "fp32_precision"):
        return str(conv.fp32_precision)
    return "tf32" if torch.backends.cudnn.allow_tf32 else "ieee"
