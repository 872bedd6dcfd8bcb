"""PyTorch-semantics functions over ``fgrad.numpy``: the facade's math, reductions,
linear algebra, shape and indexing ops.

Every function here is a composition of ``fgrad.numpy`` functions and
primitives (no derivative rules of its own), so it runs unchanged on
``fgrad.Array``, on tracers (under ``grad``/``vmap``) and on the facade's
``Tensor`` (whose bind handler records autograd nodes). Signatures, defaults,
dtypes and errors follow PyTorch 2.x; ``METHODS`` lists the functions that are
also ``Tensor`` methods (the tensor is the first argument).

Dtype promotion follows PyTorch (``result_type`` below): tensors with
dimensions outrank 0-d tensors, which outrank Python numbers, unless a lower
rank holds a higher category (bool < integer < floating < complex); a Python
float counts as the default float dtype (float32); integer true division and
float functions (``exp``, ``sqrt`` ...) of integers give the default float dtype.

Derivatives at kinks are PyTorch's: ``abs``/``sign`` at 0 give 0, ``clamp``
passes the gradient at a bound, ``relu`` at 0 gives 0, ``max()``/``amax``
split ties evenly while ``max(dim)``/``median(dim)`` send the gradient to the
returned index, ``norm`` at 0 gives 0.

>>> import fgrad.numpy as fnp
>>> from fgrad.facade import ops as T
>>> T.max(fnp.asarray([[1.0, 5.0], [7.0, 2.0]]), dim=1).indices
Array([1, 0])
"""
from __future__ import annotations

import builtins
import collections
import math
import sys
import types
from typing import Any, Sequence

import numpy as np

from .. import numpy as fnp
from .._array import Array
from ..primitives import binary as B, reductions as R, shape as S, unary as U
from ..primitives.creation import from_host
from ..transforms.core import Tracer, bind

_py_max, _py_min, _py_sum, _py_abs, _py_all, _py_any = (
    builtins.max, builtins.min, builtins.sum, builtins.abs, builtins.all, builtins.any)
_SCALARS = (bool, int, float, complex, np.bool_, np.number)


# ============================================================ helpers ====
def _is_number(x) -> bool:
    return isinstance(x, _SCALARS)


def _np_dtype(d) -> np.dtype:
    """A dtype (NumPy's, or the facade's) as a ``numpy.dtype``."""
    try:
        return np.dtype(d)
    except TypeError:
        for attr in ("numpy_dtype", "np_dtype", "_np"):
            if hasattr(d, attr):
                return np.dtype(getattr(d, attr))
        raise


def _dt(x) -> np.dtype:
    if _is_number(x):
        return np.result_type(x)
    return _np_dtype(x.dtype)


def _default_float() -> np.dtype:
    """The facade's default float dtype (``fgrad.get_default_dtype()``; float32)."""
    get = getattr(sys.modules.get("fgrad"), "get_default_dtype", None)
    return _np_dtype(get()) if get is not None else np.dtype(np.float32)


def _default_complex() -> np.dtype:
    return np.dtype(np.complex128 if _default_float() == np.float64 else np.complex64)


def _category(dt: np.dtype) -> int:
    return {"b": 0, "i": 1, "u": 1, "f": 2, "c": 3}[dt.kind]


def promote_types(a, b) -> np.dtype:
    """PyTorch's ``promote_types``: NumPy's, except that an integer or bool meeting a float
    (or complex) type gives that type (int64 with float32 is float32).

    >>> promote_types('int64', 'float32')
    dtype('float32')
    """
    a, b = np.dtype(a), np.dtype(b)
    ca, cb = _category(a), _category(b)
    if ca != cb and _py_max(ca, cb) >= 2 and _py_min(ca, cb) <= 1:
        return a if ca > cb else b
    return np.promote_types(a, b)


def _combine(higher, lower):
    """PyTorch's ``combine_categories``: a lower-priority group wins only by category."""
    if higher is None:
        return lower
    if lower is None:
        return higher
    if _category(higher) == 3:
        return higher
    if _category(lower) == 3:
        return np.result_type(higher, np.complex64) if _category(higher) == 2 else lower
    if _category(higher) == 2:
        return higher
    if higher == np.bool_ or _category(lower) == 2:
        return promote_types(higher, lower)
    return higher


def result_type(*args) -> np.dtype:
    """The dtype PyTorch gives an op over ``args`` (tensors, arrays and Python numbers).

    Covers bool/int/uint8/float/complex tensors, 0-d tensors and Python
    numbers (weak: ``int`` is int64, ``float`` the default float dtype).

    >>> import fgrad.numpy as fnp
    >>> result_type(fnp.asarray([1, 2]), 1.5)
    dtype('float32')
    >>> result_type(fnp.asarray([1.0], dtype='float32'), fnp.asarray(2.0))
    dtype('float32')
    """
    groups = [None, None, None]          # dimensioned tensors, 0-d tensors, numbers
    for a in args:
        if a is None:
            continue
        if _is_number(a) and not isinstance(a, np.ndarray):
            if isinstance(a, (bool, np.bool_)):
                dt = np.dtype(np.bool_)
            elif isinstance(a, (int, np.integer)):
                dt = np.dtype(np.int64)
            elif isinstance(a, (float, np.floating)):
                dt = _default_float()
            else:
                dt = _default_complex()
            g = 2
        else:
            dt = _dt(a)
            g = 1 if len(a.shape) == 0 else 0
        groups[g] = dt if groups[g] is None else promote_types(groups[g], dt)
    out = _combine(groups[0], _combine(groups[1], groups[2]))
    return np.dtype(np.bool_) if out is None else out


def _arr(x, dtype=None):
    """Array-likes (lists, NumPy data, numbers) as Arrays; tensors and tracers as they are."""
    if isinstance(x, (Array, Tracer)) or not (_is_number(x) or isinstance(x, (list, tuple, np.ndarray))):
        return x if dtype is None else _cast(x, dtype)
    if dtype is None and _is_number(x):
        dtype = result_type(x)
    return fnp.asarray(x, dtype=dtype)


def _cast(x, dt):
    """``x`` as dtype ``dt``; Python numbers stay weak (NumPy 2 keeps them from promoting)."""
    if x is None or _is_number(x):
        return x
    if _dt(x) == dt:
        return x
    return U.convert_p.bind(x, dtype=np.dtype(dt))


def _promote(*args):
    dt = result_type(*args)
    return dt, [_cast(_arr(a) if isinstance(a, (list, tuple, np.ndarray)) else a, dt) for a in args]


def _to_float(x):
    """Integers and bools as the default float dtype (PyTorch's float functions)."""
    x = _arr(x)
    return _cast(x, _default_float()) if _dt(x).kind in "biu" else x


def _device(x):
    """The Device holding ``x`` (for constants built next to it)."""
    from ..transforms.api import from_output
    return from_output(x).device if not isinstance(x, (Array, Tracer)) else x.device


def _rewrap(value, like):
    """A result computed from concrete data, wrapped like ``like`` (a Tensor stays a Tensor)."""
    from ..transforms.api import _rewrap_output
    return _rewrap_output(value, like)


def _host(x) -> np.ndarray:
    """Concrete data of ``x`` on the host (for data-dependent shapes)."""
    from ..transforms.api import from_output
    v = from_output(x) if not isinstance(x, (Array, Tracer)) else x
    return np.asarray(v)


def _wrap_dim(dim, ndim: int) -> int:
    """``dim`` in ``[-ndim, ndim)`` as a non-negative axis, with PyTorch's error."""
    lo, hi = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    d = int(dim)
    if not lo <= d <= hi:
        raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], "
                         f"but got {d})")
    return d % ndim if ndim else 0


def _dims(dim, ndim: int):
    """``dim`` (None, int, or sequence) as a tuple of axes; None or () means all."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (int, np.integer)):
        return (_wrap_dim(dim, ndim),)
    dims = tuple(_wrap_dim(d, ndim) for d in dim)
    if len(set(dims)) != len(dims):
        raise RuntimeError(f"dim {dims[0]} appears multiple times in the list of dims")
    return dims if dims else tuple(range(ndim))


def _sizes(args) -> tuple:
    """``f(2, 3)`` and ``f((2, 3))`` alike: the sizes as a tuple of ints."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)) or (
            len(args) == 1 and hasattr(args[0], "__len__") and not _is_number(args[0])):
        args = tuple(args[0])
    return tuple(int(a) for a in args)


def _keep(out, shape, axes, keepdim):
    if keepdim:
        return S.reshape(out, R._kept_shape(tuple(shape), axes))
    return out


def _numel(x) -> int:
    """The number of elements (``x.size`` is a method on tensors, an int on arrays)."""
    return int(np.prod(x.shape, dtype=np.int64))


def _shape_str(shape) -> str:
    return "x".join(str(d) for d in shape)


def _dtype_name(dt) -> str:
    return {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
            "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
            "complex64": "ComplexFloat", "complex128": "ComplexDouble"}.get(np.dtype(dt).name,
                                                                            str(dt))


def _zero_index(x):
    """int64 zeros shaped like ``x``, traced along with it (a Tensor stays a Tensor)."""
    return _cast(x != x, np.int64) * 0


def _pick(x, idx, dim):
    """``x`` at ``idx`` (keepdim-shaped int indices) along ``dim``, dim removed.

    A masked sum (no gather), so the gradient goes to the picked index only,
    values are exact (``select`` never mixes in other entries) and it vmaps.
    """
    n = x.shape[dim]
    iota = from_host(np.arange(n, dtype=np.int64).reshape(
        (n,) + (1,) * (len(x.shape) - dim - 1)), _device(x))
    hit = fnp.equal(iota, idx)
    return R.reduce_sum(B.select_p.bind(hit, x, 0), (dim,))


# ==================================================== return types ======
return_types = types.ModuleType("fgrad.return_types", "Named tuples returned by "
                                "max/min/sort/topk/median/mode/kthvalue (PyTorch's return_types).")


