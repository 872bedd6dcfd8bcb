"""``fgrad.nn.utils``: gradient clipping and parameter/vector conversion, as
``torch.nn.utils``.

>>> import fgrad
>>> from fgrad import nn
>>> p = nn.Parameter(fgrad.tensor([3.0, 4.0])); p.grad = fgrad.tensor([3.0, 4.0])
>>> nn.utils.clip_grad_norm_([p], max_norm=1.0)
tensor(5.)
>>> p.grad
tensor([0.6000, 0.8000])
"""
from .clip_grad import clip_grad_norm_, clip_grad_value_, clip_grad_norm  # noqa: F401
from .convert_parameters import parameters_to_vector, vector_to_parameters  # noqa: F401

__all__ = ["clip_grad_norm_", "clip_grad_norm", "clip_grad_value_", "parameters_to_vector",
           "vector_to_parameters"]
