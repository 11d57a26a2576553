"""Jelassi et al. (2023), "Dissecting adaptive methods in GANs": experiments and verdicts.

* :func:`pacgan_sweep` — every optimiser spec x width k on the PacGAN ring and grid
  (:mod:`overgan_lib.related.pacgan`), several seeds per cell.
* :func:`mnist_sweep` — the same comparison with the book's WGAN-GP engine on MNIST
  (``TrainConfig.optimizer``), scored by a digit classifier (:mod:`.digits`).
* :func:`verdicts_2d` (:func:`claim_verdicts`, :func:`width_claim`) and
  :func:`mnist_verdict` — the rules that turn those numbers into the chapter's verdicts, used
  by the chapter and the status page (tested in ``tests/test_jelassi.py``).

An optimiser spec is ``[name, lr_g, lr_d]`` with ``name`` in
:data:`overgan_lib.related.grafting.OPTIMIZERS_2D` (the book's optimisers and the reverse
graft ``rgraft``; MNIST: :data:`overgan_lib.optim.OPTIMIZERS`, the engine's).
"""

from __future__ import annotations

import time
from itertools import product
from typing import Any

import numpy as np

from ..errors import ParameterError, check_choice, check_positive_float
from ..optim import OPTIMIZERS
from .grafting import OPTIMIZERS_2D
from .pacgan import NEAR_SHARE, NEAR_SIGMAS, modes, train_gan

SAMPLES_SHOWN = 1000  # generated points kept per (dataset, spec) for the scatter plots


def check_specs(specs: object, key: str = "optimizers",
                choices: tuple[str, ...] = OPTIMIZERS_2D) -> list[list]:
    """Validate a list of ``[name, lr_g, lr_d]`` (or ``[name, lr]``) optimiser specs whose
    names are in ``choices`` (default: the 2D experiments', reverse graft included)."""
    if not isinstance(specs, list | tuple) or not specs:
        raise ParameterError(f"{key}={specs!r} must be a non-empty list of [name, lr_g, lr_d]")
    out = []
    for s in specs:
        if not isinstance(s, list | tuple) or len(s) not in (2, 3):
            raise ParameterError(f"{key} entry {s!r} must be [name, lr_g, lr_d], e.g. "
                                 f"['adam', 0.001, 0.001]")
        check_choice(f"{key} entry name", s[0], choices)
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


def _train_spec(cfg: dict[str, Any], spec: list, k: int, seeds: list[int],
                progress: bool) -> dict[str, dict[str, Any]]:
    """:func:`~.pacgan.train_gan` of one spec at width ``k`` on every benchmark of ``cfg``."""
    name, lr_g, lr_d = spec if len(spec) == 3 else (spec[0], spec[1], spec[1])
    return train_gan(list(cfg["benchmarks"]), name, lr_g, lr_d, k, seeds, cfg["steps"],
                     cfg["batch"], cfg["z_dim"], cfg["depth"], tuple(cfg["betas"]),
                     cfg["eval_n"], cfg["record_every"], progress=progress)


