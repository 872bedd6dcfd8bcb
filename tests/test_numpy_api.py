"""``fgrad.numpy`` values vs NumPy: creation, element-wise math, reductions, shape functions.

Hypothesis draws shapes (empty ones included) and dtypes; values include inf
and nan where the function is defined there. Dtypes must match NumPy 2's.
"""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import fgrad.numpy as fnp

FLOATS = [np.float32, np.float64]
INTS = [np.int8, np.int32, np.int64, np.uint8]
S = settings(max_examples=12, deadline=None)


def same(got, want, rtol=1e-6, atol=0.0):
    """Values (nan == nan) and dtype as NumPy's."""
    want = np.asarray(want)
    got_np = np.asarray(got)
    assert got_np.shape == want.shape, (got_np.shape, want.shape)
    assert got_np.dtype == want.dtype, (got_np.dtype, want.dtype)
    if want.dtype.kind in "fc":
        # composites round at each step: allow a few ulps of the result dtype
        rtol = max(rtol, 4 * float(np.finfo(want.dtype).eps))
        np.testing.assert_allclose(got_np, want, rtol=rtol, atol=atol, equal_nan=True)
    else:
        np.testing.assert_array_equal(got_np, want)


def arrays(dtypes, min_dims=0, max_dims=3, min_side=0, specials=True):
    """Arrays of the given dtypes, possibly empty; floats include inf/nan/-0.0 when asked."""
    def elements(dt):
        if np.dtype(dt).kind == "b":
            return st.booleans()
        if np.dtype(dt).kind == "f":
            return st.floats(-10, 10, width=np.dtype(dt).itemsize * 8) | (
                st.sampled_from([np.inf, -np.inf, np.nan, -0.0]) if specials else st.nothing())
        info = np.iinfo(dt)
        return st.integers(max(info.min, -20), min(info.max, 20))
    return st.sampled_from(dtypes).flatmap(lambda dt: hnp.arrays(
        dt, hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=4),
        elements=elements(dt)))


def quiet():
    warnings.simplefilter("ignore")
    return np.errstate(all="ignore")


# ---------------------------------------------------------------- creation ---
def test_creation_functions():
    same(fnp.zeros((2, 3)), np.zeros((2, 3)))
    same(fnp.ones(3, dtype=np.int32), np.ones(3, np.int32))
    same(fnp.full((2,), 7), np.full((2,), 7))
    same(fnp.full((2, 2), 1.5, dtype=np.float32), np.full((2, 2), 1.5, np.float32))
    same(fnp.empty((0, 3)), np.zeros((0, 3)))
    same(fnp.arange(5), np.arange(5))
    same(fnp.arange(1.0, 2.0, 0.25), np.arange(1.0, 2.0, 0.25))
    same(fnp.arange(2, 11, 3, dtype=np.int8), np.arange(2, 11, 3, dtype=np.int8))
    same(fnp.linspace(0, 1, 5), np.linspace(0, 1, 5))
    same(fnp.linspace(0, 1, 4, endpoint=False), np.linspace(0, 1, 4, endpoint=False))
    same(fnp.eye(3, 4, k=1), np.eye(3, 4, k=1))
    same(fnp.identity(2, dtype=np.int64), np.identity(2, dtype=np.int64))
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    for like in ("zeros_like", "ones_like", "empty_like"):
        got = getattr(fnp, like)(a)
        assert got.shape == a.shape and got.dtype == a.dtype
    same(fnp.zeros_like(a), np.zeros_like(a))
    same(fnp.full_like(a, 2), np.full_like(a, 2))
    same(fnp.ones_like(a, dtype=np.int8), np.ones_like(a, dtype=np.int8))


