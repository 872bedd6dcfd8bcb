"""NumPy's index tricks: ``r_ c_ s_ index_exp mgrid ogrid`` and the flat/multi-index
conversions ``unravel_index ravel_multi_index``.

``r_``/``c_`` concatenate Arrays, scalars and slice ranges (``start:stop:step``, or
``start:stop:Nj`` for N samples) along an axis, with NumPy's directive strings
(``'axis'``, ``'axis,ndmin'``, ``'axis,ndmin,trans1d'``); their array pieces keep
their gradients. ``s_``/``index_exp`` are NumPy's own (they build plain index tuples).
"""
from __future__ import annotations

import operator

import numpy as np

from .. import errors
from .._array import Array
from ..primitives import shape as S, unary as U
from ..transforms.core import Tracer
from ._core import asarray, arange
from ._creation_more import linspace
from ._elementwise import where, clip
from ._indexing import from_host, _concrete_host
from ._shape import concatenate, stack, transpose

__all__ = ["r_", "c_", "s_", "index_exp", "mgrid", "ogrid", "unravel_index",
           "ravel_multi_index"]

s_ = np.s_
index_exp = np.index_exp


def _range(sl):
    start = 0 if sl.start is None else sl.start
    step = 1 if sl.step is None else sl.step
    if isinstance(step, complex):
        return linspace(start, sl.stop, int(abs(step)))
    return arange(start, sl.stop, step)


class _AxisConcatenator:
    """``r_`` (axis 0, at least 1-d) and ``c_`` (last axis, at least 2-d, 1-d pieces as
    columns), as NumPy's ``AxisConcatenator``."""

    def __init__(self, axis: int, ndmin: int, trans1d: int, name: str):
        self.axis, self.ndmin, self.trans1d, self.name = axis, ndmin, trans1d, name

    def __getitem__(self, key):
        key = key if isinstance(key, tuple) else (key,)
        axis, ndmin, trans1d = self.axis, self.ndmin, self.trans1d
        objs, kinds, scalars = [], [], []
        for k, item in enumerate(key):
            if isinstance(item, str):
                if k != 0:
                    raise ValueError(f"{self.name}: a directive string must come first")
                if item in ("r", "c"):
                    raise NotImplementedError(f"{self.name}: matrix directives 'r'/'c' are "
                                              "not supported (fgrad has no matrix class)")
                try:
                    vals = [int(v) for v in item.split(",")]
                except ValueError:
                    raise ValueError(f"{self.name}: unknown special directive {item!r}") \
                        from None
                axis = vals[0]
                if len(vals) > 1:
                    ndmin = vals[1]
                if len(vals) > 2:
                    trans1d = vals[2]
                continue
            if isinstance(item, slice):
                new = _range(item)
                new = self._promote(new, 1, ndmin, trans1d)
            elif isinstance(item, (int, float, complex, bool, np.generic)) and not isinstance(
                    item, (Array, Tracer)):
                scalars.append(len(objs))
                objs.append(item)
                kinds.append(np.result_type(item))
                continue
            else:
                a = asarray(item)
                new = self._promote(a, a.ndim, ndmin, trans1d)
            objs.append(new)
            kinds.append(new.dtype)
        if not objs:
            return arange(0)
        dt = np.result_type(*[objs[i] if i in scalars else kinds[i]
                              for i in range(len(objs))])
        out = []
        for i, o in enumerate(objs):
            o = asarray(o, dtype=dt) if i in scalars else o
            if i in scalars:
                o = S.reshape(o, (1,) * max(ndmin, 1))
            out.append(U.convert(o, dt) if o.dtype != dt else o)
        return concatenate(out, axis)

    @staticmethod
    def _promote(a, item_ndim, ndmin, trans1d):
        if a.ndim >= ndmin:
            return a
        a = S.reshape(a, (1,) * (ndmin - a.ndim) + tuple(a.shape))
        if trans1d != -1 and item_ndim < ndmin:
            k2 = ndmin - item_ndim
            k1 = trans1d + k2 + 1 if trans1d < 0 else trans1d
            axes = list(range(ndmin))
            a = transpose(a, axes[:k1] + axes[k2:] + axes[k1:k2])
        return a

    def __len__(self):
        return 0


