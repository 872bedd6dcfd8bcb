"""jit: cached, simplified programs replayed without tracers; composes with transforms."""
import numpy as np
import pytest

import fgrad
import fgrad.numpy as fnp


def mlp_loss(params, x):
    h = fnp.tanh(x * params["w"] + params["b"])
    return fnp.sum(h ** 2) / 2.0


PARAMS = {"w": fnp.asarray([0.5, -1.0, 2.0]), "b": fnp.asarray([0.1, 0.2, 0.3])}
X = fnp.asarray([1.0, 2.0, -0.5])


def assert_tree_close(a, b):
    la, lb = fgrad.tree_util.tree_leaves(a), fgrad.tree_util.tree_leaves(b)
    assert len(la) == len(lb)
    for u, v in zip(la, lb):
        np.testing.assert_allclose(np.asarray(u), np.asarray(v), rtol=1e-12, atol=1e-14)


def loss_of_w(w, x):
    return mlp_loss({"w": w, "b": PARAMS["b"]}, x)


@pytest.mark.parametrize("jitted, eager, args", [
    (fgrad.jit(mlp_loss), mlp_loss, (PARAMS, X)),
    (fgrad.jit(fgrad.grad(mlp_loss)), fgrad.grad(mlp_loss), (PARAMS, X)),
    (fgrad.grad(fgrad.jit(mlp_loss)), fgrad.grad(mlp_loss), (PARAMS, X)),
    (fgrad.jit(fgrad.value_and_grad(mlp_loss)), fgrad.value_and_grad(mlp_loss), (PARAMS, X)),
    (fgrad.jit(fgrad.grad(fgrad.jit(mlp_loss))), fgrad.grad(mlp_loss), (PARAMS, X)),
    (fgrad.jit(fgrad.hessian(loss_of_w)), fgrad.hessian(loss_of_w), (PARAMS["w"], X)),
    (fgrad.hessian(fgrad.jit(loss_of_w)), fgrad.hessian(loss_of_w), (PARAMS["w"], X)),
], ids=["jit", "jit-grad", "grad-jit", "jit-value_and_grad", "jit-grad-jit", "jit-hessian",
        "hessian-jit"])
def test_jit_compositions_match_eager(jitted, eager, args):
    expected = eager(*args)
    for _ in range(2):    # the second call replays the cached program
        assert_tree_close(jitted(*args), expected)


def test_vmap_of_jit_and_jit_of_vmap():
    xs = fnp.asarray(np.linspace(-1, 1, 12).reshape(4, 3))
    per_example = fgrad.vmap(fgrad.grad(mlp_loss), in_axes=(None, 0))(PARAMS, xs)
    assert_tree_close(fgrad.vmap(fgrad.jit(fgrad.grad(mlp_loss)), in_axes=(None, 0))(PARAMS, xs),
                      per_example)
    assert_tree_close(fgrad.jit(fgrad.vmap(fgrad.grad(mlp_loss), in_axes=(None, 0)))(PARAMS, xs),
                      per_example)


def test_traces_once_per_signature():
    traces = []

    def f(x):
        traces.append(x.shape)
        return fnp.sin(x) * 2.0

    jf = fgrad.jit(f)
    jf(fnp.ones(3))
    jf(fnp.zeros(3))
    assert len(traces) == 1
    jf(fnp.ones(4))                      # new shape
    jf(fnp.ones(3, dtype=np.float32))    # new dtype
    assert len(traces) == 3
    np.testing.assert_allclose(np.asarray(jf(fnp.asarray([0.5, 1.0, 2.0]))),
                               2 * np.sin([0.5, 1.0, 2.0]))


