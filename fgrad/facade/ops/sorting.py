"""Sorting and order statistics with PyTorch's semantics: ``sort argsort topk kthvalue
median mode unique`` ...
"""
from __future__ import annotations

import numpy as np
from ... import numpy as fnp
from ..._array import Array
from ...primitives import reductions as R, shape as S
from ...primitives.creation import from_host
from ...transforms.core import Tracer
from ..promotion import _arr, _cast, _dt
from ._common import (public_names, _device, _grid, _host, _numel, _pick, _rewrap, _wrap_dim,
    _zero_index, return_types)
from .reductions import amax, amin
from .shape import ravel
from ...transforms.core import from_output


def _is_traced(x) -> bool:
    return isinstance(x if isinstance(x, (Array, Tracer)) else from_output(x), Tracer)


def _ranks_traced(x, descending):
    """Stable sort positions by pairwise comparison along the last dim (NaN sorts as the
    largest, as PyTorch): ``(indices, one_hot)``, ``one_hot[..., k, i]`` marking that
    element ``i`` goes to position ``k``. O(n^2) work: used only under a transform,
    where the data is not concrete."""
    n = x.shape[-1]
    a = S.expand_dims(x, (x.ndim,))          # x_i along axis -2
    b = S.expand_dims(x, (x.ndim - 1,))      # x_j along axis -1
    na, nb = fnp.isnan(a), fnp.isnan(b)
    if descending:
        first = (b > a) | (na & ~nb)         # j precedes i
    else:
        first = (b < a) | (nb & ~na)
    same = (b == a) | (na & nb)
    iota = from_host(np.arange(n, dtype=np.int64), _device(x))
    earlier = from_host(np.tri(n, k=-1, dtype=bool), _device(x))   # [i, j]: j < i
    rank = R.reduce_sum(_cast(first | (same & earlier), np.int64), (x.ndim,))   # (..., n) per i
    one_hot = fnp.equal(S.expand_dims(rank, (rank.ndim - 1,)),
                        S.reshape(iota, (n, 1)))                  # (..., k, i)
    indices = R.reduce_sum(fnp.where(one_hot, iota, 0), (x.ndim,))
    return indices


def _argsort_last(x, descending):
    if _is_traced(x):
        return _ranks_traced(x, descending)
    h = _host(x)
    if descending:
        n = h.shape[-1]
        idx = n - 1 - np.flip(np.argsort(np.flip(h, -1), axis=-1, kind="stable"), -1)
    else:
        idx = np.argsort(h, axis=-1, kind="stable")
    return _rewrap(from_host(np.ascontiguousarray(idx, dtype=np.int64), _device(x)), x)


def _sorted(input, dim, descending):
    """``(values, indices)`` of ``input`` sorted along ``dim`` (stable); the values are a
    gather, so the gradient goes back to the indices."""
    x = _arr(input)
    if x.ndim == 0:
        return x, _zero_index(x)
    d = _wrap_dim(dim, x.ndim)
    xm = fnp.moveaxis(x, d, -1) if d != x.ndim - 1 else x
    idx = _argsort_last(xm, descending)
    vals = xm[_grid(idx, xm.ndim - 1)]
    if d != x.ndim - 1:
        vals, idx = fnp.moveaxis(vals, -1, d), fnp.moveaxis(idx, -1, d)
    return vals, idx


def sort(input, dim: int = -1, descending: bool = False, stable: bool = False):
    """``(values, indices)`` sorted along ``dim`` (NaN last; always stable here).

    >>> import fgrad.numpy as fnp
    >>> sort(fnp.asarray([3.0, 1.0, 2.0])).indices
    Array([1, 2, 0])
    """
    return return_types.sort(*_sorted(input, dim, descending))


def argsort(input, dim: int = -1, descending: bool = False, stable: bool = False):
    """The indices that sort ``input`` along ``dim``.

    >>> import fgrad.numpy as fnp
    >>> argsort(fnp.asarray([3.0, 1.0, 2.0]), descending=True)
    Array([0, 2, 1])
    """
    return _sorted(input, dim, descending)[1]


def topk(input, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):
    """The ``k`` largest (``largest=False``: smallest) entries along ``dim`` and their indices.

    >>> import fgrad.numpy as fnp
    >>> topk(fnp.asarray([3.0, 1.0, 2.0]), 2).values
    Array([3., 2.])
    """
    x = _arr(input)
    n = x.shape[_wrap_dim(dim, x.ndim)] if x.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError("selected index k out of range")
    vals, idx = _sorted(x, dim, largest)
    if x.ndim == 0:
        return return_types.topk(vals, idx)
    d = _wrap_dim(dim, x.ndim)
    return return_types.topk(S.slice_axis(vals, d, 0, k), S.slice_axis(idx, d, 0, k))


