"""A sweep chapter's cost section: how many runs shared the device and on how many threads,
the measured speeds turned into the `paper` profile's device-hours (training and FID
evaluation), the cost table and the glues its prose reads. The arithmetic on speeds and
evaluation times is in :mod:`..cost`; this module reads it per view and prints it."""

from __future__ import annotations

from IPython.display import Markdown, display

from ...profiles import settings
from ...store import device_threads
from .. import cost
from ..matrices import fixed_side, width_name
from ..view import SweepView, sweep_view
from ._types import Views


def concurrent_runs(view: SweepView) -> int:
    """How many runs shared the device while a sweep's speeds were measured: its worker
    processes, or the runs trained in lock step in one process, whichever is larger."""
    together = max((int(r["runs_together"]) for r in view.done if "runs_together" in r.data),
                   default=1)
    return max(int(view.cfg.get("workers", 1)), together)


def concurrency_text(view: SweepView) -> str:
    """How a sweep's runs shared the machine, in words: ``workers`` > 1 means worker processes
    (:func:`..executors.local_executor`), ``workers`` = 1 means every run trained in lock step
    in one process (:func:`overgan_lib.train.train_many`; graphed on a GPU)."""
    workers = int(view.cfg.get("workers", 1))
    if workers > 1:
        return f"{workers} runs at a time in worker processes"
    return f"{concurrent_runs(view)} runs trained in lock step in one process"


def paper_hours(view: SweepView) -> dict[int, tuple[float, float]]:
    """Per width, the hours the `paper` profile's runs would take where ``view``'s were
    measured: (training, FID evaluation), training as many runs at once as shared the device
    (:func:`concurrent_runs`), evaluation divided by the worker processes that evaluated side
    by side (runs trained in lock step in one process evaluate one after the other); NaN
    evaluation where no run stored its evaluation time (:mod:`..cost`)."""
    paper = settings(view.spec.name, "paper")
    its = cost.speeds(view.configs, view.recs)
    train_h = cost.paper_cost_hours(its, paper["seeds"], paper["iters"])
    eval_h = cost.paper_eval_hours(cost.eval_seconds_per_image(view.configs, view.recs), paper)
    together, workers = concurrent_runs(view), int(view.cfg.get("workers", 1))
    return {k: (train_h[k] / together, eval_h.get(k, float("nan")) / workers) for k in its}


def run_device(view: SweepView) -> str:
    """The device the sweep's runs trained on, read off their records, with the threads each
    run had: 'cpu:x86_64, 1 thread per run' ('—' when no run is stored)."""
    parts = []
    for device in sorted({str(r.provenance.get("device", "")) for r in view.done} - {""}):
        name, n = device_threads(device)
        parts.append(name if n is None else f"{name}, {n} thread{'s' if n != 1 else ''} per run")
    return "; ".join(parts) or "—"


def threads_note(view: SweepView) -> str:
    """Why the provenance box may name other threads than the cost table: the sweep's summary
    record is written by the process that assembled it, which trained nothing. '' when the
    summary's threads are the runs' (or either is not stored)."""
    if view.summary is None or not view.done:
        return ""
    _, mine = device_threads(str(view.summary.provenance.get("device", "")))
    runs = {device_threads(str(r.provenance.get("device", "")))[1] for r in view.done}
    if mine is None or runs == {mine} or None in runs:
        return ""
    each = "/".join(map(str, sorted(runs)))
    return (f"`{view.spec.name}` [{view.profile}]: each run trained on {each} thread"
            f"{'s' if runs != {1} else ''}, {concurrent_runs(view)} runs side by side (the "
            f"runs' records); the sweep's summary record in the provenance box says {mine} "
            f"threads because the process that assembled the summary, which trained nothing, "
            f"had {mine}.")


def lock_step_note(view: SweepView) -> str:
    """How the speeds of runs trained in lock step were read (:func:`..cost.training_speed`):
    the other runs' evaluations subtracted from their shared clock, or not shown where that
    cannot be done (:func:`..cost.separable`). '' where no run trained in lock step."""
    if not any(int(r.data.get("runs_together", 1)) > 1 for r in view.done):
        return ""
    where = f"`{view.spec.name}` [{view.profile}]"
    group = cost.lock_step_group(view.recs)
    if not cost.separable(group):
        why = ("this view does not hold the whole group" if group is None else
               "they trained in resumed chunks, or a run diverged or was last evaluated "
               "after the training loop, so which of the other runs' evaluations each "
               "run's clock holds depends on its place in the loop")
        return (f"{where}: its runs trained in lock step in one process and share one clock; "
                f"their speeds cannot be separated from the other runs' evaluations ({why}) "
                "and are not shown (`overgan bench gpu-sweep` measures runs trained together).")
    return (f"{where}: its {len(group)} runs trained in lock step in one process and share "
            "one clock, so each run's stored training time also holds the other runs' "
            "evaluations; the speeds subtract them (the others' checkpoints and sample grids, "
            "which no record times, stay in).")


def fixed_width_note(view: SweepView) -> str:
    """Where a one-component sweep's profile holds the other network at another width than
    the `paper` profile does, the cost table's `paper` hours price the networks these runs
    trained, not the paper's: say so ('' where the fixed widths agree or nothing is fixed)."""
    fixed = fixed_side(view.configs) if view.configs else None
    paper = settings(view.spec.name, "paper").get("fixed")
    if fixed is None or paper in (None, fixed[1]):
        return ""
    side, width = fixed
    cheaper = "understate" if width < paper else "overstate"
    return (f"`{view.spec.name}` [{view.profile}]: its runs hold ${side}$ at {width}, the "
            f"`paper` profile at {paper}; the `paper` hours price the networks these runs "
            f"trained (${side}$ = {width}), so they {cheaper} the paper's cost, by more the "
            f"larger the fixed network's share of each iteration.")


