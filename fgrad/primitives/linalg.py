"""Linear-algebra primitives: inv, det, slogdet, solve, cholesky, eigh, svd, qr, pinv.

Every primitive works on the last two axes and is batched over the leading
ones, as ``numpy.linalg`` is; so each batching rule only moves the batch axis
to the front. Inputs are real (float32/float64; integers compute in float64).

Derivative rules are the standard forward-mode results, written with
primitives (``solve``, ``matmul``, masks), and their explicit transposes:

* inv:      dX = -X dA X                          (X = A^-1)
* det:      d det = det tr(A^-1 dA)
* slogdet:  d log|det| = tr(A^-1 dA)
* solve:    dX = A^-1 (dB - dA X)
* cholesky: dL = L Phi(L^-1 dA L^-T), Phi = lower triangle with halved diagonal
            (Murray 2016, arXiv:1602.07527)
* eigh:     dw = diag(V^T dA V), dV = V (F o V^T dA V), F_ij = 1/(w_j - w_i)
* svd:      Townsend 2016 ("Differentiating the SVD"), as JAX writes it
* qr:       Walter & Lehmann 2018 (m >= n), as JAX writes it
* pinv:     Golub & Pereyra 1973, eq. 4.12 (constant rank)

``cholesky`` and ``eigh`` read one triangle of their input (the lower one by
default, as LAPACK does), so their tangent is the symmetric matrix that
triangle defines: ``E = tril(dA) + tril(dA, -1)^T``. The ``fgrad.numpy.linalg``
wrappers symmetrise the input first (JAX's ``symmetrize_input=True``), which
makes the gradient with respect to the full matrix symmetric.

Where a rule is undefined it yields inf/NaN, never a silently wrong number:
repeated eigenvalues (eigh) or singular values (svd) make ``F`` infinite,
a zero singular value makes the ``m != n`` svd terms and pinv's rank jump
undefined, a non-positive-definite matrix makes cholesky NaN (as JAX), and a
singular matrix makes inv/solve/det rules raise ``LinAlgError`` in eager mode.
"""
from __future__ import annotations

import numpy as np

from .. import errors
from ..transforms.core import ShapedArray, Zero
from .core import (Primitive, _fit, defjvp, defvjp, elementwise_batch_rule, front_batch_rule,
                   unbroadcast)
from . import contraction, shape as S
from .reductions import reduce_sum
from .binary import _R, select
from .creation import from_host
from .unary import convert


# ------------------------------------------------------------------ helpers --
def _result_dtype(op, dtype):
    """The floating dtype ``op`` computes in (NumPy's rule: integers give float64)."""
    dtype = np.dtype(dtype)
    if dtype.kind in "biu":
        return np.dtype(np.float64)
    if dtype.kind == "c":
        raise TypeError(f"{op}: complex inputs ({dtype}) are not supported by fgrad.numpy.linalg")
    if dtype == np.float16 or dtype.kind != "f":
        raise TypeError(f"{op}: dtype {dtype} is not supported by linalg (use float32 or float64)")
    return dtype


def check_matrix(op, shape, square=True):
    """A (stack of) matrices, square when ``square``: else a ValueError naming ``op``."""
    shape = tuple(shape)
    if len(shape) < 2:
        raise ValueError(f"{op}: expected a matrix (at least 2 dimensions), got an array of "
                         f"shape {errors.fmt_shape(shape)}")
    if square and shape[-1] != shape[-2]:
        raise ValueError(f"{op}: expected a square matrix or a stack of them (shape (..., n, n)), "
                         f"got shape {errors.fmt_shape(shape)}")


def _linalg_error(xp):
    return getattr(xp.linalg, "LinAlgError", np.linalg.LinAlgError)


def _singular(op, shape):
    return np.linalg.LinAlgError(
        f"singular matrix in an array of shape {errors.fmt_shape(shape)}: {op} is undefined "
        "(use fgrad.numpy.linalg.pinv or lstsq for singular systems)")


