"""Spec rows for ``fgrad/primitives/reductions.py``: axis / keepdims variants, ties, zeros."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import fgrad.numpy as fnp
from tests.checker import bools, floats, ints, shapes
from tests.specs import Spec

# (id, axis, keepdims, min_dims): every axis form the wrappers accept
_AXES = [
    ("all", None, False, 0),
    ("axis0", 0, False, 1),
    ("neg1_keepdims", -1, True, 1),
    ("tuple", (0, 2), False, 3),
    ("neg_tuple_keepdims", (-1, -2), True, 2),
]


def _one(strategy):
    return lambda: st.tuples(strategy)


def _with_a_zero(x):
    x = x.copy()
    x.flat[len(x.flat) // 2] = 0.0
    return x


def _reduce_rows(prim, fwrap, npf, make=lambda s: floats(s), dtype_rows=True, **kw):
    rows = [Spec(prim, (lambda x, a=a, k=k: fwrap(x, axis=a, keepdims=k)),
                 _one(make(shapes(min_dims=md, max_side=3))),
                 (lambda x, a=a, k=k: npf(x, axis=a, keepdims=k)), id=i, **kw)
            for i, a, k, md in _AXES]
    return rows


def _arg_rows(prim, fwrap, npf):
    return [Spec(prim, (lambda x, a=a, k=k: fwrap(x, axis=a, keepdims=k)),
                 _one(floats(shapes(min_dims=md, max_side=4))),
                 (lambda x, a=a, k=k: npf(x, axis=a, keepdims=k)), nondiff=True, id=i)
            for i, a, k, md in [("flat", None, False, 0), ("axis0", 0, False, 1),
                                ("neg1_keepdims", -1, True, 2)]]


def _scan_rows(prim, fwrap, npf, make=lambda s: floats(s, 0.5, 1.5)):
    return [Spec(prim, (lambda x, a=a: fwrap(x, axis=a)),
                 _one(make(shapes(min_dims=md, max_side=4))),
                 (lambda x, a=a: npf(x, axis=a)), id=i)
            for i, a, md in [("flat", None, 0), ("axis0", 0, 1), ("neg1", -1, 2)]]


SPECS = [
    *_reduce_rows("reduce_sum", fnp.sum, np.sum),
    Spec("reduce_sum", lambda x: fnp.sum(x, axis=0), _one(ints(shapes(min_dims=1))),
         lambda x: np.sum(x, axis=0), id="int"),
    Spec("reduce_sum", lambda x: fnp.sum(x), _one(bools(shapes())), lambda x: np.sum(x),
         id="bool_counts"),
    Spec("reduce_sum", lambda x: fnp.sum(x, axis=1), _one(floats((3, 0, 2))),
         lambda x: np.sum(x, axis=1), id="empty_axis"),
    *_reduce_rows("reduce_max", fnp.max, np.max),
    Spec("reduce_max", lambda x: fnp.max(fnp.concatenate([x, x]), axis=0),
         _one(floats(shapes(min_dims=1, max_side=3))),
         lambda x: np.max(np.concatenate([x, x]), axis=0), id="ties",
         note="ties share the gradient equally (JAX's rule)"),
    Spec("reduce_max", lambda x: fnp.max(x, axis=0), _one(ints(shapes(min_dims=1))),
         lambda x: np.max(x, axis=0), id="int"),
    *_reduce_rows("reduce_min", fnp.min, np.min),
    Spec("reduce_min", lambda x: fnp.min(fnp.stack([x, x, x]), axis=0),
         _one(floats(shapes(max_side=3))),
         lambda x: np.min(np.stack([x, x, x]), axis=0), id="ties"),
    *_reduce_rows("reduce_prod", fnp.prod, np.prod, make=lambda s: floats(s, 0.5, 1.5)),
    Spec("reduce_prod", lambda x: fnp.prod(x, axis=-1),
         _one(floats(shapes(min_dims=1, max_side=4)).map(_with_a_zero)),
         lambda x: np.prod(x, axis=-1), id="with_zero"),
    Spec("reduce_prod", lambda x: fnp.prod(x), _one(floats(shapes(min_dims=1)).map(
        lambda x: np.where(np.arange(x.size).reshape(x.shape) < 2, 0.0, x))),
         lambda x: np.prod(x), id="two_zeros"),
    Spec("reduce_and", lambda x: fnp.all(x, axis=-1), _one(bools(shapes(min_dims=1))),
         lambda x: np.all(x, axis=-1), nondiff=True),
    Spec("reduce_and", lambda x: fnp.all(x, keepdims=True),
         _one(floats(shapes()).map(np.round)),
         lambda x: np.all(x, keepdims=True), nondiff=True, id="float_keepdims"),
    Spec("reduce_or", lambda x: fnp.any(x, axis=0), _one(bools(shapes(min_dims=1))),
         lambda x: np.any(x, axis=0), nondiff=True),
    Spec("reduce_or", lambda x: fnp.any(x, axis=(0, 1)), _one(ints(shapes(min_dims=2), -1, 1)),
         lambda x: np.any(x, axis=(0, 1)), nondiff=True, id="int_tuple"),
    *_arg_rows("argmax", fnp.argmax, np.argmax),
    Spec("argmax", lambda x: fnp.argmax(x, axis=0), _one(ints(shapes(min_dims=1), 0, 2)),
         lambda x: np.argmax(x, axis=0), nondiff=True, id="int_ties_first"),
    *_arg_rows("argmin", fnp.argmin, np.argmin),
    *_scan_rows("cumsum", fnp.cumsum, np.cumsum, make=lambda s: floats(s)),
    Spec("cumsum", lambda x: fnp.cumsum(x, axis=0), _one(ints(shapes(min_dims=1))),
         lambda x: np.cumsum(x, axis=0), id="int"),
    *_scan_rows("cumprod", fnp.cumprod, np.cumprod),
    Spec("cumprod", lambda x: fnp.cumprod(x, axis=-1),
         _one(floats(shapes(min_dims=1, max_side=4)).map(_with_a_zero)),
         lambda x: np.cumprod(x, axis=-1), id="with_zero"),
]
