"""``fgrad.cuda``: PyTorch's ``torch.cuda`` queries, backed by CuPy when it is present.

>>> import fgrad
>>> isinstance(fgrad.cuda.is_available(), bool)
True
"""
from __future__ import annotations

from .devices import cuda as _backend
from .devices import get

_seed: int | None = None


def is_available() -> bool:
    """Whether a CUDA device can be used (CuPy importable and a GPU present)."""
    return _backend.is_available()


def device_count() -> int:
    """The number of usable CUDA devices (0 without CuPy or a GPU)."""
    return _backend.device_count()


def _require(what: str) -> None:
    if not is_available():
        raise RuntimeError(f"fgrad.cuda.{what}: CUDA is not available: "
                           f"{_backend.unavailable_reason()}")


def get_device_name(device=None) -> str:
    """The name of a CUDA device (``device`` an index, 'cuda:N' or a device; default 0)."""
    _require("get_device_name")
    import cupy
    if device is None:
        index = 0
    elif isinstance(device, int):
        index = device
    else:
        index = getattr(device, "index", None)
        if index is None and isinstance(device, str):
            index = int(device.partition(":")[2] or 0)
        index = index or 0
    name = cupy.cuda.runtime.getDeviceProperties(index)["name"]
    return name.decode() if isinstance(name, bytes) else name


def current_device() -> int:
    _require("current_device")
    import cupy
    return cupy.cuda.runtime.getDevice()


def manual_seed(seed: int) -> None:
    """Seed the CUDA generators. As in PyTorch, a no-op (the seed is kept) without CUDA."""
    global _seed
    _seed = int(seed)
    if is_available():
        import cupy
        for i in range(device_count()):
            with cupy.cuda.Device(i):
                cupy.random.seed(_seed)


manual_seed_all = manual_seed


def synchronize(device=None) -> None:
    """Wait for the queued work of a CUDA device."""
    _require("synchronize")
    get(device if device is not None else "cuda").synchronize()
