"""``fgrad.scipy.linalg``: ``scipy.linalg`` functions as ``jax.scipy.linalg`` has them.

``lu``/``lu_factor`` are the primitive ``lu`` (partial pivoting, JAX's
derivative); ``solve_triangular`` solves with the triangle it is asked to read
(the other one is masked out, so neither its value nor its gradient is touched);
``expm`` is Higham's (2005) scaling and squaring with the degree-13 Padé
approximant, written with ``fgrad.numpy``, so it differentiates like any
composition. Inputs are real (float32/float64).

>>> import fgrad.numpy as fnp
>>> a = fnp.asarray([[2.0, 0.0], [1.0, 1.0]])
>>> solve_triangular(a, fnp.asarray([2.0, 3.0]), lower=True)
Array([1., 2.])
"""
from __future__ import annotations

import numpy as np

from .. import numpy as fnp
from .._array import Array
from ..errors import ConcretizationTypeError, TracerArrayConversionError
from ..primitives import linalg as L

__all__ = ["solve_triangular", "cholesky", "cho_factor", "cho_solve", "lu", "lu_factor",
           "lu_solve", "expm", "block_diag", "inv", "det", "solve"]


def _tri_mask(n, lower, unit_diagonal, like):
    k = -1 if unit_diagonal else 0
    m = np.tri(n, k=k) if lower else np.tri(n, k=k).T
    return fnp.asarray(m.astype(like.dtype))


def solve_triangular(a, b, trans=0, lower: bool = False, unit_diagonal: bool = False,
                     overwrite_b: bool = False, debug=None, check_finite: bool = True) -> Array:
    """Solve ``op(a) x = b`` reading only ``a``'s lower (``lower=True``) or upper triangle;
    ``trans`` 0/'N' (``a``), 1/'T' (``a^T``), 2/'C' (``a^H``); ``unit_diagonal`` takes the
    diagonal as ones. ``b`` is ``(..., n)`` or ``(..., n, k)``.

    >>> import fgrad.numpy as fnp
    >>> a = fnp.asarray([[2.0, 5.0], [0.0, 4.0]])
    >>> solve_triangular(a, fnp.asarray([[9.0], [8.0]]))
    Array([[-0.5],
           [ 2. ]])
    """
    a, b = fnp.asarray(a), fnp.asarray(b)
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ValueError(f"solve_triangular: a must be a square matrix (..., n, n), got shape "
                         f"{a.shape}")
    if trans not in (0, 1, 2, "N", "T", "C"):
        raise ValueError(f"solve_triangular: invalid trans {trans!r} (0/'N', 1/'T' or 2/'C')")
    dtype = np.result_type(a.dtype, b.dtype, np.float32 if a.dtype == np.float32 else np.float64)
    a, b = fnp.astype(a, dtype), fnp.astype(b, dtype)
    n = a.shape[-1]
    t = a * _tri_mask(n, lower, unit_diagonal, a)
    if unit_diagonal:
        t = t + fnp.eye(n, dtype=dtype)
    if trans in (1, 2, "T", "C"):
        t = fnp.swapaxes(t, -1, -2)
    vector = b.ndim == 1 or (b.ndim == a.ndim - 1 and b.shape[-1] == n and a.ndim > 2)
    if vector:
        return fnp.linalg.solve(t, b[..., None])[..., 0]
    return fnp.linalg.solve(t, b)


def cholesky(a, lower: bool = False, overwrite_a: bool = False,
             check_finite: bool = True) -> Array:
    """The Cholesky factor of ``a``: upper ``U`` with ``a = U^T U`` by default (SciPy's),
    lower ``L`` with ``a = L L^T`` if ``lower``.

    >>> import fgrad.numpy as fnp
    >>> cholesky(fnp.asarray([[4.0, 2.0], [2.0, 2.0]]))
    Array([[2., 1.],
           [0., 1.]])
    """
    low = fnp.linalg.cholesky(a)
    return low if lower else fnp.swapaxes(low, -1, -2)


def cho_factor(a, lower: bool = False, overwrite_a: bool = False,
               check_finite: bool = True) -> tuple:
    """``(c, lower)`` for ``cho_solve``: ``c`` the triangular factor (zeros elsewhere, as JAX).

    >>> import fgrad.numpy as fnp
    >>> cho_factor(fnp.asarray([[4.0]]))[0]
    Array([[2.]])
    """
    return cholesky(a, lower=lower), lower


def cho_solve(c_and_lower, b, overwrite_b: bool = False, check_finite: bool = True) -> Array:
    """Solve ``a x = b`` from ``cho_factor(a)``: two triangular solves.

    >>> import fgrad.numpy as fnp
    >>> a = fnp.asarray([[4.0, 2.0], [2.0, 2.0]])
    >>> cho_solve(cho_factor(a), fnp.asarray([6.0, 4.0]))
    Array([1., 1.])
    """
    c, lower = c_and_lower
    if lower:
        y = solve_triangular(c, b, lower=True)
        return solve_triangular(c, y, trans=1, lower=True)
    y = solve_triangular(c, b, trans=1, lower=False)
    return solve_triangular(c, y, lower=False)


