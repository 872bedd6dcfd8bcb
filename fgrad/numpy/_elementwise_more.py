"""More element-wise functions for ``fgrad.numpy``: NaN-ignoring ``fmax``/``fmin``,
``float_power angle fabs real_if_close piecewise``; compositions of the ufunc primitives.
"""
from __future__ import annotations

import numpy as np

from .. import errors
from .._array import Array
from ..primitives import unary as U
from ..transforms.core import Tracer
from ._core import asarray, full, zeros_like
from ._shape import broadcast_to
from ._elementwise import (where, isnan, maximum, minimum, arctan2, power, abs as abs_,
                           real, imag)
from ._elementwise import signbit
from ._elementwise import floor_divide, remainder
from ._elementwise import trunc
from ._elementwise import remainder
from ._reductions import cumsum
from ._stacking import diff
from ._shape import concatenate
from ..primitives import shape as S

__all__ = ["fmax", "fmin", "float_power", "angle", "fabs", "real_if_close", "piecewise",
           "iscomplexobj", "isrealobj", "iscomplex", "isreal", "isscalar", "copysign", "divmod",
           "modf", "ldexp", "isposinf", "isneginf", "unwrap"]


def _fextremum(pick, name):
    def f(x1, x2) -> Array:
        x1, x2 = asarray(x1), asarray(x2)
        out = pick(x1, x2)
        if out.dtype.kind not in "fc":
            return out
        # NaN only where both are NaN: take the other operand where one is NaN
        return where(isnan(x1), x2, where(isnan(x2), x1, out))
    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"Element-wise {name[1:]}imum ignoring NaNs (NaN only where both are), as "
                 f"``numpy.{name}``; ties as ``{name[1:]}imum``.\n\n"
                 f">>> import fgrad.numpy as fnp\n>>> fnp.{name}(fnp.asarray([1.0, fnp.nan]), "
                 f"fnp.asarray([fnp.nan, 2.0]))\nArray([1., 2.])")
    return f


fmax = _fextremum(maximum, "fmax")
fmin = _fextremum(minimum, "fmin")


def float_power(x1, x2) -> Array:
    """``x1 ** x2`` computed in float64 (complex128 for complex inputs).

    >>> import fgrad.numpy as fnp
    >>> fnp.float_power(fnp.asarray([2, 3]), 2)
    Array([4., 9.])
    """
    x1, x2 = asarray(x1), asarray(x2)
    dt = np.complex128 if "c" in (x1.dtype.kind, x2.dtype.kind) else np.float64
    return power(U.convert(x1, dt), U.convert(x2, dt))


def angle(z, deg: bool = False) -> Array:
    """The counter-clockwise angle of complex ``z`` from the positive real axis (radians,
    or degrees with ``deg``); 0 or pi for real input.

    >>> import fgrad.numpy as fnp
    >>> fnp.angle(fnp.asarray([1j, -1.0]))
    Array([1.57079633, 3.14159265])
    """
    z = asarray(z)
    if z.dtype.kind == "c":
        re, im = real(z), imag(z)
    else:
        re = U.convert(z, np.float64) if z.dtype.kind in "biu" else z
        im = zeros_like(re)
    a = arctan2(im, re)
    return a * (180.0 / np.pi) if deg else a


def fabs(x) -> Array:
    """Absolute values as floats (NumPy's ``fabs``: no complex input).

    >>> import fgrad.numpy as fnp
    >>> fnp.fabs(fnp.asarray([-2, 1]))
    Array([2., 1.])
    """
    x = asarray(x)
    if x.dtype.kind == "c":
        raise TypeError("ufunc 'fabs' not supported for complex input; use fgrad.numpy.abs")
    if x.dtype.kind in "biu":
        x = U.convert(x, np.float64)
    return abs_(x)


def real_if_close(a, tol=100) -> Array:
    """``a``'s real part when every imaginary part is within ``tol`` machine epsilons of 0
    (``tol`` > 1) or ``tol`` itself; else ``a``. The result's dtype depends on the values,
    so ``a`` must be concrete.

    >>> import fgrad.numpy as fnp
    >>> fnp.real_if_close(fnp.asarray([2.0 + 1e-15j]))
    Array([2.])
    """
    a = asarray(a)
    if a.dtype.kind != "c":
        return a
    if isinstance(a, Tracer):
        raise errors.ConcretizationTypeError(
            "real_if_close: its result dtype depends on the values, which are traced here; "
            "use fgrad.numpy.real (or keep the complex array) inside a transform")
    if tol > 1:
        tol = np.finfo(a.dtype).eps * tol
    if bool(np.all(np.abs(a._host().imag) < tol)):
        return real(a)
    return a


