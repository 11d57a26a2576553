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
from .pacgan import modes, train_gan

MIN_HQ = 0.5  # below this high-quality fraction, mode counts say little (see chapter)
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
    ``diverged``; ``curves`` (dataset, width, spec, checkpoint, seed) of modes captured;
    ``samples`` (dataset, spec, SAMPLES_SHOWN, 2) of the first seed at width ``k_show``;
    ``seconds`` (width, spec) of wall time. With ``probes`` in ``cfg`` (optional: the
    learning-rate probes behind the specs), also ``probe_modes`` and ``probe_hq`` (dataset,
    probe, seed) of those specs trained the same way at ``k_show`` only, ``probe_labels``,
    ``probe_names`` and ``probe_seconds``.
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
            res = _train_spec(cfg, spec, k, seeds, progress)
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
            "n_modes": np.asarray([len(modes(ds)) for ds in names]),
            **_probe(cfg, seeds, progress)}


def _probe(cfg: dict[str, Any], seeds: list[int], progress: bool) -> dict[str, Any]:
    """The learning-rate probes of ``cfg["probes"]`` at ``k_show`` (empty without any)."""
    if not cfg.get("probes"):
        return {}
    probes, names = check_specs(cfg["probes"], "probes"), list(cfg["benchmarks"])
    shape = (len(names), len(probes), len(seeds))
    m, q, secs = np.zeros(shape, dtype=np.int64), np.zeros(shape), np.zeros(len(probes))
    for j, spec in enumerate(probes):
        t0 = time.perf_counter()
        res = _train_spec(cfg, spec, cfg["k_show"], seeds, progress)
        secs[j] = time.perf_counter() - t0
        for i, ds in enumerate(names):
            m[i, j], q[i, j] = res[ds]["modes"], res[ds]["hq_fraction"]
    return {"probe_modes": m, "probe_hq": q, "probe_seconds": secs,
            "probe_labels": [spec_label(s) for s in probes],
            "probe_names": [s[0] for s in probes]}


# --------------------------------------------------------------------------- verdicts
def _mean(x: np.ndarray) -> float:
    return float(np.mean(x))


def best_of(values: np.ndarray, names: list[str], name: str, higher: bool = True) -> int:
    """Index of the spec called ``name`` with the best mean over the last axis."""
    idx = _indices(names, name)
    means = [np.mean(values[j]) for j in idx]
    return idx[int(np.argmax(means) if higher else np.argmin(means))]


def _indices(names: list[str], name: str) -> list[int]:
    """Positions of the specs called ``name`` (a one-line error if there are none)."""
    idx = [j for j, n in enumerate(names) if n == name]
    if not idx:
        raise ParameterError(f"no {name!r} spec among {names}; add one to the optimizers")
    return idx


def best_spec(modes_: np.ndarray, hq: np.ndarray, names: list[str], name: str,
              min_hq: float) -> int | None:
    """Index of the spec called ``name`` that stands for that optimiser, by a rule a smear
    cannot win; None when no setting of it *learned*.

    ``modes_`` and ``hq`` are (spec, seed). Among the specs called ``name`` whose mean
    high-quality fraction is at least ``min_hq`` (the settings that learned), the one with the
    most modes captured (ties: higher quality). Mode counts alone would reward a generator that
    spreads its mass over the plane, and picking among settings that all failed would pick
    seed noise, so with no setting above ``min_hq`` there is no representative.
    """
    idx = _indices(names, name)
    good = [j for j in idx if _mean(hq[j]) >= min_hq]
    if not good:
        return None
    return max(good, key=lambda j: (_mean(modes_[j]), _mean(hq[j])))


def shown_spec(modes_: np.ndarray, hq: np.ndarray, names: list[str], name: str,
               min_hq: float) -> tuple[int, bool]:
    """The spec to *plot* for optimiser ``name`` and whether it learned: :func:`best_spec`
    if one did, else the setting with the highest mean high-quality fraction (drawn greyed,
    never used in a verdict)."""
    j = best_spec(modes_, hq, names, name, min_hq)
    if j is not None:
        return j, True
    return max(_indices(names, name), key=lambda i: _mean(hq[i])), False


