"""Functional neural-network helpers, as ``jax.nn`` (and ``torch.nn.functional`` names).

All are compositions of primitives (no derivative rules of their own), written
to be numerically stable: ``softmax`` and ``log_softmax`` subtract the maximum
(as a constant, ``stop_gradient``), ``softplus`` is ``logaddexp(x, 0)`` and
``log_sigmoid`` is ``-softplus(-x)``, so values and gradients stay finite for
large inputs. Kinks follow JAX: ``relu'(0) = 0``; ``relu6'`` is 0 at 0 and 6.
Reductions take ``axis`` (JAX) or ``dim`` (PyTorch).

>>> import fgrad.numpy as fnp, fgrad.nn as nn
>>> nn.softmax(fnp.asarray([1000.0, 0.0])).tolist()
[1.0, 0.0]
"""
from __future__ import annotations

import math

import numpy as np

from .. import numpy as fnp
from .._axes import normalize_axis
from ..primitives import unary as _U
from ..scipy import special as _special
from ..scipy.special import logsumexp, erf  # noqa: F401  (logsumexp is re-exported)
from ..transforms.core import bind
from ..facade.tensor import Tensor
from ..facade.tensor import name_node
from ..facade.torch_functions import FUNCTIONS
from ..facade.creation import ones_like

__all__ = ["relu", "relu6", "elu", "selu", "celu", "gelu", "silu", "swish", "softplus",
           "sigmoid", "log_sigmoid", "softmax", "log_softmax", "one_hot", "standardize",
           "normalize", "logsumexp", "leaky_relu", "hard_tanh", "hardtanh", "softsign",
           "hard_sigmoid", "tanh", "linear", "mse_loss", "nll_loss", "cross_entropy"]

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def _axis(axis, dim, default=-1):
    if dim is not None:
        if axis is not None and axis != dim:
            raise TypeError("give the reduction axis as axis= or dim=, not both")
        return dim
    return default if axis is None else axis


def relu(x):
    """``max(x, 0)``, with derivative 0 at 0 (as JAX and PyTorch).

    >>> relu(fnp.asarray([-1.0, 2.0])).tolist()
    [0.0, 2.0]
    """
    x = fnp.asarray(x)
    return fnp.where(x > 0, x, 0.0)


def relu6(x):
    """``min(max(x, 0), 6)``; derivative 1 on (0, 6), 0 elsewhere (also at 0 and 6).

    >>> relu6(fnp.asarray([-1.0, 3.0, 9.0])).tolist()
    [0.0, 3.0, 6.0]
    """
    x = fnp.asarray(x)
    return fnp.where(x >= 6, 6.0, fnp.where(x > 0, x, 0.0))


def leaky_relu(x, negative_slope: float = 0.01, inplace: bool = False):
    """``x`` where ``x >= 0``, else ``negative_slope * x``. The derivative at 0 is JAX's
    (1) for Arrays and PyTorch's (``negative_slope``) for tensors.

    >>> leaky_relu(fnp.asarray([-1.0, 2.0]), 0.1).tolist()
    [-0.1, 2.0]
    """
    x = fnp.asarray(x)
    return fnp.where(x > 0 if _is_tensor(x) else x >= 0, x, negative_slope * x)


def elu(x, alpha: float = 1.0):
    """``x`` for ``x > 0``, else ``alpha (exp(x) - 1)`` (the unused branch sees a safe input).

    >>> round(elu(fnp.asarray([-1.0]))[0].item(), 6)
    -0.632121
    """
    x = fnp.asarray(x)
    safe = fnp.where(x > 0, 0.0, x)
    return fnp.where(x > 0, x, alpha * fnp.expm1(safe))


def celu(x, alpha: float = 1.0):
    """``max(x, 0) + min(0, alpha (exp(x / alpha) - 1))``.

    >>> celu(fnp.asarray([2.0])).tolist()
    [2.0]
    """
    x = fnp.asarray(x)
    safe = fnp.where(x > 0, 0.0, x)
    return fnp.where(x > 0, x, alpha * fnp.expm1(safe / alpha))


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(x):
    """``scale * elu(x, alpha)`` with the self-normalising constants of Klambauer et al.

    >>> round(selu(fnp.asarray([1.0]))[0].item(), 6)
    1.050701
    """
    return _SELU_SCALE * elu(x, _SELU_ALPHA)


def gelu(x, approximate: bool | str | None = None):
    """Gaussian error linear unit ``x * Phi(x)``. ``approximate=True`` (or PyTorch's
    ``'tanh'``) uses ``0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))``; ``False`` (or
    ``'none'``) the exact ``0.5 x (1 + erf(x / sqrt 2))``. The default is each face's:
    the tanh form for Arrays (JAX), the exact one for tensors (PyTorch).

    >>> round(gelu(fnp.asarray([1.0]), approximate=False)[0].item(), 6)
    0.841345
    """
    if approximate is None:
        approximate = not _is_tensor(x)
    if isinstance(approximate, str):
        if approximate not in ("none", "tanh"):
            raise ValueError(f"gelu: approximate must be True/False, 'none' or 'tanh', "
                             f"got {approximate!r}")
        approximate = approximate == "tanh"
    x = fnp.asarray(x)
    if approximate:
        return 0.5 * x * (1.0 + fnp.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * (x * x * x))))
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def sigmoid(x):
    """The logistic function ``1 / (1 + exp(-x))`` (primitive ``logistic``, no overflow).

    >>> sigmoid(fnp.asarray([0.0])).tolist()
    [0.5]
    """
    return bind(_U.logistic_p, fnp.asarray(x))


