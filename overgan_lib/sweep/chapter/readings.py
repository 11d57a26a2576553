"""A sweep chapter's closing reading, in plain words from its verdicts: chapter 6's
:func:`run_reading`, and for the image sweeps the sample grids' diversity
(:func:`grid_diversity`, collapsed below :data:`COLLAPSE_CUT`) and :func:`image_reading`."""

from __future__ import annotations

import numpy as np

from ...profiles import settings
from ..claims import sweep_verdicts
from ..matrices import width_matrix
from ..view import SweepView
from ._types import Views


def run_reading(view: SweepView, collapsed: list[int], varied: list[int],
                extra: tuple[str, ...] = (), figure: str = "Fig. 3") -> str:
    """Chapter 6's closing reading of a sweep (prose, from its verdicts): which widths' sample
    grids are collapsed (``collapsed``; the others ``varied``) and, when every collapsed width
    has a higher mean FID than every varied one, that the FID trend mostly separates the two
    (otherwise the means, and that it does not); the paper's uptick pair as measured; the
    sentences ``extra``; how many verdicts decide a claim at all (early-training evidence and
    "not testable" do not); and, below
    `paper`, that the profile is reduced (``figure``: the paper's figure of trained models)."""
    from ..summary import CONFIRMED, CONTRADICTED, NOT_REPRODUCED

    found = sweep_verdicts(view)
    k, F = width_matrix(view.configs, view.recs, "fid_train")
    _, Ft = width_matrix(view.configs, view.recs, "fid_test")
    ks = lambda ws: ", ".join(str(int(w)) for w in ws)  # noqa: E731
    iters = int(view.cfg["iters"])
    means = {int(w): float(np.nanmean(r)) for w, r in zip(k, F, strict=True)
             if np.isfinite(r).any()}
    if collapsed and varied:
        parts = [f"At this profile the sample grids of k = {ks(collapsed)} are collapsed and those "
                 f"of k = {ks(varied)} are not"]
        worse = [means[c] > means[v] for c in collapsed for v in varied
                 if c in means and v in means]
        if worse and all(worse):
            parts[0] += (f", so the fall of FID with k mostly separates widths that escaped "
                         f"collapse within {iters:,} iterations from widths that did not.")
        else:
            parts[0] += (", yet FID does not rank every collapsed width below every varied one ("
                         + ", ".join(f"k = {w}: {means[w]:.1f}" for w in sorted(means)
                                     if w in collapsed or w in varied)
                         + " mean FID), so the trend is not simply collapse against escape.")
    elif collapsed:
        parts = ["Every sample grid is collapsed at this profile, so FID differences between "
                 "widths compare failed models."]
    else:
        parts = ["No sample grid is collapsed at this profile."]
    if view.spec.uptick:
        lo, hi = view.spec.uptick
        if lo in k and hi in k:
            i, j = list(k).index(lo), list(k).index(hi)
            a, b = np.nanmean(F[i]), np.nanmean(F[j])
            gap = Ft - F
            parts.append(
                f"Between the paper's uptick widths, k = {lo} and {hi}, the mean FID against the "
                f"training images goes from {a:.1f} to {b:.1f} ({'a fall' if b < a else 'a rise'}) "
                f"and the mean generalisation gap from {np.nanmean(gap[i]):.2f} to "
                f"{np.nanmean(gap[j]):.2f}; the uptick is \"{found['uptick'].outcome}\" and its "
                f"possible cause \"{found['uptick_gap'].outcome}\".")
        else:
            parts.append(f"This profile does not train both of the paper's uptick widths, "
                         f"k = {lo} and {hi}.")
    parts += list(extra)
    judged = sum(v.outcome in (CONFIRMED, CONTRADICTED, NOT_REPRODUCED) for v in found.values())
    parts.append(f"Of this sweep's {len(found)} verdicts, {judged} "
                 f"decide{'s' if judged == 1 else ''} a claim (confirmed, contradicted or not "
                 f"reproduced); the others are not testable here, inconclusive (the data cannot "
                 f"tell) or early-training evidence only.")
    if view.profile != "paper":
        share = iters / settings(view.spec.name, "paper")["iters"]
        # plain words: glued text is shown as is, without Markdown
        also = "" if view.profile == "gpu" else " (the gpu profile is reduced scale too)"
        parts.append(f"The {view.profile} profile trains {100 * share:.2g}% of the paper "
                     f"profile's iterations, so none of this says how {figure}'s trained models "
                     f"compare; that needs the paper profile{also}.")
    return " ".join(parts)


# A sample grid counts as collapsed below this fraction of the real images' diversity
# (:func:`...summaries.sample_diversity` after 4x4 block averaging), in every sweep chapter
# (chapter 6 reads it from here): a choice made by eye, not a calibrated test.
COLLAPSE_CUT = 0.5


