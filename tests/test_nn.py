"""fgrad.nn functional helpers: values and gradients vs jax.nn (float64), stability."""
import numpy as np
import pytest

import fgrad
import fgrad.numpy as fnp
import fgrad.nn as nn

jax = pytest.importorskip("jax")
jnn = jax.nn

X = np.random.default_rng(0).normal(size=(3, 5)) * 4
NAMES = ["relu", "relu6", "elu", "selu", "celu", "silu", "swish", "softplus", "sigmoid",
         "log_sigmoid", "softmax", "log_softmax", "leaky_relu", "hard_tanh", "standardize",
         "soft_sign", "logsumexp", "hard_sigmoid"]


def _pair(name):
    ours = getattr(nn, name, None) or getattr(nn, name.replace("_", ""))
    return ours, getattr(jnn, name)


@pytest.mark.parametrize("name", NAMES)
def test_values_and_gradients_vs_jax(name):
    f, jf = _pair(name)
    np.testing.assert_allclose(np.asarray(f(X)), np.asarray(jf(X)), rtol=1e-13, atol=1e-15)
    w = np.cos(np.arange(X.size)).reshape(X.shape)
    g = fgrad.grad(lambda x: fnp.sum(f(x) * w))(fnp.asarray(X))
    jg = jax.grad(lambda x: (jf(x) * w).sum())(X)
    np.testing.assert_allclose(np.asarray(g), np.asarray(jg), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("approximate", [True, False])
def test_gelu(approximate):
    np.testing.assert_allclose(np.asarray(nn.gelu(X, approximate=approximate)),
                               np.asarray(jnn.gelu(X, approximate=approximate)), rtol=1e-13,
                               atol=1e-15)  # 1 + tanh(-large) cancels in the tail
    g = fgrad.grad(lambda x: fnp.sum(nn.gelu(x, approximate)))(fnp.asarray(X))
    jg = jax.grad(lambda x: jnn.gelu(x, approximate).sum())(X)
    np.testing.assert_allclose(np.asarray(g), np.asarray(jg), rtol=1e-12, atol=1e-14)
    same = nn.gelu(X, approximate="tanh" if approximate else "none")
    np.testing.assert_array_equal(np.asarray(same), np.asarray(nn.gelu(X, approximate)))


def test_axes_and_dim():
    for ax in (0, 1, -1):
        np.testing.assert_allclose(np.asarray(nn.softmax(X, axis=ax)),
                                   np.asarray(jnn.softmax(X, axis=ax)), rtol=1e-13)
        np.testing.assert_array_equal(np.asarray(nn.log_softmax(X, dim=ax)),
                                      np.asarray(nn.log_softmax(X, axis=ax)))
    np.testing.assert_allclose(np.asarray(nn.softmax(X, axis=(0, 1))),
                               np.asarray(jnn.softmax(X, axis=(0, 1))), rtol=1e-13)
    with pytest.raises(TypeError, match="not both"):
        nn.softmax(X, axis=0, dim=1)


def test_stability():
    big = fnp.asarray([1000.0, 0.0])
    assert nn.softmax(big).tolist() == [1.0, 0.0]
    assert nn.log_softmax(big).tolist() == [0.0, -1000.0]
    assert nn.softplus(fnp.asarray([1000.0, -1000.0])).tolist() == [1000.0, 0.0]
    assert nn.log_sigmoid(fnp.asarray([-1000.0])).tolist() == [-1000.0]
    assert float(nn.logsumexp(fnp.asarray([1e4, 1e4]))) == pytest.approx(1e4 + np.log(2))
    for f in (lambda x: fnp.sum(nn.softplus(x)), lambda x: nn.logsumexp(x),
              lambda x: fnp.sum(nn.log_softmax(x) * fnp.asarray([1.0, 2.0, 3.0])),
              lambda x: fnp.sum(nn.log_sigmoid(x)), lambda x: fnp.sum(nn.softmax(x)[0]),
              lambda x: fnp.sum(nn.elu(x)), lambda x: fnp.sum(nn.gelu(x, False))):
        g = np.asarray(fgrad.grad(f)(fnp.asarray([1e4, -1e4, 0.0])))
        assert np.all(np.isfinite(g)), g
    assert np.asarray(fgrad.grad(lambda x: fnp.sum(nn.softplus(x)))(
        fnp.asarray([1e4, -1e4]))).tolist() == [1.0, 0.0]
    # kinks as JAX
    assert float(fgrad.grad(nn.relu)(0.0)) == 0.0
    assert float(fgrad.grad(nn.relu6)(6.0)) == 0.0
    # second derivatives of the stable forms
    h = fgrad.hessian(lambda x: nn.logsumexp(x))(fnp.asarray([0.5, 1.5, -1.0]))
    jh = jax.hessian(lambda x: jax.nn.logsumexp(x))(np.array([0.5, 1.5, -1.0]))
    np.testing.assert_allclose(np.asarray(h), np.asarray(jh), rtol=1e-12, atol=1e-15)


def test_one_hot():
    idx = np.array([[0, 2], [5, -1]])
    np.testing.assert_array_equal(np.asarray(nn.one_hot(idx, 4)), np.asarray(jnn.one_hot(idx, 4)))
    assert nn.one_hot(idx, 4).dtype == np.float64
    np.testing.assert_array_equal(np.asarray(nn.one_hot(idx, 4, dtype=np.int32, axis=0)),
                                  np.asarray(jnn.one_hot(idx, 4, dtype=np.int32, axis=0)))
    with pytest.raises(ValueError, match="num_classes"):
        nn.one_hot(idx, -1)


def test_normalize_like_torch():
    torch = pytest.importorskip("torch")
    t = torch.tensor(X)
    for p, dim in ((2.0, 1), (1.0, 0), (3.0, -1)):
        np.testing.assert_allclose(np.asarray(nn.normalize(X, p=p, dim=dim)),
                                   torch.nn.functional.normalize(t, p=p, dim=dim).numpy(),
                                   rtol=1e-13)


def test_vmap_and_jit_compose():
    f = lambda x: nn.log_softmax(x) + nn.gelu(x)  # noqa: E731
    got = np.asarray(fgrad.vmap(f)(fnp.asarray(X)))
    want = np.stack([np.asarray(f(fnp.asarray(r))) for r in X])
    np.testing.assert_allclose(got, want, rtol=1e-15)
    np.testing.assert_allclose(np.asarray(fgrad.jit(f)(fnp.asarray(X))), np.asarray(f(X)),
                               rtol=1e-15)
