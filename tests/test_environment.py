"""environment.yml and pyproject.toml must agree on dependencies."""

from __future__ import annotations

import re
from pathlib import Path

import tomllib
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _norm(req: str) -> str:
    return re.sub(r"\s+", "", req).lower()


def test_environment_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = set(map(_norm, project["dependencies"]))
    for group in project["optional-dependencies"].values():
        wanted |= set(map(_norm, group))
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    listed = {_norm(r) for r in pip if not r.startswith("-e")}
    assert listed == wanted, {
        "only in environment.yml": listed - wanted,
        "only in pyproject.toml": wanted - listed,
    }
    assert "-e ." in pip


def test_jupyter_book_pinned_below_two():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    book = project["optional-dependencies"]["book"]
    assert any(_norm(r) == "jupyter-book>=1.0.4,<2" for r in book)


def test_every_chapter_is_in_the_toc_and_has_parameters():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = {c["file"] for part in toc["parts"] for c in part["chapters"]}
    for md in sorted((ROOT / "book").glob("[0-9][0-9]_*.md")):
        assert f"book/{md.stem}" in files
        text = md.read_text()
        assert ":tags: [parameters]" in text and 'profile = "cpu"' in text and "seed = 0" in text
        # every chapter stamps its figures, directly or through the sweep chapters' helpers
        # (whose stamping tests/test_runner.py and tests/test_generalization_figures.py check)
        assert ("label_profile" in text or "chapter.glue_figures(" in text
                or "generalization_figures" in text)
