"""Indexing for ``fgrad.numpy``: NumPy's ``x[idx]``, JAX's ``x.at[idx]``, and the
index-based functions (``take``, ``take_along_axis``, ``diagonal``, ``nonzero`` ...).

Every index expression is decomposed into the shape primitives (``reshape`` for
``None``, ``flip`` + ``slice`` for slices, ``reshape`` for integers) and one
``gather`` (``fgrad/primitives/indexing.py``) for the advanced part, so it
differentiates, batches and stages like any other composition. ``x.at[idx]``
updates scatter into the flattened array at the flat positions that ``x[idx]``
would read (``arange(x.size).reshape(x.shape)[idx]``), which gives every index
kind the same meaning for reads and writes.

Boolean masks and ``nonzero`` have value-dependent shapes: they need concrete
values and raise a ``ConcretizationTypeError`` under ``vmap``/``jit`` (use
``fnp.where`` there). Under ``grad``/``jvp`` masks computed from the inputs
are concrete, so ``x[x > 0]`` differentiates.
"""
from __future__ import annotations

import builtins
import operator

import numpy as np

from .. import errors
from .._axes import normalize_axis
from .._array import Array
from ..devices import CPU
from ..primitives import binary as B, indexing as I, shape as S, unary as U
from ..primitives.creation import from_host, full, iota
from ..transforms.core import Tracer, bind
from ..transforms.wrappers import is_wrapped
from ._core import _size, asarray, iter_leaves
from ._reductions import sum as sum_
from ..devices import get

__all__ = ["take", "take_along_axis", "put_along_axis", "diag", "diagonal", "trace",
           "nonzero", "argwhere", "flatnonzero", "compress", "select", "searchsorted",
           "tril_indices", "triu_indices", "tril_indices_from", "triu_indices_from",
           "diag_indices", "diag_indices_from", "ix_", "index_select"]

_INDEX_TYPES_MSG = ("only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) "
                    "and integer or boolean arrays are valid indices")


# ============================================================ index parsing ===
def _concrete_host(a, what):
    """A host NumPy copy of the concrete value of ``a`` (Array or tracer), or a
    ConcretizationTypeError that suggests ``fnp.where``."""
    if isinstance(a, Tracer):
        try:
            a = a.concrete_value(what)
        except errors.ConcretizationTypeError as e:
            raise errors.ConcretizationTypeError(
                f"{e} {what} has a shape that depends on the values; inside a transform use "
                "fgrad.numpy.where(mask, x, 0) (or a size-preserving formulation) instead."
            ) from None
        if isinstance(a, Tracer):   # a lower-level tracer: still not concrete
            return _concrete_host(a, what)
    if isinstance(a, Array):
        return a._host()
    return np.asarray(a)


def _is_device_array(a):
    """An index array that stays on a device: a tracer, or an Array not on the cpu."""
    return isinstance(a, Tracer) or (isinstance(a, Array) and a.device is not CPU)


def _classify(entry):
    """One index entry as ('none'|'ellipsis'|'slice'|'int'|'bool'|'array'|'mask', value)."""
    if entry is None:
        return "none", None
    if entry is Ellipsis:
        return "ellipsis", None
    if isinstance(entry, slice):
        return "slice", entry
    if isinstance(entry, (bool, np.bool_)):
        return "bool", bool(entry)
    if isinstance(entry, (int, np.integer)):
        return "int", int(entry)
    if isinstance(entry, (list, tuple)):
        if any(isinstance(e, (Array, Tracer)) for e in iter_leaves(entry)):
            entry = asarray(entry)
        else:
            entry = np.asarray(entry)
            if entry.size == 0 and entry.dtype.kind == "f":
                entry = entry.astype(np.int64)   # x[[]] selects nothing
    if isinstance(entry, Array) and not _is_device_array(entry):
        entry = entry._host()
    if isinstance(entry, (np.ndarray, np.generic, Array, Tracer)):
        kind = np.dtype(entry.dtype).kind
        if kind == "b":
            if entry.ndim == 0:
                return "bool", bool(_concrete_host(entry, "boolean indexing"))
            return "mask", entry
        if kind not in "iu":
            raise IndexError(f"arrays used as indices must be of integer (or boolean) type, "
                             f"got {entry.dtype}")
        if entry.ndim == 0 and not _is_device_array(entry):
            return "int", int(entry)
        return "array", entry
    try:
        return "int", operator.index(entry)
    except TypeError:
        raise IndexError(f"{_INDEX_TYPES_MSG}; got {type(entry).__name__}") from None