def test_static_argnums_and_control_flow_error():
    def power(x, n):
        return x ** n if n > 0 else 1.0 / x

    jp = fgrad.jit(power, static_argnums=1)
    np.testing.assert_allclose(np.asarray(jp(X, 3)), np.asarray(X) ** 3)
    np.testing.assert_allclose(np.asarray(jp(X, 0)), 1 / np.asarray(X))

    def branchy(x, threshold):
        return x if fnp.sum(x) > threshold else -x

    with pytest.raises(fgrad.ConcretizationTypeError) as info:
        fgrad.jit(branchy)(X, 1.0)
    message = str(info.value)
    assert "static_argnums" in message and "fgrad.numpy.where" in message
    assert "x" in message and "threshold" in message


def test_simplification_removes_identities_duplicates_and_dead_code():
    def f(x):
        unused = fnp.exp(x)            # dead
        del unused
        a = fnp.sin(x) * 1.0 + 0.0     # identities
        b = fnp.sin(x)                 # common subexpression
        return fnp.reshape(fnp.reshape(a + b, (3, 1)), (3,))

    jaxpr = fgrad.jit(f).lower(X)
    names = [e.prim.name for e in jaxpr.eqns]
    assert names.count("sin") == 1
    assert "exp" not in names and "mul" not in names
    assert "reshape" not in names                # a round trip (3,) -> (3, 1) -> (3,)
    np.testing.assert_allclose(np.asarray(fgrad.jit(f)(X)), 2 * np.sin(np.asarray(X)))


def test_gradient_program_has_no_seed_passes():
    """grad's seed is a broadcast of ones: multiplying by it, and ``x ** 1`` from the power
    rule, are identities, so the program makes as many passes as NumPy written by hand."""
    f = fgrad.value_and_grad(lambda x: fnp.sum(fnp.sin(x) * fnp.exp(-x ** 2)))
    x = fnp.asarray(np.linspace(-2.0, 2.0, 50))
    jaxpr = fgrad.jit(f).lower(x)
    names = [e.prim.name for e in jaxpr.eqns]
    assert "broadcast_to" not in names and "pow" not in names[2:], names
    assert len([n for n in names if n != "reduce_sum"]) <= 11, names
    value, g = fgrad.jit(f)(x)
    v_ref, g_ref = f(x)
    np.testing.assert_allclose(float(value), float(v_ref), rtol=1e-14)
    np.testing.assert_allclose(np.asarray(g), np.asarray(g_ref), rtol=1e-14)
    xs = np.asarray(x)
    np.testing.assert_allclose(np.asarray(g), np.exp(-xs ** 2) * (np.cos(xs) - 2 * xs * np.sin(xs)),
                               rtol=1e-12)


def test_full_slices_vanish_and_transposes_compose():
    m = fnp.asarray(np.arange(24.0).reshape(2, 3, 4))

    def f(x):
        y = fnp.transpose(fnp.transpose(x, (1, 0, 2)), (2, 0, 1))   # one transpose
        z = fnp.transpose(fnp.transpose(x, (1, 0, 2)), (1, 0, 2))   # none
        return y[:, :, :] * 2.0, z[::1] + x[::-1]                   # a reversal stays

    jaxpr = fgrad.jit(f).lower(m)
    names = [e.prim.name for e in jaxpr.eqns]
    assert names.count("transpose") == 1 and names.count("slice") <= 1, names
    for got, want in zip(fgrad.jit(f)(m), f(m)):
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want))


