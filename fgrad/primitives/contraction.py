"""Contractions: ``matmul`` (NumPy's semantics) and the pairwise ``einsum``.

``einsum`` here is a *unary or binary* einsum whose ``subscripts`` are normalized
(explicit ``->``, letters only, no ellipsis); ``fgrad.numpy.einsum`` parses the
user's form and applies this primitive along the path ``opt_einsum`` picks, so
every derivative is again a pairwise einsum. Both primitives are bilinear (or
linear): the JVP replaces one operand by its tangent, the VJP contracts the
cotangent with the other operand. On floating data the binary einsum runs as one
backend ``matmul`` (operands transposed/reshaped to ``(batch, rows, k)`` and
``(batch, k, cols)``), which is what makes it as fast as a hand-written chain.
"""
from __future__ import annotations

import string
from functools import lru_cache

import numpy as np

from .. import errors
from ..transforms.core import ShapedArray
from .core import Primitive, _cast_like, defjvp, defvjp, move_to_front, unbroadcast
from . import reductions as R, shape as S
from .creation import from_host


# ================================================================== matmul ===
def _matmul_shape(a_shape, b_shape):
    """NumPy's matmul output shape, with an error naming both shapes."""
    a_shape, b_shape = tuple(a_shape), tuple(b_shape)
    if not a_shape or not b_shape:
        raise ValueError(f"matmul: shapes {errors.fmt_shape(a_shape)} and "
                         f"{errors.fmt_shape(b_shape)}: both operands must be at least 1-D "
                         "(use multiply for scalars)")
    ka, da = a_shape[-1], len(a_shape) - 1
    kb, db = (b_shape[-2], len(b_shape) - 2) if len(b_shape) > 1 else (b_shape[0], 0)
    if ka != kb:
        raise ValueError(f"matmul: shapes {errors.fmt_shape(a_shape)} and "
                         f"{errors.fmt_shape(b_shape)} are not aligned: {ka} (dim {da}) != "
                         f"{kb} (dim {db})")
    try:
        batch = tuple(np.broadcast_shapes(a_shape[:-2], b_shape[:-2]))
    except ValueError:
        raise ValueError(f"matmul: shapes {errors.fmt_shape(a_shape)} and "
                         f"{errors.fmt_shape(b_shape)}: batch dimensions "
                         f"{errors.fmt_shape(a_shape[:-2])} and {errors.fmt_shape(b_shape[:-2])} "
                         "cannot be broadcast together") from None
    return batch + a_shape[-2:-1] + b_shape[-1:] if len(b_shape) > 1 else batch + a_shape[-2:-1]


def _promoted(shape_a, shape_b):
    """The 2-D-or-more shapes NumPy gives 1-D operands: (k,) @ -> (1, k), @ (k,) -> (k, 1)."""
    a2 = tuple(shape_a) if len(shape_a) > 1 else (1,) + tuple(shape_a)
    b2 = tuple(shape_b) if len(shape_b) > 1 else tuple(shape_b) + (1,)
    out2 = tuple(np.broadcast_shapes(a2[:-2], b2[:-2])) + (a2[-2], b2[-1])
    return a2, b2, out2


def _mT(x):
    """``x`` with its last two axes swapped."""
    n = x.ndim
    return S.transpose(x, tuple(range(n - 2)) + (n - 1, n - 2))


def _dense(xp, x):
    """``x``, copied to contiguous memory if it is a large broadcast view (a zero stride,
    e.g. the cotangent of a ``sum``): NumPy's matmul cannot hand those to BLAS and runs
    a loop about twice as slow as the copy plus BLAS."""
    strides = getattr(x, "strides", None)
    if strides and 0 in strides and x.size >= 256:
        return xp.ascontiguousarray(x)
    return x


# PyTorch names this node by the ranks (DotBackward0, MvBackward0, MmBackward0,
# UnsafeViewBackward0 for batches); the primitive carries one name: the 2-D one.
# No ``backend_fn``: the impl's broadcast-view check must run on every path.
matmul_p = Primitive("matmul", grad_fn_name="MmBackward0")


def _matmul_impl(xp, a, b):
    if a.ndim == 2 and b.ndim == 2:        # a broadcast operand (a sum's cotangent): no BLAS call
        out = _without_broadcast_axes(xp, (a, b), "ij,jk->ik")
        if out is not None:
            return out
    return xp.matmul(_dense(xp, a), _dense(xp, b))


