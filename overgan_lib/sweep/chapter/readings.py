"""A sweep chapter's closing reading, in plain words from its verdicts: chapter 6's
:func:`run_reading` (with how much of FID's fall lies between the grids below the diversity
cut and the others, :func:`fall_split`), and for the image sweeps the sample grids'
diversity (:func:`grid_diversity`, collapsed below :data:`COLLAPSE_CUT` in most seeds:
:func:`collapsed_widths`) and :func:`image_reading`. Chapter 6 also reads how close its
grids are to the training images' mean image (:func:`mean_image_likeness`,
:func:`likeness_text`) and its critics' Wasserstein estimates (:func:`critic_reading`)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ...profiles import settings
from ..claims import sweep_verdicts
from ..matrices import width_matrix
from ..view import SweepView
from ._types import Views

# "Mostly" in :func:`run_reading`: more than this share of the fall of mean FID from the
# narrowest width to the widest lies between the two groups of grids (a wording rule).
MOSTLY_SHARE = 2 / 3


class FallSplit(NamedTuple):
    """How the fall of mean FID from the narrowest width (``first``) to the widest
    (``last``) of the two groups, ``total`` points, splits: ``step`` points lie between the
    groups, from the best (lowest) mean of the low-diversity group (``best_low``) to the
    worst mean of the others (``worst_high``); ``inner`` is the largest fall between
    neighbouring widths of one group, as (narrower, wider, points), or None when no such
    step falls."""

    first: int
    last: int
    total: float
    best_low: int
    worst_high: int
    step: float
    inner: tuple[int, int, float] | None

    @property
    def share(self) -> float:
        """The share of the fall that lies between the groups."""
        return self.step / self.total


def fall_split(means: dict[int, float], low: list[int], high: list[int]) -> FallSplit | None:
    """:class:`FallSplit` of per-width mean FIDs ``means`` for the groups ``low`` (grids below
    the diversity cut) and ``high``; None unless both groups have means, every ``low`` mean
    is above every ``high`` one, the narrowest width is in ``low`` and the widest in
    ``high``, and mean FID falls from the one to the other."""
    lo = {w: means[w] for w in low if w in means}
    hi = {w: means[w] for w in high if w in means}
    if not lo or not hi or min(lo.values()) <= max(hi.values()):
        return None
    ws = sorted(lo | hi)
    total = means[ws[0]] - means[ws[-1]]
    if total <= 0 or ws[0] not in lo or ws[-1] not in hi:
        return None
    best, worst = min(lo, key=lo.get), max(hi, key=hi.get)
    falls = [(a, b, means[a] - means[b]) for a, b in zip(ws[:-1], ws[1:], strict=True)
             if (a in lo and b in lo) or (a in hi and b in hi)]
    inner = max(falls, key=lambda f: f[2], default=None)
    return FallSplit(ws[0], ws[-1], total, best, worst, lo[best] - hi[worst],
                     inner if inner is not None and inner[2] > 0 else None)


def _split_text(means: dict[int, float], split: FallSplit, label: str, iters: int) -> str:
    """The sentence of :func:`run_reading` on a :class:`FallSplit`."""
    word = "mostly" if split.share > MOSTLY_SHARE else "only in part"
    inner = ("" if split.inner is None else
             f" (the largest step within one: {split.inner[2]:.1f} points, from "
             f"k = {split.inner[0]} to k = {split.inner[1]})")
    return (f"Mean FID falls by {split.total:.1f} points from k = {split.first} to "
            f"k = {split.last} ({means[split.first]:.1f} to {means[split.last]:.1f}); "
            f"{split.step:.1f} of them ({split.share:.0%}) lie between the groups, from the best "
            f"mean among widths whose grids are {label} (k = {split.best_low}, "
            f"{means[split.best_low]:.1f}) to the worst of the others (k = {split.worst_high}, "
            f"{means[split.worst_high]:.1f}), and the rest within the groups{inner}. So the "
            f"fall of FID with k {word} separates "
            f"widths whose grids are {label} after {iters:,} iterations from the others "
            f"(we say \"mostly\" only when more than {MOSTLY_SHARE:.0%} of the fall lies between "
            "them).")


def _groups_text(means: dict[int, float], collapsed: list[int], varied: list[int],
                 label: str, iters: int) -> str:
    """The opening sentences of :func:`run_reading`: which widths' grids are ``label`` and
    how much of FID's fall lies between them and the others (:func:`fall_split`)."""
    ks = lambda ws: ", ".join(str(int(w)) for w in ws)  # noqa: E731
    if not collapsed:
        return f"No sample grid is {label} at this profile."
    if not varied:
        return (f"Every sample grid is {label} at this profile, so FID differences between "
                f"widths compare only such grids, none with varied samples.")
    head = (f"At this profile the sample grids of k = {ks(collapsed)} are {label} and those "
            f"of k = {ks(varied)} are not")
    worse = [means[c] > means[v] for c in collapsed for v in varied
             if c in means and v in means]
    if not (worse and all(worse)):
        return (head + ", yet FID does not rank every such width below every other one ("
                + ", ".join(f"k = {w}: {means[w]:.1f}" for w in sorted(means)
                            if w in collapsed or w in varied)
                + f" mean FID), so the trend is not simply the widths whose grids are {label} "
                "against the others.")
    split = fall_split(means, collapsed, varied)
    if split is None:
        return head + (f", but mean FID does not fall from a narrowest width that is {label} "
                       "to a widest that is not, so its change with k is not split between "
                       "the two groups.")
    return head + ". " + _split_text(means, split, label, iters)