def _T(x):
    """Swap the last two axes."""
    nd = x.ndim
    return S.transpose(x, tuple(range(nd - 2)) + (nd - 1, nd - 2))


def _mm(a, b):
    """``a @ b`` over the last two axes, broadcasting the leading ones."""
    return contraction.matmul(a, b)


def _const(arr, like):
    """A host constant on ``like``'s device, in its dtype."""
    return from_host(np.asarray(arr, dtype=like.dtype), like.device)


def _eye(n, like):
    return _const(np.eye(n), like)


def _diag_part(x):
    """The diagonals of (..., n, n) as (..., n)."""
    return reduce_sum(x * _eye(x.shape[-1], x), (x.ndim - 1,))


def _diag_embed(v):
    """(..., n) as diagonal matrices (..., n, n)."""
    return S.expand_dims(v, (-1,)) * _eye(v.shape[-1], v)


def _trace(x):
    return reduce_sum(_diag_part(x), (x.ndim - 2,))


def _scale_mats(c, x):
    """Per-matrix scalars ``c`` (shape (...)) times matrices ``x`` (..., n, n)."""
    return S.expand_dims(c, (-1, -2)) * x


def _triangle_tangent(t, lower):
    """The symmetric matrix a routine reading one triangle sees: tril(t) + tril(t, -1)^T."""
    n = t.shape[-1]
    tri, strict = np.tri(n), np.tri(n, k=-1)
    if not lower:
        tri, strict = tri.T, strict.T
    return t * _const(tri, t) + _T(t * _const(strict, t))


def _triangle_cotangent(g, lower):
    """The transpose of ``_triangle_tangent``: g -> tril(g) + tril(g^T, -1)."""
    n = g.shape[-1]
    tri, strict = np.tri(n), np.tri(n, k=-1)
    if not lower:
        tri, strict = tri.T, strict.T
    return g * _const(tri, g) + _T(g) * _const(strict, g)


def _gap_matrix(d):
    """F_ij = 1 / d_ij off the diagonal, 0 on it; a zero gap gives inf (so NaN downstream)."""
    eye = _eye(d.shape[-1], d)
    return select(eye > 0, 0.0, 1 / (d + eye))


def _gap_product(f, x):
    """``f * x`` where a zero of ``x`` contributes 0 even against an infinite gap.

    Reverse mode hands a rule zeros for the outputs nobody used: ``s`` alone
    of an ``svd`` (or ``w`` of an ``eigh``) must keep a finite gradient at
    repeated values, while a used ``U``/``V`` there still gives inf/NaN.
    """
    return select(x == 0, 0.0, f * x)


def _square_aval(op, a, shape=None):
    check_matrix(op, a.shape)
    return ShapedArray(a.shape if shape is None else shape, _result_dtype(op, a.dtype), a.device)


# ---------------------------------------------------------------------- inv --
# dX = -X dA X; the VJP is its transpose, -X^T ct X^T. Singular: LinAlgError.
inv_p = Primitive("inv", grad_fn_name="LinalgInvExBackward0")


def _inv_impl(xp, a):
    try:
        return xp.linalg.inv(a)
    except _linalg_error(xp):
        raise _singular("the inverse", a.shape) from None


inv_p.def_impl(_inv_impl)
inv_p.def_abstract_eval(lambda a: _square_aval("inv", a))
defjvp(inv_p, lambda t, ans, a: -_mm(_mm(ans, t), ans))
defvjp(inv_p, lambda ct, ans, a: -_mm(_mm(_T(ans), ct), _T(ans)), saves="ans")
inv_p.batch = front_batch_rule(inv_p)


# ---------------------------------------------------------------------- det --
# d det(A) = det(A) tr(A^-1 dA); the VJP is ct det(A) A^-T. At a singular A the
# rules solve with A: LinAlgError in eager mode (JAX gives NaN there).
det_p = Primitive("det", grad_fn_name="LinalgDetBackward0")
det_p.def_impl(lambda xp, a: xp.linalg.det(a))
det_p.def_abstract_eval(lambda a: _square_aval("det", a, a.shape[:-2]))
defjvp(det_p, lambda t, ans, a: ans * _trace(solve(a, t)))
defvjp(det_p, lambda ct, ans, a: _scale_mats(ct * ans, _T(inv(a))))
det_p.batch = front_batch_rule(det_p)


