"""``fgrad.numpy``: a ``jax.numpy``-like namespace of pure functions on ``fgrad.Array``.

Every function here is a primitive or a composition of primitives; none has
derivative rules of its own. Dtype promotion follows NumPy 2 (Python scalars
are weak: ``float32_array * 2.0`` stays float32).

>>> import fgrad.numpy as fnp
>>> fnp.sum(fnp.sin(fnp.zeros(3)) + 1.0)
Array(3.)
"""
from ._core import *  # noqa: F401,F403
from ._core import (asarray, array, astype, zeros, ones, empty, full, zeros_like, ones_like,
                    empty_like, full_like, arange, linspace, eye, identity)  # noqa: F401
from ._elementwise import *  # noqa: F401,F403
from ._elementwise import (abs, absolute, round, around, where, clip, stop_gradient)  # noqa: F401
from ._reductions import *  # noqa: F401,F403
from ._reductions import sum, prod, max, min, all, any, mean, var, std  # noqa: F401
from ._shape import *  # noqa: F401,F403
from ._indexing import *  # noqa: F401,F403
from ._indexing import _index, _update, _IndexUpdateHelper  # noqa: F401
from ._contraction import *  # noqa: F401,F403
from ._convolve import convolve, correlate  # noqa: F401
from . import linalg  # noqa: F401,E402
from . import fft  # noqa: F401,E402

from .. import _methods as _m

_m.fnp = __import__(__name__, fromlist=["_"])
from ..primitives import binary as _binary, unary as _unary  # noqa: E402
from ..transforms.core import bind as _bind  # noqa: E402
_m.bind, _m._B, _m._U = _bind, _binary, _unary

# sorting, order statistics, NaN-aware reductions, set operations, histograms, stacking,
# polynomials and index tricks (issue 14)
from ._sorting import *  # noqa: F401,F403,E402
from ._statistics import *  # noqa: F401,F403,E402
from ._stacking import *  # noqa: F401,F403,E402
from ._creation_more import *  # noqa: F401,F403,E402
from ._setops import *  # noqa: F401,F403,E402
from ._polynomial import *  # noqa: F401,F403,E402
from ._elementwise_more import *  # noqa: F401,F403,E402
from ._index_tricks import *  # noqa: F401,F403,E402
from ._functional import *  # noqa: F401,F403,E402
# window functions, i0, gcd/lcm, frexp/spacing (issue 14's remaining names)
from ._windows import *  # noqa: F401,F403,E402
from ._number_theory import *  # noqa: F401,F403,E402
