"""The one contract between the core and array-like wrapper types.

The core (``fgrad.transforms``, ``fgrad.primitives``, ``fgrad.numpy``, ``fgrad.lax``) computes
on ``Array``s and tracers. A layer that wraps them in a type of its own (the PyTorch-like
``Tensor`` is one) registers that type here, once, with four functions; every place in the core
that meets an object it does not know asks this registry and nothing else:

``unwrap(obj)``
    the Array or tracer inside ``obj``. Transforms unwrap wrapped arguments before tracing
    and unwrapped outputs of the function they transform.
``wrap(value, like)``
    ``value`` (an Array or tracer) as the wrapper type again; ``like`` is the wrapped object
    it stands for, or None. Transforms hand wrapped arguments back to the user's function
    this way, and return results the way they came in.
``bind(prim, args, params)``
    how ``bind`` applies primitive ``prim`` when one of ``args`` is of this type (the
    facade records the call on its tape, then binds the unwrapped values).
``call_jitted(jitted, fun, static_argnums, args, kwargs)`` (optional)
    a call of a ``jit``-ed function, taken over by the layer (the facade runs it as one node
    of its autograd graph), or ``NotImplemented`` to let ``jit`` compile it as usual.

Subclasses of a registered type are covered by its registration. Wrapped objects read as
arrays do (``shape``, ``dtype``, ``ndim``), since ``fgrad.numpy`` functions pass them through
``asarray`` unchanged and then ``bind`` them.

>>> from fgrad.transforms.wrappers import wrapper_type
>>> wrapper_type(list) is None
True
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

__all__ = ["WrapperType", "register_wrapper_type", "unregister_wrapper_type",
           "set_call_jitted", "wrapper_type", "jit_takeovers",
           "is_wrapped", "wrapper_types", "wrap_like"]


@dataclass(frozen=True)
class WrapperType:
    """One registered wrapper type and how the core goes in and out of it."""
    cls: type
    unwrap: Callable[[Any], Any]
    wrap: Callable[[Any, Any], Any]
    bind: Callable[[Any, tuple, dict], Any]
    call_jitted: Callable[..., Any] | None = None


_REGISTERED: dict[type, WrapperType] = {}
# the registrations with a jit takeover, which every jit call outside the fast path asks
_JIT_TAKEOVERS: list[WrapperType] = []
# type -> its WrapperType or None, for every type looked up (subclasses resolved once)
_BY_TYPE: dict[type, WrapperType | None] = {}


def register_wrapper_type(cls: type, *, unwrap: Callable, wrap: Callable, bind: Callable,
                          call_jitted: Callable | None = None) -> WrapperType:
    """Make ``cls`` (and its subclasses) acceptable wherever the core takes arrays.

    See the module docstring for what each function does. Registering a type again
    replaces its entry.
    """
    if not isinstance(cls, type):
        raise TypeError(f"register_wrapper_type: expected a class, got {cls!r}")
    entry = WrapperType(cls, unwrap, wrap, bind, call_jitted)
    _REGISTERED[cls] = entry
    _changed()
    return entry


def unregister_wrapper_type(cls: type) -> None:
    """Remove ``cls``'s registration (a no-op when it has none)."""
    _REGISTERED.pop(cls, None)
    _changed()


def set_call_jitted(cls: type, call_jitted: Callable) -> None:
    """Add the ``jit`` takeover to ``cls``'s registration (from the module that implements
    it, which usually sits above the wrapper type itself)."""
    entry = _REGISTERED.get(cls)
    if entry is None:
        raise TypeError(f"set_call_jitted: {cls.__name__} is not a registered wrapper type")
    _REGISTERED[cls] = WrapperType(cls, entry.unwrap, entry.wrap, entry.bind, call_jitted)
    _changed()


def wrapper_type(t: type) -> WrapperType | None:
    """The registration covering type ``t`` (its own or an ancestor's), or None."""
    try:
        return _BY_TYPE[t]
    except KeyError:
        entry = next((_REGISTERED[c] for c in t.__mro__ if c in _REGISTERED), None)
        _BY_TYPE[t] = entry
        return entry


def is_wrapped(x) -> bool:
    """Whether ``x`` is of a registered wrapper type."""
    try:
        return _BY_TYPE[type(x)] is not None
    except KeyError:
        return wrapper_type(type(x)) is not None


def wrapper_types() -> tuple[WrapperType, ...]:
    """Every registration, in the order they were made."""
    return tuple(_REGISTERED.values())


def jit_takeovers() -> list[WrapperType]:
    """The registrations that have a ``call_jitted`` (kept up to date, not rebuilt per call)."""
    return _JIT_TAKEOVERS


def _changed() -> None:
    _BY_TYPE.clear()
    _JIT_TAKEOVERS[:] = [w for w in _REGISTERED.values() if w.call_jitted is not None]


def wrap_like(value, like):
    """``value`` wrapped as ``like`` is (unchanged when ``like`` is not a wrapped object)."""
    entry = wrapper_type(type(like))
    return entry.wrap(value, like) if entry is not None else value
