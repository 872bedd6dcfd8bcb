"""``torch.nn.functional`` losses beyond ``mse_loss``/``nll_loss``/``cross_entropy``:
``binary_cross_entropy``, ``binary_cross_entropy_with_logits``, ``l1_loss``,
``smooth_l1_loss``, ``huber_loss``, ``kl_div``. Compositions of primitives (no rules of
their own), on facade tensors or Arrays; formulas, clamps and errors as PyTorch 2.x.

>>> import fgrad.numpy as fnp
>>> round(float(binary_cross_entropy_with_logits(fnp.asarray([0.0]), fnp.asarray([1.0]))), 6)
0.693147
"""
from __future__ import annotations

import warnings

from .. import numpy as fnp
from ._helpers import (check_reduction, concrete, graph_mark, is_tensor, legacy_reduction,
                       rename)
from ._helpers import reduce as _reduce

__all__ = ["binary_cross_entropy", "binary_cross_entropy_with_logits", "l1_loss",
           "smooth_l1_loss", "huber_loss", "kl_div"]


def _arrays(*xs):
    """Inputs as they are when one is a tensor, else as Arrays."""
    if any(is_tensor(x) for x in xs):
        return xs
    return tuple(None if x is None else fnp.asarray(x) for x in xs)


def _size(x):
    return x.size() if is_tensor(x) else tuple(x.shape)


def _log_sigmoid(x):
    """``log(sigmoid(x)) = -(max(-x, 0) + log1p(exp(-|x|)))``, stable for both signs."""
    return -fnp.logaddexp(-x, 0.0)


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction: str = "mean"):
    """``-w (t log x + (1 - t) log(1 - x))`` of probabilities ``input``, each log clamped
    at -100 (so 0 and 1 give finite values, as PyTorch).

    >>> round(float(binary_cross_entropy(fnp.asarray([0.5, 0.9]), fnp.asarray([1.0, 1.0]))), 6)
    0.399254
    """
    reduction = legacy_reduction(size_average, reduce,
                                 reduction)
    check_reduction(reduction)
    input, target, weight = _arrays(input, target, weight)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Using a target size ({_size(target)}) that is different to the input "
                         f"size ({_size(input)}) is deprecated. Please ensure they have the "
                         "same size.")
    if concrete(input) and bool(((input < 0) | (input > 1)).any()):
        raise RuntimeError("all elements of input should be between 0 and 1")
    since = graph_mark()
    loss = _bce_terms(input, target)
    if weight is not None:
        loss = loss * weight
    return rename(_reduce(loss, reduction), "BinaryCrossEntropyBackward0", since)


# PyTorch's clamp of x (1 - x) in the BCE gradient: 1e-12 stored as a C float
_BCE_EPS = 9.999999960041972e-13


def _bce_terms(x, t):
    """``(t - 1) max(log(1 - x), -100) - t max(log x, -100)`` with PyTorch's gradient
    ``(x - t) / max(x (1 - x), 1e-12)`` everywhere, also at ``x = 0`` or ``1`` (where the
    plain composition would give NaN). Each log sees a safe input (the double ``where``),
    and where ``x (1 - x) < 1e-12`` the value is kept as a constant plus
    ``(x - t) / 1e-12 * (x - stop_gradient(x))``, which is zero but has that derivative."""
    pos, below_one = x > 0, x < 1
    log_x = fnp.where(pos, fnp.maximum(fnp.log(fnp.where(pos, x, 1.0)), -100.0), -100.0)
    log_1mx = fnp.where(below_one, fnp.maximum(fnp.log1p(-fnp.where(below_one, x, 0.0)),
                                               -100.0), -100.0)
    loss = (t - 1) * log_1mx - t * log_x
    extreme = x * (1 - x) < _BCE_EPS
    if concrete(x) and not bool(extreme.any()):
        return loss
    xc = fnp.stop_gradient(x)
    return fnp.where(extreme, fnp.stop_gradient(loss) + (x - t) * (1.0 / _BCE_EPS) * (x - xc),
                     loss)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None,
                                     reduce=None, reduction: str = "mean", pos_weight=None):
    """``binary_cross_entropy(sigmoid(input), target)`` computed from the logits as
    ``(1 - t) x - (1 + (pos_weight - 1) t) log_sigmoid(x)``: stable for large ``|x|``.

    >>> round(float(binary_cross_entropy_with_logits(fnp.asarray([100.0]), fnp.asarray([0.0]))), 3)
    100.0
    """
    reduction = legacy_reduction(size_average, reduce,
                                 reduction)
    check_reduction(reduction)
    input, target, weight, pos_weight = _arrays(input, target, weight, pos_weight)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Target size ({_size(target)}) must be the same as input size "
                         f"({_size(input)})")
    since = graph_mark()
    if pos_weight is not None:
        log_weight = (pos_weight - 1) * target + 1
        loss = (1 - target) * input - log_weight * _log_sigmoid(input)
    else:
        loss = (1 - target) * input - _log_sigmoid(input)
    if weight is not None:
        loss = loss * weight
    return rename(_reduce(loss, reduction), "BinaryCrossEntropyWithLogitsBackward0", since)


