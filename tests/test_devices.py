"""Devices: cpu, the stand-in accelerator, cuda (where CuPy and a GPU are present), transfers and mixing."""
import numpy as np
import pytest

import fgrad
import fgrad.numpy as fnp
from fgrad.devices import CPU, STANDIN, get


def test_get_devices():
    assert get() is CPU and get("cpu") is CPU and get(CPU) is CPU
    assert get("standin") is STANDIN
    assert repr(CPU) == "device(type='cpu')" and str(CPU) == "cpu"
    with pytest.raises(RuntimeError, match="cpu, cuda"):
        get("tpu")


def test_standin_arrays_are_not_numpy_arrays():
    x = fgrad.device_put(fnp.asarray([1.0, 2.0]), "standin")
    assert x.device is STANDIN
    assert not isinstance(x._value, np.ndarray)
    with pytest.raises(TypeError, match="stand-in"):
        np.asarray(x)
    with pytest.raises(TypeError, match="Implicit conversion"):
        np.asarray(x._value)
    # but explicit transfer, tolist, item and repr work
    assert x.tolist() == [1.0, 2.0]
    assert fgrad.device_put(x, "cpu").device is CPU
    np.testing.assert_array_equal(np.asarray(fgrad.device_put(x, "cpu")), [1.0, 2.0])


def test_ops_stay_on_the_standin_device():
    x = fgrad.device_put(fnp.asarray([0.5, 1.0, 2.0]), "standin")
    y = fnp.sum(fnp.exp(x) * 2.0 + x[::-1] if hasattr(fnp, "_index") else fnp.exp(x))
    assert y.device is STANDIN
    z = fnp.zeros(3, device="standin")
    assert z.device is STANDIN and (z + x).device is STANDIN
    g = fgrad.grad(lambda v: fnp.sum(fnp.sin(v) ** 2))(x)
    assert g.device is STANDIN
    np.testing.assert_allclose(g.tolist(), np.sin(2 * np.array([0.5, 1.0, 2.0])))
    v = fgrad.vmap(lambda r: fnp.sum(r * r))(fgrad.device_put(fnp.ones((3, 2)), "standin"))
    assert v.device is STANDIN and v.tolist() == [2.0, 2.0, 2.0]


def test_device_put_is_differentiable_and_moves_gradients_back():
    x = fnp.asarray([1.0, 2.0])
    g = fgrad.grad(lambda v: fnp.sum(fgrad.device_put(v, "standin") ** 2))(x)
    assert g.device is CPU and g.tolist() == [2.0, 4.0]
    assert fgrad.device_put(x, "cpu") is x   # a no-op when already there
    assert fgrad.device_put([1.0, 2.0], "standin").device is STANDIN


def test_mixing_devices_fails_like_pytorch():
    x = fnp.asarray([1.0, 2.0])
    s = fgrad.device_put(x, "standin")
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        x + s
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        fgrad.grad(lambda a: fnp.sum(a * s))(x)


_HAS_CUDA = fgrad.cuda.is_available()
needs_cuda = pytest.mark.skipif(not _HAS_CUDA, reason="needs CuPy and a CUDA GPU")


@pytest.mark.skipif(_HAS_CUDA, reason="CUDA is available here")
def test_cuda_is_unavailable_with_a_clear_error():
    assert fgrad.cuda.is_available() is False
    assert fgrad.cuda.device_count() == 0
    fgrad.cuda.manual_seed(0)   # as PyTorch: silently kept without CUDA
    with pytest.raises(RuntimeError, match="CuPy|GPU"):
        fgrad.cuda.get_device_name()
    with pytest.raises(RuntimeError, match="cuda:0 is not available.*(CuPy|GPU)"):
        fgrad.device_put(fnp.ones(2), "cuda")
    with pytest.raises(RuntimeError, match="not available"):
        fnp.zeros(2, device="cuda:0")


@needs_cuda
def test_cuda_device_queries():
    assert fgrad.cuda.device_count() >= 1
    assert isinstance(fgrad.cuda.get_device_name(), str) and fgrad.cuda.get_device_name()
    assert get("cuda") is get("cuda:0") and str(get("cuda")) == "cuda:0"
    fgrad.cuda.manual_seed(0)
    fgrad.cuda.synchronize()
    with pytest.raises(RuntimeError, match="does not exist"):
        get(f"cuda:{fgrad.cuda.device_count()}")


