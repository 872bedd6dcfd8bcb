"""``torch.nn.functional``'s losses: ``mse_loss``, ``nll_loss``, ``cross_entropy``,
``binary_cross_entropy``, ``binary_cross_entropy_with_logits``, ``l1_loss``,
``smooth_l1_loss``, ``huber_loss``, ``kl_div``. Compositions of primitives (no rules of
their own), on facade tensors or Arrays; formulas, clamps and errors as PyTorch 2.x.

>>> import fgrad.numpy as fnp
>>> round(float(binary_cross_entropy_with_logits(fnp.asarray([0.0]), fnp.asarray([1.0]))), 6)
0.693147
"""
from __future__ import annotations

import warnings

import numpy as np

from .. import numpy as fnp
from ..facade.creation import ones_like
from ._activations import log_softmax
from ._helpers import (check_reduction, concrete, graph_mark, is_tensor, legacy_reduction,
                       rename)
from ._helpers import reduce as _reduce

__all__ = ["mse_loss", "nll_loss", "cross_entropy", "binary_cross_entropy",
           "binary_cross_entropy_with_logits", "l1_loss", "smooth_l1_loss", "huber_loss", "kl_div"]


def mse_loss(input, target, size_average=None, reduce=None, reduction: str = "mean",
             weight=None):
    """Squared error ``(input - target)^2``, averaged (``reduction='mean'``), summed
    (``'sum'``) or not (``'none'``); ``weight`` scales each element (PyTorch 2.6+).

    >>> mse_loss(fnp.asarray([1.0, 3.0]), fnp.asarray([0.0, 0.0])).tolist()
    5.0
    """
    if size_average is not None or reduce is not None:
        reduction = legacy_reduction(size_average, reduce, reduction)
    if not is_tensor(input) and not is_tensor(target):
        input, target = fnp.asarray(input), fnp.asarray(target)
    d = input - target
    loss = d * d
    if weight is not None:
        loss = loss * weight
    return rename(_reduce(loss, reduction), "MseLossBackward0")


def _class_dim(input) -> int:
    return 0 if input.ndim == 1 else 1


def nll_loss(input, target, weight=None, size_average=None, ignore_index: int = -100,
             reduce=None, reduction: str = "mean"):
    """Negative log-likelihood of class indices ``target`` under log-probabilities
    ``input`` (classes on axis 1, or 0 for a 1-d input), as ``torch.nn.functional.nll_loss``:
    ``weight`` per class, ``ignore_index`` entries contribute nothing, ``'mean'`` divides by
    the total weight of the counted entries.

    >>> logp = fnp.log(fnp.asarray([[0.5, 0.5], [0.25, 0.75]]))
    >>> round(float(nll_loss(logp, fnp.asarray([0, 1]))), 6)   # -(log 0.5 + log 0.75) / 2
    0.490415
    """
    if size_average is not None or reduce is not None:
        reduction = legacy_reduction(size_average, reduce, reduction)
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    picked, w = _pick(input, target, weight, ignore_index)
    loss = -picked
    if reduction == "none":
        out = loss
    elif reduction == "sum":
        out = loss.sum()
    else:
        out = loss.sum() / w.sum()
    return rename(out, "NllLossBackward0")


def _pick(input, target, weight, ignore_index):
    """``(w[t] * input[.., t, ..], w[t])`` per entry, zero where ``t == ignore_index``."""
    if not is_tensor(input):
        input, target = fnp.asarray(input), fnp.asarray(target)
    if input.ndim == 1:
        if target.ndim != 0:
            raise RuntimeError(f"0D or 1D target tensor expected, multi-target not supported")
        picked, w = _pick(input[None], target[None], weight, ignore_index)
        return picked[0], w[0]
    if target.ndim != input.ndim - 1 or tuple(target.shape) != \
            (input.shape[0],) + tuple(input.shape[2:]):
        raise RuntimeError(f"Expected target size {[input.shape[0]] + list(input.shape[2:])}, "
                           f"got {list(target.shape)}")
    mask = target != ignore_index
    safe = fnp.where(mask, target, 0)
    picked = fnp.take_along_axis(input, fnp.expand_dims(safe, 1), axis=1)[:, 0]
    if weight is None:
        w = fnp.where(mask, ones_like(picked) if is_tensor(picked) else fnp.ones_like(picked),
                      0.0)
    else:
        w = fnp.where(mask, weight[safe], 0.0)
    return fnp.where(mask, picked * w if weight is not None else picked, 0.0), w


def _is_floating(x) -> bool:
    if is_tensor(x):
        return x.is_floating_point() or x.is_complex()
    return np.dtype(x.dtype).kind in "fc"


def cross_entropy(input, target, weight=None, size_average=None, ignore_index: int = -100,
                  reduce=None, reduction: str = "mean", label_smoothing: float = 0.0):
    """``nll_loss(log_softmax(input, class axis), target)`` for class indices, or
    ``-sum(target * log_softmax(input))`` over the class axis for class probabilities
    (a floating ``target`` of ``input``'s shape), with PyTorch's ``weight``,
    ``ignore_index``, ``reduction`` and ``label_smoothing``. Classes are on axis 1
    (axis 0 for a 1-d input).

    >>> round(float(cross_entropy(fnp.asarray([[2.0, 0.0], [0.0, 2.0]]), fnp.asarray([0, 0]))), 4)
    1.1269
    """
    if size_average is not None or reduce is not None:
        reduction = legacy_reduction(size_average, reduce, reduction)
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if not is_tensor(input):
        input, target = fnp.asarray(input), fnp.asarray(target)
    cdim = _class_dim(input)
    n_classes = input.shape[cdim]
    logp = log_softmax(input, axis=cdim)
    wshape = [1] * input.ndim
    wshape[cdim] = n_classes
    if _is_floating(target):   # class probabilities
        if tuple(target.shape) != tuple(input.shape):
            raise RuntimeError("Expected floating point target to have the same shape as input")
        if label_smoothing > 0:
            target = target * (1 - label_smoothing) + label_smoothing / n_classes
        terms = logp * target
        if weight is not None:
            terms = terms * weight.reshape(wshape)
        loss = -terms.sum(cdim)
        if reduction == "mean":
            return loss.sum() / max(1, int(np.prod(loss.shape)))
        return _reduce(loss, reduction)
    nll = nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)
    if label_smoothing <= 0:
        return nll
    # PyTorch: (1 - eps) * nll + eps / C * smooth, smooth = -sum_c w_c logp_c per entry
    terms = logp if weight is None else logp * weight.reshape(wshape)
    smooth = -terms.sum(cdim)
    mask = target != ignore_index
    smooth = fnp.where(mask, smooth, 0.0)
    if reduction == "mean":
        if weight is None:
            count = mask.sum()
            smooth = smooth.sum() / count
        else:
            _, w = _pick(logp, target, weight, ignore_index)
            smooth = smooth.sum() / w.sum()
    elif reduction == "sum":
        smooth = smooth.sum()
    return (1 - label_smoothing) * nll + (label_smoothing / n_classes) * smooth


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
