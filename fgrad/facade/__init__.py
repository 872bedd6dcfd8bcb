"""The PyTorch-like layer ("the facade"): ``Tensor`` and everything PyTorch-shaped under it.

Read ``ARCHITECTURE.md`` at the repository root for the picture. Modules, bottom up:

``grad_mode``   no_grad / enable_grad / inference_mode (a thread-local switch)
``printing``    ``repr(tensor)`` (a port of ``torch/_tensor_str.py``)
``promotion``   PyTorch's dtype promotion (``result_type``, ``promote_types``)
``ops``         PyTorch-semantics functions over ``fgrad.numpy``, one file per op family
``tape``        the autograd graph: ``GradNode``, recording an op (``record``), the engine
``tensor``      the ``Tensor`` class (mutable storage, views, version counters)
``functions``   ``fgrad.<op>`` on tensors (``out=``, grad_fn names) and the methods mixin
``creation``    tensor, zeros, arange, ... ; ``random``: host random numbers, ``Generator``
``autograd``    backward, grad, Function ; ``autograd_functional``; ``linalg``; ``jit_autograd``

The public module paths stay PyTorch's (``fgrad.autograd``, ``fgrad.linalg``, ``fgrad.nn`` ...):
small modules that import from here.
"""
