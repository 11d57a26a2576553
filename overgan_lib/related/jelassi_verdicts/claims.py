"""The claim verdicts of chapter 12 at one width: each optimiser represented by its best
setting that reaches a quality bar, and the rules that compare two of them over seeds."""

from __future__ import annotations

import numpy as np

from ...errors import ParameterError

MIN_HQ = 0.5  # the bar: below this quality, mode counts say little (book's choice; chapter)
#: How far (in fraction of samples) a setting's mean high-quality fraction must exceed the
#: uniform smear's to count as *beating the smear*. The book's choice, not the paper's: five
#: percentage points, so that 2.4% against a smear's 2.2% is not counted as a win.
SMEAR_MARGIN = 0.05
BUDGET = "at this budget"  # appended to a verdict that rests on an optimiser below the bar
#: The two readings of a 2D record: arrays (modes, quality), the quality's name, and the bar's.
#: ``precise`` is PacGAN's (3 standard deviations); ``recovers`` the book's precision-free one
#: (within ``near_sigmas`` standard deviations, modes holding a quarter of their share there).
READINGS = {"precise": ("modes", "hq_fraction", "high quality", "quality bar"),
            "recovers": ("near_modes", "near_fraction", "near", "recovery bar")}


def _mean(x: np.ndarray) -> float:
    return float(np.mean(x))


def _indices(names: list[str], name: str) -> list[int]:
    """Positions of the specs called ``name`` (a one-line error if there are none)."""
    idx = [j for j, n in enumerate(names) if n == name]
    if not idx:
        raise ParameterError(f"no {name!r} spec among {names}; add one to the optimizers")
    return idx


def best_spec(modes_: np.ndarray, hq: np.ndarray, names: list[str], name: str,
              min_hq: float) -> int | None:
    """Index of the spec called ``name`` that stands for that optimiser, by a rule a smear
    cannot win; None when no setting of it *learned*.

    ``modes_`` and ``hq`` are (spec, seed). Among the specs called ``name`` whose mean
    high-quality fraction is at least ``min_hq`` (the settings that learned), the one with the
    most modes captured (ties: higher quality). Mode counts alone would reward a generator that
    spreads its mass over the plane, and picking among settings that all failed would pick
    seed noise, so with no setting above ``min_hq`` there is no representative.
    """
    idx = _indices(names, name)
    good = [j for j in idx if _mean(hq[j]) >= min_hq]
    if not good:
        return None
    return max(good, key=lambda j: (_mean(modes_[j]), _mean(hq[j])))


def shown_spec(modes_: np.ndarray, hq: np.ndarray, names: list[str], name: str,
               min_hq: float) -> tuple[int, bool]:
    """The spec to *plot* for optimiser ``name`` and whether it learned: :func:`best_spec`
    if one did, else the setting with the highest mean high-quality fraction (drawn greyed,
    never used in a verdict)."""
    j = best_spec(modes_, hq, names, name, min_hq)
    if j is not None:
        return j, True
    return max(_indices(names, name), key=lambda i: _mean(hq[i])), False


def thin_passes(modes_: np.ndarray, hq: np.ndarray, names: list[str], min_hq: float,
                margin: float) -> dict[str, tuple[float, float]]:
    """The optimisers whose representative (:func:`best_spec`) has a seed reaching ``min_hq``
    by less than ``margin`` (so also every mean that does), with (mean, lowest seed) quality:
    a verdict resting on them could turn with another seed. Judged by the lowest seed, not the
    mean alone: a mean well above the bar can rest on two seeds just above it."""
    out = {}
    for n in dict.fromkeys(names):
        j = best_spec(modes_, hq, names, n, min_hq)
        if j is not None and float(np.min(hq[j])) < min_hq + margin:
            out[n] = (_mean(hq[j]), float(np.min(hq[j])))
    return out


def top_quality(hq: np.ndarray, names: list[str], name: str) -> float:
    """The highest mean high-quality fraction among the settings called ``name``."""
    return max(_mean(hq[j]) for j in _indices(names, name))


def seed_margin(a: np.ndarray, b: np.ndarray, tol: float, conf: float = 0.95) -> float:
    """How far apart the means of seed samples ``a`` and ``b`` must be to call them different:
    the larger of ``tol`` and the two-sided ``conf`` Welch t half-width of mean(a) - mean(b).

    With one seed on either side the spread is unknown and the margin is infinite.
    """
    from scipy import stats

    a, b = np.asarray(a, dtype=float).ravel(), np.asarray(b, dtype=float).ravel()
    if min(len(a), len(b)) < 2:
        return float("inf")
    va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    se = float(np.sqrt(va + vb))
    if se == 0:
        return float(tol)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    return max(float(tol), float(stats.t.ppf(0.5 + conf / 2, df)) * se)


#: Per claim: (optimiser expected to do well, the one it is compared with, kind). ``match``
#: claims say the first is as good as the second; ``beats`` claims say it is clearly better.
CLAIMS = {"graft_vs_adam": ("graft", "adam", "match"),
          "rgraft_vs_adam": ("adam", "rgraft", "beats"),
          "nsgda_vs_sgda": ("nsgda", "sgda", "beats"),
          "nsgda_vs_adam": ("nsgda", "adam", "match")}


