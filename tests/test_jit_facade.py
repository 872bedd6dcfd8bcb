"""``fgrad.jit`` over facade code keeps autograd (gradients equal to the eager run's), and
the jitted functional training step (``functional_call`` + ``value_and_grad`` + update)."""
from __future__ import annotations

import numpy as np
import pytest

import fgrad
import fgrad.nn.functional as F
from fgrad import nn
from fgrad.func import functional_call


def make_model(seed=0):
    fgrad.manual_seed(seed)
    return nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 4)).double()


X = fgrad.tensor(np.random.default_rng(1).standard_normal((6, 3)))
Y = fgrad.tensor([0, 1, 2, 3, 1, 0])


def grads(model):
    return [p.grad.numpy().copy() for p in model.parameters()]


def test_jit_model_backward_fills_grad_as_eager():
    m = make_model()
    m(X).sum().backward()
    eager = grads(m)
    m.zero_grad()
    out = fgrad.jit(m)(X)
    assert out.requires_grad and out.grad_fn.name() == "JitFunctionBackward"
    out.sum().backward()
    for a, b in zip(grads(m), eager):
        np.testing.assert_allclose(a, b, rtol=1e-14, atol=1e-15)


def test_arguments_that_require_grad_and_several_outputs():
    m = make_model()
    x = X.clone().requires_grad_()

    def f(x, scale):
        h = m(x) * scale
        return {"logits": h, "top": h.argmax(1), "norm": (h ** 2).sum()}

    out = f(x, 2.0)
    (out["norm"] + out["logits"][:, 0].sum()).backward()
    eager_x, eager_p = x.grad.numpy().copy(), grads(m)
    x.grad = None
    m.zero_grad()
    jf = fgrad.jit(f)
    out = jf(x, 2.0)
    assert not out["top"].requires_grad and out["top"].dtype == fgrad.int64
    (out["norm"] + out["logits"][:, 0].sum()).backward()
    np.testing.assert_allclose(x.grad.numpy(), eager_x, rtol=1e-13)
    for a, b in zip(grads(m), eager_p):
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-15)


def test_captured_globals_closures_and_current_values():
    m = make_model()
    opt = fgrad.optim.SGD(m.parameters(), lr=0.1)
    ref = make_model()
    ref_opt = fgrad.optim.SGD(ref.parameters(), lr=0.1)
    jm = fgrad.jit(lambda x: m(x))
    for _ in range(4):
        for model, o, fwd in ((m, opt, jm), (ref, ref_opt, ref)):
            o.zero_grad()
            loss = F.cross_entropy(fwd(X), Y)
            loss.backward()
            o.step()
    for a, b in zip(m.parameters(), ref.parameters()):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-13)
    assert len(jm._fgrad_runners) == 1
    runner = next(iter(jm._fgrad_runners.values()))
    assert len(runner.fwd._cache) == 1 and len(runner.bwd._cache) == 1   # traced once


def test_no_grad_and_transforms_take_the_plain_path():
    m = make_model()
    jm = fgrad.jit(m)
    with fgrad.no_grad():
        out = jm(X)
    assert out.grad_fn is None and not out.requires_grad
    g = fgrad.grad(lambda x: jm(x).sum())(X)
    assert g.shape == X.shape
    for p in m.parameters():
        assert isinstance(p._data, np.ndarray) and p.grad is None


def _sgd_step(model):
    def step(params, x, y, lr):
        def loss_fn(p):
            return F.cross_entropy(functional_call(model, p, (x,)), y)
        loss, g = fgrad.value_and_grad(loss_fn)(params)
        return {k: params[k] - lr * g[k] for k in params}, loss
    return step


def test_jitted_functional_training_step_matches_eager_training():
    m = make_model()
    params = {k: v.detach() for k, v in m.named_parameters()}
    step = fgrad.jit(_sgd_step(m))
    ref = make_model()
    opt = fgrad.optim.SGD(ref.parameters(), lr=0.1)
    losses = []
    for _ in range(5):
        params, loss = step(params, X, Y, 0.1)
        opt.zero_grad()
        ref_loss = F.cross_entropy(ref(X), Y)
        ref_loss.backward()
        opt.step()
        losses.append((loss.item(), ref_loss.item()))
    for (a, b) in losses:
        assert abs(a - b) < 1e-12
    for k, p in ref.named_parameters():
        np.testing.assert_allclose(params[k].numpy(), p.detach().numpy(), rtol=1e-12)
    # the module itself is untouched (the step is functional)
    fresh = make_model()
    for a, b in zip(m.parameters(), fresh.parameters()):
        assert fgrad.equal(a, b) and isinstance(a._data, np.ndarray)


def test_jitted_step_matches_torch():
    torch = pytest.importorskip("torch")
    m = make_model()
    tm = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(),
                             torch.nn.Linear(8, 4)).double()
    with torch.no_grad():
        for tp, p in zip(tm.parameters(), m.parameters()):
            tp.copy_(torch.tensor(p.detach().numpy()))
    params = {k: v.detach() for k, v in m.named_parameters()}
    step = fgrad.jit(_sgd_step(m))
    topt = torch.optim.SGD(tm.parameters(), lr=0.1)
    tx, ty = torch.tensor(X.numpy()), torch.tensor(Y.numpy())
    for _ in range(5):
        params, _ = step(params, X, Y, 0.1)
        topt.zero_grad()
        torch.nn.functional.cross_entropy(tm(tx), ty).backward()
        topt.step()
    for (k, tp) in tm.named_parameters():
        np.testing.assert_allclose(params[k].numpy(), tp.detach().numpy(), rtol=1e-10,
                                   atol=1e-12)


def test_imperative_step_inside_jit_gets_a_clear_error():
    m = make_model()
    opt = fgrad.optim.SGD(m.parameters(), lr=0.1)
    before = [p.detach().clone() for p in m.parameters()]

    @fgrad.jit
    def step(x, y):
        opt.zero_grad()
        loss = F.cross_entropy(m(x), y)
        loss.backward()
        opt.step()
        return loss

    with pytest.raises(RuntimeError, match="functional_call"):
        step(X, Y)
    for p, b in zip(m.parameters(), before):
        assert fgrad.equal(p, b) and isinstance(p._data, np.ndarray) and p.grad is None


def test_random_draws_while_staging_warn_that_they_are_frozen():
    """A host draw inside a jitted function becomes a constant of the program (the same
    dropout mask every call): fgrad says so instead of training silently with one mask."""
    import warnings
    drop = fgrad.nn.Dropout(0.5)
    f = fgrad.jit(lambda x: drop(x) + fgrad.rand(3))
    with pytest.warns(UserWarning, match="constants of the staged program"):
        first = f(fgrad.ones(3))
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # no staging, no warning
        assert bool((f(fgrad.ones(3)) == first).all())     # the cached program: same draws
        drop(fgrad.ones(3))
        fgrad.rand(2)
