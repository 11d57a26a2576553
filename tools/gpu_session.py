"""The device checks of issues 8-10 on a lent H200, as one prepared, locally tested plan.

The device machine receives the working tree only (no ``.git``, at most 64 MiB a call, the
checkout included), has no pytorch-fid and reaches no network; a warm machine waits 30 s
for the next call, at most 8 files of 16 MiB (64 MiB together) come back from ``$OUT``.
So the session is a few calls made back to back:

    here:    python tools/gpu_session.py prepare       # writes .gpu-carry/, prints the calls
    device:  python3 tools/gpu_session.py stash        # once per weight part (carry it)
    device:  python3 tools/gpu_session.py run STAGE    # STAGE: checks | dcgan | celeba | smoke
    device:  python3 tools/gpu_session.py fetch        # weight pieces that did not fit
    here:    python tools/gpu_session.py unpack DIR... # the files_at folders, in call order

``prepare`` (default stages: checks, dcgan) splits pytorch-fid's Inception weights (built
offline by overgan) into parts that fit beside the checkout, downloads the pytorch-fid
wheel, copies the dataset archives and writes a source manifest (the sha and file hashes of
this commit, so records written on the device carry this sha and say whether the copy was
clean; see ``overgan_lib.store.source_state``). ``run`` joins and checks the weights,
installs the wheel, runs the stage's commands with their output in ``$OUT/log.txt``, and
packs every record written during the stage into ``gpu-results-<stage>.tar.gz``. The kept
generator weights of the stage go into 15 MiB pieces, as many as fit in this call's return;
the rest wait on the machine (while it stays warm) for ``fetch`` or a later ``run``.
``unpack`` checks every piece against the hashes packed with the records and extracts
records and weights into this checkout. The ``smoke`` stage runs the same path on a CPU;
``tests/test_gpu_session.py`` runs the whole plan that way.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as `python3 tools/gpu_session.py` from the checkout
from overgan_lib.data import CARDS, sha256_file  # noqa: E402

CARRY = ROOT / ".gpu-carry"
STASH = Path(os.environ.get("OVERGAN_GPU_STASH", "/tmp/overgan-gpu"))
MIB = 1 << 20
CALL_LIMIT = 64 * MIB  # what travels per call, checkout included
MARGIN = 2 * MIB  # the checkout grows a little between prepare and the calls
# Below the 16 MiB a returned file may have; the environment overrides are for the test.
PIECE = int(os.environ.get("OVERGAN_GPU_PIECE_BYTES", 15 * MIB))
BACK_FILES = int(os.environ.get("OVERGAN_GPU_BACK_FILES", 8))
BACK_BYTES = 64 * MIB
WHEEL = "pytorch-fid==0.3.0"
PY = "python3"  # the device's interpreter with torch

STAGES: dict[str, list[list[str]]] = {
    "checks": [
        ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "cuda", "tests"],
        ["-m", "overgan_lib.cli", "bench", "train", "--device", "cuda", "--arch", "dcgan",
         "--k", "64", "--iters", "50", "--rounds", "3"],
        ["-m", "overgan_lib.cli", "bench", "gpu-sweep", "--device", "cuda", "--iters", "100"],
        ["-m", "overgan_lib.cli", "bench", "fid", "--device", "cuda"],
        ["-m", "overgan_lib.cli", "bench", "nnd", "--device", "cuda", "--iters", "50"],
    ],
    "dcgan": [["-m", "overgan_lib.cli", "sweep", "cifar10_dcgan", "--profile", "gpu"]],
    "celeba": [["-m", "overgan_lib.cli", "sweep", "celeba_dcgan", "--profile", "gpu"]],
    # The same path on a CPU, for tests/test_gpu_session.py.
    "smoke": [
        ["-m", "overgan_lib.cli", "bench", "nnd", "--device", "cpu", "--batch-size", "4",
         "--iters", "1", "--quiet"],
        ["-m", "overgan_lib.cli", "sweep", "cifar10_dcgan", "--profile", "smoke", "--quiet"],
    ],
}
DATA = {"checks": ["cifar10"], "dcgan": ["cifar10"], "celeba": ["celeba"], "smoke": ["cifar10"]}


def archive(dataset: str) -> str:
    """The offline archive of ``dataset`` (its data card's), carried to the device."""
    (name,) = CARDS[dataset].archives
    return name


def checkout_bytes() -> int:
    """What travels with every call besides the carried paths: tracked files and untracked
    files git does not ignore."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         cwd=ROOT, capture_output=True, check=True).stdout.decode()
    return sum((ROOT / f).stat().st_size for f in out.split("\0") if f and (ROOT / f).is_file())


# ------------------------------------------------------------------------------ here
def prepare(stages: list[str], data_root: Path, wheels: Path | None = None) -> dict:
    """Fill .gpu-carry/ for ``stages`` (run in that order) and return the plan of device
    calls (also written to .gpu-carry/plan.json and printed). ``wheels``: a folder of
    wheels to carry instead of downloading pytorch-fid's."""
    from overgan_lib import store
    from overgan_lib.metrics.inception import ensure_weights

    for stage in stages:
        if stage not in STAGES:
            raise SystemExit(f"stage={stage!r} is unknown; use one of {', '.join(STAGES)}")
    shutil.rmtree(CARRY, ignore_errors=True)
    (CARRY / "data").mkdir(parents=True)
    manifest = store.source_manifest()
    if manifest["git_dirty"]:
        print("warning: the tree is dirty; records made on the device will say so")
    (CARRY / "manifest.json").write_text(json.dumps(manifest))
    if wheels is None:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d",
                        str(CARRY / "whl"), WHEEL], check=True)
    else:
        shutil.copytree(wheels, CARRY / "whl")
    for name in dict.fromkeys(d for stage in stages for d in DATA[stage]):
        src = data_root / archive(name)
        if not src.is_file():
            raise SystemExit(f"{src} is missing; pass --data-root, the folder holding "
                             f"{archive(name)}")
        shutil.copy(src, CARRY / "data" / src.name)
    weights = ensure_weights()
    base = checkout_bytes() + MARGIN
    part = (CALL_LIMIT - base) // MIB * MIB
    if part < 8 * MIB:
        raise SystemExit(f"the checkout ({base / MIB:.1f} MiB) leaves no room for the weights")
    blob = weights.read_bytes()
    parts = []
    for i in range(math.ceil(len(blob) / part)):
        name = f"w.part-{i:02d}"
        (CARRY / name).write_bytes(blob[i * part:(i + 1) * part])
        parts.append(name)
    calls = [{"carry": [f".gpu-carry/{p}"], "command": f"{PY} tools/gpu_session.py stash"}
             for p in parts]
    for stage in stages:
        carry = [".gpu-carry/plan.json", ".gpu-carry/manifest.json", ".gpu-carry/whl",
                 *(f".gpu-carry/data/{archive(d)}" for d in DATA[stage])]
        calls.append({"carry": carry, "command": f"{PY} tools/gpu_session.py run {stage}"})
    first_run = calls[len(parts)]
    if _call_bytes(base, first_run["carry"] + [f".gpu-carry/{parts[-1]}"]) <= CALL_LIMIT:
        calls.pop(len(parts) - 1)  # the last part rides along with the first run call
        first_run["carry"].append(f".gpu-carry/{parts[-1]}")
    calls.append({"carry": [], "command": f"{PY} tools/gpu_session.py fetch",
                  "only_if": "a run's log says weight pieces are left; repeat until none"})
    plan = {"stages": stages, "weights": {"name": weights.name, "sha256": sha256_file(weights),
                                          "parts": parts},
            "checkout_mib": round(base / MIB, 1), "calls": calls}
    (CARRY / "plan.json").write_text(json.dumps(plan, indent=1))
    for i, c in enumerate(calls, 1):
        note = f", {c['only_if']}" if "only_if" in c else ""
        print(f"call {i} ({_call_bytes(base, c['carry']) / MIB:.1f} MiB{note}): "
              f"carry={json.dumps(c['carry'])} command={c['command']!r}")
    return plan


