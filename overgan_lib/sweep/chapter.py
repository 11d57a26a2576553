"""The sections every sweep chapter shows, for a set of named sweeps at several profiles.

``views`` maps a sweep name to its :class:`~.view.SweepView` per profile (from
:func:`~.view.available_views`). Each function draws or prints one section, labelled with
the profiles it shows, so the CIFAR-10, CelebA and one-component chapters differ only in
their prose and the sweeps they name.
"""

from __future__ import annotations

import re

import numpy as np
from IPython.display import Markdown, display

from ..profiles import settings
from . import cost, figures
from .claims import sweep_verdicts
from .grid import experiment_configs
from .matrices import final_value, width_matrix, width_name
from .view import SweepView, sweep_view

Views = dict[str, dict[str, SweepView]]


def show_provenance(views: Views) -> None:
    """The chapter's provenance box: every stored run and sweep summary it shows."""
    from ..book import show_provenance as show

    recs = [r for by in views.values() for v in by.values()
            for r in [*v.done, *([v.summary] if v.summary else [])]]
    if recs:
        show(*recs)
    else:
        display(Markdown("No stored results yet at the profiles shown (see the status column "
                         "below for the commands that produce them)."))


def architecture(arch: str, k: int, size: int = 32) -> None:
    """The layer list of G and D read off a forward pass (the paper's Fig. 8 substitute)."""
    from ..models import Z_DIM, build, layer_table

    G, D = build(arch, k, k, size=size)
    for role, net, shape in (("generator", G, (Z_DIM,)), ("critic", D, (3, size, size))):
        rows = [f"| {arch} {role}, $k$={k}, {size}×{size} | output | parameters |",
                "|---|---|---:|"]
        rows += [f"| `{text}` | {out} | {n:,} |" for _, text, out, n in layer_table(net, shape)]
        display(Markdown("\n".join(rows)))


def settings_table(views: Views) -> None:
    """Widths, seeds, iterations, evaluation and status of every sweep at every profile: the
    profiles shown, and the `gpu` and `paper` grids (marked planned where not stored here),
    so the prose can point to each profile's settings. Below it, the training settings every
    run of the sweeps shares (:class:`~..train.TrainConfig`'s defaults, App. D)."""
    from ..train import TrainConfig

    rows = ["| sweep | profile | widths | fixed | seeds | iterations | FID every | FID on N | "
            "status |", "|---|---|---|---:|---:|---:|---:|---:|---|"]
    for name, by_profile in views.items():
        shown = dict(by_profile)
        for p in ("gpu", "paper"):
            shown.setdefault(p, None)
        for p, v in shown.items():
            v = v if v is not None else sweep_view(name, p)
            c = v.cfg
            status = (v.status() if v.done or p in by_profile
                      else f"planned (not run yet): `{v.command}`")
            rows.append(f"| `{name}` | {p} | {', '.join(map(str, c['widths']))} | "
                        f"{c.get('fixed', '—')} | {c['seeds']} | {c['iters']:,} | "
                        f"{format(c['eval_every'], ',') if c['eval_every'] else 'end'} | "
                        f"{c['eval_n']:,} | {status} |")
    t = TrainConfig()
    display(Markdown("\n".join(rows) + "\n\nEvery run: WGAN-GP, gradient penalty weight "
                     f"λ = {t.gp_weight:g}, {t.n_critic} critic steps per generator step, "
                     f"batch {t.batch_size}, {t.optimizer.capitalize()} with learning rate "
                     f"{t.lr:g} and (β₁, β₂) = ({t.beta1:g}, {t.beta2:g}) for both networks "
                     "(TrainConfig's defaults)."))


def parameter_tables(views: Views) -> None:
    """Parameter counts of G and D for every (k_g, k_d) in the grids of the shown profiles
    and of `gpu` and `paper`, with the profiles whose grid holds each pair."""
    for name, by_profile in views.items():
        grids = {p: v.configs for p, v in by_profile.items()}
        for planned in ("gpu", "paper"):  # the planned grids too, as the settings table has
            if planned not in grids:
                grids[planned] = experiment_configs(name, settings(name, planned))
        where: dict[tuple[int, int], list[str]] = {}
        for p, cfgs in grids.items():
            for c in cfgs:
                if p not in where.setdefault((c.k_g, c.k_d), []):
                    where[(c.k_g, c.k_d)].append(p)
        every = [c for cfgs in grids.values() for c in cfgs]
        display(Markdown(f"**`{name}`**\n\n" + figures.parameter_table(every, where)))