def _plan(shape, idx):
    """Parse ``idx`` against an array of ``shape``.

    Returns ``(expanded_shape, entries)``: the shape with a unit axis inserted for
    every ``None``/bool scalar, and one entry per axis of it, each ``('slice', s)``,
    ``('int', i, user_axis)`` or ``('array', a, user_axis)`` (masks are expanded to
    their ``nonzero`` arrays here).
    """
    if not isinstance(idx, tuple):
        idx = (idx,)
    parsed = [_classify(e) for e in idx]
    n_ell = sum(k == "ellipsis" for k, _ in parsed)
    if n_ell > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    used = sum(1 if k in ("int", "slice", "array") else v.ndim if k == "mask" else 0
               for k, v in parsed)
    if used > len(shape):
        raise IndexError(f"too many indices for array: array is {len(shape)}-dimensional, "
                         f"but {used} were indexed")
    expanded, entries, ax = [], [], 0
    for k, v in parsed:
        if k == "ellipsis":
            for _ in range(len(shape) - used):
                expanded.append(shape[ax])
                entries.append(("slice", slice(None)))
                ax += 1
        elif k == "none":
            expanded.append(1)
            entries.append(("slice", slice(None)))
        elif k == "bool":   # a 0-d mask: a new unit axis, selected once (True) or never
            expanded.append(1)
            entries.append(("array", np.zeros((1 if v else 0,), np.int64), None))
        elif k == "mask":
            m = _concrete_host(v, "boolean indexing")
            for j, d in enumerate(m.shape):
                if shape[ax + j] != d:
                    raise IndexError(
                        f"boolean index did not match indexed array along axis {ax + j}; size "
                        f"of axis is {shape[ax + j]} but size of corresponding boolean axis "
                        f"is {d}")
            for j, pos in enumerate(np.nonzero(m)):
                expanded.append(shape[ax])
                entries.append(("array", pos.astype(np.int64), ax))
                ax += 1
        else:
            expanded.append(shape[ax])
            entries.append((k, v, ax) if k != "slice" else (k, v))
            ax += 1
    while ax < len(shape):
        expanded.append(shape[ax])
        entries.append(("slice", slice(None)))
        ax += 1
    return tuple(expanded), entries


def _check_host_index(a, axis, n):
    """Bounds check and negative-index normalisation of a host index array."""
    if _size(a):
        lo, hi = int(a.min()), int(a.max())
        if hi >= n or lo < -n:
            bad = hi if hi >= n else lo
            raise IndexError(f"index {bad} is out of bounds for axis {axis} with size {n}")
        if lo < 0:
            a = np.where(a < 0, a + n, a)
    return a


# Out-of-bounds modes. Reads: 'raise' (NumPy's and the facade's IndexError), 'clip' (JAX's
# default for x[idx] and .at[].get(): indices clamped to the axis), 'fill' (fill_value
# where an index is out of bounds). Writes: 'raise', 'clip', 'drop' (JAX's default:
# out-of-bounds updates are dropped). Negative indices count from the end first.
_GET_MODES = {None: "clip", "promise_in_bounds": "clip", "clip": "clip", "fill": "fill",
              "drop": "fill"}
_SET_MODES = {None: "drop", "promise_in_bounds": "drop", "clip": "clip", "fill": "drop",
              "drop": "drop"}


def _parse_mode(mode, table):
    try:
        return table[mode]
    except (KeyError, TypeError):
        raise ValueError(f'Unknown gather mode "{mode}"') from None


def _host_index_mode(a, axis, n, mode):
    """A host index array under ``mode`` ('raise', 'clip' or 'fill'): ``(indices, valid)``
    with the indices in [0, n) and ``valid`` the in-bounds mask ('fill' only, else None)."""
    if mode == "raise" or n == 0:
        return _check_host_index(a, axis, n), None
    a = np.where(a < 0, a + n, a)
    if mode == "clip":
        return np.clip(a, 0, n - 1), None
    valid = (a >= 0) & (a < n)
    return (a, None) if valid.all() else (np.where(valid, a, 0), valid)


def _device_index_mode(a, n, mode):
    """``_host_index_mode`` for a traced or device index array ('clip' leaves negative
    indices to the gather, which counts them from the end)."""
    if mode == "raise" or n == 0:
        return a, None
    if mode == "clip":
        return B.minimum_p.bind(B.maximum_p.bind(a, -n), n - 1), None
    a = bind(B.select_p, a < 0, a + n, a)
    valid = (a >= 0) & (a < n)
    return bind(B.select_p, valid, a, 0), valid


# =============================================================== x[idx] ===
def _index(x, idx, mode: str = "raise", fill_value=None):
    """``x[idx]`` with NumPy's semantics (basic, advanced and boolean indexing); an
    out-of-bounds index raises an IndexError (``mode='raise'``, NumPy's and PyTorch's
    rule), is clamped (``'clip'``, JAX's) or reads ``fill_value`` (``'fill'``)."""
    x = asarray(x)
    shape, entries = _plan(tuple(x.shape), idx)
    if mode == "fill":   # an out-of-bounds integer reads the fill value: an index array
        entries = [("array", np.asarray(e[1]), e[2])
                   if e[0] == "int" and not -n <= e[1] < n else e
                   for e, n in zip(entries, shape)]
    if shape != tuple(x.shape):
        x = S.reshape(x, shape)
    advanced = any(e[0] == "array" for e in entries)
    if advanced:   # integers next to index arrays are index arrays (NumPy's rule)
        entries = [("array", np.asarray(e[1]), e[2]) if e[0] == "int" else e for e in entries]
    # basic part: flip (negative steps), one slice, and a reshape dropping integer axes
    starts, stops, steps, flips, drop = [], [], [], [], []
    for ax, (e, n) in enumerate(zip(entries, shape)):
        if e[0] == "slice":
            r = range(*e[1].indices(n))
            m = len(r)
            if r.step < 0 and m > 1:
                flips.append(ax)
                start, step = n - 1 - r.start, -r.step
            else:
                start, step = (r.start if m else 0), (builtins.abs(r.step) if m > 1 else 1)
            starts.append(start)
            stops.append(start + (m - 1) * step + 1 if m else start)
            steps.append(step)
        elif e[0] == "int":
            i = e[1]
            if not -n <= i < n:
                if mode == "raise" or n == 0:
                    raise IndexError(f"index {i} is out of bounds for axis {e[2]} with size {n}")
                i = builtins.min(builtins.max(i, -n), n - 1)     # 'clip'
            i %= n
            starts.append(i), stops.append(i + 1), steps.append(1)
            drop.append(ax)
        else:
            starts.append(0), stops.append(n), steps.append(1)
    if flips:
        x = S.flip(x, flips)
    if tuple(starts) != (0,) * len(shape) or tuple(stops) != shape or any(s != 1 for s in steps):
        x = S.slice_p.bind(x, starts=tuple(starts), stops=tuple(stops), steps=tuple(steps))
    if drop:
        x = S.reshape(x, [d for ax, d in enumerate(x.shape) if ax not in drop])
    if not advanced:
        return x
    return _advanced(x, entries, mode, fill_value)


