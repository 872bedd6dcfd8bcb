"""The Poisson distribution with mean ``mu``, as ``jax.scipy.stats.poisson``.

>>> round(float(pmf(2, 3.0)), 12)
0.224041807655
"""
from __future__ import annotations

import numpy as np

from ... import numpy as fnp
from .. import special
from ._common import promote


def logpmf(k, mu, loc=0):
    """``k log(mu) - log(k!) - mu`` at ``k - loc``; ``-inf`` off the non-negative integers.

    >>> round(float(logpmf(0, 2.0)), 12)
    -2.0
    """
    k, mu, loc = promote(k, mu, loc)
    x = k - loc
    valid = (x >= 0) & (x == fnp.floor(x))
    x_safe = fnp.where(valid, x, 0.0)
    val = special.xlogy(x_safe, mu) - special.gammaln(x_safe + 1.0) - mu
    return fnp.where(valid, val, -np.inf)


def pmf(k, mu, loc=0):
    """``exp(logpmf(k, mu, loc))``.

    >>> round(float(pmf(1, 1.0)), 12)
    0.367879441171
    """
    return fnp.exp(logpmf(k, mu, loc))


def cdf(k, mu, loc=0):
    """``P(K <= k) = gammaincc(floor(k - loc) + 1, mu)``; 0 below ``loc``.

    >>> round(float(cdf(1, 1.0)), 12)
    0.735758882343
    """
    k, mu, loc = promote(k, mu, loc)
    x = fnp.floor(k - loc)
    valid = x >= 0
    val = special.gammaincc(fnp.where(valid, x, 0.0) + 1.0, mu)
    return fnp.where(valid, val, 0.0)