def test_asarray_dtypes_and_nesting():
    same(fnp.asarray([1, 2]), np.asarray([1, 2]))
    same(fnp.asarray(1.0), np.asarray(1.0))
    same(fnp.asarray(True), np.asarray(True))
    same(fnp.asarray([[1, 2.5]], dtype=np.float32), np.asarray([[1, 2.5]], dtype=np.float32))
    same(fnp.asarray([fnp.asarray(1.0), fnp.asarray(2.0)]), np.array([1.0, 2.0]))
    same(fnp.array([1, 2], ndmin=3), np.array([1, 2], ndmin=3))
    same(fnp.astype(fnp.asarray([1.7, -1.7]), np.int32), np.array([1.7, -1.7]).astype(np.int32))
    assert fnp.shape([[1, 2, 3]]) == (1, 3) and fnp.ndim(1.0) == 0 and fnp.size(np.ones((2, 3)), 1) == 3


# ------------------------------------------------------------- element-wise ---
UNARY_FLOAT = ["negative", "exp", "expm1", "log", "log1p", "sqrt", "sin", "cos", "tan", "tanh",
               "sinh", "cosh", "arcsin", "arccos", "arctan", "arcsinh", "arccosh", "arctanh",
               "abs", "sign", "floor", "ceil", "isfinite", "isnan", "isinf", "logical_not",
               "real", "imag", "conj", "trunc", "square", "reciprocal", "cbrt", "exp2", "log2",
               "log10", "deg2rad", "rad2deg", "rint", "signbit", "positive", "fix"]


@pytest.mark.parametrize("name", UNARY_FLOAT)
@S
@given(x=arrays(FLOATS))
def test_unary_float(name, x):
    with quiet():
        want = getattr(np, name)(x)
    with quiet():
        got = getattr(fnp, name)(x)
    # compositions may lose an ulp or two; float32 results compare at float32 precision
    same(got, want, rtol=2e-6 if x.dtype == np.float32 else 1e-12, atol=1e-30)


UNARY_INT = ["negative", "abs", "sign", "square", "invert", "logical_not", "isfinite",
             "positive", "sqrt", "exp", "sin"]


@pytest.mark.parametrize("name", UNARY_INT)
@S
@given(x=arrays(INTS))
def test_unary_int(name, x):
    with quiet():
        same(getattr(fnp, name)(x), getattr(np, name)(x), rtol=1e-6)


BINARY = ["add", "subtract", "multiply", "true_divide", "maximum", "minimum", "arctan2",
          "remainder", "floor_divide", "power", "equal", "not_equal", "less", "less_equal",
          "greater", "greater_equal", "logical_and", "logical_or", "logical_xor", "hypot",
          "logaddexp", "logaddexp2", "fmod", "nextafter", "heaviside"]


@pytest.mark.parametrize("name", BINARY)
@S
@given(data=st.data())
def test_binary_broadcasting_and_promotion(name, data):
    shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_side=0, max_side=3))
    dts = FLOATS + ([] if name in ("nextafter", "heaviside") else INTS[1:])
    dx, dy = data.draw(st.sampled_from(dts)), data.draw(st.sampled_from(dts))
    x = data.draw(hnp.arrays(dx, shapes.input_shapes[0], elements=_elems(dx, name)))
    y = data.draw(hnp.arrays(dy, shapes.input_shapes[1], elements=_elems(dy, name, second=True)))
    with quiet():
        want = getattr(np, name)(x, y)
    with quiet():
        got = getattr(fnp, name)(x, y)
    f32 = np.float32 in (x.dtype, y.dtype) or want.dtype.kind != "f"
    same(got, want, rtol=1e-5 if f32 else 1e-12, atol=1e-6 if f32 else 1e-300)


def _elems(dt, name, second=False):
    if np.dtype(dt).kind == "f":
        base = st.floats(-5, 5, width=np.dtype(dt).itemsize * 8)
        if name not in ("remainder", "floor_divide", "fmod", "power"):
            base = base | st.sampled_from([np.inf, -np.inf, np.nan])
        if name == "power" and not second:
            base = st.floats(0.125, 5, width=np.dtype(dt).itemsize * 8)
        return base
    lo = 1 if second and name in ("remainder", "floor_divide", "fmod", "true_divide") else -5
    if name == "power":
        lo = 0
    return st.integers(max(lo, int(np.iinfo(dt).min)), 5)


