"""Reductions with PyTorch's semantics (``sum mean var std max min norm logsumexp`` ...):
``dim``/``keepdim``, PyTorch's dtypes, ``max(dim)`` returning ``(values, indices)``.
"""
from __future__ import annotations

import math
import numpy as np
from ... import numpy as fnp
from ...primitives import reductions as R, shape as S
from ...transforms.core import bind
from ..promotion import _arr, _cast, _dt, _np_dtype, _to_float
from ._common import (public_names, _dims, _dtype_name, _keep, _numel, _pick, _wrap_dim,
    _zero_index, return_types)
from .elementwise import abs, maximum, minimum


def _sum_dtype(x, dtype):
    if dtype is not None:
        return _np_dtype(dtype)
    dt = _dt(x)
    return np.dtype(np.int64) if dt.kind in "biu" else dt


def sum(input, dim=None, keepdim: bool = False, *, dtype=None):
    """Sum over ``dim`` (int, tuple, or all); integers and bools sum as int64.

    >>> import fgrad.numpy as fnp
    >>> sum(fnp.asarray([[1.0, 2.0], [3.0, 4.0]]), dim=1, keepdim=True)
    Array([[3.],
           [7.]])
    """
    x = _arr(input)
    x = _cast(x, _sum_dtype(x, dtype))
    axes = _dims(dim, x.ndim)
    return _keep(R.reduce_sum(x, axes), x.shape, axes, keepdim)


def prod(input, dim=None, keepdim: bool = False, *, dtype=None):
    """Product over ``dim`` (one int, or all); integers and bools multiply as int64.

    >>> import fgrad.numpy as fnp
    >>> prod(fnp.asarray([[1.0, 2.0], [3.0, 4.0]]), 0)
    Array([3., 8.])
    """
    x = _arr(input)
    x = _cast(x, _sum_dtype(x, dtype))
    axes = _dims(dim, x.ndim)
    if not axes:
        return x
    return _keep(bind(R.reduce_prod_p, x, axes=axes), x.shape, axes, keepdim)


def _require_float(name, x, dtype=None):
    dt = _np_dtype(dtype) if dtype is not None else _dt(x)
    if dt.kind not in "fc":
        raise RuntimeError(f"{name}(): could not infer output dtype. Input dtype must be either "
                           f"a floating point or complex dtype. Got: {_dtype_name(dt)}")
    return _cast(x, dt)


def mean(input, dim=None, keepdim: bool = False, *, dtype=None):
    """Arithmetic mean over ``dim``; integer inputs are an error (as PyTorch) unless
    ``dtype`` is a float dtype.

    >>> import fgrad.numpy as fnp
    >>> mean(fnp.asarray([[1.0, 2.0], [3.0, 4.0]]), dim=0)
    Array([2., 3.])
    """
    x = _require_float("mean", _arr(input), dtype)
    axes = _dims(dim, x.ndim)
    n = math.prod([x.shape[a] for a in axes])
    s = _keep(R.reduce_sum(x, axes), x.shape, axes, keepdim)
    return s / n if n else s * np.nan


def _var_args(dim, unbiased, correction, keepdim):
    """PyTorch's overloads: ``var(x, unbiased)``, ``var(x, dim, unbiased, keepdim)``,
    ``var(x, dim, *, correction, keepdim)``."""
    if isinstance(dim, bool):             # var(x, True)
        dim, unbiased = None, dim
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    elif unbiased is not None:
        raise RuntimeError("var: cannot pass both unbiased and correction")
    return dim, correction, keepdim


def var(input, dim=None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction=None):
    """Variance over ``dim``, unbiased by default (``correction=1``), as ``torch.var``.

    >>> import fgrad.numpy as fnp
    >>> var(fnp.asarray([1.0, 2.0, 3.0]))
    Array(1.)
    """
    x = _arr(input)
    if _dt(x).kind not in "fc":
        raise RuntimeError("std and var only support floating point and complex dtypes")
    dim, correction, keepdim = _var_args(dim, unbiased, correction, keepdim)
    axes = _dims(dim, x.ndim)
    n = math.prod([x.shape[a] for a in axes])
    d = x - mean(x, axes, keepdim=True)
    sq = d * d if _dt(x).kind != "c" else fnp.real(d * fnp.conj(d))
    s = _keep(R.reduce_sum(sq, axes), x.shape, axes, keepdim)
    denom = n - correction
    return s / denom if denom > 0 else s * np.inf if denom == 0 and n else s * np.nan


def std(input, dim=None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction=None):
    """Standard deviation over ``dim``, unbiased by default, as ``torch.std``.

    >>> import fgrad.numpy as fnp
    >>> std(fnp.asarray([1.0, 2.0, 3.0]))
    Array(1.)
    """
    return fnp.sqrt(var(input, dim, unbiased, keepdim, correction=correction))


def var_mean(input, dim=None, unbiased: bool | None = None, keepdim: bool = False, *,
             correction=None):
    """``(var(...), mean(...))`` over the same ``dim``.

    >>> import fgrad.numpy as fnp
    >>> var_mean(fnp.asarray([1.0, 3.0]))
    (Array(2.), Array(2.))
    """
    d, c, k = _var_args(dim, unbiased, correction, keepdim)
    return var(input, d, keepdim=k, correction=c), mean(input, d, keepdim=k)


