"""Order statistics and NaN-aware reductions for ``fgrad.numpy``.

``quantile`` follows NumPy's ``method=`` table (Hyndman & Fan's nine methods plus
``lower higher midpoint nearest``). With a concrete ``q`` the needed order statistics
come from one ``partition`` (linear time, the ``order_statistic`` primitive); with a
traced ``q`` (or for the ``nan*`` versions, whose sample size varies by slice) from a
full sort and a gather. Either way the gradient goes through the sorting permutation
to the entries at those places (JAX's rule: ties go where a stable sort puts them);
the linear methods are differentiable in ``q`` too. ``median`` is
``quantile(a, 0.5, method='midpoint')`` (JAX's definition; NumPy's value).
"""
from __future__ import annotations

import builtins

import numpy as np

from .. import errors
from .._array import Array
from ..primitives import reductions as R, shape as S, sorting as P, unary as U
from ..transforms.core import Tracer
from ._core import _size, asarray, full
from ._shape import concatenate
from . import _elementwise as _E      # the namespace the index helpers use on traced values
from ._elementwise import where, isnan, floor, ceil, clip, logical_not  # noqa: F401
from ._indexing import take, take_along_axis, from_host
from ._reductions import (normalize_axes, sum as _sum, max as _max, min as _min, mean,
                          argmax, argmin, cumsum, cumprod, all as _all)
from ._sorting import reject_out
from ._contraction import matmul
from ._setops import bincount, histogram_bin_edges
from ._indexing import searchsorted
from ._stacking import diff

__all__ = ["quantile", "percentile", "median", "nanquantile", "nanpercentile", "nanmedian",
           "nanvar", "nanstd", "nanargmax", "nanargmin", "nancumsum", "nancumprod", "average",
           "cov", "corrcoef", "histogram2d"]

# alpha, beta of the continuous methods: virtual index n q + alpha + q (1 - alpha - beta) - 1
_CONTINUOUS = {"linear": (1.0, 1.0), "weibull": (0.0, 0.0), "hazen": (0.5, 0.5),
               "median_unbiased": (1 / 3, 1 / 3), "normal_unbiased": (3 / 8, 3 / 8),
               "interpolated_inverted_cdf": (0.0, 1.0)}
_DISCRETE = ("lower", "higher", "nearest", "inverted_cdf", "closest_observation")
_METHODS = tuple(_CONTINUOUS) + _DISCRETE + ("midpoint", "averaged_inverted_cdf")


def _virtual_index(n, q, method, xp):
    """NumPy's virtual index of quantile ``q`` in a sorted sample of size ``n`` (``xp`` is
    numpy for concrete values, ``fgrad.numpy`` for traced ones)."""
    if method == "linear":
        return (n - 1) * q
    if method in _CONTINUOUS:
        alpha, beta = _CONTINUOUS[method]
        return n * q + (alpha + q * (1 - alpha - beta)) - 1
    if method in ("lower", "midpoint"):
        lo = xp.floor((n - 1) * q)
        return lo if method == "lower" else 0.5 * (lo + xp.ceil((n - 1) * q))
    if method == "higher":
        return xp.ceil((n - 1) * q)
    if method == "nearest":
        return xp.round((n - 1) * q)           # half to even, as NumPy's around
    if method == "averaged_inverted_cdf":
        return n * q - 1
    # inverted_cdf, closest_observation: boundaries of a step function
    idx = n * q - 1 if method == "inverted_cdf" else n * q - 1.5
    prev = xp.floor(idx)
    at_step = (idx - prev) == 0
    if method == "closest_observation":
        at_step = at_step & (prev % 2 == 1)
    return xp.maximum(xp.where(at_step, prev, prev + 1), 0)


