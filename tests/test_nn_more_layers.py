"""``nn.RMSNorm`` / ``F.rms_norm``, the recurrent cells ``RNNCell LSTMCell GRUCell`` and the
Transformer encoder against PyTorch (float64): values and gradients from the same weights,
parameter names, reprs, initialisation bounds, ``grad_fn`` names and error words."""
import math

import numpy as np
import pytest

import fgrad
from fgrad import nn
import fgrad.nn.functional as F

from ._torch_compare import compare
from .test_nn_layers import close, ft, run_both, twins

torch = pytest.importorskip("torch")


# ------------------------------------------------------------------ RMSNorm
@pytest.mark.parametrize("args,kwargs,shape", [
    ((4,), {}, (3, 4)), (([2, 3],), {"eps": 1e-3}, (5, 2, 3)),
    ((3,), {"elementwise_affine": False}, (2, 2, 3))])
def test_rms_norm_layer(args, kwargs, shape):
    tm, fm = twins("RMSNorm", *args, **kwargs)
    x = np.random.default_rng(0).normal(size=shape)
    fo, _ = run_both(tm, fm, x)
    assert fo.grad_fn.name() == "MulBackward0"
    if kwargs.get("elementwise_affine", True):
        assert fgrad.equal(nn.RMSNorm(args[0]).weight, fgrad.ones(args[0]))


