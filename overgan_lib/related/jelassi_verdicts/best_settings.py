"""Chapter 12's representatives of an optimiser at one width: which seeds clear the quality
bar (:func:`clears`), the best setting that reaches it (:func:`best_spec`, :func:`shown_spec`),
how thinly (:func:`thin_passes`), and the seed-level margins the claims compare them by
(:func:`half_width`, :func:`seed_margin`); the book's thresholds for these (:data:`MIN_HQ`,
:data:`SMEAR_MARGIN`, :data:`COLLAPSED_MODES`, :data:`THIN_MARGIN`)."""

from __future__ import annotations

import numpy as np

from ...errors import ParameterError

MIN_HQ = 0.5  # the bar: below this quality, mode counts say little (book's choice; chapter)
#: How far (in fraction of samples) a setting's mean high-quality fraction must exceed the
#: uniform smear's to count as *beating the smear*. The book's choice, not the paper's: five
#: percentage points, so that 2.4% against a smear's 2.2% is not counted as a win.
SMEAR_MARGIN = 0.05
#: A seed that clears the bar holding at most this many modes has collapsed onto one mode (all
#: its samples near it): it does not count as clearing the bar in the 2D verdicts.
COLLAPSED_MODES = 1
#: How far a representative's lowest seed must clear the bar for the pass not to be *thin*, and
#: the least quality lead (fraction of samples) of a one-sided verdict (:func:`claim_verdict`):
#: five percentage points, the book's choice (the same as the trend tolerance of the widths).
THIN_MARGIN = 0.05


def seed_mean(x: np.ndarray) -> float:
    """The mean of ``x`` (over seeds) as a Python float."""
    return float(np.mean(x))


def _indices(names: list[str], name: str) -> list[int]:
    """Positions of the specs called ``name`` (a one-line error if there are none)."""
    idx = [j for j, n in enumerate(names) if n == name]
    if not idx:
        raise ParameterError(f"no {name!r} spec among {names}; add one to the optimizers")
    return idx


def clears(modes_: np.ndarray, hq: np.ndarray, min_hq: float,
           max_modes: int | None = None) -> np.ndarray:
    """Per seed (last axis), whether it clears the bar: quality at least ``min_hq`` and, with
    ``max_modes``, more than ``max_modes`` modes (a seed collapsed onto one mode puts all its
    samples near it and would clear any bar)."""
    ok = np.asarray(hq, dtype=float) >= min_hq
    if max_modes is not None:
        ok &= np.asarray(modes_) > max_modes
    return ok


def counted_quality(modes_: np.ndarray, hq: np.ndarray, min_hq: float,
                    max_modes: int | None) -> np.ndarray:
    """``hq`` with every *collapsed pass* set to 0: a seed that reaches ``min_hq`` while holding
    at most ``max_modes`` modes (unchanged when ``max_modes`` is None). A generator collapsed onto
    one mode puts all its samples near it: its quality (up to 100%) says nothing about the
    mixture, so it neither clears the bar (:func:`clears`) nor counts in a quality lead or a
    best-setting mean. Seeds below the bar keep their quality, whatever their mode count."""
    hq = np.asarray(hq, dtype=float)
    if max_modes is None:
        return hq
    return np.where((np.asarray(modes_) <= max_modes) & (hq >= min_hq), 0.0, hq)


def learned(modes_: np.ndarray, hq: np.ndarray, min_hq: float,
            max_modes: int | None = None) -> bool:
    """Whether one setting (arrays over seeds) *learned*: a majority of its seeds (more than
    half) clear the bar (:func:`clears`). Not the mean: a mean above the bar can rest on one
    good seed beside failed ones, or on seeds collapsed onto one mode."""
    c = clears(modes_, hq, min_hq, max_modes)
    return bool(c.sum() > c.size / 2)


def learned_mask(modes_: np.ndarray, hq: np.ndarray, min_hq: float,
                 max_modes: int | None = None) -> np.ndarray:
    """:func:`learned` of every setting at once (same arguments): arrays (..., seed) to a
    boolean mask (...), e.g. (benchmark, width, spec, seed) to which cells of a sweep learned.
    With ``max_modes=COLLAPSED_MODES`` it is the rule the verdicts use (:func:`best_spec`)."""
    c = clears(modes_, hq, min_hq, max_modes)
    return c.sum(-1) > c.shape[-1] / 2


