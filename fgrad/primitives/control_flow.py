"""Control-flow primitives: ``cond``, ``scan`` and ``while``, whose parameters hold programs.

Each runs its sub-programs (``fgrad/transforms/programs.py``) compiled as ``jit``
compiles, in a Python loop or branch over backend values: eagerly and inside a
``jit`` program alike, a control-flow equation is one call, never an unrolled copy.
Their rules transform the sub-programs:

* JVP: the program's JVP, run by the same primitive on primals and tangents;
* VJP: ``cond`` runs the branch's joint forward-and-backward program; ``scan`` splits
  its body's VJP into a forward part that emits residuals (stacked by the forward
  scan, one buffer per residual) and a backward part, run by a reverse scan;
  ``while`` stacks its carries (the trip count is their length, read at run time) and
  a reverse scan runs the body's VJP over them;
* batching: the program batched once; a batched ``cond`` index becomes a ``select``
  of every branch, a batched ``while`` predicate a loop that runs until every lane is
  done, finished lanes frozen.
"""
from __future__ import annotations


from ..devices import STANDIN
from ..transforms import programs as P
from ..transforms.core import from_output
from ..tree_util import tree_flatten, tree_unflatten
from ..transforms.staging import Jaxpr
from ..transforms.core import ShapedArray, Zero, aval_of, instantiate, is_differentiable_dtype
from . import binary, reductions, shape as S
from .core import REGISTRY, Primitive, move_to_front
from .creation import zeros


def _is_float(a) -> bool:
    return is_differentiable_dtype(a.dtype)


def _split(seq, *sizes):
    out, k = [], 0
    for n in sizes:
        out.append(list(seq[k:k + n]))
        k += n
    out.append(list(seq[k:]))
    return out


def _batch_size(vals, dims):
    return next(v.shape[d] for v, d in zip(vals, dims) if d is not None)


def _broadcast_front(v, size):
    """``v`` with a new leading batch axis of ``size``."""
    return S.broadcast_to(S.expand_dims(v, (0,)), (size,) + tuple(aval_of(v).shape))


class _Stack:
    """Per-iteration values written into one preallocated buffer (a list then one
    ``stack`` on a namespace whose arrays cannot be written, or when the length is
    not known in advance)."""

    def __init__(self, xp, device, aval, length):
        self.xp, self.aval = xp, aval
        if length is not None and device is not STANDIN:
            self.buf = xp.empty((length,) + aval.shape, aval.dtype)
            self.items = None
        else:
            self.buf, self.items = None, []

    def put(self, i, v):
        if self.items is None:
            self.buf[i] = v
        else:
            self.items.append(v)

    def done(self, reverse=False):
        if self.items is None:
            return self.buf
        items = self.items[::-1] if reverse else self.items
        if not items:
            return self.xp.zeros((0,) + self.aval.shape, self.aval.dtype)
        return self.xp.stack(items)


# ------------------------------------------------------------------- cond --
# cond(index, *operands; branches): runs branches[clamp(index)] on the operands.
cond_p = Primitive("cond", multiple_results=True)


@cond_p.def_impl
def _cond_impl(xp, index, *args, branches):
    i = min(max(int(index), 0), len(branches) - 1)
    return P.compiled(branches[i], P.device_of(xp, args))(*args)


cond_p.def_abstract_eval(lambda index, *args, branches: P.out_avals(branches[0]))


def _cond_jvp(primals, tangents, branches):
    index, args = primals[0], primals[1:]
    nz = [type(t) is not Zero and _is_float(aval_of(a)) for a, t in zip(args, tangents[1:])]
    progs = tuple(P.jvp_program(b, nz) for b in branches)
    ts = [t for t, z in zip(tangents[1:], nz) if z]
    outs = cond_p.bind(index, *args, *ts, branches=progs)
    n = len(branches[0].outvars)
    ans, t_it = outs[:n], iter(outs[n:])
    return ans, [next(t_it) if _is_float(aval_of(a)) else Zero.like(a) for a in ans]


