"""Value and gradient of a four-matrix einsum chain, against a hand-written NumPy chain.

``einsum('ij,jk,kl,lm->im', A, B, C, D).sum()`` and its gradient w.r.t. all four
(n = 200, float64): fgrad (einsum contracted pairwise along opt_einsum's path, and
the same chain written with ``@``) vs NumPy matmuls with the backward pass written
out by hand (the floor). Gradients are checked against the NumPy ones first.

    python benchmarks/einsum.py [--n 200] [--repeat 30]
"""
from __future__ import annotations

import argparse

import numpy as np

import fgrad
import fgrad.numpy as fnp
from _timing import median_times  # noqa: E402  (benchmarks/_timing.py)


def numpy_value_and_grad(A, B, C, D):
    """Forward: ((A B) C) D; backward: the cotangent of each product, by hand."""
    AB = A @ B
    ABC = AB @ C
    out = ABC @ D
    G = np.ones_like(out)              # d sum / d out
    gD = ABC.T @ G
    gABC = G @ D.T
    gC = AB.T @ gABC
    gAB = gABC @ C.T
    gB = A.T @ gAB
    gA = gAB @ B.T
    return out.sum(), (gA, gB, gC, gD)


def fgrad_einsum(A, B, C, D):
    return fnp.sum(fnp.einsum("ij,jk,kl,lm->im", A, B, C, D))


def fgrad_matmul(A, B, C, D):
    return fnp.sum(A @ B @ C @ D)




def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    mats = [rng.standard_normal((args.n, args.n)) / np.sqrt(args.n) for _ in range(4)]
    arrays = [fnp.asarray(m) for m in mats]

    ref_val, ref_grads = numpy_value_and_grad(*mats)
    rows = [("numpy, hand-written backward", lambda: numpy_value_and_grad(*mats))]
    for name, f in (("fgrad einsum (opt_einsum path)", fgrad_einsum),
                    ("fgrad A @ B @ C @ D", fgrad_matmul)):
        vg = fgrad.value_and_grad(f, argnums=(0, 1, 2, 3))
        val, grads = vg(*arrays)
        np.testing.assert_allclose(float(val), ref_val, rtol=1e-10)
        for g, r in zip(grads, ref_grads):
            np.testing.assert_allclose(np.asarray(g), r, rtol=1e-9, atol=1e-12)
        rows.append((name, lambda vg=vg: vg(*arrays)))

    times = list(zip([name for name, _ in rows], median_times([f for _, f in rows], args.repeat)))
    floor = times[0][1]
    print(f"value + grad of einsum('ij,jk,kl,lm->im', A, B, C, D).sum() w.r.t. A, B, C, D; "
          f"n = {args.n}, float64, median of {args.repeat}")
    print(f"{'':34s} {'ms':>8s} {'ratio':>7s}")
    for name, t in times:
        print(f"{name:34s} {t * 1e3:8.3f} {t / floor:7.2f}")


if __name__ == "__main__":
    main()
