"""``torch.accelerator``: the device-generic names current PyTorch tutorials call first
(``fgrad.accelerator.current_accelerator()``), answered by ``fgrad.cuda``.

>>> import fgrad as torch
>>> device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() \\
...     else "cpu"
>>> torch.zeros(1, device=device).device.type in ("cpu", "cuda")
True
"""
from __future__ import annotations

from . import cuda
from .devices import Device, get as _get_device

__all__ = ["is_available", "current_accelerator", "device_count", "current_device_index",
           "set_device_index", "synchronize"]


def is_available() -> bool:
    """Whether an accelerator (a CUDA GPU with CuPy) can be used."""
    return cuda.is_available()


def current_accelerator(check_available: bool = False) -> Device | None:
    """The accelerator device (``cuda``), or None where there is none (PyTorch returns
    None with ``check_available=True`` when the accelerator is not available)."""
    if not cuda.is_available():
        return None
    return _get_device("cuda")


def device_count() -> int:
    """The number of accelerator devices (0 without one)."""
    return cuda.device_count() if cuda.is_available() else 0


def current_device_index() -> int:
    """The index of the current accelerator device."""
    return cuda.current_device()


def set_device_index(device) -> None:
    """Select the current accelerator device (``cuda.set_device``)."""
    set_device = getattr(cuda, "set_device", None)
    if set_device is None:
        if int(getattr(device, "index", device) or 0) != current_device_index():
            raise RuntimeError("fgrad: selecting another CUDA device is not supported")
        return
    set_device(device)


def synchronize(device=None) -> None:
    """Wait for the accelerator's queued work to finish."""
    if cuda.is_available():
        cuda.synchronize(device)
