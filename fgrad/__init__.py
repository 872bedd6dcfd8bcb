"""fgrad: composable function transforms (grad, jvp, vjp, vmap) on NumPy and CuPy.

>>> import fgrad, fgrad.numpy as fnp
>>> fgrad.grad(lambda x: fnp.sum(x ** 3))(fnp.asarray([1.0, 2.0, 3.0]))
Array([ 3., 12., 27.])
"""
from ._array import Array
from . import devices, tree_util, primitives, cuda
from . import numpy
from . import random, scipy, nn  # noqa: E402  (fgrad.random, fgrad.scipy.special, fgrad.nn)
from . import lax  # noqa: E402  (fgrad.lax: control flow, collectives, convolutions)
from .transforms.api import (grad, value_and_grad, vjp, jvp, linearize, vmap, float0)
from .transforms.derived import jacfwd, jacrev, hessian
jacobian = jacrev    # JAX's alias
from . import tree, flatten_util, debug  # noqa: E402  (fgrad.tree, ravel_pytree, debug.print)
from .transforms.custom import custom_jvp, custom_vjp, checkpoint, remat
from .transforms.staging import make_jaxpr
from .transforms.jit import jit
from .numpy._elementwise import stop_gradient
from .primitives.transfer import device_put
from ._tensor_str import set_printoptions
from . import _dtypes
from ._dtypes import (dtype, get_default_dtype, set_default_dtype, is_floating_point, is_complex,
                      bool_)
from ._grad_mode import (no_grad, enable_grad, set_grad_enabled, is_grad_enabled,
                         inference_mode)
from .tensor import Tensor, Size
from . import autograd
from . import linalg
from ._facade import (FUNCTIONS as _FUNCTIONS, device, tensor, as_tensor, asarray, from_numpy,
                      zeros, ones, empty, full, zeros_like, ones_like, empty_like, full_like,
                      eye, arange, linspace, logspace, manual_seed, seed, initial_seed, rand,
                      randn, rand_like, randn_like, randint, randint_like, randperm, normal,
                      bernoulli, multinomial, result_type, promote_types, is_tensor, numel,
                      clone, softmax, log_softmax)
from ._torch_ops import return_types
from . import optim
from . import distributed  # noqa: E402  (torch.distributed's names, on MPI/NCCL)
from ._generator import Generator
from . import utils
from .serialization import save, load
from . import serialization
from . import func
from . import _jit_autograd  # jit keeps the facade's autograd
from .errors import (UnexpectedTracerError, ConcretizationTypeError,
                     TracerArrayConversionError)

globals().update({_n: getattr(_dtypes, _n) for _n in _dtypes.ALL_NAMES})
globals().update({_n: _f for _n, _f in _FUNCTIONS.items() if _n not in globals()})
# PyTorch and JAX names of tutorials (issue 18): default device, accelerator, unique,
# legacy constructors, in-place function forms, test_util.check_grads
from . import accelerator, test_util  # noqa: E402
from ._torch_names import (set_default_device, get_default_device, unique,  # noqa: E402
                           FloatTensor, DoubleTensor, HalfTensor, LongTensor, IntTensor,
                           ShortTensor, CharTensor, ByteTensor, BoolTensor,
                           INPLACE as _INPLACE_FUNCTIONS)
globals().update({_n: _f for _n, _f in _INPLACE_FUNCTIONS.items() if _n not in globals()})


__version__ = "0.1.0"
