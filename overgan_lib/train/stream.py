"""The order in which a run sees its training images: a pure function of (seed, batch).

Each epoch is a fresh permutation from a generator seeded with (seed, epoch), so a resumed
run needs only the batch counter to continue the same sequence, and the graphed engine,
which gathers batches on the GPU, sees exactly the batches of the eager one.
"""

from __future__ import annotations

import torch

from .. import data
from ..errors import ParameterError


class BatchStream:
    """Minibatches of the training split in the order of :meth:`indices`."""

    def __init__(self, images: torch.Tensor, batch_size: int, seed: int, start: int = 0):
        if len(images) < batch_size:
            raise ParameterError(f"batch_size={batch_size} exceeds the {len(images)} images")
        self.images, self.batch_size, self.seed, self.index = images, batch_size, seed, start
        self.per_epoch = len(images) // batch_size
        self._epoch, self._perm = -1, torch.empty(0, dtype=torch.long)

    def indices(self, index: int) -> torch.Tensor:
        """Image indices of batch number ``index`` (the remainder of an epoch is dropped)."""
        epoch, j = divmod(index, self.per_epoch)
        if epoch != self._epoch:
            g = torch.Generator().manual_seed(self.seed * 100_003 + epoch)
            self._epoch, self._perm = epoch, torch.randperm(len(self.images), generator=g)
        return self._perm[j * self.batch_size:(j + 1) * self.batch_size]

    def next(self) -> torch.Tensor:
        """The next batch as float images in [-1, 1]."""
        idx = self.indices(self.index)
        self.index += 1
        return data.to_model_range(self.images[idx])
