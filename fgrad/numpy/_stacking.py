"""More shape functions for ``fgrad.numpy``: splitting, stacking, rotating, inserting and
deleting, differences (``diff ediff1d gradient trapezoid``), grids (``meshgrid indices
tri``). All are compositions of slices, concatenations and arithmetic, so every one is
differentiable where NumPy's result depends smoothly on the input.
"""
from __future__ import annotations

import builtins
import operator

import numpy as np

from .._array import Array
from ..primitives import shape as S, unary as U
from ..transforms.core import Tracer
from ._core import asarray, arange, full
from ._indexing import from_host, take
from ._reductions import normalize_axes, sum as _sum, cumsum
from ._shape import (atleast_1d, atleast_3d, concatenate, array_split, split, ravel,
                     moveaxis, flip, swapaxes, reshape, broadcast_to, vstack, expand_dims)
from ._sorting import reject_out
from .. import errors
from ._shape import stack
from ._reductions import cumprod

__all__ = ["vsplit", "hsplit", "dsplit", "row_stack", "rollaxis", "rot90", "append", "insert",
           "delete", "diff", "ediff1d", "gradient", "meshgrid", "indices", "tri", "trapezoid",
           "trapz", "cumulative_sum", "cumulative_prod", "resize", "unstack"]


def _axis(axis, ndim, name):
    return normalize_axes(axis, ndim, name)[0]


def _split_nd(ary, sections, axis, min_ndim, name):
    a = asarray(ary)
    if a.ndim < min_ndim:
        raise ValueError(f"{name} only works on arrays of {min_ndim} or more dimensions")
    return split(a, sections, axis)


def vsplit(ary, indices_or_sections) -> list:
    """``split(ary, ..., axis=0)`` for arrays of 2 or more dimensions.

    >>> import fgrad.numpy as fnp
    >>> [p.shape for p in fnp.vsplit(fnp.zeros((4, 2)), 2)]
    [(2, 2), (2, 2)]
    """
    return _split_nd(ary, indices_or_sections, 0, 2, "vsplit")


def hsplit(ary, indices_or_sections) -> list:
    """``split`` along axis 1 (axis 0 for 1-d arrays).

    >>> import fgrad.numpy as fnp
    >>> [p.shape for p in fnp.hsplit(fnp.zeros((2, 4)), [1])]
    [(2, 1), (2, 3)]
    """
    a = asarray(ary)
    if a.ndim == 0:
        raise ValueError("hsplit only works on arrays of 1 or more dimensions")
    return split(a, indices_or_sections, 1 if a.ndim > 1 else 0)


def dsplit(ary, indices_or_sections) -> list:
    """``split`` along axis 2 for arrays of 3 or more dimensions.

    >>> import fgrad.numpy as fnp
    >>> len(fnp.dsplit(fnp.zeros((1, 1, 4)), 2))
    2
    """
    return _split_nd(ary, indices_or_sections, 2, 3, "dsplit")


def row_stack(tup) -> Array:
    """``vstack`` (NumPy's older name).

    >>> import fgrad.numpy as fnp
    >>> fnp.row_stack([fnp.zeros(2), fnp.ones(2)]).shape
    (2, 2)
    """
    return vstack(tup)


def unstack(x, axis: int = 0) -> tuple:
    """The slices of ``x`` along ``axis``, as a tuple.

    >>> import fgrad.numpy as fnp
    >>> len(fnp.unstack(fnp.zeros((3, 2))))
    3
    """
    x = asarray(x)
    ax = _axis(axis, x.ndim, "unstack")
    return tuple(S.squeeze(S.slice_axis(x, ax, i, i + 1), (ax,)) for i in range(x.shape[ax]))


def rollaxis(a, axis: int, start: int = 0) -> Array:
    """Roll ``axis`` backwards until it lies before ``start`` (NumPy's older ``moveaxis``).

    >>> import fgrad.numpy as fnp
    >>> fnp.rollaxis(fnp.zeros((3, 4, 5)), 2).shape
    (5, 3, 4)
    """
    a = asarray(a)
    n = a.ndim
    axis = _axis(axis, n, "rollaxis")
    if not -n <= start <= n:
        raise np.exceptions.AxisError(f"rollaxis: start {start} is out of bounds for array of "
                                      f"dimension {n}")
    start = start + n if start < 0 else start
    if axis < start:
        start -= 1
    if axis == start:
        return a
    return moveaxis(a, axis, start)


