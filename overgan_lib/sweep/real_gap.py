"""Did the NND critic learn its own real images? Read from stored NND records.

Every NND records the critic's real-side gap: its mean output on its fit images minus its
mean output on held-out images of the same distribution, with a standard error, for the
scored (EMA) critic and for the raw one (:func:`overgan_lib.metrics.nnd.real_gap`). A
critic that has learnt its fit images rates them above new real images: it then measures
its fit set as well as the data. The gap does not enter the NND, so it says *whether* the
critic learnt its real set, not how much that moved any score; chapter 10's memoriser claim
compares NNDs across samplers, so a gap is a warning on those comparisons, not a verdict.

The rule: the critic learnt its fit images when the gap exceeds z(1 - :data:`ALPHA`)
standard errors (one-sided: learning raises the gap). The normal quantile is fair where
each mean is over hundreds of critic outputs (the held-out half always is); on the fit side
:mod:`overgan_lib.metrics.nnd_fit_views` goes down to about a dozen images, where Student's t
would ask for about 1.8 instead of 1.64 standard errors.

One fixed split. Both halves are fixed once (seed 0). For one critic, the standard error is
the sampling law of its gap under a random split, so it does cover that critic's share of
the split's offset; what it does not cover is the dependence between critics: every critic
with similar features sees the same draw of the split, so critics that share it can all lean
one way by chance, and their gaps are not independent tries. A gap *below* -z standard
errors cannot be learning and shows that effect (it is reported); a small positive gap can
be that effect as well as learning. A second critic fitted on the other half separates the
two (learning raises both gaps, the split's difference flips sign):
:mod:`overgan_lib.metrics.nnd_crossover` fits it, :mod:`.crossover` reads the pairs.

The rule is applied critic by critic with no multiplicity correction: out of many critics
that learnt nothing about ALPHA of them cross it by chance, so counts come with that
expectation (and critics that share a seed and both halves are not independent tries). A
group of critics is judged by :func:`first_gap_group` (or, crossed over,
:func:`.crossover.group_test`): its mean against z times its mean error, valid under any
dependence; the status page's row (:func:`critic_check`) uses that. "Within noise" is
absence of evidence: readings give the one-sided upper bound, the largest gap the data leave
plausible.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .significance import EDGE
from .summary import ALPHA


def z_learnt() -> float:
    """The gap, in standard errors, above which a critic has learnt its fit images."""
    from scipy import stats

    return float(stats.norm.ppf(1 - ALPHA))


def _gap_of(result: dict[str, Any]) -> tuple[float, float]:
    """(gap, standard error) of one stored NND result; NaN for records stored before the gap
    was recorded."""
    nan = float("nan")
    return result.get("real_gap", nan), result.get("real_gap_se", nan)


def learnt(gap: float, se: float) -> bool | None:
    """Did the critic learn its fit images (gap > :func:`z_learnt` standard errors)?
    None where the error is unknown (a missing or one-image side)."""
    if not (np.isfinite(gap) and np.isfinite(se)) or se <= 0:
        return None
    return bool(gap > z_learnt() * se)


def reversed_gap(gap: float, se: float) -> bool:
    """A gap below -:func:`z_learnt` standard errors: held-out images rated above the fit
    images, which learning cannot do; the fixed split's own difference, as the critic's
    features see it (see the module docstring)."""
    return bool(np.isfinite(gap) and np.isfinite(se) and se > 0 and gap < -z_learnt() * se)


def count_reversed(results: Iterable[dict[str, Any]]) -> int:
    """Critics whose gap is negative beyond noise (:func:`reversed_gap`)."""
    return sum(reversed_gap(*_gap_of(r)) for r in results)


def fmt_gap(gap: float, se: float) -> str:
    """'+0.012 ± 0.020' (the gap and its standard error)."""
    return f"{gap:+.3f} ± {se:.3f}"


def upper_bound(gap: float, se: float) -> float:
    """The one-sided (1 - ALPHA) upper bound of the gap: gap + z SE."""
    return gap + z_learnt() * se


def count_learnt(results: Iterable[dict[str, Any]]) -> tuple[int, int, float]:
    """(critics that learnt their fit images, critics with a known gap, how many of those
    would cross the rule by chance) over NND results (dicts with real_gap, real_gap_se)."""
    seen = [learnt(*_gap_of(r)) for r in results]
    known = [s for s in seen if s is not None]
    return sum(known), len(known), ALPHA * len(known)


def _flags(views: dict[str, Any], raw: bool = False) -> list[bool | None]:
    """:func:`learnt` for every row of an ``nnd_fit_views`` record (EMA or raw critic)."""
    g, s = ("real_gap_raw", "real_gap_raw_se") if raw else ("real_gap", "real_gap_se")
    return [learnt(a, b) for a, b in zip(views[g], views[s], strict=True)]


def first_learnt(views: dict[str, Any], raw: bool = False) -> int | None:
    """The first row of an ``nnd_fit_views`` record (sizes shrinking) whose critic learnt
    its fit images (the EMA critic's gap, or the raw one's with ``raw``); None if none did."""
    return next((i for i, f in enumerate(_flags(views, raw)) if f), None)


def fmt_views(v: float) -> str:
    """Views per fit image as the chapter prints them: one decimal below 10, whole above."""
    return f"{v:.1f}" if v < 10 else f"{v:,.0f}"


def fit_views_reading(views: dict[str, Any]) -> str:
    """What the shrinking-fit-set experiment (``nnd_fit_views`` record) says of the scored
    (EMA) critic, in words. The sizes shrink from the first row, so the views per fit image
    grow at a fixed critic budget; the first row is called the baselines' fit set only when
    it is the whole fit half (as large as the held-out half)."""
    n, v = np.asarray(views["n_fit"]), np.asarray(views["views"])
    gap, se = (np.asarray(views[k], float) for k in ("real_gap", "real_gap_se"))
    flags = _flags(views)
    whose = "the baselines' " if n[0] == views["n_score"] else ""
    text = (f"With {whose}{n[0]:,} fit images ({fmt_views(v[0])} views each) the scored "
            f"critic's gap is {fmt_gap(gap[0], se[0])}, "
            + ("beyond noise: at this budget the critic already learns its fit images. "
               if flags[0] else
               f"within noise (one-sided upper bound {upper_bound(gap[0], se[0]):.2f}; the "
               f"error is this critic's sampling law under a random split, but every critic "
               f"shares this one split, so critics' gaps are not independent tries). "))
    first = next((i for i, f in enumerate(flags) if f), None)
    if first is None:
        text += (f"It stays within noise down to {n[-1]:,} fit images ({fmt_views(v[-1])} "
                 f"views each): at this budget the critic does not measurably learn its "
                 f"real images.")
    elif first > 0:
        every = all(flags[first:])
        text += (f"{'From' if every else 'At'} {n[first]:,} fit images "
                 f"({fmt_views(v[first])} views each){' on' if every else ''} the critic has "
                 f"learnt them (gap "
                 f"{fmt_gap(gap[first], se[first])})"
                 + ("" if every else ", though not at every smaller size") + ". ")
    if first is not None and first < len(n) - 1:
        text += (f"With the fewest ({n[-1]:,}, {fmt_views(v[-1])} views each) the gap is "
                 f"{fmt_gap(gap[-1], se[-1])}.")
    wrong = [int(m) for m, g, s in zip(n, gap, se, strict=True) if reversed_gap(g, s)]
    if wrong:
        text += (f" The gap is below zero beyond noise at {', '.join(f'{m:,}' for m in wrong)} "
                 f"fit images, which learning cannot do: the fixed split's own difference as "
                 f"this critic sees it.")
    return text.rstrip()


def _floor_critics(floor: dict[str, Any] | None) -> list[dict[str, float]]:
    """Every critic seed of an ``nnd_floor`` record (memoriser and unrepeated training
    images) as a result with one gap; none for a record stored before the gap was."""
    if floor is None:
        return []
    return [{"real_gap": g, "real_gap_se": e} for name in ("memorise", "fresh")
            if "real_gap" in floor[name]
            for g, e in zip(floor[name]["real_gap"], floor[name]["real_gap_se"], strict=True)]


def seed_gaps(floor: dict[str, Any]) -> tuple[int, int, int]:
    """(critics that learnt their fit images, critics with a known gap, critics with a
    positive gap) over every critic seed of an ``nnd_floor`` record (memoriser and unrepeated
    images); 0, 0, 0 for a record stored before the gap was."""
    critics = _floor_critics(floor)
    got, known, _ = count_learnt(critics)
    positive = sum(c["real_gap"] > 0 for c in critics
                   if learnt(c["real_gap"], c["real_gap_se"]) is not None)
    return got, known, int(positive)


def seed_gaps_reading(floor: dict[str, Any]) -> str:
    """The scored critic's gap over the critic seeds of an ``nnd_floor`` record, in words.

    One critic seed can leave a small gap within noise; several seeds show whether it is
    there. They share both real halves, and each seed's two critics (memoriser, unrepeated
    images) share their real batches, so these are about as many tries as seeds, and no
    chance count or p-value is given."""
    got, known, positive = seed_gaps(floor)
    if not known:
        return "No real-side gap is stored with the critic seeds of the floor above."
    lists = "; ".join(
        f"{label} " + ", ".join(fmt_gap(g, e) for g, e in zip(
            floor[name]["real_gap"], floor[name]["real_gap_se"], strict=True))
        for name, label in (("memorise", "against the memoriser"),
                            ("fresh", "against training images without repeats")))
    return (f"Over the {len(floor['critic_seeds'])} critic seeds of the floor above (whole fit "
            f"half), the scored critic's gap is {lists}: {positive} of {known} positive and "
            f"{got} of {known} beyond the rule (each seed's two critics share their real batches "
            f"and every critic shares both halves, so these are about "
            f"{len(floor['critic_seeds'])} tries, not {known}).")


def sweep_gaps_reading(scored: list[dict[str, Any]],
                       baselines: list[dict[str, Any]]) -> str:
    """The gaps of the critics that scored a profile's trained generators (``scored``), in
    words, beside the baselines' critics' (``baselines``): how many crossed the rule, their
    range and signs, and how many are negative beyond noise (the fixed split's offset)."""
    got, known, chance = count_learnt(scored)
    if not known:
        return "no real-side gap is stored with these scores."
    gaps = np.array([_gap_of(r)[0] for r in scored], float)
    base = np.array([_gap_of(r)[0] for r in baselines], float)
    base = base[np.isfinite(base)]
    below = count_reversed(scored)
    text = (f"{got} of {known} show a real-side gap beyond the rule, about {chance:.1f} "
            f"expected by chance if none learnt (they share the critic seed and both real "
            f"halves, so they are not independent tries). Their gaps run from "
            f"{np.nanmin(gaps):+.2f} to {np.nanmax(gaps):+.2f}, {int(np.sum(gaps < 0))} of "
            f"{known} negative and {below} below zero beyond noise"
            + (", which learning cannot do: they show the size of the fixed split's own "
               "offset." if below else "."))
    if len(base):
        text += (f" The baselines' critics: {int(np.sum(base > 0))} of {len(base)} gaps "
                 f"positive.")
        if np.sum(gaps < 0) > known / 2 and np.sum(base > 0) > len(base) / 2:
            text += (" The two kinds of critic lean opposite ways: the fixed split's offset as "
                     "each kind's features see it, or a little learning by the baselines' "
                     "critics? Crossing the halves over separates the two.")
    return text


def group_mean_test(estimates: Iterable[tuple[float, float]]
                    ) -> tuple[float, float, bool] | None:
    """The group test on (estimate, standard error) pairs: (mean estimate, z times the mean
    standard error, whether the first exceeds the second) over the pairs with a known error
    (:func:`learnt` not None). Valid however the estimates depend on each other (the standard
    deviation of a mean is at most the mean of the standard deviations). None when no error
    is known."""
    known = [(g, e) for g, e in estimates if learnt(g, e) is not None]
    if not known:
        return None
    mean = float(np.mean([g for g, _ in known]))
    bar = z_learnt() * float(np.mean([e for _, e in known]))
    return mean, bar, bool(mean > bar)


def first_gap_group(results: Iterable[dict[str, Any]]) -> tuple[float, float, bool] | None:
    """:func:`group_mean_test` on the first gaps of NND results (the crossed pairs' version is
    :func:`.crossover.group_test`); the first gaps carry the fixed split's offset, which the
    crossed pairs cancel. None when no gap is known."""
    return group_mean_test(_gap_of(r) for r in results)


def critic_check(baselines: dict[str, Any], views: dict[str, Any],
                 floor: dict[str, Any] | None = None,
                 crossed: list | None = None) -> tuple[bool, str]:
    """The status page's row for the NND critic: passes when the critics at the baselines'
    protocol, as a group, show no learning of their fit images. The group test (mean against
    z times the mean error, :func:`first_gap_group`, :func:`.crossover.group_test`) holds
    however the critics depend on each other, where counting critics beyond a per-critic rule
    ("any one fails") has no multiplicity control and these critics share the split and the
    critic seed. Where the baselines' critics are crossed over (``crossed``:
    :class:`.crossover.CrossedPair` of the baselines, at least one with a known error), the
    group of learning estimates (a + b) / 2 decides, which the split's offset does not move;
    otherwise the group of first gaps of the baselines' critics and, where the profile
    measures the floor (``nnd_floor`` record), of its critic seeds. The reason leads with
    what decided, then gives per-critic counts (information, not the rule) of the first gaps
    and, where crossed over, of the learning estimates, the largest one-sided upper bound of
    the baselines' first gaps and where, at the same budget, a smaller fit set starts to be
    learnt."""
    from .crossover import group_test

    names = baselines["baselines"]
    got, known, chance = count_learnt(baselines[n] for n in names)
    if not known:
        return False, "no real-side gap is stored with the baselines: recompute them"
    bound = max(upper_bound(baselines[n]["real_gap"], baselines[n]["real_gap_se"])
                for n in names)
    n, v = np.asarray(views["n_fit"]), np.asarray(views["views"])
    first = first_learnt(views)
    shrink = (f"no gap down to {n[-1]:,} fit images ({fmt_views(v[-1])} views each)"
              if first is None else
              f"learnt at {n[first]:,} fit images ({fmt_views(v[first])} views each)")
    why = (f"baselines' critics with a real-side gap beyond the per-critic rule: {got} of "
           f"{known} ({chance:.2f} expected by chance; largest one-sided upper bound "
           f"{bound:.2f}) at {fmt_views(v[0])} views per fit image")
    if floor is not None:
        seeds_got, seeds_known, positive = seed_gaps(floor)
        if seeds_known:
            why += (f" · over the floor's critic seeds: {seeds_got} of {seeds_known} beyond the "
                    f"rule, {positive} of {seeds_known} positive")
    seen = [p.learnt() for p in crossed or []]
    if any(x is not None for x in seen):  # the reading the split's offset does not move
        why += (f" · crossed over, learning estimates beyond the per-critic rule: "
                f"{sum(bool(x) for x in seen)} of {sum(x is not None for x in seen)} (the "
                f"chapter's reading; the first gaps above are pulled down by the split's "
                f"offset)")
    why += f" · shrinking the fit set at the same budget: {shrink}"
    test = group_test(crossed or [])
    if test is not None:
        what = "crossing the halves over, the baselines' critics' mean learning estimate"
    else:
        test = first_gap_group([*(baselines[n] for n in names), *_floor_critics(floor)])
        what = "the mean first gap of the baselines' critics (and the floor's critic seeds)"
    assert test is not None  # known > 0
    mean, bar, beyond = test
    edge = " (only just)" if beyond and mean < (1 + EDGE) * bar else ""
    head = (f"{what} {mean:+.3f} {'exceeds' if beyond else 'stays below'} the group bar "
            f"{bar:.3f}{edge}: {gap_word(beyond)} (a test valid however the critics depend on "
            f"each other)")
    return not beyond, f"{head} · per critic, for information: {why}"


def gap_word(beyond: bool) -> str:
    """The group test's outcome in words."""
    return "learning detected" if beyond else "no learning detected"
