"""fgrad.lax control flow: values vs Python loops and JAX, derivatives vs finite
differences and JAX, vmap vs loops, jit, make_jaxpr, the facade, and JAX's errors."""
from __future__ import annotations

import time

import numpy as np
import pytest

import fgrad
import fgrad.lax as lax
import fgrad.numpy as fnp

RNG = np.random.default_rng(0)
W = RNG.normal(size=(4, 4)) * 0.5
U = RNG.normal(size=(4, 3)) * 0.5
XS = RNG.normal(size=(6, 3))


def _rnn(W, U, h0, xs):
    def step(h, x):
        h = fnp.tanh(W @ h + U @ x)
        return h, fnp.sum(h)
    h, ys = lax.scan(step, h0, xs)
    return fnp.sum(h) + fnp.sum(ys ** 2)


def _rnn_loop(W, U, h0, xs):
    h, tot = h0, 0.0
    for t in range(xs.shape[0]):
        h = fnp.tanh(W @ h + U @ xs[t])
        tot = tot + fnp.sum(h) ** 2
    return fnp.sum(h) + tot


def _close(a, b, tol=1e-10):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=tol, atol=tol)


def _fd_grad(f, x, eps=1e-6):
    x = np.asarray(x, np.float64)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = eps
        g[i] = (float(f(fnp.asarray(x + e))) - float(f(fnp.asarray(x - e)))) / (2 * eps)
    return g


# ------------------------------------------------------------------ scan ---
def test_scan_rnn_value_grad_jvp_vmap_jit():
    args = [fnp.asarray(a) for a in (W, U, np.zeros(4), XS)]
    _close(_rnn(*args), _rnn_loop(*args))
    g = fgrad.grad(_rnn, argnums=(0, 1, 2, 3))(*args)
    g_loop = fgrad.grad(_rnn_loop, argnums=(0, 1, 2, 3))(*args)
    for a, b in zip(g, g_loop):
        _close(a, b)
    _close(g[0], _fd_grad(lambda w: _rnn(w, *args[1:]), W), 1e-6)
    for a, b in zip(fgrad.jit(fgrad.grad(_rnn, argnums=(0, 1, 2, 3)))(*args), g_loop):
        _close(a, b)
    t = fgrad.jvp(lambda w: _rnn(w, *args[1:]), (args[0],), (fnp.ones((4, 4)),))[1]
    _close(t, fgrad.jvp(lambda w: _rnn_loop(w, *args[1:]), (args[0],), (fnp.ones((4, 4)),))[1])
    batch = RNG.normal(size=(3, 6, 3))
    got = fgrad.vmap(lambda xs: _rnn(*args[:3], xs))(fnp.asarray(batch))
    _close(got, [float(_rnn_loop(*args[:3], fnp.asarray(b))) for b in batch])
    gv = fgrad.vmap(fgrad.grad(_rnn), in_axes=(None, None, None, 0))(*args[:3], fnp.asarray(batch))
    _close(gv, [np.asarray(fgrad.grad(_rnn_loop)(*args[:3], fnp.asarray(b))) for b in batch])
    h = fgrad.hessian(lambda h0: _rnn(args[0], args[1], h0, args[3]))(args[2])
    _close(h, fgrad.hessian(lambda h0: _rnn_loop(args[0], args[1], h0, args[3]))(args[2]))


def test_scan_against_jax():
    jax = pytest.importorskip("jax")
    jnp = jax.numpy

    def make(np_):
        def f(w, h0, xs):
            def step(c, x):
                h, s = c
                h = np_.tanh(w * h + x)
                return (h, s + np_.sum(h)), h * x
            (h, s), ys = (lax if np_ is fnp else jax.lax).scan(step, (h0, 0.0), xs, reverse=True)
            return np_.sum(h) + s + np_.sum(ys ** 2)
        return f
    w, h0, xs = RNG.normal(size=3), RNG.normal(size=3), RNG.normal(size=(5, 3))
    ours = fgrad.value_and_grad(make(fnp), argnums=(0, 1, 2))(*map(fnp.asarray, (w, h0, xs)))
    theirs = jax.value_and_grad(make(jnp), argnums=(0, 1, 2))(w, h0, xs)
    _close(ours[0], theirs[0])
    for a, b in zip(ours[1], theirs[1]):
        _close(a, b)


