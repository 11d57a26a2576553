"""Chapter "Generalization"'s scope of the memoriser claim (Fig. 6): where each profile's
stored generators stand against the baselines (:class:`Standing`), what each profile can
test, whether any profile decides the claim, and what `gpu` could decide. The rules are
:mod:`..generalization`'s; these only word them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ...errors import ParameterError
from ...profiles import PROFILES, settings
from .. import generalization as rules
from .baselines import label
from .memoriser import detection_words


@dataclass(frozen=True)
class Standing:
    """Where one profile's scored generators sit against its baselines' NND: the rule's
    first condition (:func:`..generalization.models_beyond_baselines`, per sweep)."""

    within: bool  # some sweep's generators are not all above every baseline
    lowest: float  # the lowest generator NND over every sweep
    highest: float  # the highest baseline NND
    worst: str  # the baseline that has it
    iters: dict[str, int]  # generator iterations per sweep
    detected: bool | None = None  # the stored floor's detection test; None: not run
    detection: str = ""  # that test in words (:func:`detection_words`)


def standing(scores: Mapping[str, tuple[np.ndarray, np.ndarray]],
             baselines: Mapping[str, float], iters: Mapping[str, int]) -> Standing:
    """:class:`Standing` of ``scores`` (sweep -> (widths, final NND per run),
    :func:`.records.sweep_scores`) against ``baselines`` (NND by name, every baseline, as
    the rule compares); ``iters``: each sweep's generator iterations."""
    if not scores or not baselines:
        raise ParameterError("standing needs at least one scored sweep and one baseline")
    worst = max(baselines, key=baselines.get)
    within = any(not rules.models_beyond_baselines(f, dict(baselines))
                 for _, f in scores.values())
    return Standing(within, float(min(np.min(f) for _, f in scores.values())),
                    float(baselines[worst]), worst, dict(iters))


def stored_standing(profile: str, seed: int = 0) -> Standing | None:
    """:func:`standing` from the records the chapter stores at ``profile`` (its baselines
    and every sweep's scored generators that are stored); None when the baselines or every
    sweep's scores are missing."""
    from ...store import load
    from .records import sweep_scores
    from .stored import chapter_records

    recs = {(r.experiment, r.sweep): r for r in chapter_records(profile, seed)}
    base = load("generalization_baselines", profile,
                recs[("generalization_baselines", None)].config)
    scored = {}
    for (experiment, sweep), r in recs.items():
        got = load(experiment, profile, r.config) if experiment == "generalization" else None
        if got is not None:
            scored[sweep] = got.data
    if base is None or not scored:
        return None
    st = standing(sweep_scores(scored), {b: base.data[b]["nnd"] for b in base.data["baselines"]},
                  {s: settings(s, profile)["iters"] for s in scored})
    floor = (load("nnd_floor", profile, recs[("nnd_floor", None)].config)
             if ("nnd_floor", None) in recs else None)
    if floor is None:
        return st
    m, f = floor.data["memorise"]["nnd"], floor.data["fresh"]["nnd"]
    return replace(st, detected=rules.memoriser_detected(m, f)[0],
                   detection=detection_words(m, f))


def _floor_seeds(profile: str) -> tuple[bool, int]:
    """(whether unrepeated training images last a critic run at ``profile``, the memoriser's
    critic seeds there: the floor's where it can be drawn, else the baselines' one)."""
    cfg = settings("nnd_floor", profile)
    fresh = rules.can_draw_fresh(cfg)
    return fresh, cfg["critic_seeds"] if fresh else 1


def _iters(st: Standing) -> str:
    """'100 and 60 iterations' for a standing's sweeps."""
    its = [f"{i:,}" for i in st.iters.values()]
    return (" and ".join(its) if len(its) < 3 else ", ".join(its[:-1]) + " and " + its[-1]) \
        + " iterations"


def _standing_cell(st: Standing | None) -> str:
    """A scope-table cell: where the stored generators sit against the baselines."""
    if st is None:
        return "none stored"
    where = "some within the baselines" if st.within else "every one above every baseline"
    return (f"{where} (lowest generator {st.lowest:.2f}, highest baseline {st.highest:.2f}; "
            f"{_iters(st)})")


