"""``fgrad.numpy.linalg``: values vs NumPy (batched too), gradients vs JAX (float64),
the documented edge cases (NaN for non-PD cholesky, errors for singular matrices and
bad shapes, inf/NaN at degenerate spectra), norms, and the compositions.

The primitives also run through the generic checker (``tests/specs/linalg.py``).
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import fgrad
import fgrad.numpy as fnp
from fgrad.devices import get as get_device

jax = pytest.importorskip("jax")
jnp = jax.numpy

LA = fnp.linalg
RNG = np.random.default_rng(1234)


def well(shape, rng=RNG, c=2.0):
    """A well-conditioned (..., n, n) matrix: small noise plus c I."""
    return rng.uniform(-0.4, 0.4, size=shape) + c * np.eye(shape[-1])


def spd(shape, rng=RNG):
    b = rng.standard_normal(shape)
    return b @ np.swapaxes(b, -1, -2) + shape[-1] * np.eye(shape[-1])


def spread(shape, rng=RNG, step=3.0):
    """(..., m, n) with distinct, well-separated singular values / eigenvalues."""
    x = rng.uniform(-0.3, 0.3, size=shape)
    k = min(shape[-2:])
    d = np.zeros(shape[-2:])
    d[np.arange(k), np.arange(k)] = step * np.arange(k, 0, -1)
    return x + d


def close(a, b, rtol=1e-10, atol=1e-12):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=rtol, atol=atol)


# ================================================================ values ==
VALUE_CASES = [
    ("inv", lambda m, a: m.linalg.inv(a), lambda s: well(s), [(3, 3), (2, 4, 4), (2, 1, 3, 3)]),
    ("det", lambda m, a: m.linalg.det(a), lambda s: well(s), [(3, 3), (2, 4, 4), (0, 2, 2)]),
    ("slogdet", lambda m, a: tuple(m.linalg.slogdet(a)), lambda s: well(s) - 4 * np.eye(s[-1]),
     [(3, 3), (2, 4, 4)]),
    ("cholesky", lambda m, a: m.linalg.cholesky(a), spd, [(1, 1), (3, 3), (2, 4, 4)]),
    ("cholesky_upper", lambda m, a: m.linalg.cholesky(a, upper=True), spd, [(3, 3), (2, 3, 3)]),
    ("eigvalsh", lambda m, a: m.linalg.eigvalsh(a), spd, [(3, 3), (2, 4, 4)]),
    ("svdvals", lambda m, a: m.linalg.svd(a, compute_uv=False), lambda s: RNG.standard_normal(s),
     [(3, 5), (2, 5, 3), (4, 4)]),
    ("pinv", lambda m, a: m.linalg.pinv(a), lambda s: RNG.standard_normal(s),
     [(3, 5), (2, 5, 3), (4, 4)]),
    ("matrix_rank", lambda m, a: m.linalg.matrix_rank(a),
     lambda s: RNG.standard_normal(s[:-1] + (2,)) @ RNG.standard_normal((2, s[-1])),
     [(4, 4), (2, 5, 3)]),
    ("cond", lambda m, a: m.linalg.cond(a), lambda s: well(s), [(3, 3), (2, 4, 4)]),
    ("cond_1", lambda m, a: m.linalg.cond(a, 1), lambda s: well(s), [(3, 3), (2, 4, 4)]),
    ("cond_-2", lambda m, a: m.linalg.cond(a, -2), lambda s: well(s), [(3, 3)]),
    ("matrix_power_3", lambda m, a: m.linalg.matrix_power(a, 3), lambda s: well(s),
     [(3, 3), (2, 4, 4)]),
    ("matrix_power_0", lambda m, a: m.linalg.matrix_power(a, 0), lambda s: well(s), [(2, 3, 3)]),
    ("matrix_power_-2", lambda m, a: m.linalg.matrix_power(a, -2), lambda s: well(s), [(3, 3)]),
]


@pytest.mark.parametrize("name,f,make,shapes", VALUE_CASES, ids=[c[0] for c in VALUE_CASES])
def test_values_match_numpy(name, f, make, shapes):
    for shape in shapes:
        a = make(shape)
        got, want = f(fnp, fnp.asarray(a)), f(np, a)
        got = got if isinstance(got, tuple) else (got,)
        want = want if isinstance(want, tuple) else (want,)
        for g, w in zip(got, want):
            assert g.shape == np.shape(w) and g.dtype == np.asarray(w).dtype, (name, shape)
            close(g, w, rtol=1e-9, atol=1e-11)


def test_factorizations_reconstruct_and_match_numpy_up_to_signs():
    a = spread((2, 5, 3))
    u, s, vh = LA.svd(fnp.asarray(a), full_matrices=False)
    close(fnp.matmul(u * s[..., None, :], vh), a)
    nu, ns, nvh = np.linalg.svd(a, full_matrices=False)
    close(s, ns)
    close(np.abs(np.asarray(u)), np.abs(nu), atol=1e-10)
    uf, sf, vhf = LA.svd(fnp.asarray(a))               # NumPy's default: full matrices
    assert uf.shape == (2, 5, 5) and vhf.shape == (2, 3, 3)
    q, r = LA.qr(fnp.asarray(a))
    close(fnp.matmul(q, r), a)
    close(np.tril(np.asarray(r), -1), 0)
    assert LA.qr(fnp.asarray(a), mode="complete").Q.shape == (2, 5, 5)
    close(LA.qr(fnp.asarray(a), mode="r"), np.linalg.qr(a, mode="r"))
    h = spd((2, 4, 4))
    w, v = LA.eigh(fnp.asarray(h))
    close(fnp.matmul(v * w[..., None, :], fnp.swapaxes(v, -1, -2)), h)
    close(w, np.linalg.eigh(h).eigenvalues)
    assert isinstance(LA.eigh(fnp.asarray(h)), LA.EighResult)
    assert isinstance(LA.slogdet(fnp.asarray(h)), LA.SlogdetResult)


def test_float32_stays_float32_and_ints_compute_in_float64():
    a = well((3, 3)).astype(np.float32)
    for f in (LA.inv, LA.det, LA.cholesky, LA.pinv, LA.eigvalsh, LA.svdvals, LA.norm):
        assert f(fnp.asarray(a + a.T)).dtype == np.float32, f.__name__
    assert LA.solve(fnp.asarray(a), fnp.ones(3, dtype=np.float32)).dtype == np.float32
    ai = np.array([[2, 1], [1, 3]])
    close(LA.inv(fnp.asarray(ai)), np.linalg.inv(ai))
    close(LA.eigh(fnp.asarray(ai)).eigenvalues, np.linalg.eigh(ai).eigenvalues)
    close(LA.norm(fnp.asarray(ai)), np.linalg.norm(ai))


def test_solve_shapes_follow_numpy2():
    a = well((2, 3, 3))
    for b in (RNG.standard_normal(3), RNG.standard_normal((3, 2)),
              RNG.standard_normal((2, 3, 4)), RNG.standard_normal((5, 1, 3, 2))):
        aa = a if b.ndim != 4 else a[None]
        got = LA.solve(fnp.asarray(aa), fnp.asarray(b))
        close(got, np.linalg.solve(aa, b))
    close(LA.solve(fnp.asarray(a[0]), fnp.asarray(RNG.standard_normal((4, 3, 2)))).shape,
          (4, 3, 2))


def test_symmetrize_input_and_uplo():
    a = well((3, 3)) + np.triu(RNG.standard_normal((3, 3)), 1)     # not symmetric
    sym = (a + a.T) / 2
    close(LA.eigh(fnp.asarray(a)).eigenvalues, np.linalg.eigvalsh(sym))
    for uplo in ("L", "U"):
        close(LA.eigh(fnp.asarray(a), UPLO=uplo, symmetrize_input=False).eigenvalues,
              np.linalg.eigh(a, UPLO=uplo).eigenvalues)
        close(LA.eigvalsh(fnp.asarray(a), UPLO=uplo, symmetrize_input=False),
              np.linalg.eigvalsh(a, UPLO=uplo))
    p = spd((3, 3)) + np.triu(np.ones((3, 3)), 1)
    close(LA.cholesky(fnp.asarray(p), symmetrize_input=False), np.linalg.cholesky(p))
    close(LA.cholesky(fnp.asarray(p), upper=True, symmetrize_input=False),
          np.linalg.cholesky(p, upper=True))


def test_multi_dot_lstsq():
    mats = [RNG.standard_normal(s) for s in [(4,), (4, 6), (6, 2), (2, 3), (3,)]]
    close(LA.multi_dot([fnp.asarray(m) for m in mats]), np.linalg.multi_dot(mats))
    mats = [RNG.standard_normal(s) for s in [(10, 2), (2, 8), (8, 3)]]
    close(LA.multi_dot([fnp.asarray(m) for m in mats]), np.linalg.multi_dot(mats))
    for a_shape, b_shape in [((5, 3), (5,)), ((5, 3), (5, 2)), ((3, 5), (3,)), ((4, 4), (4, 2))]:
        a, b = RNG.standard_normal(a_shape), RNG.standard_normal(b_shape)
        got, want = LA.lstsq(fnp.asarray(a), fnp.asarray(b)), np.linalg.lstsq(a, b)
        for g, w in zip(got, want):
            assert np.shape(g) == np.shape(w), (a_shape, b_shape)
            close(g, w, rtol=1e-8, atol=1e-10)
    # rank-deficient tall: NumPy's empty residuals
    a = np.ones((4, 2))
    assert LA.lstsq(fnp.asarray(a), fnp.ones(4))[1].shape == (0,)
    assert int(LA.lstsq(fnp.asarray(a), fnp.ones(4))[2]) == 1


# ================================================================= norms ==
VEC_ORDS = [None, 2, 1, np.inf, -np.inf, 0, 3, 0.5, -1]
MAT_ORDS = [None, "fro", "nuc", np.inf, -np.inf, 1, -1, 2, -2]


@pytest.mark.parametrize("ord", VEC_ORDS, ids=str)
def test_vector_norms_match_numpy(ord):
    x = RNG.standard_normal((3, 4, 5))
    x[0, 0, 0] = 0.0
    for axis in (0, 1, -1):
        for keepdims in (False, True):
            close(LA.norm(fnp.asarray(x), ord, axis, keepdims),
                  np.linalg.norm(x, ord, axis, keepdims))
    v = x[1, 1]
    close(LA.norm(fnp.asarray(v), ord), np.linalg.norm(v, ord))
    if ord is not None and ord != 0:
        close(LA.vector_norm(fnp.asarray(x), ord=ord, axis=(0, 2), keepdims=True),
              np.linalg.vector_norm(x, ord=ord, axis=(0, 2), keepdims=True))


@pytest.mark.parametrize("ord", MAT_ORDS, ids=str)
def test_matrix_norms_match_numpy(ord):
    x = RNG.standard_normal((3, 4, 5))
    for axis in ((0, 1), (1, 0), (-1, -2), (0, 2), (2, 0)):
        for keepdims in (False, True):
            close(LA.norm(fnp.asarray(x), ord, axis, keepdims),
                  np.linalg.norm(x, ord, axis, keepdims))
    close(LA.norm(fnp.asarray(x[0]), ord), np.linalg.norm(x[0], ord))
    close(LA.matrix_norm(fnp.asarray(x), ord=ord or "fro", keepdims=True),
          np.linalg.matrix_norm(x, ord=ord or "fro", keepdims=True))


def test_norm_defaults_and_errors():
    x = RNG.standard_normal((2, 3, 4))
    close(LA.norm(fnp.asarray(x)), np.linalg.norm(x))
    close(LA.norm(fnp.asarray(x), keepdims=True), np.linalg.norm(x, keepdims=True))
    close(LA.vector_norm(fnp.asarray(x)), np.linalg.vector_norm(x))
    with pytest.raises(ValueError, match="improper number of dimensions"):
        LA.norm(fnp.asarray(x), ord=1)
    with pytest.raises(ValueError, match="invalid norm order 'fro' for vectors"):
        LA.norm(fnp.asarray(x), "fro", axis=0)
    with pytest.raises(ValueError, match="invalid norm order 3 for matrices"):
        LA.norm(fnp.asarray(x), 3, axis=(0, 1))
    with pytest.raises(np.exceptions.AxisError):
        LA.norm(fnp.asarray(x), axis=3)


NORM_GRADS = [(None, None), (1, -1), (np.inf, 0), (3, 1), (0.5, 0),
              ("fro", (0, 1)), ("nuc", (1, 2)), (2, (-1, -2)), (-2, (1, 2)),
              (1, (0, 2)), (np.inf, (1, 2)), (-np.inf, (2, 1))]


@pytest.mark.parametrize("ord,axis", NORM_GRADS, ids=str)
def test_norm_gradients_match_jax(ord, axis):
    x = RNG.standard_normal((2, 3, 4))
    g = fgrad.grad(lambda x: fnp.sum(LA.norm(x, ord, axis) ** 2))(fnp.asarray(x))
    jg = jax.grad(lambda x: jnp.sum(jnp.linalg.norm(x, ord, axis) ** 2))(x)
    close(g, jg, rtol=1e-9, atol=1e-10)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_norm_gradient_at_zero_is_nan_like_jax():
    g = fgrad.grad(lambda x: LA.norm(x))(fnp.zeros(3))
    assert np.all(np.isnan(np.asarray(g)))
    assert np.all(np.isnan(np.asarray(jax.grad(lambda x: jnp.linalg.norm(x))(jnp.zeros(3)))))


# ============================================================ gradients ==
def _gauge(m, u, ref):
    """Columns of u with the signs that make ``ref``'s diagonal positive."""
    return u * m.sign(m.diagonal(ref, axis1=-2, axis2=-1))[..., None, :]


