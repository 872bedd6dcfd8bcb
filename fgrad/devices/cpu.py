"""The ``cpu`` device: NumPy arrays."""
from __future__ import annotations

import numpy as np

from .base import Device, make_namespace


def _scatter_add(x, idx, v):
    out = x.copy()
    np.add.at(out, idx, v)
    return out


def _scatter_set(x, idx, v):
    out = x.copy()
    out[idx] = v      # NumPy assigns in C order: the last duplicate wins
    return out


def _scatter_apply(ufunc_name, x, idx, v):
    out = x.copy()
    getattr(np, ufunc_name).at(out, idx, v)
    return out


class CPUDevice(Device):
    platform = "cpu"
    index = None

    def __init__(self):
        self.xp = make_namespace(
            "fgrad.devices.cpu.xp", np,
            scatter_add=_scatter_add, scatter_apply=_scatter_apply,
            scatter_set=_scatter_set)

    def from_host(self, a):
        return np.asarray(a)

    def to_host(self, v):
        return np.asarray(v)

    def is_native(self, v):
        return isinstance(v, (np.ndarray, np.generic))

    def readonly_host_view(self, v):
        if isinstance(v, np.ndarray):
            # The value is owned by an immutable Array: freeze it, then hand it out.
            v.flags.writeable = False
            return v
        a = np.asarray(v)
        a.flags.writeable = False
        return a


CPU = CPUDevice()
