"""Special functions and the bit-level primitives behind ``fgrad.random``.

Special functions (``erf erfc erf_inv lgamma digamma polygamma``) are
element-wise primitives whose ``impl`` evaluates them with vectorised
numerics written against the device namespace ``xp`` (SciPy is not a
dependency, and ``math.erf`` is scalar-only). They compute in float64 and
return the input's float dtype (integers give float64). Accuracy against
SciPy is about 1e-15 relative for ``erf``/``erfc``/``lgamma``/``digamma``
away from zeros and poles (``tests/test_special.py`` measures it).

Derivatives, each a primitive again so they differentiate to any order:
``erf' = 2/sqrt(pi) exp(-x^2)``, ``erfc' = -erf'``,
``erf_inv'(x) = sqrt(pi)/2 exp(erf_inv(x)^2)``, ``lgamma' = digamma``,
``digamma' = polygamma(1, .)``, ``polygamma(n, .)' = polygamma(n + 1, .)``.

``threefry2x32`` (the Threefry-2x32 block cipher of Salmon et al. 2011,
20 rounds, the counter-based generator JAX uses) and
``bitcast_convert_type`` (reinterpret bits) carry no gradient.
``stable_argsort`` (a stable argsort along one axis, for
``fgrad.random.permutation``) carries none either.
"""
from __future__ import annotations

import math

import numpy as np

from ..transforms.core import ShapedArray
from .core import (Primitive, defelementwise, defjvp, defnondiff, defvjp,
                   elementwise_batch_rule, front_batch_rule, unbroadcast)
from .binary import broadcast_shapes, select
from .unary import abs_p, exp_p, log1p_p, log_p, sign_p

_SQRT_PI = math.sqrt(math.pi)
_TWO_OVER_SQRT_PI = 2.0 / _SQRT_PI


# ------------------------------------------------------------ numerics (xp) --
def _as_f64(xp, x):
    """(x as float64, the output dtype): float inputs keep their dtype, others give float64."""
    x = xp.asarray(x)
    out = x.dtype if x.dtype.kind == "f" else np.dtype(np.float64)
    return x.astype(np.float64), out


def _erf_series(xp, x):
    """erf for |x| <= 1.5: 2/sqrt(pi) exp(-x^2) sum_n 2^n x^(2n+1) / (2n+1)!! (positive terms)."""
    x2 = x * x
    term = x
    total = x
    for n in range(50):
        term = term * (2.0 * x2 / (2 * n + 3))
        total = total + term
    return _TWO_OVER_SQRT_PI * xp.exp(-x2) * total


def _erfc_cf(xp, x):
    """erfc for x >= 1.5 by Laplace's continued fraction, evaluated backwards (100 terms)."""
    t = x
    for k in range(100, 0, -1):
        t = x + (k / 2.0) / t
    return xp.exp(-x * x) / (_SQRT_PI * t)


def _erf_parts(xp, x):
    """(erf(x), erfc(x)) in float64, each accurate to ~1e-15 relative."""
    a = xp.abs(x)
    small = a < 1.5
    a_small = xp.where(small, a, 0.0)
    a_big = xp.where(small, 1.5, a)
    erf_s = _erf_series(xp, a_small)
    erfc_b = xp.where(xp.isnan(a), xp.nan, _erfc_cf(xp, a_big))
    erf_a = xp.where(small, erf_s, 1.0 - erfc_b)
    erfc_a = xp.where(small, 1.0 - erf_s, erfc_b)
    neg = x < 0
    return xp.where(neg, -erf_a, erf_a), xp.where(neg, 2.0 - erfc_a, erfc_a)


def _erf_impl(xp, x):
    x, dt = _as_f64(xp, x)
    return _erf_parts(xp, x)[0].astype(dt)


def _erfc_impl(xp, x):
    x, dt = _as_f64(xp, x)
    return _erf_parts(xp, x)[1].astype(dt)


