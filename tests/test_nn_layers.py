"""``fgrad.nn`` layers against PyTorch (float64): values and gradients from the same
weights, parameter and buffer names, reprs, ``train()/eval()`` behaviour (Dropout,
BatchNorm running statistics), containers, hooks, ``load_state_dict`` errors, and a
small model trained a few steps in both libraries ending at the same parameters."""
import math
import warnings

import numpy as np
import pytest

import fgrad
from fgrad import nn
import fgrad.nn.functional as F

from ._torch_compare import compare

torch = pytest.importorskip("torch")
TOL = dict(rtol=1e-10, atol=1e-12)


def ft(t):
    """A fgrad tensor with a PyTorch tensor's values (and requires_grad)."""
    out = fgrad.tensor(t.detach().numpy().copy())
    return out.requires_grad_(t.requires_grad) if out.is_floating_point() else out


def close(f, t, **tol):
    np.testing.assert_allclose(np.asarray(f.detach().numpy()), t.detach().numpy(),
                               **(tol or TOL))


def twins(name, *args, **kwargs):
    """The same layer in both libraries (float64), fgrad's loaded with PyTorch's state."""
    torch.manual_seed(0)
    tm = getattr(torch.nn, name)(*args, **kwargs).double()
    fm = getattr(nn, name)(*args, **kwargs).double()
    assert [k for k, _ in fm.named_parameters()] == [k for k, _ in tm.named_parameters()]
    assert list(fm.state_dict()) == list(tm.state_dict())
    assert repr(fm) == repr(tm).replace("torch.", "fgrad.")
    fm.load_state_dict({k: ft(v) for k, v in tm.state_dict().items()})
    return tm, fm


def run_both(tm, fm, *inputs, out=lambda o: o):
    """Forward both on the same inputs (numpy arrays, or tensors passed as they are),
    backward a random probe, compare outputs and gradients of inputs and parameters."""
    ti = [torch.tensor(x, requires_grad=x.dtype.kind == "f") if isinstance(x, np.ndarray)
          else x for x in inputs]
    fi = [ft(x) if isinstance(x, torch.Tensor) else x for x in ti]
    to, fo = out(tm(*ti)), out(fm(*fi))
    close(fo, to)
    probe = np.random.default_rng(1).normal(size=tuple(to.shape))
    (to * torch.tensor(probe)).sum().backward()
    (fo * fgrad.tensor(probe)).sum().backward()
    for a, b in zip(fi, ti):
        if isinstance(b, torch.Tensor) and b.requires_grad:
            close(a.grad, b.grad)
    for (name, p), (_, q) in zip(fm.named_parameters(), tm.named_parameters()):
        assert (p.grad is None) == (q.grad is None), name
        if q.grad is not None:
            close(p.grad, q.grad)
    return fo, to


RNG = np.random.default_rng(0)
X = RNG.normal(size=(6, 4)) * 3


# ------------------------------------------------------------------ activations
@pytest.mark.parametrize("name,kwargs", [
    ("GELU", {}), ("GELU", {"approximate": "tanh"}), ("SiLU", {}), ("ELU", {}),
    ("ELU", {"alpha": 0.5}), ("LeakyReLU", {}), ("LeakyReLU", {"negative_slope": 0.2}),
    ("Softplus", {}), ("Softplus", {"beta": 2.0, "threshold": 5.0}), ("Softmax", {"dim": 1}),
    ("LogSoftmax", {"dim": 0}), ("Sigmoid", {}), ("Tanh", {}), ("ReLU", {}), ("Identity", {}),
    ("Flatten", {}), ("Flatten", {"start_dim": 0}), ("Unflatten", {"dim": 1,
                                                                  "unflattened_size": (2, 2)})])
def test_activation_and_shape_modules(name, kwargs):
    tm, fm = twins(name, **kwargs)
    x = X.copy()
    x[0, :3] = [0.0, 25.0, -30.0]          # kinks and the softplus threshold
    run_both(tm, fm, x)


