"""fgrad's benchmark table: workloads W1-W9, medians and ratios, in one process.

    python benchmarks/run.py [--quick] [--only W1,W3]

Every workload has a hand-written NumPy reference (forward and backward written
out by hand: the floor); each library's answer is checked against it before it
is timed, so a fast wrong answer cannot win. HIPS autograd, PyTorch (eager and
torch.func) and JAX (eager and jit) are measured when installed. Ratios are to
the NumPy reference of the same workload, measured in the same run.
"""
from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fgrad  # noqa: E402
import fgrad.numpy as fnp  # noqa: E402
from dispatch import N_OPS, chain, numpy_value_and_grad  # noqa: E402

try:
    import torch
    torch.set_num_threads(1)
except ImportError:
    torch = None
try:
    import jax
    import jax.numpy as jnp
    jax.config.update("jax_enable_x64", True)
except ImportError:
    jax = None
try:
    import autograd
    import autograd.numpy as anp
except ImportError:
    autograd = None

QUICK = False
ROWS: list[tuple] = []


def median_time(fn, min_time=0.2, max_repeat=50):
    """Median seconds per call over repeats of a calibrated inner loop."""
    fn()
    t0 = time.perf_counter()
    fn()
    once = max(time.perf_counter() - t0, 1e-7)
    number = max(1, int(0.02 / once))
    repeat = max(3, min(max_repeat, int((0.1 if QUICK else min_time) / (once * number)) or 3))
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t0) / number)
    return statistics.median(times)


def check(name, got, expected, rtol=1e-5, atol=1e-8):
    got_leaves = [np.asarray(to_numpy(g), dtype=np.float64) for g in flat(got)]
    exp_leaves = [np.asarray(e, dtype=np.float64) for e in flat(expected)]
    assert len(got_leaves) == len(exp_leaves), name
    for g, e in zip(got_leaves, exp_leaves):
        np.testing.assert_allclose(g, e, rtol=rtol, atol=atol, err_msg=name)


def flat(x):
    if isinstance(x, dict):
        return [v for k in sorted(x) for v in flat(x[k])]
    if isinstance(x, (list, tuple)):
        return [v for i in x for v in flat(i)]
    return [x]


def to_numpy(x):
    if torch is not None and isinstance(x, torch.Tensor):
        return x.detach().numpy()
    if hasattr(x, "detach") and hasattr(x, "numpy"):
        return x.detach().numpy()
    return np.asarray(x)


def record(workload, impl, seconds, reference, unit="", note=""):
    ROWS.append((workload, impl, seconds, seconds / reference if reference else None, unit, note))


def measure(workload, impl, fn, expected, reference, rtol=1e-5, atol=1e-8, per=1, unit="",
            note=""):
    """Check ``fn()`` against ``expected``, then time it; ``per`` divides the time."""
    try:
        check(f"{workload} {impl}", fn(), expected, rtol, atol)
    except Exception as e:  # a library that cannot run the workload is reported, not timed
        ROWS.append((workload, impl, None, None, unit, f"failed: {type(e).__name__}: {e}"[:90]))
        return None
    t = median_time(fn) / per
    record(workload, impl, t, reference, unit, note)
    return t


