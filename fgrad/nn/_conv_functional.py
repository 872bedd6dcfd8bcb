"""``torch.nn.functional``'s convolutions, pooling, ``unfold``/``fold`` and ``pad``, on the
primitives of ``fgrad/primitives/convolution.py`` (Tensors record with their rules; Arrays
work too). PyTorch's layouts (``N, C, *spatial``; unbatched inputs without ``N``), defaults
and error words; a result shows PyTorch's ``grad_fn`` name (``ConvolutionBackward0``,
``MaxPool2DWithIndicesBackward0`` ...).

``conv_transpose*d`` and ``fold`` are the input-gradients of ``conv*d`` and ``unfold``:
the same convolution the VJP rule builds. ``avg_pool`` divides a window sum by PyTorch's
window counts (with or without the padding), ``adaptive_avg_pool2d`` is two averaging
matrices, ``adaptive_max_pool2d`` a gather of every bin padded to the largest bin.
"""
from __future__ import annotations

import math

import numpy as np

from .. import numpy as fnp
from ..facade import creation as _creation
from ..primitives import convolution as P, shape as S
from ..transforms.core import ShapedArray
from ..facade.tensor import Tensor, name_node

__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d", "max_pool1d", "max_pool2d", "max_pool3d", "avg_pool1d",
           "avg_pool2d", "avg_pool3d", "adaptive_avg_pool1d", "adaptive_avg_pool2d",
           "adaptive_max_pool1d", "adaptive_max_pool2d", "unfold", "fold", "pad"]


def _ntuple(v, n: int, name: str = "argument") -> tuple:
    if isinstance(v, (tuple, list)):
        if len(v) == 1 and n > 1:
            v = tuple(v) * n
        if len(v) != n:
            raise RuntimeError(f"expected {name} to be a single integer value or a list of {n} "
                               f"values to match the convolution dimensions, but got {name}={list(v)}")
        return tuple(int(x) for x in v)
    return (int(v),) * n


def _as_input(x):
    return x if isinstance(x, Tensor) else fnp.asarray(x)


def _batched(x, nd: int, what: str):
    """``x`` with a batch axis (PyTorch's unbatched ``(C, *spatial)`` form gets one)."""
    if x.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to "
                           f"{what}, but got input of size: {list(x.shape)}")
    if x.ndim == nd + 1:
        return S.reshape(x, (1,) + tuple(x.shape)), True
    return x, False


def _unbatch(out, unbatched):
    return S.reshape(out, tuple(out.shape[1:])) if unbatched else out


def _bias(out, bias, nd):
    if bias is None:
        return out
    return out + S.reshape(_as_input(bias), (-1,) + (1,) * nd)