def _stack_indices(arrays, device):
    """Index arrays (host or device) broadcast together and stacked to ``B + (k,)``."""
    try:
        np.broadcast_shapes(*[tuple(a.shape) for a in arrays])
    except ValueError:
        raise IndexError("shape mismatch: indexing arrays could not be broadcast together with "
                         "shapes " + " ".join(errors.fmt_shape(a.shape) for a in arrays)) from None
    if all(isinstance(a, np.ndarray) for a in arrays):
        host = np.stack(np.broadcast_arrays(*arrays), axis=-1).astype(np.int64, copy=False)
        return from_host(host, device)
    devs = [a if not isinstance(a, np.ndarray) else from_host(a.astype(np.int64), device)
            for a in arrays]
    devs = [U.convert(a, np.int64) if a.dtype != np.int64 else a for a in devs]
    bshape = B.broadcast_shapes("indexing", *[a.shape for a in devs])
    cols = [S.reshape(S.broadcast_to(a, bshape), bshape + (1,)) for a in devs]
    return S.concatenate(cols, len(bshape))


def _advanced(x, entries, mode="raise", fill_value=None):
    """Gather along the axes holding index arrays; place the new axes as NumPy does."""
    adv = [ax for ax, e in enumerate(entries) if e[0] == "array"]
    arrays, masks = [], []
    for ax in adv:
        _, a, user_axis = entries[ax]
        if isinstance(a, np.ndarray):
            a, valid = _host_index_mode(a, ax if user_axis is None else user_axis,
                                        x.shape[ax], mode)
        else:
            a, valid = _device_index_mode(a, x.shape[ax], mode)
        arrays.append(a)
        if valid is not None:
            masks.append(valid)
    rest = [ax for ax in range(x.ndim) if ax not in adv]
    xt = S.transpose(x, adv + rest)
    idx = _stack_indices(arrays, x.device)
    out = I.gather(xt, idx)
    nb = idx.ndim - 1
    if masks:            # 'fill': the fill value where any index of an element was out of bounds
        valid = masks[0]
        for m in masks[1:]:
            valid = valid & m
        if isinstance(valid, np.ndarray):
            valid = from_host(valid, x.device)
        bshape = tuple(idx.shape[:-1])
        valid = S.reshape(S.broadcast_to(valid, bshape), bshape + (1,) * len(rest))
        fill = _fill_default(x.dtype) if fill_value is None else fill_value
        out = bind(B.select_p, valid, out, full((), fill, x.dtype, x.device))
    contiguous = adv == list(range(adv[0], adv[-1] + 1))
    if contiguous and adv[0] > 0:   # the indexed axes were adjacent: new axes go in their place
        p = adv[0]
        perm = list(range(nb, nb + p)) + list(range(nb)) + list(range(nb + p, out.ndim))
        out = S.transpose(out, perm)
    return out


# ============================================================ x.at[idx] ===
def _fit_update(v, shape, dtype, op, device):
    v = U.convert(v if isinstance(v, (Array, Tracer)) else asarray(v, device=device), dtype)
    while v.ndim > len(shape) and v.shape[0] == 1:
        v = S.reshape(v, v.shape[1:])
    try:
        target = np.broadcast_shapes(tuple(v.shape), shape)
    except ValueError:
        target = None
    if target != tuple(shape):
        raise ValueError(f"x.at[idx].{op}(v): cannot broadcast v of shape "
                         f"{errors.fmt_shape(v.shape)} to the indexed shape "
                         f"{errors.fmt_shape(shape)}")
    return S.broadcast_to(v, shape)


def _simple_array_index(idx):
    """The index when it is one integer array on the leading axis, else None."""
    if isinstance(idx, (Array, Tracer)) and idx.dtype.kind in "iu" and idx.ndim >= 1:
        return idx
    if isinstance(idx, list) and not any(isinstance(e, (Array, Tracer)) for e in iter_leaves(idx)):
        idx = np.asarray(idx)
    if isinstance(idx, np.ndarray) and idx.dtype.kind in "iu" and idx.ndim >= 1:
        return idx
    return None


