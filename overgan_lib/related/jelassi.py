"""Jelassi et al. (2023), "Dissecting adaptive methods in GANs": experiments and verdicts.

* :func:`pacgan_sweep` — every optimiser spec x width k on the PacGAN ring and grid
  (:mod:`overgan_lib.related.pacgan`), several seeds per cell.
* :func:`mnist_sweep` — the same comparison with the book's WGAN-GP engine on MNIST
  (``TrainConfig.optimizer``), scored by a digit classifier (:mod:`.digits`).
* :func:`claim_verdicts` and :func:`width_verdict` — the rules that turn those numbers
  into the chapter's verdicts (tested in ``tests/test_jelassi.py``).

An optimiser spec is ``[name, lr_g, lr_d]`` with ``name`` in
:data:`overgan_lib.optim.OPTIMIZERS`.
"""

from __future__ import annotations

import time
from itertools import product
from typing import Any

import numpy as np

from ..errors import ParameterError, check_choice, check_positive_float
from ..optim import OPTIMIZERS
from .pacgan import modes, train_gan

MIN_HQ = 0.5  # below this high-quality fraction, mode counts say little (see chapter)
SAMPLES_SHOWN = 1000  # generated points kept per (dataset, spec) for the scatter plots


def check_specs(specs: object, key: str = "optimizers") -> list[list]:
    """Validate a list of ``[name, lr_g, lr_d]`` (or ``[name, lr]``) optimiser specs."""
    if not isinstance(specs, list | tuple) or not specs:
        raise ParameterError(f"{key}={specs!r} must be a non-empty list of [name, lr_g, lr_d]")
    out = []
    for s in specs:
        if not isinstance(s, list | tuple) or len(s) not in (2, 3):
            raise ParameterError(f"{key} entry {s!r} must be [name, lr_g, lr_d], e.g. "
                                 f"['adam', 0.001, 0.001]")
        check_choice(f"{key} entry name", s[0], OPTIMIZERS)
        for lr in s[1:]:
            check_positive_float(f"{key} entry {s[0]} lr", lr)
        out.append(list(s))
    return out


def spec_label(spec: list) -> str:
    """A short label: ``adam η=0.001`` or ``sgda ηG=0.1 ηD=0.3``."""
    name, *lrs = spec
    if len(lrs) == 1 or lrs[0] == lrs[1]:
        return f"{name} η={lrs[0]:g}"
    return f"{name} ηG={lrs[0]:g} ηD={lrs[1]:g}"


def pacgan_sweep(cfg: dict[str, Any], seed: int, progress: bool = True) -> dict[str, Any]:
    """All specs x widths on the PacGAN data sets; one stacked training per (k, spec).

    Returns arrays indexed (dataset, width, spec, seed): ``modes``, ``hq_fraction``,
    ``diverged``; ``curves`` (dataset, width, spec, checkpoint, seed) of modes captured;
    ``samples`` (dataset, spec, SAMPLES_SHOWN, 2) of the first seed at width ``k_show``;
    ``seconds`` (width, spec) of wall time.
    """
    specs = check_specs(cfg["optimizers"])
    seeds = [seed + i for i in range(cfg["seeds"])]
    names, widths = list(cfg["benchmarks"]), list(cfg["widths"])
    shape = (len(names), len(widths), len(specs), len(seeds))
    out = {key: np.zeros(shape, dtype=dt) for key, dt in
           (("modes", np.int64), ("hq_fraction", float), ("diverged", bool))}
    n_ckpt = cfg["steps"] // cfg["record_every"]
    curves = np.zeros((*shape[:3], n_ckpt, len(seeds)), dtype=np.int64)
    samples = np.zeros((len(names), len(specs), SAMPLES_SHOWN, 2))
    seconds = np.zeros((len(widths), len(specs)))
    steps = None
    for w, k in enumerate(widths):
        for j, spec in enumerate(specs):
            t0 = time.perf_counter()
            name, lr_g, lr_d = spec if len(spec) == 3 else (spec[0], spec[1], spec[1])
            res = train_gan(names, name, lr_g, lr_d, k, seeds, cfg["steps"], cfg["batch"],
                            cfg["z_dim"], cfg["depth"], tuple(cfg["betas"]), cfg["eval_n"],
                            cfg["record_every"], progress=progress)
            seconds[w, j] = time.perf_counter() - t0
            for i, ds in enumerate(names):
                r = res[ds]
                out["modes"][i, w, j], out["hq_fraction"][i, w, j] = r["modes"], r["hq_fraction"]
                out["diverged"][i, w, j] = r["diverged"]
                curves[i, w, j] = r["curve"]
                steps = r["curve_steps"]
                if k == cfg["k_show"]:
                    samples[i, j] = r["samples"][0, :SAMPLES_SHOWN]
    return {**out, "curves": curves, "curve_steps": steps, "samples": samples,
            "seconds": seconds, "widths": np.asarray(widths), "benchmarks": names,
            "labels": [spec_label(s) for s in specs], "names": [s[0] for s in specs],
            "n_modes": np.asarray([len(modes(ds)) for ds in names])}


