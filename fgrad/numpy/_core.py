"""Array creation, conversion and dtypes for ``fgrad.numpy``."""
from __future__ import annotations

from typing import Any

import math

import numpy as np

from .. import errors
from .._array import Array, wrap_raw
from ..devices import CPU, get as get_device
from ..primitives import unary as U
from ..transforms.core import Tracer, SCALAR_TYPES
from ..transforms.wrappers import is_wrapped
from ..primitives import shape as _S, transfer as _transfer
from ..primitives.shape import broadcast_to, reshape

# dtypes, as NumPy's
bool_ = np.bool_
int8, int16, int32, int64 = np.int8, np.int16, np.int32, np.int64
uint8, uint16, uint32, uint64 = np.uint8, np.uint16, np.uint32, np.uint64
float16, float32, float64 = np.float16, np.float32, np.float64
complex64, complex128 = np.complex64, np.complex128
dtype = np.dtype
result_type = np.result_type
promote_types = np.promote_types
finfo, iinfo = np.finfo, np.iinfo
issubdtype = np.issubdtype
floating, integer, inexact, number, complexfloating = (
    np.floating, np.integer, np.inexact, np.number, np.complexfloating)
pi, e, inf, nan, newaxis = np.pi, np.e, np.inf, np.nan, None
ndarray = Array


def _size(x) -> int:
    """The element count of an array-like (``x.size`` is a method on a Tensor)."""
    return math.prod(x.shape)


def _host_copy(obj, dtype=None):
    """A fresh host NumPy array from lists, scalars or arrays (never aliasing the input)."""
    if isinstance(obj, (list, tuple)) and any(isinstance(o, (Array, Tracer)) for o in iter_leaves(obj)):
        return None
    host = np.array(obj, dtype=dtype, copy=True)
    if host.dtype.kind in errors.NON_NUMERIC_KINDS:
        raise errors.non_numeric(obj, host.dtype)
    return host


def iter_leaves(obj):
    """The non-list, non-tuple items of a nested list/tuple (``obj`` itself otherwise)."""
    if isinstance(obj, (list, tuple)):
        for o in obj:
            yield from iter_leaves(o)
    else:
        yield obj


def _check_arraylike(fun_name: str, *args) -> None:
    """JAX's rule: ``fgrad.numpy`` functions take arrays and scalars, not Python lists or
    tuples (``fnp.sum([1, 2])`` is a TypeError; ``fnp.asarray`` and ``fnp.array`` convert)."""
    for pos, a in enumerate(args):
        if type(a) is list or type(a) is tuple:
            raise TypeError(f"{fun_name} requires ndarray or scalar arguments, got {type(a)} "
                            f"at position {pos}.")


def asarray(a: Any, dtype=None, device=None, copy=None) -> Array:
    """``a`` as an Array (Arrays and traced values pass through; data is copied in).

    >>> asarray([1.0, 2.0])
    Array([1., 2.])
    """
    if isinstance(a, (Array, Tracer)) or is_wrapped(a):   # registered wrapper types too
        out = a if dtype is None else U.convert(a, np.dtype(dtype))
        if device is not None and isinstance(out, Array):
            out = _transfer.device_put(out, device)
        return out
    host = _host_copy(a, dtype)
    if host is None:   # a (nested) list holding Arrays or tracers: stack them
        arrs = [asarray(o) for o in a]
        _check_stackable(arrs)
        out = _S.concatenate([_S.expand_dims(x, (0,)) for x in arrs], 0)
        return out if dtype is None else U.convert(out, dtype)
    dev = get_device(device)
    return wrap_raw(dev.from_host(host) if dev is not CPU else host, dev)


def _check_stackable(arrs) -> None:
    """Arrays that ``stack`` can join: one shape (a list of arrays as ``asarray`` takes)."""
    shape = arrs[0].shape
    for a in arrs:
        if a.shape != shape:
            raise ValueError(f"stack: all input arrays must have the same shape, got "
                             f"{[x.shape for x in arrs]}")


