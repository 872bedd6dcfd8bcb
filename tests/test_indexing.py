"""Indexing: ``x[idx]`` vs NumPy, ``x.at[idx]`` vs JAX, gradients, vmap, errors, and the
index functions of ``fgrad.numpy`` (take, take_along_axis, diagonal, nonzero ...)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import fgrad
import fgrad.numpy as fnp
from fgrad.devices import STANDIN
from fgrad.errors import ConcretizationTypeError

jax = pytest.importorskip("jax")
jnp = jax.numpy

X = np.arange(2 * 3 * 4, dtype=np.float64).reshape(2, 3, 4) * 0.5 - 3.0


def _host(a):
    if isinstance(a, fgrad.Array) and a.device is not fgrad.devices.CPU:
        a = fgrad.device_put(a, "cpu")
    return np.asarray(a)


def _same(got, want):
    want = np.asarray(want)
    got = _host(got)
    assert got.shape == want.shape, (got.shape, want.shape)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    np.testing.assert_array_equal(got, want)


# ============================================================ x[idx] vs NumPy ===
TABLE = [
    0, -1, 1, (1, 2), (1, 2, 3), (-2, -3, -4), Ellipsis, (Ellipsis, 1), (0, Ellipsis),
    (None,), (None, 0), (0, None, 1), (Ellipsis, None), (None, Ellipsis, None),
    slice(None), slice(1, None), slice(None, None, -1), (slice(None), slice(None, None, 2)),
    (slice(None), slice(2, 0, -1)), (slice(None), slice(None), slice(-1, 0, -3)),
    (slice(5, -5, -1),), (slice(10, 20),), (slice(None), slice(3, 1)),
    [0, 1], [1, 1, 0], [-1], (np.array([0, 1]), np.array([2, 0])), ([[0], [1]], [0, 1, 2]),
    (slice(None), [2, 0]), (slice(None), [[0, 1], [1, 2]], 1), (0, slice(None), [0, 3]),
    ([0, 1], slice(None), [0, 3]), (slice(None), [0, 1], [1, 2]), ([0, 1], None, [0, 1]),
    (slice(None), [0, 1], None, [1, 2]), (Ellipsis, [0, 2]), (None, [0, 1], slice(1, 3)),
    (np.array(1), slice(None)), (slice(None), np.array(2)), (np.int64(1), -1),
    X > 0, X[..., 0] > -1, (slice(None), X[0, :, 0] > -2), (Ellipsis, np.array([True, False, True, False])),
    (X[:, 0, 0] > -5, [1, 2]), True, False, (True, [0, 1]), (Ellipsis, True), (None, True),
    np.array(True), ([0, 1], True), ([],), (np.zeros((0,), np.int64), 1),
    ([1, 0], [[0], [2]], slice(None, None, -1)), (slice(1, 2), [0, 0, 1], np.array([[3], [1]])),
]


@pytest.mark.parametrize("idx", TABLE, ids=[repr(t)[:40] for t in TABLE])
def test_index_table_matches_numpy(idx):
    _same(fnp.asarray(X)[idx], X[idx])


@pytest.mark.parametrize("idx", [(1, 2), (slice(None), [2, 0]), X > 0, ([0, 1], None, [0, 1]),
                                 (slice(None, None, -1), np.array(2))])
def test_index_on_the_standin_device(idx):
    xs = fgrad.device_put(fnp.asarray(X), STANDIN)
    out = xs[idx]
    assert out.device is STANDIN
    _same(out, X[idx])
    # index arrays that live on the device too
    if isinstance(idx, tuple):
        dev_idx = tuple(fgrad.device_put(fnp.asarray(i), STANDIN)
                        if isinstance(i, (list, np.ndarray)) and np.asarray(i).dtype != bool else i
                        for i in idx)
        _same(xs[dev_idx], X[idx])


def _slice(draw, n):
    lo = st.one_of(st.none(), st.integers(-n - 2, n + 2))
    step = st.one_of(st.none(), st.integers(-3, 3).filter(lambda s: s != 0))
    return slice(draw(lo), draw(lo), draw(step))


@st.composite
def index_expressions(draw):
    """A random array shape and an index expression mixing every index kind."""
    shape = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4).map(tuple))
    bshape = draw(st.sampled_from([(), (2,), (3,), (2, 1), (1, 3)]))
    entries, ax, used_ellipsis = [], 0, False
    seed = draw(st.integers(0, 2 ** 31))
    rng = np.random.default_rng(seed)
    while ax < len(shape):
        n = shape[ax]
        kind = draw(st.sampled_from(["int", "slice", "slice", "array", "list", "none", "ellipsis",
                                     "mask", "stop"]))
        if kind == "stop":
            break
        if kind == "int":
            entries.append(int(rng.integers(-n, n)))
        elif kind == "slice":
            entries.append(_slice(draw, n))
        elif kind == "array":
            entries.append(rng.integers(-n, n, size=draw(st.sampled_from([bshape, bshape[-1:]]))))
        elif kind == "list":
            entries.append(rng.integers(-n, n, size=len(bshape) and bshape[-1] or 2).tolist())
            bshape = bshape[-1:] if bshape else (2,)
        elif kind == "none":
            entries.append(None)
            continue
        elif kind == "ellipsis":
            if used_ellipsis:
                continue
            used_ellipsis = True
            entries.append(Ellipsis)
            ax = len(shape) - (len(shape) - ax) // 2   # it swallows some axes
            continue
        elif kind == "mask":
            k = 1 if ax + 1 >= len(shape) else draw(st.integers(1, 2))
            entries.append(rng.random(shape[ax:ax + k]) < 0.5)
            ax += k
            continue
        ax += 1
    return shape, tuple(entries), seed


@settings(max_examples=15, deadline=None)
@given(index_expressions())
def test_random_index_expressions_match_numpy(case):
    shape, idx, seed = case
    x = np.random.default_rng(seed).standard_normal(shape)
    try:
        want = x[idx]
    except IndexError:
        # NumPy refuses an out-of-bounds integer; fgrad's Arrays clamp it, as JAX's do.
        # Other index errors (too many indices, a mask of the wrong shape) still raise.
        try:
            got = fnp.asarray(x)[idx]
        except IndexError:
            return
        try:
            import jax.numpy as jnp
        except ImportError:       # without the JAX oracle: that it did not raise is all
            return
        try:
            expected = np.asarray(jnp.asarray(x)[idx])
        except IndexError:
            pytest.fail(f"fgrad indexed {shape} with {idx!r} where JAX raises IndexError")
        _same(got, expected)
        return
    _same(fnp.asarray(x)[idx], want)
    # the same expression read through .at[].get() and written through .at[].set()
    _same(fnp.asarray(x).at[idx].get(), want)
    mutated = x.copy()
    vals = np.arange(np.size(want), dtype=np.float64).reshape(np.shape(want)) + 100
    mutated[idx] = vals
    got = fnp.asarray(x).at[idx].set(vals)
    if _has_duplicates(x, idx):   # which duplicate wins is unspecified: compare the others
        ids = np.arange(x.size).reshape(shape)[idx]
        keep = np.ones(x.size, bool)
        keep[ids.ravel()] = False
        np.testing.assert_array_equal(_host(got).ravel()[keep], mutated.ravel()[keep])
    else:
        _same(got, mutated)


def _has_duplicates(x, idx):
    ids = np.arange(x.size).reshape(x.shape)[idx].ravel()
    return len(np.unique(ids)) != ids.size


# ===================================================== gradients, JVP, vs JAX ===
GRAD_CASES = [
    (1,), (slice(None), [2, 0, 2]), ([0, 1, 1], slice(None), [3, 3, 0]), (X > 0,),
    (Ellipsis, slice(None, None, -2)), (None, [1, -1], None), (slice(1, None), 1, [0, 0]),
]


@pytest.mark.parametrize("idx", GRAD_CASES, ids=[repr(c)[:30] for c in GRAD_CASES])
def test_gradient_of_indexing_matches_jax(idx):
    def f(x, np_):
        return np_.sum(np_.sin(x[idx]) * np_.arange(1, x[idx].size + 1).reshape(x[idx].shape))
    g = fgrad.grad(lambda x: f(x, fnp))(fnp.asarray(X))
    want = jax.grad(lambda x: f(x, jnp))(jnp.asarray(X))
    np.testing.assert_allclose(_host(g), np.asarray(want), rtol=1e-12, atol=1e-12)
    u = np.cos(X)
    _, t = fgrad.jvp(lambda x: x[idx], (fnp.asarray(X),), (fnp.asarray(u),))
    _same(t, u[idx])
    # second order through gather's VJP (a scatter_add) and back
    h = fgrad.hessian(lambda x: f(x, fnp))(fnp.asarray(X))
    hj = jax.hessian(lambda x: f(x, jnp))(jnp.asarray(X))
    np.testing.assert_allclose(_host(h), np.asarray(hj), rtol=1e-10, atol=1e-10)


def test_traced_index_from_argmax_and_grad_through_gather():
    x = fnp.asarray([[0.3, 2.0, -1.0], [4.0, 0.5, 0.1]])

    def f(x):
        i = fnp.argmax(x, axis=1)
        return fnp.sum(fnp.take_along_axis(x, i[:, None], axis=1) ** 2)
    _same(fgrad.grad(f)(x), np.array([[0, 4.0, 0], [8.0, 0, 0]]))


# =================================================================== .at[] ===
AT_CASES = [
    np.array([0, 2, 0, 3, 2, 2]),                     # duplicates on the leading axis
    (slice(None), np.array([1, 1, 0])),               # duplicates behind a slice
    (np.array([1, 0]), slice(1, None)),
    (0, slice(None, None, -1)),
    (Ellipsis, -1),
    (np.array([[0], [3]]), 1, np.array([2, 2, 0])),   # broadcast index arrays, duplicates
]


@pytest.mark.parametrize("op", ["add", "multiply", "min", "max"])
@pytest.mark.parametrize("case", AT_CASES, ids=[str(i) for i in range(len(AT_CASES))])
def test_at_updates_match_jax_values_and_gradients(op, case):
    idx = case
    x = np.random.default_rng(1).standard_normal((4, 3, 4))
    v = np.random.default_rng(2).standard_normal(np.shape(x[idx]))

    def f(x, v, np_):
        return getattr(x.at[idx], op)(v)
    got = f(fnp.asarray(x), fnp.asarray(v), fnp)
    want = f(jnp.asarray(x), jnp.asarray(v), jnp)
    np.testing.assert_allclose(_host(got), np.asarray(want), rtol=1e-13, atol=1e-13)
    w = np.random.default_rng(3).standard_normal(x.shape)

    def loss(x, v, np_):
        return np_.sum(np_.tanh(f(x, v, np_)) * w)
    g = fgrad.grad(lambda x, v: loss(x, v, fnp), argnums=(0, 1))(fnp.asarray(x), fnp.asarray(v))
    if op == "multiply":   # JAX has no scatter_mul gradient for duplicate indices: use differences
        ux, uv = np.cos(np.arange(x.size)).reshape(x.shape), np.sin(np.arange(v.size) + 1.0).reshape(v.shape)
        eps = 1e-6
        fd = (float(loss(fnp.asarray(x + eps * ux), fnp.asarray(v + eps * uv), fnp))
              - float(loss(fnp.asarray(x - eps * ux), fnp.asarray(v - eps * uv), fnp))) / (2 * eps)
        ours = float(np.sum(_host(g[0]) * ux) + np.sum(_host(g[1]) * uv))
        assert abs(ours - fd) < 1e-6 * (1 + abs(fd))
        return
    gj = jax.grad(lambda x, v: loss(x, v, jnp), argnums=(0, 1))(jnp.asarray(x), jnp.asarray(v))
    for a, b in zip(g, gj):
        np.testing.assert_allclose(_host(a), np.asarray(b), rtol=1e-10, atol=1e-12)


def test_at_set_unique_matches_jax_and_gradient():
    x = np.random.default_rng(0).standard_normal((5, 3))
    idx = (np.array([4, 0, 2]), slice(None, 2))
    v = np.random.default_rng(1).standard_normal((3, 2))

    def loss(x, v, np_):
        return np_.sum(np_.sin(x.at[idx].set(v)) * np_.arange(15.0).reshape(5, 3))
    np.testing.assert_allclose(_host(fnp.asarray(x).at[idx].set(v)),
                               np.asarray(jnp.asarray(x).at[idx].set(v)))
    g = fgrad.grad(lambda x, v: loss(x, v, fnp), argnums=(0, 1))(fnp.asarray(x), fnp.asarray(v))
    gj = jax.grad(lambda x, v: loss(x, v, jnp), argnums=(0, 1))(jnp.asarray(x), jnp.asarray(v))
    for a, b in zip(g, gj):
        np.testing.assert_allclose(_host(a), np.asarray(b), rtol=1e-12, atol=1e-12)


def test_at_set_with_duplicates_gives_the_gradient_to_the_kept_update():
    x = fnp.zeros(3)
    idx = fnp.asarray([1, 1, 1])
    v = fnp.asarray([5.0, 6.0, 7.0])
    out = x.at[idx].set(v)
    _same(out, np.array([0.0, 7.0, 0.0]))   # cpu: NumPy's order, the last one wins
    g = fgrad.grad(lambda v: fnp.sum(x.at[idx].set(v) * fnp.asarray([1.0, 2.0, 3.0])))(v)
    _same(g, np.array([0.0, 0.0, 2.0]))
    gx = fgrad.grad(lambda x: fnp.sum(x.at[idx].set(v) * fnp.asarray([1.0, 2.0, 3.0])))(x)
    _same(gx, np.array([1.0, 0.0, 3.0]))


def test_at_min_max_ties_share_the_gradient():
    x = fnp.asarray([1.0, 5.0])
    v = fnp.asarray([1.0, 3.0, 1.0])
    idx = fnp.asarray([0, 1, 0])
    gx, gv = fgrad.grad(lambda x, v: fnp.sum(x.at[idx].min(v)), argnums=(0, 1))(x, v)
    _same(gx, np.array([1 / 3, 0.0]))        # x[0] ties with two updates: a third each
    _same(gv, np.array([1 / 3, 1.0, 1 / 3]))
    gxj, gvj = jax.grad(lambda x, v: jnp.sum(x.at[jnp.asarray([0, 1, 0])].min(v)),
                        argnums=(0, 1))(jnp.asarray([1.0, 5.0]), jnp.asarray([1.0, 3.0, 1.0]))
    np.testing.assert_allclose(_host(gx), np.asarray(gxj))
    np.testing.assert_allclose(_host(gv), np.asarray(gvj))


def test_at_multiply_with_zero_updates_and_duplicates():
    x = np.array([2.0, 3.0, -1.0])
    idx = np.array([0, 0, 1, 0])
    v = np.array([0.0, 4.0, 5.0, 0.5])
    g = fgrad.grad(lambda v: fnp.sum(fnp.asarray(x).at[idx].multiply(v)))(fnp.asarray(v))
    # d/dv_j x[t] prod(v at t) = x[t] * prod of the other updates at t
    _same(g, np.array([2.0 * 4.0 * 0.5, 0.0, 3.0, 0.0]))


def test_at_broadcasts_values_and_casts_to_the_dtype_of_x():
    x = fnp.zeros((3, 4), dtype=np.int32)
    out = x.at[1:, ::2].set(7.9)
    assert out.dtype == np.int32
    _same(out, np.asarray(jnp.zeros((3, 4), jnp.int32).at[1:, ::2].set(7.9)))
    y = fnp.zeros((2, 3)).at[:, [0, 2]].add(np.array([[1.0, 2.0]]))
    _same(y, np.array([[1.0, 0.0, 2.0], [1.0, 0.0, 2.0]]))
    z = fnp.zeros(3).at[0].add(np.ones((1, 1)))       # leading unit axes are dropped
    _same(z, np.array([1.0, 0.0, 0.0]))
    with pytest.raises(ValueError, match="cannot broadcast"):
        fnp.zeros((2, 3)).at[0].set(np.ones(2))


def test_at_does_not_change_x_and_get_is_indexing():
    x = fnp.asarray([1.0, 2.0, 3.0])
    y = x.at[fnp.asarray([0])].set(9.0)
    _same(x, np.array([1.0, 2.0, 3.0]))
    _same(y, np.array([9.0, 2.0, 3.0]))
    _same(x.at[::-1].get(), np.array([3.0, 2.0, 1.0]))
    _same(x.at[1].subtract(1.0), np.array([1.0, 1.0, 3.0]))
    _same(x.at[1].divide(4.0), np.array([1.0, 0.5, 3.0]))


# =================================================================== vmap ===
def test_vmap_indexing_with_batched_operand_and_indices():
    rng = np.random.default_rng(0)
    data = (rng.standard_normal((5, 4, 3)), rng.integers(-4, 4, size=(5, 2)),
            rng.integers(0, 3, size=(5,)), rng.standard_normal((5, 2, 3)))
    fns = [
        lambda x, i, j, v: x[i],
        lambda x, i, j, v: x[i, j],
        lambda x, i, j, v: x[:, j],
        lambda x, i, j, v: x[i[::-1], 1:],
        lambda x, i, j, v: x[x[:, 0] > -10, j],
        lambda x, i, j, v: x.at[i].add(v),
        lambda x, i, j, v: x.at[i, j].set(v[:, 0]),
        lambda x, i, j, v: x.at[:, j].max(v[0, :1].sum()),
        lambda x, i, j, v: x.at[i[0]].multiply(v[1]),
        lambda x, i, j, v: fnp.take(x, j, axis=1),
        lambda x, i, j, v: fnp.take_along_axis(x[:2], fnp.abs(i)[:, None] % 3, axis=1),
    ]
    for k, f in enumerate(fns):
        for in_axes in [(0, 0, 0, 0), (0, None, None, None), (None, 0, 0, None),
                        (2, -1, None, 1), (None, None, 0, 0)]:
            if k == 4 and in_axes[0] is not None:
                continue   # a mask computed from a batched x is not concrete under vmap
            args = [fnp.asarray(a[0] if ax is None else np.moveaxis(a, 0, ax))
                    for a, ax in zip(data, in_axes)]
            got = fgrad.vmap(f, in_axes=in_axes)(*args)
            per = [f(*[fnp.asarray(a[b] if ax is not None else a[0])
                       for a, ax in zip(data, in_axes)]) for b in range(5)]
            np.testing.assert_allclose(_host(got), np.stack([_host(p) for p in per]),
                                       err_msg=f"fn {k}, in_axes {in_axes}")


def test_vmap_of_grad_through_indexing():
    rng = np.random.default_rng(1)
    xs = rng.standard_normal((3, 4))
    ids = rng.integers(0, 4, size=(3, 5))

    def f(x, i):
        return fnp.sum(fnp.sin(x[i]) ** 2)
    got = fgrad.vmap(fgrad.grad(f))(fnp.asarray(xs), fnp.asarray(ids))
    want = jax.vmap(jax.grad(lambda x, i: jnp.sum(jnp.sin(x[i]) ** 2)))(xs, ids)
    np.testing.assert_allclose(_host(got), np.asarray(want), rtol=1e-12)


# ================================================================= errors ===
def test_out_of_bounds_clamps_reads_and_drops_writes_as_jax():
    # JAX's rule for the functional layer (it raised before; the facade still raises)
    x = fnp.asarray(np.arange(6.0).reshape(2, 3))
    _same(x[:, 3], np.array([2.0, 5.0]))
    _same(x[[0, -3]], np.array([[0.0, 1.0, 2.0]] * 2))
    _same(x[:, fnp.asarray([1, 5])], np.array([[1.0, 2.0], [4.0, 5.0]]))
    _same(fgrad.vmap(lambda i: x[i])(fnp.asarray([0, 7])), np.array([[0, 1, 2], [3, 4, 5.0]]))
    _same(x.at[fnp.asarray([2])].add(1.0), np.arange(6.0).reshape(2, 3))
    t = fgrad.zeros(2, 3)
    with pytest.raises(IndexError, match="index 3 is out of bounds for axis 1 with size 3"):
        t[:, 3]
    with pytest.raises(IndexError, match="index -3 is out of bounds for axis 0 with size 2"):
        t[[0, -3]]


def test_index_errors_naming_axis_and_size():
    x = fnp.zeros((2, 3))
    with pytest.raises(IndexError, match="too many indices"):
        x[0, 0, 0]
    with pytest.raises(IndexError, match="integer"):
        x[fnp.asarray([0.5])]
    with pytest.raises(IndexError, match="single ellipsis"):
        x[..., ...]
    with pytest.raises(IndexError, match="boolean index did not match"):
        x[np.array([True, False, True])]


def test_boolean_mask_under_vmap_raises_and_under_grad_works():
    xs = fnp.asarray([[1.0, -2.0], [3.0, 4.0]])
    with pytest.raises(ConcretizationTypeError, match="vmap.*where"):
        fgrad.vmap(lambda x: fnp.sum(x[x > 0]))(xs)
    with pytest.raises(ConcretizationTypeError, match="vmap"):
        fgrad.vmap(fnp.nonzero)(xs)
    g = fgrad.grad(lambda x: fnp.sum(x[x > 0] ** 2))(xs)
    _same(g, np.array([[2.0, 0.0], [6.0, 8.0]]))


def test_item_assignment_raises_type_error_and_leaves_x_unchanged():
    x = fnp.asarray([1.0, 2.0])
    with pytest.raises(TypeError, match=r"at\[idx\]\.set"):
        x[0] = 5.0
    _same(x, np.array([1.0, 2.0]))
    with pytest.raises(TypeError):
        fgrad.grad(lambda x: x.__setitem__(0, 1.0))(x)
    _same(x, np.array([1.0, 2.0]))


# ============================================================= functions ===
@pytest.mark.parametrize("mode", [None, "clip", "wrap", "fill"])
def test_take_modes(mode):
    a = np.arange(12.0).reshape(3, 4)
    idx = np.array([[0, -1], [5, -6]])
    jmode = {None: "fill", "clip": "clip", "wrap": "wrap", "fill": "fill"}[mode]
    if mode is None:
        with pytest.raises(IndexError, match="out of bounds for axis 1 with size 4"):
            fnp.take(a, idx, axis=1)
        _same(fnp.take(a, np.array([[0, -1], [2, -4]]), axis=1),
              np.take(a, np.array([[0, -1], [2, -4]]), axis=1))
        return
    got = fnp.take(a, idx, axis=1, mode=mode)
    if mode == "clip":
        want = np.take(a, idx, axis=1, mode="clip")
    else:
        want = np.asarray(jnp.take(jnp.asarray(a), jnp.asarray(idx), axis=1, mode=jmode))
    np.testing.assert_array_equal(_host(got), want)
    _same(fnp.take(a, [3, 0]), np.take(a, [3, 0]))


@settings(max_examples=15, deadline=None)
@given(st.data())
def test_take_along_axis_and_put_along_axis_match_numpy(data):
    shape = data.draw(st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple))
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    rng = np.random.default_rng(data.draw(st.integers(0, 2 ** 31)))
    a = rng.standard_normal(shape)
    ishape = list(shape)
    ishape[axis] = int(rng.integers(1, 5))
    idx = rng.integers(-shape[axis], shape[axis], size=ishape)
    _same(fnp.take_along_axis(a, idx, axis), np.take_along_axis(a, idx, axis))
    vals = rng.standard_normal(ishape)
    want = a.copy()
    np.add.at(want, tuple(np.indices(ishape, sparse=True)[:axis % len(shape)])
              + (idx,) + tuple(np.indices(ishape, sparse=True)[axis % len(shape) + 1:]), vals)
    np.testing.assert_allclose(_host(fnp.put_along_axis(a, idx, vals, axis, op="add")), want)
    uniq = np.argsort(rng.random(shape), axis=axis)   # a permutation along axis: no duplicates
    want = a.copy()
    np.put_along_axis(want, uniq, -a, axis)
    _same(fnp.put_along_axis(a, uniq, -a, axis), want)


def test_put_along_axis_is_torch_scatter_and_scatter_add():
    torch = pytest.importorskip("torch")
    src = np.arange(1.0, 11.0).reshape(2, 5)
    index = np.array([[0, 1, 2, 0, 0], [1, 2, 0, 0, 1]])
    want = torch.zeros(3, 5, dtype=torch.float64).scatter_add_(0, torch.tensor(index),
                                                               torch.tensor(src))
    _same(fnp.put_along_axis(fnp.zeros((3, 5)), index, src, 0, op="add"), want.numpy())
    index = np.array([[0, 1, 2, 0]])
    want = torch.zeros(3, 5, dtype=torch.float64).scatter_(0, torch.tensor(index),
                                                           torch.tensor(src[:1, :4]))
    got = fnp.zeros((3, 5)).at[:, :4].set(
        fnp.put_along_axis(fnp.zeros((3, 4)), index, src[:1, :4], 0))
    _same(got, want.numpy())
    _same(fnp.index_select(src, 1, [4, 0]), torch.index_select(torch.tensor(src), 1,
                                                               torch.tensor([4, 0])).numpy())


@pytest.mark.parametrize("offset", [-2, -1, 0, 1, 3])
def test_diag_diagonal_trace_match_numpy(offset):
    a = np.arange(24.0).reshape(2, 3, 4)
    for ax1, ax2 in [(0, 1), (1, 2), (2, 0), (-1, -2)]:
        _same(fnp.diagonal(a, offset, ax1, ax2), np.diagonal(a, offset, ax1, ax2))
        _same(fnp.trace(a, offset, ax1, ax2), np.trace(a, offset, ax1, ax2))
    _same(fnp.diag(a[0], offset), np.diag(a[0], offset))
    _same(fnp.diag(np.array([1.0, 2.0, 3.0]), offset), np.diag(np.array([1.0, 2.0, 3.0]), offset))
    _same(fnp.asarray(a).diagonal(offset), a.diagonal(offset))
    g = fgrad.grad(lambda v: fnp.sum(fnp.diag(v, offset) * fnp.arange(36.0).reshape(6, 6)[
        :3 + abs(offset), :3 + abs(offset)]))(fnp.asarray([1.0, 2.0, 3.0]))
    gj = jax.grad(lambda v: jnp.sum(jnp.diag(v, offset) * jnp.arange(36.0).reshape(6, 6)[
        :3 + abs(offset), :3 + abs(offset)]))(jnp.asarray([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(_host(g), np.asarray(gj))


def test_nonzero_argwhere_flatnonzero_compress_select_searchsorted():
    a = np.array([[0, 2, 0], [3, 0, 4]])
    for got, want in zip(fnp.nonzero(a), np.nonzero(a)):
        _same(got, want)
    for got, want in zip(fnp.where(fnp.asarray(a)), np.where(a)):
        _same(got, want)
    _same(fnp.argwhere(a), np.argwhere(a))
    _same(fnp.flatnonzero(a), np.flatnonzero(a))
    _same(fnp.compress([True, False, True], a, axis=1), np.compress([True, False, True], a, axis=1))
    _same(fnp.compress(np.array([False, True]), a), np.compress([False, True], a))
    x = np.linspace(-2, 2, 7)
    conds, choices = [x < -1, x > 1], [x ** 2, -x]
    _same(fnp.select([fnp.asarray(c) for c in conds], choices, 0.5), np.select(conds, choices, 0.5))
    s = np.array([1.0, 2.0, 2.0, 5.0])
    v = np.array([[0.0, 2.0], [3.0, 9.0]])
    for side in ("left", "right"):
        _same(fnp.searchsorted(s, v, side), np.searchsorted(s, v, side))
    assert int(fnp.searchsorted(s, 2.0)) == 1
    with pytest.raises(ConcretizationTypeError, match="vmap"):
        fgrad.vmap(fnp.flatnonzero)(fnp.asarray(a))


def test_index_helper_constructors_match_numpy():
    for k in (-1, 0, 2):
        for got, want in zip(fnp.tril_indices(4, k, 5), np.tril_indices(4, k, 5)):
            _same(got, want)
        for got, want in zip(fnp.triu_indices(3, k), np.triu_indices(3, k)):
            _same(got, want)
    a = np.arange(16.0).reshape(4, 4)
    _same(fnp.asarray(a)[fnp.tril_indices_from(a)], a[np.tril_indices_from(a)])
    _same(fnp.asarray(a)[fnp.diag_indices(4)], a[np.diag_indices(4)])
    _same(fnp.asarray(a)[fnp.ix_([0, 2], [3, 1, 1])], a[np.ix_([0, 2], [3, 1, 1])])
    _same(fnp.asarray(a)[fnp.ix_(np.array([True, False, False, True]), [1])],
          a[np.ix_([True, False, False, True], [1])])


def test_every_public_name_is_exported():
    from fgrad.numpy import _indexing, _polynomial, _setops
    # nonzero/argwhere/flatnonzero (size=) and searchsorted (binary search) are re-exported
    # from the modules that extend them
    newer = {n: m for m in (_setops, _polynomial) for n in m.__all__}
    for name in _indexing.__all__:
        assert getattr(fnp, name) is getattr(newer.get(name, _indexing), name)