GRAD_CASES = [
    ("inv", lambda m, a: m.linalg.inv(a), lambda: well((2, 3, 3))),
    ("det", lambda m, a: m.linalg.det(a), lambda: well((2, 3, 3))),
    ("slogdet", lambda m, a: m.linalg.slogdet(a)[1], lambda: well((2, 3, 3)) - 4 * np.eye(3)),
    ("cholesky", lambda m, a: m.linalg.cholesky(a), lambda: spd((2, 4, 4))),
    ("cholesky_nonsym", lambda m, a: m.linalg.cholesky(a),
     lambda: spd((3, 3)) + 0.3 * RNG.standard_normal((3, 3))),
    ("eigh_vals", lambda m, a: m.linalg.eigh(a)[0], lambda: spread((2, 4, 4))),
    ("eigh_vecs", lambda m, a: _gauge(m, m.linalg.eigh(a)[1], m.linalg.eigh(a)[1]),
     lambda: (lambda s: s + np.swapaxes(s, -1, -2))(spread((2, 4, 4)) / 2)),
    ("eigh_nonsym", lambda m, a: m.linalg.eigh(a)[0] * m.arange(1.0, 4.0),
     lambda: spread((3, 3))),
    ("eigvalsh", lambda m, a: m.linalg.eigvalsh(a), lambda: spd((2, 3, 3))),
    ("svd_s", lambda m, a: m.linalg.svd(a, compute_uv=False),
     lambda: RNG.standard_normal((2, 5, 3))),
    ("svd_u_tall", lambda m, a: _gauge(m, m.linalg.svd(a, full_matrices=False)[0],
                                       m.linalg.svd(a, full_matrices=False)[0]),
     lambda: spread((2, 5, 3))),
    ("svd_vh_wide", lambda m, a: m.swapaxes(_gauge(
        m, m.swapaxes(m.linalg.svd(a, full_matrices=False)[2], -1, -2),
        m.linalg.svd(a, full_matrices=False)[0]), -1, -2), lambda: spread((2, 3, 5))),
    ("svd_square_full", lambda m, a: _gauge(m, m.linalg.svd(a)[0], m.linalg.svd(a)[0]),
     lambda: spread((4, 4))),
    ("qr_q", lambda m, a: m.linalg.qr(a)[0], lambda: RNG.standard_normal((2, 5, 3))),
    ("qr_r", lambda m, a: m.linalg.qr(a)[1], lambda: RNG.standard_normal((4, 4))),
    ("pinv_tall", lambda m, a: m.linalg.pinv(a), lambda: RNG.standard_normal((2, 5, 3))),
    ("pinv_wide", lambda m, a: m.linalg.pinv(a), lambda: RNG.standard_normal((3, 5))),
    ("pinv_orthogonal", lambda m, a: m.linalg.pinv(a),
     lambda: np.linalg.qr(RNG.standard_normal((4, 4)))[0]),
    ("solve", lambda m, a: m.linalg.solve(a, m.asarray(np.arange(6.0).reshape(2, 3, 1))),
     lambda: well((2, 3, 3))),
    ("matrix_power", lambda m, a: m.linalg.matrix_power(a, -3), lambda: well((3, 3))),
    ("cond", lambda m, a: m.linalg.cond(a), lambda: spread((3, 3))),
    ("multi_dot", lambda m, a: m.linalg.multi_dot([a, a.T, a]),
     lambda: RNG.standard_normal((3, 4))),
]


