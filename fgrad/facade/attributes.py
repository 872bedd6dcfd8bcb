"""The read-only attributes of ``Tensor`` (shape, dtype, device, sizes and strides), a mixin
of the class in ``fgrad.facade.tensor``.

>>> import fgrad
>>> x = fgrad.zeros(2, 3)
>>> x.shape, x.dtype, x.stride()
(fgrad.Size([2, 3]), fgrad.float32, (3, 1))
"""
from __future__ import annotations

import numpy as np

from .. import _dtypes
from .ops import _common as C
from .size import Size


class TensorAttributes:
    """Shape, dtype and device of a tensor's buffer ``self._data`` on ``self._device``."""

    __slots__ = ()

    @property
    def _np_dtype(self) -> np.dtype:
        return self._data.dtype

    @property
    def dtype(self):
        return _dtypes.from_numpy(self._data.dtype)

    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim: int | None = None):
        """The shape (``fgrad.Size``), or its length along ``dim``."""
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[C._wrap_dim(dim, self.ndim)]

    @property
    def ndim(self) -> int:
        return len(self._data.shape)

    def dim(self) -> int:
        return len(self._data.shape)

    ndimension = dim

    def numel(self) -> int:
        n = 1
        for d in self._data.shape:
            n *= d
        return n

    nelement = numel

    @property
    def device(self):
        return self._device

    @property
    def is_cuda(self) -> bool:
        return self._device.platform == "cuda"

    def element_size(self) -> int:
        return self._data.dtype.itemsize

    @property
    def itemsize(self) -> int:
        return self._data.dtype.itemsize

    @property
    def nbytes(self) -> int:
        return self.numel() * self._data.dtype.itemsize

    def is_floating_point(self) -> bool:
        return self._data.dtype.kind == "f"

    def is_complex(self) -> bool:
        return self._data.dtype.kind == "c"

    def is_contiguous(self) -> bool:
        flags = getattr(self._data, "flags", None)
        return bool(flags.c_contiguous) if flags is not None else True

    def stride(self, dim: int | None = None):
        """Strides in elements (as PyTorch counts them)."""
        st = tuple(s // self._data.dtype.itemsize for s in self._data.strides)
        return st if dim is None else st[C._wrap_dim(dim, self.ndim)]

    def data_ptr(self) -> int:
        d = self._data
        if hasattr(d, "__array_interface__"):
            return d.__array_interface__["data"][0]
        return d.data.ptr

    def _version_get(self) -> int:
        return self._vc[0]

    _version = property(_version_get)