def device_put(x, device=None) -> Array:
    """``x`` (an array, or host data: lists, scalars, NumPy arrays) on ``device`` (a Device,
    'cpu', 'cuda', 'cuda:N'); a no-op if already there.

    >>> import fgrad, fgrad.numpy as fnp
    >>> fgrad.device_put(fnp.ones(2), 'cpu').device
    device(type='cpu')
    """
    dev = get_device(device)
    return _transfer.device_put(asarray(x), dev)


def array(a: Any, dtype=None, copy: bool = True, device=None, ndmin: int = 0) -> Array:
    """Like ``asarray`` (an Array is immutable, so ``copy`` never matters)."""
    out = asarray(a, dtype=dtype, device=device)
    if ndmin > out.ndim:
        out = reshape(out, (1,) * (ndmin - out.ndim) + tuple(out.shape))
    return out


def astype(x, dtype) -> Array:
    """``x`` converted to ``dtype``."""
    return U.convert(asarray(x), dtype)


def _creator(fill):
    def create(shape, dtype=None, device=None):
        dev = get_device(device)
        shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
        return wrap_raw(fill(dev.xp, shape, np.dtype(dtype or np.float64)), dev)
    return create


zeros = _creator(lambda xp, s, d: xp.zeros(s, d))
zeros.__doc__ = "An Array of zeros (float64 by default).\n\n>>> zeros(2)\nArray([0., 0.])"
ones = _creator(lambda xp, s, d: xp.ones(s, d))
ones.__doc__ = "An Array of ones (float64 by default).\n\n>>> ones(2)\nArray([1., 1.])"
empty = zeros   # immutable arrays: uninitialised memory would be useless


def full(shape, fill_value, dtype=None, device=None) -> Array:
    """An Array of ``shape`` filled with ``fill_value``.

    >>> full(2, 7)
    Array([7, 7])
    """
    dev = get_device(device)
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    if isinstance(fill_value, (Array, Tracer)):
        v = fill_value if dtype is None else U.convert(fill_value, dtype)
        return broadcast_to(v, shape)
    return wrap_raw(dev.xp.full(shape, fill_value, dtype=dtype), dev)


def _like(fn):
    def like(a, dtype=None, shape=None, device=None):
        a = asarray(a)
        return fn(a.shape if shape is None else shape, dtype or a.dtype,
                  device=device or a.device)
    return like


zeros_like = _like(zeros)
ones_like = _like(ones)
empty_like = _like(zeros)


def full_like(a, fill_value, dtype=None, shape=None, device=None) -> Array:
    a = asarray(a)
    return full(a.shape if shape is None else shape, fill_value, dtype or a.dtype,
                device=device or a.device)


def arange(start, stop=None, step=1, dtype=None, device=None) -> Array:
    """Evenly spaced values in [start, stop).

    >>> arange(3)
    Array([0, 1, 2])
    """
    dev = get_device(device)
    if stop is None:
        start, stop = 0, start
    return wrap_raw(dev.xp.arange(start, stop, step, dtype=dtype), dev)


def linspace(start, stop, num=50, endpoint=True, dtype=None, device=None) -> Array:
    """``num`` evenly spaced values from ``start`` to ``stop``.

    >>> linspace(0, 1, 3)
    Array([0. , 0.5, 1. ])
    """
    dev = get_device(device)
    return wrap_raw(dev.xp.linspace(start, stop, num, endpoint=endpoint, dtype=dtype), dev)


def eye(N, M=None, k=0, dtype=None, device=None) -> Array:
    """A 2-d Array with ones on the ``k``-th diagonal.

    >>> eye(2)
    Array([[1., 0.],
           [0., 1.]])
    """
    dev = get_device(device)
    return wrap_raw(dev.xp.eye(N, M, k, dtype=dtype or np.float64), dev)


def identity(n, dtype=None, device=None) -> Array:
    return eye(n, dtype=dtype, device=device)


def shape(a):
    return asarray(a).shape


def ndim(a):
    return asarray(a).ndim


def size(a, axis=None):
    a = asarray(a)
    return _size(a) if axis is None else a.shape[axis]
