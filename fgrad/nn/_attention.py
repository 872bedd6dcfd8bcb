"""``torch.nn.functional.scaled_dot_product_attention``:
``softmax(q k^T * scale + mask) v`` over the last two axes, written as PyTorch's
reference ("math") implementation: a boolean ``attn_mask`` keeps the ``True``
positions, a float one is added to the scores, ``is_causal`` keeps ``j <= i``.

>>> import fgrad
>>> q = k = v = fgrad.eye(2)[None]
>>> scaled_dot_product_attention(q, k, v, is_causal=True)[0, 0]
tensor([1., 0.])
"""
from __future__ import annotations

import math

import numpy as np

from .. import numpy as fnp
from ._dropout import dropout
from ._helpers import const_like, is_tensor

__all__ = ["scaled_dot_product_attention"]


def _is_bool(x) -> bool:
    return (x._np_dtype if is_tensor(x) else np.dtype(x.dtype)) == np.bool_


def attention_scores(query, key, attn_mask=None, is_causal: bool = False, scale=None):
    """``q k^T * scale`` with the masks applied (``-inf`` where masked), before softmax."""
    L, S = query.shape[-2], key.shape[-2]
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    scores = fnp.matmul(query, fnp.swapaxes(key, -2, -1)) * scale
    if is_causal:
        if attn_mask is not None:
            raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be "
                               "set when is_causal=True")
        scores = fnp.where(const_like(np.tril(np.ones((L, S), dtype=bool)), scores), scores,
                           -math.inf)
    if attn_mask is not None:
        if _is_bool(attn_mask):
            scores = fnp.where(attn_mask, scores, -math.inf)
        else:
            scores = scores + attn_mask
    return scores


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p: float = 0.0,
                                 is_causal: bool = False, scale: float | None = None,
                                 enable_gqa: bool = False):
    """Attention of ``query (..., L, E)`` over ``key (..., S, E)`` and ``value
    (..., S, Ev)``; ``scale`` defaults to ``1 / sqrt(E)``; ``dropout_p`` drops attention
    weights; ``enable_gqa`` repeats the key/value heads (axis -3) to the query's."""
    if not any(is_tensor(t) for t in (query, key, value)):
        query, key, value = fnp.asarray(query), fnp.asarray(key), fnp.asarray(value)
    if enable_gqa and query.ndim >= 3 and key.shape[-3] != query.shape[-3]:
        rep = query.shape[-3] // key.shape[-3]
        key = fnp.repeat(key, rep, axis=-3)
        value = fnp.repeat(value, rep, axis=-3)
    scores = attention_scores(query, key, attn_mask, is_causal, scale)
    weights = _softmax_last(scores)
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p)
    return fnp.matmul(weights, value)


def _softmax_last(x):
    """Softmax over the last axis, the maximum subtracted as a constant."""
    m = fnp.stop_gradient(fnp.max(x, axis=-1, keepdims=True))
    m = fnp.where(fnp.isfinite(m), m, 0.0)
    e = fnp.exp(x - m)
    return e / fnp.sum(e, axis=-1, keepdims=True)
