"""Spec rows for ``fgrad/primitives/integer.py``: ``gcd`` and ``lcm`` (integer results, no
gradient), with broadcasting and negative operands, against NumPy's ufuncs."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import fgrad.numpy as fnp
from tests.checker import broadcastable, ints
from tests.specs import Spec


def _int_pairs(dtype=np.int64):
    return lambda: broadcastable(2, max_dims=2).flatmap(
        lambda shp: st.tuples(ints(shp[0], -30, 30, dtype), ints(shp[1], -30, 30, dtype)))


SPECS = [
    Spec("gcd", fnp.gcd, _int_pairs(), np.gcd, nondiff=True),
    Spec("gcd", fnp.gcd, _int_pairs(np.int16), np.gcd, nondiff=True, id="int16"),
    Spec("lcm", fnp.lcm, _int_pairs(), np.lcm, nondiff=True),
    Spec("lcm", fnp.lcm, _int_pairs(np.int32), np.lcm, nondiff=True, id="int32"),
]
