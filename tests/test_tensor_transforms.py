"""Facade and transforms together: ``fgrad.grad``/``vmap``/... over functions written with
``Tensor`` methods take and return ``Tensor``s, agree with ``torch.func`` and with the same
function written against ``fgrad.numpy`` on Arrays, and leave the facade's own autograd alone.

Each case is written once as ``build(M)`` with ``M`` either ``torch`` or ``fgrad``.
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

torch = pytest.importorskip("torch")
import torch.func as tf  # noqa: E402

import fgrad  # noqa: E402
import fgrad.numpy as fnp  # noqa: E402
from fgrad import errors, tree_util  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:There is a performance drop")

RNG = np.random.default_rng(0)
X = RNG.standard_normal((4, 3)).astype(np.float32)
W = RNG.standard_normal((3, 2)).astype(np.float32)
B = RNG.standard_normal(2).astype(np.float32)
X3 = RNG.standard_normal((2, 4, 3)).astype(np.float32)


# ------------------------------------------------------------------ helpers ---
def ft(a, **kw):
    return fgrad.tensor(np.array(a), **kw)


def tt(a, **kw):
    return torch.tensor(np.array(a), **kw)


def _tree_both(ours, theirs):
    lo, _ = tree_util.tree_flatten(ours)
    lt = _torch_leaves(theirs)
    assert len(lo) == len(lt), (ours, theirs)
    return lo, lt


def _torch_leaves(x):
    if isinstance(x, torch.Tensor):
        return [x]
    if isinstance(x, dict):
        return [l for k in sorted(x) for l in _torch_leaves(x[k])]
    if isinstance(x, (tuple, list)):
        return [l for e in x for l in _torch_leaves(e)]
    return [x]


def same(ours, theirs, rtol=2e-5, atol=2e-5):
    """Every leaf of ``ours`` is an ``fgrad.Tensor`` equal (value, dtype, shape) to torch's."""
    lo, lt = _tree_both(ours, theirs)
    for a, b in zip(lo, lt):
        assert isinstance(a, fgrad.Tensor), f"got {type(a).__name__}, not a Tensor: {a!r}"
        assert str(a.dtype).replace("fgrad.", "") == str(b.dtype).replace("torch.", ""), \
            (a.dtype, b.dtype)
        assert tuple(a.shape) == tuple(b.shape), (a.shape, b.shape)
        assert a.requires_grad is False and a.grad_fn is None
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=rtol, atol=atol)


def same_values(ours, theirs, rtol=1e-10, atol=1e-12):
    """Tensors from the facade vs Arrays from the functional layer (same tree, values)."""
    lo, tree_o = tree_util.tree_flatten(ours)
    la, tree_a = tree_util.tree_flatten(theirs)
    assert tree_o == tree_a and len(lo) == len(la)
    for a, b in zip(lo, la):
        assert isinstance(a, fgrad.Tensor) and isinstance(b, fgrad.Array)
        assert a._np_dtype == np.dtype(b.dtype) and tuple(a.shape) == tuple(b.shape)
        np.testing.assert_allclose(a.numpy(), np.asarray(b), rtol=rtol, atol=atol)


# ---------------------------------------------------------- facade functions ---
def loss_mlp(M):
    def f(x):
        return M.tanh(x @ M.tensor(W)).pow(2).mean()
    return f


