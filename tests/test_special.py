"""fgrad.scipy.special: accuracy against SciPy (or math), gradients against JAX in float64."""
import math

import numpy as np
import pytest

import fgrad
import fgrad.numpy as fnp
import fgrad.scipy.special as fsp
from fgrad.devices import STANDIN

sc = pytest.importorskip("scipy.special")


def _np(x):
    if isinstance(x, fgrad.Array) and x.device is not fgrad.devices.CPU:
        x = fgrad.device_put(x, "cpu")
    return np.asarray(x)


def _rel(a, b, floor=1.0):
    return np.max(np.abs(a - b) / np.maximum(np.abs(b), floor))


def test_accuracy_vs_scipy():
    x = np.concatenate([np.linspace(-6, 6, 4001), [0.0, 1e-300, -1e-10, 30.0, -30.0]])
    assert _rel(_np(fsp.erf(x)), sc.erf(x), 1e-300) < 2e-15
    x = np.linspace(-6, 26, 4001)
    assert _rel(_np(fsp.erfc(x)), sc.erfc(x), 1e-300) < 2e-14
    u = np.concatenate([np.linspace(-0.999999, 0.999999, 4001), 1 - np.logspace(-16, -1, 60)])
    assert _rel(_np(fsp.erfinv(u)), sc.erfinv(u), 1e-300) < 1e-14
    g = np.concatenate([np.linspace(0.01, 40, 4001), np.logspace(-8, 8, 40)])
    assert _rel(_np(fsp.gammaln(g)), sc.gammaln(g)) < 1e-14
    gn = np.linspace(-5.95, -0.05, 1000)
    assert _rel(_np(fsp.gammaln(gn)), sc.gammaln(gn)) < 1e-12
    d = np.concatenate([np.linspace(0.01, 40, 4001), np.linspace(-5.95, -0.05, 1000)])
    assert _rel(_np(fsp.digamma(d)), sc.digamma(d)) < 1e-11
    for n in (1, 2, 3):
        p = np.concatenate([np.linspace(0.05, 30, 500), np.linspace(-3.9, -0.1, 100)])
        assert _rel(_np(fsp.polygamma(n, p)), sc.polygamma(n, p), 1e-300) < 1e-12
    # special points follow SciPy
    assert _np(fsp.erfinv(np.array([1.0, -1.0]))).tolist() == [np.inf, -np.inf]
    assert np.isnan(_np(fsp.erfinv(1.5)))
    assert _np(fsp.gammaln(np.array([0.0, -1.0]))).tolist() == [np.inf, np.inf]
    assert _np(fsp.digamma(0.0)) == -np.inf and np.isnan(_np(fsp.digamma(-2.0)))
    # math as a second, scalar reference
    for v in (0.3, 1.7, 4.2):
        assert abs(float(fsp.erf(v)) - math.erf(v)) < 1e-15
        assert abs(float(fsp.gammaln(v)) - math.lgamma(v)) < 1e-14


def test_dtypes_and_standin():
    x32 = fnp.asarray(np.array([0.5, 1.5], np.float32))
    for f in (fsp.erf, fsp.erfc, fsp.erfinv, fsp.gammaln, fsp.digamma, fsp.expit):
        assert f(x32 * 0.5).dtype == np.float32
    assert fsp.erf(fnp.asarray([1, 2])).dtype == np.float64
    xs = fgrad.device_put(fnp.asarray([0.25, 0.5]), STANDIN)
    for f in (fsp.erf, fsp.erfinv, fsp.gammaln, fsp.digamma, lambda v: fsp.polygamma(1, v),
              fsp.log_ndtr, fsp.logsumexp):
        out = f(xs)
        assert out.device is STANDIN
        np.testing.assert_allclose(_np(out), _np(f(fnp.asarray([0.25, 0.5]))), rtol=1e-15)


