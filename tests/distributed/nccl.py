"""Run under ``mpiexec -n N`` on a machine with N GPUs (``tests/test_distributed.py`` runs it
with one process per GPU present): the 'nccl' backend on CUDA tensors and Arrays."""
import numpy as np

import fgrad
import fgrad.distributed as dist
import fgrad.numpy as fnp
from fgrad.nn.parallel import DistributedDataParallel as DDP

dist.init_process_group("nccl")
r, n = dist.get_rank(), dist.get_world_size()
assert dist.get_backend() == "nccl"
dev = f"cuda:{dist.get_local_rank()}"
t = fgrad.tensor([1.0, 2.0], device=dev) * (r + 1)
dist.all_reduce(t)
assert np.allclose(t.cpu().numpy(), np.array([1.0, 2.0]) * n * (n + 1) / 2), t
w = dist.all_reduce(t, op=dist.ReduceOp.AVG, async_op=True)
w.wait()
dist.broadcast(t, src=0)
lst = [fgrad.zeros(2, device=dev) for _ in range(n)]
dist.all_gather(lst, t)
x = fgrad.device_put(fnp.asarray([1.0, 2.0]), dev)
g = fgrad.jit(fgrad.grad(lambda x: fnp.sum(dist.all_reduce(x * x))))(x)
assert np.allclose(np.asarray(fgrad.device_put(g, "cpu")), 2 * n * np.array([1.0, 2.0])), g
try:
    dist.all_reduce(fgrad.ones(2))
    raise AssertionError("a CPU tensor on the nccl backend must fail")
except RuntimeError as e:
    assert "CUDA" in str(e)
fgrad.manual_seed(0)
model = DDP(fgrad.nn.Linear(4, 2).to(dev))
model(fgrad.ones(3, 4, device=dev)).sum().backward()
assert model.module.weight.grad.device.type == "cuda"
dist.barrier()
print(f"rank {r} of {n}: nccl ok")