def _update(x, idx, v, op, mode: str = "raise"):
    """``x`` with ``v`` combined by ``op`` at ``idx``. Out-of-bounds indices raise
    (``mode='raise'``), are clamped (``'clip'``) or their updates dropped (``'drop'``,
    JAX's default): a dropped update is sent to one extra element past the end of
    (the leading axis of) ``x``, cut off after the scatter."""
    x = asarray(x)
    prim = I.SCATTERS[op]
    simple = _simple_array_index(idx) if x.ndim else None
    if simple is not None:
        n = x.shape[0]
        if isinstance(simple, Array) and not _is_device_array(simple):
            simple = simple._host()
        if isinstance(simple, np.ndarray):
            a, valid = _host_index_mode(simple.astype(np.int64), 0, n,
                                        "fill" if mode == "drop" else mode)
            drop = valid is not None
            simple = from_host(np.where(valid, a, n)[..., None] if drop else a[..., None],
                               x.device)
        else:
            a, valid = _device_index_mode(simple, n, "fill" if mode == "drop" else mode)
            drop = valid is not None
            if drop:
                a = bind(B.select_p, valid, a, n)
            simple = S.reshape(a, tuple(simple.shape) + (1,))
        v = _fit_update(v, tuple(simple.shape[:-1]) + tuple(x.shape[1:]), x.dtype, op, x.device)
        if not drop:
            return prim.bind(x, simple, v)
        out = prim.bind(_pad_leading(x), simple, v)
        return _index(out, slice(None, n))
    # general: scatter into the flat array at the flat positions x[idx] reads
    n = int(np.prod(x.shape))     # not x.size: a facade Tensor's size is a method
    pos = _index(S.reshape(iota(n, np.int64, x.device), x.shape), idx,
                 "fill" if mode == "drop" else mode, fill_value=n)
    v = _fit_update(v, tuple(pos.shape), x.dtype, op, x.device)
    flat = S.reshape(x, (n,))
    drop = mode == "drop" and (isinstance(pos, Tracer) or _is_device_array(pos) or
                               (pos.size and int(pos._host().max()) == n))
    if drop:
        flat = _pad_leading(flat)
    out = prim.bind(flat, S.reshape(pos, tuple(pos.shape) + (1,)), v)
    if drop:
        out = _index(out, slice(None, n))
    return S.reshape(out, x.shape)


def _pad_leading(x):
    """``x`` with one more (zero) element along its leading axis: where dropped updates go."""
    return S.concatenate([x, S.broadcast_to(full((), 0, x.dtype, x.device),
                                            (1,) + tuple(x.shape[1:]))], 0)


def _value_on(x, v):
    """``v`` as an array on the device of ``x`` (Arrays and tracers as they are)."""
    return v if isinstance(v, (Array, Tracer)) else asarray(v, device=asarray(x).device)


