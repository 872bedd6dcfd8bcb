"""``fgrad.optim`` against ``torch.optim``: parameters after N steps (float64, 1e-10),
``state_dict`` layout and keys, ``load_state_dict``, ``add_param_group``, errors."""
from __future__ import annotations

import numpy as np
import pytest

import fgrad
from tests._torch_compare import compare

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)
INIT = [RNG.standard_normal((4, 3)), RNG.standard_normal(4), RNG.standard_normal((2, 4))]
X, Y = RNG.standard_normal((6, 3)), RNG.standard_normal((6, 2))


def make(lib):
    params = [lib.tensor(a.copy(), dtype=lib.float64, requires_grad=True) for a in INIT]
    x, y = lib.tensor(X), lib.tensor(Y)

    def loss():
        w1, b1, w2 = params
        return ((lib.tanh(x @ w1.T + b1) @ w2.T - y) ** 2).mean()

    return params, loss


def train(lib, name, kwargs, steps, groups=False):
    params, loss = make(lib)
    spec = [{"params": params[:2]}, {"params": params[2:], "lr": 0.05}] if groups else params
    opt = getattr(lib.optim, name)(spec, **kwargs)
    for _ in range(steps):
        opt.zero_grad()
        loss().backward()
        opt.step()
    return params, opt


CONFIGS = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9, weight_decay=0.01)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("SGD", dict(lr=0.1, momentum=0.5, dampening=0.3, maximize=True)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, weight_decay=0.1, amsgrad=True)),
    ("AdamW", dict(lr=0.01, betas=(0.8, 0.9))),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, alpha=0.9, momentum=0.8, centered=True, weight_decay=0.05)),
    ("RMSprop", dict(lr=0.01, centered=True, eps=1e-4, maximize=True)),
    ("RMSprop", dict(lr=0.01, momentum=0.5)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.05, weight_decay=0.01, initial_accumulator_value=0.3,
                     eps=1e-6)),
    ("Adagrad", dict(lr=0.1, maximize=True)),
]


@pytest.mark.parametrize("name,kwargs", CONFIGS)
@pytest.mark.parametrize("groups", [False, True])
def test_parameters_after_steps_match_torch(name, kwargs, groups):
    fp, fo = train(fgrad, name, kwargs, 7, groups)
    tp, to = train(torch, name, kwargs, 7, groups)
    for a, b in zip(fp, tp):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-10,
                                   atol=1e-12)
    fsd, tsd = fo.state_dict(), to.state_dict()
    assert sorted(fsd) == sorted(tsd) == ["param_groups", "state"]
    assert sorted(fsd["state"]) == sorted(tsd["state"])
    for i in tsd["state"]:
        assert sorted(fsd["state"][i]) == sorted(tsd["state"][i])
        for k, v in tsd["state"][i].items():
            f = fsd["state"][i][k]
            if isinstance(v, torch.Tensor):
                assert str(f.dtype).split(".")[1] == str(v.dtype).split(".")[1], k
                np.testing.assert_allclose(f.numpy(), v.numpy(), rtol=1e-10, atol=1e-12)
    assert len(fsd["param_groups"]) == len(tsd["param_groups"])
    for fg, tg in zip(fsd["param_groups"], tsd["param_groups"]):
        assert fg["params"] == tg["params"]
        assert set(fg) - {"differentiable", "capturable", "fused", "foreach",
                          "decoupled_weight_decay"} == \
            set(tg) - {"differentiable", "capturable", "fused", "foreach",
                       "decoupled_weight_decay"}
        for k in tg:
            if k in fg and not isinstance(tg[k], (list, torch.Tensor)) and k not in \
                    ("foreach", "fused", "differentiable", "capturable"):
                assert fg[k] == tg[k], k


@pytest.mark.parametrize("name,kwargs", [c for c in CONFIGS if c[0] != "SGD"][::2] +
                         [CONFIGS[1]])
