"""``fgrad.jit`` over facade code keeps PyTorch's autograd.

When a jitted function is called with grad mode on, outside any transform, and some
tensor it depends on requires grad (an argument, or a tensor it captures: the
parameters of a module, optimizer or tensor found in its closure, its referenced
globals, its defaults or its ``self``), the call runs as one node of the facade's
graph (a ``Function``):

- forward: the compiled program of ``fun``, with the captured tensors as inputs (so
  their current values are read at every call, and the program is cached once);
- backward: a second compiled program, the ``vjp`` of ``fun`` with respect to the
  arguments and captured tensors that require grad (it recomputes the forward pass,
  then pulls the cotangents back with the same VJP rules as ``backward()``).

So ``jit(model)(x).sum().backward()`` fills ``.grad`` as the eager run does. The
captured tensors that do not require grad stay constants of the program. Tensors
reached in other ways (attributes of arbitrary objects) are not found: pass them as
arguments. A captured parameter that the function does not use gets a zero gradient
(eager autograd leaves it ``None``).

The fast path for training is a jitted *functional* step (``fgrad.func.functional_call``
+ ``fgrad.value_and_grad`` + an update, returning the new parameters): one program for
forward, backward and update; see ``fgrad.func``. In-place writes to tensors captured
from outside (``optimizer.step()``, ``load_state_dict``) inside a jitted function happen
while tracing only and are undone when the trace ends: the compiled program does not
repeat them.

>>> import fgrad
>>> model = fgrad.nn.Linear(3, 1)
>>> out = fgrad.jit(model)(fgrad.ones(2, 3))
>>> out.grad_fn.name()
'JitFunctionBackward'
>>> out.sum().backward()
>>> model.bias.grad
tensor([2.])
"""
from __future__ import annotations

import functools
import types
from typing import Any, Callable

from . import grad_mode as _grad_mode
from .creation import zeros_like
from .autograd import Function
from ..nn import Module
from ..optim.optimizer import Optimizer
from .tensor import Tensor
from .tensor_base import TensorBase
from ..transforms import api
from ..transforms.core import _state, undo_on_exit
from ..transforms.wrappers import set_call_jitted
from ..transforms.jit import jit
from ..tree_util import tree_flatten, tree_unflatten

__all__ = []

_MAX_ITEMS = 256

IMPERATIVE_STEP = (
    "fgrad.jit: the jitted function runs backward() (an imperative training step?). jit "
    "compiles functions of tensors, with autograd around the whole call: write the step "
    "functionally (fgrad.func.functional_call + fgrad.value_and_grad + the update, "
    "returning the new parameters; see fgrad.func), or jit the model only "
    "(fgrad.jit(model)) and call backward() and optimizer.step() outside it.")          # how many items of a captured list/dict are looked at


# ============================================================ capture discovery ===
def _collect(obj, out: dict, depth: int) -> None:
    if isinstance(obj, Tensor):
        if obj.requires_grad:
            out.setdefault(id(obj), obj)
    elif isinstance(obj, Module):
        for p in obj.parameters():
            if p.requires_grad:
                out.setdefault(id(p), p)
    elif isinstance(obj, Optimizer):
        for g in obj.param_groups:
            for p in g["params"]:
                if p.requires_grad:
                    out.setdefault(id(p), p)
    elif depth > 0 and isinstance(obj, (list, tuple)):
        for x in obj[:_MAX_ITEMS]:
            _collect(x, out, depth - 1)
    elif depth > 0 and isinstance(obj, dict):
        for x in list(obj.values())[:_MAX_ITEMS]:
            _collect(x, out, depth - 1)


def _names(code: types.CodeType, acc: set) -> set:
    acc.update(code.co_names)
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            _names(c, acc)
    return acc


