"""How an ``ops`` function becomes a ``torch``-named function returning ``Tensor``s (``out=``,
PyTorch's grad_fn names for composites; the functions themselves are in ``torch_functions``),
and the few functions defined here (``result_type``, ``softmax`` ...).

>>> import fgrad
>>> fgrad.sin(fgrad.tensor([0.0]))
tensor([0.])
"""
from __future__ import annotations

from .. import _dtypes
from . import grad_mode as _grad_mode
from . import ops as T, promotion as P
from .._array import Array
from .tape import graph_mark
from .tensor_base import TensorBase, name_node
from ..transforms.core import Tracer
from .creation import _to_tensors
from ..scipy import special


# ============================================================ torch functions ===
def _grad_fn_key(name, args, kwargs):
    dim_given = len(args) > 1 and name in ("mean", "max", "min", "median", "sum", "squeeze") \
        or "dim" in kwargs
    key = f"{name}_dim" if dim_given and f"{name}_dim" in T.GRAD_FN_NAMES else name
    return T.GRAD_FN_NAMES.get(key)


def _wrap_function(name, fn):
    """``fn`` (from ``ops``) returning tensors, with ``out=`` and PyTorch's grad_fn
    names for composites."""
    named = any(k == name or k.startswith(name + "_") for k in T.GRAD_FN_NAMES)

    def f(*args, out=None, **kwargs):
        if out is None and not _gives_tensors(args, kwargs):
            return fn(*args, **kwargs)       # Arrays in, Arrays out (the functional face)
        since = graph_mark() if named and _grad_mode._state.enabled else None
        result = _to_tensors(fn(*args, **kwargs))
        if since is not None:
            gname = _grad_fn_key(name, args, kwargs)
            if gname is not None:
                first = result[0] if isinstance(result, tuple) and result else result
                name_node(first, gname, since)
        if out is not None:
            return _write_out(out, result)
        return result
    f.__name__ = f.__qualname__ = name
    f.__doc__ = _summary(fn)
    return f


def name_scalar_overload(out, prim, first, second, names: tuple) -> object:
    """``out``'s node shown as PyTorch's overload of a binary op for its operand kinds:
    ``names`` is (number first, number second, two tensors), each a node name or None to
    keep it. A Python-number operand is a Scalar there, with no edge in ``next_functions``
    (``b ** 2`` is ``PowBackward0`` with one edge, ``2 ** b`` is ``PowBackward2``)."""
    node = out._node if isinstance(out, TensorBase) else None
    if node is None or node.prim is not prim or any(
            isinstance(a, TensorBase) and a._node is node for a in (first, second)):
        return out
    for position, operand in enumerate((first, second)):
        t = type(operand)
        if t is float or t is int or t is bool:
            node._number_input = position
            name = names[position]
            break
    else:
        name = names[2]
    if name is not None:
        node._name = name
    return out


def _gives_tensors(args, kwargs) -> bool:
    """Whether a function called on these arguments returns Tensors: when one is a Tensor
    (also inside a list, as ``cat`` takes), or when none is an Array or a tracer (numbers,
    NumPy data). Given only Arrays, a top-level function returns Arrays."""
    arrays = False
    for a in (*args, *kwargs.values()) if kwargs else args:
        if isinstance(a, TensorBase):
            return True
        t = type(a)
        if t is Array or isinstance(a, Tracer):
            arrays = True
        elif t is list or t is tuple:
            for b in a:
                if isinstance(b, TensorBase):
                    return True
                arrays = arrays or type(b) is Array or isinstance(b, Tracer)
    return not arrays


def _summary(fn) -> str:
    """The first paragraph of ``fn``'s docstring (its examples run on Arrays, in
    ``fgrad.facade.ops``), for the tensor-returning wrapper."""
    first = (fn.__doc__ or "").split("\n\n")[0].strip()
    return f"{first}\n\nOn tensors, returning tensors (see ``fgrad.facade.ops.{fn.__name__}``)."


def _write_out(out, result):
    if isinstance(out, (tuple, list)):
        for o, r in zip(out, result):
            _write_out(o, r)
        return out
    if tuple(out.shape) != tuple(result.shape):
        out._data = result._data.copy() if hasattr(result._data, "copy") else result._data
        out._vc[0] += 1
        return out
    return out.copy_(result)


def result_type(tensor1, tensor2) -> _dtypes.dtype:
    """The dtype of an op over two tensors or numbers (PyTorch's promotion)."""
    return _dtypes.from_numpy(T.result_type(tensor1, tensor2))


def promote_types(type1, type2) -> _dtypes.dtype:
    """PyTorch's ``promote_types`` of two dtypes."""
    return _dtypes.from_numpy(T.promote_types(_dtypes.to_numpy(type1), _dtypes.to_numpy(type2)))


def is_tensor(obj) -> bool:
    return isinstance(obj, TensorBase)


def numel(input) -> int:
    return input.numel()


def clone(input) -> TensorBase:
    return input.clone()


def _float_along(fn, name, input, dim, dtype):
    """``fn(x, dim)`` of ``input`` as floats (``dtype`` if given), its node named ``name``."""
    x = input.to(dtype) if dtype is not None else P._to_float(input)
    since = graph_mark()
    return name_node(_to_tensors(fn(x, dim)), name, since)


def softmax(input, dim: int, dtype=None) -> TensorBase:
    """``exp(x) / sum(exp(x))`` along ``dim``, computed stably (``SoftmaxBackward0``)."""
    return _float_along(special.softmax, "SoftmaxBackward0", input, dim, dtype)


def log_softmax(input, dim: int, dtype=None) -> TensorBase:
    """``x - logsumexp(x)`` along ``dim`` (``LogSoftmaxBackward0``)."""
    return _float_along(special.log_softmax, "LogSoftmaxBackward0", input, dim, dtype)
