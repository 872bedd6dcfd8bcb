"""Shape ops with PyTorch's semantics: ``reshape view permute squeeze cat stack split
chunk flip roll`` ...
"""
from __future__ import annotations

import numpy as np
from ... import numpy as fnp
from ...primitives import shape as S
from ..promotion import _arr, _dt, _promote, _py_max, _py_min, _py_sum
from ._common import public_names, _dims, _dtype_name, _numel, _sizes, _wrap_dim


def reshape(input, *shape):
    """``input`` with a new shape (one entry may be -1), as ``torch.reshape``.

    >>> import fgrad.numpy as fnp
    >>> reshape(fnp.arange(6), (2, -1)).shape
    (2, 3)
    """
    x = _arr(input)
    shape = _sizes(shape)
    try:
        new = S._normalize_shape(shape, _numel(x), old_shape=x.shape)
    except ValueError:
        raise RuntimeError(f"shape '[{', '.join(map(str, shape))}]' is invalid for input of "
                           f"size {_numel(x)}") from None
    return S.reshape(x, new)


def reshape_as(input, other):
    """``input`` reshaped to ``other.shape``.

    >>> import fgrad.numpy as fnp
    >>> reshape_as(fnp.arange(4), fnp.zeros((2, 2))).shape
    (2, 2)
    """
    return reshape(input, tuple(other.shape))


def flatten(input, start_dim: int = 0, end_dim: int = -1):
    """Dims ``start_dim..end_dim`` merged into one (a 0-d input gives 1 element).

    >>> import fgrad.numpy as fnp
    >>> flatten(fnp.zeros((2, 3, 4)), 1).shape
    (2, 12)
    """
    x = _arr(input)
    if x.ndim == 0:
        return S.reshape(x, (1,))
    s, e = _wrap_dim(start_dim, x.ndim), _wrap_dim(end_dim, x.ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    shape = tuple(x.shape)
    merged = int(np.prod(shape[s:e + 1], dtype=np.int64))
    return S.reshape(x, shape[:s] + (merged,) + shape[e + 1:])


def ravel(input):
    """``input`` as 1-D.

    >>> import fgrad.numpy as fnp
    >>> ravel(fnp.zeros((2, 3))).shape
    (6,)
    """
    x = _arr(input)
    return S.reshape(x, (_numel(x),))


def unflatten(input, dim: int, sizes):
    """Dim ``dim`` split into ``sizes`` (one may be -1).

    >>> import fgrad.numpy as fnp
    >>> unflatten(fnp.zeros((2, 12)), 1, (3, -1)).shape
    (2, 3, 4)
    """
    x = _arr(input)
    d = _wrap_dim(dim, x.ndim)
    sizes = S._normalize_shape(tuple(sizes), x.shape[d], "unflatten", (x.shape[d],))
    return S.reshape(x, tuple(x.shape[:d]) + sizes + tuple(x.shape[d + 1:]))


def squeeze(input, dim=None):
    """Size-1 dims removed (only ``dim``, an int or tuple, if given; other sizes are kept).

    >>> import fgrad.numpy as fnp
    >>> squeeze(fnp.zeros((2, 1, 1)), 1).shape
    (2, 1)
    """
    x = _arr(input)
    axes = range(x.ndim) if dim is None else _dims(dim, x.ndim) if not (
        isinstance(dim, (tuple, list)) and len(dim) == 0) else ()
    if x.ndim == 0:
        return x
    return S.squeeze(x, tuple(a for a in axes if x.shape[a] == 1))


def unsqueeze(input, dim: int):
    """A size-1 dim inserted at ``dim`` (in ``[-ndim-1, ndim]``).

    >>> import fgrad.numpy as fnp
    >>> unsqueeze(fnp.zeros((2, 3)), -1).shape
    (2, 3, 1)
    """
    x = _arr(input)
    d = _wrap_dim(dim, x.ndim + 1)
    return S.expand_dims(x, (d,))


def permute(input, *dims):
    """Dims reordered: output dim ``i`` is input dim ``dims[i]``.

    >>> import fgrad.numpy as fnp
    >>> permute(fnp.zeros((2, 3, 4)), 2, 0, 1).shape
    (4, 2, 3)
    """
    x = _arr(input)
    dims = tuple(_wrap_dim(d, x.ndim) for d in _sizes(dims))
    if len(dims) != x.ndim:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does "
                           f"not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {x.ndim} is not equal to len(dims) = {len(dims)}")
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return S.transpose(x, dims)