# ================================================================ convolution ===
def _conv(input, weight, bias, stride, padding, dilation, groups, nd):
    what = f"conv{nd}d"
    x, unbatched = _batched(_as_input(input), nd, what)
    w = _as_input(weight)
    stride, dilation = _ntuple(stride, nd, "stride"), _ntuple(dilation, nd, "dilation")
    window = tuple(w.shape[2:])
    if isinstance(padding, str):
        if padding == "valid":
            pads = ((0, 0),) * nd
        elif padding == "same":
            if any(s != 1 for s in stride):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            total = [d * (k - 1) for k, d in zip(window, dilation)]
            pads = tuple((t // 2, t - t // 2) for t in total)      # PyTorch: extra on the right
        else:
            raise RuntimeError(f"Invalid padding string '{padding}', should be one of "
                               "['valid', 'same']")
    else:
        pads = tuple((p, p) for p in _ntuple(padding, nd, "padding"))
    if w.ndim != nd + 2:
        raise RuntimeError(f"Expected {nd + 2}-dimensional weight for {nd + 2}-dimensional input "
                           f"{list(x.shape)}, but got {w.ndim}-dimensional weight of size "
                           f"{list(w.shape)} instead")
    if w.shape[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} "
                           f"at dimension 0, but got weight of size [{list(w.shape)}] instead")
    if x.shape[1] != w.shape[1] * groups:
        raise RuntimeError(f"Given groups={groups}, weight of size {list(w.shape)}, expected "
                           f"input{list(x.shape)} to have {w.shape[1] * groups} channels, but "
                           f"got {x.shape[1]} channels instead")
    padded = [n + lo + hi for n, (lo, hi) in zip(x.shape[2:], pads)]
    ext = [d * (k - 1) + 1 for k, d in zip(window, dilation)]
    if any(p < e for p, e in zip(padded, ext)):
        raise RuntimeError(f"Calculated padded input size per channel: "
                           f"({' x '.join(map(str, padded))}). Kernel size: "
                           f"({' x '.join(map(str, ext))}). Kernel size can't be greater than "
                           "actual input size")
    out = P.conv(x, w, stride, pads, (1,) * nd, dilation, groups)
    return name_node(_unbatch(_bias(out, bias, nd), unbatched), "ConvolutionBackward0")


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D convolution (a cross-correlation) over ``(N, C, L)`` or ``(C, L)``, as
    ``torch.nn.functional.conv1d``; ``padding`` an int, a tuple, ``'same'`` or ``'valid'``.

    >>> import fgrad
    >>> conv1d(fgrad.ones(1, 1, 4), fgrad.ones(1, 1, 2))
    tensor([[[2., 2., 2.]]])
    """
    return _conv(input, weight, bias, stride, padding, dilation, groups, 1)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution over ``(N, C, H, W)`` or ``(C, H, W)`` (``torch.nn.functional.conv2d``).

    >>> import fgrad
    >>> conv2d(fgrad.ones(1, 1, 3, 3), fgrad.ones(1, 1, 2, 2), padding=1).shape
    fgrad.Size([1, 1, 4, 4])
    """
    return _conv(input, weight, bias, stride, padding, dilation, groups, 2)


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """3-D convolution over ``(N, C, D, H, W)`` or ``(C, D, H, W)``.

    >>> import fgrad
    >>> conv3d(fgrad.ones(1, 1, 2, 3, 3), fgrad.ones(2, 1, 1, 2, 2)).shape
    fgrad.Size([1, 2, 2, 2, 2])
    """
    return _conv(input, weight, bias, stride, padding, dilation, groups, 3)


def _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation, nd):
    what = f"conv_transpose{nd}d"
    x, unbatched = _batched(_as_input(input), nd, what)
    w = _as_input(weight)
    stride, dilation = _ntuple(stride, nd, "stride"), _ntuple(dilation, nd, "dilation")
    padding = _ntuple(padding, nd, "padding")
    output_padding = _ntuple(output_padding, nd, "output_padding")
    if x.shape[1] != w.shape[0]:
        raise RuntimeError(f"Given transposed=1, weight of size {list(w.shape)}, expected "
                           f"input{list(x.shape)} to have {w.shape[0]} channels, but got "
                           f"{x.shape[1]} channels instead")
    if w.shape[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} "
                           f"at dimension 0, but got weight of size [{list(w.shape)}] instead")
    for op, s, d in zip(output_padding, stride, dilation):
        if op >= max(s, d):
            raise RuntimeError("output padding must be smaller than either stride or dilation, "
                               f"but got output_padding={list(output_padding)}, stride="
                               f"{list(stride)}, dilation={list(dilation)}")
    window = tuple(w.shape[2:])
    out_sp = tuple((n - 1) * s - 2 * p + d * (k - 1) + op + 1 for n, s, p, d, k, op in zip(
        x.shape[2:], stride, padding, dilation, window, output_padding))
    if any(o <= 0 for o in out_sp):
        raise RuntimeError(f"Given input size per channel: {list(x.shape[2:])}. Calculated "
                           f"output size per channel: {list(out_sp)}. Output size is too small")
    # the input-gradient of conv(y, weight) for a y of the output's shape
    y = ShapedArray((x.shape[0], w.shape[1] * groups) + out_sp, np.dtype(x.dtype), None)
    out = P._conv_vjp_lhs(x, None, y, w, window_strides=stride,
                          padding=tuple((p, p) for p in padding), lhs_dilation=(1,) * nd,
                          rhs_dilation=dilation, feature_group_count=groups)
    return name_node(_unbatch(_bias(out, bias, nd), unbatched), "ConvolutionBackward0")


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """Transposed 1-D convolution (``torch.nn.functional.conv_transpose1d``); ``weight`` is
    ``(C_in, C_out / groups, k)``.

    >>> import fgrad
    >>> conv_transpose1d(fgrad.ones(1, 1, 2), fgrad.ones(1, 1, 2), stride=2)
    tensor([[[1., 1., 1., 1.]]])
    """
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups,
                           dilation, 1)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """Transposed 2-D convolution (``torch.nn.functional.conv_transpose2d``).

    >>> import fgrad
    >>> conv_transpose2d(fgrad.ones(1, 2, 3, 3), fgrad.ones(2, 4, 3, 3), stride=2).shape
    fgrad.Size([1, 4, 7, 7])
    """
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups,
                           dilation, 2)


