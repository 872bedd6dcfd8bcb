"""Spec rows for ``fgrad/primitives/shape.py``: every op is linear; shapes come from Hypothesis."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import fgrad.numpy as fnp
from fgrad.primitives import shape as S
from tests.checker import bools, floats, ints, shapes
from tests.specs import Spec


def _one(strategy):
    return lambda: st.tuples(strategy)


def _np_pad_interior(x, v, config):
    """NumPy reference for pad with interior padding: scatter into a filled array."""
    shape = tuple(lo + hi + d + max(d - 1, 0) * it for d, (lo, hi, it) in zip(x.shape, config))
    out = np.full(shape, v, dtype=np.result_type(x, v))
    out[tuple(slice(lo, lo + d + max(d - 1, 0) * it, it + 1)
              for d, (lo, hi, it) in zip(x.shape, config))] = x
    return out


_SLICES = [
    ("step2", lambda nd: (slice(1, None, 2),) * nd),
    ("reverse", lambda nd: (slice(None, None, -1),) * nd),
    ("neg_step2", lambda nd: (slice(-1, 0, -2),) + (slice(None),) * (nd - 1)),
    ("mixed", lambda nd: (slice(None, -1), slice(None, None, -3), slice(2, 0, -1))[:nd]),
]


def _concat_args(n, axis, dtypes=("f", "f", "f")):
    def draw(shape):
        def at(k, size):
            s = list(shape)
            s[axis] = size
            return tuple(s)
        return st.lists(st.integers(0, 3), min_size=n, max_size=n).flatmap(
            lambda sizes: st.tuples(*[(floats if dtypes[k] == "f" else ints)(at(k, sizes[k]))
                                      for k in range(n)]))
    return lambda: shapes(min_dims=axis + 1 if axis >= 0 else -axis, max_side=3).flatmap(draw)


def _shape_with_ones():
    """A shape and a broadcast target that expands its unit axes and adds leading axes."""
    return shapes(max_dims=3, max_side=3).flatmap(
        lambda s: st.tuples(st.lists(st.booleans(), min_size=len(s), max_size=len(s)),
                            st.integers(0, 2)).map(
            lambda flags_lead: (tuple(1 if f else d for f, d in zip(flags_lead[0], s)),
                                (2,) * flags_lead[1] + s)))


SPECS = [
    Spec("reshape", lambda x: fnp.reshape(x, x.shape[::-1]), _one(floats(shapes())),
         lambda x: np.reshape(x, x.shape[::-1]), id="reversed_shape"),
    Spec("reshape", lambda x: fnp.reshape(x, (-1,)), _one(floats(shapes(min_dims=2))),
         lambda x: np.reshape(x, (-1,)), id="flatten"),
    Spec("reshape", lambda x: fnp.reshape(x, (1, -1, 1)), _one(ints(shapes())),
         lambda x: np.reshape(x, (1, -1, 1)), id="int_unit_axes"),
    Spec("transpose", fnp.transpose, _one(floats(shapes(min_dims=2))), np.transpose,
         id="reverse"),
    Spec("transpose", lambda x: fnp.transpose(x, (1, 2, 0)), _one(floats(shapes(3, 3))),
         lambda x: np.transpose(x, (1, 2, 0)), id="perm"),
    Spec("transpose", lambda x: fnp.moveaxis(x, 0, -1), _one(bools(shapes(min_dims=2))),
         lambda x: np.moveaxis(x, 0, -1), id="bool_moveaxis"),
    Spec("broadcast_to", lambda x: fnp.broadcast_to(x, (2,) + x.shape), _one(floats(shapes())),
         lambda x: np.broadcast_to(x, (2,) + x.shape), id="leading"),
    Spec("broadcast_to", lambda x: fnp.broadcast_to(x, tuple(3 if d == 1 else d for d in x.shape)),
         _one(floats(shapes(min_side=1, max_side=2))),
         lambda x: np.broadcast_to(x, tuple(3 if d == 1 else d for d in x.shape)),
         id="unit_axes"),
    *[Spec("slice", (lambda x, m=m: S.slice_nd(x, m(x.ndim))), _one(floats(shapes(min_dims=1))),
           (lambda x, m=m: x[m(x.ndim)]), id=i) for i, m in _SLICES],
    Spec("slice", lambda x: S.slice_p.bind(x, starts=(0,) * x.ndim, stops=x.shape,
                                           steps=(3,) * x.ndim),
         _one(ints(shapes())), lambda x: x[(slice(None, None, 3),) * x.ndim], id="int_bind"),
    Spec("slice", lambda x: S.slice_nd(x, (slice(2, 1),)), _one(floats(shapes(min_dims=1))),
         lambda x: x[2:1], id="empty"),
    Spec("pad", lambda x: fnp.pad(x, 1), _one(floats(shapes())), lambda x: np.pad(x, 1),
         id="constant"),
    Spec("pad", lambda x, v: S.pad(x, v, [(1, 2, 1)] * x.ndim),
         lambda: st.tuples(floats(shapes(max_side=3)), floats(())),
         lambda x, v: _np_pad_interior(x, v, [(1, 2, 1)] * x.ndim), id="interior_value"),
    Spec("pad", lambda x: S.pad(x, 0.5, [(0, 1, 2)] + [(2, 0, 0)] * (x.ndim - 1)),
         _one(floats(shapes(min_dims=1, max_side=3))),
         lambda x: _np_pad_interior(x, 0.5, [(0, 1, 2)] + [(2, 0, 0)] * (x.ndim - 1)),
         id="interior_scalar"),
    Spec("pad", lambda x: fnp.pad(x, ((1, 0),) * x.ndim, constant_values=7),
         _one(ints(shapes(min_dims=1))), lambda x: np.pad(x, ((1, 0),) * x.ndim, constant_values=7),
         id="int"),
    Spec("concatenate", lambda x, y: fnp.concatenate([x, y], axis=0), _concat_args(2, 0),
         lambda x, y: np.concatenate([x, y], axis=0), id="axis0"),
    Spec("concatenate", lambda x, y, z: fnp.concatenate([x, y, z], axis=-1),
         _concat_args(3, -1), lambda x, y, z: np.concatenate([x, y, z], axis=-1),
         id="three_last_axis"),
    Spec("concatenate", lambda x, y: fnp.concatenate([x, y], axis=1),
         _concat_args(2, 1, ("f", "i")), lambda x, y: np.concatenate([x, y], axis=1),
         id="float_int"),
    Spec("concatenate", lambda x, y: fnp.stack([x, y], axis=-1),
         lambda: shapes().flatmap(lambda s: st.tuples(floats(s), floats(s))),
         lambda x, y: np.stack([x, y], axis=-1), id="stack"),
    Spec("flip", lambda x: fnp.flip(x), _one(floats(shapes())), np.flip, id="all"),
    Spec("flip", lambda x: fnp.flip(x, -1), _one(floats(shapes(min_dims=1))),
         lambda x: np.flip(x, -1), id="last"),
    Spec("flip", lambda x: fnp.flip(x, (0, 2)), _one(ints(shapes(min_dims=3))),
         lambda x: np.flip(x, (0, 2)), id="int_tuple"),
]
