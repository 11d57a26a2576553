"""The paper's claims judged on a chapter's sweeps, and the verdict rules' constants glued
for the prose."""

from __future__ import annotations

from IPython.display import Markdown, display

from .. import figures
from ..claims import sweep_verdicts
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


def glue_rules() -> None:
    """The verdict rules' constants for the chapters' prose (rule_alpha, rule_far,
    rule_min_evals, curve_min_evals (:data:`..figures.MIN_CURVE_EVALS`), rule_exact_up_to,
    rule_permutations, gpu_share, paper_iters; rule_either_way, rule_margin, rule_late_from,
    gpu_evals), so the text cannot drift from :mod:`..summary`, :mod:`..significance` and
    :mod:`..figures`."""
    from ...book import glue
    from .. import significance, summary

    glue("rule_alpha", summary.ALPHA)
    glue("rule_far", summary.FAR_FROM_DATA, ".0f")
    glue("rule_min_evals", summary.MIN_EVALS)
    glue("curve_min_evals", figures.MIN_CURVE_EVALS)
    glue("rule_exact_up_to", significance.EXACT_UP_TO)
    glue("rule_permutations", significance.PERMUTATIONS, ",")
    # how much of the paper's training the gpu profile does, over every named sweep
    from ...profiles import settings
    from ..registry import sweeps

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
