"""tools/gpu_session.py, the plan of a GPU session, run end to end on the CPU.

A lent GPU gives 15 minutes; a plan that fails there on a typo, a size limit or a lost
weight piece costs the session. Here the same calls run with the CPU ``smoke`` stage: a
committed copy of this tree prepares, a copy without ``.git`` plays the device (each call
gets the checkout and that call's carried paths only), and what comes back is unpacked.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from overgan_lib.cli import build_parser
from overgan_lib.sweep.registry import SWEEPS

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
import gpu_session  # noqa: E402


def _archive_root() -> Path | None:
    """The data root holding the offline CIFAR-10 archive the plan carries, if any."""
    from overgan_lib import data

    return next((r for r in data.candidate_roots()
                 if (r / gpu_session.archive("cifar10")).is_file()), None)


def test_every_stage_command_parses():
    """Every overgan command of every stage is valid for the CLI (a typo in a flag would
    only show on the device otherwise); each has a deadline below its call's budget; the
    benches run before the tests; every test file with cuda tests is run there."""
    parser = build_parser()
    for stage, cmds in gpu_session.STAGES.items():
        for cmd in cmds:
            if cmd.argv[:2] == ("-m", "overgan_lib.cli"):
                parser.parse_args(cmd.argv[2:])
            elif cmd.argv[:2] == ("tools/gpu_session.py", "chunk"):
                assert cmd.argv[2] in SWEEPS
            assert 0 < cmd.estimate < cmd.deadline < gpu_session.BUDGET[stage]
        assert gpu_session.BUDGET[stage] + gpu_session.CALL_MARGIN_S <= gpu_session.CALL_MAX_S
    assert set(gpu_session.DATA) == set(gpu_session.STAGES) == set(gpu_session.BUDGET)
    train = [c.argv for c in gpu_session.STAGES["train"]]
    assert [a[3] for a in train[:2]] == ["train", "gpu-sweep"] and "pytest" in train[-1]
    assert not gpu_session.needs_weights("train") and gpu_session.needs_weights("fid")
    with_cuda = sorted(str(f.relative_to(REPO)) for f in (REPO / "tests").glob("test_*.py")
                       if re.search(r"^@(cuda|pytest\.mark\.cuda)$", f.read_text(), re.M))
    assert with_cuda == sorted(gpu_session.CUDA_TEST_FILES)


def _copy_tracked(src: Path, dst: Path) -> None:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=src, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for f in filter(None, files):
        if (src / f).is_file():
            (dst / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src / f, dst / f)


def _sh(cmd: list[str], cwd: Path, env: dict) -> str:
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    return out.stdout


@pytest.mark.slow
@pytest.mark.needs_data("cifar10")
def test_the_session_plan_runs_end_to_end_on_the_cpu(tmp_path):
    data_root = _archive_root()
    if data_root is None:
        pytest.skip("the offline CIFAR-10 archive (cifar10-jpeg.tar.xz) is not in a data root")
    here, device, wheels = tmp_path / "here", tmp_path / "device", tmp_path / "wheels"
    for d in (here, device, wheels):
        d.mkdir()
    _wheel_of_installed("pytorch-fid", wheels)  # the device lacks it: installed from this
    _copy_tracked(REPO, here)
    shutil.copy2(REPO / "tools" / "gpu_session.py", here / "tools" / "gpu_session.py")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OVERGAN_")}
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@t", OVERGAN_GPU_STASH=str(tmp_path / "stash"),
               OVERGAN_GPU_PIECE_BYTES="100000", OVERGAN_GPU_BACK_FILES="4",
               OVERGAN_CACHE=str(tmp_path / "cache"))
    # decoded data and reference features from the usual cache; checkpoints of this plan only
    shared = Path(os.environ.get("OVERGAN_CACHE", Path.home() / ".cache" / "overgan"))
    (tmp_path / "cache").mkdir()
    for sub in ("data", "fid"):
        (shared / sub).mkdir(parents=True, exist_ok=True)
        (tmp_path / "cache" / sub).symlink_to(shared / sub)
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "x"]):
        _sh(cmd, here, env)
    sha = _sh(["git", "rev-parse", "HEAD"], here, env).strip()
    printed = _sh([sys.executable, "tools/gpu_session.py", "prepare", "smoke", "smoke-a",
                   "--data-root", str(data_root), "--wheels", str(wheels)], here, env)
    plan = json.loads((here / ".gpu-carry" / "plan.json").read_text())
    assert sum(line.startswith("call ") for line in printed.splitlines()) == len(plan["calls"])
    assert "back to back" in printed
    assert all(f"timeout_s={c['timeout_s']}" in printed for c in plan["calls"])
    # the stage without weights first, carrying the data and a first weight part; stash
    # calls; the stage computing FIDs with the last part; fetch
    first, *middle, last, fetch = plan["calls"]
    assert first["stage"] == "smoke-a" and last["stage"] == "smoke" and middle
    assert any("data/" in p for p in first["carry"]) and ".gpu-carry/w.part-00" in first["carry"]
    assert {c["stage"] for c in middle} == {"stash"} and "w.part" in last["carry"][-1]
    assert fetch["command"].endswith("fetch")

    # The device: the checkout without .git, its own torch hub (weights come only from the
    # parts), pytorch-fid absent (only the carried wheel's copy imports), each call with its
    # carried paths.
    _copy_tracked(here, device)
    (tmp_path / "block").mkdir()
    (tmp_path / "block" / "sitecustomize.py").write_text(_BLOCKER)
    env_dev = {**env, "TORCH_HOME": str(tmp_path / "torch"),
               "OVERGAN_TEST_BLOCK": json.dumps(["pytorch_fid"]),
               "OVERGAN_TEST_ALLOW": str(tmp_path / "stash" / "site"),
               "PYTHONPATH": str(tmp_path / "block")}
    returned = []
    for i, call in enumerate(plan["calls"]):
        for path in call["carry"]:
            (device / path).parent.mkdir(parents=True, exist_ok=True)
            if (here / path).is_dir():
                shutil.copytree(here / path, device / path, dirs_exist_ok=True)
            else:
                shutil.copy2(here / path, device / path)
        out = tmp_path / f"out{i}"
        env_dev["OUT"] = str(out)
        cmd = call["command"].split()[1:]
        for _ in range(10 if cmd[-1] == "fetch" else 1):  # fetch until nothing is left
            out.mkdir()  # the device's $OUT: an empty folder
            log = _sh([sys.executable, *cmd], device, env_dev)
            returned.append(out)
            files = list(out.iterdir())
            assert len(files) <= 4 and all(f.stat().st_size <= 100_000 or f.suffix in
                                           (".gz", ".txt") for f in files)
            if "weight pieces left for fetch: 0" in log:
                break
            out = tmp_path / f"out{i}-{len(returned)}"
            env_dev["OUT"] = str(out)
        assert "= rc 1" not in log and "+ skipped" not in log, log[-3000:]
        if call["stage"] == "smoke-a":
            assert "installed pytorch_fid" in log and "to 2 of 3" in log
    assert "weight pieces left for fetch: 0" in log
    assert "from step 2 to 3 of 3" in (tmp_path / f"out{len(plan['calls']) - 2}" /
                                       "log.txt").read_text()

    printed = _sh([sys.executable, "tools/gpu_session.py", "unpack", *map(str, returned)],
                  here, env)
    records = [here / line.split()[1] for line in printed.splitlines()
               if line.startswith("extracted results/sweep_cifar10_dcgan/smoke/")]
    assert records
    for path in records:
        doc = json.loads(path.read_text())
        assert doc["provenance"]["git_sha"] == sha and doc["provenance"]["git_dirty"] is False
        if "resumed_from" in doc.get("result", {}):  # the runs went on from the first chunk
            assert doc["result"]["resumed_from"] == [2]
    kept = list((here / "results" / "weights" / "smoke").glob("*.pt"))
    assert len(kept) == 4  # 2 widths x 2 seeds
    for w in kept:
        assert hashlib.sha256(w.read_bytes()).hexdigest().startswith(w.stem)


_BLOCKER = '''
import importlib.machinery, json, os, sys
_BLOCK = set(json.loads(os.environ["OVERGAN_TEST_BLOCK"]))
_ALLOW = os.environ.get("OVERGAN_TEST_ALLOW")  # a folder whose copies do import
class _Absent:  # the device image lacks these: importing one fails as it would there
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in _BLOCK:
            if _ALLOW and "." not in name:
                spec = importlib.machinery.PathFinder.find_spec(
                    name, [p for p in sys.path if p.startswith(_ALLOW)])
                if spec is not None:
                    return spec
            elif _ALLOW and path and all(str(p).startswith(_ALLOW) for p in path):
                return None
            raise ModuleNotFoundError(f"{name} is not on the H200 image", name=name)
sys.meta_path.insert(0, _Absent())
'''


def _wheel_of_installed(dist_name: str, dest: Path) -> Path:
    """A wheel of an installed pure-Python distribution (what `pip download` would fetch;
    built here, offline)."""
    import base64
    import importlib.metadata as md
    import zipfile

    dist = md.distribution(dist_name)
    skip = ("RECORD", "INSTALLER", "REQUESTED", "direct_url.json")
    files = [f for f in dist.files or [] if not str(f).startswith("..")
             and "__pycache__" not in str(f) and not str(f).endswith(skip)]
    record = next(str(f) for f in dist.files if str(f).endswith(".dist-info/RECORD"))
    path = dest / f"{dist.metadata['Name'].replace('-', '_')}-{dist.version}-py3-none-any.whl"
    rows = []
    with zipfile.ZipFile(path, "w") as z:
        for f in files:
            data = f.locate().read_bytes()
            z.writestr(str(f), data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            rows.append(f"{f},sha256={digest.decode()},{len(data)}")
        z.writestr(record, "\n".join([*rows, f"{record},,"]) + "\n")
    return path


def _absent_on_device() -> list[str]:
    """Top-level modules installed here whose distribution tools/h200_packages.txt lacks."""
    import importlib.metadata as md
    import re

    def norm(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    text = (REPO / "tools" / "h200_packages.txt").read_text()
    there = {norm(w) for line in text.splitlines() if not line.startswith("#")
             for w in line.split()}
    absent, present = set(), set()
    for dist in md.distributions():
        tops = set((dist.read_text("top_level.txt") or "").split())
        tops |= {str(f).split("/")[0].removesuffix(".py") for f in dist.files or []
                 if "/" in str(f) or str(f).endswith(".py")}
        (present if norm(dist.metadata["Name"]) in there else absent).update(tops)
    # (some distributions ship a top-level ``tests``; this repository's own folders stay)
    return sorted(t for t in absent - present
                  if t.isidentifier() and not t.startswith("__") and not (REPO / t).exists())


def test_device_commands_import_only_what_the_h200_image_has(tmp_path):
    """On the device, `pytest -m cuda tests` collects every test module and the stages run
    the CLI: an import of a package the image lacks (IPython, papermill, ...) would cost the
    session. Here both run with every such package blocked."""
    absent = _absent_on_device()
    assert "IPython" in absent and "papermill" in absent and "torch" not in absent
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(_BLOCKER)
    env = {**os.environ, "OVERGAN_TEST_BLOCK": json.dumps(absent),
           "PYTHONPATH": os.pathsep.join([str(tmp_path / "site"), str(REPO)]),
           "OVERGAN_RESULTS": str(tmp_path / "results"), "OMP_NUM_THREADS": "1"}
    blocked = subprocess.run([sys.executable, "-c", "import IPython"], env=env,
                             capture_output=True, text=True)
    assert "not on the H200 image" in blocked.stderr  # the block is in force
    out = _sh([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--collect-only",
               "-m", "cuda", "tests"], REPO, env)  # a collection error exits 2
    assert "deselected" in out
    _sh([sys.executable, "-m", "overgan_lib.cli", "bench", "nnd", "--device", "cpu",
         "--batch-size", "2", "--iters", "1", "--quiet"], REPO, env)


_STAGE_SCRIPT = '''
import json, sys
sys.path.insert(0, {tools!r})
import gpu_session as g
from pathlib import Path
g.ROOT, g.CARRY = Path({root!r}), Path({carry!r})
first = "import pathlib; p = pathlib.Path('results/bench_x/gpu'); p.mkdir(parents=True); " \\
        "(p / 'done.json').write_text('{{}}'); print('first done')"
sleeper = "import os, time; open({pid!r}, 'w').write(str(os.getpid())); " \\
          "print('sleeping', flush=True); time.sleep(60)"
g.STAGES["t"] = [g.Cmd(("-c", first), 60, 1), g.Cmd(("-c", sleeper), {deadline}, 1),
                 g.Cmd(("-c", "print('never')"), 60, 1)]
g.DATA["t"] = []
sys.exit(g.main(["run", "t", "--budget", "200"]))
'''


@pytest.mark.parametrize("how", ["deadline", "SIGTERM", "SIGKILL"])
def test_a_command_past_its_deadline_or_a_killed_call_still_returns_what_finished(
        tmp_path, how):
    """A stage's command that overruns is killed at its own deadline and the next one
    runs; a call killed from outside (the device tool's timeout) still leaves in $OUT the
    archive packed after the last finished command, with its record."""
    root, carry, out, pid = (tmp_path / "root", tmp_path / "carry", tmp_path / "out",
                             tmp_path / "pid")
    (root / "results").mkdir(parents=True)
    carry.mkdir()
    (carry / "plan.json").write_text(json.dumps({"weights": None}))
    script = _STAGE_SCRIPT.format(tools=str(REPO / "tools"), root=str(root), carry=str(carry),
                                  pid=str(pid), deadline=3 if how == "deadline" else 60)
    env = {**os.environ, "OUT": str(out), "OVERGAN_GPU_STASH": str(tmp_path / "stash")}
    proc = subprocess.Popen([sys.executable, "-c", script], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if how != "deadline":
        for line in proc.stdout:
            if line.startswith("sleeping"):
                break
        proc.send_signal(getattr(signal, how))
    text = proc.communicate(timeout=60)[0]
    sleeper = int(pid.read_text())
    try:
        os.killpg(sleeper, 0)
        alive = True
    except ProcessLookupError:
        alive = False
    if alive:
        os.killpg(sleeper, signal.SIGKILL)
    archives = list(out.glob("gpu-results-*-t.tar.gz"))
    assert len(archives) == 1, sorted(p.name for p in out.iterdir())
    import tarfile

    with tarfile.open(archives[0]) as tar:
        names = tar.getnames()
        log = tar.extractfile("log.txt").read().decode()
    assert "results/bench_x/gpu/done.json" in names
    assert "first done" in log
    if how == "deadline":
        assert proc.returncode == 1 and not alive
        assert "= killed at its deadline (3 s)" in log and "never" in log
        assert "weight pieces left for fetch: 0" in log
    elif how == "SIGTERM":  # the call's own handler kills the command and packs
        assert not alive and "killed with the call" in log and "never" not in text
        assert "weight pieces left for fetch" in log
    else:  # nothing runs after SIGKILL: the pack after the first command is what is left
        assert proc.returncode == -9


def test_h200_version_pins_are_the_images_versions():
    """`make test-h200-versions` pins tools/h200_versions.txt; those pins are the versions
    tools/h200_packages.txt's header records for the image, and the Makefile tests under
    Python 3.12 by default (the image's is 3.12.3)."""
    import re

    pins = dict(re.findall(r"^([a-z]+)==(\S+)$",
                           (REPO / "tools" / "h200_versions.txt").read_text(), re.M))
    header = "".join(line for line in (REPO / "tools" / "h200_packages.txt").read_text()
                     .splitlines() if line.startswith("#"))
    image = dict(re.findall(r"\b(python|torch|torchvision|numpy|scipy) (\d[\w.]*)", header))
    assert set(pins) == {"torch", "torchvision", "numpy", "scipy"}
    assert pins == {name: image[name] for name in pins}
    makefile = (REPO / "Makefile").read_text()
    wanted = re.search(r"^H200_PYTHON \?= .*?python(\S+);", makefile, re.M).group(1)
    assert image["python"].startswith(wanted + ".")
    assert f"sys.version_info[:2] == ({wanted.replace('.', ', ')})" in makefile


def test_a_wheel_pip_cannot_install_is_logged_and_the_stage_goes_on(tmp_path, monkeypatch):
    """Where the image lacks pytorch-fid and the carried wheel does not install, the stage
    logs one line and goes on (its commands that compute no FID still run): no exception."""
    monkeypatch.setattr(gpu_session, "STASH", tmp_path / "stash")
    monkeypatch.setattr(gpu_session, "CARRY", tmp_path / "carry")
    (tmp_path / "carry" / "whl").mkdir(parents=True)
    (tmp_path / "carry" / "whl" / "pytorch_fid-0.3.0-py3-none-any.whl").write_bytes(b"no zip")
    monkeypatch.setitem(sys.modules, "pytorch_fid", None)  # the image has none
    said = []
    assert gpu_session._install_wheel(said.append) == ""
    assert len(said) == 1 and said[0].startswith("pip could not install pytorch_fid-0.3.0")
    assert said[0].endswith("FIDs will fail") and "\n" not in said[0]
