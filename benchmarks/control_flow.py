"""Control flow (``fgrad.lax``) against hand-written NumPy, Python loops and PyTorch.

* RNN ``h = tanh(W h + U x_t + b)`` (hidden 64, input 32, 100 steps, batch 16, float64),
  loss ``sum(h_T)``, value and gradients w.r.t. W, U, b: ``jit(value_and_grad)`` through
  ``lax.scan`` vs a NumPy forward loop plus hand-written BPTT (the floor); eager
  ``value_and_grad`` through ``scan`` vs the same through a Python loop of eager fgrad
  ops, and vs PyTorch's eager loop with ``backward()``.
* Newton's iteration for sqrt on 1,000 values with ``lax.while_loop`` under ``jit`` vs
  a NumPy loop.
* A 100,000-step ``fori_loop`` under ``jit``: trace-and-compile time vs a 1-step loop,
  and the peak traced memory of both (tracemalloc).

    python benchmarks/control_flow.py [--repeat 20]
"""
from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np

import fgrad
import fgrad.lax as lax
import fgrad.numpy as fnp
from _timing import median_times  # noqa: E402  (benchmarks/_timing.py)

H, I, T, B = 64, 32, 100, 16




# ------------------------------------------------------------------- RNN ---
def numpy_rnn(W, U, b, h0, xs):
    """Forward loop (h: batch x hidden, row-major) and backpropagation through time."""
    hs = [h0]
    h = h0
    for t in range(T):
        h = np.tanh(h @ W.T + xs[t] @ U.T + b)
        hs.append(h)
    loss = h.sum()
    gW, gU, gb = np.zeros_like(W), np.zeros_like(U), np.zeros_like(b)
    gh = np.ones_like(h)
    for t in range(T - 1, -1, -1):
        ga = gh * (1.0 - hs[t + 1] ** 2)
        gW += ga.T @ hs[t]
        gU += ga.T @ xs[t]
        gb += ga.sum(0)
        gh = ga @ W
    return loss, (gW, gU, gb)


def fgrad_scan_loss(params, h0, xs):
    W, U, b = params

    def step(h, x):
        return fnp.tanh(h @ W.T + x @ U.T + b), None
    h, _ = lax.scan(step, h0, xs)
    return fnp.sum(h)


def fgrad_loop_loss(params, h0, xs):
    W, U, b = params
    h = h0
    for t in range(T):
        h = fnp.tanh(h @ W.T + xs[t] @ U.T + b)
    return fnp.sum(h)


def rnn_rows(repeat):
    rng = np.random.default_rng(0)
    W = rng.normal(size=(H, H)) / np.sqrt(H)
    U = rng.normal(size=(H, I)) / np.sqrt(I)
    b = rng.normal(size=H) * 0.1
    h0 = np.zeros((B, H))
    xs = rng.normal(size=(T, B, I))
    params = tuple(fnp.asarray(a) for a in (W, U, b))
    fh0, fxs = fnp.asarray(h0), fnp.asarray(xs)
    ref_loss, ref_g = numpy_rnn(W, U, b, h0, xs)
    vg_scan = fgrad.value_and_grad(fgrad_scan_loss)
    vg_jit = fgrad.jit(vg_scan)
    vg_loop = fgrad.value_and_grad(fgrad_loop_loss)
    for f in (vg_scan, vg_jit, vg_loop):
        loss, g = f(params, fh0, fxs)
        assert abs(float(loss) - ref_loss) < 1e-8 * abs(ref_loss)
        for a, r in zip(g, ref_g):
            np.testing.assert_allclose(np.asarray(a), r, rtol=1e-8, atol=1e-10)
    fs = [lambda: numpy_rnn(W, U, b, h0, xs), lambda: vg_jit(params, fh0, fxs),
          lambda: vg_scan(params, fh0, fxs), lambda: vg_loop(params, fh0, fxs)]
    names = ["NumPy forward + hand BPTT (floor)", "fgrad jit(value_and_grad) through scan",
             "fgrad eager value_and_grad through scan",
             "fgrad eager value_and_grad, Python loop"]
    try:
        import torch
        torch.set_num_threads(1)     # small matrices: threads only contend on a shared machine
        tW, tU, tb = (torch.tensor(a, requires_grad=True) for a in (W, U, b))
        th0, txs = torch.tensor(h0), torch.tensor(xs)

        def torch_loop():
            for p in (tW, tU, tb):
                p.grad = None
            h = th0
            for t in range(T):
                h = torch.tanh(h @ tW.T + txs[t] @ tU.T + tb)
            loss = h.sum()
            loss.backward()
            return loss
        torch_loop()
        np.testing.assert_allclose(tW.grad.numpy(), ref_g[0], rtol=1e-8, atol=1e-10)
        fs.append(torch_loop)
        names.append("PyTorch eager loop + backward()")
    except ImportError:
        pass
    times = median_times(fs, repeat)
    return [(n, t, t / times[0]) for n, t in zip(names, times)]


# ---------------------------------------------------------------- Newton ---
def numpy_newton(a):
    x = a.copy()
    while np.max(np.abs(x * x - a)) > 1e-10 * np.max(a):
        x = 0.5 * (x + a / x)
    return x


def fgrad_newton(a):
    tol = 1e-10 * fnp.max(a)
    return lax.while_loop(lambda x: fnp.max(fnp.abs(x * x - a)) > tol,
                          lambda x: 0.5 * (x + a / x), a)


def newton_rows(repeat):
    a = np.random.default_rng(1).uniform(0.5, 100.0, size=1000)
    fa = fnp.asarray(a)
    f = fgrad.jit(fgrad_newton)
    np.testing.assert_allclose(np.asarray(f(fa)), np.sqrt(a), rtol=1e-10)
    times = median_times([lambda: numpy_newton(a), lambda: f(fa)], repeat)
    return [("NumPy loop (floor)", times[0], 1.0),
            ("fgrad jit(while_loop)", times[1], times[1] / times[0])]


# ------------------------------------------------------------ trace time ---
def trace_rows():
    x = fnp.ones(16)
    rows = []
    for n in (1, 100_000):
        f = fgrad.jit(lambda x, n=n: lax.fori_loop(0, n, lambda i, x: x * 0.999 + 0.001, x))
        tracemalloc.start()
        t0 = time.perf_counter()
        f.lower(x)
        t_trace = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        t0 = time.perf_counter()
        f(x)
        t_first = time.perf_counter() - t0
        rows.append((n, t_trace, peak, t_first))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    print(f"## RNN value and grads (hidden {H}, input {I}, {T} steps, batch {B}, float64)\n")
    print("| implementation | median ms | × NumPy |")
    print("|---|---:|---:|")
    for name, t, r in rnn_rows(args.repeat):
        print(f"| {name} | {t * 1e3:.2f} | {r:.2f} |")
    print("\n## Newton sqrt, 1,000 values\n")
    print("| implementation | median ms | × NumPy |")
    print("|---|---:|---:|")
    for name, t, r in newton_rows(args.repeat * 5):
        print(f"| {name} | {t * 1e3:.3f} | {r:.2f} |")
    print("\n## fori_loop under jit: tracing vs trip count\n")
    print("| steps | trace ms | trace peak KiB | first call (trace + run) ms |")
    print("|---:|---:|---:|---:|")
    for n, t, peak, first in trace_rows():
        print(f"| {n:,} | {t * 1e3:.2f} | {peak / 1024:.0f} | {first * 1e3:.1f} |")


if __name__ == "__main__":
    main()
