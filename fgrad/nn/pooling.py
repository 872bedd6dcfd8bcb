"""Pooling modules with PyTorch's names, arguments and printing: ``MaxPool1d MaxPool2d
MaxPool3d AvgPool1d AvgPool2d AvgPool3d AdaptiveAvgPool1d AdaptiveAvgPool2d
AdaptiveMaxPool1d AdaptiveMaxPool2d`` (each calls its ``fgrad.nn.functional`` function).

>>> import fgrad
>>> from fgrad import nn
>>> nn.MaxPool2d(2)
MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
>>> nn.MaxPool2d(2)(fgrad.ones(1, 1, 4, 4)).shape
fgrad.Size([1, 1, 2, 2])
"""
from __future__ import annotations

from . import _conv_functional as F
from .modules import Module

__all__ = ["MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d",
           "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d"]


class _MaxPoolNd(Module):
    _fn = None

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1,
                 return_indices: bool = False, ceil_mode: bool = False):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def forward(self, input):
        return type(self)._fn(input, self.kernel_size, self.stride, self.padding, self.dilation,
                              ceil_mode=self.ceil_mode, return_indices=self.return_indices)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool1d(_MaxPoolNd):
    """1-D max pooling (``torch.nn.MaxPool1d``).

    >>> MaxPool1d(2)
    MaxPool1d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
    """
    _fn = F.max_pool1d


class MaxPool2d(_MaxPoolNd):
    """2-D max pooling (``torch.nn.MaxPool2d``); the gradient goes to the first maximum.

    >>> MaxPool2d(3, stride=2, padding=1, ceil_mode=True)
    MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=True)
    """
    _fn = F.max_pool2d


class MaxPool3d(_MaxPoolNd):
    """3-D max pooling (``torch.nn.MaxPool3d``).

    >>> MaxPool3d(2)
    MaxPool3d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
    """
    _fn = F.max_pool3d


class _AvgPoolNd(Module):
    _nd = 2

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
                 count_include_pad: bool = True, divisor_override=None):
        super().__init__()
        if self._nd == 1:      # AvgPool1d keeps tuples, as PyTorch's _single does
            def one(v):
                return tuple(v) if isinstance(v, (tuple, list)) else (v,)
            kernel_size, padding = one(kernel_size), one(padding)
            stride = one(stride) if stride is not None else kernel_size
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def forward(self, input):
        return F._avg_pool(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                           self.count_include_pad, self.divisor_override, self._nd)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool1d(_AvgPoolNd):
    """1-D average pooling (``torch.nn.AvgPool1d``).

    >>> AvgPool1d(2)
    AvgPool1d(kernel_size=(2,), stride=(2,), padding=(0,))
    """
    _nd = 1

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
                 count_include_pad: bool = True):
        super().__init__(kernel_size, stride, padding, ceil_mode, count_include_pad)


class AvgPool2d(_AvgPoolNd):
    """2-D average pooling (``torch.nn.AvgPool2d``).

    >>> AvgPool2d(2)
    AvgPool2d(kernel_size=2, stride=2, padding=0)
    """
    _nd = 2


class AvgPool3d(_AvgPoolNd):
    """3-D average pooling (``torch.nn.AvgPool3d``).

    >>> AvgPool3d(2)
    AvgPool3d(kernel_size=2, stride=2, padding=0)
    """
    _nd = 3


class _AdaptivePool(Module):
    def __init__(self, output_size, return_indices: bool = False):
        super().__init__()
        self.output_size = output_size
        self.return_indices = return_indices

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptivePool):
    """Average over adaptive bins to ``output_size`` (``torch.nn.AdaptiveAvgPool1d``).

    >>> AdaptiveAvgPool1d(3)
    AdaptiveAvgPool1d(output_size=3)
    """

    def __init__(self, output_size):
        super().__init__(output_size)

    def forward(self, input):
        return F.adaptive_avg_pool1d(input, self.output_size)


class AdaptiveAvgPool2d(_AdaptivePool):
    """Average over adaptive bins to ``output_size`` (``torch.nn.AdaptiveAvgPool2d``).

    >>> import fgrad
    >>> AdaptiveAvgPool2d((1, 1))(fgrad.ones(2, 3, 5, 7)).shape
    fgrad.Size([2, 3, 1, 1])
    """

    def __init__(self, output_size):
        super().__init__(output_size)

    def forward(self, input):
        return F.adaptive_avg_pool2d(input, self.output_size)


class AdaptiveMaxPool1d(_AdaptivePool):
    """Maximum over adaptive bins (``torch.nn.AdaptiveMaxPool1d``).

    >>> AdaptiveMaxPool1d(2)
    AdaptiveMaxPool1d(output_size=2)
    """

    def forward(self, input):
        return F.adaptive_max_pool1d(input, self.output_size, self.return_indices)


class AdaptiveMaxPool2d(_AdaptivePool):
    """Maximum over adaptive bins (``torch.nn.AdaptiveMaxPool2d``).

    >>> AdaptiveMaxPool2d(3)
    AdaptiveMaxPool2d(output_size=3)
    """

    def forward(self, input):
        return F.adaptive_max_pool2d(input, self.output_size, self.return_indices)
