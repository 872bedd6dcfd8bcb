"""``fgrad.Tensor``: PyTorch's tensor class.

``TensorBase`` (``facade/tensor_base.py``) holds a tensor's state and mechanics: its
buffer, device, version counter, views, in-place updates, conversions and autograd
bookkeeping. ``Tensor`` completes it with what is made from the torch functions above it:
the op methods (``x.sum(dim=1)`` is ``fgrad.sum(x, dim=1)``), their in-place forms
(``x.add_(y)``), the Python operators with the fast paths of the eager hot loop (``x * 2``,
``p.add_(g)``), ``backward``, the ``new_*`` constructors and in-place sampling. Every method
is declared in the class body below.

>>> import fgrad
>>> x = fgrad.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
>>> y = (x * x).sum(dim=1)
>>> y
tensor([ 5., 25.], grad_fn=<SumBackward1>)
>>> y.sum().backward()
>>> x.grad
tensor([[2., 4.],
        [6., 8.]])
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from . import grad_mode as _grad_mode
from . import ops as T, sampling
from .autograd import backward as _backward
from .creation import full as _full, tensor as _tensor
from .functions import (_summary, _wrap_function, log_softmax as _log_softmax,
                        name_scalar_overload, softmax as _softmax)
from .ops import _common as C
from .size import broadcasts_to
from .tape import LEAF_INPLACE
from .tensor_base import TensorBase, _record
from .tensor_base import Size, name_node, parse_to_args  # noqa: F401  (for the layers above)
from .torch_functions import FUNCTIONS, POW_NODE_NAMES
from .torch_names import (legacy_tensor, resize_, resize_as_, squeeze_, t_, transpose_, unique,
                          unsqueeze_)
from ..primitives import binary as B

__all__ = ["Tensor"]


# ================================================= how methods are made ===
def _method(name: str) -> Callable:
    """``x.name(*args)`` as ``fgrad.name(x, *args)``; a view (shares memory) for the view
    functions."""
    fn = FUNCTIONS.get(name) or _wrap_function(name, getattr(T, name))

    def method(self, *args, **kwargs):
        return fn(self, *args, **kwargs)
    method.__name__ = method.__qualname__ = name
    method.__doc__ = _summary(getattr(T, name))
    return method


def _view_method(name: str) -> Callable:
    """A method whose result shares the tensor's memory (a view, as in PyTorch)."""
    fn = FUNCTIONS.get(name) or _wrap_function(name, getattr(T, name))

    def method(self, *args, **kwargs):
        return self._make_view(lambda s, *a: fn(s, *a, **kwargs), *args)
    method.__name__ = method.__qualname__ = name
    method.__doc__ = _summary(getattr(T, name))
    return method


def _inplace(name: str) -> Callable:
    """``x.name_(*args)``: ``x = name(x, *args)`` in place; returns ``x``."""
    fn = FUNCTIONS.get(name) or getattr(T, name)

    def method(self, *args, **kwargs):
        others = [a for a in args if isinstance(a, TensorBase)] + \
                 [v for v in kwargs.values() if isinstance(v, TensorBase)]
        return self._inplace(lambda s: fn(s, *args, **kwargs), *others)
    method.__name__ = method.__qualname__ = name + "_"
    method.__doc__ = f"In-place ``{name}``: ``self = {name}(self, ...)``; returns ``self``."
    return method


_UFUNCS = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide}


def _fast_inplace(name: str) -> Callable:
    """``add_ sub_ mul_ div_`` when nothing is recorded, on a writable NumPy buffer, with a
    Python number or a tensor of the same dtype: one NumPy call with ``out=``, as the
    hand-written loop does. Everything else takes the general in-place path."""
    ufunc, slow = _UFUNCS[name], _inplace(name)

    def method(self, other, **kwargs):
        d = self._data
        if not kwargs and type(d) is np.ndarray and d.dtype.kind == "f" and \
                not self._will_record(other) and d.flags.writeable:
            t = type(other)
            o = other._data if t is Tensor and other._data.dtype is d.dtype else \
                other if t is float or t is int else None
            if o is not None and (t is not Tensor or type(o) is np.ndarray and
                                  broadcasts_to(o.shape, d.shape)):
                self._check_inplace()
                ufunc(d, o, out=d)
                self._vc[0] += 1
                return self
        return slow(self, other, **kwargs)
    method.__name__ = method.__qualname__ = name + "_"
    method.__doc__ = slow.__doc__
    return method


