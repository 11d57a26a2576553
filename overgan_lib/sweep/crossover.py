"""Learning or the split's offset? Read from NND critics and their crossed twins.

A first critic fits on half H1 of the held-out real images and is scored on H2; its crossed
twin (:mod:`overgan_lib.metrics.nnd_crossover`) fits on H2 and is scored on H1, everything else
the same. Their real-side gaps are a = D1(H1) - D1(H2) and b = D2(H2) - D2(H1) (means of the
critics' outputs; :func:`overgan_lib.metrics.nnd.real_gap`). Write each as learning plus the
split's difference as that critic's features see it: a = l1 + d1, b = l2 - d2. "Learning" is
any way a critic comes to rate its own fit half above the other: memorising images, or fitting
the sample's particulars (its mean and spread, say) without any one image. Learning raises
both gaps; where the two critics see the halves alike (d1 = d2 = d) the difference enters with
opposite signs, so

    learning ~ (a + b) / 2,      the split's offset ~ (a - b) / 2.

Where the critics see the halves differently (d1 != d2), (d1 - d2) / 2 stays in the learning
estimate, and where they learn unequally, (l1 - l2) / 2 stays in the offset estimate: crossing
over cancels what the twins share. They share a lot (:mod:`overgan_lib.metrics.nnd_crossover`:
initial weights, batch order, every noise draw, the whole sample stream), so they are close to
one function trained on two samples.

Noise. Each gap has a standard error from its own images (both means over the images of a
half). The learning estimate gets sqrt(se_a^2 + se_b^2) / 2. The two gaps are computed on the
same images, and their image noise enters with opposite signs: as long as the two critics'
outputs rise and fall together over the images (positively correlated, as two critics of
one sampler trained alike are expected to be; their outputs are not stored, so this is not
checked), it partly cancels in a + b, this error is an upper bound and the rule (learning
beyond z(1 - ALPHA) of it, one-sided, as in :mod:`.real_gap`) is conservative. How loose it is
cannot be told without the critics' outputs image by image, which no record keeps: twins that
are nearly one function make it very loose. For a group of pairs, which share both halves and
the critic seed, :func:`group_test` asks whether the mean learning estimate exceeds z times the
mean error, valid however the pairs depend on each other (the standard deviation of a mean is
at most the mean of the standard deviations). The offset gets no test: it *is* the fixed
split's sampling difference. A gap's standard error describes its size for a random split,
but critics that share the split show one draw of it, whatever their number.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .real_gap import _gap_of, fmt_gap, group_mean_test, learnt
from .significance import EDGE
from .summary import ALPHA


@dataclass(frozen=True)
class CrossedPair:
    """One sampler's first critic (halves as every NND uses them) and its crossed twin."""

    name: str
    a: float  # first critic's gap, D1(H1) - D1(H2)
    se_a: float
    b: float  # crossed critic's gap, D2(H2) - D2(H1)
    se_b: float
    nnd_first: float  # scored on H2
    nnd_crossed: float  # scored on H1

    @property
    def learning(self) -> float:
        """(a + b) / 2: what both critics rate their own fit half above the other by."""
        return (self.a + self.b) / 2

    @property
    def offset(self) -> float:
        """(a - b) / 2: how much more real H1 looks than H2 to both critics alike."""
        return (self.a - self.b) / 2

    @property
    def se(self) -> float:
        """sqrt(se_a^2 + se_b^2) / 2, an upper bound of the learning estimate's error (see
        the module docstring)."""
        return math.hypot(self.se_a, self.se_b) / 2

    def learnt(self) -> bool | None:
        """Learning beyond z(1 - ALPHA) errors (one-sided; :func:`.real_gap.learnt` applied
        to the learning estimate); None where an error is unknown."""
        return learnt(self.learning, self.se)


def pairs(first: Mapping[str, Mapping[str, Any]], crossed: Mapping[str, Any]
          ) -> list[CrossedPair]:
    """Pair a crossover record's critics (``crossed``: its data, with ``names``) with the
    first critics' stored NND results of the same samplers (``first``: name -> result). A
    name the first record lacks is a one-line error (the two were made from different
    samplers)."""
    from ..errors import ParameterError

    missing = [n for n in crossed["names"] if n not in first]
    if missing:
        raise ParameterError(f"crossed critics {missing} have no first critic: recompute the "
                             f"crossover record from the same samplers as the NND record")
    out = []
    for n in crossed["names"]:
        differ = [k for k in ("steps", "batch_size", "eval_batches")
                  if k in first[n] and first[n][k] != crossed[n].get(k)]
        if differ:
            raise ParameterError(f"crossed critic {n!r} differs from its first critic in "
                                 f"{', '.join(differ)}: recompute the crossover record with the "
                                 f"NND record's settings")
        (a, se_a), (b, se_b) = _gap_of(first[n]), _gap_of(crossed[n])
        out.append(CrossedPair(n, a, se_a, b, se_b, first[n]["nnd"], crossed[n]["nnd"]))
    return out