def _cond_vjp(cts, needs, ans, index, *args, branches):
    needs = [n and _is_float(aval_of(a)) for n, a in zip(needs[1:], args)]
    progs = tuple(P.vjp_program(b, needs, keep_outs=False) for b in branches)
    cts = [c for c, a in zip(cts, P.out_avals(branches[0])) if _is_float(a)]
    it = iter(cond_p.bind(index, *args, *cts, branches=progs))
    return [None] + [next(it) if n else None for n in needs]


def _cond_batch(vals, dims, axis, branches):
    size = _batch_size(vals, dims)
    vals = [move_to_front(v, d) for v, d in zip(vals, dims)]
    index, args = vals[0], vals[1:]
    batched = [d is not None for d in dims[1:]]
    force = [True] * len(branches[0].outvars)
    progs = tuple(P.batch_program(b, size, batched, force, axis_name=axis[1])[0]
                  for b in branches)
    if dims[0] is None:
        return cond_p.bind(index, *args, branches=progs), [0] * len(force)
    # a batched index: every branch runs on the whole batch, a select picks per lane
    index = binary.maximum_p.bind(binary.minimum_p.bind(index, len(branches) - 1), 0)
    outs = P.run(progs[0], args)
    for i, prog in enumerate(progs[1:], 1):
        mask = REGISTRY["equal"].bind(index, i)
        outs = [binary.select(S.reshape(mask, (size,) + (1,) * (aval_of(o).ndim - 1)), o_i, o)
                for o, o_i in zip(outs, P.run(prog, args))]
    return outs, [0] * len(outs)


cond_p.jvp = _cond_jvp
cond_p.vjp = _cond_vjp
cond_p.vjp_saves = "inputs"
cond_p.batch_takes_axis = True
cond_p.batch = _cond_batch


# ------------------------------------------------------------------- scan --
# scan(*consts, *init, *xs; jaxpr, num_consts, num_carry, length, reverse):
# jaxpr(consts, carry, x) -> (carry, y), run over the leading axis of xs (from the end
# when reverse); returns (final carry, stacked ys). ``length=None`` reads the length
# from xs at run time (the reverse pass of a while loop).
scan_p = Primitive("scan", multiple_results=True)


@scan_p.def_impl
def _scan_impl(xp, *args, jaxpr, num_consts, num_carry, length, reverse):
    device = P.device_of(xp, args)
    body = P.compiled(jaxpr, device)
    consts, carry, xs = _split(args, num_consts, num_carry)
    if length is None:
        length = xs[0].shape[0]
    ys = [_Stack(xp, device, a, length) for a in P.out_avals(jaxpr)[num_carry:]]
    for k in range(length):
        i = length - 1 - k if reverse else k
        outs = body(*consts, *carry, *[x[i] for x in xs])
        carry = outs[:num_carry]
        for st, y in zip(ys, outs[num_carry:]):
            st.put(i, y)
    return list(carry) + [st.done(reverse) for st in ys]


@scan_p.def_abstract_eval
def _scan_abstract_eval(*avals, jaxpr, num_consts, num_carry, length, reverse):
    outs = P.out_avals(jaxpr)
    n = -1 if length is None else length      # -1: known only at run time
    return outs[:num_carry] + [ShapedArray((n,) + a.shape, a.dtype, a.device)
                               for a in outs[num_carry:]]


