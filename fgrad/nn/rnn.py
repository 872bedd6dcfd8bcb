"""Recurrent layers, as PyTorch's ``RNN``, ``LSTM`` and ``GRU`` (and one step of each:
``RNNCell``, ``LSTMCell``, ``GRUCell``): ``num_layers``, ``bias``,
``batch_first``, ``dropout`` (between layers, in training mode), ``bidirectional``,
``proj_size`` (LSTM), an initial state ``h0`` (``(h0, c0)`` for LSTM), unbatched
``(L, H_in)`` inputs; PyTorch's parameter names (``weight_ih_l0``,
``weight_hh_l1_reverse``, ``bias_ih_l0`` ...), gate order (LSTM ``i f g o``, GRU
``r z n``) and initialisation ``U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))``.

The cells are compositions of ``linear``, ``sigmoid`` and ``tanh``; the input-to-hidden
products of all time steps are one matrix product per layer and direction, and the
recurrence over time is one ``fgrad.lax.scan`` of the cell (one graph node per layer and
direction; its backward is a scan too; sequences under 12 steps with autograd on run as a
Python loop, cheaper there). ``PackedSequence`` inputs are not supported.

>>> import fgrad
>>> from fgrad import nn
>>> lstm = nn.LSTM(3, 4, num_layers=2, batch_first=True); lstm
LSTM(3, 4, num_layers=2, batch_first=True)
>>> out, (h, c) = lstm(fgrad.zeros(5, 7, 3))
>>> out.shape, h.shape
(fgrad.Size([5, 7, 4]), fgrad.Size([2, 5, 4]))
"""
from __future__ import annotations

import math
import numbers
import warnings

from ..facade import (creation as _creation, grad_mode as _grad_mode,
                      torch_functions as _torch_functions)
from ..facade.tensor import Tensor
from .. import lax as _lax
from . import functional as F
from . import init
from .modules import Module, Parameter

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]

_GATES = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}


def _stack(tensors, dim=0):
    return _torch_functions.FUNCTIONS["stack"](tensors, dim)


def _cat(tensors, dim=0):
    return _torch_functions.FUNCTIONS["cat"](tensors, dim)


def _step(mode: str, gi, h, c, w: dict):
    """One time step of a ``mode`` cell (``LSTM GRU RNN_TANH RNN_RELU``): ``gi`` the
    input's gates ``x W_ih^T + b_ih``, ``w`` the weights; returns ``(h, c)`` (``c`` None
    but for LSTM)."""
    gh = F.linear(h, w["w_hh"], w["b_hh"])
    if mode == "LSTM":
        i, f, g, o = (gi + gh).chunk(4, 1)
        c = f.sigmoid() * c + i.sigmoid() * g.tanh()
        h = o.sigmoid() * c.tanh()
        if w["w_hr"] is not None:
            h = F.linear(h, w["w_hr"])
        return h, c
    if mode == "GRU":
        ir, iz, in_ = gi.chunk(3, 1)
        hr, hz, hn = gh.chunk(3, 1)
        r = (ir + hr).sigmoid()
        z = (iz + hz).sigmoid()
        n = (in_ + r * hn).tanh()
        return (1 - z) * n + z * h, None
    pre = gi + gh
    return (pre.tanh() if mode == "RNN_TANH" else pre.relu()), None


_CARRIED = ("w_hh", "b_hh", "w_hr")
# With gradients recorded, a scan's backward traces and compiles the body's VJP on every
# call (a fixed cost of about 9 ms), while the tape of a Python loop costs about 1 ms
# per time step: sequences shorter than this keep the loop.
_SCAN_MIN_STEPS = 12