def transpose(input, dim0: int, dim1: int):
    """Dims ``dim0`` and ``dim1`` swapped.

    >>> import fgrad.numpy as fnp
    >>> transpose(fnp.zeros((2, 3, 4)), 0, 2).shape
    (4, 3, 2)
    """
    x = _arr(input)
    if x.ndim == 0:
        _wrap_dim(dim0, 0), _wrap_dim(dim1, 0)
        return x
    a, b = _wrap_dim(dim0, x.ndim), _wrap_dim(dim1, x.ndim)
    perm = list(range(x.ndim))
    perm[a], perm[b] = perm[b], perm[a]
    return S.transpose(x, perm)


swapaxes = swapdims = transpose


def t(input):
    """The transpose of a matrix (vectors and scalars unchanged).

    >>> import fgrad.numpy as fnp
    >>> t(fnp.zeros((2, 3))).shape
    (3, 2)
    """
    x = _arr(input)
    if x.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {x.ndim}D")
    return transpose(x, 0, 1) if x.ndim == 2 else x


def movedim(input, source, destination):
    """Dims ``source`` moved to positions ``destination`` (ints or sequences).

    >>> import fgrad.numpy as fnp
    >>> movedim(fnp.zeros((2, 3, 4)), 0, -1).shape
    (3, 4, 2)
    """
    x = _arr(input)
    src = [_wrap_dim(s, x.ndim) for s in ((source,) if isinstance(source, int) else source)]
    dst = [_wrap_dim(d, x.ndim) for d in ((destination,) if isinstance(destination, int)
                                          else destination)]
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({src} dims) "
                           f"should contain the same number of dims as destination ({dst} dims)")
    return fnp.moveaxis(x, src, dst) if x.ndim else x


moveaxis = movedim


def expand(input, *sizes):
    """``input`` broadcast to ``sizes`` (-1 keeps a dim; new dims go in front).

    >>> import fgrad.numpy as fnp
    >>> expand(fnp.zeros((3, 1)), 2, -1, 4).shape
    (2, 3, 4)
    """
    x = _arr(input)
    sizes = _sizes(sizes)
    if len(sizes) < x.ndim:
        raise RuntimeError(f"expand(torch.{_dtype_name(_dt(x))}Tensor{{[{', '.join(map(str, x.shape))}]}}, "
                           f"size=[{', '.join(map(str, sizes))}]): the number of sizes provided "
                           f"({len(sizes)}) must be greater or equal to the number of dimensions "
                           f"in the tensor ({x.ndim})")
    lead = len(sizes) - x.ndim
    out = []
    for i, s in enumerate(sizes):
        if i < lead:
            if s < 0:
                raise RuntimeError(f"The expanded size of the tensor ({s}) isn't allowed in a "
                                   f"leading, non-existing dimension {i}")
            out.append(s)
            continue
        have = x.shape[i - lead]
        if s == -1:
            s = have
        elif have != 1 and s != have:
            raise RuntimeError(
                f"The expanded size of the tensor ({s}) must match the existing size ({have}) at "
                f"non-singleton dimension {i}.  Target sizes: [{', '.join(map(str, sizes))}].  "
                f"Tensor sizes: [{', '.join(map(str, x.shape))}]")
        out.append(s)
    return S.broadcast_to(x, tuple(out))


def expand_as(input, other):
    """``input`` expanded to ``other.shape``.

    >>> import fgrad.numpy as fnp
    >>> expand_as(fnp.zeros(3), fnp.zeros((2, 3))).shape
    (2, 3)
    """
    return expand(input, tuple(other.shape))


def broadcast_to(input, size):
    """``input`` broadcast to ``size`` (as ``expand``).

    >>> import fgrad.numpy as fnp
    >>> broadcast_to(fnp.zeros(3), (2, 3)).shape
    (2, 3)
    """
    return expand(input, tuple(size))


def repeat(input, *sizes):
    """``input`` tiled ``sizes`` times per dim (PyTorch's ``Tensor.repeat``: NumPy's tile;
    ``sizes`` may add leading dims, never fewer than ``input.dim()``).

    >>> import fgrad.numpy as fnp
    >>> repeat(fnp.asarray([1, 2]), 2, 2)
    Array([[1, 2, 1, 2],
           [1, 2, 1, 2]])
    """
    x = _arr(input)
    sizes = _sizes(sizes)
    if len(sizes) < x.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    return fnp.tile(x, sizes)


