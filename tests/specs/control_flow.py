"""Spec rows for ``fgrad/primitives/control_flow.py``: ``cond``, ``scan`` and ``while``,
applied through ``fgrad.lax`` (whose functions trace their bodies into the primitives'
sub-programs). Batching the predicate or index checks the select form of ``cond``; batching
a ``while_loop``'s value-dependent predicate checks lanes that finish apart."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import fgrad
import fgrad.lax as lax
import fgrad.numpy as fnp
from tests.checker import floats, ints
from tests.specs import Spec


def _np_rnn(w, h0, xs, reverse=False):
    h, ys = h0, []
    order = range(len(xs) - 1, -1, -1) if reverse else range(len(xs))
    for t in order:
        ys.append(h * xs[t])
        h = np.tanh(w * h + xs[t])
    return h, np.stack(ys[::-1] if reverse else ys)


def _rnn(w, h0, xs, reverse=False):
    return lax.scan(lambda h, x: (fnp.tanh(w * h + x), h * x), h0, xs, reverse=reverse)


def _np_growth(x):          # while x < 3: x = 1.7 x + 0.1 (a per-element trip count)
    x = np.array(x, dtype=np.float64)
    while x < 3.0:
        x = 1.7 * x + 0.1
    return x


# 1.7 x + 0.1 crosses 3 at these starting points: keep away from them
_GROWTH_KINKS = (3.0, (3.0 - 0.1) / 1.7, ((3.0 - 0.1) / 1.7 - 0.1) / 1.7,
                 (((3.0 - 0.1) / 1.7 - 0.1) / 1.7 - 0.1) / 1.7)

SPECS = [
    Spec("cond", lambda p, x: lax.cond(p > 0, lambda x: fnp.sin(x) * x, lambda x: fnp.cos(x) + x, x),
         lambda: st.tuples(floats((), avoid=(0.0,)), floats((3,))),
         lambda p, x: np.where(p > 0, np.sin(x) * x, np.cos(x) + x)),
    Spec("cond", lambda p, x, y: lax.cond(p > 0, lambda x: x * y, lambda x: (x - y) ** 2, x),
         lambda: st.tuples(floats((), avoid=(0.0,)), floats((2, 3)), floats((3,))),
         lambda p, x, y: np.where(p > 0, x * y, (x - y) ** 2), id="closure"),
    Spec("cond", lambda i, x: lax.switch(i, [lambda x: x * 2.0, fnp.sin, lambda x: x ** 3], x),
         lambda: st.tuples(ints((), -2, 4), floats((3,))),
         lambda i, x: [x * 2.0, np.sin(x), x ** 3][min(max(int(i), 0), 2)], id="switch"),
    Spec("scan", _rnn, lambda: st.tuples(floats(()), floats((3,)), floats((4, 3))), _np_rnn),
    Spec("scan", lambda w, h0, xs: _rnn(w, h0, xs, reverse=True),
         lambda: st.tuples(floats((2,)), floats((2,)), floats((3, 2))),
         lambda w, h0, xs: _np_rnn(w, h0, xs, reverse=True), id="reverse"),
    Spec("while", lambda x: lax.while_loop(lambda c: c[1] < 3,
                                           lambda c: (fnp.sin(c[0]) * 1.5, c[1] + 1), (x, 0))[0],
         lambda: st.tuples(floats((3,))), lambda x: np.sin(np.sin(np.sin(x) * 1.5) * 1.5) * 1.5,
         second_order=False, note="reverse-over-reverse through while is not implemented"),
    Spec("while", lambda x: lax.while_loop(lambda v: v < 3.0, lambda v: 1.7 * v + 0.1, x),
         lambda: st.tuples(floats((), 0.2, 2.9, avoid=_GROWTH_KINKS, margin=0.02)), _np_growth,
         second_order=False, id="value_dependent",
         note="reverse-over-reverse through while is not implemented"),
]

# fgrad.checkpoint inside a staged program (here jit) is one ``checkpoint`` equation
_ckpt = fgrad.jit(fgrad.checkpoint(lambda x, y: (fnp.sin(fnp.sin(x)) * y, fnp.cos(x))))
SPECS.append(Spec("checkpoint", lambda x, y: _ckpt(x, y),
                  lambda: st.tuples(floats((3,)), floats((3,))),
                  lambda x, y: (np.sin(np.sin(x)) * y, np.cos(x))))