# ------------------------------------------------------------------ slogdet --
# (sign, log|det A|): d log|det| = tr(A^-1 dA); the sign is piecewise constant.
slogdet_p = Primitive("slogdet", multiple_results=True, grad_fn_name="LinalgSlogdetBackward0")
slogdet_p.def_impl(lambda xp, a: tuple(xp.linalg.slogdet(a)))


def _slogdet_aval(a):
    out = _square_aval("slogdet", a, a.shape[:-2])
    return out, out


def _slogdet_jvp(primals, tangents):
    a, = primals
    sign, logdet = slogdet_p.bind(a)
    return (sign, logdet), [Zero.like(sign), _trace(solve(a, tangents[0]))]


def _slogdet_vjp(ct, needs, ans, a):
    return [_scale_mats(ct[1], _T(inv(a)))]


slogdet_p.def_abstract_eval(_slogdet_aval)
slogdet_p.jvp = _slogdet_jvp
slogdet_p.vjp = _slogdet_vjp
slogdet_p.vjp_saves = "inputs"
slogdet_p.batch = front_batch_rule(slogdet_p)


# -------------------------------------------------------------------- solve --
# X = A^-1 B for a (..., n, n) and b (..., n, k), leading axes broadcast.
# dX = A^-1 (dB - dA X); VJP: G = A^-T ct, then ct_b = G, ct_a = -G X^T.
solve_p = Primitive("solve", grad_fn_name="LinalgSolveExBackward0")


def _solve_shapes(a_shape, b_shape):
    check_matrix("solve", a_shape)
    bad = len(b_shape) < 2 or b_shape[-2] != a_shape[-1]
    batch = None
    if not bad:
        try:
            batch = tuple(np.broadcast_shapes(a_shape[:-2], b_shape[:-2]))
        except ValueError:
            bad = True
    if bad:
        raise ValueError(f"solve: a {errors.fmt_shape(a_shape)} and b {errors.fmt_shape(b_shape)} "
                         f"have incompatible shapes (b must be (..., {a_shape[-1]}, k) with "
                         "leading axes that broadcast with a's)")
    return batch + (a_shape[-1], b_shape[-1])


def _solve_impl(xp, a, b):
    batch = tuple(np.broadcast_shapes(a.shape[:-2], b.shape[:-2]))
    a = xp.broadcast_to(a, batch + a.shape[-2:])
    b = xp.broadcast_to(b, batch + b.shape[-2:])
    try:
        return xp.linalg.solve(a, b)
    except _linalg_error(xp):
        raise _singular("the solution", a.shape) from None


def _solve_aval(a, b):
    dtype = _result_dtype("solve", np.result_type(a.dtype, b.dtype))
    return ShapedArray(_solve_shapes(a.shape, b.shape), dtype, a.device)


def _solve_jvp(primals, tangents):
    a, b = primals
    ta, tb = tangents
    x = solve_p.bind(a, b)
    rhs = None if type(tb) is Zero else tb
    if type(ta) is not Zero:
        rhs = -_mm(ta, x) if rhs is None else rhs - _mm(ta, x)
    if rhs is None:
        return x, Zero.like(x)
    return x, _fit(solve_p.bind(a, rhs), x)


def _solve_vjp(ct, needs, ans, a, b):
    g = solve_p.bind(_T(a), ct)
    return [unbroadcast(-_mm(g, _T(ans)), a) if needs[0] else None,
            unbroadcast(g, b) if needs[1] else None]


solve_p.def_impl(_solve_impl)
solve_p.def_abstract_eval(_solve_aval)
solve_p.jvp = _solve_jvp
solve_p.vjp = _solve_vjp
solve_p.vjp_saves = "both"
# Leading axes broadcast like an element-wise op's: pad batched operands, one call.
solve_p.batch = elementwise_batch_rule(solve_p)


