"""What a sweep chapter's setup sections show: the settings table of every profile, the
architectures' layer lists, the parameter counts, the seed counts and `paper` grid glued for
the prose, and CelebA's data budget at `paper`."""

from __future__ import annotations

from IPython.display import Markdown, display

from ...errors import ParameterError
from ...profiles import settings
from .. import cost, figures
from ..grid import experiment_configs
from ..view import sweep_view
from ._types import Views


def architecture(arch: str, k: int, size: int = 32) -> None:
    """The layer list of G and D read off a forward pass (the paper's Fig. 8 substitute)."""
    from ...models import Z_DIM, build, layer_table

    G, D = build(arch, k, k, size=size)
    for role, net, shape in (("generator", G, (Z_DIM,)), ("critic", D, (3, size, size))):
        rows = [f"| {arch} {role}, $k$={k}, {size}×{size} | output | parameters |",
                "|---|---|---:|"]
        rows += [f"| `{text}` | {out} | {n:,} |" for _, text, out, n in layer_table(net, shape)]
        display(Markdown("\n".join(rows)))


def settings_table(views: Views) -> None:
    """Widths, seeds, iterations, evaluation and status of every sweep at every profile: the
    profiles shown, and the `gpu` and `paper` grids (marked planned where not stored here),
    so the prose can point to each profile's settings. Below it, the training settings every
    run of the sweeps shares (:class:`~...train.TrainConfig`'s defaults, App. D)."""
    from ...train import TrainConfig

    rows = ["| sweep | profile | widths | fixed | seeds | iterations | FID every | FID on N | "
            "status |", "|---|---|---|---:|---:|---:|---:|---:|---|"]
    for name, by_profile in views.items():
        shown = dict(by_profile)
        for p in ("gpu", "paper"):
            shown.setdefault(p, None)
        for p, v in shown.items():
            v = v if v is not None else sweep_view(name, p)
            c = v.cfg
            status = (v.status() if v.done or p in by_profile
                      else f"planned (not run yet): `{v.command}`")
            rows.append(f"| `{name}` | {p} | {', '.join(map(str, c['widths']))} | "
                        f"{c.get('fixed', '—')} | {c['seeds']} | {c['iters']:,} | "
                        f"{format(c['eval_every'], ',') if c['eval_every'] else 'end'} | "
                        f"{c['eval_n']:,} | {status} |")
    t = TrainConfig()
    display(Markdown("\n".join(rows) + "\n\nEvery run: WGAN-GP, gradient penalty weight "
                     f"λ = {t.gp_weight:g}, {t.n_critic} critic steps per generator step, "
                     f"batch {t.batch_size}, {t.optimizer.capitalize()} with learning rate "
                     f"{t.lr:g} and (β₁, β₂) = ({t.beta1:g}, {t.beta2:g}) for both networks "
                     "(TrainConfig's defaults; App. D gives the optimiser for DCGAN only, so "
                     "for the ResNets it is this book's assumption)."))


def parameter_tables(views: Views) -> None:
    """Parameter counts of G and D for every (k_g, k_d) in the grids of the shown profiles
    and of `gpu` and `paper`, with the profiles whose grid holds each pair."""
    for name, by_profile in views.items():
        grids = {p: v.configs for p, v in by_profile.items()}
        for planned in ("gpu", "paper"):  # the planned grids too, as the settings table has
            if planned not in grids:
                grids[planned] = experiment_configs(name, settings(name, planned))
        where: dict[tuple[int, int], list[str]] = {}
        for p, cfgs in grids.items():
            for c in cfgs:
                if p not in where.setdefault((c.k_g, c.k_d), []):
                    where[(c.k_g, c.k_d)].append(p)
        every = [c for cfgs in grids.values() for c in cfgs]
        display(Markdown(f"**`{name}`**\n\n" + figures.parameter_table(every, where)))


def seed_counts_text(views: Views) -> str:
    """Seeds per width at every profile, over the chapter's sweeps: '2 at smoke, 3 at cpu,
    ...' (a range where the sweeps differ; plain text, for a glue:text role)."""
    from ...profiles import PROFILES

    parts = []
    for p in PROFILES:
        n = sorted({settings(name, p)["seeds"] for name in views})
        parts.append(f"{n[0]}{'–' + str(n[-1]) if len(n) > 1 else ''} at {p}")
    return ", ".join(parts)


def glue_seed_counts(views: Views) -> None:
    """Glue ``seed_counts`` (:func:`seed_counts_text`) for the setup's differences."""
    from ...book import glue

    glue("seed_counts", seed_counts_text(views))


