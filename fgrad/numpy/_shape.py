"""Shape manipulation for ``fgrad.numpy``: compositions of the shape primitives."""
from __future__ import annotations

import math

import numpy as np

from .. import errors
from ..primitives import shape as S, binary as B, unary as U
from ..primitives.creation import from_host
from ..transforms.core import bind
from ._core import _size, asarray, _check_stackable
from .._axes import (normalize_axes, normalize_axis, normalize_distinct,
                     normalize_permutation, axis_tuple)
from ._indexing import take


def reshape(a, newshape=None, order="C", *, shape=None):
    """``a`` with a new shape (one entry may be -1), as ``numpy.reshape``.

    >>> import fgrad.numpy as fnp
    >>> fnp.reshape(fnp.arange(6), (2, -1)).shape
    (2, 3)
    """
    if order != "C":
        raise NotImplementedError("reshape: only order='C' is supported")
    a = asarray(a)
    newshape = shape if newshape is None else newshape
    if isinstance(newshape, (int, np.integer)):
        newshape = (int(newshape),)
    return S.reshape(a, S._normalize_shape(newshape, math.prod(a.shape), old_shape=a.shape))


def ravel(a):
    a = asarray(a)
    return S.reshape(a, (_size(a),))


def transpose(a, axes=None):
    """Permute axes (reverse them by default)."""
    a = asarray(a)
    if axes is None:
        axes = tuple(range(a.ndim))[::-1]
    return S.transpose(a, normalize_permutation(axes, a.ndim, "transpose"))


def permute_dims(a, axes):
    return transpose(a, axes)


def swapaxes(a, axis1, axis2):
    a = asarray(a)
    perm = list(range(a.ndim))
    i = normalize_axis(axis1, a.ndim, "swapaxes", "axis1")
    j = normalize_axis(axis2, a.ndim, "swapaxes", "axis2")
    perm[i], perm[j] = perm[j], perm[i]
    return S.transpose(a, perm)