def top_quality(hq: np.ndarray, names: list[str], name: str) -> float:
    """The highest mean high-quality fraction among the settings called ``name``."""
    return max(_mean(hq[j]) for j in _indices(names, name))


def seed_margin(a: np.ndarray, b: np.ndarray, tol: float, conf: float = 0.95) -> float:
    """How far apart the means of seed samples ``a`` and ``b`` must be to call them different:
    the larger of ``tol`` and the two-sided ``conf`` Welch t half-width of mean(a) - mean(b).

    With one seed on either side the spread is unknown and the margin is infinite.
    """
    from scipy import stats

    a, b = np.asarray(a, dtype=float).ravel(), np.asarray(b, dtype=float).ravel()
    if min(len(a), len(b)) < 2:
        return float("inf")
    va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    se = float(np.sqrt(va + vb))
    if se == 0:
        return float(tol)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    return max(float(tol), float(stats.t.ppf(0.5 + conf / 2, df)) * se)


#: Per claim: (optimiser expected to do well, the one it is compared with, kind). ``match``
#: claims say the first is as good as the second; ``beats`` claims say it is clearly better.
CLAIMS = {"graft_vs_adam": ("graft", "adam", "match"),
          "rgraft_vs_adam": ("adam", "rgraft", "beats"),
          "nsgda_vs_sgda": ("nsgda", "sgda", "beats"),
          "nsgda_vs_adam": ("nsgda", "adam", "match")}


def _match(a: np.ndarray, b: np.ndarray, tol: float) -> str:
    """``a`` as good as ``b``: reproduced unless it trails by more than the seed margin."""
    d, m = _mean(a) - _mean(b), seed_margin(a, b, tol)
    if d >= -tol:
        return "reproduced"
    if d < -m:
        return "not reproduced"
    return f"inconclusive (behind by {-d:.1f} modes, within the seed margin {m:.1f})"


def _beats(a: np.ndarray, b: np.ndarray, n_modes: int, tol: float) -> str:
    """``a`` clearly ahead of ``b``: by more than the seed margin; "reproduced" also needs
    ``a`` to get all modes (mean >= n_modes - tol) and ``b`` not to, else "partly"."""
    d, m = _mean(a) - _mean(b), seed_margin(a, b, tol)
    if d <= tol:
        return "not reproduced"
    if d <= m:
        return f"inconclusive (ahead by {d:.1f} modes, within the seed margin {m:.1f})"
    full = n_modes - tol
    return "reproduced" if _mean(a) >= full > _mean(b) else "partly reproduced"


def _unlearned(who: list[str], top: dict[str, float], min_hq: float) -> str:
    """"none learned: ..." for the optimisers ``who``, with their best high-quality fractions."""
    best = ", ".join(f"{n} best {top[n]:.1%}" for n in who)
    return f"none learned: {best} high quality < {min_hq:.0%}"


def claim_verdict(key: str, modes_: np.ndarray, hq: np.ndarray, names: list[str],
                  n_modes: int, tol: float, min_hq: float = MIN_HQ) -> str:
    """The verdict on one claim of :data:`CLAIMS` at one width (arrays spec x seed).

    Each optimiser is represented by :func:`best_spec`. With both represented, the rules are
    :func:`_match` and :func:`_beats` (differences of seed means against
    :func:`seed_margin`). An optimiser with no setting reaching ``min_hq`` *learned nothing*:

    * neither learned → "inconclusive (none learned ...)";
    * ``match``: the reference (second) did not learn → inconclusive; the first did not
      while the reference did → "not reproduced";
    * ``beats``: the first did not learn while the second did → "not reproduced"; the second
      did not learn while the first did → the first is ahead ("reproduced" if it has all
      modes, else "partly reproduced"), with the reason in parentheses.
    """
    a, b, kind = CLAIMS[key]
    best = {n: best_spec(modes_, hq, names, n, min_hq) for n in (a, b)}
    lost = [n for n in (a, b) if best[n] is None]
    top = {n: top_quality(hq, names, n) for n in (a, b)}
    if len(lost) == 2 or (kind == "match" and b in lost):
        return f"inconclusive ({_unlearned(lost, top, min_hq)})"
    if a in lost:
        return f"not reproduced ({_unlearned([a], top, min_hq)}; {b} did)"
    if lost:  # beats, and only the second failed
        full = _mean(modes_[best[a]]) >= n_modes - tol
        return (f"{'reproduced' if full else 'partly reproduced'} "
                f"({_unlearned([b], top, min_hq)})")
    ma, mb = modes_[best[a]], modes_[best[b]]
    return _match(ma, mb, tol) if kind == "match" else _beats(ma, mb, n_modes, tol)


