"""``fgrad.numpy.linalg``: ``numpy.linalg`` as pure, differentiable functions.

Everything works on the last two axes and is batched over the leading ones,
as in NumPy. The primitives (``fgrad/primitives/linalg.py``) are ``inv det
slogdet solve cholesky eigh svd qr pinv``; the rest are compositions.
Inputs are real (float32/float64; integers compute in float64).

Where a derivative is undefined the result is inf/NaN or an error, never a
silently wrong number (see each docstring): repeated eigenvalues or singular
values (eigenvector / singular-vector derivatives), a singular matrix
(``inv``, ``solve``, ``det``: ``LinAlgError`` in eager mode), a matrix that is
not positive definite (``cholesky``: NaN, as JAX).

>>> import fgrad, fgrad.numpy as fnp
>>> a = fnp.asarray([[2.0, 1.0], [1.0, 3.0]])
>>> fnp.linalg.det(a)
Array(5.)
>>> fgrad.grad(lambda a: fnp.linalg.slogdet(a)[1])(a)      # inv(a).T
Array([[ 0.6, -0.2],
       [-0.2,  0.4]])
"""
from __future__ import annotations

import builtins
from collections import namedtuple

import numpy as np

from .. import errors
from .._array import Array
from ..primitives import linalg as L, shape as S, unary as U
from ..primitives.contraction import matmul as _matmul
from ..primitives.eig import eig_p
from ._core import _size, asarray, eye, zeros
from ._elementwise import abs as _abs, sqrt as _sqrt
from ._reductions import sum as _sum, max as _max, min as _min

LinAlgError = np.linalg.LinAlgError

__all__ = ["inv", "det", "slogdet", "solve", "cholesky", "qr", "svd", "svdvals", "eigh",
           "eigvalsh", "norm", "vector_norm", "matrix_norm", "matrix_power", "pinv", "lstsq",
           "multi_dot", "matrix_rank", "cond", "matrix_transpose", "LinAlgError",
           "EighResult", "QRResult", "SlogdetResult", "SVDResult"]

EighResult = namedtuple("EighResult", ["eigenvalues", "eigenvectors"])
QRResult = namedtuple("QRResult", ["Q", "R"])
SlogdetResult = namedtuple("SlogdetResult", ["sign", "logabsdet"])
SVDResult = namedtuple("SVDResult", ["U", "S", "Vh"])


def _square(op, a, square=True):
    """``a`` as an Array of (a stack of) real matrices, square when ``square``."""
    a = asarray(a)
    L.check_matrix(op, a.shape, square)
    L._result_dtype(op, a.dtype)          # complex and float16 fail here, naming the op
    return a


def _float(a):
    """Integers and booleans as float64 (NumPy computes linalg in floating point)."""
    return a if a.dtype.kind in "fc" else U.convert(a, np.float64)


def matrix_transpose(x) -> Array:
    """Swap the last two axes.

    >>> matrix_transpose(asarray([[1, 2]])).shape
    (2, 1)
    """
    x = asarray(x)
    if x.ndim < 2:
        raise ValueError(f"matrix_transpose: expected at least 2 dimensions, got shape "
                         f"{errors.fmt_shape(x.shape)}")
    return L._T(x)


def _sym(a):
    return (a + L._T(a)) * 0.5


# ------------------------------------------------------------------ inverses --
def inv(a) -> Array:
    """The inverse of a square matrix (or of each in a stack).

    A singular matrix raises ``LinAlgError`` (NumPy's behaviour), also when the
    inverse is needed by a derivative rule.

    >>> inv(asarray([[2.0, 0.0], [0.0, 4.0]]))
    Array([[0.5 , 0.  ],
           [0.  , 0.25]])
    """
    return L.inv_p.bind(_square("inv", a))


