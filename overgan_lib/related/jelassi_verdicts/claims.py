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
#: A seed that clears the bar holding at most this many modes has collapsed onto one mode (all
#: its samples near it): it does not count as clearing the bar in the 2D verdicts.
COLLAPSED_MODES = 1
#: How far a representative's lowest seed must clear the bar for the pass not to be *thin*, and
#: the least quality lead (fraction of samples) of a one-sided verdict (:func:`claim_verdict`):
#: five percentage points, the book's choice (the same as the trend tolerance of the widths).
THIN_MARGIN = 0.05
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
    return max(good, key=lambda j: (_mean(modes_[j]), _mean(hq[j])))


def shown_spec(modes_: np.ndarray, hq: np.ndarray, names: list[str], name: str,
               min_hq: float, max_modes: int | None = None) -> tuple[int, bool]:
    """The spec to *plot* for optimiser ``name`` and whether it learned: :func:`best_spec`
    if one did, else the setting with the highest mean high-quality fraction (drawn greyed,
    never used in a verdict)."""
    j = best_spec(modes_, hq, names, name, min_hq, max_modes)
    if j is not None:
        return j, True
    return _top_spec(hq, names, name), False


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
            out[n] = (_mean(hq[j]), float(np.min(hq[j])))
    return out


def _top_spec(hq: np.ndarray, names: list[str], name: str) -> int:
    """Index of the setting called ``name`` with the highest mean high-quality fraction."""
    return max(_indices(names, name), key=lambda i: _mean(hq[i]))


def top_quality(hq: np.ndarray, names: list[str], name: str) -> float:
    """The highest mean high-quality fraction among the settings called ``name``."""
    return _mean(hq[_top_spec(hq, names, name)])


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


#: Per claim: (optimiser expected to do well, the one it is compared with, kind). ``match``
#: claims say the first is as good as the second; ``beats`` claims say it is clearly better.
CLAIMS = {"graft_vs_adam": ("graft", "adam", "match"),
          "rgraft_vs_adam": ("adam", "rgraft", "beats"),
          "nsgda_vs_sgda": ("nsgda", "sgda", "beats"),
          "nsgda_vs_adam": ("nsgda", "adam", "match")}


def _match(a: np.ndarray, b: np.ndarray, tol: float) -> str:
    """``a`` as good as ``b`` (non-inferiority, an equivalence rule on one side): reproduced
    only when the whole 95% paired interval of mean(a) - mean(b) lies above ``-tol``; not
    reproduced when ``a`` trails by more than the seed margin; otherwise inconclusive. With one
    seed on either side the interval is unbounded and a "≈" cannot be tested (it could pass but
    never fail). ``a`` ahead of ``b`` does not contradict "as good as"."""
    d, h = _mean(a) - _mean(b), half_width(a, b)
    if not np.isfinite(h):
        return "inconclusive (one seed per side: no interval, a '≈' cannot be tested)"
    if d - h >= -tol:
        return "reproduced"
    if d < -max(tol, h):
        return "not reproduced"
    return (f"inconclusive ({'behind' if d < 0 else 'ahead'} by {abs(d):.1f} modes; the 95% "
            f"interval {d - h:+.1f} to {d + h:+.1f} reaches below -{tol:g})")


def _beats(a: np.ndarray, b: np.ndarray, n_modes: int, tol: float) -> str:
    """``a`` clearly ahead of ``b``: by more than the seed margin (tolerance and paired 95%
    half-width); "reproduced" also needs ``a`` to get all modes (mean >= n_modes - tol) and
    ``b`` not to, else "partly"."""
    d, m = _mean(a) - _mean(b), seed_margin(a, b, tol, paired=True)
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


