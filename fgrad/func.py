"""``fgrad.func``: torch.func's names over fgrad's transforms, and calling a module with
parameters given as arguments (``functional_call``), so that a module's loss can be
differentiated, vectorised and compiled as a function of its parameters.

The transforms are fgrad's (``fgrad.grad``, ``fgrad.vmap`` ...) with torch.func's
signatures and return conventions: ``grad_and_value`` returns ``(grad, value)``,
``jvp(..., has_aux=True)`` returns ``(output, jvp_out, aux)``, ``vmap`` takes
``in_dims``/``out_dims``. A module is never left holding a traced value: the tensors
``functional_call`` swaps in are swapped out again in a ``finally``, and a traced value
written into a tensor in place (``load_state_dict`` inside ``grad``) is undone when the
transform returns.

>>> import fgrad
>>> from fgrad.func import functional_call, grad
>>> model = fgrad.nn.Linear(2, 1)
>>> params = {k: fgrad.ones_like(v) for k, v in model.named_parameters()}
>>> x = fgrad.tensor([[1.0, 2.0]])
>>> functional_call(model, params, (x,))
tensor([[4.]])
>>> g = grad(lambda p: functional_call(model, p, (x,)).sum())(params)
>>> g["weight"], g["bias"]
(tensor([[1., 2.]]), tensor([1.]))

The fast path for training is a jitted functional step: forward, backward and the
update compile to one program (``benchmarks/training.py``):

>>> import fgrad.nn.functional as F
>>> @fgrad.jit
... def sgd_step(params, x, y):
...     loss, g = fgrad.value_and_grad(
...         lambda p: F.mse_loss(functional_call(model, p, (x,)), y))(params)
...     return {k: params[k] - 0.1 * g[k] for k in params}, loss
>>> params = {k: fgrad.ones_like(v) for k, v in model.named_parameters()}
>>> for _ in range(3):
...     params, loss = sgd_step(params, x, fgrad.tensor([[1.0]]))
>>> round(loss.item(), 4)
0.0144
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Callable

from .facade import grad_mode as _grad_mode
from ._array import Array
from .facade.torch_functions import FUNCTIONS
from .nn import Module
from .facade.tensor import Tensor
from .transforms import api as _api
from .transforms import derived as _derived
from .transforms.core import Tracer

__all__ = ["functional_call", "stack_module_state", "grad", "grad_and_value", "vjp", "jvp",
           "vmap", "jacrev", "jacfwd", "hessian"]

_stack = FUNCTIONS["stack"]
_MISSING = object()


# ============================================================== functional_call ===
def _merge_dicts(dicts) -> dict:
    if isinstance(dicts, dict):
        return dicts
    if isinstance(dicts, Sequence):
        if not all(isinstance(d, dict) for d in dicts):
            raise ValueError("Expected all elements of parameter_and_buffer_dicts to be "
                             "dictionaries")
        seen: dict[str, int] = {}
        for d in dicts:
            for k in d:
                seen[k] = seen.get(k, 0) + 1
        repeated = [k for k, n in seen.items() if n > 1]
        if repeated:
            raise ValueError(f"{repeated} appeared in multiple dictionaries; behavior of "
                             "functional call is ambiguous")
        return {k: v for d in dicts for k, v in d.items()}
    raise ValueError("Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of "
                     f"dicts, but got {type(dicts)}")


def _all_named_tensors(module: Module) -> dict:
    out = dict(module.named_parameters(remove_duplicate=False))
    out.update(module.named_buffers(remove_duplicate=False))
    return out


def _untie(module: Module, given: dict) -> dict:
    """Names tied to a given name (the same tensor under two names) get its value too."""
    by_tensor: dict[int, set] = {}
    for name, t in _all_named_tensors(module).items():
        by_tensor.setdefault(id(t), set()).add(name)
    out = dict(given)
    for names in by_tensor.values():
        if len(names) < 2:
            continue
        present = sorted(n for n in names if n in given)
        if not present:
            continue
        if len({id(given[n]) for n in present}) > 1:
            raise ValueError(f"functional_call got multiple values for keys {present}, "
                             "which are tied. Consider using tie_weights=False")
        for n in names:
            out.setdefault(n, given[present[0]])
    return out


def _as_tensor(v):
    if isinstance(v, Tensor):
        return v
    if type(v) is Array or isinstance(v, Tracer):
        return Tensor._wrap(v)
    return v


def _swap(module: Module, name: str, value):
    """Put ``value`` at the dotted ``name``; return what was there (``_MISSING`` if
    nothing)."""
    path, _, attr = name.rpartition(".")
    mod = module.get_submodule(path)
    for table in (mod._parameters, mod._buffers):
        if attr in table:
            old = table[attr]
            table[attr] = value
            return old
    old = mod.__dict__.get(attr, _MISSING)
    if value is _MISSING:
        mod.__dict__.pop(attr, None)
    else:
        mod.__dict__[attr] = value
    return old


def functional_call(module: Module, parameter_and_buffer_dicts, args: Any = None,
                    kwargs: dict | None = None, *, tie_weights: bool = True,
                    strict: bool = False) -> Any:
    """``module(*args, **kwargs)`` with its parameters and buffers replaced by the given
    tensors (a dict, or a sequence of dicts, keyed by ``state_dict`` names). The module is
    restored afterwards, also when the call raises. ``tie_weights``: a value given for one
    of several names of one tensor is used for all of them. ``strict``: every parameter
    and buffer must be given, and nothing else.

    >>> import fgrad
    >>> m = fgrad.nn.Linear(1, 1)
    >>> out = functional_call(m, {"weight": fgrad.tensor([[2.0]]), "bias": fgrad.zeros(1)},
    ...                       fgrad.tensor([[3.0]]))
    >>> out
    tensor([[6.]])
    """
    given = {k: _as_tensor(v) for k, v in _merge_dicts(parameter_and_buffer_dicts).items()}
    values = _untie(module, given) if tie_weights else given
    if strict:
        own = _all_named_tensors(module)
        unexpected = [k for k in values if k not in own]
        missing = [k for k in own if k not in values]
        errors = []
        if unexpected:
            errors.append(f"Unexpected key(s): {', '.join(map(repr, unexpected))}.")
        if missing:
            errors.append(f"Missing key(s): {', '.join(map(repr, missing))}.")
        if errors:
            raise RuntimeError(f"Error(s) in reparametrizing for {type(module).__name__}:\n\t"
                               + "\n\t".join(errors))
    if kwargs is None:
        kwargs = {}
    if not isinstance(args, tuple):
        args = () if args is None else (args,)
    originals: list = []
    try:
        for name, value in values.items():
            originals.append((name, _swap(module, name, value)))
        return module(*args, **kwargs)
    finally:
        for name, old in reversed(originals):
            _swap(module, name, old)


def stack_module_state(models) -> tuple[dict, dict]:
    """The parameters and buffers of several models of one class, stacked along a new
    first dimension (``(params, buffers)``, detached; stacked parameters require grad),
    for ``vmap`` over an ensemble with ``functional_call``.

    >>> import fgrad
    >>> params, buffers = stack_module_state([fgrad.nn.Linear(3, 2) for _ in range(4)])
    >>> params["weight"].shape
    fgrad.Size([4, 2, 3])
    """
    models = list(models)
    if len(models) == 0:
        raise RuntimeError("stack_module_state: Expected at least one model, got 0.")
    if not (all(m.training for m in models) or all(not m.training for m in models)):
        raise RuntimeError("stack_module_state: Expected all models to have the same "
                           "training/eval mode.")
    if not all(type(m) is type(models[0]) for m in models):
        raise RuntimeError("stack_module_state: Expected all models to be of the same class.")

    def stacked(tensors):
        with _grad_mode.no_grad():
            out = _stack([t.detach() for t in tensors])
        if all(t.requires_grad for t in tensors):
            out.requires_grad_(True)
        return out

    all_params = [dict(m.named_parameters()) for m in models]
    all_buffers = [dict(m.named_buffers()) for m in models]
    params = {k: stacked([p[k] for p in all_params]) for k in all_params[0]}
    buffers = {k: stacked([b[k] for b in all_buffers]) for k in all_buffers[0]}
    return params, buffers


# ================================================================= transforms ===
def grad(func: Callable, argnums: int | tuple[int, ...] = 0, has_aux: bool = False) -> Callable:
    """The gradient of a scalar function (``torch.func.grad``; ``fgrad.grad``).

    >>> import fgrad
    >>> grad(lambda x: (x ** 2).sum())(fgrad.tensor([1.0, 2.0]))
    tensor([2., 4.])
    """
    return _api.grad(func, argnums=argnums, has_aux=has_aux)


def grad_and_value(func: Callable, argnums: int | tuple[int, ...] = 0,
                   has_aux: bool = False) -> Callable:
    """``(gradient, value)`` (with ``has_aux``: ``(gradient, (value, aux))``), as
    ``torch.func.grad_and_value`` (the reverse of ``fgrad.value_and_grad``'s order).

    >>> import fgrad
    >>> grad_and_value(lambda x: (x ** 2).sum())(fgrad.tensor([3.0]))
    (tensor([6.]), tensor(9.))
    """
    vg = _api.value_and_grad(func, argnums=argnums, has_aux=has_aux)

    def wrapped(*args, **kwargs):
        value, g = vg(*args, **kwargs)
        return g, value
    return wrapped


def vjp(func: Callable, *primals, has_aux: bool = False):
    """``(output, vjp_fn)`` (and ``aux`` with ``has_aux``), as ``torch.func.vjp``;
    ``vjp_fn(cotangent)`` returns a tuple with one gradient per primal."""
    return _api.vjp(func, *primals, has_aux=has_aux)


def jvp(func: Callable, primals: Any, tangents: Any, *, strict: bool = False,
        has_aux: bool = False):
    """``(output, jvp_out)`` (with ``has_aux``: ``(output, jvp_out, aux)``), as
    ``torch.func.jvp``; ``aux`` must be made of tensors or arrays.

    >>> import fgrad
    >>> jvp(lambda x: x ** 3, (fgrad.tensor(2.0),), (fgrad.tensor(1.0),))
    (tensor(8.), tensor(12.))
    """
    if not has_aux:
        return _api.jvp(func, tuple(primals), tuple(tangents))
    (out, aux), (t_out, _) = _api.jvp(lambda *p: tuple(func(*p)), tuple(primals),
                                      tuple(tangents))
    return out, t_out, aux


_RANDOMNESS = ("error", "different", "same")


def vmap(func: Callable, in_dims: Any = 0, out_dims: Any = 0, randomness: str = "error", *,
         chunk_size: int | None = None) -> Callable:
    """``fgrad.vmap`` with torch.func's signature.

    ``randomness``: the facade's random functions draw from a host generator outside the
    transforms, so inside ``vmap`` one draw is shared by the whole batch; that is
    ``'same'``, and ``'error'`` (the default) runs the same way without detecting the
    draw. ``'different'`` is refused (``NotImplementedError``): draw the random values
    before ``vmap`` and map over them, or use ``fgrad.random`` keys.

    >>> import fgrad
    >>> vmap(lambda x, y: (x * y).sum(), in_dims=(0, None))(fgrad.ones(3, 2),
    ...                                                     fgrad.tensor([1.0, 2.0]))
    tensor([3., 3., 3.])
    """
    if randomness not in _RANDOMNESS:
        raise RuntimeError(f"Only allowed values for randomness are 'error', 'different', or "
                           f"'same'. Got {randomness}")
    if randomness == "different":
        raise NotImplementedError(
            "vmap(randomness='different') is not supported: the facade's random functions "
            "draw outside the transforms; draw the values before vmap and map over them")
    return _api.vmap(func, in_axes=in_dims, out_axes=out_dims, chunk_size=chunk_size)


def jacrev(func: Callable, argnums: int | tuple[int, ...] = 0, *, has_aux: bool = False,
           chunk_size: int | None = None) -> Callable:
    """The Jacobian by reverse mode (``torch.func.jacrev``; ``chunk_size`` is accepted and
    all rows are computed at once)."""
    return _derived.jacrev(func, argnums=argnums, has_aux=has_aux)


def jacfwd(func: Callable, argnums: int | tuple[int, ...] = 0, has_aux: bool = False, *,
           randomness: str = "error") -> Callable:
    """The Jacobian by forward mode (``torch.func.jacfwd``)."""
    if randomness not in _RANDOMNESS:
        raise RuntimeError(f"Only allowed values for randomness are 'error', 'different', or "
                           f"'same'. Got {randomness}")
    return _derived.jacfwd(func, argnums=argnums, has_aux=has_aux)


def hessian(func: Callable, argnums: int | tuple[int, ...] = 0) -> Callable:
    """The Hessian (forward over reverse), as ``torch.func.hessian``.

    >>> import fgrad
    >>> hessian(lambda x: (x ** 3).sum())(fgrad.tensor([1.0, 2.0]))
    tensor([[ 6.,  0.],
            [ 0., 12.]])
    """
    return _derived.hessian(func, argnums=argnums)
