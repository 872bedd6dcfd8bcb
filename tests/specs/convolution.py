"""Spec rows for ``fgrad/primitives/convolution.py``: convolutions over strides, padding
(negative too), dilations, feature groups and 1-3 spatial dims; windowed max/sum and the
two selections behind max's derivatives. References are direct NumPy loops over window
offsets (not im2col)."""
from __future__ import annotations

import itertools

import numpy as np
from hypothesis import strategies as st

from fgrad.primitives import convolution as P
from tests.checker import floats
from tests.specs import Spec


def _dil(n, d):
    return 0 if n == 0 else 1 + d * (n - 1)


def _pad(x, axes, pads, value):
    """NumPy pad by (lo, hi) along axes, negative amounts crop."""
    sl = [slice(None)] * x.ndim
    width = [(0, 0)] * x.ndim
    for ax, (lo, hi) in zip(axes, pads):
        sl[ax] = slice(max(0, -lo), x.shape[ax] - max(0, -hi))
        width[ax] = (max(0, lo), max(0, hi))
    return np.pad(x[tuple(sl)], width, constant_values=value)


def np_conv(lhs, rhs, strides, padding, lhs_dilation, rhs_dilation, groups):
    """Sum over kernel offsets of a strided slice of the dilated, padded input times the
    kernel tap, group by group."""
    nd = lhs.ndim - 2
    x = np.zeros(lhs.shape[:2] + tuple(_dil(n, d) for n, d in zip(lhs.shape[2:], lhs_dilation)))
    x[(slice(None),) * 2 + tuple(slice(None, None, d) for d in lhs_dilation)] = lhs
    x = _pad(x, range(2, 2 + nd), padding, 0.0)
    o, i = rhs.shape[:2]
    out_sp = tuple((n - _dil(k, d)) // s + 1 for n, k, d, s in zip(
        x.shape[2:], rhs.shape[2:], rhs_dilation, strides))
    out = np.zeros((lhs.shape[0], o) + out_sp)
    og = o // groups
    for g in range(groups):
        xs = x[:, g * i:(g + 1) * i]
        ws = rhs[g * og:(g + 1) * og]
        for k in itertools.product(*[range(n) for n in rhs.shape[2:]]):
            sl = tuple(slice(kk * d, kk * d + (n - 1) * s + 1, s)
                       for kk, d, s, n in zip(k, rhs_dilation, strides, out_sp))
            out[:, g * og:(g + 1) * og] += np.einsum("nc...,oc->no...", xs[(slice(None),) * 2 + sl],
                                                    ws[(slice(None),) * 2 + k])
    return out


