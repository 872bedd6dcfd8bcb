"""``default_collate`` and ``default_convert``: samples to batches, as PyTorch's.

Tensors are stacked along a new first dimension; NumPy arrays and NumPy scalars
become tensors first; Python floats become a float64 tensor, ints an int64 tensor,
bools a bool tensor; strings and bytes stay a list; dicts, named tuples and
sequences are collated field by field (a tuple of fields becomes a list, as in
PyTorch).

>>> import fgrad
>>> from fgrad.utils.data import default_collate
>>> default_collate([(fgrad.tensor([1.0, 2.0]), 0), (fgrad.tensor([3.0, 4.0]), 1)])
[tensor([[1., 2.],
        [3., 4.]]), tensor([0, 1])]
>>> default_collate([{"x": 1.5}, {"x": 2.5}])
{'x': tensor([1.5000, 2.5000], dtype=fgrad.float64)}
"""
from __future__ import annotations

import collections.abc
from typing import Any

import numpy as np

from ... import _dtypes
from ...facade.creation import as_tensor, tensor
from ...facade.torch_functions import FUNCTIONS
from ...facade.tensor import Tensor

__all__ = ["default_collate", "default_convert"]

_stack = FUNCTIONS["stack"]

COLLATE_ERROR = ("default_collate: batch must contain tensors, numpy arrays, numbers, dicts "
                 "or lists; found {}")


def _numpy_ok(a: np.ndarray) -> bool:
    return a.dtype.kind not in "SaUOV"


def default_collate(batch: list) -> Any:
    """Collate a list of samples into a batch (see the module docstring)."""
    elem = batch[0]
    elem_type = type(elem)
    if isinstance(elem, Tensor):
        return _stack(list(batch), 0)
    if isinstance(elem, np.ndarray):
        if not _numpy_ok(elem):
            raise TypeError(COLLATE_ERROR.format(elem.dtype))
        return _stack([as_tensor(b) for b in batch], 0)
    if isinstance(elem, np.generic) and not isinstance(elem, (np.str_, np.bytes_)):
        return as_tensor(np.asarray(batch))
    if isinstance(elem, bool):
        return tensor(batch)
    if isinstance(elem, int):
        return tensor(batch)
    if isinstance(elem, float):
        return tensor(batch, dtype=_dtypes.float64)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        collated = {key: default_collate([d[key] for d in batch]) for key in elem}
        try:
            return elem_type(collated)
        except TypeError:
            return collated
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):
        return elem_type(*(default_collate(s) for s in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        it = iter(batch)
        size = len(next(it))
        if not all(len(e) == size for e in it):
            raise RuntimeError("each element in list of batch should be of equal size")
        transposed = list(zip(*batch))
        if isinstance(elem, tuple):
            return [default_collate(s) for s in transposed]
        try:
            return elem_type([default_collate(s) for s in transposed])
        except TypeError:
            return [default_collate(s) for s in transposed]
    raise TypeError(COLLATE_ERROR.format(elem_type))


def default_convert(data: Any) -> Any:
    """Convert one sample (``batch_size=None``): NumPy arrays and scalars to tensors,
    containers element by element, anything else unchanged."""
    if isinstance(data, Tensor):
        return data
    if isinstance(data, np.ndarray):
        return as_tensor(data) if _numpy_ok(data) else data
    if isinstance(data, np.generic) and not isinstance(data, (np.str_, np.bytes_)):
        return as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        converted = {k: default_convert(v) for k, v in data.items()}
        try:
            return type(data)(converted)
        except TypeError:
            return converted
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        try:
            return type(data)([default_convert(d) for d in data])
        except TypeError:
            return [default_convert(d) for d in data]
    return data
