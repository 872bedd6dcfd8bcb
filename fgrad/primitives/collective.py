"""Collectives across processes: ``all_reduce``, ``all_gather``, ``reduce_scatter``, ``broadcast``
(registered as ``process_all_reduce`` ...: ``fgrad.lax``'s ``all_gather`` over a named vmap
axis is another primitive).

Each primitive carries its process group (``fgrad.distributed``'s ``MPIGroup``,
``NCCLGroup``, or the one-process ``LocalGroup``) as a parameter; ``impl`` asks
the group to move the data (MPI or NCCL), so ``jit`` runs the collective as one
line of its program, in the order it was traced -- the same on every process.

Derivatives follow JAX's SPMD reading: every process differentiates the sum of
all processes' outputs, so each rule is itself a collective.

* ``all_reduce`` with ``sum``/``mean`` is linear and self-adjoint
  (``<v, sum_r t_r> = <sum_r v_r, t>`` on every process).
* ``max``/``min``: the tangent of the winners, averaged over tied processes:
  ``t_out = sum_r(t_r m_r) / sum_r m_r`` with ``m_r = [x_r == ans]``; adjoint
  ``m_r sum_q(ct_q) / sum_q m_q``.
* ``prod``: ``d ans / d x_r = prod_{q != r} x_q`` (the product of the others,
  from an ``all_gather``, exact at zeros): ``t_out = sum_r(t_r others_r)``.
* ``all_gather`` (stack on a new leading axis) and ``reduce_scatter`` (sum,
  tiled along axis 0) are each other's transposes; ``broadcast(src)``'s
  transpose sums the cotangents onto ``src`` (zeros elsewhere).
"""
from __future__ import annotations

import numpy as np

from ..transforms.core import ShapedArray, Zero, is_differentiable_dtype
from .core import REGISTRY, Primitive, defvjp
from . import binary, reductions, shape as S, unary
from .creation import from_host, zeros

LINEAR_OPS = ("sum", "mean")
REDUCE_OPS = ("sum", "mean", "prod", "min", "max", "band", "bor", "bxor")


def _check_op(name, op, x, allowed=REDUCE_OPS):
    if op not in allowed:
        raise ValueError(f"{name}: op must be one of {allowed}, got {op!r}")
    if op == "mean" and x.dtype.kind not in "fc":
        raise TypeError(f"{name}: op='mean' needs a floating-point array, got {x.dtype}")
    if op.startswith("b") and x.dtype.kind not in "iub":
        raise TypeError(f"{name}: op={op!r} needs an integer or bool array, got {x.dtype}")


# ------------------------------------------------------------------ all_reduce ----
all_reduce_p = Primitive("process_all_reduce", grad_fn_name="AllReduceBackward0")
all_reduce_p.def_impl(lambda xp, x, *, op, group: group.all_reduce_value(x, op))


def _all_reduce_shape(x, *, op, group):
    _check_op("all_reduce", op, x)
    return ShapedArray(x.shape, x.dtype, x.device)


all_reduce_p.def_abstract_eval(_all_reduce_shape)


def all_reduce(x, op, group):
    return all_reduce_p.bind(x, op=op, group=group)


def _winners(x, ans):
    """1 where this process holds the max/min (``x == ans``), else 0, in ``x``'s dtype."""
    return unary.convert(REGISTRY["equal"].bind(x, ans), x.dtype)


def _others(x, group):
    """``prod_{q != rank} x_q``: the product of every other process's ``x``."""
    gathered = all_gather(x, group)
    me = np.arange(group.size).reshape((group.size,) + (1,) * x.ndim) == group.rank
    return reductions.reduce_prod_p.bind(
        binary.select(from_host(me, x.device), 1.0, gathered), axes=(0,))


def _all_reduce_jvp(primals, tangents, *, op, group):
    (x,), (t,) = primals, tangents
    ans = all_reduce(x, op, group)
    if type(t) is Zero or not is_differentiable_dtype(ans.dtype):
        return ans, Zero.like(ans)
    if op in LINEAR_OPS:
        return ans, all_reduce(t, op, group)
    if op in ("max", "min"):
        m = _winners(x, ans)
        return ans, all_reduce(t * m, "sum", group) / all_reduce(m, "sum", group)
    return ans, all_reduce(t * _others(x, group), "sum", group)      # prod


def _all_reduce_vjp(ct, ans, x, *, op, group):
    if op in LINEAR_OPS:
        return all_reduce(ct, op, group)
    if op in ("max", "min"):
        m = _winners(x, ans)
        return m * (all_reduce(ct, "sum", group) / all_reduce(m, "sum", group))
    return _others(x, group) * all_reduce(ct, "sum", group)          # prod


