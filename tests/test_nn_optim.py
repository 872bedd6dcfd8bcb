"""fgrad.nn modules and fgrad.optim optimizers against PyTorch (float32).

Models are built in both libraries, the PyTorch weights copied into fgrad's, and
trained for a few steps with each optimizer: the parameters must agree after training.
Losses (values and gradients), reprs (``torch.`` printed as ``fgrad.``), state dicts and
``zero_grad`` semantics are compared too.
"""
import copy
import math
import re

import numpy as np
import pytest

import fgrad
import fgrad.numpy as fnp
from fgrad import nn, optim
import fgrad.nn.functional as F

torch = pytest.importorskip("torch")

RTOL, ATOL = 1e-5, 1e-6


def ft(t):
    """A fgrad tensor with a PyTorch tensor's values (and requires_grad)."""
    out = fgrad.tensor(t.detach().numpy().copy())
    return out.requires_grad_(t.requires_grad) if out.is_floating_point() else out


def close(a, b, rtol=RTOL, atol=ATOL):
    np.testing.assert_allclose(np.asarray(a.detach().numpy() if hasattr(a, "detach") else a),
                               b.detach().numpy(), rtol=rtol, atol=atol)


def mlp(lib, n_out=3):
    return lib.nn.Sequential(lib.nn.Linear(4, 8), lib.nn.Tanh(), lib.nn.Linear(8, 8),
                             lib.nn.ReLU(), lib.nn.Linear(8, n_out))


def twin_models(n_out=3):
    torch.manual_seed(0)
    tm = mlp(torch, n_out)
    fm = mlp(fgrad, n_out)
    fm.load_state_dict({k: ft(v) for k, v in tm.state_dict().items()})
    for (kt, pt), (kf, pf) in zip(tm.named_parameters(), fm.named_parameters()):
        assert kt == kf
        close(pf, pt, 0, 0)
    return tm, fm


def data(n_out=3):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(16, 4)).astype(np.float32)
    y = rng.normal(size=(16, n_out)).astype(np.float32)
    labels = rng.integers(0, n_out, size=16)
    return x, y, labels


OPTIMIZERS = {
    "sgd": ("SGD", dict(lr=0.1)),
    "sgd_momentum_wd": ("SGD", dict(lr=0.05, momentum=0.9, weight_decay=1e-2)),
    "sgd_nesterov": ("SGD", dict(lr=0.05, momentum=0.8, nesterov=True)),
    "sgd_dampening_maximize": ("SGD", dict(lr=0.01, momentum=0.5, dampening=0.3,
                                           maximize=True)),
    "adam": ("Adam", dict(lr=1e-2)),
    "adam_wd_amsgrad": ("Adam", dict(lr=1e-2, betas=(0.8, 0.99), weight_decay=1e-2,
                                     amsgrad=True)),
    "adamw": ("AdamW", dict(lr=1e-2)),
    "adamw_amsgrad": ("AdamW", dict(lr=5e-3, weight_decay=0.1, eps=1e-6, amsgrad=True)),
}


@pytest.mark.parametrize("loss_name", ["mse", "ce"])
@pytest.mark.parametrize("opt_name", list(OPTIMIZERS))
def test_training_matches_pytorch(opt_name, loss_name):
    cls, kw = OPTIMIZERS[opt_name]
    tm, fm = twin_models()
    topt = getattr(torch.optim, cls)(tm.parameters(), foreach=False, **kw)
    fopt = getattr(optim, cls)(fm.parameters(), foreach=False, **kw)
    x, y, labels = data()
    if loss_name == "mse":
        tl, fl = torch.nn.MSELoss(), nn.MSELoss()
        tt, ftgt = torch.tensor(y), fgrad.tensor(y)
    else:
        tl, fl = torch.nn.CrossEntropyLoss(), nn.CrossEntropyLoss()
        tt, ftgt = torch.tensor(labels), fgrad.tensor(labels)
    tx, fx = torch.tensor(x), fgrad.tensor(x)
    for step in range(15):
        topt.zero_grad()
        fopt.zero_grad()
        tloss = tl(tm(tx), tt)
        floss = fl(fm(fx), ftgt)
        close(floss, tloss, rtol=1e-5)
        tloss.backward()
        floss.backward()
        topt.step()
        fopt.step()
    for (name, pt), pf in zip(tm.named_parameters(), fm.parameters()):
        assert isinstance(pf, nn.Parameter)
        close(pf, pt, rtol=RTOL, atol=ATOL)
    # the optimizer state follows PyTorch's too
    ts, fs = topt.state_dict(), fopt.state_dict()
    assert ts["param_groups"] == fs["param_groups"]
    assert sorted(ts["state"]) == sorted(fs["state"])
    for i, st in ts["state"].items():
        assert sorted(st) == sorted(fs["state"][i])
        for k, v in st.items():
            close(fs["state"][i][k], v, rtol=1e-4, atol=1e-6)


