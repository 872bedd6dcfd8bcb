"""``fgrad.lax``: JAX's ``lax`` names -- structured control flow and selection.

Control flow (``cond switch while_loop fori_loop scan map associative_scan``) is made
of primitives whose parameters hold traced sub-programs, so every transform composes
with it; see ``fgrad/lax/control_flow.py``.
"""
from ..numpy import stop_gradient
from .control_flow import (associative_scan, cond, fori_loop, map, scan, select, switch,
                           while_loop)

__all__ = ["associative_scan", "cond", "fori_loop", "map", "scan", "select", "stop_gradient",
           "switch", "while_loop"]
