"""The ``overgan`` command line: train, sweep, bench, check, data, fid, results."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .errors import OneLineError, ParameterError, check_int
from .profiles import DEFAULT_PROFILE, check_profile


def _parse_value(raw: str):
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


def cmd_check(args: argparse.Namespace) -> int:
    """Validate chapter parameters before a kernel starts (used by the Makefile)."""
    check_profile(args.profile)
    check_int("seed", args.seed)
    extra = dict(kv.split("=", 1) for kv in args.param)
    from .profiles import settings

    for exp in args.experiment:
        overrides = {k: _parse_value(v) for k, v in extra.items()}
        settings(exp, args.profile, **overrides)  # validates every value
    print(f"ok: profile={args.profile} seed={args.seed}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Run a benchmark and print its timings and ratio."""
    check_profile(args.profile)
    if args.target == "fid":
        return _bench_fid(args)
    if args.target in ("train", "sweep", "gpu-sweep"):
        return _bench_training(args)
    if args.target == "heatmap":
        return _bench_heatmap(args)
    if args.target == "nnd":
        return _bench_nnd(args)
    if args.target == "theory":
        from .bench import bench_theory

        names = {"widths": "widths", "seeds": "seeds", "T": "T", "eta_bar": "eta_bar", "mu": "mu"}
        overrides = {key: getattr(args, attr) for key, attr in names.items()
                     if getattr(args, attr) is not None}
        from .bench.load import busy_core

        t0 = time.perf_counter()
        with busy_core(args.load):
            res = bench_theory(args.profile, args.seed, progress=not args.quiet, **overrides)
        res["load"] = bool(args.load)
        print(
            f"bench theory ({res['profile']}): Fig. 2 sweep, {res['runs']} runs x "
            f"{res['iterations']} iterations, {res['threads']} threads"
        )
        print(f"  batched over seeds (overgan): {res['batched_s']:8.2f} s")
        print(f"  per-seed autograd loop (ref): {res['reference_s']:8.2f} s")
        print(f"  ratio reference/overgan:      {res['speedup']:8.2f}x")
        for alg in ("gd", "gda"):
            mx, med = res[f"{alg}_diff_max_median"]
            print(
                f"  {alg.upper():>3} |final loss diff| / max(1, initial loss): "
                f"max {mx:.1e}, median {med:.1e}"
            )
        _store_bench("theory", res, "cpu", args.seed, time.perf_counter() - t0,
                     profile=args.profile)
        if args.json:
            print(json.dumps(res))
    return 0


def _bench_fid(args: argparse.Namespace) -> int:
    """CPU: overgan's feature path vs pytorch-fid's; cuda: FID on the GPU vs the CPU."""
    from .bench import fid as bench

    t0 = time.perf_counter()
    if (args.device or "cpu") == "cpu":
        res = bench.bench_fid(n=args.n or 2000, progress=not args.quiet)
        print(f"bench fid: {res['n']} CIFAR-10 test images, {res['threads']} threads")
        print(f"  overgan tensor path:          {res['ours_ips']:8.2f} images/s")
        print(f"  pytorch-fid get_activations:  {res['ref_ips']:8.2f} images/s (PNG files)")
        print(f"  ratio overgan/pytorch-fid:    {res['speedup']:8.2f}x")
        print(f"  |FID difference| between the two paths: {res['fid_diff']:.2e} "
              f"(FID {res['fid_ours']:.4f}, halves of {res['n'] // 2} vs {res['n'] // 2})")
        device = "cpu"
    else:
        device = args.device
        res = bench.bench_fid_device(n=args.n or 1000, n_timed=args.n_timed or 10_000,
                                     device=device, progress=not args.quiet)
        print(f"bench fid: {res['n']} CIFAR-10 train vs {res['n']} test images on "
              f"{res['device_name']} (TF32 off) and on the CPU ({res['threads']} threads)")
        print(f"  FID {device}: {res['fid_device']!r}")
        print(f"  FID cpu:  {res['fid_cpu']!r}")
        print(f"  |FID difference|: {res['fid_abs_diff']:.2e} (goal < 1e-3); pool features "
              f"differ by {res['feature_max_rel_diff']:.1e} (max, relative)")
        print(f"  {res['n_timed']} vs {res['n_timed']} FID on {device} from decoded images: "
              f"{res['timed_s']:.2f} s ({res['timed_ips']:.0f} images/s; goal <= 10 s), "
              f"FID {res['fid_timed']!r}")
    _store_bench("fid", res, device, 0, time.perf_counter() - t0)
    if args.json:
        print(json.dumps(res))
    return 0


