"""Normalisation: ``torch.nn.functional``'s ``batch_norm``, ``layer_norm``, ``rms_norm``,
``group_norm`` and ``normalize``, and ``jax.nn.standardize``.
Compositions of primitives (derivatives come from ``mean``, ``sqrt`` ... no rules of
their own), on facade tensors or Arrays, with PyTorch's formulas and errors:
``(x - mean) / sqrt(var + eps) * weight + bias`` with the biased variance; running
statistics (tensors, updated in place under ``no_grad`` with the unbiased variance).

>>> import fgrad.numpy as fnp
>>> layer_norm(fnp.asarray([[1.0, 3.0]]), (2,)).round(4).tolist()
[[-1.0, 1.0]]
"""
from __future__ import annotations

import math

import numpy as np

from ..facade import grad_mode as _grad_mode
from .. import numpy as fnp
from ._helpers import axis_or_dim, concrete, graph_mark, is_tensor, rename

__all__ = ["instance_norm", "batch_norm", "layer_norm", "rms_norm", "group_norm", "standardize",
           "normalize"]


def _channel_shape(x, n: int) -> tuple:
    """``(1, C, 1, ...)``: per-channel values broadcast against ``x`` (channels on axis 1)."""
    return (1, n) + (1,) * (x.ndim - 2)


def _reshape(x, shape):
    """``x.reshape(shape)``: the method both Arrays and tensors have."""
    return x.reshape(shape)


def _affine(y, weight, bias, shape):
    if weight is not None:
        y = y * (_reshape(weight, shape) if shape is not None else weight)
    if bias is not None:
        y = y + (_reshape(bias, shape) if shape is not None else bias)
    return y


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-5):
    """Normalise each channel (axis 1) over the batch and spatial axes: with the batch's
    statistics when ``training`` (and then ``running_mean``/``running_var``, if given as
    tensors, become ``(1 - momentum) * running + momentum * batch``, the variance
    unbiased), else with the running statistics.

    >>> x = fnp.asarray([[1.0], [3.0]])
    >>> batch_norm(x, None, None, training=True).round(4).tolist()
    [[-1.0], [1.0]]
    """
    if input.ndim < 2:
        raise ValueError(f"Expected 2D or higher input for batch_norm (got {input.ndim}D input)")
    if not is_tensor(input):
        input = fnp.asarray(input)
    c = input.shape[1]
    for name, stat in (("running_mean", running_mean), ("running_var", running_var),
                       ("weight", weight), ("bias", bias)):
        if stat is not None:
            n = stat.numel() if is_tensor(stat) else math.prod(stat.shape)
            if n != c:
                raise RuntimeError(f"{name} should contain {c} elements not {n}")
    shape = _channel_shape(input, c)
    axes = (0,) + tuple(range(2, input.ndim))
    since = graph_mark()
    if training:
        count = input.numel() // c if is_tensor(input) else input.size // c
        if count == 1:
            size = input.size() if is_tensor(input) else tuple(input.shape)
            raise ValueError("Expected more than 1 value per channel when training, got input "
                             f"size {size}")
        mean = fnp.mean(input, axis=axes, keepdims=True)
        xc = input - mean
        var = fnp.mean(xc * xc, axis=axes, keepdims=True)
        if running_mean is not None or running_var is not None:
            _update_running(running_mean, running_var, mean, var, momentum, count)
        # the per-channel factor inv_std * weight first: two passes over the input, not three
        scale = 1.0 / fnp.sqrt(var + eps)
        if weight is not None:
            scale = scale * _reshape(weight, shape)
        y = xc * scale
        if bias is not None:
            y = y + _reshape(bias, shape)
    else:
        if running_mean is None or running_var is None:
            raise RuntimeError("batch_norm: running_mean and running_var are needed when not "
                               "training")
        # y = x * a + c with per-channel a = weight / sqrt(var + eps), c = bias - mean * a
        a = 1.0 / fnp.sqrt(_reshape(running_var, shape) + eps)
        if weight is not None:
            a = a * _reshape(weight, shape)
        c = -_reshape(running_mean, shape) * a
        if bias is not None:
            c = c + _reshape(bias, shape)
        y = input * a + c
    return rename(y, "NativeBatchNormBackward0", since)


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats: bool = True, momentum: float = 0.1, eps: float = 1e-5):
    """Normalise each sample's channel over its spatial axes, as PyTorch computes it: the
    ``(N, C, ...)`` input seen as one batch of ``N * C`` channels for ``batch_norm``; running
    statistics, if given, are updated with the mean over the batch of the instances' ones.

    >>> x = fnp.asarray([[[1.0, 3.0]], [[0.0, 4.0]]])
    >>> instance_norm(x).round(4).tolist()
    [[[-1.0, 1.0]], [[-1.0, 1.0]]]
    """
    if not is_tensor(input):
        input = fnp.asarray(input)
    if input.ndim < 3:
        raise ValueError(f"Expected 3D or higher input for instance_norm (got {input.ndim}D "
                         "input)")
    n, c = input.shape[:2]
    x = fnp.reshape(input, (1, n * c) + tuple(input.shape[2:]))

    def repeat(t):
        return None if t is None else fnp.tile(t.detach() if is_tensor(t) else t, n)
    rm, rv = repeat(running_mean), repeat(running_var)
    if is_tensor(input) and rm is not None:       # batch_norm updates these copies in place
        rm, rv = rm.clone(), rv.clone()
    w = None if weight is None else fnp.tile(weight, n)
    b = None if bias is None else fnp.tile(bias, n)
    y = batch_norm(x, rm, rv, w, b, use_input_stats, momentum, eps)
    if use_input_stats and is_tensor(input) and running_mean is not None and concrete(y):
        with _grad_mode.no_grad():
            running_mean.copy_(fnp.mean(fnp.reshape(rm, (n, c)), axis=0))
            running_var.copy_(fnp.mean(fnp.reshape(rv, (n, c)), axis=0))
    return fnp.reshape(y, tuple(input.shape))