def test_rms_norm_functional_defaults_dtypes_and_arrays():
    x = np.random.default_rng(1).normal(size=(4, 5))
    for dt in ("float32", "float64"):
        t = torch.nn.functional.rms_norm(torch.tensor(x, dtype=getattr(torch, dt)), [5])
        f = F.rms_norm(fgrad.tensor(x, dtype=getattr(fgrad, dt)), [5])
        assert f.dtype == getattr(fgrad, dt)
        np.testing.assert_allclose(f.numpy(), t.numpy(), rtol=1e-6 if dt == "float32" else 1e-13)
    h = F.rms_norm(fgrad.tensor(x, dtype=fgrad.float16), [5])   # computed in float32
    th = torch.nn.functional.rms_norm(torch.tensor(x, dtype=torch.float16), [5])
    assert h.dtype == fgrad.float16
    np.testing.assert_array_equal(h.numpy(), th.numpy())
    a = F.rms_norm(fgrad.numpy.asarray(x), (5,), eps=1e-3)      # Arrays too (jax-style)
    expected = x / np.sqrt((x * x).mean(-1, keepdims=True) + 1e-3)
    np.testing.assert_allclose(np.asarray(a), expected, rtol=1e-13)
    g = fgrad.grad(lambda v: F.rms_norm(v, (5,)).sum())(fgrad.numpy.asarray(x))
    tx = torch.tensor(x, requires_grad=True)
    torch.nn.functional.rms_norm(tx, [5]).sum().backward()
    np.testing.assert_allclose(np.asarray(g), tx.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_rms_norm_errors_match_pytorch():
    compare("torch.nn.functional.rms_norm(torch.ones(2, 3), [2, 4])")
    compare("torch.nn.functional.rms_norm(torch.ones(2, 3), [3], torch.ones(4))")
    compare("torch.nn.functional.rms_norm(torch.ones(2, 3), [])")
    compare("torch.nn.functional.rms_norm(torch.ones(3), [2, 3])")
    compare("torch.nn.functional.rms_norm(torch.ones(2, 3), 3)")      # the functional: a sequence
    compare("torch.nn.functional.layer_norm(torch.ones(2, 3), 3)")
    compare("print(torch.nn.RMSNorm([2, 3], eps=1e-6, elementwise_affine=False))\n"
            "print(list(torch.nn.RMSNorm(3).state_dict()))")


# ------------------------------------------------------------------ recurrent cells
CELL_CASES = [("RNNCell", {}), ("RNNCell", {"nonlinearity": "relu", "bias": False}),
              ("LSTMCell", {}), ("LSTMCell", {"bias": False}), ("GRUCell", {}),
              ("GRUCell", {"bias": False})]


@pytest.mark.parametrize("name,kwargs", CELL_CASES)
def test_cells_match_pytorch(name, kwargs):
    tm, fm = twins(name, 3, 4, **kwargs)
    rng = np.random.default_rng(2)
    x, h, c = rng.normal(size=(5, 3)), rng.normal(size=(5, 4)), rng.normal(size=(5, 4))
    lstm = name == "LSTMCell"
    first = lambda o: o[0] if lstm else o  # noqa: E731
    run_both(tm, fm, x, out=first)                       # zero initial state
    t_state = (torch.tensor(h, requires_grad=True), torch.tensor(c, requires_grad=True))
    f_state = tuple(ft(s) for s in t_state)
    to = tm(torch.tensor(x), t_state if lstm else t_state[0])
    fo = fm(fgrad.tensor(x), f_state if lstm else f_state[0])
    outs = list(zip(fo, to)) if lstm else [(fo, to)]
    for f, t in outs:
        close(f, t)
    sum(t.sum() * (k + 1) for k, (_, t) in enumerate(outs)).backward()
    sum(f.sum() * (k + 1) for k, (f, _) in enumerate(outs)).backward()
    for fs, ts in zip(f_state, t_state):
        if ts.grad is not None:
            close(fs.grad, ts.grad)
    names = {"RNNCell": "TanhBackward0" if "nonlinearity" not in kwargs else "ReluBackward0",
             "LSTMCell": "MulBackward0", "GRUCell": "AddBackward0"}
    assert first(fo).grad_fn.name() == first(to).grad_fn.name() == names[name]
    # unbatched input and state
    tu = tm(torch.tensor(x[0]), (torch.tensor(h[0]), torch.tensor(c[0])) if lstm
            else torch.tensor(h[0]))
    fu = fm(fgrad.tensor(x[0]), (fgrad.tensor(h[0]), fgrad.tensor(c[0])) if lstm
            else fgrad.tensor(h[0]))
    close(first(fu), first(tu))
    assert tuple(first(fu).shape) == (4,)


def test_cells_step_like_the_sequence_layers():
    """Running a cell over time with the sequence layer's weights gives that layer."""
    fgrad.manual_seed(0)
    for cell_name, seq_name in (("LSTMCell", "LSTM"), ("GRUCell", "GRU"), ("RNNCell", "RNN")):
        seq = getattr(nn, seq_name)(3, 4).double()
        cell = getattr(nn, cell_name)(3, 4).double()
        cell.load_state_dict({k[:-3]: v for k, v in seq.state_dict().items()})
        x = fgrad.randn(6, 2, 3, dtype=fgrad.float64)
        out, _ = seq(x)
        state = None
        for t in range(6):
            state = cell(x[t], state)
            h = state[0] if cell_name == "LSTMCell" else state
            np.testing.assert_allclose(h.detach().numpy(), out[t].detach().numpy(), rtol=1e-12)


@pytest.mark.parametrize("name,chunks", [("RNNCell", 1), ("LSTMCell", 4), ("GRUCell", 3)])
def test_cell_init_and_names(name, chunks):
    cell = getattr(nn, name)(3, 50)
    tcell = getattr(torch.nn, name)(3, 50)
    assert [(k, tuple(p.shape)) for k, p in cell.named_parameters()] == \
        [(k, tuple(p.shape)) for k, p in tcell.named_parameters()]
    assert cell.weight_ih.shape == (chunks * 50, 3)
    for p in cell.parameters():          # U(-1/sqrt(hidden), 1/sqrt(hidden)), as PyTorch
        w = p.detach().numpy()
        assert np.abs(w).max() <= 1 / math.sqrt(50) and w.std() > 0.8 / math.sqrt(3 * 50)


def test_cell_errors_match_pytorch():
    compare("print(torch.nn.RNNCell(3, 4), torch.nn.RNNCell(3, 4, bias=False, "
            "nonlinearity='relu'), torch.nn.LSTMCell(3, 4, False), torch.nn.GRUCell(3, 4))")
    compare("torch.nn.LSTMCell(3, 4)(torch.ones(2, 5))")
    compare("torch.nn.LSTMCell(3, 4)(torch.ones(2, 3), (torch.zeros(3, 4), torch.zeros(2, 4)))")
    compare("torch.nn.LSTMCell(3, 4)(torch.ones(2, 3), (torch.zeros(2, 4), torch.zeros(2, 5)))")
    compare("torch.nn.LSTMCell(3, 4)(torch.ones(2, 3), (torch.zeros(2, 4),))")
    compare("torch.nn.LSTMCell(3, 4)(torch.ones(2, 3), (torch.zeros(1, 2, 4), torch.zeros(2, 4)))")
    compare("torch.nn.LSTMCell(3, 4)(torch.ones(2, 3), (torch.zeros(1, 2, 4),))")
    compare("torch.nn.GRUCell(3, 4)(torch.ones(2, 3), torch.zeros(2, 5))")
    compare("torch.nn.GRUCell(3, 4)(torch.ones(2, 3, 3))")
    compare("torch.nn.RNNCell(3, 4)(torch.ones(2, 3), torch.zeros(1, 2, 4))")
    compare("torch.nn.RNNCell(3, 4)(torch.ones(3), torch.zeros(2, 4))")
    compare("torch.nn.RNNCell(3, 4)(torch.ones(2, 3), torch.zeros(4))")
    compare("torch.nn.RNNCell(3, 4, nonlinearity='sigmoid')(torch.ones(2, 3))")


# ------------------------------------------------------------------ Transformer encoder
def _encoder_twins(layer_kwargs, num_layers=None, norm=False):
    """The same encoder (layer) in both libraries (float64, fgrad's loaded with PyTorch's
    state dict), after checking the parameter names, state_dict keys and reprs."""
    torch.manual_seed(0)
    tl = torch.nn.TransformerEncoderLayer(8, 2, **layer_kwargs)
    fl = nn.TransformerEncoderLayer(8, 2, **layer_kwargs)
    if num_layers is None:
        tm, fm = tl, fl
    else:
        tm = torch.nn.TransformerEncoder(tl, num_layers, torch.nn.LayerNorm(8) if norm else None,
                                         enable_nested_tensor=False)
        fm = nn.TransformerEncoder(fl, num_layers, nn.LayerNorm(8) if norm else None,
                                   enable_nested_tensor=False)
    tm, fm = tm.double(), fm.double()
    assert [k for k, _ in fm.named_parameters()] == [k for k, _ in tm.named_parameters()]
    assert list(fm.state_dict()) == list(tm.state_dict())
    assert repr(fm) == repr(tm).replace("torch.", "fgrad.")
    fm.load_state_dict({k: ft(v) for k, v in tm.state_dict().items()})
    return tm, fm


ENCODER_CASES = [
    ({}, None), ({"norm_first": True}, None), ({"activation": "gelu", "batch_first": True}, None),
    ({"activation": "gelu", "norm_first": True, "batch_first": True}, 2),
    ({"bias": False, "layer_norm_eps": 1e-6}, 2), ({}, 3)]


@pytest.mark.parametrize("layer_kwargs,num_layers", ENCODER_CASES)
def test_transformer_encoder_matches_pytorch(layer_kwargs, num_layers):
    kw = dict(layer_kwargs, dim_feedforward=16, dropout=0.0)
    tm, fm = _encoder_twins(kw, num_layers, norm=num_layers == 2)
    shape = (3, 5, 8) if kw.get("batch_first") else (5, 3, 8)
    run_both(tm, fm, np.random.default_rng(3).normal(size=shape))


@pytest.mark.parametrize("num_layers", [None, 2])
def test_transformer_encoder_masks_and_unbatched(num_layers):
    tm, fm = _encoder_twins(dict(dim_feedforward=16, dropout=0.0, batch_first=True),
                            num_layers)
    rng = np.random.default_rng(4)
    x = rng.normal(size=(3, 5, 8))
    causal = np.triu(np.ones((5, 5), bool), 1)
    padding = np.zeros((3, 5), bool)
    padding[0, -2:] = True
    names = ("src_mask", "src_key_padding_mask") if num_layers is None else \
        ("mask", "src_key_padding_mask")
    for masks in ({names[0]: causal}, {names[1]: padding},
                  {names[0]: np.where(causal, -np.inf, 0.0), names[1]: padding}):
        t = tm(torch.tensor(x), **{k: torch.tensor(v) for k, v in masks.items()})
        f = fm(fgrad.tensor(x), **{k: fgrad.tensor(v) for k, v in masks.items()})
        close(f, t)
    t = tm(torch.tensor(x), **{names[0]: torch.tensor(causal)}, is_causal=True)
    f = fm(fgrad.tensor(x), **{names[0]: fgrad.tensor(causal)}, is_causal=True)
    close(f, t)
    close(fm(fgrad.tensor(x[0])), tm(torch.tensor(x[0])))     # unbatched (S, E)


def test_transformer_encoder_layers_are_copies_and_defaults():
    layer = nn.TransformerEncoderLayer(8, 2)
    assert layer.linear1.weight.shape == (2048, 8) and layer.dropout.p == 0.1
    assert layer.activation is F.relu and layer.activation_relu_or_gelu == 1
    enc = nn.TransformerEncoder(layer, 2)
    a, b = enc.layers[0].linear1.weight, enc.layers[1].linear1.weight
    assert a is not b and fgrad.equal(a, b) and fgrad.equal(a, layer.linear1.weight)
    with fgrad.no_grad():
        a.add_(1.0)
    assert not fgrad.equal(a, b)
    g = nn.TransformerEncoderLayer(8, 2, activation=nn.GELU())
    assert g.activation_relu_or_gelu == 2 and "(activation): GELU" in repr(g)


def test_transformer_encoder_dropout_only_in_training():
    fgrad.manual_seed(0)
    layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.5).double()
    x = fgrad.randn(5, 3, 8, dtype=fgrad.float64)
    assert not fgrad.allclose(layer(x), layer(x))       # training: fresh masks each call
    layer.eval()
    assert fgrad.equal(layer(x), layer(x))