def run_reading(view: SweepView, collapsed: list[int], varied: list[int],
                extra: tuple[str, ...] = (), figure: str = "Fig. 3",
                label: str = "collapsed") -> str:
    """Chapter 6's closing reading of a sweep (prose, from its verdicts): which widths' sample
    grids are ``label`` (``collapsed``; the others ``varied``) and, when every such width
    has a higher mean FID than every varied one, how much of the fall of mean FID from the
    narrowest width to the widest lies between the two groups (:func:`fall_split`; "mostly"
    only above :data:`MOSTLY_SHARE`; otherwise the means, and that the trend is not simply
    the two groups); the paper's uptick pair as measured; the sentences ``extra``; how many
    verdicts decide a claim at all (early-training evidence and "not testable" do not); and,
    below `paper`, that the profile is reduced (``figure``: the paper's figure of trained
    models)."""
    from ..summary import CONFIRMED, CONTRADICTED, NOT_REPRODUCED

    found = sweep_verdicts(view)
    k, F = width_matrix(view.configs, view.recs, "fid_train")
    _, Ft = width_matrix(view.configs, view.recs, "fid_test")
    iters = int(view.cfg["iters"])
    means = {int(w): float(np.nanmean(r)) for w, r in zip(k, F, strict=True)
             if np.isfinite(r).any()}
    parts = [_groups_text(means, collapsed, varied, label, iters)]
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


def _grids(view: SweepView) -> tuple[np.ndarray, dict[int, list[np.ndarray]]]:
    """64 real training images (n, H, W, C) and, per varied width, the 64 tiles of every
    stored run's sample grid in seed order (n, H, W, 3: grey grids are read as RGB), on the
    grids' grey-level scale."""
    from PIL import Image

    from ...data import CARDS
    from ...metrics.reference import reference_subset
    from ...summaries import grid_tiles
    from ...train import grid_path
    from ..matrices import varied_side

    side = varied_side(view.configs)
    dataset = view.configs[0].dataset
    size = CARDS[dataset].resolution
    real = np.asarray(reference_subset(dataset, "train", 64), float)
    real = np.moveaxis(real, 1, -1) if real.ndim == 4 else real
    out: dict[int, list[np.ndarray]] = {}
    for c, r in sorted(zip(view.configs, view.recs, strict=True), key=lambda cr: cr[0].seed):
        path = grid_path(c, view.profile)
        if r is None or not path.exists():
            continue
        img = np.asarray(Image.open(path).convert("RGB" if real.ndim == 4 else "L"), float)
        out.setdefault(int(getattr(c, side)), []).append(grid_tiles(img, 8, size))
    return real, dict(sorted(out.items()))


def grid_diversity(view: SweepView) -> dict[int, list[float]]:
    """Per varied width, the diversity of every stored run's sample grid (seed order) as a
    fraction of the same number for 64 real training images: the per-pixel standard deviation
    across the 64 samples after averaging 4x4 pixel blocks. Near 0: one repeated image."""
    from ...summaries import sample_diversity

    real, grids = _grids(view)
    base = sample_diversity(real, block=4)
    return {k: [sample_diversity(t, 4) / base for t in ts] for k, ts in grids.items()}


