"""``fgrad.save`` / ``fgrad.load``: tensors, Arrays, state dicts and nested containers to a
file, in a format whose loading runs no code from the file.

The file is a zip archive (uncompressed): ``archive/data.pkl``, a pickle of the object
in which every tensor and Array is a reference to a storage, and ``archive/data/N.npy``,
one NumPy ``.npy`` file per storage, read back with ``allow_pickle=False``. Tensors that
share memory on the CPU (views of one buffer) are saved as one storage and come back
sharing memory again; each tensor keeps its dtype, shape, strides, device and
``requires_grad`` (a ``Parameter`` comes back a ``Parameter``).

``load(f)`` defaults to ``weights_only=True`` (as PyTorch 2.6 and later): the pickle is
read by an unpickler that only knows an allow-list of types (containers, numbers,
strings, ``OrderedDict``, ``fgrad.Size``, dtypes, NumPy scalars, and what
``add_safe_globals`` adds) and refuses anything else with ``pickle.UnpicklingError``
before calling it. ``weights_only=False`` must be asked for to load arbitrary objects
(a pickled module, say); do that only with files you trust.

Files written by older fgrad versions name classes by the module paths of their day
(``fgrad.tensor.Size``, ``fgrad.nn.modules.Linear``, ``fgrad._grad_mode.no_grad`` ...).
Both unpicklers map such a path to the public module that exports the name now
(``_OLD_HOMES``); with ``weights_only=True`` the class found must still be an allowed one.

>>> import io, fgrad
>>> buf = io.BytesIO()
>>> fgrad.save({"w": fgrad.tensor([1.0, 2.0], requires_grad=True), "step": 3}, buf)
>>> _ = buf.seek(0)
>>> fgrad.load(buf)
{'w': tensor([1., 2.], requires_grad=True), 'step': 3}
"""
from __future__ import annotations

import codecs
import collections
import importlib
import io
import os
import pickle
import zipfile
from typing import Any, Iterable

import numpy as np

from . import _dtypes
from ._array import Array
from .devices import CPU, Device, get as get_device
from .nn import Parameter
from .facade.tensor import Size, Tensor
from .transforms.core import Tracer

__all__ = ["save", "load", "add_safe_globals", "get_safe_globals", "clear_safe_globals"]

_PREFIX = "archive/"
_FORMAT_VERSION = "fgrad-1"


def _key(obj) -> tuple[str, str]:
    """The ``(module, name)`` a pickle names ``obj`` by."""
    return obj.__module__, obj.__qualname__


def _builtin_safe() -> dict:
    scalar = np.float32(0).__reduce__()[0]
    return {
        ("collections", "OrderedDict"): collections.OrderedDict,
        ("builtins", "set"): set,
        ("builtins", "frozenset"): frozenset,
        ("builtins", "complex"): complex,
        ("builtins", "slice"): slice,
        ("builtins", "range"): range,
        ("builtins", "bytearray"): bytearray,
        ("_codecs", "encode"): codecs.encode,     # how protocol 2 writes bytes
        _key(Size): Size,
        _key(_dtypes.from_numpy): _dtypes.from_numpy,
        ("numpy", "dtype"): np.dtype,
        ("numpy.core.multiarray", "scalar"): scalar,
        ("numpy._core.multiarray", "scalar"): scalar,
    }


_SAFE_GLOBALS: dict = _builtin_safe()
_USER_SAFE: dict = {}


