"""``fgrad.func`` against ``torch.func``: functional_call, stack_module_state, the
transforms under torch.func's names, and modules left exactly as they were."""
from __future__ import annotations

import numpy as np
import pytest

import fgrad
from fgrad import nn
from fgrad.func import (functional_call, grad, grad_and_value, hessian, jacfwd, jacrev, jvp,
                        stack_module_state, vjp, vmap)
from tests._torch_compare import compare

torch = pytest.importorskip("torch")
tf = torch.func

RNG = np.random.default_rng(0)
W1, B1, W2, B2 = (RNG.standard_normal(s) for s in [(5, 3), (5,), (2, 5), (2,)])
X, Y = RNG.standard_normal((4, 3)), RNG.standard_normal((4, 2))


def mlp(lib):
    m = lib.nn.Sequential(lib.nn.Linear(3, 5), lib.nn.Tanh(), lib.nn.Linear(5, 2)).double()
    with lib.no_grad():
        for p, v in zip(m.parameters(), (W1, B1, W2, B2)):
            p.copy_(lib.tensor(v))
    return m


def params_of(lib, scale=1.0):
    names = ["0.weight", "0.bias", "2.weight", "2.bias"]
    return {n: lib.tensor(v * scale) for n, v in zip(names, (W1, B1, W2, B2))}


def np_(t):
    return t.detach().numpy()


def assert_tree_close(f, t, tol=1e-10):
    if isinstance(f, dict):
        assert sorted(f) == sorted(t)
        for k in f:
            assert_tree_close(f[k], t[k], tol)
    elif isinstance(f, (tuple, list)):
        assert len(f) == len(t)
        for a, b in zip(f, t):
            assert_tree_close(a, b, tol)
    else:
        np.testing.assert_allclose(np_(f), np_(t), rtol=tol, atol=tol)


def snapshot(module):
    """The exact state of a module: every parameter/buffer object and its buffer."""
    return [(name, id(t), id(t._data), type(t._data)) for name, t in
            list(module.named_parameters()) + list(module.named_buffers())] + \
        [(name, tuple(m.__dict__)) for name, m in module.named_modules()]


def assert_untouched(module, snap):
    assert snapshot(module) == snap
    for _, t in module.named_parameters():
        assert isinstance(t._data, np.ndarray)
    module(fgrad.tensor(X))          # still usable eagerly


def test_functional_call_matches_torch_and_restores():
    fm, tm = mlp(fgrad), mlp(torch)
    snap = snapshot(fm)
    f = functional_call(fm, params_of(fgrad, 0.5), (fgrad.tensor(X),))
    t = tf.functional_call(tm, params_of(torch, 0.5), (torch.tensor(X),))
    assert_tree_close(f, t)
    p = params_of(fgrad, 0.5)
    f2 = functional_call(fm, ({k: p[k] for k in list(p)[:2]}, {k: p[k] for k in list(p)[2:]}),
                         fgrad.tensor(X))
    assert_tree_close(f2, t)
    assert_untouched(fm, snap)
    # only some parameters given: the others are the module's
    f3 = functional_call(fm, {"2.bias": fgrad.zeros(2, dtype=fgrad.float64)}, fgrad.tensor(X))
    t3 = tf.functional_call(tm, {"2.bias": torch.zeros(2, dtype=torch.float64)}, torch.tensor(X))
    assert_tree_close(f3, t3)


