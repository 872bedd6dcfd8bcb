"""``fgrad.Size`` and the shape and device checks of the facade, with PyTorch's messages."""
from __future__ import annotations

import numpy as np
from .ops import _common as C
from .._array import Array


class Size(tuple):
    """The shape of a tensor: a tuple printed as ``fgrad.Size([2, 3])``.

    >>> Size([2, 3])
    fgrad.Size([2, 3])
    >>> Size([2, 3]).numel()
    6
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"fgrad.Size({list(self)})"

    __str__ = __repr__

    def numel(self) -> int:
        n = 1
        for d in self:
            n *= d
        return n

    def __getitem__(self, i):
        out = tuple.__getitem__(self, i)
        return Size(out) if isinstance(i, slice) else out


def _type_name(t) -> str:
    """PyTorch's legacy type name, as in error messages: ``fgrad.FloatTensor``."""
    return f"fgrad.{C._dtype_name(t._np_dtype)}Tensor"


def _c_type(t) -> str:
    """The C name of a tensor's dtype, as some PyTorch messages use it: ``float``, ``double``."""
    return {"f2": "c10::Half", "f4": "float", "f8": "double", "i1": "signed char",
            "i2": "short", "i4": "int", "i8": "long", "u1": "unsigned char",
            "b1": "bool"}.get(t._np_dtype.str[1:], t._np_dtype.name)


def _device_mismatch(a, b) -> str:
    return (f"Expected all tensors to be on the same device, but found at least two devices, "
            f"{a} and {b}!")


def _broadcast_error(shapes) -> str:
    """PyTorch's message for shapes that do not broadcast (the rightmost clash of the first
    pair that clashes)."""
    a = tuple(shapes[0])
    for b in shapes[1:]:
        b = tuple(b)
        n = max(len(a), len(b))
        for i in range(n - 1, -1, -1):
            da = a[i - n + len(a)] if i - n + len(a) >= 0 else 1
            db = b[i - n + len(b)] if i - n + len(b) >= 0 else 1
            if da != db and da != 1 and db != 1:
                return (f"The size of tensor a ({da}) must match the size of tensor b ({db}) "
                        f"at non-singleton dimension {i}")
        a = np.broadcast_shapes(a, b)
    return f"shapes {[list(s) for s in shapes]} cannot be broadcast together"


def broadcasts_to(shape, target) -> bool:
    """Whether ``shape`` broadcasts to exactly ``target`` (False where it does not broadcast)."""
    if shape == target:
        return True
    if len(shape) > len(target):
        return False
    return all(a == 1 or a == b for a, b in zip(shape[::-1], target[::-1]))


def _broadcastable(a, b) -> bool:
    try:
        np.broadcast_shapes(a, b)
        return True
    except ValueError:
        return False


_COPY_SLICES = "fgrad::autograd::CopySlices"     # PyTorch's node of a write through a view

# PyTorch's names for the nodes of views made by these functions
_VIEW_NAMES = {"reshape": "ViewBackward0", "_select": "SelectBackward0"}


def _index_node_name(idx, shape) -> str:
    """The grad_fn PyTorch gives ``x[idx]``: named after the last indexing step that does
    something (``SelectBackward0`` for an int, ``SliceBackward0``, ``UnsqueezeBackward0``
    for ``None``, ``IndexBackward0`` for advanced indexing, else ``AliasBackward0``)."""
    if isinstance(idx, slice):
        return "SliceBackward0"
    idx = idx if isinstance(idx, tuple) else (idx,)
    consumed = sum(1 for i in idx if i is not None and i is not Ellipsis)
    name, dim = "AliasBackward0", 0
    for i in idx:
        if i is Ellipsis:
            dim += len(shape) - consumed
        elif i is None:
            name = "UnsqueezeBackward0"
        elif isinstance(i, slice):
            if dim < len(shape) and i.indices(shape[dim]) != (0, shape[dim], 1):
                name = "SliceBackward0"
            dim += 1
        elif isinstance(i, (bool, np.bool_)) or getattr(i, "ndim", 0) != 0 or \
                np.dtype(getattr(i, "dtype", type(i))).kind not in "iu":
            return "IndexBackward0"
        else:
            name = "SelectBackward0"
            dim += 1
    return name


def _host_index(idx, device):
    """An index for a direct write into the backend buffer."""
    def one(i):
        if isinstance(i, Array):
            return i._value if i._device is device else device.from_host(i._host())
        return i
    return tuple(one(i) for i in idx) if isinstance(idx, tuple) else one(idx)
