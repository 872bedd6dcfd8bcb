"""Hostile input gets a clear error or the right answer, never a silent wrong result.

Table-driven: each class of bad input (out-of-range or non-integer axes, vmap out_axes
out of range, complex outputs where a real one is needed, custom rules and hooks that
return the wrong shape or type, non-numeric data) is tried against every function
family that takes it, checking the error type, that the message names the argument,
and that the inputs are unchanged. The kink and edge derivatives that the references
define (JAX for Arrays, PyTorch for tensors) are checked against those references.
"""
from __future__ import annotations

import sys
import threading

import numpy as np
import pytest
from hypothesis import given, strategies as st

import fgrad
import fgrad.numpy as fnp
from fgrad.errors import UnexpectedTracerError

AxisError = np.exceptions.AxisError

# ------------------------------------------------------------------ axes ----
# (name, call(x, axis)): every function that takes one axis of a 2-d array
ONE_AXIS = [
    ("sum", lambda x, a: fnp.sum(x, axis=a)),
    ("mean", lambda x, a: fnp.mean(x, axis=a)),
    ("max", lambda x, a: fnp.max(x, axis=a)),
    ("argmax", lambda x, a: fnp.argmax(x, axis=a)),
    ("cumsum", lambda x, a: fnp.cumsum(x, axis=a)),
    ("swapaxes", lambda x, a: fnp.swapaxes(x, 0, a)),
    ("moveaxis", lambda x, a: fnp.moveaxis(x, a, 0)),
    ("moveaxis-destination", lambda x, a: fnp.moveaxis(x, 0, a)),
    ("expand_dims", lambda x, a: fnp.expand_dims(x, a)),
    ("stack", lambda x, a: fnp.stack([x, x], axis=a)),
    ("concatenate", lambda x, a: fnp.concatenate([x, x], axis=a)),
    ("roll", lambda x, a: fnp.roll(x, 1, axis=a)),
    ("split", lambda x, a: fnp.split(x, 1, axis=a)),
    ("array_split", lambda x, a: fnp.array_split(x, 1, axis=a)),
    ("repeat", lambda x, a: fnp.repeat(x, 2, axis=a)),
    ("flip", lambda x, a: fnp.flip(x, axis=a)),
    ("squeeze", lambda x, a: fnp.squeeze(fnp.ones((1, 1)), axis=a)),
    ("take", lambda x, a: fnp.take(x, fnp.asarray([0]), axis=a)),
    ("transpose", lambda x, a: fnp.transpose(x, (0, a))),
    ("one_hot", lambda x, a: fgrad.nn.one_hot(fnp.asarray([[0, 1]]), 2, axis=a)),
    ("permutation", lambda x, a: fgrad.random.permutation(fgrad.random.key(0), x, axis=a)),
]
# the number of dimensions each call's axis ranges over (stack/expand_dims add one)
EXTRA_DIM = {"stack": 1, "expand_dims": 1, "one_hot": 1}


def _range(name):
    return 2 + EXTRA_DIM.get(name, 0)


@pytest.mark.parametrize("name,call", ONE_AXIS, ids=[n for n, _ in ONE_AXIS])
@given(axis=st.integers(-12, 12))
def test_axis_out_of_range_is_an_error(name, call, axis):
    x_host = np.arange(6.0).reshape(2, 3) if name != "squeeze" else np.ones((1, 1))
    x = fnp.asarray(x_host)
    nd = _range(name)
    if -nd <= axis < nd:
        if name in ("transpose",) and axis % 2 == 0:
            return             # (0, 0) is a repeated axis, not a range error
        call(x, axis)          # in range: no error
        return
    with pytest.raises(AxisError, match=f"{axis}.* out of bounds"):
        call(x, axis)
    np.testing.assert_array_equal(np.asarray(x), x_host)        # nothing changed


@pytest.mark.parametrize("name,call", ONE_AXIS, ids=[n for n, _ in ONE_AXIS])
@pytest.mark.parametrize("axis", [1.5, "0", np.float64(1.0)])
def test_axis_that_is_not_an_integer_is_a_type_error(name, call, axis):
    x = fnp.ones((2, 3)) if name != "squeeze" else fnp.ones((1, 1))
    with pytest.raises(TypeError, match="integer"):
        call(x, axis)


