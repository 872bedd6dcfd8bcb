"""``torch.autograd.functional`` (``fgrad.autograd.functional``): ``jacobian hessian vjp
jvp hvp vhp`` of a function of tensors.

Without ``create_graph`` or ``strict`` they run fgrad's transforms (``jacrev``/``jacfwd``,
``hessian``, ``vjp``, ``jvp``, forward-over-reverse for ``hvp``): one vectorised pass,
whatever ``vectorize`` says. With ``create_graph=True`` (results that differentiate
again through ``backward()``) or ``strict=True`` (an error when an output does not
depend on an input) they run the facade's tape through ``autograd.grad``, one pass per
output element for Jacobians, as PyTorch does without ``vectorize``. Results are
detached unless ``create_graph=True``.

>>> import fgrad as torch
>>> from fgrad.autograd.functional import jacobian, hessian
>>> jacobian(lambda x: x ** 2, torch.tensor([1.0, 2.0]))
tensor([[2., 0.],
        [0., 4.]])
>>> hessian(lambda x: (x ** 3).sum(), torch.tensor([1.0, 2.0]))
tensor([[ 6.,  0.],
        [ 0., 12.]])
"""
from __future__ import annotations

from typing import Callable

from . import grad_mode as _grad_mode
from .torch_functions import FUNCTIONS
from .autograd import grad as _tape_grad
from .tensor import Tensor
from ..transforms.api import grad as _grad, jvp as _jvp, vjp as _vjp
from ..transforms.derived import hessian as _hessian, jacfwd as _jacfwd, jacrev as _jacrev

__all__ = ["jacobian", "hessian", "vjp", "jvp", "hvp", "vhp"]


def _as_tuple(x, arg: str, fn: str) -> tuple[tuple, bool]:
    """``(tuple of tensors, whether x was a single tensor)``; PyTorch's TypeError else."""
    single = not isinstance(x, tuple)
    xs = (x,) if single else x
    for i, t in enumerate(xs):
        if not isinstance(t, Tensor):
            where = f"The {arg} given to {fn} must be either a Tensor or a tuple of Tensors"
            raise TypeError(f"{where} but the value at index {i} has type {type(t).__name__}.")
    return xs, single


def _unpack(xs, single):
    return xs[0] if single else tuple(xs)


def _detach(x):
    if isinstance(x, tuple):
        return tuple(_detach(t) for t in x)
    return x.detach() if isinstance(x, Tensor) else x


def _check_v(v, outs, fn, what="outputs"):
    """``v`` as a tuple matching ``outs``; a one-element output may leave it None."""
    if v is None:
        if len(outs) != 1 or outs[0].numel() != 1:
            raise RuntimeError(f"The vector v can only be None if the user-provided function "
                               f"returns a single Tensor with a single element.") \
                if what == "outputs" else RuntimeError(
                    "The vector v can only be None if the input to the user-provided function "
                    "is a single Tensor with a single element.")
        return (outs[0].detach() * 0 + 1,)
    vs, _ = _as_tuple(v, "v", fn)
    if len(vs) != len(outs):
        raise RuntimeError(f"v is a tuple of invalid length: should be {len(outs)} but got "
                           f"{len(vs)}.")
    for i, (a, o) in enumerate(zip(vs, outs)):
        if tuple(a.shape) != tuple(o.shape):
            raise RuntimeError(f"Entry {i} in v has invalid size: should be "
                               f"{list(o.shape)} but got {list(a.shape)}.")
    return vs


def _prepared(ins, create_graph):
    """The inputs as the tape sees them: fresh leaves that require grad (or, with
    ``create_graph``, views of inputs that already do, so the graph reaches them)."""
    return tuple(t.view_as(t) if create_graph and t.requires_grad else
                 t.detach().requires_grad_(True) for t in ins)


def _tape_grads(outs, ins, vs, create_graph, strict, fn):
    """``autograd.grad`` with PyTorch's ``strict`` check and zeros for unused inputs."""
    outs_used = [(o, v) for o, v in zip(outs, vs) if o.requires_grad]
    if outs_used:
        gs = _tape_grad([o for o, _ in outs_used], ins, [v for _, v in outs_used],
                        retain_graph=True, create_graph=create_graph, allow_unused=True)
    else:
        gs = (None,) * len(ins)
    out = []
    for i, (g, t) in enumerate(zip(gs, ins)):
        if g is None:
            if strict:
                raise RuntimeError(f"The output of the user-provided function is independent "
                                   f"of input {i}. This is not allowed in strict mode.")
            g = t.detach() * 0
        out.append(g)
    return tuple(out)