def test_transformer_encoder_errors_match_pytorch():
    compare("torch.nn.TransformerEncoderLayer(8, 2, activation='tanh')")
    compare("torch.nn.TransformerEncoderLayer(8, 3)")
    compare("m = torch.nn.TransformerEncoder(torch.nn.TransformerEncoderLayer(8, 2, "
            "dropout=0.0), 2, enable_nested_tensor=False)\n"
            "m(torch.ones(5, 3, 8), is_causal=True)")


# ------------------------------------------------------------------ recurrent layers as scans
SCAN_CASES = [("LSTM", {"num_layers": 2, "bidirectional": True, "batch_first": True}),
              ("LSTM", {"proj_size": 2}), ("GRU", {"bidirectional": True, "bias": False}),
              ("RNN", {"nonlinearity": "relu", "num_layers": 2})]


@pytest.mark.parametrize("name,kwargs", SCAN_CASES)
def test_recurrent_layers_over_long_sequences_match_pytorch(name, kwargs):
    """12 time steps: the recurrence runs as one ``lax.scan`` (values, final states and
    gradients as PyTorch's, float64)."""
    from fgrad.nn import rnn
    assert 12 >= rnn._SCAN_MIN_STEPS
    tm, fm = twins(name, 3, 4, **kwargs)
    x = np.random.default_rng(8).normal(size=(2, 12, 3) if kwargs.get("batch_first")
                                        else (12, 2, 3))
    run_both(tm, fm, x, out=lambda o: o[0])
    state = (lambda o: o[1][0] + o[1][1].sum()) if name == "LSTM" else (lambda o: o[1])
    tm.zero_grad(), fm.zero_grad()
    run_both(tm, fm, x, out=state)


