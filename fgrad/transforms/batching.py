"""The batching interpreter behind ``vmap``: tracers carry a value and a batch axis."""
from __future__ import annotations

from .core import (_SCALAR_TYPE_SET, _state, MainTrace, shared_aval, Trace, Tracer, Zero, aval_of, full_lower, full_raise, instantiate,
                   new_main)
from .custom import custom_call
from ..primitives import reductions as R, shape as S
from ..tree_util import tree_flatten, tree_unflatten


class BatchTracer(Tracer):
    __slots__ = ("val", "bdim")

    def __init__(self, trace, val, bdim):
        self._trace = trace
        self.val = val
        self.bdim = bdim

    @property
    def aval(self):
        v, d = self.val, self.bdim
        if d is None:
            return aval_of(v)
        s = v.shape                    # batched: an Array or a tracer, never a scalar
        return shared_aval(s[:d] + s[d + 1:], v.dtype, v.device)

    # shape and dtype without building an aval: rules read them on every op
    @property
    def shape(self):
        v, d = self.val, self.bdim
        if type(v) in _SCALAR_TYPE_SET:
            return ()
        s = v.shape
        return s if d is None else s[:d] + s[d + 1:]

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def dtype(self):
        v = self.val
        return aval_of(v).dtype if type(v) in _SCALAR_TYPE_SET else v.dtype

    @property
    def device(self):
        v = self.val
        return aval_of(v).device if type(v) in _SCALAR_TYPE_SET else v.device

    def full_lower(self):
        if self.bdim is None:
            return full_lower(self.val)
        return self


class BatchTrace(Trace):
    transform_name = "vmap"

    def pure(self, val):
        return BatchTracer(self, val, None)

    lift = pure

    # global_data: (axis size, axis name or None)
    @property
    def axis_size(self):
        return self.main.global_data[0]

    @property
    def axis_name(self):
        return self.main.global_data[1]

    takes_constants = True

    def process_primitive(self, prim, tracers, params):
        vals = []
        dims = []
        batched = False
        for t in tracers:
            if type(t) is BatchTracer:
                vals.append(t.val)
                d = t.bdim
                dims.append(d)
                if d is not None:
                    batched = True
            else:                          # a constant (Array or scalar): unbatched
                vals.append(t)
                dims.append(None)
        if prim.collective and params["axis_name"] == self.main.global_data[1]:
            # a collective over this vmap's named axis: reduce or gather along it
            out, out_dims = prim.collective(vals, dims, self.main.global_data[0], **params)
        elif not batched:
            out = prim.bind(*vals, **params)
            return [self.pure(o) for o in (out if prim.multiple_results else (out,))]
        elif prim.batch is None:
            raise NotImplementedError(f"vmap: primitive {prim.name} has no batching rule")
        elif prim.batch_takes_axis:     # control flow: sub-programs batched over this axis
            out, out_dims = prim.batch(vals, dims, axis=self.main.global_data, **params)
        else:
            out, out_dims = prim.batch(vals, dims, **params)
        if prim.multiple_results:
            return [BatchTracer(self, o, d) for o, d in zip(out, out_dims)]
        return [BatchTracer(self, out, out_dims)]


    def process_custom_jvp_call(self, fun, jvp, tracers):
        """vmap the function and its rule, and hand them on as a custom call below."""
        vals, dims = [t.val for t in tracers], [t.bdim for t in tracers]
        if all(d is None for d in dims):
            return [self.pure(o) for o in custom_call("jvp", vals, fun, jvp)]
        size, front, name = self.axis_size, _all_front, self.axis_name

        def batched_fun(*xs):
            return vmap_flat(fun, size, list(xs), dims, front, name)

        def batched_jvp(ps, ts):
            n_out = []

            def both(*pts):
                outs, t_outs = jvp(list(pts[:len(ps)]), list(pts[len(ps):]))
                n_out[:] = [len(outs)]
                return list(outs) + list(t_outs)
            r = vmap_flat(both, size, list(ps) + list(ts), dims + dims, front, name)
            return r[:n_out[0]], r[n_out[0]:]
        outs = custom_call("jvp", vals, batched_fun, batched_jvp)
        return [BatchTracer(self, o, 0) for o in outs]

    def process_custom_vjp_call(self, fun, fwd, bwd, forward_mode_ok, tracers):
        """vmap ``fun``, ``fwd`` and ``bwd`` (residuals batched along axis 0) and hand them on."""
        vals, dims = [t.val for t in tracers], [t.bdim for t in tracers]
        if all(d is None for d in dims):
            outs = custom_call("vjp", vals, fun, fwd, bwd, forward_mode_ok)
            return [self.pure(o) for o in outs]
        size, front, name = self.axis_size, _all_front, self.axis_name
        in_avals = [t.aval for t in tracers]
        res_tree = []

        def batched_fun(*xs):
            return vmap_flat(fun, size, list(xs), dims, front, name)

        def batched_fwd(*xs):
            def flat_fwd(*ys):
                outs, res = fwd(*ys)
                leaves, tree = tree_flatten(res)
                res_tree[:] = [tree, len(outs)]
                return list(outs) + leaves
            r = vmap_flat(flat_fwd, size, list(xs), dims, front, name)
            return r[:res_tree[1]], r[res_tree[1]:]

        def batched_bwd(res, cts):
            def flat_bwd(*ys):
                in_cts = bwd(tree_unflatten(res_tree[0], list(ys[:len(res)])), list(ys[len(res):]))
                return [instantiate(Zero(a)) if c is None or type(c) is Zero else c
                        for c, a in zip(in_cts, in_avals)]
            in_cts = vmap_flat(flat_bwd, size, list(res) + list(cts), [0] * (len(res) + len(cts)),
                               front, name)
            return [R.reduce_sum(c, (0,)) if d is None else S.moveaxis(c, 0, d)
                    for c, d in zip(in_cts, dims)]
        outs = custom_call("vjp", vals, batched_fun, batched_fwd, batched_bwd, forward_mode_ok)
        return [BatchTracer(self, o, 0) for o in outs]


def _all_front(n):
    return [0] * n


def vmap_flat(f, axis_size, vals, in_dims, out_dims_fn, axis_name=None):
    """Run ``f`` on batch tracers; return the outputs with batch axes placed by ``out_dims_fn``.
    Collectives inside ``f`` name the batch axis ``axis_name``."""
    with new_main(BatchTrace, global_data=(axis_size, axis_name), transform="vmap") as main:
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
            nd = aval_of(v).ndim
            if isinstance(od, bool) or not isinstance(od, int) or not -nd <= od < nd:
                raise ValueError(f"vmap out_axes={od!r} is out of bounds for an output of "
                                 f"dimension {nd} (shape {tuple(aval_of(v).shape)} with the "
                                 f"mapped axis)")
            od %= nd
            results.append(S.moveaxis(v, d, od) if d != od else v)
    return results


def find_axis(name) -> MainTrace:
    """The innermost vmap whose axis is named ``name``; JAX's NameError if there is none."""
    for main in reversed(_state.stack):
        if main.trace_type is BatchTrace and main.global_data[1] == name:
            return main
    raise NameError(f"unbound axis name: {name}")


def lift_to_axis(x, name):
    """``x`` as a value the vmap of axis ``name`` processes: a value constant along that
    axis (an Array, or a tracer of a transform outside it) becomes that vmap's unbatched
    tracer, so that a collective on it reaches the vmap's rule."""
    main = find_axis(name)
    if isinstance(x, Tracer) and x._trace.main.level >= main.level:
        return x
    return BatchTracer(main.trace, x, None)