@pytest.mark.parametrize("dt", [np.float16, np.float32, np.int8, np.int32, np.uint8, np.bool_])
@pytest.mark.parametrize("scalar", [2, 2.5, True])
def test_python_scalars_are_weak(dt, scalar):
    x = np.array([1, 0], dtype=dt)
    for op in ("add", "multiply", "maximum"):
        with quiet():
            want = getattr(np, op)(x, scalar)
            same(getattr(fnp, op)(x, scalar), want)
            same(getattr(fnp, op)(scalar, x), getattr(np, op)(scalar, x))


def test_where_clip_and_friends():
    x = np.array([-2.0, -0.5, 0.0, 0.5, np.inf, np.nan])
    same(fnp.where(x > 0, x, -1.0), np.where(x > 0, x, -1.0))
    same(fnp.where(x > 0, 1, 0), np.where(x > 0, 1, 0))
    same(fnp.clip(x, -1.0, 1.0), np.clip(x, -1.0, 1.0))
    same(fnp.clip(x, a_min=0.0), np.clip(x, 0.0, None))
    same(fnp.clip(x, max=0.2), np.clip(x, None, 0.2))
    same(fnp.sinc(x), np.sinc(x))
    same(fnp.round(np.array([0.5, 1.5, 2.567]), 1), np.round(np.array([0.5, 1.5, 2.567]), 1))
    same(fnp.nan_to_num(x), np.nan_to_num(x))
    same(fnp.nan_to_num(x, nan=1.0, posinf=9.0), np.nan_to_num(x, nan=1.0, posinf=9.0))
    same(fnp.isclose(x, x + 1e-9), np.isclose(x, x + 1e-9))
    same(fnp.isclose(x, x, equal_nan=True), np.isclose(x, x, equal_nan=True))
    assert fnp.allclose([1.0, 2.0], [1.0, 2.0 + 1e-10]) is True
    assert fnp.array_equal([1, 2], [1, 2]) and not fnp.array_equal([1, 2], [1, 2, 3])
    same(fnp.logaddexp(np.array([-np.inf, np.inf, 1000.0]), np.array([-np.inf, np.inf, 1000.0])),
         np.logaddexp(np.array([-np.inf, np.inf, 1000.0]), np.array([-np.inf, np.inf, 1000.0])))


# --------------------------------------------------------------- reductions ---
REDUCTIONS = ["sum", "prod", "mean", "var", "std", "max", "min", "all", "any", "ptp",
              "count_nonzero", "nansum", "nanmean", "nanmax", "nanmin", "nanprod"]


def _axes(data, ndim):
    choice = data.draw(st.sampled_from(["none", "int", "neg", "tuple"]))
    if choice == "none" or ndim == 0:
        return None
    if choice == "int":
        return data.draw(st.integers(0, ndim - 1))
    if choice == "neg":
        return data.draw(st.integers(-ndim, -1))
    return tuple(data.draw(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim,
                                    unique=True)))


@pytest.mark.parametrize("name", REDUCTIONS)
@S
@given(data=st.data())
def test_reductions(name, data):
    x = data.draw(arrays(FLOATS + [np.int32, np.int64, np.bool_]
                         if name not in ("var", "std", "ptp") else FLOATS + [np.int64],
                         min_side=0))
    axis = _axes(data, x.ndim)
    keep = data.draw(st.booleans()) if name != "count_nonzero" else False
    kw = {"axis": axis, "keepdims": keep} if name != "count_nonzero" else {"axis": axis}
    with quiet():
        try:
            want = getattr(np, name)(x, **kw)
        except ValueError:                       # max/min of an empty axis
            with pytest.raises(ValueError):
                getattr(fnp, name)(x, **kw)
            return
        got = getattr(fnp, name)(x, **kw)
    if name == "count_nonzero":
        got, want = np.asarray(got).astype(np.int64), np.asarray(want).astype(np.int64)
    rtol = 1e-4 if x.dtype in (np.float32, np.bool_) or name in ("var", "std") else 1e-10
    same(got, want, rtol=rtol, atol=1e-4 if x.dtype == np.float32 else 1e-12)