# ----------------------------------------------------------------- cholesky --
# L lower with A = L L^T, reading A's lower triangle. A matrix that is not
# positive definite gives NaN in L's lower triangle (JAX's convention; nothing is raised, so it
# behaves the same inside and outside transforms). With E the symmetric tangent:
#   dL = L Phi(L^-1 E L^-T); VJP: S = L^-T Phi(L^T ct) L^-1, then the triangle's transpose.
cholesky_p = Primitive("cholesky", grad_fn_name="LinalgCholeskyExBackward0")


def _cholesky_impl(xp, a):
    err = _linalg_error(xp)
    try:
        out = xp.linalg.cholesky(a)
    except err:
        # NumPy raises if any matrix of the stack is not positive definite:
        # factor the others one by one (the error path only).
        flat = xp.reshape(a, (-1,) + a.shape[-2:])
        dtype = flat.dtype if flat.dtype.kind == "f" else xp.float64
        out = xp.full(flat.shape, xp.nan, dtype=dtype)
        for i in range(flat.shape[0]):
            try:
                out[i] = xp.linalg.cholesky(flat[i])
            except err:
                pass
        out = xp.reshape(out, a.shape)
    # CuPy does not raise: a failed pivot leaves NaN/inf in part of the factor.
    # Either way, a failed matrix becomes NaN on and below the diagonal, 0 above (JAX's).
    bad = ~xp.all(xp.isfinite(out), axis=(-2, -1), keepdims=True)
    return xp.where(bad, xp.tril(xp.full(out.shape, xp.nan, dtype=out.dtype)), out)


def _phi(x):
    """Lower triangle with the diagonal halved."""
    n = x.shape[-1]
    return x * _const(np.tri(n) - 0.5 * np.eye(n), x)


def _cholesky_jvp(primals, tangents):
    a, = primals
    L = cholesky_p.bind(a)
    e = _triangle_tangent(tangents[0], True)
    m = _T(solve(L, _T(solve(L, e))))            # L^-1 E L^-T
    return L, _mm(L, _phi(m))


def _cholesky_vjp(ct, needs, ans, a):
    Lt = _T(ans)
    p = _phi(_mm(Lt, ct))
    s = _T(solve(Lt, _T(solve(Lt, p))))          # L^-T P L^-1
    return [_triangle_cotangent(s, True)]


cholesky_p.def_impl(_cholesky_impl)
cholesky_p.def_abstract_eval(lambda a: _square_aval("cholesky", a))
cholesky_p.jvp = _cholesky_jvp
cholesky_p.vjp = _cholesky_vjp
cholesky_p.vjp_saves = "ans"
cholesky_p.batch = front_batch_rule(cholesky_p)


# --------------------------------------------------------------------- eigh --
# Eigenvalues (ascending) and eigenvectors of the symmetric matrix one triangle
# of ``a`` defines (``lower``). With E the symmetric tangent and Vt E V = M:
#   dw = diag(M), dV = V (F o M), F_ij = 1 / (w_j - w_i) (0 on the diagonal).
# Repeated eigenvalues make F infinite: the eigenvector derivative (and with
# it any gradient through V) is inf/NaN there, as in JAX; the eigenvalue
# derivative alone (compute_v=False) stays finite.
eigh_p = Primitive("eigh", multiple_results=True, grad_fn_name="LinalgEighBackward0")


def _eigh_impl(xp, a, lower, compute_v):
    uplo = "L" if lower else "U"
    if compute_v:
        return tuple(xp.linalg.eigh(a, UPLO=uplo))
    return (xp.linalg.eigvalsh(a, UPLO=uplo),)


def _eigh_aval(a, lower, compute_v):
    vecs = _square_aval("eigh", a)
    vals = ShapedArray(a.shape[:-1], vecs.dtype, a.device)
    return (vals, vecs) if compute_v else (vals,)


def _eigh_gaps(w):
    return _gap_matrix(S.expand_dims(w, (-2,)) - S.expand_dims(w, (-1,)))


