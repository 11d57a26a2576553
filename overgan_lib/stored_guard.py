"""A chapter's one-line stop before it computes, at `gpu` and `paper`, records that this
machine should not compute (:func:`require_stored`).

At those profiles a chapter's records are meant to come from a GPU; a missing one, or
``rerun=True``, would otherwise start hours of work on the CPU without a word. Chapter 5
(:func:`overgan_lib.metrics.floor_readings.require_data_metrics`) and chapter 10
(:func:`overgan_lib.sweep.generalization_chapter.require_stored`) stop through it.
"""

from __future__ import annotations

from collections.abc import Sequence

from .errors import OneLineError
from .profiles import check_profile

GPU_PROFILES = ("gpu", "paper")  # profiles whose records need a GPU


def require_stored(chapter: str, profile: str, todo: Sequence[str], why: str,
                   rerun: bool = False) -> None:
    """Stop with one line at `gpu` and `paper` where ``chapter`` would compute the records
    named in ``todo`` (``rerun``: recompute them), saying ``why`` that must not happen here;
    return below `gpu` (the records there are this machine's work) or when ``todo`` is
    empty. The line reads "<chapter> at profile <p>: <what>, <why>"."""
    if check_profile(profile) not in GPU_PROFILES or not todo:
        return
    names = ", ".join(todo)
    n = f"{len(todo)} record{'s' if len(todo) != 1 else ''}"
    them = "them" if len(todo) != 1 else "it"
    what = (f"rerun=True would recompute its {n} ({names}) here" if rerun else
            f"{n} not stored ({names}); this chapter would compute {them} here")
    raise OneLineError(f"{chapter} at profile {profile}: {what}, {why}")
