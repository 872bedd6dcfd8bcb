"""``convolve`` and ``correlate`` of 1-D arrays (NumPy's modes), as one
``conv_general_dilated`` (JAX's construction): differentiable in both inputs."""
from __future__ import annotations

import numpy as np

from ..primitives import convolution as P, shape as S
from ._core import asarray

__all__ = ["convolve", "correlate"]


def _conv1d(a, v, mode: str, op: str):
    a, v = asarray(a), asarray(v)
    if a.ndim != 1 or v.ndim != 1:
        raise ValueError(f"{op}() only support 1-dimensional inputs, got shapes {a.shape} "
                         f"and {v.shape}")
    if a.shape[0] == 0 or v.shape[0] == 0:
        raise ValueError(f"{op}: inputs cannot be empty, got shapes {a.shape} and {v.shape}")
    reverse = False
    if op == "correlate":
        if np.dtype(v.dtype).kind == "c":
            v = v.conj()
        if a.shape[0] < v.shape[0]:
            a, v, reverse = v, a, True
    else:
        if a.shape[0] < v.shape[0]:
            a, v = v, a
        v = S.flip(v, (0,))
    k = v.shape[0]
    pads = {"valid": (0, 0), "same": (k // 2, k - k // 2 - 1), "full": (k - 1, k - 1)}
    if mode not in pads:
        raise ValueError(f"mode must be one of ['full', 'same', 'valid'], got {mode!r}")
    out = P.conv(S.reshape(a, (1, 1, a.shape[0])), S.reshape(v, (1, 1, k)), (1,),
                 (pads[mode],), (1,), (1,))
    out = S.reshape(out, (out.shape[2],))
    return S.flip(out, (0,)) if reverse else out


def convolve(a, v, mode: str = "full"):
    """Discrete linear convolution of two 1-D arrays (``numpy.convolve``; modes
    ``'full'``, ``'same'``, ``'valid'``).

    >>> import fgrad.numpy as fnp
    >>> fnp.convolve(fnp.asarray([1.0, 2.0, 3.0]), fnp.asarray([0.0, 1.0, 0.5])).tolist()
    [0.0, 1.0, 2.5, 4.0, 1.5]
    """
    return _conv1d(a, v, mode, "convolve")


def correlate(a, v, mode: str = "valid"):
    """Cross-correlation of two 1-D arrays, ``c[k] = sum_n a[n + k] * conj(v[n])``
    (``numpy.correlate``; ``'valid'`` by default).

    >>> import fgrad.numpy as fnp
    >>> fnp.correlate(fnp.asarray([1.0, 2.0, 3.0]), fnp.asarray([0.0, 1.0, 0.5]), "full").tolist()
    [0.5, 2.0, 3.5, 3.0, 0.0]
    """
    return _conv1d(a, v, mode, "correlate")
