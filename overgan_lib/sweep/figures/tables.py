"""The sweep chapters' tables: FID over training at its ends (what Fig. 5's lines show), the
parameter counts per width, the verdict block; and how many FID evaluations a run has or
plans (a curve needs :data:`MIN_CURVE_EVALS`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...models import parameter_counts
from ...store import Record
from ...train import TrainConfig
from ..matrices import eval_curves
from ..summary import MIN_EVALS, Verdict

if TYPE_CHECKING:
    from ..view import SweepView

# FID over training is drawn only from runs with at least this many evaluations each: the
# minimum Fig. 5's rate rules need (:data:`.summary.MIN_EVALS`). With fewer, a line through
# two points per run looks like a rate that no rule can judge, and the curve table says the same.
MIN_CURVE_EVALS = MIN_EVALS


def evals_per_run(view: SweepView) -> int:
    """FID evaluations that every completed run of ``view`` has (0 when none is stored)."""
    runs = [r for r in view.done if r["status"] == "completed"]
    return min((len(r["evals"]) for r in runs), default=0)


def planned_evals(cfg: dict) -> int:
    """FID evaluations a run of a profile's settings makes: one every ``eval_every``
    iterations (the last at the end), or one at the end."""
    every = cfg["eval_every"] or cfg["iters"]
    return -(-cfg["iters"] // every)


def curve_table(configs: list[TrainConfig], recs: list[Record | None]) -> str:
    """Markdown: mean FID train at the first and the last periodic evaluation per width,
    with the change and the seed range at the last one (what Fig. 5's lines show)."""
    curves = eval_curves(configs, recs, "fid_train")
    if not curves:
        return ""
    rows = ["| width | first evaluation | last evaluation | change | seed range at the last |",
            "|---:|---:|---:|---:|---:|"]
    for k in sorted(curves):
        steps, F = curves[k]
        a, b = F[:, 0].mean(), F[:, -1].mean()
        rows.append(f"| {k} | {a:.1f} (iteration {int(steps[0]):,}) | {b:.1f} (iteration "
                    f"{int(steps[-1]):,}) | {b - a:+.1f} | {F[:, -1].min():.1f} to "
                    f"{F[:, -1].max():.1f} |")
    return "\n".join(rows)


def parameter_table(configs: list[TrainConfig],
                    profiles: dict[tuple[int, int], list[str]] | None = None) -> str:
    """Markdown table of the parameter counts of G and D at every (k_g, k_d) of ``configs``;
    ``profiles`` (optional) names, per pair, the profiles whose grid contains it."""
    c0 = configs[0]
    from ...data import CARDS

    card = CARDS[c0.dataset]
    head = "| $k_g$ | $k_d$ | parameters of $G$ | parameters of $D$ |"
    rule = "|---:|---:|---:|---:|"
    if profiles is not None:
        head, rule = head + " profiles |", rule + "---|"
    rows = [head, rule]
    for kg, kd in sorted({(c.k_g, c.k_d) for c in configs}):
        g = parameter_counts(c0.arch, [kg], size=card.resolution, channels=card.channels)[kg][0]
        d = parameter_counts(c0.arch, [kd], size=card.resolution, channels=card.channels)[kd][1]
        extra = f" {', '.join(profiles.get((kg, kd), []))} |" if profiles is not None else ""
        rows.append(f"| {kg} | {kd} | {g:,} | {d:,} |{extra}")
    return "\n".join(rows)


def verdicts_markdown(profile: str, verdicts: list[Verdict]) -> str:
    """The verdict block a chapter ends with, labelled with the profile."""
    return (f"**Verdicts at profile `{profile}`:**\n\n"
            + "\n".join(v.markdown() for v in verdicts))
