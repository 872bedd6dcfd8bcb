"""Sorting for ``fgrad.numpy``: ``sort argsort lexsort partition argpartition``.

Sorting is stable and puts NaN last, as NumPy's. Values sorted by ``sort`` carry
the gradient back through the permutation (``fgrad.primitives.sorting``); the
index functions carry none.
"""
from __future__ import annotations

import numpy as np

from .._array import Array
from ..primitives import shape as S, sorting as P
from ..primitives.special import stable_argsort_p
from ..primitives.selection import argpartition_p, partition_p
from ..transforms.core import bind
from ._core import _size, asarray
from ._indexing import take_along_axis
from ._reductions import normalize_axes

__all__ = ["sort", "argsort", "lexsort", "partition", "argpartition", "msort", "sort_complex"]


def reject_out(out, name: str) -> None:
    """NumPy's ``out=`` is accepted only as None: fgrad arrays are immutable."""
    if out is not None:
        raise ValueError(f"{name}: the 'out' argument is not supported (fgrad arrays are "
                         "immutable); use the returned array instead")


def _flat_or_axis(a, axis, name):
    if axis is None:
        return S.reshape(a, (_size(a),)), 0
    return a, normalize_axes(axis, a.ndim, name)[0] if a.ndim else 0


def sort(a, axis: int | None = -1, kind=None, order=None, *, stable: bool = True,
         descending: bool = False) -> Array:
    """``a`` sorted along ``axis`` (flattened if None), NaN last; ``descending`` reverses it
    (NaN first, as JAX). The gradient follows the values to their sorted places; ties keep
    their order (stable), so a tie's gradient goes where a stable sort puts it.

    >>> import fgrad.numpy as fnp
    >>> fnp.sort(fnp.asarray([3.0, fnp.nan, 1.0]))
    Array([ 1.,  3., nan])
    """
    if order is not None:
        raise TypeError("sort: the 'order' argument (structured arrays) is not supported")
    a = asarray(a)
    if a.ndim == 0 and axis is not None:
        raise np.exceptions.AxisError(f"sort: axis {axis} is out of bounds for array of "
                                      "dimension 0")
    a, ax = _flat_or_axis(a, axis, "sort")
    out = P.sort(a, ax)
    return S.flip(out, (ax,)) if descending else out


def argsort(a, axis: int | None = -1, kind=None, order=None, *, stable: bool = True,
            descending: bool = False) -> Array:
    """The int64 indices that sort ``a`` along ``axis`` (stable, NaN last; ``descending``
    keeps equal values in their original order, as JAX).

    >>> import fgrad.numpy as fnp
    >>> fnp.argsort(fnp.asarray([3.0, 1.0, 2.0]))
    Array([1, 2, 0])
    """
    if order is not None:
        raise TypeError("argsort: the 'order' argument (structured arrays) is not supported")
    a = asarray(a)
    if a.ndim == 0 and axis is not None:
        raise np.exceptions.AxisError(f"argsort: axis {axis} is out of bounds for array of "
                                      "dimension 0")
    a, ax = _flat_or_axis(a, axis, "argsort")
    if not descending:
        return bind(stable_argsort_p, a, axis=ax)
    n = a.shape[ax]
    return (n - 1) - S.flip(bind(stable_argsort_p, S.flip(a, (ax,)), axis=ax), (ax,))


def msort(a) -> Array:
    """``sort(a, axis=0)``."""
    return sort(a, axis=0)


def sort_complex(a) -> Array:
    """``a`` sorted (real part first, then imaginary), as complex.

    >>> import fgrad.numpy as fnp
    >>> fnp.sort_complex(fnp.asarray([2, 1])).dtype
    dtype('complex128')
    """
    a = asarray(a)
    if a.dtype.kind != "c":
        a = a.astype(np.complex64 if a.dtype in (np.float32, np.float16, np.int8, np.int16,
                                                   np.uint8, np.uint16) else np.complex128)
    return sort(a)


def lexsort(keys, axis: int = -1) -> Array:
    """Indices sorting by the last key first, then the one before it, ... (stable).

    >>> import fgrad.numpy as fnp
    >>> fnp.lexsort((fnp.asarray([1, 0, 1]), fnp.asarray([0, 1, 0])))
    Array([0, 2, 1])
    """
    if isinstance(keys, Array) or hasattr(keys, "ndim"):
        keys = [keys[i] for i in range(asarray(keys).shape[0])]
    keys = [asarray(k) for k in keys]
    if not keys:
        raise TypeError("lexsort: need sequence of keys with len > 0")
    shapes = {tuple(k.shape) for k in keys}
    if len(shapes) != 1:
        raise ValueError(f"lexsort: all keys need to be the same shape, got {sorted(shapes)}")
    if keys[0].ndim == 0:
        raise TypeError("lexsort: keys must be at least 1-d")
    ax = normalize_axes(axis, keys[0].ndim, "lexsort")[0]
    # radix-style: sort by the least significant key, then stably by each more significant
    idx = bind(stable_argsort_p, keys[0], axis=ax)
    for k in keys[1:]:
        order = bind(stable_argsort_p, take_along_axis(k, idx, ax), axis=ax)
        idx = take_along_axis(idx, order, ax)
    return idx


def partition(a, kth, axis: int = -1) -> Array:
    """``a`` with the ``kth`` element(s) (an int or a sequence) where a sort puts them,
    smaller ones before and larger ones after (``axis=None``: flattened), in linear time
    (NumPy's introselect); the order within each side is NumPy's. The gradient follows the
    values to their places (the values are ``a`` gathered at ``argpartition``; primitive
    ``partition``).

    >>> import fgrad.numpy as fnp
    >>> fnp.partition(fnp.asarray([3.0, 1.0, 2.0]), 1)[1]
    Array(2.)
    """
    a = asarray(a)
    ks = _check_kth(kth, a, axis, "partition")
    a, ax = _flat_or_axis(a, axis, "partition")
    return bind(partition_p, a, kth=ks, axis=ax)


def argpartition(a, kth, axis: int = -1) -> Array:
    """The int64 indices that partition ``a`` around ``kth`` along ``axis`` (NumPy's
    introselect, linear time; NaN counts as largest). No gradient.

    >>> import fgrad.numpy as fnp
    >>> int(fnp.argpartition(fnp.asarray([3.0, 1.0, 2.0]), 0)[0])
    1
    """
    a = asarray(a)
    ks = _check_kth(kth, a, axis, "argpartition")
    a, ax = _flat_or_axis(a, axis, "argpartition")
    return bind(argpartition_p, a, kth=ks, axis=ax)


def _check_kth(kth, a, axis, name):
    if axis is None:
        n = _size(a)
    else:
        if a.ndim == 0:
            raise np.exceptions.AxisError(f"{name}: axis {axis} is out of bounds for array "
                                          "of dimension 0")
        n = a.shape[normalize_axes(axis, a.ndim, name)[0]]
    ks = np.atleast_1d(np.asarray(kth))
    if ks.ndim != 1 or ks.dtype.kind not in "iu":
        raise TypeError(f"{name}: kth must be an integer or a 1-d sequence of integers, got "
                        f"{kth!r}")
    for k in ks:
        if not -n <= int(k) < n:
            raise ValueError(f"{name}: kth(={int(k)}) out of bounds ({n})")
    return tuple(sorted(int(k) % n for k in ks))     # duplicates kept, as NumPy
