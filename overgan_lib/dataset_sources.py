"""Which copy of each dataset a process reads, for every result's provenance.

The offline copies (``../shared/data`` or ``$OVERGAN_DATA``: MNIST's IDX files, the JPEG
re-encodings of CIFAR-10 and CelebA) and torchvision's downloads are different data (README,
"Data"), so a result records which one its process would read, and a chapter can say when the
machine reading it has the other. The order is :func:`overgan_lib.data.load_uint8`'s: the first
candidate root holding the offline archives or torchvision's files wins. Nothing is hashed here
(``load_uint8`` verifies the archives before any use); an offline copy is named by its pinned
hashes, as the decoded-image cache is.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

OFFLINE, TORCHVISION, ABSENT = "offline", "torchvision", "absent"


def dataset_source(name: str, root: str | Path | None = None) -> str:
    """``offline:<16 hex>`` (the archives' pinned hashes combined, as ``load_uint8`` keys its
    cache), ``torchvision`` or ``absent``: what ``load_uint8(name, …, root)`` would read."""
    from . import data

    card = data.CARDS[name]
    for r in data.candidate_roots(root):
        if data._offline_files(card, r) is not None:
            combined = hashlib.sha256()
            for expected in card.archives.values():
                combined.update(expected.encode())
            return f"{OFFLINE}:{combined.hexdigest()[:16]}"
        if data._torchvision_present(name, r):
            return TORCHVISION
    return ABSENT


def dataset_sources(root: str | Path | None = None) -> dict[str, str]:
    """:func:`dataset_source` of every dataset (a result's provenance ``datasets``)."""
    from . import data

    return {name: dataset_source(name, root) for name in data.CARDS}


def differing(recorded: dict[str, str] | None, names: list[str],
              current: dict[str, str]) -> list[str]:
    """The datasets among ``names`` a result read from another copy than ``current`` reads
    (both known and present); a result from before sources were recorded differs in none."""
    if not recorded:
        return []
    return [n for n in names if recorded.get(n, ABSENT) != ABSENT
            and current.get(n, ABSENT) != ABSENT and recorded[n] != current[n]]
