"""Spec rows for ``fgrad/primitives/selection.py``: ``argpartition`` (no gradient) and
``partition`` (the gradient follows the values). The reference gathers at NumPy's
``argpartition``, whose arrangement within each side fgrad keeps. Values are distinct, so
finite differences are meaningful."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import fgrad.numpy as fnp
from tests.checker import floats, ints, shapes
from tests.specs import Spec


def _one(strategy):
    return lambda: st.tuples(strategy)


def _ref_partition(kth, axis):
    return lambda x: np.take_along_axis(x, np.argpartition(x, kth, axis=axis), axis=axis)


SPECS = [
    Spec("argpartition", lambda x: fnp.argpartition(x, 1),
         _one(floats(shapes(min_dims=1, min_side=2, max_side=5))),
         lambda x: np.argpartition(x, 1), nondiff=True),
    Spec("argpartition", lambda x: fnp.argpartition(x, [0, 2], axis=0),
         _one(ints(shapes(min_dims=1, min_side=3, max_side=5), 0, 3)),
         lambda x: np.argpartition(x, [0, 2], axis=0), nondiff=True, id="ties_axis0"),
    Spec("partition", lambda x: fnp.partition(x, 1),
         _one(floats(shapes(min_dims=1, min_side=2, max_side=5))), _ref_partition(1, -1)),
    Spec("partition", lambda x: fnp.partition(x, (0, -1), axis=0),
         _one(floats(shapes(min_dims=2, min_side=2, max_side=4))),
         _ref_partition([0, -1], 0), id="two_kth_axis0"),
    Spec("partition", lambda x: fnp.partition(x, 2, axis=None),
         _one(floats(shapes(min_dims=1, min_side=3, max_side=3))),
         lambda x: _ref_partition(2, 0)(x.reshape(-1)), id="flat"),
]
