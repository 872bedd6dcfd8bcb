"""Products for ``fgrad.numpy``: ``matmul dot vdot inner outer tensordot kron einsum cross``...

Everything is a composition of the ``matmul`` and pairwise ``einsum`` primitives
(``fgrad/primitives/contraction.py``) and element-wise/shape primitives; no rules
here. ``einsum`` contracts pairwise along the path ``opt_einsum`` chooses, so its
derivatives are pairwise einsums too.
"""
from __future__ import annotations

import string
from functools import lru_cache

import numpy as np

from .. import errors
from .._array import Array
from ..primitives import binary as B, shape as S, unary as U
from ..primitives import contraction as P
from ..transforms.core import SCALAR_TYPES, Tracer
from ._core import _size, asarray

__all__ = ["matmul", "dot", "vdot", "inner", "outer", "tensordot", "kron", "einsum",
           "einsum_path", "cross", "matvec", "vecmat", "vecdot"]

# Sublist integers map to letters in increasing character order (so implicit-mode
# outputs, sorted by character, follow the integers' order as NumPy's do).
_SUBLIST_LETTERS = string.ascii_uppercase + string.ascii_lowercase


def _array(x):
    return x if isinstance(x, (Array, Tracer)) else asarray(x)


def _is_scalar(x):
    return type(x) in SCALAR_TYPES


def _shapes(a, b):
    return f"{errors.fmt_shape(a.shape)} and {errors.fmt_shape(b.shape)}"


def matmul(a, b) -> Array:
    """The matrix product with NumPy's rules: 1-D operands are promoted to a row
    (left) or column (right) and the added axis removed; batch dimensions broadcast.

    >>> import fgrad.numpy as fnp
    >>> fnp.matmul(fnp.ones((5, 2, 3)), fnp.ones((3, 4))).shape
    (5, 2, 4)
    """
    return P.matmul_p.bind(a if _is_scalar(a) else _array(a), b if _is_scalar(b) else _array(b))


def tensordot(a, b, axes=2) -> Array:
    """Sum of products over ``axes``: an int ``N`` (the last N of ``a`` with the first N
    of ``b``) or a pair of axis sequences (or of ints), as ``numpy.tensordot``.

    >>> import fgrad.numpy as fnp
    >>> fnp.tensordot(fnp.ones((2, 3, 4)), fnp.ones((3, 4, 5))).shape
    (2, 5)
    """
    a, b = _array(a), _array(b)
    if isinstance(axes, (int, np.integer)):
        if axes < 0:
            raise ValueError(f"tensordot: axes must be a non-negative integer, got {axes}")
        if axes > min(a.ndim, b.ndim):
            raise ValueError(f"tensordot: cannot contract {axes} axes of shapes {_shapes(a, b)}")
        ax_a, ax_b = list(range(a.ndim - axes, a.ndim)), list(range(axes))
    else:
        ax_a, ax_b = axes
        ax_a = [ax_a] if isinstance(ax_a, (int, np.integer)) else list(ax_a)
        ax_b = [ax_b] if isinstance(ax_b, (int, np.integer)) else list(ax_b)
    if len(ax_a) != len(ax_b):
        raise ValueError(f"tensordot: {len(ax_a)} axes of a but {len(ax_b)} axes of b "
                         f"(shapes {_shapes(a, b)})")
    for k, (i, j) in enumerate(zip(ax_a, ax_b)):
        if not (-a.ndim <= i < a.ndim and -b.ndim <= j < b.ndim):
            raise ValueError(f"tensordot: axes {ax_a} and {ax_b} are out of bounds for shapes "
                             f"{_shapes(a, b)}")
        ax_a[k], ax_b[k] = int(i) % a.ndim, int(j) % b.ndim
        if a.shape[ax_a[k]] != b.shape[ax_b[k]]:
            raise ValueError(f"tensordot: shape mismatch for sum: shapes {_shapes(a, b)}, "
                             f"a dim {ax_a[k]} has {a.shape[ax_a[k]]} but b dim {ax_b[k]} has "
                             f"{b.shape[ax_b[k]]}")
    letters = iter(string.ascii_letters)
    ta = [next(letters) for _ in range(a.ndim)]
    tb = [next(letters) for _ in range(b.ndim)]
    for i, j in zip(ax_a, ax_b):
        tb[j] = ta[i]
    out = [c for i, c in enumerate(ta) if i not in ax_a] + \
          [c for j, c in enumerate(tb) if j not in ax_b]
    return P.einsum_p.bind(a, b, subscripts=f"{''.join(ta)},{''.join(tb)}->{''.join(out)}")


