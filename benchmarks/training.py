"""One training step of an MLP (784-256-10, ReLU, cross-entropy, batch 128, float32).

Rows: hand-written NumPy (forward, backward and update written out), PyTorch eager,
the fgrad facade eager (``model(x)``, ``loss.backward()``, ``opt.step()``), the facade
with ``fgrad.jit(model)`` (forward and backward compiled, the optimizer eager), and the
jitted functional step (``functional_call`` + ``value_and_grad`` + the update, one
compiled program: the fast path). Each step is checked against the NumPy one.

    python benchmarks/training.py [--quick]

Timings are the best of several repeats; on a loaded machine they still vary a lot.
"""
from __future__ import annotations

import argparse
import timeit

import numpy as np

import fgrad
import fgrad.nn.functional as F
from fgrad import nn
from fgrad.func import functional_call

D_IN, HIDDEN, D_OUT, BATCH, LR = 784, 256, 10, 128, 0.01
BETAS, EPS = (0.9, 0.999), 1e-8


def data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((BATCH, D_IN)).astype(np.float32)
    y = rng.integers(0, D_OUT, BATCH)
    w1 = (rng.standard_normal((HIDDEN, D_IN)) / np.sqrt(D_IN)).astype(np.float32)
    b1 = np.zeros(HIDDEN, np.float32)
    w2 = (rng.standard_normal((D_OUT, HIDDEN)) / np.sqrt(HIDDEN)).astype(np.float32)
    b2 = np.zeros(D_OUT, np.float32)
    return x, y, [w1, b1, w2, b2]


