"""Indexing ops with PyTorch's semantics: ``gather scatter index_select masked_fill
where take`` ...
"""
from __future__ import annotations

import numpy as np
from ... import numpy as fnp
from ...primitives import binary as B, shape as S
from ...primitives.creation import from_host
from ..promotion import _arr, _cast, _dt, _is_number, _promote
from ._common import (public_names, unwrap_index, _device, _dtype_name, _grid, _host, _rewrap,
                      _wrap_dim)
from .shape import ravel


def where(condition, input=None, other=None):
    """``input`` where ``condition`` else ``other`` (PyTorch promotion); one argument:
    ``nonzero(condition, as_tuple=True)``.

    >>> import fgrad.numpy as fnp
    >>> where(fnp.asarray([True, False]), fnp.asarray([1, 2]), 2.5)
    Array([1. , 2.5], dtype=float32)
    """
    if input is None and other is None:
        return nonzero(condition, as_tuple=True)
    if _dt(condition) != np.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {_dtype_name(_dt(condition))}")
    _, (a, b) = _promote(input, other)
    return fnp.where(_arr(condition), a, b)


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Each element repeated ``repeats`` times along ``dim`` (flattened if None);
    ``repeats`` an int or a 1-D tensor of counts.

    >>> import fgrad.numpy as fnp
    >>> repeat_interleave(fnp.asarray([1, 2]), 2)
    Array([1, 1, 2, 2])
    """
    x = _arr(input)
    if repeats is None:      # repeat_interleave(repeats): indices repeated by themselves
        counts = _host(x).astype(np.int64)
        return _rewrap(from_host(np.repeat(np.arange(len(counts)), counts), _device(x)), x)
    if dim is None:
        x, d = ravel(x), 0
    else:
        d = _wrap_dim(dim, x.ndim)
    if _is_number(repeats) or len(getattr(repeats, "shape", (0,))) == 0 and not isinstance(
            repeats, (list, tuple)):
        r = int(repeats)
        b = S.expand_dims(x, (d + 1,))
        shape = list(b.shape)
        shape[d + 1] = r
        out = list(x.shape)
        out[d] *= r
        return S.reshape(S.broadcast_to(b, shape), out)
    counts = np.asarray(repeats if isinstance(repeats, (list, tuple)) else _host(repeats),
                        dtype=np.int64).reshape(-1)
    if counts.size == 1:
        return repeat_interleave(x, int(counts[0]), d)
    if counts.size != x.shape[d]:
        raise RuntimeError("repeats must have the same size as input along dim, but got "
                           f"repeats.size(0) = {counts.size} and input.size({d}) = {x.shape[d]}")
    idx = from_host(np.repeat(np.arange(x.shape[d]), counts), _device(x))
    return index_select(x, d, idx)


# ========================================================== indexing ====
def _check_index(name, index, allowed=("i",)):
    if _is_number(index) or _dt(index).kind not in "iu":
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")


def _check_gather(name, x, dim, index, src=None):
    if len(index.shape) != x.ndim and not (x.ndim == 0 and len(index.shape) <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for a in range(x.ndim):
        if a != dim and index.shape[a] > x.shape[a]:
            raise RuntimeError(f"Size does not match at dimension {a} expected index "
                               f"[{', '.join(map(str, index.shape))}] to be no larger than self "
                               f"[{', '.join(map(str, x.shape))}] apart from dimension {dim}")
        if src is not None and not _is_number(src) and index.shape[a] > src.shape[a]:
            raise RuntimeError(f"Size does not match at dimension {a} expected index "
                               f"[{', '.join(map(str, index.shape))}] to be no larger than src "
                               f"[{', '.join(map(str, src.shape))}] apart from dimension {dim}")


def gather(input, dim: int, index, *, sparse_grad: bool = False):
    """``out[i][j] = input[index[i][j]][j]`` for ``dim=0`` (and alike for other dims);
    ``index`` may be smaller than ``input`` off ``dim``.

    >>> import fgrad.numpy as fnp
    >>> gather(fnp.asarray([[1, 2], [3, 4]]), 1, fnp.asarray([[0, 0], [1, 0]]))
    Array([[1, 1],
           [4, 3]])
    """
    x, index = _arr(input), _arr(index)
    _check_index("gather", index)
    d = _wrap_dim(dim, x.ndim)
    _check_gather("gather", x, d, index)
    return x[_grid(index, d)] if x.ndim else x


def _scatter(name, input, dim, index, src, mode):
    x, index = _arr(input), _arr(index)
    _check_index(name, index)
    d = _wrap_dim(dim, x.ndim)
    _check_gather(name, x, d, index, src)
    if _is_number(src):
        v = _cast(_arr(src), _dt(x))
    else:
        v = _cast(src, _dt(x))
        if tuple(v.shape) != tuple(index.shape):
            v = v[tuple(slice(0, s) for s in index.shape)]
    op = {"amax": "max", "amin": "min"}.get(mode, mode)   # x.at[...] that raises out of bounds
    return fnp._update(x, unwrap_index(_grid(index, d)), v, op, "raise")


def scatter(input, dim: int, index, src=None, *, value=None, reduce: str | None = None):
    """A copy of ``input`` with ``out[index[i][j]][j] = src[i][j]`` (dim 0; ``src`` may be a
    number); ``reduce='add'`` or ``'multiply'`` combines instead of writing.

    >>> import fgrad.numpy as fnp
    >>> scatter(fnp.zeros((2, 2)), 0, fnp.asarray([[1, 0]]), fnp.asarray([[5.0, 6.0]]))
    Array([[0., 6.],
           [5., 0.]])
    """
    if src is None:
        src = value
    mode = {None: "set", "add": "add", "multiply": "multiply"}.get(reduce)
    if mode is None:
        raise RuntimeError(f"reduce argument must be either add or multiply, got {reduce}")
    return _scatter("scatter", input, dim, index, src, mode)


def scatter_add(input, dim: int, index, src):
    """A copy of ``input`` with ``src`` added at ``index`` along ``dim`` (duplicates add up).

    >>> import fgrad.numpy as fnp
    >>> scatter_add(fnp.zeros(3), 0, fnp.asarray([0, 0, 2]), fnp.asarray([1.0, 2.0, 3.0]))
    Array([3., 0., 3.])
    """
    return _scatter("scatter_add", input, dim, index, src, "add")


def scatter_reduce(input, dim: int, index, src, reduce: str, *, include_self: bool = True):
    """``scatter`` combining with ``reduce`` in ``'sum' 'prod' 'amax' 'amin'``
    (``include_self=False`` is not supported).

    >>> import fgrad.numpy as fnp
    >>> scatter_reduce(fnp.zeros(2), 0, fnp.asarray([0, 0]), fnp.asarray([1.0, 3.0]), 'amax')
    Array([3., 0.])
    """
    if not include_self:
        raise NotImplementedError("scatter_reduce: include_self=False is not supported")
    mode = {"sum": "add", "prod": "multiply", "amax": "amax", "amin": "amin"}.get(reduce)
    if mode is None:
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got "
                           f"{reduce}")
    return _scatter("scatter_reduce", input, dim, index, src, mode)


def index_select(input, dim: int, index):
    """The entries of ``input`` at ``index`` (a vector of ints) along ``dim``.

    >>> import fgrad.numpy as fnp
    >>> index_select(fnp.asarray([[1, 2], [3, 4]]), 0, fnp.asarray([1, 1]))
    Array([[3, 4],
           [3, 4]])
    """
    x, index = _arr(input), _arr(index)
    if len(index.shape) > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if _dt(index).kind not in "iu":
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    d = _wrap_dim(dim, x.ndim)
    if x.ndim == 0:
        return x
    idx = S.reshape(index, (1,)) if len(index.shape) == 0 else index
    return x[(slice(None),) * d + (idx,)]


def masked_select(input, mask):
    """The entries of ``input`` where ``mask`` (broadcast together) holds, as a 1-D tensor.

    >>> import fgrad.numpy as fnp
    >>> masked_select(fnp.asarray([[1, 2], [3, 4]]), fnp.asarray([True, False]))
    Array([1, 3])
    """
    x, mask = _arr(input), _arr(mask)
    if _dt(mask) != np.bool_:
        raise RuntimeError(f"masked_select: expected BoolTensor for mask")
    shape = B.broadcast_shapes("masked_select", tuple(x.shape), tuple(mask.shape))
    return S.broadcast_to(x, shape)[S.broadcast_to(mask, shape)]


def masked_fill(input, mask, value):
    """A copy of ``input`` with ``value`` (a number or 0-d tensor, cast to ``input``'s
    dtype) where ``mask`` holds.

    >>> import fgrad.numpy as fnp
    >>> masked_fill(fnp.asarray([1.0, 2.0]), fnp.asarray([True, False]), 0.5)
    Array([0.5, 2. ])
    """
    x, mask = _arr(input), _arr(mask)
    if _dt(mask) != np.bool_:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{_dt(mask)}")
    if not _is_number(value) and len(value.shape):
        raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got "
                           f"tensor with {len(value.shape)} dimension(s).")
    dt = _dt(x)
    v = _cast(_arr(value, dt) if _is_number(value) and dt.kind in "biu" else value, dt)
    return fnp.where(mask, v, x)


def nonzero(input, *, as_tuple: bool = False):
    """Indices of the nonzero entries: an ``(n, ndim)`` int64 tensor, or with ``as_tuple``
    one 1-D tensor per dim.

    >>> import fgrad.numpy as fnp
    >>> nonzero(fnp.asarray([[0, 1], [2, 0]]))
    Array([[0, 1],
           [1, 0]])
    """
    h = _host(input)
    dev = _device(input)
    if h.ndim == 0:
        h1 = np.nonzero(h.reshape(1))[0]
        if as_tuple:
            return (_rewrap(from_host(h1.astype(np.int64), dev), input),)
        return _rewrap(from_host(np.zeros((h1.size, 0), np.int64), dev), input)
    idx = [i.astype(np.int64) for i in np.nonzero(h)]
    if as_tuple:
        return tuple(_rewrap(from_host(i, dev), input) for i in idx)
    return _rewrap(from_host(np.stack(idx, axis=1) if idx else np.zeros((0, 0), np.int64),
                             dev), input)


argwhere = nonzero


def take(input, index):
    """``input`` treated as 1-D, at ``index`` (the result has ``index``'s shape).

    >>> import fgrad.numpy as fnp
    >>> take(fnp.asarray([[1, 2], [3, 4]]), fnp.asarray([0, 3]))
    Array([1, 4])
    """
    x, index = _arr(input), _arr(index)
    return ravel(x)[index]


def take_along_dim(input, indices, dim=None):
    """``input`` at ``indices`` along ``dim`` (both broadcast off ``dim``); of the flattened
    input when ``dim`` is None.

    >>> import fgrad.numpy as fnp
    >>> take_along_dim(fnp.asarray([[1, 5], [7, 2]]), fnp.asarray([[1], [0]]), 1)
    Array([[5],
           [7]])
    """
    x, idx = _arr(input), _arr(indices)
    if dim is None:
        return ravel(x)[ravel(idx)]
    d = _wrap_dim(dim, x.ndim)
    xs, ids = list(x.shape), list(idx.shape)
    xs[d] = ids[d] = 1
    shape = B.broadcast_shapes("take_along_dim", tuple(xs), tuple(ids))
    xb = S.broadcast_to(x, shape[:d] + (x.shape[d],) + shape[d + 1:])
    ib = S.broadcast_to(idx, shape[:d] + (idx.shape[d],) + shape[d + 1:])
    return xb[_grid(ib, d)]


__all__ = public_names(globals(), __name__)
