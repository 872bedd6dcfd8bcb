"""The facade's autograd (public as ``fgrad.autograd``): PyTorch's ``backward``, ``grad``
and ``Function`` for facade tensors.

The backward pass is the reverse engine of ``fgrad.grad`` (``backward_pass``),
walking the ``GradNode``s that operations on tensors record.

>>> import fgrad
>>> x = fgrad.tensor([1.0, 2.0], requires_grad=True)
>>> fgrad.autograd.grad((x ** 2).sum(), x)
(tensor([2., 4.]),)
"""
from __future__ import annotations

import sys
from typing import Any, Callable, Sequence

import numpy as np

from . import grad_mode as _grad_mode
from .._array import Array
from .tape import GradNode, _engine, BACKWARD_TWICE
from .tensor_base import TensorBase, _record
from ..transforms.core import Tracer, Zero
from ..transforms.reverse import backward_pass, make_node
from ..transforms.custom import CustomRule
from ..primitives.creation import full
from .creation import tensor
from ..primitives.unary import convert
from ..primitives.creation import zeros

__all__ = ["backward", "grad", "Function", "FunctionCtx", "set_detect_anomaly",
           "detect_anomaly"]


def _as_list(x) -> list:
    if x is None:
        return []
    if isinstance(x, TensorBase):
        return [x]
    return list(x)


def _seed(t: TensorBase, g, create_graph: bool, i: int):
    """The cotangent that starts the pass at output ``t``."""
    if g is None:
        if t.numel() != 1:
            raise RuntimeError("grad can be implicitly created only for scalar outputs")
        if t.dtype.is_complex:
            raise RuntimeError(f"grad can be implicitly created only for real scalar outputs "
                               f"but got {t.dtype}")
        g = full(tuple(t.shape), 1, t._data.dtype, t._device)
        return TensorBase._wrap(g) if create_graph else g
    if not isinstance(g, TensorBase):
        g = tensor(g, dtype=t.dtype, device=t.device)
    if tuple(g.shape) != tuple(t.shape):
        raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and "
                           f"output[{i}] has a shape of {t.shape}.")
    return g if create_graph else g._value()


def _hooked(node, cts, create_graph):
    """Run tensor hooks and keep retained gradients, before ``node``'s rule runs."""
    if node._hooks:
        cts = list(cts)
        for i, hooks in node._hooks.items():
            if cts[i] is None:
                continue
            for hook in list(hooks):
                g = cts[i] if isinstance(cts[i], TensorBase) else TensorBase._wrap(cts[i])
                new = hook(g)
                if new is not None:
                    _check_hook_result(hook, g, new)
                    cts[i] = new if create_graph else new._value()
    if node._retained:
        for i, ref in node._retained.items():
            t = ref()
            if t is not None and cts[i] is not None:
                _accumulate(t, cts[i], create_graph)
    return cts


def _check_hook_result(hook, grad: TensorBase, new) -> None:
    """A hook may replace a gradient only by a tensor of the same size and dtype
    (PyTorch's checks and words)."""
    name = getattr(hook, "__name__", type(hook).__name__)
    if not isinstance(new, TensorBase):
        raise TypeError(f"expected Tensor, but hook returned {type(new).__name__!r}")
    if tuple(new.shape) != tuple(grad.shape):
        raise RuntimeError(f"hook {name!r} has changed the size of value (was "
                           f"{tuple(grad.shape)} got {tuple(new.shape)})")
    if new.dtype != grad.dtype:
        raise RuntimeError(f"hook {name!r} has changed the type of value (was {grad.dtype} "
                           f"got {new.dtype})")
    if new.device != grad.device:
        raise RuntimeError(f"hook {name!r} has changed the device of value (was "
                           f"{grad.device} got {new.device})")


