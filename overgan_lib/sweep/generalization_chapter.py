"""Chapter "Generalization"'s readings: the words and tables it prints from stored records.

Like :mod:`.chapter` for the sweep chapters, this keeps the chapter's branching conclusions
out of the notebook, where they could not be tested. The rules themselves live in
:mod:`.generalization` (Figs. 6 and 10), :mod:`.real_gap` and :mod:`.crossover` (the NND
critic); the functions here only word their results, and use the same baselines and
references as the rules.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..profiles import PROFILES, settings
from . import generalization as rules
from . import real_gap as gap_rule
from .summary import CONFIRMED, Verdict

LABELS = {"memorise": "memoriser (all training images)", "blur": "blurred training images",
          "noise": "noisy training images", "fresh": "training images, no repeats"}


def label(name: str) -> str:
    """A baseline sampler's name as the chapter prints it (``memorise_500``: "memoriser of
    500 images"; ``fresh``: training images drawn without repeats, not new real images)."""
    if name.startswith("memorise_"):
        return f"memoriser of {int(name.split('_')[1]):,} images"
    return LABELS.get(name, name)


def learnt_cell(gap: float, se: float) -> str:
    """A table cell for one critic's gap against the per-critic rule: yes, no or — (error
    unknown)."""
    seen = gap_rule.learnt(gap, se)
    return "—" if seen is None else "yes" if seen else "no"


def _diffs(a: np.ndarray, b: np.ndarray) -> str:
    return ", ".join(f"{d:+.2f}" for d in np.asarray(a) - np.asarray(b))


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
                f"critic detects the memoriser cannot then be tested, and the memoriser has "
                f"one critic seed here, so the memoriser claim below is not testable.")
    m, f = floor["memorise"], floor["fresh"]
    _, seen = rules.memoriser_detected(m["nnd"], f["nnd"])
    _, seen_raw = rules.memoriser_detected(m["nnd_raw"], f["nnd_raw"])
    tail = (f"; the {label(small)} above is the one whose repeats the critic could learn."
            if small else ".")
    return (f"Here the no-repeat floor can be measured: training images drawn without "
            f"replacement so that none repeats (one critic run draws {draws:,} of the "
            f"{n_train:,}), scored against the memoriser under {len(floor['critic_seeds'])} "
            f"critic seeds (each critic seed shares its initialisation, real batches and noise "
            f"between the two). {seen} With the raw critic: {seen_raw[0].lower()}"
            f"{seen_raw[1:]} Per seed, memoriser minus training images without repeats: "
            f"{_diffs(m['nnd'], f['nnd'])} (EMA) and {_diffs(m['nnd_raw'], f['nnd_raw'])} "
            f"(raw). At this budget the memoriser's draws are mostly images the critic has "
            f"not seen before, so this pair mostly measures the critic's seed noise{tail}")


def memoriser_scope() -> str:
    """What the memoriser comparison can and cannot show at each profile, as a Markdown
    table: whether training images without repeats last the critic's budget (then the
    memoriser is scored over several critic seeds, whether the critic detects it is tested,
    and the claim can go either way) or run out (one critic seed of the memoriser: the claim
    is not testable; :func:`.generalization.nnd_verdicts`)."""
    from ..metrics.generalization import sampler_draws

    rows = ["| profile | samples one critic run draws (training and scoring) | training images "
            "| unrepeated training images | critic seeds of the memoriser | the memoriser "
            "claim can be |",
            "|---|---:|---:|---|---:|---|"]
    for p in PROFILES:
        cfg = settings("nnd_floor", p)
        testable = rules.can_draw_fresh(cfg)
        rows.append(
            f"| `{p}` | {sampler_draws(cfg):,} | {cfg['n_train']:,} | "
            + (f"last the run: detection tested (paired over critic seeds) | "
               f"{cfg['critic_seeds']} | confirmed, not reproduced or contradicted (each only "
               f"where the critic detects the memoriser), else not testable |"
               if testable and cfg["critic_seeds"] >= rules.MIN_CRITIC_SEEDS else
               f"last the run, but too few critic seeds | {cfg['critic_seeds']} | not "
               f"testable |" if testable else
               f"run out after {cfg['n_train']:,} draws: detection not testable | 1 | not "
               f"testable (one critic seed) |"))
    return "\n".join(rows)