def _mean_sd_e3(x) -> str:
    """'mean ± sd' (sample SD) of the finite entries, x 10^3; the mean alone for one; '—'."""
    import numpy as np

    x = np.asarray(x, float)[np.isfinite(x)] * 1e3
    if len(x) > 1:
        return f"{x.mean():.1f} ± {x.std(ddof=1):.1f}"
    return f"{x[0]:.1f}" if len(x) else "—"


def kid_table(views: Views) -> None:
    """Final KID (x 10^3, unbiased, so comparable across N) against training and test
    images per width: mean ± standard deviation over seeds, next to the FID figures."""
    import numpy as np

    rows = ["| sweep | profile | k | KID train ×10³ | KID test ×10³ | seeds |",
            "|---|---|---:|---:|---:|---:|"]
    for name, by_profile in views.items():
        for v in by_profile.values():
            if not v.done:
                continue
            k, tr = width_matrix(v.configs, v.recs, "kid_train")
            _, te = width_matrix(v.configs, v.recs, "kid_test")
            for i, w in enumerate(k):
                n = int(np.isfinite(tr[i]).sum())
                if n == 0:
                    continue
                rows.append(f"| `{name}` | {v.profile} | {int(w)} | {_mean_sd_e3(tr[i])} | "
                            f"{_mean_sd_e3(te[i])} | {n} |")
    if len(rows) > 2:
        display(Markdown("\n".join(rows)))


def curve_tables(views: Views) -> None:
    """Per sweep and profile, mean FID train at the first and last periodic evaluation
    (:func:`.figures.curve_table`): the numbers behind Fig. 5's lines."""
    for name, by_profile in views.items():
        for v in by_profile.values():
            table = figures.curve_table(v.configs, v.recs) if v.done else ""
            if table:
                display(Markdown(f"`{name}` [{v.profile}]:\n\n{table}"))


def shared_runs_markdown(views: Views, also: tuple[str, ...] = ()) -> str:
    """Runs that several sweeps share (same config, so one stored record): comparisons
    against them in different sweeps are not independent. ``also`` names sweeps outside
    ``views`` to look in (at the same profiles). '' when nothing is shared."""
    users: dict[tuple[str, str], list[str]] = {}
    found: dict[tuple[str, str], tuple] = {}
    looked = {n: dict(bp) for n, bp in views.items()}
    first_seed = {p: min(c.seed for c in v.configs)  # one view per profile, not per sweep
                  for bp in views.values() for p, v in bp.items() if v.configs}
    for n in also:
        looked[n] = {p: sweep_view(n, p, s) for p, s in first_seed.items()}
    for name, by_profile in looked.items():
        for p, v in by_profile.items():
            for c, r in zip(v.configs, v.recs, strict=True):
                if r is not None:
                    users.setdefault((p, c.key), []).append(name)
                    found[(p, c.key)] = (c, r)
    groups: dict[tuple[str, int, int, tuple[str, ...]], list] = {}
    for (p, key), names in users.items():
        names = list(dict.fromkeys(names))
        if len(names) > 1 and any(n in views for n in names):
            c, r = found[(p, key)]
            groups.setdefault((p, c.k_g, c.k_d, tuple(names)), []).append((c.seed, r))
    lines = []
    for (p, kg, kd, names), runs in sorted(groups.items()):
        runs.sort(key=lambda sr: sr[0])
        fids = ", ".join(f"{final_value(r, 'fid_train'):.1f} (seed {s})" for s, r in runs)
        count = f"{len(runs)} run" + ("s" if len(runs) != 1 else "")
        lines.append(f"- $k_g$ = {kg}, $k_d$ = {kd} [{p}]: {count}, FID train {fids}, used "
                     f"by {', '.join(f'`{n}`' for n in names)}.")
    return "\n".join(lines)


