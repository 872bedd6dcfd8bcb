"""``fgrad.lax``: JAX's ``lax`` names -- structured control flow, collectives over named
vmap axes, convolutions and windowed reductions.

Control flow (``cond switch while_loop fori_loop scan map associative_scan``) is made
of primitives whose parameters hold traced sub-programs, so every transform composes
with it; see ``fgrad/lax/control_flow.py``. Collectives (``psum pmean pmax all_gather
psum_scatter axis_index``) work over a ``vmap(..., axis_name=...)`` axis. Convolutions
(``conv_general_dilated conv ... reduce_window``) are in ``fgrad/lax/convolution.py``.

>>> import fgrad.numpy as fnp
>>> from fgrad import lax
>>> lax.conv(fnp.ones((1, 1, 4)), fnp.ones((1, 1, 2)), (1,), "VALID").tolist()
[[[2.0, 2.0, 2.0]]]
"""
from ..numpy import stop_gradient
from .collectives import all_gather, axis_index, pmax, pmean, psum, psum_scatter
from .control_flow import (associative_scan, cond, fori_loop, map, scan, select, switch,
                           while_loop)
from .convolution import (ConvDimensionNumbers, conv_dimension_numbers, conv_general_dilated,
                          conv, conv_with_general_padding, conv_transpose, padtype_to_pads,
                          reduce_window)

__all__ = ["all_gather", "associative_scan", "axis_index", "cond", "fori_loop", "map", "pmax",
           "pmean", "psum", "psum_scatter", "scan", "select", "stop_gradient", "switch",
           "while_loop", "ConvDimensionNumbers", "conv_dimension_numbers",
           "conv_general_dilated", "conv", "conv_with_general_padding", "conv_transpose",
           "padtype_to_pads", "reduce_window"]
