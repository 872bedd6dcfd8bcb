"""The facade's autograd graph: ``GradNode`` (what ``Tensor.grad_fn`` shows), the order of
recording (``graph_mark``), the engine state of a running ``backward()`` and PyTorch's
messages about the graph.

A node is a ``fgrad.transforms.reverse.Node`` (the reverse engine ``fgrad.grad`` uses, with the
same VJP rules); ``Tensor``'s bind handler (``fgrad.facade.tensor``) records them and
``fgrad.facade.autograd`` runs them.
"""
from __future__ import annotations

from typing import Callable

from .ops import _common as C
from .._array import Array
from ..devices import CPU
from ..primitives.creation import zeros
from ..transforms.core import ShapedArray, Tracer
from ..transforms.reverse import Node, _sequence


BACKWARD_TWICE = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward.")
LEAF_INPLACE = "a leaf Variable that requires grad is being used in an in-place operation."
VIEW_OF_LEAF_INPLACE = ("a view of a leaf Variable that requires grad is being used in an "
                        "in-place operation.")
INT_REQUIRES_GRAD = "Only Tensors of floating point and complex dtype can require gradients"
NUMPY_REQUIRES_GRAD = ("Can't call numpy() on Tensor that requires grad. "
                       "Use tensor.detach().numpy() instead.")


# ================================================================ graph nodes ===
class GradNode(Node):
    """A node of the facade's autograd graph, as ``Tensor.grad_fn`` shows it.

    ``name()`` is PyTorch's (``MulBackward0``); ``next_functions`` lists, per
    input, the node that produced it (``AccumulateGrad`` for a leaf) and its
    output index.
    """

    __slots__ = ("_name", "_saved", "_saves", "_hooks", "_retained", "_variable", "metadata",
                 "_post_acc", "_number_input")

    def _setup(self, name=None, saved=(), saves=False):
        self._name = name
        self._saved = saved   # ((version counter, version, shape, dtype, producer, index), ...)
        self._saves = saves
        self._hooks = None           # output index -> [hook]
        self._retained = None        # output index -> weakref of a tensor that retains grad
        self._variable = None
        self._post_acc = None        # a leaf's post-accumulate-grad hooks
        # the position of a Python-number input that PyTorch's overload takes as a Scalar
        # (``2 - b`` is ``rsub(b, 2)``): no edge of the graph, so not in next_functions
        self._number_input = None
        self.metadata = {}
        return self

    def name(self) -> str:
        if self.prim is None:
            return "fgrad::autograd::AccumulateGrad"
        return self._name or getattr(self.prim, "grad_fn_name", None) or self.prim.name

    @property
    def next_functions(self) -> tuple:
        return tuple((p[0], p[1]) if p is not None else (None, 0)
                     for i, p in enumerate(self.parents) if i != self._number_input)

    @property
    def variable(self):
        """The leaf tensor of an ``AccumulateGrad`` node."""
        return self._variable() if self._variable is not None else None

    def register_hook(self, hook: Callable) -> None:
        raise NotImplementedError("hooks on graph nodes are not supported; use "
                                  "Tensor.register_hook")

    def _short_name(self) -> str:
        """The name without its namespace (``CopySlices``), as printed."""
        return self.name().rpartition("::")[2]

    def __repr__(self) -> str:
        return f"<{self._short_name()} object at {id(self):#x}>"

    def free(self):
        if self._saves:
            self.inputs = self.ans = None

    def run_vjp(self, cts):
        if self.inputs is None:
            raise RuntimeError(BACKWARD_TWICE)
        for vc, version, shape, dtype, producer, index in self._saved:
            if vc[0] != version:
                raise RuntimeError(_modified_message(
                    vc[0], version, shape, dtype, self if producer is _THIS_NODE else producer,
                    index))
        if self.prim.nondiff:       # a zero_derivative primitive (floor, sign ...)
            return [zeros(x.shape, x.dtype, x.device) if p is not None else None
                    for x, p in zip(self.inputs, self.parents)]
        if not _engine.create_graph:
            return Node.run_vjp(self, cts)
        # double backward: the rule runs on tensors connected to this graph, so it records
        prim = self.prim
        inputs = tuple(_saved_tensor(x, p) for x, p in zip(self.inputs, self.parents))
        if prim.multiple_results:
            ans = tuple(_saved_tensor(a, (self, i)) for i, a in enumerate(self.ans))
            ct = [None if c is None and getattr(prim, "missing_cts_as_none", False)
                  else _as_tensor_ct(c, a) for c, a in zip(cts, self.ans)]
        else:
            ans = _saved_tensor(self.ans, (self, 0))
            ct = _as_tensor_ct(cts[0], self.ans)
        needs = [p is not None for p in self.parents]
        return prim.vjp(ct, needs, ans, *inputs, **self.params)


# Stands for "the node holding this record" in a node's saved-tensor records.
_THIS_NODE = object()


def graph_mark() -> int:
    """A point in recording order: nodes recorded after it have a larger ``seq``."""
    return next(_sequence)


def _modified_message(now, version, shape, dtype, producer, index) -> str:
    what = f"[fgrad.{C._dtype_name(dtype)}Tensor {list(shape)}]"
    if producer is not None:
        what += f", which is output {index} of {producer.name()},"
    return ("one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: {what} is at version {now}; expected version {version} "
            "instead. Hint: enable anomaly detection to find the operation that failed to "
            "compute its gradient, with fgrad.autograd.set_detect_anomaly(True).")


def _saved_tensor(value, parent):
    """A saved value as a tensor attached to the graph at ``parent`` (for double backward)."""
    if isinstance(value, ShapedArray) or not isinstance(value, (Array, Tracer)):
        return value
    t = _engine.as_tensor(value)
    if parent is not None:
        t._node, t._index = parent
    return t


def _as_tensor_ct(c, like):
    if c is None:
        c = zeros(like.shape, like.dtype, getattr(like, "device", CPU))
    return _engine.as_tensor(c)


class _Engine:
    """The state of the running ``backward()``; ``as_tensor`` (set by ``fgrad.facade.tensor``,
    which sits above this file) turns a saved value into a tensor for a double backward."""
    create_graph = False
    as_tensor: Callable = None
    callbacks = None     # during backward(): functions to run once it has finished

    def queue_callback(self, fn: Callable) -> None:
        """Run ``fn()`` when the current ``backward()`` has accumulated every gradient
        (PyTorch's ``Variable._execution_engine.queue_callback``)."""
        if self.callbacks is None:
            raise RuntimeError("Final callbacks can only be installed during backward pass.")
        self.callbacks.append(fn)




_engine = _Engine()


class _RemovableHandle:
    """What ``register_hook`` returns: ``handle.remove()`` unregisters the hook."""

    def __init__(self, hooks: list, hook):
        self._hooks = hooks
        self._hook = hook

    def remove(self) -> None:
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)
