"""The ``torch``-named functions of the facade: creation, random numbers, and every
``ops`` function returning ``Tensor``s; also installs the ``Tensor`` methods.

>>> import fgrad
>>> fgrad.zeros(2, 3).shape
fgrad.Size([2, 3])
>>> fgrad.arange(0, 10, step=3)
tensor([0, 3, 6, 9])
"""
from __future__ import annotations

import functools
import math
from typing import Any, Sequence

import numpy as np

from .. import _dtypes
from . import grad_mode as _grad_mode
from . import ops as T, promotion as P
from .ops import _common as C
from .._array import Array
from ..devices import CPU, Device, get as get_device
from ..numpy._core import iter_leaves
from .size import Size, broadcasts_to
from .tape import INT_REQUIRES_GRAD, graph_mark
from .tensor import Tensor, _record, name_node
from ..transforms.core import Tracer
from ..transforms.api import register_leaf_adapter
from .generator import Generator, numpy_rng

# ============================================================== conversion ===
def _to_tensors(x):
    """Results as tensors: Arrays wrapped, tuples (and named tuples) mapped."""
    if isinstance(x, Tensor):
        return x
    if type(x) is Array or isinstance(x, Tracer):
        return Tensor._wrap(x)
    if isinstance(x, tuple):
        vals = [_to_tensors(v) for v in x]
        return type(x)(*vals) if hasattr(x, "_fields") else tuple(vals)
    if isinstance(x, list):
        return [_to_tensors(v) for v in x]
    if isinstance(x, np.dtype):
        return _dtypes.from_numpy(x)
    return x


def device(type: str | Device, index: int | None = None) -> Device:
    """A device: ``fgrad.device('cpu')``, ``fgrad.device('cuda', 0)``, ``fgrad.device('cuda:1')``.

    >>> import fgrad
    >>> print(fgrad.device('cpu'))
    cpu
    """
    if isinstance(type, Device):
        return type
    if index is not None:
        type = f"{type}:{index}"
    return get_device(type)


_DEFAULT_DEVICE = [CPU]      # torch.set_default_device


def _resolve_device(d) -> Device:
    return _DEFAULT_DEVICE[0] if d is None else device(d) if not isinstance(d, Device) else d


def _infer_dtype(host: np.ndarray, from_python: bool) -> np.dtype:
    """PyTorch's dtype for data: Python floats give the default dtype, ints int64."""
    kind = host.dtype.kind
    if from_python:
        if kind == "f":
            return _dtypes.get_default_dtype().dtype
        if kind == "c":
            return _dtypes.get_default_dtype().to_complex().dtype
        if kind in "iu":
            return np.dtype(np.int64)
    if kind in "USO":
        raise TypeError(f"can't convert data of type {host.dtype} to a tensor")
    return host.dtype


def _host_data(data):
    """``data`` (nested lists of numbers or 0-d tensors, NumPy data) as a host array, and
    whether it came from Python numbers."""
    if isinstance(data, np.ndarray) or isinstance(data, np.generic):
        return np.array(data, copy=True), False
    if isinstance(data, (list, tuple)):
        flat = list(iter_leaves(data))
        if any(isinstance(v, Tensor) for v in flat):
            arr = np.array(_map_nested(data, lambda v: v.item() if isinstance(v, Tensor) else v))
            dts = [v._data.dtype for v in flat if isinstance(v, Tensor)]
            return arr.astype(np.result_type(*dts)) if arr.dtype.kind == "f" or dts else arr, \
                not dts
        if any(isinstance(v, (np.ndarray, np.generic)) for v in flat):
            return np.array(data), False
    if isinstance(data, (bool, int, float, complex, list, tuple)):
        try:
            return np.array(data), True
        except ValueError as e:
            raise ValueError(f"expected sequence of equal length lists: {e}") from None
    raise TypeError(f"Could not infer dtype of {type(data).__name__}")


def _map_nested(obj, fn):
    if isinstance(obj, (list, tuple)):
        return [_map_nested(o, fn) for o in obj]
    return fn(obj)


def _new_tensor(host: np.ndarray, dev: Device, requires_grad: bool) -> Tensor:
    if requires_grad and host.dtype.kind not in "fc":
        raise RuntimeError(INT_REQUIRES_GRAD)
    t = Tensor._wrap(dev.from_host(host) if dev is not CPU else host, dev)
    t._requires_grad = bool(requires_grad)
    return t