@pytest.mark.parametrize("name", ["LSTM", "GRU"])
def test_scan_and_loop_paths_agree(name, monkeypatch):
    """The scan (long sequences) and the Python loop (short ones under autograd) run the
    same steps: outputs agree to rounding, gradients too."""
    from fgrad.nn import rnn
    fgrad.manual_seed(3)
    m = getattr(nn, name)(3, 4, bidirectional=True).double()
    x = fgrad.randn(10, 2, 3, dtype=fgrad.float64)
    results = []
    for min_steps in (1, 100):                 # scan, then loop
        monkeypatch.setattr(rnn, "_SCAN_MIN_STEPS", min_steps)
        m.zero_grad()
        xx = x.detach().requires_grad_(True)
        out, _ = m(xx)
        (out * out).sum().backward()
        results.append([out.detach(), xx.grad] + [p.grad for p in m.parameters()])
    for a, b in zip(*results):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-13, atol=1e-14)


def test_recurrent_scan_under_transforms():
    """The scan path under ``fgrad.jit`` (autograd kept) and ``fgrad.func.grad`` of a
    ``functional_call``: the same gradients as the eager tape."""
    from fgrad.nn import rnn
    fgrad.manual_seed(4)
    m = nn.LSTM(3, 4, num_layers=2).double()
    x = fgrad.randn(rnn._SCAN_MIN_STEPS, 2, 3, dtype=fgrad.float64)     # the scan path
    loss = lambda out: (out[0] ** 2).sum()  # noqa: E731
    loss(m(x)).backward()
    eager = {k: p.grad.detach().clone() for k, p in m.named_parameters()}
    m.zero_grad()
    loss(fgrad.jit(m)(x)).backward()
    for k, p in m.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), eager[k].numpy(), rtol=1e-12, err_msg=k)
    params = {k: p.detach() for k, p in m.named_parameters()}
    g = fgrad.func.grad(lambda ps: loss(fgrad.func.functional_call(m, ps, (x,))))(params)
    for k in params:
        np.testing.assert_allclose(g[k].numpy(), eager[k].numpy(), rtol=1e-12, err_msg=k)


