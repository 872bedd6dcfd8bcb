"""A small CNN training step (loss and every gradient), float32, one thread.

Batch 32 of 1x28x28: conv 1->8 3x3 (padding 1), relu, maxpool 2, conv 8->16 3x3
(padding 1), relu, maxpool 2, linear 784->10, cross-entropy. Rows:

* NumPy written by hand: im2col forward, the backward pass written out (the floor);
* ``fgrad.jit(fgrad.value_and_grad(loss))`` of the network written with ``fgrad.lax``;
* the facade (``import fgrad as torch``: ``nn.Conv2d``, ``loss.backward()``);
* PyTorch eager (when importable), the facade's target.

Gradients of every row are checked against NumPy's first. Peak memory of one step
(``tracemalloc``, which sees NumPy's buffers) for NumPy and the jitted step. Then one
larger layer (batch 64, 64->64 channels, 32x32, 3x3, padding 1: forward and both
gradients) against PyTorch.

    python benchmarks/conv.py [--repeat 20]
"""
from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"          # one thread, set before NumPy loads its BLAS

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

import numpy as np  # noqa: E402
from numpy.lib.stride_tricks import sliding_window_view  # noqa: E402

import fgrad  # noqa: E402
import fgrad.numpy as fnp  # noqa: E402
from fgrad import lax, nn  # noqa: E402
import fgrad.nn.functional as F  # noqa: E402

try:
    import torch
    torch.set_num_threads(1)
except ImportError:  # pragma: no cover - torch is an optional oracle
    torch = None

N = 32


# ---------------------------------------------------------------- NumPy by hand ---
def _im2col(x, k=3, pad=1):
    """(N, C, H, W) -> (N*H*W, C*k*k) for a stride-1 'same' convolution."""
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    win = sliding_window_view(xp, (k, k), axis=(2, 3))           # (N, C, H, W, k, k)
    return win.transpose(0, 2, 3, 1, 4, 5).reshape(n * h * w, c * k * k)


def _col2im(dcols, shape, k=3, pad=1):
    n, c, h, w = shape
    d = dcols.reshape(n, h, w, c, k, k)
    dxp = np.zeros((n, c, h + 2 * pad, w + 2 * pad), dcols.dtype)
    for i in range(k):                                             # one add per kernel tap
        for j in range(k):
            dxp[:, :, i:i + h, j:j + w] += d[:, :, :, :, i, j].transpose(0, 3, 1, 2)
    return dxp[:, :, pad:-pad, pad:-pad]


def _conv_fwd(x, w, b):
    n, _, h, wd = x.shape
    cols = _im2col(x)
    out = cols @ w.reshape(w.shape[0], -1).T + b
    return out.reshape(n, h, wd, -1).transpose(0, 3, 1, 2), cols


def _conv_bwd(dout, cols, x_shape, w, need_dx=True):
    dmat = dout.transpose(0, 2, 3, 1).reshape(-1, w.shape[0])
    dw = (dmat.T @ cols).reshape(w.shape)
    db = dmat.sum(0)
    dx = _col2im(dmat @ w.reshape(w.shape[0], -1), x_shape) if need_dx else None
    return dx, dw, db


