"""Spec rows for ``fgrad/primitives/debug.py``: ``debug_callback`` is the identity on its
inputs (its effect, the callback, is tested in ``tests/test_debug.py``)."""
from __future__ import annotations

from hypothesis import strategies as st

from fgrad.primitives.debug import debug_callback_p
from tests.checker import floats, shapes
from tests.specs import Spec


def _noop(*xs):
    return None


SPECS = [
    Spec("debug_callback", lambda x, y: tuple(debug_callback_p.bind(x, y, callback=_noop)),
         lambda: st.tuples(floats(shapes()), floats(shapes())), lambda x, y: (x, y)),
]