def shared_runs(views: Views, also: tuple[str, ...] = ()) -> None:
    """Display :func:`shared_runs_markdown` with a heading sentence, if anything is shared."""
    text = shared_runs_markdown(views, also)
    if text:
        display(Markdown("These runs are stored once and appear in several sweeps, so every "
                         "comparison against them shares their seeds' luck:\n\n" + text))


def pending(views: Views, profiles: tuple[str, ...] = ("cpu", "gpu")) -> None:
    """Display :func:`pending_markdown`."""
    display(Markdown(pending_markdown(views, profiles)))


def pending_markdown(views: Views, profiles: tuple[str, ...] = ("cpu", "gpu")) -> str:
    """The (sweep, profile) pairs with no complete stored results, with the exact command
    that produces each."""
    from .view import sweep_view

    lines = []
    for name, by_profile in views.items():
        for p in profiles:
            v = by_profile.get(p) or sweep_view(name, p)
            if v.complete:
                continue
            where = ("one GPU (on a lent device: `python tools/gpu_session.py prepare`, README)"
                     if p == "gpu" else "this machine")
            lines.append(f"- `{name}` at `{p}`: `{v.command}` on {where}; {len(v.done)} of "
                         f"{len(v.recs)} runs stored")
    if not lines:
        return "Every sweep of this chapter is stored at " + ", ".join(profiles) + "."
    return "**Pending:**\n\n" + "\n".join(lines)


def glue_figures(views: Views, profile: str, seed: int, curves: bool = True) -> None:
    """Glue ``<sweep>-fid``, ``<sweep>-curves`` (unless ``curves`` is False: a chapter that
    shows them with :func:`curve_figures`) and ``<sweep>-samples`` for every sweep, for the
    chapter's numbered, captioned ``{glue:figure}`` directives."""
    from ..book import glue_figure

    for name, by_profile in views.items():
        glue_figure(f"{name}-fid", figures.fid_vs_width_figure(name, by_profile, profile))
        if curves:
            glue_figure(f"{name}-curves",
                        figures.fid_over_iterations_figure(name, by_profile, profile))
        glue_figure(f"{name}-samples", figures.samples_figure(name, by_profile, profile, seed))


def curve_figures(views: Views, profile: str) -> None:
    """FID over training (:func:`.figures.fid_over_iterations_figure`) per sweep, drawn only
    from the profiles whose runs have at least :data:`.figures.MIN_CURVE_EVALS` evaluations
    each; in place of the others, one line per profile (:func:`curve_note`)."""
    import matplotlib.pyplot as plt

    short: dict[str, list[SweepView]] = {}
    for name, by_profile in views.items():
        drawn = {p: v for p, v in by_profile.items()
                 if figures.evals_per_run(v) >= figures.MIN_CURVE_EVALS}
        for p, v in by_profile.items():
            if p not in drawn:
                short.setdefault(p, []).append(v)
        if drawn:
            fig = figures.fid_over_iterations_figure(name, drawn, profile)
            display(fig)
            plt.close(fig)
    for p, shown in short.items():
        display(Markdown(curve_note(p, shown)))


def curve_note(profile: str, shown: list[SweepView]) -> str:
    """The line that replaces FID over training at ``profile``, where ``shown``'s runs have
    fewer than :data:`.figures.MIN_CURVE_EVALS` evaluations each: how many (and when), and
    the profiles whose settings evaluate often enough."""
    from ..profiles import PROFILES

    need = figures.MIN_CURVE_EVALS
    names = [v.spec.name for v in shown]
    enough = [f"`{p}` ({m} per run)" for p in PROFILES
              if (m := min(figures.planned_evals(settings(x, p)) for x in names)) >= need]
    listed = (", ".join(enough[:-1]) + " and " + enough[-1] if len(enough) > 1
              else "".join(enough))
    where = f"; it is drawn at {listed}" if enough else ""
    stored = [v for v in shown if v.done]
    if not stored:
        return f"FID over training is not drawn at `{profile}`: no run is stored yet{where}."
    n = min(figures.evals_per_run(v) for v in stored)
    steps = [int(e["step"]) for e in stored[0].done[0]["evals"]][:n]
    plural = "s" if n != 1 else ""
    table = (" The table below gives each width's first and last evaluation." if n >= 2
             else "")
    return (f"FID over training is not drawn at `{profile}`: its runs have {n} FID evaluation"
            f"{plural} each (iteration{plural} {' and '.join(f'{x:,}' for x in steps)}), "
            f"fewer than the {need} a curve needs (the minimum of Fig. 5's rules){where}."
            f"{table}")


