"""``fgrad.facade.printing.format_tensor`` prints exactly what PyTorch's ``repr`` prints.

Every case builds a NumPy array, prints it with ``format_tensor`` and compares
with ``repr(torch.from_numpy(array))`` (``torch.`` -> ``fgrad.``), under the
same print options.
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from fgrad.facade import printing as _tensor_str
from fgrad.facade.printing import format_tensor

torch = pytest.importorskip("torch")


def torch_repr(a, requires_grad=False, op=None):
    """PyTorch's repr of ``a`` (optionally after ``op``, to get a grad_fn), and its grad_fn name."""
    t = torch.from_numpy(np.array(a, copy=True))
    grad_fn = None
    if requires_grad:
        t.requires_grad_(True)
        if op is not None:
            t = op(t)
            grad_fn = type(t.grad_fn).__name__
    return repr(t).replace("torch.", "fgrad."), t, grad_fn


def fgrad_repr(a, t, grad_fn=None, requires_grad=False, **kw):
    name = str(t.dtype).split(".")[1]
    default = torch.get_default_dtype()
    default_complex = torch.complex128 if default == torch.float64 else torch.complex64
    return format_tensor(t.detach().numpy(), dtype_name=name,
                         is_default_dtype=t.dtype in (default, default_complex),
                         requires_grad=requires_grad, grad_fn=grad_fn, **kw)


def check(a, requires_grad=False, op=None):
    expected, t, grad_fn = torch_repr(a, requires_grad, op)
    got = fgrad_repr(a, t, grad_fn, requires_grad)
    assert got == expected, f"\nfgrad:\n{got}\ntorch:\n{expected}"


@pytest.fixture(autouse=True)
def default_options():
    """Each test starts and ends with the default options in both libraries."""
    torch.set_printoptions(profile="default")
    _tensor_str.set_printoptions(profile="default")
    yield
    torch.set_printoptions(profile="default")
    _tensor_str.set_printoptions(profile="default")


rng = np.random.default_rng(1234)
TABLE = {
    "0d_float": np.array(12.0, np.float32),
    "0d_frac": np.array(2.5),
    "0d_int": np.array(7),
    "0d_int32": np.array(-3, np.int32),
    "0d_bool": np.array(True),
    "0d_nan": np.array(np.nan, np.float32),
    "0d_tiny": np.array(1e-9, np.float32),
    "int_mode": np.array([1.0, 2.0, 3.0], np.float32),
    "fixed": np.array([1.5, -2.25, 3.125], np.float32),
    "sci_ratio": np.array([1.0, 1e4], np.float32),
    "sci_big": np.array([1e9, 2e9]),
    "sci_small": np.array([1e-5, 2e-5], np.float32),
    "sci_int_mode": np.array([1.0, 1e10]),
    "nan_inf": np.array([np.nan, np.inf, -np.inf, 1.0], np.float32),
    "only_nonfinite": np.array([np.nan, -np.inf, 0.0]),
    "neg_zero": np.array([-0.0, 0.0, 1.0], np.float32),
    "all_zero": np.zeros((2, 3), np.float32),
    "float16": rng.standard_normal((3, 4)).astype(np.float16),
    "float16_big": np.array([65504.0, 1.0, -3.0], np.float16),
    "float64_2d": rng.standard_normal((4, 5)),
    "int64_2d": rng.integers(-1000, 1000, (5, 6)),
    "uint8": rng.integers(0, 255, (3, 3)).astype(np.uint8),
    "int8": rng.integers(-128, 127, (4,)).astype(np.int8),
    "int16": rng.integers(-30000, 30000, (2, 2)).astype(np.int16),
    "bool_2d": rng.random((3, 4)) > 0.5,
    "wide_row": rng.standard_normal(40).astype(np.float32),   # wraps at 80 columns
    "wide_int_row": np.arange(100),
    "3d": rng.standard_normal((2, 3, 4)).astype(np.float32),
    "4d": rng.standard_normal((2, 1, 2, 3)).astype(np.float32),
    "exactly_1000": np.arange(1000, dtype=np.float32),
    "summarised_1d": np.arange(1001, dtype=np.float32),
    "summarised_2d": rng.standard_normal((100, 100)).astype(np.float32),
    "summarised_3d": rng.standard_normal((10, 11, 12)),
    "summarised_narrow": rng.standard_normal((500, 3)).astype(np.float32),
    "summarised_int": np.arange(5000).reshape(50, 100),
    "summarised_sci": rng.standard_normal((40, 40)) * 1e12,
    "empty_1d": np.zeros(0, np.float32),
    "empty_1d_int": np.zeros(0, np.int64),
    "empty_2d": np.zeros((0, 3), np.float32),
    "empty_3d_f64": np.zeros((2, 0, 3)),
    "empty_bool": np.zeros((0,), bool),
    "empty_complex": np.zeros((2, 0), np.complex64),
    "complex": np.array([1 + 2j, -0.5 - 1j, 3j], np.complex64),
    "complex128_2d": (rng.standard_normal((2, 3)) + 1j * rng.standard_normal((2, 3))),
    "big_magnitudes": np.array([123456.789, 0.001, 42.0]),
}


@pytest.mark.parametrize("name", sorted(TABLE))
def test_table(name):
    check(TABLE[name])


@pytest.mark.parametrize("name", ["0d_float", "fixed", "float64_2d", "summarised_2d",
                                  "empty_2d", "complex", "nan_inf", "wide_row"])
def test_requires_grad_suffix(name):
    check(TABLE[name], requires_grad=True)


@pytest.mark.parametrize("name", ["0d_frac", "fixed", "float64_2d", "summarised_3d", "3d"])
@pytest.mark.parametrize("op", [lambda t: t * 2, lambda t: t + 1, lambda t: t ** 2,
                                lambda t: t.sum(), lambda t: t.mean(), lambda t: t.exp()])
