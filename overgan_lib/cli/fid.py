"""``overgan fid``: FID/KID between image sources, and reference statistics."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from ..errors import ParameterError


def _image_source(spec: str):
    """A folder, an .npz (mu/sigma or an image array) or DATASET:SPLIT[:N]."""
    from pathlib import Path

    import numpy as np

    from ..data import CARDS

    p = Path(spec)
    if p.is_dir():
        from ..images import read_folder

        return "images", read_folder(p)
    if p.suffix == ".npz" and p.exists():
        z = np.load(p)
        if "mu" in z and "sigma" in z:
            return "stats", (z["mu"], z["sigma"])
        key = "images" if "images" in z else z.files[0]
        return "images", z[key]
    name, _, rest = spec.partition(":")
    if name in CARDS:
        split, _, n = rest.partition(":")
        split = split or "train"
        if split not in CARDS[name].counts:  # before any other source's features are computed
            raise ParameterError(f"{spec!r}: split={split!r} must be one of "
                                 f"{', '.join(CARDS[name].counts)}, e.g. {name}:test:1000")
        return "dataset", (name, split, _count(spec, n) if n else None)
    raise ParameterError(f"{spec!r} is not a folder, an .npz file or DATASET:SPLIT[:N] "
                         f"(datasets: {', '.join(CARDS)})")


def _count(spec: str, n: str) -> int:
    """The N of a DATASET:SPLIT:N source: a positive integer, else a one-line error (an N of
    0 would otherwise fall back to the default count without a word)."""
    try:
        count = int(n)
    except ValueError:
        count = 0
    if count < 1:
        raise ParameterError(f"{spec!r}: N={n!r} must be a positive integer (images to use), "
                             f"e.g. {spec.rpartition(':')[0]}:1000")
    return count


def cmd_fid(args: argparse.Namespace) -> int:
    """``overgan fid stats ...`` and ``overgan fid --real A --fake B``."""
    from .. import metrics
    from ..metrics.reference import reference_features

    if args.action == "stats":
        if not args.dataset:
            raise ParameterError("`overgan fid stats` needs --dataset, --split and --n")
        import numpy as np

        start = time.perf_counter()
        f = reference_features(args.dataset, args.split, args.n, progress=not args.quiet)
        mu, sigma = metrics.statistics(f)
        print(f"{args.dataset}/{args.split}: N={len(f)} features, "
              f"{time.perf_counter() - start:.1f} s (cached for reuse)")
        if args.out:
            import io

            from ..store import atomic_write_bytes

            buf = io.BytesIO()
            np.savez(buf, mu=mu, sigma=sigma)
            atomic_write_bytes(Path(args.out), buf.getvalue())
            print(f"wrote {args.out} (pytorch-fid format: mu, sigma)")
        return 0
    if not (args.real and args.fake):
        raise ParameterError("give --real and --fake (folders, .npz files or DATASET:SPLIT[:N]), "
                             "or use `overgan fid stats`")

    sources = {"fake": _image_source(args.fake), "real": _image_source(args.real)}  # validate both

    def feats_or_stats(kind, val, n_default=None):
        if kind == "stats":
            return None, val
        if kind == "dataset":
            name, split, n = val
            f = reference_features(name, split, n or args.n or n_default or 1000,
                                   progress=not args.quiet)
        else:
            f = metrics.features(val, progress=not args.quiet)
        return f, metrics.statistics(f)

    ff, sf = feats_or_stats(*sources["fake"])
    fr, sr = feats_or_stats(*sources["real"], n_default=None if ff is None else len(ff))
    fid = metrics.frechet(*sf, *sr)
    out: dict = {"fid": fid}
    if ff is not None and fr is not None:
        k, ks = metrics.kid(ff, fr)
        score = metrics.Score(fid, k, ks, len(ff), len(fr))
        out = score.as_dict()
        line = str(score)
    else:
        line = f"FID {fid!r} (from stored statistics; KID needs features on both sides)"
    print(json.dumps(out) if args.json else line)
    return 0
