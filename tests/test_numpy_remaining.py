"""The last NumPy names of the coverage list and two SciPy special functions:
windows (``bartlett blackman hamming hanning kaiser``), ``i0``, ``gcd lcm frexp spacing``,
``poly polydiv roots``, ``histogram2d``, ``partition``/``argpartition`` and
``scipy.special.zeta``/``betainc``. Values and dtypes against NumPy/SciPy (Hypothesis
over dtypes and edge values), derivatives against float64 central differences
(``fgrad.test_util.check_grads``), ``vmap`` against loops, ``jit`` against eager."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import fgrad
import fgrad.numpy as fnp
import fgrad.scipy.special as fsp
from fgrad import errors
from fgrad.test_util import check_grads

sc = pytest.importorskip("scipy.special")
SETTINGS = settings(max_examples=25, deadline=None)
A = fnp.asarray


def _same(got, want, rtol=1e-12, atol=0.0):
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape and got.dtype == want.dtype, \
        (got.shape, got.dtype, want.shape, want.dtype)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, equal_nan=True)


# ------------------------------------------------------------------------ windows --
@pytest.mark.parametrize("name", ["bartlett", "blackman", "hamming", "hanning"])
@pytest.mark.parametrize("M", [-2, 0, 1, 2, 5, 16, np.int32(7), 6.0])
def test_windows_match_numpy(name, M):
    _same(getattr(fnp, name)(M), getattr(np, name)(M))


@pytest.mark.parametrize("M, beta", [(0, 3.0), (1, 3.0), (2, 0.0), (7, 5.0), (12, 14.0)])
def test_kaiser_matches_numpy(M, beta):
    _same(fnp.kaiser(M, beta), np.kaiser(M, beta), rtol=1e-13)


def test_kaiser_is_differentiable_in_beta():
    check_grads(lambda b: fnp.kaiser(6, b), (A(3.5),), order=2)
    g = fgrad.grad(lambda b: fnp.sum(fnp.kaiser(6, b)))(A(3.5))
    eps = 1e-6
    fd = (np.kaiser(6, 3.5 + eps).sum() - np.kaiser(6, 3.5 - eps).sum()) / (2 * eps)
    np.testing.assert_allclose(float(g), fd, rtol=1e-7)


def test_window_length_must_be_a_concrete_integer():
    with pytest.raises(TypeError, match="hamming: M must be an integer"):
        fnp.hamming(4.5)
    with pytest.raises(errors.ConcretizationTypeError, match="concrete integer"):
        fgrad.jit(fnp.hanning)(A(4))
    with pytest.raises(ValueError, match="kaiser: beta must be a scalar"):
        fnp.kaiser(4, A([1.0, 2.0]))


# ---------------------------------------------------------------------------- i0 --
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int8])
def test_i0_matches_numpy(dtype):
    x = np.array([0, 1, -3, 7, 12], dtype)
    _same(fnp.i0(A(x)), np.i0(x), rtol=1e-6 if dtype == np.float32 else 1e-13)


def test_i0_derivative_and_complex():
    check_grads(fnp.i0, (A([-2.0, 0.0, 0.7, 9.0]),), order=2)
    assert float(fgrad.grad(fnp.i0)(A(0.0))) == 0.0
    with pytest.raises(TypeError, match="complex"):
        fnp.i0(A([1j]))


# -------------------------------------------------------------------- gcd and lcm --
_INT_DTYPES = (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint32)


@SETTINGS
@given(st.data())
def test_gcd_lcm_match_numpy(data):
    d1, d2 = data.draw(st.sampled_from(_INT_DTYPES)), data.draw(st.sampled_from(_INT_DTYPES))
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=4))
    lo = lambda d: 0 if np.dtype(d).kind == "u" else -100      # noqa: E731
    a = data.draw(hnp.arrays(d1, shape, elements=st.integers(lo(d1), 100)))
    b = data.draw(hnp.arrays(d2, shape[-1:], elements=st.integers(lo(d2), 100)))
    for f in ("gcd", "lcm"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _same(getattr(fnp, f)(A(a), A(b)), getattr(np, f)(a, b))
            _same(getattr(fnp, f)(A(a), 6), getattr(np, f)(a, 6))   # a Python int is weak


def test_gcd_lcm_errors_vmap_jit_and_no_gradient():
    with pytest.raises(TypeError, match="gcd: the arguments must be integers"):
        fnp.gcd(A([1.5]), 2)
    with pytest.raises(TypeError, match="lcm: the arguments must be integers"):
        fnp.lcm(A([True]), A([False]))
    a, b = np.array([[12, 18, 0], [7, -21, 5]]), np.array([8, 6, 0])
    _same(fgrad.vmap(fnp.gcd, (0, None))(A(a), A(b)), np.gcd(a, b))
    _same(fgrad.jit(fnp.lcm)(A(a), A(b)), np.lcm(a, b))
    f = lambda x: fnp.gcd(A([4, 6]), 2) * x   # noqa: E731
    np.testing.assert_allclose(np.asarray(fgrad.grad(lambda x: fnp.sum(f(x)))(A(1.0))), 4.0)


# ---------------------------------------------------------------- frexp, spacing --
_EDGES = [0.0, -0.0, 1.0, -3.0, 0.1, 7.5e-3, np.inf, -np.inf, np.nan]


def _edge_values(dtype):
    fi = np.finfo(dtype)
    return np.array(_EDGES + [fi.tiny, fi.tiny / 8, -fi.smallest_subnormal, fi.max, -fi.max,
                              fi.eps, -fi.epsneg], dtype)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_frexp_spacing_edge_values(dtype):
    x = _edge_values(dtype)
    (m, e), (mn, en) = fnp.frexp(A(x)), np.frexp(x)
    _same(m, mn, rtol=0)
    _same(e, en, rtol=0)
    with np.errstate(over="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _same(fnp.spacing(A(x)), np.spacing(x), rtol=0)


@SETTINGS
@given(hnp.arrays(st.sampled_from([np.float16, np.float32, np.float64, np.int8, np.int16,
                                   np.int64, np.uint8, np.bool_]),
                  hnp.array_shapes(min_dims=0, max_dims=2, max_side=4)))
def test_frexp_spacing_match_numpy(x):
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want_m, want_e = np.frexp(x)
        want_s = np.spacing(x)
        got_m, got_e = fnp.frexp(A(x))
        got_s = fnp.spacing(A(x))
    _same(got_m, want_m, rtol=0)
    _same(got_e, want_e, rtol=0)
    _same(got_s, want_s, rtol=0)


def test_frexp_spacing_derivatives_vmap_jit():
    x = np.array([[0.3, -5.0, 1e-300], [8.0, 0.0, -0.75]])
    # the mantissa's derivative is 2^-e (JAX's rule); spacing's is 0
    g = fgrad.grad(lambda v: fnp.sum(fnp.frexp(v)[0]))(A(x))
    _same(g, 2.0 ** -np.frexp(x)[1].astype(np.float64))
    check_grads(lambda v: fnp.frexp(v)[0], (A(x[:, :2] + 0.01),), order=2)
    _same(fgrad.grad(lambda v: fnp.sum(fnp.spacing(v)))(A(x)), np.zeros_like(x))
    x[0, 2] = 1e-310                                 # subnormal
    m, e = fgrad.vmap(fnp.frexp)(A(x))
    _same(m, np.frexp(x)[0], rtol=0)
    _same(e, np.frexp(x)[1], rtol=0)
    _same(fgrad.jit(fnp.spacing)(A(x)), np.spacing(x), rtol=0)
    _same(fgrad.vmap(fnp.spacing)(A(x)), np.spacing(x), rtol=0)
    with pytest.raises(TypeError, match="frexp: complex"):
        fnp.frexp(A([1j]))
    with pytest.raises(ValueError, match="spacing: not defined for complex"):
        fnp.spacing(A([1j]))


# ------------------------------------------------------------------- polynomials --
@pytest.mark.parametrize("z", [[1.0, 2.0], [1, 2, 3], [], [1 + 2j, 1 - 2j], [1 + 2j, 3.0],
                               np.array([1.0, 2.0], np.float32), [[1.0, 2.0], [3.0, 4.0]],
                               [[0.0, -1.0], [1.0, 0.0]], [2.5]])
def test_poly_matches_numpy(z):
    z = np.array(z)
    got, want = fnp.poly(A(z)), np.poly(z)
    _same(got, np.asarray(want), rtol=1e-12, atol=1e-12)


def test_poly_differentiable_and_jit():
    check_grads(fnp.poly, (A([0.5, -1.5, 2.0]),), order=2)
    check_grads(lambda m: fnp.poly(m), (A([[1.0, 2.0], [0.5, 3.0]]),), order=1)
    z = A([0.5, -1.5, 2.0])
    _same(fgrad.jit(fnp.poly)(z), np.poly([0.5, -1.5, 2.0]))
    _same(fgrad.vmap(fnp.poly)(A([[1.0, 2.0], [3.0, -1.0]])),
          np.stack([np.poly([1.0, 2.0]), np.poly([3.0, -1.0])]))
    with pytest.raises(ValueError, match="poly: input must be 1d or non-empty square 2d"):
        fnp.poly(A(np.ones((2, 3))))


@pytest.mark.parametrize("u, v", [([1.0, 3, 2], [1.0, 1]), ([1, 2, 3, 4], [2, 1]),
                                  ([1.0], [1.0, 2, 3]), ([1, 0, 0, 0, 1e-9], [1.0, 0]),
                                  ([3.0, 1, 4, 1, 5], [2.0, 7, 1]), (5.0, 2.0),
                                  ([1 + 1j, 2], [1.0, 1j])])
def test_polydiv_matches_numpy(u, v):
    got, want = fnp.polydiv(A(np.array(u)), A(np.array(v))), np.polydiv(np.array(u),
                                                                        np.array(v))
    for g, w in zip(got, want):
        _same(g, w, rtol=1e-12, atol=1e-14)
    f32 = fnp.polydiv(A(np.array([1.0, 2, 3], np.float32)), A(np.array([1.0, 5], np.float32)))
    assert all(r.dtype == np.float32 for r in f32)


def test_polydiv_differentiable_and_under_jit():
    u, v = A([3.0, 1.0, 4.0, 1.0, 5.0]), A([2.0, 7.0, 1.0])
    check_grads(lambda u, v: fnp.polydiv(u, v, trim_leading_zeros=False), (u, v), order=2)
    q, r = fgrad.jit(lambda u, v: fnp.polydiv(u, v, trim_leading_zeros=False))(u, v)
    qn, rn = np.polydiv(np.asarray(u), np.asarray(v))
    _same(q, qn)
    _same(r[-rn.shape[0]:], rn, atol=1e-14)
    np.testing.assert_allclose(np.asarray(r[:-rn.shape[0]]), 0.0, atol=1e-14)
    with pytest.raises(errors.ConcretizationTypeError, match="trim_leading_zeros=False"):
        fgrad.jit(fnp.polydiv)(u, v)


@pytest.mark.parametrize("p", [[1.0, -3, 2], [0, 0, 1, -3, 2, 0, 0], [0, 0], [5], [1, 0, 0],
                               [1, 0, 1], np.array([1, -3, 2], np.float32), [2, 3],
                               [1, 2, 3, 4, 5]])
def test_roots_match_numpy(p):
    got, want = fnp.roots(A(np.array(p))), np.roots(np.array(p))
    assert got.dtype == want.dtype and got.shape == want.shape
    key = lambda r: np.sort_complex(np.round(np.asarray(r, complex), 9))   # noqa: E731
    np.testing.assert_allclose(key(got), key(want), rtol=1e-6, atol=1e-7)


def test_roots_derivative_strip_zeros_false_and_jit():
    # a simple root r of p moves by dr = -(dp . r^(n..0)) / p'(r)
    p = np.array([1.0, -6.0, 11.0, -6.0])                 # roots 1, 2, 3
    check_grads(lambda c: fnp.real(fnp.sort(fnp.real(fnp.roots(c)))), (A(p),), order=1,
                modes=["rev"])
    g = fgrad.grad(lambda c: fnp.max(fnp.real(fnp.roots(c))))(A(p))
    dp = np.polyder(p)
    _same(g, -(3.0 ** np.arange(3, -1, -1)) / np.polyval(dp, 3.0), rtol=1e-8)
    got = fgrad.jit(lambda c: fnp.roots(c, strip_zeros=False))(A([0.0, 0.0, 1.0, -3.0, 2.0]))
    assert got.dtype == np.complex128 and got.shape == (4,)
    np.testing.assert_allclose(np.sort(np.asarray(got)[:2].real), [1.0, 2.0])
    assert np.all(np.isnan(np.asarray(got)[2:]))
    with pytest.raises(errors.ConcretizationTypeError, match="strip_zeros=False"):
        fgrad.jit(fnp.roots)(A(p))
    with pytest.raises(ValueError, match="roots: input must be a rank-1 array"):
        fnp.roots(A(np.ones((2, 2))))
    with pytest.raises(TypeError, match="roots: complex coefficients are not supported"):
        fnp.roots(A([1j, 2.0, 1.0]))


# ------------------------------------------------------------------- histogram2d --
@pytest.mark.parametrize("kw", [dict(bins=3), dict(bins=[2, 4]), dict(bins=np.linspace(-2, 2, 5)),
                                dict(bins=[3, np.array([-1.0, 0, 1])]),
                                dict(bins=4, range=[[-1, 1], [-2, 0.5]], weights=True),
                                dict(bins=3, density=True), dict(bins=(5, 1))])
def test_histogram2d_matches_numpy(kw):
    rng = np.random.default_rng(3)
    x, y, w = rng.standard_normal(40), rng.standard_normal(40), rng.uniform(size=40)
    x[:3] = [2.0, -2.0, 1.0]                       # points on the edges
    kw = dict(kw)
    if kw.pop("weights", None):
        kw["weights"] = w
    fkw = {k: (A(v) if k == "weights" else v) for k, v in kw.items()}
    for g, want in zip(fnp.histogram2d(A(x), A(y), **fkw), np.histogram2d(x, y, **kw)):
        _same(g, want)


def test_histogram2d_dtypes_weights_gradient_and_errors():
    x = np.arange(6.0, dtype=np.float32)
    for g, want in zip(fnp.histogram2d(A(x), A(x[::-1]), bins=2), np.histogram2d(x, x[::-1], 2)):
        _same(g, want)
    xi = np.arange(5)
    for g, want in zip(fnp.histogram2d(A(xi), A(xi), bins=2), np.histogram2d(xi, xi, bins=2)):
        _same(g, want)
    x, y = A([0.1, 0.6, 0.9]), A([0.2, 0.2, 0.8])
    g = fgrad.grad(lambda w: fnp.sum(fnp.histogram2d(x, y, bins=2, range=[[0, 1], [0, 1]],
                                                     weights=w)[0][1]))(A([1.0, 2.0, 3.0]))
    _same(g, np.array([0.0, 1.0, 1.0]))
    h = fgrad.jit(lambda x, y: fnp.histogram2d(x, y, bins=2, range=[[0, 1], [0, 1]])[0])(x, y)
    _same(h, np.histogram2d([0.1, 0.6, 0.9], [0.2, 0.2, 0.8], 2, [[0, 1], [0, 1]])[0])
    with pytest.raises(ValueError, match="histogram2d: x and y must be 1-d of one length"):
        fnp.histogram2d(A([1.0, 2.0]), A([1.0]))


# ------------------------------------------------------------ partition, argpartition --
@SETTINGS
@given(st.data())
def test_partition_matches_numpy_arrangement(data):
    dtype = data.draw(st.sampled_from([np.float64, np.float32, np.int64, np.int8]))
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, max_side=6))
    elems = (st.floats(-5, 5, width=32) | st.just(np.nan)) if dtype != np.int64 and \
        np.dtype(dtype).kind == "f" else st.integers(-5, 5)
    x = data.draw(hnp.arrays(dtype, shape, elements=elems))
    axis = data.draw(st.sampled_from([None] + list(range(-x.ndim, x.ndim))))
    n = x.size if axis is None else x.shape[axis]
    kth = data.draw(st.integers(-n, n - 1) | st.lists(st.integers(-n, n - 1), min_size=1,
                                                      max_size=3))
    idx = fnp.argpartition(A(x), kth, axis=axis)
    _same(idx, np.argpartition(x, kth, axis=axis), rtol=0)
    got = np.asarray(fnp.partition(A(x), kth, axis=axis))
    want = np.partition(x, kth, axis=axis)
    ks = np.atleast_1d(kth) % n
    flat_ax = 0 if axis is None else axis
    # the kth entries are where a sort puts them; the rest is a valid (NumPy-like) split
    np.testing.assert_array_equal(np.take(got, ks, flat_ax), np.take(want, ks, flat_ax))
    np.testing.assert_array_equal(np.sort(got, axis=flat_ax), np.sort(want, axis=flat_ax))


def test_partition_gradient_vmap_jit_errors():
    rng = np.random.default_rng(0)
    x = A(rng.standard_normal((3, 7)))
    f = lambda v: fnp.partition(v, (1, 4), axis=-1)     # noqa: E731
    check_grads(f, (x,), order=2)
    check_grads(lambda v: fnp.partition(v, 2, axis=0), (x,), order=1)
    # the gradient of the kth value goes to the entry that is the kth smallest
    g = fgrad.grad(lambda v: fnp.partition(v, 3)[3])(A([5.0, 1.0, 4.0, 2.0, 3.0, 0.0]))
    _same(g, np.array([0, 0, 0, 0, 1.0, 0]))
    _same(fgrad.vmap(lambda r: fnp.partition(r, 2))(x),
          np.stack([np.asarray(fnp.partition(x[i], 2)) for i in range(3)]))
    _same(fgrad.jit(f)(x), f(x))
    _same(fgrad.vmap(lambda r: fnp.argpartition(r, 2), in_axes=1)(x),
          np.stack([np.argpartition(np.asarray(x)[:, j], 2) for j in range(7)]))
    with pytest.raises(ValueError, match=r"partition: kth\(=7\) out of bounds \(7\)"):
        fnp.partition(x, 7)
    with pytest.raises(TypeError, match="argpartition: kth must be an integer"):
        fnp.argpartition(x, 1.5)


# ------------------------------------------------------------ zeta and betainc --
def test_zeta_matches_scipy():
    x = np.array([1.5, 2, 3, 4.5, 10, 50, 2, 2, 2, 3, 0.5, 1, 2.0, 2.5, 1.1, 2.0])
    q = np.array([1, 0.3, 2, 100, 0.01, 1, -1.5, 1e9, 1e-5, -3.7, 1, 2, 0, -1.5, 7, -2.0])
    _same(fsp.zeta(A(x), A(q)), sc.zeta(x, q), rtol=1e-13)
    x32 = np.array([2.0, 3.0], np.float32)
    _same(fsp.zeta(A(x32), A(np.float32(1.5))), sc.zeta(x32, np.float32(1.5)), rtol=1e-6)


@SETTINGS
@given(hnp.arrays(np.float64, st.integers(1, 6), elements=st.floats(1.01, 30)),
       hnp.arrays(np.float64, st.integers(1, 1), elements=st.floats(0.01, 50)))
def test_zeta_hypothesis(x, q):
    _same(fsp.zeta(A(x), A(q)), sc.zeta(x, q), rtol=1e-12)


def test_zeta_derivative_vmap_jit_and_errors():
    x, q = A([2.0, 3.5]), A([0.7, 2.0])
    check_grads(lambda q: fsp.zeta(x, q), (q,), order=2)
    _same(fgrad.vmap(fsp.zeta, (None, 0))(A(2.0), A([[1.0, 2.0], [3.0, 4.0]])),
          sc.zeta(2.0, [[1.0, 2.0], [3.0, 4.0]]), rtol=1e-13)
    _same(fgrad.jit(fsp.zeta)(x, q), sc.zeta([2.0, 3.5], [0.7, 2.0]), rtol=1e-13)
    with pytest.raises(NotImplementedError, match="zeta: the derivative with respect to x"):
        fgrad.grad(lambda x: fsp.zeta(x, 2.0))(A(3.0))
    with pytest.raises(NotImplementedError, match="Riemann"):
        fsp.zeta(2.0)


@SETTINGS
@given(hnp.arrays(np.float64, 5, elements=st.floats(0.05, 40)),
       hnp.arrays(np.float64, 5, elements=st.floats(0.05, 40)),
       hnp.arrays(np.float64, 5, elements=st.floats(0, 1)))
def test_betainc_matches_scipy(a, b, x):
    _same(fsp.betainc(A(a), A(b), A(x)), sc.betainc(a, b, x), rtol=1e-10, atol=1e-14)


def test_betainc_edges_large_parameters_derivative_and_errors():
    a = np.array([1e4, 1e5, 0, 2, 0, 2, 2, -1, 2, 2, np.inf, 2])
    b = np.array([1e4, 3e5, 2, 0, 0, 3, 3, 3, 3, 3, 3, np.nan])
    x = np.array([0.5, 0.25, 0.5, 0.5, 0.5, 0, 1, 0.5, 1.5, -0.1, 0.5, 0.5])
    _same(fsp.betainc(A(a), A(b), A(x)), sc.betainc(a, b, x), rtol=1e-9)
    a32 = np.array([2.0], np.float32)
    _same(fsp.betainc(A(a32), A(a32), A(np.float32(0.3))), sc.betainc(a32, a32, np.float32(0.3)),
          rtol=1e-6)
    check_grads(lambda x: fsp.betainc(A([0.7, 3.0]), A([2.5, 0.9]), x), (A([0.3, 0.8]),),
                order=2)
    _same(fgrad.vmap(lambda x: fsp.betainc(2.0, 3.0, x))(A([0.1, 0.5])),
          sc.betainc(2.0, 3.0, [0.1, 0.5]), rtol=1e-13)
    _same(fgrad.jit(fsp.betainc)(A(2.0), A(3.0), A(0.5)), np.float64(0.6875), rtol=1e-14)
    with pytest.raises(ValueError, match="betainc: the derivative with respect to a"):
        fgrad.grad(lambda a: fsp.betainc(a, 2.0, 0.5))(A(1.5))
    with pytest.raises(ValueError, match="betainc: the derivative with respect to b"):
        fgrad.grad(lambda b: fsp.betainc(1.5, b, 0.5))(A(1.5))