@pytest.mark.parametrize("name,f,make", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_gradients_match_jax(name, f, make):
    a = make()
    out = np.asarray(f(np, a))
    w = RNG.standard_normal(out.shape)
    u = RNG.standard_normal(a.shape)
    g = fgrad.grad(lambda a: fnp.sum(f(fnp, a) * fnp.asarray(w)))(fnp.asarray(a))
    jg = jax.grad(lambda a: jnp.sum(f(jnp, a) * w))(a)
    close(g, jg, rtol=1e-8, atol=1e-10)
    _, t = fgrad.jvp(lambda a: f(fnp, a), (fnp.asarray(a),), (fnp.asarray(u),))
    _, jt = jax.jvp(lambda a: f(jnp, a), (a,), (u,))
    close(t, jt, rtol=1e-8, atol=1e-10)
    # second order: the Hessian-vector product of <w, f>
    hv = fgrad.jvp(fgrad.grad(lambda a: fnp.sum(f(fnp, a) * fnp.asarray(w))),
                   (fnp.asarray(a),), (fnp.asarray(u),))[1]
    jhv = jax.jvp(jax.grad(lambda a: jnp.sum(f(jnp, a) * w)), (a,), (u,))[1]
    close(hv, jhv, rtol=1e-7, atol=1e-9)


def test_logdet_gradient_is_inverse_transpose():
    a = well((3, 3))
    g = fgrad.grad(lambda a: LA.slogdet(a).logabsdet)(fnp.asarray(a))
    close(g, np.linalg.inv(a).T)


# ================================================================== vmap ==
def test_vmap_of_wrappers_matches_loop():
    a, b = well((4, 3, 3)), RNG.standard_normal((4, 3))
    got = fgrad.vmap(LA.solve)(fnp.asarray(a), fnp.asarray(b))
    close(got, np.stack([np.linalg.solve(a[i], b[i]) for i in range(4)]))
    got = fgrad.vmap(LA.solve, in_axes=(None, 0))(fnp.asarray(a[0]), fnp.asarray(b))
    close(got, np.stack([np.linalg.solve(a[0], b[i]) for i in range(4)]))
    got = fgrad.vmap(lambda x: LA.norm(x, "nuc"), in_axes=2)(fnp.asarray(a))
    close(got, [np.linalg.norm(a[:, :, i], "nuc") for i in range(3)])
    g = fgrad.vmap(fgrad.grad(lambda x: LA.slogdet(x)[1]))(fnp.asarray(a))
    close(g, np.swapaxes(np.linalg.inv(a), -1, -2))


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 4), st.integers(0, 2 ** 32 - 1))
def test_solve_inverts_matmul(n, seed):
    rng = np.random.default_rng(seed)
    a, x = well((2, n, n), rng), rng.standard_normal((2, n, 2))
    b = fnp.matmul(fnp.asarray(a), fnp.asarray(x))
    close(LA.solve(fnp.asarray(a), b), x, rtol=1e-9, atol=1e-9)
    close(fnp.matmul(LA.inv(fnp.asarray(a)), b), x, rtol=1e-9, atol=1e-9)