CASES = {   # name -> build(M) -> function of one (4, 3) tensor returning a scalar
    "pow_mean": lambda M: lambda x: x.pow(2).mean(),
    "tanh_matmul": loss_mlp,
    "sum_dim1": lambda M: lambda x: (x.sum(dim=1) ** 2).sum(),
    "index_col": lambda M: lambda x: x[:, 0].exp().sum() + x[1:, 2].sin().sum(),
    "max_values": lambda M: lambda x: x.max(dim=0).values.sum() + x.max(),
    "view_reshape_T": lambda M: lambda x: (x.view(-1).reshape(3, 4).T * x).sum(),
    "where": lambda M: lambda x: M.where(x > 0, x, 0.1 * x).sum(),
    "cat_stack": lambda M: lambda x: M.cat([x, x * x], dim=1).sum()
    + M.stack([x, x.exp()]).mean(),
    "softmax_logsumexp": lambda M: lambda x: x.softmax(dim=-1)[:, 0].sum()
    + x.logsumexp(dim=1).sum(),
    "std_var_norm": lambda M: lambda x: x.std() + x.var(dim=0).sum() + x.norm(),
    "clamp_abs_sqrt": lambda M: lambda x: x.clamp(-0.5, 0.5).sum() + (x.abs() + 1).sqrt().sum(),
    "mm_t_unsqueeze": lambda M: lambda x: (x.t().mm(x).unsqueeze(0) * 0.5).sum(),
    "sigmoid_relu": lambda M: lambda x: M.sigmoid(x).sum() + M.relu(x).pow(3).sum(),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_grad_matches_torch_func(name):
    build = CASES[name]
    g = fgrad.grad(build(fgrad))(ft(X))
    same(g, tf.grad(build(torch))(tt(X)))


@pytest.mark.parametrize("name", ["pow_mean", "tanh_matmul", "index_col", "where", "cat_stack"])
def test_vjp_jvp_jacobians_hessian_match_torch_func(name):
    build = CASES[name]
    x, t = ft(X), tt(X)
    v = RNG.standard_normal(X.shape).astype(np.float32)
    # jvp
    out, tan = fgrad.jvp(build(fgrad), (x,), (ft(v),))
    same((out, tan), tf.jvp(build(torch), (t,), (tt(v),)))
    # vjp (twice: the residuals are kept)
    out, fn = fgrad.vjp(build(fgrad), x)
    tout, tfn = tf.vjp(build(torch), t)
    same(out, tout)
    same(fn(ft(1.5)), tfn(tt(1.5)))
    same(fn(ft(1.5)), tfn(tt(1.5)))
    # jacobians and hessian
    same(fgrad.jacrev(build(fgrad))(x), tf.jacrev(build(torch))(t))
    same(fgrad.jacfwd(build(fgrad))(x), tf.jacfwd(build(torch))(t), rtol=1e-4, atol=1e-5)
    same(fgrad.hessian(build(fgrad))(x), tf.hessian(build(torch))(t), rtol=1e-4, atol=1e-4)


def test_vector_output_jacobians():
    def build(M):
        return lambda x, w: M.tanh(x @ w).sum(dim=1)
    for ours, theirs in [(fgrad.jacrev, tf.jacrev), (fgrad.jacfwd, tf.jacfwd)]:
        same(ours(build(fgrad), argnums=(0, 1))(ft(X), ft(W)),
             theirs(build(torch), argnums=(0, 1))(tt(X), tt(W)), rtol=1e-4, atol=1e-5)


def test_value_and_grad_dict_params_argnums_has_aux():
    def build(M):
        def loss(p, x, y):
            pred = M.tanh(x @ p["W"] + p["b"])
            err = (pred - y).pow(2).mean()
            aux = {"pred": pred}
            if M is fgrad:
                aux["n"] = x.shape[0]        # torch.func wants tensors only in aux
            return err, aux
        return loss
    y = RNG.standard_normal((4, 2)).astype(np.float32)
    p = {"W": ft(W), "b": ft(B)}
    tp = {"W": tt(W), "b": tt(B)}
    (val, aux), g = fgrad.value_and_grad(build(fgrad), has_aux=True)(p, ft(X), ft(y))
    tg, (tval, taux) = tf.grad_and_value(build(torch), has_aux=True)(tp, tt(X), tt(y))
    assert set(g) == {"W", "b"}
    same(g, tg)
    same(val, tval)
    same(aux["pred"], taux["pred"])
    assert aux["n"] == 4
    # argnums=(0, 1): a pair of gradients; grad with has_aux returns (grad, aux)
    (gp, gx), aux = fgrad.grad(build(fgrad), argnums=(0, 1), has_aux=True)(p, ft(X), ft(y))
    (tgp, tgx), taux = tf.grad(build(torch), argnums=(0, 1), has_aux=True)(tp, tt(X), tt(y))
    same(gp, tgp)
    same(gx, tgx)
    same(aux["pred"], taux["pred"])
    # argnums=2 (negative index too)
    same(fgrad.grad(lambda *a: build(fgrad)(*a)[0], argnums=-1)(p, ft(X), ft(y)),
         tf.grad(lambda *a: build(torch)(*a)[0], argnums=2)(tp, tt(X), tt(y)))


def test_dtypes_follow_the_facade():
    x64 = fgrad.tensor([1.0, 2.0], dtype=fgrad.float64)
    g = fgrad.grad(lambda x: (x * 2 + 1.5).pow(2).sum())(x64)
    assert g.dtype == fgrad.float64 and isinstance(g, fgrad.Tensor)
    g = fgrad.grad(lambda x: (x * 2 + 1.5).pow(2).sum())(fgrad.tensor([1.0, 2.0]))
    assert g.dtype == fgrad.float32          # Python scalars do not promote (facade rules)
    v = fgrad.vmap(lambda x: x.sum() + 1)(fgrad.ones(3, 2))
    assert v.dtype == fgrad.float32 and v.shape == fgrad.Size([3])
    i = fgrad.vmap(lambda x: x.argmax())(fgrad.tensor([[1.0, 3.0], [4.0, 2.0]]))
    assert i.dtype == fgrad.int64 and i.tolist() == [1, 0]
    out, tan = fgrad.jvp(lambda x: x.exp(), (fgrad.tensor(0.0),), (fgrad.tensor(2.0),))
    assert out.shape == () and out.dtype == fgrad.float32 and tan.item() == 2.0


# --------------------------------------------------------------------- vmap ---
def test_vmap_sum_dim_and_matmul():
    def build(M):
        return lambda a: a.sum(dim=1) + (a @ M.tensor(W)).sum(dim=1).mean()
    same(fgrad.vmap(build(fgrad))(ft(X3)), tf.vmap(build(torch))(tt(X3)))
    # in_dims / out_dims (torch.func names) and JAX's in_axes / out_axes
    def mm(M):
        return lambda a, w: (a @ w).T
    for kw in ({"in_dims": (1, None), "out_dims": 1},):
        same(fgrad.vmap(mm(fgrad), **kw)(ft(X3), ft(W)), tf.vmap(mm(torch), **kw)(tt(X3), tt(W)))
    same(fgrad.vmap(mm(fgrad), in_axes=(1, None), out_axes=1)(ft(X3), ft(W)),
         tf.vmap(mm(torch), in_dims=(1, None), out_dims=1)(tt(X3), tt(W)))
    same(fgrad.vmap(mm(fgrad), in_dims=[2, None])(ft(X3.transpose(1, 2, 0)), ft(W)),
         tf.vmap(mm(torch), in_dims=(2, None))(tt(X3.transpose(1, 2, 0)), tt(W)))


@pytest.mark.parametrize("name", sorted(CASES))
def test_vmap_of_each_case_matches_torch(name):
    build = CASES[name]
    same(fgrad.vmap(build(fgrad))(ft(np.stack([X, -X, 2 * X]))),
         tf.vmap(build(torch))(tt(np.stack([X, -X, 2 * X]))), rtol=1e-4, atol=1e-5)


def test_vmap_pytrees_nested_and_of_grad():
    def build(M):
        def f(d, w):
            return {"s": (d["a"] @ w).sum(dim=0), "m": d["b"].max(dim=0).values}
        return f
    d = {"a": X3, "b": X3.transpose(1, 0, 2) * 2}
    same(fgrad.vmap(build(fgrad), in_dims=({"a": 0, "b": 1}, None))(
        {k: ft(v) for k, v in d.items()}, ft(W)),
        tf.vmap(build(torch), in_dims=({"a": 0, "b": 1}, None))(
        {k: tt(v) for k, v in d.items()}, tt(W)))
    # nested vmap: an outer product of rows, and a per-element function
    def outer(M):
        return lambda a, b: (a * b).sum()
    same(fgrad.vmap(fgrad.vmap(outer(fgrad), (None, 0)), (0, None))(ft(X), ft(X[:2])),
         tf.vmap(tf.vmap(outer(torch), (None, 0)), (0, None))(tt(X), tt(X[:2])))
    # per-example gradients: vmap(grad) with the weights shared
    def per_ex(M):
        def loss(w, x):
            return M.tanh(x @ w).pow(2).sum()
        return loss
    same(fgrad.vmap(fgrad.grad(per_ex(fgrad)), in_dims=(None, 0))(ft(W), ft(X)),
         tf.vmap(tf.grad(per_ex(torch)), in_dims=(None, 0))(tt(W), tt(X)))
    # grad of vmap, and jacrev of vmap
    def gv(M):
        return lambda x: tf_or(M).vmap(lambda r: (r @ M.tensor(W)).sin().sum())(x).sum()
    same(fgrad.grad(gv(fgrad))(ft(X)), tf.grad(gv(torch))(tt(X)))


def test_vmap_shapes_seen_inside_and_multiple_outputs():
    def build(M):
        def f(a):
            z = M.zeros_like(a) + M.ones(a.shape[-1]) + a.new_zeros(4)
            return a * a.size(0) + len(a) + z, a.unbind(0)[1], a.chunk(2)[0], a.sum()
        return f
    xs = RNG.standard_normal((3, 4, 4)).astype(np.float32)
    same(fgrad.vmap(build(fgrad))(ft(xs)), tf.vmap(build(torch))(tt(xs)))
    same(fgrad.vmap(build(fgrad), out_dims=(1, 0, 2, 0), chunk_size=2)(ft(xs)),
         tf.vmap(build(torch), out_dims=(1, 0, 2, 0), chunk_size=2)(tt(xs)))
    with pytest.raises(ValueError, match="chunk_size"):
        fgrad.vmap(build(fgrad), chunk_size=0)


def test_jacobians_with_aux_return_values_not_tracers():
    def build(M):
        return lambda a: (a.sin() * a.sum(), {"c": a.cos(), "s": a.sum()})
    x = RNG.standard_normal(3).astype(np.float32)
    for ours, theirs in [(fgrad.jacrev, tf.jacrev), (fgrad.jacfwd, tf.jacfwd)]:
        same(ours(build(fgrad), has_aux=True)(ft(x)), theirs(build(torch), has_aux=True)(tt(x)))
        same(fgrad.vmap(ours(build(fgrad), has_aux=True))(ft(np.stack([x, 2 * x]))),
             tf.vmap(theirs(build(torch), has_aux=True))(tt(np.stack([x, 2 * x]))))
    scal = lambda M: lambda a: ((a.sin() * a).sum(), a.cos())   # noqa: E731
    same(fgrad.hessian(scal(fgrad), has_aux=True)(ft(x)),   # torch.func.hessian has no aux
         tf.jacfwd(tf.jacrev(scal(torch), has_aux=True), has_aux=True)(tt(x)),
         rtol=1e-4, atol=1e-5)
    # the functional layer: the aux leaves come back as Arrays
    jac, aux = fgrad.jacrev(lambda a: (fnp.sin(a), fnp.cos(a)), has_aux=True)(fnp.ones(2))
    assert type(aux) is fgrad.Array
    jac, aux = fgrad.hessian(lambda a: (fnp.sum(fnp.sin(a)), fnp.cos(a)), has_aux=True)(
        fnp.ones(2))
    assert type(aux) is fgrad.Array
    np.testing.assert_allclose(np.asarray(aux), np.cos(np.ones(2)))


def tf_or(M):
    return fgrad if M is fgrad else tf


def test_vmap_functional_layer_agrees():
    x = np.random.default_rng(1).standard_normal((5, 3, 4))
    w = np.random.default_rng(2).standard_normal((4, 2))
    got = fgrad.vmap(lambda a: (a @ fgrad.tensor(w)).sum(dim=1).tanh())(fgrad.tensor(x))
    ref = fgrad.vmap(lambda a: fnp.tanh(fnp.sum(a @ w, axis=1)))(fnp.asarray(x))
    same_values(got, ref)
    got = fgrad.vmap(fgrad.grad(lambda a: a.max(dim=1).values.pow(2).mean()))(fgrad.tensor(x))
    ref = fgrad.vmap(fgrad.grad(lambda a: fnp.mean(fnp.max(a, axis=1) ** 2)))(fnp.asarray(x))
    same_values(got, ref)


# ------------------------------------------------------- functional layer ---
def test_grad_jacobians_agree_with_the_functional_layer():
    x = np.random.default_rng(3).standard_normal((3, 4))
    w = np.random.default_rng(4).standard_normal((4, 2))

    def f_t(a, b):
        return (a @ b).tanh().sum(dim=1).pow(2).mean() + a[:, 0].exp().sum()

    def f_a(a, b):
        return fnp.mean(fnp.sum(fnp.tanh(a @ b), axis=1) ** 2) + fnp.sum(fnp.exp(a[:, 0]))
    T, A = (fgrad.tensor(x), fgrad.tensor(w)), (fnp.asarray(x), fnp.asarray(w))
    for tr in (lambda f: fgrad.grad(f, argnums=(0, 1)), lambda f: fgrad.value_and_grad(f),
               lambda f: fgrad.jacrev(f, argnums=1), lambda f: fgrad.jacfwd(f),
               lambda f: fgrad.hessian(f, argnums=1), lambda f: fgrad.jit(f),
               lambda f: fgrad.jit(fgrad.grad(f)), lambda f: fgrad.grad(fgrad.jit(f))):
        same_values(tr(f_t)(*T), tr(f_a)(*A), rtol=1e-9, atol=1e-11)


# ---------------------------------------------------------------------- jit ---
def test_jit_over_tensor_methods():
    def f(x, w):
        h = (x @ w).tanh()
        return {"rows": h.sum(dim=1), "first": x[:, 0], "flat": h.view(-1),
                "m": h.max(dim=0).values, "T": x.T.reshape(-1, 2)}
    jf = fgrad.jit(f)
    x, w = ft(X), ft(W)
    for _ in range(2):   # the second call replays the cached program
        got = jf(x, w)
        want = f(x, w)
        for k in want:
            assert isinstance(got[k], fgrad.Tensor), k
            assert got[k].dtype == want[k].dtype and got[k].shape == want[k].shape
            np.testing.assert_allclose(got[k].numpy(), want[k].numpy(), rtol=1e-6)
    # Arrays in, Arrays out: the cache tells the two apart
    jm = fgrad.jit(lambda a, b: (a @ b) * 2)
    assert type(jm(fnp.asarray(X), fnp.asarray(W))) is fgrad.Array
    assert isinstance(jm(x, w), fgrad.Tensor)
    assert type(jm(fnp.asarray(X), fnp.asarray(W))) is fgrad.Array
    assert isinstance(jm(fnp.asarray(X), w), fgrad.Tensor)
    # mixed: a Tensor output and a Python-scalar-built output
    g = fgrad.jit(lambda x: (x.sum(), x.shape[0]))(x)
    assert isinstance(g[0], fgrad.Tensor)
    # the input tensor is not touched
    np.testing.assert_array_equal(x.numpy(), X)
    same(fgrad.vmap(fgrad.jit(lambda r: (r @ fgrad.tensor(W)).sum(dim=0)))(ft(X3)),
         tf.vmap(lambda r: (r @ torch.tensor(W)).sum(dim=0))(tt(X3)))


# ------------------------------------------------------ facade's autograd ---
def test_transforms_leave_the_facade_autograd_alone():
    x = fgrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = fgrad.tensor([[1.0], [0.5], [-1.0]], requires_grad=True)
    (x * x).sum().backward()
    before = x.grad.clone()
    h = x * 3                       # a non-leaf with history
    g = fgrad.grad(lambda a: (a ** 3).sum())(x)
    same(g, tf.grad(lambda a: (a ** 3).sum())(torch.tensor([1.0, 2.0, 3.0])))
    v = fgrad.vmap(lambda a: a * 2)(h)
    assert isinstance(v, fgrad.Tensor)
    fgrad.jacrev(lambda a, b: a @ b, argnums=(0, 1))(x, w)
    fgrad.hessian(lambda a: (a @ w).sum() ** 2)(x)
    fgrad.jit(lambda a: (a * a).sum())(x)
    fgrad.jvp(lambda a: a.sin(), (x,), (fgrad.ones(3),))
    fgrad.vjp(lambda a: a.sin(), h)[1](fgrad.ones(3))
    # nothing was accumulated into .grad, flags and graph untouched
    assert np.array_equal(x.grad.numpy(), before.numpy())
    assert w.grad is None
    assert x.requires_grad and x.is_leaf and x.grad_fn is None
    assert h.grad_fn is not None and type(h.grad_fn).__name__ == "MulBackward0" or \
        h.grad_fn.name() == "MulBackward0"
    # and the facade's backward still works through the graph built before the transforms
    h.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), before.numpy() + 3)
    assert w.grad is None