def _return_type(name, fields=("values", "indices")):
    base = collections.namedtuple(name, fields)

    def __repr__(self):
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(fields, self))
        return f"fgrad.return_types.{name}(\n{body})"
    cls = type(name, (base,), {"__slots__": (), "__repr__": __repr__, "__str__": __repr__,
                               "__module__": "fgrad.return_types"})
    cls.__qualname__ = name
    setattr(return_types, name, cls)
    return cls


for _n in ("max", "min", "sort", "topk", "median", "mode", "kthvalue"):
    _return_type(_n)
sys.modules.setdefault("fgrad.return_types", return_types)


# ======================================================= elementwise ====
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
reciprocal = _float_unary("reciprocal", lambda x: 1 / x)


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


def where(condition, input=None, other=None):
    """``input`` where ``condition`` else ``other`` (PyTorch promotion); one argument:
    ``nonzero(condition, as_tuple=True)``.

    >>> import fgrad.numpy as fnp
    >>> where(fnp.asarray([True, False]), fnp.asarray([1, 2]), 2.5)
    Array([1. , 2.5], dtype=float32)
    """
    if input is None and other is None:
        return nonzero(condition, as_tuple=True)
    if _dt(condition) != np.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {_dtype_name(_dt(condition))}")
    _, (a, b) = _promote(input, other)
    return fnp.where(_arr(condition), a, b)


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


# ======================================================== reductions ====
def _sum_dtype(x, dtype):
    if dtype is not None:
        return _np_dtype(dtype)
    dt = _dt(x)
    return np.dtype(np.int64) if dt.kind in "biu" else dt


def sum(input, dim=None, keepdim: bool = False, *, dtype=None):
    """Sum over ``dim`` (int, tuple, or all); integers and bools sum as int64.

    >>> import fgrad.numpy as fnp
    >>> sum(fnp.asarray([[1.0, 2.0], [3.0, 4.0]]), dim=1, keepdim=True)
    Array([[3.],
           [7.]])
    """
    x = _arr(input)
    x = _cast(x, _sum_dtype(x, dtype))
    axes = _dims(dim, x.ndim)
    return _keep(R.reduce_sum(x, axes), x.shape, axes, keepdim)


def prod(input, dim=None, keepdim: bool = False, *, dtype=None):
    """Product over ``dim`` (one int, or all); integers and bools multiply as int64.

    >>> import fgrad.numpy as fnp
    >>> prod(fnp.asarray([[1.0, 2.0], [3.0, 4.0]]), 0)
    Array([3., 8.])
    """
    x = _arr(input)
    x = _cast(x, _sum_dtype(x, dtype))
    axes = _dims(dim, x.ndim)
    if not axes:
        return x
    return _keep(bind(R.reduce_prod_p, x, axes=axes), x.shape, axes, keepdim)


def _require_float(name, x, dtype=None):
    dt = _np_dtype(dtype) if dtype is not None else _dt(x)
    if dt.kind not in "fc":
        raise RuntimeError(f"{name}(): could not infer output dtype. Input dtype must be either "
                           f"a floating point or complex dtype. Got: {_dtype_name(dt)}")
    return _cast(x, dt)


def mean(input, dim=None, keepdim: bool = False, *, dtype=None):
    """Arithmetic mean over ``dim``; integer inputs are an error (as PyTorch) unless
    ``dtype`` is a float dtype.

    >>> import fgrad.numpy as fnp
    >>> mean(fnp.asarray([[1.0, 2.0], [3.0, 4.0]]), dim=0)
    Array([2., 3.])
    """
    x = _require_float("mean", _arr(input), dtype)
    axes = _dims(dim, x.ndim)
    n = math.prod([x.shape[a] for a in axes])
    s = _keep(R.reduce_sum(x, axes), x.shape, axes, keepdim)
    return s / n if n else s * np.nan


def _var_args(dim, unbiased, correction, keepdim):
    """PyTorch's overloads: ``var(x, unbiased)``, ``var(x, dim, unbiased, keepdim)``,
    ``var(x, dim, *, correction, keepdim)``."""
    if isinstance(dim, bool):             # var(x, True)
        dim, unbiased = None, dim
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    elif unbiased is not None:
        raise RuntimeError("var: cannot pass both unbiased and correction")
    return dim, correction, keepdim


def var(input, dim=None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction=None):
    """Variance over ``dim``, unbiased by default (``correction=1``), as ``torch.var``.

    >>> import fgrad.numpy as fnp
    >>> var(fnp.asarray([1.0, 2.0, 3.0]))
    Array(1.)
    """
    x = _arr(input)
    if _dt(x).kind not in "fc":
        raise RuntimeError("std and var only support floating point and complex dtypes")
    dim, correction, keepdim = _var_args(dim, unbiased, correction, keepdim)
    axes = _dims(dim, x.ndim)
    n = math.prod([x.shape[a] for a in axes])
    d = x - mean(x, axes, keepdim=True)
    sq = d * d if _dt(x).kind != "c" else fnp.real(d * fnp.conj(d))
    s = _keep(R.reduce_sum(sq, axes), x.shape, axes, keepdim)
    denom = n - correction
    return s / denom if denom > 0 else s * np.inf if denom == 0 and n else s * np.nan


def std(input, dim=None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction=None):
    """Standard deviation over ``dim``, unbiased by default, as ``torch.std``.

    >>> import fgrad.numpy as fnp
    >>> std(fnp.asarray([1.0, 2.0, 3.0]))
    Array(1.)
    """
    return fnp.sqrt(var(input, dim, unbiased, keepdim, correction=correction))


def var_mean(input, dim=None, unbiased: bool | None = None, keepdim: bool = False, *,
             correction=None):
    """``(var(...), mean(...))`` over the same ``dim``.

    >>> import fgrad.numpy as fnp
    >>> var_mean(fnp.asarray([1.0, 3.0]))
    (Array(2.), Array(2.))
    """
    d, c, k = _var_args(dim, unbiased, correction, keepdim)
    return var(input, d, keepdim=k, correction=c), mean(input, d, keepdim=k)


def std_mean(input, dim=None, unbiased: bool | None = None, keepdim: bool = False, *,
             correction=None):
    """``(std(...), mean(...))`` over the same ``dim``.

    >>> import fgrad.numpy as fnp
    >>> std_mean(fnp.asarray([1.0, 3.0]))[1]
    Array(2.)
    """
    d, c, k = _var_args(dim, unbiased, correction, keepdim)
    return std(input, d, keepdim=k, correction=c), mean(input, d, keepdim=k)


def _nonempty(name, x, axes, dim_given):
    if not dim_given and _numel(x) == 0:
        raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                           f"input.numel() == 0. Specify the reduction dim with the 'dim' "
                           f"argument.")
    for a in axes:
        if x.shape[a] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {a} to have non-zero size.")


def _extreme(name, prim, arg_fn, rtype):
    def f(input, dim=None, keepdim: bool = False):
        x = _arr(input)
        if dim is not None and not isinstance(dim, (int, np.integer)):   # max(a, b)
            return (maximum if name == "max" else minimum)(x, dim)
        if dim is None:
            _nonempty(name, x, (), False)
            return bind(prim, x, axes=tuple(range(x.ndim))) if x.ndim else x
        d = _wrap_dim(dim, x.ndim)
        if x.ndim == 0:
            return rtype(x, _zero_index(x))
        _nonempty(name, x, (d,), True)
        idx = bind(arg_fn, x, axis=d)
        idx_k = S.expand_dims(idx, (d,))
        values = _pick(x, idx_k, d)
        if keepdim:
            return rtype(S.expand_dims(values, (d,)), idx_k)
        return rtype(values, idx)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"``{name}(input)``: the {name}imum (ties share the gradient); "
                 f"``{name}(input, dim, keepdim)``: ``(values, indices)`` (the gradient goes to "
                 f"the index); ``{name}(input, other)``: ``{name}imum``.\n\n"
                 f">>> import fgrad.numpy as fnp\n>>> {name}(fnp.asarray([[1.0, 5.0], [7.0, 2.0]]), "
                 f"dim=0).values.shape\n(2,)")
    return f


max = _extreme("max", R.reduce_max_p, R.argmax_p, return_types.max)
min = _extreme("min", R.reduce_min_p, R.argmin_p, return_types.min)


def amax(input, dim=(), keepdim: bool = False):
    """Maximum over ``dim`` (all by default); ties share the gradient evenly.

    >>> import fgrad.numpy as fnp
    >>> amax(fnp.asarray([[1.0, 5.0], [7.0, 2.0]]), dim=1)
    Array([5., 7.])
    """
    x = _arr(input)
    axes = _dims(dim, x.ndim)
    _nonempty("amax", x, axes, True)
    return _keep(bind(R.reduce_max_p, x, axes=axes), x.shape, axes, keepdim) if axes else x


def amin(input, dim=(), keepdim: bool = False):
    """Minimum over ``dim`` (all by default); ties share the gradient evenly.

    >>> import fgrad.numpy as fnp
    >>> amin(fnp.asarray([[1.0, 5.0], [7.0, 2.0]]), dim=1)
    Array([1., 2.])
    """
    x = _arr(input)
    axes = _dims(dim, x.ndim)
    _nonempty("amin", x, axes, True)
    return _keep(bind(R.reduce_min_p, x, axes=axes), x.shape, axes, keepdim) if axes else x


def _argext(name, prim):
    def f(input, dim=None, keepdim: bool = False):
        x = _arr(input)
        if dim is None:
            _nonempty(name, x, (), False)
            out = bind(prim, S.reshape(x, (_numel(x),)), axis=0)
            return S.reshape(out, (1,) * x.ndim) if keepdim else out
        d = _wrap_dim(dim, x.ndim)
        if x.ndim == 0:
            return _zero_index(x)
        _nonempty(name, x, (d,), True)
        return _keep(bind(prim, x, axis=d), x.shape, (d,), keepdim)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"Index of the {name[3:]}imum along ``dim`` (of the flattened input if "
                 f"None), int64.\n\n>>> import fgrad.numpy as fnp\n"
                 f">>> {name}(fnp.asarray([[1.0, 5.0], [7.0, 2.0]]), dim=1).shape\n(2,)")
    return f