def _neighbours(v, n, method, xp):
    """(previous index, next index, weight of next) for virtual index ``v`` (NumPy's
    ``_get_indexes`` and ``_get_gamma``)."""
    f = xp.floor(v)
    if method == "midpoint":
        gamma = xp.where(v % 1 == 0, 0.0, 0.5)
    elif method == "averaged_inverted_cdf":
        gamma = xp.where(v - f == 0, 0.5, 1.0)
    elif method in _DISCRETE:
        gamma = v * 0.0
    else:
        gamma = v - f
    # below 0 both neighbours are the first entry, from n - 1 on both are the last
    prev = xp.minimum(xp.maximum(f, 0), n - 1)
    nxt = xp.minimum(xp.maximum(f + 1, 0), n - 1)
    return prev, nxt, gamma


def _lerp(a, b, g):
    """NumPy's ``_lerp``: ``a + (b - a) g``, and ``b - (b - a)(1 - g)`` where g >= 0.5."""
    d = b - a
    return where(g >= 0.5, b - d * (1 - g), a + d * g)


def _to_last(a, axis, keepdims, name):
    """``a`` with the reduced axes merged into one last axis, and the kept-dims shape."""
    if axis is None and a.ndim == 1 and not keepdims:
        return a, ()
    axes = normalize_axes(axis, a.ndim, name)
    kept = tuple(1 if i in axes else d for i, d in enumerate(a.shape))
    rest = tuple(i for i in range(a.ndim) if i not in axes)
    if rest + axes != tuple(range(a.ndim)):
        a = S.transpose(a, rest + axes)
    n = int(np.prod([a.shape[i] for i in range(len(rest), a.ndim)], dtype=np.int64))
    a = S.reshape(a, tuple(a.shape[:len(rest)]) + (n,))
    return a, (kept if keepdims else tuple(a.shape[:-1]))


def _host_or_none(x):
    """The host value of ``x`` when it is concrete (eager, or under grad), else None."""
    if isinstance(x, Tracer):
        try:
            x = x.concrete_value("quantile")
        except errors.ConcretizationTypeError:
            return None
        if isinstance(x, Tracer):
            return _host_or_none(x)
    return x._host()


def _result_dtype(dtype, method):
    if method in _DISCRETE:
        return dtype
    return dtype if dtype.kind in "fc" else np.dtype(np.float64)


def _quantile(a, q, axis, method, keepdims, ignore_nan, name):
    if method not in _METHODS:
        raise ValueError(f"{name}: {method!r} is not a valid method. Use one of: {_METHODS}")
    a = asarray(a)
    dtype = _result_dtype(a.dtype, method)
    if method not in _DISCRETE and not isinstance(q, (int, float)):
        # a q array takes part in the promotion (NumPy 2: Python scalars are weak)
        qdt = q.dtype if isinstance(q, (Array, Tracer)) else np.asarray(q).dtype
        dtype = np.result_type(dtype, qdt if qdt.kind == "f" else np.float64)
    if a.dtype.kind == "c":
        raise TypeError(f"{name}: a must be an array of real numbers, got {a.dtype}")
    if a.dtype.kind == "b":
        a = U.convert(a, np.int64)
    if a.dtype != dtype:
        a = U.convert(a, dtype)
    x, out_shape = _to_last(a, axis, keepdims, name)
    n = x.shape[-1]
    q_traced = isinstance(q, Tracer) or (isinstance(q, (list, tuple)) and any(
        isinstance(e, Tracer) for e in np.ravel(np.asarray(q, dtype=object))))
    if not q_traced:
        qh = np.asarray(q._host() if isinstance(q, Array) else q, dtype=np.float64)
        if qh.ndim > 2:
            raise ValueError(f"{name}: q must be a scalar or 1d")
        if not np.all((qh >= 0) & (qh <= 1)):
            raise ValueError(f"{name}: Quantiles must be in the range [0, 1]")
        if n == 0:
            return full(qh.shape + out_shape, np.nan, dtype, a.device)
        if ignore_nan and x.ndim == 1 and x.dtype.kind == "f":
            # concrete values: drop the NaNs (a gather, so gradients still flow)
            h = _host_or_none(x)
            if h is not None:
                keep = np.flatnonzero(~np.isnan(h))
                if keep.size == 0:
                    return full(qh.shape + out_shape, np.nan, dtype, a.device)
                if keep.size < n:
                    x = take(x, from_host(keep.astype(np.int64), x.device))
                    n = keep.size
                ignore_nan = False
        if not ignore_nan:
            return _quantile_partition(x, qh, n, method, out_shape)
        q = from_host(qh, a.device)
    return _quantile_sorted(x, asarray(q), n, method, out_shape, dtype, ignore_nan)


