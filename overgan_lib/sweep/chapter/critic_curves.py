"""Chapter 6's reading of its critics' Wasserstein estimates over training
(:func:`critic_curves`, :func:`critic_reading`)."""

from __future__ import annotations

import numpy as np

from ..matrices import width_matrix
from ..view import SweepView

# Wording rules of :func:`critic_reading` for the critic's Wasserstein estimate (the data's
# units): below W_NEAR_ZERO it is "near zero"; a curve that ends at least W_RECOVERED times
# its lowest point after its peak "rose again". Both chosen by eye for chapter 6's curves.
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
    every seed."""
    m = W.mean(0)
    peak = int(np.argmax(m))
    low = peak + int(np.argmin(m[peak:]))
    end = W[:, -1]
    span = f"{end.min():.2f}–{end.max():.2f}" if len(end) > 1 else f"{end[0]:.2f}"
    if (end < W_NEAR_ZERO).all():
        above = np.flatnonzero(m >= W_NEAR_ZERO)
        since = int(steps[above[-1] + 1]) if len(above) else int(steps[0])
        return (f"at {name} = {w} it falls from its peak of {m[peak]:.1f} to below "
                f"{W_NEAR_ZERO:g} from iteration {since:,} on and ends at {span} over the "
                f"seeds", True)
    if low < len(m) - 1 and m[-1] >= W_RECOVERED * m[low]:
        return (f"at {name} = {w} it falls from {m[peak]:.1f} to {m[low]:.2f} at iteration "
                f"{int(steps[low]):,} and rises again to {m[-1]:.1f} at the end", False)
    return f"at {name} = {w} it falls from its peak of {m[peak]:.1f} to {m[-1]:.1f}", False


def critic_reading(view: SweepView) -> str:
    """What the critic's Wasserstein estimate did per width (:func:`critic_curves`, mean over
    seeds as chapter 6's figure draws it): from its peak to the end, or to a low it rose
    again from (:data:`W_RECOVERED`); where it ends near zero in every seed
    (:data:`W_NEAR_ZERO`), beside the width's mean final FID, and why near zero beside a
    high FID means the generator gets little signal. Plain text for glue."""
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
            + " barely tells the samples from the data: for a linear critic D, samples equal "
            "to the data's mean image score exactly zero, as E[D(x)] = D(E[x]). So the "
            "generator gets little signal from it: what this budget measures at such a width "
            "is not simply a slower rate of learning, and these runs cannot say whether more "
            "iterations would move it.")
    return text