def running_stat_memory(n_critic: int, momentum: float,
                        share: float = 0.9) -> tuple[int, int, float]:
    """How far back a generator's batch-norm running statistics reach: (forward passes in
    train mode per generator iteration, the most recent passes that hold ``share`` of the
    running average's weight, those passes in generator iterations).

    The engine runs G in train mode on each of its ``n_critic`` critic steps (the fakes, under
    ``no_grad``) and once in the generator step, and each pass moves the running statistics by
    ``momentum``: weights momentum (1 - momentum)^j on the j-th pass back."""
    import math

    if n_critic < 1 or not 0 < momentum < 1 or not 0 < share < 1:
        raise ParameterError(f"n_critic={n_critic!r}, momentum={momentum!r}, share={share!r}: give "
                         "n_critic >= 1 and momentum, share in (0, 1)")
    per_iter = n_critic + 1
    passes = math.ceil(math.log(1 - share) / math.log(1 - momentum))
    return per_iter, passes, passes / per_iter


def glue_running_stats(views: Views, name: str) -> None:
    """Glue ``bn_share`` (90%), ``bn_passes_per_iter``, ``bn_recent_passes``,
    ``bn_recent_iters`` and ``bn_momentum`` (:func:`running_stat_memory` for the generator
    and critic steps of sweep ``name``'s first run, at the first profile shown) for the
    setup's eval-mode sentence."""
    from torch import nn

    from ...book import glue
    from ...models import build

    c = next(v.configs[0] for v in views[name].values() if v.configs)
    G, _ = build(c.arch, c.k_g, c.k_d, size=32)
    momentum = next(m.momentum for m in G.modules() if isinstance(m, nn.BatchNorm2d))
    share = 0.9
    per_iter, passes, iters = running_stat_memory(c.n_critic, momentum, share)
    glue("bn_share", f"{share:.0%}")
    glue("bn_passes_per_iter", str(per_iter))
    glue("bn_recent_passes", str(passes))
    glue("bn_recent_iters", f"{iters:.0f}")
    glue("bn_momentum", f"{momentum:g}")


def eval_n_text(views: Views, profile: str) -> str:
    """The FID sample size per side at ``profile`` over the chapter's sweeps, e.g. "200", or
    "200 to 500" where they differ (from the profile tables, so the prose cannot drift)."""
    ns = sorted({int(settings(name, profile)["eval_n"]) for name in views})
    return f"{ns[0]:,}" if len(ns) == 1 else f"{ns[0]:,} to {ns[-1]:,}"


def glue_eval_n(views: Views) -> None:
    """Glue ``eval_n_cpu`` (:func:`eval_n_text` at `cpu`) for the chapters' reduced-scale
    box, which says how few images a `cpu` FID is computed on."""
    from ...book import glue

    glue("eval_n_cpu", eval_n_text(views, "cpu"))


def glue_paper_grid(views: Views) -> None:
    """Glue ``paper_widths`` (the varied widths of the `paper` profile, over the chapter's
    sweeps) and ``paper_fixed`` (its fixed width, '—' where both sides vary), for prose that
    says the grid is the book's: the paper lists no widths for its image sweeps
    (:mod:`overgan_lib.profiles.sweeps`)."""
    from ...book import glue

    rows = [settings(name, "paper") for name in views]
    widths = sorted({w for r in rows for w in r["widths"]})
    fixed = sorted({r["fixed"] for r in rows if "fixed" in r})
    glue("paper_widths", ", ".join(map(str, widths)))
    glue("paper_fixed", ", ".join(map(str, fixed)) or "—")


# CelebA's full size and its official training partition: in .cost, which the status page
# imports without IPython (the GPU image has none).
CELEBA_IMAGES, CELEBA_OFFICIAL_TRAIN = cost.CELEBA_IMAGES, cost.CELEBA_OFFICIAL_TRAIN


def glue_celeba_budget(name: str = "celeba_dcgan") -> None:
    """Glue what the CelebA chapter says of its data and of its `paper` profile: the offline
    card's source and preprocessing (``celeba_source``, ``celeba_preprocessing``), its split
    (``celeba_train_n``, ``celeba_test_n``), the full and official-train counts, and how many
    passes over the training images the `paper` profile's critic makes (``celeba_epochs``:
    iterations x critic steps x batch / training images) against the same budget on the
    official partition (``celeba_official_epochs``)."""
    from ...book import glue
    from ...data import CARDS
    from ...train import TrainConfig

    card, t, paper = CARDS["celeba"], TrainConfig(), settings(name, "paper")
    seen = paper["iters"] * t.n_critic * t.batch_size
    glue("celeba_source", card.source)
    glue("celeba_preprocessing", card.preprocessing)
    glue("celeba_train_n", card.counts["train"], ",")
    glue("celeba_test_n", card.counts["test"], ",")
    glue("celeba_images", CELEBA_IMAGES, ",")
    glue("celeba_official_train", CELEBA_OFFICIAL_TRAIN, ",")
    glue("celeba_paper_seen", seen, ",")
    glue("celeba_epochs", seen / card.counts["train"], ",.0f")
    glue("celeba_official_epochs", seen / CELEBA_OFFICIAL_TRAIN, ",.0f")
