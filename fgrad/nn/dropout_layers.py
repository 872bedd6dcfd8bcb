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

__all__ = ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d"]


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


class Dropout1d(Dropout):
    """Zeroes whole channels of ``(N, C, L)`` or ``(C, L)`` inputs in training mode."""

    def forward(self, input):
        return F.dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(Dropout):
    """Zeroes whole channels of ``(N, C, H, W)`` inputs in training mode."""

    def forward(self, input):
        return F.dropout2d(input, self.p, self.training, self.inplace)


class Dropout3d(Dropout):
    """Zeroes whole channels of ``(N, C, D, H, W)`` or ``(C, D, H, W)`` inputs in training
    mode."""

    def forward(self, input):
        return F.dropout3d(input, self.p, self.training, self.inplace)

