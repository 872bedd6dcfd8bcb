"""``eig``: eigenvalues and right eigenvectors of a real non-symmetric matrix, as JAX's.

``eig(a) -> (w, v)``, complex (complex64 for float32, complex128 otherwise) even when
the spectrum is real, ``a v_j = w_j v_j``, each ``v_j`` of unit 2-norm with its
largest-magnitude component real (LAPACK's ``geev`` normalisation; NumPy's
``linalg.eig`` gives that normalisation too). Batched over leading axes.

Forward mode (non-degenerate perturbation theory, JAX's ``_eig_vec_jvp`` with
``enable_eigvec_derivs=True``): with ``P = V^-1 dA V`` and
``F_ij = 1 / (w_j - w_i)`` off the diagonal,

    dw = diag(P),   U = V (F o P),   dv_j = u_j + c_j v_j,
    c_j = -Re(v_j^H u_j) - i Im(u_kj) / v_kj,   k = argmax_i |v_ij|

(``c`` keeps the normalisation). The VJP is this map's transpose, built from the
transposes of its operations (JAX's convention: ``real^T ct = ct + 0j``, ``imag^T ct
= -1j ct``, ``mul^T`` multiplies by the same factor), and the real part of the result
(the input is real). Repeated eigenvalues make ``F`` infinite (NaN downstream), as in
JAX; eigenvalue derivatives alone (``eigvals``) stay finite where the eigenvectors do.
Complex solves run as real ones of twice the size, so every rule is made of
differentiable primitives.
"""
from __future__ import annotations

import numpy as np

from ..transforms.core import ShapedArray, Zero
from . import contraction, shape as S
from .binary import select, _R
from .core import Primitive, front_batch_rule
from .creation import from_host
from .linalg import _result_dtype, check_matrix, solve
from .reductions import reduce_sum, argmax_p
from .unary import conj, convert, imag, real, abs_p
from .fft import complex_dtype

eig_p = Primitive("eig", multiple_results=True, grad_fn_name="LinalgEigBackward0")


def _eig_impl(xp, a):
    cdt = complex_dtype(_result_dtype("eig", a.dtype))
    w, v = xp.linalg.eig(a)
    return w.astype(cdt), v.astype(cdt)


def _eig_aval(a):
    check_matrix("eig", a.shape)
    cdt = complex_dtype(_result_dtype("eig", a.dtype))
    return ShapedArray(a.shape[:-1], cdt, a.device), ShapedArray(a.shape, cdt, a.device)


# ---- complex helpers made of real primitives ------------------------------------
def _T(x):
    nd = x.ndim
    return S.transpose(x, tuple(range(nd - 2)) + (nd - 1, nd - 2))


def _mm(a, b):
    return contraction.matmul(a, b)


def _csolve(m, b):
    """``m^-1 b`` for complex m, b: the real system [[Mr, -Mi], [Mi, Mr]] [Xr; Xi] = [Br; Bi]."""
    mr, mi = real(m), imag(m)
    top = S.concatenate([mr, -mi], mr.ndim - 1)
    bottom = S.concatenate([mi, mr], mr.ndim - 1)
    big = S.concatenate([top, bottom], mr.ndim - 2)
    rhs = S.concatenate([real(b), imag(b)], b.ndim - 2)
    x = solve(big, rhs)
    n = m.shape[-1]
    xr = S.slice_axis(x, x.ndim - 2, 0, n)
    xi = S.slice_axis(x, x.ndim - 2, n, 2 * n)
    return convert(xr, m.dtype) + convert(xi, m.dtype) * 1j


def _diag(x):
    n = x.shape[-1]
    return reduce_sum(x * from_host(np.eye(n, dtype=x.dtype), x.device), (x.ndim - 1,))


def _diag_embed(v):
    n = v.shape[-1]
    return S.expand_dims(v, (-1,)) * from_host(np.eye(n, dtype=v.dtype), v.device)


def _gaps(w):
    """F_ij = 1 / (w_j - w_i) off the diagonal, 0 on it."""
    n = w.shape[-1]
    eye = from_host(np.eye(n, dtype=w.dtype), w.device)
    d = S.expand_dims(w, (-2,)) - S.expand_dims(w, (-1,))
    return 1.0 / (eye + d) - eye


def _largest_mask(v):
    """1 at each column's largest-magnitude entry (argmax, as LAPACK's normalisation)."""
    n = v.shape[-2]
    k = argmax_p.bind(abs_p.bind(v), axis=v.ndim - 2)
    iota = from_host(np.arange(n).reshape(n, 1), v.device)
    return convert(_R["equal"].bind(S.expand_dims(k, (-2,)), iota), v.dtype)


def _eig_jvp(primals, tangents):
    a, = primals
    w, v = eig_p.bind(a)
    t = tangents[0]
    if type(t) is Zero:
        return (w, v), [Zero.like(w), Zero.like(v)]
    p = _mm(_csolve(v, convert(t, v.dtype)), v)
    dw = _diag(p)
    u = _mm(v, _gaps(w) * p)
    mask = _largest_mask(v)
    re = -real(reduce_sum(conj(v) * u, (v.ndim - 2,)))
    im = -imag(reduce_sum(mask * u, (v.ndim - 2,))) / real(reduce_sum(mask * v, (v.ndim - 2,)))
    c = convert(re, v.dtype) + convert(im, v.dtype) * 1j
    return (w, v), [dw, u + v * S.expand_dims(c, (-2,))]


def _eig_vjp(ct, needs, ans, a):
    ct_w, ct_v = ct
    w, v = ans
    ct_c = reduce_sum(v * ct_v, (v.ndim - 2,))
    mask = _largest_mask(v)
    r = real(reduce_sum(mask * v, (v.ndim - 2,)))
    ct_s1 = convert(-real(ct_c), v.dtype)
    ct_s2 = convert(imag(ct_c) / r, v.dtype) * (-1j)
    ct_u = ct_v + conj(v) * S.expand_dims(ct_s1, (-2,)) + mask * S.expand_dims(ct_s2, (-2,))
    m = _mm(_T(v), ct_u)
    # an unused v (eigvals) contributes 0 even against an infinite gap
    ct_p = select(m == 0, 0.0, _gaps(w) * m) + _diag_embed(ct_w)
    ct_d = _mm(_csolve(_T(v), ct_p), _T(v))
    return [convert(ct_d, a.dtype)]


eig_p.def_impl(_eig_impl)
eig_p.def_abstract_eval(_eig_aval)
eig_p.jvp = _eig_jvp
eig_p.vjp = _eig_vjp
eig_p.vjp_saves = "ans"
eig_p.batch = front_batch_rule(eig_p)
