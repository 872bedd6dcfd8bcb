"""Functions that apply user functions to arrays: ``vectorize apply_along_axis
fromfunction`` (through ``vmap``, so they batch in one call and differentiate), and a
few small array helpers (``block choose extract trim_zeros diagflat matrix_transpose
array_equiv copy``).
"""
from __future__ import annotations

import functools

import numpy as np

from .. import errors
from .._array import Array
from ..primitives import shape as S
from ..transforms.api import vmap
from ..transforms.core import Tracer
from ._core import asarray, array, arange
from ._elementwise import where, equal
from ._indexing import diag, take, from_host, _concrete_host
from ._reductions import all as _all
from ._shape import (broadcast_arrays, concatenate, moveaxis, ravel, reshape, swapaxes,
                     atleast_1d, stack)
from ._sorting import reject_out
from ._elementwise import clip
from ._setops import flatnonzero

__all__ = ["vectorize", "apply_along_axis", "fromfunction", "block", "choose", "extract",
           "trim_zeros", "diagflat", "matrix_transpose", "array_equiv", "copy"]


def vectorize(pyfunc=None, *, excluded=frozenset(), signature=None):
    """``pyfunc`` (written for scalars) applied element-wise over broadcast array
    arguments, through one ``vmap`` (no Python loop). ``excluded`` names positions or
    keywords passed as they are; ``signature`` (core dimensions) is not supported.

    >>> import fgrad.numpy as fnp
    >>> fnp.vectorize(lambda a, b: a * b + 1)(fnp.asarray([1.0, 2.0]), 3.0)
    Array([4., 7.])
    """
    if pyfunc is None:
        return functools.partial(vectorize, excluded=excluded, signature=signature)
    if signature is not None:
        raise NotImplementedError("vectorize: signature= (core dimensions) is not supported; "
                                  "use fgrad.vmap directly")

    @functools.wraps(pyfunc)
    def wrapped(*args, **kwargs):
        fixed = {i: a for i, a in enumerate(args) if i in excluded}
        mapped = [i for i in range(len(args)) if i not in excluded]
        kw_fixed = {k: v for k, v in kwargs.items() if k in excluded}
        kw_mapped = [k for k in kwargs if k not in excluded]
        arrs = broadcast_arrays(*[asarray(args[i]) for i in mapped],
                                *[asarray(kwargs[k]) for k in kw_mapped])
        if not isinstance(arrs, (list, tuple)):
            arrs = [arrs]
        shape = tuple(arrs[0].shape) if arrs else ()
        flat = [ravel(a) for a in arrs]

        def scalar_fn(*vals):
            pos = dict(zip(mapped, vals[:len(mapped)]))
            full_args = [fixed[i] if i in fixed else pos[i] for i in range(len(args))]
            kw = dict(kw_fixed, **dict(zip(kw_mapped, vals[len(mapped):])))
            return pyfunc(*full_args, **kw)

        if not flat:
            return pyfunc(*args, **kwargs)
        out = vmap(scalar_fn)(*flat)
        if isinstance(out, tuple):
            return tuple(reshape(o, shape) for o in out)
        return reshape(out, shape)
    return wrapped


def apply_along_axis(func1d, axis: int, arr, *args, **kwargs):
    """``func1d`` applied to every 1-d slice of ``arr`` along ``axis`` (one ``vmap`` over
    the other axes); its result's axes replace ``axis``, as NumPy's.

    >>> import fgrad.numpy as fnp
    >>> fnp.apply_along_axis(lambda v: v.sum(), 1, fnp.asarray([[1.0, 2.0], [3.0, 4.0]]))
    Array([3., 7.])
    """
    arr = asarray(arr)
    nd = arr.ndim
    if not -nd <= axis < nd:
        raise np.exceptions.AxisError(f"apply_along_axis: axis {axis} is out of bounds for "
                                      f"array of dimension {nd}")
    axis %= nd
    x = moveaxis(arr, axis, -1)
    lead = tuple(x.shape[:-1])
    f = lambda v: asarray(func1d(v, *args, **kwargs))  # noqa: E731
    for _ in lead:
        f = vmap(f)
    out = f(x)                          # lead + result dims
    k = out.ndim - len(lead)
    if k == 0:
        return out
    return moveaxis(out, tuple(range(len(lead), out.ndim)),
                    tuple(range(axis, axis + k))) if k > 1 else moveaxis(out, -1, axis)


def fromfunction(function, shape, *, dtype=float, **kwargs):
    """``function`` called once with one coordinate array per axis (float by default).

    >>> import fgrad.numpy as fnp
    >>> fnp.fromfunction(lambda i, j: i + 2 * j, (2, 2))
    Array([[0., 2.],
           [1., 3.]])
    """
    grids = np.indices(tuple(shape), dtype=dtype)
    return function(*[from_host(g, None) for g in grids], **kwargs)


