"""Spec rows for ``fgrad/primitives/linalg.py``.

Every row draws *unconstrained* small entries ``x`` (in [-0.4, 0.4]) and builds
a well-conditioned matrix from them inside ``fn`` (and the same way in the
NumPy reference): a diagonally dominant ``x + c I`` (invertible, and positive
definite once symmetrised), or ``x + D`` with a spread-out diagonal ``D`` so
that eigenvalues / singular values are distinct and far from zero. Building
inside ``fn`` keeps every matrix the checker makes (finite-difference steps,
permuted vmap batches) well-conditioned.

Outputs whose signs are arbitrary (eigenvectors, singular vectors, Q and R)
are normalised in ``fn`` by the signs of their diagonals, which are far from
zero for these matrices: the checked functions are gauge-invariant.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import fgrad.numpy as fnp
from fgrad.primitives import linalg as PL
from tests.checker import floats
from tests.specs import Spec

LO, HI = -0.4, 0.4


# ------------------------------------------------------------------ shapes --
def _batch():
    return st.lists(st.integers(1, 2), max_size=1).map(tuple)


def _square(n_min=1, n_max=4):
    return st.tuples(_batch(), st.integers(n_min, n_max)).map(lambda bn: bn[0] + (bn[1], bn[1]))


def _rect(tall=None):
    """(..., m, n) with m >= n (tall=True), m <= n (False) or either (None)."""
    def shape(b, m, n):
        if tall is True and m < n or tall is False and m > n:
            m, n = n, m
        return b + (m, n)
    return st.tuples(_batch(), st.integers(1, 4), st.integers(1, 4)).map(lambda t: shape(*t))


def _one(shape_st):
    return lambda: st.tuples(floats(shape_st, LO, HI))


# ------------------------------------------- matrix builders (fgrad and NumPy) --
def _mod(x):
    return np if isinstance(x, np.ndarray) else fnp


def _const(m, arr, x):
    """A constant in x's dtype, on x's device."""
    if m is np:
        return np.asarray(arr, dtype=x.dtype)
    return fnp.asarray(np.asarray(arr), dtype=x.dtype, device=x.device)


def _eye(m, x):
    return _const(m, np.eye(x.shape[-1]), x)


def _dominant(x, c=2.0):
    """x + c I: Gershgorin keeps its eigenvalues >= c - 1.6 > 0 for n <= 4."""
    return x + c * _eye(_mod(x), x)


def _signed_dominant(x):
    """x + 2 diag(1, -1, 1, ...): invertible, determinants of both signs."""
    m = _mod(x)
    signs = _const(m, [(-1.0) ** i for i in range(x.shape[-1])], x)
    return x + 2.0 * _eye(m, x) * signs


def _spread(x, step=4.0, descending=False):
    """x + D with D[k, k] = step * (k + 1) (or descending): distinct, separated spectra."""
    m = _mod(x)
    k = min(x.shape[-2:])
    vals = np.arange(1, k + 1, dtype=np.float64) * step
    d = np.zeros(x.shape[-2:])
    d[np.arange(k), np.arange(k)] = vals[::-1] if descending else vals - step
    return x + _const(m, d, x)


def _sym(x):
    return (x + _mod(x).swapaxes(x, -1, -2)) / 2


def _diag_signs(m, a):
    return m.sign(m.diagonal(a, axis1=-2, axis2=-1))


# ------------------------------------------------------------------- fns --
def _solve_args(vector_b=False, broadcast=False):
    def make(nk):
        n, k = nk
        a_shape = (2, n, n) if broadcast else (n, n)
        b_shape = (n,) if vector_b else (n, k)
        return st.tuples(floats(a_shape, LO, HI), floats(b_shape, -2.0, 2.0))
    return lambda: st.tuples(st.integers(1, 4), st.integers(1, 3)).flatmap(make)


def _solve(a, b):
    return _mod(a).linalg.solve(_dominant(a), b)


def _eigh(uplo, symmetrize):
    def f(x):
        m = _mod(x)
        a = _spread(x)
        if m is np:
            w, v = np.linalg.eigh(_sym(a) if symmetrize else a, UPLO=uplo)
        else:
            w, v = fnp.linalg.eigh(a, UPLO=uplo, symmetrize_input=symmetrize)
        return w, v * m.expand_dims(_diag_signs(m, v), -2)
    return f


def _svd(full_matrices):
    def f(x):
        m = _mod(x)
        u, s, vh = m.linalg.svd(_spread(x, descending=True), full_matrices=full_matrices)
        sg = _diag_signs(m, u)          # (full_matrices rows are square: U is k x k)
        return u * m.expand_dims(sg, -2), s, vh * m.expand_dims(sg, -1)
    return f


def _qr(mode):
    def f(x):
        m = _mod(x)
        a = x + 3.0 * _const(m, np.eye(*x.shape[-2:]), x)
        if mode == "r":
            r = m.linalg.qr(a, mode="r")
            return r * m.expand_dims(_diag_signs(m, r), -1)
        q, r = m.linalg.qr(a, mode=mode)
        sg = _diag_signs(m, r)
        return q * m.expand_dims(sg, -2), r * m.expand_dims(sg, -1)
    return f


SPECS = [
    # inv, det, slogdet
    Spec("inv", lambda x: _mod(x).linalg.inv(_dominant(x)), _one(_square()),
         lambda x: np.linalg.inv(_dominant(x))),
    Spec("det", lambda x: _mod(x).linalg.det(_signed_dominant(x)), _one(_square()),
         lambda x: np.linalg.det(_signed_dominant(x))),
    Spec("slogdet", lambda x: tuple(_mod(x).linalg.slogdet(_signed_dominant(x))), _one(_square()),
         lambda x: tuple(np.linalg.slogdet(_signed_dominant(x)))),
    # solve: matrix b, vector b, broadcast leading axes
    Spec("solve", _solve, _solve_args(), _solve),
    Spec("solve", _solve, _solve_args(vector_b=True), _solve, id="vector_b"),
    Spec("solve", _solve, _solve_args(broadcast=True), _solve, id="broadcast"),
    # cholesky: symmetrised input (default), the primitive's lower-triangle reading, upper
    Spec("cholesky", lambda x: _mod(x).linalg.cholesky(_dominant(x, 3.0)), _one(_square()),
         lambda x: np.linalg.cholesky(_sym(_dominant(x, 3.0))), id="symmetrized"),
    Spec("cholesky", lambda x: PL.cholesky_p.bind(_dominant(x, 3.0)), _one(_square()),
         lambda x: np.linalg.cholesky(_dominant(x, 3.0)), id="lower_triangle",
         note="the primitive itself, reading only the lower triangle (NumPy's semantics)"),
    Spec("cholesky", lambda x: _mod(x).linalg.cholesky(_sym(_dominant(x, 3.0)), upper=True),
         _one(_square()), lambda x: np.linalg.cholesky(_sym(_dominant(x, 3.0)), upper=True),
         id="upper"),
    # eigh: symmetrised (default), NumPy's one-triangle reading (L and U), eigenvalues only
    Spec("eigh", _eigh("L", True), _one(_square()), _eigh("L", True), id="symmetrized"),
    Spec("eigh", _eigh("L", False), _one(_square()), _eigh("L", False), id="lower"),
    Spec("eigh", _eigh("U", False), _one(_square()), _eigh("U", False), id="upper"),
    Spec("eigh", lambda x: _mod(x).linalg.eigvalsh(_spread(x)), _one(_square()),
         lambda x: np.linalg.eigvalsh(_sym(_spread(x))), id="eigvalsh"),
    # svd: square / tall / wide, batched; compute_uv=False; full_matrices=True (square)
    Spec("svd", _svd(False), _one(_rect()), _svd(False), id="reduced"),
    Spec("svd", _svd(True), _one(_square()), _svd(True), id="full_square"),
    Spec("svd", lambda x: _mod(x).linalg.svd(_spread(x, descending=True), compute_uv=False),
         _one(_rect()), lambda x: np.linalg.svd(_spread(x, descending=True), compute_uv=False),
         id="values"),
    # qr: square and tall (reduced), mode='r', complete (square)
    Spec("qr", _qr("reduced"), _one(_rect(tall=True)), _qr("reduced"), id="reduced"),
    Spec("qr", _qr("r"), _one(_rect(tall=True)), _qr("r"), id="r"),
    Spec("qr", _qr("complete"), _one(_square()), _qr("complete"), id="complete_square"),
    # pinv: square / tall / wide, batched
    Spec("pinv", lambda x: _mod(x).linalg.pinv(_spread(x, descending=True)), _one(_rect()),
         lambda x: np.linalg.pinv(_spread(x, descending=True))),
]


# ---- lu (partial pivoting); the anti-diagonal spread makes every step pivot -----------
def _anti(x):
    m = _mod(x)
    n = x.shape[-1]
    d = np.zeros((n, n))
    d[np.arange(n), np.arange(n)[::-1]] = np.arange(1, n + 1) * 2.0
    return x + _const(m, d, x)


def _lu_ref(x):
    """LU with partial pivoting, one matrix at a time (Doolittle, written out)."""
    a = _anti(x)
    n = a.shape[-1]
    flat = a.reshape(-1, n, n)
    lus, pivs, perms = [], [], []
    for m in flat:
        m = m.copy()
        perm, piv = np.arange(n), np.zeros(n, np.int32)
        for k in range(n):
            p = k + int(np.argmax(np.abs(m[k:, k])))
            piv[k] = p
            m[[k, p]] = m[[p, k]]
            perm[[k, p]] = perm[[p, k]]
            m[k + 1:, k] /= m[k, k]
            m[k + 1:, k + 1:] -= np.outer(m[k + 1:, k], m[k, k + 1:])
        lus.append(m), pivs.append(piv), perms.append(perm.astype(np.int32))
    shp = a.shape[:-2]
    return (np.array(lus).reshape(a.shape), np.array(pivs).reshape(shp + (n,)),
            np.array(perms).reshape(shp + (n,)))


SPECS += [
    Spec("lu", lambda x: PL.lu_p.bind(_anti(x)), _one(_square()), _lu_ref),
]