def test_recurrent_scan_and_cells_on_the_standin_device():
    from fgrad.nn import rnn
    dev = "standin"
    fgrad.manual_seed(5)
    lstm = nn.LSTM(4, 5, bidirectional=True)
    x = fgrad.randn(rnn._SCAN_MIN_STEPS, 2, 4)                           # the scan path
    ref, _ = lstm(x)
    lstm = lstm.to(dev)
    out, (h, c) = lstm(x.to(dev))
    (out.sum() + h.sum()).backward()
    assert out.device.type == h.device.type == lstm.weight_hh_l0.grad.device.type == dev
    np.testing.assert_allclose(out.detach().cpu().numpy(), ref.detach().numpy(), rtol=1e-6)
    cell = nn.GRUCell(4, 5).to(dev)
    assert cell(x[0].to(dev)).device.type == dev
    assert nn.RMSNorm(4).to(dev)(x.to(dev)).device.type == dev


# ------------------------------------------------------------ Transformer decoder, whole model
def _loaded(tm, fm):
    tm, fm = tm.double(), fm.double()
    assert [k for k, _ in fm.named_parameters()] == [k for k, _ in tm.named_parameters()]
    assert list(fm.state_dict()) == list(tm.state_dict())
    assert repr(fm) == repr(tm).replace("torch.", "fgrad.")
    fm.load_state_dict({k: ft(v) for k, v in tm.state_dict().items()})
    return tm, fm


