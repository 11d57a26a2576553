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
    from a dirty tree (uncommitted code), or the code it depends on changed since it was
    computed (stale); the claim has no automatic check of the paper's finding, or its check
    cannot tell (a rule it requires is not testable on the records, or it cannot read them).
    At a reduced profile the reason also quotes what the check finds there (for the sweeps:
    the chapters' verdicts), which never makes a claim reproduced.
``not reproduced``
    full-scale, clean, current results, and the check of the paper's finding fails on them.
``reproduced``
    every experiment of the claim has a result at a full-scale profile, all of them from a
    clean tree and current, and the claim's check of the paper's finding passes on them.

Only the records a chapter stores when run as published count (:func:`.rules.chapter_configs`):
a rerun with another seed or overrides stores records beside them that are not judged.

To add a claim, append a :class:`Claim` to :data:`CLAIMS`; experiments that do not exist yet
simply show as pending. A row marked ``infrastructure`` (what the claims rest on, such as the
FID floors) is shown apart and not counted.
"""

from __future__ import annotations

from collections.abc import Sequence

from .experiment_checks import (
    _FIG4,
    _generalization,
    _jelassi,
    _li2018,
    _nnd_critic,
    _stored_as_chapter,
    _sweep_claims,
)
from .rules import (
    PAPER_ONLY,
    THEORY_FULL,
    VERDICTS,
    Check,
    Claim,
    Status,
    claim_status,
    counts,
    markdown_table,
    short_name,
    summary_text,
)
from .theory_checks import (
    _diter_steps_no_faster,
    _diter_width_gain,
    _formulation_eqs,
    _lemmas_a2_a3,
    _same_saddle,
    _theorem_a4,
    _width_trend,
)

__all__ = ["CLAIMS", "CLAIMS_BY_KEY", "PAPER_ONLY", "THEORY_FULL", "VERDICTS", "Check", "Claim",
           "Status", "claim_status", "counts", "markdown_table", "short_name", "status_table",
           "summary_text",
           "_stored_as_chapter", "_lemmas_a2_a3", "_theorem_a4", "_width_trend"]



def _celeba_cap(name: str = "celeba_dcgan") -> str:
    """Why CelebA's `paper` profile is not the paper's setting (chapter 8, glued there by
    :func:`overgan_lib.sweep.chapter.glue_celeba_budget` from the same numbers): the row
    stays partial."""
    from ..data import CARDS
    from ..profiles import settings
    from ..sweep.cost import CELEBA_OFFICIAL_TRAIN
    from ..train import TrainConfig

    t, train_n = TrainConfig(), CARDS["celeba"].counts["train"]
    seen = settings(name, "paper")["iters"] * t.n_critic * t.batch_size
    return (f"the paper profile trains on the offline {train_n:,}-image CelebA subset, about "
            f"{seen / train_n:,.0f} passes over it, not on the official "
            f"{CELEBA_OFFICIAL_TRAIN:,}-image training split (chapter 8)")


CELEBA_CAP = _celeba_cap()
#: Li et al.'s row passes its check at most as partial: chapter 11 has only the paper's abstract.
LI2018_CAP = ("the model is rebuilt from a third-party description (a public reproduction, via "
              "the project's notes, not checked against the paper) and the paper's step sizes, "
              "horizon and runs are unknown (every profile, `paper` included, is the book's "
              "choice); the theorem's rates are not tested")

#: Jelassi et al.'s row likewise: chapter 12 has only the paper's abstract, so its optimisers'
#: settings, networks and budgets are the book's at every profile.
JELASSI_CAP = ("the paper's steps, networks and rates are not public: every profile, `paper` "
               "included, is the book's choice (chapter 12)")

CLAIMS: tuple[Claim, ...] = (
    Claim("eq2-5", "Eqs. 2, 5, 33: the optimal discriminator is the mean gap (BFGS on eq. 2 as "
          "written), the GDA sign convention, the Jacobian", "01_problem_formulation",
          ("formulation",), THEORY_FULL, _formulation_eqs),
    Claim("lemma-a2-a3", "Lemmas A.2/A.3: spectrum of the linearised GDA map",
          "02_eigen_analysis", ("eigen",), THEORY_FULL, _lemmas_a2_a3),
    Claim("thm-a4", "Theorem A.4: nonlinear vs linearised GDA, bounds (25)-(28)",
          "03_perturbation", ("perturbation", "spectrum"), THEORY_FULL, _theorem_a4),
    Claim("fig2", "Fig. 2: convergence improves with width k, GDA and GD, in the setting of "
          "Theorems 2.1/2.2 (their probability is vacuous at these sizes: ch. 4)",
          "04_convergence", ("fig2",), THEORY_FULL,
          _width_trend("fig2", ("gda_final", "gd_final"))),
    Claim("fig9", "Fig. 9 (a, b): two moons, optimal D and GDA, convergence improves with k",
          "04_convergence", ("fig9",), THEORY_FULL,
          _width_trend("fig9", ("gd_final", "gda_final"))),
    Claim("fig9c", "Fig. 9 (c): two moons, d_iter ascent steps per generator step, convergence "
          "improves with k for every d_iter", "04_convergence", ("fig9",), THEORY_FULL,
          _diter_width_gain),
    Claim("same-saddle", "Beyond the paper: GDA and GD end at the same W (converged seeds)",
          "01_problem_formulation", ("formulation",), THEORY_FULL, _same_saddle, source="book"),
    Claim("diter-steps", "Beyond the paper: with the slow discriminator of the Fig. 9 (c) "
          "setting, more ascent steps per generator step do not speed convergence",
          "04_convergence", ("fig9",), THEORY_FULL, _diter_steps_no_faster, source="book"),
    Claim("reach", "Beyond the paper: which targets GD can reach at width k",
          "04_convergence", ("cone",), THEORY_FULL, source="book"),
    Claim("fid", "Sec. 3 metric: FID/KID, sampling floors", "05_data_metrics",
          ("data_metrics",), PAPER_ONLY, infrastructure=True),
    Claim("fig3", "Fig. 3: MLP GAN on MNIST, FID vs width k", "06_mnist_mlp",
          ("sweep_mnist_mlp",),
          check=_sweep_claims(("mnist_mlp",), ("trend", "uptick"), ("uptick_gap", "gap"))),
    Claim("fig4-cifar", "Figs. 1, 4(a, d): DCGAN / ResNet FID vs k on CIFAR-10", "07_cifar10",
          ("sweep_cifar10_dcgan", "sweep_cifar10_resnet"),
          check=_sweep_claims(("cifar10_dcgan", "cifar10_resnet"), _FIG4)),
    Claim("fig5", "Fig. 5: FID over training iterations, DCGAN: larger k is lower throughout "
          "and converges faster (stability judged only on divergence, and not required); "
          "CelebA's panel in chapter 8",
          "07_cifar10", ("sweep_cifar10_dcgan", "sweep_celeba_dcgan"),
          check=_sweep_claims(("cifar10_dcgan", "celeba_dcgan"), ("lower", "rate")),
          capped=CELEBA_CAP),
    Claim("fig4-celeba", "Fig. 4(b, e): DCGAN / ResNet FID vs k on CelebA (an offline subset of "
          "its images, also at `paper`: ch. 8)", "08_celeba",
          ("sweep_celeba_dcgan", "sweep_celeba_resnet"),
          check=_sweep_claims(("celeba_dcgan", "celeba_resnet"), _FIG4),
          capped=CELEBA_CAP),
    Claim("fig7", "Fig. 7 (App. C): one network's width varied, the other fixed; its caption's "
          "\"improves model convergence\" read as lower FID throughout training",
          "09_one_component", ("sweep_cifar10_resnet_d", "sweep_cifar10_resnet_g"),
          # Fig. 7's caption: "Even in this case, overparameterization improves model
          # convergence", read with Fig. 5's rules: "lower throughout training" is required,
          # so a contradicted convergence reading cannot leave the row passing.
          check=_sweep_claims(("cifar10_resnet_d", "cifar10_resnet_g"),
                              ("trend", "fixed", "lower"), ("gap", "rate", "stability"))),
    Claim("fig6", "Figs. 6, 10: generalization (NND, nearest neighbours) vs k",
          "10_generalization", ("generalization_baselines", "neighbour_baselines",
                                "generalization", "generalization_fid"),
          check=_generalization),
    Claim("nnd-critic", "NND critic (the instrument of Fig. 6): no detectable learning of "
          "its own real images at the profile's budget", "10_generalization",
          ("generalization_baselines", "nnd_fit_views", "nnd_crossover"),
          check=_nnd_critic, infrastructure=True),
    Claim("li2018", "Related: Li et al. (2018), first-order approximation of GAN dynamics",
          "11_li2018_discriminators", ("li2018",), THEORY_FULL, _li2018, source="related",
          capped=LI2018_CAP),
    Claim("jelassi", "Related: Jelassi et al., adaptive methods in GANs", "12_jelassi_adaptive",
          ("jelassi_2d", "jelassi_mnist"), check=_jelassi, source="related",
          capped=JELASSI_CAP),
)


def status_table(claims: Sequence[Claim] = CLAIMS, infrastructure: bool | None = None
                 ) -> list[Status]:
    """The status of every claim, in table order; ``infrastructure`` True or False keeps only
    the rows that are (or are not) infrastructure, None keeps all."""
    return [claim_status(c) for c in claims
            if infrastructure is None or c.infrastructure == infrastructure]


CLAIMS_BY_KEY: dict[str, Claim] = {c.key: c for c in CLAIMS}