@pytest.mark.parametrize("name", ["argmax", "argmin", "cumsum", "cumprod"])
@S
@given(data=st.data())
def test_index_reductions_and_scans(name, data):
    x = data.draw(arrays(FLOATS + [np.int32, np.int64], min_dims=1, min_side=1, specials=False))
    axis = data.draw(st.none() | st.integers(-x.ndim, x.ndim - 1))
    with quiet():
        same(getattr(fnp, name)(x, axis=axis), getattr(np, name)(x, axis=axis), rtol=1e-5)
    if name.startswith("arg"):
        same(getattr(fnp, name)(x, axis=axis, keepdims=True),
             getattr(np, name)(x, axis=axis, keepdims=True))


def test_reduction_edge_cases():
    same(fnp.sum(np.zeros((0, 3))), np.sum(np.zeros((0, 3))))
    same(fnp.prod(np.zeros((2, 0)), axis=1), np.prod(np.zeros((2, 0)), axis=1))
    same(fnp.sum(np.array([True, True, False])), np.sum(np.array([True, True, False])))
    same(fnp.sum(np.ones(3, np.int8)), np.sum(np.ones(3, np.int8)))
    same(fnp.mean(np.array([1, 2])), np.mean(np.array([1, 2])))
    same(fnp.var(np.array([1.0, 2.0, 4.0]), ddof=1), np.var(np.array([1.0, 2.0, 4.0]), ddof=1))
    same(fnp.max(np.array([1.0, np.nan])), np.max(np.array([1.0, np.nan])))
    same(fnp.max(np.array([1.0, 2.0]), initial=5.0), np.max(np.array([1.0, 2.0]), initial=5.0))
    same(fnp.sum(np.ones((2, 3)), dtype=np.int32), np.sum(np.ones((2, 3)), dtype=np.int32))
    same(fnp.average(np.array([1.0, 2.0]), weights=np.array([3.0, 1.0])),
         np.average(np.array([1.0, 2.0]), weights=np.array([3.0, 1.0])))
    with pytest.raises(ValueError, match="zero-size"):
        fnp.max(np.zeros(0))
    with pytest.raises(np.exceptions.AxisError):
        fnp.sum(np.ones(3), axis=1)
    with pytest.raises(ValueError, match="repeated"):
        fnp.sum(np.ones((2, 2)), axis=(0, -2))


# -------------------------------------------------------------------- shape ---
@S
@given(x=arrays([np.float64, np.int32, np.bool_], min_side=0, specials=False), data=st.data())
def test_shape_functions(x, data):
    same(fnp.reshape(x, (-1,)), np.reshape(x, (-1,)))
    same(fnp.ravel(x), np.ravel(x))
    same(fnp.transpose(x), np.transpose(x))
    same(fnp.expand_dims(x, 0), np.expand_dims(x, 0))
    same(fnp.expand_dims(x, -1), np.expand_dims(x, -1))
    same(fnp.squeeze(fnp.expand_dims(x, 0)), np.squeeze(np.expand_dims(x, 0)))
    same(fnp.broadcast_to(x, (2,) + x.shape), np.broadcast_to(x, (2,) + x.shape))
    same(fnp.flip(x), np.flip(x))
    same(fnp.atleast_1d(x), np.atleast_1d(x))
    same(fnp.atleast_2d(x), np.atleast_2d(x))
    same(fnp.atleast_3d(x), np.atleast_3d(x))
    same(fnp.tile(x, (2, 1)), np.tile(x, (2, 1)))
    same(fnp.repeat(x, 2), np.repeat(x, 2))
    if x.ndim >= 1:
        ax = data.draw(st.integers(-x.ndim, x.ndim - 1))
        same(fnp.moveaxis(x, ax, 0), np.moveaxis(x, ax, 0))
        same(fnp.swapaxes(x, ax, -1), np.swapaxes(x, ax, -1))
        same(fnp.flip(x, ax), np.flip(x, ax))
        same(fnp.roll(x, 2, axis=ax), np.roll(x, 2, axis=ax))
        same(fnp.roll(x, -1), np.roll(x, -1))
        same(fnp.concatenate([x, x], axis=ax), np.concatenate([x, x], axis=ax))
        same(fnp.stack([x, x], axis=ax), np.stack([x, x], axis=ax))
        same(fnp.repeat(x, 3, axis=ax), np.repeat(x, 3, axis=ax))
        same(fnp.pad(x, 1), np.pad(x, 1))
        n = x.shape[ax]
        for got, want in zip(fnp.array_split(x, 3, axis=ax), np.array_split(x, 3, axis=ax)):
            same(got, want)
        for got, want in zip(fnp.split(x, [1, 2], axis=ax), np.split(x, [1, 2], axis=ax)):
            same(got, want)
        if n % 2 == 0:
            for got, want in zip(fnp.split(x, 2, axis=ax), np.split(x, 2, axis=ax)):
                same(got, want)
    if x.ndim >= 2:
        same(fnp.tril(x), np.tril(x))
        same(fnp.triu(x, 1), np.triu(x, 1))
        same(fnp.tril(x, -1), np.tril(x, -1))


