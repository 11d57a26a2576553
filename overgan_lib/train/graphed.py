"""The GPU training path: one generator iteration captured as one CUDA graph.

The eager engine is launch-bound on a GPU (every DCGAN width from k=8 to k=128 costs the
same time per iteration). Here the training images live on the device, every tensor the
iteration touches is a static buffer, and the whole iteration (``n_critic`` critic steps
with the gradient penalty's double backward, one generator step, fused ``capturable``
Adam) is captured once with ``torch.cuda.graph`` and replayed. ``torch.compile`` cannot do
this (no double backward through aot_autograd) and neither can ``make_graphed_callables``.

What stays outside the graph, per iteration: the noise draws (from the run's own
generator, in exactly the eager engine's order, so both see the same random numbers) and a
copy of the batch indices every :data:`CHUNK` iterations (the order is the same pure
function of (seed, batch) as on the CPU). Nothing reads back to the host until the caller
does, at log, evaluation and checkpoint steps.

Without ``capture`` the same static-buffer body runs eagerly; that is how the CPU tests
check it against :class:`~overgan_lib.train.engine.Engine` bitwise. The captured graph
only points at memory: the engine keeps its models, optimisers and buffers alive as long
as the graph (dropping them made replay segfault on an H200).
"""

from __future__ import annotations

from typing import Any

import torch

from .. import data
from ..models import Z_DIM
from .config import TrainConfig
from .engine import Engine
from .stream import BatchStream

CHUNK = 256  # iterations of batch indices copied to the device at once
WARMUP = 3  # eager iterations on a side stream before capture (then undone)


class GraphedEngine:
    """Static-buffer generator iterations, captured as a CUDA graph when ``capture``."""

    def __init__(self, cfg: TrainConfig, images: torch.Tensor, device: str = "cuda",
                 capture: bool = True, start: int = 0, chunk: int = CHUNK):
        self.cfg, self.device, self.capture = cfg, torch.device(device), capture
        self.chunk = chunk
        self.engine = Engine(cfg, device, capturable=capture)
        self.order = BatchStream(images, cfg.batch_size, cfg.seed, start)
        self.images = images.to(self.device)  # resident: no host-to-device copy per batch
        n, b = cfg.n_critic, cfg.batch_size
        dev = self.device
        self.z = torch.empty(n + 1, b, Z_DIM, device=dev)
        self.alpha = torch.empty((n,) + self.engine.alpha_shape, device=dev)
        self.idx = torch.zeros(chunk, n, b, dtype=torch.long, device=dev)
        self.ptr = torch.zeros(1, dtype=torch.long, device=dev)
        self.out = torch.zeros(4, device=dev)
        self.left = 0  # iterations left in the current index chunk
        self.graph: torch.cuda.CUDAGraph | None = None

    @property
    def G(self) -> torch.nn.Module:
        return self.engine.G

    @property
    def D(self) -> torch.nn.Module:
        return self.engine.D

    @property
    def batches(self) -> int:
        """Batches consumed so far (the data-order position a checkpoint stores)."""
        return self.order.index

    # ------------------------------------------------------------------ the body
    def _body(self) -> None:
        """One iteration from the static buffers (what the graph holds)."""
        ids = self.idx.index_select(0, self.ptr)[0]
        for c in range(self.cfg.n_critic):
            real = data.to_model_range(self.images.index_select(0, ids[c]))
            d = self.engine.critic_step(real, self.z[c], self.alpha[c])
        g = self.engine.generator_step(self.z[-1])
        self.out.copy_(torch.cat([d, g[None]]))
        self.ptr.add_(1)

    def _refill(self) -> None:
        """Copy the next ``chunk`` iterations' batch indices to the device (outside the graph)."""
        n = self.cfg.n_critic
        start = self.order.index
        rows = [torch.stack([self.order.indices(start + i * n + c) for c in range(n)])
                for i in range(self.chunk)]
        self.idx.copy_(torch.stack(rows))
        self.ptr.zero_()
        self.left = self.chunk

    def iteration(self) -> torch.Tensor:
        """One generator iteration; returns (L_D, W, GP, L_G) of the last critic step."""
        if self.left == 0:
            self._refill()
        self.engine.draw(self.z, self.alpha)
        if self.graph is not None:
            self.graph.replay()
        else:
            self._body()
        self.left -= 1
        self.order.index += self.cfg.n_critic
        return self.out.clone()

    # ------------------------------------------------------------------ capture
    def capture_graph(self) -> None:
        """Warm up on a side stream, undo the warm-up, capture one iteration.

        Call after any checkpoint is loaded: loading replaces optimiser state tensors,
        which a captured graph would no longer see.
        """
        if not self.capture or self.graph is not None:
            return
        saved = _clone(self.engine.state_dict())
        position = self.order.index
        side = torch.cuda.Stream(self.device)
        side.wait_stream(torch.cuda.current_stream(self.device))
        with torch.cuda.stream(side):
            for _ in range(WARMUP):
                self.iteration()
        torch.cuda.current_stream(self.device).wait_stream(side)
        self.engine.load_state_dict(saved)  # the warm-up must not count
        self.order.index, self.left = position, 0
        self._refill()
        rng = self.engine.rng.get_state()
        self.engine.draw(self.z, self.alpha)  # valid inputs for capture; redrawn each replay
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            self._body()
        self.engine.rng.set_state(rng)
        self.ptr.zero_()
        self.graph = graph

    # ------------------------------------------------------------------ state
    def state_dict(self) -> dict[str, Any]:
        return self.engine.state_dict()

    def load_state_dict(self, sd: dict[str, Any], batches: int) -> None:
        if self.graph is not None:
            raise RuntimeError("load state before capture_graph(): the graph holds the old "
                               "optimiser state tensors")
        self.engine.load_state_dict(sd)
        self.order.index, self.left = batches, 0


def _clone(obj: Any) -> Any:
    if isinstance(obj, torch.Tensor):
        return obj.detach().clone()
    if isinstance(obj, dict):
        return {k: _clone(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return type(obj)(_clone(v) for v in obj)
    return obj
