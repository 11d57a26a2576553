"""The theory chapters' experiments, as plain functions of a settings dict.

A package with one module per chapter (the names below are re-exported here):

- :mod:`.common`: :func:`instance_seeds`, :func:`gaussian_targets`,
  :func:`fit_geometric_rate`, shared by the chapters;
- :mod:`.formulation`: chapter 1, :func:`formulation`, :func:`linear_limit`;
- :mod:`.eigen`: chapter 2, :func:`eigen_checks` (Lemmas A.2 / A.3), :func:`exact_region`;
- :mod:`.perturbation`: chapter 3, :func:`perturbation_sweep` (Theorem A.4),
  :func:`spectrum_at_init` (Lemmas A.6-A.8);
- :mod:`.convergence`: chapter 4, :func:`fig2_sweep`, :func:`fig9_sweep` (Theorems 2.1 /
  2.2, Figs. 2 and 9), :func:`cone_grid`.

Each returns a dict of numpy arrays and scalars, ready for :mod:`overgan_lib.store`.
Seeds: instance ``s`` of a run with base seed ``seed`` uses torch/numpy seed
``1000 * seed + s`` for (V, Z, W_0) and ``10_000 + 1000 * seed + s`` for its data, so
every width sees the same data sets and the comparison across k is paired.
"""

from __future__ import annotations

from .common import fit_geometric_rate, gaussian_targets, instance_seeds
from .convergence import _alg_rates as _alg_rates
from .convergence import cone_grid, fig2_sweep, fig9_sweep
from .eigen import eigen_checks, exact_region
from .formulation import formulation, linear_limit
from .perturbation import perturbation_sweep, spectrum_at_init

__all__ = [
    "cone_grid",
    "eigen_checks",
    "exact_region",
    "fig2_sweep",
    "fig9_sweep",
    "fit_geometric_rate",
    "formulation",
    "gaussian_targets",
    "instance_seeds",
    "linear_limit",
    "perturbation_sweep",
    "spectrum_at_init",
]