def tensor(data, dtype=None, device=None, requires_grad: bool = False,
           pin_memory: bool = False) -> Tensor:
    """A new tensor holding a copy of ``data`` (numbers, nested lists, NumPy arrays, tensors).

    Python floats give the default dtype (float32), Python ints int64, as in PyTorch.

    >>> import fgrad
    >>> fgrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    tensor([1., 2., 3.], requires_grad=True)
    >>> fgrad.tensor(10, requires_grad=True)
    Traceback (most recent call last):
    RuntimeError: Only Tensors of floating point and complex dtype can require gradients
    """
    if isinstance(data, Tensor):
        src = data.detach()
        dev = _resolve_device(device) if device is not None else src._device
        out = src.to(dev)
        host_dt = _dtypes.to_numpy(dtype) if dtype is not None else out._data.dtype
        out = Tensor._wrap(out._device.xp.array(out._data, dtype=host_dt, copy=True),
                           out._device)
        return out.requires_grad_(requires_grad) if requires_grad else out
    if isinstance(data, (Array, Tracer)):
        data = np.asarray(data)
    host, from_python = _host_data(data)
    dt = _dtypes.to_numpy(dtype) if dtype is not None else _infer_dtype(host, from_python)
    if host.dtype != dt:
        host = host.astype(dt)
    host = host if host.flags.c_contiguous else host.copy()
    return _new_tensor(host, _resolve_device(device), requires_grad)


def as_tensor(data, dtype=None, device=None) -> Tensor:
    """``data`` as a tensor, sharing memory with a NumPy array or tensor when no conversion
    is needed.

    >>> import numpy as np, fgrad
    >>> a = np.array([1.0, 2.0]); t = fgrad.as_tensor(a); a[0] = 5.0; t
    tensor([5., 2.], dtype=fgrad.float64)
    """
    dev = _resolve_device(device) if device is not None else None
    if isinstance(data, Tensor):
        out = data
        if dtype is not None:
            out = out.to(dtype)
        return out.to(dev) if dev is not None else out
    if isinstance(data, np.ndarray) and (dev is None or dev is CPU) and (
            dtype is None or _dtypes.to_numpy(dtype) == data.dtype):
        return from_numpy(data)
    return tensor(data, dtype=dtype, device=device)


asarray = as_tensor


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """A cpu tensor sharing memory with ``ndarray`` (changes to one show in the other).

    >>> import numpy as np, fgrad
    >>> a = np.ones(3); t = fgrad.from_numpy(a); a[0] = 100; t
    tensor([100.,   1.,   1.], dtype=fgrad.float64)
    """
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    _dtypes.from_numpy(ndarray.dtype)
    return Tensor._wrap(ndarray, CPU)


def _float_dtype(dtype):
    return _dtypes.to_numpy(dtype) if dtype is not None else _dtypes.get_default_dtype().dtype


def _filled(size, fill, dtype, device, requires_grad):
    dev = _resolve_device(device)
    shape = C._sizes(size)
    if any(d < 0 for d in shape):
        raise RuntimeError(f"Trying to create tensor with negative dimension "
                           f"{min(shape)}: {list(shape)}")
    host = np.full(shape, fill, dtype=dtype)
    return _new_tensor(host, dev, requires_grad)


def zeros(*size, dtype=None, device=None, requires_grad: bool = False, out=None) -> Tensor:
    """A tensor of zeros (default dtype float32).

    >>> import fgrad
    >>> fgrad.zeros(2)
    tensor([0., 0.])
    """
    return _filled(size, 0, _float_dtype(dtype), device, requires_grad)


def ones(*size, dtype=None, device=None, requires_grad: bool = False, out=None) -> Tensor:
    """A tensor of ones (default dtype float32).

    >>> import fgrad
    >>> fgrad.ones(2, dtype=fgrad.int64)
    tensor([1, 1])
    """
    return _filled(size, 1, _float_dtype(dtype), device, requires_grad)