# ------------------------------------------------------------------ W1 ------
def w1_dispatch():
    x_np = np.linspace(0.1, 0.9, 4)
    x = fnp.asarray(x_np)
    value, g_ref = numpy_value_and_grad(x_np)
    f = lambda x: fnp.sum(chain(fnp, x))
    t_fwd = median_time(lambda: chain(np, x_np)) / N_OPS
    t_vg = median_time(lambda: numpy_value_and_grad(x_np)) / N_OPS
    record("W1 forward", "numpy", t_fwd, t_fwd, "per op")
    measure("W1 forward", "fgrad", lambda: chain(fnp, x), chain(np, x_np), t_fwd, per=N_OPS,
            unit="per op")
    record("W1 value+grad", "numpy by hand", t_vg, t_vg, "per op")
    vg = fgrad.value_and_grad(f)
    measure("W1 value+grad", "fgrad value_and_grad", lambda: vg(x), (value, g_ref), t_vg,
            per=N_OPS, unit="per op")
    jg = fgrad.jit(fgrad.value_and_grad(f))
    measure("W1 value+grad", "fgrad jit(value_and_grad)", lambda: jg(x), (value, g_ref), t_vg,
            per=N_OPS, unit="per op")
    xb_np = np.tile(x_np, (8, 1))
    xb = fnp.asarray(xb_np)
    vgrad = fgrad.vmap(fgrad.grad(f))
    measure("W1 vmap(grad) x8", "fgrad", lambda: vgrad(xb), np.tile(g_ref, (8, 1)), t_vg,
            per=N_OPS, unit="per op")
    if hasattr(fgrad, "tensor"):
        def facade():
            t = fgrad.tensor(x_np, requires_grad=True)
            fgrad.sum(chain(fgrad, t)).backward()
            return t.grad
        measure("W1 value+grad", "fgrad facade backward()", facade, g_ref, t_vg, per=N_OPS,
                unit="per op")
    if autograd is not None:
        ag = autograd.value_and_grad(lambda x: anp.sum(chain(anp, x)))
        measure("W1 forward", "autograd", lambda: chain(anp, x_np), chain(np, x_np), t_fwd,
                per=N_OPS, unit="per op")
        measure("W1 value+grad", "autograd", lambda: ag(x_np), (value, g_ref), t_vg, per=N_OPS,
                unit="per op")
    if torch is not None:
        xt = torch.tensor(x_np)
        measure("W1 forward", "torch eager", lambda: chain(torch, xt), chain(np, x_np), t_fwd,
                per=N_OPS, unit="per op")

        def torch_vg():
            t = xt.clone().requires_grad_(True)
            y = torch.sum(chain(torch, t))
            y.backward()
            return y, t.grad
        measure("W1 value+grad", "torch eager backward()", torch_vg, (value, g_ref), t_vg,
                per=N_OPS, unit="per op")
        from torch.func import grad as tgrad, grad_and_value, vmap as tvmap
        tf = grad_and_value(lambda x: torch.sum(chain(torch, x)))
        measure("W1 value+grad", "torch.func grad_and_value", lambda: tf(xt)[::-1],
                (value, g_ref), t_vg, per=N_OPS, unit="per op")
        tv = tvmap(tgrad(lambda x: torch.sum(chain(torch, x))))
        measure("W1 vmap(grad) x8", "torch.func", lambda: tv(torch.tensor(xb_np)),
                np.tile(g_ref, (8, 1)), t_vg, per=N_OPS, unit="per op")
    if jax is not None:
        xj = jnp.asarray(x_np)
        jf = lambda x: jnp.sum(chain(jnp, x))
        measure("W1 value+grad", "jax eager", lambda: jax.value_and_grad(jf)(xj),
                (value, g_ref), t_vg, per=N_OPS, unit="per op")
        jj = jax.jit(jax.value_and_grad(jf))
        measure("W1 value+grad", "jax jit", lambda: jax.block_until_ready(jj(xj)),
                (value, g_ref), t_vg, per=N_OPS, unit="per op")


# ------------------------------------------------------------------ W2 ------
def w2_seed_scalars():
    t_np = median_time(lambda: (2.0 ** 3, 3 * 2.0 ** 2))
    for name, f, fnp_expected in [("x**3 at 2", lambda x: x ** 3, 12.0),
                                  ("x**2 + 20 at 2", lambda x: x ** 2 + 20, 4.0)]:
        label = f"W2 grad {name}"
        record(label, "python closed form", t_np, t_np, "per call")
        g = fgrad.grad(f)
        measure(label, "fgrad grad", lambda: g(2.0), fnp_expected, t_np, unit="per call")
        if hasattr(fgrad, "tensor"):
            def facade():
                x = fgrad.tensor(2.0, requires_grad=True)
                f(x).backward()
                return x.grad
            measure(label, "fgrad facade", facade, fnp_expected, t_np, unit="per call")
        if autograd is not None:
            ag = autograd.grad(f)
            measure(label, "autograd", lambda: ag(2.0), fnp_expected, t_np, unit="per call")
        if torch is not None:
            def torch_call():
                x = torch.tensor(2.0, requires_grad=True)
                f(x).backward()
                return x.grad
            measure(label, "torch", torch_call, fnp_expected, t_np, unit="per call")
        if jax is not None:
            jg = jax.jit(jax.grad(f))
            measure(label, "jax jit", lambda: jax.block_until_ready(jg(2.0)), fnp_expected, t_np,
                    unit="per call")


