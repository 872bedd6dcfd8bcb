"""``jit``: trace once per input signature, simplify, replay without tracers.

``jit(f)`` stages ``f`` into the program ``make_jaxpr`` prints, simplifies it
(constant folding, algebraic identities such as ``x * 1`` and ``x + 0``,
reshape chains, common subexpressions, dead code) and caches it per input
signature (pytree structure, shapes, dtypes, device, static arguments). The
program is then generated as one straight-line Python function over backend
arrays (one line per primitive, calling its backend function or ``impl``;
Python operators for 0-d float arithmetic), so a call on concrete arrays runs
no tracers, no ``bind`` and no interpreter loop, and frees every intermediate
after its last use. A call on traced values (``grad(jit(f))``,
``vmap(jit(f))``) evaluates the program through ``bind`` instead, so it
composes with every transform.
"""
from __future__ import annotations

import functools
import inspect
import math
import weakref
from typing import Callable, Iterable, Sequence

import numpy as np

from .. import errors
from .._array import Array, wrap_raw
from ..devices import CPU
from ..tree_util import tree_flatten, tree_unflatten
from .core import SCALAR_TYPES, Tracer, _state, aval_of, from_output, to_value
from .wrappers import is_wrapped, jit_takeovers, wrapper_type
from .staging import (Equation, Jaxpr, Literal, Var, _leaf_paths, arg_labels, eval_jaxpr,
                      flatten_fun, trace_to_jaxpr)

# Fold constants only while the folded value stays small (folding must not bloat memory).
FOLD_LIMIT = 1 << 16
# Below this many elements, allocating beats passing ``out=`` (measured on small arrays:
# the 4-element dispatch chain of benchmarks/run.py).
DONATE_MIN_SIZE = 4096