def rot90(m, k: int = 1, axes=(0, 1)) -> Array:
    """``m`` rotated by 90 degrees ``k`` times in the plane ``axes`` (from the first axis
    towards the second).

    >>> import fgrad.numpy as fnp
    >>> fnp.rot90(fnp.asarray([[1, 2], [3, 4]]))
    Array([[2, 4],
           [1, 3]])
    """
    m = asarray(m)
    axes = tuple(axes)
    if len(axes) != 2:
        raise ValueError("rot90: len(axes) must be 2.")
    if m.ndim < 2:
        raise ValueError("rot90: Axes must be different." if axes[0] == axes[1] else
                         f"rot90: Axes={axes} out of range for array of ndim={m.ndim}.")
    a0, a1 = (_axis(a, m.ndim, "rot90") for a in axes)
    if a0 == a1:
        raise ValueError("rot90: Axes must be different.")
    k = operator.index(k) % 4
    if k == 0:
        return m
    if k == 2:
        return flip(flip(m, a0), a1)
    if k == 1:
        return swapaxes(flip(m, a1), a0, a1)
    return flip(swapaxes(m, a0, a1), a1)


def append(arr, values, axis: int | None = None) -> Array:
    """``values`` appended to ``arr`` along ``axis`` (both flattened if None).

    >>> import fgrad.numpy as fnp
    >>> fnp.append(fnp.asarray([1, 2]), [3])
    Array([1, 2, 3])
    """
    arr, values = asarray(arr), asarray(values)
    if axis is None:
        return concatenate([ravel(arr), ravel(values)], 0)
    return concatenate([arr, values], axis)


def _static_indices(obj, n, name):
    """Host int64 indices from ``obj`` (int, slice, sequence or concrete array)."""
    if isinstance(obj, slice):
        return np.arange(n)[obj], False
    if isinstance(obj, Tracer):
        raise errors.ConcretizationTypeError(
            f"{name}: the index argument must be concrete (its values set the output shape); "
            "under a transform pass a Python int, slice or sequence")
    h = obj._host() if isinstance(obj, Array) else np.asarray(obj)
    if h.dtype.kind == "b":
        raise TypeError(f"{name}: boolean index arrays are not supported; use a mask with "
                        "fgrad.numpy.where or nonzero() first")
    if h.size and h.dtype.kind not in "iu":
        raise IndexError(f"{name}: arrays used as indices must be of integer type")
    return h.astype(np.int64), h.ndim == 0


def delete(arr, obj, axis: int | None = None, *, assume_unique_indices: bool = False) -> Array:
    """``arr`` without the entries ``obj`` (int, slice or indices) along ``axis`` (the
    flattened array if None).

    >>> import fgrad.numpy as fnp
    >>> fnp.delete(fnp.asarray([1, 2, 3, 4]), [0, 2])
    Array([2, 4])
    """
    a = asarray(arr)
    if axis is None:
        a, axis = ravel(a), 0
    ax = _axis(axis, a.ndim, "delete")
    n = a.shape[ax]
    idx, _ = _static_indices(obj, n, "delete")
    idx = idx.ravel()
    if idx.size and (idx.max() >= n or idx.min() < -n):
        bad = idx.max() if idx.max() >= n else idx.min()
        raise IndexError(f"delete: index {bad} is out of bounds for axis {ax} with size {n}")
    keep = np.ones(n, bool)
    keep[idx % builtins.max(n, 1)] = False
    return take(a, from_host(np.nonzero(keep)[0].astype(np.int64), a.device), axis=ax)