def std_mean(input, dim=None, unbiased: bool | None = None, keepdim: bool = False, *,
             correction=None):
    """``(std(...), mean(...))`` over the same ``dim``.

    >>> import fgrad.numpy as fnp
    >>> std_mean(fnp.asarray([1.0, 3.0]))[1]
    Array(2.)
    """
    d, c, k = _var_args(dim, unbiased, correction, keepdim)
    return std(input, d, keepdim=k, correction=c), mean(input, d, keepdim=k)


def _nonempty(name, x, axes, dim_given):
    if not dim_given and _numel(x) == 0:
        raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                           f"input.numel() == 0. Specify the reduction dim with the 'dim' "
                           f"argument.")
    for a in axes:
        if x.shape[a] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {a} to have non-zero size.")


def _extreme(name, prim, arg_fn, rtype):
    def f(input, dim=None, keepdim: bool = False):
        x = _arr(input)
        if dim is not None and not isinstance(dim, (int, np.integer)):   # max(a, b)
            return (maximum if name == "max" else minimum)(x, dim)
        if dim is None:
            _nonempty(name, x, (), False)
            return bind(prim, x, axes=tuple(range(x.ndim))) if x.ndim else x
        d = _wrap_dim(dim, x.ndim)
        if x.ndim == 0:
            return rtype(x, _zero_index(x))
        _nonempty(name, x, (d,), True)
        idx = bind(arg_fn, x, axis=d)
        idx_k = S.expand_dims(idx, (d,))
        values = _pick(x, idx_k, d)
        if keepdim:
            return rtype(S.expand_dims(values, (d,)), idx_k)
        return rtype(values, idx)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"``{name}(input)``: the {name}imum (ties share the gradient); "
                 f"``{name}(input, dim, keepdim)``: ``(values, indices)`` (the gradient goes to "
                 f"the index); ``{name}(input, other)``: ``{name}imum``.\n\n"
                 f">>> import fgrad.numpy as fnp\n>>> {name}(fnp.asarray([[1.0, 5.0], [7.0, 2.0]]), "
                 f"dim=0).values.shape\n(2,)")
    return f


max = _extreme("max", R.reduce_max_p, R.argmax_p, return_types.max)
min = _extreme("min", R.reduce_min_p, R.argmin_p, return_types.min)


def amax(input, dim=(), keepdim: bool = False):
    """Maximum over ``dim`` (all by default); ties share the gradient evenly.

    >>> import fgrad.numpy as fnp
    >>> amax(fnp.asarray([[1.0, 5.0], [7.0, 2.0]]), dim=1)
    Array([5., 7.])
    """
    x = _arr(input)
    axes = _dims(dim, x.ndim)
    _nonempty("amax", x, axes, True)
    return _keep(bind(R.reduce_max_p, x, axes=axes), x.shape, axes, keepdim) if axes else x


def amin(input, dim=(), keepdim: bool = False):
    """Minimum over ``dim`` (all by default); ties share the gradient evenly.

    >>> import fgrad.numpy as fnp
    >>> amin(fnp.asarray([[1.0, 5.0], [7.0, 2.0]]), dim=1)
    Array([1., 2.])
    """
    x = _arr(input)
    axes = _dims(dim, x.ndim)
    _nonempty("amin", x, axes, True)
    return _keep(bind(R.reduce_min_p, x, axes=axes), x.shape, axes, keepdim) if axes else x


def _argext(name, prim):
    def f(input, dim=None, keepdim: bool = False):
        x = _arr(input)
        if dim is None:
            _nonempty(name, x, (), False)
            out = bind(prim, S.reshape(x, (_numel(x),)), axis=0)
            return S.reshape(out, (1,) * x.ndim) if keepdim else out
        d = _wrap_dim(dim, x.ndim)
        if x.ndim == 0:
            return _zero_index(x)
        _nonempty(name, x, (d,), True)
        return _keep(bind(prim, x, axis=d), x.shape, (d,), keepdim)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"Index of the {name[3:]}imum along ``dim`` (of the flattened input if "
                 f"None), int64.\n\n>>> import fgrad.numpy as fnp\n"
                 f">>> {name}(fnp.asarray([[1.0, 5.0], [7.0, 2.0]]), dim=1).shape\n(2,)")
    return f


argmax = _argext("argmax", R.argmax_p)
argmin = _argext("argmin", R.argmin_p)


def _scan(name, prim):
    def f(input, dim, *, dtype=None):
        x = _arr(input)
        x = _cast(x, _sum_dtype(x, dtype))
        if x.ndim == 0:
            _wrap_dim(dim, 0)
            return x
        return bind(prim, x, axis=_wrap_dim(dim, x.ndim))
    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"Cumulative {name[3:]} along ``dim`` (integers as int64).\n\n"
                 f">>> import fgrad.numpy as fnp\n>>> {name}(fnp.asarray([1.0, 2.0, 3.0]), 0)"
                 f".shape\n(3,)")
    return f