def test_functional_activation_defaults_are_pytorchs_on_tensors():
    x = torch.tensor(X, requires_grad=True)
    close(F.gelu(ft(x)), torch.nn.functional.gelu(x))              # exact, not tanh
    close(F.softplus(ft(x) * 10), torch.nn.functional.softplus(x * 10))
    x0 = fgrad.tensor([0.0], requires_grad=True)
    F.leaky_relu(x0, 0.1).sum().backward()
    assert x0.grad.tolist() == [pytest.approx(0.1)]                # PyTorch's slope at 0


def test_softmax_without_dim_warns_and_picks_pytorchs_dim():
    x = fgrad.tensor(X)
    with pytest.warns(UserWarning, match="Implicit dimension"):
        out = nn.Softmax()(x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        close(out, torch.nn.Softmax()(torch.tensor(X)))


# ------------------------------------------------------------------ dropout
def test_dropout_train_eval_and_statistics():
    d = nn.Dropout(0.3)
    assert repr(d) == repr(torch.nn.Dropout(0.3))
    x = fgrad.ones(200, 100, dtype=fgrad.float64, requires_grad=True)
    y = d(x)
    vals = y.detach().numpy()
    assert set(np.unique(vals)) <= {0.0, 1 / 0.7}
    assert abs((vals == 0).mean() - 0.3) < 0.02
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), vals)        # the mask, scaled
    d.eval()
    assert d(x) is x
    assert nn.Dropout(1.0)(x).abs().sum().item() == 0.0
    fgrad.manual_seed(3)
    a = nn.Dropout(0.5)(x)
    fgrad.manual_seed(3)
    np.testing.assert_array_equal(a.detach().numpy(), nn.Dropout(0.5)(x).detach().numpy())
    compare("torch.nn.Dropout(1.5)")
    compare("torch.nn.functional.dropout(torch.ones(2), p=-0.1)")


# ------------------------------------------------------------------ normalization
@pytest.mark.parametrize("name,shape,kwargs", [
    ("BatchNorm1d", (8, 3), {}), ("BatchNorm1d", (8, 3, 5), {"momentum": 0.3}),
    ("BatchNorm2d", (4, 3, 2, 5), {}), ("BatchNorm2d", (4, 3, 2, 2), {"momentum": None}),
    ("BatchNorm1d", (8, 3), {"affine": False}),
    ("BatchNorm1d", (8, 3), {"track_running_stats": False})])
def test_batchnorm_train_steps_then_eval(name, shape, kwargs):
    tm, fm = twins(name, shape[1], **kwargs)
    with torch.no_grad():
        for p in tm.parameters():
            p.uniform_(0.5, 1.5)
    fm.load_state_dict({k: ft(v) for k, v in tm.state_dict().items()})
    rng = np.random.default_rng(2)
    for _ in range(3):
        run_both(tm, fm, rng.normal(size=shape) * 2 + 1)
    for (k, b), (_, c) in zip(fm.named_buffers(), tm.named_buffers()):
        close(b, c)
    tm.eval(), fm.eval()
    run_both(tm, fm, rng.normal(size=shape))


def test_batchnorm_buffers_errors_and_num_batches_tracked():
    bn = nn.BatchNorm2d(3)
    assert [k for k, _ in bn.named_buffers()] == ["running_mean", "running_var",
                                                  "num_batches_tracked"]
    assert bn.num_batches_tracked.dtype == fgrad.int64
    bn(fgrad.randn(2, 3, 4, 4))
    bn(fgrad.randn(2, 3, 4, 4))
    assert bn.num_batches_tracked.item() == 2
    bn.eval()
    bn(fgrad.randn(2, 3, 4, 4))
    assert bn.num_batches_tracked.item() == 2
    compare("torch.nn.BatchNorm1d(3)(torch.ones(1, 3))")
    compare("torch.nn.BatchNorm1d(3)(torch.ones(2, 3, 4, 5))")
    compare("torch.nn.BatchNorm2d(3)(torch.ones(2, 3))")
    compare("torch.nn.functional.batch_norm(torch.ones(2, 3), torch.zeros(4), torch.ones(3))")
    compare("print(torch.nn.BatchNorm2d(4, eps=1e-3, momentum=None, affine=False))")


