"""Indexing primitives: ``gather`` and the ``scatter`` family.

Every primitive here indexes the *leading* ``k`` axes of its operand with one
integer array ``idx`` of shape ``B + (k,)``: row ``idx[b]`` holds the position
of one element along axes ``0..k-1``, and the axes ``k..`` of the operand ride
along. So ``gather(x, idx)`` has shape ``B + x.shape[k:]`` and is NumPy's
``x[idx[..., 0], ..., idx[..., k-1]]``; the scatters write an ``updates`` array
of that shape back into a copy of ``x``. ``fgrad.numpy`` reduces every index
expression (slices, ``None``, masks, separated advanced indices,
``take_along_axis``, ``.at[]``) to these plus the shape primitives.

Indices may be negative (counted from the end). Out-of-bounds indices raise an
IndexError naming the axis and its size whenever the indices are concrete
(the implementation checks them on the device before indexing).

Duplicate indices: ``scatter_add``/``scatter_mul``/``scatter_min``/
``scatter_max`` combine every update that lands on an element; ``scatter``
(set) keeps one of them -- the last in C order (NumPy's assignment order) on
every device; ``cuda`` sorts the updates to match, so values and derivatives do
not depend on the device -- and its derivative goes to the update that was kept
(found by scattering update ids the same way, JAX's rule), while the others get
zero.
"""
from __future__ import annotations

import numpy as np

from ..transforms.core import ShapedArray, Zero, instantiate
from .core import Primitive, move_to_front
from . import shape as S
from .creation import iota
from .creation import zeros
from .unary import convert
from .creation import full, iota
from .binary import select
from .creation import full


# ---- shared pieces -------------------------------------------------------------------
def _columns(idx, k):
    return tuple(idx[..., j] for j in range(k))


def _checked(xp, idx, shape):
    """``idx`` with negative entries made positive; IndexError when one is out of bounds
    (``Primitive.apply`` prefixes the primitive's name)."""
    k = idx.shape[-1]
    if idx.size == 0:
        return idx
    negative = False
    for j in range(k):
        col = idx[..., j]
        lo, hi, n = int(col.min()), int(col.max()), shape[j]
        if hi >= n or lo < -n:
            bad = hi if hi >= n else lo
            raise IndexError(f"index {bad} is out of bounds for axis {j} with size {n}")
        negative = negative or lo < 0
    if negative:
        dims = xp.asarray(shape[:k], dtype=idx.dtype)
        idx = xp.where(idx < 0, idx + dims, idx)
    return idx


def _index_aval(op, x, idx):
    if idx.dtype.kind not in "iu":
        raise TypeError(f"{op}: indices must be integers, got dtype {idx.dtype}")
    if len(idx.shape) < 1 or not 1 <= idx.shape[-1] <= len(x.shape):
        raise ValueError(f"{op}: indices of shape {idx.shape} must end in an axis of length "
                         f"1..{len(x.shape)} (one column per indexed axis of the operand of "
                         f"shape {x.shape})")
    k = idx.shape[-1]
    return tuple(idx.shape[:-1]) + tuple(x.shape[k:])


def _iota_column(n, idx):
    """``arange(n)`` shaped ``(n,) + (1,) * (idx.ndim - 2) + (1,)``, broadcast like a batched
    ``idx`` of shape ``(n,) + B + (k,)`` except in the last axis."""
    col = S.reshape(iota(n, idx.dtype, idx.device), (n,) + (1,) * (idx.ndim - 1))
    return S.broadcast_to(col, idx.shape[:-1] + (1,))


def _with_batch_column(idx, n):
    """A batched ``idx`` (batch axis first) with a leading column selecting batch element b."""
    return S.concatenate([_iota_column(n, idx), idx], idx.ndim - 1)


def _front(v, d, n):
    """``v`` with its batch axis first; an unbatched ``v`` is broadcast over ``n``."""
    if d is None:
        return S.broadcast_to(v, (n,) + tuple(v.shape))
    return move_to_front(v, d)


