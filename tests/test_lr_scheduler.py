"""``fgrad.optim.lr_scheduler`` against ``torch.optim.lr_scheduler``: the sequences of
learning rates (and momenta), ``state_dict`` keys, resuming, errors."""
from __future__ import annotations

import math
import warnings

import pytest

import fgrad
from tests._torch_compare import compare

torch = pytest.importorskip("torch")


def setup(lib, opt_name="SGD", **opt_kwargs):
    a = lib.zeros(2, requires_grad=True)
    b = lib.zeros(3, requires_grad=True)
    kwargs = dict(lr=0.5, momentum=0.9) if opt_name == "SGD" else dict(lr=0.5)
    kwargs.update(opt_kwargs)
    opt = getattr(lib.optim, opt_name)([{"params": [a]}, {"params": [b], "lr": 0.2}], **kwargs)
    return opt


def run(lib, make_sched, steps, opt_name="SGD", metrics=None):
    opt = setup(lib, opt_name)
    sched = make_sched(lib.optim.lr_scheduler, opt)
    seq = []
    for i in range(steps):
        opt.step()
        seq.append((list(sched.get_last_lr()), [g["lr"] for g in opt.param_groups],
                    [g.get("momentum", g.get("betas")) for g in opt.param_groups]))
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[i])
    return seq, sched


SCHEDULERS = {
    "StepLR": (lambda m, o: m.StepLR(o, step_size=3, gamma=0.5), 12),
    "MultiStepLR": (lambda m, o: m.MultiStepLR(o, milestones=[2, 5, 5, 9], gamma=0.3), 12),
    "ExponentialLR": (lambda m, o: m.ExponentialLR(o, gamma=0.9), 10),
    "CosineAnnealingLR": (lambda m, o: m.CosineAnnealingLR(o, T_max=5, eta_min=0.01), 23),
    "LambdaLR": (lambda m, o: m.LambdaLR(o, lambda e: 1 / (1 + e)), 8),
    "LambdaLR_per_group": (lambda m, o: m.LambdaLR(o, [lambda e: 0.9 ** e,
                                                       lambda e: e + 1]), 6),
    "MultiplicativeLR": (lambda m, o: m.MultiplicativeLR(o, lambda e: 0.8), 6),
    "ConstantLR": (lambda m, o: m.ConstantLR(o, factor=0.25, total_iters=3), 7),
    "LinearLR": (lambda m, o: m.LinearLR(o, start_factor=0.1, end_factor=0.9,
                                         total_iters=4), 8),
    "PolynomialLR": (lambda m, o: m.PolynomialLR(o, total_iters=5, power=2.0), 8),
    "OneCycleLR": (lambda m, o: m.OneCycleLR(o, max_lr=[1.0, 0.4], total_steps=15), 15),
    "OneCycleLR_linear_3phase": (lambda m, o: m.OneCycleLR(
        o, max_lr=1.0, epochs=2, steps_per_epoch=6, anneal_strategy="linear",
        three_phase=True, pct_start=0.25), 12),
    "SequentialLR": (lambda m, o: m.SequentialLR(
        o, [m.LinearLR(o, start_factor=0.2, total_iters=3), m.ExponentialLR(o, gamma=0.8)],
        milestones=[3]), 9),
    "ChainedScheduler": (lambda m, o: m.ChainedScheduler(
        [m.ExponentialLR(o, gamma=0.9), m.StepLR(o, step_size=2, gamma=0.5)]), 8),
}


def close(a, b):
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-13, abs_tol=1e-15)


@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_lr_sequences_match_torch(name):
    make, steps = SCHEDULERS[name]
    fseq, fs = run(fgrad, make, steps)
    tseq, ts = run(torch, make, steps)
    for i, (f, t) in enumerate(zip(fseq, tseq)):
        assert close(f, t), (i, f, t)
    assert sorted(fs.state_dict()) == sorted(ts.state_dict())


def test_onecycle_cycles_adam_betas_like_torch():
    make = lambda m, o: m.OneCycleLR(o, max_lr=0.3, total_steps=10)
    fseq, _ = run(fgrad, make, 10, "Adam")
    tseq, _ = run(torch, make, 10, "Adam")
    assert all(close(f, t) for f, t in zip(fseq, tseq))


