"""How firm chapter 12's verdicts are: with the stored probes added to the sweep
(:func:`verdicts_with_probes`), across widths (:func:`across_widths`), which passes of a bar
rest on a collapsed generator (:func:`collapsed_passes`), and how a claim depends on one
optimiser's learning rate (:func:`rate_check`). All read stored records only."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import ParameterError
from .claims import COLLAPSED_MODES, MIN_HQ, READINGS, best_spec, claim_verdicts, short
from .records import reading_arrays, verdicts_2d

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


def rate_check(data: dict[str, Any], cfg: dict[str, Any], name: str, key: str
               ) -> dict[str, Any] | None:
    """How claim ``key`` depends on the learning rate of optimiser ``name`` at ``k_show``.

    Returns None when the sweep has no setting called ``name``; else ``labels`` (its settings:
    the sweep's first, then its probes), ``sweep`` (how many of them the sweep trains at every
    width), and per benchmark: ``near_modes`` (setting x seed, modes recovered), ``near``
    (mean near fraction per setting), ``hq`` (mean high-quality fraction per setting), and
    ``verdicts`` ({reading: (sweep alone, with the probes)}; the second is None without probes
    of this reading).
    """
    names = list(data["names"])
    if name not in names:
        return None
    w0 = [int(k) for k in data["widths"]].index(cfg["k_show"])
    has_probes = all(k in data for k in ("probe_names", *PROBE_KEYS["recovers"]))
    pj = [j for j, n in enumerate(data["probe_names"]) if n == name] if has_probes else []
    sj = [j for j, n in enumerate(names) if n == name]
    labels = [data["labels"][j] for j in sj] + [data["probe_labels"][j] for j in pj]
    out: dict[str, Any] = {"labels": labels, "sweep": len(sj), "benchmarks": {}}
    sweep_v = {r: verdicts_2d(data, cfg, reading=r) for r in READINGS}
    probe_v = {r: verdicts_with_probes(data, cfg, r) if pj and all(
        k in data for k in PROBE_KEYS[r]) else None for r in READINGS}
    for i, ds in enumerate(data["benchmarks"]):
        def pick(sweep_key: str, probe_key: str) -> np.ndarray:
            s = np.asarray(data[sweep_key])[i, w0, sj]
            return np.concatenate([s, np.asarray(data[probe_key])[i, pj]]) if pj else s
        out["benchmarks"][ds] = {
            "near_modes": pick("near_modes", "probe_near_modes"),
            "near": pick("near_fraction", "probe_near").mean(-1),
            "hq": pick("hq_fraction", "probe_hq").mean(-1),
            "verdicts": {r: (sweep_v[r][ds][key],
                             None if probe_v[r] is None else probe_v[r][ds][key])
                         for r in READINGS}}
    return out


def rate_check_text(check: dict[str, Any] | None, k_show: int, what: str = "the reverse graft",
                    claim: str = "1b") -> str:
    """Chapter 12's sentence on :func:`rate_check`: which rates ``what`` was tried at, its
    modes recovered per seed at each, and whether claim ``claim``'s verdicts at ``k_show``
    change when the probes are counted. With one rate, it says the claim is conditional on it;
    with several in the sweep (the gpu rows), that the best represents it.
    """
    if check is None:
        return f"{what} is not in this profile's sweep, so claim {claim} is not judged"
    labels, n_sweep = check["labels"], check["sweep"]
    per = "; ".join(
        f"on the {ds}, " + ", ".join(
            f"{lab}: {'/'.join(str(int(m)) for m in b['near_modes'][j])} "
            f"({b['near'][j]:.0%} near, {b['hq'][j]:.0%} high quality)"
            for j, lab in enumerate(labels))
        for ds, b in check["benchmarks"].items())
    head = (f"at k={k_show}, modes recovered per seed (mean near and high-quality fractions) "
            f"{per}")
    if len(labels) == 1:
        return (f"{what} runs only at {labels[0]}, and no probe tries another rate; {head}. "
                f"So claim {claim}'s verdict measures that step size at least as much as "
                "direction against magnitude, and is conditional on it")
    if len(labels) == n_sweep:
        return (f"{what} runs at {', '.join(labels)} at every width, the best of them "
                f"representing it (the rule of every optimiser); {head}")
    changed = [f"{ds} ({r}): {short(v[0])} → {short(v[1])}"
               for ds, b in check["benchmarks"].items() for r, v in b["verdicts"].items()
               if v[1] is not None and short(v[0]) != short(v[1])]
    turn = ("counting the probes changes none of claim " + claim + "'s verdicts at this width"
            if not changed else "counting the probes changes claim " + claim + "'s verdict: "
            + "; ".join(changed))
    return (f"{what} runs at {', '.join(labels[:n_sweep])} in the sweep (every width) and at "
            f"{', '.join(labels[n_sweep:])} as probes (k={k_show} only); {head}. With the "
            f"best of these rates representing it (the same rule as every probe), {turn}. At "
            f"the other widths the verdict rests on {', '.join(labels[:n_sweep])} alone")
