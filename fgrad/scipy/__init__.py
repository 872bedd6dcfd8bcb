"""``fgrad.scipy``: a ``jax.scipy``-like namespace (``fgrad.scipy.special``).

>>> import fgrad.scipy.special as fsp
>>> float(fsp.erf(0.0))
0.0
"""
from . import special  # noqa: F401
