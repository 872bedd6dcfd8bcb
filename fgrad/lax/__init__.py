"""``fgrad.lax``: JAX's ``lax`` names -- structured control flow and selection.

Control flow (``cond switch while_loop fori_loop scan map associative_scan``) is made
of primitives whose parameters hold traced sub-programs, so every transform composes
with it; see ``fgrad/lax/control_flow.py``. Collectives (``psum pmean pmax all_gather
psum_scatter axis_index``) work over a ``vmap(..., axis_name=...)`` axis.
"""
from ..numpy import stop_gradient
from .collectives import all_gather, axis_index, pmax, pmean, psum, psum_scatter
from .control_flow import (associative_scan, cond, fori_loop, map, scan, select, switch,
                           while_loop)

__all__ = ["all_gather", "associative_scan", "axis_index", "cond", "fori_loop", "map", "pmax",
           "pmean", "psum", "psum_scatter", "scan", "select", "stop_gradient", "switch",
           "while_loop"]
