"""Sorting, order statistics, NaN reductions, set operations, histograms, stacking,
differences, polynomials, interpolation and index tricks of ``fgrad.numpy``: values
against NumPy (Hypothesis over shapes, axes and dtypes, NaN and empty edge cases),
derivatives against JAX (optional oracle) and finite differences, and the
value-dependent shapes under ``jit``/``vmap`` with ``size=``."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import fgrad
import fgrad.numpy as fnp
from fgrad import errors

SETTINGS = settings(max_examples=25, deadline=None)


def _close(got, want, rtol=1e-10, atol=1e-12):
    if isinstance(want, (tuple, list)):
        assert isinstance(got, (tuple, list)) and len(got) == len(want)
        for g, w in zip(got, want):
            _close(g, w, rtol, atol)
        return
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape, (got.shape, want.shape)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, equal_nan=True)


@st.composite
def arrays_and_axis(draw, dtypes=(np.float64, np.float32, np.int64), min_dims=1, nan=False,
                    min_side=1):
    dtype = draw(st.sampled_from(dtypes))
    shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=3, min_side=min_side, max_side=5))
    if np.dtype(dtype).kind == "f":
        elems = st.floats(-10, 10, width=32).map(lambda v: round(v, 1))   # ties are common
        if nan:
            elems = st.one_of(elems, st.just(np.nan))
    elif np.dtype(dtype).kind == "b":
        elems = st.booleans()
    else:
        elems = st.integers(-5, 5)
    x = draw(hnp.arrays(dtype, shape, elements=elems))
    axis = draw(st.one_of(st.none(), st.integers(-len(shape), len(shape) - 1)))
    return x, axis


# --------------------------------------------------------------------------- sorting
@SETTINGS
@given(arrays_and_axis(nan=True))
def test_sort_and_argsort_match_numpy(xa):
    x, axis = xa
    _close(fnp.sort(x, axis=axis), np.sort(x, axis=axis))
    _close(fnp.argsort(x, axis=axis), np.argsort(x, axis=axis, kind="stable").astype(np.int64))


def test_sort_argsort_descending_as_jax():
    jnp = pytest.importorskip("jax.numpy")
    x = np.array([[3.0, 1.0, np.nan, 1.0, 2.0], [0.0, -1.0, 5.0, 5.0, 2.0]])
    for axis in (0, 1, None):
        _close(fnp.sort(x, axis=axis, descending=True),
               np.asarray(jnp.sort(x, axis=axis, descending=True)).astype(np.float64))
        np.testing.assert_array_equal(fnp.argsort(x, axis=axis, descending=True),
                                      jnp.argsort(x, axis=axis, descending=True))


def test_sort_gradient_follows_the_permutation_ties_as_jax():
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    y = np.array([3.0, 1.0, 1.0, 2.0, 1.0])
    w = np.arange(5.0)
    got = fgrad.grad(lambda x: fnp.sum(fnp.sort(x) * w))(y)
    want = jax.grad(lambda x: (jax.numpy.sort(x) * w).sum())(y)
    _close(got, np.asarray(want))
    # second order through the permutation: d2/dx2 sum(sort(x)^3) = 6 x
    _close(fgrad.hessian(lambda x: fnp.sum(fnp.sort(x) ** 3))(y), np.diag(6 * y))


def test_lexsort_partition_argpartition():
    r = np.random.default_rng(0)
    keys = (r.integers(0, 3, 20), r.integers(0, 3, 20), r.integers(0, 3, 20))
    np.testing.assert_array_equal(fnp.lexsort(keys), np.lexsort(keys))
    x = r.standard_normal((4, 9))
    for k in (0, 4, -1):
        p = np.asarray(fnp.partition(x, k, axis=1))
        kk = k % 9
        np.testing.assert_array_equal(p[:, kk], np.partition(x, k, axis=1)[:, kk])
        assert np.all(p[:, :kk] <= p[:, kk:kk + 1]) and np.all(p[:, kk + 1:] >= p[:, kk:kk + 1])
        idx = np.asarray(fnp.argpartition(x, k, axis=1))
        np.testing.assert_array_equal(np.take_along_axis(x, idx, 1)[:, kk], p[:, kk])
    with pytest.raises(ValueError, match="out of bounds"):
        fnp.partition(x, 9, axis=1)


# ------------------------------------------------------------------ order statistics
METHODS = ["linear", "lower", "higher", "midpoint", "nearest", "weibull", "hazen",
           "median_unbiased", "normal_unbiased", "interpolated_inverted_cdf", "inverted_cdf",
           "averaged_inverted_cdf", "closest_observation"]


@SETTINGS
@given(arrays_and_axis(nan=True), st.sampled_from(METHODS),
       st.one_of(st.floats(0, 1), st.lists(st.floats(0, 1), min_size=1, max_size=3)),
       st.booleans())
def test_quantile_matches_numpy(xa, method, q, keepdims):
    x, axis = xa
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for f, g in ((fnp.quantile, np.quantile), (fnp.nanquantile, np.nanquantile)):
            want = g(x, q, axis=axis, method=method, keepdims=keepdims)
            got = f(x, q, axis=axis, method=method, keepdims=keepdims)
            if f is fnp.nanquantile and np.isnan(x).all(axis=axis).any():
                # NumPy's path for a slice that is all NaN keeps x's dtype (float32 here
                # where its other path gives float64); fgrad keeps one result dtype
                want = np.asarray(want, got.dtype)
            _close(got, want, rtol=1e-6 if x.dtype == np.float32 else 1e-10, atol=1e-6)


@SETTINGS
@given(arrays_and_axis(nan=True))
def test_median_percentile_nanmedian_match_numpy(xa):
    x, axis = xa
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tol = dict(rtol=1e-6, atol=1e-6) if x.dtype == np.float32 else {}
        _close(fnp.median(x, axis=axis), np.median(x, axis=axis), **tol)
        _close(fnp.nanmedian(x, axis=axis), np.nanmedian(x, axis=axis), **tol)
        _close(fnp.percentile(x, [5, 50], axis=axis), np.percentile(x, [5, 50], axis=axis),
               **tol)
        _close(fnp.nanpercentile(x, 70, axis=axis), np.nanpercentile(x, 70, axis=axis), **tol)


def test_quantile_edge_cases():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _close(fnp.median(np.zeros(0)), np.median(np.zeros(0)))
        _close(fnp.nanmedian(np.full(3, np.nan)), np.nanmedian(np.full(3, np.nan)))
    with pytest.raises(ValueError, match=r"range \[0, 1\]"):
        fnp.quantile(np.ones(3), 1.5)
    with pytest.raises(ValueError, match="not a valid method"):
        fnp.quantile(np.ones(3), 0.5, method="bogus")
    with pytest.raises(ValueError, match="out"):
        fnp.median(np.ones(3), out=np.ones(()))


@pytest.mark.parametrize("f", ["median", "quantile", "nanmedian", "percentile"])
def test_order_statistic_gradients_as_jax(f):
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    jnp = jax.numpy
    args = {"quantile": (0.3,), "percentile": (np.array([20.0, 75.0]),)}.get(f, ())
    for y in (np.array([1.0, 3.0, 3.0, 2.0]), np.array([1.0, 3.0, 3.0, 3.0, 2.0]),
              np.random.default_rng(1).standard_normal((3, 6))):
        for axis in (None, 0, -1):
            got = fgrad.grad(lambda x: fnp.sum(getattr(fnp, f)(x, *args, axis=axis)))(y)
            want = jax.grad(lambda x: jnp.sum(getattr(jnp, f)(x, *args, axis=axis)))(y)
            _close(got, np.asarray(want))


def test_quantile_is_differentiable_in_q_and_works_under_jit_and_vmap():
    x = np.array([4.0, 1.0, 3.0, 2.0])
    # linear: value (n - 1) q interpolated, slope (x[hi] - x[lo]) (n - 1) = 3
    _close(fgrad.grad(lambda q: fnp.quantile(x, q))(0.4), np.float64(3.0))
    xs = np.random.default_rng(2).standard_normal((5, 7))
    _close(fgrad.vmap(lambda r: fnp.median(r))(xs), np.median(xs, axis=1))
    _close(fgrad.jit(lambda r: fnp.quantile(r, 0.25, axis=0))(xs), np.quantile(xs, 0.25, axis=0))
    _close(fgrad.jit(lambda r, q: fnp.quantile(r, q, axis=1))(xs, np.array([0.1, 0.9])),
           np.quantile(xs, [0.1, 0.9], axis=1))


# ---------------------------------------------------------------- NaN reductions
@SETTINGS
@given(arrays_and_axis(dtypes=(np.float64,), nan=True), st.integers(0, 1))
def test_nan_reductions_match_numpy(xa, ddof):
    x, axis = xa
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in ("nansum", "nanmean", "nanmax", "nanmin", "nanprod"):
            _close(getattr(fnp, name)(x, axis=axis), getattr(np, name)(x, axis=axis))
        _close(fnp.nanvar(x, axis=axis, ddof=ddof), np.nanvar(x, axis=axis, ddof=ddof))
        _close(fnp.nanstd(x, axis=axis, ddof=ddof), np.nanstd(x, axis=axis, ddof=ddof))
        _close(fnp.nancumsum(x, axis=axis), np.nancumsum(x, axis=axis))
        _close(fnp.nancumprod(x, axis=axis), np.nancumprod(x, axis=axis))
        try:
            want = np.nanargmax(x, axis=axis)
        except ValueError:
            with pytest.raises(ValueError, match="All-NaN"):
                fnp.nanargmax(x, axis=axis)
        else:
            _close(fnp.nanargmax(x, axis=axis), want)
            _close(fnp.nanargmin(x, axis=axis), np.nanargmin(x, axis=axis))


# ------------------------------------------------------------- set ops and counting
@SETTINGS
@given(hnp.arrays(np.int64, hnp.array_shapes(max_dims=2, max_side=6),
                  elements=st.integers(-3, 3)))
def test_unique_matches_numpy_eagerly_and_with_size_under_jit(x):
    want = np.unique(x, True, True, True)
    got = fnp.unique(x, True, True, True)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w.reshape(g.shape) if w.size == np.size(g) else w)
    k = len(want[0])
    for size in (max(k - 1, 1), k, k + 2):
        vals, idx, inv, cnt = fgrad.jit(
            lambda a: fnp.unique(a, True, True, True, size=size, fill_value=99))(x)
        m = min(size, k)
        if x.size:
            np.testing.assert_array_equal(np.asarray(vals)[:m], want[0][:m])
            np.testing.assert_array_equal(np.asarray(idx)[:m], want[1][:m])
            np.testing.assert_array_equal(np.asarray(cnt)[:m], want[3][:m])
            np.testing.assert_array_equal(np.asarray(inv).ravel(), want[2].ravel())
        assert np.all(np.asarray(vals)[m:] == 99) and np.all(np.asarray(cnt)[m:] == 0)


def test_value_dependent_shapes_need_size_under_transforms():
    x = np.array([[0, 2, 0], [3, 0, 1]])
    for f in (fnp.unique, fnp.nonzero, fnp.argwhere, fnp.flatnonzero):
        with pytest.raises(errors.ConcretizationTypeError, match="size="):
            fgrad.jit(f)(x)
    got = fgrad.jit(lambda a: fnp.nonzero(a, size=4, fill_value=-1))(x)
    _close(got, (np.array([0, 1, 1, -1]), np.array([1, 0, 2, -1])))
    _close(fgrad.vmap(lambda r: fnp.flatnonzero(r, size=2))(x), np.array([[1, 0], [0, 2]]))
    _close(fgrad.jit(lambda a: fnp.argwhere(a, size=2))(x), np.array([[0, 1], [1, 0]]))
    _close(fgrad.vmap(lambda r: fnp.unique(r, size=3))(np.array([[3, 1, 3], [2, 2, 2]])),
           np.array([[1, 3, 1], [2, 2, 2]]))
    with pytest.raises(errors.ConcretizationTypeError, match="length="):
        fgrad.jit(fnp.bincount)(np.array([0, 1]))


def test_unique_values_carry_gradients_and_nan_is_one_value():
    x = np.array([2.0, 1.0, 2.0, np.nan, np.nan])
    _close(fnp.unique(x), np.unique(x))
    g = fgrad.grad(lambda a: fnp.sum(fnp.unique(a) * np.array([1.0, 10.0, 0.0])))(x)
    _close(g, np.array([10.0, 1.0, 0.0, 0.0, 0.0]))


@SETTINGS
@given(hnp.arrays(np.int64, st.integers(0, 8), elements=st.integers(0, 6)),
       hnp.arrays(np.int64, st.integers(0, 5), elements=st.integers(0, 6)))
def test_set_operations_match_numpy(a, b):
    _close(fnp.isin(a, b), np.isin(a, b))
    _close(fnp.isin(a, b, invert=True), np.isin(a, b, invert=True))
    for name in ("intersect1d", "union1d", "setdiff1d", "setxor1d"):
        _close(getattr(fnp, name)(a, b), getattr(np, name)(a, b))
    _close(fnp.intersect1d(a, b, return_indices=True), np.intersect1d(a, b, return_indices=True))
    for name in ("intersect1d", "setdiff1d", "union1d"):
        want = getattr(np, name)(a, b)
        got = fgrad.jit(lambda u, v: getattr(fnp, name)(u, v, size=6, fill_value=-1))(a, b)
        np.testing.assert_array_equal(np.asarray(got)[:len(want)], want[:6])
        assert np.all(np.asarray(got)[len(want):] == -1)


@SETTINGS
@given(hnp.arrays(np.float64, st.integers(1, 30), elements=st.floats(-5, 5)),
       st.one_of(st.integers(1, 6), st.just([-2.0, 0.0, 0.5, 3.0])), st.booleans())
def test_histogram_bincount_digitize_match_numpy(x, bins, density):
    w = np.abs(x) + 0.5
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _close(fnp.histogram(x, bins, density=density), np.histogram(x, bins, density=density))
        _close(fnp.histogram(x, bins, range=(-1, 2), weights=w),
               np.histogram(x, bins, range=(-1, 2), weights=w))
    _close(fnp.histogram_bin_edges(x, bins), np.histogram_bin_edges(x, bins))
    ints = np.abs(x).astype(np.int64)
    _close(fnp.bincount(ints), np.bincount(ints))
    _close(fnp.bincount(ints, weights=w, minlength=9), np.bincount(ints, weights=w, minlength=9))
    for right in (False, True):
        _close(fnp.digitize(x, [-1.0, 0.0, 2.0], right), np.digitize(x, [-1.0, 0.0, 2.0], right))
        _close(fnp.digitize(x, [2.0, 0.0, -1.0], right), np.digitize(x, [2.0, 0.0, -1.0], right))


def test_histogram_under_jit_and_weights_gradient():
    x = np.random.default_rng(3).standard_normal(50)
    _close(fgrad.jit(lambda a: fnp.histogram(a, 5)[0])(x), np.histogram(x, 5)[0])
    g = fgrad.grad(lambda w: fnp.sum(fnp.histogram(x, 4, weights=w)[0] * np.arange(4.0)))(
        np.ones(50))
    _close(g, np.clip(np.digitize(x, np.histogram_bin_edges(x, 4)[1:-1]), 0, 3).astype(float))


# -------------------------------------------------------------- searchsorted, interp
@SETTINGS
@given(hnp.arrays(np.float64, st.integers(1, 8), elements=st.integers(-4, 4).map(float)),
       hnp.arrays(np.float64, hnp.array_shapes(max_dims=2, max_side=4),
                  elements=st.integers(-5, 5).map(float)))
def test_searchsorted_matches_numpy_and_vmaps(a, v):
    a = np.sort(a)
    for side in ("left", "right"):
        _close(fnp.searchsorted(a, v, side=side), np.searchsorted(a, v, side=side))
    rows = np.sort(np.stack([a, a[::-1] * 2]), axis=1)
    _close(fgrad.vmap(lambda r: fnp.searchsorted(r, v))(rows),
           np.stack([np.searchsorted(r, v) for r in rows]))


def test_interp_values_and_gradients():
    r = np.random.default_rng(4)
    xp = np.sort(r.random(8))
    fp = r.standard_normal(8)
    x = r.random(20) * 1.4 - 0.2
    _close(fnp.interp(x, xp, fp), np.interp(x, xp, fp))
    _close(fnp.interp(x, xp, fp, left=-5.0, right=7.0), np.interp(x, xp, fp, -5.0, 7.0))
    _close(fnp.interp(x * 10, xp, fp, period=0.7), np.interp(x * 10, xp, fp, period=0.7))
    _close(fnp.interp(x, xp, fp + 1j * fp), np.interp(x, xp, fp + 1j * fp))
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    f = lambda m: lambda x, xp, fp: m.sum(m.interp(x, xp, fp) ** 2)  # noqa: E731
    got = fgrad.grad(f(fnp), argnums=(0, 1, 2))(x, xp, fp)
    want = jax.grad(f(jax.numpy), argnums=(0, 1, 2))(x, xp, fp)
    _close(got, [np.asarray(w) for w in want], rtol=1e-9)


# ---------------------------------------------------------- stacking and differences
@SETTINGS
@given(arrays_and_axis(dtypes=(np.float64, np.int64, np.bool_), min_dims=1),
       st.integers(0, 3))
def test_diff_matches_numpy(xa, n):
    x, axis = xa
    axis = -1 if axis is None else axis
    _close(fnp.diff(x, n, axis=axis), np.diff(x, n, axis=axis))
    if x.dtype != np.bool_:
        _close(fnp.diff(x, n, axis=axis, prepend=0, append=x.take([0], axis)),
               np.diff(x, n, axis=axis, prepend=0, append=x.take([0], axis)))
        _close(fnp.ediff1d(x, to_begin=[7], to_end=9), np.ediff1d(x, to_begin=[7], to_end=9))


@SETTINGS
@given(arrays_and_axis(dtypes=(np.float64,), min_dims=1, min_side=3), st.integers(1, 2))
def test_gradient_matches_numpy(xa, edge_order):
    x, axis = xa
    _close(fnp.gradient(x, axis=axis, edge_order=edge_order),
           np.gradient(x, axis=axis, edge_order=edge_order), rtol=1e-9, atol=1e-9)
    ax = -1 if axis is None else axis
    coords = np.cumsum(np.linspace(0.5, 1.5, x.shape[ax]))
    _close(fnp.gradient(x, coords, axis=ax, edge_order=edge_order),
           np.gradient(x, coords, axis=ax, edge_order=edge_order), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("obj,values,axis", [
    (1, 9, None), ([0, 2, 2], [7, 8, 9], None), (1, [[5, 6, 7, 8]], 0), ([1, 3], [7, 8], 1),
    (slice(0, 2), 0, 1), (-1, [1, 2, 3], 1), ([1, 1], [[1, 2], [3, 4], [5, 6]], 1)])
def test_insert_delete_append_match_numpy(obj, values, axis):
    a = np.arange(12.0).reshape(3, 4)
    _close(fnp.insert(a, obj, values, axis=axis), np.insert(a, obj, values, axis=axis))
    _close(fnp.delete(a, obj, axis=axis), np.delete(a, obj, axis=axis))
    _close(fnp.append(a, a, axis=axis), np.append(a, a, axis=axis))


def test_insert_gradient_reaches_both_inputs():
    g = fgrad.grad(lambda a, v: fnp.sum(fnp.insert(a, [0, 2], v) * np.arange(5.0)),
                   argnums=(0, 1))(np.ones(3), np.ones(2))
    _close(g, [np.array([1.0, 2.0, 4.0]), np.array([0.0, 3.0])])   # [v0 a0 a1 v1 a2]


@pytest.mark.parametrize("k", range(-2, 5))
@pytest.mark.parametrize("axes", [(0, 1), (2, 0), (-1, 1)])
def test_rot90_rollaxis_match_numpy(k, axes):
    x = np.arange(24).reshape(2, 3, 4)
    _close(fnp.rot90(x, k, axes), np.rot90(x, k, axes))
    _close(fnp.rollaxis(x, axes[0], axes[1] % 3), np.rollaxis(x, axes[0], axes[1] % 3))


def test_splits_stacks_grids_and_integrals_match_numpy():
    a = np.arange(24.0).reshape(2, 3, 4)
    _close(fnp.vsplit(a, 2), np.vsplit(a, 2))
    _close(fnp.hsplit(a, [1]), np.hsplit(a, [1]))
    _close(fnp.dsplit(a, [1, 3]), np.dsplit(a, [1, 3]))
    _close(fnp.row_stack([a[0], a[1]]), np.vstack([a[0], a[1]]))
    _close(fnp.meshgrid(np.arange(3), np.arange(2), np.arange(4)),
           np.meshgrid(np.arange(3), np.arange(2), np.arange(4)))
    _close(fnp.meshgrid(np.arange(3), np.arange(2), sparse=True, indexing="ij"),
           np.meshgrid(np.arange(3), np.arange(2), sparse=True, indexing="ij"))
    _close(fnp.indices((2, 3)), np.indices((2, 3)))
    _close(fnp.tri(3, 4, 1), np.tri(3, 4, 1))
    xs = np.cumsum(np.linspace(0.1, 1, 4))
    _close(fnp.trapezoid(a, xs), np.trapezoid(a, xs))
    _close(fnp.trapz(a, dx=0.5, axis=0), np.trapezoid(a, dx=0.5, axis=0))
    _close(fnp.cumulative_sum(a, axis=1, include_initial=True),
           np.cumulative_sum(a, axis=1, include_initial=True))
    _close(fnp.resize(np.arange(3), (2, 4)), np.resize(np.arange(3), (2, 4)))


# ---------------------------------------------------------- polynomials, statistics
def test_polynomials_match_numpy_and_polyfit_gradient_as_jax():
    r = np.random.default_rng(5)
    p = np.array([2.0, -1.0, 3.0, 0.5])
    x = r.random(20)
    y = np.polyval(p, x) + 0.01 * r.standard_normal(20)
    _close(fnp.polyval(p, x), np.polyval(p, x))
    _close(fnp.polyder(p, 2), np.polyder(p, 2))
    _close(fnp.polyint(p, 2, k=[1.0, 2.0]), np.polyint(p, 2, k=[1.0, 2.0]))
    _close(fnp.polyadd(p, [1.0, 2.0]), np.polyadd(p, [1.0, 2.0]))
    _close(fnp.polymul(p, [1.0, 2.0]), np.polymul(p, [1.0, 2.0]))
    _close(fnp.vander(x[:4], 3, increasing=True), np.vander(x[:4], 3, increasing=True))
    tol = dict(rtol=1e-7, atol=1e-9)
    _close(fnp.polyfit(x, y, 3), np.polyfit(x, y, 3), **tol)
    _close(fnp.polyfit(x, y, 2, w=x + 1), np.polyfit(x, y, 2, w=x + 1), **tol)
    _close(fnp.polyfit(x, np.stack([y, 2 * y], 1), 2), np.polyfit(x, np.stack([y, 2 * y], 1), 2),
           **tol)
    _close(fnp.polyfit(x, y, 2, cov=True), np.polyfit(x, y, 2, cov=True), **tol)
    jax = pytest.importorskip("jax")
    jax.config.update("jax_enable_x64", True)
    want = jax.grad(lambda v: jax.numpy.polyfit(x, v, 2).sum())(y)
    _close(fgrad.grad(lambda v: fnp.sum(fnp.polyfit(x, v, 2)))(y), np.asarray(want), **tol)


def test_cov_corrcoef_average_match_numpy():
    r = np.random.default_rng(6)
    m, y = r.standard_normal((3, 6)), r.standard_normal((2, 6))
    fw, aw = np.array([1, 2, 1, 3, 1, 1]), r.random(6)
    _close(fnp.cov(m), np.cov(m))
    _close(fnp.cov(m, y, ddof=0), np.cov(m, y, ddof=0))
    _close(fnp.cov(m.T, rowvar=False, fweights=fw, aweights=aw),
           np.cov(m.T, rowvar=False, fweights=fw, aweights=aw))
    _close(fnp.cov(m[0]), np.cov(m[0]))
    _close(fnp.corrcoef(m), np.corrcoef(m))
    _close(fnp.corrcoef(m[0], m[1]), np.corrcoef(m[0], m[1]))
    _close(fnp.average(m, axis=1, weights=aw, returned=True),
           np.average(m, axis=1, weights=aw, returned=True))
    _close(fnp.average(m, axis=0, returned=True), np.average(m, axis=0, returned=True))
    with pytest.raises(ZeroDivisionError):
        fnp.average(m, axis=1, weights=np.zeros(6))


# ------------------------------------------------------ element-wise and index tricks
def test_elementwise_extras_match_numpy():
    a = np.array([1.0, np.nan, 3.0, np.nan])
    b = np.array([np.nan, np.nan, 1.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _close(fnp.fmax(a, b), np.fmax(a, b))
        _close(fnp.fmin(a, b), np.fmin(a, b))
    _close(fnp.float_power([2, 3], [-1, 2]), np.float_power([2, 3], [-1, 2]))
    z = np.array([1 + 1j, -2, 3j, -1 - 1j])
    _close(fnp.angle(z, deg=True), np.angle(z, deg=True))
    _close(fnp.angle(np.array([-1, 2])), np.angle(np.array([-1, 2])))
    _close(fnp.fabs([-1, 2]), np.fabs([-1, 2]))
    _close(fnp.real_if_close(np.array([1 + 1e-16j])), np.real_if_close(np.array([1 + 1e-16j])))
    x = np.linspace(-2, 2, 9)
    fl = [lambda v: -v, lambda v: v ** 2]
    _close(fnp.piecewise(x, [x < 0, x >= 0], fl), np.piecewise(x, [x < 0, x >= 0], fl))
    _close(fnp.piecewise(x, [x < -1, x > 1], [0.0, lambda v: v, 7.0]),
           np.piecewise(x, [x < -1, x > 1], [0.0, lambda v: v, 7.0]))
    with pytest.raises(TypeError, match="fabs"):
        fnp.fabs(z)


def test_index_tricks_match_numpy():
    _close(fnp.r_[1:4, 7, np.array([8, 9])], np.r_[1:4, 7, np.array([8, 9])])
    _close(fnp.r_[0:1:5j], np.r_[0:1:5j])
    _close(fnp.r_["-1", np.ones((2, 2)), np.zeros((2, 1))],
           np.r_["-1", np.ones((2, 2)), np.zeros((2, 1))])
    _close(fnp.r_["0,2,0", [1, 2], [3, 4]], np.r_["0,2,0", [1, 2], [3, 4]])
    _close(fnp.c_[np.array([1, 2, 3]), np.array([4, 5, 6])],
           np.c_[np.array([1, 2, 3]), np.array([4, 5, 6])])
    _close(fnp.c_[np.ones((2, 2)), [7.0, 8.0]], np.c_[np.ones((2, 2)), [7.0, 8.0]])
    _close(fnp.mgrid[0:3, 0:2], np.mgrid[0:3, 0:2])
    _close(fnp.ogrid[0:3, 0:1:3j], list(np.ogrid[0:3, 0:1:3j]))
    assert fnp.s_[1:2, ::3] == np.s_[1:2, ::3] and fnp.index_exp[2] == np.index_exp[2]
    idx = np.array([5, 7, 11])
    for order in ("C", "F"):
        _close(fnp.unravel_index(idx, (3, 4), order=order),
               np.unravel_index(idx, (3, 4), order=order))
    mi = (np.array([1, 2]), np.array([3, 5]))
    _close(fnp.ravel_multi_index(mi, (3, 4), mode="clip"),
           np.ravel_multi_index(mi, (3, 4), mode="clip"))
    _close(fnp.ravel_multi_index(mi, (3, 4), mode=("raise", "wrap"), order="F"),
           np.ravel_multi_index(mi, (3, 4), mode=("raise", "wrap"), order="F"))
    with pytest.raises(ValueError, match="invalid entry"):
        fnp.ravel_multi_index(mi, (3, 4))
    _close(fgrad.grad(lambda s: fnp.sum(fnp.r_[s, 2 * s]))(1.5), np.float64(3.0))


def test_linspace_logspace_geomspace_with_array_endpoints():
    _close(fnp.linspace(0, 1, 7), np.linspace(0, 1, 7))
    _close(fnp.linspace(fnp.asarray([0.0, 1.0]), np.array([2.0, 5.0]), 5, axis=1),
           np.linspace([0.0, 1.0], [2.0, 5.0], 5, axis=1))
    _close(fnp.linspace(fnp.asarray(0.0), 3, 4, endpoint=False, retstep=True),
           np.linspace(0.0, 3, 4, endpoint=False, retstep=True))
    _close(fgrad.grad(lambda s: fnp.sum(fnp.linspace(s, 2 * s, 5)))(1.0), np.float64(7.5))
    _close(fgrad.jit(lambda a, b: fnp.linspace(a, b, 4))(1.0, 2.0), np.linspace(1.0, 2.0, 4))
    _close(fnp.logspace(0, 3, 4, base=2), np.logspace(0, 3, 4, base=2))
    _close(fnp.geomspace(1, 1000, 4), np.geomspace(1, 1000, 4))
    _close(fnp.geomspace(-1, -1000, 5, endpoint=False), np.geomspace(-1, -1000, 5, endpoint=False))


def test_functional_helpers_and_small_extras_match_numpy():
    a = np.arange(24.0).reshape(2, 3, 4)
    for axis in range(3):
        _close(fnp.apply_along_axis(lambda v: v * 2, axis, a),
               np.apply_along_axis(lambda v: v * 2, axis, a))
        _close(fnp.apply_along_axis(lambda v: fnp.outer(v, v), axis, a),
               np.apply_along_axis(lambda v: np.outer(v, v), axis, a))
    sq = fnp.vectorize(lambda u, k: u ** k, excluded={1})
    _close(sq(np.array([[1.0, 2.0]]), 3), np.array([[1.0, 8.0]]))
    _close(fgrad.grad(lambda x: fnp.sum(fnp.vectorize(lambda u: u ** 2)(x)))(np.array([1.0, 2.0])),
           np.array([2.0, 4.0]))
    blocks = [[np.ones((2, 2)), np.zeros((2, 1))], [np.ones((1, 3))]]
    _close(fnp.block(blocks), np.block(blocks))
    for mode in ("clip", "wrap"):
        _close(fnp.choose(np.array([2, 0, -1]), [1, 2, 3], mode=mode),
               np.choose(np.array([2, 0, -1]), [1, 2, 3], mode=mode))
    x = np.array([[0.0, 3.0, 6.5, -3.0, 12.0], [1, 2, 3, 9, -9]])
    _close(fnp.unwrap(x), np.unwrap(x))
    _close(fnp.unwrap(x, axis=0, period=5), np.unwrap(x, axis=0, period=5))
    _close(fnp.copysign([1.0, -2.0, 3.0], [-0.0, 1.0, -1.0]),
           np.copysign([1.0, -2.0, 3.0], [-0.0, 1.0, -1.0]))
    _close(fnp.modf(np.array([1.5, -2.25])), np.modf(np.array([1.5, -2.25])))
    _close(fnp.divmod(np.array([7, -7]), 2), np.divmod(np.array([7, -7]), 2))
    _close(fnp.ldexp(np.array([1.0, 3.0]), np.array([2, -1])),
           np.ldexp(np.array([1.0, 3.0]), np.array([2, -1])))
    _close(fnp.trim_zeros(np.array([0, 0, 1, 2, 0]), "f"), np.trim_zeros(np.array([0, 0, 1, 2, 0]), "f"))
    _close(fnp.extract(x > 2, x), np.extract(x > 2, x))
    _close(fgrad.jit(lambda v: fnp.extract(v > 2, v, size=6))(x),
           np.concatenate([np.extract(x > 2, x), [0.0]])[:6])
    _close(fnp.fromfunction(lambda i, j: i + 2 * j, (2, 3)),
           np.fromfunction(lambda i, j: i + 2 * j, (2, 3)))
    assert fnp.array_equiv([1, 2], [[1, 2], [1, 2]]) and not fnp.array_equiv([1, 2], [1, 2, 3])


def test_reduction_keywords_match_numpy():
    r = np.random.default_rng(7)
    a = np.abs(r.standard_normal((3, 4)))
    nan = a.copy()
    nan[0, 1] = np.nan
    w = r.random((3, 4)) > 0.3
    for axis in (None, 0, (0, 1)):
        for kd in (False, True):
            kw = dict(axis=axis, keepdims=kd)
            _close(fnp.sum(a, where=w, initial=2.0, **kw), np.sum(a, where=w, initial=2.0, **kw))
            _close(fnp.prod(a, where=w, **kw), np.prod(a, where=w, **kw))
            _close(fnp.max(a, where=w, initial=-1.0, **kw), np.max(a, where=w, initial=-1.0, **kw))
            _close(fnp.min(a, initial=0.5, **kw), np.min(a, initial=0.5, **kw))
            _close(fnp.mean(a, where=w, **kw), np.mean(a, where=w, **kw))
            _close(fnp.var(a, where=w, ddof=1, **kw), np.var(a, where=w, ddof=1, **kw))
            _close(fnp.all(a > 0.5, where=w, **kw), np.all(a > 0.5, where=w, **kw))
            _close(fnp.any(a > 0.5, where=w, **kw), np.any(a > 0.5, where=w, **kw))
            _close(fnp.nansum(nan, where=w, **kw), np.nansum(nan, where=w, **kw))
            _close(fnp.nanmin(nan, where=w, initial=9.0, **kw),
                   np.nanmin(nan, where=w, initial=9.0, **kw))
            _close(fnp.nanmean(nan, where=w, **kw), np.nanmean(nan, where=w, **kw))
            _close(fnp.ptp(a, **kw), np.ptp(a, **kw))
    _close(fnp.max(np.zeros((0, 3)), axis=0, initial=1.0), np.max(np.zeros((0, 3)), axis=0, initial=1.0))
    x = fnp.asarray(a)
    _close(x.sum(axis=0, keepdims=True, out=None), a.sum(axis=0, keepdims=True))
    _close(x.max(axis=1, out=None, initial=0.0), a.max(axis=1, initial=0.0))
    _close(x.var(axis=0, ddof=1), a.var(axis=0, ddof=1))
    _close(x.argmax(axis=1, keepdims=True), a.argmax(axis=1, keepdims=True))
    _close(x.cumsum(axis=0, out=None), a.cumsum(axis=0))
    _close(x.sort(axis=0), np.sort(a, axis=0))
    with pytest.raises(ValueError, match="'out' argument"):
        x.sum(out=a)
    with pytest.raises(ValueError, match="initial"):
        fnp.max(a, where=w)
    _close(fgrad.grad(lambda v: fnp.mean(v, where=w))(a), w / w.sum())
