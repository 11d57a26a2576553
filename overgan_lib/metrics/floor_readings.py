"""What chapter 5 reads off the metric code and the stored runs, beside its own record.

* KID's protocol (:func:`kid_protocol`, :func:`kid_subset_size`, :func:`curve_kid_subsets`):
  how many random subsets, of how many images per side, the book's KIDs average, read from
  :func:`.fid.kid`, :func:`.fid.score_features` and :func:`.floors.data_metrics` themselves
  so the text cannot drift from the code.
* The spread of the KID-vs-N curve over its repeats (:func:`kid_spread`,
  :func:`kid_flat_text`): whether a point is consistent with the flat curve KID's
  unbiasedness predicts, from the repeats the ``data_metrics`` record already holds.
* Evaluation throughput of a sweep's stored runs (:func:`eval_throughput`): each training run
  stores ``eval_s``, the time its FID evaluations took (sampling, Inception features, scoring),
  over many more images than chapter 5's one timing. Images per second from it are a lower
  bound on the feature-extraction rate alone, on the device and with the workers of that sweep.
* The stop before chapter 5 computes its record on the CPU at `gpu` or `paper`
  (:func:`require_data_metrics`, with :func:`feature_images` the Inception work it would do).

This module feeds no stored result (chapter 5's ``data_metrics`` record does not depend on it).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import numpy as np

from ..errors import ParameterError
from ..store import Record
from .fid import kid, score_features


def kid_protocol() -> tuple[int, int]:
    """(subsets, largest subset size per side) of a KID computed by ``score_features`` with
    its defaults: the defaults of ``score_features(kid_subsets=...)`` and
    ``kid(subset_size=...)``."""
    subsets = inspect.signature(score_features).parameters["kid_subsets"].default
    size = inspect.signature(kid).parameters["subset_size"].default
    return int(subsets), int(size)


# Subsets per KID of chapter 5's KID-vs-N curve: what :func:`.floors.data_metrics` passes to
# ``score_features`` (its record does not keep it, and editing floors.py would flag every
# stored sweep). tests/test_floor_readings.py runs data_metrics and holds this to it.
CURVE_KID_SUBSETS = 10


def curve_kid_subsets() -> int:
    """Subsets per KID of chapter 5's KID-vs-N curve (:data:`CURVE_KID_SUBSETS`)."""
    return CURVE_KID_SUBSETS