def _quantile_partition(x, qh, n, method, out_shape):
    """Concrete ``q``: the interpolated order statistics from one partition (the
    ``order_statistic`` primitive, NaN where a slice holds one)."""
    v = _virtual_index(n, qh, method, np)
    prev, nxt, gamma = _neighbours(v, n, method, np)
    if np.shape(gamma) != prev.shape:
        gamma = np.broadcast_to(gamma, prev.shape)
    res = P.order_statistic(x, prev.ravel(), x.ndim - 1, nxt.ravel(), gamma.ravel())
    if qh.ndim:                                   # (..., q.size) -> q.shape + (...)
        res = S.moveaxis(res, -1, 0)
    return S.reshape(res, qh.shape + out_shape)


def _quantile_sorted(x, q, n, method, out_shape, dtype, ignore_nan):
    """Traced ``q`` or NaN-ignoring: a full sort, then a gather at computed places (the
    sample size is the count of non-NaN entries per slice when ``ignore_nan``)."""
    srt = P.sort(x, x.ndim - 1)
    batch = tuple(x.shape[:-1])
    qshape = tuple(q.shape)
    qf = S.reshape(U.convert(q, np.result_type(q.dtype, np.float64)
                             if q.dtype.kind != "f" else q.dtype), qshape + (1,) * len(batch))
    if ignore_nan and x.dtype.kind == "f":
        count = _sum(U.convert(logical_not(isnan(x)), np.int64), axis=-1)   # batch
    else:
        count = full(batch, n, np.int64, x.device)
    v = _virtual_index(count, qf, method, _E)                  # qshape + batch
    prev, nxt, gamma = _neighbours(v, count, method, _E)

    def pick(ind):
        ind = clip(U.convert(ind, np.int64), 0, builtins.max(n - 1, 0))
        m = int(np.prod(qshape, dtype=np.int64))
        ind = S.reshape(S.broadcast_to(ind, qshape + batch), (m,) + batch)
        ind = S.moveaxis(ind, 0, -1) if batch else ind
        out = take_along_axis(srt, ind, axis=-1)                # batch + (m,)
        out = S.moveaxis(out, -1, 0) if batch else out
        return S.reshape(out, qshape + batch)

    lo, hi = pick(prev), pick(nxt)
    res = _lerp(lo, hi, U.convert(gamma, dtype) if gamma.dtype != dtype else gamma)
    if x.dtype.kind == "f":
        bad = count == 0 if ignore_nan else isnan(S.slice_axis(srt, srt.ndim - 1, n - 1, n)
                                                   if n else srt)
        if not ignore_nan:
            bad = S.reshape(bad, batch)
        res = where(bad, np.nan, res)
    return S.reshape(res, qshape + out_shape)


def quantile(a, q, axis=None, out=None, overwrite_input: bool = False, method: str = "linear",
             keepdims: bool = False, *, weights=None, interpolation=None) -> Array:
    """The ``q``-th quantile(s) of ``a`` along ``axis`` (q in [0, 1]), NumPy's ``method``s.
    NaN where a slice holds a NaN. Differentiable in ``a`` (through the sort) and, for the
    interpolating methods, in ``q``.

    >>> import fgrad.numpy as fnp
    >>> fnp.quantile(fnp.asarray([1.0, 2.0, 3.0, 4.0]), 0.25)
    Array(1.75)
    """
    reject_out(out, "quantile")
    if weights is not None:
        raise NotImplementedError("quantile: weights= is not supported")
    return _quantile(a, q, axis, interpolation or method, keepdims, False, "quantile")


