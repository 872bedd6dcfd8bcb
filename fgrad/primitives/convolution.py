"""Convolutions and windowed reductions: ``conv_general_dilated``, ``reduce_window_sum``,
``reduce_window_max`` and the two selections its derivatives are made of.

Layouts are canonical here: the convolution's ``lhs`` is ``(N, C, *spatial)``, its
``rhs`` ``(O, C // groups, *window)`` and its output ``(N, O, *spatial_out)``;
``fgrad.lax.conv_general_dilated`` transposes other dimension numbers to these. The
padding is one ``(lo, hi)`` pair per spatial axis (negative values crop), applied after
the ``lhs_dilation`` zeros, as in XLA.

The convolution runs as im2col and one batched matrix product, with no Python loop over
pixels or channels: when the output has more pixels than the window has taps, the
columns ``(N, groups, C/groups * window, pixels)`` are filled tap by tap from strided
slices of the unpadded input (the padding is what no slice reaches) and multiplied by
the kernel straight into C order; otherwise (the kernel gradient's convolution, whose
"window" is a whole image) rows come from the device's ``sliding_window_view``, the
window innermost. Both VJPs are convolutions again (Dumoulin & Visin, "A guide to
convolution arithmetic"; the paddings are XLA's):

* ``ct_lhs = conv(ct, flip(rhs) with in/out features swapped per group)``, with the
  forward strides as ``lhs_dilation`` and the forward ``lhs_dilation`` as strides;
* ``ct_rhs = conv(lhs as (C/groups, groups*N, ...), ct as (O, N, ...))`` with
  ``groups`` feature groups, the forward strides as ``rhs_dilation``;

so second derivatives and ``vmap`` of gradients come for free. The batching rule folds
the vmapped axis into the batch (a batched ``lhs``), into the output features (a batched
kernel) or into feature groups (both batched).

Windowed reductions take one window size, stride, ``(lo, hi)`` padding (non-negative)
and window dilation per axis of the operand, and run as one vectorised operation per
window tap (a strided slice of the padded operand). ``reduce_window_max``'s derivative
goes to the *first* maximal element of each window, in row-major window order (as
PyTorch's max pooling and JAX's ``select_and_scatter_add``):
``select_and_gather_add(t, x)`` reads ``t`` where each window of ``x`` has its first
maximum (the JVP), ``select_and_scatter_add(ct, x)`` adds ``ct`` there (the VJP); each is
linear in its first operand and the other's transpose, and piecewise constant in ``x``.
"""
from __future__ import annotations

import math

import numpy as np

from .. import errors
from ..transforms.core import ShapedArray
from .core import Primitive, _cast_like, defjvp, defvjp, deflinear, move_to_front
from . import shape as S


def _dilate(n: int, d: int) -> int:
    """The length of ``n`` elements with ``d - 1`` zeros between neighbours."""
    return 0 if n == 0 else 1 + d * (n - 1)


