"""How many CPU threads each workload gets, so that a busy core costs at most its share.

PyTorch's OpenMP threads spin-wait at every barrier for their peers. When another process
takes one of the cores, the descheduled peer stalls every small operation: measured on 2
cores with one kept busy, the Fig. 2 batched sweep went from 4.9 s to 208.8 s (42x) on two
threads, and the MLP engine at k=256 from 0.028 to 0.210 s/iter (7.5x). With one thread the
same sweep took 6.9 s idle and 6.2 s loaded.

The policy:

- workloads of many small operations (the theory chapters' batched linear algebra, the MLP
  engine) run on **one** thread: they lose little when idle and nothing under load;
- convolution-heavy workloads (DCGAN/ResNet training, Inception features) use every core,
  and OpenMP waits passively (``OMP_WAIT_POLICY=PASSIVE``, set when overgan_lib is imported
  before torch, unless the user set it): their operations are long, so sleeping at a
  barrier costs little, while spinning against a busy core costs a whole time slice;
- ``OVERGAN_THREADS=N`` overrides the policy everywhere (sweep worker processes already get
  cores / workers threads each).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

SMALL_OPS = ("theory", "mlp")


def usable_cores() -> int:
    """Cores this process may run on: its CPU affinity where the OS reports one (a
    container or ``taskset`` often allows fewer than the machine has), else all of them."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # macOS and Windows have no sched_getaffinity
        return max(1, os.cpu_count() or 1)


def env_threads() -> int | None:
    """``OVERGAN_THREADS`` as a positive int (None when unset); a one-line error otherwise."""
    raw = os.environ.get("OVERGAN_THREADS", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        from .errors import ParameterError

        raise ParameterError(f"OVERGAN_THREADS={raw!r} must be a positive integer, e.g. "
                             f"OVERGAN_THREADS=2, or unset to use the thread policy")
    return int(raw)


def threads_for(workload: str) -> int:
    """The intra-op thread count for a workload (``theory``, ``mlp``, ``dcgan``, ...)."""
    forced = env_threads()
    if forced is not None:
        return forced
    return 1 if workload in SMALL_OPS else usable_cores()


@contextlib.contextmanager
def use_threads(n: int) -> Iterator[None]:
    """Run the block with ``n`` intra-op threads, then restore the caller's setting."""
    import torch

    saved = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(saved)


def for_workload(workload: str):
    """Run the block with the policy's thread count for ``workload``, never more than the
    caller already uses (a sweep worker's share of the cores stays its limit)."""
    import torch

    if env_threads() is not None:
        return use_threads(threads_for(workload))
    return use_threads(min(torch.get_num_threads(), threads_for(workload)))


# Stored experiments whose time goes to convolutions: Inception features and NND critics.
CONV_EXPERIMENTS = ("data_metrics", "generalization", "neighbour_baselines", "nnd_floor",
                    "nnd_fit_views", "nnd_crossover")


def workload_of(experiment: str) -> str:
    """The workload class of a stored experiment (chapters' ``ob.run``)."""
    return "conv" if experiment.startswith(CONV_EXPERIMENTS) else "theory"
