"""Profile rows of the theory chapters (1-4): small dense linear algebra on the CPU.

The paper gives no sizes for Figs. 2 and 9, so ``paper`` reuses the ``gpu`` rows.
"""

from __future__ import annotations

from typing import Any

TABLES: dict[str, dict[str, dict[str, Any]]] = {
    # Chapter 1: one small instance of eq. 2.
    "formulation": {
        # eta_bar: eta = eta_bar / ||J(W_0)||^2 for GDA and GD; sign_eta: the generator step of
        # the one-step sign-convention check.
        "smoke": dict(
            m=4, d=3, n=32, k=32, widths=[16, 64], T=300, seeds=2, mu=0.5, eta_bar=1 / 16,
            sign_eta=0.1,
        ),
        "cpu": dict(
            m=4, d=3, n=32, k=64, widths=[8, 16, 32, 64, 128, 256, 512], T=4000, seeds=5, mu=0.5,
            eta_bar=1 / 16, sign_eta=0.1,
        ),
        "gpu": dict(
            m=4,
            d=3,
            n=32,
            k=64,
            widths=[8, 16, 32, 64, 128, 256, 512, 1024, 2048],
            T=8000,
            seeds=10,
            mu=0.5,
            eta_bar=1 / 16,
            sign_eta=0.1,
        ),
    },
    # Chapter 2: Lemma A.2 / A.3 random checks.
    "eigen": {
        "smoke": dict(draws=200, m=5, p=12, violation_draws=200, gamma_T=50),
        "cpu": dict(draws=5000, m=6, p=20, violation_draws=5000, gamma_T=400),
        "gpu": dict(draws=20000, m=8, p=32, violation_draws=20000, gamma_T=800),
    },
    # Chapter 3: Theorem A.4 lock-step runs and the spectrum at initialisation.
    "perturbation": {
        "smoke": dict(
            m=4,
            d=4,
            n=32,
            widths=[32, 128],
            seeds=2,
            T=100,
            mu=0.5,
            eta_bar=0.05,
            record_every=5,
            mc_draws=20,
            spectrum_widths=[32, 128],
        ),
        "cpu": dict(
            m=8,
            d=8,
            n=64,
            widths=[16, 64, 256, 1024, 4096, 8192, 16384],
            seeds=3,
            T=800,
            mu=0.5,
            eta_bar=0.05,
            record_every=5,
            mc_draws=400,
            spectrum_widths=[16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192],
        ),
        "gpu": dict(
            m=8,
            d=8,
            n=64,
            widths=[16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768],
            seeds=5,
            T=1200,
            mu=0.5,
            eta_bar=0.05,
            record_every=5,
            mc_draws=2000,
            spectrum_widths=[16, 64, 256, 1024, 4096, 16384],
        ),
    },
    # Chapter 4: Fig. 2 (Gaussian data) sweep over k.
    "fig2": {
        "smoke": dict(
            m=8,
            d=4,
            n=32,
            widths=[4, 16, 64],
            seeds=2,
            T=200,
            eta_bar=1 / 16,
            mu=0.5,
            record_every=10,
        ),
        "cpu": dict(
            m=16,
            d=8,
            n=64,
            widths=[2, 4, 8, 16, 32, 64, 128, 256],
            seeds=5,
            T=2000,
            eta_bar=1 / 16,
            mu=0.5,
            record_every=10,
        ),
        "gpu": dict(
            m=16,
            d=8,
            n=64,
            widths=[2, 4, 8, 16, 32, 64, 128, 256, 512, 1024],
            seeds=10,
            T=5000,
            eta_bar=1 / 16,
            mu=0.5,
            record_every=10,
        ),
    },
    # Chapter 4: Fig. 9 on two moons.
    "fig9": {
        "smoke": dict(
            n=128,
            noise=0.1,
            d=2,
            widths=[2, 8],
            seeds=2,
            T=200,
            eta_bar=1 / 16,
            mu=0.5,
            mu_diter=0.1,
            d_iters=[1, 5],
            record_every=10,
        ),
        "cpu": dict(
            n=512,
            noise=0.1,
            d=2,
            widths=[1, 2, 3, 4, 8, 16, 32, 64, 128],
            seeds=5,
            T=2000,
            eta_bar=1 / 16,
            mu=0.5,
            mu_diter=0.1,
            d_iters=[1, 5, 25],
            record_every=10,
        ),
        "gpu": dict(
            n=2048,
            noise=0.1,
            d=2,
            widths=[1, 2, 3, 4, 8, 16, 32, 64, 128, 256],
            seeds=10,
            T=4000,
            eta_bar=1 / 16,
            mu=0.5,
            mu_diter=0.1,
            d_iters=[1, 2, 5, 25],
            record_every=10,
        ),
    },
    # Chapter 4 (beyond the paper): success probability vs reachability over (k, m).
    "cone": {
        "smoke": dict(
            ms=[2, 4], ratios=[1, 2, 4], d=4, n=32, draws=16, T=300, eta_bar=1 / 4, tol=1e-6
        ),
        "cpu": dict(
            ms=[2, 4, 8, 16],
            ratios=[0.5, 1, 1.5, 2, 2.5, 3, 4, 6, 8],
            d=8,
            n=64,
            draws=64,
            T=4000,
            eta_bar=1 / 4,
            tol=1e-6,
        ),
        "gpu": dict(
            ms=[2, 4, 8, 16, 32],
            ratios=[0.5, 1, 1.5, 2, 2.5, 3, 4, 6, 8, 12],
            d=8,
            n=64,
            draws=256,
            T=10000,
            eta_bar=1 / 4,
            tol=1e-6,
        ),
    },
}
for _table in TABLES.values():
    _table["paper"] = _table["gpu"]