def test_shape_function_variants():
    a = np.arange(24.0).reshape(2, 3, 4)
    same(fnp.moveaxis(a, (0, 1), (2, 0)), np.moveaxis(a, (0, 1), (2, 0)))
    same(fnp.transpose(a, (2, 0, 1)), np.transpose(a, (2, 0, 1)))
    same(fnp.squeeze(np.ones((1, 3, 1)), axis=-1), np.squeeze(np.ones((1, 3, 1)), axis=-1))
    same(fnp.expand_dims(a, (0, 2)), np.expand_dims(a, (0, 2)))
    for mode in ("edge", "wrap", "reflect", "symmetric"):
        same(fnp.pad(a, ((1, 2), (0, 1), (2, 2)), mode=mode),
             np.pad(a, ((1, 2), (0, 1), (2, 2)), mode=mode))
    same(fnp.pad(a, 1, constant_values=((1, 2), (3, 4), (5, 6))),
         np.pad(a, 1, constant_values=((1, 2), (3, 4), (5, 6))))
    v = np.arange(3.0)
    same(fnp.vstack([v, v]), np.vstack([v, v]))
    same(fnp.hstack([v, v]), np.hstack([v, v]))
    same(fnp.dstack([v, v]), np.dstack([v, v]))
    same(fnp.column_stack([v, v]), np.column_stack([v, v]))
    same(fnp.concatenate([a, a], axis=None), np.concatenate([a, a], axis=None))
    same(fnp.concatenate([np.ones(2, np.int32), np.ones(2)]),
         np.concatenate([np.ones(2, np.int32), np.ones(2)]))
    same(fnp.roll(a, (1, -2), axis=(0, 2)), np.roll(a, (1, -2), axis=(0, 2)))
    same(fnp.repeat(v, [1, 0, 2]) if hasattr(fnp, "take") else fnp.repeat(v, 1),
         np.repeat(v, [1, 0, 2]) if hasattr(fnp, "take") else np.repeat(v, 1))
    for got, want in zip(fnp.broadcast_arrays(np.ones((2, 1)), np.ones(3)),
                         np.broadcast_arrays(np.ones((2, 1)), np.ones(3))):
        same(got, want)
    assert fnp.broadcast_shapes((2, 1), (3,)) == (2, 3)
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        fnp.add(np.ones(2), np.ones(3))
    with pytest.raises(ValueError, match="reshape"):
        fnp.reshape(a, (5, -1))
    with pytest.raises(ValueError, match="squeeze"):
        fnp.squeeze(a, axis=0)
    with pytest.raises(ValueError, match="concatenate"):
        fnp.concatenate([a, np.ones((2, 2, 2))], axis=0)