def _scan_jvp(primals, tangents, jaxpr, num_consts, num_carry, length, reverse):
    nc, nh = num_consts, num_carry
    avals = P.in_avals(jaxpr)
    # every floating carry gets a tangent (so the carry's type is the same each iteration)
    nz = [_is_float(a) and (nc <= i < nc + nh or type(t) is not Zero)
          for i, (a, t) in enumerate(zip(avals, tangents))]
    ts = [instantiate(t) if type(t) is Zero else t for t, z in zip(tangents, nz) if z]
    jp = P.jvp_program(jaxpr, nz)
    c, h, x = _split(primals, nc, nh)
    nzc, nzh, nzx = _split(nz, nc, nh)
    tc, th, tx = _split(ts, sum(nzc), sum(nzh))
    ny = len(jaxpr.outvars) - nh
    fh = sum(_is_float(a) for a in P.out_avals(jaxpr)[:nh])

    def body(*a):
        C, TC, H, TH, X, TX = _split(a, len(c), len(tc), len(h), len(th), len(x))
        o = P.run(jp, C + H + X + TC + TH + TX)
        H2, Y, TH2, TY = _split(o, nh, ny, fh)
        return H2 + TH2 + Y + TY
    prog = P.trace_closed(body, [aval_of(v) for v in c + tc + h + th]
                          + [_slice_aval(v) for v in x + tx])
    outs = scan_p.bind(*c, *tc, *h, *th, *x, *tx, jaxpr=prog, num_consts=nc + len(tc),
                       num_carry=nh + len(th), length=length, reverse=reverse)
    H2, TH2, Y, TY = _split(outs, nh, len(th), ny)
    th_it, ty_it = iter(TH2), iter(TY)
    return H2 + Y, ([next(th_it) if _is_float(aval_of(v)) else Zero.like(v) for v in H2]
                    + [next(ty_it) if _is_float(aval_of(v)) else Zero.like(v) for v in Y])


def _slice_aval(v):
    a = aval_of(v)
    return ShapedArray(a.shape[1:], a.dtype, a.device)


def _scan_split(primals, needs, jaxpr, num_consts, num_carry, length, reverse):
    """The forward scan (keeping residuals) and a function of the output cotangents
    running the backward scan."""
    nc, nh = num_consts, num_carry
    avals = P.in_avals(jaxpr)
    n_in, n_out = len(avals), len(jaxpr.outvars)
    body_needs = [_is_float(a) and (needs[i] or nc <= i < nc + nh) for i, a in enumerate(avals)]
    joint = P.vjp_program(jaxpr, body_needs)
    fwd, bwd, res_in = P.partition(joint, nc, n_in, n_out, nh)
    # a residual that is also a per-iteration output is read from the stacked output
    ys = fwd.outvars[nh:n_out]
    from_ys = [ys.index(v) if v in ys else -1 for v in fwd.outvars[n_out:]]
    fwd = Jaxpr(fwd.invars, fwd.constvars, fwd.consts, fwd.eqns, fwd.outvars[:n_out] + [
        v for v, k in zip(fwd.outvars[n_out:], from_ys) if k < 0])
    outs = scan_p.bind(*primals, jaxpr=fwd, num_consts=nc, num_carry=nh, length=length,
                       reverse=reverse)
    ans, new_res = list(outs[:n_out]), iter(outs[n_out:])
    res = [ans[nh + k] if k >= 0 else next(new_res) for k in from_ys]
    consts, _, xs = _split(primals, nc, nh)
    res = [xs[i - nh] for i in res_in] + res
    need_c, need_h, need_x = _split(body_needs, nc, nh)
    out_float = [_is_float(a) for a in P.out_avals(jaxpr)]

    def backward(cts):
        cts = [c for c, f in zip(cts, out_float) if f]
        ct_h, ct_y = cts[:sum(out_float[:nh])], cts[sum(out_float[:nh]):]
        na, nr = sum(need_c), len(res)
        if length is not None:
            r = _vectorized_backward(bwd, avals[:nc], consts, res, ct_h, ct_y, na, length,
                                     reverse)
            if r is not None:
                it = iter(r)
                return [next(it) if n else None for n in need_c + need_h + need_x]
        acc0 = [zeros(a.shape, a.dtype, a.device) for a, n in zip(avals[:nc], need_c) if n]

        def body(*a):
            C, acc, CH, R, CY = _split(a, nc, na, len(ct_h), nr)
            d = P.run(bwd, C + R + CH + CY)
            dC, dH, dX = _split(d, na, len(ct_h))
            return [s + t for s, t in zip(acc, dC)] + dH + dX
        prog = P.trace_closed(body, avals[:nc] + [aval_of(v) for v in acc0 + ct_h]
                              + [_slice_aval(v) for v in res + ct_y])
        r = scan_p.bind(*consts, *acc0, *ct_h, *res, *ct_y, jaxpr=prog, num_consts=nc,
                        num_carry=na + len(ct_h), length=length, reverse=not reverse)
        it = iter(r)
        return [next(it) if n else None for n in need_c + need_h + need_x]
    return ans, backward


