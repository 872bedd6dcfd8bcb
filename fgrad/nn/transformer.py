"""The Transformer encoder, as PyTorch's ``TransformerEncoderLayer`` and
``TransformerEncoder``: self-attention (``MultiheadAttention``) and a feed-forward block
``linear2(dropout(activation(linear1(x))))``, each with a residual connection and a
``LayerNorm``, after the sum (``norm_first=False``, the original paper's post-norm) or
before the block (``norm_first=True``). PyTorch's submodule names (so ``state_dict``
keys match), defaults (``dim_feedforward=2048``, ``dropout=0.1``, ``relu``) and masks
(``src_mask``: boolean ``True`` masked, or float added to the scores;
``src_key_padding_mask``: ``(N, S)``). There is no fused fast path: every call runs the
composition below, which is PyTorch's slow path (the fast path computes the same
function, in eval mode without gradients).

>>> import fgrad
>>> from fgrad import nn
>>> layer = nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16,
...                                    batch_first=True)
>>> enc = nn.TransformerEncoder(layer, num_layers=2)
>>> enc(fgrad.randn(3, 5, 8)).shape
fgrad.Size([3, 5, 8])
>>> list(enc.state_dict())[:2]
['layers.0.self_attn.in_proj_weight', 'layers.0.self_attn.in_proj_bias']
"""
from __future__ import annotations

import copy
from typing import Callable

from . import functional as F
from .activation import GELU, ReLU
from .attention import MultiheadAttention
from .container import ModuleList
from .dropout_layers import Dropout
from .linear_layers import Linear
from .modules import Module
from .normalization import LayerNorm

__all__ = ["TransformerEncoderLayer", "TransformerEncoder"]


def _get_activation_fn(activation: str) -> Callable:
    if activation == "relu":
        return F.relu
    if activation == "gelu":
        return F.gelu
    raise RuntimeError(f"activation should be relu/gelu, not {activation}")


class TransformerEncoderLayer(Module):
    """One encoder layer: ``x + sa(x)`` then ``x + ff(x)``, normalised after each sum
    (or, with ``norm_first``, ``x + sa(norm1(x))`` then ``x + ff(norm2(x))``)."""

    def __init__(self, d_model: int, nhead: int, dim_feedforward: int = 2048,
                 dropout: float = 0.1, activation: str | Callable = F.relu,
                 layer_norm_eps: float = 1e-5, batch_first: bool = False,
                 norm_first: bool = False, bias: bool = True, device=None, dtype=None):
        super().__init__()
        kw = {"device": device, "dtype": dtype}
        self.self_attn = MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias,
                                            batch_first=batch_first, **kw)
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, **kw)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, **kw)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        if isinstance(activation, str):
            activation = _get_activation_fn(activation)
        if activation is F.relu or isinstance(activation, ReLU):
            self.activation_relu_or_gelu = 1
        elif activation is F.gelu or isinstance(activation, GELU):
            self.activation_relu_or_gelu = 2
        else:
            self.activation_relu_or_gelu = 0
        self.activation = activation

    def forward(self, src, src_mask=None, src_key_padding_mask=None, is_causal: bool = False):
        x = src
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), src_mask, src_key_padding_mask, is_causal)
            x = x + self._ff_block(self.norm2(x))
        else:
            x = self.norm1(x + self._sa_block(x, src_mask, src_key_padding_mask, is_causal))
            x = self.norm2(x + self._ff_block(x))
        return x

    def _sa_block(self, x, attn_mask, key_padding_mask, is_causal: bool = False):
        x = self.self_attn(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask,
                           need_weights=False, is_causal=is_causal)[0]
        return self.dropout1(x)

    def _ff_block(self, x):
        x = self.linear2(self.dropout(self.activation(self.linear1(x))))
        return self.dropout2(x)


class TransformerEncoder(Module):
    """``num_layers`` copies of ``encoder_layer`` (deep copies: separate parameters,
    initialised as the given layer is) applied in turn, then ``norm`` if given.
    ``enable_nested_tensor`` and ``mask_check`` are accepted and kept as attributes (there
    are no nested tensors here, so ``use_nested_tensor`` is False)."""

    def __init__(self, encoder_layer: TransformerEncoderLayer, num_layers: int,
                 norm: Module | None = None, enable_nested_tensor: bool = True,
                 mask_check: bool = True):
        super().__init__()
        self.layers = ModuleList([copy.deepcopy(encoder_layer) for _ in range(num_layers)])
        self.num_layers = num_layers
        self.norm = norm
        self.enable_nested_tensor = enable_nested_tensor
        self.use_nested_tensor = False
        self.mask_check = mask_check

    def forward(self, src, mask=None, src_key_padding_mask=None, is_causal: bool | None = None):
        # ``is_causal`` is a hint that ``mask`` is the causal mask; the mask is applied
        # either way (PyTorch checks for a given mask whether it is causal, for its kernels)
        output = src
        for mod in self.layers:
            output = mod(output, src_mask=mask, is_causal=is_causal is True,
                         src_key_padding_mask=src_key_padding_mask)
        if self.norm is not None:
            output = self.norm(output)
        return output
