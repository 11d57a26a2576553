"""Chapter 6's reading of its critics' Wasserstein estimates over training
(:func:`critic_curves`, :func:`critic_reading`)."""

from __future__ import annotations

import numpy as np

from ..matrices import width_matrix
from ..view import SweepView

# Wording rules of :func:`critic_reading` for the critic's Wasserstein estimate (the data's
# units): below W_NEAR_ZERO it is "near zero"; a curve that, after its peak, climbs to at least
# W_RECOVERED times the lowest point before it "rose again" (the reading then says where it
# went). Both chosen by eye for chapter 6's curves.
W_NEAR_ZERO = 1.0
W_RECOVERED = 3.0


def critic_curves(view: SweepView) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Per varied width: (steps, seeds x steps) of the critic's Wasserstein estimate
    (``curves["w_dist"]``) of its completed runs, cut to the shortest run's length."""
    from ..matrices import varied_side

    side = varied_side(view.configs)
    out: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for w in sorted({int(getattr(c, side)) for c in view.configs}):
        runs = [r for c, r in zip(view.configs, view.recs, strict=True)
                if r is not None and getattr(c, side) == w and r["status"] == "completed"]
        if runs:
            n = min(len(r["curve_steps"]) for r in runs)
            out[w] = (np.asarray(runs[0]["curve_steps"][:n]),
                      np.stack([np.asarray(r["curves"]["w_dist"][:n], float) for r in runs]))
    return out


def _critic_words(w: int, steps: np.ndarray, W: np.ndarray, name: str) -> tuple[str, bool]:
    """One width's part of :func:`critic_reading` and whether its estimate ends near zero in
    every seed. The curve's high point is named as its first logged value where it is one
    (the estimate starts high and falls at once); the largest rebound after it, a low from
    which the curve rose again by :data:`W_RECOVERED` times or more, is named with the later
    high and the end."""
    m = W.mean(0)
    peak = int(np.argmax(m))
    end = W[:, -1]
    span = f"{end.min():.2f}–{end.max():.2f}" if len(end) > 1 else f"{end[0]:.2f}"
    top = (f"its first logged value, {m[peak]:.1f} at iteration {int(steps[0]):,}," if peak == 0
           else f"its peak of {m[peak]:.1f} at iteration {int(steps[peak]):,}")
    if (end < W_NEAR_ZERO).all():
        above = np.flatnonzero(m >= W_NEAR_ZERO)
        since = int(steps[above[-1] + 1]) if len(above) else int(steps[0])
        return (f"at {name} = {w} it falls from {top} to below {W_NEAR_ZERO:g} from iteration "
                f"{since:,} on and ends at {span} over the seeds", True)
    # the largest rebound after the peak: each point over the lowest point before it
    lows = np.minimum.accumulate(m[peak:])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(lows > 0, m[peak:] / lows, 1.0)
    up = peak + int(np.argmax(ratio))
    low = peak + int(np.argmin(m[peak:up + 1]))
    if up > low and m[up] >= W_RECOVERED * m[low]:
        after = up + int(np.argmin(m[up:]))  # where it went after the rebound
        tail = ("at the end" if up == len(m) - 1 else
                f"at iteration {int(steps[up]):,}, and ends at {m[-1]:.1f}"
                if after == len(m) - 1 else
                f"at iteration {int(steps[up]):,}, falls again to {m[after]:.2f} at iteration "
                f"{int(steps[after]):,}{' (its lowest)' if m[after] < m[low] else ''} and ends "
                f"at {m[-1]:.1f}")
        return (f"at {name} = {w} it falls from {top} to {m[low]:.2f} at iteration "
                f"{int(steps[low]):,}, rises again to {m[up]:.1f} {tail}", False)
    return f"at {name} = {w} it falls from {top} to {m[-1]:.1f}", False


def critic_reading(view: SweepView) -> str:
    """What the critic's Wasserstein estimate did per width (:func:`critic_curves`, mean over
    seeds as chapter 6's figure draws it): from its peak to the end, or to a low it rose
    again from (:data:`W_RECOVERED`); where it ends near zero in every seed
    (:data:`W_NEAR_ZERO`), beside the width's mean final FID, and what near zero beside a
    high FID does and does not say. Plain text for glue."""
    from ..matrices import width_name

    name = width_name(view.configs)
    k, F = width_matrix(view.configs, view.recs, "fid_train")
    fid = {int(w): float(np.nanmean(r)) for w, r in zip(k, F, strict=True)
           if np.isfinite(r).any()}
    curves = critic_curves(view)
    words = [_critic_words(w, s, W, name) for w, (s, W) in curves.items()]
    if not words:
        return "No completed run stored a critic curve at this profile."
    near = [w for w, (_, z) in zip(curves, words, strict=True) if z]
    text = ("Mean over seeds, the critic's estimate: " + "; ".join(t for t, _ in words) + ".")
    if near:
        text += (
            " A critic whose estimate ends near zero while the mean FID is "
            + ", ".join(f"{fid[w]:.1f} ({name} = {w})" for w in near if w in fid)
            + " barely tells the samples from the data by its estimate. That is the estimate, "
            "not the signal the generator gets: the gradient penalty keeps the critic's "
            "gradient norm near 1 between samples and data, and no gradient of the generator "
            "was measured. These runs cannot say whether more iterations would move such a "
            "width.")
    return text
