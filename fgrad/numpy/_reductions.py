"""Reductions for ``fgrad.numpy`` (``axis`` and ``keepdims`` as in NumPy)."""
from __future__ import annotations

import builtins

import numpy as np

from .. import errors
from .._axes import normalize_axes, normalize_axis  # noqa: F401  (re-exported)
from ..primitives import reductions as R, shape as S, unary as U
from ..transforms.core import bind
from ._core import asarray, _check_arraylike


def _keep(out, x_shape, axes, keepdims):
    if keepdims:
        return S.reshape(out, R._kept_shape(x_shape, axes))
    return out


def _reduce(prim, name):
    def f(a, axis=None, dtype=None, keepdims=False):
        _check_arraylike(name, a)
        a = asarray(a)
        if dtype is not None:
            a = U.convert(a, dtype)
        axes = normalize_axes(axis, a.ndim, name)
        if not axes and prim is not R.reduce_sum_p and a.ndim:
            return a
        if prim is R.reduce_sum_p and a.dtype == np.bool_:
            a = U.convert(a, np.int64)
        out = bind(prim, a, axes=axes)
        if dtype is not None and out.dtype != np.dtype(dtype):   # sum of int32 is int64
            out = U.convert(out, dtype)
        return _keep(out, a.shape, axes, keepdims)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"``{name}`` over ``axis`` (all axes by default), as ``numpy.{name}``.\n\n"
                 f">>> import fgrad.numpy as fnp\n>>> fnp.{name}(fnp.asarray([[1., 2.], [3., 4.]]), axis=0).shape\n(2,)")
    return f


sum = _reduce(R.reduce_sum_p, "sum")
prod = _reduce(R.reduce_prod_p, "prod")
all = _reduce(R.reduce_and_p, "all")
any = _reduce(R.reduce_or_p, "any")
_max = _reduce(R.reduce_max_p, "max")
_min = _reduce(R.reduce_min_p, "min")


def _nonempty(a, axes, name):
    for ax in axes:
        if a.shape[ax] == 0:
            raise ValueError(f"zero-size array to reduction operation {name} which has no identity")


def max(a, axis=None, keepdims=False, initial=None):
    """Maximum over ``axis``; ties share the gradient equally (JAX's rule)."""
    a = asarray(a)
    _nonempty(a, normalize_axes(axis, a.ndim, "max"), "maximum")
    out = _max(a, axis=axis, keepdims=keepdims)
    return out if initial is None else __import__("fgrad").numpy.maximum(out, initial)


def min(a, axis=None, keepdims=False, initial=None):
    """Minimum over ``axis``; ties share the gradient equally (JAX's rule)."""
    a = asarray(a)
    _nonempty(a, normalize_axes(axis, a.ndim, "min"), "minimum")
    out = _min(a, axis=axis, keepdims=keepdims)
    return out if initial is None else __import__("fgrad").numpy.minimum(out, initial)


amax, amin = max, min


def _arg(prim, name):
    def f(a, axis=None, keepdims=False):
        _check_arraylike(name, a)
        a = asarray(a)
        if axis is None:
            flat = S.reshape(a, (a.size,))
            out = bind(prim, flat, axis=0)
            return S.reshape(out, (1,) * a.ndim) if keepdims else out
        ax = normalize_axes(axis, a.ndim, name)[0]
        out = bind(prim, a, axis=ax)
        return _keep(out, a.shape, (ax,), keepdims)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"Index of the {name[3:]} along ``axis`` (flattened if None), as ``numpy.{name}``."
    return f


argmax = _arg(R.argmax_p, "argmax")
argmin = _arg(R.argmin_p, "argmin")


def _scan(prim, name):
    def f(a, axis=None, dtype=None):
        _check_arraylike(name, a)
        a = asarray(a)
        if dtype is not None:
            a = U.convert(a, dtype)
        if axis is None:
            a = S.reshape(a, (a.size,))
            axis = 0
        ax = normalize_axes(axis, a.ndim, name)[0]
        return bind(prim, a, axis=ax)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"Cumulative {name[3:]} along ``axis`` (flattened if None), as ``numpy.{name}``."
    return f