def test_composites_vs_scipy():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(3, 4)) * 10
    b = rng.normal(size=(3, 4))
    np.testing.assert_allclose(_np(fsp.logsumexp(a)), sc.logsumexp(a), rtol=1e-14)
    for axis in (0, 1, (0, 1), -1):
        for kd in (False, True):
            np.testing.assert_allclose(_np(fsp.logsumexp(a, axis=axis, keepdims=kd)),
                                       sc.logsumexp(a, axis=axis, keepdims=kd), rtol=1e-14)
    v, s = fsp.logsumexp(a, axis=1, b=b, return_sign=True)
    rv, rs = sc.logsumexp(a, axis=1, b=b, return_sign=True)
    np.testing.assert_allclose(_np(v), rv, rtol=1e-13)
    np.testing.assert_array_equal(_np(s), rs)
    assert float(fsp.logsumexp(np.array([1000.0, 1000.0]))) == pytest.approx(1000 + math.log(2))
    assert float(fsp.logsumexp(np.array([-np.inf, -np.inf]))) == -np.inf
    p = np.linspace(0.01, 0.99, 50)
    x = np.linspace(-8, 8, 50)
    np.testing.assert_allclose(_np(fsp.expit(x)), sc.expit(x), rtol=1e-15)
    np.testing.assert_allclose(_np(fsp.logit(p)), sc.logit(p), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(_np(fsp.ndtr(x)), sc.ndtr(x), rtol=1e-13)
    np.testing.assert_allclose(_np(fsp.ndtri(p)), sc.ndtri(p), rtol=1e-13)
    lx = np.array([-60.0, -30.0, -20.5, -19.5, -5.0, 0.0, 3.0, 10.0])
    np.testing.assert_allclose(_np(fsp.log_ndtr(lx)), sc.log_ndtr(lx), rtol=1e-13)
    xs, ys = np.array([0.0, 0.0, 2.0, 1.5]), np.array([0.0, 3.0, 0.5, 0.0])
    np.testing.assert_allclose(_np(fsp.xlogy(xs, ys)), sc.xlogy(xs, ys))
    np.testing.assert_allclose(_np(fsp.xlog1py(xs, ys - 1)), sc.xlog1py(xs, ys - 1))


def test_gradients_vs_jax():
    jax = pytest.importorskip("jax")
    import jax.scipy.special as jsp
    x = np.array([0.3, 1.2, 2.5, 4.0])
    u = np.array([-0.7, -0.1, 0.4, 0.9])
    cases = [(fsp.erf, jsp.erf, x - 1), (fsp.erfc, jsp.erfc, x - 1), (fsp.erfinv, jsp.erfinv, u),
             (fsp.gammaln, jsp.gammaln, x), (fsp.digamma, jsp.digamma, x),
             (lambda v: fsp.polygamma(1, v), lambda v: jsp.polygamma(1, v), x),
             (fsp.expit, jsp.expit, x - 2), (fsp.logit, jsp.logit, u / 2 + 0.5),
             (fsp.ndtr, jsp.ndtr, x - 2), (fsp.ndtri, jsp.ndtri, u / 2 + 0.5),
             (fsp.log_ndtr, jsp.log_ndtr, np.array([-15.0, -3.0, 0.5, 5.0])),
             (fsp.logsumexp, jsp.logsumexp, x * 300)]
    for f, jf, v in cases:
        rtol = 1e-11
        g = _np(fgrad.grad(lambda t: fnp.sum(f(t)))(fnp.asarray(v)))
        np.testing.assert_allclose(g, np.asarray(jax.grad(lambda t: jf(t).sum())(v)),
                                   rtol=rtol, atol=1e-14)
        # second order (vs JAX's)
        h = _np(fgrad.grad(lambda t: fnp.sum(fgrad.grad(lambda s: fnp.sum(f(s)))(t)))(fnp.asarray(v)))
        jh = np.asarray(jax.grad(lambda t: jax.grad(lambda s: jf(s).sum())(t).sum())(v))
        np.testing.assert_allclose(h, jh, rtol=1e-9, atol=1e-12)
    # log_ndtr in the far tail, where JAX loses digits: the Mills ratio r = phi / Phi from
    # SciPy's log_ndtr; d log_ndtr = r, d^2 log_ndtr = -r (x + r)
    for t in (-30.0, -60.0):
        r = math.exp(-0.5 * t * t - 0.5 * math.log(2 * math.pi) - sc.log_ndtr(t))
        assert float(fgrad.grad(fsp.log_ndtr)(t)) == pytest.approx(r, rel=1e-11)  # the reference: exp of ~1800 - 1800
        assert float(fgrad.grad(fgrad.grad(fsp.log_ndtr))(t)) == pytest.approx(-r * (t + r),
                                                                               rel=1e-6)
    # xlogy away from 0 like JAX; at (0, 0) finite (JAX gives -inf/NaN there)
    g = fgrad.grad(lambda a, b: fsp.xlogy(a, b), argnums=(0, 1))(2.0, 3.0)
    jg = jax.grad(lambda a, b: jsp.xlogy(a, b), argnums=(0, 1))(2.0, 3.0)
    np.testing.assert_allclose([float(g[0]), float(g[1])], [float(jg[0]), float(jg[1])])
    g0 = fgrad.grad(lambda a, b: fsp.xlogy(a, b), argnums=(0, 1))(0.0, 0.0)
    assert [float(g0[0]), float(g0[1])] == [0.0, 0.0]
    g1 = fgrad.grad(lambda a, b: fsp.xlogy(a, b), argnums=(0, 1))(0.0, 2.0)
    assert float(g1[0]) == pytest.approx(math.log(2.0)) and float(g1[1]) == 0.0
    # logsumexp gradient finite for huge inputs, with b
    g = _np(fgrad.grad(lambda t: fsp.logsumexp(t, b=fnp.asarray([1.0, 2.0])))(
        fnp.asarray([1e5, 1e5 - 1])))
    assert np.all(np.isfinite(g)) and g.sum() == pytest.approx(1.0)


def test_vmap_of_special():
    x = np.linspace(0.2, 3.0, 12).reshape(3, 4)
    for f in (fsp.erf, fsp.gammaln, fsp.digamma, lambda v: fsp.logsumexp(v),
              lambda v: fsp.polygamma(2, v)):
        got = _np(fgrad.vmap(f)(fnp.asarray(x)))
        want = np.stack([_np(f(fnp.asarray(r))) for r in x])
        np.testing.assert_allclose(got, want, rtol=1e-15)


def test_errors():
    with pytest.raises(ValueError, match="polygamma: the order n"):
        fsp.polygamma(-1, 1.0)
