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

import numpy as np

from ..facade import sampling as _sampling
from .. import numpy as fnp
from ._helpers import const_like, is_tensor

__all__ = ["dropout"]


def _check_p(p) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def dropout(input, p: float = 0.5, training: bool = True, inplace: bool = False):
    """``input * mask / (1 - p)`` with ``mask ~ Bernoulli(1 - p)`` when ``training``, else
    ``input`` itself; ``p = 1`` gives zeros. ``inplace=True`` writes into ``input``."""
    _check_p(p)
    if not training or p == 0.0:
        return input
    if not is_tensor(input):
        input = fnp.asarray(input)
    keep = _sampling._host_rng().random(tuple(input.shape)) < 1.0 - p
    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)
    dtype = input._np_dtype if is_tensor(input) else np.dtype(input.dtype)
    mask = const_like((keep * scale).astype(dtype), input)
    if inplace:
        return input.mul_(mask)
    return input * mask
