"""Matrix products and linear algebra with PyTorch's semantics (``mm bmm matmul addmm
einsum trace tril`` ...).
"""
from __future__ import annotations

import numpy as np
from ... import numpy as fnp
from ...primitives import binary as B, reductions as R, shape as S
from ..promotion import _arr, _dt, _promote, _py_abs, _py_max, _py_min
from ._common import public_names, _dtype_name, _shape_str, _wrap_dim
from .reductions import sum
from .shape import stack, unbind


def _same_dtype(name, a, b):
    """PyTorch's dtype check of a matrix product's operands, in its words for ``name``."""
    da, db = _dt(a), _dt(b)
    if da == db:
        return
    if name == "bmm":
        raise RuntimeError(f"expected scalar type {_dtype_name(da)} but found {_dtype_name(db)}")
    if name == "mv":
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got "
                           f"{_dtype_name(db)}, {_dtype_name(da)}, and {_dtype_name(db)}")
    raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                       f"{_dtype_name(da).lower()} != {_dtype_name(db).lower()}")


def _same_dtype_with_input(name, input, a, b):
    """The dtype check of the ``add*`` products, which compare ``input`` first (PyTorch's
    order and words)."""
    di, da, db = _dt(input), _dt(a), _dt(b)
    if name == "baddbmm" and di != da:
        raise RuntimeError(f"Input dtypes must be the same, got: input "
                           f"{_dtype_name(di).lower()}, batch1: {_dtype_name(da).lower()}, "
                           f"batch2: {_dtype_name(db).lower()}")
    if name == "addmv" and not di == da == db:
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got "
                           f"{_dtype_name(di)}, {_dtype_name(da)}, and {_dtype_name(db)}")
    if name in ("addmm", "addbmm"):
        for what, d in (("self", di), ("mat1", da)):
            if d != db:
                raise RuntimeError(f"{what} and mat2 must have the same dtype, but got "
                                   f"{_dtype_name(d)} and {_dtype_name(db)}")


def _mm_error(a_shape, b_shape):
    return RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({_shape_str(a_shape)} and "
                        f"{_shape_str(b_shape)})")


def matmul(input, other):
    """The matrix product with PyTorch's rules for 1-D (vector) and batched (broadcast) operands.

    >>> import fgrad.numpy as fnp
    >>> matmul(fnp.ones((2, 3)), fnp.ones((3, 4))).shape
    (2, 4)
    """
    a, b = _arr(input), _arr(other)
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{a.ndim}D and {b.ndim}D")
    if a.ndim == 1 and b.ndim == 1:
        return dot(a, b)
    if a.ndim <= 2 and b.ndim == 1:
        return mv(a, b)
    _same_dtype("matmul", a, b)
    ka = a.shape[-1]
    kb = b.shape[-2] if b.ndim >= 2 else b.shape[0]
    if ka != kb:
        if b.ndim <= 2:
            rows = int(np.prod(a.shape[:-1], dtype=np.int64))
            raise _mm_error((rows, ka), tuple(b.shape))
        if a.ndim <= 2:
            raise _mm_error((1, ka) if a.ndim == 1 else tuple(a.shape), tuple(b.shape[-2:]))
        batch = int(np.prod(a.shape[:-2], dtype=np.int64))
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{batch}, {ka}] but got: [{int(np.prod(b.shape[:-2]))}, {kb}].")
    try:
        if a.ndim > 2 or b.ndim > 2:
            B.broadcast_shapes("matmul", tuple(a.shape[:-2]), tuple(b.shape[:-2])
                               if b.ndim > 1 else ())
    except ValueError:
        sa, sb = tuple(a.shape[:-2]), tuple(b.shape[:-2])
        n = _py_max(len(sa), len(sb))
        sa, sb = (1,) * (n - len(sa)) + sa, (1,) * (n - len(sb)) + sb
        i = next(i for i in range(n) if sa[i] != sb[i] and 1 not in (sa[i], sb[i]))
        raise RuntimeError(f"The size of tensor a ({sa[i]}) must match the size of tensor b "
                           f"({sb[i]}) at non-singleton dimension {i}") from None
    return fnp.matmul(a, b)


