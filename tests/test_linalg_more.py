"""fgrad.numpy.linalg additions: eig/eigvals (complex outputs, derivatives vs JAX's eig with
eigenvector derivatives enabled), tensorinv/tensorsolve, and the remaining names vs NumPy."""
import numpy as np
import pytest

import fgrad
import fgrad.numpy as fnp

jax = pytest.importorskip("jax")
jnp = jax.numpy
jax.config.update("jax_enable_x64", True)


def _jeig(a):
    return jax.lax.linalg.eig(a, compute_left_eigenvectors=False, enable_eigvec_derivs=True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_eig_values_dtypes_batches(dtype):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((2, 4, 4)).astype(dtype)
    w, v = fnp.linalg.eig(a)
    assert w.dtype == v.dtype == (np.complex64 if dtype == np.float32 else np.complex128)
    nw, nv = np.linalg.eig(a)
    np.testing.assert_allclose(np.asarray(w), nw, rtol=1e-4 if dtype == np.float32 else 1e-12)
    np.testing.assert_allclose(np.asarray(v), nv, atol=1e-4 if dtype == np.float32 else 1e-12)
    av = np.einsum("bij,bjk->bik", a.astype(np.complex128), np.asarray(v))
    np.testing.assert_allclose(av, np.asarray(v) * np.asarray(w)[:, None, :], atol=1e-4)
    # real spectrum: still complex, as JAX
    assert fnp.linalg.eigvals(np.diag([1.0, 2.0])).dtype == np.complex128
    np.testing.assert_allclose(np.asarray(fgrad.vmap(fnp.linalg.eigvals)(fnp.asarray(a))), nw,
                               rtol=1e-4)


def test_eig_derivatives_match_jax():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((4, 4))
    t = rng.standard_normal((4, 4))

    def loss(lib, eig):
        def f(m):
            w, v = eig(m)
            return (lib.sum(lib.abs(v[0]) ** 2 * lib.arange(4.0)) + lib.sum(lib.real(v * v))
                    + lib.sum(lib.real(w) ** 2 - lib.imag(w) ** 3))
        return f
    g = fgrad.grad(loss(fnp, fnp.linalg.eig))(fnp.asarray(a))
    jg = jax.grad(loss(jnp, _jeig))(jnp.asarray(a))
    np.testing.assert_allclose(np.asarray(g), np.asarray(jg), rtol=1e-9, atol=1e-10)
    _, (dw, dv) = fgrad.jvp(lambda m: tuple(fnp.linalg.eig(m)), (fnp.asarray(a),), (fnp.asarray(t),))
    _, (jdw, jdv) = jax.jvp(lambda m: tuple(_jeig(m)), (jnp.asarray(a),), (jnp.asarray(t),))
    np.testing.assert_allclose(np.asarray(dw), np.asarray(jdw), atol=1e-10)
    np.testing.assert_allclose(np.asarray(dv), np.asarray(jdv), atol=1e-10)
    # eigvals: JAX's own jnp.linalg.eigvals derivative
    gw = fgrad.grad(lambda m: fnp.sum(fnp.abs(fnp.linalg.eigvals(m))))(fnp.asarray(a))
    jgw = jax.grad(lambda m: jnp.sum(jnp.abs(jnp.linalg.eigvals(m))))(jnp.asarray(a))
    np.testing.assert_allclose(np.asarray(gw), np.asarray(jgw), rtol=1e-9, atol=1e-10)
    # eigvals stays finite at repeated eigenvalues (only the unused eigenvectors are singular)
    with np.errstate(divide="ignore", invalid="ignore"):
        g_rep = fgrad.grad(lambda m: fnp.sum(fnp.real(fnp.linalg.eigvals(m))))(fnp.eye(3))
    np.testing.assert_allclose(np.asarray(g_rep), np.eye(3))


def test_tensorinv_tensorsolve():
    rng = np.random.default_rng(2)
    a = rng.standard_normal((4, 6, 8, 3)) + 0.0
    for ind in (1, 2):
        b = a.reshape(24, 24).reshape(a.shape) if ind == 2 else rng.standard_normal((6, 2, 3))
        np.testing.assert_allclose(np.asarray(fnp.linalg.tensorinv(b, ind=ind)),
                                   np.linalg.tensorinv(b, ind=ind), rtol=1e-9, atol=1e-12)
    a = rng.standard_normal((6, 2, 3)) + 3 * np.eye(6).reshape(6, 2, 3)
    b = rng.standard_normal(6)
    np.testing.assert_allclose(np.asarray(fnp.linalg.tensorsolve(a, b)),
                               np.linalg.tensorsolve(a, b), rtol=1e-10)
    a2 = rng.standard_normal((6, 2, 3))
    b2 = rng.standard_normal((2, 3))
    np.testing.assert_allclose(np.asarray(fnp.linalg.tensorsolve(a2, b2, axes=(0,))),
                               np.linalg.tensorsolve(a2, b2, axes=(0,)), rtol=1e-9)
    g = fgrad.grad(lambda m: fnp.sum(fnp.linalg.tensorsolve(m, b) ** 2))(fnp.asarray(a))
    jg = jax.grad(lambda m: jnp.sum(jnp.linalg.tensorsolve(m, b) ** 2))(jnp.asarray(a))
    np.testing.assert_allclose(np.asarray(g), np.asarray(jg), rtol=1e-9)
    with pytest.raises(ValueError, match="tensorinv"):
        fnp.linalg.tensorinv(np.ones((2, 3)), ind=1)


@pytest.mark.parametrize("name,args,kw", [
    ("pinv", (np.arange(6.0).reshape(2, 3),), {}),
    ("matrix_power", (np.array([[1.0, 2.0], [3.0, 4.0]]), 3), {}),
    ("matrix_power", (np.array([[1.0, 2.0], [3.0, 4.0]]), -2), {}),
    ("matrix_rank", (np.outer(np.arange(3.0), np.arange(4.0)),), {}),
    ("cond", (np.array([[1.0, 2.0], [3.0, 4.0]]),), {}),
    ("eigvalsh", (np.array([[2.0, 1.0], [1.0, 3.0]]),), {}),
    ("multi_dot", ([np.ones((2, 3)), np.ones((3, 4)), np.ones((4, 1))],), {}),
])
def test_existing_names_vs_numpy(name, args, kw):
    np.testing.assert_allclose(np.asarray(getattr(fnp.linalg, name)(*args, **kw)),
                               getattr(np.linalg, name)(*args, **kw), rtol=1e-10, atol=1e-12)


def test_lstsq_rcond_and_norms():
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal((5, 3)), rng.standard_normal(5)
    for got, want in zip(fnp.linalg.lstsq(a, b, rcond=None), np.linalg.lstsq(a, b, rcond=None)):
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-10)
    x = rng.standard_normal((3, 4))
    np.testing.assert_allclose(float(fnp.linalg.matrix_norm(x)), np.linalg.matrix_norm(x))
    np.testing.assert_allclose(np.asarray(fnp.linalg.vector_norm(x, axis=1, ord=3)),
                               np.linalg.vector_norm(x, axis=1, ord=3))