matmul_p.def_impl(_matmul_impl)
matmul_p.def_abstract_eval(lambda a, b: ShapedArray(
    _matmul_shape(a.shape, b.shape), np.result_type(a.dtype, b.dtype), a.device))
# d(a @ b) = da @ b + a @ db
defjvp(matmul_p, lambda t, ans, a, b: matmul(t, b), lambda t, ans, a, b: matmul(a, t))


def _product(x, y):
    """``x @ y``, as a broadcasting multiply when the contracted length is 1 (an outer
    product, e.g. the gradients of a dot of vectors): no BLAS call of depth 1."""
    if x.shape[-1] == 1:
        return x * y
    return matmul(x, y)


def _matmul_vjp_a(ct, ans, a, b):
    """ct_a = ct @ b^T, summed over the batch dimensions ``a`` was broadcast along."""
    if b.ndim == 1 and a.ndim <= 2:      # ct (m,) or (): an outer product, or a scale
        return _cast_like(S.reshape(ct, ct.shape + (1,)) * b if a.ndim == 2 else ct * b, a)
    if a.ndim == 1 and b.ndim == 2:      # (k,) @ (k, n): ct_a = b @ ct, a vector
        return _cast_like(matmul(b, ct), a)
    a2, b2, out2 = _promoted(a.shape, b.shape)
    ga = _product(S.reshape(ct, out2), _mT(S.reshape(b, b2)))
    return S.reshape(unbroadcast(ga, ShapedArray(a2, a.dtype)), a.shape)


def _matmul_vjp_b(ct, ans, a, b):
    """ct_b = a^T @ ct, summed over the batch dimensions ``b`` was broadcast along."""
    if a.ndim == 1 and b.ndim <= 2:      # ct (n,) or (): an outer product, or a scale
        return _cast_like(S.reshape(a, a.shape + (1,)) * ct if b.ndim == 2 else ct * a, b)
    if b.ndim == 1 and a.ndim == 2:      # (m, k) @ (k,): ct_b = ct @ a, a vector
        return _cast_like(matmul(ct, a), b)
    a2, b2, out2 = _promoted(a.shape, b.shape)
    ct2, a_ = S.reshape(ct, out2), S.reshape(a, a2)
    if len(b2) == 2 and len(a2) > 2:
        # b is shared by the whole batch: fold the batch into the rows, one product (k, m)
        rows = int(np.prod(out2[:-1], dtype=np.int64))
        gb = _product(_mT(S.reshape(a_, (rows, a2[-1]))), S.reshape(ct2, (rows, out2[-1])))
    else:
        gb = _product(_mT(a_), ct2)
    return S.reshape(unbroadcast(gb, ShapedArray(b2, b.dtype)), b.shape)


defvjp(matmul_p, _matmul_vjp_a, _matmul_vjp_b, saves="inputs", uses=({1}, {0}))


def _matmul_batch(vals, dims):
    """One backend matmul for the whole batch: the batch axis goes in front of both
    operands' batch dimensions (a batched vector becomes a 1-row/1-column matrix)."""
    (a, b), (da, db) = vals, dims
    ra, rb = a.ndim - (da is not None), b.ndim - (db is not None)
    sa = a.shape if da is None else a.shape[:da] + a.shape[da + 1:]
    sb = b.shape if db is None else b.shape[:db] + b.shape[db + 1:]
    out = _matmul_shape(sa, sb)
    size = a.shape[da] if da is not None else b.shape[db]
    if db is None and rb <= 2:
        # b shared by the batch: fold the batch (and a's batch dims) into the rows of a
        a = move_to_front(a, da)
        rows = S.reshape(a, (int(np.prod(a.shape[:-1], dtype=np.int64)), sa[-1]))
        return S.reshape(matmul(rows, b), (size,) + out), 0
    if da is None and ra == 2 and rb <= 2:
        # a (a matrix) shared by the batch: the batch goes into the columns of b, one product
        b = move_to_front(b, db)
        if rb == 1:                   # (size, k) @ a^T: BLAS reads the transpose in place
            return matmul(b, _mT(a)), 0
        k, n = b.shape[1:]
        if n == 1:                    # columns of one (a vector's gradient): as above
            return S.reshape(matmul(S.reshape(b, (size, k)), _mT(a)), (size, a.shape[0], 1)), 0
        cols = S.reshape(S.transpose(b, (1, 0, 2)), (k, size * n))
        return S.reshape(matmul(a, cols), (a.shape[0], size, n)), 1
    nb = max(ra, rb, 2) - 2           # batch dimensions of the unbatched product

    def prep(x, d, r, vec_shape):
        if d is None:
            return x                  # its dims broadcast against the batched operand's
        x = move_to_front(x, d)
        if r == 1:
            return S.reshape(x, (x.shape[0],) + (1,) * nb + vec_shape(x.shape[1]))
        return S.reshape(x, (x.shape[0],) + (1,) * (nb + 2 - r) + x.shape[1:])
    a = prep(a, da, ra, lambda k: (1, k))
    b = prep(b, db, rb, lambda k: (k, 1))
    return S.reshape(matmul(a, b), (size,) + out), 0