def empty(*size, dtype=None, device=None, requires_grad: bool = False, out=None) -> Tensor:
    """An uninitialised tensor (fgrad fills it with zeros).

    >>> import fgrad
    >>> fgrad.empty(2, 3).shape
    fgrad.Size([2, 3])
    """
    return _filled(size, 0, _float_dtype(dtype), device, requires_grad)


def full(size, fill_value, *, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """A tensor filled with ``fill_value`` (its dtype from the value, as PyTorch).

    >>> import fgrad
    >>> fgrad.full((2,), 7)
    tensor([7, 7])
    """
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    dt = _dtypes.to_numpy(dtype) if dtype is not None else T.result_type(fill_value)
    return _filled(size, fill_value, dt, device, requires_grad)


def _like(fn, input, dtype, device, requires_grad, *args):
    dt = dtype if dtype is not None else input.dtype
    dev = device if device is not None else input.device
    return fn(*args, tuple(input.shape), dtype=dt, device=dev, requires_grad=requires_grad)


def zeros_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    """Zeros shaped like ``input`` (same dtype and device unless given)."""
    return _like(lambda s, **k: zeros(s, **k), input, dtype, device, requires_grad)


def ones_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    """Ones shaped like ``input`` (same dtype and device unless given).

    >>> import fgrad
    >>> fgrad.ones_like(fgrad.tensor([1, 2]))
    tensor([1, 1])
    """
    return _like(lambda s, **k: ones(s, **k), input, dtype, device, requires_grad)


def empty_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    """An uninitialised (zero) tensor shaped like ``input``."""
    return _like(lambda s, **k: empty(s, **k), input, dtype, device, requires_grad)


def full_like(input, fill_value, *, dtype=None, device=None, requires_grad=False,
              memory_format=None):
    """``fill_value`` everywhere, shaped like ``input``."""
    dt = dtype if dtype is not None else input.dtype
    return full(tuple(input.shape), fill_value, dtype=dt,
                device=device if device is not None else input.device,
                requires_grad=requires_grad)


def eye(n: int, m: int | None = None, *, dtype=None, device=None,
        requires_grad: bool = False) -> Tensor:
    """The identity matrix (``n x m``).

    >>> import fgrad
    >>> fgrad.eye(2)
    tensor([[1., 0.],
            [0., 1.]])
    """
    host = np.eye(n, m if m is not None else n, dtype=_float_dtype(dtype))
    return _new_tensor(host, _resolve_device(device), requires_grad)


def _number(x):
    return x.item() if isinstance(x, Tensor) else x


def arange(start=0, end=None, step=1, *, dtype=None, device=None,
           requires_grad: bool = False) -> Tensor:
    """``[start, end)`` in steps of ``step``: int64 for integers, else the default dtype.

    >>> import fgrad
    >>> fgrad.arange(5)
    tensor([0, 1, 2, 3, 4])
    >>> fgrad.arange(0, 1, 0.25)
    tensor([0.0000, 0.2500, 0.5000, 0.7500])
    """
    start, end, step = _number(start), _number(end), _number(step)
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    if dtype is not None:
        dt = _dtypes.to_numpy(dtype)
    elif all(isinstance(v, (int, np.integer)) for v in (start, end, step)):
        dt = np.dtype(np.int64)
    else:
        dt = _dtypes.get_default_dtype().dtype
    n = max(int(math.ceil((end - start) / step)), 0)
    host = (start + step * np.arange(n, dtype=np.float64)).astype(dt) if dt.kind in "fc" \
        else np.arange(start, end, step, dtype=dt)
    return _new_tensor(host, _resolve_device(device), requires_grad)


def linspace(start, end, steps: int, *, dtype=None, device=None,
             requires_grad: bool = False) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive.

    >>> import fgrad
    >>> fgrad.linspace(0, 1, 5)
    tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
    """
    host = np.linspace(_number(start), _number(end), int(steps)).astype(_float_dtype(dtype))
    return _new_tensor(host, _resolve_device(device), requires_grad)


def logspace(start, end, steps: int, base: float = 10.0, *, dtype=None, device=None,
             requires_grad: bool = False) -> Tensor:
    """``base ** linspace(start, end, steps)``."""
    host = np.logspace(_number(start), _number(end), int(steps), base=base).astype(
        _float_dtype(dtype))
    return _new_tensor(host, _resolve_device(device), requires_grad)


# ============================================================ random numbers ===
_DEFAULT_SEED = 67280421310721      # PyTorch's initial seed
_rng = [np.random.Generator(np.random.Philox(_DEFAULT_SEED)), _DEFAULT_SEED]


def _host_rng() -> np.random.Generator:
    return _rng[0]


def manual_seed(seed: int):
    """Seed the global generator (NumPy's Philox; the values differ from PyTorch's).

    >>> import fgrad
    >>> _ = fgrad.manual_seed(0); a = fgrad.rand(2)
    >>> _ = fgrad.manual_seed(0); bool((a == fgrad.rand(2)).all())
    True
    """
    seed = int(seed)
    _rng[0] = np.random.Generator(np.random.Philox(seed % 2 ** 64))
    _rng[1] = seed
    from .. import cuda
    cuda._seed = seed
    return _rng[0]


def seed() -> int:
    """Seed the global generator from the OS and return the seed."""
    s = int(np.random.SeedSequence().entropy % 2 ** 63)
    manual_seed(s)
    return s


def initial_seed() -> int:
    return _rng[1]


def _random(values, dtype, device, requires_grad):
    return _new_tensor(np.asarray(values).astype(dtype, copy=False),
                       _resolve_device(device), requires_grad)


def rand(*size, generator=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Uniform samples on [0, 1).

    >>> import fgrad
    >>> fgrad.rand(2, 3).shape
    fgrad.Size([2, 3])
    """
    return _random(numpy_rng(generator, _rng[0]).random(C._sizes(size)), _float_dtype(dtype),
                   device, requires_grad)


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Standard normal samples.

    >>> import fgrad
    >>> fgrad.randn(3).dtype
    fgrad.float32
    """
    return _random(numpy_rng(generator, _rng[0]).standard_normal(C._sizes(size)),
                   _float_dtype(dtype), device, requires_grad)


def rand_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    return rand(tuple(input.shape), dtype=dtype or input.dtype, device=device or input.device,
                requires_grad=requires_grad)


def randn_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    return randn(tuple(input.shape), dtype=dtype or input.dtype,
                 device=device or input.device, requires_grad=requires_grad)


def randint(low, high=None, size=None, *, generator=None, dtype=None, device=None,
            requires_grad=False) -> Tensor:
    """Integers in ``[low, high)`` (``randint(high, size)`` too), int64 by default.

    >>> import fgrad
    >>> fgrad.randint(0, 10, (2, 4)).shape
    fgrad.Size([2, 4])
    """
    if size is None:
        if high is None or not isinstance(high, (tuple, list, Size)):
            raise TypeError("randint() missing required argument 'size'")
        low, high, size = 0, low, high
    elif high is None:
        low, high = 0, low
    values = numpy_rng(generator, _rng[0]).integers(int(low), int(high), C._sizes((size,)))
    dt = _dtypes.to_numpy(dtype) if dtype is not None else np.dtype(np.int64)
    return _random(values, dt, device, requires_grad)


def randint_like(input, low=0, high=None, *, dtype=None, device=None, requires_grad=False):
    if high is None:
        low, high = 0, low
    return randint(low, high, tuple(input.shape), dtype=dtype or input.dtype,
                   device=device or input.device)


def randperm(n: int, *, generator=None, dtype=None, device=None,
             requires_grad=False) -> Tensor:
    """A random permutation of ``0 .. n-1`` (int64).

    >>> import fgrad
    >>> sorted(fgrad.randperm(4).tolist())
    [0, 1, 2, 3]
    """
    dt = _dtypes.to_numpy(dtype) if dtype is not None else np.dtype(np.int64)
    return _random(numpy_rng(generator, _rng[0]).permutation(int(n)), dt, device, requires_grad)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, device=None,
           requires_grad=False) -> Tensor:
    """Normal samples: ``normal(mean, std, size)`` with numbers, or element-wise with
    tensors ``mean``/``std``.

    >>> import fgrad
    >>> fgrad.normal(0.0, 1.0, size=(2, 2)).shape
    fgrad.Size([2, 2])
    """
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        m = mean._host() if isinstance(mean, Tensor) else np.asarray(mean)
        s = std._host() if isinstance(std, Tensor) else np.asarray(std)
        like = mean if isinstance(mean, Tensor) else std
        shape = np.broadcast_shapes(m.shape, s.shape)
        values = m + s * _rng[0].standard_normal(shape)
        return _random(values, like._data.dtype, device or like.device, requires_grad)
    if size is None:
        raise TypeError("normal() missing required argument 'size'")
    values = mean + std * _rng[0].standard_normal(C._sizes((size,)))
    return _random(values, _float_dtype(dtype), device, requires_grad)


def bernoulli(input, p=None, *, generator=None) -> Tensor:
    """1 with probability ``input`` (element-wise), else 0."""
    probs = input._host() if p is None else np.full(tuple(input.shape), p)
    values = (_rng[0].random(probs.shape) < probs)
    return _random(values, input._data.dtype, input.device, False)


def multinomial(input, num_samples: int, replacement: bool = False, *, generator=None):
    """Indices drawn from the rows of ``input`` (unnormalised probabilities)."""
    p = input._host().astype(np.float64)
    rows = p.reshape(-1, p.shape[-1])
    out = np.stack([_rng[0].choice(rows.shape[1], num_samples, replace=replacement,
                                   p=r / r.sum()) for r in rows])
    return _random(out.reshape(p.shape[:-1] + (num_samples,)), np.int64, input.device, False)


# ============================================================ torch functions ===
def _grad_fn_key(name, args, kwargs):
    dim_given = len(args) > 1 and name in ("mean", "max", "min", "median", "sum", "squeeze") \
        or "dim" in kwargs
    key = f"{name}_dim" if dim_given and f"{name}_dim" in T.GRAD_FN_NAMES else name
    return T.GRAD_FN_NAMES.get(key)


def _wrap_function(name, fn):
    """``fn`` (from ``ops``) returning tensors, with ``out=`` and PyTorch's grad_fn
    names for composites."""
    named = any(k == name or k.startswith(name + "_") for k in T.GRAD_FN_NAMES)

    def f(*args, out=None, **kwargs):
        if out is None and not _gives_tensors(args, kwargs):
            return fn(*args, **kwargs)       # Arrays in, Arrays out (the functional face)
        since = graph_mark() if named and _grad_mode._state.enabled else None
        result = _to_tensors(fn(*args, **kwargs))
        if since is not None:
            gname = _grad_fn_key(name, args, kwargs)
            if gname is not None:
                first = result[0] if isinstance(result, tuple) and result else result
                name_node(first, gname, since)
        if out is not None:
            return _write_out(out, result)
        return result
    f.__name__ = f.__qualname__ = name
    f.__doc__ = _summary(fn)
    return f


def _gives_tensors(args, kwargs) -> bool:
    """Whether a function called on these arguments returns Tensors: when one is a Tensor
    (also inside a list, as ``cat`` takes), or when none is an Array or a tracer (numbers,
    NumPy data). Given only Arrays, a top-level function returns Arrays."""
    arrays = False
    for a in (*args, *kwargs.values()) if kwargs else args:
        if isinstance(a, Tensor):
            return True
        t = type(a)
        if t is Array or isinstance(a, Tracer):
            arrays = True
        elif t is list or t is tuple:
            for b in a:
                if isinstance(b, Tensor):
                    return True
                arrays = arrays or type(b) is Array or isinstance(b, Tracer)
    return not arrays


def _summary(fn) -> str:
    """The first paragraph of ``fn``'s docstring (its examples run on Arrays, in
    ``fgrad.facade.ops``), for the tensor-returning wrapper."""
    first = (fn.__doc__ or "").split("\n\n")[0].strip()
    return f"{first}\n\nOn tensors, returning tensors (see ``fgrad.facade.ops.{fn.__name__}``)."


def _write_out(out, result):
    if isinstance(out, (tuple, list)):
        for o, r in zip(out, result):
            _write_out(o, r)
        return out
    if tuple(out.shape) != tuple(result.shape):
        out._data = result._data.copy() if hasattr(result._data, "copy") else result._data
        out._vc[0] += 1
        return out
    return out.copy_(result)


FUNCTIONS = {}
for _name in T.__all__:
    if _name in ("result_type", "promote_types"):
        continue
    FUNCTIONS[_name] = _wrap_function(_name, getattr(T, _name))


def result_type(tensor1, tensor2) -> _dtypes.dtype:
    """The dtype of an op over two tensors or numbers (PyTorch's promotion)."""
    return _dtypes.from_numpy(T.result_type(tensor1, tensor2))


def promote_types(type1, type2) -> _dtypes.dtype:
    """PyTorch's ``promote_types`` of two dtypes."""
    return _dtypes.from_numpy(T.promote_types(_dtypes.to_numpy(type1), _dtypes.to_numpy(type2)))


def is_tensor(obj) -> bool:
    return isinstance(obj, Tensor)


def numel(input) -> int:
    return input.numel()


def clone(input) -> Tensor:
    return input.clone()


def _float_along(fn, name, input, dim, dtype):
    """``fn(x, dim)`` of ``input`` as floats (``dtype`` if given), its node named ``name``."""
    x = input.to(dtype) if dtype is not None else P._to_float(input)
    since = graph_mark()
    return name_node(_to_tensors(fn(x, dim)), name, since)


def softmax(input, dim: int, dtype=None) -> Tensor:
    """``exp(x) / sum(exp(x))`` along ``dim``, computed stably (``SoftmaxBackward0``)."""
    from ..nn import functional as F
    return _float_along(F.softmax, "SoftmaxBackward0", input, dim, dtype)


def log_softmax(input, dim: int, dtype=None) -> Tensor:
    """``x - logsumexp(x)`` along ``dim`` (``LogSoftmaxBackward0``)."""
    from ..nn import functional as F
    return _float_along(F.log_softmax, "LogSoftmaxBackward0", input, dim, dtype)


# ============================================================ Tensor methods ===
# in-place variants ``x.add_(y)`` of these functions
INPLACE = ("add sub mul div pow clamp clip exp log log2 log10 log1p expm1 sqrt rsqrt abs neg "
           "sin cos tan tanh sinh cosh asin acos atan sigmoid relu floor ceil round trunc frac "
           "reciprocal square fmod remainder lerp addcmul addcdiv masked_fill scatter "
           "scatter_add atan2 sign true_divide floor_divide tril triu cumsum cumprod "
           "logical_not logical_and logical_or logical_xor bitwise_and bitwise_or bitwise_xor "
           "bitwise_not maximum minimum multiply divide subtract negative addmm addbmm addmv "
           "addr baddbmm arctan2 index_select fix").split()
# functions whose result shares the input's memory (views)
VIEW_METHODS = ("reshape", "view", "t", "transpose", "permute", "squeeze", "unsqueeze",
                "flatten", "unflatten", "narrow", "expand", "expand_as", "diagonal", "unbind",
                "split", "chunk", "movedim", "moveaxis", "swapaxes", "swapdims", "select",
                "reshape_as", "view_as", "ravel", "tensor_split")


def _method(name):
    fn = FUNCTIONS.get(name) or _wrap_function(name, getattr(T, name))
    view = name in VIEW_METHODS

    def method(self, *args, **kwargs):
        if view:
            return self._make_view(lambda s, *a: fn(s, *a, **kwargs), *args)
        return fn(self, *args, **kwargs)
    method.__name__ = method.__qualname__ = name
    method.__doc__ = _summary(getattr(T, name))
    return method


def _inplace_method(name):
    fn = FUNCTIONS.get(name) or getattr(T, name)

    def method(self, *args, **kwargs):
        others = [a for a in args if isinstance(a, Tensor)] + \
                 [v for v in kwargs.values() if isinstance(v, Tensor)]
        return self._inplace(lambda s: fn(s, *args, **kwargs), *others)
    method.__name__ = method.__qualname__ = name + "_"
    method.__doc__ = f"In-place ``{name}``: ``self = {name}(self, ...)``; returns ``self``."
    return method


_UFUNCS = {"add": "add", "sub": "subtract", "mul": "multiply", "div": "divide"}


def _fast_inplace(name, slow):
    """``add_ sub_ mul_ div_`` when nothing is recorded, on a writable NumPy buffer, with a
    Python number or a tensor of the same dtype: one NumPy call with ``out=``, as the
    hand-written loop does. Everything else takes ``slow``."""
    ufunc = getattr(np, _UFUNCS[name])

    def method(self, other, **kwargs):
        d = self._data
        if not kwargs and type(d) is np.ndarray and d.dtype.kind == "f" and \
                not self._will_record(other) and d.flags.writeable:
            t = type(other)
            o = other._data if t is Tensor and other._data.dtype is d.dtype else \
                other if t is float or t is int else None
            if o is not None and (t is not Tensor or type(o) is np.ndarray and
                                  broadcasts_to(o.shape, d.shape)):
                self._check_inplace()
                ufunc(d, o, out=d)
                self._vc[0] += 1
                return self
        return slow(self, other, **kwargs)
    method.__name__ = method.__qualname__ = name + "_"
    method.__doc__ = slow.__doc__
    return method


def _select(input, dim, index):
    return T.squeeze(T.narrow(input, dim, index if index >= 0 else index + input.shape[dim], 1),
                     dim)


def _binary_op(fn, reflected=False):
    if reflected:
        def op(self, other):
            return fn(other, self)
    else:
        def op(self, other):
            return fn(self, other)
    return op


def _fast_binary(prim, fn, reflected=False):
    """An arithmetic operator: a float tensor with a Python number or a tensor of the same
    dtype and device binds ``prim`` at once (PyTorch's promotion is then the identity);
    anything else goes through ``fn`` (full promotion and checks)."""
    # ``2 * b`` is ``b * 2`` (PyTorch's operand order, seen in ``grad_fn.next_functions``)
    swap = reflected and prim.name not in ("add", "mul")

    def op(self, other):
        t = type(other)
        dt = self._data.dtype
        if dt.kind == "f" and (t is float or t is int or (
                t is Tensor and other._data.dtype is dt and other._device is self._device)):
            return _record(prim, (other, self) if swap else (self, other), {})
        return fn(other, self) if swap else fn(self, other)
    return op


def _install_methods():
    for name in T.METHODS:
        if name in Tensor.__dict__:
            continue
        setattr(Tensor, name, _method(name))
    setattr(Tensor, "select", lambda self, dim, index: self._make_view(_select, dim, index))
    for name in INPLACE:
        if hasattr(T, name) and name + "_" not in Tensor.__dict__:
            method = _inplace_method(name)
            setattr(Tensor, name + "_", _fast_inplace(name, method) if name in _UFUNCS
                    else method)
    F = FUNCTIONS
    ops = {"add": F["add"], "sub": F["sub"], "mul": F["mul"], "truediv": F["div"],
           "floordiv": F["floor_divide"], "mod": F["remainder"], "pow": F["pow"],
           "matmul": F["matmul"], "and": F["bitwise_and"], "or": F["bitwise_or"],
           "xor": F["bitwise_xor"]}
    from ..primitives import binary as B
    fast = {"add": B.add_p, "sub": B.sub_p, "mul": B.mul_p, "truediv": B.div_p, "pow": B.pow_p}
    for op, fn in ops.items():
        if op in fast:
            setattr(Tensor, f"__{op}__", _fast_binary(fast[op], fn))
            setattr(Tensor, f"__r{op}__", _fast_binary(fast[op], fn, reflected=True))
        else:
            setattr(Tensor, f"__{op}__", _binary_op(fn))
            setattr(Tensor, f"__r{op}__", _binary_op(fn, reflected=True))
        inplace = {"truediv": "div", "floordiv": "floor_divide", "mod": "remainder",
                   "and": "bitwise_and", "or": "bitwise_or", "xor": "bitwise_xor"}.get(op, op)
        if op != "matmul":
            setattr(Tensor, f"__i{op}__", getattr(Tensor, inplace + "_"))
    for op, name in (("eq", "eq"), ("ne", "ne"), ("lt", "lt"), ("le", "le"), ("gt", "gt"),
                     ("ge", "ge")):
        setattr(Tensor, f"__{op}__", _binary_op(F[name]))
    Tensor.__neg__ = lambda self: F["neg"](self)
    Tensor.__pos__ = lambda self: self
    Tensor.__abs__ = lambda self: F["abs"](self)
    Tensor.__invert__ = lambda self: F["bitwise_not"](self)
    Tensor.__hash__ = lambda self: id(self)


_install_methods()


def _unwrap(t: Tensor):
    return t._value()


def _wrap_leaf(value, original):
    return Tensor._wrap(value)


register_leaf_adapter(Tensor, _unwrap, _wrap_leaf)
