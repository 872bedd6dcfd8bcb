"""Process groups: the engines ``fgrad.distributed`` runs on.

A process group moves whole contiguous buffers between the processes that
``mpiexec`` started; it never implements a transport itself:

* ``MPIGroup``: MPI through mpi4py's buffer (upper-case) calls on host NumPy
  arrays -- no pickling. Arrays of other devices travel through host copies.
* ``NCCLGroup``: NCCL through CuPy's ``cupy.cuda.nccl`` on CUDA arrays, the
  communicator's unique id broadcast over MPI (so ``mpiexec`` launches it too).
* ``LocalGroup``: a world of one process (every collective is the identity);
  the primitives' spec rows run the checker on it without any launcher.

Each in-place operation (``allreduce_(buf, op)`` ...) takes a contiguous,
writable buffer native to the group (NumPy for MPI, CuPy for NCCL) and returns a
``Work``; ``value`` operations (``all_reduce_value`` ...) take any device's array
and return a new one on the same device: the primitives' implementations.
"""
from __future__ import annotations

import enum
import sys
import time

import numpy as np

from ..devices import CPU, device_of_raw

MPI_MISSING = ("fgrad.distributed needs mpi4py for its 'mpi' backend (and to launch "
               "'nccl'), and it is not installed: pip install 'fgrad[mpi]' (mpi4py and "
               "mpich, which brings mpiexec)")


class ReduceOp(enum.Enum):
    """How a collective combines the processes' values (``torch.distributed.ReduceOp``).

    >>> ReduceOp.SUM.value, ReduceOp.AVG.value
    ('sum', 'mean')
    """
    SUM = "sum"
    AVG = "mean"
    PRODUCT = "prod"
    MIN = "min"
    MAX = "max"
    BAND = "band"
    BOR = "bor"
    BXOR = "bxor"


_OP_NAMES = {"sum": "sum", "mean": "mean", "avg": "mean", "prod": "prod", "product": "prod",
             "min": "min", "max": "max", "band": "band", "bor": "bor", "bxor": "bxor"}


def op_name(op) -> str:
    """The canonical name ('sum', 'mean', 'prod', 'min', 'max', 'band', 'bor', 'bxor') of a
    ``ReduceOp`` or a string."""
    if isinstance(op, ReduceOp):
        return op.value
    name = _OP_NAMES.get(op.lower()) if isinstance(op, str) else None
    if name is None:
        raise ValueError(f"unknown reduction op {op!r}: expected a ReduceOp or one of "
                         f"{sorted(_OP_NAMES)}")
    return name


def _mpi():
    try:
        from mpi4py import MPI
    except ImportError as e:
        raise RuntimeError(MPI_MISSING) from e
    return MPI


def mpi_available() -> bool:
    """Whether mpi4py can be imported (without initializing MPI)."""
    import importlib.util
    return importlib.util.find_spec("mpi4py") is not None


class Work:
    """A collective in flight (``torch.distributed.Work``): ``wait()`` blocks until it is
    done and its result is in place; ``is_completed()`` asks without blocking."""

    def __init__(self, test=None, wait=None, finish=None):
        self._test, self._wait, self._finish = test, wait, finish
        self._done = test is None and wait is None
        if self._done and finish is not None:
            finish()

    def is_completed(self) -> bool:
        if not self._done and self._test is not None and self._test():
            self._complete()
        return self._done

    def wait(self, timeout=None) -> bool:
        if not self._done:
            if self._wait is not None:
                self._wait()
            self._complete()
        return True

    def _complete(self):
        self._done = True
        if self._finish is not None:
            self._finish()
            self._finish = None


