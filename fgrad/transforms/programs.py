"""Sub-programs of control-flow primitives: traced once, run, and transformed.

A control-flow primitive (``cond``, ``scan``, ``while``) holds its branches or
body as a ``Jaxpr`` in its parameters. Such a program's constants are concrete
Arrays only: values of an enclosing transform that the traced function closes
over (a tracer of ``grad``, ``vmap`` or an outer ``jit``) are *hoisted* into
leading inputs, so that they reach the primitive as operands and the enclosing
transform sees them. The transforms of a program (its JVP, its batched form,
its VJP and the split of that VJP into a forward part emitting residuals and a
backward part consuming them) are programs again, traced by running the
existing interpreters over ``eval_jaxpr`` under a staging trace.
"""
from __future__ import annotations

from collections import OrderedDict

from typing import Callable, Sequence

import numpy as np

from ..devices import CPU, STANDIN, device_of_raw
from ..primitives import shape as S
from .batching import BatchTracer, BatchTrace, lift_to_axis
from .core import (ShapedArray, Tracer, Zero, _state, bind, full_raise, instantiate,
                   is_differentiable_dtype, new_main)
from .jit import Compiled, simplify
from .jvp import jvp_flat
from .reverse import backward_pass, vjp_flat
from .staging import Jaxpr, Literal, Var, eval_jaxpr, trace_to_jaxpr


def trace_program(fun: Callable, in_avals: Sequence[ShapedArray], transform: str = "jit"):
    """Stage ``fun`` (flat args -> flat outs) at ``in_avals``.

    Returns ``(program, hoisted)``: the program takes the ``hoisted`` values (the
    tracers of enclosing transforms it closes over) as its first inputs, then
    the ``in_avals`` arguments.
    """
    j = trace_to_jaxpr(fun, list(in_avals), transform=transform)
    hoisted_vars, hoisted, cvars, consts = [], [], [], []
    for v, c in zip(j.constvars, j.consts):
        if isinstance(c, Tracer):
            hoisted_vars.append(v)
            hoisted.append(c)
        else:
            cvars.append(v)
            consts.append(c)
    return Jaxpr(hoisted_vars + j.invars, cvars, consts, j.eqns, j.outvars), hoisted


def trace_closed(fun: Callable, in_avals) -> Jaxpr:
    """A program of ``fun`` that closes over no tracer (rules' derived programs)."""
    prog, hoisted = trace_program(fun, in_avals)
    assert not hoisted, "a derived program closed over a tracer"
    return prog


def in_avals(prog: Jaxpr) -> list:
    return [v.aval for v in prog.invars]


def out_avals(prog: Jaxpr) -> list:
    return [v.aval for v in prog.outvars]


def run(prog: Jaxpr, args) -> list:
    """Evaluate ``prog`` on Arrays or tracers by binding its equations (transforms compose).

    A collective's operand that is constant along its vmap axis is lifted to that vmap
    first, as ``fgrad.lax.psum`` does."""
    collective = prog.__dict__.get("_collective")
    if collective is None:
        collective = prog._collective = any(e.prim.collective for e in prog.eqns)
    if not collective:
        return eval_jaxpr(prog, prog.consts, *args)
    env = dict(zip(prog.constvars, prog.consts))
    env.update(zip(prog.invars, args))

    def read(a):
        return a.val if type(a) is Literal else env[a]
    for e in prog.eqns:
        ins = [read(a) for a in e.inputs]
        if e.prim.collective:
            ins = [lift_to_axis(x, e.params["axis_name"]) for x in ins]
        out = bind(e.prim, *ins, **e.params)
        env.update(zip(e.outputs, out if e.prim.multiple_results else [out]))
    return [read(v) for v in prog.outvars]


# ------------------------------------------------------------ compiled runs --
def device_of(xp, vals):
    """The device whose namespace is ``xp``, found from a backend value when possible."""
    for v in vals:
        if not isinstance(v, (int, float, bool, complex, np.generic)):
            return device_of_raw(v)
    return CPU if xp is CPU.xp else STANDIN if xp is STANDIN.xp else device_of_raw(xp.zeros(()))


