"""A sweep chapter's closing reading, in plain words from its verdicts: chapter 6's
:func:`run_reading` (with how much of FID's fall lies between the grids below the diversity
cut and the others, :func:`fall_split`) and, for the image sweeps, :func:`image_reading`,
which reads the sample grids' diversity (:mod:`.grids`). Chapter 6 also reads its grids'
likeness to the mean image (:mod:`.grids`) and its critics' Wasserstein estimates
(:mod:`.critic_curves`)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ...profiles import settings
from ..claims import sweep_verdicts
from ..matrices import width_matrix
from ..summary.outcomes import row_means
from ..view import SweepView
from ._types import Views
from .grids import COLLAPSE_CUT, collapsed_widths, grid_diversity

# "Mostly" in :func:`run_reading`: more than this share of the fall of mean FID from the
# narrowest width to the widest lies between the two groups of grids (a wording rule).
MOSTLY_SHARE = 2 / 3


def fid_kid_steps_text(k: np.ndarray, F: np.ndarray, K: np.ndarray, split: str = "train"
                       ) -> str:
    """Where mean FID and mean KID (widths x seeds each, against the ``split`` images) move in
    opposite directions between adjacent widths: the steps a FID verdict counts that the
    unbiased KID does not back, and the reverse. Plain text for glue."""
    mf, mk = row_means(F), row_means(K)
    steps = [(int(k[i]), int(k[i + 1]), mf[i], mf[i + 1], mk[i], mk[i + 1])
             for i in range(len(k) - 1)
             if np.isfinite([mf[i], mf[i + 1], mk[i], mk[i + 1]]).all()
             and np.sign(mf[i + 1] - mf[i]) != np.sign(mk[i + 1] - mk[i])]
    if not steps:
        return (f"Mean FID {split} and mean KID {split} move the same way at every step "
                "between adjacent widths.")

    def word(a: float, b: float) -> str:
        return "rises" if b > a else "falls" if b < a else "stays"

    return ("Mean FID and mean KID disagree at " + "; ".join(
        f"k = {a} → {b}: FID {split} {word(fa, fb)} ({fa:.1f} → {fb:.1f}), KID {split} ×10³ "
        f"{word(ka, kb)} ({1e3 * ka:.1f} → {1e3 * kb:.1f})"
        for a, b, fa, fb, ka, kb in steps) + ". No verdict uses KID, so such a step counts in "
        "the FID verdicts as FID has it.")


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
    shown = {k: round(v, 1) for k, v in means.items()}  # differences of the printed means add up

    def fall(a: int, b: int) -> str:
        return f"{abs(shown[a] - shown[b]):.1f}"

    inner = ("" if split.inner is None else
             f" (the largest step within one: {fall(split.inner[0], split.inner[1])} points, "
             f"from k = {split.inner[0]} to k = {split.inner[1]})")
    return (f"Mean FID falls by {fall(split.first, split.last)} points from k = {split.first} "
            f"to k = {split.last} ({means[split.first]:.1f} to {means[split.last]:.1f}); "
            f"{fall(split.best_low, split.worst_high)} of them ({split.share:.0%}) lie between "
            f"the groups, from the best "
            f"mean among widths whose grids are {label} (k = {split.best_low}, "
            f"{means[split.best_low]:.1f}) to the worst of the others (k = {split.worst_high}, "
            f"{means[split.worst_high]:.1f}), and the rest within the groups{inner}. So the "
            f"fall of FID with k is {word} the step from widths whose grids are {label} after "
            f"{iters:,} iterations to the others ({split.share:.0%} of the fall lies between "
            f"them; \"mostly\", a wording choice, would need more than {MOSTLY_SHARE:.0%}).")


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
            a, b = np.nanmean(Ft[i]), np.nanmean(Ft[j])  # the uptick is judged on FID test
            gap = Ft - F
            parts.append(
                f"Between the paper's uptick widths, k = {lo} and {hi}, the mean FID against the "
                f"test images (the split the uptick is judged on) goes from {a:.1f} to {b:.1f} "
                f"({'a fall' if b < a else 'a rise'}), against the training images from "
                f"{np.nanmean(F[i]):.1f} to {np.nanmean(F[j]):.1f}, "
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
                 f"tell) or early-training trends only.")
    if view.profile != "paper":
        share = iters / settings(view.spec.name, "paper")["iters"]
        # plain words: glued text is shown as is, without Markdown
        also = "" if view.profile == "gpu" else " (the gpu profile is reduced scale too)"
        parts.append(f"The {view.profile} profile trains {100 * share:.2g}% of the paper "
                     f"profile's iterations, so none of this says how {figure}'s trained models "
                     f"compare; that needs the paper profile{also}.")
    return " ".join(parts)


def image_reading(view: SweepView) -> str:
    """What an image sweep's stored runs show, in plain words for a chapter's closing section: which
    widths' sample grids are below the diversity cut (:data:`COLLAPSE_CUT`, every seed's grid),
    how FID moved between the first and the last evaluation, what the trend verdict then
    compares, and the rest of :func:`run_reading` (how many verdicts decide a claim; the
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
            f"Sample grids below {COLLAPSE_CUT:g} of the real images' diversity (the diversity "
            "cut, chosen by eye; low diversity alone does not say what a grid repeats; a width "
            "counts as below the cut when most of its seeds' grids are; diversity by seed, the "
            "first seed's grid being the one the figures show): " + "; ".join(
                f"{name} = {k}: {counts[k]} of {len(ds)} seeds (diversity "
                + ", ".join(f"{d:.2f}" for d in ds) + ")" for k, ds in div.items()) + ".")
        odd = {k: ds[0] < COLLAPSE_CUT for k, ds in div.items()
               if ds and (ds[0] < COLLAPSE_CUT) != (k in collapsed)}
        if odd:
            head.append("The grid the figures show (the first seed's) is " + "; ".join(
                f"{'below' if c else 'above'} the cut at {name} = {k}, unlike most of its "
                "seeds'"
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
                f"So the trend verdict, {trend}, compares the widths at a last evaluation where "
                f"FID at {name} = {', '.join(map(str, rose))} had risen since the first: whether "
                "that rise is a transient or the instability Fig. 5 is about cannot be told from "
                f"{len(steps)} evaluations, and the stability rule judges divergence only.")
    return " ".join(head + [run_reading(view, collapsed, varied, tuple(parts), "Fig. 4",
                                        label="below the diversity cut")])


def glue_readings(views: Views, profile: str) -> None:
    """Glue ``<sweep>_reading``: :func:`image_reading` of each sweep at ``profile`` (or why
    there is none yet), for a chapter's closing section, and the diversity measure's
    ``diversity_cut`` and ``diversity_block`` (:mod:`.grids`) for the prose that defines it."""
    from ...book import glue
    from .grids import COLLAPSE_CUT, DIVERSITY_BLOCK

    glue("diversity_cut", f"{COLLAPSE_CUT:g}")
    glue("diversity_block", str(DIVERSITY_BLOCK))

    for name, by_profile in views.items():
        v = by_profile[profile]
        glue(f"{name}_reading", image_reading(v) if v.complete else
             f"{name} at {profile}: {v.status()}; nothing to read yet.")
