"""Reductions and scans: sum, max, min, prod, argmax, argmin, all, any, cumsum, cumprod.

``axes`` is a tuple of non-negative axes; ``keepdims`` is the wrapper's job
(a reshape), so each primitive has one output shape rule.
"""
from __future__ import annotations

import numpy as np

from .. import errors
from ..transforms.core import ShapedArray
from .core import (Primitive, defjvp, defvjp, defnondiff, deflinear, front_batch_rule,
                   unbroadcast)
# Sibling families of the one acknowledged loop (core, binary, unary, shape, reductions):
# their rules use each other's ops, read as attributes when the rules run.
from . import binary as B, shape as S, unary as U
from .creation import full
from .creation import from_host


def _reduced_shape(shape, axes):
    return tuple(d for i, d in enumerate(shape) if i not in axes)


def _kept_shape(shape, axes):
    return tuple(1 if i in axes else d for i, d in enumerate(shape))


def _check_axes(op, aval, axes):
    for a in axes:
        if not 0 <= a < len(aval.shape):
            raise ValueError(f"{op}: axis {a} is out of bounds for an array of shape "
                             f"{errors.fmt_shape(aval.shape)}")


def _reducer(name, np_name, grad_fn_name=None):
    prim = Primitive(name, grad_fn_name=grad_fn_name)
    prim.def_impl(lambda xp, x, axes, _f=np_name: getattr(xp, _f)(x, axis=axes))
    probe = {}

    def abstract_eval(x, axes):
        _check_axes(name, x, axes)
        if x.dtype not in probe:
            probe[x.dtype] = np.asarray(getattr(np, np_name)(np.ones((1,), x.dtype), axis=0)).dtype
        return ShapedArray(_reduced_shape(x.shape, axes), probe[x.dtype], x.device)
    prim.def_abstract_eval(abstract_eval)
    prim.batch = front_batch_rule(prim, "axes")
    return prim


def expand_reduced(ct, x_shape, axes):
    """``ct`` (shape with ``axes`` removed) broadcast back to ``x_shape``."""
    return S.broadcast_to(S.reshape(ct, _kept_shape(x_shape, axes)), x_shape)


# sum: linear; its transpose broadcasts the cotangent back.
reduce_sum_p = _reducer("reduce_sum", "sum", grad_fn_name="SumBackward0")
deflinear(reduce_sum_p, lambda ct, x, axes: expand_reduced(ct, x.shape, axes))


# max/min: the gradient is split evenly between the positions that attain the
# extremum (JAX's rule; PyTorch's amax/amin and full max()/min() do the same).
def _extremum_rule(ct_or_t, ans, x, axes, forward):
    ans_b = expand_reduced(ans, x.shape, axes)
    where = U.convert(x == ans_b, x.dtype)      # 1 where x attains the extremum, in x's dtype
    counts = expand_reduced(reduce_sum(where, axes), x.shape, axes)
    weights = where / counts
    if forward:
        return reduce_sum(ct_or_t * weights, axes)
    return expand_reduced(ct_or_t, x.shape, axes) * weights


reduce_max_p = _reducer("reduce_max", "max", grad_fn_name="MaxBackward1")
reduce_min_p = _reducer("reduce_min", "min", grad_fn_name="MinBackward1")
for _p in (reduce_max_p, reduce_min_p):
    defjvp(_p, lambda t, ans, x, axes: _extremum_rule(t, ans, x, axes, True))
    defvjp(_p, lambda ct, ans, x, axes: unbroadcast(_extremum_rule(ct, ans, x, axes, False), x))


# prod: d/dx_i prod(x) = prod_{j != i} x_j, computed with exclusive cumulative
# products from both ends so zeros in x are handled exactly (no division).
def _prod_partials(x, axes):
    """prod_{j != i} x_j over ``axes``, shaped like x."""
    rest = tuple(i for i in range(x.ndim) if i not in axes)
    perm = rest + tuple(axes)
    xt = S.transpose(x, perm) if perm != tuple(range(x.ndim)) else x
    lead = xt.shape[:len(rest)]
    n = int(np.prod([x.shape[a] for a in axes], dtype=np.int64))
    flat = S.reshape(xt, lead + (n,))
    ax = len(lead)
    ones = S_full_like_slice(flat, ax)
    left = S.concatenate([ones, cumprod(S.slice_axis(flat, ax, 0, n - 1), ax)], ax)
    rflip = S.flip(flat, (ax,))
    right = S.flip(S.concatenate([ones, cumprod(S.slice_axis(rflip, ax, 0, n - 1), ax)], ax), (ax,))
    partial = S.reshape(left * right, xt.shape)
    inv = tuple(np.argsort(perm))
    return S.transpose(partial, inv) if perm != tuple(range(x.ndim)) else partial