def dot(a, b) -> Array:
    """``numpy.dot``: a product with a scalar, the inner product of vectors, the matrix
    product of matrices, and for N-D arrays a sum over the last axis of ``a`` and the
    second-to-last of ``b``.

    >>> import fgrad.numpy as fnp
    >>> fnp.dot(fnp.asarray([1.0, 2.0]), fnp.asarray([3.0, 4.0]))
    Array(11.)
    """
    if _is_scalar(a) or _is_scalar(b):
        return B.mul_p.bind(a, b)
    a, b = _array(a), _array(b)
    if a.ndim == 0 or b.ndim == 0:
        return B.mul_p.bind(a, b)
    kb = b.shape[-2] if b.ndim > 1 else b.shape[0]
    if a.shape[-1] != kb:
        db = b.ndim - 2 if b.ndim > 1 else 0
        raise ValueError(f"dot: shapes {_shapes(a, b)} not aligned: {a.shape[-1]} "
                         f"(dim {a.ndim - 1}) != {kb} (dim {db})")
    if b.ndim == 1 or a.ndim <= 2 and b.ndim == 2:
        return P.matmul_p.bind(a, b)
    return tensordot(a, b, ([a.ndim - 1], [b.ndim - 2]))


def vdot(a, b) -> Array:
    """The dot product of the flattened arrays, conjugating the first (``numpy.vdot``).

    >>> import fgrad.numpy as fnp
    >>> fnp.vdot(fnp.ones((2, 2)), fnp.ones(4))
    Array(4.)
    """
    a, b = _array(a), _array(b)
    if _size(a) != _size(b):
        raise ValueError(f"vdot: shapes {_shapes(a, b)} have different sizes "
                         f"({_size(a)} and {_size(b)})")
    if a.dtype.kind == "c":
        a = U.conj_p.bind(a)
    return P.matmul_p.bind(S.reshape(a, (_size(a),)), S.reshape(b, (_size(b),)))


def inner(a, b) -> Array:
    """Sum of products over the last axes (``numpy.inner``); a product with a scalar.

    >>> import fgrad.numpy as fnp
    >>> fnp.inner(fnp.ones((2, 3)), fnp.ones((4, 3))).shape
    (2, 4)
    """
    if _is_scalar(a) or _is_scalar(b):
        return B.mul_p.bind(a, b)
    a, b = _array(a), _array(b)
    if a.ndim == 0 or b.ndim == 0:
        return B.mul_p.bind(a, b)
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(f"inner: shapes {_shapes(a, b)}: mismatch in the last dimension "
                         f"({a.shape[-1]} != {b.shape[-1]})")
    return tensordot(a, b, ([a.ndim - 1], [b.ndim - 1]))


def outer(a, b) -> Array:
    """``a.ravel()[:, None] * b.ravel()[None, :]`` (``numpy.outer``).

    >>> import fgrad.numpy as fnp
    >>> fnp.outer(fnp.ones(2), fnp.ones(3)).shape
    (2, 3)
    """
    a, b = _array(a), _array(b)
    return B.mul_p.bind(S.reshape(a, (_size(a), 1)), S.reshape(b, (1, _size(b))))


def kron(a, b) -> Array:
    """The Kronecker product (``numpy.kron``): blocks ``a[i, j] * b``.

    >>> import fgrad.numpy as fnp
    >>> fnp.kron(fnp.eye(2), fnp.ones((2, 3))).shape
    (4, 6)
    """
    a, b = _array(a), _array(b)
    nd = max(a.ndim, b.ndim)
    sa = (1,) * (nd - a.ndim) + tuple(a.shape)
    sb = (1,) * (nd - b.ndim) + tuple(b.shape)
    # a as (a0, 1, a1, 1, ...), b as (1, b0, 1, b1, ...): the product interleaves them
    prod = B.mul_p.bind(S.reshape(a, [d for n in sa for d in (n, 1)]),
                        S.reshape(b, [d for n in sb for d in (1, n)]))
    return S.reshape(prod, [x * y for x, y in zip(sa, sb)])


