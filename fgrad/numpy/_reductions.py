"""Reductions for ``fgrad.numpy`` (``axis`` and ``keepdims`` as in NumPy)."""
from __future__ import annotations

import builtins

import numpy as np

from .. import errors
from .._axes import normalize_axes, normalize_axis  # noqa: F401  (re-exported)
from ..primitives import binary as B, reductions as R, shape as S, unary as U
from ..transforms.core import bind
from ._core import _size, asarray, _check_arraylike


def _keep(out, x_shape, axes, keepdims):
    if keepdims:
        return S.reshape(out, R._kept_shape(x_shape, axes))
    return out


def _reject_out(out, name):
    if out is not None:
        raise ValueError(f"{name}: the 'out' argument is not supported (fgrad arrays are "
                         "immutable); use the returned array instead")


def _masked(a, where, fill):
    """``a`` with the entries outside the ``where`` mask replaced by ``fill``."""
    if where is None:
        return a
    return bind(B.select_p, asarray(where), a, S.broadcast_to(
        U.convert(asarray(fill), a.dtype), tuple(a.shape)))


def _reduce(prim, name):
    def raw(a, axis=None, dtype=None, keepdims=False):
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
    raw.__name__ = raw.__qualname__ = name
    return raw


_sum = _reduce(R.reduce_sum_p, "sum")
_prod = _reduce(R.reduce_prod_p, "prod")
_all = _reduce(R.reduce_and_p, "all")
_any = _reduce(R.reduce_or_p, "any")
_max = _reduce(R.reduce_max_p, "max")
_min = _reduce(R.reduce_min_p, "min")


def sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    """Sum over ``axis`` (all axes by default), as ``numpy.sum``: ``where`` masks entries
    out, ``initial`` is added; ``out`` must be None (arrays are immutable).

    >>> import fgrad.numpy as fnp
    >>> fnp.sum(fnp.asarray([[1., 2.], [3., 4.]]), axis=0, where=[True, False])
    Array([4., 0.])
    """
    _check_arraylike("sum", a)
    if out is not None:
        _reject_out(out, "sum")
    if where is not None:
        a = _masked(asarray(a), where, 0)
    out = _sum(a, axis, dtype, keepdims)
    return out if initial is None else out + initial


def prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    """Product over ``axis``, as ``numpy.prod`` (``where``, ``initial`` as in ``sum``).

    >>> import fgrad.numpy as fnp
    >>> fnp.prod(fnp.asarray([[1., 2.], [3., 4.]]), axis=0)
    Array([3., 8.])
    """
    _check_arraylike("prod", a)
    if out is not None:
        _reject_out(out, "prod")
    if where is not None:
        a = _masked(asarray(a), where, 1)
    out = _prod(a, axis, dtype, keepdims)
    return out if initial is None else out * initial


def _logical(raw, name, fill):
    def f(a, axis=None, out=None, keepdims=False, *, where=None):
        _check_arraylike(name, a)
        if out is not None:
            _reject_out(out, name)
        if where is not None:
            a = _masked(U.convert(asarray(a), np.bool_), where, fill)
        return raw(a, axis, None, keepdims)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"Whether {name} entries along ``axis`` are true, as ``numpy.{name}``.\n\n"
                 f">>> import fgrad.numpy as fnp\n>>> bool(fnp.{name}(fnp.asarray([True, "
                 f"False])))\n{name == 'any'}")
    return f


all = _logical(_all, "all", True)
any = _logical(_any, "any", False)


def _nonempty(a, axes, name):
    for ax in axes:
        if a.shape[ax] == 0:
            raise ValueError(f"zero-size array to reduction operation {name} which has no identity")


