"""Benchmarks (not tests): speed of this project's code against a plain reference, in one
process, each reporting a ratio (or, where there is nothing to race, the cost):

- :mod:`.theory`: the batched Fig. 2 sweep vs a per-seed autograd loop;
- :mod:`.fid`: the tensor feature path vs pytorch-fid's file loader;
- :mod:`.training`: the training engines (plain loop, eager, graphed), CPU worker sweeps and
  graphed GPU sweeps;
- :mod:`.heatmap`: the Li et al. heat map, batched vs a loop;
- :mod:`.nnd`: the NND critic's steps/s;
- :mod:`.load`: a busy core, for measuring beside other work (``--load``);
- :mod:`.timing`: the device sync every bench times around.
"""

from .fid import bench_fid
from .heatmap import bench_heatmap
from .nnd import bench_nnd
from .theory import bench_theory, reference_fig2

__all__ = ["bench_fid", "bench_heatmap", "bench_nnd", "bench_theory", "reference_fig2"]
