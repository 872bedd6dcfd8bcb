"""Functions whose output shape depends on the values (``unique nonzero argwhere
flatnonzero intersect1d union1d setdiff1d``), membership (``isin in1d``) and counting
(``bincount histogram histogram_bin_edges digitize``).

As in JAX, the value-dependent ones work eagerly (a host look at the values) and take
``size=`` (and ``fill_value=``) to work under ``jit``/``vmap``: the result is then cut
or padded to ``size`` entries, and computed on the device from a sort. Without ``size``
under such a transform they raise a ConcretizationTypeError naming ``size=``. Values
they return are gathered from the input, so gradients flow back to it.
"""
from __future__ import annotations

import builtins

import numpy as np

from .. import errors
from .._array import Array
from ..primitives import indexing as I, shape as S, sorting as P, unary as U
from ..primitives.special import stable_argsort_p
from ..transforms.core import Tracer, bind
from . import _indexing
from ._core import asarray, full, zeros, arange
from ._elementwise import where, isnan, logical_not
from ._indexing import from_host, take, _concrete_host
from ._reductions import sum as _sum, any as _any, max as _max, min as _min, cumsum
from ._shape import ravel, concatenate, moveaxis, reshape, stack
from ._stacking import diff
from ._creation_more import linspace
from ._indexing import searchsorted

__all__ = ["unique", "unique_values", "unique_counts", "unique_inverse", "unique_all",
           "nonzero", "argwhere", "flatnonzero", "isin", "in1d", "intersect1d", "union1d",
           "setdiff1d", "setxor1d", "bincount", "histogram", "histogram_bin_edges",
           "digitize"]


def _host_or_none(a, what):
    """The host copy of ``a`` if it is concrete here, else None (traced by jit/vmap)."""
    try:
        return _concrete_host(a, what)
    except errors.ConcretizationTypeError:
        return None


def _need_size(what):
    return errors.ConcretizationTypeError(
        f"{what}: the size of the result depends on the values, which are traced here "
        f"(jit or vmap). Pass a static size= (and fill_value=) to {what} to get a result of "
        "fixed size, as jax.numpy does.")


def _iota(n, device):
    return arange(n, dtype=np.int64, device=device)


def _compact_positions(mask, size):
    """The positions of the true entries of 1-d ``mask``, ascending, cut or padded to
    ``size`` entries (padding: ``len(mask)``), and the count of true entries."""
    n = mask.shape[0]
    key = where(mask, _iota(n, mask.device), n)
    pos = P.sort(key, 0) if n else key
    if size <= n:
        pos = S.slice_axis(pos, 0, 0, size)
    else:
        pos = concatenate([pos, full((size - n,), n, np.int64, mask.device)], 0)
    return pos, _sum(U.convert(mask, np.int64))


def _pad_fill(values, pos, n, fill_value):
    """``values`` (gathered at ``pos``) with the padded places (pos == n) set to
    ``fill_value`` (None: left as gathered)."""
    if fill_value is None:
        return values
    pad = pos == n
    pad = S.reshape(pad, tuple(pad.shape) + (1,) * (values.ndim - 1))
    return where(pad, U.convert(asarray(fill_value), values.dtype), values)


