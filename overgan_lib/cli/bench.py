"""``overgan bench``: speed benchmarks, printed and stored with provenance."""

from __future__ import annotations

import argparse
import json
import time

from ..profiles import check_profile


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
        from ..bench import bench_theory

        names = {"widths": "widths", "seeds": "seeds", "T": "T", "eta_bar": "eta_bar", "mu": "mu"}
        overrides = {key: getattr(args, attr) for key, attr in names.items()
                     if getattr(args, attr) is not None}
        from ..bench.load import busy_core

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


def _given(value: int | None, default: int) -> int:
    """An option's value where given, else its default (``value or default`` would turn a
    given 0 into the default; the parser already rejects 0, this keeps the two apart)."""
    return default if value is None else value


def _bench_fid(args: argparse.Namespace) -> int:
    """CPU: overgan's feature path vs pytorch-fid's; cuda: FID on the GPU vs the CPU."""
    from ..bench import fid as bench

    t0 = time.perf_counter()
    if (args.device or "cpu") == "cpu":
        res = bench.bench_fid(n=_given(args.n, 2000), progress=not args.quiet)
        print(f"bench fid: {res['n']} CIFAR-10 test images, {res['threads']} threads")
        print(f"  overgan tensor path:          {res['ours_ips']:8.2f} images/s")
        print(f"  pytorch-fid get_activations:  {res['ref_ips']:8.2f} images/s (PNG files)")
        print(f"  ratio overgan/pytorch-fid:    {res['speedup']:8.2f}x")
        print(f"  |FID difference| between the two paths: {res['fid_diff']:.2e} "
              f"(FID {res['fid_ours']:.4f}, halves of {res['n'] // 2} vs {res['n'] // 2})")
        device = "cpu"
    else:
        device = args.device
        res = bench.bench_fid_device(n=_given(args.n, 1000), n_timed=_given(args.n_timed, 10_000),
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
    from ..bench import bench_nnd

    t0 = time.perf_counter()
    res = bench_nnd(batch_size=args.batch_size, steps=_given(args.iters, 3), device=args.device,
                    seed=args.seed, progress=not args.quiet)
    print(f"bench nnd: reference critic, batch {res['batch_size']}, {res['size']}x"
          f"{res['size']}x3, {res['device_name']}, {res['threads']} threads, convolutions "
          f"{res['conv_precision']}, load average {res['load_average_1min']:.1f}")
    print(f"  training:  {res['steps_per_s']:8.3f} critic steps/s ({res['s_per_step']:.2f} s/step)")
    print(f"  scoring:   {res['eval_batches_per_s']:8.3f} batches/s")
    print(f"  the reference's 100k steps + 10k scoring batches: {res['reference_hours']:.1f} h")
    config = {k: res[k] for k in ("batch_size", "size", "steps", "device")}
    _store_bench("nnd", res, res["device"], args.seed, time.perf_counter() - t0, config=config)
    if args.json:
        print(json.dumps(res))
    return 0


def _bench_heatmap(args: argparse.Namespace) -> int:
    from ..bench import bench_heatmap

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
    from ..store import save

    profile = profile or ("gpu" if device.startswith("cuda") else "cpu")
    if config is None:
        config = {k: v for k, v in res.items() if not isinstance(v, float | list)}
    rec = save(f"bench_{name.replace('-', '_')}", profile, config, res, seed, wall_s)
    print(f"  stored: {rec.path}")


def _bench_training(args: argparse.Namespace) -> int:
    from ..bench import training
    from ..bench.load import busy_core

    device = args.device or "cpu"
    t0 = time.perf_counter()
    with busy_core(args.load):
        if args.target == "train":
            dataset = args.dataset or ("mnist" if args.arch == "mlp" else "cifar10")
            res = training.bench_train(args.arch, _given(args.k, 64), dataset,
                                       iters=_given(args.iters, 5),
                                       rounds=_given(args.rounds, 2), device=device)
        elif args.target == "gpu-sweep":
            res = training.bench_gpu_sweep(iters=_given(args.iters, 50),
                                           rounds=_given(args.rounds, 3), device=device)
        else:
            res = training.bench_sweep(args.models, args.workers, _given(args.k, 64),
                                       _given(args.iters, 100))
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
              f"{res['seeds']} seeds), {res['rounds']} alternating rounds of {res['iters']} "
              f"iterations per run on {res['device']} (medians)")
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
