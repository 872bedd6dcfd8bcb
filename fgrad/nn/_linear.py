"""``torch.nn.functional.linear``: ``input @ weight.T + bias``, on facade tensors (one
``addmm`` node for a 2-d input with a bias, as PyTorch records it) or Arrays.
"""
from __future__ import annotations

from .. import numpy as fnp
from ..facade.torch_functions import FUNCTIONS
from ._helpers import is_tensor

__all__ = ["linear"]


def linear(input, weight, bias=None):
    """``input @ weight.T + bias`` (``torch.nn.functional.linear``); ``weight`` is
    ``(out_features, in_features)``.

    >>> linear(fnp.asarray([[1.0, 2.0]]), fnp.asarray([[1.0, 1.0]]), fnp.asarray([0.5])).tolist()
    [[3.5]]
    """
    if is_tensor(input) and bias is not None and input.ndim == 2 and weight.ndim == 2:
        return FUNCTIONS["addmm"](bias, input, weight.T)
    if not is_tensor(input) and not is_tensor(weight):
        input, weight = fnp.asarray(input), fnp.asarray(weight)
    out = input @ (weight.T if weight.ndim == 2 else weight)
    return out if bias is None else out + bias