def _erf_inv_impl(xp, x):
    """erf_inv: Giles' (2010) single-precision approximation, then four Halley steps.

    The Newton-Halley residual is taken as ``(1 - |x|) - erfc(y)`` (exact
    ``1 - |x|``), so the tails near +-1 keep their relative accuracy.
    ``erf_inv(+-1) = +-inf``; outside [-1, 1] it is NaN.
    """
    x, dt = _as_f64(xp, x)
    a = xp.abs(x)
    inside = a < 1.0
    aa = xp.where(inside, a, 0.5)
    w = -xp.log((1.0 - aa) * (1.0 + aa))
    w1 = w - 2.5
    p1 = 2.81022636e-08
    for c in (3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
              -0.00125372503, -0.00417768164, 0.246640727, 1.50140941):
        p1 = c + p1 * w1
    w2 = xp.sqrt(w) - 3.0
    p2 = -0.000200214257
    for c in (0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
              -0.0076224613, 0.00943887047, 1.00167406, 2.83297682):
        p2 = c + p2 * w2
    y = xp.where(w < 5.0, p1, p2) * aa
    one_minus = 1.0 - aa
    # far tail (beyond float32's range, where Giles' polynomial does not reach):
    # erfc(y) = t  =>  y^2 ~ -log(t sqrt(pi) y), one fixed-point step from y0^2 = -log(t sqrt(pi))
    tail = w > 16.0
    t = xp.where(tail, one_minus, 1e-8)
    y0 = xp.sqrt(-xp.log(t * _SQRT_PI))
    y = xp.where(tail, xp.sqrt(-xp.log(t * _SQRT_PI * y0)), y)
    for _ in range(4):
        erf_y, erfc_y = _erf_parts(xp, y)
        f = xp.where(aa > 0.5, one_minus - erfc_y, erf_y - aa)
        fp = _TWO_OVER_SQRT_PI * xp.exp(-y * y)
        y = y - (f / fp) / (1.0 + y * (f / fp))
    y = xp.where(inside, y, xp.where(a == 1.0, xp.inf, xp.nan))
    return xp.where(x < 0, -y, y).astype(dt)


# Lanczos (g = 7, n = 9) coefficients, as in Numerical Recipes / Godfrey.
_LANCZOS_G = 7.0
_LANCZOS = (0.99999999999980993, 676.5203681218851, -1259.1392167224028,
            771.32342877765313, -176.61502916214059, 12.507343278686905,
            -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7)
_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


def _lgamma_pos(xp, x):
    """log Gamma(x) for x >= 0.5 (Lanczos)."""
    z = x - 1.0
    s = _LANCZOS[0]
    for k in range(1, 9):
        s = s + _LANCZOS[k] / (z + k)
    t = z + _LANCZOS_G + 0.5
    return _HALF_LOG_2PI + (z + 0.5) * xp.log(t) - t + xp.log(s)


def _is_pole(xp, x):
    return (x <= 0) & (x == xp.floor(x))


def _lgamma_impl(xp, x):
    """log|Gamma(x)| (SciPy's ``gammaln``): Lanczos for x >= 0.5, reflection below;
    +inf at the poles 0, -1, -2, ..."""
    x, dt = _as_f64(xp, x)
    big = x >= 0.5
    xb = xp.where(big, x, 0.5)
    xs = xp.where(big | _is_pole(xp, x), 0.25, x)      # safe where unused
    # log|Gamma(x)| = log(pi / |sin(pi x)|) - log Gamma(1 - x)
    refl = math.log(math.pi) - xp.log(xp.abs(xp.sin(math.pi * xs))) - _lgamma_pos(xp, 1.0 - xs)
    out = xp.where(big, _lgamma_pos(xp, xb), refl)
    return xp.where(_is_pole(xp, x), xp.inf, out).astype(dt)


# Bernoulli numbers B_2, B_4, ..., B_16
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510)
_SHIFT = 10


def _digamma_pos(xp, x):
    """psi(x) for x >= 0.5: psi(x) = psi(x + 10) - sum_k 1/(x + k), then the asymptotic series."""
    acc = 0.0
    for k in range(_SHIFT):
        acc = acc + 1.0 / (x + k)
    y = x + _SHIFT
    y2 = 1.0 / (y * y)
    series = 0.0
    p = y2
    for j, b in enumerate(_BERNOULLI[:7], start=1):
        series = series + b / (2 * j) * p
        p = p * y2
    return xp.log(y) - 0.5 / y - series - acc


def _digamma_impl(xp, x):
    """psi(x) = d/dx log Gamma(x); reflection psi(x) = psi(1 - x) - pi / tan(pi x) for x < 0.5.

    At the poles: -inf at 0 and NaN at the negative integers, as SciPy."""
    x, dt = _as_f64(xp, x)
    big = x >= 0.5
    pole = _is_pole(xp, x)
    xb = xp.where(big, x, 0.5)
    xs = xp.where(big | pole, 0.25, x)
    refl = _digamma_pos(xp, 1.0 - xs) - math.pi / xp.tan(math.pi * xs)
    out = xp.where(big, _digamma_pos(xp, xb), refl)
    out = xp.where(pole, xp.where(x == 0, -xp.inf, xp.nan), out)
    return out.astype(dt)


