"""``torch.nn.functional``'s sparse functions: ``one_hot`` (with ``jax.nn.one_hot``'s
``dtype``/``axis``) and ``embedding``: rows of ``weight`` picked by integer indices, with
PyTorch's ``padding_idx`` (that row gets no gradient), ``max_norm`` (the picked rows
renormalised in place) and ``scale_grad_by_freq`` (each row's gradient divided by how
often it occurs in the batch). The gradient is dense (``sparse=True`` is not supported).

>>> import fgrad
>>> w = fgrad.arange(6.0).reshape(3, 2)
>>> embedding(fgrad.tensor([2, 0]), w)
tensor([[4., 5.],
        [0., 1.]])
"""
from __future__ import annotations

import numpy as np

from ..facade import grad_mode as _grad_mode
from .. import numpy as fnp
from .._axes import normalize_axis
from ._helpers import concrete, const_like, is_tensor

__all__ = ["one_hot", "embedding"]


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


def _host_indices(input) -> np.ndarray:
    return input.detach().numpy() if is_tensor(input) else np.asarray(input)


def embedding(input, weight, padding_idx: int | None = None, max_norm: float | None = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False):
    """``weight[input]``: an output of shape ``input.shape + (embedding_dim,)``."""
    if sparse:
        raise NotImplementedError("embedding: sparse=True is not supported (fgrad has no "
                                  "sparse gradients); use sparse=False")
    if not is_tensor(input) and not is_tensor(weight):
        input, weight = fnp.asarray(input), fnp.asarray(weight)
    kind = (input._np_dtype if is_tensor(input) else np.dtype(input.dtype)).kind
    if kind not in "iu":
        name = "torch.FloatTensor" if kind == "f" else str(input.dtype)
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the "
                           f"following scalar types: Long, Int; but got {name} instead "
                           "(while checking arguments for embedding)")
    n = weight.shape[0]
    if padding_idx is not None:
        if padding_idx > 0 and padding_idx >= n or padding_idx < 0 and padding_idx < -n:
            raise AssertionError("Padding_idx must be within num_embeddings")
        if padding_idx < 0:
            padding_idx += n
    if max_norm is not None:
        _renorm_rows(input, weight, max_norm, norm_type)
    rows = fnp.take(weight, input, axis=0)
    if padding_idx is None and not scale_grad_by_freq:
        return rows
    if not concrete(input):
        raise NotImplementedError("embedding: padding_idx and scale_grad_by_freq need concrete "
                                  "indices (not traced ones)")
    idx = _host_indices(input)
    scale = np.ones(idx.shape, dtype=np.float64)
    if scale_grad_by_freq:
        _, inverse, counts = np.unique(idx, return_inverse=True, return_counts=True)
        scale = scale / counts[inverse.reshape(idx.shape)]
    if padding_idx is not None:
        scale = np.where(idx == padding_idx, 0.0, scale)
    s = const_like(scale[..., None].astype(weight.dtype if not is_tensor(weight)
                                           else weight._np_dtype), rows)
    # the value is rows; the gradient reaching weight is scaled by s
    const = fnp.stop_gradient(rows)
    return const + (rows - const) * s


def _renorm_rows(input, weight, max_norm, norm_type):
    """PyTorch's ``embedding_renorm_``: rows referenced by ``input`` with norm above
    ``max_norm`` scaled to ``max_norm / (norm + 1e-7)`` of themselves, in place."""
    if not is_tensor(weight):
        raise TypeError("embedding: max_norm renormalises weight in place; weight must be a "
                        "tensor")
    idx = np.unique(_host_indices(input))
    with _grad_mode.no_grad():
        w = weight.detach()
        sel = w[const_like(idx.astype(np.int64), w)]
        norms = sel.abs().pow(norm_type).sum(-1).pow(1.0 / norm_type)
        factor = fnp.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0)
        w[const_like(idx.astype(np.int64), w)] = sel * factor[:, None]
