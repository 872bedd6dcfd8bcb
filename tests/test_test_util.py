"""fgrad.test_util.check_grads: passes on correct rules, fails on wrong ones."""
import numpy as np
import pytest

import fgrad
import fgrad.numpy as fnp
from fgrad.test_util import check_grads


@pytest.mark.parametrize("modes", [("fwd",), ("rev",), ("fwd", "rev")])
def test_correct_rules_pass_to_order_two(modes):
    x = fnp.asarray([0.3, -1.2, 2.0])
    check_grads(lambda x, y: fnp.sin(x) * y ** 2, (x, fnp.asarray(0.7)), order=2, modes=modes)
    check_grads(lambda d: fnp.sum(d["a"] * d["b"]), ({"a": x, "b": x * 2},), order=2,
                modes=modes)


def _wrong_rule():
    @fgrad.custom_jvp
    def f(x):
        return fnp.sin(x)

    @f.defjvp
    def f_jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        return fnp.sin(x), 1.1 * fnp.cos(x) * t      # 10% off
    return f


@pytest.mark.parametrize("modes", [("fwd",), ("rev",)])
def test_a_wrong_rule_fails(modes):
    with pytest.raises(AssertionError, match="JVP|VJP"):
        check_grads(_wrong_rule(), (fnp.asarray([0.5, 1.0]),), order=1, modes=modes)


def test_wrong_second_derivative_is_caught():
    @fgrad.custom_jvp
    def f(x):
        return x ** 3

    @f.defjvp
    def f_jvp(primals, tangents):
        (x,), (t,) = primals, tangents
        return x ** 3, 3 * fgrad.stop_gradient(x) ** 2 * t   # first order right, second wrong
    check_grads(f, (fnp.asarray(0.8),), order=1)
    with pytest.raises(AssertionError):
        check_grads(f, (fnp.asarray(0.8),), order=2, modes=["rev"])


def test_tolerances_eps_and_errors():
    check_grads(fnp.exp, (fnp.asarray(np.float32(0.5)),), order=1)   # float32 tolerance
    check_grads(fnp.exp, (fnp.asarray(0.5),), order=1, atol=1e-6, rtol=1e-6, eps=1e-5)
    with pytest.raises(ValueError, match="modes"):
        check_grads(fnp.exp, (fnp.asarray(0.5),), order=1, modes=["bwd"])
    with pytest.raises(TypeError, match="floating"):
        check_grads(fnp.exp, (fnp.asarray(1),), order=1)


def test_same_verdict_as_jax():
    jtu = pytest.importorskip("jax.test_util")
    jnp = pytest.importorskip("jax.numpy")
    x = np.array([0.4, 1.3])
    jtu.check_grads(lambda x: jnp.tanh(x) * x, (x,), order=2)
    check_grads(lambda x: fnp.tanh(x) * x, (fnp.asarray(x),), order=2)
