"""fgrad.random: bit-exactness with jax.random, determinism, independence, moments,
shapes/dtypes, vmap over keys, gradients through samples, errors."""
import numpy as np
import pytest

import fgrad
import fgrad.numpy as fnp
import fgrad.random as fr
from fgrad.devices import STANDIN

jax = pytest.importorskip("jax")
jr = jax.random


def _np(x):
    if isinstance(x, fgrad.Array) and x.device is not fgrad.devices.CPU:
        x = fgrad.device_put(x, "cpu")
    return np.asarray(x)


@pytest.mark.parametrize("seed", [0, 1, 42, 2 ** 40 + 7, -1, 2 ** 63 - 1])
def test_keys_match_jax(seed):
    assert jax.config.jax_enable_x64 and jax.config.jax_threefry_partitionable
    k = fr.key(seed)
    assert k.dtype == np.uint32 and k.shape == (2,)
    np.testing.assert_array_equal(_np(k), np.asarray(jr.PRNGKey(seed)))
    np.testing.assert_array_equal(_np(fr.PRNGKey(seed)), _np(k))


def test_split_fold_in_bits_match_jax():
    k, jk = fr.key(7), jr.PRNGKey(7)
    np.testing.assert_array_equal(_np(fr.split(k)), np.asarray(jr.split(jk)))
    np.testing.assert_array_equal(_np(fr.split(k, 5)), np.asarray(jr.split(jk, 5)))
    np.testing.assert_array_equal(_np(fr.split(k, (2, 3))), np.asarray(jr.split(jk, (2, 3))))
    for d in (0, 3, 2 ** 31 + 5):
        np.testing.assert_array_equal(_np(fr.fold_in(k, d)), np.asarray(jr.fold_in(jk, d)))
    for dt in (np.uint8, np.uint16, np.uint32, np.uint64):
        np.testing.assert_array_equal(_np(fr.bits(k, (3, 5), dt)),
                                      np.asarray(jr.bits(jk, (3, 5), dt)))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_uniform_normal_match_jax(dtype):
    k, jk = fr.key(3), jr.PRNGKey(3)
    u = _np(fr.uniform(k, (500,), dtype))
    assert u.dtype == dtype
    np.testing.assert_array_equal(u, np.asarray(jr.uniform(jk, (500,), dtype)))
    n = _np(fr.normal(k, (4, 125), dtype))
    assert n.dtype == dtype and n.shape == (4, 125)
    tol = {np.float16: 1e-3, np.float32: 1e-4, np.float64: 1e-13}[dtype]
    np.testing.assert_allclose(n, np.asarray(jr.normal(jk, (4, 125), dtype)), rtol=tol,
                               atol=tol)


