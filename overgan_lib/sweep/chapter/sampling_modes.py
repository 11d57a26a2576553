"""The setup section's measurement of the eval-mode choice: FID of each width's first-seed
generator sampled in eval mode (batch norm's running statistics, what every FID here uses)
and in train mode (batch statistics), from :mod:`..sampling_mode`, with a reading of whether
the choice moves the widths' order. Where the record is not stored and the generators are not
on this machine, one line names the command that computes it."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from IPython.display import Markdown, display

from ...store import Record
from ..sampling_mode import (
    BITWISE,
    KEPT,
    RETRAINED,
    first_seed_runs,
    mode_differences,
    restore_command,
    sampling_mode_record,
    scored_run_fid,
)
from ..view import SweepView
from ._types import Views

# How the table and the reading name each row's generator (the record stores the
# sampling_mode constants; "this machine" there is the machine that computed the record).
GENERATOR_WORDS = {KEPT: "the run's own", BITWISE: "trained again, bitwise the run's",
                   RETRAINED: "trained again, not bitwise the run's"}
# Widths whose FIDs in one mode lie closer than this are called a near-tie in the reading. A
# guess, said as such in the reading: FID's spread over noise draws at a reduced profile's N is
# not measured here (at cpu the standard errors over seeds, width_noise, are above 10).
NEAR_TIE = 1.0


def _near_ties(rows: list[dict[str, Any]], side: str, label: str, mode: str) -> list[str]:
    """Pairs of widths next to each other in ``mode``'s order whose FIDs differ by less than
    :data:`NEAR_TIE`, as "k = 64 and 32 (0.18 apart in train mode)"."""
    key = f"fid_{mode}_mode"
    ranked = sorted(rows, key=lambda r: r[key])
    pairs = [(a, b, b[key] - a[key]) for a, b in zip(ranked, ranked[1:], strict=False)]
    return [f"{label} = {a[side]} and {b[side]} ({gap:.2f} apart in {mode} mode)"
            for a, b, gap in pairs if gap < NEAR_TIE]


def mode_reading(rows: list[dict[str, Any]], side: str = "k_g", label: str | None = None,
                 noise: dict[str, float] | None = None, regime: str = "",
                 missing: list[int] | None = None) -> str:
    """In words: the largest change of FID from eval to train mode, and whether ordering the
    widths by FID gives the same order in both modes, naming near-ties (``rows``: the record's
    runs; ``side``: the varied width, named ``label`` in the text). ``noise``
    (:func:`width_noise`): the yardsticks a one-seed change is read against; ``regime``: the
    profile's iterations and N, said because the result need not hold for converged models;
    ``missing``: widths of the sweep with no measured run. Plain text (it is glued)."""
    import numpy as np

    label = label or side
    diff = mode_differences(rows)
    widths = [int(r[side]) for r in rows]
    order = {m: [int(r[side]) for r in sorted(rows, key=lambda r: r[f"fid_{m}_mode"])]
             for m in ("eval", "train")}
    i = int(np.argmax(np.abs(diff)))
    same = order["eval"] == order["train"]
    ties = _near_ties(rows, side, label, "eval") + _near_ties(rows, side, label, "train")
    text = (f"{regime}train-mode minus eval-mode FID is {', '.join(f'{d:+.2f}' for d in diff)} "
            f"at {label} = {', '.join(map(str, widths))} (largest in size at {label} = "
            f"{widths[i]}); ordered by FID, the widths read "
            f"{', '.join(map(str, order['eval']))} in eval mode and "
            f"{', '.join(map(str, order['train']))} in train mode, "
            + ("the same order" if same else "a different order")
            + (f", with near-ties (less than {NEAR_TIE:g} apart, the book's guess at FID's "
               f"noise at this N, which is not measured) that a different noise draw could "
               f"swap: {'; '.join(ties)}" if ties else "") + ".")
    if noise:
        text += " " + _against_noise(float(np.max(np.abs(diff))), noise, label)
    if missing:
        text += (f" Not measured ({label} = {', '.join(map(str, missing))}): no completed run of "
                 f"the first seed.")
    checked = [(r, f) for r in rows if (f := scored_run_fid(r)) is not None]
    if checked:
        worst = max(abs(r["fid_eval_mode"] - f) for r, f in checked)
        again = sum(r.get("generator", KEPT) == RETRAINED for r, _ in checked)
        whose = ("the stored runs" if not again else
                 "the runs trained again for this record" if again == len(checked) else
                 "the runs that made them (stored, or trained again for this record)")
        text += (f" The eval-mode FIDs reproduce the final FIDs of {whose} to within "
                 f"{worst:.2g}" + ("" if len(checked) == len(rows) else
                                   f" ({len(checked)} of the {len(rows)} rows checked)") + ".")
    other = [r for r in rows if r.get("generator", KEPT) == RETRAINED]
    if other:
        gap = max(abs(r["fid_eval_mode"] - r["fid_stored"]) for r in other)
        text += (f" {len(other)} of the {len(rows)} generators were trained again on the machine "
                 f"that computed this record and are not bitwise the stored runs' (the runs were "
                 f"trained on another machine or build: other rounding, so another sample of "
                 f"the same training); their eval-mode FIDs differ from the stored runs' final "
                 f"FIDs by up to {gap:.2f}, so this measures the eval-mode choice on runs like "
                 f"the stored ones, not on the stored runs themselves.")
    return text


def _against_noise(largest: float, noise: dict[str, Any], label: str) -> str:
    """The largest one-seed change read against ``noise`` (:func:`width_noise`): below or above
    every width's standard error, and whether it exceeds the smallest gap between two widths'
    means, so that the sampling mode alone could swap those two in the verdicts' comparison."""
    lo, hi, gap = noise["se_lo"], noise["se_hi"], noise["gap"]
    size = ("below every width's standard error" if largest < lo else
            "above every width's standard error" if largest > hi else
            "within the widths' standard errors")
    a, b = noise["gap_widths"]
    swap = (f"it exceeds the smallest gap between two widths' means ({gap:.2f}, {label} = {a} "
            f"and {b}), so the sampling mode alone could swap those two in the comparison the "
            f"verdicts make" if largest > gap else
            f"it is below the smallest gap between two widths' means ({gap:.2f}, {label} = {a} "
            f"and {b}), which the verdicts compare")
    return (f"One seed per width: the largest change ({largest:.2f}) is {size} (the standard "
            f"error of a width's mean final FID over its seeds, {lo:.1f} to {hi:.1f}); {swap}; "
            f"whether a change is the same at every seed is not measured.")


