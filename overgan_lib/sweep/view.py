"""A named sweep as a chapter sees it: settings, configs, records, summary, status.

Chapters show every profile whose results exist (``cpu`` beside ``gpu``), train missing
runs only when asked (``train_missing``; by default only at ``smoke``, so ``make book``
renders from committed results and never starts an hour of training by surprise), and list
what is missing as pending, with the exact command that produces it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..errors import OneLineError
from ..profiles import PROFILES, settings
from ..store import Record, load
from ..train import TrainConfig
from .grid import experiment_configs
from .registry import SweepSpec, spec
from .run import records, run_experiment, summary_key


@dataclass
class SweepView:
    """One named sweep at one profile."""

    spec: SweepSpec
    profile: str
    cfg: dict[str, Any]
    configs: list[TrainConfig]
    recs: list[Record | None]
    summary: Record | None

    @property
    def done(self) -> list[Record]:
        return [r for r in self.recs if r is not None]

    @property
    def complete(self) -> bool:
        return all(r is not None for r in self.recs)

    @property
    def command(self) -> str:
        return f"overgan sweep {self.spec.name} --profile {self.profile}"

    @property
    def floor(self) -> float:
        """FID between train and test images at the sweep's N: stored with the summary, else
        with another stored sweep summary of the same dataset and N (:func:`stored_floor`:
        a sweep run on a subset of stored runs, e.g. a chapter's ``overrides``, stores no
        summary of its own); NaN when none is stored."""
        return self._floor()[0]

    @property
    def floor_source(self) -> str:
        """Where :attr:`floor` comes from when not from this sweep's own summary (the
        record that holds it); '' when it is the sweep's own, or there is none."""
        return self._floor()[1]

    def _floor(self) -> tuple[float, str]:
        """(:attr:`floor`, :attr:`floor_source`)."""
        if self.summary is not None and "floor" in self.summary.data:
            return float(self.summary["floor"]["fid"]), ""
        return stored_floor(self.spec.dataset, int(self.cfg["eval_n"]), self.profile)

    def require_complete(self, overrides: dict | None = None) -> None:
        """Raise a one-line error naming the command that trains the missing runs (a chapter
        that needs every run, and was not asked to train them, stops here rather than start
        hours of training by surprise)."""
        if self.complete:
            return
        sets = "".join(f" --set {k}={json.dumps(v, separators=(',', ':'))}"
                       for k, v in (overrides or {}).items())  # as `overgan sweep` parses it
        raise OneLineError(f"{self.spec.name} at profile {self.profile}: {len(self.done)} of "
                           f"{len(self.recs)} runs stored; train them with `{self.command}"
                           f"{sets}`, or rerun the chapter with train_missing=True")

    def status(self) -> str:
        n = len(self.done)
        if self.complete:
            return f"{n} of {len(self.recs)} runs stored"
        return f"pending: {n} of {len(self.recs)} runs stored; run `{self.command}`"


def stored_floor(dataset: str, n: int, profile: str) -> tuple[float, str]:
    """The data's own train-vs-test FID at ``n`` images (it depends on the dataset and N
    only) from another stored sweep summary of the same dataset at this profile (the same
    machine's data copy, as far as a profile's records go), the newest first, and that
    record's path relative to the results root; (NaN, '') when none holds it."""
    from ..store import records, results_root
    from .registry import SWEEPS

    found = [(rec.provenance.get("created_utc", ""), float(rec.data["floor"]["fid"]),
              str(rec.path.relative_to(results_root())))
             for name, s in SWEEPS.items() if s.dataset == dataset
             for rec in records(f"sweep_{name}", profile)
             if (rec.data.get("floor") or {}).get("n_train") == n]
    return max(found)[1:] if found else (float("nan"), "")


class RunsFailed(OneLineError, RuntimeError):
    """Runs of a sweep failed (crashed, not diverged): what the summary says of them."""


def check_runs_ran(name: str, summary: Record | None) -> None:
    """Raise :class:`RunsFailed` when the sweep ``summary`` just stored lists failed runs (a
    worker crashed: no record was written), naming how many and the first one's message; a
    spawned worker pool that cannot start in a script gets the remedy. Diverged runs are
    results, not failures."""
    rows = [] if summary is None else [r for r in summary["rows"] if r["status"] == "failed"]
    if not rows:
        return
    first = rows[0]["message"]
    hint = (" (worker processes could not start: in a script, run the sweep under "
            "`if __name__ == \"__main__\":`, or set workers=1)"
            if "BrokenProcessPool" in first or "bootstrapping" in first else "")
    raise RunsFailed(f"{name}: {len(rows)} of {len(summary['rows'])} runs failed, no record "
                     f"stored for them; first: {first}{hint}")


def sweep_view(name: str, profile: str, seed: int = 0, overrides: dict | None = None,
               train_missing: bool = False, rerun: bool = False, progress: bool = True
               ) -> SweepView:
    """Load (and, with ``train_missing`` or ``rerun``, complete) a named sweep."""
    s = spec(name)
    cfg = settings(name, profile, **(overrides or {}))
    configs = experiment_configs(name, cfg, seed)
    if train_missing or rerun:
        recs, summary = run_experiment(name, profile, cfg, seed, rerun=rerun, progress=progress)
        check_runs_ran(name, summary)
    else:
        recs = records(configs, profile)
        summary = load(f"sweep_{name}", profile, summary_key(configs))
    return SweepView(s, profile, cfg, configs, recs, summary)


def available_views(name: str, profile: str, seed: int = 0, overrides: dict | None = None,
                    train_missing: bool | None = None, rerun: bool = False
                    ) -> dict[str, SweepView]:
    """The executed profile's view (training missing runs at smoke, or when asked), plus
    every other non-smoke profile with stored runs, for side-by-side figures."""
    train = profile == "smoke" if train_missing is None else train_missing
    views = {profile: sweep_view(name, profile, seed, overrides, train, rerun)}
    if profile != "smoke":
        for other in PROFILES:
            if other not in (profile, "smoke"):
                v = sweep_view(name, other, seed)
                if v.done:
                    views[other] = v
    return views
