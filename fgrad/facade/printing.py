"""PyTorch's tensor printing, ported to host NumPy arrays.

A port of ``torch/_tensor_str.py`` (PyTorch 2.13): the same integer mode,
scientific-mode decision, precision, line width and summarisation with
``...``, and the same suffixes (``dtype=``, ``device=``, ``grad_fn=``,
``requires_grad=True``, ``size=`` for empty tensors). The only deliberate
difference: dtypes print as ``fgrad.float64`` where PyTorch prints
``torch.float64``.

>>> import numpy as np
>>> print(format_tensor(np.array([1.0, 2.5]), dtype_name="float64", is_default_dtype=False))
tensor([1.0000, 2.5000], dtype=fgrad.float64)
"""
from __future__ import annotations

import contextlib
import dataclasses
import math
from typing import Any, Iterator

import numpy as np

__all__ = ["format_tensor", "set_printoptions", "get_printoptions", "printoptions",
           "PRINT_OPTS"]


@dataclasses.dataclass
class _PrinterOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


PRINT_OPTS = _PrinterOptions()


def set_printoptions(precision: int | None = None, threshold: float | None = None,
                     edgeitems: int | None = None, linewidth: int | None = None,
                     profile: str | None = None, sci_mode: bool | None = None) -> None:
    """Set the options for printing tensors (PyTorch's ``set_printoptions``).

    ``profile`` is one of ``"default"``, ``"short"``, ``"full"``; the other
    arguments override it. ``sci_mode=None`` (the default) lets the printer
    choose; like PyTorch, every call resets ``sci_mode`` to its argument.

    >>> import numpy as np
    >>> set_printoptions(precision=2)
    >>> format_tensor(np.array([1.12345], np.float32), dtype_name="float32", is_default_dtype=True)
    'tensor([1.12])'
    >>> set_printoptions(profile="default")
    """
    if profile is not None:
        if profile == "default":
            PRINT_OPTS.precision, PRINT_OPTS.threshold = 4, 1000
            PRINT_OPTS.edgeitems, PRINT_OPTS.linewidth = 3, 80
        elif profile == "short":
            PRINT_OPTS.precision, PRINT_OPTS.threshold = 2, 1000
            PRINT_OPTS.edgeitems, PRINT_OPTS.linewidth = 2, 80
        elif profile == "full":
            PRINT_OPTS.precision, PRINT_OPTS.threshold = 4, math.inf
            PRINT_OPTS.edgeitems, PRINT_OPTS.linewidth = 3, 80
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """The current print options, as keyword arguments for ``set_printoptions``.

    >>> get_printoptions()["precision"]
    4
    """
    return dataclasses.asdict(PRINT_OPTS)


@contextlib.contextmanager
def printoptions(**kwargs: Any) -> Iterator[None]:
    """Temporarily change the print options (arguments of ``set_printoptions``).

    >>> import numpy as np
    >>> with printoptions(precision=1):
    ...     format_tensor(np.array([0.25, 1.0]), dtype_name="float32", is_default_dtype=True)
    'tensor([0.2, 1.0])'
    """
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


class _Formatter:
    """Chooses integer / fixed / scientific mode and the column width for ``data``."""

    def __init__(self, data: np.ndarray):
        self.floating_dtype = data.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        flat = data.reshape(-1)
        if not self.floating_dtype:
            for value in flat.tolist():
                self.max_width = max(self.max_width, len(f"{value}"))
            return
        vals = flat[np.isfinite(flat) & (flat != 0)]
        if vals.size == 0:
            return                      # no finite non-zero number: defaults
        absvals = np.abs(vals).astype(np.float64)
        vmin, vmax = absvals.min(), absvals.max()
        # ceil in the tensor's own dtype, as PyTorch does
        self.int_mode = not bool(np.any(vals != np.ceil(vals)))
        if PRINT_OPTS.sci_mode is None:
            with np.errstate(over="ignore"):   # an overflowing ratio is inf, as in PyTorch
                self.sci_mode = bool(vmax / vmin > 1000.0 or vmax > 1.0e8 or vmin < 1.0e-4)
        else:
            self.sci_mode = PRINT_OPTS.sci_mode
        p = PRINT_OPTS.precision
        pyvals = vals.tolist()
        if self.sci_mode:
            widths = (len(f"{v:.{p}e}") for v in pyvals)
        elif self.int_mode:
            widths = (len(f"{v:.0f}") + 1 for v in pyvals)
        else:
            widths = (len(f"{v:.{p}f}") for v in pyvals)
        self.max_width = max(self.max_width, max(widths))

    def width(self) -> int:
        return self.max_width

    def format(self, value: Any) -> str:
        if self.floating_dtype:
            if self.sci_mode:
                ret = f"{value:{self.max_width}.{PRINT_OPTS.precision}e}"
            elif self.int_mode:
                ret = f"{value:.0f}"
                if not (math.isinf(value) or math.isnan(value)):
                    ret += "."
            else:
                ret = f"{value:.{PRINT_OPTS.precision}f}"
        else:
            ret = f"{value}"
        return (self.max_width - len(ret)) * " " + ret


def _complex_str(val: complex, f1: _Formatter, f2: _Formatter) -> str:
    real_str = f1.format(val.real)
    imag_str = (f2.format(val.imag) + "j").lstrip()
    if imag_str[0] in "+-":             # handles negative numbers, +0.0, -0.0
        return real_str + imag_str
    return real_str + "+" + imag_str


def _val_str(val: Any, f1: _Formatter, f2: _Formatter | None) -> str:
    return f1.format(val) if f2 is None else _complex_str(val, f1, f2)