def test_step_with_closure_and_param_groups():
    tm, fm = twin_models()
    x, y, _ = data()
    tx, fx, ty, fy = torch.tensor(x), fgrad.tensor(x), torch.tensor(y), fgrad.tensor(y)
    topt = torch.optim.SGD([{"params": tm[0].parameters(), "lr": 0.5},
                            {"params": tm[2].parameters()}], lr=0.05, momentum=0.5,
                           foreach=False)
    fopt = optim.SGD([{"params": fm[0].parameters(), "lr": 0.5},
                      {"params": fm[2].parameters()}], lr=0.05, momentum=0.5)
    assert [g["lr"] for g in fopt.param_groups] == [0.5, 0.05]
    for _ in range(5):
        def tclosure():
            topt.zero_grad()
            loss = ((tm(tx) - ty) ** 2).mean()
            loss.backward()
            return loss

        def fclosure():
            fopt.zero_grad()
            loss = ((fm(fx) - fy) ** 2).mean()
            loss.backward()
            return loss
        close(fopt.step(fclosure), topt.step(tclosure))
    for pt, pf in zip(tm.parameters(), fm.parameters()):
        close(pf, pt)
    # the last layer is in no group: its gradient was computed, it was not updated
    assert fm[4].weight.grad is not None
    close(fm[4].weight, tm[4].weight, 0, 0)


def test_optimizer_repr_and_errors():
    p = [nn.Parameter(fgrad.ones(2))]
    tp = [torch.nn.Parameter(torch.ones(2))]
    for name, kw in [("SGD", dict(lr=0.1, momentum=0.9)), ("Adam", {}), ("AdamW", {})]:
        assert repr(getattr(optim, name)(p, **kw)) == repr(getattr(torch.optim, name)(tp, **kw))
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(ValueError, match="Invalid learning rate"):
        optim.Adam(p, lr=-1)
    with pytest.raises(ValueError, match="Nesterov momentum requires"):
        optim.SGD(p, lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="non-leaf"):
        optim.SGD([p[0] * 2], lr=0.1)
    with pytest.raises(ValueError, match="more than one parameter group"):
        optim.SGD([{"params": p}, {"params": p}], lr=0.1)


def test_optimizer_load_state_dict_resumes():
    tm, fm = twin_models()
    fm2 = copy.deepcopy(fm)
    x, y, _ = data()
    fx, fy = fgrad.tensor(x), fgrad.tensor(y)

    def train(model, opt, n):
        for _ in range(n):
            opt.zero_grad()
            ((model(fx) - fy) ** 2).mean().backward()
            opt.step()
    a = optim.Adam(fm.parameters(), lr=1e-2)
    train(fm, a, 6)
    b = optim.Adam(fm2.parameters(), lr=1e-2)
    train(fm2, b, 3)
    c = optim.Adam(fm2.parameters(), lr=1e-2)
    c.load_state_dict(b.state_dict())
    train(fm2, c, 3)
    for p1, p2 in zip(fm.parameters(), fm2.parameters()):
        np.testing.assert_array_equal(p1.detach().numpy(), p2.detach().numpy())


