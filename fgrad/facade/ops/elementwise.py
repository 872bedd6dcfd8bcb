"""Element-wise ops with PyTorch's semantics: unary math, binary arithmetic with PyTorch's
promotion, comparisons, logical and bitwise ops, ``clamp``.
"""
from __future__ import annotations

import numpy as np
from ... import numpy as fnp
from ...primitives import binary as B, unary as U
from ...primitives.creation import from_host
from ...transforms.core import bind
from ..promotion import _arr, _cast, _default_float, _dt, _is_number, _promote, _py_abs, _to_float
from ._common import public_names, _device, _dtype_name, _host


def _float_unary(name, fn, doc_arg="0.5"):
    def f(input):
        return fn(_to_float(input))
    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"Element-wise ``{name}`` as ``torch.{name}`` (integers give the default "
                 f"float dtype).\n\n>>> import fgrad.numpy as fnp\n"
                 f">>> {name}(fnp.asarray([{doc_arg}])).shape\n(1,)")
    return f


exp = _float_unary("exp", fnp.exp)
log = _float_unary("log", fnp.log)
log2 = _float_unary("log2", fnp.log2)
log10 = _float_unary("log10", fnp.log10)
log1p = _float_unary("log1p", fnp.log1p)
expm1 = _float_unary("expm1", fnp.expm1)
sqrt = _float_unary("sqrt", fnp.sqrt)
rsqrt = _float_unary("rsqrt", lambda x: 1 / fnp.sqrt(x))
sin = _float_unary("sin", fnp.sin)
cos = _float_unary("cos", fnp.cos)
tan = _float_unary("tan", fnp.tan)
tanh = _float_unary("tanh", fnp.tanh)
sinh = _float_unary("sinh", fnp.sinh)
cosh = _float_unary("cosh", fnp.cosh)
asin = arcsin = _float_unary("asin", fnp.arcsin)
acos = arccos = _float_unary("acos", fnp.arccos)
atan = arctan = _float_unary("atan", fnp.arctan)
sigmoid = _float_unary("sigmoid", lambda x: bind(U.logistic_p, x))
reciprocal = _float_unary("reciprocal", fnp.reciprocal)


def abs(input):
    """``|input|``; the derivative at 0 is 0 (PyTorch's).

    >>> import fgrad.numpy as fnp
    >>> abs(fnp.asarray([-1.0, 2.0]))
    Array([1., 2.])
    """
    return bind(U.abs_zero_kink_p, _arr(input))


absolute = abs


def neg(input):
    """``-input``.

    >>> import fgrad.numpy as fnp
    >>> neg(fnp.asarray([1.0]))
    Array([-1.])
    """
    if _dt(input) == np.bool_:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or "
                           "`logical_not()` operator instead.")
    return fnp.negative(_arr(input))


negative = neg


def sign(input):
    """-1, 0 or 1 by the sign of ``input`` (same dtype); zero derivative.

    >>> import fgrad.numpy as fnp
    >>> sign(fnp.asarray([-2.0, 0.0, 3.0]))
    Array([-1.,  0.,  1.])
    """
    return fnp.sign(_arr(input))


def _rounding(name, fn):
    def f(input):
        x = _arr(input)
        return x if _dt(x).kind in "biu" else fn(x)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"``{name}`` as ``torch.{name}`` (integers unchanged); zero derivative.\n\n"
                 f">>> import fgrad.numpy as fnp\n>>> {name}(fnp.asarray([1.5])).shape\n(1,)")
    return f


floor = _rounding("floor", fnp.floor)
ceil = _rounding("ceil", fnp.ceil)
trunc = fix = _rounding("trunc", fnp.trunc)


def round(input, *, decimals: int = 0):
    """Round half to even (``decimals`` places), as ``torch.round``.

    >>> import fgrad.numpy as fnp
    >>> round(fnp.asarray([0.5, 1.5, 1.26]), decimals=1)
    Array([0.5, 1.5, 1.3])
    """
    x = _arr(input)
    if _dt(x).kind in "biu" and decimals == 0:
        return x
    return fnp.round(x, decimals)


def frac(input):
    """``input - trunc(input)`` (sign of ``input``); derivative 1.

    >>> import fgrad.numpy as fnp
    >>> frac(fnp.asarray([-1.25, 2.5]))
    Array([-0.25,  0.5 ])
    """
    x = _arr(input)
    return x - fnp.trunc(x)


def square(input):
    """``input * input`` (integers stay integers).

    >>> import fgrad.numpy as fnp
    >>> square(fnp.asarray([3]))
    Array([9])
    """
    x = _arr(input)
    if _dt(x) == np.bool_:
        x = _cast(x, np.int64)
    return x * x