def cross(a, b, axis: int = -1) -> Array:
    """The cross product of 3-vectors along ``axis`` (other axes broadcast), as
    ``numpy.cross(a, b, axis=axis)``; written with products and differences.

    >>> import fgrad.numpy as fnp
    >>> fnp.cross(fnp.asarray([1.0, 0.0, 0.0]), fnp.asarray([0.0, 1.0, 0.0]))
    Array([0., 0., 1.])
    """
    a, b = _array(a), _array(b)
    if a.ndim == 0 or b.ndim == 0 or not (-a.ndim <= axis < a.ndim and -b.ndim <= axis < b.ndim):
        raise ValueError(f"cross: axis {axis} is out of bounds for shapes {_shapes(a, b)}")
    a, b = S.moveaxis(a, axis, -1), S.moveaxis(b, axis, -1)
    if a.shape[-1] != 3 or b.shape[-1] != 3:
        raise ValueError(f"cross: incompatible dimensions for cross product of shapes "
                         f"{_shapes(a, b)} along axis {axis} (dimension must be 3)")
    B.broadcast_shapes("cross", a.shape, b.shape)

    def part(x, i):
        return S.squeeze(S.slice_axis(x, x.ndim - 1, i, i + 1), (x.ndim - 1,))
    a0, a1, a2 = (part(a, i) for i in range(3))
    b0, b1, b2 = (part(b, i) for i in range(3))
    parts = [a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0]
    c = S.concatenate([S.expand_dims(p, (p.ndim,)) for p in parts], parts[0].ndim)
    return S.moveaxis(c, -1, axis)


def matvec(x1, x2) -> Array:
    """Matrix-vector products over broadcast batches (``numpy.matvec``): ``(..., m, n), (..., n)``.

    >>> import fgrad.numpy as fnp
    >>> fnp.matvec(fnp.ones((4, 2, 3)), fnp.ones(3)).shape
    (4, 2)
    """
    x1, x2 = _array(x1), _array(x2)
    if x1.ndim < 2 or x2.ndim < 1:
        raise ValueError(f"matvec: shapes {_shapes(x1, x2)}: need a matrix and a vector")
    out = P.matmul_p.bind(x1, S.expand_dims(x2, (x2.ndim,)))
    return S.squeeze(out, (out.ndim - 1,))


def vecmat(x1, x2) -> Array:
    """Vector-matrix products ``conj(v) @ A`` over broadcast batches (``numpy.vecmat``).

    >>> import fgrad.numpy as fnp
    >>> fnp.vecmat(fnp.ones(2), fnp.ones((2, 3))).shape
    (3,)
    """
    x1, x2 = _array(x1), _array(x2)
    if x1.ndim < 1 or x2.ndim < 2:
        raise ValueError(f"vecmat: shapes {_shapes(x1, x2)}: need a vector and a matrix")
    if x1.dtype.kind == "c":
        x1 = U.conj_p.bind(x1)
    out = P.matmul_p.bind(S.expand_dims(x1, (x1.ndim - 1,)), x2)
    return S.squeeze(out, (out.ndim - 2,))


def vecdot(x1, x2, axis: int = -1) -> Array:
    """``sum(conj(x1) * x2, axis)`` with broadcasting (``numpy.vecdot``), as one batched matmul.

    >>> import fgrad.numpy as fnp
    >>> fnp.vecdot(fnp.ones((4, 3)), fnp.ones(3)).shape
    (4,)
    """
    x1, x2 = _array(x1), _array(x2)
    if x1.ndim == 0 or x2.ndim == 0:
        raise ValueError(f"vecdot: shapes {_shapes(x1, x2)}: operands must be at least 1-D")
    x1, x2 = S.moveaxis(x1, axis, -1), S.moveaxis(x2, axis, -1)
    if x1.shape[-1] != x2.shape[-1]:
        raise ValueError(f"vecdot: shapes {_shapes(x1, x2)}: the contracted axis {axis} differs "
                         f"({x1.shape[-1]} != {x2.shape[-1]})")
    if x1.dtype.kind == "c":
        x1 = U.conj_p.bind(x1)
    out = P.matmul_p.bind(S.expand_dims(x1, (x1.ndim - 1,)), S.expand_dims(x2, (x2.ndim,)))
    return S.reshape(out, out.shape[:-2])


# ==================================================================== einsum ==
def _sublist(sub):
    out = []
    for s in sub:
        if s is Ellipsis:
            out.append("...")
        elif isinstance(s, (int, np.integer)) and 0 <= s < 52:
            out.append(_SUBLIST_LETTERS[s])
        else:
            raise ValueError(f"einsum: sublist entries must be integers in [0, 52) or ..., got {s!r}")
    return "".join(out)


def _interleaved(args):
    """einsum(op0, sublist0, op1, sublist1, ..., [sublist_out]) -> (subscripts, operands)."""
    n = len(args) // 2
    ops = list(args[0:2 * n:2])
    terms = [_sublist(s) for s in args[1:2 * n:2]]
    sub = ",".join(terms)
    if len(args) % 2:
        sub += "->" + _sublist(args[-1])
    return sub, ops


