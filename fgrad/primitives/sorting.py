"""Sorting: ``sort`` (values), ``order_statistic`` (the sorted values at a few positions),
``searchsorted``.

Both are permutations of their input, so their derivatives move tangents the way the
values moved: with ``perm`` the stable argsort of ``x`` along ``axis`` (NaN last, as
NumPy), ``d sort(x) = t[perm]`` and the cotangent goes back to ``perm``'s positions
(a scatter-add). Equal values keep their order, so a tie's gradient goes to the entry
a stable sort puts there (JAX's choice). The values are computed by the backend's
``sort`` / ``partition`` directly (no argsort, no gather): the permutation is only
built when a derivative is asked for. ``order_statistic`` exists for speed: NumPy's
``partition`` finds a few order statistics in linear time, which is what quantiles
and medians need. ``searchsorted`` (binary search, no gradient) is here too.
"""
from __future__ import annotations

import numpy as np

from ..transforms.core import ShapedArray, Zero
from .core import Primitive, defnondiff, defvjp, move_to_front
from . import binary as B, indexing as I, reductions as R, shape as S, unary as U
from .creation import from_host, iota
from .special import stable_argsort_p


def _check_axis(op, x, axis):
    if not 0 <= axis < len(x.shape):
        raise ValueError(f"{op}: axis {axis} is out of bounds for an array of shape "
                         f"{tuple(x.shape)}")


def _along_columns(idx, axis, shape):
    """Gather indices ``(*idx.shape, ndim)`` picking ``[..., idx, ...]`` along ``axis`` of an
    array of ``shape`` (the other axes matched position by position, as take_along_axis)."""
    cols = []
    for d in range(len(shape)):
        if d == axis:
            c = idx
        else:
            c = S.broadcast_to(S.reshape(iota(shape[d], np.int64, idx.device),
                                         tuple(shape[d] if e == d else 1
                                               for e in range(len(shape)))), idx.shape)
        cols.append(S.reshape(c, tuple(idx.shape) + (1,)))
    return S.concatenate(cols, idx.ndim)


def _permutation(x, axis, kth=None):
    """Gather columns of the stable sort of ``x`` along ``axis`` (restricted to the
    positions ``kth`` when given)."""
    perm = stable_argsort_p.bind(x, axis=axis)
    if kth is not None:
        pos = from_host(np.asarray(kth, np.int64), perm.device)
        pos_shape = tuple(len(kth) if d == axis else 1 for d in range(x.ndim))
        out_shape = tuple(len(kth) if d == axis else n for d, n in enumerate(x.shape))
        pos = S.broadcast_to(S.reshape(pos, pos_shape), out_shape)
        perm = I.gather(perm, _along_columns(pos, axis, x.shape))
    return _along_columns(perm, axis, x.shape)


def _permuted_jvp(prim):
    def jvp(primals, tangents, **params):
        (x,), (t,) = primals, tangents
        ans = prim.bind(x, **params)
        if type(t) is Zero:
            return ans, Zero.like(ans)
        return ans, I.gather(t, _permutation(x, params["axis"], params.get("kth")))
    return jvp


def _permuted_vjp(ct, ans, x, **params):
    zeros = S.broadcast_to(S._scalar(0, ct), tuple(x.shape))
    return I.scatter_add(zeros, _permutation(x, params["axis"], params.get("kth")), ct)


def _axis_batch(prim):
    def batch(vals, dims, axis, **params):
        return prim.bind(move_to_front(vals[0], dims[0]), axis=axis + 1, **params), 0
    return batch


# sort along ``axis`` (NaN last).
sort_p = Primitive("sort", grad_fn_name="SortBackward0")
sort_p.def_impl(lambda xp, x, axis: xp.sort(x, axis=axis))


def _sort_abstract_eval(x, axis):
    _check_axis("sort", x, axis)
    return x


sort_p.def_abstract_eval(_sort_abstract_eval)
sort_p.jvp = _permuted_jvp(sort_p)
defvjp(sort_p, _permuted_vjp, saves="inputs")
sort_p.batch = _axis_batch(sort_p)


# order_statistic: ``sort(x, axis)`` at the positions ``kth`` (a tuple of ints in
# [0, n)), which replace ``axis``: output shape ``x.shape`` with ``len(kth)`` there.
order_statistic_p = Primitive("order_statistic", grad_fn_name="SortBackward0")


def _order_statistic_impl(xp, x, kth, axis):
    return xp.take(xp.partition(x, kth, axis=axis), xp.asarray(kth), axis=axis)


def _order_statistic_abstract_eval(x, kth, axis):
    _check_axis("order_statistic", x, axis)
    n = x.shape[axis]
    if not kth or any(not 0 <= k < n for k in kth):
        raise ValueError(f"order_statistic: positions {kth} out of range for an axis of "
                         f"length {n}")
    shape = tuple(len(kth) if d == axis else s for d, s in enumerate(x.shape))
    return ShapedArray(shape, x.dtype, x.device)


order_statistic_p.def_impl(_order_statistic_impl)
order_statistic_p.def_abstract_eval(_order_statistic_abstract_eval)
order_statistic_p.jvp = _permuted_jvp(order_statistic_p)
defvjp(order_statistic_p, _permuted_vjp, saves="inputs")
order_statistic_p.batch = _axis_batch(order_statistic_p)


def sort(x, axis):
    return sort_p.bind(x, axis=axis)


def order_statistic(x, kth, axis):
    return order_statistic_p.bind(x, kth=tuple(int(k) for k in kth), axis=axis)


# searchsorted: insertion places of ``v`` in sorted 1-d ``a`` (side 'left': count of
# a < v; 'right': of a <= v). Integer output, no gradient. Batched ``a`` (one sorted
# row per batch member) is counted by one broadcast comparison instead.
searchsorted_p = Primitive("searchsorted")
searchsorted_p.def_impl(
    lambda xp, a, v, side: xp.searchsorted(a, v, side=side).astype(np.int64))


def _searchsorted_abstract_eval(a, v, side):
    if len(a.shape) != 1:
        raise ValueError(f"searchsorted: a must be 1-d, got shape {tuple(a.shape)}")
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted: side must be 'left' or 'right', got {side!r}")
    return ShapedArray(tuple(v.shape), np.dtype(np.int64), v.device)


searchsorted_p.def_abstract_eval(_searchsorted_abstract_eval)
defnondiff(searchsorted_p)


def _searchsorted_batch(vals, dims, side):
    (a, v), (da, dv) = vals, dims
    if da is None:
        return searchsorted_p.bind(a, v, side=side), dv
    a = move_to_front(a, da)                      # (B, n)
    if dv is None:
        v = S.broadcast_to(v, (a.shape[0],) + tuple(v.shape))
    else:
        v = move_to_front(v, dv)                  # (B, ...)
    rows = S.reshape(a, (a.shape[0],) + (1,) * (v.ndim - 1) + (a.shape[1],))
    cols = S.reshape(v, tuple(v.shape) + (1,))
    hit = B.less(rows, cols) if side == "left" else B.less_equal(rows, cols)
    return R.reduce_sum(U.convert(hit, np.int64), (v.ndim,)), 0


searchsorted_p.batch = _searchsorted_batch


def searchsorted(a, v, side="left"):
    return searchsorted_p.bind(a, v, side=side)
