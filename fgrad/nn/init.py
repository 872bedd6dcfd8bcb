"""``fgrad.nn.init``: PyTorch's in-place initialisers (``uniform_ normal_ constant_
zeros_ ones_ eye_ xavier_uniform_ xavier_normal_ kaiming_uniform_ kaiming_normal_
orthogonal_ trunc_normal_``) and ``calculate_gain``. Each fills its tensor under
``no_grad`` from fgrad's global generator (``fgrad.manual_seed``): the distributions
and bounds are PyTorch's, the draws are not (the generators differ).

>>> import fgrad
>>> from fgrad import nn
>>> w = fgrad.empty(64, 32)
>>> _ = nn.init.xavier_uniform_(w)
>>> bool(w.abs().max() <= (6 / (64 + 32)) ** 0.5)
True
>>> nn.init.calculate_gain("relu")
1.4142135623730951
"""
from __future__ import annotations

import math
import warnings

from ..facade import creation as _creation, grad_mode as _grad_mode
from .. import linalg as _linalg
from ..scipy.special import erfinv as _erfinv
from ..facade.tensor import Tensor

__all__ = ["calculate_gain", "uniform_", "normal_", "trunc_normal_", "constant_", "zeros_",
           "ones_", "eye_", "xavier_uniform_", "xavier_normal_", "kaiming_uniform_",
           "kaiming_normal_", "orthogonal_"]

_LINEAR = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for ``nonlinearity`` (PyTorch's table): 1 for linear layers
    and sigmoid, 5/3 for tanh, sqrt(2) for relu, sqrt(2 / (1 + slope^2)) for leaky_relu,
    3/4 for selu.

    >>> calculate_gain("tanh")
    1.6666666666666667
    """
    if nonlinearity in _LINEAR or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            negative_slope = 0.01
        elif not isinstance(param, bool) and isinstance(param, (int, float)):
            negative_slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + negative_slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _fill(tensor: Tensor, draw) -> Tensor:
    with _grad_mode.no_grad():
        draw(tensor)
    return tensor


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator=None) -> Tensor:
    """Fill with ``U(a, b)``.

    >>> import fgrad
    >>> bool((uniform_(fgrad.empty(100), -1, 1).abs() <= 1).all())
    True
    """
    return _fill(tensor, lambda t: t.uniform_(a, b, generator=generator))


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator=None) -> Tensor:
    """Fill with ``N(mean, std^2)``."""
    return _fill(tensor, lambda t: t.normal_(mean, std, generator=generator))


def trunc_normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0,
                  b: float = 2.0, generator=None) -> Tensor:
    """Fill with ``N(mean, std^2)`` truncated to ``[a, b]`` (inverse-CDF sampling, as
    PyTorch: a uniform draw between the bounds' CDFs mapped through ``erfinv``).

    >>> import fgrad
    >>> t = trunc_normal_(fgrad.empty(1000), a=-0.5, b=0.5)
    >>> bool((t.abs() <= 0.5).all())
    True
    """
    def cdf(x):
        return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0
    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The "
                      "distribution of values may be incorrect.", stacklevel=2)
    lo, hi = cdf((a - mean) / std), cdf((b - mean) / std)

    def draw(t):
        u = _creation.empty(tuple(t.shape), device=t.device).double()
        u.uniform_(2 * lo - 1, 2 * hi - 1)
        v = _erfinv(u) * (std * math.sqrt(2.0)) + mean
        t.copy_(v.clamp(min=a, max=b))
    return _fill(tensor, draw)


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill with ``val``."""
    return _fill(tensor, lambda t: t.fill_(val))


def ones_(tensor: Tensor) -> Tensor:
    """Fill with ones."""
    return _fill(tensor, lambda t: t.fill_(1.0))


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with zeros."""
    return _fill(tensor, lambda t: t.zero_())


def eye_(tensor: Tensor) -> Tensor:
    """Fill a 2-d tensor with the identity (ones on the diagonal).

    >>> import fgrad
    >>> eye_(fgrad.empty(2, 3))
    tensor([[1., 0., 0.],
            [0., 1., 0.]])
    """
    if tensor.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    return _fill(tensor, lambda t: t.copy_(_creation.eye(*t.shape, dtype=t.dtype,
                                                       device=t.device)))


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    if tensor.dim() < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 "
                         "dimensions")
    receptive = math.prod(tensor.shape[2:]) if tensor.dim() > 2 else 1
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _calculate_correct_fan(tensor: Tensor, mode: str) -> int:
    mode = mode.lower()
    valid = ["fan_in", "fan_out"]
    if mode not in valid:
        raise ValueError(f"Mode {mode} not supported, please use one of {valid}")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """Glorot uniform: ``U(-a, a)`` with ``a = gain sqrt(6 / (fan_in + fan_out))``."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    a = math.sqrt(3.0) * std
    return uniform_(tensor, -a, a, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator=None) -> Tensor:
    """Glorot normal: ``N(0, std^2)`` with ``std = gain sqrt(2 / (fan_in + fan_out))``."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def _kaiming_std(tensor, a, mode, nonlinearity):
    fan = _calculate_correct_fan(tensor, mode)
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(tensor: Tensor, a: float = 0, mode: str = "fan_in",
                     nonlinearity: str = "leaky_relu", generator=None) -> Tensor:
    """He uniform: ``U(-b, b)`` with ``b = gain sqrt(3 / fan)`` (``fan`` by ``mode``,
    ``gain = calculate_gain(nonlinearity, a)``)."""
    if 0 in tuple(tensor.shape):
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=2)
        return tensor
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: Tensor, a: float = 0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu", generator=None) -> Tensor:
    """He normal: ``N(0, std^2)`` with ``std = gain / sqrt(fan)``."""
    if 0 in tuple(tensor.shape):
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=2)
        return tensor
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity), generator)


def orthogonal_(tensor: Tensor, gain: float = 1, generator=None) -> Tensor:
    """A (semi-)orthogonal matrix, as PyTorch: the ``Q`` of a Gaussian matrix's QR
    (signs fixed by ``R``'s diagonal), trailing dimensions flattened, times ``gain``.

    >>> import fgrad
    >>> q = orthogonal_(fgrad.empty(3, 5))
    >>> bool(((q @ q.T) - fgrad.eye(3)).abs().max() < 1e-5)
    True
    """
    if tensor.ndim < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.numel() // rows

    def draw(t):
        flat = _creation.empty(rows, cols, dtype=t.dtype, device=t.device).normal_()
        if rows < cols:
            flat = flat.T
        q, r = _linalg.qr(flat)
        q = q * r.diagonal().sign()
        if rows < cols:
            q = q.T
        t.copy_(q.reshape(tuple(t.shape)) * gain)
    return _fill(tensor, draw)
