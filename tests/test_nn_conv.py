"""The facade's convolution and pooling layers and functions against PyTorch: values and
gradients over strides, padding, dilation, groups and odd sizes (Hypothesis), padding
modes, ceil_mode, count_include_pad, return_indices, grad_fn names, initialisation,
printing and PyTorch's error words."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import fgrad
import fgrad.nn.functional as F
from fgrad import nn
from tests._torch_compare import compare

torch = pytest.importorskip("torch")
TF = torch.nn.functional


def _pair(shape, rng, grad=True):
    """The same float64 data as a fgrad tensor and a torch tensor."""
    a = rng.standard_normal(shape)
    return (fgrad.tensor(a, dtype=fgrad.float64, requires_grad=grad),
            torch.tensor(a, dtype=torch.float64, requires_grad=grad))


def _check(ours, theirs, inputs, rng, tol=1e-9):
    """Values, then gradients of a random projection for every input pair."""
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=tol, atol=tol)
    ct = rng.standard_normal(tuple(theirs.shape))
    (ours * fgrad.tensor(ct)).sum().backward()
    (theirs * torch.tensor(ct)).sum().backward()
    for a, b in inputs:
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=tol, atol=tol)


@st.composite
def conv_cases(draw, nd):
    groups = draw(st.sampled_from([1, 2, 3]))
    cin, cout = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    k = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    dil = tuple(draw(st.integers(1, 2)) for _ in range(nd))
    padding = draw(st.one_of(st.just("valid"), st.tuples(*[st.integers(0, 2) for _ in range(nd)])))
    if draw(st.booleans()) and all(s == 1 for s in stride):
        padding = "same"
    sides = tuple(draw(st.integers(d * (kk - 1) + 1, d * (kk - 1) + 5)) for kk, d in zip(k, dil))
    return dict(groups=groups, cin=cin, cout=cout, k=k, stride=stride, dil=dil, padding=padding,
                sides=sides, n=draw(st.integers(1, 2)), bias=draw(st.booleans()))


@pytest.mark.parametrize("nd", [1, 2, 3])
@settings(deadline=None, max_examples=15)
@given(data=st.data())
def test_conv_matches_torch(nd, data):
    c = data.draw(conv_cases(nd))
    rng = np.random.default_rng(data.draw(st.integers(0, 2 ** 31)))
    x = _pair((c["n"], c["cin"]) + c["sides"], rng)
    w = _pair((c["cout"], c["cin"] // c["groups"]) + c["k"], rng)
    b = _pair((c["cout"],), rng) if c["bias"] else (None, None)
    kw = dict(stride=c["stride"], padding=c["padding"], dilation=c["dil"], groups=c["groups"])
    ours = getattr(F, f"conv{nd}d")(x[0], w[0], b[0], **kw)
    theirs = getattr(TF, f"conv{nd}d")(x[1], w[1], b[1], **kw)
    _check(ours, theirs, [x, w] + ([b] if c["bias"] else []), rng)
    assert ours.grad_fn.name() == "ConvolutionBackward0"


@pytest.mark.parametrize("nd", [1, 2])
@settings(deadline=None, max_examples=15)
@given(data=st.data())
def test_conv_transpose_matches_torch(nd, data):
    groups = data.draw(st.sampled_from([1, 2]))
    cin, cout = groups * data.draw(st.integers(1, 2)), groups * data.draw(st.integers(1, 2))
    k = tuple(data.draw(st.integers(1, 3)) for _ in range(nd))
    stride = tuple(data.draw(st.integers(1, 3)) for _ in range(nd))
    dil = tuple(data.draw(st.integers(1, 2)) for _ in range(nd))
    pad = tuple(data.draw(st.integers(0, (d * (kk - 1)) // 2)) for kk, d in zip(k, dil))
    outpad = tuple(data.draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dil))
    sides = tuple(data.draw(st.integers(1, 4)) for _ in range(nd))
    rng = np.random.default_rng(data.draw(st.integers(0, 2 ** 31)))
    x = _pair((2, cin) + sides, rng)
    w = _pair((cin, cout // groups) + k, rng)
    b = _pair((cout,), rng)
    kw = dict(stride=stride, padding=pad, output_padding=outpad, groups=groups, dilation=dil)
    _check(getattr(F, f"conv_transpose{nd}d")(x[0], w[0], b[0], **kw),
           getattr(TF, f"conv_transpose{nd}d")(x[1], w[1], b[1], **kw), [x, w, b], rng)


@settings(deadline=None, max_examples=25)
@given(data=st.data())
def test_pooling_matches_torch(data):
    nd = data.draw(st.sampled_from([1, 2]))
    k = tuple(data.draw(st.integers(1, 3)) for _ in range(nd))
    stride = tuple(data.draw(st.integers(1, 3)) for _ in range(nd))
    pad = tuple(data.draw(st.integers(0, kk // 2)) for kk in k)
    dil = tuple(data.draw(st.integers(1, 2)) for _ in range(nd))
    ceil = data.draw(st.booleans())
    sides = tuple(data.draw(st.integers(d * (kk - 1) + 1, d * (kk - 1) + 5))
                  for kk, d in zip(k, dil))
    rng = np.random.default_rng(data.draw(st.integers(0, 2 ** 31)))
    shape = (2, 3) + sides if data.draw(st.booleans()) else (3,) + sides
    x = _pair(shape, rng)
    ours, oi = getattr(F, f"max_pool{nd}d")(x[0], k, stride, pad, dil, ceil, return_indices=True)
    theirs, ti = getattr(TF, f"max_pool{nd}d")(x[1], k, stride, pad, dil, ceil,
                                               return_indices=True)
    np.testing.assert_array_equal(oi.numpy(), ti.numpy())
    assert oi.dtype == fgrad.int64
    _check(ours, theirs, [x], rng)
    include = data.draw(st.booleans())
    x = _pair(shape, rng)
    _check(getattr(F, f"avg_pool{nd}d")(x[0], k, stride, pad, ceil, include),
           getattr(TF, f"avg_pool{nd}d")(x[1], k, stride, pad, ceil, include), [x], rng)


def test_max_pool_ties_go_to_the_first_maximum():
    a = np.array([[[[1.0, 1.0, 0.0], [1.0, 1.0, 2.0], [0.0, 2.0, 2.0]]]])
    x, t = fgrad.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    F.max_pool2d(x, 2, stride=1).sum().backward()
    TF.max_pool2d(t, 2, stride=1).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), t.grad.numpy())


@pytest.mark.parametrize("size,out", [((6, 6), (3, 2)), ((7, 5), (3, 4)), ((5, 7), 1),
                                      ((4, 9), (None, 2))])
def test_adaptive_pools_match_torch(size, out):
    rng = np.random.default_rng(0)
    x = _pair((2, 3) + size, rng)
    _check(F.adaptive_avg_pool2d(x[0], out), TF.adaptive_avg_pool2d(x[1], out), [x], rng)
    x = _pair((2, 3) + size, rng)
    o, oi = F.adaptive_max_pool2d(x[0], out, return_indices=True)
    t, ti = TF.adaptive_max_pool2d(x[1], out, return_indices=True)
    np.testing.assert_array_equal(oi.numpy(), ti.numpy())
    _check(o, t, [x], rng)
    x = _pair((3, size[0]), rng)
    o1 = out if isinstance(out, int) else (out[0] or size[0])
    _check(F.adaptive_avg_pool1d(x[0], o1), TF.adaptive_avg_pool1d(x[1], o1), [x], rng)


@pytest.mark.parametrize("k,d,p,s", [(2, 1, 0, 1), ((2, 3), (1, 2), (1, 0), (2, 1)), (3, 1, 1, 2)])
def test_unfold_fold_match_torch(k, d, p, s):
    rng = np.random.default_rng(1)
    x = _pair((2, 3, 6, 7), rng)
    u = F.unfold(x[0], k, d, p, s)
    _check(u, TF.unfold(x[1], k, d, p, s), [x], rng)
    y = _pair(tuple(u.shape), rng)
    _check(F.fold(y[0], (6, 7), k, d, p, s), TF.fold(y[1], (6, 7), k, d, p, s), [y], rng)


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("pads", [(1, 2), (2, 0, 1, 1)])
def test_pad_matches_torch(mode, pads):
    rng = np.random.default_rng(2)
    x = _pair((2, 3, 4, 5), rng)
    kw = {"value": 0.5} if mode == "constant" else {}
    if mode != "constant" and len(pads) == 2:
        x = _pair((2, 3, 5), rng)
    _check(F.pad(x[0], pads, mode, **kw), TF.pad(x[1], pads, mode, **kw), [x], rng)


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
def test_conv2d_module_padding_modes(mode):
    fgrad.manual_seed(0)
    m = nn.Conv2d(2, 4, (3, 2), padding=(1, 1), padding_mode=mode, dilation=(1, 2))
    tm = torch.nn.Conv2d(2, 4, (3, 2), padding=(1, 1), padding_mode=mode, dilation=(1, 2)).double()
    with torch.no_grad():
        tm.weight.copy_(torch.tensor(m.weight.detach().numpy()))
        tm.bias.copy_(torch.tensor(m.bias.detach().numpy()))
    rng = np.random.default_rng(3)
    x = _pair((2, 2, 5, 6), rng)
    m = m.double()
    out = m(x[0])
    ref = tm(x[1])
    _check(out, ref, [x], rng)
    np.testing.assert_allclose(m.weight.grad.numpy(), tm.weight.grad.numpy(), rtol=1e-9)
    np.testing.assert_allclose(m.bias.grad.numpy(), tm.bias.grad.numpy(), rtol=1e-9)


def test_default_initialisation_bounds():
    fgrad.manual_seed(0)
    m = nn.Conv2d(4, 64, 3, groups=2)
    bound = 1 / math.sqrt(2 * 9)
    w = m.weight.detach().numpy()
    assert m.weight.dtype == fgrad.float32 and w.shape == (64, 2, 3, 3)
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.9 * bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.1 * bound
    assert np.abs(m.bias.detach().numpy()).max() <= bound
    t = nn.ConvTranspose2d(4, 6, 3)
    assert t.weight.shape == (4, 6, 3, 3)
    assert np.abs(t.weight.detach().numpy()).max() <= 1 / math.sqrt(6 * 9)


def test_modules_print_and_run_like_torch():
    compare("""
    for m in [torch.nn.Conv1d(2, 3, 4), torch.nn.Conv2d(1, 8, 3, padding=1),
              torch.nn.Conv2d(2, 4, 3, stride=2, dilation=2, groups=2, bias=False),
              torch.nn.Conv2d(1, 8, 3, padding='same', padding_mode='reflect'),
              torch.nn.Conv3d(1, 2, 2), torch.nn.ConvTranspose1d(2, 4, 3, stride=2),
              torch.nn.ConvTranspose2d(2, 4, 3, stride=2, output_padding=1),
              torch.nn.MaxPool1d(2), torch.nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True),
              torch.nn.AvgPool1d(2), torch.nn.AvgPool2d(2), torch.nn.AdaptiveAvgPool2d((1, 1)),
              torch.nn.AdaptiveMaxPool2d(3)]:
        print(m)
    x = torch.ones(2, 1, 6, 6, requires_grad=True)
    print(torch.nn.MaxPool2d(2)(x).grad_fn.name(), torch.nn.AvgPool2d(2)(x).grad_fn.name())
    print(torch.nn.functional.unfold(x, 2).grad_fn.name())
    y = torch.nn.ConvTranspose2d(1, 2, 3, stride=2)(x, output_size=[14, 14])
    print(y.shape)
    torch.nn.ConvTranspose2d(1, 2, 3, stride=2)(x, output_size=[12, 12])
    print(torch.nn.Conv2d(1, 3, 3)(torch.ones(1, 5, 5)).shape)
    """)


@pytest.mark.parametrize("src", [
    "torch.nn.functional.conv2d(torch.ones(2, 3), torch.ones(8, 3, 3, 3))",
    "torch.nn.functional.conv1d(torch.ones(1, 3, 5, 5), torch.ones(8, 3, 3))",
    "torch.nn.Conv2d(3, 8, 3)(torch.ones(1, 4, 5, 5))",
    "torch.nn.functional.conv2d(torch.ones(1, 4, 5, 5), torch.ones(8, 3, 3, 3), groups=3)",
    "torch.nn.functional.conv2d(torch.ones(1, 3, 2, 2), torch.ones(8, 3, 3, 3))",
    "torch.nn.functional.conv2d(torch.ones(1, 3, 5, 5), torch.ones(8, 3, 3, 3), stride=2, "
    "padding='same')",
    "torch.nn.Conv2d(3, 8, 3, groups=2)",
    "torch.nn.Conv2d(4, 6, 3, groups=4)",
    "torch.nn.Conv2d(3, 8, 3, padding_mode='foo')",
    "torch.nn.functional.max_pool2d(torch.ones(1, 1, 4, 4), 3, padding=2)",
    "torch.nn.functional.max_pool2d(torch.ones(2, 4), 2)",
    "torch.nn.functional.max_pool2d(torch.ones(1, 1, 1, 1), 2)",
    "torch.nn.functional.conv_transpose2d(torch.ones(1, 4, 5, 5), torch.ones(3, 2, 3, 3))",
])
def test_errors_use_torch_words(src):
    compare(src, error_prefix=25 if "padding_mode=" in src else None)  # torch prints a set


def test_float32_training_step_stays_float32():
    fgrad.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(4, 4, 3, padding=1), nn.ReLU(), nn.AvgPool2d(2))
    x = fgrad.randn(3, 1, 8, 8)
    out = net(x)
    assert out.dtype == fgrad.float32 and out.shape == (3, 4, 2, 2)
    out.sum().backward()
    assert all(p.grad.dtype == fgrad.float32 for p in net.parameters())


def test_double_backward_through_conv_matches_torch():
    rng = np.random.default_rng(4)
    x, w = _pair((2, 2, 5, 5), rng), _pair((3, 2, 3, 3), rng)
    out = []
    for mod, fn, (xi, wi) in ((fgrad, F, (x[0], w[0])), (torch, TF, (x[1], w[1]))):
        y = fn.max_pool2d(fn.conv2d(xi, wi, stride=1, padding=1) ** 2, 2).sum()
        (gw,) = mod.autograd.grad(y, wi, create_graph=True)
        (gx,) = mod.autograd.grad((gw ** 2).sum(), xi)
        out.append(gx.detach().numpy())
    np.testing.assert_allclose(out[0], out[1], rtol=1e-8, atol=1e-10)


def test_functional_transforms_of_a_conv_module():
    m = nn.Conv2d(2, 3, 3)
    x = fgrad.randn(4, 2, 6, 6)
    per_example = fgrad.vmap(lambda xi: m(xi).sum())(x)
    np.testing.assert_allclose(per_example.detach().numpy(),
                               m(x).sum((1, 2, 3)).detach().numpy(), rtol=1e-5)