def _call_bytes(base: int, carry: list[str]) -> int:
    return base + sum(_size(ROOT / p) for p in carry if (ROOT / p).exists())


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return path.stat().st_size


def unpack(folders: list[Path]) -> list[str]:
    """Extract what came back (records and kept weights of every stage) into this checkout,
    checking each weight piece against the hashes packed with its stage's records. Returns
    the extracted paths."""
    files = {f.name: f for d in folders for f in Path(d).rglob("*") if f.is_file()}
    results = sorted(name for name in files if name.startswith("gpu-results-"))
    if not results:
        raise SystemExit("no gpu-results-<stage>.tar.gz among the folders; give the run "
                         "calls' files_at")
    extracted = []
    for name in results:
        with tarfile.open(files[name]) as tar:
            pieces = json.load(tar.extractfile("pieces.json"))["pieces"]
            for m in tar.getmembers():
                if m.isfile() and m.name.startswith("results/"):
                    _extract(tar, m)
                    extracted.append(m.name)
        missing = [p["name"] for p in pieces if p["name"] not in files]
        if missing:
            raise SystemExit(f"weight pieces {missing} did not come back; run the fetch call "
                             f"and pass its files_at too")
        for p in pieces:
            if sha256_file(files[p["name"]]) != p["sha256"]:
                raise SystemExit(f"{files[p['name']]} does not match its hash; fetch it again")
        if pieces:
            joined = CARRY / "weights.tar"
            joined.parent.mkdir(exist_ok=True)
            with open(joined, "wb") as out:
                for p in pieces:
                    out.write(files[p["name"]].read_bytes())
            with tarfile.open(joined) as tar:
                for m in tar.getmembers():
                    _extract(tar, m)
                    extracted.append(m.name)
            joined.unlink()
    return extracted


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo) -> None:
    if not member.name.startswith("results/") or ".." in Path(member.name).parts:
        raise SystemExit(f"{member.name!r} in the archive is outside results/; not extracting")
    tar.extract(member, ROOT)