# --------------------------------------------------------------------------- verdicts
def _mean(x: np.ndarray) -> float:
    return float(np.mean(x))


def best_of(values: np.ndarray, names: list[str], name: str, higher: bool = True) -> int:
    """Index of the spec called ``name`` with the best mean over the last axis."""
    idx = [j for j, n in enumerate(names) if n == name]
    if not idx:
        raise ParameterError(f"no {name!r} spec among {names}; add one to the optimizers")
    means = [np.mean(values[j]) for j in idx]
    return idx[int(np.argmax(means) if higher else np.argmin(means))]


def best_spec(modes_: np.ndarray, hq: np.ndarray, names: list[str], name: str,
              min_hq: float) -> int:
    """Index of the spec called ``name`` that stands for that optimiser, by a rule a smear
    cannot win.

    ``modes_`` and ``hq`` are (spec, seed). Among the specs called ``name`` whose mean
    high-quality fraction is at least ``min_hq``, the one with the most modes captured (ties:
    higher quality); if none reaches ``min_hq``, the one with the highest mean high-quality
    fraction. Mode counts alone would reward a generator that spreads its mass over the plane.
    """
    idx = [j for j, n in enumerate(names) if n == name]
    if not idx:
        raise ParameterError(f"no {name!r} spec among {names}; add one to the optimizers")
    q = {j: _mean(hq[j]) for j in idx}
    good = [j for j in idx if q[j] >= min_hq]
    if good:
        return max(good, key=lambda j: (_mean(modes_[j]), q[j]))
    return max(idx, key=lambda j: q[j])


def _gate(verdict: str, hq: dict[str, float], who: tuple[str, ...], min_hq: float) -> str:
    """``verdict`` unless an optimiser in ``who`` has a mean high-quality fraction < min_hq."""
    low = [f"{n} {hq[n]:.1%}" for n in who if hq[n] < min_hq]
    if low:
        return (f"inconclusive ({verdict} on mode counts, but high-quality fraction "
                f"{', '.join(low)} < {min_hq:.0%})")
    return verdict


CLAIM_OPTIMIZERS = {"graft_vs_adam": ("graft", "adam"), "nsgda_vs_sgda": ("nsgda", "sgda"),
                    "nsgda_vs_adam": ("nsgda", "adam")}


