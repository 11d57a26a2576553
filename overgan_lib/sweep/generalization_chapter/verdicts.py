"""Chapter "Generalization"'s verdicts in Markdown: the opening summary table of Figs. 6
and 10's claims per sweep with the NND critic's row, and the verdicts with their evidence."""

from __future__ import annotations

from ..summary import CONFIRMED, Verdict
from .critic import margin_text, near_bar


def verdict_summary(fits: dict[str, list[Verdict]], critic: tuple[bool, str] | None,
                    test: tuple[float, float, bool] | None = None) -> str:
    """The chapter's opening summary as a Markdown table: each claim's verdict per scored
    sweep (``fits``: sweep -> :func:`.generalization_claims.generalization_verdicts`), and
    the NND critic's row (``critic``: :func:`.real_gap.critic_check`), None if unjudged,
    worded by the margin of its group test (``test``: :func:`.critic.critic_group`)."""
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
        lines += ["", critic_line(critic[0], test)]
    return "\n".join(lines)


def critic_line(no_learning: bool, test: tuple[float, float, bool] | None = None) -> str:
    """The summary's line for the NND critic's row (``no_learning``: its check passed),
    with the group test's mean and bar where ``test`` (:func:`.critic.critic_group`) is
    given, and "only just" where the mean lies within :data:`.critic.EDGE` of its bar, with
    the margin as a share of the bar (:func:`margin_text`) and four decimals."""
    what = ("no learning of its own real images" if no_learning else
            "learning of its own real images")
    if test is None:
        return f"NND critic (the instrument): {what} detected by the group test at this budget."
    mean, bar, _ = test
    head = f"NND critic (the instrument): {what}"
    if not near_bar(mean, bar):
        return (f"{head} detected by the group test at this budget (mean {mean:+.3f} against "
                f"its bar {bar:.3f}).")
    edge = margin_text(mean, bar)
    if no_learning:
        return (f"{head} detected by the group test at this budget, though only just: its "
                f"mean, {mean:+.4f}, falls short of its bar, {bar:.4f}, {edge}.")
    return (f"{head} only just detected by the group test at this budget: its mean, "
            f"{mean:+.4f}, exceeds its bar, {bar:.4f}, {edge}.")


def _short(outcome: str) -> str:
    """An outcome for a table cell, bold when confirmed."""
    text = outcome.replace(" at this profile", "").replace(" at this budget", "")
    return f"**{text}**" if outcome == CONFIRMED else text


def summary_markdown(profile: str, fits: dict[str, list[Verdict]],
                     critic: tuple[bool, str] | None,
                     test: tuple[float, float, bool] | None = None,
                     memoriser: str = "") -> str:
    """The chapter's opening summary (:func:`verdict_summary`) under its heading, followed by
    ``memoriser`` (:func:`.memoriser_scope.memoriser_standing_text`) where given."""
    return (f"**Verdicts at profile `{profile}`** (their evidence is listed with Fig. 6 "
            "below):\n\n" + verdict_summary(fits, critic, test)
            + (f"\n\n{memoriser}" if memoriser else ""))


def verdicts_markdown(profile: str, fits: dict[str, list[Verdict]]) -> str:
    """Every scored sweep's verdicts with their evidence (``fits``: sweep ->
    :func:`..generalization_claims.generalization_verdicts`), in Markdown."""
    return f"**Verdicts at profile `{profile}`, with their evidence:**\n\n" + "\n".join(
        f"`{name}`:\n\n" + "\n".join(v.markdown() for v in fs) + "\n"
        for name, fs in fits.items())
