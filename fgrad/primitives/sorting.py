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
from .core import Primitive, defnondiff, defvjp, front_batch_rule, move_to_front
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


def _permutation(x, axis, kth=None, perm=None):
    """Gather columns of the stable sort of ``x`` along ``axis`` (restricted to the
    positions ``kth`` when given; ``perm``: that argsort, if already computed)."""
    if perm is None:
        perm = stable_argsort_p.bind(x, axis=axis)
    if kth is not None:
        pos = from_host(np.asarray(kth, np.int64), perm.device)
        pos_shape = tuple(len(kth) if d == axis else 1 for d in range(x.ndim))
        out_shape = tuple(len(kth) if d == axis else n for d, n in enumerate(x.shape))
        pos = S.broadcast_to(S.reshape(pos, pos_shape), out_shape)
        perm = I.gather(perm, _along_columns(pos, axis, x.shape))
    return _along_columns(perm, axis, x.shape)


def _sort_jvp(primals, tangents, axis):
    (x,), (t,) = primals, tangents
    ans = sort_p.bind(x, axis=axis)
    if type(t) is Zero:
        return ans, Zero.like(ans)
    return ans, I.gather(t, _permutation(x, axis))


def _sort_vjp(ct, ans, x, axis):
    zeros = S.broadcast_to(S._scalar(0, ct), tuple(x.shape))
    return I.scatter_add(zeros, _permutation(x, axis), ct)


# sort along ``axis`` (NaN last).
sort_p = Primitive("sort", grad_fn_name="SortBackward0")
sort_p.def_impl(lambda xp, x, axis: xp.sort(x, axis=axis))


def _sort_abstract_eval(x, axis):
    _check_axis("sort", x, axis)
    return x


sort_p.def_abstract_eval(_sort_abstract_eval)
sort_p.jvp = _sort_jvp
defvjp(sort_p, _sort_vjp, saves="inputs")
sort_p.batch = front_batch_rule(sort_p, "axis")


# order_statistic: interpolated order statistics along ``axis``, what quantiles are made
# of: entry j is ``(1 - gamma[j]) * sort(x)[lo[j]] + gamma[j] * sort(x)[hi[j]]`` (NumPy's
# lerp), NaN where the slice holds a NaN. Output shape: ``x.shape`` with ``len(lo)`` in
# place of ``axis``. One primitive rather than sort-gather-lerp for speed: the impl is
# one ``partition`` (linear time) and a few whole-array ops, as ``numpy.quantile``'s.
# Its derivative is linear in the tangent: the same blend of the tangent at the
# permuted places.
order_statistic_p = Primitive("order_statistic", grad_fn_name="SortBackward0")


def _order_statistic_impl(xp, x, lo, hi, gamma, axis):
    n = x.shape[axis]
    nan_check = x.dtype.kind == "f"
    kth = sorted(set(lo) | set(hi) | ({n - 1} if nan_check else set()))
    part = xp.partition(x, kth, axis=axis)
    a = xp.take(part, xp.asarray(lo), axis=axis)
    if any(gamma):
        b = xp.take(part, xp.asarray(hi), axis=axis)
        g = xp.asarray(gamma, dtype=x.dtype).reshape(
            tuple(len(lo) if d == axis else 1 for d in range(x.ndim)))
        d = b - a
        a = xp.where(g >= 0.5, b - d * (1 - g), a + d * g)
    if nan_check:
        last = xp.take(part, xp.asarray([n - 1]), axis=axis)
        a = xp.where(xp.isnan(last), xp.asarray(np.nan, dtype=x.dtype), a)
    return a


def _order_statistic_abstract_eval(x, lo, hi, gamma, axis):
    _check_axis("order_statistic", x, axis)
    n = x.shape[axis]
    if not lo or len(lo) != len(hi) or len(lo) != len(gamma):
        raise ValueError("order_statistic: lo, hi and gamma must be non-empty and of one "
                         f"length, got {lo}, {hi}, {gamma}")
    if any(not 0 <= k < n for k in lo + hi):
        raise ValueError(f"order_statistic: positions {lo}, {hi} out of range for an axis of "
                         f"length {n}")
    if any(gamma) and x.dtype.kind not in "fc":
        raise TypeError(f"order_statistic: interpolation needs a float input, got {x.dtype}")
    shape = tuple(len(lo) if d == axis else s for d, s in enumerate(x.shape))
    return ShapedArray(shape, x.dtype, x.device)


def _blend_weights(x, gamma, axis, like):
    """(1 - gamma, gamma) as constants shaped to broadcast along ``axis``."""
    shape = tuple(len(gamma) if d == axis else 1 for d in range(x.ndim))
    g = np.asarray(gamma, dtype=like.dtype).reshape(shape)
    return from_host(1 - g, like.device), from_host(g, like.device)


def _order_statistic_jvp(primals, tangents, lo, hi, gamma, axis):
    (x,), (t,) = primals, tangents
    ans = order_statistic_p.bind(x, lo=lo, hi=hi, gamma=gamma, axis=axis)
    if type(t) is Zero:
        return ans, Zero.like(ans)
    perm = stable_argsort_p.bind(x, axis=axis)
    out = I.gather(t, _permutation(x, axis, lo, perm))
    if any(gamma):
        w_lo, w_hi = _blend_weights(x, gamma, axis, out)
        out = out * w_lo + I.gather(t, _permutation(x, axis, hi, perm)) * w_hi
    return ans, out


def _order_statistic_vjp(ct, ans, x, lo, hi, gamma, axis):
    zeros = S.broadcast_to(S._scalar(0, ct), tuple(x.shape))
    if not any(gamma):
        return I.scatter_add(zeros, _permutation(x, axis, lo), ct)
    w_lo, w_hi = _blend_weights(x, gamma, axis, ct)
    perm = stable_argsort_p.bind(x, axis=axis)
    out = I.scatter_add(zeros, _permutation(x, axis, lo, perm), ct * w_lo)
    return I.scatter_add(out, _permutation(x, axis, hi, perm), ct * w_hi)


order_statistic_p.def_impl(_order_statistic_impl)
order_statistic_p.def_abstract_eval(_order_statistic_abstract_eval)
order_statistic_p.jvp = _order_statistic_jvp
defvjp(order_statistic_p, _order_statistic_vjp, saves="inputs")
order_statistic_p.batch = front_batch_rule(order_statistic_p, "axis")


def sort(x, axis):
    return sort_p.bind(x, axis=axis)


def order_statistic(x, lo, axis, hi=None, gamma=None):
    """``sort(x, axis)`` at the positions ``lo`` (blended with those at ``hi`` by ``gamma``)."""
    lo = tuple(int(k) for k in lo)
    return order_statistic_p.bind(x, lo=lo, hi=lo if hi is None else tuple(int(k) for k in hi),
                                  gamma=(0.0,) * len(lo) if gamma is None else
                                  tuple(float(g) for g in gamma), axis=axis)


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