# ------------------------------------------------------------------ W3 ------
def mlp_numpy(W1, b1, W2, b2, x, labels):
    """Loss and gradients of a tanh MLP with softmax cross-entropy, by hand."""
    n = x.shape[0]
    h = np.tanh(x @ W1 + b1)
    logits = h @ W2 + b2
    m = logits.max(axis=1, keepdims=True)
    e = np.exp(logits - m)
    s = e.sum(axis=1, keepdims=True)
    logp = logits - m - np.log(s)
    loss = -logp[np.arange(n), labels].mean()
    d_logits = e / s
    d_logits[np.arange(n), labels] -= 1
    d_logits /= n
    dW2 = h.T @ d_logits
    db2 = d_logits.sum(0)
    dpre = (d_logits @ W2.T) * (1 - h * h)
    dW1 = x.T @ dpre
    db1 = dpre.sum(0)
    return loss, (dW1, db1, dW2, db2)


def w3_mlp():
    rng = np.random.default_rng(0)
    for dtype in (np.float32, np.float64):
        label = f"W3 MLP 784-256-10 b128 {np.dtype(dtype).name}"
        W1 = (rng.normal(size=(784, 256)) * 0.05).astype(dtype)
        b1 = np.zeros(256, dtype)
        W2 = (rng.normal(size=(256, 10)) * 0.05).astype(dtype)
        b2 = np.zeros(10, dtype)
        x = rng.normal(size=(128, 784)).astype(dtype)
        labels = rng.integers(0, 10, size=128)
        onehot = np.eye(10, dtype=dtype)[labels]
        ref = mlp_numpy(W1, b1, W2, b2, x, labels)
        t_np = median_time(lambda: mlp_numpy(W1, b1, W2, b2, x, labels))
        record(label, "numpy by hand", t_np, t_np)
        tol = dict(rtol=2e-3, atol=1e-5) if dtype == np.float32 else dict(rtol=1e-8, atol=1e-10)

        def loss_fn(params, x, onehot, m=fnp):
            W1, b1, W2, b2 = params
            h = m.tanh(x @ W1 + b1)
            logits = h @ W2 + b2
            mx = m.max(logits, axis=1, keepdims=True)
            logp = logits - mx - m.log(m.sum(m.exp(logits - mx), axis=1, keepdims=True))
            return -m.sum(logp * onehot) / x.shape[0]
        params = tuple(fnp.asarray(p) for p in (W1, b1, W2, b2))
        xa, oh = fnp.asarray(x), fnp.asarray(onehot)
        vg = fgrad.value_and_grad(loss_fn)
        measure(label, "fgrad value_and_grad", lambda: vg(params, xa, oh), ref, t_np, **tol)
        jvg = fgrad.jit(fgrad.value_and_grad(loss_fn))
        measure(label, "fgrad jit(value_and_grad)", lambda: jvg(params, xa, oh), ref, t_np, **tol)
        if hasattr(fgrad, "tensor"):
            tparams = [fgrad.tensor(p, requires_grad=True) for p in (W1, b1, W2, b2)]
            tx, toh = fgrad.tensor(x), fgrad.tensor(onehot)

            def facade():
                for p in tparams:
                    p.grad = None
                loss = loss_fn(tparams, tx, toh, m=_FacadeNS)
                loss.backward()
                return loss, [p.grad for p in tparams]
            measure(label, "fgrad facade backward()", facade, ref, t_np, **tol)
        if autograd is not None:
            agf = autograd.value_and_grad(lambda p, x, o: loss_fn(p, x, o, m=anp))
            measure(label, "autograd", lambda: agf((W1, b1, W2, b2), x, onehot), ref, t_np, **tol)
        if torch is not None:
            tps = [torch.tensor(p, requires_grad=True) for p in (W1, b1, W2, b2)]
            tx_, to_ = torch.tensor(x), torch.tensor(onehot)

            def torch_step():
                for p in tps:
                    p.grad = None
                loss = loss_fn(tps, tx_, to_, m=_TorchNS)
                loss.backward()
                return loss, [p.grad for p in tps]
            measure(label, "torch eager", torch_step, ref, t_np, **tol)
        if jax is not None:
            jf = jax.jit(jax.value_and_grad(lambda p, x, o: loss_fn(p, x, o, m=_JaxNS)))
            jp = tuple(jnp.asarray(p) for p in (W1, b1, W2, b2))
            jx, jo = jnp.asarray(x), jnp.asarray(onehot)
            measure(label, "jax jit", lambda: jax.block_until_ready(jf(jp, jx, jo)), ref, t_np,
                    **tol)


