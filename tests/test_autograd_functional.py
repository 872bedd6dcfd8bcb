"""fgrad.autograd.functional against torch.autograd.functional: values, tuple structure,
create_graph, strict, strategy and PyTorch's errors."""
import numpy as np
import pytest

import fgrad
from fgrad.autograd import functional as AF

torch = pytest.importorskip("torch")
TAF = torch.autograd.functional

X = np.array([0.5, -1.2, 2.0])
Y = np.array([[1.0, 0.3], [-0.4, 0.8]])


def f_one(x):
    return x.sin() * x ** 2


def f_two(x, y):
    return (x[:2] * y.sum(0)).exp(), (y ** 3).sum() + x.sum()


def scalar(x, y):
    return (x[:2] @ y @ x[:2].tanh()) + (x ** 4).sum() + (y ** 3).sum() * x.sum()


def _both(*arrays):
    return (tuple(fgrad.tensor(a) for a in arrays), tuple(torch.tensor(a) for a in arrays))


def _close(ours, theirs):
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _close(a, b)
        return
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-10,
                               atol=1e-12)


@pytest.mark.parametrize("opts", [{}, {"create_graph": True}, {"strict": True},
                                  {"vectorize": True, "strategy": "forward-mode"}])
def test_jacobian(opts):
    (x,), (tx,) = _both(X)
    _close(AF.jacobian(f_one, x, **opts), TAF.jacobian(f_one, tx, **opts))
    (x, y), (tx, ty) = _both(X, Y)
    if opts.get("strategy") == "forward-mode":   # PyTorch's tuple nesting differs here
        _close(AF.jacobian(f_two, (x, y), **opts), AF.jacobian(f_two, (x, y)))
        _close(AF.jacobian(lambda x: x.sum(), (x,), **opts), AF.jacobian(lambda x: x.sum(), (x,)))
        return
    _close(AF.jacobian(f_two, (x, y), **opts), TAF.jacobian(f_two, (tx, ty), **opts))
    _close(AF.jacobian(lambda x: x.sum(), (x,), **opts),
           TAF.jacobian(lambda x: x.sum(), (tx,), **opts))


@pytest.mark.parametrize("opts", [{}, {"create_graph": True}, {"strict": True}])
def test_hessian_vjp_jvp_hvp_vhp(opts):
    (x, y), (tx, ty) = _both(X, Y)
    _close(AF.hessian(scalar, (x, y), **opts), TAF.hessian(scalar, (tx, ty), **opts))
    _close(AF.hessian(lambda x: (x ** 3).sum(), x, **opts),
           TAF.hessian(lambda x: (x ** 3).sum(), tx, **opts))
    (vx, vy), (tvx, tvy) = _both(X[::-1].copy(), Y.T.copy())
    for name in ["hvp", "vhp"]:
        _close(getattr(AF, name)(scalar, (x, y), (vx, vy), **opts),
               getattr(TAF, name)(scalar, (tx, ty), (tvx, tvy), **opts))
    _close(AF.jvp(f_two, (x, y), (vx, vy), **opts), TAF.jvp(f_two, (tx, ty), (tvx, tvy), **opts))
    (v1,), (tv1,) = _both(np.array([1.0, 2.0]))
    _close(AF.vjp(f_two, (x, y), (v1, fgrad.tensor(3.0)), **opts),
           TAF.vjp(f_two, (tx, ty), (tv1, torch.tensor(3.0)), **opts))
    _close(AF.vjp(lambda x: (x ** 2).sum(), x, **opts),
           TAF.vjp(lambda x: (x ** 2).sum(), tx, **opts))


def test_create_graph_differentiates_again():
    x = fgrad.tensor(X, requires_grad=True)
    tx = torch.tensor(X, requires_grad=True)
    j = AF.jacobian(f_one, x, create_graph=True)
    tj = TAF.jacobian(f_one, tx, create_graph=True)
    assert j.requires_grad and not AF.jacobian(f_one, x).requires_grad
    j.sum().backward()
    tj.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-10)


def test_strict_and_errors():
    x = fgrad.tensor(X)
    with pytest.raises(RuntimeError, match="independent of input 1"):
        AF.vjp(lambda a, b: a * 2, (x, x), x, strict=True)
    np.testing.assert_allclose(AF.vjp(lambda a, b: a * 2, (x, x), x)[1][1].numpy(), 0.0)
    with pytest.raises(RuntimeError, match="single element"):
        AF.vjp(lambda a: a * 2, x)
    with pytest.raises(RuntimeError, match="single element"):
        AF.hessian(lambda a: a * 2, x)
    with pytest.raises(TypeError, match="tuple of Tensors"):
        AF.jacobian(f_one, [x])
    with pytest.raises(NotImplementedError, match="vectorize=True"):
        AF.jacobian(f_one, x, strategy="forward-mode")
    with pytest.raises(ValueError, match="strategy"):
        AF.jacobian(f_one, x, strategy="sideways")
    from fgrad.autograd.functional import jacobian     # the module path imports
    assert jacobian is AF.jacobian
