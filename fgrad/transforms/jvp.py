"""Forward mode: the JVP interpreter (tracers carry a primal and a tangent)."""
from __future__ import annotations

from .core import (canonicalize, instantiate, PrimalTracer, Trace, Zero, aval_of, full_lower, is_differentiable_dtype,
                   new_main, full_raise)
from .custom import custom_call


class JVPTracer(PrimalTracer):
    __slots__ = ("tangent",)

    def __init__(self, trace, primal, tangent):
        self._trace = trace
        self.primal = primal
        self.tangent = tangent

    def full_lower(self):
        if type(self.tangent) is Zero:
            return full_lower(self.primal)
        return self


class JVPTrace(Trace):
    transform_name = "jvp"

    def pure(self, val):
        return JVPTracer(self, val, Zero.like(val))

    lift = pure

    takes_constants = True

    def process_primitive(self, prim, tracers, params):
        primals = []
        tangents = []
        zero = True
        for t in tracers:
            if type(t) is JVPTracer:
                primals.append(t.primal)
                tangent = t.tangent
                if type(tangent) is not Zero:
                    zero = False
                tangents.append(tangent)
            else:                              # a constant (Array or scalar): zero tangent
                primals.append(t)
                tangents.append(Zero.like(t))
        if zero:
            out = prim.bind(*primals, **params)
            return [self.pure(o) for o in (out if prim.multiple_results else (out,))]
        ans, t_out = prim.jvp(primals, tangents, **params)
        if prim.multiple_results:
            return [JVPTracer(self, a, t) for a, t in zip(ans, t_out)]
        return [JVPTracer(self, ans, t_out)]


    def process_custom_jvp_call(self, fun, jvp, tracers):
        primals = [t.primal for t in tracers]
        if all(type(t.tangent) is Zero for t in tracers):
            return [self.pure(o) for o in custom_call("jvp", primals, fun, jvp)]
        outs, t_outs = jvp(primals, [instantiate(t.tangent) for t in tracers])
        return [JVPTracer(self, canonicalize(o), canonicalize(t)) for o, t in zip(outs, t_outs)]

    def process_custom_vjp_call(self, fun, fwd, bwd, forward_mode_ok, tracers):
        if not forward_mode_ok:
            raise TypeError("can't apply forward-mode autodiff (jvp) to a custom_vjp function.")
        return fun(*tracers)


def jvp_flat(f, primals, tangents, transform="jvp"):
    """Push ``tangents`` forward through ``f`` at ``primals`` (flat lists)."""
    with new_main(JVPTrace, transform=transform) as main:
        trace = main.trace
        tracers = [JVPTracer(trace, p, t if is_differentiable_dtype(aval_of(p).dtype)
                             else Zero.like(p))
                   for p, t in zip(primals, tangents)]
        outs = f(*tracers)
        outs = [full_raise(trace, o) for o in outs]
        return [o.primal for o in outs], [o.tangent for o in outs]
