"""``Primitive``, the registry, and the helpers for each *shape* of rule.

A primitive carries, side by side:

* ``impl(xp, *values, **params)``: the computation on one device's namespace;
* ``abstract_eval(*avals, **params)``: the shape/dtype rule;
* ``jvp(primals, tangents, **params) -> (ans, tangent)``: forward mode;
* ``vjp(ct, needs, ans, *primals, **params) -> input cotangents``: reverse mode,
  with ``vjp_saves`` saying which residuals the reverse pass keeps;
* ``batch(values, dims, **params) -> (ans, dim)``: the vmap rule.

Rules are written with primitives, never with the backend, so they can be
differentiated, batched and staged again. A missing rule is stated with
``nondiff`` or ``not_implemented(why)``; the checker fails on silent gaps.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .._array import wrap_raw
from ..transforms.core import (Zero, ShapedArray, aval_of, bind, instantiate,
                               is_differentiable_dtype)

REGISTRY: dict[str, "Primitive"] = {}


class Primitive:
    """A pure operation with all its rules. Creating one registers it."""

    def __init__(self, name: str, *, multiple_results: bool = False,
                 grad_fn_name: str | None = None):
        if name in REGISTRY:
            raise ValueError(f"primitive {name!r} is already registered")
        self.name = name
        self.multiple_results = multiple_results
        # The facade's grad_fn name (PyTorch's), e.g. "MulBackward0".
        self.grad_fn_name = grad_fn_name or "".join(
            p.capitalize() for p in name.split("_")) + "Backward0"
        self.impl: Callable | None = None
        # The namespace function computing this primitive when it has no params
        # (``xp.<backend_fn>(*values)``): lets ``jit`` call the backend directly.
        self.backend_fn: str | None = None
        self.abstract_eval: Callable | None = None
        self.jvp: Callable | None = None
        self.vjp: Callable | None = None
        self.vjp_saves: str = "both"      # "inputs", "ans", "both" or "none"
        self.vjp_uses: tuple | None = None  # per input: the residuals its rule reads
        # Reverse mode that keeps residuals of its own forward pass (control flow):
        # ``vjp_split(primals, needs, **params) -> (outs, backward(cts) -> input cts)``.
        self.vjp_split: Callable | None = None
        # Over a vmap's named axis: ``collective(vals, dims, axis_size, **params)``, the
        # rule of the vmap whose axis the primitive names (psum, all_gather ...).
        self.collective: Callable | None = None
        self.batch_takes_axis = False     # batch(vals, dims, axis=(size, name), **params)
        self.batch: Callable | None = None
        self.nondiff = False              # outputs carry no gradient (ints, bools, argmax ...)
        # Piecewise constant (floor, sign ...): the derivative is zero where it exists; the
        # facade still records a node (``FloorBackward0``) whose gradient is zeros, as PyTorch.
        self.zero_derivative = False
        self.broadcasting = False         # element-wise over inputs broadcast as NumPy does
        # Has a side effect (debug printing): jit keeps it in the program even when its
        # outputs are unused, and never folds it at trace time or merges two of them.
        self.effectful = False
        self.missing: dict[str, str] = {}  # rule name -> why it is not implemented
        # -- what jit's simplifier and code generator may use ----------------------------
        # 0-d floating arithmetic in generated code: a Python expression with one ``{}``
        # per input ("{} + {}") computing what ``impl`` does on NumPy scalars.
        self.python_operator: str | None = None
        # ``python_operator`` also gives NumPy's float64 answer on Python floats, so chains
        # of it may run on floats (not division: Python raises ZeroDivisionError where
        # NumPy gives inf or nan).
        self.python_operator_on_floats = False
        # ``op(x, identity) == x`` for every x (``x + 0``, ``x ** 1``); with ``commutative``
        # also ``op(identity, x) == x``. Such an equation is dropped.
        self.identity: int | float | None = None
        self.commutative = False          # op(x, y) == op(y, x)
        # ``noop_if_same_aval(**params)``: the op returns its operand unchanged whenever
        # the output's shape and dtype equal the operand's (a reshape; a transpose only
        # with the identity permutation). Such an equation is dropped.
        self.noop_if_same_aval: Callable | None = None
        # ``compose(inner_params, params)``: the params of one application equal to the
        # op with ``inner_params`` followed by the op with ``params`` (reshape, transpose).
        self.compose: Callable | None = None
        # The output holds the operand's elements in their order, repeated or not (reshape,
        # broadcast_to): an operand holding one value everywhere gives such an output.
        self.keeps_elements = False
        # What NumPy's broadcasting does implicitly (broadcast_to): an element-wise
        # ``broadcasting`` consumer may read the operand instead when its output shape
        # comes out the same.
        self.implied_by_broadcasting = False
        REGISTRY[name] = self

    def __repr__(self):
        return self.name

    def bind(self, *args, **params):
        return bind(self, *args, **params)

    def apply(self, device, values, args, params):
        """Run ``impl`` on backend values; wrap the result(s) as Arrays."""
        try:
            out = self.impl(device.xp, *values, **params)
        except Exception as e:
            raise self.explain(e, args, params) from e
        if self.multiple_results:
            return tuple(wrap_raw(o, device) for o in out)
        return wrap_raw(out, device)

    def explain(self, exc, args, params):
        """A clear error for a failed ``impl``: the shape rule's words if it objects."""
        if self.abstract_eval is not None:
            try:
                self.abstract_eval(*[aval_of(a) for a in args], **params)
            except (ValueError, TypeError, IndexError) as e:
                return e
        try:
            return type(exc)(f"{self.name}: {exc}")
        except Exception:
            return exc

    # -- declarations --------------------------------------------------------
    def def_impl(self, impl):
        """Set the implementation; a primitive given its own impl has no ``backend_fn``
        (declare one after ``def_impl`` when the impl is exactly that call)."""
        self.impl = impl
        self.backend_fn = None
        return impl

    def def_abstract_eval(self, rule):
        self.abstract_eval = rule
        return rule


