"""Selection: ``argpartition`` and ``partition``, NumPy's introselect (linear time, where a
sort is n log n): the ``kth`` entries (a sorted tuple of non-negative positions) along
``axis`` land where a sort would put them, smaller ones before, larger after, NaN last.

``partition``'s values are ``x`` gathered at ``argpartition(x)`` (one backend
``take_along_axis``, not ``xp.partition``: NumPy may run another selection algorithm
there, and the derivative must move each tangent the way its value moved). So the
derivative is that gather of the tangent, and the cotangent is scattered back to the
same positions; ties go where the selection put them.
"""
from __future__ import annotations

import numpy as np

from ..transforms.core import ShapedArray, Zero
from .core import Primitive, defnondiff, defvjp, move_to_front
from . import indexing as I, shape as S
from .sorting import _along_columns


def _check(op, x, kth, axis):
    if not 0 <= axis < x.ndim:
        raise ValueError(f"{op}: axis {axis} is out of bounds for shape {tuple(x.shape)}")
    n = x.shape[axis]
    if not kth or any(not 0 <= k < n for k in kth):
        raise ValueError(f"{op}: kth {kth} out of bounds for an axis of length {n}")


def _argpartition_abstract_eval(x, kth, axis):
    _check("argpartition", x, kth, axis)
    return ShapedArray(x.shape, np.int64, x.device)


def _axis_batch(prim):
    def batch(vals, dims, kth, axis):
        return prim.bind(move_to_front(vals[0], dims[0]), kth=kth, axis=axis + 1), 0
    return batch


argpartition_p = Primitive("argpartition")
argpartition_p.def_impl(
    lambda xp, x, kth, axis: xp.argpartition(x, list(kth), axis=axis).astype(np.int64))
argpartition_p.def_abstract_eval(_argpartition_abstract_eval)
defnondiff(argpartition_p)
argpartition_p.batch = _axis_batch(argpartition_p)


def _partition_impl(xp, x, kth, axis):
    return xp.take_along_axis(x, xp.argpartition(x, list(kth), axis=axis), axis=axis)


def _partition_abstract_eval(x, kth, axis):
    _check("partition", x, kth, axis)
    return x


def _columns(x, kth, axis):
    return _along_columns(argpartition_p.bind(x, kth=kth, axis=axis), axis, x.shape)


def _partition_jvp(primals, tangents, kth, axis):
    (x,), (t,) = primals, tangents
    ans = partition_p.bind(x, kth=kth, axis=axis)
    if type(t) is Zero:
        return ans, Zero.like(ans)
    return ans, I.gather(t, _columns(x, kth, axis))


def _partition_vjp(ct, ans, x, kth, axis):
    zeros = S.broadcast_to(S._scalar(0, ct), tuple(x.shape))
    return I.scatter_add(zeros, _columns(x, kth, axis), ct)


partition_p = Primitive("partition", grad_fn_name="SortBackward0")
partition_p.def_impl(_partition_impl)
partition_p.def_abstract_eval(_partition_abstract_eval)
partition_p.jvp = _partition_jvp
defvjp(partition_p, _partition_vjp, saves="inputs")
partition_p.batch = _axis_batch(partition_p)
