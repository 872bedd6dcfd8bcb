"""Student's t distribution with ``df`` degrees of freedom, as ``jax.scipy.stats.t``.

>>> round(float(logpdf(0.0, 1.0)), 12)    # Cauchy at 0: -log(pi)
-1.144729885849
"""
from __future__ import annotations

import math

from ... import numpy as fnp
from .. import special
from ._common import promote


def logpdf(x, df, loc=0.0, scale=1.0):
    """``log Gamma((df+1)/2) - log Gamma(df/2) - log(pi df)/2 - log(scale)
    - (df+1)/2 log(1 + z^2/df)``, ``z = (x - loc) / scale``.

    >>> round(float(logpdf(1.0, 3.0)), 12)
    -1.576252994527
    """
    x, df, loc, scale = promote(x, df, loc, scale)
    z = (x - loc) / scale
    half = 0.5 * (df + 1.0)
    return (special.gammaln(half) - special.gammaln(0.5 * df) - 0.5 * fnp.log(math.pi * df)
            - fnp.log(scale) - half * fnp.log1p(z * z / df))


def pdf(x, df, loc=0.0, scale=1.0):
    """``exp(logpdf(x, df, loc, scale))``.

    >>> round(float(pdf(0.0, 1.0)), 12)
    0.318309886184
    """
    return fnp.exp(logpdf(x, df, loc, scale))
