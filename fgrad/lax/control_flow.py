"""JAX's structured control flow: ``cond switch while_loop fori_loop scan map associative_scan``.

Each traces its functions once into programs (as ``make_jaxpr`` does) and binds a
control-flow primitive (``fgrad/primitives/control_flow.py``), so ``grad``, ``jvp``,
``vmap``, ``jit`` and ``make_jaxpr`` compose with them. Arguments may be pytrees of
Arrays, scalars or facade Tensors (the functions then see Tensors).
"""
from __future__ import annotations

import operator
from typing import Callable, Sequence

import numpy as np

from ..primitives import shape as S, unary
from ..primitives.binary import select as _select
from ..primitives.control_flow import cond_p, scan_p, while_p
from ..transforms import programs as P
from ..transforms.core import from_output, to_value
from ..transforms.wrappers import is_wrapped
from .._array import wrap_raw
from ..devices import CPU
from ..transforms.core import ShapedArray, Tracer, aval_of
from ..transforms.staging import Jaxpr, Var
from ..tree_util import tree_flatten, tree_unflatten

_SCALARS = (bool, int, float, complex)


def _flatten(tree, *others):
    """(operands for ``bind``, their avals, re-wrapping functions, treedef) of ``tree``'s
    leaves; Python scalars become arrays on the device of the first array among ``tree``
    and ``others``."""
    leaves, treedef = tree_flatten(tree)
    device = None
    for leaf in leaves + [l for o in others for l in tree_flatten(o)[0]]:
        if type(leaf) not in _SCALARS:
            device = to_value(leaf)[0].device
            break
    operands, avals, wraps = [], [], []
    for leaf in leaves:
        v, w = to_value(leaf)
        if type(leaf) in _SCALARS and device is not None and device is not CPU:
            v = wrap_raw(device.from_host(np.asarray(leaf)), device)
        operands.append(leaf if is_wrapped(leaf) else v)   # Tensors keep autograd
        avals.append(aval_of(v))
        wraps.append(w)
    return operands, avals, wraps, treedef


def _trace(call, in_tree, wraps, avals, expect=None):
    """Trace ``call(args_tree) -> output tree`` into a program.

    Python scalars among the outputs take the dtype of ``expect[k]`` (the matching
    carry) when given. Returns ``(program, hoisted, out_tree, raw_output)``.
    """
    box = {}

    def flat(*xs):
        out = call(tree_unflatten(in_tree, [w(x) for w, x in zip(wraps, xs)]))
        box["raw"] = out
        leaves, box["tree"] = tree_flatten(out)
        res = []
        for k, leaf in enumerate(leaves):
            if type(leaf) in _SCALARS and expect is not None and k < len(expect):
                leaf = np.asarray(leaf, dtype=expect[k].dtype)
            res.append(from_output(leaf))
        return res
    prog, hoisted = P.trace_program(flat, avals, transform="lax")
    return prog, hoisted, box["tree"], box["raw"]


def _types(avals) -> str:
    return ", ".join(a.str_short() for a in avals)


def _check_same(what_a, tree_a, avals_a, what_b, tree_b, avals_b, kind):
    if tree_a != tree_b:
        raise TypeError(f"{kind} must have the same pytree structure, but they differ: "
                        f"{what_a} is {tree_a} and {what_b} is {tree_b}")
    for k, (a, b) in enumerate(zip(avals_a, avals_b)):
        if a.shape != b.shape or a.dtype != b.dtype:
            raise TypeError(f"{kind} must have identical types, but component {k} of "
                            f"{what_a} has type {a.str_short()} and of {what_b} has type "
                            f"{b.str_short()} ({what_a}: ({_types(avals_a)}); {what_b}: "
                            f"({_types(avals_b)}))")


def _branches(funs, names, operands_tree):
    """Trace every branch on the operands; one program per branch over (all hoisted
    values, operands). Returns (programs, hoisted, operands, out_tree)."""
    ops, avals, wraps, in_tree = _flatten(operands_tree)
    traced = [_trace(lambda args, f=f: f(*args), in_tree, wraps, avals) for f in funs]
    tree0, avals0 = traced[0][2], P.out_avals(traced[0][0])
    for (prog, _, tree, _), name in zip(traced[1:], names[1:]):
        _check_same(f"{names[0]} output", tree0, avals0, f"{name} output", tree,
                    P.out_avals(prog), "branches of cond/switch")
    hoisted = [h for t in traced for h in t[1]]
    hoisted_avals = [aval_of(h) for h in hoisted]
    progs, k = [], 0
    for prog, hs, _, _ in traced:
        n = len(hs)
        before, after = hoisted_avals[:k], hoisted_avals[k + n:]
        own = prog.invars[:n]
        progs.append(Jaxpr([Var(a) for a in before] + own + [Var(a) for a in after]
                           + prog.invars[n:], prog.constvars, prog.consts, prog.eqns,
                           prog.outvars))
        k += n
    return tuple(progs), hoisted, ops, tree0