def _bench_nnd(args: argparse.Namespace) -> int:
    """NND critic steps/s, stored with provenance under results/bench_nnd/<cpu|gpu>/."""
    from .bench import bench_nnd

    t0 = time.perf_counter()
    res = bench_nnd(batch_size=args.batch_size, steps=args.iters or 3, device=args.device,
                    seed=args.seed, progress=not args.quiet)
    print(f"bench nnd: reference critic, batch {res['batch_size']}, {res['size']}x"
          f"{res['size']}x3, {res['device_name']}, {res['threads']} threads, load average "
          f"{res['load_average_1min']:.1f}")
    print(f"  training:  {res['steps_per_s']:8.3f} critic steps/s ({res['s_per_step']:.2f} s/step)")
    print(f"  scoring:   {res['eval_batches_per_s']:8.3f} batches/s")
    print(f"  the reference's 100k steps + 10k scoring batches: {res['reference_hours']:.1f} h")
    config = {k: res[k] for k in ("batch_size", "size", "steps", "device")}
    _store_bench("nnd", res, res["device"], args.seed, time.perf_counter() - t0, config=config)
    if args.json:
        print(json.dumps(res))
    return 0


def _bench_heatmap(args: argparse.Namespace) -> int:
    from .bench import bench_heatmap

    overrides = {key: getattr(args, key) for key in ("grid", "inits", "T")
                 if getattr(args, key) is not None}
    res = bench_heatmap(args.profile, args.seed, progress=not args.quiet, **overrides)
    print(f"bench heatmap ({res['profile']}): Li et al. first-order heat map, {res['runs']} runs "
          f"x {res['iterations']} iterations, {res['threads']} threads")
    print(f"  one batched tensor program (overgan): {res['batched_s']:8.2f} s")
    print(f"  per-run Python loop (reference):      {res['reference_s']:8.2f} s")
    print(f"  ratio reference/overgan:              {res['speedup']:8.2f}x")
    print(f"  same outcome in {res['same_outcome']:.1%} of runs; final state |diff| max "
          f"{res['max_state_diff']:.1e}, median {res['median_state_diff']:.1e}")
    print(f"  record: {res['record']}")
    if args.json:
        print(json.dumps(res))
    return 0


def _store_bench(name: str, res: dict, device: str, seed: int, wall_s: float,
                 profile: str | None = None, config: dict | None = None) -> None:
    """Keep a bench result with provenance under results/bench_<name>/<profile>/: the
    profile it measured (theory) or, for the device benches, ``gpu`` on a CUDA device and
    ``cpu`` otherwise. Its config (the record's key) defaults to every non-measured field
    of ``res``."""
    from .store import save

    profile = profile or ("gpu" if device.startswith("cuda") else "cpu")
    if config is None:
        config = {k: v for k, v in res.items() if not isinstance(v, float | list)}
    rec = save(f"bench_{name.replace('-', '_')}", profile, config, res, seed, wall_s)
    print(f"  stored: {rec.path}")