def test_transform_inside_no_grad_and_of_a_leaf_with_grad():
    x = fgrad.tensor([0.5, -1.0], requires_grad=True)
    with fgrad.no_grad():
        g = fgrad.grad(lambda a: (a.exp() * a).sum())(x)
    np.testing.assert_allclose(g.numpy(), np.exp([0.5, -1.0]) * (1 + np.array([0.5, -1.0])),
                               rtol=1e-6)
    assert x.grad is None and x.requires_grad


# ---------------------------------------------------------------- errors ---
@pytest.mark.parametrize("how", ["item", "if", "float", "bool_any", "int_index"])
@pytest.mark.parametrize("transform", ["vmap", "jit"])
def test_host_values_of_traced_tensors_raise_concretization_errors(how, transform):
    def f(x):
        if how == "item":
            return x * x.sum().item()
        if how == "if":
            return x if x.sum() > 0 else -x
        if how == "float":
            return x * float(x.view(-1)[0])
        if how == "bool_any":
            return x * 2 if (x > 0).any() else x
        return x * x.argmax().item()
    tr = fgrad.vmap if transform == "vmap" else fgrad.jit
    with pytest.raises(errors.ConcretizationTypeError) as e:
        tr(f)(fgrad.tensor([[1.0, -2.0], [3.0, 4.0]]))
    msg = str(e.value)
    assert f"traced by {transform}" in msg and "Instead" in msg
    # the functional layer raises the same type for the same code on Arrays
    with pytest.raises(errors.ConcretizationTypeError):
        tr(lambda a: a * float(fnp.sum(a)))(fnp.asarray([[1.0, -2.0], [3.0, 4.0]]))


