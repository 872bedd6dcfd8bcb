"""``fgrad.autograd.functional``: torch.autograd.functional's jacobian hessian vjp jvp hvp vhp
(``fgrad.facade.autograd_functional``).

>>> import fgrad
>>> from fgrad.autograd.functional import jacobian
>>> jacobian(lambda x: x ** 2, fgrad.tensor([1.0, 2.0]))
tensor([[2., 0.],
        [0., 4.]])
"""
from ..facade.autograd_functional import jacobian, hessian, vjp, jvp, hvp, vhp

__all__ = ["jacobian", "hessian", "vjp", "jvp", "hvp", "vhp"]
