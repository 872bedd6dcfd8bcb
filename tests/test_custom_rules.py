"""custom_jvp, custom_vjp and checkpoint: JAX's semantics, composed with every transform."""
import tracemalloc

import numpy as np
import pytest

import fgrad
import fgrad.numpy as fnp


@fgrad.custom_jvp
def log1pexp(x):
    return fnp.log1p(fnp.exp(x))


@log1pexp.defjvp
def _log1pexp_jvp(primals, tangents):
    (x,), (t,) = primals, tangents
    return log1pexp(x), t * (1 - 1 / (1 + fnp.exp(x)))


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def test_custom_jvp_rule_is_used_in_both_modes():
    # the naive derivative is nan at 100 (inf / inf); the rule gives 1
    assert float(fgrad.grad(log1pexp)(100.0)) == 1.0
    _, t = fgrad.jvp(log1pexp, (100.0,), (2.0,))
    assert float(t) == 2.0
    xs = np.array([-3.0, 0.0, 2.0])
    np.testing.assert_allclose(np.asarray(fgrad.vmap(fgrad.grad(log1pexp))(xs)), sigmoid(xs))


@pytest.mark.parametrize("order", [2, 3])
def test_custom_jvp_higher_order(order):
    f = log1pexp
    for _ in range(order):
        f = fgrad.grad(f)
    x = 0.7
    s = sigmoid(x)
    expected = {2: s * (1 - s), 3: s * (1 - s) * (1 - 2 * s)}[order]
    np.testing.assert_allclose(float(f(x)), expected, rtol=1e-10)


def test_custom_jvp_under_vmap_and_jacobians():
    xs = fnp.asarray([-1.0, 0.5, 3.0])
    np.testing.assert_allclose(np.asarray(fgrad.jacrev(fgrad.vmap(log1pexp))(xs)),
                               np.diag(sigmoid(np.asarray(xs))), rtol=1e-12)
    np.testing.assert_allclose(np.asarray(fgrad.jacfwd(fgrad.vmap(log1pexp))(xs)),
                               np.diag(sigmoid(np.asarray(xs))), rtol=1e-12)


def test_custom_jvp_defjvps_and_nondiff_argnums():
    @fgrad.custom_jvp
    def f(x, y):
        return fnp.sin(x) * y

    f.defjvps(lambda t, ans, x, y: fnp.cos(x) * y * t, lambda t, ans, x, y: fnp.sin(x) * t)
    gx, gy = fgrad.grad(f, argnums=(0, 1))(0.3, 2.0)
    np.testing.assert_allclose([float(gx), float(gy)], [np.cos(0.3) * 2.0, np.sin(0.3)])

    def g(n, x):
        return x ** n

    g = fgrad.custom_jvp(g, nondiff_argnums=(0,))

    @g.defjvp
    def g_jvp(n, primals, tangents):
        (x,), (t,) = primals, tangents
        return x ** n, 100.0 * t          # deliberately not the true derivative

    assert float(fgrad.grad(g, argnums=1)(3, 2.0)) == 100.0


def test_custom_jvp_pytrees():
    @fgrad.custom_jvp
    def f(p):
        return {"out": p["a"] * p["b"]}

    @f.defjvp
    def f_jvp(primals, tangents):
        (p,), (t,) = primals, tangents
        return f(p), {"out": t["a"] * p["b"] + p["a"] * t["b"]}

    g = fgrad.grad(lambda p: f(p)["out"])({"a": 2.0, "b": 5.0})
    assert (float(g["a"]), float(g["b"])) == (5.0, 2.0)


@fgrad.custom_vjp
def clip_gradient(x):
    return x


clip_gradient.defvjp(lambda x: (x, None), lambda res, g: (fnp.clip(g, -1.0, 1.0),))


