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


def learned_probes(data: dict[str, Any], min_hq: float) -> dict[str, list[str]]:
    """Per benchmark, the labels of the probes whose mean high-quality fraction reaches
    ``min_hq`` (the probes are not used by the verdicts; this says whether they would have
    given an optimiser that learned nothing a learned setting)."""
    hq = np.asarray(data["probe_hq"], dtype=float).mean(-1)  # (benchmark, probe)
    return {ds: [lab for lab, q in zip(data["probe_labels"], hq[i], strict=True) if q >= min_hq]
            for i, ds in enumerate(data["benchmarks"])}


def recent_change(curves: np.ndarray, last: int) -> np.ndarray:
    """Per setting, the signed change of the mean (over seeds) of a checkpoint curve from
    checkpoint ``last - 1`` before the end to the end (``curves``: setting x checkpoint x
    seed): positive while a quality is still rising."""
    c = np.asarray(curves, dtype=float).mean(-1)
    last = max(2, min(int(last), c.shape[1]))
    return c[:, -1] - c[:, -last]


def steps_to_bar(steps: np.ndarray, curves: np.ndarray, bar: float, last: int) -> np.ndarray:
    """Per setting, a straight-line extrapolation of how many steps *after the last
    checkpoint* its mean (over seeds) curve would need to reach ``bar``: the least-squares
    line through the last ``last`` checkpoints. 0 where the last checkpoint already reaches
    the bar, inf where the line does not rise. A reading of the recent trend, not a
    prediction (curves of GAN training need not stay straight)."""
    s = np.asarray(steps, dtype=float)
    c = np.asarray(curves, dtype=float).mean(-1)
    last = max(2, min(int(last), len(s)))
    out = np.full(c.shape[0], np.inf)
    for j, y in enumerate(c):
        if y[-1] >= bar:
            out[j] = 0.0
            continue
        slope = np.polyfit(s[-last:], y[-last:], 1)[0]
        if slope > 0:
            out[j] = (bar - y[-1]) / slope
    return out