def insert(arr, obj, values, axis: int | None = None) -> Array:
    """``values`` inserted into ``arr`` before the index/indices ``obj`` along ``axis``
    (the flattened array if None), as ``numpy.insert``; differentiable in both.

    >>> import fgrad.numpy as fnp
    >>> fnp.insert(fnp.asarray([1, 2, 3]), 1, 9)
    Array([1, 9, 2, 3])
    """
    a = asarray(arr)
    if axis is None:
        a, axis = ravel(a), 0
    ax = _axis(axis, a.ndim, "insert")
    n = a.shape[ax]
    idx, scalar = _static_indices(obj, n + 1, "insert")
    if isinstance(obj, slice):
        idx = np.arange(n)[obj]
    if idx.size and (idx.max() > n or idx.min() < -n):
        bad = idx.max() if idx.max() > n else idx.min()
        raise IndexError(f"insert: index {bad} is out of bounds for axis {ax} with size {n}")
    idx = np.where(idx < 0, idx + n, idx)
    v = asarray(values)
    if v.dtype != a.dtype:
        v = U.convert(v, a.dtype)
    if v.ndim < a.ndim:                      # NumPy's ndmin: leading unit axes
        v = reshape(v, (1,) * (a.ndim - v.ndim) + tuple(v.shape))
    vshape = list(a.shape)
    if scalar:                               # one place: values' first axis is the count
        v = moveaxis(v, 0, ax)
        vshape[ax] = v.shape[ax]
        v = broadcast_to(v, tuple(vshape))
        i = int(idx)
        return concatenate([S.slice_axis(a, ax, 0, i), v, S.slice_axis(a, ax, i, n)], ax)
    m = idx.size
    vshape[ax] = m
    v = broadcast_to(v, tuple(vshape))
    # inserted slice j lands at idx[j] + (number of inserts placed before it: a stable rank)
    order = np.argsort(idx, kind="stable")
    new_pos = np.empty(m, np.int64)
    new_pos[order] = idx[order] + np.arange(m)
    old = np.ones(n + m, bool)
    old[new_pos] = False
    perm = np.empty(n + m, np.int64)
    perm[np.nonzero(old)[0]] = np.arange(n)
    perm[new_pos] = n + np.arange(m)
    return take(concatenate([a, v], ax), from_host(perm, a.device), axis=ax)


def diff(a, n: int = 1, axis: int = -1, prepend=None, append=None) -> Array:
    """The ``n``-th discrete difference along ``axis``, after ``prepend``/``append``.

    >>> import fgrad.numpy as fnp
    >>> fnp.diff(fnp.asarray([1, 4, 9, 16]), n=2)
    Array([2, 2])
    """
    a = asarray(a)
    if n < 0:
        raise ValueError(f"diff: order must be non-negative but got {n}")
    if a.ndim == 0:
        raise ValueError("diff requires input that is at least one dimensional")
    ax = _axis(axis, a.ndim, "diff")
    if n == 0:
        return a
    parts = []
    for extra in (prepend, a, append):
        if extra is None:
            continue
        e = asarray(extra)
        if e.ndim == 0:
            shape = list(a.shape)
            shape[ax] = 1
            e = broadcast_to(e, tuple(shape))
        parts.append(e)
    if len(parts) > 1:
        a = concatenate(parts, ax)
    for _ in range(n):
        m = a.shape[ax]
        if m == 0:
            break
        hi, lo = S.slice_axis(a, ax, 1, m), S.slice_axis(a, ax, 0, m - 1)
        a = (hi != lo) if a.dtype == np.bool_ else hi - lo
    return a


def ediff1d(ary, to_end=None, to_begin=None) -> Array:
    """Differences of consecutive elements of the flattened array, with ``to_begin`` and
    ``to_end`` attached.

    >>> import fgrad.numpy as fnp
    >>> fnp.ediff1d(fnp.asarray([1, 2, 4]), to_begin=0)
    Array([0, 1, 2])
    """
    a = ravel(asarray(ary))
    parts = [] if to_begin is None else [ravel(U.convert(asarray(to_begin), a.dtype))]
    parts.append(diff(a) if a.shape[0] else a)
    if to_end is not None:
        parts.append(ravel(U.convert(asarray(to_end), a.dtype)))
    return concatenate(parts, 0) if len(parts) > 1 else parts[0]


def _spacing_diffs(h, n, ax, ndim):
    """Per-axis spacing for ``gradient``: a scalar or an array of coordinates."""
    h = asarray(h)
    if h.ndim == 0:
        return h, None
    if h.ndim != 1 or h.shape[0] != n:
        raise ValueError("gradient: when 1d, distances must match the length of the "
                         "corresponding dimension")
    if h.dtype.kind in "biu":
        h = U.convert(h, np.float64)
    shape = [1] * ndim
    shape[ax] = n - 1
    return None, reshape(diff(h), tuple(shape))