def mm(input, mat2):
    """The product of two matrices.

    >>> import fgrad.numpy as fnp
    >>> mm(fnp.ones((2, 3)), fnp.ones((3, 4))).shape
    (2, 4)
    """
    a, b = _arr(input), _arr(mat2)
    if a.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if b.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    if a.shape[1] != b.shape[0]:
        raise _mm_error(a.shape, b.shape)
    _same_dtype("mm", a, b)
    return fnp.matmul(a, b)


def bmm(input, mat2):
    """Batched matrix product of two 3-D tensors with the same batch size.

    >>> import fgrad.numpy as fnp
    >>> bmm(fnp.ones((5, 2, 3)), fnp.ones((5, 3, 4))).shape
    (5, 2, 4)
    """
    a, b = _arr(input), _arr(mat2)
    if a.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if b.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}].")
    _same_dtype("bmm", a, b)
    return fnp.matmul(a, b)


def mv(input, vec):
    """Matrix times vector.

    >>> import fgrad.numpy as fnp
    >>> mv(fnp.ones((2, 3)), fnp.ones(3))
    Array([3., 3.])
    """
    a, v = _arr(input), _arr(vec)
    if a.ndim != 2 or v.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {a.ndim}, {v.ndim}")
    if a.shape[1] != v.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({a.shape[0]}), mat ({_shape_str(a.shape)}), "
                           f"vec ({v.shape[0]})")
    _same_dtype("mv", a, v)
    return fnp.matmul(a, v)


def dot(input, tensor):
    """Inner product of two 1-D tensors of one dtype (as PyTorch: no broadcasting).

    >>> import fgrad.numpy as fnp
    >>> dot(fnp.asarray([1.0, 2.0]), fnp.asarray([3.0, 4.0]))
    Array(11.)
    """
    a, b = _arr(input), _arr(tensor)
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src "
                           f"[{b.shape[0]}] to have the same number of elements, but got "
                           f"{a.shape[0]} and {b.shape[0]} elements respectively")
    if _dt(a) != _dt(b):
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                           f"{_dtype_name(_dt(a))} and {_dtype_name(_dt(b))}")
    return R.reduce_sum(a * b, (0,))


def outer(input, vec2):
    """Outer product of two vectors (dtypes promoted).

    >>> import fgrad.numpy as fnp
    >>> outer(fnp.asarray([1.0, 2.0]), fnp.asarray([1.0, 0.0, 1.0])).shape
    (2, 3)
    """
    _, (a, b) = _promote(input, vec2)
    a, b = _arr(a), _arr(b)
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"outer: Expected 1-D argument self, but got {a.ndim}-D"
                           if a.ndim != 1 else
                           f"outer: Expected 1-D argument vec2, but got {b.ndim}-D")
    return S.expand_dims(a, (1,)) * S.expand_dims(b, (0,))


ger = outer


def cross(input, other, dim=None):
    """Cross product of 3-vectors along ``dim`` (the first dim of size 3 if None).

    >>> import fgrad.numpy as fnp
    >>> cross(fnp.asarray([1.0, 0.0, 0.0]), fnp.asarray([0.0, 1.0, 0.0]))
    Array([0., 0., 1.])
    """
    _, (a, b) = _promote(input, other)
    a, b = _arr(a), _arr(b)
    shape = B.broadcast_shapes("cross", tuple(a.shape), tuple(b.shape))
    a, b = S.broadcast_to(a, shape), S.broadcast_to(b, shape)
    if dim is None:
        dim = next((i for i, s in enumerate(shape) if s == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    d = _wrap_dim(dim, len(shape))
    if shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {d} must have length 3. Got "
                           f"{a.shape[d]} and {b.shape[d]}")
    a0, a1, a2 = unbind(a, d)
    b0, b1, b2 = unbind(b, d)
    return stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], d)


