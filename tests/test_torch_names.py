"""The PyTorch names of issue 18 against PyTorch: default device, accelerator, unique,
legacy constructors, in-place function forms and shape methods, out=, next_functions,
and the return type of top-level functions given Arrays."""
import numpy as np
import pytest

import fgrad
import fgrad.numpy as fnp

torch = pytest.importorskip("torch")


def _same(ours, theirs):
    np.testing.assert_array_equal(np.asarray(ours.detach() if hasattr(ours, "detach") else ours),
                                  theirs.detach().numpy())
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]


def test_default_device_and_accelerator():
    assert repr(fgrad.get_default_device()) == "device(type='cpu')"
    fgrad.set_default_device("cpu")
    try:
        assert fgrad.zeros(2).device.type == "cpu" and fgrad.tensor([1.0]).device.type == "cpu"
    finally:
        fgrad.set_default_device(None)
    assert fgrad.accelerator.is_available() == fgrad.cuda.is_available()
    acc = fgrad.accelerator.current_accelerator()
    assert (acc is None) == (not fgrad.cuda.is_available())
    assert fgrad.accelerator.device_count() == (fgrad.cuda.device_count()
                                                if fgrad.cuda.is_available() else 0)
    with pytest.raises(RuntimeError):
        fgrad.set_default_device("nonsense")


@pytest.mark.parametrize("kwargs", [{}, {"return_inverse": True}, {"return_counts": True},
                                    {"return_inverse": True, "return_counts": True},
                                    {"dim": 0, "return_inverse": True, "return_counts": True},
                                    {"dim": 1, "return_inverse": True}, {"sorted": False}])
def test_unique_matches_torch(kwargs):
    data = [[3, 1, 3], [3, 1, 3], [0, 5, 1]]
    ours, theirs = fgrad.unique(fgrad.tensor(data), **kwargs), torch.unique(torch.tensor(data),
                                                                          **kwargs)
    ours, theirs = (ours, theirs) if isinstance(ours, tuple) else ((ours,), (theirs,))
    for a, b in zip(ours, theirs):
        _same(a, b)
    m = fgrad.tensor([2.0, 1.0, 2.0]).unique(return_counts=True)
    _same(m[1], torch.tensor([2.0, 1.0, 2.0]).unique(return_counts=True)[1])
    arr = fgrad.unique(fnp.asarray([2, 2, 1]))
    assert type(arr) is fgrad.Array


def test_legacy_constructors():
    cases = [("FloatTensor", ([1, 2],)), ("LongTensor", ([1.7, 2],)), ("BoolTensor", ([1, 0],)),
             ("ByteTensor", ([1, 2],)), ("DoubleTensor", ([0.5],)), ("IntTensor", ([[1], [2]],))]
    for name, args in cases:
        _same(getattr(fgrad, name)(*args), getattr(torch, name)(*args))
    assert tuple(fgrad.FloatTensor(2, 3).shape) == (2, 3)
    assert tuple(fgrad.LongTensor(fgrad.Size([4])).shape) == (4,)
    assert fgrad.FloatTensor().shape == (0,)
    assert isinstance(fgrad.ones(2), fgrad.FloatTensor)
    assert not isinstance(fgrad.ones(2, dtype=fgrad.int64), fgrad.FloatTensor)
    with pytest.raises(TypeError, match="sequence"):
        fgrad.FloatTensor(2.5)
    _same(fgrad.Tensor([1, 2]), torch.Tensor([1, 2]))            # torch.Tensor(...) itself
    assert tuple(fgrad.Tensor(2, 3).shape) == tuple(torch.Tensor(2, 3).shape)
    assert isinstance(fgrad.nn.Parameter(fgrad.ones(1)), fgrad.Tensor)


def test_inplace_function_forms():
    for name in ["sin_", "exp_", "relu_", "sigmoid_", "tanh_", "sqrt_", "neg_", "zero_"]:
        a, b = fgrad.tensor([0.5, 1.5]), torch.tensor([0.5, 1.5])
        out = getattr(fgrad, name)(a)
        getattr(torch, name)(b)
        assert out is a
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)
    a = fgrad.tensor([-1.0, 2.0])
    fgrad.clamp_(a, min=0.0, max=1.0)
    np.testing.assert_array_equal(a.numpy(), [0.0, 1.0])
    with pytest.raises(RuntimeError, match="leaf Variable"):
        fgrad.sin_(fgrad.ones(2, requires_grad=True))


