"""Spec rows for ``fgrad/primitives/special.py``: special functions and the random bit ops.

References: SciPy where installed (``math.erf``/``math.lgamma`` pointwise otherwise);
Threefry against a scalar pure-Python implementation written from the paper's round
structure (independent of the vectorised ``impl``).
"""
from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

from fgrad.primitives import special as P
from tests.checker import broadcastable, floats, ints, shapes
from tests.specs import Spec

try:
    import scipy.special as _sc
except ImportError:  # pragma: no cover
    _sc = None


def _one(strategy):
    return lambda: st.tuples(strategy)


def _vec(f):
    return lambda x: np.vectorize(f, otypes=[np.float64])(x)


_REF = {
    "erf": _sc.erf if _sc else _vec(math.erf),
    "erfc": _sc.erfc if _sc else _vec(math.erfc),
    "lgamma": _sc.gammaln if _sc else _vec(lambda v: math.lgamma(v)),
    "erf_inv": _sc.erfinv if _sc else None,
    "digamma": _sc.digamma if _sc else None,
    "polygamma": _sc.polygamma if _sc else None,
}
_NOTE = "" if _sc else "SciPy not installed: values are checked in tests/test_special.py"


def _row(prim, fn, ref, lo, hi, avoid=(), **kw):
    return Spec(prim, fn, _one(floats(shapes(), lo, hi, avoid)), ref, note=_NOTE, **kw)


def _threefry_ref(k1, k2, x1, x2):
    """Threefry-2x32 (20 rounds), one element at a time in Python integers."""
    M = 0xFFFFFFFF
    k1, k2, x1, x2 = np.broadcast_arrays(k1, k2, x1, x2)
    o1 = np.empty(k1.shape, np.uint32)
    o2 = np.empty(k1.shape, np.uint32)
    rot = ((13, 15, 26, 6), (17, 29, 16, 24))
    for idx in np.ndindex(k1.shape):
        a, b = int(k1[idx]), int(k2[idx])
        ks = (a, b, a ^ b ^ 0x1BD11BDA)
        v0, v1 = (int(x1[idx]) + ks[0]) & M, (int(x2[idx]) + ks[1]) & M
        for i in range(5):
            for r in rot[i % 2]:
                v0 = (v0 + v1) & M
                v1 = ((v1 << r) | (v1 >> (32 - r))) & M
                v1 ^= v0
            v0 = (v0 + ks[(i + 1) % 3]) & M
            v1 = (v1 + ks[(i + 2) % 3] + i + 1) & M
        o1[idx], o2[idx] = v0, v1
    return o1, o2


def _uint32(s):
    return ints(s, 0, 2 ** 32 - 1, np.uint32)


def _threefry_args():
    return broadcastable(4, max_dims=2).flatmap(
        lambda shp: st.tuples(*[_uint32(s) for s in shp]))


def _argsort_axis(axis):
    return lambda x: P.stable_argsort_p.bind(x, axis=axis)


SPECS = [
    _row("erf", lambda x: P.erf_p.bind(x), _REF["erf"], -3.0, 3.0),
    _row("erfc", lambda x: P.erfc_p.bind(x), _REF["erfc"], -3.0, 3.0),
    _row("erf_inv", lambda x: P.erf_inv_p.bind(x), _REF["erf_inv"], -0.9, 0.9),
    _row("lgamma", lambda x: P.lgamma_p.bind(x), _REF["lgamma"], 0.1, 6.0),
    Spec("lgamma", lambda x: P.lgamma_p.bind(x),
         _one(floats(shapes(), -2.9, -0.1, avoid=(-2.0, -1.0), margin=0.1)), _REF["lgamma"],
         note=_NOTE, id="negative", rtol=1e-4),
    _row("digamma", lambda x: P.digamma_p.bind(x), _REF["digamma"], 0.2, 6.0),
    Spec("digamma", lambda x: P.digamma_p.bind(x),
         _one(floats(shapes(), -2.8, -0.2, avoid=(-2.0, -1.0), margin=0.2)), _REF["digamma"],
         note=_NOTE, id="negative", rtol=1e-4),
    _row("polygamma", lambda x: P.polygamma_p.bind(x, n=1),
         (lambda x: _REF["polygamma"](1, x)) if _sc else None, 0.3, 6.0, id="n1"),
    _row("polygamma", lambda x: P.polygamma_p.bind(x, n=2),
         (lambda x: _REF["polygamma"](2, x)) if _sc else None, 0.3, 6.0, id="n2", rtol=1e-4),
    Spec("threefry2x32", lambda *a: P.threefry2x32_p.bind(*a), _threefry_args, _threefry_ref,
         nondiff=True),
    Spec("bitcast_convert_type", lambda x: P.bitcast_convert_type_p.bind(x, dtype=np.uint64),
         _one(floats(shapes())), lambda x: x.view(np.uint64), nondiff=True),
    Spec("bitcast_convert_type", lambda x: P.bitcast_convert_type_p.bind(x, dtype=np.float32),
         _one(ints(shapes(), 0, 2 ** 30, np.uint32)), lambda x: x.view(np.float32),
         nondiff=True, id="u32_to_f32"),
    Spec("stable_argsort", _argsort_axis(-1), _one(floats(shapes(min_dims=1))),
         lambda x: np.argsort(x, axis=-1, kind="stable"), nondiff=True),
    Spec("stable_argsort", _argsort_axis(0), _one(ints(shapes(min_dims=1), 0, 3)),
         lambda x: np.argsort(x, axis=0, kind="stable"), nondiff=True, id="ties_axis0"),
]