def _scaled(input, prod_, beta, alpha):
    """``beta * input + alpha * prod_`` (``beta == 0`` ignores ``input``, NaN included)."""
    p = prod_ if alpha == 1 else prod_ * alpha
    if beta == 0:
        return S.broadcast_to(p, B.broadcast_shapes("add", tuple(input.shape), tuple(p.shape)))
    _, (i, p) = _promote(input, p)
    return (i if beta == 1 else i * beta) + p


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """``beta * input + alpha * (mat1 @ mat2)``.

    >>> import fgrad.numpy as fnp
    >>> addmm(fnp.zeros(2), fnp.ones((2, 3)), fnp.ones((3, 2)), alpha=2)
    Array([[6., 6.],
           [6., 6.]])
    """
    input, mat1, mat2 = _arr(input), _arr(mat1), _arr(mat2)
    _same_dtype_with_input("addmm", input, mat1, mat2)
    return _scaled(input, mm(mat1, mat2), beta, alpha)


def addbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """``beta * input + alpha * sum_b(batch1[b] @ batch2[b])``.

    >>> import fgrad.numpy as fnp
    >>> addbmm(fnp.zeros((2, 2)), fnp.ones((4, 2, 3)), fnp.ones((4, 3, 2)))[0, 0]
    Array(12.)
    """
    input, batch1, batch2 = _arr(input), _arr(batch1), _arr(batch2)
    _same_dtype_with_input("addbmm", input, batch1, batch2)
    return _scaled(input, R.reduce_sum(bmm(batch1, batch2), (0,)), beta, alpha)


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """``beta * input + alpha * (batch1 @ batch2)`` per batch.

    >>> import fgrad.numpy as fnp
    >>> baddbmm(fnp.zeros((4, 2, 2)), fnp.ones((4, 2, 3)), fnp.ones((4, 3, 2))).shape
    (4, 2, 2)
    """
    input, batch1, batch2 = _arr(input), _arr(batch1), _arr(batch2)
    _same_dtype_with_input("baddbmm", input, batch1, batch2)
    return _scaled(input, bmm(batch1, batch2), beta, alpha)


def addmv(input, mat, vec, *, beta=1, alpha=1):
    """``beta * input + alpha * (mat @ vec)``.

    >>> import fgrad.numpy as fnp
    >>> addmv(fnp.ones(2), fnp.ones((2, 3)), fnp.ones(3))
    Array([4., 4.])
    """
    input, mat, vec = _arr(input), _arr(mat), _arr(vec)
    _same_dtype_with_input("addmv", input, mat, vec)
    return _scaled(input, mv(mat, vec), beta, alpha)


def addr(input, vec1, vec2, *, beta=1, alpha=1):
    """``beta * input + alpha * outer(vec1, vec2)``.

    >>> import fgrad.numpy as fnp
    >>> addr(fnp.zeros((2, 2)), fnp.ones(2), fnp.ones(2))
    Array([[1., 1.],
           [1., 1.]])
    """
    return _scaled(_arr(input), outer(vec1, vec2), beta, alpha)


