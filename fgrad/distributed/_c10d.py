"""The default process group and the collectives, with ``torch.distributed``'s names.

On facade ``Tensor``s the collectives work in place, as PyTorch's do
(``all_reduce(t)`` leaves the sum in ``t``; ``async_op=True`` returns a
``Work`` to ``wait()`` on). On ``Array``s, NumPy arrays and pytrees of them
they are functions returning a new tree (``all_reduce(grads, op="mean")``),
built on the collective primitives, so they work under ``jit``, ``grad`` and
``vmap``.
"""
from __future__ import annotations

import os

import numpy as np

from .. import cuda as _cuda
from ..numpy import asarray as _asarray, concatenate as _concatenate, ravel as _ravel
from ..primitives import collective as C
from ..facade.tensor import Tensor
from ..transforms.core import Tracer, aval_of
from ..tree_util import tree_flatten, tree_map, tree_unflatten
from ._backend import (LocalGroup, MPIGroup, NCCLGroup, ProcessGroup, ReduceOp, Work,
                       abort_on_exception, mpi_available, op_name, _mpi)

NOT_INITIALIZED = ("Default process group has not been initialized, please make sure to "
                   "call init_process_group.")

# Leaves of a pytree smaller than this share one collective (see ``_fused``).
FUSE_BYTES = 64 * 1024

_default: list = [None]          # the default ProcessGroup once initialized
_hook: list = [None]             # the excepthook init_process_group replaced


class group:
    """``dist.group.WORLD``: the default group (``None`` stands for it, as in PyTorch)."""
    WORLD = None


# ================================================================== the group ===
def is_available() -> bool:
    """Whether fgrad.distributed can run: mpi4py is installed (``pip install 'fgrad[mpi]'``).

    >>> import fgrad.distributed as dist
    >>> isinstance(dist.is_available(), bool)
    True
    """
    return mpi_available()


def is_mpi_available() -> bool:
    return mpi_available()


def is_nccl_available() -> bool:
    """Whether the 'nccl' backend can run: mpi4py, CuPy and a GPU."""
    return mpi_available() and _cuda.is_available()


def is_initialized() -> bool:
    """Whether ``init_process_group`` has run (and ``destroy_process_group`` has not).

    >>> import fgrad.distributed as dist
    >>> dist.is_initialized()
    False
    """
    return _default[0] is not None


def init_process_group(backend: str | None = None, init_method=None, timeout=None,
                       world_size: int = -1, rank: int = -1, store=None, group_name: str = "",
                       pg_options=None, device_id=None) -> None:
    """Join the processes ``mpiexec -n N python train.py`` started into the default group.

    ``backend``: ``"mpi"`` (mpi4py on host arrays), ``"nccl"`` (CuPy's NCCL on CUDA
    arrays, bootstrapped over MPI) or ``None`` (``"nccl"`` when CUDA is available, else
    ``"mpi"``); ``"gloo"`` is accepted as PyTorch scripts' CPU backend and runs on MPI.
    Run without ``mpiexec``, the world is this one process. ``world_size`` and
    ``rank``, when given, must agree with what ``mpiexec`` started. An uncaught
    exception in any process then aborts the whole job (instead of leaving the other
    processes waiting forever in a collective).
    """
    if _default[0] is not None:
        raise ValueError("trying to initialize the default process group twice!")
    if backend is None:
        backend = "nccl" if _cuda.is_available() else "mpi"
    name = str(backend).lower()
    if name not in ("mpi", "gloo", "nccl"):
        raise ValueError(f"Invalid backend: '{backend}': fgrad.distributed runs on 'mpi' "
                         "(mpi4py) and 'nccl' (CuPy)")
    MPI = _mpi()
    comm = MPI.COMM_WORLD
    if world_size not in (-1, None) and world_size != comm.Get_size():
        raise ValueError(f"init_process_group: world_size={world_size}, but this job has "
                         f"{comm.Get_size()} processes (launch with mpiexec -n {world_size})")
    if rank not in (-1, None) and rank != comm.Get_rank():
        raise ValueError(f"init_process_group: rank={rank}, but MPI gave this process rank "
                         f"{comm.Get_rank()}")
    pg = NCCLGroup(comm) if name == "nccl" else MPIGroup(comm)
    _default[0] = pg
    group.WORLD = pg
    _hook[0] = abort_on_exception(pg)


