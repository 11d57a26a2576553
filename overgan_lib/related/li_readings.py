"""Readings of the stored Li et al. (2018) study that separate *reaching* the targets from
*staying* there.

The study stores, per configuration, the share of runs that met the success criterion at some
recorded step (``fo_ever``, counted from t = 0) and every run's outcome at T (``fo_codes``), but
no per-run history. Runs whose grid cell already matches the targets within the tolerance are
successes at t = 0, so every one of them is in ``fo_ever``; removing them gives exactly the share
of the *other* runs that reach the criterion at some recorded step t > 0. Like
:mod:`.li_verdicts`, this module only reads stored numbers (it feeds no stored result).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from ..errors import ParameterError
from .li_verdicts.starts import _SUCCESS, runs_of_separated_cells, start_in_tolerance

#: A width counts as 'not staying' when more than this share of its runs that miss the
#: targets at T had met the criterion at an earlier recorded step t > 0.
MOST = 0.5


@dataclass(frozen=True)
class Reach:
    """One configuration's runs from separated cells, split by where they start.

    ``inside``: runs that start within the tolerance (success at t = 0); ``inside_left``: of
    those, the runs not successful at T; ``reached``: share of the other runs that meet the
    criterion at some recorded step t > 0; ``at_T``: share of those other runs successful at T.
    """

    k: int
    d: int
    runs: int
    inside: int
    inside_left: int
    reached: float
    at_T: float

    @property
    def outside(self) -> int:
        """Runs that start outside the tolerance."""
        return self.runs - self.inside

    @property
    def missed_had_reached(self) -> float:
        """Of the runs starting outside that miss the targets at T, the share that met the
        criterion at an earlier recorded step (success at T is itself a step t > 0, so
        ``reached >= at_T``). NaN when every such run succeeds at T."""
        return (self.reached - self.at_T) / (1 - self.at_T) if self.at_T < 1 else float("nan")


def reached_after_start(ever: float, runs: int, inside: int) -> float:
    """Share of the ``runs - inside`` runs starting outside the tolerance that meet the
    criterion at some recorded step t > 0, from ``ever`` (the share of all ``runs`` that meet
    it at some recorded step, t = 0 included; each of the ``inside`` runs does at t = 0)."""
    if not 0 <= inside < runs:
        raise ParameterError(f"inside={inside} runs of {runs}; need 0 <= inside < runs")
    n_ever = ever * runs
    if abs(n_ever - round(n_ever)) > 1e-6 * runs or round(n_ever) < inside:
        raise ParameterError(f"ever={ever!r} of {runs} runs is not a count of at least the "
                             f"{inside} runs that start inside the tolerance")
    return (round(n_ever) - inside) / (runs - inside)


def start_runs(R: dict[str, Any], tol: float) -> np.ndarray:
    """(C * n,) mask over the runs of separated cells (the order of ``fo_ever`` and
    ``runs_per_config``): True where the run's cell matches the targets within ``tol`` at t = 0."""
    n_init = np.asarray(R["fo_codes"]).shape[-1]
    cells = start_in_tolerance(R["grid_x"], R["targets"], tol)
    return runs_of_separated_cells(np.repeat(cells[..., None], n_init, axis=-1))


def reach(R: dict[str, Any], tol: float, row: int) -> Reach:
    """:class:`Reach` of configuration ``row`` of a stored study ``R`` (``tol``: its success
    tolerance, ``cfg['tol']``)."""
    inside = start_runs(R, tol)
    final = runs_of_separated_cells(np.asarray(R["fo_codes"][row]))
    runs = int(R["runs_per_config"])
    if len(final) != runs:
        raise ParameterError(f"{len(final)} stored runs per configuration, runs_per_config "
                             f"says {runs}; the study record is inconsistent")
    ok = final == _SUCCESS
    return Reach(k=int(R["k"][row]), d=int(R["d_steps"][row]), runs=runs,
                 inside=int(inside.sum()), inside_left=int((inside & ~ok).sum()),
                 reached=reached_after_start(float(R["fo_ever"][row]), runs, int(inside.sum())),
                 at_T=float(ok[~inside].mean()))


def width_rows(R: dict[str, Any]) -> list[int]:
    """Rows of the width study (one D step), by increasing k."""
    k, d = np.asarray(R["k"]), np.asarray(R["d_steps"])
    return sorted(np.flatnonzero(d == 1).tolist(), key=lambda i: k[i])


def not_staying(R: dict[str, Any], tol: float, opt_rate: float, base_k: int = 2
                ) -> list[Reach]:
    """The widths above ``base_k`` (one D step) whose gap to the optimal discriminator is
    mostly runs leaving the targets: success at T below ``opt_rate`` and more than
    :data:`MOST` of the runs that miss the targets at T met the criterion earlier (t > 0)."""
    out = [reach(R, tol, i) for i in width_rows(R) if int(R["k"][i]) > base_k]
    return [r for r in out if r.at_T < opt_rate and r.missed_had_reached > MOST]