def relu(input):
    """``max(input, 0)``; the derivative at 0 is 0 (PyTorch's).

    >>> import fgrad.numpy as fnp
    >>> relu(fnp.asarray([-1.0, 2.0]))
    Array([0., 2.])
    """
    x = _arr(input)
    return fnp.where(x > 0, x, 0)


def isnan(input):
    """Where ``input`` is NaN.

    >>> import fgrad.numpy as fnp
    >>> isnan(fnp.asarray([1.0, float('nan')]))
    Array([False,  True])
    """
    return fnp.isnan(_arr(input))


def isinf(input):
    """Where ``input`` is ±inf.

    >>> import fgrad.numpy as fnp
    >>> isinf(fnp.asarray([1.0, float('inf')]))
    Array([False,  True])
    """
    return fnp.isinf(_arr(input))


def isfinite(input):
    """Where ``input`` is finite.

    >>> import fgrad.numpy as fnp
    >>> isfinite(fnp.asarray([1.0, float('inf')]))
    Array([ True, False])
    """
    return fnp.isfinite(_arr(input))


def logical_not(input):
    """Boolean not of ``input`` (nonzero is True).

    >>> import fgrad.numpy as fnp
    >>> logical_not(fnp.asarray([0, 2]))
    Array([ True, False])
    """
    return fnp.logical_not(_arr(input))


def bitwise_not(input):
    """Bitwise not (logical not for bools); integers and bools only.

    >>> import fgrad.numpy as fnp
    >>> bitwise_not(fnp.asarray([0, 2]))
    Array([-1, -3])
    """
    x = _arr(input)
    _check_integral("bitwise_not", x)
    return fnp.invert(x)


def _check_integral(name, *xs):
    for x in xs:
        if x is not None and not _is_number(x) and _dt(x).kind not in "biu":
            raise RuntimeError(f'"{name}_cpu" not implemented for \'{_dtype_name(_dt(x))}\'')


# ---- binary --------------------------------------------------------------
def _binary(name, fn, doc):
    def f(input, other):
        _, (a, b) = _promote(input, other)
        return fn(a, b)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = doc
    return f


def add(input, other, *, alpha=1):
    """``input + alpha * other`` with PyTorch's promotion.

    >>> import fgrad.numpy as fnp
    >>> add(fnp.asarray([1, 2]), 1.5)
    Array([2.5, 3.5], dtype=float32)
    """
    return _add_sub(input, other, alpha, fnp.add)


def sub(input, other, *, alpha=1):
    """``input - alpha * other`` with PyTorch's promotion.

    >>> import fgrad.numpy as fnp
    >>> sub(fnp.asarray([1.0, 2.0]), fnp.asarray([1.0, 1.0]), alpha=2)
    Array([-1.,  0.])
    """
    if _dt(input) == np.bool_ and _dt(other) == np.bool_:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    return _add_sub(input, other, alpha, fnp.subtract)


subtract = sub


def _add_sub(input, other, alpha, fn):
    dt, (a, b) = _promote(input, other)
    if alpha != 1:
        if dt.kind in "biu" and isinstance(alpha, float):
            raise RuntimeError("For integral input tensors, argument alpha must not be a "
                               "floating point number.")
        b = b * alpha
    return fn(a, b)


def mul(input, other):
    """``input * other`` with PyTorch's promotion.

    >>> import fgrad.numpy as fnp
    >>> mul(fnp.asarray([1, 2]), 0.5)
    Array([0.5, 1. ], dtype=float32)
    """
    dt, (a, b) = _promote(input, other)
    if dt == np.bool_:
        return fnp.logical_and(a, b)
    return fnp.multiply(a, b)


multiply = mul


def div(input, other, *, rounding_mode: str | None = None):
    """``input / other``: true division (integers give floats) or ``'trunc'``/``'floor'``.

    >>> import fgrad.numpy as fnp
    >>> div(fnp.asarray([1, 2]), fnp.asarray([2, 2]))
    Array([0.5, 1. ], dtype=float32)
    >>> div(fnp.asarray([-7, 7]), 2, rounding_mode='trunc')
    Array([-3,  3])
    """
    dt, (a, b) = _promote(input, other)
    if rounding_mode is None:
        if dt.kind in "biu":   # true division of the original values, in the default float
            a, b = _cast(_arr(input), _default_float()), _cast(_arr(other), _default_float())
        return fnp.true_divide(a, b)
    if rounding_mode == "floor":
        return floor_divide(a, b)
    if rounding_mode == "trunc":
        if dt.kind in "biu":
            q = fnp.floor_divide(a, b)
            # floor differs from trunc where the signs differ and the division is inexact
            fix_up = (fnp.remainder(a, b) != 0) & ((a < 0) != (b < 0))
            return fnp.where(fix_up, q + 1, q)
        return fnp.trunc(fnp.true_divide(a, b))
    raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but "
                       f"found '{rounding_mode}'")