def _crossed(ps: list[CrossedPair]) -> list[CrossedPair]:
    """The pairs whose first and crossed gaps are both known (records stored before the gap
    was have NaN)."""
    return [p for p in ps if np.isfinite(p.a) and np.isfinite(p.b)]


def _num(x: float) -> str:
    """A signed three-decimal number, with no sign on zero."""
    return "0.000" if abs(x) < 5e-4 else f"{x:+.3f}"


def fmt_pair_row(p: CrossedPair) -> list[str]:
    """A table row's cells: first gap, crossed gap, learning, beyond the rule?, offset in
    errors of one gap, NND first and crossed."""
    seen = p.learnt()
    return [fmt_gap(p.a, p.se_a), fmt_gap(p.b, p.se_b), fmt_gap(p.learning, p.se),
            "—" if seen is None else "yes" if seen else "no",
            f"{p.offset:+.3f} ({p.offset / p.se_a:+.1f})" if p.se_a > 0 else f"{p.offset:+.3f}",
            f"{p.nnd_first:.2f}", f"{p.nnd_crossed:.2f}"]


def crossover_reading(ps: list[CrossedPair], who: str) -> str:
    """What crossing the halves over says of a group of critics (``who``: e.g. "the
    baselines' critics"), in words: the signs of the first and crossed gaps, the learning
    estimates against the rule (with the chance count), the offset's sign and size, and how
    far the NND moves with the split."""
    ps = _crossed(ps)
    if not ps:
        return f"No crossed gaps are stored for {who}."
    n = len(ps)
    a, b = np.array([p.a for p in ps]), np.array([p.b for p in ps])
    learning, offset = np.array([p.learning for p in ps]), np.array([p.offset for p in ps])
    seen = [p.learnt() for p in ps]
    got = sum(bool(s) for s in seen)
    in_se = np.array([p.offset / p.se_a for p in ps if p.se_a > 0])
    moved = np.array([p.nnd_crossed - p.nnd_first for p in ps])
    text = (f"For {who} ({n}), the first gaps are positive in {int(np.sum(a > 0))} of {n} and "
            f"the crossed gaps in {int(np.sum(b > 0))} of {n}. ")
    flips = int(np.sum(np.sign(a) != np.sign(b)))
    text += (f"{flips} of {n} pairs {'has' if flips == 1 else 'have'} gaps of opposite "
             f"sign, which learning alone cannot give. " if flips else
             "No pair has gaps of opposite sign. ")
    text += (f"The learning estimate (a + b) / 2 runs from {learning.min():+.3f} to "
             f"{learning.max():+.3f} (mean {learning.mean():+.3f}, {int(np.sum(learning > 0))} "
             f"of {n} positive); {got} of {n} lie beyond the conservative rule "
             f"({ALPHA * n:.2f} expected by chance if none learnt; the pairs share both halves, "
             f"so they are not independent tries). ")
    text += (f"The split's offset (a - b) / 2 is negative in {int(np.sum(offset < 0))} of {n} "
             f"(mean {offset.mean():+.3f}, from {offset.min():+.3f} to {offset.max():+.3f})")
    if len(in_se):
        text += (f"; its median size is {np.median(np.abs(in_se)):.1f} first-gap standard "
                 f"errors (one draw of the split, seen by every critic)")
    text += (f". Swapping the halves moves the NND by {_num(moved.mean())} on average (from "
             f"{_num(moved.min())} to {_num(moved.max())}).")
    return text


def group_test(ps: list[CrossedPair]) -> tuple[float, float, bool] | None:
    """(mean learning estimate, z(1 - ALPHA) times the mean error, whether the first exceeds
    the second) over the pairs with a known error (:func:`.real_gap.group_mean_test`): a
    one-sided test of the group's mean learning that holds however the pairs depend on each
    other and inherits each error's conservatism. None when no pair has a known error."""
    return group_mean_test((p.learning, p.se) for p in ps)


def learning_by_width(ps: list[CrossedPair]) -> str:
    """Mean learning estimate per width of a sweep's pairs (names "k=<width> seed=<s>"), in
    words, e.g. "k=8 +0.009, k=16 +0.014"; empty when no name carries a width."""
    by: dict[int, list[float]] = {}
    for p in ps:
        if p.name.startswith("k=") and np.isfinite(p.learning):
            by.setdefault(int(p.name.split()[0][2:]), []).append(p.learning)
    return ", ".join(f"k={k} {np.mean(v):+.3f}" for k, v in sorted(by.items()))