def vjp(func: Callable, inputs, v=None, create_graph: bool = False, strict: bool = False):
    """``(func(inputs), v^T J)``: the vector-Jacobian product at ``inputs``."""
    ins, single = _as_tuple(inputs, "inputs", "vjp")
    if not create_graph and not strict:
        out, pull = _vjp(func, *[t.detach() for t in ins])
        outs, out_single = _as_tuple(out, "outputs of the user-provided function", "vjp")
        vs = _check_v(v, outs, "vjp")
        return _detach(out), _unpack(pull(_unpack(vs, out_single)), single)
    with _grad_mode.enable_grad():
        ins = _prepared(ins, create_graph)
        out = func(*ins)
        outs, _ = _as_tuple(out, "outputs of the user-provided function", "vjp")
        vs = _check_v(v, outs, "vjp")
        gs = _tape_grads(outs, ins, vs, create_graph, strict, "vjp")
    res = (out, _unpack(gs, single))
    return res if create_graph else _detach(res)


def jvp(func: Callable, inputs, v=None, create_graph: bool = False, strict: bool = False):
    """``(func(inputs), J v)``: the Jacobian-vector product at ``inputs``."""
    ins, single = _as_tuple(inputs, "inputs", "jvp")
    vs = _check_v(v, ins, "jvp", what="inputs")
    if not create_graph and not strict:
        out, t = _jvp(func, tuple(x.detach() for x in ins), tuple(vs))
        return _detach(out), _detach(t)
    # the tape's "double backward": u -> J^T u is linear, and its transpose is J
    with _grad_mode.enable_grad():
        ins = _prepared(ins, create_graph)
        out = func(*ins)
        outs, out_single = _as_tuple(out, "outputs of the user-provided function", "jvp")
        us = tuple(o.detach() * 0 for o in outs)
        us = tuple(u.requires_grad_(True) for u in us)
        gs = _tape_grads(outs, ins, us, True, strict, "jvp")
        jv = _tape_grads(gs, us, vs, create_graph, False, "jvp")
    res = (out, _unpack(jv, out_single))
    return res if create_graph else _detach(res)


def _tape_jacobian(func, ins, create_graph, strict):
    """Rows of the Jacobian, one ``autograd.grad`` per output element."""
    with _grad_mode.enable_grad():
        ins = _prepared(ins, create_graph)
        out = func(*ins)
        outs, out_single = _as_tuple(out, "outputs of the user-provided function", "jacobian")
        per_out = []
        for o in outs:
            flat = o.reshape(-1)
            rows = []
            for k in range(flat.shape[0]):
                if not flat.requires_grad:
                    if strict:
                        raise RuntimeError("Output 0 of the user-provided function does not "
                                           "require gradients. The outputs must be computed "
                                           "in a differentiable manner from the input when "
                                           "running in strict mode.")
                    rows.append(tuple(t.detach() * 0 for t in ins))
                    continue
                one = flat.detach() * 0
                one[k] = 1
                rows.append(_tape_grads((flat,), ins, (one,), create_graph, strict, "jacobian"))
            blocks = []
            for j, t in enumerate(ins):
                from_rows = [r[j].reshape(-1) for r in rows]
                stacked = _stack(from_rows) if from_rows else t.detach().reshape(-1)[:0]
                blocks.append(stacked.reshape(tuple(o.shape) + tuple(t.shape)))
            per_out.append(tuple(blocks))
    return per_out, out_single


_stack = FUNCTIONS["stack"]