def _accumulate(t: TensorBase, ct, create_graph: bool, unshared: bool = False) -> None:
    """``t.grad += ct`` as PyTorch does: in place when possible, a fresh tensor first.

    ``unshared``: the caller holds ``ct`` in one local variable only, so if reference
    counts show nothing else refers to it or its buffer, the new ``.grad`` takes the
    buffer over instead of copying it (PyTorch's AccumulateGrad steals an unshared
    gradient the same way); any other holder (another leaf, a hook, the caller's
    own tensor) makes it a copy.
    """
    if isinstance(ct, TensorBase) and not create_graph:
        ct, unshared = ct._value(), False
    if isinstance(ct, TensorBase):
        t._grad = ct if t._grad is None else t._grad + ct
        return
    if ct.dtype != t._data.dtype:
        ct, unshared = convert(ct, t._data.dtype), True    # a fresh array
    g = t._grad
    if g is None or g.requires_grad:
        data = ct._value if isinstance(ct, Array) else ct
        if isinstance(data, Tracer):
            t._grad = TensorBase._wrap(data)
        elif unshared and _TAKE_OVER and _owned(ct, data):
            t._grad = TensorBase._wrap(data, t._device)
        else:
            t._grad = TensorBase._wrap(t._device.xp.array(data, copy=True), t._device)
    elif isinstance(g._data, Tracer) or isinstance(ct, Tracer):
        t._grad = TensorBase._wrap((g._value() + ct))
    else:
        xp = t._device.xp
        buf = g._writable()
        xp.add(buf, ct._value, out=buf)
        g._vc[0] += 1


def _owned(ct, data) -> bool:
    """Whether the NumPy buffer ``data`` of the Array ``ct`` is referred to by nothing but
    ``ct`` (held by the caller of ``_accumulate`` and its parameter) and owns writable,
    contiguous memory. Counts: ``ct`` -- the caller's variable, ``_accumulate``'s and this
    function's parameters, ``getrefcount``'s argument; ``data`` -- ``ct._value``, the two
    ``data`` variables, ``getrefcount``'s argument."""
    return (type(ct) is Array and type(data) is np.ndarray and data.base is None
            and data.flags.writeable and data.flags.c_contiguous
            and sys.getrefcount(ct) <= 4 and sys.getrefcount(data) <= 4)


def _takes_over(hold) -> bool:
    """Whether ``_accumulate`` takes over a fresh gradient's buffer while this frame holds
    the gradient in one variable (``hold=None``) or also its Array or its buffer."""
    t = TensorBase._wrap(np.zeros(2))
    ct = Array(np.zeros(2))
    extra = ct if hold == "array" else ct._value if hold == "buffer" else None
    _accumulate(t, ct, False, unshared=True)
    del extra
    return t._grad._data is ct._value


# Reference counts are an implementation detail of CPython: check once, the way backward()
# calls it, that they separate an unshared gradient from a shared one; if they do not
# (another interpreter or version), gradients are always copied.
_TAKE_OVER = True
_TAKE_OVER = _takes_over(None) and not _takes_over("array") and not _takes_over("buffer")


def _run(outputs, grad_outputs, retain_graph, create_graph, capture=None, on_leaf=None):
    """One backward pass from ``outputs``; returns {id(leaf node): (node, ct)} and fills
    ``capture`` {(node, index): ct} for the non-leaf edges asked for. ``on_leaf(node,
    ct)`` takes the gradient of a leaf with post-accumulate hooks as soon as the pass
    reaches it (the leaf is then reported with no gradient)."""
    outputs = _as_list(outputs)
    grads = _as_list(grad_outputs) if grad_outputs is not None else [None] * len(outputs)
    if len(grads) != len(outputs):
        raise RuntimeError(f"grad can be implicitly created only for scalar outputs"
                           if not grads else
                           f"Mismatch in number of grad_outputs: got {len(grads)} for "
                           f"{len(outputs)} outputs")
    seeds = []
    for i, (t, g) in enumerate(zip(outputs, grads)):
        if not isinstance(t, TensorBase) or not t.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not "
                               "have a grad_fn")
        node, idx = t._edge()
        seeds.append((node, idx, _seed(t, g, create_graph, i)))
    if retain_graph is None:
        retain_graph = create_graph

    def on_node(node, cts):
        if node._hooks or node._retained:
            cts = _hooked(node, cts, create_graph)
        if on_leaf is not None and node.prim is None and node._post_acc and \
                cts[0] is not None and on_leaf(node, cts[0]):
            return [None]
        if capture is not None:
            for i in range(node.n_out):
                key = (id(node), i)
                if key in capture and cts[i] is not None:
                    capture[key] = cts[i]
        return cts

    prev = _engine.create_graph
    _engine.create_graph = create_graph
    try:
        with _grad_mode.set_grad_enabled(create_graph):
            return backward_pass(seeds, retain=retain_graph, on_node=on_node)
    finally:
        _engine.create_graph = prev