# Module paths that files of older fgrad versions name (or that a file of today names once
# the code moves again) -> the public module that exports the same names now. A name is
# looked up there only when its own path no longer resolves.
_OLD_HOMES = {
    "fgrad.tensor": "fgrad",               # Tensor, Size (before fgrad/facade/ existed)
    "fgrad._facade": "fgrad",
    "fgrad._torch_ops": "fgrad",
    "fgrad._torch_names": "fgrad",         # FloatTensor ... (the legacy types)
    "fgrad._grad_mode": "fgrad",           # no_grad, enable_grad, inference_mode ...
    "fgrad._generator": "fgrad",           # Generator
    "fgrad._tensor_str": "fgrad",
    "fgrad.autograd_functional": "fgrad.autograd.functional",
}
# ... and whole packages: a path inside one that no longer resolves is looked up in the
# package's public module (``fgrad.nn.modules.Linear`` -> ``fgrad.nn.Linear``)
_OLD_PACKAGES = (("fgrad.facade.", "fgrad"), ("fgrad.nn.", "fgrad.nn"),
                 ("fgrad.optim.", "fgrad.optim"), ("fgrad.utils.data.", "fgrad.utils.data"),
                 ("fgrad.autograd.", "fgrad.autograd"))


def _moved(module: str, name: str):
    """The object an older file means by ``module.name``, or None. Only names from the
    tables above are imported (never a module named by the file), and only public names
    (no leading underscore) are answered."""
    home = _OLD_HOMES.get(module)
    if home is None:
        home = next((h for prefix, h in _OLD_PACKAGES if module.startswith(prefix)), None)
    if home is None or name.startswith("_") or "." in name:
        return None
    return getattr(importlib.import_module(home), name, None)


def _resolves(module: str, name: str) -> bool:
    """Whether ``module.name`` names something in this version (importing only fgrad's)."""
    try:
        return hasattr(importlib.import_module(module), name)
    except ImportError:
        return False


def add_safe_globals(safe_globals: Iterable[Any]) -> None:
    """Allow these classes or functions in ``load(..., weights_only=True)`` (as
    ``torch.serialization.add_safe_globals``): only for types whose construction from
    file data cannot do harm."""
    for g in safe_globals:
        _USER_SAFE[(g.__module__, g.__qualname__)] = g


def get_safe_globals() -> list:
    return list(_USER_SAFE.values())


def clear_safe_globals() -> None:
    _USER_SAFE.clear()


# ==================================================================== saving ===
class _Pickler(pickle.Pickler):
    """Replaces tensors and Arrays by storage references (``persistent_id``) and collects
    the storages: one per CPU buffer (shared by its views), one per other tensor."""

    def __init__(self, file, protocol):
        super().__init__(file, protocol)
        self.storages: list[np.ndarray] = []
        self._by_root: dict[int, tuple[int, np.ndarray]] = {}

    def _storage(self, data, device: Device):
        """``(key, offset in bytes, strides in bytes)`` of a backend array's memory."""
        if isinstance(data, np.ndarray) and data.dtype.kind != "O":
            root = data
            while isinstance(root.base, np.ndarray):
                root = root.base
            if root.flags.c_contiguous and root.dtype.kind != "O":
                hit = self._by_root.get(id(root))
                if hit is None:
                    hit = self._by_root[id(root)] = (len(self.storages), root)
                    self.storages.append(root)
                offset = data.__array_interface__["data"][0] - root.__array_interface__["data"][0]
                return hit[0], offset, data.strides
        host = np.ascontiguousarray(device.to_host(data))
        self.storages.append(host)
        return len(self.storages) - 1, 0, host.strides

    def persistent_id(self, obj):
        if isinstance(obj, Tensor):
            data = obj._data
            if isinstance(data, Tracer):
                raise RuntimeError("fgrad.save: cannot save a tensor that is being traced by a "
                                   "transform (grad, vmap, jit ...); save concrete values")
            key, offset, strides = self._storage(data, obj._device)
            kind = "parameter" if isinstance(obj, Parameter) else "tensor"
            return (kind, key, data.dtype.str, tuple(data.shape), tuple(strides), offset,
                    obj._device.name, bool(obj.requires_grad))
        if type(obj) is Array:
            host = np.ascontiguousarray(obj._device.to_host(obj._value))
            self.storages.append(host)
            return ("array", len(self.storages) - 1, host.dtype.str, tuple(host.shape),
                    tuple(host.strides), 0, obj._device.name, False)
        if isinstance(obj, Tracer):
            raise RuntimeError("fgrad.save: cannot save a traced value (inside grad, vmap, "
                               "jit ...); save concrete values")
        return None