def percentile(a, q, axis=None, out=None, overwrite_input: bool = False,
               method: str = "linear", keepdims: bool = False, *, weights=None,
               interpolation=None) -> Array:
    """``quantile(a, q / 100, ...)``.

    >>> import fgrad.numpy as fnp
    >>> fnp.percentile(fnp.asarray([1.0, 2.0, 3.0]), 50)
    Array(2.)
    """
    reject_out(out, "percentile")
    if weights is not None:
        raise NotImplementedError("percentile: weights= is not supported")
    return _quantile(a, _div100(q), axis, interpolation or method, keepdims, False, "percentile")


def _div100(q):
    return q / 100 if isinstance(q, (Array, Tracer)) else np.asarray(q, np.float64) / 100


def median(a, axis=None, out=None, overwrite_input: bool = False,
           keepdims: bool = False) -> Array:
    """The median along ``axis``: ``quantile(a, 0.5, method='midpoint')`` (the mean of the
    two middle values for an even count); the gradient goes to those values.

    >>> import fgrad.numpy as fnp
    >>> fnp.median(fnp.asarray([3.0, 1.0, 4.0, 2.0]))
    Array(2.5)
    """
    reject_out(out, "median")
    return _quantile(a, 0.5, axis, "midpoint", keepdims, False, "median")


def nanquantile(a, q, axis=None, out=None, overwrite_input: bool = False,
                method: str = "linear", keepdims: bool = False, *, weights=None,
                interpolation=None) -> Array:
    """``quantile`` ignoring NaNs (NaN for an all-NaN slice).

    >>> import fgrad.numpy as fnp
    >>> fnp.nanquantile(fnp.asarray([1.0, fnp.nan, 3.0]), 0.5)
    Array(2.)
    """
    reject_out(out, "nanquantile")
    if weights is not None:
        raise NotImplementedError("nanquantile: weights= is not supported")
    return _quantile(a, q, axis, interpolation or method, keepdims, True, "nanquantile")


def nanpercentile(a, q, axis=None, out=None, overwrite_input: bool = False,
                  method: str = "linear", keepdims: bool = False, *, weights=None,
                  interpolation=None) -> Array:
    """``percentile`` ignoring NaNs."""
    reject_out(out, "nanpercentile")
    return _quantile(a, _div100(q), axis, interpolation or method, keepdims, True,
                     "nanpercentile")


def nanmedian(a, axis=None, out=None, overwrite_input: bool = False,
              keepdims: bool = False) -> Array:
    """``median`` ignoring NaNs (NaN for an all-NaN slice).

    >>> import fgrad.numpy as fnp
    >>> fnp.nanmedian(fnp.asarray([1.0, fnp.nan, 3.0, 4.0]))
    Array(3.)
    """
    reject_out(out, "nanmedian")
    return _quantile(a, 0.5, axis, "midpoint", keepdims, True, "nanmedian")


# ---------------------------------------------------------------- NaN-aware reductions
def _nan_mask(a):
    return isnan(a) if a.dtype.kind in "fc" else None


def nanvar(a, axis=None, dtype=None, out=None, ddof=0, keepdims: bool = False, *,
           where=None, mean=None, correction=None) -> Array:
    """Variance ignoring NaNs, with ``ddof`` (NaN where fewer than ``ddof + 1`` values).

    >>> import fgrad.numpy as fnp
    >>> fnp.nanvar(fnp.asarray([1.0, fnp.nan, 3.0]))
    Array(1.)
    """
    reject_out(out, "nanvar")
    if correction is not None:
        ddof = correction
    a = asarray(a)
    if dtype is not None:
        a = U.convert(a, dtype)
    elif a.dtype.kind in "biu":
        a = U.convert(a, np.float64)
    ok = logical_not(isnan(a))
    if where is not None:
        ok = ok & asarray(where)
    cnt = _sum(U.convert(ok, np.int64), axis=axis, keepdims=True)
    m = _sum(where_(ok, a, 0), axis=axis, keepdims=True) / U.convert(cnt, a.dtype)
    d = where_(ok, a - m, 0)
    sq = d * d if d.dtype.kind != "c" else (d * d.conj()).real
    cnt = _sum(U.convert(ok, np.int64), axis=axis, keepdims=keepdims)
    dof = U.convert(cnt, sq.dtype) - ddof
    return where_(dof > 0, _sum(sq, axis=axis, keepdims=keepdims) / where_(dof > 0, dof, 1),
                  np.nan)