# ------------------------------------------------------------------ zero_grad -------
def test_zero_grad_set_to_none_semantics():
    _, fm = twin_models()
    x = fgrad.ones(2, 4)
    fm(x).sum().backward()
    w = fm[0].weight
    g = w.grad
    assert g is not None and float(g.abs().sum()) > 0
    fm.zero_grad(set_to_none=False)
    assert w.grad is g  # the same tensor, zeroed in place
    assert float(g.abs().sum()) == 0 and not g.requires_grad
    fm(x).sum().backward()
    assert w.grad is g  # accumulated into it again
    opt = optim.SGD(fm.parameters(), lr=0.1)
    opt.zero_grad()  # set_to_none=True by default (as PyTorch 2)
    assert all(p.grad is None for p in fm.parameters())
    fm(x).sum().backward()
    fm.zero_grad()
    assert all(p.grad is None for p in fm.parameters())
    # a step after zero_grad(set_to_none=True) leaves the parameters alone
    before = [p.detach().clone() for p in fm.parameters()]
    optim.SGD(fm.parameters(), lr=0.1, momentum=0.9, weight_decay=0.1).step()
    optim.Adam(fm.parameters(), lr=0.1).step()
    for b, p in zip(before, fm.parameters()):
        np.testing.assert_array_equal(b.numpy(), p.detach().numpy())


def test_zero_grad_matches_pytorch_values():
    tm, fm = twin_models()
    tx, fx = torch.ones(2, 4), fgrad.ones(2, 4)
    for _ in range(2):
        tm(tx).sum().backward()
        fm(fx).sum().backward()
    for pt, pf in zip(tm.parameters(), fm.parameters()):
        close(pf.grad, pt.grad)
    tm.zero_grad(set_to_none=False)
    fm.zero_grad(set_to_none=False)
    for pt, pf in zip(tm.parameters(), fm.parameters()):
        close(pf.grad, pt.grad, 0, 0)


# ---------------------------------------------------------------------- losses -------
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_mse_loss_vs_pytorch(reduction):
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(2, 3, 4)).astype(np.float32)
    ta = torch.tensor(a, requires_grad=True)
    fa = fgrad.tensor(a, requires_grad=True)
    tl = torch.nn.MSELoss(reduction=reduction)(ta, torch.tensor(b))
    fl = nn.MSELoss(reduction=reduction)(fa, fgrad.tensor(b))
    close(fl, tl)
    assert fl.grad_fn.name() == tl.grad_fn.name()
    w = np.cos(np.arange(a.size, dtype=np.float32)).reshape(a.shape)
    (tl * torch.tensor(w)).sum().backward() if reduction == "none" else tl.backward()
    (fl * fgrad.tensor(w)).sum().backward() if reduction == "none" else fl.backward()
    close(fa.grad, ta.grad)
    close(F.mse_loss(fa, fgrad.tensor(b), reduction=reduction),
          torch.nn.functional.mse_loss(ta, torch.tensor(b), reduction=reduction))


CE_CASES = {
    "plain": (dict(), (6, 5)),
    "weight": (dict(weight=True), (6, 5)),
    "ignore": (dict(ignore_index=1), (6, 5)),
    "weight_ignore": (dict(weight=True, ignore_index=2), (6, 5)),
    "smoothing": (dict(label_smoothing=0.2), (6, 5)),
    "smoothing_weight_ignore": (dict(label_smoothing=0.1, weight=True, ignore_index=0), (6, 5)),
    "spatial": (dict(), (3, 5, 2, 2)),
    "one_sample": (dict(), (5,)),
    "probabilities": (dict(probs=True), (6, 5)),
    "probabilities_weight_smoothing": (dict(probs=True, weight=True, label_smoothing=0.3),
                                       (6, 5)),
}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("case", list(CE_CASES))
def test_cross_entropy_vs_pytorch(case, reduction):
    opts, shape = CE_CASES[case]
    opts = dict(opts)
    rng = np.random.default_rng(3)
    x = (rng.normal(size=shape) * 3).astype(np.float32)
    n_classes = shape[1] if len(shape) > 1 else shape[0]
    tshape = (shape[0],) + shape[2:] if len(shape) > 1 else ()
    if opts.pop("probs", False):
        y = rng.random(size=shape).astype(np.float32)
        y /= y.sum(axis=1, keepdims=True)
    else:
        y = rng.integers(0, n_classes, size=tshape)
    kw = dict(opts, reduction=reduction)
    tkw, fkw = dict(kw), dict(kw)
    if opts.get("weight"):
        wt = rng.random(n_classes).astype(np.float32) + 0.5
        tkw["weight"], fkw["weight"] = torch.tensor(wt), fgrad.tensor(wt)
    tx, fx = torch.tensor(x, requires_grad=True), fgrad.tensor(x, requires_grad=True)
    tl = torch.nn.CrossEntropyLoss(**tkw)(tx, torch.tensor(y))
    fl = nn.CrossEntropyLoss(**fkw)(fx, fgrad.tensor(y))
    assert fl.dtype == fgrad.float32 and tuple(fl.shape) == tuple(tl.shape)
    close(fl, tl, rtol=2e-6)
    g = np.cos(np.arange(max(1, tl.numel()), dtype=np.float32)).reshape(tl.shape)
    (tl * torch.tensor(g)).sum().backward()
    (fl * fgrad.tensor(g)).sum().backward()
    close(fx.grad, tx.grad, rtol=1e-5, atol=1e-7)
    close(F.cross_entropy(fx, fgrad.tensor(y), **fkw),
          torch.nn.functional.cross_entropy(tx, torch.tensor(y), **tkw), rtol=2e-6)


