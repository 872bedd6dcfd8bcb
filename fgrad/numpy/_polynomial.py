"""Polynomials (NumPy's ``poly*`` on coefficient arrays, highest power first) and
piecewise-linear interpolation (``interp``), with ``searchsorted``.

All are compositions: ``polyval`` is Horner's rule, ``polyfit`` a least-squares solve
through a QR factorisation of the scaled Vandermonde matrix (NumPy's scaling), ``interp``
a gather of the bracketing samples and a linear blend, so each is differentiable in all
its array inputs (``interp`` in ``x``, ``xp`` and ``fp``).
"""
from __future__ import annotations

import numpy as np

from .._array import Array
from ..primitives import shape as S, sorting as P, unary as U
from ..primitives.special import stable_argsort_p
from ..transforms.core import Tracer, bind
from ._core import asarray, arange, zeros
from ._creation_more import vander
from ._elementwise import where, abs as abs_, sqrt, clip
from ._indexing import take
from ._reductions import sum as _sum
from ._shape import concatenate, ravel, reshape
from ..primitives import indexing as I
from ._indexing import from_host
from . import linalg

__all__ = ["searchsorted", "interp", "polyval", "polyfit", "polyder", "polyint", "polyadd",
           "polysub", "polymul"]


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