def tile(input, dims):
    """``input`` repeated ``dims`` times per dim (missing leading entries are 1).

    >>> import fgrad.numpy as fnp
    >>> tile(fnp.asarray([[1, 2]]), (2,)).shape
    (1, 4)
    """
    x = _arr(input)
    dims = _sizes((dims,))
    dims = (1,) * (x.ndim - len(dims)) + dims
    return fnp.tile(x, dims)


def flip(input, dims):
    """``input`` reversed along ``dims``.

    >>> import fgrad.numpy as fnp
    >>> flip(fnp.asarray([1, 2, 3]), (0,))
    Array([3, 2, 1])
    """
    x = _arr(input)
    axes = _dims((dims,) if isinstance(dims, int) else dims, x.ndim) if (
        not isinstance(dims, (list, tuple)) or len(dims)) else ()
    return S.flip(x, axes) if axes and x.ndim else x


def fliplr(input):
    """``input`` reversed along dim 1 (at least 2-D).

    >>> import fgrad.numpy as fnp
    >>> fliplr(fnp.asarray([[1, 2]]))
    Array([[2, 1]])
    """
    if input.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


def flipud(input):
    """``input`` reversed along dim 0 (at least 1-D).

    >>> import fgrad.numpy as fnp
    >>> flipud(fnp.asarray([1, 2]))
    Array([2, 1])
    """
    if input.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


def roll(input, shifts, dims=None):
    """Elements rolled by ``shifts`` along ``dims`` (of the flattened input if None).

    >>> import fgrad.numpy as fnp
    >>> roll(fnp.asarray([1, 2, 3]), 1)
    Array([3, 1, 2])
    """
    x = _arr(input)
    if dims is None:
        return fnp.roll(x, shifts if isinstance(shifts, int) else tuple(shifts)[0], None)
    sh = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    ds = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(sh) != len(ds):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(sh)}, dims:{len(ds)}")
    return fnp.roll(x, sh, tuple(_wrap_dim(d, x.ndim) for d in ds))


def narrow(input, dim: int, start: int, length: int):
    """``length`` elements of ``input`` from ``start`` along ``dim``.

    >>> import fgrad.numpy as fnp
    >>> narrow(fnp.arange(5), 0, 1, 3)
    Array([1, 2, 3])
    """
    x = _arr(input)
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    start = int(start)
    if start < 0:
        start += n
    if not 0 <= start <= n or length < 0 or start + length > n:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    return S.slice_axis(x, d, start, start + int(length))


def _seq(tensors, name):
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{name}(): argument 'tensors' must be tuple of Tensors, not "
                        f"{type(tensors).__name__}")
    if not tensors:
        raise RuntimeError(f"{name}(): expected a non-empty list of Tensors")
    _, xs = _promote(*tensors)
    return [_arr(x) for x in xs]


def cat(tensors, dim: int = 0):
    """Tensors joined along an existing ``dim`` (dtypes promoted as PyTorch).

    >>> import fgrad.numpy as fnp
    >>> cat([fnp.zeros((1, 2)), fnp.ones((2, 2))]).shape
    (3, 2)
    """
    xs = _seq(tensors, "cat")
    # PyTorch skips legacy empty 1-D tensors
    kept = [x for x in xs if not (x.ndim == 1 and x.shape[0] == 0)] or xs[:1]
    nd = kept[0].ndim
    if nd == 0:
        raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    d = _wrap_dim(dim, nd)
    for i, x in enumerate(kept):
        if x.ndim != nd:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {nd} and "
                               f"{x.ndim}")
        for a in range(nd):
            if a != d and x.shape[a] != kept[0].shape[a]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. "
                                   f"Expected size {kept[0].shape[a]} but got size "
                                   f"{x.shape[a]} for tensor number {i} in the list.")
    return S.concatenate(kept, d)


concat = concatenate = cat


def stack(tensors, dim: int = 0):
    """Tensors of one shape joined along a new ``dim``.

    >>> import fgrad.numpy as fnp
    >>> stack([fnp.zeros(2), fnp.ones(2)], dim=1).shape
    (2, 2)
    """
    xs = _seq(tensors, "stack")
    for i, x in enumerate(xs):
        if tuple(x.shape) != tuple(xs[0].shape):
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"[{', '.join(map(str, xs[0].shape))}] at entry 0 and "
                               f"[{', '.join(map(str, x.shape))}] at entry {i}")
    d = _wrap_dim(dim, xs[0].ndim + 1)
    return S.concatenate([S.expand_dims(x, (d,)) for x in xs], d)