def _unpack(lu_):
    n = lu_.shape[-1]
    low = lu_ * fnp.asarray(np.tri(n, k=-1).astype(lu_.dtype)) + fnp.eye(n, dtype=lu_.dtype)
    up = lu_ * fnp.asarray(np.tri(n).T.astype(lu_.dtype))
    return low, up


def _check_square(op, a):
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ValueError(f"{op}: expected a square matrix (..., n, n), got shape {a.shape} "
                         "(non-square LU is not supported)")


def lu(a, permute_l: bool = False, overwrite_a: bool = False, check_finite: bool = True):
    """``(p, l, u)`` with ``a = p @ l @ u`` (``(p @ l, u)`` if ``permute_l``), as SciPy.

    >>> import fgrad.numpy as fnp
    >>> p, l, u = lu(fnp.asarray([[1.0, 2.0], [3.0, 4.0]]))
    >>> (p @ l @ u).tolist()
    [[1.0, 2.0], [3.0, 4.0]]
    """
    a = fnp.asarray(a)
    _check_square("lu", a)
    lu_, _, perm = L.lu_p.bind(a)
    low, up = _unpack(lu_)
    n = a.shape[-1]
    # p[perm[i], i] = 1: a[perm] = l u  <=>  a = p l u
    p = fnp.astype(fnp.expand_dims(perm, -2) == fnp.arange(n, dtype=np.int32)[:, None], lu_.dtype)
    if permute_l:
        return p @ low, up
    return p, low, up


def lu_factor(a, overwrite_a: bool = False, check_finite: bool = True) -> tuple:
    """``(lu, piv)``: L (unit diagonal) and U packed, and LAPACK's row swaps (int32).

    >>> import fgrad.numpy as fnp
    >>> lu_factor(fnp.asarray([[1.0, 2.0], [3.0, 4.0]]))[1]
    Array([1, 1], dtype=int32)
    """
    a = fnp.asarray(a)
    _check_square("lu_factor", a)
    lu_, piv, _ = L.lu_p.bind(a)
    return lu_, piv


def _perm_from_pivots(piv):
    """The row permutation that LAPACK's swaps ``piv`` apply (n traced steps: jit-safe)."""
    piv = fnp.asarray(piv)
    n = piv.shape[-1]
    iota = fnp.arange(n, dtype=piv.dtype)
    perm = fnp.broadcast_to(iota, piv.shape)
    for k in range(n):
        j = piv[..., k:k + 1]
        pk = perm[..., k:k + 1]
        pj = fnp.take_along_axis(perm, j, axis=-1)
        perm = fnp.where(iota == k, pj, fnp.where(iota == j, pk, perm))
    return perm


def lu_solve(lu_and_piv, b, trans: int = 0, overwrite_b: bool = False,
             check_finite: bool = True) -> Array:
    """Solve ``a x = b`` (``trans=1``: ``a^T x = b``) from ``lu_factor(a)``.

    Differentiable in ``lu`` and ``b``.

    >>> import fgrad.numpy as fnp
    >>> a = fnp.asarray([[1.0, 2.0], [3.0, 4.0]])
    >>> lu_solve(lu_factor(a), fnp.asarray([5.0, 11.0]))
    Array([1., 2.])
    """
    lu_, piv = lu_and_piv
    lu_, b = fnp.asarray(lu_), fnp.asarray(b)
    perm = _perm_from_pivots(piv)
    n = lu_.shape[-1]
    p = fnp.astype(fnp.expand_dims(perm, -1) == fnp.arange(n)[None, :], lu_.dtype)  # (P x) = x[perm]
    vector = b.ndim == lu_.ndim - 1
    bb = b[..., None] if vector else b
    if trans in (0, "N"):
        y = solve_triangular(lu_, p @ bb, lower=True, unit_diagonal=True)
        x = solve_triangular(lu_, y, lower=False)
    elif trans in (1, 2, "T", "C"):
        y = solve_triangular(lu_, bb, trans=1, lower=False)
        z = solve_triangular(lu_, y, trans=1, lower=True, unit_diagonal=True)
        x = fnp.swapaxes(p, -1, -2) @ z
    else:
        raise ValueError(f"lu_solve: invalid trans {trans!r}")
    return x[..., 0] if vector else x


# Higham (2005), "The scaling and squaring method for the matrix exponential revisited".
_PADE13 = (64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
           129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0,
           40840800.0, 960960.0, 16380.0, 182.0, 1.0)
