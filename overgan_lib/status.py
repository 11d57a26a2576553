"""The reproduction status of every paper figure and claim, computed from the results store.

:data:`CLAIMS` maps each figure/claim of the paper (and the book's own extensions) to the
chapter that shows it and the store experiments that back it. :func:`claim_status` turns what
is stored into one verdict per claim, by these rules (smoke results never count: their numbers
mean nothing):

``pending``
    no stored (non-smoke) result for any experiment of the claim.
``partial``
    some evidence, but one of: an experiment of the claim has no result; results exist only at
    a reduced profile (not one of the claim's ``full_profiles``); a backing result was computed
    from a dirty tree (uncommitted code); the claim has no automatic check of the paper's
    finding; or its check fails. At a reduced profile the reason also quotes what the check
    finds there (for the sweeps: the chapters' verdicts), which never makes a claim reproduced.
``reproduced``
    every experiment of the claim has a result at a full-scale profile, all of them from a
    clean tree, and the claim's check of the paper's finding passes on them.

To add a claim, append a :class:`Claim` to :data:`CLAIMS`; experiments that do not exist yet
simply show as pending.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import summaries
from .profiles import PROFILES
from .store import REPO_ROOT, Record, records

VERDICTS = ("reproduced", "partial", "pending")
#: Profiles at which an experiment is a full (not reduced) run. The theory chapters run at full
#: size from ``cpu`` up (the paper gives no sizes for Figs. 2 and 9); the image experiments are
#: reduced below ``paper``.
THEORY_FULL = ("cpu", "gpu", "paper")
PAPER_ONLY = ("paper",)

Check = Callable[[dict[str, list[Record]]], tuple[bool, str]]


@dataclass(frozen=True)
class Claim:
    """One figure or claim of the paper, where the book shows it and what backs it."""

    key: str
    what: str
    chapter: str  # book/<chapter>.md; may not exist yet
    experiments: tuple[str, ...]
    full_profiles: tuple[str, ...] = PAPER_ONLY
    check: Check | None = None


@dataclass
class Status:
    """The verdict of one claim with the provenance of the results it rests on."""

    claim: Claim
    verdict: str
    reason: str
    profiles: list[str]
    profile: str | None = None  # the profile whose results the provenance columns describe
    shas: list[str] = field(default_factory=list)
    dirty: bool | None = None
    wall_time_s: float | None = None
    devices: list[str] = field(default_factory=list)
    runs: int = 0


# --- checks of the paper's findings (each on the records of the chosen profile) -------------


def _one(recs: dict[str, list[Record]], experiment: str) -> dict[str, Any]:
    return recs[experiment][0].data


def _width_gain(experiment: str, key: str, factor: float) -> Check:
    """Median final loss at the widest width <= factor x the median at the narrowest."""

    def check(recs: dict[str, list[Record]]) -> tuple[bool, str]:
        med = np.median(np.asarray(_one(recs, experiment)[key], dtype=float), axis=1)
        ok = bool(med[-1] <= factor * med[0])
        return ok, (f"median {key} {med[0]:.2g} at the narrowest width vs {med[-1]:.2g} at the "
                    f"widest ({'<=' if ok else '>'} {factor:g}x)")

    return check


def _same_saddle(recs: dict[str, list[Record]]) -> tuple[bool, str]:
    """GDA and GD end at the same W (eq. 5): median relative gap < 5% at the widest width."""
    gap = float(np.median(_one(recs, "formulation")["w_gap_rel"][-1]))
    return gap < 0.05, f"median ‖W_GDA − W_GD‖ / ‖W_GD − W_0‖ = {gap:.2g} at the widest width"


def _lemma_a2(recs: dict[str, list[Record]]) -> tuple[bool, str]:
    """Lemma A.2: the spectral radius never exceeds the bound on any draw."""
    d = _one(recs, "eigen")
    bad = int(np.sum(np.asarray(d["a2_rho"]) > np.asarray(d["a2_bound"]) * (1 + 1e-9)))
    return bad == 0, f"{bad} of {np.size(d['a2_rho'])} draws above the Lemma A.2 bound"


def _lemma_a3(recs: dict[str, list[Record]]) -> tuple[bool, str]:
    """Lemma A.3: kappa_i <= 5 on every draw; ||A^t|| <= 5 (1 - eta alpha^2)^t where measured."""
    d = _one(recs, "eigen")
    kap, gam = np.asarray(d["a3_kappa"], dtype=float), np.asarray(d["a3_gamma_emp"], dtype=float)
    ok = bool(kap.max() <= 5 and gam.max() <= 5)
    return ok, (f"Lemma A.3: max κ_i {kap.max():.3g} over {kap.size} draws and max_t "
                f"‖A^t‖/(1−ηα²)^t {gam.max():.3g} over {gam.size} ({'≤' if ok else 'not ≤'} 5)")


def _lemmas_a2_a3(recs: dict[str, list[Record]]) -> tuple[bool, str]:
    """Lemmas A.2 and A.3 both hold on every stored draw."""
    (ok2, why2), (ok3, why3) = _lemma_a2(recs), _lemma_a3(recs)
    return ok2 and ok3, f"{why2}; {why3}"


def _theorem_a4(recs: dict[str, list[Record]]) -> tuple[bool, str]:
    """Theorem A.4: bounds (25)-(28) hold on every run where the theorem's hypotheses hold.

    A bound that holds on a run outside the hypotheses is no evidence for the theorem (chapter 3:
    at small k it is an artefact of the short horizon), so those runs are only counted.
    """
    d = _one(recs, "perturbation")
    flags = np.stack([np.asarray(d[f"ok{i}"], dtype=bool) for i in (25, 26, 27, 28)]).all(0)
    v = summaries.theorem_a4_verdict(d["hyp_ok"], flags)
    return bool(v["reproduced"]), (
        f"hypotheses met on {v['hyp']} of {v['runs']} runs; bounds (25)-(28) hold on "
        f"{v['ok_on_hyp']} of those {v['hyp']} (on {v['ok_all']} of all {v['runs']}; "
        "at the stored horizon T)")


def _all_checks(*checks: Check) -> Check:
    """A check that passes iff every one of ``checks`` passes; reasons joined."""

    def check(recs: dict[str, list[Record]]) -> tuple[bool, str]:
        res = [c(recs) for c in checks]
        return all(ok for ok, _ in res), "; ".join(why for _, why in res)

    return check


def _diter_width_gain(recs: dict[str, list[Record]]) -> tuple[bool, str]:
    """Fig. 9 (c), width: every d_iter variant gains the factor 1e-6 from narrowest to widest."""
    d = _one(recs, "fig9")
    med = np.median(np.asarray(d["diter_final"], dtype=float), axis=2)  # d_iters x widths
    ok = bool((med[:, -1] <= 1e-6 * med[:, 0]).all())
    its = ", ".join(str(int(i)) for i in d["d_iters"])
    return ok, f"width gain ≤ 1e-6x {'holds' if ok else 'fails'} for d_iter = {its}"


def _diter_more_steps_help(recs: dict[str, list[Record]]) -> tuple[bool, str]:
    """Fig. 9 (c), ascent steps: the most ascent steps end lowest at most converged widths.

    Counted over widths where every variant converged (median below 1e-12) but none is at
    float64 round-off (there the order is noise); plateaus at an unreachable target are left out.
    """
    d = _one(recs, "fig9")
    med = np.median(np.asarray(d["diter_final"], dtype=float), axis=2)
    lowest, live = summaries.lowest_variant(med, ceiling=1e-12)
    n_live, n_top = int(live.sum()), int((lowest[live] == len(med) - 1).sum())
    ok = n_live > 0 and 2 * n_top > n_live
    return ok, (f"d_iter={int(d['d_iters'][-1])} ends lowest at {n_top} of {n_live} converged "
                f"widths above round-off (d_iter={int(d['d_iters'][0])}: "
                f"{int((lowest[live] == 0).sum())})")


def _li2018(recs: dict[str, list[Record]]) -> tuple[bool, str]:
    """Li et al. (2018): the chapter's verdicts on its two claims (optimal dynamics converge,
    first-order ones fail by merged means or degenerate intervals), by the same library rules
    (:func:`overgan_lib.related.li_verdicts.claim_check`)."""
    from .related.li_verdicts import claim_check

    return claim_check(_one(recs, "li2018"))


def _sweep_claims(names: tuple[str, ...], rules: tuple[str, ...]) -> Check:
    """The sweep chapters' verdicts (:func:`overgan_lib.sweep.claims.sweep_verdicts`) for
    ``rules`` on each named sweep at the chosen profile; passes when every one is confirmed
    (a trend judged far from the data is not: it describes early training)."""

    def check(recs: dict[str, list[Record]]) -> tuple[bool, str]:
        from .sweep.claims import sweep_verdicts
        from .sweep.summary import CONFIRMED
        from .sweep.view import sweep_view

        profile = str(recs[f"sweep_{names[0]}"][0].provenance["profile"])
        parts, ok = [], True
        for name in names:
            view = sweep_view(name, profile)
            if not view.complete:
                ok = False
                parts.append(f"{name}: {view.status()}")
                continue
            found = sweep_verdicts(view)
            judged = [r for r in rules if r in found]
            ok &= all(found[r].outcome == CONFIRMED for r in judged)
            parts.append(f"{name}: " + " · ".join(
                f"{_RULE_LABELS[r]} {found[r].outcome.replace(' at this profile', '')}"
                for r in judged))
        return ok, "; ".join(parts)

    return check


def _stored_as_chapter(experiment: str, profile: str,
                       config: dict[str, Any] | None = None) -> Record | None:
    """The record a chapter run at ``profile`` (seed 0, no overrides) reads, if stored."""
    from .profiles import settings
    from .store import load

    cfg = settings(experiment, profile) if config is None else config
    return load(experiment, profile, {**cfg, "seed": 0})


def _generalization(recs: dict[str, list[Record]]) -> tuple[bool, str]:
    """Figs. 6 and 10: chapter "Generalization"'s verdicts
    (:func:`overgan_lib.sweep.generalization_claims.generalization_verdicts`) on each sweep's
    stored scores; passes when every one is confirmed."""
    from .profiles import settings
    from .sweep.generalization_claims import far_reason, generalization_verdicts
    from .sweep.summary import CONFIRMED
    from .sweep.view import sweep_view

    profile = str(recs["generalization"][0].provenance["profile"])
    base = _stored_as_chapter("generalization_baselines", profile)
    fid = _stored_as_chapter("generalization_fid", profile)
    floor = _stored_as_chapter("nnd_floor", profile)
    if base is None or fid is None:
        return False, f"the baselines' NND or FID at {profile} is not stored"
    sweeps = settings("generalization", profile)
    parts, ok = [], True
    for name in sweeps["sweeps"]:
        scores = _stored_as_chapter("generalization", profile,
                                    {"sweep": name, "seeds": sweeps["seeds"]})
        if scores is None:
            ok = False
            parts.append(f"{name}: not scored yet")
            continue
        view = sweep_view(name, profile)
        found = generalization_verdicts(
            scores.data, base.data, far_reason(view, fid.data),
            far_reason(view, fid.data, trend=True), None if floor is None else floor.data)
        ok &= all(v.outcome == CONFIRMED for v in found)
        parts.append(f"{name}: " + " · ".join(
            f"{v.claim}: {v.outcome.replace(' at this profile', '')}" for v in found))
    return ok, "; ".join(parts)


_JELASSI_LABELS = {"graft_vs_adam": "graft ≈ Adam:", "rgraft_vs_adam": "Adam beats reverse graft:",
                   "nsgda_vs_sgda": "nSGDA beats SGDA:", "nsgda_vs_adam": "nSGDA ≈ Adam:",
                   "width": "width closes Adam−SGDA gap:"}


def _jelassi(recs: dict[str, list[Record]]) -> tuple[bool, str]:
    """Chapter 12's verdicts (:func:`overgan_lib.related.jelassi.verdicts_2d` and
    :func:`~overgan_lib.related.jelassi.mnist_verdict`, the functions the chapter uses);
    passes when every claim of the paper is reproduced on both 2D benchmarks (the width
    verdicts are the book's question and are reported, not required)."""
    from .related import jelassi

    r2, rm = recs["jelassi_2d"][0], recs["jelassi_mnist"][0]
    v2 = jelassi.verdicts_2d(r2.data, r2.config)
    ok = all(v.startswith("reproduced") for by_ds in v2.values()
             for key, v in by_ds.items() if key != "width")
    parts = [f"{ds}: " + " · ".join(f"{_JELASSI_LABELS[k]} {v}" for k, v in by_ds.items())
             for ds, by_ds in v2.items()]
    parts.append(f"MNIST width: {jelassi.mnist_verdict(rm.data, rm.config)}")
    return ok, "; ".join(parts)


_FIG4 = ("trend", "saturation", "uptick", "fixed", "gap")
_RULE_LABELS = {"trend": "falls with k:", "saturation": "saturation:", "uptick": "uptick:",
                "fixed": "worse beyond the fixed width:", "gap": "gap:",
                "rate": "converges faster:"}

CLAIMS: tuple[Claim, ...] = (
    Claim("eq2-5", "Eqs. 2-5: optimal discriminator, GDA and GD reach one saddle",
          "01_problem_formulation", ("formulation",), THEORY_FULL, _same_saddle),
    Claim("lemma-a2-a3", "Lemmas A.2/A.3: spectrum of the linearised GDA map",
          "02_eigen_analysis", ("eigen",), THEORY_FULL, _lemmas_a2_a3),
    Claim("thm-a4", "Theorem A.4: nonlinear vs linearised GDA, bounds (25)-(28)",
          "03_perturbation", ("perturbation", "spectrum"), THEORY_FULL, _theorem_a4),
    Claim("fig2", "Fig. 2: convergence improves with width k, in the setting of Theorems "
          "2.1/2.2 (their probability is vacuous at these sizes: ch. 4)",
          "04_convergence", ("fig2",), THEORY_FULL, _width_gain("fig2", "gda_final", 1e-6)),
    Claim("fig9", "Fig. 9 (a, b): two moons, optimal D and GDA, convergence improves with k",
          "04_convergence", ("fig9",), THEORY_FULL,
          _all_checks(_width_gain("fig9", "gd_final", 1e-6),
                      _width_gain("fig9", "gda_final", 1e-6))),
    Claim("fig9c", "Fig. 9 (c): two moons, d_iter ascent steps per generator step: width helps, "
          "and more ascent steps help", "04_convergence", ("fig9",), THEORY_FULL,
          _all_checks(_diter_width_gain, _diter_more_steps_help)),
    Claim("reach", "Beyond the paper: which targets GD can reach at width k",
          "04_convergence", ("cone",), THEORY_FULL),
    Claim("fid", "Sec. 3 metric: FID/KID, sampling floors", "05_data_metrics",
          ("data_metrics",), PAPER_ONLY),
    Claim("fig3", "Fig. 3: MLP GAN on MNIST, FID vs width k", "06_mnist_mlp",
          ("sweep_mnist_mlp",), check=_sweep_claims(("mnist_mlp",), _FIG4)),
    Claim("fig4-cifar", "Figs. 1, 4(a, d): DCGAN / ResNet FID vs k on CIFAR-10", "07_cifar10",
          ("sweep_cifar10_dcgan", "sweep_cifar10_resnet"),
          check=_sweep_claims(("cifar10_dcgan", "cifar10_resnet"), _FIG4)),
    Claim("fig5", "Fig. 5: FID over training iterations, DCGAN", "07_cifar10",
          ("sweep_cifar10_dcgan", "sweep_celeba_dcgan"),
          check=_sweep_claims(("cifar10_dcgan", "celeba_dcgan"), ("rate",))),
    Claim("fig4-celeba", "Fig. 4(b, e): DCGAN / ResNet FID vs k on CelebA", "08_celeba",
          ("sweep_celeba_dcgan", "sweep_celeba_resnet"),
          check=_sweep_claims(("celeba_dcgan", "celeba_resnet"), _FIG4)),
    Claim("fig7", "Fig. 7 (App. C): one network's width varied, the other fixed",
          "09_one_component", ("sweep_cifar10_resnet_d", "sweep_cifar10_resnet_g"),
          check=_sweep_claims(("cifar10_resnet_d", "cifar10_resnet_g"), _FIG4)),
    Claim("fig6", "Figs. 6, 10: generalization (NND, nearest neighbours) vs k",
          "10_generalization", ("generalization_baselines", "neighbour_baselines",
                                "generalization", "generalization_fid"),
          check=_generalization),
    Claim("li2018", "Related: Li et al. (2018), first-order approximation of GAN dynamics",
          "11_li2018_discriminators", ("li2018",), THEORY_FULL, _li2018),
    Claim("jelassi", "Related: Jelassi et al., adaptive methods in GANs", "12_jelassi_adaptive",
          ("jelassi_2d", "jelassi_mnist"), check=_jelassi),
)


def _stored(experiment: str) -> dict[str, list[Record]]:
    """Non-smoke records of ``experiment`` by profile (profiles in PROFILES order)."""
    out: dict[str, list[Record]] = {}
    for profile in PROFILES:
        if profile == "smoke":
            continue
        recs = records(experiment, profile)
        if recs:
            out[profile] = recs
    return out


def _best_profile(by_exp: dict[str, dict[str, list[Record]]], claim: Claim) -> str | None:
    """The largest profile at which every experiment of the claim has results, if any."""
    common = [p for p in PROFILES if p != "smoke" and all(p in r for r in by_exp.values())]
    full = [p for p in common if p in claim.full_profiles]
    return (full or common or [None])[-1]


def claim_status(claim: Claim) -> Status:
    """Apply the module's rules to what the store holds for ``claim``."""
    by_exp = {e: _stored(e) for e in claim.experiments}
    profiles = [p for p in PROFILES if any(p in r for r in by_exp.values())]
    if not profiles:
        return Status(claim, "pending", "no stored result yet", [])
    missing = [e for e, r in by_exp.items() if not r]
    best = _best_profile(by_exp, claim)
    if best is None:  # results exist, but no profile covers every experiment
        return Status(claim, "partial", f"no result yet for {', '.join(missing) or 'some'}"
                      " at a common profile", profiles)
    recs = {e: r[best] for e, r in by_exp.items()}
    flat = [rec for rs in recs.values() for rec in rs]
    prov = [rec.provenance for rec in flat]
    st = Status(
        claim, "partial", "", profiles, best,
        shas=sorted({str(p.get("git_sha", "?"))[:8] for p in prov}),
        dirty=any(bool(p.get("git_dirty")) for p in prov),
        wall_time_s=float(sum(float(p.get("wall_time_s", 0.0)) for p in prov)),
        devices=sorted({str(p.get("device", "?")) for p in prov}),
        runs=len(flat),
    )
    if best not in claim.full_profiles:
        st.reason = f"reduced scale ({best}); full scale needs {'/'.join(claim.full_profiles)}"
        if claim.check is not None:  # what the reduced results say, never a verdict of record
            st.reason += f". At {best}: {claim.check(recs)[1]}"
    elif st.dirty:
        st.reason = "computed from a dirty tree (uncommitted code)"
    elif claim.check is None:
        st.reason = "no automatic check of the paper's finding"
    else:
        ok, why = claim.check(recs)
        st.verdict, st.reason = ("reproduced", why) if ok else ("partial", f"check fails: {why}")
    return st


def status_table(claims: Sequence[Claim] = CLAIMS) -> list[Status]:
    """The status of every claim, in table order."""
    return [claim_status(c) for c in claims]


def _chapter_cell(chapter: str, book_dir: Path) -> str:
    """A cross-reference to the chapter if it exists, else its planned name."""
    if (book_dir / f"{chapter}.md").exists():
        return f"{{doc}}`{chapter}`"
    return f"{chapter} (planned)"


def markdown_table(rows: Sequence[Status], book_dir: Path | None = None) -> str:
    """The status page's table as MyST Markdown (chapter names become cross-references)."""
    book_dir = book_dir if book_dir is not None else REPO_ROOT / "book"
    head = ("| figure / claim | chapter | profiles | verdict | why | git sha | tree "
            "| wall time | device |\n|---|---|---|---|---|---|---|---|---|")
    lines = [head]
    for s in rows:
        tree = "—" if s.dirty is None else ("dirty" if s.dirty else "clean")
        runs = f"{s.runs} stored result" + ("s" if s.runs != 1 else "")
        wall = "—" if s.wall_time_s is None else f"{s.wall_time_s:,.0f} s ({runs})"
        profs = ", ".join(f"**{p}**" if p == s.profile else p for p in s.profiles) or "—"
        cells = [s.claim.what, _chapter_cell(s.claim.chapter, book_dir), profs,
                 f"**{s.verdict}**", s.reason, " ".join(s.shas) or "—", tree, wall,
                 "; ".join(s.devices) or "—"]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines)


def counts(rows: Sequence[Status]) -> dict[str, int]:
    """How many claims have each verdict."""
    return {v: sum(r.verdict == v for r in rows) for v in VERDICTS}

#: The claims by key.
CLAIMS_BY_KEY: dict[str, Claim] = {c.key: c for c in CLAIMS}