cumsum = _scan(R.cumsum_p, "cumsum")
cumprod = _scan(R.cumprod_p, "cumprod")


def _count(a, axes):
    return int(np.prod([a.shape[i] for i in axes], dtype=np.int64))


def mean(a, axis=None, dtype=None, keepdims=False):
    """Arithmetic mean over ``axis`` (a composition: sum / count).

    >>> import fgrad.numpy as fnp
    >>> fnp.mean(fnp.asarray([1.0, 2.0, 6.0]))
    Array(3.)
    """
    _check_arraylike("mean", a)
    a = asarray(a)
    if dtype is None and a.dtype.kind in "biu":
        dtype = np.float64
    axes = normalize_axes(axis, a.ndim, "mean")
    s = sum(a, axis=axes, dtype=dtype, keepdims=keepdims)
    return s / _count(a, axes) if _count(a, axes) else s * np.nan


def var(a, axis=None, dtype=None, ddof=0, keepdims=False, *, correction=None):
    """Variance over ``axis`` with ``ddof`` (0 by default, as NumPy).

    >>> import fgrad.numpy as fnp
    >>> fnp.var(fnp.asarray([1.0, 3.0]))
    Array(1.)
    """
    if correction is not None:
        ddof = correction
    _check_arraylike("var", a)
    a = asarray(a)
    if dtype is None and a.dtype.kind in "biu":
        dtype = np.float64
    if dtype is not None:
        a = U.convert(a, dtype)
    axes = normalize_axes(axis, a.ndim, "var")
    d = a - mean(a, axis=axes, keepdims=True)
    sq = d * d if d.dtype.kind != "c" else (d * __import__("fgrad").numpy.conj(d)).real
    n = _count(a, axes) - ddof
    return sum(sq, axis=axes, keepdims=keepdims) / (n if n > 0 else np.nan)


def std(a, axis=None, dtype=None, ddof=0, keepdims=False, *, correction=None):
    """Standard deviation: ``sqrt(var(...))``."""
    return U.sqrt(var(a, axis, dtype, ddof, keepdims, correction=correction))


def average(a, axis=None, weights=None, keepdims=False):
    if weights is None:
        return mean(a, axis=axis, keepdims=keepdims)
    a, w = asarray(a), asarray(weights)
    return sum(a * w, axis=axis, keepdims=keepdims) / sum(w * (a * 0 + 1), axis=axis, keepdims=keepdims)


def count_nonzero(a, axis=None, keepdims=False):
    a = asarray(a)
    return sum(U.convert(a != 0, np.int64), axis=axis, keepdims=keepdims)


def ptp(a, axis=None, keepdims=False):
    return max(a, axis, keepdims) - min(a, axis, keepdims)


def _nan_masked(fn, fill):
    def f(a, axis=None, keepdims=False, **kw):
        import fgrad.numpy as fnp
        a = asarray(a)
        if a.dtype.kind not in "fc":    # no nan to mask; keep the integer dtype
            return fn(a, axis=axis, keepdims=keepdims, **kw)
        return fn(fnp.where(fnp.isnan(a), fill, a), axis=axis, keepdims=keepdims, **kw)
    return f


nansum = _nan_masked(sum, 0.0)
nanprod = _nan_masked(prod, 1.0)
_nanmax = _nan_masked(max, -np.inf)
_nanmin = _nan_masked(min, np.inf)


def _all_nan_is_nan(masked):
    """nanmax/nanmin: nan where every element along the axes is nan (as NumPy)."""
    def f(a, axis=None, keepdims=False):
        import fgrad.numpy as fnp
        a = asarray(a)
        out = masked(a, axis=axis, keepdims=keepdims)
        if a.dtype.kind not in "fc":
            return out
        return fnp.where(all(fnp.isnan(a), axis=axis, keepdims=keepdims), np.nan, out)
    return f


nanmax = _all_nan_is_nan(_nanmax)
nanmin = _all_nan_is_nan(_nanmin)


def nanmean(a, axis=None, keepdims=False):
    import fgrad.numpy as fnp
    a = asarray(a)
    ok = ~fnp.isnan(a)
    return nansum(a, axis, keepdims) / sum(U.convert(ok, a.dtype), axis=axis, keepdims=keepdims)
