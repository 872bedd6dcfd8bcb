"""jit's API as JAX's: decorator factory, static_argnums/static_argnames, traced keyword
arguments, donate_argnums, and one trace cache per function."""
from functools import partial

import numpy as np
import pytest

import fgrad
import fgrad.numpy as fnp


def test_decorator_factory_and_partial():
    @fgrad.jit(static_argnums=(1,))
    def power(x, n):
        return x ** n

    @partial(fgrad.jit, static_argnames="n")
    def power2(x, n):
        return x ** n

    x = fnp.asarray([1.0, 2.0])
    np.testing.assert_allclose(np.asarray(power(x, 3)), [1.0, 8.0])
    np.testing.assert_allclose(np.asarray(power2(x, n=2)), [1.0, 4.0])
    np.testing.assert_allclose(np.asarray(power2(x, 3)), [1.0, 8.0])   # position of "n"


def test_static_argnames_drive_python_control_flow():
    traces = []

    def f(x, mode="sin"):
        traces.append(mode)
        return fnp.sin(x) if mode == "sin" else fnp.cos(x)

    jf = fgrad.jit(f, static_argnames=("mode",))
    x = fnp.asarray([0.0, 1.0])
    np.testing.assert_allclose(np.asarray(jf(x, mode="cos")), np.cos([0.0, 1.0]))
    np.testing.assert_allclose(np.asarray(jf(x, mode="sin")), np.sin([0.0, 1.0]))
    jf(x, mode="cos")
    assert traces == ["cos", "sin"]
    with pytest.raises(fgrad.ConcretizationTypeError):   # not static: traced
        fgrad.jit(lambda x, flag=True: x if flag else -x)(x, flag=fnp.asarray(1.0) > 0)


def test_static_argnums_infer_names_and_back():
    def f(x, n):
        return x * n

    np.testing.assert_allclose(np.asarray(fgrad.jit(f, static_argnums=1)(fnp.ones(2), n=3)),
                               [3.0, 3.0])
    np.testing.assert_allclose(np.asarray(fgrad.jit(f, static_argnames="n")(fnp.ones(2), 4)),
                               [4.0, 4.0])
    with pytest.raises(ValueError, match="not parameters"):
        fgrad.jit(f, static_argnames="m")


def test_traced_keyword_arguments_are_not_baked_in():
    jf = fgrad.jit(lambda x, y: x + y)
    a, b = fnp.asarray([1.0]), fnp.asarray([10.0])
    np.testing.assert_allclose(np.asarray(jf(a, y=a)), [2.0])
    np.testing.assert_allclose(np.asarray(jf(a, y=b)), [11.0])     # same signature, new value
    g = fgrad.grad(lambda y: fnp.sum(jf(a, y=y) ** 2))(b)
    np.testing.assert_allclose(np.asarray(g), [22.0])
    assert len(jf.lower(a, y=b).invars) == 2


def test_unhashable_static_argument():
    jf = fgrad.jit(lambda x, opts: x * len(opts), static_argnums=1)
    with pytest.raises(TypeError, match="hashable"):
        jf(fnp.ones(2), [1, 2])


def test_cache_shared_by_wrappers_of_one_function():
    traces = []

    def f(x):
        traces.append(1)
        return x * 2.0

    fgrad.jit(f)(fnp.ones(3))
    fgrad.jit(f)(fnp.ones(3))
    assert len(traces) == 1
    fgrad.jit(f, static_argnums=0)              # another configuration: its own cache
    fgrad.jit(f)(fnp.ones(4))
    assert len(traces) == 2


def test_donate_argnums_is_a_hint():
    x = fnp.arange(4.0)
    y = fgrad.jit(lambda x: x * 2.0, donate_argnums=0)(x)
    np.testing.assert_allclose(np.asarray(y), [0.0, 2.0, 4.0, 6.0])
    np.testing.assert_allclose(np.asarray(x), [0.0, 1.0, 2.0, 3.0])   # still valid
    with pytest.raises(TypeError):
        fgrad.jit(lambda x: x, donate_argnums="x")


def test_against_jax_static_semantics():
    jax = pytest.importorskip("jax")

    def f(x, n, scale=1.0):
        return (x ** n).sum() * scale

    x = np.array([1.0, 2.0, 3.0])
    ours = fgrad.jit(f, static_argnums=1)(fnp.asarray(x), 3, scale=2.0)
    theirs = jax.jit(f, static_argnums=1)(x, 3, scale=2.0)
    np.testing.assert_allclose(float(ours), float(theirs))
    gours = fgrad.grad(fgrad.jit(f, static_argnames="n"), argnums=0)(fnp.asarray(x), n=2)
    gtheirs = jax.grad(jax.jit(f, static_argnames="n"), argnums=0)(x, n=2)
    np.testing.assert_allclose(np.asarray(gours), np.asarray(gtheirs))