def _match(a: np.ndarray, b: np.ndarray, tol: float) -> str:
    """``a`` as good as ``b``: reproduced unless it trails by more than the seed margin."""
    d, m = _mean(a) - _mean(b), seed_margin(a, b, tol)
    if d >= -tol:
        return "reproduced"
    if d < -m:
        return "not reproduced"
    return f"inconclusive (behind by {-d:.1f} modes, within the seed margin {m:.1f})"


def _beats(a: np.ndarray, b: np.ndarray, n_modes: int, tol: float) -> str:
    """``a`` clearly ahead of ``b``: by more than the seed margin; "reproduced" also needs
    ``a`` to get all modes (mean >= n_modes - tol) and ``b`` not to, else "partly"."""
    d, m = _mean(a) - _mean(b), seed_margin(a, b, tol)
    if d <= tol:
        return "not reproduced"
    if d <= m:
        return f"inconclusive (ahead by {d:.1f} modes, within the seed margin {m:.1f})"
    full = n_modes - tol
    return "reproduced" if _mean(a) >= full > _mean(b) else "partly reproduced"


def beats_smear(hq: np.ndarray, smear_hq: float, margin: float = SMEAR_MARGIN) -> np.ndarray:
    """Per setting, whether the mean (over seeds, the last axis) high-quality fraction exceeds
    the uniform smear's ``smear_hq`` by more than ``margin`` (:data:`SMEAR_MARGIN`)."""
    return np.asarray(hq, dtype=float).mean(-1) > float(smear_hq) + margin


def _unlearned(who: list[str], top: dict[str, float], min_hq: float,
               measure: str = "high quality", bar: str = "quality bar") -> str:
    """"below the quality bar: ..." for the optimisers ``who``, with their best fractions of
    ``measure`` (the recovery reading names its own measure and bar)."""
    best = ", ".join(f"{n} best {top[n]:.1%}" for n in who)
    return f"below the {bar}: {best} {measure} < {min_hq:.0%}"


def claim_verdict(key: str, modes_: np.ndarray, hq: np.ndarray, names: list[str],
                  n_modes: int, tol: float, min_hq: float = MIN_HQ,
                  measure: str = "high quality", bar: str = "quality bar") -> str:
    """The verdict on one claim of :data:`CLAIMS` at one width (arrays spec x seed).

    Each optimiser is represented by :func:`best_spec`. With both represented, the rules are
    :func:`_match` and :func:`_beats` (differences of seed means against
    :func:`seed_margin`). An optimiser with no setting reaching ``min_hq`` is *below the
    quality bar*, and its mode counts are not read:

    * both below the bar → "inconclusive (below the quality bar: ...)";
    * ``match``: the reference (second) below the bar → inconclusive; the first below it while
      the reference reaches it → "not reproduced at this budget";
    * ``beats``: the first below the bar while the second reaches it → "not reproduced at this
      budget"; the second below it while the first reaches it → "reproduced at this budget"
      if the first has all modes, else "partly reproduced at this budget".

    A one-sided verdict says "at this budget" (:data:`BUDGET`) and names the optimiser below
    the bar: it compares end-of-training quality at the run's step count, not what the
    optimiser below the bar would reach with more steps. ``measure`` and ``bar`` only name the
    quality in the verdict's text (:data:`READINGS`).
    """
    a, b, kind = CLAIMS[key]
    best = {n: best_spec(modes_, hq, names, n, min_hq) for n in (a, b)}
    lost = [n for n in (a, b) if best[n] is None]
    top = {n: top_quality(hq, names, n) for n in (a, b)}
    if len(lost) == 2 or (kind == "match" and b in lost):
        return f"inconclusive ({_unlearned(lost, top, min_hq, measure, bar)})"
    if a in lost:
        return (f"not reproduced {BUDGET} ({_unlearned([a], top, min_hq, measure, bar)}; "
                f"{b} reaches it)")
    if lost:  # beats, and only the second failed
        full = _mean(modes_[best[a]]) >= n_modes - tol
        return (f"{'reproduced' if full else 'partly reproduced'} {BUDGET} "
                f"({_unlearned([b], top, min_hq, measure, bar)})")
    ma, mb = modes_[best[a]], modes_[best[b]]
    return _match(ma, mb, tol) if kind == "match" else _beats(ma, mb, n_modes, tol)


def claim_verdicts(modes_: np.ndarray, hq: np.ndarray, names: list[str], n_modes: int,
                   tol: float, min_hq: float = MIN_HQ, measure: str = "high quality",
                   bar: str = "quality bar") -> dict[str, str]:
    """:func:`claim_verdict` for every claim of :data:`CLAIMS` whose optimisers are in
    ``names`` (graft vs Adam and the nSGDA claims are required)."""
    return {key: claim_verdict(key, modes_, hq, names, n_modes, tol, min_hq, measure, bar)
            for key, (a, b, _) in CLAIMS.items()
            if key != "rgraft_vs_adam" or "rgraft" in names}


def short(verdict: str) -> str:
    """A verdict without its reason in parentheses (for tables of many verdicts)."""
    return verdict.split(" (")[0]


def substance(verdict: str) -> str:
    """What a verdict says, without its reason and without the :data:`BUDGET` marker: two
    verdicts that differ only in the marker ("reproduced" and "reproduced at this budget") say
    the same thing about the claim."""
    return short(verdict).replace(f" {BUDGET}", "")