class _IndexUpdateRef:
    """``x.at[idx]``: pure versions of ``x[idx] = v``, ``x[idx] += v`` and friends.

    As in JAX, reads clamp out-of-bounds indices (``mode='clip'``, or
    ``'promise_in_bounds'`` and the default) or read ``fill_value`` (``mode='fill'``);
    writes drop out-of-bounds updates (the default, ``'drop'``, ``'fill'``,
    ``'promise_in_bounds'``) or clamp their indices (``'clip'``). ``indices_are_sorted``
    and ``unique_indices`` are accepted hints.
    """

    __slots__ = ("x", "idx")

    def __init__(self, x, idx):
        self.x, self.idx = x, idx

    def __repr__(self):
        return f"_IndexUpdateRef({self.x!r}, {self.idx!r})"

    def _scatter(self, values, op, mode):
        return _update(self.x, self.idx, values, op, _parse_mode(mode, _SET_MODES))

    def get(self, *, indices_are_sorted: bool = False, unique_indices: bool = False,
            mode: str | None = None, fill_value=None):
        """``x[idx]``, out-of-bounds indices clamped (default) or read as ``fill_value``
        (``mode='fill'``; NaN for floats, the most negative integer for ints).

        >>> import fgrad.numpy as fnp
        >>> fnp.arange(3).at[fnp.asarray([1, 5])].get(mode="fill", fill_value=-1)
        Array([ 1, -1])
        """
        return _index(self.x, self.idx, _parse_mode(mode, _GET_MODES), fill_value)

    def set(self, values, *, indices_are_sorted: bool = False, unique_indices: bool = False,
            mode: str | None = None):
        """A copy of x with ``x[idx] = values`` (with duplicate indices one value wins)."""
        return self._scatter(values, "set", mode)

    def add(self, values, *, indices_are_sorted: bool = False, unique_indices: bool = False,
            mode: str | None = None):
        """A copy of x with ``values`` added at idx (duplicates accumulate)."""
        return self._scatter(values, "add", mode)

    def subtract(self, values, *, indices_are_sorted: bool = False,
                 unique_indices: bool = False, mode: str | None = None):
        return self._scatter(-_value_on(self.x, values), "add", mode)

    def multiply(self, values, *, indices_are_sorted: bool = False,
                 unique_indices: bool = False, mode: str | None = None):
        """A copy of x with x[idx] multiplied by ``values`` (duplicates multiply)."""
        return self._scatter(values, "multiply", mode)

    mul = multiply

    def divide(self, values, *, indices_are_sorted: bool = False,
               unique_indices: bool = False, mode: str | None = None):
        """A copy of x with x[idx] divided by ``values`` (multiplies by the reciprocal)."""
        return self._scatter(1 / _value_on(self.x, values), "multiply", mode)

    def power(self, values, *, indices_are_sorted: bool = False,
              unique_indices: bool = False, mode: str | None = None):
        """A copy of x with x[idx] raised to ``values``; an element hit twice is raised
        twice (``(x ** a) ** b``, JAX's order), written ``x ** (a * b)``: the exponents
        are multiplied into ones at idx, so untouched elements are ``x ** 1 == x``.

        >>> import fgrad.numpy as fnp
        >>> fnp.asarray([2.0, 3.0]).at[1].power(2)
        Array([2., 9.])
        """
        x = asarray(self.x)
        ones = S.broadcast_to(full((), 1, x.dtype, x.device), tuple(x.shape))
        exponents = _update(ones, self.idx, values, "multiply", _parse_mode(mode, _SET_MODES))
        return x ** exponents

    def apply(self, func, *, indices_are_sorted: bool = False, unique_indices: bool = False,
              mode: str | None = None):
        """A copy of x with the element-wise ``func`` applied at idx, once per time an
        element is indexed (JAX's ``scatter_apply``). Repeated indices must be concrete
        to be applied repeatedly: under ``jit``/``vmap`` traced indices apply ``func``
        once per element.

        >>> import fgrad.numpy as fnp
        >>> fnp.asarray([1.0, 2.0, 3.0]).at[fnp.asarray([0, 0, 2])].apply(lambda v: v * 10)
        Array([100.,   2.,  30.])
        """
        x = asarray(self.x)
        m = _parse_mode(mode, _SET_MODES)
        hits = _update(S.broadcast_to(full((), 0, np.int64, x.device), tuple(x.shape)),
                       self.idx, 1, "add", m)
        repeats = 1 if isinstance(hits, Tracer) else int(hits._host().max(initial=0))
        if repeats <= 1:        # read, apply, write back: func sees only the indexed values
            get_mode = "clip" if m == "drop" else m
            return _update(x, self.idx, func(_index(x, self.idx, get_mode)), "set", m)
        out = x
        for j in range(repeats):
            out = bind(B.select_p, hits > j, func(out), out)
        return out

    def min(self, values, *, indices_are_sorted: bool = False, unique_indices: bool = False,
            mode: str | None = None):
        """A copy of x with x[idx] = minimum(x[idx], values)."""
        return self._scatter(values, "min", mode)

    def max(self, values, *, indices_are_sorted: bool = False, unique_indices: bool = False,
            mode: str | None = None):
        """A copy of x with x[idx] = maximum(x[idx], values)."""
        return self._scatter(values, "max", mode)


class _IndexUpdateHelper:
    """What ``x.at`` returns; ``x.at[idx]`` is an ``_IndexUpdateRef``.

    >>> import fgrad.numpy as fnp
    >>> fnp.zeros(3).at[fnp.asarray([0, 0, 2])].add(1.0)
    Array([2., 0., 1.])
    """

    __slots__ = ("x",)

    def __init__(self, x):
        self.x = x

    def __getitem__(self, idx):
        return _IndexUpdateRef(self.x, idx)

    def __repr__(self):
        return f"_IndexUpdateHelper({self.x!r})"


# ============================================================ functions ===
def _axis(axis, ndim, op):
    # a 0-d array takes axis 0 or -1 (as NumPy's take does for scalars)
    return normalize_axis(axis, builtins.max(ndim, 1), op)


def _index_array(indices, device):
    """Integer indices as an Array (or tracer) on ``device``."""
    if is_wrapped(indices):      # a wrapper type (a Tensor): bound as it is (maybe traced)
        return indices
    if isinstance(indices, (Array, Tracer)):
        if indices.dtype.kind not in "iu":
            raise TypeError(f"indices must be integers, got dtype {indices.dtype}")
        return indices
    a = np.asarray(indices)
    if a.dtype.kind not in "iu" and not (_size(a) == 0):
        raise TypeError(f"indices must be integers, got dtype {a.dtype}")
    return from_host(a.astype(np.int64), device)


def _apply_mode(idx, n, mode, op):
    """Indices under an out-of-bounds ``mode``; also the validity mask for 'fill'."""
    if mode in (None, "raise"):
        return idx, None
    if mode == "clip":
        return B.minimum_p.bind(B.maximum_p.bind(idx, 0), builtins.max(n - 1, 0)), None
    if mode == "wrap":
        return idx % n, None
    if mode == "fill":
        valid = (idx >= -n) & (idx < n)
        return bind(B.select_p, valid, idx, 0), valid
    raise ValueError(f"{op}: mode must be one of 'raise', 'clip', 'wrap', 'fill', got {mode!r}")


def _fill_default(dtype):
    dtype = np.dtype(dtype)
    if dtype.kind in "fc":
        return np.nan
    if dtype.kind == "b":
        return True
    return np.iinfo(dtype).min if dtype.kind == "i" else np.iinfo(dtype).max