def switch(index, branches: Sequence[Callable], *operands):
    """Apply ``branches[index]`` to ``operands``; the index is clamped to the range, as in JAX.

    Every branch is traced (their outputs must agree in structure, shape and dtype);
    under ``vmap`` with a batched index every branch runs and a select picks per lane.

    >>> import fgrad.lax as lax, fgrad.numpy as fnp
    >>> lax.switch(5, [fnp.sin, fnp.cos, lambda x: x * 2.0], 1.0)
    Array(2.)
    """
    if not isinstance(branches, (list, tuple)) or not all(callable(b) for b in branches):
        raise TypeError("Branches argument to switch must be a sequence of callables")
    if not branches:
        raise ValueError("Empty branch sequence")
    i = to_value(index)[0]
    if i.shape != ():
        raise TypeError(f"Branch index must be scalar, got {i} of shape {i.shape}.")
    if i.dtype.kind not in "iu":
        raise TypeError(f"Index type must be an integer, got {i.dtype.name}.")
    return _cond_bind(i, tuple(branches), [f"branches[{k}]" for k in range(len(branches))],
                      operands)


def cond(pred, true_fun: Callable, false_fun: Callable, *operands):
    """``true_fun(*operands)`` if ``pred`` else ``false_fun(*operands)``, as ``jax.lax.cond``.

    ``pred`` is a boolean (or integer) scalar, possibly traced; both branches are traced
    and must return the same structure, shapes and dtypes. Under ``vmap`` with a batched
    ``pred`` both branches run and a select picks per lane.

    >>> import fgrad, fgrad.lax as lax, fgrad.numpy as fnp
    >>> f = lambda x: lax.cond(x > 0, lambda x: x ** 2, lambda x: -x, x)
    >>> f(3.0), f(-2.0)
    (Array(9.), Array(2.))
    >>> fgrad.grad(f)(3.0)
    Array(6.)
    """
    p = to_value(pred)[0]
    if p.shape != ():
        raise TypeError(f"Pred must be a scalar, got {p} of shape {p.shape}.")
    if p.dtype.kind not in "biu":
        raise TypeError(f"Pred type must be either boolean or number, got {p.dtype.name}.")
    if p.dtype.kind != "b":
        p = p != 0
    return _cond_bind(p, (false_fun, true_fun), ["false_fun", "true_fun"], operands)


def _cond_bind(index, funs, names, operands):
    index = unary.convert_p.bind(index, dtype=np.dtype(np.int32))
    progs, hoisted, ops, out_tree = _branches(funs, names, operands)
    outs = cond_p.bind(index, *hoisted, *ops, branches=progs)
    return tree_unflatten(out_tree, list(outs))


# ------------------------------------------------------------------- scan --
def scan(f: Callable, init, xs=None, length: int | None = None, reverse: bool = False,
         unroll: int | bool = 1):
    """Loop ``carry, y = f(carry, x)`` over the leading axis of ``xs``; returns
    ``(final carry, stacked ys)``, as ``jax.lax.scan``.

    ``f`` is traced once; the loop runs compiled sub-programs (eagerly and under
    ``jit`` alike). In reverse mode the forward loop stacks each residual in one buffer
    and a reverse loop runs the body's VJP. ``unroll`` is accepted for JAX's signature;
    fgrad has no loop compiler to unroll for, so it does not change the result or the
    program.

    >>> import fgrad.lax as lax, fgrad.numpy as fnp
    >>> lax.scan(lambda c, x: (c + x, c * x), 0.0, fnp.arange(1.0, 5.0))
    (Array(10.), Array([ 0.,  2.,  9., 24.]))
    """
    carry_ops, carry_avals, carry_wraps, carry_tree = _flatten(init, xs)
    x_ops, x_full, x_wraps, x_tree = _flatten(xs, init)
    for a in x_full:
        if a.ndim == 0:
            raise ValueError(f"scan got value with no leading axis to scan over: {a.str_short()}.")
    lengths = sorted({a.shape[0] for a in x_full})
    if length is not None:
        try:
            length = operator.index(length)
        except TypeError:
            raise TypeError("scan: `length` must be a concrete integer, got "
                            f"{type(length).__name__}") from None
        if lengths and lengths != [length]:
            raise ValueError(f"scan got `length` argument of {length} which disagrees with "
                             f"leading axis sizes {lengths}.")
    elif not lengths:
        raise ValueError("scan got no values to scan over and `length` not provided.")
    elif len(lengths) > 1:
        raise ValueError("scan got values with different leading axis sizes: "
                         f"{', '.join(str(a.shape[0]) for a in x_full)}.")
    else:
        length = lengths[0]
    x_avals = [ShapedArray(a.shape[1:], a.dtype, a.device) for a in x_full]
    n_carry = len(carry_avals)
    in_tree = tree_flatten((init, xs))[1]

    def body(args):
        out = f(*args)
        if not (isinstance(out, (tuple, list)) and len(out) == 2):
            raise TypeError("scan body output must be a pair (carry, y), got "
                            f"{type(out).__name__}")
        return tuple(out)
    prog, hoisted, out_tree, raw = _trace(body, in_tree, carry_wraps + x_wraps,
                                          carry_avals + x_avals, expect=carry_avals)
    c_tree = tree_flatten(raw[0])[1]
    out_avals = P.out_avals(prog)
    _check_same("the input carry", carry_tree, carry_avals, "the output carry", c_tree,
                out_avals[:n_carry], "scan body function carry input and carry output")
    outs = scan_p.bind(*hoisted, *carry_ops, *x_ops, jaxpr=prog, num_consts=len(hoisted),
                       num_carry=n_carry, length=length, reverse=bool(reverse))
    y_tree = tree_flatten(raw[1])[1]
    return (tree_unflatten(carry_tree, list(outs[:n_carry])),
            tree_unflatten(y_tree, list(outs[n_carry:])))


