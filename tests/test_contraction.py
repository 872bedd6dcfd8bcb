"""Products of ``fgrad.numpy``: values vs NumPy, einsum gradients vs JAX, the pairwise
structure of einsum's derivatives, vmap vs loops, and error messages."""
from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import fgrad
import fgrad.numpy as fnp
from fgrad.primitives import contraction as P
from tests.checker import STANDIN

jax = pytest.importorskip("jax")
jnp = jax.numpy
jax.config.update("jax_enable_x64", True)

RNG = np.random.default_rng(0)


def rand(*shape, dtype=np.float64):
    return RNG.standard_normal(shape).astype(dtype)


def host(x):
    if isinstance(x, fgrad.Array) and x.device is not fgrad.devices.CPU:
        x = fgrad.device_put(x, "cpu")
    return np.asarray(x)


def assert_same(got, want, rtol=1e-10, atol=1e-12):
    want = np.asarray(want)
    assert isinstance(got, fgrad.Array)
    assert got.shape == want.shape, (got.shape, want.shape)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    np.testing.assert_allclose(host(got), want, rtol=rtol, atol=atol)


# ======================================================================= values ==
PRODUCTS = [
    ("matmul", ((3,), (3,))), ("matmul", ((2, 3), (3,))), ("matmul", ((3,), (3, 4))),
    ("matmul", ((2, 1, 2, 3), (5, 3, 4))), ("matmul", ((5, 2, 3), (3,))),
    ("dot", ((3,), (3,))), ("dot", ((2, 3), (3, 4))), ("dot", ((2, 3, 4), (5, 4, 2))),
    ("dot", ((4,), (5, 4, 2))), ("dot", ((2, 3, 4), (4,))), ("dot", ((), (2, 3))),
    ("vdot", ((2, 3), (6,))), ("inner", ((2, 3), (4, 3))), ("inner", ((3,), (3,))),
    ("inner", ((2, 4, 3), (3,))), ("outer", ((2, 2), (3,))), ("kron", ((2, 3), (3, 2))),
    ("kron", ((2,), (2, 3, 1))), ("cross", ((3,), (3,))), ("cross", ((4, 3), (3,))),
    ("matvec", ((4, 2, 3), (3,))), ("vecmat", ((2,), (4, 2, 3))), ("vecdot", ((4, 3), (3,))),
]


@pytest.mark.parametrize("name,shapes", PRODUCTS, ids=[f"{n}{s}" for n, s in PRODUCTS])
def test_products_match_numpy(name, shapes):
    args = [rand(*s) for s in shapes]
    assert_same(getattr(fnp, name)(*args), getattr(np, name)(*args))
    # integer and mixed operands promote as NumPy does
    iargs = [RNG.integers(-3, 4, s) for s in shapes]
    assert_same(getattr(fnp, name)(*iargs), getattr(np, name)(*iargs))
    mixed = [args[0].astype(np.float32), iargs[1]]
    assert_same(getattr(fnp, name)(*mixed), getattr(np, name)(*mixed), rtol=1e-5, atol=1e-5)


def test_tensordot_axes_forms():
    a, b = rand(2, 3, 4), rand(4, 3, 5)
    for axes in (([1, 2], [1, 0]), ((-1,), (0,)), (2, 0), ([2], [0])):
        assert_same(fnp.tensordot(a, b, axes), np.tensordot(a, b, axes))
    assert_same(fnp.tensordot(a, b, 0), np.tensordot(a, b, 0))
    c, d = rand(3, 4), rand(3, 4, 2)
    assert_same(fnp.tensordot(c, d), np.tensordot(c, d))
    assert_same(fnp.tensordot(c, d[..., 0].T, 1), np.tensordot(c, d[..., 0].T, 1))


def test_cross_axis_and_broadcasting():
    a, b = rand(3, 4), rand(3, 1)
    assert_same(fnp.cross(a, b, axis=0), np.cross(a, b, axis=0))
    g = fgrad.grad(lambda a: fnp.sum(fnp.cross(a, b, axis=0) ** 2))(a)
    ja = jax.grad(lambda a: jnp.sum(jnp.cross(a, b, axis=0) ** 2))(a)
    np.testing.assert_allclose(host(g), np.asarray(ja), rtol=1e-10)


