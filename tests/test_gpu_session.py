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
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from overgan_lib.cli import build_parser

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
    only show on the device otherwise)."""
    parser = build_parser()
    for cmds in gpu_session.STAGES.values():
        for cmd in cmds:
            if cmd[:2] == ["-m", "overgan_lib.cli"]:
                parser.parse_args(cmd[2:])
    assert set(gpu_session.DATA) == set(gpu_session.STAGES)


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
    _copy_tracked(REPO, here)
    shutil.copy2(REPO / "tools" / "gpu_session.py", here / "tools" / "gpu_session.py")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OVERGAN_")}
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@t", OVERGAN_GPU_STASH=str(tmp_path / "stash"),
               OVERGAN_GPU_PIECE_BYTES="100000", OVERGAN_GPU_BACK_FILES="4",
               OVERGAN_CACHE=os.environ.get("OVERGAN_CACHE",
                                            str(Path.home() / ".cache" / "overgan")))
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "x"]):
        _sh(cmd, here, env)
    sha = _sh(["git", "rev-parse", "HEAD"], here, env).strip()
    printed = _sh([sys.executable, "tools/gpu_session.py", "prepare", "smoke", "--data-root",
                   str(data_root), "--wheels", str(wheels)], here, env)
    plan = json.loads((here / ".gpu-carry" / "plan.json").read_text())
    assert printed.count("call ") == len(plan["calls"])
    assert [c["command"].split()[2] for c in plan["calls"]][-2:] == ["run", "fetch"]

    # The device: the checkout without .git, its own torch hub (weights come only from the
    # parts), each call with its carried paths.
    _copy_tracked(here, device)
    env_dev = {**env, "TORCH_HOME": str(tmp_path / "torch")}
    returned = []
    for i, call in enumerate(plan["calls"]):
        for path in call["carry"]:
            (device / path).parent.mkdir(parents=True, exist_ok=True)
            copy = shutil.copytree if (here / path).is_dir() else shutil.copy2
            copy(here / path, device / path)
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
        assert "= rc 1" not in log
    assert "weight pieces left for fetch: 0" in log

    printed = _sh([sys.executable, "tools/gpu_session.py", "unpack", *map(str, returned)],
                  here, env)
    records = [here / line.split()[1] for line in printed.splitlines()
               if line.startswith("extracted results/sweep_cifar10_dcgan/smoke/")]
    assert records
    for path in records:
        prov = json.loads(path.read_text())["provenance"]
        assert prov["git_sha"] == sha and prov["git_dirty"] is False
    kept = list((here / "results" / "weights" / "smoke").glob("*.pt"))
    assert len(kept) == 4  # 2 widths x 2 seeds
    for w in kept:
        assert hashlib.sha256(w.read_bytes()).hexdigest().startswith(w.stem)


_BLOCKER = '''
import json, os, sys
_BLOCK = set(json.loads(os.environ["OVERGAN_TEST_BLOCK"]))
class _Absent:  # the device image lacks these: importing one fails as it would there
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in _BLOCK:
            raise ModuleNotFoundError(f"{name} is not on the H200 image", name=name)
sys.meta_path.insert(0, _Absent())
'''


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