def _out_len(n, k, stride, pad, lhs_d=1, rhs_d=1):
    """Output length of one spatial axis: windows of ``k`` (dilated) over ``n`` (dilated, padded)."""
    size = _dilate(n, lhs_d) + pad[0] + pad[1]
    ext = _dilate(k, rhs_d)
    return max(0, (size - ext) // stride + 1) if size >= ext else 0


def _pad_crop(xp, x, axes, pads, value):
    """``x`` padded with ``value`` by ``(lo, hi)`` along ``axes``; negative amounts crop."""
    if all(lo == 0 and hi == 0 for lo, hi in pads):
        return x
    if any(lo < 0 or hi < 0 for lo, hi in pads):
        sl = [slice(None)] * x.ndim
        for ax, (lo, hi) in zip(axes, pads):
            sl[ax] = slice(max(0, -lo), x.shape[ax] - max(0, -hi))
        x = x[tuple(sl)]
    if any(lo > 0 or hi > 0 for lo, hi in pads):
        width = [(0, 0)] * x.ndim
        for ax, (lo, hi) in zip(axes, pads):
            width[ax] = (max(0, lo), max(0, hi))
        x = xp.pad(x, width, constant_values=value)
    return x


def _window_view(xp, x, window, strides, dilation):
    """A view ``(*out, *window)`` of every (dilated) window of ``x`` along all its axes,
    taken every ``strides``; no copy."""
    ext = tuple(_dilate(k, d) for k, d in zip(window, dilation))
    if any(n < e for n, e in zip(x.shape, ext)):     # no whole window: an empty result
        return xp.zeros(tuple(max(0, (n - e) // s + 1) for n, e, s in zip(x.shape, ext, strides))
                        + tuple(window), dtype=x.dtype)
    v = xp.sliding_window_view(x, ext, axis=tuple(range(x.ndim)))
    outs = tuple((n - e) // s + 1 for n, e, s in zip(x.shape, ext, strides))
    sl = tuple(slice(None, (o - 1) * s + 1, s) for o, s in zip(outs, strides)) + tuple(
        slice(None, None, d) for d in dilation)
    return v[sl]


# ======================================================== conv_general_dilated ===
def _check_conv(ls, rs, window_strides, padding, lhs_dilation, rhs_dilation,
                feature_group_count) -> tuple:
    """The output's spatial sizes of a convolution of shapes ``ls`` by ``rs``, or JAX's error
    for parameters that do not fit them."""
    g = feature_group_count
    what = f"conv_general_dilated: lhs shape {errors.fmt_shape(ls)}, rhs shape {errors.fmt_shape(rs)}"
    if len(ls) != len(rs) or len(ls) < 2:
        raise TypeError(f"{what}: both operands must have the same rank, at least 2")
    nd = len(ls) - 2
    for name, v in (("window_strides", window_strides), ("padding", padding),
                    ("lhs_dilation", lhs_dilation), ("rhs_dilation", rhs_dilation)):
        if len(v) != nd:
            raise TypeError(f"{what}: {name} {v} needs {nd} entries, one per spatial dimension")
    if any(s < 1 for s in window_strides + lhs_dilation + rhs_dilation):
        raise TypeError(f"{what}: strides and dilations must be positive, got "
                        f"{window_strides}, {lhs_dilation}, {rhs_dilation}")
    if g < 1 or ls[1] % g or ls[1] // g != rs[1]:
        raise TypeError(f"{what}: lhs feature dimension size divided by feature_group_count "
                        f"must equal the rhs input feature dimension size, but "
                        f"{ls[1]} // {g} != {rs[1]}")
    if rs[0] % g:
        raise TypeError(f"{what}: rhs output feature dimension size {rs[0]} must be a "
                        f"multiple of feature_group_count {g}")
    dilated = tuple(_dilate(n, d) for n, d in zip(ls[2:], lhs_dilation))
    if any(n + lo + hi < 0 for n, (lo, hi) in zip(dilated, padding)):
        raise ValueError(f"Negative padding is larger than the size of the corresponding "
                         f"dimension: got padding={list(map(tuple, padding))} for "
                         f"lhs_shape[2:]={dilated}")
    return tuple(_out_len(n, k, s, p, a, b) for n, k, s, p, a, b in zip(
        ls[2:], rs[2:], window_strides, padding, lhs_dilation, rhs_dilation))


def _conv_shape(lhs, rhs, *, window_strides, padding, lhs_dilation, rhs_dilation,
                feature_group_count):
    ls, rs = tuple(lhs.shape), tuple(rhs.shape)
    spatial = _check_conv(ls, rs, window_strides, padding, lhs_dilation, rhs_dilation,
                          feature_group_count)
    return ShapedArray((ls[0], rs[0]) + spatial, np.result_type(lhs.dtype, rhs.dtype),
                       lhs.device)


def _conv_impl(xp, lhs, rhs, *, window_strides, padding, lhs_dilation, rhs_dilation,
               feature_group_count):
    nd = lhs.ndim - 2
    dtype = np.result_type(lhs.dtype, rhs.dtype)
    x = lhs
    if any(d > 1 for d in lhs_dilation):        # zeros between the input's elements
        z = xp.zeros(lhs.shape[:2] + tuple(_dilate(n, d) for n, d in zip(lhs.shape[2:], lhs_dilation)),
                     dtype=lhs.dtype)
        z[(slice(None),) * 2 + tuple(slice(None, None, d) for d in lhs_dilation)] = lhs
        x = z
    n, c = x.shape[:2]
    o, i = rhs.shape[:2]
    window = tuple(rhs.shape[2:])
    g, og = feature_group_count, o // feature_group_count
    spatial = tuple(_out_len(L, k, st, p, 1, d) for L, k, st, p, d in zip(
        x.shape[2:], window, window_strides, padding, rhs_dilation))
    if 0 in spatial or n == 0 or o == 0:
        return xp.zeros((n, o) + spatial, dtype=dtype)
    pixels, taps = math.prod(spatial), math.prod(window)
    w = xp.reshape(rhs, (g, og, i * taps))
    if w.dtype != dtype:
        w = w.astype(dtype)
    if pixels >= taps:
        # columns (N, G, C/G * K, P), filled tap by tap from strided slices of the input
        # (the padding is the part of a tap's rows no slice reaches); then one batched
        # product (G, O/G, C/G * K) @ (N, G, C/G * K, P) -> (N, G, O/G, P): C order.
        cols = _tap_columns(xp, x, (n, g, i), window, spatial, window_strides, padding,
                            rhs_dilation, dtype)
        out = xp.matmul(w, xp.reshape(cols, (n, g, i * taps, pixels)))
        return xp.reshape(out, (n, o) + spatial)
    # A window larger than the output (the kernel gradient's convolution): rows
    # (G, N * P, C/G * K) from a strided view of every window, the window innermost.
    x = _pad_crop(xp, x, range(2, 2 + nd), padding, 0)
    win = _window_view(xp, x, (1, 1) + window, (1, 1) + tuple(window_strides),
                       (1, 1) + tuple(rhs_dilation))
    win = xp.reshape(win, (n, g, i) + spatial + window)          # drops the unit window axes
    sp, wn = tuple(range(3, 3 + nd)), tuple(range(3 + nd, 3 + 2 * nd))
    rows = xp.reshape(xp.transpose(win, (1, 0) + sp + (2,) + wn), (g, n * pixels, i * taps))
    if rows.dtype != dtype:
        rows = rows.astype(dtype)
    out = xp.reshape(xp.matmul(rows, xp.transpose(w, (0, 2, 1))), (g, n) + spatial + (og,))
    out = xp.transpose(out, (1, 0, nd + 2) + tuple(range(2, 2 + nd)))
    return xp.ascontiguousarray(xp.reshape(out, (n, o) + spatial))


def _tap_columns(xp, x, lead, window, spatial, strides, padding, dilation, dtype):
    """im2col as ``(*lead, *window, *spatial)``: for each window tap, one strided slice of
    ``x`` (``(N, C, *in)``, channels split as ``lead``) copied into the output positions
    whose input index ``o * stride + tap * dilation - pad_lo`` lies inside ``x``; the
    positions no slice reaches are the zero padding."""
    nd = len(window)
    pads = any(lo > 0 or hi > 0 for lo, hi in padding)
    cols = (xp.zeros if pads else xp.empty)(lead + window + spatial, dtype=dtype)
    xv = xp.reshape(x, lead + tuple(x.shape[2:]))
    keep = (slice(None),) * len(lead)
    for tap in np.ndindex(*window):
        dst, src = [], []
        for t, st, (lo, _), d, size, out in zip(tap, strides, padding, dilation,
                                                x.shape[2:], spatial):
            off = t * d - lo                          # input index of output 0
            o0 = -(off // st) if off < 0 else 0        # the first output reading index >= 0
            o1 = min(out, (size - 1 - off) // st + 1) if size - 1 - off >= 0 else 0
            if o1 <= o0:
                break
            dst.append(slice(o0, o1))
            src.append(slice(o0 * st + off, (o1 - 1) * st + off + 1, st))
        else:
            cols[keep + tap + tuple(dst)] = xv[keep + tuple(src)]
    return cols


conv_p = Primitive("conv_general_dilated", grad_fn_name="ConvolutionBackward0")
conv_p.def_impl(_conv_impl)
conv_p.def_abstract_eval(_conv_shape)
# Bilinear: d conv(l, r) = conv(dl, r) + conv(l, dr)
defjvp(conv_p, lambda t, ans, lhs, rhs, **p: conv_p.bind(t, rhs, **p),
       lambda t, ans, lhs, rhs, **p: conv_p.bind(lhs, t, **p))


def _lhs_vjp_padding(in_shape, window, strides, out_shape, padding, lhs_dilation, rhs_dilation):
    """The padding of the convolution that transposes one to its ``lhs`` (XLA's)."""
    pads = []
    for n, k, s, o, (lo, _), ld, rd in zip(in_shape, window, strides, out_shape, padding,
                                           lhs_dilation, rhs_dilation):
        before = _dilate(k, rd) - lo - 1
        after = _dilate(n, ld) + _dilate(k, rd) - 1 - _dilate(o, s) - before
        pads.append((before, after))
    return tuple(pads)


def _rhs_vjp_padding(in_shape, window, strides, out_shape, padding, lhs_dilation, rhs_dilation):
    """The padding of the convolution that transposes one to its ``rhs`` (XLA's)."""
    pads = []
    for n, k, s, o, (lo, _), ld, rd in zip(in_shape, window, strides, out_shape, padding,
                                           lhs_dilation, rhs_dilation):
        hi = (_dilate(o, s) - _dilate(n, ld)) + (_dilate(k, rd) - lo - 1)
        pads.append((lo, hi))
    return tuple(pads)


def _conv_vjp_lhs(ct, ans, lhs, rhs, *, window_strides, padding, lhs_dilation, rhs_dilation,
                  feature_group_count):
    """ct_lhs: ``ct`` convolved with the flipped kernel, in/out features swapped per group."""
    g, nd = feature_group_count, lhs.ndim - 2
    o, i = rhs.shape[:2]
    window = tuple(rhs.shape[2:])
    sp = tuple(range(3, 3 + nd))
    w = S.reshape(rhs, (g, o // g, i) + window)
    w = S.reshape(S.transpose(w, (0, 2, 1) + sp), (g * i, o // g) + window)
    w = S.flip(w, tuple(range(2, 2 + nd)))
    pads = _lhs_vjp_padding(lhs.shape[2:], window, window_strides, ct.shape[2:], padding,
                            lhs_dilation, rhs_dilation)
    out = conv_p.bind(ct, w, window_strides=tuple(lhs_dilation), padding=pads,
                      lhs_dilation=tuple(window_strides), rhs_dilation=tuple(rhs_dilation),
                      feature_group_count=g)
    return _cast_like(out, lhs)


def _conv_vjp_rhs(ct, ans, lhs, rhs, *, window_strides, padding, lhs_dilation, rhs_dilation,
                  feature_group_count):
    """ct_rhs: the input, as (C/G, G*N, ...), convolved with the cotangent as (O, N, ...)."""
    g, nd = feature_group_count, lhs.ndim - 2
    n, c = lhs.shape[:2]
    sp = tuple(range(3, 3 + nd))
    x = S.reshape(lhs, (n, g, c // g) + tuple(lhs.shape[2:]))
    x = S.reshape(S.transpose(x, (2, 1, 0) + sp), (c // g, g * n) + tuple(lhs.shape[2:]))
    k = S.transpose(ct, (1, 0) + tuple(range(2, 2 + nd)))
    pads = _rhs_vjp_padding(lhs.shape[2:], rhs.shape[2:], window_strides, ct.shape[2:], padding,
                            lhs_dilation, rhs_dilation)
    out = conv_p.bind(x, k, window_strides=tuple(rhs_dilation), padding=pads,
                      lhs_dilation=tuple(lhs_dilation), rhs_dilation=tuple(window_strides),
                      feature_group_count=g)                       # (C/G, O, *window)
    return _cast_like(S.transpose(out, (1, 0) + tuple(range(2, 2 + nd))), rhs)


defvjp(conv_p, _conv_vjp_lhs, _conv_vjp_rhs, saves="inputs", uses=({1}, {0}))


def _conv_batch(vals, dims, **p):
    """Fold the vmapped axis into the batch (lhs), the output features (rhs) or both
    operands' features with ``B * groups`` feature groups; one convolution."""
    (lhs, rhs), (dl, dr) = vals, dims
    g = p["feature_group_count"]
    if dr is None:
        lhs = move_to_front(lhs, dl)
        b, n = lhs.shape[:2]
        out = conv_p.bind(S.reshape(lhs, (b * n,) + tuple(lhs.shape[2:])), rhs, **p)
        return S.reshape(out, (b, n) + tuple(out.shape[1:])), 0
    rhs = move_to_front(rhs, dr)
    b, o, i = rhs.shape[:3]
    window = tuple(rhs.shape[3:])
    nd = len(window)
    if dl is None:
        # output features ordered (group, batch, feature-in-group), so groups stay contiguous
        w = S.reshape(rhs, (b, g, o // g, i) + window)
        w = S.reshape(S.transpose(w, (1, 0) + tuple(range(2, 4 + nd))), (b * o, i) + window)
        out = conv_p.bind(lhs, w, **p)
        n, sp = out.shape[0], tuple(out.shape[2:])
        out = S.reshape(out, (n, g, b, o // g) + sp)
        out = S.transpose(out, (2, 0, 1, 3) + tuple(range(4, 4 + nd)))
        return S.reshape(out, (b, n, o) + sp), 0
    lhs = move_to_front(lhs, dl)
    n, c = lhs.shape[1:3]
    x = S.reshape(S.transpose(lhs, (1, 0) + tuple(range(2, lhs.ndim))),
                  (n, b * c) + tuple(lhs.shape[3:]))
    out = conv_p.bind(x, S.reshape(rhs, (b * o, i) + window),
                      **{**p, "feature_group_count": b * g})
    return S.reshape(out, (n, b, o) + tuple(out.shape[2:])), 1


conv_p.batch = _conv_batch


# ========================================================== windowed reductions ===
def _window_shape(name, x, window_dimensions, window_strides, padding, window_dilation):
    shp = tuple(x.shape)
    r = len(shp)
    for what, v in (("window_dimensions", window_dimensions), ("window_strides", window_strides),
                    ("padding", padding), ("window_dilation", window_dilation)):
        if len(v) != r:
            raise TypeError(f"{name}: {what} {v} needs {r} entries for an operand of shape "
                            f"{errors.fmt_shape(shp)}")
    if any(k < 1 for k in window_dimensions) or any(s < 1 for s in window_strides + window_dilation):
        raise TypeError(f"{name}: window dimensions, strides and dilations must be positive, got "
                        f"{window_dimensions}, {window_strides}, {window_dilation}")
    if any(lo < 0 or hi < 0 for lo, hi in padding):
        raise TypeError(f"{name}: padding {padding} must be non-negative")
    return tuple(_out_len(n, k, s, p, 1, d) for n, k, s, p, d in zip(
        shp, window_dimensions, window_strides, padding, window_dilation))


def _lowest(xp, dtype):
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return -np.inf
    if dtype.kind == "b":
        return False
    return np.iinfo(dtype).min


def _taps(shape, window_dimensions, window_strides, padding, window_dilation):
    """The output shape, and per window tap (row-major) the strided slice of the padded
    operand that tap reads for every output element: a window op is one vectorised
    operation per tap (a handful for a pooling window), never a loop over elements."""
    out = tuple(_out_len(n, k, s, p, 1, d) for n, k, s, p, d in zip(
        shape, window_dimensions, window_strides, padding, window_dilation))
    taps = [tuple(slice(t * d, t * d + (o - 1) * s + 1, s) if o else slice(0, 0)
                  for t, d, s, o in zip(tap, window_dilation, window_strides, out))
            for tap in np.ndindex(*window_dimensions)]
    return out, taps


def _window_avals(name):
    def rule(x, *rest, window_dimensions, window_strides, padding, window_dilation):
        return ShapedArray(_window_shape(name, x if not rest else rest[-1], window_dimensions,
                                         window_strides, padding, window_dilation),
                           x.dtype, x.device)
    return rule


def _window_batch(prim):
    """vmap: the batch axis becomes a window axis of size 1 in front (every operand batched)."""
    def rule(vals, dims, *, window_dimensions, window_strides, padding, window_dilation):
        size = next(v.shape[d] for v, d in zip(vals, dims) if d is not None)
        moved = []
        for v, d in zip(vals, dims):
            v = move_to_front(v, d) if d is not None else S.broadcast_to(v, (size,) + tuple(v.shape))
            moved.append(v)
        return prim.bind(*moved, window_dimensions=(1,) + tuple(window_dimensions),
                         window_strides=(1,) + tuple(window_strides),
                         padding=((0, 0),) + tuple(padding),
                         window_dilation=(1,) + tuple(window_dilation)), 0
    return rule


# reduce_window_sum: linear; its transpose pads the cotangent with ``stride - 1`` zeros
# between elements and sums windows again with stride 1 (XLA's rule).
reduce_window_sum_p = Primitive("reduce_window_sum", grad_fn_name="AvgPool2DBackward0")


def _sum_impl(xp, x, **p):
    out, taps = _taps(x.shape, **p)
    if 0 in out:
        return xp.zeros(out, dtype=x.dtype)
    xpad = _pad_crop(xp, x, range(x.ndim), p["padding"], 0)
    acc = xp.array(xpad[taps[0]], copy=True)
    for sl in taps[1:]:
        acc += xpad[sl]
    return acc


reduce_window_sum_p.def_impl(_sum_impl)
reduce_window_sum_p.def_abstract_eval(_window_avals("reduce_window_sum"))


def _sum_transpose(ct, x, *, window_dimensions, window_strides, padding, window_dilation):
    r = x.ndim
    pads = _lhs_vjp_padding(x.shape, window_dimensions, window_strides, ct.shape, padding,
                            (1,) * r, window_dilation)
    # pad_p takes non-negative amounts: pad by the positive parts, then crop the negative
    ct = S.pad(ct, 0.0, tuple((max(lo, 0), max(hi, 0), s - 1)
                              for (lo, hi), s in zip(pads, window_strides)))
    if any(lo < 0 or hi < 0 for lo, hi in pads):
        ct = S.slice_nd(ct, tuple(slice(max(0, -lo), n - max(0, -hi))
                                  for (lo, hi), n in zip(pads, ct.shape)))
    return reduce_window_sum_p.bind(ct, window_dimensions=tuple(window_dimensions),
                                    window_strides=(1,) * r, padding=((0, 0),) * r,
                                    window_dilation=tuple(window_dilation))


deflinear(reduce_window_sum_p, _sum_transpose)
reduce_window_sum_p.batch = _window_batch(reduce_window_sum_p)


def _first_max_taps(xp, x, window_dimensions, window_strides, padding, window_dilation):
    """Per window tap (row-major), its slice of the padded operand and the mask of the
    output elements whose first maximum that tap holds: the maximum ``m`` first, then a
    tap is hit where it equals ``m`` and no earlier tap was (ties go to the first)."""
    out, taps = _taps(x.shape, window_dimensions, window_strides, padding, window_dilation)
    xpad = _pad_crop(xp, x, range(x.ndim), padding, _lowest(xp, x.dtype))
    m = xp.array(xpad[taps[0]], copy=True)
    for sl in taps[1:]:
        xp.maximum(m, xpad[sl], out=m)
    free = None
    for sl in taps:
        hit = xpad[sl] == m
        if free is None:
            free = ~hit
        else:
            hit &= free
            free ^= hit                 # hit lies inside free: clears the taken elements
        yield sl, hit


def _overlap(window_dimensions, window_strides, window_dilation):
    return any(_dilate(k, d) > s for k, s, d in zip(window_dimensions, window_strides,
                                                   window_dilation))


select_and_gather_add_p = Primitive("select_and_gather_add")


def _gather_impl(xp, t, x, **p):
    tpad = _pad_crop(xp, t, range(t.ndim), p["padding"], 0)
    res = None
    for sl, hit in _first_max_taps(xp, x, **p):
        # t * hit, not where(hit, t, 0): one pass (a NaN in t spreads over its window)
        res = xp.multiply(tpad[sl], hit) if res is None else xp.add(
            res, xp.multiply(tpad[sl], hit), out=res)
    return res


select_and_gather_add_p.def_impl(_gather_impl)
select_and_gather_add_p.def_abstract_eval(_window_avals("select_and_gather_add"))

select_and_scatter_add_p = Primitive("select_and_scatter_add",
                                     grad_fn_name="MaxPool2DWithIndicesBackwardBackward0")


def _scatter_impl(xp, s, x, **p):
    padded = tuple(n + lo + hi for n, (lo, hi) in zip(x.shape, p["padding"]))
    res = xp.zeros(padded, dtype=s.dtype)
    overlap = _overlap(p["window_dimensions"], p["window_strides"], p["window_dilation"])
    for sl, hit in _first_max_taps(xp, x, **p):
        # s * hit written straight into the tap's strided view (several times faster than a
        # masked copy; a NaN or infinite cotangent spreads over its window)
        view = res[sl]
        if overlap:                    # windows share elements: add (one tap's are distinct)
            xp.add(view, xp.multiply(s, hit), out=view)
        else:                          # every element in at most one window
            xp.multiply(s, hit, out=view)
    return res[tuple(slice(lo, n - hi) for (lo, hi), n in zip(p["padding"], padded))]


select_and_scatter_add_p.def_impl(_scatter_impl)
select_and_scatter_add_p.def_abstract_eval(
    lambda s, x, **p: (_window_shape("select_and_scatter_add", x, **p),
                       ShapedArray(tuple(x.shape), s.dtype, s.device))[1])

# Each is linear in its first operand, the other's transpose; constant in x almost everywhere.
defjvp(select_and_gather_add_p,
       lambda t, ans, t0, x, **p: select_and_gather_add_p.bind(t, x, **p), None)
defvjp(select_and_gather_add_p,
       lambda ct, ans, t, x, **p: _cast_like(select_and_scatter_add_p.bind(ct, x, **p), t), None,
       saves="inputs", uses=({1}, ()))
select_and_gather_add_p.batch = _window_batch(select_and_gather_add_p)
defjvp(select_and_scatter_add_p,
       lambda t, ans, s, x, **p: select_and_scatter_add_p.bind(t, x, **p), None)
defvjp(select_and_scatter_add_p,
       lambda ct, ans, s, x, **p: _cast_like(select_and_gather_add_p.bind(ct, x, **p), s), None,
       saves="inputs", uses=({1}, ()))
select_and_scatter_add_p.batch = _window_batch(select_and_scatter_add_p)

# reduce_window_max: the derivative flows through the first maximum of each window.
reduce_window_max_p = Primitive("reduce_window_max", grad_fn_name="MaxPool2DWithIndicesBackward0")


def _max_impl(xp, x, **p):
    out, taps = _taps(x.shape, **p)
    if 0 in out:
        return xp.zeros(out, dtype=x.dtype)
    xpad = _pad_crop(xp, x, range(x.ndim), p["padding"], _lowest(xp, x.dtype))
    acc = xp.array(xpad[taps[0]], copy=True)
    for sl in taps[1:]:
        xp.maximum(acc, xpad[sl], out=acc)
    return acc


reduce_window_max_p.def_impl(_max_impl)
reduce_window_max_p.def_abstract_eval(_window_avals("reduce_window_max"))
defjvp(reduce_window_max_p, lambda t, ans, x, **p: select_and_gather_add_p.bind(t, x, **p))
defvjp(reduce_window_max_p,
       lambda ct, ans, x, **p: _cast_like(select_and_scatter_add_p.bind(ct, x, **p), x),
       saves="inputs")
reduce_window_max_p.batch = _window_batch(reduce_window_max_p)


# ---- helpers (fgrad.lax and the facade are written with these) -----------------------
def conv(lhs, rhs, window_strides, padding, lhs_dilation, rhs_dilation, feature_group_count=1):
    """The canonical-layout convolution (``(N, C, ...)`` by ``(O, C/G, ...)``)."""
    params = dict(window_strides=tuple(window_strides),
                  padding=tuple((int(lo), int(hi)) for lo, hi in padding),
                  lhs_dilation=tuple(lhs_dilation), rhs_dilation=tuple(rhs_dilation),
                  feature_group_count=int(feature_group_count))
    _check_conv(tuple(lhs.shape), tuple(rhs.shape), **params)   # JAX's errors, eagerly too
    return conv_p.bind(lhs, rhs, **params)


def _window_params(x, window_dimensions, window_strides, padding, window_dilation):
    r = len(window_dimensions)
    return dict(window_dimensions=tuple(int(k) for k in window_dimensions),
                window_strides=tuple(int(s) for s in window_strides),
                padding=tuple((int(lo), int(hi)) for lo, hi in padding),
                window_dilation=(1,) * r if window_dilation is None else tuple(
                    int(d) for d in window_dilation))


def window_max(x, window_dimensions, window_strides, padding, window_dilation=None):
    return reduce_window_max_p.bind(x, **_window_params(x, window_dimensions, window_strides,
                                                        padding, window_dilation))


def window_sum(x, window_dimensions, window_strides, padding, window_dilation=None):
    return reduce_window_sum_p.bind(x, **_window_params(x, window_dimensions, window_strides,
                                                        padding, window_dilation))


def window_argmax_gather(t, x, window_dimensions, window_strides, padding, window_dilation=None):
    """``t`` read at the first maximum of each window of ``x``."""
    return select_and_gather_add_p.bind(t, x, **_window_params(
        x, window_dimensions, window_strides, padding, window_dilation))
