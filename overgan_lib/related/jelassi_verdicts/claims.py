"""The claim verdicts of chapter 12 at one width: each optimiser represented by its best
setting that reaches a quality bar (:mod:`.best_settings`), and the rules that compare two
of them over seeds (:func:`claim_verdict`)."""

from __future__ import annotations

import numpy as np

from .best_settings import (
    COLLAPSED_MODES,
    MIN_HQ,
    THIN_MARGIN,
    best_spec,
    clears,
    counted_quality,
    half_width,
    seed_margin,
    seed_mean,
    thin_passes,
    top_spec,
)

BUDGET = "at this budget"  # appended to a verdict that rests on an optimiser below the bar
#: The two readings of a 2D record: arrays (modes, quality), the quality's name, and the bar's.
#: ``precise`` is PacGAN's (3 standard deviations); ``recovers`` the book's precision-free one
#: (within ``near_sigmas`` standard deviations, modes holding a quarter of their share there).
READINGS = {"precise": ("modes", "hq_fraction", "high quality", "quality bar"),
            "recovers": ("near_modes", "near_fraction", "near", "recovery bar")}
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
    d, h = seed_mean(a) - seed_mean(b), half_width(a, b)
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
    ``b`` not to, else "partly". "Not reproduced" only when the whole paired 95% interval of
    mean(a) - mean(b) lies at or below ``tol`` (d + h <= tol: no lead above the tolerance is
    left), as :func:`_match` fails a claim only when the seeds exclude it; a lead at or below
    ``tol`` whose interval still reaches above it is inconclusive, and so is any gap with one
    seed on either side (no interval)."""
    d, h = seed_mean(a) - seed_mean(b), half_width(a, b)
    m = seed_margin(a, b, tol, paired=True)
    if d <= tol:
        if np.isfinite(h) and d + h <= tol:
            return "not reproduced"
        if not np.isfinite(h):
            return "inconclusive (one seed per side: no interval, a lead cannot be excluded)"
        return (f"inconclusive (mean gap {d:+.1f} modes; the 95% interval {d - h:+.1f} to "
                f"{d + h:+.1f} reaches above +{tol:g})")
    if d <= m:
        return f"inconclusive (ahead by {d:.1f} modes, within the seed margin {m:.1f})"
    full = n_modes - tol
    return "reproduced" if seed_mean(a) >= full > seed_mean(b) else "partly reproduced"


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
    j = top_spec(q, names, name)
    ok = int(clears(modes_[j], hq[j], min_hq, max_modes).sum())
    collapsed = int(clears(modes_[j], hq[j], min_hq).sum()) - ok
    return seed_mean(q[j]), ok, int(np.size(hq[j])), collapsed


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
        jl = top_spec(q, names, low)
        lead = seed_mean(q[reps[won]]) - seed_mean(q[jl])
        margin = seed_margin(q[reps[won]], q[jl], THIN_MARGIN, paired=True)
        why = _unlearned([low], top, min_hq, measure, bar)
        if lead <= margin:
            return _with_note(f"inconclusive ({why}; {won} {seed_mean(q[reps[won]]):.1%} against "
                              f"{low}'s best: a lead of {100 * lead:+.1f} points, within the "
                              f"quality margin of {100 * margin:.1f})", note)
        if low == a:
            return _with_note(f"not reproduced {BUDGET} ({why}; {b} reaches it)", note)
        full = seed_mean(modes_[reps[a]]) >= n_modes - tol
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
