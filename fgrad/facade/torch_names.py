"""PyTorch names the facade's tutorials reach for, built on the facade: the default
device, ``torch.unique``, the legacy typed constructors (``torch.FloatTensor`` ...), the
in-place function forms (``torch.sin_``) and the in-place shape methods
(``unsqueeze_ squeeze_ t_ transpose_ resize_``).

>>> import fgrad as torch
>>> torch.unique(torch.tensor([3, 1, 3, 2]), return_counts=True)
(tensor([1, 2, 3]), tensor([1, 1, 2]))
>>> torch.FloatTensor([1, 2])
tensor([1., 2.])
"""
from __future__ import annotations

import numpy as np

from .. import _dtypes
from . import creation as _facade
from .._array import Array
from ..devices import CPU, Device
from ..primitives.creation import from_host
from .tensor_base import Size, TensorBase

__all__ = ["set_default_device", "get_default_device", "unique", "FloatTensor",
           "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor", "CharTensor",
           "ByteTensor", "BoolTensor"]


# ========================================================== default device ===
def set_default_device(device) -> None:
    """The device factory functions (``zeros``, ``tensor``, ``rand`` ...) use when given
    none; ``None`` restores ``cpu``.

    >>> import fgrad as torch
    >>> torch.set_default_device("cpu"); torch.get_default_device()
    device(type='cpu')
    """
    _facade._DEFAULT_DEVICE[0] = CPU if device is None else _facade.device(device)


def get_default_device() -> Device:
    """The device factory functions use when given none (``cpu`` unless set)."""
    return _facade._DEFAULT_DEVICE[0]


# ================================================================== unique ===
def unique(input, sorted: bool = True, return_inverse: bool = False,
           return_counts: bool = False, dim: int | None = None):
    """The distinct values of ``input`` (distinct slices along ``dim``), sorted, and
    optionally the inverse indices (``input == out[inverse]``) and the counts.

    Concrete values only (the output shape depends on them); the values carry no
    gradient (PyTorch's ``unique`` has none either). ``sorted=False`` also sorts, as
    PyTorch does on the CPU. An Array in gives Arrays out.

    >>> import fgrad as torch
    >>> torch.unique(torch.tensor([[1, 2], [1, 2], [0, 5]]), dim=0, return_inverse=True)
    (tensor([[0, 5],
            [1, 2]]), tensor([1, 1, 0]))
    """
    is_tensor = isinstance(input, TensorBase)
    if not is_tensor and not isinstance(input, Array):
        raise TypeError(f"unique(): argument 'input' must be Tensor, not {type(input).__name__}")
    host = input._host()
    device = input._device if is_tensor else input.device
    if dim is None:
        values, inverse, counts = np.unique(host.reshape(-1), return_inverse=True,
                                            return_counts=True)
        inverse = inverse.reshape(host.shape)
    else:
        if not -host.ndim <= dim < max(host.ndim, 1):
            raise IndexError(f"Dimension out of range (expected to be in range of "
                             f"[{-host.ndim}, {host.ndim - 1}], but got {dim})")
        values, inverse, counts = np.unique(host, axis=dim, return_inverse=True,
                                            return_counts=True)
        inverse = inverse.reshape(-1)
    outs = [values.astype(host.dtype, copy=False)]
    if return_inverse:
        outs.append(inverse.astype(np.int64))
    if return_counts:
        outs.append(counts.astype(np.int64))
    wrap = (lambda h: TensorBase._wrap(from_host(np.ascontiguousarray(h), device))) if is_tensor \
        else (lambda h: from_host(np.ascontiguousarray(h), device))
    outs = [wrap(o) for o in outs]
    return outs[0] if len(outs) == 1 else tuple(outs)


