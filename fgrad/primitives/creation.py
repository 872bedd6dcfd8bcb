"""Constants on a device (not primitives: they have no inputs to differentiate)."""
from __future__ import annotations

import numpy as np

from .._array import wrap_raw
from ..devices import CPU


def full(shape, value, dtype, device=None):
    """An Array of ``shape`` filled with ``value``."""
    device = device or CPU
    return wrap_raw(device.xp.full(tuple(shape), value, dtype=dtype), device)


def zeros(shape, dtype, device=None):
    device = device or CPU
    return wrap_raw(device.xp.zeros(tuple(shape), dtype=dtype), device)


def from_host(a: np.ndarray, device=None):
    """An Array holding a copy of host array ``a`` on ``device``."""
    device = device or CPU
    return wrap_raw(device.from_host(a), device)


def iota(n, dtype, device=None):
    device = device or CPU
    return wrap_raw(device.xp.arange(n, dtype=dtype), device)
