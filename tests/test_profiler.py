"""fgrad.profiler: per-primitive and per-region times, PyTorch's table, nothing left
behind when it stops."""
import json

import numpy as np
import pytest

import fgrad
import fgrad.numpy as fnp
from fgrad.primitives.core import REGISTRY, Primitive
from fgrad.profiler import ProfilerActivity, profile, record_function

COLUMNS = ["Name", "Self CPU %", "Self CPU", "CPU total %", "CPU total", "CPU time avg",
           "# of Calls"]


def _run():
    x = fgrad.ones(8, 8, requires_grad=True)
    with record_function("forward"):
        y = (x * 2).sin().sum()
    with record_function("backward"):
        y.backward()
    return x


def test_counts_regions_and_table_columns(tmp_path):
    with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
        _run()
        fgrad.grad(lambda a: fnp.sum(fnp.exp(a)))(fnp.ones(3))     # the functional face too
    avg = {e.key: e for e in prof.key_averages()}
    assert avg["forward"].count == 1 and avg["backward"].count == 1
    assert avg["fgrad::sin"].count == 1 and avg["fgrad::cos"].count == 1   # sin's VJP
    assert avg["fgrad::exp"].count >= 1
    for e in avg.values():
        assert 0 <= e.self_cpu_time_total <= e.cpu_time_total + 1e-9
    fwd = avg["forward"]
    inner = sum(avg[k].cpu_time_total for k in ("fgrad::mul", "fgrad::sin", "fgrad::reduce_sum"))
    assert fwd.cpu_time_total >= inner - 1e-6
    text = prof.key_averages().table(sort_by="cpu_time_total", row_limit=3)
    lines = text.splitlines()
    header = lines[1]
    positions = [header.index(c) for c in COLUMNS]
    assert positions == sorted(positions)
    assert len([l for l in lines[3:] if l and not l.startswith("-") and "total:" not in l]) == 3
    assert lines[-1].startswith("Self CPU time total: ")
    totals = [float(l.split()[-2].rstrip("mus")) for l in lines[3:6]]  # CPU time avg column
    assert all(t >= 0 for t in totals)
    shaped = prof.key_averages(group_by_input_shape=True).table(sort_by="self_cpu_time_total")
    assert "Input Shapes" in shaped and "[[8, 8]]" in shaped
    path = tmp_path / "trace.json"
    prof.export_chrome_trace(str(path))
    assert {e["name"] for e in json.loads(path.read_text())["traceEvents"]} >= {"forward"}
    with pytest.raises(ValueError, match="sort_by"):
        prof.key_averages().table(sort_by="gpu_magic")


def test_off_costs_nothing_and_state_restored():
    before = {p.name: p.backend_fn for p in REGISTRY.values()}
    plain_apply = Primitive.apply
    with profile():
        with pytest.raises(RuntimeError, match="already enabled"):
            profile().start()
        fgrad.ones(2).sin()
    assert Primitive.apply is plain_apply
    assert {p.name: p.backend_fn for p in REGISTRY.values()} == before
    with record_function("unprofiled"):      # no profile: nothing recorded, nothing fails
        fgrad.ones(2).exp()
    with profile() as prof:
        pass
    assert len(prof.key_averages()) == 0


def test_values_unchanged_under_profile_and_autograd_alias():
    x = fnp.asarray(np.linspace(-1, 1, 5))
    want = np.asarray(fgrad.jit(fgrad.grad(lambda a: fnp.sum(fnp.tanh(a) ** 2)))(x))
    with fgrad.autograd.profiler.profile() as prof:
        got = fgrad.grad(lambda a: fnp.sum(fnp.tanh(a) ** 2))(x)
        decorated = record_function("decorated")(lambda: fgrad.ones(1) + 1)()
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-12)
    assert float(decorated) == 2.0
    assert "decorated" in {e.key for e in prof.key_averages()}


def test_same_columns_as_torch():
    torch = pytest.importorskip("torch")
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as tp:
        torch.ones(2).sin()
    theirs = tp.key_averages().table(sort_by="cpu_time_total").splitlines()[1].split("  ")
    with profile() as prof:
        fgrad.ones(2).sin()
    ours = prof.key_averages().table(sort_by="cpu_time_total").splitlines()[1].split("  ")
    assert [c.strip() for c in ours if c.strip()] == [c.strip() for c in theirs if c.strip()]