def map(f: Callable, xs):   # noqa: A001 (JAX's name)
    """``f`` applied to each slice of ``xs`` along the leading axis, results stacked
    (``jax.lax.map``: a ``scan`` without carry).

    >>> import fgrad.lax as lax, fgrad.numpy as fnp
    >>> lax.map(lambda x: x.sum(), fnp.ones((3, 2)))
    Array([2., 2., 2.])
    """
    return scan(lambda _, x: ((), f(x)), (), xs)[1]


# ------------------------------------------------------------------ while --
def while_loop(cond_fun: Callable, body_fun: Callable, init_val):
    """``val = body_fun(val)`` while ``cond_fun(val)``; returns the final ``val``.

    Beyond JAX, reverse mode works (eagerly and under ``jit``): the loop stacks its
    carries and the trip count is read at run time.

    >>> import fgrad, fgrad.lax as lax
    >>> lax.while_loop(lambda c: c[0] < 5, lambda c: (c[0] + 1, c[1] * 2.0), (0, 1.0))
    (Array(5), Array(32.))
    >>> fgrad.grad(lambda x: lax.while_loop(lambda v: v < 10.0, lambda v: v * 3.0, x))(2.0)
    Array(9.)
    """
    ops, avals, wraps, tree = _flatten(init_val)
    cprog, chs, ctree, _ = _trace(lambda args: cond_fun(*args), tree_flatten((init_val,))[1],
                                  wraps, avals)
    c_out = P.out_avals(cprog)
    if len(c_out) != 1 or c_out[0].shape != () or c_out[0].dtype.kind != "b":
        raise TypeError(f"cond_fun must return a boolean scalar, but got output type(s) "
                        f"({_types(c_out)}).")
    bprog, bhs, btree, _ = _trace(lambda args: body_fun(*args), tree_flatten((init_val,))[1],
                                  wraps, avals, expect=avals)
    _check_same("the input", tree, avals, "the body_fun output", btree, P.out_avals(bprog),
                "body_fun output and input")
    outs = while_p.bind(*chs, *bhs, *ops, cond_jaxpr=cprog, body_jaxpr=bprog,
                        cond_nconsts=len(chs), body_nconsts=len(bhs), stack=False)
    return tree_unflatten(tree, list(outs))


def fori_loop(lower, upper, body_fun: Callable, init_val):
    """``val = body_fun(i, val)`` for ``i`` in ``range(lower, upper)``; returns ``val``.

    With concrete bounds it is a ``scan`` (so every transform works, reverse mode
    included); with traced bounds a ``while_loop``.

    >>> import fgrad.lax as lax
    >>> lax.fori_loop(0, 5, lambda i, x: x + i, 0.0)
    Array(10.)
    """
    lo, hi = to_value(lower)[0], to_value(upper)[0]
    dtype = np.result_type(lo.dtype, hi.dtype)
    if dtype.kind not in "iu":
        raise TypeError(f"fori_loop bounds must be integers, got {lo.dtype.name} and "
                        f"{hi.dtype.name}")
    if not isinstance(lo, Tracer) and not isinstance(hi, Tracer):
        n = max(int(hi) - int(lo), 0)
        i0 = unary.convert_p.bind(lo, dtype=dtype)

        def step(carry, _):
            i, x = carry
            return (i + 1, body_fun(i, x)), ()
        return scan(step, (i0, init_val), None, length=n)[0][1]
    lo = unary.convert_p.bind(lo, dtype=dtype)
    hi = unary.convert_p.bind(hi, dtype=dtype)
    return while_loop(lambda c: c[0] < c[1],
                      lambda c: (c[0] + 1, c[1], body_fun(c[0], c[2])),
                      (lo, hi, init_val))[2]