def det(a) -> Array:
    """The determinant. Its derivative, ``det(a) inv(a).T``, needs ``a`` invertible:
    at a singular ``a`` the rule raises ``LinAlgError`` in eager mode.

    >>> det(asarray([[1.0, 2.0], [3.0, 4.0]]))
    Array(-2.)
    """
    return L.det_p.bind(_square("det", a))


def slogdet(a) -> SlogdetResult:
    """``(sign, logabsdet)`` of the determinant. ``d logabsdet / da = inv(a).T``;
    the sign has zero derivative. A singular ``a`` gives ``(0, -inf)`` and its
    derivative raises ``LinAlgError`` in eager mode.

    >>> slogdet(asarray([[1.0, 2.0], [3.0, 4.0]])).sign
    Array(-1.)
    """
    return SlogdetResult(*L.slogdet_p.bind(_square("slogdet", a)))


def solve(a, b) -> Array:
    """The solution ``x`` of ``a @ x = b`` (NumPy 2 rules: ``b`` of shape ``(n,)`` is a
    vector, otherwise ``(..., n, k)``; leading axes broadcast).

    A singular ``a`` raises ``LinAlgError`` in eager mode.

    >>> solve(asarray([[2.0, 0.0], [0.0, 4.0]]), asarray([2.0, 2.0]))
    Array([1. , 0.5])
    """
    a, b = _square("solve", a), asarray(b)
    L._result_dtype("solve", b.dtype)
    if b.ndim == 1:
        if b.shape[0] != a.shape[-1]:
            raise ValueError(f"solve: a {errors.fmt_shape(a.shape)} and b "
                             f"{errors.fmt_shape(b.shape)} have incompatible shapes (a vector b "
                             f"needs length {a.shape[-1]})")
        return S.squeeze(L.solve_p.bind(a, S.expand_dims(b, (-1,))), (a.ndim - 1,))
    L._solve_shapes(a.shape, b.shape)
    return L.solve_p.bind(a, b)


def pinv(a, rcond: float | None = None, hermitian: bool = False, *,
         rtol: float | None = None) -> Array:
    """The Moore-Penrose pseudo-inverse, computed from the SVD as NumPy does:
    singular values below ``rcond * max(s)`` (default ``1e-15``, NumPy's) count as 0.

    A primitive (not a composition through ``svd``), so its derivative (Golub &
    Pereyra) stays finite at repeated singular values; it assumes the rank is
    locally constant, which fails exactly where a singular value crosses the
    cut-off. ``hermitian`` is accepted and ignored (the general SVD is used).

    >>> pinv(asarray([[1.0], [1.0]]))
    Array([[0.5, 0.5]])
    """
    if rcond is not None and rtol is not None:
        raise ValueError("pinv: `rtol` and `rcond` can't be both set.")
    cut = rcond if rcond is not None else (rtol if rtol is not None else 1e-15)
    a = _square("pinv", a, square=False)
    return L.pinv_p.bind(a, rcond=float(cut))


def matrix_power(a, n: int) -> Array:
    """``a`` raised to the integer power ``n`` by repeated squaring (``n < 0``: of ``inv(a)``).

    >>> matrix_power(asarray([[1.0, 1.0], [0.0, 1.0]]), 3)
    Array([[1., 3.],
           [0., 1.]])
    """
    a = _square("matrix_power", a)
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
        raise TypeError(f"matrix_power: exponent must be an integer, got {type(n).__name__}")
    n = int(n)
    if n == 0:
        return S.broadcast_to(eye(a.shape[-1], dtype=a.dtype, device=a.device), a.shape)
    if n < 0:
        a, n = inv(a), -n
    result, base = None, a
    while n:
        if n & 1:
            result = base if result is None else _matmul(result, base)
        n >>= 1
        if n:
            base = _matmul(base, base)
    return result


