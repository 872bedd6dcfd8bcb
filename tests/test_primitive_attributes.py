"""The properties a primitive declares for jit's simplifier and code generator
(``python_operator``, ``identity``, ``commutative``, ``noop_if_same_aval``, ``compose``,
``keeps_elements``) hold for its ``impl``: jit trusts them without checking."""
import numpy as np
import pytest

import fgrad.primitives  # noqa: F401  (registers every primitive)
from fgrad.primitives.core import REGISTRY

PRIMS = sorted(REGISTRY.values(), key=lambda p: p.name)
RNG = np.random.default_rng(0)
FLOATS = [0.0, -0.0, 1.5, -2.25, 3e300, -1e-310, np.inf, -np.inf, np.nan]


def _same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and \
        np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")


@pytest.mark.parametrize("prim", [p for p in PRIMS if p.python_operator], ids=str)
def test_python_operator_computes_the_impl_on_numpy_scalars_and_floats(prim):
    n = prim.python_operator.count("{}")
    for dt in (np.float32, np.float64, np.complex128):
        for _ in range(20):
            args = [dt(RNG.choice(FLOATS)) for _ in range(n)]
            with np.errstate(all="ignore"):
                want = prim.impl(np, *args)
                got = eval(prim.python_operator.format(*[f"a[{i}]" for i in range(n)]),
                           {"a": args})
            assert _same(got, want), (prim, args)
    if prim.python_operator_on_floats:
        for _ in range(40):
            args = [float(RNG.choice(FLOATS)) for _ in range(n)]
            with np.errstate(all="ignore"):
                want = prim.impl(np, *[np.float64(a) for a in args])
            got = eval(prim.python_operator.format(*[f"a[{i}]" for i in range(n)]), {"a": args})
            assert _same(np.float64(got), want), (prim, args)


@pytest.mark.parametrize("prim", [p for p in PRIMS if p.identity is not None], ids=str)
def test_identity_element(prim):
    for dt in (np.float32, np.float64, np.int64):
        x = (RNG.standard_normal(7) * 5).astype(dt)
        if dt is np.float64:
            x[:3] = [np.nan, -0.0, np.inf]
        unit = dt(prim.identity)
        with np.errstate(all="ignore"):
            outs = [prim.impl(np, x, unit)] + ([prim.impl(np, unit, x)] if prim.commutative
                                               else [])
        for out in outs:     # jit drops the op only where the output's dtype is x's
            if np.asarray(out).dtype == x.dtype:
                assert _same(out, x), (prim, dt)
        if dt is not np.int64:
            assert np.asarray(outs[0]).dtype == x.dtype, (prim, dt)


@pytest.mark.parametrize("prim", [p for p in PRIMS if p.commutative], ids=str)
def test_commutative(prim):
    for dt in (np.float64, np.int64, np.bool_):
        x, y = [(RNG.standard_normal(9) * 3).astype(dt) for _ in range(2)]
        try:
            with np.errstate(all="ignore"):
                xy = prim.impl(np, x, y)
        except TypeError:            # e.g. bitwise ops on floats
            continue
        assert _same(xy, prim.impl(np, y, x)), (prim, dt)


CASES = {   # primitive -> (input, params) with output aval == input aval, and one without
    "reshape": [((3, 4), {"new_shape": (3, 4)}), ((3, 4), {"new_shape": (4, 3)})],
    "broadcast_to": [((3, 4), {"shape": (3, 4)}), ((1, 4), {"shape": (3, 4)})],
    "convert_element_type": [((3,), {"dtype": np.dtype(np.float64)}),
                             ((3,), {"dtype": np.dtype(np.float32)})],
    "transpose": [((3, 3), {"perm": (0, 1)}), ((3, 3), {"perm": (1, 0)})],
    "slice": [((3, 4), {"starts": (0, 0), "stops": (3, 4), "steps": (1, 1)}),
              ((3, 4), {"starts": (1, 0), "stops": (3, 4), "steps": (1, 2)})],
}


@pytest.mark.parametrize("prim", [p for p in PRIMS if p.noop_if_same_aval], ids=str)
def test_noop_if_same_aval(prim):
    assert prim.name in CASES, f"add a case for {prim.name}"
    for shape, params in CASES[prim.name]:
        x = RNG.standard_normal(shape)
        out = np.asarray(prim.impl(np, x, **params))
        if out.shape == x.shape and out.dtype == x.dtype and prim.noop_if_same_aval(**params):
            assert _same(out, x), (prim, params)
    # a transpose of a square matrix keeps the aval but not the values
    if prim.name == "transpose":
        assert not prim.noop_if_same_aval(perm=(1, 0))


@pytest.mark.parametrize("prim", [p for p in PRIMS if p.compose], ids=str)
def test_compose_is_two_applications_in_one(prim):
    x = RNG.standard_normal((2, 3, 4))
    inner, outer = {"reshape": ({"new_shape": (6, 4)}, {"new_shape": (4, 3, 2)}),
                    "transpose": ({"perm": (2, 0, 1)}, {"perm": (1, 2, 0)})}[prim.name]
    twice = prim.impl(np, prim.impl(np, x, **inner), **outer)
    assert _same(prim.impl(np, x, **prim.compose(inner, outer)), twice)


@pytest.mark.parametrize("prim", [p for p in PRIMS if p.keeps_elements], ids=str)
def test_keeps_elements_in_order(prim):
    x = RNG.standard_normal((1, 4))
    params = {"reshape": {"new_shape": (2, 2)}, "broadcast_to": {"shape": (3, 4)}}[prim.name]
    out = np.asarray(prim.impl(np, x, **params)).reshape(-1)
    assert _same(out[:x.size], x.reshape(-1)) and set(out) <= set(x.reshape(-1))