def test_custom_vjp_rule_is_used():
    assert float(fgrad.grad(lambda x: 3.0 * clip_gradient(x))(2.0)) == 1.0
    assert float(fgrad.grad(lambda x: 0.5 * clip_gradient(x))(2.0)) == 0.5
    out = fgrad.vmap(fgrad.grad(lambda x: 3.0 * clip_gradient(x)))(fnp.asarray([1.0, 2.0]))
    np.testing.assert_array_equal(np.asarray(out), [1.0, 1.0])
    out = fgrad.grad(lambda x: fnp.sum(fgrad.vmap(lambda y: 5.0 * clip_gradient(y))(x)))(
        fnp.asarray([1.0, 2.0]))
    np.testing.assert_array_equal(np.asarray(out), [1.0, 1.0])


def test_custom_vjp_forward_mode_raises_like_jax():
    with pytest.raises(TypeError, match="can't apply forward-mode autodiff"):
        fgrad.jvp(clip_gradient, (1.0,), (1.0,))


def test_custom_vjp_residuals_nondiff_and_second_order():
    def f(scale, x, y):
        return scale * fnp.sin(x) * y

    f = fgrad.custom_vjp(f, nondiff_argnums=(0,))
    f.defvjp(lambda scale, x, y: (f(scale, x, y), (fnp.cos(x), fnp.sin(x), y)),
             lambda scale, res, g: (scale * res[0] * res[2] * g, scale * res[1] * g))
    gx, gy = fgrad.grad(f, argnums=(1, 2))(2.0, 0.4, 3.0)
    np.testing.assert_allclose([float(gx), float(gy)], [2 * np.cos(0.4) * 3, 2 * np.sin(0.4)])
    # second order differentiates the bwd rule
    h = fgrad.grad(fgrad.grad(f, argnums=1), argnums=1)(2.0, 0.4, 3.0)
    np.testing.assert_allclose(float(h), -2 * np.sin(0.4) * 3)


def test_custom_vjp_bad_bwd_output_names_the_problem():
    @fgrad.custom_vjp
    def f(x, y):
        return x * y

    f.defvjp(lambda x, y: (x * y, (x, y)), lambda res, g: (g,))
    with pytest.raises(TypeError, match="length equal to the number of primal inputs"):
        fgrad.grad(f)(1.0, 2.0)


def test_checkpoint_values_and_composition():
    def seg(x):
        return fnp.sin(fnp.sin(x)) * 1.5

    c = fgrad.checkpoint(seg)
    x = fnp.asarray([0.1, 0.7, -0.4])
    for transform in (fgrad.grad, lambda f: fgrad.grad(fgrad.grad(f))):
        ref = transform(seg)
        np.testing.assert_allclose(float(transform(c)(0.3)), float(ref(0.3)), rtol=1e-12)
    np.testing.assert_allclose(np.asarray(fgrad.vmap(fgrad.grad(c))(x)),
                               np.asarray(fgrad.vmap(fgrad.grad(seg))(x)), rtol=1e-12)
    np.testing.assert_allclose(np.asarray(fgrad.jvp(c, (x,), (fnp.ones(3),))[1]),
                               np.asarray(fgrad.jvp(seg, (x,), (fnp.ones(3),))[1]), rtol=1e-12)
    assert fgrad.remat is fgrad.checkpoint


def _peak_arrays(fun, x):
    tracemalloc.start()
    try:
        fun(x)
        return tracemalloc.get_traced_memory()[1] / x.nbytes
    finally:
        tracemalloc.stop()


def test_checkpoint_saves_memory_on_a_deep_chain():
    x = fnp.asarray(np.linspace(0.0, 1.0, 50_000))

    def segment(x):
        for _ in range(10):
            x = fnp.sin(x) * 1.01
        return x

    def deep(seg):
        def f(x):
            for _ in range(10):
                x = seg(x)
            return fnp.sum(x)
        return fgrad.grad(f)

    plain = _peak_arrays(deep(segment), x)
    remat = _peak_arrays(deep(fgrad.checkpoint(segment)), x)
    np.testing.assert_allclose(np.asarray(deep(segment)(x)),
                               np.asarray(deep(fgrad.checkpoint(segment))(x)), rtol=1e-12)
    # 100 recorded ops keep ~100+ arrays alive; checkpointed: 10 segment inputs + one segment
    assert plain > 100
    assert remat < plain / 2.5, (plain, remat)
