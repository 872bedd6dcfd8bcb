"""``fgrad.optim``: PyTorch's optimizers on facade tensors (``SGD``, ``Adam``, ``AdamW``,
``RMSprop``, ``Adagrad``) and ``fgrad.optim.lr_scheduler``.

Each ``step()`` runs under ``no_grad`` and updates the parameters in place with the
same sequence of float operations as PyTorch's single-tensor (``foreach=False``)
implementation, so a model trained here and under PyTorch from the same initial
weights follows the same trajectory (to float rounding).

>>> import fgrad
>>> w = fgrad.nn.Parameter(fgrad.tensor([1.0, -2.0]))
>>> opt = fgrad.optim.SGD([w], lr=0.1)
>>> (w ** 2).sum().backward()
>>> opt.step()
>>> w
Parameter containing:
tensor([ 0.8000, -1.6000], requires_grad=True)
"""
from .optimizer import Optimizer
from .sgd import SGD
from .adam import Adam, AdamW
from .rmsprop import RMSprop
from .adagrad import Adagrad
from . import lr_scheduler

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "lr_scheduler"]