def _polygamma_impl(xp, x, n):
    """polygamma(n, x) = (-1)^(n+1) n! zeta(n + 1, x) for n >= 1 (Hurwitz zeta).

    zeta(s, x) = sum_{k<N} (x + k)^-s + zeta(s, x + N), the tail by Euler-Maclaurin
    at x + N >= 10. For negative x the shift N grows with -min(x) (one
    vectorised step per unit). +inf (n odd) or -inf (n even) at the poles 0, -1, -2, ... (SciPy).
    """
    x, dt = _as_f64(xp, x)
    s = n + 1
    pole = _is_pole(xp, x)
    xv = xp.where(pole, 1.0, x)
    lowest = float(xp.min(xv)) if xv.size else 1.0
    N = _SHIFT + max(0, int(math.ceil(-lowest)))
    acc = 0.0
    for k in range(N):
        acc = acc + (xv + k) ** (-s)
    y = xv + N
    tail = y ** (1 - s) / (s - 1) + 0.5 * y ** (-s)
    rising = float(s)          # s (s + 1) ... (s + 2j - 2)
    fact = 2.0                 # (2j)!
    for j, b in enumerate(_BERNOULLI, start=1):
        tail = tail + b / fact * rising * y ** (-s - 2 * j + 1)
        rising *= (s + 2 * j - 1) * (s + 2 * j)
        fact *= (2 * j + 1) * (2 * j + 2)
    out = (-1.0) ** (n + 1) * math.factorial(n) * (acc + tail)
    out = xp.where(pole, xp.inf if n % 2 == 1 else -xp.inf, out)
    return out.astype(dt)


# ------------------------------------------------------------- primitives --
def _float_out(x):
    return ShapedArray(x.shape, x.dtype if x.dtype.kind == "f" else np.float64, x.device)


def _special(name, impl, grad_fn_name=None):
    prim = Primitive(name, grad_fn_name=grad_fn_name)
    prim.def_impl(impl)
    prim.def_abstract_eval(lambda x, **p: _float_out(x))
    return prim


erf_p = _special("erf", _erf_impl)
defelementwise(erf_p, lambda ans, x: _TWO_OVER_SQRT_PI * exp(-x * x))

erfc_p = _special("erfc", _erfc_impl)
defelementwise(erfc_p, lambda ans, x: -_TWO_OVER_SQRT_PI * exp(-x * x))

erf_inv_p = _special("erf_inv", _erf_inv_impl, grad_fn_name="ErfinvBackward0")
defelementwise(erf_inv_p, lambda ans, x: (_SQRT_PI / 2) * exp(ans * ans), saves="ans")

lgamma_p = _special("lgamma", _lgamma_impl)
defelementwise(lgamma_p, lambda ans, x: digamma(x))

digamma_p = _special("digamma", _digamma_impl)
defelementwise(digamma_p, lambda ans, x: polygamma(1, x))

# polygamma(n, x) with a static order n >= 1 (polygamma(0, .) is digamma).
polygamma_p = _special("polygamma", _polygamma_impl)
defelementwise(polygamma_p, lambda ans, x, n: polygamma(n + 1, x))


# -- incomplete gamma and exponentially scaled Bessel functions ---------------
def _igamma_branches(xp, a, x):
    """The split both ``_igamma_parts`` and ``_igamma_da`` use: ``a`` (1 where the
    arguments are bad: a <= 0, x < 0 or NaN), ``bad``, ``series`` (x < a + 1), ``zero``
    (x == 0), the point for the series (``xs``) and for the continued fraction (``xc``),
    each valid where the other branch is taken, and ``xinf`` (x infinite)."""
    a, x = xp.broadcast_arrays(a, x)
    bad = (a <= 0) | (x < 0) | xp.isnan(a) | xp.isnan(x)
    a = xp.where(bad, 1.0, a)
    x = xp.where(bad, 1.0, x)
    series = x < a + 1.0
    zero = x == 0
    xs = xp.where(series & ~zero, x, 0.5 * a + 0.5)
    xc = xp.where(series, a + 2.0, x)
    xinf = xp.isinf(xc)
    return a, bad, series, zero, xs, xp.where(xinf, a + 2.0, xc), xinf


def _igamma_parts(xp, a, x):
    """(P(a, x), Q(a, x)), the regularised incomplete gamma functions, in float64.

    Numerical Recipes' split: the series P = x^a e^-x / Gamma(a) sum_n x^n / (a)_(n+1)
    for x < a + 1, Lentz's continued fraction for Q otherwise; each gives the other
    as its complement. NaN for a <= 0 or x < 0 (as JAX); P(a, 0) = 0.
    """
    a, bad, series, zero, xs, xc, xinf = _igamma_branches(xp, a, x)
    # series for P
    ap = a
    d = 1.0 / a
    total = d
    for _ in range(400):
        ap = ap + 1.0
        d = d * xs / ap
        total = total + d
    lg = _lgamma_impl(xp, a)
    p_series = total * xp.exp(a * xp.log(xs) - xs - lg)
    # continued fraction for Q (modified Lentz)
    tiny = 1e-300
    b = xc + 1.0 - a
    c = 1.0 / tiny
    d = 1.0 / b
    h = d
    for i in range(1, 300):
        an = -i * (i - a)
        b = b + 2.0
        d = an * d + b
        d = xp.where(xp.abs(d) < tiny, tiny, d)
        c = b + an / c
        c = xp.where(xp.abs(c) < tiny, tiny, c)
        d = 1.0 / d
        h = h * d * c
    q_cf = xp.exp(a * xp.log(xc) - xc - lg) * h
    p = xp.where(series, p_series, 1.0 - q_cf)
    q = xp.where(series, 1.0 - p_series, q_cf)
    p = xp.where(zero, 0.0, xp.where(xinf & ~series, 1.0, p))
    q = xp.where(zero, 1.0, xp.where(xinf & ~series, 0.0, q))
    return xp.where(bad, xp.nan, p), xp.where(bad, xp.nan, q)


