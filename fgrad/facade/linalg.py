"""``fgrad.linalg``: ``torch.linalg``'s names and signatures on facade tensors.

Each function is ``fgrad.numpy.linalg``'s (same primitives, same derivative
rules) with PyTorch's argument names (``dim``, ``keepdim``, ``upper``) and
results as tensors.

>>> import fgrad
>>> A = fgrad.tensor([[2.0, 0.0], [0.0, 4.0]])
>>> fgrad.linalg.inv(A)
tensor([[0.5000, 0.0000],
        [0.0000, 0.2500]])
>>> fgrad.linalg.vector_norm(fgrad.tensor([3.0, 4.0]))
tensor(5.)
"""
from __future__ import annotations

import collections

from ..numpy import linalg as _la
from .creation import _to_tensors
from .ops import norm as _vector_p_norm
from .torch_functions import FUNCTIONS

__all__ = ["inv", "det", "slogdet", "solve", "cholesky", "qr", "svd", "svdvals", "eigh",
           "eigvalsh", "pinv", "matrix_power", "multi_dot", "norm", "vector_norm",
           "matrix_norm", "matrix_rank", "cond", "lstsq", "cross"]

_slogdet = collections.namedtuple("slogdet", ["sign", "logabsdet"])
_eigh = collections.namedtuple("eigh", ["eigenvalues", "eigenvectors"])
_qr = collections.namedtuple("qr", ["Q", "R"])
_svd = collections.namedtuple("svd", ["U", "S", "Vh"])


def _dims(dim):
    return tuple(dim) if isinstance(dim, (list, tuple)) else dim


def inv(A):
    """The inverse of square matrices (batched over leading dims)."""
    return _to_tensors(_la.inv(A))


def det(A):
    """The determinant of square matrices."""
    return _to_tensors(_la.det(A))


def slogdet(A):
    """``(sign, logabsdet)`` of square matrices."""
    s, l = _la.slogdet(A)
    return _slogdet(*_to_tensors((s, l)))


def solve(A, B, *, left: bool = True):
    """``X`` with ``A @ X = B`` (``left=False``: ``X @ A = B``)."""
    if not left:
        return _to_tensors(_la.matrix_transpose(
            _la.solve(_la.matrix_transpose(A), _la.matrix_transpose(B))))
    return _to_tensors(_la.solve(A, B))


def cholesky(A, *, upper: bool = False):
    """The Cholesky factor ``L`` (``upper=True``: ``L^H``); NaN for a non-positive-definite
    input, as documented in ``fgrad.numpy.linalg.cholesky``."""
    return _to_tensors(_la.cholesky(A, upper=upper))


def qr(A, mode: str = "reduced"):
    """``(Q, R)``."""
    return _qr(*_to_tensors(tuple(_la.qr(A, mode=mode))))


def svd(A, full_matrices: bool = True):
    """``(U, S, Vh)`` with ``A = U diag(S) Vh``."""
    return _svd(*_to_tensors(tuple(_la.svd(A, full_matrices=full_matrices))))


def svdvals(A):
    """The singular values, descending."""
    return _to_tensors(_la.svdvals(A))


def eigh(A, UPLO: str = "L"):
    """``(eigenvalues, eigenvectors)`` of symmetric (Hermitian) matrices, ascending."""
    return _eigh(*_to_tensors(tuple(_la.eigh(A, UPLO=UPLO))))


def eigvalsh(A, UPLO: str = "L"):
    """The eigenvalues of symmetric (Hermitian) matrices, ascending."""
    return _to_tensors(_la.eigvalsh(A, UPLO=UPLO))


def pinv(A, *, atol=None, rtol=None, hermitian: bool = False):
    """The Moore-Penrose pseudo-inverse."""
    return _to_tensors(_la.pinv(A, rtol=rtol, hermitian=hermitian))


def matrix_power(A, n: int):
    """``A`` to the integer power ``n``."""
    return _to_tensors(_la.matrix_power(A, n))


def multi_dot(tensors):
    """The product of a chain of matrices, in the cheapest order."""
    return _to_tensors(_la.multi_dot(list(tensors)))


def norm(A, ord=None, dim=None, keepdim: bool = False, *, dtype=None):
    """A vector norm (1-d, or ``dim`` an int) or matrix norm (2-d, or ``dim`` a pair)."""
    x = A.to(dtype) if dtype is not None else A
    dims = _dims(dim)
    vector = isinstance(dims, int) or (dims is None and x.ndim == 1)
    if ord is None or (ord == "fro" and not vector) or (vector and not isinstance(ord, str)):
        # a vector norm, or Frobenius: PyTorch's rules (derivative 0 at the zero vector)
        return vector_norm(x, 2 if ord in (None, "fro") else ord, dims, keepdim)
    return _to_tensors(_la.norm(x, ord=ord, axis=dims, keepdims=keepdim))


def vector_norm(x, ord=2, dim=None, keepdim: bool = False, *, dtype=None):
    """``(sum |x|^ord)^(1/ord)`` over ``dim`` (all elements by default); as PyTorch's,
    its derivative at the zero vector is 0 (not nan)."""
    x = x.to(dtype) if dtype is not None else x
    return _to_tensors(_vector_p_norm(x, p=ord, dim=_dims(dim), keepdim=keepdim))


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim: bool = False, *, dtype=None):
    """The matrix norm over the two axes ``dim``."""
    A = A.to(dtype) if dtype is not None else A
    return _to_tensors(_la.norm(A, ord=ord, axis=_dims(dim), keepdims=keepdim))


def matrix_rank(A, *, atol=None, rtol=None, hermitian: bool = False):
    """The number of singular values above the tolerance."""
    return _to_tensors(_la.matrix_rank(A, rtol=rtol, hermitian=hermitian))


def cond(A, p=None):
    """The condition number."""
    return _to_tensors(_la.cond(A, p))


def lstsq(A, B, rcond=None, *, driver=None):
    """The least-squares solution of ``A X = B`` (first element of NumPy's result)."""
    return _to_tensors(_la.lstsq(A, B, rcond))


def cross(input, other, *, dim: int = -1):
    """The cross product of 3-vectors along ``dim``."""
    return FUNCTIONS["cross"](input, other, dim=dim)
