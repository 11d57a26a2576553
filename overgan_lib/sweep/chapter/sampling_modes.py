"""The setup section's measurement of the eval-mode choice: FID of each width's first-seed
generator sampled in eval mode (batch norm's running statistics, what every FID here uses)
and in train mode (batch statistics), from :mod:`..sampling_mode`, with a reading of whether
the choice moves the widths' order. Where the record is not stored and the generators are not
on this machine, one line names the command that computes it."""

from __future__ import annotations

from typing import Any

from IPython.display import Markdown, display

from ..sampling_mode import (
    KEPT,
    RETRAINED,
    first_seed_runs,
    mode_differences,
    restore_command,
    sampling_mode_record,
)
from ..view import SweepView
from ._types import Views


def mode_reading(rows: list[dict[str, Any]], side: str = "k_g", label: str | None = None,
                 spread: tuple[float, float] | None = None) -> str:
    """In words: the largest change of FID from eval to train mode, and whether ordering the
    widths by FID gives the same order in both modes (``rows``: the record's runs; ``side``:
    the varied width, named ``label`` in the text; ``spread``: the smallest and largest
    standard deviation of the sweep's final FID over seeds at a width, the noise a one-seed
    change is to be read against). Plain text (it is glued)."""
    import numpy as np

    label = label or side

    diff = mode_differences(rows)
    widths = [int(r[side]) for r in rows]
    order = {m: [w for _, w in sorted(zip([r[f"fid_{m}_mode"] for r in rows], widths,
                                          strict=True))] for m in ("eval", "train")}
    i = int(np.argmax(np.abs(diff)))
    same = order["eval"] == order["train"]
    noise = ("the seeds' spread" if spread is None else
             f"the seeds' spread of final FID at a width (standard deviation {spread[0]:.1f} to "
             f"{spread[1]:.1f})")
    text = (f"train-mode minus eval-mode FID is {', '.join(f'{d:+.1f}' for d in diff)} at "
            f"{label} = {', '.join(map(str, widths))} (largest in size at {label} = "
            f"{widths[i]}); ordered by FID, the widths read "
            f"{', '.join(map(str, order['eval']))} in eval mode and "
            f"{', '.join(map(str, order['train']))} in train mode, "
            + ("the same order" if same else "a different order")
            + f" (one seed per width: read the changes against {noise}).")
    exact = [r for r in rows if r.get("generator", KEPT) != RETRAINED]
    other = [r for r in rows if r.get("generator", KEPT) == RETRAINED]
    if exact:
        check = max(abs(r["fid_eval_mode"] - r["fid_stored"]) for r in exact)
        text += (f" The eval-mode FIDs of the runs' own generators reproduce their stored final "
                 f"FIDs to within {check:.2g}.")
    if other:
        gap = max(abs(r["fid_eval_mode"] - r["fid_stored"]) for r in other)
        text += (f" {len(other)} of the {len(rows)} generators were trained again on this "
                 f"machine and are not bitwise the stored runs' (trained on another machine or "
                 f"build: other rounding, so another sample of the same training); their "
                 f"eval-mode FIDs differ from the "
                 f"stored runs' by up to {gap:.1f}, so this measures the eval-mode choice on "
                 f"runs like the stored ones, not on the stored runs themselves.")
    return text


def seed_spread(view: SweepView) -> tuple[float, float] | None:
    """The smallest and largest standard deviation over seeds of the sweep's final FID
    train at a width (widths with two or more finished seeds); None without any."""
    import numpy as np

    from ..matrices import width_matrix

    _, F = width_matrix(view.configs, view.recs, "fid_train")
    sd = [float(np.std(row[np.isfinite(row)], ddof=1)) for row in F
          if np.isfinite(row).sum() >= 2]
    return (min(sd), max(sd)) if sd else None


def sampling_mode_markdown(views: Views, profile: str) -> tuple[str, dict[str, str]]:
    """The table of every sweep's first-seed runs at ``profile`` (or the line naming the
    command that computes it) and, per sweep with a record, :func:`mode_reading`; computed
    here where the generators are on this machine (:func:`..sampling_mode.sampling_mode_record`)."""
    from ..matrices import varied_side, width_name

    rows = ["| sweep | width | generator | FID stored (eval mode) | FID, eval mode | "
            "FID, train mode | train − eval |", "|---|---:|---|---:|---:|---:|---:|"]
    readings, pending = {}, []
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
        side, label = varied_side(v.configs), width_name(v.configs)
        for r in rec["runs"]:
            rows.append(f"| `{name}` | {label} = {r[side]} | {r.get('generator', KEPT)} | "
                        f"{r['fid_stored']:.1f} | {r['fid_eval_mode']:.1f} | "
                        f"{r['fid_train_mode']:.1f} | "
                        f"{r['fid_train_mode'] - r['fid_eval_mode']:+.1f} |")
        readings[name] = mode_reading(rec["runs"], side, label, seed_spread(v))
    text = "\n".join(rows) if len(rows) > 2 else ""
    if pending:
        text += ("\n\n" if text else "") + "\n".join(f"- {p}" for p in pending)
    return text, readings


def sampling_modes(views: Views, profile: str) -> None:
    """Show :func:`sampling_mode_markdown` and glue ``sampling_mode_reading`` (each sweep's
    reading, or why there is none) for the setup's eval-mode paragraph."""
    from ...book import glue

    text, readings = sampling_mode_markdown(views, profile)
    if text:
        display(Markdown(text))
    glue("sampling_mode_reading", " ".join(f"{n}: {t}" for n, t in readings.items())
         or f"not measured at `{profile}` on this machine (the line above names the command)")