def test_scan_pytrees_length_and_none_xs():
    carry, ys = lax.scan(lambda c, _: ({"a": c["a"] + 1.0, "b": c["b"] * 2}, c["a"]),
                         {"a": fnp.zeros(2), "b": 1}, None, length=4)
    _close(carry["a"], [4.0, 4.0])
    assert int(carry["b"]) == 16
    assert ys.shape == (4, 2)
    _close(lax.map(lambda x: x * 2.0, fnp.arange(3.0)), [0.0, 2.0, 4.0])
    c, ys = lax.scan(lambda c, x: (c + x, c), 0.0, fnp.arange(4.0), reverse=True)
    _close(c, 6.0)
    _close(ys, [6.0, 5.0, 3.0, 0.0])


def test_scan_residuals_stacked_and_checkpoint_recomputes():
    body = lambda c, x: fnp.sin(fnp.sin(c)) * x

    def f(c):
        return lax.scan(lambda c, x: (body(c, x), None), c, fnp.arange(1.0, 4.0))[0]

    def f_ckpt(c):
        b = fgrad.checkpoint(body)
        return lax.scan(lambda c, x: (b(c, x), None), c, fnp.arange(1.0, 4.0))[0]
    plain = fgrad.make_jaxpr(fgrad.grad(f))(0.3)
    ckpt = fgrad.make_jaxpr(fgrad.grad(f_ckpt))(0.3)
    fwd_plain, fwd_ckpt = plain.eqns[0], ckpt.eqns[0]
    assert fwd_plain.prim.name == fwd_ckpt.prim.name == "scan"
    # the forward scan stacks each residual in one f64[3] buffer (c and sin(c); x is read
    # from xs); under checkpoint only c, and the reverse scan recomputes sin(c)
    assert [v.aval.shape for v in fwd_plain.outputs] == [(), (3,), (3,)]
    assert [v.aval.shape for v in fwd_ckpt.outputs] == [(), (3,)]
    assert "sin" in str(ckpt.eqns[-1].params["jaxpr"])
    _close(fgrad.grad(f)(0.3), fgrad.grad(f_ckpt)(0.3))
    _close(fgrad.grad(f)(0.3), _fd_grad(f, 0.3), 1e-7)


def test_scan_make_jaxpr_prints_body():
    text = str(fgrad.make_jaxpr(lambda c: lax.scan(lambda c, x: (c * x, c), c, fnp.ones(3)))(1.0))
    assert "scan[" in text and "jaxpr={ lambda" in text and "length=3" in text
    assert "mul" in text


def test_jit_emits_one_loop_and_traces_in_constant_time():
    def run(n):
        return fgrad.jit(lambda x: lax.fori_loop(0, n, lambda i, x: x * 0.5 + 1.0, x))
    x = fnp.ones(3)
    t0 = time.perf_counter()
    small = run(1)(x)
    t_small = time.perf_counter() - t0
    t0 = time.perf_counter()
    big = run(100_000).lower(x)
    t_big = time.perf_counter() - t0
    assert len(big.eqns) == 1 and big.eqns[0].prim.name == "scan"
    assert len(big.eqns[0].params["jaxpr"].eqns) <= 3
    assert t_big < 20 * t_small + 0.5       # tracing does not grow with the trip count
    _close(small, 1.5 * np.ones(3))
    _close(run(60)(x), 2.0 * np.ones(3))


# ------------------------------------------------------------------ cond ---
def test_cond_switch_values_grads_vmap_jit():
    f = lambda x: lax.cond(x > 0, lambda x: x ** 2, lambda x: -fnp.sin(x), x)
    for x in (3.0, -2.0):
        _close(f(x), x ** 2 if x > 0 else -np.sin(x))
        _close(fgrad.grad(f)(x), 2 * x if x > 0 else -np.cos(x))
        _close(fgrad.jit(f)(x), f(x))
        _close(fgrad.jit(fgrad.grad(f))(x), fgrad.grad(f)(x))
    xs = fnp.asarray([-1.0, 2.0, 0.5, -3.0])
    _close(fgrad.vmap(f)(xs), [float(f(x)) for x in np.asarray(xs)])
    _close(fgrad.vmap(fgrad.grad(f))(xs), [float(fgrad.grad(f)(x)) for x in np.asarray(xs)])
    branches = [lambda x: x, lambda x: x * 2.0, fnp.sin]
    g = lambda i, x: lax.switch(i, branches, x)
    idx = np.array([0, 1, 2, 7, -3])
    want = [branches[min(max(i, 0), 2)](1.5) for i in idx]
    _close(fgrad.vmap(g, in_axes=(0, None))(fnp.asarray(idx), 1.5), want)
    _close([g(int(i), 1.5) for i in idx], want)
    _close(fgrad.jit(g)(7, 1.5), np.sin(1.5))
    jvp = fgrad.jvp(lambda x: g(2, x), (1.5,), (1.0,))[1]
    _close(jvp, np.cos(1.5))


