"""Activation functions, as ``jax.nn`` (with ``torch.nn.functional``'s names and keywords
where they differ): ``relu relu6 leaky_relu elu celu selu gelu sigmoid tanh silu swish
softplus log_sigmoid softsign hard_tanh hardtanh hard_sigmoid softmax log_softmax``.

All are compositions of primitives (no derivative rules of their own), written
to be numerically stable: ``softmax`` and ``log_softmax`` subtract the maximum
(as a constant, ``stop_gradient``), ``softplus`` is ``logaddexp(x, 0)`` and
``log_sigmoid`` is ``-softplus(-x)``, so values and gradients stay finite for
large inputs. Kinks follow JAX: ``relu'(0) = 0``; ``relu6'`` is 0 at 0 and 6.
Where JAX and PyTorch differ (``gelu``'s default form, ``softplus``'s threshold, the
derivative of ``leaky_relu``/``hard_tanh`` at a kink) Arrays get JAX's and facade tensors
PyTorch's. Reductions take ``axis`` (JAX) or ``dim`` (PyTorch).

>>> import fgrad.numpy as fnp
>>> softmax(fnp.asarray([1000.0, 0.0])).tolist()
[1.0, 0.0]
"""
from __future__ import annotations

import math

import numpy as np

from .. import numpy as fnp
from ..primitives import unary as _U
from ..scipy import special as _special
from ..scipy.special import erf
from ..transforms.core import bind
from ._helpers import axis_or_dim, is_tensor

__all__ = ["relu", "relu6", "leaky_relu", "elu", "celu", "selu", "gelu", "sigmoid", "tanh",
           "silu", "swish", "softplus", "log_sigmoid", "softsign", "hard_tanh", "hardtanh",
           "hard_sigmoid", "softmax", "log_softmax", "logsigmoid", "hardsigmoid", "hardswish",
           "hardshrink", "softshrink", "tanhshrink", "mish", "glu", "threshold", "softmin",
           "prelu"]

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


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
    return fnp.where(x > 0 if is_tensor(x) else x >= 0, x, negative_slope * x)


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
        approximate = not is_tensor(x)
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
    if threshold is None and is_tensor(x):
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
    if is_tensor(x):
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
    return _special.softmax(x, axis_or_dim(axis, dim))


def log_softmax(x, axis: int | tuple | None = None, *, dim: int | None = None):
    """``x - logsumexp(x, axis)``, stable for large inputs. ``axis`` (default -1) or ``dim``.

    >>> log_softmax(fnp.asarray([1000.0, 0.0])).tolist()
    [0.0, -1000.0]
    """
    return _special.log_softmax(x, axis_or_dim(axis, dim))


# ---- PyTorch's names for the rest of torch.nn.functional's elementwise activations ----
logsigmoid = log_sigmoid
hardsigmoid = hard_sigmoid


def hardswish(x, inplace: bool = False):
    """``x * relu6(x + 3) / 6``.

    >>> hardswish(fnp.asarray([-4.0, 0.0, 1.0, 4.0])).tolist()
    [-0.0, 0.0, 0.6666666666666666, 4.0]
    """
    x = fnp.asarray(x)
    return x * relu6(x + 3.0) / 6.0


def hardshrink(x, lambd: float = 0.5):
    """``x`` where ``|x| > lambd``, else 0.

    >>> hardshrink(fnp.asarray([-1.0, 0.2, 0.7])).tolist()
    [-1.0, 0.0, 0.7]
    """
    x = fnp.asarray(x)
    return fnp.where(fnp.abs(x) > lambd, x, 0.0)


def softshrink(x, lambd: float = 0.5):
    """``x - lambd`` above ``lambd``, ``x + lambd`` below ``-lambd``, else 0.

    >>> softshrink(fnp.asarray([-1.0, 0.2, 0.75])).tolist()
    [-0.5, 0.0, 0.25]
    """
    x = fnp.asarray(x)
    if lambd < 0:
        dt = np.dtype(x.dtype if not is_tensor(x) else x._data.dtype)
        name = {"float16": "Half", "float32": "Float", "float64": "Double"}.get(dt.name, dt.name)
        raise RuntimeError(f"lambda must be in range [0, {float(np.finfo(dt).max):g}] for input "
                           f"dtype {name}, but found {lambd:g}")
    return fnp.where(x > lambd, x - lambd, fnp.where(x < -lambd, x + lambd, 0.0))


def tanhshrink(x):
    """``x - tanh(x)``.

    >>> tanhshrink(fnp.asarray([0.0])).tolist()
    [0.0]
    """
    x = fnp.asarray(x)
    return x - fnp.tanh(x)


def mish(x, inplace: bool = False):
    """``x * tanh(softplus(x))`` (Misra, 2019).

    >>> round(mish(fnp.asarray([1.0])).tolist()[0], 6)
    0.865098
    """
    x = fnp.asarray(x)
    return x * fnp.tanh(softplus(x))


def glu(x, dim: int = -1):
    """The gated linear unit: ``a * sigmoid(b)`` for the halves ``a, b`` of ``x`` along ``dim``.

    >>> glu(fnp.asarray([1.0, 2.0, 0.0, 0.0])).tolist()
    [0.5, 1.0]
    """
    x = fnp.asarray(x)
    if x.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = dim % x.ndim
    n = x.shape[d]
    if n % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size {n}")
    a, b = fnp.split(x, 2, axis=d)
    return a * sigmoid(b)


def threshold(x, threshold: float, value: float, inplace: bool = False):
    """``x`` where ``x > threshold``, else ``value``.

    >>> threshold(fnp.asarray([0.5, 2.0]), 1.0, -1.0).tolist()
    [-1.0, 2.0]
    """
    x = fnp.asarray(x)
    return fnp.where(x > threshold, x, value)


def softmin(x, dim: int | None = None, dtype=None):
    """``softmax(-x)`` along ``dim``.

    >>> softmin(fnp.asarray([0.0, 1000.0]), dim=0).tolist()
    [1.0, 0.0]
    """
    x = fnp.asarray(x) if dtype is None else fnp.asarray(x).astype(dtype)
    return softmax(-x, dim=-1 if dim is None else dim)


def prelu(x, weight):
    """``x`` where ``x > 0``, else ``weight * x``; a 1-d ``weight`` of more than one element
    is one slope per channel (dimension 1).

    >>> prelu(fnp.asarray([-2.0, 3.0]), fnp.asarray([0.25])).tolist()
    [-0.5, 3.0]
    """
    x, w = fnp.asarray(x), fnp.asarray(weight)
    n = math.prod(w.shape)
    if n > 1:
        if x.ndim < 2 or x.shape[1] != n:
            raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found "
                               f"parameter numbers = {n} and channel size = "
                               f"{x.shape[1] if x.ndim >= 2 else 1}.")
        w = fnp.reshape(w, (n,) + (1,) * (x.ndim - 2))
    return fnp.where(x > 0, x, w * x)