argmax = _argext("argmax", R.argmax_p)
argmin = _argext("argmin", R.argmin_p)


def _scan(name, prim):
    def f(input, dim, *, dtype=None):
        x = _arr(input)
        x = _cast(x, _sum_dtype(x, dtype))
        if x.ndim == 0:
            _wrap_dim(dim, 0)
            return x
        return bind(prim, x, axis=_wrap_dim(dim, x.ndim))
    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"Cumulative {name[3:]} along ``dim`` (integers as int64).\n\n"
                 f">>> import fgrad.numpy as fnp\n>>> {name}(fnp.asarray([1.0, 2.0, 3.0]), 0)"
                 f".shape\n(3,)")
    return f


cumsum = _scan("cumsum", R.cumsum_p)
cumprod = _scan("cumprod", R.cumprod_p)


def logsumexp(input, dim, keepdim: bool = False):
    """``log(sum(exp(input), dim))`` computed stably (max subtracted; infinities handled).

    >>> import fgrad.numpy as fnp
    >>> logsumexp(fnp.asarray([0.0, 0.0]), 0)
    Array(0.69314718)
    """
    x = _to_float(input)
    axes = _dims(dim, x.ndim)
    if not axes:
        return x
    m = fnp.stop_gradient(bind(R.reduce_max_p, x, axes=axes))
    m = fnp.where(fnp.isfinite(m), m, 0)
    mk = S.reshape(m, R._kept_shape(tuple(x.shape), axes))
    out = fnp.log(R.reduce_sum(fnp.exp(x - mk), axes)) + m
    return _keep(out, x.shape, axes, keepdim)


def _safe_root(s, p: float = 2.0):
    """``s ** (1/p)`` with derivative 0 at s == 0 (PyTorch's norm at the zero vector)."""
    zero = s == 0
    safe = fnp.where(zero, 1, s)
    return fnp.where(zero, 0, fnp.sqrt(safe) if p == 2 else safe ** (1.0 / p))


def _vector_norm(x, p, axes, keepdim):
    ax = abs(x)
    if p == 2:
        sq = ax * ax if _dt(x).kind != "c" else fnp.real(x * fnp.conj(x))
        out = _safe_root(R.reduce_sum(sq, axes))
    elif p == math.inf:
        out = bind(R.reduce_max_p, ax, axes=axes)
    elif p == -math.inf:
        out = bind(R.reduce_min_p, ax, axes=axes)
    elif p == 0:
        out = R.reduce_sum(_cast(ax != 0, _dt(ax)), axes)
    elif p == 1:
        out = R.reduce_sum(ax, axes)
    else:
        # |x|^p has derivative 0 at x == 0 for p > 1; the root is taken safely at 0
        out = _safe_root(R.reduce_sum(ax ** p, axes), p)
    return _keep(out, x.shape, axes, keepdim)


def norm(input, p="fro", dim=None, keepdim: bool = False, dtype=None):
    """The vector p-norm over ``dim`` (all elements by default): ``p`` a number,
    ``inf``, ``-inf``, 0, or ``'fro'``; ``'nuc'`` with two dims is the nuclear norm.

    >>> import fgrad.numpy as fnp
    >>> norm(fnp.asarray([3.0, 4.0]))
    Array(5.)
    """
    x = _arr(input)
    if dtype is not None:
        x = _cast(x, _np_dtype(dtype))
    if _dt(x).kind not in "fc":
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {_dtype_name(_dt(x))}")
    axes = _dims(dim, x.ndim)
    if p == "fro":
        p = 2
    elif p == "nuc":
        if len(axes) != 2:
            raise RuntimeError("linalg.matrix_norm: dim must be a 2-tuple. Got " +
                               " ".join(map(str, axes)))
        xm = fnp.moveaxis(fnp.moveaxis(x, axes[0], -2), axes[1] if axes[1] > axes[0] else
                          axes[1], -1)
        out = R.reduce_sum(fnp.linalg.svd(xm, compute_uv=False), (xm.ndim - 2,))
        if keepdim:
            out = S.expand_dims(out, axes)
        return out
    elif isinstance(p, str):
        raise RuntimeError(f"norm: unsupported p={p!r}")
    return _vector_norm(x, float(p), axes, keepdim)


def all(input, dim=None, keepdim: bool = False):
    """True where every element over ``dim`` is nonzero.

    >>> import fgrad.numpy as fnp
    >>> all(fnp.asarray([[True, False], [True, True]]), dim=1)
    Array([False,  True])
    """
    x = _arr(input)
    axes = _dims(dim, x.ndim)
    b = x if _dt(x) == np.bool_ else x != 0
    return _keep(bind(R.reduce_and_p, b, axes=axes), x.shape, axes, keepdim) if axes else b


def any(input, dim=None, keepdim: bool = False):
    """True where some element over ``dim`` is nonzero.

    >>> import fgrad.numpy as fnp
    >>> any(fnp.asarray([[True, False], [False, False]]), dim=1)
    Array([ True, False])
    """
    x = _arr(input)
    axes = _dims(dim, x.ndim)
    b = x if _dt(x) == np.bool_ else x != 0
    return _keep(bind(R.reduce_or_p, b, axes=axes), x.shape, axes, keepdim) if axes else b


def count_nonzero(input, dim=None):
    """Number of nonzero elements over ``dim`` (int64).

    >>> import fgrad.numpy as fnp
    >>> count_nonzero(fnp.asarray([[0, 1], [2, 3]]), dim=0)
    Array([1, 2])
    """
    x = _arr(input)
    axes = _dims(dim, x.ndim)
    return R.reduce_sum(_cast(x != 0, np.int64), axes)


# ============================================================= shape ====
def reshape(input, *shape):
    """``input`` with a new shape (one entry may be -1), as ``torch.reshape``.

    >>> import fgrad.numpy as fnp
    >>> reshape(fnp.arange(6), (2, -1)).shape
    (2, 3)
    """
    x = _arr(input)
    shape = _sizes(shape)
    try:
        new = S._normalize_shape(shape, _numel(x), old_shape=x.shape)
    except ValueError:
        raise RuntimeError(f"shape '[{', '.join(map(str, shape))}]' is invalid for input of "
                           f"size {_numel(x)}") from None
    return S.reshape(x, new)


def reshape_as(input, other):
    """``input`` reshaped to ``other.shape``.

    >>> import fgrad.numpy as fnp
    >>> reshape_as(fnp.arange(4), fnp.zeros((2, 2))).shape
    (2, 2)
    """
    return reshape(input, tuple(other.shape))


def flatten(input, start_dim: int = 0, end_dim: int = -1):
    """Dims ``start_dim..end_dim`` merged into one (a 0-d input gives 1 element).

    >>> import fgrad.numpy as fnp
    >>> flatten(fnp.zeros((2, 3, 4)), 1).shape
    (2, 12)
    """
    x = _arr(input)
    if x.ndim == 0:
        return S.reshape(x, (1,))
    s, e = _wrap_dim(start_dim, x.ndim), _wrap_dim(end_dim, x.ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    shape = tuple(x.shape)
    merged = int(np.prod(shape[s:e + 1], dtype=np.int64))
    return S.reshape(x, shape[:s] + (merged,) + shape[e + 1:])


def ravel(input):
    """``input`` as 1-D.

    >>> import fgrad.numpy as fnp
    >>> ravel(fnp.zeros((2, 3))).shape
    (6,)
    """
    x = _arr(input)
    return S.reshape(x, (_numel(x),))


def unflatten(input, dim: int, sizes):
    """Dim ``dim`` split into ``sizes`` (one may be -1).

    >>> import fgrad.numpy as fnp
    >>> unflatten(fnp.zeros((2, 12)), 1, (3, -1)).shape
    (2, 3, 4)
    """
    x = _arr(input)
    d = _wrap_dim(dim, x.ndim)
    sizes = S._normalize_shape(tuple(sizes), x.shape[d], "unflatten", (x.shape[d],))
    return S.reshape(x, tuple(x.shape[:d]) + sizes + tuple(x.shape[d + 1:]))


def squeeze(input, dim=None):
    """Size-1 dims removed (only ``dim``, an int or tuple, if given; other sizes are kept).

    >>> import fgrad.numpy as fnp
    >>> squeeze(fnp.zeros((2, 1, 1)), 1).shape
    (2, 1)
    """
    x = _arr(input)
    axes = range(x.ndim) if dim is None else _dims(dim, x.ndim) if not (
        isinstance(dim, (tuple, list)) and len(dim) == 0) else ()
    if x.ndim == 0:
        return x
    return S.squeeze(x, tuple(a for a in axes if x.shape[a] == 1))


def unsqueeze(input, dim: int):
    """A size-1 dim inserted at ``dim`` (in ``[-ndim-1, ndim]``).

    >>> import fgrad.numpy as fnp
    >>> unsqueeze(fnp.zeros((2, 3)), -1).shape
    (2, 3, 1)
    """
    x = _arr(input)
    d = _wrap_dim(dim, x.ndim + 1)
    return S.expand_dims(x, (d,))


def permute(input, *dims):
    """Dims reordered: output dim ``i`` is input dim ``dims[i]``.

    >>> import fgrad.numpy as fnp
    >>> permute(fnp.zeros((2, 3, 4)), 2, 0, 1).shape
    (4, 2, 3)
    """
    x = _arr(input)
    dims = tuple(_wrap_dim(d, x.ndim) for d in _sizes(dims))
    if len(dims) != x.ndim:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does "
                           f"not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {x.ndim} is not equal to len(dims) = {len(dims)}")
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return S.transpose(x, dims)


