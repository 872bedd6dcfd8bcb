"""Polynomials (NumPy's ``poly*`` on coefficient arrays, highest power first) and
piecewise-linear interpolation (``interp``), with ``searchsorted``.

All are compositions: ``polyval`` is Horner's rule, ``polyfit`` a least-squares solve
through a QR factorisation of the scaled Vandermonde matrix (NumPy's scaling), ``interp``
a gather of the bracketing samples and a linear blend, so each is differentiable in all
its array inputs (``interp`` in ``x``, ``xp`` and ``fp``).
"""
from __future__ import annotations

import numpy as np

from .. import errors
from .._array import Array
from ..primitives import shape as S, sorting as P, unary as U
from ..primitives.special import stable_argsort_p
from ..transforms.core import Tracer, bind
from ._core import asarray, arange, zeros
from ._creation_more import vander
from ._elementwise import where, abs as abs_, sqrt, clip
from ._indexing import take
from ._reductions import sum as _sum, cumsum as _cumsum
from ._shape import concatenate, ravel, reshape
from ..primitives import indexing as I
from ._indexing import from_host, _concrete_host
from . import linalg

__all__ = ["searchsorted", "interp", "polyval", "polyfit", "polyder", "polyint", "polyadd",
           "polysub", "polymul", "poly", "polydiv", "roots"]


def searchsorted(a, v, side: str = "left", sorter=None, *, method=None) -> Array:
    """Insertion places of ``v`` into sorted 1-d ``a`` (``side``: before or after equal
    entries), by the backend's binary search (``sorter``: the argsort of an unsorted ``a``).

    >>> import fgrad.numpy as fnp
    >>> fnp.searchsorted(fnp.asarray([1, 2, 3]), fnp.asarray([2, 5]))
    Array([1, 3])
    """
    a = asarray(a)
    if a.ndim != 1:
        raise ValueError(f"searchsorted: a must be 1-d, got shape {tuple(a.shape)}")
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted: side must be 'left' or 'right', got {side!r}")
    if sorter is not None:
        a = take(a, sorter)
    v = asarray(v)
    if v.dtype != a.dtype:
        dt = np.result_type(a.dtype, v.dtype)
        a, v = U.convert(a, dt), U.convert(v, dt)
    return P.searchsorted(a, v, side)


def interp(x, xp, fp, left=None, right=None, period=None) -> Array:
    """The piecewise-linear interpolant through ``(xp, fp)`` (``xp`` increasing) at ``x``;
    ``left``/``right`` outside (default: the end values), or ``period`` for periodic data.
    Differentiable in ``x``, ``xp`` and ``fp``.

    >>> import fgrad.numpy as fnp
    >>> fnp.interp(fnp.asarray([0.5, 2.5]), fnp.asarray([0.0, 1.0, 2.0]),
    ...            fnp.asarray([0.0, 10.0, 20.0]))
    Array([ 5., 20.])
    """
    x, xp, fp = asarray(x), asarray(xp), asarray(fp)
    if xp.ndim != 1 or fp.ndim != 1:
        raise ValueError("interp: xp and fp must be one-dimensional")
    if xp.shape[0] != fp.shape[0]:
        raise ValueError("interp: fp and xp are not of the same length")
    if xp.shape[0] == 0:
        raise ValueError("interp: array of sample points is empty")
    dt = np.result_type(x.dtype, xp.dtype, np.float64 if x.dtype.kind in "biu" and
                        xp.dtype.kind in "biu" else x.dtype)
    x, xp = U.convert(x, dt), U.convert(xp, dt)
    if fp.dtype.kind in "biu":
        fp = U.convert(fp, dt)
    if period is not None:
        if period == 0:
            raise ValueError("interp: period must be a non-zero value")
        period = abs_(asarray(period)) if isinstance(period, (Array, Tracer)) else abs(period)
        left = right = None
        x = x % period
        xp = xp % period
        order = bind(stable_argsort_p, xp, axis=0)
        xp, fp = take(xp, order), take(fp, order)
        n = xp.shape[0]
        xp = concatenate([S.slice_axis(xp, 0, n - 1, n) - period, xp,
                          S.slice_axis(xp, 0, 0, 1) + period], 0)
        fp = concatenate([S.slice_axis(fp, 0, n - 1, n), fp, S.slice_axis(fp, 0, 0, 1)], 0)
    n = xp.shape[0]
    if n == 1:
        f = S.broadcast_to(S.reshape(fp, ()), tuple(x.shape))
    else:
        i = clip(P.searchsorted(xp, x, "right"), 1, n - 1)
        x0, x1 = take(xp, i - 1), take(xp, i)
        f0, f1 = take(fp, i - 1), take(fp, i)
        dx = x1 - x0
        flat = abs_(dx) <= np.spacing(np.finfo(dt).eps)        # repeated xp: no slope
        f = where(flat, f0, f0 + ((x - x0) / where(flat, 1, dx)) * (f1 - f0))
    first, last = take(fp, 0), take(fp, n - 1)
    f = where(x < take(xp, 0), first if left is None else left, f)
    f = where(x > take(xp, n - 1), last if right is None else right, f)
    return f