def test_other_samplers_match_jax():
    k, jk = fr.key(11), jr.PRNGKey(11)
    np.testing.assert_allclose(_np(fr.uniform(k, (50,), minval=-2.0, maxval=3.0)),
                               np.asarray(jr.uniform(jk, (50,), minval=-2.0, maxval=3.0)),
                               rtol=1e-15, atol=1e-15)
    for lo, hi, dt in [(0, 10, np.int64), (-5, 5, np.int32), (0, 256, np.uint8),
                       (3, 3, np.int64), (-2 ** 62, 2 ** 62, np.int64)]:
        got = _np(fr.randint(k, (200,), lo, hi, dt))
        assert got.dtype == dt
        np.testing.assert_array_equal(got, np.asarray(jr.randint(jk, (200,), lo, hi, dt)))
    np.testing.assert_array_equal(_np(fr.bernoulli(k, 0.3, (100,))),
                                  np.asarray(jr.bernoulli(jk, 0.3, (100,))))
    np.testing.assert_allclose(_np(fr.exponential(k, (100,))),
                               np.asarray(jr.exponential(jk, (100,))), rtol=1e-13)
    np.testing.assert_allclose(_np(fr.gumbel(k, (100,))), np.asarray(jr.gumbel(jk, (100,))),
                               rtol=1e-13, atol=1e-15)
    logits = np.random.default_rng(0).normal(size=(4, 6))
    np.testing.assert_array_equal(_np(fr.categorical(k, logits)),
                                  np.asarray(jr.categorical(jk, logits)))
    np.testing.assert_array_equal(_np(fr.categorical(k, logits, axis=0, shape=(3, 6))),
                                  np.asarray(jr.categorical(jk, logits, axis=0, shape=(3, 6))))
    x = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(_np(fr.permutation(k, 10)), np.asarray(jr.permutation(jk, 10)))
    np.testing.assert_array_equal(_np(fr.permutation(k, x, axis=1)),
                                  np.asarray(jr.permutation(jk, x, axis=1)))
    np.testing.assert_array_equal(_np(fr.permutation(k, x, axis=1, independent=True)),
                                  np.asarray(jr.permutation(jk, x, axis=1, independent=True)))
    p = np.array([0.1, 0.2, 0.3, 0.4])
    for kw in (dict(shape=(4,)), dict(shape=(4,), replace=False), dict(shape=(6,), p=p),
               dict(shape=(3,), replace=False, p=p)):
        n = 10 if "p" not in kw else 4
        np.testing.assert_array_equal(_np(fr.choice(k, n, **kw)),
                                      np.asarray(jr.choice(jk, n, **kw)))
    np.testing.assert_allclose(_np(fr.truncated_normal(k, -1.0, 2.0, (100,))),
                               np.asarray(jr.truncated_normal(jk, -1.0, 2.0, (100,))),
                               rtol=1e-12, atol=1e-13)


def test_deterministic_and_independent():
    a = _np(fr.normal(fr.key(5), (1000,)))
    np.testing.assert_array_equal(a, _np(fr.normal(fr.key(5), (1000,))))
    k1, k2 = fr.split(fr.key(5))
    x, y = _np(fr.normal(k1, (4000,))), _np(fr.normal(k2, (4000,)))
    assert not np.array_equal(x, y) and not np.array_equal(x, a[:1000])
    assert abs(np.corrcoef(x, y)[0, 1]) < 0.06
    # the same numbers on the stand-in device
    ks = fgrad.device_put(fr.key(5), STANDIN)
    out = fr.normal(ks, (1000,))
    assert out.device is STANDIN
    np.testing.assert_array_equal(_np(out), a)


def test_moments_and_ranges():
    k = fr.key(2024)
    n = 20000
    u = _np(fr.uniform(k, (n,), minval=2.0, maxval=4.0))
    assert u.min() >= 2.0 and u.max() < 4.0 and abs(u.mean() - 3.0) < 0.02
    z = _np(fr.normal(k, (n,)))
    assert abs(z.mean()) < 0.03 and abs(z.std() - 1) < 0.03
    assert abs(np.mean(z ** 3)) < 0.1 and abs(np.mean(z ** 4) - 3) < 0.2
    e = _np(fr.exponential(k, (n,)))
    assert e.min() >= 0 and abs(e.mean() - 1) < 0.04
    g = _np(fr.gumbel(k, (n,)))
    assert abs(g.mean() - np.euler_gamma) < 0.04
    b = _np(fr.bernoulli(k, 0.3, (n,)))
    assert b.dtype == np.bool_ and abs(b.mean() - 0.3) < 0.02
    r = _np(fr.randint(k, (n,), -3, 4))
    assert set(np.unique(r)) == set(range(-3, 4))
    assert np.all(np.abs(np.bincount(r + 3) / n - 1 / 7) < 0.015)
    t = _np(fr.truncated_normal(k, -0.5, 1.5, (n,)))
    assert t.min() > -0.5 and t.max() < 1.5
    c = _np(fr.categorical(k, np.log([0.2, 0.3, 0.5]), shape=(n,)))
    assert np.all(np.abs(np.bincount(c, minlength=3) / n - [0.2, 0.3, 0.5]) < 0.02)
    perm = _np(fr.permutation(k, 50))
    assert sorted(perm.tolist()) == list(range(50))
    ch = _np(fr.choice(k, 20, (20,), replace=False))
    assert sorted(ch.tolist()) == list(range(20))


