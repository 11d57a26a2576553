"""How firm chapter 12's verdicts are: with the stored probes added to the sweep
(:func:`verdicts_with_probes`), across widths (:func:`across_widths`), and which passes of a bar
rest on a collapsed generator (:func:`collapsed_passes`). All read stored records only."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import ParameterError
from .claims import COLLAPSED_MODES, MIN_HQ, READINGS, best_spec, claim_verdicts, short
from .records import reading_arrays

#: The probe arrays (modes, quality) of a stored record per reading of :data:`READINGS`.
PROBE_KEYS = {"precise": ("probe_modes", "probe_hq"),
              "recovers": ("probe_near_modes", "probe_near")}


def with_probes(data: dict[str, Any], cfg: dict[str, Any], reading: str = "precise"
                ) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    """(modes, quality, names, labels) at ``k_show``: the sweep's settings followed by the
    stored probes (trained at ``k_show`` only), arrays (benchmark, spec, seed); a one-line
    error for a record without probes of this reading."""
    mk, qk = PROBE_KEYS[reading] if reading in PROBE_KEYS else (None, None)
    if mk is None:
        raise ParameterError(f"reading={reading!r} is not valid; use one of {tuple(PROBE_KEYS)}")
    if mk not in data or qk not in data:
        raise ParameterError(f"this record has no {mk!r}: it stores no probes for the "
                             f"{reading!r} reading; use a profile with probes")
    w0 = [int(k) for k in data["widths"]].index(cfg["k_show"])
    M, Q = reading_arrays(data, reading)
    modes_ = np.concatenate([M[:, w0], np.asarray(data[mk])], 1)
    quality = np.concatenate([Q[:, w0], np.asarray(data[qk])], 1)
    return (modes_, quality, list(data["names"]) + list(data["probe_names"]),
            list(data["labels"]) + [f"probe {lab}" for lab in data["probe_labels"]])


def verdicts_with_probes(data: dict[str, Any], cfg: dict[str, Any], reading: str = "precise",
                         min_hq: float = MIN_HQ) -> dict[str, dict[str, str]]:
    """Per benchmark, :func:`claim_verdicts` at ``k_show`` with the same rules over the sweep's
    settings *and* the stored probes (:func:`with_probes`): each optimiser represented by its
    best setting among both."""
    M, Q, names, _ = with_probes(data, cfg, reading)
    measure, bar = READINGS[reading][2:]
    if reading == "recovers":
        measure = f"within {float(data['near_sigmas']):g}σ"
    out = {}
    for i, ds in enumerate(data["benchmarks"]):
        n = int(data["n_modes"][i])
        out[ds] = claim_verdicts(M[i], Q[i], names, n, cfg["tol_frac"] * n, min_hq, measure, bar)
    return out


def representatives(modes_: np.ndarray, quality: np.ndarray, names: list[str],
                    labels: list[str], min_hq: float = MIN_HQ,
                    max_modes: int | None = COLLAPSED_MODES) -> dict[str, str | None]:
    """Per optimiser, the label of its :func:`best_spec` (None: below the bar), by the rule
    the 2D verdicts use (collapsed seeds do not clear the bar)."""
    out: dict[str, str | None] = {}
    for n in dict.fromkeys(names):
        j = best_spec(modes_, quality, names, n, min_hq, max_modes)
        out[n] = None if j is None else labels[j]
    return out


def collapsed_passes(modes_: np.ndarray, quality: np.ndarray, labels: list[str],
                     min_hq: float = MIN_HQ, max_modes: int = 1) -> list[str]:
    """Labels of the settings (arrays spec x seed) with a seed that reaches ``min_hq`` while
    holding at most ``max_modes`` modes: a generator collapsed onto one mode puts all its
    samples near it, clears the bar, and is then judged by its mode count alone."""
    q, m = np.asarray(quality, dtype=float), np.asarray(modes_)
    return [lab for lab, qs, ms in zip(labels, q, m, strict=True)
            if ((qs >= min_hq) & (ms <= max_modes)).any()]


def across_widths(by_width: dict[int, str]) -> str:
    """One line for a claim's verdicts at several widths (``{k: verdict}``): "X at every
    width", or each short verdict (:func:`short`) with the widths where it holds, e.g.
    "reproduced at k=32 only; not reproduced at k=128; inconclusive at k=8"."""
    if not by_width:
        raise ParameterError("by_width is empty; give at least one width's verdict")
    groups: dict[str, list[int]] = {}
    for k, v in sorted(by_width.items()):
        groups.setdefault(short(v), []).append(k)
    if len(groups) == 1:
        return f"{next(iter(groups))} at every width" if len(by_width) > 1 else \
            f"{next(iter(groups))} at k={next(iter(by_width))}"
    return "; ".join(f"{v} at k={', '.join(map(str, ks))}" + (" only" if len(ks) == 1 else "")
                     for v, ks in groups.items())
