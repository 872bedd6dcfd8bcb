"""The batching interpreter behind ``vmap``: tracers carry a value and a batch axis."""
from __future__ import annotations

from .. import errors
from .core import Trace, Tracer, ShapedArray, aval_of, full_lower, full_raise, new_main


class BatchTracer(Tracer):
    __slots__ = ("val", "bdim")

    def __init__(self, trace, val, bdim):
        self._trace = trace
        self.val = val
        self.bdim = bdim

    @property
    def aval(self):
        a = aval_of(self.val)
        if self.bdim is None:
            return a
        shape = a.shape[:self.bdim] + a.shape[self.bdim + 1:]
        return ShapedArray(shape, a.dtype, a.device)

    def full_lower(self):
        if self.bdim is None:
            return full_lower(self.val)
        return self


class BatchTrace(Trace):
    transform_name = "vmap"

    def pure(self, val):
        return BatchTracer(self, val, None)

    lift = pure

    @property
    def axis_size(self):
        return self.main.global_data

    def process_primitive(self, prim, tracers, params):
        vals = [t.val for t in tracers]
        dims = [t.bdim for t in tracers]
        if all(d is None for d in dims):
            out = prim.bind(*vals, **params)
            return [self.pure(o) for o in (out if prim.multiple_results else (out,))]
        if prim.batch is None:
            raise NotImplementedError(f"vmap: primitive {prim.name} has no batching rule")
        out, out_dims = prim.batch(vals, dims, **params)
        if prim.multiple_results:
            return [BatchTracer(self, o, d) for o, d in zip(out, out_dims)]
        return [BatchTracer(self, out, out_dims)]


def vmap_flat(f, axis_size, vals, in_dims, out_dims_fn):
    """Run ``f`` on batch tracers; return the outputs with batch axes placed by ``out_dims_fn``."""
    from ..primitives import shape as S
    with new_main(BatchTrace, global_data=axis_size, transform="vmap") as main:
        trace = main.trace
        tracers = [BatchTracer(trace, v, d) if d is not None else v
                   for v, d in zip(vals, in_dims)]
        outs = f(*tracers)
        outs = [full_raise(trace, o) for o in outs]
        results = []
        for o, od in zip(outs, out_dims_fn(len(outs))):
            v, d = o.val, o.bdim
            if od is None:
                if d is not None:
                    raise ValueError(
                        "vmap has mapped output but out_axes is None: an output with "
                        "out_axes=None must not depend on the mapped inputs")
                results.append(v)
                continue
            if d is None:
                v = S.broadcast_to(S.expand_dims(v, (0,)), (axis_size,) + tuple(aval_of(v).shape))
                d = 0
            od = od % (aval_of(v).ndim)
            results.append(S.moveaxis(v, d, od) if d != od else v)
    return results
