"""Devices: where arrays live. ``get('cpu')``, ``get('cuda:0')``, ``get('standin')``."""
from __future__ import annotations

from .base import Device
from .cpu import CPU
from .standin import STANDIN
from . import cuda as _cuda
from .cuda import CUDADevice

_cuda_devices: dict[int, Device] = {}


def get(spec=None) -> Device:
    """The Device named by ``spec``: a Device, 'cpu', 'cuda', 'cuda:N', 'standin', or None (cpu).

    >>> get('cpu')
    device(type='cpu')
    """
    if spec is None:
        return CPU
    if isinstance(spec, Device):
        return spec
    # the facade's fgrad.device objects and anything with .type/.index
    if not isinstance(spec, str):
        kind = getattr(spec, "type", None)
        if kind is None:
            raise TypeError(f"expected a device or a device string, got {type(spec).__name__}")
        idx = getattr(spec, "index", None)
        spec = kind if idx is None else f"{kind}:{idx}"
    kind, _, idx = spec.partition(":")
    if kind == "cpu":
        return CPU
    if kind == "standin":
        return STANDIN
    if kind == "cuda":
        i = int(idx) if idx else 0
        if i not in _cuda_devices:
            _cuda_devices[i] = CUDADevice(i)
        return _cuda_devices[i]
    raise RuntimeError(
        f"Expected one of cpu, cuda device type at start of device string: {spec}")


def device_of_raw(v) -> Device:
    """The device that owns a raw backend array ``v``."""
    if CPU.is_native(v):
        return CPU
    if STANDIN.is_native(v):
        return STANDIN
    for d in _cuda_devices.values():
        if d.is_native(v):
            return d
    if _cuda.is_available():
        import cupy
        if isinstance(v, cupy.ndarray):
            return get(f"cuda:{v.device.id}")
    raise TypeError(f"not an array of any fgrad device: {type(v).__name__}")


__all__ = ["Device", "CPU", "STANDIN", "get", "device_of_raw"]
