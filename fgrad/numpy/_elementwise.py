"""Element-wise math for ``fgrad.numpy``: primitives and compositions of them."""
from __future__ import annotations

import numpy as np

from ..primitives import binary as B, unary as U
from ..primitives.core import REGISTRY
from ..transforms.core import bind
from ._core import asarray

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


_UNARY = {
    "negative": U.neg_p, "exp": U.exp_p, "expm1": U.expm1_p, "log": U.log_p,
    "log1p": U.log1p_p, "sqrt": U.sqrt_p, "sin": U.sin_p, "cos": U.cos_p, "tan": U.tan_p,
    "tanh": U.tanh_p, "sinh": U.sinh_p, "cosh": U.cosh_p, "arcsin": U.arcsin_p,
    "arccos": U.arccos_p, "arctan": U.arctan_p, "arcsinh": U.arcsinh_p,
    "arccosh": U.arccosh_p, "arctanh": U.arctanh_p, "abs": U.abs_p, "sign": U.sign_p,
    "floor": U.floor_p, "ceil": U.ceil_p, "isfinite": U.isfinite_p, "isnan": U.isnan_p,
    "isinf": U.isinf_p, "logical_not": U.logical_not_p, "invert": U.invert_p,
    "real": U.real_p, "imag": U.imag_p, "conj": U.conj_p,
}
_BINARY = {
    "add": B.add_p, "subtract": B.sub_p, "multiply": B.mul_p, "true_divide": B.div_p,
    "power": B.pow_p, "maximum": B.maximum_p, "minimum": B.minimum_p,
    "arctan2": B.arctan2_p, "logaddexp": B.logaddexp_p, "remainder": B.remainder_p,
    "hypot": B.hypot_p,
    "floor_divide": B.floor_divide_p, "nextafter": B.nextafter_p,
    **{n: REGISTRY[n] for n in ("equal", "not_equal", "less", "less_equal", "greater",
                                "greater_equal", "logical_and", "logical_or", "logical_xor",
                                "bitwise_and", "bitwise_or", "bitwise_xor", "left_shift",
                                "right_shift")},
}
for _n, _p in _UNARY.items():
    globals()[_n] = _wrap_unary(_p, _n)
for _n, _p in _BINARY.items():
    globals()[_n] = _wrap_binary(_p, _n)

absolute = abs  # noqa: F821
conjugate = conj  # noqa: F821
divide = true_divide  # noqa: F821
mod = remainder  # noqa: F821
pow = power  # noqa: F821
bitwise_not = invert  # noqa: F821
arcsin, arccos, arctan = arcsin, arccos, arctan  # noqa: F821
asin, acos, atan, atan2 = arcsin, arccos, arctan, arctan2  # noqa: F821
asinh, acosh, atanh = arcsinh, arccosh, arctanh  # noqa: F821


def round(x, decimals: int = 0):
    """Round half to even, as ``numpy.round``; zero derivative."""
    return bind(U.round_p, x, decimals=decimals)


around = round


def trunc(x):
    """Round toward zero; zero derivative."""
    return where(less(x, 0), ceil(x), floor(x))  # noqa: F821


fix = trunc


def rint(x):
    return round(x)


def square(x):
    """``x * x``."""
    return multiply(x, x)  # noqa: F821


def reciprocal(x):
    return true_divide(1.0, x)  # noqa: F821


def cbrt(x):
    """Real cube root (negative inputs give negative roots)."""
    return sign(x) * power(abs(x), 1.0 / 3.0)  # noqa: F821


def exp2(x):
    return power(2.0, x)  # noqa: F821


def log2(x):
    return log(x) / _LN2  # noqa: F821


def log10(x):
    return log(x) / _LN10  # noqa: F821


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
    return multiply(x, np.pi / 180.0)  # noqa: F821


def rad2deg(x):
    return multiply(x, 180.0 / np.pi)  # noqa: F821


radians, degrees = deg2rad, rad2deg


def sinc(x):
    """``sin(pi x) / (pi x)``, 1 at 0."""
    px = multiply(x, np.pi)  # noqa: F821
    safe = where(equal(px, 0), 1.0, px)  # noqa: F821
    return where(equal(px, 0), 1.0, sin(safe) / safe)  # noqa: F821


def fmod(x, y):
    """C-style remainder, with the sign of ``x``: ``copysign(remainder(|x|, |y|), x)``."""
    r = remainder(abs(x), abs(y))  # noqa: F821
    return where(less(x, 0), negative(r), r)  # noqa: F821


def positive(x):
    return asarray(x)


def heaviside(x, h0):
    """0 where x < 0, 1 where x > 0, ``h0`` where x == 0 (nan stays nan)."""
    x, h0 = _inexact(x, h0)
    one = where(greater(x, 0), 1.0, h0)  # noqa: F821
    out = where(less(x, 0), 0.0, one)  # noqa: F821
    out = where(isnan(x), x, out)  # noqa: F821
    dt = np.result_type(*[a if isinstance(a, (int, float)) else a.dtype for a in (x, h0)])
    return U.convert(out, dt) if out.dtype != dt else out


def signbit(x):
    return less(x, 0) | (equal(x, 0) & less(true_divide(1.0, x), 0))  # noqa: F821


def where(condition, x=None, y=None):
    """``x`` where ``condition`` else ``y`` (broadcasting); one argument: ``nonzero``."""
    if x is None and y is None:
        from ._indexing import nonzero
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
        out = maximum(out, lo)  # noqa: F821
    if hi is not None:
        out = minimum(out, hi)  # noqa: F821
    return out


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    a, b = asarray(a), asarray(b)
    close = less_equal(abs(a - b), atol + rtol * abs(b))  # noqa: F821
    both_inf = equal(a, b)  # noqa: F821
    out = close | both_inf
    if equal_nan:
        out = out | (isnan(a) & isnan(b))  # noqa: F821
    return out


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    from ._reductions import all as all_
    return bool(all_(isclose(a, b, rtol, atol, equal_nan)))


def array_equal(a, b) -> bool:
    a, b = asarray(a), asarray(b)
    if a.shape != b.shape:
        return False
    from ._reductions import all as all_
    return bool(all_(equal(a, b)))  # noqa: F821


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = asarray(x)
    info = np.finfo(x.dtype) if x.dtype.kind == "f" else None
    posinf = info.max if posinf is None and info else posinf
    neginf = info.min if neginf is None and info else neginf
    x = where(isnan(x), nan, x)  # noqa: F821
    x = where(equal(x, np.inf), posinf, x)  # noqa: F821
    return where(equal(x, -np.inf), neginf, x)  # noqa: F821


def stop_gradient(x):
    """``x``, with a zero derivative (JAX's ``lax.stop_gradient``), on every leaf of a pytree.

    >>> import fgrad, fgrad.numpy as fnp
    >>> fgrad.grad(lambda x: x * fgrad.stop_gradient(x))(3.0)
    Array(3.)
    """
    from ..tree_util import tree_map
    from ..transforms.api import from_output, _rewrap_output
    return tree_map(lambda l: _rewrap_output(bind(U.stop_gradient_p, from_output(l)), l), x)
