"""Whether chapter 12's verdicts survive a rerun of the same sweep on another machine.

A 2D GAN run is chaotic: two machines that round one floating-point operation differently (a
CPU model with other vector kernels, another BLAS) train the same code, seeds and settings to
other numbers, and the difference grows from the first checkpoint on. Bitwise reproducibility
holds per CPU model and build only. A rerun elsewhere is then a fresh draw of the runs'
rounding with everything else fixed; the verdicts that change under it rest on it. This module
compares two stored :func:`~overgan_lib.related.jelassi.pacgan_sweep` records of the same
sweep (the probes may differ: they are trained apart from the sweep's settings).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import ParameterError
from ...store import Record, records
from .claims import READINGS, short
from .records import verdicts_2d

#: Config keys that do not touch the sweep's own runs (trained separately, at ``k_show``).
APART = ("probes",)


def same_sweep(cfg_a: dict[str, Any], cfg_b: dict[str, Any]) -> bool:
    """Whether two record configs train the same sweep: equal apart from :data:`APART`."""
    def strip(cfg: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in cfg.items() if k not in APART}
    return strip(cfg_a) == strip(cfg_b)


def other_records(record: Record) -> list[Record]:
    """The stored records of ``record``'s experiment and profile, other than it, that train the
    same sweep (:func:`same_sweep`): reruns of it, e.g. from another machine."""
    profile = str(record.provenance.get("profile"))
    return [r for r in records(record.experiment, profile)
            if r.path != record.path and same_sweep(r.config, record.config)]


def describe(record: Record) -> str:
    """Where a record was computed: its device and commit (``"cpu:… at commit 1234567"``)."""
    prov = record.provenance
    return f"{prov.get('device', 'an unknown device')} at commit {str(prov.get('git_sha'))[:7]}"


def rerun_changes(a: dict[str, Any], b: dict[str, Any], cfg: dict[str, Any]
                  ) -> tuple[list[tuple[str, int, str, str, str, str]], int]:
    """Every sweep verdict (:func:`verdicts_2d`, both readings, every width) that differs in
    short form (:func:`short`) between records ``a`` and ``b`` of one sweep, as (reading, k,
    benchmark, claim, verdict in a, verdict in b), and how many verdicts were compared."""
    if [int(k) for k in a["widths"]] != [int(k) for k in b["widths"]] or \
            list(a["names"]) != list(b["names"]):
        raise ParameterError("the two records train different sweeps (widths or settings "
                             "differ); compare records whose configs pass same_sweep")
    changes, total = [], 0
    for reading in READINGS:
        for k in (int(k) for k in a["widths"]):
            va = verdicts_2d(a, cfg, reading=reading, k=k)
            vb = verdicts_2d(b, cfg, reading=reading, k=k)
            for ds, claims in va.items():
                for key, v in claims.items():
                    total += 1
                    if short(v) != short(vb[ds][key]):
                        changes.append((reading, k, ds, key, short(v), short(vb[ds][key])))
    return changes, total


def rerun_spread(a: dict[str, Any], b: dict[str, Any]) -> dict[str, float]:
    """How far apart two records of one sweep are, per seed and setting: the share of final
    mode counts that agree; at the first checkpoint, the share of high-quality fractions still
    equal and the largest difference; the mean difference at the end (fractions of samples)."""
    ca, cb = np.asarray(a["hq_curves"], dtype=float), np.asarray(b["hq_curves"], dtype=float)
    first = np.abs(ca[..., 0, :] - cb[..., 0, :])
    return {"modes_equal": float(np.mean(np.asarray(a["modes"]) == np.asarray(b["modes"]))),
            "first_equal": float(np.mean(first == 0)), "first_max": float(first.max()),
            "final_mean": float(np.abs(np.asarray(a["hq_fraction"], dtype=float)
                                       - np.asarray(b["hq_fraction"], dtype=float)).mean()),
            "first_step": int(np.asarray(a["curve_steps"])[0])}


def rerun_text(changes: list[tuple[str, int, str, str, str, str]], total: int,
               spread: dict[str, float], here: str, there: str,
               labels: dict[str, str] | None = None) -> str:
    """Chapter 12's paragraph on ``changes = rerun_changes(shown, other, cfg)`` (and
    :func:`rerun_spread` of the two): the record shown is described by ``here`` (e.g. its
    device and commit), the other record of the same sweep by ``there``; ``labels`` names the
    claims (default: their keys)."""
    labels = labels or {}
    by_reading = {r: [c for c in changes if c[0] == r] for r in READINGS}
    per = total // len(READINGS)
    counts = "; ".join(f"{len(cs)} of the {per} {r} verdicts" for r, cs in by_reading.items())
    listed = "; ".join(f"{labels.get(key, key)} on the {ds} at k={k} ({r}): {v_here} here, "
                       f"{v_there} there" for r, k, ds, key, v_here, v_there in changes)
    return (f"The same sweep (code, seeds and settings) is stored twice: the record shown, from "
            f"{here}, and one from {there}. Their runs differ from the first checkpoint on "
            f"(at step {spread['first_step']:,}, {spread['first_equal']:.0%} of the per-seed "
            f"high-quality fractions are still equal, the others up to "
            f"{100 * spread['first_max']:.1f} points apart), as chaotic training amplifies a "
            f"difference in floating-point rounding; at the end {spread['modes_equal']:.0%} of "
            f"the per-seed mode counts agree and the high-quality fractions differ by "
            f"{100 * spread['final_mean']:.1f} points on average. Of the verdicts (both "
            f"readings, every width), {counts} differ between the two"
            + (f": {listed}." if changes else ".")
            + " A verdict that changes here rests on the runs' rounding, as it would on another "
            "draw of seeds; the 95% intervals of the rules are meant to cover that spread, and "
            "where they do not, the verdict is not yet a finding.")
