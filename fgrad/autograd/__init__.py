"""``fgrad.autograd``: PyTorch's ``backward``, ``grad`` and ``Function`` for facade tensors
(``fgrad.facade.autograd``), with ``fgrad.autograd.functional`` and ``fgrad.autograd.profiler``.

The backward pass is the reverse engine of ``fgrad.grad`` (``backward_pass``),
walking the ``GradNode``s that operations on tensors record.

>>> import fgrad
>>> x = fgrad.tensor([1.0, 2.0], requires_grad=True)
>>> fgrad.autograd.grad((x ** 2).sum(), x)
(tensor([2., 4.]),)
"""
from ..facade.autograd import (backward, grad, Function, FunctionCtx, set_detect_anomaly,
                               detect_anomaly)
from ..facade.tensor import Tensor as Variable
from . import functional, profiler

__all__ = ["backward", "grad", "Function", "FunctionCtx", "set_detect_anomaly",
           "detect_anomaly"]