@pytest.mark.parametrize("kwargs", [dict(patience=2), dict(mode="max", patience=1, factor=0.5,
                                                           cooldown=2, min_lr=[0.05, 0.1]),
                                    dict(threshold_mode="abs", threshold=0.1, patience=0)])
def test_reduce_lr_on_plateau_matches_torch(kwargs):
    metrics = [1.0, 0.9, 0.95, 0.93, 0.94, 0.5, 0.6, 0.7, 0.8, 0.8, 0.85, 0.2, 0.3, 0.3]
    make = lambda m, o: m.ReduceLROnPlateau(o, **kwargs)
    fseq, fs = run(fgrad, make, len(metrics), metrics=metrics)
    tseq, ts = run(torch, make, len(metrics), metrics=metrics)
    assert all(close(f, t) for f, t in zip(fseq, tseq)), (fseq, tseq)
    assert sorted(fs.state_dict()) == sorted(ts.state_dict())


@pytest.mark.parametrize("name", ["StepLR", "CosineAnnealingLR", "OneCycleLR", "SequentialLR",
                                  "LambdaLR"])
def test_state_dict_resumes(name):
    make, steps = SCHEDULERS[name]
    full, _ = run(fgrad, make, steps)
    opt = setup(fgrad)
    sched = make(fgrad.optim.lr_scheduler, opt)
    for _ in range(steps // 2):
        opt.step()
        sched.step()
    saved_sched, saved_opt = sched.state_dict(), opt.state_dict()
    opt2 = setup(fgrad)
    sched2 = make(fgrad.optim.lr_scheduler, opt2)
    opt2.load_state_dict(saved_opt)
    sched2.load_state_dict(saved_sched)
    rest = []
    for _ in range(steps - steps // 2):
        opt2.step()
        rest.append(list(sched2.get_last_lr()))
        sched2.step()
    assert all(close(a, b[0]) for a, b in zip(rest, full[steps // 2:]))


def test_step_with_epoch_uses_closed_form_and_warns():
    for lib in (fgrad, torch):
        opt = setup(lib)
        sched = lib.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
        opt.step()
        with pytest.warns(UserWarning, match="epoch parameter"):
            sched.step(5)
        assert sched.get_last_lr() == [0.5 * 0.25, 0.2 * 0.25]


def test_scheduler_step_before_optimizer_step_warns():
    for lib in (fgrad, torch):
        opt = setup(lib)
        sched = lib.optim.lr_scheduler.ExponentialLR(opt, 0.5)
        with pytest.warns(UserWarning, match="before `optimizer.step"):
            sched.step()
        opt = setup(lib)
        sched = lib.optim.lr_scheduler.ExponentialLR(opt, 0.5)
        opt.step()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            sched.step()


def test_get_lr_outside_step_warns():
    opt = setup(fgrad)
    sched = fgrad.optim.lr_scheduler.ExponentialLR(opt, 0.5)
    with pytest.warns(UserWarning, match="get_last_lr"):
        sched.get_lr()


@pytest.mark.parametrize("src", [
    "torch.optim.lr_scheduler.StepLR(object(), 2)",
    "torch.optim.lr_scheduler.LinearLR(torch.optim.SGD([torch.zeros(1, requires_grad=True)],"
    " lr=1), start_factor=0)",
    "torch.optim.lr_scheduler.ReduceLROnPlateau(torch.optim.SGD("
    "[torch.zeros(1, requires_grad=True)], lr=1), factor=2)",
    "torch.optim.lr_scheduler.OneCycleLR(torch.optim.SGD("
    "[torch.zeros(1, requires_grad=True)], lr=1), max_lr=1)",
    "o = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1, momentum=0.9)\n"
    "s = torch.optim.lr_scheduler.OneCycleLR(o, max_lr=1, total_steps=2)\n"
    "for _ in range(3): o.step(); s.step()",
    "o = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1)\n"
    "torch.optim.lr_scheduler.LambdaLR(o, [lambda e: 1, lambda e: 2])",
])
def test_errors_match_torch(src):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compare(src)
