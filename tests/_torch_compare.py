"""Run one snippet under PyTorch and under fgrad and compare what each prints or raises.

The snippet is written against ``torch``; it runs once with ``torch`` bound to real
PyTorch and once with ``torch`` bound to ``fgrad``. Its output (``torch.`` printed as
``fgrad.``) must be the same, and so must the exception it ends with, if any: the
same type and message (or the message's first ``error_prefix`` characters, for
messages that name internal nodes).
"""
from __future__ import annotations

import contextlib
import io
import re
import textwrap

import pytest


def run_snippet(module, src: str):
    """``(stdout, exception or None)`` of ``src`` run with ``torch`` bound to ``module``."""
    out = io.StringIO()
    env = {"torch": module, "np": __import__("numpy")}
    err = None
    with contextlib.redirect_stdout(out):
        try:
            exec(textwrap.dedent(src), env)
        except Exception as e:  # noqa: BLE001 - compared below
            err = e
    return out.getvalue(), err


def _norm(text: str) -> str:
    text = re.sub(r"\btorch(\.|::)", r"fgrad\1", text)
    return re.sub(r" at 0x[0-9a-f]+", " at 0x...", text)


def compare(src: str, error_prefix: int | None = None, error_type=True):
    """Assert ``src`` prints (and raises) the same under PyTorch and fgrad; return the
    output."""
    torch = pytest.importorskip("torch")
    import fgrad
    t_out, t_err = run_snippet(torch, src)
    f_out, f_err = run_snippet(fgrad, src)
    if t_err is None and f_err is not None:
        raise AssertionError(f"fgrad raised where PyTorch did not; printed so far:\n{f_out}") \
            from f_err
    assert _norm(f_out) == _norm(t_out), f"\ntorch:\n{t_out}\nfgrad:\n{f_out}"
    if t_err is not None:
        assert f_err is not None, f"PyTorch raised {t_err!r}; fgrad did not"
        if error_type:
            assert type(f_err).__name__ == type(t_err).__name__, (t_err, f_err)
        t_msg, f_msg = _norm(str(t_err)), _norm(str(f_err))
        if error_prefix is not None:
            t_msg, f_msg = t_msg[:error_prefix], f_msg[:error_prefix]
        assert f_msg == t_msg, f"\ntorch: {t_msg}\nfgrad: {f_msg}"
    return t_out
