"""The tracing core: levels, traces, tracers, symbolic zeros and ``bind``.

Modelled on JAX's autodidax. Each active transform owns a ``MainTrace`` at a
level on a per-thread stack; level 0 is evaluation. ``bind`` finds the highest
trace among its arguments, lifts the other arguments to it, lets that trace
process the primitive, and lowers the results. Values of distinct transforms
can never be confused, because a tracer knows its level.

With no transform active and no tracer argument, ``bind`` takes a fast path:
a few type checks, then the primitive's implementation on the device.
"""
from __future__ import annotations

import sys
import threading
from typing import Callable

import numpy as np

from .. import errors
from .._array import Array, wrap_raw

_new = object.__new__
from .._methods import ArrayMethods
from ..devices import CPU
from ..primitives.creation import zeros
from .wrappers import _BY_TYPE as _WRAPPER_BY_TYPE, wrapper_type

_UNSEEN = object()

SCALAR_TYPES = (int, float, bool, complex)
_SCALAR_TYPE_SET = frozenset(SCALAR_TYPES)


# ---------------------------------------------------------------- levels ---
class MainTrace:
    """One transform's entry on the trace stack."""

    __slots__ = ("level", "trace_type", "global_data", "active", "trace", "transform", "undo")

    def __init__(self, level, trace_type, global_data=None, transform=None):
        self.undo = None
        self.level = level
        self.trace_type = trace_type
        self.global_data = global_data
        self.active = True
        self.transform = transform or trace_type.transform_name
        self.trace = trace_type(self)

    def __repr__(self):
        return f"MainTrace({self.level}, {self.transform})"


class _TraceState(threading.local):
    def __init__(self):
        self.stack: list[MainTrace] = [MainTrace(0, EvalTrace)]
        self.dynamic: MainTrace | None = None   # a staging trace that sees every op


_state: _TraceState  # created below, once EvalTrace exists


class new_main:
    """Push a new transform level for the duration of a ``with`` block (yields its
    ``MainTrace``). A class rather than a generator: every transform call enters one."""

    __slots__ = ("main", "prev_dynamic", "dynamic")

    def __init__(self, trace_type, global_data=None, transform=None, dynamic=False):
        stack = _state.stack
        self.main = MainTrace(len(stack), trace_type, global_data, transform)
        self.dynamic = dynamic

    def __enter__(self) -> MainTrace:
        main = self.main
        _state.stack.append(main)
        self.prev_dynamic = _state.dynamic
        if self.dynamic:
            _state.dynamic = main
        return main

    def __exit__(self, exc_type, exc, tb):
        main = self.main
        main.active = False
        main.trace = None            # break the main <-> trace cycle so graphs die promptly
        _state.dynamic = self.prev_dynamic
        _state.stack.pop()
        undo, main.undo = main.undo, None
        if undo:
            for fn in reversed(undo):
                fn()
        if exc_type is RecursionError and main.level == 1 and exc.args:
            exc.args = (errors.nesting_too_deep(str(exc.args[0]), sys.getrecursionlimit()),)
        return False


def undo_on_exit(fn: Callable[[], None]) -> None:
    """Run ``fn`` when the innermost active transform returns or raises.

    Transforms are functional: a wrapper that stores a traced value into an object that
    outlives the transform (the facade writing into a tensor in place) registers here
    how to put the old value back, so that no tracer escapes (JAX would leak it)."""
    main = _state.stack[-1]
    if main.level:
        if main.undo is None:
            main.undo = []
        main.undo.append(fn)


def current_level() -> int:
    return len(_state.stack) - 1


def transforms_active() -> bool:
    return len(_state.stack) > 1


def staging_active() -> bool:
    """Whether a function is being staged into a program (``jit``, ``make_jaxpr``, a
    ``lax`` body): values computed from host state now are constants of that program."""
    return _state.dynamic is not None


# ---------------------------------------------------------------- avals ----
class ShapedArray:
    """The abstract value of an array: shape and dtype (and device, for zeros)."""

    __slots__ = ("shape", "dtype", "device")

    def __init__(self, shape, dtype, device=None):
        self.shape = shape if type(shape) is tuple else tuple(shape)
        self.dtype = dtype if isinstance(dtype, np.dtype) else np.dtype(dtype)
        self.device = device or CPU

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        return int(np.prod(self.shape, dtype=np.int64))

    def __eq__(self, other):
        return (type(other) is ShapedArray and self.shape == other.shape
                and self.dtype == other.dtype)

    def __hash__(self):
        return hash((self.shape, self.dtype))

    def str_short(self):
        return f"{self.dtype.name}[{','.join(map(str, self.shape))}]"

    def __repr__(self):
        return f"ShapedArray({self.str_short()})"


