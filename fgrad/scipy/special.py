"""``fgrad.scipy.special``: special functions, as ``jax.scipy.special``.

``erf erfc erfinv gammaln digamma polygamma`` are primitives
(``fgrad/primitives/special.py``, with their derivative rules); everything
else here is a composition of primitives, written to stay finite where the
naive formula overflows or produces ``0 * inf``.

>>> import fgrad.numpy as fnp, fgrad.scipy.special as fsp
>>> float(fsp.logsumexp(fnp.asarray([1000.0, 1000.0])))  # no overflow
1000.6931471805599
"""
from __future__ import annotations

import math

import numpy as np

from .. import numpy as fnp
from ..primitives import special as _sp
from ..primitives import unary as _U
from ..transforms.core import bind

__all__ = ["erf", "erfc", "erfinv", "gammaln", "digamma", "polygamma", "expit", "logit",
           "xlogy", "xlog1py", "logsumexp", "ndtr", "ndtri", "log_ndtr", "softmax",
           "log_softmax"]

_SQRT2 = math.sqrt(2.0)
_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


def erf(x):
    """The error function ``2/sqrt(pi) int_0^x exp(-t^2) dt`` (primitive ``erf``).

    >>> round(float(erf(1.0)), 12)
    0.84270079295
    """
    return bind(_sp.erf_p, x)


def erfc(x):
    """``1 - erf(x)``, accurate in the tail (primitive ``erfc``).

    >>> float(erfc(10.0)) > 0
    True
    """
    return bind(_sp.erfc_p, x)


def erfinv(x):
    """The inverse of ``erf`` on (-1, 1); +-inf at +-1, NaN outside (primitive ``erf_inv``).

    >>> round(float(erfinv(erf(0.5))), 12)
    0.5
    """
    return bind(_sp.erf_inv_p, x)


def gammaln(x):
    """``log|Gamma(x)|``; +inf at 0, -1, -2, ... (primitive ``lgamma``; derivative ``digamma``).

    >>> round(float(gammaln(5.0)), 12)   # log(4!)
    3.178053830348
    """
    return bind(_sp.lgamma_p, x)


def digamma(x):
    """``psi(x) = d/dx log Gamma(x)`` (primitive ``digamma``; derivative ``polygamma(1, x)``).

    >>> round(float(digamma(1.0)), 12)   # -Euler's gamma
    -0.577215664902
    """
    return bind(_sp.digamma_p, x)


