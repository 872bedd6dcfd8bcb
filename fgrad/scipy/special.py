"""``fgrad.scipy.special``: special functions, as ``jax.scipy.special``.

``erf erfc erfinv gammaln digamma polygamma gammainc gammaincc i0e i1e i0 zeta betainc`` are
primitives
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
           "log_softmax", "gammainc", "gammaincc", "gamma", "beta", "betaln", "factorial",
           "i0", "i0e", "i1", "i1e", "entr", "rel_entr", "kl_div", "multigammaln", "zeta",
           "betainc"]

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


def gammainc(a, x):
    """The regularised lower incomplete gamma function ``P(a, x)`` (primitive ``igamma``).

    Differentiable in ``x`` (``x^(a-1) e^-x / Gamma(a)``) and in ``a`` (JAX's
    ``igamma_grad_a``: its series and continued fraction differentiated term by term);
    the second derivative in ``a`` alone raises ``NotImplementedError``, as in JAX.

    >>> round(float(gammainc(1.0, 2.0)), 12)   # 1 - exp(-2)
    0.864664716763
    >>> import fgrad
    >>> round(float(fgrad.grad(gammainc)(1.0, 2.0)), 10)   # d/da at a = 1
    -0.2208254262
    """
    return bind(_sp.igamma_p, fnp.asarray(a), fnp.asarray(x))


def gammaincc(a, x):
    """The regularised upper incomplete gamma function ``Q(a, x) = 1 - P(a, x)``,
    accurate where it is tiny (primitive ``igammac``).

    >>> round(float(gammaincc(1.0, 2.0)), 12)  # exp(-2)
    0.135335283237
    """
    return bind(_sp.igammac_p, fnp.asarray(a), fnp.asarray(x))


def gamma(x):
    """The gamma function ``sign * exp(gammaln(x))`` (the sign alternates below 0).

    >>> round(float(gamma(5.0)), 9)
    24.0
    """
    x = fnp.asarray(x)
    sign = fnp.where((x > 0) | (fnp.floor(x) % 2 == 0), 1.0, -1.0)
    return sign * fnp.exp(gammaln(x))


def betaln(a, b):
    """``log|B(a, b)| = gammaln(a) + gammaln(b) - gammaln(a + b)``.

    >>> round(float(betaln(2.0, 3.0)), 12)   # log(1/12)
    -2.484906649788
    """
    a, b = fnp.asarray(a), fnp.asarray(b)
    return gammaln(a) + gammaln(b) - gammaln(a + b)


def beta(a, b):
    """The beta function ``B(a, b) = Gamma(a) Gamma(b) / Gamma(a + b)`` (positive arguments).

    >>> round(float(beta(2.0, 3.0)), 12)
    0.083333333333
    """
    return fnp.exp(betaln(a, b))


def factorial(n, exact: bool = False):
    """``n!`` as ``Gamma(n + 1)`` (0 for negative ``n``), as ``jax.scipy.special.factorial``.

    >>> round(float(factorial(5)), 9)
    120.0
    """
    if exact:
        raise NotImplementedError("factorial with exact=True is not supported (as JAX)")
    n = fnp.asarray(n)
    return fnp.where(n < 0, 0.0, fnp.exp(gammaln(n + 1.0)))


def i0e(x):
    """The exponentially scaled modified Bessel function ``I0(x) exp(-|x|)`` (primitive).

    >>> round(float(i0e(1.0)), 12)
    0.465759607594
    """
    return bind(_sp.i0e_p, fnp.asarray(x))


def i1e(x):
    """The exponentially scaled modified Bessel function ``I1(x) exp(-|x|)`` (primitive).

    >>> round(float(i1e(1.0)), 12)
    0.20791041535
    """
    return bind(_sp.i1e_p, fnp.asarray(x))


def i0(x):
    """The modified Bessel function of order 0, ``i0e(x) exp(|x|)``.

    >>> round(float(i0(1.0)), 12)
    1.266065877752
    """
    return bind(_sp.i0_p, fnp.asarray(x))


def i1(x):
    """The modified Bessel function of order 1, ``i1e(x) exp(|x|)``.

    >>> round(float(i1(1.0)), 12)
    0.565159103992
    """
    x = fnp.asarray(x)
    return i1e(x) * fnp.exp(fnp.abs(x))


def entr(x):
    """``-x log(x)`` for ``x > 0``, 0 at 0, ``-inf`` below (as SciPy).

    >>> float(entr(0.0)), round(float(entr(0.5)), 12)
    (0.0, 0.34657359028)
    """
    x = fnp.asarray(x)
    xs = fnp.where(x < 0, 1.0, x)
    return fnp.where(x < 0, -np.inf, 0.0 - xlogy(xs, xs))


def rel_entr(x, y):
    """``x log(x / y)`` for ``x, y > 0``; 0 at ``x == 0, y >= 0``; ``inf`` otherwise.

    >>> round(float(rel_entr(0.5, 0.25)), 12)
    0.34657359028
    """
    x, y = fnp.asarray(x), fnp.asarray(y)
    both = (x > 0) & (y > 0)
    safe_y = fnp.where(both, y, 1.0)
    safe_x = fnp.where(both, x, 1.0)
    val = xlogy(fnp.where(both, x, 0.0), safe_x / safe_y)
    return fnp.where(both, val, fnp.where((x == 0) & (y >= 0), 0.0, np.inf))


def kl_div(x, y):
    """``x log(x / y) - x + y`` (``rel_entr(x, y) - x + y``), as SciPy.

    >>> round(float(kl_div(0.5, 0.25)), 12)
    0.09657359028
    """
    x, y = fnp.asarray(x), fnp.asarray(y)
    return rel_entr(x, y) - x + y


def multigammaln(a, d: int):
    """The log of the multivariate gamma function of dimension ``d`` (a static int):
    ``d (d-1)/4 log(pi) + sum_j gammaln(a - j/2)``, j = 0..d-1.

    >>> round(float(multigammaln(3.0, 2)), 12)
    1.550194993958
    """
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 1:
        raise ValueError(f"multigammaln: d must be a positive integer, got {d!r}")
    a = fnp.asarray(a)
    out = d * (d - 1) / 4.0 * math.log(math.pi)
    for j in range(int(d)):
        out = out + gammaln(a - j / 2.0)
    return out


def zeta(x, q=None):
    """The Hurwitz zeta function ``zeta(x, q) = sum_{k>=0} (k + q)^-x`` (primitive ``zeta``),
    as ``scipy.special.zeta``: inf at ``x == 1`` and at ``q = 0, -1, ...``, NaN for
    ``x < 1``. The Riemann zeta function (``q=None``) is not implemented (as JAX): pass
    ``q=1`` for ``x > 1``. Differentiable in ``q`` (``-x zeta(x + 1, q)``); the derivative
    in ``x`` raises ``NotImplementedError`` (JAX's zeta has neither).

    >>> round(float(zeta(2.0, 1.0)), 12)   # pi^2 / 6
    1.644934066848
    """
    if q is None:
        raise NotImplementedError("zeta: the Riemann zeta function (q=None) is not "
                                  "implemented; pass q=1 for the Hurwitz form at x > 1")
    return bind(_sp.zeta_p, fnp.asarray(x), fnp.asarray(q))


def betainc(a, b, x):
    """The regularised incomplete beta function ``I_x(a, b) = B(x; a, b) / B(a, b)``
    (primitive ``betainc``), as ``scipy.special.betainc``: NaN outside ``a, b >= 0``,
    ``0 <= x <= 1``. Differentiable in ``x`` (``x^(a-1) (1-x)^(b-1) / B(a, b)``); the
    derivatives in ``a`` and ``b`` raise ``ValueError`` (not supported, as JAX).

    >>> round(float(betainc(2.0, 3.0, 0.5)), 12)   # 11/16
    0.6875
    """
    return bind(_sp.betainc_p, fnp.asarray(a), fnp.asarray(b), fnp.asarray(x))
