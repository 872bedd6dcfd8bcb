"""``fgrad.nn`` losses (modules and ``nn.functional``) against PyTorch in float64: values
and gradients for every ``reduction``, options (``weight``, ``pos_weight``, ``beta``,
``delta``, ``log_target``, ``ignore_index``), reprs, state dicts and errors."""
import numpy as np
import pytest

import fgrad
import fgrad.numpy as fnp
from fgrad import nn
import fgrad.nn.functional as F

from ._torch_compare import compare

torch = pytest.importorskip("torch")
TF = torch.nn.functional

RNG = np.random.default_rng(0)
X = RNG.normal(size=(5, 4))
T = RNG.normal(size=(5, 4))
P = 1 / (1 + np.exp(-X))                     # probabilities
Y = (RNG.random((5, 4)) < 0.5).astype(float)  # binary targets
W = RNG.random(4) + 0.5
LOGP = X - np.log(np.exp(X).sum(1, keepdims=True))
Q = np.exp(T) / np.exp(T).sum(1, keepdims=True)


def both(name, args, kwargs, grad_args=(0,)):
    """Run ``name`` in both libraries on float64 copies of ``args``; compare the value and
    the gradients of ``sum(out * probe)`` w.r.t. ``args[i]`` for ``i`` in ``grad_args``."""
    targs = [torch.tensor(a, requires_grad=i in grad_args) if isinstance(a, np.ndarray)
             else a for i, a in enumerate(args)]
    fargs = [fgrad.tensor(a, requires_grad=i in grad_args) if isinstance(a, np.ndarray)
             else a for i, a in enumerate(args)]
    tk = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    fk = {k: fgrad.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    tout = getattr(TF, name)(*targs, **tk)
    fout = getattr(F, name)(*fargs, **fk)
    assert isinstance(fout, fgrad.Tensor)
    assert tuple(fout.shape) == tuple(tout.shape)
    np.testing.assert_allclose(fout.detach().numpy(), tout.detach().numpy(), rtol=1e-12,
                               atol=1e-13)
    probe = RNG.normal(size=tuple(tout.shape))
    (tout * torch.tensor(probe)).sum().backward()
    (fout * fgrad.tensor(probe)).sum().backward()
    for i in grad_args:
        np.testing.assert_allclose(fargs[i].grad.numpy(), targs[i].grad.numpy(), rtol=1e-10,
                                   atol=1e-12)
    return fout, tout


REDUCTIONS = ["mean", "sum", "none"]


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce(reduction):
    both("binary_cross_entropy", (P, Y), {"reduction": reduction})
    both("binary_cross_entropy", (P, Y), {"reduction": reduction, "weight": W})
    both("binary_cross_entropy", (P, Q), {"reduction": reduction}, grad_args=(0, 1))


def test_bce_at_zero_and_one_has_pytorchs_finite_values_and_gradients():
    p = np.array([0.0, 1.0, 0.5, 1e-50, 1 - 1e-14, 1e-13, 0.0, 1.0])
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 0.3, 0.0, 1.0])
    for reduction in REDUCTIONS:
        f, _ = both("binary_cross_entropy", (p, y), {"reduction": reduction}, grad_args=(0,))
        assert np.isfinite(f.detach().numpy()).all()


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits(reduction):
    both("binary_cross_entropy_with_logits", (X, Y), {"reduction": reduction})
    both("binary_cross_entropy_with_logits", (X, Q), {"reduction": reduction,
                                                      "pos_weight": W}, grad_args=(0, 1))
    both("binary_cross_entropy_with_logits", (X, Y), {"reduction": reduction, "weight": W,
                                                      "pos_weight": W[::-1].copy()})


def test_bce_with_logits_is_stable_for_large_logits():
    x = np.array([-800.0, -30.0, 30.0, 800.0])
    y = np.array([1.0, 0.0, 1.0, 0.0])
    f, t = both("binary_cross_entropy_with_logits", (x, y), {"reduction": "none"})
    assert np.isfinite(f.detach().numpy()).all()


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_l1_smooth_l1_huber(reduction):
    both("l1_loss", (X, T), {"reduction": reduction}, grad_args=(0, 1))
    for beta in (1.0, 0.3, 0.0):
        both("smooth_l1_loss", (X, T), {"reduction": reduction, "beta": beta}, grad_args=(0, 1))
    for delta in (1.0, 0.3, 2.5):
        both("huber_loss", (X, T), {"reduction": reduction, "delta": delta}, grad_args=(0, 1))


def test_l1_gradient_at_zero_difference_is_zero():
    x = np.array([1.0, 2.0])
    both("l1_loss", (x, x.copy()), {}, grad_args=(0,))


