"""``fgrad.random``: JAX-style counter-based random numbers with explicit keys.

**Generator.** Threefry-2x32 (20 rounds; Salmon et al., "Parallel random
numbers: as easy as 1, 2, 3", SC 2011), the generator JAX uses by default,
as the primitive ``threefry2x32`` (``fgrad/primitives/special.py``) over
uint32 arrays. Everything is a pure function of the key, so the same key gives
the same numbers on every run, device and platform, and ``vmap`` over keys
works (the primitive has a batching rule).

**Keys** are raw keys as in ``jax.random.PRNGKey``: an ``fgrad.Array`` of
dtype uint32 and shape (2,). ``key(seed)`` returns the same raw key (JAX's
``key`` returns a typed key; fgrad has no typed keys).

**Bit-exact with JAX** (``jax_enable_x64=True``, ``jax_threefry_partitionable=True``,
JAX's defaults since 0.5 apart from x64): ``key``/``PRNGKey`` (the seed is
taken as a 64-bit integer), ``split``, ``fold_in``, ``bits``, ``uniform`` on
[0, 1) (float16/32/64), ``randint``, ``bernoulli``, ``categorical``,
``permutation`` and ``choice`` (``tests/test_random.py`` checks this against
``jax.random``). Other ``uniform`` ranges agree to 1 ulp (XLA fuses the
multiply-add); ``exponential`` and ``gumbel`` to ~1e-14 (XLA's ``log1p``);
``normal`` and ``truncated_normal`` use ``erf_inv`` as JAX does, but fgrad's
``erf_inv`` differs from XLA's in the last bits (float64: ~1e-14 relative;
float32: ~1e-5 relative, XLA's float32 ``erf_inv`` being the less accurate).

Default dtypes follow JAX with x64 (and NumPy): float64 and int64.
Sampling has no derivative with respect to the key; ``normal(key) * sigma + mu``
is differentiable in ``sigma`` and ``mu`` as usual.

>>> import fgrad
>>> k = fgrad.random.key(0)
>>> k1, k2 = fgrad.random.split(k)
>>> fgrad.random.uniform(k1, (3,)).shape
(3,)
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from . import numpy as fnp
from ._array import Array
from ._axes import normalize_axis
from .primitives import special as _sp
from .primitives import unary as _U
from .transforms.core import Tracer
from .primitives.transfer import device_put

__all__ = ["key", "PRNGKey", "key_data", "split", "fold_in", "bits", "uniform", "normal",
           "randint", "bernoulli", "categorical", "permutation", "choice",
           "truncated_normal", "gumbel", "exponential"]

Shape = Sequence[int] | int
_UINT = {8: np.uint8, 16: np.uint16, 32: np.uint32, 64: np.uint64}


# -------------------------------------------------------------------- keys --
def _describe(x) -> str:
    if isinstance(x, (Array, Tracer, np.ndarray)):
        return f"{type(x).__name__} of dtype {x.dtype} and shape {tuple(x.shape)}"
    return f"{type(x).__name__} {x!r}"


def _check_key(fn: str, k):
    """``k`` as a key Array, or a TypeError naming ``fn``."""
    given = k
    if isinstance(k, np.ndarray) and k.dtype == np.uint32:
        k = fnp.asarray(k)
    if not (isinstance(k, (Array, Tracer)) and k.dtype == np.uint32 and tuple(k.shape) == (2,)):
        raise TypeError(f"fgrad.random.{fn}: expected a PRNG key (uint32 array of shape (2,)), "
                        f"got {_describe(given)}; make one with fgrad.random.key(seed)"
                        + (" (a batch of keys needs fgrad.vmap)" if isinstance(k, (Array, Tracer))
                           and k.dtype == np.uint32 and k.shape[-1:] == (2,) else ""))
    return k


def _shape(shape) -> tuple:
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(s) for s in shape)


def PRNGKey(seed: int, device=None) -> Array:
    """A raw PRNG key from an integer seed: ``[seed >> 32, seed & 0xFFFFFFFF]`` as uint32,
    as ``jax.random.PRNGKey`` with 64-bit seeds.

    >>> PRNGKey(42)
    Array([ 0, 42], dtype=uint32)
    """
    if isinstance(seed, (Array, np.ndarray, np.generic)):
        if np.dtype(seed.dtype).kind not in "iu" or seed.shape != ():
            raise TypeError(f"fgrad.random.key: the seed must be an integer scalar, "
                            f"got {_describe(seed)}")
        seed = int(seed)
    if isinstance(seed, Tracer):
        raise TypeError("fgrad.random.key: the seed must be a concrete integer, got a traced "
                        "value; create keys outside the transform (or use fold_in)")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"fgrad.random.key: the seed must be an integer, got {_describe(seed)}")
    if not -2 ** 63 <= seed < 2 ** 64:
        raise OverflowError(f"fgrad.random.key: seed {seed} does not fit in 64 bits")
    seed &= 0xFFFFFFFFFFFFFFFF
    return fnp.asarray(np.array([seed >> 32, seed & 0xFFFFFFFF], np.uint32), device=device)


def key(seed: int, device=None) -> Array:
    """A PRNG key from an integer seed (the same raw uint32 key as ``PRNGKey``).

    >>> key(0)
    Array([0, 0], dtype=uint32)
    """
    return PRNGKey(seed, device=device)


def key_data(k) -> Array:
    """The uint32 data of a key (keys are raw, so the key itself).

    >>> key_data(key(1))
    Array([0, 1], dtype=uint32)
    """
    return _check_key("key_data", k)


def _threefry_blocks(k, shape):
    """Threefry of the key over the counters 0 .. prod(shape) - 1 (64-bit, split in two words)."""
    n = math.prod(shape)
    if n >= 2 ** 32:
        raise ValueError(f"fgrad.random: cannot draw {n} values at once (at most 2**32 - 1)")
    dev = k.device
    lo = fnp.reshape(fnp.arange(n, dtype=np.uint32, device=dev), shape)
    hi = fnp.zeros(shape, np.uint32, device=dev)
    return _sp.threefry2x32_p.bind(k[0], k[1], hi, lo)


def split(key: Any, num: int | Sequence[int] = 2) -> Array:
    """``num`` new keys (shape ``(num, 2)``, or ``(*num, 2)`` for a shape), independent of
    each other and of ``key``; as ``jax.random.split``.

    >>> split(key(0)).shape
    (2, 2)
    """
    k = _check_key("split", key)
    b1, b2 = _threefry_blocks(k, _shape(num))
    return fnp.stack([b1, b2], axis=-1)


def fold_in(key: Any, data: int) -> Array:
    """A new key from ``key`` and an integer ``data`` (e.g. a step number); as
    ``jax.random.fold_in``.

    >>> fold_in(key(0), 1).shape
    (2,)
    """
    k = _check_key("fold_in", key)
    if isinstance(data, (int, np.integer)):
        d = fnp.asarray(np.array([int(data) & 0xFFFFFFFF], np.uint32), device=k.device)
    else:
        d = fnp.reshape(_U.convert(fnp.asarray(data), np.uint32), (1,))
    zero = fnp.zeros((1,), np.uint32, device=k.device)
    # threefry_2x32(key, seed(data)) with seed(data) = [0, data]: one block, x = ([0], [data])
    b1, b2 = _sp.threefry2x32_p.bind(k[0], k[1], zero, d)
    return fnp.concatenate([b1, b2])


def bits(key: Any, shape: Shape = (), dtype=np.uint64) -> Array:
    """Uniform random bits of an unsigned dtype (8, 16, 32 or 64 bits; uint64 by default,
    as ``jax.random.bits`` with x64).

    >>> bits(key(0), (2,), dtype=fnp.uint32).dtype
    dtype('uint32')
    """
    k = _check_key("bits", key)
    dtype = np.dtype(dtype)
    if dtype.kind != "u":
        raise TypeError(f"fgrad.random.bits: dtype must be unsigned, got {dtype}")
    return _random_bits(k, dtype.itemsize * 8, _shape(shape))


def _random_bits(k, bit_width, shape):
    b1, b2 = _threefry_blocks(k, shape)
    if bit_width == 64:
        hi = _U.convert(b1, np.uint64)
        return fnp.bitwise_or(fnp.left_shift(hi, 32), _U.convert(b2, np.uint64))
    out = fnp.bitwise_xor(b1, b2)
    return out if bit_width == 32 else _U.convert(out, _UINT[bit_width])


def _float_dtype(fn, dtype):
    dtype = np.dtype(np.float64 if dtype is None else dtype)
    if dtype.kind != "f":
        raise TypeError(f"fgrad.random.{fn}: dtype must be a floating-point dtype, got {dtype}")
    return dtype


def _bound(v, dtype):
    """A bound as a Python float rounded to ``dtype`` (weak) or an Array converted to it."""
    if isinstance(v, (int, float, np.integer, np.floating)):
        return float(np.asarray(v, dtype))
    return _U.convert(fnp.asarray(v), dtype)


def _uniform01(k, shape, dtype):
    """Floats in [0, 1) from the top mantissa bits: [1, 2) by bit pattern, minus 1 (JAX's way)."""
    finfo = np.finfo(dtype)
    nbits, nmant = finfo.bits, finfo.nmant
    rng_bits = nbits if nmant >= 8 else 8
    b = _random_bits(k, rng_bits, shape)
    if rng_bits != nbits:
        b = _U.convert(b, _UINT[nbits])
    one = int(np.array(1.0, dtype).view(_UINT[nbits]))
    fb = fnp.bitwise_or(fnp.right_shift(b, rng_bits - nmant), one)
    return _sp.bitcast_convert_type_p.bind(fb, dtype=dtype) - 1.0


def uniform(key: Any, shape: Shape = (), dtype=None, minval=0.0, maxval=1.0) -> Array:
    """Uniform floats in [minval, maxval); as ``jax.random.uniform`` (float64 by default).

    >>> x = uniform(key(0), (1000,))
    >>> bool((x >= 0).all() and (x < 1).all())
    True
    """
    k = _check_key("uniform", key)
    dtype = _float_dtype("uniform", dtype)
    shape = _shape(shape)
    lo, hi = _bound(minval, dtype), _bound(maxval, dtype)
    span = float(np.asarray(hi, dtype) - np.asarray(lo, dtype)) if (
        isinstance(lo, float) and isinstance(hi, float)) else hi - lo
    return fnp.maximum(lo, _uniform01(k, shape, dtype) * span + lo)


def normal(key: Any, shape: Shape = (), dtype=None) -> Array:
    """Standard normal samples, ``sqrt(2) erf_inv(u)`` for ``u`` uniform in (-1, 1);
    as ``jax.random.normal``.

    >>> normal(key(0), (2, 3)).shape
    (2, 3)
    """
    k = _check_key("normal", key)
    dtype = _float_dtype("normal", dtype)
    lo = float(np.nextafter(np.array(-1.0, dtype), np.array(0.0, dtype)))
    u = uniform(k, shape, dtype, lo, 1.0)
    return math.sqrt(2.0) * _sp.erf_inv_p.bind(u)


def truncated_normal(key: Any, lower, upper, shape: Shape | None = None, dtype=None) -> Array:
    """Standard normal samples conditioned on ``lower < x < upper``; as
    ``jax.random.truncated_normal``.

    >>> x = truncated_normal(key(0), -1.0, 2.0, (100,))
    >>> bool((x > -1).all() and (x < 2).all())
    True
    """
    k = _check_key("truncated_normal", key)
    dtype = _float_dtype("truncated_normal", dtype)
    lower, upper = _bound(lower, dtype), _bound(upper, dtype)
    if shape is None:
        shape = np.broadcast_shapes(np.shape(lower), np.shape(upper))
    sqrt2 = math.sqrt(2.0)
    a = _sp.erf_p.bind(fnp.asarray(lower / sqrt2, dtype=dtype) if isinstance(lower, float)
                       else lower / sqrt2)
    b = _sp.erf_p.bind(fnp.asarray(upper / sqrt2, dtype=dtype) if isinstance(upper, float)
                       else upper / sqrt2)
    if k.device is not a.device:
        a, b = device_put(a, k.device), device_put(b, k.device)
    u = uniform(k, shape, dtype, a, b)
    out = sqrt2 * _sp.erf_inv_p.bind(u)
    lo = fnp.nextafter(fnp.stop_gradient(fnp.asarray(lower, dtype=dtype)), np.inf)
    hi = fnp.nextafter(fnp.stop_gradient(fnp.asarray(upper, dtype=dtype)), -np.inf)
    if k.device is not lo.device:
        lo, hi = device_put(lo, k.device), device_put(hi, k.device)
    return fnp.clip(out, lo, hi)


def exponential(key: Any, shape: Shape = (), dtype=None) -> Array:
    """Exponential(1) samples ``-log1p(-u)``; as ``jax.random.exponential``.

    >>> bool((exponential(key(0), (100,)) >= 0).all())
    True
    """
    k = _check_key("exponential", key)
    dtype = _float_dtype("exponential", dtype)
    return -fnp.log1p(-uniform(k, shape, dtype))


def gumbel(key: Any, shape: Shape = (), dtype=None) -> Array:
    """Standard Gumbel samples ``-log(-log(u))`` (JAX's default "low" mode).

    >>> gumbel(key(0), (3,)).shape
    (3,)
    """
    k = _check_key("gumbel", key)
    dtype = _float_dtype("gumbel", dtype)
    tiny = float(np.finfo(dtype).tiny)
    return -fnp.log(-fnp.log(uniform(k, shape, dtype, tiny, 1.0)))


def bernoulli(key: Any, p=0.5, shape: Shape | None = None) -> Array:
    """Booleans that are True with probability ``p``: ``uniform(key, shape) < p``; as
    ``jax.random.bernoulli``.

    >>> bernoulli(key(0), 0.5, (4,)).dtype
    dtype('bool')
    """
    k = _check_key("bernoulli", key)
    if isinstance(p, (int, float)):
        dtype, pshape = np.dtype(np.float64), ()
    else:
        p = fnp.asarray(p)
        dtype = p.dtype if p.dtype.kind == "f" else np.dtype(np.float64)
        pshape = tuple(p.shape)
    shape = pshape if shape is None else _shape(shape)
    return fnp.less(uniform(k, shape, dtype), p)


def _clip_int(v: int, dtype) -> int:
    info = np.iinfo(dtype)
    return min(max(int(v), int(info.min)), int(info.max))


def randint(key: Any, shape: Shape, minval: int, maxval: int, dtype=np.int64) -> Array:
    """Integers uniform in [minval, maxval) (with JAX's small modulo bias for spans that
    are not powers of two); as ``jax.random.randint``. Bounds are Python integers.

    >>> x = randint(key(0), (100,), 0, 10)
    >>> bool((x >= 0).all() and (x < 10).all())
    True
    """
    k = _check_key("randint", key)
    dtype = np.dtype(dtype)
    if dtype.kind not in "iu":
        raise TypeError(f"fgrad.random.randint: dtype must be an integer dtype, got {dtype}")
    if isinstance(minval, (Array, Tracer)) or isinstance(maxval, (Array, Tracer)):
        raise TypeError("fgrad.random.randint: minval and maxval must be Python integers")
    shape = _shape(shape)
    nbits = dtype.itemsize * 8
    udtype = _UINT[nbits]
    out_of_range = int(maxval) > int(np.iinfo(dtype).max)
    lo, hi = _clip_int(minval, dtype), _clip_int(maxval, dtype)
    k1, k2 = split(k)
    higher, lower = _random_bits(k1, nbits, shape), _random_bits(k2, nbits, shape)
    # the span as the unsigned dtype, as JAX computes it (wrapping)
    span = (hi - lo) % (2 ** nbits) if hi > lo else 1
    if out_of_range and hi > lo:
        span = (span + 1) % (2 ** nbits)
    if span == 0:                         # the whole range of the dtype: every bit pattern
        offset = lower
    else:
        mult = (2 ** (nbits // 2)) % span
        mult = (mult * mult) % span
        # (higher * 2**nbits + lower) mod span, without overflow
        offset = fnp.remainder(fnp.remainder(higher, span) * mult
                               + fnp.remainder(lower, span), span)
    return _U.convert(offset, dtype) + lo


def _shuffle(k, x, axis):
    """JAX's sort-based shuffle: stable sort by fresh 32-bit keys, ``ceil(3 ln n / ln 2^32)`` rounds."""
    n = max(1, math.prod(x.shape))
    rounds = int(np.ceil(3 * np.log(n) / np.log(np.iinfo(np.uint32).max)))
    for _ in range(rounds):
        k, sub = split(k)
        sort_keys = _random_bits(sub, 32, tuple(x.shape))
        order = _sp.stable_argsort_p.bind(sort_keys, axis=axis)
        x = fnp.take_along_axis(x, order, axis=axis)
    return x


def permutation(key: Any, x, axis: int = 0, independent: bool = False) -> Array:
    """A random permutation of ``arange(x)`` (an int) or of ``x`` along ``axis``
    (``independent=True`` shuffles each slice separately); as ``jax.random.permutation``.

    >>> sorted(permutation(key(0), 5).tolist())
    [0, 1, 2, 3, 4]
    """
    k = _check_key("permutation", key)
    if isinstance(x, (int, np.integer)):
        return _shuffle(k, fnp.arange(int(x), device=k.device), 0)
    x = fnp.asarray(x)
    if x.ndim == 0:
        raise TypeError("fgrad.random.permutation: x must be an int or an array with ndim >= 1")
    axis = normalize_axis(axis, x.ndim, "permutation")
    if independent or x.ndim == 1:
        return _shuffle(k, x, axis)
    ind = _shuffle(k, fnp.arange(x.shape[axis], device=k.device), 0)
    return fnp.take(x, ind, axis=axis)


def categorical(key: Any, logits, axis: int = -1, shape: Shape | None = None) -> Array:
    """Indices drawn with probabilities ``softmax(logits, axis)`` (the Gumbel-max trick);
    as ``jax.random.categorical``.

    >>> int(categorical(key(0), fnp.asarray([-1e9, 0.0, -1e9])))
    1
    """
    k = _check_key("categorical", key)
    logits = fnp.asarray(logits)
    nd = logits.ndim
    axis = normalize_axis(axis, nd, "categorical") - nd
    batch_shape = tuple(np.delete(np.array(logits.shape, dtype=np.int64), axis))
    batch_shape = tuple(int(s) for s in batch_shape)
    shape = batch_shape if shape is None else _shape(shape)
    prefix = shape[:len(shape) - len(batch_shape)]
    logits_shape = list(shape[len(shape) - len(batch_shape):])
    logits_shape.insert(axis % nd, logits.shape[axis])
    dtype = logits.dtype if logits.dtype.kind == "f" else np.dtype(np.float64)
    g = gumbel(k, (*prefix, *logits_shape), dtype)
    lg = fnp.reshape(logits, (1,) * len(prefix) + tuple(logits.shape))
    return fnp.argmax(g + lg, axis=axis)


def choice(key: Any, a, shape: Shape = (), replace: bool = True, p=None, axis: int = 0) -> Array:
    """Random draws from ``arange(a)`` (an int) or from ``a`` along ``axis``, optionally
    weighted by ``p`` and without replacement; as ``jax.random.choice``.

    >>> choice(key(0), 10, (3,), replace=False).shape
    (3,)
    """
    k = _check_key("choice", key)
    shape = _shape(shape)
    if isinstance(a, (int, np.integer)):
        arr, n = None, int(a)
    else:
        arr = fnp.asarray(a)
        if arr.ndim == 0:
            arr, n = None, int(arr)
        else:
            axis = axis % arr.ndim
            n = arr.shape[axis]
    n_draws = math.prod(shape)
    if n_draws == 0:
        return fnp.zeros(shape, np.int64) if arr is None else fnp.take(
            arr, fnp.zeros((0,), np.int64), axis=axis)
    if n == 0:
        raise ValueError("fgrad.random.choice: a must be greater than 0 unless no samples are taken")
    if not replace and n_draws > n:
        raise ValueError(f"fgrad.random.choice: cannot take a larger sample ({n_draws}) than "
                         f"the population ({n}) when replace=False")
    if p is None:
        if replace:
            ind = randint(k, shape, 0, n)
            result = ind if arr is None else fnp.take(arr, ind, axis=axis)
        else:
            perm = permutation(k, n if arr is None else arr, axis)
            idx = (slice(None),) * (0 if arr is None else axis) + (slice(n_draws),)
            result = perm[idx]
    else:
        p = fnp.asarray(p)
        if tuple(p.shape) != (n,):
            raise ValueError(f"fgrad.random.choice: p must have shape ({n},), got {tuple(p.shape)}")
        if replace:
            cum = fnp.cumsum(p)
            r = cum[-1] * (1 - uniform(k, shape, dtype=cum.dtype))
            ind = fnp.astype(fnp.searchsorted(cum, r), np.int64)
        else:
            # Gumbel top-k: the n_draws largest of log p + Gumbel noise
            g = gumbel(k, (n,), p.dtype) + fnp.log(p)
            ind = _sp.stable_argsort_p.bind(-g, axis=0)[:n_draws]
        result = ind if arr is None else fnp.take(arr, ind, axis=axis)
    if arr is None:
        return fnp.reshape(result, shape)
    out_shape = tuple(arr.shape[:axis]) + shape + tuple(arr.shape[axis + 1:])
    return fnp.reshape(result, out_shape)