def test_cross_entropy_grad_fn_name_and_large_logits():
    tx = torch.tensor([[1000.0, 0.0, -1000.0]], requires_grad=True)
    fx = fgrad.tensor([[1000.0, 0.0, -1000.0]], requires_grad=True)
    tl = torch.nn.functional.cross_entropy(tx, torch.tensor([2]))
    fl = F.cross_entropy(fx, fgrad.tensor([2]))
    assert fl.grad_fn.name() == tl.grad_fn.name() == "NllLossBackward0"
    close(fl, tl)
    tl.backward()
    fl.backward()
    close(fx.grad, tx.grad)


def test_functional_losses_on_arrays_float64():
    x = np.random.default_rng(4).normal(size=(4, 3))
    y = np.array([0, 2, 1, 2])
    got = F.cross_entropy(fnp.asarray(x), fnp.asarray(y))
    want = torch.nn.functional.cross_entropy(torch.tensor(x), torch.tensor(y))
    assert isinstance(got, fgrad.Array)
    np.testing.assert_allclose(float(got), want.item(), rtol=1e-13)
    g = fgrad.grad(lambda a: F.cross_entropy(a, fnp.asarray(y), label_smoothing=0.1))(
        fnp.asarray(x))
    tx = torch.tensor(x, requires_grad=True)
    torch.nn.functional.cross_entropy(tx, torch.tensor(y), label_smoothing=0.1).backward()
    np.testing.assert_allclose(np.asarray(g), tx.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(float(F.mse_loss(fnp.asarray(x), fnp.zeros_like(x))),
                               np.mean(x ** 2), rtol=1e-13)
    w, b = np.ones((2, 3)), np.array([0.5, -0.5])
    np.testing.assert_allclose(np.asarray(F.linear(fnp.asarray(x), fnp.asarray(w),
                                                   fnp.asarray(b))), x @ w.T + b, rtol=1e-13)


def test_linear_functional_vs_pytorch():
    rng = np.random.default_rng(5)
    x, w, b = (rng.normal(size=s).astype(np.float32) for s in [(2, 3, 4), (5, 4), (5,)])
    for bias in (True, False):
        targs = [torch.tensor(a, requires_grad=True) for a in (x, w, b)]
        fargs = [fgrad.tensor(a, requires_grad=True) for a in (x, w, b)]
        for xs in (slice(None), 0):   # 3-d and 2-d inputs
            tout = torch.nn.functional.linear(targs[0][xs], targs[1], targs[2] if bias else None)
            fout = F.linear(fargs[0][xs], fargs[1], fargs[2] if bias else None)
            close(fout, tout)
            tout.sum().backward()
            fout.sum().backward()
        for ta, fa in zip(targs, fargs):
            if ta.grad is not None:
                close(fa.grad, ta.grad)
    assert F.linear(fgrad.ones(2, 4), fgrad.ones(5, 4, requires_grad=True),
                    fgrad.ones(5)).grad_fn.name() == "AddmmBackward0"


def test_activation_modules_vs_pytorch():
    x = np.linspace(-3, 3, 13, dtype=np.float32)
    for name in ("ReLU", "Tanh", "Sigmoid"):
        tx, fx = torch.tensor(x, requires_grad=True), fgrad.tensor(x, requires_grad=True)
        tout, fout = getattr(torch.nn, name)()(tx), getattr(nn, name)()(fx)
        close(fout, tout)
        assert fout.grad_fn.name() == tout.grad_fn.name()
        tout.sum().backward()
        fout.sum().backward()
        close(fx.grad, tx.grad)


# ---------------------------------------------------------------- modules ----------
def to_fgrad(text):
    return re.sub(r"\btorch\.", "fgrad.", text)


def test_reprs_match_pytorch():
    def build(lib):
        n = lib.nn
        return n.Sequential(n.Linear(3, 4), n.ReLU(), n.Sequential(n.Tanh(),
                            n.Linear(4, 1, bias=False)), n.Sigmoid(), n.ReLU(inplace=True),
                            n.MSELoss(reduction="sum"), n.CrossEntropyLoss(), n.Identity())
    assert repr(build(fgrad)) == to_fgrad(repr(build(torch)))
    assert repr(nn.Linear(3, 1)) == "Linear(in_features=3, out_features=1, bias=True)"
    assert repr(nn.Module()) == repr(torch.nn.Module()) == "Module()"
    tp = torch.nn.Parameter(torch.tensor([1.0, 2.5]))
    fp = nn.Parameter(fgrad.tensor([1.0, 2.5]))
    assert repr(fp) == str(fp) == to_fgrad(repr(tp))
    assert repr(nn.Parameter(fgrad.tensor([1.0]), requires_grad=False)) == \
        repr(torch.nn.Parameter(torch.tensor([1.0]), requires_grad=False))
    assert repr(nn.Parameter(fgrad.zeros(2, dtype=fgrad.float64))) == \
        to_fgrad(repr(torch.nn.Parameter(torch.zeros(2, dtype=torch.float64))))


def test_custom_module_registration_and_names():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Linear(2, 3), nn.Tanh())
            self.head = nn.Linear(3, 1)
            self.scale = nn.Parameter(fgrad.ones(1))
            self.register_buffer("count", fgrad.zeros(1))
            self.register_buffer("scratch", fgrad.zeros(1), persistent=False)
            self.plain = 3

        def forward(self, x):
            return self.head(self.body(x)) * self.scale

    net = Net()
    names = [n for n, _ in net.named_parameters()]
    assert names == ["scale", "body.0.weight", "body.0.bias", "head.weight", "head.bias"]
    assert list(net.state_dict()) == ["scale", "count", "body.0.weight", "body.0.bias",
                                      "head.weight", "head.bias"]
    assert [type(m).__name__ for m in net.children()] == ["Sequential", "Linear"]
    assert [n for n, _ in net.named_modules()] == ["", "body", "body.0", "body.1", "head"]
    assert len(list(net.modules())) == 5
    assert net.plain == 3 and "plain" not in net._parameters
    assert len(list(net.parameters())) == 5
    with pytest.raises(AttributeError, match="'Net' object has no attribute 'nope'"):
        net.nope
    with pytest.raises(TypeError, match="cannot assign"):
        net.scale = fgrad.ones(1)
    net.scale = None
    assert len(list(net.parameters())) == 4
    del net.head
    assert [n for n, _ in net.named_children()] == ["body"]
    # shared parameters are listed once
    lin = nn.Linear(2, 2)
    assert len(list(nn.Sequential(lin, lin).parameters())) == 2
    # the forward is recorded for autograd through parameters
    net2 = Net()
    net2(fgrad.ones(4, 2)).sum().backward()
    assert all(p.grad is not None for p in net2.parameters())


