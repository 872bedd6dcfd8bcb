"""Collectives over a ``vmap`` axis named by ``axis_name``: ``psum``, ``pmax``,
``all_gather`` and ``psum_scatter`` (JAX's semantics).

Each reaches the vmap of its axis through its ``collective`` rule, which reduces or
gathers along that vmap's batch axis (a value that does not vary along it counts once
per lane). Any other transform sees an ordinary primitive: a vmap over another axis
batches it element-wise, and differentiation uses the transposes, as in JAX:
``psum`` is its own transpose, ``all_gather`` and ``psum_scatter`` are each other's
(so ``vmap(grad(f), axis_name=...)`` equals ``grad`` of the sum over lanes); ``pmax``
splits the derivative between tied lanes (JAX defines none). Outside
a vmap of that name the impl raises JAX's ``NameError``.
"""
from __future__ import annotations

from ..transforms.batching import lift_to_axis
from ..transforms.core import ShapedArray
from . import reductions as R, shape as S
from . import unary
from .binary import select
from .core import REGISTRY, Primitive, move_to_front


def _bind(prim, x, **params):
    return prim.bind(lift_to_axis(x, params["axis_name"]), **params)


def _unbound(xp, x, *, axis_name, **params):
    raise NameError(f"unbound axis name: {axis_name}")


def _lanes_apart(prim):
    """Batching over another vmap axis: the same collective, the batch axis kept."""
    def rule(vals, dims, **params):
        return prim.bind(vals[0], **params), dims[0]
    return rule


# psum(x; axis_name): the sum over the lanes, the same in every lane.
psum_p = Primitive("psum")
psum_p.def_impl(_unbound)
psum_p.def_abstract_eval(lambda x, axis_name: x)
psum_p.jvp = lambda primals, tangents, axis_name: (
    _bind(psum_p, primals[0], axis_name=axis_name), _bind(psum_p, tangents[0], axis_name=axis_name))
psum_p.vjp = lambda ct, needs, ans, x, axis_name: [_bind(psum_p, ct, axis_name=axis_name)]
psum_p.vjp_saves = "none"
psum_p.batch = _lanes_apart(psum_p)
psum_p.collective = lambda vals, dims, size, axis_name: (
    (vals[0] * size, None) if dims[0] is None else (R.reduce_sum(vals[0], (dims[0],)), None))


# pmax(x; axis_name): the maximum over the lanes. Its derivative (which JAX does not
# define) splits ties evenly, as reduce_max's does: the lanes holding the maximum share
# the tangent, d pmax = psum(t where x == max) / psum(x == max).
pmax_p = Primitive("pmax")
pmax_p.def_impl(_unbound)
pmax_p.def_abstract_eval(lambda x, axis_name: x)


def _pmax_share(x, ans, axis_name):
    """(where x holds the maximum, its share of the derivative: 1 / count of such lanes)."""
    at = REGISTRY["equal"].bind(x, ans)
    count = _bind(psum_p, unary.convert_p.bind(at, dtype=x.dtype), axis_name=axis_name)
    return at, 1.0 / count


def _pmax_jvp(primals, tangents, axis_name):
    x, t = primals[0], tangents[0]
    ans = _bind(pmax_p, x, axis_name=axis_name)
    at, share = _pmax_share(x, ans, axis_name)
    return ans, _bind(psum_p, select(at, t, 0.0), axis_name=axis_name) * share


def _pmax_vjp(ct, needs, ans, x, axis_name):
    at, share = _pmax_share(x, ans, axis_name)
    return [select(at, _bind(psum_p, ct, axis_name=axis_name) * share, 0.0)]


pmax_p.jvp = _pmax_jvp
pmax_p.vjp = _pmax_vjp
pmax_p.vjp_saves = "both"
pmax_p.batch = _lanes_apart(pmax_p)
pmax_p.collective = lambda vals, dims, size, axis_name: (
    (vals[0], None) if dims[0] is None else (R.reduce_max_p.bind(vals[0], axes=(dims[0],)), None))


# all_gather(x; axis_name, axis_size): every lane's x stacked along a new leading axis.
all_gather_p = Primitive("all_gather")
all_gather_p.def_impl(_unbound)
all_gather_p.def_abstract_eval(lambda x, axis_name, axis_size: ShapedArray(
    (axis_size,) + x.shape, x.dtype, x.device))
all_gather_p.jvp = lambda primals, tangents, **p: (
    _bind(all_gather_p, primals[0], **p), _bind(all_gather_p, tangents[0], **p))
all_gather_p.vjp = lambda ct, needs, ans, x, **p: [_bind(psum_scatter_p, ct, **p)]
all_gather_p.vjp_saves = "none"


def _gather_lanes_apart(vals, dims, **params):
    return all_gather_p.bind(vals[0], **params), dims[0] + 1


def _gather_collective(vals, dims, size, axis_name, axis_size):
    x, d = vals[0], dims[0]
    if d is None:
        return S.broadcast_to(S.expand_dims(x, (0,)), (size,) + tuple(x.shape)), None
    return move_to_front(x, d), None


all_gather_p.batch = _gather_lanes_apart
all_gather_p.collective = _gather_collective


# psum_scatter(x; axis_name, axis_size): x (leading axis of the axis' size) summed over
# the lanes, lane i keeping row i (the transpose of all_gather).
psum_scatter_p = Primitive("psum_scatter")
psum_scatter_p.def_impl(_unbound)
psum_scatter_p.def_abstract_eval(lambda x, axis_name, axis_size: ShapedArray(
    x.shape[1:], x.dtype, x.device))
psum_scatter_p.jvp = lambda primals, tangents, **p: (
    _bind(psum_scatter_p, primals[0], **p), _bind(psum_scatter_p, tangents[0], **p))
psum_scatter_p.vjp = lambda ct, needs, ans, x, **p: [_bind(all_gather_p, ct, **p)]
psum_scatter_p.vjp_saves = "none"


def _scatter_lanes_apart(vals, dims, **params):
    x = S.moveaxis(vals[0], dims[0], 1) if dims[0] != 1 else vals[0]   # rows stay axis 0
    return psum_scatter_p.bind(x, **params), 0


def _scatter_collective(vals, dims, size, axis_name, axis_size):
    x, d = vals[0], dims[0]
    if d is None:
        return x * size, 0
    return R.reduce_sum(x, (d,)), 0


psum_scatter_p.batch = _scatter_lanes_apart
psum_scatter_p.collective = _scatter_collective