def not_implemented(prim: Primitive, rule: str, why: str) -> None:
    """State that ``prim`` has no ``rule`` ('jvp', 'vjp' or 'batch') and why."""
    prim.missing[rule] = why

    def fail(*args, **kwargs):
        raise NotImplementedError(f"{prim.name}: no {rule} rule: {why}")
    setattr(prim, rule, fail)


# ------------------------------------------------------------- differentiation
def defnondiff(prim: Primitive) -> None:
    """Outputs carry no gradient (integer/boolean results): symbolic zero tangents."""
    prim.nondiff = True

    def jvp(primals, tangents, **params):
        ans = prim.bind(*primals, **params)
        outs = ans if prim.multiple_results else (ans,)
        zeros = [Zero.like(o) for o in outs]
        return ans, (zeros if prim.multiple_results else zeros[0])

    def vjp(ct, needs, ans, *primals, **params):
        return [None] * len(primals)

    prim.jvp = jvp
    prim.vjp = vjp
    prim.vjp_saves = "none"


def _fit(t, ans):
    """A tangent contribution shaped and typed like the output ``ans``."""
    if t.shape != ans.shape:
        t = shape.broadcast_to(t, ans.shape)
    if t.dtype != ans.dtype and is_differentiable_dtype(ans.dtype):
        t = unary.convert(t, ans.dtype)
    return t


def defjvp(prim: Primitive, *rules) -> None:
    """Forward mode from one rule per input: ``rule(t, ans, *primals, **params)``.

    The tangent of the output is the sum of the rules' contributions over the
    inputs whose tangent is not a symbolic zero. ``None`` marks an input that
    carries no gradient.
    """
    def jvp(primals, tangents, **params):
        ans = prim.bind(*primals, **params)
        out = None
        for i, t in enumerate(tangents):
            if type(t) is Zero or rules[i] is None:
                continue
            c = rules[i](t, ans, *primals, **params)
            out = c if out is None else out + c
        if out is None or not is_differentiable_dtype(ans.dtype):
            return ans, Zero.like(ans)
        return ans, _fit(out, ans)
    prim.jvp = jvp


def defvjp(prim: Primitive, *rules, saves: str = "both", uses=None) -> None:
    """Reverse mode from one rule per input: ``rule(ct, ans, *primals, **params)``.

    Only the rules of inputs that need a cotangent run. ``saves`` names the
    residuals the reverse pass keeps ("inputs", "ans", "both", "none"); a
    primal or answer not kept reaches the rule as its ShapedArray (shape and
    dtype only). ``uses`` refines it per rule: ``uses[i]`` is the set of
    residuals rule ``i`` reads (input positions and/or ``"ans"``), so only the
    residuals of the inputs that need a gradient are kept (``x * 2.0`` keeps
    nothing of ``x``).
    """
    def vjp(ct, needs, ans, *primals, **params):
        return [rule(ct, ans, *primals, **params) if need and rule is not None else None
                for need, rule in zip(needs, rules)]
    prim.vjp = vjp
    prim.vjp_saves = saves
    prim.vjp_uses = None if uses is None else tuple(frozenset(u) for u in uses)


def defelementwise(prim: Primitive, derivative, saves: str = "inputs") -> None:
    """An element-wise unary op from its derivative ``derivative(ans, x)``.

    Yields the JVP (``t * d``), the VJP (``ct * d``) and a batching rule.
    """
    defjvp(prim, lambda t, ans, x, **p: t * derivative(ans, x, **p))
    defvjp(prim, lambda ct, ans, x, **p: _cast_like(ct * derivative(ans, x, **p), x),
           saves=saves)
    prim.batch = elementwise_batch_rule(prim)


