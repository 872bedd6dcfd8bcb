"""The one table-driven checker every primitive's spec rows run through.

``check_spec(spec, args, rng)`` takes one ``Spec`` row (``tests/specs``), one
draw of its arguments (NumPy arrays, float64 for the differentiable ones) and
a NumPy ``Generator`` for random directions, and checks (DESIGN.md, "Tests
that every primitive gets"):

1. the value against the NumPy reference, on ``cpu`` and on the stand-in
   device (whose arrays are not NumPy arrays, so a NumPy-only call fails);
2. the JVP against float64 central finite differences along a random
   direction, and the VJP against the same directional derivative;
3. ``<v, J u> == <J^T v, u>``;
4. second order: forward-over-reverse, reverse-over-reverse,
   forward-over-forward and reverse-over-forward of ``<v, J u>`` against
   finite differences of the first-order rule (``spec.second_order``);
5. ``vmap(fn)`` against stacking ``fn`` over a batch, each argument batched
   in turn at axis 0 and at another (positive or negative) axis, and all
   together (``spec.vmap``);
6. ``nondiff`` rows: the tangent and cotangent are symbolic zeros, and the
   outputs are integer/boolean (or a float whose finite difference is 0).

It also holds the Hypothesis strategies spec rows draw their arguments with.
"""
from __future__ import annotations

import itertools
import os

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import fgrad
import fgrad.numpy as fnp
from fgrad.devices import CPU, get as _get_device
from fgrad.transforms.core import Zero
from fgrad.transforms.jvp import jvp_flat
from fgrad.transforms.reverse import vjp_flat

# The second device every value and derivative is re-checked on: the stand-in by
# default (its arrays are not NumPy arrays); FGRAD_TEST_DEVICE=cuda on a GPU machine.
STANDIN = _get_device(os.environ.get("FGRAD_TEST_DEVICE", "standin"))

BATCH = 3          # vmap batch size
SECOND_EPS = 1e-5  # finite-difference step for the second-order checks
# On a real accelerator the second device runs other kernels than NumPy (other
# summation orders, its own libm, cuSOLVER/cuBLAS), so its results agree with
# cpu's only to rounding: this many ulps of the dtype, relative to each entry and,
# for entries that cancel to about 0 (a dot product, pinv, a symmetrized eigh),
# absolute on the scale of the terms that cancelled (see ``_device_close``).
DEVICE_ULPS = 256
# Primitives whose zero derivative is a definition, not a fact finite differences can check.
ZERO_BY_DEFINITION = {"stop_gradient"}