all_reduce_p.jvp = _all_reduce_jvp
defvjp(all_reduce_p, _all_reduce_vjp, saves="both")
# element-wise across processes: the batch axis stays where it is
all_reduce_p.batch = lambda vals, dims, **p: (all_reduce_p.bind(vals[0], **p), dims[0])


# ------------------------------------------------------------------ all_gather ----
# all_gather(x)[r] = x on process r: a new leading axis of length world size.
all_gather_p = Primitive("process_all_gather", grad_fn_name="AllGatherBackward0")
all_gather_p.def_impl(lambda xp, x, *, group: group.all_gather_value(x))
all_gather_p.def_abstract_eval(
    lambda x, *, group: ShapedArray((group.size,) + tuple(x.shape), x.dtype, x.device))


def all_gather(x, group):
    return all_gather_p.bind(x, group=group)


def _all_gather_jvp(primals, tangents, *, group):
    ans = all_gather(primals[0], group)
    t = tangents[0]
    if type(t) is Zero:
        return ans, Zero.like(ans)
    return ans, all_gather(t, group)


all_gather_p.jvp = _all_gather_jvp
defvjp(all_gather_p, lambda ct, ans, x, *, group: S.reshape(
    reduce_scatter(ct, "sum", group), x.shape), saves="none")


all_gather_p.batch = lambda vals, dims, **p: (all_gather(vals[0], p["group"]), dims[0] + 1)


# -------------------------------------------------------------- reduce_scatter ----
# reduce_scatter(x)[i] = (sum_r x_r)[rank * n + i], n = len(x) / world size: the
# reduction, of which each process keeps its block of the leading axis.
reduce_scatter_p = Primitive("process_reduce_scatter", grad_fn_name="ReduceScatterBackward0")
reduce_scatter_p.def_impl(lambda xp, x, *, op, group: group.reduce_scatter_value(x, op))


def _reduce_scatter_shape(x, *, op, group):
    _check_op("reduce_scatter", op, x)
    if not x.shape or x.shape[0] % group.size:
        raise ValueError(f"reduce_scatter: the leading axis of an array of shape "
                         f"{tuple(x.shape)} must split evenly among {group.size} processes")
    return ShapedArray((x.shape[0] // group.size,) + tuple(x.shape[1:]), x.dtype, x.device)


reduce_scatter_p.def_abstract_eval(_reduce_scatter_shape)


def reduce_scatter(x, op, group):
    return reduce_scatter_p.bind(x, op=op, group=group)


def _reduce_scatter_jvp(primals, tangents, *, op, group):
    ans = reduce_scatter(primals[0], op, group)
    t = tangents[0]
    if type(t) is Zero or not is_differentiable_dtype(ans.dtype):
        return ans, Zero.like(ans)
    if op not in LINEAR_OPS:
        raise NotImplementedError(f"reduce_scatter: no derivative for op={op!r} (only "
                                  "'sum' and 'mean' are differentiable)")
    return ans, reduce_scatter(t, op, group)


def _reduce_scatter_vjp(ct, ans, x, *, op, group):
    if op not in LINEAR_OPS:
        raise NotImplementedError(f"reduce_scatter: no derivative for op={op!r} (only "
                                  "'sum' and 'mean' are differentiable)")
    out = S.reshape(all_gather(ct, group), x.shape)
    return out / group.size if op == "mean" else out


reduce_scatter_p.jvp = _reduce_scatter_jvp
defvjp(reduce_scatter_p, _reduce_scatter_vjp, saves="none")


def _reduce_scatter_batch(vals, dims, *, op, group):
    x, d = vals[0], dims[0]
    if d == 0:                                   # keep the scattered axis in front
        x, d = S.moveaxis(x, 0, 1), 1
    return reduce_scatter(x, op, group), d


reduce_scatter_p.batch = _reduce_scatter_batch


# ------------------------------------------------------------------- broadcast ----
broadcast_p = Primitive("process_broadcast", grad_fn_name="BroadcastBackward0")
broadcast_p.def_impl(lambda xp, x, *, src, group: group.broadcast_value(x, src))
broadcast_p.def_abstract_eval(lambda x, *, src, group: ShapedArray(x.shape, x.dtype, x.device))


def broadcast(x, src, group):
    return broadcast_p.bind(x, src=src, group=group)


def _broadcast_jvp(primals, tangents, *, src, group):
    ans = broadcast(primals[0], src, group)
    t = tangents[0]
    if type(t) is Zero:
        return ans, Zero.like(ans)
    return ans, broadcast(t, src, group)


def _broadcast_vjp(ct, ans, x, *, src, group):
    total = all_reduce(ct, "sum", group)
    return total if group.rank == src else zeros(x.shape, x.dtype, x.device)


broadcast_p.jvp = _broadcast_jvp
defvjp(broadcast_p, _broadcast_vjp, saves="none")
broadcast_p.batch = lambda vals, dims, **p: (broadcast_p.bind(vals[0], **p), dims[0])
