"""Can a stored result be trusted? Its commit, its tree, and whether the code it depends on
changed since (the chapters' provenance boxes).

- :mod:`.depends`: the source paths each stored experiment's numbers depend on (:data:`DEPENDS`)
  and the code only a CUDA device runs (:data:`GPU_ONLY`);
- :mod:`.changes`: whether those paths changed in what they compute since a record's commit
  (docstring- and comment-only edits do not count), and whether the generators a score read
  were retrained since;
- :mod:`.note`: the provenance box the chapters show.
"""

from .changes import (
    code_changed_since,
    provenance_status,
    retrained_since,
    same_code,
    scored_runs,
)
from .depends import DEPENDS, GPU_ONLY, depends_for
from .note import device_text, provenance_note, show_provenance

__all__ = [
    "DEPENDS", "GPU_ONLY", "code_changed_since", "depends_for", "device_text", "provenance_note",
    "provenance_status", "retrained_since", "same_code", "scored_runs", "show_provenance",
]
