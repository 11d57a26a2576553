"""``overgan train`` and ``overgan sweep``: one WGAN-GP run, or a named width sweep."""

from __future__ import annotations

import argparse
import sys

from ..errors import ParameterError, check_device_visible
from ..profiles import check_profile
from .values import parse_overrides


def _train_config(args: argparse.Namespace):
    from ..train import TrainConfig

    fields = dict(dataset=args.dataset, arch=args.arch, seed=args.seed, iters=args.iters,
                  k_g=args.k if args.k_g is None else args.k_g,
                  k_d=args.k if args.k_d is None else args.k_d)
    if args.lr is not None:
        fields["lr"] = args.lr
    if args.eval_n is not None:
        fields["eval_n"] = args.eval_n
    if args.eval_every is not None:
        fields["eval_every"] = args.eval_every
    return TrainConfig(**fields)


def _warn_gpu_profile_on_cpu(profile: str) -> None:
    """Say so on stderr when the ``gpu`` profile's budget is about to run on a CPU: stored
    runs are reused in seconds, but a missing one costs hours to days there."""
    import torch

    if profile == "gpu" and not torch.cuda.is_available():
        print("overgan: warning: profile='gpu' but torch sees no CUDA GPU; runs not stored "
              "yet will train on the CPU at the gpu budget (hours to days each); "
              "use --profile cpu for this machine", file=sys.stderr)


def cmd_train(args: argparse.Namespace) -> int:
    """Train one WGAN-GP run (resumes from its checkpoint; reuses a stored result)."""
    from ..train import RunOptions, train

    check_profile(args.profile)
    check_device_visible(args.device)
    _warn_gpu_profile_on_cpu(args.profile)
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
    from ..profiles import settings
    from ..sweep import run_experiment
    from ..sweep.view import check_runs_ran

    overrides = parse_overrides("--set", args.set)
    if args.workers is not None:
        overrides["workers"] = args.workers
    cfg = settings(args.sweep, args.profile, **overrides)
    executor = None
    if args.executor == "ray":  # a Ray cluster's workers may hold the GPUs the driver lacks
        from ..sweep import RayExecutor

        try:
            executor = RayExecutor(address=args.address)
        except Exception as exc:  # ray.init's own errors (unknown scheme, no cluster there)
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise ParameterError(
                f"--address {args.address!r}: Ray could not start or connect ({first}); give "
                f"auto, a head's HOST:PORT or ray://HOST:10001, or leave --address out to "
                f"start a local Ray instance") from exc
    else:
        _warn_gpu_profile_on_cpu(args.profile)
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
    check_runs_ran(args.sweep, summary)  # a crashed run: one line on stderr, exit status 2
    return 0


def cmd_sampling_mode(args: argparse.Namespace) -> int:
    """FID of a sweep's first-seed generators sampled in eval and in train mode (batch norm's
    running against batch statistics), training missing kept generators again first."""
    from ..sweep import sweep_view
    from ..sweep.sampling_mode import first_seed_runs, sampling_mode_record

    view = sweep_view(args.sweep, args.profile, args.seed)
    if not first_seed_runs(view):
        raise ParameterError(f"{args.sweep} at --profile {args.profile}: no run of seed "
                             f"{args.seed} is stored; train it first: overgan sweep "
                             f"{args.sweep} --profile {args.profile} --seed {args.seed}")
    rec = sampling_mode_record(view, restore=True, rerun=args.rerun, progress=not args.quiet)
    for row in rec["runs"]:
        print(f"k_g={row['k_g']} k_d={row['k_d']} seed={row['seed']}: FID {row['fid_eval_mode']!r} "
              f"(eval mode), {row['fid_train_mode']!r} (train mode); stored "
              f"{row['fid_stored']!r}" + (f", trained again {row['fid_retrained']!r}"
                                             if 'fid_retrained' in row else ""))
    return 0
