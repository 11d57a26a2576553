"""The results store: one JSON file per run, written atomically, with provenance.

Layout: ``<root>/<experiment>/<profile>/<config-hash>.json``. The root is
``$OVERGAN_RESULTS`` if set, else ``results/`` in the source checkout, else
``~/.cache/overgan/results``. Chapters read results only through this module.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
import re
import secrets
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .profiles import check_profile

REPO_ROOT = Path(__file__).resolve().parent.parent


def results_root() -> Path:
    """Where results live (see module docstring)."""
    env = os.environ.get("OVERGAN_RESULTS")
    if env:
        return Path(env).expanduser()
    if (REPO_ROOT / "pyproject.toml").exists():
        return REPO_ROOT / "results"
    return Path.home() / ".cache" / "overgan" / "results"


def config_key(config: dict[str, Any]) -> str:
    """A short stable hash of a JSON-able config."""
    blob = json.dumps(config, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def _git(*args: str, cwd: Path | None = None) -> str:
    """The stripped output of ``git args`` in ``cwd`` (the repository root, read at call
    time, by default); raises on failure (OSError, subprocess.SubprocessError)."""
    return subprocess.run(["git", *args], cwd=REPO_ROOT if cwd is None else cwd,
                          capture_output=True, text=True, check=True, timeout=10).stdout.strip()


def git_state() -> tuple[str, bool]:
    """(HEAD sha, dirty?) of the source checkout, or ("unknown", False) when it cannot be told.

    Dirty means uncommitted edits to tracked files other than the stored results themselves
    (``results/``): rerunning several experiments rewrites their committed records one after
    the other, and an updated record is an output, not a change of the code that made it.
    A copy of the checkout without ``.git`` (a GPU machine that receives the working tree
    only) answers from the source manifest named by ``$OVERGAN_SOURCE_MANIFEST``
    (:func:`source_state`).
    """
    try:
        return _git("rev-parse", "HEAD"), bool(_git("status", "--porcelain",
                                                    "--untracked-files=no", "--", ".",
                                                    ":(exclude)results"))
    except (OSError, subprocess.SubprocessError):
        manifest = os.environ.get("OVERGAN_SOURCE_MANIFEST")
        return source_state(Path(manifest)) if manifest else ("unknown", False)


def source_manifest() -> dict[str, Any]:
    """HEAD's sha, whether the tree is dirty, and the sha256 of every tracked file outside
    ``results/``: what a copy of the checkout without ``.git`` needs to state its git state
    (:func:`source_state`)."""
    from .data import sha256_file  # data imports this module

    sha, dirty = git_state()
    files = [f for f in _git("ls-files", "-z").split("\0")
             if f and not f.startswith("results/") and (REPO_ROOT / f).is_file()]
    return {"git_sha": sha, "git_dirty": dirty,
            "files": {f: sha256_file(REPO_ROOT / f) for f in files}}


_SOURCE_STATE: dict[str, tuple[str, bool]] = {}


def source_state(manifest: Path) -> tuple[str, bool]:
    """(sha, dirty?) of a checkout copy from its manifest: the manifest's sha, and dirty if
    the manifest was written from a dirty tree or any listed file is missing or differs
    now. Files not listed (untracked ones) are ignored, as :func:`git_state` ignores them.
    Hashed once per process: the sources do not change while a program runs."""
    from .data import sha256_file  # data imports this module

    key = str(manifest)
    if key not in _SOURCE_STATE:
        doc = json.loads(Path(manifest).read_text())
        changed = [f for f, digest in doc["files"].items()
                   if not (REPO_ROOT / f).is_file() or sha256_file(REPO_ROOT / f) != digest]
        _SOURCE_STATE[key] = (doc["git_sha"], bool(doc["git_dirty"] or changed))
    return _SOURCE_STATE[key]


def device_name() -> str:
    """A human-readable name of the compute device used by the run."""
    import torch

    if torch.cuda.is_available():
        return f"cuda:{torch.cuda.get_device_name(0)}"
    return f"cpu:{cpu_model()} x{torch.get_num_threads()} threads"


_THREADS = re.compile(r"\s*x(\d+) threads?$")


def device_threads(device: str) -> tuple[str, int | None]:
    """A stored :func:`device_name` split into the device and its intra-op thread count
    ('cpu:x86_64 x1 threads' -> ('cpu:x86_64', 1)); None where it names none (a GPU)."""
    m = _THREADS.search(device)
    return (device[:m.start()], int(m.group(1))) if m else (device, None)


@functools.lru_cache(maxsize=1)  # read once per process: every record's provenance names it
def cpu_model() -> str:
    """The CPU's model name (Linux's /proc/cpuinfo), else what :mod:`platform` says. Recorded
    because CPU results are bitwise reproducible on the same CPU and torch build only: other
    kernels (AVX-512 or AVX2, another vendor) change the last bits, which GAN training grows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name") and ":" in line:
                return f"{line.split(':', 1)[1].strip()} ({platform.machine()})"
    except OSError:
        pass
    return platform.processor() or platform.machine()