def test_grad_allows_host_values_like_jax_and_torch_func():
    def f(x):
        s = x.sum()
        return s * s.item() if s > 0 else -s
    same(fgrad.grad(f)(ft(X)), tf.grad(f)(tt(X)))


def test_transform_errors_keep_the_functional_layer_types():
    with pytest.raises(TypeError, match="scalar-output"):
        fgrad.grad(lambda x: x * 2)(fgrad.ones(3))
    with pytest.raises(TypeError, match="int64"):
        fgrad.grad(lambda x: x.sum())(fgrad.tensor([1, 2]))
    with pytest.raises(ValueError, match="inconsistent sizes"):
        fgrad.vmap(lambda a, b: a + b)(fgrad.ones(3), fgrad.ones(4))


# --------------------------------------------------------------- in-place ---
def _inplace_cases(M):
    def add_mul(x):
        y = x.clone()
        y.add_(1)
        y.mul_(x)
        y.sub_(y.detach().exp())
        return y.pow(2).sum()

    def setitem(x):
        y = x.clone()
        y[0] = 0
        y[:, 1] += x[:, 0]
        return (y * y).sum()

    def view_inplace(x):
        y = x.clone()
        v = y[0]
        v.mul_(3)
        return (y * y).sum()

    def view_reshape_inplace(x):
        y = x * 1
        y.view(-1)[2:5].zero_()
        return (y.exp()).sum()

    def iadd_ops(x):
        y = M.zeros_like(x)
        y += x
        y *= 2
        y -= x.sin()
        y.clamp_(-1, 1)
        return y.pow(2).sum()

    def fill_masked(x):
        y = x.clone()
        y[y > 0] = 0.5
        y[:, 2].fill_(1.0)
        return (y * x).sum()
    return {"add_mul": add_mul, "setitem": setitem, "view_inplace": view_inplace,
            "view_reshape_inplace": view_reshape_inplace, "iadd_ops": iadd_ops,
            "fill_masked": fill_masked}


