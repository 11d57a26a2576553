"""The ``overgan`` command line: train, sweep, bench, check, data, fid, results, reproduce."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from ..errors import OneLineError, ParameterError, check_int
from ..profiles import DEFAULT_PROFILE, check_profile
from .bench import cmd_bench
from .fid import cmd_fid
from .terminate import Terminated, sigterm_unwinds
from .training import cmd_sampling_mode, cmd_sweep, cmd_train
from .values import OneLineParser, nonnegative_int, parse_overrides, positive_int

__all__ = ["build_parser", "main"]


def cmd_check(args: argparse.Namespace) -> int:
    """Validate chapter parameters before a kernel starts (used by the Makefile)."""
    check_profile(args.profile)
    check_int("seed", args.seed)
    overrides = parse_overrides("--param", args.param)
    if overrides and not args.experiment:
        raise ParameterError("--param needs --experiment NAME: the experiment whose settings "
                             "the overrides replace")
    from ..profiles import settings

    for exp in args.experiment:
        settings(exp, args.profile, **overrides)  # validates every value
    print(f"ok: profile={args.profile} seed={args.seed}")
    return 0


def cmd_data(args: argparse.Namespace) -> int:
    """``overgan data verify | grid | download``."""
    from .. import data

    if args.action == "verify":
        rows = data.verify(args.root)
        if not rows:
            roots = ", ".join(str(r) for r in data.candidate_roots(args.root))
            raise data.DataError(
                f"no offline archives found in {roots}; give --root the folder that holds "
                f"them, set $OVERGAN_DATA, or use `overgan data download --dataset NAME` "
                f"(README, 'Data')")
        for r in rows:
            flag = "ok " if r["ok"] else "BAD"
            print(f"{flag} {r['dataset']:8s} {r['path']}  sha256 {r['sha256'][:16]}...")
        return 0 if all(r["ok"] for r in rows) else 1
    if not args.dataset:
        raise ParameterError(f"`overgan data {args.action}` needs --dataset "
                             f"({', '.join(data.CARDS)})")
    if args.action == "download":
        try:
            arr = data.load_uint8(args.dataset, args.split, args.root, download=True)
        except data.DataError:
            raise
        except Exception as exc:  # torchvision's own errors (network, Google Drive quota)
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise data.DataError(
                f"torchvision's download of {args.dataset!r} failed ({type(exc).__name__}: "
                f"{first}); retry later (CelebA comes from Google Drive, which limits "
                f"downloads per file and day) or use the offline copies (README, 'Data')"
            ) from exc
        print(f"{args.dataset}/{args.split}: {arr.shape}")
        return 0
    from ..images import save_grid
    from ..metrics.reference import reference_subset

    if not args.out:
        raise ParameterError("`overgan data grid` needs --out FILE.png")
    imgs = reference_subset(args.dataset, args.split, args.n, args.root)
    print(save_grid(imgs, args.out))
    return 0


def cmd_results(args: argparse.Namespace) -> int:
    """List stored results with their provenance and whether they are current."""
    from ..inventory import as_dicts, stored_results, summary

    rows = stored_results(args.experiment, args.profile)
    shown = [r for r in rows if r.state == "stale"] if args.stale else rows
    if args.json:
        print(json.dumps(as_dicts(shown), indent=1))
        return 0
    tree = {True: "clean", False: "dirty", None: "unknown"}
    for r in shown:
        print(f"{r.path}  profile={r.profile} seed={r.seed} git={r.sha[:8]} "
              f"tree={tree[r.clean]} {r.state} device={r.device} wall={r.wall_s:.1f}s")
    print(summary(rows))
    return 0


def cmd_reproduce(args: argparse.Namespace) -> int:
    """Recompute one stored result in a scratch copy of the store and compare."""
    from ..reproduce import report, reproduce

    out = reproduce(args.result, keep=args.keep)
    print(json.dumps(out, indent=1, default=float) if args.json else report(out))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and docs)."""
    ap = OneLineParser(prog="overgan", description=__doc__.replace("``", ""))
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("bench", help="speed benchmarks (ratios against a reference)")
    b.add_argument("target", choices=["theory", "fid", "train", "sweep", "gpu-sweep", "heatmap",
                                      "nnd"])
    b.add_argument("--device", choices=["cpu", "cuda"], help="train/gpu-sweep/nnd/fid: device "
                   "(default cpu; gpu-sweep needs cuda)")
    b.add_argument("--load", action="store_true",
                   help="keep one core busy while measuring (how the code behaves beside "
                        "other work)")
    b.add_argument("--profile", default=DEFAULT_PROFILE)
    b.add_argument("--seed", type=int, default=0)
    b.add_argument("--quiet", action="store_true")
    b.add_argument("--json", action="store_true", help="also print the result as JSON")
    b.add_argument("--widths", type=positive_int, nargs="+",
                   help="theory: override the widths k of the Fig. 2 sweep")
    b.add_argument("--seeds", type=positive_int,
                   help="theory: override the number of seeds per width")
    b.add_argument("--T", type=positive_int,
                   help="theory, heatmap: override the number of iterations")
    b.add_argument("--eta-bar", dest="eta_bar", type=float, help="theory: override eta-bar (> 0)")
    b.add_argument("--mu", type=float, help="theory: override the discriminator step mu in (0, 1]")
    b.add_argument("--n", type=positive_int, help="fid: number of images (default 2000; with "
                   "--device cuda, train and test images each compared on cuda and cpu, "
                   "default 1000)")
    b.add_argument("--n-timed", type=positive_int, help="fid --device cuda: images per side of the "
                   "timed FID (default 10000)")
    b.add_argument("--grid", type=positive_int, help="heatmap: grid cells per axis")
    b.add_argument("--inits", type=positive_int, help="heatmap: discriminator inits per cell")
    b.add_argument("--arch", default="dcgan", help="train: architecture (default dcgan)")
    b.add_argument("--k", type=positive_int, help="train/sweep: width k (default 64)")
    b.add_argument("--iters", type=positive_int,
                   help="train: timed iterations per round (default 5); "
                   "sweep: iterations per model (default 100); nnd: timed steps (default 3)")
    b.add_argument("--rounds", type=positive_int, help="train, gpu-sweep: alternating timed rounds "
                   "(default 2 for train, 3 for gpu-sweep)")
    b.add_argument("--dataset", help="train: data (default cifar10; mnist for --arch mlp)")
    b.add_argument("--models", type=positive_int, default=4, help="sweep: number of small models")
    b.add_argument("--workers", type=positive_int, default=2, help="sweep: worker processes")
    b.add_argument("--batch-size", dest="batch_size", type=positive_int, default=256,
                   help="nnd: critic batch per side (reference 256)")
    b.set_defaults(func=cmd_bench)
    c = sub.add_parser("check", help="validate chapter parameters")
    c.add_argument("--profile", default=DEFAULT_PROFILE)
    c.add_argument("--seed", type=int, default=0)
    c.add_argument(
        "--experiment",
        action="append",
        default=[],
        help="also validate overrides against this experiment's settings",
    )
    c.add_argument("--param", action="append", default=[], help="KEY=VALUE override")
    c.set_defaults(func=cmd_check)
    dp = sub.add_parser("data", help="datasets: verify archives, sample grids, download")
    dp.add_argument("action", choices=["verify", "grid", "download"],
                    help="verify: sha256 of every offline archive found; grid: a PNG of sample "
                         "images; download: torchvision's download of one dataset")
    dp.add_argument("--dataset", help="mnist, cifar10 or celeba (grid, download)")
    dp.add_argument("--split", default="train", help="train or test (default train)")
    dp.add_argument("--n", type=positive_int, default=64,
                    help="grid: images in the grid (default 64)")
    dp.add_argument("--out", help="grid: the PNG file to write")
    dp.add_argument("--root", help="data root (default: $OVERGAN_DATA, ../shared/data, cache)")
    dp.set_defaults(func=cmd_data)
    fp = sub.add_parser("fid", help="FID/KID with pytorch-fid (offline weights built if needed)",
                        hint="FID of two image sets: overgan fid --real A --fake B")
    fp.add_argument("action", nargs="?", choices=["stats"], metavar="stats",
                    help="stats: cache (and with --out write) a dataset split's Inception "
                         "statistics; without it: FID/KID of --fake against --real")
    fp.add_argument("--real", help="a folder of images, a .npz of mu/sigma, or DATASET:SPLIT[:N] "
                                   "(e.g. cifar10:test:1000)")
    fp.add_argument("--fake", help="as --real")
    fp.add_argument("--dataset", help="stats: mnist, cifar10 or celeba")
    fp.add_argument("--split", default="train", help="stats: train or test (default train)")
    fp.add_argument("--n", type=positive_int, help="stats: images; a DATASET:SPLIT side "
                    "without :N: the other side's count, else 1000")
    fp.add_argument("--out", help="with `stats`: also write mu/sigma to this .npz")
    fp.add_argument("--quiet", action="store_true")
    fp.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    fp.set_defaults(func=cmd_fid)
    # Every option with a default says it in --help ("%(default)s" is argparse's value).
    dflt = " (default: %(default)s)"
    t = sub.add_parser("train", help="train one WGAN-GP run (App. D settings)")
    t.add_argument("--dataset", default="mnist", help="mnist, cifar10 or celeba" + dflt)
    t.add_argument("--arch", default="mlp", help="mlp, dcgan or resnet" + dflt)
    t.add_argument("--k", type=positive_int, default=256, help="width k of G and D" + dflt)
    t.add_argument("--k-g", dest="k_g", type=positive_int, help="generator width (overrides --k)")
    t.add_argument("--k-d", dest="k_d", type=positive_int, help="critic width (overrides --k)")
    t.add_argument("--iters", type=positive_int, default=1000, help="generator iterations" + dflt)
    t.add_argument("--lr", type=float, help="Adam learning rate (default: 1e-4)")
    t.add_argument("--eval-n", dest="eval_n", type=positive_int,
                   help="samples per FID (default: 500)")
    t.add_argument("--eval-every", dest="eval_every", type=nonnegative_int,
                   help="FID every N iterations; 0: only at the end (default: 0)")
    t.add_argument("--seed", type=int, default=0, help="seed of the run" + dflt)
    t.add_argument("--profile", default=DEFAULT_PROFILE, help="store the result under "
                   "train/PROFILE/ of the results store (the options above set the run)"
                   + dflt)
    t.add_argument("--rerun", action="store_true", help="ignore stored result and checkpoint")
    t.add_argument("--device", choices=["cpu", "cuda"], help="default: cuda when available")
    t.add_argument("--graphs", action=argparse.BooleanOptionalAction, default=None,
                   help="capture each iteration as a CUDA graph (default: on cuda)")
    t.add_argument("--log-every", dest="log_every", type=positive_int, default=10,
                   help="host-sync and loss-logging cadence" + dflt)
    t.add_argument("--ckpt-every", dest="ckpt_every", type=positive_int, default=100,
                   help="checkpoint cadence" + dflt)
    t.add_argument("--quiet", action="store_true")
    t.set_defaults(func=cmd_train)
    sw = sub.add_parser("sweep", help="run a named width sweep (skips stored runs)")
    from ..sweep.registry import SWEEPS

    sw.add_argument("sweep", choices=list(SWEEPS))
    sw.add_argument("--executor", choices=["local", "ray"], default="local",
                    help="local: this process / worker processes; ray: a Ray cluster")
    sw.add_argument("--address", help="with --executor ray: the cluster (e.g. auto, "
                    "ray://head:10001); default: start a local Ray instance")
    sw.add_argument("--profile", default=DEFAULT_PROFILE, help="the settings row of the "
                    "sweep (overgan_lib/profiles/sweeps.py)" + dflt)
    sw.add_argument("--seed", type=int, default=0, help="first seed" + dflt)
    sw.add_argument("--workers", type=positive_int, help="worker processes (default: profile's)")
    sw.add_argument("--set", action="append", default=[], help="KEY=VALUE setting override")
    sw.add_argument("--rerun", action="store_true")
    sw.add_argument("--quiet", action="store_true")
    sw.set_defaults(func=cmd_sweep)
    sm = sub.add_parser("sampling-mode", help="FID of a sweep's first-seed generators in eval "
                        "and in train mode (batch norm), training missing generators again")
    sm.add_argument("sweep", choices=list(SWEEPS))
    sm.add_argument("--profile", default=DEFAULT_PROFILE, help="the sweep's profile" + dflt)
    sm.add_argument("--seed", type=nonnegative_int, default=0,
                    help="the sweep's first seed" + dflt)
    sm.add_argument("--rerun", action="store_true", help="recompute a stored record")
    sm.add_argument("--quiet", action="store_true")
    sm.set_defaults(func=cmd_sampling_mode)
    r = sub.add_parser("results", help="list stored results, their provenance, and which "
                       "are stale (code changed since) with the commands that recompute them")
    r.add_argument("--experiment", nargs="+", default=[], help="only these experiments")
    r.add_argument("--profile", help="only this profile")
    r.add_argument("--stale", action="store_true",
                   help="list only the stale results (the summary still counts all)")
    r.add_argument("--json", action="store_true", help="print the listed results as JSON")
    r.set_defaults(func=cmd_results)
    rp = sub.add_parser("reproduce", help="recompute one stored result on this machine (in a "
                        "scratch copy of the store) and compare it with the stored one")
    rp.add_argument("result", help="the stored result, as `overgan results` prints it "
                    "(e.g. eigen/cpu/<key>.json)")
    rp.add_argument("--keep", metavar="FOLDER", help="leave the scratch store and executed "
                    "notebooks in FOLDER (default: removed)")
    rp.add_argument("--json", action="store_true", help="print the comparison as JSON")
    rp.set_defaults(func=cmd_reproduce)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``overgan`` console script."""
    try:  # a usage error is one line and status 2 (OneLineParser); --help is status 0
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        with sigterm_unwinds():  # `finally` blocks run: no temporary file is left behind
            return args.func(args)
    except OneLineError as exc:  # bad parameters, missing data, corrupt checkpoints
        print(f"overgan: error: {exc}", file=sys.stderr)
        return 2
    except Terminated as exc:
        print("overgan: stopped by SIGTERM; temporary files were removed (a training run "
              "resumes from its last checkpoint when run again)", file=sys.stderr)
        return int(exc.code)