def test_cond_pytrees_closures_and_jax():
    jax = pytest.importorskip("jax")

    def make(L, np_):
        def f(p, x, y):
            out = L.cond(p > 0, lambda a: {"u": a[0] * y, "v": a[1]},
                         lambda a: {"u": a[0] - y, "v": a[1] * 2.0}, (x, y))
            return np_.sum(out["u"] ** 2) + np_.sum(out["v"])
        return f
    x, y = RNG.normal(size=3), RNG.normal(size=3)
    for p in (1.0, -1.0):
        ours = fgrad.grad(make(lax, fnp), argnums=(1, 2))(p, fnp.asarray(x), fnp.asarray(y))
        theirs = jax.grad(make(jax.lax, jax.numpy), argnums=(1, 2))(p, x, y)
        for a, b in zip(ours, theirs):
            _close(a, b)


def test_cond_make_jaxpr_prints_branches():
    text = str(fgrad.make_jaxpr(lambda x: lax.cond(x > 0, fnp.sin, fnp.cos, x))(1.0))
    assert "cond[" in text and "branches=(" in text
    assert "sin" in text and "cos" in text


def test_select():
    _close(lax.select(fnp.asarray([True, False]), fnp.ones(2), fnp.zeros(2)), [1.0, 0.0])
    with pytest.raises(TypeError, match="boolean"):
        lax.select(fnp.ones(2), fnp.ones(2), fnp.zeros(2))
    with pytest.raises(TypeError, match="same shapes"):
        lax.select(True, fnp.ones(2), fnp.zeros(3))
    assert float(fgrad.lax.stop_gradient(fnp.asarray(2.0))) == 2.0


# ----------------------------------------------------------------- while ---
def _newton(a):
    def body(c):
        return 0.5 * (c[0] + a / c[0]), c[1] + 1
    return lax.while_loop(lambda c: fnp.max(fnp.abs(c[0] * c[0] - a)) > 1e-12, body, (a, 0))


def test_while_values_vmap_and_jit():
    a = fnp.asarray([2.0, 9.0, 16.0])
    x, n = _newton(a)
    _close(x, np.sqrt([2.0, 9.0, 16.0]))
    _close(fgrad.jit(_newton)(a)[0], x)
    lane = lambda a: lax.while_loop(lambda c: fnp.abs(c[0] * c[0] - a) > 1e-12,
                                    lambda c: (0.5 * (c[0] + a / c[0]), c[1] + 1), (a, 0))
    xs, ns = fgrad.vmap(lane)(a)
    want = [lane(v) for v in (2.0, 9.0, 16.0)]
    _close(xs, [float(w[0]) for w in want])
    assert [int(v) for v in np.asarray(ns)] == [int(w[1]) for w in want]   # lanes stop apart
    assert len({int(v) for v in np.asarray(ns)}) > 1
    _close(fgrad.jit(fgrad.vmap(lane))(a)[0], xs)


def test_while_reverse_mode_eager_and_jit():
    f = lambda a: fnp.sum(_newton(a)[0])
    a = fnp.asarray([2.0, 9.0, 16.0])
    want = 0.5 / np.sqrt([2.0, 9.0, 16.0])
    _close(fgrad.grad(f)(a), want, 1e-8)
    _close(fgrad.jit(fgrad.grad(f))(a), want, 1e-8)
    # the trip count is read at run time: one jitted gradient, different trip counts
    g = fgrad.jit(fgrad.grad(lambda x: lax.while_loop(lambda v: v < 10.0, lambda v: v * 3.0, x)))
    _close(g(2.0), 9.0)        # 2 -> 6 -> 18: two steps
    _close(g(0.5), 27.0)       # 0.5 -> 1.5 -> 4.5 -> 13.5: three steps
    _close(g(20.0), 1.0)       # no step
    h = lambda x: lax.while_loop(lambda c: c[0] < 4, lambda c: (c[0] + 1, fnp.sin(c[1]) * 1.5),
                                 (0, x))[1]
    _close(fgrad.grad(h)(0.7), _fd_grad(h, 0.7), 1e-7)
    _close(fgrad.jvp(h, (0.7,), (1.0,))[1], _fd_grad(h, 0.7), 1e-7)


