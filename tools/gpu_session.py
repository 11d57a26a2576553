"""The device checks of issues 8-10 on a lent H200, as one prepared, locally tested plan.

The device machine receives the working tree only (no ``.git``, at most 64 MiB a call, the
checkout included), has no pytorch-fid and reaches no network; a warm machine waits 30 s
for the next call (then it, and everything stashed on it, is given back), at most 8 files
of 16 MiB (64 MiB together) come back from ``$OUT``, one call runs at most 600 s, and a
session has 900 s of device time in all (the machine's start included). So the session
is a few calls made back to back:

    here:    python tools/gpu_session.py prepare         # writes .gpu-carry/, prints the calls
    device:  python3 -u tools/gpu_session.py run STAGE --budget S   # STAGE: train | fid | ...
    device:  python3 -u tools/gpu_session.py stash       # once per middle weight part
    device:  python3 -u tools/gpu_session.py fetch       # weight pieces that did not fit
    here:    python tools/gpu_session.py unpack DIR...   # the files_at folders

``prepare`` (default stages: ``train``, ``fid``) splits pytorch-fid's Inception weights
(built offline by overgan) into parts, downloads the pytorch-fid wheel, copies the dataset
archives and writes a source manifest (the sha and file hashes of this commit, so records
written on the device carry this sha; see ``overgan_lib.store.source_state``). The first
call runs a stage that needs no Inception weights (``train``: the two training benches,
the issue's headline numbers, then the cuda tests that compute no FID) and carries the
data and a first weight part; ``stash`` calls carry the middle parts; the last part rides
with the first stage that computes FIDs (``fid``). If the stash is lost (the machine was
given back between calls), the first call's numbers are already home.

``run`` stashes what its call carried (weight parts, data archives), joins and checks the
weights where the stage needs them, installs the wheel, and runs the stage's commands one
by one, each with its own deadline (killed with its process group when it passes it or
when the call's ``--budget`` runs out), its output line-buffered into ``$OUT/log.txt``.
After *every* command, and finally also when the call itself is terminated, every record
written during the call is packed into ``$OUT/gpu-results-<stamp>-<stage>.tar.gz`` (kept
generator weights in 15 MiB pieces, as many as fit in the call's return; the rest wait
for ``fetch``), so a call cut short still returns what finished. The sweep stages
(``dcgan``, ``celeba``: ``overgan_lib.sweep.lent_device.SWEEP_STAGES``, the table the sweep
chapters' pending lists also read) are resumable: each ``run`` trains the sweep's unfinished runs
together to the next multiple of :data:`SWEEP_CHUNK` iterations (checkpoints only there)
and the last chunk stores the records; a chunk cut short is simply run again. ``unpack``
checks every weight piece against the hashes packed with the records and extracts records
and weights into this checkout. The ``smoke-a`` and ``smoke`` stages run the same path on a
CPU; ``tests/test_gpu_session.py`` runs a whole plan that way.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as `python3 tools/gpu_session.py` from the checkout
from overgan_lib.data import CARDS, sha256_file  # noqa: E402
from overgan_lib.sweep.lent_device import SWEEP_STAGES  # noqa: E402
from overgan_lib.sweep.registry import SWEEPS  # noqa: E402

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
PY = "python3 -u"  # the device's interpreter with torch, unbuffered
SESSION_S = 900  # device time of a session, the machine's start included
CALL_MAX_S = 600  # one command's limit
MACHINE_START_S = 90  # estimated: "a minute or more", counted against the session
STASH_TIMEOUT_S, STASH_EST_S = 60, 10
CALL_MARGIN_S = 30  # timeout_s above a run's --budget: interpreter start, final pack
PACK_RESERVE_S = 15  # budget kept for the pack after the last command
PYTEST_TIMEOUT_S = 90  # per test, where pytest-timeout is installed (the H200 image has it)
SWEEP_CHUNK = 2000  # iterations per resumable sweep call (= eval_every of the gpu rows)


@dataclass(frozen=True)
class Cmd:
    """One command of a stage: ``argv`` after the interpreter, its own ``deadline`` (s),
    the ``estimate`` (s on an H200, for the plan) and whether it computes FIDs
    (``weights``: needs the Inception weights)."""

    argv: tuple[str, ...]
    deadline: int
    estimate: int
    weights: bool = False


def _cli(*args: str) -> tuple[str, ...]:
    return ("-m", "overgan_lib.cli", *args)


def _pytest(marks: str) -> tuple[str, ...]:
    return ("-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", marks, *CUDA_TEST_FILES)


def _chunk(sweep: str, profile: str, steps: int) -> tuple[str, ...]:
    return ("tools/gpu_session.py", "chunk", sweep, "--profile", profile, "--steps", str(steps))


# The test files holding `cuda`-marked tests (tests/test_gpu_session.py checks the list).
CUDA_TEST_FILES = ("tests/test_runner.py", "tests/test_frechet.py")

# Seconds per chunk of each sweep stage on an H200 (cifar10_dcgan's gpu row: 15 runs x 6000
# iterations, evaluations at N=10,000 every 2000: ~230 s per chunk). Unmeasured: it assumes
# the issue's ~5,900 Inception images/s, read with TF32 on, while evaluations run with TF32 off
# (about the H200's whole FP32 peak at 5,900/s; a reviewer expects 2,500-4,000/s, which would
# make a chunk ~260-290 s and the three chunks with the machine's start about the whole 900 s).
# Plan a sweep session from the fid stage's measured rate (bench fid's timed_ips).
SWEEP_ESTIMATE = {"dcgan": 230, "celeba": 200}

# The benches (the headline numbers) before the tests; estimates from the issue's
# H200 measurements (DCGAN k=64: 0.051 / 0.045 / 0.0096 s per iteration; 283 it/s for 15
# graphed runs together; ~5,900 Inception images/s) plus start-up and data decoding.
STAGES: dict[str, list[Cmd]] = {
    "train": [
        Cmd(_cli("bench", "train", "--device", "cuda", "--arch", "dcgan", "--k", "64",
                 "--iters", "50", "--rounds", "3", "--quiet"), 150, 50),
        Cmd(_cli("bench", "gpu-sweep", "--device", "cuda", "--iters", "50", "--rounds", "3",
                 "--quiet"),
            180, 50),
        Cmd(_pytest("cuda and not inception"), 150, 50),
    ],
    # the benches first: each stores a record, while the tests only pass or fail (and
    # their CPU side, Inception on the image's CPU cores, is the slowest part of the stage)
    "fid": [
        Cmd(_cli("bench", "fid", "--device", "cuda", "--quiet"), 150, 60, weights=True),
        Cmd(_cli("bench", "nnd", "--device", "cuda", "--iters", "50", "--quiet"), 90, 30),
        Cmd(_pytest("cuda and inception"), 150, 60, weights=True),
    ],
    # Resumable: repeat `run dcgan` until its log says the records are stored. The stages and
    # their sweeps are the library's (overgan_lib.sweep.lent_device, which the chapters'
    # pending lists also read); the estimates per chunk are SWEEP_ESTIMATE's.
    **{stage: [Cmd(_chunk(sweep, "gpu", SWEEP_CHUNK), 520, SWEEP_ESTIMATE[stage],
                   weights=True)] for stage, sweep in SWEEP_STAGES.items()},
    # The same path on a CPU, for tests/test_gpu_session.py: a first call without weights
    # (a bench and a first chunk of a sweep), then a call that finishes the sweep (FIDs).
    "smoke-a": [
        Cmd(_cli("bench", "nnd", "--device", "cpu", "--batch-size", "4", "--iters", "1",
                 "--quiet"), 120, 10),
        Cmd(_chunk("cifar10_dcgan", "smoke", 2), 300, 20),
    ],
    "smoke": [Cmd(_chunk("cifar10_dcgan", "smoke", 2), 300, 30, weights=True)],
}
DATA = {"train": ["cifar10"], "fid": ["cifar10"],
        **{stage: [SWEEPS[sweep].dataset] for stage, sweep in SWEEP_STAGES.items()},
        "smoke-a": ["cifar10"], "smoke": ["cifar10"]}
# The call budget (--budget) of each stage's run: the call's timeout_s is this plus
# CALL_MARGIN_S. Sized so that a session of train + fid fits 900 s even if every call
# runs to its limit.
BUDGET = {"train": 300, "fid": 240, "dcgan": 540, "celeba": 540, "smoke-a": 400,
          "smoke": 400}
# How many `run` calls a stage takes (the sweeps: chunks of SWEEP_CHUNK iterations).
REPEAT = {"dcgan": 3, "celeba": 2}


def needs_weights(stage: str) -> bool:
    return any(c.weights for c in STAGES[stage])


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
    """Fill .gpu-carry/ for ``stages`` (run in that order, stages needing no weights first)
    and return the plan of device calls (also written to .gpu-carry/plan.json and printed).
    ``wheels``: a folder of wheels to carry instead of downloading pytorch-fid's."""
    from overgan_lib import store
    from overgan_lib.metrics.inception import ensure_weights

    for stage in stages:
        if stage not in STAGES:
            raise SystemExit(f"stage={stage!r} is unknown; use one of {', '.join(STAGES)}")
    # Numbers first: the stages that need no weights run before the weights have arrived.
    stages = sorted(dict.fromkeys(stages), key=needs_weights)
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
    base = checkout_bytes() + MARGIN
    # One call per run; a dataset travels with the first call that uses it (stashed there).
    calls, carried = [], set()
    for stage in stages:
        data = [d for d in DATA[stage] if d not in carried]
        carried.update(data)
        for i in range(REPEAT.get(stage, 1)):
            calls.append({
                "stage": stage,
                "carry": [".gpu-carry/plan.json", ".gpu-carry/manifest.json", ".gpu-carry/whl",
                          *(f".gpu-carry/data/{archive(d)}" for d in (data if i == 0 else []))],
                "command": f"{PY} tools/gpu_session.py run {stage} --budget {BUDGET[stage]}",
                "timeout_s": min(CALL_MAX_S, BUDGET[stage] + CALL_MARGIN_S),
                "estimate_s": sum(c.estimate for c in STAGES[stage]) + 15,
                **({"note": "a chunk of the sweep: repeat this call until its log says the "
                            "records are stored"} if stage in REPEAT else {})})
    weights, parts = None, []
    first_w = next((i for i, c in enumerate(calls) if needs_weights(c["stage"])), None)
    if first_w is not None:
        weights = ensure_weights()
        blob = weights.read_bytes()
        part = (CALL_LIMIT - base) // MIB * MIB
        if part < 8 * MIB:
            raise SystemExit(f"the checkout ({base / MIB:.1f} MiB) leaves no room for the "
                             f"weights")
        offset = 0

        def cut(size: int) -> str:
            nonlocal offset
            name = f"w.part-{len(parts):02d}"
            (CARRY / name).write_bytes(blob[offset:offset + size])
            offset += size
            parts.append(name)
            return f".gpu-carry/{name}"

        for c in calls[:first_w]:  # parts ride with the calls before the first FID
            room = (CALL_LIMIT - _call_bytes(base, c["carry"])) // MIB * MIB
            if room >= MIB and offset < len(blob):
                c["carry"].append(cut(min(room, len(blob) - offset)))
        room = (CALL_LIMIT - _call_bytes(base, calls[first_w]["carry"])) // MIB * MIB
        stash_calls = []
        while len(blob) - offset > room:
            stash_calls.append({"stage": "stash", "carry": [cut(part)],
                                "command": f"{PY} tools/gpu_session.py stash",
                                "timeout_s": STASH_TIMEOUT_S, "estimate_s": STASH_EST_S})
        if offset < len(blob):
            calls[first_w]["carry"].append(cut(len(blob) - offset))
        calls[first_w:first_w] = stash_calls
    calls.append({"stage": "fetch", "carry": [], "command": f"{PY} tools/gpu_session.py fetch",
                  "timeout_s": STASH_TIMEOUT_S, "estimate_s": STASH_EST_S,
                  "only_if": "a run's log says weight pieces are left; repeat until none"})
    plan = {"stages": stages, "checkout_mib": round(base / MIB, 1), "calls": calls,
            "weights": None if weights is None else {
                "name": weights.name, "sha256": sha256_file(weights), "parts": parts}}
    (CARRY / "plan.json").write_text(json.dumps(plan, indent=1))
    print(f"Make these calls back to back (device tool `run`, with the timeout_s given): a "
          f"machine idle for 30 s is given back, and the stashed weight parts with it. The "
          f"checkout is {base / MIB:.1f} MiB of each call's 64.")
    for i, c in enumerate(calls, 1):
        note = f"; {c['only_if']}" if "only_if" in c else f"; {c['note']}" if "note" in c else ""
        print(f"call {i} ({_call_bytes(base, c['carry']) / MIB:.1f} MiB, timeout_s="
              f"{c['timeout_s']}, est. {c['estimate_s']} s{note}): "
              f"carry={json.dumps(c['carry'])} command={c['command']!r}")
    sure = [c for c in calls if "only_if" not in c]
    est = MACHINE_START_S + sum(c["estimate_s"] for c in sure)
    worst = MACHINE_START_S + sum(c["timeout_s"] for c in sure)
    print(f"device time: est. {est} s (machine start ~{MACHINE_START_S} s included), at most "
          f"{worst} s if every call runs to its timeout_s, of the session's {SESSION_S} s"
          + ("" if worst <= SESSION_S else
             "; OVER the session: plan these stages for separate sessions"))
    return plan