def compiled(prog: Jaxpr, device) -> Callable:
    """``prog`` as ``jit``'s generated function over backend values, cached per device and
    per program structure (an eager ``lax`` call traces its body anew each time; the same
    body gives the same structure, so it is generated once).

    It returns one backend value per output, each an array of the output's dtype.
    """
    cache = prog.__dict__.setdefault("_compiled", {})
    fn = cache.get(device)
    if fn is None and sum(v.aval.size * v.aval.dtype.itemsize
                          for v in prog.constvars) > _MAX_CONST_BYTES:
        fn = cache[device] = _generate(prog, device)    # not kept alive by the shared cache
    if fn is None:
        key, keep = structure_key(prog)
        key = (key, device)
        entry = _BY_STRUCTURE.get(key)
        if entry is None:
            entry = _BY_STRUCTURE[key] = (_generate(prog, device), keep)
            if len(_BY_STRUCTURE) > _MAX_STRUCTURES:
                _BY_STRUCTURE.popitem(last=False)
        else:
            _BY_STRUCTURE.move_to_end(key)
        fn = cache[device] = entry[0]
    return fn


def _generate(prog: Jaxpr, device) -> Callable:
    raw = Compiled(simplify(prog), device).run
    xp = device.xp
    avals = out_avals(prog)
    # Only 0-d outputs may come back as Python or NumPy scalars (literals, scalar
    # arithmetic written with Python operators): those are made arrays again.
    scalars = [k for k, a in enumerate(avals) if a.shape == ()]
    if not scalars:
        return raw
    native = np.ndarray if device is CPU else type(xp.zeros(()))

    def fn(*args):
        outs = raw(*args)
        for k in scalars:
            o = outs[k]
            if type(o) is not native or o.dtype != avals[k].dtype:
                outs[k] = xp.asarray(o, dtype=avals[k].dtype)
        return outs
    return fn


# Generated functions by program structure, least recently used first. A key names its
# constants and other objects by identity; the entry keeps them alive, so an id is never
# reused for another object while the key exists (constants are immutable Arrays).
_BY_STRUCTURE: OrderedDict = OrderedDict()
_MAX_STRUCTURES = 256
_MAX_CONST_BYTES = 1 << 16      # programs closing over more are not shared (memory bound)


def structure_key(prog: Jaxpr) -> tuple[tuple, list]:
    """A hashable key equal for programs that compute the same thing: equations
    (primitive, parameters, which values they read), avals, literals (by ``repr``, so
    ``-0.0`` differs from ``0.0``) and constants (by identity). Returns ``(key, keep)``:
    ``keep`` holds the objects named by identity."""
    keep: list = []
    numbers: dict = {}

    def ref(a):
        if type(a) is Literal:
            return ("lit", type(a.val).__name__, repr(a.val))
        n = numbers.get(a)
        if n is None:
            n = numbers[a] = len(numbers)
        return n

    def aval(v):
        a = v.aval
        return (a.shape, a.dtype.str, str(a.device))

    def param(v):
        t = type(v)
        if v is None or t in (bool, int, float, complex, str):
            return (t.__name__, repr(v))
        if t is tuple or t is list:
            return ("seq", tuple(param(x) for x in v))
        if t is dict:
            return ("dict", tuple((k, param(v[k])) for k in sorted(v)))
        if isinstance(v, np.dtype):
            return ("dtype", v.str)
        if isinstance(v, Jaxpr):
            sub, sub_keep = structure_key(v)
            keep.extend(sub_keep)
            return ("jaxpr", sub)
        keep.append(v)
        return ("id", id(v))

    for c in prog.consts:
        keep.append(c)
    key = (tuple((ref(v), aval(v)) for v in prog.invars),      # numbered first, in order
           tuple((ref(v), aval(v)) for v in prog.constvars),
           tuple(id(c) for c in prog.consts),
           tuple((id(e.prim), tuple(ref(a) for a in e.inputs),
                  tuple((ref(o), aval(o)) for o in e.outputs), param(e.params))
                 for e in prog.eqns),
           tuple(ref(v) for v in prog.outvars))
    keep.extend(e.prim for e in prog.eqns)
    return key, keep


# --------------------------------------------------------------------- jvp --
def jvp_program(prog: Jaxpr, nonzero: Sequence[bool]) -> Jaxpr:
    """``(primals, tangents of the nonzero inputs) -> (outs, tangents of the float outs)``."""
    avals = in_avals(prog)
    t_avals = [a for a, nz in zip(avals, nonzero) if nz]
    n = len(avals)

    def f(*args):
        ts = iter(args[n:])
        tangents = [next(ts) if nz else Zero(a) for a, nz in zip(avals, nonzero)]
        outs, t_outs = jvp_flat(lambda *xs: run(prog, xs), list(args[:n]), tangents)
        return list(outs) + [instantiate(t) for o, t in zip(outs, t_outs)
                             if is_differentiable_dtype(o.dtype)]
    return trace_closed(f, avals + t_avals)


