"""Spec rows for ``fgrad/primitives/binary.py``: broadcasting shapes, domains, ints and bools."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import fgrad.numpy as fnp
from fgrad.primitives import binary as B
from tests.checker import bools, broadcastable, floats, ints, shapes
from tests.specs import Spec


def _pair(a=lambda s: floats(s), b=lambda s: floats(s), n_dims=3):
    """Two arguments of mutually broadcastable shapes drawn by ``a(shape)`` and ``b(shape)``."""
    return lambda: broadcastable(2, max_dims=n_dims).flatmap(
        lambda shp: st.tuples(a(shp[0]), b(shp[1])))


def _same(a, b):
    """Two arguments of one shape."""
    return lambda: shapes().flatmap(lambda s: st.tuples(a(s), b(s)))


def _pos(s):
    return floats(s, 0.2, 3.0)


def _nonzero(s):
    return floats(s, -2.0, 2.0, avoid=(0.0,), margin=0.2)


def _off_integer_quotient(xy):
    """x = y * (k + f) with f in [0.15, 0.85]: x / y is never near an integer (no jumps)."""
    x, y = xy
    r = np.random.default_rng(int(np.abs(x).sum() * 1e6) % 2 ** 32)
    k = r.integers(-3, 3, size=np.broadcast_shapes(x.shape, y.shape))
    f = r.uniform(0.15, 0.85, size=k.shape)
    x_full = np.broadcast_to(y, k.shape) * (k + f)
    return x_full, y


def _quotient_args():
    return shapes(max_dims=2).flatmap(lambda s: st.tuples(floats(s), floats(s[-1:] if s else (), 0.5, 2.0)))\
        .map(_off_integer_quotient)


def _clamp_args():
    def build(s, lo_full, hi_full):
        return st.tuples(floats(s, -2.5, 2.5), floats(s if lo_full else (), -1.5, -0.5),
                         floats(s if hi_full else (), 0.5, 1.5)).map(_push_off_bounds)
    return st.tuples(shapes(), st.booleans(), st.booleans()).flatmap(lambda a: build(*a))


def _push_off_bounds(xlh):
    x, lo, hi = xlh
    x = np.where(np.abs(x - lo) < 0.1, lo - 0.2, x)
    x = np.where(np.abs(x - hi) < 0.1, hi + 0.2, x)
    return x, lo, hi


def _cmp_rows(name, fn, ref):
    return [
        Spec(name, fn, _pair(), ref, nondiff=True),
        Spec(name, fn, _pair(lambda s: ints(s, -2, 2), lambda s: ints(s, -2, 2)), ref,
             nondiff=True, id="int"),
        Spec(name, fn, _pair(lambda s: floats(s).map(np.round), lambda s: ints(s, -2, 2)), ref,
             nondiff=True, id="mixed"),
    ]


def _logic_rows(name, fn, ref):
    return [
        Spec(name, fn, _pair(bools, bools), ref, nondiff=True),
        Spec(name, fn, _pair(lambda s: floats(s).map(np.round), lambda s: ints(s, -1, 1)), ref,
             nondiff=True, id="numbers"),
    ]


def _bitwise_rows(name, fn, ref):
    return [
        Spec(name, fn, _pair(lambda s: ints(s, -50, 50), lambda s: ints(s, -50, 50)), ref,
             nondiff=True),
        Spec(name, fn, _pair(bools, bools), ref, nondiff=True, id="bool"),
        Spec(name, fn, _pair(lambda s: ints(s, 0, 255, np.uint8), lambda s: ints(s, 0, 255, np.uint8)),
             ref, nondiff=True, id="uint8"),
    ]


SPECS = [
    Spec("add", fnp.add, _pair(), np.add),
    Spec("add", lambda x: fnp.add(x, 2.5), lambda: st.tuples(floats(shapes())),
         lambda x: x + 2.5, id="pyscalar"),
    Spec("add", lambda x, y: x + y,
         _pair(lambda s: floats(s, dtype=np.float32), lambda s: floats(s, dtype=np.float32)),
         lambda x, y: x + y, id="float32", diff_argnums=(), rtol=1e-6),
    Spec("add", lambda x: x * 2.0 + 1, lambda: st.tuples(floats(shapes(), dtype=np.float32)),
         lambda x: x * np.float32(2.0) + np.float32(1), id="float32_weak_scalar",
         diff_argnums=(), rtol=1e-6),
    Spec("add", fnp.add, _pair(lambda s: floats(s), lambda s: ints(s)), np.add, id="float_int"),
    Spec("add", fnp.add, _pair(lambda s: ints(s), lambda s: ints(s)), np.add, id="int"),
    Spec("sub", fnp.subtract, _pair(), np.subtract),
    Spec("sub", lambda y: 1.5 - y, lambda: st.tuples(floats(shapes())), lambda y: 1.5 - y,
         id="reflected"),
    Spec("mul", fnp.multiply, _pair(), np.multiply),
    Spec("mul", lambda x: fnp.multiply(x, x), lambda: st.tuples(floats(shapes())),
         lambda x: x * x, id="same_input"),
    Spec("div", fnp.true_divide, _pair(b=_nonzero), np.true_divide),
    Spec("div", lambda y: 2.0 / y, lambda: st.tuples(_nonzero(shapes())), lambda y: 2.0 / y,
         id="reflected"),
    Spec("div", fnp.true_divide, _pair(lambda s: ints(s), lambda s: ints(s, 1, 4)),
         np.true_divide, id="int"),
    Spec("pow", fnp.power, _pair(_pos, lambda s: floats(s, -2.0, 2.0)), np.power),
    Spec("pow", lambda x: fnp.power(x, 3), lambda: st.tuples(floats(shapes())),
         lambda x: x ** 3, id="int_exponent"),
    Spec("pow", lambda x: fnp.power(x, 2.0), lambda: st.tuples(floats(shapes(), -1.0, 1.0)),
         lambda x: x ** 2.0, id="square_through_zero"),
    Spec("pow", lambda y: fnp.power(2.0, y), lambda: st.tuples(floats(shapes())),
         lambda y: 2.0 ** y, id="scalar_base"),
    Spec("pow", fnp.power, _pair(lambda s: ints(s, 0, 4), lambda s: ints(s, 0, 3)), np.power,
         id="int"),
    Spec("maximum", fnp.maximum, _pair(), np.maximum),
    Spec("maximum", lambda x: fnp.maximum(x, x), lambda: st.tuples(floats(shapes())),
         lambda x: x, id="ties", note="ties split the gradient: d max(x, x) = 1"),
    Spec("maximum", lambda x: fnp.maximum(x, 0.0), lambda: st.tuples(floats(shapes(), avoid=(0.0,))),
         lambda x: np.maximum(x, 0.0), id="relu"),
    Spec("minimum", fnp.minimum, _pair(), np.minimum),
    Spec("minimum", lambda x: fnp.minimum(x, x), lambda: st.tuples(floats(shapes())),
         lambda x: x, id="ties"),
    Spec("arctan2", fnp.arctan2, _pair(_nonzero, _nonzero), np.arctan2),
    Spec("hypot", fnp.hypot, _pair(_nonzero, _nonzero), np.hypot),
    Spec("hypot", lambda x: fnp.hypot(x, x), lambda: st.tuples(floats(shapes(), avoid=(0.0,))),
         lambda x: np.hypot(x, x), id="ties",
         note="|x| == |y|: the second derivative y^2/r^3 is not lost to a tie rule"),
    Spec("logaddexp", fnp.logaddexp, _pair(), np.logaddexp),
    Spec("logaddexp", lambda x: fnp.logaddexp(x, 0.0), lambda: st.tuples(floats(shapes(), -800.0, 800.0)),
         lambda x: np.logaddexp(x, 0.0), id="softplus", note="no overflow at |x| ~ 800"),
    Spec("remainder", fnp.remainder, _quotient_args, np.remainder),
    Spec("remainder", fnp.remainder, _pair(lambda s: ints(s, -9, 9), lambda s: ints(s, 1, 4)),
         np.remainder, id="int"),
    Spec("nextafter", fnp.nextafter, _pair(), np.nextafter,
         note="as a real function nextafter(x, y) = x: d/dx = 1, d/dy = 0"),
    Spec("floor_divide", fnp.floor_divide, _quotient_args, np.floor_divide, nondiff=True),
    Spec("floor_divide", fnp.floor_divide,
         _pair(lambda s: ints(s, -9, 9), lambda s: ints(s, 1, 4)), np.floor_divide,
         nondiff=True, id="int"),
    *_cmp_rows("equal", fnp.equal, np.equal),
    *_cmp_rows("not_equal", fnp.not_equal, np.not_equal),
    *_cmp_rows("less", fnp.less, np.less),
    *_cmp_rows("less_equal", fnp.less_equal, np.less_equal),
    *_cmp_rows("greater", fnp.greater, np.greater),
    *_cmp_rows("greater_equal", fnp.greater_equal, np.greater_equal),
    Spec("less", lambda x: x < 0.5, lambda: st.tuples(floats(shapes())), lambda x: x < 0.5,
         nondiff=True, id="operator"),
    *_logic_rows("logical_and", fnp.logical_and, np.logical_and),
    *_logic_rows("logical_or", fnp.logical_or, np.logical_or),
    *_logic_rows("logical_xor", fnp.logical_xor, np.logical_xor),
    *_bitwise_rows("bitwise_and", fnp.bitwise_and, np.bitwise_and),
    *_bitwise_rows("bitwise_or", fnp.bitwise_or, np.bitwise_or),
    *_bitwise_rows("bitwise_xor", fnp.bitwise_xor, np.bitwise_xor),
    Spec("left_shift", fnp.left_shift, _pair(lambda s: ints(s, -50, 50), lambda s: ints(s, 0, 5)),
         np.left_shift, nondiff=True),
    Spec("right_shift", fnp.right_shift,
         _pair(lambda s: ints(s, -50, 50), lambda s: ints(s, 0, 5)), np.right_shift,
         nondiff=True),
    Spec("right_shift", lambda x: x >> 1 if False else fnp.right_shift(x, 1),
         lambda: st.tuples(ints(shapes(), 0, 255, np.uint8)), lambda x: x >> 1,
         nondiff=True, id="uint8_pyscalar"),
    Spec("select", fnp.where,
         lambda: broadcastable(3).flatmap(lambda s: st.tuples(bools(s[0]), floats(s[1]), floats(s[2]))),
         np.where),
    Spec("select", lambda c, x: fnp.where(c, x, 0.0),
         lambda: broadcastable(2).flatmap(lambda s: st.tuples(bools(s[0]), floats(s[1]))),
         lambda c, x: np.where(c, x, 0.0), id="scalar_branch"),
    Spec("select", fnp.where,
         lambda: broadcastable(3).flatmap(lambda s: st.tuples(bools(s[0]), ints(s[1]), ints(s[2]))),
         np.where, id="int"),
    Spec("clamp", lambda x, lo, hi: B.clamp_p.bind(x, lo, hi), _clamp_args,
         lambda x, lo, hi: np.minimum(np.maximum(x, lo), hi)),
]