def moveaxis(a, source, destination):
    a = asarray(a)
    src = normalize_distinct(source, a.ndim, "moveaxis", "source")
    dst = normalize_distinct(destination, a.ndim, "moveaxis", "destination")
    if len(src) != len(dst):
        raise ValueError("moveaxis: source and destination must have the same number of axes")
    order = [n for n in range(a.ndim) if n not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return S.transpose(a, order)


def expand_dims(a, axis):
    a = asarray(a)
    axes = axis_tuple(axis, "expand_dims")
    nd = a.ndim + len(axes)
    axes = tuple(normalize_axis(ax, nd, "expand_dims") for ax in axes)
    if len(set(axes)) != len(axes):
        raise ValueError(f"expand_dims: repeated axis in axis={axis!r}")
    return S.expand_dims(a, axes)


def squeeze(a, axis=None):
    a = asarray(a)
    if axis is None:
        axes = tuple(i for i, d in enumerate(a.shape) if d == 1)
    else:
        axes = normalize_axes(axis, a.ndim, "squeeze")
        for ax in axes:
            if a.shape[ax] != 1:
                raise ValueError(f"squeeze: cannot select an axis to squeeze out which has size "
                                 f"not equal to one (axis {ax} of shape {a.shape})")
    return S.squeeze(a, axes)


def broadcast_to(a, shape):
    a = asarray(a)
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    return S.broadcast_to(a, shape)


def broadcast_arrays(*args):
    arrs = [asarray(a) for a in args]
    shape = B.broadcast_shapes("broadcast_arrays", *[a.shape for a in arrs])
    return [S.broadcast_to(a, shape) for a in arrs]


def broadcast_shapes(*shapes):
    return B.broadcast_shapes("broadcast_shapes", *shapes)


def atleast_1d(*arys):
    out = [reshape(a, (1,)) if asarray(a).ndim == 0 else asarray(a) for a in arys]
    return out[0] if len(out) == 1 else out


def atleast_2d(*arys):
    out = []
    for a in arys:
        a = asarray(a)
        out.append(S.reshape(a, (1,) * (2 - a.ndim) + a.shape) if a.ndim < 2 else a)
    return out[0] if len(out) == 1 else out


def atleast_3d(*arys):
    out = []
    for a in arys:
        a = asarray(a)
        if a.ndim == 0:
            a = S.reshape(a, (1, 1, 1))
        elif a.ndim == 1:
            a = S.reshape(a, (1, a.shape[0], 1))
        elif a.ndim == 2:
            a = S.reshape(a, a.shape + (1,))
        out.append(a)
    return out[0] if len(out) == 1 else out


def concatenate(arrays, axis=0, dtype=None):
    """Join arrays along an existing axis (``axis=None`` flattens first)."""
    arrs = [asarray(a) for a in arrays]
    if not arrs:
        raise ValueError("need at least one array to concatenate")
    if axis is None:
        arrs = [ravel(a) for a in arrs]
        axis = 0
    nd = arrs[0].ndim
    if nd == 0:
        raise ValueError("zero-dimensional arrays cannot be concatenated")
    for a in arrs:
        if a.ndim != nd:
            raise ValueError(f"concatenate: all the input arrays must have the same number of "
                             f"dimensions, but got shapes {[x.shape for x in arrs]}")
    axis = normalize_axes(axis, nd, "concatenate")[0]
    if dtype is not None:
        arrs = [U.convert(a, dtype) for a in arrs]
    return S.concatenate(arrs, axis)


concat = concatenate


def stack(arrays, axis=0):
    """Join arrays along a new axis."""
    arrs = [asarray(a) for a in arrays]
    if not arrs:
        raise ValueError("need at least one array to stack")
    _check_stackable(arrs)
    axis = normalize_axis(axis, arrs[0].ndim + 1, "stack")
    return S.concatenate([S.expand_dims(a, (axis,)) for a in arrs], axis)


def vstack(tup):
    return concatenate([atleast_2d(a) for a in tup], axis=0)


def hstack(tup):
    arrs = [atleast_1d(a) for a in tup]
    return concatenate(arrs, axis=0 if arrs[0].ndim == 1 else 1)


def dstack(tup):
    return concatenate([atleast_3d(a) for a in tup], axis=2)


def column_stack(tup):
    arrs = [asarray(a) for a in tup]
    arrs = [S.reshape(a, (a.shape[0], 1)) if a.ndim == 1 else a for a in arrs]
    return concatenate(arrs, axis=1)


def split(ary, indices_or_sections, axis=0):
    """Split into equal sections or at the given indices (static)."""
    a = asarray(ary)
    axis = normalize_axis(axis, a.ndim, "split")
    n = a.shape[axis]
    if isinstance(indices_or_sections, (int, np.integer)):
        k = int(indices_or_sections)
        if k <= 0:
            raise ValueError(f"split: number of sections must be larger than 0, got {k}")
        if n % k:
            raise ValueError(f"split: array split does not result in an equal division "
                             f"({n} elements along axis {axis} into {k} sections)")
        bounds = [i * (n // k) for i in range(k + 1)]
    else:
        bounds = [0] + [int(i) for i in indices_or_sections] + [n]
    return [S.slice_axis(a, axis, builtins_min(max(lo, 0), n), builtins_min(max(hi, lo, 0), n))
            for lo, hi in zip(bounds[:-1], bounds[1:])]


def array_split(ary, indices_or_sections, axis=0):
    a = asarray(ary)
    n = a.shape[normalize_axis(axis, a.ndim, "array_split")]
    if isinstance(indices_or_sections, (int, np.integer)):
        k = int(indices_or_sections)
        if k <= 0:
            raise ValueError(f"array_split: number of sections must be larger than 0, got {k}")
        sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
        bounds = np.cumsum(sizes)[:-1].tolist()
        return split(a, bounds, axis)
    return split(a, indices_or_sections, axis)


def builtins_min(a, b):
    return a if a < b else b


def flip(m, axis=None):
    m = asarray(m)
    axes = normalize_axes(axis, m.ndim, "flip")
    return S.flip(m, axes) if axes else m


def fliplr(m):
    return flip(m, 1)


def flipud(m):
    return flip(m, 0)


def roll(a, shift, axis=None):
    """Roll elements along ``axis`` (flattened if None): two slices and a concatenation."""
    a = asarray(a)
    if axis is None:
        return reshape(roll(ravel(a), shift, 0), a.shape)
    shifts = (shift,) if isinstance(shift, int) else tuple(shift)
    axes = tuple(normalize_axis(ax, a.ndim, "roll") for ax in axis_tuple(axis, "roll"))
    if len(shifts) == 1 and len(axes) > 1:
        shifts = shifts * len(axes)
    if len(shifts) != len(axes):
        raise ValueError(f"roll: shift and axis must have the same length, got {len(shifts)} "
                         f"shifts and {len(axes)} axes")
    for s, ax in zip(shifts, axes):
        n = a.shape[ax]
        if n == 0:
            continue
        s %= n
        if s:
            a = S.concatenate([S.slice_axis(a, ax, n - s, n), S.slice_axis(a, ax, 0, n - s)], ax)
    return a


def pad(array, pad_width, mode="constant", constant_values=0):
    """Pad with a constant (``mode='constant'``), or by ``'edge'``/``'reflect'``/``'wrap'``."""
    a = asarray(array)
    if a.ndim == 0:   # as NumPy: nothing to pad
        return a
    pw = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (a.ndim, 2)).tolist()
    if any(v < 0 for p in pw for v in p):
        raise ValueError(f"pad: negative pad_width {pad_width}")
    if mode == "constant":
        cv = constant_values
        if isinstance(cv, (tuple, list)) or getattr(cv, "ndim", 0) > 0:
            cvs = np.broadcast_to(np.asarray(cv), (a.ndim, 2))
            for ax in range(a.ndim):
                for side in (0, 1):
                    cfg = [(0, 0, 0)] * a.ndim
                    cfg[ax] = (pw[ax][0], 0, 0) if side == 0 else (0, pw[ax][1], 0)
                    if cfg[ax] != (0, 0, 0):
                        a = S.pad(a, cvs[ax][side].item(), cfg)
            return a
        return S.pad(a, cv, [(lo, hi, 0) for lo, hi in pw])
    if mode not in ("edge", "wrap", "reflect", "symmetric"):
        raise NotImplementedError(f"pad: mode {mode!r} is not supported")
    for ax, (lo, hi) in enumerate(pw):
        n = a.shape[ax]
        if lo == hi == 0:
            continue
        if n == 0:
            raise ValueError(f"pad: can't extend an empty axis {ax} with mode {mode!r}")
        # NumPy's own index pattern for the mode (static host data), then runs of slices
        a = _take_static(a, ax, np.pad(np.arange(n), (lo, hi), mode=mode))
    return a


def _take_static(a, axis, idx):
    """``a`` gathered at the static indices ``idx`` along ``axis``: one slice (plus a flip)
    per run of consecutive indices, then one concatenation."""
    parts, start = [], 0
    idx = [int(i) for i in idx]
    while start < len(idx):
        step = idx[start + 1] - idx[start] if start + 1 < len(idx) else 1
        if step not in (1, -1):
            step = 1
        end = start + 1
        while end < len(idx) and idx[end] - idx[end - 1] == step:
            end += 1
        lo, hi = sorted((idx[start], idx[end - 1]))
        part = S.slice_axis(a, axis, lo, hi + 1)
        parts.append(S.flip(part, (axis,)) if step == -1 and hi > lo else part)
        start = end
    return S.concatenate(parts, axis) if len(parts) > 1 else parts[0]


def _tri_mask(shape, k, lower, like):
    n, m = shape[-2], shape[-1]
    mask = np.tri(n, m, k=k, dtype=bool) if lower else ~np.tri(n, m, k=k - 1, dtype=bool)
    return from_host(mask, like.device)


def tril(m, k=0):
    """Lower triangle (of the last two axes); the rest is zero."""
    m = asarray(m)
    return bind(B.select_p, _tri_mask(m.shape, k, True, m), m, S._scalar(0, m))


def triu(m, k=0):
    """Upper triangle (of the last two axes); the rest is zero."""
    m = asarray(m)
    return bind(B.select_p, _tri_mask(m.shape, k, False, m), m, S._scalar(0, m))


def tile(A, reps):
    """Repeat the whole array ``reps`` times per axis (broadcast, then reshape)."""
    a = asarray(A)
    reps = (reps,) if isinstance(reps, int) else tuple(reps)
    nd = builtins_max(a.ndim, len(reps))
    a = S.reshape(a, (1,) * (nd - a.ndim) + a.shape)
    reps = (1,) * (nd - len(reps)) + reps
    # (r0, d0, r1, d1, ...) then merge pairs
    inter = []
    for r, d in zip(reps, a.shape):
        inter += [1, d]
    b = S.reshape(a, inter)
    target = []
    for r, d in zip(reps, a.shape):
        target += [r, d]
    b = S.broadcast_to(b, target)
    return S.reshape(b, [r * d for r, d in zip(reps, a.shape)])


def builtins_max(a, b):
    return a if a > b else b


def repeat(a, repeats, axis=None):
    """Repeat each element ``repeats`` times along ``axis`` (flattened if None)."""
    a = asarray(a)
    if axis is None:
        a = ravel(a)
        axis = 0
    axis = normalize_axis(axis, a.ndim, "repeat")
    if isinstance(repeats, (int, np.integer)):
        r = int(repeats)
        b = S.expand_dims(a, (axis + 1,))
        shape = list(b.shape)
        shape[axis + 1] = r
        b = S.broadcast_to(b, shape)
        out = list(a.shape)
        out[axis] *= r
        return S.reshape(b, out)
    reps = np.asarray(repeats)
    if reps.ndim == 0:
        return repeat(a, int(reps), axis)
    idx = np.repeat(np.arange(a.shape[axis]), reps)
    return take(a, from_host(idx, a.device), axis=axis)
