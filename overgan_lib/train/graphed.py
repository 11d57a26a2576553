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

Each engine captures and replays on its own CUDA stream (:attr:`GraphedEngine.stream`).
PyTorch keys the cuBLAS/cuBLASLt workspace by (handle, stream), and a captured GEMM keeps
the workspace pointer it was captured with: graphs captured on one shared stream (the
default of ``torch.cuda.graph``) would all point at the same scratch memory and race on it
when replayed at once on different streams. :meth:`GraphedEngine.iteration` orders its
stream after the caller's current stream and the caller's after it (events, no host sync),
so callers may replay several engines, each from its own current stream, and they overlap.
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
        # uint8 -> [-1, 1] by table, the table computed on the CPU: CUDA's true division by a
        # scalar multiplies by its reciprocal, 1 ulp off the CPU's quotient for 111 of the 256
        # levels, and Adam's normalised steps grow that to beyond the eager engine's batches
        # within a few iterations (the cuda test compares the two)
        self.levels = data.to_model_range(torch.arange(256, dtype=torch.uint8)).to(self.device)
        n, b = cfg.n_critic, cfg.batch_size
        dev = self.device
        self.z = torch.empty(n + 1, b, Z_DIM, device=dev)
        self.alpha = torch.empty((n,) + self.engine.alpha_shape, device=dev)
        self.idx = torch.zeros(chunk, n, b, dtype=torch.long, device=dev)
        self.ptr = torch.zeros(1, dtype=torch.long, device=dev)
        self.out = torch.zeros(4, device=dev)
        self.left = 0  # iterations left in the current index chunk
        self.graph: torch.cuda.CUDAGraph | None = None
        # capture and replay stream of this engine's graph (its own cuBLAS workspace)
        self.stream = (torch.cuda.Stream(self.device)
                       if capture and self.device.type == "cuda" else None)

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
            real = self._scaled(self.images.index_select(0, ids[c]))
            d = self.engine.critic_step(real, self.z[c], self.alpha[c])
        g = self.engine.generator_step(self.z[-1])
        self.out.copy_(torch.cat([d, g[None]]))
        self.ptr.add_(1)

    def _scaled(self, batch: torch.Tensor) -> torch.Tensor:
        """uint8 images as float in [-1, 1], bitwise :func:`overgan_lib.data.to_model_range`
        on the CPU (a lookup in :attr:`levels`)."""
        return self.levels.index_select(0, batch.reshape(-1).long()).view(batch.shape)

    def _refill(self) -> None:
        """Copy the next ``chunk`` iterations' batch indices to the device (outside the graph).

        On a GPU the copy is from pinned memory and asynchronous: from pageable memory it
        would block the host until this engine's stream drained, once per chunk."""
        n = self.cfg.n_critic
        start = self.order.index
        rows = [torch.stack([self.order.indices(start + i * n + c) for c in range(n)])
                for i in range(self.chunk)]
        host = torch.stack(rows)
        on_gpu = self.device.type == "cuda"
        self.idx.copy_(host.pin_memory() if on_gpu else host, non_blocking=on_gpu)
        self.ptr.zero_()
        self.left = self.chunk

    def iteration(self) -> torch.Tensor:
        """One generator iteration; returns (L_D, W, GP, L_G) of the last critic step.

        With a captured graph, the index refill, the noise draws and the replay go to this
        engine's :attr:`stream`, after whatever the caller's current stream holds (e.g. the
        previous result's copy); the returned copy is made on the caller's stream after
        the replay. No host sync.
        """
        if self.graph is None:
            self._step()
            return self.out.clone()
        caller = torch.cuda.current_stream(self.device)
        self.stream.wait_stream(caller)
        with torch.cuda.stream(self.stream):
            self._step()
        caller.wait_stream(self.stream)
        return self.out.clone()

    def _step(self) -> None:
        if self.left == 0:
            self._refill()
        self.engine.draw(self.z, self.alpha)
        if self.graph is not None:
            self.graph.replay()
        else:
            self._body()
        self.left -= 1
        self.order.index += self.cfg.n_critic

    # ------------------------------------------------------------------ capture
    def warm_up(self, iterations: int = WARMUP) -> None:
        """Run ``iterations`` eager iterations, then undo them *in place*.

        The optimisers' state must exist before capture (a fresh Adam creates it in its first
        step; created inside the capture, every replay would reset it), and capture must start
        from the run's true state. So: remember parameters, buffers, optimiser state and RNG;
        iterate (this creates the state); copy everything back into the same tensors, with
        state that did not exist before set to zero (a zero Adam state with step 0 is exactly
        a fresh one). ``Optimizer.load_state_dict`` would instead replace the state tensors.
        """
        eng = self.engine
        tensors = [*eng.G.parameters(), *eng.G.buffers(), *eng.D.parameters(), *eng.D.buffers()]
        saved = [t.detach().clone() for t in tensors]
        opt_saved = [{id(p): {k: v.detach().clone() for k, v in opt.state[p].items()
                              if torch.is_tensor(v)}
                      for g in opt.param_groups for p in g["params"] if p in opt.state}
                     for opt in (eng.opt_g, eng.opt_d)]
        rng, position = eng.rng.get_state(), self.order.index
        for _ in range(iterations):
            self.iteration()
        with torch.no_grad():
            for t, v in zip(tensors, saved, strict=True):
                t.copy_(v)
            for opt, before in zip((eng.opt_g, eng.opt_d), opt_saved, strict=True):
                for g in opt.param_groups:
                    for p in g["params"]:
                        for k, v in opt.state[p].items():
                            if torch.is_tensor(v):
                                old = before.get(id(p), {}).get(k)
                                v.copy_(old) if old is not None else v.zero_()
        eng.rng.set_state(rng)
        self.order.index, self.left = position, 0

    def optimiser_state_ready(self) -> bool:
        """Every parameter of a stateful optimiser has its state (what capture needs; see
        :meth:`warm_up`). A stateless optimiser (``sgda``: SGD without momentum keeps
        nothing between steps) is always ready."""
        return all(p in opt.state and any(torch.is_tensor(v) for v in opt.state[p].values())
                   for opt in (self.engine.opt_g, self.engine.opt_d) if not _stateless(opt)
                   for g in opt.param_groups for p in g["params"])

    def capture_graph(self) -> None:
        """Warm up (undone), then capture one iteration as a CUDA graph, both on this
        engine's own :attr:`stream` (a side stream, as capture needs).

        Call after any checkpoint is loaded: loading replaces optimiser state tensors,
        which a captured graph would no longer see.
        """
        if not self.capture or self.graph is not None:
            return
        own = self.stream
        caller = torch.cuda.current_stream(self.device)
        own.wait_stream(caller)
        with torch.cuda.stream(own):
            self.warm_up()
            if not self.optimiser_state_ready():
                raise RuntimeError("optimiser state missing before capture; it would be reset "
                                   "by every replay")
            self._refill()
            rng = self.engine.rng.get_state()
            self.engine.draw(self.z, self.alpha)  # valid inputs for capture; redrawn each replay
            graph = torch.cuda.CUDAGraph()
            # captured on this engine's own stream: its GEMMs get this stream's cuBLAS
            # workspace, not one shared with every other engine's graph
            with torch.cuda.graph(graph, stream=own):
                self._body()
            self.engine.rng.set_state(rng)
            self.ptr.zero_()
        caller.wait_stream(own)
        self.graph = graph

    # ------------------------------------------------------------------ state
    def state_dict(self) -> dict[str, Any]:
        return self.engine.state_dict()

    def load_state_dict(self, sd: dict[str, Any], batches: int) -> None:
        if self.graph is not None:
            raise RuntimeError("load state before capture_graph(): the graph holds the old "
                               "optimiser state tensors")
        self.engine.load_state_dict(sd)
        if self.capture:
            # Optimizer.load_state_dict copies the saved param_groups, ``capturable`` included:
            # a checkpoint of the eager engine (capturable=False) would make capture fail.
            for opt in (self.engine.opt_g, self.engine.opt_d):
                for g in opt.param_groups:
                    if "capturable" in g:
                        g["capturable"] = True
        self.order.index, self.left = batches, 0


def _stateless(opt: torch.optim.Optimizer) -> bool:
    """An optimiser that keeps no state between steps (plain SGD, no momentum)."""
    return type(opt) is torch.optim.SGD and all(
        g.get("momentum", 0) == 0 for g in opt.param_groups)

