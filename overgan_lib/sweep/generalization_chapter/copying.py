"""Chapter "Generalization"'s readings of the copy tests (Fig. 10): counts below a cut-off
(copy-like: below :data:`..copy_test.COPY_RATIO`), where the perturbed baselines' sources sit
in Inception space and how many lie in the held-out tail there, and how rare a copying the
test finds at this profile. The tests are :mod:`..copy_test`'s; these only count and word them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import copy_test
from .. import generalization as claims
from ..summary import ALPHA


def tail_cut_text(test_distances: np.ndarray) -> str:
    """The held-out tail's cut-off of nearest over second-nearest distance
    (``test_distances``: held-out images x k, ascending), as the chapter prints it: "0.906,
    the 4th smallest of the 64 held-out ratios (5% of 64 is 3.2, rounded up)"
    (:func:`..copy_test.tail_words`)."""
    ratios = copy_test.nearest_over_second(test_distances)
    return f"{copy_test.tail_cut(ratios):.3f}, {copy_test.tail_words(len(ratios))}"


def below_text(values: np.ndarray, cut: float) -> str:
    """How many of ``values`` lie below ``cut``, as "<count> of <total>"."""
    values = np.asarray(values)
    return f"{int(np.sum(values < cut))} of {len(values)}"


@dataclass(frozen=True)
class PerturbedSources:
    """The blurred and noisy baselines against the memoriser's images they perturb, in
    Inception space (:func:`perturbed_sources`); per sampler name ("blur", "noise")."""

    found: dict[str, tuple[str, str]]  # source is the nearest; source among the k nearest
    nearest: dict[str, float]  # median Inception distance to the nearest training image
    copy_like: dict[str, str]  # samples in the held-out tail, "<count> of <samples>"
    expected: float  # samples in the tail expected without copying (the same for both)
    exact: bool  # the memoriser's nearest pixel distances are all 0 (its sources are exact)
    top: int  # the memoriser's nearest Inception neighbours searched
    n: int = 0  # samples per baseline
    hits: dict[str, tuple[int, int]] | None = None  # found's counts (nearest, among top)
    like: dict[str, tuple[int, float]] | None = None  # tail count, its exact p-value
    cut: float = float("nan")  # the held-out tail's cut-off of the Inception ratio

    def blur_text(self) -> str:
        """Where the blurred images' sources are found, for the chapter's prose."""
        return (f"in {self.found['blur'][0]} cases and among its {self.top} nearest in "
                f"{self.found['blur'][1]}")

    def inception_text(self) -> str:
        """Per perturbation, what Inception space finds, for the chapter's prose: whether a
        perturbed image's source is mostly (more than half the time) its nearest Inception
        neighbour, and whether more of them lie in the held-out tail there (ratio below
        :attr:`cut`) than chance gives (exact
        one-sided test at level ALPHA)."""
        assert self.hits is not None and self.like is not None
        parts = []
        for name, what in (("blur", "blurred"), ("noise", "noisy")):
            (first, among), (count, p) = self.hits[name], self.like[name]
            mostly = first > self.n / 2
            parts.append(
                f"a {what} image's own source is its nearest Inception neighbour in "
                f"{'' if mostly else 'only '}{first} of {self.n} cases (among its {self.top} "
                f"nearest in {among}), and {count} of {self.n} {what} images lie in the "
                f"held-out tail there (ratio below {self.cut:.3f}), "
                f"{'more than' if p < ALPHA else 'no more than'} the "
                f"{self.expected:.1f} expected without copying: Inception space "
                f"{'mostly finds' if mostly else 'mostly misses'} {what} copies")
        return "; ".join(parts) + ("" if self.exact else
                                   " (the memoriser's nearest pixel distances are not all 0 at "
                                   "this profile, so the source counts are approximate)")

    def noise_text(self) -> str:
        """Where the noisy images' sources are found, flagged approximate unless exact."""
        return f"{self.found['noise'][0]} and {self.found['noise'][1]}" + (
            "" if self.exact else "; the memoriser's nearest pixel distances are not all 0 at "
            "this profile, so these counts are approximate")


