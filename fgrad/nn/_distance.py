"""``torch.nn.functional``'s distances: ``cosine_similarity`` and ``pairwise_distance``
(compositions of primitives, on tensors or Arrays).

>>> import fgrad.numpy as fnp
>>> cosine_similarity(fnp.asarray([[1.0, 0.0]]), fnp.asarray([[1.0, 1.0]])).round(4).tolist()
[0.7071]
"""
from __future__ import annotations

from .. import numpy as fnp

__all__ = ["cosine_similarity", "pairwise_distance"]


def cosine_similarity(x1, x2, dim: int = 1, eps: float = 1e-8):
    """``sum(x1 * x2) / (max(|x1|, eps) * max(|x2|, eps))`` along ``dim`` (each norm clamped
    on its own, as PyTorch 2.x does), the inputs broadcast together."""
    x1, x2 = fnp.asarray(x1), fnp.asarray(x2)
    n1 = fnp.maximum(fnp.sqrt(fnp.sum(x1 * x1, axis=dim, keepdims=True)), eps)
    n2 = fnp.maximum(fnp.sqrt(fnp.sum(x2 * x2, axis=dim, keepdims=True)), eps)
    return fnp.sum((x1 / n1) * (x2 / n2), axis=dim)


def pairwise_distance(x1, x2, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False):
    """The ``p``-norm of ``x1 - x2 + eps`` along the last dimension.

    >>> import fgrad.numpy as fnp
    >>> pairwise_distance(fnp.asarray([[0.0, 0.0]]), fnp.asarray([[3.0, 4.0]]), eps=0.0).tolist()
    [5.0]
    """
    d = fnp.abs(fnp.asarray(x1) - fnp.asarray(x2) + eps)
    if p == float("inf"):
        return fnp.max(d, axis=-1, keepdims=keepdim)
    return fnp.sum(d ** p, axis=-1, keepdims=keepdim) ** (1.0 / p)