def save(obj: Any, f, pickle_protocol: int = 4, **kwargs) -> None:
    """Save ``obj`` (tensors, Arrays, state dicts, optimizer state dicts, nested
    containers, numbers, strings ...) to ``f``: a path or a writable binary file object.

    >>> import io, fgrad
    >>> buf = io.BytesIO(); fgrad.save(fgrad.arange(3), buf); _ = buf.seek(0)
    >>> fgrad.load(buf)
    tensor([0, 1, 2])
    """
    body = io.BytesIO()
    pickler = _Pickler(body, pickle_protocol)
    pickler.dump(obj)
    if isinstance(f, (str, os.PathLike)):
        with open(f, "wb") as fh:
            _write_zip(fh, body.getvalue(), pickler.storages)
    else:
        _write_zip(f, body.getvalue(), pickler.storages)


def _write_zip(fh, pkl: bytes, storages: list) -> None:
    with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr(_PREFIX + "version", _FORMAT_VERSION)
        z.writestr(_PREFIX + "data.pkl", pkl)
        for i, arr in enumerate(storages):
            with z.open(f"{_PREFIX}data/{i}.npy", "w", force_zip64=True) as out:
                np.lib.format.write_array(out, arr, allow_pickle=False)


# =================================================================== loading ===
def _weights_only_error(what: str) -> pickle.UnpicklingError:
    return pickle.UnpicklingError(
        "Weights only load failed. This file can still be loaded with "
        "fgrad.load(f, weights_only=False), which runs code from the file: do it only if you "
        "trust its source. Or allow the type with fgrad.serialization.add_safe_globals([...]) "
        f"if constructing it from file data is harmless. WeightsUnpickler error: {what}")


class _Loader:
    """Turns storage references back into tensors (``map_location`` applied)."""

    def __init__(self, zf: zipfile.ZipFile | None, map_location):
        self.zf = zf
        self.map_location = map_location
        self.storages: dict[int, np.ndarray] = {}

    def storage(self, key: int) -> np.ndarray:
        if self.zf is None:
            raise pickle.UnpicklingError("a storage reference outside an fgrad archive")
        if key not in self.storages:
            with self.zf.open(f"{_PREFIX}data/{key}.npy") as fh:
                self.storages[key] = np.lib.format.read_array(fh, allow_pickle=False)
        return self.storages[key]

    def device_for(self, name: str) -> Device:
        loc = self.map_location
        if loc is None:
            return get_device(name)
        if isinstance(loc, dict):
            return get_device(loc.get(name, name))
        if isinstance(loc, (str, Device)) or hasattr(loc, "type"):
            return get_device(loc)
        raise TypeError(f"map_location must be None, a device, a string or a dict of device "
                        f"names, got {type(loc).__name__}")

    def __call__(self, pid):
        if not (isinstance(pid, tuple) and len(pid) == 8 and
                pid[0] in ("tensor", "parameter", "array") and isinstance(pid[1], int) and
                isinstance(pid[2], str) and isinstance(pid[5], int) and
                isinstance(pid[6], str) and isinstance(pid[7], bool) and
                all(isinstance(v, int) for v in pid[3] + pid[4])):
            raise pickle.UnpicklingError(f"malformed storage reference {pid!r}")
        kind, key, dtype, shape, strides, offset, device, requires_grad = pid
        buf = self.storage(key)
        dt = np.dtype(dtype)
        if dt.kind == "O":
            raise pickle.UnpicklingError("object arrays are not allowed")
        try:
            view = np.ndarray(shape, dt, buffer=buf, offset=offset, strides=strides)
        except (ValueError, TypeError) as e:
            raise pickle.UnpicklingError(f"storage reference out of bounds: {e}") from None
        dev = self.device_for(device)
        if kind == "array":
            return Array(view.copy(), dev.name)
        t = Tensor._wrap(view if dev is CPU else dev.from_host(np.ascontiguousarray(view)),
                         dev)
        if kind == "parameter":
            return Parameter(t, requires_grad)
        if requires_grad:
            t.requires_grad_(True)
        return t


