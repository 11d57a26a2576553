"""Whether chapter 12's verdicts survive a rerun of the same sweep on another machine.

A 2D GAN run is chaotic: two machines that round one floating-point operation differently
(another CPU model or BLAS) train the same code, seeds and settings to other numbers, and the
difference grows from the first checkpoint on. Bitwise reproducibility holds per CPU model and
build only. A rerun elsewhere is then close to a fresh draw of the runs' rounding with everything
else fixed, and a verdict the two machines disagree on rests on that draw: :func:`agreed` reads
it as inconclusive. One rerun that agrees is one redraw survived, not a proof of robustness.

This module compares two stored :func:`~overgan_lib.related.jelassi.pacgan_sweep` records of
the same sweep (their probes may differ: they are trained apart from the sweep's settings, and
verdicts with the probes are compared over the probes both hold).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ...errors import ParameterError
from ...provenance import device_text, provenance_status
from ...store import Record, records
from .claims import READINGS, short, substance
from .records import verdicts_2d
from .robustness import PROBE_KEYS, subset_probes, verdicts_with_probes

#: Config keys that do not touch the sweep's own runs (trained separately, at ``k_show``).
_APART = ("probes",)
#: The start of a verdict the two machines disagree on (:func:`agreed`).
DISAGREE = "inconclusive (the machines disagree"
#: Record entries two records of one sweep must share (:func:`check_same_sweep`).
_SAME = ("widths", "benchmarks", "n_modes", "names", "labels", "curve_steps")


def same_sweep(cfg_a: dict[str, Any], cfg_b: dict[str, Any]) -> bool:
    """Whether two record configs train the same sweep: equal apart from :data:`_APART`."""
    def strip(cfg: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in cfg.items() if k not in _APART}
    return strip(cfg_a) == strip(cfg_b)


def pick_rerun(record: Record) -> Record | None:
    """The stored record of the same sweep (:func:`same_sweep`) to compare ``record`` with:
    one from another device whose code has not changed since (the newest), else None. A
    second record from the same device would be a bitwise copy (README, "Determinism"), not a
    redraw."""
    profile = str(record.provenance.get("profile"))
    device = record.provenance.get("device")
    # Not a record whose code changed since (it would differ by code as well as machine).
    others = [r for r in records(record.experiment, profile)
              if r.path != record.path and same_sweep(r.config, record.config)
              and r.provenance.get("device") != device
              and provenance_status(r)["changed"] is not True]
    return max(others, key=lambda r: str(r.provenance.get("created_utc", ""))) if others \
        else None


def describe(record: Record) -> str:
    """Where a record was computed: its device and commit (``"cpu:… at commit 1234567"``),
    saying so when the device names no CPU model."""
    prov = record.provenance
    device = device_text(str(prov.get("device", "an unknown device")))
    return f"{device} at commit {str(prov.get('git_sha'))[:7]}"


def check_same_sweep(a: dict[str, Any], b: dict[str, Any]) -> None:
    """A one-line error unless two records hold the same sweep's entries (:data:`_SAME`)."""
    differ = [k for k in _SAME if k in a and k in b
              and np.asarray(a[k]).tolist() != np.asarray(b[k]).tolist()]
    if differ:
        raise ParameterError(f"the two records train different sweeps ({', '.join(differ)} "
                             "differ); compare records whose configs pass same_sweep")


def disagreed(verdict: str) -> bool:
    """Whether a verdict was read as inconclusive because the machines disagree."""
    return verdict.startswith(DISAGREE)


def agreed(here: dict[str, dict[str, str]], there: dict[str, dict[str, str]] | None
           ) -> dict[str, dict[str, str]]:
    """Per benchmark and claim, ``here``'s verdict where ``there`` (the same verdicts from the
    other machine's record, or None) says the same in substance (:func:`substance`: the
    "at this budget" marker alone is no disagreement), else
    "inconclusive (the machines disagree: X here, Y on the other machine; ...)" with ``here``'s
    reason kept."""
    if there is None:
        return here
    out: dict[str, dict[str, str]] = {}
    for ds, claims in here.items():
        out[ds] = {}
        for key, v in claims.items():
            w = there[ds][key]
            if substance(v) == substance(w):
                out[ds][key] = v
                continue
            why = v[len(short(v)) + 2:-1] if v != short(v) else ""
            out[ds][key] = (f"{DISAGREE}: {short(v)} here, {short(w)} on the other machine"
                            + (f"; here: {why}" if why else "") + ")")
    return out