def _can_be(profile: str, st: Standing | None) -> str:
    """What the memoriser claim can be at ``profile`` as the book stands, by the rule's
    conditions, for the scope table."""
    fresh, seeds = _floor_seeds(profile)
    if not fresh:
        return "not testable (no detection test, whatever the critic seeds or the generators)"
    if seeds < rules.MIN_CRITIC_SEEDS:
        return f"not testable (fewer than {rules.MIN_CRITIC_SEEDS} critic seeds)"
    decides = ("confirmed, not reproduced or contradicted (each only where the critic "
               "detects the memoriser), else not testable")
    if st is None:
        text = f"if its generators come within the baselines: {decides}"
    elif st.detected is False:
        text = (f"not testable whatever the generators: the critic is not shown to detect "
                f"the memoriser ({st.detection})"
                + ("" if st.within else "; besides, every generator is above every baseline"))
    elif st.within:
        text = decides
    else:
        text = ("not testable as stored, every generator being above every baseline; "
                "generators within the baselines could decide it")
    return text + ("; but `smoke` proves the code runs, its numbers mean nothing"
                   if profile == "smoke" else "")


def memoriser_scope(standings: Mapping[str, Standing | None] | None = None) -> str:
    """What the memoriser comparison can show at each profile, as a Markdown table, by the
    rule's conditions (:func:`.generalization.nnd_verdicts`): whether training images without
    repeats last the critic's budget (then the memoriser is scored over several critic seeds
    and whether the critic detects it is tested) or run out (one critic seed of the
    memoriser, no detection test: not testable), and whether the stored generators come
    within the baselines' NND (``standings``: profile -> :func:`stored_standing`; a profile
    missing or None has none stored)."""
    from ...metrics.generalization import sampler_draws

    standings = standings or {}
    rows = ["| profile | samples one critic run draws (training and scoring) | training images "
            "| unrepeated training images | critic seeds of the memoriser | stored generators "
            "against the baselines' NND | the memoriser claim can be |",
            "|---|---:|---:|---|---:|---|---|"]
    for p in PROFILES:
        cfg = settings("nnd_floor", p)
        fresh, seeds = _floor_seeds(p)
        rows.append(
            f"| `{p}` | {sampler_draws(cfg):,} | {cfg['n_train']:,} | "
            + ("last the run: detection tested (paired over critic seeds)" if fresh else
               f"run out after {cfg['n_train']:,} draws: detection not testable")
            + f" | {seeds} | {_standing_cell(standings.get(p))} | "
            + f"{_can_be(p, standings.get(p))} |")
    return "\n".join(rows)


def memoriser_standing_text(standings: Mapping[str, Standing | None]) -> str:
    """Whether the book decides the paper's memoriser comparison at any profile as it
    stands, why not at each, and what would make it decidable at `gpu`, in Markdown (one
    sentence per reason): the chapter's one account of where claim 2 stands. ``standings``:
    profile -> :func:`stored_standing`."""
    from ...metrics.generalization import sampler_draws

    decided, reasons, no_floor = [], [], []
    for p in PROFILES:
        fresh, seeds = _floor_seeds(p)
        st = standings.get(p)
        if not fresh:
            no_floor.append(p)
        elif p == "smoke":
            reasons.append("At `smoke`, which proves the code runs and whose numbers mean "
                           "nothing, no verdict decides a claim.")
        elif seeds < rules.MIN_CRITIC_SEEDS:
            reasons.append(f"At `{p}` the memoriser has {seeds} critic seed(s), fewer than the "
                           f"{rules.MIN_CRITIC_SEEDS} the rule needs.")
        elif st is None:
            reasons.append(f"At `{p}` no scored generators are stored, so the rule has nothing "
                           f"to decide on.")
        elif st.detected is False or not st.within:
            reasons.append(f"At `{p}` " + "; and ".join(_why_not(st)) + ".")
        else:
            decided.append(p)
    if no_floor:
        gpu = settings("nnd_floor", "gpu")
        ratio = ("" if "gpu" not in no_floor else
                 f" (a `gpu` run draws {sampler_draws(gpu) / gpu['n_train']:.0f} times the "
                 f"{gpu['n_train']:,} the training split holds; the table below gives each "
                 f"profile's count)")
        reasons.append(
            f"At {' and '.join(f'`{p}`' for p in no_floor)} unrepeated training images cannot "
            f"last one critic run{ratio}, so no no-repeat floor can be measured, whether the "
            f"critic detects the memoriser is never tested, and the verdict is always not "
            f"testable, whatever the critic seeds or the generators.")
    head = ("**The memoriser comparison (claim 2) is decided at no profile as the book "
            "stands.**" if not decided else
            f"**The memoriser comparison (claim 2) can be decided at "
            f"{' and '.join(f'`{p}`' for p in decided)} as the book stands.**")
    return " ".join([head, *reasons, gpu_route(standings.get("cpu"))])


