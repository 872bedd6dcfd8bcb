"""``fgrad.lax``: JAX's ``lax`` names (convolutions and windowed reductions here).

>>> import fgrad.numpy as fnp
>>> from fgrad import lax
>>> lax.conv(fnp.ones((1, 1, 4)), fnp.ones((1, 1, 2)), (1,), "VALID").tolist()
[[[2.0, 2.0, 2.0]]]
"""
from .convolution import (ConvDimensionNumbers, conv_dimension_numbers,  # noqa: F401
                          conv_general_dilated, conv, conv_with_general_padding,
                          conv_transpose, padtype_to_pads, reduce_window)