def _conv_row(ident, n, c, o, groups, window, strides, padding, lhs_d, rhs_d, min_side=None):
    """Shapes: spatial sides drawn between the smallest that gives an output and that + 2."""
    lo = min_side or [max(1, -(-(_dil(k, rd) - p[0] - p[1] - 1) // ld) + 1)
                      for k, rd, p, ld in zip(window, rhs_d, padding, lhs_d)]

    def draw(sides):
        return st.tuples(floats((n, c) + tuple(sides)), floats((o, c // groups) + tuple(window)))
    args = lambda: st.tuples(*[st.integers(m, m + 2) for m in lo]).flatmap(draw)  # noqa: E731
    params = (tuple(strides), tuple(padding), tuple(lhs_d), tuple(rhs_d), groups)
    return Spec("conv_general_dilated", lambda x, w, p=params: P.conv(x, w, *p), args,
                lambda x, w, p=params: np_conv(x, w, *p), id=ident)


def _window_ref(x, window, strides, padding, dilation, reduce, fill):
    x = _pad(x, range(x.ndim), padding, fill)
    out_sp = tuple((n - _dil(k, d)) // s + 1 for n, k, d, s in zip(x.shape, window, dilation, strides))
    taps = [x[tuple(slice(kk * d, kk * d + (n - 1) * s + 1, s)
                    for kk, d, s, n in zip(k, dilation, strides, out_sp))]
            for k in itertools.product(*[range(w) for w in window])]
    return reduce(np.stack(taps), axis=0)


def _first_max_taps(x, window, strides, padding, dilation):
    """Per output, the tap index (row-major over the window) of the first maximum."""
    v = _window_ref(x, window, strides, padding, dilation, lambda a, axis: a, -np.inf)
    return v, np.argmax(v, axis=0)


def np_gather(t, x, window, strides, padding, dilation):
    _, am = _first_max_taps(x, window, strides, padding, dilation)
    tv = _window_ref(t, window, strides, padding, dilation, lambda a, axis: a, 0.0)
    return np.take_along_axis(tv, am[None], axis=0)[0]


def np_scatter(s, x, window, strides, padding, dilation):
    _, am = _first_max_taps(x, window, strides, padding, dilation)
    xp = _pad(x, range(x.ndim), padding, -np.inf)
    out = np.zeros(xp.shape)
    for idx in np.ndindex(*am.shape):
        k = np.unravel_index(am[idx], window)
        pos = tuple(i * st_ + kk * d for i, st_, kk, d in zip(idx, strides, k, dilation))
        out[pos] += s[idx]
    return out[tuple(slice(lo, n - hi) for (lo, hi), n in zip(padding, xp.shape))]


_WINDOWS = [  # (id, x shape, window, strides, padding, dilation)
    ("pool2x2", (2, 2, 4, 5), (1, 1, 2, 2), (1, 1, 2, 2), ((0, 0),) * 4, (1, 1, 1, 1)),
    ("overlap_pad_dilated", (3, 6), (2, 3), (1, 2), ((1, 0), (1, 2)), (1, 2)),
]


def _out_shape(shape, window, strides, padding, dilation):
    return tuple((n + lo + hi - _dil(k, d)) // s + 1
                 for n, k, s, (lo, hi), d in zip(shape, window, strides, padding, dilation))


def _window_rows():
    rows = []
    for ident, shape, window, strides, padding, dilation in _WINDOWS:
        p = (window, strides, padding, dilation)
        rows.append(Spec("reduce_window_max", lambda x, p=p: P.window_max(x, *p),
                         lambda shape=shape: st.tuples(floats(shape)),
                         lambda x, p=p: _window_ref(x, *p, np.max, -np.inf), id=ident))
        rows.append(Spec("reduce_window_sum", lambda x, p=p: P.window_sum(x, *p),
                         lambda shape=shape: st.tuples(floats(shape)),
                         lambda x, p=p: _window_ref(x, *p, np.sum, 0.0), id=ident))
        kw = dict(window_dimensions=window, window_strides=strides, padding=padding,
                  window_dilation=dilation)
        rows.append(Spec("select_and_gather_add",
                         lambda t, x, kw=kw: P.select_and_gather_add_p.bind(t, x, **kw),
                         lambda shape=shape: st.tuples(floats(shape), floats(shape)),
                         lambda t, x, p=p: np_gather(t, x, *p), id=ident))
        out = _out_shape(shape, *p)
        rows.append(Spec("select_and_scatter_add",
                         lambda s, x, kw=kw: P.select_and_scatter_add_p.bind(s, x, **kw),
                         lambda shape=shape, out=out: st.tuples(floats(out), floats(shape)),
                         lambda s, x, p=p: np_scatter(s, x, *p), id=ident))
    return rows


SPECS = [
    _conv_row("2d_plain", 2, 2, 3, 1, (2, 2), (1, 1), ((0, 0), (0, 0)), (1, 1), (1, 1)),
    _conv_row("2d_strided_padded_dilated_groups", 1, 4, 2, 2, (2, 3), (2, 1),
              ((1, 0), (2, 1)), (1, 1), (1, 2)),
    _conv_row("1d_lhs_dilated", 2, 2, 2, 1, (3,), (1,), ((2, 2),), (2,), (1,)),
    _conv_row("1d_negative_padding_stride", 1, 3, 3, 3, (2,), (2,), ((-1, 1),), (1,), (1,),
              min_side=[3]),
    _conv_row("3d", 1, 1, 2, 1, (2, 1, 2), (1, 1, 1), ((0, 0), (1, 0), (0, 1)), (1, 1, 1),
              (1, 1, 1)),
    *_window_rows(),
]
