"""Argument handling shared by the distributions: arrays promoted together, as JAX's
``promote_args_inexact`` (floats keep their dtype, integers become float64)."""
from __future__ import annotations

import numpy as np

from ... import numpy as fnp


def promote(*args):
    """The arguments as arrays of one common inexact dtype (Python scalars are weak)."""
    arrays = [fnp.asarray(a) for a in args]
    strong = [a.dtype for a, raw in zip(arrays, args) if not isinstance(raw, (int, float))]
    dtype = np.result_type(*strong) if strong else np.dtype(np.float64)
    if dtype.kind not in "fc":
        dtype = np.result_type(dtype, np.float64)
    return tuple(fnp.astype(a, dtype) if a.dtype != dtype else a for a in arrays)