def _why_not(st: Standing) -> list[str]:
    """Why a profile whose floor is measured and whose generators are stored does not decide
    claim 2: the critic is not shown to detect the memoriser, and/or every generator scores
    above every baseline."""
    why = []
    if st.detected is False:
        why.append(f"the critic is not shown to detect the memoriser ({st.detection}), so "
                   f"claim 2 cannot be decided there whatever the generators")
    if not st.within:
        paper = ", ".join(sorted({f"{settings(s, 'paper')['iters']:,}" for s in st.iters}))
        why.append(
            f"every stored generator ({_iters(st)}, against the paper's {paper}) scores above "
            f"every baseline (lowest {st.lowest:.2f}, against {st.highest:.2f} for the "
            f"{label(st.worst)}), so the rule leaves the claim about good GANs untested")
    return why


def gpu_route(cpu: Standing | None = None) -> str:
    """What would make the memoriser comparison decidable at `gpu`, by the rule's
    conditions that `gpu` does not meet as configured: the chapter's one statement of it
    (the summary prints it; the other paragraphs refer to it). ``cpu``: the `cpu` profile's
    :func:`stored_standing`, whose critic is of the size that can have a no-repeat floor.
    Why `gpu` has no floor is said once, in :func:`memoriser_standing_text`'s sentence before
    this one; this says what would and would not help."""
    gpu = settings("nnd_floor", "gpu")
    fresh, seeds = _floor_seeds("gpu")
    within = "`gpu` generators that come within the baselines' NND"
    if fresh and seeds >= rules.MIN_CRITIC_SEEDS:
        return (f"At `gpu` the floor can be measured, so claim 2 becomes decidable there with "
                f"{within} and a critic that detects the memoriser.")
    n = gpu["n_train"]
    short = ("" if cpu is None or cpu.detected is not False else
             "; the `cpu` critic is of that size, and is not shown to detect the memoriser")
    return (f"More critic seeds of the memoriser would give its seed noise, not the detection "
            f"test, which needs the no-repeat floor. Two changes could make claim 2 decidable "
            f"at `gpu`: more images of the training distribution than CIFAR-10's training "
            f"split holds, or scoring the `gpu` generators with a critic short enough to draw "
            f"at most {n:,} samples, a different and weaker instrument than the `gpu` "
            f"critic{short}. Either would also need {within}.")


def gpu_memoriser_text(gpu_critic: dict[str, Any], gpu_floor: dict[str, Any], gpu_seeds: int,
                       stored: bool) -> str:
    """What the ``gpu`` profile can decide by chapter "Generalization"'s rules, in words:
    ``gpu_critic`` its ``generalization_baselines`` settings, ``gpu_floor`` its ``nnd_floor``
    settings, ``gpu_seeds`` its generators' seeds per width; ``stored``: whether its
    baselines are stored. Views per training image are training draws only (steps times
    batch over the training images), as elsewhere in the chapter."""
    from ...metrics import nnd as N

    n_train = gpu_critic["n_train"]
    views = gpu_critic["steps"] * gpu_critic["batch_size"] / n_train
    text = (f"The `gpu` profile's critic trains {gpu_critic['steps']:,} steps at batch "
            f"{gpu_critic['batch_size']}, showing each training image about {views:.0f} times "
            f"in training (the reference: {N.REFERENCE_STEPS * N.BATCH / n_train:.0f}). ")
    if rules.can_draw_fresh(gpu_floor):
        text += (f"Unrepeated training images last its critic runs, so the memoriser is scored "
                 f"over {gpu_floor['critic_seeds']} critic seeds against them and the "
                 f"memoriser claim can go either way there where the critic detects the "
                 f"memoriser. ")
    else:
        text += ("Unrepeated training images cannot last its critic runs (the scope table at "
                 "the top of the chapter gives the counts), so whether the critic detects the "
                 "memoriser cannot be tested and the memoriser claim is not testable there (the "
                 "summary at the top of the chapter says what would change that). ")
    text += (f"With {gpu_seeds} seeds per width it can decide the NND trend with $k$ (marked as "
             f"far from the data if its models' FID is), and the copying and diversity claims "
             f"only if its models come close to the data by FID. Section "
             f"{{ref}}`sec-gpu-prediction` says what this book's own evidence predicts for its "
             f"NND critic.")
    return text + ("" if stored else " No `gpu` baselines are stored yet.")