def _igamma_da(xp, a, x):
    """d/da P(a, x) in float64: the series and the continued fraction of ``_igamma_parts``
    differentiated in ``a`` alongside their values (forward mode by hand, term by term),
    as XLA computes ``igamma_grad_a``. NaN where P is."""
    a, bad, series, zero, xs, xc, xinf = _igamma_branches(xp, a, x)
    lg, dg = _lgamma_impl(xp, a), _digamma_impl(xp, a)
    # series: P = E sum_n t_n, t_0 = 1/a, t_n = t_(n-1) x / (a + n); E = x^a e^-x / Gamma(a)
    ap = a
    t, dt = 1.0 / a, -1.0 / (a * a)
    total, dtotal = t, dt
    for _ in range(400):
        ap = ap + 1.0
        dt = (dt - t / ap) * xs / ap
        t = t * xs / ap
        total, dtotal = total + t, dtotal + dt
    e = xp.exp(a * xp.log(xs) - xs - lg)
    dp_series = e * (dtotal + total * (xp.log(xs) - dg))
    # continued fraction for Q (modified Lentz), each quantity with its a-derivative
    tiny = 1e-300
    b, db = xc + 1.0 - a, -1.0
    c, dc = 1.0 / tiny, 0.0
    d = 1.0 / b
    dd = -db / (b * b)
    h, dh = d, dd
    for i in range(1, 300):
        an, dan = -i * (i - a), float(i)
        b = b + 2.0
        d_new = an * d + b
        dd_new = dan * d + an * dd + db
        small = xp.abs(d_new) < tiny
        d_new, dd_new = xp.where(small, tiny, d_new), xp.where(small, 0.0, dd_new)
        c_new = b + an / c
        dc_new = db + (dan * c - an * dc) / (c * c)
        small = xp.abs(c_new) < tiny
        c, dc = xp.where(small, tiny, c_new), xp.where(small, 0.0, dc_new)
        d, dd = 1.0 / d_new, -dd_new / (d_new * d_new)
        dh = dh * d * c + h * dd * c + h * d * dc
        h = h * d * c
    ec = xp.exp(a * xp.log(xc) - xc - lg)
    dq_cf = ec * (dh + h * (xp.log(xc) - dg))
    out = xp.where(series, dp_series, -dq_cf)
    out = xp.where(zero | (xinf & ~series), 0.0, out)
    return xp.where(bad, xp.nan, out)


def _binary_f64(xp, a, x):
    a, x = xp.asarray(a), xp.asarray(x)
    dt = np.result_type(a.dtype, x.dtype)
    dt = dt if dt.kind == "f" else np.dtype(np.float64)
    return a.astype(np.float64), x.astype(np.float64), dt


def _igamma_impl(xp, a, x):
    a, x, dt = _binary_f64(xp, a, x)
    with np.errstate(all="ignore"):
        return _igamma_parts(xp, a, x)[0].astype(dt)


def _igammac_impl(xp, a, x):
    a, x, dt = _binary_f64(xp, a, x)
    with np.errstate(all="ignore"):
        return _igamma_parts(xp, a, x)[1].astype(dt)


def _binary_out(a, x):
    dt = np.result_type(a.dtype, x.dtype)
    return ShapedArray(broadcast_shapes("igamma", a.shape, x.shape),
                       dt if dt.kind == "f" else np.dtype(np.float64), x.device)


def _igamma_dx(a, x):
    """d/dx P(a, x) = x^(a-1) e^-x / Gamma(a)."""
    return exp((a - 1.0) * log(x) - x - lgamma_p.bind(a))


def _igamma_grad_a_impl(xp, a, x):
    a, x, dt = _binary_f64(xp, a, x)
    with np.errstate(all="ignore"):
        return _igamma_da(xp, a, x).astype(dt)