def multi_dot(arrays, *, out=None) -> Array:
    """``arrays[0] @ arrays[1] @ ...`` in the cheapest order (NumPy's dynamic programme);
    the first array may be 1-D (a row) and the last 1-D (a column).

    >>> multi_dot([asarray([1.0, 2.0]), asarray([[1.0], [1.0]]), asarray([3.0])])
    Array(9.)
    """
    if out is not None:
        raise TypeError("multi_dot: out= is not supported (fgrad arrays are immutable)")
    arrays = [asarray(a) for a in arrays]
    if len(arrays) < 2:
        raise ValueError("multi_dot: expecting at least two arrays")
    first_1d, last_1d = arrays[0].ndim == 1, arrays[-1].ndim == 1
    if first_1d:
        arrays[0] = S.expand_dims(arrays[0], (0,))
    if last_1d:
        arrays[-1] = S.expand_dims(arrays[-1], (-1,))
    for a in arrays:
        if a.ndim != 2:
            raise ValueError(f"multi_dot: every array must be 2-D (the first and last may be "
                             f"1-D), got shape {errors.fmt_shape(a.shape)}")
    n = len(arrays)
    dims = [a.shape[0] for a in arrays] + [arrays[-1].shape[1]]
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = None
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if cost[i][j] is None or c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k

    def chain(i, j):
        if i == j:
            return arrays[i]
        k = split[i][j]
        return _matmul(chain(i, k), chain(k + 1, j))
    out = chain(0, n - 1)
    if first_1d:
        out = S.squeeze(out, (0,))
    if last_1d:
        out = S.squeeze(out, (out.ndim - 1,))
    return out


# ---------------------------------------------------------- factorizations --
def cholesky(a, *, upper: bool = False, symmetrize_input: bool = True) -> Array:
    """The Cholesky factor ``L`` (lower, ``a = L @ L.T``; ``upper=True``: ``L.T``).

    As in JAX, the input is symmetrised first (``(a + a.T) / 2``) so the
    gradient is symmetric; ``symmetrize_input=False`` reads only the lower
    triangle, as NumPy does. A matrix that is not positive definite gives a
    factor full of NaN (JAX's convention, not NumPy's ``LinAlgError``), inside
    and outside transforms alike; its derivative is NaN too.

    >>> cholesky(asarray([[4.0, 2.0], [2.0, 5.0]]))
    Array([[2., 0.],
           [1., 2.]])
    """
    a = _square("cholesky", a)
    if symmetrize_input:
        a = _sym(_float(a))
    elif upper:
        a = L._T(a)       # NumPy's upper=True reads the upper triangle
    out = L.cholesky_p.bind(a)
    return L._T(out) if upper else out


def qr(a, mode: str = "reduced"):
    """QR decomposition: ``QRResult(Q, R)`` for ``mode='reduced'`` / ``'complete'``,
    ``R`` alone for ``mode='r'``.

    The derivative exists for ``m >= n`` (reduced mode, or square matrices in
    complete mode); wide matrices raise ``NotImplementedError`` when
    differentiated (JAX has no rule there either). Signs of Q's columns and
    R's rows are LAPACK's (Householder), as in NumPy.

    >>> qr(asarray([[3.0, 0.0], [4.0, 5.0]])).R.shape
    (2, 2)
    """
    a = _square("qr", a, square=False)
    if mode not in ("reduced", "complete", "r"):
        raise ValueError(f"qr: unrecognized mode {mode!r} (use 'reduced', 'complete' or 'r'; "
                         "'raw' is not supported)")
    q, r = L.qr_p.bind(a, full_matrices=mode == "complete")
    return r if mode == "r" else QRResult(q, r)


