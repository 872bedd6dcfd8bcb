"""``TensorBase``: the state and mechanics of PyTorch's mutable tensor, and its tape autograd
over fgrad's primitives (``fgrad.Tensor``, in ``tensor.py``, completes it with its methods).

A Tensor owns a mutable backend buffer (a NumPy array on ``cpu``, CuPy on
``cuda``) and a version counter shared with its views. Every operation on
tensors is a primitive ``bind``; a bind handler hands the core read-only
``Array`` views of the buffers and, when gradients are being recorded, keeps
a node of the same reverse engine ``fgrad.grad`` uses (``Node``/
``backward_pass`` in ``fgrad.transforms.reverse``), with the same VJP rules:
there is no second table of derivatives.

Autograd follows PyTorch: leaves accumulate ``.grad``; a graph is freed by
``backward()`` unless ``retain_graph=True``; saved tensors carry version
counters and an in-place change before the backward pass is an error;
in-place operations on leaves that require grad fail outside ``no_grad``.

>>> import fgrad
>>> x = fgrad.tensor(2.0, requires_grad=True)
>>> y = x ** 3
>>> y
tensor(8., grad_fn=<PowBackward0>)
>>> y.backward()
>>> x.grad
tensor(12.)
"""
from __future__ import annotations

import weakref
from typing import Callable
import numpy as np
from .. import _dtypes
from . import grad_mode as _grad_mode
from . import ops as T, promotion as P
from .ops import _common as C
from .._array import Array
from .printing import format_tensor
from ..devices import CPU, get as get_device
from ..transforms.core import ShapedArray, Tracer, bind, undo_on_exit
from ..transforms.wrappers import register_wrapper_type
from ..transforms.reverse import make_node
from .attributes import TensorAttributes
from .size import Size  # noqa: F401  (re-exported: fgrad.Size)
from .size import _COPY_SLICES, _VIEW_NAMES, _broadcast_error, _broadcastable, _c_type, _device_mismatch, _host_index, _index_node_name, _type_name, broadcasts_to
from .tape import _engine, GradNode, LEAF_INPLACE, NUMPY_REQUIRES_GRAD, VIEW_OF_LEAF_INPLACE, _RemovableHandle, _THIS_NODE, graph_mark
from ..numpy._elementwise import stop_gradient
from ..primitives.transfer import device_put
from ..numpy._indexing import _index
from ..numpy._indexing import _update
from ..numpy import real
from ..numpy import imag
from ..primitives.unary import copy_p
from ..primitives.creation import from_host

_new = object.__new__


def name_node(out, name: str | None, since: int = -1):
    """Show the graph node of ``out`` as ``name`` (PyTorch's name for the composite that
    produced it) if that node was recorded after the mark ``since``; returns ``out``."""
    node = out._node if isinstance(out, TensorBase) else None
    if name is not None and node is not None and node.seq > since:
        node._name = name
    return out


# ================================================================ the handler ===
def _record(prim, args, params):
    """``bind`` for calls with Tensor arguments: compute on Arrays, record a node if needed."""
    vals = []
    needs_grad = False
    traced = None
    for a in args:
        if isinstance(a, TensorBase):
            d = a._data
            if type(d) is np.ndarray or not isinstance(d, Tracer):
                v = _new(Array)
                v._value = d
                v._device = a._device
                vals.append(v)
            else:
                vals.append(d)
                traced = d
            if a._node is not None or a._requires_grad:
                needs_grad = True
        else:
            vals.append(a)
    if needs_grad and traced is not None and _grad_mode._state.enabled:
        _check_no_lost_gradient(traced, args)
    try:
        out = bind(prim, *vals, **params)
    except ValueError as e:
        if getattr(e, "broadcast_shapes", None) is None:
            raise
        raise RuntimeError(_broadcast_error(e.broadcast_shapes)) from None
    multiple = prim.multiple_results
    outs = out if multiple else (out,)
    results = [TensorBase._wrap(o) for o in outs]
    _link_views(results, args)
    if needs_grad and _grad_mode._state.enabled and (not prim.nondiff
                                                     or getattr(prim, "zero_derivative", False)):
        diff = [o.dtype.kind in "fc" for o in outs]
        if True in diff:
            _attach_node(prim, params, args, vals, out, results, diff)
    return tuple(results) if multiple else results[0]


