"""``jax.lax``'s convolutions and windowed reductions, on the primitives of
``fgrad/primitives/convolution.py``.

``conv_general_dilated`` transposes its operands to the primitive's canonical layout
(``NC...`` by ``OI...``) per the dimension numbers and the result back: the primitive
and all its rules see one layout. ``batch_group_count`` is a reshape into feature
groups. ``reduce_window`` takes JAX's ``lax.max``/``lax.add`` (or ``'max'``/``'sum'``,
or any callable whose name says max/add) as its computation.
"""
from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np

from .. import numpy as fnp
from ..primitives import convolution as P, shape as S, unary as U

__all__ = ["ConvDimensionNumbers", "conv_dimension_numbers", "conv_general_dilated", "conv",
           "conv_with_general_padding", "conv_transpose", "padtype_to_pads", "reduce_window"]


class ConvDimensionNumbers(NamedTuple):
    """Where each of ``(batch, feature, *spatial)`` sits in lhs and output, and
    ``(out feature, in feature, *spatial)`` in rhs (JAX's)."""
    lhs_spec: tuple
    rhs_spec: tuple
    out_spec: tuple


def conv_dimension_numbers(lhs_shape, rhs_shape, dimension_numbers) -> ConvDimensionNumbers:
    """JAX's ``lax.conv_dimension_numbers``: None (``NC...``/``OI...``), a
    ConvDimensionNumbers, or three strings such as ``('NHWC', 'HWIO', 'NHWC')``; the
    spatial dimensions are ordered as the rhs string names them.

    >>> conv_dimension_numbers((1, 5, 5, 3), (3, 3, 3, 8), ("NHWC", "HWIO", "NHWC"))
    ConvDimensionNumbers(lhs_spec=(0, 3, 1, 2), rhs_spec=(3, 2, 0, 1), out_spec=(0, 3, 1, 2))
    """
    nd = len(lhs_shape)
    if len(rhs_shape) != nd:
        raise TypeError(f"conv_general_dilated lhs and rhs must have the same rank, got "
                        f"{len(lhs_shape)} and {len(rhs_shape)}")
    if dimension_numbers is None:
        iota = tuple(range(nd))
        return ConvDimensionNumbers(iota, iota, iota)
    if isinstance(dimension_numbers, ConvDimensionNumbers):
        return dimension_numbers
    if len(dimension_numbers) != 3:
        raise TypeError(f"dimension_numbers must be a ConvDimensionNumbers or a triple of "
                        f"strings, got {dimension_numbers!r}")
    lhs, rhs, out = dimension_numbers
    if not all(isinstance(s, str) for s in (lhs, rhs, out)):
        return ConvDimensionNumbers(*(tuple(s) for s in dimension_numbers))
    for s, name in ((lhs, "lhs"), (rhs, "rhs"), (out, "out")):
        if len(s) != nd or len(set(s)) != nd:
            raise TypeError(f"conv_general_dilated: {name} spec {s!r} must name {nd} distinct "
                            "dimensions")
    if set(lhs) - {"N", "C"} != set(rhs) - {"O", "I"} or set(out) != set(lhs):
        raise TypeError(f"conv_general_dilated: dimension numbers {dimension_numbers!r} name "
                        "different spatial dimensions")
    spatial = [c for c in rhs if c not in "OI"]

    def perm(spec, first, second):
        return (spec.index(first), spec.index(second)) + tuple(spec.index(c) for c in spatial)
    return ConvDimensionNumbers(perm(lhs, "N", "C"), perm(rhs, "O", "I"), perm(out, "N", "C"))


