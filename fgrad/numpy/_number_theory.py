"""Integer and floating-point-format functions: ``gcd lcm`` (primitives, integer
results) and ``frexp spacing`` (compositions of bit-level primitives).

``frexp`` returns ``(m, e)`` with ``x = m 2^e``, ``0.5 <= |m| < 1``: ``e`` is read from
the exponent bits (an int32, no gradient) and ``m = x 2^-e`` scaled by exact powers of
two, so ``dm = dx 2^-e`` as in JAX. ``spacing`` is ``nextafter(x, +-inf) - x``, whose
derivative is 0 (``nextafter``'s derivative in x is 1).
"""
from __future__ import annotations

import numpy as np

from .._array import Array
from ..primitives import integer as _int, special as _sp, unary as U
from ..transforms.core import bind
from ._core import asarray
from ._elementwise import (where, isinf, isnan, abs as abs_, nextafter,
                           right_shift, bitwise_and, left_shift)

__all__ = ["gcd", "lcm", "frexp", "spacing"]

_SCALARS = (int, bool, np.integer, np.bool_)


def _int_operands(x1, x2, name):
    """The operands as they reach the primitive (Python ints stay weak), both integer."""
    kinds = []
    ops = []
    for v in (x1, x2):
        if isinstance(v, _SCALARS) and not isinstance(v, (np.integer, np.bool_)):
            kinds.append("b" if isinstance(v, bool) else "i")
            ops.append(v)
        else:
            v = asarray(v)
            kinds.append(v.dtype.kind)
            ops.append(v)
    if any(k not in "biu" for k in kinds) or kinds == ["b", "b"]:
        dts = [str(asarray(v).dtype) for v in (x1, x2)]
        raise TypeError(f"{name}: the arguments must be integers, got {dts[0]} and {dts[1]}")
    return ops


def gcd(x1, x2) -> Array:
    """The element-wise greatest common divisor of integers ``|x1|`` and ``|x2|``
    (``gcd(0, 0) = 0``), with broadcasting, as ``numpy.gcd``. Integer result, no gradient.

    >>> import fgrad.numpy as fnp
    >>> fnp.gcd(fnp.asarray([12, -20, 0]), 8)
    Array([4, 4, 8])
    """
    return bind(_int.gcd_p, *_int_operands(x1, x2, "gcd"))


def lcm(x1, x2) -> Array:
    """The element-wise least common multiple of integers ``|x1|`` and ``|x2|`` (0 if
    either is 0), with broadcasting, as ``numpy.lcm``. Integer result, no gradient.

    >>> import fgrad.numpy as fnp
    >>> fnp.lcm(fnp.asarray([4, -6, 0]), 6)
    Array([12,  6,  0])
    """
    return bind(_int.lcm_p, *_int_operands(x1, x2, "lcm"))


_INT_OF_WIDTH = {2: np.int16, 4: np.int32, 8: np.int64}


def _float_dtype(x, probe, name):
    """The float dtype NumPy's ufunc ``probe`` gives for ``x``'s dtype (int8 -> float16 ...)."""
    if x.dtype.kind == "c":
        raise TypeError(f"{name}: complex input is not supported")
    try:
        out = probe(np.zeros((1,), x.dtype))
    except TypeError as e:
        raise TypeError(f"{name}: not supported for input dtype {x.dtype}") from e
    dt = (out[0] if isinstance(out, tuple) else out).dtype
    if dt.itemsize not in _INT_OF_WIDTH:
        raise TypeError(f"{name}: not supported for dtype {dt}")
    return dt


def _pow2(k, dt):
    """``2.0 ** k`` (int array ``k`` within the normal exponent range) built from bits: exact."""
    info = np.finfo(dt)
    bias = 1 - int(info.minexp)
    bits = left_shift(U.convert(k + bias, _INT_OF_WIDTH[dt.itemsize]), int(info.nmant))
    return bind(_sp.bitcast_convert_type_p, bits, dtype=dt)


def frexp(x) -> tuple:
    """``(mantissa, exponent)`` with ``x = mantissa * 2 ** exponent`` and
    ``0.5 <= |mantissa| < 1`` (``(x, 0)`` at 0, inf and NaN), as ``numpy.frexp``; the
    exponent is int32. The mantissa's derivative is ``2 ** -exponent`` (as JAX).

    >>> import fgrad.numpy as fnp
    >>> fnp.frexp(fnp.asarray([8.0, -3.0, 0.0]))
    (Array([ 0.5 , -0.75,  0.  ]), Array([4, 2, 0], dtype=int32))
    """
    x = asarray(x)
    dt = _float_dtype(x, np.frexp, "frexp")
    if x.dtype != dt:
        x = U.convert(x, dt)
    info = np.finfo(dt)
    nmant, bias = int(info.nmant), 1 - int(info.minexp)
    itype = _INT_OF_WIDTH[dt.itemsize]
    mask = (1 << int(info.nexp)) - 1
    sub = (abs_(x) < float(info.tiny)) & (x != 0)
    xs = x * where(sub, float(2.0 ** nmant), 1.0).astype(dt)   # subnormals made normal, exactly
    bits = bind(_sp.bitcast_convert_type_p, xs, dtype=itype)
    e = bitwise_and(right_shift(bits, nmant), mask) - (bias - 1) - where(sub, nmant, 0)
    special = isinf(x) | isnan(x) | (x == 0)
    e = where(special, 0, e)
    e1 = right_shift(e, 1)                             # floor(e / 2): 2^-e1, 2^-(e - e1) exact
    m = x * _pow2(-e1, dt) * _pow2(e1 - e, dt)
    return where(special, x, m), U.convert(e, np.int32)


def spacing(x) -> Array:
    """The distance from ``x`` to the next representable number away from zero (negative
    for negative ``x``; the smallest subnormal at 0; NaN at inf), as ``numpy.spacing``
    (float16: toward +inf for every ``x``, as NumPy). Its derivative is 0.

    >>> import fgrad.numpy as fnp
    >>> bool(fnp.spacing(fnp.asarray(1.0)) == fnp.finfo(fnp.float64).eps)
    True
    """
    x = asarray(x)
    if x.dtype.kind == "c":
        raise ValueError("spacing: not defined for complex inputs")
    dt = _float_dtype(x, np.spacing, "spacing")
    if x.dtype != dt:
        x = U.convert(x, dt)
    if dt == np.float16:     # NumPy's float16 spacing points toward +inf for every x
        return where(isinf(x), np.nan, nextafter(x, np.inf) - x)
    toward = where(x < 0, -np.inf, np.inf).astype(dt)
    out = nextafter(x, toward) - x
    tiny = float(np.finfo(dt).smallest_subnormal)
    return where(out == 0, where(x < 0, -tiny, tiny).astype(dt), out)
