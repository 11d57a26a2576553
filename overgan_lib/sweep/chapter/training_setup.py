"""What a sweep chapter's setup sections show: the settings table of every profile, the
architectures' layer lists, the parameter counts, the seed counts and `paper` grid glued for
the prose, and CelebA's data budget at `paper`."""

from __future__ import annotations

from IPython.display import Markdown, display

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
                     "(TrainConfig's defaults)."))


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