def float_mask(avals) -> list:
    return [is_differentiable_dtype(a.dtype) for a in avals]


# --------------------------------------------------------------- batching --
def batch_program(prog: Jaxpr, size: int, batched: Sequence[bool],
                  force: Sequence[bool] | None = None, axis_name=None):
    """``prog`` over a batch of ``size``: inputs with ``batched`` set carry the batch on
    axis 0. Returns ``(program, out_batched)``; batched outputs (and those ``force``
    asks for) have the batch on axis 0."""
    avals = [ShapedArray((size,) + a.shape, a.dtype, a.device) if b else a
             for a, b in zip(in_avals(prog), batched)]
    box = []

    def f(*args):
        with new_main(BatchTrace, global_data=(size, axis_name), transform="vmap") as main:
            trace = main.trace
            # every input a tracer of this vmap (unbatched ones too), so that a collective
            # on a value constant along the axis still reaches this vmap's rule
            tracers = [BatchTracer(trace, a, 0 if b else None) for a, b in zip(args, batched)]
            outs = [full_raise(trace, o) for o in run(prog, tracers)]
            res, flags = [], []
            for k, o in enumerate(outs):
                v, d = o.val, o.bdim
                if d is None and force is not None and force[k]:
                    v = S.broadcast_to(S.expand_dims(v, (0,)), (size,) + tuple(o.aval.shape))
                    d = 0
                elif d is not None and d != 0:
                    v = S.moveaxis(v, d, 0)
                    d = 0
                res.append(v)
                flags.append(d is not None)
            box[:] = flags
        return res
    out = trace_closed(f, avals)
    return out, list(box)


# ---------------------------------------------------------------- reverse --
def vjp_program(prog: Jaxpr, needs: Sequence[bool], keep_outs: bool = True) -> Jaxpr:
    """``(inputs, cotangents of the float outs) -> (outs, cotangents of the needed inputs)``,
    every cotangent materialised (zeros where none flows); without ``keep_outs``, the
    input cotangents only."""
    avals = in_avals(prog)
    outs_f = float_mask(out_avals(prog))
    ct_avals = [a for a, f in zip(out_avals(prog), outs_f) if f]
    n = len(avals)
    box = []

    def f(*args):
        primals, cts = list(args[:n]), list(args[n:])
        outs, leaves, refs = vjp_flat(lambda *xs: run(prog, xs), primals, transform="vjp")
        box[:] = [len(_state.dynamic.global_data.eqns)]     # the forward pass ends here
        seeds = []
        cit = iter(cts)
        for (node, idx), fl in zip(refs, outs_f):
            if fl:
                c = next(cit)
                if node is not None:
                    seeds.append((node, idx, c))
        got = backward_pass(seeds) if seeds else {}
        in_cts = []
        for p, leaf, need in zip(primals, leaves, needs):
            if not need:
                continue
            g = None if leaf is None else got.get(id(leaf), (None, None))[1]
            in_cts.append(instantiate(Zero(p.aval if isinstance(p, Tracer) else p)) if g is None
                          else instantiate(g))
        return (list(outs) if keep_outs else []) + in_cts
    joint = trace_closed(f, avals + ct_avals)
    joint.n_forward = box[0]
    return joint