def _check_no_lost_gradient(traced, args):
    """A loop body or branch of ``fgrad.lax`` (a traced sub-program) that closes over a
    tensor requiring grad would compute with its value only: the tape could not reach
    it through the loop, and its ``.grad`` would silently stay None. Refuse it."""
    if traced._trace.main.transform != "lax":
        return
    for a in args:
        if isinstance(a, TensorBase) and not isinstance(a._data, Tracer) and (
                a._requires_grad or a._node is not None):
            raise RuntimeError(
                "fgrad.lax: a loop body or branch uses a tensor that requires grad but is not "
                "one of its arguments (it is closed over), so backward() could not reach it. "
                "Pass it in explicitly (in the carry, xs or operands), or differentiate with "
                "fgrad.grad / fgrad.func.grad, which trace closed-over values.")


def _parent(a):
    """The graph edge an argument's gradient flows to, or None."""
    if isinstance(a, TensorBase):
        if a._node is not None:
            return a._node, a._index
        if a._requires_grad:
            return a._edge()
    return None


def _attach_node(prim, params, args, vals, out, results, diff):
    """Record the node of one primitive application and point ``results`` at it."""
    parents = tuple([_parent(a) for a in args])
    node = make_node(prim, params, parents, vals, out, GradNode)
    saved = []
    for x, a in zip(node.inputs, args):
        if type(x) is not ShapedArray and isinstance(a, TensorBase):
            saved.append((a._vc, a._vc[0], a._data.shape, a._data.dtype, a._node, a._index))
    kept = node.ans if prim.multiple_results else (node.ans,)
    for i, (r, k) in enumerate(zip(results, kept)):
        if type(k) is not ShapedArray:      # (not ``node`` itself: a cycle would delay frees)
            saved.append((r._vc, 0, r._data.shape, r._data.dtype, _THIS_NODE, i))
    node._setup(saved=tuple(saved), saves=bool(saved) or any(
        type(x) is not ShapedArray for x in node.inputs))
    for i, r in enumerate(results):
        if diff[i]:
            r._node = node
            r._index = i


def _link_views(results, args):
    """Results that alias an input tensor's buffer are views of it (shared version counter)."""
    for r in results:
        data = r._data
        if isinstance(data, Tracer):
            continue
        maybe_view = getattr(data, "base", None) is not None
        for a in args:
            if isinstance(a, TensorBase) and a._device is r._device and not isinstance(a._data, Tracer):
                if a._data is data or maybe_view and r._device.xp.may_share_memory(data, a._data):
                    r._vc = a._vc
                    r._base = a._base if a._base is not None else a
                    break


# ================================================================ the tensor ====
# The class tensors are made of: ``fgrad.Tensor`` (facade/tensor.py), the subclass that
# completes TensorBase with the methods made from the torch functions. It is defined above
# those functions, which make tensors through ``TensorBase._wrap``; it declares itself with
# ``class Tensor(TensorBase, complete=True)`` (as torch.Tensor completes torch._C.TensorBase).
# Until then (tensors made while the facade is being imported) it is TensorBase itself.
_TENSOR_CLASS: type