def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """Transposed 3-D convolution (``torch.nn.functional.conv_transpose3d``).

    >>> import fgrad
    >>> conv_transpose3d(fgrad.ones(1, 1, 2, 2, 2), fgrad.ones(1, 1, 2, 2, 2)).shape
    fgrad.Size([1, 1, 3, 3, 3])
    """
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups,
                           dilation, 3)


# ==================================================================== pooling ===
def _pool_geometry(x, nd, kernel_size, stride, padding, dilation, ceil_mode, what):
    """Window, strides, and (lo, hi) padding per spatial axis, ``hi`` grown for
    ``ceil_mode`` (a last window may start in the input or the left padding only)."""
    k = _ntuple(kernel_size, nd, "kernel_size")
    s = k if stride is None or (isinstance(stride, (tuple, list)) and len(stride) == 0) \
        else _ntuple(stride, nd, "stride")
    p = _ntuple(padding, nd, "padding")
    d = _ntuple(dilation, nd, "dilation")
    for pi, ki, di in zip(p, k, d):
        if pi > (di * (ki - 1) + 1) // 2 or pi > ki // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got "
                               f"pad={pi}, kernel_size={ki} and dilation={di}")
    pads, outs = [], []
    for n, ki, si, pi, di in zip(x.shape[2:], k, s, p, d):
        ext = di * (ki - 1) + 1
        span = n + 2 * pi - ext
        out = (-(-span // si) if ceil_mode else span // si) + 1
        if ceil_mode and (out - 1) * si >= n + pi:
            out -= 1
        outs.append(out)
        pads.append((pi, max(pi, (out - 1) * si + ext - n - pi)))
    if any(o <= 0 for o in outs):
        shown = "x".join(map(str, x.shape[1:]))
        raise RuntimeError(f"Given input size: ({shown}). Calculated output size: "
                           f"({'x'.join(map(str, (x.shape[1],) + tuple(outs)))}). Output size "
                           "is too small")
    return k, s, tuple(pads), d, tuple(outs)


def _pool_input(input, nd, what):
    x = _as_input(input)
    if x.ndim not in (nd + 1, nd + 2) or any(n == 0 for n in x.shape[-nd - 1:]):
        raise RuntimeError(f"non-empty {nd + 1}D or {nd + 2}D (batch mode) tensor expected for "
                           "input")
    return _batched(x, nd, what)


def _window_args(k, s, pads, d):
    return ((1, 1) + k, (1, 1) + s, ((0, 0), (0, 0)) + pads, (1, 1) + d)


def _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, nd):
    what = f"max_pool{nd}d"
    x, unbatched = _pool_input(input, nd, what)
    k, s, pads, d, _ = _pool_geometry(x, nd, kernel_size, stride, padding, dilation,
                                      ceil_mode, what)
    args = _window_args(k, s, pads, d)
    out = _unbatch(P.window_max(x, *args), unbatched)
    out = name_node(out, f"MaxPool{nd}DWithIndicesBackward0" if nd > 1 else "SqueezeBackward1")
    if not return_indices:
        return out
    plane = np.arange(math.prod(x.shape[2:]), dtype=np.int64).reshape(tuple(x.shape[2:]))
    iota = fnp.broadcast_to(fnp.asarray(plane, device=x.device), tuple(x.shape))
    xd = x.detach() if isinstance(x, Tensor) else x
    return out, _unbatch(P.window_argmax_gather(iota, xd, *args), unbatched)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """1-D max pooling (``torch.nn.functional.max_pool1d``); ``return_indices`` gives the
    position of each maximum in its row (the first one at ties).

    >>> import fgrad
    >>> max_pool1d(fgrad.tensor([[[1.0, 3.0, 2.0, 0.0]]]), 2)
    tensor([[[3., 2.]]])
    """
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 1)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """2-D max pooling (``torch.nn.functional.max_pool2d``): the gradient goes to the first
    maximum of each window; ``padding`` pads with -inf.

    >>> import fgrad
    >>> max_pool2d(fgrad.arange(16.0).reshape(1, 1, 4, 4), 2)
    tensor([[[[ 5.,  7.],
              [13., 15.]]]])
    """
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 2)


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """3-D max pooling (``torch.nn.functional.max_pool3d``).

    >>> import fgrad
    >>> max_pool3d(fgrad.ones(1, 1, 2, 2, 2), 2).shape
    fgrad.Size([1, 1, 1, 1, 1])
    """
    return _max_pool(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, 3)


