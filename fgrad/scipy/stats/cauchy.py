"""The Cauchy distribution, as ``jax.scipy.stats.cauchy``.

>>> float(cdf(1.0))
0.75
"""
from __future__ import annotations

import math

from ... import numpy as fnp
from ._common import promote


def logpdf(x, loc=0.0, scale=1.0):
    """``-log(pi scale) - log1p(z^2)``, ``z = (x - loc) / scale``.

    >>> round(float(logpdf(0.0)), 12)
    -1.144729885849
    """
    x, loc, scale = promote(x, loc, scale)
    z = (x - loc) / scale
    return -math.log(math.pi) - fnp.log(scale) - fnp.log1p(z * z)


def pdf(x, loc=0.0, scale=1.0):
    """``exp(logpdf(x, loc, scale))``.

    >>> round(float(pdf(0.0)), 12)
    0.318309886184
    """
    return fnp.exp(logpdf(x, loc, scale))


def cdf(x, loc=0.0, scale=1.0):
    """``1/2 + arctan(z) / pi``.

    >>> float(cdf(0.0))
    0.5
    """
    x, loc, scale = promote(x, loc, scale)
    return 0.5 + fnp.arctan((x - loc) / scale) / math.pi


def logcdf(x, loc=0.0, scale=1.0):
    """``log(cdf)``.

    >>> round(float(logcdf(1.0)), 12)
    -0.287682072452
    """
    return fnp.log(cdf(x, loc, scale))


def sf(x, loc=0.0, scale=1.0):
    """``cdf(-x)`` about ``loc``: ``1/2 - arctan(z) / pi``.

    >>> float(sf(1.0))
    0.25
    """
    x, loc, scale = promote(x, loc, scale)
    return 0.5 - fnp.arctan((x - loc) / scale) / math.pi


def logsf(x, loc=0.0, scale=1.0):
    """``log(sf)``.

    >>> round(float(logsf(-1.0)), 12)
    -0.287682072452
    """
    return fnp.log(sf(x, loc, scale))


def ppf(q, loc=0.0, scale=1.0):
    """The quantile ``loc + scale tan(pi (q - 1/2))``.

    >>> round(float(ppf(0.75)), 12)
    1.0
    """
    q, loc, scale = promote(q, loc, scale)
    return loc + scale * fnp.tan(math.pi * (q - 0.5))


def isf(q, loc=0.0, scale=1.0):
    """The inverse survival function ``loc - scale tan(pi (q - 1/2))``.

    >>> round(float(isf(0.25)), 12)
    1.0
    """
    q, loc, scale = promote(q, loc, scale)
    return loc - scale * fnp.tan(math.pi * (q - 0.5))