matmul_p.batch = _matmul_batch


# ================================================================== einsum ===
@lru_cache(maxsize=4096)
def parse(subscripts: str):
    """``'ij,jk->ik'`` -> (('ij', 'jk'), 'ik')."""
    ins, out = subscripts.split("->")
    return tuple(ins.split(",")), out


def _fresh_letters(used, n):
    out = [c for c in string.ascii_letters if c not in used][:n]
    if len(out) < n:
        raise ValueError("einsum: more than 52 distinct indices")
    return out


def _einsum_shape(subscripts, *avals):
    ins, out = parse(subscripts)
    shapes = [tuple(a.shape) for a in avals]
    shown = " and ".join(errors.fmt_shape(s) for s in shapes)
    if len(ins) != len(avals) or not 1 <= len(avals) <= 2:
        raise ValueError(f"einsum {subscripts!r}: {len(ins)} subscript terms for "
                         f"{len(avals)} operands of shapes {shown} (the primitive is unary or binary)")
    sizes, where = {}, {}
    for k, (term, shp) in enumerate(zip(ins, shapes)):
        if len(term) != len(shp):
            raise ValueError(f"einsum {subscripts!r}: operand {k} of shape {errors.fmt_shape(shp)} "
                             f"has {len(shp)} dims but its subscripts {term!r} name {len(term)}")
        for d, (c, n) in enumerate(zip(term, shp)):
            if c in sizes and sizes[c] != n:
                k0, d0 = where[c]
                raise ValueError(f"einsum {subscripts!r}: operand shapes {shown} disagree on index "
                                 f"{c!r}: {sizes[c]} (operand {k0}, dim {d0}) != {n} "
                                 f"(operand {k}, dim {d})")
            sizes.setdefault(c, n)
            where.setdefault(c, (k, d))
    if len(set(out)) != len(out) or not set(out) <= set(sizes):
        raise ValueError(f"einsum {subscripts!r}: the output subscripts must be distinct "
                         "indices of the inputs")
    return tuple(sizes[c] for c in out)


@lru_cache(maxsize=4096)
def _matmul_plan(subscripts, shape_a, shape_b):
    """How a binary einsum runs as one matmul, or None (then the backend's einsum runs it).

    Letters only in one operand are summed first; then a is laid out as
    (batch, free_a, contracted), b as (batch, contracted, free_b), and the product
    (batch, free_a, free_b) is transposed to the output order (operands swapped
    when that makes the transpose the identity).
    """
    (ta, tb), to = parse(subscripts)
    if len(set(ta)) != len(ta) or len(set(tb)) != len(tb):
        return None                   # a diagonal: the backend's einsum
    contracted = [c for c in ta if c in tb and c not in to]
    if not contracted:
        return None                   # outer/element-wise products: no matmul to gain
    sizes = dict(zip(ta, shape_a)) | dict(zip(tb, shape_b))
    sum_a = tuple(i for i, c in enumerate(ta) if c not in tb and c not in to)
    sum_b = tuple(i for i, c in enumerate(tb) if c not in ta and c not in to)
    ta = "".join(c for c in ta if c in tb or c in to)
    tb = "".join(c for c in tb if c in ta or c in to)
    batch = [c for c in ta if c in tb and c in to]
    free_a = [c for c in ta if c not in tb]
    free_b = [c for c in tb if c not in ta]
    swap = False
    mid = batch + free_a + free_b
    if mid != list(to) and batch + free_b + free_a == list(to):
        swap, free_a, free_b, ta, tb, sum_a, sum_b = True, free_b, free_a, tb, ta, sum_b, sum_a
        mid = batch + free_a + free_b

    def perm(term, order):
        p = tuple(term.index(c) for c in order)
        return None if p == tuple(range(len(p))) else p

    def prod(letters):
        return int(np.prod([sizes[c] for c in letters], dtype=np.int64))
    lead = (prod(batch),) if batch else ()
    return (swap, sum_a, sum_b,
            perm(ta, batch + free_a + contracted), lead + (prod(free_a), prod(contracted)),
            perm(tb, batch + contracted + free_b), lead + (prod(contracted), prod(free_b)),
            tuple(sizes[c] for c in mid), perm("".join(mid), to))