# Largest batched backward (in elements of all its values) run over all iterations at once.
VECTORIZE_LIMIT = 1 << 16


def _vectorized_backward(bwd, const_avals, consts, res, ct_h, ct_y, na, length, reverse):
    """The backward scan with only the carried cotangents' chain inside the loop: the rest
    (the cotangents of the constants and of xs, e.g. a weight's ``sum_t h_t^T g_t``) runs
    once after it, batched over the iterations, from the loop's stacked values. None if
    that batched part would exceed ``VECTORIZE_LIMIT`` elements."""
    nc, nr, nh = len(consts), len(res), len(ct_h)
    first_outs = [False] * na + [True] * nh + [False] * (len(bwd.outvars) - na - nh)
    carried = [False] * (nc + nr) + [True] * nh + [False] * len(ct_y)
    first, second, n_shared = P.fission(bwd, first_outs, carried)
    post, _ = P.batch_program(second, length, [False] * nc + [True] * (nr + len(ct_y) + n_shared),
                              [True] * len(second.outvars))
    if P.program_size(post) > VECTORIZE_LIMIT:
        return None

    def body(*a):
        C, CH, R = _split(a, nc, nh)
        return P.run(first, C + R[:nr] + CH + R[nr:])
    prog = P.trace_closed(body, list(const_avals) + [aval_of(v) for v in ct_h]
                          + [_slice_aval(v) for v in res + ct_y])
    r = scan_p.bind(*consts, *ct_h, *res, *ct_y, jaxpr=prog, num_consts=nc, num_carry=nh,
                    length=length, reverse=not reverse)
    outs = P.run(post, list(consts) + list(res) + list(ct_y) + list(r[nh:]))
    return [reductions.reduce_sum(o, (0,)) for o in outs[:na]] + list(r[:nh]) + list(outs[na:])


def _scan_vjp(cts, needs, ans, *primals, **params):
    return _scan_split(primals, needs, **params)[1](cts)


def _scan_batch(vals, dims, axis, jaxpr, num_consts, num_carry, length, reverse):
    nc, nh = num_consts, num_carry
    size = _batch_size(vals, dims)
    bc, bh, bx = _split([d is not None for d in dims], nc, nh)
    ny = len(jaxpr.outvars) - nh
    while True:                           # a carry is batched if it can become batched
        prog, out_b = P.batch_program(jaxpr, size, bc + bh + bx, bh + [False] * ny,
                                      axis_name=axis[1])
        grown = [a or b for a, b in zip(bh, out_b[:nh])]
        if grown == bh:
            break
        bh = grown
    c, h, x = _split(list(zip(vals, dims)), nc, nh)
    c = [move_to_front(v, d) for v, d in c]
    h = [move_to_front(v, d) if d is not None else _broadcast_front(v, size) if b else v
         for (v, d), b in zip(h, bh)]
    x = [S.moveaxis(v, d, 1) if d not in (None, 1) else v for v, d in x]
    outs = scan_p.bind(*c, *h, *x, jaxpr=prog, num_consts=nc, num_carry=nh, length=length,
                       reverse=reverse)
    return outs, [0 if b else None for b in bh] + [1 if b else None for b in out_b[nh:]]


scan_p.jvp = _scan_jvp
scan_p.vjp = _scan_vjp
scan_p.vjp_split = _scan_split
scan_p.vjp_saves = "inputs"
scan_p.batch_takes_axis = True
scan_p.batch = _scan_batch