def _run_with(tm, fm, inputs, tkw, fkw):
    """``run_both`` with keyword arguments (masks) for each library's call."""
    ti = [torch.tensor(x, requires_grad=True) for x in inputs]
    fi = [ft(x) for x in ti]
    to, fo = tm(*ti, **tkw), fm(*fi, **fkw)
    close(fo, to)
    probe = np.random.default_rng(1).normal(size=tuple(to.shape))
    (to * torch.tensor(probe)).sum().backward()
    (fo * fgrad.tensor(probe)).sum().backward()
    for a, b in zip(fi, ti):
        close(a.grad, b.grad)
    for (name, p), (_, q) in zip(fm.named_parameters(), tm.named_parameters()):
        close(p.grad, q.grad)


DECODER_CASES = [({}, None), ({"norm_first": True, "batch_first": True}, None),
                 ({"activation": "gelu"}, 2), ({"bias": False, "norm_first": True}, 2)]


@pytest.mark.parametrize("layer_kwargs,num_layers", DECODER_CASES)
def test_transformer_decoder_matches_pytorch(layer_kwargs, num_layers):
    kw = dict(layer_kwargs, dim_feedforward=16, dropout=0.0)
    torch.manual_seed(0)
    tl, fl = torch.nn.TransformerDecoderLayer(8, 2, **kw), nn.TransformerDecoderLayer(8, 2, **kw)
    if num_layers is not None:
        tl = torch.nn.TransformerDecoder(tl, num_layers, torch.nn.LayerNorm(8))
        fl = nn.TransformerDecoder(fl, num_layers, nn.LayerNorm(8))
    tm, fm = _loaded(tl, fl)
    rng = np.random.default_rng(5)
    bf = kw.get("batch_first", False)
    tgt = rng.normal(size=(3, 4, 8) if bf else (4, 3, 8))
    memory = rng.normal(size=(3, 6, 8) if bf else (6, 3, 8))
    causal = torch.nn.Transformer.generate_square_subsequent_mask(4, dtype=torch.float64)
    _run_with(tm, fm, (tgt, memory), dict(tgt_mask=causal), dict(tgt_mask=ft(causal)))


def test_transformer_matches_pytorch_with_masks():
    kw = dict(d_model=8, nhead=2, num_encoder_layers=2, num_decoder_layers=1,
              dim_feedforward=16, dropout=0.0, batch_first=True)
    torch.manual_seed(0)
    tm, fm = _loaded(torch.nn.Transformer(**kw), nn.Transformer(**kw))
    rng = np.random.default_rng(6)
    src, tgt = rng.normal(size=(2, 5, 8)), rng.normal(size=(2, 3, 8))
    pad = np.zeros((2, 5), bool)
    pad[1, -2:] = True
    tmask = torch.nn.Transformer.generate_square_subsequent_mask(3, dtype=torch.float64)
    fmask = nn.Transformer.generate_square_subsequent_mask(3, dtype=fgrad.float64)
    close(fmask, tmask)
    _run_with(tm, fm, (src, tgt),
              dict(tgt_mask=tmask, src_key_padding_mask=torch.tensor(pad),
                   memory_key_padding_mask=torch.tensor(pad)),
              dict(tgt_mask=fmask, src_key_padding_mask=fgrad.tensor(pad),
                   memory_key_padding_mask=fgrad.tensor(pad)))


def test_transformer_init_and_errors():
    torch.manual_seed(0)
    m = nn.Transformer(d_model=16, nhead=4, num_encoder_layers=1, num_decoder_layers=1,
                       dim_feedforward=32)
    w = m.encoder.layers[0].linear1.weight.detach().numpy()      # xavier_uniform_: +-sqrt(6/48)
    assert np.abs(w).max() <= math.sqrt(6 / 48) and np.abs(w).max() > 0.8 * math.sqrt(6 / 48)
    assert m.encoder.layers[0].linear1.bias.abs().max().item() > 0      # 1-d: Linear's init
    compare("torch.nn.Transformer(8, 2, 1, 1, 16)(torch.ones(5, 2, 8), torch.ones(3, 3, 8))")
    compare("torch.nn.Transformer(8, 2, 1, 1, 16)(torch.ones(5, 2, 8), torch.ones(3, 2, 6))")


