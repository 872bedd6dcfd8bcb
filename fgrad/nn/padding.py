"""torch.nn's padding modules: ``ZeroPad``, ``ConstantPad``, ``ReflectionPad``,
``ReplicationPad`` and ``CircularPad`` in 1, 2 and 3 dimensions, each ``F.pad`` with its mode
(``padding`` is one int for every side or ``2 * N`` ints, last dimension first).

>>> import fgrad
>>> ZeroPad2d((1, 0, 0, 1))(fgrad.ones(1, 2, 2))
tensor([[[0., 1., 1.],
         [0., 1., 1.],
         [0., 0., 0.]]])
>>> ConstantPad1d(2, 3.5)
ConstantPad1d(padding=(2, 2), value=3.5)
"""
from __future__ import annotations

from . import functional as F
from .modules import Module

__all__ = [f"{kind}Pad{n}d" for kind in ("Zero", "Constant", "Reflection", "Replication",
                                          "Circular") for n in (1, 2, 3)]


class _Pad(Module):
    """``F.pad(input, padding, mode)`` over the last ``_dims`` dimensions."""
    _dims = 1
    _mode = "constant"

    def __init__(self, padding):
        super().__init__()
        n = 2 * self._dims
        self.padding = (int(padding),) * n if isinstance(padding, int) else tuple(padding)
        if len(self.padding) != n:
            raise ValueError(f"{type(self).__name__}: padding must be an int or a tuple of "
                             f"{n} ints, got {padding!r}")

    def forward(self, input):
        return F.pad(input, self.padding, self._mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPad(_Pad):
    def __init__(self, padding, value: float):
        super().__init__(padding)
        self.value = value

    def forward(self, input):
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class _ZeroPad(_ConstantPad):
    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad1d(_ZeroPad):
    """Zeros on both sides of the last dimension."""
    _dims = 1


class ZeroPad2d(_ZeroPad):
    """Zeros around the last two dimensions."""
    _dims = 2


class ZeroPad3d(_ZeroPad):
    """Zeros around the last three dimensions."""
    _dims = 3


class ConstantPad1d(_ConstantPad):
    """``value`` on both sides of the last dimension."""
    _dims = 1


class ConstantPad2d(_ConstantPad):
    """``value`` around the last two dimensions."""
    _dims = 2


class ConstantPad3d(_ConstantPad):
    """``value`` around the last three dimensions."""
    _dims = 3


class ReflectionPad1d(_Pad):
    """The input mirrored at its edges (the edge not repeated), last dimension."""
    _dims, _mode = 1, "reflect"


class ReflectionPad2d(_Pad):
    """The input mirrored at its edges, last two dimensions."""
    _dims, _mode = 2, "reflect"


class ReflectionPad3d(_Pad):
    """The input mirrored at its edges, last three dimensions."""
    _dims, _mode = 3, "reflect"


class ReplicationPad1d(_Pad):
    """The edge values repeated, last dimension."""
    _dims, _mode = 1, "replicate"


class ReplicationPad2d(_Pad):
    """The edge values repeated, last two dimensions."""
    _dims, _mode = 2, "replicate"


class ReplicationPad3d(_Pad):
    """The edge values repeated, last three dimensions."""
    _dims, _mode = 3, "replicate"


class CircularPad1d(_Pad):
    """The input wrapped around, last dimension."""
    _dims, _mode = 1, "circular"


class CircularPad2d(_Pad):
    """The input wrapped around, last two dimensions."""
    _dims, _mode = 2, "circular"


class CircularPad3d(_Pad):
    """The input wrapped around, last three dimensions."""
    _dims, _mode = 3, "circular"