# ------------------------------------------------------------------- nonzero family
def nonzero(a, *, size: int | None = None, fill_value=None) -> tuple:
    """Indices of the nonzero elements, one int64 array per axis. With ``size`` the
    result has exactly ``size`` entries (padded with ``fill_value``, 0 by default), which
    works under ``jit`` and ``vmap``.

    >>> import fgrad.numpy as fnp
    >>> fnp.nonzero(fnp.asarray([0, 3, 0, 4]), size=3)
    (Array([1, 3, 0]),)
    """
    a = asarray(a)
    if a.ndim == 0:
        raise ValueError("nonzero: calling nonzero on 0d arrays is not allowed; use "
                         "atleast_1d(a).nonzero() instead")
    host = _host_or_none(a, "nonzero")
    if size is None:
        if host is None:
            raise _need_size("nonzero")
        return _indexing.nonzero(a)
    size = int(size)
    flat = ravel(a != 0)
    n = flat.shape[0]
    pos, _ = _compact_positions(flat, size)
    fills = fill_value if isinstance(fill_value, (tuple, list)) else (fill_value,) * a.ndim
    if len(fills) != a.ndim:
        raise ValueError(f"nonzero: fill_value must be a scalar or a tuple of length "
                         f"{a.ndim}, got {fill_value}")
    out, rest = [], pos
    strides = np.cumprod((1,) + tuple(reversed(a.shape[1:])))[::-1]
    for d, (stride, f) in enumerate(zip(strides, fills)):
        idx = (rest // int(stride)) % builtins.max(a.shape[d], 1) if n else rest
        out.append(where(pos == n, 0 if f is None else f, idx))
    return tuple(out)


def flatnonzero(a, *, size: int | None = None, fill_value=None) -> Array:
    """Indices of the nonzero elements of the flattened array (``size`` as ``nonzero``).

    >>> import fgrad.numpy as fnp
    >>> fnp.flatnonzero(fnp.asarray([[0, 1], [1, 0]]))
    Array([1, 2])
    """
    return nonzero(ravel(asarray(a)), size=size, fill_value=fill_value)[0]


def argwhere(a, *, size: int | None = None, fill_value=None) -> Array:
    """Indices of the nonzero elements as an (N, ndim) array (``size`` as ``nonzero``).

    >>> import fgrad.numpy as fnp
    >>> fnp.argwhere(fnp.asarray([[0, 1], [1, 0]]))
    Array([[0, 1],
           [1, 0]])
    """
    a = asarray(a)
    if a.ndim == 0:
        a = reshape(a, (1,))
        out = argwhere(a, size=size, fill_value=fill_value)
        return reshape(out, (out.shape[0], 0))
    if size is None and _host_or_none(a, "argwhere") is not None:
        return _indexing.argwhere(a)
    return stack(nonzero(a, size=size, fill_value=fill_value), 1)


# ------------------------------------------------------------------------- unique
def _sorted_flags(s, equal_nan):
    """True where sorted 1-d ``s`` starts a new run of equal values."""
    n = s.shape[0]
    if n == 0:
        return s != s
    hi, lo = S.slice_axis(s, 0, 1, n), S.slice_axis(s, 0, 0, n - 1)
    new = hi != lo
    if equal_nan and s.dtype.kind in "fc":
        new = new & logical_not(isnan(hi) & isnan(lo))
    return concatenate([full((1,), True, np.bool_, s.device), new], 0)


def unique(ar, return_index: bool = False, return_inverse: bool = False,
           return_counts: bool = False, axis: int | None = None, *, equal_nan: bool = True,
           size: int | None = None, fill_value=None, sorted: bool = True):
    """The sorted unique values of ``ar`` (flattened, or the unique slices along ``axis``),
    and optionally the index of each one's first occurrence, the inverse (``ar`` rebuilt
    by indexing the uniques) and the counts. ``size``/``fill_value`` as in JAX: padded
    with the smallest value (indices 0, counts 0) unless ``fill_value`` is given.

    >>> import fgrad.numpy as fnp
    >>> fnp.unique(fnp.asarray([3, 1, 3, 2]))
    Array([1, 2, 3])
    >>> fnp.unique(fnp.asarray([3, 1, 3]), return_counts=True, size=3, fill_value=0)
    (Array([1, 3, 0]), Array([1, 2, 0]))
    """
    ar = asarray(ar)
    host = _host_or_none(ar, "unique")
    if axis is not None:
        return _unique_axis(ar, host, return_index, return_inverse, return_counts, axis,
                            equal_nan, size, fill_value)
    flat = ravel(ar)
    n = flat.shape[0]
    if size is None:
        if host is None:
            raise _need_size("unique")
        # NumPy computes only what is asked; float values are gathered at their first
        # indices so that gradients reach ``ar`` (integers carry none: taken as they are)
        gather = ar.dtype.kind in "fc"
        res = np.unique(host.ravel(), gather or return_index, return_inverse, return_counts,
                        equal_nan=equal_nan)
        res = res if isinstance(res, tuple) else (res,)
        if gather or return_index:
            first_d = from_host(res[1].astype(np.int64), ar.device)
        out = [take(flat, first_d) if gather and n else from_host(res[0], ar.device)]
        if return_index:
            out.append(first_d)
        if return_inverse:
            out.append(from_host(res[2].astype(np.int64).reshape(ar.shape), ar.device))
        if return_counts:
            out.append(from_host(res[-1].astype(np.int64), ar.device))
        return out[0] if len(out) == 1 else tuple(out)
    size = int(size)
    if n == 0 and size and fill_value is None:
        raise ValueError("unique: for zero-sized input with nonzero size argument, "
                         "fill_value must be specified")
    perm = bind(stable_argsort_p, flat, axis=0)
    s = take(flat, perm) if n else flat
    first = _sorted_flags(s, equal_nan)
    pos1, count = _compact_positions(first, size + 1)
    pos = S.slice_axis(pos1, 0, 0, size)
    safe = where(pos == n, 0, pos)
    vals = take(s, safe) if n else full((size,), fill_value, ar.dtype, ar.device)
    out = [_pad_fill(vals, pos, n, fill_value)]
    if return_index:
        out.append(take(perm, safe) if n else zeros(size, np.int64, ar.device))
    if return_inverse:
        group = cumsum(U.convert(first, np.int64)) - 1 if n else perm
        inv = I.scatter_p.bind(zeros(n, np.int64, ar.device), S.reshape(perm, (n, 1)), group)
        out.append(S.reshape(inv, tuple(ar.shape)))
    if return_counts:
        # each unique runs to the next one's first place (padding is n: the end)
        out.append(where(pos == n, 0, S.slice_axis(pos1, 0, 1, size + 1) - pos))
    return out[0] if len(out) == 1 else tuple(out)


def _unique_axis(ar, host, return_index, return_inverse, return_counts, axis, equal_nan,
                 size, fill_value):
    if host is None:
        raise errors.ConcretizationTypeError(
            "unique: with axis= the values must be concrete (not traced by jit or vmap)")
    ax = _indexing._axis(axis, ar.ndim, "unique")
    vals, first, inv, counts = np.unique(host, True, True, True, axis=ax, equal_nan=equal_nan)
    idx = first.astype(np.int64)
    if size is not None:
        k = len(idx)
        idx = np.concatenate([idx, np.zeros(builtins.max(size - k, 0), np.int64)])[:size]
        counts = np.concatenate([counts, np.zeros(builtins.max(size - k, 0), counts.dtype)])[
            :size]
    out = [take(ar, from_host(idx, ar.device), axis=ax)]
    if size is not None and fill_value is not None and size > len(first):
        pad = np.arange(size) >= len(first)
        shape = [1] * ar.ndim
        shape[ax] = size
        out[0] = where(from_host(pad.reshape(shape), ar.device), fill_value, out[0])
    if return_index:
        out.append(from_host(idx, ar.device))
    if return_inverse:
        out.append(from_host(inv.astype(np.int64).reshape(-1), ar.device))
    if return_counts:
        out.append(from_host(counts.astype(np.int64), ar.device))
    return out[0] if len(out) == 1 else tuple(out)


def unique_values(x, *, size=None, fill_value=None) -> Array:
    """The array API's ``unique_values``: ``unique(x)``."""
    return unique(x, size=size, fill_value=fill_value)


def unique_counts(x, *, size=None, fill_value=None):
    """The array API's ``unique_counts``: ``(values, counts)``."""
    return unique(x, return_counts=True, size=size, fill_value=fill_value)


def unique_inverse(x, *, size=None, fill_value=None):
    """The array API's ``unique_inverse``: ``(values, inverse_indices)``."""
    return unique(x, return_inverse=True, size=size, fill_value=fill_value)


def unique_all(x, *, size=None, fill_value=None):
    """The array API's ``unique_all``: ``(values, indices, inverse_indices, counts)``."""
    return unique(x, True, True, True, size=size, fill_value=fill_value)


# -------------------------------------------------------------------- membership
def isin(element, test_elements, assume_unique: bool = False, invert: bool = False, *,
         kind=None) -> Array:
    """Whether each entry of ``element`` is in ``test_elements`` (one broadcast comparison:
    O(element.size * test_elements.size) memory), shaped like ``element``.

    >>> import fgrad.numpy as fnp
    >>> fnp.isin(fnp.asarray([1, 2, 3]), [2, 4])
    Array([False,  True, False])
    """
    e = asarray(element)
    t = ravel(asarray(test_elements))
    hit = _any(S.reshape(e, tuple(e.shape) + (1,)) == t, axis=-1) if t.shape[0] else \
        full(e.shape, False, np.bool_, e.device)
    return logical_not(hit) if invert else hit


def in1d(ar1, ar2, assume_unique: bool = False, invert: bool = False, *, kind=None) -> Array:
    """``isin`` of the flattened ``ar1`` (NumPy's older name)."""
    return isin(ravel(asarray(ar1)), ar2, assume_unique, invert)


def _setop_result(vals, keep, size, fill_value, name):
    """``vals[keep]`` eagerly, or cut/padded to ``size`` under a transform."""
    host = _host_or_none(keep, name)
    if size is None:
        if host is None:
            raise _need_size(name)
        return take(vals, from_host(np.nonzero(host)[0].astype(np.int64), vals.device))
    n = vals.shape[0]
    pos, _ = _compact_positions(keep, int(size))
    out = take(vals, where(pos == n, 0, pos)) if n else full((int(size),), 0, vals.dtype,
                                                              vals.device)
    return _pad_fill(out, pos, n, fill_value)


def union1d(ar1, ar2, *, size: int | None = None, fill_value=None) -> Array:
    """The sorted unique values in either array.

    >>> import fgrad.numpy as fnp
    >>> fnp.union1d(fnp.asarray([3, 1]), fnp.asarray([2, 1]))
    Array([1, 2, 3])
    """
    return unique(concatenate([ravel(asarray(ar1)), ravel(asarray(ar2))], 0), size=size,
                  fill_value=fill_value)


def _uniq_with_mask(a):
    """Sorted ``a`` and the mask of each value's first place (a fixed-shape unique)."""
    a = ravel(asarray(a))
    s = P.sort(a, 0) if a.shape[0] else a
    return s, _sorted_flags(s, True)


def setdiff1d(ar1, ar2, assume_unique: bool = False, *, size: int | None = None,
              fill_value=None) -> Array:
    """The sorted unique values of ``ar1`` that are not in ``ar2``.

    >>> import fgrad.numpy as fnp
    >>> fnp.setdiff1d(fnp.asarray([4, 1, 2, 1]), fnp.asarray([2]))
    Array([1, 4])
    """
    s, first = _uniq_with_mask(ar1)
    return _setop_result(s, first & logical_not(isin(s, ar2)), size, fill_value, "setdiff1d")


def setxor1d(ar1, ar2, assume_unique: bool = False, *, size: int | None = None,
             fill_value=None) -> Array:
    """The sorted unique values in exactly one of the arrays.

    >>> import fgrad.numpy as fnp
    >>> fnp.setxor1d(fnp.asarray([1, 2, 3]), fnp.asarray([2, 3, 4]))
    Array([1, 4])
    """
    s1, f1 = _uniq_with_mask(ar1)
    s2, f2 = _uniq_with_mask(ar2)
    keep1 = f1 & logical_not(isin(s1, s2))
    keep2 = f2 & logical_not(isin(s2, s1))
    s = concatenate([s1, s2], 0)
    keep = concatenate([keep1, keep2], 0)
    order = bind(stable_argsort_p, s, axis=0) if s.shape[0] else None
    if order is not None:
        s, keep = take(s, order), take(keep, order)
    return _setop_result(s, keep, size, fill_value, "setxor1d")


def intersect1d(ar1, ar2, assume_unique: bool = False, return_indices: bool = False, *,
                size: int | None = None, fill_value=None):
    """The sorted unique values in both arrays (``return_indices``: also the index of the
    first occurrence of each in ``ar1`` and in ``ar2``).

    >>> import fgrad.numpy as fnp
    >>> fnp.intersect1d(fnp.asarray([1, 3, 4, 3]), fnp.asarray([3, 1, 2, 1]))
    Array([1, 3])
    """
    a1, a2 = ravel(asarray(ar1)), ravel(asarray(ar2))
    if not return_indices:
        s, first = _uniq_with_mask(a1)
        return _setop_result(s, first & isin(s, a2), size, fill_value, "intersect1d")
    h1, h2 = _host_or_none(a1, "intersect1d"), _host_or_none(a2, "intersect1d")
    if h1 is None or h2 is None:
        raise errors.ConcretizationTypeError(
            "intersect1d: return_indices=True needs concrete values (not traced by jit or "
            "vmap)")
    _, i1, i2 = np.intersect1d(h1, h2, assume_unique=assume_unique, return_indices=True)
    i1d = from_host(i1.astype(np.int64), a1.device)
    return take(a1, i1d), i1d, from_host(i2.astype(np.int64), a2.device)


# ----------------------------------------------------------------------- counting
def bincount(x, weights=None, minlength: int = 0, *, length: int | None = None) -> Array:
    """Counts (or summed ``weights``) of each value of non-negative int 1-d ``x``; the result
    has ``max(x) + 1`` entries (at least ``minlength``), or exactly ``length`` (needed under
    ``jit``/``vmap``; values >= length are dropped). Differentiable in ``weights``.

    >>> import fgrad.numpy as fnp
    >>> fnp.bincount(fnp.asarray([0, 1, 1, 3]))
    Array([1, 2, 0, 1])
    """
    x = asarray(x)
    if x.ndim != 1:
        raise ValueError(f"bincount: object too deep for desired array (x has shape "
                         f"{tuple(x.shape)}; it must be 1-d)")
    if x.dtype.kind not in "iub":
        raise TypeError(f"bincount: x must be an integer array, got {x.dtype}")
    if minlength is None or minlength < 0:
        raise ValueError("bincount: minlength must be non-negative")
    host = _host_or_none(x, "bincount")
    if host is not None and host.size and host.min() < 0:
        raise ValueError("bincount: the first argument must have non-negative values")
    if length is None:
        if host is None:
            raise errors.ConcretizationTypeError(
                "bincount: the length of the result depends on max(x), which is traced here "
                "(jit or vmap); pass a static length= as jax.numpy does")
        length = builtins.max(int(host.max()) + 1 if host.size else 0, int(minlength))
    length = int(length)
    if weights is None:
        w = full(x.shape, 1, np.int64, x.device)
    else:
        w = asarray(weights)
        if tuple(w.shape) != tuple(x.shape):
            raise ValueError(f"bincount: weights shape {tuple(w.shape)} does not match x "
                             f"shape {tuple(x.shape)}")
        if w.dtype.kind in "biu":
            w = U.convert(w, np.float64)
    idx = U.convert(x, np.int64) if x.dtype != np.int64 else x
    # out-of-range values (possible only under a transform) go to a dropped extra bin
    idx = where((idx >= 0) & (idx < length), idx, length)
    out = I.scatter_add(zeros(length + 1, w.dtype, x.device), S.reshape(idx, (-1, 1)), w)
    return S.slice_axis(out, 0, 0, length)


def histogram_bin_edges(a, bins=10, range=None, weights=None) -> Array:
    """The bin edges ``histogram`` uses: ``bins + 1`` equal bins over ``range`` (default:
    the data's min and max), the given edges, or a NumPy estimator name ('auto', 'fd' ...,
    concrete data only).

    >>> import fgrad.numpy as fnp
    >>> fnp.histogram_bin_edges(fnp.asarray([0.0, 1.0]), bins=2)
    Array([0. , 0.5, 1. ])
    """
    a = ravel(asarray(a))
    if not isinstance(bins, (int, np.integer, str)):
        edges = asarray(bins)
        if edges.ndim != 1:
            raise ValueError("histogram: bins must be 1d, when an array")
        h = _host_or_none(edges, "histogram")
        if h is not None and np.any(np.diff(h) < 0):
            raise ValueError("histogram: bins must increase monotonically, when an array")
        return edges
    host = _host_or_none(a, "histogram_bin_edges")
    if host is not None:
        wh = None if weights is None else _host_or_none(asarray(weights), "histogram")
        return from_host(np.histogram_bin_edges(host, bins, range, wh), a.device)
    if isinstance(bins, str):
        raise errors.ConcretizationTypeError(
            f"histogram_bin_edges: bins={bins!r} needs concrete data (not traced by jit or "
            "vmap); pass an int number of bins or the edges")
    if int(bins) < 1:
        raise ValueError("histogram: `bins` must be positive, when an integer")
    if range is None:
        lo, hi = _min(a), _max(a)
    else:
        lo, hi = range
    lo, hi = asarray(lo), asarray(hi)
    dt = np.result_type(a.dtype, np.float64) if a.dtype.kind in "biu" else a.dtype
    lo, hi = U.convert(lo, dt), U.convert(hi, dt)
    same = lo == hi
    return linspace(where(same, lo - 0.5, lo), where(same, hi + 0.5, hi), int(bins) + 1)


def histogram(a, bins=10, range=None, density=None, weights=None):
    """``(hist, bin_edges)``: counts (or summed ``weights``) of ``a`` in each bin, the last
    bin closed on the right, values outside the edges dropped; ``density`` divides by the
    total and the bin widths. Differentiable in ``weights``.

    >>> import fgrad.numpy as fnp
    >>> fnp.histogram(fnp.asarray([0.0, 0.2, 1.0]), bins=2)[0]
    Array([2, 1])
    """
    a = ravel(asarray(a))
    edges = histogram_bin_edges(a, bins, range, weights)
    nb = edges.shape[0] - 1
    idx = searchsorted(edges, a, side="right") - 1
    last = S.slice_axis(edges, 0, nb, nb + 1)
    idx = where(a == S.reshape(last, ()), nb - 1, idx)
    idx = where((idx < 0) | (idx >= nb) | isnan(a) if a.dtype.kind in "fc" else
                (idx < 0) | (idx >= nb), nb, idx)
    w = None if weights is None else ravel(asarray(weights))
    hist = S.slice_axis(bincount(idx, w, length=nb + 1), 0, 0, nb)
    if density:
        widths = diff(edges)
        hist = U.convert(hist, np.float64) if hist.dtype.kind in "biu" else hist
        return hist / (_sum(hist) * widths), edges
    return hist, edges


def digitize(x, bins, right: bool = False) -> Array:
    """The index of the bin of ``bins`` (1-d, monotonic) each ``x`` falls in, as NumPy's.

    >>> import fgrad.numpy as fnp
    >>> fnp.digitize(fnp.asarray([0.5, 1.0, 2.5]), fnp.asarray([1.0, 2.0]))
    Array([0, 1, 2])
    """
    bins = asarray(bins)
    if bins.ndim != 1:
        raise ValueError("digitize: bins must be 1-dimensional")
    h = _host_or_none(bins, "digitize")
    decreasing = False
    if h is not None and h.size > 1:
        d = np.diff(h)
        if not (np.all(d >= 0) or np.all(d <= 0)):
            raise ValueError("digitize: bins must be monotonically increasing or decreasing")
        decreasing = bool(h[0] > h[-1])
    side = "left" if right else "right"
    if decreasing:
        n = bins.shape[0]
        return n - searchsorted(S.flip(bins, (0,)), x, side=side)
    return searchsorted(bins, x, side=side)