def gpu_memoriser_text(gpu_critic: dict[str, Any], gpu_floor: dict[str, Any], gpu_seeds: int,
                       stored: bool) -> str:
    """What the ``gpu`` profile can decide by chapter "Generalization"'s rules, in words:
    ``gpu_critic`` its ``generalization_baselines`` settings, ``gpu_floor`` its ``nnd_floor``
    settings, ``gpu_seeds`` its generators' seeds per width; ``stored``: whether its
    baselines are stored. Views per training image are training draws only (steps times
    batch over the training images), as elsewhere in the chapter."""
    from ..metrics import nnd as N
    from ..metrics.generalization import sampler_draws

    n_train = gpu_critic["n_train"]
    views = gpu_critic["steps"] * gpu_critic["batch_size"] / n_train
    text = (f"The `gpu` profile's critic trains {gpu_critic['steps']:,} steps at batch "
            f"{gpu_critic['batch_size']}, showing each training image about {views:.0f} times "
            f"in training (the reference: {N.REFERENCE_STEPS * N.BATCH / n_train:.0f}). ")
    if rules.can_draw_fresh(gpu_floor):
        text += (f"Unrepeated training images last its critic runs, so the memoriser is scored "
                 f"over {gpu_floor['critic_seeds']} critic seeds against them and the "
                 f"memoriser claim can go either way there. ")
    else:
        text += (f"One critic run there draws {sampler_draws(gpu_floor):,} samples, and "
                 f"unrepeated training images run out after {gpu_floor['n_train']:,} draws, "
                 f"so whether the critic detects the memoriser cannot be tested and the "
                 f"memoriser is scored with one critic seed: the memoriser claim is not "
                 f"testable there. ")
    text += (f"With {gpu_seeds} seeds per width it can decide the NND trend with $k$ (marked as "
             f"far from the data if its models' FID is), and the copying and diversity claims "
             f"only if its models come close to the data by FID. Section "
             f"{{ref}}`sec-gpu-prediction` says what this book's own evidence predicts for its "
             f"NND critic.")
    return text + ("" if stored else " No `gpu` baselines are stored yet.")


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
            f"significant (one-sided tests at level {rules.ALPHA}; one seed per width is not "
            f"testable).")


def fit_views_prediction(views: dict[str, Any], gpu: dict[str, Any], fit_views: float) -> str:
    """What this profile's fit-set experiment (``views``: ``nnd_fit_views`` record) predicts
    for the ``gpu`` critic (``gpu``: its ``generalization_baselines`` settings), in words,
    and what the ``gpu`` protocol does about it. ``fit_views``: views per fit image here."""
    from ..metrics.nnd_fit_views import views_per_image

    gpu_fit = gpu["n_real"] // 2
    gpu_views = views_per_image(gpu, gpu_fit)
    pool = gpu["steps"] * gpu["batch_size"] / gpu["n_train"]
    first = gap_rule.first_learnt(views)
    head = (f"At `gpu` the critic sees each of its {gpu_fit:,} fit images about "
            f"{gpu_views:,.0f} times, and each of the memoriser's training images about "
            f"{pool:,.0f} times (here: {gap_rule.fmt_views(fit_views)} views per fit image). ")
    if first is None:
        return head + (f"At this profile's budget no gap crossed the rule up to "
                       f"{gap_rule.fmt_views(views['views'][-1])} views each, so this "
                       f"experiment predicts nothing for `gpu`; its records' gaps will say.")
    gap, se = views["real_gap"][first], views["real_gap_se"][first]
    seen = gap_rule.fmt_views(views["views"][first])
    return head + (
        f"This book's own evidence predicts that the `gpu` critic learns its fit images: here "
        f"a critic that saw each fit image {seen} times already had (gap "
        f"{gap_rule.fmt_gap(gap, se)}), and `gpu` shows each "
        f"{gpu_views / float(views['views'][first]):,.0f} times as often (a longer critic "
        f"run, so not the same experiment). A critic that learns its real fit images rates "
        f"held-out real images and every sampler alike as less real, which can narrow the "
        f"gap between the memoriser and the models that Fig. 6's comparison rests on. The "
        f"`gpu` protocol does not prevent it; it measures it: every NND records its critic's "
        f"real-side gap, and the crossover trains a twin critic on the other half for every "
        f"baseline and every scored generator, so the learning estimate (a + b) / 2 and how "
        f"far each comparison moves with the split are reported beside the `gpu` verdicts.")


