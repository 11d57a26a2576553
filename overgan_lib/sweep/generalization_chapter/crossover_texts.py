"""Chapter "Generalization"'s words on the crossed critics, per source of critics (pairs:
source -> :class:`..crossover.CrossedPair` list, source "baselines" or a sweep): the group
readings, how the NND moves with the split, and why the two kinds of critic lean apart. The
rules and numbers are :mod:`..crossover`'s; these only gather them over the sources."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .. import crossover as cross
from ..crossover import CrossedPair

_NO_GENERATORS = "No sweep's generators are crossed over at this profile."
_BASELINES = "the baselines' critics"


def _generators(pairs: Mapping[str, list[CrossedPair]]) -> dict[str, list[CrossedPair]]:
    """The sweeps' sources of crossed critics, without the baselines'."""
    return {src: ps for src, ps in pairs.items() if src != "baselines"}


def _whose(src: str) -> str:
    return f"the critics of `{src}`'s generators"


def generators_reading(pairs: Mapping[str, list[CrossedPair]]) -> str:
    """:func:`..crossover.crossover_reading` of every sweep's crossed critics, in one text."""
    return (" ".join(cross.crossover_reading(ps, _whose(src))
                     for src, ps in _generators(pairs).items()) or _NO_GENERATORS)


def bottom_lines(pairs: Mapping[str, list[CrossedPair]]) -> str:
    """:func:`..crossover.bottom_line` of the baselines' critics, then of every sweep's, each
    sweep's with its learning estimates by width where its names carry one."""
    parts = [cross.bottom_line(pairs.get("baselines", []), _BASELINES)]
    for src, ps in _generators(pairs).items():
        widths = cross.learning_by_width(ps)
        parts.append(cross.bottom_line(ps, _whose(src))
                     + (f" By width: {widths}." if widths else ""))
    return " ".join(parts)


def memoriser_move_text(base_pairs: list[CrossedPair], floor: Mapping[str, Any] | None) -> str:
    """How far the memoriser claim's comparison (the memoriser's NND minus that of training
    images without repeats) moves with the split (``base_pairs``: the baselines' crossed
    pairs), against how much that same difference varies over critic seeds (``floor``:
    ``nnd_floor`` record, None where not measured: the sample standard deviation of the
    paired differences, the noise of the quantity that moved), in words."""
    moves = cross.difference_moves(base_pairs, "memorise", "fresh")
    if moves is None:
        return ("Without both the memoriser and training images without repeats among the "
                "crossed baselines, how far the memoriser claim's comparison moves with the "
                "split is not measured here.")
    spread = ""
    if floor is not None and len(floor["memorise"]["nnd"]) > 1:
        diffs = np.asarray(floor["memorise"]["nnd"]) - np.asarray(floor["fresh"]["nnd"])
        spread = (f", against a sample standard deviation of that difference over "
                  f"{len(diffs)} critic seeds of {np.std(diffs, ddof=1):.2f}")
    return (f"The memoriser claim's comparison, the memoriser's NND minus that of training "
            f"images without repeats, is {moves[0]:+.2f} on the first split and "
            f"{moves[1]:+.2f} on the crossed one (one critic seed each), a move of "
            f"{moves[1] - moves[0]:+.2f}{spread}: read the memoriser verdict with that in mind.")


def shift_text(pairs: Mapping[str, list[CrossedPair]]) -> str:
    """Per sweep, how much the NND's shifts with the split differ between its generators
    against how much their first NNDs differ (:func:`..crossover.shift_spread`), in words."""
    parts = []
    for src, ps in _generators(pairs).items():
        moved, first = cross.shift_spread(ps)
        parts.append(f"For `{src}`, the shifts differ between its generators by up to "
                     f"{moved:.2f}, against first NNDs that differ by up to {first:.2f}.")
    return " ".join(parts) or _NO_GENERATORS


def lean_text(pairs: Mapping[str, list[CrossedPair]]) -> str:
    """:func:`..crossover.lean_decomposition` of all the sweeps' crossed critics against the
    baselines', or why it cannot be made."""
    generators = [p for ps in _generators(pairs).values() for p in ps]
    return (cross.lean_decomposition(generators, pairs.get("baselines", []))
            or "With only one kind of critic crossed at this profile, the two kinds' lean "
               "cannot be split.")
