"""``fgrad.flatten_util.ravel_pytree``, as ``jax.flatten_util``.

>>> import fgrad.numpy as fnp
>>> flat, unravel = ravel_pytree({'a': fnp.ones(2), 'b': 3.0})
>>> flat
Array([1., 1., 3.])
>>> unravel(flat * 2)
{'a': Array([2., 2.]), 'b': Array(6.)}
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from . import numpy as fnp
from .tree_util import tree_flatten, tree_unflatten

__all__ = ["ravel_pytree"]


def ravel_pytree(pytree: Any) -> tuple[Any, Callable]:
    """``(flat, unravel)``: every leaf raveled and concatenated into one 1-d array (in
    their common dtype), and the function mapping such a vector back to the tree
    (each leaf in its own shape and dtype). Both are differentiable.

    >>> import fgrad.numpy as fnp
    >>> ravel_pytree([fnp.zeros((2, 2), dtype='float32')])[0].shape
    (4,)
    """
    leaves, treedef = tree_flatten(pytree)
    arrays = [fnp.asarray(x) for x in leaves]
    shapes = [a.shape for a in arrays]
    dtypes = [a.dtype for a in arrays]
    sizes = [int(np.prod(s)) for s in shapes]
    dtype = np.result_type(*dtypes) if dtypes else np.dtype(np.float64)
    if arrays:
        flat = fnp.concatenate([fnp.ravel(fnp.astype(a, dtype)) for a in arrays])
    else:
        flat = fnp.zeros((0,), dtype=dtype)
    offsets = np.cumsum([0] + sizes)

    def unravel(vec):
        vec = fnp.asarray(vec)
        if vec.shape != (int(offsets[-1]),):
            raise ValueError(f"The unravel function expected an array of shape "
                             f"{(int(offsets[-1]),)}, got shape {vec.shape}")
        parts = [fnp.astype(fnp.reshape(vec[int(o):int(o) + n], s), dt)
                 for o, n, s, dt in zip(offsets[:-1], sizes, shapes, dtypes)]
        return tree_unflatten(treedef, parts)

    return flat, unravel