def test_weak_python_scalars_and_methods():
    x = fnp.asarray(rand(2, 3), dtype=np.float32)
    assert fnp.dot(x, 2.0).dtype == np.float32
    assert fnp.einsum("ij,->ij", x, 2.0).dtype == np.float32
    assert_same(fnp.einsum("ij,->ij", x, 2.0), np.asarray(x) * np.float32(2.0))
    y = rand(3, 4)
    assert_same(fnp.asarray(y).T @ fnp.asarray(y), y.T @ y)
    z = rand(4, 2)
    assert_same(fnp.asarray(y).dot(z), y.dot(z))
    v = rand(2, 3)
    assert_same(v @ fnp.asarray(y), v @ y)      # NumPy on the left defers to Array.__rmatmul__


EINSUMS = [
    ("ij,jk,kl,lm->im", [(3, 4), (4, 5), (5, 2), (2, 3)]),
    ("ij,jk->ik", [(3, 4), (4, 5)]),
    ("ii", [(4, 4)]),
    ("ii->i", [(4, 4)]),
    ("iij->j", [(3, 3, 2)]),
    ("ij->", [(3, 4)]),
    ("ji", [(3, 4)]),
    ("ij,ij->ij", [(3, 4), (3, 4)]),
    ("ii,ij,jk->k", [(3, 3), (3, 4), (4, 2)]),
    ("...ij,...jk->...ik", [(2, 1, 3, 4), (5, 4, 2)]),
    ("i...,i...->...", [(3, 2, 4), (3, 4)]),
    ("...i,i", [(2, 3), (3,)]),
    ("bij,bjk,bkl->bil", [(2, 3, 4), (2, 4, 5), (2, 5, 3)]),
    ("ij,jk,ki->", [(3, 4), (4, 5), (5, 3)]),
    ("ab,cd,bc->ad", [(2, 3), (4, 5), (3, 4)]),
    ("ij,kj->ik", [(3, 1), (4, 5)]),           # size-1 broadcast of a shared index
    ("i,j,k->ijk", [(2,), (3,), (4,)]),
    ("ijk,k,j->i", [(2, 3, 4), (4,), (3,)]),
    ("iAj,jB->BAi", [(2, 3, 4), (4, 2)]),
]


@pytest.mark.parametrize("subscripts,shapes", EINSUMS, ids=[s for s, _ in EINSUMS])
def test_einsum_value_and_gradients_vs_jax(subscripts, shapes):
    ops = [rand(*s) for s in shapes]
    out = fnp.einsum(subscripts, *ops)
    assert_same(out, np.einsum(subscripts, *ops))
    w = rand(*out.shape)
    argnums = tuple(range(len(ops)))

    def loss(*xs):
        return fnp.sum(fnp.einsum(subscripts, *xs) * w)

    def jloss(*xs):
        return jnp.sum(jnp.einsum(subscripts, *xs) * w)
    got = fgrad.grad(loss, argnums=argnums)(*ops)
    want = jax.grad(jloss, argnums=argnums)(*ops)
    for g, j in zip(got, want):
        assert_same(g, np.asarray(j))
    # second order: a Hessian-vector product through the einsum rules (reverse over reverse)
    vs = [rand(*s) for s in shapes]

    def hvp(f, g):
        return g(lambda *xs: sum(map(lambda a, v: (a * v).sum(), f(*xs), vs)), argnums=argnums)
    h = hvp(fgrad.grad(loss, argnums=argnums), fgrad.grad)(*ops)
    jh = hvp(jax.grad(jloss, argnums=argnums), jax.grad)(*ops)
    for g, j in zip(h, jh):
        np.testing.assert_allclose(host(g), np.asarray(j), rtol=1e-9, atol=1e-10)


def test_einsum_forward_mode_vs_jax():
    ops = [rand(3, 3), rand(3, 4), rand(4, 2)]
    ts = [rand(3, 3), rand(3, 4), rand(4, 2)]
    f = lambda *x: fnp.einsum("ii,ij,jk->ik", *x)  # noqa: E731
    out, t = fgrad.jvp(f, tuple(ops), tuple(ts))
    jout, jt = jax.jvp(lambda *x: jnp.einsum("ii,ij,jk->ik", *x), tuple(ops), tuple(ts))
    assert_same(out, np.asarray(jout))
    assert_same(t, np.asarray(jt))