@pytest.mark.parametrize("name,args,kwargs,shape", [
    ("LayerNorm", (4,), {}, (3, 5, 4)), ("LayerNorm", ((5, 4),), {}, (3, 5, 4)),
    ("LayerNorm", (4,), {"elementwise_affine": False}, (3, 4)),
    ("LayerNorm", (4,), {"bias": False}, (3, 4)),
    ("GroupNorm", (2, 6), {}, (3, 6, 5)), ("GroupNorm", (3, 6), {"affine": False}, (2, 6, 2, 2)),
    ("GroupNorm", (1, 4), {"eps": 1e-3}, (5, 4))])
def test_layer_and_group_norm(name, args, kwargs, shape):
    tm, fm = twins(name, *args, **kwargs)
    with torch.no_grad():
        for p in tm.parameters():
            p.uniform_(0.5, 1.5)
    fm.load_state_dict({k: ft(v) for k, v in tm.state_dict().items()})
    run_both(tm, fm, np.random.default_rng(3).normal(size=shape))


def test_norm_errors_match_pytorch():
    compare("torch.nn.LayerNorm(4)(torch.ones(2, 3))")
    compare("torch.nn.GroupNorm(4, 6)")
    compare("torch.nn.functional.group_norm(torch.ones(2, 6, 3), 4)")


def test_normalization_functional_on_arrays_and_grad_fn_names():
    import fgrad.numpy as fnp
    x = fnp.asarray(RNG.normal(size=(4, 3)))
    g = fgrad.grad(lambda x: (F.layer_norm(x, (3,)) ** 3).sum())(x)
    tx = torch.tensor(np.asarray(x), requires_grad=True)
    (torch.nn.functional.layer_norm(tx, (3,)) ** 3).sum().backward()
    np.testing.assert_allclose(np.asarray(g), tx.grad.numpy(), **TOL)
    t = fgrad.tensor(np.asarray(x), requires_grad=True)
    assert F.layer_norm(t, (3,)).grad_fn.name() == "NativeLayerNormBackward0"
    assert nn.BatchNorm1d(3)(t).grad_fn.name() == "NativeBatchNormBackward0"


# ------------------------------------------------------------------ embedding
@pytest.mark.parametrize("kwargs", [{}, {"padding_idx": 1}, {"padding_idx": -2},
                                    {"scale_grad_by_freq": True},
                                    {"max_norm": 1.0}, {"max_norm": 0.5, "norm_type": 1.0}])
def test_embedding(kwargs):
    tm, fm = twins("Embedding", 7, 3, **kwargs)
    idx = np.array([[1, 2, 1], [5, 1, 6]])
    run_both(tm, fm, torch.tensor(idx))
    close(fm.weight, tm.weight)      # max_norm renormalises the picked rows in place


def test_embedding_init_errors_and_from_pretrained():
    e = nn.Embedding(1000, 8, padding_idx=3)
    w = e.weight.detach().numpy()
    assert (w[3] == 0).all()
    assert abs(w.std() - 1) < 0.05 and abs(w.mean()) < 0.05
    pre = nn.Embedding.from_pretrained(fgrad.eye(3))
    assert not pre.weight.requires_grad
    compare("torch.nn.Embedding(4, 2)(torch.tensor([0.0, 1.0]))")
    compare("torch.nn.Embedding(4, 2, padding_idx=4)")
    compare("print(torch.nn.Embedding(4, 2, padding_idx=-1, max_norm=2.0, norm_type=1.0))")