def _eigh_jvp(primals, tangents, lower, compute_v):
    a, = primals
    w, v = eigh_p.bind(a, lower=lower, compute_v=True)
    m = _mm(_mm(_T(v), _triangle_tangent(tangents[0], lower)), v)
    dw = _diag_part(m)
    if not compute_v:
        return (w,), [dw]
    return (w, v), [dw, _mm(v, _eigh_gaps(w) * m)]


def _eigh_vjp(ct, needs, ans, a, lower, compute_v):
    if compute_v:
        w, v = ans
        inner = _diag_embed(ct[0]) + _gap_product(_eigh_gaps(w), _mm(_T(v), ct[1]))
    else:
        w, v = eigh_p.bind(a, lower=lower, compute_v=True)
        inner = _diag_embed(ct[0])
    return [_triangle_cotangent(_mm(_mm(v, inner), _T(v)), lower)]


eigh_p.def_impl(_eigh_impl)
eigh_p.def_abstract_eval(_eigh_aval)
eigh_p.jvp = _eigh_jvp
eigh_p.vjp = _eigh_vjp
eigh_p.vjp_saves = "both"
eigh_p.batch = front_batch_rule(eigh_p)


# ---------------------------------------------------------------------- svd --
# A = U diag(s) Vh. Reduced SVD (k = min(m, n)), with dP = U^T dA V, S = diag(s),
# F_ij = 1 / (s_j^2 - s_i^2) (0 on the diagonal):
#   ds = diag(dP)
#   dU = U (F o (dP S + S dP^T)) [+ (I - U U^T) dA V S^-1 when m > n]
#   dV = V (F o (S dP + dP^T S)) [+ (I - V V^T) dA^T U S^-1 when n > m]
# Repeated singular values make F infinite and zero ones make S^-1 infinite:
# derivatives through U/V are inf/NaN there (as in JAX); those of s alone
# (compute_uv=False) stay finite. full_matrices=True has no derivative for a
# non-square matrix (the extra columns are arbitrary): NotImplementedError.
svd_p = Primitive("svd", multiple_results=True, grad_fn_name="LinalgSvdBackward0")


def _svd_impl(xp, a, full_matrices, compute_uv):
    if compute_uv:
        return tuple(xp.linalg.svd(a, full_matrices=full_matrices))
    return (xp.linalg.svd(a, compute_uv=False),)


def _svd_aval(a, full_matrices, compute_uv):
    check_matrix("svd", a.shape, square=False)
    dtype = _result_dtype("svd", a.dtype)
    m, n = a.shape[-2:]
    k = min(m, n)
    batch = a.shape[:-2]
    s = ShapedArray(batch + (k,), dtype, a.device)
    if not compute_uv:
        return (s,)
    ku, kv = (m, n) if full_matrices else (k, k)
    return (ShapedArray(batch + (m, ku), dtype, a.device), s,
            ShapedArray(batch + (kv, n), dtype, a.device))


def _svd_full_check(a, full_matrices):
    m, n = a.shape[-2:]
    if full_matrices and m != n:
        raise NotImplementedError(
            f"svd: no derivative with full_matrices=True for a non-square matrix of shape "
            f"{errors.fmt_shape(a.shape)} (the extra singular vectors are arbitrary); "
            "use full_matrices=False")


def _svd_gaps(s):
    row = S.expand_dims(s, (-2,))
    col = S.expand_dims(s, (-1,))
    return _gap_matrix((row + col) * (row - col))


def _svd_jvp(primals, tangents, full_matrices, compute_uv):
    a, = primals
    t = tangents[0]
    _svd_full_check(a, full_matrices and compute_uv)
    u, s, vh = svd_p.bind(a, full_matrices=full_matrices and compute_uv, compute_uv=True)
    v = _T(vh)
    dp = _mm(_mm(_T(u), t), v)
    ds = _diag_part(dp)
    if not compute_uv:
        return (s,), [ds]
    row = S.expand_dims(s, (-2,))
    f = _svd_gaps(s)
    dps, sdp = dp * row, dp * _T(row)
    du = _mm(u, f * (dps + _T(dps)))
    dv = _mm(v, f * (sdp + _T(sdp)))
    m, n = a.shape[-2:]
    if m > n:
        du = du + (_mm(t, v) - _mm(u, dp)) / row
    if n > m:
        dv = dv + (_mm(_T(t), u) - _mm(v, _T(dp))) / row
    return (u, s, vh), [du, ds, _T(dv)]


