"""Axis arguments, checked once for every op as NumPy checks them.

An axis out of range is an error (``AxisError``, a ``ValueError`` and ``IndexError``),
never wrapped silently; an axis that is not an integer is a ``TypeError``. Every
function taking ``axis``/``axes`` goes through these helpers.

>>> normalize_axis(-1, 3, "sum")
2
>>> normalize_axis(5, 2, "transpose")
Traceback (most recent call last):
...
numpy.exceptions.AxisError: transpose: axis 5 is out of bounds for array of dimension 2
"""
from __future__ import annotations

import operator

import numpy as np


def _as_int(axis, op: str, argname: str) -> int:
    if isinstance(axis, (bool, np.bool_)):
        raise TypeError(f"{op}: {argname} must be an integer, got the boolean {axis!r}")
    try:
        return operator.index(axis)
    except TypeError:
        raise TypeError(f"{op}: {argname} must be an integer, got {axis!r} of type "
                        f"{type(axis).__name__}") from None


def normalize_axis(axis, ndim: int, op: str, argname: str = "axis") -> int:
    """``axis`` in ``[-ndim, ndim)`` as a non-negative int; ``AxisError`` otherwise."""
    a = _as_int(axis, op, argname)
    if not -ndim <= a < ndim:
        raise np.exceptions.AxisError(f"{op}: {argname} {a} is out of bounds for array of "
                                      f"dimension {ndim}")
    return a % ndim


def axis_tuple(axis, op: str, argname: str = "axis") -> tuple:
    """An int or a sequence of ints as a tuple (each checked to be an integer)."""
    if isinstance(axis, (tuple, list)):
        return tuple(_as_int(a, op, argname) for a in axis)
    return (_as_int(axis, op, argname),)


def normalize_axes(axis, ndim: int, op: str = "reduction", argname: str = "axis") -> tuple:
    """``axis`` (None, an int or a sequence of ints) as a sorted tuple of distinct axes;
    None means every axis. A 0-d array accepts axis 0 and -1, as NumPy's reductions do."""
    if axis is None:
        return tuple(range(ndim))
    out = []
    for a in axis_tuple(axis, op, argname):
        if ndim == 0 and a in (0, -1):
            continue
        out.append(normalize_axis(a, ndim, op, argname))
    if len(set(out)) != len(out):
        raise ValueError(f"{op}: repeated axis in {argname}={axis!r}")
    return tuple(sorted(out))


def normalize_permutation(axes, ndim: int, op: str = "transpose") -> tuple:
    """``axes`` as a permutation of ``range(ndim)`` (negatives allowed)."""
    perm = axis_tuple(axes, op, "axes")
    if len(perm) != ndim:
        raise ValueError(f"{op}: axes {tuple(axes)} don't match an array of dimension {ndim}")
    perm = tuple(normalize_axis(a, ndim, op) for a in perm)
    if len(set(perm)) != ndim:
        raise ValueError(f"{op}: repeated axis in axes {tuple(axes)}")
    return perm


def normalize_distinct(axes, ndim: int, op: str, argname: str) -> list:
    """A sequence of axes (``moveaxis``' source or destination) as distinct non-negative ints,
    in the given order."""
    out = [normalize_axis(a, ndim, op, argname) for a in axis_tuple(axes, op, argname)]
    if len(set(out)) != len(out):
        raise ValueError(f"{op}: repeated axis in `{argname}` argument")
    return out
