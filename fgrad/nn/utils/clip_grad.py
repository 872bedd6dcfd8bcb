"""Gradient clipping, as ``torch.nn.utils.clip_grad``: ``clip_grad_norm_`` scales all
gradients together by ``min(1, max_norm / (total_norm + 1e-6))`` (PyTorch's formula,
applied even when it is 1), ``clip_grad_value_`` clamps each element.
"""
from __future__ import annotations

import math
import warnings

from ...facade import creation as _creation, torch_functions as _torch_functions, grad_mode as _grad_mode
from ... import linalg as _linalg
from ...facade.tensor import Tensor

__all__ = ["clip_grad_norm_", "clip_grad_norm", "clip_grad_value_"]


def _params(parameters) -> list:
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)


def clip_grad_norm_(parameters, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False, foreach=None) -> Tensor:
    """Scale the gradients of ``parameters`` in place so that their joint ``norm_type``
    norm is at most ``max_norm``; returns the norm before clipping.

    >>> import fgrad
    >>> p = fgrad.nn.Parameter(fgrad.ones(4)); p.grad = fgrad.full((4,), 0.1)
    >>> clip_grad_norm_(p, 1.0)
    tensor(0.2000)
    """
    grads = [p.grad for p in _params(parameters) if p.grad is not None]
    max_norm, norm_type = float(max_norm), float(norm_type)
    if not grads:
        return _creation.tensor(0.0)
    with _grad_mode.no_grad():
        norms = [_linalg.vector_norm(g, norm_type) for g in grads]
        stacked = _torch_functions.FUNCTIONS["stack"]([n.to(norms[0].device) for n in norms])
        total = _linalg.vector_norm(stacked, norm_type)
        if error_if_nonfinite and not math.isfinite(total.item()):
            raise RuntimeError(f"The total norm of order {norm_type} for gradients from "
                               "`parameters` is non-finite, so it cannot be clipped. To disable "
                               "this error and scale the gradients by the non-finite norm "
                               "anyway, set `error_if_nonfinite=False`")
        coef = (max_norm / (total + 1e-6)).clamp(max=1.0)
        for g in grads:
            g.mul_(coef.to(g.device, g.dtype))
    return total


def clip_grad_norm(parameters, max_norm: float, norm_type: float = 2.0,
                   error_if_nonfinite: bool = False, foreach=None) -> Tensor:
    """Deprecated alias of ``clip_grad_norm_`` (with PyTorch's warning)."""
    warnings.warn("`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
                  "`torch.nn.utils.clip_grad_norm_`.", FutureWarning, stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def clip_grad_value_(parameters, clip_value: float, foreach=None) -> None:
    """Clamp every gradient element of ``parameters`` to ``[-clip_value, clip_value]``.

    >>> import fgrad
    >>> p = fgrad.nn.Parameter(fgrad.ones(2)); p.grad = fgrad.tensor([-3.0, 0.5])
    >>> clip_grad_value_(p, 1.0); p.grad
    tensor([-1.0000,  0.5000])
    """
    clip_value = float(clip_value)
    with _grad_mode.no_grad():
        for p in _params(parameters):
            if p.grad is not None:
                p.grad.clamp_(min=-clip_value, max=clip_value)