class _TorchNS:
    tanh = staticmethod(lambda x: torch.tanh(x))
    exp = staticmethod(lambda x: torch.exp(x))
    log = staticmethod(lambda x: torch.log(x))
    max = staticmethod(lambda x, axis, keepdims: torch.amax(x, dim=axis, keepdim=keepdims))
    sum = staticmethod(lambda x, axis=None, keepdims=False:
                       torch.sum(x) if axis is None else torch.sum(x, dim=axis, keepdim=keepdims))


class _FacadeNS:
    tanh = staticmethod(lambda x: fgrad.tanh(x))
    exp = staticmethod(lambda x: fgrad.exp(x))
    log = staticmethod(lambda x: fgrad.log(x))
    max = staticmethod(lambda x, axis, keepdims: fgrad.amax(x, dim=axis, keepdim=keepdims))
    sum = staticmethod(lambda x, axis=None, keepdims=False:
                       fgrad.sum(x) if axis is None else fgrad.sum(x, dim=axis, keepdim=keepdims))


class _JaxNS:
    tanh = staticmethod(lambda x: jnp.tanh(x))
    exp = staticmethod(lambda x: jnp.exp(x))
    log = staticmethod(lambda x: jnp.log(x))
    max = staticmethod(lambda x, axis, keepdims: jnp.max(x, axis=axis, keepdims=keepdims))
    sum = staticmethod(lambda x, axis=None, keepdims=False: jnp.sum(x, axis=axis, keepdims=keepdims))


# ------------------------------------------------------------------ W4 ------
def w4_large_elementwise():
    n = 1_000_000 if QUICK else 10_000_000
    label = f"W4 sum(sin(x)*exp(-x**2)) n={n:.0e}"
    x_np = np.linspace(-3, 3, n)

    def by_hand(x):
        s, e = np.sin(x), np.exp(-x * x)
        value = np.sum(s * e)
        g = np.cos(x) * e
        g -= 2 * x * s * e
        return value, g
    ref = by_hand(x_np)
    t_np = median_time(lambda: by_hand(x_np), max_repeat=5)
    peak_np = peak_memory(lambda: by_hand(x_np)) / x_np.nbytes
    record(label, "numpy by hand", t_np, t_np, note=f"peak {peak_np:.1f}x input")
    f = lambda x: fnp.sum(fnp.sin(x) * fnp.exp(-x ** 2))
    x = fnp.asarray(x_np)
    for name, fn in [("fgrad value_and_grad", fgrad.value_and_grad(f)),
                     ("fgrad jit(value_and_grad)", fgrad.jit(fgrad.value_and_grad(f)))]:
        fn(x)
        peak = peak_memory(lambda: fn(x)) / x_np.nbytes
        measure(label, name, lambda: fn(x), ref, t_np, rtol=1e-9, atol=1e-9,
                note=f"peak {peak:.1f}x input")
    if torch is not None:
        xt = torch.tensor(x_np)

        def torch_vg():
            t = xt.clone().requires_grad_(True)
            y = torch.sum(torch.sin(t) * torch.exp(-t ** 2))
            y.backward()
            return y, t.grad
        measure(label, "torch eager", torch_vg, ref, t_np, rtol=1e-9, atol=1e-9)