def _call_bytes(base: int, carry: list[str]) -> int:
    return base + sum(_size(ROOT / p) for p in carry if (ROOT / p).exists())


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return path.stat().st_size


def _is_archive(name: str) -> bool:
    return name.startswith("gpu-results-") and name.endswith(".tar.gz")


def unpack(folders: list[Path]) -> list[str]:
    """Extract what came back (records and kept weights of every call) into this checkout,
    checking each weight piece against the hashes packed with its call's records. Returns
    the extracted paths."""
    files = {f.name: f for d in folders for f in Path(d).rglob("*") if f.is_file()}
    results = sorted(name for name in files if _is_archive(name))
    if not results:
        raise SystemExit("no gpu-results-*.tar.gz among the folders; give the run calls' "
                         "files_at")
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
        for tar_name in dict.fromkeys(p["tar"] for p in pieces):
            joined = CARRY / tar_name
            joined.parent.mkdir(exist_ok=True)
            with open(joined, "wb") as out:
                for p in pieces:
                    if p["tar"] == tar_name:
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
    """Keep the weight parts this call carried until a run call joins them."""
    _stash_carried(print)


def _stash_carried(say) -> None:
    """Copy carried weight parts and data archives into the stash (they outlive the call
    while the machine stays warm)."""
    (STASH / "data").mkdir(parents=True, exist_ok=True)
    for part in sorted(CARRY.glob("w.part-*")):
        if not (STASH / part.name).is_file() or \
                (STASH / part.name).stat().st_size != part.stat().st_size:
            shutil.copy(part, STASH / part.name)
            say(f"stashed {part.name} ({part.stat().st_size / MIB:.1f} MiB)")
    for arc in sorted((CARRY / "data").glob("*")):
        if arc.is_file() and not (STASH / "data" / arc.name).is_file():
            shutil.copy(arc, STASH / "data" / arc.name)
            say(f"stashed {arc.name} ({arc.stat().st_size / MIB:.1f} MiB)")


