"""``fgrad.nn.init`` and ``fgrad.nn.utils``: the initialisers' shapes, bounds and
statistics (the draws cannot match PyTorch's: different generators), their gains, fans
and errors as PyTorch's, the global seed, and the clipping/conversion utilities against
PyTorch."""
import math

import numpy as np
import pytest

import fgrad
from fgrad import nn
from fgrad.nn import init

from ._torch_compare import compare

torch = pytest.importorskip("torch")


def draw(fn, shape=(300, 200), **kwargs):
    t = fgrad.empty(*shape)
    out = fn(t, **kwargs)
    assert out is t
    return t.numpy().astype(np.float64)


def test_calculate_gain_matches_pytorch():
    for args in [("linear",), ("conv2d",), ("sigmoid",), ("tanh",), ("relu",),
                 ("leaky_relu",), ("leaky_relu", 0.2), ("selu",)]:
        assert init.calculate_gain(*args) == torch.nn.init.calculate_gain(*args), args
    compare("torch.nn.init.calculate_gain('softsign')")
    compare("torch.nn.init.calculate_gain('leaky_relu', 'x')")


def test_uniform_normal_constant_ones_zeros_eye():
    u = draw(init.uniform_, a=-2.0, b=3.0)
    assert u.min() >= -2.0 and u.max() < 3.0
    assert abs(u.mean() - 0.5) < 0.05 and abs(u.std() - 5 / math.sqrt(12)) < 0.05
    n = draw(init.normal_, mean=1.0, std=0.5)
    assert abs(n.mean() - 1.0) < 0.01 and abs(n.std() - 0.5) < 0.01
    assert (draw(init.constant_, val=0.25) == 0.25).all()
    assert (draw(init.ones_) == 1).all() and (draw(init.zeros_) == 0).all()
    np.testing.assert_array_equal(draw(init.eye_, shape=(3, 4)), np.eye(3, 4))
    compare("torch.nn.init.eye_(torch.empty(2, 2, 2))")


def test_xavier_and_kaiming_bounds_and_std():
    shape = (256, 128)
    fan_in, fan_out = 128, 256
    a = math.sqrt(6 / (fan_in + fan_out))
    x = draw(init.xavier_uniform_, shape)
    assert np.abs(x).max() <= a and abs(x.std() - a / math.sqrt(3)) < 0.02 * a
    x = draw(init.xavier_normal_, shape, gain=2.0)
    assert abs(x.std() - 2 * math.sqrt(2 / (fan_in + fan_out))) < 0.01
    b = math.sqrt(2) * math.sqrt(3 / fan_in)
    k = draw(init.kaiming_uniform_, shape, nonlinearity="relu")
    assert np.abs(k).max() <= b and abs(k.std() - b / math.sqrt(3)) < 0.02 * b
    k = draw(init.kaiming_normal_, shape, mode="fan_out")   # leaky_relu, a=0: gain sqrt(2)
    assert abs(k.std() - math.sqrt(2 / fan_out)) < 0.002
    conv = draw(init.kaiming_uniform_, (16, 8, 3, 3), a=math.sqrt(5))
    assert np.abs(conv).max() <= 1 / math.sqrt(8 * 9)        # Linear/Conv default bound
    compare("torch.nn.init.xavier_uniform_(torch.empty(3))")
    compare("torch.nn.init.kaiming_normal_(torch.empty(3, 3), mode='fan_avg')")


def test_trunc_normal_and_orthogonal():
    t = draw(init.trunc_normal_, (400, 100), mean=0.5, std=1.0, a=-0.5, b=1.0)
    assert t.min() >= -0.5 and t.max() <= 1.0
    # the mean of N(0.5, 1) truncated to [-0.5, 1]
    from math import erf, exp, pi, sqrt
    alpha, beta = -1.0, 0.5
    phi = lambda z: exp(-z * z / 2) / sqrt(2 * pi)  # noqa: E731
    Phi = lambda z: (1 + erf(z / sqrt(2))) / 2      # noqa: E731
    expected = 0.5 + (phi(alpha) - phi(beta)) / (Phi(beta) - Phi(alpha))
    assert abs(t.mean() - expected) < 0.01
    for shape in [(5, 3), (3, 5), (4, 2, 3)]:
        q = draw(init.orthogonal_, shape, gain=2.0).reshape(shape[0], -1)
        small = q @ q.T if shape[0] <= q.shape[1] else q.T @ q
        np.testing.assert_allclose(small, 4 * np.eye(min(q.shape)), atol=1e-5)
    compare("torch.nn.init.orthogonal_(torch.empty(3))")


def test_init_follows_the_global_seed_and_leaves_no_graph():
    w = nn.Parameter(fgrad.empty(4, 4))
    fgrad.manual_seed(5)
    init.kaiming_uniform_(w)
    first = w.detach().numpy().copy()
    fgrad.manual_seed(5)
    init.kaiming_uniform_(w)
    np.testing.assert_array_equal(w.detach().numpy(), first)
    assert w.is_leaf and w.grad_fn is None and w.requires_grad
    with pytest.warns(UserWarning, match="zero-element"):
        init.kaiming_uniform_(fgrad.empty(0, 3))


def test_clip_grad_norm_and_value_match_pytorch():
    rng = np.random.default_rng(0)
    grads = [rng.normal(size=(3, 4)), rng.normal(size=5) * 10, rng.normal(size=(2,))]
    for max_norm, norm_type in [(1.0, 2.0), (100.0, 2.0), (0.5, 1.0), (0.3, math.inf),
                                (2.0, 3.0)]:
        tp = [torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.float64)) for g in grads]
        fp = [nn.Parameter(fgrad.zeros(g.shape, dtype=fgrad.float64)) for g in grads]
        for a, b, g in zip(tp, fp, grads):
            a.grad = torch.tensor(g)
            b.grad = fgrad.tensor(g)
        fp[2].grad = None
        tp[2].grad = None
        tn = torch.nn.utils.clip_grad_norm_(tp, max_norm, norm_type)
        fn = nn.utils.clip_grad_norm_(fp, max_norm, norm_type)
        np.testing.assert_allclose(fn.numpy(), tn.numpy(), rtol=1e-13)
        for a, b in zip(tp[:2], fp[:2]):
            np.testing.assert_allclose(b.grad.numpy(), a.grad.numpy(), rtol=1e-13)
    p = nn.Parameter(fgrad.zeros(3))
    p.grad = fgrad.tensor([-5.0, 0.1, 7.0])
    assert nn.utils.clip_grad_value_(p, 1.0) is None
    assert p.grad.tolist() == [-1.0, pytest.approx(0.1), 1.0]
    assert nn.utils.clip_grad_norm_([nn.Parameter(fgrad.zeros(2))], 1.0).item() == 0.0
    compare("""
        p = torch.nn.Parameter(torch.zeros(2)); p.grad = torch.tensor([float('inf'), 1.0])
        torch.nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)
    """)


def test_parameters_to_vector_and_back():
    compare("""
        torch.manual_seed(0)
        m = torch.nn.Linear(3, 2)
        v = torch.nn.utils.parameters_to_vector(m.parameters())
        print(v.shape, v.grad_fn is not None)
        torch.nn.utils.vector_to_parameters(torch.arange(8.0), m.parameters())
        print(m.weight, m.bias)
        torch.nn.utils.vector_to_parameters([1.0], m.parameters())
    """)