def collapsed_widths(div: dict[int, list[float]]) -> tuple[list[int], list[int]]:
    """(collapsed, varied) widths of :func:`grid_diversity`'s ``div``: a width is collapsed
    when most of its seeds' grids are below :data:`COLLAPSE_CUT` (a tie is not most)."""
    collapsed = [k for k, ds in div.items() if 2 * sum(d < COLLAPSE_CUT for d in ds) > len(ds)]
    return collapsed, [k for k in div if k not in collapsed]


# A grid counts as near the training images' mean image when the median correlation of its
# samples with that image (:func:`mean_image_likeness`) is above this: chosen by eye, like
# :data:`COLLAPSE_CUT` (64 real MNIST digits score 0.70 on the same measure).
MEAN_LIKE_CUT = 0.9


def _mean_correlation(images: np.ndarray, mean: np.ndarray) -> float:
    """Median over ``images`` (n, H, W, C) of each one's correlation with ``mean`` (H, W, C
    or H, W, 1: a grey mean against RGB copies of grey images), both after averaging 4x4
    pixel blocks (as :func:`grid_diversity`)."""
    n, h, w = images.shape[:3]
    mean = np.broadcast_to(mean, images.shape[1:])
    blocks = lambda x: x.reshape(len(x), h // 4, 4, w // 4, 4, -1).mean((2, 4)).reshape(  # noqa: E731
        len(x), -1)
    a, m = blocks(images), blocks(mean[None])[0]
    a = (a - a.mean(1, keepdims=True)) / a.std(1, keepdims=True)
    return float(np.median(a @ ((m - m.mean()) / m.std()) / a.shape[1]))


def mean_image_likeness(view: SweepView) -> tuple[dict[int, list[float]], float]:
    """How close the samples are to the training split's mean image: per varied width, for
    every stored run's sample grid (seed order), the median over its 64 samples of a sample's
    correlation with the mean of all training images (4x4 block averages); and the same
    number for 64 real training images. Near 1: every sample is the blurred mean image, a
    generator not past the mean-image stage."""
    from ...data import load_uint8

    real, grids = _grids(view)
    mean = np.moveaxis(load_uint8(view.configs[0].dataset, "train").mean(0, dtype=float), 0, -1)
    return ({k: [_mean_correlation(t, mean) for t in ts] for k, ts in grids.items()},
            _mean_correlation(real, mean))


def likeness_text(like: dict[int, list[float]], real: float, low: list[int],
                  name: str = "k") -> str:
    """What the low-diversity widths ``low`` are, from :func:`mean_image_likeness`'s
    ``like`` and ``real``: near the mean image in every seed's grid
    (:data:`MEAN_LIKE_CUT`), i.e. not past the mean-image stage; or not, so low diversity
    there is collapse onto some other image or few images. Plain text for glue."""
    if not low:
        return "No width's grids are below the diversity cut at this profile."
    near = [k for k in low if k in like and min(like[k]) > MEAN_LIKE_CUT]
    other = [k for k in low if k in like and k not in near]
    vals = "; ".join(f"{name} = {k}: " + ", ".join(f"{v:.2f}" for v in like[k])
                     for k in low if k in like)
    ks = lambda ws: ", ".join(str(k) for k in ws)  # noqa: E731
    parts = [f"Median correlation of a sample with the mean of all training images, per seed's "
             f"grid: {vals} (64 real training images: {real:.2f}; we call a grid near the "
             f"mean image above {MEAN_LIKE_CUT:g}, a cut chosen by eye)."]
    if near:
        parts.append(f"At {name} = {ks(near)} every seed's samples are near that mean image: "
                     "these generators are not past the mean-image stage (one blurred average "
                     "image, varied by noise), rather than collapsed onto a few real-looking "
                     "images.")
    if other:
        parts.append(f"At {name} = {ks(other)} some seed's low-diversity samples are not near "
                     "the mean image: look at the grids for what they repeat.")
    return " ".join(parts)


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
    collapsed, varied = collapsed_widths(div)
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
