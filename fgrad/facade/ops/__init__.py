"""PyTorch-semantics functions over ``fgrad.numpy``: the facade's math, reductions,
linear algebra, shape and indexing ops, one file per family (``elementwise``, ``reductions``,
``shape``, ``linalg``, ``indexing``, ``sorting``; dtype promotion in ``fgrad.facade.promotion``).

Every function here is a composition of ``fgrad.numpy`` functions and
primitives (no derivative rules of its own), so it runs unchanged on
``fgrad.Array``, on tracers (under ``grad``/``vmap``) and on the facade's
``Tensor`` (whose bind handler records autograd nodes). Signatures, defaults,
dtypes and errors follow PyTorch 2.x; ``METHODS`` lists the functions that are
also ``Tensor`` methods (the tensor is the first argument).

Dtype promotion follows PyTorch (``result_type`` below): tensors with
dimensions outrank 0-d tensors, which outrank Python numbers, unless a lower
rank holds a higher category (bool < integer < floating < complex); a Python
float counts as the default float dtype (float32); integer true division and
float functions (``exp``, ``sqrt`` ...) of integers give the default float dtype.

Derivatives at kinks are PyTorch's: ``abs``/``sign`` at 0 give 0, ``clamp``
passes the gradient at a bound, ``relu`` at 0 gives 0, ``max()``/``amax``
split ties evenly while ``max(dim)``/``median(dim)`` send the gradient to the
returned index, ``norm`` at 0 gives 0.

>>> import fgrad.numpy as fnp
>>> from fgrad.facade import ops as T
>>> T.max(fnp.asarray([[1.0, 5.0], [7.0, 2.0]]), dim=1).indices
Array([1, 0])
"""
from __future__ import annotations

from ..promotion import result_type, promote_types
from ._common import return_types
from . import elementwise, reductions, shape, linalg, indexing, sorting
from .elementwise import (
    abs, absolute, acos, add, addcdiv, addcmul, allclose, arccos, arcsin, arctan, arctan2,
    asin, atan, atan2, bitwise_and, bitwise_not, bitwise_or, bitwise_xor, ceil, clamp, clip,
    cos, cosh, div, divide, eq, equal, exp, expm1, fix, floor, floor_divide, fmod, frac, ge,
    greater, greater_equal, gt, isclose, isfinite, isinf, isnan, le, lerp, less, less_equal,
    log, log10, log1p, log2, logical_and, logical_not, logical_or, logical_xor, lt, maximum,
    minimum, mul, multiply, ne, neg, negative, not_equal, pow, reciprocal, relu, remainder,
    round, rsqrt, sigmoid, sign, sin, sinh, sqrt, square, sub, subtract, tan, tanh,
    true_divide, trunc)
from .reductions import (
    all, amax, amin, any, argmax, argmin, count_nonzero, cumprod, cumsum, logsumexp, max,
    mean, min, norm, prod, std, std_mean, sum, var, var_mean)
from .shape import (
    broadcast_to, cat, chunk, concat, concatenate, dstack, expand, expand_as, flatten, flip,
    fliplr, flipud, hstack, moveaxis, movedim, narrow, permute, ravel, repeat, reshape,
    reshape_as, roll, row_stack, split, squeeze, stack, swapaxes, swapdims, t, tensor_split,
    tile, transpose, unbind, unflatten, unsqueeze, vstack)
from .linalg import (
    addbmm, addmm, addmv, addr, baddbmm, bmm, cross, det, diag, diagonal, dot, einsum, ger,
    inverse, matmul, mm, mv, outer, svd, trace, tril, triu)
from .indexing import (
    argwhere, gather, index_select, masked_fill, masked_select, nonzero, repeat_interleave,
    scatter, scatter_add, scatter_reduce, take, take_along_dim, where)
from .sorting import (
    argsort, kthvalue, median, mode, sort, topk)

# ======================================================== exports =======
# Names PyTorch has only as Tensor methods (not as torch.<name> functions).
METHOD_ONLY = ("expand", "expand_as", "reshape_as", "repeat")

__all__ = sorted(n for family in (elementwise, reductions, shape, linalg, indexing, sorting)
                 for n in family.__all__) + ["result_type", "promote_types"]

# Functions that are also Tensor methods, the tensor first (``x.sum(dim=1)``). Not
# ``where``: ``x.where(cond, y)`` is ``where(cond, x, y)`` (the facade swaps the arguments).
METHODS = tuple(n for n in __all__ if n not in (
    "result_type", "promote_types", "cat", "concat", "concatenate", "stack", "hstack", "vstack", "row_stack",
    "dstack", "einsum", "where", "std_mean", "var_mean"))

# grad_fn names PyTorch shows for the composites here (the facade may use them to name
# the node of a composite's output).
GRAD_FN_NAMES = {
    "mean": "MeanBackward0", "mean_dim": "MeanBackward1", "std": "StdBackward0",
    "var": "VarBackward0", "norm": "LinalgVectorNormBackward0", "logsumexp": "LogsumexpBackward0",
    "relu": "ReluBackward0", "max_dim": "MaxBackward0", "min_dim": "MinBackward0",
    "median": "MedianBackward0", "median_dim": "MedianBackward1", "sort": "SortBackward0",
    "topk": "TopkBackward0", "kthvalue": "KthvalueBackward0", "mode": "ModeBackward0",
    "mm": "MmBackward0", "bmm": "BmmBackward0", "mv": "MvBackward0", "dot": "DotBackward0",
    "matmul": "MmBackward0", "addmm": "AddmmBackward0", "addbmm": "AddbmmBackward0",
    "baddbmm": "BaddbmmBackward0", "addmv": "AddmvBackward0", "addr": "AddrBackward0",
    "outer": "MulBackward0", "trace": "TraceBackward0", "diag": "DiagEmbedBackward0",
    "diagonal": "DiagonalBackward0", "cross": "LinalgCrossBackward0",
    "clamp": "ClampBackward1", "gather": "GatherBackward0", "scatter": "ScatterBackward0",
    "scatter_add": "ScatterAddBackward0", "index_select": "IndexSelectBackward0",
    "masked_select": "MaskedSelectBackward0", "masked_fill": "MaskedFillBackward0",
    "rsqrt": "RsqrtBackward0", "reciprocal": "ReciprocalBackward0", "square": "PowBackward0",
    "lerp": "LerpBackward0", "addcmul": "AddcmulBackward0", "addcdiv": "AddcdivBackward0",
    "frac": "FracBackward0", "log2": "Log2Backward0", "log10": "Log10Backward0",
    "split": "SplitBackward0", "chunk": "SplitBackward0", "unbind": "UnbindBackward0",
    "stack": "StackBackward0", "cat": "CatBackward0", "repeat": "RepeatBackward0",
    "flatten": "ViewBackward0", "squeeze": "SqueezeBackward0", "unsqueeze": "UnsqueezeBackward0",
    "t": "TBackward0", "transpose": "TransposeBackward0", "permute": "PermuteBackward0",
    "expand": "ExpandBackward0", "narrow": "SliceBackward0", "roll": "RollBackward0",
    "sum_dim": "SumBackward1", "squeeze_dim": "SqueezeBackward1", "tril": "TrilBackward0",
    "triu": "TriuBackward0", "trunc": "TruncBackward0", "fix": "TruncBackward0",
}
