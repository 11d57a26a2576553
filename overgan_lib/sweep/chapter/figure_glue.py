"""A sweep chapter's figures: the glued FID and sample figures and Fig. 1's summary (with
its caption's numbers), and FID over training drawn only where runs evaluate often enough
(at least :data:`..figures.MIN_CURVE_EVALS` evaluations each), a line in place of it
elsewhere. The drawing itself is in :mod:`..figures`."""

from __future__ import annotations

from IPython.display import Markdown, display

from ...profiles import settings
from .. import figures
from ..matrices import varied_side
from ..view import SweepView
from ._types import Views


def glue_figures(views: Views, profile: str, seed: int) -> None:
    """Glue ``<sweep>-fid`` and ``<sweep>-samples`` for every sweep, for the chapter's
    numbered, captioned ``{glue:figure}`` directives. FID over training is not glued: it is
    drawn only where runs evaluate often enough (:func:`curve_figures`)."""
    from ...book import glue_figure

    for name, by_profile in views.items():
        glue_figure(f"{name}-fid", figures.fid_vs_width_figure(name, by_profile, profile))
        glue_figure(f"{name}-samples", figures.samples_figure(name, by_profile, profile, seed))


def curve_figures(views: Views, profile: str) -> None:
    """FID over training (:func:`..figures.fid_over_iterations_figure`) per sweep, drawn only
    from the profiles whose runs have at least :data:`..figures.MIN_CURVE_EVALS` evaluations
    each; in place of the others, one line per profile (:func:`curve_note`, naming the
    sweeps it stands for where another sweep is drawn at that profile)."""
    import matplotlib.pyplot as plt

    short: dict[str, list[SweepView]] = {}
    drawn_at: set[str] = set()
    for name, by_profile in views.items():
        drawn = {p: v for p, v in by_profile.items()
                 if figures.evals_per_run(v) >= figures.MIN_CURVE_EVALS}
        drawn_at.update(drawn)
        for p, v in by_profile.items():
            if p not in drawn:
                short.setdefault(p, []).append(v)
        if drawn:
            fig = figures.fid_over_iterations_figure(name, drawn, profile)
            display(fig)
            plt.close(fig)
            display(Markdown(curve_caption(name, drawn)))
    for p, shown in short.items():
        display(Markdown(curve_note(p, shown, named=p in drawn_at)))


def curve_caption(name: str, drawn: dict[str, SweepView]) -> str:
    """The caption under a drawn FID-over-training figure: what each panel's lines are
    (mean FID train on N images per side, the band the seeds' range) and, per profile, its
    iterations, N and seeds per width, so the panel is not read as the paper's Fig. 5."""
    import numpy as np

    from ..matrices import width_matrix

    parts = []
    for p, v in drawn.items():
        _, F = width_matrix(v.configs, v.recs, "fid_train")
        seeds = sorted({int(n) for n in np.isfinite(F).sum(1)})  # finished runs per width
        count = f"{seeds[0]}" if len(seeds) == 1 else f"{seeds[0]}–{seeds[-1]}"
        parts.append(f"`{p}`: {v.cfg['iters']:,} generator iterations, N = "
                     f"{v.cfg['eval_n']:,}, {count} seed{'s' if seeds[-1] != 1 else ''} "
                     f"per width")
    return (f"*FID over training, `{name}`* (the paper's Fig. 5 at reduced scale where the "
            f"profile is not `paper`): mean FID train over the periodic evaluations, one line "
            f"per width, the band from the smallest to the largest seed; " + "; ".join(parts)
            + ".")


def curve_note(profile: str, shown: list[SweepView], named: bool = False) -> str:
    """The line that replaces FID over training at ``profile``, where ``shown``'s runs have
    fewer than :data:`..figures.MIN_CURVE_EVALS` evaluations each or none is stored yet: how
    many (and when), or how many the profile plans, and the other profiles whose settings
    evaluate often enough. ``named``: say which sweeps it stands for (where others are drawn
    at ``profile``)."""
    need = figures.MIN_CURVE_EVALS
    names = [v.spec.name for v in shown]
    where = _drawn_elsewhere(profile, names)
    of = f" of {' and '.join(f'`{n}`' for n in names)}" if named else ""
    stored = [v for v in shown if v.done]
    if not stored:
        planned = min(figures.planned_evals(v.cfg) for v in shown)  # overrides included
        enough = ("enough for a curve" if planned >= need
                  else f"fewer than the {need} a curve needs")
        return (f"FID over training{of} is not drawn at `{profile}`: no run is stored yet (its "
                f"settings evaluate each run {planned} time{'s' if planned != 1 else ''}, "
                f"{enough}){where}.")
    n = min(figures.evals_per_run(v) for v in stored)
    steps = [int(e["step"]) for e in stored[0].done[0]["evals"]][:n]
    plural = "s" if n != 1 else ""
    table = (" The table below gives each width's first and last evaluation." if n >= 2
             else "")
    return (f"FID over training{of} is not drawn at `{profile}`: its runs have {n} FID "
            f"evaluation{plural} each (iteration{plural} "
            f"{' and '.join(f'{x:,}' for x in steps)}), "
            f"fewer than the {need} a curve needs (the minimum of Fig. 5's rules){where}."
            f"{table}")


def _planned(profile: str, names: list[str]) -> int:
    """The fewest FID evaluations per run that the sweeps ``names`` plan at ``profile``."""
    return min(figures.planned_evals(settings(x, profile)) for x in names)


def _drawn_elsewhere(profile: str, names: list[str]) -> str:
    """'; the settings of `gpu` (3 per run) and `paper` (30 per run) evaluate often enough to
    draw it': the profiles other
    than ``profile`` whose settings give every run of ``names`` enough evaluations for a
    curve ('' when none does)."""
    from ...profiles import PROFILES

    enough = [f"`{p}` ({m} per run)" for p in PROFILES if p != profile
              and (m := _planned(p, names)) >= figures.MIN_CURVE_EVALS]
    if not enough:
        return ""
    listed = ", ".join(enough[:-1]) + " and " + enough[-1] if len(enough) > 1 else enough[0]
    # The settings, not stored runs: a profile listed here may not have run yet.
    return f"; the settings of {listed} evaluate often enough to draw it"


def glue_fig1(by_profile: dict[str, SweepView], profile: str, seed: int) -> None:
    """Glue ``fig1`` (:func:`..figures.fig1_summary` of the executed profile's sweep) and,
    for its caption, the profile (``fig1_profile``), the widths whose samples it shows
    (``fig1_narrow``, ``fig1_wide``), the sweep's widths, iterations and N."""
    from ...book import glue, glue_figure

    v = by_profile[profile]
    glue_figure("fig1", figures.fig1_summary(v, profile, seed))
    ends = [getattr(c, varied_side(v.configs)) for c, _ in figures.sample_ends(v, seed)]
    glue("fig1_profile", v.profile)
    glue("fig1_narrow", str(ends[0]) if ends else "—")
    glue("fig1_wide", str(ends[-1]) if ends else "—")
    glue("fig1_widths", ", ".join(map(str, v.cfg["widths"])))
    glue("fig1_iters", v.cfg["iters"], ",")
    glue("fig1_n", v.cfg["eval_n"], ",")