def _recurrence(mode: str, gates_in, h, c, w: dict, reverse: bool):
    """``_step`` over the time axis of ``gates_in`` (backwards when ``reverse``); returns
    the final ``h``, ``c`` and the stacked outputs, each at its input's time index.

    One ``lax.scan``: the body is traced once and runs as a compiled sub-program, so the
    tape records one node for the whole loop (not ~20 per time step) and the backward is
    the scan of the body's VJP. The weights the body uses ride in the carry (unchanged),
    as a loop body may close over no tensor that requires grad. Short sequences under
    autograd run as a Python loop (the same steps, so the same results)."""
    steps = gates_in.shape[0]
    if steps < _SCAN_MIN_STEPS and _grad_mode.is_grad_enabled():
        ys = [None] * steps
        for t in (range(steps - 1, -1, -1) if reverse else range(steps)):
            h, c = _step(mode, gates_in[t], h, c, w)
            ys[t] = h
        return h, c, _stack(ys)
    names = [n for n in _CARRIED if w[n] is not None]
    state = (h,) if c is None else (h, c)

    def body(carry, gi):
        weights = {"w_hh": None, "b_hh": None, "w_hr": None}
        weights.update(zip(names, carry[len(state):]))
        h, c = _step(mode, gi, carry[0], carry[1] if len(state) == 2 else None, weights)
        return ((h,) if c is None else (h, c)) + carry[len(state):], h

    carry, ys = _lax.scan(body, state + tuple(w[n] for n in names), gates_in, reverse=reverse)
    return carry[0], (carry[1] if len(state) == 2 else None), ys


