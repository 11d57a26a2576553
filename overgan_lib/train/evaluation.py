"""Evaluation of a generator during and after training: FID/KID train and test (Sec. 3)."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from ..models import Z_DIM
from .config import TrainConfig


def sample(G: nn.Module, n: int, seed: int, batch: int = 100) -> torch.Tensor:
    """``n`` uint8 samples from fixed noise (seeded), generator in eval mode.

    Eval mode means batch norm uses its running statistics (the WGAN-GP reference code
    samples with batch statistics instead); the MLP has no batch norm.
    """
    from ..metrics.reference import sample_uint8

    was = G.training
    G.eval()
    try:
        return sample_uint8(G, Z_DIM, n, seed, batch)
    finally:
        G.train(was)


def evaluate(G: nn.Module, cfg: TrainConfig, step: int) -> dict[str, Any]:
    """FID/KID of ``eval_n`` samples against ``eval_n`` train and test images (Sec. 3).

    The generated features are computed once and scored against both splits, which gives
    FID train and FID test (the generalisation gap of Fig. 4) for the price of one
    extraction; ``fid_test=False`` skips the test split.
    """
    from ..metrics.fid import features, score_features
    from ..metrics.reference import reference_features

    n = cfg.eval_n
    fake = features(sample(G, n, seed=10_000 + cfg.seed))
    out: dict[str, Any] = {"step": step, "n": n}
    for split in cfg.splits:
        s = score_features(fake, reference_features(cfg.dataset, split, n, progress=False))
        out.update({f"fid_{split}": s.fid, f"kid_{split}": s.kid, f"kid_{split}_std": s.kid_std})
    return out
