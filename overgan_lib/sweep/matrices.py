"""From a sweep's records to width x seed matrices: final metrics, evaluation curves and
diverged runs, with the varied side (k_g or k_d) as the width axis."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..errors import ParameterError
from ..store import Record
from ..train import TrainConfig


def varied_side(configs: list[TrainConfig]) -> str:
    """``"k_g"`` unless only the critic's width varies (Fig. 7's D-only sweep)."""
    if len({c.k_g for c in configs}) == 1 and len({c.k_d for c in configs}) > 1:
        return "k_d"
    return "k_g"


def width_name(configs: list[TrainConfig]) -> str:
    """How the width is named in labels and verdicts: ``k`` when k_g = k_d in every run,
    else the varied side (``k_d`` or ``k_g``)."""
    return "k" if all(c.k_g == c.k_d for c in configs) else varied_side(configs)


def fixed_side(configs: list[TrainConfig]) -> tuple[str, int] | None:
    """(name, width) of the side held fixed while the other varies (Fig. 7); None when both
    sides grow together or the other side is not a single width."""
    if width_name(configs) == "k":
        return None
    other = "k_d" if varied_side(configs) == "k_g" else "k_g"
    widths = {getattr(c, other) for c in configs}
    return (other, widths.pop()) if len(widths) == 1 else None


def runs_by_width(k: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(widths, widths x runs matrix) from one value per run and its width ``k``; rows with
    fewer runs are padded with NaN (the layout of :func:`width_matrix`)."""
    k, values = np.asarray(k), np.asarray(values, float)
    widths = np.unique(k)
    out = np.full((len(widths), max(int(np.sum(k == w)) for w in widths)), np.nan)
    for i, w in enumerate(widths):
        row = values[k == w]
        out[i, :len(row)] = row
    return widths, out


def check_per_run(k: np.ndarray, per_run: list) -> None:
    """One-line error unless ``per_run`` holds one entry (an array of samples' or scores'
    values) per run and ``k`` one width per run, at least one run."""
    if len(k) == 0 or len(k) != len(per_run):
        raise ParameterError(f"need one width per run and one array per run; got {len(k)} "
                             f"widths and {len(per_run)} arrays")


def final_value(rec: Record, metric: str) -> float:
    """A run's final metric (``fid_train``, ...) or run statistic (``iters_per_s``); NaN
    when the run has none (diverged, or the split was not scored)."""
    if metric in rec.data:
        return rec[metric]
    return (rec["final"] or {}).get(metric, np.nan)


def run_matrix(configs: list[TrainConfig], recs: list[Record | None],
               value: Callable[[Record], float]) -> tuple[np.ndarray, np.ndarray]:
    """(widths, widths x seeds matrix) of ``value(record)`` per stored run; missing runs are
    NaN. The width axis is the side that varies (:func:`varied_side`), so sweeps with
    k_g != k_d keep one cell per run."""
    side = varied_side(configs)
    widths = sorted({getattr(c, side) for c in configs})
    seeds = sorted({c.seed for c in configs})
    out = np.full((len(widths), len(seeds)), np.nan)
    seen: set[tuple[int, int]] = set()
    for c, r in zip(configs, recs, strict=True):
        if r is None:
            continue
        i, j = widths.index(getattr(c, side)), seeds.index(c.seed)
        if (i, j) in seen:
            raise ParameterError(f"two runs share width {side}={getattr(c, side)} and seed "
                                 f"{c.seed} (k_g={c.k_g}, k_d={c.k_d}); a width matrix needs "
                                 f"one varied width per sweep, e.g. grid(..., pairs=[...])")
        seen.add((i, j))
        out[i, j] = value(r)
    return np.asarray(widths), out


def width_matrix(configs: list[TrainConfig], recs: list[Record | None],
                 metric: str) -> tuple[np.ndarray, np.ndarray]:
    """(widths, widths x seeds matrix) of a final metric (``fid_train``, ``kid_test``, ...)
    or a run statistic (``iters_per_s``); diverged or missing runs are NaN
    (:func:`run_matrix`)."""
    return run_matrix(configs, recs, lambda r: final_value(r, metric))


def diverged(configs: list[TrainConfig], recs: list[Record | None]) -> list[tuple[int, int, str]]:
    """(k, seed, message) of every diverged run (k: the varied width)."""
    side = varied_side(configs)
    return [(getattr(c, side), c.seed, r["message"]) for c, r in zip(configs, recs, strict=True)
            if r is not None and r["status"] == "diverged"]


def diverged_matrix(configs: list[TrainConfig], recs: list[Record | None]
                    ) -> tuple[np.ndarray, np.ndarray]:
    """(widths, widths x seeds boolean matrix): True where a run diverged, in the layout of
    :func:`width_matrix`."""
    widths, out = run_matrix(configs, recs, lambda r: float(r["status"] == "diverged"))
    return widths, out == 1.0


def eval_curves(configs: list[TrainConfig], recs: list[Record | None], metric: str = "fid_train"
                ) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Per width: (steps, seeds x steps) of a metric over training (periodic evaluations)."""
    side = varied_side(configs)
    out: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for k in sorted({getattr(c, side) for c in configs}):
        runs = [r for c, r in zip(configs, recs, strict=True)
                if r is not None and getattr(c, side) == k and r["status"] == "completed"
                and len(r["evals"]) > 1]
        if runs:
            n = min(len(r["evals"]) for r in runs)
            steps = np.asarray([e["step"] for e in runs[0]["evals"][:n]])
            out[int(k)] = (steps, np.asarray([[e[metric] for e in r["evals"][:n]] for r in runs]))
    return out
