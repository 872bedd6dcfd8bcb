"""``check_grads``: JAX's numerical check of a function's derivatives, for users who write
custom rules (``custom_jvp``/``custom_vjp``) or new primitives.

Forward mode: the JVP along one random tangent against central differences. Reverse
mode: the VJP of one random cotangent against the same finite-difference JVP, through
the inner product ``<J t, c> == <t, J^T c>``. Both recurse on the derivative
functions themselves up to ``order``, as ``jax.test_util.check_grads`` does.

>>> import fgrad, fgrad.numpy as fnp
>>> from fgrad.test_util import check_grads
>>> check_grads(lambda x: fnp.sin(x) * x, (fnp.asarray([0.3, 1.2]),), order=2)
"""
from __future__ import annotations

from functools import partial
from typing import Callable, Sequence

import numpy as np

from .transforms.api import jvp as _jvp, vjp as _vjp
from .tree_util import tree_leaves, tree_map

EPS = 1e-4
# JAX's default_gradient_tolerance, per dtype.
_TOLERANCE = {np.dtype(np.float16): 1e-1, np.dtype(np.float32): 2e-2,
              np.dtype(np.float64): 1e-5, np.dtype(np.complex64): 1e-2,
              np.dtype(np.complex128): 1e-5}

__all__ = ["check_grads", "check_jvp", "check_vjp"]


def _host(x) -> np.ndarray:
    return np.asarray(x)


def _tolerance(tol, leaves) -> float:
    if tol is not None:
        return tol
    return max([_TOLERANCE.get(_host(x).dtype, 1e-5) for x in leaves] or [1e-5])


def _rand_like(rng, x):
    h = _host(x)
    if h.dtype.kind not in "fc":
        raise TypeError(f"check_grads: arguments must be floating point, got dtype {h.dtype}")
    r = rng.randn(*h.shape)
    if h.dtype.kind == "c":
        r = r + 1j * rng.randn(*h.shape)
    return np.asarray(r, dtype=h.dtype)


def _axpy(a, x, y):
    """``y + a x`` leaf-wise, in the type of ``y``'s leaves (Arrays stay Arrays)."""
    return tree_map(lambda u, v: v + a * u, x, y)


def numerical_jvp(f: Callable, primals, tangents, eps: float = EPS):
    """``(f(x + eps t) - f(x - eps t)) / (2 eps)`` leaf-wise."""
    plus = f(*_axpy(eps, tangents, primals))
    minus = f(*_axpy(-eps, tangents, primals))
    return tree_map(lambda a, b: (_host(a) - _host(b)) / (2 * eps), plus, minus)


def _inner(xs, ys) -> complex:
    return sum(np.vdot(_host(x).conj(), _host(y)) if np.iscomplexobj(_host(x))
               else np.sum(_host(x) * _host(y)) for x, y in zip(tree_leaves(xs), tree_leaves(ys)))


def _check_close(got, want, atol, rtol, err_msg):
    got_l, want_l = tree_leaves(got), tree_leaves(want)
    if len(got_l) != len(want_l):
        raise AssertionError(f"{err_msg}: {len(got_l)} outputs, expected {len(want_l)}")
    a = _tolerance(atol, want_l)
    r = _tolerance(rtol, want_l)
    for g, w in zip(got_l, want_l):
        np.testing.assert_allclose(_host(g), _host(w), atol=a, rtol=r, err_msg=err_msg)


def check_jvp(f: Callable, f_jvp: Callable, args: Sequence, atol=None, rtol=None,
              eps: float = EPS, err_msg: str = "") -> None:
    """``f_jvp(args, tangents)`` against ``f`` and central differences along a random
    tangent."""
    rng = np.random.RandomState(0)
    tangent = tree_map(partial(_rand_like, rng), args)
    v_out, t_out = f_jvp(args, tangent)
    _check_close(v_out, f(*args), atol, rtol, f"{err_msg} primal")
    _check_close(t_out, numerical_jvp(f, args, tangent, eps), atol, rtol, f"{err_msg} tangent")


def check_vjp(f: Callable, f_vjp: Callable, args: Sequence, atol=None, rtol=None,
              eps: float = EPS, err_msg: str = "") -> None:
    """``f_vjp(*args) -> (out, vjp_fn)`` against ``f`` and, through inner products with a
    random tangent and cotangent, against central differences."""
    rng = np.random.RandomState(0)
    v_out, vjpfun = f_vjp(*args)
    _check_close(v_out, f(*args), atol, rtol, f"{err_msg} primal")
    tangent = tree_map(partial(_rand_like, rng), args)
    tangent_out = numerical_jvp(f, args, tangent, eps)
    cotangent = tree_map(partial(_rand_like, rng), v_out)
    cotangent_out = tree_map(np.conj, vjpfun(tree_map(np.conj, cotangent)))
    ip = _inner(tangent, cotangent_out)
    ip_expected = _inner(tangent_out, cotangent)
    _check_close(ip, ip_expected, atol, rtol, f"{err_msg} inner product <J t, c> vs <t, J^T c>")


def check_grads(f: Callable, args: Sequence, order: int, modes: Sequence[str] = ("fwd", "rev"),
                atol=None, rtol=None, eps: float | None = None) -> None:
    """Check the derivatives of ``f`` at ``args`` up to ``order`` in ``modes`` ("fwd",
    "rev") numerically; raises AssertionError naming the failing check (JAX's
    ``check_grads``). Tolerances default to JAX's per-dtype gradient tolerances.

    >>> import fgrad.numpy as fnp
    >>> check_grads(fnp.tanh, (fnp.asarray(0.5),), order=1, modes=["rev"])
    """
    args = tuple(args)
    eps = eps or EPS
    for m in modes:
        if m not in ("fwd", "rev"):
            raise ValueError(f"check_grads: modes must be 'fwd' and/or 'rev', got {m!r}")
    check_j = partial(check_jvp, atol=atol, rtol=rtol, eps=eps)
    check_v = partial(check_vjp, atol=atol, rtol=rtol, eps=eps)

    def _check(f, args, order, err_msg=""):
        if "fwd" in modes:
            fwd_msg = f"JVP of {err_msg}" if err_msg else "JVP"
            check_j(f, partial(_jvp, f), args, err_msg=fwd_msg)
            if order > 1:
                _check(partial(_jvp, f), (args, args), order - 1, fwd_msg)
        if "rev" in modes:
            rev_msg = f"VJP of {err_msg}" if err_msg else "VJP"
            check_v(f, partial(_vjp, f), args, err_msg=rev_msg)
            if order > 1:
                def f_vjp(*args):
                    out, vjp_fn = _vjp(f, *args)
                    return vjp_fn(out)
                _check(f_vjp, args, order - 1, rev_msg)

    _check(f, args, order)
