"""Chapter "Generalization"'s Markdown tables of the NND critic: its settings against the
reference's, the baselines' NND, the fit-set experiment, the baselines' real-side gaps and
the crossed pairs."""

from __future__ import annotations

from typing import Any

from .. import real_gap as gap_rule
from .baselines import label, learnt_cell

# What the reference code (google-research towards_gan_benchmarks, lib/nn_divergence.py) does
# with real images; which split the paper's experiments passed it was not checked.
_REFERENCE_REAL = "it trains and scores its critic on that one stream"


def _halves(cfg: dict[str, Any], baselines: dict[str, Any] | None) -> str:
    """A settings column's real halves: the record's (``baselines``) where stored, else the
    settings' (``held_out_halves``: ``n_real // 2`` images each)."""
    fit, score = ((baselines["n_fit"], baselines["n_score"]) if baselines is not None else
                  (cfg["n_real"] // 2, cfg["n_real"] // 2))
    return f"{fit:,} / {score:,} (disjoint halves of the test split; our deviation)"


def critic_settings_table(cfg: dict[str, Any], baselines: dict[str, Any], profile: str,
                          others: dict[str, dict[str, Any]] | None = None) -> str:
    """The NND critic's settings at ``profile`` (``cfg``: its ``generalization_baselines``
    settings; ``baselines``: that record, for its real halves) against the reference
    implementation's, as a Markdown table; ``others``: more profiles' settings (by name) to
    show beside it, read from their settings, whether or not their results are stored."""
    from ...metrics import nnd as N

    cols = [(f"this profile (`{profile}`)", cfg, baselines),
            *((f"`{p}` (settings)", c, None) for p, c in (others or {}).items() if p != profile)]
    head = "| setting | reference | " + " | ".join(c[0] for c in cols) + " |"
    rows = [("critic steps", f"{N.REFERENCE_STEPS:,}", lambda c: f"{c['steps']:,}"),
            ("batch (per side)", f"{N.BATCH}", lambda c: f"{c['batch_size']}"),
            ("EMA decay of the scored weights", f"{N.EMA}", lambda c: f"{c['ema']}"),
            ("scoring batches", f"{N.REFERENCE_EVAL_BATCHES:,}",
             lambda c: f"{c['eval_batches']:,}")]
    lines = [head, "|---|---:|" + "---:|" * len(cols)]
    lines += [f"| {name} | {ref} | " + " | ".join(get(c[1]) for c in cols) + " |"
              for name, ref, get in rows]
    lines.append(f"| real images: fit / score | the caller's (the code takes a stream of real "
                 f"images; {_REFERENCE_REAL}) | "
                 + " | ".join(_halves(c[1], c[2]) for c in cols) + " |")
    lines.append("| critic seeds per score | 1 | " + " | ".join("1" for _ in cols) + " |")
    return "\n".join(lines)


def departures(cfg: dict[str, Any]) -> list[str]:
    """How the NND critic under ``cfg`` (``generalization_baselines`` settings) departs from
    the reference implementation's, one phrase per departure, the halved real set first."""
    from ...metrics import nnd as N

    out = [f"it fits on one half of the test split ({cfg['n_real'] // 2:,} images) and is "
           f"scored on the other, where the reference code leaves the real images to its caller "
           f"({_REFERENCE_REAL})"]
    for key, ref, one, many in (
            ("steps", N.REFERENCE_STEPS, "critic step", "critic steps"),
            ("batch_size", N.BATCH, "image per side and step", "images per side and step"),
            ("eval_batches", N.REFERENCE_EVAL_BATCHES, "scoring batch", "scoring batches")):
        if cfg[key] != ref:
            out.append(f"{cfg[key]:,} {one if cfg[key] == 1 else many}, not {ref:,}")
    if cfg["ema"] != N.EMA:
        out.append(f"an EMA decay of {cfg['ema']}, not {N.EMA}")
    return out


def departures_text(profiles: dict[str, dict[str, Any]]) -> str:
    """The NND critic's departures from the reference at each of ``profiles`` (name ->
    ``generalization_baselines`` settings), in words: one sentence per profile."""
    return " ".join(f"At `{p}`: " + "; ".join(departures(c)) + "."
                    for p, c in profiles.items())


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

