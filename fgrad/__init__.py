"""fgrad: composable function transforms (grad, jvp, vjp, vmap) on NumPy and CuPy.

>>> import fgrad, fgrad.numpy as fnp
>>> fgrad.grad(lambda x: fnp.sum(x ** 3))(fnp.asarray([1.0, 2.0, 3.0]))
Array([ 3., 12., 27.])
"""
from ._array import Array
from . import devices, tree_util, primitives, cuda
from . import numpy
from . import random, scipy, nn  # noqa: E402  (fgrad.random, fgrad.scipy.special, fgrad.nn)
from .transforms.api import (grad, value_and_grad, vjp, jvp, linearize, vmap, float0)
from .transforms.derived import jacfwd, jacrev, hessian
from .transforms.custom import custom_jvp, custom_vjp, checkpoint, remat
from .transforms.staging import make_jaxpr
from .transforms.jit import jit
from .numpy._elementwise import stop_gradient
from .primitives.transfer import device_put
from ._tensor_str import set_printoptions
from .errors import (UnexpectedTracerError, ConcretizationTypeError,
                     TracerArrayConversionError)

__version__ = "0.1.0"
