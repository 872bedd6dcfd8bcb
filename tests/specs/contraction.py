"""Spec rows for ``fgrad/primitives/contraction.py``: matmul rank combinations with
broadcast batches, and the pairwise einsum over a table of subscripts."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

import fgrad.numpy as fnp
from fgrad.primitives import contraction as P
from tests.checker import broadcastable, floats, ints
from tests.specs import Spec

_side = st.integers(1, 4)


def _matmul_args(sa, sb, batch=False, make_a=floats, make_b=floats):
    """(a, b) for one rank combination: ``sa(n, k)``/``sb(k, m)`` give the shapes
    (None for a vector); with ``batch``, mutually broadcastable batch dims lead."""
    def draw(n, k, m, bs):
        ba, bb = bs
        a = (k,) if sa is None else tuple(ba) + sa(n, k)
        b = (k,) if sb is None else tuple(bb) + sb(k, m)
        return st.tuples(make_a(a), make_b(b))
    bs = broadcastable(2, max_dims=2) if batch else st.just(((), ()))
    return lambda: st.tuples(_side, _side, _side, bs).flatmap(lambda x: draw(*x))


def _mat(n, k):
    return (n, k)


def _matmul_rows():
    rows = []
    for ident, sa, sb, batch in [
            ("vec_vec", None, None, False), ("mat_vec", _mat, None, False),
            ("vec_mat", None, _mat, False), ("mat_mat", _mat, _mat, False),
            ("batched_broadcast", _mat, _mat, True), ("batched_mat_vec", _mat, None, True),
            ("vec_batched_mat", None, _mat, True)]:
        rows.append(Spec("matmul", fnp.matmul, _matmul_args(sa, sb, batch), np.matmul, id=ident))
    rows.append(Spec("matmul", fnp.matmul,
                     _matmul_args(_mat, _mat, True, make_a=lambda s: ints(s, -3, 3)), np.matmul,
                     id="int_times_float"))
    rows.append(Spec("matmul", lambda a, b: a @ b,
                     _matmul_args(_mat, _mat, False, lambda s: ints(s), lambda s: ints(s)),
                     np.matmul, id="ints_operator"))
    return rows


def _einsum_args(subscripts, make=floats):
    """Operands for ``subscripts`` with one random size (1..4) per index."""
    ins, _ = P.parse(subscripts)
    letters = sorted(set("".join(ins)))

    def draw(sizes):
        size = dict(zip(letters, sizes))
        return st.tuples(*[make(tuple(size[c] for c in t)) for t in ins])
    return lambda: st.lists(_side, min_size=len(letters), max_size=len(letters)).flatmap(draw)


# Binary: a matmul (plain, transposed operands/output, batched), full contractions,
# outer and element-wise products (the backend's einsum), letters summed in one operand
# only, a diagonal inside an operand. Unary: diagonals, traces, sums, transposes.
EINSUM_SUBSCRIPTS = [
    "ij,jk->ik", "ji,kj->ki", "bij,bjk->bik", "ijk,jl->lik", "ij,ij->", "ij,j->i",
    "i,j->ij", "ij,ij->ij", "ij,k->i", "ii,i->i", "bi,bi->b",
    "ii->i", "ij->", "ij->ji", "iij->j", "ii->", "ijk->kj",
]


def _einsum_row(subscripts, make=floats, ident=None):
    return Spec("einsum", lambda *ops, s=subscripts: P.einsum_p.bind(*ops, subscripts=s),
                _einsum_args(subscripts, make),
                lambda *ops, s=subscripts: np.einsum(s, *ops), id=ident or subscripts)


SPECS = [
    *_matmul_rows(),
    *[_einsum_row(s) for s in EINSUM_SUBSCRIPTS],
    _einsum_row("ij,jk->ik", lambda s: ints(s, -3, 3), "ij,jk->ik_int"),
]