@pytest.mark.parametrize("reduction", ["batchmean", "sum", "none", "mean"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div(reduction, log_target):
    target = np.log(Q) if log_target else Q.copy()
    target[0, 0] = -50.0 if log_target else 0.0   # a zero probability: 0 log 0 = 0
    with pytest.warns(UserWarning) if reduction == "mean" else _nothing():
        both("kl_div", (LOGP, target), {"reduction": reduction, "log_target": log_target})


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_loss_module_and_functional(reduction):
    labels = np.array([0, 3, 1, 1, 2])
    tl, fl = torch.tensor(labels), fgrad.tensor(labels)
    for kwargs in ({}, {"ignore_index": 1}):
        tx, fx = torch.tensor(LOGP, requires_grad=True), fgrad.tensor(LOGP, requires_grad=True)
        tm = torch.nn.NLLLoss(weight=torch.tensor(W), reduction=reduction, **kwargs)
        fm = nn.NLLLoss(weight=fgrad.tensor(W), reduction=reduction, **kwargs)
        t, f = tm(tx, tl), fm(fx, fl)
        np.testing.assert_allclose(f.detach().numpy(), t.detach().numpy(), rtol=1e-12)
        t.sum().backward()
        f.sum().backward()
        np.testing.assert_allclose(fx.grad.numpy(), tx.grad.numpy(), rtol=1e-12)


def test_loss_modules_match_functional_and_pytorch():
    cases = [("L1Loss", {}, (X, T)), ("SmoothL1Loss", {"beta": 0.5}, (X, T)),
             ("HuberLoss", {"delta": 0.7}, (X, T)), ("BCELoss", {}, (P, Y)),
             ("BCEWithLogitsLoss", {"pos_weight": W}, (X, Y)),
             ("KLDivLoss", {"reduction": "batchmean", "log_target": False}, (LOGP, Q)),
             ("MSELoss", {"reduction": "sum"}, (X, T))]
    for name, kwargs, (a, b) in cases:
        tk = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
        fk = {k: fgrad.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
        tm, fm = getattr(torch.nn, name)(**tk), getattr(nn, name)(**fk)
        assert repr(fm) == repr(tm), name
        assert list(fm.state_dict()) == list(tm.state_dict()), name
        t = tm(torch.tensor(a), torch.tensor(b))
        f = fm(fgrad.tensor(a), fgrad.tensor(b))
        np.testing.assert_allclose(f.numpy(), t.numpy(), rtol=1e-12, err_msg=name)


def test_legacy_size_average_and_reduce():
    t = TF.l1_loss(torch.tensor(X), torch.tensor(T), size_average=False)
    f = F.l1_loss(fgrad.tensor(X), fgrad.tensor(T), size_average=False)
    np.testing.assert_allclose(f.numpy(), t.numpy(), rtol=1e-12)
    f = nn.BCELoss(reduce=False)(fgrad.tensor(P), fgrad.tensor(Y))
    assert tuple(f.shape) == P.shape


def test_grad_fn_names():
    x = fgrad.tensor(P, requires_grad=True)
    assert type(F.binary_cross_entropy(x, fgrad.tensor(Y)).grad_fn).__name__ != ""
    assert F.binary_cross_entropy(x, fgrad.tensor(Y)).grad_fn.name() == \
        "BinaryCrossEntropyBackward0"
    assert F.binary_cross_entropy_with_logits(x, fgrad.tensor(Y)).grad_fn.name() == \
        "BinaryCrossEntropyWithLogitsBackward0"
    assert F.smooth_l1_loss(x, fgrad.tensor(Y)).grad_fn.name() == "SmoothL1LossBackward0"
    assert F.huber_loss(x, fgrad.tensor(Y)).grad_fn.name() == "HuberLossBackward0"


def test_errors_match_pytorch():
    compare("torch.nn.functional.binary_cross_entropy(torch.tensor([0.5, 1.5]), "
            "torch.tensor([1.0, 0.0]))")
    compare("torch.nn.functional.binary_cross_entropy(torch.tensor([0.5, 0.5]), "
            "torch.tensor([1.0]))")
    compare("torch.nn.functional.binary_cross_entropy_with_logits(torch.zeros(2, 3), "
            "torch.zeros(3))")
    compare("torch.nn.functional.smooth_l1_loss(torch.zeros(2), torch.zeros(2), beta=-1.0)")
    compare("torch.nn.functional.huber_loss(torch.zeros(2), torch.zeros(2), delta=0.0)")
    compare("torch.nn.functional.l1_loss(torch.zeros(2), torch.zeros(2), reduction='avg')")
    compare("torch.nn.functional.kl_div(torch.zeros(2), torch.zeros(2), reduction='max')")


def test_functional_losses_on_arrays_compose_with_transforms():
    x, y = fnp.asarray(X), fnp.asarray(Y)
    g = fgrad.grad(lambda x: F.binary_cross_entropy_with_logits(x, y))(x)
    tx = torch.tensor(X, requires_grad=True)
    TF.binary_cross_entropy_with_logits(tx, torch.tensor(Y)).backward()
    np.testing.assert_allclose(np.asarray(g), tx.grad.numpy(), rtol=1e-12)
    per_example = fgrad.vmap(lambda a, b: F.huber_loss(a, b))(x, fnp.asarray(T))
    np.testing.assert_allclose(np.asarray(per_example), TF.huber_loss(
        torch.tensor(X), torch.tensor(T), reduction="none").mean(1).numpy(), rtol=1e-12)