def aval_of(x) -> ShapedArray:
    """The abstract value of an Array, tracer, NumPy array or Python scalar.

    Avals are immutable and shared: one object per (shape, dtype, device), so the
    residual records a traced program keeps add no objects for the garbage collector
    to scan (reverse mode keeps one per unsaved input of every node).
    """
    if type(x) is Array:               # the hot case: no checks needed
        v = x._value
        return shared_aval(v.shape, v.dtype, x._device)
    if isinstance(x, Tracer):
        return x.aval
    aval = _SCALAR_AVALS.get(type(x))
    if aval is not None:
        return aval
    a = np.asarray(x)
    return ShapedArray(a.shape, a.dtype)


def shared_aval(shape: tuple, dtype: np.dtype, device) -> ShapedArray:
    """The one ShapedArray of (``shape``, ``dtype``, ``device``)."""
    key = (shape, dtype, device)
    aval = _AVALS.get(key)
    if aval is None:
        if len(_AVALS) >= _MAX_AVALS:  # a program of ever-new shapes: start over
            _AVALS.clear()
        aval = _AVALS[key] = _new(ShapedArray)
        aval.shape, aval.dtype, aval.device = key
    return aval


_AVALS: dict = {}
_MAX_AVALS = 4096
_SCALAR_AVALS = {t: ShapedArray((), np.result_type(t(0))) for t in SCALAR_TYPES}


def is_differentiable_dtype(dtype) -> bool:
    if not isinstance(dtype, np.dtype):
        dtype = np.dtype(dtype)
    return dtype.kind in "fc"


class Zero:
    """A symbolic zero tangent or cotangent: known to be zero, never materialised."""

    __slots__ = ("aval",)

    def __init__(self, aval: ShapedArray):
        self.aval = aval

    @classmethod
    def like(cls, x) -> "Zero":
        return cls(aval_of(x))

    def __repr__(self):
        return f"Zero({self.aval.str_short()})"


def instantiate(t):
    """Materialise a symbolic Zero as an array of zeros; anything else unchanged."""
    if type(t) is Zero:
        dtype = t.aval.dtype if is_differentiable_dtype(t.aval.dtype) else np.float32
        return zeros(t.aval.shape, dtype, t.aval.device)
    return t


# ---------------------------------------------------------------- traces ---
class Trace:
    """How one transform interprets primitives applied to its tracers."""

    transform_name = "?"
    # True if ``process_primitive`` accepts plain Arrays and scalars among its tracers
    # (constants of this transform), which then skip being wrapped as tracers.
    takes_constants = False
    __slots__ = ("main",)

    def __init__(self, main: MainTrace):
        self.main = main

    def pure(self, val):
        raise NotImplementedError

    lift = pure

    # Custom rules (fgrad/transforms/custom.py): by default, run the function itself.
    def process_custom_jvp_call(self, fun, jvp, tracers):
        return fun(*tracers)

    def process_custom_vjp_call(self, fun, fwd, bwd, forward_mode_ok, tracers):
        return fun(*tracers)

    def process_primitive(self, prim, tracers, params) -> list:
        raise NotImplementedError


class EvalTrace(Trace):
    """Level 0: apply the primitive's implementation to concrete values."""

    transform_name = "eval"

    def pure(self, val):
        return val

    lift = pure

    def process_primitive(self, prim, values, params):
        out = eval_primitive(prim, values, params)
        return list(out) if prim.multiple_results else [out]


_state = _TraceState()


class Tracer(ArrayMethods):
    """A value being traced by a transform. Subclasses add their payload."""

    __slots__ = ("_trace",)
    __array_priority__ = 1000
    __hash__ = None  # like arrays: not hashable

    @property
    def aval(self) -> ShapedArray:
        raise NotImplementedError

    @property
    def shape(self):
        return self.aval.shape

    @property
    def dtype(self):
        return self.aval.dtype

    @property
    def ndim(self):
        return len(self.aval.shape)

    @property
    def size(self):
        return self.aval.size

    @property
    def device(self):
        return self.aval.device

    def full_lower(self):
        return self

    def concrete_value(self, what: str):
        """The concrete Array behind this tracer, or a ConcretizationTypeError."""
        raise errors.concretization(self._trace.main.transform, what, self.shape, self.dtype)

    # Python protocols that need a concrete value
    def __bool__(self):
        return bool(self.concrete_value("bool()"))

    def __float__(self):
        return float(self.concrete_value("float()"))

    def __int__(self):
        return int(self.concrete_value("int()"))

    def __index__(self):
        return self.concrete_value("__index__()").__index__()

    def __complex__(self):
        return complex(self.concrete_value("complex()"))

    def item(self):
        return self.concrete_value("item()").item()

    def tolist(self):
        return self.concrete_value("tolist()").tolist()

    def __array__(self, dtype=None, copy=None):
        raise errors.array_conversion(self._trace.main.transform, self.shape, self.dtype)

    def __setitem__(self, idx, value):
        raise errors.immutable(type(self).__name__)

    def __len__(self):
        if not self.shape:
            raise TypeError("len() of unsized object")
        return self.shape[0]

    def __iter__(self):
        if not self.shape:
            raise TypeError("iteration over a 0-d array")
        return (self[i] for i in range(self.shape[0]))

    def __repr__(self):
        return f"{type(self).__name__}<{self.aval.str_short()}, {self._trace.main.transform}>"