class ProcessGroup:
    """The processes of one job and the engine that moves data between them."""

    backend = "?"
    rank = 0
    size = 1

    def __repr__(self) -> str:
        return f"{type(self).__name__}(rank={self.rank}, size={self.size})"

    def native(self, device) -> bool:
        """Whether this group's in-place operations take ``device``'s arrays directly."""
        raise NotImplementedError

    # -- values (new arrays, any device): what the primitives' impls call -------
    def _stage(self, x):
        """A contiguous copy of the device array ``x`` this group can work on in place."""
        dev = device_of_raw(x) if not isinstance(x, (int, float, bool, complex)) else CPU
        if self.native(dev):
            return dev.xp.array(x, copy=True, order="C"), dev
        return np.array(dev.to_host(x), copy=True, order="C"), dev

    def _unstage(self, buf, dev):
        return buf if self.native(dev) else dev.from_host(buf)

    def all_reduce_value(self, x, op: str):
        buf, dev = self._stage(x)
        self.allreduce_(buf, op).wait()
        return self._unstage(buf, dev)

    def broadcast_value(self, x, src: int):
        buf, dev = self._stage(x)
        self.broadcast_(buf, src).wait()
        return self._unstage(buf, dev)

    def all_gather_value(self, x):
        buf, dev = self._stage(x)
        out = self._empty_like(buf, (self.size,) + tuple(buf.shape))
        self.allgather_(buf, out).wait()
        return self._unstage(out, dev)

    def reduce_scatter_value(self, x, op: str):
        buf, dev = self._stage(x)
        out = self._empty_like(buf, (buf.shape[0] // self.size,) + tuple(buf.shape[1:]))
        self.reduce_scatter_(buf, out, op).wait()
        return self._unstage(out, dev)

    def _empty_like(self, buf, shape):
        return np.empty(shape, buf.dtype)

    def check_rank(self, r: int, what: str) -> int:
        if not isinstance(r, (int, np.integer)) or not 0 <= r < self.size:
            raise ValueError(f"{what}: rank {r!r} is not in [0, {self.size - 1}] (world "
                             f"size {self.size})")
        return int(r)


# ======================================================================= MPI ====
_MPI_OPS = {"sum": "SUM", "prod": "PROD", "min": "MIN", "max": "MAX", "mean": "SUM",
            "band": "BAND", "bor": "BOR", "bxor": "BXOR"}
# MPI defines no arithmetic on booleans: its logical ops do what the arithmetic ones mean.
_MPI_BOOL_OPS = {"sum": "LOR", "max": "LOR", "bor": "LOR", "prod": "LAND", "min": "LAND",
                 "band": "LAND", "bxor": "LXOR"}


def _mean_check(buf, op):
    if op == "mean" and buf.dtype.kind not in "fc":
        raise RuntimeError(f"ReduceOp.AVG needs a floating-point tensor, got {buf.dtype}")


class MPIGroup(ProcessGroup):
    """Every process of ``comm`` (``MPI.COMM_WORLD``), through mpi4py's buffer calls."""

    backend = "mpi"

    def __init__(self, comm):
        self.MPI = _mpi()
        self.comm = comm
        self.rank = comm.Get_rank()
        self.size = comm.Get_size()

    def native(self, device) -> bool:
        return device is CPU

    def all_reduce_value(self, x, op: str):
        """Out of place from a contiguous host array: MPI reads ``x`` and writes a fresh
        buffer, with no staging copy."""
        if type(x) is not np.ndarray or not x.flags.c_contiguous:
            return ProcessGroup.all_reduce_value(self, x, op)
        _mean_check(x, op)
        out = np.empty_like(x)
        self.comm.Allreduce(x, out, self._op(op, x.dtype))
        if op == "mean":
            np.divide(out, self.size, out=out)
        return out

    def _op(self, op, dtype):
        if dtype == np.bool_:
            if op not in _MPI_BOOL_OPS:
                raise RuntimeError(f"ReduceOp {op!r} is not defined on bool tensors")
            return getattr(self.MPI, _MPI_BOOL_OPS[op])
        return getattr(self.MPI, _MPI_OPS[op])

    def _run(self, blocking, nonblocking, async_op, finish=None):
        """Run a collective now (``blocking()``) or start it (``nonblocking()`` gives a
        request): a finished ``Work`` or one to wait for."""
        if not async_op:
            blocking()
            return Work(finish=finish)
        req = nonblocking()
        return Work(test=req.Test, wait=req.Wait, finish=finish)

    def allreduce_(self, buf, op: str, async_op: bool = False) -> Work:
        _mean_check(buf, op)
        mop, MPI = self._op(op, buf.dtype), self.MPI
        finish = None
        if op == "mean":
            n = self.size

            def finish():
                np.divide(buf, n, out=buf)
        return self._run(lambda: self.comm.Allreduce(MPI.IN_PLACE, buf, mop),
                         lambda: self.comm.Iallreduce(MPI.IN_PLACE, buf, mop), async_op, finish)

    def broadcast_(self, buf, src: int, async_op: bool = False) -> Work:
        return self._run(lambda: self.comm.Bcast(buf, root=src),
                         lambda: self.comm.Ibcast(buf, root=src), async_op)

    def allgather_(self, sendbuf, recvbuf, async_op: bool = False) -> Work:
        return self._run(lambda: self.comm.Allgather(sendbuf, recvbuf),
                         lambda: self.comm.Iallgather(sendbuf, recvbuf), async_op)

    def reduce_scatter_(self, sendbuf, recvbuf, op: str, async_op: bool = False) -> Work:
        _mean_check(sendbuf, op)
        mop = self._op(op, sendbuf.dtype)
        finish = None
        if op == "mean":
            n = self.size

            def finish():
                np.divide(recvbuf, n, out=recvbuf)
        return self._run(lambda: self.comm.Reduce_scatter_block(sendbuf, recvbuf, mop),
                         lambda: self.comm.Ireduce_scatter_block(sendbuf, recvbuf, mop),
                         async_op, finish)

    def reduce_(self, buf, dst: int, op: str, async_op: bool = False) -> Work:
        _mean_check(buf, op)
        mop, MPI = self._op(op, buf.dtype), self.MPI
        send = MPI.IN_PLACE if self.rank == dst else buf
        finish = None
        if op == "mean" and self.rank == dst:
            n = self.size

            def finish():
                np.divide(buf, n, out=buf)
        return self._run(lambda: self.comm.Reduce(send, buf, mop, root=dst),
                         lambda: self.comm.Ireduce(send, buf, mop, root=dst), async_op, finish)

    def gather_(self, sendbuf, recvbuf, dst: int, async_op: bool = False) -> Work:
        return self._run(lambda: self.comm.Gather(sendbuf, recvbuf, root=dst),
                         lambda: self.comm.Igather(sendbuf, recvbuf, root=dst), async_op)

    def scatter_(self, sendbuf, recvbuf, src: int, async_op: bool = False) -> Work:
        return self._run(lambda: self.comm.Scatter(sendbuf, recvbuf, root=src),
                         lambda: self.comm.Iscatter(sendbuf, recvbuf, root=src), async_op)

    def send_(self, buf, dst: int, tag: int = 0, async_op: bool = False) -> Work:
        return self._run(lambda: self.comm.Send(buf, dest=dst, tag=tag),
                         lambda: self.comm.Isend(buf, dest=dst, tag=tag), async_op)

    def recv_(self, buf, src: int | None, tag: int = 0, async_op: bool = False):
        """Receive into ``buf``; returns (Work, a function giving the sender's rank)."""
        MPI = self.MPI
        status = MPI.Status()
        source = MPI.ANY_SOURCE if src is None else src
        if not async_op:
            self.comm.Recv(buf, source=source, tag=tag, status=status)
            return Work(), status.Get_source
        req = self.comm.Irecv(buf, source=source, tag=tag)
        return Work(test=lambda: req.Test(status), wait=lambda: req.Wait(status)), \
            status.Get_source

    def barrier(self) -> None:
        self.comm.Barrier()

    def abort(self, code: int = 1) -> None:
        self.comm.Abort(code)


# ====================================================================== NCCL ====
_NCCL_DTYPES = {"int8": "NCCL_INT8", "uint8": "NCCL_UINT8", "bool": "NCCL_UINT8",
                "int32": "NCCL_INT32", "uint32": "NCCL_UINT32", "int64": "NCCL_INT64",
                "uint64": "NCCL_UINT64", "float16": "NCCL_FLOAT16", "float32": "NCCL_FLOAT32",
                "float64": "NCCL_FLOAT64", "complex64": "NCCL_FLOAT32",
                "complex128": "NCCL_FLOAT64"}
_NCCL_OPS = {"sum": "NCCL_SUM", "mean": "NCCL_SUM", "prod": "NCCL_PROD", "min": "NCCL_MIN",
             "max": "NCCL_MAX"}
CUDA_ONLY = "Tensors must be CUDA and dense"


class NCCLGroup(ProcessGroup):
    """Every process of ``comm`` on its own GPU (the ``local rank``-th of its node), talking
    NCCL through CuPy; the NCCL unique id is made by rank 0 and broadcast over MPI."""

    backend = "nccl"

    def __init__(self, comm):
        try:
            import cupy
            from cupy.cuda import nccl
        except ImportError as e:
            raise RuntimeError("the 'nccl' backend needs CuPy with NCCL (pip install "
                               f"'fgrad[cuda]'): {e}") from e
        MPI = _mpi()
        self.MPI, self.comm, self.cupy, self.nccl = MPI, comm, cupy, nccl
        self.rank, self.size = comm.Get_rank(), comm.Get_size()
        local = comm.Split_type(MPI.COMM_TYPE_SHARED)
        self.local_rank = local.Get_rank()
        local.Free()
        n = cupy.cuda.runtime.getDeviceCount()
        if self.local_rank >= n:
            raise RuntimeError(f"the 'nccl' backend needs one GPU per process: process "
                               f"{self.local_rank} of this node has none ({n} GPU(s) here)")
        cupy.cuda.Device(self.local_rank).use()
        uid = nccl.get_unique_id() if self.rank == 0 else None
        uid = comm.bcast(uid, root=0)          # a small tuple, once: the bootstrap
        self.nccl_comm = nccl.NcclCommunicator(self.size, uid, self.rank)

    def native(self, device) -> bool:
        return device.platform == "cuda"

    def _empty_like(self, buf, shape):
        return self.cupy.empty(shape, buf.dtype)

    def _stage(self, x):
        dev = device_of_raw(x)
        if not self.native(dev):
            raise RuntimeError(CUDA_ONLY)
        return ProcessGroup._stage(self, x)

    def _args(self, buf, op=None):
        if not self.native(device_of_raw(buf)):
            raise RuntimeError(CUDA_ONLY)
        name = buf.dtype.name
        if name not in _NCCL_DTYPES:
            raise RuntimeError(f"the 'nccl' backend does not support dtype {name}")
        count = buf.size * (2 if buf.dtype.kind == "c" else 1)
        dtype = getattr(self.nccl, _NCCL_DTYPES[name])
        if op is None:
            return count, dtype, None
        _mean_check(buf, op)
        if op not in _NCCL_OPS or (buf.dtype.kind == "c" and op != "sum" and op != "mean"):
            raise RuntimeError(f"the 'nccl' backend does not support ReduceOp {op!r} on "
                               f"{name}")
        return count, dtype, getattr(self.nccl, _NCCL_OPS[op])

    def _stream_work(self, async_op, finish=None):
        """NCCL calls are queued on the current stream: waiting is synchronizing it."""
        stream = self.cupy.cuda.get_current_stream()
        if not async_op:
            stream.synchronize()
            return Work(finish=finish)
        event = stream.record()
        return Work(test=lambda: event.done, wait=event.synchronize, finish=finish)

    def _stream(self):
        return self.cupy.cuda.get_current_stream().ptr

    def allreduce_(self, buf, op: str, async_op: bool = False) -> Work:
        count, dtype, nop = self._args(buf, op)
        p = buf.data.ptr
        self.nccl_comm.allReduce(p, p, count, dtype, nop, self._stream())
        n = self.size
        return self._stream_work(async_op, (lambda: buf.__itruediv__(n)) if op == "mean"
                                 else None)

    def broadcast_(self, buf, src: int, async_op: bool = False) -> Work:
        count, dtype, _ = self._args(buf)
        self.nccl_comm.bcast(buf.data.ptr, count, dtype, src, self._stream())
        return self._stream_work(async_op)

    def allgather_(self, sendbuf, recvbuf, async_op: bool = False) -> Work:
        count, dtype, _ = self._args(sendbuf)
        self.nccl_comm.allGather(sendbuf.data.ptr, recvbuf.data.ptr, count, dtype,
                                 self._stream())
        return self._stream_work(async_op)

    def reduce_scatter_(self, sendbuf, recvbuf, op: str, async_op: bool = False) -> Work:
        count, dtype, nop = self._args(recvbuf, op)
        self.nccl_comm.reduceScatter(sendbuf.data.ptr, recvbuf.data.ptr, count, dtype, nop,
                                     self._stream())
        n = self.size
        return self._stream_work(async_op, (lambda: recvbuf.__itruediv__(n))
                                 if op == "mean" else None)

    def reduce_(self, buf, dst: int, op: str, async_op: bool = False) -> Work:
        count, dtype, nop = self._args(buf, op)
        p = buf.data.ptr
        self.nccl_comm.reduce(p, p, count, dtype, nop, dst, self._stream())
        n = self.size
        return self._stream_work(async_op, (lambda: buf.__itruediv__(n))
                                 if op == "mean" and self.rank == dst else None)

    def send_(self, buf, dst: int, tag: int = 0, async_op: bool = False) -> Work:
        count, dtype, _ = self._args(buf)
        self.nccl_comm.send(buf.data.ptr, count, dtype, dst, self._stream())
        return self._stream_work(async_op)

    def recv_(self, buf, src: int | None, tag: int = 0, async_op: bool = False):
        if src is None:
            raise RuntimeError("the 'nccl' backend cannot receive from any source: give src")
        count, dtype, _ = self._args(buf)
        self.nccl_comm.recv(buf.data.ptr, count, dtype, src, self._stream())
        return self._stream_work(async_op), lambda: src

    def gather_(self, sendbuf, recvbuf, dst: int, async_op: bool = False) -> Work:
        out = recvbuf if recvbuf is not None else self._empty_like(
            sendbuf, (self.size,) + tuple(sendbuf.shape))
        return self.allgather_(sendbuf, out, async_op)

    def scatter_(self, sendbuf, recvbuf, src: int, async_op: bool = False) -> Work:
        if self.rank == src:
            full = sendbuf
        else:
            full = self._empty_like(recvbuf, (self.size,) + tuple(recvbuf.shape))
        self.broadcast_(full, src)
        recvbuf[...] = full[self.rank]
        return self._stream_work(async_op)

    def barrier(self) -> None:
        self.cupy.cuda.get_current_stream().synchronize()
        self.comm.Barrier()

    def abort(self, code: int = 1) -> None:
        self.nccl_comm.abort()
        self.comm.Abort(code)


# ===================================================================== local ====
class LocalGroup(ProcessGroup):
    """A world of one process, with no engine: every collective is the identity."""

    backend = "local"

    def native(self, device) -> bool:
        return True

    def _stage(self, x):
        dev = device_of_raw(x) if not isinstance(x, (int, float, bool, complex)) else CPU
        return dev.xp.array(x, copy=True), dev

    def _empty_like(self, buf, shape):
        return device_of_raw(buf).xp.empty(shape, buf.dtype)

    def allreduce_(self, buf, op, async_op=False):
        _mean_check(buf, op)
        return Work()

    def broadcast_(self, buf, src, async_op=False):
        return Work()

    def allgather_(self, sendbuf, recvbuf, async_op=False):
        recvbuf[0] = sendbuf
        return Work()

    def reduce_scatter_(self, sendbuf, recvbuf, op, async_op=False):
        _mean_check(sendbuf, op)
        recvbuf[...] = sendbuf
        return Work()

    def reduce_(self, buf, dst, op, async_op=False):
        return self.allreduce_(buf, op)

    def gather_(self, sendbuf, recvbuf, dst, async_op=False):
        return self.allgather_(sendbuf, recvbuf)

    def scatter_(self, sendbuf, recvbuf, src, async_op=False):
        recvbuf[...] = sendbuf[0]
        return Work()

    def send_(self, buf, dst, tag=0, async_op=False):
        raise RuntimeError("send: a world of one process has no other rank to send to")

    recv_ = send_

    def barrier(self) -> None:
        pass

    def abort(self, code: int = 1) -> None:
        raise SystemExit(code)

    # the functional values: no copies (Arrays are immutable)
    def all_reduce_value(self, x, op):
        _mean_check(x, op)
        return x

    def broadcast_value(self, x, src):
        return x

    def all_gather_value(self, x):
        return device_of_raw(x).xp.expand_dims(x, 0)

    def reduce_scatter_value(self, x, op):
        _mean_check(x, op)
        return x


def abort_on_exception(group: ProcessGroup):
    """Make an uncaught exception in this process end the whole job (``MPI_Abort``) after
    printing its traceback, so the other processes fail at once instead of waiting in a
    collective for it forever (what ``python -m mpi4py`` does)."""
    previous = sys.excepthook

    def hook(kind, value, tb):
        try:
            previous(kind, value, tb)
            sys.stderr.write(f"fgrad.distributed: rank {group.rank} of {group.size} raised "
                             f"{kind.__name__}; aborting the job\n")
            sys.stderr.flush()
            # the launcher forwards output asynchronously and an abort kills it at once:
            # give it a moment to pass the traceback on, or the error's last line is lost
            time.sleep(0.5)
        finally:
            group.abort(1)
    sys.excepthook = hook
    return previous