def _axis_counts(n, k, s, lo, out, include_pad):
    """Elements each window along one axis covers: inside ``[-lo, n + lo)`` with the
    padding counted, inside ``[0, n)`` without (PyTorch's avg_pool divisor)."""
    starts = np.arange(out) * s - lo
    ends = starts + k
    if include_pad:
        return np.minimum(ends, n + lo) - starts
    return np.minimum(ends, n) - np.maximum(starts, 0)


def _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
              divisor_override, nd):
    what = f"avg_pool{nd}d"
    x, unbatched = _pool_input(input, nd, what)
    k, s, pads, d, outs = _pool_geometry(x, nd, kernel_size, stride, padding, 1, ceil_mode, what)
    total = P.window_sum(x, *_window_args(k, s, pads, d))
    if divisor_override:
        out = total / divisor_override
    else:
        counts = np.ones((), dtype=np.float64)
        for n, ki, si, (lo, _), o in zip(x.shape[2:], k, s, pads, outs):
            counts = np.multiply.outer(counts, _axis_counts(n, ki, si, lo, o, count_include_pad))
        if np.all(counts == math.prod(k)):
            out = total / math.prod(k)
        else:
            out = total / fnp.asarray(counts.astype(np.dtype(x.dtype)), device=x.device)
    out = _unbatch(out, unbatched)
    return name_node(out, f"AvgPool{nd}DBackward0" if nd > 1 else "SqueezeBackward1")


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    """1-D average pooling (``torch.nn.functional.avg_pool1d``).

    >>> import fgrad
    >>> avg_pool1d(fgrad.tensor([[[1.0, 3.0, 2.0, 0.0]]]), 2)
    tensor([[[2., 1.]]])
    """
    return _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad, None, 1)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """2-D average pooling (``torch.nn.functional.avg_pool2d``): zero padding counted in the
    divisor with ``count_include_pad`` (the default), or not.

    >>> import fgrad
    >>> avg_pool2d(fgrad.arange(16.0).reshape(1, 1, 4, 4), 2)
    tensor([[[[ 2.5000,  4.5000],
              [10.5000, 12.5000]]]])
    """
    return _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override, 2)


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """3-D average pooling (``torch.nn.functional.avg_pool3d``).

    >>> import fgrad
    >>> avg_pool3d(fgrad.ones(1, 1, 2, 2, 2), 2).shape
    fgrad.Size([1, 1, 1, 1, 1])
    """
    return _avg_pool(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override, 3)