# d/da P(a, x) (JAX's lax.igamma_grad_a); it has no derivative rules of its own, as in JAX
igamma_grad_a_p = Primitive("igamma_grad_a")
igamma_grad_a_p.def_impl(_igamma_grad_a_impl)
igamma_grad_a_p.def_abstract_eval(_binary_out)
igamma_grad_a_p.batch = elementwise_batch_rule(igamma_grad_a_p)
igamma_grad_a_p.broadcasting = True


def _no_second_derivative_in_a(*args, **kwargs):
    raise NotImplementedError("igamma_grad_a: the second derivative of igamma/igammac in a "
                              "is not implemented (as in JAX); the mixed one in a and x is")


def _igamma_grad_a_dx(a, x):
    """d/dx d/da P(a, x) = d/da (x^(a-1) e^-x / Gamma(a)) = dP/dx (log x - digamma(a))."""
    return _igamma_dx(a, x) * (log(x) - digamma(a))


defjvp(igamma_grad_a_p, _no_second_derivative_in_a,
       lambda t, ans, a, x: t * _igamma_grad_a_dx(a, x))
defvjp(igamma_grad_a_p, _no_second_derivative_in_a,
       lambda ct, ans, a, x: unbroadcast(ct * _igamma_grad_a_dx(a, x), x), saves="inputs")


def _igamma_prim(name, impl, sign):
    prim = Primitive(name)
    prim.def_impl(impl)
    prim.def_abstract_eval(_binary_out)
    defjvp(prim, lambda t, ans, a, x: t * (sign * igamma_grad_a_p.bind(a, x)),
           lambda t, ans, a, x: t * (sign * _igamma_dx(a, x)))
    defvjp(prim, lambda ct, ans, a, x: unbroadcast(ct * (sign * igamma_grad_a_p.bind(a, x)), a),
           lambda ct, ans, a, x: unbroadcast(ct * (sign * _igamma_dx(a, x)), x), saves="inputs")
    prim.batch = elementwise_batch_rule(prim)
    prim.broadcasting = True
    return prim


# igamma(a, x) = P(a, x), igammac(a, x) = Q(a, x) = 1 - P(a, x) (SciPy's gammainc/gammaincc)
igamma_p = _igamma_prim("igamma", _igamma_impl, 1.0)
igammac_p = _igamma_prim("igammac", _igammac_impl, -1.0)


def _bessel_ie(xp, x, nu):
    """I_nu(x) e^-|x| for nu in {0, 1}: the power series for |x| <= 20, the asymptotic
    series 1/sqrt(2 pi x) sum_k (-1)^k prod_j (4 nu^2 - (2j-1)^2) / (k! (8x)^k) above."""
    ax = xp.abs(x)
    small = ax <= 20.0
    xs = xp.where(small, ax, 1.0)
    half = 0.5 * xs
    term = half if nu else xp.ones_like(xs)
    total = term
    q = half * half
    for k in range(1, 80):
        term = term * q / (k * (k + nu))
        total = total + term
    s_val = total * xp.exp(-xs)
    xl = xp.where(small, 21.0, ax)
    term = xp.ones_like(xl)
    total = term
    mu = 4.0 * nu * nu
    for k in range(1, 30):
        term = term * (-(mu - (2 * k - 1) ** 2)) / (k * 8.0 * xl)
        total = total + term
    l_val = total / xp.sqrt(2.0 * math.pi * xl)
    out = xp.where(small, s_val, l_val)
    out = xp.where(xp.isinf(ax), 0.0, out)
    return xp.where(x < 0, -out, out) if nu else out


def _i0e_impl(xp, x):
    x, dt = _as_f64(xp, x)
    return _bessel_ie(xp, x, 0).astype(dt)


def _i1e_impl(xp, x):
    x, dt = _as_f64(xp, x)
    return _bessel_ie(xp, x, 1).astype(dt)


# i0e' = i1e - sign(x) i0e; i1e' = i0e - i1e (sign(x) + 1/x), 1/2 at x = 0 (as JAX).
i0e_p = _special("bessel_i0e", _i0e_impl)
i1e_p = _special("bessel_i1e", _i1e_impl)
defelementwise(i0e_p, lambda ans, x: i1e_p.bind(x) - _sign(x) * ans, saves="both")


def _i1e_derivative(ans, x):
    safe = select(x == 0, 1.0, x)
    return select(x == 0, 0.5, i0e_p.bind(x) - ans * (_sign(x) + 1.0 / safe))


defelementwise(i1e_p, _i1e_derivative, saves="both")


# i0 = i0e(x) exp(|x|), a primitive for its derivative i0' = i1 = i1e(x) exp(|x|): i0 is smooth
# at 0 with derivative 0, while the composite's rules (abs'(0) = 1, i0e'(0) = 0 as JAX's) give 1.
def _i0_impl(xp, x):
    x, dt = _as_f64(xp, x)
    return (_bessel_ie(xp, x, 0) * xp.exp(xp.abs(x))).astype(dt)


