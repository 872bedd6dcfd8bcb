"""Spec rows for the complex paths of element-wise primitives (``abs real imag conj``,
``convert_element_type`` and the holomorphic ops), in the real view.

The checker compares real arrays, so each row takes two real arrays ``a, b``, builds
``z = a + 1j b``, applies the op and returns ``(real(w), imag(w))``. A function
R^2n -> R^2m is convention-free, so finite differences check the complex JVP rules
and the transposes (JAX's: ``real^T ct = ct + 0j``, ``imag^T ct = -1j ct``, ``mul^T ct
= ct y``) together; ``tests/test_fft.py`` compares complex gradients with JAX's.
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


def _pair(lo, hi, avoid=()):
    return lambda: shapes(max_dims=2).flatmap(
        lambda s: st.tuples(floats(s, lo, hi, avoid), floats(s, lo, hi, avoid)))


def _row(prim, f, nf, lo=-2.0, hi=2.0, avoid=(), **kw):
    return Spec(prim, lambda a, b: _split(f(a + 1j * b)), _pair(lo, hi, avoid),
                lambda a, b: _nsplit(nf(a + 1j * b)), id="complex", **kw)


SPECS = [
    _row("abs", fnp.abs, np.abs, 0.2, 2.0),
    _row("real", fnp.real, np.real),
    _row("imag", fnp.imag, np.imag),
    _row("conj", fnp.conj, np.conj),
    _row("exp", fnp.exp, np.exp),
    _row("log", fnp.log, np.log, 0.2, 2.0),
    _row("sqrt", fnp.sqrt, np.sqrt, 0.2, 2.0),
    _row("sin", fnp.sin, np.sin),
    _row("mul", lambda z: z * fnp.conj(z) * z, lambda z: z * np.conj(z) * z),
    _row("div", lambda z: (z + 3.0) / (z * z + 5.0), lambda z: (z + 3.0) / (z * z + 5.0)),
    _row("convert_element_type", lambda z: fnp.astype(fnp.astype(z, np.complex64), np.complex128),
         lambda z: z.astype(np.complex64).astype(np.complex128), rtol=1e-4, atol=1e-5,
         fd_eps=1e-2, note="complex64 rounding limits the finite differences"),
]
