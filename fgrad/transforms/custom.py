"""User-defined derivative rules (``custom_jvp``, ``custom_vjp``).

A custom function is applied through ``custom_call``, which hands it to the
top trace like a primitive: each interpreter has a ``process_custom_jvp_call``
and a ``process_custom_vjp_call`` method.

* evaluation and staging run the function itself;
* forward mode runs the custom JVP rule (a ``custom_vjp`` function cannot be
  differentiated in forward mode, as in JAX, except ``checkpoint``);
* reverse mode records one node whose VJP is the custom ``bwd`` — or, for a
  ``custom_jvp`` rule, the transpose of the (linear) tangent map, obtained by
  reverse-mode differentiation of the rule with respect to the tangents;
* batching vmaps the function and its rules and hands them on, so the rules
  keep working below the vmap.

Everything here works on flat lists of arrays; the public classes flatten
pytrees on the way in and out.
"""
from __future__ import annotations

import functools
from typing import Callable, Sequence

from ..tree_util import tree_flatten, tree_unflatten
from .core import (Zero, aval_of, canonicalize, find_top_trace, full_lower, full_raise,
                   to_value)


def _type_str(x) -> str:
    aval = aval_of(x)
    return f"{aval.dtype.name}[{','.join(map(str, aval.shape))}]"


def _check_jvp_outputs(primals_out, tangents_out) -> None:
    """A custom JVP rule's tangents have its primal outputs' shapes and dtypes (JAX's check)."""
    if len(primals_out) != len(tangents_out):
        raise TypeError(f"Custom JVP rule must produce primal and tangent outputs with equal "
                        f"container (pytree) structures, but got {len(primals_out)} primal "
                        f"and {len(tangents_out)} tangent leaves.")
    for p, t in zip(primals_out, tangents_out):
        if t is None or type(t) is Zero:
            continue
        pa, ta = aval_of(p), aval_of(t)
        if pa.shape != ta.shape or (pa.dtype != ta.dtype and pa.dtype.kind in "fc"):
            raise TypeError(f"Custom JVP rule must produce primal and tangent outputs with "
                            f"corresponding shapes and dtypes. Expected {_type_str(p)} (tangent "
                            f"type of {_type_str(p)}) but got {_type_str(t)}.")


def _check_vjp_cotangent(k: int, primal, ct):
    """A custom VJP bwd rule's cotangent for input leaf ``k``, checked against the input
    (shapes must match, as in JAX; a float cotangent is cast to the input's float dtype)."""
    pa, ca = aval_of(primal), aval_of(ct)
    if pa.shape != ca.shape:
        raise ValueError(f"Custom VJP bwd rule must produce an output with the same type as "
                         f"the args tuple of the primal function, but at output[{k}] the bwd "
                         f"rule produced an output of type {_type_str(ct)} corresponding to an "
                         f"input of type {_type_str(primal)}, so the shapes do not match")
    if pa.dtype != ca.dtype and pa.dtype.kind in "fc" and ca.dtype.kind in "fc":
        return ct.astype(pa.dtype)
    return ct


class CustomRule:
    """The stand-in primitive of one custom call in the reverse-mode graph."""

    multiple_results = True
    nondiff = False
    # Outputs that received no cotangent reach ``vjp`` as None instead of zeros (a facade
    # ``autograd.Function`` tells them apart, as PyTorch's materialize_grads does).
    missing_cts_as_none = False
    vjp_saves = "inputs"
    vjp_uses = None

    def __init__(self, name: str, vjp: Callable, grad_fn_name: str):
        self.name = name
        self.vjp = vjp                    # vjp(cts, needs, ans, *primals) -> input cts
        self.grad_fn_name = grad_fn_name
        self.params = {}

    def __repr__(self):
        return self.name


def custom_call(kind: str, args: Sequence, *rules) -> list:
    """Apply a custom function (``kind`` "jvp": rules = (fun, jvp); "vjp": (fun, fwd, bwd, fwd_ok))."""
    args = [canonicalize(a) for a in args]
    trace = find_top_trace(args)
    tracers = [full_raise(trace, a) for a in args]
    if kind == "jvp":
        outs = trace.process_custom_jvp_call(*rules, tracers)
    else:
        outs = trace.process_custom_vjp_call(*rules, tracers)
    return [full_lower(o) for o in outs]


# ------------------------------------------------------------------ public --
def _flat_args(args):
    leaves, tree = tree_flatten(list(args))
    return [to_value(x)[0] for x in leaves], tree


class _Call:
    """One call of a custom function: the ``nondiff_argnums`` arguments kept as they are,
    the others flattened to leaves (``flat``); the output's tree is kept when flattened."""

    def __init__(self, args, nondiff_argnums):
        self.static = {i: args[i] for i in nondiff_argnums}
        self.nondiff = [self.static[i] for i in sorted(self.static)]
        self.dyn = [a for i, a in enumerate(args) if i not in self.static]
        self.flat, self.in_tree = _flat_args(self.dyn)
        self.n_args = len(args)
        self.out_tree = None

    def unflatten(self, xs):
        """The differentiable arguments rebuilt from their leaves."""
        return tree_unflatten(self.in_tree, list(xs))

    def merge(self, xs):
        """All the arguments, from the leaves of the differentiable ones."""
        it = iter(self.unflatten(xs))
        return [self.static[i] if i in self.static else next(it) for i in range(self.n_args)]

    def flatten_out(self, out):
        leaves, self.out_tree = tree_flatten(out)
        return leaves

    def unflatten_out(self, leaves):
        return tree_unflatten(self.out_tree, list(leaves))


