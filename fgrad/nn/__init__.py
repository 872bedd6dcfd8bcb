"""``fgrad.nn``: neural-network helpers. The functional ones (``relu softmax ...``, as
``jax.nn``) live in ``fgrad.nn.functional`` and are re-exported here.

>>> import fgrad.numpy as fnp, fgrad.nn as nn
>>> nn.relu(fnp.asarray([-1.0, 1.0])).tolist()
[0.0, 1.0]
"""
from . import functional  # noqa: F401
from .functional import *  # noqa: F401,F403
