"""Staging: trace a function into a program of primitives (``make_jaxpr``).

A staging trace sits at the bottom of the trace stack and is *dynamic*: while
it is active every ``bind`` reaches it, even on concrete arrays, so the whole
computation — including what ``grad``, ``vmap`` or ``jvp`` inside the function
compute — is recorded as equations. The program prints in JAX's jaxpr format
and can be evaluated again (``eval_jaxpr``), which is what ``jit`` replays.
"""
from __future__ import annotations

import functools
import html
import itertools
from typing import Any, Callable

import numpy as np

from .. import errors
from ..devices import CPU
from ..tree_util import tree_flatten, tree_unflatten
from .core import (SCALAR_TYPES, ShapedArray, Trace, Tracer, aval_of, bind, full_raise,
                   new_main, to_value)


class Var:
    """A program variable: an abstract value; its name is given when printed."""

    __slots__ = ("aval", "count")
    _counter = itertools.count()

    def __init__(self, aval: ShapedArray):
        self.aval = aval
        self.count = next(Var._counter)


class Literal:
    """A Python scalar appearing in the program as itself."""

    __slots__ = ("val", "aval")

    def __init__(self, val):
        self.val = val
        self.aval = aval_of(val)


class Equation:
    __slots__ = ("prim", "inputs", "outputs", "params")

    def __init__(self, prim, inputs, outputs, params):
        self.prim = prim
        self.inputs = inputs      # Vars and Literals
        self.outputs = outputs    # Vars
        self.params = params


class Jaxpr:
    """A traced program: inputs, constants, equations, outputs.

    ``str(jaxpr)`` is JAX's listing format; in a notebook it renders as
    preformatted text.
    """

    def __init__(self, invars, constvars, consts, eqns, outvars, out_tree=None):
        self.invars = invars
        self.constvars = constvars
        self.consts = consts          # the constants' values, in constvars' order
        self.eqns = eqns
        self.outvars = outvars
        self.out_tree = out_tree

    def __str__(self):
        return _pretty(self)

    __repr__ = __str__

    def _repr_html_(self):
        return f"<pre>{html.escape(str(self))}</pre>"

    def __call__(self, *args):
        """Evaluate the program on flat arguments (``eval_jaxpr``)."""
        return eval_jaxpr(self, self.consts, *args)


# ------------------------------------------------------------------- trace --
class StagingTracer(Tracer):
    __slots__ = ("var", "_aval", "sources")

    def __init__(self, trace, aval, var, sources=frozenset()):
        self._trace = trace
        self._aval = aval
        self.var = var
        self.sources = sources      # names of the arguments this value depends on

    @property
    def aval(self):
        return self._aval

    def concrete_value(self, what):
        err = errors.concretization(self._trace.main.transform, what, self.shape, self.dtype)
        if self.sources:
            names = ", ".join(sorted(self.sources))
            err.args = (f"{err.args[0]} The value depends on the argument(s) {names}.",)
        raise err


class _Builder:
    def __init__(self):
        self.eqns: list[Equation] = []
        self.consts: dict[int, tuple[Var, Any]] = {}   # id(value) -> (var, value)


class StagingTrace(Trace):
    transform_name = "make_jaxpr"

    @property
    def builder(self) -> _Builder:
        return self.main.global_data

    def new_arg(self, aval, label=None):
        return StagingTracer(self, aval, Var(aval), frozenset([label] if label else ()))

    def pure(self, val):
        if type(val) in SCALAR_TYPES:
            return val
        consts = self.builder.consts
        hit = consts.get(id(val))
        if hit is None:
            aval = aval_of(val)
            hit = consts[id(val)] = (Var(aval), val)
        return StagingTracer(self, hit[0].aval, hit[0])

    lift = pure

    def _atom(self, x):
        if isinstance(x, StagingTracer):
            return x.var
        if type(x) in SCALAR_TYPES:
            return Literal(x)
        return self.pure(x).var

    def process_primitive(self, prim, tracers, params):
        in_avals = [t.aval if isinstance(t, StagingTracer) else t for t in tracers]
        out = abstract_eval(prim, in_avals, params)
        outs = out if prim.multiple_results else [out]
        sources = frozenset().union(*[t.sources for t in tracers if isinstance(t, StagingTracer)])
        out_tracers = [StagingTracer(self, a, Var(a), sources) for a in outs]
        self.builder.eqns.append(Equation(prim, [self._atom(t) for t in tracers],
                                          [t.var for t in out_tracers], params))
        return out_tracers

    # custom_jvp / custom_vjp functions are inlined (Trace's default): their rules
    # matter only to differentiation, which happens above this trace.