def deflinear(prim: Primitive, transpose, saves: str = "none") -> None:
    """A linear unary op: the JVP applies the op to the tangent; the VJP is ``transpose(ct, x, **params)``."""
    def jvp(primals, tangents, **params):
        ans = prim.bind(*primals, **params)
        t = tangents[0]
        if type(t) is Zero:
            return ans, Zero.like(ans)
        return ans, prim.bind(t, *primals[1:], **params)
    prim.jvp = jvp
    defvjp(prim, lambda ct, ans, x, *rest, **p: transpose(ct, x, *rest, **p), saves=saves)


def _cast_like(ct, x):
    if ct.dtype != x.dtype and is_differentiable_dtype(x.dtype):
        return unary.convert(ct, x.dtype)
    return ct


def unbroadcast(ct, x):
    """Sum ``ct`` down to the shape of ``x`` (value or ShapedArray) and cast to its dtype."""
    xshape = x.shape
    if ct.shape != xshape:
        lead = len(ct.shape) - len(xshape)
        axes = tuple(range(lead)) + tuple(
            i + lead for i, d in enumerate(xshape) if d == 1 and ct.shape[i + lead] != 1)
        if axes:
            ct = reductions.reduce_sum(ct, axes)
        if ct.shape != xshape:
            ct = shape.reshape(ct, xshape)
    return _cast_like(ct, x)


# ------------------------------------------------------------------ batching
def move_to_front(x, d):
    """``x`` with its batch dimension ``d`` moved to axis 0 (``d`` may be None)."""
    if d is None or d == 0:
        return x
    perm = (d,) + tuple(i for i in range(x.ndim) if i != d)
    return shape.transpose(x, perm)


def front_batch_rule(prim: Primitive, axis_param: str | None = None):
    """Batching for a one-operand primitive that works over any leading axes: the batch
    axis goes to the front and the parameter ``axis_param`` (an axis or a tuple of axes of
    the operand, when the primitive has one) shifts by one; negative axes count from the
    end and stay. Every output is batched along axis 0."""
    multiple = prim.multiple_results

    def rule(vals, dims, **params):
        if axis_param is not None:
            a = params[axis_param]
            params[axis_param] = (tuple(i + 1 if i >= 0 else i for i in a)
                                  if isinstance(a, tuple) else a + 1 if a >= 0 else a)
        out = prim.bind(move_to_front(vals[0], dims[0]), **params)
        return (out, (0,) * len(out)) if multiple else (out, 0)
    return rule


_SCALARS = frozenset((int, float, bool, complex))


def elementwise_batch_rule(prim: Primitive):
    """Batching for element-wise ops with NumPy broadcasting, any number of inputs.

    Every batched input gets its batch axis in front and is padded with unit
    axes to the output rank, so one backend call does the whole batch (every
    output of a multiple-results primitive is batched along axis 0) -- unless the
    batched inputs already share axis and rank and the others are scalars.
    """
    multiple = prim.multiple_results

    def rule(vals, dims, **params):
        if len(vals) == 1 and not multiple:
            return bind(prim, vals[0], **params), dims[0]
        # Fast case: the batched inputs share their batch axis and rank, the others are
        # Python scalars, so NumPy's broadcasting lines them up as they are.
        axis = rank = None
        for v, d in zip(vals, dims):
            if d is None:
                if type(v) not in _SCALARS and v.ndim:
                    break
            elif axis is None:
                axis, rank = d, v.ndim
            elif d != axis or v.ndim != rank:
                break
        else:
            outs = bind(prim, *vals, **params)
            return (outs, [axis] * len(outs)) if multiple else (outs, axis)
        rank = max((getattr(v, "ndim", 0) - (d is not None)) for v, d in zip(vals, dims))
        out = []
        for v, d in zip(vals, dims):
            if d is not None:
                v = move_to_front(v, d)
                r = v.ndim - 1
                if r < rank:
                    v = shape.reshape(v, (v.shape[0],) + (1,) * (rank - r) + v.shape[1:])
            out.append(v)
        outs = prim.bind(*out, **params)
        return (outs, [0] * len(outs)) if multiple else (outs, 0)
    return rule


def dtype_rule_by_probe(prim: Primitive):
    """A dtype rule that asks NumPy (the reference) on 1-element inputs, cached."""
    cache = {}

    def rule(*avals_or_scalars, **params):
        key = tuple(a.dtype if isinstance(a, ShapedArray) else type(a)
                    for a in avals_or_scalars) + tuple(sorted(
                        (k, v) for k, v in params.items() if isinstance(v, (int, str, float, type(None)))))
        if key not in cache:
            args = [np.ones((1,), a.dtype) if isinstance(a, ShapedArray) else type(a)(1)
                    for a in avals_or_scalars]
            cache[key] = np.asarray(prim.impl(CPU.xp, *args, **params)).dtype
        return cache[key]
    return rule


# The families below build on this module; imported last, their rules' helpers above use them.
from . import reductions, shape, unary  # noqa: E402

from ..devices import CPU