# ------------------------------------------------------------ associative --
def associative_scan(fn: Callable, elems, reverse: bool = False, axis: int = 0):
    """Inclusive scan of the associative ``fn`` along ``axis`` (``jax.lax.associative_scan``):
    ``out[i] = fn(... fn(elems[0], elems[1]) ..., elems[i])``, in O(log n) rounds of
    ``fn`` on whole arrays (the parallel prefix algorithm), built from slices and
    concatenations.

    >>> import fgrad.lax as lax, fgrad.numpy as fnp
    >>> lax.associative_scan(lambda a, b: a + b, fnp.arange(1.0, 6.0))
    Array([ 1.,  3.,  6., 10., 15.])
    """
    leaves, tree = tree_flatten(elems)
    vals = [to_value(l)[0] for l in leaves]
    wrap = next((to_value(l)[1] for l in leaves if is_wrapped(l)), None)
    if not vals:
        return elems
    axis = axis % vals[0].ndim if vals[0].ndim else axis
    sizes = {v.shape[axis] for v in vals}
    if len(sizes) != 1:
        raise ValueError("Array inputs to associative_scan must have the same first "
                         f"dimension. (saw: {[v.shape for v in vals]})")
    if reverse:
        vals = [S.flip(v, (axis,)) for v in vals]

    def combine(a, b):
        wa = [wrap(x) for x in a] if wrap else a
        wb = [wrap(x) for x in b] if wrap else b
        out = tree_flatten(fn(tree_unflatten(tree, wa), tree_unflatten(tree, wb)))[0]
        return [from_output(o) for o in out]

    def sl(x, start, stop, step=1):
        n = x.shape[axis]
        stop = n if stop is None else (stop if stop >= 0 else n + stop)
        return S.slice_axis(x, axis, start, max(stop, start), step)

    def run(es):
        n = es[0].shape[axis]
        if n < 2:
            return es
        reduced = combine([sl(e, 0, -1, 2) for e in es], [sl(e, 1, None, 2) for e in es])
        odd = run(reduced)
        if n % 2 == 0:
            even = combine([sl(e, 0, -1) for e in odd], [sl(e, 2, None, 2) for e in es])
        else:
            even = combine(odd, [sl(e, 2, None, 2) for e in es])
        even = [S.concatenate([sl(e, 0, 1), r], axis) for e, r in zip(es, even)]
        return [_interleave(a, b, axis) for a, b in zip(even, odd)]
    out = run(vals)
    if reverse:
        out = [S.flip(v, (axis,)) for v in out]
    if wrap:
        out = [wrap(v) for v in out]
    return tree_unflatten(tree, out)


def _interleave(a, b, axis):
    """a[0], b[0], a[1], b[1], ... along ``axis`` (``a`` may be one longer)."""
    na, nb = a.shape[axis], b.shape[axis]
    head = S.slice_axis(a, axis, 0, nb) if na > nb else a
    pair = S.concatenate([S.expand_dims(head, (axis + 1,)), S.expand_dims(b, (axis + 1,))],
                         axis + 1)
    shape = tuple(head.shape)
    out = S.reshape(pair, shape[:axis] + (2 * nb,) + shape[axis + 1:])
    if na > nb:
        out = S.concatenate([out, S.slice_axis(a, axis, nb, na)], axis)
    return out


# -------------------------------------------------------------- selection --
def select(pred, on_true, on_false):
    """``on_true`` where ``pred`` else ``on_false`` (``jax.lax.select``: no broadcasting
    except a scalar ``pred``; the cases must share shape and dtype).

    >>> import fgrad.lax as lax, fgrad.numpy as fnp
    >>> lax.select(fnp.asarray([True, False]), fnp.ones(2), fnp.zeros(2))
    Array([1., 0.])
    """
    p, t, f = (to_value(x)[0] for x in (pred, on_true, on_false))
    if p.dtype.kind != "b":
        raise TypeError(f"select `which` must be boolean, got {p.dtype.name}")
    if t.shape != f.shape:
        raise TypeError(f"select cases must have the same shapes, got [{t.shape}, {f.shape}].")
    if t.dtype != f.dtype:
        raise TypeError(f"select cases must have the same dtypes, got "
                        f"[{t.dtype.name}, {f.dtype.name}].")
    if p.shape not in ((), t.shape):
        raise TypeError(f"select `which` must be scalar or have the same shape as cases, "
                        f"got `which` shape {p.shape} but case shape {t.shape}.")
    args = [x if is_wrapped(x) else v
            for x, v in zip((pred, on_true, on_false), (p, t, f))]
    return _select(*args)
