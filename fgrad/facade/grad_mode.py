"""Grad mode for the facade: ``no_grad``, ``enable_grad``, ``set_grad_enabled``.

Per thread, as in PyTorch. Only the facade's ``Tensor`` autograd looks at it;
the functional transforms (``fgrad.grad`` ...) are unaffected.
"""
from __future__ import annotations

import functools
import threading


class _GradState(threading.local):
    enabled = True


_state = _GradState()


def is_grad_enabled() -> bool:
    """Whether operations on tensors are being recorded for ``backward()``.

    >>> import fgrad
    >>> with fgrad.no_grad():
    ...     print(fgrad.is_grad_enabled())
    False
    """
    return _state.enabled


class _GradModeContext:
    """Base of the grad-mode context managers; each also works as a decorator."""

    mode: bool

    def __enter__(self):
        self._prev = _state.enabled
        _state.enabled = self.mode

    def __exit__(self, *exc):
        _state.enabled = self._prev
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.clone():
                return fn(*args, **kwargs)
        return wrapper

    def clone(self):
        return type(self)()


class _NoParamContext(_GradModeContext):
    """A grad-mode context manager that also decorates bare (``@no_grad``, no call)."""

    def __new__(cls, orig_func=None):
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)


class no_grad(_NoParamContext):
    """Disable gradient recording (context manager and decorator).

    >>> import fgrad
    >>> x = fgrad.tensor([1.0], requires_grad=True)
    >>> with fgrad.no_grad():
    ...     y = x * 2
    >>> y.requires_grad
    False
    """

    mode = False


class enable_grad(_NoParamContext):
    """Enable gradient recording inside a ``no_grad`` block (context manager and decorator).

    >>> import fgrad
    >>> with fgrad.no_grad():
    ...     with fgrad.enable_grad():
    ...         print(fgrad.is_grad_enabled())
    True
    """

    mode = True


class set_grad_enabled(_GradModeContext):
    """Set grad mode: as a function it takes effect at once; as a context manager it is
    restored on exit.

    >>> import fgrad
    >>> with fgrad.set_grad_enabled(False):
    ...     print(fgrad.is_grad_enabled())
    False
    >>> fgrad.is_grad_enabled()
    True
    """

    def __init__(self, mode: bool):
        self.mode = bool(mode)
        self._prev = _state.enabled
        _state.enabled = self.mode

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        _state.enabled = self._prev
        return False

    def __call__(self, fn):
        _state.enabled = self._prev     # as a decorator, the mode applies inside fn only
        return super().__call__(fn)

    def clone(self):
        return set_grad_enabled(self.mode)


class inference_mode(no_grad):
    """Like ``no_grad`` (fgrad has no separate inference tensors)."""

    def __new__(cls, mode=True):
        if isinstance(mode, bool):
            return object.__new__(cls)
        return cls()(mode)

    def __init__(self, mode: bool = True):
        self.mode = not mode

    def clone(self):
        return inference_mode(not self.mode)
