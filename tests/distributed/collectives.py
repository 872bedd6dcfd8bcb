"""Run under ``mpiexec -n N`` (N = 2, 3) by ``tests/test_distributed.py``: every collective's
values and dtypes, on Tensors (in place) and on Arrays/pytrees (functional, under grad, jvp,
vmap and jit), against NumPy on the values every process contributes."""
import sys

import numpy as np

import fgrad
import fgrad.distributed as dist
import fgrad.numpy as fnp
from fgrad.utils.data.distributed import DistributedSampler

dist.init_process_group("mpi")
r, n = dist.get_rank(), dist.get_world_size()
assert dist.is_initialized() and dist.get_backend() == "mpi"


def close(a, b, what, tol=1e-12):
    a = np.asarray(a.detach().numpy() if isinstance(a, fgrad.Tensor) else a)
    b = np.asarray(b)
    assert a.shape == b.shape, f"rank {r}: {what}: shape {a.shape} != {b.shape}"
    assert np.allclose(a, b, rtol=tol, atol=tol), f"rank {r}: {what}: {a} != {b}"


def value(q, shape=(2, 3), dtype=np.float64):
    """What process q contributes: distinct, no ties."""
    return (np.arange(np.prod(shape)).reshape(shape) + 1 + 10 * q).astype(dtype)


ALL = np.stack([value(q) for q in range(n)])

# -- Tensors, in place -------------------------------------------------------------
REF = {dist.ReduceOp.SUM: ALL.sum(0), dist.ReduceOp.AVG: ALL.mean(0),
       dist.ReduceOp.PRODUCT: ALL.prod(0), dist.ReduceOp.MIN: ALL.min(0),
       dist.ReduceOp.MAX: ALL.max(0)}
for op, ref in REF.items():
    for dtype in (fgrad.float64, fgrad.float32):
        t = fgrad.tensor(value(r), dtype=dtype)
        v0 = t._version
        assert dist.all_reduce(t, op=op) is None
        assert t.dtype is dtype and t._version == v0 + 1, f"{op}: dtype/version"
        close(t, ref.astype(np.float32 if dtype is fgrad.float32 else np.float64), str(op),
              1e-6 if dtype is fgrad.float32 else 1e-12)
for dtype, npd in ((fgrad.int64, np.int64), (fgrad.int32, np.int32), (fgrad.uint8, np.uint8)):
    t = fgrad.tensor(value(r, dtype=npd) % 7)
    dist.all_reduce(t)
    assert t.dtype is dtype
    close(t, (ALL.astype(npd) % 7).sum(0).astype(npd), f"int sum {dtype}")
t = fgrad.tensor([r == 0, False, True])
dist.all_reduce(t, op=dist.ReduceOp.MAX)
assert t.tolist() == [True, False, True], t
try:
    dist.all_reduce(fgrad.tensor([1, 2]), op=dist.ReduceOp.AVG)
    raise AssertionError("AVG of an int tensor must fail")
except RuntimeError as e:
    assert "floating-point" in str(e)

# async, and a non-contiguous tensor (a transposed view) written through
t = fgrad.tensor(value(r))
work = dist.all_reduce(t, async_op=True)
work.wait()
assert work.is_completed()
close(t, ALL.sum(0), "async all_reduce")
base = fgrad.tensor(value(r))
view = base.t()
dist.all_reduce(view)
close(base, ALL.sum(0), "all_reduce through a transposed view")

# broadcast from the last rank
t = fgrad.tensor(value(r))
dist.broadcast(t, src=n - 1)
close(t, value(n - 1), "broadcast")
# all_gather, all_gather_into_tensor
lst = [fgrad.zeros(2, 3, dtype=fgrad.float64) for _ in range(n)]
dist.all_gather(lst, fgrad.tensor(value(r)))
for q in range(n):
    close(lst[q], value(q), f"all_gather[{q}]")
out = fgrad.zeros(2 * n, 3, dtype=fgrad.float64)
dist.all_gather_into_tensor(out, fgrad.tensor(value(r)))
close(out, ALL.reshape(2 * n, 3), "all_gather_into_tensor")
# reduce_scatter: process q contributes list[i] = value(q) + i
out = fgrad.zeros(2, 3, dtype=fgrad.float64)
dist.reduce_scatter(out, [fgrad.tensor(value(r) + i) for i in range(n)])
close(out, ALL.sum(0) + n * r, "reduce_scatter")
out = fgrad.zeros(2, 3, dtype=fgrad.float64)
dist.reduce_scatter_tensor(out, fgrad.tensor(np.concatenate([value(r) + i for i in range(n)])),
                           op=dist.ReduceOp.MAX)
close(out, ALL.max(0) + r, "reduce_scatter_tensor max")
# reduce, gather, scatter to/from rank 0
t = fgrad.tensor(value(r))
dist.reduce(t, dst=0)
close(t, ALL.sum(0) if r == 0 else value(r), "reduce")
gl = [fgrad.zeros(2, 3, dtype=fgrad.float64) for _ in range(n)] if r == 0 else None
dist.gather(fgrad.tensor(value(r)), gl, dst=0)
if r == 0:
    for q in range(n):
        close(gl[q], value(q), "gather")
t = fgrad.zeros(2, 3, dtype=fgrad.float64)
dist.scatter(t, [fgrad.tensor(value(q) * 2) for q in range(n)] if r == 0 else None, src=0)
close(t, value(r) * 2, "scatter")
# point to point: a ring, blocking and non-blocking
right, left = (r + 1) % n, (r - 1) % n
got = fgrad.zeros(2, 3, dtype=fgrad.int64)
req = dist.irecv(got, src=left)
dist.isend(fgrad.tensor(value(r, dtype=np.int64)), dst=right).wait()
req.wait()
close(got, value(left), "isend/irecv ring")
if r == 0:
    dist.send(fgrad.tensor([7.0, 8.0]), dst=1, tag=3)