def _at(v, d, pos, n):
    """``v`` with its batch axis at ``pos``; an unbatched ``v`` is broadcast over ``n``."""
    if d is None:
        v = S.expand_dims(v, (pos,))
        shape = list(v.shape)
        shape[pos] = n
        return S.broadcast_to(v, shape)
    return S.moveaxis(v, d, pos) if d != pos else v


def _zeros(aval, dtype=None):
    return zeros(aval.shape, dtype or aval.dtype, aval.device)


def _as_float(c, like):
    return convert(c, like.dtype)


# ---- gather -------------------------------------------------------------------------
# out[b, ...] = x[idx[b, 0], ..., idx[b, k-1], ...]. Linear in x; its transpose adds
# the cotangent back at the gathered positions (duplicates accumulate).
gather_p = Primitive("gather", grad_fn_name="IndexBackward0")


def _gather_impl(xp, x, idx):
    idx = _checked(xp, idx, x.shape)
    return x[_columns(idx, idx.shape[-1])]


gather_p.def_impl(_gather_impl)
gather_p.def_abstract_eval(lambda x, idx: ShapedArray(_index_aval("gather", x, idx), x.dtype,
                                                      x.device))


def _gather_jvp(primals, tangents):
    x, idx = primals
    ans = gather_p.bind(x, idx)
    t = tangents[0]
    return ans, (Zero.like(ans) if type(t) is Zero else gather_p.bind(t, idx))


def _gather_vjp(ct, needs, ans, x, idx):
    return [scatter_add(_zeros(x, ct.dtype), idx, ct) if needs[0] else None, None]


def _gather_batch(vals, dims):
    (x, idx), (dx, di) = vals, dims
    if di is None:        # batch axis of x goes right after the indexed axes
        k = idx.shape[-1]
        return gather_p.bind(S.moveaxis(x, dx, k), idx), idx.ndim - 1
    idx = move_to_front(idx, di)
    if dx is None:        # the batch axis of idx leads B, hence the output
        return gather_p.bind(x, idx), 0
    n = idx.shape[0]      # both: pair x's batch element b with idx's by an iota column
    return gather_p.bind(move_to_front(x, dx), _with_batch_column(idx, n)), 0


gather_p.jvp = _gather_jvp
gather_p.vjp = _gather_vjp
gather_p.vjp_saves = "inputs"
gather_p.batch = _gather_batch


# ---- the scatter family: (x, idx, updates) -------------------------------------------
def _scatter_prim(name, grad_fn_name, impl):
    prim = Primitive(name, grad_fn_name=grad_fn_name)

    def impl_checked(xp, x, idx, v):
        return impl(xp, x, _columns(_checked(xp, idx, x.shape), idx.shape[-1]), v)
    prim.def_impl(impl_checked)

    def abstract_eval(x, idx, v):
        want = _index_aval(name, x, idx)
        if tuple(v.shape) != want:
            raise ValueError(f"{name}: updates of shape {v.shape} for indices of shape "
                             f"{idx.shape} into an operand of shape {x.shape}: expected "
                             f"updates of shape {want}")
        if v.dtype != x.dtype:
            raise TypeError(f"{name}: updates of dtype {v.dtype} for an operand of dtype "
                            f"{x.dtype}; convert them first")
        return ShapedArray(x.shape, x.dtype, x.device)
    prim.def_abstract_eval(abstract_eval)

    def batch(vals, dims):
        (x, idx, v), (dx, di, dv) = vals, dims
        n = next(val.shape[d] for val, d in zip(vals, dims) if d is not None)
        if di is None:    # batch axis after the indexed axes of x, after B in the updates
            k = idx.shape[-1]
            return prim.bind(_at(x, dx, k, n), idx, _at(v, dv, idx.ndim - 1, n)), k
        idx = _with_batch_column(move_to_front(idx, di), n)
        return prim.bind(_front(x, dx, n), idx, _front(v, dv, n)), 0
    prim.batch = batch
    prim.vjp_saves = "inputs"
    return prim


def _set_impl(xp, x, cols, v):
    return xp.scatter_set(x, cols, v)