# ------------------------------------------------- the remaining activations and distances
ACTIVATIONS = [("ReLU6", (), {}), ("SELU", (), {}), ("CELU", (1.0,), {}),
               ("Hardtanh", (-2.0, 1.5), {}), ("Hardsigmoid", (), {}), ("Hardswish", (), {}),
               ("Hardshrink", (0.6,), {}), ("Softshrink", (0.6,), {}), ("Tanhshrink", (), {}),
               ("Softsign", (), {}), ("LogSigmoid", (), {}), ("Mish", (), {}),
               ("GLU", (1,), {}), ("Threshold", (0.3, -2.0), {}), ("Softmin", (2,), {}),
               ("PReLU", (), {}), ("PReLU", (4,), {"init": 0.1})]


@pytest.mark.parametrize("name,args,kwargs", ACTIVATIONS)
def test_activation_modules_match_pytorch(name, args, kwargs):
    """Values, input and parameter gradients (float64), reprs and state_dict keys."""
    tm, fm = twins(name, *args, **kwargs)
    x = np.random.default_rng(7).normal(size=(3, 4, 6)) * 3
    x[np.abs(np.abs(x) - 3.0) < 1e-3] += 0.1      # away from hardswish's kinks at +-3
    if name == "Hardsigmoid":       # PyTorch's backward multiplies by a float32 1/6
        tx, fx = torch.tensor(x, requires_grad=True), fgrad.tensor(x, requires_grad=True)
        tm(tx).sum().backward()
        fm(fx).sum().backward()
        close(fm(fx), tm(tx))
        close(fx.grad, tx.grad, rtol=1e-7, atol=1e-7)
        return
    run_both(tm, fm, x)


def test_inplace_flags_are_printed_as_pytorch_prints_them():
    for name, kwargs in (("SELU", {"inplace": True}), ("CELU", {"alpha": 0.5, "inplace": True}),
                         ("Hardswish", {"inplace": True}), ("ReLU6", {"inplace": True}),
                         ("Threshold", {"threshold": 0.1, "value": 2.0, "inplace": True})):
        assert repr(getattr(nn, name)(**kwargs)) == repr(getattr(torch.nn, name)(**kwargs))


def test_distance_modules_and_functions_match_pytorch():
    rng = np.random.default_rng(8)
    a, b = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    for name, args in (("CosineSimilarity", ()), ("CosineSimilarity", (0, 1e-6)),
                       ("PairwiseDistance", ()), ("PairwiseDistance", (1.0, 1e-6, True)),
                       ("PairwiseDistance", (float("inf"),))):
        tm, fm = getattr(torch.nn, name)(*args), getattr(nn, name)(*args)
        assert repr(fm) == repr(tm)
        ta, tb = (torch.tensor(v, requires_grad=True) for v in (a, b))
        fa, fb = (ft(v) for v in (ta, tb))
        to, fo = tm(ta, tb), fm(fa, fb)
        close(fo, to)
        to.sum().backward()
        fo.sum().backward()
        close(fa.grad, ta.grad)
        close(fb.grad, tb.grad)


def test_new_activation_errors_match_pytorch():
    compare("torch.nn.functional.glu(torch.ones(3, 5))")
    compare("torch.nn.functional.softshrink(torch.ones(3), -1.0)")
    compare("torch.nn.PReLU(3)(torch.ones(2, 4))")


PADDINGS = [("ZeroPad1d", ((1, 2),)), ("ZeroPad2d", (2,)), ("ZeroPad3d", ((1, 0, 0, 1, 2, 0),)),
            ("ConstantPad1d", (2, 3.5)), ("ConstantPad2d", ((1, 0, 2, 1), -1.0)),
            ("ConstantPad3d", ((1, 1, 1, 1, 0, 2), 0.0)), ("ReflectionPad1d", (2,)),
            ("ReflectionPad2d", ((1, 0, 2, 1),)), ("ReflectionPad3d", (1,)),
            ("ReplicationPad1d", ((0, 3),)), ("ReplicationPad2d", (2,)),
            ("ReplicationPad3d", (1,)), ("CircularPad1d", (2,)), ("CircularPad2d", ((1, 0, 2, 1),)),
            ("CircularPad3d", (1,))]