def _pool_fwd(x):
    n, c, h, w = x.shape
    r = x.reshape(n, c, h // 2, 2, w // 2, 2)
    out = r.max(axis=(3, 5))
    return out, r


def _pool_bwd(dout, r, out):
    mask = r == out[:, :, :, None, :, None]
    return (mask * dout[:, :, :, None, :, None]).reshape(r.shape[0], r.shape[1],
                                                         r.shape[2] * 2, r.shape[4] * 2)


def numpy_step(p, x, y):
    z1, cols1 = _conv_fwd(x, p["w1"], p["b1"])
    a1 = np.maximum(z1, 0)
    h1, r1 = _pool_fwd(a1)
    z2, cols2 = _conv_fwd(h1, p["w2"], p["b2"])
    a2 = np.maximum(z2, 0)
    h2, r2 = _pool_fwd(a2)
    flat = h2.reshape(N, -1)
    logits = flat @ p["w3"].T + p["b3"]
    m = logits.max(1, keepdims=True)
    e = np.exp(logits - m)
    s = e.sum(1, keepdims=True)
    logp = logits - m - np.log(s)
    loss = -logp[np.arange(N), y].mean()
    dlogits = e / s
    dlogits[np.arange(N), y] -= 1
    dlogits /= N
    g = {"w3": dlogits.T @ flat, "b3": dlogits.sum(0)}
    dh2 = (dlogits @ p["w3"]).reshape(h2.shape)
    dz2 = _pool_bwd(dh2, r2, h2) * (z2 > 0)
    dh1, g["w2"], g["b2"] = _conv_bwd(dz2, cols2, h1.shape, p["w2"])
    dz1 = _pool_bwd(dh1, r1, h1) * (z1 > 0)
    _, g["w1"], g["b1"] = _conv_bwd(dz1, cols1, x.shape, p["w1"], need_dx=False)
    return loss, g


# ------------------------------------------------------------ fgrad functional ---
def functional_loss(p, x, y):
    def block(h, w, b):
        h = lax.conv_general_dilated(h, w, (1, 1), ((1, 1), (1, 1))) + b[None, :, None, None]
        h = nn.relu(h)
        return lax.reduce_window(h, -np.inf, "max", (1, 1, 2, 2), (1, 1, 2, 2), "VALID")
    h = block(block(x, p["w1"], p["b1"]), p["w2"], p["b2"])
    logits = h.reshape(N, -1) @ p["w3"].T + p["b3"]
    logp = nn.log_softmax(logits, axis=1)
    return -fnp.mean(fnp.take_along_axis(logp, y[:, None], axis=1))


# ------------------------------------------------------------------ the facade ---
def facade_net(mod):
    """The network as a ``mod.nn`` Sequential (``mod`` is fgrad or torch)."""
    return mod.nn.Sequential(
        mod.nn.Conv2d(1, 8, 3, padding=1), mod.nn.ReLU(), mod.nn.MaxPool2d(2),
        mod.nn.Conv2d(8, 16, 3, padding=1), mod.nn.ReLU(), mod.nn.MaxPool2d(2))


def eager_step(mod, convs, head, x, y):
    for m in (*convs, head):
        for q in m.parameters():
            q.grad = None
    out = head(convs(x).reshape(N, -1))
    loss = mod.nn.functional.cross_entropy(out, y)
    loss.backward()
    return loss


def median_times(fs, repeat):
    """Median CPU time of each of ``fs`` over interleaved rounds: with one thread it is
    the wall time of an idle machine, and on a shared one it leaves out the waits."""
    for f in fs:
        f()
    times = [[] for _ in fs]
    for _ in range(repeat):
        for f, ts in zip(fs, times):
            t0 = time.process_time()
            f()
            ts.append(time.process_time() - t0)
    return [statistics.median(ts) for ts in times]


def peak_bytes(f):
    f()
    tracemalloc.start()
    tracemalloc.reset_peak()
    f()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def _close(a, b, what):
    """float32 agreement, relative to the largest entry (sums of thousands of terms)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    np.testing.assert_allclose(a, b, rtol=2e-3, atol=1e-4 * max(1.0, np.abs(b).max()),
                               err_msg=what)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    f32 = np.float32
    params = {"w1": rng.standard_normal((8, 1, 3, 3)).astype(f32) / 3,
              "b1": rng.standard_normal(8).astype(f32) * 0.1,
              "w2": rng.standard_normal((16, 8, 3, 3)).astype(f32) / 8.5,
              "b2": rng.standard_normal(16).astype(f32) * 0.1,
              "w3": rng.standard_normal((10, 784)).astype(f32) / 28,
              "b3": rng.standard_normal(10).astype(f32) * 0.1}
    x = rng.standard_normal((N, 1, 28, 28)).astype(f32)
    y = rng.integers(0, 10, N)
    ref_loss, ref_g = numpy_step(params, x, y)

    fparams = {k: fnp.asarray(v) for k, v in params.items()}
    fx, fy = fnp.asarray(x), fnp.asarray(y)
    step = fgrad.jit(fgrad.value_and_grad(functional_loss))
    loss, g = step(fparams, fx, fy)
    assert np.asarray(loss).dtype == np.float32
    _close(loss, ref_loss, "jit loss")
    for k in params:
        _close(g[k], ref_g[k], f"jit grad {k}")

    def load(mod, convs, head, as_tensor):
        with mod.no_grad():
            for m, (w, b) in ((convs[0], ("w1", "b1")), (convs[3], ("w2", "b2")),
                              (head, ("w3", "b3"))):
                m.weight.copy_(as_tensor(params[w]))
                m.bias.copy_(as_tensor(params[b]))

    convs, head = facade_net(fgrad), nn.Linear(784, 10)
    load(fgrad, convs, head, fgrad.tensor)
    tx, ty = fgrad.tensor(x), fgrad.tensor(y)
    _close(eager_step(fgrad, convs, head, tx, ty).item(), ref_loss, "facade loss")
    for m, (w, b) in ((convs[0], ("w1", "b1")), (convs[3], ("w2", "b2")), (head, ("w3", "b3"))):
        _close(m.weight.grad.numpy(), ref_g[w], f"facade grad {w}")
        _close(m.bias.grad.numpy(), ref_g[b], f"facade grad {b}")

    rows = [("NumPy by hand (im2col forward and backward)", lambda: numpy_step(params, x, y)),
            ("fgrad jit(value_and_grad), fgrad.lax", lambda: step(fparams, fx, fy)),
            ("fgrad facade (nn.Conv2d, backward())",
             lambda: eager_step(fgrad, convs, head, tx, ty))]
    if torch is not None:
        tconvs, thead = facade_net(torch), torch.nn.Linear(784, 10)
        load(torch, tconvs, thead, torch.tensor)
        px, py = torch.tensor(x), torch.tensor(y)
        _close(eager_step(torch, tconvs, thead, px, py).item(), ref_loss, "torch loss")
        rows.append(("PyTorch eager", lambda: eager_step(torch, tconvs, thead, px, py)))
    times = median_times([f for _, f in rows], args.repeat)
    floor = times[0]
    print("Small CNN step, batch 32 of 1x28x28, float32, one thread "
          f"(median CPU time of {args.repeat})\n")
    print("| implementation | time per step | vs NumPy |" + (" vs PyTorch |" if torch else ""))
    print("|---|---|---|" + ("---|" if torch else ""))
    for (name, _), t in zip(rows, times):
        line = f"| {name} | {t * 1e3:.2f} ms | {t / floor:.2f}x |"
        if torch is not None:
            line += f" {t / times[-1]:.2f}x |"
        print(line)

    mem_np = peak_bytes(lambda: numpy_step(params, x, y))
    mem_jit = peak_bytes(lambda: step(fparams, fx, fy))
    print("\nPeak memory of one step (tracemalloc)\n")
    print("| implementation | peak | vs NumPy |\n|---|---|---|")
    print(f"| NumPy by hand | {mem_np / 2**20:.2f} MiB | 1.00x |")
    print(f"| fgrad jit(value_and_grad) | {mem_jit / 2**20:.2f} MiB | {mem_jit / mem_np:.2f}x |")

    # one larger layer: forward and both gradients
    xb = rng.standard_normal((64, 64, 32, 32)).astype(f32)
    wb = (rng.standard_normal((64, 64, 3, 3)) / 24).astype(f32)
    ct = rng.standard_normal((64, 64, 32, 32)).astype(f32)
    fx2 = fgrad.tensor(xb, requires_grad=True)
    fw2 = fgrad.tensor(wb, requires_grad=True)
    fct = fgrad.tensor(ct)

    def fgrad_layer():
        fx2.grad = fw2.grad = None
        (F.conv2d(fx2, fw2, padding=1) * fct).sum().backward()
    layer_rows = [("fgrad facade", fgrad_layer)]
    if torch is not None:
        tx2 = torch.tensor(xb, requires_grad=True)
        tw2 = torch.tensor(wb, requires_grad=True)
        tct = torch.tensor(ct)

        def torch_layer():
            tx2.grad = tw2.grad = None
            (torch.nn.functional.conv2d(tx2, tw2, padding=1) * tct).sum().backward()
        layer_rows.append(("PyTorch eager", torch_layer))
        fgrad_layer()
        torch_layer()
        _close(fw2.grad.numpy(), tw2.grad.numpy(), "large layer weight grad")
        _close(fx2.grad.numpy(), tx2.grad.numpy(), "large layer input grad")
    lt = median_times([f for _, f in layer_rows], max(3, args.repeat // 4))
    print("\nOne layer: batch 64, 64->64 channels, 32x32, 3x3, padding 1; forward and both "
          "gradients, float32, one thread\n")
    print("| implementation | time | vs PyTorch |\n|---|---|---|")
    for (name, _), t in zip(layer_rows, lt):
        print(f"| {name} | {t * 1e3:.1f} ms | {t / lt[-1]:.2f}x |")


if __name__ == "__main__":
    main()