# =========================================================== edge cases ==
def test_cholesky_of_non_positive_definite_is_nan_like_jax():
    a = np.stack([spd((3, 3)), np.diag([1.0, -1.0, 1.0])])
    L = np.asarray(LA.cholesky(fnp.asarray(a)))
    close(L[0], np.linalg.cholesky(a[0]))
    close(L[1], jnp.linalg.cholesky(a[1]))             # NaN below the diagonal, 0 above
    assert np.all(np.isnan(L[1][np.tril_indices(3)]))
    g = fgrad.grad(lambda x: fnp.sum(LA.cholesky(x)))(fnp.asarray(a[1]))
    assert np.all(np.isnan(np.asarray(g)))
    # the same inside vmap and on the stand-in device (whose arrays are not NumPy's)
    close(fgrad.vmap(LA.cholesky)(fnp.asarray(a)), L, atol=0)
    on = fgrad.device_put(fnp.asarray(a), get_device("standin"))
    close(np.array(fgrad.device_put(LA.cholesky(on), "cpu")), L, atol=0)


def test_singular_matrices_raise_linalg_error():
    s = np.array([[1.0, 2.0], [2.0, 4.0]])
    for f in (LA.inv, lambda a: LA.solve(a, fnp.ones(2))):
        with pytest.raises(LA.LinAlgError, match="singular matrix"):
            f(fnp.asarray(s))
    with pytest.raises(np.linalg.LinAlgError, match="inv: singular"):
        fgrad.grad(LA.det)(fnp.asarray(s))
    assert float(LA.det(fnp.asarray(s))) == 0.0
    sign, logdet = LA.slogdet(fnp.asarray(s))
    assert float(sign) == 0.0 and float(logdet) == -np.inf
    # pinv and lstsq handle it
    close(LA.pinv(fnp.asarray(s)), np.linalg.pinv(s))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_degenerate_spectra_give_nan_not_wrong_numbers():
    eye = fnp.eye(3)
    g = fgrad.grad(lambda a: fnp.sum(LA.eigh(a).eigenvectors * fnp.arange(9.0).reshape(3, 3)))(eye)
    assert np.isnan(np.asarray(g)).any()
    g = fgrad.grad(lambda a: fnp.sum(LA.svd(a)[0] * fnp.arange(9.0).reshape(3, 3)))(eye)
    assert np.isnan(np.asarray(g)).any()
    # eigenvalues / singular values alone stay finite (their derivative exists)
    close(fgrad.grad(lambda a: fnp.sum(LA.eigvalsh(a)))(eye), np.eye(3))
    close(fgrad.grad(lambda a: LA.norm(a, "nuc"))(eye), np.eye(3))
    close(fgrad.grad(lambda a: fnp.sum(LA.pinv(a)))(eye),
          jax.grad(lambda a: jnp.sum(jnp.linalg.pinv(a)))(np.eye(3)))


