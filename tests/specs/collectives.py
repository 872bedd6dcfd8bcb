"""Spec rows for ``fgrad/primitives/collectives.py``: each collective runs inside a
``vmap(..., axis_name="i")`` (the checker's own vmap then adds an unnamed axis around it,
which batches the collective lane by lane)."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import fgrad
import fgrad.lax as lax
from tests.checker import floats
from tests.specs import Spec


def _named(f):
    return lambda x: fgrad.vmap(f, axis_name="i")(x)


SPECS = [
    Spec("psum", _named(lambda x: lax.psum(x, "i") * x), lambda: st.tuples(floats((3, 2))),
         lambda x: x.sum(0) * x),
    Spec("psum", _named(lambda x: x - lax.pmean(x ** 2, "i")), lambda: st.tuples(floats((4,))),
         lambda x: x - (x ** 2).mean(0), id="pmean"),
    Spec("pmax", _named(lambda x: lax.pmax(x, "i")), lambda: st.tuples(floats((3, 2))),
         lambda x: np.broadcast_to(x.max(0), x.shape)),
    Spec("all_gather", _named(lambda x: lax.all_gather(x, "i") * x),
         lambda: st.tuples(floats((3, 2))), lambda x: x[None] * x[:, None]),
    Spec("psum_scatter", _named(lambda x: lax.psum_scatter(x, "i") * 2.0),
         lambda: st.tuples(floats((3, 3, 2))), lambda x: x.sum(0) * 2.0),
]