def _bench_training(args: argparse.Namespace) -> int:
    from .bench import training
    from .bench.load import busy_core

    device = args.device or "cpu"
    t0 = time.perf_counter()
    with busy_core(args.load):
        if args.target == "train":
            dataset = args.dataset or ("mnist" if args.arch == "mlp" else "cifar10")
            res = training.bench_train(args.arch, args.k or 64, dataset, iters=args.iters or 5,
                                       rounds=args.rounds, device=device)
        elif args.target == "gpu-sweep":
            res = training.bench_gpu_sweep(iters=args.iters or 50, device=device)
        else:
            res = training.bench_sweep(args.models, args.workers, args.k or 64,
                                       args.iters or 100)
    res["load"] = bool(args.load)
    if args.target == "train":
        print(f"bench train: {res['arch']} k={res['k']} on {res['dataset']}, batch "
              f"{res['batch']}, {res['n_critic']} critic steps + GP, {res['device']}, "
              f"{res['threads']} threads, {res['rounds']} x {res['iters']} iterations each"
              + (", one core kept busy" if args.load else ""))
        for name in ("reference", "engine", "graphed"):
            if f"{name}_s_per_iter" in res:
                print(f"  {name + ':':24s} {res[f'{name}_s_per_iter']:8.4f} s/iter "
                      f"({res[f'{name}_ips']:.2f} it/s)")
        print(f"  ratio reference/engine:  {res['speedup']:8.2f}x")
        if "graphed_speedup" in res:
            print(f"  ratio reference/graphed: {res['graphed_speedup']:8.2f}x "
                  f"(graphed/engine {res['graphed_vs_engine']:.2f}x)")
    elif args.target == "gpu-sweep":
        print(f"bench gpu-sweep: {res['runs']} graphed DCGAN runs (k in {res['widths']} x "
              f"{res['seeds']} seeds) x {res['iters']} iterations on {res['device']}")
        print(f"  one after another: {res['sequential_s']:8.2f} s "
              f"({res['sequential_ips']:.1f} it/s aggregate)")
        print(f"  together:          {res['together_s']:8.2f} s "
              f"({res['together_ips']:.1f} it/s aggregate)")
        print(f"  ratio:             {res['speedup']:8.2f}x")
    else:
        print(f"bench sweep: {res['models']} MLP k={res['k']} runs x {res['iters']} "
              f"iterations on {res['cores']} cores")
        print(f"  one after another ({res['threads_sequential']} threads): "
              f"{res['sequential_s']:8.2f} s")
        print(f"  concurrently ({res['workers']} workers):      {res['concurrent_s']:8.2f} s")
        print(f"  ratio sequential/concurrent:       {res['speedup']:8.2f}x")
        print(f"  (worker pool start-up, paid once per sweep: {res['worker_startup_s']:.1f} s)")
    _store_bench(args.target, res, device, 0, time.perf_counter() - t0)
    if args.json:
        print(json.dumps(res))
    return 0


def cmd_data(args: argparse.Namespace) -> int:
    """``overgan data verify | grid | download``."""
    from . import data

    if args.action == "verify":
        rows = data.verify(args.root)
        if not rows:
            roots = ", ".join(str(r) for r in data.candidate_roots(args.root))
            print(f"no offline archives found in {roots}", file=sys.stderr)
            return 1
        for r in rows:
            flag = "ok " if r["ok"] else "BAD"
            print(f"{flag} {r['dataset']:8s} {r['path']}  sha256 {r['sha256'][:16]}...")
        return 0 if all(r["ok"] for r in rows) else 1
    if not args.dataset:
        raise ParameterError(f"`overgan data {args.action}` needs --dataset "
                             f"({', '.join(data.CARDS)})")
    if args.action == "download":
        arr = data.load_uint8(args.dataset, args.split, args.root, download=True)
        print(f"{args.dataset}/{args.split}: {arr.shape}")
        return 0
    from .images import save_grid
    from .metrics.reference import reference_subset

    if not args.out:
        raise ParameterError("`overgan data grid` needs --out FILE.png")
    imgs = reference_subset(args.dataset, args.split, args.n, args.root)
    print(save_grid(imgs, args.out))
    return 0


def _image_source(spec: str):
    """A folder, an .npz (mu/sigma or an image array) or DATASET:SPLIT[:N]."""
    from pathlib import Path

    import numpy as np

    from .data import CARDS

    p = Path(spec)
    if p.is_dir():
        from .images import read_folder

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
        return "dataset", (name, split or "train", int(n) if n else None)
    raise ParameterError(f"{spec!r} is not a folder, an .npz file or DATASET:SPLIT[:N] "
                         f"(datasets: {', '.join(CARDS)})")


def cmd_fid(args: argparse.Namespace) -> int:
    """``overgan fid stats ...`` and ``overgan fid --real A --fake B``."""
    from . import metrics
    from .metrics.reference import reference_features

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

            from .store import atomic_write_bytes

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