def padtype_to_pads(in_shape, window_shape, window_strides, padding) -> list:
    """``'SAME'``/``'SAME_LOWER'``/``'VALID'`` as (lo, hi) pairs, or pairs as they are.

    >>> padtype_to_pads((5,), (3,), (2,), "SAME")
    [(1, 1)]
    """
    if isinstance(padding, str):
        mode = padding.upper()
        if mode == "VALID":
            return [(0, 0)] * len(in_shape)
        if mode in ("SAME", "SAME_LOWER"):
            pads = []
            for n, k, s in zip(in_shape, window_shape, window_strides):
                out = -(-n // s)
                total = max(0, (out - 1) * s + k - n)
                lo = total // 2 if mode == "SAME" else total - total // 2
                pads.append((lo, total - lo))
            return pads
        raise TypeError(f"Unknown padding type: {padding}.")
    pads = [tuple(p) for p in padding]
    if len(pads) != len(in_shape) or any(len(p) != 2 for p in pads):
        raise TypeError(f"padding {padding!r}: needs one (low, high) pair per spatial "
                        f"dimension ({len(in_shape)})")
    return [(int(lo), int(hi)) for lo, hi in pads]


def _inverse(perm):
    return tuple(int(i) for i in np.argsort(perm))


def conv_general_dilated(lhs, rhs, window_strides: Sequence[int], padding,
                         lhs_dilation=None, rhs_dilation=None, dimension_numbers=None,
                         feature_group_count: int = 1, batch_group_count: int = 1,
                         precision=None, preferred_element_type=None):
    """General n-d convolution with strides, padding, dilations, feature and batch groups
    and dimension numbers, as ``jax.lax.conv_general_dilated`` (a cross-correlation:
    the kernel is not flipped). ``precision`` is accepted and ignored.

    >>> import fgrad.numpy as fnp
    >>> x = fnp.arange(5.0).reshape(1, 1, 5)
    >>> conv_general_dilated(x, fnp.ones((1, 1, 2)), (1,), "VALID").tolist()
    [[[1.0, 3.0, 5.0, 7.0]]]
    """
    lhs, rhs = fnp.asarray(lhs), fnp.asarray(rhs)
    dn = conv_dimension_numbers(lhs.shape, rhs.shape, dimension_numbers)
    nd = lhs.ndim - 2
    if nd < 0:
        raise TypeError(f"conv_general_dilated: operands of rank {lhs.ndim}; need at least 2")
    lhs_dilation = (1,) * nd if lhs_dilation is None else tuple(lhs_dilation)
    rhs_dilation = (1,) * nd if rhs_dilation is None else tuple(rhs_dilation)
    window_strides = tuple(window_strides)
    if len(window_strides) != nd:
        raise TypeError(f"conv_general_dilated: window_strides {window_strides} needs {nd} "
                        "entries, one per spatial dimension")
    lhs_c = S.transpose(lhs, tuple(dn.lhs_spec)) if tuple(dn.lhs_spec) != tuple(range(lhs.ndim)) else lhs
    rhs_c = S.transpose(rhs, tuple(dn.rhs_spec)) if tuple(dn.rhs_spec) != tuple(range(rhs.ndim)) else rhs
    if isinstance(padding, str):
        if any(d != 1 for d in lhs_dilation):
            raise ValueError("String padding is not implemented for transposed convolution "
                             "using this op. Please either exactly specify the required "
                             "padding or use conv_transpose.")
        window = [P._dilate(k, d) for k, d in zip(rhs_c.shape[2:], rhs_dilation)]
        padding = padtype_to_pads(lhs_c.shape[2:], window, window_strides, padding)
    else:
        padding = padtype_to_pads(lhs_c.shape[2:], None, None, padding)
    groups = int(feature_group_count)
    if batch_group_count != 1:
        b = int(batch_group_count)
        if groups != 1:
            raise ValueError("At most one of feature_group_count and batch_group_count may be > 1")
        n, c = lhs_c.shape[:2]
        if n % b or rhs_c.shape[0] % b:
            raise ValueError(f"conv_general_dilated: batch_group_count {b} must divide the lhs "
                             f"batch size {n} and the rhs output feature size {rhs_c.shape[0]}")
        # (B, N/B, C, ...) -> (N/B, B*C, ...): batch groups become feature groups
        rest = tuple(lhs_c.shape[2:])
        x = S.reshape(lhs_c, (b, n // b, c) + rest)
        lhs_c = S.reshape(S.transpose(x, (1, 0, 2) + tuple(range(3, 3 + nd))), (n // b, b * c) + rest)
        groups = b
    out = P.conv(lhs_c, rhs_c, window_strides, padding, lhs_dilation, rhs_dilation, groups)
    if preferred_element_type is not None and out.dtype != np.dtype(preferred_element_type):
        out = U.convert(out, np.dtype(preferred_element_type))
    inv = _inverse(dn.out_spec)
    return S.transpose(out, inv) if inv != tuple(range(out.ndim)) else out


def conv(lhs, rhs, window_strides: Sequence[int], padding, precision=None,
         preferred_element_type=None):
    """``conv_general_dilated`` without dilations, ``NC...`` by ``OI...`` (JAX's ``lax.conv``).

    >>> import fgrad.numpy as fnp
    >>> conv(fnp.ones((1, 1, 3, 3)), fnp.ones((2, 1, 2, 2)), (1, 1), "SAME").shape
    (1, 2, 3, 3)
    """
    return conv_general_dilated(lhs, rhs, window_strides, padding,
                                preferred_element_type=preferred_element_type)


def conv_with_general_padding(lhs, rhs, window_strides, padding, lhs_dilation, rhs_dilation,
                              precision=None, preferred_element_type=None):
    """``conv_general_dilated`` in ``NC...``/``OI...`` layout (JAX's).

    >>> import fgrad.numpy as fnp
    >>> conv_with_general_padding(fnp.ones((1, 1, 3)), fnp.ones((1, 1, 2)), (1,), [(1, 1)],
    ...                           (1,), (1,)).tolist()
    [[[1.0, 2.0, 2.0, 1.0]]]
    """
    return conv_general_dilated(lhs, rhs, window_strides, padding, lhs_dilation, rhs_dilation,
                                preferred_element_type=preferred_element_type)


def conv_transpose(lhs, rhs, strides, padding, rhs_dilation=None, dimension_numbers=None,
                   transpose_kernel: bool = False, precision=None, preferred_element_type=None):
    """The gradient-of-convolution convolution (JAX's ``lax.conv_transpose``): ``lhs``
    dilated by ``strides``; ``padding`` 'SAME'/'VALID' or pairs; with
    ``transpose_kernel`` the kernel is flipped and its in/out features swapped.

    >>> import fgrad.numpy as fnp
    >>> conv_transpose(fnp.ones((1, 1, 2)), fnp.ones((1, 1, 2)), (2,), "VALID",
    ...                dimension_numbers=("NCH", "OIH", "NCH")).tolist()
    [[[1.0, 1.0, 1.0, 1.0]]]
    """
    lhs, rhs = fnp.asarray(lhs), fnp.asarray(rhs)
    nd = lhs.ndim - 2
    if dimension_numbers is None and 0 <= nd <= 3:      # TensorFlow's layout, as JAX
        dimension_numbers = (("NC", "IO", "NC"), ("NHC", "HIO", "NHC"),
                             ("NHWC", "HWIO", "NHWC"), ("NHWDC", "HWDIO", "NHWDC"))[nd]
    dn = conv_dimension_numbers(lhs.shape, rhs.shape, dimension_numbers)
    rhs_dilation = (1,) * nd if rhs_dilation is None else tuple(rhs_dilation)
    k_sdims = [rhs.shape[i] for i in dn.rhs_spec[2:]]
    k_eff = [P._dilate(k, d) for k, d in zip(k_sdims, rhs_dilation)]
    if isinstance(padding, str):
        pads = [_conv_transpose_padding(k, s, padding) for k, s in zip(k_eff, strides)]
    else:
        pads = padtype_to_pads([0] * nd, None, None, padding)
    if transpose_kernel:
        rhs = fnp.flip(rhs, tuple(dn.rhs_spec[2:]))
        o, i = dn.rhs_spec[:2]
        dn = ConvDimensionNumbers(dn.lhs_spec, (i, o) + tuple(dn.rhs_spec[2:]), dn.out_spec)
    return conv_general_dilated(lhs, rhs, (1,) * nd, pads, lhs_dilation=tuple(strides),
                                rhs_dilation=rhs_dilation, dimension_numbers=dn,
                                preferred_element_type=preferred_element_type)


def _conv_transpose_padding(k, s, padding):
    """JAX's padding of a transposed convolution for 'SAME'/'VALID'."""
    mode = padding.upper()
    if mode == "SAME":
        pad_len = k + s - 2
        pad_a = k - 1 if s > k - 1 else -(-pad_len // 2)
    elif mode == "VALID":
        pad_len = k + s - 2 + max(k - s, 0)
        pad_a = k - 1
    else:
        raise ValueError("Padding mode must be `SAME` or `VALID`.")
    return pad_a, pad_len - pad_a


def _computation_name(computation) -> str:
    if isinstance(computation, str):
        name = computation.lower()
    else:
        name = getattr(computation, "__name__", "").lower()
    if name in ("max", "maximum", "sum", "add"):
        return "max" if name.startswith("max") else "sum"
    raise NotImplementedError(f"reduce_window: computation {computation!r} is not supported "
                              "(max and add/sum are)")


def reduce_window(operand, init_value, computation, window_dimensions: Sequence[int],
                  window_strides: Sequence[int], padding, base_dilation=None,
                  window_dilation=None):
    """A reduction over every window of ``operand`` (JAX's ``lax.reduce_window``) for
    ``computation`` max (``lax.max``, ``fnp.maximum`` or ``'max'``) with ``init_value``
    -inf, or add/sum with ``init_value`` 0. The gradient of max goes to the first
    maximal element of each window. ``base_dilation`` must be None or all ones.

    >>> import fgrad.numpy as fnp
    >>> reduce_window(fnp.arange(5.0), -fnp.inf, "max", (2,), (2,), "VALID").tolist()
    [1.0, 3.0]
    """
    x = fnp.asarray(operand)
    kind = _computation_name(computation)
    if base_dilation is not None and any(d != 1 for d in base_dilation):
        raise NotImplementedError("reduce_window: base_dilation other than 1 is not supported")
    window_dimensions = tuple(int(k) for k in window_dimensions)
    window_strides = tuple(int(s) for s in window_strides)
    wd = (1,) * x.ndim if window_dilation is None else tuple(window_dilation)
    if isinstance(padding, str):
        padding = padtype_to_pads(x.shape, [P._dilate(k, d) for k, d in zip(window_dimensions, wd)],
                                  window_strides, padding)
    else:
        padding = padtype_to_pads(x.shape, None, None, padding)
    init = float(np.asarray(init_value))
    if kind == "max":
        if init != -np.inf and not (np.dtype(x.dtype).kind in "iub" and init <= np.iinfo(
                np.int64).min):
            raise NotImplementedError(f"reduce_window: max needs init_value -inf, got {init_value}")
        return P.window_max(x, window_dimensions, window_strides, padding, wd)
    out = P.window_sum(x, window_dimensions, window_strides, padding, wd)
    return out if init == 0 else out + init_value
