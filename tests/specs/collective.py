"""Spec rows for ``fgrad/primitives/collective.py``, in a world of one process.

On ``fgrad.distributed.local_group()`` every collective is the identity (or a
new leading axis of length 1 for ``all_gather``), which is what the checker can
compare against NumPy; it still runs every rule (JVP, VJP, second order, vmap).
The values and derivatives on 2 and 3 processes are checked under ``mpiexec``
by ``tests/test_distributed.py`` (``tests/distributed/collectives.py``).
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import fgrad.distributed as dist
from tests.checker import floats, ints, shapes
from tests.specs import Spec

G = dist.local_group()


def _one(strategy):
    return lambda: st.tuples(strategy)


SPECS = [
    *[Spec("process_all_reduce", (lambda x, op=op: dist.all_reduce(x, op=op, group=G)),
           _one(floats(shapes())), lambda x: x, id=op)
      for op in ("sum", "mean", "max", "min", "prod")],
    Spec("process_all_reduce", lambda x: dist.all_reduce(x, op="bor", group=G),
         _one(ints(shapes())), lambda x: x, id="int_bor"),
    Spec("process_all_gather", lambda x: dist.all_gather(x, group=G), _one(floats(shapes())),
         lambda x: x[None]),
    Spec("process_all_gather", lambda x: dist.all_gather(x, group=G, tiled=True),
         _one(floats(shapes(min_dims=1))), lambda x: x, id="tiled"),
    *[Spec("process_reduce_scatter", (lambda x, op=op: dist.reduce_scatter(x, op=op, group=G)),
           _one(floats(shapes(min_dims=1))), lambda x: x, id=op) for op in ("sum", "mean")],
    Spec("process_broadcast", lambda x: dist.broadcast(x, 0, group=G), _one(floats(shapes())),
         lambda x: x),
]