# ------------------------------------------------------------------ recurrent
RNN_CASES = [
    ("RNN", {}), ("RNN", {"nonlinearity": "relu", "bias": False}),
    ("RNN", {"num_layers": 2, "bidirectional": True}),
    ("LSTM", {}), ("LSTM", {"num_layers": 2, "batch_first": True}),
    ("LSTM", {"bidirectional": True}), ("LSTM", {"proj_size": 2, "num_layers": 2}),
    ("GRU", {}), ("GRU", {"num_layers": 2, "bidirectional": True, "batch_first": True})]


@pytest.mark.parametrize("name,kwargs", RNN_CASES)
def test_recurrent_layers(name, kwargs):
    tm, fm = twins(name, 3, 4, **kwargs)
    rng = np.random.default_rng(4)
    x = rng.normal(size=(2, 5, 3) if kwargs.get("batch_first") else (5, 2, 3))
    run_both(tm, fm, x, out=lambda o: o[0])
    # the final state, from a given initial state
    dirs = 2 if kwargs.get("bidirectional") else 1
    layers = kwargs.get("num_layers", 1)
    h_size = kwargs.get("proj_size", 4)
    h0 = rng.normal(size=(layers * dirs, 2, h_size))
    if name == "LSTM":
        c0 = rng.normal(size=(layers * dirs, 2, 4))
        t = tm(torch.tensor(x), (torch.tensor(h0), torch.tensor(c0)))
        f = fm(fgrad.tensor(x), (fgrad.tensor(h0), fgrad.tensor(c0)))
        close(f[1][0], t[1][0]), close(f[1][1], t[1][1])
    else:
        t = tm(torch.tensor(x), torch.tensor(h0))
        f = fm(fgrad.tensor(x), fgrad.tensor(h0))
        close(f[1], t[1])
    close(f[0], t[0])


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU"])
def test_recurrent_unbatched_input_and_init(name):
    tm, fm = twins(name, 3, 4)
    x = np.random.default_rng(5).normal(size=(5, 3))
    t, f = tm(torch.tensor(x)), fm(fgrad.tensor(x))
    close(f[0], t[0])
    big = getattr(nn, name)(3, 50)
    w = big.weight_hh_l0.detach().numpy()
    assert np.abs(w).max() <= 1 / math.sqrt(50) and w.std() > 0.8 / math.sqrt(3 * 50)


def test_recurrent_errors_match_pytorch():
    compare("torch.nn.LSTM(3, 4)(torch.ones(5, 2, 2))")
    compare("torch.nn.GRU(3, 4)(torch.ones(1, 5, 2, 3))")
    compare("torch.nn.RNN(3, 4)(torch.ones(5, 2, 3), torch.zeros(1, 3, 4))")
    compare("torch.nn.LSTM(3, 4)(torch.ones(5, 2, 3), (torch.zeros(1, 2, 4), torch.zeros(2, 2, 4)))")
    compare("torch.nn.RNN(3, 4, nonlinearity='sigmoid')")
    compare("torch.nn.GRU(3, 4, proj_size=2)")
    compare("torch.nn.LSTM(3, 4, proj_size=4)")
    compare("torch.nn.LSTM(3, 4, dropout=2.0)")
    with pytest.warns(UserWarning, match="dropout option adds dropout"):
        nn.LSTM(3, 4, dropout=0.5)


# ------------------------------------------------------------------ attention
MHA_CASES = [({}, {}), ({"batch_first": True}, {}), ({"bias": False}, {"need_weights": False}),
             ({"kdim": 3, "vdim": 5}, {}), ({"add_bias_kv": True, "add_zero_attn": True}, {}),
             ({}, {"average_attn_weights": False}), ({}, {"key_padding_mask": True}),
             ({}, {"attn_mask": "bool"}), ({}, {"attn_mask": "float", "key_padding_mask": True}),
             ({"add_bias_kv": True}, {"attn_mask": "bool", "key_padding_mask": True})]