def peak_memory(fn):
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# ------------------------------------------------------------------ W5 ------
def w5_per_example():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(256, 100))
    y = (rng.random(256) > 0.5).astype(np.float64)
    w_np = rng.normal(size=100) * 0.1
    label = "W5 per-example grads logreg 256x100"

    def by_hand(w, X, y):
        p = 1 / (1 + np.exp(-(X @ w)))
        return (p - y)[:, None] * X
    ref = by_hand(w_np, X, y)
    t_np = median_time(lambda: by_hand(w_np, X, y))
    record(label, "numpy vectorised by hand", t_np, t_np)

    def loss(w, x, y):
        z = fnp.dot(x, w)
        return fnp.logaddexp(0.0, z) - y * z
    g = fgrad.vmap(fgrad.grad(loss), in_axes=(None, 0, 0))
    w, Xa, ya = fnp.asarray(w_np), fnp.asarray(X), fnp.asarray(y)
    measure(label, "fgrad vmap(grad)", lambda: g(w, Xa, ya), ref, t_np)
    jg = fgrad.jit(g)
    measure(label, "fgrad jit(vmap(grad))", lambda: jg(w, Xa, ya), ref, t_np)
    single = fgrad.grad(loss)
    measure(label, "fgrad python loop of grad",
            lambda: fnp.stack([single(w, Xa[i], ya[i]) for i in range(256)]), ref, t_np)
    if torch is not None:
        from torch.func import grad as tgrad, vmap as tvmap
        tl = lambda w, x, y: torch.nn.functional.softplus(x @ w) - y * (x @ w)
        tg = tvmap(tgrad(tl), in_dims=(None, 0, 0))
        wt, Xt, yt = torch.tensor(w_np), torch.tensor(X), torch.tensor(y)
        measure(label, "torch.func vmap(grad)", lambda: tg(wt, Xt, yt), ref, t_np)
    if jax is not None:
        jl = lambda w, x, y: jnp.logaddexp(0.0, x @ w) - y * (x @ w)
        jj = jax.jit(jax.vmap(jax.grad(jl), in_axes=(None, 0, 0)))
        wj, Xj, yj = jnp.asarray(w_np), jnp.asarray(X), jnp.asarray(y)
        measure(label, "jax jit(vmap(grad))", lambda: jax.block_until_ready(jj(wj, Xj, yj)), ref,
                t_np)


# ------------------------------------------------------------------ W6 ------
def w6_hessian():
    n = 100
    rng = np.random.default_rng(2)
    A_np = rng.normal(size=(n, n)) / np.sqrt(n)
    x_np = rng.normal(size=n)
    label = f"W6 hessian sum(tanh(Ax)^2) n={n}"

    def closed_form(A, x):
        t = np.tanh(A @ x)
        d = 2 * (1 - t * t) * (1 - 3 * t * t)     # d2/dz2 tanh(z)^2
        return (A.T * d) @ A
    ref = closed_form(A_np, x_np)
    t_np = median_time(lambda: closed_form(A_np, x_np))
    record(label, "numpy closed form", t_np, t_np)
    A, x = fnp.asarray(A_np), fnp.asarray(x_np)
    f = lambda x: fnp.sum(fnp.tanh(A @ x) ** 2)
    h = fgrad.jacfwd(fgrad.jacrev(f))
    measure(label, "fgrad jacfwd(jacrev)", lambda: h(x), ref, t_np, rtol=1e-8, atol=1e-10)
    jh = fgrad.jit(h)
    measure(label, "fgrad jit(jacfwd(jacrev))", lambda: jh(x), ref, t_np, rtol=1e-8, atol=1e-10)
    if torch is not None:
        from torch.func import jacfwd as tjf, jacrev as tjr
        At = torch.tensor(A_np)
        th = tjf(tjr(lambda x: torch.sum(torch.tanh(At @ x) ** 2)))
        xt = torch.tensor(x_np)
        measure(label, "torch.func jacfwd(jacrev)", lambda: th(xt), ref, t_np, rtol=1e-8,
                atol=1e-10)
    if jax is not None:
        Aj = jnp.asarray(A_np)
        jj = jax.jit(jax.jacfwd(jax.jacrev(lambda x: jnp.sum(jnp.tanh(Aj @ x) ** 2))))
        xj = jnp.asarray(x_np)
        measure(label, "jax jit", lambda: jax.block_until_ready(jj(xj)), ref, t_np, rtol=1e-8,
                atol=1e-10)


