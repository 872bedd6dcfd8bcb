"""The gamma distribution with shape ``a``, as ``jax.scipy.stats.gamma``.

>>> round(float(cdf(2.0, 1.0)), 12)      # exponential: 1 - exp(-2)
0.864664716763
"""
from __future__ import annotations

import numpy as np

from ... import numpy as fnp
from .. import special
from ._common import promote


def logpdf(x, a, loc=0.0, scale=1.0):
    """``(a - 1) log y - y - log Gamma(a) - log(scale)``, ``y = (x - loc) / scale``;
    ``-inf`` below ``loc``.

    >>> round(float(logpdf(1.0, 2.0)), 12)
    -1.0
    """
    x, a, loc, scale = promote(x, a, loc, scale)
    y = (x - loc) / scale
    inside = y >= 0
    y_safe = fnp.where(inside, y, 1.0)
    val = special.xlogy(a - 1.0, y_safe) - y_safe - special.gammaln(a) - fnp.log(scale)
    return fnp.where(inside, val, -np.inf)


def pdf(x, a, loc=0.0, scale=1.0):
    """``exp(logpdf(x, a, loc, scale))``.

    >>> round(float(pdf(1.0, 1.0)), 12)
    0.367879441171
    """
    return fnp.exp(logpdf(x, a, loc, scale))


def cdf(x, a, loc=0.0, scale=1.0):
    """``gammainc(a, max((x - loc) / scale, 0))`` (differentiable in ``a``, ``x``, ``loc`` and
    ``scale``).

    >>> float(cdf(-1.0, 2.0))
    0.0
    """
    x, a, loc, scale = promote(x, a, loc, scale)
    return special.gammainc(a, fnp.maximum((x - loc) / scale, 0.0))


def logcdf(x, a, loc=0.0, scale=1.0):
    """``log(cdf)``.

    >>> round(float(logcdf(2.0, 1.0)), 12)
    -0.145413457869
    """
    return fnp.log(cdf(x, a, loc, scale))


def sf(x, a, loc=0.0, scale=1.0):
    """The survival function ``gammaincc(a, (x - loc) / scale)``, accurate in the tail.

    >>> round(float(sf(2.0, 1.0)), 12)
    0.135335283237
    """
    x, a, loc, scale = promote(x, a, loc, scale)
    return special.gammaincc(a, fnp.maximum((x - loc) / scale, 0.0))


def logsf(x, a, loc=0.0, scale=1.0):
    """``log(sf)``.

    >>> round(float(logsf(2.0, 1.0)), 12)
    -2.0
    """
    return fnp.log(sf(x, a, loc, scale))