@pytest.mark.parametrize("ctor,call", MHA_CASES)
def test_multihead_attention(ctor, call):
    tm, fm = twins("MultiheadAttention", 8, 2, **ctor)
    rng = np.random.default_rng(6)
    L, S, N = 4, 5, 3
    bf = ctor.get("batch_first", False)
    shape = lambda n, d: (N, n, d) if bf else (n, N, d)  # noqa: E731
    q = rng.normal(size=shape(L, 8))
    k = rng.normal(size=shape(S, ctor.get("kdim", 8)))
    v = rng.normal(size=shape(S, ctor.get("vdim", 8)))
    kw_t, kw_f = {}, {}
    for key, val in call.items():
        if key == "key_padding_mask":
            m = np.zeros((N, S), bool)
            m[0, -2:] = True
            kw_t[key], kw_f[key] = torch.tensor(m), fgrad.tensor(m)
        elif key == "attn_mask":
            m = np.triu(np.ones((L, S), bool), 1) if val == "bool" else rng.normal(size=(L, S))
            kw_t[key], kw_f[key] = torch.tensor(m), fgrad.tensor(m)
        else:
            kw_t[key] = kw_f[key] = val
    tq, tk, tv = (torch.tensor(a, requires_grad=True) for a in (q, k, v))
    fq, fk, fv = (ft(a) for a in (tq, tk, tv))
    to, tw = tm(tq, tk, tv, **kw_t)
    fo, fw = fm(fq, fk, fv, **kw_f)
    close(fo, to)
    assert (fw is None) == (tw is None)
    if tw is not None:
        close(fw, tw)
    (to.sum() + (tw.sum() * 0.5 if tw is not None else 0)).backward()
    (fo.sum() + (fw.sum() * 0.5 if fw is not None else 0)).backward()
    for a, b in ((fq, tq), (fk, tk), (fv, tv)):
        close(a.grad, b.grad)
    for (name, p), (_, r) in zip(fm.named_parameters(), tm.named_parameters()):
        close(p.grad, r.grad)


def test_multihead_attention_unbatched_and_errors():
    tm, fm = twins("MultiheadAttention", 4, 2)
    x = np.random.default_rng(7).normal(size=(3, 4))
    t = tm(torch.tensor(x), torch.tensor(x), torch.tensor(x))
    f = fm(fgrad.tensor(x), fgrad.tensor(x), fgrad.tensor(x))
    close(f[0], t[0]), close(f[1], t[1])
    compare("torch.nn.MultiheadAttention(6, 4)")
    compare("m = torch.nn.MultiheadAttention(4, 2)\nx = torch.ones(3, 2, 4)\n"
            "m(x, x, x, attn_mask=torch.zeros(2, 3, dtype=torch.bool))")


def test_scaled_dot_product_attention():
    rng = np.random.default_rng(8)
    q, k, v = (rng.normal(size=(2, 3, 4, 5)) for _ in range(3))
    mask_b = rng.random((4, 4)) < 0.7
    np.fill_diagonal(mask_b, True)
    for kw in ({}, {"is_causal": True}, {"scale": 0.3}, {"attn_mask": mask_b},
               {"attn_mask": rng.normal(size=(4, 4))}):
        tq, tk, tv = (torch.tensor(a, requires_grad=True) for a in (q, k, v))
        fq, fk, fv = (ft(a) for a in (tq, tk, tv))
        tkw = {a: torch.tensor(b) if isinstance(b, np.ndarray) else b for a, b in kw.items()}
        fkw = {a: fgrad.tensor(b) if isinstance(b, np.ndarray) else b for a, b in kw.items()}
        t = torch.nn.functional.scaled_dot_product_attention(tq, tk, tv, **tkw)
        f = F.scaled_dot_product_attention(fq, fk, fv, **fkw)
        close(f, t)
        (t ** 2).sum().backward()
        (f ** 2).sum().backward()
        for a, b in ((fq, tq), (fk, tk), (fv, tv)):
            close(a.grad, b.grad)