def test_einsum_forms_and_optimize_options():
    a, b, c = rand(2, 3), rand(3, 4), rand(4, 5)
    want = np.einsum("ij,jk,kl->il", a, b, c)
    for opt in ("optimal", "greedy", True, False, "dp", ["einsum_path", (1, 2), (0, 1)]):
        assert_same(fnp.einsum("ij,jk,kl->il", a, b, c, optimize=opt), want)
    assert_same(fnp.einsum(a, [0, 1], b, [1, 2], c, [2, 3], [0, 3]), want)
    assert_same(fnp.einsum(a, [0, Ellipsis], [Ellipsis]), np.einsum(a, [0, Ellipsis], [Ellipsis]))
    assert_same(fnp.einsum(" ij , jk ", a, b), np.einsum("ij,jk", a, b))
    x, y = rand(2, 3), rand(4, 3)
    assert_same(fnp.einsum("Bi,ai", x, y), np.einsum("Bi,ai", x, y))   # implicit: 'B' < 'a'
    path, info = fnp.einsum_path("ij,jk,kl->il", a, b, c)
    assert path[0] == "einsum_path" and all(len(p) == 2 for p in path[1:]) and "pairwise" in info


def test_einsum_path_is_cached():
    a = rand(3, 4)
    fnp.einsum("ij,jk,kl->il", a, a.T, a)
    before = fnp._contraction._path.cache_info()
    fnp.einsum("ij,jk,kl->il", a, a.T, a)
    after = fnp._contraction._path.cache_info()
    assert after.hits == before.hits + 1 and after.misses == before.misses


def test_chain_gradient_is_pairwise(monkeypatch):
    """The gradient of the four-matrix chain runs 3 + 6 pairwise einsums, no more."""
    calls = []
    impl = P.einsum_p.impl

    def counting(xp, *ops, subscripts):
        calls.append((len(ops), subscripts))
        return impl(xp, *ops, subscripts=subscripts)
    monkeypatch.setattr(P.einsum_p, "impl", counting)
    ops = [rand(6, 6) for _ in range(4)]
    grads = fgrad.grad(lambda *x: fnp.sum(fnp.einsum("ij,jk,kl,lm->im", *x)),
                       argnums=(0, 1, 2, 3))(*ops)
    assert len(calls) == 9, calls
    assert all(n == 2 and len(set(s) - set(",->")) == 3 for n, s in calls), calls
    A, B, C, D = ops
    G = np.ones((6, 6))
    np.testing.assert_allclose(host(grads[1]), A.T @ G @ (C @ D).T, rtol=1e-10)
    # the staged gradient shows the same: only binary einsums, each over 3 indices
    jaxpr = fgrad.make_jaxpr(fgrad.grad(lambda *x: fnp.sum(fnp.einsum("ij,jk,kl,lm->im", *x)),
                                        argnums=(0, 1, 2, 3)))(*ops)
    eins = [e for e in jaxpr.eqns if e.prim is P.einsum_p]
    assert len(eins) == 9 and all(len(e.inputs) == 2 for e in eins)


def test_einsum_on_the_standin_device():
    ops = [rand(3, 3), rand(3, 4), rand(4, 2)]
    dev = [fgrad.device_put(fnp.asarray(o), STANDIN) for o in ops]
    out = fnp.einsum("ii,ij,jk->ik", *dev)
    assert out.device is STANDIN
    np.testing.assert_allclose(host(out), np.einsum("ii,ij,jk->ik", *ops), rtol=1e-12)
    g = fgrad.grad(lambda *x: fnp.sum(fnp.einsum("ii,ij,jk->ik", *x)), argnums=(0, 1, 2))(*dev)
    jg = jax.grad(lambda *x: jnp.sum(jnp.einsum("ii,ij,jk->ik", *x)), argnums=(0, 1, 2))(*ops)
    for a, b in zip(g, jg):
        assert a.device is STANDIN
        np.testing.assert_allclose(host(a), np.asarray(b), rtol=1e-10)


# ======================================================================== vmap ==
@settings(max_examples=10, deadline=None)
@given(st.integers(1, 3), st.integers(1, 3), st.sampled_from([0, 1, -1]),
       st.sampled_from(["ij,jk,kl->il", "ij,jk->ki", "ii,ij->j", "...j,jk->...k"]))
