"""Chapter "Generalization"'s Markdown tables of the NND critic: its settings against the
reference's, the baselines' NND, the fit-set experiment, the baselines' real-side gaps and
the crossed pairs."""

from __future__ import annotations

from typing import Any

from .. import real_gap as gap_rule
from .baselines import label, learnt_cell


def critic_settings_table(cfg: dict[str, Any], baselines: dict[str, Any], profile: str) -> str:
    """The NND critic's settings at ``profile`` (``cfg``: its ``generalization_baselines``
    settings; ``baselines``: that record, for its real halves) against the reference
    implementation's, as a Markdown table."""
    from ...metrics import nnd as N

    return "\n".join([
        f"| setting | reference | this profile (`{profile}`) |", "|---|---:|---:|",
        f"| critic steps | {N.REFERENCE_STEPS:,} | {cfg['steps']:,} |",
        f"| batch (per side) | {N.BATCH} | {cfg['batch_size']} |",
        f"| EMA decay of the scored weights | {N.EMA} | {cfg['ema']} |",
        f"| scoring batches | {N.REFERENCE_EVAL_BATCHES:,} | {cfg['eval_batches']} |",
        f"| real images: fit / score | the same test images for both (Gulrajani et al. 2019) "
        f"| {baselines['n_fit']:,} / "
        f"{baselines['n_score']:,} (disjoint halves of the test split; our deviation) |",
        "| critic seeds per score | 1 | 1 |"])


def baseline_nnd_table(baselines: dict[str, Any]) -> str:
    """The baselines' final NND, scored (EMA) and raw critic, and wall time (``baselines``:
    ``generalization_baselines`` record) as a Markdown table."""
    rows = ["| baseline | NND (EMA) | NND (raw critic) | wall time |", "|---|---|---|---|"]
    for n in baselines["baselines"]:
        r = baselines[n]
        rows.append(f"| {label(n)} | {r['nnd']:.3f} | {r['curve_raw'][-1]:.3f} | "
                    f"{r['seconds']:.0f} s |")
    return "\n".join(rows)


def fit_views_table(views: dict[str, Any]) -> str:
    """The fit-set experiment (``views``: ``nnd_fit_views`` record) as a Markdown table: per
    fit-set size, both critics' real-side gaps against the per-critic rule, NND, wall time."""
    beyond = f"beyond {gap_rule.z_learnt():.2f} SE?"  # the rule, not a verdict on learning
    rows = [f"| fit images | views per fit image | gap ± SE (EMA critic, scored) | {beyond} | "
            f"gap ± SE (raw critic) | {beyond} | NND (EMA) | NND (raw critic) | wall time |",
            "|---:|---:|---:|---|---:|---|---:|---:|---:|"]
    for i, n_fit in enumerate(views["n_fit"]):
        ema, raw = ((views[g][i], views[f"{g}_se"][i]) for g in ("real_gap", "real_gap_raw"))
        rows.append(f"| {int(n_fit):,} | {gap_rule.fmt_views(views['views'][i])} | "
                    f"{gap_rule.fmt_gap(*ema)} | {learnt_cell(*ema)} | "
                    f"{gap_rule.fmt_gap(*raw)} | {learnt_cell(*raw)} | {views['nnd'][i]:.3f} | "
                    f"{views['nnd_raw'][i]:.3f} | {views['seconds'][i]:.0f} s |")
    return "\n".join(rows)


def baseline_gaps_table(baselines: dict[str, Any]) -> str:
    """The baselines' critics' real-side gaps (``baselines``: ``generalization_baselines``
    record) as a Markdown table, with the EMA gap's one-sided upper bound and the rule."""
    beyond = f"beyond {gap_rule.z_learnt():.2f} SE?"
    rows = [f"| baseline | gap ± SE (EMA critic, scored) | one-sided upper bound (this critic) | "
            f"{beyond} | gap ± SE (raw critic) | {beyond} |", "|---|---:|---:|---|---:|---|"]
    for n in baselines["baselines"]:
        r = baselines[n]
        ema, raw = ((r[g], r[f"{g}_se"]) for g in ("real_gap", "real_gap_raw"))
        rows.append(f"| {label(n)} | {gap_rule.fmt_gap(*ema)} | "
                    f"{gap_rule.upper_bound(*ema):.2f} | {learnt_cell(*ema)} | "
                    f"{gap_rule.fmt_gap(*raw)} | {learnt_cell(*raw)} |")
    return "\n".join(rows)


def crossover_table(pairs: dict[str, list]) -> str:
    """Every crossed pair (``pairs``: source -> :class:`.crossover.CrossedPair`) as a Markdown
    row: both gaps, the learning estimate against the rule, the offset and both NNDs."""
    from ..crossover import fmt_pair_row

    rows = ["| critics of | sampler | first gap a ± SE | crossed gap b ± SE | "
            "learning (a + b)/2 ± SE "
            f"| beyond {gap_rule.z_learnt():.2f} SE? | offset (a − b)/2 (in SE of a) | NND, first "
            "| NND, crossed |", "|---|---|---:|---:|---:|---|---:|---:|---:|"]
    for src, ps in pairs.items():
        for p in ps:
            who, what = ("baselines", label(p.name)) if src == "baselines" else (f"`{src}`",
                                                                                 p.name)
            rows.append(f"| {who} | {what} | " + " | ".join(fmt_pair_row(p)) + " |")
    return "\n".join(rows)