def transpose(input, dim0: int, dim1: int):
    """Dims ``dim0`` and ``dim1`` swapped.

    >>> import fgrad.numpy as fnp
    >>> transpose(fnp.zeros((2, 3, 4)), 0, 2).shape
    (4, 3, 2)
    """
    x = _arr(input)
    if x.ndim == 0:
        _wrap_dim(dim0, 0), _wrap_dim(dim1, 0)
        return x
    a, b = _wrap_dim(dim0, x.ndim), _wrap_dim(dim1, x.ndim)
    perm = list(range(x.ndim))
    perm[a], perm[b] = perm[b], perm[a]
    return S.transpose(x, perm)


swapaxes = swapdims = transpose


def t(input):
    """The transpose of a matrix (vectors and scalars unchanged).

    >>> import fgrad.numpy as fnp
    >>> t(fnp.zeros((2, 3))).shape
    (3, 2)
    """
    x = _arr(input)
    if x.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {x.ndim}D")
    return transpose(x, 0, 1) if x.ndim == 2 else x


def movedim(input, source, destination):
    """Dims ``source`` moved to positions ``destination`` (ints or sequences).

    >>> import fgrad.numpy as fnp
    >>> movedim(fnp.zeros((2, 3, 4)), 0, -1).shape
    (3, 4, 2)
    """
    x = _arr(input)
    src = [_wrap_dim(s, x.ndim) for s in ((source,) if isinstance(source, int) else source)]
    dst = [_wrap_dim(d, x.ndim) for d in ((destination,) if isinstance(destination, int)
                                          else destination)]
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({src} dims) "
                           f"should contain the same number of dims as destination ({dst} dims)")
    return fnp.moveaxis(x, src, dst) if x.ndim else x


moveaxis = movedim


def expand(input, *sizes):
    """``input`` broadcast to ``sizes`` (-1 keeps a dim; new dims go in front).

    >>> import fgrad.numpy as fnp
    >>> expand(fnp.zeros((3, 1)), 2, -1, 4).shape
    (2, 3, 4)
    """
    x = _arr(input)
    sizes = _sizes(sizes)
    if len(sizes) < x.ndim:
        raise RuntimeError(f"expand(torch.{_dtype_name(_dt(x))}Tensor{{[{', '.join(map(str, x.shape))}]}}, "
                           f"size=[{', '.join(map(str, sizes))}]): the number of sizes provided "
                           f"({len(sizes)}) must be greater or equal to the number of dimensions "
                           f"in the tensor ({x.ndim})")
    lead = len(sizes) - x.ndim
    out = []
    for i, s in enumerate(sizes):
        if i < lead:
            if s < 0:
                raise RuntimeError(f"The expanded size of the tensor ({s}) isn't allowed in a "
                                   f"leading, non-existing dimension {i}")
            out.append(s)
            continue
        have = x.shape[i - lead]
        if s == -1:
            s = have
        elif have != 1 and s != have:
            raise RuntimeError(
                f"The expanded size of the tensor ({s}) must match the existing size ({have}) at "
                f"non-singleton dimension {i}.  Target sizes: [{', '.join(map(str, sizes))}].  "
                f"Tensor sizes: [{', '.join(map(str, x.shape))}]")
        out.append(s)
    return S.broadcast_to(x, tuple(out))


def expand_as(input, other):
    """``input`` expanded to ``other.shape``.

    >>> import fgrad.numpy as fnp
    >>> expand_as(fnp.zeros(3), fnp.zeros((2, 3))).shape
    (2, 3)
    """
    return expand(input, tuple(other.shape))


def broadcast_to(input, size):
    """``input`` broadcast to ``size`` (as ``expand``).

    >>> import fgrad.numpy as fnp
    >>> broadcast_to(fnp.zeros(3), (2, 3)).shape
    (2, 3)
    """
    return expand(input, tuple(size))


def repeat(input, *sizes):
    """``input`` tiled ``sizes`` times per dim (PyTorch's ``Tensor.repeat``: NumPy's tile;
    ``sizes`` may add leading dims, never fewer than ``input.dim()``).

    >>> import fgrad.numpy as fnp
    >>> repeat(fnp.asarray([1, 2]), 2, 2)
    Array([[1, 2, 1, 2],
           [1, 2, 1, 2]])
    """
    x = _arr(input)
    sizes = _sizes(sizes)
    if len(sizes) < x.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    return fnp.tile(x, sizes)


def tile(input, dims):
    """``input`` repeated ``dims`` times per dim (missing leading entries are 1).

    >>> import fgrad.numpy as fnp
    >>> tile(fnp.asarray([[1, 2]]), (2,)).shape
    (1, 4)
    """
    x = _arr(input)
    dims = _sizes((dims,))
    dims = (1,) * (x.ndim - len(dims)) + dims
    return fnp.tile(x, dims)


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Each element repeated ``repeats`` times along ``dim`` (flattened if None);
    ``repeats`` an int or a 1-D tensor of counts.

    >>> import fgrad.numpy as fnp
    >>> repeat_interleave(fnp.asarray([1, 2]), 2)
    Array([1, 1, 2, 2])
    """
    x = _arr(input)
    if repeats is None:      # repeat_interleave(repeats): indices repeated by themselves
        counts = _host(x).astype(np.int64)
        return _rewrap(from_host(np.repeat(np.arange(len(counts)), counts), _device(x)), x)
    if dim is None:
        x, d = ravel(x), 0
    else:
        d = _wrap_dim(dim, x.ndim)
    if _is_number(repeats) or len(getattr(repeats, "shape", (0,))) == 0 and not isinstance(
            repeats, (list, tuple)):
        r = int(repeats)
        b = S.expand_dims(x, (d + 1,))
        shape = list(b.shape)
        shape[d + 1] = r
        out = list(x.shape)
        out[d] *= r
        return S.reshape(S.broadcast_to(b, shape), out)
    counts = np.asarray(repeats if isinstance(repeats, (list, tuple)) else _host(repeats),
                        dtype=np.int64).reshape(-1)
    if counts.size == 1:
        return repeat_interleave(x, int(counts[0]), d)
    if counts.size != x.shape[d]:
        raise RuntimeError("repeats must have the same size as input along dim, but got "
                           f"repeats.size(0) = {counts.size} and input.size({d}) = {x.shape[d]}")
    idx = from_host(np.repeat(np.arange(x.shape[d]), counts), _device(x))
    return index_select(x, d, idx)


def flip(input, dims):
    """``input`` reversed along ``dims``.

    >>> import fgrad.numpy as fnp
    >>> flip(fnp.asarray([1, 2, 3]), (0,))
    Array([3, 2, 1])
    """
    x = _arr(input)
    axes = _dims((dims,) if isinstance(dims, int) else dims, x.ndim) if (
        not isinstance(dims, (list, tuple)) or len(dims)) else ()
    return S.flip(x, axes) if axes and x.ndim else x


def fliplr(input):
    """``input`` reversed along dim 1 (at least 2-D).

    >>> import fgrad.numpy as fnp
    >>> fliplr(fnp.asarray([[1, 2]]))
    Array([[2, 1]])
    """
    if input.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


def flipud(input):
    """``input`` reversed along dim 0 (at least 1-D).

    >>> import fgrad.numpy as fnp
    >>> flipud(fnp.asarray([1, 2]))
    Array([2, 1])
    """
    if input.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


def roll(input, shifts, dims=None):
    """Elements rolled by ``shifts`` along ``dims`` (of the flattened input if None).

    >>> import fgrad.numpy as fnp
    >>> roll(fnp.asarray([1, 2, 3]), 1)
    Array([3, 1, 2])
    """
    x = _arr(input)
    if dims is None:
        return fnp.roll(x, shifts if isinstance(shifts, int) else tuple(shifts)[0], None)
    sh = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    ds = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(sh) != len(ds):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(sh)}, dims:{len(ds)}")
    return fnp.roll(x, sh, tuple(_wrap_dim(d, x.ndim) for d in ds))


def narrow(input, dim: int, start: int, length: int):
    """``length`` elements of ``input`` from ``start`` along ``dim``.

    >>> import fgrad.numpy as fnp
    >>> narrow(fnp.arange(5), 0, 1, 3)
    Array([1, 2, 3])
    """
    x = _arr(input)
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    start = int(start)
    if start < 0:
        start += n
    if not 0 <= start <= n or length < 0 or start + length > n:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    return S.slice_axis(x, d, start, start + int(length))


def _seq(tensors, name):
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{name}(): argument 'tensors' must be tuple of Tensors, not "
                        f"{type(tensors).__name__}")
    if not tensors:
        raise RuntimeError(f"{name}(): expected a non-empty list of Tensors")
    _, xs = _promote(*tensors)
    return [_arr(x) for x in xs]


def cat(tensors, dim: int = 0):
    """Tensors joined along an existing ``dim`` (dtypes promoted as PyTorch).

    >>> import fgrad.numpy as fnp
    >>> cat([fnp.zeros((1, 2)), fnp.ones((2, 2))]).shape
    (3, 2)
    """
    xs = _seq(tensors, "cat")
    # PyTorch skips legacy empty 1-D tensors
    kept = [x for x in xs if not (x.ndim == 1 and x.shape[0] == 0)] or xs[:1]
    nd = kept[0].ndim
    if nd == 0:
        raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    d = _wrap_dim(dim, nd)
    for i, x in enumerate(kept):
        if x.ndim != nd:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {nd} and "
                               f"{x.ndim}")
        for a in range(nd):
            if a != d and x.shape[a] != kept[0].shape[a]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. "
                                   f"Expected size {kept[0].shape[a]} but got size "
                                   f"{x.shape[a]} for tensor number {i} in the list.")
    return S.concatenate(kept, d)


concat = concatenate = cat


def stack(tensors, dim: int = 0):
    """Tensors of one shape joined along a new ``dim``.

    >>> import fgrad.numpy as fnp
    >>> stack([fnp.zeros(2), fnp.ones(2)], dim=1).shape
    (2, 2)
    """
    xs = _seq(tensors, "stack")
    for i, x in enumerate(xs):
        if tuple(x.shape) != tuple(xs[0].shape):
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"[{', '.join(map(str, xs[0].shape))}] at entry 0 and "
                               f"[{', '.join(map(str, x.shape))}] at entry {i}")
    d = _wrap_dim(dim, xs[0].ndim + 1)
    return S.concatenate([S.expand_dims(x, (d,)) for x in xs], d)


def hstack(tensors):
    """Tensors joined column-wise (along dim 1, or dim 0 for 1-D).

    >>> import fgrad.numpy as fnp
    >>> hstack([fnp.zeros(2), fnp.ones(3)]).shape
    (5,)
    """
    xs = [S.reshape(x, (1,)) if x.ndim == 0 else x for x in _seq(tensors, "hstack")]
    return cat(xs, 0 if xs[0].ndim == 1 else 1)


def vstack(tensors):
    """Tensors joined row-wise (1-D inputs become rows).

    >>> import fgrad.numpy as fnp
    >>> vstack([fnp.zeros(2), fnp.ones(2)]).shape
    (2, 2)
    """
    xs = [S.reshape(x, (1,) * (2 - x.ndim) + tuple(x.shape)) if x.ndim < 2 else x
          for x in _seq(tensors, "vstack")]
    return cat(xs, 0)


row_stack = vstack


def dstack(tensors):
    """Tensors joined along dim 2 (inputs made at least 3-D).

    >>> import fgrad.numpy as fnp
    >>> dstack([fnp.zeros((2, 2)), fnp.ones((2, 2))]).shape
    (2, 2, 2)
    """
    return cat([fnp.atleast_3d(x) for x in _seq(tensors, "dstack")], 2)


def split(tensor, split_size_or_sections, dim: int = 0):
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or of the listed
    sizes (which must add up to the dim).

    >>> import fgrad.numpy as fnp
    >>> [p.shape for p in split(fnp.arange(5), 2)]
    [(2,), (2,), (1,)]
    """
    x = _arr(tensor)
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    if isinstance(split_size_or_sections, (int, np.integer)):
        k = int(split_size_or_sections)
        if k <= 0 and n:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                               f"dimension size of {n}")
        sizes = [k] * (n // k) + ([n % k] if n % k else []) if k else [0]
    else:
        sizes = [int(s) for s in split_size_or_sections]
        if _py_sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} "
                               f"(input tensor's size at dimension {d}), but got "
                               f"split_sizes=[{', '.join(map(str, sizes))}]")
    out, lo = [], 0
    for s in sizes:
        out.append(S.slice_axis(x, d, lo, lo + s))
        lo += s
    return tuple(out)


