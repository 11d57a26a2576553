"""The paper's claims judged on a chapter's sweeps, the verdict rules' constants glued for
the prose, and the counts of runs whose FID test lies below FID train."""

from __future__ import annotations

import numpy as np
from IPython.display import Markdown, display

from .. import figures
from ..claims import sweep_verdicts
from ..matrices import width_matrix
from ..view import SweepView
from ._types import Views


def verdicts(views: Views) -> None:
    """The paper's claims judged on every complete sweep (:func:`..claims.sweep_verdicts`)."""
    for name, by_profile in views.items():
        for v in by_profile.values():
            if not v.complete:
                display(Markdown(f"`{name}` [{v.profile}]: {v.status()}; no verdict yet."))
                continue
            found = list(sweep_verdicts(v).values())
            display(Markdown(f"**`{name}`**: " + figures.verdicts_markdown(v.profile, found)))


def glue_rules(views: Views | None = None) -> None:
    """The verdict rules' constants for the chapters' prose (rule_alpha, rule_far,
    rule_min_evals, curve_min_evals (:data:`..figures.MIN_CURVE_EVALS`), rule_exact_up_to,
    rule_permutations; rule_either_way, rule_margin, rule_power and rule_power_share (the power
    an inconclusive verdict's detectable difference is stated at), rule_rebound (the
    half-life rule's rebound share, :data:`..summary.rate.REBOUND`), rule_settled (what the
    still-learning check asks, :func:`settled_rule_text`)) and the `gpu` profile's budget over
    the chapter's own sweeps (``views``' names; every named sweep when None): gpu_share,
    paper_iters, gpu_evals. So the text cannot drift from :mod:`..summary`,
    :mod:`..significance`, :mod:`..figures` and the profile tables."""
    from ...book import glue
    from .. import significance, summary

    glue("rule_alpha", summary.ALPHA)
    glue("rule_far", summary.FAR_FROM_DATA, ".0f")
    glue("rule_min_evals", summary.MIN_EVALS)
    glue("curve_min_evals", figures.MIN_CURVE_EVALS)
    glue("rule_exact_up_to", significance.EXACT_UP_TO)
    glue("rule_permutations", significance.PERMUTATIONS, ",")
    # a claim with no effect is called significant in one direction or the other with chance
    # 2 ALPHA by one one-sided test per direction; the trend rule needs two tests to agree to
    # confirm or contradict (one alone gives "inconclusive")
    glue("rule_either_way", f"{2 * summary.ALPHA:g}")
    glue("rule_margin", f"{summary.PRACTICAL_MARGIN:.0%}")
    glue("rule_rebound", f"{summary.rate.REBOUND:.0%}")
    glue("rule_power", significance.power_text())  # "4 times in 5"
    glue("rule_power_share", f"{significance.POWER:.0%}")
    glue("rule_settled", settled_rule_text())
    for name, value in gpu_budget(list(views) if views else None).items():
        glue(name, value)


def settled_rule_text() -> str:
    """What the still-learning check (:mod:`..summary.settled`) asks of a width, in one
    plain sentence (no Markdown: it is glued) that every sweep chapter quotes."""
    from .. import summary

    return (f"per width, one line is fitted to every run's evaluations over the last part of "
            f"training (from the last evaluation at or before {summary.settled.LATE_FROM:.0%} "
            f"of the run to the end; a common slope, each run its own level), and the width "
            f"counts as settled only when both one-sided {1 - summary.ALPHA:.0%} confidence "
            f"bounds of the line's change over that window lie within plus or minus the "
            f"practical margin of the rule that reads the width")


def gpu_budget(names: list[str] | None = None) -> dict[str, str | int]:
    """The `gpu` profile's budget over the sweeps ``names`` (every named sweep when None),
    as glued text: ``gpu_share`` (its iterations as a share of the `paper` profile's, a
    range where the sweeps differ), ``paper_iters`` and ``gpu_evals`` (the fewest
    evaluations per run)."""
    from ...profiles import settings
    from ..registry import sweeps

    names = names or sweeps()
    gpu = [settings(n, "gpu") for n in names]
    paper = [settings(n, "paper")["iters"] for n in names]
    share = [g["iters"] / p for g, p in zip(gpu, paper, strict=True)]
    return {"gpu_share": _span([f"{x:.1%}" for x in sorted(share)]),
            "paper_iters": _span([f"{x:,}" for x in sorted(paper)]),
            "gpu_evals": min(figures.planned_evals(g) for g in gpu)}


def _span(ordered: list[str]) -> str:
    """'a–b' from the first and last of ``ordered`` formatted values, 'a' when they agree."""
    lo, hi = ordered[0], ordered[-1]
    return lo if lo == hi else f"{lo}–{hi}"


def negative_gaps_text(views: Views, profile: str, also: tuple[str, ...] = (), seed: int = 0
                       ) -> str:
    """Per sweep at ``profile``, how many finished runs have FID test below FID train, grouped
    by the reference sets they are scored against (dataset and N): plain text such as
    'cifar10_dcgan 9 of 12 runs, cifar10_resnet 9 of 9 runs (cifar10, N = 200)'. ``also``
    names sweeps outside ``views`` to count too (at ``profile``, from ``seed``)."""
    from ..view import sweep_view

    shown = {n: by[profile] for n, by in views.items() if profile in by}
    shown.update({n: sweep_view(n, profile, seed) for n in also if n not in shown})
    groups: dict[tuple[str, int], list[str]] = {}
    for name, v in shown.items():
        groups.setdefault((v.spec.dataset, int(v.cfg["eval_n"])), []).append(
            f"{name} {_negative_count(v)}")
    return "; ".join(f"{', '.join(parts)} ({data}, N = {n:,})"
                     for (data, n), parts in groups.items())


def _negative_count(view: SweepView) -> str:
    """'n of m runs' with FID test below FID train among ``view``'s runs with both FIDs, or
    'no finished run stored'."""
    _, train = width_matrix(view.configs, view.recs, "fid_train")
    _, test = width_matrix(view.configs, view.recs, "fid_test")
    ok = np.isfinite(train) & np.isfinite(test)
    if not ok.any():
        return "no finished run stored"
    return f"{int((test[ok] < train[ok]).sum())} of {int(ok.sum())} runs"


def glue_negative_gaps(views: Views, profile: str, also: tuple[str, ...] = (), seed: int = 0
                       ) -> None:
    """Glue ``negative_gaps``: :func:`negative_gaps_text`."""
    from ...book import glue

    glue("negative_gaps", negative_gaps_text(views, profile, also, seed))
