"""``overgan reproduce``: recompute one stored result on this machine and compare.

A reader who wants to trust a committed number can recompute it; but a chapter that finds its
record stored never recomputes it, and ``rerun`` replaces the committed record. This module
copies the results store into a scratch folder without the one record, runs the command that
stores it (:func:`.inventory.recompute_command`, without ``--rerun``: every other record is
found in the copy, so only this one is computed), and compares the two records array by
array. Nothing under ``results/`` or ``_build/`` is touched except the comparison itself,
stored as a ``reproduce`` record (with this machine's provenance) that the status page lists.

Bitwise equality is expected on the CPU model and torch build that made a record (README,
"Determinism"); on another CPU, GAN training amplifies rounding differences and the numbers
agree in distribution at best, while the theory experiments (float64 linear algebra) agree to
rounding. Timings (:func:`is_timing`) are reported apart: they are measurements of the
machine, not results.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import store
from .errors import ParameterError
from .inventory import chapter_of

EXPERIMENT = "reproduce"  # the store's name for comparisons
#: Data keys that hold a measured duration or speed (names ending so): compared apart.
_TIMING_ENDINGS = ("seconds", "_s", "per_second", "per_s")


def is_timing(key: str) -> bool:
    """Whether a data key (its last dotted part) names a duration or a speed."""
    return key.rsplit(".", 1)[-1].endswith(_TIMING_ENDINGS)


@dataclass(frozen=True)
class Difference:
    """How one data entry of two records compares."""

    key: str  # dotted path into the record's data
    equal: bool  # bitwise (NaN equal to NaN)
    share_equal: float  # of the elements (1.0 or 0.0 for non-numeric entries)
    n: int  # elements compared (1 for a non-numeric entry, 0 for other shapes)
    max_abs: float  # largest |a - b| (0 where equal; NaN for non-numeric or other shapes)
    max_rel: float  # max_abs over the largest |a| (NaN where that is 0)
    note: str = ""  # "timing", "shape (3,) vs (4,)", "missing in one"


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """A record's data as {dotted key: leaf}: dicts are walked, and lists of dicts (e.g. a
    run's evaluations) by index; everything else is a leaf."""
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for k, v in data.items():
            out.update(_flatten(v, f"{prefix}{k}."))
        return out
    if isinstance(data, list | tuple) and data and all(isinstance(v, dict) for v in data):
        out = {f"{prefix}len": len(data)}
        for i, v in enumerate(data):
            out.update(_flatten(v, f"{prefix}{i}."))
        return out
    return {prefix[:-1]: data}


def _numeric(x: Any) -> np.ndarray | None:
    """``x`` as a numeric array (bools, integers and floats as they are), or None when it is
    not numbers."""
    try:
        a = np.asarray(x)
    except (ValueError, TypeError):
        return None
    return a if a.dtype.kind in "biuf" else None


def compare_entry(key: str, a: Any, b: Any) -> Difference:
    """:class:`Difference` of one leaf in two records (``a`` stored, ``b`` recomputed).

    Equality is exact: integers as integers (no float rounding above 2**53), NaN equal to
    NaN, a bool never equal to a number. A NaN on one side only is an infinite difference.
    The relative difference divides by the largest finite ``|a|``."""
    note = "timing" if is_timing(key) else ""
    x, y = _numeric(a), _numeric(b)
    if x is None or y is None:
        same = bool(json.dumps(a, default=str) == json.dumps(b, default=str))
        return Difference(key, same, float(same), 1, np.nan, np.nan, note)
    if x.shape != y.shape:
        return Difference(key, False, 0.0, 0, np.nan, np.nan, f"shape {x.shape} vs {y.shape}")
    if (x.dtype.kind == "b") != (y.dtype.kind == "b"):
        return Difference(key, False, 0.0, int(x.size), np.nan, np.nan,
                          f"{x.dtype} vs {y.dtype}")
    if x.dtype.kind in "biu" and y.dtype.kind in "biu":
        same = x == y
        xf, yf = x.astype(float), y.astype(float)
    else:
        xf, yf = x.astype(float), y.astype(float)
        same = (xf == yf) | (np.isnan(xf) & np.isnan(yf))
    one_nan = np.isnan(xf) ^ np.isnan(yf)
    with np.errstate(invalid="ignore"):  # inf - inf where both are inf (then equal)
        diff = np.where(same, 0.0, np.abs(xf - yf))
    diff = np.where(one_nan, np.inf, diff)
    max_abs = float(np.nanmax(diff)) if diff.size else 0.0
    finite = np.abs(xf[np.isfinite(xf)])
    scale = float(finite.max()) if finite.size else 0.0
    if one_nan.any():
        note = (note + "; " if note else "") + "NaN in one record only"
    return Difference(key, bool(same.all()), float(same.mean()) if same.size else 1.0,
                      int(same.size), max_abs, max_abs / scale if scale > 0 else np.nan, note)