def kid_subset_size(n_fake: int, n_real: int) -> int:
    """Images per side in each of KID's random subsets for sets of ``n_fake`` and ``n_real``:
    the largest size, capped at half of each set (as :func:`.fid.kid` draws them)."""
    return min(kid_protocol()[1], n_fake // 2, n_real // 2)


@dataclass(frozen=True)
class KidSpread:
    """Chapter 5's KID-vs-N curve over its repeats, per N, against the whole pool's KID.

    ``mean``, ``sd`` (ddof 1) and ``se`` = sd / sqrt(repeats) of each N's repeats (x 10^3 if
    the caller scaled them); ``t`` = (mean - pool) / se; ``t_crit`` the two-sided 5% quantile
    of Student's t with repeats - 1 degrees of freedom. A random subset's KID has the pool's
    KID as its expectation, so a flat curve predicts |t| <= t_crit at every N (``flat``).
    The repeats of one N are independent draws of subsets from the same pool.
    """

    ns: np.ndarray
    mean: np.ndarray
    sd: np.ndarray
    se: np.ndarray
    t: np.ndarray
    pool: float
    repeats: int
    t_crit: float

    @property
    def flat(self) -> np.ndarray:
        return np.abs(self.t) <= self.t_crit

    @property
    def p(self) -> np.ndarray:
        """Two-sided p-values of ``t`` (Student's t, repeats - 1 degrees of freedom)."""
        from scipy.stats import t as student_t

        return 2 * student_t.sf(np.abs(self.t), self.repeats - 1)


def kid_spread(ns: np.ndarray, curve_kid: np.ndarray, pool_kid: float) -> KidSpread:
    """:class:`KidSpread` of a stored KID-vs-N curve ``curve_kid`` (len(ns), repeats) against
    the pool's KID ``pool_kid`` (the record's own, same units). Needs at least 2 repeats."""
    from scipy.stats import t as student_t

    ns, y = np.asarray(ns), np.asarray(curve_kid, dtype=float)
    if y.ndim != 2 or len(y) != len(ns) or y.shape[1] < 2:
        raise ParameterError(f"KID curve of shape {y.shape} for {len(ns)} N values: give "
                         "(len(ns), repeats) with at least 2 repeats")
    reps = y.shape[1]
    mean, sd = y.mean(1), y.std(1, ddof=1)
    se = sd / np.sqrt(reps)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(se > 0, (mean - pool_kid) / se, np.where(mean == pool_kid, 0.0, np.inf))
    return KidSpread(ns, mean, sd, se, t, float(pool_kid), reps,
                     float(student_t.ppf(0.975, reps - 1)))


# Within this many standard errors of the pool, :func:`kid_flat_text` reads a point as
# showing neither a rise nor a fall (a wording rule, not a test).
KID_LEAN_T = 1.0


def _kid_direction(k: KidSpread, i: int) -> str:
    """What point ``i`` of the KID curve shows, by the sign and size of its t: a significant
    rise or fall at small N (|t| above the two-sided 5% quantile), a lean one way that the
    test does not confirm, or neither (|t| within :data:`KID_LEAN_T`)."""
    t, n = float(k.t[i]), k.repeats
    way, other = ("a rise", "a fall") if t > 0 else ("a fall", "a rise")
    side = "above" if t > 0 else "below"
    if abs(t) > k.t_crit:
        return (f"the point is not consistent with a flat curve at the pool's value: it shows "
                f"{way} of KID at small N ({side} the pool), significant at 5% even with {n} "
                f"repeats")
    if abs(t) <= KID_LEAN_T:
        return (f"the point is within {KID_LEAN_T:g} standard error of the pool's value, "
                f"consistent with a flat curve: it shows neither a rise nor a fall at small N, "
                f"though {n} repeats make this a weak test")
    return (f"the point is consistent with a flat curve at the pool's value, but it leans "
            f"towards {way} of KID at small N ({side} the pool), not towards {other}; {n} "
            f"repeats make this a weak test, which can neither confirm that {way[2:]} nor rule "
            f"it out")


def kid_flat_text(k: KidSpread, i: int = 0, unit: str = " ×10⁻³") -> str:
    """Chapter 5's sentence on whether point ``i`` of the KID curve (its smallest N by
    default) is consistent with a flat curve at the pool's KID, and which way it leans
    (:func:`_kid_direction`)."""
    return (f"At N = {int(k.ns[i]):,} the {k.repeats} repeats give {k.mean[i]:.2f} ± "
            f"{k.se[i]:.2f}{unit} (mean ± standard error; SD {k.sd[i]:.2f}), "
            f"{abs(k.t[i]):.1f} standard errors {'below' if k.t[i] < 0 else 'above'} the "
            f"pool's {k.pool:.2f}{unit}. With {k.repeats} repeats the standard error has "
            f"{k.repeats - 1} degree{'s' if k.repeats != 2 else ''} of freedom, so a "
            f"two-sided 5% test needs |t| above "
            f"{k.t_crit:.2f} (here p = {k.p[i]:.2f}): {_kid_direction(k, i)}.")


def images_per_second(rec: Record) -> float:
    """Generated images a training run scored per second of its evaluations; NaN when the run
    stored no evaluation time (:func:`overgan_lib.sweep.cost.run_eval_seconds_per_image`)."""
    from ..sweep.cost import run_eval_seconds_per_image

    return 1.0 / run_eval_seconds_per_image(rec)


@dataclass(frozen=True)
class EvalThroughput:
    """Evaluation images per second of one sweep's stored runs (``rates``, one per run)."""

    sweep: str
    profile: str
    rates: np.ndarray
    images: int  # generated images each run's evaluations scored (the median over runs)
    workers: int  # worker processes the sweep trains side by side
    device: str  # the device string of the runs' provenance ('a, b' when they differ)

    @property
    def median(self) -> float:
        return float(np.median(self.rates))

    @property
    def runs(self) -> int:
        return len(self.rates)


def eval_throughput(view) -> EvalThroughput | None:
    """:class:`EvalThroughput` of a :class:`~overgan_lib.sweep.view.SweepView`'s stored runs;
    None when none of them stored an evaluation time."""
    done = [r for r in view.done if np.isfinite(images_per_second(r))]
    if not done:
        return None
    images = [sum(int(e.get("n", 0)) for e in r.data.get("evals", [])) for r in done]
    devices = sorted({str(r.provenance.get("device", "unknown")) for r in done})
    return EvalThroughput(view.spec.name, view.profile,
                          np.array([images_per_second(r) for r in done]),
                          int(np.median(images)), int(view.cfg.get("workers", 1)),
                          ", ".join(devices))


def throughput_text(t: EvalThroughput | None, images: int = 20_000) -> str:
    """Chapter 5's second estimate of the feature rate, from a sweep's stored runs, and what
    an FID on ``images`` images (both sides, half of them real) costs one of its workers at
    that rate: all of them, and the generated half alone (the real features are cached)."""
    if t is None:
        return ("No sweep run with a stored evaluation time exists at this profile, so there "
                "is no second estimate here.")
    workers = f"{t.workers} worker process{'es' if t.workers != 1 else ''}"
    return (f"A second estimate, from more images, comes from the stored runs of the "
            f"`{t.sweep}` sweep at this profile: their FID evaluations (sampling, Inception "
            f"features and scoring of {t.images:,} generated images per run) ran at a median "
            f"{t.median:.1f} images/s per run ({t.rates.min():.1f} to {t.rates.max():.1f} "
            f"over {t.runs} runs; device {t.device}, {workers} training side by side). This "
            f"rate includes sampling and scoring, so feature extraction alone is at least as "
            f"fast; at it, one worker needs about {images / t.median / 60:.0f} minutes for the "
            f"{images:,} images of one FID, or about {images / 2 / t.median / 60:.0f} minutes "
            f"for its generated half once the real half's features are cached.")


def feature_images(cfg: dict) -> int:
    """Images whose Inception features :func:`.floors.data_metrics` extracts for ``cfg`` when
    none are cached: per dataset ``n`` training and up to ``n`` test images, plus the
    ``speed_images`` of its timing (the FID-vs-N curve reuses the first dataset's)."""
    from ..data import CARDS

    return sum(cfg["n"] + min(cfg["n"], CARDS[d].counts["test"]) for d in cfg["datasets"]) + int(
        cfg["speed_images"])


def require_data_metrics(profile: str, seed: int, cfg: dict, rerun: bool) -> None:
    """Stop with one line before chapter 5 computes its ``data_metrics`` record at `gpu` or
    `paper` on a machine where torch sees no CUDA GPU (the record is missing, or ``rerun``):
    its Inception features would run on the CPU for most of an hour or more, unasked. Names
    the images and, from the stored `cpu` record's measured rate, about how long. Where a GPU
    is visible, or below `gpu`, it returns (:func:`overgan_lib.stored_guard.require_stored`)."""
    import torch

    from ..profiles import settings
    from ..store import load
    from ..stored_guard import require_stored

    if torch.cuda.is_available():
        return
    stored = not rerun and load("data_metrics", profile, {**cfg, "seed": seed}) is not None
    images = feature_images(cfg)
    cpu = load("data_metrics", "cpu", {**settings("data_metrics", "cpu"), "seed": seed})
    rate = (f" (about {images / cpu.data['images_per_second'] / 60:,.0f} minutes at the "
            f"{cpu.data['images_per_second']:.1f} images/s the stored cpu record measured)"
            if cpu is not None else "")
    require_stored("chapter 5", profile, [] if stored else ["data_metrics"],
                   f"Inception features of up to {images:,} images on the CPU{rate}: run it "
                   "where torch sees a GPU, or use profile cpu", rerun)
