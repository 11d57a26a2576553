"""Issue 10: FID of the baseline "generators" (a memoriser, blurred and noisy training
images), scored exactly as the sweeps score their models: ``n`` samples against the same
cached ``n`` training and ``n`` test reference images.

The point it makes (Gulrajani et al. 2019; the paper's Sec. 3): a generator that returns
training images reaches the data's own FID floor, so FID cannot tell memorisation from
generalisation; the NND and the nearest-neighbour distances of :mod:`.generalization` can.
"""

from __future__ import annotations

import time
from typing import Any

from tqdm import tqdm

from .. import data
from ..profiles import validate_settings
from .fid import features, score_features
from .generalization import baseline_sampler
from .reference import reference_features


def baseline_fids(cfg: dict[str, Any], seed: int, progress: bool = True) -> dict[str, Any]:
    """FID and KID against training and test images of each baseline in
    ``cfg['baselines']`` (names as in :func:`.generalization.baseline_sampler`), ``cfg['n']``
    samples each (capped by the test split), with the data's own train-vs-test floor."""
    validate_settings(cfg)
    name = cfg["dataset"]
    n = min(cfg["n"], data.CARDS[name].counts["test"])
    ref = {split: reference_features(name, split, n, progress=progress)
           for split in ("train", "test")}
    floor = score_features(ref["train"], ref["test"])
    out: dict[str, Any] = {"dataset": name, "n": n, "baselines": list(cfg["baselines"]),
                           "floor": floor.as_dict()}
    train = data.load_uint8(name, "train")
    for b in tqdm(cfg["baselines"], desc="baseline FID", disable=not progress):
        t0 = time.perf_counter()
        f = features(baseline_sampler(b, train, seed)(n))
        tr, te = score_features(f, ref["train"]), score_features(f, ref["test"])
        out[b] = {"fid_train": tr.fid, "kid_train": tr.kid, "fid_test": te.fid,
                  "kid_test": te.kid, "seconds": time.perf_counter() - t0}
    return out