def _unlearned(who: list[str], top: dict[str, tuple[float, int, int, int]], min_hq: float,
               measure: str = "high quality", bar: str = "quality bar") -> str:
    """"below the quality bar: ..." for the optimisers ``who``, with their best mean fraction
    of ``measure`` and how many of that setting's seeds clear the bar, and how many reach it
    collapsed (the recovery reading names its own measure and bar)."""
    best = ", ".join(f"{n} best {top[n][0]:.1%} {measure}, {top[n][1]} of {top[n][2]} seeds "
                     f"clear {min_hq:.0%}" + (f" ({top[n][3]} more reach it collapsed onto one "
                                              "mode)" if top[n][3] else "") for n in who)
    return f"below the {bar}: {best}"


def _top(modes_: np.ndarray, hq: np.ndarray, names: list[str], name: str, min_hq: float,
         max_modes: int | None) -> tuple[float, int, int, int]:
    """(mean quality, seeds clearing the bar, seeds, seeds reaching it collapsed) of
    ``name``'s highest-quality setting, by :func:`counted_quality` (a collapsed pass counts as
    no quality in the mean; it is counted apart)."""
    q = counted_quality(modes_, hq, min_hq, max_modes)
    j = _top_spec(q, names, name)
    ok = int(clears(modes_[j], hq[j], min_hq, max_modes).sum())
    return _mean(q[j]), ok, int(np.size(hq[j])), int(clears(modes_[j], hq[j], min_hq).sum()) - ok


def _thin_note(who: tuple[str, ...], modes_: np.ndarray, hq: np.ndarray, names: list[str],
               min_hq: float, max_modes: int | None) -> str:
    """"thin pass: X's lowest seed Y%" for the optimisers ``who`` whose representative is a
    thin pass (:func:`thin_passes` at :data:`THIN_MARGIN`: a verdict resting on them could
    turn with another seed); empty when none is."""
    thin = thin_passes(modes_, hq, names, min_hq, THIN_MARGIN, max_modes)
    said = [f"{n}'s lowest seed {thin[n][1]:.1%}" for n in who if n in thin]
    return f"thin pass: {', '.join(said)}" if said else ""


def _with_note(verdict: str, note: str) -> str:
    """``verdict`` with ``note`` added to its reason in parentheses."""
    if not note:
        return verdict
    if verdict.endswith(")") and " (" in verdict:
        return f"{verdict[:-1]}; {note})"
    return f"{verdict} ({note})"