def where_(c, x, y):
    return where(c, x, y)


def nanstd(a, axis=None, dtype=None, out=None, ddof=0, keepdims: bool = False, *,
           where=None, mean=None, correction=None) -> Array:
    """``sqrt(nanvar(...))``."""
    return U.sqrt(nanvar(a, axis, dtype, out, ddof, keepdims, where=where,
                         correction=correction))


def _nan_arg(fn, fill, name):
    def f(a, axis=None, out=None, *, keepdims: bool = False) -> Array:
        reject_out(out, name)
        a = asarray(a)
        m = _nan_mask(a)
        if m is None:
            return fn(a, axis=axis, keepdims=keepdims)
        allnan = _all(m, axis=axis, keepdims=keepdims)
        if not isinstance(allnan, Tracer) and bool(np.any(allnan._host())):
            raise ValueError("All-NaN slice encountered")
        return fn(where(m, fill, a), axis=axis, keepdims=keepdims)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"``{name[3:]}`` ignoring NaNs (an all-NaN slice raises ValueError when "
                 f"concrete).\n\n>>> import fgrad.numpy as fnp\n>>> int(fnp.{name}("
                 f"fnp.asarray([fnp.nan, 2.0, 1.0])))\n{1 if name == 'nanargmax' else 2}")
    return f


nanargmax = _nan_arg(argmax, -np.inf, "nanargmax")
nanargmin = _nan_arg(argmin, np.inf, "nanargmin")


def _nan_scan(fn, fill, name):
    def f(a, axis=None, dtype=None, out=None) -> Array:
        reject_out(out, name)
        a = asarray(a)
        m = _nan_mask(a)
        return fn(a if m is None else where(m, fill, a), axis=axis, dtype=dtype)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"``{name[3:]}`` treating NaNs as {fill}.\n\n>>> import fgrad.numpy as fnp\n"
                 f">>> fnp.{name}(fnp.asarray([2.0, fnp.nan, 3.0]))\n"
                 f"{'Array([2., 2., 5.])' if fill == 0 else 'Array([2., 2., 6.])'}")
    return f


nancumsum = _nan_scan(cumsum, 0, "nancumsum")
nancumprod = _nan_scan(cumprod, 1, "nancumprod")


# ------------------------------------------------------------- weighted moments
def average(a, axis=None, weights=None, returned: bool = False, *, keepdims: bool = False):
    """The weighted mean along ``axis``; 1-d ``weights`` may run along the one ``axis``;
    ``returned`` also gives the sum of the weights (broadcast like the result).

    >>> import fgrad.numpy as fnp
    >>> fnp.average(fnp.asarray([[1.0, 2.0], [3.0, 4.0]]), axis=1, weights=[1.0, 3.0])
    Array([1.75, 3.75])
    """
    a = asarray(a)
    if a.dtype.kind in "biu":
        a = U.convert(a, np.float64)
    if weights is None:
        avg = mean(a, axis=axis, keepdims=keepdims)
        if not returned:
            return avg
        cnt = _size(a) / builtins.max(_size(avg), 1) if _size(a) else 0.0
        return avg, full(tuple(avg.shape), cnt, avg.dtype, avg.device)
    w = asarray(weights)
    if w.shape != a.shape:
        if axis is None:
            raise TypeError("average: Axis must be specified when shapes of a and weights "
                            "differ.")
        axes = normalize_axes(axis, a.ndim, "average")
        if w.shape != tuple(a.shape[i] for i in axes):
            raise ValueError("average: Shape of weights must be consistent with shape of a "
                             "along specified axis.")
        shape = [1] * a.ndim
        for i, ax in enumerate(axes):
            shape[ax] = w.shape[i]
        w = S.reshape(w, tuple(shape))
    dt = np.result_type(a.dtype, w.dtype)
    if dt.kind in "biu":
        dt = np.dtype(np.float64)
    a, w = U.convert(a, dt), U.convert(w, dt)
    scl = _sum(S.broadcast_to(w, tuple(a.shape)), axis=axis, keepdims=keepdims)
    if not isinstance(scl, Tracer) and np.any(scl._host() == 0.0):
        raise ZeroDivisionError("average: Weights sum to zero, can't be normalized")
    avg = _sum(a * w, axis=axis, keepdims=keepdims) / scl
    return (avg, S.broadcast_to(scl, tuple(avg.shape))) if returned else avg


