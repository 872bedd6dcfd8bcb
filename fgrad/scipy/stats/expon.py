"""The exponential distribution, as ``jax.scipy.stats.expon``.

>>> round(float(cdf(1.0)), 12)
0.632120558829
"""
from __future__ import annotations

import numpy as np

from ... import numpy as fnp
from ._common import promote


def logpdf(x, loc=0.0, scale=1.0):
    """``-(x - loc) / scale - log(scale)`` for ``x >= loc``; ``-inf`` below.

    >>> float(logpdf(2.0))
    -2.0
    """
    x, loc, scale = promote(x, loc, scale)
    y = (x - loc) / scale
    return fnp.where(y >= 0, -y - fnp.log(scale), -np.inf)


def pdf(x, loc=0.0, scale=1.0):
    """``exp(logpdf(x, loc, scale))``.

    >>> float(pdf(-1.0))
    0.0
    """
    return fnp.exp(logpdf(x, loc, scale))


def cdf(x, loc=0.0, scale=1.0):
    """``1 - exp(-(x - loc) / scale)`` above ``loc``, 0 below.

    >>> float(cdf(-1.0))
    0.0
    """
    x, loc, scale = promote(x, loc, scale)
    y = (x - loc) / scale
    return fnp.where(y >= 0, -fnp.expm1(-fnp.maximum(y, 0.0)), 0.0)


def logcdf(x, loc=0.0, scale=1.0):
    """``log(cdf)``.

    >>> round(float(logcdf(1.0)), 12)
    -0.458675145387
    """
    return fnp.log(cdf(x, loc, scale))


def sf(x, loc=0.0, scale=1.0):
    """``exp(-(x - loc) / scale)`` above ``loc``, 1 below.

    >>> round(float(sf(1.0)), 12)
    0.367879441171
    """
    return fnp.exp(logsf(x, loc, scale))


def logsf(x, loc=0.0, scale=1.0):
    """``-(x - loc) / scale`` above ``loc``, 0 below.

    >>> float(logsf(3.0))
    -3.0
    """
    x, loc, scale = promote(x, loc, scale)
    return -fnp.maximum((x - loc) / scale, 0.0)


def ppf(q, loc=0.0, scale=1.0):
    """The quantile ``loc - scale log(1 - q)``.

    >>> round(float(ppf(0.5)), 12)
    0.69314718056
    """
    q, loc, scale = promote(q, loc, scale)
    return loc - scale * fnp.log1p(-q)