def test_unimplemented_derivatives_raise_clearly():
    with pytest.raises(NotImplementedError, match=r"svd: .*full_matrices=True.*\(3, 2\)"):
        fgrad.grad(lambda a: fnp.sum(LA.svd(a)[0]))(fnp.ones((3, 2)))
    with pytest.raises(NotImplementedError, match=r"qr: .*\(2, 3\)"):
        fgrad.grad(lambda a: fnp.sum(LA.qr(a)[1]))(fnp.asarray(RNG.standard_normal((2, 3))))
    with pytest.raises(NotImplementedError, match=r"qr: .*\(2, 3\)"):
        fgrad.jvp(lambda a: LA.qr(a)[1], (fnp.ones((2, 3)),), (fnp.ones((2, 3)),))


def test_bad_shapes_and_dtypes_name_the_op():
    with pytest.raises(ValueError,
                       match=r"solve: a \(3, 3\) and b \(4,\) have incompatible shapes"):
        LA.solve(fnp.ones((3, 3)), fnp.ones(4))
    with pytest.raises(ValueError, match=r"solve: a \(2, 3, 3\) and b \(4, 3, 1\)"):
        LA.solve(fnp.ones((2, 3, 3)), fnp.ones((4, 3, 1)))
    for f in (LA.inv, LA.det, LA.slogdet, LA.cholesky, LA.eigh, LA.eigvalsh):
        with pytest.raises(ValueError, match=r"square matrix .*\(3, 2\)"):
            f(fnp.ones((3, 2)))
    with pytest.raises(ValueError, match=r"svd: expected a matrix .*\(3,\)"):
        LA.svd(fnp.ones(3))
    with pytest.raises(TypeError, match="float16"):
        LA.inv(fnp.ones((2, 2), dtype=np.float16))
    with pytest.raises(TypeError, match="svd: complex"):
        LA.svd(fnp.asarray(np.eye(2) * (1 + 1j)))
    with pytest.raises(ValueError, match="UPLO"):
        LA.eigh(fnp.eye(2), UPLO="X")
    with pytest.raises(ValueError, match="mode"):
        LA.qr(fnp.eye(2), mode="raw")
    with pytest.raises(TypeError, match="integer"):
        LA.matrix_power(fnp.eye(2), 1.5)