def chunk(input, chunks: int, dim: int = 0):
    """At most ``chunks`` pieces of ``ceil(n / chunks)`` along ``dim``.

    >>> import fgrad.numpy as fnp
    >>> [p.shape for p in chunk(fnp.arange(5), 3)]
    [(2,), (2,), (1,)]
    """
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    x = _arr(input)
    n = x.shape[_wrap_dim(dim, x.ndim)]
    return split(x, _py_max(-(-n // chunks), 1), dim)


def tensor_split(input, indices_or_sections, dim: int = 0):
    """``chunks`` nearly equal pieces (the first ``n % chunks`` one longer), or pieces
    cut at the given indices.

    >>> import fgrad.numpy as fnp
    >>> [p.shape for p in tensor_split(fnp.arange(5), 3)]
    [(2,), (2,), (1,)]
    """
    x = _arr(input)
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d]
    if isinstance(indices_or_sections, (int, np.integer)):
        k = int(indices_or_sections)
        sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
        bounds = np.cumsum([0] + sizes).tolist()
    else:
        bounds = [0] + [_py_min(_py_max(int(i), 0), n) for i in indices_or_sections] + [n]
    return tuple(S.slice_axis(x, d, lo, _py_max(lo, hi)) for lo, hi in zip(bounds[:-1], bounds[1:]))


def unbind(input, dim: int = 0):
    """The slices of ``input`` along ``dim``, that dim removed.

    >>> import fgrad.numpy as fnp
    >>> [p.shape for p in unbind(fnp.zeros((2, 3)), 1)]
    [(2,), (2,), (2,)]
    """
    x = _arr(input)
    d = _wrap_dim(dim, x.ndim)
    return tuple(S.squeeze(S.slice_axis(x, d, i, i + 1), (d,)) for i in range(x.shape[d]))


# ==================================================== linear algebra ====
def _same_dtype(name, a, b):
    da, db = _dt(a), _dt(b)
    if da != db:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{da.name.replace('float32', 'float').replace('float64', 'double')}"
                           f" != {db.name.replace('float32', 'float').replace('float64', 'double')}")


def _mm_error(a_shape, b_shape):
    return RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({_shape_str(a_shape)} and "
                        f"{_shape_str(b_shape)})")


def matmul(input, other):
    """The matrix product with PyTorch's rules for 1-D (vector) and batched (broadcast) operands.

    >>> import fgrad.numpy as fnp
    >>> matmul(fnp.ones((2, 3)), fnp.ones((3, 4))).shape
    (2, 4)
    """
    a, b = _arr(input), _arr(other)
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{a.ndim}D and {b.ndim}D")
    if a.ndim == 1 and b.ndim == 1:
        return dot(a, b)
    if a.ndim <= 2 and b.ndim == 1:
        return mv(a, b)
    _same_dtype("matmul", a, b)
    ka = a.shape[-1]
    kb = b.shape[-2] if b.ndim >= 2 else b.shape[0]
    if ka != kb:
        if b.ndim <= 2:
            rows = int(np.prod(a.shape[:-1], dtype=np.int64))
            raise _mm_error((rows, ka), tuple(b.shape))
        if a.ndim <= 2:
            raise _mm_error((1, ka) if a.ndim == 1 else tuple(a.shape), tuple(b.shape[-2:]))
        batch = int(np.prod(a.shape[:-2], dtype=np.int64))
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{batch}, {ka}] but got: [{int(np.prod(b.shape[:-2]))}, {kb}].")
    try:
        if a.ndim > 2 or b.ndim > 2:
            B.broadcast_shapes("matmul", tuple(a.shape[:-2]), tuple(b.shape[:-2])
                               if b.ndim > 1 else ())
    except ValueError:
        sa, sb = tuple(a.shape[:-2]), tuple(b.shape[:-2])
        n = _py_max(len(sa), len(sb))
        sa, sb = (1,) * (n - len(sa)) + sa, (1,) * (n - len(sb)) + sb
        i = next(i for i in range(n) if sa[i] != sb[i] and 1 not in (sa[i], sb[i]))
        raise RuntimeError(f"The size of tensor a ({sa[i]}) must match the size of tensor b "
                           f"({sb[i]}) at non-singleton dimension {i}") from None
    return fnp.matmul(a, b)


def mm(input, mat2):
    """The product of two matrices.

    >>> import fgrad.numpy as fnp
    >>> mm(fnp.ones((2, 3)), fnp.ones((3, 4))).shape
    (2, 4)
    """
    a, b = _arr(input), _arr(mat2)
    if a.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if b.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    if a.shape[1] != b.shape[0]:
        raise _mm_error(a.shape, b.shape)
    _same_dtype("mm", a, b)
    return fnp.matmul(a, b)


def bmm(input, mat2):
    """Batched matrix product of two 3-D tensors with the same batch size.

    >>> import fgrad.numpy as fnp
    >>> bmm(fnp.ones((5, 2, 3)), fnp.ones((5, 3, 4))).shape
    (5, 2, 4)
    """
    a, b = _arr(input), _arr(mat2)
    if a.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if b.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].")
    _same_dtype("bmm", a, b)
    return fnp.matmul(a, b)


def mv(input, vec):
    """Matrix times vector.

    >>> import fgrad.numpy as fnp
    >>> mv(fnp.ones((2, 3)), fnp.ones(3))
    Array([3., 3.])
    """
    a, v = _arr(input), _arr(vec)
    if a.ndim != 2 or v.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {a.ndim}, {v.ndim}")
    if a.shape[1] != v.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({a.shape[0]}), mat ({_shape_str(a.shape)}), "
                           f"vec ({v.shape[0]})")
    _same_dtype("mv", a, v)
    return fnp.matmul(a, v)


def dot(input, tensor):
    """Inner product of two 1-D tensors of one dtype (as PyTorch: no broadcasting).

    >>> import fgrad.numpy as fnp
    >>> dot(fnp.asarray([1.0, 2.0]), fnp.asarray([3.0, 4.0]))
    Array(11.)
    """
    a, b = _arr(input), _arr(tensor)
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src "
                           f"[{b.shape[0]}] to have the same number of elements, but got "
                           f"{a.shape[0]} and {b.shape[0]} elements respectively")
    if _dt(a) != _dt(b):
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                           f"{_dtype_name(_dt(a))} and {_dtype_name(_dt(b))}")
    return R.reduce_sum(a * b, (0,))



def outer(input, vec2):
    """Outer product of two vectors (dtypes promoted).

    >>> import fgrad.numpy as fnp
    >>> outer(fnp.asarray([1.0, 2.0]), fnp.asarray([1.0, 0.0, 1.0])).shape
    (2, 3)
    """
    _, (a, b) = _promote(input, vec2)
    a, b = _arr(a), _arr(b)
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"outer: Expected 1-D argument self, but got {a.ndim}-D"
                           if a.ndim != 1 else
                           f"outer: Expected 1-D argument vec2, but got {b.ndim}-D")
    return S.expand_dims(a, (1,)) * S.expand_dims(b, (0,))


ger = outer