divide = div


def true_divide(dividend, divisor):
    """``div`` with ``rounding_mode=None``.

    >>> import fgrad.numpy as fnp
    >>> true_divide(fnp.asarray([3]), 2)
    Array([1.5], dtype=float32)
    """
    return div(dividend, divisor)


def floor_divide(input, other):
    """``floor(input / other)`` (PyTorch >= 1.13 floors); zero derivative.

    >>> import fgrad.numpy as fnp
    >>> floor_divide(fnp.asarray([-7, 7]), 2)
    Array([-4,  3])
    """
    _, (a, b) = _promote(input, other)
    return fnp.floor_divide(a, b)


remainder = _binary("remainder", fnp.remainder,
                    """Python's modulus (sign of the divisor), as ``torch.remainder``.

    >>> import fgrad.numpy as fnp
    >>> remainder(fnp.asarray([-3.0, 3.0]), 2)
    Array([1., 1.])
    """)
fmod = _binary("fmod", fnp.fmod,
               """C's modulus (sign of the dividend), as ``torch.fmod``.

    >>> import fgrad.numpy as fnp
    >>> fmod(fnp.asarray([-3.0, 3.0]), 2)
    Array([-1.,  1.])
    """)
maximum = _binary("maximum", fnp.maximum,
                  """Element-wise maximum (ties split the gradient evenly, as PyTorch).

    >>> import fgrad.numpy as fnp
    >>> maximum(fnp.asarray([1.0, 4.0]), fnp.asarray([3.0, 2.0]))
    Array([3., 4.])
    """)
minimum = _binary("minimum", fnp.minimum,
                  """Element-wise minimum (ties split the gradient evenly, as PyTorch).

    >>> import fgrad.numpy as fnp
    >>> minimum(fnp.asarray([1.0, 4.0]), fnp.asarray([3.0, 2.0]))
    Array([1., 2.])
    """)


def pow(input, exponent):
    """``input ** exponent`` with PyTorch's promotion (integers to negative integer
    powers fail, as in PyTorch).

    >>> import fgrad.numpy as fnp
    >>> pow(fnp.asarray([1, 2]), 2.0)
    Array([1., 4.], dtype=float32)
    """
    dt, (a, b) = _promote(input, exponent)
    if dt.kind in "iu":
        neg_exp = (b < 0) if _is_number(b) else bool(_host(b).min(initial=0) < 0)
        if neg_exp:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
    return fnp.power(a, b)


def atan2(input, other):
    """Angle of ``(other, input)``, as ``torch.atan2`` (integers give floats).

    >>> import fgrad.numpy as fnp
    >>> atan2(fnp.asarray([1.0]), fnp.asarray([1.0]))
    Array([0.78539816])
    """
    dt, (a, b) = _promote(input, other)
    if dt.kind in "biu":
        a, b = _cast(_arr(input), _default_float()), _cast(_arr(other), _default_float())
    return fnp.arctan2(a, b)


arctan2 = atan2


def _compare(name, fn):
    def f(input, other):
        _, (a, b) = _promote(input, other)
        return fn(a, b)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"Element-wise ``{name}`` (operands promoted as PyTorch does); a bool result."
                 f"\n\n>>> import fgrad.numpy as fnp\n>>> {name}(fnp.asarray([1, 2]), 1.5).dtype\n"
                 f"dtype('bool')")
    return f


eq = _compare("eq", fnp.equal)
ne = not_equal = _compare("ne", fnp.not_equal)
lt = less = _compare("lt", fnp.less)
le = less_equal = _compare("le", fnp.less_equal)
gt = greater = _compare("gt", fnp.greater)
ge = greater_equal = _compare("ge", fnp.greater_equal)
logical_and = _compare("logical_and", fnp.logical_and)
logical_or = _compare("logical_or", fnp.logical_or)
logical_xor = _compare("logical_xor", fnp.logical_xor)


def _bitwise(name, fn):
    def f(input, other):
        _check_integral(name, input, other)
        _, (a, b) = _promote(input, other)
        return fn(a, b)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"Element-wise ``{name}`` of integers or bools.\n\n>>> import fgrad.numpy as "
                 f"fnp\n>>> {name}(fnp.asarray([12]), 10).shape\n(1,)")
    return f


bitwise_and = _bitwise("bitwise_and", fnp.bitwise_and)
bitwise_or = _bitwise("bitwise_or", fnp.bitwise_or)
bitwise_xor = _bitwise("bitwise_xor", fnp.bitwise_xor)


