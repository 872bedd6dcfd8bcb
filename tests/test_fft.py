"""fgrad.numpy.fft against numpy.fft (values, dtypes) and JAX (complex derivatives)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import fgrad
import fgrad.numpy as fnp

jax = pytest.importorskip("jax")
jnp = jax.numpy
jax.config.update("jax_enable_x64", True)

NORMS = [None, "backward", "ortho", "forward"]
C2C = ["fft", "ifft", "fftn", "ifftn", "fft2", "ifft2"]
R2C = ["rfft", "rfftn", "rfft2", "ihfft"]
C2R = ["irfft", "irfftn", "irfft2", "hfft"]


def _rand(rng, shape, dtype):
    x = rng.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


@settings(deadline=None, max_examples=25)
@given(name=st.sampled_from(C2C + R2C + C2R), norm=st.sampled_from(NORMS),
       dtype=st.sampled_from([np.float32, np.float64, np.complex64, np.complex128]),
       shape=st.lists(st.integers(2, 5), min_size=2, max_size=3), seed=st.integers(0, 99))
def test_values_and_dtypes_match_numpy(name, norm, dtype, shape, seed):
    if name in R2C and np.dtype(dtype).kind == "c":
        dtype = np.float64 if dtype == np.complex128 else np.float32
    x = _rand(np.random.default_rng(seed), shape, dtype)
    got = getattr(fnp.fft, name)(fnp.asarray(x), norm=norm)
    want = getattr(np.fft, name)(x, norm=norm)
    assert got.dtype == want.dtype and got.shape == want.shape
    tol = 1e-4 if np.dtype(dtype) in (np.float32, np.complex64) else 1e-10
    np.testing.assert_allclose(np.asarray(got), want, rtol=tol, atol=tol)


@pytest.mark.parametrize("name,kw", [("fft", dict(n=7, axis=0)), ("ifft", dict(n=2)),
                                     ("rfft", dict(n=9)), ("irfft", dict(n=7, axis=0)),
                                     ("fftn", dict(s=(3, 6), axes=(0, 1))), ("rfftn", dict(s=(2, 5), axes=(1, 0))),
                                     ("irfftn", dict(s=(5, 3), axes=(1, 0))),
                                     ("hfft", dict(n=6)), ("ihfft", dict(n=3))])
def test_lengths_and_axes(name, kw):
    x = _rand(np.random.default_rng(0), (4, 5), np.complex128 if name in C2C + C2R else np.float64)
    np.testing.assert_allclose(np.asarray(getattr(fnp.fft, name)(fnp.asarray(x), **kw)),
                               getattr(np.fft, name)(x, **kw), atol=1e-12)


@pytest.mark.parametrize("name", C2C + R2C + C2R)
@pytest.mark.parametrize("norm", ["backward", "ortho", "forward"])
def test_complex_gradients_match_jax(name, norm):
    """grad of a real loss of complex intermediates, complex and real inputs (JAX's convention)."""
    rng = np.random.default_rng(1)
    z = _rand(rng, (3, 4), np.complex128)
    x = _rand(rng, (3, 4), np.float64)
    w = _rand(rng, (3, 4), np.float64)

    def loss(mod, np_):
        def f(v):
            y = getattr(mod.fft, name)(v, norm=norm)
            y2 = y * y if y.dtype.kind == "c" else y
            return np_.sum(np_.abs(y) ** 2) + np_.sum(np_.real(y2) * np_.imag(y * 1j + 0.5)) \
                + np_.sum(np_.abs(y[..., :1]) * 3.0)
        return f

    args = [x] if name in R2C else [z, x]
    for v in args:
        g = fgrad.grad(loss(fnp, fnp))(fnp.asarray(v))
        want = jax.grad(loss(jnp, jnp))(jnp.asarray(v))
        assert g.dtype == want.dtype
        np.testing.assert_allclose(np.asarray(g), np.asarray(want), rtol=1e-9, atol=1e-9)
    # forward mode agrees with JAX's too
    v, t = args[0], _rand(rng, args[0].shape, args[0].dtype)
    f_out, f_t = fgrad.jvp(lambda v: getattr(fnp.fft, name)(v, norm=norm), (fnp.asarray(v),),
                           (fnp.asarray(t),))
    j_out, j_t = jax.jvp(lambda v: getattr(jnp.fft, name)(v, norm=norm), (jnp.asarray(v),),
                         (jnp.asarray(t),))
    np.testing.assert_allclose(np.asarray(f_t), np.asarray(j_t), atol=1e-9)


def test_vjp_of_complex_output_matches_jax():
    z = _rand(np.random.default_rng(2), (6,), np.complex128)
    ct = _rand(np.random.default_rng(3), (4,), np.complex128)
    for name, kw in (("fft", {}), ("rfft", {}), ("irfft", {"n": 6})):
        v = z.real if name == "rfft" else (z[:4] if name == "irfft" else z)
        c = ct if name == "rfft" else (ct.real[:1].repeat(6) if name == "irfft" else
                                       np.concatenate([ct, ct[:2]]))
        _, pb = fgrad.vjp(lambda a: getattr(fnp.fft, name)(a, **kw), fnp.asarray(v))
        _, jpb = jax.vjp(lambda a: getattr(jnp.fft, name)(a, **kw), jnp.asarray(v))
        np.testing.assert_allclose(np.asarray(pb(fnp.asarray(c))[0]), np.asarray(jpb(jnp.asarray(c))[0]),
                                   atol=1e-10)


def test_jit_vmap_and_second_order():
    x = np.random.default_rng(4).standard_normal((3, 8))
    f = lambda v: fnp.sum(fnp.abs(fnp.fft.rfft(v * v)) ** 2)
    jf = lambda v: jnp.sum(jnp.abs(jnp.fft.rfft(v * v)) ** 2)
    np.testing.assert_allclose(np.asarray(fgrad.jit(fgrad.vmap(fgrad.grad(f)))(fnp.asarray(x))),
                               np.asarray(jax.vmap(jax.grad(jf))(jnp.asarray(x))), rtol=1e-10)
    h = fgrad.hessian(f)(fnp.asarray(x[0]))
    np.testing.assert_allclose(np.asarray(h), np.asarray(jax.hessian(jf)(jnp.asarray(x[0]))),
                               rtol=1e-9, atol=1e-9)
    jaxpr = str(fgrad.make_jaxpr(lambda v: fnp.fft.fft(v))(fnp.asarray(x)))
    assert "fft" in jaxpr


def test_freqs_and_shifts():
    for n in (1, 4, 7):
        for d in (1.0, 0.1):
            np.testing.assert_allclose(np.asarray(fnp.fft.fftfreq(n, d)), np.fft.fftfreq(n, d))
            np.testing.assert_allclose(np.asarray(fnp.fft.rfftfreq(n, d)), np.fft.rfftfreq(n, d))
    x = np.arange(12.0).reshape(3, 4)
    for axes in (None, 0, (1,), (0, 1)):
        np.testing.assert_array_equal(np.asarray(fnp.fft.fftshift(fnp.asarray(x), axes)),
                                      np.fft.fftshift(x, axes))
        np.testing.assert_array_equal(np.asarray(fnp.fft.ifftshift(fnp.asarray(x), axes)),
                                      np.fft.ifftshift(x, axes))
    assert fnp.fft.fftfreq(4, dtype=np.float32).dtype == np.float32


def test_errors():
    x = fnp.ones((3, 4))
    with pytest.raises(ValueError, match="norm"):
        fnp.fft.fft(x, norm="bad")
    with pytest.raises(ValueError, match="out of bounds"):
        fnp.fft.fft(x, axis=2)
    with pytest.raises(ValueError, match="repeated axes"):
        fnp.fft.fftn(x, axes=(0, 0))
    with pytest.raises(ValueError, match="invalid number of data points"):
        fnp.fft.fft(x, n=0)
    with pytest.raises(TypeError, match="real"):
        fnp.fft.rfft(x + 1j)


def test_complex_elementwise_rules_match_jax():
    """Real losses of complex intermediates: JAX's convention (grad = conj of the
    steepest-ascent direction for complex inputs; real for real inputs)."""
    z = np.array([3 + 4j, 1 - 2j, -0.5 + 0.25j])
    x = np.array([0.5, -1.5, 2.0])
    losses = [
        lambda m, v: m.sum(m.abs(v) ** 2),
        lambda m, v: m.sum(m.real(v) * m.imag(v)),
        lambda m, v: m.sum(m.real(m.conj(v) * v * v)),
        lambda m, v: m.sum(m.abs(v * (1 + 2j))),
        lambda m, v: m.sum(m.imag(m.exp(v) / (v + 3.0) + m.sqrt(v * v + 1j))),
        lambda m, v: m.sum(m.real(m.log(v + 5.0)) + m.abs(m.astype(v, np.complex64)) * 1.0),
        lambda m, v: m.sum(m.arctan2(m.imag(v * v), m.real(v * v) + 10.0)),
    ]
    for k, loss in enumerate(losses):
        for v in (z, x):
            g = fgrad.grad(lambda a: loss(fnp, a))(fnp.asarray(v))
            jg = jax.grad(lambda a: loss(jnp, a))(jnp.asarray(v))
            assert g.dtype == jg.dtype, k
            np.testing.assert_allclose(np.asarray(g), np.asarray(jg), rtol=1e-6, atol=1e-7,
                                       err_msg=f"loss {k}")
