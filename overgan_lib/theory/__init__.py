"""Theory of Sec. 2 / App. A: one-hidden-layer generator, linear discriminator, GDA."""

from . import generator, linear_system, perturbation, reachability, solvers, spectra, synthetic

__all__ = [
    "generator",
    "linear_system",
    "perturbation",
    "reachability",
    "solvers",
    "spectra",
    "synthetic",
]