def _listing(xs: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return xs[0] if len(xs) == 1 else ", ".join(xs[:-1]) + " and " + xs[-1]


def _pct(xs: list[float]) -> str:
    return _listing([f"{x:.1%}" for x in xs])


def _runs(xs: list[int]) -> str:
    """'1,760' when every width has the same count, else '1,760, 1,700 and 1,650'."""
    return f"{xs[0]:,}" if len(set(xs)) == 1 else _listing([f"{x:,}" for x in xs])


def width_reach_text(R: dict[str, Any], tol: float, opt_rate: float, base_k: int = 2) -> str:
    """The width verdict's reading of reaching vs staying, as a sentence of the chapter. Every
    share names its denominator: the runs of separated cells that start outside the tolerance
    (not all separated runs, the denominator of the success rates at T elsewhere)."""
    wider = [reach(R, tol, i) for i in width_rows(R) if int(R["k"][i]) > base_k]
    if not wider:
        return f"No width above k = {base_k} is run at this profile."
    hit = not_staying(R, tol, opt_rate, base_k)
    out = _runs([r.outside for r in wider])
    head = (f"At k = {_listing([str(r.k) for r in wider])}, "
            f"{_pct([r.reached for r in wider])} of the {out} separated runs that start "
            f"outside the tolerance meet the criterion at some recorded step t > 0, and "
            f"{_pct([r.at_T for r in wider])} of those {out} are there at T (these differ from "
            f"the rates above, whose denominator is all {_runs([r.runs for r in wider])} "
            f"separated runs): of those that miss the targets at T, "
            f"{_pct([r.missed_had_reached for r in wider])} had met the criterion earlier.")
    if not hit:
        return head + (f" At no width above k = {base_k} had more than {MOST:.0%} of the runs "
                       "that miss the targets at T met the criterion earlier.")
    return head + (f" So for k = {_listing([str(r.k) for r in hit])} most runs that miss the "
                   "targets at T had been within the tolerance at some recorded step: the gap "
                   f"to the optimal discriminator's {opt_rate:.1%} is mostly runs that are not "
                   "there at T although they came there before. Meeting the criterion at one "
                   "recorded step is not convergence: a run that oscillates around the "
                   "targets and crosses the tolerance box once counts, so this does not show "
                   "that these runs had found the targets in any stronger sense.")


def start_text(r: Reach) -> str:
    """What happens at T to the runs that start at the targets (the verdict table's cell)."""
    if r.inside == 0:
        return "no run starts within the tolerance of the targets at this profile"
    return (f"{r.inside_left} of the {r.inside} runs that start within the tolerance of the "
            f"targets are not there at T")


def ties_text(ties: int, successes: int, draws: int) -> str:
    """Who reaches the best pooled count (:func:`.li_verdicts.best_starts`): 'one start (6 of
    40 draws)' or '4 starts (6 of 40 draws each); the first of them in row-major order is'."""
    if ties < 1:
        raise ParameterError(f"ties={ties!r}: the best count is reached by at least one start")
    if ties == 1:
        return f"one start ({successes} of {draws} draws), which is"
    return (f"{ties} starts ({successes} of {draws} draws each); the first of them in row-major "
            "order is")


def value_range(lo: float, hi: float, fmt: str = ".5f") -> str:
    """'a to b', or 'constant at a' when the two ends print the same at ``fmt``."""
    a, b = format(lo, fmt), format(hi, fmt)
    return f"constant at {a}" if a == b else f"{a} to {b}"


def spread_by_d(ratios: list[float], words: list[str], d: list[int]) -> str:
    """'d = 2: 1.00 (within ...); d = 5: ...' from per-d spread ratios and their words."""
    if not (len(ratios) == len(words) == len(d)):
        raise ParameterError("give one ratio and one reading per d")
    return "; ".join(f"d = {dd}: {r:.2f}, {w}" if np.isfinite(r) else f"d = {dd}: {w}"
                     for dd, r, w in zip(d, ratios, words, strict=True))


def merged_start_text(cells: int, merged_rate: float, other_rate: float, rest: dict,
                      words: str) -> str:
    """The heat map's starts that begin merged (closer than the merge threshold): their
    ``cells``' success rate against the other separated cells', and the spread without them
    (``rest``: :func:`.li_verdicts.spread_null` on the other cells; ``words``: its reading)."""
    if cells == 0:
        return ("No separated cell of this grid starts closer than the merge threshold, so no "
                "start begins merged.")
    return (f"The starts whose means begin closer than the merge threshold (merged at t = 0): "
            f"their {cells} cells succeed in {merged_rate:.1%} of their runs, the other "
            f"separated cells in {other_rate:.1%}. Without them the ratio is "
            f"{rest['ratio']:.2f} (95th percentile of its own null {rest['q95']:.2f}, "
            f"probability {rest['p']:.3f}): {words}.")


def trend_word(before: float, after: float) -> str:
    """How a share moved between two recorded steps: 'grows', 'falls' or 'does not change'."""
    return "grows" if after > before else "falls" if after < before else "does not change"


def next_step(mu: np.ndarray, ends: np.ndarray, target: np.ndarray, eta_g: float,
              eta_d: float) -> dict[str, Any]:
    """One more first-order step (one D step, the book's sorting rule) from a recorded state
    ``mu`` (2,), ``ends`` (2k,): the interval lengths now and after the step, and the mass of
    the discriminator's set under (G* + G_mu)/2 now (dynamics.classify's measure; near 0: D = 0
    almost everywhere, near 1: D = 1). Recorded states at even steps show one phase of the
    sorting rule's two-step cycle; this gives the other."""
    from . import dynamics as dy
    from . import mixture as mx

    t = torch.as_tensor(np.asarray(target, dtype=float))
    m0 = torch.as_tensor(np.asarray(mu, dtype=float))[None]
    e0 = torch.as_tensor(np.asarray(ends, dtype=float))[None]
    tr = dy.first_order(m0, e0, t, eta_g, eta_d, 1)
    length = lambda e: (e[0, 1::2] - e[0, 0::2]).numpy()  # noqa: E731
    return {"lengths": length(e0.sort(1).values), "lengths_next": length(tr.ends),
            "mass": float(mx.interval_mass(m0, e0.sort(1).values, t).sum())}
