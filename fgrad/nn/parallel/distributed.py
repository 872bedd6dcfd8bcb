"""``DistributedDataParallel``: one model replica per process, gradients averaged in buckets.

As PyTorch's: at wrap time every process takes rank 0's parameters and buffers;
the parameters are cut into buckets (in reverse order of ``parameters()``, by
dtype and device, each closed once it holds ``bucket_cap_mb``, the first at
1 MiB under the default cap), and during ``backward()`` each parameter's post-accumulate
hook marks it ready; a bucket whose gradients are all ready is copied into one
flat buffer and its sum started with a non-blocking all-reduce (``Iallreduce``
on MPI, NCCL's on GPUs), buckets in the same order on every process. A callback
at the end of the backward pass waits for them and writes the average back into
each ``.grad``. Inside ``no_sync()`` gradients only accumulate locally; the next
``backward()`` outside it averages the accumulated gradients.
"""
from __future__ import annotations

import contextlib
from typing import Any

import numpy as np

from ...facade import grad_mode as _grad_mode
from ...distributed import _c10d
from ...facade.tape import _engine
from ...facade.tensor import Tensor
from ..modules import Module

FIRST_BUCKET_BYTES = 1024 * 1024          # PyTorch's _DEFAULT_FIRST_BUCKET_BYTES

UNUSED = ("Expected to have finished reduction in the prior iteration before starting a new "
          "one. This error indicates that your module has parameters that were not used in "
          "producing loss. You can enable unused parameter detection by passing the keyword "
          "argument `find_unused_parameters=True` to `fgrad.nn.parallel."
          "DistributedDataParallel`, and by making sure all `forward` function outputs "
          "participate in calculating loss. Parameter indices which did not receive grad for "
          "rank {rank}: {indices}")


class _Bucket:
    """Parameters whose gradients travel in one flat buffer."""

    def __init__(self, index, params, group):
        self.index = index
        self.params = params                    # [(parameter index, Parameter)]
        first = params[0][1]
        self.device = first._device
        self.native = group.native(self.device)
        xp = self.device.xp if self.native else np
        self.sizes = [p.numel() for _, p in params]
        self.offsets = np.concatenate([[0], np.cumsum(self.sizes)]).astype(int).tolist()
        self.buffer = xp.empty(self.offsets[-1], first._data.dtype)
        self.reset()

    def reset(self):
        self.pending = len(self.params)
        self.work = None
        self.local_used = [False] * len(self.params)

    def pack(self):
        """Copy the gradients into the flat buffer (zeros for a parameter with none)."""
        for k, (_, p) in enumerate(self.params):
            part = self.buffer[self.offsets[k]:self.offsets[k + 1]]
            g = p._grad
            if g is None:
                part[...] = 0
            else:
                data = g._data if self.native else self.device.to_host(g._data)
                part[...] = data.reshape(-1)
                self.local_used[k] = True


