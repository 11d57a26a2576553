"""``overgan bench fid``: overgan's tensor path against pytorch-fid's file-based extraction."""

from __future__ import annotations

import time
from typing import Any

import torch


def bench_fid(n: int = 2000, progress: bool = True) -> dict[str, Any]:
    """Images/s of overgan's tensor path vs pytorch-fid's file-based ``get_activations``.

    Both run on the same n CIFAR-10 test images in this process (the reference reads them
    back from PNG files, as pytorch-fid's CLI does); FID between the two halves of the set
    is computed from each path's features and their difference reported.
    """
    import tempfile
    from pathlib import Path

    from pytorch_fid.fid_score import get_activations

    from ..errors import check_positive_int
    from ..images import write_folder
    from ..metrics import features, frechet, statistics
    from ..metrics.reference import reference_subset

    check_positive_int("n", n)
    imgs = reference_subset("cifar10", "test", n)
    features(imgs[:8])  # loads the model; warm-up outside the timed region
    with tempfile.TemporaryDirectory() as tmp:
        files = [str(p) for p in write_folder(imgs, Path(tmp))]
        from pytorch_fid.inception import InceptionV3

        ref_model = InceptionV3([3]).eval()
        t0 = time.perf_counter()
        ref = get_activations(files, ref_model, batch_size=50, dims=2048, device="cpu",
                              num_workers=1)
        t_ref = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = features(imgs, batch_size=50, progress=progress)
    t_ours = time.perf_counter() - t0
    h = n // 2
    fid_ref = frechet(*statistics(ref[:h]), *statistics(ref[h:]))
    fid_ours = frechet(*statistics(ours[:h]), *statistics(ours[h:]))
    return {"n": n, "ours_ips": n / t_ours, "ref_ips": n / t_ref, "speedup": t_ref / t_ours,
            "fid_ours": fid_ours, "fid_ref": fid_ref, "fid_diff": abs(fid_ours - fid_ref),
            "threads": torch.get_num_threads()}