class _WeightsUnpickler(pickle._Unpickler):
    """The pure-Python unpickler restricted to an allow-list: ``find_class`` (globals,
    ``INST``/``OBJ``, extension codes) answers only allowed names, and ``BUILD`` (which
    would call ``__setstate__`` or set attributes) only touches NumPy dtypes and
    user-allowed types."""

    dispatch = dict(pickle._Unpickler.dispatch)

    def __init__(self, file, loader):
        super().__init__(file)
        self._loader = loader

    def find_class(self, module, name):
        key = (module, name)
        if key in _SAFE_GLOBALS:
            return _SAFE_GLOBALS[key]
        if key in _USER_SAFE:
            return _USER_SAFE[key]
        if module.startswith("fgrad."):
            # an older path of an allowed class: allowed if the class it means now is
            obj = _moved(module, name)
            if obj is not None and any(obj is v for v in (*_SAFE_GLOBALS.values(),
                                                          *_USER_SAFE.values())):
                return obj
        raise _weights_only_error(f"Unsupported global: GLOBAL {module}.{name} was not an "
                                  "allowed global by default.")

    def persistent_load(self, pid):
        return self._loader(pid)

    def load_build(self):
        inst = self.stack[-2]      # the state is on top
        allowed = type(inst) in (np.dtype,) or isinstance(inst, np.dtype) or \
            type(inst) in _USER_SAFE.values()
        if not allowed:
            raise _weights_only_error(f"BUILD (setting the state) of a "
                                      f"{type(inst).__name__} is not allowed")
        pickle._Unpickler.load_build(self)

    dispatch[pickle.BUILD[0]] = load_build


class _FullUnpickler(pickle.Unpickler):
    def __init__(self, file, loader):
        super().__init__(file)
        self._loader = loader

    def find_class(self, module, name):
        if module.startswith("fgrad.") and not _resolves(module, name):
            obj = _moved(module, name)
            if obj is not None:
                return obj
        return super().find_class(module, name)

    def persistent_load(self, pid):
        return self._loader(pid)


def load(f, map_location=None, pickle_module=None, *, weights_only: bool | None = None,
         mmap: bool | None = None, **pickle_load_args) -> Any:
    """Load what ``save`` wrote, from a path or a readable binary file object.

    ``weights_only=True`` (the default) refuses anything but tensors, Arrays, containers,
    numbers, strings and the allowed types, with ``pickle.UnpicklingError`` and without
    running code from the file. ``map_location`` (a device, a device string, or a dict
    ``{saved device name: new device name}``) moves the tensors.

    >>> import io, fgrad
    >>> buf = io.BytesIO(); fgrad.save([1, (2.5, "x")], buf); _ = buf.seek(0)
    >>> fgrad.load(buf)
    [1, (2.5, 'x')]
    """
    if weights_only is None:
        weights_only = True
    if isinstance(f, (str, os.PathLike)):
        with open(f, "rb") as fh:
            return _load(fh, map_location, weights_only)
    return _load(f, map_location, weights_only)


def _load(fh, map_location, weights_only: bool):
    start = fh.tell()
    is_zip = zipfile.is_zipfile(fh)
    fh.seek(start)
    if not is_zip:
        # not an fgrad archive: a plain pickle at most, read under the same rules
        loader = _Loader(None, map_location)
        cls = _WeightsUnpickler if weights_only else _FullUnpickler
        return cls(fh, loader).load()
    with zipfile.ZipFile(fh) as zf:
        names = set(zf.namelist())
        if _PREFIX + "data.pkl" not in names:
            raise RuntimeError("fgrad.load: the file is a zip archive but not one written "
                               "by fgrad.save (no archive/data.pkl)")
        loader = _Loader(zf, map_location)
        with zf.open(_PREFIX + "data.pkl") as body:
            data = io.BytesIO(body.read())
        cls = _WeightsUnpickler if weights_only else _FullUnpickler
        return cls(data, loader).load()
