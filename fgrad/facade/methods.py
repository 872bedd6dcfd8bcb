"""The ``Tensor`` methods made from the torch-named functions (``x.sum(dim=1)`` is
``fgrad.sum(x, dim=1)``), their in-place forms (``x.add_(y)``), views and the Python
operators, with the fast paths of the eager hot loop (``x * 2``, ``p.add_(g)``); installed on
``Tensor`` when this module is imported.

>>> import fgrad
>>> fgrad.tensor([[1.0, 2.0], [3.0, 4.0]]).sum(dim=1)
tensor([3., 7.])
"""
from __future__ import annotations

import numpy as np
from . import ops as T
from .size import broadcasts_to
from .tensor import Tensor, _record
from .functions import _summary, _wrap_function
from .torch_functions import FUNCTIONS
from ..primitives import binary as B


# ============================================================ Tensor methods ===
# in-place variants ``x.add_(y)`` of these functions
INPLACE = ("add sub mul div pow clamp clip exp log log2 log10 log1p expm1 sqrt rsqrt abs neg "
           "sin cos tan tanh sinh cosh asin acos atan sigmoid relu floor ceil round trunc frac "
           "reciprocal square fmod remainder lerp addcmul addcdiv masked_fill scatter "
           "scatter_add atan2 sign true_divide floor_divide tril triu cumsum cumprod "
           "logical_not logical_and logical_or logical_xor bitwise_and bitwise_or bitwise_xor "
           "bitwise_not maximum minimum multiply divide subtract negative addmm addbmm addmv "
           "addr baddbmm arctan2 index_select fix").split()
# functions whose result shares the input's memory (views)
VIEW_METHODS = ("reshape", "view", "t", "transpose", "permute", "squeeze", "unsqueeze",
                "flatten", "unflatten", "narrow", "expand", "expand_as", "diagonal", "unbind",
                "split", "chunk", "movedim", "moveaxis", "swapaxes", "swapdims", "select",
                "reshape_as", "view_as", "ravel", "tensor_split")


def _method(name):
    fn = FUNCTIONS.get(name) or _wrap_function(name, getattr(T, name))
    view = name in VIEW_METHODS

    def method(self, *args, **kwargs):
        if view:
            return self._make_view(lambda s, *a: fn(s, *a, **kwargs), *args)
        return fn(self, *args, **kwargs)
    method.__name__ = method.__qualname__ = name
    method.__doc__ = _summary(getattr(T, name))
    return method


def _inplace_method(name):
    fn = FUNCTIONS.get(name) or getattr(T, name)

    def method(self, *args, **kwargs):
        others = [a for a in args if isinstance(a, Tensor)] + \
                 [v for v in kwargs.values() if isinstance(v, Tensor)]
        return self._inplace(lambda s: fn(s, *args, **kwargs), *others)
    method.__name__ = method.__qualname__ = name + "_"
    method.__doc__ = f"In-place ``{name}``: ``self = {name}(self, ...)``; returns ``self``."
    return method


_UFUNCS = {"add": "add", "sub": "subtract", "mul": "multiply", "div": "divide"}


def _fast_inplace(name, slow):
    """``add_ sub_ mul_ div_`` when nothing is recorded, on a writable NumPy buffer, with a
    Python number or a tensor of the same dtype: one NumPy call with ``out=``, as the
    hand-written loop does. Everything else takes ``slow``."""
    ufunc = getattr(np, _UFUNCS[name])

    def method(self, other, **kwargs):
        d = self._data
        if not kwargs and type(d) is np.ndarray and d.dtype.kind == "f" and \
                not self._will_record(other) and d.flags.writeable:
            t = type(other)
            o = other._data if t is Tensor and other._data.dtype is d.dtype else \
                other if t is float or t is int else None
            if o is not None and (t is not Tensor or type(o) is np.ndarray and
                                  broadcasts_to(o.shape, d.shape)):
                self._check_inplace()
                ufunc(d, o, out=d)
                self._vc[0] += 1
                return self
        return slow(self, other, **kwargs)
    method.__name__ = method.__qualname__ = name + "_"
    method.__doc__ = slow.__doc__
    return method


def _select(input, dim, index):
    return T.squeeze(T.narrow(input, dim, index if index >= 0 else index + input.shape[dim], 1),
                     dim)


def _binary_op(fn, reflected=False):
    if reflected:
        def op(self, other):
            return fn(other, self)
    else:
        def op(self, other):
            return fn(self, other)
    return op


def _fast_binary(prim, fn, reflected=False):
    """An arithmetic operator: a float tensor with a Python number or a tensor of the same
    dtype and device binds ``prim`` at once (PyTorch's promotion is then the identity);
    anything else goes through ``fn`` (full promotion and checks)."""
    # ``2 * b`` is ``b * 2`` (PyTorch's operand order, seen in ``grad_fn.next_functions``)
    swap = reflected and prim.name not in ("add", "mul")

    def op(self, other):
        t = type(other)
        dt = self._data.dtype
        if dt.kind == "f" and (t is float or t is int or (
                t is Tensor and other._data.dtype is dt and other._device is self._device)):
            return _record(prim, (other, self) if swap else (self, other), {})
        return fn(other, self) if swap else fn(self, other)
    return op


def _install_methods():
    for name in T.METHODS:
        if name in Tensor.__dict__:
            continue
        setattr(Tensor, name, _method(name))
    setattr(Tensor, "select", lambda self, dim, index: self._make_view(_select, dim, index))
    for name in INPLACE:
        if hasattr(T, name) and name + "_" not in Tensor.__dict__:
            method = _inplace_method(name)
            setattr(Tensor, name + "_", _fast_inplace(name, method) if name in _UFUNCS
                    else method)
    F = FUNCTIONS
    ops = {"add": F["add"], "sub": F["sub"], "mul": F["mul"], "truediv": F["div"],
           "floordiv": F["floor_divide"], "mod": F["remainder"], "pow": F["pow"],
           "matmul": F["matmul"], "and": F["bitwise_and"], "or": F["bitwise_or"],
           "xor": F["bitwise_xor"]}
    fast = {"add": B.add_p, "sub": B.sub_p, "mul": B.mul_p, "truediv": B.div_p, "pow": B.pow_p}
    for op, fn in ops.items():
        if op in fast:
            setattr(Tensor, f"__{op}__", _fast_binary(fast[op], fn))
            setattr(Tensor, f"__r{op}__", _fast_binary(fast[op], fn, reflected=True))
        else:
            setattr(Tensor, f"__{op}__", _binary_op(fn))
            setattr(Tensor, f"__r{op}__", _binary_op(fn, reflected=True))
        inplace = {"truediv": "div", "floordiv": "floor_divide", "mod": "remainder",
                   "and": "bitwise_and", "or": "bitwise_or", "xor": "bitwise_xor"}.get(op, op)
        if op != "matmul":
            setattr(Tensor, f"__i{op}__", getattr(Tensor, inplace + "_"))
    for op, name in (("eq", "eq"), ("ne", "ne"), ("lt", "lt"), ("le", "le"), ("gt", "gt"),
                     ("ge", "ge")):
        setattr(Tensor, f"__{op}__", _binary_op(F[name]))
    Tensor.__neg__ = lambda self: F["neg"](self)
    Tensor.__pos__ = lambda self: self
    Tensor.__abs__ = lambda self: F["abs"](self)
    Tensor.__invert__ = lambda self: F["bitwise_not"](self)
    Tensor.__hash__ = lambda self: id(self)


_install_methods()