@pytest.mark.parametrize("name,args", PADDINGS)
def test_padding_modules_match_pytorch(name, args):
    n = int(name[-2])
    tm, fm = getattr(torch.nn, name)(*args), getattr(nn, name)(*args)
    assert repr(fm) == repr(tm)
    x = np.random.default_rng(9).normal(size=(2, 3, 4, 5, 6)[3 - n:])
    t, f = torch.tensor(x, requires_grad=True), fgrad.tensor(x, requires_grad=True)
    to, fo = tm(t), fm(f)
    close(fo, to)
    (to ** 2).sum().backward()
    (fo ** 2).sum().backward()
    close(f.grad, t.grad)


@pytest.mark.parametrize("name,kwargs,shape", [
    ("InstanceNorm1d", {}, (2, 3, 7)), ("InstanceNorm1d", {"affine": True}, (3, 7)),
    ("InstanceNorm2d", {"affine": True, "track_running_stats": True}, (2, 3, 4, 5)),
    ("InstanceNorm3d", {"track_running_stats": True, "momentum": None}, (2, 3, 2, 3, 4))])
def test_instance_norm_matches_pytorch(name, kwargs, shape):
    """Values, gradients and running statistics after two training steps, then eval."""
    tm, fm = twins(name, 3, **kwargs)
    rng = np.random.default_rng(10)
    for _ in range(2):
        run_both(tm, fm, rng.normal(size=shape) * 2 + 1)
    for buf in ("running_mean", "running_var"):
        if getattr(tm, buf) is not None:
            close(getattr(fm, buf), getattr(tm, buf))
    tm.eval()
    fm.eval()
    x = rng.normal(size=shape)
    close(fm(fgrad.tensor(x)), tm(torch.tensor(x)))


def test_instance_norm_errors_match_pytorch():
    compare("torch.nn.InstanceNorm2d(3)(torch.ones(2, 3, 4))")
    compare("torch.nn.InstanceNorm1d(3, affine=True)(torch.ones(2, 4, 5))")


@pytest.mark.parametrize("name,shape,per", [("Dropout1d", (4, 6, 9), 2), ("Dropout1d", (6, 9), 1),
                                            ("Dropout2d", (4, 6, 3, 3), 2),
                                            ("Dropout3d", (4, 6, 2, 2, 2), 2),
                                            ("Dropout3d", (6, 2, 2, 2), 1)])
def test_channel_dropout_zeroes_whole_channels(name, shape, per):
    """Each channel is all zero or all scaled by 1 / (1 - p); eval is the identity; the
    gradient is the same mask; reprs are PyTorch's."""
    m = getattr(nn, name)(0.4)
    assert repr(m) == repr(getattr(torch.nn, name)(0.4))
    x = fgrad.ones(*shape, requires_grad=True)
    y = m(x)
    y.sum().backward()
    vals = y.detach().numpy().reshape(math.prod(shape[:per]), -1)
    for row in vals:
        assert (row == 0).all() or np.allclose(row, 1 / 0.6)
    assert 0 < (vals[:, 0] == 0).mean() < 1
    np.testing.assert_allclose(x.grad.numpy().reshape(vals.shape), vals)
    m.eval()
    assert m(x) is x


def test_channel_dropout_checks_as_pytorch():
    compare("torch.nn.functional.dropout1d(torch.ones(2, 3, 4, 5), 0.5)")
    compare("torch.nn.functional.dropout2d(torch.ones(2, 3), 1.5)")
    with pytest.warns(UserWarning, match="Received a 3D input to dropout2d"):
        F.dropout2d(fgrad.ones(2, 3, 4), 0.5)
    with pytest.warns(UserWarning, match="Received a 3-D input to dropout3d"):
        F.dropout3d(fgrad.ones(2, 3, 4), 0.5)
