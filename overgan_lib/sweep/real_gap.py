"""Did the NND critic learn its own real images? Read from stored NND records.

Every NND records the scored critic's real-side gap: its mean output on its fit images
minus its mean output on held-out images of the same distribution, with a standard error
(:func:`overgan_lib.metrics.nnd.real_gap`). A critic that has learnt its fit images rates
them above new real images; held-out real images then look "faker" to it, and every NND it
scores drops by about the gap, whatever the sampler. Chapter 10's memoriser claim compares
NNDs across samplers, and a critic that spends its capacity on its fit images can separate
samplers less, so a gap is a warning on those comparisons rather than a verdict on any.

The rule: the critic learnt its fit images when the gap exceeds
z(1 - :data:`ALPHA`) standard errors (one-sided: learning raises the gap; each mean is
over at least a few hundred critic outputs at the cpu and gpu profiles, where the normal
approximation is fair, but only over ``n_fit`` outputs on the fit side, which
:mod:`overgan_lib.metrics.nnd_fit_views` takes down to 13 images). It is applied critic by
critic with no multiplicity correction: out of many critics about ALPHA of them cross it
by chance, so counts are given with that expectation.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .summary import ALPHA


def z_learnt() -> float:
    """The gap, in standard errors, above which a critic has learnt its fit images."""
    from scipy import stats

    return float(stats.norm.ppf(1 - ALPHA))


def learnt(gap: float, se: float) -> bool | None:
    """Did the critic learn its fit images (gap > :func:`z_learnt` standard errors)?
    None where the error is unknown (a missing or one-image side)."""
    if not (np.isfinite(gap) and np.isfinite(se)) or se <= 0:
        return None
    return bool(gap > z_learnt() * se)


def fmt_gap(gap: float, se: float) -> str:
    """'+0.012 ± 0.020' (the gap and its standard error)."""
    return f"{gap:+.3f} ± {se:.3f}"


def count_learnt(results: Iterable[dict[str, Any]]) -> tuple[int, int, float]:
    """(critics that learnt their fit images, critics with a known gap, how many of those
    would cross the rule by chance) over NND results (dicts with real_gap, real_gap_se)."""
    nan = float("nan")  # records stored before the gap was recorded have none
    seen = [learnt(r.get("real_gap", nan), r.get("real_gap_se", nan)) for r in results]
    known = [s for s in seen if s is not None]
    return sum(known), len(known), ALPHA * len(known)


def _views(v: float) -> str:
    return f"{v:.1f}" if v < 10 else f"{v:,.0f}"


def fit_views_reading(views: dict[str, Any]) -> str:
    """What the shrinking-fit-set experiment (``nnd_fit_views`` record) says, in words.

    Its first row is the baselines' own fit set; the sizes shrink from there, so the views
    per fit image grow at a fixed critic budget.
    """
    n, v = np.asarray(views["n_fit"]), np.asarray(views["views"])
    gap, se, nnd = (np.asarray(views[k], float) for k in ("real_gap", "real_gap_se", "nnd"))
    flags = [learnt(g, s) for g, s in zip(gap, se, strict=True)]
    text = (f"With the baselines' {n[0]:,} fit images ({_views(v[0])} views each) the gap is "
            f"{fmt_gap(gap[0], se[0])}, "
            + ("beyond noise: at this budget the critic already learns its fit images. "
               if flags[0] else "within noise. "))
    first = next((i for i, f in enumerate(flags) if f), None)
    if first is None:
        return text + (f"It stays within noise down to {n[-1]:,} fit images "
                       f"({_views(v[-1])} views each): at this budget the critic does not "
                       f"measurably learn its real images.")
    if first > 0:
        drop = nnd[0] - nnd[first]
        text += (f"From {n[first]:,} fit images ({_views(v[first])} views each) on, the "
                 f"critic has learnt them: gap {fmt_gap(gap[first], se[first])}, and the "
                 f"memoriser's held-out NND is {nnd[first]:.2f} against {nnd[0]:.2f} with "
                 f"the whole fit half ({'lower' if drop > 0 else 'not lower'} by "
                 f"{abs(drop):.2f}). ")
    if first < len(n) - 1:
        text += (f"With the fewest ({n[-1]:,}, {_views(v[-1])} views each) the gap is "
                 f"{fmt_gap(gap[-1], se[-1])} and the memoriser's held-out NND "
                 f"{nnd[-1]:.2f}.")
    return text.rstrip()


def critic_check(baselines: dict[str, Any], views: dict[str, Any]) -> tuple[bool, str]:
    """The status page's row for the NND critic: passes when no baseline's critic learnt its
    fit images (the scored NNDs then come from a critic that measures the data, not its fit
    set); the reason adds where, at the same budget, a smaller fit set starts to be learnt."""
    names = baselines["baselines"]
    got, known, chance = count_learnt(baselines[n] for n in names)
    n, v = np.asarray(views["n_fit"]), np.asarray(views["views"])
    flags = [learnt(g, s) for g, s in zip(views["real_gap"], views["real_gap_se"], strict=True)]
    first = next((i for i, f in enumerate(flags) if f), None)
    shrink = (f"no gap down to {n[-1]:,} fit images ({_views(v[-1])} views each)"
              if first is None else
              f"learnt from {n[first]:,} fit images ({_views(v[first])} views each) on")
    why = (f"baselines' critics with a real-side gap: {got} of {known} ({chance:.2f} expected "
           f"by chance) at {_views(v[0])} views per fit image; shrinking the fit set at the "
           f"same budget: {shrink}")
    return known > 0 and got == 0, why
