"""PyTorch's dtype promotion for the facade's ops: ``promote_types``, ``result_type``
(tensors with dimensions outrank 0-d tensors, which outrank Python numbers, unless a lower
rank holds a higher category: bool < integer < floating < complex; a Python float counts as
the default float dtype), and the casts the ops use (``_cast``, ``_promote``, ``_to_float``).
"""
from __future__ import annotations

import builtins
import sys
import numpy as np
from .. import numpy as fnp
from .._array import Array
from ..primitives import unary as U
from ..transforms.core import Tracer

_py_max, _py_min, _py_sum, _py_abs, _py_all, _py_any = (
    builtins.max, builtins.min, builtins.sum, builtins.abs, builtins.all, builtins.any)
_SCALARS = (bool, int, float, complex, np.bool_, np.number)


# ============================================================ helpers ====
def _is_number(x) -> bool:
    return isinstance(x, _SCALARS)


def _np_dtype(d) -> np.dtype:
    """A dtype (NumPy's, or the facade's) as a ``numpy.dtype``."""
    try:
        return np.dtype(d)
    except TypeError:
        for attr in ("numpy_dtype", "np_dtype", "_np"):
            if hasattr(d, attr):
                return np.dtype(getattr(d, attr))
        raise


def _dt(x) -> np.dtype:
    if _is_number(x):
        return np.result_type(x)
    return _np_dtype(x.dtype)


def _default_float() -> np.dtype:
    """The facade's default float dtype (``fgrad.get_default_dtype()``; float32)."""
    get = getattr(sys.modules.get("fgrad"), "get_default_dtype", None)
    return _np_dtype(get()) if get is not None else np.dtype(np.float32)


def _default_complex() -> np.dtype:
    return np.dtype(np.complex128 if _default_float() == np.float64 else np.complex64)


def _category(dt: np.dtype) -> int:
    return {"b": 0, "i": 1, "u": 1, "f": 2, "c": 3}[dt.kind]


def promote_types(a, b) -> np.dtype:
    """PyTorch's ``promote_types``: NumPy's, except that an integer or bool meeting a float
    (or complex) type gives that type (int64 with float32 is float32).

    >>> promote_types('int64', 'float32')
    dtype('float32')
    """
    a, b = np.dtype(a), np.dtype(b)
    ca, cb = _category(a), _category(b)
    if ca != cb and _py_max(ca, cb) >= 2 and _py_min(ca, cb) <= 1:
        return a if ca > cb else b
    return np.promote_types(a, b)


def _combine(higher, lower):
    """PyTorch's ``combine_categories``: a lower-priority group wins only by category."""
    if higher is None:
        return lower
    if lower is None:
        return higher
    if _category(higher) == 3:
        return higher
    if _category(lower) == 3:
        return np.result_type(higher, np.complex64) if _category(higher) == 2 else lower
    if _category(higher) == 2:
        return higher
    if higher == np.bool_ or _category(lower) == 2:
        return promote_types(higher, lower)
    return higher


def result_type(*args) -> np.dtype:
    """The dtype PyTorch gives an op over ``args`` (tensors, arrays and Python numbers).

    Covers bool/int/uint8/float/complex tensors, 0-d tensors and Python
    numbers (weak: ``int`` is int64, ``float`` the default float dtype).

    >>> import fgrad.numpy as fnp
    >>> result_type(fnp.asarray([1, 2]), 1.5)
    dtype('float32')
    >>> result_type(fnp.asarray([1.0], dtype='float32'), fnp.asarray(2.0))
    dtype('float32')
    """
    groups = [None, None, None]          # dimensioned tensors, 0-d tensors, numbers
    for a in args:
        if a is None:
            continue
        if _is_number(a) and not isinstance(a, np.ndarray):
            if isinstance(a, (bool, np.bool_)):
                dt = np.dtype(np.bool_)
            elif isinstance(a, (int, np.integer)):
                dt = np.dtype(np.int64)
            elif isinstance(a, (float, np.floating)):
                dt = _default_float()
            else:
                dt = _default_complex()
            g = 2
        else:
            dt = _dt(a)
            g = 1 if len(a.shape) == 0 else 0
        groups[g] = dt if groups[g] is None else promote_types(groups[g], dt)
    out = _combine(groups[0], _combine(groups[1], groups[2]))
    return np.dtype(np.bool_) if out is None else out


def _arr(x, dtype=None):
    """Array-likes (lists, NumPy data, numbers) as Arrays; tensors and tracers as they are."""
    if isinstance(x, (Array, Tracer)) or not (_is_number(x) or isinstance(x, (list, tuple, np.ndarray))):
        return x if dtype is None else _cast(x, dtype)
    if dtype is None and _is_number(x):
        dtype = result_type(x)
    return fnp.asarray(x, dtype=dtype)


def _cast(x, dt):
    """``x`` as dtype ``dt``; numbers stay weak (NumPy 2 keeps Python numbers from promoting;
    a NumPy scalar is made a Python number, as PyTorch reads it)."""
    if x is None:
        return x
    if _is_number(x):
        return x.item() if isinstance(x, np.generic) else x
    if _dt(x) == dt:
        return x
    return U.convert_p.bind(x, dtype=np.dtype(dt))


def _promote(*args):
    dt = result_type(*args)
    return dt, [_cast(_arr(a) if isinstance(a, (list, tuple, np.ndarray)) else a, dt) for a in args]


def _to_float(x):
    """Integers and bools as the default float dtype (PyTorch's float functions)."""
    x = _arr(x)
    return _cast(x, _default_float()) if _dt(x).kind in "biu" else x