def cov(m, y=None, rowvar: bool = True, bias: bool = False, ddof=None, fweights=None,
        aweights=None, *, dtype=None) -> Array:
    """The covariance matrix of the variables in the rows of ``m`` (columns if not
    ``rowvar``), and of ``y``'s, with frequency/analytic weights, as NumPy's.

    >>> import fgrad.numpy as fnp
    >>> fnp.cov(fnp.asarray([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]]))
    Array([[ 1., -1.],
           [-1.,  1.]])
    """
    X = _2d(m, dtype)
    if not rowvar and X.shape[0] != 1:
        X = X.T
    if y is not None:
        Y = _2d(y, dtype)
        if not rowvar and Y.shape[0] != 1:
            Y = Y.T
        X = concatenate([X, U.convert(Y, X.dtype)], 0)
    if ddof is None:
        ddof = 0 if bias else 1
    w = None
    if fweights is not None:
        fw = asarray(fweights)
        if fw.ndim > 1:
            raise RuntimeError("cov: cannot handle multidimensional fweights")
        if fw.shape[0] != X.shape[1]:
            raise RuntimeError("cov: incompatible numbers of samples and fweights")
        w = U.convert(fw, X.dtype)
    if aweights is not None:
        aw = asarray(aweights)
        if aw.ndim > 1:
            raise RuntimeError("cov: cannot handle multidimensional aweights")
        if aw.shape[0] != X.shape[1]:
            raise RuntimeError("cov: incompatible numbers of samples and aweights")
        aw = U.convert(aw, X.dtype)
        w = aw if w is None else w * aw
    if w is None:
        avg = mean(X, axis=1, keepdims=True)
        fact = X.shape[1] - ddof
    else:
        wsum = _sum(w)
        avg = S.reshape(_sum(X * w, axis=1) / wsum, (X.shape[0], 1))
        if ddof == 0:
            fact = wsum
        elif aweights is None:
            fact = wsum - ddof
        else:
            fact = wsum - ddof * _sum(w * aw) / wsum
    Xc = X - avg
    XT = (Xc * w).T if w is not None else Xc.T
    c = matmul(Xc, XT.conj() if XT.dtype.kind == "c" else XT)
    c = c / fact if not isinstance(fact, int) or fact > 0 else c * np.nan
    return S.reshape(c, tuple(d for d in c.shape if d != 1)) if 1 in c.shape else c


def _2d(m, dtype):
    X = asarray(m)
    if X.ndim > 2:
        raise ValueError("cov: m has more than 2 dimensions")
    dt = np.dtype(dtype) if dtype is not None else np.result_type(X.dtype, np.float64)
    X = U.convert(X, dt) if X.dtype != dt else X
    return S.reshape(X, (1,) * (2 - X.ndim) + tuple(X.shape)) if X.ndim < 2 else X


def corrcoef(x, y=None, rowvar: bool = True, *, dtype=None) -> Array:
    """Pearson correlation coefficients: ``cov`` normalised by the standard deviations,
    clipped to [-1, 1].

    >>> import fgrad.numpy as fnp
    >>> fnp.corrcoef(fnp.asarray([0.0, 1.0, 2.0]), fnp.asarray([2.0, 1.0, 0.0]))
    Array([[ 1., -1.],
           [-1.,  1.]])
    """
    c = cov(x, y, rowvar, dtype=dtype)
    if c.ndim == 0:
        return c / c
    d = S.reshape(c, (-1,))[::c.shape[0] + 1]
    sd = U.sqrt(d.real if d.dtype.kind == "c" else d)
    c = c / S.reshape(sd, (-1, 1)) / S.reshape(sd, (1, -1))
    if c.dtype.kind == "c":
        return clip(c.real, -1, 1) + 1j * clip(c.imag, -1, 1)
    return clip(c, -1, 1)