def claim_verdicts(modes_: np.ndarray, hq: np.ndarray, names: list[str], n_modes: int,
                   tol: float, min_hq: float = MIN_HQ) -> dict[str, str]:
    """:func:`claim_verdict` for every claim of :data:`CLAIMS` whose optimisers are in
    ``names`` (graft vs Adam and the nSGDA claims are required)."""
    return {key: claim_verdict(key, modes_, hq, names, n_modes, tol, min_hq)
            for key, (a, b, _) in CLAIMS.items()
            if key != "rgraft_vs_adam" or "rgraft" in names}


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
    represented at each width by :func:`best_spec`; NaN where either learned nothing."""
    out = []
    for mw, qw in zip(modes_, hq, strict=True):
        ja, jb = (best_spec(mw, qw, names, n, min_hq) for n in (a, b))
        out.append(np.nan if ja is None or jb is None else _mean(mw[ja]) - _mean(mw[jb]))
    return np.array(out)


def width_claim(modes_: np.ndarray, hq: np.ndarray, names: list[str], widths: list[int],
                tol: float, min_hq: float = MIN_HQ, a: str = "adam", b: str = "sgda") -> str:
    """The width verdict on the gap ``a`` - ``b`` (arrays width x spec x seed):
    :func:`width_verdict` of :func:`width_gaps`, or "inconclusive (none learned: ...)" naming
    the optimisers and widths where no setting reached ``min_hq``."""
    if len(widths) < 2:
        return "needs at least two widths"
    lost = {n: [str(k) for w, k in enumerate(widths)
                if best_spec(modes_[w], hq[w], names, n, min_hq) is None] for n in (a, b)}
    if any(lost.values()):
        where = "; ".join(f"{n} at k={', '.join(ks)}" for n, ks in lost.items() if ks)
        return f"inconclusive (none learned: {where}; quality bar {min_hq:.0%})"
    return width_verdict(width_gaps(modes_, hq, names, min_hq, a, b), tol, b.upper())


def verdicts_2d(data: dict[str, Any], cfg: dict[str, Any],
                min_hq: float = MIN_HQ) -> dict[str, dict[str, str]]:
    """Every 2D verdict of the chapter from a :func:`pacgan_sweep` result: per benchmark, the
    claims at ``k_show`` (:func:`claim_verdicts`) and ``width`` (:func:`width_claim`)."""
    widths = [int(k) for k in data["widths"]]
    w0, out = widths.index(cfg["k_show"]), {}
    for i, ds in enumerate(data["benchmarks"]):
        n, tol = int(data["n_modes"][i]), cfg["tol_frac"] * int(data["n_modes"][i])
        M, Q = np.asarray(data["modes"][i]), np.asarray(data["hq_fraction"][i])
        out[ds] = claim_verdicts(M[w0], Q[w0], list(data["names"]), n, tol, min_hq)
        out[ds]["width"] = width_claim(M, Q, list(data["names"]), widths, tol, min_hq)
    return out


def mnist_verdict(data: dict[str, Any], cfg: dict[str, Any]) -> str:
    """The MNIST width verdict on the Adam - best SGDA gap in confident samples: a setting
    *learned* if its confident fraction reaches half the real digits'; diverged runs count as
    no confident sample."""
    conf = np.nan_to_num(np.asarray(data["confident"], dtype=float), nan=0.0)
    conf_w = conf.transpose(1, 0, 2)  # (width, spec, seed); the confident fraction is quality
    bar = mnist_bar(data)
    return width_claim(conf_w, conf_w, list(data["names"]), [int(k) for k in data["widths"]],
                       cfg["conf_tol"], bar)


def mnist_bar(data: dict[str, Any]) -> float:
    """The MNIST quality bar: half the confident fraction of real test digits."""
    return 0.5 * float(data["real"]["confident"])


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

    specs = check_specs(cfg["optimizers"], "mnist optimizers", OPTIMIZERS)
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