def _svd_vjp(ct, needs, ans, a, full_matrices, compute_uv):
    if not compute_uv:
        u, s, vh = svd_p.bind(a, full_matrices=False, compute_uv=True)
        return [_mm(u * S.expand_dims(ct[0], (-2,)), vh)]
    _svd_full_check(a, full_matrices)
    u, s, vh = ans
    ubar, sbar, vbar = ct[0], ct[1], _T(ct[2])
    v = _T(vh)
    row = S.expand_dims(s, (-2,))
    f = _svd_gaps(s)
    utu, vtv = _mm(_T(u), ubar), _mm(vh, vbar)
    j, k = _gap_product(f, utu), _gap_product(f, vtv)
    pbar = _diag_embed(sbar) + (j + _T(j)) * row + _T(row) * (k + _T(k))
    abar = _mm(_mm(u, pbar), vh)
    m, n = a.shape[-2:]
    if m > n:
        abar = abar + _mm((ubar - _mm(u, utu)) / row, vh)
    if n > m:
        abar = abar + _mm(u, _T((vbar - _mm(v, vtv)) / row))
    return [abar]


svd_p.def_impl(_svd_impl)
svd_p.def_abstract_eval(_svd_aval)
svd_p.jvp = _svd_jvp
svd_p.vjp = _svd_vjp
svd_p.vjp_saves = "both"
svd_p.batch = front_batch_rule(svd_p)


# ----------------------------------------------------------------------- qr --
# A = Q R (Householder, as LAPACK). For m >= n, with X = dA R^-1, C = Q^T X and
# Omega = tril(C, -1) - tril(C, -1)^T (skew):
#   dQ = Q (Omega - C) + X,  dR = (C - Omega) R
# VJP: M = Q^T Qbar - Rbar R^T, Cbar = -M + tril(M - M^T, -1), Abar = (Qbar + Q Cbar) R^-T.
# Wide matrices (m < n), and full_matrices=True when m > n, have no derivative
# here (JAX has none either): NotImplementedError.
qr_p = Primitive("qr", multiple_results=True, grad_fn_name="LinalgQrBackward0")
qr_p.def_impl(lambda xp, a, full_matrices: tuple(
    xp.linalg.qr(a, mode="complete" if full_matrices else "reduced")))


def _qr_aval(a, full_matrices):
    check_matrix("qr", a.shape, square=False)
    dtype = _result_dtype("qr", a.dtype)
    m, n = a.shape[-2:]
    k = m if full_matrices else min(m, n)
    batch = a.shape[:-2]
    return (ShapedArray(batch + (m, k), dtype, a.device),
            ShapedArray(batch + (k, n), dtype, a.device))


def _qr_check(a, full_matrices):
    m, n = a.shape[-2:]
    if m < n or (full_matrices and m != n):
        raise NotImplementedError(
            f"qr: no derivative for a matrix of shape {errors.fmt_shape(a.shape)} with "
            f"{'mode=complete' if full_matrices else 'mode=reduced'} (implemented for m >= n, "
            "reduced mode, or square matrices)")


def _qr_jvp(primals, tangents, full_matrices):
    a, = primals
    _qr_check(a, full_matrices)
    q, r = qr_p.bind(a, full_matrices=full_matrices)
    x = _T(solve(_T(r), _T(tangents[0])))          # dA R^-1
    c = _mm(_T(q), x)
    lo = c * _const(np.tri(c.shape[-1], k=-1), c)
    omega = lo - _T(lo)
    return (q, r), [_mm(q, omega - c) + x, _mm(c - omega, r)]


