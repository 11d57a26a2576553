"""What every benchmark needs to time device work honestly."""

from __future__ import annotations

import torch


def sync(device: str) -> None:
    """Wait for the device's queued work: CUDA calls return before the GPU finishes, so a
    timer read without this measures launch time only."""
    if str(device).startswith("cuda"):
        torch.cuda.synchronize()