def gradient(f, *varargs, axis=None, edge_order: int = 1):
    """Second-order central differences inside, first- or second-order one-sided ones at
    the edges (``edge_order``), with uniform spacing or coordinates per axis, as NumPy's.
    One array for a 1-d input (or one axis), else a list.

    >>> import fgrad.numpy as fnp
    >>> fnp.gradient(fnp.asarray([1.0, 2.0, 4.0, 7.0]))
    Array([1. , 1.5, 2.5, 3. ])
    """
    f = asarray(f)
    if f.dtype.kind in "biu":
        f = U.convert(f, np.float64)
    axes = normalize_axes(axis, f.ndim, "gradient") if axis is not None else \
        tuple(range(f.ndim))
    if isinstance(axis, (int, np.integer)):
        axes = (normalize_axes(axis, f.ndim, "gradient")[0],)
    if not varargs:
        spacing = [1.0] * len(axes)
    elif len(varargs) == 1 and asarray(varargs[0]).ndim == 0:
        spacing = list(varargs) * len(axes)
    elif len(varargs) == len(axes):
        spacing = list(varargs)
    else:
        raise TypeError("gradient: invalid number of arguments")
    if edge_order not in (1, 2):
        raise ValueError("gradient: 'edge_order' greater than 2 not supported")
    outs = []
    for ax, h in zip(axes, spacing):
        n = f.shape[ax]
        if n < edge_order + 1:
            raise ValueError("Shape of array too small to calculate a numerical gradient, "
                             "at least (edge_order + 1) elements are required.")
        outs.append(_gradient_axis(f, ax, n, h, edge_order))
    return outs[0] if len(outs) == 1 else outs


def _gradient_axis(f, ax, n, h, edge_order):
    sl = lambda lo, hi: S.slice_axis(f, ax, lo % n if lo < 0 else lo, hi if hi >= 0 else n + hi)  # noqa: E731
    dx, dxs = _spacing_diffs(h, n, ax, f.ndim)
    if dxs is None:   # uniform spacing
        inner = (sl(2, n) - sl(0, n - 2)) / (2.0 * dx)
        if edge_order == 1:
            first = (sl(1, 2) - sl(0, 1)) / dx
            last = (sl(n - 1, n) - sl(n - 2, n - 1)) / dx
        else:
            first = (-1.5 * sl(0, 1) + 2.0 * sl(1, 2) - 0.5 * sl(2, 3)) / dx
            last = (0.5 * sl(n - 3, n - 2) - 2.0 * sl(n - 2, n - 1) + 1.5 * sl(n - 1, n)) / dx
        return concatenate([first, inner, last], ax)
    d = lambda lo, hi: S.slice_axis(dxs, ax, lo, hi)  # noqa: E731
    dx1, dx2 = d(0, n - 2), d(1, n - 1)
    a = -dx2 / (dx1 * (dx1 + dx2))
    b = (dx2 - dx1) / (dx1 * dx2)
    c = dx1 / (dx2 * (dx1 + dx2))
    inner = a * sl(0, n - 2) + b * sl(1, n - 1) + c * sl(2, n)
    if edge_order == 1:
        first = (sl(1, 2) - sl(0, 1)) / d(0, 1)
        last = (sl(n - 1, n) - sl(n - 2, n - 1)) / d(n - 2, n - 1)
    else:
        h1, h2 = d(0, 1), d(1, 2)
        a0 = -(2.0 * h1 + h2) / (h1 * (h1 + h2))
        b0 = (h1 + h2) / (h1 * h2)
        c0 = -h1 / (h2 * (h1 + h2))
        first = a0 * sl(0, 1) + b0 * sl(1, 2) + c0 * sl(2, 3)
        h1, h2 = d(n - 3, n - 2), d(n - 2, n - 1)
        a1 = h2 / (h1 * (h1 + h2))
        b1 = -(h2 + h1) / (h1 * h2)
        c1 = (2.0 * h2 + h1) / (h2 * (h1 + h2))
        last = a1 * sl(n - 3, n - 2) + b1 * sl(n - 2, n - 1) + c1 * sl(n - 1, n)
    return concatenate([first, inner, last], ax)


def meshgrid(*xi, copy: bool = True, sparse: bool = False, indexing: str = "xy") -> list:
    """Coordinate arrays from 1-d coordinate vectors (``indexing='xy'`` swaps the first two
    output axes, as NumPy's; ``sparse`` keeps the broadcastable shapes).

    >>> import fgrad.numpy as fnp
    >>> X, Y = fnp.meshgrid(fnp.arange(3), fnp.arange(2))
    >>> X.shape
    (2, 3)
    """
    if indexing not in ("xy", "ij"):
        raise ValueError("meshgrid: Valid values for `indexing` are 'xy' and 'ij'.")
    xs = [ravel(asarray(x)) for x in xi]
    nd = len(xs)
    out = []
    for i, x in enumerate(xs):
        shape = [1] * nd
        shape[i] = x.shape[0]
        if indexing == "xy" and nd > 1 and i < 2:
            shape[0], shape[1] = shape[1], shape[0]
        out.append(reshape(x, tuple(shape)))
    if sparse:
        return out
    full_shape = [x.shape[0] for x in xs]
    if indexing == "xy" and nd > 1:
        full_shape[0], full_shape[1] = full_shape[1], full_shape[0]
    return [broadcast_to(o, tuple(full_shape)) for o in out]