def test_functional_call_kwargs_and_buffers():
    class Scaled(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(2, 2)
            self.register_buffer("scale", fgrad.tensor(2.0))

        def forward(self, x, *, shift=0.0):
            return self.lin(x) * self.scale + shift

    m = Scaled()
    snap = snapshot(m)
    out = functional_call(m, {"scale": fgrad.tensor(10.0)}, (fgrad.ones(1, 2),),
                          {"shift": 1.0})
    expected = m.lin(fgrad.ones(1, 2)) * 10.0 + 1.0
    assert fgrad.allclose(out, expected)
    assert snapshot(m) == snap and m.scale.item() == 2.0


@pytest.mark.parametrize("src", [
    "m = torch.nn.Linear(2, 2)\n"
    "torch.func.functional_call(m, {'weight': torch.ones(2, 2)}, torch.ones(1, 2), strict=True)",
    "m = torch.nn.Linear(2, 2)\n"
    "torch.func.functional_call(m, {'weight': torch.ones(2, 2), 'bias': torch.ones(2), "
    "'extra': torch.ones(1)}, torch.ones(1, 2), strict=True)",
    "m = torch.nn.Linear(2, 2)\n"
    "torch.func.functional_call(m, ({'weight': torch.ones(2, 2)}, {'weight': torch.ones(2, 2)}),"
    " torch.ones(1, 2))",
    "torch.func.stack_module_state([])",
    "torch.func.stack_module_state([torch.nn.Linear(1, 1), torch.nn.Linear(1, 1).eval()])",
])
def test_errors_match_torch(src):
    compare(src)


def test_tied_weights():
    class Tied(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Linear(2, 2, bias=False)
            self.b = nn.Linear(2, 2, bias=False)
            self.b.weight = self.a.weight

        def forward(self, x):
            return self.b(self.a(x))

    m = Tied()
    x = fgrad.ones(1, 2)
    w = fgrad.eye(2) * 3
    assert functional_call(m, {"a.weight": w}, x).tolist() == [[9.0, 9.0]]
    untied = functional_call(m, {"a.weight": w}, x, tie_weights=False)
    assert fgrad.allclose(untied, (x @ w.T) @ m.a.weight.T)
    with pytest.raises(ValueError, match="tied"):
        functional_call(m, {"a.weight": w, "b.weight": w.clone()}, x)


def test_grad_of_functional_call_matches_torch_and_leaves_module():
    fm, tm = mlp(fgrad), mlp(torch)
    snap = snapshot(fm)

    def loss(lib, func_mod, m):
        def f(p, x, y):
            return ((func_mod.functional_call(m, p, (x,)) - y) ** 2).mean()
        return f

    fg, fv = grad_and_value(loss(fgrad, fgrad.func, fm))(params_of(fgrad), fgrad.tensor(X),
                                                        fgrad.tensor(Y))
    tg, tv = tf.grad_and_value(loss(torch, tf, tm))(params_of(torch), torch.tensor(X),
                                                     torch.tensor(Y))
    assert_tree_close(fg, tg)
    assert_tree_close(fv, tv)
    assert_untouched(fm, snap)


def test_per_example_gradients_with_vmap_match_torch():
    fm, tm = mlp(fgrad), mlp(torch)
    snap = snapshot(fm)

    def per_example(lib, func_mod, m):
        def loss(p, x, y):
            out = func_mod.functional_call(m, p, (x.unsqueeze(0),))
            return ((out - y.unsqueeze(0)) ** 2).sum()
        return func_mod.vmap(func_mod.grad(loss), in_dims=(None, 0, 0))

    f = per_example(fgrad, fgrad.func, fm)(params_of(fgrad), fgrad.tensor(X), fgrad.tensor(Y))
    t = per_example(torch, tf, tm)(params_of(torch), torch.tensor(X), torch.tensor(Y))
    assert_tree_close(f, t)
    assert f["0.weight"].shape == (4, 5, 3)
    assert_untouched(fm, snap)


def test_ensemble_with_stack_module_state_matches_torch():
    fgrad.manual_seed(0)
    fmodels = [nn.Linear(3, 2).double() for _ in range(3)]
    tmodels = [torch.nn.Linear(3, 2).double() for _ in range(3)]
    with torch.no_grad():
        for fm, tm in zip(fmodels, tmodels):
            for fp, tp in zip(fm.parameters(), tm.parameters()):
                tp.copy_(torch.tensor(fp.detach().numpy()))
    fparams, fbuf = stack_module_state(fmodels)
    tparams, tbuf = tf.stack_module_state(tmodels)
    assert sorted(fparams) == sorted(tparams) and fbuf == {} and tbuf == {}
    assert fparams["weight"].requires_grad and fparams["weight"].is_leaf
    base = fmodels[0]
    snap = snapshot(base)
    f = vmap(lambda p, x: functional_call(base, p, (x,)), in_dims=(0, None))(
        fparams, fgrad.tensor(X))
    tbase = tmodels[0]
    t = tf.vmap(lambda p, x: tf.functional_call(tbase, p, (x,)), in_dims=(0, None))(
        tparams, torch.tensor(X))
    assert_tree_close(f, t)
    assert_untouched(base, snap)


def test_transforms_match_torch_func():
    x = RNG.standard_normal(3)
    v = RNG.standard_normal(3)

    def f(lib):
        return lambda a: (lib.sin(a) * a ** 2).sum()

    def g(lib):
        return lambda a: lib.sin(a) * a.sum()

    fx, tx = fgrad.tensor(x), torch.tensor(x)
    assert_tree_close(grad(f(fgrad))(fx), tf.grad(f(torch))(tx))
    assert_tree_close(grad_and_value(f(fgrad))(fx), tf.grad_and_value(f(torch))(tx))
    assert_tree_close(jacrev(g(fgrad))(fx), tf.jacrev(g(torch))(tx))
    assert_tree_close(jacfwd(g(fgrad))(fx), tf.jacfwd(g(torch))(tx))
    assert_tree_close(hessian(f(fgrad))(fx), tf.hessian(f(torch))(tx))
    fo, fvjp = vjp(g(fgrad), fx)
    to, tvjp = tf.vjp(g(torch), tx)
    assert_tree_close(fo, to)
    assert_tree_close(fvjp(fgrad.tensor(v)), tvjp(torch.tensor(v)))
    assert_tree_close(jvp(g(fgrad), (fx,), (fgrad.tensor(v),)),
                      tf.jvp(g(torch), (tx,), (torch.tensor(v),)))
    aux = lambda lib: (lambda a: (lib.sin(a), a * 2))
    assert_tree_close(jvp(aux(fgrad), (fx,), (fgrad.tensor(v),), has_aux=True),
                      tf.jvp(aux(torch), (tx,), (torch.tensor(v),), has_aux=True))
    hx = lambda lib: (lambda a, b: ((a * b).sum(), a + b))
    assert_tree_close(grad(hx(fgrad), argnums=(0, 1), has_aux=True)(fx, fx),
                      tf.grad(hx(torch), argnums=(0, 1), has_aux=True)(tx, tx))
    assert_tree_close(grad_and_value(hx(fgrad), has_aux=True)(fx, fx),
                      tf.grad_and_value(hx(torch), has_aux=True)(tx, tx))
    assert_tree_close(vmap(lambda a, b: a * b, in_dims=(0, None), out_dims=1)(
        fgrad.tensor(np.ones((2, 3))), fx),
        tf.vmap(lambda a, b: a * b, in_dims=(0, None), out_dims=1)(
            torch.tensor(np.ones((2, 3))), tx))
    with pytest.raises(NotImplementedError):
        vmap(lambda a: a, randomness="different")
    with pytest.raises(RuntimeError, match="randomness"):
        vmap(lambda a: a, randomness="nope")


def _load_loss(m, x):
    def loss(p):
        m.load_state_dict(p)
        return m(x).sum()
    return loss


def test_load_state_dict_inside_grad_vmap_jit_leaves_no_tracer():
    m = mlp(fgrad)
    x = fgrad.tensor(X)
    snap = snapshot(m)
    before = m(x)
    sd = {k: v.clone() for k, v in m.state_dict().items()}
    g = fgrad.grad(_load_loss(m, x))(sd)
    assert_untouched(m, snap)
    assert fgrad.equal(m(x), before)
    # the gradient equals the one of functional_call
    g2 = fgrad.grad(lambda p: functional_call(m, p, (x,)).sum())(sd)
    assert_tree_close(g, g2, 1e-14)
    stacked = {k: fgrad.stack([v, v * 2]) for k, v in sd.items()}
    out = fgrad.vmap(_load_loss(m, x))(stacked)
    assert out.shape == (2,)
    assert_untouched(m, snap)
    jitted = fgrad.jit(_load_loss(m, x))
    assert np.isclose(jitted(sd).item(), before.sum().item())
    assert_untouched(m, snap)
    assert fgrad.equal(m(x), before)


def test_functional_call_under_jit_leaves_module():
    m = mlp(fgrad)
    snap = snapshot(m)
    x = fgrad.tensor(X)
    f = fgrad.jit(lambda p, x: functional_call(m, p, (x,)))
    out = f(params_of(fgrad, 0.5), x)
    assert_tree_close(out, functional_call(m, params_of(fgrad, 0.5), (x,)), 1e-14)
    out2 = f(params_of(fgrad, 0.25), x)          # the cached program, new parameters
    assert_tree_close(out2, functional_call(m, params_of(fgrad, 0.25), (x,)), 1e-14)
    assert_untouched(m, snap)


@pytest.mark.parametrize("transform", ["grad", "vmap", "jit", "none"])
def test_exception_in_the_middle_leaves_module(transform):
    m = mlp(fgrad)
    snap = snapshot(m)
    x = fgrad.tensor(X)

    def boom_load(p):
        m.load_state_dict(p)
        m(x)
        raise KeyError("boom")

    def boom_call(p):
        def hook(*a):
            raise KeyError("boom")
        m[1].forward = hook
        try:
            return functional_call(m, p, (x,))
        finally:
            del m[1].forward

    sd = {k: v.clone() for k, v in m.state_dict().items()}
    wrap = {"grad": fgrad.grad, "vmap": fgrad.vmap, "jit": fgrad.jit,
            "none": lambda f: f}[transform]
    args = {k: fgrad.stack([v, v]) for k, v in sd.items()} if transform == "vmap" else sd
    for fn in (boom_load, boom_call):
        if transform == "none" and fn is boom_load:
            continue
        with pytest.raises(KeyError, match="boom"):
            wrap(fn)(args)
        assert_untouched(m, snap)
