"""The rules of the status page: a claim's stored results -> pending, partial or
reproduced (see :mod:`overgan_lib.status`), and the page's table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..profiles import PROFILES
from ..provenance import provenance_status
from ..store import REPO_ROOT, Record, config_key, records

VERDICTS = ("reproduced", "not reproduced", "partial", "pending")
#: Profiles at which an experiment is a full (not reduced) run. The theory chapters run at full
#: size from ``cpu`` up (the paper gives no sizes for Figs. 2 and 9); the image experiments are
#: reduced below ``paper``.
THEORY_FULL = ("cpu", "gpu", "paper")
PAPER_ONLY = ("paper",)
# What a check says of reduced-scale results, by its answer (Status.reading).
READINGS = {True: "for", False: "against", None: "cannot tell"}

#: A claim's check: (True: the finding holds, False: it fails, None: cannot tell, e.g. not
#: testable on these results; the row is then partial), and why.
Check = Callable[[dict[str, list[Record]]], tuple[bool | None, str]]


@dataclass(frozen=True)
class Claim:
    """One figure or claim of the paper, where the book shows it and what backs it."""

    key: str
    what: str
    chapter: str  # book/<chapter>.md; may not exist yet
    experiments: tuple[str, ...]
    full_profiles: tuple[str, ...] = PAPER_ONLY
    check: Check | None = None
    #: Not a claim of the paper but what the claims rest on (e.g. the FID floors): shown in
    #: its own table and left out of the counts.
    infrastructure: bool = False
    #: Whose claim it is: "paper" (Balaji et al.), "related" (a related paper's, Part III) or
    #: "book" (this book's own extension); the status page counts them apart.
    source: str = "paper"
    #: Why even the claim's full-scale results are not the paper's setting ('' when they
    #: are): a row with a reason here is at most *partial*, its passing check quoted beside.
    capped: str = ""


@dataclass
class Status:
    """The verdict of one claim with the provenance of the results it rests on."""

    claim: Claim
    verdict: str
    reason: str
    profiles: list[str]
    profile: str | None = None  # the profile whose results the provenance columns describe
    shas: list[str] = field(default_factory=list)
    dirty: bool | None = None
    wall_time_s: float | None = None
    devices: list[str] = field(default_factory=list)
    runs: int = 0
    # A partial claim's check run on its reduced-scale results: "for", "against" or "cannot
    # tell" (None where no check ran there). Never a verdict: it says which way "partial" leans.
    reading: str | None = None


def chapter_configs(experiment: str, profile: str) -> list[dict] | None:
    """The configs under which the book's chapters store ``experiment`` at ``profile`` when
    run as published (seed 0, no overrides). A chapter rerun with another seed or overrides
    stores records beside them (README: "Rerunning one chapter"); those are not what the
    chapter shows, so the status page never judges them. None for an experiment no profile
    table describes (every record then counts)."""
    from ..profiles import experiments, settings

    if experiment.startswith("sweep_"):  # a sweep's summary: keyed by the runs it covers
        from ..sweep.grid import experiment_configs
        from ..sweep.run import summary_key

        name = experiment.removeprefix("sweep_")
        return [summary_key(experiment_configs(name, settings(name, profile)))]
    if experiment == "generalization":  # one record per scored sweep
        cfg = settings(experiment, profile)
        return [{"sweep": n, "seeds": cfg["seeds"], "seed": 0} for n in cfg["sweeps"]]
    if experiment == "nnd_crossover":  # one record per source of critics
        cfg = settings(experiment, profile)
        return [{"source": s, "seeds": cfg["seeds"], "seed": 0} for s in cfg["sources"]]
    # Chapter 3 stores the spectrum under the perturbation sweep's settings.
    table = {"spectrum": "perturbation"}.get(experiment, experiment)
    if table not in experiments():
        return None
    return [{**settings(table, profile), "seed": 0}]


def _stored(experiment: str) -> dict[str, list[Record]]:
    """The records the chapters show of ``experiment`` (:func:`chapter_configs`), by non-smoke
    profile (profiles in PROFILES order)."""
    out: dict[str, list[Record]] = {}
    for profile in PROFILES:
        if profile == "smoke":
            continue
        recs = records(experiment, profile)
        if (configs := chapter_configs(experiment, profile)) is not None:
            keys = {config_key(c) for c in configs}
            recs = [r for r in recs if r.path.stem in keys]
        if recs:
            out[profile] = recs
    return out


def _best_profile(by_exp: dict[str, dict[str, list[Record]]], claim: Claim) -> str | None:
    """The largest profile at which every experiment of the claim has results, if any."""
    common = [p for p in PROFILES if p != "smoke" and all(p in r for r in by_exp.values())]
    full = [p for p in common if p in claim.full_profiles]
    return (full or common or [None])[-1]


def _run_check(check: Check, recs: dict[str, list[Record]]) -> tuple[bool | None, str]:
    """``check(recs)``, or (None, the error) when it cannot run: one record a check cannot
    read (e.g. an older record without a key it needs) demotes its row, not the whole page."""
    try:
        return check(recs)
    except Exception as exc:  # noqa: BLE001 - any failure is reported in the row
        return None, f"the check could not run ({type(exc).__name__}: {exc})"


def _backing(record: Record) -> list[Record]:
    """A record and the records its numbers come from: a sweep's summary is saved again with
    the current commit whenever any of its runs trains, so its runs are checked too."""
    if not record.experiment.startswith("sweep_"):
        return [record]
    from ..sweep.view import sweep_view

    name = record.experiment.removeprefix("sweep_")
    return [record, *sweep_view(name, str(record.provenance["profile"])).done]


def all_of(oks: Sequence[bool | None]) -> bool | None:
    """Several checks' outcomes as one: False if any is False, else None (cannot tell) if any
    is None, else True."""
    return False if any(ok is False for ok in oks) else None if None in oks else True


def _no_check(claim: Claim) -> str:
    """Why a claim without a check stays partial, naming whose finding it is."""
    whose = "the book's claim" if claim.source == "book" else "the paper's finding"
    return f"no automatic check of {whose}"


def claim_status(claim: Claim) -> Status:
    """Apply the module's rules to what the store holds for ``claim``."""
    by_exp = {e: _stored(e) for e in claim.experiments}
    profiles = [p for p in PROFILES if any(p in r for r in by_exp.values())]
    if not profiles:
        return Status(claim, "pending", "no stored result yet", [])
    missing = [e for e, r in by_exp.items() if not r]
    best = _best_profile(by_exp, claim)
    if best is None:  # results exist, but no profile covers every experiment
        return Status(claim, "partial", f"no result yet for {', '.join(missing) or 'some'}"
                      " at a common profile", profiles)
    recs = {e: r[best] for e, r in by_exp.items()}
    flat = [rec for rs in recs.values() for rec in rs]
    prov = [rec.provenance for rec in flat]
    st = Status(
        claim, "partial", "", profiles, best,
        shas=sorted({str(p.get("git_sha", "?"))[:8] for p in prov}),
        dirty=any(bool(p.get("git_dirty")) for p in prov),
        wall_time_s=float(sum(float(p.get("wall_time_s", 0.0)) for p in prov)),
        devices=sorted({str(p.get("device", "?")) for p in prov}),
        runs=len(flat),
    )
    backing = {r.experiment: [provenance_status(b) for b in _backing(r)] for r in flat}
    changed = {e: [s["changed"] for s in sts] for e, sts in backing.items()}
    retrained = sorted(e for e, sts in backing.items() if any(s["retrained"] for s in sts))
    stale = sorted(e for e, c in changed.items() if any(c))
    # No git history for a result's commit (e.g. a source archive): nothing says it is stale,
    # and nothing says it is not; the verdict stands with that said.
    unknown = sorted(e for e, c in changed.items() if None in c and not any(c))
    if stale or retrained:  # recompute before judging
        why = ([f"code changed since computed: {', '.join(stale)}"] if stale else []) + (
            [f"generators scored retrained since: {', '.join(retrained)}"] if retrained else [])
        st.reason = (f"{'; '.join(why)} (`overgan results --stale` lists them with the "
                     f"commands that recompute them)")
        if claim.check is not None:
            st.reason += f". At {best}, as stored: {_run_check(claim.check, recs)[1]}"
    elif best not in claim.full_profiles:
        st.reason = f"reduced scale ({best}); full scale needs {'/'.join(claim.full_profiles)}"
        if claim.check is None:
            st.reason += f"; {_no_check(claim)}"
        else:  # what the reduced results say, never a verdict of record
            ok, why = _run_check(claim.check, recs)
            st.reason += f". At {best}: {why}"
            st.reading = READINGS[ok]
    elif st.dirty:
        st.reason = "computed from a dirty tree (uncommitted code)"
    elif claim.check is None:
        st.reason = _no_check(claim)
    else:
        ok, why = _run_check(claim.check, recs)
        st.verdict, st.reason = {True: ("reproduced", why),
                                 None: ("partial", f"cannot tell: {why}"),
                                 False: ("not reproduced", f"check fails: {why}")}[ok]
        if ok and claim.capped:  # full scale by the profile, not by the paper's setting
            st.verdict, st.reason = "partial", f"capped at partial: {claim.capped}. {why}"
    if unknown:
        st.reason += (f" (whether the code changed since cannot be checked without the git "
                      f"history: {', '.join(unknown)})")
    return st