class custom_jvp:
    """A function with a user-defined JVP rule (JAX's ``jax.custom_jvp``).

    >>> import fgrad, fgrad.numpy as fnp
    >>> @fgrad.custom_jvp
    ... def log1pexp(x):
    ...     return fnp.log1p(fnp.exp(x))
    >>> @log1pexp.defjvp
    ... def log1pexp_jvp(primals, tangents):
    ...     (x,), (t,) = primals, tangents
    ...     return log1pexp(x), t * (1 - 1 / (1 + fnp.exp(x)))
    >>> fgrad.grad(log1pexp)(100.0)
    Array(1.)

    Reverse mode transposes the rule's tangent map, so the rule must be linear
    in the tangents (as in JAX). ``nondiff_argnums`` name arguments passed to
    the rule first and never differentiated.
    """

    def __init__(self, fun: Callable, nondiff_argnums: Sequence[int] = ()):
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.nondiff_argnums = tuple(nondiff_argnums)
        self.jvp = None

    def defjvp(self, jvp: Callable) -> Callable:
        """Set the rule ``jvp(*nondiff, primals, tangents) -> (primal_out, tangent_out)``."""
        self.jvp = jvp
        return jvp

    def defjvps(self, *rules: Callable | None) -> None:
        """One rule per argument, ``rule(t, ans, *primals)``; ``None`` for no dependence."""
        def jvp(primals, tangents):
            ans = self.fun(*primals)
            out = None
            for rule, t in zip(rules, tangents):
                if rule is None:
                    continue
                c = rule(t, ans, *primals)
                out = c if out is None else out + c
            return ans, (out if out is not None else ans * 0)
        self.jvp = jvp

    def __call__(self, *args):
        if self.jvp is None:
            raise AttributeError(f"No JVP defined for custom_jvp function {self.__name__} "
                                 "using defjvp.")
        call = _Call(args, self.nondiff_argnums)

        def fun(*xs):
            return call.flatten_out(self.fun(*call.merge(xs)))

        def jvp(primals, tangents):
            out, tout = self.jvp(*call.nondiff, tuple(call.unflatten(primals)),
                                 tuple(call.unflatten(tangents)))
            outs, touts = call.flatten_out(out), tree_flatten(tout)[0]
            _check_jvp_outputs(outs, touts)
            return outs, touts

        return call.unflatten_out(custom_call("jvp", call.flat, fun, jvp))


class custom_vjp:
    """A function with a user-defined VJP (JAX's ``jax.custom_vjp``).

    >>> import fgrad, fgrad.numpy as fnp
    >>> @fgrad.custom_vjp
    ... def clip_gradient(x):
    ...     return x
    >>> clip_gradient.defvjp(lambda x: (x, None), lambda res, g: (fnp.clip(g, -1.0, 1.0),))
    >>> fgrad.grad(lambda x: 3.0 * clip_gradient(x))(2.0)
    Array(1.)

    ``fwd(*args) -> (out, residuals)``; ``bwd(*nondiff, residuals, ct) -> tuple``
    with one cotangent (or None) per differentiable argument. Forward-mode
    differentiation of a ``custom_vjp`` function raises, as in JAX.
    """

    def __init__(self, fun: Callable, nondiff_argnums: Sequence[int] = ()):
        functools.update_wrapper(self, fun)
        self.fun = fun
        self.nondiff_argnums = tuple(nondiff_argnums)
        self.fwd = self.bwd = None
        self._forward_mode_ok = False

    def defvjp(self, fwd: Callable, bwd: Callable) -> None:
        self.fwd, self.bwd = fwd, bwd

    def __call__(self, *args):
        if self.fwd is None:
            raise AttributeError(f"No VJP defined for custom_vjp function {self.__name__} "
                                 "using defvjp.")
        call = _Call(args, self.nondiff_argnums)
        dyn = call.dyn

        def fun(*xs):
            return call.flatten_out(self.fun(*call.merge(xs)))

        def fwd(*xs):
            out, res = self.fwd(*call.merge(xs))
            return call.flatten_out(out), res

        def bwd(res, cts):
            in_cts = self.bwd(*call.nondiff, res, call.unflatten_out(cts))
            if not isinstance(in_cts, (tuple, list)) or len(in_cts) != len(dyn):
                raise TypeError(
                    f"Custom VJP bwd rule must produce a tuple of length equal to the number "
                    f"of primal inputs ({len(dyn)}), but got "
                    f"{type(in_cts).__name__} {in_cts!r:.60}")
            flat_cts = []
            for k, (a, c) in enumerate(zip(dyn, in_cts)):
                a_leaves, a_tree = tree_flatten(a)
                if c is None:
                    flat_cts.extend([None] * len(a_leaves))
                    continue
                c_leaves, c_tree = tree_flatten(c)
                if c_tree != a_tree:
                    raise TypeError(f"Custom VJP bwd rule must produce an output with the same "
                                    f"container (pytree) structure as the args tuple of the "
                                    f"primal function; at output[{k}] got {c_tree} for an "
                                    f"input of structure {a_tree}")
                flat_cts.extend([None if ct is None else _check_vjp_cotangent(k, p, ct)
                                 for p, ct in zip(a_leaves, c_leaves)])
            return flat_cts

        return call.unflatten_out(
            custom_call("vjp", call.flat, fun, fwd, bwd, self._forward_mode_ok))