def _shared_probes(a: dict[str, Any], b: dict[str, Any]) -> tuple[dict, dict] | None:
    """Both records with only the probes (by label) they both hold, in ``a``'s order; None
    when either has no probes of every reading or they share none."""
    keys = ("probe_names", "probe_labels", *PROBE_KEYS["precise"], *PROBE_KEYS["recovers"])
    if not all(k in a and k in b for k in keys):
        return None
    common = [lab for lab in a["probe_labels"] if lab in list(b["probe_labels"])]
    if not common:
        return None
    return tuple(subset_probes(d, [list(d["probe_labels"]).index(lab) for lab in common])
                 for d in (a, b))


def shared_probe_count(a: dict[str, Any], b: dict[str, Any]) -> int:
    """How many probes (by label) two records of one sweep both hold."""
    shared = _shared_probes(a, b)
    return 0 if shared is None else len(shared[0]["probe_labels"])


def probe_verdicts_agreed(data: dict[str, Any], cfg: dict[str, Any],
                          other: dict[str, Any] | None, reading: str = "precise"
                          ) -> dict[str, dict[str, str]]:
    """:func:`verdicts_with_probes` of ``data`` (all its probes), each read as inconclusive
    where the two records' verdicts over the probes both hold disagree (:func:`agreed`; a
    verdict that the extra probes of ``data`` change is not compared)."""
    here = verdicts_with_probes(data, cfg, reading)
    shared = None if other is None else _shared_probes(data, other)
    if shared is None:
        return here
    check_same_sweep(data, other)
    mine, theirs = (verdicts_with_probes(d, cfg, reading) for d in shared)
    return agreed(here, {ds: {k: (theirs[ds][k] if substance(mine[ds][k]) ==
                                  substance(here[ds][k]) else here[ds][k])
                              for k in claims} for ds, claims in mine.items()})


def verdicts_agreed(data: dict[str, Any], cfg: dict[str, Any], other: dict[str, Any] | None,
                    reading: str = "precise", k: int | None = None
                    ) -> dict[str, dict[str, str]]:
    """:func:`verdicts_2d` of ``data``, each read as inconclusive where the same sweep's
    record from another machine (``other``, or None) disagrees (:func:`agreed`)."""
    here = verdicts_2d(data, cfg, reading=reading, k=k)
    if other is None:
        return here
    check_same_sweep(data, other)
    return agreed(here, verdicts_2d(other, cfg, reading=reading, k=k))


@dataclass(frozen=True)
class Pair:
    """One verdict on both machines."""

    reading: str
    k: int | None  # None: the width claim, judged across widths
    benchmark: str
    claim: str
    scope: str  # "sweep" or "with probes" (the probes both records hold, at k_show)
    here: str  # short form
    there: str

    @property
    def decisive(self) -> bool:
        """Whether either machine's verdict decides the claim (is not inconclusive)."""
        return not (self.here.startswith("inconclusive") and
                    self.there.startswith("inconclusive"))

    @property
    def turned(self) -> bool:
        """Whether the two say different things (:func:`substance`: not the marker alone)."""
        return substance(self.here) != substance(self.there)


def verdict_pairs(a: dict[str, Any], b: dict[str, Any], cfg: dict[str, Any]) -> list[Pair]:
    """Every verdict of records ``a`` (here) and ``b`` (the other machine) of one sweep: the
    claims at every width and the width claim once (:func:`verdicts_2d`), both readings, and
    the claims at ``k_show`` with the probes both records hold (:func:`verdicts_with_probes`)."""
    check_same_sweep(a, b)
    widths = [int(k) for k in a["widths"]]
    pairs: list[Pair] = []
    for reading in READINGS:
        for k in widths:
            va = verdicts_2d(a, cfg, reading=reading, k=k)
            vb = verdicts_2d(b, cfg, reading=reading, k=k)
            for ds, claims in va.items():
                for key, v in claims.items():
                    if key == "width" and k != widths[0]:
                        continue  # the same verdict at every k
                    pairs.append(Pair(reading, None if key == "width" else k, ds, key, "sweep",
                                      short(v), short(vb[ds][key])))
        shared = _shared_probes(a, b)
        if shared is not None:
            pa, pb = (verdicts_with_probes(d, cfg, reading) for d in shared)
            pairs += [Pair(reading, int(cfg["k_show"]), ds, key, "with probes", short(v),
                           short(pb[ds][key])) for ds, claims in pa.items()
                      for key, v in claims.items()]
    return pairs


