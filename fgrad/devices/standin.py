"""A stand-in accelerator for tests on machines with no GPU.

Its arrays are ``StandinArray`` objects, *not* NumPy arrays, and refuse
implicit conversion to NumPy exactly as CuPy's do. Its namespace forwards to
NumPy, unwrapping arguments and wrapping results. Any code path that calls a
NumPy-only function on device data (``np.asarray(value)``, ``np.add.at`` on a
device value, ``isinstance(v, np.ndarray)`` assumptions ...) fails a test run
on this device, so such a bug is caught without a GPU.
"""
from __future__ import annotations

import types

import numpy as np

from .base import Device


def _unwrap(obj):
    if type(obj) is StandinArray:
        return obj._a
    if type(obj) in (tuple, list):
        return type(obj)(_unwrap(o) for o in obj)
    return obj


def _wrap(obj):
    if isinstance(obj, (np.ndarray, np.generic)):
        return StandinArray(obj)
    if type(obj) in (tuple, list):
        return type(obj)(_wrap(o) for o in obj)
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):   # linalg's result namedtuples
        return type(obj)(*(_wrap(o) for o in obj))
    return obj


class _Forward:
    """A NumPy function, ufunc or submodule seen through the stand-in device."""

    __slots__ = ("_target",)

    def __init__(self, target):
        self._target = target

    def __call__(self, *args, **kwargs):
        args = _unwrap(args)
        kwargs = {k: _unwrap(v) for k, v in kwargs.items()}
        return _wrap(self._target(*args, **kwargs))

    def __getattr__(self, name):
        return _forward(getattr(self._target, name))


def _forward(obj):
    if isinstance(obj, type) or not (callable(obj) or isinstance(obj, types.ModuleType)):
        return obj  # dtypes, constants (pi, inf, newaxis) pass as they are
    return _Forward(obj)


class StandinArray:
    """An array of the stand-in device: wraps a NumPy array, but is not one."""

    __slots__ = ("_a",)
    __array_priority__ = 1000

    def __init__(self, a):
        self._a = a

    def __array__(self, dtype=None, copy=None):
        raise TypeError(
            "Implicit conversion of a stand-in device array to a NumPy array is not allowed "
            "(fgrad code must go through the device's namespace)")

    def __getattr__(self, name):
        if name.startswith("__"):
            # no __array_interface__ / __array_struct__ / buffer: NumPy must not see the data
            raise AttributeError(name)
        return _wrap(getattr(self._a, name)) if name in ("shape", "dtype", "ndim", "size", "T",
                                                         "mT", "real", "imag", "itemsize",
                                                         "nbytes", "strides") \
            else _forward(getattr(self._a, name))

    def __getitem__(self, idx):
        return _wrap(self._a[_unwrap(idx)])

    def __setitem__(self, idx, v):
        self._a[_unwrap(idx)] = _unwrap(v)

    def __len__(self):
        return len(self._a)

    def __iter__(self):
        return (_wrap(x) for x in self._a)

    def __bool__(self):
        return bool(self._a)

    def __float__(self):
        return float(self._a)

    def __int__(self):
        return int(self._a)

    def __index__(self):
        return self._a.__index__()

    def __repr__(self):
        return f"StandinArray({self._a!r})"


def _binop(name):
    def op(self, other):
        return _wrap(getattr(self._a, name)(_unwrap(other)))
    op.__name__ = name
    return op


for _name in ("add radd sub rsub mul rmul truediv rtruediv floordiv rfloordiv mod rmod pow rpow "
              "matmul rmatmul and rand or ror xor rxor lshift rlshift rshift rrshift "
              "eq ne lt le gt ge").split():
    setattr(StandinArray, f"__{_name}__", _binop(f"__{_name}__"))
for _name in ("neg", "pos", "abs", "invert"):
    setattr(StandinArray, f"__{_name}__",
            (lambda n: lambda self: _wrap(getattr(self._a, n)()))(f"__{_name}__"))


def _standin_namespace():
    ns = types.ModuleType("fgrad.devices.standin.xp")
    for k, v in vars(np).items():
        if not k.startswith("__"):
            setattr(ns, k, _forward(v))
    ns.ndarray = StandinArray
    ns.fft = _forward(np.fft)       # loaded lazily by NumPy 2, so maybe not in vars(np) yet

    def scatter_add(x, idx, v):
        out = x._a.copy()
        np.add.at(out, _unwrap(idx), _unwrap(v))
        return StandinArray(out)

    def scatter_apply(ufunc_name, x, idx, v):
        out = x._a.copy()
        getattr(np, ufunc_name).at(out, _unwrap(idx), _unwrap(v))
        return StandinArray(out)

    def scatter_set(x, idx, v):
        out = x._a.copy()
        out[_unwrap(idx)] = _unwrap(v)
        return StandinArray(out)

    ns.scatter_add = scatter_add
    ns.scatter_set = scatter_set
    ns.scatter_apply = scatter_apply
    ns.sliding_window_view = _forward(np.lib.stride_tricks.sliding_window_view)
    return ns


class StandinDevice(Device):
    """A device whose arrays are not NumPy arrays; for tests."""

    platform = "standin"
    index = None

    def __init__(self):
        self.xp = _standin_namespace()

    def from_host(self, a):
        return StandinArray(np.array(a))

    def to_host(self, v):
        return np.array(v._a) if type(v) is StandinArray else np.asarray(v)

    def is_native(self, v):
        return type(v) is StandinArray

    def readonly_host_view(self, v):
        raise TypeError(
            "an Array on the stand-in device cannot be converted to a NumPy array implicitly; "
            "move it first with fgrad.device_put(x, 'cpu')")


STANDIN = StandinDevice()