def _parse(subscripts, shapes):
    """Normalize user subscripts for operands of ``shapes``: letters only, explicit output.

    Returns (terms, out, squeezes): ``squeezes[k]`` lists the size-1 axes of operand
    ``k`` broadcast against a longer axis of the same index (dropped from its term).
    """
    s = subscripts.replace(" ", "")
    bad = set(s) - set(string.ascii_letters) - set(",.->")
    if bad:
        raise ValueError(f"einsum: invalid subscript characters {sorted(bad)} in {subscripts!r}")
    if s.count("->") > 1 or s.count("-") != s.count("->") or s.count(">") != s.count("->"):
        raise ValueError(f"einsum: subscripts {subscripts!r} must have at most one '->'")
    ins, out = s.split("->") if "->" in s else (s, None)
    terms = ins.split(",")
    if len(terms) != len(shapes):
        raise ValueError(f"einsum: {len(terms)} subscript terms in {subscripts!r} for "
                         f"{len(shapes)} operands")
    for t in terms + ([out] if out is not None else []):
        if t.replace("...", "").count(".") or t.count("...") > 1:
            raise ValueError(f"einsum: invalid ellipsis in {subscripts!r} (use '...' once per term)")
    used = set(s) - set(",.->")
    n_ell = []
    for k, (t, shp) in enumerate(zip(terms, shapes)):
        named = len(t.replace("...", ""))
        if ("..." in t and named > len(shp)) or ("..." not in t and named != len(shp)):
            raise ValueError(f"einsum: operand {k} of shape {errors.fmt_shape(shp)} has "
                             f"{len(shp)} dims but its subscripts {t!r} name {named}")
        n_ell.append(len(shp) - named if "..." in t else 0)
    n = max(n_ell)
    ell = "".join(P._fresh_letters(used, n)) if n else ""
    terms = [t.replace("...", ell[n - m:]) for t, m in zip(terms, n_ell)]
    if out is None:
        counts = {}
        for t in terms:
            for c in t:
                if c not in ell:
                    counts[c] = counts.get(c, 0) + 1
        out = ell + "".join(sorted(c for c, k in counts.items() if k == 1))
    elif "..." in out:
        out = out.replace("...", ell)
    elif any(shp[t.index(c)] != 1 for t, shp in zip(terms, shapes) for c in ell if c in t):
        raise ValueError("einsum: output has more dimensions than subscripts given in einstein "
                         "sum, but no '...' ellipsis provided to broadcast the extra dimensions "
                         f"({subscripts!r})")
    if len(set(out)) != len(out):
        raise ValueError(f"einsum: output subscript {out!r} repeats an index")
    missing = set(out) - set("".join(terms))
    if missing:
        raise ValueError(f"einsum: output subscripts {sorted(missing)} do not appear in the "
                         f"input subscripts of {subscripts!r}")
    # sizes per index; size-1 axes broadcast (NumPy's einsum allows it)
    sizes = {}
    for t, shp in zip(terms, shapes):
        for c, d in zip(t, shp):
            if sizes.get(c, 1) == 1:
                sizes[c] = d
    squeezes, new_terms = [], []
    for k, (t, shp) in enumerate(zip(terms, shapes)):
        sq = []
        for i, (c, d) in enumerate(zip(t, shp)):
            if d != sizes[c]:
                if d != 1 or t.count(c) > 1:
                    shown = " and ".join(errors.fmt_shape(x) for x in shapes)
                    raise ValueError(f"einsum {subscripts!r}: operands of shapes {shown} disagree "
                                     f"on index {c!r}: {d} (operand {k}, dim {i}) != {sizes[c]}")
                sq.append(i)
        squeezes.append(tuple(sq))
        new_terms.append("".join(c for i, c in enumerate(t) if i not in sq))
    return tuple(new_terms), out, tuple(squeezes)


@lru_cache(maxsize=1024)
def _path(subscripts, shapes, optimize):
    """The pairwise contraction order (opt_einsum's), cached per (subscripts, shapes)."""
    n = len(shapes)
    if n <= 2:
        return (tuple(range(n)),)
    if optimize is False:
        return ((0, 1),) * (n - 1)          # left to right, still pairwise
    if isinstance(optimize, tuple):
        return optimize
    import opt_einsum
    path, _ = opt_einsum.contract_path(subscripts, *shapes, shapes=True,
                                       optimize="greedy" if optimize is True else optimize)
    return tuple(tuple(p) for p in path)


