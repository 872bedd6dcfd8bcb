"""``RMSprop`` as ``torch.optim.RMSprop`` (single-tensor path):

``v = alpha v + (1 - alpha) g^2``; centered: ``m = lerp(m, g, 1 - alpha)``,
``avg = sqrt(v - m^2)``, else ``avg = sqrt(v)``; ``avg += eps``; with momentum
``buf = momentum buf + g / avg``, ``p -= lr buf``, else ``p -= lr g / avg``.
``weight_decay`` adds ``wd * p`` to the gradient first.

>>> import fgrad
>>> w = fgrad.nn.Parameter(fgrad.tensor([1.0, -2.0]))
>>> opt = fgrad.optim.RMSprop([w], lr=0.01)
>>> (w ** 2).sum().backward(); opt.step()
>>> w
Parameter containing:
tensor([ 0.9000, -1.9000], requires_grad=True)
"""
from __future__ import annotations

from typing import Callable

from ..facade import grad_mode as _grad_mode
from ..facade.creation import tensor, zeros_like
from .optimizer import Optimizer, _check_lr

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """Root-mean-square propagation (Hinton's lecture 6e; centered as Graves 2013)."""

    def __init__(self, params, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False,
                 capturable: bool = False, foreach: bool | None = None,
                 maximize: bool = False, differentiable: bool = False):
        _check_lr(lr)
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                        weight_decay=weight_decay, capturable=capturable, foreach=foreach,
                        maximize=maximize, differentiable=differentiable)
        super().__init__(params, defaults)

    def step(self, closure: Callable | None = None):
        """One update of every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = self._closure_loss(closure)
        with _grad_mode.no_grad():
            for group in self.param_groups:
                lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
                wd, momentum, centered = group["weight_decay"], group["momentum"], \
                    group["centered"]
                for p in group["params"]:
                    grad = p.grad
                    if grad is None:
                        continue
                    if group["maximize"]:
                        grad = -grad
                    state = self.state[p]
                    if len(state) == 0:
                        state["step"] = tensor(0.0)
                        state["square_avg"] = zeros_like(p)
                        if momentum > 0:
                            state["momentum_buffer"] = zeros_like(p)
                        if centered:
                            state["grad_avg"] = zeros_like(p)
                    state["step"].add_(1)
                    if wd != 0:
                        grad = grad.add(p, alpha=wd)
                    square_avg = state["square_avg"]
                    square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
                    if centered:
                        grad_avg = state["grad_avg"]
                        grad_avg.lerp_(grad, 1 - alpha)
                        avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
                    else:
                        avg = square_avg.sqrt()
                    avg = avg.add_(eps)
                    if momentum > 0:
                        buf = state["momentum_buffer"]
                        buf.mul_(momentum).addcdiv_(grad, avg)
                        p.add_(buf, alpha=-lr)
                    else:
                        p.addcdiv_(grad, avg, value=-lr)
        return loss