def abstract_eval(prim, in_avals, params):
    """Output aval(s) of ``prim``: its shape rule, or NumPy on zeros when it has none."""
    if prim.abstract_eval is not None:
        try:
            return prim.abstract_eval(*in_avals, **params)
        except AttributeError:   # a rule that does not take Python scalars: probe instead
            pass
    args = [np.zeros(a.shape, a.dtype) if isinstance(a, ShapedArray) else a for a in in_avals]
    out = prim.impl(CPU.xp, *args, **params)
    if prim.multiple_results:
        return [ShapedArray(np.shape(o), np.asarray(o).dtype) for o in out]
    return ShapedArray(np.shape(out), np.asarray(out).dtype)


def trace_to_jaxpr(flat_fun: Callable, in_avals, transform="make_jaxpr", labels=None) -> Jaxpr:
    """Stage ``flat_fun`` (flat list of args -> flat list of outs) at ``in_avals``.

    ``labels`` name the arguments for error messages (e.g. "x" or "params['W']").
    """
    builder = _Builder()
    labels = labels or [None] * len(in_avals)
    with new_main(StagingTrace, global_data=builder, transform=transform, dynamic=True) as main:
        trace = main.trace
        args = [trace.new_arg(a, l) for a, l in zip(in_avals, labels)]
        outs = flat_fun(*args)
        outs = [full_raise(trace, o) for o in outs]
    const_items = list(builder.consts.values())
    outvars = [trace._atom(o) for o in outs]
    return Jaxpr([a.var for a in args], [v for v, _ in const_items],
                 [c for _, c in const_items], builder.eqns, outvars)


def eval_jaxpr(jaxpr: Jaxpr, consts, *args):
    """Run the program by binding each equation's primitive (so transforms compose)."""
    env = {}
    for v, x in zip(jaxpr.constvars, consts):
        env[v] = x
    for v, x in zip(jaxpr.invars, args):
        env[v] = x

    def read(a):
        return a.val if type(a) is Literal else env[a]

    for eqn in jaxpr.eqns:
        out = bind(eqn.prim, *[read(a) for a in eqn.inputs], **eqn.params)
        if eqn.prim.multiple_results:
            for v, o in zip(eqn.outputs, out):
                env[v] = o
        else:
            env[eqn.outputs[0]] = out
    return [read(v) for v in jaxpr.outvars]


# ------------------------------------------------------------------ public --
def make_jaxpr(fun: Callable, static_argnums=()) -> Callable:
    """A function returning the program ``fun`` computes at the given arguments.

    It sees through every transform used inside ``fun``, so it shows what a
    derivative computes.

    >>> import fgrad, fgrad.numpy as fnp
    >>> print(fgrad.make_jaxpr(fgrad.grad(lambda x: fnp.sin(x) * 2.0))(1.0))
    { lambda a:f64[]; b:f64[]. let
        c:f64[] = sin b
        d:f64[] = mul c 2.0
        e:f64[] = mul a 2.0
        f:f64[] = cos b
        g:f64[] = mul e f
      in (g,) }
    """
    static = (static_argnums,) if isinstance(static_argnums, int) else tuple(static_argnums)

    @functools.wraps(fun)
    def wrapped(*args, **kwargs):
        flat_fun, leaves, _, out_tree = flatten_fun(fun, args, kwargs, static)
        avals = [aval_of(to_value(x)[0]) for x in leaves]
        jaxpr = trace_to_jaxpr(flat_fun, avals, labels=arg_labels(fun, args, static))
        jaxpr.out_tree = out_tree[0]
        return jaxpr
    return wrapped


def flatten_fun(fun, args, kwargs, static):
    """``fun`` as a function of the flat leaves of its non-static arguments.

    Returns ``(flat_fun, leaves, in_tree, out_tree_box)``; ``out_tree_box[0]`` is
    set once ``flat_fun`` has run.
    """
    dyn_idx = [i for i in range(len(args)) if i not in static]
    leaves, in_tree = tree_flatten([args[i] for i in dyn_idx])
    out_tree = []

    def flat_fun(*flat):
        full = list(args)
        for i, v in zip(dyn_idx, tree_unflatten(in_tree, list(flat))):
            full[i] = v
        out_leaves, tree = tree_flatten(fun(*full, **kwargs))
        out_tree[:] = [tree]
        return out_leaves
    return flat_fun, leaves, in_tree, out_tree


