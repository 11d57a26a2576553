"""Chapter "Generalization"'s readings of the NND critic's diagnostics (its real-side gap):
the fit-set experiment's prediction for `gpu`, the one reading of first and crossed gaps,
and the sentences on the raw critic and the critic seeds. The rules are :mod:`..real_gap`'s
and :mod:`..crossover`'s; these only word them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .. import real_gap as gap_rule
from ..significance import EDGE  # "only just": within this share of a group test's bar


def near_bar(mean: float, bar: float) -> bool:
    """Whether a group test's ``mean`` lies within :data:`EDGE` of its ``bar`` (relative to
    the bar), on either side: the test then only just decides."""
    return bool(abs(mean - bar) < EDGE * bar)


def margin_text(mean: float, bar: float) -> str:
    """How far a group test's ``mean`` lies from its ``bar``, as a share of the bar worded
    from the numbers ("by 0.8% of the bar"), with enough digits that a close call never reads
    as a wide one (two significant digits below 1%)."""
    pct = 100 * abs(mean - bar) / abs(bar)
    return f"by {pct:.2g}% of the bar" if pct < 1 else f"by {pct:.1f}% of the bar"


def critic_group(baselines: Mapping[str, Any], floor: Mapping[str, Any] | None,
                 crossed: list | None) -> tuple[float, float, bool] | None:
    """The group test the status row decides by (:func:`..real_gap.critic_check`): (mean,
    bar, beyond) of the baselines' crossed learning estimates where any has a known error
    (``crossed``: :class:`..crossover.CrossedPair`), else of the first gaps of the
    baselines' critics (``baselines``: ``generalization_baselines`` record) and of the
    floor's critic seeds (``floor``: ``nnd_floor`` record or None). None when no gap is
    known."""
    from ..crossover import group_test

    test = group_test(list(crossed or []))
    if test is not None:
        return test
    firsts = [baselines[n] for n in baselines["baselines"]]
    return gap_rule.first_gap_group([*firsts, *gap_rule._floor_critics(floor)])


def fit_views_prediction(views: dict[str, Any], gpu: dict[str, Any], fit_views: float) -> str:
    """What this profile's fit-set experiment (``views``: ``nnd_fit_views`` record) predicts
    for the ``gpu`` critic (``gpu``: its ``generalization_baselines`` settings), in words,
    and what the ``gpu`` protocol does about it. ``fit_views``: views per fit image here."""
    from ...metrics.nnd_fit_views import views_per_image

    gpu_fit = gpu["n_real"] // 2
    gpu_views = views_per_image(gpu, gpu_fit)
    pool = gpu["steps"] * gpu["batch_size"] / gpu["n_train"]
    first = gap_rule.first_learnt(views)
    head = (f"At `gpu` the critic sees each of its {gpu_fit:,} fit images about "
            f"{gpu_views:,.0f} times, and each of the memoriser's training images about "
            f"{pool:,.0f} times (here: {gap_rule.fmt_views(fit_views)} views per fit image). ")
    if first is None:
        return head + (f"At this profile's budget no gap crossed the rule up to "
                       f"{gap_rule.fmt_views(views['views'][-1])} views each, so this "
                       f"experiment predicts nothing for `gpu`; its records' gaps will say.")
    gap, se = views["real_gap"][first], views["real_gap_se"][first]
    seen = gap_rule.fmt_views(views["views"][first])
    return head + (
        f"This book's own evidence suggests that the `gpu` critic learns its fit images: here "
        f"a critic that saw each fit image {seen} times had already learnt them (gap "
        f"{gap_rule.fmt_gap(gap, se)}), and `gpu` shows each "
        f"{gpu_views / float(views['views'][first]):,.0f} times as often. That assumes the "
        f"views per image drive the learning; the `gpu` critic also trains longer, on larger "
        f"batches and with an average of its weights, so it is not the same experiment. A "
        f"critic that learns its real fit images rates "
        f"held-out real images and every sampler alike as less real, which can narrow the "
        f"gap between the memoriser and the models that Fig. 6's comparison rests on. The "
        f"`gpu` protocol does not prevent it; it measures it: every NND records its critic's "
        f"real-side gap, and the crossover trains a twin critic on the other half for every "
        f"baseline and every scored generator, so the learning estimate (a + b) / 2 and how "
        f"far each comparison moves with the split are reported beside the `gpu` verdicts.")


def diagnostics_reading(baselines: list[dict[str, Any]], crossed: list) -> str:
    """One reading of the NND critic's first gaps and crossed-over learning estimates for
    the baselines' critics (``baselines``: their NND results; ``crossed``:
    :class:`.crossover.CrossedPair`), decided by the group tests the status row uses, so the
    two sections cannot disagree: the first gaps carry the split's offset, the learning
    estimates cancel it."""
    from ..crossover import group_test

    got, known, _ = gap_rule.count_learnt(baselines)
    first = gap_rule.first_gap_group(baselines)
    cross = group_test(crossed)
    if first is None:
        return "No real-side gap is stored with the baselines' critics."
    mean, bar, beyond = first
    text = (f"First gaps: {got} of {known} of the baselines' critics cross the per-critic "
            f"rule, and their mean, {mean:+.3f}, {'exceeds' if beyond else 'stays below'} "
            f"the group bar {bar:.3f}. ")
    if cross is None:
        return text + ("They are not crossed over at this profile, so learning cannot be "
                       "told from the fixed split's offset, and the first gaps decide.")
    n_learnt = sum(bool(p.learnt()) for p in crossed if p.learnt() is not None)
    offset = float(np.mean([p.offset for p in crossed]))
    c_mean, c_bar, c_beyond = cross
    text += (f"Crossed over, {n_learnt} of {len(crossed)} learning estimates cross the "
             f"per-critic rule and their mean, {c_mean:+.3f}, "
             f"{'exceeds' if c_beyond else 'stays below'} the group bar {c_bar:.3f}"
             + (f" (only just: {margin_text(c_mean, c_bar)})"
                if c_beyond and near_bar(c_mean, c_bar) else "") + ". ")
    if c_beyond and not beyond:
        learn = ("are consistent with slight learning of their fit half (borderline: the "
                 "group bar covers the critics' noise, not a bias they all share)"
                 if near_bar(c_mean, c_bar) else "learn their fit half a little")
        text += (f"The two are reconciled by the split: its offset (mean {offset:+.3f}) pulls "
                 f"the first gaps down, hiding learning that the crossed pairs show, so the "
                 f"critics at this budget {learn}.")
    elif beyond and not c_beyond:
        text += (f"The first gaps' excess is the split's offset (mean {offset:+.3f}), not "
                 f"learning, so the crossed reading decides.")
    else:
        text += ("Both readings agree" + (": the critics learn their fit half." if c_beyond
                                          else ": no learning is detected."))
    return text



def scored_critics_text(scored: Mapping[str, Mapping[str, Any]],
                        baselines: Mapping[str, Any]) -> str:
    """The real-side gaps of the critics that scored the sweeps' generators (``scored``:
    sweep -> ``generalization`` record data) beside the baselines' critics' (``baselines``:
    ``generalization_baselines`` record), in words (:func:`..real_gap.sweep_gaps_reading`)."""
    critics = [d["nnd"][n] for d in scored.values() for n in d["names"]]
    return ("The critics that scored these generators (section {ref}`sec-real-gap`): "
            + gap_rule.sweep_gaps_reading(critics, [baselines[n] for n in baselines["baselines"]])
            + " Section {ref}`sec-crossover` crosses the halves over for every one of them.")


def raw_gap_text(views: Mapping[str, Any], cfg: Mapping[str, Any]) -> str:
    """The raw critic's real-side gaps in the fit-set experiment (``views``: ``nnd_fit_views``
    record; ``cfg``: its settings), in words: from which fit-set size its gap crosses the
    per-critic rule, and how far the scored EMA weights trail it (a horizon of 1 / (1 - ema)
    steps, keeping ema^steps of the initial critic)."""
    first = gap_rule.first_learnt(views, raw=True)
    return (f"The raw critic (the weights at the last step; the scored EMA trails it by about "
            f"{1 / (1 - cfg['ema']):.0f} steps and at this budget still holds "
            f"{100 * cfg['ema'] ** cfg['steps']:.0f}% of the initial critic) "
            + ("shows no gap beyond the rule at any size." if first is None else
               f"shows a gap beyond the rule from {int(views['n_fit'][first]):,} fit images "
               f"({gap_rule.fmt_views(views['views'][first])} views each)"
               + (" already." if first == 0 else ".")))


def gap_seeds_text(floor: Mapping[str, Any] | None) -> str:
    """The scored critic's gap over the floor's critic seeds (``floor``: ``nnd_floor`` record,
    None where the profile does not measure it), in words."""
    if floor is None:
        return ("The floor's critic seeds are not measured at this profile, so the gap at the "
                "whole fit half rests on one critic seed per baseline.")
    return gap_rule.seed_gaps_reading(floor)


def seed_spread_text(floor: Mapping[str, Any] | None) -> str:
    """The memoriser's NND spread over critic seeds (``floor``: ``nnd_floor`` record, None
    where the profile does not measure it), the scale for reading the fit-set experiment's
    one-seed NND column."""
    if floor is None:
        return ("The memoriser's NND spread over critic seeds is not measured at this profile, "
                "so how much of the NND column's movement is seed noise cannot be said.")
    return (f"The NND columns hold one critic seed per size: read their changes against the "
            f"memoriser's spread over critic seeds at the whole fit half, "
            f"{np.std(floor['memorise']['nnd'], ddof=1):.2f} (sample standard deviation over "
            f"{len(floor['critic_seeds'])} seeds; see the floor above).")


def critic_row_text(row: tuple[bool, str]) -> str:
    """What the status page's row for the NND critic (``row``: :func:`..real_gap.critic_check`,
    (passes, why)) says at this profile, in words."""
    ok, why = row
    return (f"The status page's row for this instrument judges the baselines' critics by the "
            f"group test and {'passes' if ok else 'does not pass'} at this profile ({why}).")
