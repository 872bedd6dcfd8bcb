"""``fgrad.save`` / ``fgrad.load``: round trips (dtype, shape, device, requires_grad,
sharing), state dicts, optimizer state, containers, and loading that runs no code."""
from __future__ import annotations

import collections
import contextlib
import io
import os
import pickle
import sys
import types
import zipfile

import numpy as np
import pytest

import fgrad
import fgrad.numpy as fnp
from fgrad import nn


def roundtrip(obj, **load_kwargs):
    buf = io.BytesIO()
    fgrad.save(obj, buf)
    buf.seek(0)
    return fgrad.load(buf, **load_kwargs)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int8", "int32", "int64",
                                   "uint8", "bool", "complex64"])
@pytest.mark.parametrize("shape", [(), (0,), (3,), (2, 3, 1)])
def test_tensor_roundtrip_keeps_dtype_shape_values(dtype, shape):
    values = (np.arange(int(np.prod(shape))) % 3).reshape(shape).astype(dtype)
    t = fgrad.from_numpy(values.copy())
    out = roundtrip(t)
    assert type(out) is fgrad.Tensor and out.dtype is t.dtype and out.shape == t.shape
    assert out.device == t.device and not out.requires_grad
    np.testing.assert_array_equal(out.numpy(), values)


def test_requires_grad_parameter_and_path(tmp_path):
    w = fgrad.tensor([1.0, 2.0], requires_grad=True)
    p = nn.Parameter(fgrad.ones(2, 2))
    q = nn.Parameter(fgrad.zeros(1), requires_grad=False)
    path = tmp_path / "ckpt.pt"
    fgrad.save({"w": w, "y": w * 2, "p": p, "q": q}, path)
    out = fgrad.load(path)
    assert out["w"].requires_grad and out["w"].is_leaf and out["w"].grad_fn is None
    assert out["y"].requires_grad and out["y"].is_leaf
    assert type(out["p"]) is nn.Parameter and out["p"].requires_grad
    assert type(out["q"]) is nn.Parameter and not out["q"].requires_grad
    assert out["y"].tolist() == [2.0, 4.0]
    fgrad.save(w, str(path))
    assert fgrad.load(str(path)).tolist() == [1.0, 2.0]


def test_arrays_and_devices():
    a = fnp.asarray([[1.0, 2.0]], dtype=fnp.float32)
    s = fgrad.device_put(fnp.asarray([3.0, 4.0]), "standin")
    t = fgrad.tensor([5.0, 6.0]).to("standin")
    out = roundtrip({"a": a, "s": s, "t": t})
    assert type(out["a"]) is fgrad.Array and out["a"].dtype == np.float32
    assert out["s"].device is fgrad.devices.STANDIN and out["s"].tolist() == [3.0, 4.0]
    assert out["t"].device.type == "standin" and out["t"].tolist() == [5.0, 6.0]
    moved = roundtrip({"s": s, "t": t}, map_location="cpu")
    assert moved["s"].device is fgrad.devices.CPU and moved["t"].device.type == "cpu"
    moved = roundtrip({"t": t}, map_location={"standin": "cpu"})
    assert moved["t"].device.type == "cpu"


def test_views_stay_shared():
    base = fgrad.arange(12.0)
    view = base.view(3, 4)[1:]
    col = base.view(3, 4).t()
    other = fgrad.arange(3.0)
    out = roundtrip([base, view, col, other])
    np.testing.assert_array_equal(out[1].numpy(), view.numpy())
    np.testing.assert_array_equal(out[2].numpy(), col.numpy())
    out[0].add_(100.0)
    assert out[1][0, 0].item() == 104.0 and out[2][1, 0].item() == 101.0
    assert out[3].tolist() == [0.0, 1.0, 2.0]


def test_containers_numbers_strings():
    obj = {"list": [1, 2.5, None, True], "tuple": (1, ("a", b"b")), "set": {1, 2},
           "frozen": frozenset({3}), "complex": 1 + 2j, "od": collections.OrderedDict(b=1, a=2),
           "size": fgrad.Size([2, 3]), "dtype": fgrad.float64, "np": np.float32(1.5),
           "npi": np.int64(7), 3: "int key", "slice": slice(1, 5, 2)}
    out = roundtrip(obj)
    assert out == obj
    assert type(out["od"]) is collections.OrderedDict and list(out["od"]) == ["b", "a"]
    assert type(out["size"]) is fgrad.Size and out["dtype"] is fgrad.float64
    assert type(out["np"]) is np.float32