def test_shapes_and_dtypes():
    k = fr.key(0)
    assert fr.uniform(k).shape == () and fr.uniform(k).dtype == np.float64
    assert fr.normal(k, 3).shape == (3,)
    assert fr.normal(k, (2, 0)).shape == (2, 0)
    assert fr.randint(k, (2, 3), 0, 5).dtype == np.int64
    assert fr.bernoulli(k, fnp.asarray([0.1, 0.9])).shape == (2,)
    assert fr.choice(k, fnp.arange(10.0), (2, 3)).shape == (2, 3)
    assert fr.choice(k, fnp.ones((4, 5)), (2,), axis=1).shape == (4, 2)
    assert fr.split(k, 4).dtype == np.uint32
    assert fr.categorical(k, fnp.zeros((3, 5))).shape == (3,)


def test_vmap_over_keys():
    keys = fr.split(fr.key(1), 5)
    fns = [lambda k: fr.normal(k, (3,)), lambda k: fr.uniform(k, (2,), minval=-1.0),
           lambda k: fr.split(k, 3), lambda k: fr.fold_in(k, 9),
           lambda k: fr.randint(k, (4,), 0, 7), lambda k: fr.permutation(k, 6),
           lambda k: fr.categorical(k, fnp.asarray([0.0, 1.0, 2.0])),
           lambda k: fr.choice(k, 5, (2,), replace=False),
           lambda k: fr.bernoulli(k, 0.5, (3,)),
           lambda k: fr.truncated_normal(k, -1.0, 1.0, (2,))]
    for f in fns:
        got = _np(fgrad.vmap(f)(keys))
        want = np.stack([_np(f(keys[i])) for i in range(5)])
        np.testing.assert_array_equal(got, want)
    # keys batched along another axis
    got = _np(fgrad.vmap(lambda k: fr.normal(k, (2,)), in_axes=1)(fnp.transpose(keys)))
    np.testing.assert_array_equal(got, np.stack([_np(fr.normal(keys[i], (2,))) for i in range(5)]))


def test_gradients_through_samples():
    k = fr.key(4)
    z = fr.normal(k, (6,))

    def f(sigma, mu):
        return fnp.sum((fr.normal(k, (6,)) * sigma + mu) ** 2)
    gs, gm = fgrad.grad(f, argnums=(0, 1))(1.5, 0.5)
    zz = _np(z)
    np.testing.assert_allclose(float(gs), np.sum(2 * (zz * 1.5 + 0.5) * zz), rtol=1e-12)
    np.testing.assert_allclose(float(gm), np.sum(2 * (zz * 1.5 + 0.5)), rtol=1e-12)
    # uniform is differentiable in its bounds
    g = fgrad.grad(lambda hi: fnp.sum(fr.uniform(k, (5,), minval=0.0, maxval=hi)))(fnp.asarray(2.0))
    np.testing.assert_allclose(float(g), _np(fr.uniform(k, (5,))).sum(), rtol=1e-12)


def test_errors():
    with pytest.raises(TypeError, match=r"fgrad.random.normal: expected a PRNG key \(uint32 array "
                                        r"of shape \(2,\)\), got ndarray of dtype float64"):
        fr.normal(np.zeros(2), (3,))
    with pytest.raises(TypeError, match="fgrad.vmap"):
        fr.uniform(fr.split(fr.key(0), 3))
    with pytest.raises(TypeError, match="got int 3"):
        fr.split(3)
    with pytest.raises(TypeError, match="seed must be an integer"):
        fr.key(1.5)
    with pytest.raises(TypeError, match="floating-point"):
        fr.normal(fr.key(0), (2,), np.int32)
    with pytest.raises(TypeError, match="integer dtype"):
        fr.randint(fr.key(0), (2,), 0, 3, np.float64)
    with pytest.raises(ValueError, match="larger sample"):
        fr.choice(fr.key(0), 3, (5,), replace=False)