def indices(dimensions, dtype=np.int64, sparse: bool = False):
    """An array (or, ``sparse``, a tuple) of index grids for a shape.

    >>> import fgrad.numpy as fnp
    >>> fnp.indices((2, 3)).shape
    (2, 2, 3)
    """
    dims = tuple(int(d) for d in dimensions)
    grids = meshgrid(*[arange(d, dtype=dtype) for d in dims], indexing="ij", sparse=sparse)
    if sparse:
        return tuple(grids)
    if not dims:
        return full((0,), 0, dtype)
    return stack(grids, 0)


def tri(N: int, M: int | None = None, k: int = 0, dtype=np.float64) -> Array:
    """Ones at and below the ``k``-th diagonal of an N x M array.

    >>> import fgrad.numpy as fnp
    >>> fnp.tri(2)
    Array([[1., 0.],
           [1., 1.]])
    """
    return from_host(np.tri(N, M, k, dtype=dtype), None)


def trapezoid(y, x=None, dx: float = 1.0, axis: int = -1) -> Array:
    """The integral of ``y`` along ``axis`` by the trapezoidal rule (samples at ``x``, or
    spaced ``dx``); differentiable in ``y`` and ``x``.

    >>> import fgrad.numpy as fnp
    >>> fnp.trapezoid(fnp.asarray([1.0, 2.0, 3.0]))
    Array(4.)
    """
    y = asarray(y)
    ax = _axis(axis, y.ndim, "trapezoid")
    n = y.shape[ax]
    if y.dtype.kind in "biu":
        y = U.convert(y, np.float64)
    mid = (S.slice_axis(y, ax, 1, n) + S.slice_axis(y, ax, 0, builtins.max(n - 1, 0))) / 2.0
    if x is None:
        return _sum(mid, axis=ax) * dx
    x = asarray(x)
    if x.ndim == 1:
        d = diff(x)
        shape = [1] * y.ndim
        shape[ax] = d.shape[0]
        d = reshape(d, tuple(shape))
    else:
        d = diff(x, axis=ax)
    return _sum(d * mid, axis=ax)


trapz = trapezoid


def cumulative_sum(x, *, axis: int | None = None, dtype=None,
                   include_initial: bool = False) -> Array:
    """The array API's cumulative sum (``axis`` may be omitted for 1-d input;
    ``include_initial`` prepends a zero).

    >>> import fgrad.numpy as fnp
    >>> fnp.cumulative_sum(fnp.asarray([1, 2, 3]), include_initial=True)
    Array([0, 1, 3, 6])
    """
    return _cumulative(x, axis, dtype, include_initial, cumsum, 0, "cumulative_sum")


def cumulative_prod(x, *, axis: int | None = None, dtype=None,
                    include_initial: bool = False) -> Array:
    """The array API's cumulative product.

    >>> import fgrad.numpy as fnp
    >>> fnp.cumulative_prod(fnp.asarray([1, 2, 3]))
    Array([1, 2, 6])
    """
    return _cumulative(x, axis, dtype, include_initial, cumprod, 1, "cumulative_prod")


def _cumulative(x, axis, dtype, include_initial, fn, init, name):
    x = asarray(x)
    if axis is None:
        if x.ndim != 1:
            raise ValueError(f"{name}: axis must be specified for arrays of more than one "
                             "dimension")
        axis = 0
    ax = _axis(axis, x.ndim, name)
    out = fn(x, axis=ax, dtype=dtype)
    if include_initial:
        shape = list(out.shape)
        shape[ax] = 1
        out = concatenate([full(tuple(shape), init, out.dtype, out.device), out], ax)
    return out


def resize(a, new_shape) -> Array:
    """``a`` flattened, repeated as needed and cut to ``new_shape`` (NumPy's function).

    >>> import fgrad.numpy as fnp
    >>> fnp.resize(fnp.asarray([1, 2, 3]), (2, 2))
    Array([[1, 2],
           [3, 1]])
    """
    a = ravel(asarray(a))
    shape = (new_shape,) if isinstance(new_shape, (int, np.integer)) else tuple(new_shape)
    total = int(np.prod(shape, dtype=np.int64))
    if total == 0 or a.shape[0] == 0:
        return full(shape, 0, a.dtype, a.device)
    reps = -(-total // a.shape[0])
    return reshape(S.slice_axis(concatenate([a] * reps, 0), 0, 0, total), shape)
