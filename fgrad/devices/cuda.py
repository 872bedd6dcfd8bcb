"""The ``cuda`` device: CuPy arrays, imported lazily.

Without CuPy or a GPU, ``fgrad.cuda.is_available()`` is False and using the
device raises a RuntimeError naming what is missing.
"""
from __future__ import annotations

import numpy as np

from .base import Device, make_namespace

_cupy = None
_why_unavailable: str | None = None


def _load_cupy():
    """Import cupy once; remember why it failed if it did."""
    global _cupy, _why_unavailable
    if _cupy is not None or _why_unavailable is not None:
        return _cupy
    try:
        import cupy
    except Exception as e:  # ImportError, or a broken CUDA install
        _why_unavailable = (
            f"CuPy is not installed or failed to import ({type(e).__name__}: {e}); "
            "install it with `pip install fgrad[cuda]`")
        return None
    try:
        n = cupy.cuda.runtime.getDeviceCount()
    except Exception as e:
        _why_unavailable = f"CuPy is installed but no CUDA GPU is usable ({type(e).__name__}: {e})"
        return None
    if n == 0:
        _why_unavailable = "CuPy is installed but no CUDA GPU was found"
        return None
    _cupy = cupy
    return cupy


def is_available() -> bool:
    """Whether a CUDA device can be used (CuPy importable and a GPU present)."""
    return _load_cupy() is not None


def device_count() -> int:
    cp = _load_cupy()
    return 0 if cp is None else cp.cuda.runtime.getDeviceCount()


def unavailable_reason() -> str | None:
    _load_cupy()
    return _why_unavailable


def _updates_by_target(cp, out, idx, v):
    """The flat positions ``out[idx]`` reads and the updates ``v`` broadcast to them, both
    sorted stably by position (updates to one element stay in C order)."""
    targets = cp.arange(out.size).reshape(out.shape)[idx]
    vals = cp.broadcast_to(cp.asarray(v, dtype=out.dtype), targets.shape).ravel()
    order = cp.argsort(targets.ravel(), kind="stable")
    return targets.ravel()[order], vals[order]


def _scatter_in_rounds(cp, ufunc, out, idx, v):
    """``ufunc.at(out, idx, v)`` for ufuncs CuPy lacks ``at`` for: the updates are grouped
    by target, and round r applies every group's r-th update (targets unique per round),
    so the number of rounds is the largest number of duplicates."""
    targets, vals = _updates_by_target(cp, out, idx, v)
    if targets.size == 0:
        return
    rank = cp.arange(targets.size) - cp.searchsorted(targets, targets, side="left")
    flat = out.reshape(-1)
    for r in range(int(rank.max()) + 1):
        sel = rank == r
        t = targets[sel]
        flat[t] = ufunc(flat[t], vals[sel])


def _scatter_last_wins(cp, out, idx, v):
    """``out[idx] = v`` where, among updates landing on one element, the last in C order
    wins (NumPy's order): CuPy's fancy assignment keeps an unspecified one. The updates
    are sorted stably by target and only each target's last one is written."""
    targets, vals = _updates_by_target(cp, out, idx, v)
    if targets.size == 0:
        return
    last = cp.empty(targets.shape, dtype=bool)
    last[-1] = True
    cp.not_equal(targets[1:], targets[:-1], out=last[:-1])
    out.reshape(-1)[targets[last]] = vals[last]


class CUDADevice(Device):
    platform = "cuda"

    def __init__(self, index: int = 0):
        cp = _load_cupy()
        if cp is None:
            raise RuntimeError(f"cuda:{index} is not available: {_why_unavailable}")
        if not 0 <= index < cp.cuda.runtime.getDeviceCount():
            raise RuntimeError(
                f"cuda:{index} does not exist: {cp.cuda.runtime.getDeviceCount()} CUDA device(s) found")
        self.index = index
        self._cp = cp

        def scatter_add(x, idx, v):
            out = x.copy()
            cp.add.at(out, idx, v)
            return out

        def scatter_apply(ufunc_name, x, idx, v):
            # CuPy 14 has no multiply.at, and its minimum.at/maximum.at round float64
            # values through float32: every ufunc but add goes through exact rounds.
            out = x.copy()
            if ufunc_name == "add":
                cp.add.at(out, idx, v)
            else:
                _scatter_in_rounds(cp, getattr(cp, ufunc_name), out, idx, v)
            return out

        def scatter_set(x, idx, v):
            out = x.copy()
            _scatter_last_wins(cp, out, idx, v)
            return out

        def sliding_window_view(x, window_shape, axis):
            # NumPy's signature (a tuple of axes), on cupy's as_strided: no copy
            shape, strides = list(x.shape), list(x.strides)
            for ax, w in zip(axis, window_shape):
                shape[ax] -= w - 1
            return cp.lib.stride_tricks.as_strided(
                x, tuple(shape) + tuple(window_shape),
                tuple(strides) + tuple(x.strides[ax] for ax in axis))

        self.xp = make_namespace(f"fgrad.devices.cuda{index}.xp", cp,
                                 scatter_add=scatter_add, scatter_apply=scatter_apply,
                                 scatter_set=scatter_set, sliding_window_view=sliding_window_view)

    def from_host(self, a):
        with self._cp.cuda.Device(self.index):
            return self._cp.asarray(a)

    def to_host(self, v):
        return self._cp.asnumpy(v)

    def is_native(self, v):
        return isinstance(v, self._cp.ndarray)

    def readonly_host_view(self, v):
        raise TypeError(
            f"an Array on {self.name} cannot be converted to a NumPy array implicitly; "
            "move it first with fgrad.device_put(x, 'cpu') (or Tensor.cpu())")

    def synchronize(self):
        self._cp.cuda.Device(self.index).synchronize()