# ------------------------------------------------------------------ W7 ------
def w7_einsum_chain():
    n = 100 if QUICK else 200
    rng = np.random.default_rng(3)
    mats = [rng.normal(size=(n, n)) / np.sqrt(n) for _ in range(4)]
    label = f"W7 grad einsum ij,jk,kl,lm->im n={n}"

    def by_hand(A, B, C, D):
        """L = sum(ABCD): dA = G (BCD)^T, dB = A^T G (CD)^T, dC = (AB)^T G D^T, dD = (ABC)^T G."""
        G = np.ones((n, n))
        AB, CD = A @ B, C @ D
        ABC, BCD = AB @ C, B @ CD
        return (ABC @ D).sum(), (G @ BCD.T, A.T @ G @ CD.T, AB.T @ G @ D.T, ABC.T @ G)
    ref = by_hand(*mats)
    t_np = median_time(lambda: by_hand(*mats))
    record(label, "numpy matmul chain by hand", t_np, t_np)
    f = lambda A, B, C, D: fnp.sum(fnp.einsum("ij,jk,kl,lm->im", A, B, C, D))
    vg = fgrad.value_and_grad(f, argnums=(0, 1, 2, 3))
    args = [fnp.asarray(m) for m in mats]
    measure(label, "fgrad value_and_grad", lambda: vg(*args), ref, t_np, rtol=1e-8, atol=1e-8)
    if torch is not None:
        tms = [torch.tensor(m) for m in mats]

        def torch_step():
            ts = [m.clone().requires_grad_(True) for m in tms]
            y = torch.einsum("ij,jk,kl,lm->im", *ts).sum()
            y.backward()
            return y, [t.grad for t in ts]
        measure(label, "torch eager", torch_step, ref, t_np, rtol=1e-8, atol=1e-8)
    if jax is not None:
        jf = jax.jit(jax.value_and_grad(
            lambda *m: jnp.sum(jnp.einsum("ij,jk,kl,lm->im", *m)), argnums=(0, 1, 2, 3)))
        jms = [jnp.asarray(m) for m in mats]
        measure(label, "jax jit", lambda: jax.block_until_ready(jf(*jms)), ref, t_np, rtol=1e-8,
                atol=1e-8)