def test_transpose_needs_a_permutation():
    x = fnp.ones((2, 3, 4))
    with pytest.raises(ValueError, match="don't match"):
        fnp.transpose(x, (0, 1))
    with pytest.raises(ValueError, match="repeated axis"):
        fnp.transpose(x, (0, 1, 1))
    assert fnp.transpose(x, (-1, 0, 1)).shape == (4, 2, 3)      # negatives allowed


def test_numpy_agrees_on_in_range_axes():
    x_host = np.arange(24.0).reshape(2, 3, 4)
    x = fnp.asarray(x_host)
    for a in range(-3, 3):
        np.testing.assert_array_equal(fnp.moveaxis(x, a, 0), np.moveaxis(x_host, a, 0))
        np.testing.assert_array_equal(fnp.swapaxes(x, a, -1), np.swapaxes(x_host, a, -1))
        np.testing.assert_array_equal(fnp.roll(x, 2, axis=a), np.roll(x_host, 2, axis=a))
        np.testing.assert_array_equal(fnp.repeat(x, 2, axis=a), np.repeat(x_host, 2, axis=a))
    for a in range(-4, 4):
        np.testing.assert_array_equal(fnp.stack([x, x], axis=a), np.stack([x_host, x_host], a))
        np.testing.assert_array_equal(fnp.expand_dims(x, a), np.expand_dims(x_host, a))


def test_split_sections_must_be_positive():
    with pytest.raises(ValueError, match="larger than 0"):
        fnp.split(fnp.ones(4), 0)
    with pytest.raises(ValueError, match="same length"):
        fnp.roll(fnp.ones((2, 2)), (1, 2, 3), axis=(0, 1))


# ------------------------------------------------------------ vmap axes ----
@pytest.mark.parametrize("out_axes", [2, 5, -3])
def test_vmap_out_axes_out_of_range(out_axes):
    with pytest.raises(ValueError, match=f"out_axes={out_axes}"):
        fgrad.vmap(lambda x: x * 2, out_axes=out_axes)(fnp.ones((2, 3)))


def test_vmap_out_axes_of_a_reduced_output():
    with pytest.raises(ValueError, match="out_axes=1"):
        fgrad.vmap(fnp.sum, out_axes=1)(fnp.ones((2, 3)))
    assert fgrad.vmap(fnp.sum, out_axes=-1)(fnp.ones((2, 3))).shape == (2,)


# ---------------------------------------------------------------- complex ----
def test_grad_of_a_complex_output_is_refused_as_in_jax():
    with pytest.raises(TypeError, match="real-valued outputs.*holomorphic=True"):
        fgrad.grad(lambda x: fnp.sum(x * (1 + 1j)))(fnp.ones(3))
    with pytest.raises(TypeError, match="jacrev requires real-valued outputs"):
        fgrad.jacrev(lambda v: v * 1j)(fnp.ones(2))


def test_jacfwd_of_real_to_complex_works():
    jac = fgrad.jacfwd(lambda v: v * 1j)(fnp.ones(2))
    np.testing.assert_array_equal(jac, np.diag([1j, 1j]))


def test_jacfwd_refuses_complex_inputs_without_holomorphic():
    with pytest.raises(TypeError, match="real-valued inputs.*holomorphic"):
        fgrad.jacfwd(lambda z: z * 2)(fnp.ones(2) + 0j)


def test_holomorphic_grad_is_the_complex_derivative():
    z = 1.0 + 2.0j
    assert complex(fgrad.grad(lambda z: z * z, holomorphic=True)(z)) == pytest.approx(2 * z)
    jac = fgrad.jacrev(lambda z: z ** 3, holomorphic=True)(fnp.asarray([z]))
    np.testing.assert_allclose(jac, [[3 * z ** 2]])
    jac = fgrad.jacfwd(lambda z: z ** 3, holomorphic=True)(fnp.asarray([z]))
    np.testing.assert_allclose(jac, [[3 * z ** 2]])
    with pytest.raises(TypeError, match="holomorphic=True requires inputs with complex"):
        fgrad.grad(lambda x: x * x, holomorphic=True)(1.0)
    with pytest.raises(TypeError, match="holomorphic=True requires outputs with complex"):
        fgrad.grad(lambda z: fnp.real(z), holomorphic=True)(z)


