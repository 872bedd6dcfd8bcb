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


def _method_call(name):
    """``np.<name>(a, ...)`` as the ndarray method: NumPy's module-level wrapper only
    forwards to it, at about 0.8 us a call; every value reaching an implementation is
    an ndarray or a NumPy scalar, which has the method too."""
    method = getattr(np.ndarray, name)

    def f(a, *args, **kwargs):
        return method(a, *args, **kwargs) if type(a) is np.ndarray else getattr(np, name)(
            a, *args, **kwargs)
    f.__name__ = name
    return f


def _ufunc_reduction(name, ufunc):
    """``np.<name>(a, axis=...)`` as ``ufunc.reduce``, which ``np.<name>`` calls for an
    ndarray after a Python-level dispatch (same results, dtypes and errors)."""
    reduce = ufunc.reduce

    def f(a, axis=None, **kwargs):
        return reduce(a, axis=axis, **kwargs) if type(a) is np.ndarray else getattr(np, name)(
            a, axis=axis, **kwargs)
    f.__name__ = name
    return f


_FAST_PATHS = {name: _method_call(name) for name in ("reshape", "transpose", "swapaxes")}
_FAST_PATHS.update({name: _ufunc_reduction(name, ufunc) for name, ufunc in (
    ("sum", np.add), ("prod", np.multiply), ("max", np.maximum), ("min", np.minimum),
    ("amax", np.maximum), ("amin", np.minimum))})


class CPUDevice(Device):
    platform = "cpu"
    index = None

    def __init__(self):
        self.xp = make_namespace(
            "fgrad.devices.cpu.xp", np,
            scatter_add=_scatter_add, scatter_apply=_scatter_apply,
            scatter_set=_scatter_set,
            sliding_window_view=np.lib.stride_tricks.sliding_window_view, **_FAST_PATHS)

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