# ------------------------------------------------------------------ while --
# while(*cond_consts, *body_consts, *init; cond_jaxpr, body_jaxpr, cond_nconsts,
# body_nconsts, stack): carry = body(carry) while cond(carry). With ``stack`` it also
# returns, per carry, the stack of its values at the start of each iteration (the
# residuals of reverse mode; their length, the trip count, is known at run time only).
while_p = Primitive("while", multiple_results=True)


@while_p.def_impl
def _while_impl(xp, *args, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts, stack):
    device = P.device_of(xp, args)
    cond, body = P.compiled(cond_jaxpr, device), P.compiled(body_jaxpr, device)
    cc, bc, carry = _split(args, cond_nconsts, body_nconsts)
    hist = [_Stack(xp, device, a, None) for a in P.out_avals(body_jaxpr)] if stack else []
    while bool(cond(*cc, *carry)[0]):
        for st, v in zip(hist, carry):
            st.put(None, v)
        carry = body(*bc, *carry)
    return list(carry) + [st.done() for st in hist]


@while_p.def_abstract_eval
def _while_abstract_eval(*avals, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts, stack):
    outs = P.out_avals(body_jaxpr)
    return outs + ([ShapedArray((-1,) + a.shape, a.dtype, a.device) for a in outs]
                   if stack else [])


def _while_jvp(primals, tangents, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts, stack):
    ncc, nbc = cond_nconsts, body_nconsts
    avals = P.in_avals(body_jaxpr)
    nz = [_is_float(a) and (i >= nbc or type(t) is not Zero)
          for i, (a, t) in enumerate(zip(avals, tangents[ncc:]))]
    ts = [instantiate(t) if type(t) is Zero else t for t, z in zip(tangents[ncc:], nz) if z]
    jp = P.jvp_program(body_jaxpr, nz)
    cc, bc, h = _split(primals, ncc, nbc)
    tbc, th = ts[:sum(nz[:nbc])], ts[sum(nz[:nbc]):]

    def body(*a):
        BC, TBC, H, TH = _split(a, nbc, len(tbc), len(h))
        return P.run(jp, BC + H + TBC + TH)

    def cond(*a):
        return P.run(cond_jaxpr, list(a[:ncc + len(h)]))
    all_avals = [aval_of(v) for v in bc + tbc + h + th]
    body_prog = P.trace_closed(body, all_avals)
    cond_prog = P.trace_closed(cond, [aval_of(v) for v in cc + h + th])
    outs = while_p.bind(*cc, *bc, *tbc, *h, *th, cond_jaxpr=cond_prog, body_jaxpr=body_prog,
                        cond_nconsts=ncc, body_nconsts=nbc + len(tbc), stack=stack)
    n = len(h)
    H, TH = list(outs[:n]), outs[n:n + len(th)]
    if stack:                       # the stacked carries, then the stacked tangents
        H += outs[n + len(th):2 * n + len(th)]
        TH = list(TH) + list(outs[2 * n + len(th):])
    TH = iter(TH)
    return H, [next(TH) if _is_float(aval_of(v)) else Zero.like(v) for v in H]


