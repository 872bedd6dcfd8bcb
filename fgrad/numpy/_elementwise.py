"""Element-wise math for ``fgrad.numpy``: primitives and compositions of them."""
from __future__ import annotations

import numpy as np

from ..primitives import binary as B, unary as U
from ..primitives.core import REGISTRY
from ..transforms.core import bind
from ._core import asarray
from ._indexing import nonzero
from ._reductions import all as all_
from ..tree_util import tree_map
from ..transforms.core import from_output
from ..transforms.wrappers import wrap_like

# Python floats, so they promote weakly (a NumPy float64 scalar would turn float32 into float64)
_LN2 = float(np.log(2.0))
_LN10 = float(np.log(10.0))


# Integer-only functions get integer examples in their docstrings.
_INTEGER_ONLY = {"bitwise_and", "bitwise_or", "bitwise_xor", "invert", "bitwise_not",
                 "bitwise_invert", "left_shift", "right_shift", "bitwise_left_shift",
                 "bitwise_right_shift"}


def _wrap_unary(prim, name):
    def f(x):
        return bind(prim, x)
    f.__name__ = f.__qualname__ = name
    arg = "[5]" if name in _INTEGER_ONLY else "[0.5]"
    f.__doc__ = (f"Element-wise ``{name}``, as ``numpy.{name}`` (primitive ``{prim.name}``).\n\n"
                 f">>> import fgrad.numpy as fnp\n>>> fnp.{name}(fnp.asarray({arg})).shape\n(1,)")
    return f


def _wrap_binary(prim, name):
    def f(x, y):
        return bind(prim, x, y)
    f.__name__ = f.__qualname__ = name
    args = "[1, 2]), 1" if name in _INTEGER_ONLY else "[1.0, 2.0]), 1.0"
    f.__doc__ = (f"Element-wise ``{name}`` with broadcasting, as ``numpy.{name}`` "
                 f"(primitive ``{prim.name}``).\n\n>>> import fgrad.numpy as fnp\n"
                 f">>> fnp.{name}(fnp.asarray({args}).shape\n(2,)")
    return f


# the element-wise wrappers, one per primitive, by name
negative = _wrap_unary(U.neg_p, "negative")
exp = _wrap_unary(U.exp_p, "exp")
expm1 = _wrap_unary(U.expm1_p, "expm1")
log = _wrap_unary(U.log_p, "log")
log1p = _wrap_unary(U.log1p_p, "log1p")
sqrt = _wrap_unary(U.sqrt_p, "sqrt")
sin = _wrap_unary(U.sin_p, "sin")
cos = _wrap_unary(U.cos_p, "cos")
tan = _wrap_unary(U.tan_p, "tan")
tanh = _wrap_unary(U.tanh_p, "tanh")
sinh = _wrap_unary(U.sinh_p, "sinh")
cosh = _wrap_unary(U.cosh_p, "cosh")
arcsin = _wrap_unary(U.arcsin_p, "arcsin")
arccos = _wrap_unary(U.arccos_p, "arccos")
arctan = _wrap_unary(U.arctan_p, "arctan")
arcsinh = _wrap_unary(U.arcsinh_p, "arcsinh")
arccosh = _wrap_unary(U.arccosh_p, "arccosh")
arctanh = _wrap_unary(U.arctanh_p, "arctanh")
abs = _wrap_unary(U.abs_p, "abs")
sign = _wrap_unary(U.sign_p, "sign")
floor = _wrap_unary(U.floor_p, "floor")
ceil = _wrap_unary(U.ceil_p, "ceil")
isfinite = _wrap_unary(U.isfinite_p, "isfinite")
isnan = _wrap_unary(U.isnan_p, "isnan")
isinf = _wrap_unary(U.isinf_p, "isinf")
logical_not = _wrap_unary(U.logical_not_p, "logical_not")
invert = _wrap_unary(U.invert_p, "invert")
real = _wrap_unary(U.real_p, "real")
imag = _wrap_unary(U.imag_p, "imag")
conj = _wrap_unary(U.conj_p, "conj")
add = _wrap_binary(B.add_p, "add")
subtract = _wrap_binary(B.sub_p, "subtract")
multiply = _wrap_binary(B.mul_p, "multiply")
true_divide = _wrap_binary(B.div_p, "true_divide")
power = _wrap_binary(B.pow_p, "power")
maximum = _wrap_binary(B.maximum_p, "maximum")
minimum = _wrap_binary(B.minimum_p, "minimum")
arctan2 = _wrap_binary(B.arctan2_p, "arctan2")
logaddexp = _wrap_binary(B.logaddexp_p, "logaddexp")
remainder = _wrap_binary(B.remainder_p, "remainder")
hypot = _wrap_binary(B.hypot_p, "hypot")
floor_divide = _wrap_binary(B.floor_divide_p, "floor_divide")
nextafter = _wrap_binary(B.nextafter_p, "nextafter")
equal = _wrap_binary(REGISTRY["equal"], "equal")
not_equal = _wrap_binary(REGISTRY["not_equal"], "not_equal")
less = _wrap_binary(REGISTRY["less"], "less")
less_equal = _wrap_binary(REGISTRY["less_equal"], "less_equal")
greater = _wrap_binary(REGISTRY["greater"], "greater")
greater_equal = _wrap_binary(REGISTRY["greater_equal"], "greater_equal")
logical_and = _wrap_binary(REGISTRY["logical_and"], "logical_and")
logical_or = _wrap_binary(REGISTRY["logical_or"], "logical_or")
logical_xor = _wrap_binary(REGISTRY["logical_xor"], "logical_xor")
bitwise_and = _wrap_binary(REGISTRY["bitwise_and"], "bitwise_and")
bitwise_or = _wrap_binary(REGISTRY["bitwise_or"], "bitwise_or")
bitwise_xor = _wrap_binary(REGISTRY["bitwise_xor"], "bitwise_xor")
left_shift = _wrap_binary(REGISTRY["left_shift"], "left_shift")
right_shift = _wrap_binary(REGISTRY["right_shift"], "right_shift")