class RNNBase(Module):
    """The parameters, checks and layer/direction loop shared by ``RNN LSTM GRU``."""

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, proj_size: int = 0, device=None, dtype=None):
        super().__init__()
        if not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1 or \
                isinstance(dropout, bool):
            raise ValueError("dropout should be a number in range [0, 1] representing the "
                             "probability of an element being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so "
                          "non-zero dropout expects num_layers greater than 1, but got "
                          f"dropout={dropout} and num_layers={num_layers}", stacklevel=2)
        if not isinstance(bias, bool):
            raise TypeError(f"bias should be of type bool, got: {type(bias).__name__}")
        if not isinstance(batch_first, bool):
            raise TypeError(f"batch_first should be of type bool, got: "
                            f"{type(batch_first).__name__}")
        if not isinstance(input_size, int):
            raise TypeError(f"input_size should be of type int, got: {type(input_size).__name__}")
        if input_size <= 0:
            raise ValueError("input_size must be greater than zero")
        if not isinstance(hidden_size, int):
            raise TypeError(f"hidden_size should be of type int, got: "
                            f"{type(hidden_size).__name__}")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable "
                             "projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        if mode not in _GATES:
            raise ValueError("Unrecognized RNN mode: " + mode)
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        gate_size = _GATES[mode] * hidden_size
        real_hidden = proj_size if proj_size > 0 else hidden_size
        kw = {"device": device, "dtype": dtype}
        self._flat_weights_names = []
        for layer in range(num_layers):
            for direction in range(self.num_directions):
                layer_input = input_size if layer == 0 else real_hidden * self.num_directions
                suffix = "_reverse" if direction == 1 else ""
                shapes = [("weight_ih", (gate_size, layer_input)),
                          ("weight_hh", (gate_size, real_hidden))]
                if bias:
                    shapes += [("bias_ih", (gate_size,)), ("bias_hh", (gate_size,))]
                if proj_size > 0:
                    shapes += [("weight_hr", (proj_size, hidden_size))]
                for kind, shape in shapes:
                    name = f"{kind}_l{layer}{suffix}"
                    setattr(self, name, Parameter(_creation.empty(shape, **kw)))
                    self._flat_weights_names.append(name)
        self.reset_parameters()

    @property
    def num_directions(self) -> int:
        return 2 if self.bidirectional else 1

    @property
    def all_weights(self) -> list:
        per = len(self._flat_weights_names) // (self.num_layers * self.num_directions)
        ws = [getattr(self, n) for n in self._flat_weights_names]
        return [ws[i:i + per] for i in range(0, len(ws), per)]

    def flatten_parameters(self) -> None:
        """Accepted for PyTorch compatibility (there is no cuDNN weight buffer here)."""

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s

    # -- checks --------------------------------------------------------------------
    def _name(self) -> str:
        return "RNN" if self.mode.startswith("RNN") else self.mode

    def _check_input(self, input) -> None:
        if not isinstance(input, Tensor):
            raise TypeError(f"{self._name()}: expected a Tensor input (PackedSequence is not "
                            f"supported), got {type(input).__name__}")
        if input.dim() not in (2, 3):
            tail = "tensor instead" if self._name() == "RNN" else "instead"
            raise ValueError(f"{self._name()}: Expected input to be 2D or 3D, got "
                             f"{input.dim()}D {tail}")
        w = getattr(self, self._flat_weights_names[0])
        if input.dtype != w.dtype:
            raise ValueError(f"RNN input dtype ({input.dtype}) does not match weight dtype "
                             f"({w.dtype}). Convert input: input.to({w.dtype}), or convert "
                             f"model: model.to({input.dtype})")
        if input.size(-1) != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected "
                               f"{self.input_size}, got {input.size(-1)}")

    def _expected_hidden(self, batch: int, size: int) -> tuple:
        return (self.num_layers * self.num_directions, batch, size)

    @staticmethod
    def _check_hidden(hx, expected, msg="Expected hidden size {}, got {}") -> None:
        if tuple(hx.shape) != expected:
            raise RuntimeError(msg.format(expected, list(hx.size())))

    # -- the recurrence ------------------------------------------------------------
    def _weights(self, layer: int, direction: int) -> dict:
        suffix = "_reverse" if direction == 1 else ""
        get = lambda kind: getattr(self, f"{kind}_l{layer}{suffix}", None)  # noqa: E731
        return {"w_ih": get("weight_ih"), "w_hh": get("weight_hh"), "b_ih": get("bias_ih"),
                "b_hh": get("bias_hh"), "w_hr": get("weight_hr")}

    def _run(self, x, h0, c0):
        """``x`` is ``(L, N, H_in)``; ``h0``/``c0`` ``(layers * dirs, N, H)``. Returns the
        last layer's output ``(L, N, dirs * H)`` and the final states."""
        hs, cs = [], []
        for layer in range(self.num_layers):
            outs = []
            for direction in range(self.num_directions):
                k = layer * self.num_directions + direction
                w = self._weights(layer, direction)
                gates_in = F.linear(x, w["w_ih"], w["b_ih"])  # every time step at once
                h, c, ys = _recurrence(self.mode, gates_in, h0[k],
                                       c0[k] if c0 is not None else None, w, direction == 1)
                outs.append(ys)
                hs.append(h)
                if c is not None:
                    cs.append(c)
            x = outs[0] if len(outs) == 1 else _cat(outs, 2)
            if self.dropout > 0 and self.training and layer < self.num_layers - 1:
                x = F.dropout(x, self.dropout, True)
        return x, _stack(hs), (_stack(cs) if cs else None)

    def _prepare(self, input, hx):
        """The input as ``(L, N, H_in)``, whether it was batched, and the batch size."""
        self._check_input(input)
        batched = input.dim() == 3
        if not batched:
            input = input.unsqueeze(1)
        elif self.batch_first:
            input = input.transpose(0, 1)
        return input, batched, input.shape[1]

    def _zeros(self, input, batch, size):
        return _creation.zeros(self._expected_hidden(batch, size), dtype=input.dtype,
                             device=input.device)

    def _finish(self, out, batched):
        if not batched:
            return out.squeeze(1)
        return out.transpose(0, 1) if self.batch_first else out


class _SimpleRecurrent(RNNBase):
    """``RNN`` and ``GRU``: one hidden state ``h``."""

    def forward(self, input, hx=None):
        orig_dim = input.dim() if isinstance(input, Tensor) else None
        x, batched, batch = self._prepare(input, hx)
        if hx is None:
            hx = self._zeros(x, batch, self.hidden_size)
        else:
            if batched and hx.dim() != 3:
                raise RuntimeError("For batched 3-D input, hx should also be 3-D but got "
                                   f"{hx.dim()}-D tensor")
            if not batched:
                if hx.dim() != 2:
                    raise RuntimeError("For unbatched 2-D input, hx should also be 2-D but got "
                                       f"{hx.dim()}-D tensor")
                hx = hx.unsqueeze(1)
            self._check_hidden(hx, self._expected_hidden(batch, self.hidden_size))
        out, h, _ = self._run(x, hx, None)
        return self._finish(out, batched), (h if orig_dim == 3 else h.squeeze(1))


