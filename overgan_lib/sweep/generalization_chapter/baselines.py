"""The baselines' names as chapter "Generalization" prints them, their points on its strip,
and its per-critic table cell."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .. import real_gap as gap_rule

LABELS = {"memorise": "memoriser (all training images)", "blur": "blurred training images",
          "noise": "noisy training images", "fresh": "training images, no repeats"}


def pool_size(name: str) -> int:
    """The number of training images a small-pool memoriser (``memorise_500``) copies."""
    return int(name.split("_")[1])


def small_memorisers(names: Iterable[str]) -> list[str]:
    """The small-pool memorisers (``memorise_<n>``) among the baselines' ``names``, in order."""
    return [n for n in names if n.startswith("memorise_")]


def label(name: str) -> str:
    """A baseline sampler's name as the chapter prints it (``memorise_500``: "memoriser of
    500 images"; ``fresh``: training images drawn without repeats, not new real images)."""
    if name.startswith("memorise_"):
        return f"memoriser of {pool_size(name):,} images"
    return LABELS.get(name, name)


def learnt_cell(gap: float, se: float) -> str:
    """A table cell for one critic's gap against the per-critic rule: yes, no or — (error
    unknown)."""
    seen = gap_rule.learnt(gap, se)
    return "—" if seen is None else "yes" if seen else "no"


def baseline_points(baselines: dict[str, Any], floor: dict[str, Any] | None
                    ) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """The baselines' NND for the chapter's strip: (several critic seeds by name, where the
    profile measures the floor; one critic seed by name), every baseline in one of the two."""
    multi = {} if floor is None else {"memoriser": np.asarray(floor["memorise"]["nnd"]),
                                      "no repeats": np.asarray(floor["fresh"]["nnd"])}
    one = {} if floor is not None else {"memoriser": float(baselines["memorise"]["nnd"])}
    for b in baselines["baselines"]:
        if b == "memorise" or (b == "fresh" and floor is not None):
            continue
        one[label(b).replace("memoriser of ", "mem. of ")] = float(baselines[b]["nnd"])
    return multi, one


def perturbations() -> tuple[float, float]:
    """(blur sigma in pixels, noise std in uint8 units) of the blurred and noisy baselines,
    read from the samplers :func:`overgan_lib.metrics.samplers.make_baseline` builds (the
    book's choices: imperfect copies a good generator should beat)."""
    from ...metrics.samplers import make_baseline

    images = np.zeros((1, 3, 8, 8), np.uint8)
    blur, noise = make_baseline("blur", images), make_baseline("noise", images)
    return float(blur.sigma), float(noise.std)


def pixels_text(size: float) -> str:
    """A length in pixels, in words: "1 pixel", "1.5 pixels"."""
    return f"{size:g} pixel{'' if size == 1 else 's'}"


def neighbour_label(name: str) -> str:
    """A baseline's name in the neighbour table and grid titles (the held-out test images and
    the memoriser, which copies the searched subset, named for what they are)."""
    return ("held-out test images" if name == "test" else
            "memoriser (images of the searched subset)" if name == "memorise" else label(name))
