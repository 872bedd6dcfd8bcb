"""``fgrad.Array``: an immutable n-d array on a device."""
from __future__ import annotations

import numpy as np

from . import errors
from ._methods import ArrayMethods
from .devices import CPU
from .devices import get


class Array(ArrayMethods):
    """An immutable n-d array on a device (cpu: NumPy, cuda: CuPy).

    Create one with ``fgrad.numpy.asarray``; every operation returns a new
    Array. Writing into it is impossible, including through ``np.asarray``.

    >>> import fgrad.numpy as fnp
    >>> x = fnp.asarray([1.0, 2.0, 3.0])
    >>> (x * 2).sum()
    Array(12.)
    >>> x.at[0].set(5.0)
    Array([5., 2., 3.])
    """

    __slots__ = ("_value", "_device")
    __array_priority__ = 100
    __hash__ = None

    def __init__(self, value, device=None):
        dev = get(device)
        if not dev.is_native(value):
            value = dev.from_host(np.asarray(value))
        self._value = value
        self._device = dev

    # -- attributes --------------------------------------------------------
    @property
    def shape(self) -> tuple:
        return self._value.shape

    @property
    def dtype(self) -> np.dtype:
        return self._value.dtype

    @property
    def ndim(self) -> int:
        return self._value.ndim

    @property
    def size(self) -> int:
        return self._value.size

    @property
    def itemsize(self) -> int:
        return self._value.dtype.itemsize

    @property
    def nbytes(self) -> int:
        return self._value.size * self._value.dtype.itemsize

    @property
    def device(self):
        return self._device

    def devices(self) -> set:
        return {self._device}

    # -- conversion to host and Python -------------------------------------
    def __array__(self, dtype=None, copy=None):
        a = self._device.readonly_host_view(self._value)
        if dtype is not None and np.dtype(dtype) != a.dtype:
            if copy is False:
                raise ValueError("converting an Array to another dtype needs a copy")
            return a.astype(dtype)
        if copy:
            return a.copy()
        return a

    def _host(self) -> np.ndarray:
        return np.asarray(self._device.to_host(self._value))

    def item(self, *args):
        return self._host().item(*args)

    def tolist(self):
        return self._host().tolist()

    def __bool__(self):
        return bool(self._value)

    def __float__(self):
        return float(self._value)

    def __int__(self):
        return int(self._value)

    def __complex__(self):
        return complex(self._value)

    def __index__(self):
        if self.dtype.kind not in "iub":
            raise TypeError(f"only integer scalar arrays can be converted to a scalar index, "
                            f"not {self.dtype}")
        return int(self._value)

    def __len__(self):
        if not self.shape:
            raise TypeError("len() of unsized object")
        return self.shape[0]

    def __iter__(self):
        if not self.shape:
            raise TypeError("iteration over a 0-d array")
        return (self[i] for i in range(self.shape[0]))

    def __setitem__(self, idx, value):
        raise errors.immutable("Array")

    def __format__(self, spec):
        if self.ndim == 0:
            return format(self.item(), spec)
        return format(str(self), spec)

    def __repr__(self):
        body = np.array_repr(self._host())
        body = "Array" + body[len("array"):]
        # re-indent continuation lines for the longer prefix
        body = body.replace("\n      ", "\n      ")
        if self._device is not CPU:
            body = body[:-1] + f", device={self._device.name})"
        return body

    def __str__(self):
        return str(self._host())

    def __reduce__(self):
        return (_rebuild, (self._host(), self._device.name))

    def block_until_ready(self):
        self._device.synchronize()
        return self


def _rebuild(host, device_name):
    return Array(host, device_name)


_new = object.__new__


def wrap_raw(value, device) -> Array:
    """Wrap a backend array the caller owns (no copy, no checks): the hot path."""
    a = _new(Array)
    a._value = value
    a._device = device
    return a
