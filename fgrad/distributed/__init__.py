"""``fgrad.distributed``: more than one process, with ``torch.distributed``'s names.

Runs on MPI (mpi4py; ``pip install 'fgrad[mpi]'``) for CPUs and on NCCL (CuPy)
for GPUs. Launch with ``mpiexec -n 2 python train.py``; in the script::

    import fgrad.distributed as dist
    dist.init_process_group()            # "mpi" on CPU, "nccl" when CUDA is available
    dist.all_reduce(t)                   # a Tensor, in place (PyTorch's)
    grads = dist.all_reduce(grads, op="mean")   # Arrays/pytrees: a new tree (jit, grad)

``fgrad.nn.parallel.DistributedDataParallel`` averages a module's gradients
during ``backward()``; ``fgrad.utils.data.distributed.DistributedSampler`` splits
a dataset among the processes.

>>> import fgrad.distributed as dist
>>> dist.is_initialized()
False
>>> import fgrad.numpy as fnp
>>> g = dist.local_group()                   # one process, no MPI: identity collectives
>>> dist.all_reduce({"w": fnp.asarray([1.0, 2.0])}, op="mean", group=g)
{'w': Array([1., 2.])}
"""
from ._backend import ReduceOp, Work, ProcessGroup  # noqa: F401
from ._c10d import (is_available, is_mpi_available, is_nccl_available,  # noqa: F401
                    is_initialized, init_process_group, destroy_process_group, get_rank,
                    get_world_size, get_backend, get_local_rank, barrier, group, local_group,
                    all_reduce, broadcast, all_gather, all_gather_into_tensor, reduce_scatter,
                    reduce_scatter_tensor, reduce, gather, scatter, send, recv, isend, irecv)

__all__ = ["ReduceOp", "Work", "ProcessGroup", "is_available", "is_mpi_available",
           "is_nccl_available", "is_initialized", "init_process_group",
           "destroy_process_group", "get_rank", "get_world_size", "get_backend",
           "get_local_rank", "barrier", "group", "local_group", "all_reduce", "broadcast",
           "all_gather", "all_gather_into_tensor", "reduce_scatter", "reduce_scatter_tensor",
           "reduce", "gather", "scatter", "send", "recv", "isend", "irecv"]