@needs_cuda
def test_ops_stay_on_the_cuda_device():
    cuda = get("cuda")
    x = fgrad.device_put(fnp.asarray([0.5, 1.0, 2.0]), "cuda")
    assert x.device is cuda
    with pytest.raises(TypeError, match="cannot be converted"):
        np.asarray(x)
    assert fnp.sum(fnp.exp(x)).device is cuda
    z = fnp.zeros(3, device="cuda")
    assert z.device is cuda and (z + x).device is cuda
    g = fgrad.grad(lambda v: fnp.sum(fnp.sin(v) ** 2))(x)
    assert g.device is cuda
    np.testing.assert_allclose(g.tolist(), np.sin(2 * np.array([0.5, 1.0, 2.0])), rtol=1e-12)
    v = fgrad.vmap(lambda r: fnp.sum(r * r))(fgrad.device_put(fnp.ones((3, 2)), "cuda"))
    assert v.device is cuda and v.tolist() == [2.0, 2.0, 2.0]
    # a gradient through gathers with repeated indices scatter-adds on the device
    idx = fgrad.device_put(fnp.asarray([0, 0, 2, 0]), "cuda")
    gi = fgrad.grad(lambda v: fnp.sum(v[idx] ** 2))(x)
    assert gi.device is cuda and gi.tolist() == [3.0, 0.0, 4.0]
    # moving back: a differentiable transfer
    gb = fgrad.grad(lambda v: fnp.sum(fgrad.device_put(v, "cuda") ** 2))(fnp.asarray([1.0, 2.0]))
    assert gb.device is CPU and gb.tolist() == [2.0, 4.0]
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        fnp.asarray([1.0, 2.0, 3.0]) + x


@needs_cuda
def test_cuda_set_with_duplicate_indices_keeps_the_last_update_like_cpu():
    n = 4096
    idx = np.arange(n) % 3                          # every target hit ~n/3 times
    vals = np.arange(n, dtype=np.float64)
    want = np.zeros(3)
    want[idx] = vals                               # NumPy: the last duplicate wins
    for dev in ("cpu", "cuda"):
        x = fgrad.device_put(fnp.zeros(3), dev)
        i = fgrad.device_put(fnp.asarray(idx), dev)
        v = fgrad.device_put(fnp.asarray(vals), dev)
        assert x.at[i].set(v).tolist() == want.tolist()
        # the derivative goes to the kept updates only, on every device
        g = fgrad.grad(lambda u: fnp.sum(x.at[i].set(u) * fnp.arange(1.0, 4.0, device=dev)))(v)
        gw = np.zeros(n)
        gw[n - 3:] = np.array([1.0, 2.0, 3.0])[idx[n - 3:]]
        assert g.tolist() == gw.tolist()


@pytest.mark.parametrize("dtype", ["bool", "int8", "uint16", "int64", "float16", "float32",
                                   "complex64"])
def test_cpu_namespace_fast_paths_match_numpy(dtype):
    # the cpu namespace calls ndarray methods and ufunc.reduce directly; same results
    import itertools
    for shape in [(), (0,), (3,), (2, 0, 3), (2, 3, 4)]:
        a = (np.arange(int(np.prod(shape))).reshape(shape) % 3).astype(dtype)
        for value in (a, a[()] if a.ndim == 0 else a[::-1]):
            axes_choices = [None] + [c for r in range(len(shape) + 1)
                                     for c in itertools.combinations(range(len(shape)), r)]
            for name, axes in itertools.product(("sum", "prod", "max", "min"), axes_choices):
                try:
                    want = getattr(np, name)(value, axis=axes)
                except ValueError as e:
                    with pytest.raises(ValueError, match=str(e)):
                        getattr(CPU.xp, name)(value, axis=axes)
                    continue
                got = getattr(CPU.xp, name)(value, axis=axes)
                assert type(got) is type(want) and got.dtype == want.dtype
                np.testing.assert_array_equal(got, want)
            perm = tuple(reversed(range(a.ndim)))
            for name, args in (("reshape", (a.size,)), ("transpose", (perm,))):
                got, want = getattr(CPU.xp, name)(value, *args), getattr(np, name)(value, *args)
                assert got.shape == want.shape and got.dtype == want.dtype
                np.testing.assert_array_equal(got, want)