def _bin_index(a, edges):
    """The bin of each entry of 1-d ``a`` in ``edges`` (the last bin closed on the right),
    ``len(edges) - 1`` for entries outside the edges or NaN (NumPy's ``histogramdd``)."""
    nb = edges.shape[0] - 1
    idx = searchsorted(edges, a, side="right") - 1
    idx = where(a == S.reshape(S.slice_axis(edges, 0, nb, nb + 1), ()), nb - 1, idx)
    out = (idx < 0) | (idx >= nb)
    if a.dtype.kind in "fc":
        out = out | isnan(a)
    return where(out, nb, idx)


def histogram2d(x, y, bins=10, range=None, density=None, weights=None):
    """``(H, xedges, yedges)``: the float64 counts (or summed ``weights``) of the points
    ``(x[i], y[i])`` in a grid of bins, as ``numpy.histogram2d``. ``bins``: an int, two ints,
    one edge array for both, or two edge arrays (or an int and an array); ``range``:
    ``[[xmin, xmax], [ymin, ymax]]``; the last bin of each axis is closed on the right,
    points outside dropped; ``density`` divides by the total and the bin areas.
    Differentiable in ``weights``.

    >>> import fgrad.numpy as fnp
    >>> h, xe, ye = fnp.histogram2d(fnp.asarray([0.0, 1.0, 1.0]), fnp.asarray([0.0, 0.0, 1.0]),
    ...                             bins=2)
    >>> h
    Array([[1., 0.],
           [1., 1.]])
    """
    x, y = asarray(x), asarray(y)
    if x.ndim != 1 or y.ndim != 1 or x.shape[0] != y.shape[0]:
        raise ValueError(f"histogram2d: x and y must be 1-d of one length, got shapes "
                         f"{tuple(x.shape)} and {tuple(y.shape)}")
    try:
        nbins = len(bins)
    except TypeError:
        nbins = 1
    if isinstance(bins, (Array, Tracer)) and bins.ndim == 0:
        nbins = 1
    if nbins not in (1, 2):                        # one edge array for both axes
        bins = [bins, bins]
    elif nbins == 1:
        bins = [bins, bins] if not isinstance(bins, (list, tuple)) else [bins[0], bins[0]]
    if range is None:
        range = (None, None)
    elif len(range) != 2:
        raise ValueError("histogram2d: range must hold one (min, max) pair per dimension")
    w = None
    if weights is not None:
        w = asarray(weights)
        if tuple(w.shape) != tuple(x.shape):
            raise ValueError(f"histogram2d: weights shape {tuple(w.shape)} does not match "
                             f"the {x.shape[0]} points")
    edges = []
    for a, b, r in zip((x, y), bins, range):
        if isinstance(b, (int, np.integer)) and int(b) < 1:
            raise ValueError(f"histogram2d: `bins[{len(edges)}]` must be positive, when an "
                             "integer")
        edges.append(histogram_bin_edges(a, b, r))
    nx, ny = edges[0].shape[0] - 1, edges[1].shape[0] - 1
    ix, iy = _bin_index(x, edges[0]), _bin_index(y, edges[1])
    flat = where((ix < nx) & (iy < ny), ix * ny + iy, nx * ny)
    hist = bincount(flat, w, length=nx * ny + 1)
    hist = S.reshape(S.slice_axis(hist, 0, 0, nx * ny), (nx, ny))
    if hist.dtype.kind != "c" and hist.dtype != np.float64:
        hist = U.convert(hist, np.float64)
    if density:
        area = S.reshape(diff(edges[0]), (nx, 1)) * S.reshape(diff(edges[1]), (1, ny))
        hist = hist / area / _sum(hist)
    return hist, edges[0], edges[1]
