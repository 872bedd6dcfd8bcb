"""The Device abstraction: a name, an array namespace, host transfer and an RNG.

Everything that touches backend arrays (numpy on ``cpu``, cupy on ``cuda``)
goes through a Device. Primitive implementations receive ``device.xp`` (an
array namespace with NumPy's API plus the extras that every device defines:
``scatter_add(x, idx, v)``, ``scatter_apply(ufunc_name, x, idx, v)`` and
``scatter_set(x, idx, v)``, each returning an updated copy of ``x``, duplicates
combined by the ufunc, or the last in C order winning for ``scatter_set``; and
``sliding_window_view(x, window_shape, axis)``, NumPy's read-only strided view of
every window) and never import a backend themselves.
"""
from __future__ import annotations

import types

import numpy as np


def make_namespace(name: str, base, **extras) -> types.ModuleType:
    """A module-like namespace: every attribute of ``base`` plus ``extras``.

    Attribute lookups on the result cost what a lookup on ``base`` costs, which
    matters because every primitive implementation goes through it.
    """
    ns = types.ModuleType(name)
    ns.__dict__.update({k: v for k, v in vars(base).items() if not k.startswith("__")})
    # submodules the backend may load lazily (NumPy 2's ``numpy.fft``)
    ns.__dict__.update({k: getattr(base, k) for k in ("fft", "linalg") if hasattr(base, k)})
    ns.__dict__.update(extras)
    return ns


class Device:
    """A place where arrays live. Subclasses provide ``xp`` and transfers.

    >>> import fgrad
    >>> fgrad.devices.get("cpu")
    device(type='cpu')
    """

    platform: str = "?"
    index: int | None = None
    xp: types.ModuleType

    @property
    def type(self) -> str:
        """The kind of device, as ``torch.device.type``: 'cpu', 'cuda' ..."""
        return self.platform

    @property
    def name(self) -> str:
        return self.platform if self.index is None else f"{self.platform}:{self.index}"

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.platform}')"
        return f"device(type='{self.platform}', index={self.index})"

    def __str__(self) -> str:
        return self.name

    # -- transfers ---------------------------------------------------------
    def from_host(self, a: np.ndarray):
        """Copy a host NumPy array onto this device."""
        raise NotImplementedError

    def to_host(self, v) -> np.ndarray:
        """A host NumPy array with the value of the device array ``v``."""
        raise NotImplementedError

    def is_native(self, v) -> bool:
        """Whether ``v`` is already an array of this device's backend."""
        raise NotImplementedError

    def readonly_host_view(self, v) -> np.ndarray:
        """What ``np.asarray(Array)`` returns: read-only, copy-free where possible."""
        a = np.asarray(self.to_host(v)).view()
        a.flags.writeable = False
        return a

    def synchronize(self) -> None:
        """Wait for queued work (a no-op on synchronous devices)."""
