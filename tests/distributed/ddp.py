"""Run under ``mpiexec -n N`` by ``tests/test_distributed.py``: DistributedDataParallel and a
functional data-parallel step give the parameters of the one-process run on the whole
batch (float64, 1e-12), with SGD and Adam, with several buckets, with ``no_sync``
accumulation; parameters and buffers come from rank 0; unused parameters."""
import numpy as np

import fgrad
import fgrad.distributed as dist
import fgrad.nn as nn
import fgrad.numpy as fnp
from fgrad.nn.parallel import DistributedDataParallel as DDP
from fgrad.tree_util import tree_map

dist.init_process_group()
r, n = dist.get_rank(), dist.get_world_size()
fgrad.set_default_dtype(fgrad.float64)
B = 4                                            # per-process batch
rng = np.random.default_rng(0)
X = rng.standard_normal((3, B * n, 5))           # three global batches
Y = rng.standard_normal((3, B * n, 3))
mine = slice(r * B, (r + 1) * B)


class Net(nn.Module):
    def __init__(self, extra=False):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(5, 16), nn.Tanh(), nn.Linear(16, 3))
        self.register_buffer("scale", fgrad.ones(3))
        if extra:
            self.unused = nn.Linear(3, 3)

    def forward(self, x):
        return self.body(x) * self.scale


def make(seed, extra=False):
    fgrad.manual_seed(seed)
    net = Net(extra)
    with fgrad.no_grad():
        net.scale.copy_(fgrad.tensor([1.0, 1.5, 2.0]) + seed / 1000)
    return net


def params(m):
    return [p.detach().numpy().copy() for p in m.parameters()]


def same(a, b, what, tol=1e-12):
    for i, (x, y) in enumerate(zip(a, b)):
        err = np.max(np.abs(x - y))
        assert err <= tol, f"rank {r}: {what}: parameter {i} differs by {err:.3g}"


loss_fn = nn.MSELoss()


def train(model, opt, xs, ys, ddp=None, accumulate=False):
    for step in range(3):
        opt.zero_grad()
        if accumulate:               # two micro-batches, the first without communication
            half = len(xs[step]) // 2
            ctx = ddp.no_sync() if ddp is not None else _null()
            with ctx:
                loss_fn(model(fgrad.tensor(xs[step][:half])), fgrad.tensor(ys[step][:half])).backward()
            if ddp is not None and step == 0:
                local = [p.grad.numpy().copy() for p in model.parameters()]
            loss_fn(model(fgrad.tensor(xs[step][half:])), fgrad.tensor(ys[step][half:])).backward()
        else:
            loss_fn(model(fgrad.tensor(xs[step])), fgrad.tensor(ys[step])).backward()
        opt.step()
    return model


class _null:
    def __enter__(self): return self
    def __exit__(self, *a): return False


for name, opt_cls, kw in (("SGD", fgrad.optim.SGD, dict(lr=0.1, momentum=0.9)),
                          ("Adam", fgrad.optim.Adam, dict(lr=0.01))):
    for cap in (25, 1e-5):           # one bucket; one per parameter (10 bytes)
        ref = make(100)                                   # rank 0's initial parameters
        train(ref, opt_cls(ref.parameters(), **kw), X, Y)
        model = DDP(make(100 + r), bucket_cap_mb=cap)     # every rank starts elsewhere...
        assert model.module.scale.tolist() == [1.1, 1.6, 2.1]  # ...but takes rank 0's
        assert len(model._buckets) == (1 if cap == 25 else 4), len(model._buckets)
        train(model, opt_cls(model.parameters(), **kw), X[:, mine], Y[:, mine])
        same(params(model.module), params(ref), f"DDP {name} bucket_cap_mb={cap}")

# no_sync: accumulate two micro-batches (each process holds half of each), then average
ref = make(7)
train(ref, fgrad.optim.SGD(ref.parameters(), lr=0.1), np.stack([np.concatenate(
    [X[s, q * B:q * B + B // 2] for q in range(n)] + [X[s, q * B + B // 2:(q + 1) * B]
                                                       for q in range(n)]) for s in range(3)]),
      np.stack([np.concatenate([Y[s, q * B:q * B + B // 2] for q in range(n)] +
                               [Y[s, q * B + B // 2:(q + 1) * B] for q in range(n)])
                for s in range(3)]), accumulate=True)
ddp = DDP(make(7))
train(ddp, fgrad.optim.SGD(ddp.parameters(), lr=0.1), X[:, mine], Y[:, mine], ddp=ddp,
      accumulate=True)
same(params(ddp.module), params(ref), "DDP no_sync accumulation")

# inside no_sync nothing is communicated: the gradients are this process's own
ddp = DDP(make(8))
with ddp.no_sync():
    loss_fn(ddp(fgrad.tensor(X[0, mine])), fgrad.tensor(Y[0, mine])).backward()
solo = make(8)
loss_fn(solo(fgrad.tensor(X[0, mine])), fgrad.tensor(Y[0, mine])).backward()
same([p.grad.numpy() for p in ddp.parameters()], [p.grad.numpy() for p in solo.parameters()],
     "no_sync keeps local gradients")

# state_dict as PyTorch's: the wrapped module's keys under "module."
keys = list(DDP(make(1)).state_dict())
assert keys == ["module." + k for k in make(1).state_dict()], keys

# unused parameters: an error at the next forward, unless find_unused_parameters=True
m = DDP(make(9, extra=True))
loss_fn(m(fgrad.tensor(X[0, mine])), fgrad.tensor(Y[0, mine])).backward()
try:
    m(fgrad.tensor(X[0, mine]))
    raise AssertionError("unused parameters must be reported")
except RuntimeError as e:
    assert "find_unused_parameters=True" in str(e), e
m = DDP(make(9, extra=True), find_unused_parameters=True)
for _ in range(2):
    loss_fn(m(fgrad.tensor(X[0, mine])), fgrad.tensor(Y[0, mine])).backward()
assert m.module.unused.weight.grad is None and m.module.body[0].weight.grad is not None

# functional data parallelism: a jitted step whose gradient is all_reduce'd (mean)
def loss(p, x, y):
    h = fnp.tanh(x @ p["w1"] + p["b1"])
    return fnp.mean((h @ p["w2"] - y) ** 2)


def step(p, x, y):
    return tree_map(lambda a, g: a - 0.1 * g, p, dist.all_reduce(fgrad.grad(loss)(p, x, y),
                                                                 op="mean"))


def full_step(p, x, y):
    return tree_map(lambda a, g: a - 0.1 * g, p, fgrad.grad(loss)(p, x, y))


p0 = {"w1": fnp.asarray(rng.standard_normal((5, 8))), "b1": fnp.zeros(8),
      "w2": fnp.asarray(rng.standard_normal((8, 3)))}
jstep = fgrad.jit(step)
p, q = p0, p0
for s in range(3):
    p = jstep(p, fnp.asarray(X[s, mine]), fnp.asarray(Y[s, mine]))
    q = full_step(q, fnp.asarray(X[s]), fnp.asarray(Y[s]))
same([np.asarray(p[k]) for k in sorted(p)], [np.asarray(q[k]) for k in sorted(q)],
     "jitted all_reduce step")
print(f"rank {r} of {n}: ddp ok")