cumsum = _scan("cumsum", R.cumsum_p)
cumprod = _scan("cumprod", R.cumprod_p)


def logsumexp(input, dim, keepdim: bool = False):
    """``log(sum(exp(input), dim))`` computed stably (max subtracted; infinities handled).

    >>> import fgrad.numpy as fnp
    >>> logsumexp(fnp.asarray([0.0, 0.0]), 0)
    Array(0.69314718)
    """
    x = _to_float(input)
    axes = _dims(dim, x.ndim)
    if not axes:
        return x
    m = fnp.stop_gradient(bind(R.reduce_max_p, x, axes=axes))
    m = fnp.where(fnp.isfinite(m), m, 0)
    mk = S.reshape(m, R._kept_shape(tuple(x.shape), axes))
    out = fnp.log(R.reduce_sum(fnp.exp(x - mk), axes)) + m
    return _keep(out, x.shape, axes, keepdim)


def _safe_root(s, p: float = 2.0):
    """``s ** (1/p)`` with derivative 0 at s == 0 (PyTorch's norm at the zero vector)."""
    zero = s == 0
    safe = fnp.where(zero, 1, s)
    return fnp.where(zero, 0, fnp.sqrt(safe) if p == 2 else safe ** (1.0 / p))


def _vector_norm(x, p, axes, keepdim):
    ax = abs(x)
    if p == 2:
        sq = ax * ax if _dt(x).kind != "c" else fnp.real(x * fnp.conj(x))
        out = _safe_root(R.reduce_sum(sq, axes))
    elif p == math.inf:
        out = bind(R.reduce_max_p, ax, axes=axes)
    elif p == -math.inf:
        out = bind(R.reduce_min_p, ax, axes=axes)
    elif p == 0:
        out = R.reduce_sum(_cast(ax != 0, _dt(ax)), axes)
    elif p == 1:
        out = R.reduce_sum(ax, axes)
    else:
        # |x|^p has derivative 0 at x == 0 for p > 1; the root is taken safely at 0
        out = _safe_root(R.reduce_sum(ax ** p, axes), p)
    return _keep(out, x.shape, axes, keepdim)


def norm(input, p="fro", dim=None, keepdim: bool = False, dtype=None):
    """The vector p-norm over ``dim`` (all elements by default): ``p`` a number,
    ``inf``, ``-inf``, 0, or ``'fro'``; ``'nuc'`` with two dims is the nuclear norm.

    >>> import fgrad.numpy as fnp
    >>> norm(fnp.asarray([3.0, 4.0]))
    Array(5.)
    """
    x = _arr(input)
    if dtype is not None:
        x = _cast(x, _np_dtype(dtype))
    if _dt(x).kind not in "fc":
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {_dtype_name(_dt(x))}")
    axes = _dims(dim, x.ndim)
    if p == "fro":
        p = 2
    elif p == "nuc":
        if len(axes) != 2:
            raise RuntimeError("linalg.matrix_norm: dim must be a 2-tuple. Got " +
                               " ".join(map(str, axes)))
        xm = fnp.moveaxis(fnp.moveaxis(x, axes[0], -2), axes[1] if axes[1] > axes[0] else
                          axes[1], -1)
        out = R.reduce_sum(fnp.linalg.svd(xm, compute_uv=False), (xm.ndim - 2,))
        if keepdim:
            out = S.expand_dims(out, axes)
        return out
    elif isinstance(p, str):
        raise RuntimeError(f"norm: unsupported p={p!r}")
    return _vector_norm(x, float(p), axes, keepdim)


def all(input, dim=None, keepdim: bool = False):
    """True where every element over ``dim`` is nonzero.

    >>> import fgrad.numpy as fnp
    >>> all(fnp.asarray([[True, False], [True, True]]), dim=1)
    Array([False,  True])
    """
    x = _arr(input)
    axes = _dims(dim, x.ndim)
    b = x if _dt(x) == np.bool_ else x != 0
    return _keep(bind(R.reduce_and_p, b, axes=axes), x.shape, axes, keepdim) if axes else b


def any(input, dim=None, keepdim: bool = False):
    """True where some element over ``dim`` is nonzero.

    >>> import fgrad.numpy as fnp
    >>> any(fnp.asarray([[True, False], [False, False]]), dim=1)
    Array([ True, False])
    """
    x = _arr(input)
    axes = _dims(dim, x.ndim)
    b = x if _dt(x) == np.bool_ else x != 0
    return _keep(bind(R.reduce_or_p, b, axes=axes), x.shape, axes, keepdim) if axes else b


def count_nonzero(input, dim=None):
    """Number of nonzero elements over ``dim`` (int64).

    >>> import fgrad.numpy as fnp
    >>> count_nonzero(fnp.asarray([[0, 1], [2, 3]]), dim=0)
    Array([1, 2])
    """
    x = _arr(input)
    axes = _dims(dim, x.ndim)
    return R.reduce_sum(_cast(x != 0, np.int64), axes)


__all__ = public_names(globals(), __name__)
