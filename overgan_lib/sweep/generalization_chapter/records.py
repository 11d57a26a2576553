"""Chapter "Generalization"'s stored records assembled for its readings: the notes on what
is pending, the crossed critics paired with their first critics, and each sweep's final NND
per run."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ...errors import ParameterError
from ..crossover import CrossedPair, pairs


def pending_sweep(name: str, profile: str, reason: object) -> str:
    """The note for a sweep whose generators are not scored at ``profile`` (``reason``: why,
    the error that loading them raised), with the command that trains them."""
    return (f"**Pending at profile `{profile}`:** {reason}. Run "
            f"`overgan sweep {name} --profile {profile}`, then this chapter.")


def pending_crossed(source: str, profile: str) -> str:
    """The note for a source of critics whose crossed twins are not stored at ``profile``."""
    return (f"**Pending at profile `{profile}`:** the crossed critics of `{source}` "
            "(their sweep's generators are not scored yet).")


def crossed_pairs(baselines: Mapping[str, Any], scored: Mapping[str, Mapping[str, Any]],
                  crossed: Mapping[str, Mapping[str, Any]], profile: str
                  ) -> tuple[dict[str, list[CrossedPair]], list[str]]:
    """Every ``nnd_crossover`` record (``crossed``: source -> its data) paired with the first
    critics of the same samplers (:func:`..crossover.pairs`): the baselines' NND results
    (``baselines``: ``generalization_baselines`` record) for source "baselines", else the
    sweep's scores (``scored``: sweep -> ``generalization`` record data). Returns (source ->
    pairs, a note per record that cannot be paired with its first critics)."""
    firsts = {"baselines": baselines, **{name: d["nnd"] for name, d in scored.items()}}
    out: dict[str, list[CrossedPair]] = {}
    notes = []
    for src, data in crossed.items():
        try:
            out[src] = pairs(firsts[src], data)
        except ParameterError as exc:  # made from other samplers or settings than the NND
            notes.append(f"**Not paired at profile `{profile}`, `{src}`:** {exc}.")
    return out, notes


def sweep_scores(scored: Mapping[str, Mapping[str, Any]]
                 ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Sweep -> (width k per run, final NND per run), from each sweep's ``generalization``
    record data (``scored``), runs in the record's order."""
    return {name: (np.asarray(d["k"]), np.asarray([d["nnd"][n]["nnd"] for n in d["names"]]))
            for name, d in scored.items()}
