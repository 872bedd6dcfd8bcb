"""``Adagrad`` as ``torch.optim.Adagrad`` (single-tensor path):

``clr = lr / (1 + (t - 1) lr_decay)``; ``s += g^2``; ``p -= clr g / (sqrt(s) + eps)``;
``weight_decay`` adds ``wd * p`` to the gradient first. The state (``step``, ``sum``
starting at ``initial_accumulator_value``) exists from construction on, as PyTorch's.

>>> import fgrad
>>> w = fgrad.nn.Parameter(fgrad.tensor([1.0, -2.0]))
>>> opt = fgrad.optim.Adagrad([w], lr=0.1)
>>> (w ** 2).sum().backward(); opt.step()
>>> w
Parameter containing:
tensor([ 0.9000, -1.9000], requires_grad=True)
"""
from __future__ import annotations

from typing import Callable

from ..facade import grad_mode as _grad_mode
from ..facade.creation import full_like, tensor
from .optimizer import Optimizer, _check_lr

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adaptive gradient (Duchi, Hazan and Singer, 2011)."""

    def __init__(self, params, lr: float = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10,
                 foreach: bool | None = None, *, maximize: bool = False,
                 differentiable: bool = False, fused: bool | None = None):
        _check_lr(lr)
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError("Invalid initial_accumulator_value value: "
                             f"{initial_accumulator_value}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p, group)

    def _init_state(self, p, group) -> dict:
        state = self.state[p]
        if len(state) == 0:
            state["step"] = tensor(0.0)
            state["sum"] = full_like(p, group["initial_accumulator_value"])
        return state

    def step(self, closure: Callable | None = None):
        """One update of every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = self._closure_loss(closure)
        with _grad_mode.no_grad():
            for group in self.param_groups:
                lr, lr_decay, eps, wd = group["lr"], group["lr_decay"], group["eps"], \
                    group["weight_decay"]
                for p in group["params"]:
                    grad = p.grad
                    if grad is None:
                        continue
                    state = self._init_state(p, group)
                    state["step"].add_(1)
                    step = state["step"].item()
                    if group["maximize"]:
                        grad = -grad
                    if wd != 0:
                        grad = grad.add(p, alpha=wd)
                    clr = lr / (1 + (step - 1) * lr_decay)
                    state["sum"].addcmul_(grad, grad, value=1)
                    std = state["sum"].sqrt().add_(eps)
                    p.addcdiv_(grad, std, value=-clr)
        return loss