# =============================================================== strategies ==
def shapes(min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int = 4):
    """Array shapes (a Hypothesis strategy)."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                            max_side=max_side)


_salts = itertools.count(1)


def _seeded(shape, salt):
    """(shape, Generator) pairs; ``salt`` makes two strategies drawing the same seed differ."""
    shape_st = shape if isinstance(shape, st.SearchStrategy) else st.just(tuple(shape))
    return st.tuples(shape_st, st.integers(0, 2 ** 32 - 1)).map(
        lambda sv: (sv[0], np.random.default_rng([sv[1], salt])))


def _uniform(r, shape, lo, hi, avoid, margin, dtype):
    """Uniform values in [lo, hi] kept ``margin`` away from every point of ``avoid``."""
    x = r.uniform(lo, hi, size=shape)
    for p in avoid:
        near = np.abs(x - p) < margin
        # push to the nearer side, staying in [lo, hi] where there is room
        side = np.where(x >= p, 1.0, -1.0)
        side = np.where((p + side * margin > hi) | (p + side * margin < lo), -side, side)
        x = np.where(near, p + side * (margin + r.uniform(0, margin, size=shape)), x)
    return np.asarray(x, dtype=dtype)


def floats(shape, lo: float = -2.0, hi: float = 2.0, avoid=(), margin: float = 0.05,
           dtype=np.float64):
    """A strategy of float arrays of ``shape`` (a tuple or a shape strategy), uniform
    in [lo, hi] and at least ``margin`` away from the kinks in ``avoid``.

    Values come from a seeded NumPy generator rather than Hypothesis' float
    strategy, so that they are almost surely distinct (no ties at ``maximum``
    or ``max``) and off the kinks: finite differences are meaningful.
    """
    return _seeded(shape, next(_salts)).map(
        lambda sr: _uniform(sr[1], sr[0], lo, hi, tuple(avoid), margin, dtype))


def ints(shape, lo: int = -5, hi: int = 5, dtype=np.int64):
    """A strategy of integer arrays of ``shape`` (tuple or strategy) in [lo, hi]."""
    return _seeded(shape, next(_salts)).map(
        lambda sr: sr[1].integers(lo, hi + 1, size=sr[0]).astype(dtype))


def bools(shape):
    """A strategy of boolean arrays of ``shape`` (tuple or strategy)."""
    return _seeded(shape, next(_salts)).map(lambda sr: sr[1].random(size=sr[0]) < 0.5)


def broadcastable(n: int = 2, min_dims: int = 0, max_dims: int = 3, max_side: int = 3):
    """``n`` mutually broadcastable shapes (a strategy of a tuple of shapes)."""
    return hnp.mutually_broadcastable_shapes(num_shapes=n, min_dims=min_dims,
                                             max_dims=max_dims, max_side=max_side).map(
        lambda bs: bs.input_shapes)


# ================================================================= helpers ==
def _as_tuple(out):
    return tuple(out) if isinstance(out, (tuple, list)) else (out,)


def _host(x) -> np.ndarray:
    """A NumPy copy of an Array (from any device) or scalar."""
    if isinstance(x, fgrad.Array) and x.device is not CPU:
        x = fgrad.device_put(x, "cpu")
    return np.array(x)


def _is_float(dtype) -> bool:
    return np.dtype(dtype).kind in "fc"


def _close(actual, desired, rtol, atol, what):
    actual, desired = np.asarray(actual), np.asarray(desired)
    assert actual.shape == desired.shape, f"{what}: shape {actual.shape} != {desired.shape}"
    np.testing.assert_allclose(actual, desired, rtol=rtol, atol=atol, equal_nan=True,
                               err_msg=what)


def _device_close(actual, desired, rtol, atol, what):
    """``_close`` for a second-device value against cpu's.

    The stand-in forwards to NumPy, so it must agree to ``rtol``/``atol``. A real
    device agrees to ``DEVICE_ULPS`` ulps of the dtype: relative per entry, and
    absolute on the scale of the terms an entry was summed from, since rounding
    in a sum that cancels is eps times its terms, not its result (and a
    backward-stable algorithm's error is bounded by the norm of its result). That
    scale is the largest entry, or 1: the checker's arguments and directions are
    O(1), and so are the terms of whatever sums the primitives form of them.
    """
    desired = np.asarray(desired)
    if STANDIN.platform != "standin" and _is_float(desired.dtype):
        eps = float(np.finfo(desired.dtype).eps)
        finite = np.abs(desired[np.isfinite(desired)])
        big = max(1.0, float(finite.max()) if finite.size else 0.0)
        rtol = max(rtol, DEVICE_ULPS * eps)
        atol = max(atol, DEVICE_ULPS * eps * big)
    _close(actual, desired, rtol, atol, what)


def _dot(a, b) -> float:
    return float(np.sum(np.asarray(a, np.float64) * np.asarray(b, np.float64)))


def _scalar_close(a, b, scale, rtol, atol, what):
    assert abs(a - b) <= atol + rtol * scale, (
        f"{what}: {a!r} != {b!r} (|diff| {abs(a - b):.3g}, allowed {atol + rtol * scale:.3g})")


def _diff_argnums(spec, args):
    if spec.diff_argnums is not None:
        return tuple(spec.diff_argnums)
    return tuple(i for i, a in enumerate(args) if np.asarray(a).dtype.kind == "f")


def _fn_of_diff(spec, arrays, dnums):
    """``fn`` as a function of the differentiated arguments only, returning a tuple."""
    def f(*dargs):
        full = list(arrays)
        for i, d in zip(dnums, dargs):
            full[i] = d
        return _as_tuple(spec.fn(*full))
    return f


def _dtol(spec, factor=10.0):
    """Tolerances for derivatives vs finite differences (which are only ~1e-9 accurate)."""
    return max(spec.rtol, 1e-6) * factor, max(spec.atol, 1e-7) * factor


def _label(spec):
    return f"{spec.prim}[{spec.id}]" if spec.id else spec.prim


# ================================================================== checks ==
def check_value(spec, args):
    """(1) value vs the NumPy reference, on cpu and on the stand-in device."""
    name = _label(spec)
    arrays = [fnp.asarray(a) for a in args]
    outs = _as_tuple(spec.fn(*arrays))
    if spec.ref is not None:
        refs = _as_tuple(spec.ref(*[np.array(a) for a in args]))
        assert len(outs) == len(refs), f"{name}: {len(outs)} outputs, reference has {len(refs)}"
        for k, (o, r) in enumerate(zip(outs, refs)):
            assert isinstance(o, fgrad.Array), f"{name}: output {k} is a {type(o).__name__}"
            r = np.asarray(r)
            assert o.dtype == r.dtype, f"{name}: output {k} has dtype {o.dtype}, NumPy gives {r.dtype}"
            _close(_host(o), r, spec.rtol, spec.atol, f"{name}: value of output {k}")
    # the same call with every argument on the stand-in device
    on_standin = [fgrad.device_put(a, STANDIN) for a in arrays]
    s_outs = _as_tuple(spec.fn(*on_standin))
    assert len(s_outs) == len(outs)
    for k, (s, o) in enumerate(zip(s_outs, outs)):
        if spec.prim != "device_put":   # device_put rows choose their outputs' device
            assert s.device is STANDIN, f"{name}: output {k} on {s.device}, expected the stand-in"
        assert s.dtype == o.dtype and s.shape == o.shape, f"{name}: stand-in output {k} differs"
        _device_close(_host(s), _host(o), 1e-12, 0, f"{name}: stand-in value of output {k}")
    return outs


def _fd(f, xs, us, eps):
    """Central difference of ``f`` (a tuple of outputs) at ``xs`` along ``us``."""
    plus = f(*[fnp.asarray(x + eps * u) for x, u in zip(xs, us)])
    minus = f(*[fnp.asarray(x - eps * u) for x, u in zip(xs, us)])
    return [(_host(p).astype(np.float64) - _host(m).astype(np.float64)) / (2 * eps)
            for p, m in zip(plus, minus)]


def _directions(rng, xs):
    return [rng.standard_normal(np.shape(x)) for x in xs]


def _cotangents(rng, outs):
    return [rng.standard_normal(o.shape) if _is_float(o.dtype) else np.zeros(o.shape, o.dtype)
            for o in outs]


def check_first_order(spec, args, rng):
    """(2) JVP and VJP vs central differences and (3) ``<v, J u> == <J^T v, u>``."""
    name = _label(spec)
    dnums = _diff_argnums(spec, args)
    if not dnums:
        return
    arrays = [fnp.asarray(a) for a in args]
    xs = [np.asarray(args[i], np.float64) for i in dnums]
    f = _fn_of_diff(spec, arrays, dnums)
    us = _directions(rng, xs)
    fd = _fd(f, xs, us, spec.fd_eps)
    outs, tans = fgrad.jvp(f, tuple(fnp.asarray(x) for x in xs), tuple(fnp.asarray(u) for u in us))
    vs = _cotangents(rng, outs)
    outs2, pullback = fgrad.vjp(f, *[fnp.asarray(x) for x in xs])
    cts = pullback(tuple(fgrad.device_put(fnp.asarray(v), o.device) for v, o in zip(vs, outs2)))
    assert len(cts) == len(xs)
    rtol, atol = _dtol(spec)
    jvp_dot = fd_dot = scale = 0.0
    for k, (o, t, d, v) in enumerate(zip(outs, tans, fd, vs)):
        if not _is_float(o.dtype):
            continue
        assert t.shape == o.shape, f"{name}: tangent of output {k} has shape {t.shape}, not {o.shape}"
        _close(_host(t), d, rtol, atol, f"{name}: JVP of output {k} vs finite differences")
        jvp_dot += _dot(v, _host(t))
        fd_dot += _dot(v, d)
        scale += _dot(np.abs(v), np.abs(d))
    vjp_dot = 0.0
    for i, (c, x, u) in enumerate(zip(cts, xs, us)):
        assert c.shape == x.shape, f"{name}: cotangent {i} has shape {c.shape}, input {x.shape}"
        assert c.dtype == np.asarray(args[dnums[i]]).dtype, (
            f"{name}: cotangent {i} has dtype {c.dtype}, input {np.asarray(args[dnums[i]]).dtype}")
        vjp_dot += _dot(_host(c), u)
    n = sum(np.size(v) for v in vs)
    _scalar_close(vjp_dot, fd_dot, scale, rtol, atol * max(n, 1),
                  f"{name}: <J^T v, u> vs finite differences")
    _scalar_close(jvp_dot, vjp_dot, scale, max(1e-9, spec.rtol / 10), 1e-12 * max(n, 1),
                  f"{name}: <v, J u> vs <J^T v, u>")
    # the same derivatives with every argument on the stand-in device
    s_arrays = [fgrad.device_put(a, STANDIN) for a in arrays]
    fs = _fn_of_diff(spec, s_arrays, dnums)
    sx = [s_arrays[i] for i in dnums]
    _, s_tans = fgrad.jvp(fs, tuple(sx), tuple(fgrad.device_put(fnp.asarray(u), STANDIN) for u in us))
    _, s_pull = fgrad.vjp(fs, *sx)
    s_cts = s_pull(tuple(fgrad.device_put(fnp.asarray(v), STANDIN) for v in vs))
    for k, (st_, t) in enumerate(zip(s_tans, tans)):
        if _is_float(outs[k].dtype):
            _device_close(_host(st_), _host(t), 1e-10, 1e-12, f"{name}: stand-in JVP of output {k}")
    for i, (sc, c) in enumerate(zip(s_cts, cts)):
        assert sc.device is STANDIN, f"{name}: stand-in cotangent {i} is on {sc.device}"
        _device_close(_host(sc), _host(c), 1e-10, 1e-12, f"{name}: stand-in VJP of input {i}")


def check_second_order(spec, args, rng):
    """(4) the rules differentiate again: four second-order modes vs finite differences."""
    name = _label(spec)
    dnums = _diff_argnums(spec, args)
    if not dnums:
        return
    arrays = [fnp.asarray(a) for a in args]
    xs = [np.asarray(args[i], np.float64) for i in dnums]
    f = _fn_of_diff(spec, arrays, dnums)
    outs = f(*[fnp.asarray(x) for x in xs])
    us = [fnp.asarray(u) for u in _directions(rng, xs)]
    vs = [fgrad.device_put(fnp.asarray(v), o.device) for v, o in zip(_cotangents(rng, outs), outs)]
    ws = _directions(rng, xs)
    float_out = [_is_float(o.dtype) for o in outs]
    if not any(float_out):
        return

    def h_rev(*x):      # <J(x)^T v, u>, through the VJP rules
        _, pull = fgrad.vjp(f, *x)
        return sum(fnp.sum(c * u) for c, u in zip(pull(tuple(vs)), us))

    def h_fwd(*x):      # <v, J(x) u>, through the JVP rules
        _, t = fgrad.jvp(f, tuple(x), tuple(us))
        return sum(fnp.sum(tk * vk) for tk, vk, fl in zip(t, vs, float_out) if fl)

    fd = _fd(lambda *x: (h_rev(*x),), xs, ws, SECOND_EPS)[0]
    fd_f = _fd(lambda *x: (h_fwd(*x),), xs, ws, SECOND_EPS)[0]
    X = tuple(fnp.asarray(x) for x in xs)
    W = tuple(fnp.asarray(w) for w in ws)
    argnums = tuple(range(len(xs)))
    scale = abs(float(fd)) + 1.0
    rtol, atol = _dtol(spec, 100.0)
    for label, h, ref in (("reverse", h_rev, fd), ("forward", h_fwd, fd_f)):
        _, fwd = fgrad.jvp(h, X, W)
        _scalar_close(float(fwd), float(ref), scale, rtol, atol,
                      f"{name}: forward-over-{label} vs finite differences of the {label} rule")
        g = fgrad.grad(h, argnums=argnums)(*X)
        rev = sum(_dot(_host(gi), w) for gi, w in zip(g, ws))
        _scalar_close(rev, float(ref), scale, rtol, atol,
                      f"{name}: reverse-over-{label} vs finite differences of the {label} rule")


def _batch_of(rng, a, n=BATCH):
    """``n`` variations of ``a``: permutations of its values (so they stay in its domain)."""
    a = np.asarray(a)
    flat = a.reshape(-1)
    return [flat[rng.permutation(flat.size)].reshape(a.shape) if k else a.copy()
            for k in range(n)]


def check_vmap(spec, args, rng):
    """(5) ``vmap(fn)`` == stacking ``fn`` over the batch, per in_axes configuration."""
    name = _label(spec)
    n = len(args)
    batches = [_batch_of(rng, a) for a in args]

    def run(batched, axes):
        in_axes = []
        call = []
        for i in range(n):
            if i in batched:
                ax = axes[i]
                call.append(fnp.asarray(np.stack(batches[i], axis=ax)))
                in_axes.append(ax)
            else:
                call.append(fnp.asarray(args[i]))
                in_axes.append(None)
        got = _as_tuple(fgrad.vmap(spec.fn, in_axes=tuple(in_axes))(*call))
        per = [_as_tuple(spec.fn(*[fnp.asarray(batches[i][k] if i in batched else args[i])
                                   for i in range(n)])) for k in range(BATCH)]
        assert len(got) == len(per[0])
        for j, g in enumerate(got):
            want = np.stack([_host(p[j]) for p in per])
            assert g.dtype == want.dtype, f"{name}: vmap output {j} dtype {g.dtype} != {want.dtype}"
            _close(_host(g), want, 1e-10, 1e-12,
                   f"{name}: vmap with in_axes={tuple(in_axes)} vs stacking, output {j}")

    for i in range(n):
        nd = np.ndim(args[i])
        run({i}, {i: 0})
        # a non-zero axis, written positive or negative
        ax = int(rng.integers(1, nd + 1)) if nd else 0
        run({i}, {i: ax - (nd + 1) if rng.random() < 0.5 or ax == 0 else ax})
    if n > 1:
        axes = {}
        for i in range(n):
            nd = np.ndim(args[i])
            axes[i] = int(rng.integers(-(nd + 1), nd + 1))
        run(set(range(n)), axes)


def check_nondiff(spec, args, rng):
    """(6) no gradient: symbolic zero tangents and cotangents; int/bool (or flat) outputs."""
    name = _label(spec)
    arrays = [fnp.asarray(a) for a in args]
    dnums = _diff_argnums(spec, args)
    if not dnums:
        dnums = tuple(i for i, a in enumerate(args))
    f = _fn_of_diff(spec, arrays, dnums)
    xs = [arrays[i] for i in dnums]
    # forward: the output tangents are symbolic zeros
    floats_in = [i for i, x in enumerate(xs) if _is_float(x.dtype)]
    outs, tans = jvp_flat(lambda *x: list(f(*x)), xs, [fnp.ones_like(x) if _is_float(x.dtype)
                                                         else x for x in xs])
    for k, t in enumerate(tans):
        assert type(t) is Zero, f"{name}: tangent of output {k} is {type(t).__name__}, not a symbolic Zero"
    # reverse: the outputs record no node, so nothing flows back
    outs_r, leaves, refs = vjp_flat(lambda *x: list(f(*x)), xs)
    for k, (node, _) in enumerate(refs):
        assert node is None, f"{name}: output {k} recorded a reverse-mode node"
    for k, o in enumerate(outs):
        if spec.prim in ZERO_BY_DEFINITION:
            continue
        if _is_float(o.dtype) and floats_in:
            # a float output of a piecewise-constant op: its derivative really is 0 here
            fxs = [np.asarray(args[dnums[i]], np.float64) for i in floats_in]

            def g(*fx):
                full = list(xs)
                for i, v in zip(floats_in, fx):
                    full[i] = v
                return f(*full)
            d = _fd(g, fxs, _directions(rng, fxs), spec.fd_eps)[k]
            _close(d, np.zeros_like(d), 0, _dtol(spec)[1], f"{name}: finite difference of a nondiff output")
        else:
            assert o.dtype.kind in "biu" or not floats_in, (
                f"{name}: nondiff output {k} has dtype {o.dtype}")
    if floats_in:
        fl = [xs[i] for i in floats_in]

        def scalar(*fx):
            full = list(xs)
            for i, v in zip(floats_in, fx):
                full[i] = v
            return sum(fnp.sum(fnp.astype(o, np.float64)) for o in f(*full))
        g = fgrad.grad(scalar, argnums=tuple(range(len(fl))))(*fl)
        for gi in g:
            assert not np.any(_host(gi)), f"{name}: nonzero gradient of a nondiff primitive"


def check_missing(spec, args, missing):
    """A rule declared with ``not_implemented`` fails loudly, naming the primitive."""
    import pytest
    arrays = [fnp.asarray(a) for a in args]
    dnums = _diff_argnums(spec, args)
    f = _fn_of_diff(spec, arrays, dnums)
    xs = [arrays[i] for i in dnums]
    calls = {
        "jvp": lambda: fgrad.jvp(f, tuple(xs), tuple(fnp.ones_like(x) for x in xs)),
        "vjp": lambda: fgrad.vjp(f, *xs)[1](tuple(fnp.ones_like(o) for o in f(*xs))),
        "batch": lambda: fgrad.vmap(spec.fn)(*[fnp.asarray(np.stack([a, a])) for a in args]),
    }
    for rule in missing:
        if rule in calls and (rule == "batch" or dnums):
            with pytest.raises(NotImplementedError, match=spec.prim):
                calls[rule]()


def check_spec(spec, args, rng) -> None:
    """Run every check that applies to ``spec`` on one draw ``args``.

    Rules the primitive declares missing (``not_implemented``) are checked to
    raise ``NotImplementedError`` instead of being compared.
    """
    from fgrad.primitives import REGISTRY
    missing = set(REGISTRY[spec.prim].missing) if spec.prim in REGISTRY else set()
    check_value(spec, args)
    if missing:
        check_missing(spec, args, missing)
    if spec.nondiff:
        check_nondiff(spec, args, rng)
    elif not missing & {"jvp", "vjp"}:
        check_first_order(spec, args, rng)
        if spec.second_order:
            check_second_order(spec, args, rng)
    if spec.vmap and "batch" not in missing:
        check_vmap(spec, args, rng)