def take(a, indices, axis: int | None = None, mode: str | None = None,
         fill_value=None) -> Array:
    """Elements of ``a`` at ``indices`` along ``axis`` (the flattened array if None).

    ``mode`` handles out-of-bounds indices: None/'raise' (NumPy's default) raises an
    IndexError on concrete indices; 'clip' clamps to [0, n-1] (NumPy's clip: negative
    indices become 0); 'wrap' takes them modulo n; 'fill' (JAX's default) returns
    ``fill_value`` (NaN for floats) there. Negative indices count from the end except
    under 'clip'.

    >>> take(asarray([4.0, 5.0, 6.0]), [2, -3])
    Array([6., 4.])
    """
    a = asarray(a)
    if axis is None:
        a, axis = S.reshape(a, (_size(a),)), 0
    axis = _axis(axis, a.ndim, "take")
    n = a.shape[axis]
    idx = _index_array(indices, a.device)
    idx, valid = _apply_mode(idx, n, mode, "take")
    if isinstance(idx, Array) and idx.device is CPU:
        idx = from_host(_check_host_index(idx._host(), axis, n), a.device)
    at = S.moveaxis(a, axis, 0)
    out = I.gather(at, S.reshape(idx, tuple(idx.shape) + (1,)))
    nb = idx.ndim
    perm = list(range(nb, nb + axis)) + list(range(nb)) + list(range(nb + axis, out.ndim))
    out = S.transpose(out, perm)
    if valid is not None:
        v = S.reshape(valid, (1,) * axis + tuple(valid.shape) + (1,) * (a.ndim - axis - 1))
        fill = _fill_default(a.dtype) if fill_value is None else fill_value
        out = bind(B.select_p, v, out, full((), fill, a.dtype, a.device))
    return out


def index_select(a, axis: int, index) -> Array:
    """``take(a, index, axis)`` with ``index`` 1-d (PyTorch's ``index_select(dim, index)``).

    >>> index_select(asarray([[1, 2], [3, 4]]), 1, [1])
    Array([[2],
           [4]])
    """
    idx = _index_array(index, asarray(a).device)
    if idx.ndim != 1:
        raise IndexError(f"index_select: index must be 1-d, got shape {tuple(idx.shape)}")
    return take(a, idx, axis)


def _along_axis_indices(arr, indices, axis, mode, op):
    """Stacked ``(out_shape..., ndim)`` gather indices for take/put_along_axis."""
    idx = _index_array(indices, arr.device)
    if idx.ndim != arr.ndim:
        raise ValueError(f"{op}: indices and arr must have the same number of dimensions, "
                         f"got {idx.ndim} and {arr.ndim}")
    n = arr.shape[axis]
    idx, valid = _apply_mode(idx, n, mode, op)
    if isinstance(idx, Array) and idx.device is CPU:
        idx = from_host(_check_host_index(idx._host(), axis, n), arr.device)
    shape_others = tuple(1 if d == axis else s for d, s in enumerate(arr.shape))
    out_shape = B.broadcast_shapes(op, shape_others, tuple(idx.shape))
    cols = []
    for d in range(arr.ndim):
        if d == axis:
            c = U.convert(idx, np.int64) if idx.dtype != np.int64 else idx
        else:
            c = S.reshape(iota(arr.shape[d], np.int64, arr.device),
                          tuple(arr.shape[d] if e == d else 1 for e in range(arr.ndim)))
        cols.append(S.reshape(S.broadcast_to(c, out_shape), out_shape + (1,)))
    return S.concatenate(cols, len(out_shape)), valid


def take_along_axis(arr, indices, axis: int | None, mode: str | None = None,
                    fill_value=None) -> Array:
    """``arr`` picked at ``indices`` along ``axis``, matching the other axes
    (NumPy's ``take_along_axis``; PyTorch's ``gather(dim, index)``); ``mode`` as in ``take``.

    >>> take_along_axis(asarray([[10, 30, 20]]), asarray([[1, 2]]), axis=1)
    Array([[30, 20]])
    """
    arr = asarray(arr)
    if axis is None:
        arr, axis = S.reshape(arr, (_size(arr),)), 0
    axis = _axis(axis, arr.ndim, "take_along_axis")
    idx, valid = _along_axis_indices(arr, indices, axis, mode, "take_along_axis")
    out = I.gather(arr, idx)
    if valid is not None:
        fill = _fill_default(arr.dtype) if fill_value is None else fill_value
        out = bind(B.select_p, valid, out, full((), fill, arr.dtype, arr.device))
    return out


