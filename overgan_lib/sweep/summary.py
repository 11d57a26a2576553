"""From a sweep's records to the numbers and verdicts the chapters print.

Every sweep chapter calls these, so the paper's claims are judged the same way everywhere:
``confirmed`` when the effect exceeds the seed spread, ``contradicted`` when the opposite
effect does, and ``not reproduced at this budget`` in between.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ParameterError
from ..store import Record
from ..train import TrainConfig

CONFIRMED, NOT_REPRODUCED, CONTRADICTED = ("confirmed", "not reproduced at this budget",
                                           "contradicted")


def varied_side(configs: list[TrainConfig]) -> str:
    """``"k_g"`` unless only the critic's width varies (Fig. 7's D-only sweep)."""
    if len({c.k_g for c in configs}) == 1 and len({c.k_d for c in configs}) > 1:
        return "k_d"
    return "k_g"


def _value(rec: Record, metric: str) -> float:
    if metric in rec.data:
        return rec[metric]
    return (rec["final"] or {}).get(metric, np.nan)


def width_matrix(configs: list[TrainConfig], recs: list[Record | None],
                 metric: str) -> tuple[np.ndarray, np.ndarray]:
    """(widths, widths x seeds matrix) of a final metric (``fid_train``, ``kid_test``, ...)
    or a run statistic (``iters_per_s``); diverged or missing runs are NaN.

    The width axis is the side that varies (:func:`varied_side`), so sweeps with
    k_g != k_d keep one cell per run.
    """
    side = varied_side(configs)
    widths = sorted({getattr(c, side) for c in configs})
    seeds = sorted({c.seed for c in configs})
    out = np.full((len(widths), len(seeds)), np.nan)
    seen: set[tuple[int, int]] = set()
    for c, r in zip(configs, recs, strict=True):
        if r is None:
            continue
        i, j = widths.index(getattr(c, side)), seeds.index(c.seed)
        if (i, j) in seen:
            raise ParameterError(f"two runs share width {side}={getattr(c, side)} and seed "
                                 f"{c.seed} (k_g={c.k_g}, k_d={c.k_d}); a width matrix needs "
                                 f"one varied width per sweep, e.g. grid(..., pairs=[...])")
        seen.add((i, j))
        out[i, j] = _value(r, metric)
    return np.asarray(widths), out


def diverged(configs: list[TrainConfig], recs: list[Record | None]) -> list[tuple[int, int, str]]:
    """(k, seed, message) of every diverged run (k: the varied width)."""
    side = varied_side(configs)
    return [(getattr(c, side), c.seed, r["message"]) for c, r in zip(configs, recs, strict=True)
            if r is not None and r["status"] == "diverged"]


def eval_curves(configs: list[TrainConfig], recs: list[Record | None], metric: str = "fid_train"
                ) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Per width: (steps, seeds x steps) of a metric over training (periodic evaluations)."""
    side = varied_side(configs)
    out: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for k in sorted({getattr(c, side) for c in configs}):
        runs = [r for c, r in zip(configs, recs, strict=True)
                if r is not None and getattr(c, side) == k and r["status"] == "completed"
                and len(r["evals"]) > 1]
        if runs:
            n = min(len(r["evals"]) for r in runs)
            steps = np.asarray([e["step"] for e in runs[0]["evals"][:n]])
            out[int(k)] = (steps, np.asarray([[e[metric] for e in r["evals"][:n]] for r in runs]))
    return out


@dataclass(frozen=True)
class Verdict:
    """One claim of the paper, judged on one sweep at one profile."""

    claim: str
    outcome: str
    evidence: str

    def markdown(self) -> str:
        return f"- **{self.claim}**: {self.outcome}. {self.evidence}"


def _one_seed(F: np.ndarray, *rows: int) -> bool:
    """Fewer than two finite seeds in any of ``rows``: no spread to judge a change by."""
    return any(int(np.isfinite(F[r]).sum()) < 2 for r in rows)


ONE_SEED = "One seed per width: no seed spread to judge the change against."


def _spread(F: np.ndarray, i: int, j: int) -> float:
    """Combined seed standard deviation of rows i and j (0 with one seed)."""
    return float(np.hypot(np.nanstd(F[i]), np.nanstd(F[j])))


def improves_with_width(k: np.ndarray, F: np.ndarray, claim: str = "FID falls as k grows"
                        ) -> Verdict:
    """Compares the narrowest and the widest model's mean FID against their seed spread."""
    mean = np.nanmean(F, 1)
    drop, noise = mean[0] - mean[-1], _spread(F, 0, -1)
    ups = int((np.diff(mean) > 0).sum())
    outcome = CONFIRMED if drop > noise else CONTRADICTED if -drop > noise else NOT_REPRODUCED
    if _one_seed(F, 0, -1):
        outcome = NOT_REPRODUCED
    return Verdict(claim, outcome,
                   f"Mean FID {mean[0]:.1f} at k={int(k[0])} → {mean[-1]:.1f} at k={int(k[-1])} "
                   f"(seed spread {noise:.1f}); {ups} of {len(mean) - 1} width steps go up."
                   + (f" {ONE_SEED}" if _one_seed(F, 0, -1) else ""))