def perturbed_sources(neighbours: Mapping[str, Any]) -> PerturbedSources:
    """Is the source of a blurred or noisy image its Inception nearest neighbour anyway?
    ``neighbours``: the ``neighbour_baselines`` record. The blurred and noisy images are
    drawn with the memoriser's seed, so they perturb the memoriser's images, whose pixel
    nearest neighbour (at distance 0) is the source; the tail counts test them against the
    held-out images' nearest over second-nearest Inception distance (its lower tail,
    :func:`..copy_test.tail_cut`)."""
    mem = neighbours["memorise"]
    sources = mem["pixel_indices"][:, 0]
    test_ratio = copy_test.nearest_over_second(neighbours["test"]["inception_distances"])
    found, nearest, like, hits, tested = {}, {}, {}, {}, {}
    expected = float("nan")
    for n in ("blur", "noise"):
        idx, dist = neighbours[n]["inception_indices"], neighbours[n]["inception_distances"]
        hits[n] = (int(copy_test.source_found(idx, sources, 1)),
                   int(copy_test.source_found(idx, sources, idx.shape[1])))
        found[n] = (f"{hits[n][0]} of {len(idx)}", f"{hits[n][1]} of {len(idx)}")
        nearest[n] = float(np.median(dist[:, 0]))
        count, expected, p = copy_test.copy_like(copy_test.nearest_over_second(dist),
                                                 test_ratio)
        like[n] = f"{count} of {len(idx)}"
        tested[n] = (int(count), float(p))
    return PerturbedSources(found, nearest, like, expected,
                            bool(np.all(mem["pixel_distances"][:, 0] == 0)),
                            mem["inception_indices"].shape[1], len(sources), hits, tested,
                            copy_test.tail_cut(test_ratio))


def pooled_samples(scored: Mapping[str, Mapping[str, Any]], fallback: int) -> int:
    """The samples the copying verdict pools: those of the first scored sweep's widest width,
    every seed (``scored``: sweep -> ``generalization`` record data); ``fallback`` (samples
    per run times seeds per width) where no sweep is scored."""
    first = next(iter(scored.values()), None)
    if first is None:
        return fallback
    k = np.asarray(first["k"])
    return sum(len(first["neighbours"][n]["pixel_distances"])
               for n, w in zip(first["names"], k, strict=True) if w == k.max())


def copy_power_text(n_test: int, n_pooled: int, sweep: str | None) -> str:
    """The copying test's sensitivity at this profile, in words: the rarest copying it
    finds with power :data:`..generalization.COPY_POWER` from ``n_test`` held-out images and
    ``n_pooled`` samples (``sweep``: the sweep they come from, None if none is scored)."""
    share = copy_test.detectable_copy_share(n_pooled, n_test, claims.COPY_POWER)
    return (f"With {n_test} held-out images and {n_pooled} pooled samples "
            + (f"(the widest width of `{sweep}`" if sweep is not None else
               "(samples per run times seeds per width at this profile; no sweep is scored yet")
            + f"), the test finds, with {100 * claims.COPY_POWER:.0f}% power at level {ALPHA}, "
            f"a generator that copies at least {100 * share:.0f}% of the time (its copies below "
            f"the tail, its other samples like new images); rarer copying is not found "
            f"reliably.")


def copy_like_note(n_cached: int, n_test: int) -> str:
    """The note under the sweeps' table: what its two counts are (samples in the held-out
    tail, below the cut-off from ``n_test`` held-out images, :func:`..copy_test.tail_words`:
    the count the copying verdict tests; copy-like samples, below the absolute
    :data:`..copy_test.COPY_RATIO`), and that the Inception ratio searches only the
    ``n_cached`` training images with cached features."""
    return ("In the held-out tail: samples whose nearest over second-nearest distance lies "
            f"below the cut-off shown, {copy_test.tail_words(n_test)}: the count the copying "
            f"verdict tests, pooled over the widest width's seeds. Copy-like: samples whose "
            f"ratio lies below {copy_test.COPY_RATIO}, much nearer their nearest training image "
            "than their second nearest. The Inception copy ratio searches only the training images "
            f"whose features are cached ({n_cached:,} at this profile), so a copy of any other "
            "training image is invisible to it.")