def equal(input, other) -> bool:
    """True when both have the same shape and elements.

    >>> import fgrad.numpy as fnp
    >>> equal(fnp.asarray([1, 2]), fnp.asarray([1, 2]))
    True
    """
    if tuple(input.shape) != tuple(other.shape):
        return False
    return bool(fnp.all(eq(input, other)))


def isclose(input, other, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False):
    """``|input - other| <= atol + rtol * |other|`` element-wise (equal infinities are close).

    >>> import fgrad.numpy as fnp
    >>> isclose(fnp.asarray([1.0, 2.0]), fnp.asarray([1.0 + 1e-9, 2.1]))
    Array([ True, False])
    """
    dt, (a, b) = _promote(input, other)
    a, b = _arr(a, dt), _arr(b, dt)
    if dt.kind in "biu":
        return eq(a, b) if rtol == 0 and atol == 0 else fnp.isclose(
            _cast(a, np.float64), _cast(b, np.float64), rtol, atol)
    return fnp.isclose(a, b, rtol, atol, equal_nan)


def allclose(input, other, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: bool = False) -> bool:
    """True when every element of ``input`` is close to ``other``'s (``isclose``).

    >>> import fgrad.numpy as fnp
    >>> allclose(fnp.asarray([1.0]), fnp.asarray([1.0 + 1e-9]))
    True
    """
    return bool(fnp.all(isclose(input, other, rtol, atol, equal_nan)))


def clamp(input, min=None, max=None):
    """``input`` limited to ``[min, max]`` (numbers or tensors); at a bound the gradient
    passes through to ``input`` (PyTorch's rule); below ``min`` it goes to ``min``.

    >>> import fgrad.numpy as fnp
    >>> clamp(fnp.asarray([-1.0, 0.5, 2.0]), 0.0, 1.0)
    Array([0. , 0.5, 1. ])
    """
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    dt, (x, lo, hi) = _promote(input, min, max)
    x = _arr(x, dt)
    if lo is None or hi is None:
        big = np.inf if dt.kind in "fc" else (np.iinfo(dt).max if dt.kind in "iu" else True)
        small = -np.inf if dt.kind in "fc" else (np.iinfo(dt).min if dt.kind in "iu" else False)
        lo = small if lo is None else lo
        hi = big if hi is None else hi
        if dt.kind in "iub":     # keep the bounds in the integer dtype
            lo = from_host(np.asarray(lo, dt), _device(x)) if _is_number(lo) else lo
            hi = from_host(np.asarray(hi, dt), _device(x)) if _is_number(hi) else hi
    return bind(B.clamp_p, x, lo, hi)


clip = clamp


def lerp(input, end, weight):
    """``input + weight * (end - input)``, evaluated as PyTorch does (from ``end`` when
    ``weight >= 0.5``).

    >>> import fgrad.numpy as fnp
    >>> lerp(fnp.asarray([0.0, 1.0]), fnp.asarray([10.0, 3.0]), 0.5)
    Array([5., 2.])
    """
    _, (a, b) = _promote(input, end)
    diff = b - a
    if _is_number(weight):
        return a + weight * diff if _py_abs(weight) < 0.5 else b - diff * (1 - weight)
    return fnp.where(fnp.abs(weight) < 0.5, a + weight * diff, b - diff * (1 - weight))


def addcmul(input, tensor1, tensor2, *, value=1):
    """``input + value * tensor1 * tensor2``.

    >>> import fgrad.numpy as fnp
    >>> addcmul(fnp.asarray([1.0]), fnp.asarray([2.0]), fnp.asarray([3.0]), value=0.5)
    Array([4.])
    """
    _, (a, t1, t2) = _promote(input, tensor1, tensor2)
    prod_ = t1 * t2
    return a + (prod_ if value == 1 else value * prod_)


def addcdiv(input, tensor1, tensor2, *, value=1):
    """``input + value * tensor1 / tensor2`` (integer division is an error, as PyTorch).

    >>> import fgrad.numpy as fnp
    >>> addcdiv(fnp.asarray([1.0]), fnp.asarray([2.0]), fnp.asarray([4.0]), value=2)
    Array([2.])
    """
    dt, (a, t1, t2) = _promote(input, tensor1, tensor2)
    if _dt(tensor1).kind in "biu" and _dt(tensor2).kind in "biu":
        raise RuntimeError("Integer division with addcdiv is no longer supported, and in a "
                           "future release addcdiv will perform a true division of tensor1 "
                           "and tensor2. The historic addcdiv behavior can be implemented as "
                           "(input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) "
                           "for integer inputs and as (input + value * tensor1 / tensor2) for "
                           "float inputs. The future addcdiv behavior is just the latter "
                           "implementation: (input + value * tensor1 / tensor2), for all "
                           "dtypes.")
    q = t1 / t2
    return a + (q if value == 1 else value * q)


__all__ = public_names(globals(), __name__)
