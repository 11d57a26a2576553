"""The ``overgan`` command line: ``bench``, ``check`` (chapter parameters) and ``results``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .errors import ParameterError, check_int
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
        cfg = settings(exp, args.profile, **overrides)
        from .theory.experiments import _validate_common

        _validate_common(cfg)
    print(f"ok: profile={args.profile} seed={args.seed}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Run a benchmark and print its timings and ratio."""
    check_profile(args.profile)
    if args.target == "theory":
        from .bench import bench_theory

        res = bench_theory(args.profile, args.seed, progress=not args.quiet)
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
        if args.json:
            print(json.dumps(res))
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
    b.add_argument("target", choices=["theory"])
    b.add_argument("--profile", default=DEFAULT_PROFILE)
    b.add_argument("--seed", type=int, default=0)
    b.add_argument("--quiet", action="store_true")
    b.add_argument("--json", action="store_true", help="also print the result as JSON")
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
    r = sub.add_parser("results", help="list stored results and their provenance")
    r.set_defaults(func=cmd_results)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``overgan`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ParameterError as exc:
        print(f"overgan: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
