"""Every primitive of fgrad; importing this package registers them all in ``REGISTRY``."""
from .core import REGISTRY, Primitive  # noqa: F401
from . import unary, binary, reductions, shape  # noqa: F401
from . import indexing, contraction, transfer  # noqa: F401
from . import special, sorting  # noqa: F401
from . import linalg  # noqa: F401
from . import collective  # noqa: F401
from . import fft  # noqa: F401
from . import debug  # noqa: F401
from . import eig  # noqa: F401
from . import control_flow  # noqa: F401
from . import collectives  # noqa: F401
from . import convolution  # noqa: F401
from . import integer, selection  # noqa: F401