def test_inplace_shape_methods():
    ours, theirs = fgrad.arange(6.0).reshape(2, 3), torch.arange(6.0).reshape(2, 3)
    for op, args in [("unsqueeze_", (0,)), ("squeeze_", ()), ("t_", ()), ("transpose_", (0, 1)),
                     ("resize_", (6,)), ("resize_", (2, 2)), ("resize_", (3, 1))]:
        assert getattr(ours, op)(*args) is ours
        getattr(theirs, op)(*args)
        assert tuple(ours.shape) == tuple(theirs.shape), op
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    # the history follows, as PyTorch's UnsqueezeBackward1
    w = fgrad.tensor([1.0, 2.0], requires_grad=True)
    y = w * 3
    y.unsqueeze_(0)
    assert y.shape == (1, 2)
    (y * fgrad.tensor([[1.0, 10.0]])).sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), [3.0, 30.0])
    with pytest.raises(RuntimeError, match="cannot resize variables that require grad"):
        w.resize_(3)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        w.unsqueeze_(0)
    x = fgrad.zeros(3)
    v = x.view(3)
    x.unsqueeze_(0)
    x[0, 1] = 5.0                 # still the same memory
    assert float(v[1]) == 5.0


def test_out_arguments():
    x, y = fgrad.ones(2, 3), fgrad.empty(2, 3)
    for fn, args in [("add", (x, x)), ("mul", (x, x)), ("sum", (x, 1)),
                     ("matmul", (x, x.t())), ("cat", ([x, x],)), ("stack", ([x, x],)),
                     ("sin", (x,)), ("exp", (x,))]:
        ref = getattr(fgrad, fn)(*args)
        out = fgrad.empty(0)
        assert getattr(fgrad, fn)(*args, out=out) is out
        np.testing.assert_allclose(out.numpy(), ref.numpy())
    assert fgrad.add(x, x, out=y) is y
    np.testing.assert_allclose(y.numpy(), np.full((2, 3), 2.0))


def test_next_functions_operand_order():
    for expr in ["2 * b", "b * 2", "2 + b", "b + 2", "b - 2", "b * c", "c * b", "b / 2"]:
        b, c = fgrad.ones(2, requires_grad=True), fgrad.ones(2, requires_grad=True)
        tb, tc = torch.ones(2, requires_grad=True), torch.ones(2, requires_grad=True)
        ours = eval(expr, {"b": b, "c": c}).grad_fn
        theirs = eval(expr, {"b": tb, "c": tc}).grad_fn
        kind = [None if f is None else f.name().rpartition("::")[2]
                for f, _ in ours.next_functions]
        want = [None if f is None else f.name().rpartition("::")[2]
                for f, _ in theirs.next_functions]
        assert kind == want, expr
        assert ours.next_functions[0][0].variable is (c if expr.startswith("c") else b)


def test_top_level_functions_keep_the_face_they_are_given():
    a = fnp.asarray([3.0, 1.0, 2.0])
    assert type(fgrad.sort(a).values) is fgrad.Array
    assert type(fgrad.sin(a)) is fgrad.Array
    assert type(fgrad.cat([a, a])) is fgrad.Array
    assert type(fgrad.sum(a)) is fgrad.Array
    assert type(fgrad.sin(fgrad.tensor([1.0]))) is fgrad.Tensor
    assert type(fgrad.cat([a, fgrad.tensor([1.0])])) is fgrad.Tensor
    assert type(fgrad.add(a, fgrad.tensor(1.0))) is fgrad.Tensor
    g = fgrad.grad(lambda x: fgrad.sum(fgrad.sin(x)))(a)       # functional code on Arrays
    assert type(g) is fgrad.Array
    np.testing.assert_allclose(np.asarray(g), np.cos([3.0, 1.0, 2.0]))
