"""Window functions (NumPy's ``bartlett blackman hamming hanning kaiser``) and ``i0``.

A window of length ``M`` is a constant: its values are NumPy's formulas evaluated on the
host (``M`` must be a concrete integer, as in ``jax.numpy``). ``kaiser`` is differentiable
in ``beta`` (``I0(beta sqrt(1 - r^2)) / I0(beta)``, through the primitive ``bessel_i0``
whose derivative is ``i1``); ``i0`` is that primitive.
"""
from __future__ import annotations

import operator

import numpy as np

from .. import errors
from .._array import Array
from ..primitives import special as _sp
from ..transforms.core import Tracer, bind
from ._core import asarray, ones

__all__ = ["bartlett", "blackman", "hamming", "hanning", "kaiser", "i0"]


def _length(M, name) -> int:
    """``M`` as a Python int: a concrete integer (or integral float, as NumPy accepts)."""
    if isinstance(M, Tracer):
        raise errors.ConcretizationTypeError(
            f"{name}: the window length M must be a concrete integer (it sets the output "
            "shape), not a traced value")
    if isinstance(M, Array):
        M = M._host()[()] if M.ndim == 0 else M._host()
    try:
        return operator.index(M)
    except TypeError:
        pass
    if isinstance(M, (float, np.floating)) and float(M).is_integer():
        return int(M)
    raise TypeError(f"{name}: M must be an integer window length, got {M!r}")


def _window(name, host_fn, doc_values):
    def window(M) -> Array:
        return asarray(host_fn(_length(M, name)))
    window.__name__ = window.__qualname__ = name
    window.__doc__ = (f"NumPy's ``{name}`` window of length ``M`` (float64; empty for "
                      f"``M < 1``). A constant.\n\n>>> import fgrad.numpy as fnp\n"
                      f">>> fnp.{name}(3)\n{doc_values}")
    return window


bartlett = _window("bartlett", np.bartlett, "Array([0., 1., 0.])")
blackman = _window("blackman", np.blackman, "Array([-1.38777878e-17,  1.00000000e+00, "
                   "-1.38777878e-17])")
hamming = _window("hamming", np.hamming, "Array([0.08, 1.  , 0.08])")
hanning = _window("hanning", np.hanning, "Array([0., 1., 0.])")


def kaiser(M, beta) -> Array:
    """NumPy's Kaiser window ``I0(beta sqrt(1 - ((n - a)/a)^2)) / I0(beta)``,
    ``a = (M - 1) / 2``, ``n = 0 .. M-1`` (float64). Differentiable in ``beta``.

    >>> import fgrad.numpy as fnp
    >>> fnp.kaiser(3, 0.0)
    Array([1., 1., 1.])
    """
    M = _length(M, "kaiser")
    if M < 1:
        return asarray(np.zeros((0,), np.float64))
    if M == 1:
        return ones((1,), np.float64)
    beta = asarray(beta)
    if beta.dtype.kind == "c":
        raise TypeError("kaiser: beta must be real, got a complex value")
    if beta.ndim != 0:
        raise ValueError(f"kaiser: beta must be a scalar, got shape {tuple(beta.shape)}")
    beta = beta.astype(np.float64)
    alpha = (M - 1) / 2.0
    r = np.sqrt(np.maximum(1.0 - ((np.arange(M) - alpha) / alpha) ** 2.0, 0.0))
    return bind(_sp.i0_p, beta * asarray(r)) / bind(_sp.i0_p, beta)


def i0(x) -> Array:
    """The modified Bessel function of the first kind, order 0 (``numpy.i0``; float
    inputs keep their dtype, integers give float64). Derivative ``i1``.

    >>> import fgrad.numpy as fnp
    >>> fnp.round(fnp.i0(fnp.asarray([0.0, 1.0])), 6)
    Array([1.      , 1.266066])
    """
    x = asarray(x)
    if x.dtype.kind == "c":
        raise TypeError("i0: complex input is not supported")
    return bind(_sp.i0_p, x)
