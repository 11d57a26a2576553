"""Can a stored result be trusted? Its commit, its tree, and whether the code it depends on
changed since (the chapters' provenance boxes).

Each stored experiment names the source paths its numbers depend on (:data:`DEPENDS`). A record
whose paths changed between its git sha and ``HEAD`` is flagged as possibly stale. A change that
only edits docstrings or comments of a Python file is not a change: the files' syntax trees,
docstrings removed, are compared, so documentation can improve without orphaning results. Any
other edit, a file added or removed, or a non-Python file changed, counts.
"""

from __future__ import annotations

import ast
import functools
import json
import subprocess
from typing import Any

from . import store
from .store import Record

# The source paths each stored experiment's numbers depend on (relative to the repository
# root). A record whose paths changed between its git sha and HEAD is flagged as possibly stale.
# The sweep registry only names which configs a sweep holds: a change there that changes a
# run changes its config and so its key (a different record), so it is not listed.
_THEORY = ("overgan_lib/theory",)
_TRAINING = ("overgan_lib/train", "overgan_lib/models.py", "overgan_lib/optim.py",
             "overgan_lib/sweep/grid.py",
             "overgan_lib/sweep/run.py", "overgan_lib/sweep/executors.py",
             "overgan_lib/metrics/fid.py", "overgan_lib/metrics/inception.py",
             "overgan_lib/metrics/reference.py", "overgan_lib/data")
_GENERALIZATION = ("overgan_lib/metrics/nnd", *(f"overgan_lib/metrics/{m}.py" for m in (
    "neighbours", "samplers", "generalization", "fid", "inception", "reference")))
DEPENDS: dict[str, tuple[str, ...]] = {
    "formulation": _THEORY,
    "eigen": _THEORY,
    "perturbation": _THEORY,
    "spectrum": _THEORY,
    "fig2": _THEORY,
    "fig9": _THEORY,
    "cone": _THEORY,
    # Chapter 5's floors use only these (metrics.floors and what it imports); NND,
    # neighbours and samplers do not feed them.
    "data_metrics": tuple(f"overgan_lib/metrics/{m}.py" for m in (
        "floors", "fid", "reference", "inception")) + ("overgan_lib/data",),
    "li2018": ("overgan_lib/related/mixture.py", "overgan_lib/related/dynamics.py",
               "overgan_lib/related/experiments.py"),
    "generalization_baselines": (*_GENERALIZATION, "overgan_lib/data"),
    "nnd_floor": (*_GENERALIZATION, "overgan_lib/metrics/nnd_floor.py", "overgan_lib/data"),
    "nnd_fit_views": (*_GENERALIZATION, "overgan_lib/metrics/nnd_fit_views.py",
                      "overgan_lib/data"),
    # A sweep's crossed critics score its kept generators (train.load_generator).
    "nnd_crossover": (*_GENERALIZATION, "overgan_lib/metrics/nnd_crossover.py",
                      "overgan_lib/data", "overgan_lib/train", "overgan_lib/models.py"),
    "neighbour_baselines": (*_GENERALIZATION, "overgan_lib/data"),
    "generalization": (*_GENERALIZATION, "overgan_lib/data", "overgan_lib/train",
                       "overgan_lib/models.py"),
    "generalization_fid": (*_GENERALIZATION, "overgan_lib/metrics/memorisation.py",
                           "overgan_lib/data"),
    "jelassi_2d": ("overgan_lib/related/pacgan.py", "overgan_lib/related/jelassi.py",
                   "overgan_lib/related/grafting.py",
                   "overgan_lib/optim.py"),
    "jelassi_mnist": ("overgan_lib/related/digits.py", "overgan_lib/related/jelassi.py",
                      *_TRAINING),
    "train": _TRAINING,
    # Benches measure the speed of this code (on the machine their record names).
    "bench_nnd": ("overgan_lib/metrics/nnd", "overgan_lib/bench/nnd.py",
                  "overgan_lib/bench/timing.py"),
    "bench_heatmap": ("overgan_lib/related/mixture.py", "overgan_lib/related/dynamics.py",
                      "overgan_lib/related/experiments.py", "overgan_lib/bench/heatmap.py"),
    "bench_theory": (*_THEORY, "overgan_lib/bench/theory.py", "overgan_lib/bench/timing.py",
                     "overgan_lib/bench/load.py", "overgan_lib/threads.py"),
    # The training benches (engine vs reference, a CPU sweep, graphed runs together on a GPU)
    # all live in bench/training.py.
    **{f"bench_{name}": (*_TRAINING, "overgan_lib/bench/training.py",
                         "overgan_lib/bench/timing.py", "overgan_lib/bench/load.py",
                         "overgan_lib/threads.py") for name in ("train", "sweep", "gpu_sweep")},
    # FID on a device vs the CPU (and overgan's tensor path vs pytorch-fid's files).
    "bench_fid": ("overgan_lib/metrics/fid.py", "overgan_lib/metrics/inception.py",
                  "overgan_lib/metrics/reference.py", "overgan_lib/data",
                  "overgan_lib/images.py", "overgan_lib/bench/fid.py",
                  "overgan_lib/bench/timing.py"),
    # A sweep's summary record also stores the data's FID floor at its N (metrics.floors).
    **{f"sweep_{name}": (*_TRAINING, "overgan_lib/metrics/floors.py") for name in (
        "mnist_mlp", "cifar10_dcgan", "cifar10_resnet", "celeba_dcgan", "celeba_resnet",
        "cifar10_resnet_d", "cifar10_resnet_g")},
    # A comparison of a stored result with its recomputation (``overgan reproduce``): what it
    # compared is named in its config; the status page shows it only while that record stands.
    "reproduce": ("overgan_lib/reproduce.py",),
}


