"""WGAN-GP training of the Sec. 3 models (App. D settings), split the way Mimicry splits it:

- :mod:`.config`: what a run computes (:class:`TrainConfig`, hashed) and how it is executed
  (:class:`RunOptions`, not hashed);
- :mod:`.losses`: the one WGAN-GP critic loss and generator loss;
- :mod:`.engine`: the eager engine (CPU path, and the reference for the graphed one);
- :mod:`.graphed`: one generator iteration as a CUDA graph (GPU path);
- :mod:`.stream`: the data order, a pure function of (seed, batch);
- :mod:`.checkpoints`, :mod:`.evaluation`, :mod:`.weights` (kept generators);
- :mod:`.loop`: the trainer (:func:`train`, :func:`train_many`) that loops, logs, evaluates,
  checkpoints and stores;
- :mod:`.reference`: the plain PyTorch-GAN-style loop the benches and tests compare with.
"""

from .activations import MaskedActivation, mask_activations
from .checkpoints import checkpoint_path, load_checkpoint, save_checkpoint
from .config import DATASETS, CheckpointError, RunOptions, TrainConfig
from .engine import Engine, build_models
from .evaluation import evaluate, sample
from .graphed import GraphedEngine
from .loop import EXPERIMENT, Run, TrainState, grid_path, store_payload, train, train_many
from .stream import BatchStream
from .weights import generator_blob, load_generator, store_generator, weights_dir

__all__ = [
    "DATASETS", "EXPERIMENT", "BatchStream", "CheckpointError", "Engine", "GraphedEngine",
    "MaskedActivation", "Run", "RunOptions", "TrainConfig", "TrainState", "build_models",
    "checkpoint_path", "evaluate", "generator_blob", "grid_path", "load_checkpoint",
    "load_generator", "mask_activations", "sample", "save_checkpoint",
    "store_generator", "store_payload", "train", "train_many", "weights_dir",
]