# ------------------------------------------------------------------ W8 ------
def w8_long_scalar_chain():
    n_ops = 10_000

    def chain_scalar(x, n):
        for i in range(n // 2):
            x = x * 0.9999
            x = x + 0.0001
        return x

    def by_hand(x, n):
        return chain_scalar(x, n), 0.9999 ** (n // 2)
    ref = by_hand(0.5, n_ops)
    t_np = median_time(lambda: by_hand(0.5, n_ops), max_repeat=5)
    label = f"W8 {n_ops} scalar ops + backward"
    record(label, "python floats", t_np, t_np)
    vg = fgrad.value_and_grad(lambda x: chain_scalar(x, n_ops))
    measure(label, "fgrad value_and_grad", lambda: vg(0.5), ref, t_np, rtol=1e-9)
    jvg = fgrad.jit(fgrad.value_and_grad(lambda x: chain_scalar(x, n_ops)))
    measure(label, "fgrad jit(value_and_grad)", lambda: jvg(0.5), ref, t_np, rtol=1e-9)
    if hasattr(fgrad, "tensor"):
        def facade():
            x = fgrad.tensor(0.5, dtype=fgrad.float64, requires_grad=True)
            y = chain_scalar(x, n_ops)
            y.backward()
            return y, x.grad
        measure(label, "fgrad facade backward()", facade, ref, t_np, rtol=1e-9)
    if torch is not None:
        def torch_step():
            x = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
            y = chain_scalar(x, n_ops)
            y.backward()
            return y, x.grad
        measure(label, "torch eager", torch_step, ref, t_np, rtol=1e-9)
    if autograd is not None:
        ag = autograd.value_and_grad(lambda x: chain_scalar(x, n_ops))
        measure(label, "autograd", lambda: ag(0.5), ref, t_np, rtol=1e-9)
    # 100,000 ops: no recursion error, and memory with and without checkpointing
    big = 20_000 if QUICK else 100_000
    label = f"W8 {big} scalar ops: memory"
    plain = fgrad.grad(lambda x: chain_scalar(x, big))
    segment = fgrad.checkpoint(lambda x: chain_scalar(x, 1000))

    def remat(x):
        for _ in range(big // 1000):
            x = segment(x)
        return x
    ck = fgrad.grad(remat)
    expected = 0.9999 ** (big // 2)
    for name, fn in [("fgrad grad", plain), ("fgrad grad + checkpoint per 1000 ops", ck)]:
        got = float(fn(0.5))
        assert abs(got - expected) < 1e-9 * abs(expected), name
        peak = peak_memory(lambda: fn(0.5))
        ROWS.append((label, name, None, None, "", f"peak {peak / 2**20:.1f} MiB, no recursion "
                                                 "error"))


# ------------------------------------------------------------------ W9 ------
def w9_linear_regression():
    rng = np.random.default_rng(4)
    x_np = rng.random((100, 1)).astype(np.float32)
    y_np = (3 * x_np + 2 + 0.1 * rng.standard_normal((100, 1))).astype(np.float32)
    steps, lr = 100, 0.1
    label = "W9 linear regression loop, 100 steps"

    def by_hand():
        w, b = np.zeros((1, 1), np.float32), np.zeros(1, np.float32)
        for _ in range(steps):
            pred = x_np @ w + b
            d = 2 * (pred - y_np) / len(x_np)
            w -= lr * (x_np.T @ d)
            b -= lr * d.sum(0)
        return w, b
    ref = by_hand()
    t_np = median_time(by_hand, max_repeat=10)
    record(label, "numpy by hand", t_np, t_np)
    if hasattr(fgrad, "tensor"):
        measure(label, "fgrad facade", lambda: _imperative_loop(fgrad, x_np, y_np, steps, lr),
                ref, t_np, rtol=1e-4, atol=1e-5)
    if torch is not None:
        measure(label, "torch eager", lambda: _imperative_loop(torch, x_np, y_np, steps, lr),
                ref, t_np, rtol=1e-4, atol=1e-5)


def _imperative_loop(lib, x_np, y_np, steps, lr):
    """The seeds' hand-written training loop, for ``torch`` or ``fgrad``."""
    x, y = lib.from_numpy(x_np), lib.from_numpy(y_np)
    w = lib.zeros((1, 1), requires_grad=True)
    b = lib.zeros(1, requires_grad=True)
    for _ in range(steps):
        loss = ((x @ w + b - y) ** 2).mean()
        loss.backward()
        with lib.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
            w.grad.zero_()
            b.grad.zero_()
    return w.detach(), b.detach()


WORKLOADS = {"W1": w1_dispatch, "W2": w2_seed_scalars, "W3": w3_mlp, "W4": w4_large_elementwise,
             "W5": w5_per_example, "W6": w6_hessian, "W7": w7_einsum_chain,
             "W8": w8_long_scalar_chain, "W9": w9_linear_regression}


def fmt_time(t, unit):
    if t is None:
        return "-"
    if t < 1e-3:
        return f"{t * 1e6:.2f} us"
    if t < 1:
        return f"{t * 1e3:.2f} ms"
    return f"{t:.2f} s"


def _version(module) -> str:
    """A module's version, from its metadata when it has no ``__version__`` (autograd)."""
    from importlib import metadata
    try:
        return getattr(module, "__version__", None) or metadata.version(module.__name__)
    except metadata.PackageNotFoundError:
        return "?"


def main(argv=None):
    global QUICK
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    parser.add_argument("--only", default="", help="comma-separated workloads, e.g. W1,W3")
    args = parser.parse_args(argv)
    QUICK = args.quick
    chosen = [w.strip() for w in args.only.split(",") if w.strip()] or list(WORKLOADS)
    versions = [f"numpy {np.__version__}"] + [
        f"{m.__name__} {_version(m)}" for m in (torch, jax, autograd) if m is not None]
    print(f"fgrad {fgrad.__version__}; references: {', '.join(versions)}")
    for name in chosen:
        try:
            WORKLOADS[name]()
        except Exception as e:
            ROWS.append((name, "(workload)", None, None, "", f"failed: {type(e).__name__}: {e}"[:90]))
    print(f"\n| workload | implementation | median | ratio to NumPy | note |")
    print("|---|---|---|---|---|")
    for workload, impl, t, ratio, unit, note in ROWS:
        r = f"{ratio:.2f}x" if ratio is not None else "-"
        u = f" {unit}" if unit and t is not None else ""
        print(f"| {workload} | {impl} | {fmt_time(t, unit)}{u} | {r} | {note} |")


if __name__ == "__main__":
    main()