class TensorBase(TensorAttributes):
    """The state and mechanics of a tensor: a mutable backend buffer, its device and version
    counter, views, in-place updates, conversions and the autograd bookkeeping. Tensors are
    instances of its subclass ``fgrad.Tensor`` (which adds the op methods and operators).

    >>> import fgrad
    >>> from fgrad.facade.tensor_base import TensorBase
    >>> isinstance(fgrad.tensor([1.0]), TensorBase)
    True
    """

    __slots__ = ("_data", "_device", "_vc", "_base", "_view_fn", "_node", "_index",
                 "_requires_grad", "_leaf_node", "_grad", "_retains_grad", "__weakref__")
    __array_priority__ = 1000

    def __init_subclass__(cls, complete: bool = False, **kwargs):
        super().__init_subclass__(**kwargs)
        if complete:
            global _TENSOR_CLASS
            _TENSOR_CLASS = cls

    def __init__(self, *args, **kwargs):
        raise TypeError("create tensors with fgrad.tensor(data), fgrad.zeros(...), "
                        "fgrad.from_numpy(array) ...")

    # -- construction ---------------------------------------------------------
    @classmethod
    def _wrap(cls, value, device=None):
        """A new tensor over ``value`` (an Array, a tracer, or a backend array)."""
        t = _new(_TENSOR_CLASS if cls is TensorBase else cls)
        if type(value) is Array:
            d = value._value
            # NumPy gives scalars for 0-d results; a tensor owns a writable 0-d array
            t._data = np.array(d) if isinstance(d, np.generic) else d
            t._device = value._device
        elif isinstance(value, Tracer):
            t._data = value
            t._device = value.device
        else:
            t._data = value
            t._device = device or CPU
        t._vc = [0]
        t._base = t._view_fn = t._node = t._leaf_node = t._grad = None
        t._index = 0
        t._requires_grad = t._retains_grad = False
        return t

    def _value(self):
        """The data as the core sees it: a read-only Array (or the tracer)."""
        d = self._data
        if isinstance(d, Tracer):
            return d
        a = _new(Array)
        a._value = d
        a._device = self._device
        return a

    def _alias(self, share_version=True):
        """A new tensor over the same buffer with no history (``detach``, ``.data``)."""
        t = TensorBase._wrap(self._data, self._device)
        if share_version:
            t._vc = self._vc
            t._base = self._base if self._base is not None else self
        return t

    # -- graph bookkeeping ------------------------------------------------------
    def _edge(self):
        """Where gradients for this tensor go: (node, output index)."""
        if self._node is not None:
            return self._node, self._index
        leaf = self._leaf_node
        if leaf is None:
            leaf = self._leaf_node = GradNode(None, None, (), (), None)._setup()
            leaf._variable = weakref.ref(self)
        return leaf, 0

    # -- autograd attributes ----------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        return self._node is not None or self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        if flag and self._node is None and self._data.dtype.kind not in "fc":
            raise RuntimeError("only Tensors of floating point and complex dtype can require "
                               "gradients")
        self.requires_grad_(flag)

    def requires_grad_(self, requires_grad: bool = True) -> "TensorBase":
        """Set ``requires_grad`` on a leaf, in place; returns the tensor."""
        if self._node is not None:
            if requires_grad:
                return self
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to "
                "use a computed variable in a subgraph that doesn't require differentiation "
                "use var_no_grad = var.detach().")
        if requires_grad and self._data.dtype.kind not in "fc":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def is_leaf(self) -> bool:
        return self._node is None

    @property
    def grad_fn(self):
        return self._node

    @property
    def grad(self):
        return self._grad

    @grad.setter
    def grad(self, value) -> None:
        if value is not None:
            if not isinstance(value, TensorBase):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad "
                                f"of type {type(value).__name__}")
            if tuple(value.shape) != tuple(self.shape):
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor "
                    f"of size '{list(self.shape)}'. Please ensure that the gradient and the "
                    "tensor are the same size")
            if value._data.dtype != self._data.dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{_c_type(value)}' to a tensor "
                    f"with grad_dtype '{C._dtype_name(self._np_dtype)}'. The gradient must "
                    "match the tensor's grad_dtype (defaults to the tensor's dtype).")
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf tensor in the next backward passes."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._node is None or self._retains_grad:
            return
        self._retains_grad = True
        node = self._node
        if node._retained is None:
            node._retained = {}
        node._retained[self._index] = weakref.ref(self)

    def register_hook(self, hook: Callable) -> "_RemovableHandle":
        """Call ``hook(grad)`` when this tensor's gradient is computed; a non-None
        return value replaces the gradient."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require "
                               "gradient")
        node, idx = self._edge()
        if node._hooks is None:
            node._hooks = {}
        hooks = node._hooks.setdefault(idx, [])
        hooks.append(hook)
        return _RemovableHandle(hooks, hook)

    def register_post_accumulate_grad_hook(self, hook: Callable) -> "_RemovableHandle":
        """Call ``hook(tensor)`` on this leaf once ``backward()`` has accumulated its
        gradient into ``.grad`` (during the pass, as soon as it is known)."""
        if self._node is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf "
                               "tensors")
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require "
                               "gradient")
        node = self._edge()[0]
        if node._post_acc is None:
            node._post_acc = []
        node._post_acc.append(hook)
        return _RemovableHandle(node._post_acc, hook)

    def detach(self) -> "TensorBase":
        """The same data (shared memory and version counter), cut from the graph."""
        t = self._alias()
        if isinstance(t._data, Tracer):    # inside a transform: cut its gradient too (torch.func)
            t._data = stop_gradient(t._data)
        return t

    def detach_(self) -> "TensorBase":
        if self._base is not None and self._view_fn is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self._node = None
        self._requires_grad = False
        return self

    @property
    def data(self) -> "TensorBase":
        """The data, shared, as a tensor without history (mutations are not tracked)."""
        return self._alias(share_version=False)

    @data.setter
    def data(self, other: "TensorBase") -> None:
        if not isinstance(other, TensorBase):
            raise TypeError(f"data must be a Tensor, not {type(other).__name__}")
        if isinstance(other._data, Tracer) or isinstance(self._data, Tracer):
            _undo_on_exit(self)
        self._data = other._data
        self._device = other._device

    # -- conversion ---------------------------------------------------------------
    def _host(self) -> np.ndarray:
        d = self._data
        if isinstance(d, Tracer):
            return np.asarray(d.concrete_value("converting a Tensor to a host value"))
        return np.asarray(self._device.to_host(d))

    def numpy(self, *, force: bool = False) -> np.ndarray:
        """The data as a NumPy array sharing memory (cpu tensors without grad)."""
        if self.requires_grad and not force:
            raise RuntimeError(NUMPY_REQUIRES_GRAD)
        if self._device.platform == "cuda" and not force:
            raise TypeError(f"can't convert {self._device} device type tensor to numpy. Use "
                            "Tensor.cpu() to copy the tensor to host memory first.")
        if isinstance(self._data, np.ndarray):
            return self._data
        return self._host()

    def __array__(self, dtype=None, copy=None):
        if self.requires_grad:
            raise RuntimeError(NUMPY_REQUIRES_GRAD)
        a = self._host()
        return a if dtype is None else a.astype(dtype, copy=False)

    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self.numel() != 1:
            raise RuntimeError(f"a Tensor with {self.numel()} elements cannot be converted "
                               "to Scalar")
        return self._host().item()

    def tolist(self):
        return self._host().tolist()

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __complex__(self):
        return complex(self.item())

    def __index__(self):
        if self._data.dtype.kind not in "iub" or self.numel() != 1:
            raise TypeError("only integer tensors of a single element can be converted to "
                            "an index")
        return int(self.item())

    def __bool__(self):
        if self.numel() != 1:
            raise RuntimeError(f"Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.item())

    def __format__(self, spec):
        if self.ndim == 0 and not isinstance(self._data, Tracer):
            return format(self.item(), spec)
        return format(str(self), spec)

    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    def __hash__(self):
        return id(self)

    def __repr__(self, *, tensor_contents=None) -> str:
        if isinstance(self._data, Tracer):
            return f"Tensor({self._data!r})"
        dt = self.dtype
        default = _dtypes.get_default_dtype()
        is_default = dt is default or (dt.is_complex and dt is default.to_complex())
        node = self._node
        return format_tensor(self._host(), dtype_name=dt.name, is_default_dtype=is_default,
                             device=str(self._device), requires_grad=self.requires_grad,
                             grad_fn=node._short_name() if node is not None else None)

    __str__ = __repr__

    # -- devices and dtypes --------------------------------------------------------
    def to(self, *args, **kwargs) -> "TensorBase":
        """``to(device)``, ``to(dtype)``, ``to(device, dtype)``, ``to(other)``; ``copy=True``
        forces a copy. Returns ``self`` when nothing changes."""
        copy = kwargs.pop("copy", False)
        device, dtype = parse_to_args(args, kwargs)
        out = self
        if dtype is not None and _dtypes.to_numpy(dtype) != self._data.dtype:
            out = P._cast(out, _dtypes.to_numpy(dtype))
        if device is not None:
            dev = get_device(device)
            if dev is not out._device:
                out = device_put(out, dev)
        if copy and out is self:
            out = self.clone()
        return out

    def cpu(self) -> "TensorBase":
        return self.to("cpu")

    def cuda(self, device=None) -> "TensorBase":
        return self.to("cuda" if device is None else
                       (f"cuda:{device}" if isinstance(device, int) else device))

    def type(self, dtype=None):
        if dtype is None:
            return _type_name(self)
        return self.to(dtype)

    def float(self): return self.to(_dtypes.float32)
    def double(self): return self.to(_dtypes.float64)
    def half(self): return self.to(_dtypes.float16)
    def long(self): return self.to(_dtypes.int64)
    def int(self): return self.to(_dtypes.int32)
    def short(self): return self.to(_dtypes.int16)
    def bool(self): return self.to(_dtypes.bool_)
    def byte(self): return self.to(_dtypes.uint8)
    def char(self): return self.to(_dtypes.int8)

    def type_as(self, other: "TensorBase") -> "TensorBase":
        return self.to(other.dtype)

    def clone(self) -> "TensorBase":
        """A copy with its own memory, recorded in the graph (``CloneBackward0``)."""
        out = _copy_p_bind(self)
        return out

    def contiguous(self) -> "TensorBase":
        if self.is_contiguous():
            return self
        out = self.clone()
        if not out.is_contiguous():     # clone keeps the strides (as PyTorch's does)
            out._data = self._device.xp.ascontiguousarray(out._data)
        return out

    # -- views ----------------------------------------------------------------------
    def _make_view(self, fn: Callable, *args, name: str | None = None) -> "TensorBase":
        """``fn(self, *args)`` as a view sharing this tensor's memory, replayable for
        in-place updates through the view. ``name`` (or the view's default name) is given
        to the node the view records, as PyTorch names it."""
        since = graph_mark()
        out = fn(self, *args)
        if out is self:
            out = self._alias()
            if self._node is not None:
                out._node, out._index = self._node, self._index
            elif self._requires_grad and _grad_mode._state.enabled:
                out = _copy_p_bind(self, view=True)
                name = name or _VIEW_NAMES.get(getattr(fn, "__name__", None), "AliasBackward0")
        name = name or _VIEW_NAMES.get(getattr(fn, "__name__", None))
        name_node(out, name, since)
        if isinstance(out, TensorBase) and out._base is None and isinstance(out._data, Tracer) \
                and isinstance(self._data, Tracer) and _traced_view(fn, args):
            out._vc = self._vc          # under a transform: no memory to share, link the view
            out._base = self._base if self._base is not None else self
        if isinstance(out, TensorBase) and out._base is not None and out._vc is self._vc:
            out._view_fn = (lambda base, fn=fn, args=args, me=self:
                            _replay_view(base, me, fn, args))
        return out

    def view(self, *shape) -> "TensorBase":
        """The same memory with another shape (``-1`` infers one size); an error if the
        strides do not allow it (use ``reshape``). ``view(dtype)`` is not supported."""
        if len(shape) == 1 and isinstance(shape[0], (_dtypes.dtype, np.dtype)):
            raise NotImplementedError("view(dtype) is not supported by fgrad")
        out = self._make_view(T.reshape, C._sizes(shape) if shape else ())
        if out.numel() and not isinstance(out._data, Tracer) and out._vc is not self._vc:
            raise RuntimeError(
                "view size is not compatible with input tensor's size and stride (at least "
                "one dimension spans across two contiguous subspaces). Use .reshape(...) "
                "instead.")
        return out

    def view_as(self, other: "TensorBase") -> "TensorBase":
        return self.view(*other.shape)

    def reshape(self, *shape) -> "TensorBase":
        return self._make_view(T.reshape, C._sizes(shape))

    def __getitem__(self, idx) -> "TensorBase":
        idx = C.unwrap_index(idx)
        return self._make_view(_index, idx, name=_index_node_name(idx, self._data.shape))

    def __setitem__(self, idx, value) -> None:
        idx = C.unwrap_index(idx)
        kind = _index_node_name(idx, self._data.shape)
        if kind in ("SelectBackward0", "SliceBackward0", "UnsqueezeBackward0") and \
                _grad_mode._state.enabled and self._node is None and self._requires_grad:
            raise RuntimeError(VIEW_OF_LEAF_INPLACE)   # PyTorch writes through a view
        if not self._will_record(value):
            self._check_inplace()
            v = value._data if isinstance(value, TensorBase) else value
            if isinstance(value, TensorBase) and value._device is not self._device:
                raise RuntimeError(_device_mismatch(self._device, value._device))
            if not isinstance(self._data, Tracer) and not isinstance(v, Tracer):
                try:
                    self._writable()[_host_index(idx, self._device)] = v
                except (ValueError, TypeError, IndexError) as e:
                    raise type(e)(f"{e}") from None
                self._vc[0] += 1
                return
        if isinstance(idx, Tracer) and idx.dtype == np.bool_ and \
                tuple(idx.shape) == tuple(self._data.shape) and \
                (not isinstance(value, TensorBase) or value.ndim == 0):
            # a traced mask of the same shape (vmap, jit): a select, as torch.func does
            self._inplace(lambda s: T.where(TensorBase._wrap(idx), value, s), value)
            return
        self._inplace(lambda s: _update(s, idx, value, "set"), value,
                      name="IndexPutBackward0" if kind == "IndexBackward0" else _COPY_SLICES)

    # -- in-place machinery --------------------------------------------------------
    def _will_record(self, *others) -> bool:
        if not _grad_mode._state.enabled:
            return False
        return self.requires_grad or any(isinstance(o, TensorBase) and o.requires_grad
                                         for o in others)

    def _check_inplace(self):
        if not _grad_mode._state.enabled:
            return
        if self._node is None and self._requires_grad:
            raise RuntimeError(LEAF_INPLACE)
        base = self._base
        if base is not None and base._node is None and base._requires_grad and \
                self._view_fn is not None:
            raise RuntimeError(VIEW_OF_LEAF_INPLACE)

    def _writable(self):
        d = self._data
        flags = getattr(d, "flags", None)
        if flags is not None and not getattr(flags, "writeable", True):
            if any(s == 0 for s, n in zip(d.strides, d.shape) if n > 1):
                raise RuntimeError(
                    "unsupported operation: more than one element of the written-to tensor "
                    "refers to a single memory location. Please clone() the tensor before "
                    "performing the operation.")
            d = self._data = d.copy()
        return d

    def _inplace(self, fn: Callable, *others, name: str | None = None) -> "TensorBase":
        """Apply ``self <- fn(self)`` in place, keeping PyTorch's autograd semantics;
        ``name`` names the node recorded (unless written through a view)."""
        self._check_inplace()
        record = self._will_record(*others)
        since = graph_mark()
        # a recorded op may save its operand (``y.mul_(w)`` saves ``y`` for ``w``'s gradient):
        # it saves a copy, not the buffer about to be overwritten (as PyTorch clones it)
        src = self._snapshot() if record else self
        result = fn(src)
        if not isinstance(result, TensorBase):
            result = TensorBase._wrap(result if isinstance(result, (Array, Tracer))
                                  else P._arr(result))
        self._assign(result, record)
        if record and self._view_fn is None:
            name_node(self, name, since)
        return self

    def _snapshot(self):
        """A recorded copy of this tensor: nodes of an in-place op save it, not the buffer
        about to be overwritten."""
        return _copy_p_bind(self)

    def _assign(self, result: "TensorBase", record: bool) -> None:
        shape = tuple(self._data.shape)
        rshape = tuple(result.shape)
        if not broadcasts_to(rshape, shape):
            wanted = np.broadcast_shapes(rshape, shape) if _broadcastable(rshape, shape) \
                else rshape
            raise RuntimeError(f"output with shape {list(shape)} doesn't match the "
                               f"broadcast shape {list(wanted)}")
        rd, sd = result._data.dtype, self._data.dtype
        if rd != sd and P._category(rd) > P._category(sd):
            raise RuntimeError(f"result type {C._dtype_name(rd)} can't be cast to the desired "
                               f"output type {C._dtype_name(sd)}")
        if result._device is not self._device:
            raise RuntimeError(_device_mismatch(self._device, result._device))
        traced = isinstance(self._data, Tracer) or isinstance(result._data, Tracer)
        if traced or record and result.requires_grad:
            # recorded or traced: the value written is exactly this tensor's shape and dtype
            if rshape != shape:
                result = T.broadcast_to(result, shape)
            if rd != sd:
                result = P._cast(result, sd)
        # write the data
        if traced:
            v = result._value()
            _undo_on_exit(self)
            self._data = v._value if type(v) is Array else v
        else:
            buf = self._writable()
            if buf is not result._data:
                self._device.xp.copyto(buf, result._data, casting="unsafe")
        if isinstance(self._data, Tracer) and self._base is not None and \
                self._view_fn is not None:   # traced view: write through to its base
            b = self._base
            _undo_on_exit(b)
            b._data = _scatter_into_base(TensorBase._wrap(b._data, b._device), self,
                                         TensorBase._wrap(self._data, self._device))._data
        self._vc[0] += 1
        if not record:
            if self._node is not None and _grad_mode._state.enabled:
                self._node = None
            return
        # the graph: this tensor now comes from ``result``; a view also rewrites its base
        if not result.requires_grad:
            self._node = None
            return
        base = self._base
        if base is not None and self._view_fn is not None:
            new_base = _scatter_into_base(base, self, result)
            base._node, base._index = new_base._node, new_base._index
            view = self._view_fn(new_base)
            self._node, self._index = view._node, view._index
            if new_base._node is not None:          # PyTorch's names for these nodes
                new_base._node._name = _COPY_SLICES
                if view._node is not None and view._node is not new_base._node:
                    view._node._name = "AsStridedBackward0"
        else:
            self._node, self._index = result._node, result._index

    # -- in-place methods with no functional counterpart -------------------------
    def zero_(self) -> "TensorBase":
        return self.fill_(0, _name="ZeroBackward0")

    def fill_(self, value, *, _name: str = "FillBackward2") -> "TensorBase":
        if not self._will_record(value):
            self._check_inplace()
            if isinstance(value, TensorBase):
                value = value.item()
            if not isinstance(self._data, Tracer):
                self._writable()[...] = value
                self._vc[0] += 1
                return self
        return self._inplace(lambda s: T.where(P._arr(True), value, s), value,
                             name="FillBackward3" if isinstance(value, TensorBase) else _name)

    # -- methods that differ from the same-named function ---------------------------
    def copy_(self, src, non_blocking: bool = False) -> "TensorBase":
        if not isinstance(src, TensorBase):      # an extension: PyTorch takes tensors only
            if not isinstance(src, (Array, Tracer)):
                host = np.asarray(src)
                if host.dtype.kind == "O":
                    raise TypeError(f"copy_(): argument 'src' (position 1) must be Tensor, "
                                    f"not {type(src).__name__}")
                src = from_host(host, CPU)
            src = TensorBase._wrap(src)
        if src._device is not self._device:
            src = device_put(src, self._device)
        if tuple(src.shape) != tuple(self.shape) and not _broadcastable(tuple(src.shape),
                                                                      tuple(self.shape)):
            raise RuntimeError(_broadcast_error((tuple(self.shape), tuple(src.shape))))
        self._check_inplace()
        record = self._will_record(src)
        if record:
            val = P._cast(T.broadcast_to(src, tuple(self.shape)), self._data.dtype)
            if val.requires_grad:    # a node of its own (src may be a leaf: no node to share)
                val = _copy_p_bind(val)
                val._node._name = "fgrad::autograd::CopyBackwards"
            self._assign(val, True)
        else:
            if isinstance(self._data, Tracer) or isinstance(src._data, Tracer):
                self._assign(P._cast(T.broadcast_to(src, tuple(self.shape)),
                                     self._data.dtype), False)
            else:
                self._device.xp.copyto(self._writable(), src._data, casting="unsafe")
                self._vc[0] += 1
        return self

    def where(self, condition, y) -> "TensorBase":
        return T.where(condition, self, y)

    def apply_(self, fn):
        raise NotImplementedError("apply_ is not supported by fgrad")

    @property
    def T(self) -> "TensorBase":
        if self.ndim not in (0, 2):
            return self._make_view(T.permute, tuple(range(self.ndim))[::-1])
        return self._make_view(T.t)

    @property
    def mT(self) -> "TensorBase":
        return self._make_view(T.transpose, -2, -1)

    @property
    def H(self) -> "TensorBase":
        return T.conj(self.T) if hasattr(T, "conj") else self.T

    @property
    def real(self):
        return real(self)

    @property
    def imag(self):
        return imag(self)


_TENSOR_CLASS = TensorBase


def parse_to_args(args, kwargs) -> tuple:
    """``(device, dtype)`` from the arguments of ``to()``: a device, a dtype, both, or a
    tensor to match; ``device=``/``dtype=`` keywords; ``non_blocking`` is ignored."""
    device = kwargs.pop("device", None)
    dtype = kwargs.pop("dtype", None)
    kwargs.pop("non_blocking", None)
    if kwargs:
        raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
    for a in args:
        if isinstance(a, TensorBase):
            device, dtype = a.device, a.dtype
        elif isinstance(a, (_dtypes.dtype, np.dtype, type)):
            dtype = a
        else:
            device = a
    return device, dtype


def _undo_on_exit(t: TensorBase) -> None:
    """A traced value is about to be written into ``t``: put ``t``'s data back when the
    transform returns, so that no tracer stays in a tensor (a module's parameter, say)
    after ``grad``, ``vmap`` or ``jit`` (or an exception inside them)."""
    old_data, old_device = t._data, t._device

    def restore():
        t._data, t._device = old_data, old_device
    undo_on_exit(restore)


def _copy_p_bind(t: TensorBase, view: bool = False) -> TensorBase:
    out = _record(copy_p, (t,), {})
    if view:
        out._vc = t._vc
        out._base = t._base if t._base is not None else t
    return out


def _traced_view(fn, args) -> bool:
    """Whether ``fn(t, *args)`` is a view in PyTorch (advanced indexing copies)."""
    if fn is not _index:
        return True
    idx = args[0] if args else ()
    for i in (idx if isinstance(idx, tuple) else (idx,)):
        if not (i is None or i is Ellipsis or isinstance(i, (int, slice))) or \
                isinstance(i, bool):
            return False
    return True


def _replay_view(base, original, fn, args):
    """The view ``fn(original, *args)`` re-derived from ``base``'s new value."""
    src = base if original is base or original._base is None else original._view_fn(base) \
        if original._view_fn is not None else original
    return fn(src, *args)


def _scatter_into_base(base: TensorBase, view: TensorBase, value: TensorBase) -> TensorBase:
    """``base`` with the elements seen by ``view`` replaced by ``value`` (recorded)."""
    n = base.numel()
    positions = TensorBase._wrap(from_host(np.arange(n, dtype=np.int64).reshape(tuple(base.shape)),
                                       base._device))
    pos = view._view_fn(positions)
    flat = T.reshape(base, (n,))
    out = _update(flat, pos._value().reshape(-1), T.reshape(value, (-1,)), "set")
    return T.reshape(out, tuple(base.shape))



def _as_tensor(value) -> TensorBase:
    return value if isinstance(value, TensorBase) else TensorBase._wrap(value)


def _wrap_like(value, like) -> TensorBase:
    return TensorBase._wrap(value)


# The core meets tensors through this registration only (fgrad/transforms/wrappers.py):
# transforms see a tensor's value and hand tensors back; ``bind`` records ops on the tape.
# (``jit_autograd`` adds the ``jit`` takeover.) Subclasses (``Parameter``) are covered.
register_wrapper_type(TensorBase, unwrap=TensorBase._value, wrap=_wrap_like, bind=_record)
_engine.as_tensor = _as_tensor      # a double backward runs its rule on tensors
