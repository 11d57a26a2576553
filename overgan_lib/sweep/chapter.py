"""The sections every sweep chapter shows, for a set of named sweeps at several profiles.

``views`` maps a sweep name to its :class:`~.view.SweepView` per profile (from
:func:`~.view.available_views`). Each function draws or prints one section, labelled with
the profiles it shows, so the CIFAR-10, CelebA and one-component chapters differ only in
their prose and the sweeps they name.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from IPython.display import Markdown, display

from ..profiles import settings
from . import figures
from .grid import experiment_configs
from .summary import (
    converges_faster,
    eval_curves,
    gap_does_not_grow,
    improves_with_width,
    saturates_beyond,
    width_matrix,
)
from .view import SweepView

Views = dict[str, dict[str, SweepView]]


def _label(fig: plt.Figure, shown: list[SweepView]) -> None:
    from ..book import label_profile

    label_profile(fig, "+".join(v.profile for v in shown), shown[0].done[0])


def architecture(arch: str, k: int, size: int = 32) -> None:
    """The layer list of G and D read off a forward pass (the paper's Fig. 8 substitute)."""
    from ..models import Z_DIM, build, layer_table

    G, D = build(arch, k, k, size=size)
    for role, net, shape in (("generator", G, (Z_DIM,)), ("critic", D, (3, size, size))):
        rows = [f"| {arch} {role}, $k$={k}, {size}×{size} | output | parameters |",
                "|---|---|---:|"]
        rows += [f"| `{text}` | {out} | {n:,} |" for _, text, out, n in layer_table(net, shape)]
        display(Markdown("\n".join(rows)))


def settings_table(views: Views) -> None:
    """Widths, seeds, iterations, evaluation and status of every sweep and profile shown."""
    rows = ["| sweep | profile | widths | fixed | seeds | iterations | FID every | FID on N | "
            "status |", "|---|---|---|---:|---:|---:|---:|---:|---|"]
    for name, by_profile in views.items():
        for p, v in by_profile.items():
            c = v.cfg
            rows.append(f"| `{name}` | {p} | {', '.join(map(str, c['widths']))} | "
                        f"{c.get('fixed', '—')} | {c['seeds']} | {c['iters']:,} | "
                        f"{c['eval_every'] or 'end'} | {c['eval_n']:,} | {v.status()} |")
    display(Markdown("\n".join(rows)))


def parameter_tables(views: Views) -> None:
    """Parameter counts of G and D over the `paper` grid of each sweep."""
    for name in views:
        cfgs = experiment_configs(name, settings(name, "paper"))
        display(Markdown(f"**`{name}`**\n\n" + figures.parameter_table(cfgs)))


def _shown(name: str, by_profile: dict[str, SweepView], profile: str) -> list[SweepView]:
    shown = [v for v in by_profile.values() if v.done]
    if not shown:
        display(Markdown(f"`{name}`: no stored runs at profile `{profile}`; pending: "
                         f"`{by_profile[profile].command}`."))
    return shown


def fid_vs_width(views: Views, profile: str) -> None:
    """Fig. 4: FID train/test against the width, one panel per profile, floor line."""
    for name, by_profile in views.items():
        if not (shown := _shown(name, by_profile, profile)):
            continue
        fig, axes = plt.subplots(1, len(shown), figsize=(5.2 * len(shown), 3.8), squeeze=False)
        for ax, v in zip(axes[0], shown, strict=True):
            figures.plot_fid_vs_width(ax, v.configs, v.recs, v.floor)
            ax.set_title(f"{name}: {v.cfg['iters']:,} iterations, N={v.cfg['eval_n']:,} "
                         f"[{v.profile}]", fontsize=9)
        _label(fig, shown)
        plt.show()


def fid_over_iterations(views: Views, profile: str) -> None:
    """Fig. 5: mean FID train over training, one line per width."""
    for name, by_profile in views.items():
        if not (shown := _shown(name, by_profile, profile)):
            continue
        fig, axes = plt.subplots(1, len(shown), figsize=(5.2 * len(shown), 3.6), squeeze=False)
        for ax, v in zip(axes[0], shown, strict=True):
            if not figures.plot_fid_over_iterations(ax, v.configs, v.recs):
                ax.text(0.5, 0.5, "no periodic FID at this profile", ha="center",
                        transform=ax.transAxes)
            ax.set_title(f"{name} [{v.profile}]", fontsize=9)
        _label(fig, shown)
        plt.show()


def samples(views: Views, seed: int, widths: list[int] | None = None) -> None:
    """Fig. 1: the first seed's samples at each width (or at ``widths``)."""
    for name, by_profile in views.items():
        for v in by_profile.values():
            if v.done:
                fig = figures.sample_grid_figure(v.configs, v.recs, v.profile, seed, widths)
                fig.suptitle(f"{name} [{v.profile}]", fontsize=10)
                _label(fig, [v])
                plt.show()


def verdicts(views: Views, saturation: dict[str, int | None]) -> None:
    """The paper's claims judged on every complete sweep (library rules, see summary)."""
    for name, by_profile in views.items():
        for v in by_profile.values():
            if not v.complete:
                display(Markdown(f"`{name}` [{v.profile}]: {v.status()}; no verdict yet."))
                continue
            k, f_train = width_matrix(v.configs, v.recs, "fid_train")
            _, f_test = width_matrix(v.configs, v.recs, "fid_test")
            found = [improves_with_width(k, f_train)]
            if saturation.get(name):
                found.append(saturates_beyond(k, f_train, saturation[name]))
            found += [gap_does_not_grow(k, f_train, f_test),
                      converges_faster(eval_curves(v.configs, v.recs))]
            display(Markdown(f"**`{name}`**: " + figures.verdicts_markdown(v.profile, found)))


def cost_table(views: Views) -> None:
    """Measured it/s per width and the projected device-hours of the `paper` profile."""
    rows = ["| sweep | profile | device | k | it/s (measured) | paper: 5 seeds × 300k, "
            "device-hours |", "|---|---|---|---:|---:|---:|"]
    for name, by_profile in views.items():
        for v in by_profile.values():
            its = figures.speeds(v.configs, v.recs)
            hours = figures.paper_cost_hours(its)
            dev = v.done[0].provenance["device"] if v.done else "—"
            rows += [f"| `{name}` | {v.profile} | {dev} | {k} | {s:.2f} | {hours[k]:,.0f} |"
                     for k, s in its.items()]
    display(Markdown("\n".join(rows)))
