"""Spec rows for ``fgrad/primitives/indexing.py``: gather and the scatter family.

Arguments are ``(x, idx)`` for gather and ``(x, idx, updates)`` for scatters, with
``idx`` of shape ``B + (k,)`` indexing the first ``k`` axes of ``x``. Index values
lie in ``[-m, m)`` with ``m`` the smallest indexed axis, so they stay valid when
the checker permutes an index array to build a vmap batch; they are drawn from a
small range so duplicates (accumulation, overwrite, ties of min/max) are common.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import fgrad.numpy as fnp
from fgrad.primitives import indexing as I
from tests.checker import floats, ints, shapes
from tests.specs import Spec


def _cols(idx):
    return tuple(idx[..., j] for j in range(idx.shape[-1]))


def _operand_and_indices(draw_updates: bool, zeros_in_updates: bool = False,
                         dtype=np.float64):
    """(x, idx) or (x, idx, updates) for one random k, B and operand shape."""
    @st.composite
    def draw(d):
        xshape = d(shapes(min_dims=1, max_dims=3, max_side=4))
        k = d(st.integers(1, len(xshape)))
        bshape = d(shapes(min_dims=0, max_dims=2, max_side=4))
        m = min(xshape[:k])
        x = d(floats(xshape, dtype=dtype)) if dtype == np.float64 else \
            d(ints(xshape, -9, 9, dtype))
        idx = d(ints(bshape + (k,), -m, m - 1))
        if not draw_updates:
            return x, idx
        vshape = bshape + tuple(xshape[k:])
        v = d(floats(vshape, dtype=dtype)) if dtype == np.float64 else d(ints(vshape, -9, 9, dtype))
        if zeros_in_updates:
            v = np.where(np.abs(v) < 0.7, 0.0, v)
        return x, idx, v
    return draw


def _ref_scatter(ufunc):
    def ref(x, idx, v):
        out = x.copy()
        ufunc.at(out, _cols(idx), v)
        return out
    return ref


def _ref_set(x, idx, v):
    out = x.copy()
    out[_cols(idx)] = v     # NumPy assigns in C order: the last duplicate wins
    return out


def _take_along_args():
    @st.composite
    def draw(d):
        xshape = d(shapes(min_dims=1, max_dims=3, max_side=4))
        axis = d(st.integers(0, len(xshape) - 1))
        ishape = list(xshape)
        ishape[axis] = d(st.integers(1, 5))
        n = min(xshape)   # stays valid when permuted across axes
        return d(floats(xshape)), d(ints(tuple(ishape), -n, n - 1)), np.int64(axis)
    return draw


def _index_expr_args():
    """x of rank 3 and two index arrays for ``x[i, :, j]`` (separated advanced indices)."""
    @st.composite
    def draw(d):
        xshape = d(shapes(min_dims=3, max_dims=3, min_side=2, max_side=4))
        m = min(xshape[0], xshape[2])
        b1, b2 = d(st.sampled_from([((2,), (2,)), ((3, 1), (2,)), ((), (3,))]))
        return d(floats(xshape)), d(ints(b1, -m, m - 1)), d(ints(b2, -m, m - 1))
    return draw


SPECS = [
    Spec("gather", I.gather, _operand_and_indices(False),
         lambda x, idx: x[_cols(idx)]),
    Spec("gather", lambda x, i, j: x[i, :, j], _index_expr_args(),
         lambda x, i, j: x[i, :, j], id="x[i,:,j]"),
    Spec("gather", lambda x, i, a: fnp.take_along_axis(x, i, int(a)), _take_along_args(),
         lambda x, i, a: np.take_along_axis(x, i, int(a)), id="take_along_axis",
         diff_argnums=(0,), vmap=False,
         note="vmap is not checked: the axis argument is static"),
    Spec("gather", I.gather, _operand_and_indices(False, dtype=np.int64),
         lambda x, idx: x[_cols(idx)], id="int", nondiff=True),
    Spec("scatter_add", I.scatter_add, _operand_and_indices(True),
         _ref_scatter(np.add)),
    Spec("scatter_add", lambda x, idx, v: fnp.zeros_like(x).at[_cols(idx)].add(v) * x,
         _operand_and_indices(True),
         lambda x, idx, v: _ref_scatter(np.add)(np.zeros_like(x), idx, v) * x, id="at_add"),
    Spec("scatter", lambda x, idx, v: I.scatter_p.bind(x, idx, v), _operand_and_indices(True),
         _ref_set),
    Spec("scatter_mul", lambda x, idx, v: I.scatter_mul_p.bind(x, idx, v),
         _operand_and_indices(True), _ref_scatter(np.multiply)),
    Spec("scatter_mul", lambda x, idx, v: I.scatter_mul_p.bind(x, idx, v),
         _operand_and_indices(True, zeros_in_updates=True), _ref_scatter(np.multiply),
         id="zero_updates", note="exact zeros among the updates (exclusive products)"),
    Spec("scatter_min", lambda x, idx, v: I.scatter_min_p.bind(x, idx, v),
         _operand_and_indices(True), _ref_scatter(np.minimum)),
    Spec("scatter_max", lambda x, idx, v: I.scatter_max_p.bind(x, idx, v),
         _operand_and_indices(True), _ref_scatter(np.maximum)),
    Spec("scatter_max", lambda x, idx, v: I.scatter_max_p.bind(x, idx, v),
         _operand_and_indices(True, dtype=np.int64), _ref_scatter(np.maximum), id="int",
         nondiff=True),
]