# ------------------------------------------------------------------ containers
def test_containers_match_pytorch():
    compare("""
        m = torch.nn.ModuleList([torch.nn.Linear(2, 2) for _ in range(3)] + [torch.nn.ReLU()])
        print(m); print(len(m), [k for k, _ in m.named_parameters()][:3])
        m.insert(1, torch.nn.Tanh()); del m[0]; print(m)
        d = torch.nn.ModuleDict({'b': torch.nn.Linear(1, 1), 'a': torch.nn.ReLU()})
        d['c'] = torch.nn.Tanh(); print(d, list(d.keys()), 'a' in d, len(d))
        print(list(d.state_dict()))
        d.pop('b'); print(d)
        pl = torch.nn.ParameterList([torch.nn.Parameter(torch.zeros(2, 3)), torch.ones(4)])
        pl.append(torch.zeros(1)); print(pl); print(list(pl.state_dict()))
        print(type(pl[1]).__name__, pl[1].requires_grad)
        pd = torch.nn.ParameterDict({'w': torch.ones(2), 'v': torch.nn.Parameter(torch.zeros(3))})
        print(pd); print(list(pd.state_dict()), 'w' in pd, list(pd.keys()))
        s = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU())
        s.append(torch.nn.Linear(3, 1)); s.insert(0, torch.nn.Identity())
        print(s, len(s), s[1:])
        print(torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Unflatten(1, (2, 3))))
    """)


# ------------------------------------------------------------------ module features
def test_buffers_apply_to_and_modes():
    compare("""
        class M(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.lin = torch.nn.Linear(2, 2)
                self.bn = torch.nn.BatchNorm1d(2)
                self.register_buffer('steps', torch.zeros(1))
                self.register_buffer('scratch', torch.ones(1), persistent=False)
            def forward(self, x):
                return self.bn(self.lin(x))
        m = M()
        print(list(m.state_dict()))
        print([k for k, _ in m.named_buffers()])
        print([k for k, _ in m.named_modules()])
        print([type(c).__name__ for c in m.children()], len(list(m.modules())))
        m.eval(); print(m.training, m.bn.training); m.train(); print(m.bn.training)
        m.double(); print(m.lin.weight.dtype, m.steps.dtype, m.bn.num_batches_tracked.dtype)
        m.to(torch.float32); print(m.lin.weight.dtype)
        names = []
        m.apply(lambda mod: names.append(type(mod).__name__)); print(names)
        m.requires_grad_(False); print(m.lin.weight.requires_grad)
        print(m)
    """)


def test_load_state_dict_errors_match_pytorch():
    compare("""
        m = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.BatchNorm1d(2))
        sd = m.state_dict()
        del sd['1.running_var']; sd['extra'] = torch.zeros(1)
        print(m.load_state_dict(sd, strict=False))
        m.load_state_dict(sd)
    """)
    compare("""
        m = torch.nn.Linear(2, 2)
        m.load_state_dict({'weight': torch.zeros(3, 2), 'bias': torch.zeros(2)})
    """)


def test_forward_hooks_match_pytorch():
    compare("""
        lin = torch.nn.Linear(2, 2)
        calls = []
        h1 = lin.register_forward_pre_hook(lambda m, args: (args[0] * 2,))
        h2 = lin.register_forward_hook(lambda m, args, out: calls.append(tuple(out.shape)))
        h3 = lin.register_forward_hook(lambda m, args, out: out * 0 + 1, prepend=True)
        print(lin(torch.ones(1, 2)), calls)
        h3.remove()
        torch.nn.init.ones_(lin.weight); torch.nn.init.zeros_(lin.bias)
        print(lin(torch.ones(1, 2)))
        h1.remove(); h2.remove()
        print(lin(torch.ones(1, 2)), calls)
        h4 = lin.register_forward_pre_hook(lambda m, a, k: ((a[0] + 1,), k), with_kwargs=True)
        print(lin(torch.ones(1, 2)))
    """)