def svd(a, full_matrices: bool = True, compute_uv: bool = True, hermitian: bool = False):
    """Singular value decomposition ``SVDResult(U, S, Vh)`` with ``a = U @ diag(S) @ Vh``
    (``S`` descending), or ``S`` alone when ``compute_uv=False``.

    Derivatives: ``S`` alone is differentiable everywhere it is smooth
    (``compute_uv=False``, ``svdvals``). Through ``U``/``Vh`` they need
    ``full_matrices=False`` (or a square matrix; otherwise
    ``NotImplementedError``) and distinct non-zero singular values: repeated
    ones give inf/NaN (as JAX), because the singular vectors are not unique
    there. Signs of singular vectors are LAPACK's, as in NumPy.
    ``hermitian`` is accepted and ignored.

    >>> svd(asarray([[3.0, 0.0], [0.0, -2.0]]), compute_uv=False)
    Array([3., 2.])
    """
    a = _square("svd", a, square=False)
    if not compute_uv:
        return L.svd_p.bind(a, full_matrices=False, compute_uv=False)[0]
    return SVDResult(*L.svd_p.bind(a, full_matrices=bool(full_matrices), compute_uv=True))


def svdvals(x) -> Array:
    """Singular values, descending (``svd(x, compute_uv=False)``).

    >>> svdvals(asarray([[0.0, 2.0], [1.0, 0.0]]))
    Array([2., 1.])
    """
    return svd(x, compute_uv=False)


def eigh(a, UPLO: str | None = None, symmetrize_input: bool = True) -> EighResult:
    """Eigenvalues (ascending) and eigenvectors of a symmetric matrix.

    As in JAX, the input is symmetrised first (so the gradient is symmetric);
    ``symmetrize_input=False`` reads only the ``UPLO`` triangle (default
    ``'L'``), as NumPy does. Eigenvector derivatives need distinct
    eigenvalues: repeated ones give inf/NaN (the eigenvectors are not unique).
    Eigenvalue derivatives alone (``eigvalsh``) stay finite.

    >>> eigh(asarray([[2.0, 1.0], [1.0, 2.0]])).eigenvalues
    Array([1., 3.])
    """
    a = _square("eigh", a)
    uplo = "L" if UPLO is None else UPLO
    if uplo not in ("L", "U"):
        raise ValueError(f"eigh: UPLO must be 'L' or 'U', got {UPLO!r}")
    if symmetrize_input:
        a = _sym(_float(a))
    return EighResult(*L.eigh_p.bind(a, lower=uplo == "L", compute_v=True))


def eigvalsh(a, UPLO: str = "L", symmetrize_input: bool = True) -> Array:
    """Eigenvalues (ascending) of a symmetric matrix; see ``eigh``.

    >>> eigvalsh(asarray([[2.0, 1.0], [1.0, 2.0]]))
    Array([1., 3.])
    """
    a = _square("eigvalsh", a)
    if UPLO not in ("L", "U"):
        raise ValueError(f"eigvalsh: UPLO must be 'L' or 'U', got {UPLO!r}")
    if symmetrize_input:
        a = _sym(_float(a))
    return L.eigh_p.bind(a, lower=UPLO == "L", compute_v=False)[0]


# ------------------------------------------------------------------- norms --
def _keep(out, ndim, axes, keepdims):
    if not keepdims:
        return out
    shape = list(out.shape)
    for ax in sorted(axes):
        shape.insert(ax, 1)
    return S.reshape(out, shape)


def _vector_norm(x, ord, axis):
    """Vector norm over the single axis ``axis`` (no keepdims)."""
    if ord is None or ord == 2:
        return _sqrt(_sum(x * x, axis=axis))
    if isinstance(ord, str):
        raise ValueError(f"norm: invalid norm order {ord!r} for vectors")
    if ord == np.inf:
        return _max(_abs(x), axis=axis)
    if ord == -np.inf:
        return _min(_abs(x), axis=axis)
    if ord == 0:
        return _sum(U.convert(x != 0, x.dtype), axis=axis)
    if ord == 1:
        return _sum(_abs(x), axis=axis)
    p = float(ord)
    return _sum(_abs(x) ** p, axis=axis) ** (1.0 / p)


