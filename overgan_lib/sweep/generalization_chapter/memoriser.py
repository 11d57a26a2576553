"""Chapter "Generalization"'s words on the memoriser claim (Fig. 6): the no-repeat floor,
what each profile can test, what `gpu` can decide, and where the sweeps' generators sit
against the baselines. The rules are :mod:`..generalization`'s; these only word them."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...profiles import PROFILES, settings
from .. import generalization as rules
from .baselines import label


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
                f"critic detects the memoriser cannot then be tested, so the memoriser claim "
                f"below is not testable here, however many critic seeds scored the memoriser "
                f"(it has one here): the limit is the training split's size, not the budget.")
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
    from ...metrics.generalization import sampler_draws

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
               f"testable (no detection test, whatever the critic seeds) |"))
    return "\n".join(rows)


def gpu_memoriser_text(gpu_critic: dict[str, Any], gpu_floor: dict[str, Any], gpu_seeds: int,
                       stored: bool) -> str:
    """What the ``gpu`` profile can decide by chapter "Generalization"'s rules, in words:
    ``gpu_critic`` its ``generalization_baselines`` settings, ``gpu_floor`` its ``nnd_floor``
    settings, ``gpu_seeds`` its generators' seeds per width; ``stored``: whether its
    baselines are stored. Views per training image are training draws only (steps times
    batch over the training images), as elsewhere in the chapter."""
    from ...metrics import nnd as N
    from ...metrics.generalization import sampler_draws

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
                 f"so whether the critic detects the memoriser cannot be tested: the memoriser "
                 f"claim is not testable there, and scoring the memoriser with more critic "
                 f"seeds (it has one) would not change that; only more real images than "
                 f"CIFAR-10's training split holds would. ")
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

