"""How firm chapter 12's verdicts are: with the stored probes added to the sweep
(:func:`verdicts_with_probes`), across widths (:func:`across_widths`), which passes of a bar
rest on a collapsed generator (:func:`collapsed_passes`), and how a claim depends on one
optimiser's learning rate (:func:`rate_check`). All read stored records only."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import ParameterError
from .best_settings import COLLAPSED_MODES, MIN_HQ, best_spec, learned
from .claims import READINGS, claim_verdicts, short
from .records import reading_arrays, verdicts_2d

#: The probe arrays (modes, quality) of a stored record per reading of :data:`READINGS`.
PROBE_KEYS = {"precise": ("probe_modes", "probe_hq"),
              "recovers": ("probe_near_modes", "probe_near")}


def subset_probes(data: dict[str, Any], idx: list[int]) -> dict[str, Any]:
    """``data`` (a stored 2D record) with only the probes at positions ``idx``, every probe
    array (names, labels and :data:`PROBE_KEYS` of both readings) cut alike."""
    out = {**data, "probe_names": [data["probe_names"][j] for j in idx],
           "probe_labels": [data["probe_labels"][j] for j in idx]}
    for keys in PROBE_KEYS.values():
        for k in keys:
            out[k] = np.asarray(data[k])[:, idx]
    return out


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


def _rate(label: str) -> float | None:
    """The learning rate of a one-rate setting label (``"rgraft η=0.01"``), else None."""
    head, _, value = label.rpartition("η=")
    try:
        return float(value) if head and " " not in value else None
    except ValueError:
        return None


def rate_check(data: dict[str, Any], cfg: dict[str, Any], name: str, key: str,
               compare: str = "sgda") -> dict[str, Any] | None:
    """How claim ``key`` depends on the learning rate of optimiser ``name`` at ``k_show``.

    Returns None when the sweep has no setting called ``name``; else ``labels`` (its settings:
    the sweep's first, then its probes), ``sweep`` (how many of them the sweep trains at every
    width), ``rates`` (each label's learning rate, None for split rates), ``compare`` (per
    label, the label of a ``compare`` setting at the same rate, sweep or probe, or None), and
    per benchmark: ``near_modes`` (setting x seed, modes recovered), ``near`` and ``hq`` (mean
    near and high-quality fractions per setting), ``compare_near`` (the ``compare`` setting's
    mean near fraction, or None), ``learned`` ({reading: whether any of ``name``'s settings
    learned, :func:`learned` with collapsed seeds not counting}), and ``verdicts`` ({reading:
    (sweep alone, with ``name``'s probes added)}; the second is None without such probes).
    Probes count only where the record stores both readings of them. Only ``name``'s probes
    are added, so a turn is due to its other rates, not to another optimiser's probe.
    """
    names = list(data["names"])
    if name not in names:
        return None
    widths = [int(k) for k in data["widths"]]
    if int(cfg["k_show"]) not in widths:
        raise ParameterError(f"k_show={cfg['k_show']!r} is not one of the record's widths "
                             f"{widths}")
    w0 = widths.index(int(cfg["k_show"]))
    probe_keys = ("probe_names", "probe_labels", *PROBE_KEYS["precise"])
    # Probes count only with both readings stored (records before the recovery reading lack
    # it): the per-rate figures quote both.
    has_probes = all(k in data for k in (*probe_keys, *PROBE_KEYS["recovers"]))
    pj = [j for j, n in enumerate(data["probe_names"]) if n == name] if has_probes else []
    sj = [j for j, n in enumerate(names) if n == name]
    labels = [data["labels"][j] for j in sj] + [data["probe_labels"][j] for j in pj]
    rates = [_rate(lab) for lab in labels]
    # Settings of ``compare`` (sweep first, then probes) by rate, at k_show.
    pool = [("sweep", j, data["labels"][j]) for j, n in enumerate(names) if n == compare]
    if has_probes:
        pool += [("probe", j, data["probe_labels"][j])
                 for j, n in enumerate(data["probe_names"]) if n == compare]
    same = [next((c for c in pool if r is not None and _rate(c[2]) == r), None) for r in rates]
    out: dict[str, Any] = {"labels": labels, "sweep": len(sj), "rates": rates,
                           "compare": [None if c is None else c[2] for c in same],
                           "benchmarks": {}}
    sweep_v = {r: verdicts_2d(data, cfg, reading=r) for r in READINGS}
    own = subset_probes(data, pj) if pj else None  # ``name``'s probes only
    probe_v = {r: verdicts_with_probes(own, cfg, r) if pj else None for r in READINGS}
    for i, ds in enumerate(data["benchmarks"]):
        def pick(sweep_key: str, probe_key: str) -> np.ndarray:
            s = np.asarray(data[sweep_key])[i, w0, sj]
            return np.concatenate([s, np.asarray(data[probe_key])[i, pj]]) if pj else s

        def near_of(c: tuple[str, int, str] | None) -> float | None:
            if c is None:
                return None
            arr = (np.asarray(data["near_fraction"])[i, w0, c[1]] if c[0] == "sweep"
                   else np.asarray(data["probe_near"])[i, c[1]])
            return float(arr.mean())
        learned_by = {}
        for r in READINGS:
            mk, qk = READINGS[r][:2]
            pk = PROBE_KEYS[r]
            m_, q_ = pick(mk, pk[0]), pick(qk, pk[1])
            learned_by[r] = any(learned(m_[j], q_[j], MIN_HQ, COLLAPSED_MODES)
                                for j in range(len(labels)))
        out["benchmarks"][ds] = {
            "learned": learned_by,
            "near_modes": pick("near_modes", "probe_near_modes"),
            "near": pick("near_fraction", "probe_near").mean(-1),
            "hq": pick("hq_fraction", "probe_hq").mean(-1),
            "compare_near": [near_of(c) for c in same],
            "verdicts": {r: (sweep_v[r][ds][key],
                             None if probe_v[r] is None else probe_v[r][ds][key])
                         for r in READINGS}}
    return out


def rate_check_text(check: dict[str, Any] | None, k_show: int, steps: int,
                    what: str = "the reverse graft", claim: str = "1b",
                    compare: str = "SGDA") -> str:
    """Chapter 12's sentence on :func:`rate_check`: which rates ``what`` was tried at, its
    modes recovered per seed at each (with ``compare``'s near fraction at the same rate where
    one was trained), whether the rate recovering the most modes is an end of the range tried,
    and whether claim
    ``claim``'s verdicts at ``k_show`` change when ``what``'s probes are counted. With one rate
    it says the claim is conditional on it; with several in the sweep, that the best stands
    for it. ``steps``: the runs' length (a one-sided verdict is about that budget).
    """
    if check is None:
        return f"{what} is not in this profile's sweep, so claim {claim} is not judged"
    labels, n_sweep = check["labels"], check["sweep"]

    def one(b: dict[str, Any], j: int) -> str:
        cmp = b["compare_near"][j]
        return (f"{labels[j]}: {'/'.join(str(int(m)) for m in b['near_modes'][j])} "
                f"({b['near'][j]:.0%} near, {b['hq'][j]:.0%} high quality"
                + (f"; {compare} at that rate {cmp:.0%} near" if cmp is not None else "") + ")")
    per = "; ".join(f"on the {ds}, " + ", ".join(one(b, j) for j in range(len(labels)))
                    for ds, b in check["benchmarks"].items())
    head = (f"at k={k_show}, modes recovered per seed (mean near and high-quality fractions) "
            f"{per}")
    if len(labels) == 1:
        return (f"{what} runs only at {labels[0]}, and no probe tries another rate; {head}. "
                f"So claim {claim}'s verdict measures that step size at least as much as "
                "direction against magnitude, and is conditional on it")
    rates = check["rates"]
    ends = ""
    if None not in rates and len(set(rates)) > 1:
        # Best by modes recovered (ties: near fraction): a seed collapsed onto one mode puts
        # all its samples near it, so the near fraction alone would favour collapse.
        best = {ds: max(range(len(labels)), key=lambda j, b=b: (
            float(np.mean(b["near_modes"][j])), float(b["near"][j])))
            for ds, b in check["benchmarks"].items()}
        edge = [f"{labels[j]} on the {ds} ({'smallest' if rates[j] == min(rates) else 'largest'}"
                " rate tried)" for ds, j in best.items() if rates[j] in (min(rates), max(rates))]
        inner = "; ".join(f"{labels[j]} on the {ds}" for ds, j in best.items()
                          if rates[j] not in (min(rates), max(rates)))
        ends = (f" The rate recovering the most modes is an end of the range tried for "
                f"{'; '.join(edge)}, so a better rate may lie beyond it." if edge else
                f" The rate recovering the most modes lies inside the range tried ({inner}).")
    if len(labels) == n_sweep:
        return (f"{what} runs at {', '.join(labels)} at every width, the best of them "
                f"representing it (the rule of every optimiser); {head}.{ends}")
    changed = [f"{ds} ({r}): {short(sweep)} → {short(both)}"
               for ds, b in check["benchmarks"].items()
               for r, (sweep, both) in b["verdicts"].items() if short(sweep) != short(both)]
    turn = (f"changes claim {claim}'s verdict: " + "; ".join(changed) if changed
            else f"changes none of claim {claim}'s verdicts at this width")
    cases = [(ds, r) for ds, b in check["benchmarks"].items() for r, ok in b["learned"].items()]
    failed = [(ds, r) for ds, b in check["benchmarks"].items()
              for r, ok in b["learned"].items() if not ok]
    if len(failed) == len(cases):
        rep = (f" At no rate does {what} learn (a majority of seeds at the bar, collapsed seeds "
               f"not counting) on any benchmark in either reading within {steps:,} steps, so "
               f"no rate represents it and claim {claim}'s verdict is one-sided or inconclusive "
               f"at every rate. Counting its probes (and no other optimiser's) {turn}.")
    else:
        below = "; ".join(f"{ds} ({r})" for ds, r in failed)
        rep = (f" With its best rate that learned representing it (the rule of every "
               f"optimiser), counting its probes (and no other optimiser's) {turn}."
               + (f" Where no rate learns ({below}), the verdict says only that no rate tried "
                  f"brings {what} to the bar within {steps:,} steps." if failed else ""))
    return (f"{what} runs at {', '.join(labels[:n_sweep])} in the sweep (every width) and at "
            f"{', '.join(labels[n_sweep:])} as probes (k={k_show} only); {head}.{ends}{rep} At "
            f"the other widths the verdict rests on {', '.join(labels[:n_sweep])} alone")
