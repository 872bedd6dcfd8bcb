"""The normal distribution ``N(loc, scale^2)``, as ``jax.scipy.stats.norm``.

>>> round(float(cdf(1.959963984540054)), 12)
0.975
"""
from __future__ import annotations

import math

from ... import numpy as fnp
from .. import special
from ._common import promote

_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def logpdf(x, loc=0.0, scale=1.0):
    """``-((x - loc) / scale)^2 / 2 - log(scale) - log(2 pi) / 2``.

    >>> round(float(logpdf(1.0)), 12)
    -1.418938533205
    """
    x, loc, scale = promote(x, loc, scale)
    z = (x - loc) / scale
    return -0.5 * z * z - fnp.log(scale) - _HALF_LOG_2PI


def pdf(x, loc=0.0, scale=1.0):
    """``exp(logpdf(x, loc, scale))``.

    >>> round(float(pdf(0.0)), 12)
    0.398942280401
    """
    return fnp.exp(logpdf(x, loc, scale))


def cdf(x, loc=0.0, scale=1.0):
    """``ndtr((x - loc) / scale)``.

    >>> float(cdf(0.0))
    0.5
    """
    x, loc, scale = promote(x, loc, scale)
    return special.ndtr((x - loc) / scale)


def logcdf(x, loc=0.0, scale=1.0):
    """``log_ndtr((x - loc) / scale)``, accurate in the lower tail.

    >>> round(float(logcdf(-30.0)), 6)
    -454.321244
    """
    x, loc, scale = promote(x, loc, scale)
    return special.log_ndtr((x - loc) / scale)


def sf(x, loc=0.0, scale=1.0):
    """The survival function ``1 - cdf``, as ``ndtr(-(x - loc) / scale)``.

    >>> float(sf(0.0))
    0.5
    """
    x, loc, scale = promote(x, loc, scale)
    return special.ndtr(-(x - loc) / scale)


def logsf(x, loc=0.0, scale=1.0):
    """``log(sf)``, accurate in the upper tail.

    >>> round(float(logsf(30.0)), 6)
    -454.321244
    """
    x, loc, scale = promote(x, loc, scale)
    return special.log_ndtr(-(x - loc) / scale)


def ppf(q, loc=0.0, scale=1.0):
    """The quantile function ``loc + scale ndtri(q)``.

    >>> round(float(ppf(0.975)), 9)
    1.959963985
    """
    q, loc, scale = promote(q, loc, scale)
    return loc + scale * special.ndtri(q)


def isf(q, loc=0.0, scale=1.0):
    """The inverse survival function ``ppf(1 - q)``.

    >>> round(float(isf(0.025)), 9)
    1.959963985
    """
    q, loc, scale = promote(q, loc, scale)
    return loc - scale * special.ndtri(q)