scatter_add_p = _scatter_prim("scatter_add", "ScatterAddBackward0",
                              lambda xp, x, cols, v: xp.scatter_add(x, cols, v))
scatter_p = _scatter_prim("scatter", "ScatterBackward0", _set_impl)
scatter_mul_p = _scatter_prim("scatter_mul", "ScatterReduceBackward0",
                              lambda xp, x, cols, v: xp.scatter_apply("multiply", x, cols, v))
scatter_min_p = _scatter_prim("scatter_min", "ScatterReduceBackward0",
                              lambda xp, x, cols, v: xp.scatter_apply("minimum", x, cols, v))
scatter_max_p = _scatter_prim("scatter_max", "ScatterReduceBackward0",
                              lambda xp, x, cols, v: xp.scatter_apply("maximum", x, cols, v))


def _linear_scatter_jvp(prim):
    """JVP of a scatter that is linear in (x, updates) jointly: the same scatter of the tangents."""
    def jvp(primals, tangents):
        x, idx, v = primals
        tx, _, tv = tangents
        ans = prim.bind(x, idx, v)
        if type(tx) is Zero and type(tv) is Zero:
            return ans, Zero.like(ans)
        if type(tv) is Zero and prim is scatter_add_p:
            return ans, tx
        return ans, prim.bind(instantiate(tx), idx, instantiate(tv))
    return jvp


# scatter_add: out = x + S v (S adds each update at its position), so ct_x = ct, ct_v = S^T ct.
scatter_add_p.jvp = _linear_scatter_jvp(scatter_add_p)
scatter_add_p.vjp = lambda ct, needs, ans, x, idx, v: [
    ct if needs[0] else None, None, gather_p.bind(ct, idx) if needs[2] else None]


# scatter (set): out = (1 - M) x + W v, with M the written positions and W picking, for each
# written position, the update that was kept. ct_x = ct with the written positions zeroed;
# ct_v = ct at the update's position where that update was kept, 0 for overwritten ones.
def _kept_updates(x, idx, v):
    """1.0 (in v's dtype) for each update whose value the scatter kept, else 0."""
    nb = int(np.prod(idx.shape[:-1], dtype=np.int64))
    ids = S.reshape(iota(nb, np.int64, idx.device), idx.shape[:-1])
    ids = S.broadcast_to(S.reshape(ids, ids.shape + (1,) * (v.ndim - ids.ndim)), v.shape)
    slots = S.broadcast_to(full((), -1, np.int64, idx.device), tuple(x.shape))
    won = scatter_p.bind(slots, idx, ids)
    return _as_float(gather_p.bind(won, idx) == ids, v)


scatter_p.jvp = _linear_scatter_jvp(scatter_p)


def _scatter_vjp(ct, needs, ans, x, idx, v):
    ct_x = scatter_p.bind(ct, idx, _zeros(v, ct.dtype)) if needs[0] else None
    ct_v = gather_p.bind(ct, idx) * _kept_updates(x, idx, v) if needs[2] else None
    return [ct_x, None, ct_v]


scatter_p.vjp = _scatter_vjp
# the rule reads the indices only (x and v for their shapes and dtypes): an in-place write
# through a facade view may overwrite x's buffer before the backward pass
scatter_p.vjp_uses = (frozenset({1}), frozenset(), frozenset({1}))


# scatter_mul: out = x * P with P[t] = prod of the updates landing on t. Linear in x.
# d out[t] / d v_j = x[t] * E_j, E_j = prod of the *other* updates landing on t, built
# without dividing by zero from: Pnz (product of the nonzero updates), the number Z of
# zero updates, Zprod (product of the zero updates: 0 or 1 in value) and Zsum (their sum,
# 0 in value). Zprod and Zsum keep E's own derivative right where updates are exactly 0:
#   v_j != 0:  E_j = Pnz / v_j * Zprod
#   v_j == 0:  E_j = Pnz (Z == 1),  Pnz * (Zsum - v_j) (Z == 2),  0 (Z >= 3).
def _exclusive_products(x, idx, v):
    is_zero = v == 0
    one = _as_float(is_zero, v)                          # 1.0 where v == 0
    safe = select(is_zero, one, v)                        # zeros replaced by 1
    ones = S.broadcast_to(full((), 1, v.dtype, v.device), tuple(x.shape))
    zeros = _zeros(x, v.dtype)

    def per_update(total):
        return gather_p.bind(total, idx)
    pnz = per_update(scatter_mul_p.bind(ones, idx, safe))
    count = per_update(scatter_add_p.bind(zeros, idx, one))
    zprod = per_update(scatter_mul_p.bind(ones, idx, select(is_zero, v, 1.0)))
    zsum = per_update(scatter_add_p.bind(zeros, idx, select(is_zero, v, 0.0)))
    at_zero = select(count == 1, pnz, select(count == 2, pnz * (zsum - v), 0.0))
    return select(is_zero, at_zero, pnz / safe * zprod)