#: Relative differences at or below this are float rounding (float32 carries ~1e-7).
ROUNDING = 1e-6


def compare_records(a: dict[str, Any], b: dict[str, Any]) -> list[Difference]:
    """Every data entry of two records (``a`` stored, ``b`` recomputed), in ``a``'s order;
    an entry only one of them holds is a difference."""
    fa, fb = _flatten(a), _flatten(b)
    out = [compare_entry(k, fa[k], fb[k]) if k in fb else
           Difference(k, False, 0.0, 0, np.nan, np.nan, "missing in the recomputed record")
           for k in fa]
    out += [Difference(k, False, 0.0, 0, np.nan, np.nan, "missing in the stored record")
            for k in fb if k not in fa]
    return out


def verdict(diffs: list[Difference]) -> str:
    """One line: bitwise equal, or how many results (timings apart) differ, how many of them
    beyond float rounding (:data:`ROUNDING` relative), and the largest such entry (numeric
    first) with how many of its elements differ."""
    results = [d for d in diffs if d.note != "timing"]
    differ = [d for d in results if not d.equal]
    if not differ:
        return f"bitwise equal ({len(results)} entries; timings not compared)"
    beyond = [d for d in differ if not (np.isfinite(d.max_rel) and d.max_rel <= ROUNDING)]
    text = (f"{len(differ)} of {len(results)} entries differ; {len(beyond)} beyond rounding "
            f"(relative > {ROUNDING:g})")
    if beyond:
        # The largest numeric difference; a non-numeric one (a weights hash) only when there
        # is no numeric one, since it says nothing about size.
        numeric = [d for d in beyond if np.isfinite(d.max_rel)]
        worst = (max(numeric, key=lambda d: d.max_rel) if numeric else
                 max(beyond, key=lambda d: d.n))
        what = (worst.note if worst.n == 0 else
                f"{round(worst.n * (1 - worst.share_equal))} of {worst.n} elements"
                + (f", relative {worst.max_rel:.3g}" if np.isfinite(worst.max_rel) else ""))
        text += f", largest {worst.key} ({what})"
    return text


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


def file_digest(path: Path) -> str:
    """The first 16 hex digits of a stored record file's sha256: which record was compared."""
    return _digest(Path(path).read_bytes())


