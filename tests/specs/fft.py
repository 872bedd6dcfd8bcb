"""Spec rows for ``fgrad/primitives/fft.py``: the ``fft`` primitive through ``fgrad.numpy.fft``.

The checker compares real arrays, so a complex input is built from two real arrays
(``a + 1j b``) and a complex output is returned as ``(real, imag)``: finite
differences of this real view check the JVP and the transposes (including the
Hermitian weighting of ``irfft``'s) whatever the complex convention;
``tests/test_fft.py`` compares complex gradients with JAX's.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import fgrad.numpy as fnp
from tests.checker import floats, shapes
from tests.specs import Spec


def _split(w):
    return fnp.real(w), fnp.imag(w)


def _nsplit(w):
    return np.real(w), np.imag(w)


def _pair(min_dims=1, min_side=1):
    return lambda: shapes(min_dims=min_dims, max_dims=3, min_side=min_side).flatmap(
        lambda s: st.tuples(floats(s), floats(s)))


def _real(min_dims=1):
    return lambda: st.tuples(floats(shapes(min_dims=min_dims, max_dims=3)))


def _c2c(name, **kw):
    f, nf = getattr(fnp.fft, name), getattr(np.fft, name)
    return Spec("fft", lambda a, b: _split(f(a + 1j * b, **kw)),
                _pair(2 if name.endswith("2") else 1),
                lambda a, b: _nsplit(nf(a + 1j * b, **kw)), id=f"{name}-{kw}")


def _r2c(name, **kw):
    f, nf = getattr(fnp.fft, name), getattr(np.fft, name)
    return Spec("fft", lambda x: _split(f(x, **kw)), _real(2 if name.endswith("2") else 1),
                lambda x: _nsplit(nf(x, **kw)), id=f"{name}-{kw}")


def _c2r(name, **kw):
    f, nf = getattr(fnp.fft, name), getattr(np.fft, name)
    # (a length-1 last axis has no default output length, as in NumPy)
    return Spec("fft", lambda a, b: f(a + 1j * b, **kw),
                _pair(2 if name.endswith("2") or "axes" in kw else 1, min_side=2),
                lambda a, b: nf(a + 1j * b, **kw), id=f"{name}-{kw}")


SPECS = [
    _c2c("fft"),
    _c2c("fft", n=5, norm="ortho"),
    _c2c("fft", axis=0, norm="forward"),
    _c2c("ifft"),
    _c2c("ifft", n=3, norm="ortho"),
    _c2c("fftn"),
    _c2c("ifftn", norm="forward"),
    _c2c("fft2", s=(3, 2)),
    _c2c("ifft2"),
    _r2c("rfft"),
    _r2c("rfft", n=6, axis=0, norm="ortho"),
    _r2c("rfftn"),
    _r2c("rfft2", norm="forward"),
    _r2c("ihfft"),
    _c2r("irfft"),
    _c2r("irfft", n=5),
    _c2r("irfft", n=4, axis=0, norm="ortho"),
    _c2r("irfftn", s=(3, 4), axes=(0, -1)),
    _c2r("irfft2", s=(2, 3), norm="forward"),
    _c2r("hfft", n=5),
    Spec("fft", lambda x: _split(fnp.fft.fft(x)), _real(),
         lambda x: _nsplit(np.fft.fft(x)), id="fft-of-real"),
]