def _install_weights(plan: dict) -> str | None:
    """Join the stashed (and carried) parts into torch hub's checkpoint folder; returns
    why not, or None when they are in place."""
    import torch

    w = plan["weights"]
    if w is None:
        return "this plan carries no Inception weights"
    hub = Path(torch.hub.get_dir()) / "checkpoints"
    target = hub / w["name"]
    if target.is_file() and sha256_file(target) == w["sha256"]:
        return None
    missing = [n for n in w["parts"] if not (STASH / n).is_file()]
    if missing:
        return (f"weight parts {missing} are not stashed (their calls not made, or the "
                f"machine was given back between calls: make them back to back)")
    hub.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".partial")
    with open(tmp, "wb") as out:
        for name in w["parts"]:
            out.write((STASH / name).read_bytes())
    if sha256_file(tmp) != w["sha256"]:
        tmp.unlink()
        return "the joined Inception weights do not match their hash"
    tmp.replace(target)
    return None


def _install_wheel(say) -> str:
    """pytorch-fid from the carried wheel into a private folder, where the image lacks
    it; returns the folder for PYTHONPATH ("" when the image has pytorch-fid)."""
    site = STASH / "site"
    if (site / "pytorch_fid").is_dir():
        return str(site)
    try:
        import pytorch_fid  # noqa: F401

        return ""
    except ImportError:
        pass
    wheels = sorted(map(str, (CARRY / "whl").glob("*.whl")))
    if not wheels:
        say("no pytorch-fid on the image and no wheel carried: FIDs will fail")
        return ""
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-index",
                           "--no-deps", "--no-compile", "--no-cache-dir", "--upgrade",
                           "--target", str(site), *wheels], capture_output=True, text=True)
    if done.returncode != 0:  # the stage's commands that need no FID still run
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:]
        say(f"pip could not install {', '.join(Path(w).name for w in wheels)} "
            f"(exit {done.returncode}{': ' + tail[0] if tail else ''}): FIDs will fail")
        return ""
    say(f"installed {', '.join(Path(w).name for w in wheels)} into {site}")
    return str(site)