def verdict_summary(fits: dict[str, list[Verdict]], critic: tuple[bool, str] | None) -> str:
    """The chapter's opening summary as a Markdown table: each claim's verdict per scored
    sweep (``fits``: sweep -> :func:`.generalization_claims.generalization_verdicts`), and
    the NND critic's row (``critic``: :func:`.real_gap.critic_check`), None if unjudged."""
    if not fits:
        lines = ["No sweep's generators are scored at this profile yet, so no claim is judged."]
    else:
        claims = [v.claim for v in next(iter(fits.values()))]
        head = "| claim | " + " | ".join(f"`{s}`" for s in fits) + " |"
        lines = [head, "|---|" + "---|" * len(fits)]
        for i, c in enumerate(claims):
            cells = [_short(fits[s][i].outcome) for s in fits]
            lines.append(f"| {c} | " + " | ".join(cells) + " |")
    if critic is not None:
        lines += ["", critic_line(critic[0])]
    return "\n".join(lines)


def critic_line(no_learning: bool) -> str:
    """The summary's line for the NND critic's row (``no_learning``: its check passed)."""
    return ("NND critic (the instrument): "
            + ("no learning of its own real images detected" if no_learning else
               "learning of its own real images detected")
            + " by the group test at this budget.")


def _short(outcome: str) -> str:
    """An outcome for a table cell, bold when confirmed."""
    text = outcome.replace(" at this profile", "").replace(" at this budget", "")
    return f"**{text}**" if outcome == CONFIRMED else text


def diagnostics_reading(baselines: list[dict[str, Any]], crossed: list) -> str:
    """One reading of the NND critic's first gaps and crossed-over learning estimates for
    the baselines' critics (``baselines``: their NND results; ``crossed``:
    :class:`.crossover.CrossedPair`), decided by the group tests the status row uses, so the
    two sections cannot disagree: the first gaps carry the split's offset, the learning
    estimates cancel it."""
    from .crossover import group_test

    got, known, _ = gap_rule.count_learnt(baselines)
    first = gap_rule.first_gap_group(baselines)
    cross = group_test(crossed)
    if first is None:
        return "No real-side gap is stored with the baselines' critics."
    mean, bar, beyond = first
    text = (f"First gaps: {got} of {known} of the baselines' critics cross the per-critic "
            f"rule, and their mean, {mean:+.3f}, {'exceeds' if beyond else 'stays below'} "
            f"the group bar {bar:.3f}. ")
    if cross is None:
        return text + ("They are not crossed over at this profile, so learning cannot be "
                       "told from the fixed split's offset, and the first gaps decide.")
    n_learnt = sum(bool(p.learnt()) for p in crossed if p.learnt() is not None)
    offset = float(np.mean([p.offset for p in crossed]))
    c_mean, c_bar, c_beyond = cross
    text += (f"Crossed over, {n_learnt} of {len(crossed)} learning estimates cross the "
             f"per-critic rule and their mean, {c_mean:+.3f}, "
             f"{'exceeds' if c_beyond else 'stays below'} the group bar {c_bar:.3f}"
             + (" (only just)" if c_beyond and c_mean < 1.1 * c_bar else "") + ". ")
    if c_beyond and not beyond:
        text += (f"The two agree once the split is accounted for: the split's offset (mean "
                 f"{offset:+.3f}) pulls the first gaps down, hiding learning that the crossed "
                 f"pairs show. The crossed reading is the one the offset does not move, so "
                 f"the critics at this budget learn their fit half a little.")
    elif beyond and not c_beyond:
        text += (f"The first gaps' excess is the split's offset (mean {offset:+.3f}), not "
                 f"learning: the crossed reading, which the offset does not move, decides.")
    else:
        text += ("Both readings agree" + (": the critics learn their fit half." if c_beyond
                                          else ": no learning is detected."))
    return text