def _edge_key(t: TensorBase) -> tuple:
    """The key under which the pass reports the gradient of ``t`` (its node and output)."""
    node, index = t._edge()
    return id(node), index


def backward(tensors, grad_tensors=None, retain_graph: bool | None = None,
             create_graph: bool = False, inputs=None) -> None:
    """Accumulate the gradients of ``tensors`` into the ``.grad`` of the leaves (or of
    ``inputs`` only).

    >>> import fgrad
    >>> x = fgrad.tensor(3.0, requires_grad=True)
    >>> fgrad.autograd.backward(x * x)
    >>> x.grad
    tensor(6.)
    """
    wanted = None
    if inputs is not None:
        inputs = _as_list(inputs)
        if not inputs:
            raise RuntimeError("'inputs' argument to backward() cannot be empty.")
        wanted = {}
        for t in inputs:
            if not t.requires_grad:
                raise RuntimeError("One of the differentiated Tensors does not require grad")
            wanted[_edge_key(t)] = t
    capture = {k: None for k in wanted} if wanted else None

    def on_leaf(node, ct):
        """Accumulate a leaf's gradient now and run its post-accumulate hooks."""
        t = node.variable
        if t is None or type(ct) is Zero or wanted is not None and (id(node), 0) not in wanted:
            return False
        _accumulate(t, ct, create_graph)
        for hook in list(node._post_acc):
            hook(t)
        return True
    prev_callbacks = _engine.callbacks
    _engine.callbacks = callbacks = []
    try:
        leaves = _run(tensors, grad_tensors, retain_graph, create_graph, capture, on_leaf)
    finally:
        _engine.callbacks = prev_callbacks
    while leaves:
        node, ct = leaves.popitem()[1]       # ct is then held by this variable alone
        t = node.variable
        if t is None or ct is None or type(ct) is Zero:
            continue
        if wanted is not None and (id(node), 0) not in wanted:
            continue
        _accumulate(t, ct, create_graph, unshared=True)
        del ct
    if wanted:
        for key, t in wanted.items():
            if not t.is_leaf and capture.get(key) is not None:
                _accumulate(t, capture[key], create_graph)
    for fn in callbacks:
        fn()


def grad(outputs, inputs, grad_outputs=None, retain_graph: bool | None = None,
         create_graph: bool = False, allow_unused: bool | None = None,
         materialize_grads: bool = False) -> tuple:
    """The gradients of ``outputs`` w.r.t. ``inputs``, returned (not accumulated).

    >>> import fgrad
    >>> x = fgrad.tensor(2.0, requires_grad=True)
    >>> (g,) = fgrad.autograd.grad(x ** 3, x, create_graph=True)
    >>> g, fgrad.autograd.grad(g, x)[0]
    (tensor(12., grad_fn=<MulBackward0>), tensor(12.))
    """
    inputs = _as_list(inputs)
    for t in inputs:
        if not isinstance(t, TensorBase) or not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    keys = [_edge_key(t) for t in inputs]
    capture = {k: None for k in keys}
    leaves = _run(outputs, grad_outputs, retain_graph, create_graph, capture)
    result = []
    for i, (t, key) in enumerate(zip(inputs, keys)):
        ct = capture.get(key)
        if ct is None and t.is_leaf:
            hit = leaves.get(key[0])
            ct = hit[1] if hit is not None else None
        if ct is None or type(ct) is Zero:
            if not (allow_unused or materialize_grads):
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in "
                    "the graph. Set allow_unused=True if this is the desired behavior.")
            result.append(_zeros_like(t) if materialize_grads else None)
            continue
        result.append(ct if isinstance(ct, TensorBase) else TensorBase._wrap(ct))
    return tuple(result)


def _zeros_like(t):
    return TensorBase._wrap(zeros(tuple(t.shape), t._data.dtype, t._device))


def _zeros_like_output(o: TensorBase) -> TensorBase:
    """The gradient of a ``Function`` output that received none: zeros like it."""
    return TensorBase._wrap(zeros(tuple(o.shape), o._data.dtype, o._device))