# Code only a CUDA device runs (the graphed engine captures one iteration as a CUDA graph; the
# CPU path never constructs it): a change there cannot change a result computed on the CPU.
GPU_ONLY: tuple[str, ...] = ("overgan_lib/train/graphed.py",)


def depends_for(experiment: str, device: str) -> tuple[str, ...]:
    """:data:`DEPENDS` of ``experiment`` as a git pathspec for a record computed on ``device``
    (its provenance's ``device``, e.g. ``cpu:…`` or ``cuda:…``): GPU-only code is excluded
    for a result computed anywhere but on a CUDA device."""
    paths = DEPENDS.get(experiment, ("overgan_lib",))
    if str(device).startswith("cuda"):
        return paths
    return (*paths, *(f":(exclude){p}" for p in GPU_ONLY
                      if any(p == d or p.startswith(d.rstrip("/") + "/") for d in paths)))


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


def device_text(device: str) -> str:
    """A record's ``device`` as shown to readers: records made before commit 966b0c1 name only
    the architecture (``cpu:x86_64 x1 threads``; :func:`overgan_lib.store.cpu_model` came
    later), and that is said rather than left for the reader to notice."""
    unnamed = device.startswith("cpu:") and "(" not in device
    return f"{device} (CPU model not recorded)" if unnamed else device


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


def provenance_note(*records: Record) -> str:
    """A collapsed MyST admonition with the provenance of ``records`` (display it with
    ``IPython.display.Markdown``): its title says whether every result comes from a clean
    tree and whether the code it depends on changed since. A record passed twice (a run two
    sweeps share) is counted once."""
    records = tuple({(r.experiment, r.path): r for r in records}.values())
    st = [provenance_status(r) for r in records]

    def names(pick) -> str:
        return ", ".join(dict.fromkeys(s["experiment"] for s in st if pick(s)))

    dirty, changed = names(lambda s: s["clean"] is False), names(lambda s: s["changed"])
    unknown = names(lambda s: s["clean"] is None or s["changed"] is None)
    retrained = names(lambda s: s["retrained"])
    other_data = _other_data(records)
    verdict = ["computed now" if any(not s["reused"] for s in st) else "stored results"]
    verdict.append(f"from a dirty tree: {dirty}" if dirty else "clean tree")
    verdict.append(f"code changed since: {changed}" if changed else
                   "code unchanged since computed")
    if retrained:
        verdict.append(f"scored generators retrained since (rerun this chapter with "
                       f"rerun=True): {retrained}")
    if unknown:
        verdict.append(f"not checkable outside git: {unknown}")
    if other_data:
        verdict.append(f"computed from another copy of the data than this machine reads: "
                       f"{other_data}")
    rows = ["| result | runs | profile | seeds | git | tree | depends on | changed since | device "
            "| wall | created |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    word = {True: "yes", False: "no", None: "unknown"}
    groups: dict[tuple, list] = {}
    for s, r in zip(st, records, strict=True):  # one row per experiment, commit and state
        p = r.provenance
        key = (s["experiment"], p["profile"], s["sha"], s["clean"], s["changed"], p["device"])
        groups.setdefault(key, []).append((s, p))
    for (exp, prof, sha, clean, chg, dev), members in groups.items():
        tree = {True: "clean", False: "**dirty**", None: "unknown"}[clean]
        seeds = ", ".join(str(x) for x in sorted({p["seed"] for _, p in members}))
        created = sorted(p["created_utc"] for _, p in members)
        when = created[0] if len(created) == 1 else f"{created[0]} to {created[-1]}"
        wall = sum(p["wall_time_s"] for _, p in members)
        rows.append(
            f"| {exp} | {len(members)} | {prof} | {seeds} | `{sha[:8]}` | {tree} | "
            f"{', '.join(f'`{x}`' for x in members[0][0]['paths'])} | {word[chg]} | {dev} | "
            f"{wall:.0f} s | {when} |")
    kind = "warning" if dirty or changed or unknown or retrained or other_data else "note"
    body = "\n".join(rows)
    return (f"```{{admonition}} Provenance: {'; '.join(verdict)}\n:class: dropdown {kind}\n\n"
            f"{body}\n\n'Changed since' compares the result's commit with the book's "
            "(`git diff <sha> HEAD -- <paths>`), not counting edits to Python docstrings and "
            "comments; a dirty tree means uncommitted edits existed when the result was "
            "computed.\n```")


def _other_data(records: tuple[Record, ...]) -> str:
    """``experiment (dataset)`` for each record whose provenance names another copy of a
    dataset its config reads (``dataset`` or ``datasets``) than this machine would read
    (:mod:`overgan_lib.dataset_sources`: offline copies and torchvision's are different data)."""
    from .dataset_sources import dataset_sources, differing

    current: dict[str, str] | None = None
    found: dict[str, None] = {}
    for r in records:
        cfg = r.config if isinstance(r.config, dict) else {}
        wanted = cfg.get("datasets") or ([cfg["dataset"]] if "dataset" in cfg else [])
        recorded = r.provenance.get("datasets")
        if not (wanted and recorded):
            continue
        current = dataset_sources() if current is None else current
        for name in differing(recorded, [str(n) for n in wanted], current):
            found[f"{r.experiment} ({name})"] = None
    return ", ".join(found)


def show_provenance(*records: Record) -> None:
    """Display :func:`provenance_note` as Markdown (the chapters' first output)."""
    from IPython.display import Markdown, display

    display(Markdown(provenance_note(*records)))