_THETA13 = 5.371920351148152
_MAX_SQUARINGS = 40


def expm(A, *, upper_triangular: bool = False, max_squarings: int = 16) -> Array:
    """The matrix exponential ``exp(A)`` of (a stack of) square matrices.

    Scaling and squaring: ``A / 2^s`` with ``s`` from the 1-norm (a constant for
    the derivative), the [13/13] Padé approximant, then ``s`` squarings. ``s`` is
    per matrix; when ``A`` is traced (``jit``, ``vmap``) the number of squarings is
    ``max_squarings`` with the extra ones skipped by ``where``.

    >>> import fgrad.numpy as fnp
    >>> round(float(expm(fnp.asarray([[1.0]]))[0, 0]), 12)
    2.718281828459
    """
    A = fnp.asarray(A)
    _check_square("expm", A)
    if A.dtype.kind not in "f":
        A = fnp.astype(A, np.float64)
    n = A.shape[-1]
    norm = fnp.stop_gradient(fnp.max(fnp.sum(fnp.abs(A), axis=-2), axis=-1))
    s = fnp.maximum(fnp.ceil(fnp.log2(fnp.maximum(norm, 1e-300) / _THETA13)), 0.0)
    try:
        steps = int(max(np.ravel(s.tolist()), default=0))
    except (ConcretizationTypeError, TracerArrayConversionError):
        steps = int(max_squarings)      # traced: a fixed number of guarded squarings
    steps = min(steps, _MAX_SQUARINGS)
    s = fnp.minimum(s, float(steps))
    A = A / fnp.expand_dims(2.0 ** s, (-1, -2))
    b = _PADE13
    eye = fnp.eye(n, dtype=A.dtype)
    A2 = A @ A
    A4 = A2 @ A2
    A6 = A4 @ A2
    U = A @ (A6 @ (b[13] * A6 + b[11] * A4 + b[9] * A2) + b[7] * A6 + b[5] * A4 + b[3] * A2
             + b[1] * eye)
    V = A6 @ (b[12] * A6 + b[10] * A4 + b[8] * A2) + b[6] * A6 + b[4] * A4 + b[2] * A2 + b[0] * eye
    R = fnp.linalg.solve(V - U, V + U)
    for i in range(steps):
        R = fnp.where(fnp.expand_dims(s > i, (-1, -2)), R @ R, R)
    return R


def block_diag(*arrs) -> Array:
    """A block-diagonal matrix of the 2-d blocks ``arrs`` (0- and 1-d ones as rows).

    >>> import fgrad.numpy as fnp
    >>> block_diag(fnp.asarray([[1.0]]), fnp.asarray([[2.0, 3.0]])).tolist()
    [[1.0, 0.0, 0.0], [0.0, 2.0, 3.0]]
    """
    if not arrs:
        return fnp.zeros((1, 0))
    blocks = []
    for a in arrs:
        a = fnp.asarray(a)
        if a.ndim > 2:
            raise ValueError(f"block_diag: arguments must have at most 2 dimensions, got shape "
                             f"{a.shape}")
        blocks.append(fnp.reshape(a, (1, -1)) if a.ndim < 2 else a)
    dtype = np.result_type(*[b.dtype for b in blocks])
    cols = sum(b.shape[1] for b in blocks)
    rows, start = [], 0
    for b in blocks:
        c = b.shape[1]
        rows.append(fnp.pad(fnp.astype(b, dtype), ((0, 0), (start, cols - start - c))))
        start += c
    return fnp.concatenate(rows, axis=0)


def inv(a, overwrite_a: bool = False, check_finite: bool = True) -> Array:
    """The inverse of a square matrix (``fgrad.numpy.linalg.inv``).

    >>> import fgrad.numpy as fnp
    >>> inv(fnp.asarray([[2.0]]))
    Array([[0.5]])
    """
    return fnp.linalg.inv(a)


def det(a, overwrite_a: bool = False, check_finite: bool = True) -> Array:
    """The determinant (``fgrad.numpy.linalg.det``).

    >>> import fgrad.numpy as fnp
    >>> det(fnp.asarray([[2.0, 1.0], [1.0, 3.0]]))
    Array(5.)
    """
    return fnp.linalg.det(a)


def solve(a, b, lower: bool = False, overwrite_a: bool = False, overwrite_b: bool = False,
          check_finite: bool = True, assume_a: str = "gen") -> Array:
    """Solve ``a x = b`` (``fgrad.numpy.linalg.solve``; ``b`` may be a vector).

    >>> import fgrad.numpy as fnp
    >>> solve(fnp.asarray([[2.0, 0.0], [0.0, 4.0]]), fnp.asarray([2.0, 2.0]))
    Array([1. , 0.5])
    """
    return fnp.linalg.solve(a, b)