absolute = abs
conjugate = conj
divide = true_divide
mod = remainder
pow = power
bitwise_not = invert
arcsin, arccos, arctan = arcsin, arccos, arctan
asin, acos, atan, atan2 = arcsin, arccos, arctan, arctan2
asinh, acosh, atanh = arcsinh, arccosh, arctanh


def round(x, decimals: int = 0):
    """Round half to even, as ``numpy.round``; zero derivative."""
    return bind(U.round_p, x, decimals=decimals)


around = round


def trunc(x):
    """Round toward zero; zero derivative."""
    return where(less(x, 0), ceil(x), floor(x))


fix = trunc


def rint(x):
    return round(x)


def square(x):
    """``x * x``."""
    return multiply(x, x)


def reciprocal(x):
    return true_divide(1.0, x)


def cbrt(x):
    """Real cube root (negative inputs give negative roots)."""
    return sign(x) * power(abs(x), 1.0 / 3.0)


def exp2(x):
    return power(2.0, x)


def log2(x):
    return log(x) / _LN2


def log10(x):
    return log(x) / _LN10


def _inexact(*xs):
    """Array arguments cast to the floating dtype a NumPy float ufunc would compute in
    (``uint8`` -> float16, ``int32`` -> float64, ...); Python scalars stay weak."""
    arrs = [x if isinstance(x, (int, float, bool, complex)) else asarray(x) for x in xs]
    dt = np.result_type(*[a if isinstance(a, (int, float, bool, complex)) else a.dtype
                          for a in arrs], np.float16)
    return [a if isinstance(a, (int, float, bool, complex)) else U.convert(a, dt) for a in arrs]


def logaddexp2(x, y):
    x, y = _inexact(x, y)
    return logaddexp(x * _LN2, y * _LN2) / _LN2


def deg2rad(x):
    return multiply(x, np.pi / 180.0)


def rad2deg(x):
    return multiply(x, 180.0 / np.pi)


radians, degrees = deg2rad, rad2deg


def sinc(x):
    """``sin(pi x) / (pi x)``, 1 at 0."""
    px = multiply(x, np.pi)
    safe = where(equal(px, 0), 1.0, px)
    return where(equal(px, 0), 1.0, sin(safe) / safe)


def fmod(x, y):
    """C-style remainder, with the sign of ``x``: ``copysign(remainder(|x|, |y|), x)``."""
    r = remainder(abs(x), abs(y))
    return where(less(x, 0), negative(r), r)


def positive(x):
    return asarray(x)


def heaviside(x, h0):
    """0 where x < 0, 1 where x > 0, ``h0`` where x == 0 (nan stays nan)."""
    x, h0 = _inexact(x, h0)
    one = where(greater(x, 0), 1.0, h0)
    out = where(less(x, 0), 0.0, one)
    out = where(isnan(x), x, out)
    dt = np.result_type(*[a if isinstance(a, (int, float)) else a.dtype for a in (x, h0)])
    return U.convert(out, dt) if out.dtype != dt else out


def signbit(x):
    return less(x, 0) | (equal(x, 0) & less(true_divide(1.0, x), 0))


def where(condition, x=None, y=None):
    """``x`` where ``condition`` else ``y`` (broadcasting); one argument: ``nonzero``."""
    if x is None and y is None:
        return nonzero(condition)
    if x is None or y is None:
        raise ValueError("where: either both or neither of x and y should be given")
    return bind(B.select_p, condition, x, y)


def clip(a, a_min=None, a_max=None, *, min=None, max=None):
    """``a`` limited to [a_min, a_max]; at a bound the gradient is split as in JAX
    (``minimum(maximum(a, a_min), a_max)``)."""
    lo = a_min if a_min is not None else min
    hi = a_max if a_max is not None else max
    out = asarray(a) if not isinstance(a, (int, float)) else a
    if lo is not None:
        out = maximum(out, lo)
    if hi is not None:
        out = minimum(out, hi)
    return out


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    a, b = asarray(a), asarray(b)
    close = less_equal(abs(a - b), atol + rtol * abs(b))
    both_inf = equal(a, b)
    out = close | both_inf
    if equal_nan:
        out = out | (isnan(a) & isnan(b))
    return out


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    return bool(all_(isclose(a, b, rtol, atol, equal_nan)))


def array_equal(a, b) -> bool:
    a, b = asarray(a), asarray(b)
    if a.shape != b.shape:
        return False
    return bool(all_(equal(a, b)))


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = asarray(x)
    info = np.finfo(x.dtype) if x.dtype.kind == "f" else None
    posinf = info.max if posinf is None and info else posinf
    neginf = info.min if neginf is None and info else neginf
    x = where(isnan(x), nan, x)
    x = where(equal(x, np.inf), posinf, x)
    return where(equal(x, -np.inf), neginf, x)


def stop_gradient(x):
    """``x``, with a zero derivative (JAX's ``lax.stop_gradient``), on every leaf of a pytree.

    >>> import fgrad, fgrad.numpy as fnp
    >>> fgrad.grad(lambda x: x * fgrad.stop_gradient(x))(3.0)
    Array(3.)
    """
    return tree_map(lambda l: wrap_like(bind(U.stop_gradient_p, from_output(l)), l), x)
