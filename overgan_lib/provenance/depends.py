"""What each stored experiment's numbers depend on: the source paths (:data:`DEPENDS`) whose
change since a record's commit flags it as possibly stale (:mod:`.changes`), and the code only a
CUDA device runs (:data:`GPU_ONLY`)."""

from __future__ import annotations

# The source paths each stored experiment's numbers depend on (relative to the repository
# root). A record whose paths changed between its git sha and HEAD is flagged as possibly stale.
# The sweep registry only names which configs a sweep holds: a change there that changes a
# run changes its config and so its key (a different record), so it is not listed.
_THEORY = ("overgan_lib/theory",)
_TRAINING = ("overgan_lib/train", "overgan_lib/models.py", "overgan_lib/optim.py",
             "overgan_lib/sweep/grid.py",
             "overgan_lib/sweep/run.py", "overgan_lib/sweep/executors.py",
             "overgan_lib/metrics/fid.py", "overgan_lib/metrics/inception.py",
             "overgan_lib/metrics/reference.py", "overgan_lib/data")
_GENERALIZATION = ("overgan_lib/metrics/nnd", *(f"overgan_lib/metrics/{m}.py" for m in (
    "neighbours", "samplers", "generalization", "fid", "inception", "reference")))
DEPENDS: dict[str, tuple[str, ...]] = {
    "formulation": _THEORY,
    "eigen": _THEORY,
    "perturbation": _THEORY,
    "spectrum": _THEORY,
    "fig2": _THEORY,
    "fig9": _THEORY,
    "cone": _THEORY,
    # Chapter 5's floors use only these (metrics.floors and what it imports); NND,
    # neighbours and samplers do not feed them.
    "data_metrics": tuple(f"overgan_lib/metrics/{m}.py" for m in (
        "floors", "fid", "reference", "inception")) + ("overgan_lib/data",),
    "li2018": ("overgan_lib/related/mixture.py", "overgan_lib/related/dynamics.py",
               "overgan_lib/related/experiments.py"),
    "generalization_baselines": (*_GENERALIZATION, "overgan_lib/data"),
    "nnd_floor": (*_GENERALIZATION, "overgan_lib/metrics/nnd_floor.py", "overgan_lib/data"),
    "nnd_fit_views": (*_GENERALIZATION, "overgan_lib/metrics/nnd_fit_views.py",
                      "overgan_lib/data"),
    # A sweep's crossed critics score its kept generators (train.load_generator).
    "nnd_crossover": (*_GENERALIZATION, "overgan_lib/metrics/nnd_crossover.py",
                      "overgan_lib/data", "overgan_lib/train", "overgan_lib/models.py"),
    "neighbour_baselines": (*_GENERALIZATION, "overgan_lib/data"),
    "generalization": (*_GENERALIZATION, "overgan_lib/data", "overgan_lib/train",
                       "overgan_lib/models.py"),
    "generalization_fid": (*_GENERALIZATION, "overgan_lib/metrics/memorisation.py",
                           "overgan_lib/data"),
    "jelassi_2d": ("overgan_lib/related/pacgan.py", "overgan_lib/related/jelassi.py",
                   "overgan_lib/related/grafting.py",
                   "overgan_lib/optim.py"),
    "jelassi_mnist": ("overgan_lib/related/digits.py", "overgan_lib/related/jelassi.py",
                      *_TRAINING),
    "train": _TRAINING,
    # Benches measure the speed of this code (on the machine their record names).
    "bench_nnd": ("overgan_lib/metrics/nnd", "overgan_lib/bench/nnd.py",
                  "overgan_lib/bench/timing.py"),
    "bench_heatmap": ("overgan_lib/related/mixture.py", "overgan_lib/related/dynamics.py",
                      "overgan_lib/related/experiments.py", "overgan_lib/bench/heatmap.py"),
    "bench_theory": (*_THEORY, "overgan_lib/bench/theory.py", "overgan_lib/bench/timing.py",
                     "overgan_lib/bench/load.py", "overgan_lib/threads.py"),
    # The training benches (engine vs reference, a CPU sweep, graphed runs together on a GPU)
    # all live in bench/training.py.
    **{f"bench_{name}": (*_TRAINING, "overgan_lib/bench/training.py",
                         "overgan_lib/bench/timing.py", "overgan_lib/bench/load.py",
                         "overgan_lib/threads.py") for name in ("train", "sweep", "gpu_sweep")},
    # FID on a device vs the CPU (and overgan's tensor path vs pytorch-fid's files).
    "bench_fid": ("overgan_lib/metrics/fid.py", "overgan_lib/metrics/inception.py",
                  "overgan_lib/metrics/reference.py", "overgan_lib/data",
                  "overgan_lib/images.py", "overgan_lib/bench/fid.py",
                  "overgan_lib/bench/timing.py"),
    # A sweep's summary record also stores the data's FID floor at its N (metrics.floors).
    **{f"sweep_{name}": (*_TRAINING, "overgan_lib/metrics/floors.py") for name in (
        "mnist_mlp", "cifar10_dcgan", "cifar10_resnet", "celeba_dcgan", "celeba_resnet",
        "cifar10_resnet_d", "cifar10_resnet_g")},
    # Chapter 7's eval- against train-mode FID of a sweep's first-seed generators (kept, or
    # the runs trained again where they are not on the machine).
    "sampling_mode": (*_TRAINING, "overgan_lib/sweep/sampling_mode.py",
                      "overgan_lib/sweep/restore.py"),
    # A comparison of a stored result with its recomputation (``overgan reproduce``): what it
    # compared is named in its config; the status page shows it only while that record stands.
    "reproduce": ("overgan_lib/reproduce.py",),
}


# Code only a CUDA device runs (the graphed engine captures one iteration as a CUDA graph; the
# CPU path never constructs it): a change there cannot change a result computed on the CPU.
GPU_ONLY: tuple[str, ...] = ("overgan_lib/train/graphed.py",)


def depends_for(experiment: str, device: str) -> tuple[str, ...]:
    """:data:`DEPENDS` of ``experiment`` as a git pathspec for a record computed on ``device``
    (its provenance's ``device``, e.g. ``cpu:…`` or ``cuda:…``): GPU-only code is excluded
    for a result computed anywhere but on a CUDA device."""
    paths = DEPENDS.get(experiment, ("overgan_lib",))
    if str(device).startswith("cuda"):
        return paths
    return (*paths, *(f":(exclude){p}" for p in GPU_ONLY
                      if any(p == d or p.startswith(d.rstrip("/") + "/") for d in paths)))