def _extremum(raw, name, ufunc_name, combine):
    def f(a, axis=None, out=None, keepdims=False, initial=None, where=None):
        _check_arraylike(name, a)
        if out is not None:
            _reject_out(out, name)
        a = asarray(a)
        axes = normalize_axes(axis, a.ndim, name)
        if initial is None:
            if where is not None:
                raise ValueError(f"reduction operation '{ufunc_name}' does not have an "
                                 "identity, so to use a where mask one has to specify "
                                 "'initial'")
            _nonempty(a, axes, ufunc_name)
            return raw(a, axis, None, keepdims)
        a = _masked(a, where, initial)
        if builtins.any(a.shape[ax] == 0 for ax in axes):
            shape = tuple(1 if i in axes else d for i, d in enumerate(a.shape)) if keepdims \
                else tuple(d for i, d in enumerate(a.shape) if i not in axes)
            return S.broadcast_to(U.convert(asarray(initial), a.dtype), shape)
        return combine(raw(a, axis, None, keepdims), initial)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"{name.capitalize()}imum over ``axis``, as ``numpy.{name}`` (``initial``, and "
                 f"``where`` with an ``initial``); ties share the gradient equally (JAX's rule)."
                 f"\n\n>>> import fgrad.numpy as fnp\n>>> fnp.{name}(fnp.asarray([1.0, 3.0, "
                 f"2.0]))\nArray({'3.' if name == 'max' else '1.'})")
    return f


def _maximum(x, y):
    return bind(B.maximum_p, x, y)


def _minimum(x, y):
    return bind(B.minimum_p, x, y)


max = _extremum(_max, "max", "maximum", _maximum)
min = _extremum(_min, "min", "minimum", _minimum)
amax, amin = max, min


def _arg(prim, name):
    def f(a, axis=None, out=None, *, keepdims=False):
        _check_arraylike(name, a)
        if out is not None:
            _reject_out(out, name)
        a = asarray(a)
        if axis is None:
            flat = S.reshape(a, (_size(a),))
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
    def f(a, axis=None, dtype=None, out=None):
        _check_arraylike(name, a)
        if out is not None:
            _reject_out(out, name)
        a = asarray(a)
        if dtype is not None:
            a = U.convert(a, dtype)
        if axis is None:
            a = S.reshape(a, (_size(a),))
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


def _where_count(a, axes, where, keepdims, dtype):
    """The number of entries each reduction sees: a Python int, or per slice with ``where``."""
    if where is None:
        return _count(a, axes)
    mask = S.broadcast_to(U.convert(asarray(where), dtype), tuple(a.shape))
    return _sum(mask, axes, None, keepdims)


def mean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=None):
    """Arithmetic mean over ``axis`` (a composition: sum / count), as ``numpy.mean``
    (``where`` averages the masked-in entries only).

    >>> import fgrad.numpy as fnp
    >>> fnp.mean(fnp.asarray([1.0, 2.0, 6.0]))
    Array(3.)
    """
    _check_arraylike("mean", a)
    if out is not None:
        _reject_out(out, "mean")
    a = asarray(a)
    if dtype is None and a.dtype.kind in "biu":
        dtype = np.float64
    axes = normalize_axes(axis, a.ndim, "mean")
    s = sum(a, axis=axes, dtype=dtype, keepdims=keepdims, where=where)
    n = _where_count(a, axes, where, keepdims, s.dtype)
    if where is not None:
        return s / n
    return s / n if n else s * np.nan


def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=None,
        mean=None, correction=None):
    """Variance over ``axis`` with ``ddof`` (0 by default, as NumPy); ``where`` masks
    entries out, ``mean`` is a precomputed mean (kept dims), ``correction`` the array
    API's name for ``ddof``.

    >>> import fgrad.numpy as fnp
    >>> fnp.var(fnp.asarray([1.0, 3.0]))
    Array(1.)
    """
    _check_arraylike("var", a)
    if out is not None:
        _reject_out(out, "var")
    if correction is not None:
        ddof = correction
    a = asarray(a)
    if dtype is None and a.dtype.kind in "biu":
        dtype = np.float64
    if dtype is not None:
        a = U.convert(a, dtype)
    axes = normalize_axes(axis, a.ndim, "var")
    m = _mean(a, axis=axes, keepdims=True, where=where) if mean is None else asarray(mean)
    d = a - m
    sq = d * d if d.dtype.kind != "c" else (d * __import__("fgrad").numpy.conj(d)).real
    if where is None:
        n = _count(a, axes) - ddof
        return sum(sq, axis=axes, keepdims=keepdims) / (n if n > 0 else np.nan)
    n = _where_count(a, axes, where, keepdims, sq.dtype) - ddof
    return sum(sq, axis=axes, keepdims=keepdims, where=where) / n


