"""Transforms built from the others: jacfwd, jacrev, hessian."""
from __future__ import annotations

import functools
from typing import Callable, Sequence

import numpy as np

from ..primitives import shape as S
from ..primitives.creation import from_host
from ..tree_util import tree_flatten, tree_unflatten
from .api import (_argnums_tuple, check_output_dtype, jvp, vjp, vmap, _current_main,
                  _strip_own_tracers)
from .core import from_output, to_value
from .wrappers import wrap_like


def _basis(vals):
    """Rows of the identity over all leaves, split per leaf: [(n, *shape_i)]."""
    sizes = [int(np.prod(v.shape, dtype=np.int64)) for v in vals]
    n = sum(sizes)
    if len(vals) == 1:
        v = vals[0]
        return [from_host(np.eye(n, dtype=v.dtype).reshape((n,) + tuple(v.shape)), v.device)], sizes
    out, start = [], 0
    for v, s in zip(vals, sizes):
        block = np.zeros((n, s), dtype=v.dtype)
        block[start:start + s] = np.eye(s, dtype=v.dtype)
        out.append(from_host(block.reshape((n,) + tuple(v.shape)), v.device))
        start += s
    return out, sizes


def _part(j, axis, start, stop):
    """``j``'s entries ``start:stop`` along ``axis``; ``j`` itself when that is all of them
    (one input leaf, one output leaf: the common case costs no op)."""
    if start == 0 and stop == j.shape[axis]:
        return j
    return S.slice_axis(j, axis, start, stop)


def _split_jacobian(j, out_shape, in_shapes, sizes, leading_in):
    """Split a stacked jacobian into one block per input leaf, shaped out+in."""
    blocks, start = [], 0
    for shp, s in zip(in_shapes, sizes):
        if leading_in:   # j: (n_in, *out_shape)
            blk = _part(j, 0, start, start + s)
            blk = S.reshape(blk, tuple(shp) + tuple(out_shape))
            k = len(shp)
            perm = tuple(range(k, k + len(out_shape))) + tuple(range(k))
            blk = S.transpose(blk, perm)
        else:            # j: (*out_shape, n_in) -- from jacrev the input axes come last
            blk = _part(j, len(out_shape), start, start + s)
            blk = S.reshape(blk, tuple(out_shape) + tuple(shp))
        blocks.append(blk)
        start += s
    return blocks


def jacfwd(fun: Callable, argnums: int | Sequence[int] = 0, has_aux: bool = False,
           holomorphic: bool = False) -> Callable:
    """The Jacobian of ``fun`` by forward mode (``vmap`` of ``jvp`` over a basis).

    The result has the output's structure, each leaf shaped ``out.shape + in.shape``.

    >>> import fgrad, fgrad.numpy as fnp
    >>> fgrad.jacfwd(lambda x: x ** 2)(fnp.asarray([1.0, 2.0]))
    Array([[2., 0.],
           [0., 4.]])
    """
    return _jacobian(fun, argnums, has_aux, forward=True, holomorphic=holomorphic)


def jacrev(fun: Callable, argnums: int | Sequence[int] = 0, has_aux: bool = False,
           holomorphic: bool = False) -> Callable:
    """The Jacobian of ``fun`` by reverse mode (``vmap`` of ``vjp`` over a basis).

    >>> import fgrad, fgrad.numpy as fnp
    >>> fgrad.jacrev(lambda x: fnp.sum(x ** 2))(fnp.asarray([1.0, 2.0]))
    Array([2., 4.])
    """
    return _jacobian(fun, argnums, has_aux, forward=False, holomorphic=holomorphic)