def test_full_backward_hooks_match_pytorch():
    compare("""
        torch.manual_seed(0)
        lin = torch.nn.Linear(3, 2).double()
        with torch.no_grad():
            lin.weight.copy_(torch.tensor([[1., 2., 3.], [4., 5., 6.]]))
        seen = []
        def hook(m, gin, gout):
            seen.append(([None if g is None else g.tolist() for g in gin],
                         [g.tolist() for g in gout]))
            return (gin[0] * 10,)
        def pre(m, gout):
            return (gout[0] * 2,)
        lin.register_full_backward_hook(hook)
        lin.register_full_backward_pre_hook(pre)
        x = torch.tensor([[1., 1., 1.]], dtype=torch.float64, requires_grad=True)
        lin(x).sum().backward()
        print(seen); print(x.grad)
        seen.clear()
        lin(torch.ones(1, 3, dtype=torch.float64)).sum().backward()
        print(seen); print(lin.weight.grad)
    """)


def test_backward_hooks_with_several_inputs_and_outputs_match_pytorch():
    compare("""
        class Two(torch.nn.Module):
            def forward(self, a, scale, b):
                return a * scale, a + 1
        m = Two()
        seen = []
        m.register_full_backward_hook(lambda mod, gi, go: seen.append((
            [None if g is None else g.tolist() for g in gi],
            [None if g is None else g.tolist() for g in go])))
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        b = torch.tensor([3.0], requires_grad=True)
        x, y = m(a, 2.0, b)
        x.sum().backward()
        print(seen, a.grad, b.grad)
        torch.manual_seed(0)
        lstm = torch.nn.LSTM(2, 3)
        seen = []
        lstm.register_full_backward_hook(
            lambda mod, gi, go: seen.append((len(gi), len(go), [g is None for g in go])))
        out, (h, c) = lstm(torch.ones(4, 1, 2, requires_grad=True))
        out.sum().backward()
        print(seen)
    """)


def test_layers_run_on_the_standin_device():
    dev = "standin"
    m = nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.GELU(), nn.Dropout(0.3),
                      nn.LayerNorm(8), nn.Unflatten(1, (2, 4)), nn.GroupNorm(2, 2),
                      nn.Flatten(), nn.Linear(8, 3)).to(dev)
    out = m(fgrad.randn(5, 6).to(dev))
    y = fgrad.tensor([0, 1, 2, 0, 1]).to(dev)
    loss = nn.CrossEntropyLoss()(out, y) + \
        nn.BCEWithLogitsLoss()(out, fgrad.rand(5, 3).to(dev)) + \
        nn.BCELoss()(out.sigmoid(), fgrad.rand(5, 3).to(dev)) + \
        nn.SmoothL1Loss()(out, fgrad.zeros(5, 3).to(dev)) + \
        nn.KLDivLoss(reduction="batchmean")(out.log_softmax(1), out.softmax(1).detach())
    loss.backward()
    assert loss.device.type == dev and m[0].weight.grad.device.type == dev
    assert m[1].running_mean.device.type == dev
    assert nn.utils.clip_grad_norm_(m.parameters(), 1.0).device.type == dev
    emb = nn.Embedding(10, 4, padding_idx=0, max_norm=1.0).to(dev)
    lstm = nn.LSTM(4, 5, batch_first=True, bidirectional=True).to(dev)
    o, (h, c) = lstm(emb(fgrad.tensor([[0, 3, 4]]).to(dev)))
    o.sum().backward()
    assert o.device.type == dev and emb.weight.grad.device.type == dev
    mha = nn.MultiheadAttention(4, 2, batch_first=True).to(dev)
    q = fgrad.randn(2, 3, 4).to(dev)
    kpm = fgrad.tensor([[False, False, True], [False, False, False]]).to(dev)
    a, w = mha(q, q, q, key_padding_mask=kpm)
    a.sum().backward()
    assert a.device.type == dev and w.device.type == dev
    w = fgrad.empty(4, 4).to(dev)
    nn.init.orthogonal_(w)
    nn.init.trunc_normal_(w)
    assert w.device.type == dev