def baseline_points(baselines: dict[str, Any], floor: dict[str, Any] | None
                    ) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """The baselines' NND for the chapter's strip: (several critic seeds by name, where the
    profile measures the floor; one critic seed by name), every baseline in one of the two."""
    multi = {} if floor is None else {"memoriser": np.asarray(floor["memorise"]["nnd"]),
                                      "no repeats": np.asarray(floor["fresh"]["nnd"])}
    one = {} if floor is not None else {"memoriser": float(baselines["memorise"]["nnd"])}
    for b in baselines["baselines"]:
        if b == "memorise" or (b == "fresh" and floor is not None):
            continue
        one[label(b).replace("memoriser of ", "mem. of ")] = float(baselines[b]["nnd"])
    return multi, one


def sweep_row(sweep: str, run: str, nnd: float, nb: dict[str, Any],
              test_ratio: np.ndarray) -> str:
    """One generator's row of the chapter's Figs. 6/10 table: NND, pixel copy ratio, median
    nearest over second-nearest, copy-like samples, distinct nearest images, Inception
    ratio."""
    from .copy_test import copy_like, distinct_fraction, nearest_over_second

    ratio = nearest_over_second(nb["pixel_distances"])
    return (f"| `{sweep}` | {run} | {nnd:.2f} | {nb['pixel_ratio']:.3f} | "
            f"{np.median(ratio):.3f} | {copy_like(ratio, test_ratio)[0]} of {len(ratio)} | "
            f"{100 * distinct_fraction(nb['pixel_indices'][:, 0]):.0f}% | "
            f"{nb['inception_ratio']:.3f} |")


def fid_comparison(fid: dict[str, Any], view: Any, profile: str) -> tuple[str, str]:
    """FID and KID of the baselines (``fid``: the ``generalization_fid`` record) as a Markdown
    table, and where the memoriser's FID sits against the floor and the DCGAN sweep's models
    (``view``: its :class:`.view.SweepView`) at the same N, in words: FID cannot see copying."""
    from .matrices import width_matrix

    rows = [f"| samples (N = {fid['n']}) | FID train | FID test | KID train ×10³ | KID test ×10³ |",
            "|---|---:|---:|---:|---:|",
            f"| real training vs test images (the floor) | — | {fid['floor']['fid']:.1f} | — | "
            f"{1e3 * fid['floor']['kid']:.1f} |"]
    for b in fid["baselines"]:
        r = fid[b]
        rows.append(f"| {label(b)} | {r['fid_train']:.1f} | {r['fid_test']:.1f} | "
                    f"{1e3 * r['kid_train']:.1f} | {1e3 * r['kid_test']:.1f} |")
    mem, floor = fid["memorise"]["fid_train"], fid["floor"]["fid"]
    if not (view.complete and view.cfg["eval_n"] == fid["n"]):
        return "\n".join(rows), (f"The memoriser's FID is {mem:.1f} against the floor's "
                                 f"{floor:.1f}; the DCGAN sweep at `{profile}` is not stored at "
                                 f"the same N to compare with.")
    _, F = width_matrix(view.configs, view.recs, "fid_train")
    span = f"at the same N ({np.nanmin(F):.1f} to {np.nanmax(F):.1f})"
    return "\n".join(rows), (
        f"The memoriser's FID ({mem:.1f} against training images) is within "
        f"{100 * abs(mem - floor) / floor:.0f}% of the floor ({floor:.1f}), and "
        + (f"below every trained DCGAN of the `{profile}` sweep {span}: FID cannot tell a "
           f"memoriser from real data, and it ranks copying the training set above every "
           f"model here." if mem < np.nanmin(F) else
           f"among the trained DCGANs of the `{profile}` sweep {span}."))


