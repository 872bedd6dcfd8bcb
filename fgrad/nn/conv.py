"""Convolution modules with PyTorch's names, arguments, defaults and printing:
``Conv1d Conv2d Conv3d ConvTranspose1d ConvTranspose2d ConvTranspose3d``.

Weights start as PyTorch's do: ``kaiming_uniform_(a=sqrt(5))``, i.e. uniform on
``[-1/sqrt(fan_in), 1/sqrt(fan_in)]`` with ``fan_in = weight.shape[1] * prod(kernel)``,
and the bias uniform on the same bound; drawn from fgrad's global generator.
``padding_mode`` other than ``'zeros'`` pads the input with ``F.pad`` first.

>>> import fgrad
>>> from fgrad import nn
>>> nn.Conv2d(1, 8, 3, padding=1)
Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
>>> nn.Conv2d(1, 8, 3, padding=1)(fgrad.ones(2, 1, 5, 5)).shape
fgrad.Size([2, 8, 5, 5])
"""
from __future__ import annotations

import math

from ..facade import creation as _creation, grad_mode as _grad_mode
from . import _conv_functional as F
from .modules import Module, Parameter

__all__ = ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d",
           "ConvTranspose3d"]

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _tuple(v, n):
    return tuple(v) if isinstance(v, (tuple, list)) else (v,) * n


class _ConvNd(Module):
    _nd = 2
    transposed = False

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 dilation=1, groups=1, bias=True, padding_mode="zeros", device=None,
                 dtype=None, output_padding=0):
        super().__init__()
        nd = self._nd
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"Invalid padding string {padding!r}, should be one of "
                                 "{'valid', 'same'}")
            if padding == "same" and any(s != 1 for s in _tuple(stride, nd)):
                raise ValueError("padding='same' is not supported for strided convolutions")
        if padding_mode not in _PADDING_MODES:
            raise ValueError("padding_mode must be one of {'replicate', 'zeros', 'reflect', "
                             f"'circular'}}, but got padding_mode='{padding_mode}'")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = _tuple(kernel_size, nd)
        self.stride = _tuple(stride, nd)
        self.padding = padding if isinstance(padding, str) else _tuple(padding, nd)
        self.dilation = _tuple(dilation, nd)
        self.output_padding = _tuple(output_padding, nd)
        self.groups = groups
        self.padding_mode = padding_mode
        if self.transposed:
            shape = (in_channels, out_channels // groups) + self.kernel_size
        else:
            shape = (out_channels, in_channels // groups) + self.kernel_size
        self.weight = Parameter(_creation.empty(shape, device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(_creation.empty(out_channels, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """PyTorch's: kaiming_uniform_(a=sqrt(5)) on the weight, the same bound on the bias."""
        fan_in = self.weight.shape[1] * math.prod(self.kernel_size)
        bound = 1.0 / math.sqrt(fan_in) if fan_in > 0 else 0.0
        with _grad_mode.no_grad():
            self.weight.uniform_(-bound, bound)
            if self.bias is not None:
                self.bias.uniform_(-bound, bound)

    def _padded_input(self, input):
        """The input padded by ``padding_mode`` (then the convolution pads nothing), and
        the padding left for the convolution."""
        if self.padding_mode == "zeros":
            return input, self.padding
        nd = self._nd
        if isinstance(self.padding, str):
            if self.padding == "valid":
                return input, 0
            total = [d * (k - 1) for k, d in zip(self.kernel_size, self.dilation)]
            pairs = [(t // 2, t - t // 2) for t in total]
        else:
            pairs = [(p, p) for p in self.padding]
        flat = tuple(v for lo_hi in reversed(pairs) for v in lo_hi)   # last dimension first
        return F.pad(input, flat, mode=self.padding_mode), (0,) * nd

    def extra_repr(self) -> str:
        nd = self._nd
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if isinstance(self.padding, str) or self.padding != (0,) * nd:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * nd:
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * nd:
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


class _Conv(_ConvNd):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 dilation=1, groups=1, bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, device, dtype)

    def forward(self, input):
        x, padding = self._padded_input(input)
        return F._conv(x, self.weight, self.bias, self.stride, padding, self.dilation,
                       self.groups, self._nd)


class Conv1d(_Conv):
    """1-D convolution over ``(N, C_in, L)`` (``torch.nn.Conv1d``).

    >>> Conv1d(2, 3, 4)
    Conv1d(2, 3, kernel_size=(4,), stride=(1,))
    """
    _nd = 1


class Conv2d(_Conv):
    """2-D convolution over ``(N, C_in, H, W)`` (``torch.nn.Conv2d``): ``stride``,
    ``padding`` (ints, ``'same'``, ``'valid'``), ``dilation``, ``groups``, ``bias``,
    ``padding_mode`` zeros/reflect/replicate/circular.

    >>> Conv2d(1, 8, 3, padding="same", bias=False, padding_mode="reflect")
    Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=same, bias=False, padding_mode=reflect)
    """
    _nd = 2


class Conv3d(_Conv):
    """3-D convolution over ``(N, C_in, D, H, W)`` (``torch.nn.Conv3d``).

    >>> Conv3d(1, 2, 3).weight.shape
    fgrad.Size([2, 1, 3, 3, 3])
    """
    _nd = 3


class _ConvTranspose(_ConvNd):
    transposed = True

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 output_padding=0, groups=1, bias=True, dilation=1, padding_mode="zeros",
                 device=None, dtype=None):
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for {type(self).__name__}')
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, device, dtype, output_padding)

    def forward(self, input, output_size=None):
        output_padding = self.output_padding
        if output_size is not None:
            nd = self._nd
            want = tuple(output_size)[-nd:]
            x_sp = tuple(input.shape)[-nd:]
            least = tuple((n - 1) * s - 2 * p + d * (k - 1) + 1 for n, s, p, d, k in zip(
                x_sp, self.stride, self.padding, self.dilation, self.kernel_size))
            output_padding = tuple(w - m for w, m in zip(want, least))
            for op, s, w, m in zip(output_padding, self.stride, want, least):
                if not 0 <= op < s:
                    raise ValueError(f"requested an output size of {list(want)}, but valid sizes "
                                     f"range from {list(least)} to "
                                     f"{[m + s - 1 for m, s in zip(least, self.stride)]} "
                                     f"(for an input of {input.shape[-nd:]})")
        return F._conv_transpose(input, self.weight, self.bias, self.stride, self.padding,
                                 output_padding, self.groups, self.dilation, self._nd)


class ConvTranspose1d(_ConvTranspose):
    """Transposed 1-D convolution (``torch.nn.ConvTranspose1d``); weight ``(C_in, C_out/groups, k)``.

    >>> ConvTranspose1d(2, 4, 3, stride=2)
    ConvTranspose1d(2, 4, kernel_size=(3,), stride=(2,))
    """
    _nd = 1


class ConvTranspose2d(_ConvTranspose):
    """Transposed 2-D convolution (``torch.nn.ConvTranspose2d``).

    >>> ConvTranspose2d(2, 4, 3, stride=2, output_padding=1)
    ConvTranspose2d(2, 4, kernel_size=(3, 3), stride=(2, 2), output_padding=(1, 1))
    """
    _nd = 2


class ConvTranspose3d(_ConvTranspose):
    """Transposed 3-D convolution (``torch.nn.ConvTranspose3d``).

    >>> ConvTranspose3d(1, 2, 2).weight.shape
    fgrad.Size([1, 2, 2, 2, 2])
    """
    _nd = 3