def jacobian(func: Callable, inputs, create_graph: bool = False, strict: bool = False,
             vectorize: bool = False, strategy: str = "reverse-mode"):
    """The Jacobian of ``func`` at ``inputs``: for one input and one output a tensor of
    shape ``output.shape + input.shape``; a tuple per input and/or per output otherwise.
    ``strategy`` is "reverse-mode" (``jacrev``) or "forward-mode" (``jacfwd``, which
    needs ``vectorize=True`` as in PyTorch)."""
    if strategy not in ("forward-mode", "reverse-mode"):
        raise ValueError('Expected strategy to be either "forward-mode" or "reverse-mode". '
                         "Hint: If your function has more outputs than inputs, "
                         '"forward-mode" tends to be more performant. Otherwise, prefer to '
                         'use "reverse-mode".')
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError("torch.autograd.functional.jacobian: `strategy="
                                      "\"forward-mode\"` does not support `create_graph=True`")
        if not vectorize:
            raise NotImplementedError("torch.autograd.functional.jacobian: `strategy="
                                      "\"forward-mode\"` only works with `vectorize=True` at "
                                      "the moment.")
    ins, single = _as_tuple(inputs, "inputs", "jacobian")
    if create_graph or strict:
        per_out, out_single = _tape_jacobian(func, ins, create_graph, strict)
        res = [_unpack(blocks, single) for blocks in per_out]
        res = _unpack(res, out_single)
        return res if create_graph else _detach(res)
    transform = _jacfwd if strategy == "forward-mode" else _jacrev
    jac = transform(func, argnums=tuple(range(len(ins))))(*[t.detach() for t in ins])
    if isinstance(jac, tuple) and jac and isinstance(jac[0], tuple):   # several outputs
        return _detach(tuple(_unpack(j, single) for j in jac))
    return _detach(_unpack(jac, single))


def _scalar_output(func, fn):
    def f(*a):
        out = func(*a)
        if not isinstance(out, Tensor):
            raise RuntimeError(f"The function given to {fn} should return a single Tensor")
        if out.numel() != 1:
            raise RuntimeError(f"The Tensor returned by the function given to {fn} should "
                               f"contain a single element")
        return out.reshape(())
    return f


def hessian(func: Callable, inputs, create_graph: bool = False, strict: bool = False,
            vectorize: bool = False, outer_jacobian_strategy: str = "reverse-mode"):
    """The Hessian of the scalar ``func`` at ``inputs``: ``input.shape * 2`` for one input,
    a tuple of tuples (block ``[i][j]``) for several."""
    ins, single = _as_tuple(inputs, "inputs", "hessian")
    f = _scalar_output(func, "hessian")
    if create_graph or strict:
        def grads(*a):
            with _grad_mode.enable_grad():
                return _tape_grads((f(*a),), a, (None,), True, strict, "hessian")
        per_out, _ = _tape_jacobian(grads, ins, create_graph, False)   # strict: first pass
        res = _unpack([_unpack(blocks, single) for blocks in per_out], single)
        return res if create_graph else _detach(res)
    h = _hessian(f, argnums=tuple(range(len(ins))))(*[t.detach() for t in ins])
    return _detach(h[0][0] if single else h)


def vhp(func: Callable, inputs, v=None, create_graph: bool = False, strict: bool = False):
    """``(func(inputs), v^T H)`` for a scalar ``func``."""
    ins, single = _as_tuple(inputs, "inputs", "vhp")
    vs = _check_v(v, ins, "vhp", what="inputs")
    f = _scalar_output(func, "vhp")
    if not create_graph and not strict:
        argnums = tuple(range(len(ins)))
        _, pull = _vjp(lambda *a: _grad(f, argnums=argnums)(*a), *[t.detach() for t in ins])
        return _detach(func(*[t.detach() for t in ins])), _detach(_unpack(pull(tuple(vs)),
                                                                          single))
    with _grad_mode.enable_grad():
        ins = _prepared(ins, create_graph)
        out = f(*ins)
        gs = _tape_grads((out,), ins, (None,), True, strict, "vhp")
        # the tape knows when a gradient does not depend on an input where PyTorch's graph
        # keeps a path of zeros: strict mode checks the first backward pass only
        res = _tape_grads(gs, ins, vs, create_graph, False, "vhp")
    out = func(*ins) if create_graph else out
    res = (out, _unpack(res, single))
    return res if create_graph else _detach(res)


def hvp(func: Callable, inputs, v=None, create_graph: bool = False, strict: bool = False):
    """``(func(inputs), H v)`` for a scalar ``func`` (forward over reverse)."""
    ins, single = _as_tuple(inputs, "inputs", "hvp")
    vs = _check_v(v, ins, "hvp", what="inputs")
    f = _scalar_output(func, "hvp")
    if not create_graph and not strict:
        argnums = tuple(range(len(ins)))
        _, hv = _jvp(lambda *a: _grad(f, argnums=argnums)(*a), tuple(t.detach() for t in ins),
                     tuple(vs))
        return _detach(func(*[t.detach() for t in ins])), _detach(_unpack(hv, single))
    return vhp(func, inputs, v, create_graph, strict)     # H is symmetric: H v = (v^T H)^T
