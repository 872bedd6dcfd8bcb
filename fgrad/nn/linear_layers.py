"""Shape-keeping and affine layers: ``Identity``, ``Linear``, ``Flatten``, ``Unflatten``.

>>> import fgrad
>>> from fgrad import nn
>>> nn.Flatten()(fgrad.zeros(2, 3, 4)).shape
fgrad.Size([2, 12])
"""
from __future__ import annotations

import math

from ..facade import creation as _creation, grad_mode as _grad_mode
from . import functional as F
from .modules import Module, Parameter

__all__ = ["Identity", "Linear", "Flatten", "Unflatten"]


class Identity(Module):
    """Returns its input."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        return input


class Linear(Module):
    """``y = x W^T + b``, with PyTorch's initialisation: ``W`` and ``b`` uniform on
    ``[-1/sqrt(in_features), 1/sqrt(in_features)]`` (``kaiming_uniform_(a=sqrt(5))``),
    drawn from fgrad's global generator (``fgrad.manual_seed``).

    >>> Linear(3, 1)
    Linear(in_features=3, out_features=1, bias=True)
    >>> Linear(3, 1).weight.shape
    fgrad.Size([1, 3])
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, device=None,
                 dtype=None):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(_creation.empty((out_features, in_features), device=device,
                                              dtype=dtype))
        if bias:
            self.bias = Parameter(_creation.empty(out_features, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        bound = 1.0 / math.sqrt(self.in_features) if self.in_features > 0 else 0.0
        with _grad_mode.no_grad():
            self.weight.uniform_(-bound, bound)
            if self.bias is not None:
                self.bias.uniform_(-bound, bound)

    def forward(self, input):
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")



class Flatten(Module):
    """Flattens dimensions ``start_dim .. end_dim`` into one (a view where possible).

    >>> Flatten()
    Flatten(start_dim=1, end_dim=-1)
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input):
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Expands dimension ``dim`` into ``unflattened_size``.

    >>> import fgrad
    >>> Unflatten(1, (2, 3))(fgrad.zeros(4, 6)).shape
    fgrad.Size([4, 2, 3])
    """

    def __init__(self, dim: int | str, unflattened_size):
        super().__init__()
        if isinstance(dim, str):
            raise NotImplementedError("Unflatten: named dimensions are not supported; give "
                                      "dim as an int")
        if not isinstance(unflattened_size, (tuple, list)):
            raise TypeError("unflattened_size must be tuple of ints, but found type "
                            f"{type(unflattened_size).__name__}")
        self.dim = dim
        self.unflattened_size = unflattened_size

    def forward(self, input):
        return input.unflatten(self.dim, self.unflattened_size)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