def _operator(name: str, reflected: bool = False) -> Callable:
    """A Python operator as the torch function ``name`` (``b.__rsub__(a)`` is ``sub(a, b)``)."""
    fn = FUNCTIONS[name]
    if reflected:
        def op(self, other):
            return fn(other, self)
    else:
        def op(self, other):
            return fn(self, other)
    return op


def _fast_operator(prim, name: str, reflected: bool = False) -> Callable:
    """An arithmetic operator: a float tensor with a Python number or a tensor of the same
    dtype and device binds ``prim`` at once (PyTorch's promotion is then the identity);
    anything else goes through the torch function ``name`` (full promotion and checks)."""
    fn = FUNCTIONS[name]
    # ``2 * b`` is ``b * 2`` (PyTorch's operand order, seen in ``grad_fn.next_functions``)
    swap = reflected and prim.name not in ("add", "mul")

    def op(self, other):
        t = type(other)
        dt = self._data.dtype
        if dt.kind == "f" and (t is float or t is int or (
                t is Tensor and other._data.dtype is dt and other._device is self._device)):
            return _record(prim, (other, self) if swap else (self, other), {})
        return fn(other, self) if swap else fn(self, other)
    return op


def _named_overload(prim, reflected: bool, names: tuple) -> Callable:
    """An arithmetic operator (see ``_fast_operator``) whose node is named for PyTorch's
    overload of its operand kinds (``functions.name_scalar_overload``)."""
    general = _fast_operator(prim, prim.name, reflected)
    if reflected:
        def op(self, other):
            return name_scalar_overload(general(self, other), prim, other, self, names)
    else:
        def op(self, other):
            return name_scalar_overload(general(self, other), prim, self, other, names)
    return op


def _select(input, dim, index):
    return T.squeeze(T.narrow(input, dim, index if index >= 0 else index + input.shape[dim], 1),
                     dim)


def _rebuild(data, device, requires_grad):
    """A tensor from its pickled state (``Tensor.__reduce_ex__``)."""
    return _tensor(data, device=device, requires_grad=requires_grad)