def _einsum_impl(xp, *ops, subscripts):
    if len(ops) == 2:
        out = _without_broadcast_axes(xp, ops, subscripts)
        if out is not None:
            return out
    if len(ops) == 2 and ops[0].dtype.kind in "fc" and ops[1].dtype.kind in "fc":
        plan = _matmul_plan(subscripts, tuple(ops[0].shape), tuple(ops[1].shape))
        if plan is not None:
            swap, sum_a, sum_b, perm_a, shape_a, perm_b, shape_b, mid, perm_o = plan
            a, b = ops[::-1] if swap else ops
            a, b = _dense(xp, a), _dense(xp, b)
            if sum_a:
                a = xp.sum(a, axis=sum_a)
            if sum_b:
                b = xp.sum(b, axis=sum_b)
            if perm_a:
                a = xp.transpose(a, perm_a)
            if perm_b:
                b = xp.transpose(b, perm_b)
            out = xp.reshape(xp.matmul(xp.reshape(a, shape_a), xp.reshape(b, shape_b)), mid)
            return xp.transpose(out, perm_o) if perm_o else out
    return xp.einsum(subscripts, *ops)


def _without_broadcast_axes(xp, ops, subscripts):
    """A binary einsum whose operand is a broadcast view (a zero stride, e.g. the cotangent
    of a ``sum``), computed without reading the repeated values; None if there are none.

    Along such an axis the operand is constant, so its index leaves that operand: a
    contracted index sums the other operand instead, an index of this operand alone
    scales the result by its length, and an output index the other operand lacks is
    broadcast onto the result at the end (then copied: results own their memory).
    ``ones((n, n)) @ x`` costs one column sum instead of an O(n^3) product.
    """
    if not any(0 in getattr(o, "strides", ()) for o in ops):
        return None
    ins, out = parse(subscripts)
    sizes = {c: n for term, o in zip(ins, ops) for c, n in zip(term, o.shape)}
    ops, terms, scale = list(ops), list(ins), 1
    for k in (0, 1):
        x, t = ops[k], terms[k]
        if len(set(t)) != len(t):
            continue                                   # a diagonal: leave it to the backend
        for d in reversed(range(len(t))):              # reversed: earlier axes keep their numbers
            c, other = t[d], terms[1 - k]
            if x.strides[d] != 0 or x.shape[d] <= 1 or (c in out and c in other) \
                    or other.count(c) > 1:
                continue
            x, t = x[(slice(None),) * d + (0,)], t[:d] + t[d + 1:]
            if c in other:                             # contracted: sum the other operand
                j = other.index(c)
                ops[1 - k], terms[1 - k] = xp.sum(ops[1 - k], axis=j), other[:j] + other[j + 1:]
            elif c not in out:                         # summed in this operand only: a factor
                scale *= sizes[c]
        ops[k], terms[k] = x, t
    if terms == list(ins):
        return None
    kept = "".join(c for c in out if c in terms[0] or c in terms[1])
    r = _einsum_impl(xp, *ops, subscripts=f"{terms[0]},{terms[1]}->{kept}")
    if scale != 1:
        r = r * scale
    if kept != out:
        r = xp.reshape(r, tuple(sizes[c] if c in kept else 1 for c in out))
        r = xp.ascontiguousarray(xp.broadcast_to(r, tuple(sizes[c] for c in out)))
    return r


