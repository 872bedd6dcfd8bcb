"""``fgrad.scipy.stats``: distributions as modules of pure functions, as ``jax.scipy.stats``.

Each module (``norm``, ``multivariate_normal``, ``t``, ``gamma``, ``beta``,
``poisson``, ``bernoulli``, ``expon``, ``uniform``, ``laplace``, ``cauchy``,
``logistic``) holds ``logpdf``/``pdf`` (``logpmf``/``pmf`` for discrete ones) and,
where JAX has them, ``cdf logcdf sf logsf ppf``. They are compositions of
``fgrad.numpy`` and ``fgrad.scipy.special``, so every transform goes through them.

>>> import fgrad.numpy as fnp
>>> from fgrad.scipy.stats import norm
>>> round(float(norm.logpdf(0.0)), 12)
-0.918938533205
"""
from . import (norm, multivariate_normal, t, gamma, beta, poisson, bernoulli, expon,  # noqa: F401
               uniform, laplace, cauchy, logistic)