def block(arrays):
    """An array assembled from nested lists of blocks (the innermost list joins along the
    last axis, the next along the one before ...), as ``numpy.block``.

    >>> import fgrad.numpy as fnp
    >>> fnp.block([[fnp.ones((1, 2)), fnp.zeros((1, 1))], [fnp.zeros((1, 3))]]).shape
    (2, 3)
    """
    def depth(x):
        return 1 + depth(x[0]) if isinstance(x, list) and x else (1 if isinstance(x, list)
                                                                  else 0)
    if isinstance(arrays, tuple):
        raise TypeError("block: arrays is a tuple; only lists can be used to arrange blocks")
    d = depth(arrays)

    def ndim_of(x):
        return max(ndim_of(e) for e in x) if isinstance(x, list) else asarray(x).ndim
    nd = max(ndim_of(arrays), d)

    def rec(x, level):
        if not isinstance(x, list):
            a = asarray(x)
            return reshape(a, (1,) * (nd - a.ndim) + tuple(a.shape))
        if not x:
            raise ValueError("block: lists cannot be empty")
        return concatenate([rec(e, level + 1) for e in x], axis=nd - d + level)
    return rec(arrays, 0) if d else asarray(arrays)


def choose(a, choices, out=None, mode: str = "raise"):
    """``choices[a[i]][i]`` element-wise (``a`` integer; all broadcast), with ``mode``
    'raise' (checked on concrete ``a``), 'wrap' or 'clip'.

    >>> import fgrad.numpy as fnp
    >>> fnp.choose(fnp.asarray([0, 1, 0]), [fnp.asarray([1, 2, 3]), fnp.asarray([4, 5, 6])])
    Array([1, 5, 3])
    """
    reject_out(out, "choose")
    a = asarray(a)
    n = len(choices)
    if mode == "raise":
        if not isinstance(a, Tracer):
            h = a._host()
            if h.size and (h.min() < 0 or h.max() >= n):
                raise ValueError("choose: invalid entry in choice array")
    elif mode == "wrap":
        a = a % n
    elif mode == "clip":
        a = clip(a, 0, n - 1)
    else:
        raise ValueError(f"choose: clipmode must be one of 'clip', 'raise' or 'wrap', got "
                         f"{mode!r}")
    *cs, a = broadcast_arrays(*[asarray(c) for c in choices], a)
    out = cs[-1]
    for i in range(n - 2, -1, -1):
        out = where(a == i, cs[i], out)
    return out


def extract(condition, arr, *, size: int | None = None, fill_value=0):
    """The entries of the flattened ``arr`` where the flattened ``condition`` is true
    (``size=`` under ``jit``/``vmap``, as ``nonzero``).

    >>> import fgrad.numpy as fnp
    >>> fnp.extract(fnp.asarray([True, False, True]), fnp.asarray([1, 2, 3]))
    Array([1, 3])
    """
    arr = ravel(asarray(arr))
    idx = flatnonzero(ravel(asarray(condition)), size=size, fill_value=-1)
    if size is None:
        return take(arr, idx)
    got = take(arr, where(idx < 0, 0, idx))
    return where(idx < 0, fill_value, got)


def trim_zeros(filt, trim: str = "fb"):
    """1-d ``filt`` without its leading ('f') and/or trailing ('b') zeros (concrete values).

    >>> import fgrad.numpy as fnp
    >>> fnp.trim_zeros(fnp.asarray([0, 1, 2, 0]))
    Array([1, 2])
    """
    a = asarray(filt)
    h = _concrete_host(a, "trim_zeros")
    nz = np.flatnonzero(h)
    if nz.size == 0:
        return S.slice_axis(a, 0, 0, 0)
    lo = nz[0] if "f" in trim.lower() else 0
    hi = nz[-1] + 1 if "b" in trim.lower() else h.shape[0]
    return S.slice_axis(a, 0, int(lo), int(hi))


def diagflat(v, k: int = 0):
    """A 2-d array with the flattened ``v`` on its ``k``-th diagonal.

    >>> import fgrad.numpy as fnp
    >>> fnp.diagflat(fnp.asarray([[1, 2]]))
    Array([[1, 0],
           [0, 2]])
    """
    return diag(ravel(asarray(v)), k)


def matrix_transpose(x):
    """``x`` with its last two axes swapped.

    >>> import fgrad.numpy as fnp
    >>> fnp.matrix_transpose(fnp.zeros((2, 3, 4))).shape
    (2, 4, 3)
    """
    x = asarray(x)
    if x.ndim < 2:
        raise ValueError(f"matrix_transpose: x must be at least 2-d, got shape {tuple(x.shape)}")
    return swapaxes(x, -1, -2)


def array_equiv(a1, a2) -> bool:
    """Whether the arrays are broadcastable and equal everywhere.

    >>> import fgrad.numpy as fnp
    >>> fnp.array_equiv(fnp.asarray([1, 2]), fnp.asarray([[1, 2], [1, 2]]))
    True
    """
    a1, a2 = asarray(a1), asarray(a2)
    try:
        np.broadcast_shapes(tuple(a1.shape), tuple(a2.shape))
    except ValueError:
        return False
    return bool(_all(equal(a1, a2)))


def copy(a, order: str = "K"):
    """A copy of ``a`` (arrays are immutable, so the same values).

    >>> import fgrad.numpy as fnp
    >>> fnp.copy(fnp.asarray([1, 2]))
    Array([1, 2])
    """
    return array(a, copy=True)