# ======================================================= custom functions ===
class FunctionCtx:
    """The ``ctx`` of ``Function.forward``/``backward``: ``save_for_backward``,
    ``saved_tensors``, ``needs_input_grad`` and free attributes."""

    def save_for_backward(self, *tensors) -> None:
        self._saved = [(t, t._vc, t._vc[0]) if isinstance(t, TensorBase) else (t, None, None)
                       for t in tensors]

    @property
    def saved_tensors(self) -> tuple:
        out = []
        for t, vc, version in getattr(self, "_saved", ()):
            if getattr(self, "_freed", False):
                raise RuntimeError(BACKWARD_TWICE)
            if vc is not None and vc[0] != version:
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified "
                    f"by an inplace operation: is at version {vc[0]}; expected version "
                    f"{version} instead.")
            out.append(t)
        return tuple(out)

    def mark_non_differentiable(self, *tensors) -> None:
        self._non_diff = {id(t) for t in tensors}

    def mark_dirty(self, *tensors) -> None:
        pass

    def set_materialize_grads(self, value: bool) -> None:
        self._materialize = bool(value)


class Function:
    """A custom differentiable operation, as ``torch.autograd.Function``.

    >>> import fgrad
    >>> class Cube(fgrad.autograd.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x ** 3
    ...     @staticmethod
    ...     def backward(ctx, g):
    ...         (x,) = ctx.saved_tensors
    ...         return 3 * x ** 2 * g
    >>> x = fgrad.tensor(2.0, requires_grad=True)
    >>> y = Cube.apply(x)
    >>> y.backward(); x.grad
    tensor(12.)
    """

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("a Function subclass must define forward(ctx, ...)")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("a Function subclass must define backward(ctx, ...)")

    @classmethod
    def apply(cls, *args, **kwargs):
        ctx = FunctionCtx()
        ctx.needs_input_grad = tuple(isinstance(a, TensorBase) and a.requires_grad for a in args)
        with _grad_mode.no_grad():
            out = cls.forward(ctx, *args, **kwargs)
        single = not isinstance(out, tuple)
        outs = (out,) if single else out
        outs = tuple(_detached(o, a_list=args) for o in outs)
        record = _grad_mode.is_grad_enabled() and any(ctx.needs_input_grad)
        if not record:
            return outs[0] if single else outs
        tensor_pos = [i for i, a in enumerate(args) if isinstance(a, TensorBase)]
        non_diff = getattr(ctx, "_non_diff", set())

        def vjp(cts, needs, ans, *primals):
            # an output that got no gradient arrives as None: zeros of the output's shape
            # (PyTorch's materialize_grads), or None if the function asked for that
            # (ctx.set_materialize_grads(False))
            materialize = getattr(ctx, "_materialize", True)
            grads_in = [c if isinstance(c, TensorBase) else TensorBase._wrap(c) if c is not None
                        else _zeros_like_output(o) if materialize else None
                        for c, o in zip(cts, outs)]
            with _grad_mode.set_grad_enabled(_engine.create_graph):
                res = cls.backward(ctx, *grads_in)
            res = res if isinstance(res, tuple) else (res,)
            if len(res) < len(args):
                raise RuntimeError(f"function {cls.__name__}Backward returned an incorrect "
                                   f"number of gradients (expected {len(args)}, got "
                                   f"{len(res)})")
            grads = [res[i] for i in tensor_pos]
            return [None if g is None or not need else
                    (g if _engine.create_graph else g._value()) if isinstance(g, TensorBase) else g
                    for g, need in zip(grads, needs)]
        rule = CustomRule(f"{cls.__name__}", vjp, f"{cls.__name__}Backward")
        rule.missing_cts_as_none = True
        tensors = [args[i] for i in tensor_pos]
        parents = tuple(t._edge() if t.requires_grad else None for t in tensors)
        vals = [t._value() for t in tensors]
        node = make_node(rule, {}, parents, vals, [o._value() for o in outs], GradNode)
        node._setup(saves=True)
        for i, o in enumerate(outs):
            if o._data.dtype.kind in "fc" and id(o) not in non_diff:
                o._node, o._index = node, i
        return outs[0] if single else outs


def _detached(o, a_list):
    """A forward output as a fresh tensor (an input returned as is becomes a new alias)."""
    if not isinstance(o, TensorBase):
        return tensor(o)
    if any(o is a for a in a_list):
        return o._alias()
    return o


class set_detect_anomaly:
    """Accepted for compatibility; fgrad's errors already name the failing node."""

    def __init__(self, mode: bool = True, check_nan: bool = True):
        self.mode = mode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


detect_anomaly = set_detect_anomaly