def _while_split(primals, needs, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts, stack):
    """The loop, stacking its carries, and a function of the output cotangents running
    the body's VJP backwards over them (the body's forward pass recomputed per step).

    A backward step applies only where the predicate holds on its stacked carry: always,
    unbatched; under vmap, the lanes that had finished (their carry frozen) pass their
    cotangents through unchanged."""
    if stack:
        raise NotImplementedError("while: reverse mode of the reverse-mode form of a while "
                                  "loop (grad of grad through while_loop) is not implemented")
    ncc, nbc = cond_nconsts, body_nconsts
    outs = while_p.bind(*primals, cond_jaxpr=cond_jaxpr, body_jaxpr=body_jaxpr,
                        cond_nconsts=ncc, body_nconsts=nbc, stack=True)
    n = len(body_jaxpr.outvars)
    ans, hist = outs[:n], outs[n:]
    avals = P.in_avals(body_jaxpr)
    body_needs = [_is_float(a) and (i >= nbc or needs[ncc + i]) for i, a in enumerate(avals)]
    joint = P.vjp_program(body_jaxpr, body_needs, keep_outs=False)
    cc, bc = list(primals[:ncc]), list(primals[ncc:ncc + nbc])
    need_c, need_h = body_needs[:nbc], body_needs[nbc:]

    def backward(cts):
        ct_h = [c for c, f in zip(cts, need_h) if f]
        acc0 = [zeros(a.shape, a.dtype, a.device) for a, k in zip(avals[:nbc], need_c) if k]
        na = len(acc0)

        def body(*a):
            CC, C, acc, CH, Hk = _split(a, ncc, nbc, na, len(ct_h))
            live = P.run(cond_jaxpr, CC + Hk)[0]
            d = P.run(joint, C + Hk + CH)
            return ([s + binary.select(live, t, 0.0) for s, t in zip(acc, d[:na])]
                    + [binary.select(live, t, c) for t, c in zip(d[na:], CH)])
        prog = P.trace_closed(body, P.in_avals(cond_jaxpr)[:ncc] + avals[:nbc]
                              + [aval_of(v) for v in acc0 + ct_h] + avals[nbc:])
        r = scan_p.bind(*cc, *bc, *acc0, *ct_h, *hist, jaxpr=prog, num_consts=ncc + nbc,
                        num_carry=na + len(ct_h), length=None, reverse=True)
        it = iter(r)
        return [None] * ncc + [next(it) if k else None for k in body_needs]
    return ans, backward


def _while_vjp(cts, needs, ans, *primals, **params):
    return _while_split(primals, needs, **params)[1](cts)


def _while_batch(vals, dims, axis, cond_jaxpr, body_jaxpr, cond_nconsts, body_nconsts, stack):
    ncc, nbc = cond_nconsts, body_nconsts
    size = _batch_size(vals, dims)
    bcc, bbc, bh = _split([d is not None for d in dims], ncc, nbc)
    n = len(bh)
    while True:
        body, out_b = P.batch_program(body_jaxpr, size, bbc + bh, bh, axis_name=axis[1])
        grown = [a or b for a, b in zip(bh, out_b)]
        if grown == bh:
            break
        bh = grown
    cond, (pred_b,) = P.batch_program(cond_jaxpr, size, bcc + bh, axis_name=axis[1])
    if pred_b and not all(bh):            # lanes finish apart: every carry is per lane
        bh = [True] * n
        body, _ = P.batch_program(body_jaxpr, size, bbc + bh, bh, axis_name=axis[1])
        cond, _ = P.batch_program(cond_jaxpr, size, bcc + bh, axis_name=axis[1])
    cc, bc, h = _split(list(zip(vals, dims)), ncc, nbc)
    cc = [move_to_front(v, d) for v, d in cc]
    bc = [move_to_front(v, d) for v, d in bc]
    h = [move_to_front(v, d) if d is not None else _broadcast_front(v, size) if b else v
         for (v, d), b in zip(h, bh)]
    if pred_b:
        lane_cond, lane_body = cond, body

        def any_lane(*a):
            return [reductions.reduce_or_p.bind(P.run(lane_cond, list(a))[0], axes=(0,))]

        def frozen_body(*a):            # finished lanes keep their carry
            CC, BC, H = _split(a, ncc, nbc)
            p = P.run(lane_cond, CC + H)[0]
            new = P.run(lane_body, BC + H)
            return [binary.select(S.reshape(p, (size,) + (1,) * (aval_of(v).ndim - 1)), w, v)
                    for v, w in zip(H, new)]
        avals_h = [aval_of(v) for v in h]
        cond = P.trace_closed(any_lane, [aval_of(v) for v in cc] + avals_h)
        body = P.trace_closed(frozen_body, [aval_of(v) for v in cc + bc] + avals_h)
        bc, nbc = cc + bc, ncc + nbc
    outs = while_p.bind(*cc, *bc, *h, cond_jaxpr=cond, body_jaxpr=body, cond_nconsts=ncc,
                        body_nconsts=nbc, stack=stack)
    return outs, [0 if b else None for b in bh] + ([1 if b else None for b in bh] if stack else [])