class PrimalTracer(Tracer):
    """A tracer carrying a ``primal`` value: its shape and dtype are the primal's."""

    __slots__ = ("primal",)

    @property
    def aval(self) -> ShapedArray:
        return aval_of(self.primal)

    @property
    def shape(self):
        p = self.primal
        return p.shape if isinstance(p, (Array, Tracer)) else ()

    @property
    def dtype(self):
        p = self.primal
        return p.dtype if isinstance(p, (Array, Tracer)) else aval_of(p).dtype

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def device(self):
        p = self.primal
        return p.device if isinstance(p, (Array, Tracer)) else CPU

    def concrete_value(self, what):
        p = self.primal
        return p.concrete_value(what) if isinstance(p, Tracer) else p


def _on_this_thread(main: MainTrace) -> bool:
    """Whether ``main`` is on this thread's trace stack (an active transform always is on
    its own thread's: a tracer of another thread's running transform is not)."""
    stack = _state.stack
    return main.level < len(stack) and stack[main.level] is main


def _dead_tracer_error(main: MainTrace):
    if main.active:
        return errors.foreign_thread_tracer(main.transform)
    return errors.escaped_tracer(main.transform)


def _top_main(xs) -> tuple[MainTrace, bool, bool, int]:
    """One pass over a call's arguments ``xs``: the main trace the call runs on -- the
    highest among their tracers', the staging trace when it is higher, evaluation when
    there are none -- whether values of other transforms must be raised to it, whether
    Arrays or Python scalars are among ``xs``, and the position of the first argument that
    is none of these (wrapped or foreign data; -1 if none). A tracer whose transform has ended or runs on another thread is an error."""
    top = None
    top_level = 0
    mixed = constants = False
    foreign = -1
    for i, x in enumerate(xs):
        if type(x) in _TRACEABLE_TYPES:
            constants = True
        elif isinstance(x, Tracer):
            main = x._trace.main
            if main is top:
                continue
            if not main.active or not _on_this_thread(main):
                raise _dead_tracer_error(main)
            if top is not None:
                mixed = True
            if main.level > top_level:
                top, top_level = main, main.level
        elif foreign < 0:
            foreign = i
    dyn = _state.dynamic
    if dyn is not None and dyn.level > top_level:
        return dyn, True, constants, foreign
    return (top if top is not None else _state.stack[0]), mixed, constants, foreign


def find_top_trace(xs) -> Trace:
    """The trace a call with arguments ``xs`` runs on (see ``_top_main``)."""
    return _top_main(xs)[0].trace


def full_raise(trace: Trace, val):
    if not isinstance(val, Tracer):
        return trace.pure(val)
    main = val._trace.main
    if main is trace.main:
        return val
    if main.level < trace.main.level:
        return trace.lift(val)
    raise errors.escaped_tracer(main.transform)


def full_lower(val):
    return val.full_lower() if isinstance(val, Tracer) else val


# ---------------------------------------------------------------- bind -----
def bind(prim, *args, **params):
    """Apply primitive ``prim`` to ``args``: the one entry point of every op."""
    dev = None
    vals = []
    for a in args:
        t = type(a)
        if t is Array:
            d = a._device
            if dev is None:
                dev = d
            elif d is not dev:
                raise errors.device_mismatch(prim.name, dev, d)
            vals.append(a._value)
        elif t in _SCALAR_TYPE_SET:
            vals.append(a)
        else:
            wrapper = _WRAPPER_BY_TYPE.get(t, _UNSEEN)
            if wrapper is _UNSEEN:
                wrapper = wrapper_type(t)
            if wrapper is not None:    # a registered wrapper type applies the call itself
                return wrapper.bind(prim, args, params)
            return _bind_general(prim, args, params)
    if _state.dynamic is not None:
        return _bind_general(prim, args, params)
    dev = dev or CPU
    fn = prim.backend_fn
    if fn is not None and not params:      # the hottest path: one backend call
        try:
            out = getattr(dev.xp, fn)(*vals)
        except Exception:
            return prim.apply(dev, vals, args, params)   # the same call, with a clear error
        obj = _new(Array)
        obj._value = out
        obj._device = dev
        return obj
    return prim.apply(dev, vals, args, params)