def _bins(n, out):
    """PyTorch's adaptive bins: ``[floor(i n / out), ceil((i + 1) n / out))``."""
    i = np.arange(out)
    return (i * n) // out, -(-((i + 1) * n) // out)


def _adaptive_sizes(x, output_size, nd):
    sizes = _ntuple(output_size, nd, "output_size") if not isinstance(output_size, (tuple, list)) \
        else tuple(n if o is None else int(o) for o, n in zip(output_size, x.shape[2:]))
    if len(sizes) != nd:
        raise ValueError(f"adaptive_pool{nd}d: output_size must be {nd} integers, got {output_size}")
    return sizes


def _adaptive_avg(input, output_size, nd):
    what = f"adaptive_avg_pool{nd}d"
    x, unbatched = _pool_input(input, nd, what)
    sizes = _adaptive_sizes(x, output_size, nd)
    out = x
    letters = "hwd"[:nd]
    for ax, (n, o) in enumerate(zip(x.shape[2:], sizes)):
        lo, hi = _bins(n, o)
        m = ((np.arange(n)[None, :] >= lo[:, None]) & (np.arange(n)[None, :] < hi[:, None]))
        m = (m / (hi - lo)[:, None]).astype(np.dtype(x.dtype))           # (o, n) averaging
        c = letters[ax]
        sub = "nc" + letters
        out = fnp.einsum(f"{sub},z{c}->{sub.replace(c, 'z')}", out,
                         fnp.asarray(m, device=x.device))
    out = _unbatch(out, unbatched)
    return name_node(out, "MeanBackward1" if all(o == 1 for o in sizes) else
                     f"AdaptiveAvgPool{nd}DBackward0")


def adaptive_avg_pool1d(input, output_size):
    """Average over PyTorch's adaptive bins (``torch.nn.functional.adaptive_avg_pool1d``).

    >>> import fgrad
    >>> adaptive_avg_pool1d(fgrad.tensor([[[1.0, 3.0, 2.0]]]), 2)
    tensor([[[2.0000, 2.5000]]])
    """
    return _adaptive_avg(input, output_size, 1)


def adaptive_avg_pool2d(input, output_size):
    """Average over PyTorch's adaptive bins (``torch.nn.functional.adaptive_avg_pool2d``).

    >>> import fgrad
    >>> adaptive_avg_pool2d(fgrad.arange(16.0).reshape(1, 1, 4, 4), 1)
    tensor([[[[7.5000]]]])
    """
    return _adaptive_avg(input, output_size, 2)


def _adaptive_max(input, output_size, return_indices, nd):
    what = f"adaptive_max_pool{nd}d"
    x, unbatched = _pool_input(input, nd, what)
    sizes = _adaptive_sizes(x, output_size, nd)
    spatial = tuple(x.shape[2:])
    # every bin gathered at the size of the largest bin, the surplus masked to -inf:
    # (N, C, o1, k1, o2, k2, ...)
    idx, mask = [], np.ones((), bool)
    for n, o in zip(spatial, sizes):
        lo, hi = _bins(n, o)
        kmax = int((hi - lo).max())
        pos = lo[:, None] + np.arange(kmax)[None, :]
        idx.append(np.minimum(pos, n - 1))
        mask = np.multiply.outer(mask, pos < hi[:, None])
    grid = np.ix_(*[i.reshape(-1) for i in idx])
    flat = np.ravel_multi_index(tuple(np.broadcast_arrays(*grid)), spatial)   # (o1*k1, o2*k2 ..)
    shape = tuple(v for i in idx for v in i.shape)
    flat = flat.reshape(shape)
    xf = S.reshape(x, tuple(x.shape[:2]) + (math.prod(spatial),))
    g = xf[:, :, fnp.asarray(flat, device=x.device)]
    perm = tuple(range(2 + 2 * nd))
    neg = fnp.asarray(np.where(mask.reshape(shape), 0.0, -np.inf).astype(np.dtype(x.dtype)),
                      device=x.device)
    g = g + neg
    # (N, C, o1, k1, o2, k2) -> (N, C, o1, o2, k1, k2) -> (N, C, o1, o2, K)
    order = (0, 1) + tuple(2 + 2 * i for i in range(nd)) + tuple(3 + 2 * i for i in range(nd))
    g = S.transpose(g, order) if order != perm else g
    g = S.reshape(g, tuple(x.shape[:2]) + tuple(sizes) + (-1,))
    if isinstance(g, Tensor):
        out, am = g.max(-1)                 # PyTorch's max: the first maximum's index
    else:
        out, am = fnp.max(g, axis=-1), fnp.argmax(g, axis=-1)
    out = name_node(_unbatch(out, unbatched), f"AdaptiveMaxPool{nd}DBackward0")
    if not return_indices:
        return out
    # the flat input position of tap ``am`` of each bin
    k = g.shape[-1]
    table = np.transpose(flat, tuple(o - 2 for o in order[2:])).reshape(-1)
    first = np.arange(math.prod(sizes), dtype=np.int64).reshape(tuple(sizes)) * k
    pick = fnp.asarray(first, device=x.device) + (am.detach() if isinstance(am, Tensor) else am)
    table = (_creation.as_tensor(table, device=x.device) if isinstance(pick, Tensor)
             else fnp.asarray(table, device=x.device))
    idx = table[pick]
    return out, _unbatch(idx, unbatched)