i0_p = _special("bessel_i0", _i0_impl)
defelementwise(i0_p, lambda ans, x: i1e_p.bind(x) * exp_p.bind(abs_p.bind(x)), saves="inputs")


# -- Hurwitz zeta and the regularised incomplete beta function ------------------
# Cephes' Euler-Maclaurin coefficients (2k)! / B_2k for zeta's tail.
_ZETA_A = (12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9,
           7.47242496e10, -2.950130727918164224e12, 1.1646782814350067249e14,
           -4.5979787224074726105e15, 1.8152105401943546773e17, -7.1661652561756670113e18)


def _zeta_impl(xp, x, q):
    """The Hurwitz zeta function sum_k (q + k)^-x (SciPy's ``zeta(x, q)``, Cephes' method).

    zeta(x, q) = sum_{k<N} (q + k)^-x + zeta(x, q + N), the tail by Euler-Maclaurin at
    y = q + N >= 10: y^(1-x)/(x-1) + y^-x/2 + sum_j B_2j/(2j)! x(x+1)..(x+2j-2) y^(-x-2j+1).
    Domain as SciPy's: inf at x == 1 and at q = 0, -1, -2, ...; NaN for x < 1, and for
    q < 0 unless x is an integer (q^-x is not real otherwise).
    """
    x, q, dt = _binary_f64(xp, x, q)
    x, q = xp.broadcast_arrays(x, q)
    q_pole = (q <= 0) & (q == xp.floor(q))
    nan = (x < 1) | xp.isnan(x) | xp.isnan(q) | ((q < 0) & (x != xp.floor(x)) & ~q_pole)
    inf = ((x == 1) | q_pole) & ~nan
    ok = ~(nan | inf)
    xv = xp.where(ok, x, 2.0)
    qv = xp.where(ok, q, 1.0)
    lowest = float(xp.min(qv)) if qv.size else 1.0
    n_shift = 10 + max(0, int(math.ceil(-lowest)))
    with np.errstate(all="ignore"):
        acc = xp.zeros_like(xv)
        for k in range(n_shift):
            acc = acc + xp.power(qv + k, -xv)
        y = qv + n_shift
        b = xp.power(y, -xv)
        tail = b * y / (xv - 1.0) + 0.5 * b
        a = xp.ones_like(xv)
        kk = 0.0
        for c in _ZETA_A:
            a = a * (xv + kk)
            b = b / y
            tail = tail + a * b / c
            kk += 1.0
            a = a * (xv + kk)
            b = b / y
            kk += 1.0
        out = acc + tail
    out = xp.where(xp.isinf(x) & ok, xp.where(q == 1, 1.0, xp.where(q < 1, xp.inf, 0.0)), out)
    return xp.where(nan, xp.nan, xp.where(inf, xp.inf, out)).astype(dt)


def _ternary_out(*avals):
    dt = np.result_type(*[a.dtype for a in avals])
    return ShapedArray(broadcast_shapes("betainc", *[a.shape for a in avals]),
                       dt if dt.kind == "f" else np.dtype(np.float64), avals[-1].device)


def _zeta_dq(x, q):
    """d/dq zeta(x, q) = -x zeta(x + 1, q)."""
    return -x * zeta_p.bind(x + 1.0, q)


def _no_grad(name, what, exc=NotImplementedError):
    def rule(*args, **kw):
        raise exc(f"{name}: the derivative with respect to {what} is not implemented "
                  "(only with respect to the last argument)")
    return rule


# zeta(x, q), SciPy's Hurwitz zeta; derivative in q only (JAX's zeta has none at all).
zeta_p = Primitive("zeta")
zeta_p.def_impl(_zeta_impl)
zeta_p.def_abstract_eval(_binary_out)
defjvp(zeta_p, _no_grad("zeta", "x"), lambda t, ans, x, q: t * _zeta_dq(x, q))
defvjp(zeta_p, _no_grad("zeta", "x"),
       lambda ct, ans, x, q: unbroadcast(ct * _zeta_dq(x, q), q), saves="inputs")
zeta_p.batch = elementwise_batch_rule(zeta_p)
zeta_p.broadcasting = True


