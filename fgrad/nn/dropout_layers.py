"""``Dropout``: active in training mode (``module.train()``), the identity after
``module.eval()``.

>>> import fgrad
>>> from fgrad import nn
>>> d = nn.Dropout(0.25); d
Dropout(p=0.25, inplace=False)
>>> x = fgrad.ones(4)
>>> d.eval()(x) is x
True
"""
from __future__ import annotations

from . import functional as F
from ._dropout import _check_p
from .modules import Module

__all__ = ["Dropout"]


class Dropout(Module):
    """Zeroes each element with probability ``p`` in training mode and scales the rest
    by ``1 / (1 - p)``."""

    def __init__(self, p: float = 0.5, inplace: bool = False):
        super().__init__()
        _check_p(p)
        self.p = p
        self.inplace = inplace

    def forward(self, input):
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