def destroy_process_group(group=None) -> None:
    """Leave the default group (MPI itself is finalized when Python exits)."""
    import sys
    if _default[0] is None:
        raise ValueError(NOT_INITIALIZED)
    _default[0] = None
    globals()["group"].WORLD = None
    if _hook[0] is not None:
        sys.excepthook = _hook[0]
        _hook[0] = None


def _group(g=None) -> ProcessGroup:
    if g is not None:
        if not isinstance(g, ProcessGroup):
            raise TypeError(f"group must be a process group or None, got {type(g).__name__}")
        return g
    pg = _default[0]
    if pg is None:
        raise ValueError(NOT_INITIALIZED)
    return pg


def get_rank(group=None) -> int:
    """This process's rank in the group (0 ... world size - 1)."""
    return _group(group).rank


def get_world_size(group=None) -> int:
    """The number of processes in the group."""
    return _group(group).size


def get_backend(group=None) -> str:
    return _group(group).backend


def barrier(group=None, async_op: bool = False, device_ids=None):
    """Wait until every process of the group reaches this call."""
    _group(group).barrier()
    return Work() if async_op else None


# ============================================================ tensors, in place ===
def _then(work: Work, fn) -> Work:
    """``work`` with ``fn`` run once it has completed (now, if it already has)."""
    if work._done:
        fn()
        return work
    first = work._finish

    def finish():
        if first is not None:
            first()
        fn()
    work._finish = finish
    return work


def _buffer(t: Tensor, g: ProcessGroup, write: bool):
    """A contiguous buffer of ``t`` the group works on in place, and a function that copies
    it back into ``t`` (None when the buffer is ``t``'s own storage)."""
    if not isinstance(t, Tensor):
        raise TypeError(f"expected a Tensor, got {type(t).__name__}")
    dev = t._device
    data = t._data
    if g.native(dev):
        if getattr(data, "flags", None) is not None and data.flags.c_contiguous and \
                (not write or data.flags.writeable):
            return data, None
        buf = dev.xp.array(data, copy=True, order="C")
    elif g.backend == "nccl":
        raise RuntimeError("Tensors must be CUDA and dense")
    else:
        buf = np.array(dev.to_host(data), copy=True, order="C")
    if not write:
        return buf, None

    def back():
        dev.xp.copyto(t._writable(), buf if g.native(dev) else dev.from_host(buf))
    return buf, back


def _written(t: Tensor, back):
    def finish():
        if back is not None:
            back()
        t._vc[0] += 1
    return finish


def _result(work: Work, async_op: bool):
    if async_op:
        return work
    work.wait()
    return None


def _traced(t: Tensor) -> bool:
    return isinstance(t._data, Tracer)


def _set_traced(t: Tensor, value) -> None:
    """Write the value of a collective into a tensor traced by a transform (jit, grad)."""
    t._data = value
    t._vc[0] += 1


def all_reduce(tensor, op=ReduceOp.SUM, group=None, async_op: bool = False):
    """Reduce across processes: in place on a ``Tensor`` (PyTorch's), or a new tree for
    Arrays and pytrees (``op`` a ``ReduceOp`` or 'sum', 'mean', 'max', 'min', 'prod').

    >>> import fgrad.distributed as dist
    >>> dist.all_reduce(1.0)
    Traceback (most recent call last):
    ...
    ValueError: Default process group has not been initialized, please make sure to call init_process_group.
    """
    g, name = _group(group), op_name(op)
    if not isinstance(tensor, Tensor):
        return _fused(tensor, lambda x: C.all_reduce(x, name, g))
    if _traced(tensor):
        _set_traced(tensor, C.all_reduce(tensor._data, name, g))
        return Work() if async_op else None
    buf, back = _buffer(tensor, g, True)
    return _result(_then(g.allreduce_(buf, name, async_op), _written(tensor, back)), async_op)


