"""Data-parallel training with DistributedDataParallel: 1 process and 2 processes agree.

    mpiexec -n 2 python examples/ddp_train.py     # 2 processes (MPI, through mpi4py)
    python examples/ddp_train.py                  # 1 process, then itself on 2, compared

Each process trains a replica of the same MLP on its share of every global batch
(``DistributedSampler``); ``DistributedDataParallel`` averages the gradients during
``backward()``, so every replica ends with the parameters that one process training on
the whole batches gets (float64: equal to rounding).
"""
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

import fgrad
import fgrad.distributed as dist
import fgrad.nn as nn
from fgrad.nn.parallel import DistributedDataParallel as DDP
from fgrad.utils.data.distributed import DistributedSampler

GLOBAL_BATCH, EPOCHS = 32, 3


def data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((256, 8))
    y = np.sin(x @ rng.standard_normal((8, 2)))
    return x, y


def train(world: int, rank: int):
    """Train on this process's shares; returns the final parameters and the last loss."""
    fgrad.set_default_dtype(fgrad.float64)
    fgrad.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 32), nn.Tanh(), nn.Linear(32, 2))
    if world > 1:
        model = DDP(model)
    opt = fgrad.optim.Adam(model.parameters(), lr=0.01)
    x, y = data()
    sampler = DistributedSampler(range(len(x)), num_replicas=world, rank=rank, seed=1)
    per_process = GLOBAL_BATCH // world
    for epoch in range(EPOCHS):
        sampler.set_epoch(epoch)
        share = list(sampler)
        for k in range(0, len(share), per_process):
            idx = share[k:k + per_process]
            opt.zero_grad()
            loss = nn.functional.mse_loss(model(fgrad.tensor(x[idx])), fgrad.tensor(y[idx]))
            loss.backward()
            opt.step()
    if world > 1:                      # report the loss of the whole batch, not of a share
        loss = loss.detach().clone()
        dist.all_reduce(loss, op=dist.ReduceOp.AVG)
    return [p.detach().numpy().copy() for p in model.parameters()], loss.item()


def launched_by_mpiexec() -> bool:
    return any(k in os.environ for k in ("PMI_RANK", "PMI_SIZE", "OMPI_COMM_WORLD_SIZE"))


def main():
    if not dist.is_available():
        params, loss = train(1, 0)
        print(f"1 process: loss {loss:.6f} (install 'fgrad[mpi]' to run on several)")
        return
    dist.init_process_group("mpi")
    world, rank = dist.get_world_size(), dist.get_rank()
    params, loss = train(world, rank)
    if world > 1:
        if rank == 0:
            print(f"{world} processes: loss {loss:.6f}")
            single, single_loss = train(1, 0)       # the one-process run, for comparison
            diff = max(np.abs(a - b).max() for a, b in zip(params, single))
            print(f"1 process:  loss {single_loss:.6f}")
            print(f"max |parameter difference| between 1 and {world} processes: {diff:.2e}")
            if len(sys.argv) > 1:
                np.savez(sys.argv[1], *params)
        return
    print(f"1 process:  loss {loss:.6f}")
    mpiexec = shutil.which("mpiexec") or os.path.join(os.path.dirname(sys.executable),
                                                      "mpiexec")
    if launched_by_mpiexec() or not os.path.exists(mpiexec):
        return
    with tempfile.TemporaryDirectory() as tmp:     # now the same training on 2 processes
        out = os.path.join(tmp, "params.npz")
        run = subprocess.run([mpiexec, "-n", "2", sys.executable, __file__, out],
                             capture_output=True, text=True, timeout=100)
        if run.returncode != 0:
            print(f"mpiexec -n 2 failed:\n{run.stderr[-2000:]}")
            sys.exit(1)
        saved = np.load(out)
        two = [saved[f"arr_{i}"] for i in range(len(params))]
    diff = max(np.abs(a - b).max() for a, b in zip(params, two))
    print(f"2 processes (mpiexec -n 2): parameters differ from 1 process by at most {diff:.2e}")


if __name__ == "__main__":
    main()