def claim_verdicts(modes_: np.ndarray, hq: np.ndarray, names: list[str], n_modes: int,
                   tol: float, min_hq: float = MIN_HQ) -> dict[str, str]:
    """Verdicts on the paper's three claims at one width from modes captured and
    high-quality fractions (both spec x seed).

    Each optimiser is represented by :func:`best_spec`. Means over seeds are compared with
    a tolerance ``tol`` (in modes). "All modes" means a mean of at least ``n_modes - tol``.

    * ``graft_vs_adam`` — Adam's magnitude with SGD's direction recovers Adam:
      reproduced when mean(graft) >= mean(adam) - tol.
    * ``nsgda_vs_sgda`` — nSGDA recovers all modes where SGDA (any lr) collapses:
      reproduced when nSGDA gets all modes and the best SGDA does not; partly when
      nSGDA beats the best SGDA by more than tol without getting all modes; not
      reproduced otherwise.
    * ``nsgda_vs_adam`` — nSGDA matches Adam: reproduced when mean(nsgda) >=
      mean(adam) - tol.

    Every verdict is gated on *every* optimiser it compares: if one of them has a mean
    high-quality fraction below ``min_hq`` its mode count may be a smear, and the verdict
    reads "inconclusive (...)" naming it.
    """
    best = {n: best_spec(modes_, hq, names, n, min_hq) for n in ("sgda", "nsgda", "adam", "graft")}
    m = {n: _mean(modes_[j]) for n, j in best.items()}
    q = {n: _mean(hq[j]) for n, j in best.items()}
    full = n_modes - tol
    out = {"graft_vs_adam": "reproduced" if m["graft"] >= m["adam"] - tol else "not reproduced",
           "nsgda_vs_adam": "reproduced" if m["nsgda"] >= m["adam"] - tol else "not reproduced"}
    if m["nsgda"] >= full and m["sgda"] < full:
        out["nsgda_vs_sgda"] = "reproduced"
    elif m["nsgda"] > m["sgda"] + tol:
        out["nsgda_vs_sgda"] = "partly reproduced"
    else:
        out["nsgda_vs_sgda"] = "not reproduced"
    return {key: _gate(v, q, CLAIM_OPTIMIZERS[key], min_hq) for key, v in out.items()}


def width_verdict(gaps: np.ndarray, tol: float, behind: str = "SGDA") -> str:
    """Does a gap (e.g. Adam's modes minus the best SGDA's) close as the width grows?

    ``gaps`` are ordered by increasing width. Returns one of

    * ``no gap`` — every gap within ``tol`` of zero;
    * ``{behind} ahead`` — no gap above ``tol`` and at least one below ``-tol`` (the
      optimiser that was expected to trail leads);
    * ``reverses`` — above ``tol`` at the smallest width, below ``-tol`` at the largest;
    * ``closes`` — above tol at the smallest width, within tol at the largest;
    * ``shrinks`` (falls by more than tol but stays above it), ``widens`` (grows by more
      than tol) or ``unchanged``.
    """
    g = np.asarray(gaps, dtype=float)
    if g.ndim != 1 or len(g) < 2 or not np.isfinite(g).all():
        raise ParameterError(f"gaps={g.tolist()!r} must be >= 2 finite numbers, one per width")
    if (np.abs(g) <= tol).all():
        return "no gap"
    if (g <= tol).all():
        return f"{behind} ahead"
    if g[0] > tol and g[-1] < -tol:
        return "reverses"
    if g[0] > tol and g[-1] <= tol:
        return "closes"
    if g[-1] < g[0] - tol:
        return "shrinks"
    if g[-1] > g[0] + tol:
        return "widens"
    return "unchanged"


def width_gaps(modes_: np.ndarray, hq: np.ndarray, names: list[str], min_hq: float = MIN_HQ,
               a: str = "adam", b: str = "sgda") -> np.ndarray:
    """mean(``a``) - mean(``b``) per width from (width, spec, seed) arrays, each optimiser
    represented at each width by :func:`best_spec`."""
    return np.array([_mean(mw[best_spec(mw, qw, names, a, min_hq)])
                     - _mean(mw[best_spec(mw, qw, names, b, min_hq)])
                     for mw, qw in zip(modes_, hq, strict=True)])


def width_quality(hq: np.ndarray, modes_: np.ndarray, names: list[str], min_hq: float = MIN_HQ,
                  who: tuple[str, ...] = ("adam", "sgda")) -> float:
    """The lowest mean high-quality fraction of the optimisers ``who`` over the widths
    (each represented by :func:`best_spec`): what a width verdict is gated on."""
    return min(_mean(qw[best_spec(mw, qw, names, n, min_hq)])
               for mw, qw in zip(modes_, hq, strict=True) for n in who)