def arg_labels(fun, args, static) -> list[str]:
    """A readable name per leaf of the non-static arguments: ``x``, ``params['W']``."""
    import inspect
    try:
        names = list(inspect.signature(fun).parameters)
    except (TypeError, ValueError):
        names = []
    labels = []
    for i, a in enumerate(args):
        if i in static:
            continue
        base = names[i] if i < len(names) else f"args[{i}]"
        leaves, _ = tree_flatten(a)
        if len(leaves) == 1 and leaves[0] is a:
            labels.append(base)
        else:
            labels.extend(_leaf_paths(a, base))
    return labels


def _leaf_paths(tree, prefix):
    if isinstance(tree, dict):
        return [p for k in sorted(tree) for p in _leaf_paths(tree[k], f"{prefix}[{k!r}]")]
    if isinstance(tree, (list, tuple)):
        return [p for i, v in enumerate(tree) for p in _leaf_paths(v, f"{prefix}[{i}]")]
    if tree is None:
        return []
    leaves, _ = tree_flatten(tree)
    return [prefix] * len(leaves)


# ---------------------------------------------------------------- printing --
_SHORT = {"float64": "f64", "float32": "f32", "float16": "f16", "int64": "i64", "int32": "i32",
          "int16": "i16", "int8": "i8", "uint8": "u8", "uint32": "u32", "uint64": "u64",
          "bool": "bool", "complex128": "c128", "complex64": "c64"}


def _aval_str(aval):
    dt = _SHORT.get(aval.dtype.name, aval.dtype.name)
    return f"{dt}[{','.join(map(str, aval.shape))}]"


def _names():
    letters = "abcdefghijklmnopqrstuvwxyz"
    for n in itertools.count(1):
        for combo in itertools.product(letters, repeat=n):
            yield "".join(combo)


def _param_str(v):
    if isinstance(v, np.dtype):
        return v.name
    if isinstance(v, type) and issubclass(v, np.generic):
        return np.dtype(v).name
    if isinstance(v, Jaxpr):
        return "{...}"
    return repr(v)


def _sub_program(v, indent):
    """A parameter holding programs (control flow), printed as JAX prints them."""
    pad = " " * indent
    if isinstance(v, Jaxpr):
        return _pretty(v, indent)
    inner = "\n".join(f"{pad}  {_pretty(j, indent + 2)}" for j in v)
    return f"(\n{inner}\n{pad})"


def _is_program(v):
    return isinstance(v, Jaxpr) or (isinstance(v, tuple) and v and
                                    all(isinstance(j, Jaxpr) for j in v))


def _pretty(jaxpr: Jaxpr, indent: int = 0) -> str:
    gen = _names()
    names: dict[Var, str] = {}

    def name(v):
        if type(v) is Literal:
            return repr(v.val)
        if v not in names:
            names[v] = next(gen)
        return names[v]

    def binder(v):
        return f"{name(v)}:{_aval_str(v.aval)}"

    consts = " ".join(binder(v) for v in jaxpr.constvars)
    ins = " ".join(binder(v) for v in jaxpr.invars)
    pad = " " * indent
    lines = [f"{{ lambda {consts}; {ins}. let"]
    for eqn in jaxpr.eqns:
        outs = " ".join(binder(v) for v in eqn.outputs)
        params = ""
        if any(_is_program(v) for v in eqn.params.values()):
            params = "[\n" + "".join(
                f"{pad}      {k}={_sub_program(v, indent + 6) if _is_program(v) else _param_str(v)}\n"
                for k, v in eqn.params.items()) + f"{pad}    ]"
        elif eqn.params:
            params = "[" + " ".join(f"{k}={_param_str(v)}" for k, v in eqn.params.items()) + "]"
        args = " ".join(name(a) for a in eqn.inputs)
        lines.append(f"{pad}    {outs} = {eqn.prim.name}{params} {args}")
    outs = ", ".join(name(v) for v in jaxpr.outvars)
    lines.append(f"{pad}  in ({outs},) }}")
    return "\n".join(lines)