def _poly1d(p, name):
    p = asarray(p)
    if p.ndim != 1:
        raise ValueError(f"{name}: the coefficients must be 1-d, got shape {tuple(p.shape)}")
    return p


def polyval(p, x) -> Array:
    """The polynomial with coefficients ``p`` (highest power first) at ``x`` (Horner).

    >>> import fgrad.numpy as fnp
    >>> fnp.polyval(fnp.asarray([3, 0, 1]), 5)
    Array(76)
    """
    p, x = _poly1d(p, "polyval"), asarray(x)
    n = p.shape[0]
    y = x * 0
    for i in range(n):
        y = y * x + take(p, i)
    return y


def polyder(p, m: int = 1) -> Array:
    """The ``m``-th derivative of the polynomial ``p``.

    >>> import fgrad.numpy as fnp
    >>> fnp.polyder(fnp.asarray([1, 2, 3]))
    Array([2, 2])
    """
    m = int(m)
    if m < 0:
        raise ValueError("polyder: Order of derivative must be positive (see polyint)")
    p = _poly1d(p, "polyder")
    for _ in range(m):
        n = p.shape[0] - 1
        if n <= 0:
            return zeros((1,), p.dtype, p.device) if n == 0 else p
        p = S.slice_axis(p, 0, 0, n) * arange(n, 0, -1)
    return p


def polyint(p, m: int = 1, k=None) -> Array:
    """The ``m``-th antiderivative of ``p``, integration constants ``k`` (zeros by default).

    >>> import fgrad.numpy as fnp
    >>> fnp.polyint(fnp.asarray([3.0, 2.0, 1.0]))
    Array([1., 1., 1., 0.])
    """
    m = int(m)
    if m < 0:
        raise ValueError("polyint: Order of integral must be positive (see polyder)")
    p = _poly1d(p, "polyint")
    if p.dtype.kind in "biu":
        p = U.convert(p, np.float64)
    ks = ravel(asarray(0.0 if k is None else k))
    if ks.shape[0] == 1 and m > 1:
        ks = S.broadcast_to(ks, (m,))
    if ks.shape[0] < m:
        raise ValueError("polyint: k must be a scalar or a rank-1 array of length 1 or >m.")
    for j in range(m):
        n = p.shape[0]
        p = concatenate([p / arange(n, 0, -1), S.reshape(U.convert(take(ks, j), p.dtype), (1,))],
                        0)
    return p


def _aligned(a1, a2):
    a1, a2 = ravel(asarray(a1)), ravel(asarray(a2))
    n = max(a1.shape[0], a2.shape[0])
    pad = lambda a: a if a.shape[0] == n else concatenate(  # noqa: E731
        [zeros((n - a.shape[0],), a.dtype, a.device), a], 0)
    return pad(a1), pad(a2)


def polyadd(a1, a2) -> Array:
    """The sum of two polynomials.

    >>> import fgrad.numpy as fnp
    >>> fnp.polyadd(fnp.asarray([1, 2]), fnp.asarray([1, 0, 0]))
    Array([1, 1, 2])
    """
    a, b = _aligned(a1, a2)
    return a + b


def polysub(a1, a2) -> Array:
    """The difference of two polynomials."""
    a, b = _aligned(a1, a2)
    return a - b