def _jacobian(fun, argnums, has_aux, forward, holomorphic=False):
    @functools.wraps(fun)
    def jac_f(*args):
        nums = _argnums_tuple(argnums, len(args), "jacfwd" if forward else "jacrev")
        diff = tuple(args[i] for i in nums)
        leaves, in_tree = tree_flatten(diff)
        vals, wraps = zip(*[to_value(l) for l in leaves])
        name = "jacfwd" if forward else "jacrev"
        for v in vals:
            if holomorphic and v.dtype.kind != "c":
                raise TypeError(f"{name} with holomorphic=True requires inputs with complex "
                                f"dtype, but got {v.dtype.name}.")
            if v.dtype.kind not in "fc" or (forward and not holomorphic and v.dtype.kind == "c"):
                raise TypeError(
                    f"{name} requires real-valued inputs (input dtype that is a sub-dtype of "
                    f"np.floating), but got {v.dtype.name}." + (
                        " For holomorphic differentiation, pass holomorphic=True."
                        if v.dtype.kind == "c" else ""))

        def f_flat(*xs):
            new = list(args)
            for i, a in zip(nums, tree_unflatten(in_tree, [w(x) for w, x in zip(wraps, xs)])):
                new[i] = a
            out = fun(*new)
            return out if has_aux else (out, None)

        box = {}

        def f_main(*xs):
            out, aux = f_flat(*xs)
            box["aux"] = _strip_own_tracers(aux, _current_main()) if has_aux else aux
            return out

        in_shapes = [v.shape for v in vals]
        if forward:
            basis, sizes = _basis(vals)
            out, tangents = vmap(lambda *ts: jvp(f_main, tuple(vals), ts), out_axes=(None, 0))(*basis)
            out_leaves, out_tree = tree_flatten(out)
            t_leaves = tree_flatten(tangents)[0]
            jac = [tree_unflatten(in_tree, [wrap_like(b, l) for b, l in zip(
                       _split_jacobian(from_output(t), o.shape, in_shapes, sizes, True), leaves)])
                   for o, t in zip(out_leaves, t_leaves)]
        else:
            out, pullback = vjp(f_main, *vals)
            out_leaves, out_tree = tree_flatten(out)
            outs = [from_output(o) for o in out_leaves]
            for o in outs:
                check_output_dtype("jacrev", o.dtype, holomorphic)
            basis, sizes_out = _basis(outs)
            single = sum(sizes_out) == 1
            if single:
                # one output element (a Hessian's inner gradient): a batch of one basis
                # vector is one pullback, without a vmap level around the backward pass
                cts = pullback(tree_unflatten(out_tree, [S.reshape(b, b.shape[1:])
                                                         for b in basis]))
            else:
                cts = vmap(lambda *cs: pullback(tree_unflatten(out_tree, list(cs))))(*basis)
            # per input leaf, (n_out, *in_shape) (the one row alone if single): split the rows
            ct_leaves = [from_output(c) for c in cts]
            jac = []
            start = 0
            for o, s in zip(outs, sizes_out):
                blocks = []
                for c, shp, lf in zip(ct_leaves, in_shapes, leaves):
                    if not single:
                        blk = _part(c, 0, start, start + s)
                    elif s == 1:
                        blk = c
                    else:        # an empty output leaf beside the one element: no rows
                        blk = S.slice_axis(S.reshape(c, (1,) + tuple(shp)), 0, 0, 0)
                    blk = S.reshape(blk, tuple(o.shape) + tuple(shp))
                    blocks.append(wrap_like(blk, lf))
                jac.append(tree_unflatten(in_tree, blocks))
                start += s
        jac = [j[0] if isinstance(argnums, int) else j for j in jac]
        result = tree_unflatten(out_tree, jac)
        return (result, box["aux"]) if has_aux else result
    return jac_f


def hessian(fun: Callable, argnums: int | Sequence[int] = 0, has_aux: bool = False) -> Callable:
    """The Hessian of a scalar ``fun``: ``jacfwd(jacrev(fun))``.

    >>> import fgrad, fgrad.numpy as fnp
    >>> fgrad.hessian(lambda x: fnp.sum(x ** 3))(fnp.asarray([1.0, 2.0]))
    Array([[ 6.,  0.],
           [ 0., 12.]])
    """
    return jacfwd(jacrev(fun, argnums, has_aux), argnums, has_aux)