def test_grad_fn_suffix(name, op):
    check(TABLE[name], requires_grad=True, op=op)


@pytest.mark.parametrize("options", [
    dict(precision=2), dict(precision=8), dict(threshold=5), dict(edgeitems=1, threshold=10),
    dict(edgeitems=0, threshold=10), dict(linewidth=40), dict(linewidth=200),
    dict(sci_mode=True), dict(sci_mode=False), dict(profile="short"), dict(profile="full"),
    dict(profile="short", precision=6),
])
@pytest.mark.parametrize("name", ["fixed", "sci_ratio", "float64_2d", "summarised_2d",
                                  "wide_int_row", "3d", "int_mode", "complex", "0d_frac"])
def test_print_options(options, name):
    torch.set_printoptions(**options)
    _tensor_str.set_printoptions(**options)
    check(TABLE[name])


def test_print_options_argument_is_per_call():
    a = TABLE["fixed"]
    torch.set_printoptions(precision=2)
    expected, t, _ = torch_repr(a)
    torch.set_printoptions(profile="default")
    assert fgrad_repr(a, t, print_options=dict(precision=2)) == expected
    assert _tensor_str.get_printoptions()["precision"] == 4


def test_printoptions_context_restores():
    with _tensor_str.printoptions(precision=1, sci_mode=True):
        assert _tensor_str.PRINT_OPTS.sci_mode is True
    assert _tensor_str.get_printoptions() == dict(precision=4, threshold=1000, edgeitems=3,
                                                  linewidth=80, sci_mode=None)


def test_long_suffix_wraps_like_torch():
    a = rng.standard_normal(7).astype(np.float16)   # a full line + dtype + requires_grad
    check(a, requires_grad=True)
    check(a.reshape(1, 7), requires_grad=True, op=lambda t: t * 3)


def test_non_default_default_dtype():
    """With float64 as default dtype, float64 drops its suffix and float32 gets one."""
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        for a in (TABLE["fixed"], TABLE["float64_2d"], TABLE["empty_2d"], TABLE["complex128_2d"],
                  TABLE["complex"]):
            expected, t, _ = torch_repr(a)
            is_default = t.dtype == torch.float64 or t.dtype == torch.complex128
            got = format_tensor(a, dtype_name=str(t.dtype), is_default_dtype=is_default)
            assert got == expected
    finally:
        torch.set_default_dtype(old)


def test_device_and_prefix():
    """PyTorch's format for tensors on another device (from PyTorch's docs)."""
    a = np.array([1.0, 2.0], np.float32)
    assert format_tensor(a, dtype_name="float32", is_default_dtype=True,
                         device="cuda:0") == "tensor([1., 2.], device='cuda:0')"
    assert format_tensor(a, dtype_name="float32", is_default_dtype=True, device="cuda",
                         requires_grad=True) == \
        "tensor([1., 2.], device='cuda:0', requires_grad=True)"
    assert format_tensor(np.array([1.0]), dtype_name="fgrad.float64", is_default_dtype=False,
                         device="cuda:1", grad_fn="AddBackward0") == \
        "tensor([1.], device='cuda:1', dtype=fgrad.float64, grad_fn=<AddBackward0>)"
    # a custom prefix indents continuation lines under it
    b = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    assert format_tensor(b, dtype_name="float32", is_default_dtype=True, prefix="Tensor(") == \
        "Tensor([[0., 1., 2.],\n        [3., 4., 5.]])"


float_dtypes = st.sampled_from([np.float16, np.float32, np.float64])
int_dtypes = st.sampled_from([np.int8, np.int16, np.int32, np.int64, np.uint8])
shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=7)


@st.composite
def float_arrays(draw):
    dtype = np.dtype(draw(float_dtypes))
    shape = draw(shapes)
    scale = draw(st.sampled_from([1e-12, 1e-5, 1e-3, 1.0, 1e3, 1e7, 1e12]))
    info = np.finfo(dtype)
    base = draw(hnp.arrays(np.float64, shape, elements=st.one_of(
        st.floats(-1e3, 1e3, allow_nan=False),
        st.integers(-50, 50).map(float),
        st.sampled_from([0.0, -0.0, np.nan, np.inf, -np.inf, 0.5]))))
    with np.errstate(over="ignore", invalid="ignore"):
        return np.clip(base * scale, -float(info.max), float(info.max)).astype(dtype) \
            if draw(st.booleans()) else (base * scale).astype(dtype)


@settings(max_examples=15, deadline=None)
@given(float_arrays(), st.booleans())
def test_hypothesis_float(a, requires_grad):
    check(a, requires_grad=requires_grad)


@settings(max_examples=15, deadline=None)
@given(int_dtypes.flatmap(lambda d: hnp.arrays(d, shapes)))
def test_hypothesis_int(a):
    check(a)


@settings(max_examples=10, deadline=None)
@given(hnp.arrays(np.bool_, shapes))
def test_hypothesis_bool(a):
    check(a)


@settings(max_examples=10, deadline=None)
@given(st.sampled_from([np.float32, np.int64, np.float64]),
       st.tuples(st.integers(1, 12), st.integers(1, 130), st.integers(1, 14)),
       st.integers(1, 3), st.integers(0, 2**32 - 1))
def test_hypothesis_large(dtype, shape, ndim, seed):
    """Shapes around the 1000-element threshold, summarised or not."""
    shape = shape[:ndim] if ndim > 1 else (int(np.prod(shape)),)
    r = np.random.default_rng(seed)
    a = (r.standard_normal(shape) * 10.0 ** r.integers(-6, 10)).astype(dtype)
    check(a)