@pytest.mark.parametrize("name", sorted(_inplace_cases(fgrad)))
def test_inplace_inside_transforms_is_functional(name):
    f, g = _inplace_cases(fgrad)[name], _inplace_cases(torch)[name]
    x = ft(X)
    same(fgrad.grad(f)(x), tf.grad(g)(tt(X)))
    np.testing.assert_array_equal(x.numpy(), X)            # the input is not written
    xs = np.stack([X, -X])   # torch.func.vmap refuses boolean-mask writes: loop over rows
    same(fgrad.vmap(f)(ft(xs)), torch.stack([g(tt(r)) for r in xs]), rtol=1e-4)
    same(fgrad.vmap(fgrad.grad(f))(ft(xs)), torch.stack([tf.grad(g)(tt(r)) for r in xs]),
         rtol=1e-4)
    if name != "fill_masked":
        same(fgrad.vmap(f)(ft(xs)), tf.vmap(g)(tt(xs)), rtol=1e-4)
    out = fgrad.jit(f)(x)
    np.testing.assert_allclose(out.numpy(), f(ft(X)).numpy(), rtol=1e-6)


def test_inplace_on_the_input_of_a_transform():
    """torch.func.grad refuses in-place ops on its (leaf) inputs; fgrad's are functional,
    and the caller's tensor is unchanged either way."""
    x = ft(X)

    def f(a):
        a.mul_(2)
        return a.sum()
    g = fgrad.grad(f)(x)
    np.testing.assert_allclose(g.numpy(), np.full(X.shape, 2.0, np.float32))
    np.testing.assert_array_equal(x.numpy(), X)


# ------------------------------------------------------------- properties ---
@settings(max_examples=5, deadline=None)
@given(n=st.integers(1, 4), k=st.integers(1, 4), seed=st.integers(0, 2 ** 16))
def test_property_mlp_grad_and_per_example_grads(n, k, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 3)).astype(np.float32)
    w = rng.standard_normal((3, k)).astype(np.float32)

    def build(M):
        def loss(w, x):
            return (M.tanh(x @ w).sum(dim=-1) - 1).pow(2).mean()
        return loss
    same(fgrad.grad(build(fgrad))(ft(w), ft(x)), tf.grad(build(torch))(tt(w), tt(x)),
         rtol=1e-4, atol=1e-5)
    same(fgrad.vmap(fgrad.grad(build(fgrad)), in_dims=(None, 0))(ft(w), ft(x)),
         tf.vmap(tf.grad(build(torch)), in_dims=(None, 0))(tt(w), tt(x)), rtol=1e-4, atol=1e-5)