# ===================================================== legacy constructors ===
class _LegacyType(type):
    """``torch.FloatTensor`` and friends: called with data (a sequence, array or tensor)
    they copy it in their dtype; with sizes they make a tensor of that shape (zeros:
    PyTorch leaves it uninitialised); ``isinstance(t, torch.FloatTensor)`` tests the
    dtype of a cpu tensor."""

    def __instancecheck__(cls, obj):
        return isinstance(obj, TensorBase) and obj.dtype == cls.dtype and obj.device is CPU

    def __call__(cls, *args, device=None):
        if len(args) == 1 and not isinstance(args[0], (int, np.integer, Size)):
            data = args[0]
            if not isinstance(data, (list, tuple, np.ndarray, TensorBase, Array)):
                raise TypeError(f"new(): data must be a sequence (got {type(data).__name__})")
            if isinstance(data, TensorBase):
                return data.to(cls.dtype)
            return _facade.tensor(data, dtype=cls.dtype, device=device)
        sizes = tuple(args[0]) if len(args) == 1 and isinstance(args[0], Size) else args
        if not all(isinstance(s, (int, np.integer)) for s in sizes):
            raise TypeError(f"new(): argument 'size' must be a tuple of ints, got "
                            f"{[type(s).__name__ for s in sizes]}")
        return _facade.zeros(*sizes if sizes else (0,), dtype=cls.dtype, device=device)

    def __repr__(cls):
        return f"<class 'fgrad.{cls.__name__}'>"


def _legacy(name, dtype):
    return _LegacyType(name, (), {"dtype": dtype, "__doc__": f"Legacy constructor of "
                                  f"{dtype} tensors (``fgrad.{name}(data)`` or sizes)."})


FloatTensor = _legacy("FloatTensor", _dtypes.float32)
DoubleTensor = _legacy("DoubleTensor", _dtypes.float64)
HalfTensor = _legacy("HalfTensor", _dtypes.float16)
LongTensor = _legacy("LongTensor", _dtypes.int64)
IntTensor = _legacy("IntTensor", _dtypes.int32)
ShortTensor = _legacy("ShortTensor", _dtypes.int16)
CharTensor = _legacy("CharTensor", _dtypes.int8)
ByteTensor = _legacy("ByteTensor", _dtypes.uint8)
BoolTensor = _legacy("BoolTensor", _dtypes.bool)


# ================================================= in-place function forms ===
# torch.<name>_(input, ...) is input.<name>_(...) for these (PyTorch's list).
INPLACE_FUNCTIONS = ("abs acos acosh asin asinh atan atanh arccos arccosh arcsin arcsinh "
                     "arctan arctanh ceil clamp clamp_max clamp_min clip cos cosh deg2rad "
                     "erf erfc exp exp2 expm1 fill fix floor frac log log10 log1p log2 "
                     "logit nan_to_num neg negative rad2deg reciprocal relu round rsqrt "
                     "sigmoid sin sinc sinh sqrt square tan tanh trunc xlogy zero "
                     "detach").split()


def _inplace_function(name):
    method = name + "_"

    def f(input, *args, **kwargs):
        return getattr(input, method)(*args, **kwargs)
    f.__name__ = f.__qualname__ = method
    f.__doc__ = f"``input.{method}(...)``: ``{name}`` written into ``input``; returns it."
    return f


