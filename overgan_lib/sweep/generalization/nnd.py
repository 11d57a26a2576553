"""Fig. 6's claims judged on stored NND scores (Sec. 3, App. E).

**Fig. 6 (NND).** "Increasing the value of k decreases the NND score" is judged with the
sweep summary's trend rule; "the NND score of memorized samples are higher than most of the
GAN models" by counting the models below the memoriser's NND with the models' own critic,
beyond critic-seed noise (:func:`paired_bounds`: the spread comes from the memoriser's
critic seeds and is assumed to be each model's too), so the claim needs at least
:data:`MIN_CRITIC_SEEDS` critic seeds of the memoriser and is not testable on one. It is
confirmed or contradicted only where the critic demonstrably detects the memoriser (against
training images drawn without repeats, paired over critic seeds: :func:`memoriser_detected`),
and not tested while every model scores above every
baseline (the models are then farther from the data than any imperfect copy of it).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...errors import ParameterError
from ..matrices import check_per_run, runs_by_width
from ..significance import fmt_p
from ..summary import (
    ALPHA,
    CONFIRMED,
    CONTRADICTED,
    NOT_REPRODUCED,
    NOT_TESTABLE,
    Verdict,
    far_qualified,
    improves_with_width,
)


def memoriser_detected(memoriser: np.ndarray, fresh: np.ndarray) -> tuple[bool | None, str]:
    """Does the NND critic tell the memoriser from training images drawn without repeats
    (``fresh``: each image drawn once, so no image repeats; the book's stand-in for new real
    images of the training distribution)? Paired over critic seeds
    (the two share each seed's critic initialisation, real batches and noise): one-sided
    t-test that the memoriser scores higher, at level :data:`ALPHA`. None with fewer than
    three critic seeds (no spread to judge a difference by). Returns (answer, evidence)."""
    m, f = np.asarray(memoriser, float), np.asarray(fresh, float)
    p = detection_p(m, f)
    said = (f"Over {len(m)} critic seed{'s' if len(m) != 1 else ''} the memoriser scores "
            f"{m.mean():.2f} and training images drawn without repeats {f.mean():.2f}")
    if p is None:
        return None, f"{said}; fewer than 3 critic seeds cannot separate the two from noise."
    return p < ALPHA, f"{said} (paired one-sided p = {fmt_p(p)} for the memoriser higher)."


def detection_p(memoriser: np.ndarray, fresh: np.ndarray) -> float | None:
    """The p-value of :func:`memoriser_detected`'s test: one-sided paired t-test over critic
    seeds that the memoriser scores higher than training images drawn without repeats; None
    with fewer than three critic seeds."""
    from scipy import stats

    m, f = np.asarray(memoriser, float), np.asarray(fresh, float)
    if m.shape != f.shape or m.ndim != 1:
        raise ParameterError(f"need one memoriser and one fresh score per critic seed, got "
                             f"shapes {m.shape} and {f.shape}")
    if len(m) < 3:
        return None
    return float(stats.ttest_rel(m, f, alternative="greater").pvalue)


MIN_CRITIC_SEEDS = 3  # critic seeds needed to judge the memoriser claim against noise


def memoriser_reference(memoriser: float,
                        floor: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[float, str]:
    """The memoriser NND that models are compared with, and how it was measured: the mean
    over critic seeds of ``floor[0]`` (the memoriser's NND per critic seed) where the
    profile measured it, else ``memoriser``, the one critic seed of the baselines."""
    if floor is None:
        return float(memoriser), "one critic seed"
    m = np.asarray(floor[0], float)
    return float(m.mean()), f"mean of {len(m)} critic seed{'s' if len(m) != 1 else ''}"


def seed_bounds(scores: np.ndarray) -> tuple[float, float]:
    """One-sided (lower, upper) bounds, each at level :data:`ALPHA`, of a sampler's mean NND
    over critic seeds (``scores``: one NND per critic seed): mean -/+ t * SE, with Student's
    t at n - 1 degrees of freedom (a few seeds estimate their own spread poorly, so t, not
    z). Needs at least two seeds."""
    from scipy import stats

    s = np.asarray(scores, float)
    if s.ndim != 1 or len(s) < 2:
        raise ParameterError(f"need two or more critic seeds for a bound, got {s.shape}")
    half = float(stats.t.ppf(1 - ALPHA, len(s) - 1) * s.std(ddof=1) / np.sqrt(len(s)))
    return float(s.mean()) - half, float(s.mean()) + half


def paired_margin(scores: np.ndarray) -> tuple[float, float]:
    """(t, s) of :func:`paired_bounds`: Student's one-sided t at level :data:`ALPHA` and
    n - 1 degrees of freedom, and s, the sample standard deviation of the memoriser's NND
    over its critic seeds (``scores``). The bounds' half-width is t * s * sqrt(2). Needs at
    least two seeds."""
    from scipy import stats

    s = np.asarray(scores, float)
    if s.ndim != 1 or len(s) < 2:
        raise ParameterError(f"need two or more critic seeds for a bound, got {s.shape}")
    return float(stats.t.ppf(1 - ALPHA, len(s) - 1)), float(s.std(ddof=1))


def paired_bounds(scores: np.ndarray) -> tuple[float, float]:
    """(lower, upper) bounds within which one model's NND, scored with critic seed
    ``scores``' first, is not told from the memoriser's NND with that same critic
    (``scores``: the memoriser's NND per critic seed, the models' seed first): its score there
    -/+ t * s * sqrt(2) (:func:`paired_margin`: Student's t at n - 1 degrees of freedom and
    level :data:`ALPHA` one sided, s the memoriser's spread over critic seeds).
    Pairing on the critic removes what one critic seed shifts for every sampler alike (the
    models all share one critic seed, so comparing each with the memoriser's *mean* lets that
    shift decide most models at once). The sqrt(2) treats the difference of two scores as
    having independent noise of equal size: it *assumes* each model's critic-seed noise
    equals the memoriser's s, which is not measured (each model is scored with one critic
    seed). Noise the two share through the critic seed makes the band wider than needed;
    a model noisier than the memoriser makes it too narrow. Needs at least two seeds."""
    t, spread = paired_margin(scores)
    half = t * spread * float(np.sqrt(2))
    first = float(np.asarray(scores, float)[0])
    return first - half, first + half


def can_draw_fresh(cfg: dict[str, Any]) -> bool:
    """Whether unrepeated training images last one critic run under ``cfg`` (an
    ``nnd_floor`` row): they are training images drawn without repeats, so the run may draw at most
    ``n_train`` samples. Only then can :func:`memoriser_detected` be run at that profile."""
    from ...metrics.generalization import sampler_draws

    return sampler_draws(cfg) <= cfg["n_train"]


NO_FLOOR = ("Training images without repeats cannot last this profile's critic budget, so "
            "whether the critic detects the memoriser cannot be tested.")


def nnd_verdicts(k: np.ndarray, nnd_by_k: np.ndarray, memoriser: float,
                 baselines: dict[str, float] | None = None, far_trend: str = "",
                 floor: tuple[np.ndarray, np.ndarray] | None = None) -> list[Verdict]:
    """Fig. 6's two claims, judged on NND against the width (one value per run).

    - "NND falls as k grows": the sweep summary's rule (Welch between the narrowest and the
      widest width, Spearman across runs; one seed per width is not testable);
    - "memorised samples score worse than most GAN models", judged against the critic's
      seed noise. ``floor`` holds the memoriser's and unrepeated training images' NND per
      critic seed (the same seeds, paired); ``memoriser`` is the baselines' one critic seed.
      Without ``floor`` (``gpu`` and ``paper``: unrepeated training images cannot last the
      critic's budget) or with fewer than :data:`MIN_CRITIC_SEEDS` critic seeds the claim is
      NOT_TESTABLE: models that copied would sit level with the memoriser, so whether most
      fall below one noisy memoriser score is chance. Otherwise, with :func:`paired_bounds`
      (lower L, upper U: the memoriser scored with the models' critic seed, -/+ the noise of
      a difference of two scores), :func:`seed_bounds`' upper bound F of the no-repeat
      floor's mean, and detection from :func:`memoriser_detected`:

      * most models below L and the memoriser detected: CONFIRMED;
      * most models below L, not detected: NOT_TESTABLE. With L at or below F (always so
        with 3 to 5 critic seeds, :func:`band_implies_detection`) those models lie within
        noise of the no-repeat floor or below it: the critic scores them like real data, and
        the memoriser too; with L above F (possible from 6 seeds on) the band clears the
        floor but the paired test still does not detect;
      * not most below L and not detected: NOT_TESTABLE (a blind critic gives that count
        whatever the models do);
      * detected, at least half the models above U: CONTRADICTED; otherwise (models within
        the memoriser's noise): NOT_REPRODUCED.

      Also NOT_TESTABLE, first, when every trained model scores above every baseline
      (:func:`models_beyond_baselines`): the models are then farther from the data than any
      imperfect copy of it, and the claim, about good GANs, is not tested.

    ``far_trend``: :func:`.summary.far_from_data`'s reason (``trend=True``) when the models
    are far from the data by FID; the trend's outcome then says so (:func:`.far_qualified`).
    """
    k, nnd_by_k = np.asarray(k), np.asarray(nnd_by_k, float)
    check_per_run(k, list(nnd_by_k))
    falls = improves_with_width(*runs_by_width(k, nnd_by_k), "NND falls as k grows")
    falls = far_qualified(Verdict(falls.claim, falls.outcome, "NND: " + falls.evidence),
                          far_trend)
    return [falls, _memoriser_verdict(nnd_by_k, memoriser, baselines, floor)]


def models_beyond_baselines(nnd_by_k: np.ndarray, baselines: dict[str, float] | None) -> bool:
    """Does every trained model score above every baseline (``baselines``: NND by name, one
    critic seed each; all of them, memorisers, blurred, noisy and unrepeated training images
    alike)? Then the models are farther from the data than any imperfect copy of it. False
    without baselines."""
    return bool(baselines) and float(np.min(nnd_by_k)) > max(baselines.values())


def _memoriser_verdict(nnd_by_k: np.ndarray, memoriser: float,
                       baselines: dict[str, float] | None,
                       floor: tuple[np.ndarray, np.ndarray] | None) -> Verdict:
    """The memoriser claim of :func:`nnd_verdicts` (see there for the rule)."""
    claim = "memorised samples score worse than most GAN models"
    n = len(nnd_by_k)
    ref, how = memoriser_reference(memoriser, floor)
    seeds = 1 if floor is None else len(floor[0])
    detected, seen = (None, NO_FLOOR) if floor is None else memoriser_detected(*floor)
    if models_beyond_baselines(nnd_by_k, baselines):
        assert baselines is not None
        worst = max(baselines, key=baselines.get)
        return Verdict(claim, NOT_TESTABLE, f"{_count_below(nnd_by_k, memoriser, floor)} Every "
                       f"trained model ({float(np.min(nnd_by_k)):.2f} and above) scores above "
                       f"every baseline (highest: {worst}, {baselines[worst]:.2f}, one critic "
                       f"seed): the models are farther from the data than any imperfect copy "
                       f"of it, so the claim about good GANs is not tested. {seen}")
    if floor is None:  # the training split's size, not the budget: more seeds would not help
        return Verdict(claim, NOT_TESTABLE, (
            f"The memoriser's NND ({how}) is {ref:.2f}. Not testable: {NO_FLOOR} More "
            f"critic seeds of the memoriser would not change that: they would give its seed "
            f"noise, not the detection test, and without detection a model below the "
            f"memoriser may only be scored like real data, as a copy would be."))
    if seeds < MIN_CRITIC_SEEDS:
        return Verdict(claim, NOT_TESTABLE, (
            f"The memoriser's NND ({how}) is {ref:.2f}. Not testable: "
            + f"{seeds} critic seed{'s' if seeds != 1 else ''}"
            + f" (at least {MIN_CRITIC_SEEDS} needed): the memoriser's critic-seed noise is "
            f"unknown, and models that copied would sit level with the memoriser, so whether "
            f"most of them fall below one noisy score is chance. {seen}"))
    m_lo, m_hi = paired_bounds(floor[0])
    f_hi = seed_bounds(floor[1])[1]
    below = int(np.sum(nnd_by_k < m_lo))
    above = int(np.sum(nnd_by_k > m_hi))
    evidence = (f"The memoriser's NND ({how}) is {ref:.2f}; with the models' own critic (its "
                f"first critic seed, the one every model is scored with) it scores "
                f"{float(floor[0][0]):.2f}, and a model counts as below or above it beyond "
                f"critic-seed noise outside {m_lo:.2f} to {m_hi:.2f} (its score there -/+ "
                f"t x s x sqrt(2), one-sided level {ALPHA} each, s the memoriser's spread over "
                f"critic seeds; the sqrt(2) assumes each model's critic-seed noise equals the "
                f"memoriser's, which is not measured); training images drawn without repeats score "
                f"{float(np.mean(floor[1])):.2f} (upper bound {f_hi:.2f}). {below} of {n} "
                f"trained models score below, {above} above. {seen}")
    if below > n / 2:
        if detected:
            return Verdict(claim, CONFIRMED, evidence)
        if m_lo <= f_hi:
            # The band's lower end at or below the floor's upper bound: the models below the
            # band lie within noise of the no-repeat floor or below it. (With 3 to 5 critic
            # seeds this is the only case without detection: band_implies_detection.)
            return Verdict(claim, NOT_TESTABLE, (
                f"{evidence} Not testable: the models below the memoriser lie within noise of "
                f"the no-repeat floor or below it, so the critic scores them like real training "
                f"images, and it is not shown to tell the memoriser from those either; the count "
                f"below the memoriser then says nothing about copying."))
        return Verdict(claim, NOT_TESTABLE, (
            f"{evidence} Not testable: the band's lower end ({m_lo:.2f}) clears the no-repeat "
            f"floor's upper bound ({f_hi:.2f}), but the paired test does not detect the "
            f"memoriser (with {seeds} critic seeds a band clear of that bound need not mean "
            f"detection), and without detection the count below the memoriser says nothing "
            f"about copying."))
    if not detected:
        return Verdict(claim, NOT_TESTABLE, (
            f"{evidence} Whether the critic detects the memoriser is not established, and a "
            f"critic blind to memorisation would score the memoriser like real data, below "
            f"imperfect models: a count of most models not below it does not contradict the "
            f"claim."))
    if above >= n / 2:
        return Verdict(claim, CONTRADICTED, evidence)
    return Verdict(claim, NOT_REPRODUCED, (
        f"{evidence} The critic detects the memoriser, but most models do not score below "
        f"it beyond its critic-seed noise: they are not shown to be better than a copy."))


def _count_below(nnd_by_k: np.ndarray, memoriser: float,
                 floor: tuple[np.ndarray, np.ndarray] | None) -> str:
    """How many models score below the memoriser as the rule compares them, in words: below
    the band's lower end (:func:`paired_bounds`) where the memoriser has two or more critic
    seeds, else below its one critic seed's score (``memoriser``, the models' own seed). The
    memoriser's mean over critic seeds is named but not compared with."""
    n = len(nnd_by_k)
    if floor is None or len(floor[0]) < 2:
        return (f"The memoriser's NND (one critic seed, the models' own) is {memoriser:.2f}; "
                f"{int(np.sum(nnd_by_k < memoriser))} of {n} trained models score below "
                f"(better than) it.")
    ref, how = memoriser_reference(memoriser, floor)
    lo = paired_bounds(floor[0])[0]
    return (f"The memoriser's NND ({how}) is {ref:.2f}, not what the rule compares with; with "
            f"the models' own critic (its first critic seed) it scores "
            f"{float(floor[0][0]):.2f}, and {int(np.sum(nnd_by_k < lo))} of {n} trained models "
            f"score below the band's lower end, {lo:.2f} (that score minus t x s x sqrt(2)), "
            f"that is, better than it beyond critic-seed noise.")


def band_implies_detection(n: int) -> bool:
    """Whether, with ``n`` critic seeds (at least :data:`MIN_CRITIC_SEEDS`), the rule's band
    clearing the no-repeat floor's one-sided upper bound (:func:`paired_bounds`' lower end
    above :func:`seed_bounds`' upper end) implies that :func:`memoriser_detected` detects.

    With t Student's one-sided quantile at level :data:`ALPHA` and n - 1 degrees of freedom,
    s and s_f the memoriser's and the floor's spreads over critic seeds: one seed's score lies
    at most s (n - 1) / sqrt(n) from the mean, and the paired differences' spread is at most
    s + s_f, so a band clear of the bound gives a mean difference above
    t s sqrt(2) - s (n - 1) / sqrt(n) + t s_f / sqrt(n), which reaches the paired test's
    t (s + s_f) / sqrt(n) whenever t (sqrt(2) - 1 / sqrt(n)) >= (n - 1) / sqrt(n). The
    condition is also necessary: where it fails, a memoriser with its first seed high and
    the others equal, against a constant floor, clears the band undetected. It holds for 3
    to 5 critic seeds and fails from 6 on."""
    from scipy import stats

    if n < MIN_CRITIC_SEEDS:
        raise ParameterError(f"the memoriser rule needs at least {MIN_CRITIC_SEEDS} critic "
                             f"seeds, got {n}")
    t = float(stats.t.ppf(1 - ALPHA, n - 1))
    return bool(t * (np.sqrt(2) - 1 / np.sqrt(n)) >= (n - 1) / np.sqrt(n))


def detection_implied_seeds() -> tuple[int, int]:
    """(fewest, most) critic seeds for which :func:`band_implies_detection` holds, searched
    from :data:`MIN_CRITIC_SEEDS` to 50 seeds; beyond 50 it cannot hold (its left side stays
    below t_2 sqrt(2) < 4.2 while (n - 1) / sqrt(n) exceeds that from n = 20). Raises if the
    seed counts where it holds are not one run from :data:`MIN_CRITIC_SEEDS`."""
    holds = [n for n in range(MIN_CRITIC_SEEDS, 51) if band_implies_detection(n)]
    if not holds or holds != list(range(MIN_CRITIC_SEEDS, holds[-1] + 1)):
        raise ParameterError(f"band_implies_detection holds at {holds}, not from "
                             f"{MIN_CRITIC_SEEDS} seeds on up to a last count")
    return MIN_CRITIC_SEEDS, holds[-1]