def polymul(a1, a2) -> Array:
    """The product of two polynomials (a full convolution of the coefficients: the outer
    product summed along its anti-diagonals).

    >>> import fgrad.numpy as fnp
    >>> fnp.polymul(fnp.asarray([1, 1]), fnp.asarray([1, -1]))
    Array([ 1,  0, -1])
    """
    a, b = ravel(asarray(a1)), ravel(asarray(a2))
    na, nb = a.shape[0], b.shape[0]
    outer = reshape(S.reshape(a, (na, 1)) * S.reshape(b, (1, nb)), (na * nb,))
    pos = (np.arange(na)[:, None] + np.arange(nb)[None, :]).reshape(-1, 1).astype(np.int64)
    return I.scatter_add(zeros((na + nb - 1,), outer.dtype, outer.device),
                         from_host(pos, outer.device), outer)


def polyfit(x, y, deg: int, rcond=None, full: bool = False, w=None, cov=False):
    """Least-squares polynomial coefficients of degree ``deg`` (highest first) fitting
    ``y`` (1-d or one column per fit) at ``x``, with weights ``w``; ``full`` also returns
    (residuals, rank, singular values, rcond), ``cov`` the coefficients' covariance, as
    NumPy's. Differentiable in ``x``, ``y`` and ``w`` (QR of the column-scaled Vandermonde
    matrix; assumes it has full rank).

    >>> import fgrad.numpy as fnp
    >>> fnp.round(fnp.polyfit(fnp.asarray([0.0, 1.0, 2.0]), fnp.asarray([1.0, 3.0, 5.0]), 1), 6)
    Array([2., 1.])
    """
    deg = int(deg)
    if deg < 0:
        raise ValueError("polyfit: expected deg >= 0")
    x, y = asarray(x), asarray(y)
    if x.ndim != 1:
        raise TypeError("polyfit: expected 1D vector for x")
    if x.shape[0] == 0:
        raise TypeError("polyfit: expected non-empty vector for x")
    if y.ndim < 1 or y.ndim > 2:
        raise TypeError("polyfit: expected 1D or 2D array for y")
    if x.shape[0] != y.shape[0]:
        raise TypeError("polyfit: expected x and y to have same length")
    if x.dtype.kind in "biu":
        x = U.convert(x, np.float64)
    if y.dtype.kind in "biu":
        y = U.convert(y, np.float64)
    order = deg + 1
    lhs = vander(x, order)
    rhs = y
    if w is not None:
        w = asarray(w)
        if w.ndim != 1 or w.shape[0] != y.shape[0]:
            raise TypeError("polyfit: expected a 1-d weight vector of the length of y")
        lhs = lhs * S.reshape(w, (-1, 1))
        rhs = rhs * (w if rhs.ndim == 1 else S.reshape(w, (-1, 1)))
    scale = sqrt(_sum(lhs * lhs, axis=0))
    lhs = lhs / scale
    q, r = linalg.qr(lhs)
    rhs2 = rhs if rhs.ndim == 2 else S.reshape(rhs, (-1, 1))
    c = linalg.solve(r, q.T @ rhs2)
    c = c / S.reshape(scale, (-1, 1))
    resid_vec = lhs @ (c * S.reshape(scale, (-1, 1))) - rhs2
    resids = _sum(resid_vec * resid_vec, axis=0)
    if rhs.ndim == 1:
        c, resids = S.reshape(c, (order,)), S.reshape(resids, (1,))
    if full:
        sv = linalg.svd(lhs, compute_uv=False)
        rc = x.shape[0] * np.finfo(x.dtype).eps if rcond is None else rcond
        return c, resids, order, sv, rc
    if cov:
        vbase = linalg.inv(lhs.T @ lhs) / (S.reshape(scale, (-1, 1)) * S.reshape(scale, (1, -1)))
        if cov == "unscaled":
            fac = 1.0
        else:
            if x.shape[0] <= order:
                raise ValueError("polyfit: the number of data points must exceed order to "
                                 "scale the covariance matrix")
            fac = resids / (x.shape[0] - order)
        if rhs.ndim == 1:
            return c, vbase * (S.reshape(fac, ()) if isinstance(fac, (Array, Tracer)) else fac)
        return c, S.reshape(vbase, (order, order, 1)) * fac
    return c


def _host_or_none(a, what):
    """The concrete host value of ``a`` (eager, or a primal under grad), else None (jit, vmap)."""
    try:
        return _concrete_host(a, what)
    except errors.ConcretizationTypeError:
        return None


