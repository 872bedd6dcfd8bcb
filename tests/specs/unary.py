"""Spec rows for ``fgrad/primitives/unary.py``: domains keep each op where it is smooth."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import fgrad
import fgrad.numpy as fnp
from fgrad.primitives import unary as U
from tests.checker import bools, floats, ints, shapes
from tests.specs import Spec


def _one(strategy):
    return lambda: st.tuples(strategy)


def _float_row(prim, fn, ref, lo=-2.0, hi=2.0, avoid=(), **kw):
    return Spec(prim, fn, _one(floats(shapes(), lo, hi, avoid)), ref, **kw)


SPECS = [
    _float_row("neg", fnp.negative, np.negative),
    _float_row("copy", lambda x: fgrad.primitives.unary.copy_p.bind(x), np.copy),
    _float_row("exp", fnp.exp, np.exp),
    _float_row("expm1", fnp.expm1, np.expm1),
    _float_row("log", fnp.log, np.log, 0.1, 5.0),
    _float_row("log1p", fnp.log1p, np.log1p, -0.9, 3.0),
    _float_row("sqrt", fnp.sqrt, np.sqrt, 0.1, 4.0),
    _float_row("sin", fnp.sin, np.sin, -4.0, 4.0),
    _float_row("cos", fnp.cos, np.cos, -4.0, 4.0),
    _float_row("tan", fnp.tan, np.tan, -1.3, 1.3),
    _float_row("tanh", fnp.tanh, np.tanh),
    _float_row("sinh", fnp.sinh, np.sinh),
    _float_row("cosh", fnp.cosh, np.cosh),
    _float_row("arcsin", fnp.arcsin, np.arcsin, -0.9, 0.9),
    _float_row("arccos", fnp.arccos, np.arccos, -0.9, 0.9),
    _float_row("arctan", fnp.arctan, np.arctan, -3.0, 3.0),
    _float_row("arcsinh", fnp.arcsinh, np.arcsinh, -3.0, 3.0),
    _float_row("arccosh", fnp.arccosh, np.arccosh, 1.1, 4.0),
    _float_row("arctanh", fnp.arctanh, np.arctanh, -0.9, 0.9),
    _float_row("logistic", lambda x: U.logistic_p.bind(x),
               lambda x: 1 / (1 + np.exp(-x)), -6.0, 6.0),
    Spec("logistic", lambda x: U.logistic_p.bind(x),
         _one(floats(shapes(max_dims=1), -800.0, 800.0)),
         lambda x: np.exp(-np.logaddexp(0.0, -x)), id="large", note="no overflow at |x| ~ 800",
         second_order=False, atol=1e-300, rtol=1e-12),
    _float_row("abs", fnp.abs, np.abs, avoid=(0.0,)),
    _float_row("abs_zero_kink", lambda x: U.abs_zero_kink_p.bind(x), np.abs, avoid=(0.0,)),
    _float_row("sign", fnp.sign, np.sign, avoid=(0.0,), nondiff=True),
    Spec("sign", fnp.sign, _one(ints(shapes())), np.sign, nondiff=True, id="int"),
    _float_row("floor", fnp.floor, np.floor, -3.0, 3.0, avoid=(-2, -1, 0, 1, 2), nondiff=True),
    _float_row("ceil", fnp.ceil, np.ceil, -3.0, 3.0, avoid=(-2, -1, 0, 1, 2), nondiff=True),
    _float_row("round", fnp.round, np.round, -3.0, 3.0,
               avoid=(-2.5, -1.5, -0.5, 0.5, 1.5, 2.5), nondiff=True),
    _float_row("round", lambda x: fnp.round(x, 2), lambda x: np.round(x, 2), -3.0, 3.0,
               nondiff=True, id="decimals2", fd_eps=1e-9),
    Spec("isfinite", fnp.isfinite,
         _one(floats(shapes()).map(lambda x: np.where(np.abs(x) > 1.5, np.inf, x))),
         np.isfinite, nondiff=True),
    Spec("isnan", fnp.isnan,
         _one(floats(shapes()).map(lambda x: np.where(x > 1.0, np.nan, x))),
         np.isnan, nondiff=True),
    Spec("isinf", fnp.isinf,
         _one(floats(shapes()).map(lambda x: np.where(x > 1.0, -np.inf, x))),
         np.isinf, nondiff=True),
    Spec("logical_not", fnp.logical_not, _one(bools(shapes())), np.logical_not, nondiff=True),
    Spec("logical_not", fnp.logical_not, _one(floats(shapes()).map(np.round)),
         np.logical_not, nondiff=True, id="float"),
    Spec("invert", fnp.invert, _one(ints(shapes(), -100, 100)), np.invert, nondiff=True),
    Spec("invert", fnp.invert, _one(bools(shapes())), np.invert, nondiff=True, id="bool"),
    Spec("invert", fnp.invert, _one(ints(shapes(), 0, 255, np.uint8)), np.invert,
         nondiff=True, id="uint8"),
    _float_row("real", fnp.real, np.real),
    _float_row("imag", fnp.imag, np.imag),
    _float_row("conj", fnp.conj, np.conj),
    _float_row("convert_element_type", lambda x: fnp.astype(x, np.float32),
               lambda x: x.astype(np.float32), id="f64_to_f32", rtol=1e-4, fd_eps=1e-2,
               atol=1e-5, note="float32 rounding limits the finite differences"),
    _float_row("convert_element_type",
               lambda x: fnp.astype(fnp.astype(x, np.float32), np.float64) * 1.0,
               lambda x: x.astype(np.float32).astype(np.float64), id="roundtrip_f32",
               rtol=1e-4, fd_eps=1e-2, atol=1e-5),
    _float_row("convert_element_type", lambda x: fnp.astype(x, np.int32),
               lambda x: x.astype(np.int32), -5.0, 5.0, avoid=(-4, -3, -2, -1, 0, 1, 2, 3, 4),
               id="f64_to_int32"),
    Spec("convert_element_type", lambda x: fnp.astype(x, np.float64),
         _one(ints(shapes())), lambda x: x.astype(np.float64), id="int_to_f64"),
    Spec("convert_element_type", lambda x: fnp.astype(x, np.int8),
         _one(bools(shapes())), lambda x: x.astype(np.int8), id="bool_to_int8"),
    Spec("convert_element_type", lambda x: fnp.astype(x, np.bool_),
         _one(floats(shapes()).map(np.round)), lambda x: x.astype(np.bool_), id="f64_to_bool"),
    _float_row("stop_gradient", fgrad.stop_gradient, lambda x: x, nondiff=True),
]