def cross(input, other, dim=None):
    """Cross product of 3-vectors along ``dim`` (the first dim of size 3 if None).

    >>> import fgrad.numpy as fnp
    >>> cross(fnp.asarray([1.0, 0.0, 0.0]), fnp.asarray([0.0, 1.0, 0.0]))
    Array([0., 0., 1.])
    """
    _, (a, b) = _promote(input, other)
    a, b = _arr(a), _arr(b)
    shape = B.broadcast_shapes("cross", tuple(a.shape), tuple(b.shape))
    a, b = S.broadcast_to(a, shape), S.broadcast_to(b, shape)
    if dim is None:
        dim = next((i for i, s in enumerate(shape) if s == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    d = _wrap_dim(dim, len(shape))
    if shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {d} must have length 3. Got "
                           f"{a.shape[d]} and {b.shape[d]}")
    a0, a1, a2 = unbind(a, d)
    b0, b1, b2 = unbind(b, d)
    return stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], d)


def _scaled(input, prod_, beta, alpha):
    """``beta * input + alpha * prod_`` (``beta == 0`` ignores ``input``, NaN included)."""
    p = prod_ if alpha == 1 else prod_ * alpha
    if beta == 0:
        return S.broadcast_to(p, B.broadcast_shapes("add", tuple(input.shape), tuple(p.shape)))
    _, (i, p) = _promote(input, p)
    return (i if beta == 1 else i * beta) + p


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """``beta * input + alpha * (mat1 @ mat2)``.

    >>> import fgrad.numpy as fnp
    >>> addmm(fnp.zeros(2), fnp.ones((2, 3)), fnp.ones((3, 2)), alpha=2)
    Array([[6., 6.],
           [6., 6.]])
    """
    return _scaled(_arr(input), mm(mat1, mat2), beta, alpha)


def addbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """``beta * input + alpha * sum_b(batch1[b] @ batch2[b])``.

    >>> import fgrad.numpy as fnp
    >>> addbmm(fnp.zeros((2, 2)), fnp.ones((4, 2, 3)), fnp.ones((4, 3, 2)))[0, 0]
    Array(12.)
    """
    return _scaled(_arr(input), R.reduce_sum(bmm(batch1, batch2), (0,)), beta, alpha)


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """``beta * input + alpha * (batch1 @ batch2)`` per batch.

    >>> import fgrad.numpy as fnp
    >>> baddbmm(fnp.zeros((4, 2, 2)), fnp.ones((4, 2, 3)), fnp.ones((4, 3, 2))).shape
    (4, 2, 2)
    """
    return _scaled(_arr(input), bmm(batch1, batch2), beta, alpha)


def addmv(input, mat, vec, *, beta=1, alpha=1):
    """``beta * input + alpha * (mat @ vec)``.

    >>> import fgrad.numpy as fnp
    >>> addmv(fnp.ones(2), fnp.ones((2, 3)), fnp.ones(3))
    Array([4., 4.])
    """
    return _scaled(_arr(input), mv(mat, vec), beta, alpha)


def addr(input, vec1, vec2, *, beta=1, alpha=1):
    """``beta * input + alpha * outer(vec1, vec2)``.

    >>> import fgrad.numpy as fnp
    >>> addr(fnp.zeros((2, 2)), fnp.ones(2), fnp.ones(2))
    Array([[1., 1.],
           [1., 1.]])
    """
    return _scaled(_arr(input), outer(vec1, vec2), beta, alpha)