# One trace cache per function, shared by every ``jit(f)`` wrapper of it (as JAX's): a
# weak map from the function to its caches, one pair per static configuration.
_CACHES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def jit(fun: Callable | None = None, /, *, static_argnums: int | Sequence[int] | None = None,
        static_argnames: str | Iterable[str] | None = None,
        donate_argnums: int | Sequence[int] | None = None,
        donate_argnames: str | Iterable[str] | None = None, keep_unused: bool = False,
        inline: bool = False) -> Callable:
    """``fun`` compiled to a cached, simplified program replayed without Python dispatch.

    Arguments in ``static_argnums`` (positions) or ``static_argnames`` (keyword names)
    are part of the cache key (they must be hashable) and may drive Python control
    flow; the others, keyword arguments included, are traced, so branching on their
    values raises ``ConcretizationTypeError``. As in JAX, positions and names of one
    parameter are matched through ``fun``'s signature when only one of the two is given.
    Called without ``fun``, ``jit`` returns a decorator (``@jit(static_argnums=1)``).
    The trace cache belongs to ``fun``: two ``jit(fun)`` wrappers share it.

    ``donate_argnums``/``donate_argnames`` are accepted as the hint JAX defines them to
    be; NumPy programs do not reuse donated buffers, so a donated Array stays valid
    (JAX too keeps a donated buffer it cannot use). ``keep_unused`` and ``inline`` are
    accepted and change nothing here.

    >>> import fgrad, fgrad.numpy as fnp
    >>> f = fgrad.jit(lambda x: fnp.sum(fnp.sin(x) * 1.0 + 0.0))
    >>> f(fnp.zeros(3))
    Array(0.)
    >>> fgrad.grad(f)(fnp.zeros(3))
    Array([1., 1., 1.])
    >>> @fgrad.jit(static_argnames="n")
    ... def power(x, n):
    ...     return x ** n if n > 0 else 1.0 / x
    >>> power(fnp.asarray(2.0), n=3)
    Array(8.)
    """
    if fun is None:
        return functools.partial(jit, static_argnums=static_argnums,
                                 static_argnames=static_argnames, donate_argnums=donate_argnums,
                                 donate_argnames=donate_argnames, keep_unused=keep_unused,
                                 inline=inline)
    if not callable(fun):
        raise TypeError(f"jit: expected a function, got {type(fun).__name__} ({fun!r})")
    nums, names = _static_spec(fun, static_argnums, static_argnames)
    _static_spec(fun, donate_argnums, donate_argnames)      # validated like JAX, then unused
    static = bool(nums or names)
    try:
        per_fun = _CACHES.get(fun)
        if per_fun is None:
            per_fun = _CACHES[fun] = {}
    except TypeError:             # not weakly referenceable: this wrapper's own cache
        per_fun = {}
    # Calls whose arguments are all Arrays (no pytrees, keywords or static arguments)
    # find their program by shapes, dtypes and devices alone, in ``array_cache``.
    cache, array_cache = per_fun.setdefault((nums, names), ({}, {}))

    @functools.wraps(fun)
    def jitted(*args, **kwargs):
        if not kwargs and not static and _state.dynamic is None:
            sig = tuple([(a._value.shape, a._value.dtype, a._device) for a in args
                         if type(a) is Array])
            entry = array_cache.get(sig) if len(sig) == len(args) else None
            if entry is not None:
                return tree_unflatten(entry.jaxpr.out_tree, entry.replay(args))
        for wrapper in jit_takeovers():   # a wrapper layer may take the call over
            res = wrapper.call_jitted(jitted, fun, nums, args, kwargs)
            if res is not NotImplemented:
                return res
        target, args_, static_n, static_key, labels = _split_call(fun, args, kwargs, nums, names)
        flat_fun, leaves, in_tree, out_tree = flatten_fun(target, args_, {}, static_n)
        out_wraps, kinds = None, ()
        if any(is_wrapped(x) for x in leaves):
            fun_, args_, out_wraps, kinds = _adapt_wrapped(target, args_, static_n)
            flat_fun, leaves, in_tree, out_tree = flatten_fun(fun_, args_, {}, static_n)
        converted = [to_value(x) for x in leaves]
        vals = [v for v, _ in converted]
        key = (in_tree, tuple([(v.shape, v.dtype, v.device) for v in vals]), static_key, kinds)
        try:
            entry = cache.get(key)
        except TypeError:
            raise TypeError(f"jit: static arguments must be hashable; got "
                            f"{[type(v).__name__ for _, v in static_key]}") from None
        if entry is None:
            jaxpr = trace_to_jaxpr(flat_fun, [aval_of(v) for v in vals], transform="jit",
                                   labels=labels())
            jaxpr.out_tree = out_tree[0]
            device = vals[0].device if vals else CPU
            entry = Compiled(simplify(jaxpr), device)
            entry.out_wraps = list(out_wraps) if out_wraps is not None else None
            if not entry.has_traced_consts:
                cache[key] = entry        # constants closed over from a transform: re-trace
                if not kwargs and not static and all(type(a) is Array for a in args):
                    array_cache[tuple([(a._value.shape, a._value.dtype, a._device)
                                       for a in args])] = entry
        outs = entry(vals)
        wrap = next((w for (v, w), leaf in zip(converted, leaves) if leaf is not v), None)
        if wrap is not None:
            outs = [wrap(o) for o in outs]
        if entry.out_wraps is not None:   # wrapped outputs leave wrapped again
            outs = [o if w is None else w.wrap(o, None) for o, w in zip(outs, entry.out_wraps)]
        return tree_unflatten(entry.jaxpr.out_tree, outs)

    jitted.lower = lambda *a, **k: _lowered(fun, a, k, nums, names)
    jitted._cache = cache
    jitted.clear_cache = lambda: (cache.clear(), array_cache.clear()) and None
    return jitted