def saturates_beyond(k: np.ndarray, F: np.ndarray, at: int) -> Verdict:
    """FID beyond ``at`` stays within the seed spread of its value at ``at`` (a plateau),
    while below ``at`` it is worse by more than the spread."""
    claim = f"FID saturates beyond k={at}"
    if at not in k or k[-1] <= at:
        return Verdict(claim, NOT_REPRODUCED, f"k={at} and a wider model are not both in the "
                                              f"sweep ({', '.join(str(int(x)) for x in k)}).")
    mean = np.nanmean(F, 1)
    i = int(np.where(k == at)[0][0])
    beyond = mean[i + 1:] - mean[i]
    noise = max(_spread(F, i, j) for j in range(i + 1, len(k)))
    below = mean[:i] - mean[i]
    flat = bool(np.all(np.abs(beyond) <= noise))
    steep = bool(below.size and np.all(below > _spread(F, 0, i)))
    still_falling = bool(np.any(-beyond > noise))
    outcome = (CONFIRMED if flat and steep else CONTRADICTED if still_falling
               else NOT_REPRODUCED)
    if _one_seed(F, *range(len(k))):
        return Verdict(claim, NOT_REPRODUCED, ONE_SEED)
    return Verdict(claim, outcome,
                   f"Mean FID at k={at}: {mean[i]:.1f}; wider: "
                   + ", ".join(f"{mean[j]:.1f} (k={int(k[j])})" for j in range(i + 1, len(k)))
                   + f"; largest seed spread {noise:.1f}.")


def gap_does_not_grow(k: np.ndarray, F_train: np.ndarray, F_test: np.ndarray) -> Verdict:
    """FID test - FID train (the generalisation gap) does not grow with k (Fig. 4).

    Fits the gap against log2 k; confirmed when the rise over the sweep's range is within
    the gap's seed spread (and test is above train), contradicted only when the rise exceeds
    twice the spread: with three seeds the spread itself is a rough estimate, and a gap that
    grows by about one spread is noise more often than not.
    """
    claim = "FID test stays above FID train and the gap does not grow with k"
    gap = F_test - F_train
    mean = np.nanmean(gap, 1)
    if not np.isfinite(mean).all():
        return Verdict(claim, NOT_REPRODUCED, "FID test was not computed at this profile.")
    if _one_seed(gap, *range(len(k))) or len(k) < 2:
        return Verdict(claim, NOT_REPRODUCED, f"{ONE_SEED} (or a single width).")
    slope = float(np.polyfit(np.log2(k), mean, 1)[0])
    rise = slope * float(np.log2(k[-1] / k[0]))
    noise = float(np.nanmax(np.nanstd(gap, 1)))
    above = bool(np.all(mean > 0))
    outcome = CONFIRMED if rise <= noise and above else CONTRADICTED if rise > 2 * noise else \
        NOT_REPRODUCED
    return Verdict(claim, outcome,
                   f"Gap {mean[0]:.2f} at k={int(k[0])}, {mean[-1]:.2f} at k={int(k[-1])}; "
                   f"fitted rise over the range {rise:.2f} vs seed spread {noise:.2f}; test "
                   f"{'above' if above else 'not always above'} train.")


def converges_faster(curves: dict[int, tuple[np.ndarray, np.ndarray]]) -> Verdict:
    """Larger k reaches a given FID in fewer iterations (Fig. 5): compares the area under
    the mean FID curve (mean FID over the evaluated steps) of the narrowest and widest k."""
    claim = "larger k converges faster"
    if len(curves) < 2:
        return Verdict(claim, NOT_REPRODUCED, "FID over iterations was not recorded at this "
                                              "profile (eval_every = 0).")
    ks = sorted(curves)
    if min(len(curves[ks[0]][1]), len(curves[ks[-1]][1])) < 2:
        return Verdict(claim, NOT_REPRODUCED, ONE_SEED)
    auc = {k: float(np.nanmean(curves[k][1])) for k in ks}
    sd = {k: float(np.nanstd(np.nanmean(curves[k][1], 1))) for k in ks}
    diff, noise = auc[ks[0]] - auc[ks[-1]], float(np.hypot(sd[ks[0]], sd[ks[-1]]))
    outcome = CONFIRMED if diff > noise else CONTRADICTED if -diff > noise else NOT_REPRODUCED
    return Verdict(claim, outcome,
                   f"Mean FID over the evaluated steps: {auc[ks[0]]:.1f} at k={ks[0]}, "
                   f"{auc[ks[-1]]:.1f} at k={ks[-1]} (seed spread {noise:.1f}).")


def uptick_at_largest(k: np.ndarray, F: np.ndarray) -> Verdict:
    """Fig. 3's claim: FID gets marginally *worse* from the second-widest to the widest k."""
    if len(k) < 2:
        return Verdict("FID rises slightly at the largest k", NOT_REPRODUCED,
                       "Only one width in the sweep.")
    claim = f"FID rises slightly from k={int(k[-2])} to k={int(k[-1])}"
    mean = np.nanmean(F, 1)
    rise, noise = mean[-1] - mean[-2], _spread(F, -1, -2)
    outcome = CONFIRMED if rise > noise else CONTRADICTED if -rise > noise else NOT_REPRODUCED
    few = _one_seed(F, -1, -2)
    return Verdict(claim, NOT_REPRODUCED if few else outcome,
                   f"Mean FID {mean[-2]:.1f} → {mean[-1]:.1f} (change {rise:+.1f}, seed spread "
                   f"{noise:.1f})." + (f" {ONE_SEED}" if few else ""))
