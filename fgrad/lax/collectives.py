"""Collectives over a ``vmap`` axis named by ``axis_name`` (``jax.lax`` names):
``psum pmean pmax all_gather psum_scatter axis_index``.

>>> import fgrad, fgrad.lax as lax, fgrad.numpy as fnp
>>> fgrad.vmap(lambda x: x / lax.psum(x, "i"), axis_name="i")(fnp.asarray([1.0, 3.0]))
Array([0.25, 0.75])
"""
from __future__ import annotations

from typing import Any

from ..primitives.collectives import all_gather_p, pmax_p, psum_p, psum_scatter_p
import numpy as np

from ..primitives.creation import iota
from ..transforms.core import to_value
from ..transforms.wrappers import is_wrapped
from ..transforms.batching import BatchTracer, find_axis, lift_to_axis
from ..transforms.core import Tracer
from ..tree_util import tree_map


def _apply(prim, x, axis_name, **params):
    find_axis(axis_name)                  # JAX's NameError outside a vmap of that name

    def one(leaf):
        if is_wrapped(leaf):  # a wrapper type (a Tensor): its bind records the call
            if isinstance(to_value(leaf)[0], Tracer):
                return prim.bind(leaf, axis_name=axis_name, **params)
            leaf = to_value(leaf)[0]
        return prim.bind(lift_to_axis(to_value(leaf)[0], axis_name), axis_name=axis_name, **params)
    return tree_map(one, x)


def psum(x: Any, axis_name) -> Any:
    """The sum of ``x`` (a pytree) over the lanes of the vmap axis ``axis_name``."""
    return _apply(psum_p, x, axis_name)


def pmean(x: Any, axis_name) -> Any:
    """The mean of ``x`` over the lanes of the vmap axis ``axis_name``.

    >>> import fgrad, fgrad.lax as lax, fgrad.numpy as fnp
    >>> fgrad.vmap(lambda x: x - lax.pmean(x, "i"), axis_name="i")(fnp.asarray([1.0, 3.0]))
    Array([-1.,  1.])
    """
    size = find_axis(axis_name).global_data[0]
    return tree_map(lambda s: s / size, psum(x, axis_name))


def pmax(x: Any, axis_name) -> Any:
    """The maximum of ``x`` over the lanes of the vmap axis ``axis_name`` (no derivative,
    as in JAX)."""
    return _apply(pmax_p, x, axis_name)


def all_gather(x: Any, axis_name) -> Any:
    """Every lane's ``x`` stacked along a new leading axis, in every lane.

    >>> import fgrad, fgrad.lax as lax, fgrad.numpy as fnp
    >>> fgrad.vmap(lambda x: lax.all_gather(x, "i").sum(), axis_name="i")(fnp.arange(3.0))
    Array([3., 3., 3.])
    """
    size = find_axis(axis_name).global_data[0]
    return _apply(all_gather_p, x, axis_name, axis_size=size)


def psum_scatter(x: Any, axis_name) -> Any:
    """``psum`` of ``x`` (leading axis of the axis' size), lane ``i`` keeping row ``i``."""
    size = find_axis(axis_name).global_data[0]
    return _apply(psum_scatter_p, x, axis_name, axis_size=size)


def axis_index(axis_name):
    """The index of the current lane along the vmap axis ``axis_name``.

    >>> import fgrad, fgrad.lax as lax, fgrad.numpy as fnp
    >>> fgrad.vmap(lambda x: x * lax.axis_index("i"), axis_name="i")(fnp.ones(3))
    Array([0., 1., 2.])
    """
    main = find_axis(axis_name)
    return BatchTracer(main.trace, iota(main.global_data[0], np.int32), 0)   # int32 as JAX
