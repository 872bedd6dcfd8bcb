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
from .transforms.custom import custom_jvp, custom_vjp
from .transforms.checkpoint import checkpoint, remat
from .transforms.staging import make_jaxpr
from .transforms.jit import jit
from .numpy._elementwise import stop_gradient
from .numpy._core import device_put
from .facade.printing import set_printoptions
from . import _dtypes
from ._dtypes import (dtype, get_default_dtype, set_default_dtype, is_floating_point, is_complex,
                      bool_)
from .facade.grad_mode import (no_grad, enable_grad, set_grad_enabled, is_grad_enabled,
                         inference_mode)
from .facade.tensor import Tensor, Size
from . import autograd
from . import linalg
from .facade.creation import (device, tensor, as_tensor, asarray, from_numpy, zeros, ones, empty,
                              full, zeros_like, ones_like, empty_like, full_like, eye, arange,
                              linspace, logspace)
from .facade.sampling import (manual_seed, seed, initial_seed, rand, randn, rand_like, randn_like,
                              randint, randint_like, randperm, normal, bernoulli, multinomial)
from .facade.functions import (result_type, promote_types, is_tensor, numel, clone, softmax,
                               log_softmax)
from .facade.ops import return_types
from . import optim
from . import distributed  # noqa: E402  (torch.distributed's names, on MPI/NCCL)
from .facade.generator import Generator
from . import utils
from .serialization import save, load
from . import serialization
from . import func
from .facade import jit_autograd as _jit_autograd  # jit keeps the facade's autograd
from .errors import (UnexpectedTracerError, ConcretizationTypeError,
                     TracerArrayConversionError)

from ._dtypes import (  # noqa: E402  (torch.float32 ...)
    bool, complex128, complex64, float16, float32, float64, int16, int32, int64, int8, uint16,
    uint32, uint64, uint8, float, double, half, long, int, short, cfloat, cdouble)
from .facade.torch_functions import (  # noqa: E402  (torch.<name> functions)
    abs, absolute, acos, add, addbmm, addcdiv, addcmul, addmm, addmv, addr, all, allclose,
    amax, amin, any, arccos, arcsin, arctan, arctan2, argmax, argmin, argsort, argwhere, asin,
    atan, atan2, baddbmm, bitwise_and, bitwise_not, bitwise_or, bitwise_xor, bmm,
    broadcast_to, cat, ceil, chunk, clamp, clip, concat, concatenate, cos, cosh,
    count_nonzero, cross, cumprod, cumsum, det, diag, diagonal, div, divide, dot, dstack,
    einsum, eq, equal, exp, expand, expand_as, expm1, fix, flatten, flip, fliplr, flipud,
    floor, floor_divide, fmod, frac, gather, ge, ger, greater, greater_equal, gt, hstack,
    index_select, inverse, isclose, isfinite, isinf, isnan, kthvalue, le, lerp, less,
    less_equal, log, log10, log1p, log2, logical_and, logical_not, logical_or, logical_xor,
    logsumexp, lt, masked_fill, masked_select, matmul, max, maximum, mean, median, min,
    minimum, mm, mode, moveaxis, movedim, mul, multiply, mv, narrow, ne, neg, negative,
    nonzero, norm, not_equal, outer, permute, pow, prod, ravel, reciprocal, relu, remainder,
    repeat, repeat_interleave, reshape, reshape_as, roll, round, row_stack, rsqrt, scatter,
    scatter_add, scatter_reduce, sigmoid, sign, sin, sinh, sort, split, sqrt, square, squeeze,
    stack, std, std_mean, sub, subtract, sum, svd, swapaxes, swapdims, t, take,
    take_along_dim, tan, tanh, tensor_split, tile, topk, trace, transpose, tril, triu,
    true_divide, trunc, unbind, unflatten, unsqueeze, var, var_mean, vstack, where)
# PyTorch and JAX names of tutorials (issue 18): default device, accelerator, unique,
# legacy constructors, in-place function forms, test_util.check_grads
from . import accelerator, test_util  # noqa: E402
from .facade.torch_names import (set_default_device, get_default_device, unique,  # noqa: E402
                           FloatTensor, DoubleTensor, HalfTensor, LongTensor, IntTensor,
                           ShortTensor, CharTensor, ByteTensor, BoolTensor,
                           )
from .facade.torch_names import (  # noqa: E402  (torch.<name>_ in-place function forms)
    abs_, acos_, asin_, atan_, ceil_, clamp_, clip_, cos_, cosh_, exp_, expm1_, fill_, fix_,
    floor_, frac_, log_, log10_, log1p_, log2_, neg_, negative_, reciprocal_, relu_, round_,
    rsqrt_, sigmoid_, sin_, sinh_, sqrt_, square_, tan_, tanh_, trunc_, zero_, detach_)


__version__ = "0.1.0"