def test_train_eval_and_call():
    model = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.ReLU()))
    assert model.training and model[1][0].training
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())
    assert len(model) == 2 and isinstance(model[-1], nn.Sequential)
    assert isinstance(model[:1], nn.Sequential) and len(model[:1]) == 1
    with pytest.raises(NotImplementedError, match="forward"):
        nn.Module()(1)


def test_state_dict_round_trip_and_errors():
    a, b = nn.Linear(3, 2), nn.Linear(3, 2)
    sd = a.state_dict()
    assert list(sd) == ["weight", "bias"]
    assert not sd["weight"].requires_grad and sd["weight"].grad_fn is None
    w_before = b.weight
    res = b.load_state_dict(sd)
    assert res.missing_keys == [] and res.unexpected_keys == []
    assert b.weight is w_before  # copied in place
    np.testing.assert_array_equal(b.weight.detach().numpy(), a.weight.detach().numpy())
    # state_dict values share memory with the parameters, as PyTorch's
    with fgrad.no_grad():
        a.weight.add_(1.0)
    np.testing.assert_array_equal(sd["weight"].numpy(), a.weight.detach().numpy())
    with pytest.raises(RuntimeError, match='Missing key\\(s\\) in state_dict: "bias"'):
        b.load_state_dict({"weight": sd["weight"]})
    res = b.load_state_dict({"weight": sd["weight"], "extra": fgrad.ones(1)}, strict=False)
    assert res.missing_keys == ["bias"] and res.unexpected_keys == ["extra"]
    with pytest.raises(RuntimeError, match="size mismatch for weight"):
        b.load_state_dict({"weight": fgrad.ones(2, 2), "bias": fgrad.ones(2)})