elif r == 1:
    b = fgrad.zeros(2)
    assert dist.recv(b, tag=3) == 0 and b.tolist() == [7.0, 8.0]
dist.barrier()

# -- functional: Arrays and pytrees ----------------------------------------------------
x = fnp.asarray(value(r))
tree = dist.all_reduce({"a": x, "b": [x.astype(fnp.float32), 2.0 * x]}, op="mean")
assert tree["b"][0].dtype == np.float32
close(tree["a"], ALL.mean(0), "tree mean")
close(tree["b"][1], 2 * ALL.mean(0), "tree mean (2)")
close(dist.all_gather(x), ALL, "functional all_gather")
close(dist.all_gather(x, tiled=True), ALL.reshape(2 * n, 3), "functional all_gather tiled")
big = fnp.asarray(np.concatenate([value(r) + i for i in range(n)]))
close(dist.reduce_scatter(big), ALL.sum(0) + n * r, "functional reduce_scatter")
close(dist.broadcast(x, 1), value(1), "functional broadcast")

# derivatives: every process differentiates sum_q <w_q, op(x)> (JAX's SPMD reading)
w = fnp.asarray(value(r) / 7.0)
W = sum(value(q) / 7.0 for q in range(n))
others = np.stack([np.prod(np.delete(ALL, q, axis=0), axis=0) for q in range(n)])
GRADS = {"sum": W, "mean": W / n, "prod": W * others[r],
         "max": W * (ALL.argmax(0) == r), "min": W * (ALL.argmin(0) == r)}
for op, ref in GRADS.items():
    f = lambda x, op=op: fnp.sum(w * dist.all_reduce(x, op=op))
    close(fgrad.grad(f)(x), ref, f"grad all_reduce {op}", 1e-10)
    close(fgrad.jit(fgrad.grad(f))(x), ref, f"jit grad all_reduce {op}", 1e-10)
    # forward mode: d/de of op(x + e u) with u = 1 on this process only ... summed over q
    u = fnp.ones_like(x)
    _, tan = fgrad.jvp(lambda x, op=op: dist.all_reduce(x, op=op), (x,), (u,))
    vref = {"sum": n * np.ones_like(ALL[0]), "mean": np.ones_like(ALL[0]),
            "prod": others.sum(0), "max": np.ones_like(ALL[0]), "min": np.ones_like(ALL[0])}[op]
    close(tan, vref, f"jvp all_reduce {op}", 1e-10)
# all_gather: loss_q = sum_p (q+1)(p+1) <1, x_p>  ->  d/dx_r = (r+1) n(n+1)/2
wg = fnp.asarray((r + 1) * (np.arange(n) + 1.0).reshape(n, 1, 1) * np.ones((n, 2, 3)))
close(fgrad.grad(lambda x: fnp.sum(wg * dist.all_gather(x)))(x),
      np.full((2, 3), (r + 1) * n * (n + 1) / 2), "grad all_gather")
# reduce_scatter: loss_q = (q+1) sum(block q of the sum)  ->  d/dbig = the blocks' weights
close(fgrad.grad(lambda b: (r + 1.0) * fnp.sum(dist.reduce_scatter(b)))(big),
      np.repeat(np.arange(n) + 1.0, 2)[:, None] * np.ones((2 * n, 3)), "grad reduce_scatter")
# broadcast from 1: loss_q = (q+1) sum(x_1)  ->  n(n+1)/2 on rank 1, 0 elsewhere
close(fgrad.grad(lambda x: (r + 1.0) * fnp.sum(dist.broadcast(x, 1)))(x),
      np.full((2, 3), n * (n + 1) / 2 if r == 1 else 0.0), "grad broadcast")
# vmap: the batch axis rides along
xb = fnp.asarray(np.stack([value(r) * (b + 1) for b in range(4)]))
close(fgrad.vmap(lambda x: dist.all_reduce(x, op="max"))(xb),
      np.stack([ALL.max(0) * (b + 1) for b in range(4)]), "vmap all_reduce")
close(fgrad.vmap(dist.all_gather)(xb), np.stack([ALL * (b + 1) for b in range(4)]),
      "vmap all_gather")
XB = np.stack([np.stack([ALL[q] * (b + 1) for b in range(4)]) for q in range(n)])  # q,b,2,3
close(fgrad.vmap(dist.all_gather, in_axes=1)(xb), XB.transpose(2, 0, 1, 3),
      "vmap all_gather in_axes=1")

# -- the sampler: every process's share, together, is the whole dataset --------------
for shuffle in (False, True):
    for drop_last in (False, True):
        s = DistributedSampler(range(10), shuffle=shuffle, drop_last=drop_last, seed=3)
        s.set_epoch(2)
        mine = fgrad.tensor(list(s), dtype=fgrad.int64)
        parts = [fgrad.zeros(len(s), dtype=fgrad.int64) for _ in range(n)]
        dist.all_gather(parts, mine)
        idx = sorted(i for p in parts for i in p.tolist())
        if drop_last:
            assert len(set(idx)) == len(idx) == n * (10 // n), (shuffle, idx)
        else:
            assert set(idx) == set(range(10)) and len(idx) == n * -(-10 // n), (shuffle, idx)

dist.destroy_process_group()
assert not dist.is_initialized()
print(f"rank {r} of {n}: collectives ok")