def _qr_vjp(ct, needs, ans, a, full_matrices):
    _qr_check(a, full_matrices)
    q, r = ans
    qbar, rbar = ct
    m = _mm(_T(q), qbar) - _mm(rbar, _T(r))
    cbar = (m - _T(m)) * _const(np.tri(m.shape[-1], k=-1), m) - m
    xbar = qbar + _mm(q, cbar)
    return [_T(solve(r, _T(xbar)))]                 # Xbar R^-T


qr_p.def_abstract_eval(_qr_aval)
qr_p.jvp = _qr_jvp
qr_p.vjp = _qr_vjp
qr_p.vjp_saves = "ans"
qr_p.batch = front_batch_rule(qr_p)


# --------------------------------------------------------------------- pinv --
# A primitive for numerics: the composite V S^+ U^T would differentiate through
# svd, whose rule is NaN at repeated singular values (pinv of an orthogonal
# matrix). Golub & Pereyra's formula (valid where the rank is locally constant):
#   dP = -P dA P + P P^T dA^T (I - A P) + (I - P A) dA^T P^T P
# VJP: Abar = -P^T Pbar P^T + (I - A P) Pbar^T P P^T + P^T P Pbar^T (I - P A).
pinv_p = Primitive("pinv", grad_fn_name="LinalgPinvBackward0")


def _pinv_impl(xp, a, rcond):
    m, n = a.shape[-2:]
    if min(m, n) == 0:
        return xp.zeros(a.shape[:-2] + (n, m), dtype=a.dtype if a.dtype.kind == "f" else xp.float64)
    u, s, vt = xp.linalg.svd(a, full_matrices=False)          # NumPy's own algorithm
    large = s > rcond * xp.max(s, axis=-1, keepdims=True)
    sinv = xp.where(large, 1 / xp.where(large, s, 1), 0)
    return xp.matmul(xp.swapaxes(vt, -1, -2), sinv[..., None] * xp.swapaxes(u, -1, -2))


def _pinv_aval(a, rcond):
    check_matrix("pinv", a.shape, square=False)
    return ShapedArray(a.shape[:-2] + (a.shape[-1], a.shape[-2]), _result_dtype("pinv", a.dtype),
                       a.device)


def _pinv_jvp_rule(t, p, a, rcond):
    tt = _T(t)
    i_ap = _eye(a.shape[-2], p) - _mm(a, p)
    i_pa = _eye(a.shape[-1], p) - _mm(p, a)
    return (-_mm(_mm(p, t), p) + _mm(_mm(_mm(p, _T(p)), tt), i_ap)
            + _mm(_mm(i_pa, tt), _mm(_T(p), p)))


def _pinv_vjp_rule(ct, p, a, rcond):
    pt, ctt = _T(p), _T(ct)
    i_ap = _eye(a.shape[-2], p) - _mm(a, p)
    i_pa = _eye(a.shape[-1], p) - _mm(p, a)
    return (-_mm(_mm(pt, ct), pt) + _mm(_mm(i_ap, ctt), _mm(p, pt))
            + _mm(_mm(pt, p), _mm(ctt, i_pa)))


pinv_p.def_impl(_pinv_impl)
pinv_p.def_abstract_eval(_pinv_aval)
defjvp(pinv_p, _pinv_jvp_rule)
defvjp(pinv_p, _pinv_vjp_rule)
pinv_p.batch = front_batch_rule(pinv_p)


# ----------------------------------------------------------------------- lu --
# LU with partial pivoting of square (..., n, n) matrices, as JAX's lu_p: outputs
# (lu, pivots, permutation) with A[perm] = L U, L unit lower and U upper packed in lu,
# pivots LAPACK's row swaps (int32). pivots/permutation carry no gradient.
#   dLU = L tril(X, -1) + triu(X) U,  X = L^-1 dA[perm] U^-1      (JAX's _lu_jvp_rule)
# VJP: Xbar = tril(L^T G, -1) + triu(G U^T); dA[perm] gets L^-T Xbar U^-T.
lu_p = Primitive("lu", multiple_results=True, grad_fn_name="LinalgLuFactorExBackward0")