r_ = _AxisConcatenator(0, 1, -1, "r_")
c_ = _AxisConcatenator(-1, 2, 0, "c_")


class _Grid:
    """``mgrid`` (dense) and ``ogrid`` (open) from slices of static numbers."""

    def __init__(self, sparse: bool, name: str):
        self.sparse, self.name = sparse, name

    def __getitem__(self, key):
        grid = (np.ogrid if self.sparse else np.mgrid)[key]
        if isinstance(grid, (list, tuple)):
            return tuple(from_host(np.asarray(g), None) for g in grid) if self.sparse else \
                [from_host(np.asarray(g), None) for g in grid]
        return from_host(np.asarray(grid), None)


mgrid = _Grid(False, "mgrid")
ogrid = _Grid(True, "ogrid")


def _strides(shape, order):
    dims = [int(d) for d in shape]
    if order == "C":
        st = np.cumprod([1] + dims[::-1][:-1])[::-1]
    elif order == "F":
        st = np.cumprod([1] + dims[:-1])
    else:
        raise ValueError(f"order must be 'C' or 'F', got {order!r}")
    return dims, [int(s) for s in st]


def unravel_index(indices, shape, order: str = "C") -> tuple:
    """The multi-index (one int64 array per axis) of flat ``indices`` into ``shape``.

    >>> import fgrad.numpy as fnp
    >>> fnp.unravel_index(fnp.asarray([5, 7]), (3, 4))
    (Array([1, 1]), Array([1, 3]))
    """
    idx = asarray(indices)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"unravel_index: only int indices permitted, got {idx.dtype}")
    dims, strides = _strides(shape, order)
    size = int(np.prod(dims, dtype=np.int64))
    if not isinstance(idx, Tracer):
        h = idx._host()
        if h.size and (h.min() < 0 or h.max() >= size):
            bad = h.min() if h.min() < 0 else h.max()
            raise ValueError(f"unravel_index: index {bad} is out of bounds for array with "
                             f"size {size}")
    idx = U.convert(idx, np.int64) if idx.dtype != np.int64 else idx
    return tuple((idx // s) % d if d else idx * 0 for d, s in zip(dims, strides))


def ravel_multi_index(multi_index, dims, mode="raise", order: str = "C") -> Array:
    """Flat indices of the multi-index arrays ``multi_index`` into ``dims``; ``mode``
    'raise' (checked on concrete values), 'wrap' or 'clip' (one per axis allowed).

    >>> import fgrad.numpy as fnp
    >>> fnp.ravel_multi_index((fnp.asarray([1, 2]), fnp.asarray([3, 0])), (3, 4))
    Array([7, 8])
    """
    dims_l, strides = _strides(dims, order)
    if len(multi_index) != len(dims_l):
        raise ValueError(f"ravel_multi_index: parameter multi_index must be a sequence of "
                         f"length {len(dims_l)}")
    modes = (mode,) * len(dims_l) if isinstance(mode, str) else tuple(mode)
    out = None
    for a, d, s, m in zip(multi_index, dims_l, strides, modes):
        a = asarray(a)
        if a.dtype.kind not in "iu":
            raise TypeError(f"ravel_multi_index: only int indices permitted, got {a.dtype}")
        a = U.convert(a, np.int64) if a.dtype != np.int64 else a
        if m == "raise":
            if not isinstance(a, Tracer):
                h = a._host()
                if h.size and (h.min() < 0 or h.max() >= d):
                    raise ValueError("ravel_multi_index: invalid entry in coordinates array")
        elif m == "wrap":
            a = a % d
        elif m == "clip":
            a = clip(a, 0, d - 1)
        else:
            raise ValueError(f"ravel_multi_index: clipmode must be one of 'clip', 'raise', "
                             f"or 'wrap', got {m!r}")
        term = a * s
        out = term if out is None else out + term
    return out
