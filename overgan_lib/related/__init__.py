"""Related work as executable models: papers that extend or explain Balaji et al. (2021).

- Li, Madry, Peebles and Schmidt (ICML 2018): :mod:`.mixture` (the two-Gaussian mixture GAN
  in closed form), :mod:`.dynamics` (optimal vs first-order discriminator dynamics, run
  outcomes), :mod:`.experiments` (heat maps, failure trajectories, width study, verdicts) and
  :mod:`.li_verdicts` (the width / D-step verdicts and trajectory descriptions the chapter reads);
- Jelassi et al.: :mod:`.pacgan` (ring/grid benchmarks and metric, stacked 2D MLP GAN),
  :mod:`.digits` (MNIST digit-classifier metric) and :mod:`.jelassi` (sweeps and verdicts).
"""

from . import dynamics, mixture

__all__ = ["dynamics", "mixture"]
