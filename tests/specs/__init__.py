"""The spec table: one ``Spec`` row (or more) per registered primitive.

Each family module (``tests/specs/unary.py``, ``binary.py``, ``reductions.py``,
``shape.py``, ``indexing.py``, ``contraction.py``, ``linalg.py`` ...) defines
``SPECS: list[Spec]``. ``tests/test_primitives.py`` runs the checker over every
row and fails if a registered primitive has no row (or a row names a primitive
that does not exist).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import importlib
import pkgutil


@dataclass
class Spec:
    prim: str
    """Registry name of the primitive this row exercises (``fgrad.primitives.REGISTRY``)."""

    fn: Callable
    """``fn(*arrays) -> Array`` (or a tuple of Arrays): applies the primitive, through its
    ``fgrad.numpy`` wrapper or ``prim.bind``, with every static parameter fixed."""

    args: Callable
    """``args() -> hypothesis strategy`` drawing a tuple of NumPy arrays (float64 for the
    differentiable ones) that ``fn`` accepts. Keep values in the op's domain."""

    ref: Callable | None = None
    """NumPy reference with ``fn``'s signature, for values; None only with a reason in ``note``."""

    diff_argnums: tuple | None = None
    """Arguments to differentiate; None means every floating-point argument."""

    nondiff: bool = False
    """The primitive's outputs carry no gradient (integer/boolean results, zero derivative):
    the checker asserts the gradient is zero instead of comparing with finite differences."""

    second_order: bool = True
    """Check that the rules differentiate again (grad of grad vs numerics)."""

    vmap: bool = True
    """Check vmap(fn) against a loop, batching each argument in turn and all together."""

    rtol: float = 1e-5
    atol: float = 1e-6
    fd_eps: float = 1e-6
    note: str = ""
    id: str = ""
    """Distinguishes several rows of one primitive in test ids."""


def all_specs() -> list[Spec]:
    """Every row of every family module in this package."""
    import tests.specs as pkg
    out = []
    for info in pkgutil.iter_modules(pkg.__path__):
        mod = importlib.import_module(f"tests.specs.{info.name}")
        out.extend(getattr(mod, "SPECS", []))
    return out
