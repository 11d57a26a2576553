"""One-off migration (issue 8, item 4): stored training results re-keyed by what a run computes.

Until then a run's key hashed ``log_every`` and ``ckpt_every`` too. They moved to
``RunOptions`` (not hashed); this script renames each stored ``train`` record (and its
sample grid) to the new key, moves the two cadences into ``data["options"]``, records the
old key in ``provenance["rekeyed_from"]``, and re-keys the sweep summaries that list run
keys. Numbers and the rest of the provenance are untouched. Idempotent.

    python tools/rekey_train_results.py [results-root]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from overgan_lib.store import atomic_write_text, config_key, results_root

MOVED = ("log_every", "ckpt_every")


def rekey_runs(root: Path) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for path in sorted(root.glob("train/*/*.json")):
        doc = json.loads(path.read_text())
        moved = {k: doc["config"].pop(k) for k in MOVED if k in doc["config"]}
        new = config_key(doc["config"])
        mapping[path.stem] = new
        if not moved:
            continue
        doc["data"]["options"] = {"device": None, "graphs": None, **moved,
                                  "keep_weights": False}
        doc["provenance"]["rekeyed_from"] = path.stem
        target = path.with_name(f"{new}.json")
        atomic_write_text(target, json.dumps(doc, indent=1, allow_nan=True))
        if path.with_suffix(".png").exists():
            path.with_suffix(".png").rename(target.with_suffix(".png"))
        path.unlink()
        print(f"{path.relative_to(root)} -> {target.name}")
    return mapping


def rekey_summaries(root: Path, mapping: dict[str, str]) -> None:
    for path in sorted(root.glob("sweep_*/*/*.json")):
        doc = json.loads(path.read_text())
        runs = doc["config"]["runs"]
        if all(mapping.get(k, k) == k for k in runs):
            continue
        doc["config"]["runs"] = sorted(mapping.get(k, k) for k in runs)
        for row in doc["data"]["rows"]:
            row["key"] = mapping.get(row["key"], row["key"])
        doc["provenance"]["rekeyed_from"] = path.stem
        target = path.with_name(f"{config_key(doc['config'])}.json")
        atomic_write_text(target, json.dumps(doc, indent=1, allow_nan=True))
        path.unlink()
        print(f"{path.relative_to(root)} -> {target.name}")


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else results_root()
    rekey_summaries(root, rekey_runs(root))