def _check_sizes(name, input, target):
    if tuple(target.shape) != tuple(input.shape):
        warnings.warn(f"Using a target size ({_size(target)}) that is different to the input "
                      f"size ({_size(input)}). This will likely lead to incorrect results due "
                      "to broadcasting. Please ensure they have the same size.", stacklevel=3)


def l1_loss(input, target, size_average=None, reduce=None, reduction: str = "mean",
            weight=None):
    """Absolute error ``|input - target|`` (derivative 0 where they are equal, as
    PyTorch, for tensors; JAX's for Arrays).

    >>> float(l1_loss(fnp.asarray([1.0, -3.0]), fnp.asarray([0.0, 0.0])))
    2.0
    """
    reduction = legacy_reduction(size_average, reduce,
                                 reduction)
    check_reduction(reduction)
    input, target = _arrays(input, target)
    _check_sizes("l1_loss", input, target)
    loss = abs(input - target)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction: str = "mean",
                   beta: float = 1.0):
    """``0.5 d^2 / beta`` where ``|d| < beta``, else ``|d| - 0.5 beta`` (``d = input -
    target``; ``beta = 0`` is ``l1_loss``).

    >>> smooth_l1_loss(fnp.asarray([0.5, 3.0]), fnp.asarray([0.0, 0.0]), reduction="none").tolist()
    [0.125, 2.5]
    """
    reduction = legacy_reduction(size_average, reduce,
                                 reduction)
    check_reduction(reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0:
        return l1_loss(input, target, reduction=reduction)
    input, target = _arrays(input, target)
    _check_sizes("smooth_l1_loss", input, target)
    since = graph_mark()
    d = input - target
    z = abs(d)
    loss = fnp.where(z < beta, (0.5 * d * d) / beta, z - 0.5 * beta)
    return rename(_reduce(loss, reduction), "SmoothL1LossBackward0", since)


def huber_loss(input, target, reduction: str = "mean", delta: float = 1.0, weight=None):
    """``0.5 d^2`` where ``|d| < delta``, else ``delta (|d| - 0.5 delta)``.

    >>> huber_loss(fnp.asarray([0.5, 3.0]), fnp.asarray([0.0, 0.0]), reduction="none").tolist()
    [0.125, 2.5]
    """
    check_reduction(reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    input, target = _arrays(input, target)
    _check_sizes("huber_loss", input, target)
    since = graph_mark()
    d = input - target
    z = abs(d)
    loss = fnp.where(z < delta, 0.5 * d * d, delta * (z - 0.5 * delta))
    if weight is not None:
        loss = loss * weight
    return rename(_reduce(loss, reduction), "HuberLossBackward0", since)


def kl_div(input, target, size_average=None, reduce=None, reduction: str = "mean",
           log_target: bool = False):
    """Kullback-Leibler divergence ``target * (log target - input)`` per element, with
    ``input`` log-probabilities and ``target`` probabilities (``0 log 0 = 0``), or
    ``exp(target) (target - input)`` with ``log_target=True``. ``reduction``:
    ``'batchmean'`` (the sum over the batch size: the mathematical KL divergence),
    ``'sum'``, ``'mean'`` (over all elements, with PyTorch's warning), ``'none'``.

    >>> import math
    >>> p = fnp.asarray([0.5, 0.5]); logq = fnp.log(fnp.asarray([0.25, 0.75]))
    >>> round(float(kl_div(logq, p, reduction="sum")), 6) == round(0.5 * math.log(4 / 3), 6)
    True
    """
    reduction = legacy_reduction(size_average, reduce,
                                 reduction)
    check_reduction(reduction, ("mean", "sum", "none", "batchmean"))
    input, target = _arrays(input, target)
    if reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the "
                      "support size.'batchmean' divides only by the batch size, and aligns with "
                      "the KL div math definition.'mean' will be changed to behave the same as "
                      "'batchmean' in the next major release.", stacklevel=2)
    if log_target:
        loss = fnp.exp(target) * (target - input)
    else:
        pos = target > 0
        loss = fnp.where(pos, target * fnp.log(fnp.where(pos, target, 1.0)), 0.0) \
            - target * input
    if reduction == "batchmean":
        return loss.sum() / input.shape[0] if input.ndim != 0 else loss.sum()
    return _reduce(loss, reduction)