def test_fori_loop_bounds():
    _close(lax.fori_loop(0, 5, lambda i, x: x + i, 0.0), 10.0)
    _close(lax.fori_loop(3, 1, lambda i, x: x + i, 0.0), 0.0)
    f = fgrad.jit(lambda n, x: lax.fori_loop(0, n, lambda i, x: x * 2.0, x))
    _close(f(5, 1.0), 32.0)
    _close(fgrad.jit(fgrad.grad(lambda x, n: lax.fori_loop(0, n, lambda i, x: x * x, x)))(1.1, 3),
           8 * 1.1 ** 7)
    _close(fgrad.grad(lambda x: lax.fori_loop(0, 3, lambda i, x: x * x, x))(1.1), 8 * 1.1 ** 7)


def test_while_make_jaxpr():
    text = str(fgrad.make_jaxpr(lambda x: lax.while_loop(lambda v: v < 3.0, lambda v: v * 2.0, x))(1.0))
    assert "while[" in text and "cond_jaxpr={ lambda" in text and "body_jaxpr={ lambda" in text


# ------------------------------------------------------- associative scan ---
def test_associative_scan():
    x = RNG.normal(size=(7, 3))
    _close(lax.associative_scan(fnp.add, fnp.asarray(x)), np.cumsum(x, 0))
    _close(lax.associative_scan(fnp.add, fnp.asarray(x), reverse=True),
           np.cumsum(x[::-1], 0)[::-1])
    _close(lax.associative_scan(fnp.maximum, fnp.asarray(x), axis=1), np.maximum.accumulate(x, 1))
    # a linear recurrence h_t = a_t h_{t-1} + b_t as a pytree scan
    a, b = RNG.uniform(0.5, 1.0, size=8), RNG.normal(size=8)
    comb = lambda l, r: (l[0] * r[0], r[0] * l[1] + r[1])
    _, h = lax.associative_scan(comb, (fnp.asarray(a), fnp.asarray(b)))
    want, acc = [], 0.0
    for at, bt in zip(a, b):
        acc = at * acc + bt
        want.append(acc)
    _close(h, want)
    g = fgrad.grad(lambda b: fnp.sum(lax.associative_scan(comb, (fnp.asarray(a), b))[1] ** 2))
    _close(g(fnp.asarray(b)),
           _fd_grad(lambda b: fnp.sum(lax.associative_scan(comb, (fnp.asarray(a), b))[1] ** 2), b),
           1e-6)


# ---------------------------------------------------------------- facade ---
def test_facade_tensors():
    torch = fgrad
    Wt = torch.tensor(W)
    xs = torch.tensor(XS[:, :1].repeat(4, 1))

    def loss(W, xs):
        h, ys = lax.scan(lambda h, x: (torch.tanh(W @ h + x), h.sum()),
                         torch.zeros(4, dtype=torch.float64), xs)
        return h.sum() + ys.sum()

    def loss_loop(W, xs):
        h, tot = torch.zeros(4, dtype=torch.float64), 0
        for t in range(xs.shape[0]):
            tot = tot + h.sum()
            h = torch.tanh(W @ h + xs[t])
        return h.sum() + tot
    g = fgrad.grad(loss)(Wt, xs)
    assert isinstance(g, torch.Tensor)
    _close(g.numpy(), fgrad.grad(loss_loop)(Wt, xs).numpy())
    x0 = torch.ones(3, dtype=torch.float64, requires_grad=True)
    out = lax.fori_loop(0, 3, lambda i, h: torch.tanh(h * 0.5), x0)
    assert isinstance(out, torch.Tensor) and out.grad_fn is not None
    out.sum().backward()
    x1 = torch.ones(3, dtype=torch.float64, requires_grad=True)
    h = x1
    for _ in range(3):
        h = torch.tanh(h * 0.5)
    h.sum().backward()
    _close(x0.grad.numpy(), x1.grad.numpy())