# ---- incomplete gamma (derivative in x only: a's is not implemented) and Bessel ----
_REF.update({
    "gammainc": _sc.gammainc if _sc else None, "gammaincc": _sc.gammaincc if _sc else None,
    "i0e": _sc.i0e if _sc else None, "i1e": _sc.i1e if _sc else None,
    "i0": _sc.i0 if _sc else None,
})


def _igamma_grad_a_ref(a, x, h=1e-5):
    """d/da of SciPy's gammainc by central differences (accurate to about 1e-9 here)."""
    return (_sc.gammainc(a + h, x) - _sc.gammainc(a - h, x)) / (2 * h)


_REF["igamma_grad_a"] = _igamma_grad_a_ref if _sc else None


def _igamma_args():
    return broadcastable(2, max_dims=2).flatmap(
        lambda shp: st.tuples(floats(shp[0], 0.3, 6.0), floats(shp[1], 0.1, 12.0)))


SPECS += [
    Spec("igamma", lambda a, x: P.igamma_p.bind(a, x), _igamma_args, _REF["gammainc"],
         diff_argnums=(1,), note=_NOTE, rtol=1e-9),
    Spec("igammac", lambda a, x: P.igammac_p.bind(a, x), _igamma_args, _REF["gammaincc"],
         diff_argnums=(1,), note=_NOTE, rtol=1e-9),
    # in a: first order only (igamma_grad_a has no rule in a, as in JAX)
    Spec("igamma", lambda a, x: P.igamma_p.bind(a, x), _igamma_args, _REF["gammainc"],
         diff_argnums=(0,), second_order=False, note=_NOTE, rtol=1e-9, id="a"),
    Spec("igammac", lambda a, x: P.igammac_p.bind(a, x), _igamma_args, _REF["gammaincc"],
         diff_argnums=(0,), second_order=False, note=_NOTE, rtol=1e-9, id="a"),
    Spec("igamma_grad_a", lambda a, x: P.igamma_grad_a_p.bind(a, x), _igamma_args,
         _REF["igamma_grad_a"], diff_argnums=(1,), note=_NOTE or "derivative in x only",
         rtol=1e-6, atol=1e-9),
    _row("bessel_i0e", lambda x: P.i0e_p.bind(x), _REF["i0e"], -25.0, 25.0, avoid=(0.0,)),
    _row("bessel_i1e", lambda x: P.i1e_p.bind(x), _REF["i1e"], -25.0, 25.0, avoid=(0.0,)),
    _row("bessel_i0", lambda x: P.i0_p.bind(x), _REF["i0"], -10.0, 10.0),
]

# ---- Hurwitz zeta (derivative in q) and the incomplete beta function (derivative in x) ----
_REF.update({"zeta": _sc.zeta if _sc else None, "betainc": _sc.betainc if _sc else None})


def _zeta_args():
    return broadcastable(2, max_dims=2).flatmap(
        lambda shp: st.tuples(floats(shp[0], 1.5, 5.0), floats(shp[1], 0.3, 4.0)))


def _betainc_args():
    return broadcastable(3, max_dims=2).flatmap(
        lambda shp: st.tuples(floats(shp[0], 0.5, 6.0), floats(shp[1], 0.5, 6.0),
                              floats(shp[2], 0.05, 0.95)))


SPECS += [
    Spec("zeta", lambda x, q: P.zeta_p.bind(x, q), _zeta_args, _REF["zeta"],
         diff_argnums=(1,), note=_NOTE or "derivative in q only (x's raises)", rtol=1e-9),
    Spec("betainc", lambda a, b, x: P.betainc_p.bind(a, b, x), _betainc_args, _REF["betainc"],
         diff_argnums=(2,), note=_NOTE or "derivative in x only (a's and b's raise)",
         rtol=1e-9),
]
