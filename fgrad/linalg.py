"""``fgrad.linalg``: ``torch.linalg``'s names and signatures on facade tensors
(``fgrad.facade.linalg``).

>>> import fgrad
>>> fgrad.linalg.vector_norm(fgrad.tensor([3.0, 4.0]))
tensor(5.)
"""
from .facade.linalg import (inv, det, slogdet, solve, cholesky, qr, svd, svdvals, eigh,
                            eigvalsh, pinv, matrix_power, multi_dot, norm, vector_norm,
                            matrix_norm, matrix_rank, cond, lstsq, cross)

__all__ = ["inv", "det", "slogdet", "solve", "cholesky", "qr", "svd", "svdvals", "eigh",
           "eigvalsh", "pinv", "matrix_power", "multi_dot", "norm", "vector_norm",
           "matrix_norm", "matrix_rank", "cond", "lstsq", "cross"]