# the in-place function forms, by name (those of INPLACE_FUNCTIONS that Tensor has as methods)
abs_ = _inplace_function("abs")
acos_ = _inplace_function("acos")
asin_ = _inplace_function("asin")
atan_ = _inplace_function("atan")
ceil_ = _inplace_function("ceil")
clamp_ = _inplace_function("clamp")
clip_ = _inplace_function("clip")
cos_ = _inplace_function("cos")
cosh_ = _inplace_function("cosh")
exp_ = _inplace_function("exp")
expm1_ = _inplace_function("expm1")
fill_ = _inplace_function("fill")
fix_ = _inplace_function("fix")
floor_ = _inplace_function("floor")
frac_ = _inplace_function("frac")
log_ = _inplace_function("log")
log10_ = _inplace_function("log10")
log1p_ = _inplace_function("log1p")
log2_ = _inplace_function("log2")
neg_ = _inplace_function("neg")
negative_ = _inplace_function("negative")
reciprocal_ = _inplace_function("reciprocal")
relu_ = _inplace_function("relu")
round_ = _inplace_function("round")
rsqrt_ = _inplace_function("rsqrt")
sigmoid_ = _inplace_function("sigmoid")
sin_ = _inplace_function("sin")
sinh_ = _inplace_function("sinh")
sqrt_ = _inplace_function("sqrt")
square_ = _inplace_function("square")
tan_ = _inplace_function("tan")
tanh_ = _inplace_function("tanh")
trunc_ = _inplace_function("trunc")
zero_ = _inplace_function("zero")
detach_ = _inplace_function("detach")


# ============================================== in-place shape (view) methods ===
def _inplace_view(self: TensorBase, view: TensorBase) -> TensorBase:
    """``self`` becomes ``view`` (a view of its own memory): its data, history and view
    function, as PyTorch's in-place metadata ops (``unsqueeze_``) do."""
    self._check_inplace()
    self._data = view._data
    if view._node is not None:
        self._node, self._index = view._node, view._index
    if self._base is not None:
        self._view_fn = view._view_fn
    self._vc[0] += 1
    return self


def unsqueeze_(self: TensorBase, dim: int) -> TensorBase:
    """In-place ``unsqueeze``: a unit axis inserted at ``dim``; returns ``self``."""
    return _inplace_view(self, self.unsqueeze(dim))


def squeeze_(self: TensorBase, dim=None) -> TensorBase:
    """In-place ``squeeze``: unit axes (or the one at ``dim``) removed; returns ``self``."""
    return _inplace_view(self, self.squeeze() if dim is None else self.squeeze(dim))


def t_(self: TensorBase) -> TensorBase:
    """In-place ``t``: a 2-d tensor transposed; returns ``self``."""
    return _inplace_view(self, self.t())


def transpose_(self: TensorBase, dim0: int, dim1: int) -> TensorBase:
    """In-place ``transpose`` of ``dim0`` and ``dim1``; returns ``self``."""
    return _inplace_view(self, self.transpose(dim0, dim1))


def resize_(self: TensorBase, *sizes) -> TensorBase:
    """``self`` reshaped to ``sizes``: the same elements when the count is unchanged,
    else a new buffer keeping the leading elements (new ones are zero; PyTorch leaves
    them uninitialised). Tensors that require grad cannot be resized (PyTorch's rule).

    >>> import fgrad as torch
    >>> torch.tensor([1, 2, 3]).resize_(2, 2)
    tensor([[1, 2],
            [3, 0]])
    """
    if self.requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    shape = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) \
        else tuple(sizes)
    n = int(np.prod(shape, dtype=np.int64))
    host = self._host()
    if n == host.size:
        return _inplace_view(self, self.reshape(shape))
    flat = np.zeros(n, host.dtype)
    m = min(n, host.size)
    flat[:m] = host.reshape(-1)[:m]
    d = self._device
    self._data = flat.reshape(shape) if d is CPU else d.from_host(flat.reshape(shape))
    self._base = self._view_fn = None
    self._vc[0] += 1
    return self


def resize_as_(self: TensorBase, other: TensorBase) -> TensorBase:
    """``self.resize_(other.shape)``."""
    return resize_(self, tuple(other.shape))


def legacy_tensor(*args, **kwargs) -> TensorBase:
    """``torch.Tensor(data)`` / ``torch.Tensor(*sizes)``: PyTorch's legacy constructor, in
    the default dtype (``Tensor.__new__`` calls it)."""
    return _LegacyType.__call__(_legacy("Tensor", _dtypes.get_default_dtype()), *args,
                                **kwargs)