def test_vmap_einsum_vs_loop(n, k, axis, subscripts):
    a, b, c = rand(n, k), rand(k, k), rand(k, 2)
    ins = subscripts.split("->")[0].split(",")
    ops = [a, b, c][:len(ins)]
    if subscripts.startswith("ii"):
        ops = [rand(k, k), rand(k, n)]
    batch = np.stack([ops[0] + i for i in range(3)], axis=axis)
    f = lambda x, *rest: fnp.einsum(subscripts, x, *rest)  # noqa: E731
    got = fgrad.vmap(f, in_axes=(axis,) + (None,) * (len(ops) - 1))(batch, *ops[1:])
    want = np.stack([np.einsum(subscripts, np.take(batch, i, axis=axis), *ops[1:])
                     for i in range(3)])
    assert_same(got, want)
    # every operand batched, and the gradient of the batched function
    bs = [np.stack([o + i for i in range(3)]) for o in ops]
    got = fgrad.vmap(f)(*bs)
    want = np.stack([np.einsum(subscripts, *[b[i] for b in bs]) for i in range(3)])
    assert_same(got, want)
    g = fgrad.vmap(fgrad.grad(lambda *x: fnp.sum(f(*x) ** 2)))(*bs)
    jg = jax.vmap(jax.grad(lambda *x: jnp.sum(jnp.einsum(subscripts, *x) ** 2)))(*bs)
    assert_same(g, np.asarray(jg))


@pytest.mark.parametrize("sa,sb,axes", [
    ((3,), (3,), (0, 0)), ((2, 3), (3,), (0, None)), ((3,), (3, 4), (None, 0)),
    ((2, 3), (3, 4), (1, None)), ((5, 2, 3), (3, 4), (2, 0)), ((3,), (2, 3, 4), (0, 1)),
    ((2, 3), (5, 3, 4), (None, -1)), ((1, 2, 3), (4, 3, 1), (0, 0)),
    ((2, 3), (3, 1), (None, 0)), ((2, 3), (3, 1), (None, 1)), ((2, 3), (3, 1), (None, 2)),
])
def test_vmap_matmul_vs_loop(sa, sb, axes):
    a, b = rand(*sa), rand(*sb)
    ba = a if axes[0] is None else np.stack([a + i for i in range(3)], axis=axes[0])
    bb = b if axes[1] is None else np.stack([b - i for i in range(3)], axis=axes[1])
    got = fgrad.vmap(fnp.matmul, in_axes=axes)(ba, bb)
    take = lambda x, ax, i: x if ax is None else np.take(x, i, axis=ax)  # noqa: E731
    want = np.stack([np.matmul(take(ba, axes[0], i), take(bb, axes[1], i)) for i in range(3)])
    assert_same(got, want)


def test_vmap_of_matmul_with_shared_matrix_is_one_product(monkeypatch):
    shapes = []
    impl = P.matmul_p.impl
    monkeypatch.setattr(P.matmul_p, "impl", lambda xp, a, b: shapes.append((a.shape, b.shape))
                        or impl(xp, a, b))
    x, w = rand(7, 2, 3), rand(3, 4)
    got = fgrad.vmap(lambda x: x @ w)(x)
    assert_same(got, x @ w)
    assert shapes == [((14, 3), (3, 4))]


# ====================================================================== errors ==
def test_shape_error_messages():
    with pytest.raises(ValueError, match=re.escape(
            "matmul: shapes (2, 3) and (4, 5) are not aligned: 3 (dim 1) != 4 (dim 0)")):
        fnp.matmul(fnp.ones((2, 3)), fnp.ones((4, 5)))
    with pytest.raises(ValueError, match=re.escape("matmul: shapes (7, 2, 3) and (5, 3, 4)")):
        fnp.matmul(fnp.ones((7, 2, 3)), fnp.ones((5, 3, 4)))
    with pytest.raises(ValueError, match=re.escape("matmul: shapes () and (3,)")):
        fnp.matmul(2.0, fnp.ones(3))
    with pytest.raises(ValueError, match=re.escape("matmul: shapes (3,) and (4,) are not aligned")):
        fgrad.grad(lambda x: fnp.sum(x @ fnp.ones(4)))(fnp.ones(3))
    with pytest.raises(ValueError, match=re.escape("dot: shapes (2, 3) and (4,) not aligned")):
        fnp.dot(fnp.ones((2, 3)), fnp.ones(4))
    with pytest.raises(ValueError, match=r"einsum 'ij,jk->ik': operands of shapes \(2, 3\) and "
                                         r"\(4, 5\) disagree on index 'j'"):
        fnp.einsum("ij,jk->ik", fnp.ones((2, 3)), fnp.ones((4, 5)))
    with pytest.raises(ValueError, match="2 subscript terms .* for 3 operands"):
        fnp.einsum("ij,jk", fnp.ones((2, 3)), fnp.ones((3, 5)), fnp.ones(2))
    with pytest.raises(ValueError, match=r"operand 0 of shape \(2, 3\) has 2 dims but its "
                                         r"subscripts 'ijk' name 3"):
        fnp.einsum("ijk->i", fnp.ones((2, 3)))
    with pytest.raises(ValueError, match="do not appear in the input"):
        fnp.einsum("ij->iz", fnp.ones((2, 3)))
    with pytest.raises(ValueError, match="no '...' ellipsis"):
        fnp.einsum("...i->i", fnp.ones((2, 3)))
    with pytest.raises(ValueError, match=r"tensordot: shape mismatch for sum: shapes \(2, 3\) "
                                         r"and \(4, 5\)"):
        fnp.tensordot(fnp.ones((2, 3)), fnp.ones((4, 5)), 1)
    with pytest.raises(ValueError, match=r"einsum 'ij,jk->ik': operand shapes \(2, 3\) and "
                                         r"\(4, 5\) disagree on index 'j': 3 \(operand 0, dim 1\) "
                                         r"!= 4 \(operand 1, dim 0\)"):
        P.einsum_p.bind(fnp.ones((2, 3)), fnp.ones((4, 5)), subscripts="ij,jk->ik")
    with pytest.raises(ValueError, match="cross: incompatible dimensions"):
        fnp.cross(fnp.ones(2), fnp.ones(2))


