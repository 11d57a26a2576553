"""The results store's inventory (``overgan results``): every stored result, whether it is
still current, and what recomputing the stale ones costs and takes.

A result is *stale* when the code it depends on changed in what it computes since the commit
that made it (:func:`.provenance.code_changed_since` over :data:`.provenance.DEPENDS`); it is
*dirty* when that commit's tree had uncommitted edits. Both are what a chapter's provenance
box says of the results it shows; this module says it of the whole store at once, so a
change can be judged by what it would cost to recompute before it is made.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from . import store
from .errors import ParameterError
from .profiles import check_profile
from .provenance import provenance_status

# How each kind of result is stored, so how it is recomputed: chapters call ``ob.run(name,
# ...)`` with a ``rerun`` parameter; a sweep stores one "train" record per run and a
# "sweep_<name>" summary; benches store "bench_<target>".
_CHAPTER_RUN = re.compile(r"""\bob\.run\(\s*["'](\w+)["']""")
# A bench record's config fields that are ``overgan bench`` options (the rest it measures or
# derives); benches not listed are recomputed with their defaults at the record's profile.
_BENCH_OPTIONS: dict[str, dict[str, str]] = {
    "nnd": {"batch_size": "--batch-size", "steps": "--iters", "device": "--device"},
    "train": {"arch": "--arch", "k": "--k", "dataset": "--dataset", "iters": "--iters",
              "rounds": "--rounds", "device": "--device", "load": "--load"},
    "heatmap": {"grid": "--grid", "inits": "--inits", "T": "--T", "seed": "--seed"},
    "theory": {"seed": "--seed", "load": "--load"},
}


@dataclass(frozen=True)
class StoredResult:
    """One stored result: where it is and what its provenance says of it."""

    path: str  # relative to the results root
    experiment: str
    profile: str
    seed: int
    config: dict
    sha: str
    clean: bool | None  # None: not made in a git checkout
    changed: bool | None  # code changed since (None: cannot be told)
    device: str
    wall_s: float
    retrained: bool = False  # generators it scored were retrained since

    @property
    def state(self) -> str:
        """``current``, ``stale`` (code changed since, or the generators it scored were
        retrained since: :func:`.provenance.retrained_since`) or ``unknown``."""
        if self.retrained:
            return "stale"
        return {False: "current", True: "stale", None: "unknown"}[self.changed]


def stored_results(experiments: Iterable[str] = (), profile: str | None = None,
                   root: Path | None = None) -> list[StoredResult]:
    """Every stored result under ``root`` (default: the store's root), optionally only of
    ``experiments`` and ``profile``; a one-line error names an experiment with no results.
    Without ``profile``, smoke results are left out: they are scratch (git-ignored, rewritten by
    every ``make test``), and their numbers mean nothing."""
    root = store.results_root() if root is None else Path(root)
    if profile is not None:
        check_profile(profile)
    wanted = list(experiments)
    # Folders of records only (results/weights holds kept generators, not records).
    present = sorted({p.parent.parent.name for p in root.glob("*/*/*.json")})
    if missing := [e for e in wanted if e not in present]:
        raise ParameterError(f"no stored results of {', '.join(map(repr, missing))} under "
                             f"{root}; experiments with results: {', '.join(present) or 'none'}")
    out = []
    for exp in wanted or present:
        for path in sorted((root / exp).glob(f"{profile or '*'}/*.json")):
            if profile is None and path.parent.name == "smoke":
                continue
            rec = store._read(path)
            st, p = provenance_status(rec), rec.provenance
            out.append(StoredResult(
                str(path.relative_to(root)), rec.experiment, p["profile"], int(p["seed"]),
                rec.config, st["sha"], st["clean"], st["changed"],
                str(p.get("device", "unknown")), float(p.get("wall_time_s", 0.0)),
                st["retrained"]))
    return out


def chapter_of(experiment: str, book: Path | None = None) -> str | None:
    """The chapter (file stem under ``book/``) whose ``ob.run`` stores ``experiment``, or
    None (read from the chapters' sources, so it cannot drift from them)."""
    return _chapter_runs(store.REPO_ROOT / "book" if book is None else Path(book)).get(experiment)


@functools.lru_cache(maxsize=4)
def _chapter_runs(book: Path) -> dict[str, str]:
    """Experiment -> the first chapter (in file order) whose ``ob.run`` stores it; read once
    per folder, not once per stale result."""
    out: dict[str, str] = {}
    for md in sorted(book.glob("*.md")):
        for experiment in _CHAPTER_RUN.findall(md.read_text()):
            out.setdefault(experiment, md.stem)
    return out


@functools.lru_cache(maxsize=8)
def _sweep_of_run(profile: str) -> dict[str, str]:
    """Run key -> the named sweep whose grid at ``profile`` (first seed 0) holds it."""
    from .profiles import settings
    from .sweep import sweeps
    from .sweep.grid import experiment_configs

    # A run two grids share (a fixed-width sweep's k = fixed) is named by the first one.
    return {c.key: name for name in reversed(sweeps())
            for c in experiment_configs(name, settings(name, profile))}


def recompute_command(result: StoredResult) -> str:
    """The command that recomputes ``result`` (and everything stored beside it)."""
    exp, prof = result.experiment, result.profile
    if exp.startswith("sweep_") or exp == "train":
        name = (exp.removeprefix("sweep_") if exp != "train"
                else _sweep_of_run(prof).get(Path(result.path).stem))
        return (f"overgan sweep {name} --profile {prof} --rerun" if name else
                "the `overgan sweep` that trained it, with --rerun")
    if exp == "reproduce":
        return f"overgan reproduce {result.config.get('result')}"
    if exp == "sampling_mode":
        return (f"overgan sampling-mode {result.config.get('sweep')} --profile {prof} "
                f"--seed {result.seed} --rerun")
    if exp.startswith("bench_"):
        return _bench_command(exp.removeprefix("bench_").replace("_", "-"), result.config, prof)
    chapter = chapter_of(exp)
    return (f'make chapter CH={chapter} PROFILE={prof} PARAMS="-p rerun True"' if chapter
            else f"the code that stored {exp!r} (no chapter stores it)")


def _bench_command(target: str, config: dict, profile: str) -> str:
    """``overgan bench target`` with the options that stored ``config``."""
    words = ["overgan", "bench", target]
    for key, flag in _BENCH_OPTIONS.get(target, {}).items():
        value = config.get(key)
        if value is True:
            words.append(flag)
        elif value is not None and value is not False:
            words += [flag, str(value)]
    # A device bench files its record under the device's profile, not --profile.
    if target in ("heatmap", "theory"):
        words += ["--profile", profile]
    return " ".join(words)


def _duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes == 0:
        return "under 1 min"
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def summary(results: list[StoredResult]) -> str:
    """Counts by state, and for the stale results the stored wall time a recompute repeats
    (at the device each was made on) and the command for each group of them."""
    n = {s: sum(r.state == s for r in results) for s in ("current", "stale", "unknown")}
    dirty = sum(r.clean is False for r in results)
    lines = [f"{len(results)} results: {n['current']} current, {n['stale']} stale (code "
             f"changed since, or scored generators retrained), {n['unknown']} unknown (no git "
             f"or commit)"
             + (f"; {dirty} from a dirty tree" if dirty else "")]
    stale = [r for r in results if r.state == "stale"]
    if stale:
        lines.append(f"Recomputing the stale ones repeats {_duration(sum(r.wall_s for r in stale))}"
                     " of stored wall time:")
        groups: dict[tuple[str, str, str], list[StoredResult]] = {}
        for r in stale:
            groups.setdefault((r.experiment, r.profile, recompute_command(r)), []).append(r)
        for (exp, prof, command), rs in groups.items():
            lines.append(f"  {exp} ({prof}, {len(rs)}, {_duration(sum(r.wall_s for r in rs))}"
                         f"): {command}")
    return "\n".join(lines)


def as_dicts(results: list[StoredResult]) -> list[dict]:
    """JSON-able rows (``overgan results --json``)."""
    return [{**asdict(r), "state": r.state} for r in results]