def _lu_impl(xp, a):
    n = a.shape[-1]
    dtype = _result_dtype("lu", a.dtype)
    lu = xp.array(a, dtype=dtype, copy=True)
    batch = a.shape[:-2]
    lu = lu.reshape((-1, n, n))
    b = lu.shape[0]
    rows = xp.arange(b)
    perm = xp.broadcast_to(xp.arange(n), (b, n)).copy()
    pivots = xp.zeros((b, n), dtype=np.int32)
    for k in range(n):
        p = xp.argmax(xp.abs(lu[:, k:, k]), axis=1) + k
        pivots[:, k] = p
        rk, rp = lu[rows, k].copy(), lu[rows, p].copy()
        lu[rows, k], lu[rows, p] = rp, rk
        pk, pp = perm[rows, k].copy(), perm[rows, p].copy()
        perm[rows, k], perm[rows, p] = pp, pk
        piv = lu[:, k, k]
        safe = xp.where(piv == 0, 1.0, piv)
        if k + 1 < n:
            lu[:, k + 1:, k] = xp.where(piv[:, None] == 0, 0.0, lu[:, k + 1:, k] / safe[:, None])
            lu[:, k + 1:, k + 1:] -= lu[:, k + 1:, k:k + 1] * lu[:, k:k + 1, k + 1:]
    return (lu.reshape(batch + (n, n)), pivots.reshape(batch + (n,)),
            perm.astype(np.int32).reshape(batch + (n,)))


def _lu_aval(a):
    out = _square_aval("lu", a)
    idx = ShapedArray(a.shape[:-1], np.dtype(np.int32), a.device)
    return out, idx, idx


def _lu_factors(lu):
    n = lu.shape[-1]
    low = lu * _const(np.tri(n, k=-1), lu) + _eye(n, lu)
    up = lu * _const(np.tri(n).T, lu)
    return low, up


def _lu_jvp(primals, tangents):
    a, = primals
    lu, piv, perm = lu_p.bind(a)
    t = tangents[0]
    zeros = [Zero.like(piv), Zero.like(perm)]
    if type(t) is Zero:
        return (lu, piv, perm), [Zero.like(lu)] + zeros
    n = a.shape[-1]
    low, up = _lu_factors(lu)
    x = _mm(_perm_matrix(perm, t), t)
    x = _T(solve(_T(up), _T(solve(low, x))))        # L^-1 x U^-1
    dlu = (_mm(low, x * _const(np.tri(n, k=-1), x)) + _mm(x * _const(np.tri(n).T, x), up))
    return (lu, piv, perm), [dlu] + zeros


def _lu_vjp(ct, needs, ans, a):
    g = ct[0]
    lu, piv, perm = ans
    if type(g) is Zero:
        return [None]
    n = lu.shape[-1]
    low, up = _lu_factors(lu)
    xbar = (_mm(_T(low), g) * _const(np.tri(n, k=-1), g)
            + _mm(g, _T(up)) * _const(np.tri(n).T, g))
    rows = solve(_T(low), _T(solve(up, _T(xbar))))    # L^-T xbar U^-T, rows in perm order
    return [_mm(_T(_perm_matrix(perm, rows)), rows)]


def _perm_matrix(perm, like):
    """P with (P x)[i] = x[perm[i]]: one-hot rows, in ``like``'s dtype."""
    n = perm.shape[-1]
    iota = from_host(np.arange(n, dtype=np.int32), like.device)
    return convert(_R["equal"].bind(S.expand_dims(perm, (-1,)), iota), like.dtype)


lu_p.def_impl(_lu_impl)
lu_p.def_abstract_eval(_lu_aval)
lu_p.jvp = _lu_jvp
lu_p.vjp = _lu_vjp
lu_p.vjp_saves = "ans"
lu_p.batch = front_batch_rule(lu_p)


# ---- the user-level functions the rules above are written with --------------
def inv(a):
    return inv_p.bind(a)


def solve(a, b):
    return solve_p.bind(a, b)