def hstack(tensors):
    """Tensors joined column-wise (along dim 1, or dim 0 for 1-D).

    >>> import fgrad.numpy as fnp
    >>> hstack([fnp.zeros(2), fnp.ones(3)]).shape
    (5,)
    """
    xs = [S.reshape(x, (1,)) if x.ndim == 0 else x for x in _seq(tensors, "hstack")]
    return cat(xs, 0 if xs[0].ndim == 1 else 1)


def vstack(tensors):
    """Tensors joined row-wise (1-D inputs become rows).

    >>> import fgrad.numpy as fnp
    >>> vstack([fnp.zeros(2), fnp.ones(2)]).shape
    (2, 2)
    """
    xs = [S.reshape(x, (1,) * (2 - x.ndim) + tuple(x.shape)) if x.ndim < 2 else x
          for x in _seq(tensors, "vstack")]
    return cat(xs, 0)


row_stack = vstack


def dstack(tensors):
    """Tensors joined along dim 2 (inputs made at least 3-D).

    >>> import fgrad.numpy as fnp
    >>> dstack([fnp.zeros((2, 2)), fnp.ones((2, 2))]).shape
    (2, 2, 2)
    """
    return cat([fnp.atleast_3d(x) for x in _seq(tensors, "dstack")], 2)


def split(tensor, split_size_or_sections, dim: int = 0):
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or of the listed
    sizes (which must add up to the dim).

    >>> import fgrad.numpy as fnp
    >>> [p.shape for p in split(fnp.arange(5), 2)]
    [(2,), (2,), (1,)]
    """
    x = _arr(tensor)
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    if isinstance(split_size_or_sections, (int, np.integer)):
        k = int(split_size_or_sections)
        if k <= 0 and n:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                               f"dimension size of {n}")
        sizes = [k] * (n // k) + ([n % k] if n % k else []) if k else [0]
    else:
        sizes = [int(s) for s in split_size_or_sections]
        if _py_sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} "
                               f"(input tensor's size at dimension {d}), but got "
                               f"split_sizes=[{', '.join(map(str, sizes))}]")
    out, lo = [], 0
    for s in sizes:
        out.append(S.slice_axis(x, d, lo, lo + s))
        lo += s
    return tuple(out)


def chunk(input, chunks: int, dim: int = 0):
    """At most ``chunks`` pieces of ``ceil(n / chunks)`` along ``dim``.

    >>> import fgrad.numpy as fnp
    >>> [p.shape for p in chunk(fnp.arange(5), 3)]
    [(2,), (2,), (1,)]
    """
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    x = _arr(input)
    n = x.shape[_wrap_dim(dim, x.ndim)]
    return split(x, _py_max(-(-n // chunks), 1), dim)


def tensor_split(input, indices_or_sections, dim: int = 0):
    """``chunks`` nearly equal pieces (the first ``n % chunks`` one longer), or pieces
    cut at the given indices.

    >>> import fgrad.numpy as fnp
    >>> [p.shape for p in tensor_split(fnp.arange(5), 3)]
    [(2,), (2,), (1,)]
    """
    x = _arr(input)
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    if isinstance(indices_or_sections, (int, np.integer)):
        k = int(indices_or_sections)
        sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
        bounds = np.cumsum([0] + sizes).tolist()
    else:
        bounds = [0] + [_py_min(_py_max(int(i), 0), n) for i in indices_or_sections] + [n]
    return tuple(S.slice_axis(x, d, lo, _py_max(lo, hi)) for lo, hi in zip(bounds[:-1], bounds[1:]))


def unbind(input, dim: int = 0):
    """The slices of ``input`` along ``dim``, that dim removed.

    >>> import fgrad.numpy as fnp
    >>> [p.shape for p in unbind(fnp.zeros((2, 3)), 1)]
    [(2,), (2,), (2,)]
    """
    x = _arr(input)
    d = _wrap_dim(dim, x.ndim)
    return tuple(S.squeeze(S.slice_axis(x, d, i, i + 1), (d,)) for i in range(x.shape[d]))


__all__ = public_names(globals(), __name__)
