"""``fgrad.numpy.fft``: ``numpy.fft`` as differentiable functions (as ``jax.numpy.fft``).

Every transform is the linear primitive ``fft`` (``fgrad/primitives/fft.py``)
after padding or cropping the input to the requested lengths, times the
normalisation ``norm`` asks for ("backward" by default, "ortho", "forward"), so
``grad``, ``jvp``, ``vjp``, ``vmap`` and ``jit`` go through them. Outputs are
complex64 for float32 inputs and complex128 otherwise (NumPy 2's rule).

>>> import fgrad, fgrad.numpy as fnp
>>> fnp.fft.fft(fnp.asarray([1.0, 2.0, 3.0, 4.0]))
Array([10.+0.j, -2.+2.j, -2.+0.j, -2.-2.j])
>>> fgrad.grad(lambda x: fnp.sum(fnp.abs(fnp.fft.rfft(x)) ** 2))(fnp.asarray([1.0, 2.0, 0.0, 3.0]))
Array([ 6., 18.,  2., 22.])
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from .._array import Array
from ..primitives import fft as F, shape as S
from ..primitives.transfer import device_put
from ._core import asarray, arange
from ._shape import roll

__all__ = ["fft", "ifft", "rfft", "irfft", "fft2", "ifft2", "rfft2", "irfft2", "fftn", "ifftn",
           "rfftn", "irfftn", "hfft", "ihfft", "fftfreq", "rfftfreq", "fftshift", "ifftshift"]

_NORMS = (None, "backward", "ortho", "forward")


def _scale(x, norm, size, inverse):
    """Apply ``norm`` to an unnormalised forward (or 1/N-normalised inverse) transform."""
    if norm is None or norm == "backward":
        return x
    if norm not in _NORMS:
        raise ValueError(f'Invalid norm value {norm!r}; should be "backward", "ortho" or "forward".')
    f = math.sqrt(size) if norm == "ortho" else float(size)
    return x * f if inverse else x * (1.0 / f)


def _resize(x, axis, n):
    """``x`` cropped or zero-padded to length ``n`` along ``axis`` (numpy.fft's ``n``)."""
    have = x.shape[axis]
    if n == have:
        return x
    if n < have:
        return S.slice_axis(x, axis, 0, n)
    config = [(0, 0, 0)] * x.ndim
    config[axis] = (0, n - have, 0)
    return S.pad(x, 0.0, config)


def _axes_and_lengths(x, s, axes, op, real_out=False):
    """Normalised axes and output lengths, as ``numpy.fft.fftn`` reads ``s`` and ``axes``."""
    if axes is None:
        axes = tuple(range(x.ndim)) if s is None else tuple(range(x.ndim - len(s), x.ndim))
    elif isinstance(axes, int):
        axes = (axes,)
    axes = tuple(int(a) for a in axes)
    for a in axes:
        if not -x.ndim <= a < x.ndim:
            raise ValueError(f"{op}: axis {a} is out of bounds for an array of dimension {x.ndim}")
    axes = tuple(a % x.ndim for a in axes)
    if len(set(axes)) != len(axes):
        raise ValueError(f"{op}: repeated axes {axes} are not supported")
    if not axes:
        raise ValueError(f"{op}: no axes to transform")
    if s is None:
        s = [x.shape[a] for a in axes]
        if real_out:
            s[-1] = 2 * (s[-1] - 1)
    else:
        s = [int(v) for v in s]
        if len(s) != len(axes):
            raise ValueError(f"{op}: s {tuple(s)} and axes {axes} have different lengths")
    if any(v < 1 for v in s):
        raise ValueError(f"{op}: invalid number of data points {tuple(s)} (must be >= 1)")
    return axes, tuple(s)


def _c2c(a, s, axes, norm, kind, op, one=False):
    x = asarray(a)
    axes, s = (_axis_and_length if one else _axes_and_lengths)(x, s, axes, op)
    for ax, n in zip(axes, s):
        if x.shape[ax] != n:
            x = _resize(x, ax, n)
    return _scale(F.fft_p.bind(x, fft_type=kind, axes=axes, n=None), norm, math.prod(s),
                  kind == "ifft")


def _r2c(a, s, axes, norm, op, one=False):
    x = asarray(a)
    if x.dtype.kind == "c":
        raise TypeError(f"{op}: the input must be real, got {x.dtype}")
    axes, s = (_axis_and_length if one else _axes_and_lengths)(x, s, axes, op)
    for ax, n in zip(axes, s):
        if x.shape[ax] != n:
            x = _resize(x, ax, n)
    return _scale(F.fft_p.bind(x, fft_type="rfft", axes=axes, n=None), norm, math.prod(s), False)


def _c2r(a, s, axes, norm, op, one=False):
    x = asarray(a)
    axes, s = (_axis_and_length if one else _axes_and_lengths)(x, s, axes, op, True)
    for ax, n in zip(axes[:-1], s[:-1]):
        x = _resize(x, ax, n)
    x = _resize(x, axes[-1], s[-1] // 2 + 1)
    if x.dtype.kind != "c":
        x = x.astype(F.complex_dtype(x.dtype))
    return _scale(F.fft_p.bind(x, fft_type="irfft", axes=axes, n=s[-1]), norm, math.prod(s),
                  True)


def _axis_and_length(x, n, axis, op, real_out=False):
    """``_axes_and_lengths`` for one axis (the 1-d functions' fast path)."""
    nd = x.ndim
    if not -nd <= axis < nd:
        raise ValueError(f"{op}: axis {axis} is out of bounds for an array of dimension {nd}")
    axis = axis % nd
    if n is None:
        n = 2 * (x.shape[axis] - 1) if real_out else x.shape[axis]
    if n < 1:
        raise ValueError(f"{op}: invalid number of data points ({n},) (must be >= 1)")
    return (axis,), (n,)


def fft(a, n: int | None = None, axis: int = -1, norm: str | None = None) -> Array:
    """One-dimensional DFT along ``axis`` (``n`` crops or zero-pads), as ``numpy.fft.fft``.

    >>> fft(asarray(np.ones(4))).tolist()
    [(4+0j), 0j, 0j, 0j]
    """
    return _c2c(a, n, axis, norm, "fft", "fft", True)


def ifft(a, n: int | None = None, axis: int = -1, norm: str | None = None) -> Array:
    """The inverse of ``fft`` (``1/n`` normalised by default).

    >>> ifft(fft(asarray(np.ones(2)))).real.tolist()
    [1.0, 1.0]
    """
    return _c2c(a, n, axis, norm, "ifft", "ifft", True)


def rfft(a, n: int | None = None, axis: int = -1, norm: str | None = None) -> Array:
    """The DFT of a real input: the ``n // 2 + 1`` non-negative frequency terms.

    >>> rfft(asarray(np.ones(4))).tolist()
    [(4+0j), 0j, 0j]
    """
    return _r2c(a, n, axis, norm, "rfft", True)


def irfft(a, n: int | None = None, axis: int = -1, norm: str | None = None) -> Array:
    """The inverse of ``rfft``: a real signal of length ``n`` (default ``2 (m - 1)``).

    >>> irfft(rfft(asarray([1.0, 2.0, 3.0])), n=3).tolist()
    [1.0, 2.0, 3.0]
    """
    return _c2r(a, n, axis, norm, "irfft", True)


def hfft(a, n: int | None = None, axis: int = -1, norm: str | None = None) -> Array:
    """The DFT of a Hermitian-symmetric signal given by its first half: a real spectrum.

    ``hfft(a, n) = irfft(conj(a), n) * n`` (for the default norm), as ``numpy.fft.hfft``.

    >>> hfft(asarray([1.0, 2.0, 3.0]), n=4).tolist()
    [8.0, -2.0, 0.0, -2.0]
    """
    x = asarray(a)
    if x.dtype.kind == "c":
        x = x.conj()
    inverse = {None: "forward", "backward": "forward", "ortho": "ortho", "forward": "backward"}
    if norm not in inverse:
        _scale(x, norm, 1, False)          # the error message
    return _c2r(x, n, axis, inverse[norm], "hfft", True)


def ihfft(a, n: int | None = None, axis: int = -1, norm: str | None = None) -> Array:
    """The inverse of ``hfft``: ``conj(rfft(a, n)) / n`` (for the default norm).

    >>> ihfft(asarray([8.0, -2.0, 0.0, -2.0])).real.tolist()
    [1.0, 2.0, 3.0]
    """
    inverse = {None: "forward", "backward": "forward", "ortho": "ortho", "forward": "backward"}
    if norm not in inverse:
        _scale(asarray(a), norm, 1, False)
    return _r2c(a, n, axis, inverse[norm], "ihfft", True).conj()


def fftn(a, s: Sequence[int] | None = None, axes: Sequence[int] | None = None,
         norm: str | None = None) -> Array:
    """N-dimensional DFT over ``axes`` (all by default; the last ``len(s)`` given ``s``).

    >>> fftn(asarray(np.ones((2, 2)))).real.tolist()
    [[4.0, 0.0], [0.0, 0.0]]
    """
    return _c2c(a, s, axes, norm, "fft", "fftn")


def ifftn(a, s: Sequence[int] | None = None, axes: Sequence[int] | None = None,
          norm: str | None = None) -> Array:
    """The inverse of ``fftn``.

    >>> ifftn(fftn(asarray(np.ones((2, 2))))).real.tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """
    return _c2c(a, s, axes, norm, "ifft", "ifftn")


def rfftn(a, s: Sequence[int] | None = None, axes: Sequence[int] | None = None,
          norm: str | None = None) -> Array:
    """N-dimensional DFT of a real input; the last of ``axes`` keeps ``n // 2 + 1`` terms.

    >>> rfftn(asarray(np.ones((2, 4)))).shape
    (2, 3)
    """
    return _r2c(a, s, axes, norm, "rfftn")


def irfftn(a, s: Sequence[int] | None = None, axes: Sequence[int] | None = None,
           norm: str | None = None) -> Array:
    """The inverse of ``rfftn``: a real array with lengths ``s`` over ``axes``.

    >>> irfftn(rfftn(asarray(np.ones((2, 3)))), s=(2, 3)).tolist()
    [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]
    """
    return _c2r(a, s, axes, norm, "irfftn")


def fft2(a, s: Sequence[int] | None = None, axes: Sequence[int] = (-2, -1),
         norm: str | None = None) -> Array:
    """``fftn`` over the last two axes.

    >>> fft2(asarray(np.ones((2, 2)))).real.tolist()
    [[4.0, 0.0], [0.0, 0.0]]
    """
    return _c2c(a, s, axes, norm, "fft", "fft2")


def ifft2(a, s: Sequence[int] | None = None, axes: Sequence[int] = (-2, -1),
          norm: str | None = None) -> Array:
    """``ifftn`` over the last two axes.

    >>> ifft2(fft2(asarray(np.ones((2, 2))))).real.tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """
    return _c2c(a, s, axes, norm, "ifft", "ifft2")


def rfft2(a, s: Sequence[int] | None = None, axes: Sequence[int] = (-2, -1),
          norm: str | None = None) -> Array:
    """``rfftn`` over the last two axes.

    >>> rfft2(asarray(np.ones((2, 4)))).shape
    (2, 3)
    """
    return _r2c(a, s, axes, norm, "rfft2")


def irfft2(a, s: Sequence[int] | None = None, axes: Sequence[int] = (-2, -1),
           norm: str | None = None) -> Array:
    """``irfftn`` over the last two axes.

    >>> irfft2(rfft2(asarray(np.ones((2, 4))))).shape
    (2, 4)
    """
    return _c2r(a, s, axes, norm, "irfft2")


def fftfreq(n: int, d: float = 1.0, *, dtype=None, device=None) -> Array:
    """The sample frequencies of an ``n``-point DFT with sample spacing ``d``.

    >>> fftfreq(4).tolist()
    [0.0, 0.25, -0.5, -0.25]
    """
    n = int(n)
    k = np.concatenate([np.arange(0, (n - 1) // 2 + 1), np.arange(-(n // 2), 0)])
    out = asarray(k / (n * d), dtype=dtype or np.float64)
    return out if device is None else device_put(out, device)


def rfftfreq(n: int, d: float = 1.0, *, dtype=None, device=None) -> Array:
    """The sample frequencies of ``rfft``: ``0, 1, ..., n // 2`` over ``n d``.

    >>> rfftfreq(4).tolist()
    [0.0, 0.25, 0.5]
    """
    n = int(n)
    out = asarray(np.arange(0, n // 2 + 1) / (n * d), dtype=dtype or np.float64)
    return out if device is None else device_put(out, device)


def _shift_axes(x, axes):
    if axes is None:
        return tuple(range(x.ndim))
    return (axes,) if isinstance(axes, int) else tuple(axes)


def fftshift(x, axes: int | Sequence[int] | None = None) -> Array:
    """Move the zero-frequency term to the centre (a ``roll`` by ``n // 2``).

    >>> fftshift(fftfreq(4)).tolist()
    [-0.5, -0.25, 0.0, 0.25]
    """
    x = asarray(x)
    axes = _shift_axes(x, axes)
    return roll(x, tuple(x.shape[a] // 2 for a in axes), axes) if axes else x


def ifftshift(x, axes: int | Sequence[int] | None = None) -> Array:
    """The inverse of ``fftshift`` (a ``roll`` by ``-(n // 2)``).

    >>> ifftshift(fftshift(fftfreq(5))).tolist() == fftfreq(5).tolist()
    True
    """
    x = asarray(x)
    axes = _shift_axes(x, axes)
    return roll(x, tuple(-(x.shape[a] // 2) for a in axes), axes) if axes else x