def put_along_axis(arr, indices, values, axis: int | None, inplace: bool = False, *,
                   op: str = "set", mode: str | None = None) -> Array:
    """A copy of ``arr`` with ``values`` written at ``indices`` along ``axis`` (matching the
    other axes). ``op`` is 'set' (PyTorch's ``scatter``), 'add' (``scatter_add``),
    'multiply', 'min' or 'max'; duplicates combine with ``op`` (one wins for 'set').
    Arrays are immutable, so ``inplace`` must be False.

    >>> import fgrad.numpy as fnp
    >>> fnp.put_along_axis(fnp.zeros((1, 3)), fnp.asarray([[0, 0]]), 1.0, axis=1, op="add")
    Array([[2., 0., 0.]])
    """
    if inplace:
        raise ValueError("put_along_axis: fgrad arrays are immutable; pass inplace=False and "
                         "use the returned array")
    if op not in I.SCATTERS:
        raise ValueError(f"put_along_axis: op must be one of {sorted(I.SCATTERS)}, got {op!r}")
    arr = asarray(arr)
    shape = arr.shape
    if axis is None:
        arr, axis = S.reshape(arr, (_size(arr),)), 0
    axis = _axis(axis, arr.ndim, "put_along_axis")
    if mode not in (None, "raise", "clip", "wrap"):
        raise ValueError(f"put_along_axis: mode must be 'raise', 'clip' or 'wrap', got {mode!r}")
    idx, _ = _along_axis_indices(arr, indices, axis, mode, "put_along_axis")
    v = _fit_update(values, tuple(idx.shape[:-1]), arr.dtype, op, arr.device)
    return S.reshape(I.SCATTERS[op].bind(arr, idx, v), shape)