def _mintype(a):
    """NumPy's ``mintypecode`` for polynomial data: float32 and complex stay, the rest float64."""
    if a.dtype in (np.float32, np.float64, np.complex64, np.complex128):
        return a
    return U.convert(a, np.float64)


def poly(seq_of_zeros) -> Array:
    """The coefficients (highest power first, leading 1) of the monic polynomial with the
    given roots, or of a square matrix's characteristic polynomial, as ``numpy.poly``:
    real when the roots come in conjugate pairs (decided on concrete values; under
    ``jit``/``vmap`` complex roots give complex coefficients, as JAX). Differentiable in
    the roots (and the matrix, through ``eigvals``).

    >>> import fgrad.numpy as fnp
    >>> fnp.poly(fnp.asarray([1.0, 2.0]))
    Array([ 1., -3.,  2.])
    """
    z = asarray(seq_of_zeros)
    if z.ndim == 0:
        z = S.reshape(z, (1,))
    sh = tuple(z.shape)
    if len(sh) == 2 and sh[0] == sh[1] and sh[0] != 0:
        z = linalg.eigvals(z)
        h = _host_or_none(z, "poly")
        if h is not None and z.dtype.kind == "c" and not np.any(h.imag):
            z = U.real(z)                 # numpy.linalg.eigvals: real when all are real
    elif len(sh) == 1:
        z = _mintype(z)
    else:
        raise ValueError("poly: input must be 1d or non-empty square 2d array.")
    n = z.shape[0]
    if n == 0:
        return asarray(1.0)
    a = S.reshape(U.convert(asarray(1), z.dtype), (1,))
    zero = zeros((1,), z.dtype, z.device)
    for k in range(n):                    # a(x) (x - z_k)
        a = concatenate([a, zero], 0) - take(z, k) * concatenate([zero, a], 0)
    if a.dtype.kind == "c":
        h = _host_or_none(z, "poly")
        if h is not None:
            r = np.asarray(h, complex)
            if np.all(np.sort(r) == np.sort(r.conjugate())):
                a = U.real(a)
    return a


def polydiv(u, v, *, trim_leading_zeros: bool = True) -> tuple:
    """``(quotient, remainder)`` of the polynomial division ``u / v`` (coefficients highest
    power first), as ``numpy.polydiv``: float results; the remainder's leading entries
    within 1e-8 of zero are trimmed (NumPy's rule), which needs concrete values; under
    ``jit``/``vmap`` pass ``trim_leading_zeros=False`` (JAX's default) to keep the
    remainder at ``len(u)`` entries. Differentiable in ``u`` and ``v``.

    >>> import fgrad.numpy as fnp
    >>> fnp.polydiv(fnp.asarray([1.0, 3.0, 2.0]), fnp.asarray([1.0, 1.0]))
    (Array([1., 2.]), Array([0.]))
    """
    u, v = asarray(u), asarray(v)
    u = S.reshape(u, (1,)) if u.ndim == 0 else u
    v = S.reshape(v, (1,)) if v.ndim == 0 else v
    if u.ndim != 1 or v.ndim != 1:
        raise ValueError(f"polydiv: u and v must be 1-d, got shapes {tuple(u.shape)} and "
                         f"{tuple(v.shape)}")
    if u.shape[0] == 0 or v.shape[0] == 0:
        raise ValueError("polydiv: u and v must have at least one coefficient")
    u, v = u + 0.0, v + 0.0
    dt = np.result_type(u.dtype, v.dtype)
    u, v = U.convert(u, dt), U.convert(v, dt)
    m, n = u.shape[0] - 1, v.shape[0] - 1
    scale = 1.0 / take(v, 0)
    r = u
    qs = []
    for k in range(m - n + 1):
        d = scale * take(r, k)
        qs.append(S.reshape(d, (1,)))
        seg = S.slice_axis(r, 0, k, k + n + 1) - d * v
        r = concatenate([S.slice_axis(r, 0, 0, k), seg, S.slice_axis(r, 0, k + n + 1, m + 1)],
                        0)
    q = concatenate(qs, 0) if qs else zeros((1,), dt, u.device)
    if trim_leading_zeros:
        h = _host_or_none(r, "polydiv")
        if h is None:
            raise errors.ConcretizationTypeError(
                "polydiv: trimming the remainder's leading zeros (NumPy's rule) gives it a "
                "shape that depends on the values, which are traced here; pass "
                "trim_leading_zeros=False (as jax.numpy.polydiv's default)")
        start = 0
        while start < h.shape[0] - 1 and np.allclose(h[start], 0, rtol=1e-14):
            start += 1
        r = S.slice_axis(r, 0, start, m + 1)
    return q, r