def diagonal(input, offset: int = 0, dim1: int = 0, dim2: int = 1):
    """The ``offset`` diagonal of the ``(dim1, dim2)`` planes, appended as the last dim
    (a strided slice of the flattened planes, so its gradient is exact and cheap).

    >>> import fgrad.numpy as fnp
    >>> diagonal(fnp.arange(9).reshape(3, 3), 1)
    Array([1, 5])
    """
    x = _arr(input)
    d1, d2 = _wrap_dim(dim1, x.ndim), _wrap_dim(dim2, x.ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    x = fnp.moveaxis(x, (d1, d2), (-2, -1))
    n, m = x.shape[-2], x.shape[-1]
    k = int(offset)
    length = _py_max(0, _py_min(n, m - k) if k >= 0 else _py_min(n + k, m))
    start = k if k >= 0 else -k * m
    flat = S.reshape(x, tuple(x.shape[:-2]) + (n * m,))
    if length == 0:
        return S.slice_axis(flat, flat.ndim - 1, 0, 0)
    return S.slice_axis(flat, flat.ndim - 1, start, start + (length - 1) * (m + 1) + 1, m + 1)


def diag(input, diagonal: int = 0):
    """A 1-D input as the ``diagonal``-th diagonal of a square matrix; a 2-D input's
    ``diagonal``-th diagonal.

    >>> import fgrad.numpy as fnp
    >>> diag(fnp.asarray([1, 2]))
    Array([[1, 0],
           [0, 2]])
    """
    x = _arr(input)
    if x.ndim == 2:
        return globals()["diagonal"](x, diagonal)
    if x.ndim != 1:
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {x.ndim}D")
    k, n = int(diagonal), x.shape[0]
    size = n + _py_abs(k)
    lo = k if k >= 0 else -k * size
    hi = size * size - lo - n - _py_max(n - 1, 0) * size
    # v[i] lands at row i + max(-k, 0), column i + max(k, 0): flat lo + i (size + 1)
    config = ((lo, hi, size),) if n else ((size * size, 0, 0),)   # empty: all zeros
    flat = S.pad(x, 0, config)
    return S.reshape(flat, (size, size))


def trace(input):
    """Sum of the main diagonal of a matrix (integers sum as int64).

    >>> import fgrad.numpy as fnp
    >>> trace(fnp.asarray([[1.0, 2.0], [3.0, 4.0]]))
    Array(5.)
    """
    x = _arr(input)
    if x.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {x.ndim}")
    return sum(diagonal(x))


def triu(input, diagonal: int = 0):
    """The upper triangle (on and above the ``diagonal``-th) of the last two dims.

    >>> import fgrad.numpy as fnp
    >>> triu(fnp.ones((2, 2)))
    Array([[1., 1.],
           [0., 1.]])
    """
    x = _arr(input)
    if x.ndim < 2:
        raise RuntimeError("triu: input tensor must have at least 2 dimensions")
    return fnp.triu(x, diagonal)


def tril(input, diagonal: int = 0):
    """The lower triangle (on and below the ``diagonal``-th) of the last two dims.

    >>> import fgrad.numpy as fnp
    >>> tril(fnp.ones((2, 2)))
    Array([[1., 0.],
           [1., 1.]])
    """
    x = _arr(input)
    if x.ndim < 2:
        raise RuntimeError("tril: input tensor must have at least 2 dimensions")
    return fnp.tril(x, diagonal)


def _square_float(name, x):
    x = _arr(x)
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise RuntimeError(f"linalg.{name}: A must be batches of square matrices, but they are "
                           f"{x.shape[-2] if x.ndim > 1 else x.shape[-1]} by {x.shape[-1]} matrices"
                           if x.ndim >= 2 else
                           f"linalg.{name}: The input tensor A must have at least 2 dimensions.")
    if _dt(x).kind not in "fc":
        raise RuntimeError(f"linalg.{name}: Expected a floating point or complex tensor as "
                           f"input. Got {_dtype_name(_dt(x))}")
    return x


def inverse(input):
    """The inverse of a (batch of) square matrix (``fgrad.numpy.linalg.inv``).

    >>> import fgrad.numpy as fnp
    >>> inverse(fnp.asarray([[2.0, 0.0], [0.0, 4.0]]))
    Array([[0.5 , 0.  ],
           [0.  , 0.25]])
    """
    return fnp.linalg.inv(_square_float("inv", input))


def det(input):
    """The determinant of a (batch of) square matrix (``fgrad.numpy.linalg.det``).

    >>> import fgrad.numpy as fnp
    >>> det(fnp.asarray([[2.0, 0.0], [0.0, 4.0]]))
    Array(8.)
    """
    return fnp.linalg.det(_square_float("det", input))


def svd(input, some: bool = True, compute_uv: bool = True):
    """``(U, S, V)`` with ``input = U diag(S) V^T`` (reduced when ``some``), as ``torch.svd``.

    >>> import fgrad.numpy as fnp
    >>> svd(fnp.asarray([[3.0, 0.0], [0.0, 2.0]]))[1]
    Array([3., 2.])
    """
    x = _arr(input)
    u, s, vh = fnp.linalg.svd(x, full_matrices=not some)
    return u, s, fnp.swapaxes(vh, -1, -2)


def einsum(equation: str, *operands):
    """Einstein summation (``fgrad.numpy.einsum``); operands may also come as one list.

    >>> import fgrad.numpy as fnp
    >>> einsum('ij,jk->ik', fnp.ones((2, 3)), fnp.ones((3, 4))).shape
    (2, 4)
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    return fnp.einsum(equation, *operands)


__all__ = public_names(globals(), __name__)