def kthvalue(input, k: int, dim: int = -1, keepdim: bool = False):
    """The ``k``-th smallest entry (1-based) along ``dim`` and its index.

    >>> import fgrad.numpy as fnp
    >>> kthvalue(fnp.asarray([3.0, 1.0, 2.0]), 2)
    fgrad.return_types.kthvalue(
    values=Array(2.),
    indices=Array(2))
    """
    x = _arr(input)
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d] if x.ndim else 1
    if not 1 <= k <= n:
        raise IndexError(f"kthvalue(): selected number k out of range for dimension {d}")
    vals, idx = _sorted(x, d, False)
    if x.ndim == 0:
        return return_types.kthvalue(vals, idx)
    v, i = S.slice_axis(vals, d, k - 1, k), S.slice_axis(idx, d, k - 1, k)
    if not keepdim:
        v, i = S.squeeze(v, (d,)), S.squeeze(i, (d,))
    return return_types.kthvalue(v, i)


def median(input, dim=None, keepdim: bool = False):
    """The lower median: without ``dim`` a value (NaN if any; ties share the gradient),
    with ``dim`` ``(values, indices)`` (the gradient goes to the index), as PyTorch.

    >>> import fgrad.numpy as fnp
    >>> median(fnp.asarray([1.0, 2.0, 3.0, 4.0]))
    Array(2.)
    """
    x = _arr(input)
    if dim is None:
        if _numel(x) == 0:
            return fnp.sum(x) * np.nan
        flat = ravel(x)
        vals, _ = _sorted(fnp.stop_gradient(flat), 0, False)
        m = S.squeeze(S.slice_axis(vals, 0, (_numel(x) - 1) // 2, (_numel(x) - 1) // 2 + 1), (0,))
        hit = flat == m
        # m + (sum of the tied entries - their count * m) / count: the value is m exactly,
        # the gradient is split evenly between the tied entries
        share = R.reduce_sum(fnp.where(hit, flat - m, 0), (0,)) / R.reduce_sum(
            _cast(hit, _dt(flat)), (0,))
        out = m + share
        return fnp.where(fnp.any(fnp.isnan(flat)), np.nan, out) if _dt(x).kind in "fc" else out
    r = kthvalue(x, (x.shape[_wrap_dim(dim, x.ndim)] + 1) // 2 if x.ndim else 1, dim, keepdim)
    return return_types.median(*r)


def mode(input, dim: int = -1, keepdim: bool = False):
    """The most frequent value along ``dim`` (the smallest of equally frequent ones) and
    the index of its last occurrence. O(n^2) comparisons per row.

    >>> import fgrad.numpy as fnp
    >>> mode(fnp.asarray([1.0, 2.0, 2.0, 3.0, 3.0])).indices
    Array(2)
    """
    x = _arr(input)
    if x.ndim == 0:
        return return_types.mode(x, _zero_index(x))
    d = _wrap_dim(dim, x.ndim)
    xm = fnp.moveaxis(x, d, -1) if d != x.ndim - 1 else x
    n = xm.shape[-1]
    eqm = fnp.equal(S.expand_dims(xm, (xm.ndim,)), S.expand_dims(xm, (xm.ndim - 1,)))
    count = R.reduce_sum(_cast(eqm, np.int64), (xm.ndim,))
    best = fnp.equal(count, S.expand_dims(amax(count, -1), (count.ndim - 1,)))
    dt = _dt(xm)
    big = np.inf if dt.kind in "fc" else (np.iinfo(dt).max if dt.kind in "iu" else True)
    value = amin(fnp.where(best, fnp.stop_gradient(xm), big), -1)
    iota = from_host(np.arange(n, dtype=np.int64), _device(x))
    idx = amax(fnp.where(fnp.equal(xm, S.expand_dims(value, (value.ndim,))), iota, -1), -1)
    idx_k = S.expand_dims(idx, (idx.ndim,))
    vals = _pick(xm, idx_k, xm.ndim - 1)
    if keepdim:
        vals, idx = S.expand_dims(vals, (d,)), S.expand_dims(idx, (d,))
    return return_types.mode(vals, idx)


__all__ = public_names(globals(), __name__)