def polygamma(n: int, x):
    """The ``n``-th derivative of ``digamma`` (``n`` a static non-negative integer).

    >>> round(float(polygamma(1, 1.0)), 12)   # pi^2 / 6
    1.644934066848
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"polygamma: the order n must be a non-negative integer, got {n!r}")
    return _sp.polygamma(int(n), x)


def expit(x):
    """The logistic sigmoid ``1 / (1 + exp(-x))``, without overflow.

    >>> float(expit(0.0))
    0.5
    """
    return bind(_U.logistic_p, fnp.asarray(x))


def logit(p):
    """``log(p / (1 - p))``, the inverse of ``expit``.

    >>> float(logit(0.5))
    0.0
    """
    p = fnp.asarray(p)
    return fnp.log(p) - fnp.log1p(-p)


def xlogy(x, y):
    """``x * log(y)``, 0 where ``x == 0`` (also at ``y == 0``); the gradient stays finite there.

    The "double where": ``y`` is replaced by 1 where ``x == 0`` and ``y`` is 0
    or inf, so no ``0 * inf`` appears in the value or in its derivatives;
    elsewhere ``d/dx = log(y)`` and ``d/dy = x / y`` (JAX gives -inf/NaN at (0, 0)).

    >>> float(xlogy(0.0, 0.0))
    0.0
    """
    x, y = fnp.asarray(x), fnp.asarray(y)
    bad = fnp.equal(x, 0) & (fnp.equal(y, 0) | fnp.isinf(y))
    return x * fnp.log(fnp.where(bad, 1.0, y))


def xlog1py(x, y):
    """``x * log1p(y)``, 0 where ``x == 0`` (also at ``y == -1``), finite gradient there.

    >>> float(xlog1py(0.0, -1.0))
    0.0
    """
    x, y = fnp.asarray(x), fnp.asarray(y)
    bad = fnp.equal(x, 0) & (fnp.equal(y, -1) | fnp.isinf(y))
    return x * fnp.log1p(fnp.where(bad, 0.0, y))


def _norm_axis(axis):
    if axis is None or isinstance(axis, int):
        return axis
    return tuple(axis)


def logsumexp(a, axis=None, b=None, keepdims: bool = False, return_sign: bool = False):
    """``log(sum(b * exp(a), axis))`` computed stably: the maximum (a constant for the
    derivative, ``stop_gradient``) is taken out before ``exp``; as ``scipy.special.logsumexp``.

    With ``return_sign=True`` returns ``(log|s|, sign(s))`` for ``s = sum(b * exp(a))``
    (``b`` may be negative); otherwise a negative sum gives NaN. The gradient is
    ``softmax`` (weighted by ``b``): finite for large inputs.

    >>> import fgrad.numpy as fnp
    >>> round(float(logsumexp(fnp.asarray([1.0, 2.0, 3.0]))), 12)
    3.407605964444
    """
    a = fnp.asarray(a)
    axis = _norm_axis(axis)
    if b is not None:
        b = fnp.asarray(b)
        a, b = fnp.broadcast_arrays(a, b)
        # entries with b == 0 do not count (also when a is +-inf)
        a = fnp.where(fnp.equal(b, 0), -np.inf, a)
    m = fnp.stop_gradient(fnp.max(a, axis=axis, keepdims=True))
    m = fnp.where(fnp.isfinite(m), m, 0.0)
    e = fnp.exp(a - m)
    if b is not None:
        e = b * e
    s = fnp.sum(e, axis=axis, keepdims=keepdims)
    if not keepdims:
        m = fnp.squeeze(m, axis=axis) if axis is not None else fnp.reshape(m, ())
    if return_sign:
        sign = fnp.sign(s)
        return fnp.log(fnp.abs(s)) + m, sign
    return fnp.log(s) + m


def ndtr(x):
    """The standard normal CDF ``(1 + erf(x / sqrt(2))) / 2``, via ``erfc`` for accuracy
    in the lower tail.

    >>> float(ndtr(0.0))
    0.5
    """
    x = fnp.asarray(x)
    return 0.5 * erfc(-x / _SQRT2)


def ndtri(p):
    """The inverse of ``ndtr``: ``sqrt(2) erfinv(2p - 1)``. In the lower tail ``2p - 1``
    rounds, so the relative accuracy drops there (~1e-9 at ``p = 1e-10``).

    >>> round(float(ndtri(0.975)), 9)
    1.959963985
    """
    p = fnp.asarray(p)
    return _SQRT2 * erfinv(2.0 * p - 1.0)


def log_ndtr(x):
    """``log(ndtr(x))``, accurate in both tails: ``log1p(-ndtr(-x))`` above 0,
    ``log(erfc(-x/sqrt 2) / 2)`` down to -20, and the asymptotic series below.

    >>> round(float(log_ndtr(-30.0)), 6)
    -454.321244
    """
    x = fnp.asarray(x)
    hi = fnp.where(x > 0, x, 0.0)
    mid = fnp.where((x <= 0) & (x > -20), x, -1.0)
    lo = fnp.where(x <= -20, x, -20.0)
    upper = fnp.log1p(-0.5 * erfc(hi / _SQRT2))
    middle = fnp.log(0.5 * erfc(-mid / _SQRT2))
    z = 1.0 / (lo * lo)
    # ndtr(x) ~ phi(x)/(-x) sum_n (-1)^n (2n-1)!! / x^(2n), to n = 7 (error < 1e-14 at -20)
    series = 1.0 - z * (1.0 - z * (3.0 - z * (15.0 - z * (105.0 - z * (
        945.0 - z * (10395.0 - z * 135135.0))))))
    lower = -0.5 * lo * lo - fnp.log(-lo) - _HALF_LOG_2PI + fnp.log(series)
    return fnp.where(x > 0, upper, fnp.where(x > -20, middle, lower))


def _shifted(x, axis):
    """``x - max(x, axis)``, the max a constant for the derivative (finite where max is inf)."""
    m = fnp.stop_gradient(fnp.max(x, axis=axis, keepdims=True))
    m = fnp.where(fnp.isfinite(m), m, 0.0)
    return x - m


def softmax(x, axis=-1):
    """``exp(x) / sum(exp(x), axis)`` with the maximum subtracted first (stable; a row
    of all ``-inf`` gives NaN, as JAX); also ``fgrad.nn.softmax``.

    >>> softmax(fnp.asarray([1000.0, 0.0])).tolist()
    [1.0, 0.0]
    """
    x = fnp.asarray(x)
    e = fnp.exp(_shifted(x, axis))
    return e / fnp.sum(e, axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    """``x - logsumexp(x, axis)``, stable for large inputs; also ``fgrad.nn.log_softmax``.

    >>> log_softmax(fnp.asarray([1000.0, 0.0])).tolist()
    [0.0, -1000.0]
    """
    x = fnp.asarray(x)
    s = _shifted(x, axis)
    return s - fnp.log(fnp.sum(fnp.exp(s), axis=axis, keepdims=True))
