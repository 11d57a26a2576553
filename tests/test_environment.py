"""environment.yml and pyproject.toml must agree on dependencies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
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


SPLIT_PACKAGES = ("overgan_lib.related.li_verdicts", "overgan_lib.related.jelassi_verdicts",
                  "overgan_lib.sweep.generalization", "overgan_lib.sweep.generalization_chapter",
                  "overgan_lib.summaries", "overgan_lib.provenance",
                  "overgan_lib.sweep.figures", "overgan_lib.browser_check")


@pytest.mark.parametrize("name", SPLIT_PACKAGES)
def test_split_package_re_exports_every_public_name(name):
    """A module split into a package keeps every public function, class and constant of its
    submodules importable from the package (chapters write ``lv.compare_starts``): each is in
    ``__all__`` and is the submodule's own object."""
    import importlib
    import inspect
    import pkgutil

    pkg = importlib.import_module(name)
    missing = []
    for info in pkgutil.iter_modules(pkg.__path__):
        mod = importlib.import_module(f"{name}.{info.name}")
        for attr, value in list(vars(mod).items()):
            own = (inspect.isfunction(value) or inspect.isclass(value)) and \
                value.__module__ == mod.__name__
            constant = attr.isupper() and not attr.startswith("_")
            if attr.startswith("_") or not (own or constant):
                continue
            if constant and attr not in getattr(mod, "__annotations__", {}) and \
                    not _assigned_in(mod, attr):
                continue  # a constant the submodule imported, not one it defines
            if getattr(pkg, attr, None) is not value or attr not in pkg.__all__:
                missing.append(f"{info.name}.{attr}")
    assert not missing, f"{name} does not re-export {missing}"


def _assigned_in(mod, attr: str) -> bool:
    """Is ``attr`` assigned at the top level of ``mod``'s source (not imported)?"""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(mod))
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, ast.AnnAssign) else []
        for t in targets:
            names = t.elts if isinstance(t, ast.Tuple) else [t]
            if any(isinstance(n, ast.Name) and n.id == attr for n in names):
                return True
    return False


def test_readme_thread_policy_figures_are_the_bench_records():
    """The README's 'Measured with this policy' sentence quotes the committed CPU bench records
    (idle -> one core busy): a re-measured record must be quoted anew, not left behind."""
    import json

    root = Path(__file__).resolve().parents[1]
    text = " ".join((root / "README.md").read_text().split())

    def records(folder: str) -> list[dict]:
        return [json.loads(p.read_text()) for p in sorted((root / folder).glob("*.json"))]

    def pair(rows: list[dict], key: str, **match) -> tuple[float, float]:
        by_load = {r["data"]["load"]: r["data"][key] for r in rows
                   if all(r["config"].get(k) == v for k, v in match.items())}
        return by_load[False], by_load[True]

    theory = pair(records("results/bench_theory/cpu"), "batched_s")
    train = records("results/bench_train/cpu")
    mlp = pair(train, "engine_s_per_iter", arch="mlp", k=256)
    dcgan = pair(train, "engine_s_per_iter", arch="dcgan", k=64)
    assert f"theory bench (batched path) {theory[0]:.2f} → {theory[1]:.2f} s" in text
    assert f"MLP engine k=256 {mlp[0]:.3f} → {mlp[1]:.3f} s/iter" in text
    assert f"DCGAN k=64 engine (2 threads, passive wait) {dcgan[0]:.2f} → {dcgan[1]:.2f}" in text


def _library_names(depth: int) -> set[str]:
    """The modules and packages of overgan_lib down to ``depth`` levels, without private ones
    (``_types``) and without ``__init__``/``__main__``."""
    lib = ROOT / "overgan_lib"
    names = set()
    for path in lib.rglob("*"):
        rel = path.relative_to(lib)
        if len(rel.parts) > depth or "__pycache__" in rel.parts or rel.name.startswith("_"):
            continue
        if path.is_dir() and (path / "__init__.py").exists():
            names.add(rel.name)
        elif path.suffix == ".py":
            names.add(path.stem)
    return names


def test_readme_layout_names_every_library_module():
    """The README's Layout block names every module and package of overgan_lib two levels
    deep (e.g. ``sweep/summary``), so a new room cannot go unlisted."""
    text = (ROOT / "README.md").read_text()
    start = text.index("## Layout")
    block = text[text.index("```", start):text.index("```", text.index("```", start) + 3)]
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", block))
    missing = sorted(_library_names(2) - words)
    assert len(_library_names(2)) > 100 and not missing, f"README Layout lacks {missing}"