def adaptive_max_pool1d(input, output_size, return_indices=False):
    """Maximum over PyTorch's adaptive bins (``torch.nn.functional.adaptive_max_pool1d``).

    >>> import fgrad
    >>> adaptive_max_pool1d(fgrad.tensor([[[1.0, 3.0, 2.0]]]), 2)
    tensor([[[3., 3.]]])
    """
    return _adaptive_max(input, output_size, return_indices, 1)


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """Maximum over PyTorch's adaptive bins (``torch.nn.functional.adaptive_max_pool2d``).

    >>> import fgrad
    >>> adaptive_max_pool2d(fgrad.arange(16.0).reshape(1, 1, 4, 4), 1)
    tensor([[[[15.]]]])
    """
    return _adaptive_max(input, output_size, return_indices, 2)


# ============================================================== unfold / fold ===
def _one_hot_kernel(c, k, like):
    """``(c * K, 1, *k)``: output channel ``(ch, tap)`` picks tap ``tap`` of channel ``ch``."""
    taps = math.prod(k)
    eye = np.eye(taps, dtype=np.dtype(like.dtype)).reshape((taps, 1) + k)
    return fnp.asarray(np.tile(eye, (c,) + (1,) * (1 + len(k))), device=like.device)


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding blocks as columns, ``(N, C, H, W) -> (N, C * kh * kw, L)``
    (``torch.nn.functional.unfold``; a depthwise convolution with one-hot kernels).

    >>> import fgrad
    >>> unfold(fgrad.arange(9.0).reshape(1, 1, 3, 3), 2)[0, :, 0]
    tensor([0., 1., 3., 4.])
    """
    x, unbatched = _batched(_as_input(input), 2, "unfold")
    k, d = _ntuple(kernel_size, 2, "kernel_size"), _ntuple(dilation, 2, "dilation")
    p, s = _ntuple(padding, 2, "padding"), _ntuple(stride, 2, "stride")
    c = x.shape[1]
    out = P.conv(x, _one_hot_kernel(c, k, x), s, tuple((pi, pi) for pi in p), (1, 1), d, c)
    out = S.reshape(out, tuple(out.shape[:2]) + (-1,))
    return name_node(_unbatch(out, unbatched), "Im2ColBackward0")


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Columns back to an image, summing overlaps (``torch.nn.functional.fold``, the
    transpose of ``unfold``).

    >>> import fgrad
    >>> x = fgrad.ones(1, 1, 3, 3)
    >>> fold(unfold(x, 2), (3, 3), 2)[0, 0]
    tensor([[1., 2., 1.],
            [2., 4., 2.],
            [1., 2., 1.]])
    """
    y = _as_input(input)
    if y.ndim not in (2, 3):
        raise RuntimeError(f"Expected 2D (unbatched) or 3D (batched) input to fold, but got "
                           f"input of size: {list(y.shape)}")
    unbatched = y.ndim == 2
    if unbatched:
        y = S.reshape(y, (1,) + tuple(y.shape))
    out_sz = _ntuple(output_size, 2, "output_size")
    k, d = _ntuple(kernel_size, 2, "kernel_size"), _ntuple(dilation, 2, "dilation")
    p, s = _ntuple(padding, 2, "padding"), _ntuple(stride, 2, "stride")
    taps = math.prod(k)
    if y.shape[1] % taps:
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product "
                           f"of kernel_size, but got input.size(1)={y.shape[1]} and "
                           f"kernel_size={k}")
    c = y.shape[1] // taps
    blocks = tuple((n + 2 * pi - (di * (ki - 1) + 1)) // si + 1
                   for n, pi, di, ki, si in zip(out_sz, p, d, k, s))
    if math.prod(blocks) != y.shape[2]:
        raise RuntimeError(f"Given output_size={out_sz}, kernel_size={k}, dilation={d}, "
                           f"padding={p}, stride={s}, expected size of input's dimension 2 to "
                           f"match the calculated number of sliding blocks {blocks[0]} * "
                           f"{blocks[1]} = {math.prod(blocks)}, but got "
                           f"input.size(2)={y.shape[2]}.")
    y = S.reshape(y, (y.shape[0], y.shape[1]) + blocks)
    img = ShapedArray((y.shape[0], c) + out_sz, np.dtype(y.dtype), None)
    out = P._conv_vjp_lhs(y, None, img, _one_hot_kernel(c, k, y), window_strides=s,
                          padding=tuple((pi, pi) for pi in p), lhs_dilation=(1, 1),
                          rhs_dilation=d, feature_group_count=c)
    return name_node(_unbatch(out, unbatched), "Col2ImBackward0")


