"""``fgrad.Array``: immutability, repr, attributes, operators, dtype promotion, protocols."""
import operator

import numpy as np
import pytest

import fgrad
import fgrad.numpy as fnp


def test_setitem_raises_and_leaves_the_array_unchanged():
    x = fnp.asarray([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="immutable.*at\\[idx\\]\\.set"):
        x[0] = 5.0
    assert x.tolist() == [1.0, 2.0, 3.0]


def test_numpy_view_is_read_only():
    x = fnp.asarray([1.0, 2.0, 3.0])
    view = np.asarray(x)
    with pytest.raises(ValueError, match="read-only"):
        view[0] = 1.0
    assert x.tolist() == [1.0, 2.0, 3.0]
    # asarray copies its input: mutating the source does not change the Array
    src = np.array([1.0, 2.0])
    y = fnp.asarray(src)
    src[0] = 9.0
    assert y.tolist() == [1.0, 2.0]
    # np.array(x) is a writable copy
    c = np.array(x)
    c[0] = 7.0
    assert x.tolist() == [1.0, 2.0, 3.0]


def test_repr_and_str():
    assert repr(fnp.asarray([1.0, 2.0])) == "Array([1., 2.])"
    assert repr(fnp.asarray(3.0)) == "Array(3.)"
    assert repr(fnp.asarray([1, 2], dtype=np.int32)) == "Array([1, 2], dtype=int32)"
    assert repr(fnp.asarray([[1.0, 2.0], [3.0, 4.0]])) == "Array([[1., 2.],\n       [3., 4.]])"
    assert str(fnp.asarray([1.0, 2.0])) == "[1. 2.]"
    assert repr(fgrad.device_put(fnp.asarray([1.0]), "standin")) == "Array([1.], device=standin)"
    assert f"{fnp.asarray(2.5):.2f}" == "2.50"


def test_attributes():
    x = fnp.zeros((2, 3), dtype=np.float32)
    assert x.shape == (2, 3) and x.ndim == 2 and x.size == 6 and x.dtype == np.float32
    assert x.T.shape == (3, 2)
    assert x.device is fgrad.devices.get("cpu")
    assert isinstance(x, fgrad.Array)
    with pytest.raises(TypeError):
        hash(x)


@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.mul, operator.truediv,
                                operator.floordiv, operator.mod, operator.pow])
def test_binary_operators_and_reflected(op):
    a = np.array([1.5, 2.0, 3.0])
    b = np.array([0.5, 4.0, 2.0])
    x, y = fnp.asarray(a), fnp.asarray(b)
    np.testing.assert_allclose(np.asarray(op(x, y)), op(a, b))
    np.testing.assert_allclose(np.asarray(op(x, 2.0)), op(a, 2.0))
    np.testing.assert_allclose(np.asarray(op(2.0, x)), op(2.0, a))   # reflected
    np.testing.assert_allclose(np.asarray(op(x, b)), op(a, b))       # NumPy operand


def test_matmul_operator():
    if not hasattr(fnp, "matmul"):
        pytest.skip("fgrad.numpy.matmul not available yet")
    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(np.asarray(fnp.asarray(a) @ fnp.asarray(a.T)), a @ a.T)


def test_unary_comparison_and_bitwise_operators():
    a = np.array([-1.5, 0.0, 2.0])
    x = fnp.asarray(a)
    assert (-x).tolist() == (-a).tolist()
    assert abs(x).tolist() == np.abs(a).tolist()
    assert (+x).tolist() == a.tolist()
    for op in (operator.lt, operator.le, operator.gt, operator.ge, operator.eq, operator.ne):
        assert op(x, 0.0).tolist() == op(a, 0.0).tolist()
        assert op(x, 0.0).dtype == np.bool_
    n = fnp.asarray([1, 2, 3])
    assert (n & 1).tolist() == [1, 0, 1] and (n | 4).tolist() == [5, 6, 7]
    assert (n ^ 1).tolist() == [0, 3, 2] and (~n).tolist() == [-2, -3, -4]
    assert (1 & n).tolist() == [1, 0, 1]
    q, r = divmod(fnp.asarray([7.0, -7.0]), 3.0)
    assert q.tolist() == [2.0, -3.0] and r.tolist() == [1.0, 2.0]