def partition(joint: Jaxpr, n_const: int, n_in: int, n_out: int, n_carry: int = 0):
    """Split the joint program of :func:`vjp_program` (inputs: ``n_const`` loop constants,
    then the other ``n_in - n_const`` primal inputs, then cotangents; outputs: ``n_out``
    primal outputs, then input cotangents) into a forward and a backward program.

    An equation of the forward pass that reads a non-constant primal input belongs to the
    forward part; one of the backward pass (it reads a cotangent, or recomputes what a
    ``checkpoint`` did not save) belongs to the backward part; one of the forward pass
    that reads only constants runs wherever it is needed.
    Returns ``(fwd, bwd, res_inputs)``:

    * ``fwd``: (consts, primal inputs) -> (primal outs, residuals);
    * ``bwd``: (consts, residuals, cotangents) -> input cotangents;
    * ``res_inputs``: the positions (among the non-constant primal inputs, past the first
      ``n_carry``, which ``fwd`` passes on as residuals) of inputs the backward part reads
      directly; they lead the residual list, given by ``fwd``'s caller, not by ``fwd``.
    """
    consts = joint.invars[:n_const]
    prim_in = joint.invars[n_const:n_in]
    cts = joint.invars[n_in:]
    loop = set(prim_in)
    ctdep = set(cts)
    kind = []                                   # per eqn: "const", "fwd" or "bwd"
    n_forward = getattr(joint, "n_forward", len(joint.eqns))
    for k, e in enumerate(joint.eqns):
        ins = [a for a in e.inputs if type(a) is Var]
        if k >= n_forward or any(a in ctdep for a in ins):
            ctdep.update(e.outputs)
            kind.append("bwd")
        elif any(a in loop for a in ins):
            loop.update(e.outputs)
            kind.append("fwd")
        else:
            kind.append("const")
    fwd_outs = joint.outvars[:n_out]
    bwd_outs = joint.outvars[n_out:]
    # backward part: the ct-dependent equations and the constant ones they need
    need = {a for a in bwd_outs if type(a) is Var}
    bwd_eqns = []
    for e, k in zip(reversed(joint.eqns), reversed(kind)):
        if k != "fwd" and any(v in need for v in e.outputs):
            bwd_eqns.append(e)
            need.update(a for a in e.inputs if type(a) is Var)
    bwd_eqns.reverse()
    defined = set(consts) | set(cts) | set(joint.constvars)
    for e in bwd_eqns:
        defined.update(e.outputs)
    res = [v for v in _ordered(need) if v not in defined]   # from the forward side
    direct = set(prim_in[n_carry:])
    res_in = [v for v in res if v in direct]
    res_out = [v for v in res if v not in direct]
    # forward part: what the primal outputs and the residuals need
    need_f = {a for a in list(fwd_outs) + res_out if type(a) is Var}
    fwd_eqns = []
    for e, k in zip(reversed(joint.eqns), reversed(kind)):
        if k != "bwd" and any(v in need_f for v in e.outputs):
            fwd_eqns.append(e)
            need_f.update(a for a in e.inputs if type(a) is Var)
    fwd_eqns.reverse()
    fwd = Jaxpr(consts + prim_in, joint.constvars, joint.consts, fwd_eqns,
                list(fwd_outs) + res_out)
    bwd = Jaxpr(consts + res_in + res_out + cts, joint.constvars, joint.consts, bwd_eqns,
                list(bwd_outs))
    return fwd, bwd, [prim_in.index(v) for v in res_in]


def _ordered(vs):
    return sorted(vs, key=lambda v: v.count)


def fission(prog: Jaxpr, first_outs: Sequence[bool], carried: Sequence[bool]):
    """Split ``prog`` in two: ``first`` computes the outputs marked in ``first_outs``,
    ``second`` the others from what ``first`` hands on.

    ``first`` takes ``prog``'s inputs and returns its outputs, then the shared values:
    those of its equations, and its ``carried`` inputs, that ``second`` reads.
    ``second`` takes the inputs not ``carried``, then the shared values. Used to run the
    part of a loop body that feeds no carry after the loop, over all iterations at once.
    """
    outs = prog.outvars
    need = {v for v, f in zip(outs, first_outs) if f and type(v) is Var}
    in_first = set()
    for k in range(len(prog.eqns) - 1, -1, -1):
        e = prog.eqns[k]
        if any(v in need for v in e.outputs):
            in_first.add(k)
            need.update(a for a in e.inputs if type(a) is Var)
    defined = set()
    for k in in_first:
        defined.update(prog.eqns[k].outputs)
    held = {v for v, c in zip(prog.invars, carried) if c}
    need2 = {v for v, f in zip(outs, first_outs) if not f and type(v) is Var}
    second_eqns = []
    for k in range(len(prog.eqns) - 1, -1, -1):
        e = prog.eqns[k]
        if k not in in_first and any(v in need2 for v in e.outputs):
            second_eqns.append(e)
            need2.update(a for a in e.inputs if type(a) is Var)
    second_eqns.reverse()
    shared = [v for v in _ordered(need2) if v in defined or v in held]
    first = Jaxpr(prog.invars, prog.constvars, prog.consts,
                  [prog.eqns[k] for k in sorted(in_first)],
                  [v for v, f in zip(outs, first_outs) if f] + shared)
    free = [v for v, c in zip(prog.invars, carried) if not c]
    second = Jaxpr(free + shared, prog.constvars, prog.consts, second_eqns,
                   [v for v, f in zip(outs, first_outs) if not f])
    return first, second, len(shared)


def program_size(prog: Jaxpr) -> int:
    """Elements in all the values a program's equations make (a bound on its memory)."""
    return sum(v.aval.size for e in prog.eqns for v in e.outputs)
