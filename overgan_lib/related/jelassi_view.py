"""Chapter 12's readings of stored :func:`~overgan_lib.related.jelassi.pacgan_sweep` and
:func:`~overgan_lib.related.jelassi.mnist_sweep` records that are not verdicts: the probe table,
which runs are still moving, the MNIST ranking, and one colour per optimiser for every figure.

Kept apart from :mod:`overgan_lib.related.jelassi` (whose code the stored records depend on),
so that a change of presentation does not mark the records as computed by older code.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: One colour per optimiser, the same in every figure of the chapter (matplotlib's cycle).
COLOURS = {"sgda": "C0", "nsgda": "C2", "nsgda_global": "C6", "adam": "C3", "graft": "C4",
           "rgraft": "C5"}
_LINES, _HATCHES = ("-", "--", ":", "-."), ("", "//", "..", "xx")


def spec_styles(names: list[str]) -> list[dict[str, str]]:
    """Per spec: its optimiser's ``color`` (:data:`COLOURS`), and a ``linestyle`` and ``hatch``
    telling apart the settings of the same optimiser (the first solid / unhatched)."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        i = seen.get(n, 0)
        seen[n] = i + 1
        out.append({"color": COLOURS[n], "linestyle": _LINES[i % len(_LINES)],
                    "hatch": _HATCHES[i % len(_HATCHES)]})
    return out


def split_rates(specs: list[list]) -> list[list]:
    """The specs ``[name, lr_g, lr_d]`` whose generator and discriminator rates differ."""
    return [s for s in specs if len(s) == 3 and s[1] != s[2]]


def mnist_ranking(data: dict[str, Any]) -> list[tuple[int, list[tuple[str, float]]]]:
    """Per width of a :func:`~overgan_lib.related.jelassi.mnist_sweep` record, every setting's
    label and mean confident fraction over seeds (a diverged run counts as 0), highest first."""
    conf = np.nan_to_num(np.asarray(data["confident"], dtype=float), nan=0.0).mean(-1)
    return [(int(k), sorted(zip(data["labels"], conf[:, w].tolist(), strict=True),
                            key=lambda t: -t[1]))
            for w, k in enumerate(data["widths"])]


def probe_table(data: dict[str, Any], cfg: dict[str, Any]) -> str:
    """Markdown: every probe and every sweep setting of the same optimisers at ``k_show``,
    mean modes and high-quality fraction per benchmark (and the near fraction when the record
    has it); the sweep's settings in bold."""
    bench, w0 = data["benchmarks"], [int(k) for k in data["widths"]].index(cfg["k_show"])
    n_modes = [int(n) for n in data["n_modes"]]
    near = "probe_near" in data and "near_fraction" in data
    keys = [("modes", "probe_modes"), ("hq_fraction", "probe_hq")]
    keys += [("near_fraction", "probe_near")] if near else []
    rows = [("**" + lab + "**", *(data[k][:, w0, j] for k, _ in keys))
            for j, (lab, name) in enumerate(zip(data["labels"], data["names"], strict=True))
            if name in data["probe_names"]]
    rows += [(lab, *(data[pk][:, j] for _, pk in keys))
             for j, lab in enumerate(data["probe_labels"])]
    rows.sort(key=lambda r: r[0].strip("*"))
    cols = ["modes of {n}", "high quality"] + (["near"] if near else [])
    head = ["| setting | " + " | ".join(f"{ds}: " + c.format(n=n) for ds, n in
                                        zip(bench, n_modes, strict=True) for c in cols) + " |",
            "| --- |" + " --- |" * (len(cols) * len(bench))]
    body = ["| " + r[0] + " | " + " | ".join(
        " | ".join([f"{r[1][i].mean():.1f}"] + [f"{100 * a[i].mean():.1f}%" for a in r[2:]])
        for i in range(len(bench))) + " |" for r in rows]
    return "\n".join(head + body)


def still_moving(curves: np.ndarray, last: int, tol: float) -> np.ndarray:
    """Per setting, whether its mean (over seeds) modes captured changed by more than ``tol``
    between the checkpoint ``last - 1`` before the end and the end (``curves``: setting x
    checkpoint x seed)."""
    c = np.asarray(curves, dtype=float).mean(-1)
    last = max(2, min(int(last), c.shape[1]))
    return np.abs(c[:, -1] - c[:, -last]) > tol