class RNN(_SimpleRecurrent):
    """Elman RNN: ``h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)`` (or ``relu``
    with ``nonlinearity='relu'``).

    >>> RNN(3, 4, nonlinearity="relu", bias=False)
    RNN(3, 4, bias=False)
    """

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            self.nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            self.nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if self.nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif self.nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(f"Unknown nonlinearity '{self.nonlinearity}'. Select from 'tanh' "
                             "or 'relu'.")
        super().__init__(mode, *args, **kwargs)


class GRU(_SimpleRecurrent):
    """Gated recurrent unit (gates ``r z n``): ``n = tanh(W_in x + b_in + r (W_hn h +
    b_hn))``, ``h' = (1 - z) n + z h``."""

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)


class LSTM(RNNBase):
    """Long short-term memory (gates ``i f g o``): ``c' = f c + i g``, ``h' = o tanh(c')``
    (projected by ``weight_hr`` when ``proj_size > 0``); returns ``(output, (h_n, c_n))``."""

    def __init__(self, *args, **kwargs):
        super().__init__("LSTM", *args, **kwargs)

    def forward(self, input, hx=None):
        x, batched, batch = self._prepare(input, hx)
        real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        if hx is None:
            h0 = self._zeros(x, batch, real_hidden)
            c0 = self._zeros(x, batch, self.hidden_size)
        else:
            h0, c0 = hx
            if batched:
                if h0.dim() != 3 or c0.dim() != 3:
                    raise RuntimeError("For batched 3-D input, hx and cx should also be 3-D but "
                                       f"got ({h0.dim()}-D, {c0.dim()}-D) tensors")
            else:
                if h0.dim() != 2 or c0.dim() != 2:
                    raise RuntimeError("For unbatched 2-D input, hx and cx should also be 2-D "
                                       f"but got ({h0.dim()}-D, {c0.dim()}-D) tensors")
                h0, c0 = h0.unsqueeze(1), c0.unsqueeze(1)
            self._check_hidden(h0, self._expected_hidden(batch, real_hidden),
                               "Expected hidden[0] size {}, got {}")
            self._check_hidden(c0, self._expected_hidden(batch, self.hidden_size),
                               "Expected hidden[1] size {}, got {}")
        out, h, c = self._run(x, h0, c0)
        if not batched:
            return self._finish(out, batched), (h.squeeze(1), c.squeeze(1))
        return self._finish(out, batched), (h, c)