while_p.jvp = _while_jvp
while_p.vjp = _while_vjp
while_p.vjp_split = _while_split
while_p.vjp_saves = "inputs"
while_p.batch_takes_axis = True
while_p.batch = _while_batch


# ------------------------------------------------------------- checkpoint --
# checkpoint(*hoisted, *args; jaxpr): ``fgrad.checkpoint`` inside a staged program (a jit
# program or a control-flow body), where it cannot stay a custom rule: reverse mode keeps
# only the inputs, and the backward pass runs the program's VJP, forward pass included.
checkpoint_p = Primitive("checkpoint", multiple_results=True)


@checkpoint_p.def_impl
def _checkpoint_impl(xp, *args, jaxpr):
    return P.compiled(jaxpr, P.device_of(xp, args))(*args)


checkpoint_p.def_abstract_eval(lambda *avals, jaxpr: P.out_avals(jaxpr))


def _checkpoint_jvp(primals, tangents, jaxpr):
    nz = [type(t) is not Zero and _is_float(aval_of(p)) for p, t in zip(primals, tangents)]
    outs = checkpoint_p.bind(*primals, *[t for t, z in zip(tangents, nz) if z],
                             jaxpr=P.jvp_program(jaxpr, nz))
    n = len(jaxpr.outvars)
    ans, t_it = outs[:n], iter(outs[n:])
    return ans, [next(t_it) if _is_float(aval_of(a)) else Zero.like(a) for a in ans]


def _checkpoint_split(primals, needs, jaxpr):
    needs = [n and _is_float(aval_of(p)) for n, p in zip(needs, primals)]
    outs = checkpoint_p.bind(*primals, jaxpr=jaxpr)
    floats = [_is_float(a) for a in P.out_avals(jaxpr)]

    def backward(cts):           # runs the forward pass again, then its VJP
        joint = P.vjp_program(jaxpr, needs, keep_outs=False)
        it = iter(P.run(joint, list(primals) + [c for c, f in zip(cts, floats) if f]))
        return [next(it) if n else None for n in needs]
    return outs, backward


def _checkpoint_batch(vals, dims, axis, jaxpr):
    size = _batch_size(vals, dims)
    prog, _ = P.batch_program(jaxpr, size, [d is not None for d in dims],
                              [True] * len(jaxpr.outvars), axis_name=axis[1])
    outs = checkpoint_p.bind(*[move_to_front(v, d) for v, d in zip(vals, dims)], jaxpr=prog)
    return outs, [0] * len(outs)


checkpoint_p.jvp = _checkpoint_jvp
checkpoint_p.vjp = lambda cts, needs, ans, *primals, jaxpr: _checkpoint_split(
    primals, needs, jaxpr)[1](cts)
checkpoint_p.vjp_split = _checkpoint_split
checkpoint_p.vjp_saves = "inputs"
checkpoint_p.batch_takes_axis = True
checkpoint_p.batch = _checkpoint_batch


def staged_checkpoint(fun, leaves, in_tree):
    """``fun`` applied to the unflattened ``leaves`` (Arrays or tracers) as one
    ``checkpoint`` equation; returns (output leaves, output tree)."""
    box = []

    def flat(*xs):
        out_leaves, tree = tree_flatten(fun(*tree_unflatten(in_tree, list(xs))))
        box[:] = [tree]
        return [from_output(o) for o in out_leaves]
    prog, hoisted = P.trace_program(flat, [aval_of(x) for x in leaves])
    outs = checkpoint_p.bind(*hoisted, *leaves, jaxpr=prog)
    return list(outs), box[0]
