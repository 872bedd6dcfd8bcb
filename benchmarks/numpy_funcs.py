"""Eager cost of fgrad.numpy's sorting and order statistics against the NumPy call.

For each function and size: the median time of the fgrad call on an Array (eager, no
transform) and of the same NumPy call on the ndarray, and their ratio (target: 1.3 or
less). Values are checked against NumPy first. Also shown, for orientation: the
gradient of ``sort``/``quantile`` (fgrad's reverse pass vs NumPy's value call).

    python benchmarks/numpy_funcs.py [--sizes 1000 100000] [--repeat 30]
"""
from __future__ import annotations

import argparse

import numpy as np

import fgrad
import fgrad.numpy as fnp
from _timing import median_times  # noqa: E402  (benchmarks/_timing.py)




def cases(n, rng):
    x = rng.standard_normal(n)
    m = rng.standard_normal((100, n // 100))
    ints = rng.integers(0, max(n // 10, 2), n)
    return [
        ("sort", x, lambda a: fnp.sort(a), lambda a: np.sort(a)),
        ("argsort", x, lambda a: fnp.argsort(a), lambda a: np.argsort(a, kind="stable")),
        ("sort axis=1 (100 rows)", m, lambda a: fnp.sort(a, axis=1), lambda a: np.sort(a, axis=1)),
        ("quantile 0.3", x, lambda a: fnp.quantile(a, 0.3), lambda a: np.quantile(a, 0.3)),
        ("quantile [.1 .5 .9]", x, lambda a: fnp.quantile(a, [0.1, 0.5, 0.9]),
         lambda a: np.quantile(a, [0.1, 0.5, 0.9])),
        ("median", x, lambda a: fnp.median(a), lambda a: np.median(a)),
        ("median axis=1 (100 rows)", m, lambda a: fnp.median(a, axis=1),
         lambda a: np.median(a, axis=1)),
        ("percentile 90, axis=0", m, lambda a: fnp.percentile(a, 90, axis=0),
         lambda a: np.percentile(a, 90, axis=0)),
        ("nanmedian", x, lambda a: fnp.nanmedian(a), lambda a: np.nanmedian(a)),
        ("unique (ints)", ints, lambda a: fnp.unique(a), lambda a: np.unique(a)),
        ("searchsorted", np.sort(x), lambda a: fnp.searchsorted(a, a[::7]),
         lambda a: np.searchsorted(a, a[::7])),
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    print("| function | n | fgrad (us) | NumPy (us) | fgrad / NumPy |")
    print("|---|---|---|---|---|")
    for n in args.sizes:
        for name, host, f, g in cases(n, rng):
            arr = fnp.asarray(host)
            np.testing.assert_allclose(np.asarray(f(arr)), g(host))
            tf, tn = median_times([lambda: f(arr), lambda: g(host)], args.repeat)
            print(f"| {name} | {n} | {tf * 1e6:.1f} | {tn * 1e6:.1f} | {tf / tn:.2f} |")
    print()
    print("| gradient | n | fgrad grad (us) | NumPy value (us) | ratio |")
    print("|---|---|---|---|---|")
    for n in args.sizes:
        x = rng.standard_normal(n)
        arr = fnp.asarray(x)
        w = fnp.asarray(np.linspace(0, 1, n))
        gs = fgrad.grad(lambda a: fnp.sum(fnp.sort(a) * w))
        gq = fgrad.grad(lambda a: fnp.quantile(a, 0.3))
        for name, f, g in [("sum(sort(x) * w)", lambda: gs(arr), lambda: np.sort(x)),
                           ("quantile(x, 0.3)", lambda: gq(arr), lambda: np.quantile(x, 0.3))]:
            tf, tn = median_times([f, g], args.repeat)
            print(f"| {name} | {n} | {tf * 1e6:.1f} | {tn * 1e6:.1f} | {tf / tn:.2f} |")


if __name__ == "__main__":
    main()