class DistributedDataParallel(Module):
    """Data parallelism over the processes of a group, as ``torch.nn.parallel.
    DistributedDataParallel``: wrap the model once ``init_process_group`` has run, train
    as usual, and every process ends each ``backward()`` with the gradients of the whole
    (global) batch, averaged over the processes.

    ``device_ids``/``output_device`` are accepted for compatibility (the model stays
    where it is); ``find_unused_parameters=True`` lets parameters get no gradient in a
    step (those unused on every process keep ``.grad`` unchanged).
    """

    def __init__(self, module: Module, device_ids=None, output_device=None, dim: int = 0,
                 broadcast_buffers: bool = True, process_group=None,
                 bucket_cap_mb: float | None = None, find_unused_parameters: bool = False,
                 check_reduction: bool = False, gradient_as_bucket_view: bool = False,
                 static_graph: bool = False, **kwargs: Any):
        super().__init__()
        if not isinstance(module, Module):
            raise TypeError(f"DistributedDataParallel wraps an fgrad.nn.Module, got "
                            f"{type(module).__name__}")
        group = _c10d._group(process_group)
        self.module = module
        object.__setattr__(self, "process_group", group)
        self.broadcast_buffers = broadcast_buffers
        self.find_unused_parameters = find_unused_parameters
        self.require_backward_grad_sync = True
        self.bucket_bytes_cap = int((25 if bucket_cap_mb is None else bucket_cap_mb)
                                    * 1024 * 1024)
        # PyTorch's: a small first bucket (its gradients are ready first) under the default cap
        self._first_bucket_bytes = min(FIRST_BUCKET_BYTES, self.bucket_bytes_cap) \
            if bucket_cap_mb is None else self.bucket_bytes_cap
        params = [p for p in module.parameters() if p.requires_grad]
        self._params = params
        self._sync_state()
        self._buckets = self._assign_buckets(params, group)
        self._bucket_of = {}
        for b in self._buckets:
            for k, (i, _) in enumerate(b.params):
                self._bucket_of[i] = (b, k)
        self._next = 0                 # the next bucket to start (same order everywhere)
        self._pass = None              # the backward pass being synchronised
        self._unused_error = None
        self._handles = [p.register_post_accumulate_grad_hook(self._hook(i))
                         for i, p in enumerate(params)]

    # -- setup -----------------------------------------------------------------------
    def _sync_state(self) -> None:
        """Every process takes rank 0's parameters and buffers."""
        g = self.process_group
        if g.size == 1:
            return
        with _grad_mode.no_grad():
            for t in list(self.module.parameters()) + list(self.module.buffers()):
                _c10d.broadcast(t, 0, group=g)

    def _assign_buckets(self, params, group):
        """PyTorch's assignment: reverse parameter order, one dtype and device per bucket,
        a bucket closed once it reaches its cap (1 MiB for the first under the default cap)."""
        open_, buckets = {}, []
        limits = {}
        for i in reversed(range(len(params))):
            p = params[i]
            key = (p._data.dtype, p._device)
            cur = open_.setdefault(key, [[], 0])
            cur[0].append((i, p))
            cur[1] += p.numel() * p._data.dtype.itemsize
            limit = limits.get(key, self._first_bucket_bytes)
            if cur[1] >= limit:
                buckets.append(cur[0])
                limits[key] = self.bucket_bytes_cap
                del open_[key]
        buckets.extend(c[0] for c in open_.values())
        return [_Bucket(j, b, group) for j, b in enumerate(buckets)]

    # -- the backward pass ---------------------------------------------------------------
    def _hook(self, i):
        def hook(param):
            if not self.require_backward_grad_sync:
                return
            if self._pass is not _engine.callbacks:       # the first gradient of a pass
                if self._pass is not None:                # an earlier pass raised midway
                    self._abandon()
                self._pass = _engine.callbacks
                _engine.queue_callback(self._finish)
            bucket, _ = self._bucket_of[i]
            bucket.pending -= 1
            self._launch_ready()
        return hook

    def _launch(self, bucket) -> None:
        bucket.pack()
        bucket.work = self.process_group.allreduce_(bucket.buffer, "sum", async_op=True)

    def _launch_ready(self) -> None:
        buckets = self._buckets
        while self._next < len(buckets) and buckets[self._next].pending == 0:
            self._launch(buckets[self._next])
            self._next += 1

    def _finish(self) -> None:
        """End of backward: start what is left (parameters without a gradient count as
        zeros), wait for every bucket and write the averages into ``.grad``."""
        g = self.process_group
        try:
            while self._next < len(self._buckets):
                self._launch(self._buckets[self._next])
                self._next += 1
            used = np.zeros(len(self._params), np.int32)
            for b in self._buckets:
                for k, (i, _) in enumerate(b.params):
                    used[i] = b.local_used[k]
            if self.find_unused_parameters and g.size > 1:   # used on any process?
                g.comm.Allreduce(g.MPI.IN_PLACE, used, g.MPI.MAX)
            unused = []
            for b in self._buckets:
                b.work.wait()
                buf = b.buffer
                buf /= g.size
                for k, (i, p) in enumerate(b.params):
                    part = buf[b.offsets[k]:b.offsets[k + 1]].reshape(tuple(p.shape))
                    value = part if b.native else b.device.from_host(part)
                    if p._grad is not None:
                        p._device.xp.copyto(p._grad._writable(), value)
                        p._grad._vc[0] += 1
                        continue
                    if not self.find_unused_parameters:
                        unused.append(i)
                    elif not used[i]:
                        continue                  # unused on every process: no gradient
                    p._grad = Tensor._wrap(p._device.xp.array(value, copy=True), p._device)
            if unused:
                self._unused_error = UNUSED.format(rank=g.rank, indices=sorted(unused))
        finally:
            self._reset()

    def _reset(self) -> None:
        self._next = 0
        self._pass = None
        for b in self._buckets:
            b.reset()

    def _abandon(self) -> None:
        """Forget a pass that raised before its end, once its started buckets are done (so
        every process still issues the same collectives in the same order)."""
        for b in self._buckets:
            if b.work is not None:
                b.work.wait()
        self._reset()

    # -- module ---------------------------------------------------------------------
    def forward(self, *inputs, **kwargs):
        if self._unused_error is not None and self.require_backward_grad_sync:
            msg, self._unused_error = self._unused_error, None
            raise RuntimeError(msg)
        if self.broadcast_buffers and self.process_group.size > 1:
            buffers = list(self.module.buffers())
            if buffers:
                with _grad_mode.no_grad():
                    for b in buffers:
                        _c10d.broadcast(b, 0, group=self.process_group)
        return self.module(*inputs, **kwargs)

    @contextlib.contextmanager
    def no_sync(self):
        """Inside, ``backward()`` only accumulates gradients locally (no communication);
        the first ``backward()`` after it averages the accumulated gradients."""
        old = self.require_backward_grad_sync
        self.require_backward_grad_sync = False
        try:
            yield
        finally:
            self.require_backward_grad_sync = old

    def extra_repr(self) -> str:
        return ""