# ================================================================ Tensor ===
class Tensor(TensorBase, complete=True):
    """A mutable n-d array with PyTorch's autograd (``requires_grad``, ``backward()``, ``.grad``).

    Create one with ``fgrad.tensor``, ``fgrad.zeros``, ``fgrad.from_numpy`` ...;
    ``fgrad.Tensor(data)`` and ``fgrad.Tensor(*sizes)`` are PyTorch's legacy constructor.

    >>> import fgrad
    >>> w = fgrad.tensor([1.0, 2.0], requires_grad=True)
    >>> (w * w).sum().backward()
    >>> w.grad
    tensor([2., 4.])
    """

    __slots__ = ()

    def __new__(cls, *args, **kwargs):
        if cls is not Tensor:                 # subclasses (nn.Parameter) construct themselves
            return object.__new__(cls)
        return legacy_tensor(*args, **kwargs)

    def __init__(self, *args, **kwargs):
        """Construction happens in ``__new__``."""

    def __reduce_ex__(self, protocol):
        return (_rebuild, (self._host().copy(), str(self._device), self._requires_grad))

    def backward(self, gradient=None, retain_graph: bool | None = None,
                 create_graph: bool = False, inputs=None) -> None:
        """Accumulate d(self)/d(leaf) into each leaf's ``.grad`` (PyTorch's ``backward``)."""
        _backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    # -- new tensors like this one ------------------------------------------------------
    def new_tensor(self, data, dtype=None, device=None, requires_grad=False) -> Tensor:
        return _tensor(data, dtype=dtype or self.dtype, device=device or self.device,
                       requires_grad=requires_grad)

    def _new_full(self, fill, size, dtype, device, requires_grad):
        return _full(C._sizes(size), fill, dtype=dtype or self.dtype,
                     device=device or self.device, requires_grad=requires_grad)

    def new_zeros(self, *size, dtype=None, device=None, requires_grad=False) -> Tensor:
        return self._new_full(0, size, dtype, device, requires_grad)

    def new_ones(self, *size, dtype=None, device=None, requires_grad=False) -> Tensor:
        return self._new_full(1, size, dtype, device, requires_grad)

    def new_full(self, size, fill_value, dtype=None, device=None, requires_grad=False) -> Tensor:
        return self._new_full(fill_value, size, dtype, device, requires_grad)

    def new_empty(self, *size, dtype=None, device=None, requires_grad=False) -> Tensor:
        return self._new_full(0, size, dtype, device, requires_grad)

    # -- in-place sampling ---------------------------------------------------------------
    def _random_(self, draw: Callable) -> Tensor:
        if _grad_mode._state.enabled and self._node is None and self._requires_grad:
            raise RuntimeError(LEAF_INPLACE)
        values = draw(sampling._host_rng(), tuple(self.shape))
        self._device.xp.copyto(self._writable(), self._device.from_host(
            np.asarray(values, dtype=self._data.dtype)), casting="unsafe")
        self._vc[0] += 1
        return self

    def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator=None) -> Tensor:
        return self._random_(lambda rng, shape: rng.normal(mean, std, shape))

    def uniform_(self, a: float = 0.0, b: float = 1.0, *, generator=None) -> Tensor:
        return self._random_(lambda rng, shape: rng.uniform(a, b, shape))

    def bernoulli_(self, p: float = 0.5, *, generator=None) -> Tensor:
        return self._random_(lambda rng, shape: rng.random(shape) < p)

    def exponential_(self, lambd: float = 1.0, *, generator=None) -> Tensor:
        return self._random_(lambda rng, shape: rng.exponential(1.0 / lambd, shape))

    def random_(self, low: int = 0, high: int | None = None, *, generator=None) -> Tensor:
        if high is None:
            low, high = 0, low if low else 2 ** 24
        return self._random_(lambda rng, shape: rng.integers(low, high, shape))

    # -- methods that differ from the same-named function -------------------------------
    def softmax(self, dim: int, dtype=None) -> Tensor:
        return _softmax(self, dim, dtype=dtype)

    def log_softmax(self, dim: int, dtype=None) -> Tensor:
        return _log_softmax(self, dim, dtype=dtype)

    def select(self, dim: int, index: int) -> Tensor:
        """The slice at ``index`` along ``dim``, that dimension removed (a view)."""
        return self._make_view(_select, dim, index)

    unique = unique
    unsqueeze_ = unsqueeze_
    squeeze_ = squeeze_
    t_ = t_
    transpose_ = transpose_
    resize_ = resize_
    resize_as_ = resize_as_

    # -- the torch functions as methods (ops.METHODS; views share memory) ---------------
    abs = _method("abs")
    absolute = _method("absolute")
    acos = _method("acos")
    add = _method("add")
    addbmm = _method("addbmm")
    addcdiv = _method("addcdiv")
    addcmul = _method("addcmul")
    addmm = _method("addmm")
    addmv = _method("addmv")
    addr = _method("addr")
    all = _method("all")
    allclose = _method("allclose")
    amax = _method("amax")
    amin = _method("amin")
    any = _method("any")
    arccos = _method("arccos")
    arcsin = _method("arcsin")
    arctan = _method("arctan")
    arctan2 = _method("arctan2")
    argmax = _method("argmax")
    argmin = _method("argmin")
    argsort = _method("argsort")
    argwhere = _method("argwhere")
    asin = _method("asin")
    atan = _method("atan")
    atan2 = _method("atan2")
    baddbmm = _method("baddbmm")
    bitwise_and = _method("bitwise_and")
    bitwise_not = _method("bitwise_not")
    bitwise_or = _method("bitwise_or")
    bitwise_xor = _method("bitwise_xor")
    bmm = _method("bmm")
    broadcast_to = _method("broadcast_to")
    ceil = _method("ceil")
    chunk = _view_method("chunk")
    clamp = _method("clamp")
    clip = _method("clip")
    cos = _method("cos")
    cosh = _method("cosh")
    count_nonzero = _method("count_nonzero")
    cross = _method("cross")
    cumprod = _method("cumprod")
    cumsum = _method("cumsum")
    det = _method("det")
    diag = _method("diag")
    diagonal = _view_method("diagonal")
    div = _method("div")
    divide = _method("divide")
    dot = _method("dot")
    eq = _method("eq")
    equal = _method("equal")
    exp = _method("exp")
    expand = _view_method("expand")
    expand_as = _view_method("expand_as")
    expm1 = _method("expm1")
    fix = _method("fix")
    flatten = _view_method("flatten")
    flip = _method("flip")
    fliplr = _method("fliplr")
    flipud = _method("flipud")
    floor = _method("floor")
    floor_divide = _method("floor_divide")
    fmod = _method("fmod")
    frac = _method("frac")
    gather = _method("gather")
    ge = _method("ge")
    ger = _method("ger")
    greater = _method("greater")
    greater_equal = _method("greater_equal")
    gt = _method("gt")
    index_select = _method("index_select")
    inverse = _method("inverse")
    isclose = _method("isclose")
    isfinite = _method("isfinite")
    isinf = _method("isinf")
    isnan = _method("isnan")
    kthvalue = _method("kthvalue")
    le = _method("le")
    lerp = _method("lerp")
    less = _method("less")
    less_equal = _method("less_equal")
    log = _method("log")
    log10 = _method("log10")
    log1p = _method("log1p")
    log2 = _method("log2")
    logical_and = _method("logical_and")
    logical_not = _method("logical_not")
    logical_or = _method("logical_or")
    logical_xor = _method("logical_xor")
    logsumexp = _method("logsumexp")
    lt = _method("lt")
    masked_fill = _method("masked_fill")
    masked_select = _method("masked_select")
    matmul = _method("matmul")
    max = _method("max")
    maximum = _method("maximum")
    mean = _method("mean")
    median = _method("median")
    min = _method("min")
    minimum = _method("minimum")
    mm = _method("mm")
    mode = _method("mode")
    moveaxis = _view_method("moveaxis")
    movedim = _view_method("movedim")
    mul = _method("mul")
    multiply = _method("multiply")
    mv = _method("mv")
    narrow = _view_method("narrow")
    ne = _method("ne")
    neg = _method("neg")
    negative = _method("negative")
    nonzero = _method("nonzero")
    norm = _method("norm")
    not_equal = _method("not_equal")
    outer = _method("outer")
    permute = _view_method("permute")
    pow = _method("pow")
    prod = _method("prod")
    ravel = _view_method("ravel")
    reciprocal = _method("reciprocal")
    relu = _method("relu")
    remainder = _method("remainder")
    repeat = _method("repeat")
    repeat_interleave = _method("repeat_interleave")
    reshape_as = _view_method("reshape_as")
    roll = _method("roll")
    round = _method("round")
    rsqrt = _method("rsqrt")
    scatter = _method("scatter")
    scatter_add = _method("scatter_add")
    scatter_reduce = _method("scatter_reduce")
    sigmoid = _method("sigmoid")
    sign = _method("sign")
    sin = _method("sin")
    sinh = _method("sinh")
    sort = _method("sort")
    split = _view_method("split")
    sqrt = _method("sqrt")
    square = _method("square")
    squeeze = _view_method("squeeze")
    std = _method("std")
    sub = _method("sub")
    subtract = _method("subtract")
    sum = _method("sum")
    svd = _method("svd")
    swapaxes = _view_method("swapaxes")
    swapdims = _view_method("swapdims")
    t = _view_method("t")
    take = _method("take")
    take_along_dim = _method("take_along_dim")
    tan = _method("tan")
    tanh = _method("tanh")
    tensor_split = _view_method("tensor_split")
    tile = _method("tile")
    topk = _method("topk")
    trace = _method("trace")
    transpose = _view_method("transpose")
    tril = _method("tril")
    triu = _method("triu")
    true_divide = _method("true_divide")
    trunc = _method("trunc")
    unbind = _view_method("unbind")
    unflatten = _view_method("unflatten")
    unsqueeze = _view_method("unsqueeze")
    var = _method("var")

    # -- in-place forms ------------------------------------------------------------------
    add_ = _fast_inplace("add")
    sub_ = _fast_inplace("sub")
    mul_ = _fast_inplace("mul")
    div_ = _fast_inplace("div")
    pow_ = _inplace("pow")
    clamp_ = _inplace("clamp")
    clip_ = _inplace("clip")
    exp_ = _inplace("exp")
    log_ = _inplace("log")
    log2_ = _inplace("log2")
    log10_ = _inplace("log10")
    log1p_ = _inplace("log1p")
    expm1_ = _inplace("expm1")
    sqrt_ = _inplace("sqrt")
    rsqrt_ = _inplace("rsqrt")
    abs_ = _inplace("abs")
    neg_ = _inplace("neg")
    sin_ = _inplace("sin")
    cos_ = _inplace("cos")
    tan_ = _inplace("tan")
    tanh_ = _inplace("tanh")
    sinh_ = _inplace("sinh")
    cosh_ = _inplace("cosh")
    asin_ = _inplace("asin")
    acos_ = _inplace("acos")
    atan_ = _inplace("atan")
    sigmoid_ = _inplace("sigmoid")
    relu_ = _inplace("relu")
    floor_ = _inplace("floor")
    ceil_ = _inplace("ceil")
    round_ = _inplace("round")
    trunc_ = _inplace("trunc")
    frac_ = _inplace("frac")
    reciprocal_ = _inplace("reciprocal")
    square_ = _inplace("square")
    fmod_ = _inplace("fmod")
    remainder_ = _inplace("remainder")
    lerp_ = _inplace("lerp")
    addcmul_ = _inplace("addcmul")
    addcdiv_ = _inplace("addcdiv")
    masked_fill_ = _inplace("masked_fill")
    scatter_ = _inplace("scatter")
    scatter_add_ = _inplace("scatter_add")
    atan2_ = _inplace("atan2")
    sign_ = _inplace("sign")
    true_divide_ = _inplace("true_divide")
    floor_divide_ = _inplace("floor_divide")
    tril_ = _inplace("tril")
    triu_ = _inplace("triu")
    cumsum_ = _inplace("cumsum")
    cumprod_ = _inplace("cumprod")
    logical_not_ = _inplace("logical_not")
    logical_and_ = _inplace("logical_and")
    logical_or_ = _inplace("logical_or")
    logical_xor_ = _inplace("logical_xor")
    bitwise_and_ = _inplace("bitwise_and")
    bitwise_or_ = _inplace("bitwise_or")
    bitwise_xor_ = _inplace("bitwise_xor")
    bitwise_not_ = _inplace("bitwise_not")
    maximum_ = _inplace("maximum")
    minimum_ = _inplace("minimum")
    multiply_ = _inplace("multiply")
    divide_ = _inplace("divide")
    subtract_ = _inplace("subtract")
    negative_ = _inplace("negative")
    addmm_ = _inplace("addmm")
    addbmm_ = _inplace("addbmm")
    addmv_ = _inplace("addmv")
    addr_ = _inplace("addr")
    baddbmm_ = _inplace("baddbmm")
    arctan2_ = _inplace("arctan2")
    index_select_ = _inplace("index_select")
    fix_ = _inplace("fix")

    # -- operators -----------------------------------------------------------------------
    __add__ = _fast_operator(B.add_p, "add")
    __radd__ = _fast_operator(B.add_p, "add", reflected=True)
    __sub__ = _fast_operator(B.sub_p, "sub")
    __rsub__ = _named_overload(B.sub_p, True, ("RsubBackward1", None, None))
    __mul__ = _fast_operator(B.mul_p, "mul")
    __rmul__ = _fast_operator(B.mul_p, "mul", reflected=True)
    __truediv__ = _fast_operator(B.div_p, "div")
    def __rtruediv__(self, other) -> Tensor:
        """``number / b`` is ``b.reciprocal() * number``, as PyTorch computes it (its
        rounding, and its graph: ``MulBackward0`` over ``ReciprocalBackward0``)."""
        return self.reciprocal() * other
    __pow__ = _named_overload(B.pow_p, False, POW_NODE_NAMES)
    __rpow__ = _named_overload(B.pow_p, True, POW_NODE_NAMES)
    __floordiv__ = _operator("floor_divide")
    __rfloordiv__ = _operator("floor_divide", reflected=True)
    __mod__ = _operator("remainder")
    __rmod__ = _operator("remainder", reflected=True)
    __matmul__ = _operator("matmul")
    __rmatmul__ = _operator("matmul", reflected=True)
    __and__ = _operator("bitwise_and")
    __rand__ = _operator("bitwise_and", reflected=True)
    __or__ = _operator("bitwise_or")
    __ror__ = _operator("bitwise_or", reflected=True)
    __xor__ = _operator("bitwise_xor")
    __rxor__ = _operator("bitwise_xor", reflected=True)
    __iadd__ = add_
    __isub__ = sub_
    __imul__ = mul_
    __itruediv__ = div_
    __ipow__ = pow_
    __ifloordiv__ = floor_divide_
    __imod__ = remainder_
    __iand__ = bitwise_and_
    __ior__ = bitwise_or_
    __ixor__ = bitwise_xor_
    __eq__ = _operator("eq")
    __ne__ = _operator("ne")
    __lt__ = _operator("lt")
    __le__ = _operator("le")
    __gt__ = _operator("gt")
    __ge__ = _operator("ge")

    def __neg__(self) -> Tensor:
        return FUNCTIONS["neg"](self)

    def __pos__(self) -> Tensor:
        return self

    def __abs__(self) -> Tensor:
        return FUNCTIONS["abs"](self)

    def __invert__(self) -> Tensor:
        return FUNCTIONS["bitwise_not"](self)

    def __hash__(self) -> int:       # defining __eq__ would otherwise unset it
        return id(self)
