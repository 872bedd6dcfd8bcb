"""The Bernoulli distribution with success probability ``p``, as ``jax.scipy.stats.bernoulli``.

>>> float(pmf(1, 0.3))
0.3
"""
from __future__ import annotations

import numpy as np

from ... import numpy as fnp
from .. import special
from ._common import promote


def logpmf(k, p, loc=0):
    """``k log p + (1 - k) log(1 - p)`` at ``k - loc`` in {0, 1}; ``-inf`` elsewhere.

    >>> round(float(logpmf(0, 0.5)), 12)
    -0.69314718056
    """
    k, p, loc = promote(k, p, loc)
    x = k - loc
    val = special.xlogy(x, p) + special.xlog1py(1.0 - x, -p)
    return fnp.where((x == 0) | (x == 1), val, -np.inf)


def pmf(k, p, loc=0):
    """``exp(logpmf(k, p, loc))``.

    >>> float(pmf(2, 0.5))
    0.0
    """
    return fnp.exp(logpmf(k, p, loc))


def cdf(k, p, loc=0):
    """0 below 0, ``1 - p`` on [0, 1), 1 from 1 (in ``k - loc``).

    >>> float(cdf(0, 0.25))
    0.75
    """
    k, p, loc = promote(k, p, loc)
    x = k - loc
    return fnp.where(x < 0, 0.0, fnp.where(x < 1, 1.0 - p, 1.0))


def ppf(q, p):
    """The smallest ``k`` in {0, 1} with ``cdf(k) >= q``; NaN outside [0, 1].

    >>> float(ppf(0.9, 0.25))
    1.0
    """
    q, p = promote(q, p)
    return fnp.where((q < 0) | (q > 1), np.nan, fnp.where(q <= 1.0 - p, 0.0, 1.0))