def _static_spec(fun, argnums, argnames) -> tuple[tuple[int, ...], frozenset]:
    """``(argnums, argnames)`` completed from each other through ``fun``'s signature, as
    JAX's ``jit`` does when only one of them is given."""
    nums = () if argnums is None else (argnums,) if isinstance(argnums, int) else \
        tuple(argnums)
    names = () if argnames is None else (argnames,) if isinstance(argnames, str) else \
        tuple(argnames)
    if not all(isinstance(i, int) for i in nums):
        raise TypeError(f"jit: argnums must be integers, got {nums!r}")
    if not all(isinstance(n, str) for n in names):
        raise TypeError(f"jit: argnames must be strings, got {names!r}")
    try:
        params = list(inspect.signature(fun).parameters.values())
    except (TypeError, ValueError):
        return tuple(sorted(set(nums))), frozenset(names)
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if not any(p.kind is p.VAR_POSITIONAL for p in params):
        out_of_range = [i for i in nums if not -len(positional) <= i < len(positional)]
        if out_of_range:     # JAX's check: the index would silently name no argument
            raise ValueError(f"Jitted function has static_argnums={nums}, but only accepts "
                             f"{len(positional)} positional arguments.")
    if argnames is None:
        names = tuple(positional[i].name for i in nums if -len(positional) <= i < len(positional)
                      and positional[i].kind is not inspect.Parameter.POSITIONAL_ONLY)
    elif argnums is None:
        nums = tuple(k for k, p in enumerate(positional) if p.name in names)
    has_var_kw = any(p.kind is p.VAR_KEYWORD for p in params)
    known = {p.name for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
    bad = [n for n in names if n not in known]
    if bad and not has_var_kw:
        raise ValueError(f"jit: static/donate argnames {bad} are not parameters of "
                         f"{getattr(fun, '__name__', fun)!r} (parameters: {sorted(known)})")
    return tuple(sorted(set(nums))), frozenset(names)


def _call_with_kwargs(fun, static_kw, *args):
    """``fun(*args[:-1], **args[-1], **static_kw)``: traced keyword arguments ride along as
    one last positional dict, so they are flattened and traced with the others."""
    return fun(*args[:-1], **args[-1], **static_kw)


def _split_call(fun, args, kwargs, nums, names):
    """A call split into what is traced and what keys the cache.

    Returns ``(target, args, static_n, static_key, labels)``: ``target(*args)`` is the
    call, ``static_n`` the positions of static arguments in ``args``, ``static_key`` their
    values (and the static keywords'), ``labels()`` the names ``make_jaxpr`` prints.
    """
    n = len(args)
    static_n = tuple(sorted({i % n for i in nums if -n <= i < n}))
    static_kw = {k: v for k, v in kwargs.items() if k in names}
    static_key = tuple([(i, args[i]) for i in static_n]) + tuple(sorted(static_kw.items()))
    if len(static_kw) == len(kwargs):
        target = fun if not static_kw else functools.partial(fun, **static_kw)
        return target, args, static_n, static_key, lambda: arg_labels(fun, args, static_n)
    dyn_kw = {k: v for k, v in kwargs.items() if k not in names}
    target = functools.partial(_call_with_kwargs, fun, static_kw)

    def labels():
        return arg_labels(fun, args, static_n) + \
            [p for k in sorted(dyn_kw) for p in _leaf_paths(dyn_kw[k], k)]
    return target, args + (dyn_kw,), static_n, static_key, labels


def _adapt_wrapped(fun, args, static_n):
    """Leaves of a registered wrapper type (``Tensor``s) among the traced arguments replaced
    by their values, and ``fun`` adapted to see them wrapped again and to return values.

    Returns ``(fun, args, out_wraps, kinds)``: ``out_wraps`` is filled while tracing with
    the ``WrapperType`` (or None) of each output leaf; ``kinds`` keys the cache. Without
    wrapped leaves, ``fun`` and ``args`` come back unchanged and ``out_wraps`` is None.
    """
    dyn = [i for i in range(len(args)) if i not in static_n]
    leaves, tree = tree_flatten([args[i] for i in dyn])
    if not any(is_wrapped(l) for l in leaves):
        return fun, args, None, ()
    converted = [to_value(l) for l in leaves]
    wraps = [w for _, w in converted]
    new_args = list(args)
    for i, a in zip(dyn, tree_unflatten(tree, [v for v, _ in converted])):
        new_args[i] = a
    out_wraps: list = []

    def adapted(*a, **k):
        a = list(a)
        inner, t = tree_flatten([a[i] for i in dyn])
        for i, x in zip(dyn, tree_unflatten(t, [w(x) for w, x in zip(wraps, inner)])):
            a[i] = x
        out_leaves, out_tree = tree_flatten(fun(*a, **k))
        out_wraps[:] = [wrapper_type(type(o)) for o in out_leaves]
        return tree_unflatten(out_tree, [from_output(o) for o in out_leaves])
    return adapted, tuple(new_args), out_wraps, tuple(type(l).__name__ for l in leaves)


def _lowered(fun, args, kwargs, nums, names) -> Jaxpr:
    """The simplified program ``jit`` would run for these arguments."""
    target, args, static_n, _, labels = _split_call(fun, args, kwargs, nums, names)
    target, args, _, _ = _adapt_wrapped(target, args, static_n)
    flat_fun, leaves, _, out_tree = flatten_fun(target, args, {}, static_n)
    jaxpr = trace_to_jaxpr(flat_fun, [aval_of(to_value(x)[0]) for x in leaves], transform="jit",
                           labels=labels())
    jaxpr.out_tree = out_tree[0]
    return simplify(jaxpr)


class Compiled:
    """A simplified program plus a flat replay plan over backend values."""

    def __init__(self, jaxpr: Jaxpr, device):
        self.jaxpr = jaxpr
        self.device = device
        xp = device.xp
        self.has_traced_consts = any(isinstance(c, Tracer) for c in jaxpr.consts)
        slot: dict[Var, int] = {}
        const_slots = []
        for v, c in zip(jaxpr.constvars, jaxpr.consts):
            slot[v] = len(slot)
            const_slots.append((slot[v], c))
        in_slots = []
        for v in jaxpr.invars:
            slot[v] = len(slot)
            in_slots.append(slot[v])
        literals = []

        def ref(a):
            if type(a) is Literal:
                literals.append((len(slot) + len(literals), a.val))
                return literals[-1][0]
            return slot[a]

        steps = []
        fresh = set()          # slots holding arrays a ufunc step allocated (not views)
        viewed = set()         # slots read by a non-ufunc step (which may return a view)
        out_avals = {slot[v]: v.aval for v in jaxpr.invars}
        prims = []
        for eqn in jaxpr.eqns:
            ins = tuple(ref(a) for a in eqn.inputs)
            for v in eqn.outputs:
                slot[v] = len(slot) + len(literals)
            outs = tuple(slot[v] for v in eqn.outputs)
            prim = eqn.prim
            if prim.backend_fn is not None and not eqn.params:
                fn = getattr(xp, prim.backend_fn)
            else:
                fn = functools.partial(prim.impl, xp, **eqn.params)
            is_ufunc = isinstance(fn, np.ufunc) and fn.nout == 1 and device is CPU
            if is_ufunc:
                fresh.update(outs)
            else:
                viewed.update(ins)
            for v, s in zip(eqn.outputs, outs):
                out_avals[s] = v.aval
            steps.append((fn, ins, outs, prim.multiple_results, is_ufunc))
            prims.append(prim)
        self.out_slots = [ref(v) for v in jaxpr.outvars]
        # free each intermediate after its last use (inputs and constants belong to the caller)
        last_use = {}
        for k, (_, ins, _, _, _) in enumerate(steps):
            for i in ins:
                last_use[i] = k
        keep = set(self.out_slots) | {s for s, _ in const_slots} | set(in_slots) | \
            {s for s, _ in literals}
        frees = [[] for _ in steps]
        for s, k in last_use.items():
            if s not in keep:
                frees[k].append(s)
        # A ufunc may write its result into an input buffer that dies with it (same shape
        # and dtype, allocated by an earlier ufunc, never seen by an op that could view it):
        # fewer allocations, lower peak memory.
        self.steps = []
        for k, ((fn, ins, outs, multi, is_ufunc), f) in enumerate(zip(steps, frees)):
            donate = -1
            if is_ufunc and out_avals[outs[0]].size >= DONATE_MIN_SIZE:
                for pos, i in enumerate(ins):
                    if i in fresh and i not in viewed and i not in keep and last_use[i] == k \
                            and out_avals[i] == out_avals[outs[0]]:
                        donate = pos
                        break
            self.steps.append((fn, ins, outs, multi, tuple(f), donate))
        self.n_slots = len(slot) + len(literals)
        self.const_slots = const_slots
        self.in_slots = in_slots
        self.literals = literals
        self.run = self._generate(prims, out_avals)

    def __call__(self, vals):
        jaxpr = self.jaxpr
        if _state.dynamic is None and not self.has_traced_consts and \
                all(type(v) is Array for v in vals):
            return self.replay(vals)
        return eval_jaxpr(jaxpr, jaxpr.consts, *vals)

    def _generate(self, prims, avals):
        """The program as one straight-line Python function over backend values.

        One line per step (``v7 = f3(v1, v2)``), ``del`` after each value's last use,
        ``out=`` where a dying buffer is donated: no interpreter loop, no environment
        list. Arithmetic on 0-d floating values is written with Python operators on
        NumPy scalars (exactly what the ufuncs compute, at a fraction of the call cost);
        float64 ``+ - *`` chains run on Python floats, which are IEEE doubles too, and go
        back to NumPy scalars wherever a primitive or the caller receives them. This is
        what long scalar programs (a 10,000-op chain of 0-d values) spend their time on.
        """
        names = {"_f64": np.float64}                # globals of the generated function
        literal = {}
        for s, c in self.const_slots:
            names[f"v{s}"] = c._value if type(c) is Array else c
        for s, val in self.literals:
            names[f"v{s}"] = val
            literal[s] = val
        pyfloat = set()                              # slots holding Python floats

        def arg(i, as_float=False):
            if i in literal:
                val = literal[i]
                inline = type(val) is int or type(val) is float and math.isfinite(val)
                return repr(val) if as_float and inline else f"v{i}"
            if i in pyfloat:
                return f"v{i}" if as_float else f"_f64(v{i})"
            return f"float(v{i})" if as_float else f"v{i}"

        lines = [f"def run({', '.join(f'v{s}' for s in self.in_slots)}):"]
        for k, ((fn, ins, outs, multi, frees, donate), prim) in enumerate(zip(self.steps, prims)):
            op = prim.python_operator
            scalar = op is not None and donate < 0 and self.device is CPU and \
                all(i in literal or _is_scalar_float(avals.get(i)) for i in ins) and \
                any(i not in literal for i in ins)
            if scalar and prim.python_operator_on_floats and \
                    avals[outs[0]].dtype == np.float64 and \
                    all(avals[i].dtype == np.float64 if i not in literal
                        else type(literal[i]) in (int, float) for i in ins):
                call = op.format(*[arg(i, as_float=True) for i in ins])
                pyfloat.add(outs[0])
            elif scalar:
                call = op.format(*[arg(i) for i in ins])
            else:
                names[f"f{k}"] = fn
                extra = [f"out=v{ins[donate]}"] if donate >= 0 else []
                call = f"f{k}({', '.join([arg(i) for i in ins] + extra)})"
            target = ", ".join(f"v{o}" for o in outs) + ("," if multi and len(outs) == 1 else "")
            lines.append(f"    {target} = {call}")
            if frees:
                lines.append(f"    del {', '.join(f'v{s}' for s in frees)}")
        lines.append(f"    return [{', '.join(arg(s) for s in self.out_slots)}]")
        exec(compile("\n".join(lines), "<fgrad.jit program>", "exec"), names)
        return names["run"]

    def replay(self, vals):
        device = self.device
        args = []
        for v in vals:
            if v._device is not device:
                raise errors.device_mismatch("jit", device, v._device)
            args.append(v._value)
        return [wrap_raw(r, device) if type(r) not in SCALAR_TYPES else r
                for r in self.run(*args)]


def _is_scalar_float(aval) -> bool:
    return aval is not None and aval.shape == () and aval.dtype.kind in "fc"


# -------------------------------------------------------------- simplify ----
def _uniform_value(a, known, uniform):
    """The one value every element of ``a`` holds, if known now: a scalar literal, a small
    constant with all elements equal (grad's seed), or a broadcast/reshape of one."""
    if type(a) is Literal:
        return None if isinstance(a.val, bool) else a.val
    if a in uniform:
        return uniform[a]
    c = known.get(a)
    if type(c) is Array and c.dtype.kind in "fc" and 0 < c.size <= 16:
        host = c._device.to_host(c._value)
        first = host.reshape(-1)[0]
        if (host == first).all():
            return first.item()
    return None


def _identity_of(eqn, ins, known, uniform):
    """The input an equation merely passes on (``x * 1``, ``x + 0``, ``x ** 1``, no-op
    reshapes), or None."""
    prim, out = eqn.prim, eqn.outputs[0].aval
    unit = prim.identity
    if unit is not None:
        candidates = [(ins[0], ins[1])]
        if prim.commutative:
            candidates.append((ins[1], ins[0]))
        for x, other in candidates:
            if type(x) is Var and x.aval == out and _uniform_value(other, known, uniform) == unit:
                return x
    if prim.noop_if_same_aval is not None and type(ins[0]) is Var and ins[0].aval == out and \
            prim.noop_if_same_aval(**eqn.params):
        return ins[0]
    return None


def simplify(jaxpr: Jaxpr) -> Jaxpr:
    """Constant folding, identities, reshape chains, CSE and dead-code elimination."""
    subst: dict[Var, object] = {}
    known = {v: c for v, c in zip(jaxpr.constvars, jaxpr.consts) if not isinstance(c, Tracer)}
    new_consts: dict[Var, object] = {}
    producer: dict[Var, Equation] = {}
    uniform: dict[Var, object] = {}    # vars whose elements all hold one known value
    seen: dict = {}
    eqns = []
    for eqn in jaxpr.eqns:
        ins = [subst.get(a, a) if type(a) is Var else a for a in eqn.inputs]
        prim = eqn.prim
        if not prim.multiple_results:
            same = _identity_of(eqn, ins, known, uniform)
            if same is not None:
                subst[eqn.outputs[0]] = same
                continue
            if prim.keeps_elements and type(ins[0]) is Var:
                value = _uniform_value(ins[0], known, uniform)
                if value is not None:
                    uniform[eqn.outputs[0]] = value
        # reshape of a reshape: one reshape of the original; transposes compose
        if prim.compose is not None and type(ins[0]) is Var and \
                ins[0] in producer and producer[ins[0]].prim is prim:
            inner = producer[ins[0]]
            ins[0] = inner.inputs[0]
            eqn = Equation(prim, ins, eqn.outputs, prim.compose(inner.params, eqn.params))
            same = _identity_of(eqn, ins, known, uniform)   # a round trip: no op at all
            if same is not None:
                subst[eqn.outputs[0]] = same
                continue
        if prim.effectful:            # runs at run time, every time: no folding, no CSE
            new = Equation(prim, ins, eqn.outputs, eqn.params)
            for v in eqn.outputs:
                producer[v] = new
            eqns.append(new)
            continue
        # constant folding
        if all(type(a) is Literal or a in known for a in ins) and \
                all(np.prod(v.aval.shape, dtype=np.int64) <= FOLD_LIMIT for v in eqn.outputs):
            folded = _fold(prim, ins, known, eqn.params)
            if folded is not None:
                for v, val in zip(eqn.outputs, folded):
                    known[v] = new_consts[v] = val
                continue
        # common subexpressions
        try:
            key = (prim, tuple(("lit", type(a.val), a.val) if type(a) is Literal else a
                               for a in ins), tuple(sorted(eqn.params.items())))
            hash(key)
        except TypeError:
            key = None
        if key is not None and key in seen:
            for v, w in zip(eqn.outputs, seen[key].outputs):
                subst[v] = w
            continue
        new = Equation(prim, ins, eqn.outputs, eqn.params)
        if key is not None:
            seen[key] = new
        for v in eqn.outputs:
            producer[v] = new
        eqns.append(new)
    outvars = [subst.get(v, v) if type(v) is Var else v for v in jaxpr.outvars]
    eqns = _implicit_broadcasts(eqns, outvars)
    # dead code: keep what the outputs need
    needed = {v for v in outvars if type(v) is Var}
    kept = []
    for eqn in reversed(eqns):
        if eqn.prim.effectful or any(v in needed for v in eqn.outputs):
            kept.append(eqn)
            needed.update(a for a in eqn.inputs if type(a) is Var)
    kept.reverse()
    consts = [(v, c) for v, c in zip(jaxpr.constvars, jaxpr.consts) if v in needed]
    consts += [(v, c) for v, c in new_consts.items() if v in needed]
    return Jaxpr(jaxpr.invars, [v for v, _ in consts], [c for _, c in consts], kept,
                 outvars, jaxpr.out_tree)


def _implicit_broadcasts(eqns, outvars):
    """Feed a ``broadcast_to``'s input straight to the element-wise ops that use it when
    their own broadcasting yields the same output shape (the cotangent of a ``sum``
    times an array, say): NumPy's ``broadcast_to`` costs microseconds of Python, and
    the broadcast itself then dies as dead code."""
    source = {e.outputs[0]: e.inputs[0] for e in eqns
              if e.prim.implied_by_broadcasting and type(e.inputs[0]) is Var}
    if not source:
        return eqns
    keep = set(outvars)
    out = []
    for eqn in eqns:
        if eqn.prim.broadcasting and any(a in source and a not in keep for a in eqn.inputs):
            ins = list(eqn.inputs)
            for k, a in enumerate(ins):
                if a in source and a not in keep:
                    trial = ins[:k] + [source[a]] + ins[k + 1:]
                    if _broadcast_shape(trial) == eqn.outputs[0].aval.shape:
                        ins = trial
            if ins != list(eqn.inputs):
                eqn = Equation(eqn.prim, ins, eqn.outputs, eqn.params)
        out.append(eqn)
    return out


def _broadcast_shape(ins):
    shapes = [a.aval.shape if type(a) is Var else np.shape(a.val) for a in ins]
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        return None


def _fold(prim, ins, known, params):
    """Evaluate ``prim`` on known constants now; None if it cannot be (e.g. an error)."""
    args = [a.val if type(a) is Literal else known[a] for a in ins]
    devices = {a._device for a in args if type(a) is Array}
    if len(devices) > 1:
        return None
    device = devices.pop() if devices else CPU
    raw = [a._value if type(a) is Array else a for a in args]
    try:
        out = prim.impl(device.xp, *raw, **params)
    except Exception:
        return None
    outs = out if prim.multiple_results else [out]
    return [wrap_raw(o, device) for o in outs]
