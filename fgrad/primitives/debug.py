"""``debug_callback``: a host callback with a side effect, for ``fgrad.debug.print``.

``debug_callback(*xs, callback)`` calls ``callback(*host_arrays)`` when it runs and
returns its inputs unchanged. It is ``effectful``: ``jit`` keeps it in the program
(even though nothing uses its outputs), never evaluates it at trace time and never
merges two of them, so a jitted function calls back on every call with that call's
values. Rules: the JVP passes the primals on (the callback sees primal values) and
the tangents through; the VJP passes the cotangents through (the identity's
transpose); under ``vmap`` the callback sees the whole batch, batch axis first.
"""
from __future__ import annotations

from ..devices import device_of_raw
from ..transforms.core import Zero
from .core import Primitive, move_to_front

debug_callback_p = Primitive("debug_callback", multiple_results=True)
debug_callback_p.effectful = True


def _impl(xp, *xs, callback):
    callback(*[device_of_raw(x).to_host(x) if not isinstance(x, (int, float, complex, bool))
               else x for x in xs])
    return tuple(xs)


debug_callback_p.def_impl(_impl)
debug_callback_p.def_abstract_eval(lambda *avals, callback: tuple(avals))


def _jvp(primals, tangents, callback):
    ans = debug_callback_p.bind(*primals, callback=callback)
    return ans, [t if type(t) is not Zero else Zero.like(a) for t, a in zip(tangents, ans)]


def _vjp(ct, needs, ans, *xs, callback):
    return [c if need else None for c, need in zip(ct, needs)]


def _batch(vals, dims, callback):
    moved = [v if d is None else move_to_front(v, d) for v, d in zip(vals, dims)]
    out = debug_callback_p.bind(*moved, callback=callback)
    return out, [None if d is None else 0 for d in dims]


debug_callback_p.jvp = _jvp
debug_callback_p.vjp = _vjp
debug_callback_p.vjp_saves = "none"
debug_callback_p.batch = _batch