reduce_prod_p = _reducer("reduce_prod", "prod", grad_fn_name="ProdBackward0")
defjvp(reduce_prod_p, lambda t, ans, x, axes: reduce_sum(t * _prod_partials(x, axes), axes))
defvjp(reduce_prod_p, lambda ct, ans, x, axes: unbroadcast(
    expand_reduced(ct, x.shape, axes) * _prod_partials(x, axes), x), saves="inputs")

reduce_and_p = _reducer("reduce_and", "all")
defnondiff(reduce_and_p)
reduce_or_p = _reducer("reduce_or", "any")
defnondiff(reduce_or_p)


# argmax/argmin over one axis: integer outputs, no gradient.
def _arg_reducer(name, np_name):
    prim = Primitive(name)
    prim.def_impl(lambda xp, x, axis, _f=np_name: getattr(xp, _f)(x, axis=axis))

    def abstract_eval(x, axis):
        _check_axes(name, x, (axis,))
        return ShapedArray(_reduced_shape(x.shape, (axis,)), np.int64, x.device)
    prim.def_abstract_eval(abstract_eval)
    defnondiff(prim)
    prim.batch = front_batch_rule(prim, "axis")
    return prim


argmax_p = _arg_reducer("argmax", "argmax")
argmin_p = _arg_reducer("argmin", "argmin")


# cumsum: linear; transpose is the reversed cumulative sum.
def _scan(name, np_name, grad_fn_name):
    prim = Primitive(name, grad_fn_name=grad_fn_name)
    prim.def_impl(lambda xp, x, axis, _f=np_name: getattr(xp, _f)(x, axis=axis))

    def abstract_eval(x, axis):
        _check_axes(name, x, (axis,))
        dt = np.asarray(getattr(np, np_name)(np.ones((1,), x.dtype))).dtype
        return ShapedArray(x.shape, dt, x.device)
    prim.def_abstract_eval(abstract_eval)
    prim.batch = front_batch_rule(prim, "axis")
    return prim


cumsum_p = _scan("cumsum", "cumsum", "CumsumBackward0")
deflinear(cumsum_p, lambda ct, x, axis: unbroadcast(
    S.flip(cumsum(S.flip(ct, (axis,)), axis), (axis,)), x))


# cumprod: y_k = prod_{j<=k} x_j, so dy_k/dx_i = prod_{j<=k, j!=i} x_j for i <= k.
# The rule builds that (n x n) matrix of partial products along the axis from
# exclusive products, so zeros are exact; memory is O(n^2) per scanned row.
def _cumprod_jacobian(x, axis):
    """J[..., k, i] = d y_k / d x_i along ``axis`` (moved last), shape (..., n, n)."""
    xm = S.moveaxis(x, axis, -1)
    n = xm.shape[-1]
    # m[..., j, i] = x_j where j > i, else 1; its cumulative product over j at
    # row k is prod_{i<j<=k} x_j. Times the exclusive prefix prod_{j<i} x_j.
    xk = S.broadcast_to(S.expand_dims(xm, (-1,)), xm.shape + (n,))
    m = S_select(S_tri(n, x, -1) > 0, xk, 1.0)
    lower = S_tri(n, x)                    # 1 where i <= k
    prefix = S.concatenate([S_full_like_slice(xm, xm.ndim - 1),
                            cumprod(S.slice_axis(xm, xm.ndim - 1, 0, n - 1), xm.ndim - 1)],
                           xm.ndim - 1)
    mids = cumprod(m, xm.ndim - 1)          # along k
    jac = mids * S.expand_dims(prefix, (-2,))
    return S_select(lower > 0, jac, 0.0)


cumprod_p = _scan("cumprod", "cumprod", "CumprodBackward0")
defjvp(cumprod_p, lambda t, ans, x, axis: S.moveaxis(
    reduce_sum(_cumprod_jacobian(x, axis) * S.expand_dims(S.moveaxis(t, axis, -1), (-2,)), (x.ndim,)),
    -1, axis))
defvjp(cumprod_p, lambda ct, ans, x, axis: unbroadcast(S.moveaxis(
    reduce_sum(_cumprod_jacobian(x, axis) * S.expand_dims(S.moveaxis(ct, axis, -1), (-1,)),
               (x.ndim - 1,)), -1, axis), x), saves="inputs")


# ---- user-level helpers -------------------------------------------------------
def reduce_sum(x, axes):
    axes = tuple(axes)
    return reduce_sum_p.bind(x, axes=axes) if axes else x


def cumsum(x, axis):
    return cumsum_p.bind(x, axis=axis)


def cumprod(x, axis):
    return cumprod_p.bind(x, axis=axis)


def S_select(c, x, y):
    return B.select(c, x, y)


def S_full_like_slice(x, axis):
    """Ones shaped like ``x`` with ``axis`` of length 1."""
    shape = x.shape[:axis] + (1,) + x.shape[axis + 1:]
    return S.broadcast_to(full((), 1, x.dtype, x.device), shape)



def S_tri(n, like, k=0):
    """tri[r, c] = 1 where c <= r + k (NumPy's tri)."""
    return from_host(np.tri(n, k=k, dtype=like.dtype), like.device)