def test_facade_backward_of_a_complex_output_is_refused_as_in_pytorch():
    x = fgrad.tensor([1.0, -1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="only for real scalar outputs"):
        (x * (1 + 1j)).sum().backward()
    assert x.grad is None


# ------------------------------------------------------ rules and hooks ----
def _bad_vjp(ct_value):
    @fgrad.custom_vjp
    def f(x):
        return x * 2
    f.defvjp(lambda x: (x * 2, None), lambda res, g: (ct_value,))
    return f


def test_custom_vjp_cotangent_of_the_wrong_shape():
    f = _bad_vjp(fnp.ones(5))
    with pytest.raises(ValueError, match=r"output\[0\].*float64\[5\].*float64\[3\]"):
        fgrad.grad(lambda x: f(x).sum())(fnp.ones(3))


def test_custom_vjp_cotangent_of_another_float_dtype_is_cast():
    f = _bad_vjp(fnp.ones(3, dtype=np.float32))
    g = fgrad.grad(lambda x: f(x).sum())(fnp.ones(3))
    assert g.dtype == np.float64


def test_custom_vjp_cotangent_of_the_wrong_structure():
    f = _bad_vjp((fnp.ones(3), fnp.ones(3)))
    with pytest.raises(TypeError, match="container"):
        fgrad.grad(lambda x: f(x).sum())(fnp.ones(3))


@pytest.mark.parametrize("tangent", [np.ones(5), np.ones(3, dtype=np.float32)],
                         ids=["shape", "dtype"])
def test_custom_jvp_tangent_of_the_wrong_type(tangent):
    @fgrad.custom_jvp
    def h(x):
        return x * 2
    h.defjvp(lambda p, t: (p[0] * 2, fnp.asarray(tangent)))
    with pytest.raises(TypeError, match="corresponding shapes and dtypes"):
        fgrad.jvp(h, (fnp.ones(3),), (fnp.ones(3),))
    with pytest.raises(TypeError, match="corresponding shapes and dtypes"):
        fgrad.grad(lambda x: h(x).sum())(fnp.ones(3))


@pytest.mark.parametrize("ret,err,words", [
    (lambda g: fgrad.ones(3), RuntimeError, "changed the size"),
    (lambda g: g.double(), RuntimeError, "changed the type"),
    (lambda g: "a", TypeError, "hook returned 'str'"),
], ids=["size", "dtype", "str"])
def test_facade_hook_must_keep_the_gradient_type(ret, err, words):
    y = fgrad.tensor([1.0, 2.0], requires_grad=True)
    y.register_hook(ret)
    with pytest.raises(err, match=words):
        (y * 2).sum().backward()
    assert y.grad is None


# ------------------------------------------------------------ non-numeric ----
@pytest.mark.parametrize("value,err", [
    (None, ValueError), (["a"], TypeError), (np.array([1, "a"], dtype=object), TypeError),
    (np.array(["2020-01-01"], dtype="datetime64[D]"), TypeError), ("abc", TypeError),
], ids=["None", "str-list", "object", "datetime", "str"])
def test_asarray_of_non_numbers(value, err):
    with pytest.raises(err, match="not a valid"):
        fnp.asarray(value)


@pytest.mark.parametrize("value", [np.array(["a"]), np.array([None, 1.0], dtype=object)])
def test_ops_on_non_numeric_numpy_arrays(value):
    with pytest.raises(TypeError, match="not a valid fgrad array type"):
        fnp.sin(value)


# ------------------------------------------------- kinks and edge values ----
def test_abs_at_zero_follows_each_reference():
    assert float(fgrad.grad(fnp.abs)(0.0)) == 1.0            # JAX: select(x >= 0, 1, -1)
    assert float(fgrad.grad(fnp.abs)(-2.0)) == -1.0
    t = fgrad.tensor(0.0, requires_grad=True)
    t.abs().backward()
    assert float(t.grad) == 0.0                              # PyTorch: sign(0)
    assert t.abs().grad_fn.name() == "AbsBackward0"


@given(x=st.floats(-5, 5), y=st.floats(-5, 5))
def test_hypot_second_derivative_against_finite_differences(x, y):
    if abs(x) < 1e-2 and abs(y) < 1e-2:
        return                                     # no derivative at the origin
    d2 = float(fgrad.grad(fgrad.grad(lambda a: fnp.hypot(a, y)))(x))
    r = np.hypot(x, y)
    assert d2 == pytest.approx(y * y / r ** 3, rel=1e-9, abs=1e-12)


def test_hypot_at_ties_and_special_values():
    assert float(fgrad.grad(fgrad.grad(lambda a: fnp.hypot(a, 1.0)))(1.0)) == \
        pytest.approx(2 ** -1.5)
    np.testing.assert_array_equal(fnp.hypot(fnp.asarray([np.inf, np.nan, 3.0]),
                                            fnp.asarray([np.nan, np.inf, 4.0])),
                                  np.hypot([np.inf, np.nan, 3.0], [np.nan, np.inf, 4.0]))
    assert float(fgrad.grad(lambda a: fnp.hypot(a, 0.0))(0.0)) == 0.0


@pytest.mark.parametrize("ord", [2, 3, 1, float("inf")])
def test_facade_vector_norm_at_zero_is_zero_as_in_pytorch(ord):
    for norm in (fgrad.linalg.vector_norm, fgrad.linalg.norm):
        y = fgrad.zeros(3, requires_grad=True)
        norm(y, ord).backward()
        assert np.isfinite(y.grad.numpy()).all()
        if ord != float("inf") and ord != 1:
            np.testing.assert_array_equal(y.grad.numpy(), 0.0)


def test_facade_hardtanh_at_the_bound_as_in_pytorch():
    y = fgrad.tensor([-1.0, 1.0, 0.5, float("nan")], requires_grad=True)
    out = fgrad.nn.functional.hardtanh(y)
    out.sum().backward()
    np.testing.assert_array_equal(y.grad.numpy()[:3], [0.0, 0.0, 1.0])
    assert np.isnan(out.detach().numpy()[3])
    # the functional layer keeps JAX's rule: 1 at the bound
    assert float(fgrad.grad(lambda a: fgrad.nn.hard_tanh(a))(1.0)) == 1.0


# ------------------------------------------------------------- tracers ----
def test_a_tracer_of_another_threads_running_grad_is_refused():
    box, ready, release = {}, threading.Event(), threading.Event()

    def f(x):
        box["tracer"] = x
        ready.set()
        release.wait(10)
        return fnp.sum(x * 2)

    worker = threading.Thread(target=lambda: box.setdefault("g", fgrad.grad(f)(fnp.ones(3))))
    worker.start()
    assert ready.wait(10)
    try:
        with pytest.raises(UnexpectedTracerError, match="in another thread"):
            fnp.sin(box["tracer"])
    finally:
        release.set()
        worker.join()
    np.testing.assert_array_equal(box["g"], [2.0, 2.0, 2.0])      # the owner was not disturbed
    with pytest.raises(UnexpectedTracerError, match="after grad returned"):
        fnp.sin(box["tracer"])


def test_nesting_too_deep_says_why():
    g = lambda x: x * 2.0
    for _ in range(sys.getrecursionlimit() // 4):
        g = (lambda h: lambda x: fgrad.grad(h)(x))(g)
    with pytest.raises(RecursionError, match="nested transforms.*setrecursionlimit"):
        g(1.0)


def test_jit_static_argnums_out_of_range():
    with pytest.raises(ValueError, match=r"static_argnums=\(3,\), but only accepts 1"):
        fgrad.jit(lambda x: x, static_argnums=3)
    assert float(fgrad.jit(lambda *a: a[0], static_argnums=3)(1.0)) == 1.0   # *args: allowed


@pytest.mark.parametrize("data", ["None", "'abc'", "[None]", "[1, None]", "[[1, 2], [3, None]]",
                                  "['a']", "[[1, 2], [3]]", "[[1], [2, 3]]", "[[1, 2], 3]",
                                  "[[[1, 2], [3, 4]], [[1, 2], [3]]]", "object()", "[1, [2]]",
                                  "[1.5, [2]]", "[[1, [2]], [3, 4]]"])
def test_tensor_of_data_that_is_not_a_grid_of_numbers(data):
    """fgrad.tensor refuses what torch.tensor refuses, with its exception type and words."""
    torch = pytest.importorskip("torch")

    def outcome(lib):
        try:
            lib.tensor(eval(data))
            return "ok"
        except Exception as e:
            return type(e).__name__, str(e).replace(" object at 0x", "")[:60]
    assert outcome(fgrad) == outcome(torch)