def _vector_str(data: np.ndarray, indent: int, summarize: bool,
                f1: _Formatter, f2: _Formatter | None) -> str:
    element_length = f1.width() + 2        # includes ", "
    if f2 is not None:
        element_length += f2.width() + 1   # imaginary part and its "j"
    per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / element_length))
    e = PRINT_OPTS.edgeitems
    if summarize and not e:
        items = ["..."]
    elif summarize and data.shape[0] > 2 * e:
        items = ([_val_str(v, f1, f2) for v in data[:e].tolist()] + [" ..."]
                 + [_val_str(v, f1, f2) for v in data[-e:].tolist()])
    else:
        items = [_val_str(v, f1, f2) for v in data.tolist()]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _tensor_str_with_formatter(data: np.ndarray, indent: int, summarize: bool,
                               f1: _Formatter, f2: _Formatter | None) -> str:
    dim = data.ndim
    if dim == 0:
        return _val_str(data.item(), f1, f2)
    if dim == 1:
        return _vector_str(data, indent, summarize, f1, f2)
    e = PRINT_OPTS.edgeitems
    if summarize and data.shape[0] > 2 * e:
        rows = list(range(e)) + [None] + list(range(data.shape[0] - e, data.shape[0]))
    else:
        rows = list(range(data.shape[0]))
    slices = ["..." if i is None else
              _tensor_str_with_formatter(data[i], indent + 1, summarize, f1, f2)
              for i in rows]
    return "[" + ("," + "\n" * (dim - 1) + " " * (indent + 1)).join(slices) + "]"


def _summarized_data(data: np.ndarray) -> np.ndarray:
    """The elements that a summarised print shows (PyTorch's get_summarized_data)."""
    e = PRINT_OPTS.edgeitems
    if data.ndim == 0:
        return data
    if data.ndim == 1:
        if data.shape[0] > 2 * e:
            return np.concatenate((data[:e], data[-e:]))
        return data
    if not e:
        return np.empty((0,) * data.ndim, data.dtype)
    if data.shape[0] > 2 * e:
        rows = [data[i] for i in range(e)] + [data[i] for i in range(len(data) - e, len(data))]
    else:
        rows = list(data)
    return np.stack([_summarized_data(r) for r in rows])


def _tensor_str(data: np.ndarray, indent: int) -> str:
    if data.size == 0:
        return "[]"
    summarize = data.size > PRINT_OPTS.threshold
    shown = _summarized_data(data) if summarize else data
    if data.dtype.kind == "c":
        f1, f2 = _Formatter(shown.real), _Formatter(shown.imag)
        return _tensor_str_with_formatter(data, indent, summarize, f1, f2)
    return _tensor_str_with_formatter(data, indent, summarize, _Formatter(shown), None)


def _add_suffixes(tensor_str: str, suffixes: list[str], indent: int) -> str:
    parts = [tensor_str]
    last_line_len = len(tensor_str) - tensor_str.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > PRINT_OPTS.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def format_tensor(data: np.ndarray, *, dtype_name: str, is_default_dtype: bool,
                  device: str = "cpu", requires_grad: bool = False,
                  grad_fn: str | None = None, prefix: str = "tensor(",
                  print_options: dict[str, Any] | None = None) -> str:
    """PyTorch's ``repr`` of a tensor whose values are the host array ``data``.

    ``dtype_name`` is the facade dtype's name (``"float32"``; a ``"fgrad."`` or
    ``"torch."`` prefix is accepted). ``is_default_dtype`` tells whether that
    dtype is the current default floating dtype (or, for a complex dtype, its
    complex counterpart); ``int64`` and ``bool`` never print their dtype unless
    the tensor is empty, as in PyTorch. ``device`` is printed unless it is
    ``"cpu"``. ``grad_fn`` is the backward node's name (``"MulBackward0"``);
    without one, ``requires_grad=True`` is printed when set. ``print_options``
    overrides ``set_printoptions``' values for this call only.

    >>> import numpy as np
    >>> format_tensor(np.array(12.0, np.float32), dtype_name="float32", is_default_dtype=True)
    'tensor(12.)'
    >>> format_tensor(np.array([2.0, 4.0], np.float32), dtype_name="float32",
    ...               is_default_dtype=True, grad_fn="MulBackward0")
    'tensor([2., 4.], grad_fn=<MulBackward0>)'
    >>> format_tensor(np.zeros((0, 3), np.int64), dtype_name="int64", is_default_dtype=False)
    'tensor([], size=(0, 3), dtype=fgrad.int64)'
    """
    if print_options:
        with printoptions(**{**get_printoptions(), **print_options}):
            return format_tensor(data, dtype_name=dtype_name, is_default_dtype=is_default_dtype,
                                 device=device, requires_grad=requires_grad,
                                 grad_fn=grad_fn, prefix=prefix)
    data = np.asarray(data)
    name = dtype_name.split(".")[-1]
    dtype_str = "fgrad." + name
    indent = len(prefix)
    suffixes = []
    device = str(device)
    if device == "cuda":
        device = "cuda:0"
    if device != "cpu":
        suffixes.append(f"device='{device}'")
    has_default_dtype = is_default_dtype or name in ("int64", "bool")
    if data.size == 0:
        if data.ndim != 1:              # NumPy-style: show the shape unless it is (0,)
            suffixes.append(f"size={tuple(data.shape)}")
        if not is_default_dtype or data.dtype.kind == "c":  # no element tells the dtype
            suffixes.append(f"dtype={dtype_str}")
        tensor_str = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append(f"size={tuple(data.shape)}")
        if not has_default_dtype:
            suffixes.append(f"dtype={dtype_str}")
        tensor_str = _tensor_str(data, indent)
    if grad_fn is not None:
        suffixes.append(f"grad_fn=<{grad_fn}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + tensor_str, suffixes, indent)
