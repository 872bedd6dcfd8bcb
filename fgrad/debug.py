"""``fgrad.debug``: ``print`` and ``callback`` that run with concrete values, as ``jax.debug``.

Under ``jit`` they stay in the compiled program and run on every call (not once at
trace time); under ``vmap`` they see the whole batch; under ``grad``/``jvp`` they see
the primal values.

>>> import fgrad, fgrad.numpy as fnp
>>> f = fgrad.jit(lambda x: (fgrad.debug.print("x = {}", x), x * 2)[1])
>>> _ = f(fnp.asarray(1.5))
x = 1.5
>>> _ = f(fnp.asarray(2.5))
x = 2.5
"""
from __future__ import annotations

import builtins
from typing import Any, Callable

import numpy as np

from . import numpy as fnp
from ._array import Array
from .primitives.debug import debug_callback_p
from .transforms.core import Tracer, bind
from .tree_util import tree_flatten, tree_unflatten

__all__ = ["print", "callback"]


def _is_array_leaf(x) -> bool:
    return isinstance(x, (Array, Tracer, np.ndarray, np.generic))


def callback(callback: Callable, *args: Any, ordered: bool = False, **kwargs: Any) -> None:
    """Call ``callback(*args, **kwargs)`` with the arrays among them (pytrees too) as
    NumPy arrays, when the computation runs.

    >>> import fgrad.numpy as fnp
    >>> callback(lambda v: builtins.print(v.sum()), fnp.ones(3))
    3.0
    """
    leaves, treedef = tree_flatten((args, kwargs))
    where = [i for i, x in enumerate(leaves) if _is_array_leaf(x)]
    arrays = [fnp.asarray(leaves[i]) for i in where]
    if not arrays:                 # something to carry the effect into a jitted program
        arrays = [fnp.asarray(0)]
        where = []

    def host_call(*host):
        full = list(leaves)
        for i, h in zip(where, host):
            full[i] = h
        a, k = tree_unflatten(treedef, full)
        callback(*a, **k)

    bind(debug_callback_p, *arrays, callback=host_call)


def print(fmt: str, *args: Any, ordered: bool = False, **kwargs: Any) -> None:  # noqa: A001
    """``print(fmt.format(*args, **kwargs))`` with the arrays' concrete values, also
    under ``jit``, ``vmap`` and ``grad``.

    >>> import fgrad, fgrad.numpy as fnp
    >>> _ = fgrad.vmap(lambda x: (print("row: {x}", x=x), x)[1])(fnp.arange(3.0))
    row: [0. 1. 2.]
    """
    callback(lambda *a, **k: builtins.print(fmt.format(*a, **k)), *args, **kwargs)
