"""What a sweep chapter says of its stored results: the provenance box of every stored run
and summary it shows, the runs several sweeps share, and the pending list (what is not
stored yet, with the command that produces it)."""

from __future__ import annotations

from IPython.display import Markdown, display

from ..lent_device import lent_stage
from ..matrices import final_value
from ..view import sweep_view
from ._types import Views


def show_provenance(views: Views) -> None:
    """The chapter's provenance box: every stored run and sweep summary it shows."""
    from ...book import show_provenance as show

    recs = [r for by in views.values() for v in by.values()
            for r in [*v.done, *([v.summary] if v.summary else [])]]
    if recs:
        show(*recs)
    else:
        display(Markdown("No stored results yet at the profiles shown (see the status column "
                         "below for the commands that produce them)."))


def shared_runs_markdown(views: Views, also: tuple[str, ...] = ()) -> str:
    """Runs that several sweeps share (same config, so one stored record): comparisons
    against them in different sweeps are not independent. ``also`` names sweeps outside
    ``views`` to look in (at the same profiles). '' when nothing is shared."""
    users: dict[tuple[str, str], list[str]] = {}
    found: dict[tuple[str, str], tuple] = {}
    looked = {n: dict(bp) for n, bp in views.items()}
    first_seed = {p: min(c.seed for c in v.configs)  # one view per profile, not per sweep
                  for bp in views.values() for p, v in bp.items() if v.configs}
    for n in also:
        looked[n] = {p: sweep_view(n, p, s) for p, s in first_seed.items()}
    for name, by_profile in looked.items():
        for p, v in by_profile.items():
            for c, r in zip(v.configs, v.recs, strict=True):
                if r is not None:
                    users.setdefault((p, c.key), []).append(name)
                    found[(p, c.key)] = (c, r)
    groups: dict[tuple[str, int, int, tuple[str, ...]], list] = {}
    for (p, key), names in users.items():
        names = list(dict.fromkeys(names))
        if len(names) > 1 and any(n in views for n in names):
            c, r = found[(p, key)]
            groups.setdefault((p, c.k_g, c.k_d, tuple(names)), []).append((c.seed, r))
    lines = []
    for (p, kg, kd, names), runs in sorted(groups.items()):
        runs.sort(key=lambda sr: sr[0])
        fids = ", ".join(f"{final_value(r, 'fid_train'):.1f} (seed {s})" for s, r in runs)
        count = f"{len(runs)} run" + ("s" if len(runs) != 1 else "")
        lines.append(f"- $k_g$ = {kg}, $k_d$ = {kd} [{p}]: {count}, FID train {fids}, used "
                     f"by {', '.join(f'`{n}`' for n in names)}.")
    return "\n".join(lines)


def shared_runs(views: Views, also: tuple[str, ...] = ()) -> None:
    """Display :func:`shared_runs_markdown` with a heading sentence, if anything is shared."""
    text = shared_runs_markdown(views, also)
    if text:
        display(Markdown("These runs are stored once and appear in several sweeps, so every "
                         "comparison against them shares their seeds' luck:\n\n" + text))


def pending(views: Views, profiles: tuple[str, ...] = ("cpu", "gpu")) -> None:
    """Display :func:`pending_markdown`."""
    display(Markdown(pending_markdown(views, profiles)))


def pending_markdown(views: Views, profiles: tuple[str, ...] = ("cpu", "gpu")) -> str:
    """The (sweep, profile) pairs with no complete stored results, with the exact command
    that produces each (at `gpu`, and where to run it: :func:`where_to_run`)."""
    from ..view import sweep_view

    lines = []
    for name, by_profile in views.items():
        for p in profiles:
            v = by_profile.get(p) or sweep_view(name, p)
            if v.complete:
                continue
            lines.append(f"- `{name}` at `{p}`: `{v.command}` on {where_to_run(name, p)}; "
                         f"{len(v.done)} of {len(v.recs)} runs stored")
    if not lines:
        return "Every sweep of this chapter is stored at " + ", ".join(profiles) + "."
    return "**Pending:**\n\n" + "\n".join(lines)


def where_to_run(name: str, profile: str) -> str:
    """Where the command that stores sweep ``name`` at ``profile`` runs: this machine below
    `gpu`; at `gpu`, one GPU, with the lent-device stage that trains it
    (:func:`..lent_device.lent_stage`) or, for a sweep the plan has no stage for, a GPU
    machine of one's own."""
    if profile != "gpu":
        return "this machine"
    stage = lent_stage(name)
    if stage is None:
        return ("one GPU of your own (the lent-device plan, `tools/gpu_session.py`, has no "
                "stage for this sweep)")
    return (f"one GPU (on a lent device: `python tools/gpu_session.py prepare {stage}`, then "
            f"`run {stage}` until its log says the records are stored; tools/README.md)")
