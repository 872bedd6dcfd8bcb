"""``parameters_to_vector`` / ``vector_to_parameters``, as
``torch.nn.utils.convert_parameters``.

>>> import fgrad
>>> from fgrad import nn
>>> lin = nn.Linear(2, 1)
>>> v = parameters_to_vector(lin.parameters()); v.shape
fgrad.Size([3])
>>> vector_to_parameters(fgrad.zeros(3), lin.parameters()); lin.bias
Parameter containing:
tensor([0.], requires_grad=True)
"""
from __future__ import annotations

from ...facade import torch_functions as _torch_functions
from ...facade.tensor import Tensor

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def _check(obj) -> None:
    if not isinstance(obj, Tensor):
        t = type(obj)
        raise TypeError(f"expected torch.Tensor, but got: {t.__module__}.{t.__qualname__}"
                        if t.__module__ != "builtins" else
                        f"expected torch.Tensor, but got: {t.__qualname__}")


def parameters_to_vector(parameters) -> Tensor:
    """The parameters flattened and concatenated into one vector (differentiable)."""
    vec = []
    for p in parameters:
        vec.append(p.view(-1))
    return _torch_functions.FUNCTIONS["cat"](vec)


def vector_to_parameters(vec: Tensor, parameters) -> None:
    """Copy consecutive slices of ``vec`` into the parameters' data (each reshaped)."""
    _check(vec)
    pointer = 0
    for p in parameters:
        n = p.numel()
        p.data = vec[pointer:pointer + n].view_as(p).data
        pointer += n