def piecewise(x, condlist, funclist, *args, **kw) -> Array:
    """A function defined piecewise: ``funclist[i]`` (a callable on ``x`` or a value) where
    ``condlist[i]`` holds, later conditions winning; an extra last entry is the value
    elsewhere (0 otherwise). Each callable is evaluated on all of ``x`` (element-wise
    functions give NumPy's result) and the pieces selected, so it works under transforms.

    >>> import fgrad.numpy as fnp
    >>> x = fnp.asarray([-1.0, 2.0])
    >>> fnp.piecewise(x, [x < 0, x >= 0], [lambda v: -v, lambda v: v ** 2])
    Array([1., 4.])
    """
    x = asarray(x)
    if isinstance(condlist, (Array, Tracer)) and condlist.ndim == x.ndim or (
            not isinstance(condlist, (list, tuple)) and np.ndim(condlist) == x.ndim):
        condlist = [condlist]
    conds = [asarray(c) for c in condlist]
    n = len(conds)
    if len(funclist) not in (n, n + 1):
        raise ValueError(f"piecewise: with {n} condition(s), either {n} or {n + 1} functions "
                         f"are expected, got {len(funclist)}")

    def value(f):
        out = f(x, *args, **kw) if callable(f) else f
        return U.convert(asarray(out), x.dtype) if asarray(out).dtype != x.dtype else out

    out = value(funclist[n]) if len(funclist) == n + 1 else zeros_like(x)
    out = broadcast_to(asarray(out), tuple(x.shape))
    for c, f in zip(conds, funclist[:n]):
        out = where(c, value(f), out)
    return out


def iscomplexobj(x) -> bool:
    """Whether ``x`` has a complex dtype."""
    return asarray(x).dtype.kind == "c"


def isrealobj(x) -> bool:
    """Whether ``x`` does not have a complex dtype."""
    return not iscomplexobj(x)


def iscomplex(x) -> Array:
    """Element-wise: a nonzero imaginary part.

    >>> import fgrad.numpy as fnp
    >>> fnp.iscomplex(fnp.asarray([1 + 1j, 2]))
    Array([ True, False])
    """
    x = asarray(x)
    return imag(x) != 0 if x.dtype.kind == "c" else full(x.shape, False, np.bool_, x.device)


def isreal(x) -> Array:
    """Element-wise: a zero imaginary part."""
    x = asarray(x)
    return imag(x) == 0 if x.dtype.kind == "c" else full(x.shape, True, np.bool_, x.device)


def isscalar(element) -> bool:
    """NumPy's ``isscalar`` (an fgrad Array is never a scalar, as a 0-d ndarray is not)."""
    return np.isscalar(element)


def copysign(x1, x2) -> Array:
    """``|x1|`` with the sign of ``x2`` (its sign bit: -0.0 counts as negative).

    >>> import fgrad.numpy as fnp
    >>> fnp.copysign(fnp.asarray([1.0, -2.0]), -0.0)
    Array([-1., -2.])
    """
    x1, x2 = asarray(x1), asarray(x2)
    if x1.dtype.kind in "biu":
        x1 = U.convert(x1, np.float64)
    a = abs_(x1)
    return where(signbit(x2), -a, a)


def divmod(x1, x2) -> tuple:
    """``(floor_divide(x1, x2), remainder(x1, x2))``.

    >>> import fgrad.numpy as fnp
    >>> fnp.divmod(fnp.asarray([7, -7]), 2)
    (Array([ 3, -4]), Array([1, 1]))
    """
    return floor_divide(x1, x2), remainder(x1, x2)


def modf(x) -> tuple:
    """``(fractional part, integral part)``, both with the sign of ``x``.

    >>> import fgrad.numpy as fnp
    >>> fnp.modf(fnp.asarray([1.5, -2.25]))
    (Array([ 0.5 , -0.25]), Array([ 1., -2.]))
    """
    x = asarray(x)
    if x.dtype.kind in "biu":
        x = U.convert(x, np.float64)
    i = trunc(x)
    return x - i, i


def ldexp(x1, x2) -> Array:
    """``x1 * 2 ** x2`` (``x2`` integer).

    >>> import fgrad.numpy as fnp
    >>> fnp.ldexp(fnp.asarray([1.0, 3.0]), fnp.asarray([2, -1]))
    Array([4. , 1.5])
    """
    x1, x2 = asarray(x1), asarray(x2)
    if x2.dtype.kind not in "biu":
        raise TypeError(f"ldexp: the exponent must be an integer array, got {x2.dtype}")
    if x1.dtype.kind in "biu":
        x1 = U.convert(x1, np.float64)
    return x1 * power(2.0, U.convert(x2, x1.dtype))


def isposinf(x) -> Array:
    """Element-wise ``x == +inf``.

    >>> import fgrad.numpy as fnp
    >>> fnp.isposinf(fnp.asarray([fnp.inf, -fnp.inf]))
    Array([ True, False])
    """
    return asarray(x) == np.inf


def isneginf(x) -> Array:
    """Element-wise ``x == -inf``."""
    return asarray(x) == -np.inf


def unwrap(p, discont=None, axis: int = -1, *, period=2 * np.pi) -> Array:
    """``p`` with jumps larger than ``discont`` (default ``period / 2``) along ``axis``
    replaced by their ``period``-complement, as NumPy's.

    >>> import fgrad.numpy as fnp
    >>> fnp.unwrap(fnp.asarray([0.0, 3.0, 6.5]))
    Array([0.        , 3.        , 0.21681469])
    """
    p = asarray(p)
    if p.dtype.kind in "biu":
        p = U.convert(p, np.float64)
    ax = axis % p.ndim
    n = p.shape[ax]
    if n < 2:
        return p
    dd = diff(p, axis=ax)
    discont = period / 2 if discont is None else max(discont, period / 2)
    high = period / 2
    ddmod = remainder(dd + high, period) - high
    ddmod = where((ddmod == -high) & (dd > 0), high, ddmod)
    correct = where(abs_(dd) < discont, 0.0, ddmod - dd)
    corr = cumsum(correct, axis=ax)
    first = S.slice_axis(p, ax, 0, 1)
    return concatenate([first, S.slice_axis(p, ax, 1, n) + corr], ax)