def _betacf(xp, a, b, x):
    """The continued fraction of I_x(a, b) (Numerical Recipes' ``betacf``, modified Lentz),
    run until every entry has converged (at most 1000 steps; O(sqrt(max(a, b))) are needed)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = xp.ones_like(x)
    d = 1.0 - qab * x / qap
    d = 1.0 / xp.where(xp.abs(d) < tiny, tiny, d)
    h = d
    for m in range(1, 1001):
        m2 = 2.0 * m
        for num in (m * (b - m) * x / ((qam + m2) * (a + m2)),
                    -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):
            d = 1.0 + num * d
            d = 1.0 / xp.where(xp.abs(d) < tiny, tiny, d)
            c = 1.0 + num / c
            c = xp.where(xp.abs(c) < tiny, tiny, c)
            step = d * c
            h = h * step
        if m % 8 == 0 and not bool(xp.any(xp.abs(step - 1.0) > 1e-16)):
            break
    return h


def _stirling_rest(xp, z):
    """lgamma(z) - ((z - 1/2) log z - z + log(2 pi)/2) for z >= 10: sum_k B_2k / (2k (2k-1) z^(2k-1))."""
    w = 1.0 / (z * z)
    return (1 / 12 + w * (-1 / 360 + w * (1 / 1260 + w * (-1 / 1680 + w * (
        1 / 1188 + w * (-691 / 360360 + w / 156)))))) / z


def _betainc_log_front(xp, a, b, x):
    """log(x^a (1-x)^b / B(a, b)). For a, b >= 10 by Stirling's series around the peak
    x0 = a / (a + b) (a log(x/x0) + b log((1-x)/(1-x0)) + log(ab/(a+b))/2 - log(2 pi)/2 - rest),
    which avoids the cancellation of three large log-gammas (~1e-9 relative at a, b ~ 1e5)."""
    small = (a < 10.0) | (b < 10.0)
    sa, sb = xp.where(small, 2.0, a), xp.where(small, 2.0, b)
    lbeta = _lgamma_impl(xp, a) + _lgamma_impl(xp, b) - _lgamma_impl(xp, a + b)
    direct = a * xp.log(x) + b * xp.log1p(-x) - lbeta
    s = sa + sb
    big = (sa * xp.log1p((x * s - sa) / sa) + sb * xp.log1p((sa - x * s) / sb)
           + 0.5 * xp.log(sa * sb / s) - _HALF_LOG_2PI
           - (_stirling_rest(xp, sa) + _stirling_rest(xp, sb) - _stirling_rest(xp, s)))
    return xp.where(small, direct, big)


def _betainc_impl(xp, a, b, x):
    """I_x(a, b) = B(x; a, b) / B(a, b), SciPy's ``betainc``: the continued fraction where it
    converges fast (x < (a+1)/(a+b+2)), else 1 - I_(1-x)(b, a). NaN outside a, b >= 0,
    0 <= x <= 1; I = 1 where a == 0 < b (and x > 0), 0 where b == 0 < a (and x < 1)."""
    a, b = xp.asarray(a), xp.asarray(b)
    dt = np.result_type(a.dtype, b.dtype, xp.asarray(x).dtype)
    dt = dt if dt.kind == "f" else np.dtype(np.float64)
    a, b, x = xp.broadcast_arrays(a.astype(np.float64), b.astype(np.float64),
                                  xp.asarray(x).astype(np.float64))
    nan = ((a < 0) | (b < 0) | (x < 0) | (x > 1) | ((a == 0) & (b == 0))
           | xp.isnan(a) | xp.isnan(b) | xp.isnan(x) | (xp.isinf(a) & xp.isinf(b)))
    a0, b0 = (a == 0) | xp.isinf(b), (b == 0) | xp.isinf(a)
    special = nan | a0 | b0 | (x == 0) | (x == 1)
    av, bv = xp.where(special, 2.0, a), xp.where(special, 2.0, b)
    xv = xp.where(special, 0.5, x)
    swap = xv > (av + 1.0) / (av + bv + 2.0)
    aa, bb = xp.where(swap, bv, av), xp.where(swap, av, bv)
    xx = xp.where(swap, 1.0 - xv, xv)
    with np.errstate(all="ignore"):
        val = xp.exp(_betainc_log_front(xp, aa, bb, xx)) / aa * _betacf(xp, aa, bb, xx)
    out = xp.where(swap, 1.0 - val, val)
    edge = xp.where(x == 0, 0.0, xp.where(x == 1, 1.0, xp.where(a0, 1.0, 0.0)))
    out = xp.where(special, edge, out)
    return xp.where(nan, xp.nan, out).astype(dt)


def _betainc_dx(a, b, x):
    """d/dx I_x(a, b) = x^(a-1) (1-x)^(b-1) / B(a, b)."""
    lbeta = lgamma_p.bind(a) + lgamma_p.bind(b) - lgamma_p.bind(a + b)
    return exp((a - 1.0) * log(x) + (b - 1.0) * log1p_p.bind(-x) - lbeta)


# betainc(a, b, x), the regularised incomplete beta function; derivative in x only, the
# ones in a and b raise ValueError with JAX's meaning ("not supported").
betainc_p = Primitive("betainc")
betainc_p.def_impl(_betainc_impl)
betainc_p.def_abstract_eval(_ternary_out)
defjvp(betainc_p, _no_grad("betainc", "a", ValueError), _no_grad("betainc", "b", ValueError),
       lambda t, ans, a, b, x: t * _betainc_dx(a, b, x))
defvjp(betainc_p, _no_grad("betainc", "a", ValueError), _no_grad("betainc", "b", ValueError),
       lambda ct, ans, a, b, x: unbroadcast(ct * _betainc_dx(a, b, x), x), saves="inputs")
betainc_p.batch = elementwise_batch_rule(betainc_p)
betainc_p.broadcasting = True


# -- bit-level primitives for fgrad.random ----------------------------------
def _threefry_impl(xp, k1, k2, x1, x2):
    """Threefry-2x32, 20 rounds (JAX's ``threefry2x32_p``), on broadcast uint32 arrays."""
    k1, k2, x1, x2 = xp.broadcast_arrays(k1, k2, x1, x2)
    shape = x1.shape
    # 1-d so every operation is a ufunc on arrays (wrapping, no scalar overflow warnings)
    k1, k2, x1, x2 = (xp.reshape(v, (-1,)).astype(np.uint32) for v in (k1, k2, x1, x2))
    ks = (k1, k2, k1 ^ k2 ^ 0x1BD11BDA)
    rotations = ((13, 15, 26, 6), (17, 29, 16, 24))
    x1 = x1 + ks[0]
    x2 = x2 + ks[1]
    for i in range(5):
        for r in rotations[i % 2]:
            x1 = x1 + x2
            x2 = (x2 << r) | (x2 >> (32 - r))
            x2 = x1 ^ x2
        x1 = x1 + ks[(i + 1) % 3]
        x2 = x2 + ks[(i + 2) % 3] + (i + 1)
    return xp.reshape(x1, shape), xp.reshape(x2, shape)


def _threefry_abstract_eval(k1, k2, x1, x2):
    if any(a.dtype != np.uint32 for a in (k1, k2, x1, x2)):
        raise TypeError("threefry2x32: arguments must have dtype uint32, got "
                        + ", ".join(str(a.dtype) for a in (k1, k2, x1, x2)))
    shape = broadcast_shapes("threefry2x32", k1.shape, k2.shape, x1.shape, x2.shape)
    out = ShapedArray(shape, np.uint32, x1.device)
    return (out, out)


threefry2x32_p = Primitive("threefry2x32", multiple_results=True)
threefry2x32_p.def_impl(_threefry_impl)
threefry2x32_p.def_abstract_eval(_threefry_abstract_eval)
defnondiff(threefry2x32_p)
threefry2x32_p.batch = elementwise_batch_rule(threefry2x32_p)


# bitcast_convert_type: the same bits read as another dtype of the same width.
def _bitcast_abstract_eval(x, dtype):
    dtype = np.dtype(dtype)
    if x.dtype.itemsize != dtype.itemsize:
        raise TypeError(f"bitcast_convert_type: cannot reinterpret {x.dtype} "
                        f"({x.dtype.itemsize} bytes) as {dtype} ({dtype.itemsize} bytes)")
    return ShapedArray(x.shape, dtype, x.device)


bitcast_convert_type_p = Primitive("bitcast_convert_type")
bitcast_convert_type_p.def_impl(lambda xp, x, dtype: x.view(dtype))
bitcast_convert_type_p.def_abstract_eval(_bitcast_abstract_eval)
defnondiff(bitcast_convert_type_p)
bitcast_convert_type_p.batch = elementwise_batch_rule(bitcast_convert_type_p)


# stable_argsort: indices that sort x along ``axis`` (ties keep their order).
def _argsort_abstract_eval(x, axis):
    if not -x.ndim <= axis < max(x.ndim, 1):
        raise ValueError(f"stable_argsort: axis {axis} is out of bounds for shape {x.shape}")
    return ShapedArray(x.shape, np.int64, x.device)


stable_argsort_p = Primitive("stable_argsort")
stable_argsort_p.def_impl(
    lambda xp, x, axis: xp.argsort(x, axis=axis, kind="stable").astype(np.int64))
stable_argsort_p.def_abstract_eval(_argsort_abstract_eval)
defnondiff(stable_argsort_p)


stable_argsort_p.batch = front_batch_rule(stable_argsort_p, "axis")


# ---- user-level helpers the rules above are written with ---------------------
def exp(x):
    return exp_p.bind(x)


def log(x):
    return log_p.bind(x)


def _sign(x):
    return sign_p.bind(x)


def digamma(x):
    return digamma_p.bind(x)


def polygamma(n: int, x):
    return digamma_p.bind(x) if n == 0 else polygamma_p.bind(x, n=int(n))