def _update_running(running_mean, running_var, mean, var, momentum, count):
    """In place, as PyTorch: ``running = momentum * batch + (1 - momentum) * running``
    (the variance unbiased by ``count / (count - 1)``). Only concrete tensors are updated:
    inside a transform the statistics are tracers and the buffers are left as they are."""
    if not (concrete(mean) and is_tensor(mean)):
        return
    with _grad_mode.no_grad():
        if running_mean is not None:
            m = _reshape(mean.detach(), tuple(running_mean.shape))
            running_mean.copy_(momentum * m + (1 - momentum) * running_mean)
        if running_var is not None:
            v = _reshape(var.detach(), tuple(running_var.shape)) * (count / (count - 1))
            running_var.copy_(momentum * v + (1 - momentum) * running_var)


def _normalized_shape(name: str, normalized_shape) -> tuple:
    """The functional forms take a sequence of ints (the modules also take one int)."""
    if not hasattr(normalized_shape, "__len__"):
        raise TypeError(f"{name}(): argument 'normalized_shape' (position 2) must be tuple of "
                        f"ints, not {type(normalized_shape).__name__}")
    return tuple(int(n) for n in normalized_shape)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps: float = 1e-5):
    """Normalise over the trailing ``normalized_shape`` axes, then scale and shift
    elementwise by ``weight`` and ``bias`` (of that shape).

    >>> layer_norm(fnp.asarray([[0.0, 2.0, 4.0]]), (3,)).round(4).tolist()
    [[-1.2247, 0.0, 1.2247]]
    """
    ns = _normalized_shape("layer_norm", normalized_shape)
    if not is_tensor(input):
        input = fnp.asarray(input)
    k = len(ns)
    if k == 0 or tuple(input.shape[input.ndim - k:]) != ns or input.ndim < k:
        raise RuntimeError(f"Given normalized_shape={list(ns)}, expected input with shape "
                           f"[*, {', '.join(str(d) for d in ns)}], but got input of size"
                           f"{list(input.shape)}")
    axes = tuple(range(input.ndim - k, input.ndim))
    since = graph_mark()
    mean = fnp.mean(input, axis=axes, keepdims=True)
    xc = input - mean
    var = fnp.mean(xc * xc, axis=axes, keepdims=True)
    y = xc * (1.0 / fnp.sqrt(var + eps))
    return rename(_affine(y, weight, bias, None), "NativeLayerNormBackward0", since)