def glue_fig1(by_profile: dict[str, SweepView], profile: str, seed: int) -> None:
    """Glue ``fig1`` (:func:`.figures.fig1_summary` of the executed profile's sweep) and,
    for its caption, the profile (``fig1_profile``), the widths whose samples it shows
    (``fig1_narrow``, ``fig1_wide``), the sweep's widths, iterations and N."""
    from ..book import glue, glue_figure

    v = by_profile[profile]
    glue_figure("fig1", figures.fig1_summary(v, profile, seed))
    ends = [getattr(c, figures.varied_side(v.configs)) for c, _ in figures.sample_ends(v, seed)]
    glue("fig1_profile", v.profile)
    glue("fig1_narrow", str(ends[0]) if ends else "—")
    glue("fig1_wide", str(ends[-1]) if ends else "—")
    glue("fig1_widths", ", ".join(map(str, v.cfg["widths"])))
    glue("fig1_iters", v.cfg["iters"], ",")
    glue("fig1_n", v.cfg["eval_n"], ",")


def seed_counts_text(views: Views) -> str:
    """Seeds per width at every profile, over the chapter's sweeps: '2 at smoke, 3 at cpu,
    ...' (a range where the sweeps differ; plain text, for a glue:text role)."""
    from ..profiles import PROFILES

    parts = []
    for p in PROFILES:
        n = sorted({settings(name, p)["seeds"] for name in views})
        parts.append(f"{n[0]}{'–' + str(n[-1]) if len(n) > 1 else ''} at {p}")
    return ", ".join(parts)


def glue_seed_counts(views: Views) -> None:
    """Glue ``seed_counts`` (:func:`seed_counts_text`) for the setup's differences."""
    from ..book import glue

    glue("seed_counts", seed_counts_text(views))


def glue_paper_grid(views: Views) -> None:
    """Glue ``paper_widths`` (the varied widths of the `paper` profile, over the chapter's
    sweeps) and ``paper_fixed`` (its fixed width, '—' where both sides vary), for prose that
    says the grid is the book's: the paper lists no widths for its image sweeps
    (:mod:`overgan_lib.profiles.sweeps`)."""
    from ..book import glue

    rows = [settings(name, "paper") for name in views]
    widths = sorted({w for r in rows for w in r["widths"]})
    fixed = sorted({r["fixed"] for r in rows if "fixed" in r})
    glue("paper_widths", ", ".join(map(str, widths)))
    glue("paper_fixed", ", ".join(map(str, fixed)) or "—")


def verdicts(views: Views) -> None:
    """The paper's claims judged on every complete sweep (:func:`.claims.sweep_verdicts`)."""
    for name, by_profile in views.items():
        for v in by_profile.values():
            if not v.complete:
                display(Markdown(f"`{name}` [{v.profile}]: {v.status()}; no verdict yet."))
                continue
            found = list(sweep_verdicts(v).values())
            display(Markdown(f"**`{name}`**: " + figures.verdicts_markdown(v.profile, found)))