def best_spec(modes_: np.ndarray, hq: np.ndarray, names: list[str], name: str,
              min_hq: float, max_modes: int | None = None) -> int | None:
    """Index of the spec called ``name`` that stands for that optimiser, by a rule a smear
    cannot win; None when no setting of it *learned*.

    ``modes_`` and ``hq`` are (spec, seed). Among the specs called ``name`` that learned
    (:func:`learned`: a majority of seeds reach ``min_hq``, with more than ``max_modes`` modes
    when given), the one with the most modes captured (ties: higher quality). Mode counts
    alone would reward a generator that spreads its mass over the plane, and picking among
    settings that all failed would pick seed noise, so with no learned setting there is no
    representative.
    """
    idx = _indices(names, name)
    good = [j for j in idx if learned(modes_[j], hq[j], min_hq, max_modes)]
    if not good:
        return None
    return max(good, key=lambda j: (seed_mean(modes_[j]), seed_mean(hq[j])))


def shown_spec(modes_: np.ndarray, hq: np.ndarray, names: list[str], name: str,
               min_hq: float, max_modes: int | None = None) -> tuple[int, bool]:
    """The spec to *plot* for optimiser ``name`` and whether it learned: :func:`best_spec`
    if one did, else the setting with the highest mean high-quality fraction (drawn greyed,
    never used in a verdict)."""
    j = best_spec(modes_, hq, names, name, min_hq, max_modes)
    if j is not None:
        return j, True
    return top_spec(hq, names, name), False


def thin_passes(modes_: np.ndarray, hq: np.ndarray, names: list[str], min_hq: float,
                margin: float, max_modes: int | None = None) -> dict[str, tuple[float, float]]:
    """The optimisers whose representative (:func:`best_spec`) has a seed reaching ``min_hq``
    by less than ``margin`` (so also every mean that does), with (mean, lowest seed) quality:
    a verdict resting on them could turn with another seed. Judged by the lowest seed, not the
    mean alone: a mean well above the bar can rest on two seeds just above it."""
    out = {}
    for n in dict.fromkeys(names):
        j = best_spec(modes_, hq, names, n, min_hq, max_modes)
        if j is not None and float(np.min(hq[j])) < min_hq + margin:
            out[n] = (seed_mean(hq[j]), float(np.min(hq[j])))
    return out


def top_spec(hq: np.ndarray, names: list[str], name: str) -> int:
    """Index of the setting called ``name`` with the highest mean high-quality fraction."""
    return max(_indices(names, name), key=lambda i: seed_mean(hq[i]))


def top_quality(hq: np.ndarray, names: list[str], name: str) -> float:
    """The highest mean high-quality fraction among the settings called ``name``."""
    return seed_mean(hq[top_spec(hq, names, name)])


def half_width(a: np.ndarray, b: np.ndarray, conf: float = 0.95, paired: bool = True
               ) -> float:
    """The two-sided ``conf`` t half-width of mean(a) - mean(b) over seeds.

    ``paired`` (the 2D verdicts): seed s of every optimiser at a width starts from the same
    initialisation and draws the same data, noise and evaluation noise
    (:func:`overgan_lib.related.pacgan.build_gan`, ``_Streams``, ``fixed_noise``: all seeded by
    ``1000 * s + tag``), so the per-seed gaps a_s - b_s are the sample (a paired t interval,
    n - 1 degrees of freedom). Unpaired (or seeds of unequal number): Welch's interval. With one
    seed on either side the spread is unknown and the half-width is infinite; with no spread
    it is 0.
    """
    from scipy import stats

    from ...sweep.significance import welch_se

    a, b = np.asarray(a, dtype=float).ravel(), np.asarray(b, dtype=float).ravel()
    if min(len(a), len(b)) < 2:
        return float("inf")
    if paired and len(a) == len(b):
        d = a - b
        se, df = float(np.std(d, ddof=1) / np.sqrt(len(d))), len(d) - 1
    else:
        se, df = welch_se(a, b)
    return 0.0 if se == 0 else float(stats.t.ppf(0.5 + conf / 2, df)) * se


def seed_margin(a: np.ndarray, b: np.ndarray, tol: float, conf: float = 0.95,
                paired: bool = False) -> float:
    """How far apart the means of seed samples ``a`` and ``b`` must be to call them different:
    the larger of ``tol`` and the two-sided ``conf`` t half-width of mean(a) - mean(b)
    (:func:`half_width`; Welch's unless ``paired``, which the claim rules use).

    With one seed on either side the spread is unknown and the margin is infinite.
    """
    return max(float(tol), half_width(a, b, conf, paired))


def beats_smear(hq: np.ndarray, smear_hq: float, margin: float = SMEAR_MARGIN) -> np.ndarray:
    """Per setting, whether the mean (over seeds, the last axis) high-quality fraction exceeds
    the uniform smear's ``smear_hq`` by more than ``margin`` (:data:`SMEAR_MARGIN`)."""
    return np.asarray(hq, dtype=float).mean(-1) > float(smear_hq) + margin