# ---------------------------------------------------------------- errors ---
def test_errors_as_jax():
    with pytest.raises(TypeError, match="identical types"):
        lax.cond(True, lambda x: x, lambda x: x.astype(np.float32), fnp.ones(2))
    with pytest.raises(TypeError, match="structure"):
        lax.cond(True, lambda x: (x, x), lambda x: x, fnp.ones(2))
    with pytest.raises(TypeError, match="Pred must be a scalar"):
        lax.cond(fnp.asarray([True, False]), lambda x: x, lambda x: x, 1.0)
    with pytest.raises(TypeError, match="boolean or number"):
        lax.cond(1.5, lambda x: x, lambda x: x, 1.0)
    with pytest.raises(TypeError, match="Index type must be an integer"):
        lax.switch(1.0, [lambda x: x], 1.0)
    with pytest.raises(TypeError, match="carry"):
        lax.scan(lambda c, x: (c.sum(), x), fnp.ones(2), fnp.ones(3))
    with pytest.raises(TypeError, match="carry"):
        lax.scan(lambda c, x: ((c, c), x), fnp.ones(2), fnp.ones(3))
    with pytest.raises(ValueError, match="disagrees"):
        lax.scan(lambda c, x: (c, x), 0.0, fnp.ones(3), length=4)
    with pytest.raises(ValueError, match="different leading axis sizes"):
        lax.scan(lambda c, x: (c, x), 0.0, (fnp.ones(3), fnp.ones(4)))
    with pytest.raises(ValueError, match="no values to scan over"):
        lax.scan(lambda c, x: (c, x), 0.0)
    with pytest.raises(TypeError, match="boolean scalar"):
        lax.while_loop(lambda v: v, lambda v: v, 1.0)
    with pytest.raises(TypeError, match="body_fun output and input"):
        lax.while_loop(lambda v: v < 1, lambda v: v * 1.5, 0)
    with pytest.raises(fgrad.ConcretizationTypeError):
        lax.scan(lambda c, x: (c if x > 0 else -c, x), 0.0, fnp.ones(3))


# ----------------------------------------------------------- collectives ---
def test_collectives_under_vmap_match_jax():
    jax = pytest.importorskip("jax")
    x = np.array([1.0, 2.0, 4.0])
    cases = [(lambda L, np_: lambda x: L.psum(x, "i") ** 2),
             (lambda L, np_: lambda x: L.pmean(x * x, "i") * x),
             (lambda L, np_: lambda x: np_.sum(L.all_gather(x, "i") ** 2) * x),
             (lambda L, np_: lambda x: np_.sum(L.psum_scatter(np_.ones(3) * x, "i") ** 2))]
    for make in cases:
        f, jf = make(lax, fnp), make(jax.lax, jax.numpy)
        _close(fgrad.vmap(f, axis_name="i")(fnp.asarray(x)), jax.vmap(jf, axis_name="i")(x))
        _close(fgrad.vmap(fgrad.grad(f), axis_name="i")(fnp.asarray(x)),
               jax.vmap(jax.grad(jf), axis_name="i")(x))
        _close(fgrad.grad(lambda x: fnp.sum(fgrad.vmap(f, axis_name="i")(x)))(fnp.asarray(x)),
               jax.vmap(jax.grad(jf), axis_name="i")(x))
        _close(fgrad.jit(fgrad.vmap(f, axis_name="i"))(fnp.asarray(x)),
               jax.vmap(jf, axis_name="i")(x))
    # inside control flow, nested names, constants, axis_index
    g = lambda L, np_: lambda x: L.scan(lambda c, t: (c + L.psum(x * t, "i"), c), 0.0,
                                        np_.arange(3.0))[0]
    _close(fgrad.vmap(fgrad.grad(g(lax, fnp)), axis_name="i")(fnp.asarray(x)),
           jax.vmap(jax.grad(g(jax.lax, jax.numpy)), axis_name="i")(x))
    m = np.arange(6.0).reshape(2, 3)
    _close(fgrad.vmap(fgrad.vmap(lambda v: lax.psum(v, "i"), axis_name="j"), axis_name="i")(
        fnp.asarray(m)), np.broadcast_to(m.sum(0), m.shape))
    _close(fgrad.vmap(lambda v: lax.psum(2.0, "i"), axis_name="i")(fnp.asarray(x)), [6.0] * 3)
    assert [int(i) for i in fgrad.vmap(lambda v: lax.axis_index("i"), axis_name="i")(
        fnp.asarray(x))] == [0, 1, 2]
    with pytest.raises(NameError, match="unbound axis name: j"):
        lax.psum(fnp.asarray(x), "j")


def test_pmax_derivative_splits_ties():
    x = fnp.asarray([1.0, 3.0, 3.0, 2.0])
    f = lambda v: lax.pmax(v, "i") * 2.0
    _close(fgrad.vmap(f, axis_name="i")(x), [6.0] * 4)
    # d/dx_k of sum over lanes of 2 max(x): 2 * 4 lanes, shared by the two tied lanes
    _close(fgrad.vmap(fgrad.grad(f), axis_name="i")(x), [0.0, 4.0, 4.0, 0.0])
    _close(fgrad.jvp(fgrad.vmap(f, axis_name="i"), (x,), (fnp.ones(4),))[1], [2.0] * 4)


