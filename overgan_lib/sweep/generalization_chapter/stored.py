"""What chapter "Generalization" finds in the store before it computes anything: the records
it loads or computes (:func:`chapter_records`), those it would compute now
(:func:`records_to_compute`), a one-line stop at `gpu` and `paper` where it would compute
any (:func:`require_stored`), and what the stored records cost (:func:`rerun_cost_text`).

The chapter computes its records with NND critics on the CPU (its calls keep the metrics'
default device), which at `gpu` and `paper` means hours per record; no lent-device stage of
``tools/gpu_session.py`` (:data:`..lent_device.SWEEP_STAGES`) produces them yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ... import stored_guard
from ...profiles import check_profile, settings
from .. import generalization as rules


@dataclass(frozen=True)
class ChapterRecord:
    """One record the chapter reads through :func:`overgan_lib.book.run`: its experiment,
    the config it is stored under (the settings plus the seed) and, for the records of a
    sweep's generators, that sweep."""

    experiment: str
    config: dict[str, Any]
    sweep: str | None = None

    def name(self) -> str:
        """The record as the chapter's messages name it."""
        what = self.config.get("source", self.sweep)
        return self.experiment + ("" if what is None else f" of {what}")


def _single(experiment: str, profile: str, seed: int) -> ChapterRecord:
    return ChapterRecord(experiment, {**settings(experiment, profile), "seed": seed})


def sweep_record_config(sweep: str, gcfg: dict[str, Any]) -> dict[str, Any]:
    """The config (less the seed) of the ``generalization`` record of ``sweep``'s generators
    under the settings ``gcfg``: the chapter stores and :func:`chapter_records` finds it so."""
    return {"sweep": sweep, "seeds": gcfg["seeds"]}


def crossover_record_config(source: str, xcfg: dict[str, Any]) -> dict[str, Any]:
    """The config (less the seed) of the ``nnd_crossover`` record of the critics of
    ``source`` (a sweep or ``baselines``) under the settings ``xcfg``."""
    return {"source": source, "seeds": xcfg["seeds"]}


def chapter_records(profile: str, seed: int) -> list[ChapterRecord]:
    """Every record the chapter loads or computes at ``profile``, keyed as the chapter keys
    them: the baselines' NND, neighbours and FID, the no-repeat floor (only where unrepeated
    training images last a critic run, :func:`..generalization.can_draw_fresh`), the fit-set
    experiment, one ``generalization`` record per sweep and one ``nnd_crossover`` record per
    source of critics."""
    check_profile(profile)
    out = [_single(e, profile, seed) for e in ("generalization_baselines",
                                                "neighbour_baselines")]
    if rules.can_draw_fresh(settings("nnd_floor", profile)):
        out.append(_single("nnd_floor", profile, seed))
    out += [_single(e, profile, seed) for e in ("generalization_fid", "nnd_fit_views")]
    gcfg = settings("generalization", profile)
    out += [ChapterRecord("generalization", {**sweep_record_config(s, gcfg), "seed": seed}, s)
            for s in gcfg["sweeps"]]
    xcfg = settings("nnd_crossover", profile)
    out += [ChapterRecord("nnd_crossover", {**crossover_record_config(s, xcfg), "seed": seed},
                          None if s == "baselines" else s) for s in xcfg["sources"]]
    return out


def _sweep_trained(sweep: str, profile: str, seed: int) -> bool:
    """Whether ``sweep``'s runs are all stored at ``profile`` (its generators can be scored)."""
    from ..view import sweep_view

    return sweep_view(sweep, profile, seed, train_missing=False).complete


def records_to_compute(profile: str, seed: int, rerun: bool = False) -> list[ChapterRecord]:
    """The records the chapter would compute at ``profile`` now: those not stored (every one
    with ``rerun``), less the ones of a sweep whose runs are not all stored (the chapter notes
    those as pending instead)."""
    from ...store import load

    trained: dict[str, bool] = {}
    out = []
    for rec in chapter_records(profile, seed):
        if not rerun and load(rec.experiment, profile, rec.config) is not None:
            continue
        if rec.sweep is not None and not trained.setdefault(
                rec.sweep, _sweep_trained(rec.sweep, profile, seed)):
            continue
        out.append(rec)
    return out


def require_stored(profile: str, seed: int, rerun: bool) -> None:
    """Stop with one line at `gpu` and `paper` where the chapter would compute any record
    (``rerun``: all of them), naming them: its NND critics would run on the CPU for hours,
    the records need a GPU, and no lent-device stage produces them yet. Below `gpu` it
    returns (the records there are this machine's work). The stop is
    :func:`overgan_lib.stored_guard.require_stored`."""
    if check_profile(profile) not in stored_guard.GPU_PROFILES:
        return
    todo = [r.name() for r in records_to_compute(profile, seed, rerun)]
    stored_guard.require_stored(
        "chapter 10", profile, todo, "its NND critics on the CPU, for hours: they need a GPU, "
        "and no lent-device stage (tools/gpu_session.py) produces them yet", rerun)


def rerun_seconds(profile: str, seed: int) -> tuple[float, int, int, list[str]]:
    """What the stored records of the chapter at ``profile`` took to compute: (wall seconds
    summed over their provenance's ``wall_time_s``, records stored, records the chapter
    reads, the devices they ran on)."""
    from ...store import load

    recs = chapter_records(profile, seed)
    stored = [r for r in (load(c.experiment, profile, c.config) for c in recs) if r is not None]
    devices = list(dict.fromkeys(r.provenance.get("device", "?") for r in stored))
    return (float(sum(r.provenance["wall_time_s"] for r in stored)), len(stored), len(recs),
            devices)


def rerun_cost_text(profile: str, seed: int) -> str:
    """What ``rerun=True`` costs at ``profile``, from the stored records' wall times, in
    words (plain text, for glue)."""
    seconds, stored, total, devices = rerun_seconds(profile, seed)
    if not stored:
        return f"No record of this chapter is stored at profile {profile}, so its cost is unknown."
    part = ("they took" if stored == total else
            f"the {stored} of them that are stored took")
    return (f"At profile {profile}, rerun=True recomputes all {total} of this chapter's own "
            f"records (the sweeps' generators it scores are only read); {part} "
            f"{seconds:,.0f} s to compute (about "
            f"{seconds / 3600:.1f} hours, the sum of their provenance's wall times) on "
            f"{', '.join(devices)}.")