# PyTorch's einsum output shows the node of its last reshape; the 2-operand case is a view.
einsum_p = Primitive("einsum", grad_fn_name="ViewBackward0")
einsum_p.def_impl(_einsum_impl)
einsum_p.def_abstract_eval(lambda *avals, subscripts: ShapedArray(
    _einsum_shape(subscripts, *avals), np.result_type(*[a.dtype for a in avals]), avals[0].device))
# Bilinear (linear when unary): replace one operand by its tangent.
defjvp(einsum_p,
       lambda t, ans, a, *rest, subscripts: einsum_p.bind(t, *rest, subscripts=subscripts),
       lambda t, ans, a, b, subscripts: einsum_p.bind(a, t, subscripts=subscripts))


def _deltas(groups, like):
    """The constant tensor that is 1 where the indices of each group are all equal.

    ``groups`` is a list of (size, k): one k-way Kronecker delta per repeated index.
    """
    mask = np.ones((), like.dtype)
    for n, k in groups:
        d = np.zeros((n,) * k, like.dtype)
        d[(np.arange(n),) * k] = 1
        mask = np.multiply.outer(mask, d)
    return from_host(mask, like.device)


def to_term(g, g_term, target, shape):
    """``g`` (distinct indices ``g_term``, all in ``target``) laid out as ``target``.

    Indices of ``target`` missing from ``g`` are broadcast; an index repeated in
    ``target`` (a diagonal, e.g. the cotangent of ``'ii->i'``) is scattered onto
    the diagonal by one einsum with a constant Kronecker-delta mask (``'i,iI->iI'``
    with ``delta[i, I]``), since ``'i->ii'`` is not an einsum.
    """
    if g_term == target:
        return g
    sizes = dict(zip(target, shape))
    fresh = iter(_fresh_letters(set(target) | set(g_term), len(target)))
    renamed, groups = [], {}
    for c in target:
        if c in groups:
            groups[c].append(next(fresh))
            renamed.append(groups[c][-1])
        else:
            groups[c] = [c]
            renamed.append(c)
    repeated = {c: v for c, v in groups.items() if len(v) > 1}
    have = set(g_term).union(*repeated.values())
    present = "".join(c for c in renamed if c in have)
    if repeated:
        mask = _deltas([(sizes[c], len(v)) for c, v in repeated.items()], g)
        mask_term = "".join("".join(v) for v in repeated.values())
        g = einsum_p.bind(g, mask, subscripts=f"{g_term},{mask_term}->{present}")
    else:
        g = S.transpose(g, tuple(g_term.index(c) for c in present))
    if len(present) < len(renamed):
        g = S.broadcast_to(S.reshape(g, [d if c in have else 1 for c, d in zip(renamed, shape)]),
                           tuple(shape))
    return g


def _einsum_vjp(i):
    """The cotangent of operand ``i``: the cotangent contracted with the other operand."""
    def rule(ct, ans, *ops, subscripts):
        ins, out = parse(subscripts)
        x, target = ops[i], ins[i]
        if len(ins) == 1:
            g, g_term = ct, out
        else:
            other = ins[1 - i]
            have = set(out) | set(other)
            g_term = "".join(dict.fromkeys(c for c in target if c in have))
            g = einsum_p.bind(ct, ops[1 - i], subscripts=f"{out},{other}->{g_term}")
        return _cast_like(to_term(g, g_term, target, x.shape), x)
    return rule


defvjp(einsum_p, _einsum_vjp(0), _einsum_vjp(1), saves="inputs", uses=({1}, {0}))


def _einsum_batch(vals, dims, subscripts):
    """A fresh index for the batch axis, in place in each batched operand, first in the output."""
    ins, out = parse(subscripts)
    (b,) = _fresh_letters(set(subscripts), 1)
    terms = [t if d is None else t[:d] + b + t[d:] for t, d in zip(ins, dims)]
    return einsum_p.bind(*vals, subscripts=",".join(terms) + "->" + b + out), 0


einsum_p.batch = _einsum_batch


# ---- helpers the rules (and fgrad.numpy) are written with --------------------------
def matmul(a, b):
    return matmul_p.bind(a, b)


def einsum(subscripts, *ops):
    """One unary/binary einsum with normalized ``subscripts`` (no-op when it is the identity)."""
    if len(ops) == 1 and subscripts == f"{subscripts.split('->')[0]}->{subscripts.split('->')[0]}":
        return ops[0]
    return einsum_p.bind(*ops, subscripts=subscripts)