def learned_probes(data: dict[str, Any], min_hq: float, reading: str = "precise"
                   ) -> dict[str, list[str]]:
    """Per benchmark, the labels of the probes whose mean quality in ``reading`` (high-quality
    fraction for "precise", near fraction for "recovers") reaches ``min_hq``: the probes that
    learned by that reading's bar."""
    key = {"precise": "probe_hq", "recovers": "probe_near"}[reading]
    hq = np.asarray(data[key], dtype=float).mean(-1)  # (benchmark, probe)
    return {ds: [lab for lab, q in zip(data["probe_labels"], hq[i], strict=True) if q >= min_hq]
            for i, ds in enumerate(data["benchmarks"])}


def recent_change(curves: np.ndarray, last: int) -> np.ndarray:
    """Per setting, the signed change of the mean (over seeds) of a checkpoint curve from
    checkpoint ``last - 1`` before the end to the end (``curves``: setting x checkpoint x
    seed): positive while a quality is still rising."""
    c = np.asarray(curves, dtype=float).mean(-1)
    last = max(2, min(int(last), c.shape[1]))
    return c[:, -1] - c[:, -last]


def clear_rise(steps: np.ndarray, curves: np.ndarray, last: int, tol: float,
               n_se: float = 2.0) -> np.ndarray:
    """Per setting, whether its curve (setting x checkpoint x seed) clearly rises over the last
    ``last`` checkpoints: the mean rose by more than ``tol``, or the mean over seeds of the
    per-seed least-squares slopes exceeds ``n_se`` standard errors across seeds."""
    s = np.asarray(steps, dtype=float)
    c = np.asarray(curves, dtype=float)
    last = max(2, min(int(last), len(s)))
    slopes = np.array([[np.polyfit(s[-last:], y[-last:], 1)[0] for y in run.T] for run in c])
    n = slopes.shape[1]
    se = slopes.std(1, ddof=1) / np.sqrt(n) if n > 1 else np.full(len(c), np.inf)
    rise = c.mean(-1)[:, -1] - c.mean(-1)[:, -last]
    return (rise > tol) | (slopes.mean(1) > n_se * se)


def steps_to_bar(steps: np.ndarray, curves: np.ndarray, bar: float, last: int,
                 tol: float | None = None) -> np.ndarray:
    """Per setting, a straight-line extrapolation of how many steps *after the last
    checkpoint* its mean (over seeds) curve would need to reach ``bar``: the least-squares
    line through the last ``last`` checkpoints. 0 where the last checkpoint already reaches
    the bar, inf where the line does not rise, and (with ``tol``) NaN where it rises but not
    clearly (:func:`clear_rise`): no clear trend to extrapolate. A reading of the recent
    trend, not a prediction (curves of GAN training need not stay straight)."""
    s = np.asarray(steps, dtype=float)
    c = np.asarray(curves, dtype=float).mean(-1)
    last = max(2, min(int(last), len(s)))
    clear = (clear_rise(s, curves, last, tol) if tol is not None
             else np.ones(c.shape[0], dtype=bool))
    out = np.full(c.shape[0], np.inf)
    for j, y in enumerate(c):
        if y[-1] >= bar:
            out[j] = 0.0
            continue
        slope = np.polyfit(s[-last:], y[-last:], 1)[0]
        if slope > 0:
            out[j] = (bar - y[-1]) / slope if clear[j] else np.nan
    return out


def order_of_magnitude(steps: float) -> str:
    """"of order 10^n steps" for a positive finite step count (n the rounded log10)."""
    return f"of order 10^{round(float(np.log10(steps)))}"


def about_steps(steps: float, sig: int = 2) -> str:
    """"about 3,300" for a positive finite step count, rounded to ``sig`` significant figures
    (so that near-equal estimates print near-equal, unlike :func:`order_of_magnitude`)."""
    x = float(steps)
    if not np.isfinite(x) or x <= 0:
        raise ValueError(f"steps={steps!r} must be positive and finite")
    digits = sig - 1 - int(np.floor(np.log10(x)))
    if digits <= 0:
        return f"about {round(x, digits):,.0f}"
    return f"about {round(x, digits):,.{digits}f}"


def peak_and_final(steps: np.ndarray, curve: np.ndarray) -> tuple[float, int, float]:
    """(peak, step of the peak, final value) of a mean (over seeds) curve (checkpoint x seed)."""
    m = np.asarray(curve, dtype=float).mean(-1)
    j = int(np.argmax(m))
    return float(m[j]), int(np.asarray(steps)[j]), float(m[-1])