def diagonal(a, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Array:
    """The ``offset`` diagonal of the plane (axis1, axis2), as a new last axis (NumPy's order).

    >>> diagonal(asarray([[1, 2], [3, 4]]))
    Array([1, 4])
    """
    a = asarray(a)
    if a.ndim < 2:
        raise ValueError(f"diagonal: array must be at least 2-d, got shape {tuple(a.shape)}")
    ax1, ax2 = _axis(axis1, a.ndim, "diagonal"), _axis(axis2, a.ndim, "diagonal")
    if ax1 == ax2:
        raise ValueError("diagonal: axis1 and axis2 cannot be the same")
    rest = [d for d in range(a.ndim) if d not in (ax1, ax2)]
    at = S.transpose(a, [ax1, ax2] + rest)
    n, m = at.shape[0], at.shape[1]
    i0, j0 = (0, offset) if offset >= 0 else (-offset, 0)
    length = builtins.max(0, builtins.min(n - i0, m - j0))
    r = np.arange(length, dtype=np.int64)
    idx = from_host(np.stack([r + i0, r + j0], axis=-1), a.device)
    out = I.gather(at, idx)          # (length,) + rest
    return S.moveaxis(out, 0, out.ndim - 1) if out.ndim > 1 else out


def diag(v, k: int = 0) -> Array:
    """The ``k``-th diagonal of a 2-d array, or a 2-d array with 1-d ``v`` on it.

    >>> diag(asarray([1, 2]))
    Array([[1, 0],
           [0, 2]])
    """
    v = asarray(v)
    if v.ndim == 2:
        return diagonal(v, k)
    if v.ndim != 1:
        raise ValueError(f"diag: input must be 1-d or 2-d, got shape {tuple(v.shape)}")
    n = v.shape[0] + builtins.abs(k)
    r = np.arange(v.shape[0], dtype=np.int64)
    rows, cols = (r, r + k) if k >= 0 else (r - k, r)
    idx = from_host(np.stack([rows, cols], axis=-1), v.device)
    zeros = S.broadcast_to(full((), 0, v.dtype, v.device), (n, n))
    return I.scatter_p.bind(zeros, idx, v)


def trace(a, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype=None) -> Array:
    """Sum along a diagonal.

    >>> trace(asarray([[1.0, 2.0], [3.0, 4.0]]))
    Array(5.)
    """
    return sum_(diagonal(a, offset, axis1, axis2), axis=-1, dtype=dtype)


def nonzero(a) -> tuple:
    """Indices of the nonzero elements, one int64 array per axis (concrete ``a`` only:
    under ``vmap``/``jit`` it raises a ConcretizationTypeError).

    >>> nonzero(asarray([0, 3, 0, 4]))
    (Array([1, 3]),)
    """
    a = asarray(a)
    host = _concrete_host(a, "nonzero")
    if host.ndim == 0:
        raise ValueError("nonzero: calling nonzero on 0d arrays is not allowed; use "
                         "atleast_1d(a).nonzero() instead")
    return tuple(from_host(p.astype(np.int64), a.device) for p in np.nonzero(host))


def argwhere(a) -> Array:
    """Indices of the nonzero elements, as an (N, ndim) array (concrete ``a`` only).

    >>> argwhere(asarray([[0, 1], [1, 0]]))
    Array([[0, 1],
           [1, 0]])
    """
    a = asarray(a)
    host = _concrete_host(a, "argwhere")
    return from_host(np.argwhere(host).astype(np.int64), a.device)


def flatnonzero(a) -> Array:
    """Indices of the nonzero elements of the flattened array (concrete ``a`` only).

    >>> flatnonzero(asarray([[0, 1], [1, 0]]))
    Array([1, 2])
    """
    a = asarray(a)
    host = _concrete_host(a, "flatnonzero")
    return from_host(np.flatnonzero(host).astype(np.int64), a.device)


def compress(condition, a, axis: int | None = None) -> Array:
    """The slices of ``a`` along ``axis`` where ``condition`` (1-d, concrete) is true.

    >>> compress([True, False, True], asarray([1, 2, 3]))
    Array([1, 3])
    """
    a = asarray(a)
    if axis is None:
        a, axis = S.reshape(a, (_size(a),)), 0
    axis = _axis(axis, a.ndim, "compress")
    cond = _concrete_host(condition, "compress").astype(bool)
    if cond.ndim != 1:
        raise ValueError("compress: condition must be a 1-d array")
    n = a.shape[axis]
    if cond.size > n and cond[n:].any():
        raise IndexError(f"compress: condition has a true entry at position >= {n}, the size "
                         f"of axis {axis}")
    pos = np.nonzero(cond[:n])[0]
    return take(a, from_host(pos.astype(np.int64), a.device), axis)


def select(condlist, choicelist, default=0) -> Array:
    """``choicelist[i]`` where ``condlist[i]`` is the first true condition, else ``default``.

    >>> select([asarray([True, False]), asarray([True, True])], [1, 2], 0)
    Array([1, 2])
    """
    if len(condlist) != len(choicelist):
        raise ValueError("select: list of cases must be same length as list of conditions")
    if not condlist:
        raise ValueError("select with an empty condition list is not possible")
    out = default
    for c, v in reversed(list(zip(condlist, choicelist))):
        c = asarray(c)
        if c.dtype.kind != "b":
            raise TypeError(f"select: invalid entry in condlist: should be boolean ndarray, "
                            f"got {c.dtype}")
        out = bind(B.select_p, c, v, out)
    return asarray(out)


def searchsorted(a, v, side: str = "left", sorter=None) -> Array:
    """Insertion points of ``v`` into sorted 1-d ``a``: counts ``a < v`` ('left') or
    ``a <= v`` ('right') with one broadcast comparison (O(len(a) * v.size) memory).

    >>> searchsorted(asarray([1, 2, 3]), asarray([2, 5]))
    Array([1, 3])
    """
    a = asarray(a)
    if a.ndim != 1:
        raise ValueError(f"searchsorted: a must be 1-d, got shape {tuple(a.shape)}")
    if sorter is not None:
        a = take(a, sorter)
    scalar = not isinstance(v, (Array, Tracer)) and np.ndim(v) == 0
    v = asarray(v)
    ve = S.reshape(v, tuple(v.shape) + (1,))
    if side == "left":
        hit = a < ve
    elif side == "right":
        hit = a <= ve
    else:
        raise ValueError(f"searchsorted: side must be 'left' or 'right', got {side!r}")
    out = sum_(U.convert(hit, np.int64), axis=-1)
    return out if not scalar else S.reshape(out, ())


def _host_pair(rows, cols, device):
    return (from_host(rows.astype(np.int64), device), from_host(cols.astype(np.int64), device))


def tril_indices(n: int, k: int = 0, m: int | None = None, device=None) -> tuple:
    """Row and column indices of the lower triangle of an (n, m) array.

    >>> tril_indices(2)
    (Array([0, 1, 1]), Array([0, 0, 1]))
    """
    return _host_pair(*np.tril_indices(n, k, m), get(device))


def triu_indices(n: int, k: int = 0, m: int | None = None, device=None) -> tuple:
    """Row and column indices of the upper triangle of an (n, m) array.

    >>> triu_indices(2)
    (Array([0, 0, 1]), Array([0, 1, 1]))
    """
    return _host_pair(*np.triu_indices(n, k, m), get(device))


def tril_indices_from(arr, k: int = 0) -> tuple:
    arr = asarray(arr)
    return _host_pair(*np.tril_indices(arr.shape[-2], k, arr.shape[-1]), arr.device)


def triu_indices_from(arr, k: int = 0) -> tuple:
    arr = asarray(arr)
    return _host_pair(*np.triu_indices(arr.shape[-2], k, arr.shape[-1]), arr.device)


def diag_indices(n: int, ndim: int = 2, device=None) -> tuple:
    """Indices of the main diagonal of an n x ... x n array: ``ndim`` copies of arange(n).

    >>> diag_indices(2)
    (Array([0, 1]), Array([0, 1]))
    """
    r = from_host(np.arange(n, dtype=np.int64), get(device))
    return (r,) * ndim


def diag_indices_from(arr) -> tuple:
    arr = asarray(arr)
    if len(set(arr.shape)) > 1:
        raise ValueError("diag_indices_from: all dimensions of the input must be equal")
    return diag_indices(arr.shape[0], arr.ndim, arr.device)


def ix_(*args) -> tuple:
    """Open mesh index arrays: ``x[ix_(rows, cols)]`` selects the rows x cols block.

    >>> [a.shape for a in ix_([0, 1], [2, 0, 1])]
    [(2, 1), (1, 3)]
    """
    out = []
    for k, a in enumerate(args):
        if isinstance(a, (Array, Tracer)):
            arr = a
        else:
            h = np.asarray(a)
            if h.dtype.kind == "b":
                h = np.nonzero(h)[0]
            arr = from_host(h.astype(np.int64), CPU)
        if arr.ndim != 1:
            raise ValueError("ix_: cross index must be 1 dimensional")
        if arr.dtype.kind == "b":
            arr = nonzero(arr)[0]
        out.append(S.reshape(arr, (1,) * k + (arr.shape[0],) + (1,) * (len(args) - k - 1)))
    return tuple(out)