def difference_moves(ps: list[CrossedPair], x: str, y: str) -> tuple[float, float] | None:
    """The NND of sampler ``x`` minus that of ``y``, on the first split and crossed: how far
    a comparison made on one split moves with it. None unless both are among the pairs."""
    got = {p.name: p for p in ps}
    if x not in got or y not in got:
        return None
    return (got[x].nnd_first - got[y].nnd_first, got[x].nnd_crossed - got[y].nnd_crossed)


def lean_decomposition(generators: list[CrossedPair], baselines: list[CrossedPair]) -> str:
    """Why the generators' and the baselines' critics lean differently
    (:func:`.real_gap.sweep_gaps_reading`), in words: the difference of their mean first
    gaps split exactly into the difference of their mean learning estimates and of their
    mean offsets (a = learning + offset for every pair), and the mean offsets also in units
    of each kind's first-gap errors (the two kinds' outputs have different scales). Empty
    where a group has no pair."""
    gens, base = _crossed(generators), _crossed(baselines)
    if not gens or not base:
        return ""

    def mean(ps: list[CrossedPair], what: str) -> float:
        return float(np.mean([getattr(p, what) for p in ps]))

    def in_se(ps: list[CrossedPair]) -> float:
        return float(np.mean([p.offset / p.se_a for p in ps if p.se_a > 0]))

    d_gap, d_learn, d_off = (mean(base, w) - mean(gens, w) for w in ("a", "learning", "offset"))
    shares = (f" (about {100 * d_learn / d_gap:.0f}% and {100 * d_off / d_gap:.0f}%)"
              if abs(d_gap) > 1e-9 else "")
    return (f"The baselines' critics' mean first gap exceeds the generators' critics' by "
            f"{d_gap:+.3f}: {d_learn:+.3f} from their learning estimates and {d_off:+.3f} from "
            f"the split's offset as each kind sees it{shares}; this is arithmetic on the "
            f"estimates, not a test (mean offsets {mean(base, 'offset'):+.3f} and "
            f"{mean(gens, 'offset'):+.3f}, or {in_se(base):+.1f} and {in_se(gens):+.1f} in units "
            f"of each kind's first-gap standard errors, whose scales differ).")


def bottom_line(ps: list[CrossedPair], who: str) -> str:
    """One group of crossed critics (``who``, e.g. "the baselines' critics") in words: does
    the group rate its own fit half above the other on average, by :func:`group_test` (its
    "group bar" is z times the mean error); and do learning and the split's offset pull the
    first gaps the same way or apart?"""
    test = group_test(ps)
    head = f"{who[0].upper()}{who[1:]}"
    if test is None:
        return f"{head} are not crossed over at this profile."
    ps = [p for p in ps if p.learnt() is not None]
    n, (mean, bar, beyond) = len(ps), test
    offset = float(np.mean([p.offset for p in ps]))
    flips = sum(np.sign(p.a) != np.sign(p.b) for p in ps)
    positive = sum(p.learning > 0 for p in ps)
    signs = (f"{positive} of {n} estimates positive; not independent evidence, as the pairs "
             f"share both halves")
    if beyond and mean < (1 + EDGE) * bar:
        text = (f"As a group, {who} rate their own fit half above the other, by a margin the "
                f"test only just detects: their mean learning estimate, {mean:+.3f}, against "
                f"a group bar of {bar:.3f} ({signs})")
    elif beyond:
        text = (f"{head} rate their own fit half above the other: their mean learning "
                f"estimate, {mean:+.3f}, exceeds the group bar of {bar:.3f} ({signs})")
    else:
        text = (f"The mean learning estimate of {who}, {mean:+.3f}, stays below the group bar "
                f"of {bar:.3f}: the conservative error cannot detect learning of this size "
                f"({signs})")
    if np.sign(offset) == -np.sign(mean) and abs(offset) > 0:
        text += (f". The split's offset (mean {offset:+.3f}) pulls the first gaps the other "
                 f"way" + (f": {flips} of {n} pairs {'has' if flips == 1 else 'have'} "
                           f"gaps of opposite sign." if flips else
                           ", hiding part of the learning from them."))
    else:
        text += f". The split's offset (mean {offset:+.3f}) pulls the first gaps the same way."
    return text


def shift_spread(ps: list[CrossedPair]) -> tuple[float, float]:
    """(range of the NND's shifts with the split over the pairs, range of their first NNDs):
    shifts that differ between samplers by much less than the samplers' NNDs differ cannot
    change a comparison between them."""
    moved = [p.nnd_crossed - p.nnd_first for p in ps]
    first = [p.nnd_first for p in ps]
    return float(np.ptp(moved)), float(np.ptp(first))
