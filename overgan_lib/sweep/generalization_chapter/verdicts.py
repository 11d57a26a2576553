"""Chapter "Generalization"'s verdicts in Markdown: the opening summary table of Figs. 6
and 10's claims per sweep with the NND critic's row, and the verdicts with their evidence."""

from __future__ import annotations

from ..summary import CONFIRMED, Verdict


def verdict_summary(fits: dict[str, list[Verdict]], critic: tuple[bool, str] | None) -> str:
    """The chapter's opening summary as a Markdown table: each claim's verdict per scored
    sweep (``fits``: sweep -> :func:`.generalization_claims.generalization_verdicts`), and
    the NND critic's row (``critic``: :func:`.real_gap.critic_check`), None if unjudged."""
    if not fits:
        lines = ["No sweep's generators are scored at this profile yet, so no claim is judged."]
    else:
        claims = [v.claim for v in next(iter(fits.values()))]
        head = "| claim | " + " | ".join(f"`{s}`" for s in fits) + " |"
        lines = [head, "|---|" + "---|" * len(fits)]
        for i, c in enumerate(claims):
            cells = [_short(fits[s][i].outcome) for s in fits]
            lines.append(f"| {c} | " + " | ".join(cells) + " |")
    if critic is not None:
        lines += ["", critic_line(critic[0])]
    return "\n".join(lines)


def critic_line(no_learning: bool) -> str:
    """The summary's line for the NND critic's row (``no_learning``: its check passed)."""
    return ("NND critic (the instrument): "
            + ("no learning of its own real images detected" if no_learning else
               "learning of its own real images detected")
            + " by the group test at this budget.")


def _short(outcome: str) -> str:
    """An outcome for a table cell, bold when confirmed."""
    text = outcome.replace(" at this profile", "").replace(" at this budget", "")
    return f"**{text}**" if outcome == CONFIRMED else text



def summary_markdown(profile: str, fits: dict[str, list[Verdict]],
                     critic: tuple[bool, str] | None) -> str:
    """The chapter's opening summary (:func:`verdict_summary`) under its heading."""
    return (f"**Verdicts at profile `{profile}`** (their evidence is listed with Fig. 6 "
            "below):\n\n" + verdict_summary(fits, critic))


def verdicts_markdown(profile: str, fits: dict[str, list[Verdict]]) -> str:
    """Every scored sweep's verdicts with their evidence (``fits``: sweep ->
    :func:`..generalization_claims.generalization_verdicts`), in Markdown."""
    return f"**Verdicts at profile `{profile}`, with their evidence:**\n\n" + "\n".join(
        f"`{name}`:\n\n" + "\n".join(v.markdown() for v in fs) + "\n"
        for name, fs in fits.items())
