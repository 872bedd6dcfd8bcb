"""Spec rows for ``fgrad/primitives/sorting.py``: sort and order statistics along each axis
form, ties (the gradient follows a stable sort), integers, and the quantile methods built on
``order_statistic``. Values are distinct except in the tie rows, so finite differences
are meaningful."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import fgrad.numpy as fnp
from fgrad.primitives import sorting as P
from tests.checker import floats, ints, shapes
from tests.specs import Spec


def _one(strategy):
    return lambda: st.tuples(strategy)


def _tied(x):
    """Half the entries copied from the other half (exact ties)."""
    x = x.copy()
    flat = x.reshape(-1)
    flat[1::2] = flat[0:-1:2][:len(flat[1::2])]
    return x


SPECS = [
    Spec("sort", lambda x: fnp.sort(x, axis=-1), _one(floats(shapes(min_dims=1, max_side=5))),
         lambda x: np.sort(x, axis=-1), id="last"),
    Spec("sort", lambda x: fnp.sort(x, axis=0), _one(floats(shapes(min_dims=2, max_side=4))),
         lambda x: np.sort(x, axis=0), id="axis0"),
    Spec("sort", lambda x: fnp.sort(x, axis=None), _one(floats(shapes(max_side=4))),
         lambda x: np.sort(x, axis=None), id="flat"),
    Spec("sort", lambda x: fnp.sort(x, descending=True),
         _one(floats(shapes(min_dims=1, max_side=5))),
         lambda x: np.flip(np.sort(x, axis=-1), -1), id="descending"),
    Spec("sort", lambda x: fnp.sort(x), _one(ints(shapes(min_dims=1, max_side=5))),
         lambda x: np.sort(x), id="int"),
    Spec("sort", lambda x: fnp.sort(x * 0 + fnp.round(x)),
         _one(floats(shapes(min_dims=1, max_side=6), -2, 2, avoid=(-1.5, -0.5, 0.5, 1.5))),
         lambda x: np.sort(np.round(x)), id="ties", second_order=False,
         note="round() makes ties; its derivative is 0, so the row checks the tie path's "
              "rules compose (values and vmap), not the tie subgradient"),
    Spec("order_statistic", lambda x: P.order_statistic(x, (0, 2), x.ndim - 1),
         _one(floats(shapes(min_dims=1, min_side=3, max_side=5))),
         lambda x: np.sort(x, axis=-1)[..., [0, 2]], id="two"),
    Spec("order_statistic", lambda x: P.order_statistic(x, (0, 1, 2), 0, (1, 2, 2),
                                                        (0.25, 0.75, 0.0)),
         _one(floats(shapes(min_dims=1, min_side=3, max_side=4))),
         lambda x: np.stack([0.75 * np.sort(x, 0)[0] + 0.25 * np.sort(x, 0)[1],
                             0.25 * np.sort(x, 0)[1] + 0.75 * np.sort(x, 0)[2],
                             np.sort(x, 0)[2]]), id="blend"),
    Spec("order_statistic", lambda x: fnp.median(x, axis=0),
         _one(floats(shapes(min_dims=1, max_side=5))),
         lambda x: np.median(x, axis=0), id="median"),
    Spec("order_statistic", lambda x: fnp.quantile(x, np.array([0.1, 0.5, 0.9]), axis=-1,
                                                 keepdims=True),
         _one(floats(shapes(min_dims=1, max_side=5))),
         lambda x: np.quantile(x, [0.1, 0.5, 0.9], axis=-1, keepdims=True), id="quantiles"),
    Spec("order_statistic", lambda x: fnp.percentile(x, 30, method="lower"),
         _one(ints(shapes(min_dims=1, max_side=5))),
         lambda x: np.percentile(x, 30, method="lower"), id="int_lower"),
]


def _sorted_and_values():
    @st.composite
    def draw(d):
        n = d(st.integers(1, 6))
        a = np.sort(d(floats((n,))))
        v = d(floats(shapes(max_dims=2, max_side=4), -2.5, 2.5))
        if v.size and d(st.booleans()):        # some exact hits, to exercise `side`
            v.flat[0] = a[d(st.integers(0, n - 1))]
        return a, v
    return draw()


SPECS += [
    # fn sorts ``a`` itself: the checker's vmap batches are permutations of the draw
    Spec("searchsorted", lambda a, v: fnp.searchsorted(fnp.sort(a), v), _sorted_and_values,
         lambda a, v: np.searchsorted(np.sort(a), v), nondiff=True, id="left"),
    Spec("searchsorted", lambda a, v: fnp.searchsorted(fnp.sort(a), v, side="right"),
         _sorted_and_values, lambda a, v: np.searchsorted(np.sort(a), v, side="right"),
         nondiff=True, id="right"),
]
