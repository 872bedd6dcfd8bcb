"""``Optimizer``: the base class of ``fgrad.optim``'s optimizers, as ``torch.optim.Optimizer``
(``param_groups``, per-parameter ``state``, ``zero_grad``, ``add_param_group``,
``state_dict``/``load_state_dict`` in PyTorch's layout).

>>> import fgrad
>>> w = fgrad.nn.Parameter(fgrad.tensor([1.0, -2.0]))
>>> opt = fgrad.optim.SGD([w], lr=0.1, momentum=0.9)
>>> (w ** 2).sum().backward(); opt.step()
>>> sd = opt.state_dict()
>>> sorted(sd), sd["param_groups"][0]["params"], sorted(sd["state"][0])
(['param_groups', 'state'], [0], ['momentum_buffer'])
"""
from __future__ import annotations

import copy
from collections import defaultdict
from typing import Callable, Iterable

from ..facade import grad_mode as _grad_mode
from ..nn.modules import _zero_grad
from ..facade.tensor import Tensor

__all__ = ["Optimizer", "required"]


class _Required:
    def __repr__(self) -> str:
        return "<required parameter>"


required = _Required()


class Optimizer:
    """Base class: ``param_groups`` (dicts with ``'params'`` and the hyper-parameters),
    per-parameter ``state``, ``zero_grad``, ``state_dict``/``load_state_dict``."""

    def __init__(self, params: Iterable, defaults: dict):
        self.defaults = defaults
        self.state: defaultdict = defaultdict(dict)
        self.param_groups: list[dict] = []
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            f"Tensors or dicts, but got {type(params).__name__}")
        groups = list(params)
        if len(groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict) -> None:
        """Add a group of parameters with its own hyper-parameters (defaults fill the rest)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        group = dict(param_group)
        params = group["params"]
        if isinstance(params, Tensor):
            group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, "
                            "but the ordering of tensors in sets will change between runs. "
                            "Please use a list instead.")
        else:
            group["params"] = list(params)
        for p in group["params"]:
            if not isinstance(p, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                                f"{type(p).__name__}")
            if not p.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in group:
                raise ValueError(f"parameter group didn't specify a value of required "
                                 f"optimization parameter {name}")
            group.setdefault(name, default)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in group["params"]) or \
                len({id(p) for p in group["params"]}) != len(group["params"]):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients: to ``None`` (default) or, with ``set_to_none=False``, to
        zeros in place."""
        for group in self.param_groups:
            for p in group["params"]:
                _zero_grad(p, set_to_none)

    def step(self, closure: Callable | None = None):
        raise NotImplementedError

    def _closure_loss(self, closure):
        if closure is None:
            return None
        with _grad_mode.enable_grad():
            return closure()

    # -- state ----------------------------------------------------------------------
    def state_dict(self) -> dict:
        """``{'state': {index: {...}}, 'param_groups': [{..., 'params': [index, ...]}]}``,
        parameters replaced by their position (as PyTorch)."""
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for p in group["params"]:
                index.setdefault(id(p), len(index))
            packed["params"] = [index[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {index[id(p)]: s for p, s in self.state.items() if id(p) in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        for mine, theirs in zip(self.param_groups, groups):
            if len(mine["params"]) != len(theirs["params"]):
                raise ValueError("loaded state dict contains a parameter group that doesn't "
                                 "match the size of optimizer's group")
        by_index = {i: p for mine, theirs in zip(self.param_groups, groups)
                    for i, p in zip(theirs["params"], mine["params"])}
        self.state = defaultdict(dict)
        for i, s in state_dict["state"].items():
            p = by_index[i]
            self.state[p] = {k: (v.detach().clone().to(dtype=p.dtype, device=p.device)
                                 if isinstance(v, Tensor) and k != "step" else
                                 v.detach().clone() if isinstance(v, Tensor) else copy.copy(v))
                             for k, v in s.items()}
        for mine, theirs in zip(self.param_groups, groups):
            params = mine["params"]
            mine.clear()
            mine.update({k: v for k, v in theirs.items() if k != "params"})
            mine["params"] = params

    def __repr__(self) -> str:
        out = type(self).__name__ + " ("
        for i, group in enumerate(self.param_groups):
            out += f"\nParameter Group {i}"
            for key in sorted(group):
                if key != "params":
                    out += f"\n    {key}: {group[key]}"
        return out + "\n)"

    def __getstate__(self):
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state):
        self.__dict__.update(state)


def _check_lr(lr):
    if lr is not required and lr < 0.0:
        raise ValueError(f"Invalid learning rate: {lr}")


