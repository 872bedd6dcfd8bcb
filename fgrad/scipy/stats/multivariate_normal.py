"""The multivariate normal distribution, as ``jax.scipy.stats.multivariate_normal``.

``logpdf(x, mean, cov)`` takes ``x`` of shape ``(..., n)``, ``mean`` of shape
``(..., n)`` and ``cov`` of shape ``(..., n, n)`` (or a scalar / vector for a
scaled identity / diagonal), batched by broadcasting; the log-density is computed
through the Cholesky factor.

>>> import fgrad.numpy as fnp
>>> round(float(logpdf(fnp.zeros(2), fnp.zeros(2), fnp.eye(2))), 12)
-1.837877066409
"""
from __future__ import annotations

import math

from ... import numpy as fnp
from ..linalg import solve_triangular
from ._common import promote

_LOG_2PI = math.log(2 * math.pi)


def logpdf(x, mean, cov, allow_singular: bool | None = None):
    """The log-density at ``x`` (``allow_singular=True`` is not supported, as in JAX).

    >>> import fgrad.numpy as fnp
    >>> round(float(logpdf(fnp.ones(2), fnp.zeros(2), 2.0 * fnp.eye(2))), 12)
    -3.031024246969
    """
    if allow_singular:
        raise NotImplementedError("multivariate_normal.logpdf: allow_singular=True is not "
                                  "supported (as jax.scipy.stats)")
    x, mean, cov = promote(x, mean, cov)
    if mean.ndim == 0:
        raise ValueError("multivariate_normal.logpdf: mean must have at least one dimension")
    n = mean.shape[-1]
    if cov.ndim < 2:     # a scalar or the diagonal
        var = fnp.broadcast_to(cov, (n,)) if cov.ndim == 0 else cov
        y = x - mean
        return (-0.5 * fnp.sum(y * y / var, axis=-1) - 0.5 * fnp.sum(fnp.log(var), axis=-1)
                - 0.5 * n * _LOG_2PI)
    if cov.shape[-1] != n or cov.shape[-2] != n:
        raise ValueError(f"multivariate_normal.logpdf: cov of shape {cov.shape} does not match "
                         f"mean of shape {mean.shape}")
    L = fnp.linalg.cholesky(cov)
    y = fnp.expand_dims(x - mean, -1)
    L = fnp.broadcast_to(L, y.shape[:-2] + L.shape[-2:]) if y.ndim > L.ndim else L
    y = fnp.broadcast_to(y, L.shape[:-2] + y.shape[-2:]) if L.ndim > y.ndim else y
    z = solve_triangular(L, y, lower=True)[..., 0]
    log_det = fnp.sum(fnp.log(fnp.abs(fnp.diagonal(L, axis1=-2, axis2=-1))), axis=-1)
    return -0.5 * fnp.sum(z * z, axis=-1) - log_det - 0.5 * n * _LOG_2PI


def pdf(x, mean, cov):
    """``exp(logpdf(x, mean, cov))``.

    >>> import fgrad.numpy as fnp
    >>> round(float(pdf(fnp.zeros(1), fnp.zeros(1), fnp.eye(1))), 12)
    0.398942280401
    """
    return fnp.exp(logpdf(x, mean, cov))
