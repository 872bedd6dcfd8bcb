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


def _padding_module(name: str, base: type, dims: int, mode: str, doc: str) -> type:
    """One of the fifteen padding modules: ``base`` for ``dims`` trailing dimensions."""
    return type(name, (base,), {"_dims": dims, "_mode": mode, "__doc__": doc,
                                "__module__": __name__, "__qualname__": name})


_AXES = {1: "the last dimension", 2: "the last two dimensions", 3: "the last three dimensions"}
ZeroPad1d = _padding_module("ZeroPad1d", _ZeroPad, 1, "constant", f"Zeros around {_AXES[1]}.")
ZeroPad2d = _padding_module("ZeroPad2d", _ZeroPad, 2, "constant", f"Zeros around {_AXES[2]}.")
ZeroPad3d = _padding_module("ZeroPad3d", _ZeroPad, 3, "constant", f"Zeros around {_AXES[3]}.")
ConstantPad1d = _padding_module("ConstantPad1d", _ConstantPad, 1, "constant",
                                f"``value`` around {_AXES[1]}.")
ConstantPad2d = _padding_module("ConstantPad2d", _ConstantPad, 2, "constant",
                                f"``value`` around {_AXES[2]}.")
ConstantPad3d = _padding_module("ConstantPad3d", _ConstantPad, 3, "constant",
                                f"``value`` around {_AXES[3]}.")
ReflectionPad1d = _padding_module("ReflectionPad1d", _Pad, 1, "reflect",
                                  f"The input mirrored at its edges, {_AXES[1]}.")
ReflectionPad2d = _padding_module("ReflectionPad2d", _Pad, 2, "reflect",
                                  f"The input mirrored at its edges, {_AXES[2]}.")
ReflectionPad3d = _padding_module("ReflectionPad3d", _Pad, 3, "reflect",
                                  f"The input mirrored at its edges, {_AXES[3]}.")
ReplicationPad1d = _padding_module("ReplicationPad1d", _Pad, 1, "replicate",
                                   f"The edge values repeated, {_AXES[1]}.")
ReplicationPad2d = _padding_module("ReplicationPad2d", _Pad, 2, "replicate",
                                   f"The edge values repeated, {_AXES[2]}.")
ReplicationPad3d = _padding_module("ReplicationPad3d", _Pad, 3, "replicate",
                                   f"The edge values repeated, {_AXES[3]}.")
CircularPad1d = _padding_module("CircularPad1d", _Pad, 1, "circular",
                                f"The input wrapped around, {_AXES[1]}.")
CircularPad2d = _padding_module("CircularPad2d", _Pad, 2, "circular",
                                f"The input wrapped around, {_AXES[2]}.")
CircularPad3d = _padding_module("CircularPad3d", _Pad, 3, "circular",
                                f"The input wrapped around, {_AXES[3]}.")