# ---------------------------------------------------------------------------- device
def stash() -> None:
    """Keep the weight parts this call carried until the run call joins them."""
    STASH.mkdir(parents=True, exist_ok=True)
    for part in sorted(CARRY.glob("w.part-*")):
        shutil.copy(part, STASH / part.name)
        print(f"stashed {part.name} ({part.stat().st_size / MIB:.1f} MiB)")


def _install_weights(plan: dict) -> None:
    """Join the stashed (and carried) parts into torch hub's checkpoint folder."""
    import torch

    hub = Path(torch.hub.get_dir()) / "checkpoints"
    target = hub / plan["weights"]["name"]
    if target.is_file() and sha256_file(target) == plan["weights"]["sha256"]:
        return
    hub.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".partial")
    with open(tmp, "wb") as out:
        for name in plan["weights"]["parts"]:
            src = CARRY / name if (CARRY / name).is_file() else STASH / name
            if not src.is_file():
                raise SystemExit(f"weight part {name} is neither carried nor stashed; make "
                                 f"its stash call first")
            out.write(src.read_bytes())
    if sha256_file(tmp) != plan["weights"]["sha256"]:
        tmp.unlink()
        raise SystemExit("the joined Inception weights do not match their hash")
    tmp.replace(target)


def _install_wheel() -> str:
    """pytorch-fid from the carried wheel into a private folder; returns it for PYTHONPATH."""
    site = STASH / "site"
    try:
        import pytorch_fid  # noqa: F401

        return ""
    except ImportError:
        pass
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-index", "--no-deps",
                    "--no-compile", "--no-cache-dir", "--upgrade", "--target", str(site),
                    *map(str, (CARRY / "whl").glob("*.whl"))], check=True)
    return str(site)


