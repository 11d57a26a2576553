"""The sweep chapters' figures, one panel per profile shown: FID against the width (Fig. 4),
FID over training (Fig. 5) and the samples per width (Fig. 1's grids). A profile with no
stored run draws a panel naming the command that produces it, so a ``{glue:figure}`` never
dangles."""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt

from .axes import draw_sample_grids, plot_fid_over_iterations, plot_fid_vs_width

if TYPE_CHECKING:
    from ..view import SweepView


def _pending_axis(ax: plt.Axes, view: SweepView) -> None:
    ax.text(0.5, 0.5, f"pending:\n{view.command}", ha="center", va="center", fontsize=9,
            transform=ax.transAxes)
    ax.set_axis_off()


def _panels(by_profile: dict[str, SweepView], profile: str) -> list[SweepView]:
    """The profiles drawn side by side: those with stored runs, else the executed one."""
    return [v for v in by_profile.values() if v.done] or [by_profile[profile]]


def _finish(fig: plt.Figure, shown: list[SweepView], profile: str) -> plt.Figure:
    from ...book import label_profile

    done = [v for v in shown if v.done]
    label_profile(fig, "+".join(v.profile for v in done) or profile,
                  done[0].done[0] if done else None)
    return fig


def _profile_panels(by_profile: dict[str, SweepView], profile: str, height: float,
                    draw) -> plt.Figure:
    """One panel per shown profile: ``draw(ax, view)`` where runs are stored, else a
    pending panel naming the command."""
    shown = _panels(by_profile, profile)
    fig, axes = plt.subplots(1, len(shown), figsize=(5.2 * len(shown), height), squeeze=False)
    for ax, v in zip(axes[0], shown, strict=True):
        if v.done:
            draw(ax, v)
        else:
            _pending_axis(ax, v)
    return _finish(fig, shown, profile)


def fid_vs_width_figure(name: str, by_profile: dict[str, SweepView], profile: str
                        ) -> plt.Figure:
    """Fig. 4: FID train/test against the width, one panel per profile, floor line."""

    def draw(ax: plt.Axes, v: SweepView) -> None:
        plot_fid_vs_width(ax, v.configs, v.recs, v.floor)
        ax.set_title(f"{name}: {v.cfg['iters']:,} iterations, N={v.cfg['eval_n']:,} "
                     f"[{v.profile}]", fontsize=9)

    return _profile_panels(by_profile, profile, 3.8, draw)


def fid_over_iterations_figure(name: str, by_profile: dict[str, SweepView], profile: str
                               ) -> plt.Figure:
    """Fig. 5: mean FID train over training, one line per width."""

    def draw(ax: plt.Axes, v: SweepView) -> None:
        if not plot_fid_over_iterations(ax, v.configs, v.recs):
            ax.text(0.5, 0.5, "no periodic FID at this profile", ha="center",
                    transform=ax.transAxes)
        ax.set_title(f"{name} [{v.profile}]", fontsize=9)

    return _profile_panels(by_profile, profile, 3.6, draw)


def samples_figure(name: str, by_profile: dict[str, SweepView], profile: str, seed: int
                   ) -> plt.Figure:
    """Fig. 1: the first seed's samples at every width, one row per profile shown."""
    shown = _panels(by_profile, profile)
    cols = max(len(v.cfg["widths"]) for v in shown)
    fig, axes = plt.subplots(len(shown), cols, figsize=(3.3 * cols, 3.6 * len(shown)),
                             squeeze=False)
    for row, v in zip(axes, shown, strict=True):
        for ax in row:
            ax.set_axis_off()
        if not v.done:
            _pending_axis(row[0], v)
            continue
        draw_sample_grids(row, v.configs, v.recs, v.profile, seed)
    return _finish(fig, shown, profile)