def _chapter_cell(chapter: str, book_dir: Path) -> str:
    """A cross-reference to the chapter if it exists, else its planned name."""
    if (book_dir / f"{chapter}.md").exists():
        return f"{{doc}}`{chapter}`"
    return f"{chapter} (planned)"


def markdown_table(rows: Sequence[Status], book_dir: Path | None = None) -> str:
    """The status page's table as MyST Markdown (chapter names become cross-references)."""
    book_dir = book_dir if book_dir is not None else REPO_ROOT / "book"
    head = ("| figure / claim | chapter | profiles | verdict | why | git sha | tree "
            "| wall time | device |\n|---|---|---|---|---|---|---|---|---|")
    lines = [head]
    for s in rows:
        tree = "—" if s.dirty is None else ("dirty" if s.dirty else "clean")
        runs = f"{s.runs} stored result" + ("s" if s.runs != 1 else "")
        wall = "—" if s.wall_time_s is None else f"{s.wall_time_s:,.0f} s ({runs})"
        profs = ", ".join(f"**{p}**" if p == s.profile else p for p in s.profiles) or "—"
        verdict = f"**{s.verdict}**" + (f" (reduced-scale reading: {s.reading})"
                                        if s.reading else "")
        cells = [s.claim.what, _chapter_cell(s.claim.chapter, book_dir), profs, verdict,
                 s.reason, " ".join(s.shas) or "—", tree, wall, "; ".join(s.devices) or "—"]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines)