# --------------------------------------------------------------------------- MNIST
def mnist_sweep(cfg: dict[str, Any], seed: int, progress: bool = True) -> dict[str, Any]:
    """Every spec x width x seed trained with the book's WGAN-GP engine on MNIST.

    Each run is :class:`~overgan_lib.train.Engine` with ``TrainConfig(optimizer=name,
    lr=lr)`` (App. D settings otherwise; the engine has one learning rate for both
    players), stepped ``iters`` generator iterations on the engine's seeded batch stream,
    then scored on ``eval_n`` samples with :func:`overgan_lib.related.digits.digit_metric`.
    Returns arrays indexed (spec, width, seed): ``digits``, ``confident``, ``entropy``,
    ``diverged``, ``seconds``; ``samples`` (spec, width, 16, 28, 28) of the first seed; the
    classifier's test ``accuracy`` and the metric of ``eval_n`` real test images.
    """
    import torch
    from tqdm import tqdm

    from .. import data
    from ..train import BatchStream, Engine, TrainConfig, sample
    from .digits import digit_metric, train_classifier

    specs = check_specs(cfg["optimizers"], "mnist optimizers")
    seeds = [seed + i for i in range(cfg["seeds"])]
    widths = list(cfg["widths"])
    clf, acc = train_classifier(seed, n=cfg["clf_n"])
    real = digit_metric(torch.from_numpy(data.load_uint8("mnist", "test")[:cfg["eval_n"]]), clf)
    images = torch.from_numpy(data.load_uint8("mnist", "train"))
    shape = (len(specs), len(widths), len(seeds))
    out = {key: np.full(shape, np.nan) for key in ("digits", "confident", "entropy", "seconds")}
    out["diverged"] = np.zeros(shape, dtype=bool)
    shown = np.zeros((len(specs), len(widths), 16, 28, 28), dtype=np.uint8)
    bar = tqdm(total=np.prod(shape) * cfg["iters"], disable=not progress, desc="MNIST runs")
    for (j, spec), (w, k), (r, s) in product(enumerate(specs), enumerate(widths),
                                             enumerate(seeds)):
        t0 = time.perf_counter()
        tc = TrainConfig(dataset="mnist", arch="mlp", k_g=k, k_d=k, seed=s, iters=cfg["iters"],
                         optimizer=spec[0], lr=spec[1])
        eng, stream = Engine(tc), BatchStream(images, tc.batch_size, s)
        for t in range(1, tc.iters + 1):
            losses = eng.iteration(stream)
            if t % cfg["log_every"] == 0 or t == tc.iters:
                if not torch.isfinite(losses).all():
                    out["diverged"][j, w, r] = True
                    break
            bar.update()
        if not out["diverged"][j, w, r]:
            x = sample(eng.G, cfg["eval_n"], seed=10_000 + s)
            m = digit_metric(x, clf)
            for key in ("digits", "confident", "entropy"):
                out[key][j, w, r] = m[key]
            if r == 0:
                shown[j, w] = x[:16, 0].numpy()
        out["seconds"][j, w, r] = time.perf_counter() - t0
    bar.close()
    return {**out, "samples": shown, "accuracy": acc, "real": real, "widths": np.asarray(widths),
            "labels": [f"{s[0]} η={s[1]:g}" for s in specs], "names": [s[0] for s in specs]}



def qualify(verdict: str, value: float, minimum: float = MIN_HQ,
            what: str = "high-quality fraction") -> str:
    """Mark a verdict inconclusive when the samples it rests on are mostly low quality
    (``value``, e.g. Adam's high-quality fraction, below ``minimum``)."""
    if value < minimum:
        return f"inconclusive ({verdict} on these numbers, but {what} {value:.1%} < " \
               f"{minimum:.0%})"
    return verdict