# ------------------------------------------------------------------------ the cells
class RNNCellBase(Module):
    """One time step: ``weight_ih (gates * hidden_size, input_size)``, ``weight_hh (gates *
    hidden_size, hidden_size)``, ``bias_ih``, ``bias_hh``, PyTorch's initialisation, and
    PyTorch's input checks (an unbatched ``(H_in)`` input takes an ``(H)`` state)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int,
                 device=None, dtype=None):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        kw = {"device": device, "dtype": dtype}
        self.weight_ih = Parameter(_creation.empty((num_chunks * hidden_size, input_size), **kw))
        self.weight_hh = Parameter(_creation.empty((num_chunks * hidden_size, hidden_size),
                                                   **kw))
        if bias:
            self.bias_ih = Parameter(_creation.empty(num_chunks * hidden_size, **kw))
            self.bias_hh = Parameter(_creation.empty(num_chunks * hidden_size, **kw))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            s += f", nonlinearity={self.nonlinearity}"
        return s

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def _weights(self) -> dict:
        return {"w_ih": self.weight_ih, "w_hh": self.weight_hh, "b_ih": self.bias_ih,
                "b_hh": self.bias_hh, "w_hr": None}

    def _zeros(self, input):
        return _creation.zeros((input.size(0), self.hidden_size), dtype=input.dtype,
                               device=input.device)

    def _check_dims(self, input, hx: tuple, pair: bool = False) -> None:
        """PyTorch's rank checks: the input, then each state (``hx[k]`` of an LSTM's pair)."""
        name = type(self).__name__
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D instead")
        for idx, value in enumerate(hx):
            if value is not None and value.dim() not in (1, 2):
                what = f"hx[{idx}]" if pair else "hidden"
                raise ValueError(f"{name}: Expected {what} to be 1D or 2D, got {value.dim()}D "
                                 "instead")

    def _check_sizes(self, input, hidden: tuple) -> None:
        """PyTorch's checks of a (batched) step: the input's features, then each state's
        batch size and features."""
        if input.size(1) != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.size(1)} "
                               f"expected {self.input_size}")
        for k, hx in enumerate(hidden):
            if input.size(0) != hx.size(0):
                raise RuntimeError(f"Input batch size {input.size(0)} doesn't match hidden{k} "
                                   f"batch size {hx.size(0)}")
            if hx.dim() < 2:
                raise IndexError("Dimension out of range (expected to be in range of [-1, 0], "
                                 "but got 1)")
            if hx.size(1) != self.hidden_size:
                raise RuntimeError(f"hidden{k} has inconsistent hidden_size: got {hx.size(1)}, "
                                   f"expected {self.hidden_size}")

    def _one_state_step(self, mode: str, input, hx):
        """``RNNCell``/``GRUCell``: the new hidden state."""
        self._check_dims(input, (hx,))
        batched = input.dim() == 2
        if not batched:
            input = input.unsqueeze(0)
        hx = self._zeros(input) if hx is None else (hx if batched else hx.unsqueeze(0))
        self._check_sizes(input, (hx,))
        h, _ = _step(mode, F.linear(input, self.weight_ih, self.bias_ih), hx, None,
                     self._weights())
        return h if batched else h.squeeze(0)


class RNNCell(RNNCellBase):
    """An Elman cell: ``h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)`` (``relu`` with
    ``nonlinearity='relu'``).

    >>> import fgrad
    >>> cell = RNNCell(3, 4, nonlinearity="relu"); cell
    RNNCell(3, 4, nonlinearity=relu)
    >>> cell(fgrad.ones(2, 3)).shape
    fgrad.Size([2, 4])
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 nonlinearity: str = "tanh", device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device,
                         dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        if self.nonlinearity not in ("tanh", "relu"):
            self._check_dims(input, (hx,))
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        mode = "RNN_TANH" if self.nonlinearity == "tanh" else "RNN_RELU"
        return self._one_state_step(mode, input, hx)


class GRUCell(RNNCellBase):
    """A gated recurrent unit cell (gates ``r z n``, as ``GRU``).

    >>> import fgrad
    >>> GRUCell(3, 4)(fgrad.ones(3)).shape
    fgrad.Size([4])
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None,
                 dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device,
                         dtype=dtype)

    def forward(self, input, hx=None):
        return self._one_state_step("GRU", input, hx)


class LSTMCell(RNNCellBase):
    """A long short-term memory cell (gates ``i f g o``, as ``LSTM``); returns ``(h', c')``.

    >>> import fgrad
    >>> h, c = LSTMCell(3, 4)(fgrad.ones(2, 3)); h.shape, c.shape
    (fgrad.Size([2, 4]), fgrad.Size([2, 4]))
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None,
                 dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device,
                         dtype=dtype)

    def forward(self, input, hx=None):
        self._check_dims(input, tuple(hx) if hx is not None else (), pair=True)
        batched = input.dim() == 2
        if not batched:
            input = input.unsqueeze(0)
        if hx is None:
            zeros = self._zeros(input)
            hx = (zeros, zeros)
        elif not batched:
            hx = (hx[0].unsqueeze(0), hx[1].unsqueeze(0))
        if len(hx) != 2:
            raise RuntimeError("lstm_cell expects two hidden states")
        self._check_sizes(input, tuple(hx))
        h, c = _step("LSTM", F.linear(input, self.weight_ih, self.bias_ih), hx[0], hx[1],
                     self._weights())
        return (h, c) if batched else (h.squeeze(0), c.squeeze(0))
