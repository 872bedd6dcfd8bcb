"""Spec rows for ``fgrad/primitives/transfer.py``: moving data between devices is linear."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import fgrad
from tests.checker import floats, ints, shapes
from tests.specs import Spec

SPECS = [
    Spec("device_put", lambda x: fgrad.device_put(fgrad.device_put(x, "standin"), "cpu") * 2.0,
         lambda: st.tuples(floats(shapes())), lambda x: x * 2.0, id="roundtrip"),
    Spec("device_put", lambda x: fgrad.device_put(x, "standin"), lambda: st.tuples(floats(shapes())),
         lambda x: x, id="to_standin"),
    Spec("device_put", lambda x: fgrad.device_put(x, "cpu"), lambda: st.tuples(ints(shapes())),
         lambda x: x, id="int_to_cpu"),
]