def _matrix_norm(x, ord, axes):
    """Matrix norm over the axis pair ``axes`` (no keepdims)."""
    row, col = axes
    if ord is None or ord == "fro":
        return _sqrt(_sum(x * x, axis=(row, col)))
    if ord in (2, -2, "nuc"):
        s = svdvals(_to_last_two(x, row, col))
        if ord == "nuc":
            return _sum(s, axis=-1)
        return (_max if ord == 2 else _min)(s, axis=-1)
    if ord in (1, -1):
        red = _max if ord == 1 else _min
        return red(_sum(_abs(x), axis=row), axis=col - (col > row))
    if ord in (np.inf, -np.inf):
        red = _max if ord == np.inf else _min
        return red(_sum(_abs(x), axis=col), axis=row - (row > col))
    raise ValueError(f"norm: invalid norm order {ord!r} for matrices")


def _to_last_two(x, row, col):
    rest = [i for i in range(x.ndim) if i not in (row, col)]
    return S.transpose(x, rest + [row, col])


def _norm_axes(axis, ndim):
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for a in axes:
        if not isinstance(a, (int, np.integer)):
            raise TypeError(f"norm: 'axis' must be None, an integer or a tuple of integers, "
                            f"got {axis!r}")
        if not -ndim <= a < ndim:
            raise np.exceptions.AxisError(f"norm: axis {a} is out of bounds for array of "
                                          f"dimension {ndim}")
        out.append(int(a) % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"norm: duplicate axes given: {axis}")
    return tuple(out)


def norm(x, ord=None, axis=None, keepdims: bool = False) -> Array:
    """Vector or matrix norm, as ``numpy.linalg.norm``.

    ``axis`` an int: vector norms (``ord`` None/2, inf, -inf, 0, 1, any float p);
    a pair: matrix norms (``ord`` None/'fro', 'nuc', inf, -inf, 1, -1, 2, -2);
    None: the 2-norm of the flattened array (``ord=None``), or a vector/matrix
    norm of a 1-D/2-D array. The 2-norm's gradient at zero is NaN (JAX's
    ``sqrt`` of a sum of squares); max/min-based norms split ties as ``max``.

    >>> norm(asarray([[3.0, 4.0], [0.0, 0.0]]))
    Array(5.)
    >>> norm(asarray([[1.0, -2.0], [3.0, 4.0]]), ord=1)
    Array(6.)
    """
    x = _float(asarray(x))
    nd = x.ndim
    if axis is None:
        if ord is None:
            out = _sqrt(_sum(x * x))
            return S.reshape(out, (1,) * nd) if keepdims else out
        if nd == 1:
            axes = (0,)
        elif nd == 2:
            axes = (0, 1)
        else:
            raise ValueError(f"norm: improper number of dimensions to norm ({nd}) for "
                             f"ord={ord!r}; give axis")
    else:
        axes = _norm_axes(axis, nd)
    if len(axes) == 1:
        out = _vector_norm(x, ord, axes[0])
    elif len(axes) == 2:
        out = _matrix_norm(x, ord, axes)
    else:
        raise ValueError(f"norm: improper number of dimensions to norm (axis={axis!r})")
    return _keep(out, nd, axes, keepdims)


def vector_norm(x, /, *, axis=None, keepdims: bool = False, ord=2) -> Array:
    """The vector norm over ``axis`` (all axes, flattened, by default), as NumPy 2's.

    >>> vector_norm(asarray([[3.0], [4.0]]))
    Array(5.)
    """
    x = _float(asarray(x))
    if axis is None:
        out = _vector_norm(S.reshape(x, (-1,) if _size(x) else (0,)), ord, 0)
        return S.reshape(out, (1,) * x.ndim) if keepdims else out
    axes = _norm_axes(axis, x.ndim)
    rest = [i for i in range(x.ndim) if i not in axes]
    flat = S.reshape(S.transpose(x, rest + list(axes)),
                     [x.shape[i] for i in rest] + [int(np.prod([x.shape[a] for a in axes]))])
    return _keep(_vector_norm(flat, ord, flat.ndim - 1), x.ndim, axes, keepdims)


