"""Per-op dispatch cost: a chain of 50 element-wise ops on a shape-(4,) array.

Prints microseconds per op for plain NumPy (forward, and forward + a hand-written
backward), fgrad untraced, under ``grad`` (forward + backward) and under
``vmap(grad)`` (a batch of 8), and, when installed, HIPS autograd and PyTorch.
Every library's gradient is checked against the hand-written NumPy one.

    python benchmarks/dispatch.py [--quick]
"""
from __future__ import annotations

import argparse
import sys
import timeit

import numpy as np

import fgrad
import fgrad.numpy as fnp

N_OPS = 50  # 10 rounds of 5 ops


def chain(m, x):
    """50 element-wise ops written against the namespace ``m`` (numpy-like)."""
    for _ in range(10):
        x = m.sin(x)
        x = x * 1.1
        x = x + 0.3
        x = m.tanh(x)
        x = x - 0.2
    return x


def numpy_value_and_grad(x):
    """The chain's forward pass and its backward pass, written out by hand."""
    saved = []
    for _ in range(10):
        saved.append(x)
        s = np.sin(x) * 1.1 + 0.3
        x = np.tanh(s) - 0.2
        saved.append(x + 0.2)          # tanh output
    g = np.ones_like(x)
    for i in range(9, -1, -1):
        t = saved[2 * i + 1]
        g = g * (1 - t * t)            # tanh'
        g = g * 1.1 * np.cos(saved[2 * i])
    return x.sum(), g


def best_per_op(fn, number, repeat):
    times = timeit.repeat(fn, number=number, repeat=repeat)
    return min(times) / number / N_OPS * 1e6


def run(quick: bool):
    number, repeat = (200, 3) if quick else (1000, 7)
    x_np = np.linspace(0.1, 0.9, 4)
    x = fnp.asarray(x_np)
    _, g_ref = numpy_value_and_grad(x_np)

    f = lambda x: fnp.sum(chain(fnp, x))
    grad_f = fgrad.grad(f)
    np.testing.assert_allclose(np.asarray(grad_f(x)), g_ref, rtol=1e-10)
    xb = fnp.asarray(np.tile(x_np, (8, 1)))
    vg = fgrad.vmap(grad_f)
    np.testing.assert_allclose(np.asarray(vg(xb))[3], g_ref, rtol=1e-10)

    rows = [
        ("numpy forward", best_per_op(lambda: chain(np, x_np), number, repeat)),
        ("numpy forward + hand-written backward",
         best_per_op(lambda: numpy_value_and_grad(x_np), number, repeat)),
        ("fgrad untraced", best_per_op(lambda: chain(fnp, x), number, repeat)),
        ("fgrad grad (forward + backward)", best_per_op(lambda: grad_f(x), number, repeat)),
        ("fgrad vmap(grad), batch 8", best_per_op(lambda: vg(xb), number // 2, repeat)),
    ]
    try:
        import autograd
        import autograd.numpy as anp
        ag = autograd.grad(lambda x: anp.sum(chain(anp, x)))
        np.testing.assert_allclose(ag(x_np), g_ref, rtol=1e-10)
        rows.append(("autograd grad", best_per_op(lambda: ag(x_np), number, repeat)))
    except ImportError:
        pass
    try:
        import torch
        xt = torch.tensor(x_np, requires_grad=True)

        def torch_step():
            xt.grad = None
            torch.sum(chain(torch, xt)).backward()
            return xt.grad
        np.testing.assert_allclose(torch_step().numpy(), g_ref, rtol=1e-10)
        rows.append(("torch eager forward", best_per_op(lambda: chain(torch, xt.detach()), number, repeat)))
        rows.append(("torch backward()", best_per_op(torch_step, number, repeat)))
    except ImportError:
        pass

    base_fwd, base_bwd = rows[0][1], rows[1][1]
    print(f"{'workload (50 ops on shape (4,))':45s} {'us/op':>8s} {'vs numpy fwd':>13s} {'vs numpy f+b':>13s}")
    for name, us in rows:
        print(f"{name:45s} {us:8.2f} {us / base_fwd:12.2f}x {us / base_bwd:12.2f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    run(parser.parse_args().quick)
    sys.exit(0)