def test_module_state_dict_roundtrip():
    fgrad.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    sd = roundtrip(model.state_dict())
    assert type(sd) is collections.OrderedDict and list(sd) == list(model.state_dict())
    fresh = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    fresh.load_state_dict(sd)
    x = fgrad.randn(5, 3)
    assert fgrad.equal(fresh(x), model(x))


def test_optimizer_state_dict_roundtrip_continues_identically():
    fgrad.manual_seed(1)
    x, y = fgrad.randn(8, 3, dtype=fgrad.float64), fgrad.randn(8, 1, dtype=fgrad.float64)

    def make():
        m = nn.Linear(3, 1).double()
        return m, fgrad.optim.Adam(m.parameters(), lr=0.1)

    def step(m, opt):
        opt.zero_grad()
        ((m(x) - y) ** 2).mean().backward()
        opt.step()

    m1, o1 = make()
    for _ in range(3):
        step(m1, o1)
    ckpt = roundtrip({"model": m1.state_dict(), "opt": o1.state_dict(), "epoch": 3})
    assert set(ckpt["opt"]) == {"state", "param_groups"}
    assert sorted(ckpt["opt"]["state"]) == [0, 1]
    m2, o2 = make()
    m2.load_state_dict(ckpt["model"])
    o2.load_state_dict(ckpt["opt"])
    for _ in range(2):
        step(m1, o1)
        step(m2, o2)
    for a, b in zip(m1.parameters(), m2.parameters()):
        assert fgrad.equal(a, b)


class Evil:
    def __reduce__(self):
        return (os.system, ("touch EVIL_RAN",))


def _evil_zip(payload: bytes) -> io.BytesIO:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("archive/version", "fgrad-1")
        z.writestr("archive/data.pkl", payload)
    buf.seek(0)
    return buf


def test_malicious_files_raise_and_run_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    payload = pickle.dumps({"w": Evil()}, protocol=2)
    with pytest.raises(pickle.UnpicklingError, match="weights_only=False"):
        fgrad.load(io.BytesIO(payload))
    with pytest.raises(pickle.UnpicklingError, match="posix.system|nt.system"):
        fgrad.load(_evil_zip(payload))
    (tmp_path / "raw.pt").write_bytes(payload)
    with pytest.raises(pickle.UnpicklingError):
        fgrad.load(tmp_path / "raw.pt")
    # BUILD on an allowed object would set attributes: refused too
    build = pickle.dumps(collections.OrderedDict(), protocol=2)[:-1] + \
        b"}q\x00X\x01\x00\x00\x00aK\x01sb."
    with pytest.raises(pickle.UnpicklingError, match="BUILD"):
        fgrad.load(io.BytesIO(build))
    with pytest.raises(pickle.UnpicklingError, match="storage reference"):
        fgrad.load(io.BytesIO(b"\x80\x02(X\x06\x00\x00\x00tensorq\x00tQ."))
    assert not (tmp_path / "EVIL_RAN").exists()


def test_arbitrary_objects_need_weights_only_false():
    model = nn.Linear(2, 1)
    buf = io.BytesIO()
    fgrad.save(model, buf)
    buf.seek(0)
    with pytest.raises(pickle.UnpicklingError, match="Unsupported global"):
        fgrad.load(buf)
    buf.seek(0)
    loaded = fgrad.load(buf, weights_only=False)
    assert type(loaded) is nn.Linear and fgrad.equal(loaded.weight, model.weight)
    assert type(loaded.weight) is nn.Parameter


Pair = collections.namedtuple("Pair", "a b")


def test_add_safe_globals():
    buf = io.BytesIO()
    fgrad.save(Pair(1, fgrad.tensor(2.0)), buf)
    buf.seek(0)
    with pytest.raises(pickle.UnpicklingError):
        fgrad.load(buf)
    fgrad.serialization.add_safe_globals([Pair])
    try:
        buf.seek(0)
        out = fgrad.load(buf)
        assert type(out) is Pair and out.b.item() == 2.0
    finally:
        fgrad.serialization.clear_safe_globals()


def test_saving_a_traced_tensor_fails_clearly():
    def f(x):
        fgrad.save(x, io.BytesIO())
        return x.sum()

    with pytest.raises(RuntimeError, match="traced"):
        fgrad.grad(f)(fgrad.tensor([1.0, 2.0]))


def test_loads_what_torch_loads_structurally():
    torch = pytest.importorskip("torch")
    obj = {"a": [1, (2.0, "s")], "b": collections.OrderedDict(x=None)}
    tbuf = io.BytesIO()
    torch.save(obj, tbuf)
    tbuf.seek(0)
    assert roundtrip(obj) == torch.load(tbuf)


