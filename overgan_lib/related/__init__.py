"""Related work as executable models: Li, Madry, Peebles and Schmidt (ICML 2018).

:mod:`.mixture` (the two-Gaussian mixture GAN in closed form), :mod:`.dynamics` (optimal vs
first-order discriminator dynamics, run outcomes) and :mod:`.experiments` (the chapter's
heat maps, failure trajectories, width study and verdicts).
"""

from . import dynamics, mixture

__all__ = ["dynamics", "mixture"]