def test_empty_and_complex_operands():
    z = np.zeros
    assert_same(fnp.einsum("ij,jk->ik", z((2, 0)), z((0, 3))), z((2, 3)))
    g = fgrad.grad(lambda a, b: fnp.sum(a @ b), argnums=(0, 1))(z((4, 2, 0)), z((0, 3)))
    assert [x.shape for x in g] == [(4, 2, 0), (0, 3)]
    assert fgrad.vmap(lambda a: a @ z((2, 3)))(z((0, 2))).shape == (0, 3)
    a, b = rand(2, 3) + 1j * rand(2, 3), rand(3) - 2j * rand(3)
    for name, args in (("vdot", (a[0], b)), ("vecdot", (a, b)), ("vecmat", (b, a.T)),
                       ("matmul", (a, b)), ("einsum", ("ij,j->i", a, b))):
        assert_same(getattr(fnp, name)(*args), getattr(np, name)(*args))


_BROADCAST_CASES = ["ij,jk->ik", "im,km->ik", "i,i->", "ij,j->i", "bij,bjk->bik",
                    "ij,kl->ijkl", "ijk,k->i", "ij,ji->"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_BROADCAST_CASES), st.data(),
       st.sampled_from([np.float64, np.float32, np.int64]))
def test_products_of_broadcast_views_match_numpy(subscripts, data, dtype):
    """An operand that is a broadcast view (a sum's cotangent) skips its repeated values:
    same value, dtype and shape as NumPy's einsum, and a result that owns its memory."""
    ins, _ = P.parse(subscripts)
    sizes = {c: data.draw(st.integers(1, 4), label=c) for c in sorted(set("".join(ins)))}
    ops = []
    for term in ins:
        shape = tuple(sizes[c] for c in term)
        kept = tuple(data.draw(st.booleans()) for _ in term)
        base = (RNG.standard_normal([n if k else 1 for n, k in zip(shape, kept)]) * 3).astype(dtype)
        ops.append(np.broadcast_to(base, shape))
    got = P._einsum_impl(np, *ops, subscripts=subscripts)
    want = np.einsum(subscripts, *ops)
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-5 if dtype == np.float32 else 1e-12, atol=1e-5)
    if got.ndim and got.size > 1:
        assert got.flags.writeable and 0 not in got.strides
    if subscripts == "ij,jk->ik":
        np.testing.assert_allclose(P._matmul_impl(np, *ops), ops[0] @ ops[1],
                                   rtol=1e-5 if dtype == np.float32 else 1e-12, atol=1e-5)


def test_product_with_a_sum_cotangent_reads_no_repeated_values(monkeypatch):
    """The gradient of sum(A @ B) needs no matrix product: ones @ B^T is a column sum."""
    calls = []
    xp = fgrad.devices.CPU.xp
    monkeypatch.setattr(xp, "matmul", lambda *a, **k: calls.append(a) or np.matmul(*a, **k))
    a, b = rand(50, 40), rand(40, 30)
    ga, gb = fgrad.grad(lambda a, b: fnp.sum(fnp.einsum("ij,jk->ik", a, b)), argnums=(0, 1))(
        fnp.asarray(a), fnp.asarray(b))
    np.testing.assert_allclose(np.asarray(ga), np.ones((50, 30)) @ b.T, rtol=1e-12)
    np.testing.assert_allclose(np.asarray(gb), a.T @ np.ones((50, 30)), rtol=1e-12)
    assert len(calls) == 1, "only the forward product is a matrix product"
