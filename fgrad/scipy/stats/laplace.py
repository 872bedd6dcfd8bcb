"""The Laplace distribution, as ``jax.scipy.stats.laplace``.

>>> float(cdf(0.0))
0.5
"""
from __future__ import annotations

import math

from ... import numpy as fnp
from ._common import promote


def logpdf(x, loc=0.0, scale=1.0):
    """``-|x - loc| / scale - log(2 scale)``.

    >>> round(float(logpdf(1.0)), 12)
    -1.69314718056
    """
    x, loc, scale = promote(x, loc, scale)
    return -fnp.abs(x - loc) / scale - fnp.log(scale) - math.log(2.0)


def pdf(x, loc=0.0, scale=1.0):
    """``exp(logpdf(x, loc, scale))``.

    >>> float(pdf(0.0))
    0.5
    """
    return fnp.exp(logpdf(x, loc, scale))


def cdf(x, loc=0.0, scale=1.0):
    """``exp(z) / 2`` below ``loc``, ``1 - exp(-z) / 2`` above (``z = (x - loc) / scale``).

    >>> round(float(cdf(1.0)), 12)
    0.816060279414
    """
    x, loc, scale = promote(x, loc, scale)
    z = (x - loc) / scale
    return fnp.where(z <= 0, 0.5 * fnp.exp(fnp.minimum(z, 0.0)),
                     1.0 - 0.5 * fnp.exp(-fnp.maximum(z, 0.0)))