def glue_cost(views: Views) -> None:
    """Glue, for the cost section's prose on the CPU measurements, what the shown sweeps'
    CPU runs record (runs whose device names a thread count): ``cost_threads`` ('1 thread',
    per run), ``cost_together`` (runs that shared the device, :func:`concurrent_runs`) and
    ``paper_seeds`` (the `paper` profile's seeds per width); a range where they differ."""
    from ...book import glue

    on_cpu = [v for by in views.values() for v in by.values()
              if any(device_threads(str(r.provenance.get("device", "")))[1] for r in v.done)]
    threads = sorted({n for v in on_cpu for r in v.done
                      if (n := device_threads(str(r.provenance.get("device", "")))[1]) is not None})
    together = sorted({concurrent_runs(v) for v in on_cpu})
    seeds = sorted({settings(name, "paper")["seeds"] for name in views})

    def span(xs: list[int]) -> str:
        return "–".join(map(str, dict.fromkeys([xs[0], xs[-1]]))) if xs else "—"

    n = span(threads)
    glue("cost_threads", "an unrecorded number of threads" if n == "—" else
         f"{n} thread{'' if n == '1' else 's'}")
    glue("cost_together", span(together))
    glue("paper_seeds", span(seeds))


def _ranged(x: float, lo: float, hi: float, fmt: str) -> str:
    """'x (lo–hi)', or 'x' alone where the range rounds to one value."""
    a, b = format(lo, fmt), format(hi, fmt)
    return format(x, fmt) + ("" if a == b else f" ({a}–{b})")


def cost_table(views: Views) -> None:
    """Measured it/s per run and width, and the projected device-hours of the `paper`
    profile: training (from it/s, which excludes evaluation) when as many runs share the
    device as did in the measurement, FID evaluation (from the stored ``eval_s`` per image,
    :mod:`..cost`) divided by the worker processes that evaluated side by side (runs trained
    in lock step in one process evaluate one after the other), and their sum. Speeds are a
    width's mean run, with the slowest and the fastest run in brackets (:func:`..cost.
    speed_ranges`), and the training and total hours carry that range. The device column is
    the runs' own (:func:`run_device`). Under the table: the widths whose narrower network
    was measured slower than a wider one (:func:`..cost.slower_narrower`: the machine's load
    moved the speeds), :func:`threads_note` and :func:`fixed_width_note`. A `gpu` sweep not
    yet stored gets an H200 row marked pending, with the command that measures it."""
    rows = ["| sweep | profile | device | runs at once | k | it/s per run (measured) | "
            "paper training (training only), device-hours | paper FID evaluations, "
            "device-hours | paper total, device-hours |",
            "|---|---|---|---:|---:|---:|---:|---:|---:|"]
    notes = []
    for name, by_profile in views.items():
        for v in by_profile.values():
            its = cost.speeds(v.configs, v.recs)
            spans = cost.speed_ranges(v.configs, v.recs)
            dev = run_device(v)
            paper = settings(v.spec.name, "paper")
            together = concurrent_runs(v)
            for k, (t, e) in paper_hours(v).items():
                lo, hi = spans[k]
                slow, fast = (cost.paper_cost_hours({k: x}, paper["seeds"], paper["iters"])[k]
                              / together for x in (lo, hi))
                total = (_ranged(t + e, fast + e, slow + e, ",.0f") if e == e else "—")
                rows.append(f"| `{name}` | {v.profile} | {dev} | {together} | {k} | "
                            f"{_ranged(its[k], lo, hi, '.2f')} | {_ranged(t, fast, slow, ',.0f')}"
                            f" | {_hours(e)} | {total} |")
            width = width_name(v.configs) if v.configs else "k"
            for a, b in cost.slower_narrower(its):
                notes.append(f"`{name}` [{v.profile}]: ${width}$ = {a} ran at {its[a]:.2f} "
                             f"it/s, slower than ${width}$ = {b} at {its[b]:.2f} it/s, though "
                             f"a narrower network computes less.")
            if note := threads_note(v):
                notes.append(note)
            if note := lock_step_note(v):
                notes.append(note)
            if note := fixed_width_note(v):
                notes.append(note)
        gpu = by_profile.get("gpu") or sweep_view(name, "gpu")
        if not gpu.complete:
            group = int(gpu.cfg.get("group", 1))
            rows.append(f"| `{name}` | gpu | H200 | {group} (planned) | "
                        f"{', '.join(map(str, gpu.cfg['widths']))} | pending: "
                        f"`{gpu.command}` | pending | pending | pending |")
    evals = []
    for name in views:
        paper = settings(name, "paper")
        per_run = cost.paper_images_per_run(paper) // paper["eval_n"]
        evals.append(f"`{name}` {per_run} per run × {paper['eval_n']:,} images")
    text = ("\n".join(rows) + "\n\nIn brackets: the slowest and the fastest run of a width, and "
            "the hours they would give. FID evaluations at `paper` (each scores its images "
            "against the train and the test split): " + "; ".join(evals) + ".")
    if notes:
        text += "\n\n" + "\n".join(f"- {n}" for n in notes)
    display(Markdown(text))


def _hours(h: float) -> str:
    return f"{h:,.0f}" if h == h else "—"