def test_vmap_of_grad_through_while_with_lanes_finishing_apart():
    f = lambda x: lax.while_loop(lambda v: v < 10.0, lambda v: v * 3.0 + fnp.sin(v), x)

    def by_hand(x):
        g = 1.0
        while x < 10.0:
            g, x = g * (3.0 + np.cos(x)), x * 3.0 + np.sin(x)
        return g
    xs = [0.5, 2.0, 20.0, 1.2]                     # 3, 1, 0 and 2 steps
    want = [by_hand(x) for x in xs]
    _close(fgrad.vmap(fgrad.grad(f))(fnp.asarray(xs)), want)
    _close(fgrad.jit(fgrad.vmap(fgrad.grad(f)))(fnp.asarray(xs)), want)
    _close(fgrad.grad(lambda v: fnp.sum(fgrad.vmap(f)(v)))(fnp.asarray(xs)), want)


def test_scan_backward_with_and_without_the_batched_part(monkeypatch):
    import fgrad.primitives.control_flow as cf
    args = [fnp.asarray(a) for a in (W, U, np.zeros(4), XS)]
    want = fgrad.grad(_rnn_loop, argnums=(0, 1, 2, 3))(*args)
    for limit in (0, 1 << 30):      # accumulate in the loop / batched after the loop
        monkeypatch.setattr(cf, "VECTORIZE_LIMIT", limit)
        for a, b in zip(fgrad.grad(_rnn, argnums=(0, 1, 2, 3))(*args), want):
            _close(a, b)
        h = fgrad.hessian(lambda h0: _rnn(args[0], args[1], h0, args[3]))(args[2])
        _close(h, fgrad.hessian(lambda h0: _rnn_loop(args[0], args[1], h0, args[3]))(args[2]))


def test_facade_closure_over_a_tensor_requiring_grad_is_refused_not_lost():
    """backward() cannot reach a requires-grad tensor a body closes over: an error, never a
    silently missing .grad; passed in the carry it gets its gradient (as fgrad.grad does)."""
    import fgrad as torch
    W = torch.tensor([[0.5, 0.1], [0.2, 0.3]], requires_grad=True)
    xs, h0 = torch.ones(5, 2), torch.zeros(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="closed over"):
        lax.scan(lambda h, x: (torch.tanh(W @ h + x), None), h0, xs)
    assert W.grad is None

    def body(c, x):
        W_, h = c
        return (W_, torch.tanh(W_ @ h + x)), None
    (_, h), _ = lax.scan(body, (W, h0), xs)
    h.sum().backward()
    expected = fgrad.grad(lambda w: lax.scan(
        lambda h, x: (fnp.tanh(w @ h + x), None), fnp.zeros(2), fnp.ones((5, 2)))[0].sum())(
        fnp.asarray(W.detach().numpy()))
    np.testing.assert_allclose(W.grad.numpy(), np.asarray(expected), rtol=1e-6)


def test_eager_bodies_share_generated_code_by_structure_only():
    """Each eager call traces its body anew; the generated function is shared between
    programs of the same structure, never between programs that differ in an operand
    order, a literal's sign or a constant."""
    from fgrad.transforms import programs
    from fgrad.transforms.core import ShapedArray
    a = ShapedArray((3,), np.float64)

    def key(f):
        return programs.structure_key(programs.trace_program(f, [a, a])[0])[0]
    assert key(lambda x, y: [x - y]) == key(lambda x, y: [x - y])
    assert key(lambda x, y: [x - y]) != key(lambda x, y: [y - x])
    assert key(lambda x, y: [x * 0.0]) != key(lambda x, y: [x * -0.0])
    w1, w2 = fnp.asarray([1.0, 2.0, 3.0]), fnp.asarray([1.0, 2.0, 3.0])
    assert key(lambda x, y: [x * w1]) != key(lambda x, y: [x * w2])   # constants by identity

    xs = fnp.asarray(np.arange(12.0).reshape(4, 3))
    for w in (w1, fnp.asarray([-1.0, 0.5, 2.0])):      # a new constant: new code, new result
        def body(c, x):
            return c + x * w, c
        out, _ = lax.scan(body, fnp.zeros(3), xs)
        np.testing.assert_allclose(np.asarray(out), np.asarray(xs).sum(0) * np.asarray(w))
