"""The training kit's layers: one forward and backward pass of each (float32), fgrad's
facade against PyTorch eager, and fgrad's forward against a hand-written NumPy forward
(the floor: no graph, no checks).

Layers: LayerNorm (64 x 256), BatchNorm2d in training mode (32 x 16 x 16 x 16), an LSTM
(sequence 32, batch 16, 64 -> 64, one layer: one ``lax.scan`` over time), and
MultiheadAttention (batch 8, 32 tokens, width 64, 4 heads). Each row's loss is
``(out * probe).sum()``; the parameters' gradients are checked against PyTorch's first.

    python benchmarks/nn_layers.py [--repeat 30]
"""
from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"          # one BLAS thread, as PyTorch's below: set before NumPy loads

import argparse  # noqa: E402

import numpy as np  # noqa: E402

import fgrad  # noqa: E402
from fgrad import nn  # noqa: E402
from _timing import median_times  # noqa: E402  (benchmarks/_timing.py)

try:
    import torch
    torch.set_num_threads(1)
except ImportError:  # pragma: no cover
    torch = None

RNG = np.random.default_rng(0)




# ---------------------------------------------------------------- NumPy forwards
def np_layer_norm(x, w, b, eps=1e-5):
    mean = x.mean(-1, keepdims=True)
    xc = x - mean
    var = (xc * xc).mean(-1, keepdims=True)
    return xc / np.sqrt(var + eps) * w + b


def np_batch_norm(x, w, b, eps=1e-5):
    mean = x.mean((0, 2, 3), keepdims=True)
    xc = x - mean
    var = (xc * xc).mean((0, 2, 3), keepdims=True)
    return xc / np.sqrt(var + eps) * w[:, None, None] + b[:, None, None]


def np_lstm(x, w_ih, w_hh, b_ih, b_hh):
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    h = np.zeros((x.shape[1], w_hh.shape[1]), x.dtype)
    c = np.zeros_like(h)
    gi = x @ w_ih.T + b_ih
    out = []
    for t in range(x.shape[0]):
        i, f, g, o = np.split(gi[t] + h @ w_hh.T + b_hh, 4, axis=1)
        c = sig(f) * c + sig(i) * np.tanh(g)
        h = sig(o) * np.tanh(c)
        out.append(h)
    return np.stack(out)


def np_mha(x, w_in, b_in, w_out, b_out, heads):
    n, s, e = x.shape
    hd = e // heads
    q, k, v = np.split(x @ w_in.T + b_in, 3, axis=-1)
    split = lambda t: t.reshape(n, s, heads, hd).transpose(0, 2, 1, 3)  # noqa: E731
    q, k, v = split(q), split(k), split(v)
    sc = q @ k.transpose(0, 1, 3, 2) / np.sqrt(hd)
    sc = np.exp(sc - sc.max(-1, keepdims=True))
    att = sc / sc.sum(-1, keepdims=True)
    o = (att @ v).transpose(0, 2, 1, 3).reshape(n, s, e)
    return o @ w_out.T + b_out


# ---------------------------------------------------------------- cases
def cases():
    """``(name, torch module factory, input shape, numpy forward of (x, module))``."""
    return [
        ("LayerNorm(256)", lambda lib: lib.nn.LayerNorm(256), (64, 256),
         lambda x, m: np_layer_norm(x, *[p.detach().numpy() for p in m.parameters()])),
        ("BatchNorm2d(16), train", lambda lib: lib.nn.BatchNorm2d(16), (32, 16, 16, 16),
         lambda x, m: np_batch_norm(x, *[p.detach().numpy() for p in m.parameters()])),
        ("LSTM(64, 64), L=32", lambda lib: lib.nn.LSTM(64, 64), (32, 16, 64),
         lambda x, m: np_lstm(x, *[p.detach().numpy() for p in m.parameters()])),
        ("MultiheadAttention(64, 4)", lambda lib: lib.nn.MultiheadAttention(64, 4,
                                                                            batch_first=True),
         (8, 32, 64),
         lambda x, m: np_mha(x, *[p.detach().numpy() for p in m.parameters()], heads=4)),
    ]


def first(out):
    return out[0] if isinstance(out, tuple) else out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    print("| layer (float32) | NumPy fwd (us) | fgrad fwd (us) | fgrad/NumPy | "
          "fgrad fwd+bwd (us) | torch fwd+bwd (us) | fgrad/torch |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, make, shape, np_fwd in cases():
        x_np = RNG.normal(size=shape).astype(np.float32)
        fm = make(fgrad)
        if torch is not None:
            torch.manual_seed(0)
            tm = make(torch)
            fm.load_state_dict({k: fgrad.tensor(v.numpy()) for k, v in tm.state_dict().items()})
        probe_np = RNG.normal(size=np.shape(np_fwd(x_np, fm))).astype(np.float32)
        fx, fprobe = fgrad.tensor(x_np), fgrad.tensor(probe_np)

        def f_fwd():
            with fgrad.no_grad():
                if isinstance(fm, nn.MultiheadAttention):
                    fm(fx, fx, fx, need_weights=False)
                else:
                    fm(fx)

        def call(m, x):
            return first(m(x, x, x, need_weights=False) if "Attention" in type(m).__name__
                         else m(x))

        def f_step():
            fm.zero_grad()
            (call(fm, fx) * fprobe).sum().backward()

        fns = [lambda: np_fwd(x_np, fm), f_fwd, f_step]
        if torch is not None:
            tx, tprobe = torch.tensor(x_np), torch.tensor(probe_np)

            def t_step():
                tm.zero_grad()
                (call(tm, tx) * tprobe).sum().backward()
            fns.append(t_step)
            f_step(), t_step()
            for (k, p), (_, q) in zip(fm.named_parameters(), tm.named_parameters()):
                np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=2e-3,
                                           atol=2e-3, err_msg=f"{name} {k}")
        times = [t * 1e6 for t in median_times(fns, args.repeat)]
        t_np, t_fwd, t_step = times[:3]
        t_torch = times[3] if torch is not None else float("nan")
        print(f"| {name} | {t_np:.0f} | {t_fwd:.0f} | {t_fwd / t_np:.1f}x | {t_step:.0f} | "
              f"{t_torch:.0f} | {t_step / t_torch:.1f}x |")


if __name__ == "__main__":
    main()
