"""make_jaxpr: the traced program, readable, evaluable, seeing through transforms."""
import numpy as np
import pytest

import fgrad
import fgrad.numpy as fnp
from fgrad.transforms.staging import eval_jaxpr


def test_listing_format():
    jaxpr = fgrad.make_jaxpr(lambda x: fnp.sum(fnp.sin(x) * 2.0, axis=0))(fnp.ones((3, 2)))
    assert str(jaxpr) == (
        "{ lambda ; a:f64[3,2]. let\n"
        "    b:f64[3,2] = sin a\n"
        "    c:f64[3,2] = mul b 2.0\n"
        "    d:f64[2] = reduce_sum[axes=(0,)] c\n"
        "  in (d,) }")
    assert jaxpr._repr_html_().startswith("<pre>{ lambda")


def test_sees_through_grad():
    text = str(fgrad.make_jaxpr(fgrad.grad(lambda x: fnp.sin(x) * 2.0))(1.0))
    # the backward pass: cos of the input, times the cotangent
    assert "cos a" in text or "cos b" in text
    assert text.count("sin") == 1


def test_dtypes_and_multiple_inputs_outputs():
    jaxpr = fgrad.make_jaxpr(lambda x, y: (x.astype(np.float32), x + y))(
        fnp.ones(2), fnp.ones(2, dtype=np.int32))
    text = str(jaxpr)
    assert "a:f64[2] b:i32[2]" in text
    assert "f32[2] = convert_element_type[dtype=float32] a" in text
    assert len(jaxpr.outvars) == 2


def test_constants_become_constvars():
    c = fnp.asarray([1.0, 2.0])
    text = str(fgrad.make_jaxpr(lambda x: x * c)(fnp.ones(2)))
    assert text.startswith("{ lambda a:f64[2]; b:f64[2]. let")


def _loss(x):
    return fnp.sum(fnp.tanh(x) ** 2)


VECTOR = np.linspace(-1, 1, 3)
BATCH = np.linspace(-1, 1, 6).reshape(2, 3)


@pytest.mark.parametrize("g, x", [
    (_loss, VECTOR),
    (fgrad.grad(_loss), VECTOR),
    (fgrad.vmap(fgrad.grad(_loss)), BATCH),
    (fgrad.hessian(_loss), VECTOR),
], ids=["f", "grad", "vmap-grad", "hessian"])
def test_evaluating_the_program_gives_the_same_values(g, x):
    x = fnp.asarray(x)
    jaxpr = fgrad.make_jaxpr(g)(x)
    (out,) = eval_jaxpr(jaxpr, jaxpr.consts, x)
    np.testing.assert_allclose(np.asarray(out), np.asarray(g(x)), rtol=1e-12)


def test_program_is_differentiable_again():
    jaxpr = fgrad.make_jaxpr(fnp.sin)(1.0)
    g = fgrad.grad(lambda x: jaxpr(x)[0])(0.5)
    np.testing.assert_allclose(float(g), np.cos(0.5))


def test_python_control_flow_on_traced_value_fails_clearly():
    def f(x):
        return x if x > 0 else -x
    with pytest.raises(fgrad.ConcretizationTypeError, match="make_jaxpr"):
        fgrad.make_jaxpr(f)(1.0)