def captured_tensors(fun: Callable) -> list[Tensor]:
    """The tensors requiring grad that ``fun`` can reach without arguments (see the module
    docstring), in a fixed order."""
    out: dict[int, Tensor] = {}
    while isinstance(fun, functools.partial):
        for a in list(fun.args) + list(fun.keywords.values()):
            _collect(a, out, 2)
        fun = fun.func
    if isinstance(fun, Module):
        _collect(fun, out, 0)
        fun = type(fun).forward
    owner = getattr(fun, "__self__", None)
    if owner is not None:
        _collect(owner, out, 1)
        fun = getattr(fun, "__func__", fun)
    code = getattr(fun, "__code__", None)
    if code is None:
        return list(out.values())
    for cell in fun.__closure__ or ():
        try:
            _collect(cell.cell_contents, out, 2)
        except ValueError:          # an empty cell
            pass
    for d in fun.__defaults__ or ():
        _collect(d, out, 2)
    g = getattr(fun, "__globals__", {})
    for name in sorted(_names(code, set())):
        if name in g:
            _collect(g[name], out, 2)
    return list(out.values())


# ====================================================================== runner ===
class _Runner:
    """The forward and backward programs of one jitted facade function."""

    def __init__(self, fun: Callable, static: tuple[int, ...]):
        self.fun = fun
        self.originals: list[Tensor] = []
        self.used: dict = {}      # call signature -> which captured tensors the program reads
        self.fwd = jit(self._forward, static_argnums=tuple(i + 1 for i in static))
        self.bwd = jit(self._backward, static_argnums=(0, 1) + tuple(i + 4 for i in static))

    def _forward(self, cap, *args, **kwargs):
        """``fun`` with the captured tensors' data replaced by ``cap`` (traced)."""
        originals = self.originals
        saved = [(t._data, t._device) for t in originals]

        def restore():
            for t, (d, dev) in zip(originals, saved):
                t._data, t._device = d, dev
        # also when the trace ends: in-place writes ``fun`` made to a captured tensor
        # are undone then (they registered before this), and must end on its own data
        undo_on_exit(restore)
        try:
            for t, v in zip(originals, cap):
                t._data = v._data
            with _grad_mode.no_grad():
                try:
                    out = self.fun(*args, **kwargs)
                except RuntimeError as e:
                    if "does not require grad" in str(e):
                        raise RuntimeError(IMPERATIVE_STEP) from e
                    raise
            leaves, tree = tree_flatten(out)
            ids = {id(t) for t in originals}
            # an output that is a captured tensor leaves with its traced value
            return tree_unflatten(tree, [Tensor._wrap(o._data) if id(o) in ids else o
                                         for o in leaves])
        finally:
            restore()

    def used_captures(self, sig, cap, args, kwargs) -> tuple[bool, ...]:
        """Which captured tensors the program of this call signature reads (traced once
        per signature: a module whose parameters ``functional_call`` replaces is captured
        but not read)."""
        used = self.used.get(sig)
        if used is None:
            jaxpr = self.fwd.lower(cap, *args, **kwargs)
            read = {id(v) for e in jaxpr.eqns for v in e.inputs}
            read.update(id(v) for v in jaxpr.outvars)
            used = self.used[sig] = tuple(id(v) in read for v in jaxpr.invars[:len(cap)])
        return used

    def _backward(self, mask, float_mask, cap, cts, *args, **kwargs):
        """Gradients of the float outputs (cotangents ``cts``) with respect to ``cap`` and
        to the argument leaves selected by ``mask``."""
        leaves, tree = tree_flatten((args, kwargs))
        where = [i for i, m in enumerate(mask) if m]

        def f(cap_, diff_):
            new = list(leaves)
            for i, d in zip(where, diff_):
                new[i] = d
            a, k = tree_unflatten(tree, new)
            outs = tree_flatten(self._forward(cap_, *a, **k))[0]
            return [o for o, keep in zip(outs, float_mask) if keep]

        _, f_vjp = api.vjp(f, list(cap), [leaves[i] for i in where])
        g_cap, g_diff = f_vjp(list(cts))
        return list(g_cap), list(g_diff)


_Runner._forward._fgrad_no_autograd = True
_Runner._backward._fgrad_no_autograd = True