# ------------------------------------------------------------------ training
def _cnn_free_model(lib):
    return lib.nn.Sequential(
        lib.nn.Linear(6, 16), lib.nn.BatchNorm1d(16), lib.nn.GELU(), lib.nn.Dropout(0.0),
        lib.nn.Linear(16, 16), lib.nn.LayerNorm(16), lib.nn.SiLU(),
        lib.nn.Unflatten(1, (4, 4)), lib.nn.GroupNorm(2, 4), lib.nn.Flatten(),
        lib.nn.Linear(16, 3), lib.nn.LogSoftmax(dim=1))


def test_training_matches_pytorch_to_1e_10():
    torch.manual_seed(0)
    tm = _cnn_free_model(torch).double()
    fm = _cnn_free_model(fgrad).double()
    fm.load_state_dict({k: ft(v) for k, v in tm.state_dict().items()})
    topt = torch.optim.SGD(tm.parameters(), lr=0.1, momentum=0.9)
    fopt = fgrad.optim.SGD(fm.parameters(), lr=0.1, momentum=0.9)
    rng = np.random.default_rng(9)
    for step in range(5):
        x = rng.normal(size=(10, 6))
        y = rng.integers(0, 3, size=10)
        for m, opt, lib in ((tm, topt, torch), (fm, fopt, fgrad)):
            opt.zero_grad()
            out = m(lib.tensor(x))
            loss = lib.nn.NLLLoss()(out, lib.tensor(y)) + \
                lib.nn.SmoothL1Loss()(out.exp(), lib.nn.functional.one_hot(
                    lib.tensor(y), 3).double() if lib is torch else
                    fgrad.tensor(np.eye(3)[y]))
            loss.backward()
            lib.nn.utils.clip_grad_norm_(m.parameters(), 0.5)
            opt.step()
    for (k, a), (_, b) in zip(fm.state_dict().items(), tm.state_dict().items()):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-10, atol=1e-10, err_msg=k)


def test_lstm_training_matches_pytorch():
    class Tagger:
        def __init__(self, lib):
            self.emb = lib.nn.Embedding(10, 4, padding_idx=0)
            self.rnn = lib.nn.LSTM(4, 5, batch_first=True, bidirectional=True)
            self.head = lib.nn.Linear(10, 3)
            self.all = lib.nn.ModuleList([self.emb, self.rnn, self.head]).double()

        def __call__(self, idx):
            out, _ = self.rnn(self.emb(idx))
            return self.head(out)
    torch.manual_seed(1)
    t, f = Tagger(torch), Tagger(fgrad)
    f.all.load_state_dict({k: ft(v) for k, v in t.all.state_dict().items()})
    topt = torch.optim.Adam(t.all.parameters(), lr=0.01)
    fopt = fgrad.optim.Adam(f.all.parameters(), lr=0.01)
    rng = np.random.default_rng(10)
    for step in range(3):
        idx = rng.integers(0, 10, size=(2, 6))
        tags = rng.integers(0, 3, size=(2, 6))
        for model, opt, lib in ((t, topt, torch), (f, fopt, fgrad)):
            opt.zero_grad()
            logits = model(lib.tensor(idx))
            loss = lib.nn.functional.cross_entropy(logits.reshape(-1, 3),
                                                   lib.tensor(tags).reshape(-1))
            loss.backward()
            opt.step()
    for (k, a), (_, b) in zip(f.all.state_dict().items(), t.all.state_dict().items()):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-10, atol=1e-10, err_msg=k)
