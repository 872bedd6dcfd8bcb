"""Spec rows for ``fgrad/primitives/eig.py`` in the real view: ``(Re w, Im w, Re v, Im v)``.

Matrices are built inside ``fn`` from small entries (as ``tests/specs/linalg.py`` does):
a spread diagonal gives distinct real eigenvalues; a ``[[0, -4], [1, 0]]`` block gives a
complex pair whose eigenvectors have components of distinct magnitudes (so LAPACK's
normalisation, through the largest component, is smooth nearby).
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import fgrad.numpy as fnp
from fgrad.primitives.eig import eig_p
from tests.checker import floats
from tests.specs import Spec
from tests.specs.linalg import LO, HI, _const, _mod


def _shape(n_min):
    return st.tuples(st.lists(st.integers(1, 2), max_size=1).map(tuple),
                     st.integers(n_min, 4)).map(lambda bn: bn[0] + (bn[1], bn[1]))


def _build(x, rotation):
    n = x.shape[-1]
    d = np.diag(np.arange(1, n + 1) * 3.0)
    if rotation:
        d[:2, :2] = [[0.0, -4.0], [1.0, 0.0]]
    return x + _const(_mod(x), d, x)


def _gauge(v, xp):
    """Each eigenvector times the conjugate phase of its diagonal entry: LAPACK leaves the
    sign (real) or phase of an eigenvector free, and may pick another one at a nearby
    matrix, which finite differences would read as a jump. The matrices here are
    diagonally dominant, so the diagonal entries stay far from 0 and the gauge is smooth."""
    d = xp.diagonal(v, axis1=-2, axis2=-1)
    phase = d / xp.abs(d)
    return v * xp.conj(phase)[..., None, :]


def _fn(rotation):
    def f(x):
        w, v = eig_p.bind(_build(x, rotation))
        v = _gauge(v, fnp)
        return fnp.real(w), fnp.imag(w), fnp.real(v), fnp.imag(v)
    return f


def _ref(rotation):
    def f(x):
        w, v = np.linalg.eig(_build(x, rotation))
        w, v = w.astype(np.complex128), _gauge(v.astype(np.complex128), np)
        return w.real, w.imag, v.real, v.imag
    return f


SPECS = [
    Spec("eig", _fn(False), lambda: st.tuples(floats(_shape(1), LO, HI)), _ref(False), id="real"),
    Spec("eig", _fn(True), lambda: st.tuples(floats(_shape(2), LO, HI)), _ref(True),
         id="complex_pair"),
    Spec("eig", lambda x: fnp.real(fnp.linalg.eigvals(_build(x, True)) ** 2),
         lambda: st.tuples(floats(_shape(2), LO, HI)),
         lambda x: np.real(np.linalg.eigvals(_build(x, True)).astype(np.complex128) ** 2),
         id="eigvals"),
]