def test_staging_sees_the_primitives():
    jaxpr = str(fgrad.make_jaxpr(lambda a: LA.svd(a, full_matrices=False))(fnp.ones((3, 2))))
    assert "svd[" in jaxpr and "f64[3,2]" in jaxpr and "f64[2,2]" in jaxpr
    a = well((3, 3))
    f = fgrad.jit(lambda a: LA.slogdet(a)[1])
    close(f(fnp.asarray(a)), np.linalg.slogdet(a)[1])


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_unused_singular_vectors_do_not_poison_the_gradient():
    # only s (or w) is used: finite at repeated values, as JAX (symbolic zero cotangents)
    eye = fnp.eye(3)
    close(fgrad.grad(lambda a: fnp.sum(LA.svd(a)[1]))(eye), np.eye(3))
    close(fgrad.grad(lambda a: fnp.sum(LA.eigh(a)[0]))(eye), np.eye(3))
    close(fgrad.grad(lambda a: fnp.sum(LA.svd(a)[1]))(eye),
          jax.grad(lambda a: jnp.sum(jnp.linalg.svd(a)[1]))(np.eye(3)))


def test_docstring_examples_run():
    import doctest
    import fgrad.numpy.linalg as mod
    result = doctest.testmod(mod, extraglobs={"fnp": fnp}, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 20 and result.failed == 0