def matrix_norm(x, /, *, keepdims: bool = False, ord="fro") -> Array:
    """The matrix norm over the last two axes, as NumPy 2's.

    >>> matrix_norm(asarray([[1.0, 0.0], [0.0, 2.0]]), ord=2)
    Array(2.)
    """
    x = _float(asarray(x))
    L.check_matrix("matrix_norm", x.shape, square=False)
    return norm(x, ord=ord, axis=(-2, -1), keepdims=keepdims)


def matrix_rank(A, tol=None, hermitian: bool = False, *, rtol=None) -> Array:
    """The number of singular values above ``tol`` (default ``max(s) * max(m, n) * eps``,
    NumPy's); an integer with no derivative.

    >>> matrix_rank(asarray([[1.0, 2.0], [2.0, 4.0]]))
    Array(1)
    """
    A = _float(asarray(A))
    if A.ndim < 2:
        return U.convert(_sum(U.convert(A != 0, np.int64)) > 0, np.int64)
    s = svdvals(A)
    if tol is None:
        if rtol is None:
            rtol = builtins.max(A.shape[-2:]) * np.finfo(A.dtype).eps
        tol = _max(s, axis=-1, keepdims=True) * rtol
    else:
        tol = S.expand_dims(asarray(tol), (-1,)) if np.ndim(tol) else tol
    return _sum(U.convert(s > tol, np.int64), axis=-1)


def cond(x, p=None) -> Array:
    """The condition number in norm ``p`` (None/2: ``s_max / s_min``; -2: its inverse;
    otherwise ``norm(x, p) * norm(inv(x), p)``).

    >>> cond(asarray([[2.0, 0.0], [0.0, 0.5]]))
    Array(4.)
    """
    x = _float(asarray(x))
    L.check_matrix("cond", x.shape, square=p not in (None, 2, -2))
    if p in (None, 2, -2):
        s = svdvals(x)
        hi, lo = S.slice_axis(s, s.ndim - 1, 0, 1), S.slice_axis(s, s.ndim - 1, s.shape[-1] - 1,
                                                                  s.shape[-1])
        r = hi / lo if p != -2 else lo / hi
        return S.squeeze(r, (r.ndim - 1,))
    return norm(x, p, axis=(-2, -1)) * norm(inv(x), p, axis=(-2, -1))


def lstsq(a, b, rcond: float | None = None):
    """Least-squares solution of ``a @ x = b``: ``(x, residuals, rank, s)`` as NumPy.

    ``x = pinv(a, rcond) @ b`` (singular values below ``rcond * max(s)``,
    default ``max(m, n) * eps``, count as zero), differentiable through
    ``pinv``. ``residuals`` (squared 2-norms of ``b - a @ x`` per column) is
    empty unless ``m > n``; for a rank-deficient ``a`` with ``m > n`` NumPy
    returns it empty, which fgrad does only when the rank is concrete (under
    ``vmap`` it is returned, as JAX's ``lstsq`` does).

    >>> lstsq(asarray([[1.0], [1.0]]), asarray([1.0, 3.0]))[0]
    Array([2.])
    """
    a, b = _float(asarray(a)), _float(asarray(b))
    L.check_matrix("lstsq", a.shape, square=False)
    if a.ndim != 2 or b.ndim not in (1, 2) or b.shape[0] != a.shape[0]:
        raise ValueError(f"lstsq: a {errors.fmt_shape(a.shape)} and b {errors.fmt_shape(b.shape)} "
                         f"have incompatible shapes (a must be (m, n) and b (m,) or (m, k))")
    m, n = a.shape
    if rcond is None:
        rcond = builtins.max(m, n) * float(np.finfo(a.dtype).eps)
    x = _matmul(pinv(a, rcond=rcond), b)
    s = svdvals(a)
    rank = matrix_rank(a, tol=None, rtol=rcond) if min(m, n) else asarray(0)
    if m > n:
        r = b - _matmul(a, x)
        resid = _sum(r * r, axis=0)
        if b.ndim == 1:
            resid = S.reshape(resid, (1,))
        if isinstance(rank, Array) and int(rank) < n:
            resid = S.slice_axis(resid, 0, 0, 0)
    else:
        resid = zeros((0,), x.dtype, device=x.device)
    return x, resid, rank, s