class _Terminated(BaseException):
    """The call itself was terminated (SIGTERM from the device tool at its timeout_s)."""


def _on_term(signum, frame):
    raise _Terminated


def run(stage: str, out: Path, budget: float | None = None) -> int:
    """The stage's commands, each under its deadline, logged to $OUT/log.txt; what they
    wrote is packed into $OUT after each one and at the end (also when terminated)."""
    t0 = time.monotonic()
    since = time.time() - 1
    budget = BUDGET[stage] if budget is None else budget
    out.mkdir(parents=True, exist_ok=True)
    STASH.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%m%d%H%M%S")
    name = f"{stamp}-{stage}"
    log = open(out / "log.txt", "a", buffering=1)

    def say(text: str) -> None:
        print(text, flush=True)
        log.write(text + "\n")

    signal.signal(signal.SIGTERM, _on_term)
    failed = 0
    try:
        plan = json.loads((CARRY / "plan.json").read_text())
        _stash_carried(say)
        why = _install_weights(plan) if needs_weights(stage) else None
        if why:
            say(f"weights: {why}; the commands that compute FIDs are skipped")
        site = _install_wheel(say)
        data = STASH / "data"
        lacking = [archive(d) for d in DATA[stage] if not (data / archive(d)).is_file()]
        if lacking:
            say(f"data archives {lacking} are neither carried nor stashed: carry them")
            return 2
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "TQDM_DISABLE": "1",
               "OVERGAN_DATA": str(data),
               "OVERGAN_SOURCE_MANIFEST": str(CARRY / "manifest.json"),
               "PYTHONPATH": os.pathsep.join(
                   p for p in (str(ROOT), site, os.environ.get("PYTHONPATH", "")) if p)}
        versions = Cmd(("-c", "import torch, scipy, platform; print('python', "
                        "platform.python_version(), 'torch', torch.__version__, 'scipy', "
                        "scipy.__version__, 'cuda', torch.cuda.is_available() and "
                        "torch.cuda.get_device_name(0))"), 60, 5)
        for cmd in [versions, *STAGES[stage]]:
            left = budget - (time.monotonic() - t0) - PACK_RESERVE_S
            if cmd.weights and why:
                say(f"+ skipped (no weights): {' '.join(cmd.argv)}")
                failed += 1
                continue
            if left < 5:
                say(f"+ skipped (the call's budget of {budget:.0f} s is spent): "
                    f"{' '.join(cmd.argv)}")
                failed += 1
                continue
            failed += _run_one(cmd, min(cmd.deadline, left), env, say, log) != 0
            pack(name, since, out, log)
    finally:
        left = pack(name, since, out, log)
        say(f"= {failed} command(s) failed or skipped; {time.monotonic() - t0:.0f} s of the "
            f"budget {budget:.0f} s")
        say(f"weight pieces left for fetch: {left}")
        pack(name, since, out, log)  # with the log's last lines
        log.close()
    return 1 if failed else 0


