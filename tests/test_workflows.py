"""The GitHub Actions workflows: schema-valid (SchemaStore's schema, vendored by
check-jsonschema, checked offline) and doing what the README says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

WORKFLOWS = Path(__file__).resolve().parent.parent / ".github" / "workflows"


def _schema_check(*files: Path) -> subprocess.CompletedProcess:
    pytest.importorskip("check_jsonschema", reason="check-jsonschema (dev extra) not installed")
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                           "vendor.github-workflows", *map(str, files)],
                          capture_output=True, text=True, timeout=120)


def _load(name: str) -> dict:
    doc = yaml.safe_load((WORKFLOWS / name).read_text())
    doc["on"] = doc.pop(True, doc.get("on"))  # YAML 1.1 reads the key `on` as True
    return doc


@pytest.mark.slow
def test_workflows_match_the_github_schema():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["ci.yml", "gpu-book.yml"]
    res = _schema_check(*files)
    assert res.returncode == 0, res.stdout + res.stderr


@pytest.mark.slow
def test_schema_check_rejects_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("name: bad\non: push\njobs:\n  test:\n    steps:\n      - run: make test\n"
                   "        uses: actions/checkout@v4\n")  # no runs-on; run and uses together
    assert _schema_check(bad).returncode != 0


def _steps(job: dict) -> tuple[str, list[str]]:
    runs = " ".join(s.get("run", "") for s in job["steps"])
    return runs, [s.get("uses", "").split("@")[0] for s in job["steps"]]


def test_ci_runs_the_one_entry_point_on_every_push():
    """GitHub's CI and the project's CI share `.ci/run`, which runs the README's `make test`,
    then `make test-h200-versions` where a Python 3.12 is found."""
    ci = _load("ci.yml")
    assert "push" in ci["on"]
    runs, uses = _steps(ci["jobs"]["test"])
    assert ".ci/run" in runs.split() and "actions/checkout" in uses
    entry = (WORKFLOWS.parent.parent / ".ci" / "run").read_text().splitlines()
    # `step CMD` runs CMD and prints its wall time
    commands = [line.strip().removeprefix("step ") for line in entry
                if line.strip() and not line.startswith("#")]
    assert "make test" in commands and "make test-h200-versions" in commands
    assert commands.index("make test") < commands.index("make test-h200-versions")
    assert commands[-1] == "fi"  # the H200-versions block is last: make test always runs


def test_gpu_book_runs_on_the_gpu_runner_uploads_and_publishes():
    wf = _load("gpu-book.yml")
    build = wf["jobs"]["build"]
    assert "gpu" in build["runs-on"] and "self-hosted" in build["runs-on"]
    runs, uses = _steps(build)
    assert "make gpu-book" in runs
    paths = [s["with"]["path"] for s in build["steps"] if "upload" in s.get("uses", "")]
    assert "_build/executed/gpu" in paths and "results/*/gpu" in paths
    assert "_build/html" in paths and "actions/upload-pages-artifact" in uses
    deploy = wf["jobs"]["deploy"]
    assert deploy["needs"] == "build" and _steps(deploy)[1] == ["actions/deploy-pages"]
    assert wf["permissions"]["pages"] == "write"