def roots(p, *, strip_zeros: bool = True) -> Array:
    """The roots of the polynomial with coefficients ``p`` (highest power first): the
    eigenvalues of its companion matrix, as ``numpy.roots``. With ``strip_zeros`` (the
    default) leading and trailing zero coefficients are removed first and the roots at 0
    that trailing zeros stand for are appended as exact (constant) zeros; the result is
    real when every root is (NumPy's dtype). That needs concrete values: under ``jit`` or
    ``vmap`` pass ``strip_zeros=False`` (JAX's rule: complex roots of the whole companion
    matrix, NaN for each leading zero). Differentiable in ``p`` through ``eigvals``.

    >>> import fgrad.numpy as fnp
    >>> fnp.sort(fnp.roots(fnp.asarray([1.0, -3.0, 2.0])))
    Array([1., 2.])
    """
    p = asarray(p)
    p = S.reshape(p, (1,)) if p.ndim == 0 else p
    if p.ndim != 1:
        raise ValueError(f"roots: input must be a rank-1 array, got shape {tuple(p.shape)}")
    if p.dtype.kind == "c":
        raise TypeError("roots: complex coefficients are not supported (the companion "
                        "matrix's eigenvalues come from fgrad.numpy.linalg.eigvals, which "
                        "takes real matrices)")
    if p.dtype.kind != "f":
        p = U.convert(p, np.float64)
    if not strip_zeros:
        return _roots_with_zeros(p)
    h = _host_or_none(p, "roots")
    if h is None:
        raise errors.ConcretizationTypeError(
            "roots: stripping the leading and trailing zero coefficients (strip_zeros=True) "
            "needs concrete values, which are traced here (jit or vmap); pass "
            "strip_zeros=False (leading zeros then give NaN roots, as jax.numpy.roots)")
    nz = np.flatnonzero(h)
    if nz.size == 0:
        return asarray(np.zeros((0,), np.float64))
    first, last = int(nz[0]), int(nz[-1])
    trailing = h.shape[0] - last - 1
    p = S.slice_axis(p, 0, first, last + 1)
    r = _companion_roots(p)
    if r is None:
        r = asarray(np.zeros((0,), np.float64))
    else:
        hr = _host_or_none(r, "roots")
        if hr is not None and not np.any(hr.imag):
            r = U.real(r)                 # numpy.linalg.eigvals: real when all are real
    if trailing:
        r = concatenate([r, zeros((trailing,), r.dtype, r.device)], 0)
    return r


def _companion_roots(p):
    """The (complex) eigenvalues of the companion matrix of ``p`` (``p[0] != 0``): first row
    ``-p[1:] / p[0]``, ones below the diagonal. None when ``len(p) < 2``."""
    n = p.shape[0]
    if n < 2:
        return None
    first_row = S.reshape(-S.slice_axis(p, 0, 1, n) / take(p, 0), (1, n - 1))
    below = from_host(np.eye(n - 2, n - 1, dtype=p.dtype), p.device)
    return linalg.eigvals(concatenate([first_row, below], 0))


def _roots_with_zeros(p):
    """JAX's ``roots(strip_zeros=False)``: leading zeros rolled to the end, their roots NaN."""
    n = p.shape[0]
    cdt = np.result_type(p.dtype, np.complex64)
    if n < 2:
        return zeros((0,), cdt, p.device)
    zero_run = _cumsum(U.convert(p == 0, np.int64)) == arange(1, n + 1)
    lead = _sum(U.convert(zero_run, np.int64))        # the number of leading zeros
    all_zero = lead == n
    q = where(all_zero, 1.0, take(p, (arange(n) + where(all_zero, 0, lead)) % n))
    r = _companion_roots(q)
    r = U.convert(r, cdt) if r.dtype != cdt else r
    # the rolled-in zeros' roots are 0: sorted to the end, then NaN for each leading zero
    r = take(r, bind(stable_argsort_p, U.convert(r == 0, np.int64), axis=0))
    return where(arange(n - 1) < (n - 1) - lead, r, complex(np.nan, np.nan))