def _train_config(args: argparse.Namespace):
    from .train import TrainConfig

    fields = dict(dataset=args.dataset, arch=args.arch, seed=args.seed, iters=args.iters,
                  k_g=args.k_g or args.k, k_d=args.k_d or args.k)
    if args.lr is not None:
        fields["lr"] = args.lr
    if args.eval_n is not None:
        fields["eval_n"] = args.eval_n
    if args.eval_every is not None:
        fields["eval_every"] = args.eval_every
    return TrainConfig(**fields)


def cmd_train(args: argparse.Namespace) -> int:
    """Train one WGAN-GP run (resumes from its checkpoint; reuses a stored result)."""
    from .train import RunOptions, train

    check_profile(args.profile)
    options = RunOptions(device=args.device, graphs=args.graphs, log_every=args.log_every,
                         ckpt_every=args.ckpt_every)
    rec = train(_train_config(args), args.profile, rerun=args.rerun, progress=not args.quiet,
                options=options)
    d = rec.data
    where = "stored result" if rec.reused else f"{d['iters_per_s']:.2f} it/s"
    if d["status"] == "diverged":
        print(f"{d['message']} ({where}); result: {rec.path}")
        return 1
    f = d["final"]
    test = f"{f['fid_test']!r}" if "fid_test" in f else "not computed"
    print(f"completed {d['steps_done']} iterations ({where}): FID train {f['fid_train']!r}, "
          f"test {test}, KID train {f['kid_train']!r} (n={f['n']}); "
          f"result: {rec.path}")
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run a named width sweep (missing runs only) and print one line per run."""
    from .profiles import settings
    from .sweep import run_experiment

    overrides = {k: _parse_value(v) for k, v in (kv.split("=", 1) for kv in args.set)}
    if args.workers is not None:
        overrides["workers"] = args.workers
    cfg = settings(args.sweep, args.profile, **overrides)
    executor = None
    if args.executor == "ray":
        from .sweep import RayExecutor

        executor = RayExecutor(address=args.address)
    try:
        recs, summary = run_experiment(args.sweep, args.profile, cfg, args.seed, args.rerun,
                                       progress=not args.quiet, executor=executor)
    finally:
        if executor is not None:
            executor.shutdown()
    for r in recs:
        c = r.config if r else {}
        fid = r["final"]["fid_train"] if r and r["final"] else float("nan")
        status = r["status"] if r else "missing"
        print(f"k_g={c.get('k_g')} k_d={c.get('k_d')} seed={c.get('seed')}: {status} "
              f"FID train {fid!r} {r['message'] if r else ''}")
    if summary is not None:
        print(f"sweep wall time {summary['wall_s']:.1f} s ({summary['ran']} runs executed)")
    return 0


def cmd_results(args: argparse.Namespace) -> int:
    """List stored results with their provenance."""
    from .store import results_root

    root = results_root()
    for path in sorted(root.glob("*/*/*.json")):
        doc = json.loads(path.read_text())
        p = doc["provenance"]
        print(
            f"{path.relative_to(root)}  profile={p['profile']} seed={p['seed']} "
            f"git={p['git_sha'][:8]} torch={p['torch_version']} wall={p['wall_time_s']}s"
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and docs)."""
    ap = argparse.ArgumentParser(prog="overgan", description=__doc__)
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
    b.add_argument("--widths", type=int, nargs="+", help="override the widths k of the sweep")
    b.add_argument("--seeds", type=int, help="override the number of seeds per width")
    b.add_argument("--T", type=int, help="override the number of iterations")
    b.add_argument("--eta-bar", dest="eta_bar", type=float, help="override eta-bar (> 0)")
    b.add_argument("--mu", type=float, help="override the discriminator step mu in (0, 1]")
    b.add_argument("--n", type=int, help="fid: number of images (default 2000; with "
                   "--device cuda, train and test images each compared on cuda and cpu, "
                   "default 1000)")
    b.add_argument("--n-timed", type=int, help="fid --device cuda: images per side of the "
                   "timed FID (default 10000)")
    b.add_argument("--grid", type=int, help="heatmap: grid cells per axis")
    b.add_argument("--inits", type=int, help="heatmap: discriminator inits per cell")
    b.add_argument("--arch", default="dcgan", help="train: architecture (default dcgan)")
    b.add_argument("--k", type=int, help="train/sweep: width k (default 64)")
    b.add_argument("--iters", type=int, help="train: timed iterations per round (default 5); "
                   "sweep: iterations per model (default 100); nnd: timed steps (default 3)")
    b.add_argument("--rounds", type=int, default=2, help="train: alternating timed rounds")
    b.add_argument("--dataset", help="train: data (default cifar10; mnist for --arch mlp)")
    b.add_argument("--models", type=int, default=4, help="sweep: number of small models")
    b.add_argument("--workers", type=int, default=2, help="sweep: worker processes")
    b.add_argument("--batch-size", dest="batch_size", type=int, default=256,
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
    dp.add_argument("action", choices=["verify", "grid", "download"])
    dp.add_argument("--dataset")
    dp.add_argument("--split", default="train")
    dp.add_argument("--n", type=int, default=64)
    dp.add_argument("--out")
    dp.add_argument("--root", help="data root (default: $OVERGAN_DATA, ../shared/data, cache)")
    dp.set_defaults(func=cmd_data)
    fp = sub.add_parser("fid", help="FID/KID with pytorch-fid (offline weights built if needed)")
    fp.add_argument("action", nargs="?", choices=["stats"])
    fp.add_argument("--real")
    fp.add_argument("--fake")
    fp.add_argument("--dataset")
    fp.add_argument("--split", default="train")
    fp.add_argument("--n", type=int)
    fp.add_argument("--out", help="with `stats`: also write mu/sigma to this .npz")
    fp.add_argument("--quiet", action="store_true")
    fp.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    fp.set_defaults(func=cmd_fid)
    t = sub.add_parser("train", help="train one WGAN-GP run (App. D settings)")
    t.add_argument("--dataset", default="mnist")
    t.add_argument("--arch", default="mlp")
    t.add_argument("--k", type=int, default=256, help="width k of G and D")
    t.add_argument("--k-g", dest="k_g", type=int, help="generator width (overrides --k)")
    t.add_argument("--k-d", dest="k_d", type=int, help="critic width (overrides --k)")
    t.add_argument("--iters", type=int, default=1000, help="generator iterations")
    t.add_argument("--lr", type=float, help="Adam learning rate (default 1e-4)")
    t.add_argument("--eval-n", dest="eval_n", type=int, help="samples per FID (default 500)")
    t.add_argument("--eval-every", dest="eval_every", type=int, help="0: only at the end")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--profile", default=DEFAULT_PROFILE)
    t.add_argument("--rerun", action="store_true", help="ignore stored result and checkpoint")
    t.add_argument("--device", choices=["cpu", "cuda"], help="default: cuda when available")
    t.add_argument("--graphs", action=argparse.BooleanOptionalAction, default=None,
                   help="capture each iteration as a CUDA graph (default: on cuda)")
    t.add_argument("--log-every", dest="log_every", type=int, default=10,
                   help="host-sync and loss-logging cadence")
    t.add_argument("--ckpt-every", dest="ckpt_every", type=int, default=100,
                   help="checkpoint cadence")
    t.add_argument("--quiet", action="store_true")
    t.set_defaults(func=cmd_train)
    sw = sub.add_parser("sweep", help="run a named width sweep (skips stored runs)")
    from .sweep.registry import SWEEPS

    sw.add_argument("sweep", choices=list(SWEEPS))
    sw.add_argument("--executor", choices=["local", "ray"], default="local",
                    help="local: this process / worker processes; ray: a Ray cluster")
    sw.add_argument("--address", help="with --executor ray: the cluster (e.g. auto, "
                    "ray://head:10001); default: start a local Ray instance")
    sw.add_argument("--profile", default=DEFAULT_PROFILE)
    sw.add_argument("--seed", type=int, default=0, help="first seed")
    sw.add_argument("--workers", type=int, help="worker processes (default: profile's)")
    sw.add_argument("--set", action="append", default=[], help="KEY=VALUE setting override")
    sw.add_argument("--rerun", action="store_true")
    sw.add_argument("--quiet", action="store_true")
    sw.set_defaults(func=cmd_sweep)
    r = sub.add_parser("results", help="list stored results and their provenance")
    r.set_defaults(func=cmd_results)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``overgan`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except OneLineError as exc:  # bad parameters, missing data, corrupt checkpoints
        print(f"overgan: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
