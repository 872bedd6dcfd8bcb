"""The PyTorch-like layer ("the facade"): ``Tensor`` and everything PyTorch-shaped under it.

Read ``ARCHITECTURE.md`` at the repository root for the picture. Modules, bottom up:

``grad_mode``   no_grad / enable_grad / inference_mode (a thread-local switch)
``printing``    ``repr(tensor)`` (a port of ``torch/_tensor_str.py``)
``promotion``   PyTorch's dtype promotion (``result_type``, ``promote_types``) and casts
``ops``         PyTorch-semantics functions over ``fgrad.numpy``, one file per op family
``size``        ``Size`` and shape/device checks ; ``tape``: ``GradNode``, engine state
``attributes``  Tensor's read-only attributes (a mixin) ; ``tensor_base``: ``TensorBase``
                (storage, views, in-place updates) and its bind handler (recording an op)
``creation``    tensor, zeros, arange ... ; ``sampling``: host random numbers
``functions``   op wrappers (``out=``, grad_fn names) ; ``torch_functions``: ``fgrad.<op>``
``autograd``    backward, grad, Function ; ``torch_names``: legacy names
``tensor``      ``Tensor``: TensorBase with every method and operator, in its class body
``autograd_functional``; ``linalg``; ``jit_autograd``: jit keeps the facade's autograd

The public module paths stay PyTorch's (``fgrad.autograd``, ``fgrad.linalg``, ``fgrad.nn`` ...):
small modules that import from here.
"""
