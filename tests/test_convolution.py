"""``fgrad.lax`` convolutions and windowed reductions against JAX (values, gradients,
second derivatives, vmap), over strides, padding, dilations, groups, dimension numbers
and odd sizes drawn by Hypothesis; ``fgrad.numpy.convolve/correlate`` against NumPy."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import fgrad
import fgrad.numpy as fnp
from fgrad import lax

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
jlax = jax.lax


def _close(a, b, tol=1e-9):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=tol, atol=tol)


@st.composite
def conv_cases(draw, nd=None):
    nd = draw(st.integers(1, 3)) if nd is None else nd
    groups = draw(st.sampled_from([1, 2, 3]))
    n = draw(st.integers(1, 2))
    c = groups * draw(st.integers(1, 2))
    o = groups * draw(st.integers(1, 2))
    window = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    strides = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    rhs_d = tuple(draw(st.integers(1, 2)) for _ in range(nd))
    lhs_d = tuple(draw(st.sampled_from([1, 1, 2])) for _ in range(nd))
    padding = draw(st.one_of(st.sampled_from(["SAME", "VALID"]), st.tuples(*[
        st.tuples(st.integers(-1, 2), st.integers(-1, 2)) for _ in range(nd)])))
    if isinstance(padding, str) and any(d > 1 for d in lhs_d):
        padding = [(1, 0)] * nd      # string padding with lhs dilation: a ValueError in JAX
    sides = []
    for k, d, ld in zip(window, rhs_d, lhs_d):
        ext = 1 + d * (k - 1)
        sides.append(draw(st.integers(max(1, -(-(ext + 1) // ld)), ext + 4)))
    batch_groups = 1
    if groups == 1 and draw(st.booleans()):
        batch_groups = draw(st.sampled_from([1, 2]))
        n, o = n * batch_groups, o * batch_groups
    return dict(x=(n, c) + tuple(sides), w=(o, c // groups) + window, strides=strides,
                padding=padding if isinstance(padding, str) else list(padding),
                lhs_dilation=lhs_d, rhs_dilation=rhs_d, feature_group_count=groups,
                batch_group_count=batch_groups)


def _run(case, x, w, mod):
    return mod.conv_general_dilated(x, w, case["strides"], case["padding"], case["lhs_dilation"],
                                    case["rhs_dilation"],
                                    feature_group_count=case["feature_group_count"],
                                    batch_group_count=case["batch_group_count"])


@settings(deadline=None, max_examples=40)
@given(case=conv_cases(), seed=st.integers(0, 2 ** 31))
def test_conv_general_dilated_matches_jax(case, seed):
    rng = np.random.default_rng(seed)
    x, w = rng.standard_normal(case["x"]), rng.standard_normal(case["w"])
    if not isinstance(case["padding"], str) and any(
            (n - 1) * d + 1 + lo + hi < 0 for n, d, (lo, hi) in
            zip(case["x"][2:], case["lhs_dilation"], case["padding"])):
        for mod, arg in ((jlax, x), (lax, fnp.asarray(x))):   # cropped past the input
            with pytest.raises(ValueError, match="Negative padding is larger"):
                _run(case, arg, w if mod is jlax else fnp.asarray(w), mod)
        return
    ref = _run(case, x, w, jlax)
    out = _run(case, x, w, lax)
    assert out.shape == ref.shape
    _close(out, ref)
    if ref.size == 0:
        return
    ct = rng.standard_normal(ref.shape)
    g = fgrad.grad(lambda x, w: fnp.sum(_run(case, x, w, lax) * ct), argnums=(0, 1))(x, w)
    gr = jax.grad(lambda x, w: (_run(case, x, w, jlax) * ct).sum(), argnums=(0, 1))(x, w)
    _close(g[0], gr[0])
    _close(g[1], gr[1])


def test_dimension_numbers_nhwc_hwio():
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((2, 7, 6, 4)), rng.standard_normal((3, 2, 2, 6))
    dn = ("NHWC", "HWIO", "NHWC")
    f = lambda m: lambda x, w: m.conv_general_dilated(x, w, (2, 1), "SAME",  # noqa: E731
                                                      dimension_numbers=dn, feature_group_count=2)
    _close(f(lax)(x, w), f(jlax)(x, w))
    g = fgrad.grad(lambda x, w: fnp.sum(fnp.sin(f(lax)(x, w))), argnums=(0, 1))(x, w)
    gr = jax.grad(lambda x, w: jax.numpy.sin(f(jlax)(x, w)).sum(), argnums=(0, 1))(x, w)
    _close(g[0], gr[0])
    _close(g[1], gr[1])
    assert lax.conv_dimension_numbers(x.shape, w.shape, dn) == tuple(
        jlax.conv_dimension_numbers(x.shape, w.shape, dn))


def test_second_derivatives_match_jax():
    rng = np.random.default_rng(1)
    x, w = rng.standard_normal((2, 2, 6, 5)), rng.standard_normal((4, 1, 3, 2))

    def loss(m, np_):
        return lambda x, w: np_.sum(np_.tanh(m.conv_general_dilated(
            x, w, (2, 1), [(1, 0), (0, 1)], rhs_dilation=(1, 2), feature_group_count=2)) ** 2)
    hx = fgrad.grad(lambda x, w: fnp.sum(fgrad.grad(loss(lax, fnp), 1)(x, w) ** 2))(x, w)
    hr = jax.grad(lambda x, w: (jax.grad(loss(jlax, jax.numpy), 1)(x, w) ** 2).sum())(x, w)
    _close(hx, hr, 1e-8)


def test_vmap_of_grad_matches_loop():
    rng = np.random.default_rng(2)
    xs, w = rng.standard_normal((3, 2, 4, 5, 5)), rng.standard_normal((6, 2, 3, 3))

    def f(x, w):
        return fnp.sum(lax.conv_general_dilated(x, w, (1, 1), "SAME", feature_group_count=2) ** 2)
    batched = fgrad.vmap(fgrad.grad(f, argnums=1), in_axes=(0, None))(xs, w)
    _close(batched, np.stack([np.asarray(fgrad.grad(f, argnums=1)(x, w)) for x in xs]))
    ws = rng.standard_normal((3, 6, 2, 3, 3))
    both = fgrad.vmap(lambda x, w: lax.conv_general_dilated(x, w, (2, 1), "VALID",
                                                            feature_group_count=2))(xs, ws)
    _close(both, np.stack([jlax.conv_general_dilated(x, w, (2, 1), "VALID", feature_group_count=2)
                           for x, w in zip(xs, ws)]))


def test_conv_and_conv_transpose_match_jax():
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((1, 3, 5, 4)), rng.standard_normal((2, 3, 2, 2))
    _close(lax.conv(x, w, (1, 2), "SAME"), jlax.conv(x, w, (1, 2), "SAME"))
    _close(lax.conv_with_general_padding(x, w, (1, 1), [(1, 2), (0, 1)], (2, 1), (1, 2)),
           jlax.conv_with_general_padding(x, w, (1, 1), [(1, 2), (0, 1)], (2, 1), (1, 2)))
    xt = rng.standard_normal((2, 5, 4, 3))
    for pad in ("SAME", "VALID", [(1, 0), (2, 1)]):
        for tk in (False, True):        # HWIO; transposed, the kernel's O meets lhs's C
            wt = rng.standard_normal((3, 2, 4, 3) if tk else (3, 2, 3, 4))
            _close(lax.conv_transpose(xt, wt, (2, 1), pad, transpose_kernel=tk),
                   jlax.conv_transpose(xt, wt, (2, 1), pad, transpose_kernel=tk))


def test_conv_errors_name_the_shapes():
    with pytest.raises(TypeError, match=r"lhs feature dimension .* 3 // 1 != 2"):
        lax.conv(np.ones((1, 3, 4, 4)), np.ones((1, 2, 2, 2)), (1, 1), "VALID")
    with pytest.raises(ValueError, match="String padding is not implemented"):
        lax.conv_general_dilated(np.ones((1, 2, 4)), np.ones((1, 2, 2)), (1,), "SAME", (2,))
    with pytest.raises(TypeError, match="Unknown padding type"):
        lax.conv(np.ones((1, 2, 4, 4)), np.ones((1, 2, 2, 2)), (1, 1), "FULL")


@st.composite
def window_cases(draw):
    r = draw(st.integers(1, 4))
    window = tuple(draw(st.integers(1, 3)) for _ in range(r))
    strides = tuple(draw(st.integers(1, 3)) for _ in range(r))
    dil = tuple(draw(st.integers(1, 2)) for _ in range(r))
    pads = draw(st.one_of(st.sampled_from(["SAME", "VALID"]), st.tuples(*[
        st.tuples(st.integers(0, 1), st.integers(0, 1)) for _ in range(r)])))
    shape = tuple(draw(st.integers(1 + d * (k - 1), 1 + d * (k - 1) + 3))
                  for k, d in zip(window, dil))
    return shape, window, strides, pads if isinstance(pads, str) else list(pads), dil


@settings(deadline=None, max_examples=40)
@given(case=window_cases(), seed=st.integers(0, 2 ** 31), kind=st.sampled_from(["max", "sum"]))
def test_reduce_window_matches_jax(case, seed, kind):
    shape, window, strides, pads, dil = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    init, op = (-np.inf, jlax.max) if kind == "max" else (0.0, jlax.add)

    def ours(x):
        return lax.reduce_window(x, init, kind, window, strides, pads, window_dilation=dil)

    def ref(x):
        return jlax.reduce_window(x, init, op, window, strides, pads, window_dilation=dil)
    r = ref(x)
    _close(ours(x), r)
    ct = rng.standard_normal(r.shape)
    if kind == "max" and any(d > 1 for d in dil):
        return      # JAX has no such gradient (the spec rows check ours by finite differences)
    _close(fgrad.grad(lambda x: fnp.sum(ours(x) * ct))(x),
           jax.grad(lambda x: (ref(x) * ct).sum())(x))


def test_max_window_gradient_goes_to_the_first_maximum():
    x = np.array([[1.0, 3.0, 3.0, 0.0], [3.0, 2.0, 1.0, 3.0]])
    g = fgrad.grad(lambda x: fnp.sum(lax.reduce_window(x, -np.inf, "max", (2, 2), (1, 1),
                                                       "VALID")))(x)
    assert np.asarray(g).tolist() == [[0.0, 2.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0]]


def test_reduce_window_second_order_and_vmap():
    rng = np.random.default_rng(4)
    xs = rng.standard_normal((3, 5, 6))

    def f(x):
        m = lax.reduce_window(x, -np.inf, "max", (2, 3), (1, 2), [(1, 0), (1, 1)])
        return fnp.sum(m ** 3) + fnp.sum(lax.reduce_window(x ** 2, 0.0, "sum", (2, 2), (1, 1),
                                                           "SAME") ** 2)

    def jf(x):
        m = jlax.reduce_window(x, -np.inf, jlax.max, (2, 3), (1, 2), [(1, 0), (1, 1)])
        return (m ** 3).sum() + (jlax.reduce_window(x ** 2, 0.0, jlax.add, (2, 2), (1, 1),
                                                    "SAME") ** 2).sum()
    _close(fgrad.hessian(f)(xs[0]), jax.hessian(jf)(xs[0]), 1e-8)
    _close(fgrad.vmap(fgrad.grad(f))(xs), jax.vmap(jax.grad(jf))(xs))


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize("na,nv", [(5, 3), (3, 5), (4, 4), (1, 2), (6, 1)])
def test_numpy_convolve_correlate(mode, na, nv):
    rng = np.random.default_rng(na * 10 + nv)
    a, v = rng.standard_normal(na), rng.standard_normal(nv)
    _close(fnp.convolve(a, v, mode), np.convolve(a, v, mode))
    _close(fnp.correlate(a, v, mode), np.correlate(a, v, mode))
    jnp = jax.numpy
    for ours, ref in ((fnp.convolve, jnp.convolve), (fnp.correlate, jnp.correlate)):
        g = fgrad.grad(lambda a, v: fnp.sum(fnp.sin(ours(a, v, mode))), argnums=(0, 1))(a, v)
        gr = jax.grad(lambda a, v: jnp.sum(jnp.sin(ref(a, v, mode))), argnums=(0, 1))(a, v)
        _close(g[0], gr[0])
        _close(g[1], gr[1])


def test_float32_stays_float32():
    x, w = np.ones((1, 2, 5, 5), np.float32), np.ones((3, 2, 3, 3), np.float32)
    assert lax.conv(x, w, (1, 1), "SAME").dtype == np.float32
    assert fgrad.grad(lambda w: fnp.sum(lax.conv(x, w, (1, 1), "SAME")))(w).dtype == np.float32
    assert lax.reduce_window(x, -np.inf, "max", (1, 1, 2, 2), (1, 1, 2, 2), "VALID").dtype == np.float32


def test_standin_device_runs_convolutions():
    x = fgrad.device_put(fnp.arange(50.0).reshape(1, 2, 5, 5), "standin")
    w = fgrad.device_put(fnp.ones((2, 1, 2, 2)), "standin")
    out = lax.conv_general_dilated(x, w, (2, 1), "SAME", feature_group_count=2)
    g = fgrad.grad(lambda w: fnp.sum(lax.reduce_window(
        lax.conv_general_dilated(x, w, (2, 1), "SAME", feature_group_count=2), -np.inf, "max",
        (1, 1, 2, 2), (1, 1, 2, 2), "VALID")))(w)
    cpu = lax.conv_general_dilated(fnp.arange(50.0).reshape(1, 2, 5, 5), fnp.ones((2, 1, 2, 2)),
                                   (2, 1), "SAME", feature_group_count=2)
    _close(fgrad.device_put(out, "cpu"), cpu)
    assert g.shape == (2, 1, 2, 2)
