"""The uniform distribution on ``[loc, loc + scale]``, as ``jax.scipy.stats.uniform``.

>>> float(pdf(0.5))
1.0
"""
from __future__ import annotations

import numpy as np

from ... import numpy as fnp
from ._common import promote


def logpdf(x, loc=0.0, scale=1.0):
    """``-log(scale)`` inside ``[loc, loc + scale]``, ``-inf`` outside.

    >>> float(logpdf(2.0))
    -inf
    """
    x, loc, scale = promote(x, loc, scale)
    inside = (x >= loc) & (x <= loc + scale)
    return fnp.where(inside, -fnp.log(scale), -np.inf)


def pdf(x, loc=0.0, scale=1.0):
    """``exp(logpdf(x, loc, scale))``.

    >>> float(pdf(0.5, 0.0, 2.0))
    0.5
    """
    return fnp.exp(logpdf(x, loc, scale))


def cdf(x, loc=0.0, scale=1.0):
    """``(x - loc) / scale`` on ``[loc, loc + scale]`` (bounds included, as JAX's
    derivative there), 0 below, 1 above.

    >>> float(cdf(0.25))
    0.25
    """
    x, loc, scale = promote(x, loc, scale)
    return fnp.where(x < loc, 0.0, fnp.where(x > loc + scale, 1.0, (x - loc) / scale))


def ppf(q, loc=0.0, scale=1.0):
    """``loc + q scale`` for ``q`` in [0, 1], NaN outside.

    >>> float(ppf(0.5, 1.0, 2.0))
    2.0
    """
    q, loc, scale = promote(q, loc, scale)
    return fnp.where((q < 0) | (q > 1), np.nan, loc + q * scale)