def numpy_grads(params, x, y):
    w1, b1, w2, b2 = params
    h = x @ w1.T + b1
    a = np.maximum(h, 0)
    z = a @ w2.T + b2
    z = z - z.max(1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(1, keepdims=True)
    loss = -np.log(p[np.arange(len(y)), y]).mean()
    dz = p
    dz[np.arange(len(y)), y] -= 1
    dz /= len(y)
    gw2, gb2 = dz.T @ a, dz.sum(0)
    da = dz @ w2
    da[h <= 0] = 0
    return loss, [da.T @ x, da.sum(0), gw2, gb2]


def numpy_sgd_step(params, x, y):
    loss, grads = numpy_grads(params, x, y)
    for p, g in zip(params, grads):
        p -= LR * g
    return loss


def make_model(init):
    model = nn.Sequential(nn.Linear(D_IN, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, D_OUT))
    with fgrad.no_grad():
        for p, v in zip(model.parameters(), init):
            p.copy_(fgrad.tensor(v))
    return model


def functional_sgd(model):
    def step(params, x, y):
        loss, g = fgrad.value_and_grad(
            lambda p: F.cross_entropy(functional_call(model, p, (x,)), y))(params)
        return {k: params[k] - LR * g[k] for k in params}, loss
    return fgrad.jit(step)


def functional_adam(model):
    b1, b2 = BETAS

    def step(params, m, v, bc1, bc2, x, y):
        loss, g = fgrad.value_and_grad(
            lambda p: F.cross_entropy(functional_call(model, p, (x,)), y))(params)
        m = {k: b1 * m[k] + (1 - b1) * g[k] for k in g}
        v = {k: b2 * v[k] + (1 - b2) * g[k] * g[k] for k in g}
        new = {k: params[k] - (LR / bc1) * m[k] / ((v[k] / bc2).sqrt() + EPS) for k in g}
        return new, m, v, loss
    return fgrad.jit(step)


def best_ms(fn, number, repeat):
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number * 1e3


def run(quick: bool):
    number, repeat = (5, 3) if quick else (20, 5)
    x_np, y_np, init = data()
    x, y = fgrad.tensor(x_np), fgrad.tensor(y_np)

    # agreement of one SGD step with the NumPy step
    ref = [p.copy() for p in init]
    numpy_sgd_step(ref, x_np, y_np)
    model = make_model(init)
    opt = fgrad.optim.SGD(model.parameters(), lr=LR)
    F.cross_entropy(model(x), y).backward()
    opt.step()
    for p, r in zip(model.parameters(), ref):
        np.testing.assert_allclose(p.detach().numpy(), r, rtol=1e-4, atol=1e-5)
    fstep = functional_sgd(make_model(init))
    params = {k: v.detach() for k, v in make_model(init).named_parameters()}
    new, _ = fstep(params, x, y)
    for k, r in zip(["0.weight", "0.bias", "2.weight", "2.bias"], ref):
        np.testing.assert_allclose(new[k].numpy(), r, rtol=1e-4, atol=1e-5)

    rows = {}
    params_np = [p.copy() for p in init]
    rows["numpy (hand-written backward), SGD"] = best_ms(
        lambda: numpy_sgd_step(params_np, x_np, y_np), number, repeat)

    for name, make_opt in (("SGD", lambda ps: fgrad.optim.SGD(ps, lr=LR)),
                           ("Adam", lambda ps: fgrad.optim.Adam(ps, lr=LR))):
        model = make_model(init)
        opt = make_opt(model.parameters())

        def eager_step(model=model, opt=opt):
            opt.zero_grad()
            F.cross_entropy(model(x), y).backward()
            opt.step()
        rows[f"fgrad facade eager, {name}"] = best_ms(eager_step, number, repeat)

        jm = fgrad.jit(model)

        def jit_model_step(jm=jm, opt=opt):
            opt.zero_grad()
            F.cross_entropy(jm(x), y).backward()
            opt.step()
        jit_model_step()
        rows[f"fgrad jit(model) + eager optimizer, {name}"] = best_ms(jit_model_step, number,
                                                                      repeat)
    model = make_model(init)
    fstep = functional_sgd(model)
    state = {"p": {k: v.detach() for k, v in model.named_parameters()}}

    def f_sgd():
        state["p"], _ = fstep(state["p"], x, y)
    f_sgd()
    rows["fgrad jitted functional step, SGD"] = best_ms(f_sgd, number, repeat)
    astep = functional_adam(model)
    st = {"p": {k: v.detach() for k, v in model.named_parameters()}, "t": 0}
    st["m"] = {k: fgrad.zeros_like(v) for k, v in st["p"].items()}
    st["v"] = {k: fgrad.zeros_like(v) for k, v in st["p"].items()}

    def f_adam():
        st["t"] += 1
        t = st["t"]
        st["p"], st["m"], st["v"], _ = astep(st["p"], st["m"], st["v"],
                                             fgrad.tensor(1 - BETAS[0] ** t),
                                             fgrad.tensor(1 - BETAS[1] ** t), x, y)
    f_adam()
    rows["fgrad jitted functional step, Adam"] = best_ms(f_adam, number, repeat)

    torch_ms = {}
    try:
        import torch
        # one thread for PyTorch (a shared machine); OPENBLAS_NUM_THREADS=1 does the same for
        # NumPy and fgrad
        torch.set_num_threads(1)
        tx, ty = torch.tensor(x_np), torch.tensor(y_np)
        for name, cls in (("SGD", torch.optim.SGD), ("Adam", torch.optim.Adam)):
            tm = torch.nn.Sequential(torch.nn.Linear(D_IN, HIDDEN), torch.nn.ReLU(),
                                     torch.nn.Linear(HIDDEN, D_OUT))
            with torch.no_grad():
                for p, v in zip(tm.parameters(), init):
                    p.copy_(torch.tensor(v))
            topt = cls(tm.parameters(), lr=LR)

            def torch_step(tm=tm, topt=topt):
                topt.zero_grad()
                torch.nn.functional.cross_entropy(tm(tx), ty).backward()
                topt.step()
            torch_ms[name] = rows[f"PyTorch eager, {name}"] = best_ms(torch_step, number,
                                                                       repeat)
        threads = f"torch threads: {torch.get_num_threads()}"
    except ImportError:
        threads = "PyTorch not installed"

    np_ms = rows["numpy (hand-written backward), SGD"]
    print(f"MLP {D_IN}-{HIDDEN}-{D_OUT}, batch {BATCH}, float32 ({threads})\n")
    print("| step | ms | vs NumPy | vs PyTorch eager (same optimizer) |")
    print("|---|---:|---:|---:|")
    for name, ms in rows.items():
        opt_name = "Adam" if name.endswith("Adam") else "SGD"
        vs_t = f"{ms / torch_ms[opt_name]:.2f}x" if opt_name in torch_ms else "-"
        print(f"| {name} | {ms:.3f} | {ms / np_ms:.2f}x | {vs_t} |")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    run(ap.parse_args().quick)
