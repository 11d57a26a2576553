"""Has the code behind a stored result changed since it was computed? A record whose
:data:`~.depends.DEPENDS` paths changed between its git sha and ``HEAD`` is flagged as possibly
stale. A change that only edits docstrings or comments of a Python file is not a change: the
files' syntax trees, docstrings removed, are compared, so documentation can improve without
orphaning results. Any other edit, a file added or removed, or a non-Python file changed,
counts. A score of kept generators is also stale when they were retrained since."""

from __future__ import annotations

import ast
import functools
import json
import subprocess
from typing import Any

from .. import store
from ..store import Record
from .depends import DEPENDS, depends_for


def code_changed_since(sha: str, paths: tuple[str, ...], root=None) -> bool | None:
    """Did any of ``paths`` change in what it computes between commit ``sha`` and HEAD?
    Docstring- and comment-only edits of Python files do not count (:func:`same_code`).
    None when it cannot be told (no git, unknown sha, a shallow clone without that commit)."""
    if not sha or sha == "unknown":
        return None
    root = store.REPO_ROOT if root is None else root  # read at call time, as store does
    head = _git(root, "rev-parse", "HEAD")
    if head is None:
        return None
    return _changed(str(root), sha, head, tuple(paths))


@functools.lru_cache(maxsize=1024)
def _changed(root: str, sha: str, head: str, paths: tuple[str, ...]) -> bool | None:
    # Many records share a commit: one answer per (commit, HEAD, paths).
    names = _git(root, "diff", "--name-status", "--no-renames", sha, head, "--", *paths)
    if names is None:
        return None
    for line in names.splitlines():
        status, name = line.split("\t", 1)
        if status != "M" or not name.endswith(".py"):
            return True  # added, removed or not Python: counted, whatever it holds
        old, new = _git(root, "show", f"{sha}:{name}"), _git(root, "show", f"{head}:{name}")
        if old is None or new is None or not same_code(old, new):
            return True
    return False


def _git(root, *args: str) -> str | None:
    """:func:`overgan_lib.store._git` in ``root``, None where git fails."""
    try:
        return store._git(*args, cwd=root)
    except (OSError, subprocess.SubprocessError):
        return None


def same_code(old: str, new: str) -> bool:
    """Do two Python sources compute the same thing up to docstrings and comments? Their
    syntax trees are compared with every module, class and function docstring removed
    (comments are not in the tree). A source that does not parse is never the same."""
    try:
        return _stripped(old) == _stripped(new)
    except SyntaxError:
        return False


def _stripped(source: str) -> str:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree, include_attributes=False)


def scored_runs(record: Record) -> list[str]:
    """The training runs (record keys under ``train/<profile>/``) whose kept generators
    ``record`` scored: a ``generalization`` record's ``runs``; for an ``nnd_crossover``
    record of a sweep, those of the ``generalization`` record it pairs with (same sweep,
    seeds and seed). Empty for every other record, and where the paired record is gone."""
    if record.experiment == "generalization":
        return [str(r) for r in getattr(record, "data", {}).get("runs", [])]
    cfg = getattr(record, "config", None)
    cfg = cfg if isinstance(cfg, dict) else {}
    if record.experiment != "nnd_crossover" or cfg.get("source", "baselines") == "baselines":
        return []
    paired = store.load("generalization", str(record.provenance["profile"]),
                        {"sweep": cfg["source"], "seeds": cfg["seeds"], "seed": cfg["seed"]})
    return [] if paired is None else scored_runs(paired)


def retrained_since(record: Record) -> bool:
    """Were any of the generators ``record`` scored (:func:`scored_runs`) retrained, with other
    weights, after it was computed? A score is keyed by its sweep and seeds, not by the weights
    it read, so a sweep rerun with ``--rerun`` (on another CPU model, or after a change in the
    training code) leaves the old score looking current. A run counts when its training record
    is newer than the score and its kept weights (sha256, in that record) differ from those
    its record held at the score's commit, or git cannot tell (results outside the
    repository, a run not committed then): a rerun that only brings back bitwise-equal
    weights (README, "Kept generators") leaves the score current. A run whose record is gone
    is not counted."""
    runs = scored_runs(record)
    if not runs:
        return False
    root = store.results_root()
    folder = root / "train" / str(record.provenance["profile"])
    prov = record.provenance
    for run in runs:
        path = folder / f"{run}.json"
        if not path.exists():
            continue
        now = json.loads(path.read_text())
        if str(now["provenance"].get("created_utc", "")) <= str(prov.get("created_utc", "")):
            continue  # trained before the score: what it read
        then = _committed(path, str(prov.get("git_sha", "")))
        if then is None or _weights(then) != _weights(now):
            return True
    return False


def _weights(doc: dict[str, Any]) -> str | None:
    weights = doc.get("data", {}).get("weights")
    return weights.get("sha256") if isinstance(weights, dict) else None


def _committed(path, sha: str) -> dict[str, Any] | None:
    """The JSON document at ``path`` as commit ``sha`` held it; None where git cannot tell."""
    root = store.REPO_ROOT
    try:
        rel = path.resolve().relative_to(root.resolve())
    except ValueError:  # a store outside the repository
        return None
    if not sha or sha == "unknown":
        return None
    text = _git(root, "show", f"{sha}:{rel.as_posix()}")
    return None if text is None else json.loads(text)


def provenance_status(record: Record) -> dict[str, Any]:
    """What a reader needs to trust a record: clean tree? code changed since? (see DEPENDS)
    Generators it scored retrained since (:func:`retrained_since`)?"""
    p = record.provenance
    sha = p.get("git_sha", "unknown")
    paths = DEPENDS.get(record.experiment, ("overgan_lib",))
    return {
        "experiment": record.experiment,
        "reused": record.reused,
        "sha": sha,
        "clean": None if sha == "unknown" else not p.get("git_dirty", False),
        "changed": code_changed_since(sha, depends_for(record.experiment,
                                                       str(p.get("device", "")))),
        "retrained": retrained_since(record),
        "paths": paths,
    }