def test_load_state_dict_resumes_exactly(name, kwargs):
    p1, o1 = train(fgrad, name, kwargs, 3)
    p2, loss2 = make(fgrad)
    with fgrad.no_grad():
        for a, b in zip(p2, p1):
            a.copy_(b)
    o2 = getattr(fgrad.optim, name)(p2, **kwargs)
    o2.load_state_dict(o1.state_dict())
    for params, opt in ((p1, o1), (p2, o2)):
        for _ in range(3):
            opt.zero_grad()
            w1, b1, w2 = params
            x, y = fgrad.tensor(X), fgrad.tensor(Y)
            ((fgrad.tanh(x @ w1.T + b1) @ w2.T - y) ** 2).mean().backward()
            opt.step()
    for a, b in zip(p1, p2):
        assert fgrad.equal(a, b)


def test_load_torch_state_dict_numbers():
    """A torch Adam state (converted tensor by tensor) continues as torch continues."""
    tp, to = train(torch, "Adam", dict(lr=0.01), 3)
    fp, floss = make(fgrad)
    with fgrad.no_grad():
        for a, b in zip(fp, tp):
            a.copy_(fgrad.tensor(b.detach().numpy()))
    fo = fgrad.optim.Adam(fp, lr=0.01)
    tsd = to.state_dict()
    fo.load_state_dict({"state": {i: {k: fgrad.tensor(v.numpy()) for k, v in s.items()}
                                  for i, s in tsd["state"].items()},
                        "param_groups": tsd["param_groups"]})
    _, tloss = make(torch)
    for _ in range(2):
        fo.zero_grad(); floss().backward(); fo.step()
        to.zero_grad()
        w1, b1, w2 = tp
        x, y = torch.tensor(X), torch.tensor(Y)
        ((torch.tanh(x @ w1.T + b1) @ w2.T - y) ** 2).mean().backward()
        to.step()
    for a, b in zip(fp, tp):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-10)


def test_adagrad_state_exists_before_the_first_step():
    for lib in (fgrad, torch):
        params, _ = make(lib)
        sd = lib.optim.Adagrad(params, initial_accumulator_value=0.5).state_dict()
        assert sorted(sd["state"]) == [0, 1, 2] and sorted(sd["state"][0]) == ["step", "sum"]
        assert sd["state"][1]["sum"].tolist() == [0.5] * 4


def test_add_param_group_and_state_dict_indices():
    for lib in (fgrad, torch):
        params, _ = make(lib)
        opt = lib.optim.SGD(params[:1], lr=0.1)
        opt.add_param_group({"params": params[1:], "lr": 0.5, "momentum": 0.9})
        sd = opt.state_dict()
        assert [g["params"] for g in sd["param_groups"]] == [[0], [1, 2]]
        assert sd["param_groups"][1]["lr"] == 0.5 and sd["param_groups"][1]["momentum"] == 0.9
        assert sd["param_groups"][1]["dampening"] == 0


@pytest.mark.parametrize("src", [
    "torch.optim.RMSprop([torch.zeros(1, requires_grad=True)], lr=-1)",
    "torch.optim.RMSprop([torch.zeros(1, requires_grad=True)], alpha=-1)",
    "torch.optim.RMSprop([torch.zeros(1, requires_grad=True)], momentum=-1)",
    "torch.optim.RMSprop([torch.zeros(1, requires_grad=True)], eps=-1)",
    "torch.optim.Adagrad([torch.zeros(1, requires_grad=True)], lr_decay=-1)",
    "torch.optim.Adagrad([torch.zeros(1, requires_grad=True)], initial_accumulator_value=-1)",
    "torch.optim.Adagrad([torch.zeros(1, requires_grad=True)], weight_decay=-1)",
    "w = torch.zeros(1, requires_grad=True)\n"
    "opt = torch.optim.SGD([w], lr=0.1)\nopt.add_param_group({'params': [w]})",
    "w = torch.zeros(1, requires_grad=True)\nopt = torch.optim.SGD([w], lr=0.1)\n"
    "opt.load_state_dict({'state': {}, 'param_groups': []})",
])
def test_errors_match_torch(src):
    compare(src)
