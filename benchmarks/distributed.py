"""Data parallelism on MPI: the cost of averaging gradients, and DDP's step time.

    python benchmarks/distributed.py          # launches itself with mpiexec -n 1 and -n 2

The model is the MLP of ``run.py``'s W3 (784-256-10, tanh, softmax cross-entropy,
float32), 203,530 parameters (814 kB of gradients).

* All-reduce of those gradients on 2 processes, against a raw mpi4py ``Allreduce`` of
  the same bytes in one buffer (the floor): fgrad's facade ``all_reduce`` of one flat
  tensor, the functional ``all_reduce(grads, op="mean")`` of the gradient pytree (two
  collectives: the 784x256 weight alone, the three small leaves copied into one buffer),
  and DDP's bucketed averaging in ``backward()`` (a backward pass whose gradients are
  ready at once, with synchronisation minus under ``no_sync()``: one bucket).

On a machine whose cores are shared with other work, MPICH's busy-polling makes a process
waiting in a collective steal the CPU from the one still computing, so whatever runs
between collectives (copies, Python) is slowed several times; compare rows of one run.
* DDP step time (zero_grad, forward, loss, backward, SGD step) with a fixed per-process
  batch of 128 on 1 process (no DDP) and on 2 processes (DDP), and the weak-scaling
  efficiency t(1) / t(2) (1.0 would be perfect).

Every timing is the median over repeats of the slowest process's mean time per iteration.
"""
import json
import os
import shutil
import subprocess
import sys

import numpy as np

import fgrad
import fgrad.distributed as dist
import fgrad.nn as nn
import fgrad.numpy as fnp

SIZES = (784, 256, 10)
BATCH = 128


def timeit(fn, comm, MPI, iters=20, repeats=9):
    """Median over repeats of max over processes of the mean seconds per call."""
    import time
    fn()
    out = []
    for _ in range(repeats):
        comm.Barrier()
        t0 = time.perf_counter()
        for _ in range(iters):
            fn()
        dt = np.array([(time.perf_counter() - t0) / iters])
        comm.Allreduce(MPI.IN_PLACE, dt, MPI.MAX)
        out.append(dt[0])
    return float(np.median(out))


def make_model():
    fgrad.manual_seed(0)
    return nn.Sequential(nn.Linear(SIZES[0], SIZES[1]), nn.Tanh(), nn.Linear(SIZES[1], SIZES[2]))


def worker():
    from mpi4py import MPI
    dist.init_process_group("mpi")
    comm, rank, world = MPI.COMM_WORLD, dist.get_rank(), dist.get_world_size()
    rng = np.random.default_rng(rank)
    x = fgrad.tensor(rng.standard_normal((BATCH, SIZES[0])).astype(np.float32))
    y = fgrad.tensor(rng.integers(0, SIZES[2], BATCH))
    loss_fn = nn.CrossEntropyLoss()
    results = {"world": world}

    model = make_model()
    if world > 1:
        model = nn.parallel.DistributedDataParallel(model)
    opt = fgrad.optim.SGD(model.parameters(), lr=0.01)

    def step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()
    results["step"] = timeit(step, comm, MPI)

    if world > 1:
        def step_no_sync():
            opt.zero_grad()
            with model.no_sync():
                loss_fn(model(x), y).backward()
            opt.step()
        results["step_no_sync"] = timeit(step_no_sync, comm, MPI)
        n = sum(p.numel() for p in model.parameters())
        flat = np.ones(n, np.float32)
        results["raw"] = timeit(lambda: comm.Allreduce(MPI.IN_PLACE, flat, MPI.SUM), comm, MPI)
        t = fgrad.ones(n)
        results["facade"] = timeit(lambda: dist.all_reduce(t), comm, MPI)
        grads = {name: fnp.asarray(p.grad.numpy()) for name, p in model.named_parameters()}
        results["tree"] = timeit(lambda: dist.all_reduce(grads, op="mean"), comm, MPI)
        jitted = fgrad.jit(lambda g: dist.all_reduce(g, op="mean"))
        results["tree_jit"] = timeit(lambda: jitted(grads), comm, MPI)
        results["bytes"] = int(flat.nbytes)
        # DDP's averaging alone: a backward pass that costs next to nothing (every gradient
        # is ready at once), with and without synchronisation
        params = list(model.parameters())

        def cheap_backward(sync):
            for p in params:
                p.grad = None
            loss = sum((p * 1.0).sum() for p in params)
            if sync:
                loss.backward()
            else:
                with model.no_sync():
                    loss.backward()
        results["cheap_sync"] = timeit(lambda: cheap_backward(True), comm, MPI)
        results["cheap_local"] = timeit(lambda: cheap_backward(False), comm, MPI)
    if rank == 0:
        print("RESULT " + json.dumps(results))


def launch(n):
    mpiexec = shutil.which("mpiexec") or os.path.join(os.path.dirname(sys.executable), "mpiexec")
    env = dict(os.environ, FGRAD_BENCH_WORKER="1", CUDA_VISIBLE_DEVICES="")
    run = subprocess.run([mpiexec, "-n", str(n), sys.executable, __file__], env=env,
                         capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        sys.exit(f"mpiexec -n {n} failed:\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}")
    line = next(l for l in run.stdout.splitlines() if l.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


def us(s):
    return f"{s * 1e6:.0f} us" if s < 1e-2 else f"{s * 1e3:.2f} ms"


def main():
    if not dist.is_available():
        sys.exit("needs mpi4py and mpiexec: pip install 'fgrad[mpi]'")
    one, two = launch(1), launch(2)
    raw = two["raw"]
    sync = max(two["cheap_sync"] - two["cheap_local"], 0.0)
    print(f"fgrad {fgrad.__version__}; all-reduce of the MLP {'-'.join(map(str, SIZES))} "
          f"gradients ({two['bytes'] / 1e3:.0f} kB float32) on 2 processes; "
          f"per-process batch {BATCH}\n")
    print("| measurement | implementation | time | ratio | note |")
    print("|---|---|---|---|---|")
    print(f"| all-reduce of the gradients, 2 processes | raw mpi4py Allreduce (one buffer) "
          f"| {us(raw)} | 1.00x | the floor |")
    print(f"| | fgrad.distributed.all_reduce(Tensor) | {us(two['facade'])} | "
          f"{two['facade'] / raw:.2f}x | one flat tensor, in place |")
    print(f"| | fgrad.distributed.all_reduce(grads, op='mean') | {us(two['tree'])} | "
          f"{two['tree'] / raw:.2f}x | pytree of 4 Arrays: 2 collectives |")
    print(f"| | jit of the same | {us(two['tree_jit'])} | {two['tree_jit'] / raw:.2f}x | |")
    print(f"| | DDP bucketed averaging in backward() | {us(sync)} | {sync / raw:.2f}x | "
          f"backward() minus backward() under no_sync(), gradients ready at once |")
    print(f"| DDP training step | 1 process (no DDP) | {us(one['step'])} | 1.00x | |")
    print(f"| | 2 processes (DDP) | {us(two['step'])} | {two['step'] / one['step']:.2f}x | "
          f"weak-scaling efficiency {one['step'] / two['step']:.0%} |")
    print(f"| | 2 processes under no_sync() | {us(two['step_no_sync'])} | "
          f"{two['step_no_sync'] / one['step']:.2f}x | compute alone |")


if __name__ == "__main__":
    if os.environ.get("FGRAD_BENCH_WORKER"):
        worker()
    else:
        main()