def rerun_spread(a: dict[str, Any], b: dict[str, Any]) -> dict[str, float]:
    """How far apart two records of one sweep are, per seed and setting: the share of final
    mode counts that agree and the mean difference of high-quality fraction at the end, beside
    (``seed_mean``) the mean difference between two seeds of the same setting (pairs within
    each record, both records); at the
    first checkpoint, among readings not zero on both, the share that are equal and the largest
    difference (fractions of samples)."""
    check_same_sweep(a, b)
    ca, cb = np.asarray(a["hq_curves"], dtype=float), np.asarray(b["hq_curves"], dtype=float)
    fa, fb = ca[..., 0, :], cb[..., 0, :]
    live = (fa != 0) | (fb != 0)
    first = np.abs(fa - fb)[live]
    seeds = []
    for d in (a, b):  # seed pairs within each record, both records
        q = np.asarray(d["hq_fraction"], dtype=float)  # (..., seed)
        n = q.shape[-1]
        seeds += [np.abs(q[..., i] - q[..., j]).mean() for i in range(n) for j in range(i + 1, n)]
    return {"modes_equal": float(np.mean(np.asarray(a["modes"]) == np.asarray(b["modes"]))),
            "seed_mean": float(np.mean(seeds)) if seeds else float("nan"),
            "first_equal": float(np.mean(first == 0)) if first.size else 1.0,
            "first_max": float(first.max()) if first.size else 0.0,
            "final_mean": float(np.abs(np.asarray(a["hq_fraction"], dtype=float)
                                       - np.asarray(b["hq_fraction"], dtype=float)).mean()),
            "first_step": int(np.asarray(a["curve_steps"])[0])}


def _counts(pairs: list[Pair]) -> str:
    """"X of the Y decisive verdicts turn (Z verdicts in all)" for one reading and scope."""
    decisive = [p for p in pairs if p.decisive]
    return (f"{sum(p.turned for p in decisive)} of the {len(decisive)} decisive on either "
            f"machine ({len(pairs)} in all)")


def rerun_text(pairs: list[Pair], spread: dict[str, float], here: str, there: str,
               labels: dict[str, str] | None = None, n_shared: int = 0) -> str:
    """Chapter 12's paragraph on :func:`verdict_pairs` of the record shown and another of
    the same sweep (and :func:`rerun_spread` of the two): the record shown is described by
    ``here`` (e.g. its device and commit), the other by ``there``; ``labels`` names the claims
    (default: their keys); ``n_shared``: how many probes both records hold
    (:func:`shared_probe_count`)."""
    labels = labels or {}
    if spread["first_equal"] == 1.0 and spread["modes_equal"] == 1.0 and \
            spread["final_mean"] == 0.0:
        return (f"The same sweep is stored twice, from {here} and from {there}, and the two "
                "records hold the same numbers: the rerun drew the same rounding, so it tests "
                "nothing about how the verdicts depend on it.")
    first = (f"At the first checkpoint (step {spread['first_step']:,}) their per-seed "
             "high-quality readings are still equal." if spread["first_equal"] == 1.0 else
             f"Their runs differ from the first checkpoint on: at step "
             f"{spread['first_step']:,}, {spread['first_equal']:.0%} of the per-seed "
             "high-quality readings that are not zero on both are equal, the others up to "
             f"{100 * spread['first_max']:.1f} points apart, as chaotic training grows a "
             "difference in floating-point rounding.")
    counts = "; ".join(
        f"{r}, {scope}: {_counts([p for p in pairs if p.reading == r and p.scope == scope])}"
        for r in READINGS for scope in ("sweep", "with probes")
        if any(p.reading == r and p.scope == scope for p in pairs))
    turned = [p for p in pairs if p.turned]
    listed = "; ".join(
        f"{labels.get(p.claim, p.claim)} on the {p.benchmark}"
        + (" across widths" if p.k is None else f" at k={p.k}")
        + f" ({p.reading}{', with probes' if p.scope != 'sweep' else ''}): {p.here} here, "
        f"{p.there} there" for p in turned)
    probes = (f" (\"with probes\": the {n_shared} probes both records hold)" if n_shared
              else "")
    return (f"The same sweep (code, seeds and settings) is stored twice: the record shown, from "
            f"{here}, and one from {there}. " + first + f" At the end "
            f"{spread['modes_equal']:.0%} of the per-seed mode counts agree and the high-quality "
            f"fractions differ by {100 * spread['final_mean']:.1f} points on average, against "
            f"{100 * spread['seed_mean']:.1f} points between two seeds of the same setting on "
            "one machine: a rerun elsewhere is close to another draw of seeds. Verdicts that "
            "turn between the "
            f"two{probes} ({counts}): " + (listed or "none") + ". A verdict the two machines "
            "disagree on reads **inconclusive (the machines disagree)** in both verdict tables, "
            "the per-claim verdicts, the probe comparison and on the status page (the reverse "
            "graft's rate check reads this record alone: the other stores no such probes). A "
            "verdict they agree on has survived one such redraw; that is not robustness, and "
            "more seeds are the remedy.")