def sweep_table(sweeps: dict[str, dict[str, Any]]) -> str:
    """The Figs. 6/10 table, one :func:`sweep_row` per generator of every scored sweep
    (``sweeps``: name -> ``generalization`` record data), against its held-out images."""
    from .copy_test import nearest_over_second

    rows = ["| sweep | run | NND | copy ratio (pixels) | nearest / second nearest (median) | "
            "copy-like samples | distinct nearest images per sample | copy ratio (Inception, "
            "cached subset) |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    for name, data in sweeps.items():
        nbrs = data["neighbours"]
        test_ratio = nearest_over_second(nbrs["test"]["pixel_distances"])
        rows += [sweep_row(name, n, data["nnd"][n]["nnd"], nbrs[n], test_ratio)
                 for n in data["names"]]
    return "\n".join(rows)


def fit_views_table(views: dict[str, Any]) -> str:
    """The fit-set experiment (``views``: ``nnd_fit_views`` record) as a Markdown table: per
    fit-set size, both critics' real-side gaps against the per-critic rule, NND, wall time."""
    beyond = f"beyond {gap_rule.z_learnt():.2f} SE?"  # the rule, not a verdict on learning
    rows = [f"| fit images | views per fit image | gap ± SE (EMA critic, scored) | {beyond} | "
            f"gap ± SE (raw critic) | {beyond} | NND (EMA) | NND (raw critic) | wall time |",
            "|---:|---:|---:|---|---:|---|---:|---:|---:|"]
    for i, n_fit in enumerate(views["n_fit"]):
        ema, raw = ((views[g][i], views[f"{g}_se"][i]) for g in ("real_gap", "real_gap_raw"))
        rows.append(f"| {int(n_fit):,} | {gap_rule.fmt_views(views['views'][i])} | "
                    f"{gap_rule.fmt_gap(*ema)} | {learnt_cell(*ema)} | "
                    f"{gap_rule.fmt_gap(*raw)} | {learnt_cell(*raw)} | {views['nnd'][i]:.3f} | "
                    f"{views['nnd_raw'][i]:.3f} | {views['seconds'][i]:.0f} s |")
    return "\n".join(rows)


def baseline_gaps_table(baselines: dict[str, Any]) -> str:
    """The baselines' critics' real-side gaps (``baselines``: ``generalization_baselines``
    record) as a Markdown table, with the EMA gap's one-sided upper bound and the rule."""
    beyond = f"beyond {gap_rule.z_learnt():.2f} SE?"
    rows = [f"| baseline | gap ± SE (EMA critic, scored) | one-sided upper bound (this critic) | "
            f"{beyond} | gap ± SE (raw critic) | {beyond} |", "|---|---:|---:|---|---:|---|"]
    for n in baselines["baselines"]:
        r = baselines[n]
        ema, raw = ((r[g], r[f"{g}_se"]) for g in ("real_gap", "real_gap_raw"))
        rows.append(f"| {label(n)} | {gap_rule.fmt_gap(*ema)} | "
                    f"{gap_rule.upper_bound(*ema):.2f} | {learnt_cell(*ema)} | "
                    f"{gap_rule.fmt_gap(*raw)} | {learnt_cell(*raw)} |")
    return "\n".join(rows)


def crossover_table(pairs: dict[str, list]) -> str:
    """Every crossed pair (``pairs``: source -> :class:`.crossover.CrossedPair`) as a Markdown
    row: both gaps, the learning estimate against the rule, the offset and both NNDs."""
    from .crossover import fmt_pair_row

    rows = ["| critics of | sampler | first gap a ± SE | crossed gap b ± SE | "
            "learning (a + b)/2 ± SE "
            f"| beyond {gap_rule.z_learnt():.2f} SE? | offset (a − b)/2 (in SE of a) | NND, first "
            "| NND, crossed |", "|---|---|---:|---:|---:|---|---:|---:|---:|"]
    for src, ps in pairs.items():
        for p in ps:
            who, what = ("baselines", label(p.name)) if src == "baselines" else (f"`{src}`",
                                                                                 p.name)
            rows.append(f"| {who} | {what} | " + " | ".join(fmt_pair_row(p)) + " |")
    return "\n".join(rows)