def test_broadcasts_feeding_element_wise_ops_are_left_to_numpy():
    m = fnp.asarray(np.linspace(0.1, 1.2, 12).reshape(4, 3))
    g = fgrad.grad(lambda x: fnp.sum(fnp.sum(fnp.sin(x), axis=1) ** 2))
    names = [e.prim.name for e in fgrad.jit(g).lower(m).eqns]
    assert "broadcast_to" not in names, names        # the sum's cotangent times cos(x)
    np.testing.assert_allclose(np.asarray(fgrad.jit(g)(m)), np.asarray(g(m)), rtol=1e-15)

    def kept(x, y):       # without the broadcast, (4,) + (4,) would have shape (4,)
        return fnp.broadcast_to(x, (3, 4)) + y, fnp.broadcast_to(x, (3, 4))
    v = fnp.asarray(np.arange(4.0))
    for got, want in zip(fgrad.jit(kept)(v, v), kept(v, v)):
        assert got.shape == (3, 4)
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_scalar_programs_replay_bit_for_bit(dtype):
    """0-d arithmetic replays with Python operators on NumPy scalars: the same bits, dtype
    and IEEE specials (inf, nan, signed zeros) as the eager ufunc calls."""
    def f(x, y):
        z = x
        for _ in range(20):
            z = z * 0.999 + 0.001 - y / 3.0
        return -z, z / (y - y), (x - x) * -1.0, x * 10 + y * 10 - 1
    vg = fgrad.value_and_grad(lambda x, y: fnp.sum(fnp.stack(f(x, y)[:1])), argnums=(0, 1))
    for xv, yv in [(0.5, 0.25), (0.0, -0.0), (1e30, 1e-30), (1e308, -1e308), (np.nan, 1.0)]:
        x, y = fnp.asarray(np.array(xv, dtype)), fnp.asarray(np.array(yv, dtype))
        with np.errstate(all="ignore"):
            for got, want in [(fgrad.jit(f)(x, y), f(x, y)), (fgrad.jit(vg)(x, y), vg(x, y))]:
                for g, w in zip(fgrad.tree_util.tree_leaves(got), fgrad.tree_util.tree_leaves(want)):
                    g, w = np.asarray(g), np.asarray(w)
                    assert g.dtype == w.dtype == dtype
                    np.testing.assert_array_equal(g, w)
                    assert np.signbit(g) == np.signbit(w)


def test_array_calls_find_their_program_by_signature():
    """All-Array calls skip flattening: a new shape or dtype still traces a new program,
    and under staging the program is staged, not replayed on the constant."""
    traces = []
    f = fgrad.jit(lambda x, y: (traces.append(1), fnp.sin(x) * y)[1])
    a, b = fnp.asarray([1.0, 2.0]), fnp.asarray(3.0)
    for args in [(a, b), (a, b), (fnp.asarray([1.0, 2.0, 3.0]), b),
                 (fnp.asarray(np.array([1.0, 2.0], np.float32)), b), (a, b)]:
        want = np.sin(np.asarray(args[0])) * np.asarray(args[1])
        got = f(*args)
        assert got.dtype == want.dtype
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-6)
    assert len(traces) == 3
    jaxpr = fgrad.make_jaxpr(lambda y: f(y, b) + f(a, b))(a)
    assert [e.prim.name for e in jaxpr.eqns].count("sin") == 2


def test_constant_folding():
    c = fnp.asarray([1.0, 2.0, 3.0])

    def f(x):
        return x * fnp.exp(c * 2.0)     # exp(c * 2) is folded into one constant

    jaxpr = fgrad.jit(f).lower(X)
    assert [e.prim.name for e in jaxpr.eqns] == ["mul"]
    np.testing.assert_allclose(np.asarray(fgrad.jit(f)(X)),
                               np.asarray(X) * np.exp(np.asarray(c) * 2))


def test_closing_over_an_outer_tracer_is_not_cached_wrongly():
    def outer(y):
        return fgrad.jit(lambda x: x * y)(2.0)
    assert float(fgrad.grad(outer)(3.0)) == 2.0
    assert float(fgrad.grad(outer)(5.0)) == 2.0


def test_replay_runs_on_the_stand_in_device():
    standin = fgrad.devices.get("standin")
    x = fgrad.device_put(X, standin)
    out = fgrad.jit(fgrad.grad(lambda x: fnp.sum(fnp.sin(x) ** 2)))(x)
    assert out.device is standin
    np.testing.assert_allclose(np.asarray(fgrad.device_put(out, "cpu")),
                               np.sin(2 * np.asarray(X)), rtol=1e-12)


def test_outputs_are_arrays_even_when_0d():
    out = fgrad.jit(lambda x: fnp.sum(x))(X)
    assert type(out) is fgrad.Array and out.shape == ()