_mean = mean


def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=None,
        mean=None, correction=None):
    """Standard deviation: ``sqrt(var(...))``, the same keywords.

    >>> import fgrad.numpy as fnp
    >>> fnp.std(fnp.asarray([1.0, 3.0]))
    Array(1.)
    """
    return U.sqrt(var(a, axis, dtype, out, ddof, keepdims, where=where, mean=mean,
                      correction=correction))


def count_nonzero(a, axis=None, *, keepdims=False):
    """The number of nonzero entries along ``axis``.

    >>> import fgrad.numpy as fnp
    >>> int(fnp.count_nonzero(fnp.asarray([0, 2, 3])))
    2
    """
    a = asarray(a)
    return sum(U.convert(a != 0, np.int64), axis=axis, keepdims=keepdims)


def ptp(a, axis=None, out=None, keepdims=False):
    """Range (max - min) along ``axis``.

    >>> import fgrad.numpy as fnp
    >>> fnp.ptp(fnp.asarray([1.0, 5.0, 2.0]))
    Array(4.)
    """
    if out is not None:
        _reject_out(out, "ptp")
    return max(a, axis, keepdims=keepdims) - min(a, axis, keepdims=keepdims)


def _isnan(a):
    return bind(U.isnan_p, a)


def _nan_masked(fn, fill, name):
    def f(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
        a = asarray(a)
        if a.dtype.kind in "fc":        # integers have no NaN to mask; keep their dtype
            a = _masked(a, bind(U.logical_not_p, _isnan(a)), fill)
        return fn(a, axis, dtype, out, keepdims, initial, where)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"``{name[3:]}`` treating NaNs as {fill} (the same keywords).\n\n"
                 f">>> import fgrad.numpy as fnp\n>>> fnp.{name}(fnp.asarray([2.0, fnp.nan, "
                 f"3.0]))\nArray({'5.' if fill == 0 else '6.'})")
    return f


nansum = _nan_masked(sum, 0.0, "nansum")
nanprod = _nan_masked(prod, 1.0, "nanprod")


def _nan_extremum(fn, fill, name):
    """nanmax/nanmin: NaN where every entry along the axes is NaN (as NumPy)."""
    def f(a, axis=None, out=None, keepdims=False, initial=None, where=None):
        a = asarray(a)
        if a.dtype.kind not in "fc":
            return fn(a, axis, out, keepdims, initial, where)
        nan = _isnan(a)
        res = fn(_masked(a, bind(U.logical_not_p, nan), fill), axis, out, keepdims, initial,
                 where)
        if initial is not None:
            return res
        allnan = all(nan if where is None else nan | ~asarray(where), axis=axis,
                     keepdims=keepdims)
        return bind(B.select_p, allnan, S.broadcast_to(U.convert(asarray(np.nan), res.dtype),
                                                       tuple(res.shape)), res)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"``{name[3:]}`` ignoring NaNs (NaN for an all-NaN slice).\n\n"
                 f">>> import fgrad.numpy as fnp\n>>> fnp.{name}(fnp.asarray([2.0, fnp.nan, "
                 f"3.0]))\nArray({'3.' if name == 'nanmax' else '2.'})")
    return f


nanmax = _nan_extremum(max, -np.inf, "nanmax")
nanmin = _nan_extremum(min, np.inf, "nanmin")


def nanmean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=None):
    """Mean ignoring NaNs (NaN for an all-NaN slice).

    >>> import fgrad.numpy as fnp
    >>> fnp.nanmean(fnp.asarray([1.0, fnp.nan, 3.0]))
    Array(2.)
    """
    if out is not None:
        _reject_out(out, "nanmean")
    a = asarray(a)
    if a.dtype.kind not in "fc":
        return mean(a, axis, dtype, None, keepdims, where=where)
    ok = bind(U.logical_not_p, _isnan(a))
    if where is not None:
        ok = ok & asarray(where)
    s = sum(_masked(a, ok, 0), axis=axis, dtype=dtype, keepdims=keepdims)
    return s / sum(U.convert(ok, s.dtype), axis=axis, keepdims=keepdims)