def glue_rules() -> None:
    """The verdict rules' constants for the chapters' prose (rule_alpha, rule_far,
    rule_min_evals, curve_min_evals (:data:`.figures.MIN_CURVE_EVALS`), rule_exact_up_to,
    rule_permutations, gpu_share, paper_iters; rule_either_way, rule_margin, rule_late_from,
    gpu_evals), so the text cannot drift from :mod:`.summary`, :mod:`.significance` and
    :mod:`.figures`."""
    from ..book import glue
    from . import significance, summary

    glue("rule_alpha", summary.ALPHA)
    glue("rule_far", summary.FAR_FROM_DATA, ".0f")
    glue("rule_min_evals", summary.MIN_EVALS)
    glue("curve_min_evals", figures.MIN_CURVE_EVALS)
    glue("rule_exact_up_to", significance.EXACT_UP_TO)
    glue("rule_permutations", significance.PERMUTATIONS, ",")
    # how much of the paper's training the gpu profile does, over every named sweep
    from ..profiles import settings
    from .registry import sweeps

    share = [settings(n, "gpu")["iters"] / settings(n, "paper")["iters"] for n in sweeps()]
    glue("gpu_share", f"{min(share):.1%}–{max(share):.1%}")
    glue("paper_iters", settings("cifar10_dcgan", "paper")["iters"], ",")
    # a claim with no effect is called significant in one direction or the other with chance
    # 2 ALPHA by one one-sided test per direction; the trend rule needs two tests to agree
    glue("rule_either_way", f"{2 * summary.ALPHA:g}")
    glue("rule_margin", f"{summary.PRACTICAL_MARGIN:.0%}")
    glue("rule_late_from", f"{summary.settled.LATE_FROM:.0%}")
    gpu = [settings(n, "gpu") for n in sweeps()]
    glue("gpu_evals", min(g["iters"] // g["eval_every"] for g in gpu if g["eval_every"]))


def concurrent_runs(view: SweepView) -> int:
    """How many runs shared the device while a sweep's speeds were measured: its worker
    processes, or the runs trained in lock step in one process, whichever is larger."""
    together = max((int(r["runs_together"]) for r in view.done if "runs_together" in r.data),
                   default=1)
    return max(int(view.cfg.get("workers", 1)), together)


def concurrency_text(view: SweepView) -> str:
    """How a sweep's runs shared the machine, in words: ``workers`` > 1 means worker processes
    (:func:`.executors.local_executor`), ``workers`` = 1 means every run trained in lock step
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
    evaluation where no run stored its evaluation time (:mod:`.cost`)."""
    paper = settings(view.spec.name, "paper")
    its = cost.speeds(view.configs, view.recs)
    train_h = cost.paper_cost_hours(its, paper["seeds"], paper["iters"])
    eval_h = cost.paper_eval_hours(cost.eval_seconds_per_image(view.configs, view.recs), paper)
    together, workers = concurrent_runs(view), int(view.cfg.get("workers", 1))
    return {k: (train_h[k] / together, eval_h.get(k, float("nan")) / workers) for k in its}


_THREADS = re.compile(r"\s*x(\d+) threads?$")


def _threads(device: str) -> tuple[str, int | None]:
    """A stored device string split into the device and its thread count ('cpu:x86_64 x1
    threads' -> ('cpu:x86_64', 1)); None where it names no threads (a GPU)."""
    m = _THREADS.search(device)
    return (device[:m.start()], int(m.group(1))) if m else (device, None)


def run_device(view: SweepView) -> str:
    """The device the sweep's runs trained on, read off their records, with the threads each
    run had: 'cpu:x86_64, 1 thread per run' ('—' when no run is stored)."""
    parts = []
    for device in sorted({str(r.provenance.get("device", "")) for r in view.done} - {""}):
        name, n = _threads(device)
        parts.append(name if n is None else f"{name}, {n} thread{'s' if n != 1 else ''} per run")
    return "; ".join(parts) or "—"


def threads_note(view: SweepView) -> str:
    """Why the provenance box may name other threads than the cost table: the sweep's summary
    record is written by the process that assembled it, which trained nothing. '' when the
    summary's threads are the runs' (or either is not stored)."""
    if view.summary is None or not view.done:
        return ""
    _, mine = _threads(str(view.summary.provenance.get("device", "")))
    runs = {_threads(str(r.provenance.get("device", "")))[1] for r in view.done}
    if mine is None or runs == {mine} or None in runs:
        return ""
    each = "/".join(map(str, sorted(runs)))
    return (f"`{view.spec.name}` [{view.profile}]: each run trained on {each} thread"
            f"{'s' if runs != {1} else ''}, {concurrent_runs(view)} runs side by side (the "
            f"runs' records); the sweep's summary record in the provenance box says {mine} "
            f"threads because the process that assembled the summary, which trained nothing, "
            f"had {mine}.")


def glue_cost(views: Views) -> None:
    """Glue, for the cost section's prose on the CPU measurements, what the shown sweeps'
    CPU runs record (runs whose device names a thread count): ``cost_threads`` ('1 thread',
    per run), ``cost_together`` (runs that shared the device, :func:`concurrent_runs`) and
    ``paper_seeds`` (the `paper` profile's seeds per width); a range where they differ."""
    from ..book import glue

    on_cpu = [v for by in views.values() for v in by.values()
              if any(_threads(str(r.provenance.get("device", "")))[1] for r in v.done)]
    threads = sorted({n for v in on_cpu for r in v.done
                      if (n := _threads(str(r.provenance.get("device", "")))[1]) is not None})
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
    :mod:`.cost`) divided by the worker processes that evaluated side by side (runs trained
    in lock step in one process evaluate one after the other), and their sum. Speeds are a
    width's mean run, with the slowest and the fastest run in brackets (:func:`.cost.
    speed_ranges`), and the training and total hours carry that range. The device column is
    the runs' own (:func:`run_device`). Under the table: the widths whose narrower network
    was measured slower than a wider one (:func:`.cost.slower_narrower`: the machine's load
    moved the speeds) and :func:`threads_note`. A `gpu` sweep not yet stored gets an H200
    row marked pending, with the command that measures it."""
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


def run_reading(view: SweepView, collapsed: list[int], varied: list[int],
                extra: tuple[str, ...] = (), figure: str = "Fig. 3") -> str:
    """Chapter 6's closing reading of a sweep (prose, from its verdicts): which widths' sample
    grids are collapsed (``collapsed``; the others ``varied``) and, when every collapsed width
    has a higher mean FID than every varied one, that the FID trend mostly separates the two
    (otherwise the means, and that it does not); the paper's uptick pair as measured; the
    sentences ``extra``; how many verdicts judge a claim at all (early-training evidence and
    "not testable" do not); and, below
    `paper`, that the profile is reduced (``figure``: the paper's figure of trained models)."""
    from .summary import CONFIRMED, CONTRADICTED, NOT_REPRODUCED

    found = sweep_verdicts(view)
    k, F = width_matrix(view.configs, view.recs, "fid_train")
    _, Ft = width_matrix(view.configs, view.recs, "fid_test")
    ks = lambda ws: ", ".join(str(int(w)) for w in ws)  # noqa: E731
    iters = int(view.cfg["iters"])
    means = {int(w): float(np.nanmean(r)) for w, r in zip(k, F, strict=True)
             if np.isfinite(r).any()}
    if collapsed and varied:
        parts = [f"At this profile the sample grids of k = {ks(collapsed)} are collapsed and those "
                 f"of k = {ks(varied)} are not"]
        worse = [means[c] > means[v] for c in collapsed for v in varied
                 if c in means and v in means]
        if worse and all(worse):
            parts[0] += (f", so the fall of FID with k mostly separates widths that escaped "
                         f"collapse within {iters:,} iterations from widths that did not.")
        else:
            parts[0] += (", yet FID does not rank every collapsed width below every varied one ("
                         + ", ".join(f"k = {w}: {means[w]:.1f}" for w in sorted(means)
                                     if w in collapsed or w in varied)
                         + " mean FID), so the trend is not simply collapse against escape.")
    elif collapsed:
        parts = ["Every sample grid is collapsed at this profile, so FID differences between "
                 "widths compare failed models."]
    else:
        parts = ["No sample grid is collapsed at this profile."]
    if view.spec.uptick:
        lo, hi = view.spec.uptick
        if lo in k and hi in k:
            i, j = list(k).index(lo), list(k).index(hi)
            a, b = np.nanmean(F[i]), np.nanmean(F[j])
            gap = Ft - F
            parts.append(
                f"Between the paper's uptick widths, k = {lo} and {hi}, the mean FID against the "
                f"training images goes from {a:.1f} to {b:.1f} ({'a fall' if b < a else 'a rise'}) "
                f"and the mean generalisation gap from {np.nanmean(gap[i]):.2f} to "
                f"{np.nanmean(gap[j]):.2f}; the uptick is \"{found['uptick'].outcome}\" and its "
                f"possible cause \"{found['uptick_gap'].outcome}\".")
        else:
            parts.append(f"This profile does not train both of the paper's uptick widths, "
                         f"k = {lo} and {hi}.")
    parts += list(extra)
    judged = sum(v.outcome in (CONFIRMED, CONTRADICTED, NOT_REPRODUCED) for v in found.values())
    parts.append(f"Of this sweep's {len(found)} verdicts, {judged} "
                 f"judge{'s' if judged == 1 else ''} a claim; the others are not testable here, "
                 f"inconclusive (the data cannot tell) or early-training evidence only.")
    if view.profile != "paper":
        share = iters / settings(view.spec.name, "paper")["iters"]
        # plain words: glued text is shown as is, without Markdown
        also = "" if view.profile == "gpu" else " (the gpu profile is reduced scale too)"
        parts.append(f"The {view.profile} profile trains {100 * share:.2g}% of the paper "
                     f"profile's iterations, so none of this says how {figure}'s trained models "
                     f"compare; that needs the paper profile{also}.")
    return " ".join(parts)


# A sample grid counts as collapsed below this fraction of the real images' diversity
# (:func:`..summaries.sample_diversity` after 4x4 block averaging), in every sweep chapter
# (chapter 6 reads it from here): a choice made by eye, not a calibrated test.
COLLAPSE_CUT = 0.5


def grid_diversity(view: SweepView) -> dict[int, list[float]]:
    """Per varied width, the diversity of every stored run's sample grid (seed order) as a
    fraction of the same number for 64 real training images: the per-pixel standard deviation
    across the 64 samples after averaging 4x4 pixel blocks. Near 0: one repeated image."""
    from PIL import Image

    from ..data import CARDS
    from ..metrics.reference import reference_subset
    from ..summaries import grid_tiles, sample_diversity
    from ..train import grid_path
    from .matrices import varied_side

    side = varied_side(view.configs)
    dataset = view.configs[0].dataset
    size = CARDS[dataset].resolution
    real = np.asarray(reference_subset(dataset, "train", 64), float)
    real = np.moveaxis(real, 1, -1) if real.ndim == 4 else real
    base = sample_diversity(real, block=4)
    out: dict[int, list[float]] = {}
    for c, r in sorted(zip(view.configs, view.recs, strict=True), key=lambda cr: cr[0].seed):
        path = grid_path(c, view.profile)
        if r is None or not path.exists():
            continue
        img = np.asarray(Image.open(path).convert("RGB" if real.ndim == 4 else "L"), float)
        tiles = grid_tiles(img, 8, size)
        out.setdefault(int(getattr(c, side)), []).append(sample_diversity(tiles, 4) / base)
    return dict(sorted(out.items()))


def image_reading(view: SweepView) -> str:
    """What an image sweep's stored runs show, in plain words for a chapter's closing
    section: which widths' sample grids are collapsed (:data:`COLLAPSE_CUT`, every seed's
    grid), how FID moved between the first and the last evaluation, what the trend verdict
    then compares, and the rest of :func:`run_reading` (how many verdicts judge a claim; the
    profile is reduced)."""
    from .matrices import eval_curves, width_name
    from .summary import EARLY_AGAINST, EARLY_FOR

    div = grid_diversity(view)
    name = width_name(view.configs)
    counts = {k: sum(d < COLLAPSE_CUT for d in ds) for k, ds in div.items()}
    collapsed = [k for k, n in counts.items() if 2 * n > len(div[k])]
    varied = [k for k in div if k not in collapsed]
    head, parts = [], []
    if div:
        head.append(
            f"Sample grids below {COLLAPSE_CUT:g} of the real images' diversity (collapsed, by a "
            "threshold chosen by eye; a width counts as collapsed below when most of its seeds' "
            "grids are; diversity by seed, the first seed's grid being the one the figures "
            "show): " + "; ".join(
                f"{name} = {k}: {counts[k]} of {len(ds)} seeds (diversity "
                + ", ".join(f"{d:.2f}" for d in ds) + ")" for k, ds in div.items()) + ".")
        odd = {k: ds[0] < COLLAPSE_CUT for k, ds in div.items()
               if ds and (ds[0] < COLLAPSE_CUT) != (k in collapsed)}
        if odd:
            head.append("The grid the figures show (the first seed's) is " + "; ".join(
                f"{'collapsed' if c else 'varied'} at {name} = {k}, unlike most of its seeds'"
                for k, c in odd.items()) + ".")
    curves = eval_curves(view.configs, view.recs)
    if len(curves) > 1:
        change = {k: float(np.mean(c[:, -1]) - np.mean(c[:, 0])) for k, (_, c) in curves.items()}
        steps = next(iter(curves.values()))[0]
        rose = [k for k, d in change.items() if d > 0]
        parts.append(
            f"From iteration {int(steps[0]):,} to {int(steps[-1]):,} the mean FID "
            + ", ".join(f"{'rose' if d > 0 else 'fell'} by {abs(d):.1f} at {name} = {k}"
                        for k, d in change.items()) + ".")
        trend = sweep_verdicts(view)["trend"].outcome
        if rose and trend in (EARLY_AGAINST, EARLY_FOR):
            parts.append(
                f"So the trend verdict ({trend}) compares the widths at a last evaluation where "
                f"FID at {name} = {', '.join(map(str, rose))} had risen since the first: whether "
                "that rise is a transient or the instability Fig. 5 is about cannot be told from "
                f"{len(steps)} evaluations, and the stability rule judges divergence only.")
    return " ".join(head + [run_reading(view, collapsed, varied, tuple(parts), "Fig. 4")])


def glue_readings(views: Views, profile: str) -> None:
    """Glue ``<sweep>_reading``: :func:`image_reading` of each sweep at ``profile`` (or why
    there is none yet), for a chapter's closing section."""
    from ..book import glue

    for name, by_profile in views.items():
        v = by_profile[profile]
        glue(f"{name}_reading", image_reading(v) if v.complete else
             f"{name} at {profile}: {v.status()}; nothing to read yet.")


# CelebA's full size and its official training partition: in .cost, which the status page
# imports without IPython (the GPU image has none).
CELEBA_IMAGES, CELEBA_OFFICIAL_TRAIN = cost.CELEBA_IMAGES, cost.CELEBA_OFFICIAL_TRAIN


def glue_celeba_budget(name: str = "celeba_dcgan") -> None:
    """Glue what the CelebA chapter says of its data and of its `paper` profile: the offline
    card's source and preprocessing (``celeba_source``, ``celeba_preprocessing``), its split
    (``celeba_train_n``, ``celeba_test_n``), the full and official-train counts, and how many
    passes over the training images the `paper` profile's critic makes (``celeba_epochs``:
    iterations x critic steps x batch / training images) against the same budget on the
    official partition (``celeba_official_epochs``)."""
    from ..book import glue
    from ..data import CARDS
    from ..train import TrainConfig

    card, t, paper = CARDS["celeba"], TrainConfig(), settings(name, "paper")
    seen = paper["iters"] * t.n_critic * t.batch_size
    glue("celeba_source", card.source)
    glue("celeba_preprocessing", card.preprocessing)
    glue("celeba_train_n", card.counts["train"], ",")
    glue("celeba_test_n", card.counts["test"], ",")
    glue("celeba_images", CELEBA_IMAGES, ",")
    glue("celeba_official_train", CELEBA_OFFICIAL_TRAIN, ",")
    glue("celeba_paper_seen", seen, ",")
    glue("celeba_epochs", seen / card.counts["train"], ",.0f")
    glue("celeba_official_epochs", seen / CELEBA_OFFICIAL_TRAIN, ",.0f")
