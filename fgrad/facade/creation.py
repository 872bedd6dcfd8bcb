"""Creation functions of the facade: ``tensor as_tensor from_numpy zeros ones empty full eye
arange linspace logspace`` and their ``_like`` forms, on PyTorch's dtypes and devices.

>>> import fgrad
>>> fgrad.zeros(2, 3).shape
fgrad.Size([2, 3])
>>> fgrad.arange(0, 10, step=3)
tensor([0, 3, 6, 9])
"""
from __future__ import annotations

import math
import numpy as np
from .. import _dtypes
from . import ops as T
from .ops import _common as C
from .._array import Array
from ..devices import CPU, Device, get as get_device
from ..numpy._core import iter_leaves
from .tape import INT_REQUIRES_GRAD
from .tensor_base import TensorBase
from ..transforms.core import Tracer


# ============================================================== conversion ===
def _to_tensors(x):
    """Results as tensors: Arrays wrapped, tuples (and named tuples) mapped."""
    if isinstance(x, TensorBase):
        return x
    if type(x) is Array or isinstance(x, Tracer):
        return TensorBase._wrap(x)
    if isinstance(x, tuple):
        vals = [_to_tensors(v) for v in x]
        return type(x)(*vals) if hasattr(x, "_fields") else tuple(vals)
    if isinstance(x, list):
        return [_to_tensors(v) for v in x]
    if isinstance(x, np.dtype):
        return _dtypes.from_numpy(x)
    return x


def device(type: str | Device, index: int | None = None) -> Device:
    """A device: ``fgrad.device('cpu')``, ``fgrad.device('cuda', 0)``, ``fgrad.device('cuda:1')``.

    >>> import fgrad
    >>> print(fgrad.device('cpu'))
    cpu
    """
    if isinstance(type, Device):
        return type
    if index is not None:
        type = f"{type}:{index}"
    return get_device(type)


_DEFAULT_DEVICE = [CPU]      # torch.set_default_device


def _resolve_device(d) -> Device:
    return _DEFAULT_DEVICE[0] if d is None else device(d) if not isinstance(d, Device) else d


def _infer_dtype(host: np.ndarray, from_python: bool) -> np.dtype:
    """PyTorch's dtype for data: Python floats give the default dtype, ints int64."""
    kind = host.dtype.kind
    if from_python:
        if kind == "f":
            return _dtypes.get_default_dtype().dtype
        if kind == "c":
            return _dtypes.get_default_dtype().to_complex().dtype
        if kind in "iu":
            return np.dtype(np.int64)
    if kind in "USO":
        raise TypeError(f"can't convert data of type {host.dtype} to a tensor")
    return host.dtype


def _host_data(data):
    """``data`` (nested lists of numbers or 0-d tensors, NumPy data) as a host array, and
    whether it came from Python numbers."""
    if isinstance(data, np.ndarray) or isinstance(data, np.generic):
        return np.array(data, copy=True), False
    if isinstance(data, (list, tuple)):
        flat = list(iter_leaves(data))
        if any(isinstance(v, TensorBase) for v in flat):
            arr = np.array(_map_nested(data, lambda v: v.item() if isinstance(v, TensorBase) else v))
            dts = [v._data.dtype for v in flat if isinstance(v, TensorBase)]
            return arr.astype(np.result_type(*dts)) if arr.dtype.kind == "f" or dts else arr, \
                not dts
        if any(isinstance(v, (np.ndarray, np.generic)) for v in flat):
            return np.array(data), False
    if isinstance(data, (list, tuple)):
        for v in iter_leaves(data):
            if not isinstance(v, (bool, int, float, complex)):
                _not_a_number(v, nested=True)
    if isinstance(data, (bool, int, float, complex, list, tuple)):
        try:
            return np.array(data), True
        except ValueError:
            raise _ragged(data) from None
    _not_a_number(data)


def _not_a_number(v, nested: bool = False):
    """PyTorch's error for data that is not a number."""
    if isinstance(v, str):
        if nested:
            raise ValueError(f"too many dimensions '{type(v).__name__}'")
        raise TypeError(f"new(): invalid data type '{type(v).__name__}'")
    raise RuntimeError(f"Could not infer dtype of {type(v).__name__}")


def _ragged(data) -> Exception:
    """PyTorch's error for nested sequences that are not a grid: the shape is read along
    the first elements, then every sequence is checked against it."""
    shape, x = [], data
    while isinstance(x, (list, tuple)):
        shape.append(len(x))
        x = x[0] if x else None

    floating = any(isinstance(v, (float, complex)) for v in iter_leaves(data))

    def check(x, dim):
        if dim == len(shape):
            if not isinstance(x, (list, tuple)):
                return None
            return TypeError(f"must be real number, not {type(x).__name__}" if floating else
                             f"'{type(x).__name__}' object cannot be interpreted as an integer")
        if not isinstance(x, (list, tuple)):
            return TypeError("not a sequence")
        if len(x) != shape[dim]:
            return ValueError(f"expected sequence of length {shape[dim]} at dim {dim} "
                              f"(got {len(x)})")
        return next((e for e in (check(v, dim + 1) for v in x) if e is not None), None)
    return check(data, 0) or ValueError("expected sequence of equal length lists")


