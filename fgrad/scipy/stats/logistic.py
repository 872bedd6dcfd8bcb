"""The logistic distribution, as ``jax.scipy.stats.logistic``.

>>> float(cdf(0.0))
0.5
"""
from __future__ import annotations

from ... import numpy as fnp
from .. import special
from ._common import promote


def logpdf(x, loc=0.0, scale=1.0):
    """``-z - 2 log1p(exp(-z)) - log(scale)``, written with ``|z|`` so it cannot overflow.

    >>> round(float(logpdf(0.0)), 12)
    -1.38629436112
    """
    x, loc, scale = promote(x, loc, scale)
    a = fnp.abs((x - loc) / scale)
    return -a - 2.0 * fnp.log1p(fnp.exp(-a)) - fnp.log(scale)


def pdf(x, loc=0.0, scale=1.0):
    """``exp(logpdf(x, loc, scale))``.

    >>> float(pdf(0.0))
    0.25
    """
    return fnp.exp(logpdf(x, loc, scale))


def cdf(x, loc=0.0, scale=1.0):
    """``expit((x - loc) / scale)``.

    >>> round(float(cdf(1.0)), 12)
    0.73105857863
    """
    x, loc, scale = promote(x, loc, scale)
    return special.expit((x - loc) / scale)


def sf(x, loc=0.0, scale=1.0):
    """``expit(-(x - loc) / scale)``.

    >>> round(float(sf(1.0)), 12)
    0.26894142137
    """
    x, loc, scale = promote(x, loc, scale)
    return special.expit(-(x - loc) / scale)


def ppf(q, loc=0.0, scale=1.0):
    """``loc + scale logit(q)``.

    >>> round(float(ppf(0.5)), 12)
    0.0
    """
    q, loc, scale = promote(q, loc, scale)
    return loc + scale * special.logit(q)


def isf(q, loc=0.0, scale=1.0):
    """``loc - scale logit(q)``.

    >>> round(float(isf(0.5)), 12)
    0.0
    """
    q, loc, scale = promote(q, loc, scale)
    return loc - scale * special.logit(q)
