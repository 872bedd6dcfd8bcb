"""``fgrad.nn.functional``: the functional neural-network API, as ``jax.nn`` and
``torch.nn.functional`` (one module holds both faces' names). Each function lives in
the file of its kind and is imported here by name:

- ``_activations.py``: ``relu gelu sigmoid softplus softmax log_softmax ...``
- ``_losses.py``: ``mse_loss nll_loss cross_entropy binary_cross_entropy ... kl_div``
- ``_normalization.py``: ``batch_norm layer_norm rms_norm group_norm normalize
  standardize``
- ``_distance.py``: ``cosine_similarity pairwise_distance``
- ``_linear.py`` ``linear``; ``_dropout.py`` ``dropout``; ``_sparse.py`` ``one_hot
  embedding``; ``_attention.py`` ``scaled_dot_product_attention``
- ``_conv_functional.py``: convolutions, pooling, ``unfold``/``fold`` and ``pad``

All are compositions of primitives (no derivative rules of their own) and accept facade
tensors or Arrays. Where JAX and PyTorch differ, Arrays get JAX's behaviour and tensors
PyTorch's (``gelu``'s default form, derivatives at kinks); reductions take ``axis`` (JAX)
or ``dim`` (PyTorch).

>>> import fgrad.numpy as fnp, fgrad.nn as nn
>>> nn.softmax(fnp.asarray([1000.0, 0.0])).tolist()
[1.0, 0.0]
"""
from __future__ import annotations

from ..scipy.special import logsumexp
from ._activations import (relu, relu6, leaky_relu, elu, celu, selu, gelu, sigmoid, tanh,
                           silu, swish, softplus, log_sigmoid, softsign, hard_tanh, hardtanh,
                           hard_sigmoid, softmax, log_softmax, logsigmoid, hardsigmoid,
                           hardswish, hardshrink, softshrink, tanhshrink, mish, glu, threshold,
                           softmin, prelu)
from ._distance import cosine_similarity, pairwise_distance
from ._linear import linear
from ._losses import (mse_loss, nll_loss, cross_entropy, binary_cross_entropy,
                      binary_cross_entropy_with_logits, l1_loss, smooth_l1_loss, huber_loss,
                      kl_div)
from ._normalization import (batch_norm, layer_norm, rms_norm, group_norm, standardize,
                             normalize, instance_norm)
from ._dropout import dropout, dropout1d, dropout2d, dropout3d
from ._sparse import one_hot, embedding
from ._attention import scaled_dot_product_attention
from ._conv_functional import (conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d,
                               conv_transpose3d, max_pool1d, max_pool2d, max_pool3d,
                               avg_pool1d, avg_pool2d, avg_pool3d, adaptive_avg_pool1d,
                               adaptive_avg_pool2d, adaptive_max_pool1d, adaptive_max_pool2d,
                               unfold, fold, pad)

__all__ = ["relu", "relu6", "elu", "selu", "celu", "gelu", "silu", "swish", "softplus",
           "sigmoid", "log_sigmoid", "softmax", "log_softmax", "one_hot", "standardize",
           "normalize", "logsumexp", "leaky_relu", "hard_tanh", "hardtanh", "softsign",
           "hard_sigmoid", "tanh", "linear", "mse_loss", "nll_loss", "cross_entropy",
           "binary_cross_entropy", "binary_cross_entropy_with_logits", "l1_loss",
           "smooth_l1_loss", "huber_loss", "kl_div", "batch_norm", "layer_norm", "group_norm",
           "dropout", "embedding", "scaled_dot_product_attention", "rms_norm", "logsigmoid",
           "hardsigmoid", "hardswish", "hardshrink", "softshrink", "tanhshrink", "mish", "glu",
           "threshold", "softmin", "prelu", "cosine_similarity", "pairwise_distance",
           "instance_norm", "dropout1d", "dropout2d", "dropout3d"]