def _bind_general(prim, args, params):
    """``bind`` with a tracer, a wrapped object or data to convert among ``args``: a
    wrapper type applies the call itself; otherwise the call runs on the top trace, and
    only values foreign to it are raised."""
    top, mixed, constants, foreign = _top_main(args)
    if foreign >= 0:
        converted = list(args)
        for i in range(foreign, len(args)):
            a = args[i]
            t = type(a)
            if t in _TRACEABLE_TYPES or isinstance(a, Tracer):
                continue
            wrapper = wrapper_type(t)
            if wrapper is not None:    # a registered wrapper type applies the call itself
                return wrapper.bind(prim, args, params)
            if t is list or t is tuple:    # JAX's rule: convert with fnp.asarray first
                raise TypeError(f"{prim.name} requires ndarray or scalar arguments, got {t} "
                                f"at position {i}.")
            converted[i] = canonicalize(a)
        args, constants = converted, True
    trace = top.trace
    if mixed or constants and not trace.takes_constants:
        if trace.takes_constants:      # Arrays and scalars go in as they are
            tracers = [a if type(a) in _TRACEABLE_TYPES
                       or isinstance(a, Tracer) and a._trace.main is top else full_raise(trace, a)
                       for a in args]
        else:
            tracers = [a if isinstance(a, Tracer) and a._trace.main is top
                       else full_raise(trace, a) for a in args]
    else:
        tracers = args
    outs = trace.process_primitive(prim, tracers, params)
    if prim.multiple_results:
        return tuple(full_lower(o) for o in outs)
    out = outs[0]
    return out.full_lower() if isinstance(out, Tracer) else out


_TRACEABLE_TYPES = frozenset((Array,) + SCALAR_TYPES)


def canonicalize(x):
    """Arrays, tracers and Python scalars as they are; NumPy data as an Array."""
    if isinstance(x, (Array, Tracer)) or type(x) in _SCALAR_TYPE_SET:
        return x
    if isinstance(x, (np.ndarray, np.generic, list, tuple)):
        host = np.asarray(x)
        if host.dtype.kind in errors.NON_NUMERIC_KINDS:
            raise errors.non_numeric(x, host.dtype)
        return wrap_raw(host, CPU)
    raise TypeError(f"fgrad cannot use a value of type {type(x).__name__} as an array")


def _identity_wrap(value):
    return value


def to_value(x):
    """A leaf of a transform's arguments as an Array or tracer, plus the function that wraps
    results like it (a registered wrapper type's ``wrap``; the identity otherwise)."""
    if isinstance(x, (Array, Tracer)):
        return x, _identity_wrap
    wrapper = wrapper_type(type(x))
    if wrapper is not None:
        wrap = wrapper.wrap
        return wrapper.unwrap(x), lambda v, like=x: wrap(v, like)
    if isinstance(x, (bool, int, float, complex, np.ndarray, np.generic)):
        return wrap_raw(np.asarray(x), CPU), _identity_wrap
    raise TypeError(f"argument of type {type(x).__name__} is not a valid fgrad type "
                    "(expected an Array, NumPy array, Python scalar, a registered wrapper "
                    "such as Tensor, or a pytree of them)")


def from_output(x):
    """A leaf of a transformed function's output as an Array or tracer (wrapper types
    unwrapped, scalars and NumPy data converted)."""
    if isinstance(x, (Array, Tracer)):
        return x
    wrapper = wrapper_type(type(x))
    if wrapper is not None:
        return wrapper.unwrap(x)
    if isinstance(x, (bool, int, float, complex, np.ndarray, np.generic)):
        return wrap_raw(np.asarray(x), CPU)
    raise TypeError(f"a function being transformed returned a value of type "
                    f"{type(x).__name__}, which is not an array")


def eval_primitive(prim, args, params):
    """Evaluate ``prim`` on concrete Arrays and scalars (the level-0 trace)."""
    dev = None
    vals = []
    for a in args:
        if type(a) is Array:
            if dev is None:
                dev = a._device
            elif a._device is not dev:
                raise errors.device_mismatch(prim.name, dev, a._device)
            vals.append(a._value)
        else:
            vals.append(a)
    return prim.apply(dev or CPU, vals, args, params)
