"""Eager cost of ``fgrad.numpy.partition``/``argpartition`` (introselect, linear time)
against NumPy's, and against the full sort they used to be (``sort``/stable ``argsort``).

For each case: the median time of the fgrad call, of the NumPy call, their ratio, and the
sort-based cost (what ``partition`` cost before it selected). Values are checked against
NumPy's arrangement first. The gradient row is ``grad(sum(partition(x, k)[k]))`` against
``grad(sum(sort(x)[k]))``.

    python benchmarks/partition.py [--sizes 1000 100000 1000000] [--repeat 15]
"""
from __future__ import annotations

import argparse

import numpy as np

import fgrad
import fgrad.numpy as fnp
from _timing import median_times  # noqa: E402  (benchmarks/_timing.py)


def cases(n, rng):
    x = rng.standard_normal(n)
    m = rng.standard_normal((100, max(n // 100, 2)))
    k, km = n // 2, 1
    return [
        (f"partition k={k}", x, lambda a: fnp.partition(a, k), lambda a: np.partition(a, k),
         lambda a: fnp.sort(a)),
        (f"argpartition k={k}", x, lambda a: fnp.argpartition(a, k),
         lambda a: np.argpartition(a, k), lambda a: fnp.argsort(a)),
        ("partition axis=1 (100 rows), k=1", m, lambda a: fnp.partition(a, km, axis=1),
         lambda a: np.partition(a, km, axis=1), lambda a: fnp.sort(a, axis=1)),
        (f"grad of partition(x, {k})[{k}]", x,
         fgrad.grad(lambda a: fnp.partition(a, k)[k]), lambda a: np.partition(a, k),
         fgrad.grad(lambda a: fnp.sort(a)[k])),
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    print("| case | n | fgrad | NumPy | ratio | sort-based (before) |")
    print("|---|---|---|---|---|---|")
    for n in args.sizes:
        for name, data, f, ref, before in cases(n, rng):
            a = fnp.asarray(data)
            if "grad" not in name:
                got = np.asarray(f(a))
                want = (np.take_along_axis(data, np.argpartition(data, km_or(name), axis=-1),
                                           axis=-1) if name.startswith("partition") else
                        ref(data))
                assert np.array_equal(got, want), name
            t_f, t_np, t_b = median_times([lambda: f(a), lambda: ref(data), lambda: before(a)],
                                          args.repeat)
            print(f"| {name} | {n} | {t_f * 1e3:.2f} ms | {t_np * 1e3:.2f} ms | "
                  f"{t_f / t_np:.2f} | {t_b * 1e3:.2f} ms |")


def km_or(name):
    return 1 if "rows" in name else int(name.split("k=")[1])


if __name__ == "__main__":
    main()