def _scatter_mul_jvp(primals, tangents):
    x, idx, v = primals
    tx, _, tv = tangents
    ans = scatter_mul_p.bind(x, idx, v)
    out = None if type(tx) is Zero else scatter_mul_p.bind(tx, idx, v)
    if type(tv) is not Zero:
        dv = gather_p.bind(x, idx) * _exclusive_products(x, idx, v) * tv
        part = scatter_add_p.bind(_zeros(x, ans.dtype), idx, dv)
        out = part if out is None else out + part
    return ans, (Zero.like(ans) if out is None else out)


def _scatter_mul_vjp(ct, needs, ans, x, idx, v):
    ct_x = scatter_mul_p.bind(ct, idx, v) if needs[0] else None
    ct_v = (gather_p.bind(ct * x, idx) * _exclusive_products(x, idx, v)
            if needs[2] else None)
    return [ct_x, None, ct_v]


scatter_mul_p.jvp = _scatter_mul_jvp
scatter_mul_p.vjp = _scatter_mul_vjp


# scatter_min / scatter_max: the derivative goes to whichever of x[t] and the updates landing
# on t attains out[t]; ties share it equally (JAX's rule, like max/min reductions).
def _extremal_coefficients(ans, x, idx, v):
    """(cx, cv): the share of x[t] in out[t] and of each update in out[its target]."""
    win_x = _as_float(x == ans, x)
    win_v = _as_float(v == gather_p.bind(ans, idx), v)
    count = win_x + scatter_add_p.bind(_zeros(x, x.dtype), idx, win_v)
    return win_x / count, win_v / gather_p.bind(count, idx)


def _extremal_jvp(prim):
    def jvp(primals, tangents):
        x, idx, v = primals
        tx, _, tv = tangents
        ans = prim.bind(x, idx, v)
        if type(tx) is Zero and type(tv) is Zero:
            return ans, Zero.like(ans)
        cx, cv = _extremal_coefficients(ans, x, idx, v)
        out = None if type(tx) is Zero else tx * cx
        if type(tv) is not Zero:
            part = scatter_add_p.bind(_zeros(x, ans.dtype), idx, tv * cv)
            out = part if out is None else out + part
        return ans, out
    return jvp


def _extremal_vjp(ct, needs, ans, x, idx, v):
    cx, cv = _extremal_coefficients(ans, x, idx, v)
    return [ct * cx if needs[0] else None, None,
            gather_p.bind(ct, idx) * cv if needs[2] else None]


for _p in (scatter_min_p, scatter_max_p):
    _p.jvp = _extremal_jvp(_p)
    _p.vjp = _extremal_vjp
    _p.vjp_saves = "both"


# ---- user-level helpers the rules and fgrad.numpy are written with ---------------------
def gather(x, idx):
    """``x[idx[..., 0], ..., idx[..., k-1]]`` for ``idx`` of shape ``B + (k,)``."""
    return gather_p.bind(x, idx)


def scatter_add(x, idx, v):
    """A copy of ``x`` with ``v`` added at ``idx`` (duplicates accumulate)."""
    return scatter_add_p.bind(x, idx, v)


SCATTERS = {"set": scatter_p, "add": scatter_add_p, "multiply": scatter_mul_p,
            "min": scatter_min_p, "max": scatter_max_p}