# ---- eig, eigvals, tensorinv, tensorsolve ------------------------------------------
EigResult = namedtuple("EigResult", ["eigenvalues", "eigenvectors"])


def eig(a) -> EigResult:
    """Eigenvalues and right eigenvectors of a real square matrix (primitive ``eig``):
    both complex, as JAX's; each eigenvector of unit norm with its largest component
    real (LAPACK's normalisation). Differentiable in the eigenvalues and the
    eigenvectors (JAX's rule with ``enable_eigvec_derivs=True``; inf/NaN at repeated
    eigenvalues).

    >>> import fgrad.numpy as fnp
    >>> eig(fnp.asarray([[2.0, 0.0], [0.0, 3.0]])).eigenvalues
    Array([2.+0.j, 3.+0.j])
    """
    a = _square("eig", a)
    return EigResult(*eig_p.bind(a))


def eigvals(a) -> Array:
    """The (complex) eigenvalues of a real square matrix; ``dw = diag(V^-1 dA V)``.

    >>> import fgrad.numpy as fnp
    >>> eigvals(fnp.asarray([[0.0, -1.0], [1.0, 0.0]])).tolist()
    [1j, -1j]
    """
    return eig(a).eigenvalues


def tensorinv(a, ind: int = 2) -> Array:
    """The inverse of ``a`` read as a linear map from its first ``ind`` axes' shape to the
    rest, as ``numpy.linalg.tensorinv``: ``tensordot(tensorinv(a), a, ind) = I``.

    >>> import fgrad.numpy as fnp
    >>> tensorinv(fnp.eye(4).reshape(4, 2, 2), ind=1).shape
    (2, 2, 4)
    """
    a = asarray(a)
    if ind <= 0:
        raise ValueError(f"tensorinv: ind must be a positive integer, got {ind}")
    out_shape, in_shape = a.shape[:ind], a.shape[ind:]
    rows, cols = int(np.prod(out_shape)), int(np.prod(in_shape))
    if rows != cols:
        raise ValueError(f"tensorinv: the first {ind} axes of shape {a.shape} hold {rows} "
                         f"elements, the others {cols}; they must match")
    return S.reshape(inv(S.reshape(a, (rows, cols))), in_shape + out_shape)


def tensorsolve(a, b, axes=None) -> Array:
    """``x`` with ``tensordot(a, x, x.ndim) = b``, as ``numpy.linalg.tensorsolve``
    (``axes``: axes of ``a`` moved to the end first).

    >>> import fgrad.numpy as fnp
    >>> tensorsolve(2.0 * fnp.eye(4).reshape(2, 2, 4), fnp.ones((2, 2))).tolist()
    [0.5, 0.5, 0.5, 0.5]
    """
    a, b = asarray(a), asarray(b)
    if axes is not None:
        axes = [ax % a.ndim for ax in (axes if isinstance(axes, (tuple, list)) else [axes])]
        perm = [i for i in range(a.ndim) if i not in axes] + axes
        a = S.transpose(a, perm)
    x_shape = a.shape[b.ndim:]
    rows, cols = int(np.prod(a.shape[:b.ndim])), int(np.prod(x_shape))
    if rows != cols or _size(b) != rows:
        raise ValueError(f"tensorsolve: a of shape {a.shape} and b of shape {b.shape} do not "
                         "make a square system (a's leading axes must hold b's number of "
                         "elements, and as many as the rest)")
    x = solve(S.reshape(a, (rows, cols)), S.reshape(b, (rows, 1)))
    return S.reshape(x, x_shape)


__all__ += ["eig", "eigvals", "EigResult", "tensorinv", "tensorsolve"]