def short_name(claim: Claim) -> str:
    """A claim's name as the page's prose lists it: its ``what`` up to the first colon (for a
    related paper's claim, the paper)."""
    head, _, rest = claim.what.partition(":")
    return rest.split(",")[0].strip() if head == "Related" else head


def summary_text(rows: Sequence[Status]) -> str:
    """The status page's reading of its table: the paper's claims in two groups (theory and
    small simulations, judged at the sizes the chapters state; image experiments, full scale
    only at the paper profile), then the related papers' and the book's own (infrastructure
    rows are not claims). Each group gives its counts, its reproduced claims by name, and
    which way its partial claims' reduced-scale readings lean (:attr:`Status.reading`)."""

    def claims(source: str) -> list[Status]:
        return [r for r in rows if r.claim.source == source and not r.claim.infrastructure]

    paper = claims("paper")
    images = [r for r in paper if r.claim.full_profiles == PAPER_ONLY]
    theory = [r for r in paper if r.claim.full_profiles != PAPER_ONLY]
    text = (f"Of the paper's {len(paper)} claims, {len(theory)} are theory checks and small "
            f"simulations, judged at the sizes the chapters state, and {len(images)} are image "
            f"experiments, at full scale only at the paper profile.")
    groups = ((theory, "Theory and simulations", True), (images, "Image experiments", True),
              (claims("related"), "Of the related papers' claims", False),
              (claims("book"), "Of the book's own claims", False))
    for group, what, named in groups:
        if group:
            text += " " + _group_text(group, what, named)
    return text


def _group_text(group: Sequence[Status], what: str, named: bool) -> str:
    """One group's sentence of :func:`summary_text`: counts, reproduced names (``named``) and
    the partial claims' reduced-scale readings."""
    n = counts(group)
    text = f"{what} ({len(group)}): " + ", ".join(f"{n[v]} {v}" for v in VERDICTS)
    if named:
        done = [short_name(r.claim) for r in group if r.verdict == "reproduced"]
        text += f"; reproduced: {'; '.join(done) or 'none'}"
    leaning = [r.reading for r in group if r.verdict == "partial" and r.reading]
    if leaning:
        text += ("; reduced-scale readings of the partial ones (not verdicts): " + ", ".join(
            f"{leaning.count(w)} {w}" for w in READINGS.values() if w in leaning))
    return text + "."


def counts(rows: Sequence[Status]) -> dict[str, int]:
    """How many claims have each verdict (infrastructure rows are not claims: not counted)."""
    claims = [r for r in rows if not r.claim.infrastructure]
    return {v: sum(r.verdict == v for r in claims) for v in VERDICTS}

#: The claims by key.
