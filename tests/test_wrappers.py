"""The one contract between the core and array-like wrapper types
(``fgrad/transforms/wrappers.py``), exercised with a wrapper that is not the facade's Tensor:
``bind``, the transforms, ``jit``, pytrees and ``fnp.asarray`` all reach it through its
registration alone."""
import numpy as np
import pytest

import fgrad
import fgrad.numpy as fnp
from fgrad.transforms.core import bind
from fgrad.transforms.wrappers import (is_wrapped, register_wrapper_type, set_call_jitted,
                                       unregister_wrapper_type, wrap_like, wrapper_type)


class Boxed:
    """A minimal wrapper: holds an Array or tracer, counts the primitives bound through it."""
    bound: list = []

    def __init__(self, value):
        self.value = value

    shape = property(lambda self: self.value.shape)
    dtype = property(lambda self: self.value.dtype)
    ndim = property(lambda self: self.value.ndim)

    def __mul__(self, other):
        return fnp.multiply(self, other)


class SubBoxed(Boxed):
    pass


def _bind_boxed(prim, args, params):
    Boxed.bound.append(prim.name)
    vals = [a.value if isinstance(a, Boxed) else a for a in args]
    out = bind(prim, *vals, **params)
    return tuple(Boxed(o) for o in out) if prim.multiple_results else Boxed(out)


register_wrapper_type(Boxed, unwrap=lambda b: b.value, wrap=lambda v, like: Boxed(v),
                      bind=_bind_boxed)


def test_registration_covers_subclasses_and_nothing_else():
    assert wrapper_type(SubBoxed).cls is Boxed
    assert is_wrapped(SubBoxed(fnp.ones(2)))
    assert not is_wrapped([1.0]) and not is_wrapped(fnp.ones(2))
    assert wrap_like(fnp.ones(2), 3.0).shape == (2,)     # not a wrapped object: unchanged


def test_bind_hands_a_call_with_a_wrapped_argument_to_its_handler():
    Boxed.bound.clear()
    out = fnp.sin(Boxed(fnp.asarray([0.0, 1.0])))
    assert isinstance(out, Boxed) and Boxed.bound == ["sin"]
    np.testing.assert_allclose(np.asarray(out.value), np.sin([0.0, 1.0]))


def test_asarray_passes_a_wrapped_object_through():
    b = Boxed(fnp.ones(3))
    assert fnp.asarray(b) is b


@pytest.mark.parametrize("transform", ["grad", "vmap", "jit", "jacfwd"])
def test_transforms_unwrap_arguments_and_wrap_results(transform):
    x = Boxed(fnp.asarray([0.5, 1.5]))

    def f(b):
        assert isinstance(b, Boxed)          # the function sees its argument wrapped
        return fnp.sum(b * b) if transform == "grad" else b * b
    out = getattr(fgrad, transform)(f)(x)
    assert isinstance(out, Boxed)
    expected = {"grad": [1.0, 3.0], "vmap": [0.25, 2.25], "jit": [0.25, 2.25],
                "jacfwd": np.diag([1.0, 3.0])}[transform]
    np.testing.assert_allclose(np.asarray(out.value), expected)


def test_jit_takeover_is_consulted_and_may_decline():
    calls = []

    class Taken(Boxed):
        pass
    register_wrapper_type(Taken, unwrap=lambda b: b.value, wrap=lambda v, like: Taken(v),
                          bind=_bind_boxed)

    def take(jitted, fun, static_argnums, args, kwargs):
        calls.append(fun.__name__)
        return "taken" if any(isinstance(a, Taken) for a in args) else NotImplemented
    set_call_jitted(Taken, take)

    def double(x):
        return x * 2
    f = fgrad.jit(double)
    try:
        assert f(Taken(fnp.ones(2))) == "taken"
        np.testing.assert_allclose(np.asarray(f(Boxed(fnp.ones(2))).value), [2.0, 2.0])
        assert calls == ["double", "double"]      # asked both times, declined for Boxed
    finally:
        unregister_wrapper_type(Taken)
    assert wrapper_type(Taken).cls is Boxed      # its base's registration covers it again


def test_set_call_jitted_needs_a_registered_type():
    with pytest.raises(TypeError, match="not a registered wrapper type"):
        set_call_jitted(int, lambda *a: NotImplemented)
    with pytest.raises(TypeError, match="expected a class"):
        register_wrapper_type(3, unwrap=id, wrap=id, bind=id)


@pytest.mark.parametrize("name,args", [
    ("ravel", "t,"), ("reshape", "t, (3, 2)"), ("cumsum", "t,"), ("outer", "t, t"),
    ("repeat", "t, 2"), ("unique", "t,"), ("argmax", "t,"), ("roll", "t, 1"),
    ("histogram", "t,"), ("take", "t, [0, 4]"), ("vdot", "t, t"), ("median", "t,"),
    ("sort", "t, None"), ("meshgrid", "t[0], t[1]")])
def test_numpy_functions_take_facade_tensors(name, args):
    """fgrad.numpy reads a wrapped object through shape/dtype/ndim only (a Tensor's ``size``
    is PyTorch's method): every function gives NumPy's values on a Tensor."""
    t = fgrad.tensor(np.arange(6.0).reshape(2, 3))
    h = np.arange(6.0).reshape(2, 3)
    got = getattr(fnp, name)(*eval(args, {"t": t}))
    want = getattr(np, name)(*eval(args, {"t": h}))
    for g, w in zip(got if isinstance(got, (tuple, list)) else [got],
                    want if isinstance(want, (tuple, list)) else [want]):
        np.testing.assert_allclose(np.asarray(g.numpy() if hasattr(g, "numpy") else g), w)