def tanh(x):
    """``tanh(x)``.

    >>> tanh(fnp.asarray([0.0])).tolist()
    [0.0]
    """
    return fnp.tanh(x)


def silu(x):
    """``x * sigmoid(x)`` (also called swish).

    >>> silu(fnp.asarray([0.0])).tolist()
    [0.0]
    """
    x = fnp.asarray(x)
    return x * sigmoid(x)


swish = silu


def softplus(x, beta: float = 1.0, threshold: float | None = None):
    """``log(1 + exp(x))`` as ``logaddexp(x, 0)``: exact for large ``x`` (value ``x``,
    gradient 1), no overflow. ``beta`` scales as PyTorch's (``log(1 + exp(beta x)) / beta``);
    where ``beta x > threshold`` the result is ``x`` (PyTorch's switch; its default 20
    applies to tensors, Arrays take the smooth form everywhere unless it is given).

    >>> softplus(fnp.asarray([1000.0])).tolist()
    [1000.0]
    """
    x = fnp.asarray(x)
    if threshold is None and _is_tensor(x):
        threshold = 20.0
    out = fnp.logaddexp(beta * x, 0.0) / beta if beta != 1.0 else fnp.logaddexp(x, 0.0)
    if threshold is not None:
        out = fnp.where(x * beta > threshold, x, out)
    return out


def log_sigmoid(x):
    """``log(sigmoid(x)) = -softplus(-x)``, finite for large negative ``x``.

    >>> log_sigmoid(fnp.asarray([-1000.0])).tolist()
    [-1000.0]
    """
    return -softplus(-fnp.asarray(x))


def softsign(x):
    """``x / (1 + |x|)``.

    >>> softsign(fnp.asarray([1.0])).tolist()
    [0.5]
    """
    x = fnp.asarray(x)
    return x / (1.0 + fnp.abs(x))


def hard_tanh(x, min_val: float = -1.0, max_val: float = 1.0):
    """``x`` clipped to ``[min_val, max_val]``; derivative 1 inside, 0 outside. At a bound
    the derivative is JAX's 1 for Arrays and PyTorch's 0 for tensors.

    >>> hard_tanh(fnp.asarray([-2.0, 0.5, 2.0])).tolist()
    [-1.0, 0.5, 1.0]
    """
    if _is_tensor(x):
        return fnp.where(x >= max_val, max_val, fnp.where(x <= min_val, min_val, x))
    x = fnp.asarray(x)
    return fnp.where(x > max_val, max_val, fnp.where(x < min_val, min_val, x))


hardtanh = hard_tanh


def hard_sigmoid(x):
    """``relu6(x + 3) / 6``.

    >>> hard_sigmoid(fnp.asarray([0.0])).tolist()
    [0.5]
    """
    return relu6(fnp.asarray(x) + 3.0) / 6.0


def softmax(x, axis: int | tuple | None = None, *, dim: int | None = None):
    """``exp(x) / sum(exp(x), axis)`` with the maximum subtracted first (stable; a row
    of all ``-inf`` gives NaN, as JAX). ``axis`` (default -1) or PyTorch's ``dim``.

    >>> softmax(fnp.asarray([1000.0, 0.0])).tolist()
    [1.0, 0.0]
    """
    return _special.softmax(x, _axis(axis, dim))


def log_softmax(x, axis: int | tuple | None = None, *, dim: int | None = None):
    """``x - logsumexp(x, axis)``, stable for large inputs. ``axis`` (default -1) or ``dim``.

    >>> log_softmax(fnp.asarray([1000.0, 0.0])).tolist()
    [0.0, -1000.0]
    """
    return _special.log_softmax(x, _axis(axis, dim))


def one_hot(x, num_classes: int, dtype=np.float64, axis: int = -1):
    """``x[..., None] == arange(num_classes)`` as ``dtype`` (float64 by default, as JAX
    with x64); out-of-range indices give all-zero rows.

    >>> one_hot(fnp.asarray([0, 2]), 3).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    """
    x = fnp.asarray(x)
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) \
            or num_classes < 0:
        raise ValueError(f"one_hot: num_classes must be a non-negative int, got {num_classes!r}")
    nd = x.ndim + 1
    axis = normalize_axis(axis, nd, "one_hot")
    classes = fnp.arange(int(num_classes), device=x.device)
    classes = fnp.reshape(classes, tuple(-1 if i == axis else 1 for i in range(nd)))
    return fnp.astype(fnp.equal(fnp.expand_dims(x, axis), classes), dtype)


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
    ax = _axis(axis, dim, default=1) if axis is not None else dim
    if p == 2.0:
        norm = fnp.sqrt(fnp.sum(x * x, axis=ax, keepdims=True))
    elif p == 1.0:
        norm = fnp.sum(fnp.abs(x), axis=ax, keepdims=True)
    elif p == math.inf:
        norm = fnp.max(fnp.abs(x), axis=ax, keepdims=True)
    else:
        norm = fnp.sum(fnp.abs(x) ** p, axis=ax, keepdims=True) ** (1.0 / p)
    return x / fnp.maximum(norm, eps)


