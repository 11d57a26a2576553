"""Related work as executable models: papers that extend or explain Balaji et al. (2021).

- Li, Madry, Peebles and Schmidt (ICML 2018): :mod:`.mixture` (the two-Gaussian mixture GAN
  in closed form), :mod:`.dynamics` (optimal vs first-order discriminator dynamics, run
  outcomes), :mod:`.experiments` (heat maps, failure trajectories, width / D-step study,
  clipping check), :mod:`.li_verdicts` (every verdict the chapter and the status page draw
  from the stored study, compared paired over starts, and trajectory descriptions) and
  :mod:`.li_readings` (reaching the targets vs staying there, t = 0 split off);
- Jelassi et al.: :mod:`.pacgan` (ring/grid benchmarks and metric, stacked 2D MLP GAN),
  :mod:`.digits` (MNIST digit-classifier metric) and :mod:`.jelassi` (sweeps and verdicts).
"""

from . import dynamics, mixture

__all__ = ["dynamics", "mixture"]
