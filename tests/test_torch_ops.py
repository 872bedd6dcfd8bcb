"""``fgrad.facade.ops`` against PyTorch: values, dtypes, gradients (``fgrad.vjp`` vs
``torch.autograd``) and error messages, with ``fgrad.Array`` inputs."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import fgrad
import fgrad.numpy as fnp
from fgrad.facade import ops as T

DTYPES = [np.float32, np.float64]


def _leaves(x):
    return list(x) if isinstance(x, tuple) else [x]


def _np(x):
    if isinstance(x, torch.Tensor):
        return x.detach().numpy()
    return np.asarray(x)


def check(f, g, *arrays, grad=True, argnums=None, rtol=None, out_ct=None):
    """``f`` (fgrad) and ``g`` (torch) agree on ``arrays``; so do their VJPs."""
    xs = [fnp.asarray(a) for a in arrays]
    ts = [torch.tensor(a) for a in arrays]
    fo, to = _leaves(f(*xs)), _leaves(g(*ts))
    assert len(fo) == len(to)
    for a, b in zip(fo, to):
        b = _np(b)
        assert tuple(a.shape) == b.shape, (a.shape, b.shape)
        assert np.dtype(a.dtype) == b.dtype, (a.dtype, b.dtype)
        tol = rtol or (1e-4 if b.dtype == np.float32 else 1e-10)
        np.testing.assert_allclose(np.asarray(a), b, rtol=tol, atol=tol, equal_nan=True)
    if not grad:
        return
    nums = argnums if argnums is not None else [i for i, a in enumerate(arrays)
                                                if np.asarray(a).dtype.kind == "f"]
    rng = np.random.default_rng(0)

    def first(*a):
        return _leaves(f(*a))[0]
    out, vjp_fn = fgrad.vjp(lambda *p: first(*[p[nums.index(i)] if i in nums else xs[i]
                                                 for i in range(len(xs))]),
                            *[xs[i] for i in nums])
    ct = rng.standard_normal(out.shape).astype(out.dtype)
    gf = vjp_fn(fnp.asarray(ct))
    tg = [torch.tensor(arrays[i], requires_grad=True) for i in nums]
    targs = [tg[nums.index(i)] if i in nums else ts[i] for i in range(len(ts))]
    tout = _leaves(g(*targs))[0]
    gt = torch.autograd.grad(tout, tg, torch.tensor(ct), allow_unused=True)
    for a, b in zip(gf, gt):
        b = np.zeros(a.shape, a.dtype) if b is None else _np(b)
        tol = rtol or (1e-4 if b.dtype == np.float32 else 1e-9)
        np.testing.assert_allclose(np.asarray(a), b, rtol=tol, atol=tol)


def rand(seed, shape, dtype, low=-2.0, high=2.0):
    return np.random.default_rng(seed).uniform(low, high, shape).astype(dtype)


SEEDS = given(seed=st.integers(0, 2 ** 16))
FEW = settings(max_examples=3, deadline=None)

# ------------------------------------------------------------- elementwise ----
UNARY = ["exp", "sin", "cos", "tanh", "sigmoid", "abs", "neg", "sign", "floor", "ceil", "trunc",
         "frac", "square", "relu", "tan", "atan", "sinh", "cosh", "expm1"]
POSITIVE = ["log", "log2", "log10", "log1p", "sqrt", "rsqrt", "reciprocal"]


@pytest.mark.parametrize("name", UNARY + POSITIVE)
@pytest.mark.parametrize("dtype", DTYPES)
@FEW
@SEEDS
def test_unary(name, dtype, seed):
    low = 0.1 if name in POSITIVE else -2.0
    x = rand(seed, (2, 3), dtype, low)
    check(getattr(T, name), getattr(torch, name), x)


@pytest.mark.parametrize("name", ["exp", "sqrt", "sigmoid", "log1p", "reciprocal"])
def test_float_functions_of_ints_give_default_float(name):
    x = np.array([1, 2, 3])
    check(getattr(T, name), getattr(torch, name), x, grad=False)


def test_kinks_are_pytorchs():
    x = np.array([0.0, 1.0, -1.0, 2.0])
    check(T.abs, torch.abs, x)
    check(T.relu, torch.relu, x)
    check(lambda a: T.clamp(a, 0.0, 1.0), lambda a: torch.clamp(a, 0.0, 1.0), x)
    check(lambda a: T.norm(a * 0), lambda a: torch.norm(a * 0), x)


BINARY = ["add", "sub", "mul", "div", "maximum", "minimum", "atan2", "remainder", "fmod",
          "eq", "ne", "lt", "le", "gt", "ge"]


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("dtype", DTYPES)
@FEW
@SEEDS
def test_binary_broadcasting(name, dtype, seed):
    x, y = rand(seed, (2, 3), dtype), rand(seed + 1, (3,), dtype, 0.5, 2.0)
    check(getattr(T, name), getattr(torch, name), x, y, grad=name not in
          ("eq", "ne", "lt", "le", "gt", "ge"))


@pytest.mark.parametrize("a, b", [
    (np.array([1, 2]), 1.5), (np.array([1, 2]), np.array(2.5)),
    (np.array([1, 2], np.int32), np.array(1.5)), (np.array([1.0, 2.0], np.float32), np.array(2.0)),
    (np.array([1, 2], np.int8), np.array(300)), (np.array([True, False]), 2),
    (np.array([1, 2], np.uint8), np.array([1, 2], np.int8)), (np.array([1.0], np.float32), 2),
    (np.array(1.0), np.array([1, 2])),
])
@pytest.mark.parametrize("op", ["add", "mul", "div", "sub", "eq", "maximum", "pow"])
def test_promotion_matches_torch(a, b, op):
    if op == "sub" and np.asarray(a).dtype == bool or op == "maximum" and not hasattr(b, "shape"):
        return   # not defined in PyTorch
    tb = b if isinstance(b, (int, float)) else torch.tensor(b)
    fb = b if isinstance(b, (int, float)) else fnp.asarray(b)
    want = getattr(torch, op)(torch.tensor(a), tb)
    got = getattr(T, op)(fnp.asarray(a), fb)
    assert np.dtype(got.dtype) == want.numpy().dtype
    np.testing.assert_allclose(np.asarray(got), want.numpy(), rtol=1e-6)


def test_add_alpha_div_rounding_pow():
    a, b = np.array([-7.0, 7.0, 5.5]), np.array([2.0, -2.0, 2.0])
    check(lambda x, y: T.add(x, y, alpha=2.5), lambda x, y: torch.add(x, y, alpha=2.5), a, b)
    check(lambda x, y: T.sub(x, y, alpha=2), lambda x, y: torch.sub(x, y, alpha=2), a, b)
    for mode in ("trunc", "floor"):
        check(lambda x, y: T.div(x, y, rounding_mode=mode),
              lambda x, y: torch.div(x, y, rounding_mode=mode), a, b, grad=False)
        check(lambda x, y: T.div(x, y, rounding_mode=mode),
              lambda x, y: torch.div(x, y, rounding_mode=mode),
              np.array([-7, 7, 6]), np.array([2, -2, 4]), grad=False)
    check(lambda x: T.pow(x, 3), lambda x: torch.pow(x, 3), a)
    check(T.pow, torch.pow, np.abs(a) + 0.1, b)
    with pytest.raises(RuntimeError, match="alpha must not be a floating point"):
        T.add(fnp.asarray([1]), fnp.asarray([1]), alpha=0.5)
    with pytest.raises(RuntimeError, match="negative integer powers"):
        T.pow(fnp.asarray([2]), -1)


def test_clamp_where_lerp_addc():
    x = np.array([[-1.0, 0.0, 0.5], [1.0, 2.0, 0.3]])
    lo, hi = np.array([0.0, -0.5, 0.5]), np.array([1.0, 0.0, 2.0])
    check(T.clamp, torch.clamp, x, lo, hi)
    check(lambda a: T.clamp(a, min=0.3), lambda a: torch.clamp(a, min=0.3), x)
    check(lambda a: T.clip(a, max=0.3), lambda a: torch.clip(a, max=0.3), x)
    check(lambda a: T.clamp(a, 0, 1), lambda a: torch.clamp(a, 0, 1), np.array([-1, 0, 3]),
          grad=False)
    c = x > 0.4
    check(lambda a, b: T.where(fnp.asarray(c), a, b),
          lambda a, b: torch.where(torch.tensor(c), a, b), x, x * 2)
    w = np.array([0.2, 0.7, 0.5])
    check(T.lerp, torch.lerp, x, x * 3 + 1, w)
    check(lambda a, b: T.lerp(a, b, 0.75), lambda a, b: torch.lerp(a, b, 0.75), x, x - 1)
    check(lambda a, b, d: T.addcmul(a, b, d, value=0.5),
          lambda a, b, d: torch.addcmul(a, b, d, value=0.5), x, x + 1, lo)
    check(lambda a, b, d: T.addcdiv(a, b, d, value=2),
          lambda a, b, d: torch.addcdiv(a, b, d, value=2), x, x + 1, hi + 1)
    with pytest.raises(RuntimeError, match="At least one of 'min' or 'max'"):
        T.clamp(fnp.asarray(x))


def test_predicates_and_comparisons():
    a = np.array([1.0, np.nan, np.inf, -np.inf, 0.0])
    for n in ("isnan", "isinf", "isfinite", "logical_not"):
        check(getattr(T, n), getattr(torch, n), a, grad=False)
    b = np.array([1.0 + 1e-9, np.nan, np.inf, 1.0, 1e-9])
    check(T.isclose, torch.isclose, a, b, grad=False)
    check(lambda x, y: T.isclose(x, y, equal_nan=True),
          lambda x, y: torch.isclose(x, y, equal_nan=True), a, b, grad=False)
    assert T.allclose(fnp.asarray(a[:1]), fnp.asarray(b[:1]))
    assert T.equal(fnp.asarray([1, 2]), fnp.asarray([1, 2]))
    assert not T.equal(fnp.asarray([1, 2]), fnp.asarray([1, 2, 3]))
    i, j = np.array([12, 5, 0]), np.array([10, 3, 1])
    for n in ("bitwise_and", "bitwise_or", "bitwise_xor", "logical_and", "logical_xor"):
        check(getattr(T, n), getattr(torch, n), i, j, grad=False)
    check(T.bitwise_not, torch.bitwise_not, i, grad=False)
    check(T.floor_divide, torch.floor_divide, np.array([-7, 7]), np.array([2, 2]), grad=False)
    check(lambda x: T.round(x, decimals=1), lambda x: torch.round(x, decimals=1),
          np.array([0.25, 1.26, -2.35, 2.5]), grad=False)


# -------------------------------------------------------------- reductions ----
@pytest.mark.parametrize("name", ["sum", "mean", "std", "var", "amax", "amin", "logsumexp",
                                  "prod"])
@pytest.mark.parametrize("dtype", DTYPES)
@FEW
@given(seed=st.integers(0, 2 ** 16), dim=st.sampled_from([0, 1, -1, (0, 2), None]),
       keepdim=st.booleans())
def test_reductions_dim_keepdim(name, dtype, seed, dim, keepdim):
    if name == "prod" and not isinstance(dim, int) and dim is not None:
        dim = 1
    if name == "logsumexp" and dim is None:
        dim = (0, 1, 2)
    x = rand(seed, (2, 3, 4), dtype)
    if name == "std":  # distinct values: the gradient of a near-zero std is ill-conditioned
        x = np.random.default_rng(seed).permutation(np.linspace(-2, 2, 24)).reshape(2, 3, 4)
        x = x.astype(dtype)
    if dim is None:
        check(getattr(T, name), getattr(torch, name), x)
    else:
        check(lambda a: getattr(T, name)(a, dim, keepdim=keepdim),
              lambda a: getattr(torch, name)(a, dim, keepdim=keepdim), x)


def test_std_var_overloads():
    x = rand(1, (3, 4), np.float64)
    for f in ("std", "var"):
        check(lambda a: getattr(T, f)(a, unbiased=False), lambda a: getattr(torch, f)(a, unbiased=False), x)
        check(lambda a: getattr(T, f)(a, 1, correction=0, keepdim=True),
              lambda a: getattr(torch, f)(a, 1, correction=0, keepdim=True), x)
        check(lambda a: getattr(T, f)(a, 0, False), lambda a: getattr(torch, f)(a, 0, False), x)
        check(lambda a: getattr(T, f)(a, False), lambda a: getattr(torch, f)(a, False), x)
    check(T.var_mean, torch.var_mean, x)
    check(lambda a: T.std_mean(a, 1), lambda a: torch.std_mean(a, 1), x)


def test_int_reductions_dtypes_and_errors():
    i = np.array([[1, 2, 3], [4, 5, 6]], np.int32)
    for f in ("sum", "prod", "amax", "argmax"):
        check(getattr(T, f), getattr(torch, f), i, grad=False)
    check(lambda a: T.cumsum(a, 1), lambda a: torch.cumsum(a, 1), i, grad=False)
    check(lambda a: T.sum(a, dtype=np.float32), lambda a: torch.sum(a, dtype=torch.float32), i,
          grad=False)
    check(T.sum, torch.sum, np.array([True, False, True]), grad=False)
    with pytest.raises(RuntimeError, match=r"mean\(\): could not infer output dtype.*Got: Int"):
        T.mean(fnp.asarray(i))
    with pytest.raises(RuntimeError, match="std and var only support floating point"):
        T.std(fnp.asarray(i))
    with pytest.raises(RuntimeError, match="Expected reduction dim to be specified"):
        T.max(fnp.zeros((0,)))
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of "
                                         r"\[-2, 1\], but got 2\)"):
        T.sum(fnp.asarray(i), 2)


@pytest.mark.parametrize("name", ["max", "min"])
@pytest.mark.parametrize("dtype", DTYPES)
@FEW
@given(seed=st.integers(0, 2 ** 16), dim=st.sampled_from([0, 1, -1]), keepdim=st.booleans())
def test_max_min_dim(name, dtype, seed, dim, keepdim):
    x = rand(seed, (3, 4), dtype)
    check(lambda a: getattr(T, name)(a, dim, keepdim), lambda a: getattr(torch, name)(a, dim, keepdim), x)
    check(lambda a: getattr(T, name)(a, dim=dim), lambda a: getattr(torch, name)(a, dim=dim), x)


def test_max_ties_full_vs_dim():
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]])
    check(T.max, torch.max, x)                       # ties split evenly
    check(lambda a: T.max(a, 1), lambda a: torch.max(a, 1), x)   # to the index
    check(lambda a: T.min(a, 0), lambda a: torch.min(a, 0), x)
    check(T.max, torch.max, x, x[::-1].copy())       # binary max
    check(lambda a: T.argmax(a, 1, keepdim=True), lambda a: torch.argmax(a, 1, keepdim=True), x,
          grad=False)
    check(T.argmin, torch.argmin, x, grad=False)


def test_return_type_repr_and_fields():
    r = T.max(fnp.asarray([[1.0, 5.0], [7.0, 2.0]]), dim=1)
    assert repr(r).startswith("fgrad.return_types.max(\nvalues=")
    assert "\nindices=" in repr(r) and repr(r).endswith(")")
    v, i = r
    assert r.values is v and r.indices is i and isinstance(r, tuple)
    assert type(r) is fgrad.facade.ops.return_types.max


def test_scans_norms_counts():
    x = rand(3, (3, 4), np.float64)
    check(lambda a: T.cumsum(a, 1), lambda a: torch.cumsum(a, 1), x)
    check(lambda a: T.cumprod(a, 0), lambda a: torch.cumprod(a, 0), x)
    for p in (2, 1, 3, float("inf"), -float("inf"), "fro"):
        check(lambda a: T.norm(a, p), lambda a: torch.norm(a, p), x)
        check(lambda a: T.norm(a, p, dim=1, keepdim=True),
              lambda a: torch.norm(a, p, dim=1, keepdim=True), x)
    check(lambda a: T.norm(a, 0), lambda a: torch.norm(a, 0), x * (x > 0), grad=False)
    b = x > 0
    for f in ("all", "any"):
        check(getattr(T, f), getattr(torch, f), b, grad=False)
        check(lambda a: getattr(T, f)(a, 1), lambda a: getattr(torch, f)(a, 1), b, grad=False)
    check(lambda a: T.count_nonzero(a, 0), lambda a: torch.count_nonzero(a, 0), x * b, grad=False)
    check(lambda a: T.logsumexp(a, 1), lambda a: torch.logsumexp(a, 1),
          np.array([[-np.inf, 0.0], [1000.0, 1000.0]]))


def test_sort_family():
    x = np.array([[3.0, 1.0, 2.0, 1.0], [0.5, 4.0, 4.0, -1.0]])
    for desc in (False, True):
        check(lambda a: T.sort(a, 1, desc), lambda a: torch.sort(a, dim=1, descending=desc, stable=True), x)
        check(lambda a: T.sort(a, 0, desc), lambda a: torch.sort(a, dim=0, descending=desc, stable=True), x)
        check(lambda a: T.argsort(a, descending=desc),
              lambda a: torch.argsort(a, descending=desc, stable=True), x, grad=False)
    y = rand(5, (3, 5), np.float64)
    check(lambda a: T.topk(a, 2), lambda a: torch.topk(a, 2), y)
    check(lambda a: T.topk(a, 3, dim=0, largest=False), lambda a: torch.topk(a, 3, 0, False), y)
    check(lambda a: T.kthvalue(a, 2, 1), lambda a: torch.kthvalue(a, 2, 1), y)
    check(T.median, torch.median, x)
    check(T.median, torch.median, y)
    check(lambda a: T.median(a, 1), lambda a: torch.median(a, 1), np.array([[1.0, 5, 2, 2],
                                                                        [3, 3, 1, 0]]))
    check(lambda a: T.median(a, 0, True), lambda a: torch.median(a, 0, True), y)
    check(lambda a: T.mode(a), lambda a: torch.mode(a), np.array([[1.0, 2, 2, 3, 3],
                                                                    [4, 4, 0, 1, 1]]))


def test_sort_under_transforms():
    """Traced inputs take the comparison path: same values, indices and gradients."""
    x = fnp.asarray([[3.0, 1.0, 2.0, 1.0], [0.5, 4.0, 4.0, -1.0]])
    eager = T.sort(x, 1, True)
    batched = fgrad.vmap(lambda r: T.sort(r, 0, True))(x)
    np.testing.assert_array_equal(np.asarray(batched[0]), np.asarray(eager.values))
    np.testing.assert_array_equal(np.asarray(batched[1]), np.asarray(eager.indices))
    g = fgrad.grad(lambda a: T.sum(T.topk(a, 2).values * fnp.asarray([1.0, 10.0])))(x)
    xt = torch.tensor(np.asarray(x), requires_grad=True)
    (torch.topk(xt, 2).values * torch.tensor([1.0, 10.0], dtype=torch.float64)).sum().backward()
    np.testing.assert_allclose(np.asarray(g), xt.grad.numpy())


# ---------------------------------------------------------- linear algebra ----
@pytest.mark.parametrize("dtype", DTYPES)
@FEW
@SEEDS
def test_products(dtype, seed):
    r = lambda s, k=0: rand(seed + k, s, dtype)
    check(T.mm, torch.mm, r((2, 3)), r((3, 4), 1))
    check(T.bmm, torch.bmm, r((2, 2, 3)), r((2, 3, 4), 1))
    check(T.mv, torch.mv, r((2, 3)), r((3,), 1))
    check(T.dot, torch.dot, r((3,)), r((3,), 1))
    check(T.outer, torch.outer, r((3,)), r((2,), 1))
    for a, b in [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)), ((2, 2, 3), (3, 4)),
                 ((4, 3), (2, 3, 2)), ((2, 1, 2, 3), (3, 3, 2))]:
        check(T.matmul, torch.matmul, r(a), r(b, 1))
    check(lambda a, b: T.cross(a, b, dim=1), lambda a, b: torch.cross(a, b, dim=1),
          r((2, 3)), r((2, 3), 1))
    i2, m, v = r((2,)), r((2, 3), 1), r((3,), 2)
    check(lambda *p: T.addmv(*p, beta=0.5, alpha=2), lambda *p: torch.addmv(*p, beta=0.5, alpha=2),
          i2, m, v)
    check(lambda *p: T.addmm(*p, beta=2), lambda *p: torch.addmm(*p, beta=2),
          r((2, 4)), m, r((3, 4), 3))
    check(T.addr, torch.addr, r((2, 3)), i2, v)
    check(lambda *p: T.addbmm(*p, alpha=0.5), lambda *p: torch.addbmm(*p, alpha=0.5),
          r((2, 4)), r((5, 2, 3), 1), r((5, 3, 4), 2))
    check(T.baddbmm, torch.baddbmm, r((5, 2, 4)), r((5, 2, 3), 1), r((5, 3, 4), 2))


def test_matrix_helpers():
    m = rand(0, (3, 4), np.float64)
    for k in (-1, 0, 2):
        check(lambda a: T.diag(a, k), lambda a: torch.diag(a, k), m)
        check(lambda a: T.diag(a, k), lambda a: torch.diag(a, k), m[0])
        check(lambda a: T.triu(a, k), lambda a: torch.triu(a, k), m)
        check(lambda a: T.tril(a, k), lambda a: torch.tril(a, k), m)
    check(lambda a: T.diagonal(a, 1, 0, 2), lambda a: torch.diagonal(a, 1, 0, 2),
          rand(1, (2, 3, 4), np.float64))
    check(T.trace, torch.trace, m)
    check(T.trace, torch.trace, np.arange(6, dtype=np.int32).reshape(2, 3), grad=False)
    beta0 = T.addmm(fnp.asarray(np.nan), fnp.ones((2, 2)), fnp.ones((2, 2)), beta=0)
    np.testing.assert_array_equal(np.asarray(beta0), np.full((2, 2), 2.0))


def test_linalg_errors_name_shapes():
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)"):
        T.mm(fnp.ones((2, 3)), fnp.ones((4, 5)))
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)"):
        T.matmul(fnp.ones((2, 3)), fnp.ones((4, 5)))
    with pytest.raises(RuntimeError, match=r"1D tensors expected, but got 2D and 1D tensors"):
        T.dot(fnp.ones((2, 3)), fnp.ones(3))
    with pytest.raises(RuntimeError, match=r"inconsistent tensor size, expected tensor \[3\] and src \[4\]"):
        T.dot(fnp.ones(3), fnp.ones(4))
    with pytest.raises(RuntimeError, match=r"size mismatch, got input \(2\), mat \(2x3\), vec \(4\)"):
        T.mv(fnp.ones((2, 3)), fnp.ones(4))
    with pytest.raises(RuntimeError, match=r"batch1 must be a 3D tensor"):
        T.bmm(fnp.ones((2, 3)), fnp.ones((3, 4)))
    with pytest.raises(RuntimeError, match=r"Expected size for first two dimensions of batch2 "
                                           r"tensor to be: \[2, 3\] but got: \[2, 4\]\."):
        T.bmm(fnp.ones((2, 2, 3)), fnp.ones((2, 4, 5)))
    with pytest.raises(RuntimeError, match="expected m1 and m2 to have the same dtype, but got: "
                                           "float != double"):
        T.mm(fnp.ones((2, 3), np.float32), fnp.ones((3, 2)))
    with pytest.raises(RuntimeError, match=r"t\(\) expects a tensor with <= 2 dimensions, but self is 3D"):
        T.t(fnp.ones((2, 3, 4)))


# ------------------------------------------------------------------- shape ----
def test_shape_ops():
    x = rand(0, (2, 3, 4), np.float64)
    cases = [
        (lambda a: T.reshape(a, (4, -1)), lambda a: torch.reshape(a, (4, -1))),
        (lambda a: T.reshape(a, 6, 4), lambda a: a.reshape(6, 4)),
        (lambda a: T.flatten(a, 1), lambda a: torch.flatten(a, 1)),
        (lambda a: T.flatten(a, 0, 1), lambda a: torch.flatten(a, 0, 1)),
        (lambda a: T.unflatten(a, 2, (2, -1)), lambda a: torch.unflatten(a, 2, (2, -1))),
        (lambda a: T.unsqueeze(a, -1), lambda a: torch.unsqueeze(a, -1)),
        (lambda a: T.squeeze(T.unsqueeze(a, 1), 1), lambda a: torch.squeeze(a.unsqueeze(1), 1)),
        (lambda a: T.squeeze(a, 0), lambda a: torch.squeeze(a, 0)),
        (lambda a: T.permute(a, 2, 0, 1), lambda a: a.permute(2, 0, 1)),
        (lambda a: T.permute(a, (1, 0, 2)), lambda a: torch.permute(a, (1, 0, 2))),
        (lambda a: T.transpose(a, 0, -1), lambda a: torch.transpose(a, 0, -1)),
        (lambda a: T.movedim(a, (0, 1), (2, 0)), lambda a: torch.movedim(a, (0, 1), (2, 0))),
        (lambda a: T.expand(a[:, :1], 5, -1, 3, 4), lambda a: a[:, :1].expand(5, -1, 3, 4)),
        (lambda a: T.repeat(a, 2, 1, 1, 2), lambda a: a.repeat(2, 1, 1, 2)),
        (lambda a: T.tile(a, (2,)), lambda a: torch.tile(a, (2,))),
        (lambda a: T.repeat_interleave(a, 2, 1), lambda a: torch.repeat_interleave(a, 2, 1)),
        (lambda a: T.repeat_interleave(a, 2), lambda a: torch.repeat_interleave(a, 2)),
        (lambda a: T.repeat_interleave(a, fnp.asarray([1, 0, 2]), 1),
         lambda a: torch.repeat_interleave(a, torch.tensor([1, 0, 2]), 1)),
        (lambda a: T.flip(a, (0, 2)), lambda a: torch.flip(a, (0, 2))),
        (lambda a: T.roll(a, 1), lambda a: torch.roll(a, 1)),
        (lambda a: T.roll(a, (1, -2), (0, 2)), lambda a: torch.roll(a, (1, -2), (0, 2))),
        (lambda a: T.narrow(a, 2, 1, 2), lambda a: torch.narrow(a, 2, 1, 2)),
        (lambda a: T.split(a, 3, 2), lambda a: torch.split(a, 3, 2)),
        (lambda a: T.split(a, [1, 2], 1), lambda a: torch.split(a, [1, 2], 1)),
        (lambda a: T.chunk(a, 3, 2), lambda a: torch.chunk(a, 3, 2)),
        (lambda a: T.tensor_split(a, 3, 2), lambda a: torch.tensor_split(a, 3, 2)),
        (lambda a: T.unbind(a, 1), lambda a: torch.unbind(a, 1)),
        (lambda a: T.cat([a, a * 2], -1), lambda a: torch.cat([a, a * 2], -1)),
        (lambda a: T.stack([a, a * 2], 1), lambda a: torch.stack([a, a * 2], 1)),
        (lambda a: T.hstack([a, a]), lambda a: torch.hstack([a, a])),
        (lambda a: T.vstack([a[0, 0], a[1, 1]]), lambda a: torch.vstack([a[0, 0], a[1, 1]])),
        (lambda a: T.t(a[0]), lambda a: a[0].t()),
        (lambda a: T.broadcast_to(a[0, 0], (2, 4)), lambda a: torch.broadcast_to(a[0, 0], (2, 4))),
    ]
    for f, g in cases:
        check(f, g, x)


def test_shape_errors():
    with pytest.raises(RuntimeError, match=r"The expanded size of the tensor \(2\) must match the "
                                           r"existing size \(3\) at non-singleton dimension 0"):
        T.expand(fnp.ones(3), 2)
    with pytest.raises(RuntimeError, match="Number of dimensions of repeat dims"):
        T.repeat(fnp.ones((2, 3)), 2)
    with pytest.raises(RuntimeError, match=r"shape '\[4, 2\]' is invalid for input of size 6"):
        T.reshape(fnp.ones(6), 4, 2)
    with pytest.raises(RuntimeError, match="Sizes of tensors must match except in dimension 0"):
        T.cat([fnp.ones((1, 2)), fnp.ones((1, 3))])
    with pytest.raises(RuntimeError, match="stack expects each tensor to be equal size"):
        T.stack([fnp.ones(2), fnp.ones(3)])
    assert np.dtype(T.cat([fnp.ones(2, np.int64), fnp.ones(2, np.float32)]).dtype) == np.float32


# ---------------------------------------------------------------- indexing ----
def test_indexing_ops():
    x = rand(0, (3, 4), np.float64)
    idx = np.array([[0, 2, 1], [1, 0, 0]])
    check(lambda a: T.gather(a, 1, fnp.asarray(idx)), lambda a: torch.gather(a, 1, torch.tensor(idx)), x)
    check(lambda a: T.gather(a, 0, fnp.asarray(idx)), lambda a: torch.gather(a, 0, torch.tensor(idx)), x)
    check(lambda a: T.index_select(a, 1, fnp.asarray([3, 0, 3])),
          lambda a: torch.index_select(a, 1, torch.tensor([3, 0, 3])), x)
    src = rand(1, (2, 3), np.float64)
    uniq = np.array([[2, 0, 1], [1, 2, 0]])
    check(lambda a, s: T.scatter(a, 0, fnp.asarray(uniq), s),
          lambda a, s: torch.scatter(a, 0, torch.tensor(uniq), s), x, src)
    check(lambda a, s: T.scatter_add(a, 1, fnp.asarray(idx), s),
          lambda a, s: torch.scatter_add(a, 1, torch.tensor(idx), s), x, src)
    check(lambda a: T.scatter(a, 1, fnp.asarray(uniq), value=2.5),
          lambda a: torch.scatter(a, 1, torch.tensor(uniq), 2.5), x)
    mask = x > 0
    check(lambda a: T.masked_select(a, fnp.asarray(mask)),
          lambda a: torch.masked_select(a, torch.tensor(mask)), x)
    check(lambda a: T.masked_select(a, fnp.asarray(mask[0])),
          lambda a: torch.masked_select(a, torch.tensor(mask[0])), x)
    check(lambda a: T.masked_fill(a, fnp.asarray(mask), -1.0),
          lambda a: torch.masked_fill(a, torch.tensor(mask), -1.0), x)
    check(lambda a: T.masked_fill(a, fnp.asarray(mask[1]), 2.5),
          lambda a: torch.masked_fill(a, torch.tensor(mask[1]), 2.5), np.arange(12).reshape(3, 4),
          grad=False)
    check(lambda a: T.nonzero(a), lambda a: torch.nonzero(a), x * mask, grad=False)
    check(lambda a: T.nonzero(a, as_tuple=True), lambda a: torch.nonzero(a, as_tuple=True),
          x * mask, grad=False)
    check(lambda a: T.take(a, fnp.asarray([[0, 11], [5, 5]])),
          lambda a: torch.take(a, torch.tensor([[0, 11], [5, 5]])), x)
    check(lambda a: T.take_along_dim(a, fnp.asarray([[1], [0], [3]]), 1),
          lambda a: torch.take_along_dim(a, torch.tensor([[1], [0], [3]]), 1), x)
    with pytest.raises(RuntimeError, match="Index tensor must have the same number of dimensions"):
        T.gather(fnp.ones((2, 2)), 0, fnp.asarray([0, 1]))
    with pytest.raises(IndexError, match="Index is supposed to be a vector"):
        T.index_select(fnp.ones((2, 2)), 0, fnp.asarray([[0, 1]]))


def test_exports():
    assert set(T.METHODS) <= set(T.__all__)
    for n in T.__all__:
        assert callable(getattr(T, n)), n
        assert getattr(T, n).__doc__, n
    for n in ("sum", "max", "view_as", "transpose", "gather"):
        assert (n in T.METHODS) == (n != "view_as")
