"""``checkpoint`` (``remat``): reverse mode that recomputes a function's intermediates.

Evaluated, it is a custom VJP whose backward pass re-runs the function under reverse mode;
staged (under ``jit`` or a ``lax`` body) it is one ``checkpoint`` equation, whose rule lives
with the control-flow primitives.
"""
from __future__ import annotations

import functools
from typing import Callable

from ..primitives.control_flow import staged_checkpoint
from ..tree_util import tree_flatten, tree_unflatten
from .core import _state, from_output, instantiate
from .custom import _flat_args, custom_call
from .reverse import backward_pass, vjp_flat

__all__ = ["checkpoint", "remat"]


def checkpoint(fun: Callable) -> Callable:
    """``fun`` whose intermediate values are recomputed in the backward pass, not stored.

    Reverse mode keeps only ``fun``'s inputs; its VJP re-runs ``fun`` under
    reverse mode and frees those residuals as it goes. Use it on the segments
    of a deep computation to trade compute for memory. Alias: ``remat``.

    >>> import fgrad, fgrad.numpy as fnp
    >>> f = fgrad.checkpoint(lambda x: fnp.sin(fnp.sin(x)))
    >>> float(fgrad.grad(f)(0.0))
    1.0
    """

    @functools.wraps(fun)
    def wrapped(*args):
        flat, in_tree = _flat_args(args)
        if _state.dynamic is not None:   # staged: one ``checkpoint`` equation keeps the rule
            outs, tree = staged_checkpoint(fun, flat, in_tree)
            return tree_unflatten(tree, outs)
        out_tree = []

        def flat_fun(*xs):
            out = fun(*tree_unflatten(in_tree, list(xs)))
            leaves, tree = tree_flatten(out)
            out_tree[:] = [tree]
            return [from_output(o) for o in leaves]

        def fwd(*xs):
            return flat_fun(*xs), xs

        def bwd(xs, cts):
            _, leaves, out_refs = vjp_flat(flat_fun, list(xs))
            seeds = [(node, i, instantiate(c)) for (node, i), c in zip(out_refs, cts)
                     if node is not None and c is not None]
            got = backward_pass(seeds) if seeds else {}
            return [None if leaf is None else got.get(id(leaf), (None, None))[1]
                    for leaf in leaves]

        outs = custom_call("vjp", flat, flat_fun, fwd, bwd, True)
        return tree_unflatten(out_tree[0], outs)
    return wrapped


remat = checkpoint
