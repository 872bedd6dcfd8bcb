"""``torch.nn.functional.dropout``: zero each element with probability ``p`` and scale
the rest by ``1 / (1 - p)``, the mask drawn from fgrad's global generator
(``fgrad.manual_seed``; the draws differ from PyTorch's). Under ``jit`` the mask is
drawn once, when the function is traced.

>>> import fgrad
>>> x = fgrad.ones(1000)
>>> y = dropout(x, 0.5)
>>> sorted(set(y.tolist()))
[0.0, 2.0]
>>> dropout(x, 0.5, training=False) is x
True
"""
from __future__ import annotations

import warnings

import numpy as np

from ..facade import sampling as _sampling
from .. import numpy as fnp
from ._helpers import const_like, is_tensor

__all__ = ["dropout", "dropout1d", "dropout2d", "dropout3d"]


def _check_p(p) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def dropout(input, p: float = 0.5, training: bool = True, inplace: bool = False):
    """``input * mask / (1 - p)`` with ``mask ~ Bernoulli(1 - p)`` when ``training``, else
    ``input`` itself; ``p = 1`` gives zeros. ``inplace=True`` writes into ``input``."""
    return _masked(input, p, training, inplace, None)


def _masked(input, p, training, inplace, mask_shape):
    """``input`` times a kept-or-zeroed, rescaled mask of ``mask_shape`` (the input's shape
    when None; broadcast against it otherwise: one draw per channel)."""
    _check_p(p)
    if not training or p == 0.0:
        return input
    if not is_tensor(input):
        input = fnp.asarray(input)
    shape = tuple(input.shape) if mask_shape is None else mask_shape
    keep = _sampling._host_rng().random(shape) < 1.0 - p
    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)
    dtype = input._np_dtype if is_tensor(input) else np.dtype(input.dtype)
    mask = const_like((keep * scale).astype(dtype), input)
    if inplace:
        return input.mul_(mask)
    return input * mask


def _feature_dropout(input, p, training, inplace, batched: bool):
    """Channel-wise dropout (PyTorch's ``feature_dropout``): whole channels (dimension 1, or
    0 without a batch dimension) are zeroed together."""
    shape = tuple(input.shape)
    lead = 2 if batched else 1
    return _masked(input, p, training, inplace, shape[:lead] + (1,) * (len(shape) - lead))


def dropout1d(input, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Zero whole channels of ``(N, C, L)`` or ``(C, L)`` inputs with probability ``p``."""
    _check_p(p)
    n = input.ndim
    if n not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {n}D input. Note "
                           "that dropout1d exists to provide channel-wise dropout on inputs with "
                           "1 spatial dimension, a channel dimension, and an optional batch "
                           "dimension (i.e. 2D or 3D inputs).")
    return _feature_dropout(input, p, training, inplace, batched=n == 3)


def _deprecated_rank(name: str, n: int, spatial: int) -> None:
    warnings.warn(f"{name}: Received a {n}-D input to {name}, which is deprecated and will "
                  "result in an error in a future release. To retain the behavior and silence "
                  f"this warning, please use dropout instead. Note that {name} exists to provide "
                  f"channel-wise dropout on inputs with {spatial} spatial dimensions, a channel "
                  "dimension, and an optional batch dimension (i.e. "
                  f"{spatial + 1}D or {spatial + 2}D inputs).", stacklevel=3)


def dropout2d(input, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Zero whole channels of ``(N, C, H, W)`` inputs with probability ``p`` (a 3-D input is
    read as ``(N, C, L)``, with PyTorch's warning)."""
    _check_p(p)
    n = input.ndim
    if n not in (3, 4):
        _deprecated_rank("dropout2d", n, 2)
    if n == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise "
                      "1D dropout behavior is desired - input is interpreted as shape (N, C, L), "
                      "where C is the channel dim. This behavior will change in a future release "
                      "to interpret the input as one without a batch dimension, i.e. shape "
                      "(C, H, W). To maintain the 1D channel-wise dropout behavior, please switch "
                      "to using dropout1d instead.", stacklevel=2)
    return _feature_dropout(input, p, training, inplace, batched=True)


def dropout3d(input, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Zero whole channels of ``(N, C, D, H, W)`` or ``(C, D, H, W)`` inputs."""
    _check_p(p)
    n = input.ndim
    if n not in (4, 5):
        _deprecated_rank("dropout3d", n, 3)
    return _feature_dropout(input, p, training, inplace, batched=n == 5)