def _pair_term(ta, tb, keep):
    """The indices a pairwise result keeps, laid out as (batch, free_a, free_b), which is
    the layout the matmul-based einsum produces without a transpose."""
    return "".join(dict.fromkeys(
        [c for c in ta if c in tb and c in keep] + [c for c in ta if c not in tb and c in keep]
        + [c for c in tb if c not in ta and c in keep]))


def _optimize_key(optimize):
    if isinstance(optimize, (list, tuple)):
        steps = [s for s in optimize if s != "einsum_path"]
        return tuple(tuple(int(i) for i in s) for s in steps)
    return optimize


def einsum(subscripts, *operands, optimize="optimal") -> Array:
    """Einstein summation with NumPy's subscripts (``'...'``, implicit output, the
    interleaved ``(op, sublist, ...)`` form), contracted pairwise along the path that
    ``opt_einsum`` picks (``optimize='optimal'`` by default, as JAX; ``'greedy'``,
    ``True`` (greedy), ``'dp'``..., an explicit path, or ``False``: left to right).
    Each step is one ``einsum`` primitive, so derivatives are pairwise contractions too.
    Python scalar operands multiply the result (weakly typed).

    >>> import fgrad.numpy as fnp
    >>> a = fnp.ones((2, 3))
    >>> fnp.einsum('ij,jk,kl->il', a, fnp.ones((3, 4)), fnp.ones((4, 5))).shape
    (2, 5)
    >>> fnp.einsum('ii', fnp.eye(3))
    Array(3.)
    """
    if not isinstance(subscripts, str):
        subscripts, operands = _interleaved((subscripts,) + operands)
    ops = [o if _is_scalar(o) else _array(o) for o in operands]
    shapes = tuple(() if _is_scalar(o) else tuple(o.shape) for o in ops)
    terms, out, squeezes = _parse(subscripts, shapes)
    scale = [o for o in ops if _is_scalar(o)]
    keep = [k for k, o in enumerate(ops) if not _is_scalar(o)]
    ops = [S.squeeze(ops[k], squeezes[k]) if squeezes[k] else ops[k] for k in keep]
    terms = [terms[k] for k in keep]
    if not ops:
        raise ValueError("einsum: needs at least one array operand")
    path = _path(",".join(terms) + "->" + out, tuple(tuple(o.shape) for o in ops),
                 _optimize_key(optimize))
    for step in path:
        picked = sorted(step)
        xs = [ops[i] for i in picked]
        ts = [terms[i] for i in picked]
        for i in reversed(picked):
            del ops[i], terms[i]
        rest = set("".join(terms)) | set(out)
        x, t = xs[0], ts[0]
        if len(xs) == 1:
            r = out if not ops else "".join(dict.fromkeys(c for c in t if c in rest))
            x = P.einsum(f"{t}->{r}", x)
            t = r
        for k in range(1, len(xs)):     # an n-ary step (an explicit path) runs pairwise too
            last = k == len(xs) - 1
            keep_k = rest | set("".join(ts[k + 1:]))
            r = out if last and not ops else _pair_term(t, ts[k], keep_k)
            x, t = P.einsum(f"{t},{ts[k]}->{r}", x, xs[k]), r
        ops.append(x)
        terms.append(t)
    result = P.einsum(f"{terms[0]}->{out}", ops[0])
    for s in scale:
        result = B.mul_p.bind(result, s)
    return result


def einsum_path(subscripts, *operands, optimize="optimal"):
    """The pairwise contraction order ``einsum`` uses: ``(['einsum_path', (i, j), ...], str)``.

    >>> import fgrad.numpy as fnp
    >>> fnp.einsum_path('ij,jk,kl->il', fnp.ones((2, 3)), fnp.ones((3, 4)), fnp.ones((4, 5)))[0]
    ['einsum_path', (0, 1), (0, 1)]
    """
    if not isinstance(subscripts, str):
        subscripts, operands = _interleaved((subscripts,) + operands)
    shapes = tuple(() if _is_scalar(o) else tuple(np.shape(o) if not isinstance(o, (Array, Tracer))
                                                  else o.shape) for o in operands)
    terms, out, squeezes = _parse(subscripts, shapes)
    kept = [k for k, o in enumerate(operands) if not _is_scalar(o)]
    terms = [terms[k] for k in kept]
    shapes = tuple(tuple(d for i, d in enumerate(shapes[k]) if i not in squeezes[k]) for k in kept)
    sub = ",".join(terms) + "->" + out
    path = _path(sub, shapes, _optimize_key(optimize))
    return ["einsum_path", *path], f"einsum {sub!r} contracted pairwise along {list(path)}"