# ---------------------------------------------------------------- torch-style layers and losses
# These take facade Tensors (as ``torch.nn.functional``) or Arrays; they use only operators,
# methods and functions that both accept.

def _is_tensor(x) -> bool:
    return isinstance(x, Tensor)


def _rename(out, name: str):
    """Show the last graph node of a facade result under PyTorch's name (``MseLossBackward0``)."""
    return name_node(out, name)


def _legacy_reduction(size_average, reduce) -> str:
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    return ("mean" if size_average else "sum") if reduce else "none"


def _reduce(loss, reduction: str):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"{reduction} is not a valid value for reduction")


def linear(input, weight, bias=None):
    """``input @ weight.T + bias`` (``torch.nn.functional.linear``); ``weight`` is
    ``(out_features, in_features)``.

    >>> linear(fnp.asarray([[1.0, 2.0]]), fnp.asarray([[1.0, 1.0]]), fnp.asarray([0.5])).tolist()
    [[3.5]]
    """
    if _is_tensor(input) and bias is not None and input.ndim == 2 and weight.ndim == 2:
        return FUNCTIONS["addmm"](bias, input, weight.T)
    if not _is_tensor(input) and not _is_tensor(weight):
        input, weight = fnp.asarray(input), fnp.asarray(weight)
    out = input @ (weight.T if weight.ndim == 2 else weight)
    return out if bias is None else out + bias


def mse_loss(input, target, size_average=None, reduce=None, reduction: str = "mean",
             weight=None):
    """Squared error ``(input - target)^2``, averaged (``reduction='mean'``), summed
    (``'sum'``) or not (``'none'``); ``weight`` scales each element (PyTorch 2.6+).

    >>> mse_loss(fnp.asarray([1.0, 3.0]), fnp.asarray([0.0, 0.0])).tolist()
    5.0
    """
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce)
    if not _is_tensor(input) and not _is_tensor(target):
        input, target = fnp.asarray(input), fnp.asarray(target)
    d = input - target
    loss = d * d
    if weight is not None:
        loss = loss * weight
    return _rename(_reduce(loss, reduction), "MseLossBackward0")


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
        reduction = _legacy_reduction(size_average, reduce)
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
    return _rename(out, "NllLossBackward0")


def _pick(input, target, weight, ignore_index):
    """``(w[t] * input[.., t, ..], w[t])`` per entry, zero where ``t == ignore_index``."""
    if not _is_tensor(input):
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
        w = fnp.where(mask, fnp.ones_like(picked) if not _is_tensor(picked) else
                      _tensor_ones_like(picked), 0.0)
    else:
        w = fnp.where(mask, weight[safe], 0.0)
    return fnp.where(mask, picked * w if weight is not None else picked, 0.0), w


def _is_floating(x) -> bool:
    if _is_tensor(x):
        return x.is_floating_point() or x.is_complex()
    return np.dtype(x.dtype).kind in "fc"


def _tensor_ones_like(t):
    return ones_like(t)


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
        reduction = _legacy_reduction(size_average, reduce)
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if not _is_tensor(input):
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


# ---------------------------------------------------------------- torch.nn.functional layers
# (the training kit: losses, normalisation, dropout, embedding, attention), in their own files
from ._losses import (binary_cross_entropy, binary_cross_entropy_with_logits,  # noqa: E402
                      l1_loss, smooth_l1_loss, huber_loss, kl_div)
from ._normalization import batch_norm, layer_norm, group_norm  # noqa: E402
from ._dropout import dropout  # noqa: E402
from ._sparse import embedding  # noqa: E402
from ._attention import scaled_dot_product_attention  # noqa: E402
__all__ += ["binary_cross_entropy", "binary_cross_entropy_with_logits", "l1_loss",
            "smooth_l1_loss", "huber_loss", "kl_div", "batch_norm", "layer_norm", "group_norm",
            "dropout", "embedding", "scaled_dot_product_attention"]
# Convolutions, pooling, unfold/fold and pad (torch.nn.functional names): one block.
from ._conv_functional import (conv1d, conv2d, conv3d, conv_transpose1d,  # noqa: E402,F401
                               conv_transpose2d, conv_transpose3d, max_pool1d, max_pool2d,
                               max_pool3d, avg_pool1d, avg_pool2d, avg_pool3d,
                               adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_max_pool1d,
                               adaptive_max_pool2d, unfold, fold, pad)