def broadcast(tensor, src: int = 0, group=None, async_op: bool = False):
    """Copy ``src``'s value to every process: in place on a ``Tensor``, a new tree otherwise."""
    g = _group(group)
    src = g.check_rank(src, "broadcast")
    if not isinstance(tensor, Tensor):
        return _fused(tensor, lambda x: C.broadcast(x, src, g))
    if _traced(tensor):
        _set_traced(tensor, C.broadcast(tensor._data, src, g))
        return Work() if async_op else None
    buf, back = _buffer(tensor, g, True)
    return _result(_then(g.broadcast_(buf, src, async_op), _written(tensor, back)), async_op)


def _check_list(name, tensors, g, like):
    if not isinstance(tensors, (list, tuple)) or len(tensors) != g.size:
        n = len(tensors) if isinstance(tensors, (list, tuple)) else type(tensors).__name__
        raise ValueError(f"{name}: the tensor list must have one tensor per process "
                         f"({g.size}), got {n}")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor) or tuple(t.shape) != tuple(like.shape) or \
                t._data.dtype != like._data.dtype:
            raise ValueError(f"{name}: tensor {i} of the list must have shape "
                             f"{list(like.shape)} and dtype {like.dtype}, like the input")


def _stacked(g, like, n):
    """A new contiguous buffer for ``n`` tensors like ``like``, native to the group."""
    shape = (n,) + tuple(like.shape)
    if g.native(like._device):
        return like._device.xp.empty(shape, like._data.dtype), like._device
    return np.empty(shape, like._data.dtype), like._device


def _to_device(buf, g, dev):
    return buf if g.native(dev) else dev.from_host(buf)


def _fill(dst: Tensor, value):
    dst._device.xp.copyto(dst._writable(), value)
    dst._vc[0] += 1


def all_gather(tensor_list, tensor=None, group=None, async_op: bool = False, *,
               tiled: bool = False):
    """Every process's ``tensor``: into ``tensor_list`` (PyTorch's, one tensor per process),
    or, called on an Array or a pytree, a new tree whose leaves are stacked along a new
    leading axis (JAX's; ``tiled=True`` concatenates along axis 0 instead)."""
    if tensor is None:
        g = _group(group)

        def gather(x):
            out = C.all_gather(_leaf(x), g)
            if tiled:
                out = out.reshape((-1,) + tuple(out.shape[2:])) if out.ndim > 1 else out
            return out
        return tree_map(gather, tensor_list)
    if not isinstance(tensor, Tensor):
        raise TypeError(f"all_gather(tensor_list, tensor): tensor must be a Tensor, got "
                        f"{type(tensor).__name__} (for Arrays and pytrees: all_gather(tree))")
    g = _group(group)
    _check_list("all_gather", tensor_list, g, tensor)
    send, _ = _buffer(tensor, g, False)
    out, dev = _stacked(g, tensor, g.size)

    def finish():
        value = _to_device(out, g, dev)
        for i, t in enumerate(tensor_list):
            _fill(t, value[i])
    return _result(_then(g.allgather_(send, out, async_op), finish), async_op)