# ---------------------------------------------------------------- files of older versions
@contextlib.contextmanager
def _old_paths(moves: dict):
    """Pickle as an older fgrad did: each object's ``__module__`` is the old path (a stand-in
    module holds it there while saving, as pickle checks); everything is restored after."""
    mp = pytest.MonkeyPatch()
    try:
        for obj, module in moves.items():
            if module not in sys.modules:
                mp.setitem(sys.modules, module, types.ModuleType(module))
            mp.setattr(sys.modules[module], obj.__qualname__, obj, raising=False)
            mp.setattr(obj, "__module__", module)
        yield
    finally:
        mp.undo()


def _save_old(obj, moves: dict, protocol: int) -> io.BytesIO:
    buf = io.BytesIO()
    with _old_paths(moves):
        fgrad.save(obj, buf, pickle_protocol=protocol)
    with zipfile.ZipFile(buf) as z:
        pkl = z.read("archive/data.pkl")
    for module in set(moves.values()):       # the file really names the old paths
        assert module.encode() in pkl
    buf.seek(0)
    return buf


@pytest.mark.parametrize("protocol", [2, 4])
def test_old_checkpoint_paths_load_with_weights_only(protocol):
    """Before fgrad/facade/ existed, ``Size`` was pickled as ``fgrad.tensor.Size``."""
    assert "fgrad.tensor" not in sys.modules
    w = fgrad.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    buf = _save_old({"shape": fgrad.Size([2, 3]), "w": w, "dtype": fgrad.float32},
                    {fgrad.Size: "fgrad.tensor"}, protocol)
    assert fgrad.Size.__module__ != "fgrad.tensor" and "fgrad.tensor" not in sys.modules
    out = fgrad.load(buf)
    assert type(out["shape"]) is fgrad.Size and out["shape"] == (2, 3)
    assert out["dtype"] is fgrad.float32 and fgrad.equal(out["w"], w) and out["w"].requires_grad


def test_old_checkpoint_paths_of_modules_load_only_when_asked():
    """A whole model pickled when the layers lived in ``fgrad/nn/modules.py``, with an old
    ``no_grad`` and legacy type: refused by default (not allowed globals, nothing runs),
    loaded as today's classes with ``weights_only=False``."""
    fgrad.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Tanh(), nn.Linear(4, 1))
    moves = {nn.Sequential: "fgrad.nn.modules", nn.Linear: "fgrad.nn.modules",
             nn.ReLU: "fgrad.nn.modules", nn.Tanh: "fgrad.nn.modules",
             fgrad.no_grad: "fgrad._grad_mode", fgrad.FloatTensor: "fgrad._torch_names"}
    obj = {"model": model, "mode": fgrad.no_grad, "legacy": fgrad.FloatTensor}
    buf = _save_old(obj, moves, 4)
    with pytest.raises(pickle.UnpicklingError, match="Unsupported global: GLOBAL fgrad.nn.modules"):
        fgrad.load(buf)
    buf.seek(0)
    out = fgrad.load(buf, weights_only=False)
    m = out["model"]
    assert type(m) is nn.Sequential and [type(c) for c in m] == \
        [nn.Linear, nn.ReLU, nn.Tanh, nn.Linear]
    assert out["mode"] is fgrad.no_grad and out["legacy"] is fgrad.FloatTensor
    x = fgrad.randn(5, 3)
    assert fgrad.equal(m(x), model(x))
    assert list(m.state_dict()) == list(model.state_dict())


def test_old_paths_answer_only_known_public_names():
    """The map of old paths answers public names of fgrad's own moved modules and nothing
    else: a private or unknown name, or a module outside the map, stays an error."""
    from fgrad.serialization import _moved
    assert _moved("fgrad.tensor", "Tensor") is fgrad.Tensor
    assert _moved("fgrad.nn.modules", "Linear") is nn.Linear
    assert _moved("fgrad.tensor", "_Engine") is None
    assert _moved("fgrad.tensor", "os.system") is None
    assert _moved("fgrad.nowhere", "Tensor") is None
    payload = pickle.dumps(None, protocol=2)[:2] + b"cfgrad.tensor\n_record\n."
    with pytest.raises(pickle.UnpicklingError, match="Unsupported global"):
        fgrad.load(io.BytesIO(payload))
    with pytest.raises(ModuleNotFoundError):
        fgrad.load(io.BytesIO(payload), weights_only=False)