class _Call:
    """One call: what the Function's forward and backward need."""

    __slots__ = ("runner", "originals", "args", "kwargs", "mask", "float_mask", "tree", "used")

    def forward(self):
        r = self.runner
        r.originals = self.originals
        cap = [t.detach() for t in self.originals]
        out = r.fwd(cap, *self.args, **self.kwargs)
        leaves, self.tree = tree_flatten(out)
        self.float_mask = tuple(isinstance(o, Tensor) and o._np_dtype.kind in "fc"
                                for o in leaves)
        return leaves

    def backward(self, cts, outs):
        r = self.runner
        r.originals = self.originals
        cts = [c if c is not None else zeros_like(o) for c, o in zip(cts, outs)]
        cts = [c for c, keep in zip(cts, self.float_mask) if keep]
        cap = [t.detach() for t in self.originals]
        g_cap, g_diff = r.bwd(self.mask, self.float_mask, cap, cts, *self.args, **self.kwargs)
        return [g for g, u in zip(g_cap, self.used) if u], g_diff


class JitFunction(Function):
    """The node a jitted call adds to the graph (``JitFunctionBackward``)."""

    @staticmethod
    def forward(ctx, call, *diff):
        outs = call.forward()
        ctx.call = call
        ctx.outs = [o.detach() if isinstance(o, Tensor) else o for o in outs]
        ctx.mark_non_differentiable(*[o for o, keep in zip(outs, call.float_mask)
                                      if not keep and isinstance(o, Tensor)])
        return tuple(outs)

    @staticmethod
    def backward(ctx, *cts):
        g_cap, g_diff = ctx.call.backward(cts, ctx.outs)
        return (None, *g_diff, *g_cap)


def _detach_leaf(x):
    return x.detach() if isinstance(x, Tensor) else x


def call_with_autograd(jitted: Callable, fun: Callable, static: tuple, args: tuple,
                       kwargs: dict) -> Any:
    """``jit``'s hook: run ``fun`` as one graph node when gradients are wanted, else
    ``NotImplemented`` (``jit`` proceeds as usual)."""
    if not _grad_mode._state.enabled or len(_state.stack) > 1 or \
            getattr(fun, "_fgrad_no_autograd", False):
        return NotImplemented
    leaves, tree = tree_flatten((args, kwargs))
    if not any(isinstance(l, Tensor) for l in leaves):
        return NotImplemented
    static_n = tuple(sorted(i % len(args) for i in static)) if args else ()
    static_ids = {id(args[i]) for i in static_n}
    mask = tuple(isinstance(l, Tensor) and l.requires_grad and id(l) not in static_ids
                 for l in leaves)
    originals = captured_tensors(fun)
    if not originals and True not in mask:
        return NotImplemented
    runners = jitted.__dict__.setdefault("_fgrad_runners", {})
    runner = runners.get(static_n)
    if runner is None:
        runner = runners[static_n] = _Runner(fun, static_n)
    try:
        sig = (tree, tuple([(l._data.shape, l._data.dtype) if isinstance(l, Tensor) else
                            type(l) for l in leaves]),
               tuple([(id(t), t._data.shape, t._data.dtype) for t in originals]),
               tuple([args[i] for i in static_n]))
        used = runner.used.get(sig)
    except TypeError:                  # unhashable static arguments: let jit say so
        return NotImplemented
    if used is not None and True not in used and True not in mask:
        return NotImplemented          # (the common case of a functional step: cheap)
    runner.originals = originals
    a, k = tree_unflatten(tree, [_detach_leaf(l) for l in leaves])
    if used is None:
        used = runner.used_captures(sig, [t.detach() for t in originals], a, k)
        if True not in used and True not in mask:
            return NotImplemented
    call = _Call()
    call.runner, call.originals, call.mask, call.used = runner, originals, mask, used
    call.args, call.kwargs = a, k
    diff = [l for l, m in zip(leaves, mask) if m] + [t for t, u in zip(originals, used) if u]
    outs = JitFunction.apply(call, *diff)
    outs = outs if isinstance(outs, tuple) else (outs,)
    return tree_unflatten(call.tree, list(outs))


set_call_jitted(TensorBase, call_with_autograd)