def claim_verdict(key: str, modes_: np.ndarray, hq: np.ndarray, names: list[str],
                  n_modes: int, tol: float, min_hq: float = MIN_HQ,
                  measure: str = "high quality", bar: str = "quality bar",
                  max_modes: int | None = COLLAPSED_MODES) -> str:
    """The verdict on one claim of :data:`CLAIMS` at one width (arrays spec x seed).

    Each optimiser is represented by :func:`best_spec` (a majority of seeds clear the bar, a
    seed holding at most ``max_modes`` modes not counting). With both represented, the rules
    are :func:`_match` (the paired 95% interval within the tolerance) and :func:`_beats` (the
    difference beyond the seed margin). An optimiser with no learned setting is *below the
    quality bar*, and its mode counts are not read:

    * both below the bar → "inconclusive (below the quality bar: ...)";
    * ``match``: the reference (second) below the bar → inconclusive;
    * otherwise the verdict is *one-sided*: it goes against the optimiser below the bar ("not
      reproduced at this budget" when that is the first, "reproduced" / "partly reproduced at
      this budget" when it is the second of a ``beats`` claim, by whether the first has all
      modes), but only when the other's representative leads the best setting below the bar
      in mean quality by more than the quality margin (the larger of :data:`THIN_MARGIN` and
      the paired 95% half-width of the quality difference; a collapsed pass counts as no
      quality, :func:`counted_quality`); else inconclusive. Its mode
      counts are still not read: a smear's mode count is no evidence.

    A one-sided verdict says "at this budget" (:data:`BUDGET`) and names the optimiser below
    the bar: it compares end-of-training quality at the run's step count, not what the
    optimiser below the bar would reach with more steps. Every verdict names a representative
    whose lowest seed clears the bar by less than :data:`THIN_MARGIN` ("thin pass").
    ``measure`` and ``bar`` only name the quality in the verdict's text (:data:`READINGS`).
    """
    a, b, kind = CLAIMS[key]
    best = {n: best_spec(modes_, hq, names, n, min_hq, max_modes) for n in (a, b)}
    lost = [n for n in (a, b) if best[n] is None]
    top = {n: _top(modes_, hq, names, n, min_hq, max_modes) for n in (a, b)}
    reps = {n: j for n, j in best.items() if j is not None}
    note = _thin_note((a, b), modes_, hq, names, min_hq, max_modes)
    if len(lost) == 2 or (kind == "match" and b in lost):
        return f"inconclusive ({_unlearned(lost, top, min_hq, measure, bar)})"
    if lost:  # one-sided: the represented optimiser must lead in quality by the margin
        (won,), (low,) = reps, lost
        q = counted_quality(modes_, hq, min_hq, max_modes)  # collapsed passes count as none
        jl = _top_spec(q, names, low)
        lead = _mean(q[reps[won]]) - _mean(q[jl])
        margin = seed_margin(q[reps[won]], q[jl], THIN_MARGIN, paired=True)
        why = _unlearned([low], top, min_hq, measure, bar)
        if lead <= margin:
            return _with_note(f"inconclusive ({why}; {won} {_mean(q[reps[won]]):.1%} against "
                              f"{low}'s best: a lead of {100 * lead:+.1f} points, within the "
                              f"quality margin of {100 * margin:.1f})", note)
        if low == a:
            return _with_note(f"not reproduced {BUDGET} ({why}; {b} reaches it)", note)
        full = _mean(modes_[reps[a]]) >= n_modes - tol
        return _with_note(f"{'reproduced' if full else 'partly reproduced'} {BUDGET} ({why})",
                          note)
    ma, mb = modes_[best[a]], modes_[best[b]]
    return _with_note(_match(ma, mb, tol) if kind == "match" else
                      _beats(ma, mb, n_modes, tol), note)


def claim_verdicts(modes_: np.ndarray, hq: np.ndarray, names: list[str], n_modes: int,
                   tol: float, min_hq: float = MIN_HQ, measure: str = "high quality",
                   bar: str = "quality bar", max_modes: int | None = COLLAPSED_MODES
                   ) -> dict[str, str]:
    """:func:`claim_verdict` for every claim of :data:`CLAIMS` whose optimisers are in
    ``names`` (graft vs Adam and the nSGDA claims are required)."""
    return {key: claim_verdict(key, modes_, hq, names, n_modes, tol, min_hq, measure, bar,
                               max_modes)
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


def readings_split(pairs: list[tuple[str, str, str]]) -> list[str]:
    """The claims (``pairs``: label, precise verdict, recovery verdict) where the precise
    reading says "not reproduced at this budget" and the recovery reading says "reproduced"
    (with or without the :data:`BUDGET` marker): the optimiser recovered the modes but its
    samples were less precise at the last step."""
    return [label for label, precise, recovers in pairs
            if short(precise) == f"not reproduced {BUDGET}" and substance(recovers) == "reproduced"]


def readings_split_text(split: list[str], k: int) -> str:
    """Chapter 12's sentence on :func:`readings_split` at width ``k``: which claims, if any,
    and what such a split means."""
    meaning = ("the optimiser recovered as many modes as Adam within the tolerance, with fewer "
               "samples near them and less precise samples at the last step; such a verdict "
               "also depends on the radius (above) and the width (the \"across widths\" line), "
               "the abstract's claims are then neither confirmed nor refuted by this run, and a "
               "longer run, a decaying step size or an averaged generator is what would tell.")
    if not split:
        return (f"At k={k} no claim has the precise reading \"not reproduced at this budget\" "
                f"against a recovery reading of \"reproduced\". Where that happens, " + meaning)
    return (f"At k={k} the precise reading says \"not reproduced at this budget\" and the "
            f"recovery reading \"reproduced\" for {'; '.join(split)}: " + meaning)
