"""The chapters' provenance box: one collapsed admonition per chapter with the commit, tree,
profile, seeds, device and wall time of every result it shows, and whether the code those
results depend on changed since (:mod:`.changes`)."""

from __future__ import annotations

from ..store import Record
from .changes import provenance_status


def device_text(device: str) -> str:
    """A record's ``device`` as shown to readers: records made before commit 966b0c1 name only
    the architecture (``cpu:x86_64 x1 threads``; :func:`overgan_lib.store.cpu_model` came
    later), and that is said rather than left for the reader to notice."""
    unnamed = device.startswith("cpu:") and "(" not in device
    return f"{device} (CPU model not recorded)" if unnamed else device


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
    from ..dataset_sources import dataset_sources, differing

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
