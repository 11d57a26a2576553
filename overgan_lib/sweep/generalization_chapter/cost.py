"""Chapter "Generalization"'s cost section: the baselines' seconds per critic step and the
``overgan bench nnd`` record's estimate of the reference's run, in words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np


def seconds_per_step(baselines: Mapping[str, Any], cfg: Mapping[str, Any]) -> float:
    """Mean wall time per critic step over the baselines (``baselines``:
    ``generalization_baselines`` record; ``cfg``: its settings), each checkpoint's scoring
    batches (2 x ``eval_batches`` per checkpoint of ``curve_at``) counted like steps."""
    steps = cfg["steps"] + 2 * len(cfg["curve_at"]) * cfg["eval_batches"]
    return float(np.mean([baselines[n]["seconds"] / steps for n in baselines["baselines"]]))


def bench_text(bench: Mapping[str, Any] | None) -> str:
    """What an ``overgan bench nnd`` record (``bench``; None where none is stored) at the
    reference's batch (:data:`...metrics.nnd.BATCH`) says of the critic's speed on this CPU
    and of the reference's run (:data:`...metrics.nnd.REFERENCE_STEPS` steps) here, in
    Markdown."""
    from ...metrics import nnd as N

    if bench is None:
        return (f"No `overgan bench nnd` record at batch {N.BATCH} on the CPU yet: "
                f"`overgan bench nnd --batch-size {N.BATCH}` stores one.")
    threads = bench["threads"]
    return (f"`overgan bench nnd` at the reference's batch {N.BATCH} on this CPU "
            f"({threads} thread{'s' if threads != 1 else ''}, load average "
            f"{bench['load_average_1min']:.1f} while it ran): {bench['s_per_step']:.2f} s per "
            f"training step and {1 / bench['eval_batches_per_s']:.2f} s per scoring batch, so "
            f"the reference's {N.REFERENCE_STEPS:,} steps and {N.REFERENCE_EVAL_BATCHES:,} "
            f"scoring batches would take about {bench['reference_hours']:.0f} hours per "
            f"generator here.")
