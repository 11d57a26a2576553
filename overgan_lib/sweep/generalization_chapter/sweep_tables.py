"""Chapter "Generalization"'s Markdown tables of the width sweeps and the copy tests: one
row per scored generator (Figs. 6/10), the baselines' FID against the floor, and the
baselines' copy ratios."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .baselines import label, neighbour_label


def sweeps_trained(views: Mapping[str, Any], profile: str) -> str:
    """What each scored sweep trained at ``profile`` (``views``: name -> its
    :class:`..view.SweepView`), as a Markdown list: widths, generator iterations, seeds."""
    return "\n".join(
        f"- `{name}` at `{profile}`: widths {', '.join(map(str, v.cfg['widths']))}; "
        f"{v.cfg['iters']:,} generator iterations; {v.cfg['seeds']} seeds per width"
        for name, v in views.items())


def sweep_row(sweep: str, run: str, nnd: float, nb: dict[str, Any],
              test_ratio: np.ndarray) -> str:
    """One generator's row of the chapter's Figs. 6/10 table: NND, pixel copy ratio, median
    nearest over second-nearest, samples in the held-out tail of it (below the cut-off,
    :func:`..copy_test.tail_words`), copy-like samples (below :data:`..copy_test.COPY_RATIO`),
    distinct nearest images, Inception ratio."""
    from ..copy_test import (
        COPY_RATIO,
        copy_like,
        distinct_fraction,
        nearest_over_second,
        tail_cut,
    )

    ratio = nearest_over_second(nb["pixel_distances"])
    return (f"| `{sweep}` | {run} | {nnd:.2f} | {nb['pixel_ratio']:.3f} | "
            f"{np.median(ratio):.3f} | {copy_like(ratio, test_ratio)[0]} of {len(ratio)} "
            f"(below {tail_cut(test_ratio):.3f}) | "
            f"{int(np.sum(ratio < COPY_RATIO))} of {len(ratio)} | "
            f"{100 * distinct_fraction(nb['pixel_indices'][:, 0]):.0f}% | "
            f"{nb['inception_ratio']:.3f} |")


def sweep_table(sweeps: dict[str, dict[str, Any]]) -> str:
    """The Figs. 6/10 table, one :func:`sweep_row` per generator of every scored sweep
    (``sweeps``: name -> ``generalization`` record data), against its held-out images."""
    from ..copy_test import COPY_RATIO, nearest_over_second

    rows = ["| sweep | run | NND | copy ratio (pixels) | nearest / second nearest (median) | "
            "in the held-out tail (ratio below the cut-off) | copy-like (ratio below "
            f"{COPY_RATIO}) | distinct nearest images per sample | copy ratio (Inception, "
            "cached subset) |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, data in sweeps.items():
        nbrs = data["neighbours"]
        test_ratio = nearest_over_second(nbrs["test"]["pixel_distances"])
        rows += [sweep_row(name, n, data["nnd"][n]["nnd"], nbrs[n], test_ratio)
                 for n in data["names"]]
    return "\n".join(rows)


def fid_comparison(fid: dict[str, Any], view: Any, profile: str) -> tuple[str, str]:
    """FID and KID of the baselines (``fid``: the ``generalization_fid`` record) as a Markdown
    table, and where the memoriser's FID sits against the floor and the DCGAN sweep's models
    (``view``: its :class:`.view.SweepView`) at the same N, in words: FID cannot see copying."""
    from ..matrices import width_matrix

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


def memoriser_gap_text(fid: dict[str, Any]) -> str:
    """Fig. 4's generalisation gap (FID test minus FID train) of the memoriser
    (``fid``: the ``generalization_fid`` record), in words, against the other baselines'
    gaps, the noise scale at this N: the memoriser draws its samples from the whole training
    split and is scored against ``fid['n']`` of its images, so its FID train is one more
    independent draw, and only a generator copying those very reference images would show a
    large positive gap. Says whether its gap lies within the others' spread, below it or
    above it, and whether it is positive."""
    from ... import data

    n, mem = fid["n"], fid["memorise"]
    train, test = mem["fid_train"], mem["fid_test"]
    gap = test - train
    n_train = data.CARDS[fid["dataset"]].counts["train"]
    said = (f"the memoriser's FID test ({test:.1f}) lies {'below' if test < train else 'above'} "
            f"its FID train ({train:.1f}) at N = {n:,}, a gap of {gap:+.1f}")
    others = [fid[b]["fid_test"] - fid[b]["fid_train"] for b in fid.get("baselines", [])
              if b != "memorise" and b in fid]
    why = (f"a memoriser drawing from all {n_train:,} training images, scored against {n:,} "
           f"of them, is no nearer those {n:,} than the test images (a generator copying the "
           f"{n:,} reference images themselves would score FID train near 0 and a large "
           f"positive gap)")
    if not others:
        return f"{said}: {why}, so the gap test cannot be expected to detect it at this N"
    lo, hi = min(others), max(others)
    spread = (f"the other baselines' gaps ({lo:+.1f} to {hi:+.1f}; they too draw from the "
              f"training split)")
    if gap <= hi:
        where = "within" if gap >= lo else "below"
        shows = ("it shows no positive gap at this N" if gap <= 0 else
                 "its positive gap is no larger than the other baselines'")
        return (f"{said}, {where} {spread}: {why}, so {shows}, and the gap test could not "
                f"detect it here")
    return (f"{said}, above {spread}, although {why}: a gap to read against FID's noise at "
            f"this N, not the gap test detecting memorisation")


def neighbour_table(neighbours: dict[str, Any]) -> str:
    """The baselines' copy ratios in pixel and Inception space (``neighbours``: the
    ``neighbour_baselines`` record) as a Markdown table."""
    rows = ["| samples | copy ratio (pixels) | copy ratio (Inception) |", "|---|---|---|"]
    for n in neighbours["baselines"]:
        r = neighbours[n]
        rows.append(f"| {neighbour_label(n)} | {r['pixel_ratio']:.3f} | "
                    f"{r['inception_ratio']:.3f} |")
    return "\n".join(rows)
