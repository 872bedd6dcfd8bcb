"""Sequences with array endpoints: ``linspace logspace geomspace`` (differentiable in
``start``/``stop``/``base``), and ``vander``.

Concrete scalar endpoints go straight to the backend's ``linspace`` (NumPy's values
bit for bit); Arrays and traced values are combined as NumPy's own formula does
(``start + i * step``, the last sample set to ``stop`` when ``endpoint``), so
gradients reach the endpoints.
"""
from __future__ import annotations

import numpy as np

from .._array import Array
from ..devices import CPU, get as get_device
from ..primitives import shape as S, unary as U
from ..transforms.core import Tracer
from .._array import wrap_raw
from ._core import asarray, arange
from ._shape import concatenate, moveaxis
from ._elementwise import floor
from ._elementwise import log10, sign, abs as abs_
from ._core import zeros

__all__ = ["linspace", "logspace", "geomspace", "vander"]


def _is_array(v):
    return isinstance(v, (Array, Tracer)) or np.ndim(v) > 0


def linspace(start, stop, num: int = 50, endpoint: bool = True, retstep: bool = False,
             dtype=None, axis: int = 0, *, device=None):
    """``num`` evenly spaced samples from ``start`` to ``stop`` (arrays broadcast; the
    samples run along ``axis``). Differentiable in ``start`` and ``stop``.

    >>> import fgrad.numpy as fnp
    >>> fnp.linspace(0, 1, 3)
    Array([0. , 0.5, 1. ])
    """
    num = int(num)
    if num < 0:
        raise ValueError(f"linspace: Number of samples, {num}, must be non-negative.")
    if not (_is_array(start) or _is_array(stop)):
        dev = get_device(device)
        out, step = np.linspace(start, stop, num, endpoint=endpoint, retstep=True, dtype=dtype)
        arr = wrap_raw(dev.from_host(out) if dev is not CPU else out, dev)
        return (arr, step) if retstep else arr
    start, stop = asarray(start), asarray(stop)
    dt = np.result_type(start.dtype, stop.dtype, float)
    if dt.kind not in "fc":
        dt = np.dtype(np.float64)
    start, stop = U.convert(start, dt), U.convert(stop, dt)
    shape = np.broadcast_shapes(tuple(start.shape), tuple(stop.shape))
    start, stop = S.broadcast_to(start, shape), S.broadcast_to(stop, shape)
    div = (num - 1) if endpoint else num
    delta = stop - start
    i = S.reshape(U.convert(arange(num, device=start.device), dt), (num,) + (1,) * len(shape))
    if div > 0:
        step = delta / div
        out = i * step + start
    else:
        step = delta * np.nan
        out = i * delta + start
    if endpoint and num > 1:
        out = concatenate([S.slice_axis(out, 0, 0, num - 1), S.reshape(stop, (1,) + shape)], 0)
    if axis != 0:
        out = moveaxis(out, 0, axis)
    if dtype is not None:
        out = _cast(out, dtype)
    return (out, step) if retstep else out


def _cast(x, dtype):
    dtype = np.dtype(dtype)
    if dtype.kind in "iu" and x.dtype.kind == "f":
        x = floor(x)
    return U.convert(x, dtype)


def logspace(start, stop, num: int = 50, endpoint: bool = True, base=10.0, dtype=None,
             axis: int = 0) -> Array:
    """``base ** linspace(start, stop, ...)``.

    >>> import fgrad.numpy as fnp
    >>> fnp.logspace(0, 2, 3)
    Array([  1.,  10., 100.])
    """
    y = linspace(start, stop, num, endpoint=endpoint, axis=axis)
    if _is_array(base):
        base = asarray(base)
        base = S.reshape(base, tuple(base.shape[:axis % y.ndim] if y.ndim else ()) + (1,)
                         + tuple(base.shape[axis % y.ndim:])) if base.ndim else base
    out = asarray(base) ** y if _is_array(base) else base ** y
    return _cast(out, dtype) if dtype is not None else out


def geomspace(start, stop, num: int = 50, endpoint: bool = True, dtype=None,
              axis: int = 0) -> Array:
    """Samples evenly spaced on a log scale from ``start`` to ``stop`` (same sign, nonzero;
    the endpoints exact, as NumPy).

    >>> import fgrad.numpy as fnp
    >>> fnp.geomspace(1, 100, 3)
    Array([  1.,  10., 100.])
    """
    start, stop = asarray(start), asarray(stop)
    for v, name in ((start, "start"), (stop, "stop")):
        if not isinstance(v, Tracer) and np.any(v._host() == 0):
            raise ValueError("geomspace: Geometric sequence cannot include zero")
    if start.dtype.kind in "biu":
        start = U.convert(start, np.float64)
    if stop.dtype.kind in "biu":
        stop = U.convert(stop, np.float64)
    sgn = sign(start)
    ls, le = log10(abs_(start)), log10(abs_(stop))
    out = logspace(ls, le, num, endpoint=endpoint, base=10.0)
    shape = tuple(out.shape)
    sgn_b = S.broadcast_to(sgn, shape[1:]) if shape[1:] else sgn
    out = out * sgn_b
    # the endpoints exactly, as NumPy
    if num > 0:
        first = S.reshape(S.broadcast_to(start, shape[1:]), (1,) + shape[1:])
        parts = [first]
        if num > 1:
            if endpoint:
                parts += [S.slice_axis(out, 0, 1, num - 1),
                          S.reshape(S.broadcast_to(stop, shape[1:]), (1,) + shape[1:])]
            else:
                parts.append(S.slice_axis(out, 0, 1, num))
        out = concatenate(parts, 0)
    if axis != 0:
        out = moveaxis(out, 0, axis)
    return _cast(out, dtype) if dtype is not None else out


def vander(x, N: int | None = None, increasing: bool = False) -> Array:
    """The Vandermonde matrix of 1-d ``x``: columns ``x ** (N-1) ... x ** 0`` (reversed
    when ``increasing``); differentiable in ``x``.

    >>> import fgrad.numpy as fnp
    >>> fnp.vander(fnp.asarray([1, 2, 3]), 3)
    Array([[1, 1, 1],
           [4, 2, 1],
           [9, 3, 1]])
    """
    x = asarray(x)
    if x.ndim != 1:
        raise ValueError("vander: x must be a one-dimensional array or sequence.")
    n = x.shape[0] if N is None else int(N)
    if n < 0:
        raise ValueError("vander: N must be non-negative")
    powers = np.arange(n) if increasing else np.arange(n)[::-1]
    cols = [S.reshape(x ** int(p) if p else x * 0 + 1, (x.shape[0], 1)) for p in powers]
    if not cols:
        return zeros((x.shape[0], 0), x.dtype, x.device)
    return concatenate(cols, 1)
