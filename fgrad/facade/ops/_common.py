"""Helpers shared by the op families of ``fgrad.facade.ops``: dims and sizes, the device and
host data of an operand, result wrapping, PyTorch's ``return_types`` named tuples.
"""
from __future__ import annotations

import collections
import sys
import types
import numpy as np
from ... import numpy as fnp
from ..._array import Array
from ...primitives import binary as B, reductions as R, shape as S
from ...primitives.creation import from_host
from ...transforms.core import Tracer
from ..promotion import _cast, _is_number
from ...transforms.core import from_output
from ...transforms.wrappers import wrap_like, wrapper_type


def _device(x):
    """The Device holding ``x`` (for constants built next to it)."""
    return from_output(x).device if not isinstance(x, (Array, Tracer)) else x.device


def _rewrap(value, like):
    """A result computed from concrete data, wrapped like ``like`` (a Tensor stays a Tensor)."""
    return wrap_like(value, like)


def _host(x) -> np.ndarray:
    """Concrete data of ``x`` on the host (for data-dependent shapes)."""
    v = from_output(x) if not isinstance(x, (Array, Tracer)) else x
    return np.asarray(v)


def _wrap_dim(dim, ndim: int) -> int:
    """``dim`` in ``[-ndim, ndim)`` as a non-negative axis, with PyTorch's error."""
    lo, hi = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    d = int(dim)
    if not lo <= d <= hi:
        raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], "
                         f"but got {d})")
    return d % ndim if ndim else 0


def _dims(dim, ndim: int):
    """``dim`` (None, int, or sequence) as a tuple of axes; None or () means all."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (int, np.integer)):
        return (_wrap_dim(dim, ndim),)
    dims = tuple(_wrap_dim(d, ndim) for d in dim)
    if len(set(dims)) != len(dims):
        raise RuntimeError(f"dim {dims[0]} appears multiple times in the list of dims")
    return dims if dims else tuple(range(ndim))


def _sizes(args) -> tuple:
    """``f(2, 3)`` and ``f((2, 3))`` alike: the sizes as a tuple of ints."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)) or (
            len(args) == 1 and hasattr(args[0], "__len__") and not _is_number(args[0])):
        args = tuple(args[0])
    return tuple(int(a) for a in args)


def _keep(out, shape, axes, keepdim):
    if keepdim:
        return S.reshape(out, R._kept_shape(tuple(shape), axes))
    return out


def _numel(x) -> int:
    """The number of elements (``x.size`` is a method on tensors, an int on arrays)."""
    return int(np.prod(x.shape, dtype=np.int64))


def _shape_str(shape) -> str:
    return "x".join(str(d) for d in shape)


def _dtype_name(dt) -> str:
    return {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
            "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
            "complex64": "ComplexFloat", "complex128": "ComplexDouble"}.get(np.dtype(dt).name,
                                                                            str(dt))


def _zero_index(x):
    """int64 zeros shaped like ``x``, traced along with it (a Tensor stays a Tensor)."""
    return _cast(x != x, np.int64) * 0


def _pick(x, idx, dim):
    """``x`` at ``idx`` (keepdim-shaped int indices) along ``dim``, dim removed.

    A masked sum (no gather), so the gradient goes to the picked index only,
    values are exact (``select`` never mixes in other entries) and it vmaps.
    """
    n = x.shape[dim]
    iota = from_host(np.arange(n, dtype=np.int64).reshape(
        (n,) + (1,) * (len(x.shape) - dim - 1)), _device(x))
    hit = fnp.equal(iota, idx)
    return R.reduce_sum(B.select_p.bind(hit, x, 0), (dim,))


# ==================================================== return types ======
return_types = types.ModuleType("fgrad.return_types", "Named tuples returned by "
                                "max/min/sort/topk/median/mode/kthvalue (PyTorch's return_types).")


def _return_type(name, fields=("values", "indices")):
    base = collections.namedtuple(name, fields)

    def __repr__(self):
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(fields, self))
        return f"fgrad.return_types.{name}(\n{body})"
    cls = type(name, (base,), {"__slots__": (), "__repr__": __repr__, "__str__": __repr__,
                               "__module__": "fgrad.return_types"})
    cls.__qualname__ = name
    setattr(return_types, name, cls)
    return cls


for _n in ("max", "min", "sort", "topk", "median", "mode", "kthvalue"):
    _return_type(_n)
sys.modules.setdefault("fgrad.return_types", return_types)


def _grid(index, dim):
    """The advanced-index tuple addressing ``x[..., index, ...]`` element-wise along ``dim``
    (``out[i][j] = x[index[i][j]][j]`` for dim 0): aranges elsewhere, broadcast by shape."""
    nd = len(index.shape)
    dev = _device(index)
    out = []
    for a in range(nd):
        if a == dim:
            out.append(index)
        else:
            shape = [1] * nd
            shape[a] = index.shape[a]
            out.append(from_host(np.arange(index.shape[a], dtype=np.int64).reshape(shape), dev))
    return tuple(out)


def public_names(namespace: dict, module: str) -> list:
    """The functions a family file exports: public callables defined in ``module``."""
    return sorted(n for n, v in list(namespace.items())
                  if callable(v) and not n.startswith("_") and not isinstance(v, type)
                  and getattr(v, "__module__", None) == module)


def unwrap_index(idx):
    """An index with its tensors replaced by their values (indices carry no gradient)."""
    wrapper = wrapper_type(type(idx))
    if wrapper is not None:
        return wrapper.unwrap(idx)
    if isinstance(idx, tuple):
        return tuple(unwrap_index(i) for i in idx)
    if isinstance(idx, list) and any(wrapper_type(type(i)) is not None for i in idx):
        return [unwrap_index(i) for i in idx]
    return idx