def run(stage: str, out: Path) -> int:
    """The stage's commands, logged to $OUT/log.txt; then pack what they wrote."""
    plan = json.loads((CARRY / "plan.json").read_text())
    _install_weights(plan)
    site = _install_wheel()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "OVERGAN_DATA": str(CARRY / "data"),
           "OVERGAN_SOURCE_MANIFEST": str(CARRY / "manifest.json"),
           "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), site) if p)}
    out.mkdir(parents=True, exist_ok=True)
    start = time.time() - 1
    failed = 0
    with open(out / "log.txt", "a") as log:
        for cmd in [["-c", "import torch, scipy, platform; print('python', "
                     "platform.python_version(), 'torch', torch.__version__, 'scipy', "
                     "scipy.__version__, 'cuda', torch.cuda.is_available() and "
                     "torch.cuda.get_device_name(0))"], *STAGES[stage]]:
            line = f"+ {PY} {' '.join(cmd)}"
            print(line, flush=True)
            log.write(line + "\n")
            log.flush()
            t0 = time.perf_counter()
            proc = subprocess.Popen([sys.executable, *cmd], cwd=ROOT, env=env, text=True,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            for text in proc.stdout:
                sys.stdout.write(text)
                log.write(text)
            rc = proc.wait()
            failed += rc != 0
            msg = f"= rc {rc} in {time.perf_counter() - t0:.1f} s"
            print(msg, flush=True)
            log.write(msg + "\n")
        left = pack(stage, start, out, log)
        log.write(f"weight pieces left for fetch: {left}\n")
    print(f"weight pieces left for fetch: {left}")
    return 1 if failed else 0


def pack(stage: str, since: float, out: Path, log) -> int:
    """Records written since ``since`` into $OUT/gpu-results-<stage>.tar.gz (with
    pieces.json, the hashes of the weight pieces), kept weights into 15 MiB pieces: those
    that fit now go to $OUT, the others wait in the stash for ``fetch`` (also across later
    stages). Returns how many wait."""
    written = [p for p in (ROOT / "results").rglob("*")
               if p.is_file() and p.stat().st_mtime >= since]
    weights = [p for p in written if p.parts[-3] == "weights"]
    records = [p for p in written if p not in weights]
    back = STASH / "back"
    back.mkdir(parents=True, exist_ok=True)
    pieces = []
    if weights:
        blob = back / f"weights-{stage}.tar"
        with tarfile.open(blob, "w") as tar:
            for p in weights:
                tar.add(p, arcname=str(p.relative_to(ROOT)))
        data = blob.read_bytes()
        blob.unlink()
        for i in range(math.ceil(len(data) / PIECE)):
            piece = back / f"weights-{stage}.tar.{i:03d}"
            piece.write_bytes(data[i * PIECE:(i + 1) * PIECE])
            pieces.append({"name": piece.name, "sha256": sha256_file(piece)})
    doc = STASH / "pieces.json"
    doc.write_text(json.dumps({"pieces": pieces}))
    log.flush()
    with tarfile.open(out / f"gpu-results-{stage}.tar.gz", "w:gz") as tar:
        for p in records:
            tar.add(p, arcname=str(p.relative_to(ROOT)))
        tar.add(doc, arcname="pieces.json")
        tar.add(out / "log.txt", arcname="log.txt")
    used = sum(f.stat().st_size for f in out.iterdir() if f.is_file())
    return _send(out, used, len(list(out.iterdir())))


def _send(out: Path, used: int, count: int) -> int:
    """Move waiting weight pieces into $OUT while they fit; returns how many still wait."""
    waiting = sorted((STASH / "back").glob("weights-*.tar.*"))
    for piece in waiting:
        size = piece.stat().st_size
        if count + 1 > BACK_FILES or used + size > BACK_BYTES:
            break
        shutil.move(piece, out / piece.name)
        used, count = used + size, count + 1
    return len(list((STASH / "back").glob("weights-*.tar.*")))


def fetch(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    left = _send(out, 0, 0)
    print(f"weight pieces left for fetch: {left}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="action", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("stages", nargs="*", default=["checks", "dcgan"], choices=list(STAGES))
    p.add_argument("--data-root", type=Path, default=ROOT.parent / "shared" / "data")
    p.add_argument("--wheels", type=Path, help="carry these wheels instead of downloading "
                   + WHEEL)
    sub.add_parser("stash")
    r = sub.add_parser("run")
    r.add_argument("stage", choices=list(STAGES))
    sub.add_parser("fetch")
    u = sub.add_parser("unpack")
    u.add_argument("folders", nargs="+", type=Path)
    args = ap.parse_args(argv)
    out = Path(os.environ.get("OUT", ROOT / ".gpu-out"))
    if args.action == "prepare":
        prepare(args.stages, args.data_root, args.wheels)
    elif args.action == "stash":
        stash()
    elif args.action == "run":
        return run(args.stage, out)
    elif args.action == "fetch":
        fetch(out)
    else:
        for path in unpack(args.folders):
            print(f"extracted {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