def _command(path: str) -> tuple[list[str], str, bool | None]:
    """(argv, what it is, whether the code the record depends on changed since) for the
    stored result at ``path`` (relative to the results root): the command recomputes it into
    the store named by ``OVERGAN_RESULTS``."""
    from .inventory import recompute_command, stored_results

    parts = Path(path).parts
    found = (store.results_root() / path).is_file() and len(parts) == 3
    rows = [r for r in stored_results([parts[0]], parts[1]) if r.path == path] if found else []
    if not rows:
        raise ParameterError(f"no stored result {path!r}; `overgan results` lists them "
                             "(give the path it prints, e.g. eigen/cpu/<key>.json)")
    r = rows[0]
    if r.experiment == EXPERIMENT:
        raise ParameterError(f"{path!r} is a comparison stored by `overgan reproduce`; give the "
                             f"result it compared ({r.config.get('result')}) instead")
    if r.experiment.startswith("bench_"):
        raise ParameterError(f"{path!r} is a benchmark: it measures this machine's speed and "
                             "cannot be reproduced; run the `overgan bench` it names instead")
    if r.experiment.startswith("sweep_"):
        raise ParameterError(f"{path!r} is a sweep's summary of its runs' records; reproduce "
                             f"one of its runs instead (`overgan results --experiment train "
                             f"--profile {r.profile}` lists them)")
    cmd = recompute_command(r).replace(" --rerun", "").replace(' PARAMS="-p rerun True"', "")
    if cmd.startswith("make chapter"):
        _check_chapter_config(r)
        return cmd.split() + [f"SEED={r.seed}"], "chapter", r.changed
    if cmd.startswith("overgan sweep"):
        _check_no_checkpoint(r.config)
        return cmd.split(), "sweep", r.changed
    raise ParameterError(f"{path!r}: no command recomputes it ({cmd})")


def _check_chapter_config(r: Any) -> None:
    """A one-line error unless the record is one its chapter stores when run with the record's
    seed and no overrides (a superseded config or a rerun with overrides would make the chapter
    compute something else, and fail only after it)."""
    from .status.rules import chapter_configs

    configs = chapter_configs(r.experiment, r.profile)
    if configs is None:
        return
    keys = {store.config_key({**c, "seed": r.seed}) for c in configs}
    if Path(r.path).stem not in keys:
        raise ParameterError(
            f"{r.path!r} was stored with other settings than chapter "
            f"{chapter_of(r.experiment)} uses now at profile {r.profile} (overrides, or a "
            "superseded config); `overgan reproduce` recomputes what the chapter stores as "
            "published")


def _check_no_checkpoint(config: dict[str, Any]) -> None:
    """A one-line error when a checkpoint of the run (its stored ``config``) exists in the
    cache (an interrupted run, e.g. an earlier reproduce stopped with Ctrl-C): the recompute
    would resume from it."""
    from .train import TrainConfig
    from .train.checkpoints import checkpoint_path

    ckpt = checkpoint_path(TrainConfig.from_record(config))
    if ckpt.exists():
        raise ParameterError(f"a checkpoint of this run exists ({ckpt}): the recompute would "
                             "resume from it, not start afresh; delete it first")


def _check_keep(keep: Path, root: Path) -> None:
    """A one-line error unless ``keep`` is a new or empty folder outside the results store (a
    folder holding an earlier recompute would be reused; one inside the store would copy the
    store into itself)."""
    inside = keep.resolve().is_relative_to(root.resolve())
    if inside or (keep.exists() and any(keep.iterdir())):
        raise ParameterError(f"--keep {keep}: give a new or empty folder outside the results "
                             f"store ({root})")


def _execute(argv: list[str], env: dict[str, str]) -> int:
    """Run a recompute command from the repository root (its output, progress bars included,
    goes to this terminal); its exit status."""
    return subprocess.run(argv, cwd=store.REPO_ROOT, env=env, check=False).returncode