def width_noise(view: SweepView) -> dict[str, Any] | None:
    """The yardsticks for a one-seed change at ``view``'s widths: the smallest and largest
    standard error of a width's mean final FID train over its finished seeds (``se_lo``,
    ``se_hi``; widths with two or more), and the smallest gap between two widths' means
    (``gap``, between the widths ``gap_widths``, lower mean first); None without a width of two
    seeds."""
    import numpy as np

    from ..matrices import width_matrix

    widths, F = width_matrix(view.configs, view.recs, "fid_train")
    se = [float(np.std(row[np.isfinite(row)], ddof=1) / np.sqrt(np.isfinite(row).sum()))
          for row in F if np.isfinite(row).sum() >= 2]
    means = sorted((float(np.mean(row[np.isfinite(row)])), int(w))
                   for w, row in zip(widths, F, strict=True) if np.isfinite(row).any())
    if not se or len(means) < 2:
        return None
    gaps = [b[0] - a[0] for a, b in pairwise(means)]
    j = int(np.argmin(gaps))  # the first of equal gaps, as min would
    return {"se_lo": min(se), "se_hi": max(se), "gap": gaps[j],
            "gap_widths": (means[j][1], means[j + 1][1])}


def _fid_or_dash(fid: float | None) -> str:
    return "—" if fid is None else f"{fid:.2f}"


def sampling_mode_markdown(views: Views, profile: str
                           ) -> tuple[str, dict[str, str], list[Record]]:
    """The table of every sweep's first-seed runs at ``profile`` (or the line naming the
    command that computes it), per sweep with a record :func:`mode_reading`, and the records;
    computed here where the generators are on this machine
    (:func:`..sampling_mode.sampling_mode_record`)."""
    from ..matrices import varied_side, width_name

    rows = ["| sweep | width | generator | FID of the stored run | FID of the run trained "
            "again | FID, eval mode | FID, train mode | train − eval |",
            "|---|---:|---|---:|---:|---:|---:|---:|"]
    readings, pending, records = {}, [], []
    for name, by_profile in views.items():
        v: SweepView | None = by_profile.get(profile)
        if v is None or not first_seed_runs(v):
            continue
        rec = sampling_mode_record(v)
        if rec is None:
            pending.append(f"`{name}` [{profile}]: not measured; its generators are not on "
                           f"this machine, and `{restore_command(v)}` trains the first seed's "
                           f"runs again and measures them (keeping each generator that is "
                           f"bitwise the stored run's).")
            continue
        records.append(rec)
        side, label = varied_side(v.configs), width_name(v.configs)
        for r in rec["runs"]:
            how = GENERATOR_WORDS.get(r.get("generator", KEPT), r.get("generator"))
            rows.append(f"| `{name}` | {label} = {r[side]} | {how} | "
                        f"{r['fid_stored']:.2f} | "
                        f"{_fid_or_dash(r.get('fid_retrained'))} | {r['fid_eval_mode']:.2f} | "
                        f"{r['fid_train_mode']:.2f} | "
                        f"{r['fid_train_mode'] - r['fid_eval_mode']:+.2f} |")
        measured = {int(r[side]) for r in rec["runs"]}
        missing = [int(w) for w in v.cfg.get("widths", []) if int(w) not in measured]
        regime = (f"At `{profile}` ({v.cfg['iters']:,} generator iterations, FID on N = "
                  f"{v.cfg['eval_n']:,}, far from the data; this says nothing about converged "
                  f"models): " if profile != "paper" else "")
        readings[name] = mode_reading(rec["runs"], side, label, width_noise(v), regime, missing)
    text = "\n".join(rows) if len(rows) > 2 else ""
    if pending:
        text += ("\n\n" if text else "") + "\n".join(f"- {p}" for p in pending)
    return text, readings, records


def sampling_modes(views: Views, profile: str) -> None:
    """Show :func:`sampling_mode_markdown` with its records' provenance (the chapter's box
    above covers the runs, not these measurements: they may come from another machine and
    commit) and glue ``sampling_mode_reading`` (each sweep's reading, or why there is none) for
    the setup's eval-mode paragraph."""
    from ...book import glue, show_provenance

    text, readings, records = sampling_mode_markdown(views, profile)
    if text:
        display(Markdown(text))
    if records:
        show_provenance(*records)
    glue("sampling_mode_reading", " ".join(f"{n}: {t}" for n, t in readings.items())
         or f"not measured at `{profile}` on this machine (the line above names the command)")
