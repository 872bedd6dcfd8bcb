"""``fgrad.scipy``: a ``jax.scipy``-like namespace (``special``, ``linalg``, ``stats``).

>>> import fgrad.scipy.special as fsp
>>> float(fsp.erf(0.0))
0.0
"""
from . import special  # noqa: F401
from . import linalg, stats  # noqa: F401
