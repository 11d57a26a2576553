"""The chapter's and the status page's verdicts read from stored
:func:`~overgan_lib.related.jelassi.pacgan_sweep` and
:func:`~overgan_lib.related.jelassi.mnist_sweep` records."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import ParameterError
from .best_settings import COLLAPSED_MODES, MIN_HQ
from .claims import READINGS, claim_verdicts
from .width import TREND_TOL, quality_by_width, quality_trend, width_claim, width_verdict


def reading_arrays(data: dict[str, Any], reading: str = "precise"
                   ) -> tuple[np.ndarray, np.ndarray]:
    """(modes, quality) arrays of a :func:`pacgan_sweep` record for ``reading`` (a key of
    :data:`READINGS`); a one-line error for a record stored before the reading existed."""
    if reading not in READINGS:
        raise ParameterError(f"reading={reading!r} is not valid; use one of {tuple(READINGS)}")
    mk, qk = READINGS[reading][:2]
    if mk not in data or qk not in data:
        raise ParameterError(f"this jelassi_2d record has no {mk!r}: it was computed before the "
                             f"{reading!r} reading existed; rerun the chapter with rerun=True")
    return np.asarray(data[mk]), np.asarray(data[qk])


def verdicts_2d(data: dict[str, Any], cfg: dict[str, Any], min_hq: float = MIN_HQ,
                reading: str = "precise", k: int | None = None) -> dict[str, dict[str, str]]:
    """Every 2D verdict of the chapter from a :func:`pacgan_sweep` result: per benchmark, the
    claims at width ``k`` (default ``k_show``; :func:`claim_verdicts`) and ``width``
    (:func:`width_claim`), read from ``reading``'s arrays (:data:`READINGS`: "precise", the
    PacGAN metric, or "recovers", the precision-free one) with ``min_hq`` as the bar."""
    widths = [int(w) for w in data["widths"]]
    k = cfg["k_show"] if k is None else k
    if k not in widths:
        raise ParameterError(f"k={k!r} is not one of the record's widths {widths}")
    w0, out = widths.index(k), {}
    modes_, quality = reading_arrays(data, reading)
    measure, bar = READINGS[reading][2:]
    if reading == "recovers":
        measure = f"within {float(data['near_sigmas']):g}σ"
    for i, ds in enumerate(data["benchmarks"]):
        n, tol = int(data["n_modes"][i]), cfg["tol_frac"] * int(data["n_modes"][i])
        M, Q = modes_[i], quality[i]
        out[ds] = claim_verdicts(M[w0], Q[w0], list(data["names"]), n, tol, min_hq, measure,
                                 bar)
        out[ds]["width"] = width_claim(M, Q, list(data["names"]), widths, tol, min_hq,
                                       bar=bar, max_modes=COLLAPSED_MODES)
    return out


def quality_trends(data: dict[str, Any], reading: str = "precise", tol: float = TREND_TOL,
                   optimisers: tuple[str, ...] | None = None
                   ) -> dict[str, dict[str, tuple[np.ndarray, str]]]:
    """Per benchmark and optimiser, (:func:`quality_by_width`, :func:`quality_trend`) from a
    :func:`pacgan_sweep` record, and under ``"adam-sgda"`` the Adam minus best SGDA quality gap
    per width with its :func:`width_verdict` (``tol`` in fraction of samples). The quality of
    an optimiser at a width is its best setting's, whether or not it reaches a bar."""
    _, quality = reading_arrays(data, reading)
    names = list(data["names"])
    opts = optimisers or tuple(dict.fromkeys(names))
    out: dict[str, dict[str, tuple[np.ndarray, str]]] = {}
    for i, ds in enumerate(data["benchmarks"]):
        q = {n: quality_by_width(quality[i], names, n) for n in opts}
        out[ds] = {n: (v, quality_trend(v, tol)) for n, v in q.items()}
        if "adam" in names and "sgda" in names:
            gap = quality_by_width(quality[i], names, "adam") - \
                quality_by_width(quality[i], names, "sgda")
            out[ds]["adam-sgda"] = (gap, width_verdict(gap, tol))
    return out


def mnist_verdict(data: dict[str, Any], cfg: dict[str, Any]) -> str:
    """The MNIST width verdict on the Adam - best SGDA gap in confident samples: a setting
    *learned* if its confident fraction reaches half the real digits'; diverged runs count as
    no confident sample."""
    conf = np.nan_to_num(np.asarray(data["confident"], dtype=float), nan=0.0)
    conf_w = conf.transpose(1, 0, 2)  # (width, spec, seed); the confident fraction is quality
    bar = mnist_bar(data)
    return width_claim(conf_w, conf_w, list(data["names"]), [int(k) for k in data["widths"]],
                       cfg["conf_tol"], bar)


def mnist_bar(data: dict[str, Any]) -> float:
    """The MNIST quality bar: half the confident fraction of real test digits."""
    return 0.5 * float(data["real"]["confident"])
