"""The beta distribution with shapes ``a``, ``b``, as ``jax.scipy.stats.beta``.

>>> round(float(pdf(0.5, 2.0, 2.0)), 12)
1.5
"""
from __future__ import annotations

import numpy as np

from ... import numpy as fnp
from .. import special
from ._common import promote


def logpdf(x, a, b, loc=0.0, scale=1.0):
    """``(a-1) log y + (b-1) log(1-y) - log B(a, b) - log(scale)``, ``y = (x - loc) / scale``;
    ``-inf`` outside ``[0, 1]``.

    >>> round(float(logpdf(0.25, 2.0, 3.0)), 12)
    0.523248143765
    """
    x, a, b, loc, scale = promote(x, a, b, loc, scale)
    y = (x - loc) / scale
    inside = (y >= 0) & (y <= 1)
    y_safe = fnp.where(inside, y, 0.5)
    val = (special.xlogy(a - 1.0, y_safe) + special.xlog1py(b - 1.0, -y_safe)
           - special.betaln(a, b) - fnp.log(scale))
    return fnp.where(inside, val, -np.inf)


def pdf(x, a, b, loc=0.0, scale=1.0):
    """``exp(logpdf(x, a, b, loc, scale))``.

    >>> float(pdf(2.0, 2.0, 2.0))
    0.0
    """
    return fnp.exp(logpdf(x, a, b, loc, scale))