def all_gather_into_tensor(output_tensor, input_tensor, group=None, async_op: bool = False):
    """Every process's ``input_tensor`` concatenated along dim 0 (or stacked) into
    ``output_tensor``, whose size is world size times the input's."""
    g = _group(group)
    if output_tensor.numel() != g.size * input_tensor.numel() or \
            output_tensor._data.dtype != input_tensor._data.dtype:
        raise ValueError(f"all_gather_into_tensor: output tensor must have {g.size} times the "
                         f"input's elements ({g.size} x {input_tensor.numel()}) and its dtype")
    send, _ = _buffer(input_tensor, g, False)
    out, back = _buffer(output_tensor, g, True)
    flat = out.reshape((g.size,) + tuple(send.shape))
    return _result(_then(g.allgather_(send, flat, async_op), _written(output_tensor, back)),
                   async_op)


def reduce_scatter(output, input_list=None, op=ReduceOp.SUM, group=None,
                   async_op: bool = False):
    """PyTorch's: ``output`` receives this process's entry of the reduction of
    ``input_list`` (one tensor per process). Called with one Array or pytree and no
    list: a new tree, each leaf the reduction tiled along axis 0 (leading axis split
    evenly among the processes, JAX's ``psum_scatter(..., tiled=True)``)."""
    name = op_name(op)
    if input_list is None:
        g = _group(group)
        return tree_map(lambda x: C.reduce_scatter(_leaf(x), name, g), output)
    g = _group(group)
    _check_list("reduce_scatter", input_list, g, output)
    send, dev = _stacked(g, output, g.size)
    for i, t in enumerate(input_list):
        send[i] = t._data if g.native(dev) else dev.to_host(t._data)
    out, back = _buffer(output, g, True)
    return _result(_then(g.reduce_scatter_(send, out.reshape((1,) + tuple(out.shape)), name,
                                           async_op), _written(output, back)), async_op)


def reduce_scatter_tensor(output, input, op=ReduceOp.SUM, group=None, async_op: bool = False):
    """``output`` receives this process's block (along dim 0) of the reduction of ``input``."""
    g = _group(group)
    if input.numel() != g.size * output.numel():
        raise ValueError(f"reduce_scatter_tensor: input must have {g.size} times the "
                         "output's elements")
    send, _ = _buffer(input, g, False)
    out, back = _buffer(output, g, True)
    send = send.reshape((g.size,) + tuple(out.shape))
    return _result(_then(g.reduce_scatter_(send, out.reshape((1,) + tuple(out.shape)),
                                           op_name(op), async_op),
                         _written(output, back)), async_op)


def reduce(tensor, dst: int = 0, op=ReduceOp.SUM, group=None, async_op: bool = False):
    """The reduction lands in ``tensor`` on process ``dst`` (the others' are unchanged)."""
    g = _group(group)
    dst = g.check_rank(dst, "reduce")
    buf, back = _buffer(tensor, g, True)
    if g.rank != dst:
        back = None
        if buf is tensor._data:            # MPI reads the others' buffers; keep them intact
            buf = buf.copy()
    done = _written(tensor, back) if g.rank == dst else (lambda: None)
    return _result(_then(g.reduce_(buf, dst, op_name(op), async_op), done), async_op)


def gather(tensor, gather_list=None, dst: int = 0, group=None, async_op: bool = False):
    """Every process's ``tensor`` into ``gather_list`` on process ``dst``."""
    g = _group(group)
    dst = g.check_rank(dst, "gather")
    send, _ = _buffer(tensor, g, False)
    if g.rank == dst:
        _check_list("gather", gather_list, g, tensor)
        out, dev = _stacked(g, tensor, g.size)

        def finish():
            value = _to_device(out, g, dev)
            for i, t in enumerate(gather_list):
                _fill(t, value[i])
    else:
        out, finish = None, (lambda: None)
    return _result(_then(g.gather_(send, out, dst, async_op), finish), async_op)