def grid_diversity(view: SweepView) -> dict[int, list[float]]:
    """Per varied width, the diversity of every stored run's sample grid (seed order) as a
    fraction of the same number for 64 real training images: the per-pixel standard deviation
    across the 64 samples after averaging 4x4 pixel blocks. Near 0: one repeated image."""
    from PIL import Image

    from ...data import CARDS
    from ...metrics.reference import reference_subset
    from ...summaries import grid_tiles, sample_diversity
    from ...train import grid_path
    from ..matrices import varied_side

    side = varied_side(view.configs)
    dataset = view.configs[0].dataset
    size = CARDS[dataset].resolution
    real = np.asarray(reference_subset(dataset, "train", 64), float)
    real = np.moveaxis(real, 1, -1) if real.ndim == 4 else real
    base = sample_diversity(real, block=4)
    out: dict[int, list[float]] = {}
    for c, r in sorted(zip(view.configs, view.recs, strict=True), key=lambda cr: cr[0].seed):
        path = grid_path(c, view.profile)
        if r is None or not path.exists():
            continue
        img = np.asarray(Image.open(path).convert("RGB" if real.ndim == 4 else "L"), float)
        tiles = grid_tiles(img, 8, size)
        out.setdefault(int(getattr(c, side)), []).append(sample_diversity(tiles, 4) / base)
    return dict(sorted(out.items()))


def image_reading(view: SweepView) -> str:
    """What an image sweep's stored runs show, in plain words for a chapter's closing
    section: which widths' sample grids are collapsed (:data:`COLLAPSE_CUT`, every seed's
    grid), how FID moved between the first and the last evaluation, what the trend verdict
    then compares, and the rest of :func:`run_reading` (how many verdicts decide a claim; the
    profile is reduced)."""
    from ..matrices import eval_curves, width_name
    from ..summary import CONFIRMED, CONTRADICTED, early_test

    div = grid_diversity(view)
    name = width_name(view.configs)
    counts = {k: sum(d < COLLAPSE_CUT for d in ds) for k, ds in div.items()}
    collapsed = [k for k, n in counts.items() if 2 * n > len(div[k])]
    varied = [k for k in div if k not in collapsed]
    head, parts = [], []
    if div:
        head.append(
            f"Sample grids below {COLLAPSE_CUT:g} of the real images' diversity (collapsed, by a "
            "threshold chosen by eye; a width counts as collapsed below when most of its seeds' "
            "grids are; diversity by seed, the first seed's grid being the one the figures "
            "show): " + "; ".join(
                f"{name} = {k}: {counts[k]} of {len(ds)} seeds (diversity "
                + ", ".join(f"{d:.2f}" for d in ds) + ")" for k, ds in div.items()) + ".")
        odd = {k: ds[0] < COLLAPSE_CUT for k, ds in div.items()
               if ds and (ds[0] < COLLAPSE_CUT) != (k in collapsed)}
        if odd:
            head.append("The grid the figures show (the first seed's) is " + "; ".join(
                f"{'collapsed' if c else 'varied'} at {name} = {k}, unlike most of its seeds'"
                for k, c in odd.items()) + ".")
    curves = eval_curves(view.configs, view.recs)
    if len(curves) > 1:
        change = {k: float(np.mean(c[:, -1]) - np.mean(c[:, 0])) for k, (_, c) in curves.items()}
        steps = next(iter(curves.values()))[0]
        rose = [k for k, d in change.items() if d > 0]
        parts.append(
            f"From iteration {int(steps[0]):,} to {int(steps[-1]):,} the mean FID "
            + ", ".join(f"{'rose' if d > 0 else 'fell'} by {abs(d):.1f} at {name} = {k}"
                        for k, d in change.items()) + ".")
        trend = sweep_verdicts(view)["trend"].outcome
        if rose and early_test(trend) in (CONFIRMED, CONTRADICTED):
            parts.append(
                f"So the trend verdict ({trend}) compares the widths at a last evaluation where "
                f"FID at {name} = {', '.join(map(str, rose))} had risen since the first: whether "
                "that rise is a transient or the instability Fig. 5 is about cannot be told from "
                f"{len(steps)} evaluations, and the stability rule judges divergence only.")
    return " ".join(head + [run_reading(view, collapsed, varied, tuple(parts), "Fig. 4")])


def glue_readings(views: Views, profile: str) -> None:
    """Glue ``<sweep>_reading``: :func:`image_reading` of each sweep at ``profile`` (or why
    there is none yet), for a chapter's closing section."""
    from ...book import glue

    for name, by_profile in views.items():
        v = by_profile[profile]
        glue(f"{name}_reading", image_reading(v) if v.complete else
             f"{name} at {profile}: {v.status()}; nothing to read yet.")
