"""Reductions with ``dim``, the indexing functions and the facade's error messages, checked
against PyTorch: values, printing, gradients (see ``tests/_torch_compare.py``)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from ._torch_compare import compare

torch = pytest.importorskip("torch")
import fgrad  # noqa: E402

X = """x = torch.tensor([[0.5, -1.0, 2.0, 2.0], [1.5, 0.25, -0.75, 3.0], [0.0, 4.0, 1.0, -2.0]],
                     requires_grad=True)"""


def test_max_min_dim_return_values_and_indices():
    compare(X + """
        r = x.max(dim=1)
        print(r)
        print(r.values, r.indices, r[0], r[1])
        v, i = torch.min(x, 0, keepdim=True)
        print(v, i)
        print(type(r).__name__, x.max(), x.argmax(), x.argmin(dim=0))
    """)


def test_max_dim_gradient():
    compare(X + """
        v, i = x.max(dim=1)
        (v * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
        print(x.grad)
    """)


def test_std_var_unbiased_by_default():
    compare(X + """
        print(torch.round(x.std(), decimals=4), torch.round(x.var(), decimals=4))
        print(torch.round(x.std(dim=1), decimals=4), torch.round(x.var(0, unbiased=False), decimals=4))
        print(torch.round(x.var(dim=1, correction=0, keepdim=True), decimals=4))
        x.std().backward()
        print(torch.round(x.grad, decimals=4))
    """)


def test_sum_mean_dim_keepdim():
    compare(X + """
        print(x.sum(dim=1), x.sum(0, keepdim=True), x.sum((0, 1)), x.mean(dim=-1, keepdim=True))
        x.sum(dim=1, keepdim=True).sum().backward()
        print(x.grad)
        print(torch.ones(2, 3, dtype=torch.int64).sum(1), torch.tensor([True, True]).sum())
    """)


def test_index_select():
    compare(X + """
        i = torch.tensor([2, 0, 2])
        r = torch.index_select(x, 1, i)
        print(r)
        (r * r).sum().backward()
        print(x.grad)
        print(x.index_select(0, torch.tensor([1])))
    """)


def test_masked_select():
    compare(X + """
        r = x.masked_select(x > 1)
        print(r)
        r.sum().backward()
        print(x.grad)
    """)


def test_nonzero():
    compare("""
        t = torch.tensor([[0, 1, 0], [2, 0, 3]])
        print(t.nonzero(), torch.nonzero(t, as_tuple=True))
        print(torch.nonzero(torch.zeros(2)))
    """)


def test_gather():
    compare(X + """
        i = torch.tensor([[0, 0], [1, 3], [2, 2]])
        r = x.gather(1, i)
        print(r)
        (r * torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])).sum().backward()
        print(x.grad)
    """)


def test_scatter():
    compare(X + """
        src = torch.tensor([[10.0, 20.0], [30.0, 40.0], [50.0, 60.0]], requires_grad=True)
        i = torch.tensor([[0, 1], [2, 3], [3, 0]])
        r = x.scatter(1, i, src)
        print(r)
        (r * r).sum().backward()
        print(x.grad, src.grad)
        print(torch.zeros(3, 4).scatter(0, torch.tensor([[1, 2, 0, 1]]), 5.0))
    """)


def test_scatter_add():
    compare(X + """
        src = torch.tensor([[10.0, 20.0], [30.0, 40.0], [50.0, 60.0]], requires_grad=True)
        i = torch.tensor([[0, 0], [2, 3], [3, 3]])
        r = torch.scatter_add(x, 1, i, src)
        print(r)
        (r * r).sum().backward()
        print(x.grad, src.grad)
    """)


def test_scatter_inplace():
    compare("""
        t = torch.zeros(2, 3)
        t.scatter_(1, torch.tensor([[2], [0]]), torch.tensor([[1.0], [2.0]]))
        t.scatter_add_(0, torch.tensor([[1, 1, 1]]), torch.ones(1, 3))
        print(t)
    """)


# ================================================================= errors ===
def test_numpy_on_requires_grad():
    compare("torch.ones(2, requires_grad=True).numpy()")


def test_numpy_on_non_leaf():
    compare("(torch.ones(2, requires_grad=True) * 2).numpy()")


@pytest.mark.parametrize("expr", ["torch.ones(2, 3) @ torch.ones(2, 3)",
                                  "torch.ones(2, 3).mm(torch.ones(4, 2))",
                                  "torch.matmul(torch.ones(5, 2, 3), torch.ones(4, 2))",
                                  "torch.ones(3) @ torch.ones(2)",
                                  "torch.ones(2, 3).mv(torch.ones(2))",
                                  "torch.ones(4, 2, 3).bmm(torch.ones(4, 2, 3))",
                                  "torch.ones(2, 3, requires_grad=True) * torch.ones(4)",
                                  "torch.ones(5, 2, 3) + torch.ones(4, 1, 1)",
                                  "torch.ones(3).add_(torch.ones(2, 3))",
                                  "torch.ones(3).copy_(torch.ones(2))",
                                  "torch.ones(2, 3).view(4)",
                                  "torch.ones(2, 3).sum(dim=2)",
                                  "torch.ones(2, 3).item()",
                                  "torch.tensor([1.0, 2.0]).backward()",
                                  "torch.ones(2, 3).max(dim=3)",
                                  "torch.ones(3).gather(0, torch.tensor([0.5]))",
                                  ])
def test_error_messages(expr):
    compare(expr)


def test_matmul_error_leaves_grad_unchanged():
    compare("""
        a = torch.ones(2, 3, requires_grad=True)
        (a * 3).sum().backward()
        try:
            (a @ a).sum().backward()
        except RuntimeError as e:
            print(e)
        print(a.grad, a._version)
    """)


# ============================================================= properties ===
SHAPES = st.lists(st.integers(1, 3), min_size=1, max_size=3)


@settings(max_examples=8, deadline=None)
@given(shape=SHAPES, seed=st.integers(0, 2 ** 16), dtype=st.sampled_from(["float32", "float64"]),
       keepdim=st.booleans(), data=st.data())
def test_property_reductions_and_grads_match_torch(shape, seed, dtype, keepdim, data):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    a = np.random.default_rng(seed).standard_normal(shape).astype(dtype)
    results = {}
    for mod in (torch, fgrad):
        x = mod.tensor(a, requires_grad=True)
        v, i = x.max(dim=dim, keepdim=keepdim)
        s = x.sum(dim=dim, keepdim=keepdim)
        m = x.mean(dim, keepdim)
        var = x.var(dim=dim, keepdim=keepdim) if shape[dim] > 1 else None
        loss = (v * 2).sum() + (s * s).sum() + m.exp().sum() + (var.sum() if var is not None
                                                                  else 0)
        loss.backward()
        results[mod.__name__] = [t.detach().numpy() for t in (v, i, s, m, x.grad)] + \
            ([var.detach().numpy()] if var is not None else [])
        assert str(v.dtype).split(".")[1] == dtype and str(i.dtype).endswith("int64")
    tol = 1e-4 if dtype == "float32" else 1e-10
    for t, f in zip(results["torch"], results["fgrad"]):
        assert t.shape == f.shape and t.dtype == f.dtype
        np.testing.assert_allclose(f, t, rtol=tol, atol=tol)


@settings(max_examples=8, deadline=None)
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=3), seed=st.integers(0, 2 ** 16),
       data=st.data())
def test_property_gather_scatter_add_match_torch(shape, seed, data):
    dim = data.draw(st.integers(0, len(shape) - 1))
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape).astype(np.float32)
    idx = rng.integers(0, shape[dim], size=shape)
    src = rng.standard_normal(shape).astype(np.float32)
    results = {}
    for mod in (torch, fgrad):
        x = mod.tensor(a, requires_grad=True)
        s = mod.tensor(src, requires_grad=True)
        i = mod.tensor(idx)
        g = x.gather(dim, i)
        sa = x.scatter_add(dim, i, s)
        ((g * g).sum() + (sa * sa).sum()).backward()
        results[mod.__name__] = [t.detach().numpy() for t in (g, sa, x.grad, s.grad)]
    for t, f in zip(results["torch"], results["fgrad"]):
        np.testing.assert_allclose(f, t, rtol=1e-4, atol=1e-4)