@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.int32, np.int8, np.uint8])
def test_weak_python_scalars(dtype):
    x = fnp.asarray(np.array([1, 2], dtype=dtype))
    want = (np.array([1, 2], dtype=dtype) * 2).dtype
    assert (x * 2).dtype == want and (2 * x).dtype == want and (x + 1).dtype == want
    if np.dtype(dtype).kind == "f":
        assert (x * 2.0).dtype == dtype and (2.0 - x).dtype == dtype
    else:
        assert (x * 2.0).dtype == np.float64   # NumPy 2: int array * float scalar


def test_strong_promotion_between_arrays():
    f32 = fnp.asarray(np.ones(2, np.float32))
    assert (f32 + fnp.asarray(np.ones(2, np.float64))).dtype == np.float64
    assert (f32 + fnp.asarray(np.ones(2, np.int64))).dtype == np.float64
    assert (fnp.asarray(np.ones(2, np.int32)) + fnp.asarray(np.ones(2, np.int8))).dtype == np.int32
    assert (fnp.asarray([True]) + fnp.asarray([True])).dtype == np.bool_
    assert (f32 + np.float64(1.0)).dtype == (np.ones(2, np.float32) + np.float64(1.0)).dtype


def test_item_tolist_astype():
    x = fnp.asarray([[1.5, 2.5]])
    assert x.tolist() == [[1.5, 2.5]]
    assert x[0, 1].item() == 2.5 and isinstance(x[0, 1].item(), float)
    assert x.item(1) == 2.5
    y = x.astype(np.int32)
    assert y.dtype == np.int32 and y.tolist() == [[1, 2]]
    assert fnp.asarray(3).item() == 3 and isinstance(fnp.asarray(3).item(), int)
    with pytest.raises(ValueError):
        x.item()


def test_python_protocols():
    x = fnp.asarray([3.0, 4.0])
    assert len(x) == 2
    assert [float(v) for v in x] == [3.0, 4.0]
    s = fnp.asarray(2.5)
    assert float(s) == 2.5 and int(s) == 2 and bool(s) is True and bool(fnp.asarray(0.0)) is False
    assert complex(s) == 2.5 + 0j
    assert "%.1f" % s == "2.5"
    assert [1, 2, 3][fnp.asarray(1)] == 2          # __index__ on integer arrays
    with pytest.raises(TypeError, match="integer"):
        [1, 2][fnp.asarray(1.0)]
    with pytest.raises(TypeError, match="unsized"):
        len(s)
    with pytest.raises(TypeError, match="0-d"):
        iter(s)
    with pytest.raises(ValueError):
        bool(x)


def test_methods_match_numpy():
    a = np.arange(12.0).reshape(3, 4) - 5
    x = fnp.asarray(a)
    for name, args in [("sum", ()), ("mean", (0,)), ("max", (1,)), ("min", ()), ("prod", (0,)),
                       ("var", ()), ("std", (1,)), ("argmax", ()), ("argmin", (0,)),
                       ("cumsum", (1,)), ("transpose", ()), ("ravel", ()), ("flatten", ())]:
        np.testing.assert_allclose(np.asarray(getattr(x, name)(*args)), getattr(a, name)(*args),
                                   err_msg=name)
    assert x.reshape(4, 3).shape == (4, 3) and x.reshape((2, 6)).shape == (2, 6)
    assert x.sum(axis=1, keepdims=True).shape == (3, 1)
    np.testing.assert_allclose(np.asarray(x.clip(-1, 2)), a.clip(-1, 2))
    np.testing.assert_allclose(np.asarray(x.mT), a.T)
    np.testing.assert_allclose(np.asarray(x.swapaxes(0, 1)), a.T)


def test_pickle_roundtrip():
    import pickle
    x = fnp.asarray([1.0, 2.0])
    y = pickle.loads(pickle.dumps(x))
    assert isinstance(y, fgrad.Array) and y.tolist() == [1.0, 2.0]
