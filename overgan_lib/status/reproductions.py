"""The status page's table of stored results recomputed by ``overgan reproduce``.

Each ``reproduce`` record (:mod:`overgan_lib.reproduce`) compares one stored result with its
recomputation on some machine. The table says where each side was computed and what the
comparison found, and whether the record it compared is still the one stored (a rerun that
replaced it leaves the comparison about an older record).
"""

from __future__ import annotations

from ..profiles import PROFILES
from ..provenance import device_text
from ..reproduce import EXPERIMENT, file_digest
from ..store import Record, records, results_root


def comparisons() -> list[Record]:
    """Every stored ``reproduce`` record, smoke excluded, in profile then file order."""
    return [r for p in PROFILES if p != "smoke" for r in records(EXPERIMENT, p)]


def compared_state(record: Record) -> str:
    """Whether the record a comparison read is still the one stored at its path (the same
    file content): "stored", "replaced since" (a rerun wrote another) or "no longer stored"."""
    path = results_root() / str(record.config["result"])
    if not path.exists():
        return "no longer stored"
    return "stored" if file_digest(path) == record.config.get("stored_file") else "replaced since"


def _where(prov: dict) -> str:
    """``device, commit 1234567`` (and "dirty tree" where it was)."""
    dirty = ", dirty tree" if prov.get("git_dirty") else ""
    device = device_text(str(prov.get("device", "?")))
    return f"{device}, commit `{str(prov.get('git_sha'))[:7]}`{dirty}"


def table(recs: list[Record] | None = None) -> str:
    """Markdown: one row per comparison (result, where it was computed, where it was
    recomputed, what the comparison found, whether the compared record still stands); a
    sentence when none is stored."""
    recs = comparisons() if recs is None else recs
    if not recs:
        return ("*No comparison is stored yet* (`overgan reproduce RESULT` stores one).")
    rows = ["| result | computed on | recomputed on | comparison (timings apart) | "
            "compared record |", "| --- | --- | --- | --- | --- |"]
    for r in recs:
        d = r.data
        stale = ("; its code changed since, so the two differ by code as well as machine"
                 if d.get("stored_changed") else "")
        rows.append(f"| `{r.config['result']}` | {_where(d['stored'])} | "
                    f"{_where(d['recomputed'])} | {d['verdict']} | {compared_state(r)}{stale} |")
    return "\n".join(rows)
