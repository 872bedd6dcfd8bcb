"""The discrete Fourier transform as one linear primitive, ``fft``, as JAX's ``fft_p``.

``fft(x, fft_type, axes)`` transforms ``x`` over ``axes`` (non-negative and
distinct; for rfft/irfft the last one is the halved axis) with NumPy's unnormalised ("backward") convention; ``fgrad.numpy.fft``
pads or crops the input to the requested lengths and applies the other norms.

* ``"fft"`` / ``"ifft"``: complex -> complex (a real input is taken as complex);
  the shape is kept.
* ``"rfft"``: real -> complex, the last of ``axes`` becomes ``n // 2 + 1`` long.
* ``"irfft"``: complex -> real, the last of ``axes`` becomes ``n`` (the parameter
  ``n``, the output length), from an input ``n // 2 + 1`` long.

Every type is linear, so the JVP applies the primitive to the tangent. The
transposes follow JAX's convention (cotangents are transposes, not adjoints):

* the DFT matrix F is symmetric, so ``fft^T = fft`` and ``ifft^T = ifft``
  (with the real part taken for a real input);
* ``rfft = slice(fft(x + 0j))``, so ``rfft^T(ct) = real(fft(pad(ct, n)))``;
* ``irfft(y)`` reads the Hermitian half ``y`` as the full spectrum in which every
  bin but 0 (and ``n/2`` for even ``n``) appears twice, so
  ``irfft^T(ct) = conj(w * rfft(ct) / N)`` with ``w = [1, 2, ..., 2, (1)]`` and ``N``
  the product of the transformed lengths (JAX's ``_irfft_transpose``).
"""
from __future__ import annotations

import math

import numpy as np

from .. import errors
from ..transforms.core import ShapedArray, Zero
from .core import Primitive, defvjp
from . import shape as S
from .unary import convert, real, conj
from .creation import from_host

FFT_TYPES = ("fft", "ifft", "rfft", "irfft")
_COMPLEX = {np.dtype(np.float32): np.dtype(np.complex64),
            np.dtype(np.float64): np.dtype(np.complex128),
            np.dtype(np.complex64): np.dtype(np.complex64),
            np.dtype(np.complex128): np.dtype(np.complex128)}


def complex_dtype(dtype) -> np.dtype:
    """The complex dtype of a float or complex ``dtype`` (float16 and ints: complex128)."""
    return _COMPLEX.get(np.dtype(dtype), np.dtype(np.complex128))


def real_dtype(dtype) -> np.dtype:
    dtype = np.dtype(dtype)
    return np.dtype(np.float32) if dtype == np.complex64 else (
        dtype if dtype.kind == "f" else np.dtype(np.float64))


fft_p = Primitive("fft", grad_fn_name="FftC2CBackward0")


def _fft_impl(xp, x, fft_type, axes, n=None):
    if fft_type == "fft":
        return xp.fft.fftn(x, axes=axes) if len(axes) > 1 else xp.fft.fft(x, axis=axes[0])
    if fft_type == "ifft":
        return xp.fft.ifftn(x, axes=axes) if len(axes) > 1 else xp.fft.ifft(x, axis=axes[0])
    if fft_type == "rfft":
        return xp.fft.rfftn(x, axes=axes) if len(axes) > 1 else xp.fft.rfft(x, axis=axes[0])
    s = tuple(x.shape[a] for a in axes[:-1]) + (n,)
    if len(axes) > 1:
        return xp.fft.irfftn(x, s=s, axes=axes)
    return xp.fft.irfft(x, n=n, axis=axes[0])


fft_p.def_impl(_fft_impl)


def _fft_shape(x, fft_type, axes, n=None):
    if fft_type not in FFT_TYPES:
        raise ValueError(f"fft: unknown fft_type {fft_type!r} (expected one of {FFT_TYPES})")
    if not axes or any(not 0 <= a < x.ndim for a in axes) or len(set(axes)) != len(axes):
        raise ValueError(f"fft: axes {axes} are not distinct axes of an array of shape "
                         f"{errors.fmt_shape(x.shape)}")
    if x.dtype.kind not in "fciub":
        raise TypeError(f"fft: unsupported dtype {x.dtype}")
    shape = list(x.shape)
    last = axes[-1]
    if fft_type in ("fft", "ifft"):
        return ShapedArray(x.shape, complex_dtype(x.dtype), x.device)
    if fft_type == "rfft":
        if x.dtype.kind == "c":
            raise TypeError(f"rfft: the input must be real, got {x.dtype}")
        shape[last] = shape[last] // 2 + 1
        return ShapedArray(tuple(shape), complex_dtype(x.dtype), x.device)
    if n is None or n < 1 or shape[last] != n // 2 + 1:
        raise ValueError(f"irfft: output length n={n} needs an input of length n // 2 + 1 "
                         f"along axis {last}, got shape {errors.fmt_shape(x.shape)}")
    shape[last] = n
    return ShapedArray(tuple(shape), real_dtype(x.dtype), x.device)


fft_p.def_abstract_eval(_fft_shape)


def _fft_jvp(primals, tangents, **params):
    ans = fft_p.bind(primals[0], **params)
    t = tangents[0]
    if type(t) is Zero:
        return ans, Zero.like(ans)
    return ans, fft_p.bind(t, **params)


def _fft_transpose(ct, ans, x, fft_type, axes, n=None):
    if fft_type in ("fft", "ifft"):
        return convert(fft_p.bind(ct, fft_type=fft_type, axes=axes), x.dtype)
    if fft_type == "rfft":
        last = axes[-1]
        full = x.shape[last]
        config = [(0, 0, 0)] * ct.ndim
        config[last] = (0, full - ct.shape[last], 0)
        padded = S.pad(ct, 0.0, config)
        return convert(fft_p.bind(padded, fft_type="fft", axes=axes), x.dtype)
    # irfft
    y = fft_p.bind(ct, fft_type="rfft", axes=axes)
    last = axes[-1]
    m = y.shape[last]
    w = np.full(m, 2.0)
    w[0] = 1.0
    if n % 2 == 0:
        w[-1] = 1.0
    size = math.prod(ct.shape[a] for a in axes)
    w = (w / size).reshape((m,) + (1,) * (ct.ndim - 1 - last))
    return convert(conj(y * from_host(w.astype(real_dtype(y.dtype)), y.device)), x.dtype)


fft_p.jvp = _fft_jvp
defvjp(fft_p, _fft_transpose, saves="none")


def _fft_batch(vals, dims, fft_type, axes, n=None):
    x, d = vals[0], dims[0]
    axes = tuple(a + (a >= d) for a in axes)
    return fft_p.bind(x, fft_type=fft_type, axes=axes, n=n), d


fft_p.batch = _fft_batch


def fft(x, fft_type: str, axes, n=None):
    """The primitive on ``x`` over ``axes`` (non-negative ints)."""
    return fft_p.bind(x, fft_type=fft_type, axes=tuple(axes), n=n)


__all__ = ["fft_p", "fft", "complex_dtype", "real_dtype", "real"]