def _map_nested(obj, fn):
    if isinstance(obj, (list, tuple)):
        return [_map_nested(o, fn) for o in obj]
    return fn(obj)


def _new_tensor(host: np.ndarray, dev: Device, requires_grad: bool) -> TensorBase:
    if requires_grad and host.dtype.kind not in "fc":
        raise RuntimeError(INT_REQUIRES_GRAD)
    t = TensorBase._wrap(dev.from_host(host) if dev is not CPU else host, dev)
    t._requires_grad = bool(requires_grad)
    return t


def tensor(data, dtype=None, device=None, requires_grad: bool = False,
           pin_memory: bool = False) -> TensorBase:
    """A new tensor holding a copy of ``data`` (numbers, nested lists, NumPy arrays, tensors).

    Python floats give the default dtype (float32), Python ints int64, as in PyTorch.

    >>> import fgrad
    >>> fgrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    tensor([1., 2., 3.], requires_grad=True)
    >>> fgrad.tensor(10, requires_grad=True)
    Traceback (most recent call last):
    RuntimeError: Only Tensors of floating point and complex dtype can require gradients
    """
    if isinstance(data, TensorBase):
        src = data.detach()
        dev = _resolve_device(device) if device is not None else src._device
        out = src.to(dev)
        host_dt = _dtypes.to_numpy(dtype) if dtype is not None else out._data.dtype
        out = TensorBase._wrap(out._device.xp.array(out._data, dtype=host_dt, copy=True),
                           out._device)
        return out.requires_grad_(requires_grad) if requires_grad else out
    if isinstance(data, (Array, Tracer)):
        data = np.asarray(data)
    host, from_python = _host_data(data)
    dt = _dtypes.to_numpy(dtype) if dtype is not None else _infer_dtype(host, from_python)
    if host.dtype != dt:
        host = host.astype(dt)
    host = host if host.flags.c_contiguous else host.copy()
    return _new_tensor(host, _resolve_device(device), requires_grad)


def as_tensor(data, dtype=None, device=None) -> TensorBase:
    """``data`` as a tensor, sharing memory with a NumPy array or tensor when no conversion
    is needed.

    >>> import numpy as np, fgrad
    >>> a = np.array([1.0, 2.0]); t = fgrad.as_tensor(a); a[0] = 5.0; t
    tensor([5., 2.], dtype=fgrad.float64)
    """
    dev = _resolve_device(device) if device is not None else None
    if isinstance(data, TensorBase):
        out = data
        if dtype is not None:
            out = out.to(dtype)
        return out.to(dev) if dev is not None else out
    if isinstance(data, np.ndarray) and (dev is None or dev is CPU) and (
            dtype is None or _dtypes.to_numpy(dtype) == data.dtype):
        return from_numpy(data)
    return tensor(data, dtype=dtype, device=device)


asarray = as_tensor


def from_numpy(ndarray: np.ndarray) -> TensorBase:
    """A cpu tensor sharing memory with ``ndarray`` (changes to one show in the other).

    >>> import numpy as np, fgrad
    >>> a = np.ones(3); t = fgrad.from_numpy(a); a[0] = 100; t
    tensor([100.,   1.,   1.], dtype=fgrad.float64)
    """
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    _dtypes.from_numpy(ndarray.dtype)
    return TensorBase._wrap(ndarray, CPU)


def _float_dtype(dtype):
    return _dtypes.to_numpy(dtype) if dtype is not None else _dtypes.get_default_dtype().dtype


def _filled(size, fill, dtype, device, requires_grad):
    dev = _resolve_device(device)
    shape = C._sizes(size)
    if any(d < 0 for d in shape):
        raise RuntimeError(f"Trying to create tensor with negative dimension "
                           f"{min(shape)}: {list(shape)}")
    host = np.full(shape, fill, dtype=dtype)
    return _new_tensor(host, dev, requires_grad)


def zeros(*size, dtype=None, device=None, requires_grad: bool = False, out=None) -> TensorBase:
    """A tensor of zeros (default dtype float32).

    >>> import fgrad
    >>> fgrad.zeros(2)
    tensor([0., 0.])
    """
    return _filled(size, 0, _float_dtype(dtype), device, requires_grad)