def rms_norm(input, normalized_shape, weight=None, eps: float | None = None):
    """Root-mean-square normalisation over the trailing ``normalized_shape`` axes (Zhang &
    Sennrich 2019): ``x / sqrt(mean(x^2) + eps) * weight``, no centring and no bias. ``eps``
    defaults to the machine epsilon of the computation type; float16 inputs are computed in
    float32 and cast back, as PyTorch.

    >>> rms_norm(fnp.asarray([[3.0, -3.0]]), (2,)).round(4).tolist()
    [[1.0, -1.0]]
    """
    ns = _normalized_shape("rms_norm", normalized_shape)
    if not is_tensor(input):
        input = fnp.asarray(input)
    k = len(ns)
    if k == 0:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., "
                           "containing at least one element, but got normalized_shape = []")
    if input.ndim < k:
        raise ValueError(f"Input tensor must have at least {k} dimensions, but got "
                         f"{input.ndim}")
    if tuple(input.shape[input.ndim - k:]) != ns:
        raise RuntimeError(f"Given normalized_shape={list(ns)}, expected input with shape "
                           f"[*{', '.join(str(d) for d in ns)}], but got input of size"
                           f"{list(input.shape)}")
    if weight is not None and tuple(weight.shape) != ns:
        raise RuntimeError("Expected weight to be of same shape as normalized_shape, but got "
                           f"weight of shape {list(weight.shape)} and normalized_shape = "
                           f"{list(ns)}")
    dtype = input._np_dtype if is_tensor(input) else np.dtype(input.dtype)
    opmath = np.dtype(np.float32) if dtype == np.float16 else dtype
    if eps is None:
        eps = float(np.finfo(opmath).eps)
    x = input if opmath == dtype else fnp.astype(input, opmath)
    axes = tuple(range(input.ndim - k, input.ndim))
    y = x * (1.0 / fnp.sqrt(fnp.mean(x * x, axis=axes, keepdims=True) + eps))
    if opmath != dtype:
        y = fnp.astype(y, dtype)
    return y if weight is None else y * weight


def group_norm(input, num_groups: int, weight=None, bias=None, eps: float = 1e-5):
    """Split the channels (axis 1) into ``num_groups`` groups and normalise each group
    over its channels and spatial axes, then scale and shift per channel.

    >>> group_norm(fnp.asarray([[[0.0], [2.0]]]), 1).round(4).tolist()
    [[[-1.0], [1.0]]]
    """
    if not is_tensor(input):
        input = fnp.asarray(input)
    if input.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received "
                           f"{input.ndim}")
    n, c = input.shape[0], input.shape[1]
    if c % num_groups != 0:
        raise RuntimeError("Expected number of channels in input to be divisible by "
                           f"num_groups, but got input of shape {list(input.shape)} and "
                           f"num_groups={num_groups}")
    since = graph_mark()
    g = _reshape(input, (n, num_groups, -1))
    mean = fnp.mean(g, axis=2, keepdims=True)
    gc = g - mean
    var = fnp.mean(gc * gc, axis=2, keepdims=True)
    y = _reshape(gc * (1.0 / fnp.sqrt(var + eps)), tuple(input.shape))
    return rename(_affine(y, weight, bias, _channel_shape(input, c)),
                  "NativeGroupNormBackward0", since)


def standardize(x, axis: int | tuple | None = -1, mean=None, variance=None,
                epsilon: float = 1e-5):
    """``(x - mean) / sqrt(variance + epsilon)`` over ``axis``, as ``jax.nn.standardize``
    (the mean and variance are computed when not given).

    >>> standardize(fnp.asarray([1.0, 3.0])).tolist()[1] > 0.99
    True
    """
    x = fnp.asarray(x)
    if mean is None:
        mean = fnp.mean(x, axis=axis, keepdims=True)
    if variance is None:
        variance = fnp.mean(fnp.square(x), axis=axis, keepdims=True) - fnp.square(mean)
    return (x - mean) / fnp.sqrt(variance + epsilon)


def normalize(x, p: float = 2.0, dim: int = 1, eps: float = 1e-12, *, axis: int | None = None):
    """``x / max(||x||_p, eps)`` along ``dim`` (or ``axis``), as
    ``torch.nn.functional.normalize`` (JAX's old ``normalize`` is ``standardize``).

    >>> normalize(fnp.asarray([[3.0, 4.0]])).tolist()
    [[0.6, 0.8]]
    """
    x = fnp.asarray(x)
    ax = axis_or_dim(axis, dim, default=1) if axis is not None else dim
    if p == 2.0:
        norm = fnp.sqrt(fnp.sum(x * x, axis=ax, keepdims=True))
    elif p == 1.0:
        norm = fnp.sum(fnp.abs(x), axis=ax, keepdims=True)
    elif p == math.inf:
        norm = fnp.max(fnp.abs(x), axis=ax, keepdims=True)
    else:
        norm = fnp.sum(fnp.abs(x) ** p, axis=ax, keepdims=True) ** (1.0 / p)
    return x / fnp.maximum(norm, eps)

