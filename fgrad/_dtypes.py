"""The facade's dtypes (``fgrad.float32`` ...), printed as PyTorch prints its own.

Each is a thin object over a NumPy dtype: ``np.dtype(fgrad.float32)`` is
``float32`` (NumPy reads the ``dtype`` attribute), so they can be passed to
``fgrad.numpy`` too.
"""
from __future__ import annotations

import numpy as np


class dtype:
    """A tensor element type, as ``torch.dtype``.

    >>> import fgrad
    >>> fgrad.float32, fgrad.float32.is_floating_point, fgrad.float32.itemsize
    (fgrad.float32, True, 4)
    """

    __slots__ = ("name", "dtype")

    def __init__(self, name: str):
        self.name = name
        self.dtype = np.dtype(name)

    @property
    def is_floating_point(self) -> bool:
        return self.dtype.kind == "f"

    @property
    def is_complex(self) -> bool:
        return self.dtype.kind == "c"

    @property
    def is_signed(self) -> bool:
        return self.dtype.kind in "ifc"

    @property
    def itemsize(self) -> int:
        return self.dtype.itemsize

    @property
    def kind(self) -> str:
        """NumPy's kind letter ('f', 'i', 'b' ...), so code written for NumPy dtypes works."""
        return self.dtype.kind

    def __eq__(self, other) -> bool:
        if other is self or isinstance(other, dtype):
            return other is self
        try:
            return self.dtype == np.dtype(other)
        except TypeError:
            return False

    def __hash__(self) -> int:
        return hash(self.dtype)

    def to_real(self) -> "dtype":
        return from_numpy({"complex64": "float32", "complex128": "float64"}.get(self.name,
                                                                             self.name))

    def to_complex(self) -> "dtype":
        return from_numpy({"float32": "complex64", "float64": "complex128",
                           "float16": "complex64"}.get(self.name, self.name))

    def __repr__(self) -> str:
        return f"fgrad.{self.name}"

    def __reduce__(self):
        return (from_numpy, (self.name,))


_BY_NAME = {n: dtype(n) for n in ("float16", "float32", "float64", "complex64", "complex128",
                                  "int8", "int16", "int32", "int64", "uint8", "uint16",
                                  "uint32", "uint64", "bool")}
_PYTHON_TYPES = {float: "float64", int: "int64", bool: "bool", complex: "complex128"}


_BY_NUMPY = {v.dtype: v for v in _BY_NAME.values()}


def from_numpy(d) -> dtype:
    """The facade dtype of a NumPy dtype (or name)."""
    try:
        return _BY_NUMPY[d]
    except (KeyError, TypeError):
        pass
    try:
        return _BY_NAME[np.dtype(d).name]
    except KeyError:
        raise TypeError(f"fgrad has no dtype for {np.dtype(d)}") from None


def to_facade(d) -> dtype:
    """``d`` (a facade dtype, NumPy dtype or name, or a Python type) as a facade dtype."""
    if isinstance(d, dtype):
        return d
    if d in _PYTHON_TYPES:
        return _BY_NAME[_PYTHON_TYPES[d]]
    return from_numpy(d)


def to_numpy(d) -> np.dtype:
    """``d`` as a NumPy dtype (Python ``float`` is float64 and ``int`` int64, as in PyTorch)."""
    return to_facade(d).dtype


_default = [_BY_NAME["float32"]]


def get_default_dtype() -> dtype:
    """The dtype of floating tensors made from Python floats (float32 unless changed).

    >>> import fgrad
    >>> fgrad.get_default_dtype()
    fgrad.float32
    """
    return _default[0]


def set_default_dtype(d) -> None:
    """Set the default floating dtype (float32 or float64, as PyTorch allows; also float16).

    >>> import fgrad
    >>> fgrad.set_default_dtype(fgrad.float64); fgrad.tensor(1.5).dtype
    fgrad.float64
    >>> fgrad.set_default_dtype(fgrad.float32)
    """
    d = to_facade(d)
    if d.dtype.kind != "f":
        raise TypeError("only floating-point types are supported as the default type")
    _default[0] = d


def is_floating_point(t) -> bool:
    """Whether a tensor has a floating dtype."""
    return to_numpy(t.dtype).kind == "f"


def is_complex(t) -> bool:
    """Whether a tensor has a complex dtype."""
    return to_numpy(t.dtype).kind == "c"


int8 = _BY_NAME["int8"]
uint8 = _BY_NAME["uint8"]
uint16 = _BY_NAME["uint16"]
uint32 = _BY_NAME["uint32"]
uint64 = _BY_NAME["uint64"]
bool = _BY_NAME["bool"]
float = float32 = _BY_NAME["float32"]   # noqa: A001  (torch.float)
double = float64 = _BY_NAME["float64"]
half = float16 = _BY_NAME["float16"]
long = int64 = _BY_NAME["int64"]
int = int32 = _BY_NAME["int32"]         # noqa: A001
short = int16 = _BY_NAME["int16"]
cfloat = complex64 = _BY_NAME["complex64"]
cdouble = complex128 = _BY_NAME["complex128"]
bool_ = _BY_NAME["bool"]

ALL_NAMES = sorted(_BY_NAME) + ["float", "double", "half", "long", "int", "short", "cfloat",
                                "cdouble"]
