"""Chapter "Generalization"'s words on the memoriser claim's instrument (Fig. 6): the
no-repeat floor and whether the critic detects the memoriser, the band models are compared
within, and where the sweeps' generators sit against the baselines. What each profile can
test is in :mod:`.memoriser_scope`. The rules are :mod:`..generalization`'s; these only
word them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .. import generalization as rules
from ..significance import fmt_p
from ..summary import ALPHA
from .baselines import label


def _diffs(a: np.ndarray, b: np.ndarray) -> str:
    return ", ".join(f"{d:+.2f}" for d in np.asarray(a) - np.asarray(b))


def _positive(a: np.ndarray, b: np.ndarray) -> str:
    """How many paired differences ``a - b`` are positive, in words ("every one of the 3",
    "1 of 3")."""
    d = np.asarray(a, float) - np.asarray(b, float)
    pos = int(np.sum(d > 0))
    return f"every one of the {len(d)}" if pos == len(d) else f"{pos} of {len(d)}"


def detection_reading(memoriser: np.ndarray, fresh: np.ndarray) -> str:
    """Whether the critic detects the memoriser (:func:`..generalization.memoriser_detected`
    on the per-critic-seed NND of the memoriser and of training images drawn without
    repeats), worded from the numbers: a non-significant difference is said to be not
    significant with that many critic seeds, with how many paired differences are positive,
    never read as "no difference"."""
    detected, _ = rules.memoriser_detected(memoriser, fresh)
    n = len(np.asarray(memoriser))
    signs = f"with {_positive(memoriser, fresh)} paired differences positive"
    if detected is None:
        return f"not testable with {n} critic seed{'s' if n != 1 else ''}, {signs}"
    if detected:
        return f"significant at level {ALPHA} with {n} critic seeds, {signs}"
    return f"not significant at level {ALPHA} with {n} critic seeds, {signs}"


def floor_text(floor: dict[str, Any] | None, draws: int, n_train: int,
               small: str | None = None) -> str:
    """The memoriser against training images drawn without repeats (``floor``: the
    ``nnd_floor`` record, None where the profile's critic budget of ``draws`` samples
    outlasts the ``n_train`` training images), in words; ``small``: the small-pool
    memoriser's name, if the baselines have one."""
    if floor is None:
        return (f"The no-repeat floor cannot be measured at this profile: its images would "
                f"have to be drawn without repeats, and one critic run here draws {draws:,} "
                f"samples, so unrepeated images run out after {n_train:,} draws. Whether the "
                f"critic detects the memoriser cannot then be tested, so the memoriser claim "
                f"below is not testable here (the summary at the top of the chapter says why, "
                f"and what would change it).")
    m, f = floor["memorise"], floor["fresh"]
    _, seen = rules.memoriser_detected(m["nnd"], f["nnd"])
    _, seen_raw = rules.memoriser_detected(m["nnd_raw"], f["nnd_raw"])
    tail = (f" The {label(small)} above is the one whose repeats the critic could learn."
            if small else "")
    return (f"Here the no-repeat floor can be measured: training images drawn without "
            f"replacement so that none repeats (one critic run draws {draws:,} of the "
            f"{n_train:,}), scored against the memoriser under {len(floor['critic_seeds'])} "
            f"critic seeds (each critic seed shares its initialisation, real batches and noise "
            f"between the two). {seen} With the raw critic: {seen_raw[0].lower()}"
            f"{seen_raw[1:]} Per seed, memoriser minus training images without repeats: "
            f"{_diffs(m['nnd'], f['nnd'])} (EMA) and {_diffs(m['nnd_raw'], f['nnd_raw'])} "
            f"(raw). The scored (EMA) critic's difference is "
            f"{detection_reading(m['nnd'], f['nnd'])}; the raw critic's is "
            f"{detection_reading(m['nnd_raw'], f['nnd_raw'])}.{tail}")


def detection_words(memoriser: np.ndarray, fresh: np.ndarray) -> str:
    """The detection test (:func:`..generalization.memoriser_detected`) in a parenthesis's
    words: its p-value (:func:`..generalization.nnd.detection_p`) and
    :func:`detection_reading`."""
    p = rules.detection_p(memoriser, fresh)
    if p is None:
        return detection_reading(memoriser, fresh)
    return f"paired one-sided p = {fmt_p(p)}: {detection_reading(memoriser, fresh)}"


def models_vs_baselines(profile: str, scores: dict[str, tuple[np.ndarray, np.ndarray]],
                        mem: float, mem_how: str, baselines: dict[str, float]) -> str:
    """Where the sweeps' generators sit against the baselines' NND, in words: ``scores`` maps
    a sweep to (widths, final NND per run); ``mem`` the memoriser reference
    (:func:`.generalization.memoriser_reference`); ``baselines`` every baseline's NND, which
    :func:`.generalization.models_beyond_baselines` compares with, as the rule does."""
    every = np.concatenate([f for _, f in scores.values()])
    lo, hi = float(every.min()), float(every.max())
    small = "".join(f" and {v:.2f} for the {label(b)} (one critic seed)"
                    for b, v in baselines.items() if b.startswith("memorise_"))
    far = rules.models_beyond_baselines(every, baselines)
    worst = max(baselines, key=baselines.get)
    said = (f"At profile `{profile}` every trained generator scores NND {lo:.2f} to {hi:.2f}, "
            f"against {mem:.2f} for the full memoriser ({mem_how}){small}")
    if far:
        said += (f": above every baseline (the highest, {label(worst)}, "
                 f"{baselines[worst]:.2f}). The critic tells each generator from real images "
                 f"more easily than any imperfect copy of the data: at this budget the models "
                 f"are far from the data, so the memoriser verdict describes undertrained "
                 f"models and does not test the claim about good GANs. ")
    else:
        said += (": generators and baselines overlap at this budget; the memoriser verdict "
                 "says what the count below the memoriser shows. ")
    moves = "; ".join(
        f"`{name}` {np.median(f[k == k.min()]):.2f} at k={int(k.min())} and "
        f"{np.median(f[k == k.max()]):.2f} at k={int(k.max())} "
        f"({len(f) // len(np.unique(k))} seed(s) per width)"
        for name, (k, f) in scores.items())
    return (said + f"Median NND: {moves}; the verdicts say whether such a change is "
            f"significant (one-sided tests at level {ALPHA}; one seed per width is not "
            f"testable).")


def memoriser_band_text(floor: Mapping[str, Any] | None) -> str:
    """The memoriser rule's band at this profile, from the numbers it uses
    (:func:`..generalization.paired_bounds` on the ``nnd_floor`` record's memoriser NND per
    critic seed), in words, with its equal-noise assumption; or why there is none."""
    if floor is None or len(floor["memorise"]["nnd"]) < 2:
        return ("At this profile the memoriser has one critic seed, so no band is computed "
                "and the claim is not testable.")
    m = np.asarray(floor["memorise"]["nnd"], float)
    t, spread = rules.paired_margin(m)
    lo, hi = rules.paired_bounds(m)
    return (f"At this profile: the memoriser scores {m[0]:.2f} with critic seed "
            f"{floor['critic_seeds'][0]} (the seed every model is scored with), its NND has "
            f"s = {spread:.2f} over {len(m)} critic seeds, t = {t:.2f} ({len(m) - 1} degrees "
            f"of freedom), so the band runs from {lo:.2f} to {hi:.2f} (its mean over the "
            f"{len(m)} critic seeds, {m.mean():.2f}, is not used by the rule).")
