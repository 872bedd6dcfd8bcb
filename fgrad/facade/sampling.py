"""Random sampling on the host for the facade (PyTorch's ``manual_seed seed rand randn randint
randperm normal bernoulli multinomial``): NumPy's Philox generator, seeded as PyTorch seeds.

>>> import fgrad
>>> _ = fgrad.manual_seed(0); fgrad.rand(2).shape
fgrad.Size([2])
"""
from __future__ import annotations

import warnings

import numpy as np
from .. import _dtypes
from .ops import _common as C
from .size import Size
from .tensor_base import TensorBase
from .generator import numpy_rng
from .. import cuda
from .creation import _float_dtype, _new_tensor, _resolve_device
from ..transforms.core import staging_active


# ============================================================ random numbers ===
_DEFAULT_SEED = 67280421310721      # PyTorch's initial seed
_rng = [np.random.Generator(np.random.Philox(_DEFAULT_SEED)), _DEFAULT_SEED]


TRACED_DRAW = ("random numbers drawn while a function is staged (fgrad.jit, make_jaxpr, a "
               "lax body) are constants of the staged program: every call reuses them (dropout "
               "keeps one mask). Draw outside the staged function, or use fgrad.random with a "
               "key argument.")


def _host_rng() -> np.random.Generator:
    """The global generator every facade draw (``rand``, ``dropout``, ``normal_`` ...) takes
    its numbers from; warns when the numbers would be frozen into a staged program."""
    if staging_active():
        warnings.warn(TRACED_DRAW, stacklevel=3)
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


def rand(*size, generator=None, dtype=None, device=None, requires_grad=False) -> TensorBase:
    """Uniform samples on [0, 1).

    >>> import fgrad
    >>> fgrad.rand(2, 3).shape
    fgrad.Size([2, 3])
    """
    return _random(numpy_rng(generator, _rng[0]).random(C._sizes(size)), _float_dtype(dtype),
                   device, requires_grad)


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False) -> TensorBase:
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
            requires_grad=False) -> TensorBase:
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
             requires_grad=False) -> TensorBase:
    """A random permutation of ``0 .. n-1`` (int64).

    >>> import fgrad
    >>> sorted(fgrad.randperm(4).tolist())
    [0, 1, 2, 3]
    """
    dt = _dtypes.to_numpy(dtype) if dtype is not None else np.dtype(np.int64)
    return _random(numpy_rng(generator, _rng[0]).permutation(int(n)), dt, device, requires_grad)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, device=None,
           requires_grad=False) -> TensorBase:
    """Normal samples: ``normal(mean, std, size)`` with numbers, or element-wise with
    tensors ``mean``/``std``.

    >>> import fgrad
    >>> fgrad.normal(0.0, 1.0, size=(2, 2)).shape
    fgrad.Size([2, 2])
    """
    if isinstance(mean, TensorBase) or isinstance(std, TensorBase):
        m = mean._host() if isinstance(mean, TensorBase) else np.asarray(mean)
        s = std._host() if isinstance(std, TensorBase) else np.asarray(std)
        like = mean if isinstance(mean, TensorBase) else std
        shape = np.broadcast_shapes(m.shape, s.shape)
        values = m + s * _rng[0].standard_normal(shape)
        return _random(values, like._data.dtype, device or like.device, requires_grad)
    if size is None:
        raise TypeError("normal() missing required argument 'size'")
    values = mean + std * _rng[0].standard_normal(C._sizes((size,)))
    return _random(values, _float_dtype(dtype), device, requires_grad)


def bernoulli(input, p=None, *, generator=None) -> TensorBase:
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
