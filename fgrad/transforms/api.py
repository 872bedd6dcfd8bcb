"""The user-facing transforms: grad, value_and_grad, vjp, jvp, linearize, vmap.

Each takes and returns pytrees. Leaves may be Python scalars, NumPy arrays,
``fgrad.Array``s, tracers, or facade ``Tensor``s (handed to the function as
Tensors and returned as Tensors, as ``torch.func`` does).
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Sequence

import numpy as np

from .._array import Array, wrap_raw
from ..devices import CPU
from ..tree_util import tree_flatten, tree_unflatten, flatten_up_to
from .core import (Tracer, Zero, from_output, instantiate, is_differentiable_dtype, to_value,
                   _state)
from .wrappers import is_wrapped, wrap_like, wrapper_type
from .jvp import jvp_flat
from .reverse import backward_pass, vjp_flat
from .batching import vmap_flat
from ..primitives.creation import full

# float0: the dtype of the (empty) cotangent of an integer input, as in JAX.
float0 = np.dtype([("float0", np.void, 0)])

def _ones_like(x):
    return full(x.shape, 1, x.dtype, x.device)


def _zeros_like(x):
    return instantiate(Zero.like(x))


def _float0_zeros(x):
    return wrap_raw(np.zeros(x.shape, float0), CPU)


def _argnums_tuple(argnums, nargs, name):
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    for a in nums:
        if not -nargs <= a < nargs:
            raise ValueError(f"{name}: argnums={argnums} but the function was called with "
                             f"{nargs} positional argument(s)")
    return tuple(a % nargs for a in nums)


def _current_main():
    return _state.stack[-1]


def _strip_own_tracers(tree, main):
    """Aux outputs leave the transform as their primal values."""
    def strip(x):
        while isinstance(x, Tracer) and x._trace.main is main:
            x = getattr(x, "primal", x)
            if not isinstance(x, Tracer) or x._trace.main is not main:
                break
        return x
    def strip_leaf(x):
        wrapper = wrapper_type(type(x))
        if wrapper is None:
            return strip(x)
        v = wrapper.unwrap(x)
        s = strip(v)
        return x if s is v else wrapper.wrap(s, x)   # a wrapped aux leaves wrapped
    leaves, td = tree_flatten(tree)
    return tree_unflatten(td, [strip_leaf(l) for l in leaves])


# ------------------------------------------------------------------ grad ---
def value_and_grad(fun: Callable, argnums: int | Sequence[int] = 0, has_aux: bool = False,
                   allow_int: bool = False, holomorphic: bool = False) -> Callable:
    """A function returning ``(fun(*args), gradient of fun w.r.t. args[argnums])``.

    As JAX's: the output must be a real scalar, unless ``holomorphic=True``, which takes
    complex inputs and a complex output and returns ``f'(z)``.

    >>> import fgrad, fgrad.numpy as fnp
    >>> fgrad.value_and_grad(lambda x: fnp.sum(x ** 2))(fnp.asarray([1.0, 2.0]))
    (Array(5.), Array([2., 4.]))
    """
    @functools.wraps(fun)
    def value_and_grad_f(*args, **kwargs):
        nums = _argnums_tuple(argnums, len(args), "grad")
        first = args[nums[0]]
        if type(argnums) is int and (type(first) in _LEAF_TYPES or isinstance(first, Tracer)
                                     or is_wrapped(first)):
            leaves, tree = [args[nums[0]]], None     # one array argument: no pytree work
        else:
            leaves, tree = tree_flatten(tuple(args[i] for i in nums))
        vals, wraps = zip(*[to_value(l) for l in leaves]) if leaves else ((), ())
        for v in vals:
            dt = v.dtype
            if holomorphic and dt.kind != "c":
                raise TypeError(f"grad with holomorphic=True requires inputs with complex "
                                f"dtype, but got {dt.name}.")
            if not is_differentiable_dtype(dt) and not (allow_int and dt.kind in "iub"):
                raise TypeError(
                    f"grad requires real- or complex-valued inputs (input dtype that is a "
                    f"sub-dtype of np.inexact), but got {dt.name}. If you want to use "
                    f"Boolean- or integer-valued inputs, use vjp or set allow_int to True.")
        aux_box = []

        def flat_f(*xs):
            new = list(args)
            if tree is None:
                new[nums[0]] = wraps[0](xs[0])
            else:
                for i, a in zip(nums, tree_unflatten(tree, [w(x) for w, x in zip(wraps, xs)])):
                    new[i] = a
            out = fun(*new, **kwargs)
            if has_aux:
                if not (isinstance(out, (tuple, list)) and len(out) == 2):
                    raise TypeError("grad with has_aux=True expects the function to return "
                                    "a pair (output, aux)")
                out, aux = out
                aux_box.append(_strip_own_tracers(aux, _current_main()))
            if isinstance(out, (tuple, list, dict)):
                raise TypeError("Gradient only defined for scalar-output functions. Output was "
                                f"a {type(out).__name__}; use jacrev or vjp for pytree outputs.")
            aux_box.append(out)   # remember the output's type for re-wrapping
            return [from_output(out)]

        outs, leaf_nodes, out_refs = vjp_flat(flat_f, list(vals), transform="grad")
        out = outs[0]
        if out.shape != ():
            raise TypeError(f"Gradient only defined for scalar-output functions. Output had "
                            f"shape: {out.shape}. Use jacrev or vjp for non-scalar outputs.")
        check_output_dtype("grad", out.dtype, holomorphic)
        node, idx = out_refs[0]
        got = backward_pass([(node, idx, _ones_like(out))]) if node is not None else {}
        grads = []
        for v, leaf, w in zip(vals, leaf_nodes, wraps):
            if leaf is None:
                g = _float0_zeros(v)
            else:
                g = got.get(id(leaf), (None, None))[1]
                g = _zeros_like(v) if g is None else instantiate(g)
            grads.append(w(g))
        if tree is None:
            g_out = grads[0]
        else:
            g_tree = tree_unflatten(tree, grads)
            g_out = g_tree[0] if isinstance(argnums, int) else g_tree
        out_orig = aux_box[-1]
        value = wrap_like(out, out_orig)
        if has_aux:
            return (value, aux_box[0]), g_out
        return value, g_out

    return value_and_grad_f


def check_output_dtype(transform: str, dtype, holomorphic: bool) -> None:
    """Reverse-mode derivatives need real outputs, or complex ones with ``holomorphic=True``
    (as JAX's ``grad``/``jacrev``: the real part alone would be silently wrong)."""
    if holomorphic:
        if dtype.kind != "c":
            raise TypeError(f"{transform} with holomorphic=True requires outputs with complex "
                            f"dtype, but got {dtype.name}.")
    elif dtype.kind != "f":
        raise TypeError(
            f"{transform} requires real-valued outputs (output dtype that is a sub-dtype of "
            f"np.floating), but got {dtype.name}. For holomorphic differentiation, pass "
            f"holomorphic=True. For differentiation of non-holomorphic functions involving "
            f"complex outputs, use fgrad.vjp directly.")


# Argument types that are always pytree leaves (and registered wrapper types).
_LEAF_TYPES = frozenset((Array, float, int, complex, bool, np.ndarray))


def grad(fun: Callable, argnums: int | Sequence[int] = 0, has_aux: bool = False,
         allow_int: bool = False, holomorphic: bool = False) -> Callable:
    """The gradient of a scalar-valued ``fun`` w.r.t. ``args[argnums]`` (JAX semantics).

    >>> import fgrad, fgrad.numpy as fnp
    >>> fgrad.grad(lambda x: fnp.sum(x ** 3))(fnp.asarray([1.0, 2.0, 3.0]))
    Array([ 3., 12., 27.])
    >>> fgrad.grad(fgrad.grad(fnp.sin))(0.5)   # -sin(0.5)
    Array(-0.47942554)
    """
    vg = value_and_grad(fun, argnums, has_aux, allow_int, holomorphic)

    @functools.wraps(fun)
    def grad_f(*args, **kwargs):
        (v, g) = vg(*args, **kwargs)
        if has_aux:
            return g, v[1]
        return g
    return grad_f


# ------------------------------------------------------------------- vjp ---
def vjp(fun: Callable, *primals, has_aux: bool = False):
    """``(fun(*primals), vjp_fn)``; ``vjp_fn(ct)`` pulls a cotangent back to the inputs.

    ``vjp_fn`` may be called many times (its residuals are kept).

    >>> import fgrad, fgrad.numpy as fnp
    >>> y, f_vjp = fgrad.vjp(fnp.sin, 0.0)
    >>> f_vjp(2.0)
    (Array(2.),)
    """
    leaves, in_tree = tree_flatten(primals)
    vals, wraps = zip(*[to_value(l) for l in leaves]) if leaves else ((), ())
    box = {}

    def flat_f(*xs):
        out = fun(*tree_unflatten(in_tree, [w(x) for w, x in zip(wraps, xs)]))
        if has_aux:
            out, aux = out
            box["aux"] = _strip_own_tracers(aux, _current_main())
        out_leaves, box["tree"] = tree_flatten(out)
        box["orig"] = out_leaves
        return [from_output(o) for o in out_leaves]

    outs, leaf_nodes, out_refs = vjp_flat(flat_f, list(vals), transform="vjp")
    out_tree = box["tree"]

    def vjp_fn(ct):
        ct_leaves = flatten_up_to(out_tree, ct)
        seeds = []
        for (node, idx), o, c in zip(out_refs, outs, ct_leaves):
            c, _ = to_value(c)
            if c.shape != o.shape:
                raise ValueError(f"vjp: cotangent of shape {c.shape} for an output of shape "
                                 f"{o.shape}")
            if node is not None:
                seeds.append((node, idx, c))
        got = backward_pass(seeds, retain=True) if seeds else {}
        cts = []
        for v, leaf, w in zip(vals, leaf_nodes, wraps):
            if leaf is None:
                cts.append(w(_float0_zeros(v)))
                continue
            g = got.get(id(leaf), (None, None))[1]
            cts.append(w(_zeros_like(v) if g is None else instantiate(g)))
        return tuple(tree_unflatten(in_tree, cts))

    out = tree_unflatten(out_tree, [wrap_like(o, orig) for o, orig in zip(outs, box["orig"])])
    if has_aux:
        return out, vjp_fn, box["aux"]
    return out, vjp_fn


# ------------------------------------------------------------------- jvp ---
def jvp(fun: Callable, primals: Sequence, tangents: Sequence):
    """``(fun(*primals), J @ tangents)``: forward-mode derivative.

    >>> import fgrad, fgrad.numpy as fnp
    >>> fgrad.jvp(fnp.sin, (0.0,), (3.0,))
    (Array(0.), Array(3.))
    """
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError("jvp: primals and tangents must be tuples or lists, got "
                        f"{type(primals).__name__} and {type(tangents).__name__}")
    if len(primals) != len(tangents):
        raise TypeError(f"jvp: {len(primals)} primal(s) but {len(tangents)} tangent(s)")
    p_leaves, in_tree = tree_flatten(tuple(primals))
    t_leaves = flatten_up_to(in_tree, tuple(tangents))
    vals, wraps = zip(*[to_value(l) for l in p_leaves]) if p_leaves else ((), ())
    tans = []
    for p, t in zip(vals, t_leaves):
        t = to_value(t)[0]
        if t.shape != p.shape:
            raise ValueError(f"jvp called with different primal and tangent shapes: primal "
                             f"{p.shape} and tangent {t.shape}")
        tans.append(t)
    box = {}

    def flat_f(*xs):
        out = fun(*tree_unflatten(in_tree, [w(x) for w, x in zip(wraps, xs)]))
        out_leaves, box["tree"] = tree_flatten(out)
        box["orig"] = out_leaves
        return [from_output(o) for o in out_leaves]

    outs, out_tans = jvp_flat(flat_f, list(vals), tans)
    tree = box["tree"]
    outs_w = [wrap_like(o, orig) for o, orig in zip(outs, box["orig"])]
    tans_w = [wrap_like(instantiate(t), orig) for t, orig in zip(out_tans, box["orig"])]
    return tree_unflatten(tree, outs_w), tree_unflatten(tree, tans_w)


def linearize(fun: Callable, *primals):
    """``(fun(*primals), f_jvp)`` with ``f_jvp(*tangents) == jvp(fun, primals, tangents)[1]``.

    ``f_jvp`` re-runs the forward pass on each call (no partial evaluation yet).

    >>> import fgrad, fgrad.numpy as fnp
    >>> y, f_jvp = fgrad.linearize(fnp.sin, 0.0)
    >>> f_jvp(2.0)
    Array(2.)
    """
    out = fun(*primals)

    def f_jvp(*tangents):
        return jvp(fun, primals, tangents)[1]
    return out, f_jvp


# ------------------------------------------------------------------ vmap ---
def _broadcast_prefix(prefix, tree, name):
    """One entry of ``prefix`` per leaf of ``tree`` (``prefix`` is a tree prefix)."""
    if prefix is None or isinstance(prefix, int):
        return [prefix] * len(tree_flatten(tree)[0])
    p_leaves, p_tree = tree_flatten(prefix, is_leaf=lambda x: x is None)
    try:
        subtrees = flatten_up_to(p_tree, tree)
    except ValueError as e:
        raise ValueError(f"vmap {name} specification must be a tree prefix of the "
                         f"corresponding value: {e}") from None
    out = []
    for p, sub in zip(p_leaves, subtrees):
        out.extend([p] * len(tree_flatten(sub)[0]))
    return out


def vmap(fun: Callable, in_axes: Any = 0, out_axes: Any = 0, axis_size: int | None = None,
         *, in_dims: Any = None, out_dims: Any = None, chunk_size: int | None = None,
         axis_name: Any = None) -> Callable:
    """Vectorise ``fun`` over a leading (or ``in_axes``) axis of its inputs.

    ``in_dims``/``out_dims`` are torch.func's names for ``in_axes``/``out_axes``;
    torch.func's ``chunk_size`` (a memory knob) is accepted and the whole batch is
    computed at once (the result is the same).
    ``axis_name`` names the mapped axis for the collectives of ``fgrad.lax``
    (``psum pmean pmax all_gather axis_index``).

    >>> import fgrad, fgrad.numpy as fnp
    >>> fgrad.vmap(lambda x, y: x @ y, in_axes=(0, None))(fnp.ones((3, 2)), fnp.ones(2))
    Array([2., 2., 2.])
    """
    if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size < 1):
        raise ValueError(f"vmap: chunk_size should be None or greater than 0. "
                         f"(got {chunk_size})")
    if in_dims is not None:
        in_axes = in_dims
    if out_dims is not None:
        out_axes = out_dims
    if isinstance(in_axes, list):
        in_axes = tuple(in_axes)

    @functools.wraps(fun)
    def vmapped(*args, **kwargs):
        if isinstance(in_axes, tuple) and len(in_axes) != len(args):
            raise ValueError(f"vmap in_axes must be an int, None, or a tuple of entries "
                             f"corresponding to the positional arguments passed to the "
                             f"function, but got len(in_axes)={len(in_axes)}, "
                             f"len(args)={len(args)}")
        leaves, in_tree = tree_flatten(args)
        if in_axes is None or isinstance(in_axes, int):
            axes = [in_axes] * len(leaves)
        else:
            axes = _broadcast_prefix(in_axes, args, "in_axes")
        vals, wraps, dims = [], [], []
        sizes = []
        for k, (leaf, ax) in enumerate(zip(leaves, axes)):
            if ax is None:
                vals.append(leaf)
                wraps.append(None)
                dims.append(None)
                continue
            v, w = to_value(leaf)
            nd = v.ndim
            if not -nd <= ax < nd:
                raise ValueError(f"vmap was requested to map its argument along axis {ax}, "
                                 f"which implies that its rank should be at least {ax + 1 if ax >= 0 else -ax}, "
                                 f"but is only {nd} (its shape is {v.shape})")
            ax %= nd
            sizes.append((k, v.shape[ax], ax, v.shape))
            vals.append(v)
            wraps.append(w)
            dims.append(ax)
        size = axis_size
        if sizes:
            distinct = {s for _, s, _, _ in sizes}
            if len(distinct) > 1 or (size is not None and size not in distinct):
                arg_of_leaf = _leaf_arg_index(args)
                lines = "; ".join(f"argument {arg_of_leaf[k]} of shape {shp} has size {s} "
                                  f"along axis {ax}" for k, s, ax, shp in sizes)
                raise ValueError(f"vmap got inconsistent sizes for array axes to be mapped: "
                                 f"{lines}" + (f"; axis_size={size}" if size is not None else ""))
            size = sizes[0][1]
        elif size is None:
            raise ValueError("vmap must have at least one non-None value in in_axes, or be "
                             "given axis_size")
        box = {}

        def flat_f(*xs):
            new = [x if w is None else w(x) for x, w in zip(xs, wraps)]
            out = fun(*tree_unflatten(in_tree, new), **kwargs)
            out_leaves, box["tree"] = tree_flatten(out)
            box["orig"] = out_leaves
            return [from_output(o) for o in out_leaves]

        def out_dims_fn(n):
            if out_axes is None or isinstance(out_axes, int):
                return [out_axes] * n
            return _broadcast_prefix(out_axes, tree_unflatten(box["tree"], [0] * n), "out_axes")

        outs = vmap_flat(flat_f, size, vals, dims, out_dims_fn, axis_name)
        outs = [wrap_like(o, orig) for o, orig in zip(outs, box["orig"])]
        return tree_unflatten(box["tree"], outs)

    return vmapped


def _leaf_arg_index(args):
    idx = []
    for i, a in enumerate(args):
        idx.extend([i] * len(tree_flatten(a)[0]))
    return idx