def _run_one(cmd: Cmd, deadline: float, env: dict, say, log) -> int:
    """One command in its own process group, killed (with its children) at ``deadline``
    seconds; returns its exit status (-9 when killed)."""
    argv = list(cmd.argv)
    if argv[:2] == ["-m", "pytest"] and importlib.util.find_spec("pytest_timeout"):
        argv[2:2] = [f"--timeout={PYTEST_TIMEOUT_S}"]
    say(f"+ {PY} {' '.join(argv)}   (deadline {deadline:.0f} s)")
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *argv], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=1,
                            process_group=0)

    def pump() -> None:
        for text in proc.stdout:
            sys.stdout.write(text)
            sys.stdout.flush()
            log.write(text)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        rc = proc.wait(timeout=deadline)
        msg = f"= rc {rc} in {time.perf_counter() - t0:.1f} s"
    except subprocess.TimeoutExpired:
        _kill(proc)
        rc = -9
        msg = f"= killed at its deadline ({deadline:.0f} s)"
    except BaseException:
        _kill(proc)
        say(f"= killed with the call after {time.perf_counter() - t0:.1f} s")
        raise
    reader.join(5)
    say(msg)
    return rc


def _kill(proc: subprocess.Popen) -> None:
    """SIGTERM to the command's process group, SIGKILL after 10 s."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def pack(name: str, since: float, out: Path, log) -> int:
    """Records written since ``since`` into $OUT/gpu-results-<name>.tar.gz (with
    pieces.json, the hashes of the weight pieces, and the log), written whole then renamed;
    kept weights not yet packed into 15 MiB pieces: those that fit now go to $OUT, the
    others wait in the stash for ``fetch`` (also across later calls). Returns how many
    wait."""
    written = [p for p in (ROOT / "results").rglob("*")
               if p.is_file() and p.stat().st_mtime >= since]
    weights = [p for p in written if p.parts[-3] == "weights"]
    records = [p for p in written if p not in weights]
    back = STASH / "back"
    back.mkdir(parents=True, exist_ok=True)
    state_path = STASH / f"pieces-{name}.json"
    state = (json.loads(state_path.read_text()) if state_path.is_file()
             else {"packed": [], "pieces": []})
    new = [p for p in weights if str(p.relative_to(ROOT)) not in state["packed"]]
    if new:
        tar_name = f"weights-{name}-{len({p['tar'] for p in state['pieces']})}.tar"
        blob = back / tar_name
        with tarfile.open(blob, "w") as tar:
            for p in new:
                tar.add(p, arcname=str(p.relative_to(ROOT)))
        data = blob.read_bytes()
        blob.unlink()
        for i in range(math.ceil(len(data) / PIECE)):
            piece = back / f"{tar_name}.{i:03d}"
            piece.write_bytes(data[i * PIECE:(i + 1) * PIECE])
            state["pieces"].append({"name": piece.name, "tar": tar_name,
                                    "sha256": sha256_file(piece)})
        state["packed"] += [str(p.relative_to(ROOT)) for p in new]
        state_path.write_text(json.dumps(state))
    doc = STASH / "pieces.json"
    doc.write_text(json.dumps({"pieces": state["pieces"]}))
    log.flush()
    target = out / f"gpu-results-{name}.tar.gz"
    tmp = out / f"gpu-results-{name}.partial"
    with tarfile.open(tmp, "w:gz") as tar:
        for p in records:
            tar.add(p, arcname=str(p.relative_to(ROOT)))
        tar.add(doc, arcname="pieces.json")
        tar.add(out / "log.txt", arcname="log.txt")
    tmp.replace(target)
    used = sum(f.stat().st_size for f in out.iterdir() if f.is_file())
    return _send(out, used, len(list(out.iterdir())))


def _send(out: Path, used: int, count: int) -> int:
    """Move waiting weight pieces into $OUT while they fit; returns how many still wait."""
    waiting = sorted((STASH / "back").glob("weights-*.tar.*"))
    for piece in waiting:
        size = piece.stat().st_size
        # one file's room is kept for the archive's temporary copy at the next pack
        if count + 2 > BACK_FILES or used + size > BACK_BYTES - 4 * MIB:
            break
        shutil.move(piece, out / piece.name)
        used, count = used + size, count + 1
    return len(list((STASH / "back").glob("weights-*.tar.*")))


def fetch(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    left = _send(out, 0, 0)
    print(f"weight pieces left for fetch: {left}")


def chunk(sweep: str, profile: str, steps: int) -> int:
    """Train the sweep's unfinished runs together to the next multiple of ``steps``
    iterations, checkpointing only there (``ckpt_every`` is a run option: no key changes);
    the chunk that reaches the end stores the records and the sweep's summary. Run again
    after a cut, it continues from the last chunk's checkpoints."""
    from overgan_lib.profiles import settings
    from overgan_lib.store import load
    from overgan_lib.sweep.grid import experiment_configs, run_options
    from overgan_lib.sweep.run import run_experiment
    from overgan_lib.train import EXPERIMENT, train_many
    from overgan_lib.train.checkpoints import checkpoint_path, load_checkpoint

    cfg = settings(sweep, profile, ckpt_every=steps)
    configs = experiment_configs(sweep, cfg)
    todo = [c for c in configs if load(EXPERIMENT, profile, c.record()) is None]
    if not todo:
        print(f"{sweep} ({profile}): all {len(configs)} runs are stored")
        return 0
    iters = max(c.iters for c in todo)
    at = min((ck or {}).get("state", {}).get("step", 0)
             for ck in (load_checkpoint(checkpoint_path(c)) for c in todo))
    target = min(iters, (at // steps + 1) * steps)
    print(f"{sweep} ({profile}): {len(todo)} of {len(configs)} runs to train, from step {at} "
          f"to {target} of {iters}", flush=True)
    t0 = time.perf_counter()
    if target < iters:
        train_many(todo, profile, run_options(cfg), stop_after=target, progress=False)
        print(f"checkpoints at step {target} in {time.perf_counter() - t0:.0f} s; run this "
              f"stage again to continue", flush=True)
        return 0
    recs, _ = run_experiment(sweep, profile, cfg, progress=False)
    done = sum(r is not None and r["status"] == "completed" for r in recs)
    print(f"records stored: {done} of {len(recs)} runs completed "
          f"({time.perf_counter() - t0:.0f} s; the sweep summary's wall time covers this "
          f"last chunk only)", flush=True)
    return 0 if all(r is not None for r in recs) else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="action", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("stages", nargs="*",
                   help=f"of {', '.join(STAGES)}; default: train fid (one session); dcgan, "
                   "celeba: one session each")
    p.add_argument("--data-root", type=Path, default=ROOT.parent / "shared" / "data")
    p.add_argument("--wheels", type=Path, help="carry these wheels instead of downloading "
                   + WHEEL)
    sub.add_parser("stash")
    r = sub.add_parser("run")
    r.add_argument("stage", choices=list(STAGES))
    r.add_argument("--budget", type=float, help="seconds for the whole call (default: the "
                   "stage's); keep it below the call's timeout_s")
    sub.add_parser("fetch")
    u = sub.add_parser("unpack")
    u.add_argument("folders", nargs="+", type=Path)
    c = sub.add_parser("chunk", help="(device) one resumable chunk of a sweep")
    c.add_argument("sweep")
    c.add_argument("--profile", default="gpu")
    c.add_argument("--steps", type=int, default=SWEEP_CHUNK)
    args = ap.parse_args(argv)
    out = Path(os.environ.get("OUT", ROOT / ".gpu-out"))
    if args.action == "prepare":
        prepare(args.stages or ["train", "fid"], args.data_root, args.wheels)
    elif args.action == "stash":
        stash()
    elif args.action == "run":
        return run(args.stage, out, args.budget)
    elif args.action == "fetch":
        fetch(out)
    elif args.action == "chunk":
        return chunk(args.sweep, args.profile, args.steps)
    else:
        for path in unpack(args.folders):
            print(f"extracted {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
