"""Shape primitives: reshape, transpose, broadcast_to, slice, pad, concatenate, flip.

All are linear; each VJP is the transposed op. ``expand_dims``, ``squeeze``,
``moveaxis`` and friends are compositions (reshape/transpose).
"""
from __future__ import annotations

import numpy as np

from .. import errors
from ..transforms.core import ShapedArray, Zero, instantiate
from .core import Primitive, deflinear, defjvp, defvjp, front_batch_rule, move_to_front
from .core import unbroadcast
from .core import _cast_like
from .creation import full
# Sibling families of the one acknowledged loop (core, binary, unary, shape, reductions):
# their rules use each other's ops, read as attributes when the rules run.
from . import binary as B, reductions as R, unary as U


def _normalize_shape(shape, size, op="reshape", old_shape=None):
    shape = tuple(int(d) for d in shape)
    if shape.count(-1) > 1:
        raise ValueError(f"{op}: can only specify one unknown dimension, got {shape}")
    if -1 in shape:
        known = int(np.prod([d for d in shape if d != -1], dtype=np.int64))
        if known == 0 or size % known:
            raise ValueError(f"{op}: cannot reshape array of shape "
                             f"{errors.fmt_shape(old_shape)} into shape {errors.fmt_shape(shape)}")
        shape = tuple(size // known if d == -1 else d for d in shape)
    if int(np.prod(shape, dtype=np.int64)) != size:
        raise ValueError(f"{op}: cannot reshape array of shape {errors.fmt_shape(old_shape)} "
                         f"(size {size}) into shape {errors.fmt_shape(shape)}")
    return shape


# reshape ---------------------------------------------------------------------
reshape_p = Primitive("reshape", grad_fn_name="ViewBackward0")
reshape_p.def_impl(lambda xp, x, new_shape: xp.reshape(x, new_shape))
reshape_p.def_abstract_eval(lambda x, new_shape: ShapedArray(
    _normalize_shape(new_shape, x.size, old_shape=x.shape), x.dtype, x.device))
deflinear(reshape_p, lambda ct, x, new_shape: reshape(ct, x.shape))


def _reshape_batch(vals, dims, new_shape):
    x = move_to_front(vals[0], dims[0])
    return reshape_p.bind(x, new_shape=(x.shape[0],) + tuple(new_shape)), 0


reshape_p.batch = _reshape_batch
reshape_p.noop_if_same_aval = lambda new_shape: True
reshape_p.compose = lambda inner, params: params
reshape_p.keeps_elements = True

# transpose -------------------------------------------------------------------
transpose_p = Primitive("transpose", grad_fn_name="PermuteBackward0")
transpose_p.def_impl(lambda xp, x, perm: xp.transpose(x, perm))


def _transpose_shape(x, perm):
    if sorted(perm) != list(range(len(x.shape))):
        raise ValueError(f"transpose: axes {perm} are not a permutation of the "
                         f"{len(x.shape)} axes of an array of shape {errors.fmt_shape(x.shape)}")
    return ShapedArray(tuple(x.shape[p] for p in perm), x.dtype, x.device)


transpose_p.def_abstract_eval(_transpose_shape)
deflinear(transpose_p, lambda ct, x, perm: transpose(ct, tuple(np.argsort(perm))))
transpose_p.batch = lambda vals, dims, perm: (
    transpose_p.bind(move_to_front(vals[0], dims[0]), perm=(0,) + tuple(p + 1 for p in perm)), 0)
transpose_p.noop_if_same_aval = lambda perm: tuple(perm) == tuple(range(len(perm)))
transpose_p.compose = lambda inner, params: {
    "perm": tuple(inner["perm"][i] for i in params["perm"])}

# broadcast_to ----------------------------------------------------------------
broadcast_to_p = Primitive("broadcast_to", grad_fn_name="ExpandBackward0")
broadcast_to_p.def_impl(lambda xp, x, shape: xp.broadcast_to(x, shape))


def _broadcast_shape(x, shape):
    try:
        out = np.broadcast_shapes(x.shape, shape)
    except ValueError:
        out = None
    if out != tuple(shape):
        raise errors.shape_mismatch("broadcast_to", x.shape, shape,
                                    detail="cannot broadcast the first to the second")
    return ShapedArray(shape, x.dtype, x.device)


broadcast_to_p.def_abstract_eval(_broadcast_shape)


def _broadcast_transpose(ct, x, shape):
    return unbroadcast(ct, x)


deflinear(broadcast_to_p, _broadcast_transpose)


def _broadcast_batch(vals, dims, shape):
    x = move_to_front(vals[0], dims[0])
    r = x.ndim - 1
    x = reshape(x, (x.shape[0],) + (1,) * (len(shape) - r) + x.shape[1:])
    return broadcast_to_p.bind(x, shape=(x.shape[0],) + tuple(shape)), 0


broadcast_to_p.batch = _broadcast_batch
broadcast_to_p.noop_if_same_aval = lambda shape: True
broadcast_to_p.keeps_elements = True
broadcast_to_p.implied_by_broadcasting = True

# slice (static start/stop/step per axis, step > 0) --------------------------------
slice_p = Primitive("slice", grad_fn_name="SliceBackward0")


def _slices(starts, stops, steps):
    return tuple(slice(a, b, c) for a, b, c in zip(starts, stops, steps))


slice_p.def_impl(lambda xp, x, starts, stops, steps: x[_slices(starts, stops, steps)])


def _slice_shape(x, starts, stops, steps):
    if not len(starts) == len(stops) == len(steps) == len(x.shape):
        raise ValueError(f"slice: {len(starts)} starts, {len(stops)} stops and {len(steps)} "
                         f"steps for an array of rank {len(x.shape)}")
    for d, a, b, c in zip(x.shape, starts, stops, steps):
        if c < 1 or not 0 <= a <= d or not 0 <= b <= d:
            raise ValueError(
                f"slice: start {a}, stop {b}, step {c} is not a normalized slice of an axis of "
                f"length {d} in shape {errors.fmt_shape(x.shape)} (need 0 <= start, stop <= "
                "length and step >= 1; use slice_nd for negative steps)")
    shape = tuple(max(0, -(-(b - a) // c)) for a, b, c in zip(starts, stops, steps))
    return ShapedArray(shape, x.dtype, x.device)


slice_p.def_abstract_eval(_slice_shape)


def _slice_transpose(ct, x, starts, stops, steps):
    # pad the cotangent back: lo = start, interior = step - 1, hi = what is left
    config = []
    for d, a, c, n in zip(x.shape, starts, steps, ct.shape):
        end = a + (n - 1) * c + 1 if n else a
        config.append((a, d - end, c - 1))
    return pad(ct, 0.0, tuple(config))


deflinear(slice_p, _slice_transpose)
slice_p.batch = lambda vals, dims, starts, stops, steps: (slice_p.bind(
    move_to_front(vals[0], dims[0]), starts=(0,) + tuple(starts),
    stops=(vals[0].shape[dims[0]],) + tuple(stops), steps=(1,) + tuple(steps)), 0)
# same shape: the whole operand (a reversed one would not be, but steps are positive)
slice_p.noop_if_same_aval = lambda starts, stops, steps: all(step > 0 for step in steps)

# pad (constant value, non-negative lo/hi/interior per axis) -------------------
pad_p = Primitive("pad", grad_fn_name="ConstantPadNdBackward0")


def _pad_impl(xp, x, value, config):
    shape = tuple(lo + hi + d + max(d - 1, 0) * it for d, (lo, hi, it) in zip(x.shape, config))
    out = xp.full(shape, value, dtype=x.dtype)   # the value is cast, as np.pad and lax.pad do
    idx = tuple(slice(lo, lo + d + max(d - 1, 0) * it, it + 1)
                for d, (lo, hi, it) in zip(x.shape, config))
    out[idx] = x
    return out


pad_p.def_impl(_pad_impl)


def _pad_shape(x, value, config):
    if len(config) != len(x.shape) or any(min(c) < 0 for c in config):
        raise ValueError(f"pad: config {config} needs one non-negative (lo, hi, interior) per "
                         f"axis of an array of shape {errors.fmt_shape(x.shape)}")
    return ShapedArray(tuple(lo + hi + d + max(d - 1, 0) * it
                             for d, (lo, hi, it) in zip(x.shape, config)), x.dtype, x.device)


pad_p.def_abstract_eval(_pad_shape)


def _unpad(ct, config):
    starts = tuple(lo for lo, hi, it in config)
    stops = tuple(n - hi for n, (lo, hi, it) in zip(ct.shape, config))
    steps = tuple(it + 1 for lo, hi, it in config)
    return slice_p.bind(ct, starts=starts, stops=stops, steps=steps)


def _pad_jvp(primals, tangents, config):
    x, v = primals
    tx, tv = tangents
    ans = pad_p.bind(x, v, config=config)
    if type(tx) is Zero and type(tv) is Zero:
        return ans, Zero.like(ans)
    tx = instantiate(tx) if type(tx) is Zero else tx
    tv = 0.0 if type(tv) is Zero else tv
    return ans, pad_p.bind(tx, tv, config=config)


pad_p.jvp = _pad_jvp
defvjp(pad_p,
       lambda ct, ans, x, v, config: _unpad(ct, config),
       lambda ct, ans, x, v, config: _sum_all(ct) - _sum_all(_unpad(ct, config)),
       saves="none")


def _pad_batch(vals, dims, config):
    x, v = vals
    dx, dv = dims
    if dv is not None:  # a batched padding value: pad with zero, then fill the border
        x = move_to_front(x, dx) if dx is not None else x
        size = v.shape[dv]
        if dx is None:
            x = broadcast_to(x, (size,) + x.shape)
        mask = pad_p.bind(broadcast_to(_scalar(0.0, x), x.shape[1:]), 1.0,
                          config=tuple(config))
        vb = reshape(move_to_front(v, dv), (size,) + (1,) * (x.ndim - 1))
        padded = pad_p.bind(x, 0.0, config=((0, 0, 0),) + tuple(config))
        return B.select(mask > 0, vb, padded), 0
    x = move_to_front(x, dx)
    return pad_p.bind(x, v, config=((0, 0, 0),) + tuple(config)), 0


pad_p.batch = _pad_batch

# concatenate -------------------------------------------------------------------
concatenate_p = Primitive("concatenate", grad_fn_name="CatBackward0")
concatenate_p.def_impl(lambda xp, *xs, axis: xp.concatenate(xs, axis=axis))


def _concat_shape(*xs, axis):
    base = xs[0].shape
    for x in xs[1:]:
        if len(x.shape) != len(base) or any(a != b for i, (a, b) in enumerate(zip(x.shape, base))
                                            if i != axis):
            raise errors.shape_mismatch("concatenate", base, x.shape,
                                        detail=f"all dimensions but axis {axis} must match")
    shape = base[:axis] + (sum(x.shape[axis] for x in xs),) + base[axis + 1:]
    return ShapedArray(shape, np.result_type(*[x.dtype for x in xs]), xs[0].device)


concatenate_p.def_abstract_eval(_concat_shape)


def _concat_jvp(primals, tangents, axis):
    ans = concatenate_p.bind(*primals, axis=axis)
    if all(type(t) is Zero for t in tangents):
        return ans, Zero.like(ans)
    ts = [instantiate(t) for t in tangents]
    return ans, concatenate_p.bind(*[U.convert(t, ans.dtype) for t in ts], axis=axis)


concatenate_p.jvp = _concat_jvp


def _concat_vjp(ct, needs, ans, *xs, axis):
    out, start = [], 0
    for need, x in zip(needs, xs):
        n = x.shape[axis]
        out.append(_cast_like(slice_axis(ct, axis, start, start + n), x) if need else None)
        start += n
    return out


concatenate_p.vjp = _concat_vjp
concatenate_p.vjp_saves = "none"


def _concat_batch(vals, dims, axis):
    size = next(v.shape[d] for v, d in zip(vals, dims) if d is not None)
    xs = [move_to_front(v, d) if d is not None else broadcast_to(v, (size,) + v.shape)
          for v, d in zip(vals, dims)]
    return concatenate_p.bind(*xs, axis=axis + 1), 0


concatenate_p.batch = _concat_batch

# flip ------------------------------------------------------------------------
flip_p = Primitive("flip", grad_fn_name="FlipBackward0")
flip_p.def_impl(lambda xp, x, axes: xp.flip(x, axis=axes))
flip_p.def_abstract_eval(lambda x, axes: x)
deflinear(flip_p, lambda ct, x, axes: flip(ct, axes))
flip_p.batch = front_batch_rule(flip_p, "axes")


# ---- compositions used by rules and by fgrad.numpy -------------------------------
def reshape(x, shape):
    shape = tuple(shape)
    if tuple(x.shape) == shape:
        return x
    return reshape_p.bind(x, new_shape=shape)


def transpose(x, perm):
    perm = tuple(int(p) for p in perm)
    if perm == tuple(range(len(perm))):
        return x
    return transpose_p.bind(x, perm=perm)


def broadcast_to(x, shape):
    shape = tuple(shape)
    if tuple(getattr(x, "shape", ())) == shape:
        return x
    if isinstance(x, (int, float, bool, complex)):
        return full(shape, x, np.result_type(x))
    return broadcast_to_p.bind(x, shape=shape)


def expand_dims(x, axes):
    nd = x.ndim + len(axes)
    axes = sorted(a % nd for a in axes)
    shape = list(x.shape)
    for a in axes:
        shape.insert(a, 1)
    return reshape(x, shape)


def squeeze(x, axes):
    return reshape(x, [d for i, d in enumerate(x.shape) if i not in axes])


def moveaxis(x, src, dst):
    nd = x.ndim
    src, dst = src % nd, dst % nd
    perm = [i for i in range(nd) if i != src]
    perm.insert(dst, src)
    return transpose(x, perm)


def slice_axis(x, axis, start, stop, step=1):
    """``x[..., start:stop:step, ...]`` along ``axis``."""
    starts = [0] * x.ndim
    stops = list(x.shape)
    steps = [1] * x.ndim
    starts[axis], stops[axis], steps[axis] = start, stop, step
    return slice_p.bind(x, starts=tuple(starts), stops=tuple(stops), steps=tuple(steps))


def slice_nd(x, slices):
    """``x[slices]`` for a tuple of Python slices (any start/stop, negative steps too):
    one ``slice`` primitive, then a ``flip`` of the axes with negative steps."""
    slices = tuple(slices) + (slice(None),) * (x.ndim - len(slices))
    starts, stops, steps, flips = [], [], [], []
    for ax, (d, sl) in enumerate(zip(x.shape, slices)):
        r = range(d)[sl]
        if len(r) == 0:
            starts.append(0), stops.append(0), steps.append(1)
        elif r.step > 0:
            starts.append(r.start), stops.append(r[-1] + 1), steps.append(r.step)
        else:   # walk the same elements forwards, then reverse them
            starts.append(r[-1]), stops.append(r.start + 1), steps.append(-r.step)
            flips.append(ax)
    out = x
    if (tuple(starts), tuple(stops), tuple(steps)) != ((0,) * x.ndim, tuple(x.shape), (1,) * x.ndim):
        out = slice_p.bind(x, starts=tuple(starts), stops=tuple(stops), steps=tuple(steps))
    return flip(out, flips) if flips else out


def pad(x, value, config):
    return pad_p.bind(x, value, config=tuple(tuple(c) for c in config))


def concatenate(xs, axis):
    if len(xs) == 1:
        return xs[0]
    return concatenate_p.bind(*xs, axis=axis)


def flip(x, axes):
    return flip_p.bind(x, axes=tuple(axes))


def _sum_all(x):
    return R.reduce_sum(x, tuple(range(x.ndim)))


def _scalar(v, like):
    return full((), v, like.dtype, like.device)
