"""Learning or the split's offset? Read from NND critics and their crossed twins.

A first critic fits on half H1 of the held-out real images and is scored on H2; its crossed
twin (:mod:`overgan_lib.metrics.nnd_crossover`) fits on H2 and is scored on H1, everything else
the same. Their real-side gaps are a = D1(H1) - D1(H2) and b = D2(H2) - D2(H1) (means of the
critics' outputs; :func:`overgan_lib.metrics.nnd.real_gap`). Write each as learning plus the
split's difference as that critic's features see it: a = l1 + d1, b = l2 - d2. Learning raises
both; where the two critics see the halves alike (d1 = d2 = d) the difference enters with
opposite signs, so

    learning ~ (a + b) / 2,      the split's offset ~ (a - b) / 2.

Where the critics see the halves differently (d1 != d2), what is left of the difference,
(d1 - d2) / 2, stays in the learning estimate: crossing over cancels the offset the critics
share, not the part peculiar to one critic.

Noise. Each gap has a standard error from its own images (both means over the images of a
half). The learning estimate gets sqrt(se_a^2 + se_b^2) / 2. The two gaps are computed on the
same images, and their image noise enters with opposite signs: as long as the two critics'
outputs rise and fall together over the images (positively correlated, as two critics of
one sampler trained alike are expected to be; their outputs are not stored, so this is not
checked), it partly cancels in a + b, this error is an upper bound and the rule (learning
beyond z(1 - ALPHA) of it, one-sided, as in :mod:`.real_gap`) is conservative. The offset gets no
test: it *is* the fixed split's sampling difference, of the size a gap's standard error
describes for a random split; its size in standard errors checks that description.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .real_gap import _gap_of, fmt_gap, z_learnt
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
        """Learning beyond z(1 - ALPHA) errors (one-sided); None where an error is unknown."""
        if not all(np.isfinite([self.learning, self.se])) or self.se <= 0:
            return None
        return bool(self.learning > z_learnt() * self.se)


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
        (a, se_a), (b, se_b) = _gap_of(first[n]), _gap_of(crossed[n])
        out.append(CrossedPair(n, a, se_a, b, se_b, first[n]["nnd"], crossed[n]["nnd"]))
    return out


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
    ps = [p for p in ps if np.isfinite(p.a) and np.isfinite(p.b)]
    if not ps:
        return f"No crossed gaps are stored for {who}."
    n = len(ps)
    a, b = np.array([p.a for p in ps]), np.array([p.b for p in ps])
    learning, offset = (a + b) / 2, (a - b) / 2
    seen = [p.learnt() for p in ps]
    got = sum(bool(s) for s in seen)
    in_se = np.array([p.offset / p.se_a for p in ps if p.se_a > 0])
    moved = np.array([p.nnd_crossed - p.nnd_first for p in ps])
    text = (f"For {who} ({n}), the first gaps are positive in {int(np.sum(a > 0))} of {n} and "
            f"the crossed gaps in {int(np.sum(b > 0))} of {n}. ")
    flips = int(np.sum(np.sign(a) != np.sign(b)))
    text += (f"{flips} of {n} pairs have gaps of opposite sign, which learning alone cannot "
             f"give. " if flips else "No pair has gaps of opposite sign. ")
    text += (f"The learning estimate (a + b) / 2 runs from {learning.min():+.3f} to "
             f"{learning.max():+.3f} (mean {learning.mean():+.3f}); {got} of {n} lie beyond "
             f"the rule ({ALPHA * n:.1f} expected by chance if none learnt; the pairs share "
             f"both halves, so they are not independent tries). ")
    text += (f"The split's offset (a - b) / 2 is negative in {int(np.sum(offset < 0))} of {n} "
             f"(mean {offset.mean():+.3f}, from {offset.min():+.3f} to {offset.max():+.3f})")
    if len(in_se):
        text += (f"; in units of the first gap's standard error its median size is "
                 f"{np.median(np.abs(in_se)):.1f}, against about 0.7 typical of a random split "
                 f"(the median of |N(0, 1)|; these critics share one split, so this is one "
                 f"draw seen through {n} critics)")
    text += (f". Swapping the halves moves the NND by {moved.mean():+.3f} on average (from "
             f"{moved.min():+.3f} to {moved.max():+.3f}).")
    return text


def lean_decomposition(generators: list[CrossedPair], baselines: list[CrossedPair]) -> str:
    """Why the generators' and the baselines' critics lean differently
    (:func:`.real_gap.sweep_gaps_reading`), in words: the difference of their mean first
    gaps split exactly into the difference of their mean learning estimates and of their
    mean offsets (a = learning + offset for every pair). Empty where a group has no pair."""
    gens = [p for p in generators if np.isfinite(p.a) and np.isfinite(p.b)]
    base = [p for p in baselines if np.isfinite(p.a) and np.isfinite(p.b)]
    if not gens or not base:
        return ""

    def mean(ps: list[CrossedPair], what: str) -> float:
        return float(np.mean([getattr(p, what) for p in ps]))

    d_gap, d_learn, d_off = (mean(base, w) - mean(gens, w) for w in ("a", "learning", "offset"))
    return (f"The baselines' critics' mean first gap exceeds the generators' critics' by "
            f"{d_gap:+.3f}: {d_learn:+.3f} from their learning estimates and {d_off:+.3f} from "
            f"the split's offset as each kind sees it (mean offsets {mean(base, 'offset'):+.3f} "
            f"and {mean(gens, 'offset'):+.3f}).")


def bottom_line(ps: list[CrossedPair], who: str) -> str:
    """One group of crossed critics (``who``, e.g. "the baselines' critics") in one sentence:
    do they learn their fit images beyond chance (more learning estimates beyond the rule
    than ALPHA of them, and at least one), and is the learning or the split's offset the
    larger part of their first gaps (mean over the pairs)? Descriptive: the pairs share both
    halves, so the count is not a test."""
    ps = [p for p in ps if p.learnt() is not None]
    if not ps:
        return f"{who[0].upper()}{who[1:]} are not crossed over at this profile."
    n, got = len(ps), sum(bool(p.learnt()) for p in ps)
    learning = float(np.mean([p.learning for p in ps]))
    offset = float(np.mean([p.offset for p in ps]))
    flips = sum(np.sign(p.a) != np.sign(p.b) for p in ps)
    head = f"{who[0].upper()}{who[1:]}"
    text = (f"{head} learn their fit images a little at this budget ({got} of {n} learning "
            f"estimates beyond the conservative rule, {ALPHA * n:.1f} expected by chance; mean "
            f"learning {learning:+.3f})" if got > max(ALPHA * n, 0.5) else
            f"{head} show no learning beyond chance ({got} of {n} learning estimates beyond "
            f"the rule, {ALPHA * n:.1f} expected by chance; mean learning {learning:+.3f})")
    if abs(offset) > abs(learning):
        text += (f", and the split's offset (mean {offset:+.3f}) is the larger part of their "
                 f"first gaps" + (f": {flips} of {n} pairs flip sign." if flips else "."))
    elif np.sign(offset) == -np.sign(learning):
        text += (f", and their learning is the larger part of their first gaps; the split's "
                 f"offset (mean {offset:+.3f}), of the opposite sign, hid part of it there.")
    else:
        text += (f", and their learning is the larger part of their first gaps (the split's "
                 f"offset: mean {offset:+.3f}).")
    return text