def worker_provenance() -> dict[str, Any]:
    """What a compute process contributes to provenance: its device, host and versions."""
    import torch

    from .dataset_sources import dataset_sources

    return {
        "device": device_name(),
        "datasets": dataset_sources(),
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "host": socket.gethostname(),
    }


def provenance(profile: str, seed: int, wall_time_s: float,
               worker: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything needed to tell where a number came from.

    The git state is always this (writing) process's checkout; ``worker`` (from
    :func:`worker_provenance` in the process that computed the result, e.g. a cluster
    worker without a checkout) replaces the device, host and versions.
    """
    sha, dirty = git_state()
    return {
        "git_sha": sha,
        "git_dirty": dirty,
        "profile": profile,
        "seed": seed,
        **(worker or worker_provenance()),
        "wall_time_s": round(wall_time_s, 3),
        "created_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def _encode(obj: Any) -> Any:
    if isinstance(obj, np.ndarray):
        return {"__ndarray__": obj.tolist(), "dtype": str(obj.dtype)}
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, dict):
        return {str(k): _encode(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_encode(v) for v in obj]
    if hasattr(obj, "numpy") and hasattr(obj, "detach"):  # torch tensor
        return _encode(obj.detach().cpu().numpy())
    return obj


def _decode(obj: Any) -> Any:
    if isinstance(obj, dict):
        if "__ndarray__" in obj:
            return np.asarray(obj["__ndarray__"], dtype=obj["dtype"])
        return {k: _decode(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_decode(v) for v in obj]
    return obj


def atomic_write_text(path: Path, text: str) -> None:
    """Write via a temp file in the same folder, fsync, then rename (never half-written)."""
    atomic_write_bytes(path, text)


def atomic_write_bytes(path: Path, payload: bytes | str) -> None:
    """Atomic write of bytes (or text): temp file in the same folder, fsync, rename. The temp
    file is created with mode 0666 less the umask, as any file the user writes (mkstemp's
    0600 would hide stored results and caches from others)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(8)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w" if isinstance(payload, str) else "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@dataclass
class Record:
    """A stored run: its config, provenance and data (numpy arrays restored)."""

    experiment: str
    config: dict[str, Any]
    provenance: dict[str, Any]
    data: dict[str, Any]
    path: Path
    reused: bool = False

    def __getitem__(self, key: str) -> Any:
        return self.data[key]


def record_path(experiment: str, profile: str, config: dict[str, Any]) -> Path:
    """Where the record of (experiment, profile, config) lives."""
    return results_root() / experiment / check_profile(profile) / f"{config_key(config)}.json"


def save(
    experiment: str,
    profile: str,
    config: dict[str, Any],
    data: dict[str, Any],
    seed: int,
    wall_time_s: float,
    worker: dict[str, Any] | None = None,
) -> Record:
    """Store a run atomically and return its record (``worker``: see :func:`provenance`)."""
    path = record_path(experiment, profile, config)
    prov = provenance(profile, seed, wall_time_s, worker)
    doc = {
        "experiment": experiment,
        "config": _encode(config),
        "provenance": prov,
        "data": _encode(data),
    }
    atomic_write_text(path, json.dumps(doc, indent=1, allow_nan=True))
    return Record(experiment, config, prov, _decode(_encode(data)), path)


def load(experiment: str, profile: str, config: dict[str, Any]) -> Record | None:
    """The stored record for this config, or None when there is none."""
    path = record_path(experiment, profile, config)
    if not path.exists():
        return None
    return _read(path)


def _read(path: Path, reused: bool = True) -> Record:
    doc = json.loads(path.read_text())
    return Record(doc["experiment"], _decode(doc["config"]), doc["provenance"],
                  _decode(doc["data"]), path, reused=reused)


def records(experiment: str, profile: str) -> list[Record]:
    """Every stored record of ``experiment`` at ``profile`` (sorted by file name)."""
    folder = results_root() / experiment / check_profile(profile)
    return [_read(p) for p in sorted(folder.glob("*.json"))]


def load_or_run(
    experiment: str,
    profile: str,
    config: dict[str, Any],
    fn: Callable[[], dict[str, Any]],
    seed: int,
    rerun: bool = False,
) -> Record:
    """Reuse the stored result for ``config`` unless ``rerun``; otherwise run ``fn`` and store."""
    if not rerun:
        rec = load(experiment, profile, config)
        if rec is not None:
            return rec
    start = time.perf_counter()
    data = fn()
    return save(experiment, profile, config, data, seed, time.perf_counter() - start)