def mnist_collapsed(data: dict[str, Any], tol: float = 1e-6) -> np.ndarray:
    """(spec, width) mask of :func:`~overgan_lib.related.jelassi.mnist_sweep` cells whose
    confident samples all fall on one digit in every seed: label entropy (nats) at most ``tol``
    with at least one confident sample. The classifier can call a collapsed blob one digit
    with confidence, so these cells' confident fractions do not measure digits."""
    ent = np.asarray(data["entropy"], dtype=float)
    conf = np.nan_to_num(np.asarray(data["confident"], dtype=float), nan=0.0)
    return ((np.nan_to_num(ent, nan=np.inf) <= tol) & (conf > 0)).all(-1)


def dist_table(data: dict[str, Any]) -> str:
    """Markdown: per setting, the median distance of its samples to their nearest mode in
    standard deviations (``dist_median``, no threshold), median over seeds with the seeds'
    range, per benchmark and width."""
    d = np.asarray(data["dist_median"], dtype=float)  # (benchmark, width, spec, seed)
    widths = [int(k) for k in data["widths"]]
    head = ["| setting | " + " | ".join(f"{ds}: k={k}" for ds in data["benchmarks"]
                                       for k in widths) + " |",
            "| --- |" + " --- |" * (len(widths) * len(data["benchmarks"]))]
    body = ["| " + lab + " | " + " | ".join(
        f"{np.median(d[i, w, j]):.1f} ({d[i, w, j].min():.0f}–{d[i, w, j].max():.0f})"
        for i in range(len(data["benchmarks"])) for w in range(len(widths))) + " |"
        for j, lab in enumerate(data["labels"])]
    return "\n".join(head + body)


def dist_ranges(data: dict[str, Any], bench: int, names: tuple[str, ...],
                widths: list[int] | None = None) -> dict[str, tuple[float, float]]:
    """Per optimiser, the (lowest, highest) ``dist_median`` over its settings and seeds on
    benchmark ``bench`` (index), at ``widths`` (default: every width of the record)."""
    d = np.asarray(data["dist_median"], dtype=float)[bench]  # (width, spec, seed)
    ks = [int(k) for k in data["widths"]]
    d = d[[ks.index(k) for k in (widths or ks)]]
    nm = list(data["names"])
    out = {}
    for n in names:
        js = [j for j, m in enumerate(nm) if m == n]
        if js:
            out[n] = (float(d[:, js].min()), float(d[:, js].max()))
    return out


def radius_sensitivity(samples: dict[str, np.ndarray], sigmas: tuple[float, ...],
                       share: float) -> dict[str, dict[float, tuple[np.ndarray, np.ndarray]]]:
    """Per benchmark (``samples``: name -> (spec, n, 2) stored samples), per radius in
    ``sigmas``: the (near fraction, modes recovered) of every spec
    (:func:`~overgan_lib.related.pacgan.near_reading` with recovery share ``share``)."""
    from .pacgan import near_reading

    out: dict[str, dict[float, tuple[np.ndarray, np.ndarray]]] = {}
    for ds, x in samples.items():
        out[ds] = {}
        for r in sigmas:
            m = near_reading(x, ds, r, share)
            out[ds][r] = (m["near_fraction"], m["near_modes"])
    return out


def radius_table(sens: dict[str, dict[float, tuple[np.ndarray, np.ndarray]]],
                 labels: list[str]) -> str:
    """Markdown of :func:`radius_sensitivity`: one row per label, per benchmark and radius
    "near % (recovered)"; a row missing on a benchmark (NaN) shows "—"."""
    cols = [(ds, r) for ds in sens for r in sens[ds]]
    head = ["| setting | " + " | ".join(f"{ds}: {r:g}σ" for ds, r in cols) + " |",
            "| --- |" + " --- |" * len(cols)]
    body = []
    for j, lab in enumerate(labels):
        cells = []
        for ds, r in cols:
            f, m = sens[ds][r]
            cells.append("—" if j >= len(f) or not np.isfinite(f[j]) else
                         f"{100 * f[j]:.0f}% ({int(m[j])})")
        body.append(f"| {lab} | " + " | ".join(cells) + " |")
    return "\n".join(head + body)