# ======================================================================== pad ===
_PAD_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def pad(input, pad, mode: str = "constant", value=None):
    """Pad the last ``len(pad) // 2`` dimensions, last dimension first
    (``torch.nn.functional.pad``): ``'constant'`` (negative amounts crop), ``'reflect'``,
    ``'replicate'`` or ``'circular'``.

    >>> import fgrad
    >>> pad(fgrad.tensor([[1.0, 2.0, 3.0]]), (1, 2), mode="reflect")
    tensor([[2., 1., 2., 3., 2., 1.]])
    """
    x = _as_input(input)
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2 or len(pad) // 2 > x.ndim:
        raise RuntimeError(f"Padding length must be divisible by 2 and at most twice the number "
                           f"of dimensions of the input, got {len(pad)} for {x.ndim} dimensions")
    m = len(pad) // 2
    pairs = [(0, 0)] * (x.ndim - m) + [(pad[2 * i], pad[2 * i + 1]) for i in reversed(range(m))]
    if mode == "constant":
        if any(lo < 0 or hi < 0 for lo, hi in pairs):
            x = S.slice_nd(x, tuple(slice(max(0, -lo), n - max(0, -hi))
                                    for (lo, hi), n in zip(pairs, x.shape)))
        out = S.pad(x, 0.0 if value is None else value,
                    tuple((max(lo, 0), max(hi, 0), 0) for lo, hi in pairs))
        return name_node(out, "ConstantPadNdBackward0")
    if mode not in _PAD_MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if m > 3 or x.ndim not in (m + 1, m + 2):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {x.ndim}D input tensor.")
    if mode == "reflect":
        for (lo, hi), n in zip(pairs, x.shape):
            if lo >= n or hi >= n:
                raise RuntimeError(f"Argument #4: Padding size should be less than the "
                                   f"corresponding input dimension, but got: padding ({lo}, "
                                   f"{hi}) at dimension of input {list(x.shape)}")
    out = fnp.pad(x, pairs, mode=_PAD_MODES[mode])
    names = {"reflect": f"ReflectionPad{m}DBackward0", "replicate": f"ReplicationPad{m}DBackward0",
             "circular": "CopySlices"}
    return name_node(out, names[mode])