def test_to_dtype_keeps_parameter_objects():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    params = list(model.parameters())
    model(fgrad.ones(1, 2)).sum().backward()
    assert model.to(fgrad.float64) is model
    assert all(p is q for p, q in zip(params, model.parameters()))
    assert all(p.dtype == fgrad.float64 and isinstance(p, nn.Parameter) and p.requires_grad
               for p in model.parameters())
    assert all(p.grad.dtype == fgrad.float64 for p in model.parameters())
    out = model(fgrad.ones(4, 2, dtype=fgrad.float64))
    assert out.dtype == fgrad.float64
    model.float()
    assert model[0].weight.dtype == fgrad.float32
    assert model.to("cpu") is model
    with pytest.raises(TypeError, match="floating point"):
        model.to(fgrad.int64)


def test_linear_init_follows_pytorch_and_the_global_seed():
    fgrad.manual_seed(123)
    a = nn.Linear(16, 300)
    fgrad.manual_seed(123)
    b = nn.Linear(16, 300)
    np.testing.assert_array_equal(a.weight.detach().numpy(), b.weight.detach().numpy())
    w = a.weight.detach().numpy()
    bound = 1 / math.sqrt(16)
    assert w.dtype == np.float32 and w.shape == (300, 16)
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.95 * bound
    assert abs(w.mean()) < 0.02 and abs(w.std() - bound / math.sqrt(3)) < 0.01
    assert np.abs(a.bias.detach().numpy()).max() <= bound
    assert a.weight.is_leaf and a.weight.requires_grad and a.weight.grad_fn is None
    assert nn.Linear(2, 2, bias=False).bias is None
    assert nn.Linear(2, 2, dtype=fgrad.float64).weight.dtype == fgrad.float64


def test_parameter_is_a_leaf_tensor_and_works_with_transforms():
    data = fgrad.tensor([1.0, 2.0])
    p = nn.Parameter(data)
    assert isinstance(p, fgrad.Tensor) and p.is_leaf and p.requires_grad
    with fgrad.no_grad():
        data.mul_(2)   # shares data's memory, as PyTorch's
    assert p.tolist() == [2.0, 4.0]
    y = p * 3
    assert type(y) is fgrad.Tensor and y.grad_fn.name() == "MulBackward0"
    assert type(p.detach()) is fgrad.Tensor and type(p.data) is fgrad.Tensor
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        p.add_(1)
    g = fgrad.grad(lambda w: (w ** 2).sum())(p)
    assert g.tolist() == [4.0, 8.0]
    q = copy.deepcopy(p)
    assert type(q) is nn.Parameter and q.tolist() == p.tolist() and q is not p
    # functional helpers on parameters record autograd
    nn.relu(p).sum().backward()
    assert p.grad.tolist() == [1.0, 1.0]