def pacgan_sweep(cfg: dict[str, Any], seed: int, progress: bool = True) -> dict[str, Any]:
    """All specs x widths on the PacGAN data sets; one stacked training per (k, spec).

    Returns arrays indexed (dataset, width, spec, seed): ``modes``, ``hq_fraction``,
    ``near_fraction``, ``near_modes``, ``dist_median`` (:func:`~.pacgan.pacgan_metric`) and
    ``diverged``; per checkpoint at ``curve_steps``, arrays (dataset, width, spec, checkpoint,
    seed) of modes captured (``curves``), high-quality fraction (``hq_curves``), near fraction
    (``near_curves``) and modes recovered (``near_mode_curves``); ``near_sigmas`` and
    ``near_share``, the radius and share behind the near readings; ``samples`` (dataset, spec,
    min(SAMPLES_SHOWN, eval_n), 2) of the first seed at width ``k_show``; ``seconds`` (width,
    spec) of wall time. With ``probes`` in ``cfg`` (optional: the learning-rate probes behind
    the specs), also ``probe_modes``, ``probe_hq``, ``probe_near`` and ``probe_near_modes``
    (dataset, probe, seed) of those specs trained the same way at ``k_show`` only,
    ``probe_labels``, ``probe_names`` and ``probe_seconds``.
    """
    specs = check_specs(cfg["optimizers"])
    seeds = [seed + i for i in range(cfg["seeds"])]
    names, widths = list(cfg["benchmarks"]), list(cfg["widths"])
    shape = (len(names), len(widths), len(specs), len(seeds))
    out = {key: np.zeros(shape, dtype=dt) for key, dt in
           (("modes", np.int64), ("hq_fraction", float), ("near_fraction", float),
            ("near_modes", np.int64), ("dist_median", float), ("diverged", bool))}
    n_ckpt = cfg["steps"] // cfg["record_every"]
    curves = {key: np.zeros((*shape[:3], n_ckpt, len(seeds)), dtype=dt) for key, dt in
              (("curves", np.int64), ("hq_curves", float), ("near_curves", float),
               ("near_mode_curves", np.int64))}
    samples = np.zeros((len(names), len(specs), min(SAMPLES_SHOWN, cfg["eval_n"]), 2))
    seconds = np.zeros((len(widths), len(specs)))
    steps = None
    for w, k in enumerate(widths):
        for j, spec in enumerate(specs):
            t0 = time.perf_counter()
            res = _train_spec(cfg, spec, k, seeds, progress)
            seconds[w, j] = time.perf_counter() - t0
            for i, ds in enumerate(names):
                r = res[ds]
                for key in out:
                    out[key][i, w, j] = r[key]
                for key, rkey in _CURVE_KEYS.items():
                    curves[key][i, w, j] = r[rkey]
                steps = r["curve_steps"]
                if k == cfg["k_show"]:
                    samples[i, j] = r["samples"][0, :SAMPLES_SHOWN]
    return {**out, **curves, "curve_steps": steps, "samples": samples,
            "near_sigmas": NEAR_SIGMAS, "near_share": NEAR_SHARE,
            "seconds": seconds, "widths": np.asarray(widths), "benchmarks": names,
            "labels": [spec_label(s) for s in specs], "names": [s[0] for s in specs],
            "n_modes": np.asarray([len(modes(ds)) for ds in names]),
            **_probe(cfg, seeds, progress)}


_CURVE_KEYS = {"curves": "curve", "hq_curves": "curve_hq", "near_curves": "curve_near",
               "near_mode_curves": "curve_near_modes"}  # record key: train_gan key
_PROBE_KEYS = {"probe_modes": "modes", "probe_hq": "hq_fraction",
               "probe_near": "near_fraction", "probe_near_modes": "near_modes"}


def _probe(cfg: dict[str, Any], seeds: list[int], progress: bool) -> dict[str, Any]:
    """The learning-rate probes of ``cfg["probes"]`` at ``k_show`` (empty without any)."""
    if not cfg.get("probes"):
        return {}
    probes, names = check_specs(cfg["probes"], "probes"), list(cfg["benchmarks"])
    shape = (len(names), len(probes), len(seeds))
    out = {key: np.zeros(shape, dtype=np.int64 if key.endswith("modes") else float)
           for key in _PROBE_KEYS}
    secs = np.zeros(len(probes))
    for j, spec in enumerate(probes):
        t0 = time.perf_counter()
        res = _train_spec(cfg, spec, cfg["k_show"], seeds, progress)
        secs[j] = time.perf_counter() - t0
        for i, ds in enumerate(names):
            for key, rkey in _PROBE_KEYS.items():
                out[key][i, j] = res[ds][rkey]
    return {**out, "probe_seconds": secs,
            "probe_labels": [spec_label(s) for s in probes],
            "probe_names": [s[0] for s in probes]}


# --------------------------------------------------------------------------- MNIST
def mnist_sweep(cfg: dict[str, Any], seed: int, progress: bool = True) -> dict[str, Any]:
    """Every spec x width x seed trained with the book's WGAN-GP engine on MNIST.

    Each run is :class:`~overgan_lib.train.Engine` with ``TrainConfig(optimizer=name,
    lr=lr)`` (App. D settings otherwise; the engine has one learning rate for both
    players), stepped ``iters`` generator iterations on the engine's seeded batch stream,
    then scored on ``eval_n`` samples with :func:`overgan_lib.related.digits.digit_metric`
    (the classifier trained ``clf_epochs`` epochs on ``clf_n`` training images).
    Returns arrays indexed (spec, width, seed): ``digits``, ``confident``, ``entropy``,
    ``diverged``, ``seconds``; ``samples`` (spec, width, 16, 28, 28) of the first seed; the
    classifier's test ``accuracy`` and the metric of ``eval_n`` real test images.
    """
    import torch
    from tqdm import tqdm

    from .. import data
    from ..train import BatchStream, Engine, TrainConfig, sample
    from .digits import digit_metric, train_classifier

    specs = check_specs(cfg["optimizers"], "mnist optimizers", OPTIMIZERS)
    seeds = [seed + i for i in range(cfg["seeds"])]
    widths = list(cfg["widths"])
    clf, acc = train_classifier(seed, n=cfg["clf_n"], epochs=cfg["clf_epochs"])
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