def reproduce(path: str, keep: str | None = None) -> dict[str, Any]:
    """Recompute the stored result ``path`` (relative to the results root) in a scratch copy
    of the store, compare it with the stored one and store the comparison (:func:`_save`).
    Returns the stored and recomputed provenance, the per-entry :class:`Difference` list and
    :func:`verdict`. ``keep``: a folder to leave the scratch store and executed notebooks in
    (default: removed)."""
    start = time.perf_counter()
    root = store.results_root()
    stored = root / path
    argv, kind, changed = _command(path)
    if keep is not None:
        _check_keep(Path(keep), root)
    scratch = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="overgan-reproduce-"))
    try:
        copy = scratch / "results"
        shutil.copytree(root, copy, ignore=lambda d, names: [
            n for n in names if Path(d, n) == stored], dirs_exist_ok=True)
        env = {**os.environ, "OVERGAN_RESULTS": str(copy)}
        if kind == "chapter":  # notebooks to the scratch folder, not _build/; this Python
            argv = argv + [f"BUILD={scratch / '_build'}", f"VENV={sys.prefix}"]
        else:  # this interpreter's CLI, whichever `overgan` is on the PATH
            argv = [sys.executable, "-m", "overgan_lib.cli", *argv[1:]]
        code = _execute(argv, env)
        if code != 0:
            raise ParameterError(f"recomputing {path!r} failed (`{' '.join(argv)}` exited "
                                 f"{code}); its output is above")
        fresh = copy / path
        if not fresh.exists():
            raise ParameterError(f"`{' '.join(argv)}` did not store {path!r}: the record was "
                                 "made with other settings than the command's defaults "
                                 "(chapter overrides); recompute it with those by hand")
        raw = stored.read_bytes()  # once: its digest names what was compared
        a, b = json.loads(raw), json.loads(fresh.read_text())
        diffs = compare_records(store._decode(a["data"]), store._decode(b["data"]))
        out = {"path": path, "stored_file": _digest(raw), "command": " ".join(argv),
               "stored_changed": changed, "stored": a["provenance"],
               "recomputed": b["provenance"], "verdict": verdict(diffs),
               "entries": [asdict(d) for d in diffs]}
        _save(out, time.perf_counter() - start)
        return out
    finally:
        if not keep:
            shutil.rmtree(scratch, ignore_errors=True)


def _save(out: dict[str, Any], wall_time_s: float) -> store.Record:
    """Store a comparison as a ``reproduce`` record of the compared result's profile, keyed by
    the result, the stored record's content (:func:`file_digest`) and commit, and the
    recomputing device (listed by :func:`overgan_lib.status.reproductions.table`)."""
    s, r = out["stored"], out["recomputed"]
    config = {"result": out["path"], "stored_file": out["stored_file"],
              "stored_sha": s.get("git_sha"), "device": r.get("device")}
    return store.save(EXPERIMENT, str(s.get("profile")), config, out, int(s.get("seed", 0)),
                      wall_time_s)


def report(out: dict[str, Any], limit: int = 12) -> str:
    """The comparison as text: the two machines, the verdict, the differing entries."""
    s, r = out["stored"], out["recomputed"]
    lines = [f"{out['path']}",
             f"  stored:     {s.get('device')}, commit {str(s.get('git_sha'))[:8]}, "
             f"{s.get('wall_time_s', float('nan')):.1f} s",
             f"  recomputed: {r.get('device')}, commit {str(r.get('git_sha'))[:8]}, "
             f"{r.get('wall_time_s', float('nan')):.1f} s",
             f"  {out['verdict']}"]
    if out.get("stored_changed"):
        lines.append("  (the code the stored record depends on changed since it was made: the "
                     "two differ by code as well as by machine)")
    differ = [d for d in out["entries"] if not d["equal"] and d["note"] != "timing"]
    differ.sort(key=lambda d: -(d["max_rel"] if np.isfinite(d["max_rel"]) else np.inf))
    for d in differ[:limit]:
        if d["n"] == 0:  # another shape, or missing on one side
            lines.append(f"    {d['key']}: {d['note']}")
            continue
        differ_n = round(d["n"] * (1 - d["share_equal"]))
        lines.append(f"    {d['key']}: {differ_n} of {d['n']} elements differ, max |diff| "
                     f"{d['max_abs']:.3g} (relative {d['max_rel']:.3g}) {d['note']}".rstrip())
    if len(differ) > limit:
        lines.append(f"    ... and {len(differ) - limit} more")
    return "\n".join(lines)