def diagonal(input, offset: int = 0, dim1: int = 0, dim2: int = 1):
    """The ``offset`` diagonal of the ``(dim1, dim2)`` planes, appended as the last dim
    (a strided slice of the flattened planes, so its gradient is exact and cheap).

    >>> import fgrad.numpy as fnp
    >>> diagonal(fnp.arange(9).reshape(3, 3), 1)
    Array([1, 5])
    """
    x = _arr(input)
    d1, d2 = _wrap_dim(dim1, x.ndim), _wrap_dim(dim2, x.ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    x = fnp.moveaxis(x, (d1, d2), (-2, -1))
    n, m = x.shape[-2], x.shape[-1]
    k = int(offset)
    length = _py_max(0, _py_min(n, m - k) if k >= 0 else _py_min(n + k, m))
    start = k if k >= 0 else -k * m
    flat = S.reshape(x, tuple(x.shape[:-2]) + (n * m,))
    if length == 0:
        return S.slice_axis(flat, flat.ndim - 1, 0, 0)
    return S.slice_axis(flat, flat.ndim - 1, start, start + (length - 1) * (m + 1) + 1, m + 1)


def diag(input, diagonal: int = 0):
    """A 1-D input as the ``diagonal``-th diagonal of a square matrix; a 2-D input's
    ``diagonal``-th diagonal.

    >>> import fgrad.numpy as fnp
    >>> diag(fnp.asarray([1, 2]))
    Array([[1, 0],
           [0, 2]])
    """
    x = _arr(input)
    if x.ndim == 2:
        return globals()["diagonal"](x, diagonal)
    if x.ndim != 1:
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {x.ndim}D")
    k, n = int(diagonal), x.shape[0]
    size = n + _py_abs(k)
    lo = k if k >= 0 else -k * size
    hi = size * size - lo - n - _py_max(n - 1, 0) * size
    # v[i] lands at row i + max(-k, 0), column i + max(k, 0): flat lo + i (size + 1)
    config = ((lo, hi, size),) if n else ((size * size, 0, 0),)   # empty: all zeros
    flat = S.pad(x, 0, config)
    return S.reshape(flat, (size, size))


def trace(input):
    """Sum of the main diagonal of a matrix (integers sum as int64).

    >>> import fgrad.numpy as fnp
    >>> trace(fnp.asarray([[1.0, 2.0], [3.0, 4.0]]))
    Array(5.)
    """
    x = _arr(input)
    if x.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {x.ndim}")
    return sum(diagonal(x))


def triu(input, diagonal: int = 0):
    """The upper triangle (on and above the ``diagonal``-th) of the last two dims.

    >>> import fgrad.numpy as fnp
    >>> triu(fnp.ones((2, 2)))
    Array([[1., 1.],
           [0., 1.]])
    """
    x = _arr(input)
    if x.ndim < 2:
        raise RuntimeError("triu: input tensor must have at least 2 dimensions")
    return fnp.triu(x, diagonal)


def tril(input, diagonal: int = 0):
    """The lower triangle (on and below the ``diagonal``-th) of the last two dims.

    >>> import fgrad.numpy as fnp
    >>> tril(fnp.ones((2, 2)))
    Array([[1., 0.],
           [1., 1.]])
    """
    x = _arr(input)
    if x.ndim < 2:
        raise RuntimeError("tril: input tensor must have at least 2 dimensions")
    return fnp.tril(x, diagonal)


def _square_float(name, x):
    x = _arr(x)
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise RuntimeError(f"linalg.{name}: A must be batches of square matrices, but they are "
                           f"{x.shape[-2] if x.ndim > 1 else x.shape[-1]} by {x.shape[-1]} matrices"
                           if x.ndim >= 2 else
                           f"linalg.{name}: The input tensor A must have at least 2 dimensions.")
    if _dt(x).kind not in "fc":
        raise RuntimeError(f"linalg.{name}: Expected a floating point or complex tensor as "
                           f"input. Got {_dtype_name(_dt(x))}")
    return x


def inverse(input):
    """The inverse of a (batch of) square matrix (``fgrad.numpy.linalg.inv``).

    >>> import fgrad.numpy as fnp
    >>> inverse(fnp.asarray([[2.0, 0.0], [0.0, 4.0]]))
    Array([[0.5 , 0.  ],
           [0.  , 0.25]])
    """
    return fnp.linalg.inv(_square_float("inv", input))


def det(input):
    """The determinant of a (batch of) square matrix (``fgrad.numpy.linalg.det``).

    >>> import fgrad.numpy as fnp
    >>> det(fnp.asarray([[2.0, 0.0], [0.0, 4.0]]))
    Array(8.)
    """
    return fnp.linalg.det(_square_float("det", input))


def svd(input, some: bool = True, compute_uv: bool = True):
    """``(U, S, V)`` with ``input = U diag(S) V^T`` (reduced when ``some``), as ``torch.svd``.

    >>> import fgrad.numpy as fnp
    >>> svd(fnp.asarray([[3.0, 0.0], [0.0, 2.0]]))[1]
    Array([3., 2.])
    """
    x = _arr(input)
    u, s, vh = fnp.linalg.svd(x, full_matrices=not some)
    return u, s, fnp.swapaxes(vh, -1, -2)


def einsum(equation: str, *operands):
    """Einstein summation (``fgrad.numpy.einsum``); operands may also come as one list.

    >>> import fgrad.numpy as fnp
    >>> einsum('ij,jk->ik', fnp.ones((2, 3)), fnp.ones((3, 4))).shape
    (2, 4)
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    return fnp.einsum(equation, *operands)


# ========================================================== indexing ====
def _check_index(name, index, allowed=("i",)):
    if _is_number(index) or _dt(index).kind not in "iu":
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")


def _grid(index, dim):
    """The advanced-index tuple addressing ``x[..., index, ...]`` element-wise along ``dim``
    (``out[i][j] = x[index[i][j]][j]`` for dim 0): aranges elsewhere, broadcast by shape."""
    nd = len(index.shape)
    dev = _device(index)
    out = []
    for a in range(nd):
        if a == dim:
            out.append(index)
        else:
            shape = [1] * nd
            shape[a] = index.shape[a]
            out.append(from_host(np.arange(index.shape[a], dtype=np.int64).reshape(shape), dev))
    return tuple(out)


def _check_gather(name, x, dim, index, src=None):
    if len(index.shape) != x.ndim and not (x.ndim == 0 and len(index.shape) <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for a in range(x.ndim):
        if a != dim and index.shape[a] > x.shape[a]:
            raise RuntimeError(f"Size does not match at dimension {a} expected index "
                               f"[{', '.join(map(str, index.shape))}] to be no larger than self "
                               f"[{', '.join(map(str, x.shape))}] apart from dimension {dim}")
        if src is not None and not _is_number(src) and index.shape[a] > src.shape[a]:
            raise RuntimeError(f"Size does not match at dimension {a} expected index "
                               f"[{', '.join(map(str, index.shape))}] to be no larger than src "
                               f"[{', '.join(map(str, src.shape))}] apart from dimension {dim}")


def gather(input, dim: int, index, *, sparse_grad: bool = False):
    """``out[i][j] = input[index[i][j]][j]`` for ``dim=0`` (and alike for other dims);
    ``index`` may be smaller than ``input`` off ``dim``.

    >>> import fgrad.numpy as fnp
    >>> gather(fnp.asarray([[1, 2], [3, 4]]), 1, fnp.asarray([[0, 0], [1, 0]]))
    Array([[1, 1],
           [4, 3]])
    """
    x, index = _arr(input), _arr(index)
    _check_index("gather", index)
    d = _wrap_dim(dim, x.ndim)
    _check_gather("gather", x, d, index)
    return x[_grid(index, d)] if x.ndim else x


def _scatter(name, input, dim, index, src, mode):
    x, index = _arr(input), _arr(index)
    _check_index(name, index)
    d = _wrap_dim(dim, x.ndim)
    _check_gather(name, x, d, index, src)
    if _is_number(src):
        v = _cast(_arr(src), _dt(x))
    else:
        v = _cast(src, _dt(x))
        if tuple(v.shape) != tuple(index.shape):
            v = v[tuple(slice(0, s) for s in index.shape)]
    from .tensor import _unwrap_index           # index tensors as Arrays
    op = {"amax": "max", "amin": "min"}.get(mode, mode)   # x.at[...] that raises out of bounds
    return fnp._update(x, _unwrap_index(_grid(index, d)), v, op, "raise")


def scatter(input, dim: int, index, src=None, *, value=None, reduce: str | None = None):
    """A copy of ``input`` with ``out[index[i][j]][j] = src[i][j]`` (dim 0; ``src`` may be a
    number); ``reduce='add'`` or ``'multiply'`` combines instead of writing.

    >>> import fgrad.numpy as fnp
    >>> scatter(fnp.zeros((2, 2)), 0, fnp.asarray([[1, 0]]), fnp.asarray([[5.0, 6.0]]))
    Array([[0., 6.],
           [5., 0.]])
    """
    if src is None:
        src = value
    mode = {None: "set", "add": "add", "multiply": "multiply"}.get(reduce)
    if mode is None:
        raise RuntimeError(f"reduce argument must be either add or multiply, got {reduce}")
    return _scatter("scatter", input, dim, index, src, mode)


def scatter_add(input, dim: int, index, src):
    """A copy of ``input`` with ``src`` added at ``index`` along ``dim`` (duplicates add up).

    >>> import fgrad.numpy as fnp
    >>> scatter_add(fnp.zeros(3), 0, fnp.asarray([0, 0, 2]), fnp.asarray([1.0, 2.0, 3.0]))
    Array([3., 0., 3.])
    """
    return _scatter("scatter_add", input, dim, index, src, "add")


def scatter_reduce(input, dim: int, index, src, reduce: str, *, include_self: bool = True):
    """``scatter`` combining with ``reduce`` in ``'sum' 'prod' 'amax' 'amin'``
    (``include_self=False`` is not supported).

    >>> import fgrad.numpy as fnp
    >>> scatter_reduce(fnp.zeros(2), 0, fnp.asarray([0, 0]), fnp.asarray([1.0, 3.0]), 'amax')
    Array([3., 0.])
    """
    if not include_self:
        raise NotImplementedError("scatter_reduce: include_self=False is not supported")
    mode = {"sum": "add", "prod": "multiply", "amax": "amax", "amin": "amin"}.get(reduce)
    if mode is None:
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got "
                           f"{reduce}")
    return _scatter("scatter_reduce", input, dim, index, src, mode)


def index_select(input, dim: int, index):
    """The entries of ``input`` at ``index`` (a vector of ints) along ``dim``.

    >>> import fgrad.numpy as fnp
    >>> index_select(fnp.asarray([[1, 2], [3, 4]]), 0, fnp.asarray([1, 1]))
    Array([[3, 4],
           [3, 4]])
    """
    x, index = _arr(input), _arr(index)
    if len(index.shape) > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if _dt(index).kind not in "iu":
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    d = _wrap_dim(dim, x.ndim)
    if x.ndim == 0:
        return x
    idx = S.reshape(index, (1,)) if len(index.shape) == 0 else index
    return x[(slice(None),) * d + (idx,)]


def masked_select(input, mask):
    """The entries of ``input`` where ``mask`` (broadcast together) holds, as a 1-D tensor.

    >>> import fgrad.numpy as fnp
    >>> masked_select(fnp.asarray([[1, 2], [3, 4]]), fnp.asarray([True, False]))
    Array([1, 3])
    """
    x, mask = _arr(input), _arr(mask)
    if _dt(mask) != np.bool_:
        raise RuntimeError(f"masked_select: expected BoolTensor for mask")
    shape = B.broadcast_shapes("masked_select", tuple(x.shape), tuple(mask.shape))
    return S.broadcast_to(x, shape)[S.broadcast_to(mask, shape)]


def masked_fill(input, mask, value):
    """A copy of ``input`` with ``value`` (a number or 0-d tensor, cast to ``input``'s
    dtype) where ``mask`` holds.

    >>> import fgrad.numpy as fnp
    >>> masked_fill(fnp.asarray([1.0, 2.0]), fnp.asarray([True, False]), 0.5)
    Array([0.5, 2. ])
    """
    x, mask = _arr(input), _arr(mask)
    if _dt(mask) != np.bool_:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{_dt(mask)}")
    if not _is_number(value) and len(value.shape):
        raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got "
                           f"tensor with {len(value.shape)} dimension(s).")
    dt = _dt(x)
    v = _cast(_arr(value, dt) if _is_number(value) and dt.kind in "biu" else value, dt)
    return fnp.where(mask, v, x)


def nonzero(input, *, as_tuple: bool = False):
    """Indices of the nonzero entries: an ``(n, ndim)`` int64 tensor, or with ``as_tuple``
    one 1-D tensor per dim.

    >>> import fgrad.numpy as fnp
    >>> nonzero(fnp.asarray([[0, 1], [2, 0]]))
    Array([[0, 1],
           [1, 0]])
    """
    h = _host(input)
    dev = _device(input)
    if h.ndim == 0:
        h1 = np.nonzero(h.reshape(1))[0]
        if as_tuple:
            return (_rewrap(from_host(h1.astype(np.int64), dev), input),)
        return _rewrap(from_host(np.zeros((h1.size, 0), np.int64), dev), input)
    idx = [i.astype(np.int64) for i in np.nonzero(h)]
    if as_tuple:
        return tuple(_rewrap(from_host(i, dev), input) for i in idx)
    return _rewrap(from_host(np.stack(idx, axis=1) if idx else np.zeros((0, 0), np.int64),
                             dev), input)


argwhere = nonzero


def take(input, index):
    """``input`` treated as 1-D, at ``index`` (the result has ``index``'s shape).

    >>> import fgrad.numpy as fnp
    >>> take(fnp.asarray([[1, 2], [3, 4]]), fnp.asarray([0, 3]))
    Array([1, 4])
    """
    x, index = _arr(input), _arr(index)
    return ravel(x)[index]


def take_along_dim(input, indices, dim=None):
    """``input`` at ``indices`` along ``dim`` (both broadcast off ``dim``); of the flattened
    input when ``dim`` is None.

    >>> import fgrad.numpy as fnp
    >>> take_along_dim(fnp.asarray([[1, 5], [7, 2]]), fnp.asarray([[1], [0]]), 1)
    Array([[5],
           [7]])
    """
    x, idx = _arr(input), _arr(indices)
    if dim is None:
        return ravel(x)[ravel(idx)]
    d = _wrap_dim(dim, x.ndim)
    xs, ids = list(x.shape), list(idx.shape)
    xs[d] = ids[d] = 1
    shape = B.broadcast_shapes("take_along_dim", tuple(xs), tuple(ids))
    xb = S.broadcast_to(x, shape[:d] + (x.shape[d],) + shape[d + 1:])
    ib = S.broadcast_to(idx, shape[:d] + (idx.shape[d],) + shape[d + 1:])
    return xb[_grid(ib, d)]


# ===================================================== sort and kin ====
def _is_traced(x) -> bool:
    from ..transforms.api import from_output
    return isinstance(x if isinstance(x, (Array, Tracer)) else from_output(x), Tracer)


def _ranks_traced(x, descending):
    """Stable sort positions by pairwise comparison along the last dim (NaN sorts as the
    largest, as PyTorch): ``(indices, one_hot)``, ``one_hot[..., k, i]`` marking that
    element ``i`` goes to position ``k``. O(n^2) work: used only under a transform,
    where the data is not concrete."""
    n = x.shape[-1]
    a = S.expand_dims(x, (x.ndim,))          # x_i along axis -2
    b = S.expand_dims(x, (x.ndim - 1,))      # x_j along axis -1
    na, nb = fnp.isnan(a), fnp.isnan(b)
    if descending:
        first = (b > a) | (na & ~nb)         # j precedes i
    else:
        first = (b < a) | (nb & ~na)
    same = (b == a) | (na & nb)
    iota = from_host(np.arange(n, dtype=np.int64), _device(x))
    earlier = from_host(np.tri(n, k=-1, dtype=bool), _device(x))   # [i, j]: j < i
    rank = R.reduce_sum(_cast(first | (same & earlier), np.int64), (x.ndim,))   # (..., n) per i
    one_hot = fnp.equal(S.expand_dims(rank, (rank.ndim - 1,)),
                        S.reshape(iota, (n, 1)))                  # (..., k, i)
    indices = R.reduce_sum(fnp.where(one_hot, iota, 0), (x.ndim,))
    return indices


def _argsort_last(x, descending):
    if _is_traced(x):
        return _ranks_traced(x, descending)
    h = _host(x)
    if descending:
        n = h.shape[-1]
        idx = n - 1 - np.flip(np.argsort(np.flip(h, -1), axis=-1, kind="stable"), -1)
    else:
        idx = np.argsort(h, axis=-1, kind="stable")
    return _rewrap(from_host(np.ascontiguousarray(idx, dtype=np.int64), _device(x)), x)


def _sorted(input, dim, descending):
    """``(values, indices)`` of ``input`` sorted along ``dim`` (stable); the values are a
    gather, so the gradient goes back to the indices."""
    x = _arr(input)
    if x.ndim == 0:
        return x, _zero_index(x)
    d = _wrap_dim(dim, x.ndim)
    xm = fnp.moveaxis(x, d, -1) if d != x.ndim - 1 else x
    idx = _argsort_last(xm, descending)
    vals = xm[_grid(idx, xm.ndim - 1)]
    if d != x.ndim - 1:
        vals, idx = fnp.moveaxis(vals, -1, d), fnp.moveaxis(idx, -1, d)
    return vals, idx


def sort(input, dim: int = -1, descending: bool = False, stable: bool = False):
    """``(values, indices)`` sorted along ``dim`` (NaN last; always stable here).

    >>> import fgrad.numpy as fnp
    >>> sort(fnp.asarray([3.0, 1.0, 2.0])).indices
    Array([1, 2, 0])
    """
    return return_types.sort(*_sorted(input, dim, descending))


def argsort(input, dim: int = -1, descending: bool = False, stable: bool = False):
    """The indices that sort ``input`` along ``dim``.

    >>> import fgrad.numpy as fnp
    >>> argsort(fnp.asarray([3.0, 1.0, 2.0]), descending=True)
    Array([0, 2, 1])
    """
    return _sorted(input, dim, descending)[1]


def topk(input, k: int, dim: int = -1, largest: bool = True, sorted: bool = True):
    """The ``k`` largest (``largest=False``: smallest) entries along ``dim`` and their indices.

    >>> import fgrad.numpy as fnp
    >>> topk(fnp.asarray([3.0, 1.0, 2.0]), 2).values
    Array([3., 2.])
    """
    x = _arr(input)
    n = x.shape[_wrap_dim(dim, x.ndim)] if x.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError("selected index k out of range")
    vals, idx = _sorted(x, dim, largest)
    if x.ndim == 0:
        return return_types.topk(vals, idx)
    d = _wrap_dim(dim, x.ndim)
    return return_types.topk(S.slice_axis(vals, d, 0, k), S.slice_axis(idx, d, 0, k))


def kthvalue(input, k: int, dim: int = -1, keepdim: bool = False):
    """The ``k``-th smallest entry (1-based) along ``dim`` and its index.

    >>> import fgrad.numpy as fnp
    >>> kthvalue(fnp.asarray([3.0, 1.0, 2.0]), 2)
    fgrad.return_types.kthvalue(
    values=Array(2.),
    indices=Array(2))
    """
    x = _arr(input)
    d = _wrap_dim(dim, x.ndim)
    n = x.shape[d] if x.ndim else 1
    if not 1 <= k <= n:
        raise IndexError(f"kthvalue(): selected number k out of range for dimension {d}")
    vals, idx = _sorted(x, d, False)
    if x.ndim == 0:
        return return_types.kthvalue(vals, idx)
    v, i = S.slice_axis(vals, d, k - 1, k), S.slice_axis(idx, d, k - 1, k)
    if not keepdim:
        v, i = S.squeeze(v, (d,)), S.squeeze(i, (d,))
    return return_types.kthvalue(v, i)


def median(input, dim=None, keepdim: bool = False):
    """The lower median: without ``dim`` a value (NaN if any; ties share the gradient),
    with ``dim`` ``(values, indices)`` (the gradient goes to the index), as PyTorch.

    >>> import fgrad.numpy as fnp
    >>> median(fnp.asarray([1.0, 2.0, 3.0, 4.0]))
    Array(2.)
    """
    x = _arr(input)
    if dim is None:
        if _numel(x) == 0:
            return fnp.sum(x) * np.nan
        flat = ravel(x)
        vals, _ = _sorted(fnp.stop_gradient(flat), 0, False)
        m = S.squeeze(S.slice_axis(vals, 0, (_numel(x) - 1) // 2, (_numel(x) - 1) // 2 + 1), (0,))
        hit = flat == m
        # m + (sum of the tied entries - their count * m) / count: the value is m exactly,
        # the gradient is split evenly between the tied entries
        share = R.reduce_sum(fnp.where(hit, flat - m, 0), (0,)) / R.reduce_sum(
            _cast(hit, _dt(flat)), (0,))
        out = m + share
        return fnp.where(fnp.any(fnp.isnan(flat)), np.nan, out) if _dt(x).kind in "fc" else out
    r = kthvalue(x, (x.shape[_wrap_dim(dim, x.ndim)] + 1) // 2 if x.ndim else 1, dim, keepdim)
    return return_types.median(*r)


def mode(input, dim: int = -1, keepdim: bool = False):
    """The most frequent value along ``dim`` (the smallest of equally frequent ones) and
    the index of its last occurrence. O(n^2) comparisons per row.

    >>> import fgrad.numpy as fnp
    >>> mode(fnp.asarray([1.0, 2.0, 2.0, 3.0, 3.0])).indices
    Array(2)
    """
    x = _arr(input)
    if x.ndim == 0:
        return return_types.mode(x, _zero_index(x))
    d = _wrap_dim(dim, x.ndim)
    xm = fnp.moveaxis(x, d, -1) if d != x.ndim - 1 else x
    n = xm.shape[-1]
    eqm = fnp.equal(S.expand_dims(xm, (xm.ndim,)), S.expand_dims(xm, (xm.ndim - 1,)))
    count = R.reduce_sum(_cast(eqm, np.int64), (xm.ndim,))
    best = fnp.equal(count, S.expand_dims(amax(count, -1), (count.ndim - 1,)))
    dt = _dt(xm)
    big = np.inf if dt.kind in "fc" else (np.iinfo(dt).max if dt.kind in "iu" else True)
    value = amin(fnp.where(best, fnp.stop_gradient(xm), big), -1)
    iota = from_host(np.arange(n, dtype=np.int64), _device(x))
    idx = amax(fnp.where(fnp.equal(xm, S.expand_dims(value, (value.ndim,))), iota, -1), -1)
    idx_k = S.expand_dims(idx, (idx.ndim,))
    vals = _pick(xm, idx_k, xm.ndim - 1)
    if keepdim:
        vals, idx = S.expand_dims(vals, (d,)), S.expand_dims(idx, (d,))
    return return_types.mode(vals, idx)


# ======================================================== exports =======
# Names PyTorch has only as Tensor methods (not as torch.<name> functions).
METHOD_ONLY = ("expand", "expand_as", "reshape_as", "repeat")

__all__ = sorted(
    n for n, v in list(globals().items())
    if callable(v) and not n.startswith("_") and getattr(v, "__module__", None) == __name__
    and n not in ("result_type", "promote_types") and not isinstance(v, type)
) + ["result_type", "promote_types"]

# Functions that are also Tensor methods, the tensor first (``x.sum(dim=1)``). Not
# ``where``: ``x.where(cond, y)`` is ``where(cond, x, y)`` (the facade swaps the arguments).
METHODS = tuple(n for n in __all__ if n not in (
    "result_type", "promote_types", "cat", "concat", "concatenate", "stack", "hstack", "vstack", "row_stack",
    "dstack", "einsum", "where", "std_mean", "var_mean"))

# grad_fn names PyTorch shows for the composites here (the facade may use them to name
# the node of a composite's output).
GRAD_FN_NAMES = {
    "mean": "MeanBackward0", "mean_dim": "MeanBackward1", "std": "StdBackward0",
    "var": "VarBackward0", "norm": "LinalgVectorNormBackward0", "logsumexp": "LogsumexpBackward0",
    "relu": "ReluBackward0", "max_dim": "MaxBackward0", "min_dim": "MinBackward0",
    "median": "MedianBackward0", "median_dim": "MedianBackward1", "sort": "SortBackward0",
    "topk": "TopkBackward0", "kthvalue": "KthvalueBackward0", "mode": "ModeBackward0",
    "mm": "MmBackward0", "bmm": "BmmBackward0", "mv": "MvBackward0", "dot": "DotBackward0",
    "matmul": "MmBackward0", "addmm": "AddmmBackward0", "addbmm": "AddbmmBackward0",
    "baddbmm": "BaddbmmBackward0", "addmv": "AddmvBackward0", "addr": "AddrBackward0",
    "outer": "MulBackward0", "trace": "TraceBackward0", "diag": "DiagEmbedBackward0",
    "diagonal": "DiagonalBackward0", "cross": "LinalgCrossBackward0",
    "clamp": "ClampBackward1", "gather": "GatherBackward0", "scatter": "ScatterBackward0",
    "scatter_add": "ScatterAddBackward0", "index_select": "IndexSelectBackward0",
    "masked_select": "MaskedSelectBackward0", "masked_fill": "MaskedFillBackward0",
    "rsqrt": "RsqrtBackward0", "reciprocal": "ReciprocalBackward0", "square": "PowBackward0",
    "lerp": "LerpBackward0", "addcmul": "AddcmulBackward0", "addcdiv": "AddcdivBackward0",
    "frac": "FracBackward0", "log2": "Log2Backward0", "log10": "Log10Backward0",
    "split": "SplitBackward0", "chunk": "SplitBackward0", "unbind": "UnbindBackward0",
    "stack": "StackBackward0", "cat": "CatBackward0", "repeat": "RepeatBackward0",
    "flatten": "ViewBackward0", "squeeze": "SqueezeBackward0", "unsqueeze": "UnsqueezeBackward0",
    "t": "TBackward0", "transpose": "TransposeBackward0", "permute": "PermuteBackward0",
    "expand": "ExpandBackward0", "narrow": "SliceBackward0", "roll": "RollBackward0",
    "sum_dim": "SumBackward1", "squeeze_dim": "SqueezeBackward1", "tril": "TrilBackward0",
    "triu": "TriuBackward0", "trunc": "TruncBackward0", "fix": "TruncBackward0",
}