def ones(*size, dtype=None, device=None, requires_grad: bool = False, out=None) -> TensorBase:
    """A tensor of ones (default dtype float32).

    >>> import fgrad
    >>> fgrad.ones(2, dtype=fgrad.int64)
    tensor([1, 1])
    """
    return _filled(size, 1, _float_dtype(dtype), device, requires_grad)


def empty(*size, dtype=None, device=None, requires_grad: bool = False, out=None) -> TensorBase:
    """An uninitialised tensor (fgrad fills it with zeros).

    >>> import fgrad
    >>> fgrad.empty(2, 3).shape
    fgrad.Size([2, 3])
    """
    return _filled(size, 0, _float_dtype(dtype), device, requires_grad)


def full(size, fill_value, *, dtype=None, device=None, requires_grad: bool = False) -> TensorBase:
    """A tensor filled with ``fill_value`` (its dtype from the value, as PyTorch).

    >>> import fgrad
    >>> fgrad.full((2,), 7)
    tensor([7, 7])
    """
    if isinstance(fill_value, TensorBase):
        fill_value = fill_value.item()
    dt = _dtypes.to_numpy(dtype) if dtype is not None else T.result_type(fill_value)
    return _filled(size, fill_value, dt, device, requires_grad)


def _like(fn, input, dtype, device, requires_grad, *args):
    dt = dtype if dtype is not None else input.dtype
    dev = device if device is not None else input.device
    return fn(*args, tuple(input.shape), dtype=dt, device=dev, requires_grad=requires_grad)


def zeros_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    """Zeros shaped like ``input`` (same dtype and device unless given)."""
    return _like(lambda s, **k: zeros(s, **k), input, dtype, device, requires_grad)


def ones_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    """Ones shaped like ``input`` (same dtype and device unless given).

    >>> import fgrad
    >>> fgrad.ones_like(fgrad.tensor([1, 2]))
    tensor([1, 1])
    """
    return _like(lambda s, **k: ones(s, **k), input, dtype, device, requires_grad)


def empty_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    """An uninitialised (zero) tensor shaped like ``input``."""
    return _like(lambda s, **k: empty(s, **k), input, dtype, device, requires_grad)


def full_like(input, fill_value, *, dtype=None, device=None, requires_grad=False,
              memory_format=None):
    """``fill_value`` everywhere, shaped like ``input``."""
    dt = dtype if dtype is not None else input.dtype
    return full(tuple(input.shape), fill_value, dtype=dt,
                device=device if device is not None else input.device,
                requires_grad=requires_grad)


def eye(n: int, m: int | None = None, *, dtype=None, device=None,
        requires_grad: bool = False) -> TensorBase:
    """The identity matrix (``n x m``).

    >>> import fgrad
    >>> fgrad.eye(2)
    tensor([[1., 0.],
            [0., 1.]])
    """
    host = np.eye(n, m if m is not None else n, dtype=_float_dtype(dtype))
    return _new_tensor(host, _resolve_device(device), requires_grad)


def _number(x):
    return x.item() if isinstance(x, TensorBase) else x


def arange(start=0, end=None, step=1, *, dtype=None, device=None,
           requires_grad: bool = False) -> TensorBase:
    """``[start, end)`` in steps of ``step``: int64 for integers, else the default dtype.

    >>> import fgrad
    >>> fgrad.arange(5)
    tensor([0, 1, 2, 3, 4])
    >>> fgrad.arange(0, 1, 0.25)
    tensor([0.0000, 0.2500, 0.5000, 0.7500])
    """
    start, end, step = _number(start), _number(end), _number(step)
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    if dtype is not None:
        dt = _dtypes.to_numpy(dtype)
    elif all(isinstance(v, (int, np.integer)) for v in (start, end, step)):
        dt = np.dtype(np.int64)
    else:
        dt = _dtypes.get_default_dtype().dtype
    n = max(int(math.ceil((end - start) / step)), 0)
    host = (start + step * np.arange(n, dtype=np.float64)).astype(dt) if dt.kind in "fc" \
        else np.arange(start, end, step, dtype=dt)
    return _new_tensor(host, _resolve_device(device), requires_grad)


def linspace(start, end, steps: int, *, dtype=None, device=None,
             requires_grad: bool = False) -> TensorBase:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive.

    >>> import fgrad
    >>> fgrad.linspace(0, 1, 5)
    tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
    """
    host = np.linspace(_number(start), _number(end), int(steps)).astype(_float_dtype(dtype))
    return _new_tensor(host, _resolve_device(device), requires_grad)


def logspace(start, end, steps: int, base: float = 10.0, *, dtype=None, device=None,
             requires_grad: bool = False) -> TensorBase:
    """``base ** linspace(start, end, steps)``."""
    host = np.logspace(_number(start), _number(end), int(steps), base=base).astype(
        _float_dtype(dtype))
    return _new_tensor(host, _resolve_device(device), requires_grad)