def scatter(tensor, scatter_list=None, src: int = 0, group=None, async_op: bool = False):
    """Process ``src``'s ``scatter_list[r]`` into ``tensor`` on each process ``r``."""
    g = _group(group)
    src = g.check_rank(src, "scatter")
    send = None
    if g.rank == src:
        _check_list("scatter", scatter_list, g, tensor)
        send, dev = _stacked(g, tensor, g.size)
        for i, t in enumerate(scatter_list):
            send[i] = t._data if g.native(dev) else dev.to_host(t._data)
    out, back = _buffer(tensor, g, True)
    return _result(_then(g.scatter_(send, out, src, async_op), _written(tensor, back)),
                   async_op)


def send(tensor, dst: int, group=None, tag: int = 0) -> None:
    """Send ``tensor`` to process ``dst`` (blocks until it may be reused)."""
    isend(tensor, dst, group, tag).wait()


def isend(tensor, dst: int, group=None, tag: int = 0) -> Work:
    g = _group(group)
    dst = g.check_rank(dst, "send")
    if dst == g.rank:
        raise ValueError("Invalid destination rank: destination rank should not be the same "
                         "as the rank of the current process.")
    buf, _ = _buffer(tensor, g, False)
    return g.send_(buf, dst, tag, async_op=True)


def recv(tensor, src: int | None = None, group=None, tag: int = 0) -> int:
    """Receive into ``tensor`` from ``src`` (any process if None); returns the sender."""
    work, sender = _irecv(tensor, src, group, tag)
    work.wait()
    return sender()


def irecv(tensor, src: int | None = None, group=None, tag: int = 0) -> Work:
    return _irecv(tensor, src, group, tag)[0]


def _irecv(tensor, src, group, tag):
    g = _group(group)
    if src is not None:
        src = g.check_rank(src, "recv")
    buf, back = _buffer(tensor, g, True)
    work, sender = g.recv_(buf, src, tag, async_op=True)
    return _then(work, _written(tensor, back)), sender


def _fused(tree, collective):
    """An element-wise ``collective`` applied to every leaf of ``tree``. Small leaves (under
    ``FUSE_BYTES``) share one collective per dtype and device: they travel raveled and
    concatenated in one buffer (as DDP's buckets do) and come back sliced and reshaped,
    saving a collective's latency each; a large leaf travels alone, uncopied. Tensor
    leaves go one by one."""
    leaves, treedef = tree_flatten(tree)
    vals = [_leaf(x) for x in leaves]
    groups: dict = {}
    for i, v in enumerate(vals):
        aval = aval_of(v) if not isinstance(v, Tensor) else None
        small = aval is not None and aval.size * aval.dtype.itemsize < FUSE_BYTES
        key = (aval.dtype, aval.device) if small else ("alone", i)
        groups.setdefault(key, []).append(i)
    out = list(vals)
    for idx in groups.values():
        if len(idx) == 1:
            out[idx[0]] = collective(vals[idx[0]])
            continue
        flat = collective(_concatenate([_ravel(vals[i]) for i in idx]))
        start = 0
        for i in idx:
            shape = tuple(vals[i].shape)
            size = int(np.prod(shape, dtype=np.int64))
            out[i] = flat[start:start + size].reshape(shape)
            start += size
    return tree_unflatten(treedef, out)


def _leaf(x):
    """A pytree leaf as the primitives take it (Tensors and tracers as they are)."""
    if isinstance(x, (Tensor, Tracer)):
        return x
    return _asarray(x)


def local_group() -> ProcessGroup:
    """A group of this process alone (no launcher, no MPI): every collective is the
    identity. For tests and one-process runs of code written for many."""
    return LocalGroup()


def get_local_rank() -> int:
    """The rank among this node's processes (``LOCAL_RANK``, or MPI's shared-memory split)."""
    if "LOCAL_RANK" in os.environ:
        return int(os.environ["LOCAL_RANK"])
    for key in ("MPI_LOCALRANKID", "OMPI_COMM_WORLD_LOCAL_RANK"):
        if key in os.environ:
            return int(os.environ[key])
    return getattr(_group(), "local_rank", 0)
